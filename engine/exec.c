/* exec.c — sessions and eager dispatch over the same kernels; see exec.h. A session run
 * executes a planned copy of its graph (never the graph being built: TF1 op seeds count
 * its nodes) in the copy's schedule; the serial executor lives here. The plan comes from
 * the runtime's planner (the pass pipeline its owner parsed once): engine/ knows no pass. */
#include "exec.h"
#include "hash.h"

#include <stdio.h>
#include <uv.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"

void sf_kstate_init(sf_kstate *s, const sf_node *n) {
  memset(s, 0, sizeof *s);
  int idx[2];
  if (!n || !sf_op_seed_attrs(n->op, idx)) return;
  s->seeded = true;
  s->seed = (uint64_t)n->attrs[idx[0]].i;
  s->seed2 = (uint64_t)n->attrs[idx[1]].i;
  s->seed_origin[0] = n->attrs[idx[0]].origin;
  s->seed_origin[1] = n->attrs[idx[1]].origin;
}

/* Fills the rng record's seed facts from the kernel instance; the kernel adds what it
 * consumed. */
static void rng_from_state(const sf_kstate *st, sf_rng_record *r) {
  memset(r, 0, sizeof *r);
  r->generator = -1;
  if (st->seeded) {
    r->seed = (int64_t)st->seed;
    r->seed2 = (int64_t)st->seed2;
    r->seed_source = st->seed_origin[0].kind;
    r->seed2_source = st->seed_origin[1].kind;
    r->seed_detail = st->seed_origin[0].detail;
    r->seed2_detail = st->seed_origin[1].detail;
  }
}

static sf_status run_kernel(sf_runtime *rt, const sf_node *n, sf_tensor *const *in, sf_kstate *st,
                            sf_kstate *ref, sf_kstate *const *ref_vars, sf_tensor **out, sf_rng_record *rng,
                            sf_error *err) {
  sf_kctx c = {.node = n, .in = in, .nin = n->ninputs, .state = st, .ref_state = ref, .ref_vars = ref_vars, .rt = rt,
               .rng = rng, .err = err};
  rng_from_state(st, rng);
  *out = NULL;
  sf_status code = n->op->kernel(&c, out);
  if (code != SF_OK && err && strncmp(err->msg, n->name, strlen(n->name)) != 0) {
    if (err->code == SF_OK) err->code = code;
    sf_error_prefix(err, "node '%s' (%s)", n->name, n->op->name);
  }
  return code;
}

/* ---- sessions ---- */

void sf_session_init(sf_session *s, sf_graph *g, int graph_index) {
  memset(s, 0, sizeof *s);
  s->g = g;
  s->graph_index = graph_index;
}

void sf_session_free(sf_session *s) {
  for (int i = 0; i < s->nstates; i++) sf_tensor_unref(s->states[i].value);
  free(s->states);
  free(s->initialized);
  memset(s, 0, sizeof *s);
}

static sf_status grow_states(sf_session *s, sf_error *err) {
  if (s->nstates >= s->g->n) return SF_OK;
  sf_kstate *ns = realloc(s->states, (size_t)s->g->n * sizeof *ns);
  bool *ni = realloc(s->initialized, (size_t)s->g->n * sizeof *ni);
  if (ns) s->states = ns;
  if (ni) s->initialized = ni;
  if (!ns || !ni) return sf_error_set(err, SF_ENOMEM, "out of memory");
  for (int i = s->nstates; i < s->g->n; i++) sf_kstate_init(&ns[i], s->g->nodes[i]);
  memset(ni + s->nstates, 0, (size_t)(s->g->n - s->nstates) * sizeof *ni);
  s->nstates = s->g->n;
  return SF_OK;
}

/* ---- one node execution ---- */

static bool is_variable(const sf_node *n) { return n->op->flags & SF_OPF_VARIABLE; }

bool sf_exec_needs_lock(const sf_node *n) {
  unsigned f = n->op->flags;
  bool per_op_kernel = (f & SF_OPF_RANDOM) && !(f & SF_OPF_SHARED_STREAM);
  return (f & SF_OPF_STATEFUL) && !per_op_kernel;
}

