/* test_tape.c — Criterion suite `tape`: tf.GradientTape, eager tf.Variable objects and the
 * tf.Module base class (lang/api_tape.c). Expected floats come from NumPy float32
 * (/usr/bin/python3) following TF's gradient rules: _MulGrad gives grad * y and x * grad,
 * a tensor used twice sums its two gradients (one AddV2). */
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
  return th_prints_and_free(t);
}

/* What a TF1 graph program prints: fmt with its %s replaced by body. */
static char *graph_prints(const char *fmt, const char *body) {
  char text[1024];
  snprintf(text, sizeof text, fmt, body);
  sf_error err = {0};
  sf_trace *t = th_run_text(text, &(sf_run_options){.mode = SF_MODE_GRAPH, .profile = SF_PROFILE_TF1}, &err);
  cr_assert(t, "run: %s", err.msg);
  return th_prints_and_free(t);
}

/* The run fails at line with msg (the error's first line). */
static void expect_error(const char *text, sf_mode mode, int line, const char *msg) {
  sf_error err = {0};
  sf_trace *t = th_run_text(text, &(sf_run_options){.mode = mode, .profile = SF_PROFILE_TF2}, &err);
  cr_assert_null(t, "the run should fail");
  cr_expect_eq(err.line, line, "line %d", err.line);
  char *nl = strchr(err.msg, '\n'); /* the traceback follows the message */
  if (nl) *nl = 0;
  cr_expect_str_eq(err.msg, msg);
}

/* text prints eager in eager and function mode, graph in graph mode. */
static void expect_in_modes(const char *text, const char *eager, const char *graph) {
  sf_mode modes[3] = {SF_MODE_EAGER, SF_MODE_FUNCTION, SF_MODE_GRAPH};
  for (int m = 0; m < 3; m++) {
    char *got = output(text, modes[m]);
    cr_expect_str_eq(got, modes[m] == SF_MODE_GRAPH ? graph : eager, "mode %d", m);
    free(got);
  }
}

/* Three hand-written SGD steps on (w*x + b)^2; the step is eager, or a tf.function. */
static const char *sgd_loop = "import tensorflow as tf\n"
                              "w = tf.Variable(0.3)\n"
                              "b = tf.Variable(-0.2, name='b')\n"
                              "%s"
                              "def step(x):\n"
                              "    with tf.GradientTape() as tape:\n"
                              "        y = w * x + b\n"
                              "        loss = y * y\n"
                              "    gw, gb = tape.gradient(loss, [w, b])\n"
                              "    w.assign_sub(gw * 0.05)\n"
                              "    b.assign_sub(gb * 0.05)\n"
                              "    return loss\n"
                              "for x in [0.7, -1.3, 2.1]:\n"
                              "    loss = step(tf.constant(x))\n"
                              "    print(loss.numpy(), w.numpy(), b.numpy())\n"
                              "print(w, b)\n";
static const char *sgd_out = "0.00010000011 0.29930001 -0.201\n"
                             "0.34820625 0.2225883 -0.141991\n"
                             "0.10591406 0.15424497 -0.17453545\n"
                             "<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=0.15424497> "
                             "<tf.Variable 'b:0' shape=() dtype=float32, numpy=-0.17453545>\n";

Test(tape, sgd_steps_eager) {
  char text[2048];
  snprintf(text, sizeof text, sgd_loop, "");
  char *got = output(text, SF_MODE_EAGER);
  cr_expect_str_eq(got, sgd_out);
  free(got);
}

/* The same step traced once: the tape, its gradient ops and the assignments live in the
 * FuncGraph; each call updates the variables. */
Test(tape, sgd_steps_tf_function) {
  char text[2048];
  snprintf(text, sizeof text, sgd_loop, "@tf.function\n");
  char *got = output(text, SF_MODE_FUNCTION);
  cr_expect_str_eq(got, sgd_out);
  free(got);
}

/* watch, nested sources (list, dict), a vector target (its sum's gradient), persistent
 * reuse, an unwatched constant (None). z = mean(9 w^2) with w = [1, 2]. */
Test(tape, watch_nested_persistent) {
  char *got = output("import tensorflow as tf\n"
                     "w = tf.Variable([1.0, 2.0])\n"
                     "x = tf.constant(3.0)\n"
                     "c = tf.constant(2.0)\n"
                     "with tf.GradientTape(persistent=True) as tape:\n"
                     "    tape.watch(x)\n"
                     "    y = x * x * w\n"
                     "    z = tf.reduce_mean(y * w)\n"
                     "    q = c * c\n"
                     "print(tape.gradient(z, w))\n"
                     "print(tape.gradient(z, [x, {'a': w}]))\n"
                     "print(tape.gradient(y, (x,)))\n"
                     "print(tape.gradient(q, c))\n",
                     SF_MODE_EAGER);
  cr_expect_str_eq(got, "tf.Tensor([ 9. 18.], shape=(2,), dtype=float32)\n"
                        "[<tf.Tensor: shape=(), dtype=float32, numpy=15.0>, {'a': <tf.Tensor: shape=(2,), dtype=float32, "
                        "numpy=array([ 9., 18.], dtype=float32)>}]\n"
                        "(<tf.Tensor: shape=(), dtype=float32, numpy=18.0>,)\n"
                        "None\n");
  free(got);
}

/* Ops before the tape started are not on it: the gradient does not flow through them. */
Test(tape, ops_before_the_tape_are_not_recorded) {
  char *got = output("import tensorflow as tf\n"
                     "x = tf.constant(3.0)\n"
                     "with tf.GradientTape(watch_accessed_variables=False) as tape:\n"
                     "    tape.watch(x)\n"
                     "pre = x * x\n"
                     "with tf.GradientTape() as t2:\n"
                     "    t2.watch(x)\n"
                     "    y = pre * x\n"
                     "print(t2.gradient(y, x))\n",
                     SF_MODE_EAGER);
  cr_expect_str_eq(got, "tf.Tensor(9.0, shape=(), dtype=float32)\n");
  free(got);
}

/* A source watched from before the tape gets only what recorded ops give it: x = a * b ran
 * before the tape, so a gets nothing through x (TF: [12.0, None]). The backward pass had
 * applied x's rule after the tape's span and given a 36.0, in every mode (eager only when
 * b happened to be released). */
