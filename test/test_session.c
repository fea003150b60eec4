/* test_session.c — Criterion suite `session`: TF1 graphs and Sessions (lang/mod_tf_session.c).
 * Values are derived from ../shared/reference/tf-random-semantics.md ("base") and
 * tf-api-semantics.md ("api"); each test names the section it checks. */
#include <criterion/criterion.h>

#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "seedflow/seedflow.h"

static sf_trace *run(const char *text, sf_mode mode, sf_profile profile, sf_error *err, sf_status *st) {
  sf_program *p = sf_program_parse("<test>", text, err);
  cr_assert(p, "parse: %s", err->msg);
  sf_run_options o = {.mode = mode, .profile = profile, .implicit_imports = true};
  sf_trace *t = NULL;
  *st = sf_run(p, &o, &t, err);
  sf_program_free(p);
  return t;
}

/* Everything the program printed, one line per print. */
static char *output(const char *text, sf_mode mode) {
  sf_error err = {0};
  sf_status st;
  sf_trace *t = run(text, mode, SF_PROFILE_TF1, &err, &st);
  cr_assert_eq(st, SF_OK, "run: %s (line %d)", err.msg, err.line);
  char *buf = th_prints_and_free(t);
  return buf;
}

static sf_error failure(const char *text) {
  sf_error err = {0};
  sf_status st;
  sf_trace *t = run(text, SF_MODE_GRAPH, SF_PROFILE_TF1, &err, &st);
  cr_assert_neq(st, SF_OK, "should fail: %s", text);
  sf_trace_free(t);
  return err;
}

static void expect_output(const char *text, sf_mode mode, const char *want) {
  char *got = output(text, mode);
  cr_expect_str_eq(got, want);
  free(got);
}

/* base §12 G15 (seeds (87654321, 2), offsets 0 then 256) and api §1.1 A1: a Session's
 * kernel continues; a new Session on the same graph starts afresh. */
Test(session, rerun_continues_and_new_session_repeats) {
  expect_output("import tensorflow as tf\n"
                "c = tf.random_uniform([], -10, 10, seed=2)\n"
                "sess = tf.Session()\n"
                "print(sess.run(c))\nprint(sess.run(c))\n"
                "sess.close()\n"
                "with tf.Session() as sess:\n"
                "    print(sess.run(c))\n    print(c.eval())\n",
                SF_MODE_GRAPH, "3.574932\n-5.9731865\n3.574932\n-5.9731865\n");
}

/* api §1.1 A2: one sess.run executes each node once, however often it is fetched;
 * base §12 G15's second value comes with the next run. */
Test(session, node_fetched_twice_in_one_run_draws_once) {
  expect_output("import tensorflow as tf\n"
                "c = tf.random_uniform([], -10, 10, seed=2)\n"
                "with tf.Session() as sess:\n"
                "    print(sess.run([c, c, (c,)]))\n"
                "    print(sess.run({'x': c, 'y': [c]}))\n",
                SF_MODE_GRAPH, "[3.574932, 3.574932, (3.574932,)]\n{'x': -5.9731865, 'y': [-5.9731865]}\n");
}

/* api §1.2 A3 and base §12 G17 ((1234, 3) -> [-0.13862522]): after reset_default_graph
 * op ids restart, so the same code gets the same op seed again; a new tf.Graph() has no
 * seed until set_random_seed is called inside its as_default() block. */
Test(session, reset_default_graph_restarts_op_ids) {
  expect_output("import tensorflow as tf\n"
                "for _ in range(2):\n"
                "    tf.set_random_seed(1234)\n"
                "    x = tf.random_normal([1])\n"
                "    y = tf.random_normal([5])\n"
                "    with tf.Session() as s:\n"
                "        print(s.run(x))\n"
                "    tf.reset_default_graph()\n"
                "g = tf.Graph()\n"
                "with g.as_default():\n"
                "    tf.set_random_seed(1234)\n"
                "    z = tf.random_normal([1])\n"
                "with tf.Session(graph=g) as s:\n"
                "    print(z.eval())\n",
                SF_MODE_GRAPH, "[-0.13862522]\n[-0.13862522]\n[-0.13862522]\n");
}

/* api §1.1: variable initializers run when the initializer op runs; a new Session holds
 * new variables (base §12 G17 again). Operation.run() and Tensor.eval(session=). */
