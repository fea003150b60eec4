/* test_parser.c — Criterion suite `parser`: program text to AST (lang/parser.c, lexer.c).
 * Checks the example programs, exact statement structure, precedence, positions, every
 * syntax error's message/line/column, source lines and agreement with the C builders. */
#include <criterion/criterion.h>

#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seedflow/program.h"

#ifndef SF_SHARED_DIR
#define SF_SHARED_DIR "test/vectors"
#endif

/* ---- helpers ---- */

typedef struct text_buf {
  char s[8192];
  size_t n;
} text_buf;

static void put(text_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(text_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (b->n < sizeof b->s) {
    int w = vsnprintf(b->s + b->n, sizeof b->s - b->n, fmt, ap);
    if (w > 0) b->n += (size_t)w;
    if (b->n >= sizeof b->s) b->n = sizeof b->s - 1;
  }
  va_end(ap);
}

static void render_expr(text_buf *b, const sf_expr *e);

static void render_items(text_buf *b, const sf_expr *e) {
  for (int k = 0; k < e->nitems; k++) {
    if (k) put(b, ", ");
    render_expr(b, e->items[k]);
  }
}

static void render_float(text_buf *b, double f) {
  char tmp[40];
  snprintf(tmp, sizeof tmp, "%.15g", f);
  if (strtod(tmp, NULL) != f) snprintf(tmp, sizeof tmp, "%.17g", f);
  put(b, "%s%s", tmp, strpbrk(tmp, ".eni") ? "" : ".0");
}

/* Python-like rendering with every operation parenthesized: "(a + (b * c))". */
static void render_expr(text_buf *b, const sf_expr *e) {
  if (!e) {
    put(b, "<null>");
    return;
  }
  switch (e->kind) {
    case SF_EX_NAME: put(b, "%s", e->name); break;
    case SF_EX_INT: put(b, "%lld", (long long)e->i); break;
    case SF_EX_FLOAT: render_float(b, e->f); break;
    case SF_EX_STR: put(b, "'%s'", e->name); break;
    case SF_EX_BOOL: put(b, "%s", e->b ? "True" : "False"); break;
    case SF_EX_NONE: put(b, e->b ? "..." : "None"); break;
    case SF_EX_LIST: put(b, "["); render_items(b, e); put(b, "]"); break;
    case SF_EX_TUPLE: put(b, "("); render_items(b, e); put(b, "%s)", e->nitems == 1 ? "," : ""); break;
    case SF_EX_ATTR: render_expr(b, e->base); put(b, ".%s", e->name); break;
    case SF_EX_NEG: put(b, "(-"); render_expr(b, e->base); put(b, ")"); break;
    case SF_EX_UNARY: put(b, "(%c", e->op); render_expr(b, e->base); put(b, ")"); break;
    case SF_EX_BINOP:
      put(b, "(");
      render_expr(b, e->base);
      put(b, " %c ", e->op);
      render_expr(b, e->rhs);
      put(b, ")");
      break;
    case SF_EX_CALL:
      render_expr(b, e->base);
      put(b, "(");
      render_items(b, e);
      for (int k = 0; k < e->nkw; k++) {
        put(b, "%s%s=", e->nitems || k ? ", " : "", e->kwnames[k]);
        render_expr(b, e->kwargs[k]);
      }
      put(b, ")");
      break;
    default: put(b, "<expr %d>", (int)e->kind); break;
  }
}

/* Renders into a static-free caller buffer; returns it for assertions. */
static const char *render(text_buf *b, const sf_expr *e) {
  b->n = 0;
  b->s[0] = '\0';
  render_expr(b, e);
  return b->s;
}

static bool expr_equal(const sf_expr *a, const sf_expr *b) {
  if (!a || !b) return a == b;
  if (a->kind != b->kind || a->nitems != b->nitems || a->nkw != b->nkw) return false;
  switch (a->kind) {
    case SF_EX_NAME: case SF_EX_STR: if (strcmp(a->name, b->name)) return false; break;
    case SF_EX_ATTR: if (strcmp(a->name, b->name) || !expr_equal(a->base, b->base)) return false; break;
    case SF_EX_INT: if (a->i != b->i) return false; break;
    case SF_EX_FLOAT: if (memcmp(&a->f, &b->f, sizeof a->f)) return false; break;
    case SF_EX_BOOL: if (a->b != b->b) return false; break;
    case SF_EX_NEG: case SF_EX_CALL: if (!expr_equal(a->base, b->base)) return false; break;
    case SF_EX_BINOP: if (a->op != b->op || !expr_equal(a->base, b->base) || !expr_equal(a->rhs, b->rhs)) return false; break;
    default: break;
  }
  for (int k = 0; k < a->nitems; k++)
    if (!expr_equal(a->items[k], b->items[k])) return false;
  for (int k = 0; k < a->nkw; k++)
    if (strcmp(a->kwnames[k], b->kwnames[k]) || !expr_equal(a->kwargs[k], b->kwargs[k])) return false;
  return true;
}

static sf_program *parse_ok(const char *src) {
  sf_error err;
  memset(&err, 0xAB, sizeof err);
  sf_program *p = sf_program_parse("<test>", src, &err);
  cr_assert_not_null(p, "parse failed at %d:%d: %s\n--- source:\n%s", err.line, err.col, err.msg, src);
  cr_assert_eq(err.code, SF_OK, "err is cleared on success");
  return p;
}

/* Parses src, which must hold exactly one statement, and renders that statement's value. */
static const char *value_of(text_buf *b, const char *src) {
  sf_program *p = parse_ok(src);
  cr_assert_eq(sf_program_count(p), 1, "%s", src);
  render(b, sf_program_stmt(p, 0)->value);
  sf_program_free(p);
  return b->s;
}

typedef struct bad_case {
  const char *src, *msg;
  int line, col;
} bad_case;

static void check_errors(const bad_case *cases, size_t n) {
  for (size_t k = 0; k < n; k++) {
    sf_error err = {0};
    sf_program *p = sf_program_parse("<test>", cases[k].src, &err);
    cr_expect_null(p, "should not parse: %s", cases[k].src);
    sf_program_free(p);
    cr_expect_eq(err.code, SF_ESYNTAX, "code for %s", cases[k].src);
    cr_expect_str_eq(err.msg, cases[k].msg, "message for source:\n%s", cases[k].src);
    cr_expect_eq(err.line, cases[k].line, "line for %s (%s): got %d", cases[k].src, cases[k].msg, err.line);
    cr_expect_eq(err.col, cases[k].col, "column for %s (%s): got %d", cases[k].src, cases[k].msg, err.col);
  }
}
#define CHECK_ERRORS(cases) check_errors((cases), sizeof(cases) / sizeof(cases)[0])

static char *path_in(const char *dir, const char *name) {
  size_t n = strlen(dir) + strlen(name) + 2;
  char *s = malloc(n);
  cr_assert_not_null(s);
  snprintf(s, n, "%s/%s", dir, name);
  return s;
}

static sf_program *parse_vector(const char *name) {
  char *path = path_in(SF_SHARED_DIR "/programs", name);
  sf_error err = {0};
  sf_program *p = sf_program_parse_file(path, &err);
  cr_assert_not_null(p, "%s: %d:%d: %s", path, err.line, err.col, err.msg);
  free(path);
  return p;
}

/* ---- example programs ---- */

Test(parser, parses_every_example_program) {
  const char *dir = SF_SHARED_DIR "/programs";
  DIR *d = opendir(dir);
  cr_assert_not_null(d, "cannot open %s", dir);
  int files = 0;
  struct dirent *ent;
  while ((ent = readdir(d))) {
    size_t n = strlen(ent->d_name);
    if (n < 3 || strcmp(ent->d_name + n - 3, ".py") != 0) continue;
    char *path = path_in(dir, ent->d_name);
    sf_error err = {0};
    sf_program *p = sf_program_parse_file(path, &err);
    cr_expect_not_null(p, "%s: %d:%d: %s", path, err.line, err.col, err.msg);
    if (p) cr_expect_gt(sf_program_count(p), 1, "%s has statements", path);
    sf_program_free(p);
    free(path);
    files++;
  }
  closedir(d);
  cr_assert_geq(files, 14, "found %d example programs", files);
}

Test(parser, g01_structure) {
  sf_program *p = parse_vector("g01_normal_op_seed.py");
  text_buf b;
  cr_assert_eq(sf_program_count(p), 3);
  sf_stmt *s = sf_program_stmt(p, 0);
  cr_assert_eq(s->kind, SF_ST_IMPORT);
  cr_assert_str_eq(s->name, "tensorflow");
  cr_assert_eq(s->ntargets, 1);
  cr_assert_str_eq(s->targets[0], "tf");
  cr_assert_eq(s->line, 4);
  s = sf_program_stmt(p, 1);
  cr_assert_eq(s->kind, SF_ST_EXPR);
  cr_assert_str_eq(render(&b, s->value), "tf.random.set_seed(5)");
  s = sf_program_stmt(p, 2);
  cr_assert_eq(s->kind, SF_ST_EXPR);
  sf_expr *print = s->value;
  cr_assert_eq(print->kind, SF_EX_CALL);
  cr_assert_eq(print->base->kind, SF_EX_NAME);
  cr_assert_str_eq(print->base->name, "print");
  cr_assert_eq(print->nitems, 1);
  sf_expr *normal = print->items[0];
  cr_assert_eq(normal->kind, SF_EX_CALL);
  cr_assert_eq(normal->nitems, 4);
  cr_assert_eq(normal->nkw, 1);
  cr_assert_str_eq(normal->kwnames[0], "seed");
  cr_assert_eq(normal->kwargs[0]->kind, SF_EX_INT);
  cr_assert_eq(normal->kwargs[0]->i, 1);
  cr_assert_eq(normal->items[0]->kind, SF_EX_LIST);
  cr_assert_str_eq(render(&b, normal), "tf.random.normal([2, 2], 0, 1, tf.float32, seed=1)");
  cr_assert_eq(sf_program_stmt(p, 1)->kind, SF_ST_EXPR);
  sf_program_free(p);
}

Test(parser, g10_decorated_function) {
  sf_program *p = parse_vector("g10_function_counter_seeds.py");
  text_buf b;
  cr_assert_eq(sf_program_count(p), 5);
  sf_stmt *def = sf_program_stmt(p, 2);
  cr_assert_eq(def->kind, SF_ST_DEF);
  cr_assert_str_eq(def->name, "bar");
  cr_assert_eq(def->nparams, 0);
  cr_assert_eq(def->line, 9);
  cr_assert_eq(def->col, 1);
  cr_assert_eq(def->ndecorators, 1);
  cr_assert_eq(def->decorators[0]->kind, SF_EX_ATTR);
  cr_assert_str_eq(render(&b, def->decorators[0]), "tf.function");
  cr_assert_eq(def->decorators[0]->line, 8);
  cr_assert_eq(def->decorators[0]->col, 2);
  cr_assert_eq(def->nbody, 3);
  cr_assert_eq(def->body[0]->kind, SF_ST_ASSIGN);
  cr_assert_str_eq(def->body[0]->targets[0], "a");
  cr_assert_str_eq(render(&b, def->body[0]->value), "tf.random.uniform([1])");
  cr_assert_eq(def->body[0]->line, 10);
  cr_assert_eq(def->body[0]->col, 5);
  cr_assert_str_eq(def->body[1]->targets[0], "b");
  cr_assert_eq(def->body[2]->kind, SF_ST_RETURN);
  cr_assert_eq(def->body[2]->value->kind, SF_EX_TUPLE);
  cr_assert_str_eq(render(&b, def->body[2]->value), "(a, b)");
  cr_assert_str_eq(render(&b, sf_program_stmt(p, 3)->value), "print(bar())");
  cr_assert_str_eq(render(&b, sf_program_stmt(p, 4)->value), "print(bar())");
  sf_program_free(p);
}

Test(parser, g08_floats_tuples_and_method_call) {
  sf_program *p = parse_vector("g08_keras_dropout_training.py");
  text_buf b;
  cr_assert_eq(sf_program_count(p), 5);
  sf_stmt *s = sf_program_stmt(p, 2);
  cr_assert_eq(s->kind, SF_ST_ASSIGN);
  cr_assert_eq(s->ntargets, 1);
  cr_assert_str_eq(s->targets[0], "layer");
  cr_assert_str_eq(render(&b, s->value), "tf.keras.layers.Dropout(0.2, input_shape=(2,))");
  cr_assert_eq(s->value->items[0]->kind, SF_EX_FLOAT);
  cr_assert_eq(s->value->items[0]->f, 0.2);
  cr_assert_str_eq(render(&b, sf_program_stmt(p, 3)->value),
                   "tf.constant([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0], [6.0, 7.0], [8.0, 9.0]])");
  s = sf_program_stmt(p, 4);
  cr_assert_str_eq(render(&b, s->value), "print(layer(data, training=True))");
  sf_expr *call = s->value->items[0];
  cr_assert_eq(call->kwargs[0]->kind, SF_EX_BOOL);
  cr_assert(call->kwargs[0]->b);
  sf_program_free(p);
}

Test(parser, g03_generator_keyword_tuple) {
  sf_program *p = parse_vector("g03_generator_from_seed.py");
  text_buf b;
  cr_assert_eq(sf_program_count(p), 3);
  cr_assert_str_eq(render(&b, sf_program_stmt(p, 1)->value), "tf.random.Generator.from_seed(1234)");
  sf_expr *normal = sf_program_stmt(p, 2)->value->items[0];
  cr_assert_str_eq(normal->kwnames[0], "shape");
  cr_assert_eq(normal->kwargs[0]->kind, SF_EX_TUPLE);
  cr_assert_eq(normal->kwargs[0]->nitems, 2);
  cr_assert_str_eq(render(&b, normal), "g.normal(shape=(2, 3))");
  sf_program_free(p);
}

/* ---- expressions ---- */

Test(parser, precedence_and_associativity) {
  text_buf b;
  cr_assert_str_eq(value_of(&b, "a + b * c\n"), "(a + (b * c))");
  cr_assert_str_eq(value_of(&b, "-x * y\n"), "((-x) * y)");
  cr_assert_str_eq(value_of(&b, "a - b - c\n"), "((a - b) - c)");
  cr_assert_str_eq(value_of(&b, "a / b * c\n"), "((a / b) * c)");
  cr_assert_str_eq(value_of(&b, "(a + b) * c\n"), "((a + b) * c)");
  cr_assert_str_eq(value_of(&b, "a * -b + +c\n"), "((a * (-b)) + (+c))"); /* +c is c.__pos__(): +True is 1 */
  cr_assert_str_eq(value_of(&b, "+2 + +.5 + ~x\n"), "((2 + 0.5) + (~x))");
  cr_assert_str_eq(value_of(&b, "- - a\n"), "(-(-a))");
  cr_assert_str_eq(value_of(&b, "-2**2 + 2**3**2\n"), "((-4) + 512)");
  cr_assert_str_eq(value_of(&b, "f(x).y(1)(2)\n"), "f(x).y(1)(2)");
}

Test(parser, literals) {
  text_buf b;
  cr_assert_str_eq(value_of(&b, "[1., .5, 1e-3, 0.1, 2E+2, 1_000.5]\n"), "[1.0, 0.5, 0.001, 0.1, 200.0, 1000.5]");
  cr_assert_str_eq(value_of(&b, "[0, 00 + 7, 0x1F, 0o17, 0b101, 1_000, 9223372036854775807]\n"),
                   "[0, (0 + 7), 31, 15, 5, 1000, 9223372036854775807]");
  cr_assert_str_eq(value_of(&b, "[True, False, None, (), (1,), [], 2**62]\n"),
                   "[True, False, None, (), (1,), [], 4611686018427387904]");
  cr_assert_str_eq(value_of(&b, "[..., (...), f(..., 1)]\n"), "[..., ..., f(..., 1)]");
  cr_assert_str_eq(value_of(&b, "['a\\tb\\x41\\u00e9\\101\\q', \"it's\" 'x', r'\\n', '''tri\nple''']\n"),
                   "['a\tbA\xc3\xa9" "A\\q', 'it'sx', '\\n', 'tri\nple']");
  sf_program *p = parse_ok("x = 0.1\n");
  cr_assert_eq(sf_program_stmt(p, 0)->value->f, 0.1);
  sf_program_free(p);
}

Test(parser, expression_positions) {
  sf_program *p = parse_ok("y = tf.random.normal([2], seed=1)\nz = -a * (b + c)\nq = \t'\xc3\xa9' + k\n");
  sf_expr *call = sf_program_stmt(p, 0)->value;
  cr_assert_eq(call->kind, SF_EX_CALL);
  cr_assert_eq(call->line, 1);
  cr_assert_eq(call->col, 5);             /* the callee's start */
  cr_assert_eq(call->items[0]->col, 22);  /* '[' */
  cr_assert_eq(call->items[0]->items[0]->col, 23);
  cr_assert_eq(call->kwargs[0]->col, 32);
  sf_expr *mul = sf_program_stmt(p, 1)->value;
  cr_assert_eq(mul->kind, SF_EX_BINOP);
  cr_assert_eq(mul->line, 2);
  cr_assert_eq(mul->col, 5);              /* lhs start: the '-' */
  cr_assert_eq(mul->base->kind, SF_EX_NEG);
  cr_assert_eq(mul->base->col, 5);
  cr_assert_eq(mul->base->base->col, 6);
  cr_assert_eq(mul->rhs->col, 11);        /* b + c starts at b */
  sf_expr *add = sf_program_stmt(p, 2)->value;
  cr_assert_eq(add->line, 3);
  cr_assert_eq(add->col, 9);              /* tab from column 5 to column 9 */
  cr_assert_eq(add->rhs->col, 15);        /* 'é' is one character */
  cr_assert_eq(sf_program_stmt(p, 2)->col, 1);
  sf_program_free(p);
}

Test(parser, tuple_targets) {
  text_buf b;
  sf_program *p = parse_ok("a, b = f()\n(c, d) = 1, 2\n[e, f,] = g\nh = 1,\n");
  cr_assert_eq(sf_program_count(p), 4);
  sf_stmt *s = sf_program_stmt(p, 0);
  cr_assert_eq(s->kind, SF_ST_ASSIGN);
  cr_assert_eq(s->ntargets, 2);
  cr_assert_str_eq(s->targets[0], "a");
  cr_assert_str_eq(s->targets[1], "b");
  cr_assert_str_eq(render(&b, s->value), "f()");
  s = sf_program_stmt(p, 1);
  cr_assert_eq(s->ntargets, 2);
  cr_assert_str_eq(s->targets[1], "d");
  cr_assert_eq(s->value->kind, SF_EX_TUPLE);
  cr_assert_str_eq(render(&b, s->value), "(1, 2)");
  cr_assert_eq(s->value->col, 10);
  s = sf_program_stmt(p, 2);
  cr_assert_eq(s->ntargets, 2);
  cr_assert_str_eq(s->targets[0], "e");
  s = sf_program_stmt(p, 3);
  cr_assert_eq(s->ntargets, 1);
  cr_assert_str_eq(render(&b, s->value), "(1,)");
  sf_program_free(p);
}

Test(parser, implicit_line_joining_and_continuations) {
  text_buf b;
  sf_program *p = parse_ok(
      "x = f(1,   # first\n"
      "\n"
      "      seed=2,\n"
      "  )\n"
      "y = [1,\n"
      "# only a comment\n"
      "2]\n"
      "z = 1 + \\\n"
      "    2\n"
      "s = ('a'\n"
      "     'b')\n");
  cr_assert_eq(sf_program_count(p), 4);
  cr_assert_str_eq(render(&b, sf_program_stmt(p, 0)->value), "f(1, seed=2)");
  cr_assert_eq(sf_program_stmt(p, 0)->value->kwargs[0]->line, 3);
  cr_assert_eq(sf_program_stmt(p, 0)->value->kwargs[0]->col, 12);
  cr_assert_str_eq(render(&b, sf_program_stmt(p, 1)->value), "[1, 2]");
  cr_assert_eq(sf_program_stmt(p, 1)->value->items[1]->line, 7);
  cr_assert_str_eq(render(&b, sf_program_stmt(p, 2)->value), "(1 + 2)");
  cr_assert_eq(sf_program_stmt(p, 2)->value->rhs->line, 9);
  cr_assert_eq(sf_program_stmt(p, 3)->line, 10);
  cr_assert_str_eq(render(&b, sf_program_stmt(p, 3)->value), "'ab'");
  sf_program_free(p);
}

/* ---- statements ---- */

Test(parser, imports_pass_and_semicolons) {
  sf_program *p = parse_ok("import tensorflow as tf\nimport a.b.c, d\nfrom x.y import (z as w,\n  v,)\npass; q = 1;\n");
  cr_assert_eq(sf_program_count(p), 6);
  sf_stmt *s = sf_program_stmt(p, 0);
  cr_assert_eq(s->kind, SF_ST_IMPORT);
  cr_assert_str_eq(s->name, "tensorflow");
  cr_assert_str_eq(s->targets[0], "tf");
  s = sf_program_stmt(p, 1);
  cr_assert_str_eq(s->name, "a.b.c");
  cr_assert_str_eq(s->targets[0], "a");
  s = sf_program_stmt(p, 2);
  cr_assert_str_eq(s->name, "d");
  cr_assert_str_eq(s->targets[0], "d");
  s = sf_program_stmt(p, 3);
  cr_assert_eq(s->kind, SF_ST_IMPORT);
  cr_assert_str_eq(s->name, "x.y");
  cr_assert_eq(s->nparams, 2);
  cr_assert_str_eq(s->params[0], "z");
  cr_assert_str_eq(s->params[1], "v");
  cr_assert_eq(s->ntargets, 2);
  cr_assert_str_eq(s->targets[0], "w");
  cr_assert_str_eq(s->targets[1], "v");
  cr_assert_eq(sf_program_stmt(p, 4)->kind, SF_ST_PASS);
  cr_assert_eq(sf_program_stmt(p, 5)->kind, SF_ST_ASSIGN);
  cr_assert_eq(sf_program_stmt(p, 5)->col, 7);
  sf_program_free(p);
}

Test(parser, function_definitions) {
  text_buf b;
  sf_program *p = parse_ok(
      "@tf.function\n"
      "@tf.function(jit_compile=True)\n"
      "def outer(a, b,):\n"
      "    # comment\n"
      "    def inner(c):\n"
      "\n"
      "        return c * 2\n"
      "    x = inner(a)\n"
      "    return\n"
      "def one(): return 1, 2\n"
      "print(outer(1, 2))\n");
  cr_assert_eq(sf_program_count(p), 3);
  sf_stmt *d = sf_program_stmt(p, 0);
  cr_assert_eq(d->kind, SF_ST_DEF);
  cr_assert_str_eq(d->name, "outer");
  cr_assert_eq(d->line, 3);
  cr_assert_eq(d->nparams, 2);
  cr_assert_str_eq(d->params[0], "a");
  cr_assert_str_eq(d->params[1], "b");
  cr_assert_eq(d->ndecorators, 2);
  cr_assert_str_eq(render(&b, d->decorators[0]), "tf.function");
  cr_assert_str_eq(render(&b, d->decorators[1]), "tf.function(jit_compile=True)");
  cr_assert_eq(d->nbody, 3);
  sf_stmt *inner = d->body[0];
  cr_assert_eq(inner->kind, SF_ST_DEF);
  cr_assert_eq(inner->ndecorators, 0);
  cr_assert_eq(inner->nbody, 1);
  cr_assert_eq(inner->body[0]->kind, SF_ST_RETURN);
  cr_assert_str_eq(render(&b, inner->body[0]->value), "(c * 2)");
  cr_assert_eq(d->body[1]->kind, SF_ST_ASSIGN);
  cr_assert_eq(d->body[2]->kind, SF_ST_RETURN);
  cr_assert_null(d->body[2]->value);
  sf_stmt *one = sf_program_stmt(p, 1);
  cr_assert_str_eq(one->name, "one");
  cr_assert_eq(one->nbody, 1);
  cr_assert_str_eq(render(&b, one->body[0]->value), "(1, 2)");
  cr_assert_eq(sf_program_stmt(p, 2)->kind, SF_ST_EXPR);
  sf_program_free(p);
}

Test(parser, empty_and_blank_programs) {
  const char *srcs[] = {"", "\n", "# only a comment", "  \n\t\n# c\n   # indented comment\n", "\xEF\xBB\xBFpass"};
  for (size_t k = 0; k < sizeof srcs / sizeof srcs[0]; k++) {
    sf_program *p = parse_ok(srcs[k]);
    cr_expect_eq(sf_program_count(p), k == 4 ? 1 : 0, "statements in %s", srcs[k]);
    sf_program_free(p);
  }
  sf_program *p = parse_ok("x = 1");  /* no final newline */
  cr_assert_eq(sf_program_count(p), 1);
  cr_assert_str_eq(sf_program_filename(p), "<test>");
  sf_program_free(p);
}

/* ---- errors ---- */

Test(parser, lexical_errors) {
  static const bad_case cases[] = {
      {"x = 'abc\n", "unterminated string", 1, 5},
      {"x = 1\ny = \"abc", "unterminated string", 2, 5},
      {"x = '''abc\n\n", "unterminated triple-quoted string", 1, 5},
      {"x = $\n", "invalid character '$'", 1, 5},
      {"x = 1 ?\n", "invalid character '?'", 1, 7},
      {"x = 1 !\n", "invalid character '!'", 1, 7},
      {"x =\t\x01\n", "invalid non-printable character U+0001", 1, 9},
      {"x = 1\ry = 2\n", "invalid non-printable character U+000D", 1, 6},
      {"x = '\xc3\xa9' + \xc3\xa9\n", "invalid character '\xc3\xa9' (U+00E9)", 1, 11},
      {"x = \xff\n", "invalid utf-8 byte 0xff", 1, 5},
      {"x = 9223372036854775808\n", "integer literal too large", 1, 5},
      {"x = 0x8000000000000000\n", "integer literal too large", 1, 5},
      {"x = 0123\n", "leading zeros in decimal integer literals are not permitted", 1, 5},
      {"x = 1e\n", "invalid decimal literal", 1, 5},
      {"x = 1__0\n", "invalid decimal literal", 1, 5},
      {"x = 12abc\n", "invalid decimal literal", 1, 5},
      {"x = 0x\n", "invalid hexadecimal literal", 1, 5},
      {"x = 0o8\n", "invalid octal literal", 1, 5},
      {"x = 0b2\n", "invalid binary literal", 1, 5},
      {"x = 2j\n", "unsupported imaginary literal", 1, 5},
      {"x = b'a'\n", "unsupported bytes literal", 1, 5},
      {"x = '\\x4'\n", "invalid \\x escape in string", 1, 5},
      {"x = '\\u12'\n", "invalid \\u escape in string", 1, 5},
      {"x = '\\U00110000'\n", "invalid unicode escape in string", 1, 5},
      {"x = '\\N{DASH}'\n", "unsupported \\N{...} escape in string", 1, 5},
      {"x = 'a\\0'\n", "null character in string is not supported", 1, 5},
      {"x = 1 + \\ 2\n", "unexpected character after line continuation character", 1, 9},
      {"x = 1 + \\", "unexpected end of file after line continuation character", 1, 9},
      {"x = f(1,\n  2\n", "'(' was never closed", 1, 6},
      {"x = [(1, 2]\n", "closing parenthesis ']' does not match opening parenthesis '('", 1, 11},
      {"x = 1)\n", "unmatched ')'", 1, 6},
  };
  CHECK_ERRORS(cases);
}

Test(parser, indentation_errors) {
  static const bad_case cases[] = {
      {"  x = 1\n", "unexpected indent", 1, 3},
      {"x = 1\n    y = 2\n", "unexpected indent", 2, 5},
      {"def f():\n    x = 1\n        y = 2\n", "unexpected indent", 3, 9},
      {"def f():\n    x = 1\n  y = 2\n", "unindent does not match any outer indentation level", 3, 3},
      {"def f():\n\tx = 1\n    y = 2\n", "unindent does not match any outer indentation level", 3, 5},
      {"def f():\nx = 1\n", "expected an indented block after 'def'", 2, 1},
      {"def f():\n", "expected an indented block after 'def'", 2, 1},
      {"def f(): pass\n    x = 1\n", "unexpected indent", 2, 5},
  };
  CHECK_ERRORS(cases);
}

Test(parser, expression_errors) {
  static const bad_case cases[] = {
      {"x = f(1 2)\n", "expected ')' after arguments", 1, 9},
      {"x = f(a=1, b)\n", "positional argument follows keyword argument", 1, 12},
      {"x = f(seed=1, seed=2)\n", "keyword argument repeated: 'seed'", 1, 15},
      {"x = [1 2]\n", "expected ']' after list elements", 1, 8},
      {"x = (1 2)\n", "expected ')' after expression", 1, 8},
      {"x = \n", "expected expression", 1, 5},
      {"x = 1 +\n", "expected expression", 1, 8},
      {"x = a.\n", "expected name after '.'", 1, 7},
      {"x = a.if\n", "expected name after '.'", 1, 7},
      {"x = *a\n", "can't use starred expression here", 1, 5},
      {"x = def\n", "unexpected keyword 'def'", 1, 5},
      {"x = (a := 1)\n", "unsupported operator ':='", 1, 8},
  };
  CHECK_ERRORS(cases);
}

Test(parser, statement_errors) {
  static const bad_case cases[] = {
      {"return 1\n", "'return' outside function", 1, 1},
      {"f() = 1\n", "unsupported assignment target", 1, 1},
      {"x = 1 2\n", "expected newline after statement", 1, 7},
      {"print 'hi'\n", "expected newline after statement", 1, 7},
      {"x = 1; def f(): pass\n", "compound statement must start a line", 1, 8},
      {"@tf.function def f(): pass\n", "expected newline after decorator", 1, 14},
      {"@tf.function\nx = 1\n", "expected 'def' or 'class' after decorator", 2, 1},
      {"x = 1 if y\n", "expected 'else' after 'if' expression", 1, 11},
      {"x = (yield)\n", "unsupported: generator function 'yield'", 1, 6},
      {"a, *b, *c = x\n", "multiple starred expressions in assignment", 1, 8},
      {"break\n", "'break' outside loop", 1, 1},
      {"def f(a=1, b): pass\n", "non-default argument follows default argument", 1, 12},
      {"f() += 1\n", "illegal expression for augmented assignment", 1, 1},
      {"def (a): pass\n", "expected function name after 'def'", 1, 5},
      {"def f a: pass\n", "expected '(' after function name", 1, 7},
      {"def f(a b): pass\n", "expected ')' after parameters", 1, 9},
      {"def f(a) pass\n", "expected ':' after function signature", 1, 10},
      {"def f(a, a): pass\n", "duplicate parameter 'a'", 1, 10},
      {"def f(1): pass\n", "expected parameter name", 1, 7},
      {"import\n", "expected module name", 1, 7},
      {"import .a\n", "expected module name", 1, 8},
      {"import a as\n", "expected name after 'as'", 1, 12},
      {"from a imp b\n", "expected 'import' after module name", 1, 8},
      {"from a import *\n", "unsupported 'import *'", 1, 15},
      {"from a import (b\n", "'(' was never closed", 1, 15},
      {"from a import (b c)\n", "expected ')' after imported names", 1, 18},
  };
  CHECK_ERRORS(cases);
}

Test(parser, error_without_error_struct) {
  cr_assert_null(sf_program_parse("<test>", "x = (\n", NULL));
  sf_program *p = sf_program_parse("<test>", "x = 1\n", NULL);
  cr_assert_not_null(p);
  sf_program_free(p);
}

/* Text of n copies of open, then core, then n copies of close, with a prefix. */
static char *nested(const char *prefix, const char *open, const char *core, const char *close, int n) {
  size_t len = strlen(prefix) + n * (strlen(open) + strlen(close)) + strlen(core) + 2;
  char *s = malloc(len);
  cr_assert_not_null(s);
  char *e = stpcpy(s, prefix);
  for (int k = 0; k < n; k++) e = stpcpy(e, open);
  e = stpcpy(e, core);
  for (int k = 0; k < n; k++) e = stpcpy(e, close);
  strcpy(e, "\n");
  return s;
}

Test(parser, nesting_limit) {
  struct {
    const char *open, *close;
  } kinds[] = {{"(", ")"}, {"[", "]"}, {"-", ""}, {"f(", ")"}, {"1**", ""}};
  for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
    char *ok = nested("x = ", kinds[k].open, "1", kinds[k].close, 199);
    sf_program *p = parse_ok(ok);
    sf_program_free(p);
    free(ok);
    char *deep = nested("x = ", kinds[k].open, "1", kinds[k].close, 200);
    sf_error err = {0};
    cr_expect_null(sf_program_parse("<test>", deep, &err), "200 levels of %s", kinds[k].open);
    cr_expect_str_eq(err.msg, "expression nested too deeply");
    cr_expect_eq(err.line, 1);
    cr_expect_eq(err.col, (int)(5 + 200 * strlen(kinds[k].open)), "column for %s: %d", kinds[k].open, err.col);
    free(deep);
  }
  /* Long chains build tall trees without recursion; their height is limited too. */
  struct {
    const char *prefix, *link;
    int links, col;  /* the most links that parse; where one more fails */
  } chains[] = {{"x = 1", "+1", 999, 6 + 2 * 999},
                {"x = a", ".b", 999, 5},
                {"x = f", "()", 999, 5},
                {"x = 1", "*-1", 998, 6 + 3 * 998}};  /* the first -1 adds a level */
  for (size_t k = 0; k < sizeof chains / sizeof chains[0]; k++) {
    int links = chains[k].links;
    char *ok = nested(chains[k].prefix, chains[k].link, "", "", links);
    sf_program_free(parse_ok(ok));
    free(ok);
    char *tall = nested(chains[k].prefix, chains[k].link, "", "", links + 1);
    sf_error err = {0};
    cr_expect_null(sf_program_parse("<test>", tall, &err), "chain of %s", chains[k].link);
    cr_expect_str_eq(err.msg, "expression nested too deeply");
    cr_expect_eq(err.col, chains[k].col, "column for chain %s: %d", chains[k].link, err.col);
    free(tall);
  }
  char *huge = nested("x = ", "(", "1", ")", 100000);
  sf_error err = {0};
  cr_assert_null(sf_program_parse("<test>", huge, &err));
  cr_assert_str_eq(err.msg, "expression nested too deeply");
  free(huge);
}

