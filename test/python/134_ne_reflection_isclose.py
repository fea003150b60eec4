# != between instances as do_richcompare orders it (a subclass's own __ne__ first; a class
# with __eq__ gets object's __ne__); no reflected method between two instances of one class;
# np.isclose of a float32 array with a scalar in float64 once a NaN or infinity is there.
class B:
    def __ne__(s, o): return False
class C: pass
print(C() != B())
class A:
    def __eq__(s, o): return True
class A2(A):
    def __ne__(s, o): return True
print(A() != A2(), A2() != A(), A() != A())
class X:
    def __radd__(s, o): return "radd"
try:
    print(X() + X())
except TypeError as e:
    print(e)
import numpy as np
a = np.array([0.1, np.inf], np.float32)
print(np.isclose(a, 0.1, rtol=0, atol=0), np.isclose(a[:1], 0.1, rtol=0, atol=0), np.isclose(0.1, a, rtol=0, atol=0))
def t(f):
    try:
        print(repr(f()))
    except TypeError as e:
        print(e)
t(lambda: [1].copy(1))
t(lambda: {}.clear(1))
t(lambda: set().copy(1))
