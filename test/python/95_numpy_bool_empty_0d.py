# NumPy details real programs meet: bool arrays in arithmetic (logical or/and, refused
# subtraction and negation), empty arrays (float64, "[]", their shape in the repr), 0-d
# arrays (array(3.) in a repr, the scalar's text in print), and float32 // and % computed in
# float32 (npy_divmodf), whose quotient a double computation can round differently.
import numpy as np

a = np.array([True, False, True])
b = np.array([True, True, False])
print(a + b, a * b, a / b)
print(repr(a + b), repr(a * True), repr(a + 1), repr(a * 2.5), repr(np.maximum(a, b)))
print((a + b).dtype, (a * b).dtype, (a + 1).dtype, (a / b).dtype)
print(repr(np.array([[True], [False]])), [np.array([False])])
try:
    a - b
except TypeError as e:
    print("TypeError:", e)
try:
    -a
except TypeError as e:
    print("TypeError:", e)

t, f = a[0], a[1]  # numpy.bool_ scalars
print(repr(t + t), repr(t * f), repr(t / t), repr(t + 1), repr(t + True), repr(abs(t)), repr(~t), type(t + t).__name__)
for op in [lambda: t - f, lambda: -t]:
    try:
        op()
    except TypeError as e:
        print("TypeError:", e)

print(repr(np.array([])), np.array([]).dtype, np.array([]), np.array([]).tolist())
print(repr(np.zeros((2, 0))), np.zeros((2, 0)), np.zeros((2, 0)).tolist())
print(repr(np.zeros((0, 3), dtype=np.float32)), repr(np.array([], dtype=np.int32)), repr(np.array([1, 2])[:0]))
print(repr(np.array([[], []])), np.array([[]]).shape)

for v in [3.0, 0.1, 1e20, -0.0, 1e-5, 123456789.0, np.inf, 2.0 / 3, 1e16]:
    x = np.array(v)
    print(repr(x), x, [x], repr(np.array(v, dtype=np.float32)), type(x).__name__)
print(repr(np.array(5, dtype=np.int32)), repr(np.array(-7)), repr(np.array(False)), np.array(True), [np.array(2)])
print(type(np.transpose(np.float32(3))).__name__, type(np.transpose(3.0)).__name__, type(np.transpose(np.array(3.0))).__name__)
print(type(np.squeeze(np.array([3.0]))).__name__, type(np.squeeze(np.float32(3))).__name__, repr(np.squeeze(np.array([[1.5]]))))
print(repr(np.array(3.0).T), repr(np.array(3.0).reshape(())), type(np.array(3.0) + 1).__name__)
x = np.array([-0.8019314408302307, -1.3243589401245117, -0.24836161732673645, 0.4204452335834503, 1.1360465288162231, 0.10970640182495117, -0.5526472926139832, -0.7847803831100464, 0.7487457990646362, 1.6347830295562744, 0.2727687656879425, -1.2333287000656128], dtype=np.float32)
y = np.array([-0.0009582652128301561, 1600.01904296875, 0.20288243889808655, -1.7321347819380797e-20, -8.369619172299281e-05, -1.1632260084152222, -629.2880859375, -4.88005824861064e-21, -7.133133851214214e-21, 5.533784579707553e-21, -6.308597221504897e-05, -0.5894312858581543], dtype=np.float32)
print((x // y).tolist())
print((x % y).tolist())
x = np.array([-1289.418701171875, 20.690393447875977, -37.8857421875, -304.3377380371094, -1047.926513671875, -396.1903381347656, -1091.328857421875, -1355.208740234375, 224.78573608398438, -1109.3499755859375, 1170.296142578125, 716.587646484375], dtype=np.float32)
y = np.array([-1997.816650390625, 0.00027212887653149664, -1.1017166376113892, 3.3057220019818845e-22, 4.3631993321469054e-05, -1988.4298095703125, -233.4225311279297, -0.25579002499580383, 0.0009620005148462951, -1181.44677734375, 0.738041877746582, -1098.9727783203125], dtype=np.float32)
print((x // y).tolist())
print((x % y).tolist())
x = np.array([8449927168.0, 8406828544.0, -6066115584.0, -700284480.0, 13503888384.0, -3965507584.0, 1887995264.0, -212234608.0, 6092165120.0, -3649087488.0, -1523618944.0, 2423814400.0], dtype=np.float32)
y = np.array([103.02313995361328, -0.0008649727678857744, 895.7830200195312, -1.2984812260599635e-20, -1201.1156005859375, -0.0012824918376281857, 0.000966972263995558, -0.0003606083628255874, -0.9710363745689392, -1.136021375656128, 4.211311400033144e-21, -0.0010548406280577183], dtype=np.float32)
print((x // y).tolist())
print((x % y).tolist())
x = np.array([-5.409396192736749e+28, 1.3387735195848875e+30, -5.1689414138993775e+29, -1.2593071231262953e+30, -1.8367457807198082e+30, -2.047661174954602e+29, -3.5225699421396996e+29, 2.6509091143132038e+29, -4.6424459080921966e+29, -4.786384771858019e+29, -7.213157150268078e+29, -5.197597867085386e+29], dtype=np.float32)
y = np.array([160.22669982910156, -0.00038035272154957056, 0.10044185072183609, 1.9011872346891905e-20, 0.00047911814181134105, -1.5760899058780787e-20, 1.7335295677185059, 0.00034781036083586514, -0.0009414132800884545, 0.0009070489322766662, 0.017655611038208008, -615.218505859375], dtype=np.float32)
print((x // y).tolist())
print((x % y).tolist())
# quotients past 2**24, where float32 and double steps part (found by comparing the two)
x = np.array([-51030.70703125, 2911251968.0, 149916624.0, 368986.28125, -78216808.0, -1341.6744384765625], dtype=np.float32)
y = np.array([-0.0005273841670714319, -106.94775390625, -4.286165714263916, 0.015430806204676628, -0.09347342699766159,
              -9.181639325106516e-05], dtype=np.float32)
print((x // y).tolist(), (x % y).tolist())
print(x // y, x % y)
# np.linspace(dtype=): computed in float64, floored for an integer dtype, then cast
print(repr(np.linspace(0, 1, 7, dtype=np.float32)), repr(np.linspace(-2.5, 2.5, 6, dtype=np.int32)))
print(repr(np.linspace(0.1, 0.9, 9, dtype=np.float32)), repr(np.linspace(2, 3, 4, endpoint=False, dtype=int)))
# NumPy's scalar types print as classes; np.bool_ is one
print(np.float32, [np.int64], np.uint8, np.bool_, np.bool_(0), repr(np.bool_(3)), np.zeros(2, dtype=np.bool_))
# dtypes: an array's and a scalar's, np.dtype(...), their text, attributes and comparisons
f = np.zeros(2, dtype=np.float32)
print(f.dtype, [f.dtype], repr(np.array([True]).dtype), f.dtype.name, f.dtype.itemsize, f.dtype.kind, f.dtype.type)
print(np.float32(1).dtype, [np.int64(3).dtype], np.dtype("float32"), [np.dtype(np.int32)], np.dtype(float), np.dtype(None))
print(f.dtype == np.float32, f.dtype == "float32", f.dtype == np.dtype("float32"), f.dtype != np.float64, str(f.dtype), f"{f.dtype}")
print(np.array([1, 2]).dtype.kind, np.array([1], dtype=np.uint8).dtype.kind, f.astype(np.array([1]).dtype).dtype)
