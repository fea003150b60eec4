/* array.c — the array ops tf.argmax / argmin, tf.where, tf.stack, tf.concat, tf.add_n,
 * tf.one_hot, tf.zeros_like / ones_like and tf.shape build (gen_array_ops / gen_math_ops:
 * ArgMax, ArgMin, Where, Select, Pack, ConcatV2, AddN, OneHot, Fill, ZerosLike, Shape), and
 * SqrtGrad, the kernel math_grad.py _SqrtGrad builds. None of them rounds except AddN
 * (a left fold, aggregate_ops.h) and SqrtGrad (cwise_ops_gradients.h). */
#include "ops_internal.h"

#include <math.h>
#include <string.h>

/* An axis in [-rank, rank) made non-negative; an error naming the op otherwise. */
static sf_status norm_axis(const sf_node *n, int64_t axis, int rank, int *out, sf_error *err) {
  *out = 0;
  if (axis < -rank || axis >= rank)
    return sf_error_set(err, SF_EINVAL, "%s: axis %lld out of range for rank %d", n->op->name, (long long)axis, rank);
  *out = (int)(axis < 0 ? axis + rank : axis);
  return SF_OK;
}

/* ---- ArgMax / ArgMin (argmax_op.cc: Eigen's ArgMax tuple reducer keeps the first index
 * of the extreme value; a NaN wins in Eigen >= 3.4's propagating comparison: modelled as
 * the first NaN) ---- */

static sf_status arg_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *x = sf_input_node(g, n, 0), *ax = sf_input_node(g, n, 1);
  if (x->dtype == SF_BOOL) return sf_error_set(err, SF_ETYPE, "%s needs a numeric input, got bool", n->op->name);
  n->dtype = sf_node_attr(n, "output_type")->type;
  n->shape_known = x->shape_known && ax->value;
  if (!n->shape_known) return SF_OK;
  int d;
  sf_status st = norm_axis(n, sf_tensor_get_i64(ax->value, 0), x->shape.rank, &d, err);
  if (st != SF_OK) return st;
  n->shape.rank = x->shape.rank - 1;
  for (int i = 0, k = 0; i < x->shape.rank; i++)
    if (i != d) n->shape.dims[k++] = x->shape.dims[i];
  return SF_OK;
}

static sf_status arg_run(sf_kctx *c, sf_tensor **out, bool max) {
  const sf_tensor *x = c->in[0];
  int d;
  if (x->shape.rank == 0) return sf_error_set(c->err, SF_EINVAL, "%s: input must be at least rank 1", c->node->name);
  if (norm_axis(c->node, sf_tensor_get_i64(c->in[1], 0), x->shape.rank, &d, c->err) != SF_OK) return c->err->code;
  if (x->shape.dims[d] == 0)
    return sf_error_set(c->err, SF_EINVAL, "Reduction axis %d is empty in shape %lld", d, (long long)x->shape.dims[d]);
  sf_shape s = {.rank = x->shape.rank - 1};
  int64_t outer = 1, inner = 1, len = x->shape.dims[d];
  for (int i = 0, k = 0; i < x->shape.rank; i++) {
    if (i == d) continue;
    s.dims[k++] = x->shape.dims[i];
    if (i < d) outer *= x->shape.dims[i];
    else inner *= x->shape.dims[i];
  }
  sf_status st = sf_new_output(c, sf_node_attr(c->node, "output_type")->type, &s, out);
  for (int64_t o = 0; st == SF_OK && o < outer; o++)
    for (int64_t i = 0; i < inner; i++) {
      int64_t best = 0;
      double bv = sf_tensor_get(x, o * len * inner + i);
      for (int64_t j = 1; j < len && !isnan(bv); j++) {
        double v = sf_tensor_get(x, (o * len + j) * inner + i);
        if (isnan(v) || (max ? v > bv : v < bv)) best = j, bv = v;
      }
      sf_tensor_set_i64(*out, o * inner + i, best);
    }
  return st;
}
static sf_status argmax_kernel(sf_kctx *c, sf_tensor **o) { return arg_run(c, o, true); }
static sf_status argmin_kernel(sf_kctx *c, sf_tensor **o) { return arg_run(c, o, false); }

const sf_op_def sf_op_ArgMax = {"ArgMax", 2, SF_ATTRS(A_TYPE("output_type", SF_INT64)), arg_shape, argmax_kernel, NULL,
                                SF_OPF_NO_GRADIENT, "index of the largest value along axis input 1 (first one)"};
