# NumPy scalars (numpy.float32, numpy.float64, numpy.int64, numpy.bool_): what indexing,
# iteration and reductions of arrays give, their type, a float32's shortest repr, the
# result types of arithmetic with Python numbers and with one another (NumPy 1.24), and
# round(), format() and str().
import numpy as np

np.random.seed(7)
f = np.random.rand(5).astype(np.float32)
d = np.random.rand(5)
i = np.array([3, -7, 12])
b = np.array([1.0, 2.0]) > 1.5

print(f[0], d[0], i[0], b[1])
print(type(f[0]), type(d[0]), type(i[0]), type(b[1]))
print([f[0], f[1]], (f[2],), {"x": f[3]})
for v in f:
    print(v, end=" ")
print()
print(list(f), list(i), list(b))
print(f.sum(), type(f.sum()), f.mean(), f.max(), d.sum(), i.sum(), type(i.sum()))
print(f.tolist()[0], f[0].item(), type(f[0].item()), type(i[0].item()))

x, y = f[0], f[1]
for r in [x + y, x - y, x * y, x / y, y // x, y % x, -y % x, x ** y, x + 1, x * 2.0, 2 * x, x / 3, x ** 2, x // 0.25, x % 0.25, -x, +x, abs(-x)]:
    print(r, type(r).__name__)
for r in [d[0] + d[1], d[0] * 3, i[0] + 1, i[0] * i[1], i[0] / 2, i[1] // 2, i[1] % 5, -i[0], i[0] ** 2, i[0] & 1]:
    print(r, type(r).__name__)
for r in [b[1] + b[1], b[1] * b[0], b[1] + 1, b[1] * 1.5, x * b[1]]:
    print(r, type(r).__name__)
print(x > y, type(x > y), x == x, f[0] == 0.1, i[0] < 5, type(i[0] < 5))

print(d[0] / 0, -d[0] / 0, i[0] // 0, i[0] % 0, i[0] / 0)
big = np.array([2 ** 62])[0]
print(big * 4, type(big * 4))

for v in [np.float32(2.675), np.float32(0.125), np.float32(1.005), np.float32(-2.5)]:
    print(round(v, 2), type(round(v, 2)).__name__, round(v), type(round(v)).__name__)
for v in f:
    print(round(v, 3), round(v, 1), round(v, 0))
print(round(d[0], 3), round(np.float64(2.675), 2), round(np.float64(0.125), 2), round(i[2], -1), type(round(i[2], -1)))

print(float(x), int(f[0] * 10), bool(b[0]), str(x), repr(x))
print("%s %r %.3f %d" % (x, x, x, i[1]))
print("{} {:.2f} {:>12} {}".format(x, x, x, i[0]))
print(f"{x} {x:.4f} {d[0]} {i[0]:03d} {b[1]}")
print(max(f[0], f[1]), min(d[0], 0.5), sum([f[0], f[1]]), type(sum([f[0], f[1]])).__name__)
print(isinstance(d[0], float), isinstance(f[0], float), isinstance(i[0], int))

s = f[0] * np.float32(1e-5)
print(s, f[0] * np.float32(1e20), f[0] * np.float32(123456789.0))
print(np.round(f[0], 2), type(np.round(f[0], 2)), np.mean(d[0]), np.float32(0.1), np.float32("2.5"), np.int64(2.7), np.float32([1, 2]), type(np.float64(1)), np.array([f[0], f[1]]).dtype, np.array([f[0], 1]).dtype)
print(f * d[0], (f * d[0]).dtype, d[0] * f[:2], (i * f[0]).dtype)
print(type(f), type(np.zeros(2)), type(np.float32), type(type(f[0])))
print(f[0].round(2), f[0].round(), type(f[0].round()), d[0].round(3), d[0].round(decimals=1), i[0].round(), np.float32(2.5).round())

# the legacy functions' size=None draws are Python numbers, choice's a NumPy scalar
np.random.seed(1)
print(type(np.random.rand()), type(np.random.randint(5)), type(np.random.normal()), type(np.random.uniform()), type(np.random.random()), type(np.random.randn()), type(np.random.choice([1, 2])), type(np.random.rand(2)[0]))
# NumPy's types as classes: isinstance and identity with type()
z = np.zeros(2, dtype=np.float32)
print(isinstance(z, np.ndarray), isinstance(z[0], np.float32), isinstance(z[0], np.float64), isinstance(z[0], float))
print(type(z[0]) is np.float32, type(z[0]) == np.float64, type(z[0]) != np.float32, type(z) is np.ndarray,
      isinstance(z[0], (int, np.float32)), type(1.0) is np.float64, isinstance(d[0], float))
