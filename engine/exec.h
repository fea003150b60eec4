/* exec.h — running nodes: a session (one kernel instance per node, state kept across
 * runs, TF1 Session / a traced function's calls) and eager dispatch (kernels cached by op
 * type + attributes, as TF2's eager context does). Both record every execution in a trace.
 * Internal header. */
#ifndef SEEDFLOW_EXEC_H
#define SEEDFLOW_EXEC_H

#include "graph.h"
#include "trace_internal.h"

typedef struct sf_session {
  sf_graph *g;
  int graph_index;          /* for the trace: 0 main graph, k function k */
  sf_kstate *states;        /* states[id - 1] */
  int nstates;
  bool *initialized;        /* VariableV2 nodes whose Assign has run */
} sf_session;

void sf_session_init(sf_session *s, sf_graph *g, int graph_index);
void sf_session_free(sf_session *s);
/* Runs the nodes the fetches (and targets) need, in schedule order, and returns the
 * fetched values (new references). Uninitialized variables a fetch needs are initialized
 * first by running their Assign (what global_variables_initializer does). */
sf_status sf_session_run(sf_session *s, sf_runtime *rt, const int *fetch, int nfetch, const int *targets,
                         int ntargets, sf_tensor **out, sf_trace *tr, sf_error *err);

/* Eager dispatch over a growing graph whose nodes each run once, right after creation. */
typedef struct sf_eager {
  sf_graph *g;
  sf_tensor **vals;         /* vals[id - 1] */
  int cap;
  struct sf_kcache *cache;  /* uthash: op type + attrs -> kernel state */
} sf_eager;

sf_status sf_eager_init(sf_eager *e, sf_error *err);
void sf_eager_free(sf_eager *e);
/* Runs node n (already added to e->g) now and keeps its value. */
sf_status sf_eager_run(sf_eager *e, sf_runtime *rt, sf_node *n, sf_trace *tr, sf_error *err);
sf_tensor *sf_eager_value(const sf_eager *e, int id);
/* TFE_ContextClearCaches: forget every cached kernel (and its counter). */
void sf_eager_clear_cache(sf_eager *e);

void sf_runtime_free(sf_runtime *rt);

#endif
