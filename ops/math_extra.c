/* math_extra.c — the reductions and elementwise ops tf.reduce_max / reduce_min /
 * reduce_prod / reduce_all / reduce_any, tf.abs, tf.sqrt, tf.maximum, tf.minimum and
 * tf.logical_* build (gen_math_ops: Max, Min, Prod, All, Any, Abs, Sqrt, Maximum, Minimum,
 * LogicalAnd, LogicalOr, LogicalNot). Max / Min / All / Any do not depend on the order in
 * which elements are combined; Prod multiplies in row order, each product rounded to the
 * dtype (Eigen's ProdReducer without its vectorised packets). Sqrt is IEEE sqrt (Eigen's
 * psqrt is the correctly rounded _mm_sqrt_ps), Abs exact. Gradient rules for Abs (through
 * Sign), Sqrt (through SqrtGrad), Maximum and Minimum (through SelectV2) follow math_grad.py. */
#include "ops_internal.h"

#include <math.h>
#include <string.h>

typedef enum { R_MAX, R_MIN, R_PROD, R_ALL, R_ANY } reduce_kind;

static sf_status reduce_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *x = sf_input_node(g, n, 0), *ax = sf_input_node(g, n, 1);
  bool logical = strcmp(n->op->name, "All") == 0 || strcmp(n->op->name, "Any") == 0;
  if (logical != (x->dtype == SF_BOOL))
    return sf_error_set(err, SF_ETYPE, "%s needs a %s input, got %s", n->op->name, logical ? "bool" : "numeric",
                        sf_dtype_name(x->dtype));
  n->dtype = x->dtype;
  n->shape_known = x->shape_known && ax->value;
  if (!n->shape_known) return SF_OK;
  bool mask[SF_MAX_RANK];
  return sf_reduction_shape(ax->value, &x->shape, sf_node_attr(n, "keep_dims")->b, mask, &n->shape, err);
}

static double combine(reduce_kind k, double a, double b) {
  switch (k) {
    case R_MAX: return isnan(a) || a >= b ? a : b;  /* NaN propagates */
    case R_MIN: return isnan(a) || a <= b ? a : b;
    case R_PROD: return a * b;
    case R_ALL: return a != 0 && b != 0;
    default: return a != 0 || b != 0;
  }
}

static sf_status reduce_run(sf_kctx *c, sf_tensor **out, reduce_kind k) {
  const sf_tensor *x = c->in[0];
  bool mask[SF_MAX_RANK];
  sf_shape s;
  if (sf_reduction_shape(c->in[1], &x->shape, sf_node_attr(c->node, "keep_dims")->b, mask, &s, c->err) != SF_OK)
    return c->err->code;
  sf_status st = sf_new_output(c, x->dtype, &s, out);
  if (st != SF_OK) return st;
  bool integer = !sf_dtype_is_float(x->dtype) && x->dtype != SF_BOOL, f32 = x->dtype == SF_FLOAT32;
  /* the identity of each reduction, for an empty reduced extent (Eigen's reducer initialize) */
  for (int64_t o = 0; o < (*out)->n; o++) {
    switch (k) {
      case R_MAX: integer ? sf_tensor_set_i64(*out, o, x->dtype == SF_INT32 ? INT32_MIN : INT64_MIN) : sf_tensor_set(*out, o, -INFINITY); break;
      case R_MIN: integer ? sf_tensor_set_i64(*out, o, x->dtype == SF_INT32 ? INT32_MAX : INT64_MAX) : sf_tensor_set(*out, o, INFINITY); break;
      case R_PROD: case R_ALL: sf_tensor_set_i64(*out, o, 1); break;
      default: sf_tensor_set_i64(*out, o, 0); break;
    }
  }
  for (int64_t i = 0; i < x->n; i++) { /* element i goes to output o, in row order */
    int64_t o = sf_reduced_index(&x->shape, mask, i);
    if (integer) {
      int64_t a = sf_tensor_get_i64(*out, o), b = sf_tensor_get_i64(x, i), r;
      if (k == R_MAX) r = a >= b ? a : b;
      else if (k == R_MIN) r = a <= b ? a : b;
      else r = (int64_t)((uint64_t)a * (uint64_t)b);
      sf_tensor_set_i64(*out, o, r);
    } else {
      double r = combine(k, sf_tensor_get(*out, o), sf_tensor_get(x, i));
      sf_tensor_set(*out, o, f32 ? (float)r : r);
    }
  }
  return SF_OK;
}