/* n nested defs, each indented one space more, innermost body `pass`. */
static char *nested_defs(int n) {
  char *s = malloc((size_t)(n + 1) * (size_t)(n + 16) + 1);
  cr_assert_not_null(s);
  size_t len = 0;
  for (int k = 0; k <= n; k++) {
    len += (size_t)sprintf(s + len, "%*s%s\n", k, "", k < n ? "def f():" : "pass");
  }
  return s;
}

Test(parser, indentation_limit) {
  char *ok = nested_defs(100);
  sf_program *p = parse_ok(ok);
  sf_stmt *s = sf_program_stmt(p, 0);
  int depth = 0;
  while (s->kind == SF_ST_DEF) s = s->body[0], depth++;
  cr_assert_eq(depth, 100);
  sf_program_free(p);
  free(ok);
  char *deep = nested_defs(101);
  sf_error err = {0};
  cr_assert_null(sf_program_parse("<test>", deep, &err));
  cr_assert_str_eq(err.msg, "too many levels of indentation");
  cr_assert_eq(err.line, 102);
  cr_assert_eq(err.col, 102);
  free(deep);
}

/* ---- source lines ---- */

Test(parser, source_lines) {
  char text[] = "a = 1\r\nb = 2\n\n  # c\nc = 3";
  sf_program *p = parse_ok(text);
  memset(text, 'z', sizeof text - 1);  /* the program keeps its own copy */
  int len = -1;
  const char *s = sf_program_line(p, 1, &len);
  cr_assert_not_null(s);
  cr_assert_eq(len, 5);
  cr_assert_eq(strncmp(s, "a = 1", 5), 0);
  s = sf_program_line(p, 2, &len);
  cr_assert_eq(len, 5);
  cr_assert_eq(strncmp(s, "b = 2", 5), 0);
  s = sf_program_line(p, 3, &len);
  cr_assert_not_null(s);
  cr_assert_eq(len, 0);
  s = sf_program_line(p, 4, &len);
  cr_assert_eq(len, 5);
  cr_assert_eq(strncmp(s, "  # c", 5), 0);
  s = sf_program_line(p, 5, &len);
  cr_assert_eq(len, 5);
  cr_assert_eq(strncmp(s, "c = 3", 5), 0);
  cr_assert_null(sf_program_line(p, 6, &len));
  cr_assert_null(sf_program_line(p, 0, &len));
  cr_assert_eq(sf_program_stmt(p, 2)->line, 5);
  sf_program_free(p);

  p = parse_ok("x = 1\n");
  cr_assert_not_null(sf_program_line(p, 1, &len));
  cr_assert_null(sf_program_line(p, 2, &len));
  sf_program_free(p);
}

