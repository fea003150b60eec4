# 10^6 iterations of integer arithmetic in a for loop over range
s = 0
for i in range(1000000):
    s += i * i % 7
print(s)
