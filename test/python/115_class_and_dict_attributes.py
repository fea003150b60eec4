# obj.__class__ is type(obj); obj.__dict__ and vars(obj) are an instance's own attribute dict
# (live: a key set in it is an attribute); vars() of a value without one is a TypeError.
class A:
    x = 1
    def __init__(self):
        self.a = 1
        self.b = [2]
o = A()
print(o.__class__, o.__class__.__name__, type(o) is o.__class__, o.__class__.x)
print(o.__dict__, vars(o))
o.__dict__["c"] = 3
print(o.c, sorted(vars(o)))
print([1].__class__, (1).__class__.__name__, "s".__class__ is str)
try:
    vars(5)
except TypeError as e:
    print("TypeError:", e)
print(A.__name__, A.x, isinstance(o, o.__class__))
for k, v in vars(o).items():
    print(k, v)
