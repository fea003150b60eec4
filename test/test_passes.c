/* test_passes.c — the pass manager and every pass: pipeline strings and their located
 * errors, verification, the IR and DOT dumps, and what reordering does to draws: per-op
 * kernels never change, a shared Generator stream does unless control deps pin it. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* ---- program-level helpers ---- */

static sf_trace *run_opts(const char *text, const sf_run_options *o) {
  sf_error err = {0};
  sf_trace *t = th_run_text(text, o, &err);
  cr_assert(t, "%s mode, passes '%s': %d:%d: %s", sf_mode_name(o->mode), o->passes ? o->passes : "(default)", err.line,
            err.col, err.msg);
  return t;
}

static sf_trace *run(const char *text, sf_mode mode, const char *passes) {
  sf_run_options o = {.mode = mode, .passes = passes};
  return run_opts(text, &o);
}

static const sf_tensor *printed(const sf_trace *t, int i, int k) {
  const sf_trace_print *p = sf_trace_print_at(t, i);
  cr_assert(p && k < p->ntensors, "print %d tensor %d missing", i, k);
  return p->tensors[k];
}

static int count_op(const sf_trace *t, const char *op) {
  int n = 0;
  for (int i = 0; i < sf_trace_op_count(t); i++) n += strcmp(sf_trace_op_at(t, i)->op, op) == 0;
  return n;
}

/* ---- graph-level helpers ---- */

static int cnst(sf_graph *g, const char *name, sf_dtype dt, int n, const double *v) {
  sf_shape s = {.rank = 1, .dims = {n}};
  sf_tensor *t = sf_tensor_new(dt, &s, NULL);
  for (int i = 0; i < n; i++) sf_tensor_set(t, i, v[i]);
  sf_node *node;
  cr_assert_eq(sf_graph_add_const(g, name, t, &node, NULL), SF_OK);
  sf_tensor_unref(t);
  return node->id;
}

static int op(sf_graph *g, const char *type, const char *name, const int *in, int nin) {
  sf_node *n;
  sf_error err = {0};
  cr_assert_eq(sf_graph_add(g, type, name, in, nin, NULL, &n, &err), SF_OK, "%s: %s", type, err.msg);
  return n->id;
}

static int random_normal(sf_graph *g, int shape, int64_t seed, int64_t seed2) {
  const sf_op_def *d = sf_op_lookup("RandomStandardNormal");
  sf_attr_value a[3] = {d->attrs[0].dflt, d->attrs[1].dflt, d->attrs[2].dflt};
  a[0].i = seed;
  a[1].i = seed2;
  sf_node *n;
  cr_assert_eq(sf_graph_add(g, "RandomStandardNormal", "random_normal", &shape, 1, a, &n, NULL), SF_OK);
  return n->id;
}

static void ir_of(sf_ir *ir, sf_graph *g, const int *fetch, int nfetch) {
  sf_error err = {0};
  cr_assert_eq(sf_ir_init(ir, g, 0, fetch, nfetch, NULL, 0, NULL, NULL, &err), SF_OK, "%s", err.msg);
}

static void pipeline(sf_ir *ir, const char *text) {
  sf_pipeline p;
  sf_error err = {0};
  cr_assert_eq(sf_pipeline_parse(text, false, false, &p, &err), SF_OK, "%s", err.msg);
  sf_run_options o = {.verify_each = true};
  cr_assert_eq(sf_pipeline_run(&p, ir, &o, &err), SF_OK, "%s", err.msg);
}

static int live(const sf_ir *ir) {
  int n = 0;
  for (int i = 0; i < ir->n; i++) n += ir->nodes[i] != NULL;
  return n;
}

static char *dump(void (*fn)(const sf_ir *, FILE *, const char *), const sf_ir *ir, const char *after) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  fn(ir, f, after);
  fclose(f);
  return buf;
}

/* ---- pipelines ---- */

static void expect_error(const char *pipeline, const char *msg) {
  sf_error err = {0};
  cr_assert_eq(sf_passes_check(pipeline, &err), SF_EINVAL, "'%s' should fail", pipeline);
  cr_assert_str_eq(err.msg, msg);
}

