/* test_keras_init.c — Criterion suite `kinit`: initializer objects (lang/api_keras_init.c)
 * called directly and as Dense arguments, seeded and unseeded, under both profiles. Values
 * come from the published draws of tf-random-semantics.md §12 (G1, G9, G13, G14, G15) and
 * the formulas of §9 / tf-api-semantics.md §1.3; every initializer is also checked against
 * the tf.random.* call its TF source makes (same op count, so the same op seeds). */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "seedflow/seedflow.h"

/* tf1 runs in graph mode, tf2 in eager mode (the modes those versions default to). */
static char *run(const char *text, sf_profile p) {
  sf_error err = {0};
  sf_run_options o = {.mode = p == SF_PROFILE_TF1 ? SF_MODE_GRAPH : SF_MODE_EAGER, .profile = p};
  sf_trace *t = th_run_text(text, &o, &err);
  cr_assert(t, "run: %s (line %d)\n%s", err.msg, err.line, text);
  return th_prints_and_free(t);
}

static void expect(const char *text, sf_profile p, const char *want) {
  char *got = run(text, p);
  cr_expect_str_eq(got, want, "program:\n%s", text);
  free(got);
}

static void expect_error(const char *text, sf_profile p, const char *want) {
  sf_error err = {0};
  sf_run_options o = {.mode = p == SF_PROFILE_TF1 ? SF_MODE_GRAPH : SF_MODE_EAGER, .profile = p};
  sf_trace *t = th_run_text(text, &o, &err);
  cr_assert_null(t, "expected an error:\n%s", text);
  cr_expect_str_eq(err.msg, want);
}

/* G13 (TF 1.1, issue 9171): the initializer's 6 ops put its TruncatedNormal at _last_id 4,
 * then 10, as truncated_normal does (published to 7 digits: -0.4487586; the golden program
 * g13 prints the same -0.44875857). */
Test(kinit, tf1_truncated_normal_initializer_counts_ops) {
  expect("import tensorflow as tf\n"
         "init = tf.compat.v1.global_variables_initializer()\n"
         "tf.compat.v1.set_random_seed(1)\n"
         "print(tf.compat.v1.truncated_normal_initializer()([1]))\n"
         "tf.compat.v1.set_random_seed(1)\n"
         "print(tf.truncated_normal_initializer()([1]))\n",
         SF_PROFILE_TF1, "[1.0529343]\n[-0.44875857]\n");
}

/* G14: an op seed without a graph seed pairs with 87654321. */
Test(kinit, tf1_random_normal_initializer_op_seed) {
  expect("import tensorflow as tf\n"
         "print(tf.random_normal_initializer(stddev=1, seed=1)([2, 3]))\n",
         SF_PROFILE_TF1, "[[-0.8113182   1.4845988   0.06532937]\n [-2.4427042   0.0992484   0.5912243 ]]\n");
}

/* G15: one initializer op re-run in one Session continues its kernel. */
Test(kinit, tf1_uniform_initializer_session_reruns) {
  expect("import tensorflow as tf\n"
         "c = tf.random_uniform_initializer(-10, 10, seed=2)([])\n"
         "with tf.compat.v1.Session() as sess:\n"
         "    print(sess.run(c))\n"
         "    print(sess.run(c))\n",
         SF_PROFILE_TF1, "3.574932\n-5.9731865\n");
}

/* G9: unseeded Keras initializers draw one randint each in TF 2.x eager; GlorotUniform of
 * shape [1] has limit sqrt(3): 0.5380393 * 2 sqrt(3) - sqrt(3) in float32 = 0.13177204. */
Test(kinit, tf2_unseeded_initializers_take_eager_op_seeds) {
  expect("import tensorflow as tf\n"
         "tf.random.set_seed(1234)\n"
         "print(tf.keras.initializers.RandomUniform(0., 1.)([1]).numpy())\n"
         "print(tf.keras.initializers.RandomUniform(0., 1.)([1]).numpy())\n"
         "tf.random.set_seed(1234)\n"
         "print(tf.keras.initializers.GlorotUniform()([1]).numpy())\n",
         SF_PROFILE_TF2, "[0.5380393]\n[0.3253647]\n[0.13177204]\n");
}

