# 10^5 calls of a program function
def f(x, y):
    return x * 2 + y
t = 0
for i in range(100000):
    t = f(i, t) % 1000003
print(t)
