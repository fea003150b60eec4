/* test_keras_layers.c — Criterion suite `klayers`: Flatten (keras/layers/core.py: a Const
 * shape and a Reshape), Dropout called with training= on a layer and on a model (Monte Carlo
 * dropout: each call draws anew), in eager and function modes. */
#include <criterion/criterion.h>

#include <stdio.h>
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

/* ---- regularizers (lang/api_keras_layers.c) ---- */

/* model.losses: L2 = l2 * reduce_sum(square(x)), L1 = l1 * reduce_sum(abs(x)), L1L2 =
 * 0. + l1 term + l2 term (regularizers.py, TF 2.4), factors rounded to float32. Expected from
 * NumPy float32 (/usr/bin/python3): f(0.05)*sum(square(w)) = 0.29112503,
 * f(0.01)*sum(abs(w)) = 0.0385, f(0.01)*sum(square(b)) = 0.0058,
 * (f(0) + f(0.01)*sum(abs(w))) + f(0.02)*sum(square(w)) = 0.15495001. */
Test(klayers, regularization_losses) {
  expect_mode("import numpy as np\n"
              "import tensorflow as tf\n"
              "from tensorflow import keras\n"
              "w = np.array([[0.5, -1.25], [2.0, 0.1]], dtype=np.float32)\n"
              "b = np.array([0.3, -0.7], dtype=np.float32)\n"
              "for kr, br in [(keras.regularizers.l2(0.05), None), (keras.regularizers.l1(0.01), 'l2'),\n"
              "               (keras.regularizers.l1_l2(l1=0.01, l2=0.02), None)]:\n"
              "    model = keras.models.Sequential([keras.layers.Dense(2, input_shape=[2], kernel_regularizer=kr,\n"
              "                                                        bias_regularizer=br)])\n"
              "    model.set_weights([w, b])\n"
              "    for l in model.losses:\n"
              "        print(l.numpy())\n",
              SF_MODE_EAGER, "0.29112503\n0.0385\n0.0058\n0.15495001\n");
}

/* fit adds add_n(model.losses) to the loss (compile_utils.py): one SGD step from w = [1, 2]
 * on x = I, y = 0 with l2(0.5): grad = x^T (2 (xw - y) / 2) + 2 * 0.5 * w = [2, 4], so
 * w - 0.1 * grad = [0.8, 1.6]; without the regularizer [0.9, 1.8]. A Python callable
 * regularizer counts the same, in every mode. */
static const char fit_reg[] = "import numpy as np\n"
                              "import tensorflow as tf\n"
                              "from tensorflow import keras\n"
                              "def my_reg(w):\n"
                              "    return 0.5 * tf.reduce_sum(tf.square(w))\n"
                              "for reg in [keras.regularizers.l2(0.5), my_reg, None]:\n"
                              "    model = keras.models.Sequential([keras.layers.Dense(1, input_shape=[2], use_bias=False,\n"
                              "                                                        kernel_regularizer=reg)])\n"
                              "    model.set_weights([np.array([[1.0], [2.0]], dtype=np.float32)])\n"
                              "    model.compile(loss='mse', optimizer=keras.optimizers.SGD(learning_rate=0.1))\n"
                              "    model.fit(np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32), np.zeros((2, 1), dtype=np.float32), epochs=1,\n"
                              "              batch_size=2, shuffle=False, verbose=0)\n"
                              "    print(model.get_weights()[0].tolist())\n";

Test(klayers, fit_adds_regularization_losses) {
  const char *want = "[[0.800000011920929], [1.600000023841858]]\n[[0.800000011920929], [1.600000023841858]]\n"
                     "[[0.8999999761581421], [1.7999999523162842]]\n";
  expect_mode(fit_reg, SF_MODE_EAGER, want);
  expect_mode(fit_reg, SF_MODE_FUNCTION, want);
  expect_mode(fit_reg, SF_MODE_GRAPH, want);
}

/* The attributes a training loop reads: layers, variables (Keras names), trainable_variables,
 * variable.constraint, a layer's kernel; the gradient of model.losses reaches the kernel
 * (d/dk 0.05 * sum(k^2) = 0.1 * k) and not the unregularized bias (None). */
Test(klayers, model_attributes) {
  expect_mode("import numpy as np\n"
              "import tensorflow as tf\n"
              "from tensorflow import keras\n"
              "def positive(w):\n"
              "    return tf.nn.relu(w)\n"
              "model = keras.models.Sequential([\n"
              "    keras.layers.Dense(2, input_shape=[2], kernel_regularizer=keras.regularizers.l2(0.05),\n"
              "                       kernel_constraint=positive),\n"
              "    keras.layers.Dense(1)])\n"
              "print(len(model.layers), [v.name for v in model.variables])\n"
              "print([v.shape for v in model.trainable_variables], len(model.trainable_weights), len(model.weights))\n"
              "print([v.constraint is None for v in model.variables])\n"
              "model.set_weights([np.array([[0.5, -1.0], [2.0, 0.25]], dtype=np.float32), np.zeros(2, dtype=np.float32),\n"
              "                   np.ones((2, 1), dtype=np.float32), np.zeros(1, dtype=np.float32)])\n"
              "print(model.layers[0].kernel.numpy().tolist())\n"
              "v = model.variables[0]\n"
              "print(v.constraint(v).numpy().tolist())\n"
              "with tf.GradientTape() as tape:\n"
              "    loss = tf.add(model.losses[0], 0.0)\n"
              "g = tape.gradient(loss, model.trainable_variables)\n"
              "print(g[0].numpy().tolist(), g[1])\n",
              SF_MODE_EAGER,
              "2 ['dense/kernel:0', 'dense/bias:0', 'dense_1/kernel:0', 'dense_1/bias:0']\n"
              "[(2, 2), (2,), (2, 1), (1,)] 4 4\n"
              "[False, True, True, True]\n"
              "[[0.5, -1.0], [2.0, 0.25]]\n"
              "[[0.5, 0.0], [2.0, 0.25]]\n"
              "[[0.05000000074505806, -0.10000000149011612], [0.20000000298023224, 0.02500000037252903]] None\n");
}

