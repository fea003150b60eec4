x = 10
squares = [x * x for x in range(4)]
print(x, squares)
pairs = [(a, b) for a in range(3) for b in range(a, 3) if (a + b) % 2 == 0]
print(pairs)
words = ["a", "bb", "ccc"]
lookup = {w: [c for c in w] for w in words}
print(lookup)
def f(n):
    k = 3
    return [i * k for i in range(n)], {i: k for i in range(2)}
print(f(4))
nested = [[j for j in range(i)] for i in range(4)]
print(nested, sum(len(r) for r in nested))
print([y for y in [x for x in range(10)] if y % 3 == 0])
print({(i, j) for i in range(2) for j in range(2)} == {(0, 0), (0, 1), (1, 0), (1, 1)})
