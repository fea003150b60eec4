nums = [3, 1, 4, 1, 5, 9, 2, 6]
print(sum(n * n for n in nums), max(n for n in nums if n % 2 == 0), min((n, -n) for n in nums))
print(sorted((n % 3, n) for n in nums), list(n for n in range(3)), set(n % 2 for n in nums) == {0, 1})
print(",".join(str(n) for n in nums), any(n > 8 for n in nums), all(n > 0 for n in nums), dict((n, n * 2) for n in range(3)))
g = (x * 2 for x in range(4))
print(next(g), next(g), list(g), list(g))
print(tuple(sorted(set(nums))), len([1 for _ in nums]))