/* G1 under keras 2.9's legacy seed: seed 1 first, then 2 (make_legacy_seed); under TF 1.x
 * (init_ops) the same op seed on every call, so a TF1 graph repeats G1. */
Test(kinit, seeded_keras_initializer_per_profile) {
  const char *text = "import tensorflow as tf\n"
                     "tf.compat.v1.set_random_seed(5)\n"
                     "init = tf.keras.initializers.RandomNormal(0., 1., seed=1)\n"
                     "print(init([2, 2]))\n"
                     "print(init([2, 2]))\n";
  const char *g1 = "[[-1.3768897  -0.01258316]\n [-0.169515    1.0824056 ]]";
  char *tf1 = run(text, SF_PROFILE_TF1), *tf2 = run(text, SF_PROFILE_TF2), want[256];
  snprintf(want, sizeof want, "%s\n%s\n", g1, g1);
  cr_expect_str_eq(tf1, want);
  snprintf(want, sizeof want, "tf.Tensor(\n%s, shape=(2, 2), dtype=float32)\ntf.Tensor(", g1);
  cr_expect(strncmp(tf2, want, strlen(want)) == 0, "tf2 first call is G1:\n%s", tf2);
  cr_expect(strstr(strstr(tf2, "-1.3768897") + 1, "-1.3768897") == NULL, "tf2 second call takes seed 2:\n%s", tf2);
  free(tf1);
  free(tf2);
}

/* §9 / tf-api-semantics §1.3: he_normal = truncated normal * sqrt(2 / fan_in) / 0.8796...;
 * from G13's draw 1.0529343: 1.6928496 in float32. */
Test(kinit, tf1_he_normal_scales_the_truncated_draw) {
  expect("import tensorflow as tf\n"
         "init = tf.compat.v1.global_variables_initializer()\n"
         "tf.compat.v1.set_random_seed(1)\n"
         "print(tf.keras.initializers.he_normal()([1]))\n",
         SF_PROFILE_TF1, "[1.6928496]\n");
}

/* init_ops_v2 (TF 2.x tf.random_normal_initializer): seeded is stateless_random_normal
 * with seed [seed, 0], the same on every call. */
Test(kinit, tf2_init_ops_v2_seeded_is_stateless) {
  char *a = run("import tensorflow as tf\n"
                "init = tf.random_normal_initializer(stddev=1., seed=4)\n"
                "print(init([3]))\nprint(init([3]))\n",
                SF_PROFILE_TF2);
  char *b = run("import tensorflow as tf\n"
                "print(tf.random.stateless_normal([3], [4, 0]))\nprint(tf.random.stateless_normal([3], [4, 0]))\n",
                SF_PROFILE_TF2);
  cr_expect_str_eq(a, b);
  free(a);
  free(b);
}

/* Every initializer against the wrapper call its TF source makes: the same values and the
 * same op seeds afterwards (one more unseeded draw follows), seeded and unseeded. */
typedef struct {
  sf_profile profile;
  char init[96];    /* the initializer expression */
  char shape[16];
  char ref1[160];   /* first call as a tf.random call */
  char ref2[160];   /* second call of the same object */
} kcase;

