/* ir.c — the run IR: a per-run copy of the graph being built that the executor runs and
 * passes may rewrite, with the helpers every pass shares (forwarding, sweeping,
 * verification) and the default schedule (program order). The graph
 * being built is never touched: TF1 op seeds count its nodes (graph._last_id). */
#include "ir.h"

#include "bigmem.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The per-node arrays every run needs are sf_big_alloc'd (huge pages for a big graph;
 * malloc's below, which a session's repeated runs get back recycled): all new ones first,
 * so that a failure leaves the old ones as they were. */
static void free_arrays(sf_ir *ir) {
  size_t had = ir->nodes ? (size_t)ir->cap : 0;
  sf_big_free(ir->nodes, had * sizeof *ir->nodes);
  sf_big_free(ir->key, (had + 1) * sizeof *ir->key);
  sf_big_free(ir->fwd, (had + 1) * sizeof *ir->fwd);
  sf_big_free(ir->owned, (had + 1) * sizeof *ir->owned);
}

/* The compact copy (sf_ir_index) is the passes' own, in the IR's arena with everything
 * else only passes use (scratch, node copies, cse's table): a big graph's arena starts in
 * a huge page (arena.first), so a 10^4-node pipeline faults in one huge page, not a 4 KiB
 * page at a time (measured on the benchmark's VM: fresh memory costs ~0.4 ns a byte in
 * 4 KiB pages, a fault each, ~0.05 in huge pages; it was half of cse at 10^4). One block:
 * the op pointers, the value pointers, then the three int arrays. An outgrown block is
 * abandoned. */
static bool grow_index(sf_ir *ir, size_t had1, size_t now) {
  const sf_op_def **op = sf_arena_take(&ir->arena, (now + 1) * (sizeof *op + sizeof(sf_tensor *) + 3 * sizeof(int)));
  if (!op) return false;
  sf_tensor **va = (sf_tensor **)(op + now + 1);
  int *na = (int *)(va + now + 1), *nd = na + now + 1, *ni = nd + now + 1;
  if (had1) {
    memcpy(op, ir->ops, had1 * sizeof *op);
    memcpy(va, ir->values, had1 * sizeof *va);
    memcpy(na, ir->edge_at, had1 * sizeof *na);
    memcpy(nd, ir->edge_n, had1 * sizeof *nd);
    memcpy(ni, ir->ndata, had1 * sizeof *ni);
  }
  ir->ops = op;
  ir->values = va;
  ir->edge_at = na;
  ir->edge_n = nd;
  ir->ndata = ni;
  return true;
}

static bool grow(sf_ir *ir, int need) {
  if (need <= ir->cap) return true;
  int nc = ir->cap * 2 > need ? ir->cap * 2 : need;
  size_t had = ir->nodes ? (size_t)ir->cap : 0, now = (size_t)nc, had1 = had ? had + 1 : 0;
  sf_node **nn = sf_big_alloc(now * sizeof *nn);
  int *nk = sf_big_alloc((now + 1) * sizeof *nk), *nf = sf_big_alloc((now + 1) * sizeof *nf);
  bool *no = sf_big_alloc((now + 1) * sizeof *no);
  if (!nn || !nk || !nf || !no || (ir->indexed && !grow_index(ir, had1, now))) {
    sf_big_free(nn, now * sizeof *nn);
    sf_big_free(nk, (now + 1) * sizeof *nk);
    sf_big_free(nf, (now + 1) * sizeof *nf);
    sf_big_free(no, (now + 1) * sizeof *no);
    return false;
  }
  if (had) {
    memcpy(nn, ir->nodes, had * sizeof *nn);
    memcpy(nk, ir->key, had1 * sizeof *nk);
    memcpy(nf, ir->fwd, had1 * sizeof *nf);
    memcpy(no, ir->owned, had1 * sizeof *no);
  }
  free_arrays(ir);
  ir->nodes = nn;
  ir->key = nk;
  ir->fwd = nf;
  ir->owned = no;
  memset(nn + had, 0, (now - had) * sizeof *nn);
  memset(nf + had + 1, 0, (now - had) * sizeof *nf);
  memset(no + had + 1, 0, (now - had) * sizeof *no);
  ir->cap = nc;
  return true;
}

