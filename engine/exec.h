/* exec.h — running nodes: a session (one kernel instance per node, state kept across
 * runs, TF1 Session / a traced function's calls) and eager dispatch (kernels cached by op
 * type + attributes, as TF2's eager context does). Both record every execution in a trace.
 * A session run copies the graph, runs the pass pipeline on the copy and executes the
 * copy's schedule, serially or on libuv's thread pool (parallel.c). Internal header. */
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
  int runs;                 /* session runs so far (numbers IR/DOT dumps) */
  int scanned, nvariables;  /* VariableV2 nodes among ids 1..scanned */
  int ninitialized;         /* of those, how many have run their Assign */
} sf_session;

void sf_session_init(sf_session *s, sf_graph *g, int graph_index);
void sf_session_free(sf_session *s);
/* Runs the fetches (and targets) once: copies the graph, runs rt->opt's pass pipeline on
 * the copy (NULL options or passes: the graph kind's default) and executes its schedule
 * with kernel states kept by original node id, so counters persist across runs. Returns
 * the fetched values (new references). Uninitialized variables a fetch needs are
 * initialized first by running their Assign (what global_variables_initializer does). */
sf_status sf_session_run(sf_session *s, sf_runtime *rt, const int *fetch, int nfetch, const int *targets,
                         int ntargets, sf_tensor **out, sf_trace *tr, sf_error *err);

/* Eager dispatch over a growing graph whose nodes each run once, right after creation.
 * A node's value is kept for good (pinned) unless its creator counts it: a counted node
 * holds the number of handles to it (the language's counted tensor values, lang/value.h),
 * and when that falls to 0 its value and node are released (issue 14: memory flat over a
 * long eager loop). Pinning is the safe default for anything stored out of sight. */
enum { SF_EAGER_PINNED = -1, SF_EAGER_RELEASED = -2 };
typedef struct sf_eager {
  sf_graph *g;
  sf_tensor **vals;         /* vals[id - 1] */
  int32_t *rc;              /* rc[id - 1]: handles to a counted node, or SF_EAGER_PINNED / _RELEASED */
  int cap;
  bool keep_all;            /* nothing is released any more (sf_eager_keep_all) */
  bool keep_tensors;        /* only NumPy arrays are released any more (sf_eager_keep_tensors) */
  int suspended;            /* tapes that may still read recorded values (sf_eager_suspend) */
  int *deferred;            /* ids whose release waits for sf_eager_resume, oldest first */
  int ndeferred, capdeferred;
  int *susp;                /* each suspension still on: its token, then ndeferred when it began */
  int capsusp, tokens;      /* room in susp (pairs); tokens handed out */
  struct sf_kcache *cache;  /* uthash: op type + attrs -> kernel state */
} sf_eager;

sf_status sf_eager_init(sf_eager *e, sf_error *err);
void sf_eager_free(sf_eager *e);
/* Runs node n (already added to e->g) now and keeps its value. */
sf_status sf_eager_run(sf_eager *e, sf_runtime *rt, sf_node *n, sf_trace *tr, sf_error *err);
sf_tensor *sf_eager_value(const sf_eager *e, int id);
/* Node id's value is now t (its reference is taken over), a Const's own value too: a NumPy
 * array changed in place keeps its node, so every handle to it sees the new values. */
void sf_eager_replace(sf_eager *e, int id, sf_tensor *t);
/* Whether node id's value is held by the node alone (no tensor, print or trace shares it):
 * then it may be written in place. */
bool sf_eager_value_unshared(const sf_eager *e, int id);
/* Makes pinned node id counted with one handle (false: it stays pinned, as after
 * sf_eager_keep_all). A stateful or random node's last handle takes its value only: the
 * node stays, pinned, for the op counts, seeds and trace that name it. */
bool sf_eager_count(sf_eager *e, int id);
/* A handle to counted node id more / less; the last one's release releases the node. */
static inline void sf_eager_hold(sf_eager *e, int id) {
  if (e->rc[id - 1] >= 0) e->rc[id - 1]++;
}
void sf_eager_release(sf_eager *e, int id);
/* Internal code takes over a program value's handle to node id (the result of a callable
 * it called: a layer's activation, an initializer) before dropping that value: the last
 * handle makes the node pinned again, as if just made; with other handles left, the node
 * gets one more that nothing releases (it stays for good: the others may be anywhere). */
