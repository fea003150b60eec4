# getattr() / hasattr() see what x.name sees: NumPy arrays' attributes, modules, instances, defaults
import math

import numpy as np

x = np.zeros((2, 3), dtype=np.float32)
print(hasattr(x, "shape"), hasattr(x, "numpy"), hasattr(x, "T"), getattr(x, "ndim"), getattr(x, "shape"))
print(getattr(x, "dtype"), getattr(x, "nope", 5), getattr(np.float32(2.5), "dtype"))
print(hasattr(x, "ptp"), hasattr(x, "sum"), hasattr(x, "tolist"), getattr(x, "sum")())
try:
    getattr(x, "nope")
except AttributeError as e:
    print(e)


class A:
    y = 1

    @property
    def p(self):
        return self.y + 1


a = A()
print(hasattr(a, "y"), hasattr(a, "z"), getattr(a, "z", 0), getattr(a, "p"), hasattr(A, "p"))
print(hasattr(math, "pi"), hasattr(math, "nope"), getattr(math, "e") > 2)
print(hasattr([], "append"), hasattr("s", "nope"), getattr("abc", "upper")())
