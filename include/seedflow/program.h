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
  SF_EX_NONE,   /* b: Ellipsis (`...`) instead of None */
  SF_EX_LIST,   /* items */
  SF_EX_TUPLE,  /* items */
  SF_EX_ATTR,   /* base.name */
  SF_EX_CALL,   /* base(items..., kwnames[k]=kwargs[k]...) */
  SF_EX_NEG,    /* -base */
  SF_EX_BINOP,  /* base op rhs; op one of + - * / % @ & | ^, F (//), P (**), L (<<), R (>>) */
  SF_EX_UNARY,  /* op base: op '+', '~' or '!' (not) */
  SF_EX_BOOLOP, /* items joined by op 'a' (and) or 'o' (or) */
  SF_EX_COMPARE,/* items[0] kwnames[0] items[1] kwnames[1] ...: "<" "==" "in" "not in" "is" "is not" */
  SF_EX_IFEXP,  /* items[1] if items[0] else items[2] */
  SF_EX_SUBSCRIPT, /* base[rhs] */
  SF_EX_SLICE,  /* items[0]:items[1]:items[2] (NULL when absent), inside a subscript */
  SF_EX_DICT,   /* {items[2k]: items[2k+1]}; a NULL key means **items[2k+1] */
  SF_EX_SET,    /* {items} */
  SF_EX_COMP,   /* comprehension: op 'l' list, 's' set, 'd' dict, 'g' generator; base element
                 * (dict: base key, rhs value); items: SF_EX_COMPFOR clauses */
  SF_EX_COMPFOR,/* for base in rhs if items... */
  SF_EX_LAMBDA, /* def: a statement of kind SF_ST_DEF whose body returns the expression */
  SF_EX_FSTRING,/* items: SF_EX_STR parts and SF_EX_FORMAT fields, concatenated */
  SF_EX_FORMAT, /* {base!op:rhs}: op 'r', 's', 'a' or 0; rhs the spec (an f-string) or NULL */
  SF_EX_STARRED,/* *base in a call, a list/tuple display or an assignment target */
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
  int nkw;                  /* kwnames[k] NULL: **kwargs[k] */
  struct sf_stmt *def;      /* SF_EX_LAMBDA */
} sf_expr;

typedef enum sf_stmt_kind {
  SF_ST_EXPR,    /* value (a bare call, e.g. print(x) or tf.random.set_seed(1)) */
  SF_ST_ASSIGN,  /* targets = value; ntargets > 1 for tuple targets */
  SF_ST_DEF,     /* decorators; def name(params): body */
  SF_ST_RETURN,  /* return value (value may be NULL) */
  SF_ST_IMPORT,  /* import x [as y] / from x import y: accepted, ignored */
  SF_ST_PASS,
  SF_ST_IF,       /* if value: body else orelse (elif is a nested IF in orelse) */
  SF_ST_WHILE,    /* while value: body else orelse */
  SF_ST_FOR,      /* for target in value: body else orelse */
  SF_ST_BREAK,
  SF_ST_CONTINUE,
  SF_ST_WITH,     /* with value as target: body (several items nest) */
  SF_ST_CLASS,    /* decorators; class name(bases in lhs): body */
  SF_ST_TRY,      /* try: body; handlers (EXCEPT); else: orelse; finally: finalbody */
  SF_ST_EXCEPT,   /* except value as name: body */
  SF_ST_RAISE,    /* raise value from target */
  SF_ST_ASSERT,   /* assert value, target */
  SF_ST_DEL,      /* del lhs... */
  SF_ST_GLOBAL,   /* global params... */
  SF_ST_NONLOCAL, /* nonlocal params... */
  SF_ST_AUGASSIGN,/* target op= value (op as in SF_EX_BINOP) */
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
  /* The general forms (the fields above keep their meaning for the simple ones). */
  sf_expr **lhs;            /* ASSIGN: every target of `a = b = value`; DEL; CLASS: bases */
  int nlhs;
  sf_expr *target;          /* FOR/WITH/AUGASSIGN target; RAISE cause; ASSERT message */
  char op;                  /* AUGASSIGN */
  struct sf_stmt **orelse, **handlers, **finalbody;
  int norelse, nhandlers, nfinalbody;
  bool has_finally;
  sf_expr **defaults;       /* DEF: default of params[i] or NULL */
  const char *vararg, *kwarg; /* DEF: *args and **kwargs names or NULL */
  int nposparams;           /* DEF: params before the keyword-only ones */
  bool is_lambda;
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
