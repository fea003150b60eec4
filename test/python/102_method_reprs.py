# How methods print (CPython's Objects/classobject.c method_repr): a bound method names its
# function's qualified name and its object's repr; a built-in type's method names the type
# (its address is checked only for its shape here, as CPython's differs from run to run).
import math, os, sys
class A:
    def f(self):
        return 1

    def __repr__(self):
        return "A()"

    class Inner:
        def g(self):
            pass


class B(A):
    @classmethod
    def c(cls):
        return cls

    @staticmethod
    def s():
        return 2


print(A().f)
print(B().f, B.c)
m = B().f
print(m(), repr(m) == str(m))
inner = A.Inner()
print(repr(inner.g).startswith("<bound method A.Inner.g of <__main__.A.Inner object at 0x"))
for x in [[].append, "ab".upper, {}.get, {1}.add, (1,).count]:
    r = repr(x)
    print(r[: r.index(" at 0x")], r.endswith(">"))
print(len, print, sorted)
print(type(A().f).__name__, type([].append).__name__)
print(open, input, abs)
print(math.sqrt, math.exp, sys.exit, os.system)
