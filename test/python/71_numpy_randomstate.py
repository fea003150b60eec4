import numpy as np

rs = np.random.RandomState(123)
print(rs.rand())
print(rs.rand(2, 2))
print(rs.randn(3))
print(rs.randn())
print(rs.randint(0, 100, size=5))
print(rs.randint(7))
print(rs.random(2))
print(rs.random_sample())
print(rs.normal(0.0, 2.0, size=(2, 2)))
print(rs.uniform(5, 6, 3))
print(rs.permutation(6))
print(rs.choice([1.5, 2.5, 3.5], 4))
print(rs.choice(10, 3, replace=False))
x = np.arange(7)
rs.shuffle(x)
print(x)

np.random.seed(123)
other = np.random.RandomState(123)
print(np.random.rand(3))
print(other.rand(3))
print(np.random.randn(2), other.randn(2))

rs.seed(5)
first = rs.randn(3)
rs.seed(5)
print(np.array_equal(first, rs.randn(3)))

class Init:
    def __init__(self, seed):
        self.rng = np.random.RandomState(seed)

    def weights(self, n_in, n_out):
        return self.rng.uniform(-0.5, 0.5, size=(n_in, n_out))

init = Init(2024)
print(init.weights(2, 3))
states = [np.random.RandomState(s).randint(1000) for s in range(5)]
print(states)
