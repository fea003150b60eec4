# an attribute numpy.ndarray does not have is an AttributeError, as a value or as a call,
# and try/except catches it
import numpy as np
a = np.zeros((2, 3))
for name in ["pshea", "lenght", "Shape"]:
    try:
        print(getattr(a, name))
    except AttributeError as e:
        print("AttributeError:", e)
try:
    a.pshea()
except AttributeError as e:
    print("call:", e)
print(a.shape, a.T.shape, hasattr(a, "nope"))
