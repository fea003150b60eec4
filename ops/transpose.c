/* transpose.c — Transpose and Cumprod, the two ops math_grad.py _ProdGrad builds besides
 * reshapes (array_ops.transpose, math_ops.cumprod). Transpose moves elements, exact.
 * Cumprod (scan_ops.h, Eigen's TensorScanOp with ProdReducer) multiplies along the axis in
 * order, each product rounded to the dtype: exclusive shifts by one and starts from 1,
 * reverse scans from the end. So far only gradients build them. */
#include "ops_internal.h"

#include <string.h>

/* perm (input 1, a constant int vector) must be a permutation of 0..rank-1. */
static sf_status read_perm(const sf_tensor *p, int rank, int *perm, sf_error *err) {
  if (p->n != rank) return sf_error_set(err, SF_EINVAL, "transpose expects a vector of size %d. But input(1) is a vector of size %lld", rank, (long long)p->n);
  bool seen[SF_MAX_RANK] = {0};
  for (int d = 0; d < rank; d++) {
    int64_t v = sf_tensor_get_i64(p, d);
    if (v < 0 || v >= rank || seen[v]) return sf_error_set(err, SF_EINVAL, "%lld is not a permutation of 0..%d", (long long)v, rank - 1);
    seen[v] = true;
    perm[d] = (int)v;
  }
  return SF_OK;
}

static sf_status transpose_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *x = sf_input_node(g, n, 0), *p = sf_input_node(g, n, 1);
  n->dtype = x->dtype;
  n->shape_known = x->shape_known && p->value;
  if (!n->shape_known) return SF_OK;
  int perm[SF_MAX_RANK];
  if (read_perm(p->value, x->shape.rank, perm, err) != SF_OK) return err->code;
  n->shape.rank = x->shape.rank;
  for (int d = 0; d < x->shape.rank; d++) n->shape.dims[d] = x->shape.dims[perm[d]];
  return SF_OK;
}

static sf_status transpose_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *x = c->in[0];
  int perm[SF_MAX_RANK], rank = x->shape.rank;
  if (read_perm(c->in[1], rank, perm, c->err) != SF_OK) return c->err->code;
  sf_shape s = {.rank = rank};
  int64_t stride[SF_MAX_RANK], acc = 1;
  for (int d = rank - 1; d >= 0; d--) stride[d] = acc, acc *= x->shape.dims[d];
  for (int d = 0; d < rank; d++) s.dims[d] = x->shape.dims[perm[d]];
  sf_status st = sf_new_output(c, x->dtype, &s, out);
  size_t es = sf_dtype_size(x->dtype);
  for (int64_t i = 0; st == SF_OK && i < (*out)->n; i++) { /* out index i -> x offset */
    int64_t rem = i, off = 0;
    for (int d = rank - 1; d >= 0; d--) {
      off += rem % s.dims[d] * stride[perm[d]];
      rem /= s.dims[d];
    }
    memcpy((char *)(*out)->data + (size_t)i * es, (const char *)x->data + (size_t)off * es, es);
  }
  return st;
}

/* array_grad.py _TransposeGrad: transpose(grad, invert_permutation(perm)); the inverse is a
 * constant here (perm is). */
static sf_status transpose_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  const sf_node *p = sf_g_node(b, n->inputs[1]);
  if (!p->value) return sf_error_set(b->err, SF_ESHAPE, "gradient of '%s' needs a constant perm", n->name);
  int64_t inv[SF_MAX_RANK];
  for (int64_t d = 0; d < p->value->n && d < SF_MAX_RANK; d++) inv[sf_tensor_get_i64(p->value, d)] = d;
  int ip;
  sf_status st = sf_g_ints(b, inv, (int)p->value->n, &ip);
  return st == SF_OK ? sf_g_op(b, "Transpose", (int[]){dy, ip}, 2, NULL, &dx[0]) : st;
}

const sf_op_def sf_op_Transpose = {"Transpose", 2, SF_NO_ATTRS, transpose_shape, transpose_kernel, transpose_grad, 0,
                                   "x with its dimensions permuted by input 1"};

static sf_status cumprod_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *ax = sf_input_node(g, n, 1);
  if (ax->value && ax->value->n != 1) return sf_error_set(err, SF_EINVAL, "ScanOp: axis must be a scalar");
  return sf_shape_same_float(g, n, err);
}

static sf_status cumprod_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *x = c->in[0];
  int rank = x->shape.rank;
  int64_t a = sf_tensor_get_i64(c->in[1], 0);
  if (a < -rank || a >= rank)
    return sf_error_set(c->err, SF_EINVAL, "ScanOp: Expected scan axis in the range [%d, %d), but got %lld", -rank, rank, (long long)a);
  int d = (int)(a < 0 ? a + rank : a);
  bool excl = sf_node_attr(c->node, "exclusive")->b, rev = sf_node_attr(c->node, "reverse")->b, f32 = x->dtype == SF_FLOAT32;
  int64_t len = x->shape.dims[d], inner = 1, outer = 1;
  for (int k = d + 1; k < rank; k++) inner *= x->shape.dims[k];
  for (int k = 0; k < d; k++) outer *= x->shape.dims[k];
  sf_status st = sf_new_output(c, x->dtype, &x->shape, out);
  for (int64_t o = 0; st == SF_OK && o < outer; o++)
    for (int64_t in = 0; in < inner; in++) {
      double acc = 1;
      for (int64_t j = 0; j < len; j++) {
        int64_t i = (o * len + (rev ? len - 1 - j : j)) * inner + in;
        double v = sf_tensor_get(x, i);
        if (!excl) acc = f32 ? (float)(acc * v) : acc * v;
        sf_tensor_set(*out, i, acc);
        if (excl) acc = f32 ? (float)(acc * v) : acc * v;
      }
    }
  return st;
}

const sf_op_def sf_op_Cumprod = {"Cumprod", 2, SF_ATTRS(A_BOOL("exclusive", false), A_BOOL("reverse", false)), cumprod_shape,
                                 cumprod_kernel, NULL, 0, "running product along the axis in input 1"};
