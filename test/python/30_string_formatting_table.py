rows = [("relu", 0.91234, 120), ("tanh", 0.8876, 95), ("sigmoid", 0.79, 1500)]
print(f"{'name':<10}|{'acc':>8}|{'steps':>6}")
print("-" * 26)
for name, acc, steps in rows:
    print(f"{name:<10}|{acc:>8.3f}|{steps:>6d}")
for name, acc, steps in rows:
    print("%-10s|%8.2f|%6d" % (name, acc, steps))
for name, acc, steps in rows:
    print("{:<10}|{:>8.1%}|{:>6,}".format(name, acc, steps))
print(f"{12345678:,}", f"{-1234.5:,.1f}", f"{255:08b}", f"{3:03}", f"{'x':^5}|", f"{7:+}", f"{1e-10:g}", f"{1e20:g}", f"{123.456:e}")
