/* test_keras3.c — profiles tf2.10 (TF 2.10-2.15 with tf.keras 2.10-2.15) and keras3 (TF
 * 2.16+ with Keras 3), through the CLI: every worked example and verified output of
 * tf-random-semantics-keras3.md §5-§6 that seedflow runs, bit for bit (float32 values
 * printed with 9 significant digits identify the float exactly), the Keras version rules
 * of §0 (B9-B13), what explain and compare say, and the errors and notes other profiles
 * give for these APIs. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_spawn.h"

/* Runs `seedflow ARGS... FILE` on program text; the spawned result. */
static sf_spawned run_prog(const char *prog, const char *const *args) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/sf-keras3-%d.py", (int)getpid());
  cr_assert(sf_write_bytes(path, prog, strlen(prog)));
  const char *argv[16];
  int n = 0;
  for (; args[n]; n++) argv[n] = args[n];
  argv[n++] = path;
  argv[n] = NULL;
  sf_spawned r = sf_spawn(NULL, argv, NULL);
  unlink(path);
  return r;
}

/* Every print of a run (`run --format json`) as float32 values with 9 significant
 * digits (ints as ints), one line per print. */
static char *prints_of(const char *prog, const char *profile, const char *keras) {
  const char *args[] = {"run", "--format", "json", keras ? "--keras" : "--profile", keras ? keras : profile, NULL};
  sf_spawned r = run_prog(prog, args);
  cr_assert_eq(r.status, 0, "status %d: %s", r.status, r.err);
  json_error_t je;
  json_t *root = json_loads(r.out, 0, &je);
  cr_assert(root, "json: %s", je.text);
  size_t cap = 1 << 16, len = 0;
  char *s = calloc(cap, 1);
  json_t *p;
  size_t i;
  json_array_foreach(json_object_get(root, "prints"), i, p) {
    json_t *v;
    size_t k;
    bool is_float = strncmp(json_string_value(json_object_get(p, "dtype")), "float", 5) == 0;
    json_array_foreach(json_object_get(p, "values"), k, v) {
      len += (size_t)snprintf(s + len, cap - len, k ? " " : "");
      if (is_float) len += (size_t)snprintf(s + len, cap - len, "%.9g", (double)(float)json_number_value(v));
      else len += (size_t)snprintf(s + len, cap - len, "%lld", (long long)json_integer_value(v));
    }
    len += (size_t)snprintf(s + len, cap - len, "\n");
  }
  json_decref(root);
  sf_spawned_free(&r);
  return s;
}

static void expect_prints(const char *prog, const char *profile, const char *keras, const char *want) {
  char *got = prints_of(prog, profile, keras);
  cr_expect_str_eq(got, want, "profile %s keras %s", profile ? profile : "-", keras ? keras : "-");
  free(got);
}

/* Whether the first two lines of s are equal. */
static bool first_two_equal(const char *s) {
  const char *nl = strchr(s, '\n');
  size_t n = nl ? (size_t)(nl - s + 1) : 0;
  return nl && strncmp(s, s + n, n) == 0;
}

/* ---- §6.1 stateless ops (E1, E2, E3, E5) and §5 V5, in both new profiles ---- */

Test(keras3, stateless_worked_examples_E1_E2_E3_E5) {
  static const char prog[] =
      "import tensorflow as tf\n"
      "print(tf.random.stateless_uniform([3], seed=[1, 2]))\n"
      "print(tf.random.stateless_normal([2, 3], seed=[42, 0]))\n"
      "print(tf.random.stateless_truncated_normal([2, 2], seed=[0, 0]))\n"
      "print(tf.random.stateless_uniform([4], seed=[0, 0]))\n";
  static const char want[] =
      "0.844060421 0.192045331 0.996223211\n"
      "0.015817076 -1.59008694 0.10359446 0.811745942 -1.61035502 -1.57910454\n"
      "-1.697034 -0.481376708 -0.662236929 0.0870111883\n"
      "0.211015463 0.706009984 0.800063372 0.770792246\n";
  expect_prints(prog, "tf2.10", NULL, want);
  expect_prints(prog, "keras3", NULL, want);
}

Test(keras3, guide_stateless_normal_V5) { /* tensorflow.org guide: first two values */
  static const char prog[] = "import tensorflow as tf\nprint(tf.random.stateless_normal(shape=[2, 3], seed=[1, 2]))\n";
  const char *args[] = {"run", "--profile", "keras3", NULL};
  sf_spawned r = run_prog(prog, args);
  cr_expect_eq(r.status, 0);
  cr_expect(strncmp(r.out, "tf.Tensor(\n[[ 0.5441101   0.20738031 ", 37) == 0, "got: %s", r.out);
  sf_spawned_free(&r);
}

