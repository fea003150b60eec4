/* tsan_executor.c — a standalone runner (no Criterion: its fork runner cannot start under
 * ThreadSanitizer) that drives the parallel executor the way test_executor.c does: shared
 * Generator ops racing for their lock, per-op kernels, variables, wall-clock traces. See
 * docs/threading.md for the build line; exits 0 when every check held. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static int failures;
#define CHECK(c, ...) ((c) ? (void)0 : (void)(failures++, fprintf(stderr, "tsan-executor: " __VA_ARGS__), fputc('\n', stderr)))

static void run_graph(bool generator, int threads, bool deterministic, sf_tensor **out) {
  int fetch[48];
  sf_graph *g = th_wide(48, generator, fetch);
  sf_run_options o = {.passes = "prune,schedule=random:3", .threads = threads, .deterministic = deterministic,
                      .wall_clock = true};
  sf_runtime rt = {.opt = &o, .deterministic = deterministic};
  sf_pass_planner plan;
  CHECK(th_plan(&rt, &plan, NULL) == SF_OK, "pipeline");
  rt.generators = calloc(1, sizeof *rt.generators);
  rt.ngenerators = rt.capgenerators = 1;
  sf_session s;
  sf_session_init(&s, g, 0);
  sf_trace *tr = sf_trace_new(SF_MODE_GRAPH, SF_PROFILE_TF2);
  sf_error err = {0};
  for (int r = 0; r < 3; r++) {
    CHECK(sf_session_run(&s, &rt, fetch, 48, NULL, 0, out, tr, &err) == SF_OK, "run: %s", err.msg);
    if (r < 2)
      for (int i = 0; i < 48; i++) sf_tensor_unref(out[i]);
  }
  FILE *f = fopen("/dev/null", "w");
  CHECK(sf_trace_write_chrome(tr, f) == 0, "chrome trace");
  fclose(f);
  sf_trace_free(tr);
  sf_session_free(&s);
  sf_runtime_free(&rt);
  sf_graph_free(g);
}

static void compare(bool generator, bool deterministic) {
  sf_tensor *ref[48], *got[48];
  run_graph(generator, 0, deterministic, ref);
  int threads[] = {1, 2, 4};
  for (int t = 0; t < 3; t++) {
    run_graph(generator, threads[t], deterministic, got);
    for (int i = 0; i < 48; i++) {
      if (!generator || deterministic)
        CHECK(sf_tensor_bits_equal(ref[i], got[i]), "%s threads=%d value %d differs",
              generator ? "generator" : "per-op", threads[t], i);
      sf_tensor_unref(got[i]);
    }
  }
  for (int i = 0; i < 48; i++) sf_tensor_unref(ref[i]);
}

static void program(void) {
  const char *text =
      "tf.random.set_seed(1)\n"
      "g = tf.random.Generator.from_seed(2)\n"
      "v = tf.Variable(tf.random.normal([4, 4]))\n"
      "x = tf.matmul(v, tf.random.uniform([4, 4])) + g.normal([4])\n"
      "print(x, g.normal([3]), g.uniform([3]))\n";
  sf_error err = {0};
  sf_program *p = sf_program_parse("<tsan>", text, &err);
  CHECK(p, "parse: %s", err.msg);
  for (int t = 1; p && t <= 4; t *= 2) {
    sf_run_options o = {.mode = SF_MODE_GRAPH, .threads = t, .wall_clock = true, .implicit_imports = true};
    sf_trace *tr = NULL;
    CHECK(sf_run(p, &o, &tr, &err) == SF_OK, "program threads=%d: %s", t, err.msg);
    sf_trace_free(tr);
  }
  sf_program_free(p);
}

/* Intra-op shards (engine/intraop.c): big fills and a MatMul split over the pool's workers,
 * two of them at once under the parallel executor (one owns the pool, the other runs its
 * shards itself), printing what one thread prints. */
static void intra_op(void) {
  const char *text =
      "tf.random.set_seed(4)\n"
      "a = tf.random.normal([300, 500])\n"
      "b = tf.random.truncated_normal([500, 300])\n"
      "c = tf.random.uniform([200000])\n"
      "x = tf.matmul(a, b)\n"
      "print(x[0, 0], x[299, 299], tf.reduce_sum(c))\n";
  sf_error err = {0};
  sf_program *p = sf_program_parse("<tsan-intra>", text, &err);
  CHECK(p, "parse: %s", err.msg);
  for (int m = 0; p && m < 2; m++) {
    char *out[2] = {NULL, NULL};
    for (int t = 0; t < 2; t++) { /* one thread, serial; then 3 intra-op threads (graph: 2 executor lanes) */
      sf_run_options o = {.mode = m ? SF_MODE_GRAPH : SF_MODE_EAGER, .threads = m && t ? 2 : 0,
                          .intra_op_threads = t ? 3 : 1, .implicit_imports = true};
      sf_trace *tr = NULL;
      CHECK(sf_run(p, &o, &tr, &err) == SF_OK, "intra-op mode %d: %s", m, err.msg);
      out[t] = tr ? th_prints_and_free(tr) : NULL;
    }
    CHECK(out[0] && out[1] && strcmp(out[0], out[1]) == 0, "intra-op mode %d printed\n%s\nnot\n%s", m,
          out[1] ? out[1] : "", out[0] ? out[0] : "");
    free(out[0]);
    free(out[1]);
  }
  sf_program_free(p);
}

int main(void) {
  intra_op();
  compare(false, false);
  compare(true, false);
  compare(true, true);
  program();
  printf("tsan-executor: %s\n", failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}
