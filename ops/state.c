/* state.c — TF1 reference variables: VariableV2 holds a value per session, Assign sets it.
 * They exist as nodes because in TF <= 2.1 every created op shifts later op seeds. */
#include "ops_internal.h"

/* Output dtype and shape from the node's own 'dtype' and 'shape' attributes. */
sf_status sf_shape_from_attrs(const sf_graph *g, sf_node *n, sf_error *err) {
  (void)g;
  (void)err;
  n->dtype = sf_node_attr(n, "dtype")->type;
  n->shape = sf_node_attr(n, "shape")->shape;
  if (n->shape.rank < 0) n->shape = (sf_shape){0}; /* a placeholder of any rank: checked as a scalar, fed any shape */
  n->shape_known = true;
  return SF_OK;
}

static sf_status var_kernel(sf_kctx *c, sf_tensor **out) {
  if (!c->state->value)
    return sf_error_set(c->err, SF_EINVAL, "variable '%s' is read before it is initialized", c->node->name);
  *out = sf_tensor_ref(c->state->value);
  return SF_OK;
}
const sf_op_def sf_op_VariableV2 = {"VariableV2", 0,
    SF_ATTRS(A_TYPE("dtype", SF_FLOAT32), A_SHAPE("shape")),
    sf_shape_from_attrs, var_kernel, NULL, SF_OPF_STATEFUL | SF_OPF_VARIABLE, "a variable's storage (TF1 ref variable)"};

static sf_status assign_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *v = sf_input_node(g, n, 0), *x = sf_input_node(g, n, 1);
  if (v->op != &sf_op_VariableV2) return sf_error_set(err, SF_EGRAPH, "input 0 must be a VariableV2, got %s", v->op->name);
  if (v->dtype != x->dtype)
    return sf_error_set(err, SF_ETYPE, "dtype mismatch: variable is %s, value is %s", sf_dtype_name(v->dtype),
                        sf_dtype_name(x->dtype));
  n->dtype = x->dtype;
  n->shape = x->shape;
  n->shape_known = x->shape_known;
  return SF_OK;
}

/* The executor hands Assign the state of the variable node it writes (ref_state). */
static sf_status assign_kernel(sf_kctx *c, sf_tensor **out) {
  sf_tensor_unref(c->ref_state->value);
  c->ref_state->value = sf_tensor_ref(c->in[1]);
  *out = sf_tensor_ref(c->in[1]);
  return SF_OK;
}
const sf_op_def sf_op_Assign = {"Assign", 2, SF_NO_ATTRS, assign_shape, assign_kernel, NULL,
    SF_OPF_STATEFUL | SF_OPF_REF_INPUT, "stores input 1 into the variable at input 0"};