Test(session, variables_initializer_and_operation_run) {
  expect_output("import tensorflow as tf\n"
                "tf.set_random_seed(1234)\n"
                "v = tf.Variable(tf.random_normal([1]))\n"
                "init = tf.global_variables_initializer()\n"
                "s = tf.Session()\n"
                "print(s.run(init))\n"
                "print(s.run(v))\n"
                "t = tf.InteractiveSession()\n"
                "init.run()\n"
                "print(v.eval(), v.eval(session=s))\n",
                SF_MODE_GRAPH, "None\n[-0.13862522]\n[-0.13862522] [-0.13862522]\n");
}

Test(session, placeholders_are_fed_per_run) {
  expect_output("import tensorflow as tf\n"
                "x = tf.placeholder(tf.float32, shape=[2])\n"
                "y = x * 2.0\n"
                "with tf.Session() as s:\n"
                "    print(s.run(y, feed_dict={x: [1.5, 2.0]}))\n"
                "    print(s.run(y, {x: [3, 4]}))\n",
                SF_MODE_GRAPH, "[3. 4.]\n[6. 8.]\n");
}

/* session.py _run: a fed NumPy array becomes np.asarray(value, dtype=the placeholder's
 * dtype): float64 data feeds a float32 placeholder (0.1 rounds, 1e40 overflows to inf),
 * floats feed an int32 one truncated toward zero (CPython + NumPy 1.24 print the same). */
Test(session, fed_arrays_take_the_placeholder_dtype) {
  expect_output("import numpy as np\nimport tensorflow as tf\n"
                "x = tf.placeholder(tf.int32, shape=[None, 3])\n"
                "f = tf.placeholder(tf.float32)\n"
                "d = tf.placeholder(tf.float64)\n"
                "with tf.Session() as s:\n"
                "    print(s.run(x * 2, feed_dict={x: np.array([[1.7, -2.5, 3.0]])}))\n"
                "    print(s.run(f + 0.0, feed_dict={f: np.array([0.1, 1e40])}))\n"
                "    v = s.run(d, feed_dict={d: np.array([0.1, 0.2], dtype=np.float32)})\n"
                "    print(v, v.dtype, repr(v[0]))\n",
                SF_MODE_GRAPH, "[[ 2 -4  6]]\n[0.1 inf]\n[0.1 0.2] float64 0.10000000149011612\n");
}

/* README "Sessions in every mode": in eager mode the ops ran when created, so sess.run(t)
 * is t's value: base §12 G9 (TF2 eager set_seed(1234); uniform([1]) -> 0.5380393). */
Test(session, eager_mode_session_run_is_the_value) {
  expect_output("import tensorflow as tf\n"
                "tf.random.set_seed(1234)\n"
                "u = tf.random.uniform([1])\n"
                "with tf.compat.v1.Session() as sess:\n"
                "    print(sess.run(u), sess.run([u]))\n"
                "    print(u.eval())\n",
                SF_MODE_EAGER, "[0.5380393] [array([0.5380393], dtype=float32)]\n[0.5380393]\n");
}

Test(session, errors_are_tensorflows) {
  sf_error e = failure("import tensorflow as tf\nc = tf.random_uniform([])\nprint(c.eval())\n");
  cr_expect_str_eq(e.msg, "ValueError: Cannot evaluate tensor using `eval()`: No default session is registered. Use "
                          "`with sess.as_default()` or pass an explicit session to `eval(session=sess)`");
  cr_expect_eq(e.line, 3);
  cr_expect_eq(e.col, 7);
  e = failure("import tensorflow as tf\nc = tf.random_uniform([])\ns = tf.Session()\ns.close()\ns.run(c)\n");
  cr_expect_str_eq(e.msg, "RuntimeError: Attempted to use a closed Session.");
  cr_expect_eq(e.line, 5);
  e = failure("import tensorflow as tf\ng = tf.Graph()\nwith g.as_default():\n    c = tf.random_uniform([])\n"
              "with tf.Session() as s:\n    s.run(c)\n");
  cr_expect_str_eq(e.msg, "ValueError: Tensor 'random_uniform' is not an element of this graph.");
  e = failure("import tensorflow as tf\ns = tf.Session('grpc://localhost:2222')\n");
  cr_expect_str_eq(e.msg, "unsupported: Session(target='grpc://localhost:2222') (seedflow runs in process)");
  cr_expect_eq(e.line, 2);
  cr_expect_eq(e.col, 5);
  e = failure("import tensorflow as tf\nc = tf.random_uniform([])\ns = tf.Session()\ns.run(c, options=1)\n");
  cr_expect_str_eq(e.msg, "unsupported: Session.run(options=...)");
}

