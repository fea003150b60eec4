import numpy as np

x = np.arange(10) * 2
print(len(x), x[0], x[-1], x[3])
print(x[1:3])
print(x[::2])
print(x[::-3])
print(x[5:])
m = np.arange(12).reshape(3, 4)
print(len(m))
print(m[0])
print(m[1, 2])
print(m[-1, -1])
print(m[:, 1])
print(m[1:, ::2])
print(m[0][1])
f = np.array([[0.5, 1.25], [2.0, 3.5]])
print(f[1], f[0, 1])
total = 0
for i in range(len(x)):
    total += x[i]
print(total)
print(np.concatenate([np.arange(3), np.arange(2)]))
print(np.concatenate((m, m), axis=0).shape)
print(np.concatenate([m, m], axis=1))
print(np.concatenate([np.arange(2), np.array([0.5])]))
print(np.stack([np.arange(3), np.arange(3)]))
print(np.stack([np.arange(3), np.arange(3)], axis=1))
print(np.stack([f, f]).shape)
