/* tensor.c — tensor storage, element access and the three printed forms (numpy-like,
 * TF eager, lossless). Values are immutable once a kernel has filled them. */
#include "seedflow/tensor.h"
#include "graph.h"

#include <inttypes.h>
#include <math.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const struct {
  const char *name;
  size_t size;
} dtypes[] = {
    [SF_FLOAT32] = {"float32", 4}, [SF_FLOAT64] = {"float64", 8}, [SF_INT32] = {"int32", 4},
    [SF_INT64] = {"int64", 8},     [SF_BOOL] = {"bool", 1},      [SF_UINT8] = {"uint8", 1},
};

const char *sf_dtype_name(sf_dtype t) { return dtypes[t].name; }
size_t sf_dtype_size(sf_dtype t) { return dtypes[t].size; }
bool sf_dtype_is_float(sf_dtype t) { return t == SF_FLOAT32 || t == SF_FLOAT64; }
bool sf_dtype_is_int(sf_dtype t) { return t == SF_INT32 || t == SF_INT64 || t == SF_UINT8; }

bool sf_dtype_from_name(const char *name, sf_dtype *out) {
  for (size_t i = 0; i < sizeof dtypes / sizeof dtypes[0]; i++)
    if (strcmp(name, dtypes[i].name) == 0) {
      *out = (sf_dtype)i;
      return true;
    }
  if (strcmp(name, "float") == 0) return *out = SF_FLOAT32, true;
  if (strcmp(name, "double") == 0) return *out = SF_FLOAT64, true;
  return false;
}

sf_status sf_shape_check(const sf_shape *s, int64_t *n, sf_error *err) {
  if (s->rank < 0 || s->rank > SF_MAX_RANK)
    return sf_error_set(err, SF_ESHAPE, "rank %d is outside 0..%d", s->rank, SF_MAX_RANK);
  int64_t total = 1;
  for (int i = 0; i < s->rank; i++) {
    if (s->dims[i] < 0) return sf_error_set(err, SF_ESHAPE, "dimension %d is negative (%" PRId64 ")", i, s->dims[i]);
    if (s->dims[i] > SF_MAX_ELEMENTS || (s->dims[i] && total > SF_MAX_ELEMENTS / s->dims[i]))
      return sf_error_set(err, SF_ELIMIT, "shape has more than %" PRId64 " elements (seedflow's tensor size limit)",
                          SF_MAX_ELEMENTS);
    total *= s->dims[i];
  }
  if (n) *n = total;
  return SF_OK;
}

bool sf_shape_equal(const sf_shape *a, const sf_shape *b) {
  if (a->rank != b->rank) return false;
  for (int i = 0; i < a->rank; i++)
    if (a->dims[i] != b->dims[i]) return false;
  return true;
}

const char *sf_shape_str(const sf_shape *s, char *buf, size_t len) {
  size_t o = (size_t)snprintf(buf, len, "(");
  for (int i = 0; i < s->rank && o < len; i++)
    o += (size_t)snprintf(buf + o, len - o, "%s%" PRId64, i ? ", " : "", s->dims[i]);
  if (o < len) snprintf(buf + o, len - o, s->rank == 1 ? ",)" : ")");
  return buf;
}

/* A small tensor's elements live in the same allocation as its header (one malloc per
 * tensor instead of two: the tiny tensors of eager programs, per op). */
enum { INLINE_MAX = 256 };
typedef struct small_tensor {
  sf_tensor t;
  alignas(max_align_t) unsigned char data[];
} small_tensor;

static bool is_inline(const sf_tensor *t) { return t->data == (const unsigned char *)t + offsetof(small_tensor, data); }