/* ---- builders ---- */

Test(parser, builders_match_parser) {
  sf_program *parsed = parse_ok(
      "g = tf.random.Generator.from_seed(1234)\n"
      "print(g.normal(shape=(2, 3)))\n"
      "x = -a + 2 * b / 1.5\n"
      "y = [1, 'two', True, None, (1,), []]\n"
      "tf.random.set_seed(7)\n");
  sf_program *q = sf_program_new("<built>");
  cr_assert_not_null(q);
  cr_assert_eq(sf_program_add(q, "g", sf_ast_call(q, sf_ast_name(q, "tf.random.Generator.from_seed"), 1, sf_ast_int(q, 1234))), SF_OK);
  sf_expr *normal = sf_ast_call(q, sf_ast_name(q, "g.normal"), 0);
  sf_ast_kw(q, normal, "shape", sf_ast_tuple(q, 2, sf_ast_int(q, 2), sf_ast_int(q, 3)));
  cr_assert_eq(sf_program_add_print(q, normal), SF_OK);
  sf_expr *x = sf_ast_binop(q, '+', sf_ast_neg(q, sf_ast_name(q, "a")),
                            sf_ast_binop(q, '/', sf_ast_binop(q, '*', sf_ast_int(q, 2), sf_ast_name(q, "b")), sf_ast_float(q, 1.5)));
  cr_assert_eq(sf_program_add(q, "x", x), SF_OK);
  sf_expr *y = sf_ast_list(q, 6, sf_ast_int(q, 1), sf_ast_str(q, "two"), sf_ast_bool(q, true), sf_ast_none(q),
                           sf_ast_tuple(q, 1, sf_ast_int(q, 1)), sf_ast_list(q, 0));
  cr_assert_eq(sf_program_add(q, "y", y), SF_OK);
  cr_assert_eq(sf_program_add(q, NULL, sf_ast_call(q, sf_ast_name(q, "tf.random.set_seed"), 1, sf_ast_int(q, 7))), SF_OK);

  cr_assert_eq(sf_program_count(parsed), sf_program_count(q));
  text_buf b1, b2;
  for (int k = 0; k < sf_program_count(q); k++) {
    sf_stmt *a = sf_program_stmt(parsed, k), *b = sf_program_stmt(q, k);
    cr_expect_eq(a->kind, b->kind, "statement %d", k);
    cr_expect_eq(a->ntargets, b->ntargets, "statement %d", k);
    if (a->ntargets == 1 && b->ntargets == 1) cr_expect_str_eq(a->targets[0], b->targets[0]);
    cr_expect_str_eq(render(&b1, a->value), render(&b2, b->value), "statement %d", k);
    cr_expect(expr_equal(a->value, b->value), "statement %d: %s", k, b1.s);
  }
  sf_program_free(q);
  sf_program_free(parsed);
}

