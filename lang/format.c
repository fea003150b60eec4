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
  char fill[5];             /* one character, UTF-8 */
  char align, sign, type, grouping;
  bool alt, zero, align_given;
  int width, prec;
} spec;

/* Bytes of the UTF-8 character at s (1 for a stray byte). */
static size_t utf8_len(const char *s) {
  unsigned char c = (unsigned char)*s;
  size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
  for (size_t k = 1; k < n; k++)
    if (((unsigned char)s[k] & 0xc0) != 0x80) return 1;
  return n;
}

/* Characters (code points) in the first n bytes of s. */
static size_t utf8_chars(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++) c += ((unsigned char)s[i] & 0xc0) != 0x80;
  return c;
}

static void put_fill(sf_buf *b, const spec *p, size_t times) {
  for (size_t i = 0; i < times; i++) sf_buf_puts(b, p->fill);
}

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
  strcpy(p->fill, " ");
  p->prec = -1;
  size_t fl = s[0] ? utf8_len(s) : 0;
  bool fill_given = false;
  if (s[0] && s[fl] && strchr("<>=^", s[fl])) memcpy(p->fill, s, fl), p->fill[fl] = '\0', p->align = s[fl], s += fl + 1, fill_given = true;
  else if (s[0] && strchr("<>=^", s[0])) p->align = *s++;
  p->align_given = p->align != 0;
  if (*s && strchr("+- ", *s)) p->sign = *s++;
  if (*s == '#') p->alt = true, s++;
  if (*s == '0') { /* zero padding: '0' fill unless one is given, and '=' for numbers (sf_py_format) */
    p->zero = true;
    if (!fill_given) strcpy(p->fill, "0");
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

/* A number laid out as formatter_unicode.c does (calc_number_widths, fill_number): sign,
 * prefix ("0x"), the integer digits, the rest (point, fraction, exponent, '%'), then the
 * alignment's padding. With zero padding ('0' fill and '=' alignment) the zeros are digits
 * too: the integer part is filled to the width, and a grouping separator goes between its
 * zeros as between its digits (_PyUnicode_InsertThousandsGrouping, groups of glen); inf and
 * nan have no digits, and are padded as text. */
static void emit_number(sf_buf *b, const spec *p, const char *sign, const char *prefix, const char *digits, size_t nd,
                        const char *rest, int glen) {
  size_t lead = strlen(sign) + strlen(prefix), nrest = strlen(rest);
  int64_t mw = strcmp(p->fill, "0") == 0 && p->align == '=' ? (int64_t)p->width - (int64_t)lead - (int64_t)nrest : 0;
  size_t cap = 2 * (nd + (size_t)(mw > 0 ? mw : 0)) + 8;
  char *buf = malloc(cap);
  if (!buf) {
    b->oom = true;
    return;
  }
  char *o = buf + cap;
  const char *d = digits + nd;
  int64_t remaining = (int64_t)nd;
  *--o = '\0';
  if (nd == 0) { /* inf, nan: no digits to group or to fill (calc_number_widths) */
  } else if (!p->grouping) {
    while (d > digits) *--o = *--d;
    for (int64_t z = (int64_t)nd; z < mw; z++) *--o = '0';
  } else {
    for (bool sep = false;; sep = true) {
      int64_t most = remaining > mw ? remaining : mw, l = glen < (most > 1 ? most : 1) ? glen : (most > 1 ? most : 1);
      int64_t nc = remaining < l ? (remaining > 0 ? remaining : 0) : l, nz = l - remaining > 0 ? l - remaining : 0;
      if (sep) *--o = p->grouping;
      for (int64_t k = 0; k < nc; k++) *--o = *--d;
      for (int64_t k = 0; k < nz; k++) *--o = '0';
      remaining -= nc;
      mw -= l;
      if (remaining <= 0 && mw <= 0) break;
      mw -= 1;
    }
  }
  size_t len = lead + strlen(o) + nrest;
  char align = p->align ? p->align : '>';
  size_t pad = (size_t)p->width > len ? (size_t)p->width - len : 0;
  size_t left = align == '>' ? pad : align == '^' ? pad / 2 : 0, right = align == '<' ? pad : align == '^' ? pad - pad / 2 : 0;
  put_fill(b, p, left);
  sf_buf_puts(b, sign);
  sf_buf_puts(b, prefix);
  put_fill(b, p, align == '=' ? pad : 0);
  sf_buf_puts(b, o);
  sf_buf_puts(b, rest);
  put_fill(b, p, right);
  free(buf);
}

/* Text padded to the width in characters, as format_string_internal does. */
static void emit(sf_buf *b, const spec *p, const char *body, size_t nbytes, char dflt_align) {
  size_t len = utf8_chars(body, nbytes);
  char align = p->align ? p->align : dflt_align;
  size_t pad = (size_t)p->width > len ? (size_t)p->width - len : 0;
  size_t left = align == '>' ? pad : align == '^' ? pad / 2 : 0, right = align == '<' ? pad : align == '^' ? pad - pad / 2 : 0;
  put_fill(b, p, left);
  sf_buf_put(b, body, nbytes);
  put_fill(b, p, right);
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
  /* format_float_internal: 'F', 'E', 'G' in capitals (INF, NAN too); '#' keeps the point;
   * '%' is 'f' of x * 100 with a '%' after, inf and nan too; 'n' is 'g' (the C locale) */
  bool upper = type == 'F' || type == 'E' || type == 'G';
  if (!isfinite(ax)) snprintf(body, cap, "%s%s", isnan(ax) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf"), type == '%' ? "%" : "");
  else if (type == 'f' || type == 'F') snprintf(body, cap, p->alt ? "%#.*f" : "%.*f", prec, ax);
  else if (type == 'e' || type == 'E')
    snprintf(body, cap, p->alt ? (upper ? "%#.*E" : "%#.*e") : (upper ? "%.*E" : "%.*e"), prec, ax);
  else if (type == '%') snprintf(body, cap, p->alt ? "%#.*f%%" : "%.*f%%", prec, ax * 100);
  else if (type == 'g' || type == 'G' || type == 'n') {
    snprintf(body, cap, p->alt ? (upper ? "%#.*G" : "%#.*g") : (upper ? "%.*G" : "%.*g"), prec ? prec : 1, ax);
  } else { /* no type: repr, or like 'g' with at least one digit after the point */
    if (p->prec < 0) {
      sf_float_repr(ax, body, cap);
      char *e = strchr(body, 'e');
      if (p->alt && e && !memchr(body, '.', (size_t)(e - body))) memmove(e + 1, e, strlen(e) + 1), *e = '.'; /* Py_DTSF_ALT */
    }
    else { /* 'g' with Py_DTSF_ADD_DOT_0: an exponent once the point would pass the last digit */
      int pr = prec ? prec : 1, exp10;
      snprintf(body, cap, "%.*e", pr - 1, ax);
      exp10 = atoi(strchr(body, 'e') + 1);
      if (exp10 < -4 || exp10 + 1 > pr - 1) {
        snprintf(body, cap, p->alt ? "%#.*e" : "%.*e", pr - 1, ax);
        char *e = strchr(body, 'e'), *z = e;
        if (!p->alt && strchr(body, '.')) { /* trailing zeros of the mantissa go, and a bare point */
          while (z[-1] == '0') z--;
          if (z[-1] == '.') z--;
          memmove(z, e, strlen(e) + 1);
        }
      } else {
        snprintf(body, cap, p->alt ? "%#.*g" : "%.*g", pr, ax);
        if (!strpbrk(body, ".en")) strcat(body, ".0");
      }
    }
  }
  const char *sign = neg ? "-" : p->sign == '+' ? "+" : p->sign == ' ' ? " " : "";
  size_t nd = strspn(body, "0123456789");
  emit_number(b, p, sign, "", body, nd, body + nd, 3);
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

/* A program class's own __format__(spec), which must return a str: false when it has none. */
static bool own_format(sf_interp *I, const sf_expr *at, sf_buf *b, const sf_val *v, const char *text, sf_status *st) {
  *st = SF_OK;
  if (!sf_is(v, O_INST)) return false;
  bool own = false;
  for (const sf_class *c = ((const sf_inst *)v->o)->cls; c && !c->builtin && !own; c = c->base)
    own = c->attrs && sf_dict_get_str(c->attrs, "__format__");
  if (!own) return false;
  sf_val m = {0}, spec_str = {0}, r = {0};
  if (!sf_py_getattr(I, v, "__format__", &m, st)) return *st = SF_OK, false;
  if (*st == SF_OK && !sf_str_cstr(text, &spec_str)) *st = sf_py_oom(I);
  if (*st == SF_OK) *st = sf_py_call1(I, &m, &spec_str, &r);
  if (*st == SF_OK && !(r.kind == V_STR || sf_is(&r, O_STR)))
    *st = sf_py_raise(I, at, BC_TYPEERR, "__format__ must return a str, not %s", sf_type_name(&r));
  else if (*st == SF_OK) sf_buf_put(b, SF_STR(&r)->s, SF_STR(&r)->len);
  sf_val_drop(&m);
  sf_val_drop(&spec_str);
  sf_val_drop(&r);
  return true;
}

sf_status sf_py_format(sf_interp *I, const sf_expr *at, sf_buf *b, const sf_val *v, const char *text) {
  sf_status st;
  if (own_format(I, at, b, v, text, &st)) return st;
  if (*text == '\0' && sf_np_is_scalar(v) && v->kind == V_FLOAT) { /* numpy's __format__: float(self)'s */
    sf_val x = sf_float(v->f);
    return sf_py_format(I, at, b, &x, text);
  }
  if (*text == '\0') { /* str(v), tensors included */
    sf_val s = {0};
    st = sf_py_str(I, v, false, &s);
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
  bool is_str = v->kind == V_STR || sf_is(v, O_STR), is_int = v->kind == V_INT || v->kind == V_BOOL;
  if (!is_str && !sf_is_number(v)) /* object.__format__ takes no spec */
    return sf_py_raise(I, at, BC_TYPEERR, "unsupported format string passed to %s.__format__", sf_type_name(v));
  spec p;
  bool too_many;
  if (!parse_spec(text, &p, &too_many))
    return too_many ? sf_py_raise(I, at, BC_VALUEERR, "Too many decimal digits in format string")
                    : sf_py_raise(I, at, BC_VALUEERR, "Invalid format specifier '%s'", text);
  /* parse_internal_render_format_spec: ',' with the decimal types only, '_' with b, o, x, X too */
  char type = p.type ? p.type : is_str ? 's' : is_int ? 'd' : 'g';
  if (p.grouping && !strchr("defgEG%F", type) && !(p.grouping == '_' && strchr("boxX", type)))
    return type > 32 && type < 127 ? sf_py_raise(I, at, BC_VALUEERR, "Cannot specify '%c' with '%c'.", p.grouping, type)
                                   : sf_py_raise(I, at, BC_VALUEERR, "Cannot specify '%c' with '\\x%x'.", p.grouping, (unsigned)(unsigned char)type);
  if ((st = fits(I, &p)) != SF_OK) return st;
  if (!is_str && p.zero && !p.align_given) p.align = '='; /* numbers: zero padding after the sign */
  if (is_int && strchr("dxXobn", type)) {
    int64_t x = v->kind == V_INT ? v->i : v->b;
    uint64_t ax = x < 0 ? -(uint64_t)x : (uint64_t)x;
    char body[72];
    if (p.prec >= 0) return sf_py_raise(I, at, BC_VALUEERR, "Precision not allowed in integer format specifier");
    if (type == 'x' || type == 'X' || type == 'o')
      snprintf(body, sizeof body, type == 'x' ? "%" PRIx64 : type == 'X' ? "%" PRIX64 : "%" PRIo64, ax);
    else if (type == 'b') {
      char bits[70];
      int n = 0;
      do bits[n++] = (char)('0' + (ax & 1)), ax >>= 1; while (ax);
      size_t k = 0;
      while (n) body[k++] = bits[--n];
      body[k] = '\0';
    } else snprintf(body, sizeof body, "%" PRIu64, ax);
    const char *prefix = !p.alt || type == 'd' || type == 'n' ? "" : type == 'x' ? "0x" : type == 'X' ? "0X" : type == 'o' ? "0o" : "0b";
    emit_number(b, &p, x < 0 ? "-" : p.sign == '+' ? "+" : p.sign == ' ' ? " " : "", prefix, body, strlen(body), "",
                type == 'd' || type == 'n' ? 3 : 4);
    return SF_OK;
  }
  if (is_int && type == 'c') /* chr(x) laid out as a number */
    return sf_error_at(I->err, at ? at->line : I->line, at ? at->col : 1, SF_ENAME, "unsupported: the format type 'c' of an int");
  if (!is_str && strchr("eEfFgGn%", type)) return format_float(I, b, &p, sf_num(v), p.type);
  if (!is_str || type != 's') return sf_py_raise(I, at, BC_VALUEERR, "Unknown format code '%c' for object of type '%s'", type, sf_type_name(v));
  /* format_string_internal */
  if (p.sign) return sf_py_raise(I, at, BC_VALUEERR, "Sign not allowed in string format specifier");
  if (p.alt) return sf_py_raise(I, at, BC_VALUEERR, "Alternate form (#) not allowed in string format specifier");
  if (p.align == '=') return sf_py_raise(I, at, BC_VALUEERR, "'=' alignment not allowed in string format specifier");
  sf_val sv = {0};
  if ((st = sf_py_str(I, v, false, &sv)) != SF_OK) return st;
  const char *body = SF_STR(&sv)->s;
  size_t n = SF_STR(&sv)->len;
  if (p.prec >= 0) { /* the first prec characters */
    size_t k = 0;
    for (int64_t c = 0; k < n && c < p.prec; c++) k += utf8_len(body + k);
    n = k < n ? k : n;
  }
  emit(b, &p, body, n, '<');
  sf_val_drop(&sv);
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
    if (*s == '(' && !sf_is(args, O_DICT)) {
      st = sf_py_raise(I, at, BC_TYPEERR, "format requires a mapping");
      break;
    }
    if (*s == '(') {
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
    spec p = {.fill = {strchr(flags, '0') && !strchr(flags, '-') ? '0' : ' '}, .align = strchr(flags, '-') ? '<' : strchr(flags, '0') ? '=' : '>',
              .sign = strchr(flags, '+') ? '+' : strchr(flags, ' ') ? ' ' : 0, .alt = strchr(flags, '#') != NULL,
              .width = width, .prec = prec};
    if ((st = fits(I, &p)) != SF_OK) break;
    if (t == 's' || t == 'r' || t == 'a') {
      sf_val sv = {0};
      if ((st = sf_py_str(I, v, t != 's', &sv)) != SF_OK) break;
      const char *body = SF_STR(&sv)->s;
      size_t nb = SF_STR(&sv)->len;
      if (prec >= 0) { /* the first prec characters */
        size_t k = 0;
        for (int64_t c = 0; k < nb && c < prec; c++) k += utf8_len(body + k);
        nb = k < nb ? k : nb;
      }
      spec q = p;
      strcpy(q.fill, " ");
      q.align = strchr(flags, '-') ? '<' : '>';
      emit(&b, &q, body, nb, '>');
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
      /* PyUnicode_Format: the code point, shown when printable ASCII, and its index in characters */
      const unsigned char *u = (const unsigned char *)s;
      unsigned cp = u[0], more = cp >= 0xf0 ? 3 : cp >= 0xe0 ? 2 : cp >= 0xc0 ? 1 : 0;
      cp &= more ? 0x3fu >> more : 0x7fu;
      for (unsigned k = 1; k <= more && (u[k] & 0xc0) == 0x80; k++) cp = cp << 6 | (u[k] & 0x3fu);
      long long index = 0;
      for (const char *c = fmt; c < s; c++) index += ((unsigned char)*c & 0xc0) != 0x80;
      st = sf_py_raise(I, at, BC_VALUEERR, "unsupported format character '%c' (0x%x) at index %lld", cp >= 31 && cp <= 126 ? (char)cp : '?',
                       cp, index);
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
