/* test_tensor.c — tensor construction, limits and the three printed forms. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seedflow/seedflow.h"

static char *render(void (*fn)(FILE *, const sf_tensor *), const sf_tensor *t) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  fn(f, t);
  fclose(f);
  return buf;
}

static sf_tensor *f32(int rank, const int64_t *dims, const float *v) {
  sf_shape s = {.rank = rank};
  for (int i = 0; i < rank; i++) s.dims[i] = dims[i];
  sf_tensor *t = sf_tensor_new(SF_FLOAT32, &s, NULL);
  cr_assert(t);
  memcpy(t->data, v, (size_t)t->n * 4);
  return t;
}

Test(tensor, prints_tf_eager_style_with_aligned_columns) {
  float v[] = {0.8369314f, -0.73429775f, 1.0402943f, 0.04035992f, -0.7218659f, 1.0794858f};
  sf_tensor *t = f32(2, (int64_t[]){2, 3}, v);
  char *s = render(sf_tensor_print_tf, t);
  cr_assert_str_eq(s, "tf.Tensor(\n[[ 0.8369314  -0.73429775  1.0402943 ]\n [ 0.04035992 -0.7218659   1.0794858 ]], "
                      "shape=(2, 3), dtype=float32)");
  free(s);
  sf_tensor_unref(t);
}

Test(tensor, prints_vectors_and_scalars_like_tensorflow) {
  sf_tensor *t = f32(1, (int64_t[]){1}, (float[]){0.5380393f});
  char *s = render(sf_tensor_print_tf, t);
  cr_assert_str_eq(s, "tf.Tensor([0.5380393], shape=(1,), dtype=float32)");
  free(s);
  sf_tensor_unref(t);
  sf_tensor *i = sf_tensor_scalar_i64(2, NULL);
  s = render(sf_tensor_print_tf, i);
  cr_assert_str_eq(s, "tf.Tensor(2, shape=(), dtype=int64)");
  free(s);
  sf_tensor_unref(i);
}

Test(tensor, numpy_form_prints_integral_floats_with_a_point) {
  sf_tensor *t = f32(1, (int64_t[]){3}, (float[]){2.0f, 0.0f, -10.0f});
  char *s = render(sf_tensor_print_numpy, t);
  cr_assert_str_eq(s, "[  2.   0. -10.]");
  free(s);
  sf_tensor_unref(t);
}

Test(tensor, lossless_form_round_trips_float32) {
  sf_tensor *t = f32(1, (int64_t[]){2}, (float[]){0.1f, -0.73429775f});
  char *s = render(sf_tensor_print_lossless, t);
  cr_assert_str_eq(s, "0.100000001 -0.734297752");
  cr_assert_eq(strtof("-0.734297752", NULL), -0.73429775f);
  free(s);
  sf_tensor_unref(t);
}

Test(tensor, rejects_bad_shapes_with_a_message) {
  sf_error err = {0};
  sf_shape s = {.rank = 5};
  cr_assert_null(sf_tensor_new(SF_FLOAT32, &s, &err));
  cr_assert_str_eq(err.msg, "rank 5 is outside 0..4");
  sf_error_clear(&err); /* the first error is kept until cleared */
  s = (sf_shape){.rank = 2, .dims = {3, -1}};
  cr_assert_null(sf_tensor_new(SF_FLOAT32, &s, &err));
  cr_assert_str_eq(err.msg, "dimension 1 is negative (-1)");
  sf_error_clear(&err);
  s = (sf_shape){.rank = 2, .dims = {1 << 20, 1 << 20}};
  cr_assert_null(sf_tensor_new(SF_FLOAT32, &s, &err));
  cr_assert_eq(err.code, SF_ELIMIT);
  cr_assert_str_eq(err.msg, "shape has more than 16777216 elements (seedflow's tensor size limit)");
}

Test(tensor, shape_strings_follow_tensorflow) {
  char buf[64];
  sf_shape s0 = {0}, s1 = {.rank = 1, .dims = {3}}, s2 = {.rank = 2, .dims = {2, 3}};
  cr_assert_str_eq(sf_shape_str(&s0, buf, sizeof buf), "()");
  cr_assert_str_eq(sf_shape_str(&s1, buf, sizeof buf), "(3,)");
  cr_assert_str_eq(sf_shape_str(&s2, buf, sizeof buf), "(2, 3)");
}

/* tf.cast float -> int as TF's CPU kernel gives on x86 (cvttsd2si): truncation toward zero;
 * NaN and out-of-range values give the type's minimum. Computed without UB (the clang
 * float-cast-overflow sanitizer build checks it). */
Test(tensor, float_to_int_cast_follows_tf_without_ub) {
  cr_expect_eq(sf_cast_to_int(1e30, SF_INT32), INT32_MIN);
  cr_expect_eq(sf_cast_to_int(-1e30, SF_INT32), INT32_MIN);
  cr_expect_eq(sf_cast_to_int(NAN, SF_INT32), INT32_MIN);
  cr_expect_eq(sf_cast_to_int(2147483647.9, SF_INT32), 2147483647);
  cr_expect_eq(sf_cast_to_int(2147483648.0, SF_INT32), INT32_MIN);
  cr_expect_eq(sf_cast_to_int(-2.7, SF_INT32), -2);
  cr_expect_eq(sf_cast_to_int(9223372036854775808.0, SF_INT64), INT64_MIN);
  cr_expect_eq(sf_cast_to_int(-9223372036854775808.0, SF_INT64), INT64_MIN);
  cr_expect_eq(sf_cast_to_int(9007199254740993.0, SF_INT64), 9007199254740992);
  cr_expect_eq(sf_cast_to_int(INFINITY, SF_INT64), INT64_MIN);
}

Test(tensor, int64_elements_are_exact_and_int32_wraps) {
  sf_error err = {0};
  sf_shape s = {.rank = 1, .dims = {2}};
  sf_tensor *t = sf_tensor_new(SF_INT64, &s, &err);
  sf_tensor_set_i64(t, 0, 9007199254740993);
  cr_expect_eq(sf_tensor_get_i64(t, 0), 9007199254740993);
  sf_tensor_unref(t);
  t = sf_tensor_new(SF_INT32, &s, &err);
  sf_tensor_set_i64(t, 0, 4294967298);
  cr_expect_eq(sf_tensor_get_i64(t, 0), 2);
  cr_expect(!sf_int_fits(4294967298, SF_INT32));
  cr_expect(sf_int_fits(INT32_MIN, SF_INT32));
  sf_tensor_unref(t);
}