ParameterizedTestParameters(kinit, matches_its_wrapper) {
  /* limit sqrt(3 scale / n): glorot (2, 3): n 2.5; he (2, 3): fan_in 2; lecun: fan_in 2 */
  static kcase cases[] = {
      {SF_PROFILE_TF1, "tf.keras.initializers.GlorotUniform(seed=3)", "(2, 3)",
       "tf.random.uniform((2, 3), -(1.2 ** 0.5), 1.2 ** 0.5, seed=3)", "tf.random.uniform((2, 3), -(1.2 ** 0.5), 1.2 ** 0.5, seed=3)"},
      {SF_PROFILE_TF2, "tf.keras.initializers.GlorotUniform(seed=3)", "(2, 3)",
       "tf.random.uniform((2, 3), -(1.2 ** 0.5), 1.2 ** 0.5, seed=3)", "tf.random.uniform((2, 3), -(1.2 ** 0.5), 1.2 ** 0.5, seed=4)"},
      {SF_PROFILE_TF1, "tf.keras.initializers.GlorotUniform()", "(2, 3)",
       "tf.random.uniform((2, 3), -(1.2 ** 0.5), 1.2 ** 0.5)", "tf.random.uniform((2, 3), -(1.2 ** 0.5), 1.2 ** 0.5)"},
      {SF_PROFILE_TF2, "tf.keras.initializers.glorot_uniform()", "(2, 3)",
       "tf.random.uniform((2, 3), -(1.2 ** 0.5), 1.2 ** 0.5)", "tf.random.uniform((2, 3), -(1.2 ** 0.5), 1.2 ** 0.5)"},
      {SF_PROFILE_TF1, "tf.keras.initializers.GlorotNormal(seed=2)", "(2, 3)",
       "tf.random.truncated_normal((2, 3), 0., 0.4 ** 0.5 / 0.87962566103423978, seed=2)",
       "tf.random.truncated_normal((2, 3), 0., 0.4 ** 0.5 / 0.87962566103423978, seed=2)"},
      {SF_PROFILE_TF2, "tf.keras.initializers.GlorotNormal()", "(2, 3)",
       "tf.random.truncated_normal((2, 3), 0., 0.4 ** 0.5 / 0.87962566103423978)",
       "tf.random.truncated_normal((2, 3), 0., 0.4 ** 0.5 / 0.87962566103423978)"},
      {SF_PROFILE_TF1, "tf.keras.initializers.HeNormal()", "(2, 3)",
       "tf.random.truncated_normal((2, 3), 0., 1. / 0.87962566103423978)", "tf.random.truncated_normal((2, 3), 0., 1. / 0.87962566103423978)"},
      {SF_PROFILE_TF2, "tf.keras.initializers.HeNormal(seed=9)", "(2, 3)",
       "tf.random.truncated_normal((2, 3), 0., 1. / 0.87962566103423978, seed=9)",
       "tf.random.truncated_normal((2, 3), 0., 1. / 0.87962566103423978, seed=10)"},
      {SF_PROFILE_TF1, "tf.keras.initializers.HeUniform(seed=1)", "(2, 3)", "tf.random.uniform((2, 3), -(3. ** 0.5), 3. ** 0.5, seed=1)",
       "tf.random.uniform((2, 3), -(3. ** 0.5), 3. ** 0.5, seed=1)"},
      {SF_PROFILE_TF2, "tf.keras.initializers.he_uniform()", "(2, 3)", "tf.random.uniform((2, 3), -(3. ** 0.5), 3. ** 0.5)",
       "tf.random.uniform((2, 3), -(3. ** 0.5), 3. ** 0.5)"},
      {SF_PROFILE_TF1, "tf.keras.initializers.LecunNormal()", "(2, 3)",
       "tf.random.truncated_normal((2, 3), 0., 0.5 ** 0.5 / 0.87962566103423978)",
       "tf.random.truncated_normal((2, 3), 0., 0.5 ** 0.5 / 0.87962566103423978)"},
      {SF_PROFILE_TF2, "tf.keras.initializers.lecun_normal(seed=5)", "(2, 3)",
       "tf.random.truncated_normal((2, 3), 0., 0.5 ** 0.5 / 0.87962566103423978, seed=5)",
       "tf.random.truncated_normal((2, 3), 0., 0.5 ** 0.5 / 0.87962566103423978, seed=6)"},
      {SF_PROFILE_TF1, "tf.keras.initializers.LecunUniform(seed=5)", "(2, 3)", "tf.random.uniform((2, 3), -(1.5 ** 0.5), 1.5 ** 0.5, seed=5)",
       "tf.random.uniform((2, 3), -(1.5 ** 0.5), 1.5 ** 0.5, seed=5)"},
      {SF_PROFILE_TF2, "tf.keras.initializers.LecunUniform()", "(2, 3)", "tf.random.uniform((2, 3), -(1.5 ** 0.5), 1.5 ** 0.5)",
       "tf.random.uniform((2, 3), -(1.5 ** 0.5), 1.5 ** 0.5)"},
      {SF_PROFILE_TF1, "tf.keras.initializers.VarianceScaling(2., 'fan_out', 'untruncated_normal', seed=8)", "(2, 4)",
       "tf.random.normal((2, 4), 0., 0.5 ** 0.5, seed=8)", "tf.random.normal((2, 4), 0., 0.5 ** 0.5, seed=8)"},
      {SF_PROFILE_TF2, "tf.keras.initializers.VarianceScaling(mode='fan_avg', distribution='uniform')", "(2, 4)",
       "tf.random.uniform((2, 4), -1., 1.)", "tf.random.uniform((2, 4), -1., 1.)"},
      {SF_PROFILE_TF1, "tf.keras.initializers.RandomNormal()", "[3]", "tf.random.normal([3], 0., 0.05)", "tf.random.normal([3], 0., 0.05)"},
      {SF_PROFILE_TF2, "tf.keras.initializers.RandomNormal(1., 2., seed=3)", "[3]", "tf.random.normal([3], 1., 2., seed=3)",
       "tf.random.normal([3], 1., 2., seed=4)"},
      {SF_PROFILE_TF1, "tf.keras.initializers.RandomUniform(seed=2)", "[3]", "tf.random.uniform([3], -0.05, 0.05, seed=2)",
       "tf.random.uniform([3], -0.05, 0.05, seed=2)"},
      {SF_PROFILE_TF2, "tf.keras.initializers.random_uniform()", "[3]", "tf.random.uniform([3], -0.05, 0.05)",
       "tf.random.uniform([3], -0.05, 0.05)"},
      {SF_PROFILE_TF1, "tf.keras.initializers.TruncatedNormal(seed=6)", "[3]", "tf.random.truncated_normal([3], 0., 0.05, seed=6)",
       "tf.random.truncated_normal([3], 0., 0.05, seed=6)"},
      {SF_PROFILE_TF2, "tf.keras.initializers.TruncatedNormal()", "[3]", "tf.random.truncated_normal([3], 0., 0.05)",
       "tf.random.truncated_normal([3], 0., 0.05)"},
      {SF_PROFILE_TF1, "tf.compat.v1.glorot_uniform_initializer()", "[2, 3]", "tf.random.uniform([2, 3], -(1.2 ** 0.5), 1.2 ** 0.5)",
       "tf.random.uniform([2, 3], -(1.2 ** 0.5), 1.2 ** 0.5)"},
      {SF_PROFILE_TF2, "tf.compat.v1.glorot_normal_initializer(seed=1)", "[2, 3]",
       "tf.random.truncated_normal([2, 3], 0., 0.4 ** 0.5 / 0.87962566103423978, seed=1)",
       "tf.random.truncated_normal([2, 3], 0., 0.4 ** 0.5 / 0.87962566103423978, seed=1)"},
      {SF_PROFILE_TF1, "tf.random_uniform_initializer()", "[3]", "tf.random.uniform([3], 0., 1.)", "tf.random.uniform([3], 0., 1.)"},
      {SF_PROFILE_TF2, "tf.random_uniform_initializer()", "[3]", "tf.random.uniform([3], -0.05, 0.05)", "tf.random.uniform([3], -0.05, 0.05)"},
      {SF_PROFILE_TF2, "tf.random_uniform_initializer(seed=3)", "[3]", "tf.random.stateless_uniform([3], [3, 0], -0.05, 0.05)",
       "tf.random.stateless_uniform([3], [3, 0], -0.05, 0.05)"},
      {SF_PROFILE_TF1, "tf.compat.v1.variance_scaling_initializer(distribution='normal', seed=4)", "[4, 1]",
       "tf.random.truncated_normal([4, 1], 0., 0.5 / 0.87962566103423978, seed=4)",
       "tf.random.truncated_normal([4, 1], 0., 0.5 / 0.87962566103423978, seed=4)"},
      {SF_PROFILE_TF2, "tf.keras.initializers.Zeros()", "[2]", "tf.zeros([2])", "tf.zeros([2])"},
      {SF_PROFILE_TF1, "tf.keras.initializers.Ones()", "[2]", "tf.ones([2])", "tf.ones([2])"},
      {SF_PROFILE_TF2, "tf.constant_initializer(3)", "[2]", "tf.constant(3., shape=[2])", "tf.constant(3., shape=[2])"},
      {SF_PROFILE_TF1, "tf.zeros_initializer()", "[2]", "tf.zeros([2])", "tf.zeros([2])"},
  };
  return cr_make_param_array(kcase, cases, sizeof cases / sizeof *cases);
}