Test(klayers, regularizer_errors) {
  expect_error("import tensorflow as tf\n"
               "d = tf.keras.layers.Dense(2, activity_regularizer='l2')\n",
               "Dense: unsupported: activity_regularizer", 2);
  expect_error("import tensorflow as tf\n"
               "d = tf.keras.layers.Dense(2, kernel_regularizer='l3')\n",
               "Dense: unsupported kernel_regularizer 'l3'", 2);
  expect_error("import tensorflow as tf\n"
               "d = tf.keras.layers.Dense(2, kernel_constraint=2)\n",
               "Dense: kernel_constraint must be None or a callable", 2);
  expect_error("import tensorflow as tf\n"
               "r = tf.keras.regularizers.l2(-1.0)\n",
               "L2: l2 must be a non-negative number, got -1", 2);
}

/* ---- Layer / Model subclasses (lang/api_keras_subclass.c) ---- */

static const char my_dense[] = "import numpy as np\n"
                               "import tensorflow as tf\n"
                               "from tensorflow import keras\n"
                               "class MyDense(keras.layers.Layer):\n"
                               "    def __init__(self, units, **kwargs):\n"
                               "        super().__init__(**kwargs)\n"
                               "        self.units = units\n"
                               "    def build(self, input_shape):\n"
                               "        self.kernel = self.add_weight(name='kernel', shape=[input_shape[-1], self.units],\n"
                               "                                      initializer='glorot_normal')\n"
                               "        self.bias = self.add_weight(name='bias', shape=[self.units], initializer='zeros')\n"
                               "        super().build(input_shape)\n"
                               "    def call(self, X):\n"
                               "        return tf.matmul(X, self.kernel) + self.bias\n";

static char *cat(const char *a, const char *b) {
  char *r = malloc(strlen(a) + strlen(b) + 1);
  cr_assert_not_null(r);
  strcpy(r, a);
  strcat(r, b);
  return r;
}

/* add_weight draws its initializer as Dense.build does (Layer.add_weight, init_scope): after
 * the same tf.random.set_seed the subclass's kernel is Dense(kernel_initializer=
 * 'glorot_normal')'s, in the tf1 (TF 2.0-2.1 eager) and tf2 profiles, eager and function
 * modes; the values are those of the Dense path. */
Test(klayers, subclassed_layer_initial_weights) {
  char *text = cat(my_dense, "x = np.ones((2, 3), dtype=np.float32)\n"
                             "tf.random.set_seed(42)\n"
                             "a = MyDense(2)\n"
                             "ya = a(x)\n"
                             "tf.random.set_seed(42)\n"
                             "d = keras.layers.Dense(2, kernel_initializer='glorot_normal')\n"
                             "yd = d(x)\n"
                             "print(a.kernel.numpy().tolist() == d.kernel.numpy().tolist(), bool(tf.reduce_all(ya == yd)))\n"
                             "print(a.kernel.numpy().tolist(), a.bias.numpy().tolist())\n"
                             "print([v.name for v in a.trainable_variables], a.built)\n");
  const char *want = "True True\n"
                     "[[0.2354516088962555, -0.6058524250984192], [0.2296745330095291, -1.0120372772216797], "
                     "[-0.408208966255188, 0.04574163258075714]] [0.0, 0.0]\n"
                     "['my_dense/kernel:0', 'my_dense/bias:0'] True\n";
  sf_profile profiles[] = {SF_PROFILE_TF1, SF_PROFILE_TF2};
  sf_mode modes[] = {SF_MODE_EAGER, SF_MODE_FUNCTION};
  for (int p = 0; p < 2; p++)
    for (int m = 0; m < 2; m++) {
      sf_error err = {0};
      sf_run_options o = {.mode = modes[m], .profile = profiles[p]};
      sf_trace *t = th_run_text(text, &o, &err);
      cr_assert(t, "run: %s (line %d)", err.msg, err.line);
      char *got = th_prints_and_free(t);
      cr_expect_str_eq(got, want, "profile %d mode %d", p, m);
      free(got);
    }
  free(text);
}

/* A Model subclass: sublayers in attribute order (Dense, then the subclassed layer) after its
 * own weights; training= reaches call(); a tape gradient over trainable_variables and an
 * SGD step through them. */
Test(klayers, subclassed_model) {
  char *text = cat(my_dense, "class Regressor(keras.Model):\n"
                             "    def __init__(self, **kwargs):\n"
                             "        super().__init__(**kwargs)\n"
                             "        self.hidden = keras.layers.Dense(3, activation='elu')\n"
                             "        self.out = MyDense(1)\n"
                             "    def call(self, inputs, training=None):\n"
                             "        print('training', training)\n"
                             "        return self.out(self.hidden(inputs))\n"
                             "tf.random.set_seed(1)\n"
                             "m = Regressor()\n"
                             "x = np.ones((2, 3), dtype=np.float32)\n"
                             "y = m(x, training=True)\n"
                             "print([v.name for v in m.trainable_variables], len(m.variables), len(m.layers), m.name)\n"
                             "with tf.GradientTape() as tape:\n"
                             "    loss = tf.reduce_mean(tf.square(m(x)))\n"
                             "g = tape.gradient(loss, m.trainable_variables)\n"
                             "print([gg.shape for gg in g])\n"
                             "before = m.out.bias.numpy().tolist()\n"
                             "keras.optimizers.SGD(learning_rate=0.5).apply_gradients(zip(g, m.trainable_variables))\n"
                             "print(before, m.out.bias.numpy().tolist() == (np.array(before, dtype=np.float32) - 0.5 * g[3].numpy()).tolist())\n");
  expect_mode(text, SF_MODE_EAGER,
              "training True\n"
              "['dense/kernel:0', 'dense/bias:0', 'my_dense/kernel:0', 'my_dense/bias:0'] 4 2 regressor\n"
              "training None\n"
              "[TensorShape([3, 3]), TensorShape([3]), TensorShape([3, 1]), TensorShape([1])]\n"
              "[0.0] True\n");
  free(text);
}