/* ---- §6.2 tf.keras 2.10-2.15 ---- */

Test(keras3, tf_keras_initializers_K2_1_K2_2) {
  static const char prog[] =
      "import tensorflow as tf\n"
      "print(tf.keras.initializers.RandomNormal(mean=0., stddev=1., seed=42)((2, 3)))\n"
      "print(tf.keras.initializers.RandomNormal(seed=42)((2, 3)))\n"
      "print(tf.keras.initializers.GlorotUniform(seed=0)((2, 2)))\n";
  static const char want[] =
      "0.015817076 -1.59008694 0.10359446 0.811745942 -1.61035502 -1.57910454\n"
      "0.00079085381 -0.0795043483 0.00517972326 0.0405872986 -0.080517754 -0.0789552256\n"
      "-0.707864702 0.50461936 0.73500216 0.663302898\n";
  expect_prints(prog, "tf2.10", NULL, want);
  expect_prints(prog, NULL, "2.12", want);
  expect_prints(prog, "keras3", NULL, want); /* §4.3: for an int seed Keras 3 gives the same values */
}

/* §1.3 / V6: the Keras Dropout docstring, the legacy stateful path with eager op seeds. */
Test(keras3, tf_keras_dropout_docstring_V6) {
  static const char prog[] =
      "import numpy as np\nimport tensorflow as tf\n"
      "tf.random.set_seed(0)\n"
      "layer = tf.keras.layers.Dropout(.2, input_shape=(2,))\n"
      "data = np.arange(10).reshape(5, 2).astype(np.float32)\n"
      "print(layer(data, training=True))\n";
  expect_prints(prog, "tf2.10", NULL, "0 1.25 2.5 3.75 5 6.25 7.5 8.75 10 0\n");
}

/* The RandomShuffle values of a run's fit, one line per epoch. */
static char *fit_permutations(const char *profile) {
  static const char prog[] =
      "import numpy as np\nimport tensorflow as tf\n"
      "tf.keras.utils.set_random_seed(42)\n"
      "x = np.arange(20, dtype=np.float32).reshape(10, 2)\n"
      "y = np.ones((10, 1), dtype=np.float32)\n"
      "model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])\n"
      "model.compile(optimizer='sgd', loss='mse')\n"
      "model.fit(x, y, batch_size=10, epochs=3, shuffle=True, verbose=0)\n";
  const char *args[] = {"run", "--format", "json", "--profile", profile, NULL};
  sf_spawned r = run_prog(prog, args);
  cr_assert_eq(r.status, 0, "%s", r.err);
  json_t *root = json_loads(r.out, 0, NULL), *op;
  cr_assert(root);
  char *s = calloc(1024, 1);
  size_t i, len = 0;
  json_array_foreach(json_object_get(root, "ops"), i, op) {
    if (strcmp(json_string_value(json_object_get(op, "op")), "RandomShuffle") != 0) continue;
    json_t *v;
    size_t k;
    json_array_foreach(json_object_get(op, "values"), k, v) len += (size_t)snprintf(s + len, 1024 - len, "%s%lld", k ? " " : "", (long long)json_integer_value(v));
    len += (size_t)snprintf(s + len, 1024 - len, " @%lld\n", (long long)json_integer_value(json_array_get(json_object_get(op, "counter"), 0)));
  }
  json_decref(root);
  sf_spawned_free(&r);
  return s;
}

Test(keras3, fit_shuffle_K2_6_and_K3_6) {
  char *s = fit_permutations("tf2.10"); /* one iterator for all epochs: offsets 0, 3, 6 blocks */
  cr_expect_str_eq(s, "3 8 7 5 2 0 1 6 9 4 @0\n1 9 5 3 4 7 0 2 6 8 @3\n2 4 5 7 3 8 0 1 6 9 @6\n");
  free(s);
  s = fit_permutations("keras3"); /* a new iterator every epoch: the same permutation (§4.6) */
  cr_expect_str_eq(s, "3 8 7 5 2 0 1 6 9 4 @0\n3 8 7 5 2 0 1 6 9 4 @0\n3 8 7 5 2 0 1 6 9 4 @0\n");
  free(s);
}

