# Argument counts and keywords of built-ins past their parameters (Argument Clinic's texts),
# != with a's __eq__ and b's __ne__, reflected & and +, randrange(stop=None), isclose in
# float32 against a scalar.
import math, random
def t(f):
    try:
        print(repr(f()))
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
t(lambda: round(1, 2, 3))
t(lambda: pow(1, 2, 3, 4))
t(lambda: str(1, 2, 3, 4))
t(lambda: sum([], 1, 2))
t(lambda: int(base=2))
t(lambda: [3, 1].sort(key=lambda v: float(v, x=1)))
t(lambda: math.isinf(x=1.0))
t(lambda: random.random(x=1))
t(lambda: math.isclose(1, 1, rel_tol=-1))
t(lambda: math.gcd(a=4))
t(lambda: math.hypot(x=3))
t(lambda: [1].copy(x=1))
t(lambda: {}.clear(x=1))
t(lambda: [1, 2].copy())
import random
class A:
    def __init__(s, v): s.v = v
    def __eq__(s, o): return s.v == getattr(o, 'v', None)
class B:
    def __init__(s, v): s.v = v
    def __ne__(s, o):
        print("B.__ne__ called")
        return True
    def __rand__(s, o): return "rand"
    def __radd__(s, o): return "radd"
print(A(1) != B(1), B(1) != A(1), 1 != B(1))
print(A(1) & B(1), A(1) + B(1))
random.seed(4)
print(random.randrange(10, step=1), random.randrange(3, None))
import numpy as np
print(np.allclose(np.array([0.1], np.float32), 0.1, rtol=0, atol=0), np.isclose(np.float32(0.1), 0.1, rtol=0, atol=0), np.isclose(np.array([0.1]), np.float32(0.1), rtol=0, atol=0))
