/* program.c — program objects and the C builders of program.h. The parser (parser.c)
 * fills the same structures from text. */
#include "program_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

sf_program *sf_program_new(const char *filename) {
  sf_program *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  p->filename = sf_arena_strdup(&p->arena, filename ? filename : "<program>");
  if (!p->filename) {
    free(p);
    return NULL;
  }
  return p;
}

void sf_program_free(sf_program *p) {
  if (!p) return;
  sf_arena_free(&p->arena);
  free(p);
}

const char *sf_program_filename(const sf_program *p) { return p->filename; }
int sf_program_count(const sf_program *p) { return p->n; }
sf_stmt *sf_program_stmt(const sf_program *p, int i) { return i >= 0 && i < p->n ? p->stmts[i] : NULL; }

const char *sf_program_line(const sf_program *p, int n, int *len) {
  if (!p->text || n < 1 || n > p->nlines) return NULL;
  const char *s = p->lines[n - 1];
  const char *e = strchr(s, '\n');
  *len = e ? (int)(e - s) : (int)strlen(s);
  if (*len > 0 && s[*len - 1] == '\r') (*len)--;
  return s;
}

sf_program *sf_program_parse_n(const char *filename, const char *text, size_t len, sf_error *err) {
  const char *nul = memchr(text, '\0', len);
  if (nul) { /* CPython: "source code cannot contain null bytes", at the byte's position */
    int line = 1, col = 1;
    for (const char *s = text; s < nul; s++) {
      if (*s == '\n') line++, col = 1;
      else if ((*s & 0xC0) != 0x80) col++;
    }
    sf_error_at(err, line, col, SF_ESYNTAX, "source code cannot contain null bytes");
    return NULL;
  }
  char *buf = malloc(len + 1);
  if (!buf) {
    sf_error_set(err, SF_ENOMEM, "out of memory");
    return NULL;
  }
  memcpy(buf, text, len);
  buf[len] = '\0';
  sf_program *p = sf_program_parse(filename, buf, err);
  free(buf);
  return p;
}

sf_program *sf_program_parse_file(const char *path, sf_error *err) {
  FILE *f = fopen(path, "rb");
  struct stat st;
  if (!f || (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode) && (errno = EISDIR))) {
    sf_error_set(err, SF_EIO, "cannot open '%s': %s", path, strerror(errno));
    if (f) fclose(f);
    return NULL;
  }
  enum { MAX_SOURCE = 16 << 20 };
  char *buf = NULL;
  size_t len = 0, cap = 0;
  bool nomem = false;
  for (;;) {
    if (len + 4096 + 1 > cap) {
      cap = cap ? cap * 2 : 8192;
      char *nb = realloc(buf, cap);
      if (!nb) {
        nomem = true;
        break;
      }
      buf = nb;
    }
    size_t got = fread(buf + len, 1, cap - len - 1, f);
    len += got;
    if (got == 0 || len > MAX_SOURCE) break;
  }
  int e = ferror(f) ? errno : 0;
  fclose(f);
  sf_program *p = NULL;
  if (e) sf_error_set(err, SF_EIO, "cannot read '%s': %s", path, strerror(e));
  else if (nomem) sf_error_set(err, SF_ENOMEM, "out of memory reading '%s'", path);
  else if (len > MAX_SOURCE) sf_error_set(err, SF_ELIMIT, "'%s' is larger than 16 MiB (seedflow's source size limit)", path);
  else p = sf_program_parse_n(path, buf, len, err);
  free(buf);
  return p;
}

sf_status sf_stmt_list_push(sf_program *p, sf_stmt ***list, int *n, int *cap, sf_stmt *s) {
  if (*n == *cap) {
    int nc = *cap ? *cap * 2 : 8;
    sf_stmt **nl = sf_arena_grow(&p->arena, *list, (size_t)*n, (size_t)nc, sizeof **list);
    if (!nl) return SF_ENOMEM;
    *list = nl;
    *cap = nc;
  }
  (*list)[(*n)++] = s;
  return SF_OK;
}

sf_expr *sf_ast_new(sf_program *p, sf_expr_kind kind, int line, int col) {
  sf_expr *e = sf_arena_alloc(&p->arena, sizeof *e);
  if (e) {
    e->kind = kind;
    e->line = line;
    e->col = col;
  }
  return e;
}

sf_status sf_ast_push_item(sf_program *p, sf_expr *list, sf_expr *item) {
  /* Arrays grow in powers of two; capacity is implied by nitems. */
  int n = list->nitems;
  if ((n & (n - 1)) == 0) {
    sf_expr **ni = sf_arena_grow(&p->arena, list->items, (size_t)n, (size_t)(n ? 2 * n : 1), sizeof *ni);
    if (!ni) return SF_ENOMEM;
    list->items = ni;
  }
  list->items[list->nitems++] = item;
  return SF_OK;
}

