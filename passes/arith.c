/* arith.c — arithmetic identities: x*1, 1*x, x/1, x+0, 0+x, x-0, -(-x), identity(x),
 * cast to the same dtype and reshape to the same shape all become x
 * (grappler/optimizers/arithmetic_optimizer.cc and constant_folding.cc
 * SimplifyArithmeticOperations, which likewise turns x+0 into x, so -0.0+0 stays -0.0). */
#include "passes.h"
#include "ops/ops.h"

#include <stdlib.h>

static const sf_node *in_node(const sf_ir *ir, const sf_node *n, int k) { return ir->nodes[n->inputs[k] - 1]; }

static bool all_equal(const sf_node *c, double v) {
  if (!c->value) return false;
  for (int64_t i = 0; i < c->value->n; i++)
    if (sf_tensor_get(c->value, i) != v) return false;
  return true;
}

/* x op c -> x only when the result is exactly x: same dtype, same (known) shape. */
static bool passes_through(const sf_node *n, const sf_node *x) {
  return x->dtype == n->dtype && x->shape_known && n->shape_known && sf_shape_equal(&x->shape, &n->shape);
}

/* The input n reduces to, or 0. */
static int binary_identity(const sf_ir *ir, const sf_node *n, const sf_op_def *op, double unit, bool commutes) {
  if (n->op != op) return 0;
  const sf_node *a = in_node(ir, n, 0), *b = in_node(ir, n, 1);
  if (all_equal(b, unit) && passes_through(n, a)) return a->id;
  if (commutes && all_equal(a, unit) && passes_through(n, b)) return b->id;
  return 0;
}

static int unary_identity(const sf_ir *ir, const sf_node *n) {
  const sf_op_def *op = n->op;
  if (n->ninputs < 1) return 0;
  const sf_node *x = in_node(ir, n, 0);
  if (op == &sf_op_Identity) return x->id;
  if (op == &sf_op_Neg && x->op == &sf_op_Neg && !x->nctrl) return x->inputs[0];
  if ((op == &sf_op_Cast || op == &sf_op_Reshape) && passes_through(n, x)) return x->id;
  return 0;
}

static int simplify(const sf_ir *ir, const sf_node *n) {
  if (n->nctrl || (n->op->flags & SF_OPF_STATEFUL)) return 0;
  int r = unary_identity(ir, n);
  if (!r) r = binary_identity(ir, n, &sf_op_Mul, 1, true);
  if (!r) r = binary_identity(ir, n, &sf_op_RealDiv, 1, false);
  if (!r) r = binary_identity(ir, n, &sf_op_AddV2, 0, true);
  if (!r) r = binary_identity(ir, n, &sf_op_Sub, 0, false);
  return r;
}

sf_status sf_pass_arith(sf_ir *ir, const sf_pass_args *a, sf_error *err) {
  (void)a;
  int *ids = sf_ir_scratch(ir, SF_SCRATCH_IDS), *before = sf_ir_scratch(ir, SF_SCRATCH_USES);
  if (!ids || !before) return sf_error_set(err, SF_ENOMEM, "out of memory");
  sf_ir_count_uses(ir, before);
  int n = sf_ir_program_order(ir, ids);
  sf_status st = SF_OK;
  for (int i = 0; st == SF_OK && i < n; i++) {
    sf_ir_prefetch(ir, ids, i, n);
    sf_node *node = sf_ir_resolve(ir, ids[i]);
    int to = node ? simplify(ir, node) : 0;
    if (!node) st = sf_error_set(err, SF_ENOMEM, "out of memory");
    if (to) sf_ir_forward(ir, node->id, to);
  }
  sf_ir_resolve_outputs(ir);
  sf_ir_sweep(ir, before);
  return st;
}
