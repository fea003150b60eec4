class Counter:
    instances = []
    def __init__(self, start=0):
        self.value = start
        Counter.instances.append(self)
    def increment(self, by=1):
        self.value += by
        return self.value
    def __repr__(self):
        return "Counter(%d)" % self.value
    def __lt__(self, other):
        return self.value < other.value
c1 = Counter()
c2 = Counter(10)
c1.increment(); c1.increment(5); c2.increment()
print(c1, c2, Counter.instances, len(Counter.instances), sorted([c2, c1]), c1 < c2)
inc = c1.increment
print(inc(), inc(), c1.value)
class Base:
    def describe(self):
        return f"{type(self).__name__}: {self.info()}"
    def info(self):
        return "base"
class Child(Base):
    def info(self):
        return "child of " + super().info()
class GrandChild(Child):
    pass
print(Base().describe(), Child().describe(), GrandChild().describe(), isinstance(GrandChild(), Base))
class Stack:
    def __init__(self):
        self.items = []
    def push(self, x):
        self.items.append(x)
    def pop(self):
        return self.items.pop()
    def __len__(self):
        return len(self.items)
    def __bool__(self):
        return len(self.items) > 0
    def __iter__(self):
        return iter(self.items[::-1])
    def __getitem__(self, i):
        return self.items[i]
    def __contains__(self, x):
        return x in self.items
s = Stack()
for i in range(4):
    s.push(i * i)
print(len(s), s.pop(), list(s), s[0], [x for x in s], 4 in s, 7 in s)
obj = Stack()
obj.extra = "dynamic"
print(obj.extra, obj.items)