sf_status sf_exec_prepare(sf_exec *x, int id, sf_exec_step *st, bool *skip, sf_error *err) {
  const sf_node *n = x->ir->nodes[id - 1];
  bool orig = id <= x->ir->nsrc;
  /* An uninitialized variable is only ever needed as the ref its Assign writes. */
  *skip = orig && is_variable(n) && !x->s->initialized[id - 1];
  if (*skip) return SF_OK;
  if (n->ninputs > 16) return sf_error_set(err, SF_EGRAPH, "node '%s' has more than 16 inputs", n->name);
  for (int k = 0; k < n->ninputs; k++) {
    st->in[k] = x->vals[n->inputs[k] - 1];
    if (!st->in[k] && !(k == 0 && (n->op->flags & SF_OPF_REF_INPUT)))
      return sf_error_set(err, SF_EGRAPH, "node '%s': input %d has no value", n->name, k);
  }
  st->node = n;
  st->state = orig ? &x->s->states[(n->kernel_of ? n->kernel_of : id) - 1] : &x->scratch[id - x->ir->nsrc - 1];
  st->ref = (n->op->flags & SF_OPF_REF_INPUT) ? &x->s->states[n->inputs[0] - 1] : NULL;
  for (int k = 0; k < 4; k++)
    st->ref_vars[k] = (n->op->flags & SF_OPF_REF_VARS) && k < n->ninputs && orig && n->inputs[k] <= x->ir->nsrc &&
                              x->ir->nodes[n->inputs[k] - 1] && is_variable(x->ir->nodes[n->inputs[k] - 1])
                          ? &x->s->states[n->inputs[k] - 1]
                          : NULL;
  st->out = NULL;
  st->worker = 0;
  return SF_OK;
}

void sf_exec_run_step(sf_exec *x, sf_exec_step *st) {
  uint64_t t0 = x->timed ? uv_hrtime() : 0;
  st->st = run_kernel(x->rt, st->node, st->in, st->state, st->ref, st->ref_vars, &st->out, &st->rng, st->err);
  if (x->timed) {
    st->start_ns = t0;
    st->dur_ns = uv_hrtime() - t0;
  }
}

/* Node id's value goes when no reader is left and it is not fetched. */
static void unread(sf_exec *x, int id) {
  if (x->left[id] == 0 && !x->keep[id]) {
    sf_tensor_unref(x->vals[id - 1]);
    x->vals[id - 1] = NULL;
  }
}

/* Node n has finished: the values it was the last to read go (a value no one reads goes
 * now; the trace holds its own reference to a draw). */
static void done_reading(sf_exec *x, const sf_node *n) {
  if (!x->left) return;
  for (int k = 0; k < n->ninputs; k++) {
    x->left[n->inputs[k]]--;
    unread(x, n->inputs[k]);
  }
  unread(x, n->id);
}

/* The trace's record of a finished step. */
static sf_status exec_record(sf_exec *x, sf_exec_step *st, sf_error *err) {
  const sf_node *n = st->node;
  if (st->ref && !x->s->initialized[n->inputs[0] - 1]) {
    x->s->initialized[n->inputs[0] - 1] = true;
    x->s->ninitialized++;
  }
  if (!x->tr) return SF_OK;
  if (!st->rng.present && !(n->op->flags & SF_OPF_RANDOM) && sf_trace_count_op(x->tr)) return SF_OK;
  sf_trace_op *o = sf_trace_add_op(x->tr, n, x->s->graph_index, st->out, st->rng.present ? &st->rng : NULL);
  if (!o) return sf_error_set(err, SF_ENOMEM, "out of memory");
  o->worker = st->worker;
  o->start_ns = st->start_ns;
  o->dur_ns = st->dur_ns;
  return SF_OK;
}

sf_status sf_exec_finish(sf_exec *x, sf_exec_step *st, sf_error *err) {
  x->vals[st->node->id - 1] = st->out;
  sf_status s = exec_record(x, st, err);
  done_reading(x, st->node);
  return s;
}

