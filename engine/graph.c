/* graph.c — building and validating the dataflow IR. Nodes are added with their inputs
 * already present, so creation order is a topological order; validation still checks
 * everything a graph built from C could get wrong. */
#include "graph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One name in use (ops.py's _names_in_use): the name lives in the graph's arena, and is the
 * string a node named by it points at. No allocation per name: a graph of a million nodes
 * keeps its names in one array and its arena. */
typedef struct sf_name_slot {
  const char *name; /* NULL: empty slot */
  uint32_t hash;
  int uses;
} sf_name_slot;

sf_graph *sf_graph_new(bool is_function) {
  sf_graph *g = calloc(1, sizeof *g);
  if (g) {
    g->is_function = is_function;
    g->scope = "";
  }
  return g;
}

void sf_graph_free(sf_graph *g) {
  if (!g) return;
  for (int i = 0; i < g->n; i++) sf_tensor_unref(g->nodes[i]->value);
  free(g->names);
  free(g->nodes);
  sf_arena_free(&g->arena);
  free(g);
}

sf_node *sf_graph_node(const sf_graph *g, int id) { return id >= 1 && id <= g->n ? g->nodes[id - 1] : NULL; }

static uint32_t name_hash(const char *s, size_t len) { /* FNV-1a */
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  h ^= h >> 16; /* murmur3's finalizer: "add_1", "add_2", … spread over the low bits */
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  return h ^ (h >> 16);
}

/* The slot of name (len bytes, hash h), or NULL when absent. */
static sf_name_slot *name_find(const sf_graph *g, const char *name, size_t len, uint32_t h) {
  if (!g->capnames) return NULL;
  uint32_t mask = (uint32_t)(g->capnames - 1);
  for (uint32_t j = h & mask; g->names[j].name; j = (j + 1) & mask)
    if (g->names[j].hash == h && strncmp(g->names[j].name, name, len) == 0 && !g->names[j].name[len])
      return &g->names[j];
  return NULL;
}

/* Whether name is "base_k" (k >= 1, written without leading zeros) with k below base's
 * uses: sf_graph_unique_name handed base_1 .. base_(uses-1) out (or skipped them as
 * taken), so such names are in use without a slot of their own. One slot per base name,
 * not one per node, keeps the table small (a million "add_k" nodes used to be a million
 * slots, cache misses on every insert). */
static bool implicitly_taken(const sf_graph *g, const char *name, size_t len) {
  size_t i = len;
  while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9') i--;
  if (i == len || i < 2 || name[i - 1] != '_' || name[i] == '0' || len - i > 9) return false;
  int k = 0;
  for (size_t d = i; d < len; d++) k = 10 * k + (name[d] - '0');
  const sf_name_slot *b = name_find(g, name, i - 1, name_hash(name, i - 1));
  return b && b->uses > k;
}

/* The slot of name (len bytes), created when absent (uses 0, or 1 when the name is
 * implicitly taken); NULL when out of memory. */
static sf_name_slot *name_entry(sf_graph *g, const char *name, size_t len) {
  uint32_t h = name_hash(name, len);
  sf_name_slot *e = name_find(g, name, len, h);
  if (e) return e;
  int uses = implicitly_taken(g, name, len) ? 1 : 0;
  if (2 * (g->nnames + 1) > g->capnames) { /* grow: rehash into twice the slots */
    int nc = g->capnames ? 2 * g->capnames : 64;
    sf_name_slot *ns = calloc((size_t)nc, sizeof *ns);
    if (!ns) return NULL;
    for (int i = 0; i < g->capnames; i++) {
      if (!g->names[i].name) continue;
      uint32_t j = g->names[i].hash & (uint32_t)(nc - 1);
      while (ns[j].name) j = (j + 1) & (uint32_t)(nc - 1);
      ns[j] = g->names[i];
    }
    free(g->names);
    g->names = ns;
    g->capnames = nc;
  }
  uint32_t mask = (uint32_t)(g->capnames - 1), j = h & mask;
  while (g->names[j].name) j = (j + 1) & mask;
  char *copy = sf_arena_strndup(&g->arena, name, len);
  if (!copy) return NULL;
  g->names[j] = (sf_name_slot){copy, h, uses};
  g->nnames++;
  return &g->names[j];
}

/* Writes "name_k" into buf (cap bytes, NUL-terminated, truncated as snprintf would);
 * returns the untruncated length. Hand-rolled: snprintf was a tenth of an eager op. */
static int suffixed(char *buf, size_t cap, const char *name, int k) {
  char digits[16];
  int nd = 0;
  do digits[nd++] = (char)('0' + k % 10), k /= 10;
  while (k);
  size_t len = strlen(name), total = len + 1 + (size_t)nd, o = 0;
  for (size_t i = 0; i < len && o + 1 < cap; i++) buf[o++] = name[i];
  if (o + 1 < cap) buf[o++] = '_';
  while (nd && o + 1 < cap) buf[o++] = digits[--nd];
  buf[o] = '\0';
  return (int)total;
}

