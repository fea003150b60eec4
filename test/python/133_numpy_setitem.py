# Item assignment on NumPy arrays (ndarray.__setitem__) changes the array itself: every name
# bound to it sees the change; values are broadcast to the indexed shape and converted to the
# array's dtype (a number one at a time as int() and float() do, an array as astype does).
import numpy as np


def attempt(what, arr, k, v):
    try:
        arr[k] = v
        print(what, "ok")
    except (ValueError, TypeError, IndexError, OverflowError) as e:
        print(what, type(e).__name__, e)


def attempt_slice(what, arr, v):
    try:
        arr[0:2] = v
        print(what, "ok")
    except (ValueError, TypeError, IndexError, OverflowError) as e:
        print(what, type(e).__name__, e)


a = np.zeros((3, 4))
b = a
a[0, 1] = 5
a[1] = [1, 2, 3, 4]
a[:, 3] = 7
a[2, :2] = np.array([8.5, 9.5])
a[..., 2] = -1
print(a, a is b)
print(b[0, 1], b.dtype)

m = np.arange(12).reshape(3, 4)
m[m > 5] = 0
print(m)
m[m == 0] = np.arange(7) * 10
print(m)
m[[0, 2]] = m[[2, 0]]
print(m)
m[np.array([1])] = 3.9
print(m)
m[np.array([True, False, True])] = [[1, 2, 3, 4]]
print(m)
m[-1, -1] = -5
m[0, None] = 6
print(m)
m[1:, 1:] = m[:-1, :-1]
print(m)
m[::2, ::-2] = 100
print(m, m.dtype)

v = np.arange(5)
v[1:4] = 9
v[[0, 0, 4]] = [7, 8, 6]
v[:] = np.array([1.9, -1.9, 2.5, -2.5, 0.1])
print(v, v.dtype)

f = np.zeros(3, dtype=np.float32)
f[0] = 0.1
f[1] = np.float64(1 / 3)
f[2] = 2 ** 24 + 1
print(f, f.dtype, f[0], f[1])
f[:] = np.array([1e300, -1e300, 0.5])
print(f)

c = np.zeros(3, dtype=bool)
c[0] = 5
c[1] = 0.0
c[2] = -0.5
print(c)
c[:] = np.array([0.5, 0, 2])
print(c)

i = np.zeros(3, dtype=np.int64)
i[0] = 2.7
i[1] = -2.7
i[2] = True
print(i)
i[:2] = [3.9, -3.9]
print(i)
i32 = np.zeros(2, dtype=np.int32)
i32[0] = 2 ** 31 + 5
i32[1] = np.int64(2 ** 40 + 3)
print(i32)
u = np.zeros(4, dtype=np.uint8)
u[0] = 300
u[1] = -1
u[2] = 2.5
u[3] = 300.7
print(u)
u[:] = np.array([256, 257, -2, 7])
print(u)

x = np.arange(6.0)
y = x
x[2] += 10
x[1:3] *= 2
x[x > 10] -= 1
x[[0, 0]] += 1
print(x, y is x)
n = np.arange(4)
n[0] += 1.5
n[1] /= 2
print(n, n.dtype)

row = np.zeros((2, 3))[0]
row[1] = 4
print(row)
t = np.ones((2, 2))
t[0] = t[1] * 3
t[1] = t[0].T
print(t)

