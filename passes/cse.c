/* cse.c — common subexpression elimination: a stateless node equal to an earlier one (op,
 * attributes, inputs, control inputs, constant value) is replaced by it
 * (grappler/optimizers/common_subgraph_elimination.cc, CanDedup: never stateful ops).
 * Two identical random_normal calls stay two; stateless ops with equal seeds merge. */
#include "passes.h"
#include "engine/bigmem.h"

#include <stdlib.h>
#include <string.h>

static uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h * 0xff51afd7ed558ccdull;
}

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 0x100000001b3ull;
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

static uint64_t node_hash(const sf_node *n) {
  uint64_t h = mix((uintptr_t)n->op, (uint64_t)n->ninputs);
  for (int k = 0; k < n->ninputs; k++) h = mix(h, (uint64_t)n->inputs[k]);
  uint64_t c = 0; /* control inputs are a set */
  for (int k = 0; k < n->nctrl; k++) c += mix(7, (uint64_t)n->ctrl[k]);
  h = mix(h, c);
  for (int i = 0; i < n->op->nattrs; i++) h = hash_attr(h, &n->op->attrs[i], &n->attrs[i]);
  if (n->value) h = hash_bytes(mix(h, n->value->dtype), n->value->data, (size_t)n->value->n * sf_dtype_size(n->value->dtype));
  return h;
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

/* Open addressing with the id and the hash's high half side by side: one cache line per
 * probe (a million nodes make a table far bigger than the caches; sf_big_calloc puts it in
 * huge pages, so a probe also costs no page walk). */
typedef struct slot {
  int id;                   /* 0 = empty */
  uint32_t tag;             /* hash >> 32 */
} slot;

typedef struct table {
  slot *s;
  size_t mask;
} table;

/* The earlier equivalent node, or 0 after inserting n. */
static int find_or_insert(const sf_ir *ir, table *t, const sf_node *n) {
  uint64_t h = node_hash(n);
  uint32_t tag = (uint32_t)(h >> 32);
  size_t i = (size_t)h & t->mask;
  for (; t->s[i].id; i = (i + 1) & t->mask)
    if (t->s[i].tag == tag && equivalent(ir->nodes[t->s[i].id - 1], n)) return t->s[i].id;
  t->s[i] = (slot){n->id, tag};
  return 0;
}

sf_status sf_pass_cse(sf_ir *ir, const sf_pass_args *a, sf_error *err) {
  (void)a;
  size_t cap = 16;
  while (cap < (size_t)ir->n * 2) cap *= 2;
  table t = {sf_big_calloc(cap, sizeof *t.s), cap - 1};
  int *ids = sf_ir_scratch(ir, SF_SCRATCH_IDS);
  sf_status st = t.s && ids ? SF_OK : sf_error_set(err, SF_ENOMEM, "out of memory");
  int n = st == SF_OK ? sf_ir_program_order(ir, ids) : 0;
  for (int i = 0; st == SF_OK && i < n; i++) { /* program order: inputs are final when seen */
    sf_node *node = sf_ir_resolve(ir, ids[i]);
    if (!node) st = sf_error_set(err, SF_ENOMEM, "out of memory");
    if (!node || node->op->flags & SF_OPF_STATEFUL) continue;
    int same = find_or_insert(ir, &t, node);
    if (same) sf_ir_forward(ir, node->id, same);
  }
  sf_ir_resolve_outputs(ir);
  sf_big_free(t.s, cap * sizeof *t.s);
  return st;
}
