# Python's Ellipsis: the `...` literal, its type, identity, and NumPy indexing with it.
import numpy as np

x = ...
print(x, repr(x), str(...), type(...), type(Ellipsis).__name__)
print(... is Ellipsis, x == Ellipsis, ... is not None, None is ..., bool(...))
print([..., 1], (...,), {...: "dots"}[Ellipsis], hash(...) == hash(Ellipsis))
print(isinstance(..., type(Ellipsis)), isinstance(None, type(...)))


def stub():
    ...


class Empty:
    ...


print(stub(), type(Empty()).__name__, f"{...}", "%s" % (...,))

a = np.arange(24).reshape(2, 3, 4)
print(a[..., 1])
print(a[..., 1:])
print(a[0, ..., 2])
print(a[1, ...])
print(a[..., ::-2].shape, a[:, ..., -1])
print(a[...].shape, a[0, 1, ..., 3], a[0, 1, 3, ...])
m = np.arange(6.0).reshape(2, 3)
print(m[..., 0], m[1, ...], m[..., -1, :])
try:
    a[..., ...]
except IndexError as e:
    print("IndexError:", e)
try:
    m[1, ..., 2, 0]
except IndexError as e:
    print("IndexError:", e)
try:
    m[..., 5]
except IndexError as e:
    print("IndexError:", e)
