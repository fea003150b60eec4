# Slices with steps and bounds near 2**63: the number of items they take never overflows.
import numpy as np

big = 9223372036854775807
l = list(range(5))
s = "abcde"
t = tuple(l)
a = np.arange(5.0)
for seq in [l, s, t, a]:
    print(seq[:big:big], seq[::big], seq[1::big // 2], seq[::-big], seq[big::-big], seq[-big - 1::-1], seq[-big - 1:big:2])
r = range(5)
print(list(r[::big]), list(r[::-big]))
l[::big] = ["x"]
print(l)
a[::-big] = 7
print(a)
