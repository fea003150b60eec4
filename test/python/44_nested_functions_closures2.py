def make_multipliers():
    fns = []
    for i in range(4):
        def m(x, i=i):
            return x * i
        fns.append(m)
    return fns
print([f(3) for f in make_multipliers()])
def late_binding():
    fns = [lambda: i for i in range(3)]
    return [f() for f in fns]
print(late_binding())
def memoize(fn):
    cache = {}
    def wrapped(n):
        if n not in cache:
            cache[n] = fn(n)
        return cache[n]
    wrapped.cache = cache if False else None
    return wrapped
@memoize
def slow_square(n):
    print("computing", n)
    return n * n
print(slow_square(4), slow_square(4), slow_square(5))
def pipeline(*fns):
    def run(x):
        for f in fns:
            x = f(x)
        return x
    return run
p = pipeline(lambda v: v + 1, lambda v: v * 10, str)
print(p(1), repr(p(2)))
