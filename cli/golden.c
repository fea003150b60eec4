/* golden.c — the strict reader of golden files (`seedflow check`): before anything is
 * compared, the file is validated against the schema `seedflow record` writes
 * (docs/json-schema.md, format "seedflow/1") — keys,
 * types, ranges, value counts, duplicate runs, prints and ops — and the first problem is
 * reported with its JSON path ("$.runs[1].ops[0].seed: expected an integer, got a string"). */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct vctx {
  char path[256];   /* JSON path of the value being checked, "$.runs[0]" */
  char *why;
  size_t len;
} vctx;

static bool bad(vctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool bad(vctx *c, const char *fmt, ...) {
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  snprintf(c->why, c->len, "%s: %s", c->path, msg);
  return false;
}

/* Appends ".key" or "[i]" to the path; returns the old length for pop(). */
static size_t push_key(vctx *c, const char *key) {
  size_t m = strlen(c->path);
  snprintf(c->path + m, sizeof c->path - m, ".%s", key);
  return m;
}
static size_t push_index(vctx *c, size_t i) {
  size_t m = strlen(c->path);
  snprintf(c->path + m, sizeof c->path - m, "[%zu]", i);
  return m;
}
static void pop(vctx *c, size_t m) { c->path[m] = '\0'; }

static const char *type_name(const json_t *v) {
  switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a real number";
    case JSON_TRUE: case JSON_FALSE: return "a boolean";
    default: return "null";
  }
}

/* ---- fields of an object ---- */

typedef enum ftype { F_INT, F_STR, F_ARR } ftype;
typedef struct field {
  const char *key;
  ftype type;
  int64_t min, max;   /* F_INT range; F_ARR length range */
  bool optional;
} field;

#define INT_FIELD(k, lo, hi) {k, F_INT, lo, hi, false}
#define STR_FIELD(k) {k, F_STR, 0, 0, false}
#define ARR_FIELD(k, lo, hi) {k, F_ARR, lo, hi, false}

static const field root_fields[] = {
    STR_FIELD("format"), STR_FIELD("seedflow"), STR_FIELD("file"), ARR_FIELD("runs", 1, CLI_MAX_RUNS),
    {"source_sha256", F_STR, 0, 0, true}, {"options", F_STR, 0, 0, true}};
static const field run_fields[] = {STR_FIELD("mode"), STR_FIELD("profile"), ARR_FIELD("prints", 0, INT_MAX),
                                   ARR_FIELD("ops", 0, INT_MAX)};
static const field print_fields[] = {
    INT_FIELD("print", 1, INT_MAX), INT_FIELD("item", 1, INT_MAX), INT_FIELD("line", 1, INT_MAX),
    STR_FIELD("expr"), STR_FIELD("dtype"), ARR_FIELD("shape", 0, SF_MAX_RANK), ARR_FIELD("values", 0, SF_MAX_ELEMENTS)};
static const field op_fields[] = {
    INT_FIELD("line", 0, INT_MAX), STR_FIELD("op"), INT_FIELD("execution", 1, INT_MAX), STR_FIELD("name"),
    INT_FIELD("seed", INT64_MIN, INT64_MAX), INT_FIELD("seed2", INT64_MIN, INT64_MAX), STR_FIELD("seed_source"),
    STR_FIELD("seed2_source"), ARR_FIELD("counter", 4, 4), INT_FIELD("counter_blocks", 0, INT64_MAX),
    STR_FIELD("dtype"), ARR_FIELD("values", 0, SF_MAX_ELEMENTS)};

static bool check_field(vctx *c, const json_t *v, const field *f) {
  static const json_type want[] = {[F_INT] = JSON_INTEGER, [F_STR] = JSON_STRING, [F_ARR] = JSON_ARRAY};
  static const char *const want_name[] = {[F_INT] = "an integer", [F_STR] = "a string", [F_ARR] = "an array"};
  if (json_typeof(v) != want[f->type]) return bad(c, "expected %s, got %s", want_name[f->type], type_name(v));
  if (f->type == F_INT) {
    int64_t x = json_integer_value(v);
    if (x < f->min || x > f->max)
      return bad(c, "%" PRId64 " is outside [%" PRId64 ", %" PRId64 "]", x, f->min, f->max);
  } else if (f->type == F_ARR) {
    size_t n = json_array_size(v);
    if ((int64_t)n < f->min || (int64_t)n > f->max)
      return bad(c, "has %zu entries, expected %" PRId64 " to %" PRId64, n, f->min, f->max);
  }
  return true;
}

