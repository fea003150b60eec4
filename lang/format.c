/* format.c — Python's text formatting: format specs ([[fill]align][sign][#][0][width]
 * [,|_][.precision][type]) for f-strings and format(), printf-style `%` formatting, and
 * str.format with positional, numbered and named fields. */
#include "py.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct spec {
  char fill, align, sign, type, grouping;
  bool alt, zero;
  int width, prec;
} spec;

/* Digits from *s as CPython's Py_ssize_t (string_format.h get_integer): false past it
 * ("Too many decimal digits in format string"); *s moves past every digit. */
static bool ssize_digits(const char **s, int64_t *out) {
  int64_t v = 0;
  bool over = false;
  for (; **s >= '0' && **s <= '9'; (*s)++) {
    int d = **s - '0';
    over = over || v > (INT64_MAX - d) / 10;
    if (!over) v = v * 10 + d;
  }
  *out = v;
  return !over;
}

/* A width or precision; values past INT_MAX (which no string here can reach) are kept as
 * INT_MAX, for the caller's memory check. */
static bool spec_number(const char **s, int *out) {
  int64_t v;
  bool ok = ssize_digits(s, &v);
  *out = v > INT_MAX ? INT_MAX : (int)v;
  return ok;
}

/* Parses a format spec; *too_many: a width or precision past Py_ssize_t. */
static bool parse_spec(const char *s, spec *p, bool *too_many) {
  *too_many = false;
  memset(p, 0, sizeof *p);
  p->fill = ' ';
  p->prec = -1;
  if (s[0] && s[1] && strchr("<>=^", s[1])) p->fill = s[0], p->align = s[1], s += 2;
  else if (s[0] && strchr("<>=^", s[0])) p->align = *s++;
  if (*s && strchr("+- ", *s)) p->sign = *s++;
  if (*s == '#') p->alt = true, s++;
  if (*s == '0') {
    p->zero = true;
    if (!p->align) p->fill = '0', p->align = '=';
    s++;
  }
  if (!spec_number(&s, &p->width)) return *too_many = true, false;
  if (*s == ',' || *s == '_') p->grouping = *s++;
  if (*s == '.') {
    s++;
    p->prec = 0;
    if (!(*s >= '0' && *s <= '9')) return false;
    if (!spec_number(&s, &p->prec)) return *too_many = true, false;
  }
  if (*s) p->type = *s++;
  return *s == '\0';
}

/* Inserts thousands separators into the integer part of digits (which has room for them). */
static void group(char *digits, char sep) {
  char *dot = strpbrk(digits, ".eE%");
  size_t intlen = dot ? (size_t)(dot - digits) : strlen(digits), seps = intlen ? (intlen - 1) / 3 : 0;
  memmove(digits + intlen + seps, digits + intlen, strlen(digits + intlen) + 1);
  for (size_t i = intlen, at = intlen + seps, k = 0; i > 0; k++) { /* right to left */
    if (k && k % 3 == 0) digits[--at] = sep;
    digits[--at] = digits[--i];
  }
}

static void emit(sf_buf *b, const spec *p, const char *sign, const char *body, char dflt_align) {
  size_t len = strlen(sign) + strlen(body);
  char align = p->align ? p->align : dflt_align;
  size_t pad = (size_t)p->width > len ? (size_t)p->width - len : 0;
  size_t left = align == '>' ? pad : align == '^' ? pad / 2 : 0, right = align == '<' ? pad : align == '^' ? pad - pad / 2 : 0;
  for (size_t i = 0; i < left; i++) sf_buf_put(b, &p->fill, 1);
  sf_buf_puts(b, sign);
  for (size_t i = 0; align == '=' && i < pad; i++) sf_buf_put(b, &p->fill, 1);
  sf_buf_puts(b, body);
  for (size_t i = 0; i < right; i++) sf_buf_put(b, &p->fill, 1);
}

/* Bytes a float's digits may take beyond its precision: 309 integer digits of 1e308 (x100
 * for '%'), their separators, sign, point, exponent. */
enum { FLOAT_DIGITS = 768 };

/* The digits in a buffer of prec + FLOAT_DIGITS bytes: every digit CPython prints, however
 * big the precision (a 512-byte buffer cut "{:.1000f}" at 511). */