static sf_status max_kernel(sf_kctx *c, sf_tensor **o) { return reduce_run(c, o, R_MAX); }
static sf_status min_kernel(sf_kctx *c, sf_tensor **o) { return reduce_run(c, o, R_MIN); }
static sf_status prod_kernel(sf_kctx *c, sf_tensor **o) { return reduce_run(c, o, R_PROD); }
static sf_status all_kernel(sf_kctx *c, sf_tensor **o) { return reduce_run(c, o, R_ALL); }
static sf_status any_kernel(sf_kctx *c, sf_tensor **o) { return reduce_run(c, o, R_ANY); }

/* math_grad.py _MinOrMaxGrad: y and grad reshaped to the kept-dims shape; indicators =
 * cast(equal(y, x)); num_selected = reshape(reduce_sum(indicators, axes), kept); the
 * gradient is indicators / num_selected * grad (ties share it). */
static sf_status minmax_reduce_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  const sf_node *x = sf_g_node(b, n->inputs[0]), *axes = sf_g_node(b, n->inputs[1]);
  if (!x->shape_known || !axes->value) return sf_error_set(b->err, SF_ESHAPE, "gradient of '%s' needs known shapes", n->name);
  int64_t kept[SF_MAX_RANK];
  for (int d = 0; d < x->shape.rank; d++) kept[d] = x->shape.dims[d];
  for (int64_t i = 0; i < axes->value->n; i++) {
    int64_t a = sf_tensor_get_i64(axes->value, i);
    kept[a < 0 ? a + x->shape.rank : a] = 1;
  }
  int shape, y = n->id, g = dy, eq, ind, sum, num, div;
  sf_attr_value cast = {.type = x->dtype};
  sf_status st = sf_g_ints(b, kept, x->shape.rank, &shape);
  if (st == SF_OK && !sf_node_attr(n, "keep_dims")->b) {
    st = sf_g_op(b, "Reshape", (int[]){n->id, shape}, 2, NULL, &y);
    if (st == SF_OK) st = sf_g_op(b, "Reshape", (int[]){dy, shape}, 2, NULL, &g);
  }
  if (st == SF_OK) st = sf_g_op(b, "Equal", (int[]){y, n->inputs[0]}, 2, NULL, &eq);
  if (st == SF_OK) st = sf_g_op(b, "Cast", &eq, 1, &cast, &ind);
  if (st == SF_OK) st = sf_g_op(b, "Sum", (int[]){ind, n->inputs[1]}, 2, NULL, &sum);
  if (st == SF_OK) st = sf_g_op(b, "Reshape", (int[]){sum, shape}, 2, NULL, &num);
  if (st == SF_OK) st = sf_g_op(b, "RealDiv", (int[]){ind, num}, 2, NULL, &div);
  return st == SF_OK ? sf_g_op(b, "Mul", (int[]){div, g}, 2, NULL, &dx[0]) : st;
}

/* math_grad.py _ProdGrad: grad reshaped to the kept-dims shape and broadcast to x's;
 * x transposed so the reduced axes (in the order given) come first, reshaped to
 * [reduced_num, other_num]; the product of the others at each entry is
 * cumprod(exclusive) * cumprod(exclusive, reverse) along axis 0 (no division, so zeros
 * are fine), reshaped and transposed back, times grad. The shape arithmetic TF does with
 * Shape / ListDiff / Gather / InvertPermutation nodes is constant here. */