static sf_status exec_serial(sf_exec *x, sf_error *err) {
  sf_exec_step step = {.err = err};
  for (int i = 0; i < x->ir->norder; i++) {
    bool skip;
    sf_status st = sf_exec_prepare(x, x->ir->order[i], &step, &skip, err);
    if (st != SF_OK) return st;
    if (skip) continue;
    sf_exec_run_step(x, &step);
    if (step.st != SF_OK) {
      sf_tensor_unref(step.out); /* a kernel may fail after allocating its output */
      return step.st;
    }
    if ((st = sf_exec_finish(x, &step, err)) != SF_OK) return st;
  }
  return SF_OK;
}

/* ---- a session run: copy, pipeline, execute ---- */

typedef struct run_request {
  const int *fetch, *targets;
  int nfetch, ntargets;
  bool init;                    /* an implicit variable initialization run (no dumps, no notes) */
  sf_trace *notes;              /* where the planner's notes go */
} run_request;

static sf_status execute_ir(sf_session *s, sf_runtime *rt, const sf_ir *ir, sf_tensor **vals, sf_trace *tr, sf_error *err) {
  const sf_run_options *o = rt ? rt->opt : NULL;
  sf_exec x = {.s = s, .rt = rt, .ir = ir, .vals = vals, .tr = tr, .timed = o && o->wall_clock,
               .deterministic = (o && o->deterministic) || (rt && rt->deterministic), .threads = o ? o->threads : 0};
  int extra = ir->n - ir->nsrc;
  x.scratch = calloc((size_t)(extra > 0 ? extra : 1), sizeof *x.scratch);
  if (!x.scratch) return sf_error_set(err, SF_ENOMEM, "out of memory");
  for (int i = 0; i < extra; i++) sf_kstate_init(&x.scratch[i], ir->nodes[ir->nsrc + i]);
  /* what each value's readers are: the scheduled nodes' data inputs; fetches are kept */
  x.left = calloc((size_t)ir->n + 1, sizeof *x.left);
  x.keep = calloc((size_t)ir->n + 1, sizeof *x.keep);
  if (!x.left || !x.keep) {
    free(x.scratch), free(x.left), free(x.keep);
    return sf_error_set(err, SF_ENOMEM, "out of memory");
  }
  for (int i = 0; i < ir->norder; i++) {
    const sf_node *n = ir->nodes[ir->order[i] - 1];
    for (int k = 0; k < n->ninputs; k++) x.left[n->inputs[k]]++;
  }
  for (int i = 0; i < ir->nfetch; i++) x.keep[ir->fetch[i]] = true;
  if (x.timed && tr) tr->wall_clock = true;
  sf_status st = x.threads > 0 ? sf_exec_parallel(&x, err) : exec_serial(&x, err);
  for (int i = 0; i < (extra > 0 ? extra : 0); i++) sf_tensor_unref(x.scratch[i].value);
  free(x.scratch);
  free(x.left);
  free(x.keep);
  return st;
}

/* Copies the graph, runs the pipeline on the copy and executes it; out[i] gets fetch i. */
static sf_status run_once(sf_session *s, sf_runtime *rt, const run_request *r, sf_tensor **out, sf_trace *tr,
                          sf_error *err) {
  sf_ir ir;
  sf_status st = sf_ir_init(&ir, s->g, s->graph_index, r->fetch, r->nfetch, r->targets, r->ntargets, rt, r->notes, err);
  if (st != SF_OK) return st;
  ir.run = r->init ? s->runs : ++s->runs;
  const sf_planner *p = rt ? rt->planner : NULL;
  if (p) st = p->plan(p, &ir, r->init, err);
  if (st == SF_OK && !ir.order) st = sf_ir_default_schedule(&ir, err);
  sf_tensor **vals = st == SF_OK ? calloc((size_t)ir.n + 1, sizeof *vals) : NULL;
  if (st == SF_OK && !vals) st = sf_error_set(err, SF_ENOMEM, "out of memory");
  if (st == SF_OK) st = execute_ir(s, rt, &ir, vals, tr, err);
  for (int i = 0; out && i < r->nfetch; i++) out[i] = st == SF_OK ? sf_tensor_ref(vals[ir.fetch[i] - 1]) : NULL;
  for (int i = 0; vals && i < ir.n; i++) sf_tensor_unref(vals[i]);
  free(vals);
  sf_ir_free(&ir);
  return st;
}

