# str.find / rfind / index / rindex: character positions in non-ASCII text, start and end
# as a slice's, and their errors (CPython's texts).
s = "héllo wörld, héllo"
for args in [("l",), ("l", 3), ("l", 3, 4), ("héllo", 1), ("", 18), ("", 19), ("", 30), ("o", -5), ("o", -100, -3), ("x",), ("ö", None, None), ("", -2)]:
    print(args, s.find(*args), s.rfind(*args))
print(s.index("w"), s.rindex("l"))
for bad in [lambda: s.index("zz"), lambda: s.rindex("zz", 2), lambda: s.find(3), lambda: s.find("a", "b"), lambda: s.find(), lambda: s.find("a", 1, 2, 3)]:
    try:
        bad()
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
print("abc".find("c", True))
s="ab"
try:
    s.find("a", x=1)
except TypeError as e:
    print(e)