static sf_status prod_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  const sf_node *x = sf_g_node(b, n->inputs[0]), *axes = sf_g_node(b, n->inputs[1]);
  if (!x->shape_known || !axes->value) return sf_error_set(b->err, SF_ESHAPE, "gradient of '%s' needs known shapes", n->name);
  int r = x->shape.rank, np = 0;
  int64_t kept[SF_MAX_RANK], full[SF_MAX_RANK], perm[SF_MAX_RANK], inv[SF_MAX_RANK], pshape[SF_MAX_RANK], flat[2] = {1, 1};
  bool red[SF_MAX_RANK] = {0};
  for (int d = 0; d < r; d++) kept[d] = full[d] = x->shape.dims[d];
  for (int64_t i = 0; i < axes->value->n; i++) {
    int64_t a = (sf_tensor_get_i64(axes->value, i) + r) % (r ? r : 1);
    kept[a] = 1;
    if (!red[a]) red[a] = true, perm[np++] = a, flat[0] *= x->shape.dims[a];
  }
  for (int d = 0; d < r; d++)
    if (!red[d]) perm[np++] = d, flat[1] *= x->shape.dims[d];
  for (int d = 0; d < r; d++) inv[perm[d]] = d, pshape[d] = x->shape.dims[perm[d]];
  int kshape, g = dy, fshape, p, ip, pt, fl, two, rs, zero, left, right, y, ps, yt, prod;
  sf_attr_value fwd[2] = {{.b = true}, {.b = false}}, bwd[2] = {{.b = true}, {.b = true}};
  sf_status st = sf_g_ints(b, kept, r, &kshape);
  if (st == SF_OK && !sf_node_attr(n, "keep_dims")->b) st = sf_g_op(b, "Reshape", (int[]){dy, kshape}, 2, NULL, &g);
  if (st == SF_OK) st = sf_g_ints(b, full, r, &fshape);
  if (st == SF_OK) st = sf_g_op(b, "BroadcastTo", (int[]){g, fshape}, 2, NULL, &g);
  if (st == SF_OK) st = sf_g_ints(b, perm, r, &p);
  if (st == SF_OK) st = sf_g_op(b, "Transpose", (int[]){n->inputs[0], p}, 2, NULL, &pt);
  if (st == SF_OK) st = sf_g_ints(b, flat, 2, &two);
  if (st == SF_OK) st = sf_g_op(b, "Reshape", (int[]){pt, two}, 2, NULL, &rs);
  if (st == SF_OK) st = sf_g_scalar(b, SF_INT32, 0, &zero);
  if (st == SF_OK) st = sf_g_op(b, "Cumprod", (int[]){rs, zero}, 2, fwd, &left);
  if (st == SF_OK) st = sf_g_op(b, "Cumprod", (int[]){rs, zero}, 2, bwd, &right);
  if (st == SF_OK) st = sf_g_op(b, "Mul", (int[]){left, right}, 2, NULL, &fl);
  if (st == SF_OK) st = sf_g_ints(b, pshape, r, &ps);
  if (st == SF_OK) st = sf_g_op(b, "Reshape", (int[]){fl, ps}, 2, NULL, &y);
  if (st == SF_OK) st = sf_g_ints(b, inv, r, &ip);
  if (st == SF_OK) st = sf_g_op(b, "Transpose", (int[]){y, ip}, 2, NULL, &yt);
  if (st == SF_OK) st = sf_g_op(b, "Mul", (int[]){g, yt}, 2, NULL, &prod);
  return st == SF_OK ? sf_g_op(b, "Reshape", (int[]){prod, fshape}, 2, NULL, &dx[0]) : st;
}

#define REDUCTION(name, kernel, grad, doc) \
  const sf_op_def sf_op_##name = {#name, 2, SF_ATTRS(A_BOOL("keep_dims", false)), reduce_shape, kernel, grad, 0, doc}