Test(klayers, subclass_errors) {
  char *text = cat(my_dense, "class R(keras.layers.Layer):\n"
                             "    def build(self, s):\n"
                             "        self.w = self.add_weight(shape=[2], regularizer=keras.regularizers.l2(0.1))\n"
                             "    def call(self, x):\n"
                             "        return x\n"
                             "r = R()\n"
                             "r(np.ones((1, 2), dtype=np.float32))\n");
  expect_error(text,
               "unsupported: add_weight(regularizer=...)\n"
               "traceback (most recent call first):\n"
               "  in R.build(), called at line 21, column 1",
               17);
  free(text);
  text = cat(my_dense, "class R(keras.layers.Layer):\n"
                       "    def __init__(self):\n"
                       "        self.units = 1\n"
                       "r = R()\n"
                       "r(np.ones((1, 2), dtype=np.float32))\n");
  sf_error err = {0};
  char *got = run_mode(text, SF_MODE_EAGER, &err);
  cr_expect_null(got);
  cr_expect_str_eq(err.msg, "RuntimeError: It looks like you are subclassing `Model` and you forgot to call "
                            "`super().__init__()`. Always start with this line.");
  cr_expect_eq(err.line, 19);
  free(got);
  free(text);
}

/* kernel_initializer as a Python callable (shape, dtype): its ops run where Keras runs the
 * initializer (init_scope: eagerly), so after the same tf.random.set_seed its tf.random.normal
 * is the one the function draws when called directly — in eager and function modes. */
Test(klayers, callable_kernel_initializer) {
  static const char text[] = "import numpy as np\n"
                             "import tensorflow as tf\n"
                             "from tensorflow import keras\n"
                             "def my_glorot_initializer(shape, dtype=tf.float32):\n"
                             "    stddev = tf.sqrt(2. / (shape[0] + shape[1]))\n"
                             "    return tf.random.normal(shape, stddev=stddev, dtype=dtype)\n"
                             "tf.random.set_seed(42)\n"
                             "m = keras.models.Sequential([keras.layers.Dense(2, kernel_initializer=my_glorot_initializer,\n"
                             "                                                input_shape=[3])])\n"
                             "k = m.layers[0].kernel.numpy().tolist()\n"
                             "tf.random.set_seed(42)\n"
                             "print(k == my_glorot_initializer([3, 2]).numpy().tolist())\n";
  expect_mode(text, SF_MODE_EAGER, "True\n");
  expect_mode(text, SF_MODE_FUNCTION, "True\n");
}

/* fit applies a kernel constraint after each update (optimizer_v2.py
 * apply_grad_to_update_var): one SGD(0.1) step on mse, x = [[1, 2], [3, 4]], y = [[1], [2]],
 * kernel ones: pred [3, 7], dL/dpred [2, 5], kernel grad [17, 24], bias grad 7; the kernel
 * 1 - 0.1f * g is then halved by the constraint, in float32 (NumPy gives the same). */
Test(klayers, fit_applies_kernel_constraint_after_the_update) {
  const char *text = "import numpy as np\n"
                     "import tensorflow as tf\n"
                     "x = np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32)\n"
                     "y = np.array([[1.0], [2.0]], dtype=np.float32)\n"
                     "model = tf.keras.Sequential([tf.keras.layers.Dense(1, kernel_initializer='ones',\n"
                     "                                                   kernel_constraint=lambda w: w * 0.5)])\n"
                     "model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss='mse')\n"
                     "model.fit(x, y, epochs=1, batch_size=2, verbose=0, shuffle=False)\n"
                     "print(model.get_weights())\n";
  const char *want = "[array([[-0.35000002],\n       [-0.70000005]], dtype=float32), array([-0.7], dtype=float32)]\n";
  expect_mode(text, SF_MODE_EAGER, want);
  expect_mode(text, SF_MODE_FUNCTION, want);
  expect_mode(text, SF_MODE_GRAPH, want);
}

/* Layer.__call__'s autocast: a float64 NumPy array (or tensor) enters a float32 layer cast
 * to float32, after the layer is built; a seeded Dense draws as with a float32 input. Under tf1 Keras does not cast: a located error. */
Test(klayers, float64_inputs_are_cast_to_the_layer_dtype) {
  const char *f64 = "import numpy as np\nimport tensorflow as tf\n"
                    "d = tf.keras.layers.Dense(2, kernel_initializer=tf.keras.initializers.GlorotUniform(seed=3))\n"
                    "y = d(np.ones((1, 3)))\n"
                    "print(y.dtype, d.kernel.dtype)\n"
                    "print(tf.keras.layers.Flatten()(np.ones((1, 2, 2))).dtype)\n"
                    "print(d(tf.ones((1, 3), dtype=tf.float64)).numpy().tolist() == y.numpy().tolist())\n";
  const char *f32 = "import numpy as np\nimport tensorflow as tf\n"
                    "d = tf.keras.layers.Dense(2, kernel_initializer=tf.keras.initializers.GlorotUniform(seed=3))\n"
                    "print(d(np.ones((1, 3), dtype=np.float32)))\n";
  const char *f64v = "import numpy as np\nimport tensorflow as tf\n"
                     "d = tf.keras.layers.Dense(2, kernel_initializer=tf.keras.initializers.GlorotUniform(seed=3))\n"
                     "print(d(np.ones((1, 3))))\n";
  for (int m = 0; m < 2; m++) {
    sf_mode mode = m == 0 ? SF_MODE_EAGER : SF_MODE_FUNCTION;
    sf_error e1 = {0}, e2 = {0};
    char *a = run_mode(f32, mode, &e1), *b = run_mode(f64v, mode, &e2);
    cr_assert(a && b, "run: %s %s", e1.msg, e2.msg);
    cr_expect_str_eq(b, a, "mode %d", m);
    free(a);
    free(b);
  }
  expect_mode(f64, SF_MODE_EAGER, "<dtype: 'float32'> <dtype: 'float32'>\n<dtype: 'float32'>\nTrue\n");
  sf_error err = {0};
  sf_run_options o = {.mode = SF_MODE_GRAPH, .profile = SF_PROFILE_TF1};
  cr_expect_null(th_run_text("import numpy as np\nimport tensorflow as tf\n\nd = tf.keras.layers.Dense(2)(np.ones((1, 3)))\n", &o, &err));
  cr_expect_eq(err.line, 4);
  cr_expect_str_eq(err.msg, "unsupported: a float64 input to a Keras layer in profile tf1 (TF 1.x's Keras does not cast it: an "
                            "unbuilt layer takes its dtype, a float32 one fails; cast the input to float32)");
}

/* Integer targets of a dense loss ((n, 1) labels of 0 and 1, NumPy's int64) train as their
 * float32 values do (the loss's tf.cast(y_true, y_pred.dtype)); x is float64, as
 * np.random.rand makes it (Keras's data adapter casts it to float32). */