/* ops.py Graph.unique_name: the first use keeps the name, later ones get _1, _2, …,
 * skipping names already taken. A first use returns the slot's own string; a suffixed
 * name (no slot: implicitly_taken answers for it) is written into buf (NAME_BUF bytes). */
enum { NAME_BUF = 540 };
static const char *unique_name(sf_graph *g, const char *base, char *buf, size_t *len) {
  char full[512]; /* scope "/" base, truncated to 511 bytes (no snprintf: see suffixed) */
  size_t slen = strlen(g->scope), blen = strlen(base), flen = 0;
  for (size_t i = 0; i < slen && flen < sizeof full - 1; i++) full[flen++] = g->scope[i];
  if (slen && flen < sizeof full - 1) full[flen++] = '/';
  for (size_t i = 0; i < blen && flen < sizeof full - 1; i++) full[flen++] = base[i];
  full[flen] = '\0';
  sf_name_slot *e = name_entry(g, full, flen);
  if (!e) return NULL;
  if (e->uses == 0) {
    e->uses = 1;
    *len = 0;
    return e->name;
  }
  for (;;) {
    int clen = suffixed(buf, NAME_BUF, e->name, e->uses);
    size_t n = clen < NAME_BUF ? (size_t)clen : NAME_BUF - 1;
    /* Below e's uses only through e itself: an explicit slot is the one way buf is taken. */
    const sf_name_slot *c = name_find(g, buf, n, name_hash(buf, n));
    e->uses++;
    if (!c) return *len = n, buf;
  }
}

const char *sf_graph_unique_name(sf_graph *g, const char *base) {
  char buf[NAME_BUF];
  size_t len;
  const char *name = unique_name(g, base, buf, &len);
  return name == buf ? sf_arena_strndup(&g->arena, buf, len) : name;
}

int sf_attr_index(const sf_op_def *op, const char *name) {
  for (int i = 0; i < op->nattrs; i++)
    if (strcmp(op->attrs[i].name, name) == 0) return i;
  return -1;
}

bool sf_op_seed_attrs(const sf_op_def *op, int idx[2]) {
  idx[0] = sf_attr_index(op, "seed");
  idx[1] = sf_attr_index(op, "seed2");
  return idx[0] >= 0 && idx[1] >= 0;
}

const sf_attr_value *sf_node_attr(const sf_node *n, const char *name) {
  int i = sf_attr_index(n->op, name);
  return i < 0 ? NULL : &n->attrs[i];
}

/* A node's block: the node, its attributes, its inputs and its name when suffixed (else
 * an empty string), in that order; at_name is the name's offset. */
static size_t block_at_name(const sf_op_def *op, int ninputs) {
  return sizeof(sf_node) + (size_t)op->nattrs * sizeof(sf_attr_value) + (size_t)ninputs * sizeof(int);
}

/* Free lists of released blocks by size class (16-byte steps), each block's first word
 * the next (sf_graph_release_node). */
static size_t size_class(size_t bytes) { return (bytes + 15) / 16; }

static unsigned char *block_alloc(sf_graph *g, size_t bytes) {
  size_t k = size_class(bytes);
  if (k < SF_GRAPH_FREE_CLASSES && g->free_blocks[k]) {
    unsigned char *b = g->free_blocks[k];
    memcpy(&g->free_blocks[k], b, sizeof(void *));
    memset(b, 0, bytes);
    return b;
  }
  return sf_arena_alloc(&g->arena, k * 16);
}

