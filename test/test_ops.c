/* test_ops.c — every op in ops/ops.def, walked from the registry: its shape function on a
 * small input, its kernel on that input (output dtype and shape as the shape function
 * said, the first value where a formula gives it) and, where it has a gradient rule, the
 * gradient of sum(w * op(x)) against central finite differences. An op registered
 * without a case here fails `ops.every_registered_op_has_a_case`. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "lang/interp.h"

/* One op's case. Inputs, space separated: fRxC / fN / f (float32 matrix, vector, scalar,
 * values from input_value), i=a,b (int32 vector), s=a (int32 scalar), I=a,b (int64
 * vector), b=1,0 (bool vector). Attributes: name=value (ints, bools as 0/1, dtype names, shapes as RxC,
 * strings). want: the output's first element from the inputs' first elements (NAN: not
 * pinned here — random draws are pinned by test_distributions.c and the golden files). */
typedef struct op_case {
  const char *op;
  const char *inputs;
  const char *attrs;
  double (*want)(const double *x0); /* x0[k]: input k's first element */
} op_case;

static double w_id(const double *x) { return x[0]; }
static double w_one(const double *x) { return (void)x, 1; }
static double w_add(const double *x) { return (float)((float)x[0] + (float)x[1]); }
static double w_sub(const double *x) { return (float)((float)x[0] - (float)x[1]); }
static double w_mul(const double *x) { return (float)((float)x[0] * (float)x[1]); }
static double w_div(const double *x) { return (float)((float)x[0] / (float)x[1]); }
static double w_neg(const double *x) { return -x[0]; }
static double w_ge(const double *x) { return x[0] >= x[1]; }
static double w_gt(const double *x) { return x[0] > x[1]; }
static double w_lt(const double *x) { return x[0] < x[1]; }
static double w_le(const double *x) { return x[0] <= x[1]; }
static double w_eq(const double *x) { return x[0] == x[1]; }
static double w_ne(const double *x) { return x[0] != x[1]; }
static double w_round(const double *x) { return rint(x[0]); }
static double w_square(const double *x) { return (float)((float)x[0] * (float)x[0]); }
static double w_relu(const double *x) { return x[0] > 0 ? x[0] : 0; }
static double w_sigmoid(const double *x) { return 1 / (1 + exp(-x[0])); }
static double w_tanh(const double *x) { return tanh(x[0]); }
static double w_relu_grad(const double *x) { return x[1] > 0 ? x[0] : 0; }
static double w_sigmoid_grad(const double *x) { return x[0] * x[1] * (1 - x[1]); }
static double w_tanh_grad(const double *x) { return x[0] * (1 - x[1] * x[1]); }
static double w_abs(const double *x) { return fabs(x[0]); }
static double w_sqrt(const double *x) { return sqrtf((float)x[0]); }
static double w_sign(const double *x) { return (x[0] > 0) - (x[0] < 0); }
static double w_select(const double *x) { return x[0] != 0 ? x[1] : x[2]; }
static double w_max(const double *x) { return x[0] > x[1] ? x[0] : x[1]; }
static double w_min(const double *x) { return x[0] < x[1] ? x[0] : x[1]; }
static double w_and(const double *x) { return x[0] != 0 && x[1] != 0; }
static double w_or(const double *x) { return x[0] != 0 || x[1] != 0; }
static double w_not(const double *x) { return x[0] == 0; }
static double w_exp(const double *x) { return expf((float)x[0]); }
static double w_log(const double *x) { return logf((float)x[0]); }
static double w_log1p(const double *x) { return (float)log1p(x[0]); }
static double w_recip(const double *x) { return (float)(1 / x[0]); }
/* row 0 of the f2x3 input is 0.25, -0.375, 0.5 (input_value): max 0.5 */
static double row0_sum(void) { return (double)expf(-0.25f) + (double)expf(-0.875f) + 1.0; }
static double w_softmax(const double *x) { return expf((float)x[0] - 0.5f) / row0_sum(); }
static double w_log_softmax(const double *x) { return ((float)x[0] - 0.5f) - logf((float)row0_sum()); }
static double w_sparse_xent(const double *x) { (void)x; return logf((float)row0_sum()) - 0.0f; /* label 2: the max */ }
static double w_elu(const double *x) { return x[0] < 0 ? expm1(x[0]) : x[0]; }
static double w_selu(const double *x) { return x[0] < 0 ? 1.7580993408473768 * expm1(x[0]) : 1.0507009873554805 * x[0]; }
static double w_softplus(const double *x) { return log1p(exp(x[0])); }
static double w_softsign(const double *x) { return x[0] / (fabs(x[0]) + 1); }
static double w_elu_grad(const double *x) { return x[1] < 0 ? (x[1] + 1) * x[0] : x[0]; }
static double w_selu_grad(const double *x) { return x[1] < 0 ? x[0] * (x[1] + 1.7580993408473768) : x[0] * 1.0507009873554805; }
static double w_softplus_grad(const double *x) { return x[0] / (exp(-x[1]) + 1); }
static double w_softsign_grad(const double *x) { return x[0] / ((fabs(x[1]) + 1) * (fabs(x[1]) + 1)); }
static double w_sqrt_grad(const double *x) { return (0.5f / (float)x[0]) * (float)x[1]; } /* a packet element */
static double w_zero(const double *x) { return (void)x, 0; }
static double w_two(const double *x) { return (void)x, 2; }
static double w_second(const double *x) { return x[1]; }
static double w_fourth(const double *x) { return x[3]; } /* OneHot of index 2 at position 0: off_value */
static double w_add3(const double *x) { return (float)((float)((float)x[0] + (float)x[1]) + (float)x[2]); }
/* row 0 of input_value: 0.25, -0.375, 0.5 */
static double w_argmax(const double *x) { return (void)x, 2; }
static double w_argmin(const double *x) { return (void)x, 1; }

