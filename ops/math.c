/* math.c — the stateless math family: Const, Identity, NoOp, elementwise arithmetic with
 * broadcasting, MatMul, Mean, Reshape, Cast, GreaterEqual, Square, Sum, BroadcastTo, each
 * op's gradient rule (math_grad.py) beside its kernel. Float32 results are computed in
 * double and rounded once, which is exactly float32 arithmetic for + - * / . */
#include "ops_internal.h"
#include "matmul.h"
#include "engine/intraop.h"

#include <inttypes.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

sf_status sf_new_output(sf_kctx *c, sf_dtype dtype, const sf_shape *shape, sf_tensor **out) {
  int64_t n;
  *out = NULL;
  if (sf_shape_check(shape, &n, c->err) != SF_OK) return c->err->code;
  if (c->rt && c->rt->max_elements && n > c->rt->max_elements)
    return sf_error_set(c->err, SF_ELIMIT, "%s: output of %lld elements exceeds the run's limit of %lld", c->node->name,
                        (long long)n, (long long)c->rt->max_elements);
  return sf_runtime_alloc(c->rt, c->node->name, dtype, shape, out, c->err);
}

sf_status sf_output_reshaped(sf_kctx *c, const sf_shape *shape, sf_tensor **out) {
  sf_status st = sf_new_output(c, c->in[0]->dtype, shape, out);
  if (st == SF_OK) memcpy((*out)->data, c->in[0]->data, (size_t)c->in[0]->n * sf_dtype_size(c->in[0]->dtype));
  return st;
}

int sf_kctx_threads(const sf_kctx *c) {
  static atomic_int cpus; /* sf_cpu_count, asked once */
  int t = c->rt && c->rt->opt ? c->rt->opt->intra_op_threads : 0;
  if (t > 0) return t;
  if (!(t = atomic_load_explicit(&cpus, memory_order_relaxed))) {
    t = sf_cpu_count();
    atomic_store_explicit(&cpus, t, memory_order_relaxed);
  }
  return t;
}

sf_status sf_tensor_to_shape(const sf_tensor *t, sf_shape *out, sf_error *err) {
  if (t->dtype != SF_INT32 && t->dtype != SF_INT64)
    return sf_error_set(err, SF_ETYPE, "shape must be int32 or int64, got %s", sf_dtype_name(t->dtype));
  if (t->shape.rank > 1) return sf_error_set(err, SF_ESHAPE, "shape must be a vector, got rank %d", t->shape.rank);
  if (t->n > SF_MAX_RANK) return sf_error_set(err, SF_ESHAPE, "rank %" PRId64 " is above %d", t->n, SF_MAX_RANK);
  sf_shape s = {.rank = (int)t->n};
  for (int i = 0; i < s.rank; i++) s.dims[i] = sf_tensor_get_i64(t, i);
  *out = s;
  return sf_shape_check(&s, NULL, err);
}

bool sf_const_shape(const sf_graph *g, const sf_node *n, int input, sf_shape *out, sf_error *err, sf_status *st) {
  const sf_node *in = sf_input_node(g, n, input);
  *st = SF_OK;
  /* Shape(t) of a tensor t of known rank: t's shape, with -1 for a dimension known only at
   * run time (a placeholder's None), as TF's shape functions read a Shape op's input
   * (framework/shape_inference.cc, MakeShapeFromShapeTensor) */
  if (!in->value && in->ninputs == 1 && strcmp(in->op->name, "Shape") == 0 && sf_input_node(g, in, 0)->shape_known) {
    *out = sf_input_node(g, in, 0)->shape;
    return true;
  }
  if (!in->value) return false;
  *st = sf_tensor_to_shape(in->value, out, err);
  return *st == SF_OK;
}

/* ---- building gradient nodes (the rules sit beside their kernels, math_grad.py) ---- */

sf_status sf_g_scalar(const sf_builder *b, sf_dtype dt, double v, int *out) {
  sf_shape s = {0};
  sf_tensor *t = sf_tensor_new(dt, &s, b->err);
  if (!t) return b->err->code;
  sf_tensor_set(t, 0, v);
  sf_status st = b->constant(b->ctx, t, out);
  sf_tensor_unref(t);
  return st;
}

sf_status sf_g_ints(const sf_builder *b, const int64_t *v, int n, int *out) {
  sf_shape s = {.rank = 1, .dims = {n}};
  sf_tensor *t = sf_tensor_new(SF_INT32, &s, b->err);
  if (!t) return b->err->code;
  for (int i = 0; i < n; i++) ((int32_t *)t->data)[i] = (int32_t)v[i];
  sf_status st = b->constant(b->ctx, t, out);
  sf_tensor_unref(t);
  return st;
}

sf_status sf_g_unbroadcast(const sf_builder *b, int dy, const sf_node *target, int *out) {
  const sf_node *g = sf_g_node(b, dy);
  if (!g->shape_known || !target->shape_known)
    return sf_error_set(b->err, SF_ESHAPE, "gradient of '%s' needs known shapes", target->name);
  if (sf_shape_equal(&g->shape, &target->shape)) return *out = dy, SF_OK;
  int64_t axes[SF_MAX_RANK], dims[SF_MAX_RANK];
  int nax = 0, lead = g->shape.rank - target->shape.rank;
  for (int d = 0; d < g->shape.rank; d++)
    if (d < lead || (target->shape.dims[d - lead] == 1 && g->shape.dims[d] != 1)) axes[nax++] = d;
  for (int d = 0; d < target->shape.rank; d++) dims[d] = target->shape.dims[d];
  int ax, sum, shape;
  sf_status st = sf_g_ints(b, axes, nax, &ax);
  if (st == SF_OK) st = sf_g_op(b, "Sum", (int[]){dy, ax}, 2, NULL, &sum);
  if (st == SF_OK) st = sf_g_ints(b, dims, target->shape.rank, &shape);
  if (st == SF_OK) st = sf_g_op(b, "Reshape", (int[]){sum, shape}, 2, NULL, out);
  return st;
}