Test(passes, pipeline_errors_name_the_pass_and_column) {
  expect_error("prune,foo", "unknown pass 'foo' at column 7");
  expect_error("schedule=bogus", "bad parameter 'bogus' for pass 'schedule' at column 10: expected program, dfs, bfs, "
                                 "reverse, cost or random:SEED");
  expect_error("prune,fold,schedule=random:x", "bad parameter 'random:x' for pass 'schedule' at column 21: expected "
                                               "program, dfs, bfs, reverse, cost or random:SEED");
  expect_error("prune=3", "pass 'prune' takes no parameter, got '3' at column 7");
  expect_error("prune,,cse", "empty pass name at column 7");
  expect_error("help", "pipeline 'help' lists the passes (sf_passes_write_help) and runs none");
}

Test(passes, valid_pipelines_parse) {
  const char *ok[] = {"", "prune", "prune,fold,cse,arith,fuse,schedule=dfs", "schedule=random:42", "schedule=cost",
                      "autodeps,schedule=reverse", "schedule=bfs,schedule=program"};
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    sf_error err = {0};
    cr_expect_eq(sf_passes_check(ok[i], &err), SF_OK, "'%s': %s", ok[i], err.msg);
  }
}

Test(passes, deterministic_adds_autodeps_before_the_schedule) {
  sf_pipeline p;
  cr_assert_eq(sf_pipeline_parse("prune,schedule=reverse", false, true, &p, NULL), SF_OK);
  cr_assert_eq(p.n, 3);
  sf_pipeline q;
  cr_assert_eq(sf_pipeline_parse("prune,autodeps,schedule", false, true, &q, NULL), SF_OK);
  cr_assert_eq(q.n, 3);
  cr_assert_eq(p.pass[1], q.pass[1]);
}

Test(passes, help_lists_every_pass_with_its_description) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  sf_passes_write_help(f);
  fclose(f);
  const char *names[] = {"prune", "fold", "cse", "arith", "fuse", "autodeps", "schedule"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) cr_expect(strstr(buf, names[i]), "%s missing", names[i]);
  cr_expect(strstr(buf, "program|dfs|bfs|reverse|cost|random:SEED"));
  free(buf);
}

Test(passes, a_bad_pipeline_fails_the_run_with_its_message) {
  sf_error err = {0};
  sf_program *p = sf_program_parse("<test>", "x = tf.constant([1.0])\nprint(x)\n", &err);
  sf_run_options o = {.mode = SF_MODE_GRAPH, .passes = "prune,bogus", .implicit_imports = true};
  sf_trace *t = NULL;
  cr_assert_eq(sf_run(p, &o, &t, &err), SF_EINVAL);
  cr_assert_str_eq(err.msg, "unknown pass 'bogus' at column 7");
  sf_trace_free(t);
  sf_program_free(p);
}

/* ---- each pass on a small graph ---- */

Test(passes, prune_keeps_only_what_the_fetch_needs) {
  sf_graph *g = sf_graph_new(false);
  int a = cnst(g, "a", SF_FLOAT32, 2, (double[]){1, 2}), b = cnst(g, "b", SF_FLOAT32, 2, (double[]){3, 4});
  int add = op(g, "AddV2", "add", (int[]){a, b}, 2);
  op(g, "Neg", "unused", &b, 1);
  sf_ir ir;
  ir_of(&ir, g, &add, 1);
  pipeline(&ir, "prune");
  cr_assert_eq(live(&ir), 3);
  cr_assert_null(sf_ir_node(&ir, 4));
  sf_ir_free(&ir);
  sf_graph_free(g);
}

Test(passes, fold_evaluates_constants_and_keeps_the_id) {
  sf_graph *g = sf_graph_new(false);
  int a = cnst(g, "a", SF_FLOAT32, 2, (double[]){1, 2}), b = cnst(g, "b", SF_FLOAT32, 2, (double[]){3, 4});
  int add = op(g, "AddV2", "add", (int[]){a, b}, 2);
  sf_ir ir;
  ir_of(&ir, g, &add, 1);
  pipeline(&ir, "fold");
  const sf_node *n = sf_ir_node(&ir, add);
  cr_assert_str_eq(n->op->name, "Const");
  cr_assert_str_eq(n->name, "ConstantFolding/add");
  cr_assert_eq(((float *)n->value->data)[1], 6.0f);
  cr_assert_eq(live(&ir), 1, "the folded inputs are swept");
  sf_ir_free(&ir);
  sf_graph_free(g);
}

