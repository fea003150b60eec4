# PyObject_RichCompareBool inside list, tuple and dict comparisons, 'in', index and count:
# an instance's __eq__, NumPy arrays element-wise then their truth (NumPy's ValueError when
# ambiguous), the same object equal without a look.
import numpy as np
a = np.array([1, 2])
b = np.array([1, 2])
s = np.array(3)
print(a in [a], s in [3], np.array(3.0) in [1, 3], 3 in [np.array(3)], [s] == [3], [s] == [4])
print([np.float32(1.5)] == [1.5], (np.array(2),) == (2,), {"k": np.array(1)} == {"k": 1}, [1, 2].index(np.array(2)))
print([3, s, 3].count(3), [np.array(5), 4].count(5))
for expr in ("b in [a]", "[a] == [b]", "[1, 2].count(a)", "{'k': a} == {'k': b}"):
    try:
        print(expr)
        if expr == "b in [a]":
            b in [a]
        elif expr == "[a] == [b]":
            [a] == [b]
        elif expr == "[1, 2].count(a)":
            [1, 2].count(a)
        else:
            {'k': a} == {'k': b}
    except ValueError as e:
        print("ValueError:", e)


class Eq:
    def __init__(self, v):
        self.v = v

    def __eq__(self, other):
        return isinstance(other, Eq) and self.v == other.v


print([Eq(1)] == [Eq(1)], [Eq(1)] == [Eq(2)], Eq(3) in [Eq(3)], [Eq(1), Eq(2)].index(Eq(2)), {"x": Eq(1)} == {"x": Eq(1)})
print((1, [Eq(2)]) == (1, [Eq(2)]), [[1, 2], [3]] == [[1, 2], [3]], {1: {2: [3]}} == {1: {2: [3]}}, [1, 2] == [1, 2.0])