enum { BIG_GRAPH = 8192 };

static int *copy_ints(sf_arena *a, const int *v, int n) {
  int *c = sf_arena_alloc(a, (size_t)(n ? n : 1) * sizeof *c);
  if (c && n) memcpy(c, v, (size_t)n * sizeof *c);
  return c;
}

/* Room for need more edges at the end of ir->edges. */
static bool edges_room(sf_ir *ir, int need) {
  if (need <= ir->capedges - ir->nedges) return true;
  if (need > INT_MAX - ir->nedges) return false;
  int nc = ir->nedges + need, grown = ir->capedges <= INT_MAX / 2 ? 2 * ir->capedges : INT_MAX;
  if (grown > nc) nc = grown;
  int *ne = sf_arena_take(&ir->arena, (size_t)nc * sizeof *ne);
  if (!ne) return false;
  if (ir->nedges) memcpy(ne, ir->edges, (size_t)ir->nedges * sizeof *ne);
  ir->edges = ne;
  ir->capedges = nc;
  return true;
}

/* Copies node id's op and edges into the compact store: the edges in place when they fit
 * where the old ones were (resolving only keeps or drops edges), else at the end. */
static bool store_edges(sf_ir *ir, int id, const sf_node *n) {
  if (!ir->indexed) return true;
  int deg = n->ninputs + n->nctrl;
  ir->ops[id] = n->op;
  ir->ndata[id] = n->ninputs;
  ir->values[id] = n->value;
  if (deg > ir->edge_n[id]) {
    if (!edges_room(ir, deg)) return false;
    ir->edge_at[id] = ir->nedges;
    ir->nedges += deg;
  }
  int *e = ir->edges + ir->edge_at[id];
  for (int k = 0; k < deg; k++) e[k] = sf_ir_edge(n, k);
  ir->edge_n[id] = deg;
  return true;
}

/* Nodes are borrowed from src until a pass changes one (copy on write, sf_ir_mut): a run
 * of a big graph copies pointers, not nodes. */
static void borrow_nodes(sf_ir *ir, const sf_graph *g) {
  for (int i = 0; i < g->n; i++) {
    ir->nodes[i] = g->nodes[i];
    ir->key[i + 1] = i + 1;
    ir->bykey[i + 1] = i + 1;
  }
}

bool sf_ir_index(sf_ir *ir) {
  if (ir->indexed) return true;
  /* A big graph's arena starts in a huge page (see grow_index), a small graph's in
   * 64 KiB of malloc's (which malloc recycles from run to run). One walk over the nodes
   * with room for two edges a node, grown as needed: a first walk to count the edges read
   * every node twice (a million nodes do not stay in any cache between two walks). */
  if (ir->n >= BIG_GRAPH && !ir->arena.head) ir->arena.first = 2 << 20;
  int room = ir->n <= (INT_MAX - 16) / 2 ? 2 * ir->n + 16 : INT_MAX;
  if (!grow_index(ir, 0, (size_t)ir->cap) || !edges_room(ir, room)) return false;
  ir->indexed = true;
  for (int id = 1; id <= ir->n; id++) {
    ir->edge_at[id] = ir->edge_n[id] = 0;
    ir->ops[id] = NULL;
    ir->values[id] = NULL;
    if (ir->nodes[id - 1] && !store_edges(ir, id, ir->nodes[id - 1])) {
      ir->indexed = false;
      return false;
    }
  }
  return true;
}

