/* program.h — a seedflow program: an ordered list of statements in a small subset of
 * Python + TensorFlow syntax, mode-agnostic. The parser builds one from text; C code can
 * build the same structures with the sf_ast_* constructors.
 * Ownership: every node of a program (statements, expressions, strings) lives in the
 * program's arena and is freed by sf_program_free(); nothing inside is freed alone. */
#ifndef SEEDFLOW_PROGRAM_H
#define SEEDFLOW_PROGRAM_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "status.h"

typedef enum sf_expr_kind {
  SF_EX_NAME,   /* name */
  SF_EX_INT,    /* i */
  SF_EX_FLOAT,  /* f */
  SF_EX_STR,    /* name holds the decoded string */
  SF_EX_BOOL,   /* b */
  SF_EX_NONE,
  SF_EX_LIST,   /* items */
  SF_EX_TUPLE,  /* items */
  SF_EX_ATTR,   /* base.name */
  SF_EX_CALL,   /* base(items..., kwnames[k]=kwargs[k]...) */
  SF_EX_NEG,    /* -base */
  SF_EX_BINOP,  /* base op rhs, op one of + - * / */
} sf_expr_kind;

typedef struct sf_expr {
  sf_expr_kind kind;
  int line, col;            /* 1-based position of the expression's first character */
  const char *name;
  int64_t i;
  double f;
  bool b;
  char op;
  struct sf_expr *base, *rhs;
  struct sf_expr **items;
  int nitems;
  const char **kwnames;
  struct sf_expr **kwargs;
  int nkw;
} sf_expr;

typedef enum sf_stmt_kind {
  SF_ST_EXPR,    /* value (a bare call, e.g. print(x) or tf.random.set_seed(1)) */
  SF_ST_ASSIGN,  /* targets = value; ntargets > 1 for tuple targets */
  SF_ST_DEF,     /* decorators; def name(params): body */
  SF_ST_RETURN,  /* return value (value may be NULL) */
  SF_ST_IMPORT,  /* import x [as y] / from x import y: accepted, ignored */
  SF_ST_PASS,
} sf_stmt_kind;

typedef struct sf_stmt {
  sf_stmt_kind kind;
  int line, col;
  const char **targets;
  int ntargets;
  sf_expr *value;
  const char *name;
  const char **params;
  int nparams;
  sf_expr **decorators;
  int ndecorators;
  struct sf_stmt **body;
  int nbody;
} sf_stmt;

typedef struct sf_program sf_program;

/* Parses text (NUL-terminated). filename is used in messages only. On failure returns
 * NULL and fills err with the line, column and a message like "expected ')'". */
SF_API sf_program *sf_program_parse(const char *filename, const char *text, sf_error *err);
/* Reads and parses a file. */
SF_API sf_program *sf_program_parse_file(const char *path, sf_error *err);
/* Parses len bytes of text (which may contain NUL bytes: a located syntax error, as CPython
 * reports "source code cannot contain null bytes"). */
SF_API sf_program *sf_program_parse_n(const char *filename, const char *text, size_t len, sf_error *err);
/* An empty program to fill from C. */
SF_API sf_program *sf_program_new(const char *filename);
SF_API void sf_program_free(sf_program *p);

SF_API const char *sf_program_filename(const sf_program *p);
/* Source line n (1-based) without its newline, or NULL; for error carets. */
SF_API const char *sf_program_line(const sf_program *p, int n, int *len);
SF_API int sf_program_count(const sf_program *p);
SF_API sf_stmt *sf_program_stmt(const sf_program *p, int i);

/* Builders (all memory from p's arena; NULL only when memory runs out). */
SF_API sf_expr *sf_ast_name(sf_program *p, const char *dotted);   /* "tf.random.normal" -> ATTR chain */
SF_API sf_expr *sf_ast_int(sf_program *p, int64_t v);
SF_API sf_expr *sf_ast_float(sf_program *p, double v);
SF_API sf_expr *sf_ast_str(sf_program *p, const char *s);
SF_API sf_expr *sf_ast_bool(sf_program *p, bool v);
SF_API sf_expr *sf_ast_none(sf_program *p);
/* List or tuple of n expressions given as varargs. */
SF_API sf_expr *sf_ast_list(sf_program *p, int n, ...);
SF_API sf_expr *sf_ast_tuple(sf_program *p, int n, ...);
/* Call of fn with n positional args given as varargs; add keywords with sf_ast_kw. */
SF_API sf_expr *sf_ast_call(sf_program *p, sf_expr *fn, int n, ...);
SF_API sf_expr *sf_ast_kw(sf_program *p, sf_expr *call, const char *name, sf_expr *value);
SF_API sf_expr *sf_ast_binop(sf_program *p, char op, sf_expr *a, sf_expr *b);
SF_API sf_expr *sf_ast_neg(sf_program *p, sf_expr *a);
/* Appends `target = value` (target NULL: a bare expression statement). */
SF_API sf_status sf_program_add(sf_program *p, const char *target, sf_expr *value);
/* Appends `print(value)`. */
SF_API sf_status sf_program_add_print(sf_program *p, sf_expr *value);

#endif
