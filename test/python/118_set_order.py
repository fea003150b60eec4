# A set iterates and prints in CPython 3.11's table order (setobject.c): hashes mod the table
# size, linear probes, dummies, resizes, merges, and the compiler's frozenset for a display of
# constants; randomized adds, discards and operations against CPython's own output.
import random
random.seed(7)
for trial in range(15):
    pool = list(range(-20, 60)) + [x / 2 for x in range(-10, 30)] + [(1, 2), (0, 1), (3,), True, False]
    a = set()
    for step in range(random.randint(0, 40)):
        r = random.random()
        v = random.choice(pool)
        if r < 0.7:
            a.add(v)
        else:
            a.discard(v)
    b = set(random.choice(pool) for _ in range(random.randint(0, 25)))
    c = {random.randint(-5, 40) for _ in range(random.randint(0, 12))}
    print(a, b)
    print(a | b, a & b, a - b, b - a, a ^ b, b ^ a, a | c, c - a, a & c)
    print(list(set(a)), sorted(a, key=str) == sorted(set(list(a)), key=str), a.union(c), a.intersection(b), a.difference(c), set(list(b)))
    d = {random.randint(0, 30): 1 for _ in range(random.randint(0, 15))}
    print(set(d), set(d.keys()), {x * 3 for x in c}, {7, 3, 9, 1, 300, -4, 12})
    t = set(b)
    t.update(c)
    print(t, [x for x in a][:5])

random.seed(5)
for trial in range(15):
    pool = list(range(-30, 90)) + [x / 4 for x in range(-20, 40)] + [(1, 2), (2, 1), (0,), ()]
    a = {random.choice(pool) for _ in range(random.randint(0, 30))}
    b = set(random.choice(pool) for _ in range(random.randint(0, 30)))
    for v in random.sample(sorted(a, key=str), min(len(a), 5)):
        a.discard(v)
    l = [random.choice(pool) for _ in range(random.randint(0, 20))]
    d = {random.choice(pool): 0 for _ in range(random.randint(0, 20))}
    print({*a, *b}, {*l}, {*d}, {*a, 1, 2}, set(d), set(d.keys()), set(d.items()) if False else "")
    print(a.union(l), a.intersection(l), a.difference(l), a.union(d), b.difference(d), a.intersection(b))
    c = set(a)
    c |= b
    e = set(a)
    e &= b
    f = set(a)
    f -= b
    g = set(a)
    g ^= b
    print(c, e, f, g)
    h = a.copy()
    h.update(l)
    h.update(d)
    print(h, {x for x in l if x != 0}, {1, 5, -3, 8, 1000, 2.5}, {(1, 2), 3, -1})
    print(d.keys() | b, d.keys() & a, d.keys() - b, d.keys() ^ b, b - d.keys())
print({3, 1, 2}, set([10, 5, 100, 33]), {1.5, 0.5}, {"a"} | {"b"} if False else "", set(range(20, 0, -3)), {-1, -2, 5})
s = {5, 3}
s.add(1)
print(s, list({8, 9, 1}), sorted({3, 2}))
print({(1, 2), (0, 1)}, {True, 2, 0})
print({(1, 2), 3, -1}, {(1, 2), 3}, hash((1, 2)) & 7)
x = (1, 2)
print({x, 3, -1}, {3, x})
s = set()
s.add(11)
s.add(3)
print(s)
s = set()
s.add((1, 2))
s.add(3)
print(s)

# set.pop (its finger), clear, issubset/issuperset, symmetric_difference and the *_update forms
import random
random.seed(9)
for trial in range(12):
    pool = list(range(-40, 120)) + [x / 4 for x in range(-20, 40)] + [(1, 2), ()]
    a = {random.choice(pool) for _ in range(random.randint(0, 40))}
    b = set(random.choice(pool) for _ in range(random.randint(0, 40)))
    l = [random.choice(pool) for _ in range(random.randint(0, 25))]
    d = {random.choice(pool): 1 for _ in range(random.randint(0, 25))}
    s = set(a)
    popped = [s.pop() for _ in range(min(len(s), random.randint(0, 6)))]
    s.add(random.choice(pool))
    print(popped, s, s.pop() if s else None, s)
    print(a.issubset(b), a.issuperset(l), a.symmetric_difference(l), a.symmetric_difference(b), a.symmetric_difference(d))
    t = set(a)
    t.difference_update(l)
    u = set(a)
    u.intersection_update(l)
    v = set(a)
    v.symmetric_difference_update(l)
    w = set(a)
    w.symmetric_difference_update(d)
    x = set(a)
    x.intersection_update(b)
    y = set(a)
    y.difference_update(d)
    print(t, u, v, w, x, y)
    z = set(a)
    z.clear()
    z.update(l)
    print(z, a <= b, a < a | b, a >= (a & b), a == set(a), a != b)

# from review: s | s and s.union(s) are copies; an unhashable item in a view comparison is a TypeError
# naming the item inside the tuple.
v = {(2, 0), 29, 150}
print(v | v, v.union(v))
d = {1: [2], 3: 4}
for f in (lambda: d.items() & {(1, 2), (3, 4), (5, 6)}, lambda: d.items() == {(3, 4), (1, 2)}, lambda: {(3, 4), (1, 5)} >= d.items()):
    try:
        print(f())
    except TypeError as e:
        print("TypeError", e)
