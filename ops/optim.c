/* optim.c — state that outlives one run: resource variables (TF2's VarHandleOp family,
 * used for Keras weights), the SGD update ResourceApplyGradientDescent, and Placeholder,
 * whose value the interpreter feeds before each run (a TF1 feed_dict). The values live in
 * the run's sf_runtime, so eager code, graphs and traced functions share them. */
#include "ops_internal.h"

#include <inttypes.h>

static sf_status var_index(sf_kctx *c, int64_t *k) {
  *k = sf_node_attr(c->node, "var")->i;
  if (!c->rt || *k < 0 || *k >= c->rt->nvars)
    return sf_error_set(c->err, SF_EINVAL, "%s: attribute 'var' refers to no variable (%" PRId64 ")", c->node->name, *k);
  return SF_OK;
}

/* A tf.random.Generator's state is a resource variable (stateful_random_ops.py
 * Generator.state returns _state_var): read as int64 [counter lo, counter hi, key]. */
static sf_status read_generator(sf_kctx *c, int64_t k, sf_tensor **out) {
  if (!c->rt || k >= c->rt->ngenerators)
    return sf_error_set(c->err, SF_EINVAL, "%s: attribute 'generator' refers to no generator (%" PRId64 ")", c->node->name, k);
  sf_shape s = {.rank = 1, .dims = {3}};
  sf_status st = sf_new_output(c, SF_INT64, &s, out);
  if (st != SF_OK) return st;
  sf_generator_words(&c->rt->generators[k].state, (*out)->data);
  return SF_OK;
}

static sf_status read_kernel(sf_kctx *c, sf_tensor **out) {
  int64_t k = sf_node_attr(c->node, "generator")->i;
  if (k >= 0) return read_generator(c, k, out);
  if (var_index(c, &k) != SF_OK) return c->err->code;
  if (!c->rt->vars[k])
    return sf_error_set(c->err, SF_EINVAL, "%s: variable %" PRId64 " is read before it is initialized", c->node->name, k);
  *out = sf_tensor_ref(c->rt->vars[k]);
  return SF_OK;
}
const sf_op_def sf_op_ReadVariableOp = {"ReadVariableOp", 0,
    SF_ATTRS(A_INT("var", 0), A_TYPE("dtype", SF_FLOAT32), A_SHAPE("shape"), A_INT("generator", -1)),
    sf_shape_from_attrs, read_kernel, NULL, SF_OPF_STATEFUL, "reads resource variable 'var' (or generator's state)"};

/* Generator.reset / reset_from_seed: _state_var.assign(state), int64 [3] (the words as
 * read_generator returns them). */
static sf_status assign_generator(sf_kctx *c, int64_t k, sf_tensor **out) {
  if (!c->rt || k >= c->rt->ngenerators)
    return sf_error_set(c->err, SF_EINVAL, "%s: attribute 'generator' refers to no generator (%" PRId64 ")", c->node->name, k);
  if (c->in[0]->dtype != SF_INT64 || c->in[0]->n != 3)
    return sf_error_set(c->err, SF_ESHAPE, "%s: a generator state is int64 [3]", c->node->name);
  sf_generator_set_words(&c->rt->generators[k].state, c->in[0]->data);
  c->rt->generators[k].os_entropy = false;
  *out = sf_tensor_ref(c->in[0]);
  return SF_OK;
}

static sf_status assign_var_kernel(sf_kctx *c, sf_tensor **out) {
  int64_t k = sf_node_attr(c->node, "generator")->i;
  if (k >= 0) return assign_generator(c, k, out);
  if (var_index(c, &k) != SF_OK) return c->err->code;
  sf_tensor_unref(c->rt->vars[k]);
  c->rt->vars[k] = sf_tensor_ref(c->in[0]);
  *out = sf_tensor_ref(c->in[0]);
  return SF_OK;
}
const sf_op_def sf_op_AssignVariableOp = {"AssignVariableOp", 1, SF_ATTRS(A_INT("var", 0), A_INT("generator", -1)),
    sf_shape_same_as_input, assign_var_kernel, NULL, SF_OPF_STATEFUL, "stores input 0 into resource variable 'var'"};

/* training_ops.cc ApplyGradientDescent: var -= grad * alpha, one float32 product and one
 * float32 difference per element. Inputs: alpha (scalar), delta (the gradient). */
static sf_status sgd_kernel(sf_kctx *c, sf_tensor **out) {
  int64_t k;
  if (var_index(c, &k) != SF_OK) return c->err->code;
  const sf_tensor *var = c->rt->vars[k], *alpha = c->in[0], *delta = c->in[1];
  if (!var) return sf_error_set(c->err, SF_EINVAL, "%s: variable %" PRId64 " is not initialized", c->node->name, k);
  if (!sf_shape_equal(&var->shape, &delta->shape) || var->dtype != delta->dtype || alpha->n != 1)
    return sf_error_set(c->err, SF_ESHAPE, "%s: gradient does not match variable %" PRId64, c->node->name, k);
  sf_status st = sf_new_output(c, var->dtype, &var->shape, out);
  bool f32 = var->dtype == SF_FLOAT32;
  double a = sf_tensor_get(alpha, 0);
  if (st == SF_OK && f32) { /* the loop below without its switches: the same roundings */
    const float *d = delta->data, *v = var->data;
    float *o = (*out)->data;
    for (int64_t i = 0; i < var->n; i++) {
      double step = (float)((double)d[i] * a);
      o[i] = (float)((double)v[i] - step);
    }
  }
  for (int64_t i = 0; st == SF_OK && !f32 && i < var->n; i++)
    sf_tensor_set(*out, i, sf_tensor_get(var, i) - sf_tensor_get(delta, i) * a);
  if (st == SF_OK) {
    sf_tensor_unref(c->rt->vars[k]);
    c->rt->vars[k] = sf_tensor_ref(*out);
  }
  return st;
}
/* The kernel returns the updated variable, which has delta's (input 1's) shape. */
static sf_status sgd_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  (void)err;
  sf_shape_copy(n, sf_input_node(g, n, 1));
  return SF_OK;
}
const sf_op_def sf_op_ResourceApplyGradientDescent = {"ResourceApplyGradientDescent", 2, SF_ATTRS(A_INT("var", 0)),
    sgd_shape, sgd_kernel, NULL, SF_OPF_STATEFUL, "var -= alpha * delta (SGD step)"};

static sf_status placeholder_kernel(sf_kctx *c, sf_tensor **out) {
  int64_t k = sf_node_attr(c->node, "slot")->i;
  if (!c->rt || k < 0 || k >= c->rt->nfeeds || !c->rt->feeds[k])
    return sf_error_set(c->err, SF_EINVAL, "placeholder '%s' was not fed", c->node->name);
  const sf_tensor *t = c->rt->feeds[k];
  if (t->dtype != sf_node_attr(c->node, "dtype")->type)
    return sf_error_set(c->err, SF_ETYPE, "placeholder '%s' fed a %s tensor", c->node->name, sf_dtype_name(t->dtype));
  *out = sf_tensor_ref(c->rt->feeds[k]);
  return SF_OK;
}
/* Stateful so that no pass folds or merges it: its value changes from run to run. */
const sf_op_def sf_op_Placeholder = {"Placeholder", 0,
    SF_ATTRS(A_INT("slot", 0), A_TYPE("dtype", SF_FLOAT32), A_SHAPE("shape")),
    sf_shape_from_attrs, placeholder_kernel, NULL, SF_OPF_STATEFUL, "a value fed for each run (feed_dict)"};