Test(klayers, integer_targets_train_as_floats) {
  const char *prog = "import numpy as np\nimport tensorflow as tf\n"
                     "tf.random.set_seed(7)\nnp.random.seed(7)\n"
                     "X = np.random.rand(40, 3)\n"
                     "Y = (X.sum(axis=1, keepdims=True) > 1.5).astype(%s)\n"
                     "m = tf.keras.Sequential([tf.keras.layers.Dense(4, activation='relu', input_shape=(3,)),\n"
                     "                         tf.keras.layers.Dense(1, activation='sigmoid')])\n"
                     "m.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.1), loss='%s')\n"
                     "h = m.fit(X, Y, epochs=2, batch_size=10, validation_split=0.25, verbose=0)\n"
                     "print(h.history, m.evaluate(X, Y, verbose=0))\n";
  static const char *const losses[] = {"binary_crossentropy", "mse"};
  for (int i = 0; i < 2; i++) {
    char as_int[2048], as_float[2048];
    snprintf(as_int, sizeof as_int, prog, "int", losses[i]);
    snprintf(as_float, sizeof as_float, prog, "np.float32", losses[i]);
    sf_error e1 = {0}, e2 = {0};
    char *a = run_mode(as_int, SF_MODE_EAGER, &e1), *b = run_mode(as_float, SF_MODE_EAGER, &e2);
    cr_assert(a && b, "run: %s %s", e1.msg, e2.msg);
    cr_expect_str_eq(a, b);
    free(a);
    free(b);
  }
}

/* fit() on a tf.data.Dataset of (x, y) batches: each epoch a new iterator over it, after one
 * more Keras's DataHandler makes first. Unshuffled batches train as fit(x, y, batch_size=4,
 * shuffle=False) does (dropout's draws too); a shuffle(seed) in the dataset reshuffles per
 * epoch in the orders a twin dataset's `for` shows after one iter(), and training on the
 * arrays in those orders gives the same losses. */
Test(klayers, fit_on_a_dataset) {
  expect_mode("import numpy as np\nimport tensorflow as tf\n"
              "np.random.seed(0)\nx = np.random.rand(8, 3).astype('float32')\ny = x.sum(axis=1, keepdims=True)\n"
              "def model(dropout):\n"
              "    tf.random.set_seed(7)\n"
              "    layers = [tf.keras.layers.Dense(2, activation='relu', input_shape=(3,))]\n"
              "    if dropout:\n"
              "        layers.append(tf.keras.layers.Dropout(0.5))\n"
              "    m = tf.keras.Sequential(layers + [tf.keras.layers.Dense(1)])\n"
              "    m.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss='mse')\n"
              "    return m\n"
              "h1 = model(True).fit(tf.data.Dataset.from_tensor_slices((x, y)).batch(4), epochs=3, verbose=0).history['loss']\n"
              "h2 = model(True).fit(x, y, batch_size=4, shuffle=False, epochs=3, verbose=0).history['loss']\n"
              "print(h1 == h2, len(h1))\n"
              "ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(8, seed=1).batch(4)\n"
              "twin = tf.data.Dataset.from_tensor_slices((np.arange(8),)).shuffle(8, seed=1).batch(4)\n"
              "h3 = model(False).fit(ds, epochs=3, verbose=0).history['loss']\n"
              "m = model(False)\nh4 = []\nit = iter(twin)\n"
              "for e in range(3):\n"
              "    order = np.concatenate([b[0].numpy() for b in twin])\n"
              "    h4 += m.fit(x[order], y[order], batch_size=4, shuffle=False, epochs=1, verbose=0).history['loss']\n"
              "print(h3 == h4, len(h3), h3 == h1)\n",
              SF_MODE_EAGER, "True 3\nTrue 3 False\n");
  static const char head[] = "import numpy as np\nimport tensorflow as tf\n"
                             "ds = tf.data.Dataset.from_tensor_slices((np.ones((4, 3), dtype=np.float32), np.ones((4, 1), dtype=np.float32)))\n"
                             "m = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(3,))])\nm.compile(optimizer='sgd', loss='mse')\n";
  char prog[1024];
  snprintf(prog, sizeof prog, "%sm.fit(ds.batch(2), y=np.ones((4, 1)), epochs=1, verbose=0)\n", head);
  expect_error(prog, "unsupported: fit() on a tf.data.Dataset with y (Keras raises ValueError)", 6);
  snprintf(prog, sizeof prog, "%sm.fit(ds.map(lambda a, b: a).batch(2), epochs=1, verbose=0)\n", head);
  expect_error(prog, "unsupported: fit() on a dataset whose elements are not (x, y) pairs", 6);
  snprintf(prog, sizeof prog, "%sm.fit(ds, epochs=1, verbose=0)\n", head);
  expect_error(prog, "fit: the dataset's batch 0 is not (a float32 matrix, labels like y)", 6);
}

/* Layer.get_weights: that layer's kernel and bias ([] before it is built or without
 * weights); count_params: the element count of the built weights. */
Test(klayers, layer_get_weights_and_count_params) {
  expect_mode("import tensorflow as tf\n"
              "d = tf.keras.layers.Dense(2, kernel_initializer='ones', bias_initializer='zeros')\n"
              "print(d.get_weights())\n"
              "m = tf.keras.Sequential([tf.keras.layers.Dense(4, input_shape=(3,)), tf.keras.layers.Dropout(0.5), d])\n"
              "print(d.get_weights(), m.layers[1].get_weights())\n"
              "print(m.count_params(), m.layers[0].count_params(), d.count_params(), m.layers[1].count_params())\n"
              "print(len(m.get_weights()), [w.shape for w in m.layers[0].get_weights()])\n",
              SF_MODE_EAGER,
              "[]\n[array([[1., 1.],\n       [1., 1.],\n       [1., 1.],\n       [1., 1.]], dtype=float32), "
              "array([0., 0.], dtype=float32)] []\n26 16 10 0\n4 [(3, 4), (4,)]\n");
  expect_error("import tensorflow as tf\nd = tf.keras.layers.Dense(2)\nn = d.count_params()\n",
               "unsupported: count_params() before the layer is built (Keras raises ValueError)", 3);
}

