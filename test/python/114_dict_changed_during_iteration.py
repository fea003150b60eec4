# A dict or set changed in size while it is iterated is CPython's RuntimeError (sticky, as
# di_used); a key deleted and another added is 'keys changed'; deleting leaves a hole the
# iterator steps over (dict.c DKIX_DUMMY), so positions hold.
d = {1: "a", 2: "b", 3: "c"}
try:
    for k in d:
        if k == 2:
            del d[k]
except RuntimeError as e:
    print("RuntimeError:", e, d)
d = {1: "a", 2: "b"}
try:
    for k, v in d.items():
        d[k + 10] = v
except RuntimeError as e:
    print("RuntimeError:", e, len(d))
d = {1: "a", 2: "b"}
try:
    for k in d.keys():
        del d[k]
        d[k + 100] = 0
except RuntimeError as e:
    print("RuntimeError:", e, d)
s = {1, 2, 3}
try:
    for x in s:
        s.add(x * 10)
except RuntimeError as e:
    print("RuntimeError:", e, len(s))
d = {1: 1, 2: 2}
for k in d:
    d[k] = d[k] * 10
print(d)
for k in list(d):
    del d[k]
print(d)
d = {1: 1}
it = iter(d)
d[2] = 2
for attempt in range(2):
    try:
        next(it)
    except RuntimeError as e:
        print("RuntimeError:", e)
d = {1: 1, 2: 2}
for k in d:
    d.pop(k)
    d[k] = 0
    break
print(d, [k for k in d])
d = {}
for i in range(200000):
    d[i] = i
    if i % 3:
        del d[i]
print(len(d), sum(d), list(d)[:5], list(d)[-3:])
for k in list(d):
    if k % 2:
        del d[k]
print(len(d), list(d.items())[:3])
d.update({-1: 0})
print(list(d)[-2:], -1 in d, 3 in d, 6 in d)
e = {}
for i in range(300000):
    e[i % 7] = i
    del e[i % 7]
print(e, len(e))

d = {0:0, 1:1, 2:2}
it = iter(d)
next(it)
del d[0]
d[7] = 7
try:
    for x in it: pass
except RuntimeError: pass
print(list(it))
for n in range(6, 11):
    d = {i: i for i in range(n)}
    out = []
    try:
        for k in d:
            out.append(k)
            del d[k]
            d[k+100] = 0
    except RuntimeError as e:
        out.append(str(e))
    print(n, out[-3:])
