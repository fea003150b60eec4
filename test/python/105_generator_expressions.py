# Generator expressions run as they are iterated, as CPython's <genexpr>: the first iterable
# when made, elements, conditions and inner iterables on demand; any/all stop at the first
# item that decides.
g = (print("item", i) or i * i for i in range(3))
print("start", type(g).__name__, repr(g)[:26])
print(next(g))
print(list(g))
print(list(g), next(g, "done"))
print(sum(x for x in range(10 ** 6)))
pairs = ((a, b) for a in range(3) for b in range(a) if (a + b) % 2)
print(list(pairs))
x = 5
print(list(x for x in range(x)), x)
def bad():
    return (1 / i for i in [1, 0])
h = bad()
print(next(h))
try:
    next(h)
except ZeroDivisionError as e:
    print("ZeroDivisionError", e)
print(next(h, "finished"))
try:
    (y for y in 3)
except TypeError as e:
    print("TypeError", e)
it = iter([1, 2, 3])
gg = (v * 10 for v in it)
print(next(it), list(gg))
print(any(v > 1 for v in [0, 2, print("never")]), max((len(w), w) for w in ["ab", "c"]))
print(sorted(k for k in {"b": 1, "a": 2}), tuple(c.upper() for c in "ab"), dict((k, 1) for k in "xy"))
def scaled(k):
    return (x * k for x in range(3))
sg = scaled(3)
print(list(sg))
k = 1
late = (x * k for x in range(2))
k = 10
print(list(late))
nested = ((i, j) for i in range(2) for j in (i * 10 + t for t in range(2)))
print(list(nested))
def f():
    g = (x for x in range(3))
    return next(g)
print(f())
def h():
    g = (x for x in range(3))
    return sum(g)
t = 0
for i in range(3000):
    t += h()
print(t)
g = None
g = (next(g) for x in range(3))
try:
    next(g)
except ValueError as e:
    print("ValueError", e)