const sf_op_def sf_op_ArgMin = {"ArgMin", 2, SF_ATTRS(A_TYPE("output_type", SF_INT64)), arg_shape, argmin_kernel, NULL,
                                SF_OPF_NO_GRADIENT, "index of the smallest value along axis input 1 (first one)"};

/* ---- Where(cond): the int64 coordinates of the true elements in row-major order ---- */

static sf_status where_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *x = sf_input_node(g, n, 0);
  n->dtype = SF_INT64;
  n->shape_known = x->value != NULL; /* else the row count is known only when it runs */
  int64_t m = x->value ? 0 : -1;
  for (int64_t i = 0; x->value && i < x->value->n; i++) m += sf_tensor_get(x->value, i) != 0;
  n->shape = (sf_shape){.rank = 2, .dims = {m, x->shape_known ? x->shape.rank : -1}};
  (void)err;
  return SF_OK;
}
static sf_status where_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *x = c->in[0];
  int64_t m = 0;
  for (int64_t i = 0; i < x->n; i++) m += sf_tensor_get(x, i) != 0;
  sf_status st = sf_new_output(c, SF_INT64, &(sf_shape){.rank = 2, .dims = {m, x->shape.rank}}, out);
  int64_t *o = st == SF_OK ? (int64_t *)(*out)->data : NULL;
  for (int64_t i = 0; st == SF_OK && i < x->n; i++) {
    if (sf_tensor_get(x, i) == 0) continue;
    int64_t rest = i;
    for (int d = x->shape.rank - 1; d >= 0; d--) {
      o[d] = rest % x->shape.dims[d];
      rest /= x->shape.dims[d];
    }
    o += x->shape.rank;
  }
  return st;
}
const sf_op_def sf_op_Where = {"Where", 1, SF_NO_ATTRS, where_shape, where_kernel, NULL, SF_OPF_NO_GRADIENT,
                               "coordinates of the true (non-zero) elements, int64 [n, rank]"};

/* ---- Pack / ConcatV2 ---- */

/* A shape as TF's TensorShape::DebugString writes it: [2,3]. */
static void tf_shape(const sf_shape *s, char *buf, size_t len) {
  size_t k = (size_t)snprintf(buf, len, "[");
  for (int i = 0; i < s->rank && k < len; i++) k += (size_t)snprintf(buf + k, len - k, "%s%lld", i ? "," : "", (long long)s->dims[i]);
  if (k < len) snprintf(buf + k, len - k, "]");
}

/* The inputs' common shape (Pack) or the concatenated shape along axis (ConcatV2). */
static sf_status join_shape(const sf_graph *g, sf_node *n, int nvals, bool pack, int64_t axis, sf_shape *out, sf_error *err) {
  const sf_node *x0 = sf_input_node(g, n, 0);
  int rank = x0->shape.rank, d;
  sf_status st = norm_axis(n, axis, pack ? rank + 1 : rank, &d, err);
  if (st != SF_OK) return st;
  if (pack && rank + 1 > SF_MAX_RANK) return sf_error_set(err, SF_ESHAPE, "Pack: rank %d too large", rank + 1);
  *out = x0->shape;
  if (!pack) out->dims[d] = 0;
  for (int i = 0; i < nvals; i++) {
    const sf_node *x = sf_input_node(g, n, i);
    if (x->dtype != x0->dtype)
      return sf_error_set(err, SF_ETYPE, "%s: inputs of %s and %s", n->op->name, sf_dtype_name(x0->dtype), sf_dtype_name(x->dtype));
    int bad = x->shape.rank == rank ? -1 : SF_MAX_RANK; /* the first dimension that differs */
    for (int k = 0; bad < 0 && k < rank; k++)
      if (!(k == d && !pack) && x->shape.dims[k] != x0->shape.dims[k]) bad = k;
    if (bad >= 0) { /* pack_op.cc, concat_op.cc */
      char a[64], b[64];
      tf_shape(&x0->shape, a, sizeof a);
      tf_shape(&x->shape, b, sizeof b);
      if (pack) return sf_error_set(err, SF_ESHAPE, "Shapes of all inputs must match: values[0].shape = %s != values[%d].shape = %s", a, i, b);
      if (bad == SF_MAX_RANK)
        return sf_error_set(err, SF_ESHAPE, "ConcatOp : Ranks of all input tensors should match: shape[0] = %s vs. shape[%d] = %s", a, i, b);
      return sf_error_set(err, SF_ESHAPE, "ConcatOp : Dimension %d in both shapes must be equal: shape[0] = %s vs. shape[%d] = %s", bad, a, i, b);
    }
    if (!pack) out->dims[d] += x->shape.dims[d];
  }
  if (pack) {
    memmove(&out->dims[d + 1], &out->dims[d], (size_t)(rank - d) * sizeof out->dims[0]);
    out->dims[d] = nvals;
    out->rank = rank + 1;
  }
  return SF_OK;
}