/* model.layers: a Sequential omits the InputLayer at its bottom, a functional Model lists
 * its InputLayer first (Sequential.layers; Functional.layers). */
Test(klayers, model_layers_and_the_input_layer) {
  expect_mode("import tensorflow as tf\n"
              "s = tf.keras.Sequential([tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(2), tf.keras.layers.Dense(1)])\n"
              "print(len(s.layers), s.layers[0].name, s.layers[0].kernel.shape)\n"
              "t = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,))])\n"
              "print(len(t.layers), t.layers[0].name)\n"
              "i = tf.keras.Input(shape=(3,))\n"
              "f = tf.keras.Model(i, tf.keras.layers.Dense(4)(i))\n"
              "print(len(f.layers), f.layers[1].name, f.layers[1].kernel.shape, len(f.layers[0].weights))\n",
              SF_MODE_EAGER, "2 dense (3, 2)\n1 dense_2\n2 dense_3 (3, 4) 0\n");
}

/* Model.summary() in Keras 2.9-2.12's sequential layout (layer_utils.print_summary): the
 * expected text is what Keras's own print_row and print_summary code prints for these
 * rows (run under python3 on 2026-12-03); a name longer than its column wraps. Other
 * Keras versions print another layout: named as unsupported. */
Test(klayers, sequential_summary_as_keras_2_9_prints_it) {
  expect_mode("import tensorflow as tf\n"
              "model = tf.keras.Sequential([tf.keras.layers.Dense(4, activation='relu', input_shape=(3,)),\n"
              "                             tf.keras.layers.Dropout(0.5), tf.keras.layers.Dense(1000)])\n"
              "model.summary()\n"
              "m2 = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(5,), name='a_rather_long_layer_name_that_wraps_here')])\n"
              "m2.summary()\n",
              SF_MODE_EAGER,
              "Model: \"sequential\"\n"
              "_________________________________________________________________\n"
              " Layer (type)                Output Shape              Param #   \n"
              "=================================================================\n"
              " dense (Dense)               (None, 4)                 16        \n"
              "                                                                 \n"
              " dropout (Dropout)           (None, 4)                 0         \n"
              "                                                                 \n"
              " dense_1 (Dense)             (None, 1000)              5000      \n"
              "                                                                 \n"
              "=================================================================\n"
              "Total params: 5,016\n"
              "Trainable params: 5,016\n"
              "Non-trainable params: 0\n"
              "_________________________________________________________________\n"
              "Model: \"sequential_1\"\n"
              "_________________________________________________________________\n"
              " Layer (type)                Output Shape              Param #   \n"
              "=================================================================\n"
              " a_rather_long_layer_name_th  (None, 2)                12        \n"
              " at_wraps_here (Dense)                                           \n"
              "                                                                 \n"
              "=================================================================\n"
              "Total params: 12\n"
              "Trainable params: 12\n"
              "Non-trainable params: 0\n"
              "_________________________________________________________________\n");
  expect_error("import tensorflow as tf\nm = tf.keras.Sequential([tf.keras.layers.Dense(2)])\nm.summary()\n",
               "ValueError: This model has not yet been built. Build the model first by calling `build()` or by calling "
               "the model on a batch of data.", 3);
  sf_error err = {0};
  sf_run_options o = {.mode = SF_MODE_EAGER, .profile = SF_PROFILE_KERAS3};
  cr_expect_null(th_run_text("import keras\nm = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\nm.summary()\n", &o, &err));
  cr_expect(strstr(err.msg, "unsupported: model.summary() with Keras 3.15"), "%s", err.msg);
}

/* Keras's default names (backend.py unique_object_name, zero_based; get_uid for Input):
 * a layer given name= takes no number, so the next Dense is still "dense"; a new default
 * graph (reset_default_graph) and clear_session (reset_uids) start the counts again. Keras
 * 3 counts once for all (naming.py uniquify): only clear_session starts again. */
#define NAMES_PROGRAM                                                                                           \
  "a = tf.keras.layers.Dense(2, name='dense')\n"                                                              \
  "b = tf.keras.layers.Dense(2)\n"                                                                            \
  "print(a.name, b.name, tf.keras.layers.Dropout(0.1, name='dr').name, tf.keras.layers.Flatten(name='fl').name)\n" \
  "m = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(3,))], name='net')\n"                       \
  "print(m.name, tf.keras.Sequential().name, tf.keras.Sequential().name)\n"                                   \
  "tf.compat.v1.reset_default_graph()\n"                                                                      \
  "print(tf.keras.layers.Dense(1).name, tf.keras.Sequential().name)\n"                                        \
  "tf.keras.backend.clear_session()\n"                                                                        \
  "print(tf.keras.layers.Dense(1).name, tf.keras.Sequential().name)\n"
Test(klayers, default_names_count_as_keras_counts_them) {
  static const sf_mode modes[] = {SF_MODE_EAGER, SF_MODE_GRAPH, SF_MODE_FUNCTION};
  for (size_t k = 0; k < 3; k++)
    expect_mode("import tensorflow as tf\n" NAMES_PROGRAM, modes[k],
                "dense dense dr fl\nnet sequential sequential_1\ndense sequential\ndense sequential\n");
  sf_error err = {0};
  sf_run_options o = {.mode = SF_MODE_EAGER, .profile = SF_PROFILE_KERAS3};
  sf_trace *t = th_run_text("import tensorflow as tf\n" NAMES_PROGRAM, &o, &err);
  cr_assert(t, "%s", err.msg);
  char *got = th_prints_and_free(t);
  cr_expect_str_eq(got, "dense dense dr fl\nnet sequential sequential_1\ndense_2 sequential_2\ndense sequential\n");
  free(got);
  /* Inputs: "input_1", "input_2" (Keras 3: "input_layer", "input_layer_1"); a functional
   * Model is "model"; a subclass its snake-case class name, made unique like a layer's */
  expect_mode("import tensorflow as tf\n"
              "i = tf.keras.Input(shape=(3,))\n"
              "j = tf.keras.Input(shape=(3,), name='feat')\n"
              "f = tf.keras.Model(i, tf.keras.layers.Dense(4)(i))\n"
              "g = tf.keras.Model(j, tf.keras.layers.Dense(4)(j), name='g')\n"
              "print([l.name for l in f.layers], [l.name for l in g.layers], f.name, g.name)\n"
              "class MyBlock(tf.keras.layers.Layer):\n"
              "    def call(self, x):\n"
              "        return x\n"
              "print(MyBlock().name, MyBlock().name, MyBlock(name='b').name, MyBlock().name)\n",
              SF_MODE_EAGER, "['input_1', 'dense'] ['feat', 'dense_1'] model g\nmy_block my_block_1 b my_block_2\n");
  /* Keras 3's Input is a KerasTensor named "keras_tensor_N" by a count of every KerasTensor
   * made, and its InputLayer "input_layer": not modelled */
  cr_expect_null(th_run_text("import keras\nprint(keras.Input(shape=(3,)).name)\n", &o, &err));
  cr_expect_str_eq(err.msg, "unsupported: '.name' of a KerasTensor or of a Keras 3 InputLayer");
}

