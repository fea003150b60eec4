/* test_executor.c — the parallel executor on libuv's pool: per-op kernels give the serial
 * bits for every thread count, a shared Generator stays consistent (each block drawn once)
 * and --deterministic restores program order; the Chrome trace-event JSON it feeds. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* ---- graph helpers (helpers.h) ---- */

static int add_op(sf_graph *g, const char *type, const int *in, int nin, const char *attr, int64_t v) {
  sf_error err = {0};
  int id = th_add_op(g, type, in, nin, attr, v, &err);
  cr_assert(id, "%s: %s", type, err.msg);
  return id;
}

typedef struct result {
  sf_tensor *v[64];
  int n;
  sf_trace *tr;
} result;

/* Runs the fetches `runs` times in one session (kernel counters continue). */
static void run_session(sf_graph *g, const int *fetch, int n, int runs, const sf_run_options *o, bool generator,
                        result *out) {
  sf_runtime rt = {.opt = o, .deterministic = o->deterministic};
  sf_pass_planner plan;
  cr_assert_eq(th_plan(&rt, &plan, NULL), SF_OK);
  if (generator) {
    rt.generators = calloc(1, sizeof *rt.generators);
    rt.generators[0].state.ctr[0] = 7;
    rt.ngenerators = rt.capgenerators = 1;
  }
  sf_session s;
  sf_session_init(&s, g, 0);
  out->tr = sf_trace_new(SF_MODE_GRAPH, SF_PROFILE_TF2);
  out->n = n * runs;
  for (int r = 0; r < runs; r++) {
    sf_error err = {0};
    cr_assert_eq(sf_session_run(&s, &rt, fetch, n, NULL, 0, out->v + r * n, out->tr, &err), SF_OK, "%s", err.msg);
  }
  sf_session_free(&s);
  sf_runtime_free(&rt);
}

static void result_free(result *r) {
  for (int i = 0; i < r->n; i++) sf_tensor_unref(r->v[i]);
  sf_trace_free(r->tr);
}

static const int thread_counts[] = {1, 2, 4};

Test(executor, parallel_equals_serial_bits_for_per_op_kernels) {
  int fetch[16];
  sf_graph *g = th_wide(16, false, fetch);
  sf_run_options serial = {.passes = "prune,schedule"};
  result ref;
  run_session(g, fetch, 16, 3, &serial, false, &ref);
  for (size_t t = 0; t < sizeof thread_counts / sizeof *thread_counts; t++) {
    sf_run_options o = {.passes = "prune,schedule=random:5", .threads = thread_counts[t]};
    result got;
    run_session(g, fetch, 16, 3, &o, false, &got);
    for (int i = 0; i < ref.n; i++)
      cr_expect(sf_tensor_bits_equal(ref.v[i], got.v[i]), "threads=%d value %d", thread_counts[t], i);
    cr_assert_eq(sf_trace_op_count(got.tr), sf_trace_op_count(ref.tr));
    for (int i = 0; i < sf_trace_op_count(got.tr); i++)
      cr_expect_leq(sf_trace_op_at(got.tr, i)->worker, thread_counts[t]);
    result_free(&got);
  }
  result_free(&ref);
  sf_graph_free(g);
}

static int cmp_first(const void *a, const void *b) {
  float x = ((const float *)(*(sf_tensor *const *)a)->data)[0], y = ((const float *)(*(sf_tensor *const *)b)->data)[0];
  return (x > y) - (x < y);
}

Test(executor, shared_generator_blocks_are_each_drawn_once_under_threads) {
  int fetch[32];
  sf_graph *g = th_wide(32, true, fetch);
  sf_run_options serial = {.passes = "prune"};
  result ref;
  run_session(g, fetch, 32, 1, &serial, true, &ref);
  qsort(ref.v, 32, sizeof *ref.v, cmp_first);
  for (int rep = 0; rep < 5; rep++) {
    sf_run_options o = {.passes = "prune", .threads = 4};
    result got;
    run_session(g, fetch, 32, 1, &o, true, &got);
    qsort(got.v, 32, sizeof *got.v, cmp_first); /* the order may vary; the set of blocks may not */
    for (int i = 0; i < 32; i++) cr_expect(sf_tensor_bits_equal(ref.v[i], got.v[i]), "rep %d block %d", rep, i);
    result_free(&got);
  }
  result_free(&ref);
  sf_graph_free(g);
}

