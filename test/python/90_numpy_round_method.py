# ndarray.round(decimals): np.round(self, decimals), float64 and float32, negative decimals
import numpy as np
a = np.array([0.12345, 2.5, -1.555, 1234.5678])
print(a.round(), a.round(2), a.round(-2), a.round(decimals=1))
b = np.array([[0.98967, 0.94218], [0.32788, 0.15525]], dtype=np.float32)
print(b.round(3), repr(b.round(1)))
print(np.arange(5).round(-1), np.round(a, 3))
