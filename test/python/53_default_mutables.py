def append_to(x, to=None):
    if to is None:
        to = []
    to.append(x)
    return to
print(append_to(1), append_to(2), append_to(3, [0]))
def counter(d={}):
    d["n"] = d.get("n", 0) + 1
    return d["n"]
print(counter(), counter(), counter({}))
def kw(a, *, sep="-", end="!"):
    return sep.join(a) + end
print(kw("abc"), kw("abc", sep="+"), kw("ab", end="?", sep=""))
def anyargs(*args, **kwargs):
    return len(args), sorted(kwargs)
print(anyargs(), anyargs(1, 2, x=3), anyargs(*range(5), **{"a": 1, "b": 2}))