Test(tape, sources_from_before_the_tape_get_no_gradient_through_each_other) {
  const char *text = "import tensorflow as tf\n"
                     "a = tf.constant(2.0)\n"
                     "b = tf.constant(3.0)\n"
                     "x = a * b\n"
                     "with tf.GradientTape() as t:\n"
                     "    t.watch(a)\n"
                     "    t.watch(x)\n"
                     "    y = x * x\n"
                     "print(t.gradient(y, [x, a]))\n";
  const char *eager = "[<tf.Tensor: shape=(), dtype=float32, numpy=12.0>, None]\n";
  sf_mode modes[3] = {SF_MODE_EAGER, SF_MODE_FUNCTION, SF_MODE_GRAPH};
  for (int m = 0; m < 3; m++) {
    char *got = output(text, modes[m]);
    cr_expect_str_eq(got, modes[m] == SF_MODE_GRAPH ? "[array(12., dtype=float32), None]\n" : eager, "mode %d", m);
    free(got);
  }
}

/* backprop.py records an op only if it reads a tensor watched when it runs: a watch after
 * the op is too late (the classic `y = x * x; tape.watch(x)` gives None), and a variable
 * watched by hand counts from its watch (p read v before it: dq/dv = p = 6.0). Before,
 * every op in the span read every source: 6.0, 12.0 and 12.0. */
Test(tape, ops_before_a_watch_are_not_recorded) {
  const char *text = "import tensorflow as tf\n"
                     "x = tf.constant(3.0)\n"
                     "with tf.GradientTape() as t:\n"
                     "    y = x * x\n"
                     "    t.watch(x)\n"
                     "print(t.gradient(y, x))\n"
                     "with tf.GradientTape() as t1:\n"
                     "    a = x * 2.0\n"
                     "    t1.watch(x)\n"
                     "    y1 = a * x\n"
                     "print(t1.gradient(y1, x))\n";
  expect_in_modes(text, "None\ntf.Tensor(6.0, shape=(), dtype=float32)\n", "None\n6.\n");
  char *got = output("import tensorflow as tf\n"
                     "v = tf.Variable(2.0)\n"
                     "with tf.GradientTape(watch_accessed_variables=False) as t2:\n"
                     "    p = v * 3.0\n"
                     "    t2.watch(v)\n"
                     "    q = p * v\n"
                     "print(t2.gradient(q, v))\n",
                     SF_MODE_EAGER);
  cr_expect_str_eq(got, "tf.Tensor(6.0, shape=(), dtype=float32)\n");
  free(got);
}

/* A tape records an op only if one of its inputs is watched or recorded
 * (tensorflow/c/eager/tape.h ShouldRecord): a tensor made from unwatched ones is not on
 * the tape (None), one made from a watched one is (an intermediate source). Entering a
 * live tape again records on the same tape (backprop.py _push_tape, tape.push_tape); the
 * ops between the two with blocks are not recorded: c = b * x gives b, 18. */
Test(tape, recorded_ops_and_a_tape_entered_again) {
  const char *text = "import tensorflow as tf\n"
                     "x = tf.constant(3.0)\n"
                     "with tf.GradientTape() as t:\n"
                     "    y = tf.constant(2.0) * 3.0\n"
                     "    z = y * y\n"
                     "print(t.gradient(z, y))\n"
                     "with tf.GradientTape() as t1:\n"
                     "    t1.watch(x)\n"
                     "    y1 = x * x\n"
                     "    z1 = y1 * y1\n"
                     "print(t1.gradient(z1, y1))\n"
                     "with tf.GradientTape() as t2:\n"
                     "    t2.watch(x)\n"
                     "    a = x * x\n"
                     "b = a * 2.0\n"
                     "with t2:\n"
                     "    c = b * x\n"
                     "print(t2.gradient(c, x))\n"
                     "with tf.GradientTape() as t3:\n"
                     "    t3.watch(x)\n"
                     "    a3 = x * x\n"
                     "with t3:\n"
                     "    b3 = a3 * x\n"
                     "print(t3.gradient(b3, x))\n";
  expect_in_modes(text,
                  "None\ntf.Tensor(18.0, shape=(), dtype=float32)\ntf.Tensor(18.0, shape=(), dtype=float32)\n"
                  "tf.Tensor(27.0, shape=(), dtype=float32)\n",
                  "None\n18.\n18.\n27.\n");
}

/* A generator's state read on the tape (a ReadVariableOp of no tf.Variable) is no watched
 * variable; a failed gradient leaves a non-persistent tape as it was (backprop.py drops the
 * tape only after imperative_grad returns); a persistent tape entered again in a function
 * traced anew records there; watch() with no tape reads None's _tape; a persistent tape
 * entered in a loop gives each step's gradient. */
Test(tape, tape_edge_cases) {
  const char *gen = "import tensorflow as tf\n"
                    "g = tf.random.Generator.from_seed(1)\n"
                    "x = tf.constant(3.0)\n"
                    "with tf.GradientTape() as t:\n"
                    "    t.watch(x)\n"
                    "    s = g.state\n"
                    "    y = x * x\n"
                    "print(t.gradient(y, x))\n";
  const char *retry = "import tensorflow as tf\n"
                      "x = tf.constant(3.0)\n"
                      "with tf.GradientTape() as t:\n"
                      "    t.watch(x)\n"
                      "    z = tf.square(tf.exp(x * 0.5))\n"
                      "try:\n"
                      "    t.gradient(z, 'bad')\n"
                      "except ValueError:\n"
                      "    print('error')\n"
                      "print(t.gradient(z, x))\n";
  const char *retrace = "import tensorflow as tf\n"
                        "t = tf.GradientTape(persistent=True)\n"
                        "@tf.function\n"
                        "def f(x, k):\n"
                        "    with t:\n"
                        "        t.watch(x)\n"
                        "        y = x * x * k\n"
                        "    return t.gradient(y, x)\n"
                        "print(f(tf.constant(3.0), 1.0))\n"
                        "print(f(tf.constant(3.0), 2.0))\n";
  const char *loop = "import tensorflow as tf\n"
                     "w = tf.Variable(2.0)\n"
                     "tp = tf.GradientTape(persistent=True)\n"
                     "for i in range(50):\n"
                     "    with tp:\n"
                     "        l = w * float(i)\n"
                     "    g = tp.gradient(l, w)\n"
                     "print(g)\n";
  sf_mode modes[2] = {SF_MODE_EAGER, SF_MODE_FUNCTION};
  for (int m = 0; m < 2; m++) {
    char *got = output(gen, modes[m]);
    cr_expect_str_eq(got, "tf.Tensor(6.0, shape=(), dtype=float32)\n", "mode %d", m);
    free(got);
    got = output(retry, modes[m]);
    cr_expect_str_eq(got, "error\ntf.Tensor(20.085537, shape=(), dtype=float32)\n", "mode %d", m);
    free(got);
    got = output(retrace, modes[m]);
    cr_expect_str_eq(got, "tf.Tensor(6.0, shape=(), dtype=float32)\ntf.Tensor(12.0, shape=(), dtype=float32)\n", "mode %d", m);
    free(got);
  }
  /* a persistent tape entered in a traced function between two eager recordings keeps both */
  const char *across = "import tensorflow as tf\n"
                       "pt = tf.GradientTape(persistent=True)\n"
                       "x = tf.constant(3.0)\n"
                       "with pt:\n"
                       "    pt.watch(x)\n"
                       "    y = x * x\n"
                       "@tf.function\n"
                       "def h():\n"
                       "    with pt:\n"
                       "        z = x * 2.0\n"
                       "    return z\n"
                       "h()\n"
                       "with pt:\n"
                       "    w = y * 3.0\n"
                       "print(pt.gradient(w, x))\n";
  expect_in_modes(across, "tf.Tensor(18.0, shape=(), dtype=float32)\n", "18.\n");
  char *got = output(loop, SF_MODE_EAGER); /* (a tf.Variable in function mode's one traced program is unsupported) */
  cr_expect_str_eq(got, "tf.Tensor(49.0, shape=(), dtype=float32)\n");
  free(got);
  expect_error("import tensorflow as tf\nx = tf.constant(1.0)\nt = tf.GradientTape()\nt.watch(x)\n", SF_MODE_EAGER, 4,
               "AttributeError: 'NoneType' object has no attribute '_tape'");
}

