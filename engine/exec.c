/* exec.c — sessions and eager dispatch over the same kernels; see exec.h. A session runs
 * the subgraph its fetches need in node-id order (creation order, which is a valid
 * topological order); the pass pipeline may later choose another order. */
#include "exec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

/* Fills the rng record's seed facts from the node; the kernel adds what it consumed. */
static void rng_from_node(const sf_node *n, sf_rng_record *r) {
  memset(r, 0, sizeof *r);
  r->generator = -1;
  const sf_attr_value *s = sf_node_attr(n, "seed"), *s2 = sf_node_attr(n, "seed2");
  if (s && s2) {
    r->seed = s->i;
    r->seed2 = s2->i;
    r->seed_source = n->seed_origin[0].kind;
    r->seed2_source = n->seed_origin[1].kind;
    r->seed_detail = n->seed_origin[0].detail;
    r->seed2_detail = n->seed_origin[1].detail;
  }
}

static sf_status run_kernel(sf_runtime *rt, const sf_node *n, sf_tensor *const *in, sf_kstate *st,
                            sf_kstate *ref, sf_tensor **out, sf_rng_record *rng, sf_error *err) {
  sf_kctx c = {.node = n, .in = in, .nin = n->ninputs, .state = st, .ref_state = ref, .rt = rt, .rng = rng, .err = err};
  rng_from_node(n, rng);
  *out = NULL;
  sf_status code = n->op->kernel(&c, out);
  if (code != SF_OK && err && strncmp(err->msg, n->name, strlen(n->name)) != 0) {
    char msg[sizeof err->msg];
    snprintf(msg, sizeof msg, "%s", err->msg);
    sf_error_set(err, code, "node '%s' (%s): %s", n->name, n->op->name, msg);
  }
  return code;
}

static sf_status record(sf_trace *tr, const sf_node *n, int graph, sf_tensor *const *in, sf_tensor *v,
                        const sf_rng_record *rng, sf_error *err) {
  if (tr && !sf_trace_add_op(tr, n, graph, in, n->ninputs, v, rng->present ? rng : NULL))
    return sf_error_set(err, SF_ENOMEM, "out of memory");
  return SF_OK;
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
  memset(ns + s->nstates, 0, (size_t)(s->g->n - s->nstates) * sizeof *ns);
  memset(ni + s->nstates, 0, (size_t)(s->g->n - s->nstates) * sizeof *ni);
  s->nstates = s->g->n;
  return SF_OK;
}

/* Marks everything id depends on (data and control inputs). Iterative. */
static sf_status mark_needed(const sf_graph *g, int id, bool *need, int *stack) {
  if (need[id - 1]) return SF_OK;
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
  return SF_OK;
}

static sf_status execute(sf_session *s, sf_runtime *rt, const bool *need, sf_tensor **vals, sf_trace *tr,
                         sf_error *err) {
  sf_tensor *in[16];
  for (int id = 1; id <= s->g->n; id++) {
    if (!need[id - 1]) continue;
    const sf_node *n = s->g->nodes[id - 1];
    /* An uninitialized variable is only ever needed as the ref its Assign writes. */
    if (strcmp(n->op->name, "VariableV2") == 0 && !s->initialized[id - 1]) continue;
    if (n->ninputs > 16) return sf_error_set(err, SF_EGRAPH, "node '%s' has more than 16 inputs", n->name);
    for (int k = 0; k < n->ninputs; k++) {
      in[k] = vals[n->inputs[k] - 1];
      if (!in[k] && !(k == 0 && (n->op->flags & SF_OPF_REF_INPUT))) return sf_error_set(err, SF_EGRAPH, "node '%s': input %d has no value", n->name, k);
    }
    sf_kstate *ref = (n->op->flags & SF_OPF_REF_INPUT) ? &s->states[n->inputs[0] - 1] : NULL;
    sf_rng_record rng;
    sf_status st = run_kernel(rt, n, in, &s->states[id - 1], ref, &vals[id - 1], &rng, err);
    if (st == SF_OK) st = record(tr, n, s->graph_index, in, vals[id - 1], &rng, err);
    if (st != SF_OK) return st;
    if (ref) s->initialized[n->inputs[0] - 1] = true;
  }
  return SF_OK;
}

static int assign_of(const sf_graph *g, int var_id) {
  for (int i = 0; i < g->n; i++)
    if ((g->nodes[i]->op->flags & SF_OPF_REF_INPUT) && g->nodes[i]->inputs[0] == var_id) return g->nodes[i]->id;
  return 0;
}

static sf_status run_needed(sf_session *s, sf_runtime *rt, const int *ids, int nids, sf_tensor **vals, sf_trace *tr,
                            sf_error *err) {
  size_t n = (size_t)s->g->n;
  bool *need = calloc(n ? n : 1, sizeof *need);
  int *stack = malloc((n ? n : 1) * sizeof *stack);
  sf_status st = need && stack ? SF_OK : sf_error_set(err, SF_ENOMEM, "out of memory");
  for (int i = 0; st == SF_OK && i < nids; i++) {
    if (!sf_graph_node(s->g, ids[i])) st = sf_error_set(err, SF_EGRAPH, "fetch refers to missing node %d", ids[i]);
    else mark_needed(s->g, ids[i], need, stack);
  }
  if (st == SF_OK) st = execute(s, rt, need, vals, tr, err);
  free(need);
  free(stack);
  return st;
}