/* api D1 and base §12 G10 ((1234, 0): 0.13047123, then 0.6087816 at block 256): a call
 * with a new signature (Python value, tensor shape or dtype) traces a new FuncGraph whose
 * op-seed counter and kernels start afresh; calls of an existing trace continue it. */
Test(session, retraced_function_gets_new_op_seeds_and_kernels) {
  sf_error err = {0};
  sf_status st;
  sf_trace *t = run("import tensorflow as tf\n"
                    "tf.random.set_seed(1234)\n"
                    "@tf.function\n"
                    "def f(x, k):\n"
                    "    return tf.random.uniform([1]) + x * k\n"
                    "print(f(tf.constant([0.0]), 1))\n"
                    "print(f(tf.constant([0.0]), 1))\n"
                    "print(f(tf.constant([0.0]), 2))\n"
                    "print(f(tf.constant([0.0, 0.0]), 1))\n"
                    "print(f(tf.constant([1.0]), 1))\n",
                    SF_MODE_FUNCTION, SF_PROFILE_TF2, &err, &st);
  cr_assert_eq(st, SF_OK, "%s", err.msg);
  const char *want[] = {"tf.Tensor([0.13047123], shape=(1,), dtype=float32)",
                        "tf.Tensor([0.6087816], shape=(1,), dtype=float32)",
                        "tf.Tensor([0.13047123], shape=(1,), dtype=float32)",
                        "tf.Tensor([0.13047123 0.13047123], shape=(2,), dtype=float32)",
                        "tf.Tensor([1.1964859], shape=(1,), dtype=float32)"};
  cr_assert_eq(sf_trace_print_count(t), 5);
  for (int i = 0; i < 5; i++)
    if (want[i]) cr_expect_str_eq(sf_trace_print_at(t, i)->text, want[i], "print %d", i + 1);
  int traces = 0; /* the random op ran in three traces: three graphs, each from block 0 */
  for (int i = 0; i < sf_trace_op_count(t); i++) {
    const sf_trace_op *o = sf_trace_op_at(t, i);
    if (o->rng.present && o->rng.counter[0] == 0 && o->rng.counter[1] == 0) {
      cr_expect_eq(o->rng.seed, 1234);
      cr_expect_eq(o->rng.seed2, 0);
      traces++;
    }
  }
  cr_expect_eq(traces, 3);
  sf_trace_free(t);
}

/* A program that switches modes keeps the run's mode and says so in one trace note. */
Test(session, mode_switch_is_noted_not_obeyed) {
  const char *prog = "import tensorflow.compat.v1 as tf\n"
                     "tf.disable_eager_execution()\n"
                     "print(tf.executing_eagerly(), tf.__version__)\n";
  for (int m = SF_MODE_EAGER; m <= SF_MODE_FUNCTION; m++) {
    sf_error err = {0};
    sf_status st;
    sf_trace *t = run(prog, (sf_mode)m, SF_PROFILE_TF1, &err, &st);
    cr_assert_eq(st, SF_OK, "%s", err.msg);
    cr_expect_str_eq(sf_trace_print_at(t, 0)->text, m == SF_MODE_EAGER ? "True 1.15.5" : "False 1.15.5");
    if (m == SF_MODE_GRAPH) {
      cr_expect_eq(sf_trace_note_count(t), 0);
    } else {
      cr_assert_eq(sf_trace_note_count(t), 1);
      char want[200];
      snprintf(want, sizeof want,
               "line 2 calls disable_eager_execution(): TensorFlow runs the program in graph mode; this run is in %s "
               "mode as asked", m == SF_MODE_EAGER ? "eager" : "function");
      cr_expect_str_eq(sf_trace_note_at(t, 0)->text, want);
      cr_expect_str_eq(sf_trace_note_at(t, 0)->pass, "mode");
    }
    sf_trace_free(t);
  }
}

/* variables_initializer runs only the listed variables' Assigns (base §12 G17: (1234, 3)). */
Test(session, variables_initializer_of_a_list) {
  expect_output("import tensorflow as tf\n"
                "tf.set_random_seed(1234)\n"
                "v = tf.Variable(tf.random_normal([1]))\n"
                "w = tf.Variable(tf.zeros([1]))\n"
                "with tf.Session() as s:\n"
                "    s.run(tf.variables_initializer([v]))\n"
                "    s.run(tf.initialize_all_variables())\n"
                "    print(s.run([v, w]))\n",
                SF_MODE_GRAPH, "[array([0.3255454], dtype=float32), array([0.], dtype=float32)]\n");
}

