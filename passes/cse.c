/* cse.c — common subexpression elimination: a stateless node equal to an earlier one (op,
 * attributes, inputs, control inputs, constant value) is replaced by it
 * (grappler/optimizers/common_subgraph_elimination.cc, CanDedup: never stateful ops).
 * Two identical random_normal calls stay two; stateless ops with equal seeds merge. */
#include "passes.h"
#include "engine/bigmem.h"
#include "ops/ops.h"

#include <stdlib.h>
#include <string.h>

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdull;
}

/* FNV-1a over 8-byte words (then the tail byte by byte): a constant's value is hashed
 * a word per multiply, not a byte. */
static uint64_t hash_bytes(uint64_t h, const void *p, size_t n) {
  const unsigned char *b = p;
  for (; n >= 8; b += 8, n -= 8) {
    uint64_t w;
    memcpy(&w, b, sizeof w);
    h = (h ^ w) * 0x100000001b3ull;
    h ^= h >> 32;
  }
  for (; n; b++, n--) h = (h ^ *b) * 0x100000001b3ull;
  return h;
}

static uint64_t hash_attr(uint64_t h, const sf_attr_def *d, const sf_attr_value *v) {
  switch (d->type) {
    case SF_ATTR_FLOAT: return hash_bytes(h, &v->f, sizeof v->f);
    case SF_ATTR_BOOL: return mix(h, v->b);
    case SF_ATTR_STRING: return v->s ? hash_bytes(h, v->s, strlen(v->s)) : mix(h, 1);
    case SF_ATTR_TYPE: return mix(h, (uint64_t)v->type);
    case SF_ATTR_SHAPE: return hash_bytes(mix(h, (uint64_t)v->shape.rank), v->shape.dims, sizeof v->shape.dims);
    default: return mix(h, (uint64_t)v->i);
  }
}

static bool same_attr(const sf_attr_def *d, const sf_attr_value *a, const sf_attr_value *b) {
  switch (d->type) {
    case SF_ATTR_FLOAT: return memcmp(&a->f, &b->f, sizeof a->f) == 0;
    case SF_ATTR_BOOL: return a->b == b->b;
    case SF_ATTR_STRING: return (!a->s && !b->s) || (a->s && b->s && strcmp(a->s, b->s) == 0);
    case SF_ATTR_TYPE: return a->type == b->type;
    case SF_ATTR_SHAPE: return sf_shape_equal(&a->shape, &b->shape);
    default: return a->i == b->i;
  }
}

static bool has_ctrl(const sf_node *n, int c) {
  for (int k = 0; k < n->nctrl; k++)
    if (n->ctrl[k] == c) return true;
  return false;
}

static bool equivalent(const sf_node *a, const sf_node *b) {
  if (a->op != b->op || a->ninputs != b->ninputs || a->nctrl != b->nctrl || a->dtype != b->dtype) return false;
  if (a->ninputs && memcmp(a->inputs, b->inputs, (size_t)a->ninputs * sizeof *a->inputs) != 0) return false;
  for (int k = 0; k < a->nctrl; k++)
    if (!has_ctrl(b, a->ctrl[k])) return false;
  for (int i = 0; i < a->op->nattrs; i++)
    if (!same_attr(&a->op->attrs[i], &a->attrs[i], &b->attrs[i])) return false;
  if (!a->value != !b->value) return false;
  return !a->value || sf_tensor_bits_equal(a->value, b->value);
}

/* Open addressing with the id and the hash's low half side by side: one cache line per
 * probe (a million nodes make a table far bigger than the caches; sf_big_calloc puts it in
 * huge pages, so a probe also costs no page walk). The table has 2 slots per node, not the
 * next power of two: its size per node, and so its cache behaviour, is the same at every
 * graph size. */
typedef struct slot {
  int id;                   /* 0 = empty */
  uint32_t tag;             /* (uint32_t)hash */
} slot;

typedef struct table {
  slot *s;
  size_t cap;
} table;

/* The hash's high half scaled to [0, cap) (Lemire's multiply-shift range reduction). */
static size_t home(const table *t, uint64_t h) { return (size_t)(((h >> 32) * (uint64_t)t->cap) >> 32); }

/* The earlier equivalent node, or 0 after inserting id (whose hash is h). */
static int find_or_insert(const sf_ir *ir, table *t, int id, uint64_t h) {
  uint32_t tag = (uint32_t)h;
  size_t i = home(t, h);
  for (; t->s[i].id; i = i + 1 == t->cap ? 0 : i + 1)
    if (t->s[i].tag == tag && equivalent(ir->nodes[t->s[i].id - 1], ir->nodes[id - 1])) return t->s[i].id;
  t->s[i] = (slot){id, tag};
  return 0;
}

/* The id a (possibly forwarded) edge resolves to, without compressing the path. */
static int resolved(const sf_ir *ir, int id) {
  while (ir->fwd[id]) id = ir->fwd[id];
  return id;
}

/* Whether a node's hash needs the node itself: the IR's compact copy has its op and
 * edges, not its attributes or a constant's value. */
static bool needs_node(const sf_op_def *op) { return op->nattrs > 0 || op == &sf_op_Const; }

/* Op, data inputs in order, control inputs as a set, attributes and value. Edges are read
 * resolved, so the hash of a node not yet resolved is what it will be once it is — if
 * the edges forwarded so far are all it gets (that guess is what the prefetch uses). */