/* ---- big inputs stay linear ---- */

static char *repeat(const char *prefix, const char *fmt, int n, const char *suffix) {
  size_t cap = strlen(prefix) + strlen(suffix) + (size_t)n * (strlen(fmt) + 12) + 1;
  char *s = malloc(cap);
  cr_assert_not_null(s);
  size_t len = (size_t)sprintf(s, "%s", prefix);
  for (int k = 0; k < n; k++) len += (size_t)sprintf(s + len, fmt, k);
  strcpy(s + len, suffix);
  return s;
}

Test(parser, big_inputs_are_linear, .timeout = 120) /* a quadratic step at N = 2e5 takes hours; ASan on a loaded machine ~20 s */ {
  enum { N = 200000 };
  char *kw = repeat("x = f(", "a%d=1, ", N, "a17=2)\n");
  sf_error err = {0};
  cr_assert_null(sf_program_parse("<test>", kw, &err));
  cr_assert_str_eq(err.msg, "keyword argument repeated: 'a17'");
  kw[strlen(kw) - 8] = ')';  /* drop the repeat */
  kw[strlen(kw) - 7] = '\0';
  sf_program *p = parse_ok(kw);
  cr_assert_eq(sf_program_stmt(p, 0)->value->nkw, N);
  sf_program_free(p);
  free(kw);

  char *strs = repeat("x = ", "'s%d' ", N, "\n");
  p = parse_ok(strs);
  cr_assert_eq(strncmp(sf_program_stmt(p, 0)->value->name, "s0s1s2", 6), 0);
  sf_program_free(p);
  free(strs);

  char *params = repeat("def f(", "p%d, ", N, "p5): pass\n");
  cr_assert_null(sf_program_parse("<test>", params, &err));
  cr_assert_str_eq(err.msg, "duplicate parameter 'p5'");
  free(params);

  char *lines = repeat("", "x%d = [1, 2.5, 'a', tf.random.normal([2], seed=3)]\n", N, "");
  p = parse_ok(lines);
  cr_assert_eq(sf_program_count(p), N);
  int len;
  cr_assert_not_null(sf_program_line(p, N, &len));
  sf_program_free(p);
  free(lines);
}