static const op_case cases[] = {
    {"Const", "", "", NULL},
    {"Identity", "f2x3", "", w_id},
    {"StopGradient", "f2x3", "", w_id},
    {"NoOp", "", "", NULL},
    {"AddV2", "f2x3 f2x3", "", w_add},
    {"Sub", "f2x3 f2x3", "", w_sub},
    {"Mul", "f2x3 f2x3", "", w_mul},
    {"RealDiv", "f2x3 f2x3", "", w_div},
    {"Neg", "f2x3", "", w_neg},
    {"MatMul", "f2x3 f3x2", "", NULL},
    {"Mean", "f2x3 i=1", "", NULL},
    {"Reshape", "f2x3 i=3,2", "", w_id},
    {"Cast", "f2x3", "DstT=float64", w_id},
    {"GreaterEqual", "f2x3 f2x3", "", w_ge},
    {"Greater", "f2x3 f2x3", "", w_gt},
    {"Less", "f2x3 f2x3", "", w_lt},
    {"LessEqual", "f2x3 f2x3", "", w_le},
    {"Equal", "f2x3 f2x3", "", w_eq},
    {"NotEqual", "f2x3 f2x3", "", w_ne},
    {"Square", "f2x3", "", w_square},
    {"Sum", "f2x3 i=1", "", NULL},
    {"BroadcastTo", "f3 i=2,3", "", w_id},
    {"StridedSlice", "f2x3 i=1 i=2 i=1", "", NULL},
    {"Max", "f2x3 i=1", "", NULL},
    {"Min", "f2x3 i=1", "", NULL},
    {"Prod", "f2x3 i=1", "keep_dims=1", NULL},
    {"All", "b=1,0,1 i=0", "", NULL},
    {"Any", "b=1,0,1 i=0", "", NULL},
    {"Abs", "f2x3", "", w_abs},
    {"Sqrt", "f2x3", "", w_sqrt},
    {"Maximum", "f2x3 f2x3", "", w_max},
    {"Minimum", "f2x3 f2x3", "", w_min},
    {"LogicalAnd", "b=1,0,1 b=1,1,0", "", w_and},
    {"LogicalOr", "b=0,0,1 b=0,1,0", "", w_or},
    {"LogicalNot", "b=1,0,1", "", w_not},
    {"BiasAdd", "f2x3 f3", "", w_add},
    {"BiasAddGrad", "f2x3", "", NULL},
    {"Relu", "f2x3", "", w_relu},
    {"ReluGrad", "f2x3 f2x3", "", w_relu_grad},
    {"Sigmoid", "f2x3", "", w_sigmoid},
    {"SigmoidGrad", "f2x3 f2x3", "", w_sigmoid_grad},
    {"Tanh", "f2x3", "", w_tanh},
    {"TanhGrad", "f2x3 f2x3", "", w_tanh_grad},
    {"VariableV2", "", "dtype=float32 shape=2x3", NULL},
    {"Assign", "", "", NULL},
    {"ReadVariableOp", "", "var=0 dtype=float32 shape=2x3", w_id},
    {"AssignVariableOp", "f2x3", "var=0", NULL},
    {"ResourceApplyGradientDescent", "f f2x3", "var=0", NULL},
    {"ResourceApplyAdam", "f f f f f f f2x3", "var=0 m=0 v=0", NULL},
    {"ResourceApplyMomentum", "f f2x3 f", "var=0 accum=0", NULL},
    {"ResourceApplyKerasMomentum", "f f2x3 f", "var=0 accum=0", NULL},
    {"ResourceApplyRMSProp", "f f f f f2x3", "var=0 ms=0 mom=0", NULL},
    {"ResourceApplyAdagradV2", "f f f2x3", "var=0 accum=0", NULL},
    {"Pow", "f2x3 f", "", NULL},
    {"ApplyGradientDescent", "V f f2x3", "", NULL},
    {"ApplyMomentum", "V V f f2x3 f", "", NULL},
    {"ApplyAdam", "V V V f f f f f f f2x3", "", NULL},
    {"AssignAdd", "V f2x3", "", NULL},
    {"AssignAddVariableOp", "f2x3", "var=0", NULL},
    {"AssignSubVariableOp", "f2x3", "var=0", NULL},
    {"Placeholder", "", "slot=0 dtype=float32 shape=2x3", w_id},
    {"RandomStandardNormal", "i=2,3", "seed=1 seed2=2", NULL},
    {"RandomUniform", "i=2,3", "seed=1 seed2=2", NULL},
    {"RandomUniformInt", "i=2,3 s=0 s=10", "seed=1 seed2=2", NULL},
    {"TruncatedNormal", "i=2,3", "seed=1 seed2=2", NULL},
    {"RandomShuffle", "f2x3", "seed=1 seed2=2", NULL},
    {"StatelessRandomNormal", "i=2,3 I=1,2", "", NULL},
    {"StatelessRandomUniform", "i=2,3 I=1,2", "", NULL},
    {"StatelessTruncatedNormal", "i=2,3 I=1,2", "", NULL},
    {"StatefulStandardNormalV2", "i=2,3", "generator=0", NULL},
    {"StatefulUniform", "i=2,3", "generator=0", NULL},
    {"StatefulTruncatedNormal", "i=2,3", "generator=0", NULL},
    {"StatefulUniformInt", "i=2,3 s=0 s=10", "generator=0 dtype=int32", NULL},
    {"StatefulUniformFullInt", "i=2,3", "generator=0", NULL},
    {"StatelessRandomUniformInt", "i=2,3 I=1,2 s=0 s=10", "dtype=int32", NULL},
    {"StatelessRandomUniformFullInt", "i=2,3 I=1,2", "", NULL},
    {"StatelessMultinomial", "f2x3 s=4 I=1,2", "", NULL},
    {"Multinomial", "f2x3 s=4", "seed=1 seed2=2", NULL},
    {"StatelessShuffle", "f2x3 I=1,2", "", NULL},
    {"ReverseV2", "f2x3 i=0", "", NULL},
    {"Round", "f2x3", "", w_round},
    {"NumpyRandomNormal", "i=2,3", "", NULL},
    {"NumpyRandomUniform", "i=2,3", "", NULL},
    {"NumpyShuffle", "f2x3", "", NULL},
    {"_FusedMatMul", "f2x3 f3x2 f2", "activation=Relu", NULL},
    {"Sign", "f2x3", "", w_sign},
    {"SelectV2", "b=1,0,1 f3 f3", "", w_select},
    {"Select", "b=1,0,1 f3 f3", "", w_select},
    {"Exp", "f2x3", "", w_exp},
    {"Log", "f1", "", w_log},
    {"Log1p", "f2x3", "", w_log1p},
    {"Reciprocal", "f2x3", "", w_recip},
    {"ExpandDims", "f2x3 s=-1", "", w_id},
    {"Softmax", "f2x3", "", w_softmax},
    {"LogSoftmax", "f2x3", "", w_log_softmax},
    {"SoftmaxCrossEntropyWithLogits", "f2x3 f2x3", "", NULL},
    {"SparseSoftmaxCrossEntropyWithLogits", "f2x3 i=2,0", "", w_sparse_xent},
    {"Elu", "f2x3", "", w_elu},
    {"EluGrad", "f2x3 f2x3", "", w_elu_grad},
    {"Selu", "f2x3", "", w_selu},
    {"SeluGrad", "f2x3 f2x3", "", w_selu_grad},
    {"Softplus", "f2x3", "", w_softplus},
    {"SoftplusGrad", "f2x3 f2x3", "", w_softplus_grad},
    {"Softsign", "f2x3", "", w_softsign},
    {"SoftsignGrad", "f2x3 f2x3", "", w_softsign_grad},
    {"SqrtGrad", "f2x3 f2x3", "", w_sqrt_grad},
    {"ArgMax", "f2x3 s=1", "", w_argmax},
    {"ArgMin", "f2x3 s=1", "", w_argmin},
    {"Where", "b=1,0,1", "", w_zero},
    {"Pack", "f2x3 f2x3", "axis=1", w_id},
    {"ConcatV2", "f2x3 f2x3 s=1", "", w_id},
    {"AddN", "f2x3 f2x3 f2x3", "", w_add3},
    {"OneHot", "i=2,0 s=3 f f", "", w_fourth},
    {"Fill", "i=2,3 f", "", w_second},
    {"ZerosLike", "f2x3", "", w_zero},
    {"Shape", "f2x3", "", w_two},
    {"OneShotIterator", "", "", NULL},
    {"IteratorGetNext", "f2x3", "", w_id},
    {"StridedSliceGrad", "i=2,3 i=1 i=2 i=1 f1x3", "", w_zero},
    {"Transpose", "f2x3 i=1,0", "", w_id},
    {"Squeeze", "f1x3", "", w_id},
    {"Cumprod", "f2x3 s=1", "exclusive=1", w_one},
};
enum { NCASES = sizeof cases / sizeof cases[0] };