static sf_status format_float(sf_interp *I, sf_buf *b, const spec *p, double x, char type) {
  int prec = p->prec < 0 ? 6 : p->prec;
  size_t cap = (size_t)prec + FLOAT_DIGITS;
  char *body = malloc(cap);
  if (!body) return sf_py_oom(I);
  bool neg = signbit(x) && !isnan(x);
  double ax = fabs(x);
  if (!isfinite(ax)) snprintf(body, cap, "%s", isnan(ax) ? "nan" : "inf");
  else if (type == 'f' || type == 'F') snprintf(body, cap, "%.*f", prec, ax);
  else if (type == 'e' || type == 'E') snprintf(body, cap, type == 'e' ? "%.*e" : "%.*E", prec, ax);
  else if (type == '%') snprintf(body, cap, "%.*f%%", prec, ax * 100);
  else if (type == 'g' || type == 'G') {
    snprintf(body, cap, p->alt ? "%#.*g" : "%.*g", prec ? prec : 1, ax);
  } else { /* no type: repr, or like 'g' with at least one digit after the point */
    if (p->prec < 0) sf_float_repr(ax, body, cap);
    else {
      snprintf(body, cap, "%.*g", prec ? prec : 1, ax);
      if (!strpbrk(body, ".en")) strcat(body, ".0");
    }
  }
  if (p->grouping) group(body, p->grouping);
  const char *sign = neg ? "-" : p->sign == '+' ? "+" : p->sign == ' ' ? " " : "";
  emit(b, p, sign, body, '>');
  free(body);
  return SF_OK;
}

/* A result this wide, or with this many digits, must fit the run's memory limit (CPython:
 * a MemoryError past the machine's); a width or precision past INT_MAX fits none. */
static sf_status fits(sf_interp *I, const spec *p) {
  int64_t digits = (int64_t)p->prec + FLOAT_DIGITS;
  int64_t need = p->width == INT_MAX || p->prec == INT_MAX ? INT64_MAX / 4 : p->width > digits ? p->width : digits;
  if (!sf_heap_charge(need)) return sf_py_oom(I);
  sf_heap_charge(-need);
  return SF_OK;
}