sf_tensor *sf_tensor_new(sf_dtype dtype, const sf_shape *shape, sf_error *err) {
  int64_t n;
  if (sf_shape_check(shape, &n, err) != SF_OK) return NULL;
  size_t bytes = (n ? (size_t)n : 1) * sf_dtype_size(dtype);
  sf_tensor *t;
  void *data;
  if (bytes <= INLINE_MAX) {
    small_tensor *s = calloc(1, sizeof *s + bytes);
    t = s ? &s->t : NULL;
    data = s ? s->data : NULL;
  } else {
    t = calloc(1, sizeof *t);
    data = calloc(n ? (size_t)n : 1, sf_dtype_size(dtype));
  }
  if (!t || !data) {
    free(t);
    free(data);
    sf_error_set(err, SF_ENOMEM, "out of memory allocating %" PRId64 " elements", n);
    return NULL;
  }
  t->dtype = dtype;
  t->shape = *shape;
  t->n = n;
  t->refs = 1;
  t->data = data;
  return t;
}

sf_tensor *sf_tensor_scalar_f32(float v, sf_error *err) {
  sf_shape s = {0};
  sf_tensor *t = sf_tensor_new(SF_FLOAT32, &s, err);
  if (t) ((float *)t->data)[0] = v;
  return t;
}

sf_tensor *sf_tensor_scalar_i64(int64_t v, sf_error *err) {
  sf_shape s = {0};
  sf_tensor *t = sf_tensor_new(SF_INT64, &s, err);
  if (t) ((int64_t *)t->data)[0] = v;
  return t;
}

sf_tensor *sf_tensor_ref(sf_tensor *t) {
  if (t) __atomic_add_fetch(&t->refs, 1, __ATOMIC_RELAXED);
  return t;
}

void sf_tensor_unref(sf_tensor *t) {
  if (t && __atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) == 0) {
    if (t->budget) {
      sf_budget_add(t->budget, -(t->n * (int64_t)sf_dtype_size(t->dtype) + (int64_t)sizeof *t));
      sf_budget_unref(t->budget);
    }
    if (!is_inline(t)) free(t->data);
    free(t);
  }
}

double sf_tensor_get(const sf_tensor *t, int64_t i) {
  switch (t->dtype) {
    case SF_FLOAT32: return ((const float *)t->data)[i];
    case SF_FLOAT64: return ((const double *)t->data)[i];
    case SF_INT32: return ((const int32_t *)t->data)[i];
    case SF_INT64: return (double)((const int64_t *)t->data)[i];
    case SF_BOOL:
    case SF_UINT8: return ((const uint8_t *)t->data)[i];
  }
  return 0;
}

int64_t sf_cast_to_int(double v, sf_dtype to) {
  if (to == SF_UINT8) return (uint8_t)(uint32_t)sf_cast_to_int(v, SF_INT32);
  /* The bounds are powers of two, exact in double: [-2^31, 2^31) and [-2^63, 2^63). */
  double lim = to == SF_INT32 ? 2147483648.0 : 9223372036854775808.0;
  int64_t min = to == SF_INT32 ? INT32_MIN : INT64_MIN;
  if (!(v >= -lim && v < lim)) return min; /* NaN too */
  return (int64_t)v;
}

bool sf_int_fits(int64_t v, sf_dtype to) {
  switch (to) {
    case SF_INT32: return v >= INT32_MIN && v <= INT32_MAX;
    case SF_BOOL: return v == 0 || v == 1;
    case SF_UINT8: return v >= 0 && v <= UINT8_MAX;
    default: return true;
  }
}

int64_t sf_tensor_get_i64(const sf_tensor *t, int64_t i) {
  switch (t->dtype) {
    case SF_INT32: return ((const int32_t *)t->data)[i];
    case SF_INT64: return ((const int64_t *)t->data)[i];
    case SF_BOOL:
    case SF_UINT8: return ((const uint8_t *)t->data)[i];
    default: return sf_cast_to_int(sf_tensor_get(t, i), SF_INT64);
  }
}

