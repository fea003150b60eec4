/* test_softmax.c — softmax / cross-entropy bits, Keras losses in fit, fit's log and the
 * errors for unsupported loss and metric names.
 *
 * Expected bits come from /usr/bin/python3 with NumPy float32 and libm's expf/logf through
 * ctypes, following TF's Eigen kernels (softmax_op_functor.h, xent_op.h, sparse_xent_op.h):
 * m = max(x); s = x - m; e = expf(s); sum = Eigen's AVX row sum (lanes of 8: e[0..7] one
 * packet; tail acc = (0 + e8) + e9; predux halves the packet: l_i = e_i + e_(i+4), then
 * t_i = l_i + l_(i+2), then t0 + t1; sum = acc + that), every step rounded to float32.
 *   softmax = e * f32(1 / sum); log_softmax = s - logf(sum);
 *   sparse loss = logf(sum) - s[label]; backprop = e / sum - onehot;
 *   full loss = rowsum(labels * (logf(sum) - s)) in the same order; backprop = e / sum - labels;
 *   softmax grad with upstream w: (w - sum(w * y)) * y, sum(w * y) added left to right
 *   (the Sum kernel's sequential order). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "helpers.h"

static const char *const head =
    "import tensorflow as tf\n"
    "x = tf.constant([[0.5, -1.25, 2.0, 0.75, -0.5, 1.5, 0.25, -2.0, 1.0, 0.125]])\n";

static char *run_mode(const char *text, sf_mode mode, sf_profile p) {
  sf_error err = {0};
  sf_run_options o = {.mode = mode, .profile = p};
  sf_trace *t = th_run_text(text, &o, &err);
  cr_assert(t, "run: %s (line %d)\n%s", err.msg, err.line, text);
  return th_prints_and_free(t);
}

/* The numbers printed (as repr of Python floats) against float32 bit patterns. */
static void expect_bits(const char *body, const uint32_t *want, int n) {
  char prog[2048];
  snprintf(prog, sizeof prog, "%s%s", head, body);
  char *out = run_mode(prog, SF_MODE_EAGER, SF_PROFILE_TF2);
  const char *p = out;
  for (int i = 0; i < n; i++) {
    while (*p && !(*p == '-' || (*p >= '0' && *p <= '9'))) p++;
    char *end;
    float v = (float)strtod(p, &end);
    cr_assert(end != p, "value %d missing in: %s", i, out);
    uint32_t b;
    memcpy(&b, &v, 4);
    cr_expect_eq(b, want[i], "value %d: 0x%08x, want 0x%08x (%s)", i, b, want[i], body);
    p = end;
  }
  free(out);
}

Test(softmax, softmax_and_log_softmax_bits) {
  static const uint32_t sm[] = {0x3d9ae310, 0x3c575292, 0x3ead89ef, 0x3dc6e0f9, 0x3ce3eb3e,
                                0x3e528362, 0x3d71408f, 0x3bcb6c1f, 0x3dff5d8d, 0x3d54e781};
  static const uint32_t lsm[] = {0xc0253e3c, 0xc08a9f1e, 0xbf8a7c77, 0xc0153e3c, 0xc0653e3c,
                                 0xbfca7c77, 0xc0353e3c, 0xc0a29f1e, 0xc0053e3c, 0xc03d3e3c};
  expect_bits("print([float(v) for v in tf.nn.softmax(x)[0]])\n", sm, 10);
  expect_bits("print([float(v) for v in tf.nn.log_softmax(x)[0]])\n", lsm, 10);
}

