# A class with only __lt__ (or __ge__) compares the other way by reflection
# (do_richcompare); a NumPy dtype equals what np.dtype reads as it (float is float64,
# 'f8', '?', None); NumPy's abstract scalar types in isinstance.
import numpy as np


class V:
    def __init__(s, x): s.x = x
    def __lt__(s, o): return s.x < o.x
    def __repr__(s): return f"V({s.x})"


class W:
    def __init__(s, x): s.x = x
    def __ge__(s, o): return s.x >= o.x


print(V(2) > V(1), V(1) > V(2), V(1) < V(2))
print(max(V(1), V(3), V(2)), min([V(5), V(4)]), sorted([V(3), V(1)]))
print(W(1) <= W(2), W(3) <= W(2))
try:
    print(W(1) < W(2))
except TypeError as e:
    print(e)

a = np.zeros(2)
b = np.zeros(2, dtype=np.float32)
c = np.array([True])
d = np.array([1, 2])
print(a.dtype == float, a.dtype == 'float64', a.dtype == 'f8', a.dtype == np.float64, a.dtype == np.dtype('float64'))
print(b.dtype == np.float32, b.dtype == 'float32', b.dtype == 'f4', b.dtype == float, b.dtype != float)
print(c.dtype == bool, c.dtype == np.bool_, c.dtype == '?', c.dtype == 'bool', c.dtype == int)
print(d.dtype == int, d.dtype == np.int64, d.dtype == 'int64', d.dtype == 'i8', d.dtype == np.int32, d.dtype == 'int16')
print(float in [a.dtype], a.dtype in (np.float32, np.float64), a.dtype == 'float', a.dtype == 3, a.dtype == None)
print(a.dtype == 'nonsense', type(a.dtype) == np.float64, np.float64 == float)

x = [np.float32(1), np.float64(2), np.int32(3), np.int64(4), np.bool_(True), 1.0, 1, True, np.array([1.0])]
for t in [np.generic, np.number, np.inexact, np.floating, np.integer, np.signedinteger, np.unsignedinteger, np.ndarray]:
    print([isinstance(v, t) for v in x])
print(isinstance(np.float32(2), (int, np.floating)), isinstance(np.float64(1), float))
