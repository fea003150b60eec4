# Repetition of strings, lists and tuples: an empty sequence times any count is empty at
# once (the fuzzer found "" * 922337208775 running for minutes), a count of 0 or below
# gives an empty one, and True and False count as 1 and 0.
print(repr("" * 922337208775), [] * 922337208775, () * 10**15, [] * -5)
print("ab" * 3, 3 * "ab", "ab" * 0, "ab" * -2, "ab" * True, "ab" * False)
print([1, [2]] * 2, 2 * (1,), (1, 2) * -1, [None] * 3)
a = [[0]] * 3
a[0].append(1)
print(a)
s = ""
for i in range(3):
    s = s * 10**12
print(repr(s), len([[]] * 4))
