/* program_internal.h — the program object behind program.h, shared by the parser and
 * the builders. */
#ifndef SEEDFLOW_PROGRAM_INTERNAL_H
#define SEEDFLOW_PROGRAM_INTERNAL_H

#include "seedflow/program.h"
#include "engine/arena.h"

struct sf_program {
  sf_arena arena;
  const char *filename;
  const char *text;         /* source text (arena copy), NULL when built from C */
  const char **lines;       /* start of each line in text */
  int nlines;
  sf_stmt **stmts;
  int n, cap;
};

/* Appends s to a statement list that grows in p's arena. */
sf_status sf_stmt_list_push(sf_program *p, sf_stmt ***list, int *n, int *cap, sf_stmt *s);
sf_expr *sf_ast_new(sf_program *p, sf_expr_kind kind, int line, int col);
sf_status sf_ast_push_item(sf_program *p, sf_expr *list, sf_expr *item);

#endif