/* Copies the inputs into out, each contributing `width[i]` rows of the axis per outer index. */
static void join_copy(sf_tensor *const *in, int nvals, int d, bool pack, sf_tensor *out) {
  int64_t outer = 1, inner = 1;
  const sf_shape *s = &in[0]->shape;
  for (int k = 0; k < d; k++) outer *= s->dims[k];
  for (int k = pack ? d : d + 1; k < s->rank; k++) inner *= s->dims[k];
  size_t es = sf_dtype_size(out->dtype);
  char *o = out->data;
  for (int64_t q = 0; q < outer; q++)
    for (int i = 0; i < nvals; i++) {
      size_t chunk = (size_t)((pack ? 1 : in[i]->shape.dims[d]) * inner) * es;
      memcpy(o, (const char *)in[i]->data + (size_t)q * chunk, chunk);
      o += chunk;
    }
}

static sf_status pack_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  n->dtype = sf_input_node(g, n, 0)->dtype;
  n->shape_known = true;
  for (int i = 0; i < n->ninputs; i++) n->shape_known &= sf_input_node(g, n, i)->shape_known;
  if (!n->shape_known) return SF_OK;
  return join_shape(g, n, n->ninputs, true, sf_node_attr(n, "axis")->i, &n->shape, err);
}
static sf_status pack_kernel(sf_kctx *c, sf_tensor **out) {
  sf_shape s;
  int d;
  int64_t axis = sf_node_attr(c->node, "axis")->i;
  s = c->in[0]->shape;
  if (norm_axis(c->node, axis, s.rank + 1, &d, c->err) != SF_OK) return c->err->code;
  for (int i = 1; i < c->nin; i++)
    if (!sf_shape_equal(&c->in[i]->shape, &s))
      return sf_error_set(c->err, SF_ESHAPE, "%s: shapes of all inputs must match", c->node->name);
  memmove(&s.dims[d + 1], &s.dims[d], (size_t)(s.rank - d) * sizeof s.dims[0]);
  s.dims[d] = c->nin;
  s.rank++;
  sf_status st = sf_new_output(c, c->in[0]->dtype, &s, out);
  if (st == SF_OK) join_copy(c->in, c->nin, d, true, *out);
  return st;
}
/* array_grad.py _PackGrad: unstack(grad, num=N, axis=axis), one Unpack op with N outputs.
 * seedflow's nodes have one output, so each dx[i] is its own StridedSlice of grad taking
 * index i of the axis with shrink_axis_mask (N nodes where TF adds one; same values). */
static sf_status pack_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  const sf_node *g = sf_g_node(b, dy);
  if (!g->shape_known) return sf_error_set(b->err, SF_ESHAPE, "gradient of '%s' needs known shapes", n->name);
  int d = 0;
  sf_status st = norm_axis(n, sf_node_attr(n, "axis")->i, g->shape.rank, &d, b->err);
  int64_t begin[SF_MAX_RANK] = {0}, end[SF_MAX_RANK], one[SF_MAX_RANK];
  for (int k = 0; k < g->shape.rank; k++) end[k] = g->shape.dims[k], one[k] = 1;
  sf_attr_value masks[5] = {{.i = 0}, {.i = 0}, {.i = 0}, {.i = 0}, {.i = (int64_t)1 << d}};
  for (int i = 0; st == SF_OK && i < n->ninputs; i++) {
    int bg, en, sd;
    begin[d] = i;
    end[d] = i + 1;
    st = sf_g_ints(b, begin, g->shape.rank, &bg);
    if (st == SF_OK) st = sf_g_ints(b, end, g->shape.rank, &en);
    if (st == SF_OK) st = sf_g_ints(b, one, g->shape.rank, &sd);
    if (st == SF_OK) st = sf_g_op(b, "StridedSlice", (int[]){dy, bg, en, sd}, 4, masks, &dx[i]);
  }
  return st;
}
const sf_op_def sf_op_Pack = {"Pack", -1, SF_ATTRS(A_INT("axis", 0)), pack_shape, pack_kernel, pack_grad, 0,
                              "the inputs stacked along a new axis"};

