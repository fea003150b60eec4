# functools.reduce and itertools.product / combinations / permutations (CPython order, reprs,
# classes and errors); the itertools seedflow does not model are named as unsupported.
import functools
import itertools
from functools import reduce
from itertools import product, combinations, permutations
print(functools.reduce(lambda a, b: a * b, range(1, 6)), reduce(lambda a, b: a + b, ["x", "y"], "s"), reduce(max, [3], 0))
print(list(product([1, 2], "ab")), list(product(range(2), repeat=3))[:4], list(product()), list(product([], [1])))
print(list(combinations("abcd", 2)), list(combinations(range(4), 3)), list(combinations([1], 2)), list(combinations([1, 2], 0)))
print(list(permutations([1, 2, 3])), list(permutations("abc", 2)), list(permutations([], 1)), list(permutations([1, 2], 0)))
p = product([1], [2])
print(next(p), type(p).__name__, repr(p).startswith("<itertools.product object at 0x"), repr(combinations([1], 1))[:31])
for seed, mode in itertools.product([0, 1], ["eager", "graph"]):
    print(seed, mode, end="; ")
print()
for f in [lambda: functools.reduce(), lambda: functools.reduce(lambda a, b: a, []), lambda: functools.reduce(lambda a, b: a, [], x=1),
          lambda: itertools.product(1), lambda: itertools.product([1], repeat=-1), lambda: itertools.product([1], x=1),
          lambda: itertools.combinations([1]), lambda: itertools.combinations([1], -1), lambda: itertools.permutations([1], -1),
          lambda: itertools.permutations([1], "a"), lambda: itertools.combinations([1], 1.5), lambda: functools.reduce(1, [1, 2]),
          lambda: itertools.no_such_name]:
    try:
        f()
    except Exception as e:
        print(type(e).__name__, e)
print(itertools.product, isinstance(itertools.product([1]), itertools.product), type(itertools.permutations([1])))
