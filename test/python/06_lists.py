a = [3, 1, 2]
b = a
b.append(4)
print(a, a is b, a == [3, 1, 2, 4], len(a))
a.extend([5, 6]); a.insert(0, 0); a.remove(3)
print(a, a.pop(), a.pop(0), a, a.index(2), a.count(1))
a.sort(); print(a)
a.sort(reverse=True); print(a)
a.reverse(); print(a)
c = a.copy(); c[0] = 99
print(a, c, a[1:], a[:-1], a[::2], a[-2:], a[10:], a[1:3])
a[1:3] = [7, 8, 9]; print(a)
a[::2] = [0] * len(a[::2]); print(a)
del a[0]; print(a)
del a[1:3]; print(a)
m = [[0] * 3 for _ in range(2)]
m[0][1] = 5
print(m, [1, 2] + [3], [0] * 3, 2 * [1], [] or "empty", [1] and "full")
print(sorted([3, 1, 2]), sorted(["b", "a", "C"]), sorted([(2, "a"), (1, "b")]), list(reversed([1, 2, 3])))
print(sorted([-3, 1, -2], key=abs), sorted(["aa", "b", "ccc"], key=len, reverse=True), max([1, 5, 3]), min([4, 2, 8]))
nested = [1, [2, [3, [4]]]]
print(nested, nested[1][1][1][0])
a.clear(); print(a)
