/* test_tfapi.c — Criterion suite `tfapi`: tf.print (lang/mod_tf_tensor.c). The format is
 * TF's Tensor::SummarizeValue(summarize, print_v2) with StrCat elements. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "helpers.h"
#include "seedflow/seedflow.h"

static char *output(const char *text, sf_mode mode) {
  sf_error err = {0};
  sf_trace *t = th_run_text(text, &(sf_run_options){.mode = mode, .profile = SF_PROFILE_TF2}, &err);
  cr_assert(t, "run: %s (line %d)", err.msg, err.line);
  char *buf = th_prints_and_free(t);
  return buf;
}

static const char *formats = "import tensorflow as tf\n"
                             "x = tf.constant([[1, 2, 3], [4, 5, 6]])\n"
                             "tf.print('x:', x)\n"
                             "tf.print(tf.constant(0.1), tf.constant([1.5, 2.0]), sep=', ')\n"
                             "tf.print(tf.range(10))\n"
                             "tf.print(tf.range(10), summarize=-1)\n"
                             "tf.print(tf.range(7), summarize=None)\n"
                             "tf.print(tf.constant([True, False]), tf.constant(1e-7), tf.constant(2.5, dtype=tf.float64))\n"
                             "tf.print(tf.constant([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]), [1, 'a'], end='|\\n')\n"
                             "print('after')\n";
static const char *formats_out = "x: [[1 2 3]\n [4 5 6]]\n"
                                 "0.1, [1.5 2]\n"
                                 "[0 1 2 ... 7 8 9]\n"
                                 "[0 1 2 3 4 5 6 7 8 9]\n"
                                 "[0 1 2 3 4 5 6]\n"
                                 "[1 0] 1e-07 2.5\n"
                                 "[[[1 2]\n  [3 4]]\n\n [[5 6]\n  [7 8]]] [1, 'a']|\n"
                                 "after\n";

/* Eager: printed at once, in program order with print(). */
Test(tfapi, print_formats_eager) {
  char *got = output(formats, SF_MODE_EAGER);
  cr_expect_str_eq(got, formats_out);
  free(got);
}

/* Function mode: the PrintV2 ops print when the program's one call runs; same text. */
Test(tfapi, print_formats_function_mode) {
  char *got = output(formats, SF_MODE_FUNCTION);
  cr_expect_str_eq(got, formats_out);
  free(got);
}

/* A float32 prints with %.6g when that reads back, else %.9g (StrCat): the draw that
 * print() shows as numpy's 0.16513085 is 0.165130854. A tf.function's tf.print prints on
 * every call, with that call's values (its kernel continues). */
Test(tfapi, print_random_values_and_per_call) {
  char *got = output("import tensorflow as tf\n"
                     "tf.random.set_seed(1)\n"
                     "u = tf.random.uniform([3])\n"
                     "tf.print(u)\n"
                     "print(u)\n"
                     "tf.random.set_seed(3)\n"
                     "@tf.function\n"
                     "def f(x):\n"
                     "    r = tf.random.uniform([2])\n"
                     "    tf.print('in f', x, r)\n"
                     "    return r\n"
                     "print(f(tf.constant(1)))\n"
                     "print(f(tf.constant(1)))\n",
                     SF_MODE_EAGER);
  cr_expect_str_eq(got, "[0.165130854 0.901481271 0.630974174]\n"
                        "tf.Tensor([0.16513085 0.9014813  0.6309742 ], shape=(3,), dtype=float32)\n"
                        "in f 1 [0.133663177 0.567853093]\n"
                        "tf.Tensor([0.13366318 0.5678531 ], shape=(2,), dtype=float32)\n"
                        "in f 1 [0.194571853 0.186282039]\n"
                        "tf.Tensor([0.19457185 0.18628204], shape=(2,), dtype=float32)\n");
  free(got);
}

static void expect_error(const char *text, sf_mode mode, int line, const char *msg) {
  sf_error err = {0};
  cr_expect_null(th_run_text(text, &(sf_run_options){.mode = mode, .profile = SF_PROFILE_TF2}, &err));
  cr_expect_eq(err.line, line);
  cr_expect_str_eq(err.msg, msg);
}

/* In a TF1 graph tf.print is an op that prints per Session.run: not modelled, so a located
 * error naming it; so is an argument it does not support. */
Test(tfapi, print_unsupported_is_a_located_error) {
  expect_error("import tensorflow as tf\nx = tf.constant(1)\ntf.print(x)\n", SF_MODE_GRAPH, 3,
               "unsupported: tf.print in a TF1 graph or inside a traced tf.function (print the value instead)");
  expect_error("import tensorflow as tf\n\ntf.print(1, output_stream='file:///tmp/log')\n", SF_MODE_EAGER, 3,
               "unsupported: tf.print(output_stream=...)");
}

static const char *comparisons = "import tensorflow as tf\n"
                                 "x = tf.constant([1, 2, 3])\n"
                                 "print(x == 2)\n"
                                 "print(x < 2, 2 < x)\n"
                                 "print(x >= 2, x != 2)\n"
                                 "print(tf.equal(x, [1, 0, 3]))\n"
                                 "print(tf.math.greater_equal(tf.constant([0.5, 1.5]), 1.0))\n"
                                 "print(tf.math.not_equal(x, 3), tf.less(x, 3), tf.less_equal(x, 2), tf.greater(x, 1))\n";

/* Tensor.__eq__ / __lt__ and tf.equal & co. are ops with bool results; `2 < x` is
 * x.__gt__(2). The same values in eager and function mode. */
Test(tfapi, comparisons_eager_and_function_mode) {
  const char *want = "tf.Tensor([False  True False], shape=(3,), dtype=bool)\n"
                     "tf.Tensor([ True False False], shape=(3,), dtype=bool) tf.Tensor([False False  True], shape=(3,), dtype=bool)\n"
                     "tf.Tensor([False  True  True], shape=(3,), dtype=bool) tf.Tensor([ True False  True], shape=(3,), dtype=bool)\n"
                     "tf.Tensor([ True False  True], shape=(3,), dtype=bool)\n"
                     "tf.Tensor([False  True], shape=(2,), dtype=bool)\n"
                     "tf.Tensor([ True  True False], shape=(3,), dtype=bool) tf.Tensor([ True  True False], shape=(3,), dtype=bool) "
                     "tf.Tensor([ True  True False], shape=(3,), dtype=bool) tf.Tensor([False  True  True], shape=(3,), dtype=bool)\n";
  char *got = output(comparisons, SF_MODE_EAGER);
  cr_expect_str_eq(got, want);
  free(got);
  got = output(comparisons, SF_MODE_FUNCTION);
  cr_expect_str_eq(got, want);
  free(got);
}

/* In a TF1 graph `==` and `!=` compare the Python objects (Tensor._USE_EQUALITY is off);
 * `<` and tf.equal are still ops. */
Test(tfapi, comparisons_tf1_graph) {
  char *got = output(comparisons, SF_MODE_GRAPH);
  cr_expect_str_eq(got, "False\n"
                        "[ True False False] [False False  True]\n"
                        "[False  True  True] True\n"
                        "[ True False  True]\n"
                        "[False  True]\n"
                        "[ True  True False] [ True  True False] [ True  True False] [False  True  True]\n");
  free(got);
}