/* tape.py variable_accessed watches trainable variables only; tape.watch watches any. */
Test(tape, non_trainable_variables_are_not_watched_on_access) {
  char *got = output("import tensorflow as tf\n"
                     "v = tf.Variable(2.0, trainable=False)\n"
                     "with tf.GradientTape() as t:\n"
                     "    y = v * v\n"
                     "print(t.gradient(y, v))\n"
                     "with tf.GradientTape() as t:\n"
                     "    t.watch(v)\n"
                     "    y = v * v\n"
                     "print(t.gradient(y, v))\n",
                     SF_MODE_EAGER);
  cr_expect_str_eq(got, "None\ntf.Tensor(4.0, shape=(), dtype=float32)\n");
  free(got);
}

/* backprop.py: a non-persistent tape computes one set of gradients; the second call is a
 * RuntimeError (catchable; uncaught it ends the run at its line). */
#define ONE_TAPE "import tensorflow as tf\n" \
                 "w = tf.Variable(1.0)\n" \
                 "with tf.GradientTape() as tape:\n" \
                 "    l = w * 2.0\n" \
                 "print(tape.gradient(l, w))\n"
#define NON_PERSISTENT "A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)"
Test(tape, second_gradient_of_non_persistent_tape) {
  char *got = output(ONE_TAPE "try:\n"
                              "    tape.gradient(l, w)\n"
                              "except RuntimeError as e:\n"
                              "    print('RuntimeError:', e)\n",
                     SF_MODE_EAGER);
  cr_expect_str_eq(got, "tf.Tensor(2.0, shape=(), dtype=float32)\nRuntimeError: " NON_PERSISTENT "\n");
  free(got);
  expect_error(ONE_TAPE "tape.gradient(l, w)\n", SF_MODE_EAGER, 6, "RuntimeError: " NON_PERSISTENT);
  /* a tape never entered has no tape either; entered again after its gradient, it has a
   * new one (backprop.py _push_tape: push_new_tape when self._tape is None) */
  expect_error("import tensorflow as tf\nx = tf.constant(1.0)\ntf.GradientTape().gradient(x, x)\n", SF_MODE_EAGER, 3,
               "RuntimeError: " NON_PERSISTENT);
  got = output(ONE_TAPE "with tape:\n"
                        "    l = w * 4.0\n"
                        "print(tape.gradient(l, w))\n",
               SF_MODE_EAGER);
  cr_expect_str_eq(got, "tf.Tensor(2.0, shape=(), dtype=float32)\ntf.Tensor(4.0, shape=(), dtype=float32)\n");
  free(got);
  expect_error("import tensorflow as tf\nt = tf.GradientTape()\nwith t:\n    with t:\n        pass\n", SF_MODE_EAGER, 4,
               "ValueError: Tape is still recording, This can happen if you try to re-enter an already-active tape.");
}

/* ResourceVariable's methods and attributes; assign returns the variable again, which
 * TF prints as 'UnreadVariable'. assign_add / assign_sub add in float32. */
Test(tape, variable_methods) {
  char *got = output("import tensorflow as tf\n"
                     "v = tf.Variable([0.1, 0.2], name='v')\n"
                     "print(v.name, v.shape, v.dtype, v.trainable)\n"
                     "v.assign_add([0.2, 0.7])\n"
                     "print(v.numpy())\n"
                     "print(v.assign([1.5, -2.0]))\n"
                     "v.assign_sub(tf.constant([0.25, 0.25]))\n"
                     "print(v.read_value())\n"
                     "print(v + 1.0, 2.0 * v)\n"
                     "u = tf.Variable(3, trainable=False)\n"
                     "u.assign_add(4)\n"
                     "print(u, u.trainable)\n",
                     SF_MODE_EAGER);
  cr_expect_str_eq(got, "v:0 (2,) <dtype: 'float32'> True\n"
                        "[0.3 0.9]\n"
                        "<tf.Variable 'UnreadVariable' shape=(2,) dtype=float32, numpy=array([ 1.5, -2. ], dtype=float32)>\n"
                        "tf.Tensor([ 1.25 -2.25], shape=(2,), dtype=float32)\n"
                        "tf.Tensor([ 2.25 -1.25], shape=(2,), dtype=float32) tf.Tensor([ 2.5 -4.5], shape=(2,), dtype=float32)\n"
                        "<tf.Variable 'Variable:0' shape=() dtype=int32, numpy=7> False\n");
  free(got);
}

Test(tape, variable_numpy_inside_a_function) {
  expect_error("import tensorflow as tf\n"
               "v = tf.Variable(1.0)\n"
               "@tf.function\n"
               "def f():\n"
               "    return v.numpy()\n"
               "f()\n",
               SF_MODE_FUNCTION, 5, "NotImplementedError: numpy() is only available when eager execution is enabled.");
}

