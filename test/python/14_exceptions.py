def risky(kind):
    if kind == 0:
        return 1 // 0
    if kind == 1:
        return [][1]
    if kind == 2:
        return {}["k"]
    if kind == 3:
        return int("x")
    if kind == 4:
        return undefined_name
    if kind == 5:
        return "a" + 1
    if kind == 6:
        raise ValueError("custom", 42)
    return "ok"
for k in range(8):
    try:
        print(k, risky(k))
    except ZeroDivisionError as e:
        print(k, "ZeroDivisionError", e)
    except (IndexError, KeyError) as e:
        print(k, type(e).__name__, e)
    except ValueError as e:
        print(k, "ValueError", e, e.args)
    except Exception as e:
        print(k, "Exception", type(e).__name__, e)
    else:
        print(k, "no exception")
    finally:
        print(k, "finally")
class MyError(Exception):
    pass
class Detailed(MyError):
    def __init__(self, code):
        super().__init__(f"code {code}")
        self.code = code
try:
    raise Detailed(7)
except MyError as e:
    print("caught", e, e.code, repr(e), isinstance(e, Exception))
def reraise():
    try:
        raise KeyError("inner")
    except KeyError:
        print("handling")
        raise
try:
    reraise()
except KeyError as e:
    print("outer got", repr(e))
def with_finally():
    try:
        return "from try"
    finally:
        print("finally runs before return")
print(with_finally())
try:
    assert 1 + 1 == 3, "math is broken"
except AssertionError as e:
    print("assert:", e)
try:
    raise RuntimeError
except RuntimeError as e:
    print("bare class:", repr(e))
