import numpy as np

a = np.arange(20) % 7
print(a)
print(np.arange(-10, 10) % 3, np.arange(-10, 10) // 3)
print(np.arange(-6, 6) % -4, np.arange(-6, 6) // -4)
f = np.arange(-5, 5) * 0.75
print(f % 2, f // 2, f % -1.5, f // -1.5)
x = (np.arange(64 * 28) % 255).astype(np.float32).reshape(-1, 28) / 255.0
print(x.dtype, x.shape, x[3, :5])
y = np.arange(6 * 8, dtype=np.float32).reshape(6, 8) / 512.0
s = y.sum(axis=1, keepdims=True)
print(s.shape, s.dtype)
print(s)
print(np.sum(y, axis=0, keepdims=True))
print(y.sum(keepdims=True), y.sum(keepdims=True).shape)
np.random.seed(3)
z = np.random.randn(1000).astype(np.float32)
print(np.sum(z), z.sum(), z.mean(), z.std())
print(z[:24].sum(), z[:7].sum(), z[:130].sum(), z[:300].sum())
m = np.random.randn(30, 40).astype(np.float32)
print(m.sum(axis=0)[:4], m.sum(axis=1)[:4])
print(m.mean(axis=0)[:4], m.std(axis=1)[:4])
print(m.mean(axis=1, keepdims=True).shape, np.std(m, axis=0, keepdims=True).shape)
print(np.mean(m), np.std(m))