Test(softmax, cross_entropy_bits_and_gradients) {
  static const uint32_t sparse[] = {0x40153e3c, 0x3d9ae310, 0x3c575292, 0x3ead89ef, 0xbf6723e1, 0x3ce3eb3e,
                                    0x3e528362, 0x3d71408e, 0x3bcb6c1f, 0x3dff5d8d, 0x3d54e780};
  expect_bits("with tf.GradientTape() as t:\n  t.watch(x)\n"
              "  l = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.constant([3]), logits=x)\n"
              "print(float(l[0]), [float(v) for v in t.gradient(l, x)[0]])\n",
              sparse, 11);
  static const uint32_t full[] = {0x40113e3c, 0x3d9ae310, 0xbe728ad7, 0x3ead89ef, 0x3dc6e0f9, 0x3ce3eb3e,
                                  0xbf0b5f28, 0x3d71408e, 0x3bcb6c1f, 0x3dff5d8d, 0x3d54e780};
  expect_bits("y = tf.constant([[0.0, 0.25, 0.0, 0.0, 0.0, 0.75, 0.0, 0.0, 0.0, 0.0]])\n"
              "with tf.GradientTape() as t:\n  t.watch(x)\n"
              "  l = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=x)\n"
              "print(float(l[0]), [float(v) for v in t.gradient(l, x)[0]])\n",
              full, 11);
  /* TF 2's v2 functions take labels and logits by position too; TF 1's only by keyword */
  expect_bits("print(float(tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant([3]), x)[0]))\n", sparse, 1);
  expect_bits("y = tf.constant([[0.0, 0.25, 0.0, 0.0, 0.0, 0.75, 0.0, 0.0, 0.0, 0.0]])\n"
              "print(float(tf.nn.softmax_cross_entropy_with_logits(y, x, -1)[0]))\n", full, 1);
  sf_error err = {0};
  sf_trace *t = th_run_text("import tensorflow as tf\nl = tf.nn.softmax_cross_entropy_with_logits([[1.0]], [[2.0]])\n",
                            &(sf_run_options){.mode = SF_MODE_GRAPH, .profile = SF_PROFILE_TF1}, &err);
  cr_assert_null(t);
  cr_expect_str_eq(err.msg, "ValueError: Only call `softmax_cross_entropy_with_logits` with named arguments (labels=..., logits=..., ...)");
  /* TF 1's v1 signatures: keywords only, both given, dim or axis; TF 2's: by position too */
  const char *calls = "import tensorflow as tf\nl = tf.constant([[0.0, 1.0, 0.0]])\nx = tf.constant([[1.0, 2.0, 0.5]])\n"
                      "for f in (lambda: tf.nn.softmax_cross_entropy_with_logits(labels=l, logits=x, dim=-1),\n"
                      "          lambda: tf.nn.softmax_cross_entropy_with_logits(labels=l, logits=x, axis=1),\n"
                      "          lambda: tf.nn.softmax_cross_entropy_with_logits(l, x, 1),\n"
                      "          lambda: tf.nn.softmax_cross_entropy_with_logits(labels=l),\n"
                      "          lambda: tf.nn.sparse_softmax_cross_entropy_with_logits(logits=x)):\n"
                      "    try:\n        print(f())\n    except (ValueError, TypeError) as e:\n        print(type(e).__name__, e)\n";
  th_expect_prints(calls, SF_MODE_GRAPH, SF_PROFILE_TF1,
                   "[0.4643688]\n[0.4643688]\nValueError Only call `softmax_cross_entropy_with_logits` with named arguments (labels=..., "
                   "logits=..., ...)\nValueError Both labels and logits must be provided.\nValueError Both labels and logits must be provided.\n");
  th_expect_prints(calls, SF_MODE_GRAPH, SF_PROFILE_TF2,
                   "TypeError softmax_cross_entropy_with_logits() got an unexpected keyword argument 'dim'\n[0.4643688]\n[0.4643688]\n"
                   "TypeError softmax_cross_entropy_with_logits() missing 1 required positional argument: 'logits'\n"
                   "TypeError sparse_softmax_cross_entropy_with_logits() missing 1 required positional argument: 'labels'\n");
  static const uint32_t grad[] = {0xbcf6cf81, 0xbb807e13, 0xbd89b375, 0xbc1c8351, 0x383df833,
                                  0x3cab26f7, 0x3c42929c, 0x3af56e74, 0x3d4d1faf, 0x3cd598f5};
  expect_bits("w = tf.constant([[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]])\n"
              "with tf.GradientTape() as t:\n  t.watch(x)\n  l = tf.reduce_sum(tf.nn.softmax(x) * w)\n"
              "print([float(v) for v in t.gradient(l, x)[0]])\n",
              grad, 10);
}

/* fit's log with the timings masked: digits before "s" / "ms/step" / "us/sample" become T. */
static char *masked_log(const char *text, sf_mode mode, sf_profile p) {
  sf_error err = {0};
  sf_run_options o = {.mode = mode, .profile = p};
  sf_trace *t = th_run_text(text, &o, &err);
  cr_assert(t, "run: %s (line %d)\n%s", err.msg, err.line, text);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  sf_trace_write_prints(t, f);
  fclose(f);
  sf_trace_free(t);
  char *out = malloc(len + 1), *q = out;
  for (const char *s = buf; *s;) {
    if (strncmp(s, "] - ", 4) == 0) { /* "] - 0s 12ms/step" -> "] - Ts T/step" */
      q += sprintf(q, "] - Ts T");
      s += 4;
      while (*s && *s != '/') s++;
      continue;
    }
    *q++ = *s++;
  }
  *q = '\0';
  free(buf);
  return out;
}

/* A softmax layer whose weights are zeros and a learning rate of 0: every logit is 0, so
 * each sample's loss is log(3) = 1.0986 (float32 logf(3) = 0x3f8c9f54) and argmax picks
 * class 0, right for 2 of the 4 labels: accuracy 0.5000, in every mode and epoch. */
