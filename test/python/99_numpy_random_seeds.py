# NumPy's seeded streams as programs use them: the legacy module functions (standard_normal
# included) and RandomState, default_rng with an int or a list of ints (SeedSequence's words)
import numpy as np
np.random.seed(123)
print(np.random.rand(2, 2), np.random.randn(3), np.random.randint(5), np.random.randint(1, 7, size=(2, 3)))
print(np.random.random(2), np.random.random_sample((1, 2)), np.random.uniform(size=2), np.random.normal(1.0, 2.0, size=2))
print(np.random.choice([10, 20, 30], size=4), np.random.choice(10, 3, replace=False), np.random.permutation(6), np.random.binomial(10, 0.5, 3) if False else "")
a = np.arange(8)
np.random.shuffle(a)
print(a, np.random.standard_normal(2), np.random.exponential(1.0, 2) if False else "")
rs = np.random.RandomState(42)
print(rs.randn(2), rs.randint(0, 100, 3), rs.choice(5, 2), rs.uniform(-1, 1, 2), rs.permutation(4), rs.random_sample(2))
g = np.random.default_rng(42)
print(g.random(2), g.integers(10, size=3), g.choice(5, 3), g.permutation(5), g.uniform(0, 1, 2))
g2 = np.random.default_rng([1, 2])
print(g2.random(), g2.integers(0, 5, endpoint=True, size=3), g2.shuffle(a), a)
for s in [[1, 2], (3,), [], [0], [2**40, 7], [123456789012, 0, 5]]:
    print(np.random.default_rng(s).random(), np.random.default_rng(s).integers(0, 100, 3))
