class Animal:
    kind = "animal"
    count = 0
    def __init__(self, name, sound="..."):
        self.name = name
        self.sound = sound
        Animal.count += 1
    def speak(self):
        return f"{self.name} says {self.sound}"
    def __repr__(self):
        return f"Animal({self.name!r})"
class Dog(Animal):
    kind = "dog"
    def __init__(self, name):
        super().__init__(name, "woof")
        self.tricks = []
    def add_trick(self, t):
        self.tricks.append(t)
        return self
    def speak(self):
        return super().speak() + "!"
a = Animal("cat", "meow")
d = Dog("rex")
d.add_trick("sit").add_trick("roll")
print(a.speak(), d.speak(), d.tricks, Animal.count, a.kind, d.kind, Dog.kind)
print(a, [a, d], isinstance(d, Animal), isinstance(a, Dog), isinstance(d, (int, Dog)), type(a).__name__, type(d) == Dog)
print(hasattr(d, "tricks"), hasattr(d, "wings"), getattr(d, "name"), getattr(d, "wings", None))
setattr(d, "age", 3)
print(d.age, issubclass(Dog, Animal), issubclass(Animal, Dog))
class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def __add__(self, o):
        return Point(self.x + o.x, self.y + o.y)
    def __eq__(self, o):
        return self.x == o.x and self.y == o.y
    def __str__(self):
        return f"({self.x}, {self.y})"
    def __len__(self):
        return 2
    def __call__(self, k):
        return self.x * k
p = Point(1, 2) + Point(3, 4)
print(p, str(p), p == Point(4, 6), p != Point(0, 0), len(p), p(10))