/* Input i of n in the graph the builder adds to. */
static const sf_node *grad_input(const sf_builder *b, const sf_node *n, int i) { return sf_g_node(b, n->inputs[i]); }

/* ---- Const / Identity / NoOp ---- */

static sf_status const_kernel(sf_kctx *c, sf_tensor **out) {
  *out = sf_tensor_ref(c->node->value);
  return SF_OK;
}
static sf_status const_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  (void)g;
  if (!n->value) return sf_error_set(err, SF_EINVAL, "attribute 'value' is missing");
  n->dtype = n->value->dtype;
  n->shape = n->value->shape;
  n->shape_known = true;
  return SF_OK;
}
const sf_op_def sf_op_Const = {"Const", 0, SF_NO_ATTRS, const_shape, const_kernel, NULL, 0, "a constant tensor"};

sf_status sf_shape_same_as_input(const sf_graph *g, sf_node *n, sf_error *err) {
  (void)err;
  const sf_node *a = sf_input_node(g, n, 0);
  n->dtype = a->dtype;
  n->shape = a->shape;
  n->shape_known = a->shape_known;
  return SF_OK;
}
static sf_status identity_kernel(sf_kctx *c, sf_tensor **out) {
  *out = sf_tensor_ref(c->in[0]);
  return SF_OK;
}
static sf_status identity_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  (void)b;
  (void)n;
  dx[0] = dy;
  return SF_OK;
}

const sf_op_def sf_op_Identity = {"Identity", 1, SF_NO_ATTRS, sf_shape_same_as_input, identity_kernel, identity_grad, 0, "returns its input"};
/* array_ops.stop_gradient: the input, through which no gradient flows (ops.NotDifferentiable). */
const sf_op_def sf_op_StopGradient = {"StopGradient", 1, SF_NO_ATTRS, sf_shape_same_as_input, identity_kernel, NULL,
                                      SF_OPF_NO_GRADIENT, "returns its input; no gradient flows through it"};

static sf_status noop_kernel(sf_kctx *c, sf_tensor **out) {
  (void)c;
  *out = NULL;
  return SF_OK;
}
const sf_op_def sf_op_NoOp = {"NoOp", 0, SF_NO_ATTRS, NULL, noop_kernel, NULL, 0, "does nothing; groups control dependencies"};

/* ---- elementwise binary ops with numpy broadcasting ---- */

static sf_status binary_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *a = sf_input_node(g, n, 0), *b = sf_input_node(g, n, 1);
  if (a->dtype != b->dtype)
    return sf_error_set(err, SF_ETYPE, "dtype mismatch: %s vs %s", sf_dtype_name(a->dtype), sf_dtype_name(b->dtype));
  n->dtype = a->dtype;
  n->shape_known = a->shape_known && b->shape_known;
  if (n->shape_known) return sf_broadcast_shape(&a->shape, &b->shape, &n->shape, err);
  return SF_OK;
}

typedef double (*fop)(double, double);
typedef int64_t (*iop)(int64_t, int64_t);

static sf_status binary_run(sf_kctx *c, sf_tensor **out, fop f, iop g, sf_dtype out_type) {
  const sf_tensor *a = c->in[0], *b = c->in[1];
  if (a->dtype != b->dtype)
    return sf_error_set(c->err, SF_ETYPE, "%s: dtype mismatch: %s vs %s", c->node->op->name,
                        sf_dtype_name(a->dtype), sf_dtype_name(b->dtype));
  sf_shape s;
  if (sf_broadcast_shape(&a->shape, &b->shape, &s, c->err) != SF_OK) return c->err->code;
  sf_status st = sf_new_output(c, out_type == SF_BOOL ? SF_BOOL : a->dtype, &s, out);
  if (st != SF_OK) return st;
  bool same = sf_shape_equal(&a->shape, &s) && sf_shape_equal(&b->shape, &s); /* the float loop's shortcut */
  sf_bcast it;
  sf_bcast_init(&it, &s, &a->shape, &b->shape);
  if (a->dtype == SF_FLOAT32 && (*out)->dtype == SF_FLOAT32) { /* what the loop below does, without its switches */
    const float *x = a->data, *y = b->data;
    float *o = (*out)->data;
    if (same)
      for (int64_t i = 0; i < (*out)->n; i++) o[i] = (float)f(x[i], y[i]);
    else
      for (int64_t i = 0; i < (*out)->n; i++, sf_bcast_next(&it)) o[i] = (float)f(x[it.off[0]], y[it.off[1]]);
    return SF_OK;
  }
  if (a->dtype == SF_FLOAT32 && (*out)->dtype == SF_BOOL) { /* a comparison: sf_tensor_set's v != 0 */
    const float *x = a->data, *y = b->data;
    uint8_t *o = (*out)->data;
    for (int64_t i = 0; i < (*out)->n; i++, sf_bcast_next(&it)) o[i] = f(x[it.off[0]], y[it.off[1]]) != 0;
    return SF_OK;
  }
  for (int64_t i = 0; i < (*out)->n; i++, sf_bcast_next(&it)) {
    int64_t ia = it.off[0], ib = it.off[1];
    if (sf_dtype_is_float(a->dtype) || !g)
      sf_tensor_set(*out, i, f(sf_tensor_get(a, ia), sf_tensor_get(b, ib)));
    else if ((*out)->dtype == SF_INT64)
      ((int64_t *)(*out)->data)[i] = g(((int64_t *)a->data)[ia], ((int64_t *)b->data)[ib]);
    else
      sf_tensor_set_i64(*out, i, g(sf_tensor_get_i64(a, ia), sf_tensor_get_i64(b, ib)));
  }
  return SF_OK;
}

