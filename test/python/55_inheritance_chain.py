class Shape:
    sides = 0
    def __init__(self, name):
        self.name = name
    def area(self):
        raise NotImplementedError("area of " + self.name)
    def describe(self):
        return f"{self.name}: {self.sides} sides, area {self.area():.2f}"
class Rect(Shape):
    sides = 4
    def __init__(self, w, h, name="rect"):
        super().__init__(name)
        self.w, self.h = w, h
    def area(self):
        return self.w * self.h
class Square(Rect):
    def __init__(self, s):
        super().__init__(s, s, "square")
class Tri(Shape):
    sides = 3
    def __init__(self, b, h):
        super().__init__("tri")
        self.b, self.h = b, h
    def area(self):
        return 0.5 * self.b * self.h
shapes = [Rect(2, 3), Square(2.5), Tri(3, 4)]
for s in shapes:
    print(s.describe(), isinstance(s, Rect), type(s).__name__)
print(sorted(shapes, key=lambda s: s.area())[0].name, sum(s.area() for s in shapes))
try:
    Shape("blob").describe()
except NotImplementedError as e:
    print("NotImplementedError:", e)
print(Square.sides, Square.__name__, issubclass(Square, Shape))
