/* test_activations.c — Criterion suite `activations`: the Elu, Selu, Softplus, Softsign and
 * Exp kernels (ops/activations.c), their gradient rules and gradient kernels, bit for bit
 * against an independent NumPy float32 derivation (test/activation_bits.py under /usr/bin/python3, NumPy 1.24.2;
 * exp and log1p taken in float64 and rounded once, i.e. correctly rounded) of TF's
 * Eigen expressions: relu_op_functor.h (Elu: x < 0 ? exp(x) - 1 : x; Selu with the scale
 * 1.0507009873554805 and scale*alpha 1.7580993408473769 rounded to float32), softplus_op.h
 * (threshold log(eps) + 2; x, exp(x) or log1p(exp(x))), softsign_op.h (x / (|x| + 1)) and
 * nn_grad.py / math_grad.py (EluGrad/SeluGrad of the output, SoftplusGrad/SoftsignGrad of
 * the input, Exp's dy * y). The script, in NumPy float32 throughout:
 *   elu = where(x < 0, exp(x) - 1, x); selu = where(x < 0, sa * (exp(x) - 1), s * x)
 *   t = float32(log(eps)) + 2; softplus = where(x > -t, x, where(x < t, exp(x), log1p(exp(x))))
 *   softsign = x / (abs(x) + 1); elu_grad = where(elu < 0, (elu + 1) * dy, dy)
 *   selu_grad = where(selu < 0, dy * (selu + sa), dy * s); softplus_grad = dy / (exp(-x) + 1)
 *   softsign_grad = dy / ((abs(x) + 1) ** 2 as q * q) */
#include <criterion/criterion.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/graph.h"
#include "helpers.h"
#include "ops/ops.h"
#include "seedflow/seedflow.h"

static const uint32_t x_bits[] = {0xc1a00000, 0xc1680000, 0xc0600000, 0xbfa00000, 0xba83126f, 0x00000000, 0x3e99999a, 0x3f400000, 0x40200000, 0x41500000, 0x41680000, 0x41a00000};
static const uint32_t dy_bits[] = {0x3f000000, 0xbfc00000, 0x40000000, 0x3e800000, 0x40400000, 0xbf400000, 0x3f800000, 0xc0000000, 0x3e000000, 0x3fc00000, 0xbf000000, 0x40800000};
static const uint32_t elu_bits[] = {0xbf800000, 0xbf7ffff8, 0xbf7844fc, 0xbf36a79f, 0xba830200, 0x00000000, 0x3e99999a, 0x3f400000, 0x40200000, 0x41500000, 0x41680000, 0x41a00000};
static const uint32_t selu_bits[] = {0xbfe10966, 0xbfe1095f, 0xbfda3dbf, 0xbfa09007, 0xbae65323, 0x00000000, 0x3ea1633f, 0x3f49bc0e, 0x40281cb7, 0x415a8bba, 0x4173c33c, 0x41a81cb7};
static const uint32_t softplus_bits[] = {0x310da433, 0x35076282, 0x3cf3b726, 0x3e80fcd9, 0x3f315155, 0x3f317218, 0x3f5ab707, 0x3f9184fd, 0x40250c88, 0x41500002, 0x41680000, 0x41a00000};
static const uint32_t softsign_bits[] = {0xbf73cf3d, 0xbf6f7bdf, 0xbf471c72, 0xbf0e38e4, 0xba82f0e9, 0x00000000, 0x3e6c4ec6, 0x3edb6db7, 0x3f36db6e, 0x3f6db6db, 0x3f6f7bdf, 0x3f73cf3d};
static const uint32_t exp_bits[] = {0x310da433, 0x35076282, 0x3cf76081, 0x3e92b0c2, 0x3f7fbe7f, 0x3f800000, 0x3facc82d, 0x40077cee, 0x4142eb7f, 0x48d805ad, 0x49f2093a, 0x4de75844};
static const uint32_t elu_grad_bits[] = {0x00000000, 0xb5400000, 0x3d776080, 0x3d92b0c2, 0x403fcedf, 0xbf400000, 0x3f800000, 0xc0000000, 0x3e000000, 0x3fc00000, 0xbf000000, 0x40800000};
static const uint32_t selu_grad_bits[] = {0x00000000, 0xb5a80000, 0x3dd974e0, 0x3e00f2be, 0x40a89bdd, 0xbf49bc0e, 0x3f867d5f, 0xc0067d5f, 0x3e067d5f, 0x3fc9bc0e, 0xbf067d5f, 0x40867d5f};
static const uint32_t softplus_grad_bits[] = {0x308da433, 0xb54b13bc, 0x3d702034, 0x3d640b81, 0x3fbfe76d, 0xbec00000, 0x3f130eaa, 0xbfaddea8, 0x3dec948f, 0x3fbfffe4, 0xbefffff8, 0x40800000};
static const uint32_t softsign_grad_bits[] = {0x3a949b93, 0xbbcc963e, 0x3dca4588, 0x3d4a4588, 0x403f9dd7, 0xbf400000, 0x3f177ab4, 0xbf272f05, 0x3c272f05, 0x3bfac688, 0xbb08642a, 0x3c149b93};
enum { N = sizeof x_bits / sizeof *x_bits };