/* The two above for the other op family files (ops_internal.h). */
sf_status sf_shape_binary(const sf_graph *g, sf_node *n, sf_error *err) { return binary_shape(g, n, err); }
sf_status sf_binary_map(sf_kctx *c, sf_tensor **out, double (*f)(double, double), int64_t (*g)(int64_t, int64_t),
                        sf_dtype out_type) {
  return binary_run(c, out, f, g, out_type);
}

static double f_add(double x, double y) { return x + y; }
static double f_sub(double x, double y) { return x - y; }
static double f_mul(double x, double y) { return x * y; }
static double f_div(double x, double y) { return x / y; }
static double f_ge(double x, double y) { return x >= y; }
static int64_t i_add(int64_t x, int64_t y) { return (int64_t)((uint64_t)x + (uint64_t)y); }
static int64_t i_sub(int64_t x, int64_t y) { return (int64_t)((uint64_t)x - (uint64_t)y); }
static int64_t i_mul(int64_t x, int64_t y) { return (int64_t)((uint64_t)x * (uint64_t)y); }
static int64_t i_div(int64_t x, int64_t y) { return y == 0 ? 0 : (y == -1 ? i_sub(0, x) : x / y); }

static sf_status add_kernel(sf_kctx *c, sf_tensor **o) { return binary_run(c, o, f_add, i_add, SF_FLOAT32); }
static sf_status sub_kernel(sf_kctx *c, sf_tensor **o) { return binary_run(c, o, f_sub, i_sub, SF_FLOAT32); }
static sf_status mul_kernel(sf_kctx *c, sf_tensor **o) { return binary_run(c, o, f_mul, i_mul, SF_FLOAT32); }
static sf_status div_kernel(sf_kctx *c, sf_tensor **o) { return binary_run(c, o, f_div, i_div, SF_FLOAT32); }
static sf_status ge_kernel(sf_kctx *c, sf_tensor **o) { return binary_run(c, o, f_ge, NULL, SF_BOOL); }
static double f_gt(double x, double y) { return x > y; }
static double f_lt(double x, double y) { return x < y; }
static double f_le(double x, double y) { return x <= y; }
static double f_eq(double x, double y) { return x == y; }
static double f_ne(double x, double y) { return x != y; }
static sf_status gt_kernel(sf_kctx *c, sf_tensor **o) { return binary_run(c, o, f_gt, NULL, SF_BOOL); }
static sf_status lt_kernel(sf_kctx *c, sf_tensor **o) { return binary_run(c, o, f_lt, NULL, SF_BOOL); }
static sf_status le_kernel(sf_kctx *c, sf_tensor **o) { return binary_run(c, o, f_le, NULL, SF_BOOL); }
static sf_status eq_kernel(sf_kctx *c, sf_tensor **o) { return binary_run(c, o, f_eq, NULL, SF_BOOL); }
static sf_status ne_kernel(sf_kctx *c, sf_tensor **o) { return binary_run(c, o, f_ne, NULL, SF_BOOL); }

static sf_status ge_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  sf_status st = binary_shape(g, n, err);
  n->dtype = SF_BOOL;
  return st;
}

static sf_status add_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  sf_status st = sf_g_unbroadcast(b, dy, grad_input(b, n, 0), &dx[0]);
  return st == SF_OK ? sf_g_unbroadcast(b, dy, grad_input(b, n, 1), &dx[1]) : st;
}

static sf_status sub_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  int neg;
  sf_status st = sf_g_unbroadcast(b, dy, grad_input(b, n, 0), &dx[0]);
  if (st == SF_OK) st = sf_g_op(b, "Neg", &dy, 1, NULL, &neg);
  return st == SF_OK ? sf_g_unbroadcast(b, neg, grad_input(b, n, 1), &dx[1]) : st;
}

/* d(x*y) = (dy*y, x*dy): TF's order of operands (gen_math_ops.mul(grad, y), mul(x, grad)). */
static sf_status mul_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  int gx, gy;
  sf_status st = sf_g_op(b, "Mul", (int[]){dy, n->inputs[1]}, 2, NULL, &gx);
  if (st == SF_OK) st = sf_g_op(b, "Mul", (int[]){n->inputs[0], dy}, 2, NULL, &gy);
  if (st == SF_OK) st = sf_g_unbroadcast(b, gx, grad_input(b, n, 0), &dx[0]);
  return st == SF_OK ? sf_g_unbroadcast(b, gy, grad_input(b, n, 1), &dx[1]) : st;
}

/* d(x/y) = (dy/y, dy * (-x/y/y)) */
static sf_status div_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  int gx, negx, q1, q2, gy;
  sf_status st = sf_g_op(b, "RealDiv", (int[]){dy, n->inputs[1]}, 2, NULL, &gx);
  if (st == SF_OK) st = sf_g_op(b, "Neg", &n->inputs[0], 1, NULL, &negx);
  if (st == SF_OK) st = sf_g_op(b, "RealDiv", (int[]){negx, n->inputs[1]}, 2, NULL, &q1);
  if (st == SF_OK) st = sf_g_op(b, "RealDiv", (int[]){q1, n->inputs[1]}, 2, NULL, &q2);
  if (st == SF_OK) st = sf_g_op(b, "Mul", (int[]){dy, q2}, 2, NULL, &gy);
  if (st == SF_OK) st = sf_g_unbroadcast(b, gx, grad_input(b, n, 0), &dx[0]);
  return st == SF_OK ? sf_g_unbroadcast(b, gy, grad_input(b, n, 1), &dx[1]) : st;
}