void sf_tensor_set_i64(sf_tensor *t, int64_t i, int64_t v) {
  switch (t->dtype) {
    case SF_FLOAT32: ((float *)t->data)[i] = (float)v; break;
    case SF_FLOAT64: ((double *)t->data)[i] = (double)v; break;
    case SF_INT32: ((int32_t *)t->data)[i] = (int32_t)(uint32_t)(uint64_t)v; break;
    case SF_INT64: ((int64_t *)t->data)[i] = v; break;
    case SF_BOOL: ((uint8_t *)t->data)[i] = v != 0; break;
    case SF_UINT8: ((uint8_t *)t->data)[i] = (uint8_t)(uint64_t)v; break;
  }
}

void sf_tensor_set(sf_tensor *t, int64_t i, double v) {
  switch (t->dtype) {
    case SF_FLOAT32: ((float *)t->data)[i] = (float)v; break;
    case SF_FLOAT64: ((double *)t->data)[i] = v; break;
    case SF_INT32: ((int32_t *)t->data)[i] = (int32_t)sf_cast_to_int(v, SF_INT32); break;
    case SF_INT64: ((int64_t *)t->data)[i] = sf_cast_to_int(v, SF_INT64); break;
    case SF_BOOL: ((uint8_t *)t->data)[i] = v != 0; break;
    case SF_UINT8: ((uint8_t *)t->data)[i] = (uint8_t)sf_cast_to_int(v, SF_UINT8); break;
  }
}

bool sf_tensor_bits_equal(const sf_tensor *a, const sf_tensor *b) {
  return a->dtype == b->dtype && sf_shape_equal(&a->shape, &b->shape) &&
         memcmp(a->data, b->data, (size_t)a->n * sf_dtype_size(a->dtype)) == 0;
}

/* ---- printing ---- */

const char *sf_tensor_format_lossless(const sf_tensor *t, int64_t i, char *buf, size_t len) {
  switch (t->dtype) {
    case SF_FLOAT32: snprintf(buf, len, "%.9g", ((const float *)t->data)[i]); break;
    case SF_FLOAT64: snprintf(buf, len, "%.17g", ((const double *)t->data)[i]); break;
    case SF_INT32: snprintf(buf, len, "%" PRId32, ((const int32_t *)t->data)[i]); break;
    case SF_INT64: snprintf(buf, len, "%" PRId64, ((const int64_t *)t->data)[i]); break;
    case SF_BOOL: snprintf(buf, len, "%s", ((const uint8_t *)t->data)[i] ? "true" : "false"); break;
    case SF_UINT8: snprintf(buf, len, "%u", (unsigned)((const uint8_t *)t->data)[i]); break;
  }
  return buf;
}

/* ---- numpy's array printing (numpy/core/arrayprint.py, NumPy 1.24: precision 8,
 * floatmode 'maxprec', threshold 1000, edgeitems 3, linewidth 75) ---- */

/* The shortest scientific digits of v that read back as the same value (float32 or
 * float64), as printf's "d.ddde±XX", cut to at most `cap` fractional digits (rounding the
 * exact value, as Dragon4 does) without the trailing zeros such a cut can leave (Dragon4's
 * trim '.'); *frac gets the fractional digits kept. */
static void sci_shortest(double v, bool is32, int cap, char *buf, size_t len, int *frac) {
  int d = 1;
  for (; d <= 17; d++) {
    snprintf(buf, len, "%.*e", d - 1, v);
    if (is32 ? strtof(buf, NULL) == (float)v : strtod(buf, NULL) == v) break;
  }
  if (d - 1 <= cap) {
    *frac = d - 1;
    return;
  }
  snprintf(buf, len, "%.*e", cap, v);
  char *e = strchr(buf, 'e'), *z = e;
  while (z[-1] == '0') z--;
  *frac = cap - (int)(e - z);
  if (*frac == 0 && z[-1] == '.') z--; /* "1.e-04": the point is written back by the caller */
  memmove(z, e, strlen(e) + 1);
}

/* numpy's repr of one float in positional notation: the shortest decimal that reads back
 * as the same value, at most prec (8 by default) fractional digits, "2." for integral
 * values. */