/* §3.2/§3.4: an unseeded initializer draws Random(s).randint(1, 10**9) at its first call
 * (Random(42) -> 686579304, §8) and repeats its values; tf.random.set_seed alone does not
 * fix it, keras.utils.set_random_seed does. */
Test(keras3, tf_keras_unseeded_initializer_draws_from_python_random) {
  static const char prog[] =
      "import tensorflow as tf\n"
      "tf.keras.utils.set_random_seed(42)\n"
      "init = tf.keras.initializers.RandomUniform()\n"
      "print(init((3,)))\n"
      "print(init((3,)))\n"
      "print(tf.random.stateless_uniform([3], seed=[686579304, 0], minval=-0.05, maxval=0.05))\n";
  char *got = prints_of(prog, "tf2.10", NULL);
  size_t n = (size_t)(strchr(got, '\n') - got + 1);
  cr_expect(first_two_equal(got) && first_two_equal(got + n), "got: %s", got);
  free(got);
}

/* ---- §6.3 Keras 3 ---- */

Test(keras3, keras_random_normal_K3_1_and_dropout_K3_4) {
  static const char prog[] =
      "import numpy as np\nimport keras\n"
      "print(keras.random.normal((2, 3), seed=42))\n"
      "d = keras.layers.Dropout(0.5, seed=1)\n"
      "x = np.ones((1, 8), dtype=np.float32)\n"
      "print(d(x, training=True))\n"
      "print(d(x, training=True))\n";
  expect_prints(prog, "keras3", NULL,
                "0.015817076 -1.59008694 0.10359446 0.811745942 -1.61035502 -1.57910454\n"
                "2 0 2 0 0 0 0 2\n"
                "0 0 0 0 0 0 2 2\n");
}

/* V4 through Keras: a SeedGenerator(8) advanced 9 times has state [8, 9]; 3.0-3.7 shuffle
 * is stateless_shuffle (the docstring's [[5,6],[1,2],[3,4]]), 3.8+ argsorts uniforms. */
Test(keras3, shuffle_V4_and_its_3_8_change) {
  static const char prog[] =
      "import keras\nimport tensorflow as tf\n"
      "g = keras.random.SeedGenerator(8)\n"
      "for _ in range(9):\n"
      "    g.next()\n"
      "print(keras.random.shuffle(tf.constant([[1, 2], [3, 4], [5, 6]]), seed=g))\n"
      "print(tf.random.stateless_uniform([3], seed=[8, 9]))\n";
  char *got = prints_of(prog, NULL, "3.7");
  cr_expect(strncmp(got, "5 6 1 2 3 4\n", 12) == 0, "got: %s", got);
  free(got);
  got = prints_of(prog, NULL, "3.8"); /* the order of the uniforms drawn with [8, 9] */
  float u[3];
  const char *nl = strchr(got, '\n');
  cr_assert(nl && sscanf(nl + 1, "%g %g %g", &u[0], &u[1], &u[2]) == 3, "got: %s", got);
  int perm[3] = {0, 1, 2};
  for (int i = 1; i < 3; i++)
    for (int j = i; j > 0 && u[perm[j - 1]] > u[perm[j]]; j--) {
      int t = perm[j];
      perm[j] = perm[j - 1], perm[j - 1] = t;
    }
  char want[64];
  snprintf(want, sizeof want, "%d %d %d %d %d %d\n", 2 * perm[0] + 1, 2 * perm[0] + 2, 2 * perm[1] + 1, 2 * perm[1] + 2,
           2 * perm[2] + 1, 2 * perm[2] + 2);
  cr_expect(strncmp(got, want, strlen(want)) == 0, "got: %s want %s", got, want);
  free(got);
}

/* keras.random.categorical is stateless_categorical with [seed, 0]. */
Test(keras3, categorical_is_stateless_categorical) {
  static const char prog[] =
      "import keras\nimport tensorflow as tf\n"
      "print(keras.random.categorical([[0.0, 1.0, 2.0]], 6, seed=5))\n"
      "print(tf.random.stateless_categorical([[0.0, 1.0, 2.0]], 6, seed=[5, 0], dtype=tf.int32))\n";
  char *got = prints_of(prog, "keras3", NULL);
  cr_expect(first_two_equal(got), "got: %s", got);
  free(got);
}

/* B11: keras.utils.set_random_seed resets the global SeedGenerator only from 3.13 on, so
 * an unseeded keras.random sequence repeats after re-seeding there and goes on before. */
