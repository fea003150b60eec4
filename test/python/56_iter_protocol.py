class Countdown:
    def __init__(self, start):
        self.n = start
    def __iter__(self):
        return self
    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n + 1
print(list(Countdown(5)))
for v in Countdown(3):
    print(v, end=" ")
print()
print(sum(Countdown(4)), [x * 2 for x in Countdown(3)], sorted(Countdown(3)))
it = iter(Countdown(2))
print(next(it), next(it), next(it, "end"))
class Range2:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        return iter(range(0, self.n, 2))
print(list(Range2(9)), max(Range2(7)), 4 in list(Range2(5)))