static int const_of(sf_graph *g, const uint32_t *bits) {
  sf_shape s = {.rank = 1, .dims = {N}};
  sf_tensor *t = sf_tensor_new(SF_FLOAT32, &s, NULL);
  cr_assert_not_null(t);
  memcpy(t->data, bits, sizeof(uint32_t) * N);
  sf_node *c;
  sf_error err = {0};
  cr_assert_eq(sf_graph_add_const(g, NULL, t, &c, &err), SF_OK, "%s", err.msg);
  sf_tensor_unref(t);
  return c->id;
}

/* Runs node `id` of g and compares its float32 bits with want. */
static void expect_bits(sf_graph *g, int id, const uint32_t *want, const char *what) {
  sf_runtime rt = {0};
  sf_pass_planner plan;
  sf_run_options opt = {.passes = ""};
  rt.opt = &opt;
  cr_assert_eq(th_plan(&rt, &plan, NULL), SF_OK);
  sf_session s;
  sf_session_init(&s, g, 0);
  sf_tensor *out = NULL;
  sf_error err = {0};
  cr_assert_eq(sf_session_run(&s, &rt, &id, 1, NULL, 0, &out, NULL, &err), SF_OK, "%s: %s", what, err.msg);
  cr_assert_eq(out->dtype, SF_FLOAT32);
  cr_assert_eq(out->n, N);
  for (int i = 0; i < N; i++) {
    uint32_t got;
    memcpy(&got, (const float *)out->data + i, sizeof got);
    cr_expect_eq(got, want[i], "%s[%d]: 0x%08x, want 0x%08x", what, i, got, want[i]);
  }
  sf_tensor_unref(out);
  sf_session_free(&s);
  sf_runtime_free(&rt);
}

/* The op on x, then its gradient rule on dy: the rule's op (and which of the op's tensors
 * it reads), then that op's value. */
static void check(const char *op, const uint32_t *y, const char *grad_op, bool of_output, const uint32_t *dx) {
  sf_graph *g = sf_graph_new(false);
  sf_error err = {0};
  int x = const_of(g, x_bits), dy = const_of(g, dy_bits);
  int n = th_add_op(g, op, &x, 1, NULL, 0, &err);
  cr_assert(n, "%s: %s", op, err.msg);
  expect_bits(g, n, y, op);
  sf_builder b = th_graph_builder(g, &err);
  int d[1] = {0};
  cr_assert_eq(sf_op_lookup(op)->grad(&b, sf_graph_node(g, n), dy, d), SF_OK, "%s grad: %s", op, err.msg);
  const sf_node *gn = sf_graph_node(g, d[0]);
  cr_expect_str_eq(gn->op->name, grad_op);
  cr_expect_eq(gn->inputs[0], dy);
  cr_expect_eq(gn->inputs[1], of_output ? n : x, "%s reads the op's %s", grad_op, of_output ? "output" : "input");
  expect_bits(g, d[0], dx, grad_op);
  sf_graph_free(g);
}

Test(activations, elu) { check("Elu", elu_bits, "EluGrad", true, elu_grad_bits); }
Test(activations, selu) { check("Selu", selu_bits, "SeluGrad", true, selu_grad_bits); }
Test(activations, softplus) { check("Softplus", softplus_bits, "SoftplusGrad", false, softplus_grad_bits); }
Test(activations, softsign) { check("Softsign", softsign_bits, "SoftsignGrad", false, softsign_grad_bits); }