Test(keras3, set_random_seed_resets_the_global_generator_from_3_13) {
  static const char prog[] =
      "import keras\n"
      "keras.utils.set_random_seed(7)\n"
      "print(keras.random.uniform((2,)))\n"
      "keras.utils.set_random_seed(7)\n"
      "print(keras.random.uniform((2,)))\n";
  char *a = prints_of(prog, NULL, "3.13"), *b = prints_of(prog, NULL, "3.12");
  size_t n = (size_t)(strchr(a, '\n') - a + 1);
  cr_expect(first_two_equal(a), "3.13 repeats: %s", a);
  cr_expect(strncmp(b, a, n) == 0 && !first_two_equal(b), "3.12 goes on: %s", b);
  free(a);
  free(b);
}

/* Random(7).randint(1, 10**9) = 347712783 (CPython); the global SeedGenerator's first
 * state is [347712783, 0], its next ((s+1)*5387 % 933199, 5387): the unordered update. */
Test(keras3, global_seed_generator_states) {
  static const char prog[] =
      "import keras\nimport tensorflow as tf\n"
      "keras.utils.set_random_seed(7)\n"
      "print(keras.random.uniform((2,)))\n"
      "print(keras.random.uniform((2,)))\n"
      "print(tf.random.stateless_uniform([2], seed=[347712783, 0]))\n"
      "print(tf.random.stateless_uniform([2], seed=[(347712783 + 1) * 5387 % 933199, 5387]))\n";
  char *a = prints_of(prog, "keras3", NULL);
  char line[4][128];
  cr_assert_eq(sscanf(a, "%127[^\n]\n%127[^\n]\n%127[^\n]\n%127[^\n]", line[0], line[1], line[2], line[3]), 4, "%s", a);
  cr_expect_str_eq(line[0], line[2]);
  cr_expect_str_eq(line[1], line[3]);
  free(a);
}

/* B12: Dropout(0.0) draws a seed (takes a Python-random draw) only before 3.0.3. */
Test(keras3, dropout_rate_zero_draws_before_3_0_3) {
  static const char prog[] =
      "import keras\n"
      "keras.utils.set_random_seed(3)\n"
      "keras.layers.Dropout(0.0)\n"
      "print(keras.initializers.RandomNormal()((2,)))\n"
      "keras.utils.set_random_seed(3)\n"
      "print(keras.initializers.RandomNormal()((2,)))\n";
  char *a = prints_of(prog, NULL, "3.0.2"), *b = prints_of(prog, NULL, "3.0.3");
  cr_expect(!first_two_equal(a), "3.0.2 shifts: %s", a);
  cr_expect(first_two_equal(b), "3.0.3 does not: %s", b);
  free(a);
  free(b);
}

/* B10: seed=0 is 'no seed' on Keras 3.0-3.1 (`seed or make_default_seed()`). */
Test(keras3, initializer_seed_zero_before_3_2) {
  static const char prog[] =
      "import keras\nimport tensorflow as tf\n"
      "print(keras.initializers.RandomNormal(seed=0)((2,)))\n"
      "print(tf.random.stateless_normal([2], seed=[0, 0], stddev=0.05))\n";
  char *a = prints_of(prog, NULL, "3.2"), *b = prints_of(prog, NULL, "3.1");
  cr_expect(first_two_equal(a), "3.2: seed 0 is [0, 0]: %s", a);
  cr_expect(!first_two_equal(b), "3.1: seed 0 draws: %s", b);
  free(a);
  free(b);
}

/* B9: 3.0-3.4 keep the state in uint32 (the unordered update wraps, a seed >= 2**31
 * becomes negative as int32); 3.5+ in int64 reduced by floormod 2147483646. */
Test(keras3, seed_state_dtype_before_and_from_3_5) {
  static const char prog[] =
      "import keras\nimport tensorflow as tf\n"
      "print(keras.random.uniform((2,), seed=keras.random.SeedGenerator(3000000000)))\n"
      "print(tf.random.stateless_uniform([2], seed=[3000000000 - 2**32, 0]))\n"
      "print(tf.random.stateless_uniform([2], seed=[3000000000 % 2147483646, 0]))\n";
  char *a = prints_of(prog, NULL, "3.4"), *b = prints_of(prog, NULL, "3.5");
  char l[3][128];
  cr_assert_eq(sscanf(a, "%127[^\n]\n%127[^\n]\n%127[^\n]", l[0], l[1], l[2]), 3);
  cr_expect_str_eq(l[0], l[1]);
  cr_assert_eq(sscanf(b, "%127[^\n]\n%127[^\n]\n%127[^\n]", l[0], l[1], l[2]), 3);
  cr_expect_str_eq(l[0], l[2]);
  free(a);
  free(b);
}

