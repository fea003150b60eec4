import random
import math
random.seed(7)
xs = [random.uniform(-1, 1) for _ in range(50)]
ys = [3.0 * x - 0.5 + random.gauss(0, 0.1) for x in xs]
w, b = 0.0, 0.0
lr = 0.1
for epoch in range(200):
    gw = gb = 0.0
    for x, y in zip(xs, ys):
        err = w * x + b - y
        gw += 2 * err * x / len(xs)
        gb += 2 * err / len(xs)
    w -= lr * gw
    b -= lr * gb
    if epoch % 50 == 0:
        loss = sum((w * x + b - y) ** 2 for x, y in zip(xs, ys)) / len(xs)
        print(f"epoch {epoch:3d} loss {loss:.6f} w {w:.4f} b {b:.4f}")
print(round(w, 3), round(b, 3), math.isclose(w, 3.0, abs_tol=0.1))