/* tf.Module subclasses: module.py's default name is the class name in snake case;
 * super(Class, self).__init__() and super().__init__(name=...) reach Module.__init__. A
 * tf.function method traces with self; the Generator continues across calls. */
Test(tape, module_subclass) {
  char *got = output("import tensorflow as tf\n"
                     "class MyModule(tf.Module):\n"
                     "  def __init__(self):\n"
                     "    super(MyModule, self).__init__()\n"
                     "    self.g = tf.random.Generator.from_seed(0)\n"
                     "  @tf.function\n"
                     "  def __call__(self):\n"
                     "    return self.g.normal([])\n"
                     "class Dense2D(tf.Module):\n"
                     "  def __init__(self):\n"
                     "    super().__init__(name='dense')\n"
                     "m = MyModule()\n"
                     "print(m.name, Dense2D().name)\n"
                     "print(m())\n"
                     "print(m())\n",
                     SF_MODE_FUNCTION);
  char *eager = output("import tensorflow as tf\n"
                       "g = tf.random.Generator.from_seed(0)\n"
                       "print('my_module dense')\n"
                       "print(g.normal([]))\n"
                       "print(g.normal([]))\n",
                       SF_MODE_EAGER);
  cr_expect_str_eq(got, eager);
  cr_expect(strncmp(got, "my_module dense\ntf.Tensor(", 26) == 0, "%s", got);
  free(got);
  free(eager);
}

Test(tape, super_with_a_non_class) {
  expect_error("class A:\n"
               "  def __init__(self):\n"
               "    super(3, self).__init__()\n"
               "A()\n",
               SF_MODE_EAGER, 3, "TypeError: super() argument 1 must be a type, not int");
}

/* ---- tensor indexing (lang/api_tensor.c, ops/slice.c); values as NumPy indexes ---- */

static const char *slicing = "import tensorflow as tf\n"
                             "t = tf.reshape(tf.range(24), [2, 3, 4])\n"
                             "print(t[0])\n"
                             "print(t[1, 2])\n"
                             "print(t[-1, -1, -1])\n"
                             "print(t[:, 0])\n"
                             "print(t[0, 1:3])\n"
                             "print(t[0, ::-1, ::2])\n"
                             "print(t[None, 1, :, 3])\n"
                             "print(t[0, -2:, 1:-1])\n"
                             "print(t[1][2][3], t[()].shape, t[:, 5:].shape)\n"
                             "f = tf.constant([1.5, 2.5, 3.5])\n"
                             "print(f[1:], f[::-2], f[-3])\n";
static const char *slicing_out = "tf.Tensor(\n[[ 0  1  2  3]\n [ 4  5  6  7]\n [ 8  9 10 11]], shape=(3, 4), dtype=int32)\n"
                                 "tf.Tensor([20 21 22 23], shape=(4,), dtype=int32)\n"
                                 "tf.Tensor(23, shape=(), dtype=int32)\n"
                                 "tf.Tensor(\n[[ 0  1  2  3]\n [12 13 14 15]], shape=(2, 4), dtype=int32)\n"
                                 "tf.Tensor(\n[[ 4  5  6  7]\n [ 8  9 10 11]], shape=(2, 4), dtype=int32)\n"
                                 "tf.Tensor(\n[[ 8 10]\n [ 4  6]\n [ 0  2]], shape=(3, 2), dtype=int32)\n"
                                 "tf.Tensor([[15 19 23]], shape=(1, 3), dtype=int32)\n"
                                 "tf.Tensor(\n[[ 5  6]\n [ 9 10]], shape=(2, 2), dtype=int32)\n"
                                 "tf.Tensor(23, shape=(), dtype=int32) (2, 3, 4) (2, 0, 4)\n"
                                 "tf.Tensor([2.5 3.5], shape=(2,), dtype=float32) tf.Tensor([3.5 1.5], shape=(2,), dtype=float32) "
                                 "tf.Tensor(1.5, shape=(), dtype=float32)\n";

Test(tape, slicing_eager) {
  char *got = output(slicing, SF_MODE_EAGER);
  cr_expect_str_eq(got, slicing_out);
  free(got);
}

Test(tape, slicing_function_mode) {
  char *got = output(slicing, SF_MODE_FUNCTION);
  cr_expect_str_eq(got, slicing_out);
  free(got);
}

/* TF1 op seeds count nodes: each t[...] adds 4 (strided_slice/stack, stack_1, stack_2 and
 * the StridedSlice), so a random op after two slices draws as one after 8 Consts. */
Test(tape, slicing_op_count_in_graph) {
  const char *fmt = "import tensorflow as tf\n"
                    "tf.set_random_seed(1)\n"
                    "t = tf.constant([1.0, 2.0, 3.0])\n"
                    "%s"
                    "r = tf.random_uniform([2])\n"
                    "with tf.Session() as sess:\n"
                    "    print(sess.run(r))\n";
  const char *body[3] = {"s = t[1:]\nu = t[0]\n", "for _ in range(8):\n    tf.constant(0)\n",
                         "for _ in range(7):\n    tf.constant(0)\n"};
  char *got[3];
  for (int i = 0; i < 3; i++) got[i] = graph_prints(fmt, body[i]);
  cr_expect_str_eq(got[0], got[1]);
  cr_expect_str_neq(got[0], got[2]);
  for (int i = 0; i < 3; i++) free(got[i]);
}

Test(tape, slicing_errors) {
  expect_error("import tensorflow as tf\nt = tf.constant([1.0, 2.0])\nprint(t[5])\n", SF_MODE_EAGER, 3,
               "slice index 5 of dimension 0 out of bounds.");
  expect_error("import tensorflow as tf\nt = tf.constant([[1.0, 2.0]])\nprint(t[:, -3])\n", SF_MODE_GRAPH, 3,
               "slice index -3 of dimension 1 out of bounds.");
  expect_error("import tensorflow as tf\nt = tf.constant([1.0, 2.0])\nprint(t[0.5])\n", SF_MODE_EAGER, 3,
               "unsupported: a tensor index of type 'float' (seedflow takes ints, slices, None and ...)");
  expect_error("import tensorflow as tf\nprint(len(tf.constant(1.0)))\n", SF_MODE_EAGER, 2,
               "TypeError: Scalar tensor has no `len()`");
}