/* jit_compile=True is run without XLA and noted; an unknown tf.function argument is named. */
Test(session, jit_compile_is_noted_and_unknown_arguments_named) {
  sf_error err = {0};
  sf_status st;
  sf_trace *t = run("import tensorflow as tf\n"
                    "@tf.function(jit_compile=True)\n"
                    "def f(x):\n"
                    "    return tf.random.shuffle(x, seed=1)\n"
                    "print(f(tf.constant([1, 2, 3])))\n",
                    SF_MODE_FUNCTION, SF_PROFILE_TF2, &err, &st);
  cr_assert_eq(st, SF_OK, "%s", err.msg);
  cr_assert_eq(sf_trace_note_count(t), 1);
  cr_expect_str_eq(sf_trace_note_at(t, 0)->pass, "xla");
  cr_expect_str_eq(sf_trace_note_at(t, 0)->text, "line 2: tf.function(jit_compile=...) of 'f': XLA's random number "
                                                 "generation is not modelled; these are the draws of TensorFlow's "
                                                 "kernels without XLA");
  sf_trace_free(t);
  t = run("import tensorflow as tf\n@tf.function(experimental_warp=3)\ndef f():\n    return 1\nf()\n", SF_MODE_FUNCTION,
          SF_PROFILE_TF2, &err, &st);
  cr_expect_eq(st, SF_ENAME);
  cr_expect_str_eq(err.msg, "unsupported: tf.function(experimental_warp=...)");
  cr_expect_eq(err.line, 2);
  cr_expect_eq(err.col, 32);
  sf_trace_free(t);
}

/* base §12 G10: tf.function(bar) called twice -> (0.13047123, 0.1689806) then
 * (0.6087816, 0.7539084); a second tf.function of the same bar is a new trace and repeats
 * the first values; bar itself stays eager (G9: 0.5380393, 0.3253647). */
Test(session, tf_function_called_as_a_function) {
  sf_error err = {0};
  sf_status st;
  sf_trace *t = run("import tensorflow as tf\n"
                    "tf.random.set_seed(1234)\n"
                    "def bar():\n"
                    "    return tf.random.uniform([1]), tf.random.uniform([1])\n"
                    "f = tf.function(bar)\n"
                    "g = tf.function(bar, jit_compile=True)\n"
                    "for r in [f(), f(), g(), bar()]:\n"
                    "    print(float(r[0]), float(r[1]))\n",
                    SF_MODE_FUNCTION, SF_PROFILE_TF2, &err, &st);
  cr_assert_eq(st, SF_OK, "%s", err.msg);
  const char *want[] = {"0.13047122955322266 0.16898059844970703", "0.6087815761566162 0.7539083957672119",
                        "0.13047122955322266 0.16898059844970703", "0.5380393266677856 0.32536470890045166"};
  cr_assert_eq(sf_trace_print_count(t), 4);
  for (int i = 0; i < 4; i++) cr_expect_str_eq(sf_trace_print_at(t, i)->text, want[i], "print %d", i + 1);
  cr_expect_eq(sf_trace_note_count(t), 1);
  sf_trace_free(t);
}

/* With no seed anywhere the draws change every run, and the run says so once. */
Test(session, unseeded_draws_are_noted_once) {
  sf_error err = {0};
  sf_status st;
  sf_trace *t = run("import tensorflow as tf\nx = tf.random.uniform([2])\ny = tf.random.normal([2])\n"
                    "d = tf.data.Dataset.range(4).shuffle(4)\nprint(x, y, [int(v) for v in d])\n",
                    SF_MODE_EAGER, SF_PROFILE_TF2, &err, &st);
  cr_assert_eq(st, SF_OK, "%s", err.msg);
  cr_assert_eq(sf_trace_note_count(t), 1);
  cr_expect_str_eq(sf_trace_note_at(t, 0)->pass, "seed");
  cr_expect_str_eq(sf_trace_note_at(t, 0)->text, "no seed set; these draws change every run");
  sf_trace_free(t);
  t = run("import tensorflow as tf\ntf.random.set_seed(1)\nprint(tf.random.uniform([2]))\n", SF_MODE_GRAPH, SF_PROFILE_TF2,
          &err, &st);
  cr_assert_eq(st, SF_OK, "%s", err.msg);
  cr_expect_eq(sf_trace_note_count(t), 0);
  sf_trace_free(t);
}

/* TF 1.x nn.dropout(x, keep_prob, noise_shape, seed): a keep_prob fed through a
 * placeholder draws the same mask (op seed 1 -> (87654321, 1), base §5.2) as the same
 * keep_prob given as a number, and noise_shape [2, 1] keeps or drops whole rows. */