ParameterizedTest(kcase *c, kinit, matches_its_wrapper) {
  char a[1024], b[1024];
  const char *head = "import tensorflow as tf\ntf.compat.v1.set_random_seed(7)\n", *tail = "print(tf.random.uniform([2]))\n";
  snprintf(a, sizeof a, "%sinit = %s\nprint(init(%s))\nprint(init(%s))\n%s", head, c->init, c->shape, c->shape, tail);
  snprintf(b, sizeof b, "%sprint(%s)\nprint(%s)\n%s", head, c->ref1, c->ref2, tail);
  char *x = run(a, c->profile), *y = run(b, c->profile);
  cr_expect_str_eq(x, y, "%s (profile %s)", c->init, c->profile == SF_PROFILE_TF1 ? "tf1" : "tf2");
  free(x);
  free(y);
}

/* A Dense layer draws its kernel then its bias with the initializers it was given: a
 * name, an object, or the program's function (called as initializer(shape, dtype=...)). */
Test(kinit, dense_initializer_arguments) {
  const char *layer = "import tensorflow as tf\n"
                      "tf.random.set_seed(3)\n"
                      "def my_init(shape, dtype=tf.float32):\n"
                      "    return tf.random.normal(shape, stddev=(2. / (shape[0] + shape[1])) ** 0.5, dtype=dtype)\n"
                      "m = tf.keras.Sequential(tf.keras.layers.Dense(2, input_dim=3, kernel_initializer=my_init,\n"
                      "                        bias_initializer=tf.keras.initializers.Constant(0.5)))\n"
                      "m.add(tf.keras.layers.Dense(1, kernel_initializer='he_uniform'))\n"
                      "for w in m.get_weights():\n"
                      "    print(w)\n";
  const char *direct = "import tensorflow as tf\n"
                       "tf.random.set_seed(3)\n"
                       "print(tf.random.normal([3, 2], stddev=0.4 ** 0.5).numpy())\n"
                       "print(tf.constant(0.5, shape=[2]).numpy())\n"
                       "print(tf.random.uniform([2, 1], -(3. ** 0.5), 3. ** 0.5).numpy())\n"
                       "print(tf.zeros([1]).numpy())\n";
  for (int p = 0; p < 2; p++) {
    char *x = run(layer, p ? SF_PROFILE_TF1 : SF_PROFILE_TF2), *y = run(direct, SF_PROFILE_TF2);
    if (p == 0) cr_expect_str_eq(x, y);
    else cr_expect(strstr(x, "[0.5 0.5]") != NULL, "%s", x);
    free(x);
    free(y);
  }
}