Test(passes, fold_never_folds_a_stateful_or_random_op) {
  sf_graph *g = sf_graph_new(false);
  int shape = cnst(g, "shape", SF_INT32, 1, (double[]){3});
  int r = random_normal(g, shape, 1, 2);
  int seed = cnst(g, "seed", SF_INT32, 2, (double[]){1, 2});
  int sl = op(g, "StatelessRandomNormal", "stateless", (int[]){shape, seed}, 2);
  sf_ir ir;
  ir_of(&ir, g, (int[]){r, sl}, 2);
  pipeline(&ir, "fold");
  cr_assert_str_eq(sf_ir_node(&ir, r)->op->name, "RandomStandardNormal");
  cr_assert_str_eq(sf_ir_node(&ir, sl)->op->name, "StatelessRandomNormal");
  cr_assert_eq(live(&ir), 4);
  sf_ir_free(&ir);
  sf_graph_free(g);
}

Test(passes, cse_keeps_two_identical_random_normals_and_merges_stateless_ones) {
  sf_graph *g = sf_graph_new(false);
  int shape = cnst(g, "shape", SF_INT32, 1, (double[]){3});
  int r1 = random_normal(g, shape, 5, 6), r2 = random_normal(g, shape, 5, 6);
  int seed1 = cnst(g, "seed", SF_INT32, 2, (double[]){1, 2}), seed2 = cnst(g, "seed", SF_INT32, 2, (double[]){1, 2});
  int s1 = op(g, "StatelessRandomNormal", "s", (int[]){shape, seed1}, 2);
  int s2 = op(g, "StatelessRandomNormal", "s", (int[]){shape, seed2}, 2);
  sf_ir ir;
  ir_of(&ir, g, (int[]){r1, r2, s1, s2}, 4);
  pipeline(&ir, "cse");
  cr_assert_not_null(sf_ir_node(&ir, r1));
  cr_assert_not_null(sf_ir_node(&ir, r2), "two identical random_normal calls stay two");
  cr_assert_null(sf_ir_node(&ir, seed2), "equal constants merge");
  cr_assert_null(sf_ir_node(&ir, s2), "equal stateless random ops merge");
  cr_assert_eq(ir.fetch[3], s1);
  sf_ir_free(&ir);
  sf_graph_free(g);
}

/* cse looks a node up near its first input, and a hub's users beyond the few slots there in
 * a table of its own, grown as they come (it starts with room for the graph's constants):
 * 1000 users of one x, each twice. */
Test(passes, cse_merges_every_duplicate_user_of_a_hub) {
  enum { USERS = 1000 };
  sf_graph *g = sf_graph_new(false);
  int shape = cnst(g, "shape", SF_INT32, 1, (double[]){2});
  int x = random_normal(g, shape, 1, 1), w = x, first[USERS], again[USERS], fetch[2 * USERS];
  for (int i = 0; i < USERS; i++) {
    w = op(g, "Neg", "w", &w, 1);
    first[i] = op(g, "AddV2", "u", (int[]){x, w}, 2);
    again[i] = op(g, "AddV2", "v", (int[]){x, w}, 2);
    fetch[i] = again[i], fetch[USERS + i] = first[i];
  }
  sf_ir ir;
  ir_of(&ir, g, fetch, 2 * USERS);
  pipeline(&ir, "cse");
  for (int i = 0; i < USERS; i++) {
    cr_assert_null(sf_ir_node(&ir, again[i]), "user %d's duplicate merges", i);
    cr_assert_eq(ir.fetch[i], first[i]);
    cr_assert_not_null(sf_ir_node(&ir, first[i]));
  }
  cr_assert_eq(live(&ir), 2 + 2 * USERS); /* shape, x, the chain of Negs and the first users */
  sf_ir_free(&ir);
  sf_graph_free(g);
}

