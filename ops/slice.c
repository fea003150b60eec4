/* slice.c — StridedSlice, the op Tensor.__getitem__ builds (array_ops.py _slice_helper):
 * inputs input, begin, end, strides (1-D int) and the five masks. The canonical form is
 * TF's ValidateStridedSliceOp (tensorflow/core/util/strided_slice_op.cc): an ellipsis
 * expands to the dimensions the other entries leave, new_axis inserts a 1, shrink_axis
 * takes one index (negative counts from the end; out of range is an error), a masked
 * begin/end is the whole side, others are clamped as Python slices are. */
#include "ops_internal.h"

#include <string.h>

typedef struct slice_plan {
  int rank;                        /* the input's */
  int64_t begin[SF_MAX_RANK];      /* per input dimension */
  int64_t stride[SF_MAX_RANK];
  int64_t count[SF_MAX_RANK];
  sf_shape out;
} slice_plan;

static int64_t mask_attr(const sf_node *n, const char *name) { return sf_node_attr(n, name)->i; }

/* One input dimension of size d from begin b / end e / stride s. */
static sf_status plan_dim(slice_plan *p, int dim, int64_t d, int64_t b, int64_t e, int64_t s, bool bmask, bool emask,
                          bool shrink, const char *name, sf_error *err) {
  if (s == 0) return sf_error_set(err, SF_EINVAL, "%s: strides[%d] must be non-zero", name, dim);
  if (shrink) {
    int64_t x = b < 0 ? b + d : b;
    if (x < 0 || x >= d)
      return sf_error_set(err, SF_EINVAL, "slice index %lld of dimension %d out of bounds.", (long long)b, dim);
    p->begin[dim] = x;
    p->stride[dim] = 1;
    p->count[dim] = 1;
    return SF_OK;
  }
  int64_t lo = s > 0 ? 0 : -1, hi = s > 0 ? d : d - 1;
  if (bmask) b = s > 0 ? 0 : d - 1;
  else {
    if (b < 0) b += d;
    b = b < lo ? lo : b > hi ? hi : b;
  }
  if (emask) e = s > 0 ? d : -1;
  else {
    if (e < 0) e += d;
    e = e < lo ? lo : e > hi ? hi : e;
  }
  int64_t n = s > 0 ? (e - b + s - 1) / s : (b - e + (-s) - 1) / (-s);
  p->begin[dim] = b;
  p->stride[dim] = s;
  p->count[dim] = n > 0 ? n : 0;
  return SF_OK;
}

static void plan_full(slice_plan *p, int dim, int64_t d) {
  p->begin[dim] = 0;
  p->stride[dim] = 1;
  p->count[dim] = d;
}

static sf_status plan_slice(const sf_node *n, const sf_shape *in, const sf_tensor *bt, const sf_tensor *et,
                            const sf_tensor *st, slice_plan *p, sf_error *err) {
  int64_t bm = mask_attr(n, "begin_mask"), em = mask_attr(n, "end_mask"), ell = mask_attr(n, "ellipsis_mask"),
          na = mask_attr(n, "new_axis_mask"), sh = mask_attr(n, "shrink_axis_mask");
  int k = (int)bt->n;
  if (et->n != k || st->n != k || bt->shape.rank != 1 || k > 32)
    return sf_error_set(err, SF_ESHAPE, "Expected begin, end, and strides to be 1D equal size tensors, but got shapes [%lld], [%lld], and [%lld] instead.",
                        (long long)bt->n, (long long)et->n, (long long)st->n);
  if (ell & (ell - 1)) return sf_error_set(err, SF_EINVAL, "Multiple ellipses in slice spec not allowed");
  memset(p, 0, sizeof *p);
  p->rank = in->rank;
  int after = 0; /* new axes after the ellipsis */
  bool seen = false;
  for (int i = 0; i < k; i++) {
    if (ell >> i & 1) seen = true;
    else if (seen && na >> i & 1) after++;
  }
  int d = 0, o = 0;
  for (int i = 0; i < k; i++) {
    if (ell >> i & 1) {
      int next = in->rank - (k - i) + 1 + after;
      if (next > in->rank) next = in->rank;
      for (; d < next; d++) {
        plan_full(p, d, in->dims[d]);
        p->out.dims[o++] = in->dims[d];
      }
      continue;
    }
    if (na >> i & 1) {
      if (o >= SF_MAX_RANK) return sf_error_set(err, SF_ESHAPE, "%s: result rank above %d", n->name, SF_MAX_RANK);
      p->out.dims[o++] = 1;
      continue;
    }
    if (d >= in->rank)
      return sf_error_set(err, SF_EINVAL, "Index out of range using input dim %d; input has only %d dims", d, in->rank);
    bool shrink = sh >> i & 1;
    sf_status s = plan_dim(p, d, in->dims[d], sf_tensor_get_i64(bt, i), sf_tensor_get_i64(et, i), sf_tensor_get_i64(st, i),
                           bm >> i & 1, em >> i & 1, shrink, n->name, err);
    if (s != SF_OK) return s;
    if (!shrink) {
      if (o >= SF_MAX_RANK) return sf_error_set(err, SF_ESHAPE, "%s: result rank above %d", n->name, SF_MAX_RANK);
      p->out.dims[o++] = p->count[d];
    }
    d++;
  }
  for (; d < in->rank; d++) {
    plan_full(p, d, in->dims[d]);
    if (o >= SF_MAX_RANK) return sf_error_set(err, SF_ESHAPE, "%s: result rank above %d", n->name, SF_MAX_RANK);
    p->out.dims[o++] = in->dims[d];
  }
  p->out.rank = o;
  return SF_OK;
}

