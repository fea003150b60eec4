def add(a, b=10, *args, scale=1, **kw):
    return (a + b + sum(args)) * scale, sorted(kw.items())
print(add(1), add(1, 2), add(1, 2, 3, 4), add(1, scale=3), add(b=5, a=1), add(1, 2, x=1, y=2))
def kwonly(*, a, b=2):
    return a * b
print(kwonly(a=3), kwonly(b=5, a=2))
args = [1, 2, 3]
opts = {"scale": 2}
print(add(*args), add(*args, **opts), add(*[1], *[2, 3]))
def noret():
    pass
print(noret())
def early(x):
    if x > 0:
        return "pos"
    return "non-pos"
print(early(1), early(-1))
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
print(fact(10), fact(20))
def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a
print([fib(i) for i in range(15)])
def defaults_evaluated_once(x, acc=[]):
    acc.append(x)
    return acc
print(defaults_evaluated_once(1), defaults_evaluated_once(2))
print(add.__name__, callable(add), callable(3))