/* ---- explain, compare, and other profiles ---- */

Test(keras3, explain_names_the_keras_seed_sources) {
  static const char prog[] =
      "import numpy as np\nimport keras\n"
      "keras.utils.set_random_seed(42)\n"
      "d = keras.layers.Dense(2, input_shape=(2,))\n"
      "model = keras.Sequential([d, keras.layers.Dropout(0.5)])\n"
      "print(model(np.ones((1, 2), dtype=np.float32), training=True))\n"
      "import tensorflow as tf\n"
      "print(tf.random.stateless_uniform([2], seed=[1, 2]))\n";
  const char *args[] = {"run", "--profile", "keras3", "--format", "json", NULL};
  sf_spawned r = run_prog(prog, args);
  cr_expect_eq(r.status, 0, "%s", r.err);
  cr_expect(strstr(r.out, "\"seed\": 686579304,\n   \"seed2\": 0,\n   \"seed_source\": \"python-random\",\n   \"seed2_source\": \"stateless\""),
            "got: %s", r.out);
  cr_expect(strstr(r.out, "\"seed\": 119540832,\n   \"seed2\": 0,\n   \"seed_source\": \"python-random\",\n   \"seed2_source\": \"seed-generator\""),
            "got: %s", r.out);
  sf_spawned_free(&r);
  const char *eargs[] = {"explain", "--profile", "keras3", NULL};
  r = run_prog(prog, eargs);
  cr_expect_eq(r.status, 0, "%s", r.err);
  cr_expect(strstr(r.out, "seed  = 686579304: Keras drew it from Python's random: python-random draw 0 (random.randint(1, "
                          "10**9), counted from the last seeding)\n"), "got: %s", r.out);
  cr_expect(strstr(r.out, "seed2 = 0: it is Keras 3's SeedGenerator state [119540832, 0], which every draw advances\n"), "got: %s", r.out);
  cr_expect(strstr(r.out, "seed2 = 2: it is part of the stateless seed [1, 2] the call passes\n"), "got: %s", r.out);
  sf_spawned_free(&r);
  const char *cargs[] = {"compare", "--modes", "eager:tf2,eager:tf2.10,eager:keras3", NULL};
  r = run_prog(prog, cargs);
  cr_expect_eq(r.status, 0, "%s", r.err); /* the same program, three weight sets */
  cr_expect(strstr(r.out, "\n  eager/tf2    0.0854607821 ") && strstr(r.out, "\n  eager/tf2.10   1.06258786*") &&
            strstr(r.out, "\n  eager/keras3   1.06258786*"), "got: %s", r.out);
  sf_spawned_free(&r);
}

Test(keras3, keras3_api_under_older_profiles_is_a_located_error) {
  static const char prog[] = "import keras\nx = 1\nprint(keras.random.normal((2,), seed=1))\n";
  const char *args[] = {"run", "--profile", "tf2", NULL};
  sf_spawned r = run_prog(prog, args);
  cr_expect_eq(r.status, 2);
  cr_expect(strstr(r.err, ":3:7: error: keras.random.normal is Keras 3 API (TF 2.16+), not in TensorFlow 2.2-2.9's "
                          "tf.keras: run with --profile keras3\n"), "got: %s", r.err);
  sf_spawned_free(&r);
  const char *args2[] = {"run", "--profile", "tf2.10", NULL};
  r = run_prog(prog, args2);
  cr_expect(strstr(r.err, "not in TensorFlow 2.10-2.15's tf.keras: run with --profile keras3\n"), "got: %s", r.err);
  sf_spawned_free(&r);
}

Test(keras3, set_random_seed_under_tf2_notes_the_profiles_that_use_python_random) {
  static const char prog[] = "import tensorflow as tf\ntf.keras.utils.set_random_seed(1)\nprint(tf.random.uniform([1]))\n";
  const char *args[] = {"run", "--profile", "tf2", NULL};
  sf_spawned r = run_prog(prog, args);
  cr_expect_eq(r.status, 0);
  cr_expect(strstr(r.err, "tf.keras.utils.set_random_seed: in TF 2.10-2.15 Keras initializers take their seeds from "
                          "Python's random (profile tf2.10); in TF 2.16+ Keras 3 does (profile keras3)"), "got: %s", r.err);
  sf_spawned_free(&r);
}

/* §5 V1-V4: the stateless_split, stateless_fold_in and stateless_shuffle docstrings, as
 * TensorFlow prints them, in both new profiles. */
