# print writes each argument's whole str() or, when it raises, nothing of it: the
# arguments before it stay written (print_impl).
class A:
    def __repr__(self): raise ValueError("bad repr")
print("a", end=" ")
try:
    print("b", [1, 2, A()])
except ValueError as e:
    print("caught", e)
print("c")
