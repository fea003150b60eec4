/* test_optim.c — the optimizer kernels of ops/optim_ext.c, bit for bit, and the Keras and
 * TF1 optimizers built on them (lang/api_optim.c).
 *
 * Kernel expectations: an independent NumPy float32 derivation (/usr/bin/python3, every
 * array and scalar np.float32, so each operation rounds once as Eigen's float32
 * expressions do), written from training_ops.cc's functors:
 *   Adam:      alpha = f32(lr*sqrt(1-b2p)) / (1-b1p); m = m + (g-m)*(1-b1);
 *              v = v + (g*g-v)*(1-b2); var = var - m*alpha / (sqrt(v)+eps)
 *              (nesterov: (g*(1-b1) + b1*m)*alpha), b1p = f32(0.9)**f32(t) (np.power = powf)
 *   Momentum:  acc = acc*mom + g; var = var - acc*lr (nesterov: var - (g*lr + acc*mom*lr))
 *   Keras:     acc = acc*mom - g*lr; var = var + acc (nesterov: var + (acc*mom - g*lr))
 *   RMSProp:   ms = ms + (g*g-ms)*(1-rho); mom = mom*momentum + g*lr/sqrt(ms+eps); var -= mom
 *   AdagradV2: acc = acc + g*g; var = var - g*lr/(sqrt(acc)+eps)
 * var0 = [0.5, -1.25, 2.0, 0.1], slots 0 (Adagrad's accumulator 0.1), gradients
 * [0.3,-0.7,1.1,-0.05], [-0.2,0.4,0.9,0.6], [0.05,-0.3,-1.5,0.25]; the bits after 3 steps. */
#include <criterion/criterion.h>
#include <string.h>

#include "engine/exec.h"
#include "helpers.h"
#include "ops/ops.h"
#include "seedflow/seedflow.h"

static const float var0[4] = {0.5f, -1.25f, 2.0f, 0.1f};
static const float grads[3][4] = {{0.3f, -0.7f, 1.1f, -0.05f}, {-0.2f, 0.4f, 0.9f, 0.6f}, {0.05f, -0.3f, -1.5f, 0.25f}};

static sf_tensor *vec(const float *x) {
  sf_shape s = {1, {4}};
  sf_tensor *t = sf_tensor_new(SF_FLOAT32, &s, NULL);
  memcpy(t->data, x, sizeof(float) * 4);
  return t;
}

static int scalar_const(sf_graph *g, float x) {
  sf_shape s = {0};
  sf_tensor *t = sf_tensor_new(SF_FLOAT32, &s, NULL);
  *(float *)t->data = x;
  sf_node *c;
  sf_error err = {0};
  cr_assert_eq(sf_graph_add_const(g, NULL, t, &c, &err), SF_OK, "%s", err.msg);
  sf_tensor_unref(t);
  return c->id;
}

/* Runs op three times, each a fresh graph whose inputs are the scalars of step t
 * (scalars(t, out)) and gradient t; variables 0..nslots (var first) in one runtime. */
typedef int (*scalars_fn)(int t, float *out);

