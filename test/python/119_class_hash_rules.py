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
class E:
    def __eq__(self, o): return True
class G:
    def __init__(self, v): self.v = v
    def __hash__(self): return self.v
class L(list):
    pass
d = {1: 2}
for f in (lambda: d.__delitem__ if False else None,):
    pass
try:
    del d[E()]
except TypeError as e:
    print("TypeError", e)
try:
    del d[[1]]
except TypeError as e:
    print("TypeError", e)
s = {1}
for k in (E(), [1]):
    for m in (s.discard, s.remove):
        try:
            m(k)
        except TypeError as e:
            print("TypeError", e)
for v in (2**62, 2**61 - 1, -(2**61 - 1), 9223372036854775807, -9223372036854775807 - 1, -1, 5, True):
    print(hash(G(v)))
try:
    print({L()})
except TypeError as e:
    print("TypeError", e)
