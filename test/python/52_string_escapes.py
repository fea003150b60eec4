print("tab:\t|", "newline\\n literal", 'single \'quote\'', "double \"quote\"", "backslash \\")
print("\x41\x42", "\u00e9", r"raw\nstring", len("\n"), len(r"\n"))
print(repr("\t\n\\"), repr('a"b'), repr("a'b"), repr("a'b\"c"), repr("\x01\x1f"))
s = """triple
quoted"""
print(s, repr(s), s.split("\n"))
print("con" "cat" 'en' "ation", ("implicit"
    " join"))