static void run3(const char *op, const char *const *slot_attrs, int nslots, float slot0, scalars_fn sc, int grad_at,
                 const char *bool_attr, bool flag, sf_tensor **vars) {
  sf_runtime rt = {0};
  sf_pass_planner plan;
  sf_run_options opt = {.passes = ""};
  rt.opt = &opt;
  cr_assert_eq(th_plan(&rt, &plan, NULL), SF_OK);
  rt.vars = calloc(4, sizeof *rt.vars);
  rt.nvars = rt.capvars = 1 + nslots;
  rt.vars[0] = vec(var0);
  float z[4] = {slot0, slot0, slot0, slot0};
  for (int i = 1; i <= nslots; i++) rt.vars[i] = vec(z);
  const sf_op_def *d = sf_op_lookup(op);
  cr_assert_not_null(d, "%s", op);
  for (int t = 0; t < 3; t++) {
    sf_graph *g = sf_graph_new(false);
    float s[8];
    int ns = sc(t, s), in[8], n = 0;
    for (int i = 0; i < ns; i++) {
      if (n == grad_at) {
        sf_tensor *gt = vec(grads[t]);
        sf_node *c;
        sf_error err = {0};
        cr_assert_eq(sf_graph_add_const(g, NULL, gt, &c, &err), SF_OK);
        sf_tensor_unref(gt);
        in[n++] = c->id;
      }
      in[n++] = scalar_const(g, s[i]);
    }
    if (n == grad_at) {
      sf_tensor *gt = vec(grads[t]);
      sf_node *c;
      sf_error err = {0};
      cr_assert_eq(sf_graph_add_const(g, NULL, gt, &c, &err), SF_OK);
      sf_tensor_unref(gt);
      in[n++] = c->id;
    }
    sf_attr_value a[8];
    for (int i = 0; i < d->nattrs; i++) a[i] = d->attrs[i].dflt;
    for (int i = 0; i < nslots; i++) a[sf_attr_index(d, slot_attrs[i])].i = i + 1;
    if (bool_attr) a[sf_attr_index(d, bool_attr)].b = flag;
    sf_error err = {0};
    sf_node *node;
    cr_assert_eq(sf_graph_add(g, op, NULL, in, n, a, &node, &err), SF_OK, "%s: %s", op, err.msg);
    sf_session sess;
    sf_session_init(&sess, g, 0);
    sf_tensor *out = NULL;
    cr_assert_eq(sf_session_run(&sess, &rt, &node->id, 1, NULL, 0, &out, NULL, &err), SF_OK, "%s: %s", op, err.msg);
    cr_expect_eq(memcmp(out->data, rt.vars[0]->data, sizeof(float) * 4), 0, "%s: output is the new variable", op);
    sf_tensor_unref(out);
    sf_session_free(&sess);
    sf_graph_free(g);
  }
  for (int i = 0; i <= nslots; i++) vars[i] = rt.vars[i];
  free(rt.vars);
  rt.vars = NULL;
  rt.nvars = 0;
  sf_runtime_free(&rt);
}

static void expect_bits(const char *what, const sf_tensor *t, const uint32_t *want) {
  uint32_t got[4];
  memcpy(got, t->data, sizeof got);
  for (int i = 0; i < 4; i++)
    cr_expect_eq(got[i], want[i], "%s[%d]: 0x%08x, NumPy float32 0x%08x", what, i, got[i], want[i]);
}

/* beta1_power, beta2_power as NumPy's f32(0.9)**f32(t) and f32(0.999)**f32(t). */
static const uint32_t b1p_bits[3] = {0x3f666666, 0x3f4f5c28, 0x3f3a9fbd}, b2p_bits[3] = {0x3f7fbe77, 0x3f7f7cff, 0x3f7f3b97};
static float from_bits(uint32_t b) {
  float f;
  memcpy(&f, &b, sizeof f);
  return f;
}
static int adam_scalars(int t, float *s) {
  s[0] = from_bits(b1p_bits[t]), s[1] = from_bits(b2p_bits[t]);
  s[2] = 0.001f, s[3] = 0.9f, s[4] = 0.999f, s[5] = 1e-7f;
  return 6;
}

Test(optim, adam_three_steps_bit_exact) {
  static const char *const slots[] = {"m", "v"};
  static const uint32_t want[2][3][4] = {
      {{0x3eff4ff9, 0xbf9fcbed, 0x3fffbcc3, 0x3dcbf034},
       {0x3c3923a4, 0xbd4faad0, 0x3ca4a8c0, 0x3d997f65},
       {0x390ab436, 0x3a41af73, 0x3b8bcfd0, 0x39dea0d0}},
      {{0x3eff091e, 0xbf9fb52a, 0x3fffa279, 0x3dcc0d3d},
       {0x3c3923a4, 0xbd4faad0, 0x3ca4a8c0, 0x3d997f65},
       {0x390ab436, 0x3a41af73, 0x3b8bcfd0, 0x39dea0d0}},
  };
  for (int nest = 0; nest < 2; nest++) {
    sf_tensor *v[3];
    run3("ResourceApplyAdam", slots, 2, 0, adam_scalars, 6, "use_nesterov", nest, v);
    static const char *what[] = {"var", "m", "v"};
    for (int i = 0; i < 3; i++) expect_bits(what[i], v[i], want[nest][i]), sf_tensor_unref(v[i]);
  }
}

static int momentum_scalars(int t, float *s) { /* lr, (grad), momentum */
  (void)t;
  s[0] = 0.01f, s[1] = 0.9f;
  return 2;
}

