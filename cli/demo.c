/* demo.c — `seedflow demo [weights|dropout|sgd|versions]`: the article's three examples
 * run in TF1 graph mode, TF2 eager and TF2 tf.function, side by side, each claim of the
 * article checked against what the run's trace shows TensorFlow doing; `versions` runs one
 * Keras program under TF 2.2-2.9, 2.10-2.15 and 2.16+ (Keras 3). */
#include <inttypes.h>
#include <string.h>

#include "cli.h"
#include "term.h"

static const char weights_py[] =
    "import numpy as np\n"
    "import tensorflow as tf\n"
    "tf.random.set_seed(1234)\n"
    "weights_tf2 = tf.random.normal([2, 3])\n"
    "print(weights_tf2.numpy())\n"
    "np.random.seed(1234)\n"
    "print(np.random.normal(size=(2,3)))\n";

static const char dropout_py[] =
    "import numpy as np\n"
    "import tensorflow as tf\n"
    "tf.random.set_seed(42)\n"
    "model = tf.keras.Sequential([\n"
    "    tf.keras.layers.Dense(10, input_shape=(5,), activation='relu'),\n"
    "    tf.keras.layers.Dropout(0.5)\n"
    "])\n"
    "x = tf.random.normal((1, 5))\n"
    "output1 = model(x, training=TRAINING)\n"
    "print(output1.numpy())\n"
    "tf.random.set_seed(42)\n"
    "output2 = model(x, training=TRAINING)\n"
    "print(output2.numpy())\n";

static const char sgd_py[] =
    "import numpy as np\n"
    "import tensorflow as tf\n"
    "tf.random.set_seed(123)\n"
    "model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(1,))])\n"
    "model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.1), loss='mse')\n"
    "x = tf.constant(XS)\n"
    "y = tf.constant(YS)\n"
    "model.fit(x, y, epochs=2)\n"
    "print(model.get_weights())\n"
    "tf.random.set_seed(123)\n"
    "model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(1,))])\n"
    "model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.1), loss='mse')\n"
    "model.fit(x, y, epochs=2)\n"
    "print(model.get_weights())\n";

static const char versions_py[] =
    "import tensorflow as tf\n"
    "tf.keras.utils.set_random_seed(42)\n"
    "model = tf.keras.Sequential([\n"
    "    tf.keras.layers.Dense(3, input_shape=(2,)),\n"
    "    tf.keras.layers.Dropout(0.5),\n"
    "    tf.keras.layers.Dense(1),\n"
    "])\n"
    "print(model.get_weights()[0])\n"
    "print(model.get_weights()[2])\n";

typedef struct {
  sf_mode mode;
  sf_profile profile;
  const char *label;
} setting;

static const setting settings[] = {
    {SF_MODE_GRAPH, SF_PROFILE_TF1, "TF1 graph (Session)"},
    {SF_MODE_EAGER, SF_PROFILE_TF2, "TF2 eager"},
    {SF_MODE_FUNCTION, SF_PROFILE_TF2, "TF2 tf.function"},
};

/* Substitutes each "KEY" in text by its value (pairs in subs), into buf. */
static const char *fill(char *buf, size_t len, const char *text, const char *const *subs, int nsubs) {
  size_t o = 0;
  for (const char *s = text; *s && o + 1 < len;) {
    int k = 0;
    while (k < nsubs && strncmp(s, subs[2 * k], strlen(subs[2 * k])) != 0) k++;
    if (k < nsubs) {
      o += (size_t)snprintf(buf + o, len - o, "%s", subs[2 * k + 1]);
      s += strlen(subs[2 * k]);
    } else {
      buf[o++] = *s++;
    }
  }
  buf[o < len ? o : len - 1] = '\0';
  return buf;
}

