# dict() from a sequence of pairs: each element must be a sequence of length 2; the errors
# name the element (and a failed one must not leak the elements converted before it)
for src in [[(1, 2), (3, 4)], [[1, 2], "ab"], [(1, 2), (3,)], [(1, 2), 5], (n for n in range(3)),
            [(x for x in (7, 8))], [(1, 2), ([3], 4)], [None], ["abc"]]:
    try:
        print(dict(src))
    except Exception as e:
        print(type(e).__name__, e)
# a set display with a starred list of unhashables
for items in [[1, 2], [[1]], [1, {}]]:
    try:
        print({*items})
    except Exception as e:
        print(type(e).__name__, e)
