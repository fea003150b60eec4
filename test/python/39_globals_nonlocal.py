count = 0
history = []
def bump():
    global count
    count += 1
    history.append(count)
for _ in range(3):
    bump()
print(count, history)
def make_acc():
    total = 0
    items = []
    def add(x):
        nonlocal total
        total += x
        items.append(x)
        return total
    def get():
        return total, list(items)
    return add, get
add, get = make_acc()
add(5); add(7)
print(get())
def shadow():
    count = "local"
    return count
print(shadow(), count)
def outer():
    v = 1
    def mid():
        nonlocal v
        v += 1
        def inner():
            nonlocal v
            v *= 10
        inner()
    mid()
    return v
print(outer())