static sf_trace *run(const char *text, const setting *st, sf_accumulate acc, int *rc) {
  sf_error err = {0};
  sf_program *p = sf_program_parse("<demo>", text, &err);
  sf_trace *t = NULL;
  if (!p) {
    *rc = cli_report(NULL, "<demo>", &err);
    return NULL;
  }
  sf_run_options o = {.mode = st->mode, .profile = st->profile, .accumulate = acc};
  if (sf_run(p, &o, &t, &err) != SF_OK) {
    *rc = cli_report(p, "<demo>", &err);
    sf_trace_free(t);
    t = NULL;
  }
  sf_program_free(p);
  return t;
}

enum { MAX_CELLS = 64 };

/* A print's values in columns of width cw after col characters of label, continuation
 * lines indented to col: as many lines as the terminal's width needs (at most 4). */
static void values(const sf_trace_print *p, int col, int cw) {
  static char buf[MAX_CELLS][40];
  int widest = cw;
  const char *cells[MAX_CELLS];
  int n = 0;
  for (int k = 0; p && k < p->ntensors; k++)
    for (int64_t i = 0; i < p->tensors[k]->n && n < MAX_CELLS; i++, n++) {
      const sf_tensor *t = p->tensors[k];
      if (t->dtype == SF_FLOAT64) snprintf(buf[n], sizeof buf[n], "%.8f", sf_tensor_get(t, i));
      else sf_tensor_format_lossless(t, i, buf[n], sizeof buf[n]);
      cells[n] = buf[n];
      if ((int)strlen(buf[n]) > widest) widest = (int)strlen(buf[n]);
    }
  term_cells(stdout, col, col, cells, NULL, n, widest, term_width(), 4, false);
}

/* The k-th random op execution of the trace (Philox ones), or NULL. */
static const sf_trace_op *random_op(const sf_trace *t, int k) {
  for (int i = 0; i < sf_trace_op_count(t); i++) {
    const sf_trace_op *op = sf_trace_op_at(t, i);
    if (op->rng.present && op->rng.stream == SF_STREAM_PHILOX && k-- == 0) return op;
  }
  return NULL;
}

static bool same(const sf_trace_print *a, const sf_trace_print *b) {
  if (!a || !b || a->ntensors != b->ntensors) return false;
  for (int k = 0; k < a->ntensors; k++)
    if (!sf_tensor_bits_equal(a->tensors[k], b->tensors[k])) return false;
  return true;
}

static int demo_weights(void) {
  int rc = 0;
  puts("== Example 1: weight initialisation\n"
       "   tf.random.set_seed(1234); tf.random.normal([2, 3]); np.random.seed(1234); np.random.normal(size=(2,3))\n");
  sf_trace *numpy = NULL;
  for (size_t i = 0; i < 3 && rc == 0; i++) {
    sf_trace *t = run(weights_py, &settings[i], SF_ACC_SEQUENTIAL, &rc);
    if (!t) break;
    const sf_trace_op *op = random_op(t, 0);
    char seeds[160];
    cli_format_seeds(&op->rng, seeds, sizeof seeds);
    printf("%-22s", settings[i].label);
    values(sf_trace_print_at(t, 0), 22, 12);
    printf("%22s   %s\n", "", seeds);
    if (i == 0) numpy = t;
    else sf_trace_free(t);
  }
  if (numpy) {
    printf("%-22s", "NumPy seed(1234)");
    values(sf_trace_print_at(numpy, 1), 22, 12);
  }
  sf_trace_free(numpy);
  puts("\nFact check:\n"
       "- \"the specific PRNG algorithm ... can differ between versions\": not here. Every mode runs the same Philox4x32-10 kernel and Box-Muller transform (random_op.cc); only seed2 differs.\n"
       "- Why seed2 differs (random_seed.py get_seed): TF1 graph mode takes graph._last_id, the number of ops created so far (the shape, mean and stddev constants: 3); TF2 eager takes the next random.Random(1234).randint(0, 2**31-1); tf.function (TF >= 2.2) counts unseeded random ops in its graph from 0.\n"
       "- \"operator execution order\": not the cause; a per-op kernel gives the same draws in any order.\n"
       "- NumPy \"will return the same values given the same seed\": yes, but from MT19937 and the polar method, so never TensorFlow's numbers.\n");
  return rc;
}

