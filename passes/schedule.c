/* schedule.c — the execution order: any topological order of data and control edges,
 * chosen by strategy (program, dfs, bfs, reverse, cost, random:SEED). Per-op kernels
 * give the same draws in every order; ops sharing a stream do not (TF's executor picks
 * among ready nodes freely: common_runtime/executor.cc). */
#include "passes.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

enum { S_PROGRAM, S_DFS, S_BFS, S_REVERSE, S_COST, S_RANDOM };
static const char *const names[] = {"program", "dfs", "bfs", "reverse", "cost"};

bool sf_schedule_param(const char *param, sf_pass_args *a, char *why, size_t len) {
  a->kind = S_PROGRAM;
  if (!param) return true;
  for (int i = 0; i < (int)(sizeof names / sizeof *names); i++)
    if (strcmp(param, names[i]) == 0) return a->kind = i, true;
  if (strncmp(param, "random:", 7) == 0 && param[7]) {
    char *end;
    a->seed = strtoll(param + 7, &end, 10);
    if (!*end) return a->kind = S_RANDOM, true;
  }
  snprintf(why, len, "expected program, dfs, bfs, reverse, cost or random:SEED");
  return false;
}

/* Successors in CSR form (data and control edges, one entry per edge). */
typedef struct sgraph {
  int *off, *succ, *indeg;
} sgraph;

static bool build(const sf_ir *ir, const int *prog, int n, sgraph *g) {
  g->off = calloc((size_t)ir->n + 2, sizeof *g->off);
  g->indeg = calloc((size_t)ir->n + 1, sizeof *g->indeg);
  size_t edges = 0;
  for (int i = 0; i < n; i++) edges += (size_t)(ir->nodes[prog[i] - 1]->ninputs + ir->nodes[prog[i] - 1]->nctrl);
  g->succ = malloc((edges ? edges : 1) * sizeof *g->succ);
  if (!g->off || !g->indeg || !g->succ) return false;
  for (int i = 0; i < n; i++) {
    const sf_node *x = ir->nodes[prog[i] - 1];
    g->indeg[x->id] = x->ninputs + x->nctrl;
    for (int k = 0; k < x->ninputs + x->nctrl; k++) g->off[sf_ir_edge(x, k) + 1]++;
  }
  for (int id = 1; id <= ir->n + 1; id++) g->off[id] += g->off[id - 1];
  int *fill = malloc(((size_t)ir->n + 1) * sizeof *fill);
  if (!fill) return false;
  memcpy(fill, g->off, ((size_t)ir->n + 1) * sizeof *fill);
  for (int i = 0; i < n; i++) { /* program order: successor lists come out in program order */
    const sf_node *x = ir->nodes[prog[i] - 1];
    for (int k = 0; k < x->ninputs + x->nctrl; k++) g->succ[fill[sf_ir_edge(x, k)]++] = x->id;
  }
  free(fill);
  return true;
}

/* ---- depth first: post-order from roots, inputs first-to-last or last-to-first ---- */

static int dfs_from(const sf_ir *ir, int root, bool backwards, char *seen, int *stack, int *next, int *out, int m) {
  if (seen[root]) return m;
  int sp = 0;
  stack[sp++] = root;
  seen[root] = 1;
  next[root] = 0;
  while (sp) {
    const sf_node *x = ir->nodes[stack[sp - 1] - 1];
    int deg = x->ninputs + x->nctrl, k = next[x->id]++;
    if (k < deg) {
      int in = sf_ir_edge(x, backwards ? deg - 1 - k : k);
      if (!seen[in]) seen[in] = 1, next[in] = 0, stack[sp++] = in;
    } else {
      out[m++] = x->id;
      sp--;
    }
  }
  return m;
}

static int depth_first(const sf_ir *ir, const int *prog, int n, bool backwards, int *out) {
  char *seen = calloc((size_t)ir->n + 1, 1);
  int *stack = malloc(((size_t)ir->n + 1) * sizeof *stack), *next = malloc(((size_t)ir->n + 1) * sizeof *next), m = 0;
  if (!seen || !stack || !next) m = -1;
  for (int i = 0; m >= 0 && !backwards && i < ir->nfetch + ir->ntargets; i++)
    m = dfs_from(ir, i < ir->nfetch ? ir->fetch[i] : ir->targets[i - ir->nfetch], false, seen, stack, next, out, m);
  for (int i = 0; m >= 0 && i < n; i++) m = dfs_from(ir, prog[backwards ? n - 1 - i : i], backwards, seen, stack, next, out, m);
  free(seen);
  free(stack);
  free(next);
  return m;
}

/* ---- ready-list schedules (Kahn): FIFO, random pick, or a priority heap ---- */

typedef struct heap {
  int *v, n;
  const double *prio;       /* larger first */
  const int *key;           /* then program order */
} heap;