REDUCTION(Max, max_kernel, minmax_reduce_grad, "maximum over the axes in input 1");
REDUCTION(Min, min_kernel, minmax_reduce_grad, "minimum over the axes in input 1");
REDUCTION(Prod, prod_kernel, prod_grad, "product over the axes in input 1, in row order");
REDUCTION(All, all_kernel, NULL, "logical and over the axes in input 1");
REDUCTION(Any, any_kernel, NULL, "logical or over the axes in input 1");

/* ---- elementwise ---- */

static sf_status numeric_same(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *x = sf_input_node(g, n, 0);
  if (x->dtype == SF_BOOL) return sf_error_set(err, SF_ETYPE, "%s needs a numeric input, got bool", n->op->name);
  return sf_shape_same_as_input(g, n, err);
}

static sf_status abs_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *x = c->in[0];
  sf_status st = sf_new_output(c, x->dtype, &x->shape, out);
  for (int64_t i = 0; st == SF_OK && i < x->n; i++) {
    if (sf_dtype_is_float(x->dtype)) sf_tensor_set(*out, i, fabs(sf_tensor_get(x, i)));
    else {
      int64_t v = sf_tensor_get_i64(x, i);
      sf_tensor_set_i64(*out, i, v < 0 ? (int64_t)(0 - (uint64_t)v) : v);
    }
  }
  return st;
}
/* math_grad.py _AbsGrad: grad * sign(x). */
static sf_status abs_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  int s;
  sf_status st = sf_g_op(b, "Sign", &n->inputs[0], 1, NULL, &s);
  return st == SF_OK ? sf_g_op(b, "Mul", (int[]){dy, s}, 2, NULL, &dx[0]) : st;
}
const sf_op_def sf_op_Abs = {"Abs", 1, SF_NO_ATTRS, numeric_same, abs_kernel, abs_grad, 0, "|x|"};

/* Eigen's scalar_sign_op for reals: (x > 0) - (x < 0), so +0 for either zero. */
static double f_sign(double x) { return (x > 0) - (x < 0); }
static sf_status sign_kernel(sf_kctx *c, sf_tensor **out) { return sf_unary_map(c, out, f_sign); }
/* math_grad.py _SignGrad: zeros_like(x). */
static sf_status sign_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  (void)dy;
  const sf_node *x = sf_g_node(b, n->inputs[0]);
  if (!x->shape_known) return sf_error_set(b->err, SF_ESHAPE, "gradient of '%s' needs known shapes", n->name);
  sf_tensor *t = sf_tensor_new(x->dtype, &x->shape, b->err); /* zero-filled */
  if (!t) return b->err->code;
  sf_status st = b->constant(b->ctx, t, &dx[0]);
  sf_tensor_unref(t);
  return st;
}
const sf_op_def sf_op_Sign = {"Sign", 1, SF_NO_ATTRS, sf_shape_same_float, sign_kernel, sign_grad, 0,
                              "-1, 0 or 1 by the sign of x (Abs's gradient builds it)"};

static sf_status sqrt_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *x = c->in[0];
  sf_status st = sf_new_output(c, x->dtype, &x->shape, out);
  for (int64_t i = 0; st == SF_OK && i < x->n; i++)
    sf_tensor_set(*out, i, x->dtype == SF_FLOAT32 ? sqrtf((float)sf_tensor_get(x, i)) : sqrt(sf_tensor_get(x, i)));
  return st;
}
/* math_grad.py _SqrtGrad: gen_math_ops.sqrt_grad(y, grad), the SqrtGrad op (array.c). */
static sf_status sqrt_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  return sf_g_op(b, "SqrtGrad", (int[]){n->id, dy}, 2, NULL, &dx[0]);
}
const sf_op_def sf_op_Sqrt = {"Sqrt", 1, SF_NO_ATTRS, sf_shape_same_float, sqrt_kernel, sqrt_grad, 0, "square root"};

/* Eigen's scalar_max_op / scalar_min_op (PropagateNaN not requested: the first operand's
 * comparison decides, as std::max / std::min). */
