/* test_modes.c — the same program in eager, graph and function modes: identical values
 * where TensorFlow gives them, per-mode seed rules with their provenance, kernel counters,
 * and the located errors a bad program gets. */
#include <criterion/criterion.h>
#include <string.h>

#include "helpers.h"

static const sf_mode modes[] = {SF_MODE_EAGER, SF_MODE_GRAPH, SF_MODE_FUNCTION};

static sf_trace *run(const char *text, sf_mode mode, sf_profile profile) {
  sf_error err = {0};
  sf_run_options o = {.mode = mode, .profile = profile};
  sf_trace *t = th_run_text(text, &o, &err);
  cr_assert(t, "%s mode: %d:%d: %s", sf_mode_name(mode), err.line, err.col, err.msg);
  return t;
}

static sf_error run_error(const char *text, sf_mode mode) {
  sf_error err = {0};
  sf_program *p = sf_program_parse("<test>", text, &err);
  cr_assert(p, "parse: %s", err.msg);
  sf_run_options o = {.mode = mode, .implicit_imports = true};
  sf_trace *t = NULL;
  cr_assert_neq(sf_run(p, &o, &t, &err), SF_OK);
  sf_trace_free(t);
  sf_program_free(p);
  return err;
}

static const sf_tensor *printed(const sf_trace *t, int i) {
  const sf_trace_print *p = sf_trace_print_at(t, i);
  cr_assert(p, "print %d missing", i);
  return p->tensors[0];
}

/* The i-th random op execution's record. */
static const sf_trace_op *random_op(const sf_trace *t, int i) {
  for (int k = 0; k < sf_trace_op_count(t); k++)
    if (sf_trace_op_at(t, k)->rng.present && i-- == 0) return sf_trace_op_at(t, k);
  cr_assert_fail("no random op %d", i);
  return NULL;
}

static uint32_t bits(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}

Test(modes, non_random_program_gives_identical_bits_everywhere) {
  const char *prog =
      "import tensorflow as tf\n"
      "x = tf.constant([[1.0, 2.0], [3.0, 4.0]])\n"
      "w = tf.constant([[0.5], [-0.1]])\n"
      "b = tf.constant([0.25])\n"
      "y = tf.matmul(x, w) + b\n"
      "print(y)\n"
      "print(tf.reduce_mean(y))\n";
  float want[2] = {(float)((float)(0.5f + (float)(2.0f * -0.1f)) + 0.25f),
                   (float)((float)(1.5f + (float)(4.0f * -0.1f)) + 0.25f)};
  float mean = (float)((want[0] + want[1]) / 2.0f);
  for (int m = 0; m < 3; m++) {
    sf_trace *t = run(prog, modes[m], SF_PROFILE_TF2);
    const sf_tensor *y = printed(t, 0), *r = printed(t, 1);
    cr_assert_eq(y->shape.rank, 2);
    for (int i = 0; i < 2; i++) cr_assert_eq(bits(((float *)y->data)[i]), bits(want[i]), "%s", sf_mode_name(modes[m]));
    cr_assert_eq(r->shape.rank, 0);
    cr_assert_eq(bits(((float *)r->data)[0]), bits(mean));
    sf_trace_free(t);
  }
}

Test(modes, explicit_op_seed_makes_every_mode_and_profile_agree) {
  const char *prog = "tf.random.set_seed(7)\nprint(tf.random.normal([5], seed=3))\n";
  sf_trace *ref = run(prog, SF_MODE_EAGER, SF_PROFILE_TF2);
  for (int prof = 0; prof < 2; prof++)
    for (int m = 0; m < 3; m++) {
      sf_trace *t = run(prog, modes[m], (sf_profile)prof);
      cr_assert(sf_tensor_bits_equal(printed(t, 0), printed(ref, 0)), "%s/%d", sf_mode_name(modes[m]), prof);
      cr_assert_eq(random_op(t, 0)->rng.seed, 7);
      cr_assert_eq(random_op(t, 0)->rng.seed2, 3);
      cr_assert_eq(random_op(t, 0)->rng.seed2_source, SF_SEED_OP);
      sf_trace_free(t);
    }
  sf_trace_free(ref);
}

