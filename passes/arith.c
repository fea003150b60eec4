/* arith.c — arithmetic identities: x*1, 1*x, x/1, x+0, 0+x, x-0, -(-x), identity(x),
 * cast to the same dtype and reshape to the same shape all become x
 * (grappler/optimizers/arithmetic_optimizer.cc and constant_folding.cc
 * SimplifyArithmeticOperations, which likewise turns x+0 into x, so -0.0+0 stays -0.0). */
#include "passes.h"
#include "ops/ops.h"

#include <stdlib.h>

/* Rewrites read the IR's compact copy (ops, edges, values) and a node only when it may be
 * one: a big graph's nodes do not stay in any cache. */

/* Whether node c is a constant all of whose elements equal v. */
static bool all_equal(const sf_ir *ir, int c, double v) {
  const sf_tensor *t = ir->ops[c] == &sf_op_Const ? ir->values[c] : NULL;
  if (!t) return false;
  for (int64_t i = 0; i < t->n; i++)
    if (sf_tensor_get(t, i) != v) return false;
  return true;
}

/* x op c -> x only when the result is exactly x: same dtype, same (known) shape. */
static bool passes_through(const sf_ir *ir, int id, int x) {
  const sf_node *n = ir->nodes[id - 1], *xn = ir->nodes[x - 1];
  return xn->dtype == n->dtype && xn->shape_known && n->shape_known && sf_shape_equal(&xn->shape, &n->shape);
}

/* The input node id (op, data inputs in) reduces to, or 0. */
static int binary_identity(const sf_ir *ir, int id, const sf_op_def *op, const int *in, const sf_op_def *bop,
                           double unit, bool commutes) {
  if (op != bop) return 0;
  int a = in[0], b = in[1];
  if (all_equal(ir, b, unit) && passes_through(ir, id, a)) return a;
  if (commutes && all_equal(ir, a, unit) && passes_through(ir, id, b)) return b;
  return 0;
}

static int unary_identity(const sf_ir *ir, int id, const sf_op_def *op, const int *in, int nin) {
  if (nin < 1) return 0;
  int x = in[0], xdeg;
  if (op == &sf_op_Identity) return x;
  const int *xin = sf_ir_edges(ir, x, &xdeg);
  if (op == &sf_op_Neg && ir->ops[x] == &sf_op_Neg && xdeg == ir->ndata[x]) return xin[0];
  if ((op == &sf_op_Cast || op == &sf_op_Reshape) && passes_through(ir, id, x)) return x;
  return 0;
}

static int simplify(const sf_ir *ir, int id) {
  const sf_op_def *op = ir->ops[id];
  int deg, nin = ir->ndata[id];
  const int *in = sf_ir_edges(ir, id, &deg);
  if (deg > nin || (op->flags & SF_OPF_STATEFUL)) return 0; /* control inputs, or state */
  int r = unary_identity(ir, id, op, in, nin);
  if (!r) r = binary_identity(ir, id, op, in, &sf_op_Mul, 1, true);
  if (!r) r = binary_identity(ir, id, op, in, &sf_op_RealDiv, 1, false);
  if (!r) r = binary_identity(ir, id, op, in, &sf_op_AddV2, 0, true);
  if (!r) r = binary_identity(ir, id, op, in, &sf_op_Sub, 0, false);
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
    sf_node *node = sf_ir_resolve(ir, ids[i]);
    int to = node ? simplify(ir, ids[i]) : 0;
    if (!node) st = sf_error_set(err, SF_ENOMEM, "out of memory");
    if (to) sf_ir_forward(ir, ids[i], to);
  }
  sf_ir_resolve_outputs(ir);
  sf_ir_sweep(ir, before);
  return st;
}