static void format_numpy_float(double v, bool is32, int prec, char *buf, size_t len) {
  if (isnan(v)) { snprintf(buf, len, "nan"); return; }
  if (isinf(v)) { snprintf(buf, len, v < 0 ? "-inf" : "inf"); return; }
  char tmp[64];
  int digits;
  sci_shortest(v, is32, 16, tmp, sizeof tmp, &digits);
  /* tmp is d.ddde±XX; rewrite positionally, then cap fractional digits at 8. */
  double shortest = strtod(tmp, NULL);
  char *e = strchr(tmp, 'e');
  int exp10 = atoi(e + 1);
  int frac = digits - exp10;
  if (frac < 0) frac = 0;
  /* cut at prec places, numpy's Dragon4 rounds the exact value, not the shortest digits
   * (0.056694675f is 0.0566946752369...: 0.05669468); printf rounds the exact value too */
  if (frac > prec) frac = prec, shortest = v;
  snprintf(buf, len, "%.*f", frac, shortest);
  if (frac > 0) { /* rounding to prec places can leave trailing zeros */
    char *end = buf + strlen(buf) - 1;
    while (*end == '0') *end-- = '\0';
  } else {
    strncat(buf, ".", len - strlen(buf) - 1);
  }
}

/* One format for every element shown (FloatingFormat.fillFormat for floats, the widest
 * element for the others): scientific when the shown finite non-zero magnitudes reach
 * 1e8, go below 1e-4 or span more than a factor 1000 (compared in the array's own type). */
typedef struct numfmt {
  bool exp;       /* scientific: every mantissa with prec fractional digits, exp_size exponent digits */
  int prec, exp_size;
  int left, right; /* pad_left, pad_right: columns before and after the decimal point */
  int prec_cap;    /* positional: at most this many fractional digits (the precision option) */
} numfmt;

/* Column widths so decimal points line up, as numpy does. */
static void measure(const char *s, int *left, int *right) {
  const char *dot = strchr(s, '.');
  *left = dot ? (int)(dot - s) : (int)strlen(s);
  *right = dot ? (int)strlen(dot + 1) : 0;
}

/* numpy's summary: above threshold elements (1000) an axis longer than 2 * edgeitems shows
 * its first and last edgeitems (3). */
static bool summarized(const sf_tensor *t, const sf_print_options *o) { return t->shape.rank > 0 && t->n > o->threshold; }

/* Whether flat element i is printed (every coordinate among its axis's shown ones). */
static bool shown(const sf_tensor *t, const sf_print_options *o, bool summary, int64_t i) {
  if (!summary) return true;
  int64_t e = o->edgeitems;
  for (int d = t->shape.rank - 1; d >= 0; d--) {
    int64_t n = t->shape.dims[d], c = i % n;
    i /= n;
    if (n > 2 * e && c >= e && c < n - e) return false;
  }
  return true;
}

/* Element i of a non-float tensor as numpy writes it (before padding). */
static void format_plain(const sf_tensor *t, int64_t i, char *buf, size_t len) {
  if (t->dtype == SF_BOOL)
    snprintf(buf, len, "%s", sf_tensor_get(t, i) ? (t->shape.rank ? " True" : "True") : "False"); /* numpy BoolFormat */
  else
    sf_tensor_format_lossless(t, i, buf, len);
}

