x = 0x7fffffffffffffff + 0b1 + 0o7 + 1_000 + 1.5e-3 + .5 + 1. + 1e999
