/* lexer.h — the tokenizer behind the program parser (internal header): turns program text
 * into Python-style tokens, with INDENT/DEDENT from leading whitespace, NEWLINE at the end
 * of each logical line and implicit line joining inside (), [] and {}. */
#ifndef SEEDFLOW_LEXER_H
#define SEEDFLOW_LEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "program_internal.h"

enum {
  SF_LEX_MAX_INDENT = 100,  /* indentation levels */
  SF_LEX_MAX_NEST = 256,    /* open brackets */
};

typedef enum sf_tok_kind {
  SF_TK_EOF,
  SF_TK_NEWLINE,
  SF_TK_INDENT,
  SF_TK_DEDENT,
  SF_TK_NAME,   /* identifier or keyword: text */
  SF_TK_INT,    /* i */
  SF_TK_FLOAT,  /* f */
  SF_TK_STR,    /* str: decoded, NUL-terminated, in the program's arena */
  SF_TK_OP,     /* operator or delimiter: text, e.g. "(" or "**=" */
  SF_TK_ERROR,  /* the lexer's error is in sf_lexer.error */
  SF_TK_FSTR,   /* f-string: str holds the body with escapes decoded, {fields} still in it */
} sf_tok_kind;

typedef struct sf_token {
  sf_tok_kind kind;
  int line, col;      /* 1-based position of the first character */
  const char *text;   /* source text of the token */
  size_t len;
  int64_t i;
  double f;
  const char *str;
} sf_token;

typedef struct sf_lexer {
  sf_program *p;          /* arena for decoded strings */
  const char *s;          /* next unread character */
  int line, col;
  int indents[SF_LEX_MAX_INDENT + 1];
  int nindent;            /* indents[0] is always 0 */
  int pending_dedents;
  bool at_line_start;     /* next token starts a logical line: measure indentation */
  bool line_has_tokens;   /* a token was produced since the last NEWLINE */
  char open[SF_LEX_MAX_NEST];
  int open_line[SF_LEX_MAX_NEST], open_col[SF_LEX_MAX_NEST];
  int depth;              /* open brackets */
  bool failed;
  sf_error error;         /* valid when a token of kind SF_TK_ERROR was returned */
} sf_lexer;

/* Starts tokenizing text (NUL-terminated; it must outlive the tokens). */
void sf_lexer_init(sf_lexer *lx, sf_program *p, const char *text);
/* Reads the next token into t. After an error every call returns SF_TK_ERROR again. */
sf_tok_kind sf_lexer_next(sf_lexer *lx, sf_token *t);
/* True when t is the operator or delimiter op. */
bool sf_tok_is_op(const sf_token *t, const char *op);
/* True when t is the name (or keyword) name. */
bool sf_tok_is_name(const sf_token *t, const char *name);

#endif
