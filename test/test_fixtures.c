/* test_fixtures.c — the ways a regression fixture could lie (issue 11), one test each:
 * exact integers, the exit-code contract (0/1/2/3) over every command, UTF-8 and JSON
 * escaping, the strict golden reader (with a table of mutated goldens), unreproducible
 * programs refused by record, budgets, and smaller input/output failures. Every test runs
 * the built binary and asserts the exact first line of the message and the exit status. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

#include "cli_spawn.h"

static char dir[] = "/tmp/seedflow-fix-XXXXXX";

static void setup(void) { cr_assert_not_null(mkdtemp(dir)); }
static void teardown(void) {
  char cmd[256];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) cr_log_warn("could not remove %s", dir);
}
TestSuite(fixtures, .init = setup, .fini = teardown, .timeout = 120);

/* dir/name in a ring of buffers. */
static const char *in_dir(const char *name) {
  static char buf[32][512];
  static int slot;
  char *p = buf[slot++ % 32];
  snprintf(p, 512, "%s/%s", dir, name);
  return p;
}

static const char *program(const char *name, const char *text) {
  const char *p = in_dir(name);
  cr_assert(sf_write_bytes(p, text, strlen(text)), "cannot write %s", p);
  return p;
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Runs argv and checks the exit status and the first line of stderr (want_err) and, when
 * want_out is non-NULL, the first line of stdout. */
static void expect_run(const char *const *argv, int status, const char *want_err, const char *want_out) {
  sf_spawned r = sf_spawn(dir, argv, NULL);
  char cmd[512] = "";
  for (int i = 0; argv[i] && strlen(cmd) < 400; i++) snprintf(cmd + strlen(cmd), 100, "%.90s ", argv[i]);
  cr_expect_eq(r.status, status, "%s: exit %d, want %d; stderr: %s", cmd, r.status, status, r.err);
  if (want_err) cr_expect_str_eq(sf_first_line(r.err), want_err, "%s: stderr: %s", cmd, r.err);
  if (want_out) cr_expect_str_eq(sf_first_line(r.out), want_out, "%s: stdout", cmd);
  sf_spawned_free(&r);
}

static char *located(const char *file, int line, int col, const char *msg) {
  static char buf[8][1024];
  static int slot;
  char *b = buf[slot++ % 8];
  snprintf(b, 1024, "%s:%d:%d: error: %s", file, line, col, msg);
  return b;
}

/* ---- 1. integers are exact ---- */

Test(fixtures, int32_overflow_in_a_constant_is_tf_error_exit_2) {
  const char *p = program("i32.py", "import tensorflow as tf\nprint(tf.constant([4294967298, 1], dtype=tf.int32))\n");
  expect_run(ARGS("run", p), 2, located(p, 2, 7, "Cannot convert [4294967298, 1] to EagerTensor of dtype int32"), "");
  expect_run(ARGS("run", p, "--mode", "graph"), 2,
             located(p, 2, 7, "Python integer 4294967298 out of bounds for int32"), "");
}

Test(fixtures, big_python_ints_infer_int64_as_tf_does) {
  const char *p = program("i64.py", "import tensorflow as tf\nprint(tf.constant([4294967298, 1]))\n");
  expect_run(ARGS("run", p), 0, "", "tf.Tensor([4294967298          1], shape=(2,), dtype=int64)");
}

Test(fixtures, float_to_int_cast_is_defined_as_tf_x86) {
  const char *p = program("cast.py", "import tensorflow as tf\nprint(tf.cast(tf.constant([1e30, -2.7, 2.7]), tf.int32))\n");
  expect_run(ARGS("run", p), 0, "", "tf.Tensor([-2147483648          -2           2], shape=(3,), dtype=int32)");
}

Test(fixtures, overflowing_shape_is_a_size_limit_not_a_negative_dimension) {
  const char *p = program("shape.py", "import tensorflow as tf\nprint(tf.random.normal([3037000500, 3037000500]))\n");
  expect_run(ARGS("run", p), 2,
             located(p, 2, 7, "node 'random_normal/RandomStandardNormal' (RandomStandardNormal): shape has more than "
                              "16777216 elements (seedflow's tensor size limit)"), "");
}

/* int(t) of a scalar tensor is int(t.numpy()): NaN and infinity are Python's errors, not a
 * float-to-int cast out of range (UBSan, found by fuzz-parser); an int64 keeps every bit. */
Test(fixtures, int_of_a_nan_or_infinite_tensor_is_pythons_error) {
  const char *p = program("intnan.py", "import tensorflow as tf\n"
                                       "for v in [3.7, -2.5, float('inf'), float('nan')]:\n"
                                       "    try:\n"
                                       "        print(int(tf.constant(v)))\n"
                                       "    except (ValueError, OverflowError) as e:\n"
                                       "        print(type(e).__name__, e)\n"
                                       "print(int(tf.constant(2**62 + 1, dtype=tf.int64)))\n");
  sf_spawned r = sf_spawn(dir, ARGS("run", p), NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  cr_expect_str_eq(r.out, "3\n-2\nOverflowError cannot convert float infinity to integer\n"
                          "ValueError cannot convert float NaN to integer\n4611686018427387905\n");
  sf_spawned_free(&r);
}

Test(fixtures, seeds_above_2_53_keep_every_bit) {
  const char *p = program("seed53.py", "import tensorflow as tf\n"
                                       "print(tf.random.stateless_normal([2], seed=[9007199254740992, 1]))\n"
                                       "print(tf.random.stateless_normal([2], seed=[9007199254740993, 1]))\n");
  sf_spawned r = sf_spawn(dir, ARGS("run", p), NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  /* Two seeds one apart: two different Philox keys, so two different draws. */
  cr_expect_str_eq(r.out, "tf.Tensor([0.27862522 1.2301201 ], shape=(2,), dtype=float32)\n"
                          "tf.Tensor([0.23286678 0.7570822 ], shape=(2,), dtype=float32)\n");
  sf_spawned_free(&r);
}

/* Intra-op threads split big fills and MatMuls; what a program prints is the same for every
 * count (and a count past the pool's size is a usage error). */
Test(fixtures, intra_op_threads_change_no_number) {
  const char *p = program("intra.py", "import tensorflow as tf\n"
                                      "tf.random.set_seed(5)\n"
                                      "a = tf.random.normal([400, 300])\n"
                                      "b = tf.random.truncated_normal([300, 200])\n"
                                      "print(tf.matmul(a, b)[399, 199], tf.reduce_sum(tf.random.uniform([200000])))\n");
  sf_spawned one = sf_spawn(dir, ARGS("run", p, "--intra-op-threads", "1", "--mode", "eager"), NULL);
  cr_assert_eq(one.status, 0, "%s", one.err);
  static const char *const counts[] = {"2", "3", "0"};
  for (int i = 0; i < 3; i++) {
    sf_spawned r = sf_spawn(dir, ARGS("run", p, "--intra-op-threads", counts[i], "--mode", "eager"), NULL);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect_str_eq(r.out, one.out, "--intra-op-threads %s", counts[i]);
    sf_spawned_free(&r);
  }
  sf_spawned_free(&one);
  expect_run(ARGS("run", p, "--intra-op-threads", "65"), 2,
             "seedflow: error: --intra-op-threads needs a number from 0 to 64, got '65'", "");
}

/* ---- 3. UTF-8 ---- */

/* A file name is bytes, JSON and the JUnit XML are UTF-8: a name that is not valid UTF-8
 * is written with U+FFFD for each stray byte (record exited 3, "out of memory", found by
 * fuzz-cli). */
Test(fixtures, a_file_name_that_is_not_utf8_is_written_with_replacement_characters) {
  const char *p = program("caf\xe9.py", "import tensorflow as tf\ntf.random.set_seed(1)\nprint(tf.random.uniform([2]))\n");
  const char *g = in_dir("g.json");
  sf_spawned r = sf_spawn(dir, ARGS("record", p, "-o", g), NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  sf_spawned_free(&r);
  json_error_t je;
  json_t *root = json_load_file(g, 0, &je);
  cr_assert(root, "%s", je.text);
  cr_expect_str_eq(json_string_value(json_object_get(root, "file")), "caf\xEF\xBF\xBD.py");
  json_decref(root);
  r = sf_spawn(dir, ARGS("check", p, g, "--format", "junit"), NULL);
  cr_expect_eq(r.status, 0, "%s", r.err);
  cr_expect(strstr(r.out, "/caf\xEF\xBF\xBD.py\" tests=\"3\"") && !strchr(r.out, '\xe9'), "%s", r.out);
  sf_spawned_free(&r);
  static const char *const cmds[] = {"compare", "explain"};
  for (int i = 0; i < 2; i++) {
    r = sf_spawn(dir, ARGS(cmds[i], p, "--format", "json"), NULL);
    cr_expect_eq(r.status, 0, "%s: %s", cmds[i], r.err);
    json_t *v = json_loads(r.out, 0, &je);
    cr_expect(v, "%s: %s", cmds[i], je.text);
    char want[600];
    snprintf(want, sizeof want, "%s/caf\xEF\xBF\xBD.py", dir);
    cr_expect_str_eq(json_string_value(json_object_get(v, "file")), want, "%s", cmds[i]);
    json_decref(v);
    sf_spawned_free(&r);
  }
}

Test(fixtures, invalid_utf8_anywhere_is_a_located_syntax_error) {
  const char *s = program("s.py", "x = 1\ny = \"ab\xff\"\n");
  expect_run(ARGS("run", s), 2, located(s, 2, 8, "invalid utf-8 byte 0xff"), "");
  const char *c = program("c.py", "x = 1  # caf\xc3\n");
  expect_run(ARGS("run", c), 2, located(c, 1, 13, "invalid utf-8 byte 0xc3"), "");
}

/* ---- 7. smaller input failures ---- */

Test(fixtures, nul_byte_is_located) {
  const char *p = in_dir("nul.py");
  cr_assert(sf_write_bytes(p, "x = 1\ny = 'a\0b'\n", 16));
  expect_run(ARGS("run", p), 2, located(p, 2, 7, "source code cannot contain null bytes"), "");
}

Test(fixtures, directory_as_program_names_the_reason) {
  expect_run(ARGS("run", dir), 2, NULL, "");
  char want[600];
  snprintf(want, sizeof want, "seedflow: error: cannot open '%s': Is a directory", dir);
  expect_run(ARGS("run", dir), 2, want, "");
}

Test(fixtures, ops_rejects_an_argument) {
  expect_run(ARGS("ops", "extra"), 2, "seedflow: error: ops: unexpected argument 'extra'", "");
}

/* ---- 4. the strict golden reader: mutated goldens ---- */

/* Two prints (one a tuple) and two random ops; recorded in eager and graph mode. */
static const char golden_prog[] = "import tensorflow as tf\n"
                                  "tf.random.set_seed(1234)\n"
                                  "w = tf.random.normal([2, 3])\n"
                                  "print(w)\n"
                                  "u = tf.random.uniform([2], seed=7)\n"
                                  "print(w, u)\n";

/* How to mutate a golden: set (or, json NULL, delete) the value at path, or an action
 * "!reverse" (the array at json), "!dup" (append a copy of the first entry of the array at
 * json), "!swap-runs", "!truncate", "!empty", "!raw" (replace
 * the first `path` in the text with `json`), "!program" (check another program). */
typedef struct mutation {
  const char *path;
  const char *json;
  int status;
  const char *first;  /* first line of stderr (status 2) or stdout; %G = golden, %F = program */
} mutation;

static json_t *resolve(json_t *root, const char *path, char *last, size_t len) {
  json_t *v = root;
  char buf[256];
  snprintf(buf, sizeof buf, "%s", path);
  char *save, *tok = strtok_r(buf, ".", &save);
  while (tok) {
    char *next = strtok_r(NULL, ".", &save);
    char *br = strchr(tok, '[');
    if (!next && !br) {
      snprintf(last, len, "%s", tok);
      return v;
    }
    if (br) *br = '\0';
    if (*tok) v = json_object_get(v, tok);
    for (char *b = br; b; b = strchr(b + 1, '[')) {
      int idx = atoi(b + 1);
      if (!next && !strchr(b + 1, '[')) {
        snprintf(last, len, "[%d", idx);
        return v;
      }
      v = json_array_get(v, (size_t)idx);
    }
    tok = next;
  }
  return NULL;
}

static void set_at(json_t *root, const char *path, const char *text) {
  char last[64];
  json_t *parent = resolve(root, path, last, sizeof last);
  cr_assert_not_null(parent, "no parent for %s", path);
  json_error_t je;
  json_t *v = text ? json_loads(text, JSON_DECODE_ANY, &je) : NULL;
  if (text) cr_assert_not_null(v, "bad JSON in mutation %s", text);
  if (last[0] == '[') {
    size_t i = (size_t)atoi(last + 1);
    if (v) json_array_set_new(parent, i, v);
    else json_array_remove(parent, i);
  } else if (v) {
    json_object_set_new(parent, last, v);
  } else {
    json_object_del(parent, last);
  }
}

static void reverse_at(json_t *root, const char *path) {
  char last[64];
  json_t *parent = resolve(root, path, last, sizeof last);
  json_t *arr = last[0] == '[' ? json_array_get(parent, (size_t)atoi(last + 1)) : json_object_get(parent, last);
  size_t n = json_array_size(arr);
  for (size_t i = 0; i < n / 2; i++) {
    json_t *a = json_incref(json_array_get(arr, i)), *b = json_incref(json_array_get(arr, n - 1 - i));
    json_array_set_new(arr, i, b);
    json_array_set_new(arr, n - 1 - i, a);
  }
}

static void dup_first(json_t *root, const char *path) {
  char last[64];
  json_t *arr = json_object_get(resolve(root, path, last, sizeof last), last);
  json_array_append_new(arr, json_deep_copy(json_array_get(arr, 0)));
}

static void expand(const char *tmpl, const char *g, const char *f, char *out, size_t len) {
  size_t o = 0;
  for (const char *s = tmpl; *s && o + 1 < len; s++) {
    if (s[0] == '%' && (s[1] == 'G' || s[1] == 'F')) {
      o += (size_t)snprintf(out + o, len - o, "%s", s[1] == 'G' ? g : f);
      s++;
    } else {
      out[o++] = *s;
    }
  }
  out[o < len ? o : len - 1] = '\0';
}

static const mutation mutations[] = {
    /* the top level */
    {"format", "\"seedflow-golden-2\"", 2, "seedflow: error: %G: not a seedflow golden file (format is not 'seedflow/1')"},
    {"format", NULL, 2, "seedflow: error: %G: not a seedflow golden file (format is not 'seedflow/1')"},
    {"runs", "\"x\"", 2, "seedflow: error: %G: $.runs: expected an array, got a string"},
    {"runs", "[]", 2, "seedflow: error: %G: $.runs: has 0 entries, expected 1 to 8"},
    {"runs", NULL, 2, "seedflow: error: %G: $: missing key 'runs'"},
    {"extra", "1", 2, "seedflow: error: %G: $: unknown key 'extra'"},
    {"seedflow", "1", 2, "seedflow: error: %G: $.seedflow: expected a string, got an integer"},
    {"file", "null", 2, "seedflow: error: %G: $.file: expected a string, got null"},
    {"source_sha256", "\"abc\"", 2, "seedflow: error: %G: $.source_sha256: expected 64 lower-case hex digits"},
    {"options", "[]", 2, "seedflow: error: %G: $.options: expected a string, got an array"},
    /* runs */
    {"runs[0]", "[]", 2, "seedflow: error: %G: $.runs[0]: expected an object, got an array"},
    {"runs[0].mode", "\"sideways\"", 2, "seedflow: error: %G: $.runs[0].mode: unknown mode 'sideways' (eager, graph, function)"},
    {"runs[0].profile", "\"tf3\"", 2, "seedflow: error: %G: $.runs[0].profile: unknown profile 'tf3' (tf1, tf2, tf2.10, keras3)"},
    {"runs[0].prints", NULL, 2, "seedflow: error: %G: $.runs[0]: missing key 'prints'"},
    {"runs[0].ops", "{}", 2, "seedflow: error: %G: $.runs[0].ops: expected an array, got an object"},
    {"runs[1].mode", "\"eager\"", 2, "seedflow: error: %G: $.runs[1]: run eager/tf2 is listed twice (also runs[0])"},
    /* prints */
    {"runs[0].prints[0].line", "\"4\"", 2, "seedflow: error: %G: $.runs[0].prints[0].line: expected an integer, got a string"},
    {"runs[0].prints[0].line", "0", 2, "seedflow: error: %G: $.runs[0].prints[0].line: 0 is outside [1, 2147483647]"},
    {"runs[0].prints[0].print", "0", 2, "seedflow: error: %G: $.runs[0].prints[0].print: 0 is outside [1, 2147483647]"},
    {"runs[0].prints[0].item", "0", 2, "seedflow: error: %G: $.runs[0].prints[0].item: 0 is outside [1, 2147483647]"},
    {"runs[0].prints[0].dtype", "\"float16\"", 2, "seedflow: error: %G: $.runs[0].prints[0].dtype: unknown dtype 'float16'"},
    {"runs[0].prints[0].dtype", "\"float\"", 2, "seedflow: error: %G: $.runs[0].prints[0].dtype: unknown dtype 'float'"},
    {"runs[0].prints[0].shape", "[2, -3]", 2, "seedflow: error: %G: $.runs[0].prints[0].shape[1]: -3 is outside [0, 16777216]"},
    {"runs[0].prints[0].shape", "[2, 2]", 2, "seedflow: error: %G: $.runs[0].prints[0].values: has 6 values, the shape needs 4"},
    {"runs[0].prints[0].shape", "[1, 1, 1, 1, 1]", 2, "seedflow: error: %G: $.runs[0].prints[0].shape: has 5 entries, expected 0 to 4"},
    {"runs[0].prints[0].values[0]", "0.1", 2,
     "seedflow: error: %G: $.runs[0].prints[0].values[0]: 0.10000000000000001 is not a float32 value (it does not read back exactly)"},
    {"runs[0].prints[0].values[0]", "1e39", 2,
     "seedflow: error: %G: $.runs[0].prints[0].values[0]: 9.9999999999999994e+38 is not a float32 value (it does not read back exactly)"},
    {"runs[0].prints[0].values[0]", "\"0.5\"", 2,
     "seedflow: error: %G: $.runs[0].prints[0].values[0]: '0.5' is not a float32 value (a number, \"nan\", \"inf\" or \"-inf\")"},
    {"runs[0].prints[0].values[0]", "true", 2, "seedflow: error: %G: $.runs[0].prints[0].values[0]: expected a number, got a boolean"},
    {"runs[0].prints[0].values[0]", "9007199254740993", 2,
     "seedflow: error: %G: $.runs[0].prints[0].values[0]: 9007199254740993 is not exactly a float32 value"},
    {"runs[0].prints[0].expr", "7", 2, "seedflow: error: %G: $.runs[0].prints[0].expr: expected a string, got an integer"},
    {"runs[0].prints[0].values", NULL, 2, "seedflow: error: %G: $.runs[0].prints[0]: missing key 'values'"},
    {"runs[0].prints[0].colour", "\"red\"", 2, "seedflow: error: %G: $.runs[0].prints[0]: unknown key 'colour'"},
    {"runs[0].prints[1].print", "1", 2, "seedflow: error: %G: $.runs[0].prints[1]: duplicates prints[0] (same key)"},
    /* ops */
    {"runs[0].ops[0].seed", "\"1234\"", 2, "seedflow: error: %G: $.runs[0].ops[0].seed: expected an integer, got a string"},
    {"runs[0].ops[0].seed", "1.5", 2, "seedflow: error: %G: $.runs[0].ops[0].seed: expected an integer, got a real number"},
    {"runs[0].ops[0].execution", "0", 2, "seedflow: error: %G: $.runs[0].ops[0].execution: 0 is outside [1, 2147483647]"},
    {"runs[0].ops[0].k", "0", 2, "seedflow: error: %G: $.runs[0].ops[0]: unknown key 'k'"},
    {"runs[0].ops[0].seed_source", "\"moon\"", 2, "seedflow: error: %G: $.runs[0].ops[0].seed_source: unknown seed source 'moon'"},
    {"runs[0].ops[0].counter", "[1, 2, 3]", 2, "seedflow: error: %G: $.runs[0].ops[0].counter: has 3 entries, expected 4 to 4"},
    {"runs[0].ops[0].counter", "\"0,0,1,0\"", 2, "seedflow: error: %G: $.runs[0].ops[0].counter: expected an array, got a string"},
    {"runs[0].ops[0].counter[1]", "4294967296", 2,
     "seedflow: error: %G: $.runs[0].ops[0].counter[1]: 4294967296 is outside [0, 4294967295]"},
    {"runs[0].ops[0].dtype", "\"float16\"", 2, "seedflow: error: %G: $.runs[0].ops[0].dtype: unknown dtype 'float16'"},
    {"runs[0].ops[0].counter_blocks", "-5", 2,
     "seedflow: error: %G: $.runs[0].ops[0].counter_blocks: -5 is outside [0, 9223372036854775807]"},
    {"!dup", "runs[0].ops", 2, "seedflow: error: %G: $.runs[0].ops[2]: duplicates ops[0] (same key)"},
    {"runs[0].ops[0].values", "\"x\"", 2, "seedflow: error: %G: $.runs[0].ops[0].values: expected an array, got a string"},
    {"runs[0].ops[0].values[0]", "\"1.5x\"", 2,
     "seedflow: error: %G: $.runs[0].ops[0].values[0]: '1.5x' is not a float32 value (a number, \"nan\", \"inf\" or \"-inf\")"},
    {"runs[0].ops[0].name", NULL, 2, "seedflow: error: %G: $.runs[0].ops[0]: missing key 'name'"},
    /* the text itself */
    {"!raw", NULL, 2, NULL},
    {"!truncate", NULL, 2, NULL},
    {"!empty", NULL, 2, NULL},
    {"!array", NULL, 2, "seedflow: error: %G: not a seedflow golden file (format is not 'seedflow/1')"},
    /* what check compares: order does not matter, keys do */
    {"!reverse", "runs[0].ops", 0, "check: %F matches %G (2 runs, 6 printed tensors, 5 random draws)"},
    {"!reverse", "runs[1].prints", 0, "check: %F matches %G (2 runs, 6 printed tensors, 5 random draws)"},
    {"!swap-runs", NULL, 0, "check: %F matches %G (2 runs, 6 printed tensors, 5 random draws)"},
    {"runs[1]", NULL, 0, "check: %F matches %G (1 run, 3 printed tensors, 2 random draws)"},
    {"source_sha256", NULL, 0, "check: %F matches %G (2 runs, 6 printed tensors, 5 random draws)"},
    {"runs[0].ops[0].values[0]", "12345", 1,
     "mode eager/tf2, op RandomStandardNormal (line 3), index 0: expected 12345, got 0.836931407"},
    {"runs[0].ops[0].seed", "9223372036854775807", 1,
     "mode eager/tf2, op RandomStandardNormal (line 3), seed: expected 9223372036854775807, got 1234"},
    {"runs[0].ops[1]", NULL, 1, "mode eager/tf2, op RandomUniform (line 5), execution: expected none, got a random draw"},
    {"runs[0].prints[2].item", "3", 1, "mode eager/tf2, print 2 'u' item 2 (line 6), print: expected none, got a printed tensor"},
    {"runs[0].prints[0].values[0]", "\"nan\"", 1, "mode eager/tf2, print 1 'w' (line 4), index 0: expected nan, got 0.836931407"},
    {"runs[0].ops[0].counter[2]", "5", 1, "mode eager/tf2, op RandomStandardNormal (line 3), counter: expected [0,0,5,0], got [0,0,1892932127,0]"},
    {"options", "\"--entropy=5\"", 1, "check: %G was recorded with other options ('--entropy=5', now '')"},
    /* sha256 of golden_prog and of the other program (sha256sum) */
    {"!program", NULL, 1, "check: %G was recorded from a different program (sha256 0fbfbadf5e4b..., %F has d3c75386b137...)"},
};

Test(fixtures, mutated_goldens_give_exact_status_and_first_line) {
  char prog[512], fresh[512];
  snprintf(prog, sizeof prog, "%s", program("m.py", golden_prog));
  snprintf(fresh, sizeof fresh, "%s", in_dir("fresh.json"));
  sf_spawned r = sf_spawn(dir, ARGS("record", prog, "-o", fresh, "--modes", "eager,graph"), NULL);
  cr_assert_eq(r.status, 0, "record: %s", r.err);
  sf_spawned_free(&r);
  size_t n = sizeof mutations / sizeof *mutations;
  cr_assert_geq(n, 40);
  for (size_t k = 0; k < n; k++) {
    const mutation *m = &mutations[k];
    char name[64];
    snprintf(name, sizeof name, "mut%02zu.json", k);
    const char *g = in_dir(name), *file = prog;
    json_error_t je;
    json_t *root = json_load_file(fresh, 0, &je);
    cr_assert_not_null(root, "%s: %s", fresh, je.text);
    size_t len;
    char *text = NULL;
    if (m->path[0] != '!') set_at(root, m->path, m->json);
    else if (!strcmp(m->path, "!reverse")) reverse_at(root, m->json);
    else if (!strcmp(m->path, "!swap-runs")) reverse_at(root, "runs");
    else if (!strcmp(m->path, "!dup")) dup_first(root, m->json);
    if (!strcmp(m->path, "!array")) text = strdup("[1, 2]\n");
    else text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(root);
    len = strlen(text);
    char want[1024] = "";
    if (!strcmp(m->path, "!truncate")) {
      len = 200; /* inside the string of runs[0].mode */
      snprintf(want, sizeof want, "seedflow: error: %s:9:17: invalid JSON: premature end of input near '\"eager'", g);
    } else if (!strcmp(m->path, "!empty")) {
      len = 0;
      snprintf(want, sizeof want, "seedflow: error: %s:1:0: invalid JSON: '[' or '{' expected near end of file", g);
    } else if (!strcmp(m->path, "!raw")) { /* the same key twice */
      char *at = strstr(text, "\"seedflow\":");
      memcpy(at + 1, "format\"  ", 9);
      snprintf(want, sizeof want, "seedflow: error: %s:3:9: invalid JSON: duplicate object key near '\"format\"'", g);
    } else if (!strcmp(m->path, "!program")) {
      file = program("other.py", "import tensorflow as tf\nprint(tf.random.normal([2], seed=1))\n");
    }
    cr_assert(sf_write_bytes(g, text, len));
    free(text);
    if (m->first) expand(m->first, g, file, want, sizeof want);
    r = sf_spawn(dir, ARGS("check", file, g), NULL);
    cr_expect_eq(r.status, m->status, "mutation %zu (%s %s): exit %d, want %d\n%s%s", k, m->path,
                 m->json ? m->json : "(delete)", r.status, m->status, r.out, r.err);
    const char *got = sf_first_line(m->status == 2 ? r.err : r.out);
    cr_expect(strcmp(got, want) == 0, "mutation %zu (%s %s):\n got: %s\nwant: %s", k, m->path,
              m->json ? m->json : "(delete)", got, want);
    sf_spawned_free(&r);
  }
}

/* ---- 2. one exit-code contract over every command ---- */

Test(fixtures, exit_codes_0_1_2_3_hold_for_every_command) {
  char p[512], g[512], big[512];
  snprintf(p, sizeof p, "%s", program("p.py", golden_prog));
  snprintf(g, sizeof g, "%s", in_dir("g.json"));
  snprintf(big, sizeof big, "%s", program("big.py", "import tensorflow as tf\nx = tf.zeros([5000, 5000])\n"));
  static const char full[] = "seedflow: error: cannot write to standard output: No space left on device";
  expect_run(ARGS("record", p, "-o", g), 0, "", "");
  /* every command: success 0, usage 2, a full standard output 3 */
  const char *const *ok[] = {ARGS("run", p), ARGS("compare", p), ARGS("explain", p), ARGS("record", p, "-o", "-"),
                             ARGS("check", p, g), ARGS("demo"), ARGS("ops"), ARGS("help"), ARGS("--version")};
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    expect_run(ok[i], 0, "", NULL);
    sf_spawned r = sf_spawn(dir, ok[i], "/dev/full");
    cr_expect_eq(r.status, 3, "%s > /dev/full: exit %d", ok[i][0], r.status);
    cr_expect_str_eq(sf_first_line(r.err), full, "%s > /dev/full", ok[i][0]);
    sf_spawned_free(&r);
  }
  static const char *const cmds[] = {"run", "compare", "explain", "record", "check", "ops"};
  for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++)
    expect_run(ARGS(cmds[i], "--bogus"), 2, "seedflow: error: unknown option '--bogus'", "");
  expect_run(ARGS("demo", "--bogus"), 2, "seedflow: error: demo: unknown example '--bogus' (weights, dropout, sgd, versions)", "");
  /* invalid input and size limits are 2, never 1 (a golden without the program hash, so
   * that check gets as far as running big.py) */
  char legacy[512];
  snprintf(legacy, sizeof legacy, "%s", in_dir("legacy.json"));
  json_error_t je;
  json_t *root = json_load_file(g, 0, &je);
  json_object_del(root, "source_sha256");
  cr_assert_eq(json_dump_file(root, legacy, 0), 0);
  json_decref(root);
  const char *const *bad[] = {ARGS("run", big), ARGS("compare", big), ARGS("explain", big),
                              ARGS("record", big, "-o", g), ARGS("check", big, legacy)};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    expect_run(bad[i], 2, located(big, 2, 5, "zeros(): shape has more than 16777216 elements (seedflow's tensor size limit)"), "");
  char want[600];
  snprintf(want, sizeof want, "seedflow: error: cannot read '%s': Is a directory", dir);
  expect_run(ARGS("check", p, dir), 2, want, "");
  snprintf(want, sizeof want, "seedflow: error: cannot open '%s': No such file or directory", in_dir("absent.py"));
  expect_run(ARGS("run", in_dir("absent.py")), 2, want, "");
  /* 1 is only "check found a difference" */
  expect_run(ARGS("check", program("p2.py", "import tensorflow as tf\ntf.random.set_seed(1)\nw = tf.random.normal([2, 3])\n"
                                           "print(w)\nu = tf.random.uniform([2], seed=7)\nprint(w, u)\n"), g),
             1, "", NULL);
}

/* ---- 3. JSON, trace and DOT writers escape what the program names ---- */

Test(fixtures, writers_escape_quotes_backslashes_and_unicode) {
  const char *p = program("esc.py", "import tensorflow as tf\n"
                                    "x = tf.random.normal([1], seed=1, name='q\"b\\\\s\\u00e9\\t')\n"
                                    "print(x)\n");
  char tr[512], dot[512];
  snprintf(tr, sizeof tr, "%s", in_dir("t.json"));
  snprintf(dot, sizeof dot, "%s", in_dir("g.dot"));
  sf_spawned r = sf_spawn(dir, ARGS("run", p, "--mode", "graph", "--format", "json", "--trace", tr, "--dot", dot), NULL);
  cr_assert_eq(r.status, 0, "%s", r.err);
  json_error_t je;
  json_t *root = json_loads(r.out, 0, &je);
  cr_assert_not_null(root, "run --format json is not JSON: %s", je.text);
  json_t *op = json_array_get(json_object_get(root, "ops"), 0);
  cr_expect_str_eq(json_string_value(json_object_get(op, "name")), "q\"b\\s\xc3\xa9\t/RandomStandardNormal");
  json_decref(root);
  root = json_load_file(tr, 0, &je);
  cr_expect_not_null(root, "--trace is not JSON: %s (line %d)", je.text, je.line);
  json_decref(root);
  char *d = sf_read_all(dot, NULL);
  cr_assert_not_null(d);
  cr_expect(strstr(d, "q\\\"b\\\\s\xc3\xa9") != NULL, "DOT does not escape the name:\n%s", d);
  free(d);
  sf_spawned_free(&r);
}

/* ---- 5. record refuses draws seeded from the OS ---- */

Test(fixtures, record_refuses_os_seeded_numpy_and_unseeded_ops) {
  const char *sgd = SF_SOURCE_ROOT "/examples/sgd.py";
  const char *g = in_dir("sgd.json");
  expect_run(ARGS("record", sgd, "-o", g), 2,
             located(sgd, 22, 1, "record: NumpyShuffle draws from a NumPy legacy stream seeded from the OS (the "
                                 "global one before any np.random.seed, or a RandomState made without a seed) in mode "
                                 "graph/tf2; seed it (np.random.seed(N), np.random.RandomState(N)), or pass --entropy N"),
             "");
  cr_expect_eq(access(g, F_OK), -1, "a refused record wrote %s", g);
  const char *p = program("unseeded.py", "import tensorflow as tf\nx = tf.random.normal([2])\nprint(x)\n");
  expect_run(ARGS("record", p, "-o", g), 2,
             located(p, 2, 1, "record: RandomStandardNormal has no seed, so TensorFlow seeds it from the OS, in mode "
                              "eager/tf2; set tf.random.set_seed(N) or the op's seed=N, or pass --entropy N"), "");
  /* a RandomState's draws are seeded as it is, not as the global stream (they were taken
   * for the global's: RandomState(0) without np.random.seed was refused); one made without
   * a seed is the OS's until rs.seed(N) */
  const char *rs = program("rs.py", "import numpy as np\nrs = np.random.RandomState(0)\nprint(rs.uniform(0.0, 1.0, 2))\n");
  expect_run(ARGS("record", rs, "-o", g), 0, "", "");
  cr_expect_eq(unlink(g), 0);
  const char *os = program("os.py", "import numpy as np\nrs = np.random.RandomState()\nrs.seed(3)\na = rs.uniform(0.0, 1.0, 2)\n"
                                    "rs2 = np.random.RandomState()\nb = rs2.normal(0.0, 1.0, 2)\n");
  expect_run(ARGS("record", os, "-o", g), 2,
             located(os, 6, 1, "record: NumpyRandomNormal draws from a NumPy legacy stream seeded from the OS (the global "
                               "one before any np.random.seed, or a RandomState made without a seed) in mode eager/tf2; "
                               "seed it (np.random.seed(N), np.random.RandomState(N)), or pass --entropy N"),
             "");
}

Test(fixtures, entropy_makes_os_seeded_programs_reproducible) {
  const char *sgd = SF_SOURCE_ROOT "/examples/sgd.py";
  char g[512], want[1200];
  snprintf(g, sizeof g, "%s", in_dir("sgd.json"));
  expect_run(ARGS("record", sgd, "-o", g, "--entropy", "7"), 0, "", "");
  snprintf(want, sizeof want, "check: %s matches %s (3 runs, 12 printed tensors, 18 random draws)", sgd, g);
  for (int k = 0; k < 3; k++) expect_run(ARGS("check", sgd, g, "--entropy", "7"), 0, "", want);
  snprintf(want, sizeof want, "check: %s was recorded with other options ('--entropy=7', now '')", g);
  expect_run(ARGS("check", sgd, g), 1, "", want);
  expect_run(ARGS("record", sgd, "-o", g, "--entropy", "-1"), 2,
             "seedflow: error: --entropy needs a number from 0 to 18446744073709551615, got '-1'", "");
}

/* ---- 6. budgets ---- */

Test(fixtures, time_limit_is_a_located_exit_2_naming_the_flag) {
  /* The matmul (58 GFLOP: at least 0.4 s on two cores, well under the watchdog's 30 s
   * even under ASan on a loaded machine) outlasts the 0.2 s limit, so the add after it is
   * refused; if building x already took 0.2 s, the matmul is the op refused. Either way
   * the message is exact, located, and names the flag. */
  const char *p = program("slow.py", "import tensorflow as tf\nx = tf.ones([3072, 3072])\ny = tf.matmul(x, x)\n"
                                     "z = y + y\nprint(z)\n");
  sf_spawned r = sf_spawn(dir, ARGS("run", p, "--time-limit", "0.2"), NULL);
  char add[1024], matmul[1024];
  snprintf(add, sizeof add, "%s", located(p, 4, 5, "add: time limit of 0.2 s reached (--time-limit)"));
  snprintf(matmul, sizeof matmul, "%s", located(p, 3, 5, "MatMul: time limit of 0.2 s reached (--time-limit)"));
  const char *got = sf_first_line(r.err);
  cr_expect_eq(r.status, 2);
  cr_expect(strcmp(got, add) == 0 || strcmp(got, matmul) == 0, "got: %s", got);
  sf_spawned_free(&r);
  expect_run(ARGS("run", p, "--time-limit", "0"), 2,
             "seedflow: error: --time-limit needs seconds, more than 0 and at most 1000000, got '0'", "");
}

Test(fixtures, memory_limit_counts_tensors_and_names_the_flag) {
  const char *p = program("mem.py", "import tensorflow as tf\nx = tf.random.normal([512, 512], seed=1)\n"
                                    "z = x * 2.0\ny = x + x\nprint(y)\n");
  /* eager keeps two of random_normal's three 1 MiB tensors: the draw (the trace records it)
   * and x, not the draw * stddev in between (released when the call returns). With z, the
   * program's Python objects and the interpreter's arena (0.2 MiB) they fit in 3300 KiB, y
   * does not */
  expect_run(ARGS("record", p, "-o", in_dir("m.json"), "--memory-limit", "3300K"), 2,
             located(p, 4, 5, "add_1: memory limit of 3.2 MiB reached (--memory-limit): 3.1 MiB in use, the output "
                              "needs 1.0 MiB more"), "");
  /* constants the program builds count too: the third 4 MiB tf.zeros passes 10 MiB */
  const char *z = program("zeros.py", "import tensorflow as tf\na = tf.zeros([1024, 1024])\nb = tf.zeros([1024, 1024])\n"
                                      "c = tf.zeros([1024, 1024])\n");
  expect_run(ARGS("run", z, "--memory-limit", "10M"), 2,
             located(z, 4, 5, "zeros(): memory limit of 10.0 MiB reached (--memory-limit): 8.1 MiB in use, the output "
                              "needs 4.0 MiB more"), "");
  expect_run(ARGS("run", p, "--memory-limit", "1.5G"), 2,
             "seedflow: error: --memory-limit needs a size such as 512M or 4G (K, M, G: powers of 1024), got '1.5G'", "");
}

/* A graph run re-runs its chain for every print; the trace keeps the random ops' values
 * only, so 50 prints of a 100-op chain fit in 16 MiB (every op's output would need 78). */
Test(fixtures, trace_keeps_what_outputs_need) {
  char text[8192] = "import tensorflow as tf\nx = tf.random.normal([64, 64], seed=1)\ny = x\n";
  for (int i = 0; i < 100; i++) strcat(text, "y = y + x\n");
  for (int i = 0; i < 50; i++) strcat(text, "print(y)\n");
  const char *p = program("chain.py", text);
  sf_spawned r = sf_spawn(dir, ARGS("run", p, "--mode", "graph", "--memory-limit", "16M"), NULL);
  cr_expect_eq(r.status, 0, "%s", r.err);
  sf_spawned_free(&r);
}

/* ---- 7. smaller: pass names, output files ---- */

Test(fixtures, unknown_pass_names_are_usage_errors) {
  const char *p = program("p.py", golden_prog);
  expect_run(ARGS("run", p, "--mode", "graph", "--dot", in_dir("g.dot"), "--dot-after", "prnue"), 2,
             "seedflow: error: --dot-after: unknown pass 'prnue' ('input', 'output', or a pass that 'seedflow run "
             "--passes=help' lists)", "");
  expect_run(ARGS("run", p, "--mode", "graph", "--print-after", "prnue"), 2,
             "seedflow: error: --print-after: unknown pass 'prnue' ('all', or a pass that 'seedflow run --passes=help' "
             "lists)", "");
}

/* Output files appear whole or not at all: the golden is written to an unnamed O_TMPFILE
 * file and linked into place, so under a new name no temp name is ever visible. Over an
 * existing file it is linked under a temp name and renamed at once (Linux cannot link an
 * unnamed file over a name): that name exists for microseconds, and a 1 ms poll catching
 * it failed this test now and then on a loaded machine, so the overwrites are checked by
 * what a reader gets, the old or the new file whole (the program writes the same bytes
 * each time). The directory is watched while record writes a few MB; the later records
 * are killed with SIGKILL mid-way. */
static int watch_record(const char *prog, const char *out_dir, const char *out, int kill_after_ms, int *names_seen) {
  pid_t pid = fork();
  cr_assert_neq(pid, -1);
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    execl(SF_CLI_PATH, SF_CLI_PATH, "record", prog, "-o", out, "--modes", "eager", (char *)NULL);
    _exit(127);
  }
  int st = 0, waited = 0;
  for (int ms = 0; (waited = waitpid(pid, &st, WNOHANG)) == 0; ms++) {
    DIR *d = opendir(out_dir);
    for (struct dirent *e; d && (e = readdir(d));)
      if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) (*names_seen)++;
    if (d) closedir(d);
    if (kill_after_ms >= 0 && ms == kill_after_ms) kill(pid, SIGKILL);
    nanosleep(&(struct timespec){0, 1000000}, NULL);
  }
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

Test(fixtures, outputs_are_whole_even_after_sigkill) {
  const char *p = program("big.py", "import tensorflow as tf\nprint(tf.random.normal([400, 400], seed=1))\n");
  char out_dir[512], out[600];
  snprintf(out_dir, sizeof out_dir, "%s", in_dir("out"));
  cr_assert_eq(mkdir(out_dir, 0755), 0);
  snprintf(out, sizeof out, "%s/golden.json", out_dir);
  int seen = 0;
  cr_expect_eq(watch_record(p, out_dir, out, -1, &seen), 0);
  cr_expect_eq(seen, 0, "a hidden temp file was visible %d times", seen);
  struct stat whole;
  cr_assert_eq(stat(out, &whole), 0);
  for (int after = 20; after <= 140; after += 40) { /* killed at different points, over an existing file */
    int ignored = 0, status = watch_record(p, out_dir, out, after, &ignored);
    cr_expect(status == 128 + SIGKILL || status == 0, "status %d", status);
    DIR *d = opendir(out_dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));) n += e->d_name[0] != '.';
    closedir(d);
    cr_expect_eq(n, 1, "after SIGKILL at %d ms: %d entries", after, n);
    struct stat now;
    cr_expect(stat(out, &now) == 0 && now.st_size == whole.st_size, "after SIGKILL at %d ms: not the whole file", after);
  }
}

