/* expect.h — Criterion checks several test files share (helpers.h holds none: the TSan
 * runner, which has no Criterion, uses it). */
#ifndef SEEDFLOW_TEST_EXPECT_H
#define SEEDFLOW_TEST_EXPECT_H

#include <criterion/criterion.h>
#include <stdlib.h>

#include "helpers.h"

/* text, run in mode under profile, prints exactly want. */
static inline void th_expect_prints(const char *text, sf_mode mode, sf_profile profile, const char *want) {
  sf_error err = {0};
  sf_trace *t = th_run_text(text, &(sf_run_options){.mode = mode, .profile = profile}, &err);
  cr_assert(t, "run: %s (line %d)", err.msg, err.line);
  char *got = th_prints_and_free(t);
  cr_expect_str_eq(got, want);
  free(got);
}

/* text, run in mode under profile, stops with a located error: line and message. */
static inline void th_expect_error_at(const char *text, sf_mode mode, sf_profile profile, int line, const char *msg) {
  sf_error err = {0};
  sf_trace *t = th_run_text(text, &(sf_run_options){.mode = mode, .profile = profile}, &err);
  cr_assert_null(t, "should fail: %s", text);
  cr_expect_eq(err.line, line, "%s", text);
  cr_expect_str_eq(err.msg, msg);
}

#endif
