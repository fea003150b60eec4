/* test_context.c — the context stack: the eager bottom frame stays, enter/leave nest,
 * traced function frames chain stateful ops (and only they do), eager frames run ops at
 * once, random ops get their seed pair and its provenance in the one call that adds them,
 * and kernels read the pair once, when instantiated. */
#include <criterion/criterion.h>

#include "engine/context.h"

typedef struct fixture {
  sf_eager E;
  sf_runtime rt;
  sf_context c;
  sf_error err;
} fixture;

static void open_fixture(fixture *f) {
  memset(f, 0, sizeof *f);
  cr_assert_eq(sf_eager_init(&f->E, NULL), SF_OK);
  cr_assert_eq(sf_context_init(&f->c, &f->E, &f->rt, NULL, &f->err), SF_OK);
}

static void close_fixture(fixture *f) {
  sf_context_free(&f->c);
  sf_eager_free(&f->E);
  sf_runtime_free(&f->rt);
}

static sf_node *shape_const(fixture *f) {
  sf_tensor *t = sf_tensor_new(SF_INT32, &(sf_shape){1, {1}}, NULL);
  sf_tensor_set(t, 0, 3);
  sf_node *n;
  cr_assert_eq(sf_context_add_const(&f->c, t, "shape", 7, &n, &f->err), SF_OK, "%s", f->err.msg);
  sf_tensor_unref(t);
  return n;
}

Test(context, frames_nest_and_the_eager_bottom_frame_stays) {
  fixture f;
  open_fixture(&f);
  sf_graph *g = sf_graph_new(false), *fn = sf_graph_new(true);
  cr_assert(f.c.eager);
  cr_assert_eq(f.c.graph, f.E.g);
  cr_assert_eq(sf_context_enter_graph(&f.c, g, NULL), SF_OK);
  cr_assert(!f.c.eager);
  cr_assert_eq(f.c.graph, g);
  cr_assert_eq(sf_context_enter_graph(&f.c, fn, NULL), SF_OK);
  cr_assert_eq(f.c.frames[f.c.depth - 1].kind, SF_CTX_FUNCTION);
  cr_assert_eq(sf_context_enter_eager(&f.c, NULL), SF_OK);
  cr_assert(f.c.eager);
  sf_context_leave(&f.c);
  cr_assert_eq(f.c.graph, fn);
  sf_context_leave(&f.c);
  sf_context_leave(&f.c);
  sf_context_leave(&f.c); /* the bottom frame is never left */
  cr_assert(f.c.eager);
  cr_assert_eq(f.c.graph, f.E.g);
  cr_assert_eq(f.c.depth, 1);
  cr_assert_eq(sf_context_new_graph_index(&f.c), 1);
  cr_assert_eq(sf_context_new_graph_index(&f.c), 2);
  sf_graph_free(g);
  sf_graph_free(fn);
  close_fixture(&f);
}

Test(context, a_random_op_gets_its_seeds_and_provenance_in_one_call) {
  fixture f;
  open_fixture(&f);
  sf_node *shape = shape_const(&f), *r;
  sf_seed_pair seeds = {{1234, 7}, {{SF_SEED_GLOBAL, 0}, {SF_SEED_EAGER_STREAM, 2}}};
  sf_op_spec o = {.op = "RandomStandardNormal", .name = "r", .in = &shape->id, .nin = 1, .seeds = &seeds, .line = 9};
  cr_assert_eq(sf_context_add(&f.c, &o, &r, &f.err), SF_OK, "%s", f.err.msg);
  cr_assert_eq(sf_node_attr(r, "seed")->i, 1234);
  cr_assert_eq(sf_node_attr(r, "seed2")->i, 7);
  cr_assert_eq(sf_node_attr(r, "seed2")->origin.kind, SF_SEED_EAGER_STREAM);
  cr_assert_eq(sf_node_attr(r, "seed2")->origin.detail, 2);
  cr_assert_eq(r->line, 9);
  cr_assert_eq(shape->line, 7);
  /* An eager frame ran it: the value is there. */
  cr_assert_not_null(sf_eager_value(&f.E, r->id));
  sf_kstate k;
  sf_kstate_init(&k, r);
  cr_assert(k.seeded);
  cr_assert_eq(k.seed, 1234u);
  cr_assert_eq(k.seed2, 7u);
  cr_assert_eq(k.seed_origin[0].kind, SF_SEED_GLOBAL);
  sf_kstate_init(&k, shape);
  cr_assert(!k.seeded);
  close_fixture(&f);
}

Test(context, only_traced_function_frames_chain_stateful_ops) {
  fixture f;
  open_fixture(&f);
  sf_graph *g = sf_graph_new(false), *fn = sf_graph_new(true);
  sf_seed_pair seeds = {{1, 2}, {{SF_SEED_OP, 0}, {SF_SEED_OP, 0}}};
  for (int k = 0; k < 2; k++) {
    sf_graph *target = k ? fn : g;
    cr_assert_eq(sf_context_enter_graph(&f.c, target, NULL), SF_OK);
    sf_node *shape = shape_const(&f), *a, *b;
    sf_op_spec o = {.op = "RandomUniform", .in = &shape->id, .nin = 1, .seeds = &seeds};
    cr_assert_eq(sf_context_add(&f.c, &o, &a, &f.err), SF_OK, "%s", f.err.msg);
    cr_assert_eq(sf_context_add(&f.c, &o, &b, &f.err), SF_OK, "%s", f.err.msg);
    cr_assert_eq(b->nctrl, k ? 1 : 0);
    if (k) cr_assert_eq(b->ctrl[0], a->id);
    cr_assert_null(sf_eager_value(&f.E, b->id)); /* graph frames do not run ops */
    sf_context_leave(&f.c);
  }
  sf_graph_free(g);
  sf_graph_free(fn);
  close_fixture(&f);
}