/* cse against the definition, on random graphs full of duplicates and hubs: walking in
 * program order, a node merges into the first earlier survivor with the same op, the same
 * (merged) inputs and the same value. */
Test(passes, cse_matches_a_pairwise_reference_on_random_graphs) {
  enum { N = 1500 };
  static const char *const ops[] = {"AddV2", "Mul", "Neg", "Const"};
  uint64_t r = 88172645463325252ull;
  for (int round = 0; round < 6; round++) {
    sf_graph *g = sf_graph_new(false);
    int ids[N], kind[N], in[N][2], val[N], rep[N], fetch[N];
    for (int i = 0; i < N; i++) {
      r ^= r << 13, r ^= r >> 7, r ^= r << 17;
      kind[i] = i < 4 ? 3 : (int)(r % 4);
      /* inputs: mostly recent nodes, often node 0..3 (hubs), from few distinct constants */
      for (int k = 0; k < 2; k++) {
        uint64_t q = r >> (8 + 20 * k);
        in[i][k] = i == 0 ? 0 : q % 3 == 0 ? (int)(q / 3 % (i < 4 ? i : 4)) : i - 1 - (int)(q / 3 % (i < 6 ? i : 6));
      }
      val[i] = (int)(r >> 50) % (round + 2);
      if (kind[i] == 3) ids[i] = cnst(g, "c", SF_FLOAT32, 2, (double[]){val[i], 1});
      else ids[i] = op(g, ops[kind[i]], "op", (int[]){ids[in[i][0]], ids[in[i][1]]}, kind[i] == 2 ? 1 : 2);
      fetch[i] = ids[i];
      /* the reference: first earlier survivor equal to i once inputs are merged */
      rep[i] = i;
      for (int j = 0; j < i && rep[i] == i; j++) {
        if (rep[j] != j || kind[j] != kind[i]) continue;
        bool same = kind[i] == 3 ? val[j] == val[i] : rep[in[j][0]] == rep[in[i][0]];
        if (kind[i] <= 1) same = same && rep[in[j][1]] == rep[in[i][1]];
        if (same) rep[i] = j;
      }
    }
    sf_ir ir;
    ir_of(&ir, g, fetch, N);
    pipeline(&ir, "cse");
    for (int i = 0; i < N; i++) {
      cr_assert_eq(ir.fetch[i], ids[rep[i]], "round %d node %d: fetch %d, reference %d", round, i, ir.fetch[i], ids[rep[i]]);
      cr_assert_eq(sf_ir_node(&ir, ids[i]) != NULL, rep[i] == i, "round %d node %d", round, i);
    }
    sf_ir_free(&ir);
    sf_graph_free(g);
  }
}

Test(passes, arith_removes_identities_and_redirects_fetches) {
  sf_graph *g = sf_graph_new(false);
  int shape = cnst(g, "shape", SF_INT32, 1, (double[]){2});
  int x = random_normal(g, shape, 1, 1);
  int one = cnst(g, "one", SF_FLOAT32, 2, (double[]){1, 1}), zero = cnst(g, "zero", SF_FLOAT32, 2, (double[]){0, 0});
  int mul = op(g, "Mul", "mul", (int[]){x, one}, 2);
  int add = op(g, "AddV2", "add", (int[]){zero, mul}, 2);
  int n1 = op(g, "Neg", "n1", &add, 1), n2 = op(g, "Neg", "n2", &n1, 1);
  int keep = op(g, "Mul", "keep", (int[]){x, zero}, 2);
  sf_ir ir;
  ir_of(&ir, g, (int[]){n2, keep}, 2);
  pipeline(&ir, "arith");
  cr_assert_eq(ir.fetch[0], x, "-(-(0 + x*1)) is x");
  cr_assert_null(sf_ir_node(&ir, mul));
  cr_assert_null(sf_ir_node(&ir, n1));
  cr_assert_null(sf_ir_node(&ir, one), "the unused 1 is swept");
  cr_assert_not_null(sf_ir_node(&ir, keep), "x*0 is not an identity");
  sf_ir_free(&ir);
  sf_graph_free(g);
}