/* A node struct with room for deg edge ids after it, in one arena block: a copy of a
 * node with two inputs takes 128 bytes, not three padded blocks of 160 (a pass copies a
 * node for each rewrite of its inputs, fresh memory in a big graph). */
static sf_node *node_block(sf_arena *a, int deg, int **edges) {
  sf_node *n = sf_arena_alloc(a, sizeof *n + (size_t)deg * sizeof **edges);
  if (n) *edges = (int *)(n + 1);
  return n;
}

sf_node *sf_ir_mut(sf_ir *ir, int id) {
  sf_node *n = sf_ir_node(ir, id);
  if (!n || ir->owned[id]) return n;
  int *e;
  sf_node *c = node_block(&ir->arena, n->ninputs + n->nctrl, &e);
  if (!c) return NULL;
  *c = *n;
  c->inputs = e;
  c->ctrl = e + n->ninputs;
  if (n->ninputs) memcpy(c->inputs, n->inputs, (size_t)n->ninputs * sizeof *e);
  if (n->nctrl) memcpy(c->ctrl, n->ctrl, (size_t)n->nctrl * sizeof *e);
  sf_tensor_ref(c->value);
  ir->nodes[id - 1] = c;
  ir->owned[id] = true;
  return c;
}

sf_status sf_ir_init(sf_ir *ir, const sf_graph *g, int graph_index, const int *fetch, int nfetch,
                     const int *targets, int ntargets, sf_runtime *rt, sf_trace *tr, sf_error *err) {
  memset(ir, 0, sizeof *ir);
  ir->src = g;
  ir->graph_index = graph_index;
  ir->rt = rt;
  ir->tr = tr;
  ir->nsrc = g->n; /* bykey's size */
  ir->bykey = sf_big_alloc(((size_t)g->n + 1) * sizeof *ir->bykey);
  ir->fetch = malloc((size_t)(nfetch ? nfetch : 1) * sizeof *ir->fetch);
  ir->targets = malloc((size_t)(ntargets ? ntargets : 1) * sizeof *ir->targets);
  if (!ir->bykey || !ir->fetch || !ir->targets || !grow(ir, g->n + 8)) {
    sf_ir_free(ir);
    return sf_error_set(err, SF_ENOMEM, "out of memory");
  }
  ir->bykey[0] = 0;
  borrow_nodes(ir, g);
  ir->n = g->n;
  if (nfetch) memcpy(ir->fetch, fetch, (size_t)nfetch * sizeof *fetch);
  if (ntargets) memcpy(ir->targets, targets, (size_t)ntargets * sizeof *targets);
  ir->nfetch = nfetch;
  ir->ntargets = ntargets;
  for (int i = 0; i < nfetch + ntargets; i++) {
    int id = i < nfetch ? fetch[i] : targets[i - nfetch];
    if (!sf_ir_node(ir, id)) {
      sf_ir_free(ir);
      return sf_error_set(err, SF_EGRAPH, "fetch refers to missing node %d", id);
    }
  }
  return SF_OK;
}

/* Node id's value, from the compact copy once it is built: reading every copied node for
 * its value pointer was a cache miss a node (5% of a pipeline run at 10^5 nodes). */
static sf_tensor *value_of(const sf_ir *ir, int id) { return ir->indexed ? ir->values[id] : ir->nodes[id - 1]->value; }

void sf_ir_free(sf_ir *ir) {
  for (int i = 0; ir->nodes && i < ir->n; i++)
    if (ir->nodes[i] && ir->owned[i + 1]) sf_tensor_unref(value_of(ir, i + 1));
  free_arrays(ir);
  sf_big_free(ir->bykey, ((size_t)ir->nsrc + 1) * sizeof *ir->bykey);
  free(ir->fetch);
  free(ir->targets);
  sf_arena_free(&ir->arena);
  memset(ir, 0, sizeof *ir);
}

