# Unary plus, minus and invert: +x is x.__pos__() (so +True is 1), an instance's
# __pos__/__neg__/__invert__ are called, and a type without them is a TypeError.
import numpy as np

x = True
y = False
print(+x, -x, ~x, +y, -y, ~y)
print(+3, -3, ~3, +2.5, -2.5, +-0.0, -(-0.0))
n = 7
print(+n, + +n, -+n, +-n, ~+n, +(n * 2))
print(type(+x).__name__, type(+n).__name__, type(+2.5).__name__)


class Vec:
    def __init__(self, a, b):
        self.a, self.b = a, b

    def __pos__(self):
        return Vec(abs(self.a), abs(self.b))

    def __neg__(self):
        return Vec(-self.a, -self.b)

    def __invert__(self):
        return Vec(self.b, self.a)

    def __repr__(self):
        return "Vec(%r, %r)" % (self.a, self.b)


v = Vec(-1, 2)
print(+v, -v, ~v, -(~v))


class Plain:
    pass


for value in ["a", [1], (2,), None, {}, Plain()]:
    for name, f in [("+", lambda z: +z), ("-", lambda z: -z), ("~", lambda z: ~z)]:
        try:
            print(f(value))
        except TypeError as e:
            print(name, type(e).__name__, e)
try:
    print(~1.5)
except TypeError as e:
    print(e)

a = np.array([1, -2, 3])
print(+a, -a)
print(+np.float32(2.5), type(+np.float32(2.5)).__name__, +np.int64(-3), +np.float64(-0.0))
print(+np.True_, type(+np.True_).__name__)

b = np.array([1, 2])
c = +b
print(c is b, type(+np.array(3.5)).__name__, [+np.array(3.5)], +np.array([-0.0, 1.5], dtype=np.float32))
print((+np.array([1, 2], dtype=np.int32)).dtype, +np.array(True), type(+np.array(True)).__name__)
p = Plain()
p.__neg__ = lambda: 5  # an instance's own dunder is not the operator's: CPython looks on the class
try:
    print(-p)
except TypeError as e:
    print(e)