static sf_status add_node(sf_graph *g, const char *op_name, const char *name, const int *inputs, int ninputs,
                          const sf_attr_value *attrs, sf_tensor *value, sf_node **out, sf_error *err) {
  const sf_op_def *op = sf_op_lookup(op_name);
  if (!op) return sf_error_set(err, SF_ENAME, "unknown op '%s'", op_name);
  char buf[NAME_BUF];
  size_t nlen, given = name ? strlen(name) : 0;
  const char *uname = buf;
  if (given > 1 && name[given - 1] == '/') { /* ops.py name_from_scope_name: a scope's own name, as is */
    nlen = given - 1 < NAME_BUF - 1 ? given - 1 : NAME_BUF - 1;
    memcpy(buf, name, nlen);
    buf[nlen] = '\0';
  } else {
    uname = unique_name(g, name ? name : op_name, buf, &nlen);
  }
  if (!uname) return sf_error_set(err, SF_ENOMEM, "out of memory");
  if (op->ninputs >= 0 && ninputs != op->ninputs)
    return sf_error_set(err, SF_EGRAPH, "node '%s' (%s): expects %d inputs, got %d", uname, op->name,
                        op->ninputs, ninputs);
  for (int i = 0; i < ninputs; i++)
    if (!sf_graph_node(g, inputs[i]) || sf_graph_node_released(g, inputs[i]))
      return sf_error_set(err, SF_EGRAPH, "node '%s' (%s): input %d refers to missing node %d", uname,
                          op->name, i, inputs[i]);
  if (g->n == g->cap) {
    int nc = g->cap ? g->cap * 2 : 64;
    sf_node **nn = realloc(g->nodes, (size_t)nc * sizeof *nn);
    if (!nn) return sf_error_set(err, SF_ENOMEM, "out of memory");
    g->nodes = nn;
    g->cap = nc;
  }
  /* One block: the node, its attributes, its inputs, its name (a node with neither takes
   * 128 bytes, not 240: three padded allocations were most of an eager op's node memory;
   * the name in the block is recycled with it). */
  size_t at_attrs = sizeof(sf_node), at_in = at_attrs + (size_t)op->nattrs * sizeof(sf_attr_value);
  size_t at_name = block_at_name(op, ninputs);
  unsigned char *blk = block_alloc(g, at_name + nlen + 1);
  if (!blk) return sf_error_set(err, SF_ENOMEM, "out of memory");
  sf_node *n = (sf_node *)blk;
  sf_attr_value *av = (sf_attr_value *)(blk + at_attrs);
  int *in = (int *)(blk + at_in);
  char *nm = (char *)(blk + at_name);
  memcpy(nm, uname == buf ? buf : "", nlen + 1);
  if (uname == buf) uname = nm;
  for (int i = 0; i < op->nattrs; i++) av[i] = attrs ? attrs[i] : op->attrs[i].dflt;
  if (ninputs) memcpy(in, inputs, (size_t)ninputs * sizeof *in);
  n->id = g->n + 1;
  n->op = op;
  n->name = uname;
  n->attrs = av;
  n->kernel_of = 0;
  n->keras_logits = false;
  n->inputs = in;
  n->ninputs = ninputs;
  n->value = value;
  if (op->shape) {
    sf_status st = op->shape(g, n, err);
    if (st != SF_OK) {
      if (err && err->code == SF_OK) err->code = st;
      sf_error_prefix(err, "node '%s' (%s)", uname, op->name);
      return st;
    }
  }
  g->nodes[g->n++] = n;
  sf_tensor_ref(value);
  if (out) *out = n;
  return SF_OK;
}

/* What a released id's slot points at: no inputs, no value, an op no kernel runs. */
static const sf_op_def released_op = {.name = "(released)", .doc = "a node whose value nothing can use any more"};
static sf_node released_node = {.op = &released_op, .name = "(released)"};

bool sf_graph_node_released(const sf_graph *g, int id) { return sf_graph_node(g, id) == &released_node; }

void sf_graph_release_node(sf_graph *g, int id) {
  sf_node *n = sf_graph_node(g, id);
  if (!n || n == &released_node) return;
  sf_tensor_unref(n->value);
  g->nodes[id - 1] = &released_node;
  if (n->nctrl) return; /* its control list is a block of its own: keep both (never eager) */
  unsigned char *b = (unsigned char *)n;
  size_t at_name = block_at_name(n->op, n->ninputs), k = size_class(at_name + strlen((char *)b + at_name) + 1);
  if (k >= SF_GRAPH_FREE_CLASSES) return;
  memcpy(b, &g->free_blocks[k], sizeof(void *));
  g->free_blocks[k] = b;
}

sf_status sf_graph_add(sf_graph *g, const char *op_name, const char *name, const int *inputs,
                       int ninputs, const sf_attr_value *attrs, sf_node **out, sf_error *err) {
  return add_node(g, op_name, name, inputs, ninputs, attrs, NULL, out, err);
}

sf_status sf_graph_add_const(sf_graph *g, const char *name, sf_tensor *value, sf_node **out, sf_error *err) {
  return add_node(g, "Const", name, NULL, 0, NULL, value, out, err);
}

sf_status sf_graph_add_ctrl(sf_graph *g, sf_node *n, int ctrl_id, sf_error *err) {
  if (!sf_graph_node(g, ctrl_id))
    return sf_error_set(err, SF_EGRAPH, "node '%s': control input refers to missing node %d", n->name, ctrl_id);
  for (int i = 0; i < n->nctrl; i++)
    if (n->ctrl[i] == ctrl_id) return SF_OK;
  int *nc = sf_arena_grow(&g->arena, n->ctrl, (size_t)n->nctrl, (size_t)n->nctrl + 1, sizeof *nc);
  if (!nc) return sf_error_set(err, SF_ENOMEM, "out of memory");
  nc[n->nctrl++] = ctrl_id;
  n->ctrl = nc;
  return SF_OK;
}

