# NumPy's element-wise functions and constructors: sqrt, abs, floor, ceil, square (an
# integer input in float64 for the first, its own dtype for abs and square), maximum and
# minimum (a NaN wins), clip, where, cumsum, linspace, full, zeros_like / ones_like /
# full_like and eye, with NumPy 1.24's result dtypes.
import numpy as np

np.random.seed(3)
f = np.random.rand(5).astype(np.float32) * 10 - 5
d = np.random.rand(5) * 10 - 5
i = np.array([3, -7, 12, 0, -1])
print(np.sqrt(np.abs(f)), np.sqrt(np.abs(d)), np.sqrt(np.array([4, 9])), np.sqrt(2.0), np.sqrt(f[0] * f[0]))
print(np.abs(f), np.abs(i), np.abs(-2.5), np.absolute(i).dtype, np.abs(f).dtype)
print(np.floor(f), np.ceil(d), np.floor(i), np.floor(i).dtype, np.ceil(-0.5))
print(np.square(f), np.square(i), np.square(3), np.square(1.5), np.square(f).dtype)
nan = np.array([1.0, np.nan, 3.0])
print(np.maximum(f, 0), np.minimum(d, 1.5), np.maximum(i, 2), np.maximum(nan, 2.0), np.minimum(2.0, nan))
print(np.maximum(f, d).dtype, np.maximum(f, 0.5).dtype, np.maximum(i, 2.5).dtype, np.maximum(3, 4), type(np.maximum(3, 4)))
print(np.clip(f, -1, 1), np.clip(d, -1.5, 2), np.clip(i, 0, 5), np.clip(nan, 0, 2), np.clip(f, -1, 1).dtype)
print(np.clip(i, 0.5, 2.5), np.clip(7, 0, 5), np.clip(f, np.array([0, 0, 0, 0, 0]), 2.0))
print(np.where(f > 0, f, 0), np.where(i > 0, i, -i), np.where(d > 0, 1, 0), np.where([True, False], 1.5, 2))
print(np.where(f > 0, f, 0).dtype, np.where(d > 0, 1, 0).dtype, np.where(f > 0, f, d).dtype)
print(np.cumsum(f), np.cumsum(i), np.cumsum([1, 2, 3]), np.cumsum(np.ones((2, 2))), np.cumsum([True, True]))
print(np.linspace(0, 1, 5), np.linspace(-1, 1, 7), np.linspace(0, 10, 4, endpoint=False), np.linspace(2, 3, 1), np.linspace(0, 1, 0))
print(np.linspace(0.1, 0.7, 13))
print(np.full(3, 7), np.full((2, 2), 0.5), np.full(2, True), np.full(2, 3, dtype=np.float32), np.full(2, np.float32(1.5)))
print(np.zeros_like(f), np.ones_like(i), np.full_like(d, 2), np.zeros_like(i, dtype=float), np.ones_like(f).dtype)
print(np.eye(3), np.eye(2, 3), np.eye(3, k=1), np.eye(2, dtype=int))
# a bool array gives way to every dtype, float32 too (np.promote_types(float32, bool_) is float32)
fb, bb = np.array([1.5, -2.25], dtype=np.float32), np.array([True, False])
print(fb + bb, (bb * fb).dtype, (fb - bb).dtype, (np.array([3], dtype=np.int32) + bb).dtype, (np.array([0.5, 1.0]) + bb).dtype)