const sf_op_def sf_op_AddV2 = {"AddV2", 2, SF_NO_ATTRS, binary_shape, add_kernel, add_grad, 0, "x + y, broadcasting"};
const sf_op_def sf_op_Sub = {"Sub", 2, SF_NO_ATTRS, binary_shape, sub_kernel, sub_grad, 0, "x - y, broadcasting"};
const sf_op_def sf_op_Mul = {"Mul", 2, SF_NO_ATTRS, binary_shape, mul_kernel, mul_grad, 0, "x * y, broadcasting"};
const sf_op_def sf_op_RealDiv = {"RealDiv", 2, SF_NO_ATTRS, binary_shape, div_kernel, div_grad, 0, "x / y, broadcasting"};
/* math_grad.py: ops.NotDifferentiable("Less"), ... ("NotEqual"), ("LogicalAnd"/"Or"/"Not"). */
const sf_op_def sf_op_GreaterEqual = {"GreaterEqual", 2, SF_NO_ATTRS, ge_shape, ge_kernel, NULL, SF_OPF_NO_GRADIENT, "x >= y as bool"};
const sf_op_def sf_op_Greater = {"Greater", 2, SF_NO_ATTRS, ge_shape, gt_kernel, NULL, SF_OPF_NO_GRADIENT, "x > y as bool"};
const sf_op_def sf_op_Less = {"Less", 2, SF_NO_ATTRS, ge_shape, lt_kernel, NULL, SF_OPF_NO_GRADIENT, "x < y as bool"};
const sf_op_def sf_op_LessEqual = {"LessEqual", 2, SF_NO_ATTRS, ge_shape, le_kernel, NULL, SF_OPF_NO_GRADIENT, "x <= y as bool"};
const sf_op_def sf_op_Equal = {"Equal", 2, SF_NO_ATTRS, ge_shape, eq_kernel, NULL, SF_OPF_NO_GRADIENT, "x == y as bool"};
const sf_op_def sf_op_NotEqual = {"NotEqual", 2, SF_NO_ATTRS, ge_shape, ne_kernel, NULL, SF_OPF_NO_GRADIENT, "x != y as bool"};

static sf_status neg_kernel(sf_kctx *c, sf_tensor **out) {
  sf_status st = sf_new_output(c, c->in[0]->dtype, &c->in[0]->shape, out);
  for (int64_t i = 0; st == SF_OK && i < (*out)->n; i++) sf_tensor_set(*out, i, -sf_tensor_get(c->in[0], i));
  return st;
}
static sf_status neg_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  (void)n;
  return sf_g_op(b, "Neg", &dy, 1, NULL, &dx[0]);
}

const sf_op_def sf_op_Neg = {"Neg", 1, SF_NO_ATTRS, sf_shape_same_as_input, neg_kernel, neg_grad, 0, "-x"};

/* ---- MatMul ---- */

static sf_status matmul_dims(const sf_shape *a, const sf_shape *b, bool ta, bool tb, sf_shape *out, sf_error *err) {
  if (a->rank != 2 || b->rank != 2)
    return sf_error_set(err, SF_ESHAPE, "inputs must be matrices, got rank %d and %d", a->rank, b->rank);
  int64_t m = ta ? a->dims[1] : a->dims[0], k = ta ? a->dims[0] : a->dims[1];
  int64_t k2 = tb ? b->dims[1] : b->dims[0], nn = tb ? b->dims[0] : b->dims[1];
  if (k != k2)
    return sf_error_set(err, SF_ESHAPE, "inner dimensions differ: %" PRId64 " vs %" PRId64, k, k2);
  *out = (sf_shape){.rank = 2, .dims = {m, nn}};
  return SF_OK;
}

static sf_status matmul_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *a = sf_input_node(g, n, 0), *b = sf_input_node(g, n, 1);
  if (a->dtype != b->dtype)
    return sf_error_set(err, SF_ETYPE, "dtype mismatch: %s vs %s", sf_dtype_name(a->dtype), sf_dtype_name(b->dtype));
  if (!sf_dtype_is_float(a->dtype)) return sf_error_set(err, SF_ETYPE, "matmul needs float inputs, got %s", sf_dtype_name(a->dtype));
  n->dtype = a->dtype;
  n->shape_known = a->shape_known && b->shape_known;
  if (!n->shape_known) return SF_OK;
  return matmul_dims(&a->shape, &b->shape, sf_node_attr(n, "transpose_a")->b, sf_node_attr(n, "transpose_b")->b,
                     &n->shape, err);
}