static int demo_dropout(void) {
  int rc = 0;
  puts("== Example 2: Dense(10, relu) + Dropout(0.5); output1 = model(x); set_seed(42); output2 = model(x)\n");
  for (int training = 0; training < 2 && rc == 0; training++) {
    const char *subs[] = {"TRAINING", training ? "True" : "None"};
    char text[1024];
    fill(text, sizeof text, dropout_py, subs, 1);
    printf("%s:\n", training ? "With training=True (dropout active)" : "As written (model(x): training is not set)");
    for (size_t i = 0; i < 3 && rc == 0; i++) {
      sf_trace *t = run(text, &settings[i], SF_ACC_SEQUENTIAL, &rc);
      if (!t) break;
      const sf_trace_print *a = sf_trace_print_at(t, 0), *b = sf_trace_print_at(t, 1);
      printf("  %-20s output1", settings[i].label);
      values(a, 30, 12);
      printf("  %-20s output2", "");
      values(b, 30, 12);
      printf("  %-20s %s\n", "", same(a, b) ? "identical" : "different");
      sf_trace_free(t);
    }
    putchar('\n');
  }
  puts("Fact check:\n"
       "- \"dropout ... resulting in slightly different outputs\": not as written. model(x) without training=True applies no dropout (Keras Dropout.call), so TF2 gives identical outputs. In TF1 graph mode they differ for another reason: every Session.run re-samples x = tf.random.normal((1, 5)), whose kernel continues its Philox counter.\n"
       "- With training=True the masks differ because the op seed does: in TF2 eager the first dropout takes the third draw of random.Random(42) (the initializer and normal() took the first two), the one after set_seed(42) takes the first draw again; in TF1 the two calls build two dropout ops whose seed2 is the node count when each was created.\n");
  return rc;
}

static int demo_sgd(void) {
  int rc = 0;
  puts("== Example 3: SGD(0.1), mse, fit(epochs=2) on y = 2x; seed reset; same again\n");
  const char *nice[] = {"XS", "[[1.0], [2.0], [3.0]]", "YS", "[[2.0], [4.0], [6.0]]"};
  const char *rough[] = {"XS", "[[0.1], [0.7], [1.3], [2.9], [0.3]]", "YS", "[[0.2], [1.4], [2.6], [5.8], [0.6]]"};
  char text[2048];
  fill(text, sizeof text, sgd_py, nice, 2);
  for (size_t i = 0; i < 3 && rc == 0; i++) {
    sf_trace *t = run(text, &settings[i], SF_ACC_SEQUENTIAL, &rc);
    if (!t) break;
    const sf_trace_print *a = sf_trace_print_at(t, 0), *b = sf_trace_print_at(t, 1);
    printf("  %-20s run 1 (kernel, bias)", settings[i].label);
    values(a, 43, 12);
    printf("  %-20s run 2 (kernel, bias)", "");
    values(b, 43, 12);
    printf("  %-20s %s\n", "", same(a, b) ? "identical bits" : "different");
    sf_trace_free(t);
  }
  fill(text, sizeof text, sgd_py, rough, 2);
  puts("\n  Five samples (x = 0.1, 0.7, 1.3, 2.9, 0.3), TF2 tf.function, two summation orders:");
  static const char *const acc_names[] = {"sequential", "pairwise"};
  for (int acc = 0; acc < 2 && rc == 0; acc++) {
    sf_trace *t = run(text, &settings[2], (sf_accumulate)acc, &rc);
    if (!t) break;
    printf("  %-20s run 1 (kernel, bias)", acc_names[acc]);
    values(sf_trace_print_at(t, 0), 43, 12);
    sf_trace_free(t);
  }
  puts("\nFact check:\n"
       "- \"the resulting weights will not be precisely identical\": false in TF2. With the seed reset, the initial weights, the per-epoch shuffle (a RandomShuffle op seeded from the global seed) and the arithmetic repeat exactly, so the runs agree bit for bit.\n"
       "- TF1 graph mode differs for two real reasons: set_random_seed does not reset the graph, so the second model's initializer gets another seed2 (more nodes exist), and Keras's v1 loop shuffles with NumPy's global stream, which tf.set_random_seed does not seed.\n"
       "- What else changes the bits: another summation order in matmul and reductions (--accumulate=pairwise above); training then carries the last-bit difference forward.\n");
  return rc;
}