Test(optim, momentum_and_keras_momentum_three_steps_bit_exact) {
  static const char *const slots[] = {"accum"};
  static const uint32_t want[4][2][4] = {
      {{0x3efd86ec, 0xbf9e2920, 0x3ffbea5f, 0x3db31b9c}, {0x3de76c8c, 0xbf01cac0, 0x3e4dd2f0, 0x3f3fdf3c}},
      {{0x3efd01a0, 0xbf9d939b, 0x3ffbaf18, 0x3da54b06}, {0x3de76c8c, 0xbf01cac0, 0x3e4dd2f0, 0x3f3fdf3c}},
      {{0x3efd86ec, 0xbf9e2920, 0x3ffbea5f, 0x3db31b9c}, {0xba941c80, 0x3ba6223d, 0xbb03ba34, 0xbbf5989d}},
      {{0x3efd01a0, 0xbf9d939b, 0x3ffbaf18, 0x3da54b06}, {0xba941c80, 0x3ba6223d, 0xbb03ba34, 0xbbf5989d}},
  };
  for (int k = 0; k < 4; k++) {
    sf_tensor *v[2];
    run3(k < 2 ? "ResourceApplyMomentum" : "ResourceApplyKerasMomentum", slots, 1, 0, momentum_scalars, 1,
         "use_nesterov", k % 2, v);
    expect_bits(k < 2 ? "var (Momentum)" : "var (KerasMomentum)", v[0], want[k][0]);
    expect_bits("accum", v[1], want[k][1]);
    sf_tensor_unref(v[0]), sf_tensor_unref(v[1]);
  }
}

static int rmsprop_scalars(int t, float *s) { /* lr rho momentum epsilon */
  (void)t;
  s[0] = 0.001f, s[1] = 0.9f, s[2] = 0.5f, s[3] = 1e-7f;
  return 4;
}

Test(optim, rmsprop_three_steps_bit_exact) {
  static const char *const slots[] = {"ms", "mom"};
  static const uint32_t want[3][4] = {{0x3efe5207, 0xbf9f73ba, 0x3fff3345, 0x3dcbd97a},
                                      {0x3c36848f, 0x3d813556, 0x3ecab4ba, 0x3d1f23cf},
                                      {0x39ba3a66, 0xba993d66, 0xba12fcfc, 0x3b069e97}};
  sf_tensor *v[3];
  run3("ResourceApplyRMSProp", slots, 2, 0, rmsprop_scalars, 4, NULL, false, v);
  static const char *what[] = {"var", "ms", "mom"};
  for (int i = 0; i < 3; i++) expect_bits(what[i], v[i], want[i]), sf_tensor_unref(v[i]);
}

static int adagrad_scalars(int t, float *s) { /* lr epsilon */
  (void)t;
  s[0] = 0.01f, s[1] = 1e-7f;
  return 2;
}

Test(optim, adagrad_v2_three_steps_bit_exact) {
  static const char *const slots[] = {"accum"};
  static const uint32_t want[2][4] = {{0x3efe1499, 0xbf9f0178, 0x3ffee5a7, 0x3db6dd11},
                                      {0x3e6e147b, 0x3f570a3e, 0x408bd70a, 0x3f066666}};
  sf_tensor *v[2];
  run3("ResourceApplyAdagradV2", slots, 1, 0.1f, adagrad_scalars, 2, NULL, false, v);
  expect_bits("var", v[0], want[0]);
  expect_bits("accum", v[1], want[1]);
  sf_tensor_unref(v[0]), sf_tensor_unref(v[1]);
}

/* ---- Keras optimizers (lang/api_optim.c) ---- */

static char *output_p(const char *text, sf_mode mode, sf_profile p) {
  sf_error err = {0};
  sf_trace *t = th_run_text(text, &(sf_run_options){.mode = mode, .profile = p}, &err);
  cr_assert(t, "run: %s (line %d)", err.msg, err.line);
  return th_prints_and_free(t);
}

static void expect_error_p(const char *text, sf_profile p, int line, const char *msg) {
  sf_error err = {0};
  sf_trace *t = th_run_text(text, &(sf_run_options){.mode = SF_MODE_EAGER, .profile = p}, &err);
  cr_assert_null(t, "the run should fail: %s", text);
  cr_expect_eq(err.line, line, "line %d", err.line);
  char *nl = strchr(err.msg, '\n');
  if (nl) *nl = 0;
  cr_expect_str_eq(err.msg, msg);
}