sf_status sf_py_format(sf_interp *I, const sf_expr *at, sf_buf *b, const sf_val *v, const char *text) {
  spec p;
  bool too_many;
  if (!parse_spec(text, &p, &too_many))
    return too_many ? sf_py_raise(I, at, BC_VALUEERR, "Too many decimal digits in format string")
                    : sf_py_raise(I, at, BC_VALUEERR, "Invalid format specifier '%s'", text);
  sf_status fit = fits(I, &p);
  if (fit != SF_OK) return fit;
  if (*text == '\0' && sf_np_is_scalar(v) && v->kind == V_FLOAT) { /* numpy's __format__: float(self)'s */
    sf_val x = sf_float(v->f);
    return sf_py_format(I, at, b, &x, text);
  }
  if (*text == '\0') { /* str(v), tensors included */
    sf_val s = {0};
    sf_status st = sf_py_str(I, v, false, &s);
    if (st == SF_OK) sf_buf_put(b, SF_STR(&s)->s, SF_STR(&s)->len);
    sf_val_drop(&s);
    return st;
  }
  if (v->kind == V_TENSOR) { /* ops.py Tensor.__format__: self._numpy().__format__(spec) */
    const sf_tensor *t = sf_b_host_value(I, v);
    if (!t || t->shape.rank > 0)
      return sf_py_raise(I, at, BC_TYPEERR, "unsupported format string passed to %s.__format__",
                         t ? "numpy.ndarray" : "Tensor");
    sf_val x = t->dtype == SF_BOOL               ? (sf_val){.kind = V_BOOL, .b = sf_tensor_get_i64(t, 0) != 0}
               : sf_dtype_is_float(t->dtype) ? (sf_val){.kind = V_FLOAT, .f = sf_tensor_get(t, 0)}
                                               : (sf_val){.kind = V_INT, .i = sf_tensor_get_i64(t, 0)};
    return sf_py_format(I, at, b, &x, text);
  }
  if ((v->kind == V_INT || v->kind == V_BOOL) && (p.type == 0 || strchr("dxXobn", p.type)) && !(v->kind == V_BOOL && !p.type && !*text)) {
    int64_t x = v->kind == V_INT ? v->i : v->b;
    uint64_t ax = x < 0 ? -(uint64_t)x : (uint64_t)x;
    char body[512];
    char t = p.type ? p.type : 'd';
    if (t == 'x' || t == 'X' || t == 'o') snprintf(body, sizeof body, t == 'x' ? "%s%" PRIx64 : t == 'X' ? "%s%" PRIX64 : "%s%" PRIo64, p.alt ? (t == 'o' ? "0o" : t == 'x' ? "0x" : "0X") : "", ax);
    else if (t == 'b') {
      char bits[70];
      int n = 0;
      do bits[n++] = (char)('0' + (ax & 1)), ax >>= 1; while (ax);
      size_t k = 0;
      if (p.alt) body[k++] = '0', body[k++] = 'b';
      while (n) body[k++] = bits[--n];
      body[k] = '\0';
    } else snprintf(body, sizeof body, "%" PRIu64, ax);
    if (p.grouping) group(body, p.grouping);
    emit(b, &p, x < 0 ? "-" : p.sign == '+' ? "+" : p.sign == ' ' ? " " : "", body, '>');
    return SF_OK;
  }
  if (sf_is_number(v) && (p.type == 0 || strchr("eEfFgG%", p.type))) {
    return format_float(I, b, &p, sf_num(v), p.type);
  }
  if (v->kind == V_TENSOR && p.type && strchr("eEfFgG%", p.type)) { /* EagerTensor.__format__: the scalar's numpy value */
    sf_args ta = {.call = at};
    double x;
    sf_status st = sf_api_tensor_scalar(I, &ta, v, &x);
    return st == SF_OK ? format_float(I, b, &p, x, p.type) : st;
  }
  if (p.type && p.type != 's') {
    return sf_py_raise(I, at, BC_VALUEERR, "Unknown format code '%c' for object of type '%s'", p.type, sf_type_name(v));
  }
  sf_val s = {0};
  sf_status st = sf_py_str(I, v, false, &s);
  if (st != SF_OK) return st;
  const char *body = SF_STR(&s)->s;
  char *cut = NULL;
  if (p.prec >= 0 && (size_t)p.prec < SF_STR(&s)->len) cut = strndup(body, (size_t)p.prec), body = cut ? cut : body;
  emit(b, &p, "", body, sf_is_number(v) ? '>' : '<');
  free(cut);
  sf_val_drop(&s);
  return SF_OK;
}

