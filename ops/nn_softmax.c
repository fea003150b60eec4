/* nn_softmax.c — softmax and cross-entropy: Softmax, LogSoftmax, SoftmaxCrossEntropyWithLogits,
 * SparseSoftmaxCrossEntropyWithLogits, and the elementwise pieces their gradients and
 * Keras's losses use (Exp, Log, Reciprocal, ExpandDims), with the rules of nn_grad.py and
 * math_grad.py next to them.
 *
 * The kernels follow TF's Eigen code step by step in the input's precision:
 * softmax_op_functor.h (SoftmaxEigenImpl), xent_op.h (XentEigenImpl) and sparse_xent_op.h
 * (SparseXentEigenImpl): shift each row by its max, exp, sum the row, then divide (or take
 * the log). A row's sum is Eigen's inner-most-dimension reduction (TensorReduction.h,
 * InnerMostDimReducer) as TF's x86-64 release builds (AVX, no FMA) run it: full packets of
 * 8 floats (4 doubles) summed lane-wise into one packet, the tail summed in a scalar, then
 * scalar + predux(packet), predux halving the packet ((l0+l4)+(l2+l6)) + ((l1+l5)+(l3+l7)).
 * exp and log are the C library's expf/logf (exp/log): Eigen's vectorised pexp/plog are
 * polynomial approximations whose last bit can differ, as Sigmoid's note in nn.c says.
 *
 * TF's two cross-entropy ops have two outputs (loss, backprop); seedflow's IR has one per
 * node, so the backprop is the same op with attribute output_index=1, a second node that the
 * gradient rule creates where TF reads op.outputs[1]. */
#include "ops.h"
#include "ops_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- Eigen's row sum ---- */

static double row_sum(const double *x, int64_t n, bool f32) {
  int p = f32 ? 8 : 4; /* AVX packet */
  int64_t vec = n / p * p;
  double lanes[8] = {0};
  for (int64_t j = 0; j < vec; j += p)
    for (int l = 0; l < p; l++) lanes[l] = f32 ? (float)(lanes[l] + x[j + l]) : lanes[l] + x[j + l];
  double acc = 0;
  for (int64_t j = vec; j < n; j++) acc = f32 ? (float)(acc + x[j]) : acc + x[j];
  if (!vec) return acc;
  for (int h = p / 2; h >= 1; h /= 2) /* predux: add the upper half onto the lower */
    for (int l = 0; l < h; l++) lanes[l] = f32 ? (float)(lanes[l] + lanes[l + h]) : lanes[l] + lanes[l + h];
  return f32 ? (float)(acc + lanes[0]) : acc + lanes[0];
}

static double r32(double v, bool f32) { return f32 ? (float)v : v; }
static double exp_p(double v, bool f32) { return f32 ? (double)expf((float)v) : exp(v); }
static double log_p(double v, bool f32) { return f32 ? (double)logf((float)v) : log(v); }

/* One row: shifted[j] = x[j] - max, e[j] = exp(shifted[j]), returns sum(e) in Eigen's order. */
static double shift_exp_sum(const sf_tensor *x, int64_t row, int64_t c, bool f32, double *shifted, double *e) {
  double m = -INFINITY;
  for (int64_t j = 0; j < c; j++) {
    double v = sf_tensor_get(x, row * c + j);
    if (v > m || isnan(v)) m = v;
  }
  for (int64_t j = 0; j < c; j++) {
    shifted[j] = r32(sf_tensor_get(x, row * c + j) - m, f32);
    e[j] = exp_p(shifted[j], f32);
  }
  return row_sum(e, c, f32);
}

/* Scratch rows of the class dimension, on the heap. */
static sf_status scratch(sf_kctx *c, int64_t n, double **a, double **b) {
  *a = malloc((size_t)(n ? n : 1) * 3 * sizeof **a);
  *b = *a ? *a + (n ? n : 1) : NULL;
  return *a ? SF_OK : sf_error_set(c->err, SF_ENOMEM, "out of memory");
}