sf_expr *sf_ast_name(sf_program *p, const char *dotted) {
  sf_expr *e = NULL;
  const char *s = dotted;
  for (;;) {
    const char *dot = strchr(s, '.');
    size_t len = dot ? (size_t)(dot - s) : strlen(s);
    sf_expr *x = sf_ast_new(p, e ? SF_EX_ATTR : SF_EX_NAME, 0, 0);
    if (!x || !(x->name = sf_arena_strndup(&p->arena, s, len))) return NULL;
    x->base = e;
    e = x;
    if (!dot) return e;
    s = dot + 1;
  }
}

sf_expr *sf_ast_int(sf_program *p, int64_t v) {
  sf_expr *e = sf_ast_new(p, SF_EX_INT, 0, 0);
  if (e) e->i = v;
  return e;
}

sf_expr *sf_ast_float(sf_program *p, double v) {
  sf_expr *e = sf_ast_new(p, SF_EX_FLOAT, 0, 0);
  if (e) e->f = v;
  return e;
}

sf_expr *sf_ast_str(sf_program *p, const char *s) {
  sf_expr *e = sf_ast_new(p, SF_EX_STR, 0, 0);
  if (e && !(e->name = sf_arena_strdup(&p->arena, s))) return NULL;
  return e;
}

sf_expr *sf_ast_bool(sf_program *p, bool v) {
  sf_expr *e = sf_ast_new(p, SF_EX_BOOL, 0, 0);
  if (e) e->b = v;
  return e;
}

sf_expr *sf_ast_none(sf_program *p) { return sf_ast_new(p, SF_EX_NONE, 0, 0); }

static sf_expr *seq(sf_program *p, sf_expr_kind kind, sf_expr *e, int n, va_list ap) {
  if (!e) e = sf_ast_new(p, kind, 0, 0);
  for (int i = 0; e && i < n; i++) {
    sf_expr *item = va_arg(ap, sf_expr *);
    if (!item || sf_ast_push_item(p, e, item) != SF_OK) e = NULL;
  }
  return e;
}

sf_expr *sf_ast_list(sf_program *p, int n, ...) {
  va_list ap;
  va_start(ap, n);
  sf_expr *e = seq(p, SF_EX_LIST, NULL, n, ap);
  va_end(ap);
  return e;
}

sf_expr *sf_ast_tuple(sf_program *p, int n, ...) {
  va_list ap;
  va_start(ap, n);
  sf_expr *e = seq(p, SF_EX_TUPLE, NULL, n, ap);
  va_end(ap);
  return e;
}

sf_expr *sf_ast_call(sf_program *p, sf_expr *fn, int n, ...) {
  if (!fn) return NULL;
  sf_expr *call = sf_ast_new(p, SF_EX_CALL, fn->line, fn->col);
  if (!call) return NULL;
  call->base = fn;
  va_list ap;
  va_start(ap, n);
  call = seq(p, SF_EX_CALL, call, n, ap);
  va_end(ap);
  return call;
}

sf_expr *sf_ast_kw(sf_program *p, sf_expr *call, const char *name, sf_expr *value) {
  if (!call || !value) return NULL;
  int n = call->nkw;
  const char **nn = sf_arena_grow(&p->arena, call->kwnames, (size_t)n, (size_t)n + 1, sizeof *nn);
  sf_expr **nv = sf_arena_grow(&p->arena, call->kwargs, (size_t)n, (size_t)n + 1, sizeof *nv);
  if (!nn || !nv || !(nn[n] = sf_arena_strdup(&p->arena, name))) return NULL;
  nv[n] = value;
  call->kwnames = nn;
  call->kwargs = nv;
  call->nkw = n + 1;
  return call;
}

sf_expr *sf_ast_binop(sf_program *p, char op, sf_expr *a, sf_expr *b) {
  if (!a || !b) return NULL;
  sf_expr *e = sf_ast_new(p, SF_EX_BINOP, a->line, a->col);
  if (e) {
    e->op = op;
    e->base = a;
    e->rhs = b;
  }
  return e;
}

sf_expr *sf_ast_neg(sf_program *p, sf_expr *a) {
  if (!a) return NULL;
  sf_expr *e = sf_ast_new(p, SF_EX_NEG, a->line, a->col);
  if (e) e->base = a;
  return e;
}

sf_status sf_program_add(sf_program *p, const char *target, sf_expr *value) {
  if (!value) return SF_ENOMEM;
  sf_stmt *s = sf_arena_alloc(&p->arena, sizeof *s);
  if (!s) return SF_ENOMEM;
  s->kind = target ? SF_ST_ASSIGN : SF_ST_EXPR;
  s->value = value;
  s->line = value->line;
  s->col = value->col;
  if (target) {
    s->targets = sf_arena_alloc(&p->arena, sizeof *s->targets);
    if (!s->targets || !(s->targets[0] = sf_arena_strdup(&p->arena, target))) return SF_ENOMEM;
    s->ntargets = 1;
  }
  return sf_stmt_list_push(p, &p->stmts, &p->n, &p->cap, s);
}

sf_status sf_program_add_print(sf_program *p, sf_expr *value) {
  return sf_program_add(p, NULL, sf_ast_call(p, sf_ast_name(p, "print"), 1, value));
}
