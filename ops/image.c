/* image.c — the array ops tf.image's random flips build besides the random draw
 * (image_ops_impl.py _random_flip): ReverseV2 (array_ops.reverse) and Round
 * (math_ops.round, half to even). */
#include "ops_internal.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

/* ReverseV2(tensor, axis): axis a constant int vector; negative axes count from the end. */
static sf_status reverse_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  sf_shape_copy(n, sf_input_node(g, n, 0));
  const sf_node *ax = sf_input_node(g, n, 1);
  if (ax->dtype != SF_INT32 && ax->dtype != SF_INT64)
    return sf_error_set(err, SF_ETYPE, "axis must be int32 or int64, got %s", sf_dtype_name(ax->dtype));
  return SF_OK;
}

static sf_status reverse_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *x = c->in[0], *axes = c->in[1];
  bool flip[SF_MAX_RANK] = {false};
  for (int64_t i = 0; i < axes->n; i++) {
    int64_t a = sf_tensor_get_i64(axes, i);
    if (a < 0) a += x->shape.rank;
    if (a < 0 || a >= x->shape.rank)
      return sf_error_set(c->err, SF_EINVAL, "%s: axis %" PRId64 " is out of range for rank %d", c->node->name,
                          sf_tensor_get_i64(axes, i), x->shape.rank);
    if (flip[a]) return sf_error_set(c->err, SF_EINVAL, "%s: axis %" PRId64 " is given twice", c->node->name, a);
    flip[a] = true;
  }
  sf_status st = sf_new_output(c, x->dtype, &x->shape, out);
  if (st != SF_OK) return st;
  size_t sz = sf_dtype_size(x->dtype);
  for (int64_t i = 0; i < x->n; i++) { /* source index of output element i */
    int64_t rem = i, src = 0, stride = 1;
    for (int d = x->shape.rank - 1; d >= 0; d--) {
      int64_t k = rem % x->shape.dims[d];
      rem /= x->shape.dims[d];
      src += (flip[d] ? x->shape.dims[d] - 1 - k : k) * stride;
      stride *= x->shape.dims[d];
    }
    memcpy((char *)(*out)->data + (size_t)i * sz, (const char *)x->data + (size_t)src * sz, sz);
  }
  return SF_OK;
}

const sf_op_def sf_op_ReverseV2 = {"ReverseV2", 2, SF_NO_ATTRS, reverse_shape, reverse_kernel, NULL, 0,
    "x with the given axes reversed"};

/* Round: Eigen's scalar_round_half_to_even (rint in the default rounding mode); integers
 * unchanged. */
static sf_status round_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *x = c->in[0];
  if (!sf_dtype_is_float(x->dtype)) {
    *out = sf_tensor_ref(c->in[0]);
    return SF_OK;
  }
  return sf_unary_map(c, out, rint);
}

/* math_grad.py _RoundGrad returns [None]: no gradient flows through. */
const sf_op_def sf_op_Round = {"Round", 1, SF_NO_ATTRS, sf_shape_same_as_input, round_kernel, NULL, SF_OPF_NO_GRADIENT,
    "x rounded half to even"};
