/* test_stateless.c — Criterion suite `stateless`: stateless integer draws, seed split and
 * fold-in, categorical sampling, StatelessShuffle and tf.random.Generator's state, split,
 * make_seeds and reset, each against a published or spec-derived value (the source is
 * named at each test). Float values are compared as printed: NumPy's shortest repr, one
 * string per float32. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/rng/rng.h"
#include "helpers.h"

static sf_trace *trace_of(const char *text, sf_mode mode, sf_profile profile) {
  sf_error err = {0};
  sf_trace *t = th_run_text(text, &(sf_run_options){.mode = mode, .profile = profile}, &err);
  cr_assert(t, "run: %s (line %d)", err.msg, err.line);
  return t;
}

static char *run(const char *text, sf_profile profile) { return th_prints_and_free(trace_of(text, SF_MODE_EAGER, profile)); }

static void expect_prints_in(const char *text, sf_mode mode, const char *want) {
  char *got = th_prints_and_free(trace_of(text, mode, SF_PROFILE_TF2));
  cr_expect_str_eq(got, want);
  free(got);
}
static void expect_prints(const char *text, const char *want) { expect_prints_in(text, SF_MODE_EAGER, want); }

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
                "tf.Tensor([[1 0 1 0 0 0 1 1 0 0]], shape=(1, 10), dtype=int64)\n[[1 0 1 0 0]]\n");
}

/* examples-realworld 16 (tf#73119) on CPU: both rows in one shard share the stream ->
 * [[2] [5]] (api spec §5.1); the published [[4] [2]] is a GPU's, which the run notes. */