Test(session, tf1_dropout_keep_prob_fed_or_given) {
  expect_output("import tensorflow as tf\n"
                "a = tf.constant([1, 2, 3, 4, 5, 6], shape=[2, 3], dtype=tf.float32)\n"
                "b = tf.placeholder(tf.float32)\n"
                "c = tf.nn.dropout(a, b, [2, 1], 1)\n"
                "d = tf.compat.v1.nn.dropout(a, keep_prob=0.75, noise_shape=[2, 1], seed=1)\n"
                "with tf.Session() as sess:\n"
                "    print(sess.run(c, feed_dict={b: 0.75}))\n"
                "    print(sess.run(d))\n",
                SF_MODE_GRAPH,
                "[[0.        0.        0.       ]\n [5.3333335 6.666667  8.       ]]\n"
                "[[0.        0.        0.       ]\n [5.3333335 6.666667  8.       ]]\n");
}

/* api §5.5: DeterministicRandomTestTool gives every get_seed (42, op_seed): 'constant'
 * repeats (42, 0) at offset 0, 'num_random_ops' counts (42, 0), (42, 1), ... */
Test(session, deterministic_random_test_tool_modes) {
  const char *body = "    a = tf.random.uniform(shape=(3,1)) * 3\n"
                     "    b = tf.random.uniform(shape=(3,3), seed=7) * 3\n"
                     "print(a)\nprint(b)\n";
  char prog[512];
  snprintf(prog, sizeof prog, "import tensorflow as tf\nt = tf.compat.v1.keras.utils.DeterministicRandomTestTool()\n"
                              "with t.scope():\n%s", body);
  expect_output(prog, SF_MODE_GRAPH,
                "[[2.5063772]\n [2.7488918]\n [1.4839486]]\n"
                "[[2.5063772 2.7488918 1.4839486]\n [1.5633398 2.1358476 1.3693532]\n [0.3598416 1.8287641 2.5314465]]\n");
  snprintf(prog, sizeof prog, "import tensorflow as tf\nt = tf.compat.v1.keras.utils.DeterministicRandomTestTool("
                              "mode='num_random_ops')\nwith t.scope():\n%s", body);
  expect_output(prog, SF_MODE_GRAPH,
                "[[2.5063772]\n [2.7488918]\n [1.4839486]]\n"
                "[[0.45038545 1.9197761  2.4536333 ]\n [1.0371652  2.9898582  1.924583  ]\n"
                " [0.25679827 1.6579313  2.8418403 ]]\n");
}

/* .shape / .ndim / .dtype of tensors and NumPy arrays: a tuple, an int, a dtype. */
Test(session, tensor_shape_ndim_dtype) {
  const char *prog = "import tensorflow as tf\nimport numpy as np\n"
                     "x = tf.random.uniform([2, 3], seed=1)\n"
                     "print(x.shape, x.shape[1], x.ndim, x.dtype)\n"
                     "y = np.random.normal(size=(4, 5))\n"
                     "print(y.shape[1], y.ndim)\n";
  expect_output(prog, SF_MODE_EAGER, "(2, 3) 3 2 <dtype: 'float32'>\n5 2\n");
  expect_output(prog, SF_MODE_GRAPH, "(2, 3) 3 2 <dtype: 'float32'>\n5 2\n");
}

/* The Keras TF1 reproducibility recipe: ConfigProto, Session(config=), K.set_session,
 * K.clear_session (a new default graph: G17's (1234, 3) again). */
Test(session, config_proto_and_keras_session) {
  expect_output("import tensorflow as tf\n"
                "from keras import backend as K\n"
                "conf = tf.ConfigProto(intra_op_parallelism_threads=1, inter_op_parallelism_threads=1)\n"
                "conf.gpu_options.allow_growth = True\n"
                "tf.set_random_seed(1234)\n"
                "sess = tf.Session(graph=tf.get_default_graph(), config=conf)\n"
                "K.set_session(sess)\n"
                "print(sess.run(tf.random_normal([1])))\n"
                "K.clear_session()\n"
                "tf.set_random_seed(1234)\n"
                "print(tf.Session().run(tf.random_normal([1])))\n",
                SF_MODE_GRAPH, "[-0.13862522]\n[-0.13862522]\n");
  sf_error e = failure("import tensorflow as tf\nc = tf.ConfigProto(graph_options=1)\n");
  cr_expect_str_eq(e.msg, "unsupported: ConfigProto(graph_options=...)");
}

/* A two-layer Sequential model made before keras.backend.clear_session() and first called
 * after it, under a tape (realworld 23 in graph mode): seedflow reads a variable whose
 * initializer the reset left in the old graph. TensorFlow would build both layers in the
 * new graph; seedflow does not model that yet, and says so with a located graph error
 * (exit 2) rather than an internal one (exit 3, before). */