/* ---- Softmax / LogSoftmax over the last dimension ---- */

static sf_status softmax_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  sf_status st = sf_shape_same_float(g, n, err);
  if (st == SF_OK && n->shape_known && n->shape.rank < 1) return sf_error_set(err, SF_ESHAPE, "logits must have 1 or more dimensions");
  return st;
}

static sf_status softmax_run(sf_kctx *c, sf_tensor **out, bool log_out) {
  const sf_tensor *x = c->in[0];
  if (x->shape.rank < 1) return sf_error_set(c->err, SF_ESHAPE, "%s: logits must have 1 or more dimensions", c->node->name);
  sf_status st = sf_new_output(c, x->dtype, &x->shape, out);
  int64_t k = x->shape.dims[x->shape.rank - 1], rows = k ? x->n / k : 0;
  bool f32 = x->dtype == SF_FLOAT32;
  double *sh = NULL, *e = NULL;
  if (st == SF_OK) st = scratch(c, k, &sh, &e);
  for (int64_t r = 0; st == SF_OK && r < rows; r++) {
    double sum = shift_exp_sum(x, r, k, f32, sh, e);
    if (log_out) { /* shifted - log(sum(exp(shifted))) */
      double l = log_p(sum, f32);
      for (int64_t j = 0; j < k; j++) sf_tensor_set(*out, r * k + j, r32(sh[j] - l, f32));
    } else { /* e * (1 / sum): Eigen's inverse() then a product */
      double inv = r32(1.0 / sum, f32);
      for (int64_t j = 0; j < k; j++) sf_tensor_set(*out, r * k + j, r32(e[j] * inv, f32));
    }
  }
  free(sh);
  return st;
}
static sf_status softmax_kernel(sf_kctx *c, sf_tensor **out) { return softmax_run(c, out, false); }
static sf_status log_softmax_kernel(sf_kctx *c, sf_tensor **out) { return softmax_run(c, out, true); }

/* reduce_sum(x, -1, keepdims=True) */
static sf_status sum_last_keep(const sf_builder *b, int x, int *out) {
  int ax;
  sf_attr_value keep = {.b = true};
  sf_status st = sf_g_ints(b, (int64_t[]){-1}, 1, &ax);
  return st == SF_OK ? sf_g_op(b, "Sum", (int[]){x, ax}, 2, &keep, out) : st;
}

/* nn_grad.py _SoftmaxGrad: (grad - reduce_sum(grad * softmax, -1, keepdims=True)) * softmax */
static sf_status softmax_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  int prod, sum, diff;
  sf_status st = sf_g_op(b, "Mul", (int[]){dy, n->id}, 2, NULL, &prod);
  if (st == SF_OK) st = sum_last_keep(b, prod, &sum);
  if (st == SF_OK) st = sf_g_op(b, "Sub", (int[]){dy, sum}, 2, NULL, &diff);
  return st == SF_OK ? sf_g_op(b, "Mul", (int[]){diff, n->id}, 2, NULL, &dx[0]) : st;
}

/* nn_grad.py _LogSoftmaxGrad: grad - reduce_sum(grad, -1, keepdims=True) * exp(logsoftmax) */
static sf_status log_softmax_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  int e, sum, prod;
  sf_status st = sf_g_op(b, "Exp", &n->id, 1, NULL, &e);
  if (st == SF_OK) st = sum_last_keep(b, dy, &sum);
  if (st == SF_OK) st = sf_g_op(b, "Mul", (int[]){sum, e}, 2, NULL, &prod);
  return st == SF_OK ? sf_g_op(b, "Sub", (int[]){dy, prod}, 2, NULL, &dx[0]) : st;
}

const sf_op_def sf_op_Softmax = {"Softmax", 1, SF_NO_ATTRS, softmax_shape, softmax_kernel, softmax_grad, 0,
                                 "exp(x - max) / sum over the last dimension"};
