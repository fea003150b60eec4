class P:
    def __init__(self, x): self.x = x
class E:
    def __init__(self, x): self.x = x
    def __eq__(self, o): return isinstance(o, E) and self.x == o.x
class H:
    def __init__(self, x): self.x = x
    def __eq__(self, o): return isinstance(o, H) and self.x == o.x
    def __hash__(self): return hash(self.x)
p = P(1)
print(len({p, p}), len({P(1), P(1)}))
try:
    s = {E(1)}
except TypeError as e:
    print("TypeError:", e)
try:
    d = {E(1): 2}
except TypeError as e:
    print("TypeError:", e)
try:
    print(hash(E(1)))
except TypeError as e:
    print("TypeError:", e)
print(len({H(1), H(2)}) if 0 else 1)
print(hash(H(5)), hash(H(-1)))
class F(E):
    pass
class N:
    __hash__ = None
for k in (F, N):
    try:
        {k(1) if k is F else k()}
    except TypeError as e:
        print("TypeError:", e)
d = {0: 1}
try:
    d.get([1])
except TypeError as e:
    print("TypeError:", e)
try:
    d.pop({})
except TypeError as e:
    print("TypeError:", e)
try:
    (1, E(2)) in {1: 2}
except TypeError as e:
    print("TypeError:", e)
print(E(1) in [E(1)], E(1) == E(1))
class Q:
    def __hash__(self): return "x"
try:
    hash(Q())
except TypeError as e:
    print("TypeError:", e)
