/* parser.c — recursive-descent parser from program text to the AST of program.h: the
 * Python seedflow runs: simple and compound statements, classes, comprehensions, f-strings.
 * Anything outside it is a syntax error that names the unsupported construct. */
#include "lexer.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  MAX_DEPTH = 200,   /* parser recursion: nested brackets, unary operators, calls */
  MAX_HEIGHT = 1000, /* AST height, so that code walking the tree recursively is safe */
};

typedef struct parser {
  sf_program *p;
  sf_lexer lx;
  sf_token cur, next;
  bool has_next;
  int depth;       /* expression nesting */
  int height;      /* height of the expression parsed last */
  int fn_depth;    /* enclosing defs */
  int loop_depth;  /* enclosing loops in the current function */
  sf_error err;
} parser;

static const char *const keywords[] = {
    "False",  "None",   "True",    "and",      "as",     "assert", "async", "await",
    "break",  "class",  "continue", "def",     "del",    "elif",   "else",  "except",
    "finally", "for",   "from",    "global",   "if",     "import", "in",    "is",
    "lambda", "nonlocal", "not",   "or",       "pass",   "raise",  "return", "try",
    "while",  "with",   "yield",
};

/* Keywords that start a compound statement (which must start a line). */
static const char *const compound_keywords[] = {"def", "class", "if", "while", "for", "try", "with"};

static const char *const augmented_assignments[] = {
    "+=", "-=", "*=", "/=", "//=", "%=", "@=", "&=", "|=", "^=", ">>=", "<<=", "**=",
};

/* ---- token handling and errors ---- */

static bool in_list(const sf_token *t, const char *const *list, size_t n) {
  for (size_t k = 0; k < n; k++)
    if ((t->kind == SF_TK_NAME ? sf_tok_is_name(t, list[k]) : sf_tok_is_op(t, list[k]))) return true;
  return false;
}
#define IN_LIST(t, list) in_list((t), (list), sizeof(list) / sizeof(list)[0])

static bool is_keyword(const sf_token *t) { return t->kind == SF_TK_NAME && IN_LIST(t, keywords); }

/* Records an error at (line, col) unless the current token is a lexer error, which is
 * then reported instead (it is where parsing really stopped). Always returns false. */
