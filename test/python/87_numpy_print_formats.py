# numpy arrayprint (NumPy 1.24): scientific notation, nan/inf columns, summaries above 1000 elements
import numpy as np

# scientific notation: chosen from the finite non-zero magnitudes shown
cases = [
    [1e-5, 1.0], [0.5, 2000.0], [0.5, 500.0], [1e8, 1.0], [99999999.0, 1.0],
    [0.00012, 0.5], [0.0001, 0.5], [3e-5], [1.5e10, 2.5e10], [0.0, 1e-9],
    [-1e-5, 1.0], [1.234567891234e-5, 2.0], [9.9999999999e-5, 1.0], [1e-100, 1.0],
    [1e300, -1e-300], [0.0, 0.0], [-0.0, 1.0], [123456.789, 0.001],
    [0.1, float('inf')], [1.5, float('nan')], [-float('inf'), 2.25],
    [100.5, float('inf'), -3.0], [float('inf'), float('nan')], [1e20, float('inf')],
    [12345.678, -float('inf'), float('nan')], [-float('inf')], [float('nan')],
    [0.001, 2.0, float('nan')], [1e-7, -float('inf')],
]
for c in cases:
    a = np.array(c)
    print(a)
    print(repr(a))
    b = np.array(c, dtype=np.float32)
    print(b)
    print(repr(b))

# two and three axes
m = np.array([[1e-3, 2.5, -7.0], [float('inf'), 0.0, 3e4]])
print(m)
print(repr(m))
print(np.array([[[1.0, 2e-6], [3.0, 4.0]], [[5.0, 6.0], [7.0, float('nan')]]], dtype=np.float32))
print(np.arange(24).reshape(2, 3, 4) * 1e-5)

# wrapping in scientific notation
print(np.arange(20) * 1e-6)
print(repr(np.arange(20) * 1e-6))
print(np.arange(13, dtype=np.float32) * 1e9)

# summaries: more than 1000 elements show the first and last 3 of each long axis
print(np.arange(1500.0))
print(repr(np.arange(1500.0)))
print(np.arange(1001))
print(repr(np.arange(1001)))
print(np.arange(2000).reshape(2, 1000))
print(np.arange(2000.0).reshape(1000, 2))
print(repr(np.arange(2000.0).reshape(1000, 2)))
print(np.arange(4000).reshape(10, 20, 20) * 0.5)
print(repr(np.arange(4000, dtype=np.float32).reshape(10, 20, 20) / 3))
print(np.arange(1200) % 3 == 0)
print(np.arange(1000.0) / 7)
print(np.arange(1200.0) - 600.5)
print(np.arange(3000.0).reshape(3, 1000) * 1e-7)