Test(kinit, errors_name_the_initializer) {
  expect_error("import tensorflow as tf\ntf.keras.layers.Dense(2, kernel_initializer='glorot')\n", SF_PROFILE_TF2,
               "Dense: unknown initializer: 'glorot'");
  expect_error("import tensorflow as tf\ntf.glorot_uniform_initializer()\n", SF_PROFILE_TF2,
               "tf.glorot_uniform_initializer is TF 1.x API (TF 2.x: tf.compat.v1.glorot_uniform_initializer)");
  expect_error("import tensorflow as tf\ntf.keras.initializers.VarianceScaling(mode='fan')\n", SF_PROFILE_TF2,
               "VarianceScaling: Invalid `mode` argument: use fan_in, fan_out or fan_avg");
  expect_error("import tensorflow as tf\ntf.keras.initializers.RandomNormal()([2], tf.int32)\n", SF_PROFILE_TF2,
               "RandomNormal: expected a float dtype, got int32");
  expect_error("import tensorflow as tf\ntf.keras.initializers.Orthogonal()\n", SF_PROFILE_TF2,
               "unsupported function 'tf.keras.initializers.Orthogonal'");
}

/* ---- Keras models: weights, seeds, fit's data ---- */

static void expect_same(const char *a, const char *b, sf_profile p) {
  char *x = run(a, p), *y = run(b, p);
  cr_expect_str_eq(x, y, "program:\n%s", a);
  free(x);
  free(y);
}