static bool before(const heap *h, int a, int b) {
  if (h->prio[a] != h->prio[b]) return h->prio[a] > h->prio[b];
  return h->key[a] < h->key[b];
}

static void heap_push(heap *h, int id) {
  int i = h->n++;
  while (i && before(h, id, h->v[(i - 1) / 2])) h->v[i] = h->v[(i - 1) / 2], i = (i - 1) / 2;
  h->v[i] = id;
}

static int heap_pop(heap *h) {
  int top = h->v[0], last = h->v[--h->n], i = 0;
  for (;;) {
    int c = 2 * i + 1;
    if (c >= h->n) break;
    if (c + 1 < h->n && before(h, h->v[c + 1], h->v[c])) c++;
    if (!before(h, h->v[c], last)) break;
    h->v[i] = h->v[c];
    i = c;
  }
  if (h->n) h->v[i] = last;
  return top;
}

static uint64_t splitmix(uint64_t *s) {
  uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

/* Estimated work of a node: output elements, times the inner dimension for a matmul. */
static double cost_of(const sf_ir *ir, const sf_node *x) {
  double c = 1;
  for (int d = 0; x->shape_known && d < x->shape.rank; d++) c *= (double)(x->shape.dims[d] > 0 ? x->shape.dims[d] : 1);
  if ((x->op->flags & SF_OPF_EXPENSIVE) && x->ninputs >= 1) { /* MatMul: times the inner dimension */
    const sf_node *a = ir->nodes[x->inputs[0] - 1];
    if (a->shape_known && a->shape.rank == 2) c *= (double)a->shape.dims[sf_node_attr(x, "transpose_a")->b ? 0 : 1];
  }
  return c;
}

/* Critical path to a sink: list scheduling's classic priority. */
static void bottom_levels(const sf_ir *ir, const int *prog, int n, const sgraph *g, double *bl) {
  for (int i = n - 1; i >= 0; i--) {
    int id = prog[i];
    double best = 0;
    for (int e = g->off[id]; e < g->off[id + 1]; e++)
      if (bl[g->succ[e]] > best) best = bl[g->succ[e]];
    bl[id] = best + cost_of(ir, ir->nodes[id - 1]);
  }
}

static int ready_list(const sf_ir *ir, const int *prog, int n, int kind, int64_t seed, int *out) {
  sgraph g = {0};
  int *ready = malloc(((size_t)n + 1) * sizeof *ready), m = -1;
  double *prio = kind == S_COST ? calloc((size_t)ir->n + 1, sizeof *prio) : NULL;
  if (build(ir, prog, n, &g) && ready && (kind != S_COST || prio)) {
    if (prio) bottom_levels(ir, prog, n, &g, prio);
    heap h = {ready, 0, prio, ir->key};
    int head = 0, tail = 0;
    uint64_t rs = (uint64_t)seed;
    m = 0;
    for (int i = 0; i < n; i++)
      if (!g.indeg[prog[i]]) kind == S_COST ? heap_push(&h, prog[i]) : (void)(ready[tail++] = prog[i]);
    while (kind == S_COST ? h.n > 0 : head < tail) {
      int id;
      if (kind == S_COST) id = heap_pop(&h);
      else if (kind == S_BFS) id = ready[head++];
      else { /* random pick among the ready nodes */
        int j = head + (int)(splitmix(&rs) % (uint64_t)(tail - head));
        id = ready[j];
        ready[j] = ready[head++];
      }
      out[m++] = id;
      for (int e = g.off[id]; e < g.off[id + 1]; e++)
        if (--g.indeg[g.succ[e]] == 0) kind == S_COST ? heap_push(&h, g.succ[e]) : (void)(ready[tail++] = g.succ[e]);
    }
  }
  free(g.off);
  free(g.succ);
  free(g.indeg);
  free(ready);
  free(prio);
  return m;
}

sf_status sf_pass_schedule(sf_ir *ir, const sf_pass_args *a, sf_error *err) {
  int *prog = sf_ir_scratch(ir, SF_SCRATCH_IDS), *out = sf_arena_take(&ir->arena, ((size_t)ir->n + 1) * sizeof *out);
  int n = prog && out ? sf_ir_program_order(ir, a->kind == S_PROGRAM ? out : prog) : 0, m = -1;
  if (prog && out) {
    switch (a->kind) {
      case S_PROGRAM: m = n; break;
      case S_DFS: m = depth_first(ir, prog, n, false, out); break;
      case S_REVERSE: m = depth_first(ir, prog, n, true, out); break;
      default: m = ready_list(ir, prog, n, a->kind, a->seed, out); break;
    }
  }
  if (m < 0) return sf_error_set(err, SF_ENOMEM, "out of memory");
  if (m != n) return sf_error_set(err, SF_EGRAPH, "schedule: the graph has a cycle (%d of %d nodes ordered)", m, n);
  ir->order = out;
  ir->norder = m;
  return SF_OK;
}
