/* test_stateless.c — Criterion suite `stateless`: stateless integer draws, seed split and
 * fold-in, categorical sampling, StatelessShuffle and tf.random.Generator's state, split,
 * make_seeds and reset, each against a published or spec-derived value (the source is
 * named at each test). Float values are compared as printed: NumPy's shortest repr, one
 * string per float32. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static char *run(const char *text, sf_profile profile) {
  sf_error err = {0};
  sf_trace *t = th_run_text(text, &(sf_run_options){.mode = SF_MODE_EAGER, .profile = profile}, &err);
  cr_assert(t, "run: %s (line %d)", err.msg, err.line);
  return th_prints_and_free(t);
}

static void expect_prints(const char *text, const char *want) {
  char *got = run(text, SF_PROFILE_TF2);
  cr_expect_str_eq(got, want);
  free(got);
}

static void expect_error(const char *text, sf_profile profile, const char *want) {
  sf_error err = {0};
  sf_trace *t = th_run_text(text, &(sf_run_options){.mode = SF_MODE_EAGER, .profile = profile}, &err);
  cr_assert_null(t);
  cr_expect_str_eq(err.msg, want);
}

/* stateless_random_ops.py split docstring (keras3 spec §2.3, V1–V3). */
Test(stateless, split_matches_the_docstring) {
  expect_prints("import tensorflow as tf\n"
                "print(tf.random.experimental.stateless_split([1, 2], num=3))\n"
                "print(tf.random.split([1, 2], 3).numpy())\n",
                "tf.Tensor(\n[[1105988140 1738052849]\n [-335576002  370444179]\n [  10670227 -246211131]], shape=(3, 2), dtype=int32)\n"
                "[[1105988140 1738052849]\n [-335576002  370444179]\n [  10670227 -246211131]]\n");
}

/* stateless_random_ops.py fold_in docstring: the pair, then stateless_normal on it. */
Test(stateless, fold_in_matches_the_docstring) {
  expect_prints("import tensorflow as tf\n"
                "s = tf.random.experimental.stateless_fold_in([1, 2], 3)\n"
                "print(s)\n"
                "print(tf.random.stateless_normal(shape=[3], seed=s))\n",
                "tf.Tensor([1105988140          3], shape=(2,), dtype=int32)\n"
                "tf.Tensor([0.03197195 0.8979765  0.13253039], shape=(3,), dtype=float32)\n");
}

/* Full-range ints are the split's words: split([1,2], 3) is full_int([3,2]) on [1, 2]. */
Test(stateless, full_range_ints_are_the_split_words) {
  expect_prints("import tensorflow as tf\n"
                "print(tf.random.stateless_uniform([2], seed=[1, 2], minval=None, maxval=None, dtype=tf.int32))\n",
                "tf.Tensor([1105988140 1738052849], shape=(2,), dtype=int32)\n");
}

Test(stateless, int_uniform_needs_both_bounds_or_neither) {
  expect_error("import tensorflow as tf\ntf.random.stateless_uniform([2], seed=[1, 2], dtype=tf.int32)\n", SF_PROFILE_TF2,
               "stateless_random_uniform(): for integer dtype int32, minval and maxval must be both None or not None");
}

/* api spec §5.1 / E6 (tf#58445, tf#58450, CPU): 10 samples with seed (7, 17). */
Test(stateless, categorical_matches_tf58450) {
  expect_prints("import tensorflow as tf\n"
                "print(tf.random.stateless_categorical([[-0.6931472, -0.6931472]], 10, [7, 17]))\n"
                "print(tf.random.stateless_categorical([[-0.6931472, -0.6931472]], 5, [7, 17]).numpy())\n",
                "tf.Tensor(\n[[1 0 1 0 0 0 1 1 0 0]], shape=(1, 10), dtype=int64)\n[[1 0 1 0 0]]\n");
}

/* examples-realworld 16 (tf#73119) on CPU: both rows in one shard share the stream ->
 * [[2] [5]] (api spec §5.1); the published [[4] [2]] is a GPU's, which the run notes. */
