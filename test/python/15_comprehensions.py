print([x * x for x in range(6)])
print([x for x in range(20) if x % 3 == 0 if x % 2 == 0])
print([(i, j) for i in range(3) for j in range(i)])
print({x: x ** 2 for x in range(4)}, {c for c in "mississippi" if c != "s"} == {"m", "i", "p"})
print(sum(x for x in range(101)), max(len(w) for w in ["a", "abc", "ab"]), any(x > 3 for x in [1, 5]), all(x > 0 for x in [1, -1]))
matrix = [[1, 2, 3], [4, 5, 6]]
print([[row[i] for row in matrix] for i in range(3)], [v for row in matrix for v in row])
x = "outer"
print([x for x in "ab"], x)
print(list(zip(*matrix)), dict((k, v) for k, v in [("a", 1)]), sorted(x % 4 for x in range(8)))
print(tuple(i for i in range(3)), list(enumerate("ab", start=1)), list(zip([1, 2, 3], "ab")))
