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
 * element printed 0.05669468: 0.0566946752369 rounds up at 8 places, as NumPy prints it.
 * The text wraps, so it starts on a line of its own (python/framework/ops.py _numpy_text). */
Test(grad_rules, sqrt_grad_kernel_order_and_zero_dy) {
  char *got = eager_prints("import tensorflow as tf\n"
                           "x = tf.Variable([3.0, 5.0, 7.0, 0.0, 11.0, 13.0, 17.0, 19.0, 3.0])\n"
                           "w = tf.constant([0.1, 0.7, 0.3, 0.0, 0.9, 1.3, 0.2, 0.6, 0.1])\n" TAPE_OF("tf.reduce_sum(tf.sqrt(x) * w)")
                           "g = tape.gradient(y, x)\n"
                           "print(g)\n"
                           "print(float(g[0]), float(g[8]))\n");
  cr_expect_str_eq(got, "tf.Tensor(\n[0.02886751 0.15652475 0.05669468 0.         0.13568011 0.18027756\n"
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

/* math_grad.py _ProdGrad, _ConcatGradV2 (slices of grad), _PackGrad (unstack). Expected
 * values: NumPy float32 following the rules step by step — left = exclusive cumprod of
 * the reduced axis (transposed first), right = the same reversed, grad * left * right;
 * the concat parts as wc[:, :3] + 2 * wc[:, 3:]; the stack as ws[:, 0] + 2 * (ws[:, 1] *
 * w) (the w * w product's two Mul contributions summed). A zero in a row of x leaves the
 * others' gradient 0 and its own the product of the rest (no division by x); -0. is
 * 1 * (0 * -2), as TF prints it. Row-reduced x * 1.1 checks the transpose of axis 0. */
#define PROD_CONCAT_STACK \
  "import tensorflow as tf\n" \
  "x = tf.Variable([[1.5, -2.0, 0.0], [3.0, 0.25, -0.7]])\n" \
  "w = tf.Variable([0.3, 1.7, -1.1])\n" \
  "with tf.GradientTape(persistent=True) as tape:\n" \
  "    p = tf.reduce_sum(tf.reduce_prod(x, axis=1) * tf.constant([0.9, -1.3]))\n" \
  "    q = tf.reduce_sum(tf.reduce_prod(x * 1.1, axis=0))\n" \
  "    c = tf.reduce_sum(tf.concat([x, x * 2.0], axis=1) * tf.constant([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [0.5, -1.0, 1.5, -2.0, 2.5, -3.0]]))\n" \
  "    s = tf.reduce_sum(tf.stack([w, w * w], axis=-1) * tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))\n" \
  "print(tape.gradient(p, x).numpy())\n" \
  "print(tape.gradient(q, x).numpy())\n" \
  "print(tape.gradient(c, x).numpy())\n" \
  "print(tape.gradient(s, w).numpy())\n"
#define PROD_CONCAT_STACK_WANT \
  "[[-0.          0.         -2.6999998 ]\n" \
  " [ 0.22749999  2.7299998  -0.97499996]]\n" \
  "[[ 3.6300004  0.3025    -0.847    ]\n" \
  " [ 1.8150002 -2.42       0.       ]]\n" \
  "[[ 9.  12.  15. ]\n" \
  " [-3.5  4.  -4.5]]\n" \
  "[ 2.2      16.6      -8.200001]\n"

Test(grad_rules, prod_concat_stack) {
  char *got = eager_prints(PROD_CONCAT_STACK);
  cr_expect_str_eq(got, PROD_CONCAT_STACK_WANT);
  free(got);
}

/* The same rules inside @tf.function (the backward nodes join the traced graph). */
Test(grad_rules, prod_concat_stack_in_a_function) {
  sf_error err = {0};
  sf_trace *t = th_run_text("import tensorflow as tf\n"
                            "x = tf.Variable([[1.5, -2.0, 0.0], [3.0, 0.25, -0.7]])\n"
                            "w = tf.Variable([0.3, 1.7, -1.1])\n"
                            "@tf.function\n"
                            "def f():\n"
                            "    with tf.GradientTape(persistent=True) as tape:\n"
                            "        p = tf.reduce_sum(tf.reduce_prod(x, axis=1) * tf.constant([0.9, -1.3]))\n"
                            "        q = tf.reduce_sum(tf.reduce_prod(x * 1.1, axis=0))\n"
                            "        c = tf.reduce_sum(tf.concat([x, x * 2.0], axis=1) * tf.constant([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [0.5, -1.0, 1.5, -2.0, 2.5, -3.0]]))\n"
                            "        s = tf.reduce_sum(tf.stack([w, w * w], axis=-1) * tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]))\n"
                            "    return tape.gradient(p, x), tape.gradient(q, x), tape.gradient(c, x), tape.gradient(s, w)\n"
                            "for g in f():\n"
                            "    print(g.numpy())\n",
                            &(sf_run_options){.mode = SF_MODE_FUNCTION, .profile = SF_PROFILE_TF2}, &err);
  cr_assert(t, "run: %s (line %d)", err.msg, err.line);
  char *got = th_prints_and_free(t);
  cr_expect_str_eq(got, PROD_CONCAT_STACK_WANT);
  free(got);
}

/* array_grad.py _BroadcastToGrad on the engine: x [1, 3] broadcast to [2, 3], times w,
 * summed: dx = w summed over axis 0 (NumPy float32: [0.5 + 2.0, 0.25 - 1.0, 0.125 + 4.5]
 * = [2.5, -0.75, 4.625]), reshaped to [1, 3]; the shape input gets none. */
Test(grad_rules, broadcast_to) {
  sf_error err = {0};
  sf_graph *g = sf_graph_new(false);
  cr_assert(g);
  sf_tensor *xv = sf_tensor_new(SF_FLOAT32, &(sf_shape){2, {1, 3}}, &err);
  sf_tensor *wv = sf_tensor_new(SF_FLOAT32, &(sf_shape){2, {2, 3}}, &err);
  const double wvals[6] = {0.5, 0.25, 0.125, 2.0, -1.0, 4.5};
  for (int i = 0; i < 3; i++) sf_tensor_set(xv, i, i + 1.0);
  for (int i = 0; i < 6; i++) sf_tensor_set(wv, i, wvals[i]);
  sf_node *x, *w;
  cr_assert_eq(sf_graph_add_const(g, NULL, xv, &x, &err), SF_OK, "%s", err.msg);
  cr_assert_eq(sf_graph_add_const(g, NULL, wv, &w, &err), SF_OK, "%s", err.msg);
  sf_tensor_unref(xv);
  sf_tensor_unref(wv);
  sf_node *s, *ax;
  sf_tensor *sv = sf_tensor_new(SF_INT32, &(sf_shape){1, {2}}, &err), *av = sf_tensor_new(SF_INT32, &(sf_shape){1, {2}}, &err);
  sf_tensor_set(sv, 0, 2);
  sf_tensor_set(sv, 1, 3);
  sf_tensor_set(av, 0, 0);
  sf_tensor_set(av, 1, 1);
  cr_assert_eq(sf_graph_add_const(g, NULL, sv, &s, &err), SF_OK, "%s", err.msg);
  cr_assert_eq(sf_graph_add_const(g, NULL, av, &ax, &err), SF_OK, "%s", err.msg);
  sf_tensor_unref(sv);
  sf_tensor_unref(av);
  int axes = ax->id;
  int bc = th_add_op(g, "BroadcastTo", (int[]){x->id, s->id}, 2, NULL, 0, &err);
  int m = bc ? th_add_op(g, "Mul", (int[]){bc, w->id}, 2, NULL, 0, &err) : 0;
  int y = m ? th_add_op(g, "Sum", (int[]){m, axes}, 2, NULL, 0, &err) : 0;
  cr_assert(y, "%s", err.msg);
  sf_builder b = th_graph_builder(g, &err);
  int out[2] = {-1, -1};
  cr_assert_eq(sf_gradients(&b, y, (int[]){x->id, s->id}, 2, out), SF_OK, "%s", err.msg);
  cr_expect_eq(out[1], 0);
  const sf_node *dx = sf_graph_node(g, out[0]);
  char buf[64];
  cr_expect_str_eq(sf_shape_str(&dx->shape, buf, sizeof buf), "(1, 3)");
  sf_runtime rt = {0};
  sf_pass_planner plan;
  sf_run_options opt = {.passes = ""};
  rt.opt = &opt;
  cr_assert_eq(th_plan(&rt, &plan, NULL), SF_OK);
  sf_session ss;
  sf_session_init(&ss, g, 0);
  sf_tensor *got = NULL;
  cr_assert_eq(sf_session_run(&ss, &rt, &out[0], 1, NULL, 0, &got, NULL, &err), SF_OK, "%s", err.msg);
  cr_assert_eq(got->n, 3);
  const float want[3] = {2.5f, -0.75f, 4.625f};
  for (int i = 0; i < 3; i++) cr_expect_eq((float)sf_tensor_get(got, i), want[i], "dx[%d] = %.9g", i, sf_tensor_get(got, i));
  sf_tensor_unref(got);
  sf_session_free(&ss);
  sf_graph_free(g);
}

/* A released input on the backward pass is a releasing bug, never a silent None: the pass
 * stops with an internal error naming the op (engine/gradients.c backprop). */
Test(grad_rules, a_released_input_on_the_path_is_an_internal_error) {
  sf_error err = {0};
  sf_graph *g = sf_graph_new(false);
  cr_assert(g);
  sf_tensor *xv = sf_tensor_scalar_f32(2.0f, &err), *cv = sf_tensor_scalar_f32(3.0f, &err);
  sf_node *x, *c, *y;
  cr_assert_eq(sf_graph_add_const(g, NULL, xv, &x, &err), SF_OK, "%s", err.msg);
  cr_assert_eq(sf_graph_add_const(g, NULL, cv, &c, &err), SF_OK, "%s", err.msg);
  sf_tensor_unref(xv);
  sf_tensor_unref(cv);
  cr_assert_eq(sf_graph_add(g, "Mul", "y", (int[]){x->id, c->id}, 2, NULL, &y, &err), SF_OK, "%s", err.msg);
  int yid = y->id;
  sf_graph_release_node(g, c->id);
  sf_builder b = th_graph_builder(g, &err);
  int out = -1;
  cr_expect_eq(sf_gradients(&b, yid, &x->id, 1, &out), SF_EINTERNAL);
  cr_expect_str_eq(err.msg, "gradients: 'y' (Mul) needs input 1, whose eager value was released (a seedflow bug)");
  sf_graph_free(g);
}
