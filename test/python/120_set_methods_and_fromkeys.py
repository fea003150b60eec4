import random
random.seed(3)
for t in range(120):
    a = set(random.sample(range(60), random.randint(0, 30)))
    for k in range(random.randint(0, 8)):
        a.discard(random.randint(0, 59))
    others = []
    for i in range(random.randint(0, 3)):
        kind = random.randint(0, 3)
        items = random.sample(range(60), random.randint(0, 25))
        others.append(set(items) if kind == 0 else items if kind == 1 else dict.fromkeys(items) if kind == 2 else tuple(items))
    if random.random() < 0.1:
        others.append(a)
    print(a.union(*others), a.intersection(*others), a.difference(*others))
    b = set(a); b.update(*others); c = set(a); c.intersection_update(*others); d = set(a); d.difference_update(*others)
    print(b, c, d)
print(dict.fromkeys('abc'), {}.fromkeys([3, 1], [0]), dict.fromkeys(range(3), 7))
for bad in (lambda: {1}.union(x=1), lambda: dict.fromkeys(), lambda: dict.fromkeys([[1]]), lambda: {1}.update([1], [[2]]), lambda: {}.fromkeys(1)):
    try:
        bad()
    except TypeError as e:
        print("TypeError:", e)