Test(session, variable_from_a_reset_graph_is_a_located_error) {
  sf_error err = {0};
  sf_status st;
  sf_trace *t = run("import numpy as np\n"
                    "import tensorflow as tf\n"
                    "from tensorflow import keras\n"
                    "model = keras.models.Sequential([keras.layers.Dense(3), keras.layers.Dense(1)])\n"
                    "keras.backend.clear_session()\n"
                    "X = np.ones((4, 2), dtype=np.float32)\n"
                    "with tf.GradientTape() as tape:\n"
                    "    y_pred = model(X)\n",
                    SF_MODE_GRAPH, SF_PROFILE_TF2, &err, &st);
  cr_expect_eq(st, SF_EGRAPH, "%s", err.msg);
  cr_expect_str_eq(err.msg, "a variable made in another graph cannot be read here (a graph reset by "
                            "reset_default_graph or keras.backend.clear_session, or another tf.Graph)");
  cr_expect_eq(err.line, 8);
  cr_expect_eq(err.col, 14);
  sf_trace_free(t);
}

/* A program that turns eager execution off, run in eager mode as asked: its first
 * placeholder fails as TF's does in eager mode, and the message names the line and the fix. */
Test(session, placeholder_in_a_run_of_another_mode_names_the_switch) {
  sf_error err = {0};
  sf_status st;
  sf_trace *t = run("import tensorflow as tf\n\ntf.compat.v1.disable_eager_execution()\n"
                    "x = tf.compat.v1.placeholder(tf.float32)\n",
                    SF_MODE_EAGER, SF_PROFILE_TF2, &err, &st);
  sf_trace_free(t);
  cr_expect_neq(st, SF_OK);
  cr_expect_eq(err.line, 4);
  cr_expect_str_eq(err.msg, "tf.placeholder() is not compatible with eager execution. (Line 3 turns eager execution off; "
                            "seedflow runs the mode asked, here eager: run it with --mode graph.)");
}

/* Placeholders with a None batch dimension: _SumGrad and _MeanGrad take the dynamic branch
 * (Shape(x) at run time; the mean's count from the sizes when the reduced dimension is the
 * unknown one) and train exactly as the same program with the batch size written in. */
Test(session, gradients_through_an_unknown_batch_dimension) {
  const char *prog = "import numpy as np\nimport tensorflow as tf\n"
                     "tf.set_random_seed(1)\nnp.random.seed(1)\n"
                     "X = np.random.rand(6, 3)\nY = np.random.rand(6, 1)\n"
                     "x = tf.placeholder(tf.float32, [%s, 3])\ny = tf.placeholder(tf.float32, [%s, 1])\n"
                     "h = tf.layers.dense(x, 4, activation=tf.nn.relu)\npred = tf.layers.dense(h, 1)\n"
                     "loss = tf.reduce_mean(tf.square(y - pred)) + tf.reduce_sum(tf.reduce_mean(h, axis=1)) * 0.01\n"
                     "train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)\n"
                     "with tf.Session() as sess:\n"
                     "    sess.run(tf.global_variables_initializer())\n"
                     "    for i in range(3):\n"
                     "        print(sess.run([train, loss], feed_dict={x: X, y: Y})[1])\n";
  char dyn[2048], fixed[2048];
  snprintf(dyn, sizeof dyn, prog, "None", "None");
  snprintf(fixed, sizeof fixed, prog, "6", "6");
  char *a = output(dyn, SF_MODE_GRAPH), *b = output(fixed, SF_MODE_GRAPH);
  cr_expect_str_eq(a, b);
  cr_expect_eq(strlen(a) > 10, true);
  free(a);
  free(b);
}

/* TF1's dropout draws its noise in shape(x): a Shape op when x's batch dimension is None
 * (a Const when it is known; one op either way, so later op seeds do not move), and the
 * program prints what the same program with the batch size written in prints. */