static sf_status matmul_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *a = c->in[0], *b = c->in[1];
  bool ta = sf_node_attr(c->node, "transpose_a")->b, tb = sf_node_attr(c->node, "transpose_b")->b;
  sf_shape s;
  if (matmul_dims(&a->shape, &b->shape, ta, tb, &s, c->err) != SF_OK) return c->err->code;
  sf_status st = sf_new_output(c, a->dtype, &s, out);
  if (st != SF_OK) return st;
  sf_matmul_job job = {.a = a->data, .b = b->data, .out = (*out)->data, .m = s.dims[0], .n = s.dims[1],
                       .k = ta ? a->shape.dims[0] : a->shape.dims[1], .ta = ta, .tb = tb,
                       .pairwise = c->rt && c->rt->accumulate == SF_ACC_PAIRWISE, .f64 = a->dtype == SF_FLOAT64};
  if (!sf_matmul_threads(&job, SF_MM_AUTO, sf_kctx_threads(c))) {
    sf_tensor_unref(*out);
    *out = NULL;
    return sf_error_set(c->err, SF_ENOMEM, "%s: out of memory for the matmul buffers", c->node->name);
  }
  return SF_OK;
}
/* _MatMulGrad: for C = A B, dA = dC B^T and dB = A^T dC (transposed variants likewise). */
static sf_status matmul_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  bool ta = sf_node_attr(n, "transpose_a")->b, tb = sf_node_attr(n, "transpose_b")->b;
  int a = n->inputs[0], w = n->inputs[1];
  sf_attr_value t[4][2] = {{{.b = false}, {.b = true}}, {{.b = true}, {.b = false}},
                           {{.b = true}, {.b = true}}, {{.b = false}, {.b = false}}};
  sf_status st;
  if (!ta && !tb) {
    st = sf_g_op(b, "MatMul", (int[]){dy, w}, 2, t[0], &dx[0]);
    return st == SF_OK ? sf_g_op(b, "MatMul", (int[]){a, dy}, 2, t[1], &dx[1]) : st;
  }
  if (!ta && tb) {
    st = sf_g_op(b, "MatMul", (int[]){dy, w}, 2, t[3], &dx[0]);
    return st == SF_OK ? sf_g_op(b, "MatMul", (int[]){dy, a}, 2, t[1], &dx[1]) : st;
  }
  if (ta && !tb) {
    st = sf_g_op(b, "MatMul", (int[]){w, dy}, 2, t[0], &dx[0]);
    return st == SF_OK ? sf_g_op(b, "MatMul", (int[]){a, dy}, 2, t[3], &dx[1]) : st;
  }
  st = sf_g_op(b, "MatMul", (int[]){w, dy}, 2, t[2], &dx[0]);
  return st == SF_OK ? sf_g_op(b, "MatMul", (int[]){dy, a}, 2, t[2], &dx[1]) : st;
}

const sf_op_def sf_op_MatMul = {"MatMul", 2,
    SF_ATTRS(A_BOOL("transpose_a", false), A_BOOL("transpose_b", false)),
    matmul_shape, matmul_kernel, matmul_grad, SF_OPF_EXPENSIVE, "matrix product, optional transposes"};

/* ---- Mean over axes (input 1: int axes; attr keep_dims) ---- */

static sf_status axes_mask(const sf_tensor *axes, int rank, bool mask[SF_MAX_RANK], sf_error *err) {
  memset(mask, 0, SF_MAX_RANK * sizeof *mask);
  for (int64_t i = 0; i < axes->n; i++) {
    int64_t ax = sf_tensor_get_i64(axes, i);
    if (ax < -rank || ax >= rank)
      return sf_error_set(err, SF_EINVAL, "axis %" PRId64 " is out of range for rank %d", ax, rank);
    mask[ax < 0 ? ax + rank : ax] = true;
  }
  return SF_OK;
}

static void reduced_shape(const sf_shape *in, const bool mask[SF_MAX_RANK], bool keep, sf_shape *out) {
  sf_shape s = {0};
  for (int d = 0; d < in->rank; d++) {
    if (!mask[d]) s.dims[s.rank++] = in->dims[d];
    else if (keep) s.dims[s.rank++] = 1;
  }
  *out = s;
}

sf_status sf_reduction_shape(const sf_tensor *axes, const sf_shape *in, bool keep, bool mask[SF_MAX_RANK], sf_shape *out,
                             sf_error *err) {
  if (axes_mask(axes, in->rank, mask, err) != SF_OK) return err->code;
  reduced_shape(in, mask, keep, out);
  return SF_OK;
}

static sf_status mean_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *x = sf_input_node(g, n, 0), *ax = sf_input_node(g, n, 1);
  if (!sf_dtype_is_float(x->dtype)) return sf_error_set(err, SF_ETYPE, "mean needs a float input, got %s", sf_dtype_name(x->dtype));
  n->dtype = x->dtype;
  n->shape_known = x->shape_known && ax->value;
  if (!n->shape_known) return SF_OK;
  bool mask[SF_MAX_RANK];
  if (axes_mask(ax->value, x->shape.rank, mask, err) != SF_OK) return err->code;
  reduced_shape(&x->shape, mask, sf_node_attr(n, "keep_dims")->b, &n->shape);
  return SF_OK;
}

/* Sum of n values in the run's accumulation order, each partial sum rounded to float32
 * for float32 tensors (as Eigen's scalar reducer does). */
static double sum_ordered(const double *v, int64_t n, bool f32, sf_accumulate acc) {
  if (acc == SF_ACC_PAIRWISE && n > 2) {
    double s = sum_ordered(v, n / 2, f32, acc) + sum_ordered(v + n / 2, n - n / 2, f32, acc);
    return f32 ? (float)s : s;
  }
  double s = 0;
  for (int64_t i = 0; i < n; i++) s = f32 ? (float)(s + v[i]) : s + v[i];
  return s;
}

int64_t sf_reduced_index(const sf_shape *in, const bool mask[SF_MAX_RANK], int64_t i) {
  int64_t rem = i, o = 0, stride = 1;
  for (int d = in->rank - 1; d >= 0; d--) {
    int64_t coord = rem % in->dims[d];
    rem /= in->dims[d];
    if (!mask[d]) {
      o += coord * stride;
      stride *= in->dims[d];
    }
  }
  return o;
}