static numfmt fill_format(const sf_tensor *t, const sf_print_options *o, bool summary) {
  numfmt f = {0};
  char buf[64];
  if (!sf_dtype_is_float(t->dtype)) {
    for (int64_t i = 0; i < t->n; i++)
      if (shown(t, o, summary, i)) {
        format_plain(t, i, buf, sizeof buf);
        if ((int)strlen(buf) > f.left) f.left = (int)strlen(buf);
      }
    return f;
  }
  bool is32 = t->dtype == SF_FLOAT32, any = false, nonfinite = false, neginf = false;
  double lo = 0, hi = 0;
  for (int64_t i = 0; i < t->n; i++) {
    if (!shown(t, o, summary, i)) continue;
    double v = sf_tensor_get(t, i);
    if (!isfinite(v)) {
      nonfinite = true;
      neginf = neginf || v < 0;
      continue;
    }
    double a = fabs(v);
    if (a == 0) continue;
    if (!any || a < lo) lo = a;
    if (!any || a > hi) hi = a;
    any = true;
  }
  if (any) /* max_val >= 1.e8 or (not suppress and (min_val < 0.0001 or max_val/min_val > 1000.)), in the array's type */
    f.exp = is32 ? (float)hi >= 1e8f || (!o->suppress && ((float)lo < 1e-4f || (float)hi / (float)lo > 1000.0f))
                 : hi >= 1e8 || (!o->suppress && (lo < 1e-4 || hi / lo > 1000.0));
  for (int64_t i = 0; i < t->n; i++) {
    if (!shown(t, o, summary, i)) continue;
    double v = sf_tensor_get(t, i);
    if (!isfinite(v)) continue;
    int left, right;
    if (f.exp) { /* first pass: unique digits, at most precision fractional ones */
      int frac;
      sci_shortest(v, is32, o->precision, buf, sizeof buf, &frac);
      char *e = strchr(buf, 'e');
      left = (int)(strchr(buf, '.') ? strchr(buf, '.') - buf : e - buf);
      if (frac > f.prec) f.prec = frac;
      if ((int)strlen(e + 2) > f.exp_size) f.exp_size = (int)strlen(e + 2);
      right = 0;
    } else {
      format_numpy_float(v, is32, o->precision, buf, sizeof buf);
      measure(buf, &left, &right);
    }
    if (left > f.left) f.left = left;
    if (right > f.right) f.right = right;
  }
  f.prec_cap = o->precision;
  if (f.exp) f.right = f.exp_size + 2 + f.prec; /* only for the width of nan and inf */
  if (nonfinite) { /* nan and inf take the width of the others, or widen pad_left */
    int offset = f.right + 1;
    if (3 - offset > f.left) f.left = 3 - offset;
    if (3 + neginf - offset > f.left) f.left = 3 + neginf - offset;
  }
  return f;
}

/* Element i in format f, padded to its column; its length. */
static int format_elem(const sf_tensor *t, int64_t i, const numfmt *f, char *out, size_t cap) {
  char buf[64];
  if (!sf_dtype_is_float(t->dtype)) {
    format_plain(t, i, buf, sizeof buf);
    return snprintf(out, cap, "%*s", f->left, buf);
  }
  double v = sf_tensor_get(t, i);
  if (!isfinite(v))
    return snprintf(out, cap, "%*s", f->left + f->right + 1, isnan(v) ? "nan" : v < 0 ? "-inf" : "inf");
  if (f->exp) { /* d.ddd e±XX: prec digits of the exact value (Dragon4's min_digits goes on past
                 * the unique ones, rounding the last), exp_size exponent digits */
    snprintf(buf, sizeof buf, "%.*e", f->prec, v);
    char *e = strchr(buf, 'e');
    *e = '\0';
    int exp10 = atoi(e + 1), left = (int)(strchr(buf, '.') ? strchr(buf, '.') - buf : e - buf);
    return snprintf(out, cap, "%*s%s%se%c%0*d", f->left - left, "", buf, f->prec ? "" : ".", exp10 < 0 ? '-' : '+',
                    f->exp_size, abs(exp10));
  }
  format_numpy_float(v, t->dtype == SF_FLOAT32, f->prec_cap, buf, sizeof buf);
  int left, right;
  measure(buf, &left, &right);
  return snprintf(out, cap, "%*s%s%*s", f->left - left, "", buf, f->right - right, "");
}

/* Output with its current column (numpy's line-width rules need it). */
typedef struct {
  FILE *f;
  int col;
} pout_t;

static void put(pout_t *o, const char *s, int n) {
  fwrite(s, 1, (size_t)n, o->f);
  for (int i = 0; i < n; i++) o->col = s[i] == '\n' ? 0 : o->col + 1;
}

