# augmented assignment: a list extends in place; a failed += leaves the target as it was
a = [1]
b = a
a += (2, 3)
print(a, a is b)
x = 5
x += 1
print(x)
try:
    c = [0]
    c += 7
except TypeError as e:
    print("TypeError:", e, c)
try:
    undefined_name += 1
except NameError as e:
    print("NameError:", e)
d = {"k": [1]}
d["k"] += [2]
print(d)
try:
    d["k"] += None
except TypeError as e:
    print("TypeError:", e, d)