sf_status sf_py_percent(sf_interp *I, const sf_expr *at, const char *fmt, const sf_val *args, sf_val *out) {
  const sf_val *items = args;
  int64_t n = 1, k = 0;
  if (sf_is(args, O_TUPLE)) items = SF_LIST(args)->items, n = SF_LIST(args)->n;
  sf_buf b = {0};
  sf_status st = SF_OK;
  for (const char *s = fmt; *s && st == SF_OK; s++) {
    if (*s != '%') {
      sf_buf_put(&b, s, 1);
      continue;
    }
    s++;
    if (*s == '%') {
      sf_buf_puts(&b, "%");
      continue;
    }
    const sf_val *mapping_value = NULL;
    if (*s == '(' && sf_is(args, O_DICT)) {
      const char *e = strchr(s, ')');
      if (!e) break;
      char key[128];
      snprintf(key, sizeof key, "%.*s", (int)(e - s - 1), s + 1);
      mapping_value = sf_dict_get_str(SF_DICT(args), key);
      if (!mapping_value) {
        sf_val k = {0};
        st = sf_str_cstr(key, &k) ? sf_py_raise_key(I, at, &k) : sf_py_oom(I);
        if (st != SF_ENOMEM) sf_val_drop(&k);
        break;
      }
      s = e + 1;
    }
    char flags[8] = {0};
    int nf = 0;
    while (*s && strchr("-+ #0", *s) && nf < 7) flags[nf++] = *s++;
    int width = 0, prec = -1;
    if (*s >= '0' && *s <= '9' && !spec_number(&s, &width)) {
      st = sf_py_raise(I, at, BC_VALUEERR, "width too big");
      break;
    }
    if (*s == '.') {
      s++;
      prec = 0;
      if (*s >= '0' && *s <= '9' && !spec_number(&s, &prec)) {
        st = sf_py_raise(I, at, BC_VALUEERR, "precision too big");
        break;
      }
    }
    char t = *s;
    if (!t) {
      st = sf_py_raise(I, at, BC_VALUEERR, "incomplete format");
      break;
    }
    const sf_val *v = mapping_value;
    if (!v) {
      if (k >= n) {
        st = sf_py_raise(I, at, BC_TYPEERR, "not enough arguments for format string");
        break;
      }
      v = &items[k++];
    }
    spec p = {.fill = strchr(flags, '0') && !strchr(flags, '-') ? '0' : ' ', .align = strchr(flags, '-') ? '<' : strchr(flags, '0') ? '=' : '>',
              .sign = strchr(flags, '+') ? '+' : strchr(flags, ' ') ? ' ' : 0, .alt = strchr(flags, '#') != NULL,
              .width = width, .prec = prec};
    if ((st = fits(I, &p)) != SF_OK) break;
    if (t == 's' || t == 'r' || t == 'a') {
      sf_val sv = {0};
      if ((st = sf_py_str(I, v, t != 's', &sv)) != SF_OK) break;
      const char *body = SF_STR(&sv)->s;
      char *cut = prec >= 0 && (size_t)prec < SF_STR(&sv)->len ? strndup(body, (size_t)prec) : NULL;
      spec q = p;
      q.fill = ' ';
      q.align = strchr(flags, '-') ? '<' : '>';
      emit(&b, &q, "", cut ? cut : body, '>');
      free(cut);
      sf_val_drop(&sv);
    } else if (strchr("diuxXo", t)) {
      sf_val iv = *v;
      if (v->kind == V_FLOAT && strchr("xXo", t)) { /* only %d, %i and %u take int(float) */
        st = sf_py_raise(I, at, BC_TYPEERR, "%%%c format: an integer is required, not float", t);
        break;
      }
      if (v->kind == V_FLOAT && (st = sf_py_float_to_int(I, at, v->f, &iv)) != SF_OK) break;
      if (iv.kind != V_INT && iv.kind != V_BOOL) {
        st = sf_py_raise(I, at, BC_TYPEERR, "%%%c format: a real number is required, not %s", t, sf_type_name(v));
        break;
      }
      char sp[48], w[16] = "";
      if (width > 0) snprintf(w, sizeof w, "%d", width);
      snprintf(sp, sizeof sp, "%s%s%s%s%s%c", strchr(flags, '-') ? "<" : "", p.sign == '+' ? "+" : p.sign == ' ' ? " " : "",
               p.alt ? "#" : "", strchr(flags, '0') && !strchr(flags, '-') ? "0" : "", w, t == 'i' || t == 'u' ? 'd' : t);
      st = sf_py_format(I, at, &b, &iv, sp);
    } else if (strchr("eEfFgG", t)) {
      if (!sf_is_number(v)) {
        st = sf_py_raise(I, at, BC_TYPEERR, "must be real number, not %s", sf_type_name(v));
        break;
      }
      p.type = t;
      st = format_float(I, &b, &p, sf_num(v), t);
    } else if (t == 'c') {
      sf_val sv = {0};
      if ((st = sf_py_str(I, v, false, &sv)) != SF_OK) break;
      sf_buf_put(&b, SF_STR(&sv)->s, SF_STR(&sv)->len);
      sf_val_drop(&sv);
    } else {
      st = sf_py_raise(I, at, BC_VALUEERR, "unsupported format character '%c' (0x%x)", t, (unsigned)(unsigned char)t);
    }
  }
  if (st == SF_OK && k < n && !sf_is(args, O_DICT)) st = sf_py_raise(I, at, BC_TYPEERR, "not all arguments converted during string formatting");
  if (st == SF_OK && (b.oom || !sf_str_new(b.s ? b.s : "", b.n, out))) st = sf_py_oom(I);
  free(b.s);
  return st;
}

