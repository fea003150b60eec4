import numpy as np
a = np.array([1, 2])
f = np.array([1.5, 2.5], dtype=np.float32)
print(repr(np.array([a, a])))
print(repr(np.array([a, [3, 4]])))
print(repr(np.array([f, f])))
print(repr(np.array([f, [3, 4]])))
print(repr(np.array([np.float32(1), np.float32(2)])))
print(repr(np.array([np.float32(1), 2])))
print(repr(np.array([np.array([True]), [3]])))
print(repr(np.array([[], []])))
print(repr(np.array([np.array(3.0), 4])))
print(np.mean([a, a], axis=0))
print(np.stack([a, a]).shape, np.concatenate([a, a]))
for v in ([1, [2]], [[1, 2], [3]], [[1], 2], [a, [3]], [a, np.array([[1, 2]])], [[[1], [2]], [[1], 2]], [[], [1]]):
    try:
        np.array(v)
    except ValueError as e:
        print(e)
