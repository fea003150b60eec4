/* fuzz_parser.c — libFuzzer target for the parser and the interpreter: any bytes must
 * either parse into a well-formed AST or fail with a located syntax error, and a parsed
 * program must run in every mode or fail with a message — never crash, hang, leak or
 * report an internal error. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "seedflow/seedflow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int fuzz_one(const uint8_t *data, size_t size);

/* Aborts (a finding for the fuzzer) when an invariant of the AST does not hold. */
static void check(bool ok) {
  if (!ok) abort();
}

static void check_expr(const sf_expr *e) {
  check(e && e->line >= 1 && e->col >= 1);
  check(e->nitems >= 0 && e->nkw >= 0);
  for (int k = 0; k < e->nitems; k++)  /* slices and dict displays have NULL parts */
    if (e->items[k] || (e->kind != SF_EX_SLICE && e->kind != SF_EX_DICT)) check_expr(e->items[k]);
  for (int k = 0; k < e->nkw; k++) check_expr(e->kwargs[k]);  /* kwnames[k] NULL: **kwargs */
  switch (e->kind) {
    case SF_EX_NAME: case SF_EX_STR: check(e->name != NULL); break;
    case SF_EX_ATTR: check(e->name != NULL); check_expr(e->base); break;
    case SF_EX_CALL: case SF_EX_NEG: check_expr(e->base); break;
    case SF_EX_BINOP: check(strchr("+-*/%@&|^FPLR", e->op) && e->op); check_expr(e->base); check_expr(e->rhs); break;
    default: break;
  }
}

static void check_stmt(const sf_stmt *s) {
  check(s && s->line >= 1 && s->col >= 1);
  for (int k = 0; k < s->ntargets; k++) check(s->targets[k] != NULL);
  for (int k = 0; k < s->nparams; k++) check(s->params[k] != NULL);
  for (int k = 0; k < s->ndecorators; k++) check_expr(s->decorators[k]);
  for (int k = 0; k < s->nbody; k++) check_stmt(s->body[k]);
  switch (s->kind) {
    case SF_ST_EXPR: check_expr(s->value); break;
    case SF_ST_ASSIGN: check(s->nlhs >= 1 || s->ntargets >= 1); check_expr(s->value); break;
    case SF_ST_DEF: check(s->name && s->nbody >= 1); break;
    case SF_ST_RETURN: if (s->value) check_expr(s->value); break;
    case SF_ST_IMPORT: check(s->name != NULL); break;
    default: break;
  }
}

static void check_program(const sf_program *p) {
  for (int k = 0; k < sf_program_count(p); k++) check_stmt(sf_program_stmt(p, k));
  int len;
  for (int n = 1; sf_program_line(p, n, &len); n++) check(len >= 0);
}

/* Runs p in every mode and profile with a small tensor budget, so that no input can
 * allocate or compute for long; the eager run under tf2 takes the program's own mode (a
 * switch at its start runs it again in graph mode), the one under tf1 the mode asked for. */
static void run_all(const sf_program *p) {
  for (int mode = 0; mode < 3; mode++)
    for (int profile = 0; profile < 2; profile++) {
      sf_run_options o = {.mode = (sf_mode)mode, .profile = (sf_profile)profile, .max_elements = 1 << 12,
                          .time_limit = 0.25, .memory_limit = 64 << 20, .implicit_imports = true,
                          .program_mode = mode == SF_MODE_EAGER && profile == SF_PROFILE_TF2};
      sf_error err;
      memset(&err, 0, sizeof err);
      sf_trace *t = NULL;
      sf_status st = sf_run(p, &o, &t, &err);
      check(st == SF_OK ? err.code == SF_OK : err.msg[0] != '\0');
      check(st != SF_EINTERNAL); /* a broken invariant (a pass's, the releasing's) is a finding */
      sf_trace_free(t);
    }
}

/* Parses the input's bytes, NULs included (a NUL is a located syntax error, as in CPython),
 * and runs it; returns 0 when it parsed. */
int fuzz_one(const uint8_t *data, size_t size) {
  sf_error err;
  memset(&err, 0, sizeof err);
  sf_program *p = sf_program_parse_n("<fuzz>", (const char *)data, size, &err);
  if (p) {
    check(err.code == SF_OK);
    check_program(p);
    run_all(p);
  } else {
    check(err.code == SF_ESYNTAX || err.code == SF_ENOMEM);
    check(err.msg[0] != '\0' && err.line >= 1 && err.col >= 1);
  }
  sf_program_free(p);
  return p ? 0 : 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_one(data, size);
  return 0;
}