static int demo_versions(void) {
  static const setting vs[] = {{SF_MODE_EAGER, SF_PROFILE_TF2, "TF 2.2-2.9 (tf2)"},
                               {SF_MODE_EAGER, SF_PROFILE_TF210, "TF 2.10-2.15 (tf2.10)"},
                               {SF_MODE_EAGER, SF_PROFILE_KERAS3, "TF 2.16+ Keras 3"}};
  int rc = 0;
  puts("== Keras versions: keras.utils.set_random_seed(42); Sequential([Dense(3), Dropout(0.5), Dense(1)])\n");
  for (size_t i = 0; i < 3 && rc == 0; i++) {
    sf_trace *t = run(versions_py, &vs[i], SF_ACC_SEQUENTIAL, &rc);
    if (!t) break;
    for (int k = 0; k < 2; k++) {
      const sf_trace_op *op = random_op(t, k);
      char seeds[160];
      cli_format_seeds(&op->rng, seeds, sizeof seeds);
      printf("%-22s", k ? "" : vs[i].label);
      printf("kernel %d", k + 1);
      values(sf_trace_print_at(t, k), 30, 12);
      printf("%22s%s\n", "", seeds);
    }
    sf_trace_free(t);
  }
  puts("\nWhy:\n"
       "- TF 2.2-2.9: the initializers are stateful RandomUniform ops; set_random_seed's tf.random.set_seed(42) gives them op seeds from the eager stream random.Random(42).randint(0, 2**31-1).\n"
       "- TF 2.10-2.15: each initializer is a stateless op seeded [s, 0], s = random.Random(42).randint(1, 10**9) drawn when the layer is built (keras/backend.py RandomGenerator._create_seed); tf.random.set_seed alone would not fix it.\n"
       "- Keras 3: s comes from Python's global random when each layer is constructed, and Dropout's SeedGenerator takes a draw too, so the second Dense gets the third draw: the first kernels agree with TF 2.10-2.15, the second do not.\n");
  return rc;
}

int cmd_demo(int argc, char **argv) {
  static const struct {
    const char *name;
    int (*fn)(void);
  } parts[] = {{"weights", demo_weights}, {"dropout", demo_dropout}, {"sgd", demo_sgd}, {"versions", demo_versions}};
  if (argc > 2) return cli_usage_error("demo: too many arguments");
  if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
    puts("Usage: seedflow demo [weights|dropout|sgd|versions]\n"
         "Runs the article's examples in TF1 graph mode, TF2 eager and TF2 tf.function and checks\n"
         "each of its claims against what TensorFlow really does; 'versions' runs one Keras\n"
         "program under TF 2.2-2.9, 2.10-2.15 and 2.16+ (Keras 3). Without an argument, all four.");
    return 0;
  }
  int rc = 0;
  for (size_t i = 0; i < sizeof parts / sizeof parts[0] && rc == 0; i++)
    if (argc < 2 || strcmp(argv[1], parts[i].name) == 0) rc = parts[i].fn();
  if (argc == 2 && strcmp(argv[1], "weights") && strcmp(argv[1], "dropout") && strcmp(argv[1], "sgd") &&
      strcmp(argv[1], "versions"))
    return cli_usage_error("demo: unknown example '%s' (weights, dropout, sgd, versions)", argv[1]);
  return rc;
}
