# NumPy's var and prod (function and method; var's ddof, prod left to right), the method
# forms clip, cumsum, squeeze, transpose and item, np.transpose, np.squeeze,
# np.expand_dims, np.isnan, np.count_nonzero, np.vstack / hstack, np.unique and np.median.
import numpy as np

np.random.seed(4)
a = np.random.rand(2, 3)
f = a.astype(np.float32)
i = np.arange(1, 7).reshape(2, 3)
print(np.var(a), a.var(axis=0), f.var(), np.var(i), a.var(ddof=1), np.var(a, axis=1, keepdims=True))
print(np.prod(a), a.prod(axis=1), f.prod(), np.prod(i), i.prod(axis=0), np.prod([2 ** 40, 2 ** 30]), type(np.prod(i)))
print(a.clip(0.2, 0.8), f.clip(0.5, 0.6), i.clip(2, 4), a.cumsum(), i.cumsum())
print(a.transpose(), np.transpose(i), np.transpose(np.arange(24).reshape(2, 3, 4)).shape, np.transpose(np.arange(24).reshape(2, 3, 4))[3, 2, 1])
print(np.squeeze(a.reshape(1, 6)), np.squeeze(np.ones((1, 2, 1))).shape, np.squeeze(np.ones((1, 2, 1)), axis=2).shape, a.reshape(1, 1, 6).squeeze().shape)
print(np.expand_dims(a, 0).shape, np.expand_dims(a, -1).shape, np.expand_dims(np.array([1, 2]), 1))
print(a.item(0), a.item(-1), i.item(4), type(i.item(4)), np.array([2.5]).item())
nan = np.array([1.0, np.nan, 0.0])
print(np.isnan(nan), np.isnan(2.0), np.count_nonzero(nan), np.count_nonzero(i > 2), np.count_nonzero([0, 1, 2]))
for e in [lambda: np.squeeze(a, axis=0), lambda: np.expand_dims(a, 3), lambda: i.item()]:
    try:
        e()
    except ValueError as x:
        print('ValueError:', x)
print(np.vstack([a, a]).shape, np.vstack([np.array([1, 2]), np.array([3, 4])]), np.hstack([np.array([1, 2]), np.array([3.5])]), np.hstack([a, a]).shape, np.vstack([1, 2]))
print(np.unique(np.array([3, 1, 3, 2])), np.unique([2.5, 1.0, 2.5]), np.unique(np.array([np.nan, 1.0, np.nan])), np.unique(f.round(1)))
print(np.median(a), np.median(np.array([3, 1, 2])), np.median([4, 1, 2, 3]), np.median(f), type(np.median(f)), np.median(np.array([1.0, np.nan])))