static sf_status slice_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *x = sf_input_node(g, n, 0);
  const sf_node *b = sf_input_node(g, n, 1), *e = sf_input_node(g, n, 2), *s = sf_input_node(g, n, 3);
  n->dtype = x->dtype;
  n->shape_known = false;
  if (!x->shape_known || !b->value || !e->value || !s->value) return SF_OK;
  slice_plan p;
  sf_status st = plan_slice(n, &x->shape, b->value, e->value, s->value, &p, err);
  if (st != SF_OK) return st;
  n->shape = p.out;
  n->shape_known = true;
  return SF_OK;
}

/* Visits the n elements the plan selects from a tensor of shape full, in order: copies
 * full -> part (gather) or part -> full (scatter, the gradient). */
static void walk(const slice_plan *p, const sf_shape *full, int64_t n, size_t es, char *fdata, char *pdata, bool scatter) {
  int64_t stride_in[SF_MAX_RANK], idx[SF_MAX_RANK] = {0}, acc = 1;
  for (int d = p->rank - 1; d >= 0; d--) {
    stride_in[d] = acc;
    acc *= full->dims[d];
  }
  for (int64_t i = 0; i < n; i++) {
    int64_t off = 0;
    for (int d = 0; d < p->rank; d++) off += (p->begin[d] + idx[d] * p->stride[d]) * stride_in[d];
    if (scatter) memcpy(fdata + (size_t)off * es, pdata + (size_t)i * es, es);
    else memcpy(pdata + (size_t)i * es, fdata + (size_t)off * es, es);
    for (int d = p->rank - 1; d >= 0; d--) {
      if (++idx[d] < p->count[d]) break;
      idx[d] = 0;
    }
  }
}

static sf_status slice_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *x = c->in[0];
  slice_plan p;
  sf_status st = plan_slice(c->node, &x->shape, c->in[1], c->in[2], c->in[3], &p, c->err);
  if (st == SF_OK) st = sf_new_output(c, x->dtype, &p.out, out);
  if (st == SF_OK) walk(&p, &x->shape, (*out)->n, sf_dtype_size(x->dtype), (char *)x->data, (*out)->data, false);
  return st;
}

/* array_grad.py _StridedSliceGrad: StridedSliceGrad(shape(x), begin, end, strides, grad)
 * with the op's masks (shape(x) a constant: x's shape is known); no gradient for the rest. */
static sf_status slice_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  const sf_node *x = sf_g_node(b, n->inputs[0]);
  if (!x->shape_known) return sf_error_set(b->err, SF_ESHAPE, "gradient of '%s' needs known shapes", n->name);
  int shape;
  sf_status st = sf_g_ints(b, x->shape.dims, x->shape.rank, &shape);
  if (st != SF_OK) return st;
  return sf_g_op(b, "StridedSliceGrad", (int[]){shape, n->inputs[1], n->inputs[2], n->inputs[3], dy}, 5, n->attrs, &dx[0]);
}

const sf_op_def sf_op_StridedSlice = {"StridedSlice", 4,
    SF_ATTRS(A_INT("begin_mask", 0), A_INT("end_mask", 0), A_INT("ellipsis_mask", 0), A_INT("new_axis_mask", 0),
             A_INT("shrink_axis_mask", 0)),
    slice_shape, slice_kernel, slice_grad, 0, "input[begin:end:strides] with TF's masks (Tensor.__getitem__)"};

/* StridedSliceGrad(shape, begin, end, strides, dy) with StridedSlice's masks
 * (strided_slice_op.cc StridedSliceGradOp): zeros of `shape` with dy written back where
 * the slice read (a reverse stride writes back in the same positions). */
static sf_status slice_grad_shape(const sf_graph *g, sf_node *n, sf_error *err) { return sf_shape_from_input0(g, n, 4, err); }

static sf_status slice_grad_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *dy = c->in[4];
  sf_shape s;
  slice_plan p;
  if (sf_tensor_to_shape(c->in[0], &s, c->err) != SF_OK) return c->err->code;
  sf_status st = plan_slice(c->node, &s, c->in[1], c->in[2], c->in[3], &p, c->err);
  if (st == SF_OK && !sf_shape_equal(&p.out, &dy->shape))
    st = sf_error_set(c->err, SF_ESHAPE, "%s: dy's shape is not the slice's", c->node->name);
  if (st == SF_OK) st = sf_new_output(c, dy->dtype, &s, out); /* zero-filled */
  if (st == SF_OK) walk(&p, &s, dy->n, sf_dtype_size(dy->dtype), (*out)->data, (char *)dy->data, true);
  return st;
}

const sf_op_def sf_op_StridedSliceGrad = {"StridedSliceGrad", 5,
    SF_ATTRS(A_INT("begin_mask", 0), A_INT("end_mask", 0), A_INT("ellipsis_mask", 0), A_INT("new_axis_mask", 0),
             A_INT("shrink_axis_mask", 0)),
    slice_grad_shape, slice_grad_kernel, NULL, 0, "StridedSlice's gradient: dy written into zeros of shape input 0"};
