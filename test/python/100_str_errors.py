# Errors whose messages name the offending item's type: raised while the item still exists
# (str.join's sequence item, __str__/__repr__ returning a non-string), the fuzzer's finding.
class A:
    def __str__(self):
        return [1, 2]


class B:
    def __repr__(self):
        return [3]


for o in (A(), B()):
    for f in (str, repr):
        if type(o) is A and f is repr:
            continue
        try:
            print(f(o))
        except TypeError as e:
            print(type(e).__name__, e)
try:
    print(B())
except TypeError as e:
    print(e)
for seq in (["a", not "1", "3"], ("x", 2), [b for b in (1.5,)], {"k": None}.values()):
    try:
        print("-".join(seq))
    except TypeError as e:
        print(e)
print("-".join(x for x in ["a", "b"]), ", ".join({"p": 1, "q": 2}))
