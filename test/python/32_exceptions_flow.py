def parse(values):
    out = []
    for v in values:
        try:
            out.append(int(v))
        except ValueError:
            out.append(None)
            continue
        finally:
            out.append("|")
    return out
print(parse(["1", "x", "3"]))
def loop_break():
    for i in range(5):
        try:
            if i == 2:
                break
        finally:
            print("cleanup", i)
    return i
print(loop_break())
def nested():
    try:
        try:
            raise KeyError("k")
        except ValueError:
            print("wrong handler")
        finally:
            print("inner finally")
    except LookupError as e:
        print("outer caught", type(e).__name__)
nested()
errors = []
for exc in (ValueError, TypeError, IndexError, ZeroDivisionError):
    try:
        raise exc("boom")
    except (ValueError, TypeError) as e:
        errors.append(("vt", str(e)))
    except Exception as e:
        errors.append(("other", type(e).__name__))
print(errors)
try:
    x = 1
except Exception:
    pass
else:
    print("else ran", x)
