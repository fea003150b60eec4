/* lexer.c — tokenizer for seedflow programs; see lexer.h. Follows CPython's tokenizer for
 * the subset seedflow accepts. Columns count characters (UTF-8 aware; a tab advances to the
 * next multiple of 8, plus 1), and every error names the offending character or literal. */
#include "lexer.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- errors and position bookkeeping ---- */

static sf_tok_kind fail(sf_lexer *lx, sf_token *t, int line, int col, sf_status code, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static sf_tok_kind fail(sf_lexer *lx, sf_token *t, int line, int col, sf_status code, const char *fmt, ...) {
  char msg[sizeof lx->error.msg];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  sf_error_at(&lx->error, line, col, code, "%s", msg);
  lx->failed = true;
  t->kind = SF_TK_ERROR;
  t->line = line;
  t->col = col;
  return SF_TK_ERROR;
}

/* Consumes one byte (never the terminating NUL), keeping line and column. */
static void advance(sf_lexer *lx) {
  unsigned char c = (unsigned char)*lx->s;
  if (c == '\n') {
    lx->line++;
    lx->col = 1;
  } else if (c == '\t') {
    lx->col = ((lx->col - 1) / 8 + 1) * 8 + 1;
  } else if ((c & 0xC0) != 0x80) {
    lx->col++;  /* UTF-8 continuation bytes belong to the previous character */
  }
  lx->s++;
}

static void advance_n(sf_lexer *lx, size_t n) {
  while (n-- > 0) advance(lx);
}

/* Length of the line break at s: 1 for "\n", 2 for "\r\n", else 0. */
static size_t newline_len(const char *s) {
  if (s[0] == '\n') return 1;
  if (s[0] == '\r' && s[1] == '\n') return 2;
  return 0;
}

static void begin_token(sf_lexer *lx, sf_token *t, sf_tok_kind kind) {
  t->kind = kind;
  t->line = lx->line;
  t->col = lx->col;
  t->text = lx->s;
  t->len = 0;
}

static sf_tok_kind finish_token(sf_lexer *lx, sf_token *t) {
  t->len = (size_t)(lx->s - t->text);
  return t->kind;
}

static bool is_ident_start(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool is_ident_char(int c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }
static bool is_digit(int c) { return c >= '0' && c <= '9'; }

/* ---- invalid characters ---- */

/* Decodes one UTF-8 character at s into cp; returns its length, 0 when malformed. */
static int utf8_decode(const unsigned char *s, unsigned *cp) {
  int n = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
  if (n == 0 || s[0] >= 0xF5) return 0;
  unsigned v = s[0] & (0x7F >> n);
  for (int k = 1; k < n; k++) {
    if ((s[k] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (s[k] & 0x3F);
  }
  static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
  if (v < min[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return n;
}

static sf_tok_kind invalid_character(sf_lexer *lx, sf_token *t) {
  const unsigned char *s = (const unsigned char *)lx->s;
  unsigned cp;
  int n;
  if (s[0] > 0x20 && s[0] < 0x7F)
    return fail(lx, t, lx->line, lx->col, SF_ESYNTAX, "invalid character '%c'", s[0]);
  if (s[0] < 0x80)
    return fail(lx, t, lx->line, lx->col, SF_ESYNTAX, "invalid non-printable character U+%04X", s[0]);
  if ((n = utf8_decode(s, &cp)) > 0)
    return fail(lx, t, lx->line, lx->col, SF_ESYNTAX, "invalid character '%.*s' (U+%04X)", n, (const char *)s, cp);
  return fail(lx, t, lx->line, lx->col, SF_ESYNTAX, "invalid utf-8 byte 0x%02x", s[0]);
}

/* ---- whitespace, comments, indentation ---- */

static void skip_comment(sf_lexer *lx) {
  while (*lx->s && !newline_len(lx->s)) advance(lx);
}

/* Skips blanks, comments, backslash continuations and (inside brackets) line breaks.
 * Returns false with t set to an error token when a continuation is malformed. */
static bool skip_blank(sf_lexer *lx, sf_token *t) {
  for (;;) {
    char c = *lx->s;
    if (c == ' ' || c == '\t' || c == '\f') {
      advance(lx);
    } else if (c == '#') {
      skip_comment(lx);
    } else if (newline_len(lx->s) && lx->depth > 0) {
      advance_n(lx, newline_len(lx->s));
    } else if (c == '\\') {
      size_t n = newline_len(lx->s + 1);
      if (n) {
        advance_n(lx, 1 + n);
      } else if (lx->s[1] == '\0') {
        fail(lx, t, lx->line, lx->col, SF_ESYNTAX, "unexpected end of file after line continuation character");
        return false;
      } else {
        fail(lx, t, lx->line, lx->col, SF_ESYNTAX, "unexpected character after line continuation character");
        return false;
      }
    } else {
      return true;
    }
  }
}

/* Width of the indentation at the start of a line, consuming it (tabs to multiples of 8,
 * a form feed resets the count as in CPython). */
static int measure_indent(sf_lexer *lx) {
  int width = 0;
  for (;;) {
    char c = *lx->s;
    if (c == ' ') width++;
    else if (c == '\t') width = (width / 8 + 1) * 8;
    else if (c == '\f') width = 0;
    else return width;
    advance(lx);
  }
}

/* At the start of a logical line: skips blank and comment-only lines, then compares the
 * indentation with the stack. Returns true when it produced a token (INDENT, DEDENT or
 * an error) in t. */
static bool indentation(sf_lexer *lx, sf_token *t) {
  int width;
  for (;;) {
    width = measure_indent(lx);
    if (*lx->s == '#') skip_comment(lx);
    size_t n = newline_len(lx->s);
    if (!n) break;
    advance_n(lx, n);
  }
  if (*lx->s == '\0') return false;  /* dedents at the end are emitted by end_of_input */
  lx->at_line_start = false;
  int top = lx->indents[lx->nindent];
  if (width > top) {
    if (lx->nindent == SF_LEX_MAX_INDENT) {
      fail(lx, t, lx->line, lx->col, SF_ESYNTAX, "too many levels of indentation");
      return true;
    }
    lx->indents[++lx->nindent] = width;
    begin_token(lx, t, SF_TK_INDENT);
    return true;
  }
  if (width == top) return false;
  int pops = 0;
  while (lx->nindent > 0 && lx->indents[lx->nindent] > width) {
    lx->nindent--;
    pops++;
  }
  if (lx->indents[lx->nindent] != width) {
    fail(lx, t, lx->line, lx->col, SF_ESYNTAX, "unindent does not match any outer indentation level");
    return true;
  }
  lx->pending_dedents = pops - 1;
  begin_token(lx, t, SF_TK_DEDENT);
  return true;
}

static sf_tok_kind end_of_input(sf_lexer *lx, sf_token *t) {
  if (lx->depth > 0) {
    int d = lx->depth - 1;
    return fail(lx, t, lx->open_line[d], lx->open_col[d], SF_ESYNTAX, "'%c' was never closed", lx->open[d]);
  }
  if (lx->line_has_tokens) {
    lx->line_has_tokens = false;
    lx->at_line_start = true;
    begin_token(lx, t, SF_TK_NEWLINE);
    return t->kind;
  }
  begin_token(lx, t, SF_TK_EOF);
  if (lx->nindent > 0) {
    lx->nindent--;
    t->kind = SF_TK_DEDENT;
  }
  return t->kind;
}

/* ---- numbers ---- */

static int digit_value(int c, int radix) {
  int v = is_digit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : 99;
  return v < radix ? v : -1;
}

/* Consumes digits of radix with single underscores between them. */
static void skip_digits(sf_lexer *lx, int radix) {
  for (;;) {
    while (digit_value((unsigned char)*lx->s, radix) >= 0) advance(lx);
    if (*lx->s == '_' && digit_value((unsigned char)lx->s[1], radix) >= 0) {
      advance(lx);
      continue;
    }
    return;
  }
}

/* Value of the digits in [b, e) (underscores skipped); false on int64 overflow. */
static bool digits_value(const char *b, const char *e, int radix, int64_t *out) {
  int64_t v = 0;
  for (; b < e; b++) {
    if (*b == '_') continue;
    int d = digit_value((unsigned char)*b, radix);
    if (v > (INT64_MAX - d) / radix) return false;
    v = v * radix + d;
  }
  *out = v;
  return true;
}

static sf_tok_kind radix_int(sf_lexer *lx, sf_token *t) {
  char p = lx->s[1];
  int radix = (p == 'x' || p == 'X') ? 16 : (p == 'o' || p == 'O') ? 8 : 2;
  const char *what = radix == 16 ? "hexadecimal" : radix == 8 ? "octal" : "binary";
  advance_n(lx, 2);
  if (*lx->s == '_') advance(lx);
  const char *b = lx->s;
  skip_digits(lx, radix);
  if (lx->s == b || is_ident_char((unsigned char)*lx->s) || (unsigned char)*lx->s >= 0x80)
    return fail(lx, t, t->line, t->col, SF_ESYNTAX, "invalid %s literal", what);
  if (!digits_value(b, lx->s, radix, &t->i))
    return fail(lx, t, t->line, t->col, SF_ESYNTAX, "integer literal too large");
  t->kind = SF_TK_INT;
  return finish_token(lx, t);
}

/* strtod on [b, e) without underscores, with '.' replaced by the locale's decimal point. */
static bool parse_double(const char *b, const char *e, double *out) {
  const char *dp = localeconv()->decimal_point;
  size_t dplen = dp && *dp ? strlen(dp) : 1;
  char small[64];
  size_t need = (size_t)(e - b) + dplen + 1;
  char *buf = need <= sizeof small ? small : malloc(need);
  if (!buf) return false;
  size_t n = 0;
  for (; b < e; b++) {
    if (*b == '_') continue;
    if (*b == '.' && dp && *dp) {
      memcpy(buf + n, dp, dplen);
      n += dplen;
    } else {
      buf[n++] = *b;
    }
  }
  buf[n] = '\0';
  *out = strtod(buf, NULL);
  if (buf != small) free(buf);
  return true;
}

static bool has_nonzero_digit(const char *b, const char *e) {
  for (; b < e; b++)
    if (*b >= '1' && *b <= '9') return true;
  return false;
}

static sf_tok_kind number(sf_lexer *lx, sf_token *t) {
  char p = lx->s[1];
  if (lx->s[0] == '0' && p && strchr("xXoObB", p)) return radix_int(lx, t);
  bool is_float = false;
  skip_digits(lx, 10);
  if (*lx->s == '.') {
    is_float = true;
    advance(lx);
    if (is_digit((unsigned char)*lx->s)) skip_digits(lx, 10);
  }
  if (*lx->s == 'e' || *lx->s == 'E') {
    const char *x = lx->s + 1;
    if (*x == '+' || *x == '-') x++;
    if (!is_digit((unsigned char)*x)) return fail(lx, t, t->line, t->col, SF_ESYNTAX, "invalid decimal literal");
    is_float = true;
    advance_n(lx, (size_t)(x - lx->s));
    skip_digits(lx, 10);
  }
  unsigned char c = (unsigned char)*lx->s;
  if (c == 'j' || c == 'J') return fail(lx, t, t->line, t->col, SF_ESYNTAX, "unsupported imaginary literal");
  if (is_ident_char(c) || c >= 0x80) return fail(lx, t, t->line, t->col, SF_ESYNTAX, "invalid decimal literal");
  if (is_float) {
    if (!parse_double(t->text, lx->s, &t->f)) return fail(lx, t, t->line, t->col, SF_ENOMEM, "out of memory");
    t->kind = SF_TK_FLOAT;
    return finish_token(lx, t);
  }
  if (t->text[0] == '0' && has_nonzero_digit(t->text, lx->s))
    return fail(lx, t, t->line, t->col, SF_ESYNTAX, "leading zeros in decimal integer literals are not permitted");
  if (!digits_value(t->text, lx->s, 10, &t->i))
    return fail(lx, t, t->line, t->col, SF_ESYNTAX, "integer literal too large");
  t->kind = SF_TK_INT;
  return finish_token(lx, t);
}

/* ---- strings ---- */

static size_t utf8_encode(unsigned cp, char *out) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Reads up to max digits of radix at s (exactly max unless exact is false); -1 if too few. */
static long read_code(const char *s, int radix, int max, bool exact, int *used) {
  long v = 0;
  int n = 0;
  while (n < max && digit_value((unsigned char)s[n], radix) >= 0) v = v * radix + digit_value((unsigned char)s[n++], radix);
  *used = n;
  return (n == 0 || (exact && n < max)) ? -1 : v;
}

static char simple_escape(char e) {
  switch (e) {
    case '\\': return '\\';
    case '\'': return '\'';
    case '"': return '"';
    case 'a': return '\a';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'v': return '\v';
    default: return 0;
  }
}

/* Decodes the escape after a backslash at body[*i] into out; returns bytes written or -1
 * with *why set. */
static int decode_escape(const char *body, size_t *i, char *out, const char **why) {
  char e = body[*i];
  char c = simple_escape(e);
  int used = 0;
  long cp;
  if (c) {
    out[0] = c;
    return 1;
  }
  if (e == '\n') return 0;
  if (e == '\r' && body[*i + 1] == '\n') {
    (*i)++;
    return 0;
  }
  switch (e) {
    case 'x': cp = read_code(body + *i + 1, 16, 2, true, &used); *why = "invalid \\x escape in string"; break;
    case 'u': cp = read_code(body + *i + 1, 16, 4, true, &used); *why = "invalid \\u escape in string"; break;
    case 'U': cp = read_code(body + *i + 1, 16, 8, true, &used); *why = "invalid \\U escape in string"; break;
    case 'N': *why = "unsupported \\N{...} escape in string"; return -1;
    default:
      if (e >= '0' && e <= '7') {
        cp = read_code(body + *i, 8, 3, false, &used);
        used--;  /* the first digit is e itself */
        *why = "invalid octal escape in string";
        break;
      }
      out[0] = '\\';  /* unknown escapes keep their backslash, as in Python */
      out[1] = e;
      return 2;
  }
  if (cp < 0) return -1;
  if (cp == 0) {
    *why = "null character in string is not supported";
    return -1;
  }
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    *why = "invalid unicode escape in string";
    return -1;
  }
  *i += (size_t)used;
  return (int)utf8_encode((unsigned)cp, out);
}

/* Decodes the string body [body, body+len) into the arena; sets t->str. */
static sf_tok_kind decode_string(sf_lexer *lx, sf_token *t, const char *body, size_t len, bool raw) {
  char *out = sf_arena_alloc(&lx->p->arena, len + 1);
  if (!out) return fail(lx, t, t->line, t->col, SF_ENOMEM, "out of memory");
  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    if (body[i] != '\\' || raw) {
      out[n++] = body[i];
      continue;
    }
    i++;
    const char *why = NULL;
    int w = decode_escape(body, &i, out + n, &why);
    if (w < 0) return fail(lx, t, t->line, t->col, SF_ESYNTAX, "%s", why);
    n += (size_t)w;
  }
  out[n] = '\0';
  t->str = out;
  t->kind = SF_TK_STR;
  return finish_token(lx, t);
}

/* A string literal; lx->s is at the opening quote, t already starts at the prefix. */
static sf_tok_kind string(sf_lexer *lx, sf_token *t, bool raw, bool fstr) {
  char q = *lx->s;
  bool triple = lx->s[1] == q && lx->s[2] == q;
  size_t nq = triple ? 3 : 1;
  advance_n(lx, nq);
  const char *body = lx->s;
  for (;;) {
    char c = *lx->s;
    if (c == '\0' || (!triple && newline_len(lx->s)))
      return fail(lx, t, t->line, t->col, SF_ESYNTAX, triple ? "unterminated triple-quoted string" : "unterminated string");
    if (c == '\\' && lx->s[1] != '\0') {
      advance_n(lx, 1 + (newline_len(lx->s + 1) == 2 ? 2 : 1));
      continue;
    }
    if (c == q && (!triple || (lx->s[1] == q && lx->s[2] == q))) break;
    advance(lx);
  }
  size_t len = (size_t)(lx->s - body);
  advance_n(lx, nq);
  sf_tok_kind k = decode_string(lx, t, body, len, raw);
  if (k == SF_TK_STR && fstr) t->kind = k = SF_TK_FSTR;  /* the parser splits out the {fields} */
  return k;
}

/* Is [b, b+len) a string prefix Python knows (r, u, f, b and the two-letter mixes)? */
static bool is_string_prefix(const char *b, size_t len) {
  char x = (char)(b[0] | 0x20), y = len == 2 ? (char)(b[1] | 0x20) : 0;
  if (len == 1) return strchr("rufb", x) != NULL;
  if (len == 2) return (x == 'r' && (y == 'b' || y == 'f')) || ((x == 'b' || x == 'f') && y == 'r');
  return false;
}

static sf_tok_kind name_or_string(sf_lexer *lx, sf_token *t) {
  while (is_ident_char((unsigned char)*lx->s)) advance(lx);
  size_t len = (size_t)(lx->s - t->text);
  if ((*lx->s == '\'' || *lx->s == '"') && is_string_prefix(t->text, len)) {
    bool raw = false, fstr = false;
    for (size_t k = 0; k < len; k++) {
      char c = (char)(t->text[k] | 0x20);
      if (c == 'b') return fail(lx, t, t->line, t->col, SF_ESYNTAX, "unsupported bytes literal");
      raw |= c == 'r';
      fstr |= c == 'f';
    }
    return string(lx, t, raw, fstr);
  }
  if ((unsigned char)*lx->s >= 0x80) return invalid_character(lx, t);
  t->kind = SF_TK_NAME;
  return finish_token(lx, t);
}

/* ---- operators and brackets ---- */

static const char *const operators[] = {
    "**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "<<", ">>", "<=", ">=", "==", "!=",
    "+=",  "-=",  "*=",  "/=",  "%=",  "@=", "&=", "|=", "^=", "(",  ")",  "[",  "]",  "{",  "}",
    ",",   ":",   ".",   ";",   "@",   "=",  "+",  "-",  "*",  "/",  "%",  "<",  ">",  "&",  "|",
    "^",   "~",
};

static sf_tok_kind bracket(sf_lexer *lx, sf_token *t, char c) {
  if (c == '(' || c == '[' || c == '{') {
    if (lx->depth == SF_LEX_MAX_NEST) return fail(lx, t, t->line, t->col, SF_ESYNTAX, "expression nested too deeply");
    lx->open[lx->depth] = c;
    lx->open_line[lx->depth] = t->line;
    lx->open_col[lx->depth] = t->col;
    lx->depth++;
    return t->kind;
  }
  if (lx->depth == 0) return fail(lx, t, t->line, t->col, SF_ESYNTAX, "unmatched '%c'", c);
  char o = lx->open[lx->depth - 1];
  if ((o == '(' && c != ')') || (o == '[' && c != ']') || (o == '{' && c != '}'))
    return fail(lx, t, t->line, t->col, SF_ESYNTAX, "closing parenthesis '%c' does not match opening parenthesis '%c'", c, o);
  lx->depth--;
  return t->kind;
}

static sf_tok_kind operator(sf_lexer *lx, sf_token *t) {
  for (size_t k = 0; k < sizeof operators / sizeof operators[0]; k++) {
    size_t n = strlen(operators[k]);
    if (strncmp(lx->s, operators[k], n) != 0) continue;
    t->kind = SF_TK_OP;
    advance_n(lx, n);
    finish_token(lx, t);
    return n == 1 && strchr("()[]{}", t->text[0]) ? bracket(lx, t, t->text[0]) : t->kind;
  }
  return invalid_character(lx, t);
}

/* ---- the token stream ---- */

/* Python decodes the whole file before tokenizing: a malformed UTF-8 sequence anywhere
 * (a comment, a string literal) rejects the file. The error is located at the first bad
 * byte, columns counted as advance() counts them. Leaves lx positioned at the start. */
static void check_utf8(sf_lexer *lx) {
  const char *start = lx->s;
  while (*lx->s) {
    unsigned cp;
    const unsigned char *u = (const unsigned char *)lx->s;
    int n = u[0] < 0x80 ? 1 : utf8_decode(u, &cp);
    if (n == 0) {
      sf_token t;
      fail(lx, &t, lx->line, lx->col, SF_ESYNTAX, "invalid utf-8 byte 0x%02x", u[0]);
      break;
    }
    advance_n(lx, (size_t)n);
  }
  lx->s = start;
  lx->line = 1;
  lx->col = 1;
}

void sf_lexer_init(sf_lexer *lx, sf_program *p, const char *text) {
  memset(lx, 0, sizeof *lx);
  lx->p = p;
  lx->s = text;
  if (strncmp(text, "\xEF\xBB\xBF", 3) == 0) lx->s += 3;  /* UTF-8 byte order mark */
  lx->line = 1;
  lx->col = 1;
  lx->at_line_start = true;
  check_utf8(lx);
}

sf_tok_kind sf_lexer_next(sf_lexer *lx, sf_token *t) {
  memset(t, 0, sizeof *t);
  if (lx->failed) {
    t->kind = SF_TK_ERROR;
    t->line = lx->error.line;
    t->col = lx->error.col;
    return t->kind;
  }
  if (lx->pending_dedents > 0) {
    lx->pending_dedents--;
    begin_token(lx, t, SF_TK_DEDENT);
    return t->kind;
  }
  if (lx->at_line_start && lx->depth == 0 && indentation(lx, t)) return t->kind;
  if (!skip_blank(lx, t)) return t->kind;
  if (*lx->s == '\0') return end_of_input(lx, t);
  size_t nl = newline_len(lx->s);
  if (nl) {
    begin_token(lx, t, SF_TK_NEWLINE);
    advance_n(lx, nl);
    lx->at_line_start = true;
    lx->line_has_tokens = false;
    return finish_token(lx, t);
  }
  lx->line_has_tokens = true;
  begin_token(lx, t, SF_TK_ERROR);
  unsigned char c = (unsigned char)*lx->s;
  if (is_ident_start(c)) return name_or_string(lx, t);
  if (is_digit(c) || (c == '.' && is_digit((unsigned char)lx->s[1]))) return number(lx, t);
  if (c == '\'' || c == '"') return string(lx, t, false, false);
  return operator(lx, t);
}

bool sf_tok_is_op(const sf_token *t, const char *op) {
  return t->kind == SF_TK_OP && t->len == strlen(op) && memcmp(t->text, op, t->len) == 0;
}

bool sf_tok_is_name(const sf_token *t, const char *name) {
  return t->kind == SF_TK_NAME && t->len == strlen(name) && memcmp(t->text, name, t->len) == 0;
}