static double f_max(double a, double b) { return a < b ? b : a; }
static double f_min(double a, double b) { return b < a ? b : a; }
static int64_t i_max(int64_t a, int64_t b) { return a < b ? b : a; }
static int64_t i_min(int64_t a, int64_t b) { return b < a ? b : a; }
static double f_and(double a, double b) { return a != 0 && b != 0; }
static double f_or(double a, double b) { return a != 0 || b != 0; }

static sf_status logical_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  for (int i = 0; i < n->ninputs; i++)
    if (sf_input_node(g, n, i)->dtype != SF_BOOL)
      return sf_error_set(err, SF_ETYPE, "%s needs bool inputs, got %s", n->op->name, sf_dtype_name(sf_input_node(g, n, i)->dtype));
  return n->ninputs == 2 ? sf_shape_binary(g, n, err) : sf_shape_same_as_input(g, n, err);
}

static sf_status maximum_kernel(sf_kctx *c, sf_tensor **o) { return sf_binary_map(c, o, f_max, i_max, SF_FLOAT32); }
static sf_status minimum_kernel(sf_kctx *c, sf_tensor **o) { return sf_binary_map(c, o, f_min, i_min, SF_FLOAT32); }
static sf_status and_kernel(sf_kctx *c, sf_tensor **o) { return sf_binary_map(c, o, f_and, NULL, SF_BOOL); }
static sf_status or_kernel(sf_kctx *c, sf_tensor **o) { return sf_binary_map(c, o, f_or, NULL, SF_BOOL); }
static sf_status not_kernel(sf_kctx *c, sf_tensor **out) {
  sf_status st = sf_new_output(c, SF_BOOL, &c->in[0]->shape, out);
  for (int64_t i = 0; st == SF_OK && i < c->in[0]->n; i++) sf_tensor_set_i64(*out, i, !sf_tensor_get_i64(c->in[0], i));
  return st;
}

/* Select(cond, t, e) (TF 1's where): operands of one shape, or a scalar cond that picks all
 * of t or all of e (a random flip's cond in a graph); its rows-by-a-vector form is not
 * modelled. SelectV2 (where_v2) broadcasts the three to one shape (BCastList). */
static bool select_shapes_ok(const sf_shape *c, const sf_shape *t, const sf_shape *e) {
  return sf_shape_equal(t, e) && (c->rank == 0 || sf_shape_equal(c, t));
}

/* The output shape of n's operands, or an error naming them as TF's kernel does. */
static sf_status select_out_shape(const sf_node *n, const sf_shape *c, const sf_shape *t, const sf_shape *e, sf_shape *out,
                                  sf_error *err) {
  if (strcmp(n->op->name, "Select") == 0) {
    if (!select_shapes_ok(c, t, e)) return sf_error_set(err, SF_ESHAPE, "unsupported: Select of operands of different shapes");
    return *out = *t, SF_OK;
  }
  sf_shape ce;
  sf_error quiet = {0};
  if (sf_broadcast_shape(c, t, &ce, &quiet) == SF_OK && sf_broadcast_shape(&ce, e, out, &quiet) == SF_OK) return SF_OK;
  char cs[96], ts[96], es[96]; /* select_op.cc SelectV2Op: BCastList of the three */
  return sf_error_set(err, SF_ESHAPE, "condition %s, then %s, and else %s must be broadcastable", sf_shape_str(c, cs, sizeof cs),
                      sf_shape_str(t, ts, sizeof ts), sf_shape_str(e, es, sizeof es));
}