/* Runs the Assign of every uninitialized variable the fetches reach. */
static sf_status init_variables(sf_session *s, sf_runtime *rt, const int *ids, int nids, sf_trace *tr, sf_error *err) {
  size_t n = (size_t)s->g->n;
  bool *need = calloc(n ? n : 1, sizeof *need);
  int *stack = malloc((n ? n : 1) * sizeof *stack);
  sf_tensor **vals = calloc(n ? n : 1, sizeof *vals);
  sf_status st = need && stack && vals ? SF_OK : sf_error_set(err, SF_ENOMEM, "out of memory");
  for (int i = 0; st == SF_OK && i < nids; i++) mark_needed(s->g, ids[i], need, stack);
  for (int id = 1; st == SF_OK && id <= (int)n; id++) {
    if (!need[id - 1] || s->g->nodes[id - 1]->op->flags & SF_OPF_REF_INPUT) continue;
    if (strcmp(s->g->nodes[id - 1]->op->name, "VariableV2") != 0 || s->initialized[id - 1]) continue;
    int a = assign_of(s->g, id);
    if (!a) st = sf_error_set(err, SF_EGRAPH, "variable '%s' has no initializer", s->g->nodes[id - 1]->name);
    else st = run_needed(s, rt, &a, 1, vals, tr, err);
  }
  for (size_t i = 0; vals && i < n; i++) sf_tensor_unref(vals[i]);
  free(vals);
  free(need);
  free(stack);
  return st;
}

sf_status sf_session_run(sf_session *s, sf_runtime *rt, const int *fetch, int nfetch, const int *targets,
                         int ntargets, sf_tensor **out, sf_trace *tr, sf_error *err) {
  sf_status st = grow_states(s, err);
  if (st != SF_OK) return st;
  int nids = nfetch + ntargets;
  int *ids = malloc((size_t)(nids ? nids : 1) * sizeof *ids);
  size_t n = (size_t)s->g->n;
  sf_tensor **vals = calloc(n ? n : 1, sizeof *vals);
  if (!ids || !vals) st = sf_error_set(err, SF_ENOMEM, "out of memory");
  if (st == SF_OK) {
    if (nfetch) memcpy(ids, fetch, (size_t)nfetch * sizeof *ids);
    if (ntargets) memcpy(ids + nfetch, targets, (size_t)ntargets * sizeof *ids);
    st = init_variables(s, rt, ids, nids, tr, err);
  }
  if (st == SF_OK) st = run_needed(s, rt, ids, nids, vals, tr, err);
  for (int i = 0; i < nfetch; i++) out[i] = st == SF_OK ? sf_tensor_ref(vals[fetch[i] - 1]) : NULL;
  for (size_t i = 0; vals && i < n; i++) sf_tensor_unref(vals[i]);
  free(vals);
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
  return e->g ? SF_OK : sf_error_set(err, SF_ENOMEM, "out of memory");
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
  sf_graph_free(e->g);
  memset(e, 0, sizeof *e);
}

sf_tensor *sf_eager_value(const sf_eager *e, int id) { return id >= 1 && id <= e->cap ? e->vals[id - 1] : NULL; }

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
  memcpy(c->key, key, len + 1);
  HASH_ADD_KEYPTR(hh, e->cache, c->key, len, c);
  return &c->state;
}

sf_status sf_eager_run(sf_eager *e, sf_runtime *rt, sf_node *n, sf_trace *tr, sf_error *err) {
  if (n->id > e->cap) {
    int nc = e->cap ? e->cap * 2 : 256;
    while (nc < n->id) nc *= 2;
    sf_tensor **nv = realloc(e->vals, (size_t)nc * sizeof *nv);
    if (!nv) return sf_error_set(err, SF_ENOMEM, "out of memory");
    memset(nv + e->cap, 0, (size_t)(nc - e->cap) * sizeof *nv);
    e->vals = nv;
    e->cap = nc;
  }
  sf_tensor *in[16];
  if (n->ninputs > 16) return sf_error_set(err, SF_EGRAPH, "node '%s' has more than 16 inputs", n->name);
  for (int k = 0; k < n->ninputs; k++) in[k] = e->vals[n->inputs[k] - 1];
  sf_kstate scratch = {0};
  sf_kstate *st = (n->op->flags & SF_OPF_STATEFUL) ? cached_state(e, n) : &scratch;
  if (!st) return sf_error_set(err, SF_ENOMEM, "out of memory");
  sf_rng_record rng;
  sf_status code = run_kernel(rt, n, in, st, NULL, &e->vals[n->id - 1], &rng, err);
  if (code == SF_OK) code = record(tr, n, 0, in, e->vals[n->id - 1], &rng, err);
  return code;
}

void sf_runtime_free(sf_runtime *rt) {
  free(rt->generators);
  rt->generators = NULL;
  rt->ngenerators = rt->capgenerators = 0;
}
