# itertools.chain, chain.from_iterable, islice, count and repeat: lazy, as CPython's, with
# their reprs and argument errors.
import itertools
from itertools import chain, islice, count, repeat
print(list(chain([1, 2], "ab", (3,))), list(chain()), list(chain.from_iterable([[1], [2, 3], []])))
print(list(islice("abcdefg", 2)), list(islice("abcdefg", 2, 4)), list(islice("abcdefg", 2, None)), list(islice("abcdefg", 0, None, 2)))
print(list(islice(count(), 5)), list(islice(count(10, -2), 3)), list(islice(count(0.5, 0.1), 4)), list(islice(count(True), 2)))
print(list(repeat("x", 3)), list(repeat(1, -5)), list(islice(repeat(None), 2)), list(zip(count(1), "ab")))
c = count(5)
next(c)
print(repr(c), repr(count(0, 2)), repr(repeat(3)), repr(repeat(3, 2)), repr(count(1.5)))
r = repeat("a", 2)
next(r)
print(r)
for args in [([1], -1), ([1], 'a'), ([1], 0, 2, 0), ([1], 1, 2, -1), ([1],), ([1], 1.5), ([1], None, None, None)]:
    try:
        print(list(islice(*args)))
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
for f, args in [(count, ('a',)), (repeat, ()), (chain.from_iterable, ())]:
    try:
        print(f(*args))
    except TypeError as e:
        print(type(e).__name__, e)
it = iter(range(10))
print(list(islice(it, 3)), next(it), list(islice(it, 1, 3)), next(it))
def noisy(n):
    return (print("made", i) or i for i in range(n))
ch = chain(noisy(2), noisy(2))
print("chain made")
print(next(ch), list(ch))
try:
    list(chain([1], 5))
except TypeError as e:
    print(e)
print(type(chain()).__name__, type(count()).__name__, isinstance(islice([], 1), islice))

# An error opening chain's next iterable closes it; islice closes on any error.
c = chain([1], 5, [2])
try:
    list(c)
except TypeError as e:
    print(e)
print(list(c))


class Boom:
    def __iter__(self):
        return self

    def __next__(self):
        raise ValueError("boom")


for made in (lambda: chain.from_iterable(Boom()), lambda: islice(Boom(), 0, 10)):
    it2 = made()
    try:
        list(it2)
    except ValueError as e:
        print("ValueError", e)
    print(list(it2))
for args in [(range(3), -2), (range(3), 1, -1), (range(3), "a", "b"), (range(3), None, 2, "x"), (range(3), 5, 1)]:
    try:
        print(list(islice(*args)))
    except ValueError as e:
        print(e)
print(next(count(True)), next(count(True, 2)), repr(count(False, 2)), list(islice(count(True, True), 2)))
import numpy as np
print(list(islice(count(np.float32(0.5)), 2)), list(islice(count(0, np.int64(2)), 2)))
print(repr(count(np.int32(5), np.int32(1))))
