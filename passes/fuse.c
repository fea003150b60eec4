/* fuse.c — MatMul followed by a bias add (AddV2 with a bias vector, or BiasAdd) and
 * optionally Relu/Sigmoid/Tanh becomes one _FusedMatMul node (grappler/optimizers/
 * remapper.cc FindContractionWithBiasAndActivation). Its kernel (ops/nn.c) runs the same
 * kernels in the same order on one node, so results are bitwise identical and the name
 * stays plain. */
#include "passes.h"
#include "ops/ops.h"

#include <stdlib.h>
#include <string.h>

static const sf_op_def *const activations[] = {&sf_op_Relu, &sf_op_Sigmoid, &sf_op_Tanh};

/* The activation's op name (the fused node's attribute), or NULL. */
static const char *activation_of(const sf_node *n) {
  for (size_t i = 0; i < sizeof activations / sizeof *activations; i++)
    if (n->op == activations[i] && n->ninputs == 1 && !n->nctrl) return n->op->name;
  return NULL;
}

/* ---- the pass ---- */

typedef struct users {
  int *count;               /* data + control users, +1 per fetch/target */
  int *sole;                /* the user when count == 1 (through a data or a control edge:
                             * bias_input and activation_of reject a user with control inputs) */
} users;

static bool count_users(sf_ir *ir, users *u) {
  u->count = sf_ir_scratch(ir, SF_SCRATCH_USES);
  u->sole = sf_ir_scratch(ir, SF_SCRATCH_MARK);
  if (!u->count || !u->sole) return false;
  memset(u->sole, 0, ((size_t)ir->n + 1) * sizeof *u->sole);
  sf_ir_count_uses(ir, u->count);
  for (int id = 1; id <= ir->n; id++) {
    if (!ir->nodes[id - 1]) continue;
    int deg;
    const int *e = sf_ir_edges(ir, id, &deg);
    for (int k = 0; k < deg; k++) u->sole[e[k]] = id;
  }
  return true;
}

/* The node consuming id when it is id's only use, else NULL. */
static sf_node *sole_user(const sf_ir *ir, const users *u, int id) {
  return u->count[id] == 1 && u->sole[id] ? sf_ir_node(ir, u->sole[id]) : NULL;
}

/* The bias input index of add (AddV2 or BiasAdd consuming mm), or -1. */
static int bias_input(const sf_ir *ir, const sf_node *add, const sf_node *mm) {
  if (add->nctrl || add->ninputs != 2 || add->dtype != mm->dtype) return -1;
  bool addv2 = add->op == &sf_op_AddV2, biasadd = add->op == &sf_op_BiasAdd;
  if (!addv2 && !biasadd) return -1;
  int k = add->inputs[0] == mm->id ? 1 : 0;
  if (add->inputs[1 - k] != mm->id || (biasadd && k != 1)) return -1;
  const sf_node *b = ir->nodes[add->inputs[k] - 1];
  bool vector = b->shape_known && b->shape.rank == 1 && mm->shape_known && b->shape.dims[0] == mm->shape.dims[1];
  return vector && b->dtype == mm->dtype && add->shape_known && sf_shape_equal(&add->shape, &mm->shape) ? k : -1;
}

static sf_status fuse_at(sf_ir *ir, const users *u, sf_node *mm, sf_error *err) {
  sf_node *add = sole_user(ir, u, mm->id), *act = NULL;
  int k = add && !mm->nctrl && sf_dtype_is_float(mm->dtype) ? bias_input(ir, add, mm) : -1;
  if (k < 0) return SF_OK;
  sf_node *next = sole_user(ir, u, add->id);
  const char *fn = next ? activation_of(next) : NULL;
  if (fn) act = next;
  sf_node *last = act ? act : add;
  sf_attr_value attrs[4] = {mm->attrs[0], mm->attrs[1], {.s = add->op->name}, {.s = fn ? fn : ""}};
  int in[3] = {mm->inputs[0], mm->inputs[1], add->inputs[k]};
  sf_node *f = sf_ir_add(ir, &sf_op__FusedMatMul, last->name, in, 3, attrs, NULL, last->id);
  if (!f) return sf_error_set(err, SF_ENOMEM, "out of memory");
  f->dtype = last->dtype;
  f->shape = last->shape;
  f->shape_known = last->shape_known;
  int last_id = last->id, add_id = add->id;
  sf_ir_remove(ir, mm->id);
  if (act) sf_ir_remove(ir, add_id);
  sf_ir_forward(ir, last_id, f->id);
  return SF_OK;
}

sf_status sf_pass_fuse(sf_ir *ir, const sf_pass_args *a, sf_error *err) {
  (void)a;
  users u = {0};
  int *ids = sf_ir_scratch(ir, SF_SCRATCH_IDS);
  sf_status st = ids && count_users(ir, &u) ? SF_OK : sf_error_set(err, SF_ENOMEM, "out of memory");
  int n = st == SF_OK ? sf_ir_program_order(ir, ids) : 0;
  for (int i = 0; st == SF_OK && i < n; i++) {
    if (!ir->nodes[ids[i] - 1]) continue; /* fused away */
    sf_node *node = sf_ir_resolve(ir, ids[i]);
    if (!node) st = sf_error_set(err, SF_ENOMEM, "out of memory");
    else if (ir->ops[ids[i]] == &sf_op_MatMul) st = fuse_at(ir, &u, node, err);
  }
  sf_ir_resolve_outputs(ir);
  return st;
}
