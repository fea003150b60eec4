# pow(base, exp, mod) on ints as CPython's long_pow: mod's sign, a negative exp's modular
# inverse (3.8+), products past 64 bits, and its errors
for args in [(2, 10, 1000), (2, 3, -5), (-2, 3, 5), (-2, 3, -5), (3, 0, 1), (3, 0, -1), (2, -1, 7), (3, -2, 11), (-3, -1, 7),
             (2, -1, -7), (10**18, 10**18, 10**18 - 11), (-9223372036854775807 - 1, 3, 9223372036854775807), (7, 2**62, -9223372036854775807 - 1), (True, 5, 3), (5, 1, 9223372036854775807)]:
    print(args, pow(*args))
for args in [(2, 3, 0), (2.0, 3, 5), (2, -1, 4), (4, -1, 1)]:
    try:
        print(pow(*args))
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
print(pow(2, 10), pow(2.0, 0.5), pow(2, 3, None))
