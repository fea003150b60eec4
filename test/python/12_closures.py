def counter():
    count = 0
    def inc(step=1):
        nonlocal count
        count += step
        return count
    return inc
c1 = counter()
c2 = counter()
print(c1(), c1(), c1(5), c2())
total = 0
def add_total(x):
    global total
    total += x
add_total(3); add_total(4)
print(total)
def make_adders():
    return [lambda x, i=i: x + i for i in range(3)]
print([f(10) for f in make_adders()])
def outer():
    x = "outer"
    def middle():
        def inner():
            return x
        return inner()
    return middle()
print(outer())
square = lambda v: v * v
compose = lambda f, g: lambda v: f(g(v))
print(square(5), compose(square, lambda v: v + 1)(2), (lambda: "no args")())
print(sorted([(1, "b"), (2, "a")], key=lambda p: p[1]), list(map(lambda v: v * 2, [1, 2, 3])), list(filter(lambda v: v % 2, range(7))))
