/* test_train.c — layers and training: gradients against finite differences (graph and
 * tape give the same numbers), Keras Dropout's training flag, the article's examples in
 * every mode, fit determinism, and what makes weights diverge. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "helpers.h"


static int c64(sf_graph *g, int rank, int64_t d0, int64_t d1, const double *v) {
  sf_shape s = {.rank = rank, .dims = {d0, d1}};
  sf_tensor *t = sf_tensor_new(SF_FLOAT64, &s, NULL);
  memcpy(t->data, v, (size_t)t->n * 8);
  int id = 0;
  cr_assert_eq(th_graph_builder(g, NULL).constant(g, t, &id), SF_OK);
  sf_tensor_unref(t);
  return id;
}

static int op(sf_graph *g, const char *name, int a, int b) {
  int id = 0;
  int in[2] = {a, b};
  cr_assert_eq(th_graph_builder(g, NULL).op(g, name, NULL, in, b ? 2 : 1, NULL, &id), SF_OK, "%s", name);
  return id;
}

/* f(x, w, b) = mean(sigmoid(tanh(relu?(x w + b)) * x0) ...): a scalar through every rule. */
static int build_f(sf_graph *g, const double *w, const double *b, int *wid, int *bid) {
  static const double x[6] = {0.3, -1.2, 0.8, 2.0, 0.1, -0.4};
  int xi = c64(g, 2, 2, 3, x);
  *wid = c64(g, 2, 3, 2, w);
  *bid = c64(g, 1, 2, 0, b);
  int h = op(g, "BiasAdd", op(g, "MatMul", xi, *wid), *bid);
  int t = op(g, "Tanh", h, 0), s = op(g, "Sigmoid", h, 0), r = op(g, "Relu", h, 0);
  int prod = op(g, "Mul", op(g, "AddV2", t, r), s);
  int two = c64(g, 0, 0, 0, (double[]){2.0});
  int q = op(g, "RealDiv", op(g, "Sub", op(g, "Square", prod, 0), op(g, "Neg", s, 0)), two);
  double axes_d[2] = {0, 1};
  sf_shape as = {.rank = 1, .dims = {2}};
  sf_tensor *axes = sf_tensor_new(SF_INT32, &as, NULL);
  for (int i = 0; i < 2; i++) sf_tensor_set(axes, i, axes_d[i]);
  int ax = 0;
  th_graph_builder(g, NULL).constant(g, axes, &ax);
  sf_tensor_unref(axes);
  return op(g, "Mean", q, ax);
}

static double eval(sf_graph *g, int id) {
  sf_session s;
  sf_runtime rt = {0};
  sf_pass_planner plan;
  cr_assert_eq(th_plan(&rt, &plan, NULL), SF_OK);
  sf_tensor *out = NULL;
  sf_session_init(&s, g, 0);
  cr_assert_eq(sf_session_run(&s, &rt, &id, 1, NULL, 0, &out, NULL, NULL), SF_OK);
  double v = sf_tensor_get(out, 0);
  sf_tensor_unref(out);
  sf_session_free(&s);
  return v;
}

static double f_at(const double *w, const double *b) {
  sf_graph *g = sf_graph_new(false);
  int wid, bid, y = build_f(g, w, b, &wid, &bid);
  double v = eval(g, y);
  sf_graph_free(g);
  return v;
}

Test(train, gradients_match_finite_differences) {
  double w[6] = {0.5, -0.3, 0.2, 0.9, -0.7, 0.4}, b[2] = {0.1, -0.2};
  sf_graph *g = sf_graph_new(false);
  sf_error err = {0};
  sf_builder bl = th_graph_builder(g, &err);
  int wid, bid, y = build_f(g, w, b, &wid, &bid), grads[2];
  cr_assert_eq(sf_gradients(&bl, y, (int[]){wid, bid}, 2, grads), SF_OK, "%s", err.msg);
  sf_session s;
  sf_runtime rt = {0};
  sf_pass_planner plan;
  cr_assert_eq(th_plan(&rt, &plan, NULL), SF_OK);
  sf_tensor *gv[2];
  sf_session_init(&s, g, 0);
  cr_assert_eq(sf_session_run(&s, &rt, grads, 2, NULL, 0, gv, NULL, &err), SF_OK, "%s", err.msg);
  const double h = 1e-6;
  for (int i = 0; i < 8; i++) {
    double *p = i < 6 ? &w[i] : &b[i - 6], keep = *p;
    *p = keep + h;
    double up = f_at(w, b);
    *p = keep - h;
    double down = f_at(w, b);
    *p = keep;
    double fd = (up - down) / (2 * h), an = sf_tensor_get(gv[i < 6 ? 0 : 1], i < 6 ? i : i - 6);
    cr_assert_lt(fabs(fd - an), 1e-7 * fmax(1, fabs(fd)), "param %d: analytic %.12g, finite difference %.12g", i, an, fd);
  }
  sf_tensor_unref(gv[0]);
  sf_tensor_unref(gv[1]);
  sf_session_free(&s);
  sf_graph_free(g);
}

