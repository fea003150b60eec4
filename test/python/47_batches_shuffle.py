import random
data = list(range(23))
def batches(xs, n, shuffle=False, seed=None):
    xs = list(xs)
    if shuffle:
        random.Random(seed).shuffle(xs)
    for i in range(0, len(xs), n):
        yield_like = xs[i:i + n]
        batches.count += 1
        out.append(yield_like)
batches.count = 0
out = []
batches(data, 5)
print(out, batches.count)
out = []
batches(data, 7, shuffle=True, seed=42)
print(out)
random.seed(3)
idx = list(range(10))
random.shuffle(idx)
print(idx, sorted(idx) == list(range(10)))
print(random.sample(data, 4), random.choice(data), [random.randrange(2) for _ in range(8)])
