/* test_eager_mem.c — issue 14's eager memory row as a counter, not a timing: N steps of
 * `x = x + 1.0` (a Const and an AddV2 each) through the engine's eager context, with a
 * trace, and the allocator's bytes in use after 1e4 and after 1e5 steps. Every op's
 * tensors but the last x are dead by then; what the run still holds for them is the
 * difference over the 90000 extra steps, per op. And programs whose tensors are kept by a
 * list, a dict or a closure after the statement that made them still print their values. */
#include <criterion/criterion.h>
#include <malloc.h>
#include <string.h>

#include "engine/context.h"
#include "engine/trace_internal.h"
#include "helpers.h"

#if defined(__SANITIZE_ADDRESS__)
size_t __sanitizer_get_current_allocated_bytes(void); /* sanitizer/allocator_interface.h */
static size_t heap_in_use(void) { return __sanitizer_get_current_allocated_bytes(); }
#else
static size_t heap_in_use(void) {
  struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}
#endif

/* Bytes in use after `steps` eager steps (everything of the run still alive), less
 * before. */
static size_t eager_steps_bytes(int steps) {
  size_t before = heap_in_use();
  sf_eager E;
  sf_runtime rt = {0};
  sf_context c;
  sf_error err = {0};
  sf_trace *tr = sf_trace_new(SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_assert_not_null(tr);
  cr_assert_eq(sf_eager_init(&E, &err), SF_OK);
  cr_assert_eq(sf_context_init(&c, &E, &rt, tr, &err), SF_OK);
  sf_tensor *v = sf_tensor_new(SF_FLOAT32, &(sf_shape){1, {2}}, &err);
  cr_assert_not_null(v);
  ((float *)v->data)[0] = 1.0f;
  ((float *)v->data)[1] = 2.0f;
  sf_node *x;
  cr_assert_eq(sf_context_add_const(&c, v, "Const", 1, &x, &err), SF_OK, "%s", err.msg);
  sf_tensor_unref(v);
  for (int i = 0; i < steps; i++) {
    sf_tensor *one = sf_tensor_scalar_f32(1.0f, &err);
    sf_node *k;
    cr_assert_eq(sf_context_add_const(&c, one, "Const", 4, &k, &err), SF_OK, "%s", err.msg);
    sf_tensor_unref(one);
    sf_op_spec o = {.op = "AddV2", .name = "add", .in = (int[]){x->id, k->id}, .nin = 2, .line = 4};
    cr_assert_eq(sf_context_add(&c, &o, &x, &err), SF_OK, "%s", err.msg);
  }
  const float *got = sf_eager_value(&E, x->id)->data;
  cr_assert(got[0] == 1.0f + (float)steps && got[1] == 2.0f + (float)steps);
  cr_assert_eq(tr->executed, steps);
  /* past the bound the AddV2s are counted, not recorded; the trace notes it */
  cr_assert_eq(tr->nops, steps < SF_TRACE_EAGER_BOUND ? steps : SF_TRACE_EAGER_BOUND);
  cr_assert_eq(tr->nops + tr->summarised, steps);
  cr_assert_eq(sf_trace_note_count(tr), steps > SF_TRACE_EAGER_BOUND);
  size_t used = heap_in_use() - before;
  sf_context_free(&c);
  sf_eager_free(&E);
  sf_runtime_free(&rt);
  sf_trace_free(tr);
  return used;
}

/* Issue 14's target is 64 bytes per dead op, not met: what still grows per op is its graph
 * node (120 bytes; 128 with two inputs), its name and the two tensors the eager graph keeps
 * (96 bytes each); the trace records the first SF_TRACE_EAGER_BOUND AddV2s (168 bytes each)
 * and only counts the rest. That is 116 bytes here; the bound leaves 24 for the allocator.
 * bench/eager.py measured 679 bytes (peak RSS) per op before names, nodes, tensors and
 * trace records were made compact, 338 after, 237 with the trace summarised. */
Test(eager_mem, memory_per_dead_op_is_bounded) {
  size_t small = eager_steps_bytes(10000), large = eager_steps_bytes(100000);
  double per_op = ((double)large - (double)small) / (2.0 * 90000);
  cr_log_info("eager: %.1f bytes per dead op (1e4: %zu bytes, 1e5: %zu bytes)", per_op, small, large);
  cr_assert_gt(per_op, 0.0, "the allocator counter saw nothing: %zu then %zu bytes", small, large);
  cr_assert_leq(per_op, 140.0, "%.1f bytes per dead op", per_op);
}

/* Tensors referenced from a list, a dict and a closure after the statements that made
 * them (their names rebound, the loop moved on) keep their values. */
Test(eager_mem, tensors_kept_by_containers_and_closures_keep_their_values) {
  sf_error err = {0};
  sf_run_options o = {.mode = SF_MODE_EAGER};
  sf_trace *t = th_run_text("import tensorflow as tf\n"
                            "keep = []\n"
                            "by_name = {}\n"
                            "x = tf.constant([1.0, 2.0])\n"
                            "for i in range(300):\n"
                            "    x = x + 1.0\n"
                            "    if i % 100 == 0:\n"
                            "        keep.append(x * 2.0)\n"
                            "        by_name['k%d' % i] = x - 1.0\n"
                            "def make(v):\n"
                            "    w = v * 10.0\n"
                            "    def get():\n"
                            "        return w\n"
                            "    return get\n"
                            "g = make(x)\n"
                            "x = None\n"
                            "for i in range(300):\n"
                            "    y = tf.constant([0.5]) + 0.25\n"
                            "print(keep[0], keep[2])\n"
                            "print(by_name['k100'], by_name['k200'])\n"
                            "print(g())\n",
                            &o, &err);
  cr_assert_not_null(t, "%s", err.msg);
  char *out = th_prints_and_free(t);
  cr_assert_str_eq(out,
                   "tf.Tensor([4. 6.], shape=(2,), dtype=float32) tf.Tensor([404. 406.], shape=(2,), dtype=float32)\n"
                   "tf.Tensor([101. 102.], shape=(2,), dtype=float32) tf.Tensor([201. 202.], shape=(2,), dtype=float32)\n"
                   "tf.Tensor([3010. 3020.], shape=(2,), dtype=float32)\n");
  free(out);
}
