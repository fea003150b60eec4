# abs(): numbers, NumPy arrays and scalars (ndarray.__abs__ is np.absolute), and a class's __abs__
import numpy as np


class Money:
    def __init__(self, v):
        self.v = v

    def __abs__(self):
        return Money(abs(self.v))

    def __repr__(self):
        return "Money(%r)" % self.v


class Plain:
    pass


print(abs(-3), abs(-2.5), abs(True), abs(-0.0))
print(abs(np.array([-1.5, 2.0, -0.0])), abs(np.array([[-1, 2], [3, -4]])))
print(abs(np.float32(-2.25)), type(abs(np.int64(-3))).__name__)
print(abs(Money(-7)), [abs(x) for x in (-1, Money(-2.5))])
try:
    abs(Plain())
except TypeError as e:
    print(e)
try:
    abs("x")
except TypeError as e:
    print(e)