/* v must be an object with exactly these keys (optional ones may be absent). */
static bool check_object(vctx *c, const json_t *v, const field *fields, size_t n) {
  if (!json_is_object(v)) return bad(c, "expected an object, got %s", type_name(v));
  const char *key;
  json_t *x;
  json_object_foreach((json_t *)v, key, x) {
    size_t i = 0;
    while (i < n && strcmp(fields[i].key, key) != 0) i++;
    if (i == n) return bad(c, "unknown key '%s'", key);
  }
  for (size_t i = 0; i < n; i++) {
    json_t *fv = json_object_get(v, fields[i].key);
    if (!fv) {
      if (fields[i].optional) continue;
      return bad(c, "missing key '%s'", fields[i].key);
    }
    size_t m = push_key(c, fields[i].key);
    if (!check_field(c, fv, &fields[i])) return false;
    pop(c, m);
  }
  return true;
}

/* ---- values ---- */

/* One value as the schema has it for dtype dt: a number that is exactly a float32 or
 * float64 (or "nan", "inf", "-inf"), an integer in range, a boolean. */
static bool value_ok(vctx *c, const json_t *v, sf_dtype dt) {
  const char *dn = sf_dtype_name(dt);
  if (dt == SF_BOOL) return json_is_boolean(v) || bad(c, "expected a boolean, got %s", type_name(v));
  if (dt == SF_INT32 || dt == SF_INT64) {
    if (!json_is_integer(v)) return bad(c, "expected an integer, got %s", type_name(v));
    json_int_t x = json_integer_value(v);
    return dt == SF_INT64 || (x >= INT32_MIN && x <= INT32_MAX) || bad(c, "%" PRId64 " is not an int32 value", (int64_t)x);
  }
  if (json_is_string(v)) {
    const char *s = json_string_value(v);
    return !strcmp(s, "nan") || !strcmp(s, "inf") || !strcmp(s, "-inf") ||
           bad(c, "'%.40s' is not a %s value (a number, \"nan\", \"inf\" or \"-inf\")", s, dn);
  }
  if (!json_is_number(v)) return bad(c, "expected a number, got %s", type_name(v));
  double d = json_number_value(v);
  if (json_is_integer(v) && (json_integer_value(v) > (1LL << 53) || json_integer_value(v) < -(1LL << 53)))
    return bad(c, "%" PRId64 " is not exactly a %s value", (int64_t)json_integer_value(v), dn);
  if (dt == SF_FLOAT32 && (fabs(d) > FLT_MAX || (double)(float)d != d))
    return bad(c, "%.17g is not a float32 value (it does not read back exactly)", d);
  return true;
}

static bool check_values(vctx *c, const json_t *values, sf_dtype dt, int64_t want) {
  size_t m = push_key(c, "values");
  if (want >= 0 && (int64_t)json_array_size(values) != want)
    return bad(c, "has %zu values, the shape needs %" PRId64, json_array_size(values), want);
  size_t i;
  json_t *v;
  json_array_foreach(values, i, v) {
    size_t mi = push_index(c, i);
    if (!value_ok(c, v, dt)) return false;
    pop(c, mi);
  }
  pop(c, m);
  return true;
}

/* The "dtype" of an entry, one of seedflow's names. */
static bool check_dtype(vctx *c, const json_t *o, sf_dtype *dt) {
  const char *dn = json_string_value(json_object_get(o, "dtype"));
  size_t m = push_key(c, "dtype");
  if (!sf_dtype_from_name(dn, dt) || strcmp(sf_dtype_name(*dt), dn) != 0) return bad(c, "unknown dtype '%.40s'", dn);
  pop(c, m);
  return true;
}

/* ---- prints and ops ---- */

static bool check_print(vctx *c, const json_t *p) {
  sf_dtype dt;
  if (!check_object(c, p, print_fields, sizeof print_fields / sizeof *print_fields) || !check_dtype(c, p, &dt))
    return false;
  int64_t n = 1;
  size_t i;
  json_t *d;
  size_t m = push_key(c, "shape");
  json_array_foreach(json_object_get(p, "shape"), i, d) {
    size_t mi = push_index(c, i);
    field dim = INT_FIELD("", 0, SF_MAX_ELEMENTS);
    if (!check_field(c, d, &dim)) return false;
    n *= json_integer_value(d);
    if (n > SF_MAX_ELEMENTS) return bad(c, "the shape has more than %" PRId64 " elements", SF_MAX_ELEMENTS);
    pop(c, mi);
  }
  pop(c, m);
  return check_values(c, json_object_get(p, "values"), dt, n);
}

static bool is_seed_source(const char *s) {
  for (int k = SF_SEED_GLOBAL; k <= SF_SEED_SEED_GENERATOR; k++)
    if (strcmp(s, sf_seed_source_name((sf_seed_source)k)) == 0) return true;
  return strcmp(s, sf_seed_source_name(SF_SEED_NONE)) == 0;
}