/* Marks everything id depends on (data and control inputs). Iterative. */
static void mark_needed(const sf_graph *g, int id, bool *need, int *stack) {
  if (need[id - 1]) return;
  int sp = 0;
  stack[sp++] = id;
  need[id - 1] = true;
  while (sp) {
    const sf_node *n = g->nodes[stack[--sp] - 1];
    for (int k = 0; k < n->ninputs + n->nctrl; k++) {
      int m = k < n->ninputs ? n->inputs[k] : n->ctrl[k - n->ninputs];
      if (!need[m - 1]) {
        need[m - 1] = true;
        stack[sp++] = m;
      }
    }
  }
}

static int assign_of(const sf_graph *g, int var_id) {
  for (int i = 0; i < g->n; i++)
    if ((g->nodes[i]->op->flags & SF_OPF_REF_INPUT) && g->nodes[i]->inputs[0] == var_id) return g->nodes[i]->id;
  return 0;
}

/* Runs the Assign of every uninitialized variable the fetches reach, each as its own
 * pruned run (bookkeeping, not a user's run: no dumps, no notes). */
static sf_status init_variables(sf_session *s, sf_runtime *rt, const int *ids, int nids, sf_trace *tr, sf_error *err) {
  for (; s->scanned < s->g->n; s->scanned++) s->nvariables += is_variable(s->g->nodes[s->scanned]);
  if (s->ninitialized == s->nvariables) return SF_OK; /* nothing to do: skip the walk */
  size_t n = (size_t)s->g->n;
  bool *need = calloc(n ? n : 1, sizeof *need);
  int *stack = malloc((n ? n : 1) * sizeof *stack);
  sf_status st = need && stack ? SF_OK : sf_error_set(err, SF_ENOMEM, "out of memory");
  for (int i = 0; st == SF_OK && i < nids; i++) {
    if (!sf_graph_node(s->g, ids[i])) st = sf_error_set(err, SF_EGRAPH, "fetch refers to missing node %d", ids[i]);
    else mark_needed(s->g, ids[i], need, stack);
  }
  for (int id = 1; st == SF_OK && id <= (int)n; id++) {
    if (!need[id - 1] || s->g->nodes[id - 1]->op->flags & SF_OPF_REF_INPUT) continue;
    if (!is_variable(s->g->nodes[id - 1]) || s->initialized[id - 1]) continue;
    int a = assign_of(s->g, id);
    if (a && need[a - 1]) continue; /* this run assigns it (global_variables_initializer) */
    run_request r = {.targets = &a, .ntargets = 1, .init = true};
    if (!a) st = sf_error_set(err, SF_EGRAPH, "variable '%s' has no initializer", s->g->nodes[id - 1]->name);
    else st = run_once(s, rt, &r, NULL, tr, err);
  }
  free(need);
  free(stack);
  return st;
}

sf_status sf_session_run(sf_session *s, sf_runtime *rt, const int *fetch, int nfetch, const int *targets,
                         int ntargets, sf_tensor **out, sf_trace *tr, sf_error *err) {
  sf_status st = grow_states(s, err);
  int nids = nfetch + ntargets;
  int *ids = malloc((size_t)(nids ? nids : 1) * sizeof *ids);
  if (st == SF_OK && !ids) st = sf_error_set(err, SF_ENOMEM, "out of memory");
  if (st == SF_OK) {
    if (nfetch) memcpy(ids, fetch, (size_t)nfetch * sizeof *ids);
    if (ntargets) memcpy(ids + nfetch, targets, (size_t)ntargets * sizeof *ids);
    st = init_variables(s, rt, ids, nids, tr, err);
  }
  run_request r = {fetch, targets, nfetch, ntargets, false, tr};
  if (st == SF_OK) st = run_once(s, rt, &r, out, tr, err);
  for (int i = 0; st != SF_OK && out && i < nfetch; i++) out[i] = NULL;
  free(ids);
  return st;
}

