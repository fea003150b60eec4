/* test_bigmem.c — the huge-page arrays of big graphs (engine/bigmem.c), the arena's doubling
 * chunks that use them, and a pass pipeline on a graph big enough for every IR array and the
 * CSE table to be one: same values as the graph run without passes. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/arena.h"
#include "engine/bigmem.h"
#include "engine/exec.h"
#include "passes/passes.h"

static bool all_zero(const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i]) return false;
  return true;
}

Test(bigmem, arrays_are_zeroed_writable_and_big_ones_huge_page_aligned) {
  static const size_t sizes[] = {1, 4096, SF_BIGMEM_MIN - 1, SF_BIGMEM_MIN, SF_BIGMEM_MIN + 1, (2u << 20) + 3, 5u << 20};
  for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
    unsigned char *p = sf_big_calloc(sizes[i], 1);
    cr_assert(p, "size %zu", sizes[i]);
    cr_assert(all_zero(p, sizes[i]), "size %zu not zeroed", sizes[i]);
    if (sizes[i] >= SF_BIGMEM_MIN) cr_assert_eq((uintptr_t)p % (2u << 20), 0, "size %zu", sizes[i]);
    memset(p, 0xA5, sizes[i]);
    cr_assert_eq(p[sizes[i] - 1], 0xA5);
    sf_big_free(p, sizes[i]);
    unsigned char *q = sf_big_alloc(sizes[i]);
    cr_assert(q);
    memset(q, 0x5A, sizes[i]);
    cr_assert_eq(q[0], 0x5A);
    sf_big_free(q, sizes[i]);
  }
  cr_assert_null(sf_big_calloc(SIZE_MAX / 2, 4), "overflow");
  sf_big_free(NULL, 1 << 30); /* a no-op */
}

/* Blocks of every size through the doubling chunks (64 KiB .. 2 MiB) and past them: every
 * block keeps its own bytes, zeroed when handed out. */
Test(bigmem, arena_keeps_every_block_across_doubling_chunks) {
  enum { N = 120000 };
  sf_arena a = {0};
  unsigned char **blk = malloc(N * sizeof *blk);
  size_t *len = malloc(N * sizeof *len);
  cr_assert(blk && len);
  for (int i = 0; i < N; i++) {
    len[i] = i == N / 2 ? (size_t)20 << 20 : (size_t)(i * 7919 % 251) + 1;
    blk[i] = sf_arena_alloc(&a, len[i]);
    cr_assert(blk[i]);
    cr_assert(all_zero(blk[i], len[i]), "block %d not zeroed", i);
    memset(blk[i], i & 0xff, len[i]);
  }
  char *s = sf_arena_strdup(&a, "after the big ones");
  for (int i = 0; i < N; i++)
    for (size_t k = 0; k < len[i]; k += 97) cr_assert_eq(blk[i][k], i & 0xff, "block %d byte %zu", i, k);
  cr_assert_str_eq(s, "after the big ones");
  sf_arena_free(&a);
  free(blk);
  free(len);
}

/* An arena with a budget charges each chunk (header included) and refuses the chunk that
 * would pass it, saying so (over); chunks taken before it had one are not charged, and
 * sf_arena_free gives back exactly what it charged. */
Test(bigmem, arena_charges_its_chunks_to_a_budget) {
  sf_arena a = {0};
  cr_assert(sf_arena_alloc(&a, 100)); /* a 64 KiB chunk, before the budget */
  sf_budget *b = sf_budget_new(1 << 20);
  cr_assert(b);
  sf_budget_add(b, 1000); /* something else's */
  a.budget = b;
  int n = 0;
  while (sf_arena_alloc(&a, 30000)) n++;
  cr_assert(a.over);
  /* chunks of 128, 256 and 512 KiB fit in 1 MiB less 1000 bytes; the next one (1 MiB) not:
   * the first chunk's room takes 2 blocks, each later one 4, 8 and 17 */
  cr_expect_eq(n, 2 + 4 + 8 + 17, "%d blocks", n);
  cr_expect_eq(a.charged, (128 + 256 + 512) << 10);
  cr_expect_eq(sf_budget_used(b), 1000 + a.charged);
  sf_arena_free(&a);
  cr_expect_eq(sf_budget_used(b), 1000);
  sf_budget_unref(b);
}

/* ---- a big graph ---- */

static int add(sf_graph *g, const char *op, const int *in, int nin) {
  sf_node *n;
  sf_error err = {0};
  cr_assert_eq(sf_graph_add(g, op, NULL, in, nin, NULL, &n, &err), SF_OK, "%s: %s", op, err.msg);
  return n->id;
}

static int constant(sf_graph *g, double v0, double v1) {
  sf_tensor *t = sf_tensor_new(SF_FLOAT32, &(sf_shape){1, {2}}, NULL);
  sf_tensor_set(t, 0, v0);
  sf_tensor_set(t, 1, v1);
  sf_node *c;
  cr_assert_eq(sf_graph_add_const(g, NULL, t, &c, NULL), SF_OK);
  sf_tensor_unref(t);
  return c->id;
}

enum { BLOCKS = 15000, DISTINCT = 13 };

/* x = random_normal([2]), then BLOCKS blocks of 10 nodes with work for fold (c + c2), cse
 * (c2 equal to c, equal constants across blocks), arith (x * 1, -(-x)):
 * x = ((-(-(x * 1 + c)) + c2) + (c + c2)) * 0.5. */
