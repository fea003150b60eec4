# NumPy's advanced indexing with several index arrays (reads and item assignment): the arrays
# and ints broadcast together and pick one element along their axes each; apart (a slice
# between them), their broadcast axes come first. One-hot labels and per-row picks.
import numpy as np
def attempt(what, f):
    try:
        print(what, f())
    except (ValueError, TypeError, IndexError, OverflowError) as e:
        print(what, type(e).__name__, e)
def put(arr, k, v):
    arr[k] = v
    return arr
labels = np.array([2, 0, 1, 2])
y = np.zeros((4, 3))
y[np.arange(4), labels] = 1
print(y)
p = np.arange(12.0).reshape(4, 3) / 10
print(p[np.arange(4), labels], p[[0, 1, 2, 3], [0, 1, 2, 0]])
print(p[:, [0, 2]], p[[1, 3], :], p[1:3, [2, 0]])
x = np.arange(24).reshape(2, 3, 4)
print(x[0, [1, 2]], x[[0, 1], [2, 0]], x[:, [0, 2], [1, 3]], x[1, :, [3, 0]])
print(x[[[0], [1]], [0, 2]], x[np.array([[0, 1]]), 1:, [1, 2]])
x[:, [0, 2], 1] = -1
x[[0, 1], [1, 1]] += 100
print(x)
attempt("mismatch", lambda: p[[0, 1], [0, 1, 2]])
attempt("oob", lambda: p[[0, 1], [0, 5]])
attempt("oob neg", lambda: p[[0, -5], [0, 1]])
attempt("float arr", lambda: p[[0, 1], np.array([0.0, 1.0])])
attempt("too many", lambda: p[[0], [0], [0]])
attempt("set mismatch", lambda: put(p, ([0, 1], [0, 1]), [1, 2, 3]))
attempt("set ok", lambda: put(p, ([0, 1], [0, 1]), [7, 8]))
attempt("set bcast", lambda: put(np.zeros((3, 3)), ([[0], [2]], [0, 2]), 5))
attempt("empty", lambda: p[[], []])
attempt("neg", lambda: p[[-1, -2], [-1, 0]])
z = np.zeros((3, 3), dtype=np.int64)
attempt("np scalar nan into fancy", lambda: put(z, ([0], [0]), np.float64("nan")))
attempt("py nan into fancy", lambda: put(z, ([0], [0]), float("nan")))
print(x[np.array(0), 1], x[1, np.array(2), [0, 3]], type(x[np.array(0), 1, 2]).__name__)
w = np.arange(60).reshape(3, 4, 5)
print(w[[0, 2], :, [1, 4]], w[0, 1:3, [4, 0]], w[[1], 2, ::2], w[:, [3, 1], 0])
w[[0, 2], :, [1, 4]] = -7
print(w[:, :, 1], w[:, :, 4])
import numpy as np
p = np.zeros((3, 3))
for k in [np.array([0.0]), [0.0, 1.0], [0.5], (np.array([0.0]), 0), ([0.0], [0])]:
    try:
        p[k]
    except IndexError as e:
        print(e)
