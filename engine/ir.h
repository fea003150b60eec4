/* ir.h — the run IR and plan the executor runs: a per-run copy of a session's graph that
 * a planner (the pass pipeline, passes/) may rewrite and schedule before it executes.
 * Ownership: an sf_ir owns its arena, node copies and every tensor it references.
 * Internal header. */
#ifndef SEEDFLOW_IR_H
#define SEEDFLOW_IR_H

#include <stdio.h>
#include "graph.h"
#include "trace_internal.h"

/* The IR a pipeline rewrites. Node ids are those of the source graph — a TF1 op seed
 * counts the nodes of the graph being built, so passes never renumber or reseed — and
 * nodes a pass creates get fresh ids above nsrc. key[id] is a node's program position:
 * a created node takes the position of the node it replaces, so key order is always a
 * topological order (inputs are created before their users). */
typedef struct sf_ir {
  sf_arena arena;
  const sf_graph *src;      /* the graph being built: read only */
  int graph_index;          /* 0 main graph, k k-th traced function */
  int run;                  /* 1-based session run number, for dump headers */
  sf_node **nodes;          /* nodes[id - 1]; NULL once a pass removed it */
  bool *owned;              /* owned[id]: a copy in the arena (else src's node, read only) */
  int n, cap, nsrc;         /* live and dead ids are 1..n; ids <= nsrc come from src */
  int *key;                 /* key[id]: program position (1..nsrc) */
  int *bykey;               /* bykey[k]: the id holding position k, 0 when none */
  int *fwd;                 /* fwd[id]: the node that replaced id (0: none) */
  int *edge_at, *edge_n;    /* id's edges are edges[edge_at[id] .. + edge_n[id]] */
  int *ndata;               /* ndata[id]: how many of them are data inputs */
  const sf_op_def **ops;    /* ops[id]: the node's op */
  sf_tensor **values;       /* values[id]: the node's value (a Const's), else NULL */
  int *edges, nedges, capedges;
  bool indexed;             /* the compact copy is built (sf_ir_index) */
  int *fetch, nfetch;       /* values the run returns */
  int *targets, ntargets;   /* nodes that must run */
  int *order, norder;       /* the schedule (ids, in the arena), NULL until a schedule pass ran */
  sf_runtime *rt;           /* fold evaluates kernels with the run's runtime */
  sf_trace *tr;             /* notes for the user (prune) go here; may be NULL */
  int *scratch[5];          /* per-node work arrays the passes borrow (sf_ir_scratch) */
  size_t scratch_cap[5];
} sf_ir;

/* Work arrays of ir->n + 1 ints that passes borrow instead of allocating their own: a
 * pipeline on a big graph then touches its pages once per run, not once per pass.
 * Contents are undefined. SF_SCRATCH_IDS, _USES and _MARK are a pass's own (program order,
 * use counts, anything else); SF_SCRATCH_SWEEP_* belong to sf_ir_sweep. A pointer stays
 * valid until the same slot is asked for again. NULL when out of memory. */
enum { SF_SCRATCH_IDS, SF_SCRATCH_USES, SF_SCRATCH_MARK, SF_SCRATCH_SWEEP_USES, SF_SCRATCH_SWEEP_STACK };
int *sf_ir_scratch(sf_ir *ir, int slot);

/* All of g (every node live, for the passes to decide) with fetches/targets. */
sf_status sf_ir_init(sf_ir *ir, const sf_graph *g, int graph_index, const int *fetch, int nfetch,
                     const int *targets, int ntargets, sf_runtime *rt, sf_trace *tr, sf_error *err);
void sf_ir_free(sf_ir *ir);
static inline sf_node *sf_ir_node(const sf_ir *ir, int id) {
  return id >= 1 && id <= ir->n ? ir->nodes[id - 1] : NULL;
}
static inline int sf_ir_edge(const sf_node *n, int k) {
  return k < n->ninputs ? n->inputs[k] : n->ctrl[k - n->ninputs];
}
/* Node id's edges (data inputs, then control inputs, as sf_ir_edge numbers them) in a
 * compact copy the IR keeps beside its nodes, with its op (ir->ops[id]), its number of
 * data inputs (ir->ndata[id]) and its value (ir->values[id], a Const's tensor): a walk
 * over the whole graph reads these few bytes per node instead of a node's cache lines (a
 * node is 120 bytes, and a million of them do not stay in any cache), and reads a node
 * only when these say the node matters. Built by
 * sf_ir_index (sf_pipeline_run calls it before its first pass: a run without passes
 * never pays for it), then kept in step by every function below that changes a node; a
 * pass never writes a node's op, inputs or ctrl itself. *deg gets the count of edges. */
