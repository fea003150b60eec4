import numpy as np
a = np.arange(40, dtype=np.float32) / 7
print(a)
print(repr(a))
print(a.reshape(2, 20))
print(repr(a.reshape(2, 20)))
print(a.reshape(2, 2, 10))
print(np.arange(60))
print(repr(np.arange(60)))
print(np.arange(30) * 1.5)
print(repr(np.arange(30) * 1.5))
print((np.arange(1, 9, dtype=np.float32) / 3).reshape(1, 8))
print([np.arange(30)])
