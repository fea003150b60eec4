class Node:
    def __init__(self, value, children=None):
        self.value = value
        self.children = children or []
    def add(self, child):
        self.children.append(child)
        return child
    def walk(self, depth=0):
        yield_list = [(depth, self.value)]
        for c in self.children:
            yield_list.extend(c.walk(depth + 1))
        return yield_list
    def __repr__(self):
        return f"Node({self.value!r}, {len(self.children)} children)"
root = Node("root")
a = root.add(Node("a"))
a.add(Node("a1"))
a.add(Node("a2"))
root.add(Node("b"))
for depth, value in root.walk():
    print("  " * depth + value)
print(root, root.children, a.children[1])
shared = Node("shared")
x = Node("x", [shared])
y = Node("y", [shared])
shared.value = "changed"
print(x.children[0].value, y.children[0].value, x.children[0] is y.children[0])
