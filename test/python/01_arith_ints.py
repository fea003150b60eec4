# int arithmetic: exact //, %, ** and signs
for a in (7, -7, 0, 13):
    for b in (2, -2, 5, -5):
        print(a, b, a + b, a - b, a * b, a // b, a % b, divmod(a, b))
print(2 ** 62, (-3) ** 5, 10 ** 18, 2 ** 0, 0 ** 0)
print(9223372036854775807, -9223372036854775807 - 1)
print(1 << 10, 1024 >> 3, -17 >> 2, 5 & 3, 5 | 3, 5 ^ 3, ~5)
x = 17
x += 3; x -= 1; x *= 2; x //= 3; x %= 7; x **= 3
print(x)