static void put_spaces(pout_t *o, int n) {
  for (int i = 0; i < n; i++) put(o, " ", 1);
}

typedef struct {
  const sf_tensor *t;
  const numfmt *fmt;
  bool repr, summary;
  int64_t edge;
  int64_t stride[SF_MAX_RANK];
} pctx;

/* repr separates elements with ", " and ends rows with a comma, as numpy's repr does. The
 * last axis wraps as numpy's _formatArray does (arrayprint.py, legacy=False): a line holds
 * the hanging indent (indent + 1 columns) and words while it stays within width - 1, where
 * width is the line width less one per nesting level; a wrapped line drops its trailing
 * blanks (a word's padding is held back until the next word shows where it goes). A
 * summarized axis shows its first and last 3 entries around a "..." word (the last axis)
 * or a "..." row (the others). */
static void print_dim(pout_t *o, const pctx *p, int dim, int64_t base, int indent, int width) {
  const sf_tensor *t = p->t;
  put(o, "[", 1);
  int64_t d = t->shape.dims[dim];
  bool cut = p->summary && d > 2 * p->edge;
  int hang = indent + 1, len = hang, limit = width - dim - 1, held = 0;
  for (int64_t k = 0; k < d; k++) {
    bool dots = cut && k == p->edge;
    if (dim + 1 == t->shape.rank) {
      char word[128];
      int n = dots ? snprintf(word, sizeof word, "...") : format_elem(t, base + k * p->stride[dim], p->fmt, word, sizeof word);
      int sep = p->repr ? 2 : 1;
      if (k && len + sep + n > limit) {
        put(o, ",", p->repr ? 1 : 0);
        put(o, "\n", 1);
        put_spaces(o, hang);
        len = hang;
      } else if (k) {
        put_spaces(o, held);
        put(o, p->repr ? ", " : " ", sep);
        len += sep;
      }
      held = 0;
      while (!p->repr && n - held > 0 && word[n - held - 1] == ' ') held++; /* repr: the comma follows the padding */
      put(o, word, n - held);
      len += n;
    } else {
      if (k) {
        put(o, ",", p->repr ? 1 : 0);
        for (int b = dim + 1; b < t->shape.rank; b++) put(o, "\n", 1);
        put_spaces(o, indent + 1);
      }
      if (dots) put(o, "...", 3);
      else print_dim(o, p, dim + 1, base + k * p->stride[dim], indent + 1, width);
    }
    if (dots) k = d - p->edge - 1;
  }
  put_spaces(o, held);
  put(o, "]", 1);
}

/* width: numpy's line width (75), less the repr's suffix ("," or ")"). The column the
 * output ends at. */
static int print_body(FILE *f, const sf_tensor *t, int indent, bool repr, const sf_print_options *o) {
  if (t->n == 0 && t->shape.rank > 0) { /* arrayprint.py array2string: any empty array is "[]" */
    fputs("[]", f);
    return indent + 2;
  }
  if (t->shape.rank == 0) {
    char buf[64];
    if (sf_dtype_is_float(t->dtype)) format_numpy_float(sf_tensor_get(t, 0), t->dtype == SF_FLOAT32, o->precision, buf, sizeof buf);
    else format_plain(t, 0, buf, sizeof buf);
    fputs(buf, f);
    return indent + (int)strlen(buf);
  }
  pctx p = {.t = t, .repr = repr, .summary = summarized(t, o), .edge = o->edgeitems};
  numfmt fmt = fill_format(t, o, p.summary);
  p.fmt = &fmt;
  int64_t stride = 1;
  for (int d = t->shape.rank - 1; d >= 0; d--) {
    p.stride[d] = stride;
    stride *= t->shape.dims[d];
  }
  pout_t out = {f, indent};
  print_dim(&out, &p, 0, 0, indent, repr ? o->linewidth - 1 : o->linewidth);
  return out.col;
}

static const sf_print_options *opts_or_defaults(const sf_print_options *o) {
  static const sf_print_options defaults = SF_PRINT_DEFAULTS;
  return o ? o : &defaults;
}