/* A tensor prints its NumPy value (ops.py _numpy_text): NumPy's scientific notation when
 * the magnitudes span more than 1000x or leave [1e-4, 1e8), nan/inf in the others' column,
 * and above 1000 elements the first and last 3 (CPython + NumPy 1.24 print these arrays so). */
Test(tfapi, tensors_print_as_numpy_formats_them) {
  char *got = output("import tensorflow as tf\n"
                     "print(tf.range(1500.0))\n"
                     "x = tf.constant([2e-5, 0.5, float('inf')])\n"
                     "print(x)\nprint(repr(x))\n",
                     SF_MODE_EAGER);
  cr_expect_str_eq(got, "tf.Tensor([0.000e+00 1.000e+00 2.000e+00 ... 1.497e+03 1.498e+03 1.499e+03], shape=(1500,), "
                        "dtype=float32)\n"
                        "tf.Tensor([2.e-05 5.e-01    inf], shape=(3,), dtype=float32)\n"
                        "<tf.Tensor: shape=(3,), dtype=float32, numpy=array([2.e-05, 5.e-01,    inf], dtype=float32)>\n");
  free(got);
}

/* TensorFlow prints a tensor's value with NumPy, so np.set_printoptions applies to it. */
Test(tfapi, tensors_follow_numpy_printoptions) {
  char *got = output("import numpy as np\nimport tensorflow as tf\n"
                     "np.set_printoptions(precision=3, suppress=True)\n"
                     "x = tf.constant([0.5441101, 2e-05, 12.25])\n"
                     "print(x)\nprint([x])\n",
                     SF_MODE_EAGER);
  cr_expect_str_eq(got, "tf.Tensor([ 0.544  0.    12.25 ], shape=(3,), dtype=float32)\n"
                        "[<tf.Tensor: shape=(3,), dtype=float32, numpy=array([ 0.544,  0.   , 12.25 ], dtype=float32)>]\n");
  free(got);
}

/* tf.math.reduce_variance / reduce_std (math_ops.py: mean kept, Sub, Square, mean, Sqrt)
 * on values whose moments are exact; tf.expand_dims adds an axis of 1. */
Test(tfapi, reduce_variance_std_and_expand_dims) {
  const char *prog = "import tensorflow as tf\n"
                     "x = tf.constant([[1.0, 2.0], [3.0, 4.0]])\n"
                     "print(tf.math.reduce_variance(x), tf.math.reduce_std(x))\n"
                     "print(tf.math.reduce_variance(x, axis=0), tf.math.reduce_std(x, axis=1, keepdims=True))\n"
                     "print(tf.expand_dims(x, 0).shape, tf.expand_dims(x, -1).shape, tf.expand_dims(x, axis=1).shape)\n";
  char *got = output(prog, SF_MODE_EAGER);
  cr_expect_str_eq(got, "tf.Tensor(1.25, shape=(), dtype=float32) tf.Tensor(1.118034, shape=(), dtype=float32)\n"
                        "tf.Tensor([1. 1.], shape=(2,), dtype=float32) tf.Tensor(\n[[0.5]\n [0.5]], shape=(2, 1), dtype=float32)\n"
                        "(1, 2, 2) (2, 2, 1) (2, 1, 2)\n");
  free(got);
  got = output(prog, SF_MODE_FUNCTION);
  cr_expect_str_eq(got, "tf.Tensor(1.25, shape=(), dtype=float32) tf.Tensor(1.118034, shape=(), dtype=float32)\n"
                        "tf.Tensor([1. 1.], shape=(2,), dtype=float32) tf.Tensor(\n[[0.5]\n [0.5]], shape=(2, 1), dtype=float32)\n"
                        "(1, 2, 2) (2, 2, 1) (2, 1, 2)\n");
  free(got);
}

/* Tensor.shape and get_shape() are TensorShapes (tensor_shape.py): printed as a tuple, with a
 * repr of their own (TF 1.x: ? and Dimension), as_list(), rank, ndims, num_elements(),
 * is_fully_defined(), a slice is one too; tuple() of one and a NumPy shape are tuples. */
Test(tfapi, tensor_shape) {
  const char *text = "import tensorflow as tf\nimport numpy as np\n"
                     "x = tf.compat.v1.placeholder(tf.float32, [None, 3])\n"
                     "y = tf.zeros([2, 3])\n"
                     "print(x.shape, [x.shape], x.get_shape().as_list(), x.shape.rank, x.shape.num_elements(),\n"
                     "      x.shape.is_fully_defined(), x.shape[1])\n"
                     "print(y.shape, [y.get_shape()], y.shape.ndims, y.shape.num_elements(), y.shape.is_fully_defined(),\n"
                     "      [y.shape[1:]], y.shape[1:].as_list(), [tuple(y.shape)], [np.zeros((2, 3)).shape], y.shape == (2, 3))\n";
  th_expect_prints(text, SF_MODE_GRAPH, SF_PROFILE_TF1,
                   "(?, 3) [TensorShape([Dimension(None), Dimension(3)])] [None, 3] 2 None False 3\n"
                   "(2, 3) [TensorShape([Dimension(2), Dimension(3)])] 2 6 True [TensorShape([Dimension(3)])] [3] [(2, 3)] "
                   "[(2, 3)] True\n");
  th_expect_prints(text, SF_MODE_GRAPH, SF_PROFILE_TF2,
                   "(None, 3) [TensorShape([None, 3])] [None, 3] 2 None False 3\n"
                   "(2, 3) [TensorShape([2, 3])] 2 6 True [TensorShape([3])] [3] [(2, 3)] [(2, 3)] True\n");
}

/* TF 1.x: a TensorShape's element is a Dimension (.value, Dimension(None) is not None, prints ?
 * and compares equal or unequal to nothing: None); TF 2.x: an int or None, with no .value. */
Test(tfapi, tensor_shape_dimension) {
  const char *text = "import tensorflow as tf\n"
                     "x = tf.compat.v1.placeholder(tf.float32, [None, 3])\n"
                     "d0, d1 = x.shape[0], x.get_shape()[1]\n"
                     "print(d0, d1, [d0, d1], d0 is None, d1 + 1, d1 == 3)\n"
                     "print(d0 == None, d0 != 3, 3 == d0, d1 != 3, d0 == None or 5, d0 == 3 == 3, 1 < 2 == d0)\n"
                     "print(d1.value, d0.value)\n";
  th_expect_prints(text, SF_MODE_GRAPH, SF_PROFILE_TF1,
                   "? 3 [Dimension(None), Dimension(3)] False 4 True\nNone None None False 5 None None\n3 None\n");
  th_expect_error_at(text, SF_MODE_GRAPH, SF_PROFILE_TF2, 6, "AttributeError: 'int' object has no attribute 'value'");
}

/* tf.DType's properties (dtypes.py). */
Test(tfapi, dtype_properties) {
  th_expect_prints("import tensorflow as tf\n"
                   "x = tf.constant([1.0])\n"
                   "print(x.dtype.name, x.dtype.is_floating, tf.int32.is_integer, tf.int32.is_floating, tf.uint8.is_unsigned,\n"
                   "      tf.bool.is_bool, tf.float64.size, x.dtype.as_numpy_dtype, x.dtype.base_dtype, x.dtype.as_numpy_dtype(2.5))\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2,
                   "float32 True True False True True 8 <class 'numpy.float32'> <dtype: 'float32'> 2.5\n");
}

