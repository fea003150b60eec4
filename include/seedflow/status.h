/* status.h — how every seedflow function reports failure.
 * A function that can fail returns an sf_status and, when given one, fills an sf_error
 * with the code, a lower-case message naming the thing that is wrong, and a source
 * location (line/column, 0 when there is none). The library never prints or exits. */
#ifndef SEEDFLOW_STATUS_H
#define SEEDFLOW_STATUS_H

typedef enum sf_status {
  SF_OK = 0,
  SF_EINVAL,       /* bad argument or attribute value */
  SF_ESYNTAX,      /* program text does not parse */
  SF_ENAME,        /* unknown name, op or construct */
  SF_ETYPE,        /* wrong dtype or argument type */
  SF_ESHAPE,       /* incompatible or invalid shape */
  SF_EGRAPH,       /* invalid graph: cycle, dangling input, arity */
  SF_EDETERMINISM, /* unseeded random op under --deterministic */
  SF_ENOMEM,       /* allocation failed */
  SF_EIO,          /* file could not be read or written */
  SF_EINTERNAL,
  SF_ELIMIT        /* a size or time limit was reached (a --*-limit flag, or a fixed cap) */
} sf_status;

typedef struct sf_error {
  sf_status code;
  int line, col;   /* 1-based source location, 0 when not from program text */
  char msg[512];
} sf_error;

/* Records code and message in err (when err is non-NULL) and returns code. */
sf_status sf_error_set(sf_error *err, sf_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Same, with a source location. */
sf_status sf_error_at(sf_error *err, int line, int col, sf_status code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void sf_error_clear(sf_error *err);
/* Short stable name of a code, e.g. "EINVAL". */
const char *sf_status_name(sf_status code);

#endif
