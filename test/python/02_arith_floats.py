# float arithmetic and CPython's shortest repr
vals = [0.1, 0.2, 0.1 + 0.2, 1 / 3, 2 / 3, 1e16, 1e15, 123456789.123, 1e-5, 1.5e-4, 0.0001, 1e22, 1e-7, 5e-324, 1.7976931348623157e308]
for v in vals:
    print(v, -v, repr(v), str(v))
print(7 / 2, -7 / 2, 7.5 // 2, -7.5 // 2, 7.5 % 2, -7.5 % 2, 2 ** -1, 2.0 ** 0.5)
print(float('inf'), float('-inf'), -0.0, 0.0 * -1, 3.0, 100.0, 1e100)
print(float('1.5'), float(' 2 '), int(3.99), int(-3.99), int('42'), int('-0x1f', 16), int('0b101', 0))
print(round(2.5), round(3.5), round(-2.5), round(2.675, 2), round(1234.5678, -2), round(7, -1), round(0.125, 2))
print(abs(-2.5), abs(3), max(1.5, 2), min(-1, -1.5), sum([0.1] * 10))
