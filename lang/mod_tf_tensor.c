/* mod_tf_tensor.c — tf.print; tensor comparisons (`==`, `<`, ..., tf.equal, tf.less, ...).
 *
 * tf.print(*inputs, sep=' ', end='\n', summarize=3) writes its inputs the way TF's
 * StringFormat + PrintV2 kernels do: Python values as str() does, tensors by
 * Tensor::SummarizeValue(summarize, print_v2=true) — `[a b c]`, a newline and one space
 * per depth between rows, `...` when a dimension has more than 2 * summarize elements, each
 * element by strings::StrCat (a float with %.6g when that reads back, else %.9g; a double
 * %.15g / %.17g; a bool as 1 or 0). In eager mode it prints at once; in function mode it
 * prints when the program's one traced call runs (the PrintV2 op runs then). A tf.print in
 * a TF1 graph or inside an explicitly traced tf.function (an op that prints on each
 * Session.run / call) is a located error.
 *
 * A comparison with a TF tensor operand is TF's op (Equal, NotEqual, Less, LessEqual,
 * Greater, GreaterEqual) with a bool result; `1 < t` is t.__gt__(1). `==` and `!=` build
 * ops only outside a TF1 graph (there Tensor.__eq__ compares identities, as Python does). */
#include "interp.h"
#include "py.h"

#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* TF's strings::StrCat of one element (FloatToBuffer / DoubleToBuffer). */
static void put_element(FILE *f, const sf_tensor *t, int64_t i) {
  char buf[64];
  switch (t->dtype) {
  case SF_FLOAT32: {
    float x = ((const float *)t->data)[i];
    if (isnan(x)) {
      fputs("nan", f);
      return;
    }
    snprintf(buf, sizeof buf, "%.*g", FLT_DIG, (double)x);
    if (strtof(buf, NULL) != x) snprintf(buf, sizeof buf, "%.*g", FLT_DIG + 3, (double)x);
    fputs(buf, f);
    return;
  }
  case SF_FLOAT64: {
    double x = ((const double *)t->data)[i];
    if (isnan(x)) {
      fputs("nan", f);
      return;
    }
    snprintf(buf, sizeof buf, "%.*g", DBL_DIG, x);
    if (strtod(buf, NULL) != x) snprintf(buf, sizeof buf, "%.*g", DBL_DIG + 2, x);
    fputs(buf, f);
    return;
  }
  case SF_INT32: fprintf(f, "%" PRId32, ((const int32_t *)t->data)[i]); return;
  case SF_INT64: fprintf(f, "%" PRId64, ((const int64_t *)t->data)[i]); return;
  case SF_BOOL: fputs(sf_tensor_get(t, i) != 0 ? "1" : "0", f); return;
  case SF_UINT8: fprintf(f, "%u", (unsigned)((const uint8_t *)t->data)[i]); return;
  }
}

/* PrintDimSpacing */
static void put_spacing(FILE *f, int dim, int rank) {
  if (dim == rank - 1) {
    fputc(' ', f);
    return;
  }
  for (int j = 0; j < rank - dim - 1; j++) fputc('\n', f);
  for (int j = 0; j <= dim; j++) fputc(' ', f);
}

/* PrintOneDimV2 */
static void put_dim(FILE *f, const sf_tensor *t, int dim, int64_t ends, int64_t at) {
  int rank = t->shape.rank;
  if (dim == rank) {
    put_element(f, t, at);
    return;
  }
  fputc('[', f);
  int64_t count = t->shape.dims[dim], per = 1;
  for (int i = dim + 1; i < rank; i++) per *= t->shape.dims[i];
  int64_t start_of_end = ends > count - ends ? ends : count - ends;
  for (int64_t i = 0; i < ends && i < count; i++) {
    if (i > 0) put_spacing(f, dim, rank);
    put_dim(f, t, dim + 1, ends, at + per * i);
  }
  if (count > 2 * ends) {
    put_spacing(f, dim, rank);
    fputs("...", f);
  }
  for (int64_t i = start_of_end; i < count; i++) {
    put_spacing(f, dim, rank);
    put_dim(f, t, dim + 1, ends, at + per * i);
  }
  fputc(']', f);
}

void sf_tensor_print_tfprint(FILE *f, const sf_tensor *t, int64_t summarize) {
  if (t->shape.rank == 0) {
    put_element(f, t, 0);
    return;
  }
  put_dim(f, t, 0, summarize < 0 ? t->n : summarize, 0);
}

static sf_status str_kw(sf_interp *I, const sf_args *a, const char *name, const sf_val *v, const char **out) {
  if (v->kind == V_STR) *out = v->s;
  else if (sf_is(v, O_STR)) *out = SF_STR(v)->s;
  else return sf_py_raise(I, a->call, BC_TYPEERR, "tf.print(): %s must be a string, not %s", name, sf_type_name(v));
  return SF_OK;
}

/* tf.print(*inputs, output_stream=sys.stderr, summarize=3, sep=' ', end='\n', name=None) */
static sf_status api_tf_print(sf_interp *I, const sf_args *a, sf_val *out) {
  const char *sep = " ", *end = "\n";
  int64_t summarize = 3;
  sf_status st = SF_OK;
  for (int k = 0; st == SF_OK && k < a->nkw; k++) {
    const char *n = a->kwnames[k];
    const sf_val *v = &a->kw[k];
    if (strcmp(n, "sep") == 0) st = str_kw(I, a, n, v, &sep);
    else if (strcmp(n, "end") == 0) st = str_kw(I, a, n, v, &end);
    else if (strcmp(n, "summarize") == 0) {
      if (v->kind == V_NONE) summarize = -1;
      else if ((st = sf_arg_int(I, a, "tf.print", "summarize", v, &summarize)) == SF_OK && summarize < 0) summarize = -1;
    } else if (strcmp(n, "name") != 0)
      return sf_error_at(I->err, a->call->line, a->call->col, SF_ENAME, "unsupported: tf.print(%s=...)", n);
  }
  if (st != SF_OK) return st;
  if (!I->ctx.eager && !(I->implicit_function && I->ctx.graph == I->main))
    return sf_error_at(I->err, a->call->line, a->call->col, SF_ENAME,
                       "unsupported: tf.print in a TF1 graph or inside a traced tf.function (print the value instead)");
  I->tf_print = true;
  I->tf_print_summarize = summarize;
  st = sf_interp_print(I, a, sep, end);
  I->tf_print = false;
  *out = sf_none();
  return st;
}