static const op_case *case_of(const char *op) {
  for (int i = 0; i < NCASES; i++)
    if (strcmp(cases[i].op, op) == 0) return &cases[i];
  return NULL;
}

/* Element j of float input k: small, signed, distinct, never zero, never a ReLU tie. */
static double input_value(int k, int64_t j) { return (j % 2 ? -1 : 1) * (0.25 + 0.125 * (double)j) + 0.0625 * k; }

/* ---- building a case ---- */

typedef struct built {
  sf_graph *g;
  int in[12], nin;
  double x0[12];             /* each input's first element */
  int node;                 /* the op's node */
  int fetch;                /* what to run: the node, or the variable an Assign wrote */
  bool target;              /* run as a target (no output) */
} built;

static int add_const(sf_graph *g, sf_tensor *t) {
  sf_node *c;
  sf_error err = {0};
  cr_assert_eq(sf_graph_add_const(g, NULL, t, &c, &err), SF_OK, "%s", err.msg);
  sf_tensor_unref(t);
  return c->id;
}

static sf_tensor *float_input(const char *spec, int k, const double *delta, int64_t at) {
  sf_shape s = {0};
  char *end;
  for (const char *p = spec + 1; *p; p = *end ? end + 1 : end) {
    s.dims[s.rank++] = strtol(p, &end, 10);
    if (end == p) break;
  }
  sf_tensor *t = sf_tensor_new(SF_FLOAT32, &s, NULL);
  for (int64_t j = 0; j < t->n; j++) sf_tensor_set(t, j, input_value(k, j) + (delta && j == at ? *delta : 0));
  return t;
}

