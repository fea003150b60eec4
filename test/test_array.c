/* test_array.c — Criterion suite `array`: tf.argmax / argmin, where, stack, concat, add_n,
 * one_hot, zeros_like / ones_like, shape / size / rank (lang/api_array.c, ops/array.c).
 * Eager values are NumPy's (/usr/bin/python3: np.argmax, np.argwhere, np.stack,
 * np.concatenate, np.eye rows); the graph case checks TF1's op count through the op seed
 * of a random op built after them (tf-random-semantics.md §1: op seed = graph._last_id). */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "seedflow/seedflow.h"

static char *run(const char *text, sf_mode mode, sf_profile profile) {
  sf_error err = {0};
  sf_trace *t = th_run_text(text, &(sf_run_options){.mode = mode, .profile = profile}, &err);
  cr_assert(t, "run: %s (line %d)", err.msg, err.line);
  return th_prints_and_free(t);
}

static void expect_error(const char *text, const char *msg) {
  sf_error err = {0};
  sf_trace *t = th_run_text(text, &(sf_run_options){.mode = SF_MODE_EAGER, .profile = SF_PROFILE_TF2}, &err);
  cr_assert_null(t, "ran: %s", text);
  cr_expect(strstr(err.msg, msg), "error '%s', want '%s'", err.msg, msg);
}

/* TF 1.x's op count: a random op after `calls` (after x, a constant) draws as one after
 * x and `consts` more constants (tf-random-semantics.md §1: op seed = graph._last_id). */
static void expect_tf1_ops(const char *calls, int consts) {
  static const char head[] = "import tensorflow as tf\ntf.set_random_seed(1)\nx = tf.constant([[-1.5, 0.5, 2.5]])\n",
                    tail[] = "r = tf.random_uniform([2])\nwith tf.Session() as sess:\n    print(sess.run(r))\n";
  char prog[1024], ref[512];
  snprintf(prog, sizeof prog, "%s%s%s", head, calls, tail);
  snprintf(ref, sizeof ref, "%sfor i in range(%d):\n    tf.constant(0)\n%s", head, consts, tail);
  char *got = run(prog, SF_MODE_GRAPH, SF_PROFILE_TF1), *want = run(ref, SF_MODE_GRAPH, SF_PROFILE_TF1);
  cr_expect_str_eq(got, want, "%s", calls);
  free(got);
  free(want);
}

