# print's sep and end belong to its own call: a print inside an argument's __str__ (run while
# the outer print writes) does not change the outer's.
class A:
    def __str__(self):
        print("inner", 1, sep="+", end="|")
        return "A!"
print("x", A(), "y", sep="--", end="<\n")
for i in range(3):
    print(i, i * 2, sep=":", end=" ")
print()
print("done", [1, 2], (3,), sep=", ")
