/* test_ellipsis.c — Python's Ellipsis in tensor indexing: t[..., i] and t[..., 1:] give
 * TensorFlow's values in every mode, and in a TF1 graph the StridedSlice carries the masks
 * array_ops.py _slice_helper sets (the `...` entry: begin 0, end 0, stride 1 and its bit in
 * ellipsis_mask). */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "seedflow/seedflow.h"

static const char *program = "import tensorflow as tf\n"
                             "t = tf.reshape(tf.range(24), [2, 3, 4])\n"
                             "print(t[..., 1])\n"
                             "print(t[..., 1:])\n"
                             "print(t[0, ..., 2])\n"
                             "print(t[..., None, -1])\n"
                             "print(t[...].shape, t[1, ..., ::2].shape, t[1, 2, 3, ...])\n";
static const char *expected =
    "tf.Tensor(\n[[ 1  5  9]\n [13 17 21]], shape=(2, 3), dtype=int32)\n"
    "tf.Tensor(\n[[[ 1  2  3]\n  [ 5  6  7]\n  [ 9 10 11]]\n\n [[13 14 15]\n  [17 18 19]\n  [21 22 23]]], shape=(2, 3, 3), dtype=int32)\n"
    "tf.Tensor([ 2  6 10], shape=(3,), dtype=int32)\n"
    "tf.Tensor(\n[[[ 3]\n  [ 7]\n  [11]]\n\n [[15]\n  [19]\n  [23]]], shape=(2, 3, 1), dtype=int32)\n"
    "(2, 3, 4) (3, 2) tf.Tensor(23, shape=(), dtype=int32)\n";

static char *prints(sf_mode mode) {
  sf_error err = {0};
  sf_trace *t = th_run_text(program, &(sf_run_options){.mode = mode, .profile = SF_PROFILE_TF2}, &err);
  cr_assert(t, "run: %s (line %d)", err.msg, err.line);
  return th_prints_and_free(t);
}

Test(ellipsis, tensor_values_in_every_mode) {
  sf_mode modes[] = {SF_MODE_EAGER, SF_MODE_FUNCTION};
  for (size_t i = 0; i < sizeof modes / sizeof *modes; i++) {
    char *got = prints(modes[i]);
    cr_expect_str_eq(got, expected, "mode %zu", i);
    free(got);
  }
  char *got = prints(SF_MODE_GRAPH); /* a Session's fetch: NumPy text */
  cr_expect_str_eq(got, "[[ 1  5  9]\n [13 17 21]]\n"
                        "[[[ 1  2  3]\n  [ 5  6  7]\n  [ 9 10 11]]\n\n [[13 14 15]\n  [17 18 19]\n  [21 22 23]]]\n"
                        "[ 2  6 10]\n"
                        "[[[ 3]\n  [ 7]\n  [11]]\n\n [[15]\n  [19]\n  [23]]]\n"
                        "(2, 3, 4) (3, 2) 23\n");
  free(got);
}

/* The IR before any pass: each StridedSlice line with its begin/end/strides Consts. */
Test(ellipsis, strided_slice_attrs_in_a_tf1_graph) {
  char *ir = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&ir, &len);
  cr_assert(f);
  sf_error err = {0};
  sf_trace *t = th_run_text("import tensorflow as tf\n"
                            "t = tf.zeros([2, 3, 4])\n"
                            "a = t[..., 1:]\n"
                            "b = t[0, ..., 2]\n"
                            "c = t[..., None, ::-1]\n"
                            "with tf.Session() as sess:\n"
                            "    print(sess.run(a).shape, sess.run(b).shape, sess.run(c).shape)\n",
                            &(sf_run_options){.mode = SF_MODE_GRAPH, .profile = SF_PROFILE_TF1, .passes = "prune",
                                              .print_after = "prune", .ir_out = f},
                            &err);
  fclose(f);
  cr_assert(t, "run: %s", err.msg);
  char *out = th_prints_and_free(t);
  cr_expect_str_eq(out, "(2, 3, 3) (3,) (2, 3, 1, 4)\n");
  free(out);
  const char *want[] = {
      "Const() name=\"strided_slice/stack\" dtype=int32 shape=(2,) value=[0, 1]",
      "Const() name=\"strided_slice/stack_1\" dtype=int32 shape=(2,) value=[0, 0]",
      "Const() name=\"strided_slice/stack_2\" dtype=int32 shape=(2,) value=[1, 1]",
      "name=\"strided_slice\" dtype=float32 shape=(2, 3, 3) begin_mask=0 end_mask=2 ellipsis_mask=1 "
      "new_axis_mask=0 shrink_axis_mask=0",
      "Const() name=\"strided_slice_1/stack\" dtype=int32 shape=(3,) value=[0, 0, 2]",
      "Const() name=\"strided_slice_1/stack_1\" dtype=int32 shape=(3,) value=[1, 0, 3]",
      "name=\"strided_slice_1\" dtype=float32 shape=(3,) begin_mask=0 end_mask=0 ellipsis_mask=2 "
      "new_axis_mask=0 shrink_axis_mask=5",
      "Const() name=\"strided_slice_2/stack_2\" dtype=int32 shape=(3,) value=[1, 1, -1]",
      "name=\"strided_slice_2\" dtype=float32 shape=(2, 3, 1, 4) begin_mask=4 end_mask=4 ellipsis_mask=1 "
      "new_axis_mask=2 shrink_axis_mask=0",
  };
  for (size_t i = 0; i < sizeof want / sizeof *want; i++) cr_expect(strstr(ir, want[i]), "missing: %s\n%s", want[i], ir);
  free(ir);
}

static void expect_error(const char *text, sf_mode mode, int line, int col, const char *msg) {
  sf_error err = {0};
  sf_trace *t = th_run_text(text, &(sf_run_options){.mode = mode, .profile = SF_PROFILE_TF2}, &err);
  cr_assert_null(t, "the run should fail");
  cr_expect_eq(err.line, line, "line %d", err.line);
  cr_expect_eq(err.col, col, "col %d", err.col);
  char *nl = strchr(err.msg, '\n');
  if (nl) *nl = 0;
  cr_expect_str_eq(err.msg, msg);
}

/* strided_slice_op.cc's errors: two ellipses; an index past the dimension the ellipsis
 * leaves it (counted from the end). */
Test(ellipsis, errors) {
  expect_error("import tensorflow as tf\nt = tf.zeros([2, 3])\nprint(t[..., 0, ...])\n", SF_MODE_EAGER, 3, 7,
               "node 'strided_slice' (StridedSlice): Multiple ellipses in slice spec not allowed");
  expect_error("import tensorflow as tf\nt = tf.zeros([2, 3, 4])\nprint(t[..., 4])\n", SF_MODE_GRAPH, 3, 7,
               "slice index 4 of dimension 2 out of bounds.");
  expect_error("import tensorflow as tf\nt = tf.zeros([2, 3, 4])\nprint(t[1, ..., -4, 0])\n", SF_MODE_EAGER, 3, 7,
               "slice index -4 of dimension 1 out of bounds.");
}