int *sf_ir_scratch(sf_ir *ir, int slot) {
  size_t need = (size_t)ir->n + 1;
  if (ir->scratch_cap[slot] < need) { /* in the arena; an outgrown one is abandoned */
    ir->scratch[slot] = sf_arena_take(&ir->arena, need * sizeof *ir->scratch[slot]);
    ir->scratch_cap[slot] = ir->scratch[slot] ? need : 0;
  }
  return ir->scratch[slot];
}

int sf_ir_program_order(const sf_ir *ir, int *ids) {
  int n = 0;
  for (int k = 1; k <= ir->nsrc; k++) {
    int id = ir->bykey[k];
    if (id && ir->nodes[id - 1]) ids[n++] = id;
  }
  return n;
}

sf_node *sf_ir_add(sf_ir *ir, const sf_op_def *op, const char *name, const int *inputs, int ninputs,
                   const sf_attr_value *attrs, sf_tensor *value, int replaces) {
  if (!grow(ir, ir->n + 1)) return NULL;
  sf_node *n = sf_arena_alloc(&ir->arena, sizeof *n);
  sf_attr_value *av = sf_arena_alloc(&ir->arena, (size_t)(op->nattrs ? op->nattrs : 1) * sizeof *av);
  int *in = copy_ints(&ir->arena, inputs, ninputs);
  const char *nm = sf_arena_strdup(&ir->arena, name);
  if (!n || !av || !in || !nm || !edges_room(ir, ninputs)) return NULL;
  for (int i = 0; i < op->nattrs; i++) av[i] = attrs ? attrs[i] : op->attrs[i].dflt;
  int id = ++ir->n;
  *n = (sf_node){.id = id, .op = op, .name = nm, .attrs = av, .inputs = in, .ninputs = ninputs,
                 .value = sf_tensor_ref(value)};
  const sf_node *old = sf_ir_node(ir, replaces);
  if (old) n->line = old->line;
  ir->nodes[id - 1] = n;
  ir->owned[id] = true;
  ir->fwd[id] = 0;
  ir->edge_at[id] = ir->edge_n[id] = 0;
  store_edges(ir, id, n); /* room made above */
  ir->key[id] = ir->key[replaces];
  ir->bykey[ir->key[id]] = id;
  return n;
}

sf_node *sf_ir_replace_const(sf_ir *ir, int id, const char *prefix, const char *name, sf_tensor *value) {
  sf_node *old = sf_ir_node(ir, id), *n;
  int *in;
  if (!old || !(n = node_block(&ir->arena, 1 + old->nctrl, &in))) return NULL; /* no inputs; 1: not NULL */
  size_t lp = strlen(prefix), ln = strlen(name);
  char *nm = sf_arena_take(&ir->arena, lp + ln + 1);
  int *ctrl = in + 1;
  if (!nm) return NULL;
  memcpy(nm, prefix, lp);
  memcpy(nm + lp, name, ln + 1);
  if (old->nctrl) memcpy(ctrl, old->ctrl, (size_t)old->nctrl * sizeof *ctrl);
  *n = (sf_node){.id = id, .op = sf_op_lookup("Const"), .name = nm, .attrs = NULL, .inputs = in,
                 .ctrl = ctrl, .nctrl = old->nctrl, .dtype = value->dtype, .shape = value->shape,
                 .shape_known = true, .value = sf_tensor_ref(value), .line = old->line};
  if (ir->owned[id]) sf_tensor_unref(old->value);
  ir->nodes[id - 1] = n;
  ir->owned[id] = true;
  store_edges(ir, id, n); /* in place: fewer edges than old */
  return n;
}

void sf_ir_remove(sf_ir *ir, int id) {
  sf_node *n = sf_ir_node(ir, id);
  if (!n) return;
  if (ir->owned[id]) sf_tensor_unref(value_of(ir, id));
  ir->nodes[id - 1] = NULL;
  if (ir->bykey[ir->key[id]] == id) ir->bykey[ir->key[id]] = 0;
}

