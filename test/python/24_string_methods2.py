words = "The quick brown fox jumps over the lazy dog".split()
print(len(words), sorted(words), sorted(words, key=str.lower), [w[::-1] for w in words])
print(" ".join(w.capitalize() for w in words), "-".join(sorted(set("banana"))))
csv = "name,age\nann,30\nbob,25"
rows = [line.split(",") for line in csv.split("\n")]
print(rows, {r[0]: int(r[1]) for r in rows[1:]})
s = "a1b2c3"
print("".join(ch for ch in s if ch.isdigit()), "".join(ch for ch in s if ch.isalpha()), s.upper().lower())
print("abc"[1], "abc"[-1:], "abc"[5:], "%s" % "x", "tab\tsep".split("\t"), "a-b-c".split("-", 1))
print(str(1) + str(2.5) + str(True) + str([1]), "=" * 20)
print("Line1\nLine2".split("\n"), "x".join("abc"), "MiXeD".lower(), "MiXeD".upper(), "hello".title())
print("%-10s|%10s|" % ("left", "right"), "%c%c" % ("h", "i"), "%.2s" % "abcdef", "%5.1f%%" % 99.5)
