/* math_grad.c — gradient rules of the math family (math_grad.py): each returns the nodes
 * that carry dy back to the op's inputs, built through the caller's builder so that the
 * same rule serves tf.gradients in a graph and the eager tape. Also Square, Sum and
 * BroadcastTo, which only gradients need so far. */
#include "ops_internal.h"

#include <string.h>

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

static const sf_node *in(const sf_builder *b, const sf_node *n, int i) { return sf_g_node(b, n->inputs[i]); }

sf_status sf_grad_AddV2(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  sf_status st = sf_g_unbroadcast(b, dy, in(b, n, 0), &dx[0]);
  return st == SF_OK ? sf_g_unbroadcast(b, dy, in(b, n, 1), &dx[1]) : st;
}

sf_status sf_grad_Sub(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  int neg;
  sf_status st = sf_g_unbroadcast(b, dy, in(b, n, 0), &dx[0]);
  if (st == SF_OK) st = sf_g_op(b, "Neg", &dy, 1, NULL, &neg);
  return st == SF_OK ? sf_g_unbroadcast(b, neg, in(b, n, 1), &dx[1]) : st;
}

/* d(x*y) = (dy*y, x*dy): TF's order of operands (gen_math_ops.mul(grad, y), mul(x, grad)). */
sf_status sf_grad_Mul(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  int gx, gy;
  sf_status st = sf_g_op(b, "Mul", (int[]){dy, n->inputs[1]}, 2, NULL, &gx);
  if (st == SF_OK) st = sf_g_op(b, "Mul", (int[]){n->inputs[0], dy}, 2, NULL, &gy);
  if (st == SF_OK) st = sf_g_unbroadcast(b, gx, in(b, n, 0), &dx[0]);
  return st == SF_OK ? sf_g_unbroadcast(b, gy, in(b, n, 1), &dx[1]) : st;
}

/* d(x/y) = (dy/y, dy * (-x/y/y)) */
sf_status sf_grad_RealDiv(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  int gx, negx, q1, q2, gy;
  sf_status st = sf_g_op(b, "RealDiv", (int[]){dy, n->inputs[1]}, 2, NULL, &gx);
  if (st == SF_OK) st = sf_g_op(b, "Neg", &n->inputs[0], 1, NULL, &negx);
  if (st == SF_OK) st = sf_g_op(b, "RealDiv", (int[]){negx, n->inputs[1]}, 2, NULL, &q1);
  if (st == SF_OK) st = sf_g_op(b, "RealDiv", (int[]){q1, n->inputs[1]}, 2, NULL, &q2);
  if (st == SF_OK) st = sf_g_op(b, "Mul", (int[]){dy, q2}, 2, NULL, &gy);
  if (st == SF_OK) st = sf_g_unbroadcast(b, gx, in(b, n, 0), &dx[0]);
  return st == SF_OK ? sf_g_unbroadcast(b, gy, in(b, n, 1), &dx[1]) : st;
}

sf_status sf_grad_Neg(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  (void)n;
  return sf_g_op(b, "Neg", &dy, 1, NULL, &dx[0]);
}

sf_status sf_grad_Identity(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  (void)b;
  (void)n;
  dx[0] = dy;
  return SF_OK;
}

