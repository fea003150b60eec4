# In-place operators on NumPy arrays change the array itself (ndarray.__iadd__ and kin):
# every name bound to it sees the change; the result is cast to the array's dtype.
import numpy as np

a = np.array([1.0, 2.0, 3.0], dtype=np.float32)
b = a
a += 1
print(a, b, a is b, b.dtype)
a *= np.float32(2)
a -= [1, 1, 1]
a /= 2
print(b)

i = np.arange(6)
j = i
i += 2
i *= 3
i //= 4
i %= 5
i **= 2
print(j, j.dtype)

k = np.arange(3, dtype=np.int32)
k += 5000000000 // 1000000000
print(k, k.dtype)

f = np.zeros((2, 3))
g = f
f += np.array([1.0, 2.0, 3.0])
f -= np.ones((2, 1))
print(g)

u = np.array([250, 3], dtype=np.uint8)
u += 10
print(u, u.dtype)

flags = np.array([True, False])
flags += True
print(flags)

items = [np.ones(2), np.zeros(2)]
first = items[0]
items[0] += 1
print(items, first)


class Holder:
    def __init__(self):
        self.w = np.ones(3)


h = Holder()
w = h.w
h.w *= 4
print(w, h.w is w)

x = np.arange(6).reshape(2, 3)
x += 1
print(x)
y = np.random.RandomState(0).rand(4).reshape(2, 2).T
y *= 0
print(y)

c = np.asarray(x)
print(c is x, np.asarray(x, dtype=np.float64) is x)
x -= 1
print(c)

r = np.arange(5)
alias = r
np.random.seed(3)
np.random.shuffle(r)
print(alias, r is alias)

try:
    n = np.ones(3)
    n += np.ones(4)
except ValueError as e:
    print("ValueError:", e)
try:
    n = np.ones(3)
    n += np.ones((2, 3))
except ValueError as e:
    print("ValueError:", e)
try:
    n = np.ones((2, 3), dtype=np.float32)
    n /= np.ones((4, 1, 3))
except ValueError as e:
    print("ValueError:", e)

t = (1, 2, 3)
s = t
t += (4,)
print(t, s)

# Iteration reads the array as it reaches each row (NumPy's iterator holds the array).
e = np.arange(4)
for x in e:
    print(x, end=" ")
    e += 1
print()
gen = (x * 10 for x in e)
e += 1
print(list(gen))
a, b = np.arange(6).reshape(2, 3)
print(a, b, [r.tolist() for r in np.eye(2)], dict(zip(np.arange(2), ["x", "y"])))
M = np.arange(4.0).reshape(2, 2)
M += M.T
X = np.arange(10.0).reshape(5, 2)
X -= np.mean(X[:, 0])
X -= X[0]
print(M, X[4])