/* len() and iteration over an eager tensor: its rows. */
Test(tape, len_and_iteration) {
  char *got = output("import tensorflow as tf\n"
                     "t = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])\n"
                     "print(len(t), t.shape)\n"
                     "for row in t:\n"
                     "    print(row)\n"
                     "print([float(x) for x in t[2]])\n",
                     SF_MODE_EAGER);
  cr_expect_str_eq(got, "3 (3, 2)\n"
                        "tf.Tensor([1. 2.], shape=(2,), dtype=float32)\n"
                        "tf.Tensor([3. 4.], shape=(2,), dtype=float32)\n"
                        "tf.Tensor([5. 6.], shape=(2,), dtype=float32)\n"
                        "[5.0, 6.0]\n");
  free(got);
}

/* ---- reductions and elementwise math (lang/api_tensor.c, ops/math_extra.c); values as
 * NumPy float32 computes them ---- */

Test(tape, reductions_and_math) {
  const char *text = "import tensorflow as tf\n"
                     "x = tf.constant([[1.5, -2.0, 3.25], [0.5, 4.0, -1.0]])\n"
                     "print(tf.reduce_sum(x), tf.reduce_sum(x, axis=1))\n"
                     "print(tf.reduce_sum(x, 0, keepdims=True).shape, tf.reduce_max(x), tf.reduce_min(x, axis=0))\n"
                     "print(tf.math.reduce_prod(x, axis=1), tf.reduce_sum(tf.range(10)), tf.reduce_max(tf.constant([3, 9, -2])))\n"
                     "b = x > 0\n"
                     "print(tf.reduce_all(b), tf.reduce_any(b, axis=1), tf.math.reduce_all(b, axis=[0, 1], keepdims=True).shape)\n"
                     "print(tf.sqrt(tf.abs(x))[0])\n"
                     "print(tf.maximum(x, 0.75)[1], tf.math.minimum(1.0, x)[0], tf.square(x)[0])\n"
                     "print(tf.logical_and(b, [[True, False, True], [True, True, True]])[1], tf.logical_not(b)[0], "
                     "tf.math.logical_or(b, False)[1])\n";
  const char *want = "tf.Tensor(6.25, shape=(), dtype=float32) tf.Tensor([2.75 3.5 ], shape=(2,), dtype=float32)\n"
                     "(1, 3) tf.Tensor(4.0, shape=(), dtype=float32) tf.Tensor([ 0.5 -2.  -1. ], shape=(3,), dtype=float32)\n"
                     "tf.Tensor([-9.75 -2.  ], shape=(2,), dtype=float32) tf.Tensor(45, shape=(), dtype=int32) "
                     "tf.Tensor(9, shape=(), dtype=int32)\n"
                     "tf.Tensor(False, shape=(), dtype=bool) tf.Tensor([ True  True], shape=(2,), dtype=bool) (1, 1)\n"
                     "tf.Tensor([1.2247449 1.4142135 1.8027756], shape=(3,), dtype=float32)\n"
                     "tf.Tensor([0.75 4.   0.75], shape=(3,), dtype=float32) tf.Tensor([ 1. -2.  1.], shape=(3,), dtype=float32) "
                     "tf.Tensor([ 2.25    4.     10.5625], shape=(3,), dtype=float32)\n"
                     "tf.Tensor([ True  True False], shape=(3,), dtype=bool) tf.Tensor([False  True False], shape=(3,), dtype=bool) "
                     "tf.Tensor([ True  True False], shape=(3,), dtype=bool)\n";
  for (int m = 0; m < 2; m++) {
    char *got = output(text, m ? SF_MODE_FUNCTION : SF_MODE_EAGER);
    cr_expect_str_eq(got, want, "mode %d", m);
    free(got);
  }
}

/* math_ops.py: an axis is the op's "reduction_indices" Const, no axis one np.arange Const;
 * either way two nodes, so a TF1 random op after two reductions draws as after 4 Consts. */
Test(tape, reduction_op_count_in_graph) {
  const char *fmt = "import tensorflow as tf\n"
                    "tf.set_random_seed(1)\n"
                    "t = tf.constant([[1.0, 2.0, 3.0]])\n"
                    "%s"
                    "r = tf.random_uniform([2])\n"
                    "with tf.Session() as sess:\n"
                    "    print(sess.run(r))\n";
  const char *body[2] = {"s = tf.reduce_sum(t)\nm = tf.reduce_max(t, axis=1)\n", "for _ in range(4):\n    tf.constant(0)\n"};
  char *got[2];
  for (int i = 0; i < 2; i++) got[i] = graph_prints(fmt, body[i]);
  cr_expect_str_eq(got[0], got[1]);
  for (int i = 0; i < 2; i++) free(got[i]);
}

Test(tape, reduction_errors) {
  expect_error("import tensorflow as tf\nprint(tf.reduce_all(tf.constant([1.0])))\n", SF_MODE_EAGER, 2,
               "reduce_all(): input must be bool, got float32");
  expect_error("import tensorflow as tf\nprint(tf.reduce_sum(tf.constant([1.0]), axis=2))\n", SF_MODE_EAGER, 2,
               "Invalid reduction dimension (2 for input with 1 dimension(s)");
}

/* ---- Keras SGD on tf.Variable objects (lang/api_tape.c): ResourceApplyGradientDescent,
 * var - grad * lr in float32, so apply_gradients and minimize take the hand-written
 * steps of sgd_steps_eager exactly ---- */

Test(tape, sgd_apply_gradients_and_minimize) {
  const char *text = "import tensorflow as tf\n"
                     "w = tf.Variable(0.3)\n"
                     "b = tf.Variable(-0.2, name='b')\n"
                     "opt = tf.keras.optimizers.SGD(learning_rate=0.05)\n"
                     "for x in [0.7, -1.3, 2.1]:\n"
                     "    with tf.GradientTape() as tape:\n"
                     "        y = w * x + b\n"
                     "        loss = y * y\n"
                     "    grads = tape.gradient(loss, [w, b])\n"
                     "    opt.apply_gradients(zip(grads, [w, b]))\n"
                     "    print(loss.numpy(), w.numpy(), b.numpy())\n"
                     "w2 = tf.Variable(0.3)\n"
                     "b2 = tf.Variable(-0.2)\n"
                     "for x in [0.7, -1.3, 2.1]:\n"
                     "    opt.minimize(lambda: (w2 * x + b2) * (w2 * x + b2), [w2, b2])\n"
                     "print(w2.numpy(), b2.numpy())\n";
  const char *want = "0.00010000011 0.29930001 -0.201\n"
                     "0.34820625 0.2225883 -0.141991\n"
                     "0.10591406 0.15424497 -0.17453545\n"
                     "0.15424497 -0.17453545\n";
  for (int m = 0; m < 2; m++) {
    char *got = output(text, m ? SF_MODE_FUNCTION : SF_MODE_EAGER);
    cr_expect_str_eq(got, want, "mode %d", m);
    free(got);
  }
  expect_error("import tensorflow as tf\n"
               "c = tf.Variable(1.0, name='c')\n"
               "tf.keras.optimizers.SGD().apply_gradients([(None, c)])\n",
               SF_MODE_EAGER, 3, "ValueError: No gradients provided for any variable: ['c:0'].");
}