/* _MatMulGrad: for C = A B, dA = dC B^T and dB = A^T dC (transposed variants likewise). */
sf_status sf_grad_MatMul(const sf_builder *b, const sf_node *n, int dy, int *dx) {
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

/* dy of a reduction over input 1's axes, broadcast back to x's shape (_SumGrad). */
static sf_status broadcast_back(const sf_builder *b, const sf_node *n, int dy, int *out, int64_t *count) {
  const sf_node *x = in(b, n, 0), *axes = in(b, n, 1);
  if (!x->shape_known || !axes->value) return sf_error_set(b->err, SF_ESHAPE, "gradient of '%s' needs known shapes", n->name);
  int64_t kept[SF_MAX_RANK], full[SF_MAX_RANK];
  *count = 1;
  for (int d = 0; d < x->shape.rank; d++) kept[d] = full[d] = x->shape.dims[d];
  for (int64_t i = 0; i < axes->value->n; i++) {
    int64_t ax = sf_tensor_get_i64(axes->value, i);
    if (ax < 0) ax += x->shape.rank;
    *count *= kept[ax] == 1 ? 1 : kept[ax];
    kept[ax] = 1;
  }
  int kshape, r, fshape;
  sf_status st = sf_g_ints(b, kept, x->shape.rank, &kshape);
  if (st == SF_OK) st = sf_g_op(b, "Reshape", (int[]){dy, kshape}, 2, NULL, &r);
  if (st == SF_OK) st = sf_g_ints(b, full, x->shape.rank, &fshape);
  if (st == SF_OK) st = sf_g_op(b, "BroadcastTo", (int[]){r, fshape}, 2, NULL, out);
  return st;
}

static sf_status sum_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  int64_t count;
  return broadcast_back(b, n, dy, &dx[0], &count);
}

/* _MeanGrad: the sum's gradient divided by the number of reduced elements. */
sf_status sf_grad_Mean(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  int64_t count;
  int bc, cnt;
  sf_status st = broadcast_back(b, n, dy, &bc, &count);
  if (st == SF_OK) st = sf_g_scalar(b, in(b, n, 0)->dtype, (double)count, &cnt);
  if (st == SF_OK) st = sf_g_op(b, "RealDiv", (int[]){bc, cnt}, 2, NULL, &dx[0]);
  return st;
}

sf_status sf_grad_Reshape(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  const sf_node *x = in(b, n, 0);
  int64_t dims[SF_MAX_RANK];
  for (int d = 0; d < x->shape.rank; d++) dims[d] = x->shape.dims[d];
  int shape;
  sf_status st = sf_g_ints(b, dims, x->shape.rank, &shape);
  return st == SF_OK ? sf_g_op(b, "Reshape", (int[]){dy, shape}, 2, NULL, &dx[0]) : st;
}

sf_status sf_grad_Cast(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  sf_dtype src = in(b, n, 0)->dtype;
  if (!sf_dtype_is_float(src)) return SF_OK;
  sf_attr_value a = {.type = src};
  return sf_g_op(b, "Cast", &dy, 1, &a, &dx[0]);
}

/* d(x^2) = dy * (2 * x) */
static sf_status square_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  int two, tx;
  sf_status st = sf_g_scalar(b, n->dtype, 2.0, &two);
  if (st == SF_OK) st = sf_g_op(b, "Mul", (int[]){two, n->inputs[0]}, 2, NULL, &tx);
  return st == SF_OK ? sf_g_op(b, "Mul", (int[]){dy, tx}, 2, NULL, &dx[0]) : st;
}


/* ---- Square, Sum, BroadcastTo ---- */

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
  sf_shape s = {0};
  for (int d = 0; d < x->shape.rank; d++)
    if (!mask[d]) s.dims[s.rank++] = x->shape.dims[d];
  n->shape = s;
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
  sf_shape s = {0};
  for (int d = 0; d < x->shape.rank; d++)
    if (!mask[d]) s.dims[s.rank++] = x->shape.dims[d];
  sf_status st = sf_new_output(c, x->dtype, &s, out);
  return st == SF_OK ? sf_reduce_sum(c, x, mask, *out) : st;
}
const sf_op_def sf_op_Sum = {"Sum", 2, SF_NO_ATTRS, sum_shape, sum_kernel, sum_grad, 0, "sum over the axes in input 1"};

static sf_status broadcast_to_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *x = sf_input_node(g, n, 0);
  n->dtype = x->dtype;
  sf_status st;
  n->shape_known = sf_const_shape(g, n, 1, &n->shape, err, &st);
  if (st == SF_OK && n->shape_known && x->shape_known) {
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
const sf_op_def sf_op_BroadcastTo = {"BroadcastTo", 2, SF_NO_ATTRS, broadcast_to_shape, broadcast_to_kernel, NULL, 0,
                                     "x broadcast to the shape in input 1"};