/* ---- programs ---- */

static sf_trace *run_text(const char *text, sf_mode mode, sf_profile profile, sf_accumulate acc) {
  sf_error err = {0};
  sf_run_options o = {.mode = mode, .profile = profile, .accumulate = acc};
  sf_trace *t = th_run_text(text, &o, &err);
  cr_assert(t, "%s: %d:%d: %s", sf_mode_name(mode), err.line, err.col, err.msg);
  return t;
}

static sf_trace *run_file(const char *name, sf_mode mode, sf_profile profile) {
  char path[512];
  snprintf(path, sizeof path, "%s/examples/%s", SF_SOURCE_ROOT, name);
  sf_error err = {0};
  sf_program *p = sf_program_parse_file(path, &err);
  cr_assert(p, "%s", err.msg);
  sf_run_options o = {.mode = mode, .profile = profile, .implicit_imports = true};
  sf_trace *t = NULL;
  cr_assert_eq(sf_run(p, &o, &t, &err), SF_OK, "%s %s: %d:%d: %s", name, sf_mode_name(mode), err.line, err.col, err.msg);
  sf_program_free(p);
  return t;
}

static bool prints_equal(const sf_trace *t, int a, int b) {
  const sf_trace_print *x = sf_trace_print_at(t, a), *y = sf_trace_print_at(t, b);
  if (x->ntensors != y->ntensors) return false;
  for (int k = 0; k < x->ntensors; k++)
    if (!sf_tensor_bits_equal(x->tensors[k], y->tensors[k])) return false;
  return true;
}

static uint32_t bits_at(const sf_trace *t, int print, int tensor, int i) {
  uint32_t u;
  memcpy(&u, (const float *)sf_trace_print_at(t, print)->tensors[tensor]->data + i, 4);
  return u;
}

static uint32_t fbits(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}

Test(train, keras_dropout_applies_only_when_training) {
  const char *prog =
      "tf.random.set_seed(0)\n"
      "layer = tf.keras.layers.Dropout(.2, input_shape=(2,))\n"
      "data = tf.constant([[0., 1.], [2., 3.], [4., 5.], [6., 7.], [8., 9.]])\n"
      "print(layer(data))\n"
      "print(layer(data, training=True))\n";
  sf_trace *t = run_text(prog, SF_MODE_EAGER, SF_PROFILE_TF2, SF_ACC_SEQUENTIAL);
  const sf_tensor *plain = sf_trace_print_at(t, 0)->tensors[0], *dropped = sf_trace_print_at(t, 1)->tensors[0];
  float want[10] = {0, 1.25f, 2.5f, 3.75f, 5, 6.25f, 7.5f, 8.75f, 10, 0}; /* the Keras docstring */
  for (int i = 0; i < 10; i++) {
    cr_assert_eq(((float *)plain->data)[i], (float)i);
    cr_assert_eq(fbits(((float *)dropped->data)[i]), fbits(want[i]), "element %d", i);
  }
  sf_trace_free(t);
}

Test(train, article_dropout_example_as_written_gives_equal_outputs_in_tf2) {
  for (int m = 0; m < 2; m++) {
    sf_trace *t = run_file("dropout.py", m ? SF_MODE_FUNCTION : SF_MODE_EAGER, SF_PROFILE_TF2);
    cr_assert(prints_equal(t, 0, 1), "mode %d", m);
    sf_trace_free(t);
  }
}

