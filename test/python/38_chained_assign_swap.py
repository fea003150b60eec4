a = b = c = 5
print(a, b, c)
x = y = []
x.append(1)
print(y, x is y)
p, q = 1, 2
p, q = q, p
print(p, q)
lst = [1, 2, 3]
lst[0], lst[2] = lst[2], lst[0]
print(lst)
i = 0
i, lst[i] = 2, 99
print(i, lst)
first, (second, third), *others = 1, (2, 3), 4, 5
print(first, second, third, others)
for a, *b in [(1, 2, 3), (4,)]:
    print(a, b)