/* Depth-first search for a cycle; colour 0 = new, 1 = on stack, 2 = done. Iterative so
 * a long chain cannot overflow the C stack. */
static sf_status find_cycle(const sf_graph *g, sf_error *err) {
  unsigned char *colour = calloc((size_t)g->n + 1, 1);
  int *stack = malloc(((size_t)g->n + 1) * sizeof *stack);
  int *next = calloc((size_t)g->n + 1, sizeof *next);
  sf_status st = SF_OK;
  if (!colour || !stack || !next) st = sf_error_set(err, SF_ENOMEM, "out of memory");
  for (int root = 1; st == SF_OK && root <= g->n; root++) {
    if (colour[root]) continue;
    int sp = 0;
    stack[sp++] = root;
    colour[root] = 1;
    while (sp && st == SF_OK) {
      const sf_node *n = g->nodes[stack[sp - 1] - 1];
      int k = next[n->id]++;
      if (k < n->ninputs + n->nctrl) {
        int m = k < n->ninputs ? n->inputs[k] : n->ctrl[k - n->ninputs];
        if (colour[m] == 1)
          st = sf_error_set(err, SF_EGRAPH, "cycle: node '%s' depends on itself through '%s'", n->name,
                            g->nodes[m - 1]->name);
        else if (!colour[m]) {
          colour[m] = 1;
          stack[sp++] = m;
        }
      } else {
        colour[n->id] = 2;
        sp--;
      }
    }
  }
  free(colour);
  free(stack);
  free(next);
  return st;
}

sf_status sf_graph_validate(const sf_graph *g, sf_error *err) {
  for (int i = 0; i < g->n; i++) {
    const sf_node *n = g->nodes[i];
    if (!n->op || sf_op_lookup(n->op->name) != n->op)
      return sf_error_set(err, SF_ENAME, "node '%s': unknown op", n->name);
    if (n->op->ninputs >= 0 && n->ninputs != n->op->ninputs)
      return sf_error_set(err, SF_EGRAPH, "node '%s' (%s): expects %d inputs, got %d", n->name, n->op->name,
                          n->op->ninputs, n->ninputs);
    for (int k = 0; k < n->ninputs + n->nctrl; k++) {
      int m = k < n->ninputs ? n->inputs[k] : n->ctrl[k - n->ninputs];
      if (!sf_graph_node(g, m))
        return sf_error_set(err, SF_EGRAPH, "node '%s' (%s): %s input refers to missing node %d", n->name,
                            n->op->name, k < n->ninputs ? "data" : "control", m);
    }
  }
  return find_cycle(g, err);
}

sf_status sf_broadcast_shape(const sf_shape *a, const sf_shape *b, sf_shape *out, sf_error *err) {
  sf_shape r = {.rank = a->rank > b->rank ? a->rank : b->rank};
  for (int i = 0; i < r.rank; i++) {
    int ia = a->rank - r.rank + i, ib = b->rank - r.rank + i;
    int64_t da = ia >= 0 ? a->dims[ia] : 1, db = ib >= 0 ? b->dims[ib] : 1;
    if (da != db && da != 1 && db != 1) {
      char sa[96], sb[96];
      return sf_error_set(err, SF_ESHAPE, "incompatible shapes %s and %s", sf_shape_str(a, sa, sizeof sa),
                          sf_shape_str(b, sb, sizeof sb));
    }
    r.dims[i] = da == 1 ? db : da;
  }
  *out = r;
  return SF_OK;
}

/* Offset in a broadcast operand of the output element with the given row-major index. */
int64_t sf_broadcast_offset(const sf_shape *out, const sf_shape *in, int64_t idx) {
  int64_t off = 0, stride = 1;
  for (int d = out->rank - 1; d >= 0; d--) {
    int64_t coord = idx % out->dims[d];
    idx /= out->dims[d];
    int id = in->rank - out->rank + d;
    if (id >= 0) {
      if (in->dims[id] != 1) off += coord * stride;
      stride *= in->dims[id];
    }
  }
  return off;
}

void sf_bcast_init(sf_bcast *it, const sf_shape *out, const sf_shape *a, const sf_shape *b) {
  *it = (sf_bcast){.rank = out->rank};
  const sf_shape *in[2] = {a, b};
  for (int k = 0; k < 2; k++) {
    int64_t stride = 1;
    for (int d = out->rank - 1; d >= 0; d--) {
      int id = in[k]->rank - out->rank + d;
      it->stride[k][d] = id >= 0 && in[k]->dims[id] != 1 ? stride : 0;
      if (id >= 0) stride *= in[k]->dims[id];
    }
  }
  for (int d = 0; d < out->rank; d++) it->dims[d] = out->dims[d];
}