/* Summaries in Keras 2.9-2.12's layout for a functional Model (its InputLayer row first:
 * output_shape [(None, 4)]) and a Model subclass ("multiple" output shapes: a layer called
 * eagerly keeps no inbound node; a sublayer never called "0 (unused)"). The texts are what
 * Keras 2.9's own print_summary prints for these layers (layer_utils.py run under python3
 * with stand-in layer objects on 2026-12-04). */
Test(klayers, functional_and_subclass_summaries_as_keras_2_9_prints_them) {
  expect_mode("import tensorflow as tf\n"
              "inputs = tf.keras.Input(shape=(4,))\n"
              "x = tf.keras.layers.Dense(8, activation='relu')(inputs)\n"
              "x = tf.keras.layers.Dropout(0.5)(x)\n"
              "model = tf.keras.Model(inputs=inputs, outputs=tf.keras.layers.Dense(1)(x))\n"
              "model.summary()\n"
              "class MyModel(tf.keras.Model):\n"
              "    def __init__(self):\n"
              "        super().__init__()\n"
              "        self.d1 = tf.keras.layers.Dense(3)\n"
              "        self.unused = tf.keras.layers.Dense(5)\n"
              "        self.drop = tf.keras.layers.Dropout(0.3)\n"
              "    def call(self, x, training=False):\n"
              "        return self.drop(self.d1(x), training=training)\n"
              "m = MyModel()\n"
              "try:\n"
              "    m.summary()\n"
              "except ValueError as e:\n"
              "    print(e)\n"
              "m(tf.ones((2, 4)))\n"
              "m.summary()\n",
              SF_MODE_EAGER,
              "Model: \"model\"\n"
              "_________________________________________________________________\n"
              " Layer (type)                Output Shape              Param #   \n"
              "=================================================================\n"
              " input_1 (InputLayer)        [(None, 4)]               0         \n"
              "                                                                 \n"
              " dense (Dense)               (None, 8)                 40        \n"
              "                                                                 \n"
              " dropout (Dropout)           (None, 8)                 0         \n"
              "                                                                 \n"
              " dense_1 (Dense)             (None, 1)                 9         \n"
              "                                                                 \n"
              "=================================================================\n"
              "Total params: 49\n"
              "Trainable params: 49\n"
              "Non-trainable params: 0\n"
              "_________________________________________________________________\n"
              "This model has not yet been built. Build the model first by calling `build()` or by calling the model on "
              "a batch of data.\n"
              "Model: \"my_model\"\n"
              "_________________________________________________________________\n"
              " Layer (type)                Output Shape              Param #   \n"
              "=================================================================\n"
              " dense_2 (Dense)             multiple                  15        \n"
              "                                                                 \n"
              " dense_3 (Dense)             multiple                  0 (unused)\n"
              "                                                                 \n"
              " dropout_1 (Dropout)         multiple                  0         \n"
              "                                                                 \n"
              "=================================================================\n"
              "Total params: 15\n"
              "Trainable params: 15\n"
              "Non-trainable params: 0\n"
              "_________________________________________________________________\n");
  expect_error("import tensorflow as tf\n"
               "class B(tf.keras.layers.Layer):\n"
               "    def call(self, x):\n"
               "        return x\n"
               "class M(tf.keras.Model):\n"
               "    def __init__(self):\n"
               "        super().__init__()\n"
               "        self.b = B()\n"
               "    def call(self, x):\n"
               "        return self.b(x)\n"
               "m = M()\n"
               "m(tf.ones((1, 2)))\n"
               "m.summary()\n",
               "unsupported: summary() of a Model subclass holding a custom or symbolic layer", 13);
}

/* EarlyStopping (keras/callbacks.py) on fit's val_loss: patience 1 stops at the first
 * epoch without improvement (4 of 30 epochs: val_loss 0.2096, 0.0828, 0.0704, 0.1437) and
 * restores the best epoch's weights; the state is the object's attributes. Keras 2.9 names
 * the best epoch and prints "Epoch 4"; 2.6 does neither ("Epoch 00004"), and with patience 0
 * stops after the first epoch, which 2.7+ never does. */
#define ES_PROGRAM(patience)                                                                                         \
  "import tensorflow as tf\nimport numpy as np\n"                                                                    \
  "tf.random.set_seed(1)\nnp.random.seed(1)\n"                                                                       \
  "X = np.random.rand(40, 3).astype('float32')\ny = X.sum(axis=1, keepdims=True)\n"                                  \
  "model = tf.keras.Sequential([tf.keras.layers.Dense(4, activation='relu', input_shape=(3,)), "                     \
  "tf.keras.layers.Dropout(0.3), tf.keras.layers.Dense(1)])\n"                                                       \
  "model.compile(optimizer=tf.keras.optimizers.SGD(0.5), loss='mse')\n"                                              \
  "es = tf.keras.callbacks.EarlyStopping(monitor='val_loss', patience=" patience ", verbose=1, "                     \
  "restore_best_weights=True)\n"                                                                                     \
  "h = model.fit(X, y, epochs=30, batch_size=10, validation_split=0.25, verbose=0, callbacks=[es])\n"                \
  "print(len(h.history['loss']), es.stopped_epoch, es.wait, [round(v, 4) for v in h.history['val_loss']])\n"

