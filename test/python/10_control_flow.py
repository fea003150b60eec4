for i in range(10):
    if i == 2:
        continue
    if i == 6:
        break
    print(i, end=" ")
else:
    print("no break")
print()
for i in range(3):
    pass
else:
    print("loop finished", i)
n = 0
while n < 5:
    n += 1
    if n % 2:
        continue
    print("even", n)
else:
    print("while done")
x = 15
if x < 10:
    print("small")
elif x < 20:
    print("medium")
else:
    print("large")
for i in range(3):
    for j in range(3):
        if j > i:
            break
        print(i, j, end="; ")
print()
print(list(range(5)), list(range(2, 8, 3)), list(range(5, 0, -2)), list(range(0)), range(3), len(range(1, 10, 2)))