/* A path seedflow knows nothing at (np.foo: a module or a typo?) is an error where it is used as a value,
 * not a made-up module printed or a TypeError NumPy would not raise; calls of it say so too. */
Test(tfapi, unknown_paths_as_values) {
  const char *msg = "unsupported: 'np.foo' as a value (seedflow's API provides functions, classes and constants, not modules)";
  th_expect_error_at("import numpy as np\nx = np.foo\nprint(x)\n", SF_MODE_EAGER, SF_PROFILE_TF2, 3, msg);
  th_expect_error_at("import numpy as np\n\ny = np.foo + 1\n", SF_MODE_EAGER, SF_PROFILE_TF2, 3, msg);
  th_expect_error_at("import numpy as np\ny = 1 < np.foo\n", SF_MODE_EAGER, SF_PROFILE_TF2, 2, msg);
  th_expect_error_at("import numpy as np\ny = np.foo[0]\n", SF_MODE_EAGER, SF_PROFILE_TF2, 2, msg);
  th_expect_error_at("import numpy as np\ntry:\n    print(np.foo)\nexcept Exception:\n    pass\n", SF_MODE_EAGER,
                     SF_PROFILE_TF2, 3, msg);
  th_expect_error_at("import numpy as np\ny = np.foo(1)\n", SF_MODE_EAGER, SF_PROFILE_TF2, 2, "unsupported function 'np.foo'");
  const char *linalg = "unsupported: 'np.linalg' as a value (seedflow's API provides functions, classes and constants, not modules)";
  th_expect_error_at("import numpy as np\ns = repr(ValueError(np.linalg, 1))\n", SF_MODE_EAGER, SF_PROFILE_TF2, 2, linalg);
  /* the KeyError is raised and caught as in CPython; its text is what cannot be shown */
  th_expect_error_at("import numpy as np\ntry:\n    {}[np.linalg]\nexcept KeyError as e:\n    print(e)\n", SF_MODE_EAGER,
                     SF_PROFILE_TF2, 5, linalg);
  th_expect_error_at("import numpy as np\nb = np.linalg == 1\n", SF_MODE_EAGER, SF_PROFILE_TF2, 2, linalg);
  th_expect_error_at("import numpy as np\nb = np.linalg in [1]\n", SF_MODE_EAGER, SF_PROFILE_TF2, 2, linalg);
  th_expect_prints("import numpy as np\nx = np.zeros(2)\nprint(type(x) == np.ndarray, np.ndarray == type(x))\n", SF_MODE_EAGER,
                   SF_PROFILE_TF2, "True True\n");
}

/* `import tensorflow.compat.v1 as tf` (a TF1 program run on TF 2): tf.compat.v1.X is TF 2's
 * tf.X where TF exports one function under both names, so the program prints what the same
 * program prints through tensorflow's own names; v1's losses, metrics and initializers are
 * other functions and are not taken from TF 2's. */
