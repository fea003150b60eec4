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

/* Two open-addressing tables of (id, hash's low half) slots, 8 bytes each, linear probing.
 * A node with data inputs is looked up near its first data input: equivalent nodes have the
 * same inputs, and that input is a recent node in program order, so its slots are in the
 * cache lines this walk touched a moment ago (homes spread by hash over a table bigger than
 * the caches cost a miss per node: cse grew 32x from 10^4 to 10^5 nodes, the other passes
 * 9-15x). The node table has 2 slots per id, node e's at 2e and 2e + 1 (which of the two by
 * the hash); a probe path is at most PROBES slots. Nodes without data inputs (constants,
 * mostly) and those whose path is full (users of a hub: a placeholder feeding thousands of
 * ops) go to the spill table, homed by hash and grown as it fills. Both tables only ever
 * gain slots, so an equivalent node inserted earlier is on the same path: before the first
 * empty slot of the node table's path, or in the spill table when that path is full. */
typedef struct slot {
  int id;                   /* 0 = empty */
  uint32_t tag;             /* (uint32_t)hash */
} slot;

typedef struct table {
  slot *s;
  size_t cap, used;
} table;

enum { PROBES = 16 };

/* The spill table's home: the tag scaled to [0, cap) (Lemire's multiply-shift reduction),
 * so that a grown table rehashes from its slots alone. */
static size_t spill_home(const table *t, uint32_t tag) { return (size_t)(((uint64_t)tag * t->cap) >> 32); }

/* A small table is taken from the IR's arena (whose chunk fold has faulted in already, a
 * huge page for a big graph) and lives as long as the run: fresh pages cost more than
 * the table's work at 10^4 nodes. A big one is mapped on its own and unmapped here. */
enum { ARENA_TABLE_MAX = 1 << 20 };

static bool table_init(sf_ir *ir, table *t, size_t cap) {
  size_t bytes = cap * sizeof *t->s;
  t->cap = cap;
  t->used = 0;
  t->s = bytes <= ARENA_TABLE_MAX ? sf_arena_alloc(&ir->arena, bytes) : sf_big_calloc(cap, sizeof *t->s);
  return t->s != NULL;
}

static void table_free(table *t) {
  if (t->s && t->cap * sizeof *t->s > ARENA_TABLE_MAX) sf_big_free(t->s, t->cap * sizeof *t->s);
  t->s = NULL;
}

/* The spill table at most half full: twice the slots, every entry placed again. */
static bool spill_room(sf_ir *ir, table *t) {
  if (2 * (t->used + 1) <= t->cap) return true;
  table grown;
  if (!table_init(ir, &grown, 2 * t->cap)) return false;
  for (size_t k = 0; k < t->cap; k++) {
    if (!t->s[k].id) continue;
    size_t i = spill_home(&grown, t->s[k].tag);
    while (grown.s[i].id) i = i + 1 == grown.cap ? 0 : i + 1;
    grown.s[i] = t->s[k];
  }
  grown.used = t->used;
  table_free(t);
  *t = grown;
  return true;
}

typedef struct tables {
  table node, spill;
} tables;

/* The earlier equivalent node, or 0 after inserting id (whose hash is h): -1 when the
 * spill table cannot grow. */
static int spill_find_or_insert(sf_ir *ir, table *t, int id, uint64_t h) {
  if (!spill_room(ir, t)) return -1;
  uint32_t tag = (uint32_t)h;
  size_t i = spill_home(t, tag);
  for (; t->s[i].id; i = i + 1 == t->cap ? 0 : i + 1)
    if (t->s[i].tag == tag && equivalent(ir->nodes[t->s[i].id - 1], ir->nodes[id - 1])) return t->s[i].id;
  t->s[i] = (slot){id, tag};
  t->used++;
  return 0;
}

/* The id a (possibly forwarded) edge resolves to, without compressing the path. */
static int resolved(const sf_ir *ir, int id) {
  while (ir->fwd[id]) id = ir->fwd[id];
  return id;
}

/* Op, data inputs in order, control inputs as a set, attributes and value, from the IR's
 * compact copy (edges read resolved, a constant's value) but for attributes: a constant's
 * node is not read (Const has none). */
