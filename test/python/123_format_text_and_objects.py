# format() of str, int, float, bool and None against CPython: string spec errors, zero padding
# of text, precision without a type, non-ASCII widths and fills, a class's own __format__.
for v in ['ab', 'hello', 5, -5, 2.5, True, None]:
    for s in [',', '_', '<5', '^7', '=5', '05', '.1', '+', '#', 's', 'd', 'x>4', '0<6', ',.2', '10.3s']:
        try:
            print(repr(v), repr(s), repr(format(v, s)))
        except (ValueError, TypeError) as e:
            print(repr(v), repr(s), type(e).__name__, e)
for v in [2.5, 20.0, 123456.0, 0.0001, 1e-5, 100.0, 99.99, 0.0, -0.0, 1.0, 10.0, 0.5, 1234.5678, 1e16, 1e-7, 0.00012345, float('inf'), float('nan')]:
    print([format(v, s) for s in ['.1', '.2', '.3', '.5', '#.1', '#.3', '10.2', '.0', '.17', '#']])
for s in ['é', 'naïve', '日本']:
    print(repr(f'{s:<6}|{s:>6}|{s:^7}|{s:.2}|{s:*^8}|{s:é>5}|'), repr('%-6s|%5.1s|' % (s, s)))
print(repr(f'{3.5:é^9}'), repr(format(5, '<05')), repr(format(5, '>05')), repr(format(-5, '^06')), repr(format(2.5, 'x<08.2f')))
class A:
    def __format__(self, spec): return 'A[' + spec + ']'
class B:
    def __format__(self, spec): return 5
print(format(A(), 'xy'), f'{A():>3}', f'{A()}')
try:
    format(B(), 'q')
except TypeError as e:
    print(e)

import numpy as np
tests=[(1,'abc'),(1,',_'),(1,'_,'),(1,'.f'),('a',' 5'),('a','+5'),(-0.0,'z.1f'),(-0.001,'z.2f'),(-0.001,'z.2e'),(-0.001,'z.1%'),(-0.0,'z'),(-1.5,'z.1f'),(0,'z'),('a','z'),(3,'c'),(65,'05c'),(233,'>3c'),(65,'+c'),(65,'#c'),(-1,'c'),(65,'.2c'),(2.5,'z=+8.1f'),(float('-nan'),'z'),(-0.0004,'z.3g'),(-0.0004,'z.3'),(np.float32(1),'d'),(np.int64(3),'s'),(np.float64(-0.0),'z.1f'),(0,'^5c'),(1e-300,'z.2f'),(-1e-300,'z.2f'),(-1e-300,'z,.2f')]
for v,s in tests:
  try: print(repr(v), repr(s), repr(format(v,s)))
  except Exception as e: print(repr(v), repr(s), type(e).__name__, e)

for v, s in [('x', 'zd'), ('x', '+z8'), (5, 'z.3'), (1.5, '__'), (1, ',,d'), (1, 'é'), (1, '\x1f'), (1, ' '), (1, ' d'), ('x', ' '), (2.5, 'z.1f'), (-0.0, 'z'), (5, 'zc'), (5, '.1c'), (65, 'c'), ('a', '_'), ('a', ',s'), (1.5, ',_'), (1.5, '_,'), (3, ',x'), (3, '_x'), (True, 'z'), (2.5, 'd'), (2.5, 'c'), ('s', 's')]:
    try:
        print(repr(v), repr(s), repr(format(v, s)))
    except (ValueError, TypeError) as e:
        print(repr(v), repr(s), type(e).__name__, e)
