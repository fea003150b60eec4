t = (1, 2, 3)
print(t, t[0], t[-1], t[1:], len(t), (1,), (), tuple([1, 2]), t + (4,), t * 2)
a, b, c = t
print(a, b, c)
x, y = y, x = 1, 2
print(x, y)
first, *rest = [1, 2, 3, 4]
*init, last = "abcd"
p, *mid, q = range(5)
print(first, rest, init, last, p, mid, q)
(m, n), o = (1, 2), 3
print(m, n, o)
for i, (k, v) in enumerate([("a", 1), ("b", 2)]):
    print(i, k, v)
def pair():
    return 7, 8
u, w = pair()
print(u, w, pair())
print(t.index(2), t.count(3), 2 in t, (1, 2) < (1, 3), (1, 2) == (1, 2), max((3, 1), (2, 9)))