static bool fail_at(parser *ps, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static bool fail_at(parser *ps, int line, int col, const char *fmt, ...) {
  if (ps->cur.kind == SF_TK_ERROR) {
    ps->err = ps->lx.error;
    return false;
  }
  char msg[sizeof ps->err.msg];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  sf_error_at(&ps->err, line, col, SF_ESYNTAX, "%s", msg);
  return false;
}
#define FAIL(ps, ...) fail_at((ps), (ps)->cur.line, (ps)->cur.col, __VA_ARGS__)

static bool out_of_memory(parser *ps) {
  sf_error_at(&ps->err, ps->cur.line, ps->cur.col, SF_ENOMEM, "out of memory");
  return false;
}

static void advance(parser *ps) {
  if (ps->has_next) {
    ps->cur = ps->next;
    ps->has_next = false;
  } else {
    sf_lexer_next(&ps->lx, &ps->cur);
  }
}

static const sf_token *peek(parser *ps) {
  if (!ps->has_next) {
    sf_lexer_next(&ps->lx, &ps->next);
    ps->has_next = true;
  }
  return &ps->next;
}

static bool at_op(parser *ps, const char *op) { return sf_tok_is_op(&ps->cur, op); }
static bool at_name(parser *ps, const char *name) { return sf_tok_is_name(&ps->cur, name); }

/* Consumes the operator op or fails with msg. */
static bool expect_op(parser *ps, const char *op, const char *msg) {
  if (!at_op(ps, op)) return FAIL(ps, "%s", msg);
  advance(ps);
  return true;
}

/* Copies the current token's text into the arena. */
static const char *token_text(parser *ps) { return sf_arena_strndup(&ps->p->arena, ps->cur.text, ps->cur.len); }

/* Consumes a plain (non-keyword) name and returns its arena copy, or fails with msg. */
static const char *expect_name(parser *ps, const char *msg) {
  if (ps->cur.kind != SF_TK_NAME || is_keyword(&ps->cur)) {
    FAIL(ps, "%s", msg);
    return NULL;
  }
  const char *s = token_text(ps);
  if (!s) {
    out_of_memory(ps);
    return NULL;
  }
  advance(ps);
  return s;
}

/* ---- arena arrays (capacity is implied: it doubles whenever n is a power of two) ---- */

static bool push_name(parser *ps, const char ***arr, int *n, const char *s) {
  if ((*n & (*n - 1)) == 0) {
    const char **na = sf_arena_grow(&ps->p->arena, *arr, (size_t)*n, *n ? 2 * (size_t)*n : 1, sizeof *na);
    if (!na) return out_of_memory(ps);
    *arr = na;
  }
  (*arr)[(*n)++] = s;
  return true;
}

static bool push_expr(parser *ps, sf_expr ***arr, int *n, sf_expr *e) {
  if ((*n & (*n - 1)) == 0) {
    sf_expr **na = sf_arena_grow(&ps->p->arena, *arr, (size_t)*n, *n ? 2 * (size_t)*n : 1, sizeof *na);
    if (!na) return out_of_memory(ps);
    *arr = na;
  }
  (*arr)[(*n)++] = e;
  return true;
}

/* A set of names (open addressing, table in the arena) for duplicate checks in linear time. */
typedef struct name_set {
  const char **slots;
  size_t cap, n;
} name_set;

static size_t name_hash(const char *s) {
  size_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

/* Inserts name; 1 when added, 0 when already present, -1 when out of memory. */
static int name_set_add(parser *ps, name_set *set, const char *name) {
  if (2 * (set->n + 1) > set->cap) {
    name_set bigger = {sf_arena_alloc(&ps->p->arena, (set->cap ? 2 * set->cap : 16) * sizeof(char *)),
                       set->cap ? 2 * set->cap : 16, 0};
    if (!bigger.slots) return -1;
    for (size_t k = 0; k < set->cap; k++)
      if (set->slots[k]) name_set_add(ps, &bigger, set->slots[k]);
    *set = bigger;
  }
  size_t h = name_hash(name) & (set->cap - 1);
  for (; set->slots[h]; h = (h + 1) & (set->cap - 1))
    if (strcmp(set->slots[h], name) == 0) return 0;
  set->slots[h] = name;
  set->n++;
  return 1;
}

/* Adds a name that must be new: fails with "<what> '<name>'" at (line, col) otherwise. */
static bool add_unique(parser *ps, name_set *set, const char *name, int line, int col, const char *what) {
  int r = name_set_add(ps, set, name);
  if (r < 0) return out_of_memory(ps);
  if (r == 0) return fail_at(ps, line, col, "%s '%s'", what, name);
  return true;
}

/* Records the height of the expression just parsed; fails when the tree is too tall. */
static bool set_height(parser *ps, int height, int line, int col) {
  ps->height = height;
  if (height > MAX_HEIGHT) return fail_at(ps, line, col, "expression nested too deeply");
  return true;
}

static int max_int(int a, int b) { return a > b ? a : b; }

static sf_expr *new_expr(parser *ps, sf_expr_kind kind, int line, int col) {
  sf_expr *e = sf_ast_new(ps->p, kind, line, col);
  if (!e) out_of_memory(ps);
  return e;
}

static sf_stmt *new_stmt(parser *ps, sf_stmt_kind kind, int line, int col) {
  sf_stmt *s = sf_arena_alloc(&ps->p->arena, sizeof *s);
  if (!s) {
    out_of_memory(ps);
    return NULL;
  }
  s->kind = kind;
  s->line = line;
  s->col = col;
  return s;
}

/* ---- expressions ---- */

static sf_expr *parse_expr(parser *ps);
static sf_expr *parse_unary(parser *ps);
static sf_expr *parse_or(parser *ps);
static sf_expr *parse_bitor(parser *ps);
static sf_expr *parse_fstring_text(parser *ps, const char *s, int line, int col);
static bool parse_comp_clauses(parser *ps, sf_expr *comp);
static bool parse_lambda_def(parser *ps, sf_stmt *def);
static sf_stmt *new_stmt(parser *ps, sf_stmt_kind kind, int line, int col);
static bool check_target(parser *ps, const sf_expr *e, bool starred_ok);
static sf_expr *parse_star_or_expr_no_in(parser *ps);

/* A string literal part that the evaluator concatenates. */
static sf_expr *str_part(parser *ps, const char *s, size_t n, int line, int col) {
  sf_expr *e = new_expr(ps, SF_EX_STR, line, col);
  if (e && !(e->name = sf_arena_strndup(&ps->p->arena, s, n))) return out_of_memory(ps), NULL;
  return e;
}

/* Adjacent string literals concatenate, as in Python; with an f-string among them the
 * result is an SF_EX_FSTRING of parts. */
static sf_expr *parse_strings(parser *ps) {
  int line = ps->cur.line, col = ps->cur.col;
  sf_expr *f = NULL;
  sf_expr *e = new_expr(ps, SF_EX_STR, line, col);
  if (!e) return NULL;
  size_t n = 0, cap = 64;
  char *buf = malloc(cap);
  if (!buf) return out_of_memory(ps), NULL;
  while (ps->cur.kind == SF_TK_STR || ps->cur.kind == SF_TK_FSTR) {
    if (ps->cur.kind == SF_TK_FSTR) {
      if (!f && !(f = new_expr(ps, SF_EX_FSTRING, line, col))) break;
      if (n) {
        sf_expr *part = str_part(ps, buf, n, line, col);
        if (!part || sf_ast_push_item(ps->p, f, part) != SF_OK) break;
        n = 0;
      }
      sf_expr *sub = parse_fstring_text(ps, ps->cur.str, ps->cur.line, ps->cur.col);
      if (!sub) break;
      for (int k = 0; k < sub->nitems; k++)
        if (sf_ast_push_item(ps->p, f, sub->items[k]) != SF_OK) break;
      advance(ps);
      continue;
    }
    size_t len = strlen(ps->cur.str);
    if (n + len + 1 > cap) {
      cap = 2 * (n + len + 1);
      char *nb = realloc(buf, cap);
      if (!nb) break;
      buf = nb;
    }
    memcpy(buf + n, ps->cur.str, len);
    n += len;
    advance(ps);
  }
  bool ok = ps->cur.kind != SF_TK_STR && ps->cur.kind != SF_TK_FSTR && ps->err.code == SF_OK;
  if (ok && f && n) {
    sf_expr *part = str_part(ps, buf, n, line, col);
    ok = part && sf_ast_push_item(ps->p, f, part) == SF_OK;
  } else if (ok && !f) {
    ok = (e->name = sf_arena_strndup(&ps->p->arena, buf, n)) != NULL;
  }
  free(buf);
  if (!ok) {
    if (ps->err.code == SF_OK) out_of_memory(ps);
    return NULL;
  }
  ps->height = 2;
  return f ? f : e;
}

/* Parses src (one expression) with a nested parser; positions are reported at (line, col). */
static sf_expr *parse_sub_expression(parser *ps, const char *src, size_t len, int line, int col) {
  char *text = sf_arena_alloc(&ps->p->arena, len + 3);
  if (!text) return out_of_memory(ps), NULL;
  text[0] = '(';
  memcpy(text + 1, src, len);
  text[len + 1] = ')';
  parser *sub = calloc(1, sizeof *sub);
  if (!sub) return out_of_memory(ps), NULL;
  sub->p = ps->p;
  sub->depth = ps->depth;
  sf_lexer_init(&sub->lx, ps->p, text);
  sub->lx.line = line;
  sub->lx.col = col;
  advance(sub);
  sf_expr *e = parse_expr(sub);
  if (e && sub->cur.kind != SF_TK_NEWLINE && sub->cur.kind != SF_TK_EOF) e = NULL, FAIL(sub, "f-string: expecting '}'");
  if (!e) ps->err = sub->err;
  free(sub);
  return e;
}

/* Splits an f-string body into literal parts and {expr!conv:spec} fields. */
static sf_expr *parse_fstring_text(parser *ps, const char *s, int line, int col) {
  sf_expr *f = new_expr(ps, SF_EX_FSTRING, line, col);
  if (!f) return NULL;
  size_t lit = 0;
  char *buf = sf_arena_alloc(&ps->p->arena, strlen(s) + 1);
  if (!buf) return out_of_memory(ps), NULL;
  for (size_t i = 0; s[i];) {
    if ((s[i] == '{' && s[i + 1] == '{') || (s[i] == '}' && s[i + 1] == '}')) {
      buf[lit++] = s[i];
      i += 2;
      continue;
    }
    if (s[i] == '}') return fail_at(ps, line, col, "f-string: single '}' is not allowed"), NULL;
    if (s[i] != '{') {
      buf[lit++] = s[i++];
      continue;
    }
    if (lit) {
      sf_expr *part = str_part(ps, buf, lit, line, col);
      if (!part || sf_ast_push_item(ps->p, f, part) != SF_OK) return out_of_memory(ps), NULL;
      lit = 0;
    }
    size_t b = ++i, conv_at = 0, spec_at = 0;
    int depth = 0;
    char q = 0;
    for (; s[i]; i++) {
      char c = s[i];
      if (q) { if (c == q) q = 0; continue; }
      if (c == '\'' || c == '"') q = c;
      else if (c == '(' || c == '[' || c == '{') depth++;
      else if ((c == ')' || c == ']' || c == '}') && depth > 0) depth--;
      else if (c == '}' && depth == 0) break;
      else if (depth == 0 && c == '!' && s[i + 1] != '=' && !conv_at && !spec_at) conv_at = i;
      else if (depth == 0 && c == ':' && !spec_at) { spec_at = i; break; }
    }
    if (spec_at) { /* the spec runs to the matching '}' and may hold {fields} */
      depth = 0;
      for (i = spec_at + 1; s[i] && !(s[i] == '}' && depth == 0); i++) depth += s[i] == '{' ? 1 : s[i] == '}' ? -1 : 0;
    }
    if (!s[i]) return fail_at(ps, line, col, "f-string: expecting '}'"), NULL;
    size_t end = conv_at ? conv_at : spec_at ? spec_at : i;
    size_t eq = end;  /* `{x = }`: the text up to '=' is printed before the value */
    while (eq > b && s[eq - 1] == ' ') eq--;
    bool debug = eq > b && s[eq - 1] == '=' && !(eq > b + 1 && strchr("=!<>", s[eq - 2]));
    sf_expr *fe = new_expr(ps, SF_EX_FORMAT, line, col);
    if (!fe) return NULL;
    if (!(fe->base = parse_sub_expression(ps, s + b, debug ? eq - 1 - b : end - b, line, col))) return NULL;
    if (conv_at) {
      fe->op = s[conv_at + 1];
      if (!strchr("rsa", fe->op) || (s[conv_at + 2] != ':' && s[conv_at + 2] != '}'))
        return fail_at(ps, line, col, "f-string: invalid conversion character"), NULL;
    }
    if (spec_at) {
      char *spec = sf_arena_strndup(&ps->p->arena, s + spec_at + 1, i - spec_at - 1);
      if (!spec || !(fe->rhs = parse_fstring_text(ps, spec, line, col))) return NULL;
    }
    if (debug) {
      sf_expr *part = str_part(ps, s + b, end - b, line, col);
      if (!part || sf_ast_push_item(ps->p, f, part) != SF_OK) return out_of_memory(ps), NULL;
      if (!fe->op && !fe->rhs) fe->op = 'r';
    }
    if (sf_ast_push_item(ps->p, f, fe) != SF_OK) return out_of_memory(ps), NULL;
    i++;
  }
  if (lit) {
    sf_expr *part = str_part(ps, buf, lit, line, col);
    if (!part || sf_ast_push_item(ps->p, f, part) != SF_OK) return out_of_memory(ps), NULL;
  }
  return f;
}

/* An item of a display or call: an expression or *expression. */
static sf_expr *parse_star_or_expr(parser *ps) {
  if (!at_op(ps, "*")) return parse_expr(ps);
  sf_expr *e = new_expr(ps, SF_EX_STARRED, ps->cur.line, ps->cur.col);
  advance(ps);
  if (!e || !(e->base = parse_bitor(ps))) return NULL;
  return set_height(ps, ps->height + 1, e->line, e->col) ? e : NULL;
}

/* Items of a list or parenthesized tuple up to the closing bracket (not consumed).
 * *trailing tells whether the last item was followed by a comma. */
static bool parse_items(parser *ps, sf_expr *seq, const char *close, const char *msg, bool *trailing) {
  int height = 0;
  *trailing = false;
  while (!at_op(ps, close)) {
    sf_expr *item = parse_star_or_expr(ps);
    if (!item) return false;
    height = max_int(height, ps->height);
    if (sf_ast_push_item(ps->p, seq, item) != SF_OK) return out_of_memory(ps);
    *trailing = at_op(ps, ",");
    if (!*trailing) break;
    advance(ps);
  }
  if (!at_op(ps, close)) return FAIL(ps, "%s", msg);
  ps->height = height;  /* of the tallest item */
  return true;
}

/* `elem for ...` after the first element of a display: a comprehension of the given kind. */
static sf_expr *parse_comprehension(parser *ps, char kind, sf_expr *elem, sf_expr *value, int line, int col) {
  sf_expr *c = new_expr(ps, SF_EX_COMP, line, col);
  if (!c) return NULL;
  c->op = kind;
  c->base = elem;
  c->rhs = value;
  int height = ps->height;
  if (!parse_comp_clauses(ps, c)) return NULL;
  return set_height(ps, max_int(height, ps->height) + 2, line, col) ? c : NULL;
}

static sf_expr *parse_list(parser *ps) {
  int line = ps->cur.line, col = ps->cur.col;
  sf_expr *e = new_expr(ps, SF_EX_LIST, line, col);
  bool trailing;
  advance(ps);
  if (!e) return NULL;
  if (!at_op(ps, "]")) {
    sf_expr *first = parse_star_or_expr(ps);
    if (!first) return NULL;
    if (at_name(ps, "for") || at_name(ps, "async")) {
      sf_expr *c = parse_comprehension(ps, 'l', first, NULL, line, col);
      if (c && !expect_op(ps, "]", "expected ']' after comprehension")) return NULL;
      return c;
    }
    if (sf_ast_push_item(ps->p, e, first) != SF_OK) return out_of_memory(ps), NULL;
    int h = ps->height;
    if (at_op(ps, ",")) {
      advance(ps);
      if (!parse_items(ps, e, "]", "expected ']' after list elements", &trailing)) return NULL;
      ps->height = max_int(h, ps->height);
    }
  }
  if (!expect_op(ps, "]", "expected ']' after list elements")) return NULL;
  return set_height(ps, ps->height + 1, e->line, e->col) ? e : NULL;
}

/* `(expr)`, `()`, `(a,)`, `(a, b)`, `(x for x in y)`. */
static sf_expr *parse_paren(parser *ps) {
  int line = ps->cur.line, col = ps->cur.col;
  advance(ps);
  sf_expr *t = new_expr(ps, SF_EX_TUPLE, line, col);
  if (!t) return NULL;
  if (at_op(ps, ")")) {
    advance(ps);
    return set_height(ps, 1, line, col) ? t : NULL;
  }
  if (at_name(ps, "yield")) return FAIL(ps, "unsupported: generator function 'yield'"), NULL;
  sf_expr *first = parse_star_or_expr(ps);
  if (!first) return NULL;
  if (at_op(ps, ":=")) return FAIL(ps, "unsupported operator ':='"), NULL;
  if (at_name(ps, "for") || at_name(ps, "async")) {
    sf_expr *c = parse_comprehension(ps, 'g', first, NULL, line, col);
    if (c && !expect_op(ps, ")", "expected ')' after generator expression")) return NULL;
    return c;
  }
  if (!at_op(ps, ",")) {
    if (!expect_op(ps, ")", "expected ')' after expression")) return NULL;
    if (first->kind == SF_EX_STARRED) return fail_at(ps, first->line, first->col, "cannot use starred expression here"), NULL;
    return first;  /* keeps the item's height */
  }
  int h = ps->height;
  bool trailing;
  if (sf_ast_push_item(ps->p, t, first) != SF_OK) return out_of_memory(ps), NULL;
  advance(ps);
  if (!parse_items(ps, t, ")", "expected ')' after expression", &trailing)) return NULL;
  advance(ps);
  return set_height(ps, max_int(h, ps->height) + 1, line, col) ? t : NULL;
}

/* `{}`, `{k: v, ...}`, `{a, b}`, and their comprehensions. */
static sf_expr *parse_brace(parser *ps) {
  int line = ps->cur.line, col = ps->cur.col;
  advance(ps);
  sf_expr *d = new_expr(ps, SF_EX_DICT, line, col);
  if (!d) return NULL;
  int height = 0;
  bool is_set = false;
  for (int k = 0; !at_op(ps, "}"); k++) {
    sf_expr *key = NULL, *value;
    if (at_op(ps, "**") && !is_set) {
      advance(ps);
      if (!(value = parse_bitor(ps))) return NULL;
    } else {
      if (!(key = parse_star_or_expr(ps))) return NULL;
      if (k == 0) is_set = !at_op(ps, ":");
      if (is_set) {
        value = key;
        key = NULL;
      } else {
        if (!expect_op(ps, ":", "expected ':' after dict key")) return NULL;
        if (!(value = parse_expr(ps))) return NULL;
      }
    }
    height = max_int(height, ps->height);
    if (k == 0 && (at_name(ps, "for") || at_name(ps, "async")) && (is_set || key)) {
      sf_expr *c = parse_comprehension(ps, is_set ? 's' : 'd', is_set ? value : key, is_set ? NULL : value, line, col);
      if (c && !expect_op(ps, "}", "expected '}' after comprehension")) return NULL;
      return c;
    }
    if (is_set) {
      if (sf_ast_push_item(ps->p, d, value) != SF_OK) return out_of_memory(ps), NULL;
    } else {
      int n = d->nitems;
      if (!push_expr(ps, &d->items, &n, key) || !push_expr(ps, &d->items, &n, value)) return NULL;
      d->nitems = n;
    }
    if (!at_op(ps, ",")) break;
    advance(ps);
  }
  if (!expect_op(ps, "}", is_set ? "expected '}' after set elements" : "expected '}' after dict entries")) return NULL;
  if (is_set) d->kind = SF_EX_SET;
  return set_height(ps, height + 1, line, col) ? d : NULL;
}

static sf_expr *parse_keyword_constant(parser *ps) {
  sf_expr *e = NULL;
  if (at_name(ps, "None")) {
    e = new_expr(ps, SF_EX_NONE, ps->cur.line, ps->cur.col);
  } else if ((e = new_expr(ps, SF_EX_BOOL, ps->cur.line, ps->cur.col))) {
    e->b = at_name(ps, "True");
  }
  if (e) advance(ps);
  return e;
}

/* A keyword where an expression should start. */
static sf_expr *keyword_in_expression(parser *ps) {
  const sf_token *t = &ps->cur;
  if (sf_tok_is_name(t, "True") || sf_tok_is_name(t, "False") || sf_tok_is_name(t, "None"))
    return parse_keyword_constant(ps);
  if (sf_tok_is_name(t, "yield")) return FAIL(ps, "unsupported: generator function 'yield'"), NULL;
  if (sf_tok_is_name(t, "await")) return FAIL(ps, "unsupported expression 'await'"), NULL;
  return FAIL(ps, "unexpected keyword '%.*s'", (int)t->len, t->text), NULL;
}

static sf_expr *parse_atom(parser *ps) {
  const sf_token *t = &ps->cur;
  sf_expr *e;
  ps->height = 1;  /* leaves; lists and tuples set their own */
  switch (t->kind) {
    case SF_TK_NAME:
      if (is_keyword(t)) return keyword_in_expression(ps);
      if (!(e = new_expr(ps, SF_EX_NAME, t->line, t->col))) return NULL;
      if (!(e->name = token_text(ps))) return out_of_memory(ps), NULL;
      advance(ps);
      return e;
    case SF_TK_INT:
      if ((e = new_expr(ps, SF_EX_INT, t->line, t->col))) e->i = t->i, advance(ps);
      return e;
    case SF_TK_FLOAT:
      if ((e = new_expr(ps, SF_EX_FLOAT, t->line, t->col))) e->f = t->f, advance(ps);
      return e;
    case SF_TK_STR:
    case SF_TK_FSTR:
      return parse_strings(ps);
    default:
      break;
  }
  if (at_op(ps, "(")) return parse_paren(ps);
  if (at_op(ps, "[")) return parse_list(ps);
  if (at_op(ps, "{")) return parse_brace(ps);
  if (at_op(ps, "...")) {  /* Ellipsis: a None constant marked b */
    if ((e = new_expr(ps, SF_EX_NONE, t->line, t->col))) e->b = true, advance(ps);
    return e;
  }
  if (at_op(ps, "*") || at_op(ps, "**")) return FAIL(ps, "unsupported star expression"), NULL;
  return FAIL(ps, "expected expression"), NULL;
}

/* Appends name=value to a call's keyword arguments (name NULL: **value). */
static bool push_keyword(parser *ps, sf_expr *call, const char *name, sf_expr *value) {
  int n = call->nkw;
  if (!push_name(ps, &call->kwnames, &n, name)) return false;
  n = call->nkw;
  if (!push_expr(ps, &call->kwargs, &n, value)) return false;
  call->nkw = n;
  return true;
}

/* One argument of a call: `name=value`, `*e`, `**e` or a positional expression. */
static bool parse_argument(parser *ps, sf_expr *call, name_set *seen) {
  if (at_op(ps, "**")) {
    advance(ps);
    sf_expr *value = parse_expr(ps);
    return value && push_keyword(ps, call, NULL, value);
  }
  if (ps->cur.kind == SF_TK_NAME && !is_keyword(&ps->cur) && sf_tok_is_op(peek(ps), "=")) {
    int line = ps->cur.line, col = ps->cur.col;
    const char *name = expect_name(ps, "expected argument name");
    if (!name) return false;
    if (!add_unique(ps, seen, name, line, col, "keyword argument repeated:")) return false;
    advance(ps);  /* '=' */
    sf_expr *value = parse_expr(ps);
    return value && push_keyword(ps, call, name, value);
  }
  int line = ps->cur.line, col = ps->cur.col;
  sf_expr *arg = parse_star_or_expr(ps);
  if (!arg) return false;
  if (at_name(ps, "for") || at_name(ps, "async")) { /* f(x for x in y) */
    if (call->nitems || call->nkw) return fail_at(ps, line, col, "generator expression must be parenthesized");
    if (!(arg = parse_comprehension(ps, 'g', arg, NULL, line, col))) return false;
    if (!at_op(ps, ")")) return fail_at(ps, line, col, "generator expression must be parenthesized");
  }
  if (call->nkw > 0 && arg->kind != SF_EX_STARRED) {
    for (int k = 0; k < call->nkw; k++)
      if (!call->kwnames[k]) return fail_at(ps, line, col, "positional argument follows keyword argument unpacking");
    return fail_at(ps, line, col, "positional argument follows keyword argument");
  }
  if (sf_ast_push_item(ps->p, call, arg) != SF_OK) return out_of_memory(ps);
  return true;
}

/* `(args)` after a callee whose text starts at (line, col). */
static sf_expr *parse_call(parser *ps, sf_expr *fn, int line, int col) {
  sf_expr *call = new_expr(ps, SF_EX_CALL, line, col);
  if (!call) return NULL;
  call->base = fn;
  int height = ps->height;  /* the callee's */
  name_set seen = {0};
  advance(ps);  /* '(' */
  while (!at_op(ps, ")")) {
    if (!parse_argument(ps, call, &seen)) return NULL;
    height = max_int(height, ps->height);
    if (!at_op(ps, ",")) break;
    advance(ps);
  }
  if (!expect_op(ps, ")", "expected ')' after arguments")) return NULL;
  return set_height(ps, height + 1, line, col) ? call : NULL;
}

static sf_expr *parse_attribute(parser *ps, sf_expr *base, int line, int col) {
  advance(ps);  /* '.' */
  sf_expr *e = new_expr(ps, SF_EX_ATTR, line, col);
  int height = ps->height + 1;
  if (!e || !(e->name = expect_name(ps, "expected name after '.'"))) return NULL;
  e->base = base;
  return set_height(ps, height, line, col) ? e : NULL;
}

/* One subscript item: an expression or a slice lo:hi:step. */
static sf_expr *parse_slice_item(parser *ps) {
  int line = ps->cur.line, col = ps->cur.col;
  sf_expr *lo = NULL;
  if (!at_op(ps, ":") && !(lo = parse_star_or_expr(ps))) return NULL;
  if (!at_op(ps, ":")) return lo;
  sf_expr *s = new_expr(ps, SF_EX_SLICE, line, col);
  if (!s) return NULL;
  sf_expr *parts[3] = {lo, NULL, NULL};
  int height = lo ? ps->height : 0;
  for (int k = 1; k < 3 && at_op(ps, ":"); k++) {
    advance(ps);
    if (!at_op(ps, ":") && !at_op(ps, "]") && !at_op(ps, ",")) {
      if (!(parts[k] = parse_expr(ps))) return NULL;
      height = max_int(height, ps->height);
    }
  }
  s->items = sf_arena_alloc(&ps->p->arena, 3 * sizeof *s->items);
  if (!s->items) return out_of_memory(ps), NULL;
  memcpy(s->items, parts, sizeof parts);
  s->nitems = 3;
  ps->height = height + 1;
  return s;
}

/* `[subscript]`: one item, or a tuple of items. */
static sf_expr *parse_subscript(parser *ps, sf_expr *base, int line, int col) {
  int height = ps->height;
  advance(ps);  /* '[' */
  sf_expr *e = new_expr(ps, SF_EX_SUBSCRIPT, line, col);
  sf_expr *item = e ? parse_slice_item(ps) : NULL;
  if (!item) return NULL;
  height = max_int(height, ps->height);
  if (at_op(ps, ",")) {
    sf_expr *t = new_expr(ps, SF_EX_TUPLE, item->line, item->col);
    if (!t || sf_ast_push_item(ps->p, t, item) != SF_OK) return out_of_memory(ps), NULL;
    while (at_op(ps, ",")) {
      advance(ps);
      if (at_op(ps, "]")) break;
      if (!(item = parse_slice_item(ps))) return NULL;
      height = max_int(height, ps->height);
      if (sf_ast_push_item(ps->p, t, item) != SF_OK) return out_of_memory(ps), NULL;
    }
    item = t;
  }
  if (!expect_op(ps, "]", "expected ']' after subscript")) return NULL;
  e->base = base;
  e->rhs = item;
  return set_height(ps, height + 2, line, col) ? e : NULL;
}

/* An atom followed by any number of `.name`, `(args)` and `[subscript]`. */
static sf_expr *parse_postfix(parser *ps) {
  int line = ps->cur.line, col = ps->cur.col;
  sf_expr *e = parse_atom(ps);
  while (e) {
    if (at_op(ps, ".")) e = parse_attribute(ps, e, line, col);
    else if (at_op(ps, "(")) e = parse_call(ps, e, line, col);
    else if (at_op(ps, "[")) e = parse_subscript(ps, e, line, col);
    else break;
  }
  return e;
}

/* base ** exp for integer literals, folded; false on overflow. */
static bool int_power(int64_t base, int64_t exp, int64_t *out) {
  int64_t r = 1;
  if (base <= 1 || exp == 0) {
    *out = base == 0 && exp > 0 ? 0 : base == 1 || exp == 0 ? 1 : base;
    return true;
  }
  if (exp > 63) return false;
  for (int64_t k = 0; k < exp; k++) {
    if (r > INT64_MAX / base) return false;
    r *= base;
  }
  *out = r;
  return true;
}

static sf_expr *binop(parser *ps, char op, sf_expr *a, sf_expr *b, int line, int col, int height) {
  sf_expr *e = new_expr(ps, SF_EX_BINOP, line, col);
  if (!e || !set_height(ps, height, line, col)) return NULL;
  e->op = op;
  e->base = a;
  e->rhs = b;
  return e;
}

/* postfix ['**' unary]: folded when both sides are non-negative integer literals. */
static sf_expr *parse_power(parser *ps) {
  int line = ps->cur.line, col = ps->cur.col;
  sf_expr *e = parse_postfix(ps);
  if (!e || !at_op(ps, "**")) return e;
  int lh = ps->height;
  advance(ps);
  sf_expr *x = parse_unary(ps);
  if (!x) return NULL;
  int64_t folded;
  if (e->kind == SF_EX_INT && x->kind == SF_EX_INT && x->i >= 0 && int_power(e->i, x->i, &folded)) {
    e->i = folded;
    ps->height = 1;
    return e;
  }
  return binop(ps, 'P', e, x, line, col, max_int(lh, ps->height) + 1);
}

static sf_expr *parse_unary_inner(parser *ps) {
  if (!at_op(ps, "-") && !at_op(ps, "+") && !at_op(ps, "~")) return parse_power(ps);
  char op = ps->cur.text[0];
  int line = ps->cur.line, col = ps->cur.col;
  advance(ps);
  sf_expr *operand = parse_unary(ps);
  if (!operand) return NULL;
  /* unary plus of a number literal is the identity; of anything else it is __pos__ (+True is 1) */
  if (op == '+' && (operand->kind == SF_EX_INT || operand->kind == SF_EX_FLOAT)) return operand;
  if (op == '+') op = 'u';
  sf_expr *e = new_expr(ps, op == '-' ? SF_EX_NEG : SF_EX_UNARY, line, col);
  if (!e || !set_height(ps, ps->height + 1, line, col)) return NULL;
  e->op = op == 'u' ? '+' : op;
  e->base = operand;
  return e;
}

/* Every recursion of the expression grammar passes here: the nesting limit lives here. */
static sf_expr *parse_unary(parser *ps) {
  if (ps->depth >= MAX_DEPTH) return FAIL(ps, "expression nested too deeply"), NULL;
  ps->depth++;
  sf_expr *e = parse_unary_inner(ps);
  ps->depth--;
  return e;
}

/* The operator code of the current token among ops (space separated), or 0. */
static char binary_op(parser *ps, const char *const *ops, const char *codes) {
  for (int k = 0; ops[k]; k++)
    if (at_op(ps, ops[k])) return codes[k];
  return 0;
}

/* Left-associative binary operators ops[] (codes in codes) over operands from next(). */
static sf_expr *parse_binary(parser *ps, const char *const *ops, const char *codes, sf_expr *(*next)(parser *)) {
  int line = ps->cur.line, col = ps->cur.col;
  sf_expr *e = next(ps);
  char op;
  while (e && (op = binary_op(ps, ops, codes))) {
    int lhs_height = ps->height, op_line = ps->cur.line, op_col = ps->cur.col;
    advance(ps);
    sf_expr *rhs = next(ps);
    if (!rhs) return NULL;
    int h = max_int(lhs_height, ps->height) + 1;
    if (h > MAX_HEIGHT) return fail_at(ps, op_line, op_col, "expression nested too deeply"), NULL;
    if (!(e = binop(ps, op, e, rhs, line, col, h))) return NULL;
  }
  return e;
}

static const char *const term_ops[] = {"*", "/", "//", "%", "@", NULL};
static const char *const arith_ops[] = {"+", "-", NULL};
static const char *const shift_ops[] = {"<<", ">>", NULL};
static const char *const and_ops[] = {"&", NULL};
static const char *const xor_ops[] = {"^", NULL};
static const char *const or_ops[] = {"|", NULL};
static sf_expr *parse_term(parser *ps) { return parse_binary(ps, term_ops, "*/F%@", parse_unary); }
static sf_expr *parse_arith(parser *ps) { return parse_binary(ps, arith_ops, "+-", parse_term); }
static sf_expr *parse_shift(parser *ps) { return parse_binary(ps, shift_ops, "LR", parse_arith); }
static sf_expr *parse_bitand(parser *ps) { return parse_binary(ps, and_ops, "&", parse_shift); }
static sf_expr *parse_bitxor(parser *ps) { return parse_binary(ps, xor_ops, "^", parse_bitand); }
static sf_expr *parse_bitor(parser *ps) { return parse_binary(ps, or_ops, "|", parse_bitxor); }

/* The comparison operator at the current token (consumed), or NULL. */
static const char *comparison_op(parser *ps) {
  static const char *const ops[] = {"<", ">", "==", ">=", "<=", "!=", NULL};
  for (int k = 0; ops[k]; k++)
    if (at_op(ps, ops[k])) return advance(ps), ops[k];
  if (at_name(ps, "in")) return advance(ps), "in";
  if (at_name(ps, "not") && sf_tok_is_name(peek(ps), "in")) return advance(ps), advance(ps), "not in";
  if (at_name(ps, "is")) {
    advance(ps);
    if (!at_name(ps, "not")) return "is";
    advance(ps);
    return "is not";
  }
  return NULL;
}

static sf_expr *parse_comparison(parser *ps) {
  int line = ps->cur.line, col = ps->cur.col;
  sf_expr *e = parse_bitor(ps);
  if (!e) return NULL;
  int height = ps->height;
  const char *op = comparison_op(ps);
  if (!op) return e;
  sf_expr *c = new_expr(ps, SF_EX_COMPARE, line, col);
  if (!c || sf_ast_push_item(ps->p, c, e) != SF_OK) return out_of_memory(ps), NULL;
  int nk = 0;
  while (op) {
    if (!push_name(ps, &c->kwnames, &nk, op)) return NULL;
    sf_expr *rhs = parse_bitor(ps);
    if (!rhs || sf_ast_push_item(ps->p, c, rhs) != SF_OK) return NULL;
    height = max_int(height, ps->height);
    op = comparison_op(ps);
  }
  return set_height(ps, height + 1, line, col) ? c : NULL;
}

static sf_expr *parse_not(parser *ps) {
  if (!at_name(ps, "not")) return parse_comparison(ps);
  int line = ps->cur.line, col = ps->cur.col;
  if (ps->depth >= MAX_DEPTH) return FAIL(ps, "expression nested too deeply"), NULL;
  advance(ps);
  ps->depth++;
  sf_expr *operand = parse_not(ps);
  ps->depth--;
  sf_expr *e = operand ? new_expr(ps, SF_EX_UNARY, line, col) : NULL;
  if (!e || !set_height(ps, ps->height + 1, line, col)) return NULL;
  e->op = '!';
  e->base = operand;
  return e;
}

/* and/or chains as one node with every operand. */
static sf_expr *parse_boolop(parser *ps, const char *word, char code, sf_expr *(*next)(parser *)) {
  int line = ps->cur.line, col = ps->cur.col;
  sf_expr *e = next(ps);
  if (!e || !at_name(ps, word)) return e;
  sf_expr *b = new_expr(ps, SF_EX_BOOLOP, line, col);
  if (!b || sf_ast_push_item(ps->p, b, e) != SF_OK) return out_of_memory(ps), NULL;
  b->op = code;
  int height = ps->height;
  while (at_name(ps, word)) {
    advance(ps);
    if (!(e = next(ps)) || sf_ast_push_item(ps->p, b, e) != SF_OK) return NULL;
    height = max_int(height, ps->height);
  }
  return set_height(ps, height + 1, line, col) ? b : NULL;
}

static sf_expr *parse_and(parser *ps) { return parse_boolop(ps, "and", 'a', parse_not); }
static sf_expr *parse_or(parser *ps) { return parse_boolop(ps, "or", 'o', parse_and); }

static sf_expr *parse_lambda(parser *ps) {
  sf_expr *e = new_expr(ps, SF_EX_LAMBDA, ps->cur.line, ps->cur.col);
  sf_stmt *def = e ? new_stmt(ps, SF_ST_DEF, ps->cur.line, ps->cur.col) : NULL;
  if (!def) return NULL;
  def->name = "<lambda>";
  def->is_lambda = true;
  advance(ps);
  if (!parse_lambda_def(ps, def)) return NULL;
  e->def = def;
  ps->height = 1;
  return e;
}

/* An expression; a following operator outside the subset is reported by name. */
static sf_expr *parse_expr(parser *ps) {
  if (at_name(ps, "lambda")) return parse_lambda(ps);
  int line = ps->cur.line, col = ps->cur.col;
  sf_expr *e = parse_or(ps);
  if (!e) return NULL;
  if (at_name(ps, "if")) {
    int height = ps->height;
    advance(ps);
    sf_expr *cond = parse_or(ps);
    if (!cond) return NULL;
    height = max_int(height, ps->height);
    if (!at_name(ps, "else")) return FAIL(ps, "expected 'else' after 'if' expression"), NULL;
    advance(ps);
    sf_expr *other = parse_expr(ps);
    if (!other) return NULL;
    sf_expr *c = new_expr(ps, SF_EX_IFEXP, line, col);
    if (!c) return NULL;
    sf_expr *items[3] = {cond, e, other};
    for (int k = 0; k < 3; k++)
      if (sf_ast_push_item(ps->p, c, items[k]) != SF_OK) return out_of_memory(ps), NULL;
    return set_height(ps, max_int(height, ps->height) + 1, line, col) ? c : NULL;
  }
  if (at_op(ps, ":=")) return FAIL(ps, "unsupported operator ':='"), NULL;
  return e;
}

/* A target item: `*name` or an expression above comparisons (so that `in` ends it). */
static sf_expr *parse_star_or_expr_no_in(parser *ps) {
  if (!at_op(ps, "*")) return parse_bitor(ps);
  sf_expr *e = new_expr(ps, SF_EX_STARRED, ps->cur.line, ps->cur.col);
  advance(ps);
  if (!e || !(e->base = parse_bitor(ps))) return NULL;
  return e;
}

/* Targets of `for` (names, attributes, subscripts, tuples of them), up to `in`. */
static sf_expr *parse_target_list(parser *ps) {
  int line = ps->cur.line, col = ps->cur.col;
  sf_expr *e = parse_star_or_expr_no_in(ps);
  if (!e || !at_op(ps, ",")) return e;
  sf_expr *t = new_expr(ps, SF_EX_TUPLE, line, col);
  if (!t || sf_ast_push_item(ps->p, t, e) != SF_OK) return out_of_memory(ps), NULL;
  while (at_op(ps, ",")) {
    advance(ps);
    if (at_name(ps, "in")) break;
    if (!(e = parse_star_or_expr_no_in(ps)) || sf_ast_push_item(ps->p, t, e) != SF_OK) return NULL;
  }
  return t;
}

/* `for target in iter [if cond]...` clauses of a comprehension. */
static bool parse_comp_clauses(parser *ps, sf_expr *comp) {
  int height = 0;
  while (at_name(ps, "for") || at_name(ps, "async")) {
    if (at_name(ps, "async")) return FAIL(ps, "unsupported asynchronous comprehension");
    sf_expr *c = new_expr(ps, SF_EX_COMPFOR, ps->cur.line, ps->cur.col);
    advance(ps);
    if (!c || !(c->base = parse_target_list(ps))) return false;
    if (!check_target(ps, c->base, false)) return false;
    if (!at_name(ps, "in")) return FAIL(ps, "expected 'in' in comprehension");
    advance(ps);
    c->rhs = parse_or(ps);
    height = max_int(height, ps->height);
    while (c->rhs && at_name(ps, "if")) {
      advance(ps);
      sf_expr *cond = parse_or(ps);
      if (!cond || sf_ast_push_item(ps->p, c, cond) != SF_OK) c->rhs = NULL;
      height = max_int(height, ps->height);
    }
    if (!c->rhs || sf_ast_push_item(ps->p, comp, c) != SF_OK) return false;
  }
  ps->height = height + 1;
  return true;
}

/* expr {',' expr} [','] — a bare tuple when there is a comma (statement level). */
static sf_expr *parse_expr_list(parser *ps) {
  int line = ps->cur.line, col = ps->cur.col;
  sf_expr *e = parse_star_or_expr(ps);
  if (!e || !at_op(ps, ",")) return e;
  int height = ps->height;
  sf_expr *t = new_expr(ps, SF_EX_TUPLE, line, col);
  if (!t || sf_ast_push_item(ps->p, t, e) != SF_OK) return out_of_memory(ps), NULL;
  while (at_op(ps, ",")) {
    advance(ps);
    if (ps->cur.kind == SF_TK_NEWLINE || at_op(ps, "=") || at_op(ps, ";") || at_op(ps, ")") ||
        ps->cur.kind == SF_TK_EOF || IN_LIST(&ps->cur, augmented_assignments))
      break;
    if (!(e = parse_star_or_expr(ps))) return NULL;
    height = max_int(height, ps->height);
    if (sf_ast_push_item(ps->p, t, e) != SF_OK) return out_of_memory(ps), NULL;
  }
  return set_height(ps, height + 1, line, col) ? t : NULL;
}

/* ---- statements ---- */

static bool parse_statement(parser *ps, sf_stmt ***list, int *n, int *cap);
static bool parse_simple_line(parser *ps, sf_stmt ***list, int *n, int *cap);

static bool push_stmt(parser *ps, sf_stmt ***list, int *n, int *cap, sf_stmt *s) {
  if (sf_stmt_list_push(ps->p, list, n, cap, s) != SF_OK) return out_of_memory(ps);
  return true;
}

/* Checks that e can be assigned to: a name, attribute, subscript, or a tuple/list of
 * targets with at most one starred item. */
static bool check_target(parser *ps, const sf_expr *e, bool starred_ok) {
  switch (e->kind) {
    case SF_EX_NAME:
    case SF_EX_ATTR:
    case SF_EX_SUBSCRIPT:
      return true;
    case SF_EX_STARRED:
      if (!starred_ok) return fail_at(ps, e->line, e->col, "starred assignment target must be in a list or tuple");
      return check_target(ps, e->base, false);
    case SF_EX_TUPLE:
    case SF_EX_LIST: {
      int stars = 0;
      for (int k = 0; k < e->nitems; k++) {
        stars += e->items[k]->kind == SF_EX_STARRED;
        if (stars > 1) return fail_at(ps, e->items[k]->line, e->items[k]->col, "multiple starred expressions in assignment");
        if (!check_target(ps, e->items[k], true)) return false;
      }
      return true;
    }
    default:
      return fail_at(ps, e->line, e->col, "unsupported assignment target");
  }
}

/* The plain names of a simple target (a name, or a tuple of at least two names) go to
 * targets too, as they always have. */
static bool simple_targets(parser *ps, sf_stmt *s, const sf_expr *lhs) {
  if (lhs->kind == SF_EX_NAME) return push_name(ps, &s->targets, &s->ntargets, lhs->name);
  if ((lhs->kind != SF_EX_TUPLE && lhs->kind != SF_EX_LIST) || lhs->nitems < 2) return true;
  for (int k = 0; k < lhs->nitems; k++)
    if (lhs->items[k]->kind != SF_EX_NAME) return true;
  for (int k = 0; k < lhs->nitems; k++)
    if (!push_name(ps, &s->targets, &s->ntargets, lhs->items[k]->name)) return false;
  return true;
}

static const char augmented_codes[] = "+-*/F%@&|^RLP";

/* An expression statement, an assignment (chained, annotated) or an augmented assignment. */
static sf_stmt *parse_expr_statement(parser *ps) {
  int line = ps->cur.line, col = ps->cur.col;
  sf_expr *e = parse_expr_list(ps);
  if (!e) return NULL;
  for (size_t k = 0; k < sizeof augmented_assignments / sizeof *augmented_assignments; k++) {
    if (!at_op(ps, augmented_assignments[k])) continue;
    if (e->kind != SF_EX_NAME && e->kind != SF_EX_ATTR && e->kind != SF_EX_SUBSCRIPT)
      return fail_at(ps, e->line, e->col, "illegal expression for augmented assignment"), NULL;
    sf_stmt *s = new_stmt(ps, SF_ST_AUGASSIGN, line, col);
    if (!s) return NULL;
    s->op = augmented_codes[k];
    s->target = e;
    advance(ps);
    if (at_name(ps, "yield")) return FAIL(ps, "unsupported: generator function 'yield'"), NULL;
    return (s->value = parse_expr_list(ps)) ? s : NULL;
  }
  if (at_op(ps, ":")) { /* annotated: the annotation is evaluated by nobody */
    if (e->kind != SF_EX_NAME && e->kind != SF_EX_ATTR && e->kind != SF_EX_SUBSCRIPT)
      return FAIL(ps, "illegal target for annotation"), NULL;
    advance(ps);
    if (!parse_expr(ps)) return NULL;
    if (!at_op(ps, "=")) return new_stmt(ps, SF_ST_PASS, line, col);
  }
  sf_stmt *s = new_stmt(ps, at_op(ps, "=") ? SF_ST_ASSIGN : SF_ST_EXPR, line, col);
  if (!s) return NULL;
  if (s->kind == SF_ST_EXPR) {
    if (e->kind == SF_EX_STARRED) return fail_at(ps, e->line, e->col, "can't use starred expression here"), NULL;
    s->value = e;
    return s;
  }
  while (at_op(ps, "=")) {
    if (!check_target(ps, e, false)) return NULL;
    if (!push_expr(ps, &s->lhs, &s->nlhs, e)) return NULL;
    advance(ps);  /* '=' */
    if (at_name(ps, "yield")) return FAIL(ps, "unsupported: generator function 'yield'"), NULL;
    if (!(e = parse_expr_list(ps))) return NULL;
  }
  s->value = e;
  if (e->kind == SF_EX_STARRED) return fail_at(ps, e->line, e->col, "can't use starred expression here"), NULL;
  if (s->nlhs == 1 && !simple_targets(ps, s, s->lhs[0])) return NULL;
  if (IN_LIST(&ps->cur, augmented_assignments)) return FAIL(ps, "invalid syntax"), NULL;
  return s;
}

/* A dotted module name (with leading dots for relative imports) as one string. */
static const char *parse_module(parser *ps) {
  const char *start = ps->cur.text;
  const char *end = start;
  while (at_op(ps, ".") || at_op(ps, "...")) {
    end = ps->cur.text + ps->cur.len;
    advance(ps);
  }
  bool dots_only = end != start && at_name(ps, "import");  /* from . import x */
  while (!dots_only) {
    if (ps->cur.kind != SF_TK_NAME || is_keyword(&ps->cur)) {
      FAIL(ps, "expected module name");
      return NULL;
    }
    end = ps->cur.text + ps->cur.len;
    advance(ps);
    if (!at_op(ps, ".")) break;
    advance(ps);
  }
  /* Rebuild without any whitespace between the parts. */
  char *s = sf_arena_alloc(&ps->p->arena, (size_t)(end - start) + 1);
  if (!s) return out_of_memory(ps), NULL;
  size_t n = 0;
  for (const char *c = start; c < end; c++)
    if (*c == '.' || *c == '_' || (*c >= '0' && *c <= '9') || ((*c | 0x20) >= 'a' && (*c | 0x20) <= 'z')) s[n++] = *c;
  s[n] = '\0';
  return s;
}

/* [as name] after an imported name; the bound name goes to targets. */
static bool parse_import_alias(parser *ps, sf_stmt *s, const char *bound) {
  if (at_name(ps, "as")) {
    advance(ps);
    if (!(bound = expect_name(ps, "expected name after 'as'"))) return false;
    s->vararg = "as";  /* marks `import a.b as c`: c is a.b itself */
  }
  return push_name(ps, &s->targets, &s->ntargets, bound);
}

/* Name bound by `import a.b.c`: "a". */
static const char *first_component(parser *ps, const char *module) {
  const char *s = sf_arena_strndup(&ps->p->arena, module, strcspn(module, "."));
  if (!s) out_of_memory(ps);
  return s;
}

/* `import a.b [as c], d`: one IMPORT statement per module; targets hold the bound name. */
static bool parse_import(parser *ps, sf_stmt ***list, int *n, int *cap) {
  int line = ps->cur.line, col = ps->cur.col;
  advance(ps);
  do {
    if (at_op(ps, ",")) advance(ps);
    if (at_op(ps, ".") || at_op(ps, "...")) return FAIL(ps, "expected module name");
    sf_stmt *s = new_stmt(ps, SF_ST_IMPORT, line, col);
    if (!s || !(s->name = parse_module(ps))) return false;
    const char *bound = first_component(ps, s->name);
    if (!bound || !parse_import_alias(ps, s, bound) || !push_stmt(ps, list, n, cap, s)) return false;
  } while (at_op(ps, ","));
  return true;
}

/* `from m import a [as b], c` or with parentheses: name = m, params = imported names,
 * targets = bound names. */
static sf_stmt *parse_from_import(parser *ps) {
  sf_stmt *s = new_stmt(ps, SF_ST_IMPORT, ps->cur.line, ps->cur.col);
  advance(ps);
  if (!s || !(s->name = parse_module(ps))) return NULL;
  if (!at_name(ps, "import")) return FAIL(ps, "expected 'import' after module name"), NULL;
  advance(ps);
  if (at_op(ps, "*")) return FAIL(ps, "unsupported 'import *'"), NULL;
  bool paren = at_op(ps, "(");
  if (paren) advance(ps);
  for (;;) {
    const char *name = expect_name(ps, "expected name to import");
    if (!name || !push_name(ps, &s->params, &s->nparams, name) || !parse_import_alias(ps, s, name)) return NULL;
    if (!at_op(ps, ",")) break;
    advance(ps);
    if (paren && at_op(ps, ")")) break;
  }
  s->vararg = NULL;
  if (paren && !expect_op(ps, ")", "expected ')' after imported names")) return NULL;
  return s;
}

static bool at_line_end(parser *ps) { return ps->cur.kind == SF_TK_NEWLINE || at_op(ps, ";") || ps->cur.kind == SF_TK_EOF; }

static sf_stmt *parse_return(parser *ps) {
  if (ps->fn_depth == 0) return FAIL(ps, "'return' outside function"), NULL;
  sf_stmt *s = new_stmt(ps, SF_ST_RETURN, ps->cur.line, ps->cur.col);
  if (!s) return NULL;
  advance(ps);
  if (!at_line_end(ps) && !(s->value = parse_expr_list(ps))) return NULL;
  return s;
}

/* A keyword statement with nothing after it: pass, break, continue. */
static sf_stmt *parse_word(parser *ps, sf_stmt_kind kind) {
  if (kind != SF_ST_PASS && ps->loop_depth == 0)
    return FAIL(ps, "'%s' outside loop", kind == SF_ST_BREAK ? "break" : "continue"), NULL;
  sf_stmt *s = new_stmt(ps, kind, ps->cur.line, ps->cur.col);
  if (s) advance(ps);
  return s;
}

/* raise [value [from cause]], assert value [, message], del targets. */
static sf_stmt *parse_raise_assert_del(parser *ps) {
  sf_stmt_kind kind = at_name(ps, "raise") ? SF_ST_RAISE : at_name(ps, "assert") ? SF_ST_ASSERT : SF_ST_DEL;
  sf_stmt *s = new_stmt(ps, kind, ps->cur.line, ps->cur.col);
  if (!s) return NULL;
  advance(ps);
  if (kind == SF_ST_DEL) {
    do {
      if (at_op(ps, ",")) advance(ps);
      sf_expr *t = parse_bitor(ps);
      if (!t || !check_target(ps, t, false) || !push_expr(ps, &s->lhs, &s->nlhs, t)) return NULL;
    } while (at_op(ps, ","));
    return s;
  }
  if (kind == SF_ST_RAISE && at_line_end(ps)) return s;
  if (!(s->value = parse_expr(ps))) return NULL;
  const char *sep = kind == SF_ST_RAISE ? "from" : NULL;
  if ((sep && at_name(ps, sep)) || (!sep && at_op(ps, ","))) {
    advance(ps);
    if (!(s->target = parse_expr(ps))) return NULL;
  }
  return s;
}

/* global/nonlocal names. */
static sf_stmt *parse_scope_decl(parser *ps) {
  bool global = at_name(ps, "global");
  if (!global && ps->fn_depth == 0) return FAIL(ps, "nonlocal declaration not allowed at module level"), NULL;
  sf_stmt *s = new_stmt(ps, global ? SF_ST_GLOBAL : SF_ST_NONLOCAL, ps->cur.line, ps->cur.col);
  if (!s) return NULL;
  advance(ps);
  do {
    if (at_op(ps, ",")) advance(ps);
    const char *name = expect_name(ps, "expected name");
    if (!name || !push_name(ps, &s->params, &s->nparams, name)) return NULL;
  } while (at_op(ps, ","));
  return s;
}

/* A simple (one-line) statement, appended to list. */
static bool parse_simple_statement(parser *ps, sf_stmt ***list, int *n, int *cap) {
  sf_stmt *s;
  const sf_token *t = &ps->cur;
  if (sf_tok_is_name(t, "import")) return parse_import(ps, list, n, cap);
  if (sf_tok_is_name(t, "from")) s = parse_from_import(ps);
  else if (sf_tok_is_name(t, "return")) s = parse_return(ps);
  else if (sf_tok_is_name(t, "pass")) s = parse_word(ps, SF_ST_PASS);
  else if (sf_tok_is_name(t, "break")) s = parse_word(ps, SF_ST_BREAK);
  else if (sf_tok_is_name(t, "continue")) s = parse_word(ps, SF_ST_CONTINUE);
  else if (sf_tok_is_name(t, "raise") || sf_tok_is_name(t, "assert") || sf_tok_is_name(t, "del")) s = parse_raise_assert_del(ps);
  else if (sf_tok_is_name(t, "global") || sf_tok_is_name(t, "nonlocal")) s = parse_scope_decl(ps);
  else if (sf_tok_is_name(t, "yield")) return FAIL(ps, "unsupported: generator function 'yield'");
  else if (sf_tok_is_name(t, "async") || sf_tok_is_name(t, "await")) return FAIL(ps, "unsupported statement '%.*s'", (int)t->len, t->text);
  else if (IN_LIST(t, compound_keywords)) return FAIL(ps, "compound statement must start a line");
  else if (sf_tok_is_op(t, "@")) return FAIL(ps, "compound statement must start a line");
  else if (sf_tok_is_name(t, "elif") || sf_tok_is_name(t, "else") || sf_tok_is_name(t, "except") || sf_tok_is_name(t, "finally"))
    return FAIL(ps, "unexpected '%.*s'", (int)t->len, t->text);
  else if (t->kind == SF_TK_INDENT) return FAIL(ps, "unexpected indent");
  else s = parse_expr_statement(ps);
  return s && push_stmt(ps, list, n, cap, s);
}

/* Simple statements separated by ';' up to the end of the line. */
static bool parse_simple_line(parser *ps, sf_stmt ***list, int *n, int *cap) {
  for (;;) {
    if (!parse_simple_statement(ps, list, n, cap)) return false;
    if (!at_op(ps, ";")) break;
    advance(ps);
    if (ps->cur.kind == SF_TK_NEWLINE) break;
  }
  if (ps->cur.kind != SF_TK_NEWLINE && ps->cur.kind != SF_TK_EOF) return FAIL(ps, "expected newline after statement");
  if (ps->cur.kind == SF_TK_NEWLINE) advance(ps);
  return true;
}

/* The body after `...:` — an indented block or simple statements on the same line. */
static bool parse_block(parser *ps, sf_stmt ***body, int *nbody, const char *what) {
  int cap = 0;
  if (!expect_op(ps, ":", "expected ':'")) return false;
  if (ps->cur.kind != SF_TK_NEWLINE) return parse_simple_line(ps, body, nbody, &cap);
  advance(ps);
  if (ps->cur.kind != SF_TK_INDENT) return FAIL(ps, "expected an indented block after '%s'", what);
  advance(ps);
  while (ps->cur.kind != SF_TK_DEDENT) {
    if (ps->cur.kind == SF_TK_EOF) return FAIL(ps, "unexpected end of file");
    if (!parse_statement(ps, body, nbody, &cap)) return false;
  }
  if (*nbody == 0) return FAIL(ps, "expected an indented block after '%s'", what);  /* only a `\` line */
  advance(ps);
  return true;
}

/* A loop body: break and continue are allowed in it. */
static bool parse_loop_block(parser *ps, sf_stmt *s, const char *what) {
  ps->loop_depth++;
  bool ok = parse_block(ps, &s->body, &s->nbody, what);
  ps->loop_depth--;
  return ok;
}

/* `else:` after a loop or try. */
static bool parse_else(parser *ps, sf_stmt *s) {
  if (!at_name(ps, "else")) return true;
  advance(ps);
  return parse_block(ps, &s->orelse, &s->norelse, "else");
}

static sf_stmt *parse_if(parser *ps) {
  sf_stmt *s = new_stmt(ps, SF_ST_IF, ps->cur.line, ps->cur.col);
  const char *what = at_name(ps, "if") ? "if" : "elif";
  advance(ps);
  if (!s || !(s->value = parse_expr(ps)) || !parse_block(ps, &s->body, &s->nbody, what)) return NULL;
  if (at_name(ps, "elif")) {
    sf_stmt *e = parse_if(ps);
    int cap = 0;
    if (!e || !push_stmt(ps, &s->orelse, &s->norelse, &cap, e)) return NULL;
    return s;
  }
  return parse_else(ps, s) ? s : NULL;
}

static sf_stmt *parse_while(parser *ps) {
  sf_stmt *s = new_stmt(ps, SF_ST_WHILE, ps->cur.line, ps->cur.col);
  advance(ps);
  if (!s || !(s->value = parse_expr(ps)) || !parse_loop_block(ps, s, "while") || !parse_else(ps, s)) return NULL;
  return s;
}

static sf_stmt *parse_for(parser *ps) {
  sf_stmt *s = new_stmt(ps, SF_ST_FOR, ps->cur.line, ps->cur.col);
  advance(ps);
  if (!s || !(s->target = parse_target_list(ps)) || !check_target(ps, s->target, false)) return NULL;
  if (!at_name(ps, "in")) return FAIL(ps, "expected 'in' after for-loop target"), NULL;
  advance(ps);
  if (!(s->value = parse_expr_list(ps)) || !parse_loop_block(ps, s, "for") || !parse_else(ps, s)) return NULL;
  return s;
}

static sf_stmt *parse_try(parser *ps) {
  sf_stmt *s = new_stmt(ps, SF_ST_TRY, ps->cur.line, ps->cur.col);
  advance(ps);
  if (!s || !parse_block(ps, &s->body, &s->nbody, "try")) return NULL;
  int cap = 0;
  while (at_name(ps, "except")) {
    sf_stmt *h = new_stmt(ps, SF_ST_EXCEPT, ps->cur.line, ps->cur.col);
    advance(ps);
    if (!h) return NULL;
    if (!at_op(ps, ":")) {
      if (!(h->value = parse_expr(ps))) return NULL;
      if (at_op(ps, ",")) { /* except (A, B) without parentheses is Python 2 */
        return FAIL(ps, "multiple exception types must be parenthesized"), NULL;
      }
      if (at_name(ps, "as")) {
        advance(ps);
        if (!(h->name = expect_name(ps, "expected name after 'as'"))) return NULL;
      }
    }
    if (!parse_block(ps, &h->body, &h->nbody, "except") || !push_stmt(ps, &s->handlers, &s->nhandlers, &cap, h)) return NULL;
  }
  if (s->nhandlers && !parse_else(ps, s)) return NULL;
  if (at_name(ps, "finally")) {
    advance(ps);
    s->has_finally = true;
    if (!parse_block(ps, &s->finalbody, &s->nfinalbody, "finally")) return NULL;
  }
  if (!s->nhandlers && !s->has_finally) return FAIL(ps, "expected 'except' or 'finally' block"), NULL;
  return s;
}

/* `with a as x, b:` nests one WITH per item. */
static sf_stmt *parse_with_items(parser *ps) {
  sf_stmt *s = new_stmt(ps, SF_ST_WITH, ps->cur.line, ps->cur.col);
  if (!s || !(s->value = parse_expr(ps))) return NULL;
  if (at_name(ps, "as")) {
    advance(ps);
    if (!(s->target = parse_star_or_expr_no_in(ps)) || !check_target(ps, s->target, false)) return NULL;
  }
  if (at_op(ps, ",")) {
    advance(ps);
    sf_stmt *inner = parse_with_items(ps);
    int cap = 0;
    if (!inner || !push_stmt(ps, &s->body, &s->nbody, &cap, inner)) return NULL;
    return s;
  }
  return parse_block(ps, &s->body, &s->nbody, "with") ? s : NULL;
}

static sf_stmt *parse_with(parser *ps) {
  advance(ps);
  return parse_with_items(ps);
}

/* One parameter: name [: annotation] [= default], `*[name]`, `**name` or `/`. */
static bool parse_param(parser *ps, sf_stmt *s, name_set *seen, bool *star_seen, bool lambda) {
  if (at_op(ps, "/")) return advance(ps), true;
  bool star = at_op(ps, "*"), dstar = at_op(ps, "**");
  if (star || dstar) {
    advance(ps);
    if (star && *star_seen) return FAIL(ps, "* argument may appear only once");
    if (star) {
      *star_seen = true;
      s->nposparams = s->nparams;
      if (at_op(ps, ",") || at_op(ps, ")") || at_op(ps, ":")) return true;  /* bare `*` */
    }
  }
  int line = ps->cur.line, col = ps->cur.col;
  const char *name = expect_name(ps, "expected parameter name");
  if (!name) return false;
  if (!add_unique(ps, seen, name, line, col, "duplicate parameter")) return false;
  if (!lambda && at_op(ps, ":")) {
    advance(ps);
    if (!parse_expr(ps)) return false;
  }
  if (star || dstar) {
    if (at_op(ps, "=")) return FAIL(ps, "var-positional argument cannot have default value");
    if (star) s->vararg = name;
    else s->kwarg = name;
    return true;
  }
  if (s->kwarg) return fail_at(ps, line, col, "arguments cannot follow var-keyword argument");
  sf_expr *dflt = NULL;
  if (at_op(ps, "=")) {
    advance(ps);
    if (!(dflt = parse_expr(ps))) return false;
  } else if (!*star_seen && s->nparams > 0 && s->defaults[s->nparams - 1]) {
    return fail_at(ps, line, col, "non-default argument follows default argument");
  }
  int n = s->nparams;
  if (!push_expr(ps, &s->defaults, &n, dflt)) return false;
  return push_name(ps, &s->params, &s->nparams, name);
}

/* Parameters up to close (")" for def, ":" for lambda). */
static bool parse_params(parser *ps, sf_stmt *s, const char *close, bool lambda) {
  name_set seen = {0};
  bool star_seen = false;
  while (!at_op(ps, close)) {
    if (!parse_param(ps, s, &seen, &star_seen, lambda)) return false;
    if (!at_op(ps, ",")) break;
    advance(ps);
  }
  if (!star_seen) s->nposparams = s->nparams;
  return true;
}

static bool parse_lambda_def(parser *ps, sf_stmt *def) {
  if (!parse_params(ps, def, ":", true)) return false;
  if (!expect_op(ps, ":", "expected ':' after lambda parameters")) return false;
  sf_stmt *ret = new_stmt(ps, SF_ST_RETURN, ps->cur.line, ps->cur.col);
  int cap = 0;
  if (!ret || !(ret->value = parse_expr(ps))) return false;
  return push_stmt(ps, &def->body, &def->nbody, &cap, ret);
}

/* `def name(params): body`; decorators were parsed by the caller. */
static bool parse_def(parser *ps, sf_stmt *s) {
  advance(ps);  /* 'def' */
  if (!(s->name = expect_name(ps, "expected function name after 'def'"))) return false;
  if (!expect_op(ps, "(", "expected '(' after function name")) return false;
  if (!parse_params(ps, s, ")", false)) return false;
  if (!expect_op(ps, ")", "expected ')' after parameters")) return false;
  if (at_op(ps, "->")) {
    advance(ps);
    if (!parse_expr(ps)) return false;
  }
  if (!at_op(ps, ":")) return FAIL(ps, "expected ':' after function signature");
  int loops = ps->loop_depth;
  ps->fn_depth++;
  ps->loop_depth = 0;
  bool ok = parse_block(ps, &s->body, &s->nbody, "def");
  ps->fn_depth--;
  ps->loop_depth = loops;
  return ok;
}

/* `class Name(bases): body`. */
static bool parse_class(parser *ps, sf_stmt *s) {
  advance(ps);  /* 'class' */
  if (!(s->name = expect_name(ps, "expected class name after 'class'"))) return false;
  if (at_op(ps, "(")) {
    advance(ps);
    while (!at_op(ps, ")")) {
      if (ps->cur.kind == SF_TK_NAME && sf_tok_is_op(peek(ps), "=")) return FAIL(ps, "unsupported class keyword argument");
      sf_expr *b = parse_expr(ps);
      if (!b || !push_expr(ps, &s->lhs, &s->nlhs, b)) return false;
      if (!at_op(ps, ",")) break;
      advance(ps);
    }
    if (!expect_op(ps, ")", "expected ')' after base classes")) return false;
  }
  int loops = ps->loop_depth;
  ps->loop_depth = 0;
  bool ok = parse_block(ps, &s->body, &s->nbody, "class");
  ps->loop_depth = loops;
  return ok;
}

/* `@decorator NEWLINE`... `def ...` or `class ...`. */
static sf_stmt *parse_decorated(parser *ps) {
  sf_expr **decorators = NULL;
  int ndecorators = 0;
  while (at_op(ps, "@")) {
    advance(ps);
    sf_expr *d = parse_expr(ps);
    if (!d || !push_expr(ps, &decorators, &ndecorators, d)) return NULL;
    if (ps->cur.kind != SF_TK_NEWLINE) return FAIL(ps, "expected newline after decorator"), NULL;
    advance(ps);
  }
  bool cls = at_name(ps, "class");
  if (!cls && !at_name(ps, "def")) return FAIL(ps, "expected 'def' or 'class' after decorator"), NULL;
  sf_stmt *s = new_stmt(ps, cls ? SF_ST_CLASS : SF_ST_DEF, ps->cur.line, ps->cur.col);
  if (!s) return NULL;
  s->decorators = decorators;
  s->ndecorators = ndecorators;
  return (cls ? parse_class(ps, s) : parse_def(ps, s)) ? s : NULL;
}

/* One statement (compound, or a line of simple statements), appended to list. */
static bool parse_statement(parser *ps, sf_stmt ***list, int *n, int *cap) {
  while (ps->cur.kind == SF_TK_NEWLINE) advance(ps);  /* after a lone continuation */
  if (ps->cur.kind == SF_TK_DEDENT || ps->cur.kind == SF_TK_EOF) return true;
  if (ps->cur.kind == SF_TK_INDENT) return FAIL(ps, "unexpected indent");
  sf_stmt *s;
  if (at_op(ps, "@") || at_name(ps, "def") || at_name(ps, "class")) s = parse_decorated(ps);
  else if (at_name(ps, "if")) s = parse_if(ps);
  else if (at_name(ps, "while")) s = parse_while(ps);
  else if (at_name(ps, "for")) s = parse_for(ps);
  else if (at_name(ps, "try")) s = parse_try(ps);
  else if (at_name(ps, "with")) s = parse_with(ps);
  else return parse_simple_line(ps, list, n, cap);
  return s && push_stmt(ps, list, n, cap, s);
}

static bool parse_program(parser *ps) {
  advance(ps);
  while (ps->cur.kind != SF_TK_EOF) {
    if (ps->cur.kind == SF_TK_ERROR) return FAIL(ps, "invalid token");
    if (ps->cur.kind == SF_TK_DEDENT) return FAIL(ps, "unexpected dedent");
    if (!parse_statement(ps, &ps->p->stmts, &ps->p->n, &ps->p->cap)) return false;
  }
  return true;
}

/* ---- the program text ---- */

/* Copies text into the arena and records where each line starts. */
static bool copy_text(parser *ps, const char *text, size_t len) {
  sf_program *p = ps->p;
  char *copy = sf_arena_strndup(&p->arena, text, len);
  if (!copy) return out_of_memory(ps);
  size_t nlines = len > 0;
  for (size_t k = 0; k + 1 < len; k++) nlines += copy[k] == '\n';
  p->lines = sf_arena_alloc(&p->arena, (nlines ? nlines : 1) * sizeof *p->lines);
  if (!p->lines) return out_of_memory(ps);
  size_t n = 0;
  if (len > 0) p->lines[n++] = copy;
  for (size_t k = 0; k + 1 < len; k++)
    if (copy[k] == '\n') p->lines[n++] = copy + k + 1;
  p->text = copy;
  p->nlines = (int)nlines;
  return true;
}

sf_program *sf_program_parse(const char *filename, const char *text, sf_error *err) {
  sf_program *p = sf_program_new(filename);
  if (!p) {
    sf_error_set(err, SF_ENOMEM, "out of memory");
    return NULL;
  }
  parser *ps = calloc(1, sizeof *ps);
  size_t len = strlen(text);
  bool ok = false;
  if (!ps) {
    sf_error_set(err, SF_ENOMEM, "out of memory");
  } else if (len > INT_MAX / 8) {
    sf_error_set(err, SF_ELIMIT, "program text is too large");
  } else {
    ps->p = p;
    ok = copy_text(ps, text, len);
    if (ok) {
      sf_lexer_init(&ps->lx, p, p->text);
      ok = parse_program(ps);
    }
    if (!ok && err) *err = ps->err;
  }
  free(ps);
  if (!ok) {
    sf_program_free(p);
    return NULL;
  }
  if (err) sf_error_clear(err);
  return p;
}
