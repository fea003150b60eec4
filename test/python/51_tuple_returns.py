def stats(xs):
    n = len(xs)
    mean = sum(xs) / n
    var = sum((x - mean) ** 2 for x in xs) / n
    return n, mean, var, min(xs), max(xs)
n, mean, var, lo, hi = stats([2, 4, 4, 4, 5, 5, 7, 9])
print(n, mean, var, lo, hi)
result = stats([1.5, 2.5])
print(result, type(result).__name__, result[1:3])
def split_name(full):
    first, _, last = full.partition(" ") if False else (full.split(" ")[0], " ", full.split(" ")[-1])
    return first, last
print(split_name("Ada Lovelace"))
def minmax(*args):
    return (min(args), max(args)) if args else None
print(minmax(3, 1, 2), minmax())