/* keras/utils/tf_utils.py @v2.9.0: random.seed, np.random.seed, tf.random.set_seed. */
Test(keras, set_random_seed_seeds_python_numpy_and_tf) {
  expect_same("import random\nimport numpy as np\nimport tensorflow as tf\n"
              "tf.keras.utils.set_random_seed(3)\n"
              "print(random.random(), np.random.rand(), tf.random.uniform([2]))\n",
              "import random\nimport numpy as np\nimport tensorflow as tf\n"
              "random.seed(3)\nnp.random.seed(3)\ntf.random.set_seed(3)\n"
              "print(random.random(), np.random.rand(), tf.random.uniform([2]))\n",
              SF_PROFILE_TF2);
  expect("import random\nimport tensorflow as tf\ntf.keras.utils.set_random_seed(3)\nprint(random.random())\n", SF_PROFILE_TF2,
         "0.23796462709189137\n"); /* CPython: random.seed(3); random.random() */
  expect_error("import tensorflow as tf\ntf.keras.utils.set_random_seed(3)\n", SF_PROFILE_TF1,
               "tf.keras.utils.set_random_seed is TF 2.7+ (profiles tf2, tf2.10, keras3), not TF 1.x");
  expect_error("import tensorflow as tf\ntf.keras.utils.set_random_seed(None)\n", SF_PROFILE_TF2,
               "ValueError: Expected `seed` argument to be an integer. Received: seed=None (of type <class 'NoneType'>)");
}

/* random_seed.py get_seed (TF 2.9): (None, None) with determinism on raises; seeded ops
 * draw as before. */
Test(keras, op_determinism_requires_a_seed) {
  expect("import tensorflow as tf\n"
         "tf.config.experimental.enable_op_determinism()\n"
         "try:\n    tf.random.uniform([1])\nexcept RuntimeError as e:\n    print(e)\n"
         "tf.random.set_seed(1234)\nprint(tf.random.uniform([1]).numpy())\n",
         SF_PROFILE_TF2,
         "Random ops require a seed to be set when determinism is enabled. Please set a seed before running the op, "
         "e.g. by calling tf.random.set_seed(1).\n[0.5380393]\n"); /* G9 */
  expect_error("import tensorflow as tf\ntf.config.experimental.enable_op_determinism()\n", SF_PROFILE_TF1,
               "tf.config.experimental.enable_op_determinism is TF 2.8+ API (profile tf1 models TF 1.x-2.1)");
}

Test(keras, set_weights_then_get_weights_and_call) {
  const char *text = "import numpy as np\nimport tensorflow as tf\n"
                     "m = tf.keras.Sequential()\n"
                     "m.add(tf.keras.layers.Dense(2, input_shape=(3,)))\n"
                     "m.set_weights([np.ones((3, 2)), [0.5, -1.]])\n"
                     "print(m.get_weights())\n"
                     "print(m.predict(tf.constant([[1., 2., 3.]]), verbose=0))\n";
  const char *want = "[array([[1., 1.],\n       [1., 1.],\n       [1., 1.]], dtype=float32), array([ 0.5, -1. ], dtype=float32)]\n"
                     "[[6.5 5. ]]\n";
  char *e = run(text, SF_PROFILE_TF2), *gr = run(text, SF_PROFILE_TF1);
  cr_expect_str_eq(e, want); /* Model.predict returns a NumPy array in TF2 too (training.py predict) */
  cr_expect_str_eq(gr, want);
  free(e);
  free(gr);
  expect_error("import tensorflow as tf\nm = tf.keras.Sequential([tf.keras.layers.Dense(2, input_dim=3)])\nm.set_weights([[1., 2.], [0., 0.]])\n",
               SF_PROFILE_TF2, "set_weights: weight 0 has shape (2,), the layer's is (3, 2)");
  expect_error("import numpy as np\nimport tensorflow as tf\nm = tf.keras.Sequential([tf.keras.layers.Dense(2, input_dim=3)])\n"
               "m.set_weights([np.zeros((3, 2))])\n",
               SF_PROFILE_TF2, "set_weights: the model has 2 weights, 1 were given");
}

