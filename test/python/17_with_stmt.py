class Ctx:
    def __init__(self, name, suppress=False):
        self.name = name
        self.suppress = suppress
    def __enter__(self):
        print("enter", self.name)
        return self.name.upper()
    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name, exc_type.__name__ if exc_type else None)
        return self.suppress
with Ctx("a") as v:
    print("inside", v)
with Ctx("outer") as o, Ctx("inner") as i:
    print("both", o, i)
with Ctx("quiet", suppress=True):
    raise ValueError("swallowed")
print("after suppressed")
try:
    with Ctx("loud"):
        raise KeyError("escapes")
except KeyError as e:
    print("caught", e)
def use():
    with Ctx("ret"):
        return "returned"
print(use())
