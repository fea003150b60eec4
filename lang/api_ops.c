/* api_ops.c — Python's operators on TensorFlow tensors and NumPy arrays: `a + b`, `-x`,
 * `int(t)`. The evaluator (eval.c) hands them flat values; each becomes the op TensorFlow's
 * operator overloads add (math_ops: AddV2, Sub, Mul, RealDiv, Neg), built in the current
 * mode through the builder. */
#include "interp.h"

#include <string.h>

static const char *op_symbol(char op) {
  switch (op) {
    case 'F': return "//";
    case 'P': return "**";
    case '%': return "%";
    case '@': return "@";
    case 'L': return "<<";
    case 'R': return ">>";
    case '&': return "&";
    case '|': return "|";
    case '^': return "^";
    default: return "?";
  }
}

sf_status sf_api_tensor_binop(sf_interp *I, const sf_expr *e, char op, const sf_val *a, const sf_val *b, sf_val *out) {
  if ((a->kind != V_TENSOR || a->numpy) && (b->kind != V_TENSOR || b->numpy)) {
    int n0 = sf_numpy_begin(I);
    sf_status st = sf_numpy_binop(I, e, op, a, b, out);
    sf_numpy_end(I, n0);
    return st;
  }
  if (!strchr("+-*/@", op))
    return sf_error_at(I->err, e->line, e->col, SF_ENAME, "unsupported: operator '%s' on tensors", op_symbol(op));
  /* convert_to_tensor: the Python operand takes the tensor's dtype */
  /* the tensor's, not a NumPy operand's (ndarray OP tensor defers to the tensor's reflected
   * operator, math_ops.py r_binary_op_wrapper: maybe_promote_tensors converts the array) */
  const sf_val *t = a->kind == V_TENSOR && !a->numpy ? a : b;
  int tid;
  sf_status st = sf_b_tensor(I, t, -1, NULL, e, &tid);
  if (st != SF_OK) return st;
  int dt = (int)sf_graph_node(I->ctx.graph, tid)->dtype;
  int ia, ib;
  if ((st = sf_b_tensor(I, a, dt, "x", e, &ia)) != SF_OK || (st = sf_b_tensor(I, b, dt, "y", e, &ib)) != SF_OK)
    return st;
  /* a @ b: math_ops.py's overload of matmul, named by its scope "matmul" (binary_op_wrapper);
   * a MatMul of two matrices (matmul's other ranks, BatchMatMulV2, are not modelled) */
  const char *opn = op == '+' ? "AddV2" : op == '-' ? "Sub" : op == '*' ? "Mul" : op == '@' ? "MatMul" : "RealDiv";
  const char *name = op == '+' ? "add" : op == '-' ? "sub" : op == '*' ? "mul" : op == '@' ? "matmul" : "truediv";
  sf_node *n;
  int in[2] = {ia, ib};
  if (op == '@' && (st = sf_b_matmul_ranks(I, e, ia, ib)) != SF_OK) return st;
  if ((st = sf_b_op(I, opn, name, in, 2, NULL, &n)) != SF_OK) return st;
  sf_b_tensor_val(I, n->id, out);
  return SF_OK;
}

sf_status sf_api_tensor_neg(sf_interp *I, const sf_expr *e, const sf_val *v, sf_val *out) {
  if (v->numpy) {
    int n0 = sf_numpy_begin(I);
    sf_status st = sf_numpy_neg(I, e, v, out);
    sf_numpy_end(I, n0);
    return st;
  }
  int id;
  sf_node *n;
  sf_status st = sf_b_tensor(I, v, -1, NULL, e, &id);
  if (st == SF_OK) st = sf_b_op(I, "Neg", "Neg", &id, 1, NULL, &n);
  if (st == SF_OK) sf_b_tensor_val(I, n->id, out);
  return st;
}

sf_status sf_api_tensor_scalar(sf_interp *I, const sf_args *a, const sf_val *v, double *out) {
  sf_tensor *t = sf_b_host_value(I, v);
  if (!t)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: the Python value of a symbolic tensor (it has a value only when run)");
  if (t->n != 1)
    return sf_arg_error(I, a, SF_ETYPE, "only one-element tensors can be converted to Python scalars");
  *out = sf_tensor_get(t, 0);
  return SF_OK;
}