sf_status sf_reduce_sum(sf_kctx *c, const sf_tensor *x, const bool mask[SF_MAX_RANK], sf_tensor *out) {
  int64_t per = out->n ? x->n / out->n : 0;
  double *buf = malloc((size_t)(x->n ? x->n : 1) * sizeof *buf);
  int64_t *fill = calloc((size_t)(out->n ? out->n : 1), sizeof *fill);
  if (!buf || !fill) {
    free(buf);
    free(fill);
    return sf_error_set(c->err, SF_ENOMEM, "out of memory");
  }
  for (int64_t i = 0; i < x->n; i++) { /* element i goes to output o, in row order */
    int64_t o = sf_reduced_index(&x->shape, mask, i);
    buf[o * per + fill[o]++] = sf_tensor_get(x, i);
  }
  sf_accumulate acc = c->rt ? c->rt->accumulate : SF_ACC_SEQUENTIAL;
  for (int64_t o = 0; o < out->n; o++) sf_tensor_set(out, o, sum_ordered(buf + o * per, per, x->dtype == SF_FLOAT32, acc));
  free(buf);
  free(fill);
  return SF_OK;
}

static sf_status mean_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *x = c->in[0];
  bool mask[SF_MAX_RANK];
  if (axes_mask(c->in[1], x->shape.rank, mask, c->err) != SF_OK) return c->err->code;
  sf_shape s;
  reduced_shape(&x->shape, mask, sf_node_attr(c->node, "keep_dims")->b, &s);
  sf_status st = sf_new_output(c, x->dtype, &s, out);
  if (st == SF_OK) st = sf_reduce_sum(c, x, mask, *out);
  int64_t count = (*out) && (*out)->n ? x->n / (*out)->n : 0;
  for (int64_t o = 0; st == SF_OK && o < (*out)->n; o++) sf_tensor_set(*out, o, count ? sf_tensor_get(*out, o) / (double)count : NAN);
  return st;
}
/* dy of a reduction over input 1's axes, broadcast back to x's shape (math_grad.py _SumGrad). With a
 * dimension of x unknown until run time (a placeholder's None) the shape to broadcast to
 * is Shape(x), as _SumGrad's dynamic branch takes it, and dy is reshaped with -1 there;
 * *count is then -1 when a reduced dimension is the unknown one. */
static sf_status broadcast_back(const sf_builder *b, const sf_node *n, int dy, int *out, int64_t *count) {
  const sf_node *x = grad_input(b, n, 0), *axes = grad_input(b, n, 1);
  if (!x->shape_known || !axes->value) return sf_error_set(b->err, SF_ESHAPE, "gradient of '%s' needs known shapes", n->name);
  int64_t kept[SF_MAX_RANK], full[SF_MAX_RANK];
  *count = 1;
  for (int d = 0; d < x->shape.rank; d++) kept[d] = full[d] = x->shape.dims[d];
  for (int64_t i = 0; i < axes->value->n; i++) {
    int64_t ax = sf_tensor_get_i64(axes->value, i);
    if (ax < 0) ax += x->shape.rank;
    if (kept[ax] < 0 || *count < 0) *count = -1;
    else *count *= kept[ax] == 1 ? 1 : kept[ax];
    kept[ax] = 1;
  }
  int unknown = 0;
  for (int d = 0; d < x->shape.rank; d++) unknown += kept[d] < 0;
  if (unknown > 1) return sf_error_set(b->err, SF_ESHAPE, "gradient of '%s' needs known shapes", n->name);
  int kshape, r, fshape;
  sf_status st = sf_g_ints(b, kept, x->shape.rank, &kshape);
  if (st == SF_OK) st = sf_g_op(b, "Reshape", (int[]){dy, kshape}, 2, NULL, &r);
  if (st == SF_OK) st = sf_shape_partial(&x->shape) ? sf_g_op(b, "Shape", &n->inputs[0], 1, NULL, &fshape) : sf_g_ints(b, full, x->shape.rank, &fshape);
  if (st == SF_OK) st = sf_g_op(b, "BroadcastTo", (int[]){r, fshape}, 2, NULL, out);
  return st;
}

static sf_status sum_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  int64_t count;
  return broadcast_back(b, n, dy, &dx[0], &count);
}

/* The number of elements of node id, as a float scalar of dtype dt computed at run time:
 * Prod(Shape(id)). */
static sf_status run_time_size(const sf_builder *b, int id, sf_dtype dt, int *out) {
  int shape, axis, prod;
  sf_attr_value cast[1] = {{.type = dt}};
  sf_status st = sf_g_op(b, "Shape", &id, 1, NULL, &shape);
  if (st == SF_OK) st = sf_g_ints(b, (int64_t[]){0}, 1, &axis);
  if (st == SF_OK) st = sf_g_op(b, "Prod", (int[]){shape, axis}, 2, NULL, &prod);
  if (st == SF_OK) st = sf_g_op(b, "Cast", &prod, 1, cast, out);
  return st;
}

/* math_grad.py _MeanGrad: the sum's gradient divided by the number of reduced elements: a constant when
 * the reduced dimensions are known, else (its dynamic branch) x's size over the mean's,
 * at least 1 (_safe_shape_div), computed at run time. */