Test(session, dropout_of_an_unknown_batch_dimension) {
  const char *prog = "import numpy as np\nimport tensorflow as tf\n"
                     "tf.set_random_seed(2)\n"
                     "x = tf.placeholder(tf.float32, [%s, 3])\nkeep = tf.placeholder(tf.float32)\n"
                     "w = tf.get_variable('w', shape=[3, 4], initializer=tf.glorot_uniform_initializer())\n"
                     "h = tf.nn.dropout(tf.matmul(x, w), keep_prob=keep)\n"
                     "u = tf.random_uniform([2])\n"
                     "loss = tf.reduce_sum(h)\n"
                     "opt = tf.train.AdamOptimizer(0.01).minimize(loss)\n"
                     "with tf.Session() as sess:\n"
                     "    sess.run(tf.global_variables_initializer())\n"
                     "    for i in range(2):\n"
                     "        print(sess.run([h, u], {x: np.ones((5, 3)), keep: 0.5}))\n"
                     "        sess.run(opt, {x: np.ones((5, 3)), keep: 0.5})\n";
  char dyn[2048], fixed[2048];
  snprintf(dyn, sizeof dyn, prog, "None");
  snprintf(fixed, sizeof fixed, prog, "5");
  char *a = output(dyn, SF_MODE_GRAPH), *b = output(fixed, SF_MODE_GRAPH);
  cr_expect_str_eq(a, b);
  cr_expect(strstr(a, "0.") != NULL);
  free(a);
  free(b);
}

/* A placeholder made without a shape takes a value of any shape; its .shape (TF's
 * TensorShape(None), printed <unknown>) is named as unsupported rather than printed (). */
Test(session, placeholder_without_a_shape) {
  expect_output("import tensorflow as tf\nz = tf.placeholder(tf.float32)\ny = z * 2\n"
                "with tf.Session() as s:\n    print(s.run(y, {z: [1.0, 2.0, 3.0]}), s.run(y, {z: 4.0}))\n",
                SF_MODE_GRAPH, "[2. 4. 6.] 8.0\n");
  sf_error e = failure("import tensorflow as tf\nz = tf.placeholder(tf.float32)\nprint(z.shape)\n");
  cr_expect_eq(e.line, 3);
  cr_expect_str_eq(e.msg, "unsupported: .shape of a placeholder made without a shape (its rank is unknown)");
  e = failure("import tensorflow as tf\nz = tf.placeholder(tf.float32, shape=[])\nprint(z.shape)\nz.shape.x\n");
  cr_expect_eq(e.line, 4);
}

/* Tensor.name and Variable.name (ops.py, variables.py): "<op>:0", a variable the name of
 * its VariableV2 (get_variable's in the scope its initializer was made in: "W", not "W_1");
 * an eager tensor has none. TF 1.x's tf.Variable is a RefVariable. */
Test(session, tensor_and_variable_names) {
  expect_output("import tensorflow as tf\n"
                "x = tf.placeholder(tf.float32, [None, 2], name='x')\n"
                "W = tf.get_variable('W', shape=[2, 1], initializer=tf.glorot_uniform_initializer())\n"
                "b = tf.Variable(tf.zeros([1]), name='b')\n"
                "v = tf.Variable(1.0)\n"
                "with tf.variable_scope('layer'):\n"
                "    U = tf.get_variable('U', shape=[1])\n"
                "y = tf.matmul(x, W) + b\n"
                "print(x.name, W.name, b.name, v.name, U.name, y.name, tf.transpose(y).name, tf.argmax(y).name)\n"
                "print(type(W), type(y))\n",
                SF_MODE_GRAPH, "x:0 W:0 b:0 Variable:0 layer/U:0 add:0 transpose:0 ArgMax:0\n"
                "<class 'tensorflow.python.ops.variables.RefVariable'> <class 'tensorflow.python.framework.ops.Tensor'>\n");
  sf_error err = {0};
  sf_status st;
  sf_trace *t = run("import tensorflow as tf\nx = tf.constant(1.0)\nprint(x.name)\n", SF_MODE_EAGER, SF_PROFILE_TF2, &err, &st);
  sf_trace_free(t);
  cr_expect_str_eq(err.msg, "AttributeError: Tensor.name is undefined when eager execution is enabled.");
  cr_expect_eq(err.line, 3);
}

/* variables.py trainable_variables / global_variables: the default graph's collections in
 * creation order (optimizer slots are global, not trainable; re.match(scope) keeps a prefix);
 * a variable made with trainable=False (tf.Variable, get_variable, tf.layers.dense) is not
 * trained by minimize although the loss depends on it; in eager mode both lists are empty. */