Test(passes, fuse_makes_one_node_of_matmul_bias_and_activation) {
  if (!sf_op_lookup("Relu")) cr_skip_test("Relu is not registered");
  sf_graph *g = sf_graph_new(false);
  sf_tensor *xv = sf_tensor_new(SF_FLOAT32, &(sf_shape){2, {2, 3}}, NULL);
  sf_tensor *wv = sf_tensor_new(SF_FLOAT32, &(sf_shape){2, {3, 2}}, NULL);
  for (int i = 0; i < 6; i++) sf_tensor_set(xv, i, 0.1 * (i + 1) - 0.35), sf_tensor_set(wv, i, 0.3 - 0.17 * i);
  sf_node *xn, *wn;
  sf_graph_add_const(g, "x", xv, &xn, NULL);
  sf_graph_add_const(g, "w", wv, &wn, NULL);
  int b = cnst(g, "b", SF_FLOAT32, 2, (double[]){0.25, -0.5});
  int mm = op(g, "MatMul", "MatMul", (int[]){xn->id, wn->id}, 2);
  int add = op(g, "AddV2", "add", (int[]){mm, b}, 2);
  int relu = op(g, "Relu", "Relu", &add, 1);
  sf_ir ir;
  ir_of(&ir, g, &relu, 1);
  pipeline(&ir, "fuse");
  const sf_node *f = sf_ir_node(&ir, ir.fetch[0]);
  cr_assert_str_eq(f->op->name, "_FusedMatMul");
  cr_assert_str_eq(f->name, "Relu");
  cr_assert_gt(f->id, g->n, "a created node gets a fresh id");
  cr_assert_str_eq(sf_node_attr(f, "activation")->s, "Relu");
  cr_assert_eq(live(&ir), 4);
  sf_ir_free(&ir);
  /* Same bits as the unfused graph. */
  sf_runtime rt = {0};
  sf_tensor *got[2];
  const char *pipes[2] = {"", "fuse"};
  for (int k = 0; k < 2; k++) {
    sf_run_options o = {.passes = pipes[k]};
    rt.opt = &o;
    sf_pass_planner plan;
    cr_assert_eq(th_plan(&rt, &plan, NULL), SF_OK);
    sf_session s;
    sf_session_init(&s, g, 0);
    cr_assert_eq(sf_session_run(&s, &rt, &relu, 1, NULL, 0, &got[k], NULL, NULL), SF_OK);
    sf_session_free(&s);
  }
  cr_assert(sf_tensor_bits_equal(got[0], got[1]));
  sf_tensor_unref(got[0]);
  sf_tensor_unref(got[1]);
  sf_tensor_unref(xv);
  sf_tensor_unref(wv);
  sf_graph_free(g);
}

Test(passes, fused_matmul_plus_bias_gives_identical_bits_in_a_program) {
  const char *prog =
      "tf.random.set_seed(3)\n"
      "x = tf.random.normal([4, 5])\n"
      "w = tf.random.normal([5, 3])\n"
      "b = tf.constant([0.5, -0.25, 0.125])\n"
      "print(tf.matmul(x, w) + b)\n";
  sf_trace *plain = run(prog, SF_MODE_GRAPH, "prune"), *fused = run(prog, SF_MODE_GRAPH, "prune,fuse");
  cr_assert_eq(count_op(plain, "_FusedMatMul"), 0);
  cr_assert_eq(count_op(fused, "_FusedMatMul"), 1);
  cr_assert_eq(count_op(fused, "MatMul"), 0);
  cr_assert(sf_tensor_bits_equal(printed(plain, 0, 0), printed(fused, 0, 0)));
  sf_trace_free(plain);
  sf_trace_free(fused);
}

Test(passes, verify_names_a_dangling_input) {
  sf_graph *g = sf_graph_new(false);
  int a = cnst(g, "a", SF_FLOAT32, 1, (double[]){1});
  int n = op(g, "Neg", "neg", &a, 1);
  sf_ir ir;
  ir_of(&ir, g, &n, 1);
  sf_ir_remove(&ir, a);
  sf_error err = {0};
  cr_assert_eq(sf_ir_verify(&ir, "test", &err), SF_EINTERNAL);
  cr_assert_str_eq(err.msg, "verify after 'test': node 'neg' (Neg, id 2): data input refers to removed node 1");
  sf_ir_free(&ir);
  sf_graph_free(g);
}