/* optimizer_v2.py apply_grad_to_update_var: a variable's constraint runs after its update,
 * in apply_gradients and minimize, eager and in a tf.function; a variable without one
 * (u, .constraint None) is only updated. Expected values from NumPy float32: w = clip(w -
 * 0.1 * x, 0, 1), b = (b - 0.1 * 3) * 0.5, u = u - 0.1 * 2u; minimize's loss gives w the
 * gradient x and b -1. Without the constraint w would be [0.4, -0.55, 2.2] after step 1. */
static const char *constrained_var = "import tensorflow as tf\n"
                                     "w = tf.Variable([0.5, -0.25, 2.0], constraint=lambda v: tf.minimum(tf.maximum(v, 0.0), 1.0))\n"
                                     "b = tf.Variable(0.1, constraint=lambda v: v * 0.5)\n"
                                     "u = tf.Variable([1.0, 2.0])\n"
                                     "opt = tf.keras.optimizers.SGD(learning_rate=0.1)\n"
                                     "x = tf.constant([1.0, 3.0, -2.0])\n"
                                     "%s"
                                     "def step():\n"
                                     "    with tf.GradientTape() as tape:\n"
                                     "        loss = tf.reduce_sum(w * x) + b * 3.0 + tf.reduce_sum(u * u)\n"
                                     "    grads = tape.gradient(loss, [w, b, u])\n"
                                     "    opt.apply_gradients(zip(grads, [w, b, u]))\n"
                                     "    return loss\n"
                                     "for i in range(2):\n"
                                     "    step()\n"
                                     "    print(w.numpy(), b.numpy(), u.numpy())\n"
                                     "opt.minimize(lambda: tf.reduce_sum(w * x) - b, [w, b])\n"
                                     "print(w.numpy(), b.numpy())\n"
                                     "print(u.constraint)\n";
static const char *constrained_var_out = "[0.4 0.  1. ] -0.10000001 [0.8 1.6]\n"
                                         "[0.3 0.  1. ] -0.20000002 [0.64 1.28]\n"
                                         "[0.20000002 0.         1.        ] -0.05000001\n"
                                         "None\n";

/* fmt's %s empty in eager mode, "@tf.function" before the step in function mode. */
static void expect_eager_and_traced(const char *fmt, const char *want) {
  for (int traced = 0; traced < 2; traced++) {
    char text[2048];
    snprintf(text, sizeof text, fmt, traced ? "@tf.function\n" : "");
    char *got = output(text, traced ? SF_MODE_FUNCTION : SF_MODE_EAGER);
    cr_expect_str_eq(got, want, "traced %d", traced);
    free(got);
  }
}

Test(tape, variable_constraint_after_apply_gradients) { expect_eager_and_traced(constrained_var, constrained_var_out); }

/* A Keras layer's kernel_constraint (the wrapped weight's .constraint) in a tape loop:
 * NumPy float32 k - 0.25 * x^T w = [[-1.25, -1.125], [0.5, -0.75]], relu'd; the bias has
 * no constraint. */
static const char *constrained_layer = "import numpy as np\n"
                                       "import tensorflow as tf\n"
                                       "def positive(w):\n"
                                       "    return tf.nn.relu(w)\n"
                                       "model = tf.keras.models.Sequential([tf.keras.layers.Dense(2, input_shape=[2], kernel_constraint=positive)])\n"
                                       "model.set_weights([np.array([[0.5, -1.0], [2.0, 0.25]], dtype=np.float32), np.array([0.5, -0.5], dtype=np.float32)])\n"
                                       "x = tf.constant([[1.0, -2.0], [3.0, 4.0]])\n"
                                       "opt = tf.keras.optimizers.SGD(learning_rate=0.25)\n"
                                       "%s"
                                       "def step():\n"
                                       "    with tf.GradientTape() as tape:\n"
                                       "        loss = tf.reduce_sum(model(x) * tf.constant([[1.0, -1.0], [2.0, 0.5]]))\n"
                                       "    grads = tape.gradient(loss, model.trainable_variables)\n"
                                       "    opt.apply_gradients(zip(grads, model.trainable_variables))\n"
                                       "step()\n"
                                       "print(model.layers[0].kernel.numpy().tolist(), model.layers[0].bias.numpy().tolist())\n";

Test(tape, layer_constraint_after_apply_gradients) {
  expect_eager_and_traced(constrained_layer, "[[0.0, 0.0], [0.5, 0.0]] [-0.25, -0.375]\n");
}

/* TF1 graph variables have no Keras update path here: constraint= is a located error. */
Test(tape, variable_constraint_in_a_graph) {
  expect_error("import tensorflow as tf\nw = tf.Variable(1.0, constraint=lambda v: v)\n", SF_MODE_GRAPH, 2,
               "unsupported: Variable(constraint=...) in a graph");
}

/* A tape's and a variable's methods belong to their class and are bound when read through
 * the object; read through the class they take the object first (type(v).assign_add(v, 1.0),
 * as in TF), and anything else there is an error, not a crash. */
Test(tape, methods_read_through_the_class_take_the_object_first) {
  char *got = output("import tensorflow as tf\n"
                     "v = tf.Variable(2.0)\n"
                     "f = type(v).assign_add\n"
                     "f(v, 1.0)\n"
                     "x = tf.constant(3.0)\n"
                     "t = tf.GradientTape()\n"
                     "with t:\n"
                     "    t.watch(x)\n"
                     "    y = x * x\n"
                     "g = t.gradient\n"
                     "del t\n"
                     "print(v.numpy(), g(y, x))\n"
                     "try:\n"
                     "    f()\n"
                     "except TypeError as e:\n"
                     "    print(e)\n",
                     SF_MODE_EAGER);
  cr_expect_str_eq(got, "3.0 tf.Tensor(6.0, shape=(), dtype=float32)\nassign_add() missing 1 required positional argument: 'self'\n");
  free(got);
  expect_error("import tensorflow as tf\nv = tf.Variable(2.0)\ntype(v).assign_add(1.0)\n", SF_MODE_EAGER, 3,
               "unsupported: assign_add() called through its class on a float");
}