static sf_status select_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *c = sf_input_node(g, n, 0), *t = sf_input_node(g, n, 1), *e = sf_input_node(g, n, 2);
  const char *op = n->op->name;
  if (c->dtype != SF_BOOL) return sf_error_set(err, SF_ETYPE, "%s needs a bool condition, got %s", op, sf_dtype_name(c->dtype));
  if (t->dtype != e->dtype)
    return sf_error_set(err, SF_ETYPE, "%s: branches of %s and %s", op, sf_dtype_name(t->dtype), sf_dtype_name(e->dtype));
  n->dtype = t->dtype;
  n->shape_known = c->shape_known && t->shape_known && e->shape_known;
  return n->shape_known ? select_out_shape(n, &c->shape, &t->shape, &e->shape, &n->shape, err) : SF_OK;
}
static sf_status select_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *m = c->in[0], *t = c->in[1], *e = c->in[2];
  sf_shape os;
  sf_status st = select_out_shape(c->node, &m->shape, &t->shape, &e->shape, &os, c->err);
  if (st == SF_OK) st = sf_new_output(c, t->dtype, &os, out);
  if (st != SF_OK) return st;
  size_t es = sf_dtype_size(t->dtype);
  char *o = (char *)(*out)->data;
  if (m->shape.rank == 0 && sf_shape_equal(&t->shape, &os) && sf_shape_equal(&e->shape, &os)) { /* one cond for every element */
    if ((*out)->n) memcpy(o, (sf_tensor_get_i64(m, 0) ? t : e)->data, (size_t)(*out)->n * es);
  } else if (select_shapes_ok(&m->shape, &t->shape, &e->shape)) {
    for (int64_t i = 0; i < (*out)->n; i++)
      memcpy(o + (size_t)i * es, (const char *)(sf_tensor_get_i64(m, i) ? t : e)->data + (size_t)i * es, es);
  } else { /* SelectV2's broadcast */
    for (int64_t i = 0; i < (*out)->n; i++) {
      bool pick = sf_tensor_get_i64(m, sf_broadcast_offset(&os, &m->shape, i));
      const sf_tensor *src = pick ? t : e;
      memcpy(o + (size_t)i * es, (const char *)src->data + (size_t)sf_broadcast_offset(&os, &src->shape, i) * es, es);
    }
  }
  return SF_OK;
}

/* math_grad.py _SelectGradV2: zeros = zeros([], dtype) (a scalar Const); t gets
 * where_v2(c, grad, zeros), e where_v2(c, zeros, grad), each summed over the axes it was
 * broadcast along and reshaped to its shape; the condition none. */
static sf_status select_v2_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  const sf_node *g = sf_g_node(b, dy);
  sf_tensor *z = sf_tensor_new(g->dtype, &(sf_shape){0}, b->err); /* zero-filled */
  if (!z) return b->err->code;
  int zeros, gx, gy;
  sf_status st = b->constant(b->ctx, z, &zeros);
  sf_tensor_unref(z);
  if (st == SF_OK) st = sf_g_op(b, "SelectV2", (int[]){n->inputs[0], dy, zeros}, 3, NULL, &gx);
  if (st == SF_OK) st = sf_g_unbroadcast(b, gx, sf_g_node(b, n->inputs[1]), &dx[1]);
  if (st == SF_OK) st = sf_g_op(b, "SelectV2", (int[]){n->inputs[0], zeros, dy}, 3, NULL, &gy);
  return st == SF_OK ? sf_g_unbroadcast(b, gy, sf_g_node(b, n->inputs[2]), &dx[2]) : st;
}
const sf_op_def sf_op_SelectV2 = {"SelectV2", 3, SF_NO_ATTRS, select_shape, select_kernel, select_v2_grad, 0,
                                  "t where cond, else e, the three broadcast to one shape"};

/* math_grad.py _SelectGrad: zeros = zeros_like(x): a Const for a fully known shape below
 * 1000 elements (array_ops.zeros_like_impl's _constant_if_small), else a ZerosLike op; t
 * gets where(c, grad, zeros), e where(c, zeros, grad) (Select both); the condition none. */
