/* status.h — how every seedflow function reports failure.
 * A function that can fail returns an sf_status and, when given one, fills an sf_error
 * with the code, a lower-case message naming the thing that is wrong, and a source
 * location (line/column, 0 when there is none). The library never prints or exits. */
#ifndef SEEDFLOW_STATUS_H
#define SEEDFLOW_STATUS_H

#include "export.h"

/* Every status once: name and the sentence sf_strerror returns (libuv's UV_ERRNO_MAP).
 * The enum, sf_status_name and sf_strerror are all generated from this table. */
#define SF_STATUS_MAP(X)                                                         \
  X(OK,           "success")                                                     \
  X(EINVAL,       "invalid argument or attribute value")                         \
  X(ESYNTAX,      "program text does not parse")                                 \
  X(ENAME,        "unknown name, op or construct")                               \
  X(ETYPE,        "wrong dtype or argument type")                                \
  X(ESHAPE,       "incompatible or invalid shape")                               \
  X(EGRAPH,       "invalid graph: cycle, dangling input or arity")               \
  X(EDETERMINISM, "unseeded random op under --deterministic")                    \
  X(ENOMEM,       "out of memory")                                               \
  X(EIO,          "file could not be read or written")                           \
  X(EINTERNAL,    "internal error")                                              \
  X(ELIMIT,       "a size or time limit was reached")

typedef enum sf_status {
#define SF_STATUS_ENUM(name, text) SF_##name,
  SF_STATUS_MAP(SF_STATUS_ENUM)
#undef SF_STATUS_ENUM
  SF_STATUS_COUNT
} sf_status;

typedef struct sf_error {
  sf_status code;
  int line, col;   /* 1-based source location, 0 when not from program text */
  char msg[512];
} sf_error;

/* Records code and message in err (when err is non-NULL) and returns code. The first
 * error wins: when err already holds one (code != SF_OK) it is kept, because the root
 * cause is what the user needs; add context to it with sf_error_prefix, or start over
 * with sf_error_clear. */
SF_API sf_status sf_error_set(sf_error *err, sf_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Same, with a source location. */
SF_API sf_status sf_error_at(sf_error *err, int line, int col, sf_status code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Puts "<context>: " before the message err holds (which keeps its code and location);
 * returns err's code. Wrapping an error adds what the caller knows about where it
 * happened without losing the root cause. */
SF_API sf_status sf_error_prefix(sf_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
SF_API void sf_error_clear(sf_error *err);
/* Short stable name of a code, e.g. "EINVAL" ("EUNKNOWN" outside the table). */
SF_API const char *sf_status_name(sf_status code);
/* One sentence describing a code, e.g. "incompatible or invalid shape". */
SF_API const char *sf_strerror(sf_status code);

#endif