void sf_eager_take(sf_eager *e, int id);
/* Keeps id for good (its handles may be copied where nothing counts them). */
static inline void sf_eager_pin(sf_eager *e, int id) {
  if (id >= 1 && id <= e->g->n && e->rc[id - 1] >= 0) e->rc[id - 1] = SF_EAGER_PINNED;
}
/* Internal code is done with node id, which it made and gave no handle to (the Const of
 * `x + 1.0`'s 1.0, a layer call's MatMul): pinned by default, it is released; a stateful or
 * random one (a variable read, a draw) stays, so the op counts, seeds and trace that name
 * it hold, but loses its value (the trace keeps its own reference to a draw; state that
 * outlives a call is a variable's or a kernel's, never a node's value). Now, or on
 * sf_eager_resume. */
void sf_eager_release_internal(sf_eager *e, int id);
/* A GradientTape suspends releasing until its gradient is taken (it reads the values of the
 * ops it recorded, and of their inputs); what would have been released meanwhile is, when
 * every suspension that began before it was deferred is resumed: a tape never used in a
 * loop (the next one begins before the last is freed) no longer keeps releasing suspended
 * for good. Returns the suspension's token for sf_eager_resume (0: out of memory, and
 * nothing is released again, as after sf_eager_keep_all). */
int sf_eager_suspend(sf_eager *e);
void sf_eager_resume(sf_eager *e, int token);
/* From now on nothing is released (something may hold ids out of sight: a tape, a trace). */
void sf_eager_keep_all(sf_eager *e);
/* From now on only NumPy arrays (sf_node.host_array) are released: a graph may capture an
 * eager tensor by id, while an array enters a graph as a Const holding its tensor. */
void sf_eager_keep_tensors(sf_eager *e);
/* Whether tensors other than arrays are still released. */
static inline bool sf_eager_releases_tensors(const sf_eager *e) { return !e->keep_all && !e->keep_tensors; }
/* TFE_ContextClearCaches: forget every cached kernel (and its counter). */
void sf_eager_clear_cache(sf_eager *e);

void sf_runtime_free(sf_runtime *rt);

/* ---- executing a run IR's schedule (exec.c serial, parallel.c on libuv's pool) ---- */
struct sf_ir;

typedef struct sf_exec {
  sf_session *s;
  sf_runtime *rt;
  const struct sf_ir *ir;
  sf_tensor **vals;         /* vals[id - 1] for every IR id (owned references) */
  sf_kstate *scratch;       /* kernel states of nodes a pass created (id > nsrc) */
  sf_trace *tr;
  bool timed;               /* record uv_hrtime start/duration */
  bool deterministic;       /* stateful ops one at a time in program order */
  int threads;
  int *left;                /* left[id]: the scheduled nodes that read id's value and have not
                             * finished; at 0 the value goes, unless keep[id] (a fetch): a run
                             * holds its live values only, as TF's executor (NULL: all kept) */
  bool *keep;
} sf_exec;

/* One node execution, prepared on the executor's thread, run anywhere, finished on the
 * executor's thread. */
typedef struct sf_exec_step {
  const sf_node *node;
  sf_tensor *in[16];
  sf_kstate *state, *ref;
  sf_kstate *ref_vars[4];   /* SF_OPF_REF_VARS */
  sf_tensor *out;
  sf_rng_record rng;
  sf_error *err;
  sf_status st;
  int worker;
  uint64_t start_ns, dur_ns;
} sf_exec_step;

/* false with *skip when the node does not run now (an uninitialized VariableV2). */
sf_status sf_exec_prepare(sf_exec *x, int id, sf_exec_step *st, bool *skip, sf_error *err);
void sf_exec_run_step(sf_exec *x, sf_exec_step *st);
/* Stores the value and records the execution in the trace. */
sf_status sf_exec_finish(sf_exec *x, sf_exec_step *st, sf_error *err);
/* Kernels that may touch state beyond their own instance (shared streams, variables):
 * the parallel executor runs them under its lock. */
bool sf_exec_needs_lock(const sf_node *n);
sf_status sf_exec_parallel(sf_exec *x, sf_error *err);

#endif
