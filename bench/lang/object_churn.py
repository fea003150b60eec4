# 3*10^5 calls that build and drop lists, strings, dicts, tuples: memory must stay flat
def mk(i):
    return [i, str(i), {"k": i}, (i, i)]
n = 0
for i in range(300000):
    v = mk(i)
    n += len(v[1]) + len(f"{i}-{v[0]}")
print(n)
