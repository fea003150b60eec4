/* test_grad_rules.c — Criterion suite `grad_rules`: which ops the backward pass
 * (engine/gradients.c) differentiates, which stop the gradient (TF's ops.NotDifferentiable)
 * and which raise TF's LookupError. Expected floats come from NumPy float32
 * (/usr/bin/python3) following math_grad.py: _SqrtGrad (0.5 * dy) / sqrt(x), _AbsGrad
 * dy * sign(x), _SumGrad dy broadcast back, _MaximumMinimumGrad. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "engine/graph.h"
#include "helpers.h"
#include "ops/ops.h"
#include "seedflow/seedflow.h"

static char *eager_prints(const char *text) {
  sf_error err = {0};
  sf_trace *t = th_run_text(text, &(sf_run_options){.mode = SF_MODE_EAGER, .profile = SF_PROFILE_TF2}, &err);
  cr_assert(t, "run: %s (line %d)", err.msg, err.line);
  return th_prints_and_free(t);
}

#define TAPE_OF(expr) \
  "with tf.GradientTape() as tape:\n" \
  "    y = " expr "\n"

/* dy = w reaches Sqrt through _MulGrad; x holds a tiny value, so a rule that divided by
 * x instead of sqrt(x) would differ in every digit. */
Test(grad_rules, sqrt) {
  char *got = eager_prints("import tensorflow as tf\n"
                           "x = tf.Variable([[4.0, 0.09], [1e-4, 2.25]])\n"
                           "w = tf.constant([[1.0, 2.0], [3.0, -0.5]])\n" TAPE_OF("tf.reduce_sum(tf.sqrt(x) * w)")
                           "print(tape.gradient(y, x).numpy())\n");
  cr_expect_str_eq(got, "[[  0.25         3.3333333 ]\n"
                        " [150.          -0.16666667]]\n");
  free(got);
}

/* SqrtGrad (cwise_ops_gradients.h scalar_sqrt_gradient_op): 0 where dy is 0 (x = 0 with
 * w = 0 gives 0, not 0 * inf); elements 0-7 take the packet path (0.5 / y) * dy, element
 * 8 the scalar path (0.5 * dy) / y. Elements 0 and 8 have the same x and w but differ in
 * the last bit: NumPy float32 gives 0.028867512941360474 and 0.028867514804005623. An
 * element printed 0.05669468: 0.0566946752369 rounds up at 8 places, as NumPy prints it. */
Test(grad_rules, sqrt_grad_kernel_order_and_zero_dy) {
  char *got = eager_prints("import tensorflow as tf\n"
                           "x = tf.Variable([3.0, 5.0, 7.0, 0.0, 11.0, 13.0, 17.0, 19.0, 3.0])\n"
                           "w = tf.constant([0.1, 0.7, 0.3, 0.0, 0.9, 1.3, 0.2, 0.6, 0.1])\n" TAPE_OF("tf.reduce_sum(tf.sqrt(x) * w)")
                           "g = tape.gradient(y, x)\n"
                           "print(g)\n"
                           "print(float(g[0]), float(g[8]))\n");
  cr_expect_str_eq(got, "tf.Tensor([0.02886751 0.15652475 0.05669468 0.         0.13568011 0.18027756\n"
                        " 0.02425356 0.06882472 0.02886751], shape=(9,), dtype=float32)\n"
                        "0.028867512941360474 0.028867514804005623\n");
  free(got);
}

/* _StridedSliceGrad: dy written back where the slice read, a reverse stride included;
 * two slices of one tensor add up (row 1 gets 1 from x[1] on top). */
Test(grad_rules, strided_slice) {
  char *got = eager_prints("import tensorflow as tf\n"
                           "x = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])\n"
                           "with tf.GradientTape() as tape:\n"
                           "    v = x * 1.0\n"
                           "    y = tf.reduce_sum(v[:, ::-2] * tf.constant([[1.0, 2.0], [3.0, 4.0]])) + tf.reduce_sum(v[1])\n"
                           "print(tape.gradient(y, x))\n");
  cr_expect_str_eq(got, "tf.Tensor(\n[[2. 0. 1.]\n [5. 1. 4.]], shape=(2, 3), dtype=float32)\n");
  free(got);
}

/* _MinOrMaxGrad: the extreme elements get grad / (number of ties), the others 0. */
Test(grad_rules, reduce_max_min_share_ties) {
  char *got = eager_prints("import tensorflow as tf\n"
                           "x = tf.Variable([[1.0, 5.0, 5.0], [4.0, 2.0, 6.0]])\n"
                           "with tf.GradientTape(persistent=True) as tape:\n"
                           "    v = x * 1.0\n"
                           "    y = tf.reduce_sum(tf.reduce_max(v, axis=1) * tf.constant([1.0, 2.0]))\n"
                           "    z = tf.reduce_min(v, axis=0, keepdims=True)\n"
                           "print(tape.gradient(y, x))\n"
                           "print(tape.gradient(z, x))\n");
  cr_expect_str_eq(got, "tf.Tensor(\n[[0.  0.5 0.5]\n [0.  0.  2. ]], shape=(2, 3), dtype=float32)\n"
                        "tf.Tensor(\n[[1. 0. 1.]\n [0. 1. 0.]], shape=(2, 3), dtype=float32)\n");
  free(got);
}

/* Sign of 0 is 0, so |x| at 0 passes no gradient (as TF). */
Test(grad_rules, abs) {
  char *got = eager_prints("import tensorflow as tf\n"
                           "c = tf.constant([-1.5, 0.0, 2.0])\n"
                           "with tf.GradientTape() as tape:\n"
                           "    tape.watch(c)\n"
                           "    y = tf.reduce_sum(tf.abs(c) * tf.constant([1.0, 2.0, 3.0]))\n"
                           "print(tape.gradient(y, c))\n");
  cr_expect_str_eq(got, "tf.Tensor([-1.  0.  3.], shape=(3,), dtype=float32)\n");
  free(got);
}