Test(executor, deterministic_serializes_stateful_ops_in_program_order) {
  int fetch[32];
  sf_graph *g = th_wide(32, true, fetch);
  sf_run_options serial = {.passes = "prune"};
  result ref;
  run_session(g, fetch, 32, 2, &serial, true, &ref);
  for (size_t t = 0; t < sizeof thread_counts / sizeof *thread_counts; t++) {
    sf_run_options o = {.passes = "prune,schedule=reverse", .threads = thread_counts[t], .deterministic = true};
    result got;
    run_session(g, fetch, 32, 2, &o, true, &got);
    for (int i = 0; i < ref.n; i++)
      cr_expect(sf_tensor_bits_equal(ref.v[i], got.v[i]), "threads=%d value %d", thread_counts[t], i);
    result_free(&got);
  }
  result_free(&ref);
  sf_graph_free(g);
}

/* ---- programs ---- */

static sf_trace *run_prog(const char *text, const sf_run_options *o) {
  sf_error err = {0};
  sf_trace *t = th_run_text(text, o, &err);
  cr_assert(t, "%d:%d: %s", err.line, err.col, err.msg);
  return t;
}

static const char *const program =
    "tf.random.set_seed(1234)\n"
    "x = tf.random.normal([8, 16])\n"
    "w1 = tf.random.normal([16, 8], seed=1)\n"
    "w2 = tf.random.uniform([16, 8], seed=2)\n"
    "y = tf.matmul(x, w1) + tf.matmul(x, w2)\n"
    "print(y, tf.random.truncated_normal([5]))\n"
    "print(y, tf.random.normal([3]))\n";

Test(executor, program_prints_match_serial_for_every_thread_count) {
  sf_run_options serial = {.mode = SF_MODE_GRAPH};
  sf_trace *ref = run_prog(program, &serial);
  for (size_t t = 0; t < sizeof thread_counts / sizeof *thread_counts; t++) {
    sf_run_options o = {.mode = SF_MODE_GRAPH, .threads = thread_counts[t]};
    sf_trace *got = run_prog(program, &o);
    for (int p = 0; p < 2; p++)
      for (int k = 0; k < 2; k++)
        cr_expect(sf_tensor_bits_equal(sf_trace_print_at(ref, p)->tensors[k], sf_trace_print_at(got, p)->tensors[k]),
                  "threads=%d print %d value %d", thread_counts[t], p, k);
    sf_trace_free(got);
  }
  sf_trace_free(ref);
}

/* ---- Chrome / Perfetto trace JSON ---- */

static json_t *chrome(const sf_trace *t, char **text) {
  size_t len = 0;
  FILE *f = open_memstream(text, &len);
  cr_assert_eq(sf_trace_write_chrome(t, f), 0);
  fclose(f);
  json_error_t e;
  json_t *j = json_loads(*text, 0, &e);
  cr_assert(j, "line %d: %s", e.line, e.text);
  return j;
}

static void check_event(const sf_trace *t, json_t *ev, int *x_events, bool wall) {
  const char *ph = json_string_value(json_object_get(ev, "ph"));
  cr_assert(ph && json_is_integer(json_object_get(ev, "pid")) && json_is_integer(json_object_get(ev, "tid")));
  cr_assert_eq(json_integer_value(json_object_get(ev, "pid")), 2, "graph mode is pid 2");
  if (strcmp(ph, "X") != 0) return;
  const sf_trace_op *o = sf_trace_op_at(t, (*x_events)++);
  json_t *args = json_object_get(ev, "args");
  cr_assert_str_eq(json_string_value(json_object_get(ev, "name")), o->name);
  cr_assert_str_eq(json_string_value(json_object_get(args, "op")), o->op);
  cr_assert_eq(json_integer_value(json_object_get(args, "node")), o->node);
  cr_assert(json_is_number(json_object_get(ev, "ts")) && json_is_number(json_object_get(ev, "dur")));
  if (!wall) cr_assert_eq(json_integer_value(json_object_get(ev, "ts")), o->order * 10);
  if (o->rng.present) {
    cr_assert_str_eq(json_string_value(json_object_get(ev, "cat")), "random");
    cr_assert_eq(json_integer_value(json_object_get(args, "seed")), o->rng.seed);
    cr_assert_eq(json_integer_value(json_object_get(args, "seed2")), o->rng.seed2);
    cr_assert(json_is_string(json_object_get(args, "seed_source")));
    /* the field names and encodings of docs/json-schema.md */
    json_t *ctr = json_object_get(args, "counter");
    cr_assert(json_is_array(ctr) && json_array_size(ctr) == 4);
    for (int w = 0; w < 4; w++) cr_assert_eq(json_integer_value(json_array_get(ctr, (size_t)w)), o->rng.counter[w]);
    cr_assert_eq(json_integer_value(json_object_get(args, "counter_blocks")), (json_int_t)o->rng.blocks);
  }
  cr_assert_eq(json_integer_value(json_object_get(args, "schedule_slot")), o->order + 1);
}