Test(train, article_dropout_example_with_training_differs_because_op_seeds_differ) {
  sf_trace *t = run_file("dropout_training.py", SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_assert_not(prints_equal(t, 0, 1));
  /* Random(42)'s draws: initializer, normal((1, 5)), dropout; after the reset: dropout */
  int64_t seed2[4];
  int k = 0;
  for (int i = 0; i < sf_trace_op_count(t) && k < 4; i++)
    if (sf_trace_op_at(t, i)->rng.present) seed2[k++] = sf_trace_op_at(t, i)->rng.seed2_detail;
  cr_assert_eq(k, 4);
  cr_assert_eq(seed2[0], 0);
  cr_assert_eq(seed2[1], 1);
  cr_assert_eq(seed2[2], 2);
  cr_assert_eq(seed2[3], 0);
  sf_trace_free(t);
  t = run_file("dropout_training.py", SF_MODE_GRAPH, SF_PROFILE_TF1);
  cr_assert_not(prints_equal(t, 0, 1));
  sf_trace_free(t);
}

Test(train, article_sgd_example_repeats_bit_for_bit_in_tf2) {
  for (int m = 0; m < 2; m++) {
    sf_trace *t = run_file("sgd.py", m ? SF_MODE_FUNCTION : SF_MODE_EAGER, SF_PROFILE_TF2);
    cr_assert(prints_equal(t, 0, 1), "mode %d", m);
    /* golden: kernel and bias after two epochs (seedflow's arithmetic; seeds (123, ·)) */
    cr_assert_eq(bits_at(t, 0, 0, 0), fbits(1.45814836f));
    cr_assert_eq(bits_at(t, 0, 1, 0), fbits(1.14228177f));
    sf_trace_free(t);
  }
}

Test(train, graph_tape_and_traced_step_give_the_same_weights) {
  /* eager runs fit's step on the tape, function mode traces it: same bits */
  sf_trace *e = run_file("sgd.py", SF_MODE_EAGER, SF_PROFILE_TF2), *f = run_file("sgd.py", SF_MODE_FUNCTION, SF_PROFILE_TF2);
  cr_assert(sf_tensor_bits_equal(sf_trace_print_at(e, 1)->tensors[0], sf_trace_print_at(f, 1)->tensors[0]));
  cr_assert(sf_tensor_bits_equal(sf_trace_print_at(e, 1)->tensors[1], sf_trace_print_at(f, 1)->tensors[1]));
  sf_trace_free(e);
  sf_trace_free(f);
}

Test(train, tf1_graph_rebuilds_get_new_seeds_without_a_reset_graph) {
  sf_trace *t = run_file("sgd.py", SF_MODE_GRAPH, SF_PROFILE_TF1);
  cr_assert_not(prints_equal(t, 0, 1));
  /* the two initializers: seed2 = node counts 3 and something larger */
  const sf_trace_op *first = NULL, *second = NULL;
  for (int i = 0; i < sf_trace_op_count(t); i++) {
    const sf_trace_op *op = sf_trace_op_at(t, i);
    if (strcmp(op->op, "RandomUniform") != 0) continue;
    if (!first) first = op;
    else if (!second && op->rng.seed2 != first->rng.seed2) second = op;
  }
  cr_assert(first && second);
  cr_assert_eq(first->rng.seed2, 3);
  cr_assert_gt(second->rng.seed2, 3);
  sf_trace_free(t);
}

Test(train, summation_order_changes_trained_weights) {
  const char *prog =
      "tf.random.set_seed(123)\n"
      "model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(1,))])\n"
      "model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.1), loss='mse')\n"
      "x = tf.constant([[0.1], [0.7], [1.3], [2.9], [0.3]])\n"
      "y = tf.constant([[0.2], [1.4], [2.6], [5.8], [0.6]])\n"
      "model.fit(x, y, epochs=2)\n"
      "print(model.get_weights())\n";
  sf_trace *s = run_text(prog, SF_MODE_FUNCTION, SF_PROFILE_TF2, SF_ACC_SEQUENTIAL);
  sf_trace *p = run_text(prog, SF_MODE_FUNCTION, SF_PROFILE_TF2, SF_ACC_PAIRWISE);
  cr_assert_eq(bits_at(s, 0, 0, 0), fbits(0.772313774f));
  cr_assert_eq(bits_at(p, 0, 0, 0), fbits(0.772313833f));
  sf_trace_free(s);
  sf_trace_free(p);
}

Test(train, tf2_fit_shuffles_with_one_random_shuffle_kernel) {
  sf_trace *t = run_file("sgd.py", SF_MODE_FUNCTION, SF_PROFILE_TF2);
  int k = 0;
  for (int i = 0; i < sf_trace_op_count(t); i++) {
    const sf_trace_op *op = sf_trace_op_at(t, i);
    if (strcmp(op->op, "RandomShuffle") != 0) continue;
    cr_assert_eq(op->rng.seed, 123);
    cr_assert_eq(op->rng.seed2, 0);
    cr_assert_eq(op->rng.seed2_source, SF_SEED_GRAPH_COUNTER);
    cr_assert_eq(op->rng.counter[0], (uint32_t)(k % 2)); /* epoch e at e * ceil((3 - 1) / 4) */
    k++;
  }
  cr_assert_eq(k, 4); /* two fits, two epochs each */
  sf_trace_free(t);
}

Test(train, keras_errors_name_the_attribute) {
  sf_error err = {0};
  sf_program *p = sf_program_parse("<t>", "l = tf.keras.layers.Dropout(1.5)\n", &err);
  sf_run_options o = {.implicit_imports = true};
  sf_trace *t = NULL;
  cr_assert_eq(sf_run(p, &o, &t, &err), SF_EINVAL);
  cr_assert_str_eq(err.msg, "Dropout: attribute 'rate' must be in [0, 1), got 1.5");
  cr_assert_eq(err.line, 1);
  cr_assert_eq(err.col, 5);
  sf_trace_free(t);
  sf_program_free(p);
}
