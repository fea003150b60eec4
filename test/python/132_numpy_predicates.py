# np.isnan, np.isinf, np.isfinite, np.logical_not, np.all, np.any (axis=None), np.isclose and
# np.allclose (float32 arithmetic for two float32 arrays, as value-based casting makes it).
import numpy as np
x = np.array([1.0, np.nan, np.inf, -np.inf, 0.0])
i = np.array([[1, 0], [2, 3]])
b = np.array([True, False])
print(np.isnan(x), np.isinf(x), np.isfinite(x), np.logical_not(x))
print(np.isinf(i), np.isfinite(i), np.logical_not(i), np.logical_not(b))
print(np.all(i), np.any(i), np.all(b), np.any(b), np.all(np.array([])), np.any(np.array([])))
print(np.all(x > -10), np.any(x > 10), type(np.all(i)), np.all([1, 2]), np.any([0, 0]))
print(np.isnan(2.0), np.isfinite(3), type(np.isnan(2.0)))
a = np.array([1.0, 1.00001, np.nan, np.inf, 2.0])
b = np.array([1.0, 1.0, np.nan, np.inf, 2.1])
print(np.isclose(a, b), np.isclose(a, b, equal_nan=True), np.allclose(a, b), np.allclose(a[:2], b[:2]))
print(np.isclose(1.0, 1.0 + 1e-9), type(np.isclose(1.0, 2.0)), np.isclose([1, 2], 2), np.allclose(1, 1.0), np.allclose(a, a, equal_nan=True))
f = np.array([1.0, 2.0], np.float32)
print(np.isclose(f, f + np.float32(1e-5)), np.isclose(f, np.array([1.00001, 2.00003], np.float32), rtol=1e-5, atol=0))
