# format() and %-formatting of numbers against CPython on randomized values and specs:
# zero padding with grouping, '#' forms, 'G'/'E'/'F' capitals, 'n', '%' of inf and nan,
# integer precision and grouping errors, '%' format errors with their index.
import random

random.seed(9)
specs = ['', '.2f', '.0f', '10.3f', '<10.2e', '+.3g', 'g', '.10g', '%', '.1%', ',', '_', ',.2f', '08.3f',
         'e', '.3e', 'n', '>8', '^9', '*^11.2f', ' .4f', '#.0f', '.0e', '#g', '.15g', '.17g', 'E', 'G', 'F',
         '#', '#.3', '.3', '#10.4g', '#e', '#%', '#.0%', '.3n', '10n', '+#.2F', '#.1G', '.0G', '-^12.3E',
         '=+12.2f', '0=12.3f', '012,.2f', '#,.0f', ',.3%', '_.2e', '#_.1f', '+.0%', ' G', '#x', '#o', '#b',
         '#_x', ',d', '_b', '+n', '#08x', '010,', 'x=10', '#010.1%', ',x', '_n']
pct = ['%#.0f', '%G', '%E', '%F', '%#g', '%#.3g', '%+.2e', '% 10.3F', '%-10.2G|', '%010.4f', '%#x', '%#o',
       '%.0e', '%5.1%%', '%d', '%5.2f%%', '%y']
specials = [float('inf'), float('-inf'), float('nan'), -0.0, 0.0, 1e300, 5e-324, 0.5, 2.5, 1.5, 0.125, 100, 0, -7]
for t in range(700):
    r = random.random()
    if r < 0.4:
        x = random.uniform(-1e6, 1e6) * 10 ** random.randint(-12, 6)
    elif r < 0.6:
        x = random.randint(-10 ** 12, 10 ** 12)
    elif r < 0.7:
        x = random.choice(specials)
    else:
        x = round(random.uniform(-100, 100), random.randint(0, 6))
    s = random.choice(specs)
    q = random.choice(pct)
    try:
        print(repr(format(x, s)), repr(f'{x:{s}}'))
    except (ValueError, OverflowError, TypeError) as e:
        print(s, type(e).__name__, e)
    try:
        print(repr(q % x))
    except (ValueError, OverflowError, TypeError) as e:
        print(q, type(e).__name__, e)
for f in ['ab%y', '\u00e9%\u00e9', '%(a)s %']:
    try:
        print(f % 1)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
