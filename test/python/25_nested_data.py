data = {
    "models": [
        {"name": "a", "layers": [64, 32], "dropout": 0.5},
        {"name": "b", "layers": [128], "dropout": 0.25},
    ],
    "seed": 42,
}
for m in data["models"]:
    print(m["name"], sum(m["layers"]), m["dropout"] * 2, len(m))
data["models"][0]["layers"].append(16)
print(data)
print(sorted(data), [m["name"] for m in data["models"] if m["dropout"] > 0.3])
grid = [[r * 3 + c for c in range(3)] for r in range(3)]
print(grid, [row[1] for row in grid], grid[2][::-1], [sum(r) for r in grid], list(map(list, zip(*grid))))
copy = [row[:] for row in grid]
copy[0][0] = -1
print(grid[0][0], copy[0][0])
t = ((1, 2), (3, 4))
print(dict(t), [a * b for a, b in t], {v: k for k, v in dict(t).items()})
