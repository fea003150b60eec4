s = list(range(10))
for sl in [(None, None, None), (2, 8, 2), (-3, None, None), (None, -3, None), (None, None, -1), (8, 2, -2), (-1, -8, -3), (5, 100, None), (-100, 3, None), (3, 3, None), (7, 2, None)]:
    a, b, c = sl
    print(sl, s[a:b:c], "abcdefghij"[a:b:c], tuple(s)[a:b:c], list(range(10))[a:b:c] == s[a:b:c])
r = range(0, 20, 3)
print(r[2], r[-1], list(r[1:4]), list(r[::-1]), len(r), 9 in r, 10 in r)
t = "hello world"
print(t[:5], t[6:], t[-5:], t[::-1][:5], t[1:-1])
