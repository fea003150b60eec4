# printf-style % formatting and str.format against CPython: integer precision, %c, * widths, length
# modifiers, keys with parentheses, %a and ascii(), nested replacement fields in specs, conversions
# and the format errors' texts.
tests = [('%05.3d', 7), ('%-6.3d|', 7), ('%+.3d', 7), ('%#.3x', 7), ('%#08.3x', 255), ('% 5.2d', -3), ('%.0d', 0), ('%ld', 5), ('%hd %Lf', (5, 2.5)), ('%*d', (5, 3)), ('%-*d|', (5, 3)), ('%*d|', (-5, 3)), ('%.*f', (2, 3.14159)), ('%.*f', (-2, 3.14159)), ('%*.*f|', (8, 3, 3.14159)), ('%c', 65), ('%c', 'z'), ('%5c|', 233), ('%-3c|', 'é'), ('%c', 0x1F600), ('%#o', 8), ('%#X', 255), ('%x', True), ('%d', True), ('%s', True), ('%r', 'é'), ('%a', 'é\u2003x\U0001F600'), ('%.2a', 'é'), ('%(a)s-%(b)d', {'a': 'x', 'b': 2}), ('%(a(b))s', {'a(b)': 1}), ('%i', 3.9), ('%u', -3.9), ('%s', {'a': 1}), ('%-5s|%5s|', ('ab', 'é')), ('%05s|%-05d|', ('ab', 3)), ('%+05.1f|%-8.2e|% g', (2.5, 1234.5, 0.1)), ('%3%|', ()), ('%.3s|%.1r', ('abcdef', 'xyz'))]
for f, a in tests:
    try: print(repr(f), repr(f % a))
    except Exception as e: print(repr(f), type(e).__name__, e)
for f, a in [('%c', 'ab'), ('%c', 0x110000), ('%c', -1), ('%c', 2.5), ('%*d', ('a', 1)), ('%.*f', (1.5, 1.0)), ('x%(a', {'a':1}), ('%(a)s %s', {'a':1}), ('%d', 'x'), ('%x', 'a'), ('%x', 2.5), ('%f', 'x'), ('%*d', {'a':1}), ('%s %s', (1,)), ('%d', [1]), ('%s %s', {'a': 1}), ('%s', (1, 2)), ('%(b)s', {'a': 1}), ('%y', 1), ('%', 1)]:
    try: print(repr(f), repr(f % a))
    except Exception as e: print(repr(f), type(e).__name__, e)
print(ascii('é'), ascii([1, 'ü', {'ß': 1}]), ascii(1.5), '{!a}'.format('é'), f'{"é"!a}')
class P:
    def __init__(self): self.x = 3; self.items = [10, 20]
d = {'k': 'v', 'n': {'m': 5}}
cases = [
    lambda: '{:>{}}'.format('a', 5),
    lambda: '{x:>{w}}'.format(x=1, w=4),
    lambda: '{0:{1}}'.format(3.5, '*^9'),
    lambda: '{:{}{}}'.format(2.5, '>', 8),
    lambda: '{0.x} {0.items[1]} {1[k]} {1[n][m]}'.format(P(), d),
    lambda: '{!r:>8}|{!s:<5}|{!a}'.format('é', 3, 'ü'),
    lambda: '{} {}'.format(1, 2),
    lambda: '{0} {}'.format(1, 2),
    lambda: '{} {0}'.format(1, 2),
    lambda: '{:{:{}}}'.format(1, 2, 3),
    lambda: '{a'.format(a=1),
    lambda: 'a}b'.format(),
    lambda: '{{}} {{{}}}'.format(7),
    lambda: '{0!x}'.format(1),
    lambda: '{0!}'.format(1),
    lambda: '{0!rx}'.format(1),
    lambda: '{2}'.format(1),
    lambda: '{nope}'.format(a=1),
    lambda: '{0[}'.format([1]),
    lambda: '{0]}'.format([1]),
    lambda: '{:%}'.format(0.25),
    lambda: '{0:{1}.{2}f}'.format(3.14159, 10, 3),
    lambda: f'{3.14159:{10}.{3}f}|{"x"!r:>{5}}',
    lambda: '{:{w}.{p}f}'.format(2.71828, w=9, p=2),
]
for c in cases:
    try:
        print(repr(c()))
    except (ValueError, IndexError, KeyError, TypeError, AttributeError) as e:
        print(type(e).__name__, e)
for f in ['{0:x', '{a', '{0!r', '{0!r:', '{0[1', '{:{', 'x{']:
  try:
    f.format(1)
  except Exception as e:
    print(repr(f), type(e).__name__, e)
print(str(object())[:15], repr(object())[:15], '%.15s' % object(), '{!r:.15}'.format(object()))
for f in (lambda: max(1, 2, default=0), lambda: min([], default='none'), lambda: max([3, 1], default=0)):
    try:
        print(f())
    except TypeError as e:
        print('TypeError:', e)

for f, a in [('%*d', (-9223372036854775807-1, 1)), ('%#*i', (9223372036854775807, {'a': 1})), ('%.*s', (2**31, 'x')), ('%(a)*d', {'a': 'x'}), ('%(a)*d', {'a': 5}), ('%(a).*f', {'a': 2}), ('%*.*f', (5, 2**31, 1.0)), ('%-*s|', (-3, 'a'))]:
    try:
        print(repr(f), repr(f % a))
    except (TypeError, ValueError, OverflowError, MemoryError) as e:
        print(repr(f), type(e).__name__, e)

class P:
    def __init__(self): self.x = 3
cases = [lambda: '{a{b}}'.format(a=1), lambda: '{a{b}'.format(a=1), lambda: '{k!'.format(k=1), lambda: '{k!a|'.format(k=1),
         lambda: '{}{!x}'.format(1), lambda: '{0.}'.format(1), lambda: '{0..x}'.format(1), lambda: '{0[]}'.format([1]),
         lambda: '{0.x}'.format(P()), lambda: '{0.y}'.format(P()), lambda: '{0!s:>4}|{0!r}'.format('a'), lambda: '{0[0]x}'.format([1]),
         lambda: '{.x}'.format(P()), lambda: '{!}'.format(1), lambda: '{:}'.format(5), lambda: '{0!r}'.format('q'), lambda: '{0!x}'.format(1)]
for c in cases:
    try:
        print(repr(c()))
    except (ValueError, IndexError, KeyError, TypeError, AttributeError) as e:
        print(type(e).__name__, e)