sf_status sf_py_str_format(sf_interp *I, const sf_args *a, const char *fmt, sf_val *out) {
  sf_buf b = {0};
  sf_status st = SF_OK;
  int auto_idx = 0;
  for (const char *s = fmt; *s && st == SF_OK; s++) {
    if ((*s == '{' && s[1] == '{') || (*s == '}' && s[1] == '}')) {
      sf_buf_put(&b, s++, 1);
      continue;
    }
    if (*s != '{') {
      sf_buf_put(&b, s, 1);
      continue;
    }
    const char *e = strchr(s, '}');
    if (!e) {
      st = sf_py_raise(I, a->call, BC_VALUEERR, "Single '{' encountered in format string");
      break;
    }
    char field[256];
    snprintf(field, sizeof field, "%.*s", (int)(e - s - 1), s + 1);
    s = e;
    char *specp = strchr(field, ':'), *conv = strchr(field, '!');
    if (specp) *specp++ = '\0';
    if (conv && (!specp || conv < specp)) *conv++ = '\0';
    else conv = NULL;
    char *attr = strpbrk(field, ".[");
    char rest[256] = "";
    if (attr) {
      snprintf(rest, sizeof rest, "%s", attr);
      *attr = '\0';
    }
    const sf_val *v = NULL;
    if (field[0] == '\0') {
      if (auto_idx >= a->npos) {
        st = sf_py_raise(I, a->call, BC_INDEXERR, "Replacement index %d out of range for positional args tuple", auto_idx);
        break;
      }
      v = &a->pos[auto_idx++];
    } else if (strspn(field, "0123456789") == strlen(field)) { /* an index as a Py_ssize_t (string_format.h) */
      int64_t i;
      const char *d = field;
      if (!ssize_digits(&d, &i)) {
        st = sf_py_raise(I, a->call, BC_VALUEERR, "Too many decimal digits in format string");
        break;
      }
      if (i >= a->npos) {
        st = sf_py_raise(I, a->call, BC_INDEXERR, "Replacement index %lld out of range for positional args tuple",
                         (long long)i);
        break;
      }
      v = &a->pos[i];
    } else {
      for (int k = 0; k < a->nkw && !v; k++)
        if (strcmp(a->kwnames[k], field) == 0) v = &a->kw[k];
      if (!v) {
        sf_val k = {0};
        st = sf_str_cstr(field, &k) ? sf_py_raise_key(I, a->call, &k) : sf_py_oom(I);
        if (st != SF_ENOMEM) sf_val_drop(&k);
        break;
      }
    }
    sf_val cur = *v, tmp;
    sf_val_ref(&cur);
    for (char *r = rest; *r && st == SF_OK;) {
      if (*r == '.') {
        char name[128];
        size_t n = strcspn(r + 1, ".[");
        snprintf(name, sizeof name, "%.*s", (int)n, r + 1);
        r += n + 1;
        if (!sf_py_getattr(I, &cur, name, &tmp, &st)) {
          if (st == SF_OK) st = sf_py_raise(I, a->call, BC_ATTRERR, "'%s' object has no attribute '%s'", sf_type_name(&cur), name);
          break;
        }
      } else {
        char *close = strchr(r, ']');
        if (!close) break;
        char key[128];
        snprintf(key, sizeof key, "%.*s", (int)(close - r - 1), r + 1);
        sf_val k = {0};
        if (key[0] >= '0' && key[0] <= '9') k = sf_int(atoll(key));
        else if (!sf_str_cstr(key, &k)) { st = sf_py_oom(I); break; }
        st = sf_py_getitem(I, a->call, &cur, &k, &tmp);
        sf_val_drop(&k);
        r = close + 1;
      }
      if (st != SF_OK) break;
      sf_val_drop(&cur);
      cur = tmp;
    }
    if (st == SF_OK && conv) {
      if ((st = sf_py_str(I, &cur, *conv != 's', &tmp)) == SF_OK) {
        sf_val_drop(&cur);
        cur = tmp;
      }
    }
    if (st == SF_OK) st = sf_py_format(I, a->call, &b, &cur, specp ? specp : "");
    sf_val_drop(&cur);
  }
  if (st == SF_OK && (b.oom || !sf_str_new(b.s ? b.s : "", b.n, out))) st = sf_py_oom(I);
  free(b.s);
  return st;
}
