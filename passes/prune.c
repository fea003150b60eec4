/* prune.c — keeps only the nodes the fetches and targets need, through data and control
 * inputs: what Session.run does (graph/subgraph.cc PruneForTargets) before Grappler's
 * model_pruner.cc. Removing an unfetched shared-stream op shifts later draws: say so. */
#include "passes.h"

#include <stdlib.h>
#include <string.h>

/* Program (key) order is topological, inputs first: walking it backwards, a node's users
 * have all been seen when it is reached, so one sequential sweep marks everything the
 * fetches and targets reach (no stack, no jumping around a big graph, and no node read:
 * the IR's compact edges are enough). */
static void mark(const sf_ir *ir, int *need, int *ids) {
  for (int i = 0; i < ir->nfetch + ir->ntargets; i++) need[i < ir->nfetch ? ir->fetch[i] : ir->targets[i - ir->nfetch]] = true;
  for (int i = sf_ir_program_order(ir, ids) - 1; i >= 0; i--) {
    if (!need[ids[i]]) continue;
    int deg;
    const int *e = sf_ir_edges(ir, ids[i], &deg);
    for (int k = 0; k < deg; k++) need[e[k]] = true;
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
  int *need = sf_ir_scratch(ir, SF_SCRATCH_MARK), *ids = sf_ir_scratch(ir, SF_SCRATCH_IDS);
  if (!need || !ids) return sf_error_set(err, SF_ENOMEM, "out of memory");
  memset(need, 0, ((size_t)ir->n + 1) * sizeof *need);
  mark(ir, need, ids);
  for (int id = 1; id <= ir->n; id++) {
    const sf_node *n = sf_ir_node(ir, id);
    if (!n || need[id]) continue;
    if (n->op->flags & SF_OPF_SHARED_STREAM) note_shared_stream(ir, n);
    sf_ir_remove(ir, id);
  }
  return SF_OK;
}