static sf_status concat_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  if (n->ninputs < 2) return sf_error_set(err, SF_EINVAL, "ConcatV2 needs at least one value and an axis");
  const sf_node *ax = sf_input_node(g, n, n->ninputs - 1);
  n->dtype = sf_input_node(g, n, 0)->dtype;
  n->shape_known = ax->value != NULL;
  for (int i = 0; i < n->ninputs - 1; i++) n->shape_known &= sf_input_node(g, n, i)->shape_known;
  if (!n->shape_known) return SF_OK;
  if (sf_input_node(g, n, 0)->shape.rank == 0) return sf_error_set(err, SF_EINVAL, "Can't concatenate scalars (use tf.stack instead)");
  return join_shape(g, n, n->ninputs - 1, false, sf_tensor_get_i64(ax->value, 0), &n->shape, err);
}
static sf_status concat_kernel(sf_kctx *c, sf_tensor **out) {
  int nv = c->nin - 1, d;
  sf_shape s = c->in[0]->shape;
  if (s.rank == 0) return sf_error_set(c->err, SF_EINVAL, "Can't concatenate scalars (use tf.stack instead)");
  if (norm_axis(c->node, sf_tensor_get_i64(c->in[nv], 0), s.rank, &d, c->err) != SF_OK) return c->err->code;
  s.dims[d] = 0;
  for (int i = 0; i < nv; i++) {
    bool same = c->in[i]->shape.rank == s.rank && c->in[i]->dtype == c->in[0]->dtype;
    for (int k = 0; same && k < s.rank; k++) same = k == d || c->in[i]->shape.dims[k] == s.dims[k];
    if (!same) return sf_error_set(c->err, SF_ESHAPE, "%s: inputs of different shapes", c->node->name);
    s.dims[d] += c->in[i]->shape.dims[d];
  }
  sf_status st = sf_new_output(c, c->in[0]->dtype, &s, out);
  if (st == SF_OK) join_copy(c->in, nv, d, false, *out);
  return st;
}
/* array_grad.py _ConcatGradV2 (_ConcatGradHelper): each value's gradient is the slice of
 * grad at that value's offset along the axis (ConcatOffset + one Slice per value in TF;
 * here the offsets are constants and each slice a StridedSlice: same values). The axis
 * gets None. */
static sf_status concat_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  const sf_node *g = sf_g_node(b, dy), *ax = sf_g_node(b, n->inputs[n->ninputs - 1]);
  if (!g->shape_known || !ax->value) return sf_error_set(b->err, SF_ESHAPE, "gradient of '%s' needs known shapes", n->name);
  int d = 0;
  sf_status st = norm_axis(n, sf_tensor_get_i64(ax->value, 0), g->shape.rank, &d, b->err);
  int64_t begin[SF_MAX_RANK] = {0}, end[SF_MAX_RANK], one[SF_MAX_RANK];
  for (int k = 0; k < g->shape.rank; k++) end[k] = g->shape.dims[k], one[k] = 1;
  end[d] = 0;
  for (int i = 0; st == SF_OK && i < n->ninputs - 1; i++) {
    int bg, en, sd;
    begin[d] = end[d];
    end[d] += sf_g_node(b, n->inputs[i])->shape.dims[d];
    st = sf_g_ints(b, begin, g->shape.rank, &bg);
    if (st == SF_OK) st = sf_g_ints(b, end, g->shape.rank, &en);
    if (st == SF_OK) st = sf_g_ints(b, one, g->shape.rank, &sd);
    if (st == SF_OK) st = sf_g_op(b, "StridedSlice", (int[]){dy, bg, en, sd}, 4, NULL, &dx[i]);
  }
  return st;
}
const sf_op_def sf_op_ConcatV2 = {"ConcatV2", -1, SF_NO_ATTRS, concat_shape, concat_kernel, concat_grad, 0,
                                  "the inputs but the last joined along the axis the last gives"};

/* ---- AddN: aggregate_ops.h adds in groups (Add2 ... Add9, then Add8p: out + in_r + ...
 * + in_r+7), each an Eigen expression evaluated left to right: one left fold, rounded to
 * the dtype at every step. ---- */