void sf_tensor_print_numpy_with(FILE *f, const sf_tensor *t, const sf_print_options *o) {
  print_body(f, t, 0, false, opts_or_defaults(o));
}
void sf_tensor_print_numpy(FILE *f, const sf_tensor *t) { sf_tensor_print_numpy_with(f, t, NULL); }

/* arrayprint.py _array_repr_implementation: the dtype is left out when it is implied (float64,
 * int64, bool) and the array has elements; an empty array shows its shape unless (0,). */
void sf_tensor_print_repr_with(FILE *f, const sf_tensor *t, const sf_print_options *o) {
  o = opts_or_defaults(o);
  fputs("array(", f);
  int col;
  if (t->shape.rank == 0) { /* a 0-d array: its one value in the arrays' format, array(1.e+20) */
    char buf[128];
    numfmt fmt = fill_format(t, o, false);
    col = 6 + format_elem(t, 0, &fmt, buf, sizeof buf);
    fputs(buf, f);
  } else {
    col = print_body(f, t, 6, true, o);
  }
  if (t->n == 0 && t->shape.rank > 1) {
    char shape[96];
    const char *s = sf_shape_str(&t->shape, shape, sizeof shape);
    fprintf(f, ", shape=%s", s);
    col += 8 + (int)strlen(s);
  }
  bool implied = t->n > 0 && (t->dtype == SF_FLOAT64 || t->dtype == SF_INT64 || t->dtype == SF_BOOL);
  if (!implied) { /* on a line of its own when it would pass the line width */
    int n = (int)strlen(sf_dtype_name(t->dtype)) + 7;
    fprintf(f, ",%sdtype=%s", col + 1 + n + 1 > o->linewidth ? "\n      " : " ", sf_dtype_name(t->dtype));
  }
  fputc(')', f);
}
void sf_tensor_print_repr(FILE *f, const sf_tensor *t) { sf_tensor_print_repr_with(f, t, NULL); }

void sf_tensor_print_tf_repr_with(FILE *f, const sf_tensor *t, const sf_print_options *o) {
  char shape[96];
  fprintf(f, "<tf.Tensor: shape=%s, dtype=%s, numpy=", sf_shape_str(&t->shape, shape, sizeof shape), sf_dtype_name(t->dtype));
  if (t->shape.rank == 0) print_body(f, t, 0, true, opts_or_defaults(o));
  else sf_tensor_print_repr_with(f, t, o);
  fputc('>', f);
}
void sf_tensor_print_tf_repr(FILE *f, const sf_tensor *t) { sf_tensor_print_tf_repr_with(f, t, NULL); }

/* tensorflow/python/framework/ops.py _numpy_text: the value's text starts on a line of its own when it has more than one
 * ([[1. 2.]] does not). */
void sf_tensor_print_tf_with(FILE *f, const sf_tensor *t, const sf_print_options *o) {
  char shape[96], *text = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&text, &len);
  if (m) {
    sf_tensor_print_numpy_with(m, t, o);
    if (fclose(m) != 0) text = (free(text), NULL);
  }
  fputs("tf.Tensor(", f);
  if (text) fprintf(f, "%s%s", memchr(text, '\n', len) ? "\n" : "", text);
  else sf_tensor_print_numpy_with(f, t, o); /* no memory to look first: the text as it comes */
  free(text);
  fprintf(f, ", shape=%s, dtype=%s)", sf_shape_str(&t->shape, shape, sizeof shape), sf_dtype_name(t->dtype));
}
void sf_tensor_print_tf(FILE *f, const sf_tensor *t) { sf_tensor_print_tf_with(f, t, NULL); }

void sf_tensor_print_lossless(FILE *f, const sf_tensor *t) {
  char buf[40];
  for (int64_t i = 0; i < t->n; i++) fprintf(f, "%s%s", i ? " " : "", sf_tensor_format_lossless(t, i, buf, sizeof buf));
}
