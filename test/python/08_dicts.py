d = {"b": 2, "a": 1}
d["c"] = 3
print(d, len(d), d["a"], d.get("z"), d.get("z", 0), "a" in d, "z" not in d)
print(list(d.keys()), list(d.values()), list(d.items()))
for k in d:
    print(k, d[k])
for k, v in sorted(d.items()):
    print(k, v)
d.update({"a": 10, "e": 5}); d.update(f=6)
print(d, d.pop("b"), d.pop("zz", None), d)
print(d.setdefault("g", 7), d.setdefault("a", 0), d)
del d["g"]
print(d, dict(a=1, b=2), dict([("x", 1), ("y", 2)]), dict(zip("ab", [1, 2])))
counts = {}
for w in "the cat the dog the end".split():
    counts[w] = counts.get(w, 0) + 1
print(counts, max(counts, key=counts.get))
nested = {"k": {"inner": [1, 2]}}
nested["k"]["inner"].append(3)
print(nested, {1: "int", 1.5: "float", (1, 2): "tuple", None: "none", True: "bool?"})
e = d.copy(); e.clear(); print(e, d == d.copy(), {**d, "z": 0})
