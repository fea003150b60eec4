# hash() of numbers and tuples of them as CPython 3.11 computes it (pyhash.c: mod 2**61 - 1;
# tuplehash's xxHash lanes); equal numbers hash alike.
import numpy as np
print(hash(1), hash(-1), hash(0), hash(1.5), hash(-2.5), hash(True), hash(2**61), hash(2**61 - 1), hash(-2**62 * 2), hash(9223372036854775807))
print(hash((1, 2)), hash(()), hash((1.5, (2, -3))), hash(1e300), hash(float("inf")), hash(float("-inf")), hash(0.1), hash(-0.0))
print(hash(1) == hash(1.0) == hash(True), hash(2.0**62), hash(1e-300), hash(np.float32(0.5)), hash(np.int64(-7)), hash(3.0e18))
print(hash((True, 1.0, 1)) == hash((1, 1, 1)), hash((None,)) == hash((None,)), hash("abc") == hash("abc"))