static sf_tensor *int_input(const char *spec) {
  sf_dtype dt = spec[0] == 'I' ? SF_INT64 : spec[0] == 'b' ? SF_BOOL : SF_INT32;
  int64_t v[8];
  int n = 0;
  char *end;
  for (const char *p = spec + 2; *p && n < 8; p = *end ? end + 1 : end) v[n++] = strtoll(p, &end, 10);
  sf_shape s = spec[0] == 's' ? (sf_shape){0} : (sf_shape){1, {n}};
  sf_tensor *t = sf_tensor_new(dt, &s, NULL);
  for (int i = 0; i < n && i < t->n; i++) {
    if (dt == SF_INT64) ((int64_t *)t->data)[i] = v[i];
    else sf_tensor_set(t, i, (double)v[i]);
  }
  return t;
}

static void set_attr(const sf_op_def *d, sf_attr_value *a, const char *name, const char *v) {
  int i = sf_attr_index(d, name);
  cr_assert_geq(i, 0, "%s has no attribute '%s'", d->name, name);
  switch (d->attrs[i].type) {
    case SF_ATTR_TYPE: cr_assert(sf_dtype_from_name(v, &a[i].type), "dtype '%s'", v); break;
    case SF_ATTR_SHAPE:
      a[i].shape = (sf_shape){2, {strtol(v, NULL, 10), strtol(strchr(v, 'x') + 1, NULL, 10)}};
      break;
    case SF_ATTR_STRING: { /* the node keeps the pointer: a buffer that outlives the case */
      static char strings[8][32];
      static int next;
      char *s = strings[next++ % 8];
      snprintf(s, sizeof strings[0], "%s", v);
      a[i].s = s;
      break;
    }
    case SF_ATTR_FLOAT: a[i].f = strtod(v, NULL); break;
    default: a[i].i = strtoll(v, NULL, 10), a[i].b = a[i].i != 0; break;
  }
}