Test(passes, verify_rejects_a_changed_seed) {
  sf_graph *g = sf_graph_new(false);
  int shape = cnst(g, "shape", SF_INT32, 1, (double[]){2});
  int r = random_normal(g, shape, 1, 2);
  sf_ir ir;
  ir_of(&ir, g, &r, 1);
  sf_node *n = sf_ir_mut(&ir, r);
  sf_attr_value *copy = sf_arena_alloc(&ir.arena, 3 * sizeof *copy);
  memcpy(copy, n->attrs, 3 * sizeof *copy);
  copy[1].i = 99;
  n->attrs = copy;
  sf_error err = {0};
  cr_assert_eq(sf_ir_verify(&ir, "reseed", &err), SF_EINTERNAL);
  cr_assert_str_eq(err.msg, "verify after 'reseed': node 'random_normal' (id 2) changed its seed attributes");
  sf_ir_free(&ir);
  sf_graph_free(g);
}

/* ---- dumps ---- */

static sf_graph *small_graph(int *fetch) {
  sf_graph *g = sf_graph_new(false);
  int shape = cnst(g, "shape", SF_INT32, 1, (double[]){2});
  int r = random_normal(g, shape, 1234, 3);
  int neg = op(g, "Neg", "Neg", &r, 1);
  sf_graph_add_ctrl(g, g->nodes[neg - 1], shape, NULL);
  *fetch = neg;
  return g;
}

Test(passes, ir_dump_is_stable_text) {
  int fetch;
  sf_graph *g = small_graph(&fetch);
  sf_ir ir;
  ir_of(&ir, g, &fetch, 1);
  pipeline(&ir, "schedule");
  char *text = dump(sf_ir_print, &ir, "schedule");
  cr_assert_str_eq(text,
                   "; ir graph 0, run 0, after schedule\n"
                   "; fetch: %3\n"
                   "; targets:\n"
                   "%1 = Const() name=\"shape\" dtype=int32 shape=(1,) value=[2]\n"
                   "%2 = RandomStandardNormal(%1) name=\"random_normal\" dtype=float32 shape=(2,) seed=1234 seed2=3 "
                   "dtype=float32\n"
                   "%3 = Neg(%2) ^%1 name=\"Neg\" dtype=float32 shape=(2,)\n"
                   "; schedule: %1 %2 %3\n\n");
  free(text);
  sf_ir_free(&ir);
  sf_graph_free(g);
}

Test(passes, dot_quotes_ids_and_highlights_random_ops) {
  int fetch;
  sf_graph *g = small_graph(&fetch);
  sf_ir ir;
  ir_of(&ir, g, &fetch, 1);
  pipeline(&ir, "schedule=reverse");
  char *text = dump(sf_ir_write_dot, &ir, "output");
  cr_assert_str_eq(text,
                   "  subgraph \"cluster_graph0_run0\" {\n"
                   "    graph [label=\"graph, run 0, after output\", labeljust=\"l\"];\n"
                   "    \"graph0_run0_n1\" [label=\"Const\\nid 1, slot 0\", tooltip=\"shape\"];\n"
                   "    \"graph0_run0_n2\" [label=\"RandomStandardNormal\\nid 2, slot 1\\nseed 1234\\nseed2 3\", tooltip=\"random_normal\", "
                   "style=\"filled\", fillcolor=\"#ffe8cc\", color=\"#d9480f\", penwidth=\"2\"];\n"
                   "    \"graph0_run0_n3\" [label=\"Neg\\nid 3, slot 2\", tooltip=\"Neg\"];\n"
                   "    \"graph0_run0_n1\" -> \"graph0_run0_n2\";\n"
                   "    \"graph0_run0_n2\" -> \"graph0_run0_n3\";\n"
                   "    \"graph0_run0_n1\" -> \"graph0_run0_n3\" [style=\"dashed\"];\n"
                   "  }\n");
  free(text);
  sf_ir_free(&ir);
  sf_graph_free(g);
}

