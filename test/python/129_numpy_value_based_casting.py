# NumPy 1.24's value-based casting: a Python number an array's dtype cannot hold widens it
# (int32 * 2**31 is int64, float32 * 65536 and float32 + 1e40 are float64).
import numpy as np
f = np.ones(2, np.float32)
i = np.array([1, 2], np.int32)
b = np.array([True, False])
for r in [f * 65536, f * 65535, f * -32768, f * -32769, f * 1e6, f + 1e40, f * 3.5, f + float('inf'),
          i * 2**31, i * 2, i + 2**40, i + (-2**31), i + (-2**31 - 1), i + 2.5, b + 2, b + 2.5,
          2**31 * i, 65536 * f, f - 70000, i - 2**31, np.array([1], np.int64) * 3]:
    print(r.dtype, r)
