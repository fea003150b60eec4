/* var_update.c — in-place updates of a resource variable that tf.Variable.assign_add and
 * assign_sub create (resource_variable_ops.py: gen_resource_variable_ops
 * .assign_add_variable_op / assign_sub_variable_op; kernels in
 * tensorflow/core/kernels/resource_variable_ops.cc, AssignUpdateVariableOp with
 * functor::DenseUpdate ADD / SUB: var = var + value in the variable's dtype). */
#include "ops_internal.h"

#include <inttypes.h>

static sf_status update(sf_kctx *c, sf_tensor **out, double sign) {
  int64_t k = sf_node_attr(c->node, "var")->i;
  if (!c->rt || k < 0 || k >= c->rt->nvars || !c->rt->vars[k])
    return sf_error_set(c->err, SF_EINVAL, "%s: attribute 'var' refers to no initialized variable (%" PRId64 ")",
                        c->node->name, k);
  const sf_tensor *var = c->rt->vars[k], *delta = c->in[0];
  if (!sf_shape_equal(&var->shape, &delta->shape) || var->dtype != delta->dtype)
    return sf_error_set(c->err, SF_ESHAPE, "%s: value does not match variable %" PRId64 " (%s vs %s)", c->node->name, k,
                        sf_dtype_name(delta->dtype), sf_dtype_name(var->dtype));
  sf_status st = sf_new_output(c, var->dtype, &var->shape, out);
  bool f32 = var->dtype == SF_FLOAT32;
  for (int64_t i = 0; st == SF_OK && i < var->n; i++) {
    if (sf_dtype_is_float(var->dtype)) {
      double r = sf_tensor_get(var, i) + sign * sf_tensor_get(delta, i);
      sf_tensor_set(*out, i, f32 ? (float)r : r);
    } else {
      sf_tensor_set_i64(*out, i, sf_tensor_get_i64(var, i) + (sign > 0 ? 1 : -1) * sf_tensor_get_i64(delta, i));
    }
  }
  if (st == SF_OK) {
    sf_tensor_unref(c->rt->vars[k]);
    c->rt->vars[k] = sf_tensor_ref(*out);
  }
  return st;
}

static sf_status add_kernel(sf_kctx *c, sf_tensor **out) { return update(c, out, 1.0); }
static sf_status sub_kernel(sf_kctx *c, sf_tensor **out) { return update(c, out, -1.0); }

const sf_op_def sf_op_AssignAddVariableOp = {"AssignAddVariableOp", 1, SF_ATTRS(A_INT("var", 0)),
    sf_shape_same_as_input, add_kernel, NULL, SF_OPF_STATEFUL, "resource variable 'var' += input 0"};
const sf_op_def sf_op_AssignSubVariableOp = {"AssignSubVariableOp", 1, SF_ATTRS(A_INT("var", 0)),
    sf_shape_same_as_input, sub_kernel, NULL, SF_OPF_STATEFUL, "resource variable 'var' -= input 0"};