/* The case's inputs as Consts (input k's element `at` moved by *delta when given), then
 * the op. Variables get a VariableV2 + Assign pair. */
static built build(const op_case *c, const double *delta, int dk, int64_t at) {
  built b = {.g = sf_graph_new(false)};
  char buf[128], *save = NULL;
  snprintf(buf, sizeof buf, "%s", c->inputs);
  for (char *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
    int k = b.nin;
    if (tok[0] == 'V') { /* a TF1 variable holding an f2x3 value (VariableV2 + its Assign) */
      sf_attr_value va[2] = {{.type = SF_FLOAT32}, {.shape = {2, {2, 3}}}};
      int init = add_const(b.g, float_input("f2x3", k, NULL, 0));
      sf_node *var, *as;
      sf_error e = {0};
      cr_assert_eq(sf_graph_add(b.g, "VariableV2", NULL, NULL, 0, va, &var, &e), SF_OK, "%s", e.msg);
      cr_assert_eq(sf_graph_add(b.g, "Assign", NULL, (int[]){var->id, init}, 2, NULL, &as, &e), SF_OK, "%s", e.msg);
      b.x0[k] = input_value(k, 0);
      b.in[b.nin++] = var->id;
      continue;
    }
    sf_tensor *t = tok[0] == 'f' ? float_input(tok, k, k == dk ? delta : NULL, at) : int_input(tok);
    b.x0[k] = t->n ? sf_tensor_get(t, 0) : 0;
    b.in[b.nin++] = add_const(b.g, t);
  }
  if (!b.nin) b.x0[0] = input_value(0, 0); /* what the variable and the feed hold */
  const sf_op_def *d = sf_op_lookup(c->op);
  sf_attr_value a[8];
  for (int i = 0; i < d->nattrs; i++) a[i] = d->attrs[i].dflt;
  char abuf[128], *asave = NULL;
  snprintf(abuf, sizeof abuf, "%s", c->attrs);
  for (char *tok = strtok_r(abuf, " ", &asave); tok; tok = strtok_r(NULL, " ", &asave)) {
    char *eq = strchr(tok, '=');
    *eq = '\0';
    set_attr(d, a, tok, eq + 1);
  }
  sf_error err = {0};
  sf_node *n;
  if (strcmp(c->op, "Const") == 0) {
    b.node = b.fetch = add_const(b.g, float_input("f2x3", 0, NULL, 0));
    b.x0[0] = input_value(0, 0);
    return b;
  }
  if (strcmp(c->op, "Assign") == 0 || strcmp(c->op, "VariableV2") == 0) {
    sf_attr_value va[2] = {{.type = SF_FLOAT32}, {.shape = {2, {2, 3}}}};
    int init = add_const(b.g, float_input("f2x3", 0, NULL, 0));
    sf_node *var, *as;
    cr_assert_eq(sf_graph_add(b.g, "VariableV2", "v", NULL, 0, va, &var, &err), SF_OK, "%s", err.msg);
    cr_assert_eq(sf_graph_add(b.g, "Assign", NULL, (int[]){var->id, init}, 2, NULL, &as, &err), SF_OK, "%s", err.msg);
    b.node = strcmp(c->op, "Assign") == 0 ? as->id : var->id;
    b.fetch = b.node;
    b.x0[0] = input_value(0, 0);
    return b;
  }
  cr_assert_eq(sf_graph_add(b.g, c->op, NULL, b.in, b.nin, a, &n, &err), SF_OK, "%s: %s", c->op, err.msg);
  b.node = b.fetch = n->id;
  b.target = strcmp(c->op, "NoOp") == 0 || strcmp(c->op, "AssignVariableOp") == 0;
  return b;
}