static uint64_t node_hash(const sf_ir *ir, int id) {
  const sf_op_def *op = ir->ops[id];
  int deg, nd = ir->ndata[id];
  const int *e = sf_ir_edges(ir, id, &deg);
  uint64_t h = mix((uintptr_t)op, (uint64_t)nd);
  for (int k = 0; k < nd; k++) h = mix(h, (uint64_t)resolved(ir, e[k]));
  uint64_t c = 0; /* control inputs are a set */
  for (int k = nd; k < deg; k++) c += mix(7, (uint64_t)resolved(ir, e[k]));
  h = mix(h, c);
  if (!needs_node(op)) return h;
  const sf_node *n = ir->nodes[id - 1];
  for (int i = 0; i < op->nattrs; i++) h = hash_attr(h, &op->attrs[i], &n->attrs[i]);
  if (n->value) h = hash_bytes(mix(h, n->value->dtype), n->value->data, (size_t)n->value->n * sf_dtype_size(n->value->dtype));
  return h;
}

/* A big graph's nodes, their constants and the table do not stay in any cache, and under
 * a hypervisor a miss also costs a two-level page walk: each step prefetches what a later
 * step reads, in the order it will be needed — the node 3 * AHEAD places on (when its hash
 * needs it), the constant value of the node 2 * AHEAD on (its node now cached), and the
 * slot of the node AHEAD on (hashed now that both are cached). The slot's hash is a guess
 * (an edge may still be forwarded before its turn); a wrong guess costs only the miss it
 * was to hide. Each node is then hashed twice: below PREFETCH_MIN bytes of table that
 * costs more than it hides (measured: a third slower at 10^3 and 10^4 nodes, even at
 * 10^5, 13% faster at 10^6). */
enum { AHEAD = 8, PREFETCH_MIN = 4 << 20 };

static bool prefetching(const table *t) { return t->cap * sizeof *t->s >= PREFETCH_MIN; }

/* Both cache lines of a node's struct, of a small tensor's struct and inline data. */
static void prefetch_lines(const void *p) {
  if (p) __builtin_prefetch(p), __builtin_prefetch((const char *)p + 64);
}

static void prefetch_node(const sf_ir *ir, int id) {
  if (needs_node(ir->ops[id])) prefetch_lines(ir->nodes[id - 1]);
}

static void prefetch_value(const sf_ir *ir, int id) {
  const sf_node *n = ir->nodes[id - 1];
  if (n && ir->ops[id] == &sf_op_Const) prefetch_lines(n->value);
}

static void prefetch_slot(const sf_ir *ir, const table *t, int id) {
  if (ir->nodes[id - 1] && !(ir->ops[id]->flags & SF_OPF_STATEFUL)) __builtin_prefetch(&t->s[home(t, node_hash(ir, id))]);
}

/* Dedups ids[0..n) in that order (program order: inputs are final when seen). */
static sf_status dedup(sf_ir *ir, table *t, const int *ids, int n, sf_error *err) {
  bool ahead = prefetching(t);
  for (int i = ahead ? -3 * AHEAD : 0; i < n; i++) {
    if (ahead && i + 3 * AHEAD < n) prefetch_node(ir, ids[i + 3 * AHEAD]);
    if (ahead && i + 2 * AHEAD >= 0 && i + 2 * AHEAD < n) prefetch_value(ir, ids[i + 2 * AHEAD]);
    if (ahead && i + AHEAD >= 0 && i + AHEAD < n) prefetch_slot(ir, t, ids[i + AHEAD]);
    if (i < 0) continue;
    int id = ids[i];
    if (!sf_ir_resolve(ir, id)) return sf_error_set(err, SF_ENOMEM, "out of memory");
    if (ir->ops[id]->flags & SF_OPF_STATEFUL) continue;
    int same = find_or_insert(ir, t, id, node_hash(ir, id));
    if (same) sf_ir_forward(ir, id, same);
  }
  return SF_OK;
}

/* A small table is taken from the IR's arena (whose chunk fold has faulted in already, a
 * huge page for a big graph) and lives as long as the run: fresh pages cost more than
 * the table's work at 10^4 nodes. A big one is mapped on its own and unmapped here. */
enum { ARENA_TABLE_MAX = 1 << 20 };

static slot *table_alloc(sf_ir *ir, const table *t) {
  size_t bytes = t->cap * sizeof *t->s;
  return bytes <= ARENA_TABLE_MAX ? sf_arena_alloc(&ir->arena, bytes) : sf_big_calloc(t->cap, sizeof *t->s);
}

static void table_free(table *t) {
  if (t->cap * sizeof *t->s > ARENA_TABLE_MAX) sf_big_free(t->s, t->cap * sizeof *t->s);
}

/* When prefetching, nodes without edges (constants, mostly) go first: they are equivalent
 * only to one another, so deduplicating them first picks the same survivors as program
 * order does, and their users' edges are then final when those users' slots are guessed.
 * Without prefetching one walk in program order touches each node's memory once (two
 * walks cost 40% more at 10^5 nodes). */
sf_status sf_pass_cse(sf_ir *ir, const sf_pass_args *a, sf_error *err) {
  (void)a;
  int *ids = sf_ir_scratch(ir, SF_SCRATCH_IDS), *roots = sf_ir_scratch(ir, SF_SCRATCH_MARK);
  int n = ids && roots ? sf_ir_program_order(ir, ids) : 0, nroots = 0, rest = 0;
  table t = {NULL, 2 * (size_t)n + 16};
  t.s = table_alloc(ir, &t);
  if (!t.s || !ids || !roots) {
    table_free(&t);
    return sf_error_set(err, SF_ENOMEM, "out of memory");
  }
  for (int i = 0; i < n; i++) {
    if (prefetching(&t) && ir->edge_n[ids[i]] == 0) roots[nroots++] = ids[i];
    else ids[rest++] = ids[i];
  }
  sf_status st = dedup(ir, &t, roots, nroots, err);
  if (st == SF_OK) st = dedup(ir, &t, ids, rest, err);
  sf_ir_resolve_outputs(ir);
  table_free(&t);
  return st;
}