/* tf.where's SelectV2 broadcasts its three operands and has _SelectGradV2's gradient (each
 * branch's share summed over the axes it was broadcast along); a tf.Variable compared is
 * its value, element-wise (TF 2's == and != too). */
Test(tape, where_gradient_and_variable_comparisons) {
  th_expect_prints("import tensorflow as tf\nx = tf.Variable([1.0, -2.0, 3.0])\nwith tf.GradientTape() as tape:\n"
                   "  y = tf.reduce_sum(tf.where(x > 0, x * x, -x))\nprint(tape.gradient(y, x).numpy())\n"
                   "w = tf.Variable([[0.5, -1.5], [2.0, -0.25]])\ns = tf.Variable(3.0)\nwith tf.GradientTape() as tape:\n"
                   "  z = tf.reduce_sum(tf.where(w >= 0, w, s) * tf.constant([[1.0, 2.0], [3.0, 4.0]]))\n"
                   "gw, gs = tape.gradient(z, [w, s])\nprint(gw.numpy(), gs.numpy())\n"
                   "print((x == 1.0).numpy(), (x != 1.0).numpy(), (x < 0).numpy(), (0 <= x).numpy())\n"
                   "print(tf.where([[True], [False]], tf.ones([2, 3]), 0.0).numpy())\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2,
                   "[ 2. -1.  6.]\n[[1. 0.]\n [3. 0.]] 6.0\n"
                   "[ True False False] [False  True  True] [False  True False] [ True False  True]\n"
                   "[[1. 1. 1.]\n [0. 0. 0.]]\n");
  th_expect_error_at("import tensorflow as tf\nt = tf.where([True, False], tf.ones([3]), 0.0)\n", SF_MODE_EAGER, SF_PROFILE_TF2, 2,
                     "where(): node 'SelectV2' (SelectV2): condition (2,), then (3,), and else () must be broadcastable");
}

/* A tf.Variable slices as its value does (variables.py _SliceHelperVar: a strided slice of
 * var.value()), and the gradient flows back through the slice to the variable; it was a
 * TypeError ("'ResourceVariable' object is not subscriptable") TF never raises. */
Test(tape, variable_slices_read_the_variable) {
  th_expect_prints("import tensorflow as tf\n"
                   "y = tf.Variable(tf.reshape(tf.range(9.0), [3, 3]))\n"
                   "print(y[1:, :2].numpy(), y[0].numpy(), float(y[-1, -1]))\n"
                   "with tf.GradientTape() as tape:\n"
                   "    s = tf.reduce_sum(y[0] * 2.0)\n"
                   "print(tape.gradient(s, y).numpy())\n"
                   "y.assign_add(tf.ones([3, 3]))\n"
                   "print(y[2].numpy())\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2,
                   "[[3. 4.]\n [6. 7.]] [0. 1. 2.] 8.0\n"
                   "[[2. 2. 2.]\n [0. 0. 0.]\n [0. 0. 0.]]\n"
                   "[7. 8. 9.]\n");
}

/* A traced function's result outlives the body's value: a dict in it is refused (its flat
 * value only borrowed the dict, which the body's value then freed: an empty dict printed,
 * or "'slice' object is not subscriptable"), and a string is kept. */
Test(tape, traced_functions_returning_dicts_are_unsupported) {
  expect_error("import tensorflow as tf\n"
               "@tf.function\n"
               "def f(x):\n"
               "    return {'a': x * 2.0}\n"
               "r = f(tf.constant(1.0))\n",
               SF_MODE_FUNCTION, 5,
               "unsupported: tf.function 'f' returning a dict (seedflow's traces return tensors, numbers, strings and "
               "lists or tuples of them)");
  char *got = output("import tensorflow as tf\n"
                     "@tf.function\n"
                     "def f(x):\n"
                     "    return 'n' + 'ame', x * 2.0\n"
                     "s, y = f(tf.constant(1.0))\n"
                     "t, z = f(tf.constant(2.0))\n"
                     "print(s, t, float(y), float(z))\n",
                     SF_MODE_FUNCTION);
  cr_expect_str_eq(got, "name name 2.0 4.0\n");
  free(got);
}

/* Function mode: a gradient that TF would take through a traced call made under the tape,
 * to a variable the call reads, a tensor argument (through an op before it) or a captured
 * tensor, is a located error (seedflow has no gradient of a call, and returned None); one
 * that does not pass through the call is taken; eager mode runs the bodies eagerly. */
#define TRACED_CALL "import tensorflow as tf\n"                                  \
                    "v = tf.Variable([1.0, 2.0])\n"                               \
                    "x = tf.constant([1.0, 2.0])\n"                               \
                    "@tf.function\n"                                              \
                    "def f(t):\n"                                                 \
                    "    return t * v + x\n"                                      \
                    "with tf.GradientTape(persistent=True) as tape:\n"            \
                    "    tape.watch(x)\n"                                         \
                    "    c = tf.constant([3.0, 4.0])\n"                           \
                    "    tape.watch(c)\n"                                         \
                    "    y = tf.reduce_sum(f(c + 1.0))\n"                         \
                    "    z = tf.reduce_sum(c * f(tf.constant([0.5, 0.5])))\n"

Test(tape, gradients_through_traced_calls_are_located_errors) {
  static const char msg[] = "unsupported: a gradient through the call of tf.function 'f' on line %d, which the tape "
                            "recorded outside it: seedflow does not differentiate a traced call (TensorFlow would); "
                            "take the gradient inside the tf.function, or run in eager mode";
  static const char *const asks[] = {"tape.gradient(y, v)\n", "tape.gradient(y, c)\n", "tape.gradient(y, x)\n",
                                     "tape.gradient(z, [c, v])\n"};
  char text[1024], want[512];
  for (int i = 0; i < 4; i++) {
    snprintf(text, sizeof text, "%s%s", TRACED_CALL, asks[i]);
    snprintf(want, sizeof want, msg, i < 3 ? 11 : 12);
    expect_error(text, SF_MODE_FUNCTION, 13, want);
    char *got = output(text, SF_MODE_EAGER);
    cr_expect_str_eq(got, "");
    free(got);
  }
  /* z reads c outside the call too: d z / d c = f(0.5) = 0.5 * v + x */
  char *got = output(TRACED_CALL "print(tape.gradient(z, c))\n", SF_MODE_FUNCTION);
  cr_expect_str_eq(got, "tf.Tensor([1.5 3. ], shape=(2,), dtype=float32)\n");
  free(got);
  /* a variable not watched (watch_accessed_variables=False): None, as TF */
  got = output("import tensorflow as tf\n"
               "v = tf.Variable(2.0)\n"
               "w = tf.Variable(3.0)\n"
               "@tf.function\n"
               "def h():\n"
               "    return v * 3.0\n"
               "with tf.GradientTape(watch_accessed_variables=False) as tape:\n"
               "    tape.watch(w)\n"
               "    y = w * h()\n"
               "print(tape.gradient(y, [v, w]))\n",
               SF_MODE_FUNCTION);
  cr_expect_str_eq(got, "[None, <tf.Tensor: shape=(), dtype=float32, numpy=6.0>]\n");
  free(got);
}

