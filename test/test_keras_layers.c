/* test_keras_layers.c — Criterion suite `klayers`: Flatten (keras/layers/core.py: a Const
 * shape and a Reshape), Dropout called with training= on a layer and on a model (Monte Carlo
 * dropout: each call draws anew), in eager and function modes. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "seedflow/seedflow.h"

static char *run_mode(const char *text, sf_mode mode, sf_error *err) {
  sf_run_options o = {.mode = mode, .profile = SF_PROFILE_TF2};
  sf_trace *t = th_run_text(text, &o, err);
  return t ? th_prints_and_free(t) : NULL;
}

static void expect_mode(const char *text, sf_mode mode, const char *want) {
  sf_error err = {0};
  char *got = run_mode(text, mode, &err);
  cr_assert(got, "run: %s (line %d)\n%s", err.msg, err.line, text);
  cr_expect_str_eq(got, want, "program:\n%s", text);
  free(got);
}

static void expect_error(const char *text, const char *want, int line) {
  sf_error err = {0};
  char *got = run_mode(text, SF_MODE_EAGER, &err);
  cr_assert_null(got, "expected an error:\n%s", text);
  cr_expect_str_eq(err.msg, want);
  cr_expect_eq(err.line, line);
}

/* Flatten keeps the row-major order: sample i's values are x[i] read flat. */
Test(klayers, flatten_reshapes_to_batch_by_features) {
  expect_mode("import numpy as np\n"
              "import tensorflow as tf\n"
              "x = np.arange(12, dtype=np.float32).reshape(2, 3, 2)\n"
              "print(tf.keras.layers.Flatten()(x))\n"
              "print(tf.keras.layers.Flatten(input_shape=[3, 2])(x).shape)\n",
              SF_MODE_EAGER,
              "tf.Tensor(\n[[ 0.  1.  2.  3.  4.  5.]\n [ 6.  7.  8.  9. 10. 11.]], shape=(2, 6), dtype=float32)\n"
              "(2, 6)\n");
}

/* A Sequential model from Flatten(input_shape=[28, 28]) builds its Dense on 784 features. */
Test(klayers, flatten_first_in_sequential) {
  expect_mode("import numpy as np\n"
              "import tensorflow as tf\n"
              "from tensorflow import keras\n"
              "m = keras.models.Sequential([keras.layers.Flatten(input_shape=[28, 28]), keras.layers.Dense(3)])\n"
              "print([w.shape for w in m.get_weights()])\n"
              "print(m(np.zeros((5, 28, 28), dtype=np.float32)).shape)\n",
              SF_MODE_EAGER, "[(784, 3), (3,)]\n(5, 3)\n");
}

/* Keras's Dropout.call is nn.dropout(inputs, rate, seed=self.seed) when training: after the
 * same tf.random.set_seed, the k-th model(x, training=True) is the k-th tf.nn.dropout; each
 * call draws anew; training=False (and no training argument) is the input. */
Test(klayers, mc_dropout_eager_draws_per_call) {
  expect_mode("import numpy as np\n"
              "import tensorflow as tf\n"
              "from tensorflow import keras\n"
              "x = np.ones((3, 8), dtype=np.float32)\n"
              "model = keras.models.Sequential([keras.layers.Dropout(rate=0.5, input_shape=[8])])\n"
              "tf.random.set_seed(42)\n"
              "a = [model(x, training=True) for _ in range(3)]\n"
              "tf.random.set_seed(42)\n"
              "b = [tf.nn.dropout(x, rate=0.5) for _ in range(3)]\n"
              "print([bool(tf.reduce_all(p == q)) for p, q in zip(a, b)])\n"
              "print(bool(tf.reduce_all(a[0] == a[1])), bool(tf.reduce_all(a[1] == a[2])))\n"
              "print(bool(tf.reduce_all(model(x, training=False) == x)), bool(tf.reduce_all(model(x) == x)))\n"
              "d = keras.layers.Dropout(0.5)\n"
              "print(bool(tf.reduce_all(d(x, training=True) == d(x, training=True))))\n",
              SF_MODE_EAGER, "[True, True, True]\nFalse False\nTrue True\nFalse\n");
}

/* In function mode each call traces its own dropout ops (new op seeds): the draws differ
 * per call and every value is 0 or 1 / (1 - rate). */
Test(klayers, mc_dropout_function_draws_per_call) {
  expect_mode("import numpy as np\n"
              "import tensorflow as tf\n"
              "from tensorflow import keras\n"
              "tf.random.set_seed(7)\n"
              "x = np.ones((3, 8), dtype=np.float32)\n"
              "model = keras.models.Sequential([keras.layers.Dropout(rate=0.5, input_shape=[8])])\n"
              "a = [model(x, training=True) for _ in range(3)]\n"
              "print(bool(tf.reduce_all(a[0] == a[1])), bool(tf.reduce_all(a[1] == a[2])))\n"
              "print([bool(tf.reduce_all(tf.logical_or(y == 0.0, y == 2.0))) for y in a])\n",
              SF_MODE_FUNCTION, "False False\n[True, True, True]\n");
}

Test(klayers, flatten_errors) {
  expect_error("import tensorflow as tf\n"
               "f = tf.keras.layers.Flatten(data_format='channels_first')\n",
               "Flatten: only data_format 'channels_last' is supported", 2);
  expect_error("import tensorflow as tf\n"
               "f = tf.keras.layers.Flatten(input_shape=[28, 0])\n",
               "Flatten: input_shape must be a tuple of positive ints, e.g. (28, 28)", 2);
}
