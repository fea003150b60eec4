# map, filter, zip and enumerate are lazy, as CPython's: each item is taken when asked for,
# so side effects interleave as CPython's do, and a source's items past the end stay unread.
def f(x):
    print("f", x)
    return x * 2
m = map(f, [1, 2, 3])
print("made")
print(next(m))
print(list(m), list(m))
print(type(m), type(zip()), type(enumerate([])), type(filter(None, [])), isinstance(m, map), map, zip)
print(list(zip([1, 2, 3], "ab")), list(enumerate("xy", 5)), list(enumerate("xy", start=-1)))
print(list(filter(None, [0, 1, "", "a", None, [1]])), list(filter(lambda v: v > 1, range(4))))
print(list(map(pow, [2, 3], [5, 2])), list(map(lambda *a: a, [1, 2], [3], [4, 5, 6])))
z = zip((print("a", i) or i for i in range(3)), (print("b", i) or i for i in range(2)))
print(list(z))
e = enumerate(iter([10, 20]))
print(next(e), next(e), next(e, "end"))
for i, (a, b) in enumerate(zip("ab", "cd")):
    print(i, a, b)
print(dict(zip("abc", range(3))), sorted(map(abs, [-3, 1, -2])), sum(map(len, ["ab", "c"])), max(filter(None, [0, 5, 3])))
try:
    map(f)
except TypeError as ex:
    print(ex)
try:
    zip(1)
except TypeError as ex:
    print(ex)
try:
    filter(None, 5)
except TypeError as ex:
    print(ex)
it = iter([1, 2, 3, 4])
print(list(zip(it, it)))
print(any(map(f, [0, 1, 2])), all(map(f, [1, 0, 2])))
print(list(zip()), list(map(f, [])), tuple(enumerate("")))
print(list(zip([1], [2, 3], strict=False)))
try:
    zip([1], x=2)
except TypeError as ex:
    print(ex)

# Exhausted, they keep their sources: a later next asks them again.
a = iter([1, 2, 3, 4])
z = zip(a, iter([]))
print(list(z), list(z), next(a))


class Flaky:
    """An iterator that ends every third call and then goes on."""

    def __init__(self):
        self.n = 0

    def __iter__(self):
        return self

    def __next__(self):
        self.n += 1
        if self.n % 3 == 0:
            raise StopIteration
        return self.n


m = map(lambda v: v * 10, Flaky())
print(list(m), list(m))
e = enumerate(Flaky())
print(list(e), list(e))


# A StopIteration raised by map's function ends the map, as a for loop takes it.
def stop_at_two(v):
    if v == 2:
        raise StopIteration
    return v


print(list(map(stop_at_two, [1, 2, 3])))
for v in map(stop_at_two, [5, 2, 7]):
    print("for", v)
