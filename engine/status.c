/* status.c — sf_error filling and code names; see status.h. */
#include "seedflow/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static sf_status set(sf_error *err, int line, int col, sf_status code, const char *fmt, va_list ap) {
  if (err) {
    err->code = code;
    err->line = line;
    err->col = col;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
  }
  return code;
}

sf_status sf_error_set(sf_error *err, sf_status code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  set(err, 0, 0, code, fmt, ap);
  va_end(ap);
  return code;
}

sf_status sf_error_at(sf_error *err, int line, int col, sf_status code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  set(err, line, col, code, fmt, ap);
  va_end(ap);
  return code;
}

void sf_error_clear(sf_error *err) {
  if (err) memset(err, 0, sizeof *err);
}

const char *sf_status_name(sf_status code) {
  static const char *const names[] = {
      "OK", "EINVAL", "ESYNTAX", "ENAME", "ETYPE", "ESHAPE", "EGRAPH",
      "EDETERMINISM", "ENOMEM", "EIO", "EINTERNAL", "ELIMIT",
  };
  return (unsigned)code < sizeof names / sizeof names[0] ? names[code] : "EUNKNOWN";
}