/* Exp's rule is a Mul of dy and the op's output: its value is NumPy's dy * exp(x). */
Test(activations, exp) {
  uint32_t mul[N];
  float e[N], g[N];
  memcpy(e, exp_bits, sizeof e);
  memcpy(g, dy_bits, sizeof g);
  for (int i = 0; i < N; i++) {
    float p = g[i] * e[i];
    memcpy(&mul[i], &p, sizeof p);
  }
  check("Exp", exp_bits, "Mul", true, mul);
}

/* ---- Keras's activation= argument (lang/api_activations.c) ---- */

static char *run_tf2(const char *text, sf_error *err) {
  sf_run_options o = {.mode = SF_MODE_EAGER, .profile = SF_PROFILE_TF2};
  sf_trace *t = th_run_text(text, &o, err);
  return t ? th_prints_and_free(t) : NULL;
}

/* Dense(activation=a)(x) is a's op on the linear layer's output (Dense.call; keras/activations.py
 * maps each name to one op): the same kernel (tf.random.set_seed(5) before each layer), then
 * the op, for names, a Python callable and a tf.keras.activations function. */
Test(activations, dense_activation_is_the_op_on_the_linear_output) {
  sf_error err = {0};
  char *got = run_tf2("import tensorflow as tf\n"
                      "x = tf.constant([[0.5, -1.0, 2.0], [-3.0, 0.25, 1.5]])\n"
                      "def my_softplus(z):\n"
                      "    return tf.math.softplus(z)\n"
                      "for act, f in [('elu', tf.nn.elu), ('selu', tf.nn.selu), ('softplus', tf.nn.softplus),\n"
                      "               ('softsign', tf.nn.softsign), ('exponential', tf.exp), ('relu', tf.nn.relu),\n"
                      "               (my_softplus, tf.nn.softplus), (tf.keras.activations.elu, tf.nn.elu)]:\n"
                      "    tf.random.set_seed(5)\n"
                      "    y1 = tf.keras.layers.Dense(2, activation=act)(x)\n"
                      "    tf.random.set_seed(5)\n"
                      "    y2 = f(tf.keras.layers.Dense(2)(x))\n"
                      "    print(bool(tf.reduce_all(y1 == y2)))\n",
                      &err);
  cr_assert(got, "run: %s (line %d)", err.msg, err.line);
  cr_expect_str_eq(got, "True\nTrue\nTrue\nTrue\nTrue\nTrue\nTrue\nTrue\n");
  free(got);
}

/* keras.backend.elu with alpha != 1: where_v2(x > 0, elu(x), alpha * elu(x)). */
Test(activations, keras_elu_alpha) {
  sf_error err = {0};
  char *got = run_tf2("import tensorflow as tf\n"
                      "x = tf.constant([-2.0, 0.0, 1.5])\n"
                      "print(tf.keras.activations.elu(x, alpha=0.5).numpy())\n"
                      "print(tf.keras.activations.elu(x).numpy())\n",
                      &err);
  cr_assert(got, "run: %s (line %d)", err.msg, err.line);
  /* NumPy float32: 0.5 * (exp(-2) - 1) = -0.43233237; exp(-2) - 1 = -0.86466473 */
  cr_expect_str_eq(got, "[-0.43233237  0.          1.5       ]\n[-0.86466473  0.          1.5       ]\n");
  free(got);
}

static void expect_error(const char *text, const char *want, int line) {
  sf_error err = {0};
  char *got = run_tf2(text, &err);
  cr_assert_null(got, "expected an error:\n%s", text);
  cr_expect_str_eq(err.msg, want);
  cr_expect_eq(err.line, line);
}

Test(activations, unsupported_activations_are_located_errors) {
  expect_error("import tensorflow as tf\n"
               "d = tf.keras.layers.Dense(2, activation='swish')\n",
               "Dense: unsupported activation 'swish'", 2);
  expect_error("import tensorflow as tf\n\n"
               "d = tf.keras.layers.Dense(2, activation=3)\n",
               "Dense: activation must be a name such as 'relu' or a callable", 3);
  expect_error("import tensorflow as tf\n"
               "print(tf.keras.activations.relu(tf.constant([1.0]), max_value=6.0))\n",
               "relu: unsupported: alpha, max_value or threshold other than the defaults", 2);
}