/* ---- comparisons ---- */

/* x op y as TF's gen_math_ops builds it: a Python operand converted with the tensor's dtype
 * (Const nodes named x / y). */
static sf_status compare(sf_interp *I, const sf_expr *at, const char *op, const sf_val *x, const sf_val *y, sf_val *out) {
  int want = -1, ix, iy;
  if (x->kind != V_TENSOR) want = sf_b_tensor_dtype(I, y);
  sf_status st = sf_b_tensor(I, x, want, "x", at, &ix);
  if (st == SF_OK) st = sf_b_tensor(I, y, (int)sf_graph_node(I->ctx.graph, ix)->dtype, "y", at, &iy);
  sf_node *n;
  if (st == SF_OK) st = sf_b_op(I, op, op, (int[]){ix, iy}, 2, NULL, &n);
  if (st == SF_OK) sf_b_tensor_val(I, n->id, out);
  return st;
}

static bool tf_tensor(const sf_val *v) { return v->kind == V_TENSOR && !v->numpy; }
static bool np_array(const sf_val *v) { return v->kind == V_TENSOR && v->numpy; }

bool sf_api_tensor_compare_applies(sf_interp *I, const char *op, const sf_val *a, const sf_val *b) {
  if (!(tf_tensor(a) || tf_tensor(b)) || np_array(a) || np_array(b)) return false;
  if (strcmp(op, "==") == 0 || strcmp(op, "!=") == 0) /* Tensor.__eq__ outside a TF1 graph */
    return a->kind != V_NONE && b->kind != V_NONE && I->opt.mode != SF_MODE_GRAPH;
  return strcmp(op, "<") == 0 || strcmp(op, "<=") == 0 || strcmp(op, ">") == 0 || strcmp(op, ">=") == 0;
}

sf_status sf_api_tensor_compare(sf_interp *I, const sf_expr *at, const char *op, const sf_val *a, const sf_val *b, sf_val *out) {
  static const char *const ops[][3] = {{"==", "Equal", "Equal"},     {"!=", "NotEqual", "NotEqual"},
                                       {"<", "Less", "Greater"},     {"<=", "LessEqual", "GreaterEqual"},
                                       {">", "Greater", "Less"},     {">=", "GreaterEqual", "LessEqual"}};
  for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
    if (strcmp(ops[i][0], op) != 0) continue;
    /* 1 < t: Python calls the tensor's reflected method, t.__gt__(1) */
    return tf_tensor(a) ? compare(I, at, ops[i][1], a, b, out) : compare(I, at, ops[i][2], b, a, out);
  }
  return sf_error_at(I->err, at->line, at->col, SF_ENAME, "unsupported: operator '%s' on tensors", op);
}

static sf_status api_compare(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, const char *op) {
  sf_val v[3];
  bool given[3];
  sf_status st = sf_bind(I, fname, a, "x y name", v, given);
  if (st != SF_OK) return st;
  if (!given[0] || !given[1]) return sf_py_raise(I, a->call, BC_TYPEERR, "%s() missing 1 required positional argument: '%s'", fname, given[0] ? "y" : "x");
  return compare(I, a->call, op, &v[0], &v[1], out);
}
static sf_status api_equal(sf_interp *I, const sf_args *a, sf_val *out) { return api_compare(I, a, out, "equal", "Equal"); }
static sf_status api_not_equal(sf_interp *I, const sf_args *a, sf_val *out) { return api_compare(I, a, out, "not_equal", "NotEqual"); }
static sf_status api_less(sf_interp *I, const sf_args *a, sf_val *out) { return api_compare(I, a, out, "less", "Less"); }
static sf_status api_less_equal(sf_interp *I, const sf_args *a, sf_val *out) { return api_compare(I, a, out, "less_equal", "LessEqual"); }
static sf_status api_greater(sf_interp *I, const sf_args *a, sf_val *out) { return api_compare(I, a, out, "greater", "Greater"); }
static sf_status api_greater_equal(sf_interp *I, const sf_args *a, sf_val *out) {
  return api_compare(I, a, out, "greater_equal", "GreaterEqual");
}

static const struct {
  const char *path;
  sf_builtin_fn fn;
} api[] = {
    {"tf.print", api_tf_print},
    {"tf.compat.v1.print", api_tf_print},
    {"tf.equal", api_equal},
    {"tf.math.equal", api_equal},
    {"tf.not_equal", api_not_equal},
    {"tf.math.not_equal", api_not_equal},
    {"tf.less", api_less},
    {"tf.math.less", api_less},
    {"tf.less_equal", api_less_equal},
    {"tf.math.less_equal", api_less_equal},
    {"tf.greater", api_greater},
    {"tf.math.greater", api_greater},
    {"tf.greater_equal", api_greater_equal},
    {"tf.math.greater_equal", api_greater_equal},
};

sf_builtin_fn sf_tftensor_lookup(const char *path) {
  for (size_t i = 0; i < sizeof api / sizeof *api; i++)
    if (strcmp(api[i].path, path) == 0) return api[i].fn;
  return NULL;
}
