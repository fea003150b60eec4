/* parser.c — recursive-descent parser from program text to the AST of program.h: the
 * Python subset seedflow runs (assignments, calls, imports, decorated defs, arithmetic).
 * Anything outside the subset is a syntax error that names the unsupported construct. */
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
  sf_error err;
} parser;

static const char *const keywords[] = {
    "False",  "None",   "True",    "and",      "as",     "assert", "async", "await",
    "break",  "class",  "continue", "def",     "del",    "elif",   "else",  "except",
    "finally", "for",   "from",    "global",   "if",     "import", "in",    "is",
    "lambda", "nonlocal", "not",   "or",       "pass",   "raise",  "return", "try",
    "while",  "with",   "yield",
};

/* Statements outside the subset, reported as "unsupported statement '...'". */
static const char *const unsupported_statements[] = {
    "assert", "async", "break", "class", "continue", "del", "elif", "else", "except",
    "finally", "for", "global", "if", "nonlocal", "raise", "try", "while", "with", "yield",
};

/* Binary operators outside the subset, reported as "unsupported operator '...'". */
static const char *const unsupported_operators[] = {
    "%", "//", "@", "<<", ">>", "&", "|", "^", "<", ">", "<=", ">=", "==", "!=", ":=",
    "and", "or", "in", "is", "not",
};

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

/* Adjacent string literals concatenate, as in Python (in a buffer that doubles). */
static sf_expr *parse_strings(parser *ps) {
  sf_expr *e = new_expr(ps, SF_EX_STR, ps->cur.line, ps->cur.col);
  if (!e) return NULL;
  e->name = ps->cur.str;
  advance(ps);
  if (ps->cur.kind != SF_TK_STR) return e;
  size_t n = strlen(e->name), cap = 2 * n + 64;
  char *buf = malloc(cap);
  if (buf) memcpy(buf, e->name, n);
  while (buf && ps->cur.kind == SF_TK_STR) {
    size_t len = strlen(ps->cur.str);
    if (n + len + 1 > cap) {
      cap = 2 * (n + len + 1);
      char *nb = realloc(buf, cap);
      if (!nb) free(buf);
      buf = nb;
      if (!buf) break;
    }
    memcpy(buf + n, ps->cur.str, len);
    n += len;
    advance(ps);
  }
  e->name = buf ? sf_arena_strndup(&ps->p->arena, buf, n) : NULL;
  free(buf);
  if (!e->name) return out_of_memory(ps), NULL;
  return e;
}

/* Items of a list or parenthesized tuple up to the closing bracket (not consumed).
 * *trailing tells whether the last item was followed by a comma. */