e = np.zeros((2, 3))
attempt("nan into int", i, 0, np.nan)
attempt("inf into int", i, 0, np.inf)
attempt("huge float into int", i, 0, 1e30)
attempt("nan scalar into int slice", i, np.array([0, 1]), np.float32("nan"))
attempt("nan list item into int", i, np.array([True, False, True]), [1.0, np.nan])
attempt("sequence into element", e, (0, 0), [1, 2])
attempt("array into element", e, (0, 0), np.ones(2))
attempt("size-1 array into element", e, (0, 0), np.ones((1, 1)))
attempt("bad broadcast", e, 0, np.ones(2))
attempt("bad broadcast 2", e, np.array([True, False]), np.ones((3, 3)))
attempt("bad broadcast 3", np.zeros((2, 2)), 0, [1, 2, 3])
attempt("leading ones", e, 1, np.ones((1, 1, 3)))
attempt("bad leading", e, 1, np.ones((1, 2, 3)))
attempt("rows mismatch", e, [0, 1], np.ones((3, 3)))
mask = np.array([[True, False, True], [False, False, True]])
attempt("mask too many", e, mask, [1, 2, 3, 4])
attempt("mask 2-d value", e, mask, [[1, 2, 3]])
attempt("mask one", e, mask, [9])
attempt("mask exact", e, mask, [1, 2, 3])
attempt("index out of range", e, (0, 3), 1)
attempt("row out of range", e, [0, 2], 1)
attempt("too many indices", e, (0, 0, 0), 1)
attempt("float index", e, 1.5, 1)
attempt("bad mask", e, np.array([True, False, True]), 1)
print(e)
attempt_slice("float64 nan into int slice", i, np.float64("nan"))
attempt("float64 nan into int rows", i, [0], np.float64("nan"))
attempt_slice("float32 nan into int slice", i, np.float32("nan"))
attempt_slice("nan array into int slice", i, np.array(np.nan))
attempt("float64 big into int rows", i, [0], np.float64(1e30))
attempt("0-d nan into int element", i, 0, np.array(np.nan))
attempt("1x1 nan into int element", i, 0, np.array([[np.nan]]))
attempt("1x1 into int element", i, 2, np.array([[7.9]]))
attempt("float64 nan into 0-d", np.zeros((), dtype=np.int64), Ellipsis, np.float64("nan"))
attempt_slice("list of nan into int", i, [float("nan"), 1.0])
attempt_slice("float64 big into int slice", i, np.float64(1e30))
attempt("list of big into int", i, [0, 1], [1e30, 1])
print(i)
j = np.zeros(2, dtype=np.int32)
j[[0]] = 2 ** 40
j[[1]] = np.int64(2 ** 40 + 1)
print(j)
w = np.zeros(2, dtype=np.uint8)
w[:] = [300.5, -1.5]
print(w)

# Conversions NumPy makes differently by target and by what it is given
u8 = np.zeros(3, dtype=np.uint8)
attempt("uint8 python nan", u8, 0, float("nan"))
attempt("uint8 numpy nan", u8, 0, np.float64("nan"))
attempt("uint8 numpy -1.5", u8, 1, np.float64(-1.5))
attempt_slice("uint8 python -1.5", u8, -1.5)
print(u8)
i32 = np.zeros(2, dtype=np.int32)
attempt("int32 numpy nan", i32, 0, np.float64("nan"))
attempt("int32 numpy 1e10", i32, 0, np.float64(1e10))
attempt("int32 python 1e10", i32, 1, 1e10)
print(i32)
a = np.zeros((2, 4))
attempt("list too deep", a, 0, [[1, 2, 3, 4]])
attempt("list too deep 2", a, 0, [[1, 2], [3, 4]])
attempt("tuple too deep", a, 0, ((1, 2, 3, 4),))
attempt("list too deep into 0-d", np.zeros(()), Ellipsis, [7])
attempt("list into 0-d element", np.zeros(()), (), [7])
attempt_slice("list fits", a, [[1, 2, 3, 4]])
attempt("list deep into rows", a, [0], [[[5, 6, 7, 8]]])
print(a)
flags = np.zeros(4, dtype=bool)
flags[0] = [1]
flags[1] = [0]
flags[2] = []
flags[3] = [1, 2]
print(flags)
n = np.arange(5)
n[[]] = 9
n[[]] += 1
print(n, n[[]], n[[]].dtype)
attempt("nothing selected, nan into int", n, n > 10, np.nan)
attempt_slice("nothing selected, inf into int", np.zeros(0, dtype=np.int64), np.inf)
z = np.zeros((2, 2))
z[True] = 1
z[0, True] = 7
print(z, z[True].shape, z[np.array(True)].shape)
n[np.array(1)] = 8
attempt("0-d index, nan", n, np.array(2), np.float64("nan"))
print(n, n[np.array(1)])
try:
    del n[0]
except ValueError as e:
    print(e)
big = np.zeros(100000)
for i in range(100000):
    big[i] = i % 7
print(big.sum(), big[99999])
