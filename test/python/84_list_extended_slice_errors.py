# extended-slice assignment: the sizes must match, and the error names both
a = [1, 2, 3, 4, 5]
for step, src in [(2, [0] * 2), (2, [0] * 3), (-1, "ab"), (4, (9,)), (3, [])]:
    try:
        a[::step] = src
        print(a)
    except ValueError as e:
        print("ValueError:", e)