Test(session, variable_collections_and_trainable_false) {
  const char *text = "import tensorflow as tf\n"
                     "tf.set_random_seed(1)\n"
                     "x = tf.constant([[1.0, 2.0]])\n"
                     "scale = tf.Variable(2.0, trainable=False, name='scale')\n"
                     "with tf.variable_scope('net'):\n"
                     "    w = tf.get_variable('w', [2, 1])\n"
                     "    frozen = tf.get_variable('frozen', [1], trainable=False, initializer=tf.ones_initializer())\n"
                     "    h = tf.layers.dense(x, 1, trainable=False, name='fixed')\n"
                     "loss = tf.reduce_mean(tf.square(tf.matmul(x, w) * scale + frozen + h))\n"
                     "train = tf.train.AdamOptimizer(0.1).minimize(loss)\n"
                     "print([v.name for v in tf.trainable_variables()])\n"
                     "print([v.name for v in tf.global_variables()])\n"
                     "print([v.name for v in tf.global_variables('net/f')], tf.trainable_variables(scope='fixed'))\n"
                     "with tf.Session() as sess:\n"
                     "    sess.run(tf.global_variables_initializer())\n"
                     "    before, w0 = sess.run([h, w])\n"
                     "    sess.run(train)\n"
                     "    print(sess.run([scale, frozen]), (sess.run(h) == before).all(), abs(sess.run(w) - w0).round(6).tolist())\n";
  expect_output(text, SF_MODE_GRAPH,
                "['net/w:0']\n"
                "['scale:0', 'net/w:0', 'net/frozen:0', 'net/fixed/kernel:0', 'net/fixed/bias:0', 'beta1_power:0', "
                "'beta2_power:0', 'net/w/Adam:0', 'net/w/Adam_1:0']\n"
                "['net/frozen:0', 'net/fixed/kernel:0', 'net/fixed/bias:0'] []\n"
                "[2.0, array([1.], dtype=float32)] True [[0.10000000149011612], [0.10000000149011612]]\n"); /* Adam's first step: lr * g/|g| in float32 */
  expect_output("import tensorflow as tf\nv = tf.Variable(1.0)\nprint(tf.trainable_variables(), tf.global_variables())\n",
                SF_MODE_EAGER, "[] []\n");
  sf_error err = failure("import tensorflow as tf\ntf.trainable_variables('net.*')\n");
  cr_expect_str_eq(err.msg, "unsupported: trainable_variables(scope=net.*): a scope with regular-expression characters");
  /* Keras layers' weights are resource variables, which TF's collections and var_list hold and seedflow's do not */
  const char *keras = "import tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 2])\ny = tf.keras.layers.Dense(1)(x)\n";
  char buf[512];
  snprintf(buf, sizeof buf, "%sv = tf.trainable_variables()\n", keras);
  err = failure(buf);
  cr_expect_str_eq(err.msg, "unsupported: trainable_variables() of a graph with Keras layers' weights");
  snprintf(buf, sizeof buf, "%st = tf.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_mean(y))\n", keras);
  err = failure(buf);
  cr_expect_str_eq(err.msg, "unsupported: minimize() without var_list in a graph with Keras layers' weights");
}

/* A TF 1.x tf.Variable / get_variable is a RefVariable: its dtype is the reference type
 * float32_ref (dtypes.py), which is not float32 (==, hashing) and whose base_dtype is;
 * the tensors read from it are float32. A DType's repr is tf.NAME (in a dict, say). */
Test(session, ref_variables_have_ref_dtypes) {
  expect_output("import tensorflow as tf\n"
                "v = tf.Variable(1.0)\nw = tf.get_variable('w', [2], initializer=tf.zeros_initializer())\n"
                "print(v.dtype, w.dtype, v.dtype.name, v.dtype.base_dtype, (v * 2).dtype)\n"
                "print(v.dtype == tf.float32, v.dtype.base_dtype == tf.float32, v.dtype._is_ref_dtype, {v.dtype: 1})\n",
                SF_MODE_GRAPH,
                "<dtype: 'float32_ref'> <dtype: 'float32_ref'> float32_ref <dtype: 'float32'> <dtype: 'float32'>\n"
                "False True True {tf.float32_ref: 1}\n");
}

/* tf.constant of a tensor in a TF 1.x graph: make_tensor_proto's _AssertCompatible refuses
 * it, in TF 1.x's words. */
Test(session, constant_of_a_tensor_is_tf1s_type_error) {
  sf_error e = failure("import tensorflow as tf\nc = tf.constant(1)\nd = tf.constant(c)\n");
  cr_expect_str_eq(e.msg, "TypeError: List of Tensors when single Tensor expected");
  cr_expect_eq(e.line, 3);
  e = failure("import tensorflow as tf\nc = tf.constant(1)\nd = tf.constant(c, dtype=tf.float32)\n");
  cr_expect_str_eq(e.msg, "TypeError: Expected float32, got <tf.Tensor 'Const:0' shape=() dtype=int32> of type 'Tensor' instead.");
}