static sf_status addn_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  if (n->ninputs < 1) return sf_error_set(err, SF_EINVAL, "AddN needs at least one input");
  const sf_node *x0 = sf_input_node(g, n, 0);
  sf_shape_copy(n, x0);
  for (int i = 1; i < n->ninputs; i++) {
    const sf_node *x = sf_input_node(g, n, i);
    if (x->dtype != x0->dtype)
      return sf_error_set(err, SF_ETYPE, "AddN: inputs of %s and %s", sf_dtype_name(x0->dtype), sf_dtype_name(x->dtype));
    if (x->shape_known && x0->shape_known && !sf_shape_equal(&x->shape, &x0->shape))
      return sf_error_set(err, SF_ESHAPE, "AddN: inputs must be of one shape");
    n->shape_known &= x->shape_known;
  }
  return SF_OK;
}
static sf_status addn_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *x0 = c->in[0];
  for (int i = 1; i < c->nin; i++)
    if (!sf_shape_equal(&c->in[i]->shape, &x0->shape))
      return sf_error_set(c->err, SF_ESHAPE, "%s: inputs must be of one shape", c->node->name);
  sf_status st = sf_new_output(c, x0->dtype, &x0->shape, out);
  bool f32 = x0->dtype == SF_FLOAT32, fl = sf_dtype_is_float(x0->dtype);
  for (int64_t j = 0; st == SF_OK && j < x0->n; j++) {
    if (fl) {
      double acc = sf_tensor_get(x0, j);
      for (int i = 1; i < c->nin; i++) acc = f32 ? (float)((float)acc + (float)sf_tensor_get(c->in[i], j)) : acc + sf_tensor_get(c->in[i], j);
      sf_tensor_set(*out, j, acc);
    } else {
      uint64_t acc = (uint64_t)sf_tensor_get_i64(x0, j);
      for (int i = 1; i < c->nin; i++) acc += (uint64_t)sf_tensor_get_i64(c->in[i], j);
      sf_tensor_set_i64(*out, j, (int64_t)acc);
    }
  }
  return st;
}
/* math_grad.py _AddNGrad: [grad] * len(op.inputs). */
static sf_status addn_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  (void)b;
  for (int i = 0; i < n->ninputs; i++) dx[i] = dy;
  return SF_OK;
}
const sf_op_def sf_op_AddN = {"AddN", -1, SF_NO_ATTRS, addn_shape, addn_kernel, addn_grad, 0, "sum of the inputs, in order"};

/* ---- OneHot(indices, depth, on_value, off_value), axis attribute (-1: last) ---- */

static sf_status onehot_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *x = sf_input_node(g, n, 0), *depth = sf_input_node(g, n, 1), *on = sf_input_node(g, n, 2);
  n->dtype = on->dtype;
  n->shape_known = x->shape_known && depth->value;
  if (!n->shape_known) return SF_OK;
  int d, rank = x->shape.rank;
  int64_t axis = sf_node_attr(n, "axis")->i;
  if (rank + 1 > SF_MAX_RANK) return sf_error_set(err, SF_ESHAPE, "OneHot: rank %d too large", rank + 1);
  if (axis < -1 || axis > rank) return sf_error_set(err, SF_EINVAL, "Expected axis to be -1 or between [0, %d).  But received: %lld", rank + 1, (long long)axis);
  d = axis < 0 ? rank : (int)axis;
  int64_t depthv = sf_tensor_get_i64(depth->value, 0);
  if (depthv < 0) return sf_error_set(err, SF_EINVAL, "depth must be non-negative, got: %lld", (long long)depthv);
  n->shape = x->shape;
  memmove(&n->shape.dims[d + 1], &n->shape.dims[d], (size_t)(rank - d) * sizeof n->shape.dims[0]);
  n->shape.dims[d] = depthv;
  n->shape.rank = rank + 1;
  return SF_OK;
}
static sf_status onehot_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *x = c->in[0];
  int rank = x->shape.rank;
  int64_t axis = sf_node_attr(c->node, "axis")->i, depth = sf_tensor_get_i64(c->in[1], 0);
  if (depth < 0) return sf_error_set(c->err, SF_EINVAL, "depth must be non-negative, got: %lld", (long long)depth);
  int d = axis < 0 ? rank : (int)axis;
  sf_shape s = x->shape;
  memmove(&s.dims[d + 1], &s.dims[d], (size_t)(rank - d) * sizeof s.dims[0]);
  s.dims[d] = depth;
  s.rank = rank + 1;
  sf_status st = sf_new_output(c, c->in[2]->dtype, &s, out);
  int64_t outer = 1, inner = 1;
  for (int k = 0; k < d; k++) outer *= x->shape.dims[k];
  for (int k = d; k < rank; k++) inner *= x->shape.dims[k];
  size_t es = sf_dtype_size(c->in[2]->dtype);
  for (int64_t q = 0; st == SF_OK && q < outer; q++)
    for (int64_t j = 0; j < depth; j++)
      for (int64_t i = 0; i < inner; i++) {
        int64_t idx = sf_tensor_get_i64(x, q * inner + i);
        memcpy((char *)(*out)->data + (size_t)((q * depth + j) * inner + i) * es, (idx == j ? c->in[2] : c->in[3])->data, es);
      }
  return st;
}
const sf_op_def sf_op_OneHot = {"OneHot", 4, SF_ATTRS(A_INT("axis", -1)), onehot_shape, onehot_kernel, NULL, SF_OPF_NO_GRADIENT,
                                "on_value where the index equals the position along axis, else off_value"};