Test(fixtures, endless_or_huge_source_is_a_size_limit) {
  expect_run(ARGS("run", "/dev/zero"), 2,
             "seedflow: error: '/dev/zero' is larger than 16 MiB (seedflow's source size limit)", "");
  expect_run(ARGS("check", "/dev/zero", in_dir("none.json")), 2, NULL, "");
}

/* Issue 10: with no seed anywhere TF draws fresh numbers every run; `run` says so on
 * stderr, once, below the values (tf-random-semantics.md §2: seed == seed2 == 0 -> New64()). */
Test(fixtures, run_says_when_no_seed_is_set) {
  const char *p = program("unseeded.py", "import tensorflow as tf\nprint(tf.random.uniform([2]))\nprint(tf.random.normal([1]))\n");
  expect_run(ARGS("run", p), 0, "seedflow: note: no seed set; these draws change every run", NULL);
  sf_spawned r = sf_spawn(dir, ARGS("run", p), NULL);
  cr_expect_str_eq(r.err, "seedflow: note: no seed set; these draws change every run\n", "said once");
  sf_spawned_free(&r);
  const char *s = program("seeded.py", "import tensorflow as tf\ntf.random.set_seed(1)\nprint(tf.random.uniform([2]))\n");
  expect_run(ARGS("run", s), 0, "", NULL);
}
