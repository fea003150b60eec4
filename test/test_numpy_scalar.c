/* test_numpy_scalar.c — Criterion suite `npscalar`: what TensorFlow hands a program as a
 * NumPy scalar (lang/mod_numpy_scalar.c). .numpy() of a 0-d eager tensor, sess.run and
 * .eval() of a scalar fetch (session.py's fetch mapper) and the elements of a .numpy()
 * array are numpy.float32 values: they print the float32's shortest digits and compute by
 * NumPy 1.24's scalar rules (a Python number makes the result float64). A NumPy scalar
 * given to tf.constant keeps its type. The programs' NumPy-only parts are checked
 * against CPython in test/python/91_numpy_scalars.py. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "seedflow/seedflow.h"

static void expect(const char *text, sf_mode mode, const char *want) { th_expect_prints(text, mode, SF_PROFILE_TF2, want); }

/* tf.random.set_seed(1); tf.random.uniform([3]) is 0.16513085, 0.9014813, 0.6309742
 * (bits 0x3e29185c, 0x3f66c72e, 0x3f218771: the eager golden of test_eager). */
Test(npscalar, eager_numpy_elements_are_float32_scalars) {
  expect("import tensorflow as tf\n"
         "tf.random.set_seed(1)\n"
         "x = tf.random.uniform([3])\n"
         "v = x.numpy()\n"
         "print(v[0], type(v[0]), x[1].numpy(), type(x[1].numpy()))\n"
         "for e in v:\n"
         "    print(e, end=' ')\n"
         "print(list(v), v.tolist()[0])\n"
         "print(v[0] * 2, type(v[0] * 2), v[0] * v[1], round(v[2], 2))\n"
         "print(f'{v[0]}', '%s' % v[0], float(v[0]), v[0].item())\n",
         SF_MODE_EAGER,
         "0.16513085 <class 'numpy.float32'> 0.9014813 <class 'numpy.float32'>\n"
         "0.16513085 0.9014813 0.6309742 [0.16513085, 0.9014813, 0.6309742] 0.1651308536529541\n"
         "0.3302617073059082 <class 'numpy.float64'> 0.14886238 0.63\n"
         "0.1651308536529541 0.16513085 0.1651308536529541 0.1651308536529541\n");
}

/* session.py: run() of a scalar fetch returns a NumPy scalar (a list of fetches a list of
 * them); sess.run(b) * 2 is then float64. */
Test(npscalar, session_fetches_are_numpy_scalars) {
  expect("import tensorflow as tf\n"
         "tf.compat.v1.disable_eager_execution()\n"
         "tf.compat.v1.set_random_seed(1)\n"
         "a = tf.random.uniform([])\n"
         "b = tf.reduce_mean(tf.random.uniform([4]))\n"
         "with tf.compat.v1.Session() as sess:\n"
         "    r = sess.run(a)\n"
         "    print(r, type(r), sess.run([a, b]), sess.run(b) * 2)\n"
         "    print(type(b.eval()), round(b.eval(), 3))\n",
         SF_MODE_GRAPH,
         "0.81269646 <class 'numpy.float32'> [0.5272893, 0.10411611] 1.4708716869354248\n"
         "<class 'numpy.float32'> 0.484\n"); /* each eval() is a new run: b draws anew */
}

/* convert_to_tensor of a NumPy scalar takes its dtype (a Python float would be float32, a
 * Python int int32); beside a tensor it converts to the tensor's dtype, as a number does.
 * A NumPy array is no tf.Tensor, nor an eager tensor an ndarray. */
Test(npscalar, a_numpy_scalar_keeps_its_dtype_in_tf_constant) {
  expect("import numpy as np\n"
         "import tensorflow as tf\n"
         "print(tf.constant(np.float64(0.5)).dtype, tf.constant(np.array([1, 2]).sum()).dtype)\n"
         "print(tf.constant(np.float32(0.1)), tf.ones([2]) * np.float64(2.0))\n"
         "t = tf.constant(1.0)\n"
         "print(isinstance(t, tf.Tensor), isinstance(np.zeros(2), tf.Tensor), isinstance(t, np.ndarray),\n"
         "      isinstance(t.numpy(), np.float32), type(t.numpy()) is np.float32)\n"
         "u = t + 1.0\n"
         "print(type(u.numpy()), u.numpy(), type((u * 2.0).numpy()))\n",
         SF_MODE_EAGER,
         "<dtype: 'float64'> <dtype: 'int64'>\n"
         "tf.Tensor(0.1, shape=(), dtype=float32) tf.Tensor([2. 2.], shape=(2,), dtype=float32)\n"
         "True False False True True\n"
         "<class 'numpy.float32'> 2.0 <class 'numpy.float32'>\n");
}

/* np.float32 is a type to call as well as a dtype; tf.float32 is not callable. */
Test(npscalar, numpy_types_are_callable) {
  expect("import numpy as np\n"
         "print(np.float32(0.1), np.float32('2.5'), np.int64(2.7), np.float32([1, 2]), np.float64(), type(np.int32(3)))\n",
         SF_MODE_EAGER, "0.1 2.5 2 [1. 2.] 0.0 <class 'numpy.int32'>\n");
  sf_error err = {0};
  cr_expect_null(th_run_text("import tensorflow as tf\nx = tf.float32(1)\n",
                             &(sf_run_options){.mode = SF_MODE_EAGER, .profile = SF_PROFILE_TF2}, &err));
  cr_expect_str_eq(err.msg, "TypeError: 'DType' object is not callable");
  cr_expect_eq(err.line, 2);
}

/* type() of TensorFlow's values: an eager tensor is ops.EagerTensor in every TF 2.x, a
 * graph's tensor ops.Tensor until TF 2.13 and ops.SymbolicTensor from it (TF 2.13's
 * RELEASE.md), a tf.Variable a ResourceVariable, a dtype a DType. */
Test(npscalar, types_of_tensorflow_values) {
  const char *prog = "import tensorflow as tf\n"
                     "x = tf.constant(1.0)\n"
                     "print(type(x), type(tf.Variable(1.0)), type(tf.float32))\n"
                     "@tf.function\n"
                     "def f():\n"
                     "    print(type(tf.constant(2.0)))\n"
                     "    return 0\n"
                     "f()\n";
  expect(prog, SF_MODE_FUNCTION,
         "<class 'tensorflow.python.framework.ops.EagerTensor'> "
         "<class 'tensorflow.python.ops.resource_variable_ops.ResourceVariable'> "
         "<class 'tensorflow.python.framework.dtypes.DType'>\n"
         "<class 'tensorflow.python.framework.ops.Tensor'>\n");
  sf_error err = {0};
  sf_trace *t = th_run_text(prog, &(sf_run_options){.mode = SF_MODE_FUNCTION, .profile = SF_PROFILE_KERAS3}, &err);
  cr_assert(t, "run: %s", err.msg);
  char *got = th_prints_and_free(t);
  cr_expect(strstr(got, "\n<class 'tensorflow.python.framework.ops.SymbolicTensor'>\n"), "keras3 (TF 2.16): %s", got);
  free(got);
  /* TF 2's tf.Variable in a graph is still a resource variable */
  expect("import tensorflow as tf\ntf.compat.v1.disable_eager_execution()\nprint(type(tf.Variable(1.0)))\n", SF_MODE_GRAPH,
         "<class 'tensorflow.python.ops.resource_variable_ops.ResourceVariable'>\n");
}