const sf_op_def sf_op_LogSoftmax = {"LogSoftmax", 1, SF_NO_ATTRS, softmax_shape, log_softmax_kernel, log_softmax_grad, 0,
                                    "(x - max) - log(sum(exp(x - max))) over the last dimension"};

/* ---- the cross-entropy ops: (logits [batch, classes], labels) -> loss [batch] | backprop ---- */

static sf_status xent_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *x = sf_input_node(g, n, 0), *y = sf_input_node(g, n, 1);
  bool sparse = n->op == &sf_op_SparseSoftmaxCrossEntropyWithLogits;
  if (!sf_dtype_is_float(x->dtype)) return sf_error_set(err, SF_ETYPE, "logits must be float, got %s", sf_dtype_name(x->dtype));
  if (sparse && y->dtype != SF_INT32 && y->dtype != SF_INT64)
    return sf_error_set(err, SF_ETYPE, "labels must be int32 or int64, got %s", sf_dtype_name(y->dtype));
  if (!sparse && y->dtype != x->dtype)
    return sf_error_set(err, SF_ETYPE, "labels must be %s like the logits, got %s", sf_dtype_name(x->dtype), sf_dtype_name(y->dtype));
  n->dtype = x->dtype;
  n->shape_known = x->shape_known;
  if (!x->shape_known) return SF_OK;
  if (x->shape.rank != 2) return sf_error_set(err, SF_ESHAPE, "logits must be 2-dimensional");
  if (y->shape_known && (sparse ? y->shape.rank != 1 || y->shape.dims[0] != x->shape.dims[0] : !sf_shape_equal(&x->shape, &y->shape)))
    return sf_error_set(err, SF_ESHAPE, sparse ? "labels must be a vector of one class per row of logits"
                                               : "logits and labels must be the same size");
  n->shape = sf_node_attr(n, "output_index")->i ? x->shape : (sf_shape){.rank = 1, .dims = {x->shape.dims[0]}};
  return SF_OK;
}

static sf_status xent_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *x = c->in[0], *y = c->in[1];
  bool sparse = c->node->op == &sf_op_SparseSoftmaxCrossEntropyWithLogits, f32 = x->dtype == SF_FLOAT32;
  bool backprop = sf_node_attr(c->node, "output_index")->i != 0;
  if (x->shape.rank != 2 || (sparse ? y->shape.rank != 1 || y->shape.dims[0] != x->shape.dims[0] : !sf_shape_equal(&x->shape, &y->shape)))
    return sf_error_set(c->err, SF_ESHAPE, "%s: logits and labels shapes do not match", c->node->name);
  int64_t rows = x->shape.dims[0], k = x->shape.dims[1];
  /* sparse_xent_op.cc CheckInvalidLabelIndex: the CPU kernel refuses a label outside [0, classes) */
  for (int64_t r = 0; sparse && r < rows; r++) {
    int64_t lab = sf_tensor_get_i64(y, r);
    if (lab < 0 || lab >= k)
      return sf_error_set(c->err, SF_EINVAL, "%s: Received a label value of %lld which is outside the valid range of [0, %lld).",
                          c->node->name, (long long)lab, (long long)k);
  }
  sf_shape s = backprop ? x->shape : (sf_shape){.rank = 1, .dims = {rows}};
  sf_status st = sf_new_output(c, x->dtype, &s, out);
  double *sh = NULL, *e = NULL, *t = NULL;
  if (st == SF_OK) st = scratch(c, k, &sh, &e);
  if (st == SF_OK) t = e + (k ? k : 1);
  for (int64_t r = 0; st == SF_OK && r < rows; r++) {
    double sum = shift_exp_sum(x, r, k, f32, sh, e), l = log_p(sum, f32);
    int64_t lab = sparse ? sf_tensor_get_i64(y, r) : -1;
    if (!backprop && sparse) { /* SparseXentLossGenerator: log(sum) - shifted[label], zeros elsewhere */
      sf_tensor_set(*out, r, r32(l - sh[lab], f32));
    } else if (!backprop) { /* sum over classes of labels * (log(sum) - shifted) */
      for (int64_t j = 0; j < k; j++) t[j] = r32(sf_tensor_get(y, r * k + j) * r32(l - sh[j], f32), f32);
      sf_tensor_set(*out, r, row_sum(t, k, f32));
    } else { /* exp(shifted) / sum - labels */
      for (int64_t j = 0; j < k; j++) {
        double lj = sparse ? (j == lab) : sf_tensor_get(y, r * k + j);
        sf_tensor_set(*out, r * k + j, r32(r32(e[j] / sum, f32) - lj, f32));
      }
    }
  }
  free(sh);
  return st;
}

