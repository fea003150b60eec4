class Box:
    def __init__(self):
        self.v = 1
        self.items = [1, 2]
b = Box()
b.v += 10
b.v *= 2
b.items += [3]
b.items[0] -= 5
print(b.v, b.items)
d = {"n": 1, "lst": [0]}
d["n"] += 1
d["n"] **= 3
d["lst"] += [1]
d["lst"][0] += 100
print(d)
m = [[1, 2], [3, 4]]
m[1][0] //= 2
m[0][1] %= 2
print(m)
s = "ab"
s += "cd"
s *= 2
print(s)
alias = b.items
b.items += [4]
print(alias is b.items, alias)
t = (1,)
t2 = t
t += (2,)
print(t, t2, t is t2)