/* What the kernels share: a Generator, a variable, a feed, a seeded NumPy stream. */
typedef struct world {
  sf_runtime rt;
  sf_pass_planner plan;
  sf_run_options opt;
  sf_tensor *feed;
} world;

static void world_init(world *w) {
  memset(w, 0, sizeof *w);
  w->opt.passes = ""; /* the op itself runs: no folding */
  w->rt.opt = &w->opt;
  cr_assert_eq(th_plan(&w->rt, &w->plan, NULL), SF_OK);
  w->rt.generators = calloc(1, sizeof *w->rt.generators);
  w->rt.ngenerators = w->rt.capgenerators = 1;
  w->rt.vars = calloc(1, sizeof *w->rt.vars);
  w->rt.nvars = w->rt.capvars = 1;
  w->rt.vars[0] = float_input("f2x3", 0, NULL, 0);
  w->feed = float_input("f2x3", 0, NULL, 0);
  w->rt.feeds = &w->feed;
  w->rt.nfeeds = 1;
  sf_mt_seed_numpy(&w->rt.numpy, 5);
}

static void world_free(world *w) {
  sf_tensor_unref(w->rt.vars[0]);
  free(w->rt.vars);
  sf_tensor_unref(w->feed);
  sf_runtime_free(&w->rt);
}

/* Runs b's op once; *out gets its value (NULL for a target). */
static sf_status run_built(world *w, const built *b, sf_tensor **out, sf_error *err) {
  sf_session s;
  sf_session_init(&s, b->g, 0);
  *out = NULL;
  sf_status st = b->target ? sf_session_run(&s, &w->rt, NULL, 0, &b->fetch, 1, NULL, NULL, err)
                           : sf_session_run(&s, &w->rt, &b->fetch, 1, NULL, 0, out, NULL, err);
  sf_session_free(&s);
  return st;
}

Test(ops, every_registered_op_has_a_case) {
  for (int i = 0; i < sf_op_count(); i++)
    cr_expect_not_null(case_of(sf_op_at(i)->name), "op %s has no case in test_ops.c", sf_op_at(i)->name);
  cr_assert_eq(NCASES, sf_op_count(), "%d cases for %d registered ops", (int)NCASES, sf_op_count());
}

/* The language builds an op's attributes in an array of SF_B_ATTRS on its stack
 * (sf_b_attrs): an op with more would lose the rest. */
Test(ops, attrs_fit_the_builder) {
  for (int i = 0; i < sf_op_count(); i++)
    cr_expect_leq(sf_op_at(i)->nattrs, SF_B_ATTRS, "op %s has %d attributes", sf_op_at(i)->name, sf_op_at(i)->nattrs);
}

Test(ops, shape_function_and_kernel_agree_on_a_small_input) {
  for (int i = 0; i < sf_op_count(); i++) {
    const sf_op_def *d = sf_op_at(i);
    const op_case *c = case_of(d->name);
    if (!c) continue;
    world w;
    world_init(&w);
    built b = build(c, NULL, -1, 0);
    const sf_node *n = sf_graph_node(b.g, b.node);
    sf_tensor *out;
    sf_error err = {0};
    cr_assert_eq(run_built(&w, &b, &out, &err), SF_OK, "%s: %s", d->name, err.msg);
    if (b.target) {
      cr_expect_null(out, "%s", d->name);
    } else {
      cr_assert_not_null(out, "%s: no output", d->name);
      cr_expect_eq(out->dtype, n->dtype, "%s: kernel dtype %s, shape function %s", d->name, sf_dtype_name(out->dtype),
                   sf_dtype_name(n->dtype));
      cr_expect(n->shape_known, "%s: shape function left the shape unknown for constant inputs", d->name);
      char a[64], s[64];
      cr_expect(sf_shape_equal(&out->shape, &n->shape), "%s: kernel shape %s, shape function %s", d->name,
                sf_shape_str(&out->shape, a, sizeof a), sf_shape_str(&n->shape, s, sizeof s));
      if (c->want) {
        double got = sf_tensor_get(out, 0), want = c->want(b.x0);
        cr_expect(fabs(got - want) <= 1e-6 * fmax(1, fabs(want)), "%s: first value %.9g, want %.9g", d->name, got, want);
      }
    }
    sf_tensor_unref(out);
    sf_graph_free(b.g);
    world_free(&w);
  }
}

