# NumPy that real programs call: randint's bounded masked rejection (legacy RandomState),
# integer-array and boolean indexing, np.stack, mean/std over an axis, np.round's
# half-to-even steps in the array's type, "{:.4f}" of NumPy scalars.
import numpy as np

np.random.seed(42)
X = np.arange(64 * 8, dtype=np.float32).reshape(64, 8) / 512.0
y = X.sum(axis=1, keepdims=True)
idx = np.random.randint(len(X), size=32)
print(idx)
print(X[idx][:3], y[idx][:3])
print(np.random.randint(3, 10, size=(2, 3)), np.random.randint(5), np.random.randint(-4, 4, size=5))
print(np.random.randint(2**40, size=3), np.random.randint(0, 1, size=4))
a = np.arange(12.0).reshape(4, 3)
print(a[[2, 0, -1]])
print(a[np.array([1, 1])], a[a > 6.5], a[np.array([True, False, True, False])])
print(np.stack([a[0], a[1]], axis=1), np.stack([a, a]).shape)
print(a.mean(axis=0), a.mean(axis=1), a.std(axis=0), a.std(axis=1))
b = np.array([0.5, 1.5, 2.5, 2.675, -0.125, 1.005, 0.285, -2.5], dtype=np.float32)
print(np.round(b, 2), np.round(b), np.around(b, 1), np.round(b, -1))
print(np.round(b.astype(np.float64), 2), np.round(2.675, 2), np.round(np.array([15, 25, 149]), -1))
print(np.round(np.arange(6.0) / 3, 3))
print("{:.4f}".format(a.mean()), "{:.4f} {:.2f}".format(a.std(), np.round(b, 2)[3]))
