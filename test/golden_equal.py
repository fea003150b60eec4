#!/usr/bin/env python3
"""golden_equal.py OLD NEW — proves that a golden file re-recorded in the "seedflow/1"
format (NEW) holds exactly what the "seedflow-golden-1" file (OLD) held: every print and
every op matched by key, every field equal, and every value equal bit for bit (float32
values compared as float32 bit patterns, float64 as float64, integers and booleans
exactly). OLD numbered prints, items and executions from 0, NEW from 1; OLD wrote values
as strings ("%.9g" float32, "%.17g" float64) and the counter as "a,b,c,d".
Prints "OLD == NEW: R runs, P prints, O ops, V values" and exits 0, or names the first
difference and exits 1."""
import json
import struct
import sys


def bits(value, dtype):
    """The bit pattern (or exact integer / bool) a value stands for."""
    if dtype == "bool":
        return value if isinstance(value, bool) else {"true": True, "false": False}[value]
    if dtype in ("int32", "int64"):
        return int(value)
    x = float(value)  # strings "nan", "inf", "-inf" and "%.9g"/"%.17g" text; JSON numbers
    return struct.pack("<f" if dtype == "float32" else "<d", x)


def main(old_path, new_path):
    old, new = json.load(open(old_path)), json.load(open(new_path))
    assert old["format"] == "seedflow-golden-1", old["format"]
    assert new["format"] == "seedflow/1", new["format"]
    for key in ("file", "seedflow"):
        assert old[key] == new[key], key
    assert len(old["runs"]) == len(new["runs"]), "run count"
    prints = ops = values = 0

    def same_values(a, b, dtype, where):
        nonlocal values
        assert len(a) == len(b), where + ": value count"
        for i, (x, y) in enumerate(zip(a, b)):
            assert bits(x, dtype) == bits(y, dtype), "%s[%d]: %r != %r" % (where, i, x, y)
            values += 1

    for ro, rn in zip(old["runs"], new["runs"]):
        assert (ro["mode"], ro["profile"]) == (rn["mode"], rn["profile"])
        where = "%s/%s" % (ro["mode"], ro["profile"])
        np = {(p["print"], p["item"]): p for p in rn["prints"]}
        assert len(np) == len(ro["prints"]) == len(rn["prints"]), where + ": print count"
        for p in ro["prints"]:
            q = np[(p["print"] + 1, p["item"] + 1)]
            w = "%s print %d item %d" % (where, p["print"], p["item"])
            for key in ("line", "expr", "dtype", "shape"):
                assert p[key] == q[key], w + ": " + key
            same_values(p["values"], q["values"], p["dtype"], w)
            prints += 1
        no = {(o["line"], o["op"], o["execution"]): o for o in rn["ops"]}
        assert len(no) == len(ro["ops"]) == len(rn["ops"]), where + ": op count"
        for o in ro["ops"]:
            q = no[(o["line"], o["op"], o["k"] + 1)]
            w = "%s op %s line %d k %d" % (where, o["op"], o["line"], o["k"])
            for key in ("name", "seed", "seed2", "seed_source", "seed2_source", "counter_blocks"):
                assert o[key] == q[key], w + ": " + key
            assert [int(c) for c in o["counter_start"].split(",")] == q["counter"], w + ": counter"
            same_values(o["values"], q["values"], q["dtype"], w)
            ops += 1
    print("%s == %s: %d runs, %d prints, %d ops, %d values" % (old_path, new_path, len(old["runs"]), prints, ops, values))


if __name__ == "__main__":
    try:
        main(sys.argv[1], sys.argv[2])
    except (AssertionError, KeyError) as e:
        print("%s != %s: %s" % (sys.argv[1], sys.argv[2], e))
        sys.exit(1)