static bool check_op(vctx *c, const json_t *o) {
  if (!check_object(c, o, op_fields, sizeof op_fields / sizeof *op_fields)) return false;
  static const char *const sources[] = {"seed_source", "seed2_source"};
  for (int k = 0; k < 2; k++) {
    const char *s = json_string_value(json_object_get(o, sources[k]));
    size_t m = push_key(c, sources[k]);
    if (!is_seed_source(s)) return bad(c, "unknown seed source '%.40s'", s);
    pop(c, m);
  }
  size_t i, m = push_key(c, "counter");
  json_t *x;
  json_array_foreach(json_object_get(o, "counter"), i, x) {
    size_t mi = push_index(c, i);
    field word = INT_FIELD("", 0, UINT32_MAX);
    if (!check_field(c, x, &word)) return false;
    pop(c, mi);
  }
  pop(c, m);
  sf_dtype dt;
  return check_dtype(c, o, &dt) && check_values(c, json_object_get(o, "values"), dt, -1);
}

/* The key of a print, (print, item), or of an op, (line, op, k). */
static bool same_print(const json_t *a, const json_t *b) {
  return json_integer_value(json_object_get(a, "print")) == json_integer_value(json_object_get(b, "print")) &&
         json_integer_value(json_object_get(a, "item")) == json_integer_value(json_object_get(b, "item"));
}
static bool same_op(const json_t *a, const json_t *b) {
  return json_integer_value(json_object_get(a, "line")) == json_integer_value(json_object_get(b, "line")) &&
         json_integer_value(json_object_get(a, "execution")) == json_integer_value(json_object_get(b, "execution")) &&
         strcmp(json_string_value(json_object_get(a, "op")), json_string_value(json_object_get(b, "op"))) == 0;
}

/* Every entry of arr checked by one, then no two with the same key. */
static bool check_list(vctx *c, const json_t *run, const char *key, bool (*one)(vctx *, const json_t *),
                       bool (*same)(const json_t *, const json_t *)) {
  json_t *arr = json_object_get(run, key);
  size_t m = push_key(c, key), i;
  json_t *x;
  json_array_foreach(arr, i, x) {
    size_t mi = push_index(c, i);
    if (!one(c, x)) return false;
    for (size_t j = 0; j < i; j++)
      if (same(json_array_get(arr, j), x)) return bad(c, "duplicates %s[%zu] (same key)", key, j);
    pop(c, mi);
  }
  pop(c, m);
  return true;
}

static bool check_run(vctx *c, const json_t *r, cli_run *out) {
  if (!check_object(c, r, run_fields, sizeof run_fields / sizeof *run_fields)) return false;
  const char *mode = json_string_value(json_object_get(r, "mode"));
  const char *prof = json_string_value(json_object_get(r, "profile"));
  size_t m = push_key(c, "mode");
  if (!sf_mode_from_name(mode, &out->mode)) return bad(c, "unknown mode '%.40s' (eager, graph, function)", mode);
  pop(c, m);
  m = push_key(c, "profile");
  if (!sf_profile_from_name(prof, &out->profile)) return bad(c, "unknown profile '%.40s' (tf1, tf2, tf2.10, keras3)", prof);
  pop(c, m);
  out->trace = NULL;
  out->failure = NULL;
  out->fixed_entropy = false;
  return check_list(c, r, "prints", check_print, same_print) && check_list(c, r, "ops", check_op, same_op);
}

int cli_golden_validate(json_t *root, cli_run *runs, char *why, size_t len) {
  vctx c = {"$", why, len};
  const char *fmt = json_string_value(json_object_get(root, "format"));
  if (!fmt || strcmp(fmt, CLI_GOLDEN_FORMAT) != 0)
    return snprintf(why, len, "not a seedflow golden file (format is not '%s')", CLI_GOLDEN_FORMAT), -1;
  if (!check_object(&c, root, root_fields, sizeof root_fields / sizeof *root_fields)) return -1;
  const char *sha = json_string_value(json_object_get(root, "source_sha256"));
  if (sha && (strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64)) {
    push_key(&c, "source_sha256");
    return bad(&c, "expected 64 lower-case hex digits"), -1;
  }
  size_t i;
  json_t *r;
  json_array_foreach(json_object_get(root, "runs"), i, r) {
    size_t m = push_key(&c, "runs");
    push_index(&c, i);
    if (!check_run(&c, r, &runs[i])) return -1;
    for (size_t j = 0; j < i; j++)
      if (runs[j].mode == runs[i].mode && runs[j].profile == runs[i].profile)
        return bad(&c, "run %s/%s is listed twice (also runs[%zu])", sf_mode_name(runs[i].mode),
                   sf_profile_name(runs[i].profile), j), -1;
    pop(&c, m);
  }
  return (int)i;
}