/* ---- gradients ---- */


/* y = sum(w * op(x)) with fixed weights w (so that no gradient is trivially all ones). */
static int loss_of(sf_graph *g, int node) {
  const sf_node *n = sf_graph_node(g, node);
  sf_tensor *wt = sf_tensor_new(n->dtype, &n->shape, NULL);
  for (int64_t j = 0; j < wt->n; j++) sf_tensor_set(wt, j, 0.5 + 0.25 * (double)(j % 3));
  int w = add_const(g, wt);
  sf_tensor *ax = sf_tensor_new(SF_INT32, &(sf_shape){1, {n->shape.rank}}, NULL);
  for (int d = 0; d < n->shape.rank; d++) sf_tensor_set(ax, d, d);
  int axes = add_const(g, ax), prod = th_add_op(g, "Mul", (int[]){node, w}, 2, NULL, 0, NULL);
  int y = prod ? th_add_op(g, "Sum", (int[]){prod, axes}, 2, NULL, 0, NULL) : 0;
  cr_assert(y, "the loss of %s", n->op->name);
  return y;
}

static double eval_loss(world *w, const op_case *c, int k, int64_t at, double delta) {
  built b = build(c, &delta, k, at);
  b.fetch = loss_of(b.g, b.node);
  sf_tensor *out;
  sf_error err = {0};
  cr_assert_eq(run_built(w, &b, &out, &err), SF_OK, "%s: %s", c->op, err.msg);
  double v = sf_tensor_get(out, 0);
  sf_tensor_unref(out);
  sf_graph_free(b.g);
  return v;
}

Test(ops, gradients_match_finite_differences) {
  int checked = 0;
  for (int i = 0; i < sf_op_count(); i++) {
    const sf_op_def *d = sf_op_at(i);
    const op_case *c = case_of(d->name);
    /* Sqrt's case has negative inputs (NaN): test_grad_rules.c checks its rule. TF's
     * SoftmaxCrossEntropyWithLogits rule (softmax - labels) assumes rows of labels that sum
     * to 1, which these inputs are not: test_softmax.c checks it on such labels. */
    if (!c || !d->grad || strcmp(d->name, "Sqrt") == 0 || strcmp(d->name, "SoftmaxCrossEntropyWithLogits") == 0) continue;
    world w;
    world_init(&w);
    built b = build(c, NULL, -1, 0);
    int y = loss_of(b.g, b.node), dx[4] = {0};
    sf_error err = {0};
    sf_builder bl = th_graph_builder(b.g, &err);
    cr_assert_eq(sf_gradients(&bl, y, b.in, b.nin, dx), SF_OK, "%s: %s", d->name, err.msg);
    for (int k = 0; k < b.nin; k++) {
      if (sf_graph_node(b.g, b.in[k])->dtype != SF_FLOAT32) continue;
      cr_assert(dx[k], "%s: no gradient for float input %d", d->name, k);
      built gb = b;
      gb.fetch = dx[k];
      gb.target = false;
      sf_tensor *g;
      cr_assert_eq(run_built(&w, &gb, &g, &err), SF_OK, "%s: %s", d->name, err.msg);
      for (int64_t j = 0; j < g->n; j++) {
        const double h = 1.0 / 1024; /* a power of two: x +- h is exact in float32 */
        double fd = (eval_loss(&w, c, k, j, h) - eval_loss(&w, c, k, j, -h)) / (2 * h);
        double got = sf_tensor_get(g, j);
        cr_expect(fabs(got - fd) <= 2e-3 * fmax(1, fabs(fd)), "%s: d/dx%d[%lld] = %.7g, finite differences %.7g", d->name,
                  k, (long long)j, got, fd);
      }
      sf_tensor_unref(g);
      checked++;
    }
    sf_graph_free(b.g);
    world_free(&w);
  }
  cr_assert_geq(checked, 15, "only %d gradients checked", checked);
}
