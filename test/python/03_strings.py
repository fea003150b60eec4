s = "Hello, World"
print(s.upper(), s.lower(), s.title(), len(s), s[0], s[-1], s[2:5], s[::-1], s[::2])
print(s.split(", "), "a b  c".split(), "a,b,,c".split(","), "x".join(["1", "2", "3"]))
print(s.replace("l", "L"), s.replace("l", "", 1), s.find("World"), s.find("z"), s.count("l"))
print(s.startswith("Hell"), s.endswith(("x", "ld")), "  pad  ".strip(), "xxhixx".strip("x"), "  a".lstrip(), "a  ".rstrip() + "|")
print("abc" * 3, "a" + "b", "ab" < "b", "abc" == "abc", "b" in "abc", "z" not in "abc")
print("42".isdigit(), "abc".isalpha(), "a1".isalnum(), " ".isspace(), "hello world".capitalize())
print("ab".ljust(5, "*") + "|", "ab".rjust(5) + "|", "ab".center(6, "-"), "42".zfill(5), "-42".zfill(6))
print(repr("it's"), repr('say "hi"'), repr("tab\there"), repr("nl\n"), str(12), str(None))
print(ord("a"), chr(65), "%s-%s" % ("a", 1), "".join(reversed("abc")))
for ch in "héllo":
    print(ch, end=".")
print()
print(len("héllo"))
