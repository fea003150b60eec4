# CPython's random module as seed programs use it: choices (with weights, cum_weights, k),
# triangular, expovariate, lognormvariate, on the module's stream and a Random's
import random
random.seed(2024)
print(random.random(), random.randint(1, 100), random.randrange(0, 50, 5), random.choice("abcdef"), random.uniform(1.5, 2.5))
l = list(range(10))
random.shuffle(l)
print(l, random.sample(range(100), 5), random.gauss(0, 1), random.normalvariate(5, 2), random.getrandbits(40))
print(random.choices([1, 2, 3], k=4), random.choices("xyz", weights=[1, 2, 3], k=3), random.triangular(0, 1, 0.3), random.expovariate(2.0))
print(random.choices(range(5), [0.5, 0, 1.5, 2, 1], k=6), random.choices(["a", "b"], cum_weights=[1, 10], k=5), random.choices([7], k=0))
print(random.triangular(), random.triangular(2, 2, 2), random.triangular(1, 3), random.lognormvariate(0, 1), random.choices([4, 5, 6]))
r = random.Random(7)
print(r.random(), r.randint(0, 9), r.sample([1, 2, 3, 4], 2), r.choices("ab", k=3), r.expovariate(0.5))
for bad in [lambda: random.choices([1, 2], [1], k=1), lambda: random.choices([1, 2], [0, 0]), lambda: random.choices([1], [1], cum_weights=[1])]:
    try:
        bad()
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
