cases = ['', ' ', 'a', '  a  b   c  ', 'a,b,,c', ',a,', 'abcabc', 'aaaa', 'x  y\tz\n', 'a, b, c', 'hello world foo']
for s in cases:
    for sep in (None, ',', 'a', 'aa', ', ', ' '):
        for m in (-1, 0, 1, 2, 5):
            print(repr(s), repr(sep), m, s.rsplit(sep, m), s.rsplit(sep, maxsplit=m) == s.rsplit(sep, m))
print('a b c'.rsplit(), 'a b c'.rsplit(maxsplit=1), 'a.b.c'.rsplit('.', 1))