Test(stateless, categorical_rows_share_one_stream_and_the_gpu_is_noted) {
  const char *text = "import tensorflow as tf\n"
                     "logits = tf.constant([[0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]])\n"
                     "print(tf.random.stateless_categorical(logits, 1, tf.constant([3723, 3723]), dtype=tf.int32).numpy())\n";
  sf_trace *t = trace_of(text, SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_assert_eq(sf_trace_note_count(t), 1);
  cr_expect_str_eq(sf_trace_note_at(t, 0)->text,
                   "stateless_categorical: these are TensorFlow's CPU kernel's samples; its GPU kernel draws differently");
  char *got = th_prints_and_free(t);
  cr_expect_str_eq(got, "[[2]\n [5]]\n");
  free(got);
}

/* Stateful categorical, op seed 7 and no global seed: (87654321, 7) (base spec §5.3); the
 * eager kernel is cached by its seeds, so the second call continues after
 * ReserveRandomOutputs(1 * 8 * 2, 256) = 4096 blocks (api spec §5.1). Values from an
 * independent Philox/Uint64ToDouble script (reproducing E6 and tf#73119's CPU rows). */
Test(stateless, categorical_op_seed_and_reservation) {
  expect_prints("import tensorflow as tf\n"
                "print(tf.random.categorical([[0.0, 0.0, 0.0]], 8, seed=7).numpy())\n"
                "print(tf.random.categorical([[0.0, 0.0, 0.0]], 8, seed=7).numpy())\n",
                "[[2 0 1 2 0 1 1 0]]\n[[2 1 1 2 2 2 0 1]]\n");
}

/* Bounded ints: lo + word % (hi - lo) (base spec §4.2) on the stateless key/counter and on
 * a Generator's state (from_seed(1234) after make_seeds(1): counter 1490); same script. */
Test(stateless, bounded_ints_take_one_word_each) {
  expect_prints("import tensorflow as tf\n"
                "print(tf.random.stateless_uniform([5], seed=[1, 2], maxval=10, dtype=tf.int32).numpy())\n"
                "g = tf.random.Generator.from_seed(1234)\n"
                "s = g.make_seeds()\n"
                "print(g.uniform([3], minval=0, maxval=10, dtype=tf.int32).numpy())\n"
                "print(g.state.numpy())\n",
                "[0 9 4 9 7]\n[7 0 5]\n[2258    0    0]\n");
}

/* tf.image flips, api spec §5.2 (examples-realworld 20: seed 5 -> u = 0.38831127 flips one
 * image; seed 6 -> u = [0.6433041, 0.12341011] flips only the first of a batch), the batch
 * path also in a TF1-style graph; stateless docstrings (seed (2, 3)) flip both ways. */
Test(stateless, random_flips_follow_their_draws) {
  const char *text = "import numpy as np\nimport tensorflow as tf\n"
                     "images = np.array([[[[1], [2]], [[3], [4]]], [[[5], [6]], [[7], [8]]]])\n"
                     "print(tf.image.random_flip_left_right(images, 6))\n";
  expect_prints_in(text, SF_MODE_GRAPH, "[[[[2]\n   [1]]\n\n  [[4]\n   [3]]]\n\n\n [[[5]\n   [6]]\n\n  [[7]\n   [8]]]]\n");
  expect_prints("import numpy as np\nimport tensorflow as tf\n"
                "image = np.array([[[1], [2]], [[3], [4]]])\n"
                "print(tf.image.random_flip_left_right(image, 5).numpy().tolist())\n"
                "print(tf.image.stateless_random_flip_left_right(image, (2, 3)).numpy().tolist())\n"
                "print(tf.image.stateless_random_flip_up_down(image, (2, 3)).numpy().tolist())\n",
                "[[[2], [1]], [[4], [3]]]\n[[[2], [1]], [[4], [3]]]\n[[[3], [4]], [[1], [2]]]\n");
}

/* A rank-3 image in a graph is a tf.cond on its draw: under the tf2 profiles (cond_v2, no
 * op seed moves) the same draws as above flip it in graph and function mode (seed 5:
 * u = 0.38831127, flipped; seed 6: u = 0.6433041, kept), also inside a dataset's map; under
 * tf1 the cond is control flow v1, whose construction ops count into _last_id: refused. */
Test(stateless, rank3_flip_in_a_graph_is_a_cond_on_the_draw) {
  const char *text = "import numpy as np\nimport tensorflow as tf\n"
                     "image = np.array([[[1], [2]], [[3], [4]]])\n"
                     "print(tf.image.random_flip_left_right(image, 5))\n"
                     "print(tf.image.random_flip_left_right(image, 6))\n";
  const char *want = "[[[2]\n  [1]]\n\n [[4]\n  [3]]]\n[[[1]\n  [2]]\n\n [[3]\n  [4]]]\n";
  expect_prints_in(text, SF_MODE_GRAPH, want);
  expect_prints_in(text, SF_MODE_FUNCTION,
                   "tf.Tensor(\n[[[2]\n  [1]]\n\n [[4]\n  [3]]], shape=(2, 2, 1), dtype=int64)\n"
                   "tf.Tensor(\n[[[1]\n  [2]]\n\n [[3]\n  [4]]], shape=(2, 2, 1), dtype=int64)\n");
  expect_prints("import numpy as np\nimport tensorflow as tf\n"
                "images = np.array([[[[1], [2]], [[3], [4]]]])\n"
                "ds = tf.data.Dataset.from_tensor_slices((images, [7]))\n"
                "for x, y in ds.map(lambda x, y: (tf.image.random_flip_left_right(x, 5), y)):\n"
                "    print(x.numpy().tolist(), int(y))\n",
                "[[[2], [1]], [[4], [3]]] 7\n");
  sf_error err = {0};
  sf_trace *t = th_run_text("import tensorflow as tf\ntf.image.random_flip_up_down([[[1.0], [2.0]]], seed=1)\n",
                            &(sf_run_options){.mode = SF_MODE_GRAPH, .profile = SF_PROFILE_TF1}, &err);
  cr_assert_null(t);
  cr_expect_str_eq(err.msg, "unsupported: random_flip_up_down() of a rank-3 image in a graph under the tf1 profile (its "
                            "tf.cond is control flow v1, whose construction ops count into the op seeds)");
}

/* stateless_dropout docstring (nn_ops.py; examples-realworld 19) with a noise_shape: one
 * mask column per row, from stateless_uniform([3, 1], [1, 0]). */
Test(stateless, dropout_noise_shape_broadcasts_the_mask) {
  char *a = run("import tensorflow as tf\n"
                "print(tf.nn.experimental.stateless_dropout(tf.ones([3, 2]), rate=0.5, seed=[1, 0], noise_shape=[3, 1]).numpy())\n"
                "print(tf.cast(tf.random.stateless_uniform([3, 1], seed=[1, 0]) >= 0.5, tf.float32).numpy() * 2.0)\n",
                SF_PROFILE_TF2);
  cr_expect_str_eq(a, "[[2. 2.]\n [0. 0.]\n [2. 2.]]\n[[2.]\n [0.]\n [2.]]\n");
  free(a);
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

/* Generator.state in a tf.function (stateful_random_ops.py: the property is _state_var):
 * a ReadVariableOp that automatic control dependencies run after the call's draws, so
 * each call returns the state its own draws left: 1234 + (6 + 3) * 256 per call (the
 * docstring's 256 counter steps per output). Run eagerly, the function returns the
 * variable itself, with the same words. */
static const char *const state_in_function =
    "import tensorflow as tf\n"
    "g = tf.random.Generator.from_seed(1234)\n"
    "@tf.function\n"
    "def f():\n"
    "  x = g.normal((2, 3))\n"
    "  y = g.uniform([3])\n"
    "  return g.state\n"
    "print(f())\n"
    "print(f())\n"
    "print(g.state.numpy())\n";

Test(generator, state_in_a_function_is_read_after_its_draws) {
  expect_prints_in(state_in_function, SF_MODE_FUNCTION,
                   "tf.Tensor([3538    0    0], shape=(3,), dtype=int64)\n"
                   "tf.Tensor([5842    0    0], shape=(3,), dtype=int64)\n[5842    0    0]\n");
  expect_prints_in(state_in_function, SF_MODE_EAGER,
                   "<tf.Variable 'Variable:0' shape=(3,) dtype=int64, numpy=array([3538,    0,    0])>\n"
                   "<tf.Variable 'Variable:0' shape=(3,) dtype=int64, numpy=array([5842,    0,    0])>\n[5842    0    0]\n");
}

/* reset_from_seed in a tf.function: an AssignVariableOp of create_rng_state(1) between
 * the draws. b is from_seed(1)'s first normal (guide: 0.43842274) in every call; a is
 * from_seed(1234)'s first normal (docstring: 0.9356609), then the state 1 + 256 left. */
static const char *const reset_in_function =
    "import tensorflow as tf\n"
    "g = tf.random.Generator.from_seed(1234)\n"
    "@tf.function\n"
    "def f():\n"
    "  a = g.normal([])\n"
    "  g.reset_from_seed(1)\n"
    "  b = g.normal([])\n"
    "  return a, b\n"
    "print(f())\n"
    "print(f())\n"
    "print(g.state.numpy())\n";

Test(generator, reset_from_seed_in_a_function_orders_with_the_draws) {
  const char *want = "(<tf.Tensor: shape=(), dtype=float32, numpy=0.9356609>, <tf.Tensor: shape=(), dtype=float32, numpy=0.43842274>)\n"
                     "(<tf.Tensor: shape=(), dtype=float32, numpy=1.6272374>, <tf.Tensor: shape=(), dtype=float32, numpy=0.43842274>)\n"
                     "[257   0   0]\n";
  expect_prints_in(reset_in_function, SF_MODE_FUNCTION, want);
  expect_prints_in(reset_in_function, SF_MODE_EAGER, want);
}

static void expect_error_in(const char *text, sf_mode mode, sf_profile profile, const char *want, int line, int col) {
  sf_error err = {0};
  sf_trace *t = th_run_text(text, &(sf_run_options){.mode = mode, .profile = profile}, &err);
  cr_assert_null(t);
  cr_expect_str_eq(err.msg, want);
  cr_expect_eq(err.line, line);
  cr_expect_eq(err.col, col);
}

/* A TF1 graph has no automatic control dependencies to order a state read or reset among
 * the session's draws: both stay located errors there; split in a tf.function would create
 * Generators (variables) at each trace, which TF refuses too. */
Test(generator, state_outside_eager_and_functions_is_a_located_error) {
  expect_error_in("import tensorflow as tf\ng = tf.random.Generator.from_seed(1)\nprint(g.state)\n", SF_MODE_GRAPH,
                  SF_PROFILE_TF1, "unsupported: Generator.state inside a TF1 graph", 3, 7);
  expect_error_in("import tensorflow as tf\ng = tf.random.Generator.from_seed(1)\ng.reset_from_seed(2)\n", SF_MODE_GRAPH,
                  SF_PROFILE_TF1, "unsupported: Generator.reset_from_seed() inside a TF1 graph", 3, 1);
  expect_error_in("import tensorflow as tf\ng = tf.random.Generator.from_seed(1)\n@tf.function\ndef f():\n"
                  "  return g.split()\nf()\n",
                  SF_MODE_FUNCTION, SF_PROFILE_TF2,
                  "unsupported: Generator.split() inside a graph or tf.function (eager mode only)\n"
                  "traceback (most recent call first):\n  in f(), called at line 6, column 1", 5, 10);
}

/* make_seeds traced in a tf.function is its ops (stateful_random_ops.py: uniform_full_int
 * on the generator, zeros_like, stack): each call draws the keys eager make_seeds draws
 * from the same state (the E8 values above), and the state advances the same. */
Test(generator, make_seeds_in_a_function_draws_as_eager) {
  expect_prints("import tensorflow as tf\n"
                "g = tf.random.Generator.from_seed(1)\n"
                "@tf.function\n"
                "def f():\n"
                "  return g.make_seeds(2)\n"
                "print(f().numpy())\n"
                "print(g.state.numpy())\n"
                "h = tf.random.Generator.from_seed(1)\n"
                "h.make_seeds(2)\n"
                "print((f().numpy() == h.make_seeds(2).numpy()).all())\n",
                "[[6679402142117448868  684265014234019051]\n [                  0                   0]]\n[513   0   0]\nTrue\n");
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

/* Its draws come from the OS: the trace says so (record refuses such a program without
 * --entropy) and the run notes that no seed is set; from_seed clears it on reset. */
Test(generator, non_deterministic_draws_are_os_entropy) {
  sf_trace *t = trace_of("import tensorflow as tf\ng = tf.random.Generator.from_non_deterministic_state()\n"
                         "a = g.normal([2])\ng.reset_from_seed(3)\nb = g.normal([2])\n",
                         SF_MODE_EAGER, SF_PROFILE_TF2);
  int draws = 0;
  for (int i = 0; i < sf_trace_op_count(t); i++) {
    const sf_trace_op *op = sf_trace_op_at(t, i);
    if (!op->rng.present) continue;
    cr_expect_eq(op->rng.seed_source == SF_SEED_OS_ENTROPY, draws == 0, "draw %d", draws);
    cr_expect_eq(op->rng.generator, 0);
    draws++;
  }
  cr_expect_eq(draws, 2);
  cr_assert_eq(sf_trace_note_count(t), 1);
  cr_expect_str_eq(sf_trace_note_at(t, 0)->text, "no seed set; these draws change every run");
  sf_trace_free(t);
}

/* examples-realworld 18's second print, with new_seeds[0, :] written out (the docstring's
 * [-0.59835213, -0.9578608, 0.9002807]). */
Test(stateless, normal_on_a_split_seed_matches_the_docstring) {
  expect_prints("import tensorflow as tf\nprint(tf.random.stateless_normal(shape=[3], seed=[1105988140, 1738052849]).numpy())\n",
                "[-0.59835213 -0.9578608   0.9002807 ]\n");
}

/* TF >= 2.5 computes the key/counter with StatelessRandomGetKeyCounter (or, for
 * alg='philox', _philox_scramble_seed: StatelessRandomUniformFullIntV2([4], uint32) with
 * key 0x02461e293ec8f720 and counter cast(seed, uint64)), then fills from
 * PhiloxRandom(counter = [lo c0, hi c0, lo c1, hi c1], key = [lo k, hi k]) (keras3 spec
 * §2.2). Built here word by word, that generator is the V1 one seedflow uses. */
Test(stateless, get_key_counter_path_is_the_v1_scramble) {
  static const int64_t seeds[][2] = {{1, 2}, {-1, 7}, {3723, 3723}, {INT64_MAX, INT64_MIN}};
  for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
    uint64_t s0 = (uint64_t)seeds[i][0], s1 = (uint64_t)seeds[i][1];
    uint32_t ctr[4] = {(uint32_t)s0, (uint32_t)(s0 >> 32), (uint32_t)s1, (uint32_t)(s1 >> 32)}, mix[4];
    uint64_t k = 0x02461e293ec8f720u;
    sf_philox_block(ctr, (uint32_t[]){(uint32_t)k, (uint32_t)(k >> 32)}, mix);
    uint64_t key = mix[0] | (uint64_t)mix[1] << 32, counter[2] = {0, mix[2] | (uint64_t)mix[3] << 32};
    sf_philox v2 = {.ctr = {(uint32_t)counter[0], (uint32_t)(counter[0] >> 32), (uint32_t)counter[1], (uint32_t)(counter[1] >> 32)},
                    .key = {(uint32_t)key, (uint32_t)(key >> 32)}};
    sf_philox v1;
    sf_philox_stateless(&v1, s0, s1);
    cr_expect_eq(memcmp(&v1, &v2, sizeof v1), 0, "seed %zu", i);
  }
}

Test(stateless, alg_philox_and_auto_select_are_the_same_draws) {
  expect_prints("import tensorflow as tf\n"
                "print(tf.random.stateless_uniform([2], seed=[1, 2], alg='philox').numpy())\n"
                "print(tf.random.stateless_uniform([2], seed=[1, 2], alg='auto_select').numpy())\n"
                "print(tf.random.Generator.from_seed(1234, alg='auto_select').normal([1]).numpy())\n",
                "[0.8440604  0.19204533]\n[0.8440604  0.19204533]\n[0.9356609]\n");
  expect_error("import tensorflow as tf\ntf.random.stateless_normal([2], seed=[1, 2], alg='threefry')\n", SF_PROFILE_TF2,
               "stateless_random_normal(): only alg='philox' or 'auto_select' is modelled");
}