/* nn_grad.py _BroadcastMul(vec, mat): expand_dims(vec, -1) * mat */
static sf_status broadcast_mul(const sf_builder *b, int vec, int mat, int *out) {
  int dim, ex;
  sf_status st = sf_g_scalar(b, SF_INT32, -1, &dim);
  if (st == SF_OK) st = sf_g_op(b, "ExpandDims", (int[]){vec, dim}, 2, NULL, &ex);
  return st == SF_OK ? sf_g_op(b, "Mul", (int[]){ex, mat}, 2, NULL, out) : st;
}

/* The backprop output (TF's op.outputs[1]): the same op and inputs, output_index 1. */
static sf_status backprop_of(const sf_builder *b, const sf_node *n, int *out) {
  sf_attr_value a = {.i = 1};
  return sf_g_op(b, n->op->name, n->inputs, 2, &a, out);
}

/* _SparseSoftmaxCrossEntropyWithLogitsGrad: _BroadcastMul(grad_0, backprop); labels get none. */
static sf_status sparse_xent_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  int bp;
  sf_status st = backprop_of(b, n, &bp);
  return st == SF_OK ? broadcast_mul(b, dy, bp, &dx[0]) : st;
}

/* _SoftmaxCrossEntropyWithLogitsGrad: logits get _BroadcastMul(grad_loss, backprop), labels
 * _BroadcastMul(grad_loss, -log_softmax(logits)). */
static sf_status xent_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  int bp, ls, neg;
  sf_status st = backprop_of(b, n, &bp);
  if (st == SF_OK) st = broadcast_mul(b, dy, bp, &dx[0]);
  if (st == SF_OK) st = sf_g_op(b, "LogSoftmax", &n->inputs[0], 1, NULL, &ls);
  if (st == SF_OK) st = sf_g_op(b, "Neg", &ls, 1, NULL, &neg);
  return st == SF_OK ? broadcast_mul(b, dy, neg, &dx[1]) : st;
}

const sf_op_def sf_op_SoftmaxCrossEntropyWithLogits = {
    "SoftmaxCrossEntropyWithLogits", 2, SF_ATTRS(A_INT("output_index", 0)), xent_shape, xent_kernel, xent_grad, 0,
    "-sum(labels * log_softmax(logits)) per row; output_index=1: softmax - labels"};
const sf_op_def sf_op_SparseSoftmaxCrossEntropyWithLogits = {
    "SparseSoftmaxCrossEntropyWithLogits", 2, SF_ATTRS(A_INT("output_index", 0)), xent_shape, xent_kernel, sparse_xent_grad, 0,
    "-log_softmax(logits)[label] per row; output_index=1: softmax - one_hot(label)"};

/* ---- Log, Reciprocal (Exp is in activations.c) ---- */

static sf_status unary_f(sf_kctx *c, sf_tensor **out, int which) {
  const sf_tensor *x = c->in[0];
  bool f32 = x->dtype == SF_FLOAT32;
  sf_status st = sf_new_output(c, x->dtype, &x->shape, out);
  for (int64_t i = 0; st == SF_OK && i < x->n; i++) {
    double v = sf_tensor_get(x, i);
    sf_tensor_set(*out, i, which == 1 ? log_p(v, f32) : r32(1.0 / v, f32));
  }
  return st;
}
static sf_status log_kernel(sf_kctx *c, sf_tensor **out) { return unary_f(c, out, 1); }
static sf_status reciprocal_kernel(sf_kctx *c, sf_tensor **out) { return unary_f(c, out, 2); }