/* The program's output with Keras's log lines (fit runs with verbose=0: none are timed). */
static char *run_keras(const char *text, int keras_version) {
  sf_error err = {0};
  sf_run_options o = {.mode = SF_MODE_EAGER, .profile = SF_PROFILE_TF2, .keras_version = keras_version};
  sf_trace *t = th_run_text(text, &o, &err);
  cr_assert(t, "run: %s (line %d)", err.msg, err.line);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  cr_assert(f);
  sf_trace_write_prints(t, f);
  fclose(f);
  sf_trace_free(t);
  return buf;
}

Test(klayers, early_stopping_by_keras_version) {
  char *got = run_keras(ES_PROGRAM("1") "print(es.best_epoch, es.best, es.min_delta)\n", 0);
  cr_expect_str_eq(got, "Restoring model weights from the end of the best epoch: 3.\nEpoch 4: early stopping\n"
                        "4 3 1 [0.2096, 0.0828, 0.0704, 0.1437]\n2 0.07044084370136261 0\n");
  free(got);
  got = run_keras(ES_PROGRAM("1"), 20600);
  cr_expect_str_eq(got, "Restoring model weights from the end of the best epoch.\nEpoch 00004: early stopping\n"
                        "4 3 1 [0.2096, 0.0828, 0.0704, 0.1437]\n");
  free(got);
  got = run_keras(ES_PROGRAM("0"), 20600);
  cr_expect_str_eq(got, "Restoring model weights from the end of the best epoch.\n1 0 0 [0.2096]\n");
  free(got);
  got = run_keras(ES_PROGRAM("0"), 20700);
  cr_expect_str_eq(got, "Restoring model weights from the end of the best epoch: 2.\nEpoch 00002: early stopping\n"
                        "2 1 0 [0.2096, 0.0828]\n");
  free(got);
  /* the restored weights are the best epoch's: predictions equal a second run stopped there */
  got = run_keras(ES_PROGRAM("1") "print(model.evaluate(X[30:], y[30:], verbose=0) == min(h.history['val_loss']))\n", 0);
  cr_expect(strstr(got, "\nTrue\n"), "%s", got);
  free(got);
  /* 2.12: an improving epoch returns before the patience test, so patience 0 runs on to the
   * first epoch without improvement (the fourth) */
  got = run_keras(ES_PROGRAM("0"), 21200);
  cr_expect_str_eq(got, "Restoring model weights from the end of the best epoch: 3.\nEpoch 4: early stopping\n"
                        "4 3 1 [0.2096, 0.0828, 0.0704, 0.1437]\n");
  free(got);
  /* 2.7+: the ProgbarLogger comes after the user's callbacks, so their message precedes the
   * epoch's line; 2.6 printed the line first */
  char prog[2048];
  snprintf(prog, sizeof prog, "%s", ES_PROGRAM("1"));
  char *verbose = strstr(prog, "verbose=0, callbacks");
  cr_assert(verbose);
  verbose[8] = '2';
  got = run_keras(prog, 0);
  cr_expect(strstr(got, "Epoch 4/30\nRestoring model weights from the end of the best epoch: 3.\n3/3 - ") &&
                strstr(got, "val_loss: 0.1437\nEpoch 4: early stopping\n"),
            "%s", got);
  free(got);
  got = run_keras(prog, 20600);
  cr_expect(strstr(got, "val_loss: 0.1437\nRestoring model weights from the end of the best epoch.\n"), "%s", got);
  free(got);
  expect_error("import tensorflow as tf\nimport numpy as np\n"
               "m = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])\nm.compile(optimizer='sgd', loss='mse')\n"
               "m.fit(np.ones((4, 2), dtype='float32'), np.ones((4, 1), dtype='float32'), callbacks=[object()])\n",
               "unsupported: fit(callbacks=[object]) (seedflow runs EarlyStopping)", 5);
}

static void expect_same(const char *a, const char *b) {
  sf_error ea = {0}, eb = {0};
  char *x = run_mode(a, SF_MODE_EAGER, &ea), *y = run_mode(b, SF_MODE_EAGER, &eb);
  cr_assert(x, "run: %s (line %d)\n%s", ea.msg, ea.line, a);
  cr_assert(y, "run: %s (line %d)\n%s", eb.msg, eb.line, b);
  cr_expect_str_eq(x, y, "programs:\n%s\n---\n%s", a, b);
  cr_expect(strstr(x, "<tensor>") == NULL, "%s", x);
  free(x);
  free(y);
}

/* Activation(f) is f on its input (core/activation.py), named "activation", no weights:
 * Dense then Activation('relu') is Dense(activation='relu'); Activation('softmax') goes
 * through activations.softmax, whose output carries its logits for the cross-entropy, as
 * Dense(activation='softmax') does (the loss history is the same bits). */
Test(klayers, activation_layer_is_the_activation) {
  const char *head = "import numpy as np\nimport tensorflow as tf\ntf.random.set_seed(3)\n"
                     "x = np.array([[1., -2., 3.], [0.5, 0.25, -1.]], dtype=np.float32)\n"
                     "y = np.array([[1., 0.], [0., 1.]], dtype=np.float32)\n";
  const char *tail = "print(m(x))\nm.compile(optimizer='sgd', loss='categorical_crossentropy')\n"
                     "print(m.fit(x, y, epochs=3, verbose=0, shuffle=False).history['loss'])\n"
                     "print([l.name for l in m.layers])\n";
  char a[2048], b[2048];
  snprintf(a, sizeof a, "%sm = tf.keras.Sequential([tf.keras.layers.Dense(4, input_shape=(3,)), tf.keras.layers.Activation('relu'), "
           "tf.keras.layers.Dense(2), tf.keras.layers.Activation('softmax')])\n%s", head, tail);
  snprintf(b, sizeof b, "%sm = tf.keras.Sequential([tf.keras.layers.Dense(4, input_shape=(3,), activation='relu'), "
           "tf.keras.layers.Dense(2, activation='softmax')])\n%s", head, tail);
  sf_error err = {0};
  char *got = run_mode(a, SF_MODE_EAGER, &err), *want = run_mode(b, SF_MODE_EAGER, &err);
  cr_assert(got && want, "%s", err.msg);
  /* the same numbers; only the layer names differ */
  char *names = strstr(got, "['dense', 'activation', 'dense_1', 'activation_1']\n");
  cr_expect(names != NULL, "%s", got);
  cr_expect(strstr(want, "['dense', 'dense_1']\n") != NULL, "%s", want);
  size_t n = names ? (size_t)(names - got) : 0;
  cr_expect(n > 0 && strncmp(got, want, n) == 0, "%s\n---\n%s", got, want);
  free(got);
  free(want);
  expect_mode("import tensorflow as tf\n"
              "m = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,)), tf.keras.layers.Activation('tanh', name='act')])\n"
              "m.summary()\n",
              SF_MODE_EAGER,
              "Model: \"sequential\"\n"
              "_________________________________________________________________\n"
              " Layer (type)                Output Shape              Param #   \n"
              "=================================================================\n"
              " dense (Dense)               (None, 2)                 8         \n"
              "                                                                 \n"
              " act (Activation)            (None, 2)                 0         \n"
              "                                                                 \n"
              "=================================================================\n"
              "Total params: 8\nTrainable params: 8\nNon-trainable params: 0\n"
              "_________________________________________________________________\n");
  expect_error("import tensorflow as tf\ntf.keras.layers.Activation('nope')\n", "Activation: unsupported activation 'nope'", 2);
}