static inline const int *sf_ir_edges(const sf_ir *ir, int id, int *deg) {
  *deg = ir->edge_n[id];
  return ir->edges + ir->edge_at[id];
}
/* Starts loading `lines` cache lines from p (NULL: none): a pass walking in program order
 * asks a few places ahead for the node or value it will read, which from 10^5 nodes is out
 * of every cache. always_inline: GCC 12 takes a function whose only effect is a prefetch for
 * pure and deletes its calls before it would inline them (objdump showed none left). */
enum { SF_IR_AHEAD = 8 }; /* how many places ahead of its walk a pass prefetches */
__attribute__((always_inline)) static inline void sf_prefetch_lines(const void *p, int lines) {
  if (!p) return;
  for (int k = 0; k < lines; k++) __builtin_prefetch((const char *)p + 64 * k);
}
/* Builds the compact copy of a fresh IR (a no-op once built); false when out of memory.
 * Every function below that rewrites, counts or sweeps needs it. */
bool sf_ir_index(sf_ir *ir);
/* Live ids in program (key) order; returns how many. ids holds ir->n entries. */
int sf_ir_program_order(const sf_ir *ir, int *ids);
/* A new node with a fresh id taking over the program position of node `replaces`. The
 * node gets its own copy of inputs; attrs are copied; value gets a new reference. */
sf_node *sf_ir_add(sf_ir *ir, const sf_op_def *op, const char *name, const int *inputs, int ninputs,
                   const sf_attr_value *attrs, sf_tensor *value, int replaces);
/* Node id made writable: src's node is copied on first write. NULL when out of memory. */
sf_node *sf_ir_mut(sf_ir *ir, int id);
/* Replaces node id by a Const holding value, named prefix + name, with the same id and
 * position. */
sf_node *sf_ir_replace_const(sf_ir *ir, int id, const char *prefix, const char *name, sf_tensor *value);
/* Removes node id; its users will be redirected to `to` (0: it had no users). */
void sf_ir_forward(sf_ir *ir, int id, int to);
void sf_ir_remove(sf_ir *ir, int id);
/* Rewrites n's data and control inputs through the forwarding map (deduplicating
 * control inputs); fetches and targets too with sf_ir_resolve_outputs. */
sf_node *sf_ir_resolve(sf_ir *ir, int id);
void sf_ir_resolve_outputs(sf_ir *ir);
/* uses[id] = data + control users, +1 for each fetch or target. uses holds n+1 ints. */
void sf_ir_count_uses(const sf_ir *ir, int *uses);
/* Removes stateless nodes that had users before (before[id] > 0) and have none now,
 * transitively: what a rewrite left dangling. */
void sf_ir_sweep(sf_ir *ir, const int *before);
/* mask[id] = true for fetched and target ids; mask holds n+1 bools (caller frees). */
bool *sf_ir_output_mask(const sf_ir *ir);
/* Adds a control input (kept unique) to n. */
bool sf_ir_add_ctrl(sf_ir *ir, int id, int ctrl);
/* Every invariant a pass must keep: live inputs, acyclic, ids and seed attributes as in
 * src, the schedule (if any) a topological order of exactly the live nodes. */
sf_status sf_ir_verify(const sf_ir *ir, const char *after, sf_error *err);
/* Adds a note to the trace (prune explains a removed shared-stream op). */
void sf_ir_note(sf_ir *ir, const char *pass, int node, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Program order as the schedule when no schedule pass ran. */
sf_status sf_ir_default_schedule(sf_ir *ir, sf_error *err);

/* Turns a run's IR into its plan (rewrites + ir->order) before it executes: the pass
 * pipeline, installed by whoever owns the run (sf_runtime.planner). init is true for the
 * bookkeeping runs that initialize variables. With no planner the executor runs every
 * node in program order. */
typedef struct sf_planner sf_planner;
struct sf_planner {
  sf_status (*plan)(const sf_planner *p, sf_ir *ir, bool init, sf_error *err);
};

#endif
