vals = [0, 1, -1, 0.0, 2.5, "", "a", [], [0], (), (0,), {}, {"k": 1}, None, True, False, range(0), range(2), set()]
for v in vals:
    print(repr(v), bool(v), not v, v or "alt", v and "then")
print(1 < 2 < 3, 3 > 2 > 2, 1 == 1.0, 1 is 1, None is None, [] is [], "a" != "b", 2 in [1, 2], 2 not in (1,))
a = [1]
b = a
c = [1]
print(a is b, a is c, a == c, a is not c)
print(0 or 0.0 or "" or None, 1 and 2 and 3, (0 and 1/0), True + True, True * 3, -True, 3 if 0 else 4, "yes" if [] else "no")
x = 5
print(0 < x <= 5, 0 < x < 5, x == 5 == 5.0)