/* math_grad.py _LogGrad: grad * reciprocal(x) */
static sf_status log_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  int r;
  sf_status st = sf_g_op(b, "Reciprocal", &n->inputs[0], 1, NULL, &r);
  return st == SF_OK ? sf_g_op(b, "Mul", (int[]){dy, r}, 2, NULL, &dx[0]) : st;
}
/* math_grad.py _ReciprocalGrad: ReciprocalGrad(y, grad), whose Eigen functor
 * (scalar_inverse_gradient_op) computes (-y * y) * grad: here Neg, Mul, Mul in that order. */
static sf_status reciprocal_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  int ny, q;
  sf_status st = sf_g_op(b, "Neg", &n->id, 1, NULL, &ny);
  if (st == SF_OK) st = sf_g_op(b, "Mul", (int[]){ny, n->id}, 2, NULL, &q);
  return st == SF_OK ? sf_g_op(b, "Mul", (int[]){q, dy}, 2, NULL, &dx[0]) : st;
}

const sf_op_def sf_op_Log = {"Log", 1, SF_NO_ATTRS, sf_shape_same_float, log_kernel, log_grad, 0, "natural logarithm"};
const sf_op_def sf_op_Reciprocal = {"Reciprocal", 1, SF_NO_ATTRS, sf_shape_same_float, reciprocal_kernel, reciprocal_grad, 0,
                                    "1 / x"};

/* ---- ExpandDims(x, dim): a new axis of size 1 at dim (negative from the end) ---- */

static bool expand_shape(const sf_shape *x, int64_t dim, sf_shape *out) {
  if (dim < 0) dim += x->rank + 1;
  if (dim < 0 || dim > x->rank || x->rank >= SF_MAX_RANK) return false;
  *out = (sf_shape){.rank = x->rank + 1};
  for (int d = 0, s = 0; d < out->rank; d++) out->dims[d] = d == dim ? 1 : x->dims[s++];
  return true;
}

static sf_status expand_dims_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *x = sf_input_node(g, n, 0), *d = sf_input_node(g, n, 1);
  n->dtype = x->dtype;
  n->shape_known = x->shape_known && d->value && d->value->n == 1;
  if (n->shape_known && !expand_shape(&x->shape, sf_tensor_get_i64(d->value, 0), &n->shape))
    return sf_error_set(err, SF_EINVAL, "dim %lld is out of range", (long long)sf_tensor_get_i64(d->value, 0));
  return SF_OK;
}

static sf_status expand_dims_kernel(sf_kctx *c, sf_tensor **out) {
  sf_shape s;
  if (c->in[1]->n != 1 || !expand_shape(&c->in[0]->shape, sf_tensor_get_i64(c->in[1], 0), &s))
    return sf_error_set(c->err, SF_EINVAL, "%s: dim must be one int in [-rank-1, rank]", c->node->name);
  return sf_output_reshaped(c, &s, out);
}

/* array_grad.py _ExpandDimsGrad: reshape(grad, shape(x)) */
static sf_status expand_dims_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  const sf_node *x = sf_g_node(b, n->inputs[0]);
  if (!x->shape_known) return sf_error_set(b->err, SF_ESHAPE, "gradient of '%s' needs known shapes", n->name);
  int shape;
  sf_status st = sf_g_ints(b, x->shape.dims, x->shape.rank, &shape);
  return st == SF_OK ? sf_g_op(b, "Reshape", (int[]){dy, shape}, 2, NULL, &dx[0]) : st;
}

const sf_op_def sf_op_ExpandDims = {"ExpandDims", 2, SF_NO_ATTRS, expand_dims_shape, expand_dims_kernel, expand_dims_grad, 0,
                                    "x with a new axis of size 1 at input 1"};
