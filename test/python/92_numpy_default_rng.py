# np.random.default_rng: PCG64 seeded by SeedSequence (one and two entropy words), random,
# uniform and integers (Lemire on 32-bit draws below 2**32, on 64-bit ones above; int32,
# endpoint), float32 random, permutation and shuffle (random_interval swaps), choice with replacement,
# the Generator's str, the scalar types and the errors.
import numpy as np
rng = np.random.default_rng(42)
print(rng.random(), rng.random(3), rng.uniform(-1, 1, size=2), rng.uniform())
print(rng.integers(10), rng.integers(5, 10, size=4), rng.integers(0, 2**40, size=2), rng.integers(-3, 3, size=(2, 2), endpoint=True))
print(rng.random(2, dtype=np.float32), rng.integers(100, size=3, dtype=np.int32), rng.integers(0, 2**32), rng.integers(0, 2**32 - 1))
print(type(rng.random()), type(rng.uniform()), type(rng.integers(3)), rng)
r0 = np.random.default_rng(0)
r1 = np.random.default_rng(2**40 + 7)
print(r0.random(2), r1.random(2), r0.integers(2**62, size=2), r1.integers(1, 7, size=10))
for e in [lambda: rng.integers(5, 5), lambda: rng.integers(-1), lambda: np.random.default_rng(-1), lambda: rng.uniform(1, 0)]:
    try:
        e()
    except ValueError as x:
        print('ValueError:', x)
big = np.random.default_rng(3)
print(big.integers(0, 3, size=200).tolist())
print(big.integers(0, 9223372036854775000, size=8).tolist(), big.integers(-(2**62), 2**62, size=4).tolist())
print(big.integers(7, size=5, endpoint=True), big.random(), np.random.RandomState(0))
rng = np.random.default_rng(5)
print(rng.permutation(10), rng.permutation(np.array([[1, 2], [3, 4], [5, 6]])), rng.permutation([0.5, 1.5, 2.5, 3.5]))
print(rng.choice(5), type(rng.choice(5)), rng.choice(10, size=6))
print(rng.choice(np.array([10, 20, 30]), size=(2, 2)), rng.choice([1.5, 2.5]), rng.integers(3), rng.permutation(70000)[:5])
rng = np.random.default_rng(11)
l = list(range(8))
rng.shuffle(l)
a = np.arange(6)
rng.shuffle(a)
m = np.arange(6).reshape(3, 2)
rng.shuffle(m)
print(l, a, m.tolist(), rng.integers(100))
print(type(rng), type(np.random.RandomState(0)))
