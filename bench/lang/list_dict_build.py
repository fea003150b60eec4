# building a 2*10^5-element list and dict
xs = []
d = {}
for i in range(200000):
    xs.append(i * 2)
    d[i] = str(i)
print(len(xs), len(d), sum(xs), d[777])
