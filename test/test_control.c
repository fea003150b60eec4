/* test_control.c — Criterion suite `control`: loops and conditionals over tensors
 * (lang/api_control.c). Values are derived from ../shared/reference/tf-random-semantics.md
 * ("base") and tf-api-semantics.md ("api"); each test names the section it checks. The
 * (1234, 0) uniform([1]) stream is base §12 G10: 0.13047123 at block 0, 0.6087816 at 256,
 * and (1234, 1) at block 0 is 0.1689806; blocks 512 and 768 of (1234, 0) (0.19648588,
 * 0.39280057) and the int32 digits below follow base §1-§4 (uniform: mantissa bits;
 * int32: word mod range), computed by an independent Philox in Python. */
#include <criterion/criterion.h>

#include "expect.h"

#include <stdlib.h>
#include <string.h>

#include "seedflow/seedflow.h"


/* The error a run ends with, its message without the traceback. */
static sf_error failure(const char *text, sf_mode mode, sf_profile profile) {
  sf_error err = {0};
  sf_trace *t = th_run_text(text, &(sf_run_options){.mode = mode, .profile = profile}, &err);
  cr_assert_null(t, "should fail: %s", text);
  char *nl = strchr(err.msg, '\n');
  if (nl) *nl = '\0';
  return err;
}

#define HEAD "import tensorflow as tf\ntf.random.set_seed(1234)\n"

/* api §3.2 C1/C2: the body of an AutoGraph loop is its own graph (counter from 0: the
 * body's op gets (1234, 0) like the function's first op) and one kernel that every
 * iteration runs again (blocks 0, 256), continuing on the next call (512, 768). */
Test(control, autograph_loop_body_is_one_kernel) {
  th_expect_prints(HEAD "@tf.function\n"
                     "def f():\n"
                     "    a = tf.random.uniform([1])\n"
                     "    p = tf.zeros([1])\n"
                     "    c = tf.zeros([1])\n"
                     "    for i in tf.range(2):\n"
                     "        p, c = c, tf.random.uniform([1])\n"
                     "    return a, p, c\n"
                     "for _ in range(2):\n"
                     "    a, p, c = f()\n"
                     "    print(a.numpy(), p.numpy(), c.numpy())\n",
                SF_MODE_FUNCTION, SF_PROFILE_TF2,
                "[0.13047123] [0.13047123] [0.6087816]\n[0.6087816] [0.19648588] [0.39280057]\n");
}

/* api §3.2 last bullet: a Python range loop is unrolled, three ops (1234, 1), (1234, 2),
 * each at block 0 (words 0: 0.1689806, 0.52762878). */
Test(control, python_loop_is_unrolled) {
  th_expect_prints(HEAD "@tf.function\n"
                     "def f():\n"
                     "    a = tf.random.uniform([1])\n"
                     "    p = tf.zeros([1])\n"
                     "    c = tf.zeros([1])\n"
                     "    for i in range(2):\n"
                     "        p, c = c, tf.random.uniform([1])\n"
                     "    return a, p, c\n"
                     "a, p, c = f()\n"
                     "print(a.numpy(), p.numpy(), c.numpy())\n",
                SF_MODE_FUNCTION, SF_PROFILE_TF2, "[0.13047123] [0.1689806] [0.5276288]\n");
}

/* api §3.2: a nested loop's body is one graph inside the outer body: one kernel over all
 * 2x2 iterations (digits of blocks 0, 256, 512, 768: 2 6 5 8); an `if` inside a body is a
 * cond with two branch graphs, each counting from 0: both branch ops are (1234, 0) with a
 * kernel each (2 6, then 2 6 again). */
Test(control, nested_loops_and_branches_in_a_body) {
  th_expect_prints(HEAD "@tf.function\n"
                     "def h():\n"
                     "    s = tf.constant(0)\n"
                     "    for i in tf.range(2):\n"
                     "        for j in tf.range(2):\n"
                     "            s = s * 10 + tf.random.uniform([], 0, 10, dtype=tf.int32)\n"
                     "    for i in tf.range(4):\n"
                     "        if i < 2:\n"
                     "            s = s * 10 + tf.random.uniform([], 0, 10, dtype=tf.int32)\n"
                     "        else:\n"
                     "            s = s * 10 + tf.random.uniform([], 0, 10, dtype=tf.int32)\n"
                     "    return s\n"
                     "print(h().numpy())\n",
                SF_MODE_FUNCTION, SF_PROFILE_TF2, "26582626\n");
}