Test(passes, print_after_all_and_dot_after_a_pass_reach_the_files) {
  char *ir_text = NULL, *dot_text = NULL;
  size_t l1 = 0, l2 = 0;
  FILE *irf = open_memstream(&ir_text, &l1), *dotf = open_memstream(&dot_text, &l2);
  sf_run_options o = {.mode = SF_MODE_GRAPH, .print_after = "all", .ir_out = irf, .dot_after = "cse", .dot_out = dotf};
  sf_trace *t = run_opts("x = tf.random.normal([2], seed=1)\nprint(x * 1.0)\n", &o);
  fclose(irf);
  fclose(dotf);
  const char *passes[] = {"after prune", "after fold", "after cse", "after arith", "after fuse", "after schedule"};
  for (size_t i = 0; i < sizeof passes / sizeof *passes; i++) cr_expect(strstr(ir_text, passes[i]), "%s", passes[i]);
  static const char head[] = "  subgraph \"cluster_graph0_run1\" {\n";
  cr_expect(strncmp(dot_text, head, strlen(head)) == 0, "%s", dot_text);
  cr_expect(strstr(dot_text, "after cse"));
  sf_trace_free(t);
  free(ir_text);
  free(dot_text);
}

/* ---- what reordering does to draws ---- */

static const char *const schedules[] = {"program", "dfs", "bfs", "reverse", "cost", "random:1", "random:2"};

Test(passes, every_schedule_gives_identical_draws_for_per_op_kernels) {
  const char *prog =
      "tf.random.set_seed(42)\n"
      "a = tf.random.normal([3])\n"
      "b = tf.random.uniform([2, 2])\n"
      "c = tf.random.truncated_normal([4], seed=7)\n"
      "d = a * 2.0 + tf.random.normal([3])\n"
      "print(a, b, c, d)\n"
      "print(a, b, c, d)\n";
  sf_trace *ref = run(prog, SF_MODE_GRAPH, "prune,schedule=program");
  for (size_t s = 1; s < sizeof schedules / sizeof *schedules; s++) {
    char passes[64];
    snprintf(passes, sizeof passes, "prune,fold,cse,arith,schedule=%s", schedules[s]);
    sf_trace *t = run(prog, SF_MODE_GRAPH, passes);
    for (int p = 0; p < 2; p++)
      for (int k = 0; k < 4; k++)
        cr_expect(sf_tensor_bits_equal(printed(ref, p, k), printed(t, p, k)), "schedule=%s print %d value %d",
                  schedules[s], p, k);
    sf_trace_free(t);
  }
  sf_trace_free(ref);
}

static const char *const generator_prog =
    "g = tf.random.Generator.from_seed(7)\n"
    "a = g.normal([3])\n"
    "b = g.normal([3])\n"
    "print(a, b)\n";

Test(passes, generator_draws_follow_the_schedule_in_graph_mode) {
  sf_trace *prog = run(generator_prog, SF_MODE_GRAPH, "prune,schedule=program");
  sf_trace *rev = run(generator_prog, SF_MODE_GRAPH, "prune,schedule=reverse");
  cr_assert_not(sf_tensor_bits_equal(printed(prog, 0, 0), printed(rev, 0, 0)), "no control dep orders a and b");
  cr_assert(sf_tensor_bits_equal(printed(prog, 0, 0), printed(rev, 0, 1)), "reverse swaps the two blocks");
  cr_assert(sf_tensor_bits_equal(printed(prog, 0, 1), printed(rev, 0, 0)));
  sf_trace_free(prog);
  sf_trace_free(rev);
}

Test(passes, function_mode_control_deps_restore_program_order_and_eager_draws) {
  sf_trace *eager = run(generator_prog, SF_MODE_EAGER, NULL);
  for (size_t s = 0; s < sizeof schedules / sizeof *schedules; s++) {
    char passes[64];
    snprintf(passes, sizeof passes, "prune,fold,cse,arith,schedule=%s", schedules[s]);
    sf_trace *fn = run(generator_prog, SF_MODE_FUNCTION, passes);
    for (int k = 0; k < 2; k++)
      cr_expect(sf_tensor_bits_equal(printed(eager, 0, k), printed(fn, 0, k)), "schedule=%s value %d", schedules[s], k);
    sf_trace_free(fn);
  }
  sf_trace_free(eager);
}

