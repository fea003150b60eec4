# repr() escapes what str.isprintable() calls unprintable (lang/unprintable.c, CPython 3.11's tables); ascii() all non-ASCII.
for s in ['\xa0', 'a\u2003b', '\u200b', '\u2028x', '\ufeff', '\xad', 'caf\xe9', '\x85', '\x9f', '日本', '\U0001F600', '\ue000', '\U000e0001', '\u0378', 'é\'"', '\x7f\x01', 'tab\t']:
    print(repr(s), ascii(s), [s], s.isprintable() if False else '', repr((s,)))