/* fit(validation_split=s) trains on the first floor(n (1 - s)) samples only. */
Test(keras, fit_validation_split_holds_out_the_tail) {
  const char *head = "import tensorflow as tf\ntf.random.set_seed(5)\n"
                     "m = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(1,))])\n"
                     "m.compile(optimizer='sgd', loss='mse')\n";
  char a[512], b[512];
  snprintf(a, sizeof a, "%sm.fit(tf.constant([[0.1], [0.7], [1.3], [2.9], [0.3]]), tf.constant([[0.2], [1.4], [2.6], [5.8], [0.6]]),"
           " epochs=2, validation_split=0.5, verbose=0)\nprint(m.get_weights())\n", head);
  snprintf(b, sizeof b, "%sm.fit(tf.constant([[0.1], [0.7]]), tf.constant([[0.2], [1.4]]), epochs=2,"
           " validation_data=(tf.constant([[1.3]]), tf.constant([[2.6]])))\nprint(m.get_weights())\n", head);
  for (int p = 0; p < 2; p++) expect_same(a, b, p ? SF_PROFILE_TF1 : SF_PROFILE_TF2);
}

/* training_arrays.py (TF 1.x): each epoch is one np.random.shuffle of arange(n) on NumPy's
 * global stream, so the stream after fit is the stream after that shuffle (G22's draws). */
Test(keras, tf1_fit_shuffles_on_numpys_stream) {
  expect_same("import numpy as np\nimport tensorflow as tf\nnp.random.seed(0)\n"
              "m = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(1,))])\n"
              "m.compile(optimizer='sgd', loss='mse')\n"
              "x = tf.constant([[float(i)] for i in range(10)])\n"
              "m.fit(x, x, epochs=2, batch_size=4)\nprint(np.random.rand())\n",
              "import numpy as np\nnp.random.seed(0)\nnp.random.permutation(10)\nnp.random.permutation(10)\n"
              "print(np.random.rand())\n",
              SF_PROFILE_TF1);
}

/* The functional API builds each layer when it is called on tf.keras.Input, in call order:
 * the same weights (and outputs) as a Sequential model with an InputLayer. */
Test(keras, functional_model_equals_sequential_with_input_layer) {
  const char *tail = "print(m.get_weights())\nprint(m(tf.constant([[1., 2., 3.]])))\n";
  char a[768], b[768];
  snprintf(a, sizeof a,
           "import tensorflow as tf\ntf.random.set_seed(4)\ninp = tf.keras.Input(shape=(3,))\n"
           "h = tf.keras.layers.Dense(4, activation='relu')(inp)\nout = tf.keras.layers.Dense(1)(tf.keras.layers.Dropout(0.5)(h))\n"
           "m = tf.keras.Model(inputs=inp, outputs=out)\n%s", tail);
  snprintf(b, sizeof b,
           "import tensorflow as tf\ntf.random.set_seed(4)\n"
           "m = tf.keras.Sequential([tf.keras.layers.InputLayer(input_shape=(3,)), tf.keras.layers.Dense(4, activation='relu'),\n"
           "                         tf.keras.layers.Dropout(0.5), tf.keras.layers.Dense(1)])\n%s", tail);
  expect_same(a, b, SF_PROFILE_TF2);
  expect_error("import tensorflow as tf\nm = tf.keras.Model()\n", SF_PROFILE_TF2,
               "unsupported: tf.keras.Model subclasses (only Model(inputs, outputs))");
  expect_error("import tensorflow as tf\ni = tf.keras.Input(shape=(3,))\nm = tf.keras.Model(i, tf.keras.Input(shape=(2,)))\n",
               SF_PROFILE_TF2, "Model: inputs must be one tf.keras.Input and outputs one layer output computed from it");
}
