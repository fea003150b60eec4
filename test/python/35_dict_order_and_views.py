d = {}
for k in ["z", "a", "m", "b"]:
    d[k] = len(d)
print(d, list(d), [k for k in d.keys()], sum(d.values()))
del d["a"]
d["a"] = 99
print(d)
inv = {v: k for k, v in d.items()}
print(inv, sorted(inv.items(), key=lambda kv: kv[1]))
counts = {}
for ch in "abracadabra":
    counts[ch] = counts.get(ch, 0) + 1
print(counts, sorted(counts, key=lambda c: (-counts[c], c)))
merged = dict(d)
merged.update(counts)
print(merged == {**d, **counts}, len(merged), "z" in merged, merged.get("q", "missing"))
print({(1, 2): "tuple key"}[(1, 2)], {1: "a", 1.0: "b"}, {True: 1, 1: 2})
