# Containers that hold themselves: repr writes [...] / {...} / (...) for the one being
# written (Py_ReprEnter), == and < take a pair that is one object as equal (the identity
# test of PyObject_RichCompareBool), and a walk that never ends is a RecursionError.
a = []
a.append(a)
print(a, [a, [a]], str(a), repr(a), f"{a}", "{}".format(a), "%s" % (a,))
print(a == a, a in [a], [a] == [a], a.count(a), a.index(a), len(a[0][0][0]))
print(sorted([a, a]), max([a, a]), a <= a)
b = []
b.append(b)
for expr in ("a == b", "a != b", "a < b", "a in [b]", "[b].index(a)", "[b].count(a)"):
    try:
        print(expr)
        if expr == "a == b":
            a == b
        elif expr == "a != b":
            a != b
        elif expr == "a < b":
            a < b
        elif expr == "a in [b]":
            a in [b]
        elif expr == "[b].index(a)":
            [b].index(a)
        else:
            [b].count(a)
    except RecursionError as e:
        print("RecursionError:", e)
d = {}
d["self"] = d
d["list"] = [d, a]
print(d, d == d)
e = {"self": None, "list": None}
e["self"] = e
try:
    print(d == e)
except RecursionError as err:
    print("RecursionError:", err)
t = (a, 1)
a.append(t)
print(a, t, a[1][0] is a)


def nest(n):
    x = [1]
    for i in range(n):
        x = [x]
    return x


print(len(str(nest(800))), nest(800) == nest(800), nest(800) < nest(800))
try:
    nest(800) < nest(801)
except TypeError as err:
    print("TypeError:", err)
try:
    [1, (2, [3, "x"])] < [1, (2, [3, 4])]
except TypeError as err:
    print("TypeError:", err)
for what in ("==", "<", "str"):
    try:
        if what == "==":
            nest(1500) == nest(1500)
        elif what == "<":
            nest(1500) < nest(1500)
        else:
            str(nest(1500))
    except RecursionError as err:
        print(what, "RecursionError:", err)


class Node:
    def __init__(self):
        self.children = [self]

    def __repr__(self):
        return "Node(%d children)" % len(self.children)


n = Node()
print(n, n.children, [n] == [n])