Test(modes, global_seed_alone_gives_each_mode_its_own_seed2) {
  const char *prog = "tf.random.set_seed(1234)\nprint(tf.random.normal([2, 3]))\n";
  struct {
    sf_mode mode;
    sf_profile profile;
    int64_t seed2;
    sf_seed_source source;
    float first;
  } cases[] = {
      {SF_MODE_GRAPH, SF_PROFILE_TF1, 3, SF_SEED_NODE_ID, -0.13862522f},
      {SF_MODE_EAGER, SF_PROFILE_TF2, 1892932127, SF_SEED_EAGER_STREAM, 0.8369314f},
      {SF_MODE_FUNCTION, SF_PROFILE_TF2, 0, SF_SEED_GRAPH_COUNTER, -0.30200204f},
      {SF_MODE_GRAPH, SF_PROFILE_TF2, 0, SF_SEED_GRAPH_COUNTER, -0.30200204f},
      {SF_MODE_EAGER, SF_PROFILE_TF1, 1892932127, SF_SEED_EAGER_STREAM, 0.8369314f},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    sf_trace *t = run(prog, cases[i].mode, cases[i].profile);
    const sf_trace_op *op = random_op(t, 0);
    cr_assert_eq(op->rng.seed, 1234);
    cr_assert_eq(op->rng.seed_source, SF_SEED_GLOBAL);
    cr_assert_eq(op->rng.seed2, cases[i].seed2, "case %zu", i);
    cr_assert_eq(op->rng.seed2_source, cases[i].source, "case %zu", i);
    cr_assert_eq(bits(((float *)printed(t, 0)->data)[0]), bits(cases[i].first), "case %zu", i);
    sf_trace_free(t);
  }
}

Test(modes, tf1_seed2_is_the_node_count_so_earlier_ops_shift_it) {
  const char *prog =
      "tf.compat.v1.set_random_seed(1)\n"
      "c = tf.constant(1.0)\n"
      "a = tf.random.uniform([1])\n"
      "b = tf.random.uniform([1])\n"
      "print(a)\nprint(b)\n";
  sf_trace *t = run(prog, SF_MODE_GRAPH, SF_PROFILE_TF1);
  cr_assert_eq(random_op(t, 0)->rng.seed2, 4);  /* c, shape, min, max */
  cr_assert_eq(random_op(t, 1)->rng.seed2, 11); /* + 7 nodes of the first uniform */
  cr_assert_eq(random_op(t, 1)->rng.seed2_detail, 11);
  sf_trace_free(t);
  t = run(prog, SF_MODE_GRAPH, SF_PROFILE_TF2);
  cr_assert_eq(random_op(t, 0)->rng.seed2, 0);
  cr_assert_eq(random_op(t, 1)->rng.seed2, 1);
  sf_trace_free(t);
}