void sf_ir_forward(sf_ir *ir, int id, int to) {
  ir->fwd[id] = to;
  sf_ir_remove(ir, id);
}

/* Follows the forwarding chain with path compression. */
static int resolve_id(sf_ir *ir, int id) {
  int r = id;
  while (r >= 1 && r <= ir->n && ir->fwd[r]) r = ir->fwd[r];
  while (id != r && id >= 1 && id <= ir->n && ir->fwd[id]) {
    int next = ir->fwd[id];
    ir->fwd[id] = r;
    id = next;
  }
  return r;
}

static bool needs_resolve(const sf_ir *ir, int id) {
  int deg;
  const int *e = sf_ir_edges(ir, id, &deg);
  for (int k = 0; k < deg; k++)
    if (ir->fwd[e[k]]) return true;
  return false;
}

sf_node *sf_ir_resolve(sf_ir *ir, int id) {
  sf_node *n = sf_ir_node(ir, id);
  if (!n || !needs_resolve(ir, id) || !(n = sf_ir_mut(ir, id))) return n;
  for (int k = 0; k < n->ninputs; k++) n->inputs[k] = resolve_id(ir, n->inputs[k]);
  int m = 0;
  for (int k = 0; k < n->nctrl; k++) {
    int c = resolve_id(ir, n->ctrl[k]);
    bool dup = c == n->id;
    for (int j = 0; j < m && !dup; j++) dup = n->ctrl[j] == c;
    if (!dup) n->ctrl[m++] = c;
  }
  n->nctrl = m;
  store_edges(ir, id, n); /* in place: as many edges or fewer */
  return n;
}

void sf_ir_resolve_outputs(sf_ir *ir) {
  for (int i = 0; i < ir->nfetch; i++) ir->fetch[i] = resolve_id(ir, ir->fetch[i]);
  for (int i = 0; i < ir->ntargets; i++) ir->targets[i] = resolve_id(ir, ir->targets[i]);
}

void sf_ir_count_uses(const sf_ir *ir, int *uses) {
  memset(uses, 0, ((size_t)ir->n + 1) * sizeof *uses);
  for (int id = 1; id <= ir->n; id++) {
    if (!ir->nodes[id - 1]) continue;
    int deg;
    const int *e = sf_ir_edges(ir, id, &deg);
    for (int k = 0; k < deg; k++) uses[e[k]]++;
  }
  for (int i = 0; i < ir->nfetch; i++) uses[ir->fetch[i]]++;
  for (int i = 0; i < ir->ntargets; i++) uses[ir->targets[i]]++;
}

bool *sf_ir_output_mask(const sf_ir *ir) {
  bool *m = calloc((size_t)ir->n + 1, sizeof *m);
  for (int i = 0; m && i < ir->nfetch; i++) m[ir->fetch[i]] = true;
  for (int i = 0; m && i < ir->ntargets; i++) m[ir->targets[i]] = true;
  return m;
}

static bool sweepable(const sf_ir *ir, int id) {
  return sf_ir_node(ir, id) && !(ir->ops[id]->flags & SF_OPF_STATEFUL);
}

void sf_ir_sweep(sf_ir *ir, const int *before) {
  int *uses = sf_ir_scratch(ir, SF_SCRATCH_SWEEP_USES), *stack = sf_ir_scratch(ir, SF_SCRATCH_SWEEP_STACK);
  if (uses && stack) {
    sf_ir_count_uses(ir, uses);
    int sp = 0;
    for (int id = 1; id <= ir->n; id++)
      if (id <= ir->nsrc && before[id] > 0 && uses[id] == 0 && sweepable(ir, id)) stack[sp++] = id;
    while (sp) {
      int id = stack[--sp];
      if (!sf_ir_node(ir, id)) continue;
      int deg;
      const int *e = sf_ir_edges(ir, id, &deg);
      for (int k = 0; k < deg; k++)
        if (--uses[e[k]] == 0 && sweepable(ir, e[k])) stack[sp++] = e[k];
      sf_ir_remove(ir, id);
    }
  }
}

