import math, os, random, logging
import numpy as np
print(hasattr(math, 'foo'), getattr(math, 'foo', 1))
try:
    os.path.foo
except AttributeError as e:
    print(e)
for o in (random.Random(1), logging.getLogger('a'), np.random.RandomState(0), np.random.default_rng(0), math, random):
    try:
        getattr(o, 'nope')
    except AttributeError as e:
        print(e)
    try:
        o.nope
    except AttributeError as e:
        print(e)