/* api §3.2 (tf.cond branches are graphs of their own): the branch's op is (1234, 0) like
 * the first op, and the op after the cond is (1234, 1) (0.1689806). */
Test(control, cond_branch_counts_from_zero) {
  th_expect_prints(HEAD "@tf.function\n"
                     "def g():\n"
                     "    a = tf.random.uniform([1])\n"
                     "    b = tf.cond(tf.constant(True), lambda: tf.random.uniform([1]), lambda: tf.zeros([1]))\n"
                     "    c = tf.random.uniform([1])\n"
                     "    return a, b, c\n"
                     "a, b, c = g()\n"
                     "print(a.numpy(), b.numpy(), c.numpy())\n",
                SF_MODE_FUNCTION, SF_PROFILE_TF2, "[0.13047123] [0.13047123] [0.1689806]\n");
}

/* api §1.1 + §3.2: tf.while_loop in a (TF >= 2.2, control flow v2) graph: the body's op
 * (1234, 0) is one node per Session; each sess.run runs it twice (digits 2 6, then 5 8),
 * a new Session starts again. */
Test(control, while_loop_kernel_continues_per_session) {
  th_expect_prints("import tensorflow as tf\n"
                "tf.compat.v1.set_random_seed(1234)\n"
                "i, x = tf.while_loop(lambda i, x: i < 2,\n"
                "                     lambda i, x: (i + 1, x * 10 + tf.random.uniform([], 0, 10, dtype=tf.int32)),\n"
                "                     [0, 0])\n"
                "with tf.compat.v1.Session() as sess:\n"
                "    print(sess.run(x), sess.run(x))\n"
                "with tf.compat.v1.Session() as sess:\n"
                "    print(sess.run([i, x]))\n",
                SF_MODE_GRAPH, SF_PROFILE_TF2, "26 58\n[2, 26]\n");
}

/* Eager: loops and conditions run as Python on the tensors' values (base §5.5: each op
 * call takes the next eager op seed); maximum_iterations stops the loop. */
Test(control, eager_runs_as_python) {
  th_expect_prints("import tensorflow as tf\n"
                "x = tf.constant(3)\n"
                "while x > 0:\n"
                "    x = x - 1\n"
                "if tf.constant(False):\n"
                "    print('no')\n"
                "for e in tf.constant([[1, 2], [3, 4]]):\n"
                "    print(e.numpy())\n"
                "print(tf.while_loop(lambda i: i < 10, lambda i: i + 1, [0], maximum_iterations=4))\n"
                "print(tf.compat.v1.while_loop(lambda i: i < 10, lambda i: i + 1, [0]))\n"
                "print(tf.cond(x < 1, lambda: 'yes', lambda: 'no'))\n"
                "print(x.numpy(), bool(x), not x, bool(tf.constant(2.5)))\n",
                SF_MODE_EAGER, SF_PROFILE_TF2, "[1 2]\n[3 4]\n[4]\n10\nyes\n0 False True True\n");
}

