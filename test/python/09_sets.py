s = {3, 1, 2}
print(sorted(s), len(s), 2 in s, 5 in s)
s.add(4); s.add(1); s.discard(10); s.remove(3)
print(sorted(s))
a = {1, 2, 3}
b = {2, 3, 4}
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b))
print(sorted(a.union(b)), sorted(a.intersection(b)), sorted(a.difference(b)), a <= {1, 2, 3, 4}, a < a, set(), len(set("hello")))
print(sorted({x % 3 for x in range(10)}), {1, 2} == {2, 1})
