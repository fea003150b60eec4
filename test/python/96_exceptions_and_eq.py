# CPython's built-in warning and exception classes as programs name them (warnings filters by
# category open many TF programs), and == through __eq__ wherever Python compares: `in`,
# list.index/count/remove, and the reflected __eq__ of the right operand.
import warnings

warnings.filterwarnings("ignore", category=FutureWarning)
warnings.simplefilter(action="ignore", category=DeprecationWarning)
warnings.filterwarnings("ignore", category=UserWarning)
for cls in [Warning, UserWarning, DeprecationWarning, FutureWarning, RuntimeWarning, SyntaxError, TabError,
            ConnectionResetError, TimeoutError, EOFError, FloatingPointError, GeneratorExit]:
    print(cls.__name__, issubclass(cls, Exception), issubclass(cls, Warning), issubclass(cls, OSError))
print(IOError is OSError, EnvironmentError is OSError, issubclass(FileExistsError, OSError))
try:
    raise FutureWarning("old API")
except Warning as e:
    print(type(e).__name__, e, repr(e))
try:
    raise BrokenPipeError("pipe")
except ConnectionError as e:
    print(type(e).__name__, e)
try:
    raise TabError("tabs")
except SyntaxError as e:
    print(type(e).__name__, e)


class P:
    def __init__(self, x):
        self.x = x

    def __eq__(self, o):
        return self.x == (o.x if isinstance(o, P) else o)

    def __repr__(self):
        return f"P({self.x})"


ps = [P(1), P(2), P(1)]
print(P(1) in ps, P(3) in ps, P(2) not in ps, 2 in ps, ps.index(P(2)), ps.count(P(1)), ps.count(1))
ps.remove(P(1))
print(ps, 1 == P(1), P(1) == 1, 2 != P(2), (P(2),).index(2))
try:
    ps.remove(P(7))
except ValueError as e:
    print(e)