/* A callable activation (activation=tf.nn.softmax, Activation(tf.nn.relu), a lambda) is
 * called on the layer's output; eagerly its result was released with the callable's handle,
 * so the layer's output printed as "<tensor>" and fit stopped on a missing node. */
Test(klayers, callable_activation_output_lives) {
  const char *head = "import numpy as np\nimport tensorflow as tf\ntf.random.set_seed(5)\n"
                     "x = np.array([[1., -2., 3.], [0.5, 0.25, -1.]], dtype=np.float32)\n"
                     "y = np.array([[1., 0.], [0., 1.]], dtype=np.float32)\n";
  char a[2048], b[2048];
  snprintf(a, sizeof a, "%sd = tf.keras.layers.Dense(2, activation=tf.nn.softmax)\nprint(d(x))\n"
           "m = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,), activation=lambda t: tf.nn.relu(t) * 2.0)])\n"
           "m.compile(optimizer='sgd', loss='mse')\nprint(m.fit(x, y, epochs=2, verbose=0, shuffle=False).history['loss'])\n"
           "print(m(x))\n", head);
  snprintf(b, sizeof b, "%sd = tf.keras.layers.Dense(2)\nprint(tf.nn.softmax(d(x)))\n"
           "m = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(3,)), tf.keras.layers.Activation(tf.nn.relu),\n"
           "                         tf.keras.layers.Activation(lambda t: t * 2.0)])\n"
           "m.compile(optimizer='sgd', loss='mse')\nprint(m.fit(x, y, epochs=2, verbose=0, shuffle=False).history['loss'])\n"
           "print(m(x))\n", head);
  expect_same(a, b);
}

/* A layer called with training=True on a Keras Input keeps it in the functional model
 * (Monte Carlo dropout): model(x) and predict(x) drop, as model(x, training=True) does with
 * a plain Dropout; training=False keeps a Dropout off even in fit. It was ignored. */
Test(klayers, functional_training_argument_is_kept) {
  const char *tail = "out = tf.keras.layers.Dense(1, kernel_initializer='ones')(h)\nmodel = tf.keras.Model(inputs, out)\n"
                     "x = np.ones((2, 4), dtype=np.float32)\n";
  char a[1024], b[1024];
  snprintf(a, sizeof a, "import numpy as np\nimport tensorflow as tf\ntf.random.set_seed(1)\ninputs = tf.keras.Input(shape=(4,))\n"
           "h = tf.keras.layers.Dense(64, kernel_initializer='ones')(inputs)\nh = tf.keras.layers.Dropout(0.5)(h, training=True)\n"
           "%sprint(model(x))\nprint(model(x))\n", tail);
  snprintf(b, sizeof b, "import numpy as np\nimport tensorflow as tf\ntf.random.set_seed(1)\ninputs = tf.keras.Input(shape=(4,))\n"
           "h = tf.keras.layers.Dense(64, kernel_initializer='ones')(inputs)\nh = tf.keras.layers.Dropout(0.5)(h)\n"
           "%sprint(model(x, training=True))\nprint(model(x, training=True))\n", tail);
  expect_same(a, b);
  sf_error err = {0};
  char *got = run_mode(a, SF_MODE_EAGER, &err);
  cr_assert(got, "%s", err.msg);
  cr_expect(strstr(got, "256.") == NULL, "no dropout: %s", got); /* 64 units of 4, all kept */
  free(got);
  expect_mode("import numpy as np\nimport tensorflow as tf\ninputs = tf.keras.Input(shape=(4,))\n"
              "h = tf.keras.layers.Dense(8, kernel_initializer='ones')(inputs)\nh = tf.keras.layers.Dropout(0.5)(h, training=False)\n"
              "model = tf.keras.Model(inputs, h)\nprint(model(np.ones((1, 4), dtype=np.float32), training=True))\n",
              SF_MODE_EAGER, "tf.Tensor([[4. 4. 4. 4. 4. 4. 4. 4.]], shape=(1, 8), dtype=float32)\n");
}

/* evaluate's loss is Keras's Mean(name='loss'): each batch's loss times its size added to a
 * float32 total, the sizes to a float32 count, the total divided by the count in float32.
 * 1000 rows in batches of 32 (the last of 8); numpy's float32 replay of the 32 batch losses
 * gives 0.40564024448394775. GCC 12.2's -O2 had dropped the total's rounding to float32 (the
 * gcc build printed 0.40564027428627014, clang's build this). */
Test(klayers, evaluate_averages_batches_in_float32) {
  expect_mode("import numpy as np\n"
              "import tensorflow as tf\n"
              "tf.random.set_seed(1)\n"
              "x = np.arange(50000, dtype=np.float32).reshape(1000, 50) / 50000.0\n"
              "y = np.ones((1000, 1), dtype=np.float32)\n"
              "model = tf.keras.Sequential([tf.keras.layers.Dense(32, activation='relu', kernel_initializer='he_normal',\n"
              "                                                   input_shape=(50,)), tf.keras.layers.Dense(1)])\n"
              "model.compile(optimizer='sgd', loss='mse', metrics=['mae'])\n"
              "print(model.evaluate(x, y, verbose=0))\n",
              SF_MODE_EAGER, "[0.40564024448394775, 0.5496802926063538]\n");
}
