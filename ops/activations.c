/* activations.c — Elu, Selu, Softplus, Softsign, Exp and Log1p with their gradient kernels and
 * rules. Each float32 kernel evaluates TF's Eigen expression in float, operation by
 * operation (tensorflow/core/kernels/relu_op_functor.h, softplus_op.h, softsign_op.h);
 * the gradient rules are nn_grad.py's (_EluGrad, _SeluGrad, _SoftplusGrad, _SoftsignGrad)
 * and math_grad.py's _ExpGrad and _Log1pGrad. Eigen's vectorized exp and log1p are its own polynomials, so
 * where an expression takes exp or log1p, seedflow takes the correctly rounded float32 value
 * (glibc's expf; log1p in double, rounded once) and the last bit may not be TensorFlow's (as
 * for Sigmoid in nn.c). float64 runs the same expressions in double. */
#include "ops_internal.h"

#include <float.h>
#include <math.h>

/* Selu's constants as relu_op_functor.h writes them, rounded to the op's dtype. */
#define SELU_SCALE 1.0507009873554804934193349852946
#define SELU_SCALE_ALPHA 1.7580993408473768599402175208123

typedef float (*act_f32)(float);
typedef double (*act_f64)(double);

static sf_status act_map(sf_kctx *c, sf_tensor **out, act_f32 f, act_f64 d) {
  if (c->in[0]->dtype != SF_FLOAT32) return sf_unary_map(c, out, d);
  sf_status st = sf_new_output(c, SF_FLOAT32, &c->in[0]->shape, out);
  const float *x = c->in[0]->data;
  float *y = st == SF_OK ? (*out)->data : NULL;
  for (int64_t i = 0; y && i < (*out)->n; i++) y[i] = f(x[i]);
  return st;
}

/* Elu: x < 0 ? exp(x) - 1 : x */
static float elu32(float x) { return x < 0 ? expf(x) - 1.0f : x; }
static double elu64(double x) { return x < 0 ? exp(x) - 1.0 : x; }
/* Selu: x < 0 ? scale_alpha * (exp(x) - 1) : scale * x */
static float selu32(float x) { return x < 0 ? (float)SELU_SCALE_ALPHA * (expf(x) - 1.0f) : (float)SELU_SCALE * x; }
static double selu64(double x) { return x < 0 ? SELU_SCALE_ALPHA * (exp(x) - 1.0) : SELU_SCALE * x; }
/* Softplus: x itself above -threshold, exp(x) below threshold, log1p(exp(x)) between;
 * threshold = log(epsilon) + 2 in the dtype. */
static float softplus32(float x) {
  const float t = logf(FLT_EPSILON) + 2.0f;
  return x > -t ? x : x < t ? expf(x) : (float)log1p((double)expf(x)); /* log1p rounded once (log1pf is not) */
}
static double softplus64(double x) {
  const double t = log(DBL_EPSILON) + 2.0;
  return x > -t ? x : x < t ? exp(x) : log1p(exp(x));
}
/* Softsign: x / (|x| + 1) */
static float softsign32(float x) { return x / (fabsf(x) + 1.0f); }
static double softsign64(double x) { return x / (fabs(x) + 1.0); }
static float exp32(float x) { return expf(x); }
static float log1p32(float x) { return (float)log1p((double)x); } /* rounded once, as Softplus's */

static sf_status elu_kernel(sf_kctx *c, sf_tensor **o) { return act_map(c, o, elu32, elu64); }
static sf_status selu_kernel(sf_kctx *c, sf_tensor **o) { return act_map(c, o, selu32, selu64); }
static sf_status softplus_kernel(sf_kctx *c, sf_tensor **o) { return act_map(c, o, softplus32, softplus64); }
static sf_status softsign_kernel(sf_kctx *c, sf_tensor **o) { return act_map(c, o, softsign32, softsign64); }
static sf_status exp_kernel(sf_kctx *c, sf_tensor **o) { return act_map(c, o, exp32, exp); }
static sf_status log1p_kernel(sf_kctx *c, sf_tensor **o) { return act_map(c, o, log1p32, log1p); }

/* Gradient rules: EluGrad/SeluGrad take (dy, y) — the op's output; SoftplusGrad and
 * SoftsignGrad take (dy, x) — its input (nn_grad.py). */
static sf_status grad_of_output(const sf_builder *b, const sf_node *n, int dy, int *dx, const char *op) {
  return sf_g_op(b, op, (int[]){dy, n->id}, 2, NULL, &dx[0]);
}
static sf_status grad_of_input(const sf_builder *b, const sf_node *n, int dy, int *dx, const char *op) {
  return sf_g_op(b, op, (int[]){dy, n->inputs[0]}, 2, NULL, &dx[0]);
}
static sf_status elu_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) { return grad_of_output(b, n, dy, dx, "EluGrad"); }
static sf_status selu_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) { return grad_of_output(b, n, dy, dx, "SeluGrad"); }
static sf_status softplus_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  return grad_of_input(b, n, dy, dx, "SoftplusGrad");
}
static sf_status softsign_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  return grad_of_input(b, n, dy, dx, "SoftsignGrad");
}
/* math_grad.py _ExpGrad: grad * conj(y); conj of a real tensor is the tensor itself. */
static sf_status exp_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  return sf_g_op(b, "Mul", (int[]){dy, n->id}, 2, NULL, &dx[0]);
}

const sf_op_def sf_op_Elu = {"Elu", 1, SF_NO_ATTRS, sf_shape_same_float, elu_kernel, elu_grad, 0, "x < 0 ? exp(x) - 1 : x"};
const sf_op_def sf_op_Selu = {"Selu", 1, SF_NO_ATTRS, sf_shape_same_float, selu_kernel, selu_grad, 0,
                              "x < 0 ? 1.7580993 * (exp(x) - 1) : 1.050701 * x"};