static sf_status mean_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  int64_t count;
  int bc, cnt;
  sf_dtype dt = grad_input(b, n, 0)->dtype;
  sf_status st = broadcast_back(b, n, dy, &bc, &count);
  if (st == SF_OK && count >= 0) st = sf_g_scalar(b, dt, (double)count, &cnt);
  if (st == SF_OK && count < 0) {
    int in_size, out_size, one, at_least_one;
    st = run_time_size(b, n->inputs[0], dt, &in_size);
    if (st == SF_OK) st = run_time_size(b, n->id, dt, &out_size);
    if (st == SF_OK) st = sf_g_scalar(b, dt, 1, &one);
    if (st == SF_OK) st = sf_g_op(b, "Maximum", (int[]){out_size, one}, 2, NULL, &at_least_one);
    if (st == SF_OK) st = sf_g_op(b, "RealDiv", (int[]){in_size, at_least_one}, 2, NULL, &cnt);
  }
  if (st == SF_OK) st = sf_g_op(b, "RealDiv", (int[]){bc, cnt}, 2, NULL, &dx[0]);
  return st;
}

const sf_op_def sf_op_Mean = {"Mean", 2, SF_ATTRS(A_BOOL("keep_dims", false)), mean_shape, mean_kernel, mean_grad, 0,
                              "mean over the axes in input 1"};

/* ---- Reshape (input 1: the new shape, one -1 allowed) ---- */

static sf_status reshape_to(const sf_tensor *shape_t, int64_t n, sf_shape *out, sf_error *err) {
  if (shape_t->n > SF_MAX_RANK) return sf_error_set(err, SF_ESHAPE, "rank %" PRId64 " is above %d", shape_t->n, SF_MAX_RANK);
  sf_shape s = {.rank = (int)shape_t->n};
  int infer = -1;
  int64_t known = 1;
  for (int d = 0; d < s.rank; d++) {
    s.dims[d] = sf_tensor_get_i64(shape_t, d);
    if (s.dims[d] == -1 && infer < 0) infer = d;
    else if (s.dims[d] < 0) return sf_error_set(err, SF_ESHAPE, "dimension %d is %" PRId64, d, s.dims[d]);
    else if (s.dims[d] && known > SF_MAX_ELEMENTS / s.dims[d]) return sf_error_set(err, SF_ESHAPE, "shape is too large");
    else known *= s.dims[d];
  }
  if (infer >= 0) s.dims[infer] = known ? n / known : 0;
  int64_t total;
  if (sf_shape_check(&s, &total, err) != SF_OK) return err->code;
  if (total != n) return sf_error_set(err, SF_ESHAPE, "cannot reshape %" PRId64 " elements to %" PRId64, n, total);
  *out = s;
  return SF_OK;
}

static sf_status reshape_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *x = sf_input_node(g, n, 0), *sh = sf_input_node(g, n, 1);
  n->dtype = x->dtype;
  n->shape_known = x->shape_known && sh->value;
  if (!n->shape_known) return SF_OK;
  /* x's size known only at run time: the -1 entry stays unknown (core/ops/array_ops.cc,
   * SetOutputShapeForReshape) */
  if (sf_shape_partial(&x->shape) && sh->value->n <= SF_MAX_RANK) {
    n->shape = (sf_shape){.rank = (int)sh->value->n};
    int infer = 0;
    for (int d = 0; d < n->shape.rank; d++) {
      n->shape.dims[d] = sf_tensor_get_i64(sh->value, d);
      if (n->shape.dims[d] < -1 || (n->shape.dims[d] == -1 && infer++))
        return sf_error_set(err, SF_ESHAPE, "dimension %d is %" PRId64, d, n->shape.dims[d]);
    }
    return SF_OK;
  }
  int64_t count;
  sf_shape_check(&x->shape, &count, NULL);
  return reshape_to(sh->value, count, &n->shape, err);
}

static sf_status reshape_kernel(sf_kctx *c, sf_tensor **out) {
  sf_shape s;
  if (reshape_to(c->in[1], c->in[0]->n, &s, c->err) != SF_OK) return c->err->code;
  return sf_output_reshaped(c, &s, out);
}
static sf_status reshape_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  const sf_node *x = grad_input(b, n, 0);
  int64_t dims[SF_MAX_RANK];
  for (int d = 0; d < x->shape.rank; d++) dims[d] = x->shape.dims[d];
  int shape;
  sf_status st = sf_g_ints(b, dims, x->shape.rank, &shape);
  return st == SF_OK ? sf_g_op(b, "Reshape", (int[]){dy, shape}, 2, NULL, &dx[0]) : st;
}

const sf_op_def sf_op_Reshape = {"Reshape", 2, SF_NO_ATTRS, reshape_shape, reshape_kernel, reshape_grad, 0, "same values, new shape"};

/* ---- Cast ---- */

static sf_status cast_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  sf_status st = sf_shape_same_as_input(g, n, err);
  n->dtype = sf_node_attr(n, "DstT")->type;
  return st;
}
static sf_status cast_kernel(sf_kctx *c, sf_tensor **out) {
  sf_status st = sf_new_output(c, sf_node_attr(c->node, "DstT")->type, &c->in[0]->shape, out);
  for (int64_t i = 0; st == SF_OK && i < (*out)->n; i++) {
    if (!sf_dtype_is_float(c->in[0]->dtype)) /* int -> any: exact; int64 -> int32 wraps as TF */
      sf_tensor_set_i64(*out, i, sf_tensor_get_i64(c->in[0], i));
    else /* float -> int: sf_cast_to_int, TF's x86 result, no UB */
      sf_tensor_set(*out, i, sf_tensor_get(c->in[0], i));
  }
  return st;
}
static sf_status cast_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  sf_dtype src = grad_input(b, n, 0)->dtype;
  if (!sf_dtype_is_float(src)) return SF_OK;
  sf_attr_value a = {.type = src};
  return sf_g_op(b, "Cast", &dy, 1, &a, &dx[0]);
}

