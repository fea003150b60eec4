/* status.c — sf_error filling and code names, generated from SF_STATUS_MAP; see
 * status.h. The first error recorded in an sf_error is kept. */
#include "seedflow/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static sf_status set(sf_error *err, int line, int col, sf_status code, const char *fmt, va_list ap) {
  if (err && err->code == SF_OK) {
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

sf_status sf_error_prefix(sf_error *err, const char *fmt, ...) {
  if (!err) return SF_OK;
  char ctx[sizeof err->msg], both[2 * sizeof err->msg + 2];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(ctx, sizeof ctx, fmt, ap);
  va_end(ap);
  snprintf(both, sizeof both, "%s: %s", ctx, err->msg);
  size_t n = strlen(both); /* the message buffer bounds what a user reads */
  if (n >= sizeof err->msg) n = sizeof err->msg - 1;
  memcpy(err->msg, both, n);
  err->msg[n] = '\0';
  return err->code;
}

void sf_error_clear(sf_error *err) {
  if (err) memset(err, 0, sizeof *err);
}

static const char *const names[] = {
#define SF_STATUS_NAME(name, text) #name,
    SF_STATUS_MAP(SF_STATUS_NAME)
#undef SF_STATUS_NAME
};
static const char *const texts[] = {
#define SF_STATUS_TEXT(name, text) text,
    SF_STATUS_MAP(SF_STATUS_TEXT)
#undef SF_STATUS_TEXT
};
_Static_assert(sizeof names / sizeof names[0] == SF_STATUS_COUNT, "one name per status");

const char *sf_status_name(sf_status code) { return (unsigned)code < SF_STATUS_COUNT ? names[code] : "EUNKNOWN"; }

const char *sf_strerror(sf_status code) { return (unsigned)code < SF_STATUS_COUNT ? texts[code] : "unknown status"; }
