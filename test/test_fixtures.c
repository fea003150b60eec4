/* test_fixtures.c — the ways a regression fixture could lie (issue 11), one test each:
 * exact integers, the exit-code contract (0/1/2/3) over every command, UTF-8 and JSON
 * escaping, the strict golden reader (with a table of mutated goldens), unreproducible
 * programs refused by record, budgets, and smaller input/output failures. Every test runs
 * the built binary and asserts the exact first line of the message and the exit status. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
  if (want_err) cr_expect_str_eq(sf_first_line(r.err), want_err, "%s: stderr", cmd);
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

/* ---- 3. UTF-8 ---- */

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
