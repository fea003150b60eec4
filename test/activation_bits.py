# NumPy float32 derivation of TF's activation kernels (relu_op_functor.h, softplus_op.h, softsign_op.h)
import numpy as np
f = np.float32
x = np.array([-20.0, -14.5, -3.5, -1.25, -0.001, 0.0, 0.3, 0.75, 2.5, 13.0, 14.5, 20.0], dtype=f)
dy = np.array([0.5, -1.5, 2.0, 0.25, 3.0, -0.75, 1.0, -2.0, 0.125, 1.5, -0.5, 4.0], dtype=f)
one = f(1)
def e32(a): return np.exp(a.astype(np.float64)).astype(f)  # correctly rounded float32 exp, as libm expf
with np.errstate(all='ignore'):
    elu = np.where(x < 0, e32(x) - one, x).astype(f)
    sa, s = f(1.7580993408473768599402175208123), f(1.0507009873554804934193349852946)
    selu = np.where(x < 0, sa * (e32(x) - one), s * x).astype(f)
    t = f(np.log(np.finfo(f).eps)) + f(2)
    ex = np.exp(x.astype(np.float64)).astype(f)  # correctly rounded exp (libm expf is; NumPy 1.24 float32 SIMD exp is off by 1 ulp on 6 of these)
    softplus = np.where(x > -t, x, np.where(x < t, ex, np.log1p(ex.astype(np.float64)).astype(f))).astype(f)
    softsign = (x / (np.abs(x) + one)).astype(f)
    exp = ex.astype(f)
    elu_g = np.where(elu < 0, (elu + one) * dy, dy).astype(f)
    selu_g = np.where(selu < 0, dy * (selu + sa), dy * s).astype(f)
    softplus_g = (dy / (e32(-x) + one)).astype(f)
    q = np.abs(x) + one
    softsign_g = (dy / (q * q)).astype(f)
for name, a in [("x", x), ("dy", dy), ("elu", elu), ("selu", selu), ("softplus", softplus), ("softsign", softsign),
                ("exp", exp), ("elu_grad", elu_g), ("selu_grad", selu_g), ("softplus_grad", softplus_g),
                ("softsign_grad", softsign_g)]:
    print("static const uint32_t %s_bits[] = {%s};" % (name, ", ".join("0x%08x" % v for v in a.view(np.uint32))))
