# Special methods: __iadd__ and kin are called by x op= y (else x op y), dict |= updates in
# place, __contains__, __reversed__, __ne__ and the bitwise operators' methods are called.
class Acc:
    def __init__(self): self.items = []
    def __iadd__(self, x):
        self.items.append(x)
        return self
    def __add__(self, x):
        return "add"
a = Acc()
b = a
a += 1
a += 2
print(a is b, a.items)
class OnlyAdd:
    def __init__(self, v): self.v = v
    def __add__(self, o): return OnlyAdd(self.v + o)
c = OnlyAdd(1); d = c
c += 5
print(c is d, c.v, d.v)
d1 = {'a': 1}; d2 = d1
d2 |= {'b': 2}
print(d1, d2, d1 is d2)
class Bag:
    def __init__(self, xs): self.xs = xs
    def __contains__(self, x): return x in self.xs
    def __reversed__(self): return iter(["r", "e", "v"])
    def __iter__(self): return iter(self.xs)
    def __ne__(self, o): return True
    def __eq__(self, o): return True
    def __and__(self, o): return "and"
    def __or__(self, o): return "or"
    def __xor__(self, o): return "xor"
    def __lshift__(self, o): return "lshift"
    def __rshift__(self, o): return "rshift"
b = Bag([1, 2])
print(1 in b, 3 in b, 3 not in b, list(reversed(b)), b != b, b != 1, 1 != b, b == b)
print(b & 1, b | 1, b ^ 1, b << 1, b >> 1)