static const char *const zero_model =
    "import numpy as np\nimport tensorflow as tf\n"
    "m = tf.keras.Sequential([tf.keras.layers.Dense(3, activation='softmax', input_shape=(2,))])\n"
    "m.set_weights([np.zeros((2, 3), dtype=np.float32), np.zeros(3, dtype=np.float32)])\n"
    "m.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.0), loss='sparse_categorical_crossentropy',"
    " metrics=['accuracy'])\n"
    "x = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]], dtype=np.float32)\n"
    "m.fit(x, np.array([0, 1, 0, 2], dtype=np.int32), batch_size=2, epochs=2%s)\n"
    "print('done')\n";

Test(softmax, fit_log_in_every_mode) {
  char prog[1024];
  snprintf(prog, sizeof prog, zero_model, "");
  static const char *const tf2 =
      "Epoch 1/2\n2/2 [==============================] - Ts T/step - loss: 1.0986 - accuracy: 0.5000\n"
      "Epoch 2/2\n2/2 [==============================] - Ts T/step - loss: 1.0986 - accuracy: 0.5000\ndone\n";
  sf_mode modes[] = {SF_MODE_EAGER, SF_MODE_FUNCTION};
  for (int i = 0; i < 2; i++) {
    char *got = masked_log(prog, modes[i], SF_PROFILE_TF2);
    cr_expect_str_eq(got, tf2, "mode %d", i);
    free(got);
  }
  char *got = masked_log(prog, SF_MODE_GRAPH, SF_PROFILE_TF1);
  cr_expect_str_eq(got, "Train on 4 samples\n"
                        "Epoch 1/2\n4/4 [==============================] - Ts T/sample - loss: 1.0986 - acc: 0.5000\n"
                        "Epoch 2/2\n4/4 [==============================] - Ts T/sample - loss: 1.0986 - acc: 0.5000\ndone\n");
  free(got);
  /* verbose=2: the count and the epoch's seconds; verbose=0: nothing */
  snprintf(prog, sizeof prog, zero_model, ", verbose=2, validation_data=(x, np.array([0, 0, 0, 0]))");
  got = run_mode(prog, SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_expect_str_eq(got, "done\n"); /* the prints alone */
  free(got);
  got = masked_log(prog, SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_expect(strstr(got, "Epoch 1/2\n2/2 - 0s - loss: 1.0986 - accuracy: 0.5000 - val_loss: 1.0986 - val_accuracy: 1.0000\n") != NULL,
            "%s", got);
  free(got);
  snprintf(prog, sizeof prog, zero_model, ", verbose=0");
  got = masked_log(prog, SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_expect_str_eq(got, "done\n");
  free(got);
}

/* History and evaluate on the zero model: log(3) in float32 is 1.0986123085021973 (the
 * loss Mean's total/count: (f32(l*2) + f32(l*2)) / 4 = l exactly); accuracy 2/4. */
Test(softmax, history_and_evaluate) {
  char prog[1024];
  snprintf(prog, sizeof prog, zero_model, ", verbose=0");
  char *tail = strstr(prog, "print('done')");
  snprintf(tail, sizeof prog - (size_t)(tail - prog),
           "h = m.fit(x, np.array([0, 1, 0, 2]), epochs=2, verbose=0, validation_data=(x, np.array([1, 1, 1, 1])))\n"
           "print(h.history)\nprint(h.epoch)\nprint(m.evaluate(x, np.array([0, 1, 0, 2]), verbose=0))\n");
  static const char *const want =
      "{'loss': [1.0986123085021973, 1.0986123085021973], 'accuracy': [0.5, 0.5], 'val_loss': [1.0986123085021973, "
      "1.0986123085021973], 'val_accuracy': [0.0, 0.0]}\n[0, 1]\n[1.0986123085021973, 0.5]\n";
  sf_mode modes[] = {SF_MODE_EAGER, SF_MODE_FUNCTION, SF_MODE_GRAPH};
  for (int i = 0; i < 3; i++) {
    char *got = run_mode(prog, modes[i], SF_PROFILE_TF2);
    cr_expect_str_eq(got, want, "mode %d", i);
    free(got);
  }
  /* evaluate's log line: TF 1.x counts samples */
  snprintf(prog, sizeof prog, zero_model, ", verbose=0");
  tail = strstr(prog, "print('done')");
  snprintf(tail, sizeof prog - (size_t)(tail - prog), "m.evaluate(x, np.array([0, 1, 0, 2]))\n");
  char *got = masked_log(prog, SF_MODE_GRAPH, SF_PROFILE_TF1);
  cr_expect_str_eq(got, "4/4 [==============================] - Ts T/sample - loss: 1.0986 - acc: 0.5000\n");
  free(got);
}

/* Metric objects: float32 total / count (Mean of 1, 2, 4 is 7/3; then 7.5/4). */
Test(softmax, metric_objects) {
  char *got = run_mode("import tensorflow as tf\nm = tf.keras.metrics.Mean()\nm.update_state([1.0, 2.0, 4.0])\n"
                       "print(m.name, '{:.4f}'.format(m.result()))\nm.update_state(tf.constant([0.5]))\nprint(m.result())\n"
                       "m.reset_states()\nprint(m.result().numpy())\n"
                       "a = tf.keras.metrics.SparseCategoricalAccuracy(name='acc')\n"
                       "a.update_state(tf.constant([0, 2]), tf.constant([[0.9, 0.1, 0.0], [0.2, 0.5, 0.3]]))\n"
                       "e = tf.keras.metrics.MeanAbsoluteError()\n"
                       "e.update_state(tf.constant([[1.0, 2.0]]), tf.constant([[1.5, 1.0]]))\n"
                       "c = tf.keras.metrics.Accuracy()\nc.update_state([1, 2, 3, 4], [0, 2, 3, 4])\n"
                       "print(a.name, float(a.result()), e.name, float(e.result()), c.name, float(c.result()))\n"
                       "c.reset_state()\nprint(float(c.result()))\n",
                       SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_expect_str_eq(got, "mean 2.3333\ntf.Tensor(1.875, shape=(), dtype=float32)\n0.0\n"
                        "acc 0.5 mean_absolute_error 0.75 accuracy 0.75\n0.0\n");
  free(got);
}

/* Calling a metric updates it and returns the result (Metric.__call__): the Mean of 1, 2
 * and then 6 is 3 in float32; MeanAbsoluteError of |1.5 - 1| and |1 - 2| is 0.75. */
Test(softmax, metric_call_updates_and_returns_the_result) {
  char *got = run_mode("import tensorflow as tf\nm = tf.keras.metrics.Mean()\nprint(m([1.0, 2.0]))\nprint(float(m(6.0)))\n"
                       "e = tf.keras.metrics.MeanAbsoluteError()\nprint(float(e([[1.0, 2.0]], [[1.5, 1.0]])))\n",
                       SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_expect_str_eq(got, "tf.Tensor(1.5, shape=(), dtype=float32)\n3.0\n0.75\n");
  free(got);
}

static void expect_error(const char *text, const char *want, int line) {
  sf_error err = {0};
  sf_run_options o = {.mode = SF_MODE_EAGER, .profile = SF_PROFILE_TF2};
  sf_trace *t = th_run_text(text, &o, &err);
  cr_assert_null(t, "expected an error:\n%s", text);
  cr_expect_str_eq(err.msg, want);
  cr_expect_eq(err.line, line);
}

/* nn_impl.py sigmoid_cross_entropy_with_logits, op by op in float32: relu = x >= 0 ? x : 0,
 * d = relu - x * z, nabs = x >= 0 ? -x : x, loss = d + log1p(expf(nabs)) (log1p rounded
 * once, as the Log1p kernel takes it). Its gradient (_SelectGrad, _Log1pGrad, _ExpGrad...)
 * is sigmoid(x) - z within 2 ulp; Keras's BinaryCrossentropy(from_logits=True) is its mean
 * over the last axis (5 floats added left to right, then divided). */
static float sigmoid_xent_f32(float x, float z) {
  float relu = x >= 0 ? x : 0.0f, nabs = x >= 0 ? -x : x, d = relu - x * z;
  return d + (float)log1p((double)expf(nabs));
}

Test(softmax, sigmoid_cross_entropy_with_logits) {
  static const float x[5] = {-3.5f, -0.25f, 0.0f, 0.75f, 12.0f}, z[5] = {0.0f, 1.0f, 0.5f, 1.0f, 0.0f};
  const char *text = "import tensorflow as tf\n"
                     "x = tf.constant([[-3.5, -0.25, 0.0, 0.75, 12.0]])\n"
                     "z = tf.constant([[0.0, 1.0, 0.5, 1.0, 0.0]])\n"
                     "with tf.GradientTape() as t:\n"
                     "    t.watch(x)\n"
                     "    l = tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x)\n"
                     "g = t.gradient(l, x)\n"
                     "print(*l.numpy()[0].tolist())\n"
                     "print(*g.numpy()[0].tolist())\n"
                     "print(float(tf.keras.losses.BinaryCrossentropy(from_logits=True)(z, x)))\n";
  sf_mode modes[2] = {SF_MODE_EAGER, SF_MODE_FUNCTION};
  for (int m = 0; m < 2; m++) {
    char *out = run_mode(text, modes[m], SF_PROFILE_TF2), *p = out, *end;
    float sum = 0;
    for (int i = 0; i < 5; i++) {
      float want = sigmoid_xent_f32(x[i], z[i]), got = (float)strtod(p, &end);
      cr_assert(end != p, "loss %d missing in: %s", i, out);
      cr_expect(memcmp(&got, &want, 4) == 0, "mode %d loss %d: %.9g, want %.9g", m, i, got, want);
      sum += want;
      p = end;
    }
    for (int i = 0; i < 5; i++) {
      double want = 1 / (1 + exp(-(double)x[i])) - z[i];
      float got = (float)strtod(p, &end);
      cr_assert(end != p, "gradient %d missing in: %s", i, out);
      cr_expect(fabs(got - want) <= 2 * (nextafterf(fabsf((float)want), INFINITY) - fabsf((float)want)), "mode %d gradient %d: %.9g, want %.9g", m,
                i, got, want);
      p = end;
    }
    float mean = sum / 5.0f, got = (float)strtod(p, &end);
    cr_expect(memcmp(&got, &mean, 4) == 0, "mode %d mean: %.9g, want %.9g", m, got, mean);
    free(out);
  }
  th_expect_error_at("import tensorflow as tf\nl = tf.nn.sigmoid_cross_entropy_with_logits(labels=[1.0, 0.0], logits=[[1.0, 2.0]])\n",
                     SF_MODE_EAGER, SF_PROFILE_TF2, 2, "ValueError: logits and labels must have the same shape ((1, 2) vs (2,))");
}

/* Labels (N,) against an output (N, 1): fit gives them a last axis (compile_utils
 * match_dtype_and_rank), a loss object squeezes the output (squeeze_or_expand_dimensions):
 * each sample meets its own label either way, the same loss as labels (N, 1); they were
 * broadcast into N x N (mse 0.3475 for 0.2225 below). */
Test(softmax, labels_of_rank_one_meet_their_samples) {
  const char *simple = "import numpy as np\nimport tensorflow as tf\n"
                       "x = np.array([[0.1, 0.2], [0.5, -0.3], [-0.4, 0.8], [0.9, 0.1]], dtype=np.float32)\n"
                       "y = np.array([0.0, 1.0, 0.0, 1.0], dtype=np.float32)\n"
                       "for loss in ['mse', 'mae', 'binary_crossentropy', tf.keras.losses.BinaryCrossentropy(from_logits=True)]:\n"
                       "    m = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,), kernel_initializer='ones')])\n"
                       "    m.compile(optimizer=tf.keras.optimizers.SGD(0.0), loss=loss)\n"
                       "    print(m.evaluate(x, y, verbose=0) == m.evaluate(x, y.reshape(4, 1), verbose=0))\n"
                       "    yi = y.astype(np.int64)\n" /* integer labels: the loss casts them (mse: a Sub of int64 before) */
                       "    print(m.evaluate(x, yi, verbose=0) == m.evaluate(x, y, verbose=0), m.fit(x, yi, verbose=0, shuffle=False).history['loss'] == m.fit(x, y, verbose=0, shuffle=False).history['loss'])\n"
                       "m = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,), kernel_initializer='ones')])\n"
                       "m.compile(optimizer='sgd', loss='mse')\n"
                       "print(round(m.evaluate(x, y, verbose=0), 6))\n"
                       "p = m.predict(x, verbose=0)\n"
                       "bce = tf.keras.losses.BinaryCrossentropy(from_logits=True)\n"
                       "print(float(bce(y, p)) == float(bce(y.reshape(4, 1), p)), float(tf.keras.losses.MeanSquaredError()(y, p)))\n";
  sf_mode modes[2] = {SF_MODE_EAGER, SF_MODE_FUNCTION}; /* (float() of a graph's tensor is TF's error) */
  for (int m = 0; m < 2; m++) {
    char *out = run_mode(simple, modes[m], SF_PROFILE_TF2);
    cr_expect_str_eq(out, "True\nTrue True\nTrue\nTrue True\nTrue\nTrue True\nTrue\nTrue True\n0.2225\nTrue 0.2225000113248825\n", "mode %d", m);
    free(out);
  }
  /* a placeholder's None fits any size (assert_is_compatible_with); TF prints it None */
  th_expect_error_at("import tensorflow as tf\nl = tf.nn.sigmoid_cross_entropy_with_logits(labels=[[1.0, 0.0]], logits=[[1.0], [2.0]])\n",
                     SF_MODE_EAGER, SF_PROFILE_TF2, 2, "ValueError: logits and labels must have the same shape ((2, 1) vs (1, 2))");
}

/* backend.binary_crossentropy takes a graph's Sigmoid output's input as its logits, as it
 * does a Softmax's: a saturated sample (logit 70, label 0) costs 70, not the clipped
 * probability's 15.4 (Keras's test function is a graph in every mode here). */
Test(softmax, binary_crossentropy_of_a_sigmoid_output_uses_its_logits) {
  const char *text = "import numpy as np\nimport tensorflow as tf\n"
                     "x = np.array([[30.0, 40.0], [-5.0, 2.0], [6.0, -1.0], [0.5, 0.5]], dtype=np.float32)\n"
                     "y = np.array([[0.0], [1.0], [0.0], [1.0]], dtype=np.float32)\n"
                     "a = tf.keras.Sequential([tf.keras.layers.Dense(1, activation='sigmoid', input_shape=(2,), kernel_initializer='ones')])\n"
                     "a.compile(optimizer=tf.keras.optimizers.SGD(0.0), loss='binary_crossentropy')\n"
                     "b = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,), kernel_initializer='ones')])\n"
                     "b.compile(optimizer=tf.keras.optimizers.SGD(0.0), loss=tf.keras.losses.BinaryCrossentropy(from_logits=True))\n"
                     "print(a.evaluate(x, y, verbose=0) == b.evaluate(x, y, verbose=0), round(b.evaluate(x, y, verbose=0), 4))\n";
  sf_mode modes[3] = {SF_MODE_EAGER, SF_MODE_FUNCTION, SF_MODE_GRAPH};
  for (int m = 0; m < 3; m++) {
    char *out = run_mode(text, modes[m], SF_PROFILE_TF2);
    cr_expect_str_eq(out, "True 19.5921\n", "mode %d", m);
    free(out);
  }
}

/* keras/activations.py softmax and sigmoid cache their input on the output
 * (output._keras_logits, tf.keras 2.4+ and Keras 3), and the cross-entropies take it as the
 * logits in every mode, eager too, and even with from_logits=True: a saturated sample costs
 * its logit (70), not the clipped probability's 15.33, and its gradient is softmax - onehot,
 * not 0. tf.nn.softmax's output caches nothing. TF 1.15's Keras (profile tf1) clips. The
 * equalities compare against tf.nn's cross-entropies on the same logits. */
Test(softmax, keras_activation_output_caches_its_logits) {
  const char *text =
    "import numpy as np\n"
    "import tensorflow as tf\n"
    "x = np.array([[30.0, 40.0], [-5.0, 2.0]], dtype=np.float32)\n"
    "y = np.array([[0.0], [1.0]], dtype=np.float32)\n"
    "d = tf.keras.layers.Dense(1, activation='sigmoid', kernel_initializer='ones')\n"
    "p = d(x)\n"
    "q = tf.sigmoid(tf.matmul(x, d.kernel) + d.bias)\n"
    "print([round(float(v), 4) for v in tf.keras.losses.binary_crossentropy(y, p)])\n"
    "print([round(float(v), 4) for v in tf.keras.losses.binary_crossentropy(y, q)])\n"
    "print([round(float(v), 4) for v in tf.keras.losses.binary_crossentropy(y, p, from_logits=True)])\n"
    "s = tf.keras.layers.Dense(3, activation='softmax', kernel_initializer=tf.keras.initializers.RandomNormal(stddev=10.0, seed=1))\n"
    "ps = s(x)\n"
    "z = tf.matmul(x, s.kernel) + s.bias\n"
    "labels = np.array([2, 0])\n"
    "a = tf.keras.losses.sparse_categorical_crossentropy(labels, ps)\n"
    "b = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=z)\n"
    "c = tf.keras.losses.sparse_categorical_crossentropy(labels, tf.nn.softmax(z))\n"
    "print([float(v) for v in a] == [float(v) for v in b], [float(v) for v in c] == [float(v) for v in b])\n"
    "e = tf.keras.losses.categorical_crossentropy(tf.one_hot(labels, 3), ps)\n"
    "f = tf.nn.softmax_cross_entropy_with_logits(labels=tf.one_hot(labels, 3), logits=z)\n"
    "print([float(v) for v in e] == [float(v) for v in f])\n"
    "del p, ps, z\n"
    "m = tf.keras.Sequential([tf.keras.layers.Dense(3, activation='softmax', input_shape=(2,), kernel_initializer=tf.keras.initializers.RandomNormal(stddev=10.0, seed=2))])\n"
    "m.compile(optimizer=tf.keras.optimizers.SGD(0.0), loss='sparse_categorical_crossentropy')\n"
    "z = tf.matmul(x, m.layers[0].kernel) + m.layers[0].bias\n"
    "print(m.fit(x, labels, epochs=1, verbose=0, shuffle=False).history['loss'][0] == float(tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=z))))\n"
    "s = tf.keras.layers.Dense(3, activation=\"softmax\", kernel_initializer=tf.keras.initializers.RandomNormal(stddev=10.0, seed=1))\n"
    "with tf.GradientTape() as tape:\n"
    "    loss = tf.keras.losses.SparseCategoricalCrossentropy()(labels, s(x))\n"
    "g = tape.gradient(loss, s.kernel)\n"
    "print(float(loss), [round(float(v), 3) for v in tf.reshape(g, [-1])])\n";
  char *out = run_mode(text, SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_expect_str_eq(out, "[70.0, 3.0486]\n[15.3332, 3.0486]\n[70.0, 3.0486]\nTrue False\nTrue\nTrue\n"
                        "119.56745910644531 [15.0, -0.0, -15.0, 20.0, 0.0, -20.0]\n");
  free(out);
  out = run_mode(text, SF_MODE_EAGER, SF_PROFILE_TF1);
  cr_expect_str_eq(out, "[15.3332, 3.0486]\n[15.3332, 3.0486]\n[1.3133, 0.6697]\nFalse False\nFalse\nFalse\n"
                        "8.05904769897461 [0.0, 0.0, 0.0, 0.0, 0.0, 0.0]\n");
  free(out);
}

/* Binary cross-entropy of probabilities: tf.keras adds epsilon inside both logs
 * (backend.py: log(output + epsilon())), Keras 3 takes the logs of the clipped output
 * alone (backend/tensorflow/nn.py); a saturated sample costs 15.38 against 16.03. */
Test(softmax, binary_crossentropy_of_probabilities_per_keras) {
  const char *text = "import numpy as np\nimport tensorflow as tf\n"
                     "y = np.array([[0.0, 1.0], [1.0, 1.0]], dtype=np.float32)\n"
                     "p = np.array([[1.0, 0.0], [0.3, 0.9]], dtype=np.float32)\n"
                     "print(tf.keras.losses.binary_crossentropy(y, p).numpy().tolist())\n";
  char *out = run_mode(text, SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_expect_str_eq(out, "[15.379093170166016, 0.6546664237976074]\n");
  free(out);
  out = run_mode(text, SF_MODE_EAGER, SF_PROFILE_KERAS3);
  cr_expect_str_eq(out, "[16.03023910522461, 0.6546666622161865]\n");
  free(out);
}

/* compile(loss=tf.keras.losses.binary_crossentropy): a loss function is its name's loss. */
Test(softmax, a_loss_function_compiles_as_its_name) {
  const char *text = "import numpy as np\nimport tensorflow as tf\n"
                     "x = np.array([[0.1, 0.2], [0.5, -0.3]], dtype=np.float32)\n"
                     "y = np.array([[0.0], [1.0]], dtype=np.float32)\n"
                     "for loss in ['binary_crossentropy', tf.keras.losses.binary_crossentropy, tf.keras.losses.mse, 'mse']:\n"
                     "    tf.random.set_seed(3)\n"
                     "    m = tf.keras.Sequential([tf.keras.layers.Dense(1, activation='sigmoid', input_shape=(2,))])\n"
                     "    m.compile(optimizer='sgd', loss=loss)\n"
                     "    print(m.fit(x, y, epochs=2, verbose=0).history['loss'])\n";
  char *out = run_mode(text, SF_MODE_EAGER, SF_PROFILE_TF2);
  char *l2 = strchr(out, '\n') + 1, *l3 = strchr(l2, '\n') + 1, *l4 = strchr(l3, '\n') + 1;
  cr_expect(strncmp(out, l2, (size_t)(l2 - out)) == 0, "%s", out);
  cr_expect(strncmp(l3, l4, (size_t)(l4 - l3)) == 0, "%s", out);
  cr_expect(strncmp(out, l3, (size_t)(l2 - out)) != 0, "%s", out);
  free(out);
  expect_error("import tensorflow as tf\nm = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])\n"
               "m.compile(optimizer='sgd', loss=tf.keras.losses.BinaryCrossentropy)\n",
               "compile: loss must be a name such as 'mse', a tf.keras.losses object or function", 3);
}

Test(softmax, unsupported_loss_and_metric_are_named) {
  expect_error("import tensorflow as tf\nm = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])\n"
               "m.compile(optimizer='sgd', loss='hinge')\n",
               "compile: unsupported loss 'hinge'", 3);
  expect_error("import tensorflow as tf\nm = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])\n"
               "m.compile(optimizer='sgd', loss='mse', metrics=['auc'])\n",
               "compile: unsupported metric 'auc'", 3);
}

/* predict's verbose: 0 in TF 1.x's Keras (where 'auto' is not 1 either), 'auto' from Keras
 * 2.9 (a Progbar line of its steps, batch_size 32 by default, before the array prints);
 * verbose=0 or False: none. */
Test(softmax, predict_progbar_by_default_from_keras_2_9) {
  const char *prog = "import numpy as np\nimport tensorflow as tf\n"
                     "m = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,), kernel_initializer='ones')])\n"
                     "x = np.ones((40, 2), dtype=np.float32)\n"
                     "print(m.predict(x)[0], m.predict(x, verbose=0)[1], m.predict(x, verbose=False)[2])\n"
                     "print(m.predict(x, batch_size=8, verbose='auto')[3])\n";
  char *got = masked_log(prog, SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_expect_str_eq(got, "2/2 [==============================] - Ts T/step\n[2.] [2.] [2.]\n"
                        "5/5 [==============================] - Ts T/step\n[2.]\n");
  free(got);
  got = masked_log(prog, SF_MODE_GRAPH, SF_PROFILE_TF1);
  cr_expect_str_eq(got, "[2.] [2.] [2.]\n[2.]\n");
  free(got);
}

/* label_smoothing (losses.py): binary labels y*(1-s) + 0.5*s, categorical y*(1-s) + s/n, in
 * float32 ops; with s = 0.1 the smoothed loss is the loss of the labels smoothed by hand. */
Test(softmax, label_smoothing) {
  const char *text = "import tensorflow as tf\n"
                     "y = tf.constant([[0., 1.], [1., 0.]])\np = tf.constant([[0.3, 0.7], [0.6, 0.4]])\n"
                     "print(tf.keras.losses.BinaryCrossentropy(label_smoothing=0.1)(y, p).numpy(),\n"
                     "      tf.keras.losses.CategoricalCrossentropy(False, 0.1)(y, p).numpy(),\n"
                     "      tf.keras.losses.binary_crossentropy(y, p, label_smoothing=0.2).numpy(),\n"
                     "      tf.keras.losses.categorical_crossentropy(y, p, False, 1).numpy(),\n"
                     "      tf.keras.losses.BinaryCrossentropy(True, 0.25)(y, p).numpy())\n"
                     "a = tf.keras.losses.BinaryCrossentropy(label_smoothing=0.1)(y, p)\n"
                     "b = tf.keras.losses.BinaryCrossentropy()(y * 0.9 + 0.05, p)\n"
                     "c = tf.keras.losses.CategoricalCrossentropy(label_smoothing=0.1)(y, p)\n"
                     "d = tf.keras.losses.CategoricalCrossentropy()(y * 0.9 + 0.05, p)\n"
                     "print(bool(a == b), bool(c == d), bool(a == tf.keras.losses.BinaryCrossentropy()(y, p)))\n";
  const char *want = "0.46506917 0.46506935 [0.44140452 0.55137193] [0.78032386 0.71355814] 0.6707611\nTrue True False\n";
  th_expect_prints(text, SF_MODE_EAGER, SF_PROFILE_TF2, want);
  th_expect_prints(text, SF_MODE_FUNCTION, SF_PROFILE_TF1, want);
  /* Keras 3's binary cross-entropy has no epsilon inside its logs: the last bits differ */
  th_expect_prints(text, SF_MODE_EAGER, SF_PROFILE_KERAS3,
                   "0.46506935 0.46506935 [0.44140476 0.55137205] [0.78032386 0.71355814] 0.6707611\nTrue True False\n");
  expect_error("import tensorflow as tf\nl = tf.keras.losses.BinaryCrossentropy(label_smoothing='a')\n",
               "unsupported: BinaryCrossentropy's label_smoothing of type str (TF fails when the loss is called)", 2);
  /* float64 labels: smoothed in float64 from Keras 2.7, a TypeError in TF before it */
  const char *f64 = "import tensorflow as tf\ny = tf.constant([[0., 1.]], tf.float64)\np = y * 0.5 + 0.2\n"
                    "a = tf.keras.losses.binary_crossentropy(y, p, label_smoothing=0.1)\n"
                    "print(bool(a == tf.keras.losses.binary_crossentropy(y * 0.9 + 0.05, p)), a.dtype)\n";
  th_expect_prints(f64, SF_MODE_EAGER, SF_PROFILE_TF2, "True <dtype: 'float64'>\n");
  th_expect_error_at(f64, SF_MODE_EAGER, SF_PROFILE_TF1, 4,
                     "unsupported: label_smoothing with a float64 y_pred (tf.keras before 2.7 makes it float32)");
  /* TF 1.15's loss classes take (from_logits, label_smoothing, reduction, name): no axis */
  th_expect_prints("import tensorflow as tf\nl = tf.keras.losses.BinaryCrossentropy(False, 0.1, 'sum_over_batch_size')\n"
                   "print(l(tf.constant([[0., 1.]]), tf.constant([[0.3, 0.6]])))\n",
                   SF_MODE_EAGER, SF_PROFILE_TF1, "tf.Tensor(0.46506917, shape=(), dtype=float32)\n");
  expect_error("import tensorflow as tf\nl = tf.keras.losses.mse([1.], [1.], label_smoothing=0.1)\n",
               "mean_squared_error() got an unexpected keyword argument 'label_smoothing'", 2);
}