bool sf_ir_add_ctrl(sf_ir *ir, int id, int ctrl) {
  sf_node *n = sf_ir_node(ir, id);
  for (int i = 0; i < n->nctrl; i++)
    if (n->ctrl[i] == ctrl) return true;
  if (!edges_room(ir, n->ninputs + n->nctrl + 1) || !(n = sf_ir_mut(ir, id))) return false;
  int *nc = sf_arena_grow(&ir->arena, n->ctrl, (size_t)n->nctrl, (size_t)n->nctrl + 1, sizeof *nc);
  if (!nc) return false;
  nc[n->nctrl++] = ctrl;
  n->ctrl = nc;
  store_edges(ir, id, n); /* room made above */
  return true;
}

void sf_ir_note(sf_ir *ir, const char *pass, int node, const char *fmt, ...) {
  if (!ir->tr) return;
  char text[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  sf_trace_add_note(ir->tr, ir->graph_index, node, pass, text);
}

/* ---- verification ---- */

static bool same_seed(const sf_attr_value *a, const sf_attr_value *b) {
  return a->i == b->i && a->origin.kind == b->origin.kind && a->origin.detail == b->origin.detail;
}

/* Seeds are fixed when a node is created (TF1 semantics): a pass keeps them. */
static sf_status verify_seed(const sf_node *n, const sf_node *s, const char *after, sf_error *err) {
  if (n->op != s->op) {
    if (s->op->flags & SF_OPF_STATEFUL)
      return sf_error_set(err, SF_EINTERNAL, "verify after '%s': stateful node '%s' (id %d) was rewritten to %s",
                          after, s->name, s->id, n->op->name);
    return SF_OK;
  }
  int idx[2];
  bool same = !sf_op_seed_attrs(n->op, idx) ||
              (same_seed(&n->attrs[idx[0]], &s->attrs[idx[0]]) && same_seed(&n->attrs[idx[1]], &s->attrs[idx[1]]));
  if (!same)
    return sf_error_set(err, SF_EINTERNAL, "verify after '%s': node '%s' (id %d) changed its seed attributes",
                        after, s->name, s->id);
  return SF_OK;
}

/* Every edge runs from a smaller program position to a larger one: this proves the
 * graph acyclic and keeps key order a valid schedule. */
static sf_status verify_node(const sf_ir *ir, const sf_node *n, const char *after, sf_error *err) {
  /* src's own nodes were validated when they were added */
  if (ir->owned[n->id] && (!n->op || sf_op_lookup(n->op->name) != n->op))
    return sf_error_set(err, SF_EINTERNAL, "verify after '%s': node '%s' (id %d) has an unknown op", after, n->name, n->id);
  if (n->op->ninputs >= 0 && n->ninputs != n->op->ninputs)
    return sf_error_set(err, SF_EINTERNAL, "verify after '%s': node '%s' (%s) expects %d inputs, got %d", after,
                        n->name, n->op->name, n->op->ninputs, n->ninputs);
  int deg = 0;
  const int *e = ir->indexed ? sf_ir_edges(ir, n->id, &deg) : NULL;
  bool same = !ir->indexed || (deg == n->ninputs + n->nctrl && ir->ndata[n->id] == n->ninputs && ir->ops[n->id] == n->op &&
                                ir->values[n->id] == n->value);
  for (int k = 0; same && k < deg; k++) same = e[k] == sf_ir_edge(n, k);
  if (!same)
    return sf_error_set(err, SF_EINTERNAL, "verify after '%s': node '%s' (id %d): op, edges or value differ from the IR's compact copy",
                        after, n->name, n->id);
  for (int k = 0; k < n->ninputs + n->nctrl; k++) {
    int m = sf_ir_edge(n, k);
    const char *kind = k < n->ninputs ? "data" : "control";
    if (!sf_ir_node(ir, m))
      return sf_error_set(err, SF_EINTERNAL, "verify after '%s': node '%s' (%s, id %d): %s input refers to removed node %d",
                          after, n->name, n->op->name, n->id, kind, m);
    if (ir->key[m] >= ir->key[n->id])
      return sf_error_set(err, SF_EINTERNAL, "verify after '%s': node '%s' (id %d): %s input %d is not earlier in program order",
                          after, n->name, n->id, kind, m);
  }
  bool changed = n->id <= ir->nsrc && n != ir->src->nodes[n->id - 1];
  return changed ? verify_seed(n, ir->src->nodes[n->id - 1], after, err) : SF_OK;
}

static sf_status verify_schedule(const sf_ir *ir, const char *after, sf_error *err) {
  int *pos = malloc(((size_t)ir->n + 1) * sizeof *pos), live = 0;
  if (!pos) return sf_error_set(err, SF_ENOMEM, "out of memory");
  for (int i = 0; i <= ir->n; i++) pos[i] = -1;
  sf_status st = SF_OK;
  for (int i = 0; st == SF_OK && i < ir->norder; i++) {
    int id = ir->order[i];
    if (!sf_ir_node(ir, id) || pos[id] >= 0)
      st = sf_error_set(err, SF_EINTERNAL, "verify after '%s': schedule position %d holds %s node %d", after, i,
                        sf_ir_node(ir, id) ? "a repeated" : "a removed", id);
    else pos[id] = i;
  }
  for (int i = 0; i < ir->n; i++) live += ir->nodes[i] != NULL;
  if (st == SF_OK && live != ir->norder)
    st = sf_error_set(err, SF_EINTERNAL, "verify after '%s': schedule has %d nodes, the graph %d", after, ir->norder, live);
  for (int i = 0; st == SF_OK && i < ir->norder; i++) {
    const sf_node *n = ir->nodes[ir->order[i] - 1];
    for (int k = 0; st == SF_OK && k < n->ninputs + n->nctrl; k++)
      if (pos[sf_ir_edge(n, k)] > i)
        st = sf_error_set(err, SF_EINTERNAL, "verify after '%s': schedule runs '%s' before its input '%s'", after,
                          n->name, ir->nodes[sf_ir_edge(n, k) - 1]->name);
  }
  free(pos);
  return st;
}

sf_status sf_ir_verify(const sf_ir *ir, const char *after, sf_error *err) {
  for (int i = 0; i < ir->n; i++) {
    if (!ir->nodes[i]) continue;
    if (ir->nodes[i]->id != i + 1)
      return sf_error_set(err, SF_EINTERNAL, "verify after '%s': node '%s' moved from id %d to %d", after,
                          ir->nodes[i]->name, i + 1, ir->nodes[i]->id);
    sf_status st = verify_node(ir, ir->nodes[i], after, err);
    if (st != SF_OK) return st;
  }
  for (int i = 0; i < ir->nfetch + ir->ntargets; i++) {
    int id = i < ir->nfetch ? ir->fetch[i] : ir->targets[i - ir->nfetch];
    if (!sf_ir_node(ir, id))
      return sf_error_set(err, SF_EINTERNAL, "verify after '%s': %s %d refers to a removed node", after,
                          i < ir->nfetch ? "fetch" : "target", id);
  }
  return ir->order ? verify_schedule(ir, after, err) : SF_OK;
}

sf_status sf_ir_default_schedule(sf_ir *ir, sf_error *err) {
  ir->order = sf_arena_take(&ir->arena, ((size_t)ir->n + 1) * sizeof *ir->order);
  if (!ir->order) return sf_error_set(err, SF_ENOMEM, "out of memory");
  ir->norder = sf_ir_program_order(ir, ir->order);
  return SF_OK;
}
