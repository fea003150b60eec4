class Registry:
    _items = {}
    @classmethod
    def register(cls, name, value):
        cls._items[name] = value
        return cls
    @staticmethod
    def describe(v):
        return f"<{v}>"
    @property
    def size(self):
        return len(self._items)
Registry.register("a", 1).register("b", 2)
r = Registry()
print(Registry._items, Registry.describe(3), r.describe("x"), r.size)
class Temperature:
    def __init__(self, c):
        self._c = c
    @property
    def fahrenheit(self):
        return self._c * 9 / 5 + 32
    @fahrenheit.setter
    def fahrenheit(self, f):
        self._c = (f - 32) * 5 / 9
t = Temperature(100)
print(t.fahrenheit)
t.fahrenheit = 32
print(t._c, t.fahrenheit)
