# str methods against CPython: ASCII text through every method seedflow has (case, classes,
# partition, splitlines, expandtabs, count with bounds, the padding methods with CPython's
# odd-width rule), and non-ASCII text by characters: indexing, slices, widths, strip sets.
strs = ['', 'a', 'abc', 'Hello World', '  padded  ', 'a,b,,c', 'x.y.z', 'MiXeD CaSe', 'tab\tsep\tx', 'line1\nline2\r\nl3\rl4\x0cl5\x1cl6\n',
        '123', '12.5', '-7', 'aaa', 'abcabcabc', 'snake_case_name', 'CamelCase', "they're 1st", 'hello  world  ', '0x1f', 'A\x1fB c', 'class', '_x9', '9x']
calls = [('upper', ()), ('lower', ()), ('title', ()), ('capitalize', ()), ('swapcase', ()), ('casefold', ()), ('strip', ()),
         ('lstrip', ()), ('rstrip', ()), ('strip', ('a',)), ('split', ()), ('split', (',',)), ('split', (' ', 1)), ('rsplit', ()),
         ('rsplit', ('.', 1)), ('count', ('a',)), ('count', ('a', 1, 5)), ('count', ('', 2)), ('count', ('ab', -4)), ('count', ('', 50)),
         ('isdigit', ()), ('isalpha', ()), ('isalnum', ()), ('isspace', ()), ('isupper', ()), ('islower', ()), ('isdecimal', ()),
         ('isnumeric', ()), ('istitle', ()), ('isidentifier', ()), ('zfill', (8,)), ('center', (11, '*')), ('center', (12, '*')),
         ('center', (4,)), ('ljust', (8,)), ('rjust', (8, '.')), ('partition', (',',)), ('rpartition', ('.',)), ('partition', ('l',)),
         ('removeprefix', ('a',)), ('removesuffix', ('c',)), ('splitlines', ()), ('splitlines', (True,)), ('expandtabs', ()),
         ('expandtabs', (4,)), ('expandtabs', (0,))]
for s in strs:
    out = []
    for name, args in calls:
        try:
            out.append(repr(getattr(s, name)(*args)))
        except (ValueError, TypeError) as e:
            out.append(type(e).__name__ + ': ' + str(e))
    print(repr(s), ' '.join(out))
for s in ['Ünïcödé', 'naïve café', '日本語テキスト', 'a€b€c', 'x😀yz']:
    print(len(s), s[0], s[-1], s[1:4], s[::-1], s[::2], s[-3:], s[5:1:-1], list(s)[:3], s.find(s[2]), s.count(s[1]),
          s.center(12, '·'), s.ljust(10, '-'), s.rjust(10), s.zfill(12), s.strip(s[0] + s[-1]), s.lstrip(s[:2]), s.rstrip(s[-2:]),
          s.partition(s[2]), s.split(s[3]), s.replace(s[1], '_'), s.startswith(s[:2]), s.endswith(s[-1]), s.count(''), sep='|')
for f in (lambda: 'a'.upper(1), lambda: 'a'.isdigit(x=1), lambda: 'ab'.center(5, 'xy'), lambda: 'a'.center(5, 1),
          lambda: 'a'.partition(''), lambda: 'a'.removeprefix(1), lambda: 'a'.strip(1), lambda: 'a'.count(), lambda: 'a'.count('a', 'b')):
    try:
        print(repr(f()))
    except (ValueError, TypeError) as e:
        print(type(e).__name__ + ':', e)

for f in (lambda: str.upper(), lambda: str.upper(5), lambda: set.union(), lambda: dict.get(), lambda: 'a b'.split(' ', sep=' '), lambda: 'a'.split(x=1), lambda: 'a'.split(1,2,3), lambda: 'a'.rsplit(maxsplit='x'), lambda: dict.fromkeys(iterable='ab'), lambda: 'a'.rsplit(None, 1, 2), lambda: 'a b c'.rsplit(maxsplit=1), lambda: 'a,b'.split(sep=','), lambda: str.split('a b')):
  try:
    print(f())
  except TypeError as e:
    print(e)

s = 'a' + chr(0) + 'b'
print(s.splitlines(), s.split(chr(0)), repr(s.replace(chr(0), '-')), repr('x€_'.replace('', '\t')), repr('x€_'.replace('', '|', 2)))
z = 'hello world'
for args in [('h',), ('e', 1), ('o', 4, 5), ('hello', 0, 4), ('', 11), ('', 12), (('x', 'w'), 6), ('d', -1), ('l', 2, 3), ('lo', -8, -6)]:
    print(args, z.startswith(*args), z.endswith(*args))
print(hasattr(5, '__len__'), hasattr('a', '__foo__'), getattr({}, '__missing__', 'none'), hasattr(5, '__dict__'))