Test(modes, kth_run_of_a_kernel_starts_at_256_times_elements_drawn) {
  sf_trace *t = run("x = tf.random.uniform([3], seed=1)\nprint(x)\nprint(x)\nprint(x)\n", SF_MODE_GRAPH, SF_PROFILE_TF1);
  for (int k = 0; k < 3; k++) {
    cr_assert_eq(random_op(t, k)->rng.counter[0], (uint32_t)(256 * 3 * k));
    cr_assert_eq(random_op(t, k)->rng.blocks, 768);
    cr_assert_eq(random_op(t, k)->rng.seed, 87654321);
    cr_assert_eq(random_op(t, k)->rng.seed_source, SF_SEED_DEFAULT_GRAPH);
  }
  sf_trace_free(t);
  /* eager: the cache key is op type + attrs, so a different shape shares the kernel */
  t = run("print(tf.random.uniform([2], seed=1))\nprint(tf.random.uniform([3], seed=1))\n", SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_assert_eq(random_op(t, 0)->rng.counter[0], 0);
  cr_assert_eq(random_op(t, 1)->rng.counter[0], 512);
  sf_trace_free(t);
}

Test(modes, eager_set_seed_clears_the_kernel_cache) {
  const char *prog =
      "tf.random.set_seed(5)\n"
      "print(tf.random.uniform([], maxval=3, dtype=tf.int32, seed=10))\n"
      "tf.random.set_seed(5)\n"
      "print(tf.random.uniform([], maxval=3, dtype=tf.int32, seed=10))\n";
  sf_trace *t = run(prog, SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_assert_eq(((int32_t *)printed(t, 0)->data)[0], 2);
  cr_assert_eq(((int32_t *)printed(t, 1)->data)[0], 2);
  cr_assert_eq(random_op(t, 1)->rng.counter[0], 0);
  sf_trace_free(t);
  /* in a graph, set_seed only sets the graph seed: the session's kernel keeps counting */
  t = run("c = tf.random.uniform([], maxval=3, dtype=tf.int32, seed=10)\ntf.compat.v1.set_random_seed(5)\nprint(c)\nprint(c)\n",
          SF_MODE_GRAPH, SF_PROFILE_TF1);
  cr_assert_eq(random_op(t, 1)->rng.counter[0], 256);
  sf_trace_free(t);
}

Test(modes, zero_seeds_become_zero_and_maxint) {
  sf_trace *t = run("tf.random.set_seed(0)\nprint(tf.random.normal([1], seed=0))\n", SF_MODE_GRAPH, SF_PROFILE_TF1);
  cr_assert_eq(random_op(t, 0)->rng.seed, 0);
  cr_assert_eq(random_op(t, 0)->rng.seed2, 2147483647);
  cr_assert_eq(random_op(t, 0)->rng.seed2_source, SF_SEED_ZERO_FIX);
  sf_trace_free(t);
}

Test(modes, seeds_are_truncated_modulo_2_pow_31_minus_1) {
  sf_trace *t = run("tf.random.set_seed(-1)\nprint(tf.random.normal([1], seed=2147483650))\n", SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_assert_eq(random_op(t, 0)->rng.seed, 2147483646);
  cr_assert_eq(random_op(t, 0)->rng.seed2, 3);
  sf_trace_free(t);
}

Test(modes, no_seed_at_all_is_reported_as_os_entropy) {
  for (int m = 0; m < 3; m++) {
    sf_trace *t = run("print(tf.random.normal([2]))\n", modes[m], SF_PROFILE_TF2);
    cr_assert_eq(random_op(t, 0)->rng.seed, 0);
    cr_assert_eq(random_op(t, 0)->rng.seed2, 0);
    cr_assert_eq(random_op(t, 0)->rng.seed_source, SF_SEED_OS_ENTROPY);
    sf_trace_free(t);
  }
}

Test(modes, stateless_draws_do_not_depend_on_mode_or_order) {
  const char *a = "x = tf.random.stateless_uniform([3], seed=[1, 2])\ny = tf.random.normal([4])\nprint(x)\n";
  const char *b = "y = tf.random.normal([4])\nprint(tf.random.normal([2]))\nprint(tf.random.stateless_uniform([3], seed=[1, 2]))\n";
  float want[3] = {0.84406042f, 0.19204533f, 0.99622321f};
  for (int m = 0; m < 3; m++) {
    sf_trace *t = run(a, modes[m], SF_PROFILE_TF2), *u = run(b, modes[m], SF_PROFILE_TF1);
    cr_assert(sf_tensor_bits_equal(printed(t, 0), printed(u, 1)));
    for (int i = 0; i < 3; i++) cr_assert_eq(bits(((float *)printed(t, 0)->data)[i]), bits(want[i]));
    sf_trace_free(t);
    sf_trace_free(u);
  }
}

Test(modes, generator_calls_share_one_advancing_state) {
  sf_trace *t = run("g = tf.random.Generator.from_seed(1234)\nprint(g.normal([2, 3]))\nprint(g.uniform([1]))\n",
                    SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_assert_eq(random_op(t, 0)->rng.counter[0], 1234);
  cr_assert_eq(random_op(t, 1)->rng.counter[0], 1234 + 6 * 256); /* state 2770, as the docstring says */
  cr_assert_eq(random_op(t, 1)->rng.generator, 0);
  sf_trace_free(t);
}

Test(modes, function_mode_traces_once_and_advances_kernels_per_call) {
  const char *prog =
      "tf.random.set_seed(1234)\n"
      "@tf.function\n"
      "def f():\n"
      "    return tf.random.uniform([1])\n"
      "print(f())\nprint(f())\n";
  sf_trace *t = run(prog, SF_MODE_FUNCTION, SF_PROFILE_TF2);
  cr_assert_eq(random_op(t, 0)->rng.seed2, 0);
  cr_assert_eq(random_op(t, 1)->rng.seed2, 0);
  cr_assert_eq(random_op(t, 1)->rng.counter[0], 256);
  cr_assert_eq(random_op(t, 0)->graph, 1);
  sf_trace_free(t);
  /* eager mode runs the body eagerly: two stream draws */
  t = run(prog, SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_assert_eq(random_op(t, 0)->rng.seed2, 1892932127);
  cr_assert_eq(random_op(t, 1)->rng.seed2, 501869158);
  sf_trace_free(t);
}

Test(modes, errors_name_the_place_and_the_problem) {
  sf_error e = run_error("x = 1\nprint(y)\n", SF_MODE_EAGER);
  cr_assert_str_eq(e.msg, "NameError: name 'y' is not defined");
  cr_assert_eq(e.line, 2);
  cr_assert_eq(e.col, 7);
  e = run_error("x = tf.random.normal([2], foo=1)\n", SF_MODE_GRAPH);
  cr_assert_str_eq(e.msg, "random_normal() got an unexpected keyword argument 'foo'");
  cr_assert_eq(e.line, 1);
  cr_assert_eq(e.col, 5);
  e = run_error("x = tf.nn.dropout(tf.ones([2]), rate=1.5)\n", SF_MODE_EAGER);
  cr_assert_str_eq(e.msg, "dropout: attribute 'rate' must be in [0, 1), got 1.5");
  e = run_error("x = tf.linalg.svd(1)\n", SF_MODE_EAGER);
  cr_assert_str_eq(e.msg, "unsupported function 'tf.linalg.svd'");
  cr_assert_eq(e.col, 5);
  e = run_error("x = tf.matmul(tf.ones([2, 3]), tf.ones([2, 3]))\n", SF_MODE_GRAPH);
  cr_assert_str_eq(e.msg, "node 'MatMul' (MatMul): inner dimensions differ: 3 vs 2");
  cr_assert_eq(e.line, 1);
  e = run_error("x = tf.random.uniform([2], maxval=3, dtype=tf.int32, seed=1)\ny = tf.random.uniform([2], minval=5, maxval=3, dtype=tf.int32)\n",
                SF_MODE_EAGER);
  cr_assert_str_eq(e.msg, "node 'random_uniform_1' (RandomUniformInt): need minval < maxval, got 5 >= 3");
  cr_assert_eq(e.line, 2);
}

Test(modes, deterministic_option_rejects_unseeded_ops) {
  sf_error err = {0};
  sf_program *p = sf_program_parse("<t>", "print(tf.random.normal([1]))\n", &err);
  sf_run_options o = {.mode = SF_MODE_GRAPH, .deterministic = true, .implicit_imports = true};
  sf_trace *t = NULL;
  cr_assert_eq(sf_run(p, &o, &t, &err), SF_EDETERMINISM);
  cr_assert_str_eq(err.msg, "node 'random_normal/RandomStandardNormal' (RandomStandardNormal): RandomStandardNormal "
                            "'random_normal/RandomStandardNormal': op determinism requires a seed (set "
                            "tf.random.set_seed or the op's seed)");
  sf_trace_free(t);
  sf_program_free(p);
}