/* Three apply_gradients of loss = (sum(w * x) + b)^2 per optimizer. Expected: NumPy
 * float32 (the gradient as TF's rules build it: gy = y + y, dw = gy * x, db = gy; then
 * each optimizer's graph, op for op: Adam and SGD momentum/nesterov the kernels above
 * with beta powers f32(0.9)**f32(t); Nadam nadam.py's m_t = b1 * (1 - 0.5 *
 * f32(0.96)**(f32(0.004) * t)), momentum cache, g' = g / (1 - m_schedule_new), ...;
 * RMSprop without momentum rms = rho*rms + (1-rho)*g^2, var - lr*g / (sqrt(rms) + eps);
 * Adagrad accumulator 0.1). Printed values are the shortest float32 reprs (exact bits). */
Test(optim, keras_optimizers_apply_gradients_eager_and_function) {
  const char *text = "import tensorflow as tf\n"
                     "opts = [('adam', tf.keras.optimizers.Adam(learning_rate=0.05)),\n"
                     "        ('nadam', tf.keras.optimizers.Nadam(learning_rate=0.05)),\n"
                     "        ('sgdm', tf.keras.optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True)),\n"
                     "        ('rms', tf.keras.optimizers.RMSprop(lr=0.05)),\n"
                     "        ('adagrad', tf.keras.optimizers.Adagrad(0.05))]\n"
                     "for name, opt in opts:\n"
                     "    w = tf.Variable([0.3, -0.4])\n"
                     "    b = tf.Variable(-0.2, name='b')\n"
                     "    for x in [0.7, -1.3, 2.1]:\n"
                     "        with tf.GradientTape() as tape:\n"
                     "            y = tf.reduce_sum(w * x) + b\n"
                     "            loss = y * y\n"
                     "        grads = tape.gradient(loss, [w, b])\n"
                     "        opt.apply_gradients(zip(grads, [w, b]))\n"
                     "    print(name, w.numpy(), b.numpy())\n";
  const char *want = "adam [ 0.36606753 -0.3339325 ] -0.057087883\n"
                     "nadam [ 0.36700842 -0.3329916 ] -0.078882664\n"
                     "sgdm [ 0.4119696  -0.28803045] -0.03560888\n"
                     "rms [ 0.36651295 -0.33348703] 0.111643925\n"
                     "adagrad [ 0.3559289  -0.34407112] -0.104663685\n";
  for (int m = 0; m < 2; m++) {
    char *got = output_p(text, m ? SF_MODE_FUNCTION : SF_MODE_EAGER, SF_PROFILE_TF2);
    cr_expect_str_eq(got, want, "mode %d", m);
    free(got);
  }
}

/* A Dense(1) model with constant weights fit for 2 epochs of 2 batches; NumPy float32:
 * pred = x0*w0 + x1*w1 + b, dLoss/dpred = d = pred - y exactly (mse / 2 over a batch of 2:
 * 0.5 * 2 * d), dW = x[0]*d0 + x[1]*d1, db = d0 + d1; then Adam(0.1), Nadam() (lr 0.001),
 * SGD(0.1, momentum=0.9) and SGD(0.1, momentum=0.5, nesterov=True) as above. */
Test(optim, keras_fit_with_adam_nadam_and_momentum) {
  const char *text = "import tensorflow as tf\n"
                     "x = tf.constant([[0.1, 0.2], [0.3, -0.1], [-0.5, 0.4], [0.2, 0.7]])\n"
                     "y = tf.constant([[1.0], [0.0], [0.5], [0.25]])\n"
                     "for opt in [tf.keras.optimizers.Adam(0.1), 'nadam', tf.keras.optimizers.SGD(learning_rate=0.1, "
                     "momentum=0.9), tf.keras.optimizers.SGD(lr=0.1, momentum=0.5, nesterov=True)]:\n"
                     "    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,), "
                     "kernel_initializer=tf.keras.initializers.Constant(0.5), bias_initializer='zeros')])\n"
                     "    model.compile(optimizer=opt, loss='mse')\n"
                     "    model.fit(x, y, epochs=2, batch_size=2, shuffle=False, verbose=0)\n"
                     "    k, b = model.get_weights()\n"
                     "    print(k.reshape(-1), b)\n";
  const char *want = "[0.41981232 0.6660519 ] [0.28989112]\n"
                     "[0.49927214 0.50281733] [0.00285925]\n"
                     "[0.41667548 0.5617208 ] [0.36013398]\n"
                     "[0.4229396 0.5215311] [0.22016764]\n";
  for (int m = 0; m < 2; m++) {
    char *got = output_p(text, m ? SF_MODE_FUNCTION : SF_MODE_EAGER, SF_PROFILE_TF2);
    cr_expect_str_eq(got, want, "mode %d", m);
    free(got);
  }
}

