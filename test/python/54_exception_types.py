tests = [
    lambda: [1, 2][5],
    lambda: {"a": 1}["b"],
    lambda: int("12x"),
    lambda: float("abc"),
    lambda: 1 / 0,
    lambda: 1.0 / 0,
    lambda: 5 % 0,
    lambda: "a" * "b",
    lambda: None + 1,
    lambda: [].pop(),
    lambda: (1, 2).index(9),
    lambda: [1].remove(2),
    lambda: "abc".nope,
    lambda: undefined_variable,
    lambda: next(iter([])),
    lambda: {}.pop("k"),
    lambda: sorted([1, "a"]),
    lambda: len(5),
    lambda: (lambda a: a)(),
    lambda: (lambda: 0)(1),
    lambda: int(None),
    lambda: [1, 2, 3][1:2:0],
    lambda: {[1]: 2},
    lambda: max([]),
]
for i, t in enumerate(tests):
    try:
        t()
        print(i, "no error")
    except Exception as e:
        print(i, type(e).__name__, e)