static uint64_t node_hash(const sf_ir *ir, int id) {
  const sf_op_def *op = ir->ops[id];
  int deg, nd = ir->ndata[id];
  const int *e = sf_ir_edges(ir, id, &deg);
  uint64_t h = mix((uintptr_t)op, (uint64_t)nd);
  for (int k = 0; k < nd; k++) h = mix(h, (uint64_t)resolved(ir, e[k]));
  uint64_t c = 0; /* control inputs are a set */
  for (int k = nd; k < deg; k++) c += mix(7, (uint64_t)resolved(ir, e[k]));
  h = mix(h, c);
  if (op->nattrs) {
    const sf_node *n = ir->nodes[id - 1];
    for (int i = 0; i < op->nattrs; i++) h = hash_attr(h, &op->attrs[i], &n->attrs[i]);
  }
  const sf_tensor *v = ir->values[id];
  return v ? hash_bytes(mix(h, v->dtype), v->data, (size_t)v->n * sf_dtype_size(v->dtype)) : h;
}

/* Node id's path in the node table: its first data input (resolved) picks the two home
 * slots, the hash one of them. */
static size_t node_home(const sf_ir *ir, int id, uint64_t h) {
  int deg;
  const int *e = sf_ir_edges(ir, id, &deg);
  return 2 * (size_t)resolved(ir, e[0]) + (size_t)(h >> 63);
}

/* The earlier equivalent node, or 0 after inserting id (whose hash is h): -1 when the
 * spill table cannot grow. */
static int find_or_insert(sf_ir *ir, tables *t, int id, uint64_t h) {
  if (ir->ndata[id] == 0) return spill_find_or_insert(ir, &t->spill, id, h);
  uint32_t tag = (uint32_t)h;
  slot *s = t->node.s + node_home(ir, id, h);
  for (int k = 0; k < PROBES; k++) {
    if (!s[k].id) {
      s[k] = (slot){id, tag};
      return 0;
    }
    if (s[k].tag == tag && equivalent(ir->nodes[s[k].id - 1], ir->nodes[id - 1])) return s[k].id;
  }
  return spill_find_or_insert(ir, &t->spill, id, h);
}

/* Dedups the live nodes in program order: a node's inputs are final when it is seen. One
 * walk: with the node table homed by input its slots are cached already, and prefetching
 * the constants' values and the spill table's slots too (which paid 13% at 10^6 nodes when
 * every slot was a miss) cost 20% there since. The spill table starts with room for the
 * nodes without data inputs. */
sf_status sf_pass_cse(sf_ir *ir, const sf_pass_args *a, sf_error *err) {
  (void)a;
  int *ids = sf_ir_scratch(ir, SF_SCRATCH_IDS);
  int n = ids ? sf_ir_program_order(ir, ids) : 0;
  size_t spill = 0;
  for (int i = 0; i < n; i++) spill += ir->ndata[ids[i]] == 0;
  tables t = {{NULL, 0, 0}, {NULL, 0, 0}};
  sf_status st = SF_OK;
  if (!ids || !table_init(ir, &t.node, 2 * ((size_t)ir->n + 1) + PROBES) || !table_init(ir, &t.spill, 2 * spill + 16))
    st = sf_error_set(err, SF_ENOMEM, "out of memory");
  for (int i = 0; st == SF_OK && i < n; i++) {
    int id = ids[i], same;
    /* the node SF_IR_AHEAD places on: a node whose input was merged is copied to be rewritten
     * (sf_ir_resolve), a cache miss from 10^5 nodes (5% of a run there, nothing at 10^4) */
    if (i + SF_IR_AHEAD < n) sf_prefetch_lines(ir->nodes[ids[i + SF_IR_AHEAD] - 1], 2); /* 120 bytes */
    if (!sf_ir_resolve(ir, id)) st = sf_error_set(err, SF_ENOMEM, "out of memory");
    else if (ir->ops[id]->flags & SF_OPF_STATEFUL) continue;
    else if ((same = find_or_insert(ir, &t, id, node_hash(ir, id))) < 0) st = sf_error_set(err, SF_ENOMEM, "out of memory");
    else if (same) sf_ir_forward(ir, id, same);
  }
  sf_ir_resolve_outputs(ir);
  table_free(&t.node);
  table_free(&t.spill);
  return st;
}