Test(optim, keras_optimizer_errors) {
  expect_error_p("import tensorflow as tf\n"
                 "m = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])\n"
                 "m.compile(optimizer='adamw', loss='mse')\n",
                 SF_PROFILE_TF2, 3, "unsupported optimizer 'adamw' (seedflow models 'sgd', 'adam', 'nadam', 'rmsprop', 'adagrad')");
  expect_error_p("import tensorflow as tf\no = tf.keras.optimizers.Adam(amsgrad=True)\n", SF_PROFILE_TF2, 2,
                 "unsupported: Adam(amsgrad=True) (ResourceApplyAdamWithAmsgrad is not modelled)");
  expect_error_p("import tensorflow as tf\no = tf.keras.optimizers.SGD(momentum=1.5)\n", SF_PROFILE_TF2, 2,
                 "ValueError: `momentum` must be between [0, 1].");
  expect_error_p("import tensorflow as tf\no = tf.keras.optimizers.SGD(0.1, decay=0.01)\n", SF_PROFILE_TF2, 2,
                 "unsupported: SGD(decay=...) (a decayed learning rate)");
  expect_error_p("import tensorflow as tf\no = tf.keras.optimizers.Nadam(clipnorm=1.0)\n", SF_PROFILE_TF2, 2,
                 "unsupported: Nadam(clipnorm=...)");
  expect_error_p("import tensorflow as tf\no = tf.keras.optimizers.Adam()\n", SF_PROFILE_TF210, 2,
                 "unsupported: tf.keras.optimizers.Adam in profile tf2.10 (TF 2.11+'s new Keras optimizer is not "
                 "modelled; tf.keras.optimizers.legacy.Adam is TF 2.4's OptimizerV2, as in profile tf2)");
  /* plain SGD is the same arithmetic in both optimizers; legacy.* is OptimizerV2 */
  char *got = output_p("import tensorflow as tf\n"
                       "w = tf.Variable(1.0)\n"
                       "tf.keras.optimizers.legacy.Adam().minimize(lambda: w * w, [w])\n"
                       "print(w.numpy())\n"
                       "tf.keras.optimizers.SGD(0.1).minimize(lambda: w * w, [w])\n"
                       "print(w.numpy())\n",
                       SF_MODE_EAGER, SF_PROFILE_TF210);
  cr_expect_str_eq(got, "0.999\n0.7992\n");
  free(got);
}

/* ---- TF1 optimizers (tf.compat.v1.train, graph mode) ---- */

/* AdamOptimizer(0.05).minimize with a global_step, three sess.run(train): NumPy float32 as
 * the Adam kernel above with beta1_power / beta2_power variables starting at f32(0.9) /
 * f32(0.999) and multiplied by beta after each step (adam.py _finish), epsilon 1e-8. */
static const char *tf1_adam = "import tensorflow as tf\n"
                              "w = tf.Variable([0.3, -0.4], name='w')\n"
                              "b = tf.Variable(-0.2, name='b')\n"
                              "y = tf.reduce_sum(w * 0.7) + b\n"
                              "loss = y * y\n"
                              "gs = tf.Variable(0, name='global_step', trainable=False)\n"
                              "train = tf.compat.v1.train.AdamOptimizer(learning_rate=0.05).minimize(loss, global_step=gs)\n"
                              "init = tf.global_variables_initializer()\n"
                              "with tf.Session() as sess:\n"
                              "    sess.run(init)\n"
                              "    for i in range(3):\n"
                              "        print(sess.run(train))\n"
                              "    print(sess.run([w, b, gs]))\n";