static bool parse_items(parser *ps, sf_expr *seq, const char *close, const char *msg, bool *trailing) {
  int height = 0;
  *trailing = false;
  while (!at_op(ps, close)) {
    sf_expr *item = parse_expr(ps);
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

static sf_expr *parse_list(parser *ps) {
  sf_expr *e = new_expr(ps, SF_EX_LIST, ps->cur.line, ps->cur.col);
  bool trailing;
  advance(ps);
  if (!e || !parse_items(ps, e, "]", "expected ']' after list elements", &trailing)) return NULL;
  advance(ps);
  return set_height(ps, ps->height + 1, e->line, e->col) ? e : NULL;
}

/* `(expr)`, `()`, `(a,)`, `(a, b)`. */
static sf_expr *parse_paren(parser *ps) {
  int line = ps->cur.line, col = ps->cur.col;
  advance(ps);
  sf_expr *t = new_expr(ps, SF_EX_TUPLE, line, col);
  bool trailing;
  if (!t || !parse_items(ps, t, ")", "expected ')' after expression", &trailing)) return NULL;
  advance(ps);
  if (t->nitems == 1 && !trailing) return t->items[0];  /* keeps the item's height */
  return set_height(ps, ps->height + 1, line, col) ? t : NULL;
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
  if (sf_tok_is_name(t, "not")) return FAIL(ps, "unsupported operator 'not'"), NULL;
  if (sf_tok_is_name(t, "lambda") || sf_tok_is_name(t, "yield") || sf_tok_is_name(t, "await"))
    return FAIL(ps, "unsupported expression '%.*s'", (int)t->len, t->text), NULL;
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
      return parse_strings(ps);
    default:
      break;
  }
  if (at_op(ps, "(")) return parse_paren(ps);
  if (at_op(ps, "[")) return parse_list(ps);
  if (at_op(ps, "{")) return FAIL(ps, "unsupported dict or set literal"), NULL;
  if (at_op(ps, "...")) return FAIL(ps, "unsupported expression '...'"), NULL;
  if (at_op(ps, "*") || at_op(ps, "**")) return FAIL(ps, "unsupported star expression"), NULL;
  if (at_op(ps, "~")) return FAIL(ps, "unsupported operator '~'"), NULL;
  return FAIL(ps, "expected expression"), NULL;
}

/* Appends name=value to a call's keyword arguments. */
static bool push_keyword(parser *ps, sf_expr *call, const char *name, sf_expr *value) {
  int n = call->nkw;
  if (!push_name(ps, &call->kwnames, &n, name)) return false;
  n = call->nkw;
  if (!push_expr(ps, &call->kwargs, &n, value)) return false;
  call->nkw = n;
  return true;
}

/* One argument of a call: `name=value` or a positional expression. */
static bool parse_argument(parser *ps, sf_expr *call, name_set *seen) {
  if (at_op(ps, "*") || at_op(ps, "**")) return FAIL(ps, "unsupported argument unpacking '%.*s'", (int)ps->cur.len, ps->cur.text);
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
  sf_expr *arg = parse_expr(ps);
  if (!arg) return false;
  if (call->nkw > 0) return fail_at(ps, line, col, "positional argument follows keyword argument");
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

/* An atom followed by any number of `.name` and `(args)`. */
static sf_expr *parse_postfix(parser *ps) {
  int line = ps->cur.line, col = ps->cur.col;
  sf_expr *e = parse_atom(ps);
  while (e) {
    if (at_op(ps, ".")) e = parse_attribute(ps, e, line, col);
    else if (at_op(ps, "(")) e = parse_call(ps, e, line, col);
    else if (at_op(ps, "[")) return FAIL(ps, "unsupported subscript"), NULL;
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

/* postfix ['**' unary]: '**' is folded when both sides are integer literals. */
static sf_expr *parse_power(parser *ps) {
  sf_expr *e = parse_postfix(ps);
  if (!e || !at_op(ps, "**")) return e;
  int line = ps->cur.line, col = ps->cur.col;
  advance(ps);
  sf_expr *x = parse_unary(ps);
  if (!x) return NULL;
  if (e->kind != SF_EX_INT || x->kind != SF_EX_INT)
    return fail_at(ps, line, col, "unsupported operator '**' (only between integer literals)"), NULL;
  if (!int_power(e->i, x->i, &e->i)) return fail_at(ps, e->line, e->col, "integer too large"), NULL;
  ps->height = 1;
  return e;
}

static sf_expr *parse_unary_inner(parser *ps) {
  if (!at_op(ps, "-") && !at_op(ps, "+")) return parse_power(ps);
  bool neg = at_op(ps, "-");
  int line = ps->cur.line, col = ps->cur.col;
  advance(ps);
  sf_expr *operand = parse_unary(ps);
  if (!operand || !neg) return operand;  /* unary plus is the identity */
  sf_expr *e = new_expr(ps, SF_EX_NEG, line, col);
  if (!e || !set_height(ps, ps->height + 1, line, col)) return NULL;
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

/* Left-associative binary operators ops[] over operands from next(). */
static sf_expr *parse_binary(parser *ps, const char *ops, sf_expr *(*next)(parser *)) {
  int line = ps->cur.line, col = ps->cur.col;
  sf_expr *e = next(ps);
  while (e && ps->cur.kind == SF_TK_OP && ps->cur.len == 1 && strchr(ops, ps->cur.text[0])) {
    char op = ps->cur.text[0];
    int lhs_height = ps->height, op_line = ps->cur.line, op_col = ps->cur.col;
    advance(ps);
    sf_expr *rhs = next(ps);
    sf_expr *b = rhs ? new_expr(ps, SF_EX_BINOP, line, col) : NULL;
    if (!b || !set_height(ps, max_int(lhs_height, ps->height) + 1, op_line, op_col)) return NULL;
    b->op = op;
    b->base = e;
    b->rhs = rhs;
    e = b;
  }
  return e;
}

static sf_expr *parse_term(parser *ps) { return parse_binary(ps, "*/", parse_unary); }

/* An expression; a following operator outside the subset is reported by name. */
static sf_expr *parse_expr(parser *ps) {
  sf_expr *e = parse_binary(ps, "+-", parse_term);
  if (!e) return NULL;
  if (IN_LIST(&ps->cur, unsupported_operators))
    return FAIL(ps, "unsupported operator '%.*s'", (int)ps->cur.len, ps->cur.text), NULL;
  if (at_name(ps, "if")) return FAIL(ps, "unsupported conditional expression"), NULL;
  if (at_name(ps, "for") || at_name(ps, "async")) return FAIL(ps, "unsupported comprehension"), NULL;
  return e;
}

/* expr {',' expr} [','] — a bare tuple when there is a comma (statement level). */
static sf_expr *parse_expr_list(parser *ps) {
  int line = ps->cur.line, col = ps->cur.col;
  sf_expr *e = parse_expr(ps);
  if (!e || !at_op(ps, ",")) return e;
  int height = ps->height;
  sf_expr *t = new_expr(ps, SF_EX_TUPLE, line, col);
  if (!t || sf_ast_push_item(ps->p, t, e) != SF_OK) return out_of_memory(ps), NULL;
  while (at_op(ps, ",")) {
    advance(ps);
    if (ps->cur.kind == SF_TK_NEWLINE || at_op(ps, "=") || at_op(ps, ";") || ps->cur.kind == SF_TK_EOF) break;
    if (!(e = parse_expr(ps))) return NULL;
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

/* Turns the left side of `=` into target names: a name or a tuple of at least two names. */
static bool assignment_targets(parser *ps, sf_stmt *s, const sf_expr *lhs) {
  if (lhs->kind == SF_EX_NAME) return push_name(ps, &s->targets, &s->ntargets, lhs->name);
  if (lhs->kind != SF_EX_TUPLE && lhs->kind != SF_EX_LIST)
    return fail_at(ps, lhs->line, lhs->col, "unsupported assignment target");
  if (lhs->nitems == 1) return fail_at(ps, lhs->line, lhs->col, "unsupported single-element tuple target");
  if (lhs->nitems == 0) return fail_at(ps, lhs->line, lhs->col, "unsupported assignment target");
  for (int k = 0; k < lhs->nitems; k++) {
    const sf_expr *t = lhs->items[k];
    if (t->kind != SF_EX_NAME) return fail_at(ps, t->line, t->col, "unsupported assignment target");
    if (!push_name(ps, &s->targets, &s->ntargets, t->name)) return false;
  }
  return true;
}

/* An expression statement or an assignment. */
static sf_stmt *parse_expr_statement(parser *ps) {
  int line = ps->cur.line, col = ps->cur.col;
  sf_expr *e = parse_expr_list(ps);
  if (!e) return NULL;
  if (IN_LIST(&ps->cur, augmented_assignments))
    return FAIL(ps, "unsupported operator '%.*s'", (int)ps->cur.len, ps->cur.text), NULL;
  if (at_op(ps, ":")) return FAIL(ps, "unsupported annotated assignment"), NULL;
  sf_stmt *s = new_stmt(ps, at_op(ps, "=") ? SF_ST_ASSIGN : SF_ST_EXPR, line, col);
  if (!s) return NULL;
  if (s->kind == SF_ST_EXPR) {
    s->value = e;
    return s;
  }
  if (!assignment_targets(ps, s, e)) return NULL;
  advance(ps);  /* '=' */
  if (!(s->value = parse_expr_list(ps))) return NULL;
  if (at_op(ps, "=")) return FAIL(ps, "unsupported chained assignment"), NULL;
  if (IN_LIST(&ps->cur, augmented_assignments)) return FAIL(ps, "unsupported operator '%.*s'", (int)ps->cur.len, ps->cur.text), NULL;
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
  if (paren && !expect_op(ps, ")", "expected ')' after imported names")) return NULL;
  return s;
}

static sf_stmt *parse_return(parser *ps) {
  if (ps->fn_depth == 0) return FAIL(ps, "'return' outside function"), NULL;
  sf_stmt *s = new_stmt(ps, SF_ST_RETURN, ps->cur.line, ps->cur.col);
  if (!s) return NULL;
  advance(ps);
  if (ps->cur.kind != SF_TK_NEWLINE && !at_op(ps, ";") && !(s->value = parse_expr_list(ps))) return NULL;
  return s;
}

static sf_stmt *parse_pass(parser *ps) {
  sf_stmt *s = new_stmt(ps, SF_ST_PASS, ps->cur.line, ps->cur.col);
  if (s) advance(ps);
  return s;
}

/* A simple (one-line) statement, appended to list. */
static bool parse_simple_statement(parser *ps, sf_stmt ***list, int *n, int *cap) {
  sf_stmt *s;
  const sf_token *t = &ps->cur;
  if (sf_tok_is_name(t, "import")) return parse_import(ps, list, n, cap);
  if (sf_tok_is_name(t, "from")) s = parse_from_import(ps);
  else if (sf_tok_is_name(t, "return")) s = parse_return(ps);
  else if (sf_tok_is_name(t, "pass")) s = parse_pass(ps);
  else if (sf_tok_is_name(t, "def") || sf_tok_is_op(t, "@")) return FAIL(ps, "compound statement must start a line");
  else if (IN_LIST(t, unsupported_statements)) return FAIL(ps, "unsupported statement '%.*s'", (int)t->len, t->text);
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
  if (ps->cur.kind != SF_TK_NEWLINE) return FAIL(ps, "expected newline after statement");
  advance(ps);
  return true;
}

/* The body after `def ...:` — an indented block or simple statements on the same line. */
static bool parse_block(parser *ps, sf_stmt *def) {
  int cap = 0;
  if (ps->cur.kind != SF_TK_NEWLINE) return parse_simple_line(ps, &def->body, &def->nbody, &cap);
  advance(ps);
  if (ps->cur.kind != SF_TK_INDENT) return FAIL(ps, "expected an indented block after 'def'");
  advance(ps);
  while (ps->cur.kind != SF_TK_DEDENT) {
    if (ps->cur.kind == SF_TK_EOF) return FAIL(ps, "unexpected end of file");
    if (!parse_statement(ps, &def->body, &def->nbody, &cap)) return false;
  }
  if (def->nbody == 0) return FAIL(ps, "expected an indented block after 'def'");  /* only a `\` line */
  advance(ps);
  return true;
}

/* One parameter: a plain name; defaults, annotations and star parameters are rejected. */
static bool parse_param(parser *ps, sf_stmt *s, name_set *seen) {
  if (at_op(ps, "*") || at_op(ps, "**") || at_op(ps, "/"))
    return FAIL(ps, "unsupported parameter '%.*s'", (int)ps->cur.len, ps->cur.text);
  int line = ps->cur.line, col = ps->cur.col;
  const char *name = expect_name(ps, "expected parameter name");
  if (!name) return false;
  if (!add_unique(ps, seen, name, line, col, "duplicate parameter")) return false;
  if (at_op(ps, "=")) return FAIL(ps, "unsupported default parameter value");
  if (at_op(ps, ":")) return FAIL(ps, "unsupported parameter annotation");
  return push_name(ps, &s->params, &s->nparams, name);
}

/* `def name(params): body`; decorators were parsed by the caller. */
static bool parse_def(parser *ps, sf_stmt *s) {
  advance(ps);  /* 'def' */
  if (!(s->name = expect_name(ps, "expected function name after 'def'"))) return false;
  if (!expect_op(ps, "(", "expected '(' after function name")) return false;
  name_set seen = {0};
  while (!at_op(ps, ")")) {
    if (!parse_param(ps, s, &seen)) return false;
    if (!at_op(ps, ",")) break;
    advance(ps);
  }
  if (!expect_op(ps, ")", "expected ')' after parameters")) return false;
  if (at_op(ps, "->")) return FAIL(ps, "unsupported return annotation");
  if (!expect_op(ps, ":", "expected ':' after function signature")) return false;
  ps->fn_depth++;
  bool ok = parse_block(ps, s);
  ps->fn_depth--;
  return ok;
}

/* `@decorator NEWLINE`... `def ...`. */
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
  if (at_name(ps, "class")) return FAIL(ps, "unsupported statement 'class'"), NULL;
  if (!at_name(ps, "def")) return FAIL(ps, "expected 'def' after decorator"), NULL;
  sf_stmt *s = new_stmt(ps, SF_ST_DEF, ps->cur.line, ps->cur.col);
  if (!s) return NULL;
  s->decorators = decorators;
  s->ndecorators = ndecorators;
  return parse_def(ps, s) ? s : NULL;
}

/* One statement (a def, or a line of simple statements), appended to list. */
static bool parse_statement(parser *ps, sf_stmt ***list, int *n, int *cap) {
  while (ps->cur.kind == SF_TK_NEWLINE) advance(ps);  /* after a lone continuation */
  if (ps->cur.kind == SF_TK_DEDENT || ps->cur.kind == SF_TK_EOF) return true;
  if (ps->cur.kind == SF_TK_INDENT) return FAIL(ps, "unexpected indent");
  if (at_op(ps, "@") || at_name(ps, "def")) {
    sf_stmt *s = parse_decorated(ps);
    return s && push_stmt(ps, list, n, cap, s);
  }
  return parse_simple_line(ps, list, n, cap);
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