/* ---- Fill(dims, value), ZerosLike(x), Shape(x) ---- */

static sf_status fill_shape(const sf_graph *g, sf_node *n, sf_error *err) { return sf_shape_from_input0(g, n, 1, err); }
static sf_status fill_kernel(sf_kctx *c, sf_tensor **out) {
  sf_shape s;
  if (sf_tensor_to_shape(c->in[0], &s, c->err) != SF_OK) return c->err->code;
  sf_status st = sf_new_output(c, c->in[1]->dtype, &s, out);
  size_t es = sf_dtype_size(c->in[1]->dtype);
  for (int64_t i = 0; st == SF_OK && i < (*out)->n; i++) memcpy((char *)(*out)->data + (size_t)i * es, c->in[1]->data, es);
  return st;
}
/* array_grad.py _FillGrad: the dims get none, the value reduce_sum(grad) over every axis. */
static sf_status fill_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  const sf_node *g = sf_g_node(b, dy);
  if (!g->shape_known) return sf_error_set(b->err, SF_ESHAPE, "gradient of '%s' needs a known shape", n->name);
  sf_tensor *axes = sf_tensor_new(SF_INT32, &(sf_shape){1, {g->shape.rank}}, b->err);
  if (!axes) return b->err->code;
  for (int d = 0; d < g->shape.rank; d++) sf_tensor_set(axes, d, d);
  int ax;
  sf_status st = b->constant(b->ctx, axes, &ax);
  sf_tensor_unref(axes);
  return st == SF_OK ? sf_g_op(b, "Sum", (int[]){dy, ax}, 2, NULL, &dx[1]) : st;
}
const sf_op_def sf_op_Fill = {"Fill", 2, SF_NO_ATTRS, fill_shape, fill_kernel, fill_grad, 0, "a tensor of shape input 0 filled with input 1"};

static sf_status zeros_like_kernel(sf_kctx *c, sf_tensor **out) {
  return sf_new_output(c, c->in[0]->dtype, &c->in[0]->shape, out); /* zero-filled */
}
const sf_op_def sf_op_ZerosLike = {"ZerosLike", 1, SF_NO_ATTRS, sf_shape_same_as_input, zeros_like_kernel, NULL,
                                   SF_OPF_NO_GRADIENT, "zeros of x's shape and dtype"};

static sf_status shape_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *x = sf_input_node(g, n, 0);
  (void)err;
  n->dtype = sf_node_attr(n, "out_type")->type;
  n->shape_known = x->shape_known;
  n->shape = (sf_shape){.rank = 1, .dims = {x->shape_known ? x->shape.rank : -1}};
  return SF_OK;
}
static sf_status shape_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_shape *s = &c->in[0]->shape;
  sf_status st = sf_new_output(c, sf_node_attr(c->node, "out_type")->type, &(sf_shape){.rank = 1, .dims = {s->rank}}, out);
  for (int i = 0; st == SF_OK && i < s->rank; i++) sf_tensor_set_i64(*out, i, s->dims[i]);
  return st;
}
const sf_op_def sf_op_Shape = {"Shape", 1, SF_ATTRS(A_TYPE("out_type", SF_INT32)), shape_shape, shape_kernel, NULL,
                               SF_OPF_NO_GRADIENT, "x's shape as a vector"};