/* ---- eager ---- */

typedef struct sf_kcache {
  char *key;
  sf_kstate state;
  UT_hash_handle hh;
} sf_kcache;

sf_status sf_eager_init(sf_eager *e, sf_error *err) {
  memset(e, 0, sizeof *e);
  e->g = sf_graph_new(false);
  if (!e->g) return sf_error_set(err, SF_ENOMEM, "out of memory");
  e->g->eager = e;
  return SF_OK;
}

void sf_eager_clear_cache(sf_eager *e) {
  sf_kcache *c, *tmp;
  HASH_ITER(hh, e->cache, c, tmp) {
    HASH_DEL(e->cache, c);
    sf_tensor_unref(c->state.value);
    free(c);
  }
}

void sf_eager_free(sf_eager *e) {
  sf_eager_clear_cache(e);
  for (int i = 0; e->g && i < e->g->n && i < e->cap; i++) sf_tensor_unref(e->vals[i]);
  free(e->vals);
  free(e->rc);
  free(e->deferred);
  free(e->susp);
  sf_graph_free(e->g);
  memset(e, 0, sizeof *e);
}

sf_tensor *sf_eager_value(const sf_eager *e, int id) { return id >= 1 && id <= e->cap ? e->vals[id - 1] : NULL; }

void sf_eager_replace(sf_eager *e, int id, sf_tensor *t) {
  sf_node *n = sf_graph_node(e->g, id);
  if (n && n->value) {
    sf_tensor_unref(n->value);
    n->value = sf_tensor_ref(t);
  }
  sf_tensor_unref(e->vals[id - 1]);
  e->vals[id - 1] = t;
}

bool sf_eager_value_unshared(const sf_eager *e, int id) {
  const sf_node *n = sf_graph_node(e->g, id);
  const sf_tensor *t = id >= 1 && id <= e->cap ? e->vals[id - 1] : NULL;
  return t && __atomic_load_n(&t->refs, __ATOMIC_ACQUIRE) == 1 + (n && n->value == t);
}

/* Whether node n keeps no state, draws nothing and orders nothing: with its value gone it
 * may go too. A draw, a variable read or an op with control inputs stays (the op counts,
 * seeds and trace that name it hold); only its value goes. */
static bool plain(const sf_node *n) { return !(n->op->flags & (SF_OPF_STATEFUL | SF_OPF_RANDOM)) && !n->nctrl; }

static bool host_array(const sf_eager *e, int id) {
  const sf_node *n = sf_graph_node(e->g, id);
  return n && n->host_array;
}

/* Node id is pinned by default only and may be counted: releasing is on (for arrays only,
 * once a graph was entered). */
static bool countable(const sf_eager *e, int id) {
  const sf_node *n = sf_graph_node(e->g, id);
  return !e->keep_all && n && (!e->keep_tensors || n->host_array) && id <= e->cap && e->rc[id - 1] == SF_EAGER_PINNED &&
         e->vals[id - 1];
}

/* ... and may be released as a whole. */
static bool releasable(const sf_eager *e, int id) { return countable(e, id) && plain(sf_graph_node(e->g, id)); }

bool sf_eager_count(sf_eager *e, int id) {
  if (!countable(e, id)) return false;
  e->rc[id - 1] = 1;
  return true;
}

static void drop_value(sf_eager *e, int id) {
  sf_tensor_unref(e->vals[id - 1]);
  e->vals[id - 1] = NULL;
}

/* Node id's last handle is gone. A draw's or a read's node stays, pinned, without its value.
 * A Softmax or Sigmoid with Keras's cached logits holds a handle on its input (the Python
 * attribute output._keras_logits keeps that tensor alive, lang/api_activations.c): it goes
 * with the node. */
static void release(sf_eager *e, int id) {
  const sf_node *n = sf_graph_node(e->g, id);
  drop_value(e, id);
  if (n && !plain(n)) {
    e->rc[id - 1] = SF_EAGER_PINNED;
    return;
  }
  int logits = n && n->keras_logits && n->ninputs == 1 ? n->inputs[0] : 0;
  e->rc[id - 1] = SF_EAGER_RELEASED;
  sf_graph_release_node(e->g, id);
  if (logits) sf_eager_release(e, logits);
}

