# dict.keys(), values() and items() are live views (dictobject.c): their repr, type, len,
# membership, set-like == and operators, iteration; dict.update(d) with d itself; builtins
# has no names such as function.
d = {"loss": [0.5, 0.25], "accuracy": [0.5, 0.75]}
k = d.keys()
v = d.values()
it = d.items()
print(k, v, it)
print(type(k), type(v), type(it), len(k), bool(k), bool({}.keys()))
d["val_loss"] = [1.0]
print(k, len(v), list(it)[-1])
print("loss" in k, "nope" in k, [0.5, 0.25] in v, ("loss", [0.5, 0.25]) in it, ("loss", 1) in it, 3 in it)
print(k == {"loss", "accuracy", "val_loss"}, k == ["loss", "accuracy", "val_loss"], v == v, d.values() == d.values())
print(d.keys() == d.keys(), d.items() == d.items(), {1: 2}.items() == {(1, 2)}, {1: 2}.keys() != {1})
print(sorted(k), sorted(d.items()), list(v), tuple(k), set(k) == set(d), max(k), min(d.values()))
print(k & {"loss", "x"}, sorted(k | {"z"}), sorted(k - {"loss"}), sorted(k ^ {"loss", "q"}), {"x": 1}.keys() & ["x", "y"])
print([1, 2] == list({1: 0, 2: 0}.keys()), ", ".join(k), *k)
for name, vals in d.items():
    print(name, vals)
for i, key in enumerate(k):
    print(i, key)
print(dict(zip(d.keys(), map(len, d.values()))))
print(f"{k}", "%s" % (v,), str(it), repr(k), "{}".format(it))
try:
    k[0]
except TypeError as e:
    print("TypeError:", e)
try:
    hash(k)
except TypeError as e:
    print("TypeError:", e)
try:
    [] in k
except TypeError as e:
    print("TypeError:", e)
try:
    v | {1}
except TypeError as e:
    print("TypeError:", e)
try:
    k.sort()
except AttributeError as e:
    print("AttributeError:", e)
try:
    print(function)
except NameError as e:
    print("NameError:", e)
print(isinstance(k, object), list(reversed(list(k))), sum({1: 2, 3: 4}.values()), any(v), all({}.keys()))
e = {}
e[1] = e.keys()
print(e)
x = {"a": 1}
x.update(x)
print(x, list(x.items()))
d = {"b": 2, "a": 1}  # views where a list or iterable goes
print(dict(d.items()), dict(zip(d.values(), d.keys())), list(zip(*d.items())))
print(*d.items())
x, y = d.keys()
print(x, y)
(k1, v1), (k2, v2) = d.items()
print(k1, v1, k2, v2)
print([k for k, v in d.items() if v > 1], {v: k for k, v in d.items()}, max(d.items(), key=lambda kv: kv[1]))
print(sorted(d.items(), key=lambda kv: kv[1], reverse=True), min(d, key=d.get), sum(v for v in d.values()))
s = set(d.values())
s.update(d.keys())
print(sorted(s, key=str), list(map(str.upper, d.keys())), [*d.values(), *d.keys()])
l = [0]
l.extend(d.values())
l += d.keys()
print(l, tuple(d.items()), frozenset(d.keys()) == d.keys() if False else "")
print(d.keys() - ["a"], {"a", "z"} - d.keys(), d.items() | {("c", 3)} == {("a", 1), ("b", 2), ("c", 3)})
it = iter(d.items())
print(next(it), list(it))

# from review: views compared element-wise (__eq__, NumPy), ordered as sets, isdisjoint, &
# of an items view with a set of tuples; a __repr__ that changes the list it sits in.
import numpy as np


class A:
    def __eq__(self, o):
        return True


print({1: A()}.items() == {1: A()}.items(), (1, A()) in {1: A()}.items())
print((1, np.array(1)) in {1: np.array(1)}.items(), {1: np.array(1)}.items() == {1: np.array(1)}.items())
k = {'a': 1, 'b': 2, 'c': 3}.keys()
print(k <= {'a', 'b', 'c', 'd'}, k < {'a', 'b', 'c'}, k >= {'a'}, k > {'a'}, {'a'} < k, k == {'c', 'b', 'a'})
print({1: 2}.keys().isdisjoint({3}), {1: 2}.keys().isdisjoint([1]), {1: 2}.items().isdisjoint([(1, 2)]), {5, 6}.isdisjoint((7,)))
vals = {'a': [1], 'b': [2]}
print(vals.items() & {('a', 1)}, sorted(vals.keys() & {'a', 'z'}), vals.items() & [('a', [1])] if False else "")
try:
    {1: 2}.values().isdisjoint([1])
except AttributeError as e:
    print("AttributeError:", e)
class A:
    def __init__(self, c):
        self.c = c

    def __repr__(self):
        for i in range(50):
            self.c.append(i)
        return "A"


l = []
l.append(A(l))
l.append(7)
print(len(repr(l)))


class B:
    def __init__(self, c):
        self.c = c

    def __repr__(self):
        self.c.clear()
        return "B"


m = [0]
m.append(B(m))
m.append(9)
print(m)
d = {}
d[0] = B(d)
d[1] = 5
print(repr(d.values()))
e = {}
e[0] = A([])
e[1] = 2
print(e)