Test(control, errors) {
  sf_error e = failure("import tensorflow as tf\n"
                       "@tf.function\n"
                       "def f(n):\n"
                       "    for i in n:\n"
                       "        pass\n"
                       "f(tf.constant([1, 2]))\n",
                       SF_MODE_FUNCTION, SF_PROFILE_TF2);
  cr_expect_str_eq(e.msg, "unsupported: a for loop on a tensor whose value is known only when the function runs (it "
                          "depends on 'n'; seedflow unrolls loops and conditionals over tensors at trace time)");
  cr_expect_eq(e.line, 4);
  e = failure("import tensorflow as tf\n"
              "x = tf.while_loop(lambda i: i < 2, lambda i: i + 1, [0])\n",
              SF_MODE_GRAPH, SF_PROFILE_TF1);
  cr_expect_str_eq(e.msg, "unsupported: a loop over tensors in a graph under the tf1 profile (TF 1.x-2.1 count the "
                          "control-flow construction ops into the op seeds; seedflow models while_v2/cond_v2, the tf2 "
                          "profile)");
  cr_expect_eq(e.line, 2);
  cr_expect_eq(e.col, 5);
  e = failure("import tensorflow as tf\nif tf.constant(1) > 0:\n    pass\n", SF_MODE_GRAPH, SF_PROFILE_TF2);
  cr_expect_str_eq(e.msg, "TypeError: Using a symbolic `tf.Tensor` as a Python `bool` is not allowed in Graph "
                          "execution. Use Eager execution or decorate this function with @tf.function.");
  e = failure("import tensorflow as tf\nx = tf.constant(3)\nwhile x > 0:\n    x = x - 1\n", SF_MODE_GRAPH, SF_PROFILE_TF1);
  cr_expect_str_eq(e.msg, "TypeError: Using a `tf.Tensor` as a Python `bool` is not allowed. Use `if t is not None:` "
                          "instead of `if t:` to test if a tensor is defined, and use TensorFlow ops such as tf.cond to "
                          "execute subgraphs conditioned on the value of a tensor.");
  cr_expect_eq(e.line, 3);
  cr_expect_eq(e.col, 7);
  e = failure("import tensorflow as tf\ntf.while_loop(lambda i, j: i < 2, lambda i, j: i + 1, [0, 0])\n", SF_MODE_EAGER,
              SF_PROFILE_TF2);
  cr_expect_str_eq(e.msg, "ValueError: The two structures don't have the same nested structure: body returned 1 values "
                          "for 2 loop variables");
  e = failure("import tensorflow as tf\nfor x in tf.constant(1.0):\n    pass\n", SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_expect_str_eq(e.msg, "TypeError: Cannot iterate over a scalar tensor.");
  e = failure("import tensorflow as tf\nif tf.constant([1, 2]):\n    pass\n", SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_expect_str_eq(e.msg, "ValueError: The truth value of an array with more than one element is ambiguous. Use "
                          "a.any() or a.all()");
  e = failure("import tensorflow as tf\n"
              "@tf.function\n"
              "def f():\n"
              "    return tf.while_loop(lambda i: tf.random.uniform([]) < 2.0, lambda i: i + 1, [0])\n"
              "f()\n",
              SF_MODE_FUNCTION, SF_PROFILE_TF2);
  cr_expect(strstr(e.msg, "unsupported: tf.while_loop's cond on a tensor whose value is known only when the "
                          "function runs (it depends on 'random_uniform/RandomUniform'") != NULL,
            "%s", e.msg);
}

/* ---- TF1 variables, scopes, layers (lang/api_tf1_vars.c) ---- */

#define TF1_VARS                                               \
  "import tensorflow as tf\n"                                  \
  "tf.set_random_seed(1)\n"                                    \
  "w = tf.get_variable('w', [2, 3])\n"                         \
  "with tf.variable_scope('s'):\n"                             \
  "    v = tf.get_variable('v', [2, 3])\n"                     \
  "with tf.variable_scope('s', reuse=True):\n"                 \
  "    v2 = tf.get_variable('v', [2, 3])\n"                    \
  "with tf.name_scope('n'):\n"                                 \
  "    pass\n"

/* api §8 E1 (rule api §1.3 A4): get_variable's default glorot_uniform initializer creates
 * its 7 ops before VariableV2, Assign and read (10 per variable): w (1, 3), v (1, 13),
 * limit float32(sqrt(1.2)). A reused name is the same variable and creates no op; scopes
 * create none (api §1.4 A6). */
Test(tf1vars, get_variable_op_counts_and_reuse) {
  th_expect_prints(TF1_VARS "with tf.Session() as sess:\n"
                         "    sess.run(tf.global_variables_initializer())\n"
                         "    print(sess.run([w, v]))\n"
                         "    print(sess.run(v2))\n",
                SF_MODE_GRAPH, SF_PROFILE_TF1,
                "[array([[ 0.6107886 ,  0.65989125,  0.49158025],\n"
                "       [-0.589581  ,  0.49764156, -0.7002289 ]], dtype=float32), array([[ 0.5953282 ,  0.93787146,  "
                "1.0616102 ],\n"
                "       [-0.03552234,  0.31399727,  0.22796977]], dtype=float32)]\n"
                "[[ 0.5953282   0.93787146  1.0616102 ]\n"
                " [-0.03552234  0.31399727  0.22796977]]\n");
}

/* tf.layers.dense (api §1.3 ops): after the placeholder (id 21) the kernel's glorot
 * RandomUniform gets (1, 24); the layer makes 17 ops (kernel 10, bias zeros Const + 3,
 * MatMul, BiasAdd, Relu), so the next random_uniform gets (1, 41) (base §5.4: 3 Consts
 * first). y = relu([1, 1] @ K) with K = uniform(1, 24) scaled to +-sqrt(1.2). */
Test(tf1vars, layers_dense_op_count) {
  th_expect_prints(TF1_VARS "x = tf.placeholder(tf.float32, [1, 2])\n"
                         "y = tf.layers.dense(x, 3, activation=tf.nn.relu)\n"
                         "u = tf.random_uniform([1])\n"
                         "with tf.Session() as sess:\n"
                         "    sess.run(tf.global_variables_initializer())\n"
                         "    print(sess.run(y, feed_dict={x: [[1.0, 1.0]]}))\n"
                         "    print(sess.run(u))\n",
                SF_MODE_GRAPH, SF_PROFILE_TF1, "[[0.201406  0.        0.6617085]]\n[0.42575455]\n");
}

Test(tf1vars, errors) {
  sf_error e = failure(TF1_VARS "w = tf.get_variable('w', [2, 3])\n", SF_MODE_GRAPH, SF_PROFILE_TF1);
  cr_expect_str_eq(e.msg, "ValueError: Variable w already exists, disallowed. Did you mean to set reuse=True or "
                          "reuse=tf.AUTO_REUSE in VarScope?");
  cr_expect_eq(e.line, 10);
  e = failure(TF1_VARS "with tf.variable_scope('s', reuse=True):\n    tf.get_variable('u', [1])\n", SF_MODE_GRAPH,
              SF_PROFILE_TF1);
  cr_expect_str_eq(e.msg, "ValueError: Variable s/u does not exist, or was not created with tf.get_variable(). Did "
                          "you mean to set reuse=tf.AUTO_REUSE in VarScope?");
  e = failure("import tensorflow as tf\nx = tf.layers.dropout(tf.ones([2]), training=tf.constant(True))\n",
              SF_MODE_GRAPH, SF_PROFILE_TF1);
  cr_expect_str_eq(e.msg, "unsupported: tf.layers.dropout(training=<tensor>) (a tf.cond in a TF1 graph)");
}

/* ---- Dataset.map (lang/mod_tf_data.c) ---- */

/* api §2.3 B4 [V tf#35090, TF 1.14 eager]: the map function is its own graph, seeded with
 * the global seed 88; under the tf1 profile its op seed is that graph's _last_id (the
 * argument Placeholder + shape/min/max Consts = 4), under tf2 its counter (0). One kernel
 * per iterator, 256 blocks further per element; a new iterator starts again. Values are
 * u * (5.0f - 0.2f) + 0.2f of (88, 4) / (88, 0) at blocks 0, 256, 512 (base §4.2). */
#define MAP_PROGRAM                                                         \
  "import tensorflow as tf\n"                                               \
  "tf.compat.v1.set_random_seed(88)\n"                                      \
  "ds = tf.data.Dataset.range(4).map(lambda x: tf.random.uniform([1], 0.2, 5.0))\n" \
  "print([e.numpy() for e in ds.take(3)])\n"                                \
  "print([e.numpy() for e in ds.take(1)])\n"

Test(datamap, map_function_seed_rule_and_kernel_per_iterator) {
  th_expect_prints(MAP_PROGRAM, SF_MODE_EAGER, SF_PROFILE_TF1,
                "[array([0.44027787], dtype=float32), array([1.7892183], dtype=float32), array([2.8793733], "
                "dtype=float32)]\n[array([0.44027787], dtype=float32)]\n");
  th_expect_prints(MAP_PROGRAM, SF_MODE_EAGER, SF_PROFILE_TF2,
                "[array([1.2903101], dtype=float32), array([2.5755675], dtype=float32), array([3.5522637], "
                "dtype=float32)]\n[array([1.2903101], dtype=float32)]\n");
}

/* The mapped values flow on: x + uniform([]) of (88, 0) at blocks 0, 256, 512, batched. */
Test(datamap, map_then_batch) {
  th_expect_prints("import tensorflow as tf\n"
                "tf.random.set_seed(88)\n"
                "ds = tf.data.Dataset.range(3).map(lambda x: tf.cast(x, tf.float32) + tf.random.uniform([]))\n"
                "for e in ds.batch(2):\n"
                "    print(e.numpy())\n",
                SF_MODE_EAGER, SF_PROFILE_TF2, "[0.22714794 1.4949099 ]\n[2.698388]\n");
  sf_error e = failure("import tensorflow as tf\nds = tf.data.Dataset.range(3).map(lambda x: {'a': x})\n", SF_MODE_EAGER,
                       SF_PROFILE_TF2);
  cr_expect_str_eq(e.msg, "unsupported: a map function returning a dict (seedflow maps to tensors or a tuple of them)");
  cr_expect_eq(e.line, 2);
  e = failure("import tensorflow as tf\nds = tf.data.Dataset.range(3).map(lambda x: (x, (x, 1)))\n", SF_MODE_EAGER,
              SF_PROFILE_TF2);
  cr_expect_str_eq(e.msg, "unsupported: a map function returning a tuple holding a tuple (seedflow maps to tensors or a "
                          "tuple of them)");
  /* a list in the returned tuple is one tensor (tf.data's nest does not go into lists): packed */
  th_expect_prints("import tensorflow as tf\n"
                   "print(list(tf.data.Dataset.range(2).map(lambda x: (x, [x, 7])).as_numpy_iterator()))\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2, "[(0, array([0, 7])), (1, array([1, 7]))]\n");
}

/* A dataset of tuples is mapped with each tuple unpacked into the function's arguments
 * (structured_function.py _should_unpack), one Placeholder each: under the tf1 profile the
 * op seed counts both (2 Placeholders + shape/min/max Consts = 5), so the draws are those
 * of uniform(seed=5) called three times in eager mode (one kernel, 256 blocks a call);
 * under tf2 the counter gives 0, the values of MAP_PROGRAM. The second component flows
 * through the same calls. */
#define TUPLE_MAP_PROGRAM                                                                      \
  "import tensorflow as tf\n"                                                                  \
  "tf.compat.v1.set_random_seed(88)\n"                                                         \
  "ds = tf.data.Dataset.from_tensor_slices(([0, 1, 2, 3], [4., 5., 6., 7.]))\n"                \
  "ds = ds.map(lambda x, y: (tf.random.uniform([1], 0.2, 5.0), y * 2))\n"                      \
  "print([(a.numpy(), b.numpy()) for a, b in ds.take(3)])\n"

Test(datamap, tuple_elements_are_unpacked_into_the_arguments) {
  th_expect_prints(TUPLE_MAP_PROGRAM, SF_MODE_EAGER, SF_PROFILE_TF1,
                   "[(array([3.7116113], dtype=float32), 8.0), (array([4.897326], dtype=float32), 10.0), "
                   "(array([3.4209707], dtype=float32), 12.0)]\n");
  th_expect_prints("import tensorflow as tf\n"
                   "tf.compat.v1.set_random_seed(88)\n"
                   "print([tf.random.uniform([1], 0.2, 5.0, seed=5).numpy() for i in range(3)])\n",
                   SF_MODE_EAGER, SF_PROFILE_TF1,
                   "[array([3.7116113], dtype=float32), array([4.897326], dtype=float32), array([3.4209707], "
                   "dtype=float32)]\n");
  th_expect_prints(TUPLE_MAP_PROGRAM, SF_MODE_EAGER, SF_PROFILE_TF2,
                   "[(array([1.2903101], dtype=float32), 8.0), (array([2.5755675], dtype=float32), 10.0), "
                   "(array([3.5522637], dtype=float32), 12.0)]\n");
}

/* A map function may return a tuple (or a list, taken as a tuple: _should_pack): shuffle,
 * batch and take move whole tuples (the order of range(5).shuffle(5, seed=1) under
 * set_seed(3): 2 1 4 0 3), batch stacks each component; a 1-tuple stays a tuple. */
Test(datamap, map_to_tuples_then_shuffle_and_batch) {
  th_expect_prints("import tensorflow as tf\n"
                   "tf.random.set_seed(3)\n"
                   "print([int(x) for x in tf.data.Dataset.range(5).shuffle(5, seed=1)])\n"
                   "ds = tf.data.Dataset.range(5).map(lambda x: [x, tf.cast(x, tf.float32) / 2])\n"
                   "for a, b in ds.shuffle(5, seed=1).batch(2):\n"
                   "    print(a, b)\n"
                   "print(list(ds.take(2).as_numpy_iterator()))\n"
                   "ds2 = tf.data.Dataset.from_tensor_slices(([1, 2], [3, 4])).map(lambda x, y: x + y)\n"
                   "print(list(ds2.as_numpy_iterator()))\n"
                   "for e in tf.data.Dataset.from_tensor_slices(([1, 2],)).map(lambda x: (x,)):\n"
                   "    print(e)\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2,
                   "[2, 1, 4, 0, 3]\n"
                   "tf.Tensor([2 1], shape=(2,), dtype=int64) tf.Tensor([1.  0.5], shape=(2,), dtype=float32)\n"
                   "tf.Tensor([4 0], shape=(2,), dtype=int64) tf.Tensor([2. 0.], shape=(2,), dtype=float32)\n"
                   "tf.Tensor([3], shape=(1,), dtype=int64) tf.Tensor([1.5], shape=(1,), dtype=float32)\n"
                   "[(0, 0.0), (1, 0.5)]\n"
                   "[4, 6]\n"
                   "(<tf.Tensor: shape=(), dtype=int32, numpy=1>,)\n"
                   "(<tf.Tensor: shape=(), dtype=int32, numpy=2>,)\n");
}

/* Loop variables nested in lists and tuples stay through an eager loop's releasing (each
 * iteration's own nodes go); a dict among the loop variables, a body's or a branch's result
 * is a located error (its flat value was borrowed from an object the loop dropped). */
Test(control, nested_loop_variables_and_dicts) {
  static const char prog[] = "import tensorflow as tf\n"
                             "x = tf.constant([1.0, 2.0])\n"
                             "r = tf.while_loop(lambda i, p: i < 3, lambda i, p: (i + 1, [p[0] * 2.0]), (0, [x]))\n"
                             "s = tf.while_loop(lambda i, p: i < 3, lambda i, p: (i + 1, (p[0] * 2.0, p[1] + 1.0)), (0, (x, x)))\n"
                             "print(r[1][0].numpy(), s[1][0].numpy(), s[1][1].numpy(), int(s[0]))\n";
  th_expect_prints(prog, SF_MODE_EAGER, SF_PROFILE_TF2, "[ 8. 16.] [ 8. 16.] [4. 5.] 3\n");
  static const char *const progs[] = {
      "r = tf.while_loop(lambda d: d['i'] < 3, lambda d: d, [{'i': x}])\n",
      "r = tf.while_loop(lambda a: a < 3, lambda a: {'a': a + 1}, [x])\n",
      "r = tf.cond(x > 0, lambda: {'a': x}, lambda: {'a': x})\n"};
  static const char *const msgs[] = {"tf.while_loop's loop_vars", "a tf.while_loop body's result", "a tf.cond branch's result"};
  for (int i = 0; i < 3; i++) {
    char text[256], want[256];
    snprintf(text, sizeof text, "import tensorflow as tf\nx = tf.constant(1.0)\n%s", progs[i]);
    snprintf(want, sizeof want, "unsupported: %s holding a dict (seedflow takes tensors, numbers and lists or tuples of them)",
             msgs[i]);
    sf_error e = failure(text, SF_MODE_EAGER, SF_PROFILE_TF2);
    cr_expect_eq(e.line, 3);
    cr_expect_str_eq(e.msg, want);
  }
}