/* Node id waits for sf_eager_resume: to be released (id), or to lose its value (-id). */
static void defer(sf_eager *e, int id) {
  if (e->ndeferred == e->capdeferred) {
    int nc = e->capdeferred ? 2 * e->capdeferred : 256;
    int *nd = realloc(e->deferred, (size_t)nc * sizeof *nd);
    if (!nd) { /* out of memory: keep everything, as sf_eager_keep_all */
      e->keep_all = true;
      return;
    }
    e->deferred = nd;
    e->capdeferred = nc;
  }
  e->deferred[e->ndeferred++] = id;
}

/* Node id has no handle left: released now, or on sf_eager_resume (rc 0 until then). */
static void retire(sf_eager *e, int id) {
  e->rc[id - 1] = 0;
  if (e->suspended) defer(e, id);
  else release(e, id);
}

void sf_eager_release(sf_eager *e, int id) {
  if (e->rc[id - 1] > 0 && --e->rc[id - 1] == 0 && !e->keep_all && (!e->keep_tensors || host_array(e, id)))
    retire(e, id);
}

void sf_eager_take(sf_eager *e, int id) {
  if (id < 1 || id > e->cap || e->rc[id - 1] < 1) return;
  if (e->rc[id - 1] == 1) e->rc[id - 1] = SF_EAGER_PINNED;
  else e->rc[id - 1]++;
}

void sf_eager_release_internal(sf_eager *e, int id) {
  if (e->keep_all || id < 1 || id > e->g->n || id > e->cap || e->rc[id - 1] != SF_EAGER_PINNED) return;
  if (e->keep_tensors && !host_array(e, id)) return;
  if (releasable(e, id)) retire(e, id);
  else if (e->suspended) defer(e, -id);
  else drop_value(e, id);
}

int sf_eager_suspend(sf_eager *e) {
  if (e->suspended == e->capsusp) {
    int nc = e->capsusp ? 2 * e->capsusp : 8;
    int *ns = realloc(e->susp, (size_t)nc * 2 * sizeof *ns);
    if (!ns) {
      e->keep_all = true;
      return 0;
    }
    e->susp = ns;
    e->capsusp = nc;
  }
  int token = ++e->tokens;
  e->susp[2 * e->suspended] = token;
  e->susp[2 * e->suspended + 1] = e->ndeferred;
  e->suspended++;
  return token;
}

/* Ends suspension `token`. What was deferred before every suspension still on began cannot
 * be one of their tapes' values (its last handle was gone before they recorded anything),
 * so it goes now; the rest waits for them. */
void sf_eager_resume(sf_eager *e, int token) {
  int k = 0;
  while (k < e->suspended && e->susp[2 * k] != token) k++;
  if (k == e->suspended) return;
  e->suspended--;
  memmove(e->susp + 2 * k, e->susp + 2 * k + 2, (size_t)(e->suspended - k) * 2 * sizeof *e->susp);
  int upto = e->ndeferred;
  for (int j = 0; j < e->suspended; j++)
    if (e->susp[2 * j + 1] < upto) upto = e->susp[2 * j + 1];
  for (int i = 0; !e->keep_all && i < upto; i++) {
    int id = e->deferred[i];
    bool may = !e->keep_tensors || host_array(e, id > 0 ? id : -id); /* a graph entered since may read it */
    if (id > 0 && e->rc[id - 1] == 0 && may) release(e, id); /* still without a handle (a pin makes it -1) */
    else if (id < 0 && may) drop_value(e, -id); /* a stateful or random node internal code is done with */
  }
  if (upto == 0) return; /* (deferred may be NULL) */
  e->ndeferred -= upto;
  memmove(e->deferred, e->deferred + upto, (size_t)e->ndeferred * sizeof *e->deferred);
  for (int j = 0; j < e->suspended; j++) e->susp[2 * j + 1] -= upto;
}

void sf_eager_keep_all(sf_eager *e) { e->keep_all = true; }

void sf_eager_keep_tensors(sf_eager *e) { e->keep_tensors = true; }