const sf_op_def sf_op_Cast = {"Cast", 1, SF_ATTRS(A_TYPE("DstT", SF_FLOAT32)), cast_shape, cast_kernel, cast_grad, 0,
                              "converts to dtype DstT"};

/* d(x^2) = dy * (2 * x) */
static sf_status square_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  int two, tx;
  sf_status st = sf_g_scalar(b, n->dtype, 2.0, &two);
  if (st == SF_OK) st = sf_g_op(b, "Mul", (int[]){two, n->inputs[0]}, 2, NULL, &tx);
  return st == SF_OK ? sf_g_op(b, "Mul", (int[]){dy, tx}, 2, NULL, &dx[0]) : st;
}

/* ---- Square, Sum, BroadcastTo (so far only gradients build them) ---- */

static double sq(double x) { return x * x; }
static sf_status square_kernel(sf_kctx *c, sf_tensor **out) { return sf_unary_map(c, out, sq); }
const sf_op_def sf_op_Square = {"Square", 1, SF_NO_ATTRS, sf_shape_same_float, square_kernel, square_grad, 0, "x * x"};

/* Sum over the axes in input 1 (keep_dims false), accumulated in row order. */
static sf_status sum_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *x = sf_input_node(g, n, 0), *ax = sf_input_node(g, n, 1);
  n->dtype = x->dtype;
  n->shape_known = x->shape_known && ax->value;
  if (!n->shape_known) return SF_OK;
  bool mask[SF_MAX_RANK] = {0};
  for (int64_t i = 0; i < ax->value->n; i++) {
    int64_t a = sf_tensor_get_i64(ax->value, i);
    if (a < -x->shape.rank || a >= x->shape.rank) return sf_error_set(err, SF_EINVAL, "axis %lld is out of range", (long long)a);
    mask[a < 0 ? a + x->shape.rank : a] = true;
  }
  reduced_shape(&x->shape, mask, sf_node_attr(n, "keep_dims")->b, &n->shape);
  return SF_OK;
}

static sf_status sum_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *x = c->in[0], *ax = c->in[1];
  bool mask[SF_MAX_RANK] = {0};
  for (int64_t i = 0; i < ax->n; i++) {
    int64_t a = sf_tensor_get_i64(ax, i);
    if (a < -x->shape.rank || a >= x->shape.rank)
      return sf_error_set(c->err, SF_EINVAL, "%s: axis %lld is out of range", c->node->name, (long long)a);
    mask[a < 0 ? a + x->shape.rank : a] = true;
  }
  sf_shape s;
  reduced_shape(&x->shape, mask, sf_node_attr(c->node, "keep_dims")->b, &s);
  sf_status st = sf_new_output(c, x->dtype, &s, out);
  return st == SF_OK ? sf_reduce_sum(c, x, mask, *out) : st;
}
const sf_op_def sf_op_Sum = {"Sum", 2, SF_ATTRS(A_BOOL("keep_dims", false)), sum_shape, sum_kernel, sum_grad, 0,
                             "sum over the axes in input 1"};

static sf_status broadcast_to_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *x = sf_input_node(g, n, 0);
  n->dtype = x->dtype;
  sf_status st;
  n->shape_known = sf_const_shape(g, n, 1, &n->shape, err, &st);
  /* a dimension known only at run time is checked when it runs */
  if (st == SF_OK && n->shape_known && x->shape_known && !sf_shape_partial(&n->shape)) {
    sf_shape out;
    if ((st = sf_broadcast_shape(&x->shape, &n->shape, &out, err)) == SF_OK && !sf_shape_equal(&out, &n->shape))
      st = sf_error_set(err, SF_ESHAPE, "cannot broadcast to a smaller shape");
  }
  return st;
}

static sf_status broadcast_to_kernel(sf_kctx *c, sf_tensor **out) {
  sf_shape s, r;
  if (sf_tensor_to_shape(c->in[1], &s, c->err) != SF_OK) return c->err->code;
  if (sf_broadcast_shape(&c->in[0]->shape, &s, &r, c->err) != SF_OK) return c->err->code;
  sf_status st = sf_new_output(c, c->in[0]->dtype, &r, out);
  const sf_tensor *x = c->in[0];
  for (int64_t i = 0; st == SF_OK && i < (*out)->n; i++) {
    int64_t rem = i, off = 0, stride = 1;
    for (int d = r.rank - 1; d >= 0; d--) {
      int64_t coord = rem % r.dims[d];
      rem /= r.dims[d];
      int xd = x->shape.rank - r.rank + d;
      if (xd >= 0) {
        if (x->shape.dims[xd] != 1) off += coord * stride;
        stride *= x->shape.dims[xd];
      }
    }
    sf_tensor_set(*out, i, sf_tensor_get(x, off));
  }
  return st;
}
/* array_grad.py _BroadcastToGrad: reduce_sum over the axes BroadcastGradientArgs gives,
 * keepdims, then reshape to the input's shape (Sum without keepdims + Reshape here: same
 * values); the shape input gets None. */
static sf_status broadcast_to_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  return sf_g_unbroadcast(b, dy, grad_input(b, n, 0), &dx[0]);
}
const sf_op_def sf_op_BroadcastTo = {"BroadcastTo", 2, SF_NO_ATTRS, broadcast_to_shape, broadcast_to_kernel, broadcast_to_grad, 0,
                                     "x broadcast to the shape in input 1"};