/* ---- SqrtGrad(y, dy) ---- */

/* cwise_ops_gradients.h scalar_sqrt_gradient_op: 0 where dy is 0, else the scalar path
 * (0.5 * dy) / y or the packet path mul_no_nan(0.5 / y, dy) = (0.5 / y) * dy. Eigen's
 * executor runs whole packets first and the last n % P elements through the scalar
 * path; P is the packet size of TF's x86-64 builds (AVX: 8 floats, 4 doubles). */
static sf_status sqrt_grad_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *y = c->in[0], *dy = c->in[1];
  if (!sf_shape_equal(&y->shape, &dy->shape))
    return sf_error_set(c->err, SF_ESHAPE, "%s: y and dy of different shapes", c->node->name);
  sf_status st = sf_new_output(c, y->dtype, &y->shape, out);
  bool f32 = y->dtype == SF_FLOAT32;
  int64_t packets = y->n - y->n % (f32 ? 8 : 4);
  for (int64_t i = 0; st == SF_OK && i < y->n; i++) {
    double g = sf_tensor_get(dy, i), v = sf_tensor_get(y, i), r;
    if (g == 0) r = 0;
    else if (f32) r = i < packets ? (float)(0.5f / (float)v) * (float)g : (float)(0.5f * (float)g) / (float)v;
    else r = i < packets ? (0.5 / v) * g : (0.5 * g) / v;
    sf_tensor_set(*out, i, r);
  }
  return st;
}
static sf_status sqrt_grad_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  if (!sf_dtype_is_float(sf_input_node(g, n, 0)->dtype))
    return sf_error_set(err, SF_ETYPE, "SqrtGrad needs a float input, got %s", sf_dtype_name(sf_input_node(g, n, 0)->dtype));
  return sf_shape_same_as_input(g, n, err);
}
const sf_op_def sf_op_SqrtGrad = {"SqrtGrad", 2, SF_NO_ATTRS, sqrt_grad_shape, sqrt_grad_kernel, NULL, 0,
                                  "Sqrt's gradient from its output y and dy: 0.5 * dy / y, 0 where dy is 0"};

/* ---- OneShotIterator / IteratorGetNext: a TF1 one-shot iterator over a dataset whose
 * elements lang/mod_tf_data.c materialised when get_next() was built (stacked along a new
 * axis 0, held as the OneShotIterator node's value). Each run of IteratorGetNext yields
 * the next row; its position is kernel state, so a new Session starts again at row 0, as
 * a new Session makes the iterator resource afresh. Past the end: "End of sequence". ---- */

static sf_status iterator_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  (void)g, (void)err;
  n->dtype = n->value ? n->value->dtype : SF_FLOAT32;
  n->shape = n->value ? n->value->shape : (sf_shape){.rank = 1, .dims = {0}};
  n->shape_known = true;
  return SF_OK;
}
static sf_status iterator_kernel(sf_kctx *c, sf_tensor **out) {
  if (c->node->value) return *out = sf_tensor_ref(c->node->value), SF_OK;
  return sf_new_output(c, SF_FLOAT32, &(sf_shape){.rank = 1, .dims = {0}}, out);
}
const sf_op_def sf_op_OneShotIterator = {"OneShotIterator", 0, SF_NO_ATTRS, iterator_shape, iterator_kernel, NULL,
                                         SF_OPF_STATEFUL | SF_OPF_NO_GRADIENT, "a one-shot iterator: the dataset's elements"};