Test(stateless, categorical_rows_share_one_stream_and_the_gpu_is_noted) {
  const char *text = "import tensorflow as tf\n"
                     "logits = tf.constant([[0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]])\n"
                     "print(tf.random.stateless_categorical(logits, 1, tf.constant([3723, 3723]), dtype=tf.int32).numpy())\n";
  sf_error err = {0};
  sf_trace *t = th_run_text(text, &(sf_run_options){.mode = SF_MODE_EAGER, .profile = SF_PROFILE_TF2}, &err);
  cr_assert(t, "%s", err.msg);
  cr_assert_eq(sf_trace_note_count(t), 1);
  cr_expect_str_eq(sf_trace_note_at(t, 0)->text,
                   "stateless_categorical: these are TensorFlow's CPU kernel's samples; its GPU kernel draws differently");
  char *got = th_prints_and_free(t);
  cr_expect_str_eq(got, "[[2]\n [5]]\n");
  free(got);
}

/* Stateful categorical: op seed 7 with no global seed -> (87654321, 7); a second call of
 * the same op continues (ReserveRandomOutputs(batch * ceil4(ns) * 2, 256)), so two
 * calls differ while a fresh op with the same seed repeats the first. */
Test(stateless, categorical_op_seed_repeats_per_new_op) {
  char *a = run("import tensorflow as tf\nprint(tf.random.categorical([[0.0, 0.0, 0.0]], 8, seed=7))\n", SF_PROFILE_TF2);
  char *b = run("import tensorflow as tf\ntf.random.set_seed(3)\nprint(tf.random.categorical([[0.0, 0.0, 0.0]], 8, seed=7))\n",
                SF_PROFILE_TF2);
  cr_expect_str_neq(a, b);
  free(a);
  free(b);
}

/* stateless_shuffle_op.cc docstring: [[1,2],[3,4],[5,6]] with seed [8, 9] ->
 * [[5,6],[1,2],[3,4]] (keras3 spec §2.3, V4), run as the op. */
Test(stateless, shuffle_kernel_matches_the_docstring) {
  sf_error err = {0};
  sf_graph *g = sf_graph_new(false);
  sf_shape s = {2, {3, 2}};
  sf_tensor *v = sf_tensor_new(SF_INT32, &s, &err);
  for (int i = 0; i < 6; i++) sf_tensor_set(v, i, i + 1);
  sf_shape s2 = {1, {2}};
  sf_tensor *seed = sf_tensor_new(SF_INT32, &s2, &err);
  sf_tensor_set(seed, 0, 8);
  sf_tensor_set(seed, 1, 9);
  sf_node *cv, *cs, *n;
  cr_assert_eq(sf_graph_add_const(g, NULL, v, &cv, &err), SF_OK);
  cr_assert_eq(sf_graph_add_const(g, NULL, seed, &cs, &err), SF_OK);
  cr_assert_eq(sf_graph_add(g, "StatelessShuffle", NULL, (int[]){cv->id, cs->id}, 2, NULL, &n, &err), SF_OK, "%s", err.msg);
  sf_runtime rt = {0};
  sf_pass_planner plan;
  cr_assert_eq(th_plan(&rt, &plan, &err), SF_OK);
  sf_session sess;
  sf_session_init(&sess, g, 0);
  sf_tensor *out[1] = {NULL};
  cr_assert_eq(sf_session_run(&sess, &rt, &n->id, 1, NULL, 0, out, NULL, &err), SF_OK, "%s", err.msg);
  int want[] = {5, 6, 1, 2, 3, 4};
  for (int i = 0; i < 6; i++) cr_expect_eq(sf_tensor_get(out[0], i), want[i], "element %d", i);
  sf_tensor_unref(out[0]);
  sf_session_free(&sess);
  sf_runtime_free(&rt);
  sf_tensor_unref(v);
  sf_tensor_unref(seed);
  sf_graph_free(g);
}