Test(keras3, stateless_split_fold_in_shuffle_docstrings_V1_to_V4) {
  static const char prog[] =
      "import tensorflow as tf\n"
      "new_seeds = tf.random.experimental.stateless_split([1, 2], num=3)\n"
      "print(new_seeds)\n"
      "print(tf.random.stateless_normal(shape=[3], seed=new_seeds.numpy()[0]))\n"
      "s = tf.random.experimental.stateless_fold_in([1, 2], 3)\n"
      "print(s)\n"
      "print(tf.random.stateless_normal([3], seed=s))\n"
      "print(tf.random.experimental.stateless_shuffle([[1, 2], [3, 4], [5, 6]], seed=[8, 9]))\n";
  static const char want[] =
      "tf.Tensor(\n[[1105988140 1738052849]\n [-335576002  370444179]\n [  10670227 -246211131]], shape=(3, 2), dtype=int32)\n"
      "tf.Tensor([-0.59835213 -0.9578608   0.9002807 ], shape=(3,), dtype=float32)\n"
      "tf.Tensor([1105988140          3], shape=(2,), dtype=int32)\n"
      "tf.Tensor([0.03197195 0.8979765  0.13253039], shape=(3,), dtype=float32)\n"
      "tf.Tensor(\n[[5 6]\n [1 2]\n [3 4]], shape=(3, 2), dtype=int32)\n";
  static const char *const profiles[] = {"tf2.10", "keras3"};
  for (int i = 0; i < 2; i++) {
    const char *args[] = {"run", "--profile", profiles[i], NULL};
    sf_spawned r = run_prog(prog, args);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(r.out, want, "profile %s", profiles[i]);
    sf_spawned_free(&r);
  }
}

/* A SeedGenerator drawn while tracing (function mode, TF1 graph) is refused with a located
 * error: its state is a variable the graph advances per call, not a trace-time constant. */
Test(keras3, traced_seed_generator_draws_are_refused) {
  const char *prog = "import keras\nimport tensorflow as tf\ng = keras.random.SeedGenerator(1)\n"
                     "@tf.function\ndef f():\n    return keras.random.normal([2], seed=g)\nprint(f())\n";
  sf_spawned r = run_prog(prog, (const char *const[]){"run", "--profile", "keras3", "--mode", "function", NULL});
  cr_expect_eq(r.status, 2);
  cr_expect(strstr(r.err, ":6:12: error: unsupported: a Keras 3 SeedGenerator drawn inside a traced function or graph "
                          "(its state variable advances per call there); seedflow models Keras 3 randomness in eager "
                          "mode: use --mode eager\n") != NULL, "got: %s", r.err);
  sf_spawned_free(&r);
  r = run_prog(prog, (const char *const[]){"run", "--profile", "keras3", "--mode", "eager", NULL});
  cr_expect_eq(r.status, 0, "%s", r.err);
  sf_spawned_free(&r);
}

/* An initializer named by a string is the class made with no arguments (initializers.get):
 * the same draws as the object. The API's result is borrowed: the initializer took one
 * reference too few and the object was freed twice at the end of the run (an abort). */
Test(keras3, initializer_by_name_is_the_object) {
  /* the objects are made after the seeding: an unseeded one draws its seed from Python's
   * random when it is made (make_default_seed, _create_seed(None)) */
  static const char prog[] = "import numpy as np\nimport tensorflow as tf\nx = np.ones((1, 2), dtype=np.float32)\n"
                             "for init in ['he_uniform', tf.keras.initializers.HeUniform, 'glorot_normal',\n"
                             "             tf.keras.initializers.GlorotNormal]:\n"
                             "    tf.keras.utils.set_random_seed(7)\n"
                             "    d = tf.keras.layers.Dense(3, kernel_initializer=init if isinstance(init, str) else init())\n"
                             "    d(x)\n"
                             "    print(d.kernel.numpy())\n";
  for (int p = 0; p < 2; p++) {
    char *got = prints_of(prog, p ? "keras3" : "tf2.10", NULL);
    const char *l[4] = {got};
    for (int i = 1; i < 4; i++) {
      cr_assert(strchr(l[i - 1], '\n'), "%s", got);
      l[i] = strchr(l[i - 1], '\n') + 1;
    }
    cr_expect(first_two_equal(l[0]) && first_two_equal(l[2]) && strncmp(l[0], l[2], (size_t)(l[1] - l[0])) != 0, "%s", got);
    free(got);
  }
}