static sf_status select_v1_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  const sf_node *x = sf_g_node(b, n->inputs[1]);
  int64_t count = 1;
  for (int d = 0; x->shape_known && d < x->shape.rank; d++) count *= x->shape.dims[d] < 0 ? 1000 : x->shape.dims[d];
  int zeros;
  sf_status st;
  if (x->shape_known && count < 1000) {
    sf_tensor *z = sf_tensor_new(x->dtype, &x->shape, b->err); /* zero-filled */
    if (!z) return b->err->code;
    st = b->constant(b->ctx, z, &zeros);
    sf_tensor_unref(z);
  } else {
    st = sf_g_op(b, "ZerosLike", &n->inputs[1], 1, NULL, &zeros);
  }
  if (st == SF_OK) st = sf_g_op(b, "Select", (int[]){n->inputs[0], dy, zeros}, 3, NULL, &dx[1]);
  return st == SF_OK ? sf_g_op(b, "Select", (int[]){n->inputs[0], zeros, dy}, 3, NULL, &dx[2]) : st;
}
/* TF 1's where (array_ops.where, tf.compat.v1.where): the same selection without broadcasting. */
const sf_op_def sf_op_Select = {"Select", 3, SF_NO_ATTRS, select_shape, select_kernel, select_v1_grad, 0,
                                "t where cond, else e (TF 1's where: operands of one shape, or a scalar cond)"};

/* math_grad.py _MaximumMinimumGrad: xmask = selector(x, y) (GreaterEqual for Maximum,
 * LessEqual for Minimum); x gets where(xmask, grad, 0), y where(xmask, 0, grad), each
 * summed back over its broadcast axes. */
static sf_status minmax_grad(const sf_builder *b, const sf_node *n, int dy, int *dx, const char *selector) {
  const sf_node *g = sf_g_node(b, dy);
  if (!g->shape_known) return sf_error_set(b->err, SF_ESHAPE, "gradient of '%s' needs known shapes", n->name);
  sf_tensor *z = sf_tensor_new(g->dtype, &g->shape, b->err); /* zero-filled */
  if (!z) return b->err->code;
  int zeros, mask, xg, yg;
  sf_status st = b->constant(b->ctx, z, &zeros);
  sf_tensor_unref(z);
  if (st == SF_OK) st = sf_g_op(b, selector, (int[]){n->inputs[0], n->inputs[1]}, 2, NULL, &mask);
  if (st == SF_OK) st = sf_g_op(b, "SelectV2", (int[]){mask, dy, zeros}, 3, NULL, &xg);
  if (st == SF_OK) st = sf_g_op(b, "SelectV2", (int[]){mask, zeros, dy}, 3, NULL, &yg);
  if (st == SF_OK) st = sf_g_unbroadcast(b, xg, sf_g_node(b, n->inputs[0]), &dx[0]);
  return st == SF_OK ? sf_g_unbroadcast(b, yg, sf_g_node(b, n->inputs[1]), &dx[1]) : st;
}
static sf_status maximum_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  return minmax_grad(b, n, dy, dx, "GreaterEqual");
}
static sf_status minimum_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  return minmax_grad(b, n, dy, dx, "LessEqual");
}

const sf_op_def sf_op_Maximum = {"Maximum", 2, SF_NO_ATTRS, sf_shape_binary, maximum_kernel, maximum_grad, 0,
                                 "max(x, y), broadcasting"};
const sf_op_def sf_op_Minimum = {"Minimum", 2, SF_NO_ATTRS, sf_shape_binary, minimum_kernel, minimum_grad, 0,
                                 "min(x, y), broadcasting"};
const sf_op_def sf_op_LogicalAnd = {"LogicalAnd", 2, SF_NO_ATTRS, logical_shape, and_kernel, NULL, SF_OPF_NO_GRADIENT, "x and y, broadcasting"};
const sf_op_def sf_op_LogicalOr = {"LogicalOr", 2, SF_NO_ATTRS, logical_shape, or_kernel, NULL, SF_OPF_NO_GRADIENT, "x or y, broadcasting"};
const sf_op_def sf_op_LogicalNot = {"LogicalNot", 1, SF_NO_ATTRS, logical_shape, not_kernel, NULL, SF_OPF_NO_GRADIENT, "not x"};
