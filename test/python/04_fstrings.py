x = 3.14159
n = 42
name = "seed"
print(f"{x}", f"{x:.2f}", f"{x:8.3f}|", f"{x:<8.1f}|", f"{x:e}", f"{x:.3g}", f"{n:05d}", f"{n:x}", f"{n:#x}", f"{n:b}")
print(f"{name!r}", f"{name:>8}", f"{name:^9}|", f"{name:*<7}", f"{n:,}", f"{1234567.891:,.2f}", f"{0.25:.1%}")
print(f"{n + 1} {n * 2} {'nested'} {[1, 2][0]} {{literal}}")
w = 10
print(f"{x:{w}.2f}|", f"{n=}", f"{x = :.1f}")
print(f"{-5:+d} {5:+d} {5: d} {-0.5:.0f} {1.5:.0f} {2.5:.0f}")
print(f"{True} {None} {[1, 'a']} {(1,)} {3:>4}")