/* add_n([1e8, -1e8, 1]) is 1 only as a left fold (1e8 + (-1e8 + 1) is 0 in float32). */
Test(array, eager_values) {
  char *got = run("import tensorflow as tf\n"
                  "x = tf.constant([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])\n"
                  "print(tf.argmax(x, axis=1), tf.argmin(x, 0, output_type=tf.int32))\n"
                  "print(tf.where(x > 2.5))\n"
                  "print(tf.where(x > 2.5, x, tf.zeros_like(x)))\n"
                  "print(tf.stack([x, x], axis=1).shape, tf.stack([1, 2, 3]))\n"
                  "print(tf.concat([x, x], 1))\n"
                  "print(tf.add_n([tf.constant(1e8), tf.constant(-1e8), tf.constant(1.0)]))\n"
                  "print(tf.one_hot([2, 0], 3, axis=0))\n"
                  "print(tf.ones_like(x, dtype=tf.int32), tf.shape(x), tf.size(x), tf.rank(x))\n",
                  SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_expect_str_eq(got, "tf.Tensor([1 2], shape=(2,), dtype=int64) tf.Tensor([0 1 0], shape=(3,), dtype=int32)\n"
                        "tf.Tensor(\n[[0 1]\n [0 2]\n [1 0]\n [1 2]], shape=(4, 2), dtype=int64)\n"
                        "tf.Tensor(\n[[0. 5. 3.]\n [4. 0. 6.]], shape=(2, 3), dtype=float32)\n"
                        "(2, 2, 3) tf.Tensor([1 2 3], shape=(3,), dtype=int32)\n"
                        "tf.Tensor(\n[[1. 5. 3. 1. 5. 3.]\n [4. 2. 6. 4. 2. 6.]], shape=(2, 6), dtype=float32)\n"
                        "tf.Tensor(1.0, shape=(), dtype=float32)\n"
                        "tf.Tensor(\n[[0. 1.]\n [0. 0.]\n [1. 0.]], shape=(3, 2), dtype=float32)\n"
                        "tf.Tensor(\n[[1 1 1]\n [1 1 1]], shape=(2, 3), dtype=int32) tf.Tensor([2 3], shape=(2,), "
                        "dtype=int32) tf.Tensor(6, shape=(), dtype=int32) tf.Tensor(2, shape=(), dtype=int32)\n");
  free(got);
}

/* The ops TF 1.x builds for these calls, 29 after x: ArgMax/dimension + ArgMax; y + Greater +
 * Where; y + Greater + zeros_like (one Const) + SelectV2; Pack; stack_1/1_1 + Pack; concat/axis +
 * ConcatV2; concat_1/concat_dim + Identity; ones_like/Shape + ones_like/Const + Fill; the Consts
 * Shape, Size, Rank; AddN; one_hot's on_value, off_value, indices, depth + OneHot. So the
 * random op after them draws as one after 29 constants. */
Test(array, graph_op_count_as_tf1) {
  const char *tail = "r = tf.random_uniform([2])\n"
                     "with tf.Session() as sess:\n"
                     "    print(sess.run(r))\n";
  char prog[2048], ref[1024];
  snprintf(prog, sizeof prog,
           "import tensorflow as tf\n"
           "tf.set_random_seed(1)\n"
           "x = tf.constant([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])\n"
           "ts = [tf.argmax(x, axis=1), tf.where(x > 2.5), tf.where(x > 2.5, x, tf.zeros_like(x)), tf.stack([x, x], axis=1),\n"
           "      tf.stack([x, [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]]), tf.concat([x, x], 0), tf.concat([x], 0), tf.ones_like(x),\n"
           "      tf.shape(x), tf.size(x), tf.rank(x), tf.add_n([x, x, x]), tf.one_hot([0, 2], 3)]\n"
           "%s",
           tail);
  snprintf(ref, sizeof ref, "import tensorflow as tf\ntf.set_random_seed(1)\nfor i in range(29):\n    tf.constant(0)\n%s", tail);
  char *got = run(prog, SF_MODE_GRAPH, SF_PROFILE_TF1), *want = run(ref, SF_MODE_GRAPH, SF_PROFILE_TF1);
  cr_expect_str_eq(got, want);
  free(got);
  free(want);
  snprintf(ref, sizeof ref, "import tensorflow as tf\ntf.set_random_seed(1)\nfor i in range(28):\n    tf.constant(0)\n%s", tail);
  want = run(ref, SF_MODE_GRAPH, SF_PROFILE_TF1);
  got = run(prog, SF_MODE_GRAPH, SF_PROFILE_TF1);
  cr_expect_str_neq(got, want, "one op fewer must draw differently");
  free(got);
  free(want);
}

Test(array, graph_values_through_a_session) {
  char *got = run("import tensorflow as tf\n"
                  "x = tf.constant([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])\n"
                  "with tf.Session() as sess:\n"
                  "    print(sess.run([tf.where(x > 2.5), tf.stack([x, [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]])[1], tf.ones_like(x)]))\n",
                  SF_MODE_GRAPH, SF_PROFILE_TF1);
  cr_expect_str_eq(got, "[array([[0, 1],\n       [0, 2],\n       [1, 0],\n       [1, 2]]), array([[0., 0., 0.],\n"
                        "       [1., 1., 1.]], dtype=float32), array([[1., 1., 1.],\n       [1., 1., 1.]], dtype=float32)]\n");
  free(got);
}

Test(array, errors) {
  expect_error("import tensorflow as tf\ntf.add_n([])\n",
               "inputs must be an iterable of at least one Tensor/IndexedSlices with the same dtype and shape");
  expect_error("import tensorflow as tf\ntf.argmax(tf.constant([1.0, 2.0]), axis=1)\n", "ArgMax: axis 1 out of range for rank 1");
  expect_error("import tensorflow as tf\ntf.concat([tf.constant([1.0]), tf.constant([[1.0]])], 0)\n",
               "ConcatOp : Ranks of all input tensors should match: shape[0] = [1] vs. shape[1] = [1,1]");
  expect_error("import tensorflow as tf\ntf.stack([tf.constant([1.0]), tf.constant([1.0, 2.0])], axis=0)\n",
               "Shapes of all inputs must match: values[0].shape = [1] != values[1].shape = [2]");
  expect_error("import tensorflow as tf\ntf.where(tf.constant([True]), tf.constant([1.0]))\n",
               "x and y must both be non-None or both be None.");
  /* a dtype TensorFlow and NumPy have and seedflow does not: named, not "must be a dtype" */
  expect_error("import numpy as np\nx = np.arange(4).astype('int8')\n",
               "unsupported: astype() with dtype 'int8' (seedflow has float32, float64, int32, int64, uint8 and bool)");
  expect_error("import tensorflow as tf\ntf.zeros([2], dtype='float16')\n", "with dtype 'float16'");
}

/* tf.transpose and tf.squeeze (NumPy's np.transpose / np.squeeze values); in TF 1.x a
 * transpose is 2 ops ("transpose/perm" + Transpose), 3 with its input a list ("transpose/a"
 * first), and a squeeze 1 (2 with a list input, "Squeeze/input"): 2 + 3 + 1 + 2 ops. */
Test(array, transpose_and_squeeze) {
  char *got = run("import tensorflow as tf\n"
                  "x = tf.constant([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])\n"
                  "print(tf.transpose(x), tf.transpose([[[1, 2]], [[3, 4]]], perm=[2, 0, 1]).shape)\n"
                  "print(tf.squeeze(tf.reshape(x, [1, 2, 1, 3])).shape, tf.squeeze(tf.reshape(x, [1, 2, 1, 3]), axis=[-2]).shape)\n"
                  "print(tf.squeeze([[7]]), tf.squeeze(tf.ones([1, 2, 1]), 0).shape)\n",
                  SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_expect_str_eq(got, "tf.Tensor(\n[[1. 4.]\n [5. 2.]\n [3. 6.]], shape=(3, 2), dtype=float32) (2, 2, 1)\n"
                        "(2, 3) (1, 2, 3)\n"
                        "tf.Tensor(7, shape=(), dtype=int32) (2, 1)\n");
  free(got);
  expect_tf1_ops("t = [tf.transpose(x), tf.transpose([[1, 2]], [1, 0]), tf.squeeze(x), tf.squeeze([[1.0]], axis=1)]\n", 8);
  expect_error("import tensorflow as tf\ntf.squeeze(tf.ones([2, 3]), axis=1)\n",
               "node 'Squeeze' (Squeeze): Can not squeeze dim[1], expected a dimension of 1, got 3");
  expect_error("import tensorflow as tf\ntf.squeeze(tf.ones([2, 3]), axis=2)\n",
               "Tried to squeeze dim index 2 for tensor with 2 dimensions.");
  expect_error("import tensorflow as tf\ntf.transpose(tf.ones([2, 3]), perm=[0, 0])\n", "0 is not a permutation of 0..1");
}

/* tf.fill, tf.reverse, tf.clip_by_value and the math_ops unaries sigmoid, tanh, sign and
 * round. TF 1.x builds 3 ops for fill (dims, value, Fill), 2 for reverse (axis,
 * ReverseV2), 4 for clip_by_value (Minimum/y, Minimum, y, Maximum) and one each for the
 * unaries of a tensor: 13 ops. */
Test(array, fill_reverse_clip_and_unaries) {
  char *got = run("import tensorflow as tf\n"
                  "x = tf.constant([[-1.5, 0.5, 2.5]])\n"
                  "print(tf.fill([2], 7.0), tf.reverse(x, [1]), tf.clip_by_value(x, -1.0, 1.0))\n"
                  "print(tf.sign(x), tf.math.round(x), tf.round(tf.constant([3])), tf.sigmoid([0.0]), tf.nn.tanh(0.0))\n",
                  SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_expect_str_eq(got, "tf.Tensor([7. 7.], shape=(2,), dtype=float32) tf.Tensor([[ 2.5  0.5 -1.5]], shape=(1, 3), "
                        "dtype=float32) tf.Tensor([[-1.   0.5  1. ]], shape=(1, 3), dtype=float32)\n"
                        "tf.Tensor([[-1.  1.  1.]], shape=(1, 3), dtype=float32) tf.Tensor([[-2.  0.  2.]], shape=(1, 3), "
                        "dtype=float32) tf.Tensor([3], shape=(1,), dtype=int32) tf.Tensor([0.5], shape=(1,), dtype=float32) "
                        "tf.Tensor(0.0, shape=(), dtype=float32)\n");
  free(got);
  expect_tf1_ops("t = [tf.fill([2, 2], 7.0), tf.reverse(x, [1]), tf.clip_by_value(x, -1.0, 1.0), tf.sigmoid(x),\n"
                 "     tf.tanh(x), tf.sign(x), tf.round(x)]\n", 13);
}

/* Converting Python values to tensors. Eager (py_seq_tensor.cc): the dtype is inferred from
 * the first leaf (a NumPy float64 double, other floats float32, bools bool, ints int32 unless
 * a value needs int64 or a float follows); an empty list is float32; a ragged list and bools
 * mixed with ints are TensorFlow's ValueErrors. In a graph (make_tensor_proto): np.array of
 * the list, float64 taken as float32, int64 as int32. A NumPy array converts to a requested
 * dtype as NumPy casts; convert_to_tensor packs a list holding tensors, in their dtype, and
 * takes a dtype_hint the value converts to. Shapes: an empty one stays int32. */
Test(array, python_values_to_tensors) {
  const char *text = "import numpy as np\nimport tensorflow as tf\n"
                     "a = np.array([1, 2])\nf = np.array([1.5, 2.5])\n"
                     "for v in ([True, False], [np.float64(1.0), 2.0], [1, 2.5], [a, a], [f, [3, 4]], [[1, 2], f], [],\n"
                     "          [[]], [1, 2 ** 40]):\n"
                     "    print(tf.constant(v).dtype.name, end=' ')\n"
                     "print()\n"
                     "print(tf.constant(f, dtype=tf.int32).numpy(), tf.Variable(f, dtype=tf.float32).dtype.name)\n"
                     "print(tf.convert_to_tensor([tf.constant(1.0), 2]).numpy(), tf.convert_to_tensor(1, dtype_hint=tf.float32).dtype.name)\n"
                     "print(tf.convert_to_tensor(1.5, dtype_hint=tf.int32).dtype.name, tf.random.uniform([]).shape)\n"
                     "for v in ([[1, 2], [3]], [True, 1]):\n"
                     "    try:\n"
                     "        tf.constant(v)\n"
                     "    except ValueError as e:\n"
                     "        print(e)\n";
  char *got = run(text, SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_expect_str_eq(got, "bool float64 float32 int32 float64 float32 float32 float32 int64 \n"
                        "[1 2] float32\n"
                        "[1. 2.] float32\n"
                        "float32 ()\n"
                        "Can't convert non-rectangular Python sequence to Tensor.\n"
                        "Can't convert Python sequence with mixed types to Tensor.\n");
  free(got);
  got = run("import numpy as np\nimport tensorflow as tf\n"
            "f = np.array([1.5, 2.5])\n"
            "for v in ([True, False], [np.float64(1.0), 2.0], [True, 1], [1, 2 ** 40], []):\n"
            "    print(tf.constant(v).dtype.name, end=' ')\n"
            "print()\n"
            "try:\n"
            "    tf.constant([[1, 2], [3]])\n"
            "except ValueError as e:\n"
            "    print(e)\n",
            SF_MODE_GRAPH, SF_PROFILE_TF1);
  cr_expect_str_eq(got, "bool float32 int32 int64 float32 \n"
                        "setting an array element with a sequence. The requested array has an inhomogeneous shape "
                        "after 1 dimensions. The detected shape was (2,) + inhomogeneous part.\n");
  free(got);
}

/* NumPy arrays are host values in every mode, no ops of a TF1 graph: the classic
 * getting-started program (x_data = np.random.rand(100) ... before random_uniform) gives
 * the random op seed2 = graph._last_id = 3 (its shape, min and max Consts), not 3 plus one
 * per NumPy result; a NumPy array a TF op takes becomes a Const then. */
Test(array, numpy_arrays_are_no_graph_ops) {
  static const char tail[] = "W = tf.Variable(tf.random_uniform([1], -1.0, 1.0))\n"
                             "y = W * x_data + 0.3\n"
                             "sess = tf.Session()\nsess.run(tf.global_variables_initializer())\n"
                             "print(sess.run(W), sess.run(y)[:2])\n";
  char with[512];
  snprintf(with, sizeof with, "import numpy as np\nimport tensorflow as tf\ntf.set_random_seed(1)\n"
                              "np.random.seed(0)\nx_data = np.random.rand(100).astype(np.float32)\n"
                              "y_data = x_data * 0.1 + 0.3\n%s", tail);
  char *got = run(with, SF_MODE_GRAPH, SF_PROFILE_TF1);
  char *want = run("import tensorflow as tf\ntf.set_random_seed(1)\n"
                   "print(tf.Session().run(tf.random_uniform([1], -1.0, 1.0, seed=3)))\n",
                   SF_MODE_GRAPH, SF_PROFILE_TF1);
  cr_expect(strncmp(got, want, strlen(want) - 1) == 0, "got %s, want it to start with %s", got, want);
  free(got);
  free(want);
}

/* A list holding a graph tensor is packed (array_ops.py _autopacking_helper): one Pack in
 * name scope "packed" and a Const per other element, a nested list with a tensor packed in
 * its own scope, one without a tensor one Const; their count moves TF1's op seeds. */
Test(array, lists_holding_graph_tensors_are_packed) {
  expect_tf1_ops("s = tf.constant(2.0)\ny = tf.convert_to_tensor([s, 1.0])\n", 3);
  expect_tf1_ops("s = tf.constant(2.0)\ny = tf.convert_to_tensor([[s, 1.0], [2.0, 3.0]])\n", 5);
  char *got = run("import tensorflow as tf\ns = tf.constant(2.0)\ny = tf.convert_to_tensor([[s, 1.0], [2.0, 3.0]])\n"
                  "z = tf.reduce_sum([s, s, 1.0])\n"
                  "print(y.name, tf.compat.v1.Session().run([y, z]))\n",
                  SF_MODE_GRAPH, SF_PROFILE_TF1);
  cr_expect_str_eq(got, "packed:0 [array([[2., 1.],\n       [2., 3.]], dtype=float32), 5.0]\n");
  free(got);
}

/* The packing's names and order are _autopacking_helper's (a tensor-less sublist enters its
 * scope str(i) too, so its Const is str(i)_1; Consts after the nested Packs), a requested
 * dtype casts the tensors first (_cast_nested_seqs_to_dtype); tf.constant does not pack
 * (make_tensor_proto: TF 1.x's TypeError), and a dtype_hint that does not convert is dropped. */
Test(array, packing_names_casts_and_hints) {
  char *ir = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&ir, &len);
  sf_error err = {0};
  sf_run_options o = {.mode = SF_MODE_GRAPH, .profile = SF_PROFILE_TF1, .print_after = "prune", .ir_out = f};
  sf_trace *t = th_run_text("import tensorflow as tf\ns = tf.constant(2.0)\ny = tf.convert_to_tensor([[s, 1.0], [2.0, 3.0]])\n"
                            "z = tf.convert_to_tensor([tf.constant(1), 2], dtype=tf.float32)\n"
                            "print(tf.Session().run([y, z]))\n", &o, &err);
  fclose(f);
  cr_assert(t, "run: %s", err.msg);
  sf_trace_free(t);
  const char *want[] = {"Const() name=\"packed/0/1\"", "Pack(%1, %2) name=\"packed/0\"", "Const() name=\"packed/1_1\"",
                        "Pack(%3, %4) name=\"packed\"", "Cast(%6) name=\"Cast\"", "Const() name=\"packed_1/1\"",
                        "Pack(%7, %8) name=\"packed_1\""};
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) cr_expect(strstr(ir, want[i]), "no %s in\n%s", want[i], ir);
  free(ir);
  sf_error e = {0};
  cr_assert_null(th_run_text("import tensorflow as tf\np = tf.compat.v1.placeholder(tf.float32)\nc = tf.constant([p, 1.0])\n",
                             &(sf_run_options){.mode = SF_MODE_GRAPH, .profile = SF_PROFILE_TF2}, &e));
  cr_expect_str_eq(e.msg, "unsupported: tf.constant of a list holding a tensor in a graph (TensorFlow raises TypeError, worded "
                          "differently across versions)");
  cr_assert_null(th_run_text("import tensorflow as tf\np = tf.placeholder(tf.float32)\nc = tf.constant([p, 1.0])\n",
                             &(sf_run_options){.mode = SF_MODE_GRAPH, .profile = SF_PROFILE_TF1}, &e));
  cr_expect_str_eq(e.msg, "TypeError: List of Tensors when single Tensor expected");
  char *got = run("import numpy as np\nimport tensorflow as tf\n"
                  "print(tf.convert_to_tensor([1, 2], dtype_hint=tf.bool).dtype, tf.convert_to_tensor([2**40], dtype_hint=tf.int32).dtype,\n"
                  "      tf.convert_to_tensor(np.array([1.5]), dtype_hint=tf.float32).dtype, tf.convert_to_tensor(tf.constant(1), dtype_hint=tf.float32).dtype)\n"
                  "print(tf.keras.layers.Dense(2, kernel_initializer='ones')(np.array([[1, 2]])).numpy())\n",
                  SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_expect_str_eq(got, "<dtype: 'int32'> <dtype: 'int64'> <dtype: 'float32'> <dtype: 'int32'>\n[[3. 3.]]\n");
  free(got);
}

/* math_ops.cast: a tensor already of the dtype is returned as is (no op); a Python value is
 * converted in the scope "Cast" ("Cast/x") and cast only when its dtype differs; the op is
 * named the scope. TF 1.x counts 3 ops below (Cast/x, Cast_1, two/x + two), so the draw's
 * op seed is that of 4 constants. Before, every call built a Cast: 6 ops. In eager mode the
 * same-dtype cast is the tensor itself. */
Test(array, cast_to_the_same_dtype_is_no_op) {
  expect_tf1_ops("y = tf.cast(x, tf.float32)\nz = tf.cast(1.0, tf.float32)\nw = tf.cast(x, tf.int32)\n"
                 "v = tf.cast(2, tf.float32, name='two')\n", 4);
  char *got = run("import tensorflow as tf\nx = tf.constant([1.0])\ny = tf.cast(x, tf.float32)\n"
                  "z = tf.cast(1.0, tf.float32)\nw = tf.cast(x, tf.int32)\nv = tf.cast(2, tf.float32, name='two')\n"
                  "print(y.name, z.name, w.name, v.name)\n",
                  SF_MODE_GRAPH, SF_PROFILE_TF1);
  cr_expect_str_eq(got, "Const:0 Cast/x:0 Cast_1:0 two:0\n");
  free(got);
  got = run("import tensorflow as tf\nx = tf.constant([1.5]) + 1.0\ny = tf.cast(x, tf.float32)\nx = None\n"
            "print(y, tf.cast(y, tf.int32), tf.cast(2, tf.float32))\n",
            SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_expect_str_eq(got, "tf.Tensor([2.5], shape=(1,), dtype=float32) tf.Tensor([2], shape=(1,), dtype=int32) "
                        "tf.Tensor(2.0, shape=(), dtype=float32)\n");
  free(got);
}

/* A list holding a tensor the trace captures (an eager tensor of the module) and one of the
 * trace: stack, concat and where read each tensor's dtype in its own graph (tf.stack read
 * the eager tensor's id in the trace's graph and crashed, function mode), and a Python
 * number beside a captured tensor takes its dtype (tf.maximum(3, g) was int32 vs float32). */
Test(array, stack_and_concat_of_captured_tensors_in_a_trace) {
  const char *program = "import tensorflow as tf\n"
                        "g = tf.constant([1.0, 2.0]) * 2.0\n"
                        "@tf.function\n"
                        "def f(x):\n"
                        "    return tf.stack([g, x]), tf.concat([g, x], 0), tf.where(x > 0.5, g, 0.0), tf.maximum(3, g)\n"
                        "s, c, w, m = f(tf.constant([0.0, 1.0]))\n"
                        "print(s.numpy().tolist(), c.numpy().tolist(), w.numpy().tolist(), m.numpy().tolist())\n";
  sf_mode modes[2] = {SF_MODE_FUNCTION, SF_MODE_EAGER};
  for (int m = 0; m < 2; m++) {
    char *got = run(program, modes[m], SF_PROFILE_TF2);
    cr_expect_str_eq(got, "[[2.0, 4.0], [0.0, 1.0]] [2.0, 4.0, 0.0, 1.0] [0.0, 4.0] [3.0, 4.0]\n", "mode %d", m);
    free(got);
  }
}