Test(passes, autodeps_pins_graph_mode_generator_order_too) {
  sf_trace *eager = run(generator_prog, SF_MODE_EAGER, NULL);
  sf_trace *rev = run(generator_prog, SF_MODE_GRAPH, "prune,autodeps,schedule=reverse");
  cr_assert(sf_tensor_bits_equal(printed(eager, 0, 0), printed(rev, 0, 0)));
  cr_assert(sf_tensor_bits_equal(printed(eager, 0, 1), printed(rev, 0, 1)));
  sf_trace_free(eager);
  sf_trace_free(rev);
}

Test(passes, prune_of_an_unfetched_generator_op_shifts_later_draws_and_says_so) {
  const char *prog =
      "g = tf.random.Generator.from_seed(7)\n"
      "a = g.normal([3])\n"
      "b = g.normal([3])\n"
      "print(b)\n";
  sf_trace *eager = run(generator_prog, SF_MODE_EAGER, NULL);
  sf_trace *pruned = run(prog, SF_MODE_GRAPH, NULL), *kept = run(prog, SF_MODE_GRAPH, "fold,schedule");
  cr_assert(sf_tensor_bits_equal(printed(pruned, 0, 0), printed(eager, 0, 0)), "b takes a's block");
  cr_assert(sf_tensor_bits_equal(printed(kept, 0, 0), printed(eager, 0, 1)), "without prune, a runs first");
  cr_assert_eq(sf_trace_note_count(pruned), 1);
  const sf_trace_note *n = sf_trace_note_at(pruned, 0);
  cr_assert_str_eq(n->pass, "prune");
  cr_assert(strstr(n->text, "removed unfetched shared-stream op"), "%s", n->text);
  cr_assert(strstr(n->text, "StatefulStandardNormalV2"), "%s", n->text);
  cr_assert(strstr(n->text, "generator 0"), "%s", n->text);
  cr_assert_eq(sf_trace_note_count(kept), 0);
  sf_trace_free(eager);
  sf_trace_free(pruned);
  sf_trace_free(kept);
}

Test(passes, cse_in_a_program_keeps_random_normals_and_merges_stateless_calls) {
  const char *prog =
      "a = tf.random.normal([2], seed=1)\n"
      "b = tf.random.normal([2], seed=1)\n"
      "c = tf.random.stateless_normal([2], seed=[1, 2])\n"
      "d = tf.random.stateless_normal([2], seed=[1, 2])\n"
      "print(a, b, c, d)\n";
  sf_trace *with = run(prog, SF_MODE_GRAPH, "prune,cse"), *without = run(prog, SF_MODE_GRAPH, "prune");
  cr_assert_eq(count_op(with, "RandomStandardNormal"), 2);
  cr_assert_eq(count_op(with, "StatelessRandomNormal"), 1);
  cr_assert_eq(count_op(without, "StatelessRandomNormal"), 2);
  for (int k = 0; k < 4; k++) cr_expect(sf_tensor_bits_equal(printed(with, 0, k), printed(without, 0, k)));
  sf_trace_free(with);
  sf_trace_free(without);
}

Test(passes, default_pipelines_keep_seeds_and_values) {
  const char *prog =
      "tf.random.set_seed(1234)\n"
      "x = tf.random.normal([2, 3])\n"
      "y = x * 1.0 + 0.0\n"
      "print(y)\n"
      "print(y)\n";
  sf_trace *none = run(prog, SF_MODE_GRAPH, "prune"), *dflt = run(prog, SF_MODE_GRAPH, NULL);
  for (int p = 0; p < 2; p++) cr_expect(sf_tensor_bits_equal(printed(none, p, 0), printed(dflt, p, 0)));
  cr_assert_eq(count_op(dflt, "Mul"), 0, "arith removed x*1");
  sf_trace_free(none);
  sf_trace_free(dflt);
}
