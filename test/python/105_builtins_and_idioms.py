import math, random
random.seed(3)
print(random.random(), random.randint(1, 10), random.choice([1, 2, 3]), random.sample(range(10), 3))
xs = [random.gauss(0, 1) for _ in range(3)]
print([f"{x:.3f}" for x in xs], f"{math.pi:10.4f}|{42:>6}|{'ab':^6}|{3.5e-7:g}|{1234567:,}")
d = {}
for i, w in enumerate("the quick brown fox jumps over the lazy dog".split()):
    d.setdefault(len(w), []).append((i, w))
print(sorted(d.items()), sorted(["b", "A", "c"], key=str.lower))
class A:
    def __init__(self, v):
        self._v = v
    @property
    def v(self):
        return self._v * 2
    def __repr__(self):
        return f"A({self._v!r})"
    def __lt__(self, o):
        return self._v < o._v
print(sorted([A(3), A(1)]), A(2).v, max(A(5), A(4)))
def f(*args, **kw):
    return args, sorted(kw.items())
print(f(1, 2, a=3, b=4), "{0}-{1}-{0}".format("x", "y"), "%5.2f%%" % 12.345, "%-5s|%05d" % ("ab", 42))
print(divmod(-7, 2), -7 // 2, -7 % 2, round(2.5), round(3.5), round(1.2345, 2), int("0x1f", 16), bin(10), hex(255), oct(8))
print("a,b,,c".split(","), " x ".strip(), "abc".upper().center(9, "*"), "x".join("123"), "Hello"[::-1], "ab" * 3)
s = {1, 2, 3}
s |= {4}
print(s & {2, 4, 9}, s - {1}, sorted(s ^ {1, 10}))
print(dict(zip("abc", range(3))), {k: v for k, v in zip("xy", [1, 2])})
try:
    {}["k"]
except KeyError as e:
    print("KeyError", e, repr(e))
print(isinstance(True, int), type(1.0).__name__, float("inf") > 1e308, math.isclose(0.1 + 0.2, 0.3), math.floor(-2.5), math.log(8, 2))
for v in (0, 1, -1, 10, -255, 2**62, -(2**62) * 2, True):
    print(bin(v), oct(v), hex(v))
for bad in (1.5, "3", None):
    try:
        hex(bad)
    except TypeError as e:
        print(e)
print(int(bin(37), 2), int(hex(-300), 16), int(oct(64), 8))
