# numpy.newaxis (None) in basic indexing: an axis of length 1 where it stands, with ints,
# slices and the ellipsis; out-of-range ints are still IndexErrors.
import numpy as np
x = np.arange(6.0).reshape(2, 3)
y = np.array([1.0, 2.0, 3.0])
print(x[:, None].shape, x[:, None].tolist(), x[None].shape, x[None, 0].tolist(), x[0, None].tolist())
print(x[..., None].shape, x[None, ..., None].shape, x[1, None, 0:2].tolist(), x[None, None].shape)
print(y[:, None].shape, y[None, :].tolist(), y[np.newaxis].shape, y[0, None].tolist(), y[..., None].shape)
print((y[:, None] * y[None, :]).tolist())
try:
    x[None, 5]
except IndexError as e:
    print("IndexError", e)
