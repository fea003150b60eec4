# ndarray.ravel: the values in row-major order, one axis (a view in NumPy, a copy here:
# seedflow's arrays cannot be assigned to, so the two print alike)
import numpy as np
a = np.arange(6).reshape(2, 3)
print(a.ravel(), a.ravel().shape, a.flatten().tolist())
b = (np.arange(8.0).reshape(2, 2, 2) / 4).ravel()
print(b, repr(b), b.dtype)
print(np.ones((1, 1), dtype=np.float32).ravel())