Test(stateless, shuffle_is_tf_2_10_and_later) {
  expect_error("import tensorflow as tf\ntf.random.experimental.stateless_shuffle([1, 2, 3], seed=[8, 9])\n", SF_PROFILE_TF2,
               "tf.random.experimental.stateless_shuffle is TF 2.10+: not in profile tf2 (TF 2.2-2.9)");
}

/* stateful_random_ops.py Generator docstring: state [1234,0,0], the normals, [2770,0,0]. */
Test(generator, state_before_and_after_a_draw) {
  expect_prints("import tensorflow as tf\n"
                "g = tf.random.Generator.from_seed(1234)\n"
                "print(g.state)\n"
                "print(g.normal(shape=(2, 3)))\n"
                "print(g.state)\n",
                "<tf.Variable 'Variable:0' shape=(3,) dtype=int64, numpy=array([1234,    0,    0])>\n"
                "tf.Tensor(\n[[ 0.9356609   1.0854305  -0.93788373]\n [-0.5061547   1.3169702   0.7137579 ]], shape=(2, 3), dtype=float32)\n"
                "<tf.Variable 'Variable:0' shape=(3,) dtype=int64, numpy=array([2770,    0,    0])>\n");
}

/* api spec §6 / E8: make_seeds(2) on from_seed(1) and make_seeds(1) on from_seed(1234). */
Test(generator, make_seeds_values_and_state) {
  expect_prints("import tensorflow as tf\n"
                "g = tf.random.Generator.from_seed(1)\n"
                "print(g.make_seeds(2).numpy())\n"
                "print(g.state.numpy())\n"
                "h = tf.random.Generator.from_seed(1234)\n"
                "print(h.make_seeds().numpy())\n"
                "print(h.state.numpy())\n",
                "[[6679402142117448868  684265014234019051]\n [                  0                   0]]\n[513   0   0]\n"
                "[[472453817354278855]\n [                 0]]\n[1490    0    0]\n");
}

/* split draws the same keys as make_seeds; each new Generator is [0, 0, key]; the
 * parent advances 256 per key; reset_from_seed restores from_seed's state. */
Test(generator, split_and_reset_from_seed) {
  expect_prints("import tensorflow as tf\n"
                "g = tf.random.Generator.from_seed(1)\n"
                "a, b = g.split(2)\n"
                "print(a.state.numpy(), b.state.numpy(), g.state.numpy())\n"
                "g.reset_from_seed(1)\n"
                "print(g.state.numpy(), g.make_seeds(2).numpy()[0])\n",
                "[                  0                   0 6679402142117448868] [                 0                  0 684265014234019051] "
                "[513   0   0]\n[1 0 0] [6679402142117448868  684265014234019051]\n");
}

/* from_non_deterministic_state: three 64-bit words of OS entropy, fixed by --entropy. */
Test(generator, non_deterministic_state_follows_the_entropy) {
  const char *text = "import tensorflow as tf\ng = tf.random.Generator.from_non_deterministic_state()\n"
                     "print(g.normal([2]).numpy())\n";
  sf_error err = {0};
  sf_run_options o = {.mode = SF_MODE_EAGER, .profile = SF_PROFILE_TF2, .fixed_entropy = true, .entropy = 5};
  char *a = th_prints_and_free(th_run_text(text, &o, &err));
  char *b = th_prints_and_free(th_run_text(text, &o, &err));
  o.entropy = 6;
  char *c = th_prints_and_free(th_run_text(text, &o, &err));
  cr_assert(a && b && c, "%s", err.msg);
  cr_expect_str_eq(a, b);
  cr_expect_str_neq(a, c);
  free(a), free(b), free(c);
}

Test(generator, uniform_full_int_needs_a_signed_dtype) {
  expect_error("import tensorflow as tf\ntf.random.Generator.from_seed(1).uniform_full_int([2])\n", SF_PROFILE_TF2,
               "Generator.uniform_full_int(): the default dtype uint64 is not modelled; pass dtype=tf.int64 (the same bits, signed)");
}
