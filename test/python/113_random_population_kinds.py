# random.choice, sample and choices by the kind of population (random.py 3.11): a set or a
# dict view has len() but no seq[i] (its TypeError after the draw: the stream moves on), an
# iterator no len(), sample wants a Sequence.
import random
random.seed(3)
d = {"a": 1, "b": 2, "c": 3}
for pop in (d.keys(), set(), {1, 2}, d.values(), iter([1, 2]), (x for x in [1])):
    for fn in ("choice", "sample", "choices"):
        try:
            if fn == "choice":
                print(random.choice(pop))
            elif fn == "sample":
                print(random.sample(pop, 1))
            else:
                print(random.choices(pop, k=2))
        except (TypeError, IndexError) as e:
            print(fn, type(e).__name__, e)
print(random.choice(list(d.keys())), random.sample(sorted(d), 2), random.choices("xyz", k=3), random.choice(range(10)), random.sample(range(100), 3))