Test(optim, tf1_adam_minimize_values_names_and_op_count) {
  sf_error err = {0};
  sf_trace *t = th_run_text(tf1_adam, &(sf_run_options){.mode = SF_MODE_GRAPH, .profile = SF_PROFILE_TF1}, &err);
  cr_assert(t, "run: %s (line %d)", err.msg, err.line);
  /* adam.py _create_slots / _prepare / _apply_dense / _finish, optimizer.py's group and
   * assign_add(global_step): the names TF 1.15 gives them */
  static const char *const names[][2] = {
      {"beta1_power/initial_value", "Const"}, {"beta1_power", "VariableV2"}, {"beta1_power/Assign", "Assign"},
      {"beta2_power/initial_value", "Const"}, {"beta2_power", "VariableV2"}, {"beta2_power/Assign", "Assign"},
      {"w/Adam/Initializer/zeros", "Const"},  {"w/Adam", "VariableV2"},      {"w/Adam/Assign", "Assign"},
      {"w/Adam_1", "VariableV2"},             {"b/Adam", "VariableV2"},      {"b/Adam_1", "VariableV2"},
      {"Adam/learning_rate", "Const"},        {"Adam/beta1", "Const"},       {"Adam/epsilon", "Const"},
      {"Adam/update_w/ApplyAdam", "ApplyAdam"}, {"Adam/update_b/ApplyAdam", "ApplyAdam"},
      {"Adam/mul", "Mul"},                    {"Adam/Assign", "Assign"},     {"Adam/mul_1", "Mul"},
      {"Adam/Assign_1", "Assign"},            {"Adam/update", "NoOp"},       {"Adam", "AssignAdd"},
  };
  int first = 0, last = 0;
  for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
    const sf_trace_op *found = NULL;
    for (int i = 0; i < sf_trace_op_count(t) && !found; i++) {
      const sf_trace_op *o = sf_trace_op_at(t, i);
      if (o->graph == 0 && strcmp(o->name, names[k][0]) == 0) found = o;
    }
    cr_expect_not_null(found, "no node '%s'", names[k][0]);
    if (!found) continue;
    cr_expect_str_eq(found->op, names[k][1], "%s", names[k][0]);
    if (k == 0) first = found->node;
    if (strcmp(names[k][0], "Adam") == 0) last = found->node;
  }
  /* from beta1_power/initial_value to the train op: 4 per variable (beta powers, 2 slots
   * per weight), 4 constants, 2 ApplyAdam, 2 mul + 2 Assign, the group NoOp, the
   * global_step Const and AssignAdd */
  cr_expect_eq(last - first + 1, 4 * 2 + 4 * 4 + 4 + 2 + 4 + 1 + 2, "%d nodes", last - first + 1);
  char *got = th_prints_and_free(t);
  cr_expect_str_eq(got, "None\nNone\nNone\n[array([ 0.43745208, -0.26254794], dtype=float32), -0.06254789, 3]\n");
  free(got);
}

/* predict(x, batch_size=1) of float64 rows: one eager forward pass of all rows (values as
 * per-row batches give them), a NumPy array in every mode: 0.5*1 + 0.5*2 = 1.5, 0.5*3 -
 * 0.5*1 = 1; fit accepts float64 arrays (rounded to float32 as Keras feeds them). */
Test(optim, keras_predict_float64_batch_size_numpy_result) {
  const char *text = "import numpy as np\nimport tensorflow as tf\n"
                     "m = tf.keras.Sequential([tf.keras.layers.Dense(1, input_dim=2, "
                     "kernel_initializer=tf.keras.initializers.Constant(0.5), bias_initializer='zeros')])\n"
                     "m.compile(loss='mse', optimizer='adam')\n"
                     "m.fit(np.zeros((4, 2)), np.zeros((4, 1)), batch_size=2, epochs=1, verbose=0)\n"
                     "p = m.predict(np.array([[1.0, 2.0], [3.0, -1.0]]), batch_size=1, verbose=0)\n"
                     "print(p[0:1])\n"
                     "print(p)\n";
  for (int k = 0; k < 2; k++) {
    char *got = output_p(text, k ? SF_MODE_GRAPH : SF_MODE_EAGER, k ? SF_PROFILE_TF1 : SF_PROFILE_TF2);
    cr_expect_str_eq(got, "[[1.5]]\n[[1.5]\n [1. ]]\n", "mode %d", k);
    free(got);
  }
}
