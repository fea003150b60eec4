/* fold.c — constant folding: a stateless node whose inputs are all constants is evaluated
 * once and becomes a Const named "ConstantFolding/<name>" with the same id
 * (grappler/optimizers/constant_folding.cc). Stateful and random ops are never folded. */
#include "passes.h"
#include "ops/ops.h"

#include <stdlib.h>
#include <string.h>

/* constant_folding.cc kMaxConstantSize: larger results stay computed at run time. */
enum { MAX_CONSTANT_BYTES = 10 * 1024 * 1024 };

/* Random ops are excluded even when stateless (Grappler would fold those), so every draw
 * keeps its trace record and RNG provenance. Decided on the IR's compact copy (ops, edges,
 * values) without reading a node: at 10^5 nodes reading each constant input's node for its
 * value pointer was four fifths of this pass (a cache miss a constant). */
static bool foldable(const sf_ir *ir, int id) {
  const sf_op_def *op = ir->ops[id];
  int deg, nin = ir->ndata[id];
  const int *in = sf_ir_edges(ir, id, &deg);
  if (op == &sf_op_Const || (op->flags & (SF_OPF_STATEFUL | SF_OPF_RANDOM))) return false;
  if (!op->kernel || nin == 0 || deg > nin || nin > 16) return false;
  for (int k = 0; k < nin; k++)
    if (ir->ops[in[k]] != &sf_op_Const || !ir->values[in[k]]) return false;
  return !ir->values[id];
}

/* A few places ahead of the walk, the block of a node that may fold (the node, then its
 * attributes, inputs and name: evaluate and the folded name read its first three cache
 * lines for an op without attributes) and its inputs' values: from 10^5 nodes they are out
 * of every cache (at 10^6 this took a pipeline run from 89-93 to 78-82 ms). The test is
 * foldable's first, cheaper part. always_inline, as sf_prefetch_lines (whose note says why). */
__attribute__((always_inline)) static inline void prefetch_fold(const sf_ir *ir, int id) {
  int deg, nin = ir->ndata[id];
  const int *in = sf_ir_edges(ir, id, &deg);
  if (nin == 0 || ir->ops[in[0]] != &sf_op_Const || ir->ops[id] == &sf_op_Const) return;
  sf_prefetch_lines(ir->nodes[id - 1], 3);
  for (int k = 0; k < nin && k < 2; k++) sf_prefetch_lines(ir->values[in[k]], 1);
}

static sf_tensor *evaluate(sf_ir *ir, const sf_node *n) {
  sf_tensor *in[16];
  for (int k = 0; k < n->ninputs; k++) in[k] = ir->values[n->inputs[k]];
  sf_kstate scratch = {0};
  sf_rng_record rng = {0};
  sf_error err = {0};
  sf_kctx c = {.node = n, .in = in, .nin = n->ninputs, .state = &scratch, .rt = ir->rt, .rng = &rng, .err = &err};
  sf_tensor *out = NULL;
  /* A kernel error is left for the run to report, with its trace. */
  if (n->op->kernel(&c, &out) != SF_OK || !out) {
    sf_tensor_unref(out);
    out = NULL;
  } else if ((size_t)out->n * sf_dtype_size(out->dtype) > MAX_CONSTANT_BYTES) {
    sf_tensor_unref(out);
    out = NULL;
  }
  sf_tensor_unref(scratch.value);
  return out;
}

static sf_status fold_node(sf_ir *ir, sf_node *n, sf_error *err) {
  sf_tensor *v = evaluate(ir, n);
  if (!v) return SF_OK;
  sf_node *c = sf_ir_replace_const(ir, n->id, "ConstantFolding/", n->name, v);
  sf_tensor_unref(v);
  return c ? SF_OK : sf_error_set(err, SF_ENOMEM, "out of memory");
}

sf_status sf_pass_fold(sf_ir *ir, const sf_pass_args *a, sf_error *err) {
  (void)a;
  int *ids = sf_ir_scratch(ir, SF_SCRATCH_IDS), *before = sf_ir_scratch(ir, SF_SCRATCH_USES);
  sf_status st = ids && before ? SF_OK : sf_error_set(err, SF_ENOMEM, "out of memory");
  int n = st == SF_OK ? sf_ir_program_order(ir, ids) : 0;
  if (st == SF_OK) sf_ir_count_uses(ir, before);
  for (int i = 0; st == SF_OK && i < n; i++) { /* program order: inputs fold first */
    if (i + SF_IR_AHEAD < n) prefetch_fold(ir, ids[i + SF_IR_AHEAD]);
    if (foldable(ir, ids[i])) st = fold_node(ir, ir->nodes[ids[i] - 1], err);
  }
  if (st == SF_OK) sf_ir_sweep(ir, before);
  return st;
}
