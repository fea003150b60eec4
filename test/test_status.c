/* test_status.c — the status table (names and sentences from one X-macro) and the
 * sf_error rules: the first error is kept, context is added in front of it. */
#include <criterion/criterion.h>

#include "seedflow/seedflow.h"

Test(status, names_and_sentences_come_from_one_table) {
  cr_assert_str_eq(sf_status_name(SF_OK), "OK");
  cr_assert_str_eq(sf_status_name(SF_ESHAPE), "ESHAPE");
  cr_assert_str_eq(sf_status_name(SF_EINTERNAL), "EINTERNAL");
  cr_assert_str_eq(sf_status_name(SF_STATUS_COUNT), "EUNKNOWN");
  cr_assert_str_eq(sf_strerror(SF_ENOMEM), "out of memory");
  cr_assert_str_eq(sf_strerror(SF_ELIMIT), "a size or time limit was reached");
  cr_assert_str_eq(sf_strerror((sf_status)-1), "unknown status");
  for (int c = 0; c < SF_STATUS_COUNT; c++) {
    cr_assert_str_neq(sf_status_name((sf_status)c), "EUNKNOWN");
    cr_assert_str_neq(sf_strerror((sf_status)c), "unknown status");
  }
}

Test(status, the_first_error_is_kept) {
  sf_error err = {0};
  cr_assert_eq(sf_error_at(&err, 3, 7, SF_ETYPE, "x: want %s", "float32"), SF_ETYPE);
  cr_assert_eq(sf_error_set(&err, SF_EGRAPH, "later"), SF_EGRAPH);
  cr_assert_eq(err.code, SF_ETYPE);
  cr_assert_str_eq(err.msg, "x: want float32");
  cr_assert_eq(err.line, 3);
  cr_assert_eq(err.col, 7);
  sf_error_clear(&err);
  cr_assert_eq(sf_error_set(&err, SF_EGRAPH, "later"), SF_EGRAPH);
  cr_assert_str_eq(err.msg, "later");
  cr_assert_eq(sf_error_set(NULL, SF_EIO, "nowhere"), SF_EIO);
}

Test(status, a_prefix_adds_context_and_keeps_code_and_location) {
  sf_error err = {0};
  sf_error_at(&err, 2, 5, SF_ESHAPE, "incompatible shapes (3,) and (4,)");
  cr_assert_eq(sf_error_prefix(&err, "node '%s' (%s)", "m", "Mul"), SF_ESHAPE);
  cr_assert_str_eq(err.msg, "node 'm' (Mul): incompatible shapes (3,) and (4,)");
  cr_assert_eq(err.line, 2);
  cr_assert_eq(sf_error_prefix(NULL, "ignored"), SF_OK);
}
