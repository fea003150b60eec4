/* prune.c — keeps only the nodes the fetches and targets need, through data and control
 * inputs: what Session.run does (graph/subgraph.cc PruneForTargets) before Grappler's
 * model_pruner.cc. Removing an unfetched shared-stream op shifts later draws: say so. */
#include "passes.h"

#include <stdlib.h>
#include <string.h>

static void mark(const sf_ir *ir, bool *need, int *stack) {
  int sp = 0;
  for (int i = 0; i < ir->nfetch + ir->ntargets; i++) {
    int id = i < ir->nfetch ? ir->fetch[i] : ir->targets[i - ir->nfetch];
    if (!need[id]) need[id] = true, stack[sp++] = id;
  }
  while (sp) {
    const sf_node *n = ir->nodes[stack[--sp] - 1];
    for (int k = 0; k < n->ninputs + n->nctrl; k++) {
      int m = sf_ir_edge(n, k);
      if (!need[m]) need[m] = true, stack[sp++] = m;
    }
  }
}

static void note_shared_stream(sf_ir *ir, const sf_node *n) {
  const sf_attr_value *gen = sf_node_attr(n, "generator");
  char stream[64];
  if (gen) snprintf(stream, sizeof stream, "generator %lld", (long long)gen->i);
  else snprintf(stream, sizeof stream, "NumPy's global stream");
  sf_ir_note(ir, "prune", n->id,
             "removed unfetched shared-stream op '%s' (%s, node %d): it would draw from %s, so later "
             "draws from that stream shift",
             n->name, n->op->name, n->id, stream);
}

sf_status sf_pass_prune(sf_ir *ir, const sf_pass_args *a, sf_error *err) {
  (void)a;
  bool *need = calloc((size_t)ir->n + 1, sizeof *need);
  int *stack = malloc(((size_t)ir->n + 1) * sizeof *stack);
  if (!need || !stack) {
    free(need);
    free(stack);
    return sf_error_set(err, SF_ENOMEM, "out of memory");
  }
  mark(ir, need, stack);
  for (int id = 1; id <= ir->n; id++) {
    const sf_node *n = sf_ir_node(ir, id);
    if (!n || need[id]) continue;
    if (n->op->flags & SF_OPF_SHARED_STREAM) note_shared_stream(ir, n);
    sf_ir_remove(ir, id);
  }
  free(need);
  free(stack);
  return SF_OK;
}
