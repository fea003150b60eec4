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
  char align, sign, type, grouping; /* type: a non-ASCII one is 0x7f here, its code point in type_cp */
  unsigned type_cp;
  bool alt, zero, align_given, no_neg_0; /* no_neg_0: the 'z' option (3.11): a float that rounds to -0 prints 0 */
  int width, prec;
} spec;

/* Bytes of the UTF-8 character at s, which is NUL-terminated (1 for a stray byte). */
static size_t utf8_len(const char *s) { return sf_utf8_char(s, strlen(s), NULL); }

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
/* parse_internal_render_format_spec's outcomes. */
enum { SPEC_OK, SPEC_TOO_MANY, SPEC_INVALID, SPEC_NO_PRECISION, SPEC_BOTH_SEPARATORS };

static int parse_spec(const char *s, spec *p) {
  memset(p, 0, sizeof *p);
  strcpy(p->fill, " ");
  p->prec = -1;
  size_t fl = s[0] ? utf8_len(s) : 0;
  bool fill_given = false;
  if (s[0] && s[fl] && strchr("<>=^", s[fl])) memcpy(p->fill, s, fl), p->fill[fl] = '\0', p->align = s[fl], s += fl + 1, fill_given = true;
  else if (s[0] && strchr("<>=^", s[0])) p->align = *s++;
  p->align_given = p->align != 0;
  if (*s && strchr("+- ", *s)) p->sign = *s++;
  if (*s == 'z') p->no_neg_0 = true, s++;
  if (*s == '#') p->alt = true, s++;
  if (*s == '0') { /* zero padding: '0' fill unless one is given, and '=' for numbers (sf_py_format) */
    p->zero = true;
    if (!fill_given) strcpy(p->fill, "0");
    s++;
  }
  if (!spec_number(&s, &p->width)) return SPEC_TOO_MANY;
  if (*s == ',' || *s == '_') p->grouping = *s++;
  if ((*s == ',' || *s == '_') && p->grouping && *s != p->grouping) return SPEC_BOTH_SEPARATORS; /* the same one again: the type */
  if (*s == '.') {
    s++;
    p->prec = 0;
    if (!(*s >= '0' && *s <= '9')) return SPEC_NO_PRECISION;
    if (!spec_number(&s, &p->prec)) return SPEC_TOO_MANY;
  }
  if (*s) { /* one character, maybe not ASCII */
    uint32_t cp;
    s += sf_utf8_char(s, strlen(s), &cp);
    p->type = cp < 0x80 ? (char)cp : 0x7f, p->type_cp = cp;
  }
  return *s == '\0' ? SPEC_OK : SPEC_INVALID;
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
  size_t len = lead + (size_t)sf_utf8_count(o, strlen(o)) + nrest;
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
  size_t len = (size_t)sf_utf8_count(body, nbytes);
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
  if (neg && p->no_neg_0 && isfinite(ax)) { /* Py_DTSF_NO_NEG_0: a result of zero digits drops its sign */
    bool zero = true;
    for (const char *c = body; *c && *c != 'e' && *c != 'E' && zero; c++) zero = !(*c >= '1' && *c <= '9');
    if (zero) neg = false;
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
  /* a NumPy scalar formats as the Python number it converts to (its __format__) */
  const char *tname = !v->numpy ? sf_type_name(v) : v->kind == V_FLOAT ? "float" : v->kind == V_INT ? "int" : "bool";
  switch (parse_spec(text, &p)) {
    case SPEC_TOO_MANY: return sf_py_raise(I, at, BC_VALUEERR, "Too many decimal digits in format string");
    case SPEC_INVALID: return sf_py_raise(I, at, BC_VALUEERR, "Invalid format specifier '%s' for object of type '%s'", text, tname);
    case SPEC_NO_PRECISION: return sf_py_raise(I, at, BC_VALUEERR, "Format specifier missing precision");
    case SPEC_BOTH_SEPARATORS: return sf_py_raise(I, at, BC_VALUEERR, "Cannot specify both ',' and '_'.");
    default: break;
  }
  /* parse_internal_render_format_spec: ',' with the decimal types only, '_' with b, o, x, X too */
  char type = p.type ? p.type : is_str ? 's' : is_int ? 'd' : 'g';
  unsigned cp = p.type ? p.type_cp : (unsigned char)type;
  bool shown = cp > 32 && cp < 127; /* a type character shown as itself, else as \xhh */
  if (p.grouping && !strchr("defgEG%F", type) && !(p.grouping == '_' && strchr("boxX", type)))
    return shown ? sf_py_raise(I, at, BC_VALUEERR, "Cannot specify '%c' with '%c'.", p.grouping, type)
                 : sf_py_raise(I, at, BC_VALUEERR, "Cannot specify '%c' with '\\x%x'.", p.grouping, cp);
  /* format_obj: the type first, then each kind's own checks (format_long_internal, format_string_internal) */
  bool known = cp < 0x80 && (is_str ? type == 's' : strchr(is_int ? "bcdoxXneEfFgG%" : "eEfFgGn%", type) != NULL);
  if (!known)
    return shown ? sf_py_raise(I, at, BC_VALUEERR, "Unknown format code '%c' for object of type '%s'", type, tname)
                 : sf_py_raise(I, at, BC_VALUEERR, "Unknown format code '\\x%x' for object of type '%s'", cp, tname);
  if (is_int && strchr("dxXobnc", type)) {
    if (p.prec >= 0) return sf_py_raise(I, at, BC_VALUEERR, "Precision not allowed in integer format specifier");
    if (p.no_neg_0) return sf_py_raise(I, at, BC_VALUEERR, "Negative zero coercion (z) not allowed in integer format specifier");
  }
  if (is_str) {
    if (p.sign) return sf_py_raise(I, at, BC_VALUEERR, p.sign == ' ' ? "Space not allowed in string format specifier" : "Sign not allowed in string format specifier");
    if (p.no_neg_0) return sf_py_raise(I, at, BC_VALUEERR, "Negative zero coercion (z) not allowed in string format specifier");
  }
  if ((st = fits(I, &p)) != SF_OK) return st;
  if (!is_str && p.zero && !p.align_given) p.align = '='; /* numbers: zero padding after the sign */
  if (is_int && type == 'c') { /* chr(x), laid out as a number */
    if (p.sign) return sf_py_raise(I, at, BC_VALUEERR, "Sign not allowed with integer format specifier 'c'");
    if (p.alt) return sf_py_raise(I, at, BC_VALUEERR, "Alternate form (#) not allowed with integer format specifier 'c'");
    int64_t x = v->kind == V_INT ? v->i : v->b;
    if (x < 0 || x > 0x10ffff) return sf_py_raise(I, at, BC_OVERFLOW, "%%c arg not in range(0x110000)");
    unsigned c = (unsigned)x;
    char ch[5] = {0};
    sf_utf8_encode(c, ch);
    if (!c) { /* a NUL: text of one character */
      spec q = p;
      if (q.align == '=') q.align = '>';
      emit(b, &q, ch, 1, '>');
    } else {
      emit_number(b, &p, "", "", ch, strlen(ch), "", 3);
    }
    return SF_OK;
  }
  if (is_int && strchr("dxXobn", type)) {
    int64_t x = v->kind == V_INT ? v->i : v->b;
    uint64_t ax = x < 0 ? -(uint64_t)x : (uint64_t)x;
    char body[72];
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
  if (!is_str && strchr("eEfFgGn%", type)) return format_float(I, b, &p, sf_num(v), p.type);
  /* format_string_internal (sign and z checked above) */
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

sf_status sf_py_ascii(sf_interp *I, const sf_val *v, sf_val *out) {
  sf_val r = {0};
  sf_status st = sf_py_str(I, v, true, &r);
  if (st != SF_OK) return st;
  const unsigned char *u = (const unsigned char *)SF_STR(&r)->s;
  size_t n = SF_STR(&r)->len;
  sf_buf b = {0};
  for (size_t i = 0; i < n;) {
    if (u[i] < 0x80) {
      sf_buf_put(&b, (const char *)u + i++, 1);
      continue;
    }
    uint32_t cp;
    i += sf_utf8_char((const char *)u + i, n - i, &cp);
    char esc[16];
    snprintf(esc, sizeof esc, cp < 0x100 ? "\\x%02x" : cp < 0x10000 ? "\\u%04x" : "\\U%08x", cp);
    sf_buf_puts(&b, esc);
  }
  sf_val_drop(&r);
  st = b.oom ? sf_py_oom(I) : sf_str_new(b.s ? b.s : "", b.n, out) ? SF_OK : sf_py_oom(I);
  free(b.s);
  return st;
}

/* The next positional argument of a % format, or NULL when they are used up. */
static const sf_val *next_arg(const sf_val *items, int64_t n, int64_t *k) { return *k < n ? &items[(*k)++] : NULL; }

/* A * width or precision: the next argument, an int; after a %(key), the key's value first
 * (PyUnicode_Format makes it the arguments), which is then used up. */
static sf_status star_arg(sf_interp *I, const sf_expr *at, const sf_val *items, int64_t n, int64_t *k, const sf_val **mapped,
                          int64_t *x) {
  const sf_val *w = *mapped ? *mapped : next_arg(items, n, k);
  bool from_key = *mapped != NULL;
  *mapped = NULL;
  if (from_key && !w) return sf_py_raise(I, at, BC_TYPEERR, "not enough arguments for format string");
  if (!w) return sf_py_raise(I, at, BC_TYPEERR, "not enough arguments for format string");
  if (w->kind != V_INT && w->kind != V_BOOL) return sf_py_raise(I, at, BC_TYPEERR, "* wants int");
  *x = w->kind == V_INT ? w->i : w->b;
  return SF_OK;
}

/* printf-style formatting as PyUnicode_Format does it: %(key) from a mapping (balanced
 * parentheses), flags -+ #0, width and precision (or * from the arguments), the h, l and L
 * length modifiers skipped, and the conversions s r a c d i u o x X e E f F g G %. */
sf_status sf_py_percent(sf_interp *I, const sf_expr *at, const char *fmt, const sf_val *args, sf_val *out) {
  const sf_val *items = args;
  int64_t n = 1, k = 0;
  bool mapping = sf_is(args, O_DICT);
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
    bool used_key = false; /* a * took the key's value */
    if (*s == '(') {
      if (!mapping) {
        st = sf_py_raise(I, at, BC_TYPEERR, "format requires a mapping");
        break;
      }
      const char *e = s + 1;
      for (int depth = 1; *e && !(*e == ')' && depth == 1); e++) depth += *e == '(' ? 1 : *e == ')' ? -1 : 0;
      if (!*e) {
        st = sf_py_raise(I, at, BC_VALUEERR, "incomplete format key");
        break;
      }
      sf_val key = {0};
      if (!sf_str_new(s + 1, (size_t)(e - s - 1), &key)) {
        st = sf_py_oom(I);
        break;
      }
      mapping_value = sf_dict_get(SF_DICT(args), &key);
      if (!mapping_value) st = sf_py_raise_key(I, at, &key);
      sf_val_drop(&key);
      if (st != SF_OK) break;
      s = e + 1;
      k = n; /* a format that names keys has no positional argument left */
    }
    bool left = false, plus = false, space = false, alt = false, zero = false;
    for (;; s++) {
      if (*s == '-') left = true;
      else if (*s == '+') plus = true;
      else if (*s == ' ') space = true;
      else if (*s == '#') alt = true;
      else if (*s == '0') zero = true;
      else break;
    }
    int width = 0, prec = -1;
    int64_t x;
    if (*s == '*') { /* from the arguments: a negative width left-justifies */
      bool keyed = mapping_value != NULL;
      if ((st = star_arg(I, at, items, n, &k, &mapping_value, &x)) != SF_OK) break;
      if (keyed) used_key = true;
      if (x < 0) left = true, x = x == INT64_MIN ? 0 : -x; /* CPython: -(-2**63) stays negative, no padding */
      width = x > INT_MAX ? INT_MAX : (int)x;
      s++;
    } else if (*s >= '0' && *s <= '9' && !spec_number(&s, &width)) {
      st = sf_py_raise(I, at, BC_VALUEERR, "width too big");
      break;
    }
    if (*s == '.') {
      s++;
      prec = 0;
      if (*s == '*') { /* a negative precision is 0 */
        bool keyed = mapping_value != NULL;
        if ((st = star_arg(I, at, items, n, &k, &mapping_value, &x)) != SF_OK) break;
        if (keyed) used_key = true;
        if (x > INT_MAX) { /* _PyLong_AsInt */
          st = sf_py_raise(I, at, BC_OVERFLOW, "Python int too large to convert to C int");
          break;
        }
        prec = x < 0 ? 0 : (int)x;
        s++;
      } else if (*s >= '0' && *s <= '9' && !spec_number(&s, &prec)) {
        st = sf_py_raise(I, at, BC_VALUEERR, "precision too big");
        break;
      }
    }
    if (*s == 'h' || *s == 'l' || *s == 'L') s++; /* length modifiers mean nothing here */
    char t = *s;
    if (!t) {
      st = sf_py_raise(I, at, BC_VALUEERR, "incomplete format");
      break;
    }
    const sf_val *v = mapping_value ? mapping_value : used_key ? NULL : next_arg(items, n, &k); /* a mapping: itself, once */
    if (!v) {
      st = sf_py_raise(I, at, BC_TYPEERR, "not enough arguments for format string");
      break;
    }
    if (!strchr("sracdiuoxXeEfFgG", t)) { /* after the argument is taken (PyUnicode_Format): the code point, shown when printable ASCII, and its index */
      uint32_t cp;
      sf_utf8_char(s, strlen(s), &cp);
      st = sf_py_raise(I, at, BC_VALUEERR, "unsupported format character '%c' (0x%x) at index %lld", cp >= 31 && cp <= 126 ? (char)cp : '?',
                       (unsigned)cp, (long long)sf_utf8_count(fmt, (size_t)(s - fmt)));
      break;
    }
    spec p = {.fill = {zero && !left ? '0' : ' '}, .align = left ? '<' : zero ? '=' : '>', .sign = plus ? '+' : space ? ' ' : 0,
              .alt = alt, .width = width, .prec = prec};
    spec text = p; /* strings and characters: spaces, no zeros */
    strcpy(text.fill, " ");
    text.align = left ? '<' : '>';
    if (t == 's' || t == 'r' || t == 'a') {
      sf_val sv = {0};
      if ((st = fits(I, &p)) != SF_OK) break; /* the width and precision, once the argument is taken */
      if ((st = t == 'a' ? sf_py_ascii(I, v, &sv) : sf_py_str(I, v, t == 'r', &sv)) != SF_OK) break;
      const char *body = SF_STR(&sv)->s;
      size_t nb = SF_STR(&sv)->len;
      if (prec >= 0) { /* the first prec characters */
        size_t c = 0;
        for (int64_t j = 0; c < nb && j < prec; j++) c += utf8_len(body + c);
        nb = c < nb ? c : nb;
      }
      emit(&b, &text, body, nb, '>');
      sf_val_drop(&sv);
    } else if (t == 'c') { /* an int's character, or a str of one character */
      char ch[5];
      size_t nb = 0;
      if (v->kind == V_INT || v->kind == V_BOOL) {
        int64_t cp = v->kind == V_INT ? v->i : v->b;
        if (cp < 0 || cp > 0x10ffff) {
          st = sf_py_raise(I, at, BC_OVERFLOW, "%%c arg not in range(0x110000)");
          break;
        }
        nb = sf_utf8_encode((uint32_t)cp, ch);
      } else {
        sf_val sv = {0};
        bool one = false;
        if ((v->kind == V_STR || sf_is(v, O_STR)) && (st = sf_py_str(I, v, false, &sv)) == SF_OK) {
          one = SF_STR(&sv)->len && utf8_len(SF_STR(&sv)->s) == SF_STR(&sv)->len;
          if (one) memcpy(ch, SF_STR(&sv)->s, SF_STR(&sv)->len), nb = SF_STR(&sv)->len;
          sf_val_drop(&sv);
        }
        if (st != SF_OK) break;
        if (!one) {
          st = sf_py_raise(I, at, BC_TYPEERR, "%%c requires int or char");
          break;
        }
      }
      if ((st = fits(I, &p)) != SF_OK) break;
      emit(&b, &text, ch, nb, '>');
    } else if (strchr("diuoxX", t)) {
      sf_val iv = *v;
      bool hex = strchr("oxX", t) != NULL;
      if (v->kind == V_FLOAT && hex) { /* only %d, %i and %u take int(float) */
        st = sf_py_raise(I, at, BC_TYPEERR, "%%%c format: an integer is required, not float", t);
        break;
      }
      if (v->kind == V_FLOAT && (st = sf_py_float_to_int(I, at, v->f, &iv)) != SF_OK) break;
      if (iv.kind != V_INT && iv.kind != V_BOOL) {
        st = sf_py_raise(I, at, BC_TYPEERR, hex ? "%%%c format: an integer is required, not %s" : "%%%c format: a real number is required, not %s",
                         t, sf_type_name(v));
        break;
      }
      if ((st = fits(I, &p)) != SF_OK) break;
      int64_t x = iv.kind == V_INT ? iv.i : iv.b;
      uint64_t ax = x < 0 ? -(uint64_t)x : (uint64_t)x;
      char digits[96];
      int nd = snprintf(digits, 32, t == 'o' ? "%" PRIo64 : t == 'x' ? "%" PRIx64 : t == 'X' ? "%" PRIX64 : "%" PRIu64, ax);
      char body[160];
      int pad = prec > nd ? prec - nd : 0; /* _PyUnicode_FormatLong: the precision in digits */
      if (pad > 64) {
        st = sf_error_at(I->err, at ? at->line : I->line, at ? at->col : 1, SF_ENAME, "unsupported: an integer precision over 64 in %% formatting");
        break;
      }
      snprintf(body, sizeof body, "%.*s%s", pad, "0000000000000000000000000000000000000000000000000000000000000000", digits);
      const char *prefix = !alt ? "" : t == 'o' ? "0o" : t == 'x' ? "0x" : t == 'X' ? "0X" : "";
      spec q = p;
      q.prec = -1;
      emit_number(&b, &q, x < 0 ? "-" : plus ? "+" : space ? " " : "", prefix, body, strlen(body), "", 3);
    } else { /* eEfFgG: float(v) */
      double x;
      if (v->kind == V_TENSOR && !v->numpy) { /* EagerTensor.__float__ */
        sf_args ta = {.call = at};
        if ((st = sf_api_tensor_scalar(I, &ta, v, &x)) != SF_OK) break;
      } else if (!sf_is_number(v)) {
        st = sf_py_raise(I, at, BC_TYPEERR, "must be real number, not %s", sf_type_name(v));
        break;
      } else {
        x = sf_num(v);
      }
      p.type = t;
      if ((st = fits(I, &p)) == SF_OK) st = format_float(I, &b, &p, x, t);
    }
  }
  if (st == SF_OK && k < n && !mapping) st = sf_py_raise(I, at, BC_TYPEERR, "not all arguments converted during string formatting");
  if (st == SF_OK && (b.oom || !sf_str_new(b.s ? b.s : "", b.n, out))) st = sf_py_oom(I);
  free(b.s);
  return st;
}

/* A !s, !r or !a conversion of *v, in place. */
static sf_status convert(sf_interp *I, char conv, sf_val *v) {
  sf_val t = {0};
  sf_status st = conv == 'a' ? sf_py_ascii(I, v, &t) : sf_py_str(I, v, conv != 's', &t);
  if (st == SF_OK) sf_val_drop(v), *v = t;
  return st;
}

/* str.format's text fmt[0, n) into b (string_format.h build_string, MarkupIterator): {{ and
 * }} are braces; a field {name[.attr|[key]]...[!conv][:spec]} takes an argument, automatic
 * numbers counted across the whole format, and a spec may hold fields of its own, one level
 * deep ("Max string recursion exceeded" past two). */
static sf_status build_string(sf_interp *I, const sf_args *a, const char *fmt, size_t n, int *auto_idx, int depth, sf_buf *b) {
  if (depth > 2) return sf_py_raise(I, a->call, BC_VALUEERR, "Max string recursion exceeded");
  sf_status st = SF_OK;
  for (size_t i = 0; i < n && st == SF_OK; i++) {
    char c = fmt[i];
    if ((c == '{' || c == '}') && i + 1 < n && fmt[i + 1] == c) {
      sf_buf_put(b, &fmt[i++], 1);
      continue;
    }
    if (c == '}') return sf_py_raise(I, a->call, BC_VALUEERR, "Single '}' encountered in format string");
    if (c != '{') {
      sf_buf_put(b, &c, 1);
      continue;
    }
    /* parse_field: the name ends at ':', '!' or '}' (an index may hold them); after '!' one
     * conversion character, then '}' or ':'; the spec runs to its matching '}' */
    size_t e = i + 1;
    char stop = 0;
    while (e < n) {
      char d = fmt[e++];
      if (d == '{') return sf_py_raise(I, a->call, BC_VALUEERR, "unexpected '{' in field name");
      if (d == '[') {
        while (e < n && fmt[e] != ']') e++;
        continue;
      }
      if (d == '}' || d == ':' || d == '!') {
        stop = d;
        break;
      }
    }
    const char *field = fmt + i + 1;
    size_t name_len = (stop ? e - 1 : e) - (i + 1);
    char conv = 0;
    const char *spec = NULL;
    size_t slen = 0;
    if (stop == '!' || stop == ':') {
      bool closed = false;
      if (stop == '!') {
        if (e >= n) return sf_py_raise(I, a->call, BC_VALUEERR, "end of string while looking for conversion specifier");
        conv = fmt[e++];
        if (e < n) {
          char d = fmt[e++];
          if (d == '}') closed = true;
          else if (d != ':') return sf_py_raise(I, a->call, BC_VALUEERR, "expected ':' after conversion specifier");
        }
      }
      if (!closed) {
        size_t sp = e;
        int count = 1;
        while (e < n && count) {
          char d = fmt[e++];
          count += d == '{' ? 1 : d == '}' ? -1 : 0;
        }
        if (count) return sf_py_raise(I, a->call, BC_VALUEERR, "unmatched '{' in format spec");
        spec = fmt + sp, slen = e - 1 - sp;
      }
    } else if (stop != '}') {
      return sf_py_raise(I, a->call, BC_VALUEERR, i + 1 >= n ? "Single '{' encountered in format string" : "expected '}' before end of string");
    }
    e--; /* the field's closing brace */
    i = e;
    /* the argument: its first part (a number or a name, or the next automatic number), then .attr and [key] */
    size_t first = 0;
    while (first < name_len && field[first] != '.' && field[first] != '[') first++;
    const sf_val *v = NULL;
    if (first == 0) {
      if (*auto_idx < 0) return sf_py_raise(I, a->call, BC_VALUEERR, "cannot switch from manual field specification to automatic field numbering");
      if (*auto_idx >= a->npos) return sf_py_raise(I, a->call, BC_INDEXERR, "Replacement index %d out of range for positional args tuple", *auto_idx);
      v = &a->pos[(*auto_idx)++];
    } else if (strspn(field, "0123456789") >= first) { /* an index as a Py_ssize_t (string_format.h) */
      int64_t x;
      const char *d = field;
      if (!ssize_digits(&d, &x)) return sf_py_raise(I, a->call, BC_VALUEERR, "Too many decimal digits in format string");
      if (*auto_idx > 0) return sf_py_raise(I, a->call, BC_VALUEERR, "cannot switch from automatic field numbering to manual field specification");
      *auto_idx = -1;
      if (x >= a->npos) return sf_py_raise(I, a->call, BC_INDEXERR, "Replacement index %lld out of range for positional args tuple", (long long)x);
      v = &a->pos[x];
    } else {
      for (int k = 0; k < a->nkw && !v; k++)
        if (strlen(a->kwnames[k]) == first && strncmp(a->kwnames[k], field, first) == 0) v = &a->kw[k];
      if (!v) {
        sf_val key = {0};
        st = sf_str_new(field, first, &key) ? sf_py_raise_key(I, a->call, &key) : sf_py_oom(I);
        if (st != SF_ENOMEM) sf_val_drop(&key);
        return st;
      }
    }
    sf_val cur = *v, tmp;
    sf_val_ref(&cur);
    for (size_t r = first; r < name_len && st == SF_OK;) {
      if (field[r] == '.') {
        size_t m = r + 1;
        while (m < name_len && field[m] != '.' && field[m] != '[') m++;
        if (m == r + 1) {
          st = sf_py_raise(I, a->call, BC_VALUEERR, "Empty attribute in format string");
          break;
        }
        char *attr = strndup(field + r + 1, m - r - 1);
        bool found = false;
        if (!attr) st = sf_py_oom(I);
        else if ((st = sf_py_lookup_attr(I, a->call, &cur, attr, &tmp, &found)) == SF_OK && !found) /* getattr's rules */
          st = sf_py_attr_error(I, a->call, &cur, attr);
        else if (st == SF_OK) sf_val_drop(&cur), cur = tmp;
        free(attr);
        r = m;
      } else if (field[r] == '[') {
        size_t m = r + 1;
        while (m < name_len && field[m] != ']') m++;
        if (m >= name_len) {
          st = sf_py_raise(I, a->call, BC_VALUEERR, "Missing ']' in format string");
          break;
        }
        sf_val k = {0};
        size_t kl = m - r - 1;
        if (!kl) {
          st = sf_py_raise(I, a->call, BC_VALUEERR, "Empty attribute in format string");
          break;
        }
        if (strspn(field + r + 1, "0123456789") >= kl) k = sf_int(atoll(field + r + 1));
        else if (!sf_str_new(field + r + 1, kl, &k)) st = sf_py_oom(I);
        if (st == SF_OK && (st = sf_py_getitem(I, a->call, &cur, &k, &tmp)) == SF_OK) sf_val_drop(&cur), cur = tmp;
        sf_val_drop(&k);
        r = m + 1;
      } else {
        st = sf_py_raise(I, a->call, BC_VALUEERR, "Only '.' or '[' may follow ']' in format field specifier");
      }
    }
    if (st == SF_OK && conv && !strchr("sra", conv))
      st = (unsigned char)conv > 32 && (unsigned char)conv < 127 ? sf_py_raise(I, a->call, BC_VALUEERR, "Unknown conversion specifier %c", conv)
                                                                 : sf_py_raise(I, a->call, BC_VALUEERR, "Unknown conversion specifier \\x%x", (unsigned char)conv);
    if (st == SF_OK && conv) st = convert(I, conv, &cur);
    sf_buf sb = {0};
    if (st == SF_OK && spec) st = build_string(I, a, spec, slen, auto_idx, depth + 1, &sb);
    if (st == SF_OK && sb.oom) st = sf_py_oom(I);
    if (st == SF_OK) st = sf_py_format(I, a->call, b, &cur, sb.s ? sb.s : "");
    free(sb.s);
    sf_val_drop(&cur);
  }
  return st;
}

sf_status sf_py_str_format(sf_interp *I, const sf_args *a, const char *fmt, sf_val *out) {
  sf_buf b = {0};
  int auto_idx = 0;
  sf_status st = build_string(I, a, fmt, strlen(fmt), &auto_idx, 1, &b);
  if (st == SF_OK && (b.oom || !sf_str_new(b.s ? b.s : "", b.n, out))) st = sf_py_oom(I);
  free(b.s);
  return st;
}
