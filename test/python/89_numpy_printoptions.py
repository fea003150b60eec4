# np.set_printoptions: precision, suppress, threshold, edgeitems, linewidth (arrayprint.py)
import sys
import numpy as np

a = np.array([0.5441101, 0.20738031, 0.07425752, 1e-05, 123.456789])
b = np.array([1.23456789e-7, 3.0], dtype=np.float32)
print(a, b)
np.set_printoptions(precision=3)
print(a, b, repr(a))
np.set_printoptions(suppress=True)
print(a, b, repr(b))
np.set_printoptions(precision=None, suppress=False)
print(a)
np.set_printoptions(precision=0)
print(a, np.array([2.5, -0.4]))
np.set_printoptions(precision=8, threshold=5)
print(np.arange(10.0), np.arange(5))
np.set_printoptions(edgeitems=1)
print(np.arange(12).reshape(3, 4))
np.set_printoptions(threshold=np.inf)
print(np.arange(1200) % 7 == 0)
np.set_printoptions(threshold=sys.maxsize, linewidth=40)
print(np.arange(20.0) / 3)
print(repr(np.arange(12, dtype=np.float32)))
np.set_printoptions(linewidth=75, threshold=1000, edgeitems=3)
try:
    np.set_printoptions(precision=2.5)
except TypeError as e:
    print('TypeError:', e)
try:
    np.set_printoptions(threshold='all')
except TypeError as e:
    print('TypeError:', e)
try:
    np.set_printoptions(threshold=float('nan'))
except ValueError as e:
    print('ValueError:', e)
np.set_printoptions(floatmode='maxprec', sign='-', nanstr='nan', legacy=False)
print(np.array([np.nan, 1.0]))