/* The check follows TF's tape: a tensor watched after the call, a StopGradient or an integer
 * cast before or after it or inside it (a comparison), a NumPy copy the trace holds or is
 * given, a call
 * made while only another tape recorded: the gradient is TF's (no error); a variable's value passed in (v * 1.0), a
 * tensor made from a variable and captured, a Keras layer's output passed in, and
 * optimizer.minimize of a loss calling the function are located errors. */
Test(tape, traced_call_gradients_follow_the_tape) {
  static const char f3[] = "import tensorflow as tf\n@tf.function\ndef f(t):\n    return t * 3.0\nx = tf.constant(2.0)\n";
  static const char *const fine[] = {
      "with tf.GradientTape() as tape:\n    y = f(x)\n    tape.watch(x)\n    z = y * x\nprint(tape.gradient(z, x))\n",
      "with tf.GradientTape() as tape:\n    tape.watch(x)\n    z = f(tf.stop_gradient(x)) + x\nprint(tape.gradient(z, x))\n",
      "with tf.GradientTape() as tape:\n    tape.watch(x)\n    z = f(tf.cast(tf.cast(x, tf.int32), tf.float32)) + x\n"
      "print(tape.gradient(z, x))\n",
      "@tf.function\ndef g(t):\n    return tf.constant(x.numpy()) * t\n"
      "with tf.GradientTape() as tape:\n    tape.watch(x)\n    z = g(tf.constant(4.0)) + x\nprint(tape.gradient(z, x))\n",
      "t1 = tf.GradientTape(persistent=True)\nt2 = tf.GradientTape(persistent=True)\n"
      "with t1:\n    t1.watch(x)\n    b = x * 2.0\nwith t2:\n    t2.watch(b)\n    y = f(b)\nwith t1:\n    z = y + b\n"
      "print(t1.gradient(z, x))\n",
      "with tf.GradientTape() as tape:\n    tape.watch(x)\n    z = tf.stop_gradient(f(x)) * x\nprint(tape.gradient(z, x))\n",
      "with tf.GradientTape() as tape:\n    tape.watch(x)\n    z = tf.cast(tf.cast(f(x), tf.int32), tf.float32) * x\n"
      "print(tape.gradient(z, x))\n",
      "@tf.function\ndef g(t):\n    return tf.cast(t > 1.0, tf.float32)\n"
      "with tf.GradientTape() as tape:\n    tape.watch(x)\n    z = g(x) * x\nprint(tape.gradient(z, x))\n",
      "with tf.GradientTape() as tape:\n    tape.watch(x)\n    y = x * 3.0\n    z = f(y.numpy()) + y\nprint(tape.gradient(z, x))\n"};
  static const char *const want[] = {"tf.Tensor(6.0, shape=(), dtype=float32)\n", "tf.Tensor(1.0, shape=(), dtype=float32)\n",
                                     "tf.Tensor(1.0, shape=(), dtype=float32)\n", "tf.Tensor(1.0, shape=(), dtype=float32)\n",
                                     "tf.Tensor(2.0, shape=(), dtype=float32)\n", "tf.Tensor(6.0, shape=(), dtype=float32)\n",
                                     "tf.Tensor(6.0, shape=(), dtype=float32)\n", "tf.Tensor(1.0, shape=(), dtype=float32)\n",
                                     "tf.Tensor(3.0, shape=(), dtype=float32)\n"};
  char text[1024], msg[512];
  for (size_t i = 0; i < sizeof fine / sizeof *fine; i++) {
    snprintf(text, sizeof text, "%s%s", f3, fine[i]);
    char *got = output(text, SF_MODE_FUNCTION);
    cr_expect_str_eq(got, want[i], "program %d", i);
    free(got);
  }
  static const char unsupported[] = "unsupported: a gradient through the call of tf.function '%s' on line %d, which the "
                                    "tape recorded outside it: seedflow does not differentiate a traced call (TensorFlow "
                                    "would); take the gradient inside the tf.function, or run in eager mode";
  static const char v3[] = "import tensorflow as tf\nv = tf.Variable(3.0)\n@tf.function\ndef f(t):\n    return t * t\n";
  static const struct {
    const char *body, *fname;
    int call, line; /* the call's line, the error's */
  } errs[] = {
      {"with tf.GradientTape() as tape:\n    y = f(v * 1.0)\nprint(tape.gradient(y, v))\n", "f", 7, 8},
      {"@tf.function\ndef g():\n    return t * 3.0\nwith tf.GradientTape() as tape:\n    t = v * 2.0\n    y = g()\n"
       "print(tape.gradient(y, v))\n", "g", 11, 12},
      {"layer = tf.keras.layers.Dense(1, kernel_initializer='ones')\nwith tf.GradientTape() as tape:\n"
       "    y = tf.reduce_sum(f(layer(tf.constant([[1.0, 2.0]]))))\nprint(tape.gradient(y, layer.trainable_variables))\n",
       "f", 8, 9},
      {"@tf.function\ndef g():\n    return v * v\nopt = tf.keras.optimizers.SGD(0.1)\nopt.minimize(lambda: g() + v, [v])\n",
       "g", 10, 10}};
  for (size_t i = 0; i < sizeof errs / sizeof *errs; i++) {
    snprintf(text, sizeof text, "%s%s", v3, errs[i].body);
    snprintf(msg, sizeof msg, unsupported, errs[i].fname, errs[i].call);
    expect_error(text, SF_MODE_FUNCTION, errs[i].line, msg);
  }
  char *got = output(text, SF_MODE_EAGER); /* eager: v = 3 - 0.1 * (2 * 3 + 1) */
  cr_expect_str_eq(got, "");
  free(got);
}
