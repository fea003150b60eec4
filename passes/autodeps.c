/* autodeps.c — automatic control dependencies: every stateful op waits for the stateful
 * op created before it, so any schedule runs them in program order (TF2 tf.function,
 * python/framework/auto_control_deps.py). Traced graphs have them already; this pass is
 * how graph mode (or --deterministic) gets them. */
#include "passes.h"

#include <stdlib.h>

sf_status sf_pass_autodeps(sf_ir *ir, const sf_pass_args *a, sf_error *err) {
  (void)a;
  int *ids = sf_ir_scratch(ir, SF_SCRATCH_IDS);
  if (!ids) return sf_error_set(err, SF_ENOMEM, "out of memory");
  int n = sf_ir_program_order(ir, ids), last = 0;
  sf_status st = SF_OK;
  for (int i = 0; st == SF_OK && i < n; i++) {
    if (!(ir->ops[ids[i]]->flags & SF_OPF_STATEFUL)) continue; /* the compact copy: no node read */
    if (last && !sf_ir_add_ctrl(ir, ids[i], last)) st = sf_error_set(err, SF_ENOMEM, "out of memory");
    last = ids[i];
  }
  return st;
}