static sf_graph *big_graph(int *x0, int *fetch) {
  sf_graph *g = sf_graph_new(false);
  sf_tensor *shape = sf_tensor_new(SF_INT32, &(sf_shape){1, {1}}, NULL);
  sf_tensor_set(shape, 0, 2);
  sf_node *sh;
  cr_assert_eq(sf_graph_add_const(g, "shape", shape, &sh, NULL), SF_OK);
  sf_tensor_unref(shape);
  const sf_op_def *rn = sf_op_lookup("RandomStandardNormal");
  sf_attr_value at[3] = {rn->attrs[0].dflt, rn->attrs[1].dflt, rn->attrs[2].dflt};
  at[0].i = 7;
  at[1].i = 11;
  sf_node *r;
  cr_assert_eq(sf_graph_add(g, "RandomStandardNormal", NULL, &sh->id, 1, at, &r, NULL), SF_OK);
  int x = *x0 = r->id;
  for (int i = 0; i < BLOCKS; i++) {
    double v = i % DISTINCT;
    int c = constant(g, v, v / 4 + 1), one = constant(g, 1, 1), c2 = constant(g, v, v / 4 + 1);
    int m = add(g, "Mul", (int[]){x, one}, 2), s = add(g, "AddV2", (int[]){m, c}, 2);
    int n1 = add(g, "Neg", &s, 1), n2 = add(g, "Neg", &n1, 1);
    int f = add(g, "AddV2", (int[]){c, c2}, 2), t = add(g, "AddV2", (int[]){n2, c2}, 2);
    int u = add(g, "AddV2", (int[]){t, f}, 2);
    x = add(g, "Mul", (int[]){u, constant(g, 0.5, 0.5)}, 2);
  }
  *fetch = x;
  return g;
}

static sf_tensor *run(sf_graph *g, int fetch, const char *passes) {
  sf_run_options o = {.passes = passes};
  sf_pass_planner plan;
  sf_error err = {0};
  cr_assert_eq(sf_pass_planner_init(&plan, &o, false, &err), SF_OK, "%s", err.msg);
  sf_runtime rt = {.opt = &o, .planner = &plan.base};
  sf_session s;
  sf_session_init(&s, g, 0);
  sf_tensor *out = NULL;
  cr_assert_eq(sf_session_run(&s, &rt, &fetch, 1, NULL, 0, &out, NULL, &err), SF_OK, "%s", err.msg);
  sf_session_free(&s);
  return out;
}

Test(bigmem, pipeline_on_a_big_graph_gives_the_unoptimized_values, .timeout = 120) {
  int x0, fetch;
  sf_graph *g = big_graph(&x0, &fetch);
  cr_assert_gt(g->n, 140000);
  sf_tensor *start = run(g, x0, ""), *plain = run(g, fetch, ""), *passed = run(g, fetch, NULL);
  cr_assert(start && plain && passed);
  for (int k = 0; k < 2; k++) { /* the blocks in float32, one rounding per op */
    float x = ((const float *)start->data)[k];
    for (int i = 0; i < BLOCKS; i++) {
      float v = (float)(i % DISTINCT), c = k ? v / 4 + 1 : v;
      x = ((x + c) + c + (c + c)) * 0.5f;
    }
    cr_assert_eq(((const float *)plain->data)[k], x, "element %d", k);
  }
  cr_assert(sf_tensor_bits_equal(plain, passed));
  sf_ir ir;
  sf_runtime rt = {0}; /* fold runs kernels with it */
  sf_error err = {0};
  cr_assert_eq(sf_ir_init(&ir, g, 0, &fetch, 1, NULL, 0, &rt, NULL, &err), SF_OK);
  sf_pipeline p;
  cr_assert_eq(sf_pipeline_parse(NULL, false, false, &p, &err), SF_OK);
  sf_run_options o = {.verify_each = true};
  cr_assert_eq(sf_pipeline_run(&p, &ir, &o, &err), SF_OK, "%s", err.msg);
  int live = 0;
  for (int i = 0; i < ir.n; i++) live += ir.nodes[i] != NULL;
  /* per block: AddV2(x, c), AddV2(., c), AddV2(., 2c), Mul(., 0.5); once: the constants c and
   * 2c (DISTINCT values each), 0.5, and the random op with its shape */
  cr_assert_eq(live, 4 * BLOCKS + 2 * DISTINCT + 1 + 2, "live nodes %d", live);
  sf_ir_free(&ir);
  sf_tensor_unref(start);
  sf_tensor_unref(plain);
  sf_tensor_unref(passed);
  sf_graph_free(g);
}

/* A freed big mapping is kept for the next one of its size: sf_big_alloc may hand back the
 * old bytes, sf_big_calloc must not. */
Test(bigmem, a_kept_mapping_is_cleared_for_calloc) {
  enum { SIZE = (4 << 20) + 100 };
  unsigned char *p = sf_big_alloc(SIZE);
  cr_assert_not_null(p);
  memset(p, 0xA5, SIZE);
  sf_big_free(p, SIZE);
  unsigned char *q = sf_big_calloc(SIZE, 1);
  cr_assert_not_null(q);
  for (size_t i = 0; i < SIZE; i += 4093) cr_assert_eq(q[i], 0, "byte %zu", i);
  cr_assert_eq(q[SIZE - 1], 0);
  memset(q, 0x5A, SIZE);
  sf_big_free(q, SIZE);
  void *many[6]; /* more than the cache keeps: some are unmapped on their way in */
  for (int i = 0; i < 6; i++) cr_assert_not_null(many[i] = sf_big_calloc(1, SIZE));
  for (int i = 0; i < 6; i++) cr_assert_eq(((unsigned char *)many[i])[SIZE / 2], 0);
  for (int i = 0; i < 6; i++) sf_big_free(many[i], SIZE);
}
