# format precision of any size prints every digit (a 512-byte buffer cut it at 511); thousands
# separators with long fractions; %-format widths past Py_ssize_t, NaN and infinity to %d, %x of a float
print(len("{:.1000f}".format(1.5)), len("{:.600e}".format(1.5)), len("{:.700g}".format(0.1)), len(format(2.0**1000, ".20f")), len("{:.500%}".format(0.25)))
print("{:,.2f}".format(1234567.891), "{:_.3f}".format(-9876543.21), "{:,}".format(1234567), format(2.0**100, ",.1f"))
print(len("{:,.800f}".format(2.0**200)), "{:,.800f}".format(2.0**200)[:80])
print("%.3f|%10.2e|%-8d|%05d" % (3.14159, 12345.678, 42, -7), "%d" % 2.9)
for f, a in [("%99999999999999999999d", 1), ("%.99999999999999999999f", 1.5), ("%d", float("nan")), ("%d", float("inf")), ("%i", -float("inf"))]:
    try:
        print(f % a)
    except Exception as e:
        print(type(e).__name__, e)
print(len("%.700f" % 1.5), len("%.700e" % 1.5))
for f in ["%x", "%o", "%X"]:
    try:
        print(f % 255.7)
    except TypeError as e:
        print("TypeError", e)