Test(grad_rules, sum_keep_dims) {
  char *got = eager_prints("import tensorflow as tf\n"
                           "m = tf.Variable([[1.0, -2.0], [0.5, 3.0]])\n" TAPE_OF(
                               "tf.reduce_sum(m * m, axis=1, keepdims=True)") "print(tape.gradient(y, m))\n");
  cr_expect_str_eq(got, "tf.Tensor(\n[[ 2. -4.]\n [ 1.  6.]], shape=(2, 2), dtype=float32)\n");
  free(got);
}

/* _MaximumMinimumGrad: ties (x == y at 2.0) go to x for both Maximum (GreaterEqual) and
 * Minimum (LessEqual); the scalar y sums its share over the broadcast axis. */
Test(grad_rules, maximum_minimum) {
  char *got = eager_prints("import tensorflow as tf\n"
                           "x = tf.Variable([1.0, 2.0, 3.0])\n"
                           "y = tf.Variable(2.0)\n"
                           "w = tf.constant([0.1, 0.2, 0.3])\n"
                           "v = tf.constant([0.7, 1.1, -0.4])\n"
                           "with tf.GradientTape() as tape:\n"
                           "    l = tf.reduce_sum(tf.maximum(x, y) * w) + tf.reduce_sum(tf.minimum(x, y) * v)\n"
                           "gx, gy = tape.gradient(l, [x, y])\n"
                           "print(gx.numpy(), gy.numpy())\n");
  cr_expect_str_eq(got, "[0.7       1.3000001 0.3      ] -0.3\n");
  free(got);
}

/* stateless_random_ops.py: ops.NotDifferentiable("StatelessRandomNormal"). The seed
 * depends on the watched s, so the op is on the path: its gradient is None, not an error. */
Test(grad_rules, none_through_a_random_op) {
  char *got = eager_prints("import tensorflow as tf\n"
                           "s = tf.constant([1.0, 2.0])\n"
                           "with tf.GradientTape() as tape:\n"
                           "    tape.watch(s)\n"
                           "    r = tf.random.stateless_normal([2], seed=tf.cast(s, tf.int64))\n"
                           "print(tape.gradient(r, s))\n");
  cr_expect_str_eq(got, "None\n");
  free(got);
}

/* random_ops.py registers no gradient for RandomShuffle: gradients_util.py's LookupError,
 * at the gradient() call, catchable as LookupError. */
#define SHUFFLE_TAPE "import tensorflow as tf\nx = tf.Variable([1.0, 2.0, 3.0])\n" TAPE_OF("tf.random.shuffle(x, seed=1)")
#define SHUFFLE_ERROR "LookupError: No gradient defined for operation 'RandomShuffle' (op type: RandomShuffle)"

Test(grad_rules, lookup_error_for_an_op_without_a_rule) {
  sf_error err = {0};
  sf_trace *t = th_run_text(SHUFFLE_TAPE "tape.gradient(y, x)\n",
                            &(sf_run_options){.mode = SF_MODE_EAGER, .profile = SF_PROFILE_TF2}, &err);
  cr_assert_null(t, "the run should fail");
  cr_expect_eq(err.line, 5, "line %d", err.line);
  char *nl = strchr(err.msg, '\n');
  if (nl) *nl = 0;
  cr_expect_str_eq(err.msg, SHUFFLE_ERROR);
  char *got = eager_prints(SHUFFLE_TAPE "try:\n"
                                        "    tape.gradient(y, x)\n"
                                        "except LookupError as e:\n"
                                        "    print('LookupError:', e)\n");
  cr_expect_str_eq(got, SHUFFLE_ERROR "\n");
  free(got);
}

/* The engine itself over a plain graph: a no-gradient op stops the flow (out is 0), and
 * the same path through an op with no rule is the error naming it. */
Test(grad_rules, engine_stop_and_error) {
  sf_error err = {0};
  sf_graph *g = sf_graph_new(false);
  cr_assert(g);
  sf_shape s2 = {1, {2}};
  sf_tensor *xv = sf_tensor_new(SF_FLOAT32, &s2, &err);
  sf_tensor_set(xv, 0, 1.0);
  sf_tensor_set(xv, 1, 2.0);
  sf_node *x;
  cr_assert_eq(sf_graph_add_const(g, NULL, xv, &x, &err), SF_OK, "%s", err.msg);
  sf_tensor_unref(xv);
  int shape = th_shape_const(g, 2);
  sf_node *cast;
  cr_assert_eq(sf_graph_add(g, "Cast", NULL, &x->id, 1, (sf_attr_value[]){{.type = SF_INT64}}, &cast, &err), SF_OK, "%s",
               err.msg);
  int seed = cast->id;
  int r = th_add_op(g, "StatelessRandomNormal", (int[]){shape, seed}, 2, NULL, 0, &err);
  cr_assert(r, "%s", err.msg);
  int sh = th_add_op(g, "RandomShuffle", &x->id, 1, "seed", 1, &err);
  cr_assert(sh, "%s", err.msg);
  sf_builder b = th_graph_builder(g, &err);
  int out = -1;
  cr_expect_eq(sf_gradients(&b, r, &x->id, 1, &out), SF_OK, "%s", err.msg);
  cr_expect_eq(out, 0);
  cr_expect_eq(sf_gradients(&b, sh, &x->id, 1, &out), SF_ENAME);
  cr_expect_str_eq(err.msg, "No gradient defined for operation 'RandomShuffle' (op type: RandomShuffle)");
  sf_graph_free(g);
}