static void check_chrome(const sf_trace *t, bool wall) {
  char *text = NULL;
  json_t *j = chrome(t, &text);
  json_t *events = json_object_get(j, "traceEvents");
  cr_assert(json_is_array(events));
  json_t *first = json_array_get(events, 0);
  cr_assert_str_eq(json_string_value(json_object_get(first, "name")), "process_name");
  cr_assert_str_eq(json_string_value(json_object_get(json_object_get(first, "args"), "name")), "graph");
  cr_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "otherData"), "clock")), wall ? "wall" : "logical");
  int x = 0;
  for (size_t i = 0; i < json_array_size(events); i++) check_event(t, json_array_get(events, i), &x, wall);
  cr_assert_eq(x, sf_trace_op_count(t));
  json_decref(j);
  free(text);
}

Test(executor, chrome_trace_parses_and_carries_rng_provenance) {
  sf_run_options o = {.mode = SF_MODE_GRAPH, .threads = 2};
  sf_trace *t = run_prog(program, &o);
  check_chrome(t, false);
  sf_trace_free(t);
}

Test(executor, chrome_trace_logical_clock_is_byte_stable) {
  sf_run_options o = {.mode = SF_MODE_GRAPH};
  sf_trace *a = run_prog(program, &o), *b = run_prog(program, &o);
  char *ta = NULL, *tb = NULL;
  json_decref(chrome(a, &ta));
  json_decref(chrome(b, &tb));
  cr_assert_str_eq(ta, tb);
  free(ta);
  free(tb);
  sf_trace_free(a);
  sf_trace_free(b);
}

Test(executor, chrome_trace_wall_clock_uses_recorded_times) {
  sf_run_options o = {.mode = SF_MODE_GRAPH, .threads = 2, .wall_clock = true};
  sf_trace *t = run_prog(program, &o);
  check_chrome(t, true);
  sf_trace_free(t);
}

Test(executor, chrome_trace_names_the_mode_and_notes) {
  sf_run_options o = {.mode = SF_MODE_GRAPH};
  sf_trace *t = run_prog("g = tf.random.Generator.from_seed(1)\na = g.normal([2])\nprint(g.normal([2]))\n", &o);
  char *text = NULL;
  json_t *j = chrome(t, &text);
  cr_assert(strstr(text, "\"cat\":\"note\",\"ph\":\"i\""), "%s", text);
  cr_assert(strstr(text, "removed unfetched shared-stream op"));
  json_decref(j);
  free(text);
  sf_trace_free(t);
}

/* ---- the float32 matmul fast path ---- */

Test(executor, matmul_fast_path_matches_the_generic_kernel_bit_for_bit) {
  sf_graph *g = sf_graph_new(false);
  enum { M = 7, K = 33, N = 5 };
  sf_tensor *a = sf_tensor_new(SF_FLOAT32, &(sf_shape){2, {M, K}}, NULL);
  sf_tensor *b = sf_tensor_new(SF_FLOAT32, &(sf_shape){2, {K, N}}, NULL);
  sf_tensor *bt = sf_tensor_new(SF_FLOAT32, &(sf_shape){2, {N, K}}, NULL);
  for (int i = 0; i < M * K; i++) sf_tensor_set(a, i, ((i * 7919) % 1000) / 333.0 - 1.3);
  for (int p = 0; p < K; p++)
    for (int j = 0; j < N; j++) {
      double v = ((p * 104729 + j * 31) % 1000) / 77.0 - 6.1;
      sf_tensor_set(b, p * N + j, v);
      sf_tensor_set(bt, j * K + p, v);
    }
  sf_node *an, *bn, *btn;
  sf_graph_add_const(g, "a", a, &an, NULL);
  sf_graph_add_const(g, "b", b, &bn, NULL);
  sf_graph_add_const(g, "bt", bt, &btn, NULL);
  int fast = add_op(g, "MatMul", (int[]){an->id, bn->id}, 2, NULL, 0);
  int generic = add_op(g, "MatMul", (int[]){an->id, btn->id}, 2, "transpose_b", 1);
  sf_run_options o = {.passes = ""};
  sf_runtime rt = {.opt = &o};
  sf_pass_planner plan;
  cr_assert_eq(th_plan(&rt, &plan, NULL), SF_OK);
  sf_session s;
  sf_session_init(&s, g, 0);
  sf_tensor *out[2];
  cr_assert_eq(sf_session_run(&s, &rt, (int[]){fast, generic}, 2, NULL, 0, out, NULL, NULL), SF_OK);
  cr_assert(sf_tensor_bits_equal(out[0], out[1]));
  sf_tensor_unref(out[0]);
  sf_tensor_unref(out[1]);
  sf_session_free(&s);
  sf_tensor_unref(a);
  sf_tensor_unref(b);
  sf_tensor_unref(bt);
  sf_graph_free(g);
}
