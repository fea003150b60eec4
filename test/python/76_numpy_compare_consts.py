import numpy as np

a = np.arange(6)
print(a == 3)
print(a < 2.5)
print(a >= np.array([0, 2, 2, 5, 4, 5]))
print(np.array([1.0, 2.0]) != 1.0)
print((a == a).all(), (a == 0).any(), (a > 10).any())
print(np.pi, np.e, np.pi * 2)
print(np.arange(3) * np.pi)
print(np.array([True, True]))
mask = np.arange(4).reshape(2, 2) > 1
print(mask)
print(mask.shape, mask.dtype)
np.random.seed(11)
x = np.random.rand(5)
print(x > 0.5)