Test(tfapi, compat_v1_names_are_tf_names) {
  const char *body = "tf.set_random_seed(0)\n"
                     "x = tf.placeholder(tf.float32, shape=[None, 3])\n"
                     "w = tf.get_variable('w', shape=[3, 2], initializer=tf.glorot_uniform_initializer(seed=1))\n"
                     "h = tf.nn.relu(tf.matmul(x, w) + tf.zeros([2]))\n"
                     "loss = tf.reduce_mean(tf.square(tf.nn.dropout(h, rate=0.5, seed=3)))\n"
                     "with tf.Session() as sess:\n"
                     "    sess.run(tf.global_variables_initializer())\n"
                     "    print(tf.float32, sess.run(loss, {x: [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]}))\n";
  char v1[2048], v2[2048];
  snprintf(v1, sizeof v1, "import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\n%s", body);
  /* the same with TF 2's own names where they exist */
  snprintf(v2, sizeof v2,
           "import tensorflow as tf\ntf.compat.v1.disable_v2_behavior()\n"
           "tf.compat.v1.set_random_seed(0)\n"
           "x = tf.compat.v1.placeholder(tf.float32, shape=[None, 3])\n"
           "w = tf.compat.v1.get_variable('w', shape=[3, 2], initializer=tf.compat.v1.glorot_uniform_initializer(seed=1))\n"
           "h = tf.nn.relu(tf.matmul(x, w) + tf.zeros([2]))\n"
           "loss = tf.reduce_mean(tf.square(tf.nn.dropout(h, rate=0.5, seed=3)))\n"
           "with tf.compat.v1.Session() as sess:\n"
           "    sess.run(tf.compat.v1.global_variables_initializer())\n"
           "    print(tf.float32, sess.run(loss, {x: [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]}))\n");
  sf_error err = {0};
  sf_trace *t1 = th_run_text(v1, &(sf_run_options){.mode = SF_MODE_GRAPH, .profile = SF_PROFILE_TF2}, &err);
  cr_assert(t1, "compat.v1 program: %s (line %d)", err.msg, err.line);
  sf_trace *t2 = th_run_text(v2, &(sf_run_options){.mode = SF_MODE_GRAPH, .profile = SF_PROFILE_TF2}, &err);
  cr_assert(t2, "tf program: %s (line %d)", err.msg, err.line);
  char *p1 = th_prints_and_free(t1), *p2 = th_prints_and_free(t2);
  cr_expect_str_eq(p1, p2);
  cr_expect(strncmp(p1, "<dtype: 'float32'> 0.", 21) == 0, "%s", p1);
  free(p1);
  free(p2);
  th_expect_error_at("import tensorflow.compat.v1 as tf\ny = tf.losses.mean_squared_error([1.0], [2.0])\n", SF_MODE_EAGER,
                     SF_PROFILE_TF2, 2, "unsupported function 'tf.compat.v1.losses.mean_squared_error'");
  /* TF 1's arguments TF 2's form lacks are unsupported there (no except catches it), a
   * TypeError under TF 2's own name */
  th_expect_error_at("import tensorflow.compat.v1 as tf\ntry:\n    s = tf.reduce_sum([[1.0]], 1, keep_dims=True)\nexcept TypeError:\n    pass\n",
                     SF_MODE_EAGER, SF_PROFILE_TF2, 3,
                     "unsupported: argument 'keep_dims' of tf.compat.v1's reduce_sum (seedflow models TF 2's reduce_sum)");
  th_expect_prints("import tensorflow as tf\ntry:\n    s = tf.reduce_sum([[1.0]], 1, keep_dims=True)\nexcept TypeError as e:\n    print(e)\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2, "reduce_sum() got an unexpected keyword argument 'keep_dims'\n");
}

/* tf.gradients builds a graph's symbolic gradients (None where ys does not depend on an x);
 * eagerly it is TF's RuntimeError. Through sigmoid_cross_entropy_with_logits with labels
 * ones_like(x) (a Fill, _FillGrad): sigmoid(x) - 1. */
Test(tfapi, tf_gradients_in_graphs) {
  th_expect_prints("import tensorflow as tf\n"
                   "@tf.function\n"
                   "def f(x):\n"
                   "    return tf.gradients(x * x * 3.0, [x, tf.constant(2.0)])\n"
                   "print(f(tf.constant(2.0)))\n",
                   SF_MODE_FUNCTION, SF_PROFILE_TF2, "[<tf.Tensor: shape=(), dtype=float32, numpy=12.0>, None]\n");
  th_expect_prints("import tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\n"
                   "x = tf.placeholder(tf.float32, [None, 1])\n"
                   "l = tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones_like(x), logits=x)\n"
                   "g = tf.gradients(tf.reduce_sum(l), x)\n"
                   "with tf.Session() as s:\n"
                   "    print(l.name, s.run(g, {x: [[0.0], [2.0]]})[0].ravel().tolist())\n",
                   SF_MODE_GRAPH, SF_PROFILE_TF2, "logistic_loss:0 [-0.5, -0.11920285224914551]\n");
  th_expect_error_at("import tensorflow as tf\nx = tf.constant(1.0)\ng = tf.gradients(x * x, x)\n", SF_MODE_EAGER, SF_PROFILE_TF2, 3,
                     "RuntimeError: tf.gradients is not supported when eager execution is enabled. Use tf.GradientTape instead.");
}

/* A name read from a TF object that seedflow looks up only when it is called (a Keras model's
 * metrics_names, a property in TF) is unsupported wherever it is used as a value: iterated,
 * measured, tested, compared, its type or its attributes, not a TypeError about a 'method'
 * TF would not raise, nor a made-up answer. `is None` is known either way. */
Test(tfapi, lazy_methods_as_values) {
  const char *head = "import tensorflow as tf\nm = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(3,))])\n";
  const char *msg = "unsupported: '.metrics_names' of a Sequential as a value (seedflow's API provides it only as a call)";
  const char *uses[] = {"for k in m.metrics_names:\n    pass\n", "n = len(m.metrics_names)\n", "t = type(m.metrics_names)\n",
                        "b = bool(m.metrics_names)\n", "b = m.metrics_names == []\n", "b = 'loss' in m.metrics_names\n",
                        "b = isinstance(m.metrics_names, list)\n", "b = not m.metrics_names\n",
                        "b = 1 if m.metrics_names else 2\n", "b = m.metrics_names or 3\n", "if m.metrics_names:\n    pass\n",
                        "assert m.metrics_names\n", "x = m.metrics_names.x\n", "z = list(zip(m.metrics_names, [1]))\n"};
  for (size_t i = 0; i < sizeof uses / sizeof *uses; i++) {
    char text[512];
    snprintf(text, sizeof text, "%s%s", head, uses[i]);
    th_expect_error_at(text, SF_MODE_EAGER, SF_PROFILE_TF2, 3, msg);
  }
  char text[512];
  snprintf(text, sizeof text, "%sprint(m.metrics_names is None, m.fit is not None)\n", head);
  th_expect_prints(text, SF_MODE_EAGER, SF_PROFILE_TF2, "False True\n");
}

/* A name the real object has and seedflow's model of it lacks is unsupported (realnames.c lists
 * CPython's and NumPy's; TF's and Keras's objects are not listed, so any name they lack); a name
 * the real object lacks is Python's AttributeError (test/python/101). */
Test(tfapi, partial_objects_name_what_they_lack) {
  th_expect_error_at("import math\nprint(math.comb(5, 2))\n", SF_MODE_EAGER, SF_PROFILE_TF2, 2, "unsupported: math.comb");
  th_expect_error_at("import math\nfrom math import comb\n", SF_MODE_EAGER, SF_PROFILE_TF2, 2, "unsupported: math.comb");
  th_expect_error_at("import tensorflow as tf\nv = tf.Variable(1.0)\nv.foo += 1\n", SF_MODE_EAGER, SF_PROFILE_TF2, 3,
                     "unsupported: ResourceVariable.foo");
  th_expect_prints("import tensorflow as tf\nprint(abs(tf.Variable([-1.0, 2.0])))\n", SF_MODE_EAGER, SF_PROFILE_TF2,
                   "tf.Tensor([1. 2.], shape=(2,), dtype=float32)\n");
  th_expect_error_at("import math\ntry:\n    hasattr(math, 'comb')\nexcept AttributeError:\n    pass\n", SF_MODE_EAGER,
                     SF_PROFILE_TF2, 3, "unsupported: math.comb");
  th_expect_error_at("import numpy as np\nrs = np.random.RandomState(0)\nrs.dirichlet([1, 1])\n", SF_MODE_EAGER, SF_PROFILE_TF2,
                     3, "unsupported: numpy.random.mtrand.RandomState.dirichlet");
  th_expect_error_at("import numpy as np\nx = np.zeros(2)\nprint(x.ptp())\n", SF_MODE_EAGER, SF_PROFILE_TF2, 3,
                     "unsupported: NumPy array method 'ptp'");
  th_expect_error_at("import tensorflow as tf\ng = tf.Graph()\nprint(g.version)\n", SF_MODE_GRAPH, SF_PROFILE_TF1, 3,
                     "unsupported: tf.Graph.version");
  th_expect_error_at("import tensorflow as tf\nds = tf.data.Dataset.range(3)\nds.unbatch()\n", SF_MODE_EAGER, SF_PROFILE_TF2,
                     3, "unsupported: DatasetV2.unbatch");
  th_expect_error_at("import tensorflow as tf\nv = tf.Variable(1.0)\nprint(v.aggregation)\n", SF_MODE_EAGER, SF_PROFILE_TF2,
                     3, "unsupported: ResourceVariable.aggregation");
  th_expect_error_at("import tensorflow as tf\nds = tf.data.Dataset.range(3)\nds.as_numpy_iterator()\n", SF_MODE_EAGER,
                     SF_PROFILE_TF1, 3, "unsupported: Dataset.as_numpy_iterator() under profile tf1 (TF 1.x to 2.1): TensorFlow added it in 2.1 (use --tf 2.2 or later)");
}

/* tf.Variable(dtype=) converts its initial value (convert_to_tensor: a Python number is cast,
 * a tensor of another dtype refused, shown as TF shows it per mode); a parameter TF has and
 * seedflow does not model is unsupported, one TF lacks a TypeError. */
Test(tfapi, variable_dtype_and_unmodelled_parameters) {
  th_expect_prints("import tensorflow as tf\nv = tf.Variable(1, dtype=tf.float32)\nprint(v.dtype, v)\n", SF_MODE_EAGER,
                   SF_PROFILE_TF2, "<dtype: 'float32'> <tf.Variable 'Variable:0' shape=() dtype=float32, numpy=1.0>\n");
  th_expect_error_at("import tensorflow as tf\nv = tf.Variable(tf.constant(1.5), dtype=tf.int32)\n", SF_MODE_EAGER, SF_PROFILE_TF2,
                     2, "ValueError: Tensor conversion requested dtype int32 for Tensor with dtype float32: "
                        "<tf.Tensor: shape=(), dtype=float32, numpy=1.5>");
  th_expect_error_at("import tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 3])\nv = tf.Variable(x, dtype=tf.int64)\n",
                     SF_MODE_GRAPH, SF_PROFILE_TF1, 3, "ValueError: Tensor conversion requested dtype int64 for Tensor with "
                     "dtype float32: <tf.Tensor 'Placeholder:0' shape=(?, 3) dtype=float32>");
  th_expect_error_at("import tensorflow as tf\nv = tf.Variable(1.5, validate_shape=False)\n", SF_MODE_EAGER, SF_PROFILE_TF2, 2,
                     "unsupported: Variable(validate_shape=...)");
  th_expect_error_at("import tensorflow as tf\ny = tf.matmul([[1.0]], [[2.0]], adjoint_b=True)\n", SF_MODE_EAGER, SF_PROFILE_TF2, 2,
                     "unsupported: MatMul(adjoint_b=...)");
  th_expect_error_at("import tensorflow as tf\nl = tf.keras.layers.Dense(2, trainable=False)\n", SF_MODE_EAGER, SF_PROFILE_TF2, 2,
                     "unsupported: Dense(trainable=...)");
  th_expect_error_at("import tensorflow as tf\ny = tf.add(1, 2, p3=1)\n", SF_MODE_EAGER, SF_PROFILE_TF2, 2,
                     "add() got an unexpected keyword argument 'p3'");
  th_expect_prints("import tensorflow as tf\nprint(tf.matmul([[1.0]], [[2.0]], adjoint_a=None, name='m'))\n", SF_MODE_EAGER,
                   SF_PROFILE_TF2, "tf.Tensor([[2.]], shape=(1, 1), dtype=float32)\n");
}

/* getattr() and hasattr() see what x.name sees (before, a tensor had no attributes for them):
 * hasattr(t, 'numpy'), the eager idiom, is True; a TF object's other methods are looked up when
 * called, so hasattr of one is named unsupported rather than guessed. */
Test(tfapi, getattr_and_hasattr_of_tensors) {
  th_expect_prints("import tensorflow as tf\nt = tf.constant([1.0, 2.0])\n"
                   "print(hasattr(t, 'numpy'), hasattr(t, 'shape'), getattr(t, 'shape'), getattr(t, 'dtype'), getattr(t, 'numpy')())\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2, "True True (2,) <dtype: 'float32'> [1. 2.]\n");
  th_expect_error_at("import tensorflow as tf\nt = tf.constant([1.0])\nb = getattr(t, 'nope', 0)\n", SF_MODE_EAGER, SF_PROFILE_TF2, 3,
                     "unsupported: getattr() of a Tensor's 'nope' with a default (seedflow knows a method when it is called)");
  th_expect_error_at("import tensorflow as tf\nt = tf.constant([1.0])\nb = hasattr(t, 'nope')\n", SF_MODE_EAGER, SF_PROFILE_TF2, 3,
                     "unsupported: hasattr() of a Tensor's 'nope' (seedflow knows a method when it is called)");
}

/* Variable.__neg__ is Neg of the variable's value; Tensor has no __pos__ (CPython names an
 * EagerTensor by its dotted tp_name, a graph tensor by its class); ~ is unsupported. */
Test(tfapi, unary_operators_on_tensors_and_variables) {
  th_expect_prints("import tensorflow as tf\nv = tf.Variable([1.0, -2.0])\nprint(-v)\n"
                   "for x in [tf.constant(1.0), v]:\n  try:\n    print(+x)\n  except TypeError as e:\n    print(e)\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2,
                   "tf.Tensor([-1.  2.], shape=(2,), dtype=float32)\n"
                   "bad operand type for unary +: 'tensorflow.python.framework.ops.EagerTensor'\n"
                   "bad operand type for unary +: 'ResourceVariable'\n");
  th_expect_prints("import tensorflow as tf\n@tf.function\ndef f(x):\n  try:\n    return +x\n  except TypeError as e:\n"
                   "    print(e)\n    return -x\nprint(f(tf.constant(2.0)))\n",
                   SF_MODE_FUNCTION, SF_PROFILE_TF2, "bad operand type for unary +: 'Tensor'\ntf.Tensor(-2.0, shape=(), dtype=float32)\n");
  th_expect_error_at("import tensorflow as tf\nt = ~tf.constant([True])\n", SF_MODE_EAGER, SF_PROFILE_TF2, 2,
                     "unsupported: ~ on a tensor");
}

/* TF 1's where (tf.where of TF 1.x, tf.compat.v1.where) is gen_math_ops.select: a Select
 * node named "Select"; TF 2's tf.where is where_v2's SelectV2. */
Test(tfapi, where_v1_builds_select) {
  const char *text = "import tensorflow as tf\nx = tf.constant([1.0, -2.0, 3.0])\n"
                     "print(tf.where(x > 0, x, -x).name, tf.compat.v1.where(x > 0, x, [0., 0., 0.]).name, tf.where(x > 0).name)\n";
  th_expect_prints(text, SF_MODE_GRAPH, SF_PROFILE_TF1, "Select:0 Select_1:0 Where:0\n");
  th_expect_prints(text, SF_MODE_GRAPH, SF_PROFILE_TF2, "SelectV2:0 Select:0 Where:0\n");
}

/* zip, map and enumerate are lazy: ops their items create come in CPython's order, and with
 * it the eager op seeds (one counter, in creation order): zipping two generators of random
 * ops draws what creating them alternately draws. */
Test(tfapi, lazy_zip_creates_ops_in_python_order) {
  const char *zipped = "import tensorflow as tf\ntf.random.set_seed(5)\n"
                       "z = zip((tf.random.normal([1]) for _ in range(2)), (tf.random.uniform([1]) for _ in range(2)))\n"
                       "print([(float(a[0]), float(b[0])) for a, b in z])\n";
  const char *by_hand = "import tensorflow as tf\ntf.random.set_seed(5)\nz = []\nfor _ in range(2):\n"
                        "  a = tf.random.normal([1])\n  z.append((a, tf.random.uniform([1])))\n"
                        "print([(float(a[0]), float(b[0])) for a, b in z])\n";
  const char *want = "[(-0.18030665814876556, 0.7017074823379517), (1.4665462970733643, 0.9412769079208374)]\n";
  th_expect_prints(zipped, SF_MODE_EAGER, SF_PROFILE_TF2, want);
  th_expect_prints(by_hand, SF_MODE_EAGER, SF_PROFILE_TF2, want);
}

/* An engine error caught by `except` is the exception's text alone (the traceback lines a
 * located error carries are not part of it), in CPython's words for a missing argument. */
Test(tfapi, caught_errors_carry_their_text_alone) {
  th_expect_prints("import tensorflow as tf\ndef f():\n  return tf.constant()\ndef g():\n  return f()\n"
                   "try:\n  g()\nexcept TypeError as e:\n  print(repr(str(e)))\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2, "\"constant() missing 1 required positional argument: 'value'\"\n");
  /* a second error after a caught one starts its traceback afresh (its frame line was kept in the text) */
  th_expect_prints("import tensorflow as tf\nfor f in (lambda: tf.constant(),):\n  try:\n    f()\n  except TypeError as e:\n    pass\n"
                   "def g():\n  return tf.constant()\ntry:\n  g()\nexcept TypeError as e:\n  print(repr(str(e)))\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2, "\"constant() missing 1 required positional argument: 'value'\"\n");
}

/* From review: a chain of comparisons of tf.Variables is one of tensors (unsupported, not a
 * made-up TypeError); TF 1's where of a vector condition choosing rows is unsupported, not a
 * catchable ValueError; enumerate past int64 is an OverflowError, not a wrapped count. */
Test(tfapi, variable_chains_select_rows_and_enumerate_overflow) {
  th_expect_error_at("import tensorflow as tf\nw = tf.Variable(2.0)\nb = 0 < w < 3\n", SF_MODE_EAGER, SF_PROFILE_TF2, 3,
                     "unsupported: comparison '<' of tensors");
  th_expect_error_at("import tensorflow as tf\na = tf.Variable(1.0)\nb = tf.Variable(2.0)\nprint(max(a, b))\n", SF_MODE_EAGER,
                     SF_PROFILE_TF2, 4, "unsupported: comparison '<' of tensors"); /* max(): a made-up TypeError before */
  th_expect_error_at("import tensorflow as tf\na = tf.Variable(1.0)\nb = tf.Variable(2.0)\nprint([a, 1] < [b, 1])\n", SF_MODE_EAGER,
                     SF_PROFILE_TF2, 4, "unsupported: comparison '<' of tensors"); /* inside lists too */
  th_expect_error_at("import tensorflow as tf\ntry:\n  t = tf.compat.v1.where([True, False], [[1, 2], [3, 4]], [[5, 6], [7, 8]])\n"
                     "except ValueError:\n  pass\n", SF_MODE_EAGER, SF_PROFILE_TF2, 3,
                     "unsupported: TF 1's where with a vector condition choosing rows");
  th_expect_error_at("import sys\ne = enumerate('abc', sys.maxsize - 1)\nprint(next(e))\ntry:\n  print(list(e))\n"
                     "except OverflowError as x:\n  print(x)\n",
                     SF_MODE_EAGER, SF_PROFILE_TF2, 5,
                     "unsupported: enumerate's count does not fit in 64 bits (seedflow's ints are int64, Python's unbounded)");
}

/* `in` of a list: the item itself is found by identity; TF 2's tensors and variables
 * otherwise compare element-wise (Tensor.__eq__), which is unsupported here, not a silent
 * False; TF 1.x's compare the objects. */
Test(tfapi, in_a_list_of_tensors) {
  th_expect_prints("import tensorflow as tf\nt = tf.constant(1.0)\nl = [t]\nprint(t in l, 3 in [1, 3])\n", SF_MODE_EAGER,
                   SF_PROFILE_TF2, "True True\n");
  th_expect_error_at("import tensorflow as tf\nv = tf.Variable(1.0)\nb = v in [tf.Variable(2.0), 1.0]\n", SF_MODE_EAGER,
                     SF_PROFILE_TF2, 3, "unsupported: 'in' of a list holding tensors or tf.Variables (TF 2 compares them element-wise)");
  th_expect_prints("import tensorflow as tf\nt = tf.constant(1.0)\nprint(t in [tf.constant(1.0), 1.0], 1.0 in [t])\n",
                   SF_MODE_GRAPH, SF_PROFILE_TF1, "False False\n");
  /* a TF 1 graph under a TF 2 profile compares the objects too (executing_eagerly_outside_functions
   * is false); list ==, index and count meet TF 2's element-wise == as 'in' does */
  th_expect_prints("import tensorflow as tf\nt = tf.constant(1.0)\nu = tf.constant(1.0)\n"
                   "print(t in [u, 1.0], [t] == [u], [u, t].index(t), [t, u].count(u))\n",
                   SF_MODE_GRAPH, SF_PROFILE_TF2, "False False 1 1\n");
  th_expect_error_at("import tensorflow as tf\nt = tf.constant(1.0)\nu = tf.constant(1.0)\nb = [t] == [u]\n", SF_MODE_EAGER,
                     SF_PROFILE_TF2, 4, "unsupported: == of a TF 2 tensor or tf.Variable in a list, tuple or dict comparison "
                     "(TF 2 compares it element-wise)");
  th_expect_error_at("import tensorflow as tf\nt = tf.constant(1.0)\nn = [1, t].count(t)\n", SF_MODE_FUNCTION,
                     SF_PROFILE_TF2, 3, "unsupported: == of a TF 2 tensor or tf.Variable in a list, tuple or dict comparison "
                     "(TF 2 compares it element-wise)");
}

/* From review: enumerate gives sys.maxsize itself and fails only past it; a chain of == of
 * TF 2 tensors is unsupported (each == gives a tensor, not the bool a chain goes on with). */
Test(tfapi, enumerate_to_maxsize_and_equality_chains) {
  th_expect_prints("import sys\nfor i, c in enumerate('xy', sys.maxsize - 1):\n  print(i, c)\n", SF_MODE_EAGER, SF_PROFILE_TF2,
                   "9223372036854775806 x\n9223372036854775807 y\n");
  th_expect_error_at("import tensorflow as tf\nt = tf.constant(1)\nb = t == tf.constant(1) == 1\n", SF_MODE_EAGER, SF_PROFILE_TF2, 3,
                     "unsupported: comparison '==' of tensors in a chain");
}

/* TF 1.x's tf.log, tf.log1p and tf.to_float/to_double/to_int32/to_int64 (math_ops.py
 * tf_export(v1=...)) are tf.math.log, tf.math.log1p and cast(x, dtype, name="ToFloat"...):
 * one op each, so a random op after them takes the same seed2 as after tf.math.log and
 * tf.cast. */
Test(tfapi, tf1_log_and_to_dtype) {
  const char *v1 = "import tensorflow as tf\ntf.set_random_seed(1)\nx = tf.constant([1, 2])\ny = tf.to_float(x)\n"
                   "z = tf.log(y + 1.0)\nw = tf.log1p(y)\nd = tf.to_double(w)\ni = tf.to_int64(tf.to_int32(z * 3.0))\n"
                   "r = tf.random_uniform([2])\n"
                   "with tf.Session() as s:\n    print(s.run([y, z, w, d, i, r]))\nprint(y.name, z.name, w.name, d.name, i.name)\n";
  const char *v2 = "import tensorflow as tf\ntf.set_random_seed(1)\nx = tf.constant([1, 2])\ny = tf.cast(x, tf.float32)\n"
                   "z = tf.math.log(y + 1.0)\nw = tf.math.log1p(y)\nd = tf.cast(w, tf.float64)\n"
                   "i = tf.cast(tf.cast(z * 3.0, tf.int32), tf.int64)\n"
                   "r = tf.random_uniform([2])\n"
                   "with tf.Session() as s:\n    print(s.run([y, z, w, d, i, r]))\nprint(y.name, z.name, w.name, d.name, i.name)\n";
  sf_error err = {0};
  sf_run_options o = {.mode = SF_MODE_GRAPH, .profile = SF_PROFILE_TF1};
  sf_trace *t1 = th_run_text(v1, &o, &err);
  cr_assert(t1, "%s (line %d)", err.msg, err.line);
  sf_trace *t2 = th_run_text(v2, &o, &err);
  cr_assert(t2, "%s (line %d)", err.msg, err.line);
  char *p1 = th_prints_and_free(t1), *p2 = th_prints_and_free(t2);
  const char *names1 = strstr(p1, "ToFloat:0 Log:0 Log1p:0 ToDouble:0 ToInt64:0\n");
  cr_expect(names1 != NULL, "%s", p1);
  cr_expect(strstr(p2, "Cast:0 Log:0 Log1p:0 Cast_1:0 Cast_3:0\n") != NULL, "%s", p2);
  size_t n = names1 ? (size_t)(names1 - p1) : 0;
  cr_expect(n > 0 && strncmp(p1, p2, n) == 0 && p1[n - 1] == '\n', "%s\n---\n%s", p1, p2);
  cr_expect(strncmp(p1, "[array([1., 2.], dtype=float32), array([0.6931472, 1.0986123], dtype=float32), ", 79) == 0, "%s", p1);
  free(p1);
  free(p2);
}

/* print of a tensor inside a tf.function being traced shows it symbolically, as TF does at
 * trace time (ops.py Tensor.__str__ / __repr__), once per trace: the next call of the same
 * signature runs the graph and prints nothing (it fetched from no session: a crash). */
Test(tfapi, print_in_a_traced_function_is_symbolic) {
  th_expect_prints("import tensorflow as tf\n"
                   "@tf.function\n"
                   "def f(x):\n"
                   "    y = x * 2.0\n"
                   "    print(x)\n"
                   "    print('Tracing with', [x], (y,))\n"
                   "    print(f'{x!r} {tf.reduce_sum(y)}', x.name)\n"
                   "    return y\n"
                   "print(f(tf.zeros([2])))\n"
                   "print(f(tf.ones([2])))\n"
                   "print(f(tf.ones([3])))\n",
                   SF_MODE_FUNCTION, SF_PROFILE_TF2,
                   "Tensor(\"x:0\", shape=(2,), dtype=float32)\n"
                   "Tracing with [<tf.Tensor 'x:0' shape=(2,) dtype=float32>] (<tf.Tensor 'mul:0' shape=(2,) dtype=float32>,)\n"
                   "<tf.Tensor 'x:0' shape=(2,) dtype=float32> Tensor(\"Sum:0\", shape=(), dtype=float32) x:0\n"
                   "tf.Tensor([0. 0.], shape=(2,), dtype=float32)\n"
                   "tf.Tensor([2. 2.], shape=(2,), dtype=float32)\n"
                   "Tensor(\"x:0\", shape=(3,), dtype=float32)\n"
                   "Tracing with [<tf.Tensor 'x:0' shape=(3,) dtype=float32>] (<tf.Tensor 'mul:0' shape=(3,) dtype=float32>,)\n"
                   "<tf.Tensor 'x:0' shape=(3,) dtype=float32> Tensor(\"Sum:0\", shape=(), dtype=float32) x:0\n"
                   "tf.Tensor([2. 2. 2.], shape=(3,), dtype=float32)\n");
  /* a reduction's op is named after its type, or name= (it was "(null)" over all axes) */
  th_expect_prints("import tensorflow as tf\nx = tf.compat.v1.placeholder(tf.float32, [2])\n"
                   "print(tf.reduce_sum(x).name, tf.reduce_max(x).name, tf.reduce_sum(x, name='t').name, tf.reduce_sum(x, 0, name='t').name)\n",
                   SF_MODE_GRAPH, SF_PROFILE_TF2, "Sum:0 Max:0 t:0 t_1:0\n");
}

/* get_variable's store holds its own reference: eagerly a reused variable is the same
 * tf.Variable after the first one's name went out of scope (it was freed memory). */
Test(tfapi, get_variable_reuse_after_the_first_is_dropped) {
  th_expect_prints("import tensorflow as tf\n"
                   "def get(reuse):\n"
                   "    with tf.compat.v1.variable_scope('a', reuse=reuse):\n"
                   "        w = tf.compat.v1.get_variable('kernel', [3, 4], initializer=tf.compat.v1.ones_initializer())\n"
                   "    return w\n"
                   "get(False)\n"
                   "for i in range(3):\n"
                   "    w = get(True)\n"
                   "    print(type(w).__name__, w.name, w.shape, float(tf.reduce_sum(w)))\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2,
                   "ResourceVariable a/kernel:0 (3, 4) 12.0\nResourceVariable a/kernel:0 (3, 4) 12.0\n"
                   "ResourceVariable a/kernel:0 (3, 4) 12.0\n");
}

/* isinstance with an API class: tf.Tensor, np.ndarray, tf.Variable and tf.random.Generator
 * are known; another (a Keras class, say) is the located unsupported error, not False. */
Test(tfapi, isinstance_with_api_classes) {
  th_expect_prints("import numpy as np\nimport tensorflow as tf\nv = tf.Variable(1.0)\nt = tf.constant([1.0])\n"
                   "g = tf.random.Generator.from_seed(1)\n"
                   "print(isinstance(v, tf.Variable), isinstance(t, tf.Variable), isinstance(t, tf.Tensor), isinstance(v, tf.Tensor))\n"
                   "print(isinstance(t.numpy(), np.ndarray), isinstance(t, np.ndarray), isinstance(g, tf.random.Generator))\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2, "True False True False\nTrue False True\n");
  th_expect_error_at("import tensorflow as tf\nd = tf.keras.layers.Dense(2)\nprint(isinstance(d, tf.keras.layers.Layer))\n",
                     SF_MODE_EAGER, SF_PROFILE_TF2, 3, "unsupported: isinstance() with tf.keras.layers.Layer");
}

/* With input_signature (or reduce_retracing, experimental_relax_shapes) TF keeps one trace
 * for new shapes, its kernels' counters going on; seedflow would retrace and repeat the
 * first draws, so such a call is the located unsupported error. The same shape runs. */
Test(tfapi, input_signature_new_shape_is_unsupported) {
  const char *prog = "import tensorflow as tf\ntf.random.set_seed(1)\n"
                     "@tf.function(%s)\ndef f(x):\n    return x + tf.random.uniform([1])\n"
                     "print(f(tf.zeros([2])))\nprint(f(tf.zeros([2])))\nprint(f(tf.zeros([3])))\n";
  const char *opts[] = {"input_signature=[tf.TensorSpec([None])]", "reduce_retracing=True", "experimental_relax_shapes=True"};
  const char *names[] = {"input_signature", "reduce_retracing", "experimental_relax_shapes"};
  for (int i = 0; i < 3; i++) {
    char text[512], want[300];
    snprintf(text, sizeof text, prog, opts[i]);
    snprintf(want, sizeof want, "unsupported: a call of tf.function 'f' (%s=...) with a new signature: TF reuses or relaxes "
             "its trace, seedflow would trace it again", names[i]);
    th_expect_error_at(text, SF_MODE_FUNCTION, SF_PROFILE_TF2, 8, want);
  }
  /* reduce_retracing relaxes shapes alone: a new Python value still traces again */
  th_expect_prints("import tensorflow as tf\ntf.random.set_seed(2)\n@tf.function(reduce_retracing=True)\ndef g(x, training):\n"
                   "    return x + tf.random.uniform([2]) if training else x\nprint(g(tf.constant([1., 2.]), True))\n"
                   "print(g(tf.constant([1., 2.]), False))\nprint(g(tf.constant([1., 2.]), True))\n",
                   SF_MODE_FUNCTION, SF_PROFILE_TF2,
                   "tf.Tensor([1.829064  2.6074219], shape=(2,), dtype=float32)\ntf.Tensor([1. 2.], shape=(2,), dtype=float32)\n"
                   "tf.Tensor([1.8970913 2.6527853], shape=(2,), dtype=float32)\n");
  char text[512];
  snprintf(text, sizeof text, prog, "input_signature=None");
  th_expect_prints(text, SF_MODE_FUNCTION, SF_PROFILE_TF2,
                   "tf.Tensor([0.81269646 0.81269646], shape=(2,), dtype=float32)\n"
                   "tf.Tensor([0.5272893 0.5272893], shape=(2,), dtype=float32)\n"
                   "tf.Tensor([0.81269646 0.81269646 0.81269646], shape=(3,), dtype=float32)\n");
}

/* A subclass of tf.keras.Model or Layer lacks what seedflow does not model of Keras's class
 * (compile, fit): the located unsupported error, not an AttributeError (hasattr said False). */
Test(tfapi, keras_subclass_missing_methods_are_unsupported) {
  const char *head = "import tensorflow as tf\nclass M(tf.keras.Model):\n    def __init__(self):\n        super().__init__()\n"
                     "        self.d = tf.keras.layers.Dense(1)\n    def call(self, x):\n        return self.d(x)\nm = M()\n";
  char text[600];
  snprintf(text, sizeof text, "%sprint(hasattr(m, 'd'))\nm.compile(optimizer='sgd', loss='mse')\n", head);
  th_expect_error_at(text, SF_MODE_EAGER, SF_PROFILE_TF2, 10, "unsupported: Model.compile");
  snprintf(text, sizeof text, "%sprint(hasattr(m, 'fit'))\n", head);
  th_expect_error_at(text, SF_MODE_EAGER, SF_PROFILE_TF2, 9, "unsupported: Model.fit");
}

/* type() of a Keras layer, model, optimizer or a tf.random.Generator: their classes are not
 * modelled (it said object, silently). */
Test(tfapi, type_of_keras_objects_is_unsupported) {
  th_expect_error_at("import tensorflow as tf\nd = tf.keras.layers.Dense(2)\nprint(type(d).__name__)\n", SF_MODE_EAGER,
                     SF_PROFILE_TF2, 3, "unsupported: type() of a Keras layer");
  th_expect_error_at("import tensorflow as tf\nprint(type(tf.keras.optimizers.SGD(0.1)))\n", SF_MODE_EAGER, SF_PROFILE_TF2, 2,
                     "unsupported: type() of a Keras optimizer");
  th_expect_error_at("import tensorflow as tf\ng = tf.random.Generator.from_seed(1)\nprint(type(g))\n", SF_MODE_EAGER,
                     SF_PROFILE_TF2, 3, "unsupported: type() of a tf.random.Generator");
}

/* A tensor of a graph no session of the print runs (a tf.Graph() of its own, eagerly) prints
 * symbolically (it fetched from no session: a crash); a Keras subclass's hasattr and getattr
 * with a default answer for names Keras's class lacks too. */
Test(tfapi, other_graph_tensors_and_keras_subclass_names) {
  th_expect_prints("import tensorflow as tf\ng = tf.Graph()\nwith g.as_default():\n    c = tf.constant(1.0)\n    print(c)\n"
                   "print([c])\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2,
                   "Tensor(\"Const:0\", shape=(), dtype=float32)\n[<tf.Tensor 'Const:0' shape=() dtype=float32>]\n");
  th_expect_prints("import tensorflow as tf\nclass L(tf.keras.layers.Layer):\n    pass\nl = L()\n"
                   "print(hasattr(l, 'cache'), getattr(l, 'zzz', 'dflt'))\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2, "False dflt\n");
}

/* Function mode: a tensor a traced function left behind prints symbolically, as TF does (it
 * was fetched from no session: a crash); a deferred print of a dict holding a tensor holds a
 * borrowed snapshot (teardown dropped it too: a double free). Activation('softmax') called
 * twice on one array (it took the program's array as its own logits and released it). */
Test(tfapi, function_mode_leaked_tensors_and_deferred_dicts) {
  th_expect_prints("import tensorflow as tf\nleak = []\n@tf.function\ndef f(x):\n    y = x * 3\n    leak.append(y)\n    return y\n"
                   "print(f(tf.constant([1.0])))\nprint(leak[0])\n",
                   SF_MODE_FUNCTION, SF_PROFILE_TF2,
                   "tf.Tensor([3.], shape=(1,), dtype=float32)\nTensor(\"mul:0\", shape=(1,), dtype=float32)\n");
  th_expect_prints("import tensorflow as tf\nprint({'a': tf.constant(1.0)})\n", SF_MODE_FUNCTION, SF_PROFILE_TF2,
                   "{'a': <tf.Tensor: shape=(), dtype=float32, numpy=1.0>}\n");
  th_expect_prints("import numpy as np\nimport tensorflow as tf\nx = np.ones((1, 2), np.float32)\n"
                   "a = tf.keras.layers.Activation('softmax')\nprint(a(x))\nprint(a(x))\nprint(x)\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2,
                   "tf.Tensor([[0.5 0.5]], shape=(1, 2), dtype=float32)\ntf.Tensor([[0.5 0.5]], shape=(1, 2), dtype=float32)\n"
                   "[[1. 1.]]\n");
  th_expect_prints("import tensorflow as tf\nclass M(tf.Module):\n    pass\nm = M()\nprint(getattr(m, 'zzz', 'dflt'))\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2, "dflt\n");
}

/* a @ b is math_ops.py's overloaded matmul: one MatMul named by its scope "matmul" (graph
 * names matmul:0, matmul_1:0), a Python operand converted to the tensor's dtype on either
 * side, the same draws' products as tf.matmul, a gradient; a rank above 2 (TF's
 * BatchMatMulV2) is a located error, for tf.matmul too. */
Test(tfapi, matmul_operator) {
  static const char prog[] = "import tensorflow as tf\n"
                             "a = tf.constant([[1.0, 2.0], [3.0, 4.0]])\n"
                             "print(a @ a, a @ [[1.0], [2.0]], [[1.0, 0.5]] @ a)\n"
                             "tf.random.set_seed(1)\n"
                             "x = tf.random.normal([3, 5])\n"
                             "y = tf.random.normal([5, 4])\n"
                             "print(bool(tf.reduce_all(x @ y == tf.matmul(x, y))))\n"
                             "v = tf.Variable([[1.0], [2.0]])\n"
                             "with tf.GradientTape() as tape:\n"
                             "    s = tf.reduce_sum(a @ v)\n"
                             "print(tape.gradient(s, v).numpy().tolist())\n";
  char *got = output(prog, SF_MODE_EAGER);
  cr_expect_str_eq(got, "tf.Tensor(\n[[ 7. 10.]\n [15. 22.]], shape=(2, 2), dtype=float32) tf.Tensor(\n[[ 5.]\n [11.]], "
                        "shape=(2, 1), dtype=float32) tf.Tensor([[2.5 4. ]], shape=(1, 2), dtype=float32)\nTrue\n"
                        "[[4.0], [6.0]]\n");
  free(got);
  got = output("import tensorflow as tf\na = tf.constant([[1.0, 2.0], [3.0, 4.0]])\nb = a @ a\nc = [[1.0, 1.0]] @ b\n"
               "print(b.name, c.name)\n", SF_MODE_GRAPH);
  cr_expect_str_eq(got, "matmul:0 matmul_1:0\n");
  free(got);
  static const char batch[] = "unsupported: matmul of tensors of rank 3 and 3 (TensorFlow's batch matmul, BatchMatMulV2, "
                              "is not modelled)";
  expect_error("import tensorflow as tf\na = tf.ones([2, 2, 2])\nb = a @ a\n", SF_MODE_EAGER, 3, batch);
  expect_error("import tensorflow as tf\na = tf.ones([2, 2, 2])\nb = tf.matmul(a, a)\n", SF_MODE_EAGER, 3, batch);
}