/* The cache key: op type and every attribute value (the shape is an input, so calls
 * that differ only in shape share a kernel — and its Philox counter). */
static void cache_key(const sf_node *n, char *buf, size_t len) {
  size_t o = (size_t)snprintf(buf, len, "%s", n->op->name);
  for (int i = 0; i < n->op->nattrs && o < len; i++) {
    const sf_attr_value *v = &n->attrs[i];
    o += (size_t)snprintf(buf + o, len - o, "|%s=%lld,%.17g,%d,%d", n->op->attrs[i].name, (long long)v->i, v->f,
                          (int)v->b, (int)v->type);
  }
}

static sf_kstate *cached_state(sf_eager *e, const sf_node *n) {
  char key[512];
  cache_key(n, key, sizeof key);
  sf_kcache *c;
  HASH_FIND_STR(e->cache, key, c);
  if (c) return &c->state;
  size_t len = strlen(key);
  c = calloc(1, sizeof *c + len + 1);
  if (!c) return NULL;
  c->key = (char *)(c + 1);
  sf_kstate_init(&c->state, n);
  memcpy(c->key, key, len + 1);
  HASH_ADD_KEYPTR(hh, e->cache, c->key, len, c);
  if (SF_HASH_ADDED(c)) return &c->state;
  free(c);
  return NULL;
}

sf_status sf_eager_run(sf_eager *e, sf_runtime *rt, sf_node *n, sf_trace *tr, sf_error *err) {
  if (n->id > e->cap) {
    int nc = e->cap ? e->cap * 2 : 256;
    while (nc < n->id) nc *= 2;
    sf_tensor **nv = realloc(e->vals, (size_t)nc * sizeof *nv);
    if (nv) e->vals = nv;
    int32_t *nr = nv ? realloc(e->rc, (size_t)nc * sizeof *nr) : NULL;
    if (!nr) return sf_error_set(err, SF_ENOMEM, "out of memory");
    e->rc = nr;
    memset(nv + e->cap, 0, (size_t)(nc - e->cap) * sizeof *nv);
    for (int i = e->cap; i < nc; i++) nr[i] = SF_EAGER_PINNED;
    e->cap = nc;
  }
  sf_tensor *in[16];
  if (n->ninputs > 16) return sf_error_set(err, SF_EGRAPH, "node '%s' has more than 16 inputs", n->name);
  for (int k = 0; k < n->ninputs; k++)
    if (!(in[k] = e->vals[n->inputs[k] - 1]) && e->rc[n->inputs[k] - 1] == SF_EAGER_RELEASED)
      return sf_error_set(err, SF_EGRAPH, "node '%s': input %d has no value (released)", n->name, k);
  sf_kstate scratch;
  sf_kstate_init(&scratch, n);
  sf_kstate *st = (n->op->flags & SF_OPF_STATEFUL) ? cached_state(e, n) : &scratch;
  if (!st) return sf_error_set(err, SF_ENOMEM, "out of memory");
  sf_rng_record rng;
  bool timed = rt && rt->opt && rt->opt->wall_clock;
  uint64_t t0 = timed ? uv_hrtime() : 0;
  static sf_kstate *const none[4];
  sf_status code = run_kernel(rt, n, in, st, NULL, none, &e->vals[n->id - 1], &rng, err);
  uint64_t dur = timed ? uv_hrtime() - t0 : 0;
  if (code != SF_OK || !tr) return code;
  if (!rng.present && !(n->op->flags & SF_OPF_RANDOM) && sf_trace_count_op(tr)) return SF_OK;
  sf_trace_op *o = sf_trace_add_op(tr, n, 0, e->vals[n->id - 1], rng.present ? &rng : NULL);
  if (!o) return sf_error_set(err, SF_ENOMEM, "out of memory");
  if (timed) {
    o->start_ns = t0;
    o->dur_ns = dur;
    tr->wall_clock = true;
  }
  return SF_OK;
}

void sf_runtime_free(sf_runtime *rt) {
  free(rt->generators);
  rt->generators = NULL;
  rt->ngenerators = rt->capgenerators = 0;
}