const sf_op_def sf_op_Softplus = {"Softplus", 1, SF_NO_ATTRS, sf_shape_same_float, softplus_kernel, softplus_grad, 0,
                                  "log1p(exp(x)) (x, exp(x) at the ends)"};
const sf_op_def sf_op_Softsign = {"Softsign", 1, SF_NO_ATTRS, sf_shape_same_float, softsign_kernel, softsign_grad, 0,
                                  "x / (|x| + 1)"};
/* math_grad.py _Log1pGrad: grad * reciprocal(1 + x), `1 + x` a Const 1 then AddV2(1, x). */
static sf_status log1p_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  const sf_node *x = sf_g_node(b, n->inputs[0]);
  sf_tensor *one = sf_tensor_new(x->dtype, &(sf_shape){0}, b->err);
  if (!one) return b->err->code;
  sf_tensor_set(one, 0, 1.0);
  int c, s, r;
  sf_status st = b->constant(b->ctx, one, &c);
  sf_tensor_unref(one);
  if (st == SF_OK) st = sf_g_op(b, "AddV2", (int[]){c, x->id}, 2, NULL, &s);
  if (st == SF_OK) st = sf_g_op(b, "Reciprocal", &s, 1, NULL, &r);
  return st == SF_OK ? sf_g_op(b, "Mul", (int[]){dy, r}, 2, NULL, &dx[0]) : st;
}

const sf_op_def sf_op_Exp = {"Exp", 1, SF_NO_ATTRS, sf_shape_same_float, exp_kernel, exp_grad, 0, "exp(x)"};
const sf_op_def sf_op_Log1p = {"Log1p", 1, SF_NO_ATTRS, sf_shape_same_float, log1p_kernel, log1p_grad, 0, "log(1 + x)"};

/* ---- gradient kernels: (dy, y or x) elementwise, in the dtype's arithmetic ---- */

enum { G_ELU, G_SELU, G_SOFTPLUS, G_SOFTSIGN };

static float grad32(int which, float g, float v) {
  switch (which) {
    case G_ELU: return v < 0 ? (v + 1.0f) * g : g;
    case G_SELU: return v < 0 ? g * (v + (float)SELU_SCALE_ALPHA) : g * (float)SELU_SCALE;
    case G_SOFTPLUS: return g / (expf(-v) + 1.0f);
    default: {
      float t = fabsf(v) + 1.0f;
      return g / (t * t);
    }
  }
}

static double grad64(int which, double g, double v) {
  switch (which) {
    case G_ELU: return v < 0 ? (v + 1.0) * g : g;
    case G_SELU: return v < 0 ? g * (v + SELU_SCALE_ALPHA) : g * SELU_SCALE;
    case G_SOFTPLUS: return g / (exp(-v) + 1.0);
    default: {
      double t = fabs(v) + 1.0;
      return g / (t * t);
    }
  }
}

static sf_status act_grad_kernel(sf_kctx *c, sf_tensor **out, int which) {
  const sf_tensor *dy = c->in[0], *y = c->in[1];
  if (!sf_shape_equal(&dy->shape, &y->shape)) return sf_error_set(c->err, SF_ESHAPE, "%s: dy and its second input differ in shape", c->node->name);
  if (dy->dtype != y->dtype) return sf_error_set(c->err, SF_ETYPE, "%s: dy and its second input differ in dtype", c->node->name);
  sf_status st = sf_new_output(c, dy->dtype, &dy->shape, out);
  bool f32 = dy->dtype == SF_FLOAT32;
  for (int64_t i = 0; st == SF_OK && i < dy->n; i++) {
    double g = sf_tensor_get(dy, i), v = sf_tensor_get(y, i);
    sf_tensor_set(*out, i, f32 ? (double)grad32(which, (float)g, (float)v) : grad64(which, g, v));
  }
  return st;
}
static sf_status elu_grad_kernel(sf_kctx *c, sf_tensor **o) { return act_grad_kernel(c, o, G_ELU); }
static sf_status selu_grad_kernel(sf_kctx *c, sf_tensor **o) { return act_grad_kernel(c, o, G_SELU); }
static sf_status softplus_grad_kernel(sf_kctx *c, sf_tensor **o) { return act_grad_kernel(c, o, G_SOFTPLUS); }
static sf_status softsign_grad_kernel(sf_kctx *c, sf_tensor **o) { return act_grad_kernel(c, o, G_SOFTSIGN); }

const sf_op_def sf_op_EluGrad = {"EluGrad", 2, SF_NO_ATTRS, sf_shape_same_float, elu_grad_kernel, NULL, 0,
                                 "y < 0 ? (y + 1) * dy : dy"};
const sf_op_def sf_op_SeluGrad = {"SeluGrad", 2, SF_NO_ATTRS, sf_shape_same_float, selu_grad_kernel, NULL, 0,
                                  "y < 0 ? dy * (y + 1.7580993) : dy * 1.050701"};
const sf_op_def sf_op_SoftplusGrad = {"SoftplusGrad", 2, SF_NO_ATTRS, sf_shape_same_float, softplus_grad_kernel, NULL, 0,
                                      "dy / (exp(-x) + 1)"};
const sf_op_def sf_op_SoftsignGrad = {"SoftsignGrad", 2, SF_NO_ATTRS, sf_shape_same_float, softsign_grad_kernel, NULL, 0,
                                      "dy / (|x| + 1)^2"};