static sf_status get_next_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *it = sf_input_node(g, n, 0);
  if (it->shape_known && it->shape.rank < 1) return sf_error_set(err, SF_ESHAPE, "IteratorGetNext needs elements stacked on axis 0");
  n->dtype = it->dtype;
  n->shape_known = it->shape_known;
  n->shape = (sf_shape){.rank = it->shape.rank - 1};
  for (int d = 1; d < it->shape.rank; d++) n->shape.dims[d - 1] = it->shape.dims[d];
  return SF_OK;
}
static sf_status get_next_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *x = c->in[0];
  if (!c->state->value && !(c->state->value = sf_tensor_new(SF_INT64, &(sf_shape){0}, c->err))) return c->err->code;
  int64_t *pos = c->state->value->data, rows = x->shape.rank ? x->shape.dims[0] : 0;
  if (*pos >= rows) return sf_error_set(c->err, SF_EINVAL, "End of sequence"); /* lang/mod_tf_data.c raises it as OutOfRangeError */
  sf_shape s = {.rank = x->shape.rank - 1};
  for (int d = 1; d < x->shape.rank; d++) s.dims[d - 1] = x->shape.dims[d];
  sf_status st = sf_new_output(c, x->dtype, &s, out);
  size_t row = (size_t)(rows ? x->n / rows : 0) * sf_dtype_size(x->dtype);
  if (st == SF_OK) memcpy((*out)->data, (const char *)x->data + (size_t)*pos * row, row);
  if (st == SF_OK) ++*pos;
  return st;
}
const sf_op_def sf_op_IteratorGetNext = {"IteratorGetNext", 1, SF_NO_ATTRS, get_next_shape, get_next_kernel, NULL,
                                         SF_OPF_STATEFUL | SF_OPF_NO_GRADIENT, "the iterator's next element (row)"};

/* ---- Squeeze(x; squeeze_dims): x without the given axes of size 1, or without every axis
 * of size 1 when none is given (squeeze_op.h, its shape function in array_ops.cc). The
 * list attribute is held as a shape: its rank the count, its dims the axes. ---- */

/* The squeezed shape; false with TF's message in err when an axis is out of range or not 1.
 * An unknown dimension (-1) may be squeezed when named; with no axes named, x's shape must
 * be fully known (TF's is then of unknown rank: *known false). */
static bool squeeze_to(const sf_shape *x, const sf_shape *axes, sf_shape *out, bool *known,
                       sf_error *err) {
  bool drop[SF_MAX_RANK] = {0};
  *known = true;
  for (int k = 0; k < axes->rank; k++) {
    int64_t a = axes->dims[k];
    if (a < -x->rank || a >= x->rank) {
      sf_error_set(err, SF_EINVAL, "Tried to squeeze dim index %lld for tensor with %d dimensions.", (long long)a, x->rank);
      return false;
    }
    a += a < 0 ? x->rank : 0;
    if (x->dims[a] != 1 && x->dims[a] >= 0) {
      sf_error_set(err, SF_EINVAL, "Can not squeeze dim[%lld], expected a dimension of 1, got %lld", (long long)a,
                   (long long)x->dims[a]);
      return false;
    }
    drop[a] = true;
  }
  *out = (sf_shape){0};
  for (int d = 0; d < x->rank; d++) {
    if (axes->rank == 0 && x->dims[d] < 0) *known = false;
    if (!(axes->rank ? drop[d] : x->dims[d] == 1)) out->dims[out->rank++] = x->dims[d];
  }
  return true;
}

static sf_status squeeze_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *x = sf_input_node(g, n, 0);
  n->dtype = x->dtype;
  n->shape_known = x->shape_known;
  bool known;
  if (n->shape_known && !squeeze_to(&x->shape, &n->attrs[0].shape, &n->shape, &known, err)) return err->code;
  n->shape_known = n->shape_known && known;
  return SF_OK;
}

static sf_status squeeze_kernel(sf_kctx *c, sf_tensor **out) {
  sf_shape s;
  bool known;
  if (!squeeze_to(&c->in[0]->shape, &c->node->attrs[0].shape, &s, &known, c->err)) return c->err->code;
  return sf_output_reshaped(c, &s, out);
}

/* array_grad.py _SqueezeGrad: _ReshapeToInput, reshape(grad, shape(x)); a fully known
 * shape is a Const here, a partial one TF's Shape op. */
static sf_status squeeze_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  const sf_node *x = sf_g_node(b, n->inputs[0]);
  if (!x->shape_known) return sf_error_set(b->err, SF_ESHAPE, "gradient of '%s' needs a known rank", n->name);
  int shape;
  sf_status st = sf_shape_partial(&x->shape) ? sf_g_op(b, "Shape", &n->inputs[0], 1, NULL, &shape)
                                              : sf_g_ints(b, x->shape.dims, x->shape.rank, &shape);
  return st == SF_OK ? sf_g_op(b, "Reshape", (int[]){dy, shape}, 2, NULL, &dx[0]) : st;
}

const sf_op_def sf_op_Squeeze = {"Squeeze", 1, SF_ATTRS(A_SHAPE("squeeze_dims")), squeeze_shape, squeeze_kernel,
                                 squeeze_grad, 0, "x without axes of size 1 (attribute squeeze_dims: which; none: all)"};
