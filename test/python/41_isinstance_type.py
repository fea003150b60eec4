vals = [1, 1.0, True, "s", [1], (1,), {1: 2}, {1}, None, range(2), len, lambda: 0]
for v in vals:
    print(type(v).__name__, isinstance(v, int), isinstance(v, (list, tuple)), isinstance(v, object), callable(v))
class A: pass
class B(A): pass
b = B()
print(type(b).__name__, type(b) is B, type(b) == A, isinstance(b, A), issubclass(B, object), type(A).__name__, type(type(1)).__name__)
print(type(1) == int, type("") is str, int is int, isinstance(True, bool), isinstance(1, bool))
