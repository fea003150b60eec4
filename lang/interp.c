/* interp.c — runs a program in one mode: evaluates statements and expressions, binds
 * names, calls the API (api.c) and program functions, and implements the builder that
 * makes the same API code run eagerly, build a TF1 graph, or trace a tf.function. */
#include "interp.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine/hash.h"

struct sf_binding {
  const char *name;
  sf_val v;
  UT_hash_handle hh;
};

/* A program function; traced once in function mode when decorated with tf.function. */
struct sf_function {
  const sf_stmt *def;
  bool tf_function;
  sf_graph *g;
  sf_session sess;
  sf_val ret;              /* return value in terms of g's nodes */
  bool traced;
};

static sf_status eval(sf_interp *I, const sf_expr *e, sf_val *out);
static sf_status exec_block(sf_interp *I, sf_stmt **body, int n, bool *returned, sf_val *ret);

/* ---- errors ---- */

static sf_status error_at(sf_interp *I, const sf_expr *e, sf_status code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char msg[sizeof I->err->msg];
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return sf_error_at(I->err, e && e->line ? e->line : I->line, e && e->line ? e->col : 1, code, "%s", msg);
}

/* Errors from the engine carry no location: give them the current statement's. */
static sf_status locate(sf_interp *I, const sf_expr *e, sf_status st) {
  if (st != SF_OK && I->err && I->err->line == 0) {
    I->err->line = e && e->line ? e->line : I->line;
    I->err->col = e && e->line ? e->col : 1;
  }
  return st;
}

sf_status sf_arg_error(sf_interp *I, const sf_args *a, sf_status code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char msg[sizeof I->err->msg];
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return error_at(I, a ? a->call : NULL, code, "%s", msg);
}

sf_status sf_arg_rethrow(sf_interp *I, const sf_args *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char ctx[sizeof I->err->msg];
  vsnprintf(ctx, sizeof ctx, fmt, ap);
  va_end(ap);
  sf_error_prefix(I->err, "%s", ctx);
  return locate(I, a ? a->call : NULL, I->err->code);
}

/* ---- names ---- */

static sf_binding **scope_of(sf_interp *I) { return I->locals ? &I->locals : &I->globals; }

static sf_status bind_name(sf_interp *I, sf_binding **scope, const char *name, const sf_val *v) {
  sf_binding *b;
  HASH_FIND_STR(*scope, name, b);
  if (!b) {
    b = sf_arena_alloc(&I->arena, sizeof *b);
    if (!b) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
    b->name = name;
    HASH_ADD_KEYPTR(hh, *scope, b->name, strlen(b->name), b);
    if (!SF_HASH_ADDED(b)) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  }
  b->v = *v;
  return SF_OK;
}

sf_status sf_interp_rebind(sf_interp *I, const char *name, const sf_val *v) {
  return bind_name(I, scope_of(I), name, v);
}

static sf_val *lookup(sf_interp *I, const char *name) {
  sf_binding *b = NULL;
  if (I->locals) HASH_FIND_STR(I->locals, name, b);
  if (!b) HASH_FIND_STR(I->globals, name, b);
  return b ? &b->v : NULL;
}

static void free_scope(sf_binding **scope) {
  sf_binding *b, *tmp;
  HASH_ITER(hh, *scope, b, tmp) HASH_DEL(*scope, b);
}

/* ---- builder ---- */

sf_attr_value *sf_b_attrs(sf_interp *I, const char *op) {
  const sf_op_def *d = sf_op_lookup(op);
  sf_attr_value *a = d ? sf_arena_alloc(&I->arena, (size_t)(d->nattrs ? d->nattrs : 1) * sizeof *a) : NULL;
  for (int i = 0; a && i < d->nattrs; i++) a[i] = d->attrs[i].dflt;
  return a;
}

void sf_b_attr_set(const char *op, sf_attr_value *attrs, const char *name, sf_attr_value v) {
  int i = sf_attr_index(sf_op_lookup(op), name);
  if (i >= 0) attrs[i] = v;
}

sf_status sf_b_op(sf_interp *I, const char *op, const char *name, const int *in, int nin,
                  const sf_attr_value *attrs, sf_node **out) {
  sf_op_spec o = {.op = op, .name = name, .in = in, .nin = nin, .attrs = attrs, .line = I->line};
  return sf_context_add(&I->ctx, &o, out, I->err);
}

sf_status sf_b_random(sf_interp *I, const char *op, const char *name, const char *exact_name, const int *in, int nin,
                      const sf_attr_value *attrs, const sf_seed_pair *seeds, sf_node **out) {
  sf_op_spec o = {op, name, exact_name, in, nin, attrs, seeds, I->line};
  return sf_context_add(&I->ctx, &o, out, I->err);
}

static sf_status add_const_node(sf_interp *I, sf_tensor *t, const char *name, int *id) {
  sf_node *n;
  sf_status st = sf_context_add_const(&I->ctx, t, name, I->line, &n, I->err);
  if (st == SF_OK) *id = n->id;
  return st;
}

sf_status sf_b_const(sf_interp *I, sf_tensor *t, const char *name, int *id) { return add_const_node(I, t, name, id); }

sf_tensor *sf_b_eager_value(sf_interp *I, const sf_val *v) {
  return v->kind == V_TENSOR && v->g == I->E.g ? sf_eager_value(&I->E, v->node) : NULL;
}

void sf_b_tensor_val(sf_interp *I, int id, sf_val *out) {
  memset(out, 0, sizeof *out);
  out->kind = V_TENSOR;
  out->g = I->ctx.graph;
  out->node = id;
}

/* One Python number of a list literal: ints stay exact (int64), floats are doubles. */
typedef struct scalar {
  bool is_float;
  int64_t i;
  double f;
} scalar;

/* Python numbers and nested lists as a tensor; want < 0: float32 if any float, else int32
 * when every int fits, else int64 (TF's convert_to_tensor inference). */
static sf_status collect(sf_interp *I, const sf_val *v, int depth, sf_shape *s, scalar *vals, int64_t *n,
                         int64_t cap, bool *any_float, const sf_expr *at) {
  if (v->kind == V_LIST || v->kind == V_TUPLE) {
    if (depth >= SF_MAX_RANK) return error_at(I, at, SF_ESHAPE, "nested lists deeper than rank %d", SF_MAX_RANK);
    if (s->rank <= depth) {
      s->rank = depth + 1;
      s->dims[depth] = v->n;
    } else if (s->dims[depth] != v->n) {
      return error_at(I, at, SF_ESHAPE, "nested lists have different lengths (%d vs %" PRId64 ")", v->n, s->dims[depth]);
    }
    for (int i = 0; i < v->n; i++) {
      sf_status st = collect(I, &v->items[i], depth + 1, s, vals, n, cap, any_float, at);
      if (st != SF_OK) return st;
    }
    return SF_OK;
  }
  if (depth != s->rank && !(depth == 0 && s->rank == 0))
    return error_at(I, at, SF_ESHAPE, "nested lists have different depths");
  if (*n >= cap) return error_at(I, at, SF_ELIMIT, "list literal has more than %" PRId64 " elements", cap);
  switch (v->kind) {
    case V_INT: vals[(*n)++] = (scalar){.i = v->i}; return SF_OK;
    case V_BOOL: vals[(*n)++] = (scalar){.i = v->b}; return SF_OK;
    case V_FLOAT: vals[(*n)++] = (scalar){.is_float = true, .f = v->f}; *any_float = true; return SF_OK;
    default: return error_at(I, at, SF_ETYPE, "cannot convert a value of this kind to a tensor");
  }
}

/* Python's repr of a (nested) list of numbers, as TF quotes it in conversion errors. */
static void repr_value(const sf_val *v, char *buf, size_t len) {
  size_t o = strlen(buf);
  if (o + 1 >= len) return;
  if (v->kind == V_LIST || v->kind == V_TUPLE) {
    snprintf(buf + o, len - o, "%s", v->kind == V_LIST ? "[" : "(");
    for (int i = 0; i < v->n; i++) {
      if (i) strncat(buf, ", ", len - strlen(buf) - 1);
      repr_value(&v->items[i], buf, len);
    }
    strncat(buf, v->kind == V_LIST ? "]" : v->n == 1 ? ",)" : ")", len - strlen(buf) - 1);
  } else if (v->kind == V_INT) {
    snprintf(buf + o, len - o, "%" PRId64, v->i);
  } else if (v->kind == V_BOOL) {
    snprintf(buf + o, len - o, "%s", v->b ? "True" : "False");
  } else {
    snprintf(buf + o, len - o, "%.17g", v->f);
  }
}

/* An int that does not fit the requested dtype: TF raises; eager conversion
 * (ConvertToEagerTensor) and graph conversion (NumPy's np.array) word it differently. */
static sf_status int_out_of_range(sf_interp *I, const sf_val *v, int64_t x, sf_dtype dt, const sf_expr *at) {
  if (!I->ctx.eager)
    return error_at(I, at, SF_EINVAL, "Python integer %" PRId64 " out of bounds for %s", x, sf_dtype_name(dt));
  char repr[200] = "";
  repr_value(v, repr, sizeof repr);
  return error_at(I, at, SF_EINVAL, "Cannot convert %s to EagerTensor of dtype %s", repr, sf_dtype_name(dt));
}

sf_status sf_b_tensor(sf_interp *I, const sf_val *v, int want, const char *name, const sf_expr *at, int *id) {
  if (v->kind == V_TENSOR) {
    if (v->g == I->ctx.graph) {
      *id = v->node;
      return SF_OK;
    }
    /* A value from another graph (an eager tensor captured by a trace, a NumPy array in a
     * graph): it enters as a constant. */
    sf_tensor *t = v->g == I->E.g ? sf_eager_value(&I->E, v->node) : NULL;
    if (!t) return error_at(I, at, SF_EGRAPH, "tensor from another graph cannot be used here");
    return add_const_node(I, t, name, id);
  }
  enum { CAP = 1 << 16 };
  scalar *vals = malloc(CAP * sizeof *vals);
  if (!vals) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  sf_shape s = {0};
  int64_t n = 0;
  bool any_float = false;
  sf_status st = collect(I, v, 0, &s, vals, &n, CAP, &any_float, at);
  sf_dtype dt = want >= 0 ? (sf_dtype)want : any_float ? SF_FLOAT32 : SF_INT32;
  for (int64_t i = 0; want < 0 && dt == SF_INT32 && i < n; i++)
    if (!sf_int_fits(vals[i].i, SF_INT32)) dt = SF_INT64;
  if (st == SF_OK && any_float && !sf_dtype_is_float(dt))
    st = error_at(I, at, SF_ETYPE, "cannot convert a float to %s", sf_dtype_name(dt));
  for (int64_t i = 0; st == SF_OK && dt == SF_INT32 && i < n; i++)
    if (!sf_int_fits(vals[i].i, dt)) st = int_out_of_range(I, v, vals[i].i, dt, at);
  sf_tensor *t = NULL;
  if (st == SF_OK && sf_runtime_alloc(&I->rt, NULL, dt, &s, &t, I->err) != SF_OK) st = locate(I, at, I->err->code);
  for (int64_t i = 0; t && i < n; i++) {
    if (vals[i].is_float) sf_tensor_set(t, i, vals[i].f);
    else sf_tensor_set_i64(t, i, vals[i].i);
  }
  if (st == SF_OK) st = add_const_node(I, t, name, id);
  sf_tensor_unref(t);
  free(vals);
  return st;
}

const char *sf_b_scope_push(sf_interp *I, const char *base, const char **saved) {
  *saved = I->ctx.graph->scope;
  const char *name = sf_graph_unique_name(I->ctx.graph, base);
  if (name) I->ctx.graph->scope = name;
  return name;
}

void sf_b_scope_pop(sf_interp *I, const char *saved) { I->ctx.graph->scope = saved; }

sf_status sf_b_python_time(sf_interp *I, const char *op, const int *in_eager, int nin, const sf_attr_value *attrs,
                           sf_val *out) {
  sf_graph *cur = I->ctx.graph;
  sf_node *n;
  sf_status st = sf_context_enter_eager(&I->ctx, I->err);
  if (st != SF_OK) return st;
  st = sf_b_op(I, op, NULL, in_eager, nin, attrs, &n);
  sf_context_leave(&I->ctx);
  if (st != SF_OK) return st;
  sf_val v = {.kind = V_TENSOR, .g = I->E.g, .node = n->id, .numpy = true};
  *out = v;
  if (cur != I->E.g) { /* a NumPy array used in a graph becomes a constant there */
    int id;
    if ((st = add_const_node(I, sf_eager_value(&I->E, n->id), NULL, &id)) != SF_OK) return st;
    sf_b_tensor_val(I, id, out);
    out->numpy = true;
  }
  return SF_OK;
}

void sf_b_get_seed(sf_interp *I, bool has_op_seed, int64_t op_seed, sf_seed_pair *out) {
  sf_get_seed(I->opt.profile, I->ctx.eager ? &I->es : NULL, I->ctx.graph, has_op_seed, op_seed, out->seed, out->origin);
}

void sf_b_set_seed(sf_interp *I, int64_t seed) {
  if (I->ctx.eager) { /* context._set_global_seed: new stream, kernel cache cleared */
    sf_eager_seeds_set(&I->es, seed);
    sf_eager_clear_cache(&I->E);
  } else { /* graph.seed only: built ops keep their attrs, sessions keep counters */
    I->ctx.graph->has_seed = true;
    I->ctx.graph->seed = seed;
  }
}

sf_status sf_b_variable(sf_interp *I, int init, int *var) {
  sf_runtime *rt = &I->rt;
  if (rt->nvars == rt->capvars) {
    int nc = rt->capvars ? rt->capvars * 2 : 8;
    sf_tensor **nv = realloc(rt->vars, (size_t)nc * sizeof *nv);
    if (!nv) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
    memset(nv + rt->capvars, 0, (size_t)(nc - rt->capvars) * sizeof *nv);
    rt->vars = nv;
    rt->capvars = nc;
  }
  *var = rt->nvars++;
  sf_attr_value a = {.i = *var};
  sf_node *n;
  sf_status st = sf_b_op(I, "AssignVariableOp", "AssignVariableOp", &init, 1, &a, &n);
  if (st != SF_OK || I->ctx.eager || I->ctx.graph->is_function) return st;
  if (I->ninits == I->capinits) {
    int nc = I->capinits ? I->capinits * 2 : 8;
    int *ni = sf_arena_grow(&I->arena, I->inits, (size_t)I->ninits, (size_t)nc, sizeof *ni);
    if (!ni) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
    I->inits = ni;
    I->capinits = nc;
  }
  I->inits[I->ninits++] = n->id;
  return SF_OK;
}

sf_status sf_b_read(sf_interp *I, int var, int *id) {
  sf_node *init = NULL;
  for (int i = I->ctx.graph->n; i >= 1 && !init; i--) { /* dtype and shape from its initializer */
    sf_node *n = I->ctx.graph->nodes[i - 1];
    if (strcmp(n->op->name, "AssignVariableOp") == 0 && sf_node_attr(n, "var")->i == var) init = n;
  }
  sf_tensor *v = var < I->rt.nvars ? I->rt.vars[var] : NULL;
  sf_attr_value *attrs = sf_b_attrs(I, "ReadVariableOp");
  if (!attrs) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  if (!init && !v) return sf_error_set(I->err, SF_EINTERNAL, "variable %d has no initializer here", var);
  attrs[0].i = var;
  attrs[1].type = init ? init->dtype : v->dtype;
  attrs[2].shape = init ? init->shape : v->shape;
  sf_node *n;
  sf_status st = sf_b_op(I, "ReadVariableOp", "ReadVariableOp", NULL, 0, attrs, &n);
  if (st == SF_OK) *id = n->id;
  return st;
}

sf_status sf_b_run_inits(sf_interp *I) {
  if (!I->ninits) return SF_OK;
  sf_status st = sf_session_run(&I->sess, &I->rt, NULL, 0, I->inits, I->ninits, NULL, I->tr, I->err);
  I->ninits = 0;
  return st;
}

static sf_graph *builder_graph(void *ctx) { return ((sf_interp *)ctx)->ctx.graph; }
static sf_status builder_op(void *ctx, const char *op, const char *name, const int *in, int nin,
                            const sf_attr_value *attrs, int *out) {
  sf_node *n;
  sf_status st = sf_b_op(ctx, op, name ? name : op, in, nin, attrs, &n);
  if (st == SF_OK) *out = n->id;
  return st;
}
static sf_status builder_const(void *ctx, sf_tensor *t, int *out) { return sf_b_const(ctx, t, "Const", out); }

void sf_b_builder(sf_interp *I, sf_builder *b) {
  *b = (sf_builder){.ctx = I, .graph = builder_graph, .op = builder_op, .constant = builder_const, .err = I->err};
}

sf_tensor *sf_b_host_value(sf_interp *I, const sf_val *v) {
  if (v->kind != V_TENSOR) return NULL;
  if (v->g == I->E.g) return sf_eager_value(&I->E, v->node);
  const sf_node *n = sf_graph_node(v->g, v->node);
  return n ? n->value : NULL;
}

/* ---- argument binding ---- */

sf_status sf_bind(sf_interp *I, const char *fname, const sf_args *a, const char *params, sf_val *out, bool *given) {
  const char *names[16];
  char buf[256];
  snprintf(buf, sizeof buf, "%s", params);
  int np = 0;
  for (char *tok = strtok(buf, " "); tok && np < 16; tok = strtok(NULL, " ")) names[np++] = tok;
  for (int i = 0; i < np; i++) {
    memset(&out[i], 0, sizeof out[i]);
    given[i] = false;
  }
  if (a->npos > np)
    return sf_arg_error(I, a, SF_ETYPE, "%s() takes at most %d positional arguments (%d given)", fname, np, a->npos);
  for (int i = 0; i < a->npos; i++) {
    out[i] = a->pos[i];
    given[i] = true;
  }
  for (int k = 0; k < a->nkw; k++) {
    int i = 0;
    while (i < np && strcmp(names[i], a->kwnames[k]) != 0) i++;
    if (i == np)
      return sf_arg_error(I, a, SF_ETYPE, "%s() got an unexpected keyword argument '%s'", fname, a->kwnames[k]);
    if (given[i]) return sf_arg_error(I, a, SF_ETYPE, "%s() got multiple values for argument '%s'", fname, names[i]);
    out[i] = a->kw[k];
    given[i] = true;
  }
  return SF_OK;
}

sf_status sf_arg_int(sf_interp *I, const sf_args *a, const char *fname, const char *pname, const sf_val *v, int64_t *out) {
  if (v->kind == V_INT) return *out = v->i, SF_OK;
  if (v->kind == V_BOOL) return *out = v->b, SF_OK;
  sf_tensor *t = sf_b_eager_value(I, v);
  if (t && t->n == 1 && !sf_dtype_is_float(t->dtype)) return *out = sf_tensor_get_i64(t, 0), SF_OK;
  return sf_arg_error(I, a, SF_ETYPE, "%s(): argument '%s' must be an int", fname, pname);
}

sf_status sf_arg_float(sf_interp *I, const sf_args *a, const char *fname, const char *pname, const sf_val *v, double *out) {
  if (v->kind == V_FLOAT) return *out = v->f, SF_OK;
  if (v->kind == V_INT) return *out = (double)v->i, SF_OK;
  return sf_arg_error(I, a, SF_ETYPE, "%s(): argument '%s' must be a number", fname, pname);
}

sf_status sf_arg_dtype(sf_interp *I, const sf_args *a, const char *fname, const sf_val *v, sf_dtype dflt, sf_dtype *out) {
  if (v->kind == V_NONE) return *out = dflt, SF_OK;
  if (v->kind == V_DTYPE) return *out = v->dtype, SF_OK;
  if (v->kind == V_STR && sf_dtype_from_name(v->s, out)) return SF_OK;
  return sf_arg_error(I, a, SF_ETYPE, "%s(): argument 'dtype' must be a dtype such as tf.float32", fname);
}

/* ---- expressions ---- */

static sf_status eval_args(sf_interp *I, const sf_expr *e, sf_args *a) {
  memset(a, 0, sizeof *a);
  a->call = e;
  a->pos = sf_arena_alloc(&I->arena, (size_t)(e->nitems ? e->nitems : 1) * sizeof *a->pos);
  a->kw = sf_arena_alloc(&I->arena, (size_t)(e->nkw ? e->nkw : 1) * sizeof *a->kw);
  if (!a->pos || !a->kw) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  a->npos = e->nitems;
  a->nkw = e->nkw;
  a->kwnames = e->kwnames;
  for (int i = 0; i < e->nitems; i++) {
    sf_status st = eval(I, e->items[i], &a->pos[i]);
    if (st != SF_OK) return st;
  }
  for (int i = 0; i < e->nkw; i++) {
    sf_status st = eval(I, e->kwargs[i], &a->kw[i]);
    if (st != SF_OK) return st;
  }
  return SF_OK;
}

static sf_status call_function(sf_interp *I, const sf_val *fn, const sf_args *a, sf_val *out);

static sf_status call(sf_interp *I, const sf_expr *e, sf_val *out) {
  sf_val fn;
  sf_status st = eval(I, e->base, &fn);
  sf_args a;
  if (st == SF_OK) st = eval_args(I, e, &a);
  if (st != SF_OK) return st;
  memset(out, 0, sizeof *out);
  switch (fn.kind) {
    case V_BUILTIN: return locate(I, e, fn.fn(I, &a, out));
    case V_FUNC: return locate(I, e, call_function(I, &fn, &a, out));
    case V_METHOD: return locate(I, e, sf_api_method(I, fn.items, fn.s, &a, out));
    case V_LAYER:
    case V_MODEL: return locate(I, e, sf_keras_call(I, &fn, &a, out));
    case V_MODULE: return error_at(I, e->base, SF_ENAME, "unsupported function '%s'", fn.s);
    default: return error_at(I, e->base, SF_ETYPE, "this value is not callable");
  }
}

static const char *const module_roots[] = {"tf", "tensorflow", "np", "numpy", "keras", NULL};

static sf_status eval_name(sf_interp *I, const sf_expr *e, sf_val *out) {
  if (strcmp(e->name, "print") == 0 && !lookup(I, "print")) {
    *out = (sf_val){.kind = V_BUILTIN, .fn = sf_api_print};
    return SF_OK;
  }
  sf_val *v = lookup(I, e->name);
  if (v) return *out = *v, SF_OK;
  for (int i = 0; module_roots[i]; i++)
    if (strcmp(e->name, module_roots[i]) == 0) {
      const char *root = e->name[0] == 't' ? "tf" : e->name[0] == 'n' ? "np" : "keras";
      *out = (sf_val){.kind = V_MODULE, .s = root};
      return SF_OK;
    }
  return error_at(I, e, SF_ENAME, "name '%s' is not defined", e->name);
}

static sf_status eval_attr(sf_interp *I, const sf_expr *e, sf_val *out) {
  sf_val base;
  sf_status st = eval(I, e->base, &base);
  if (st != SF_OK) return st;
  if (base.kind == V_MODULE) {
    char path[256];
    snprintf(path, sizeof path, "%s.%s", base.s, e->name);
    if (strncmp(path, "keras.", 6) == 0) snprintf(path, sizeof path, "tf.%s.%s", base.s, e->name);
    sf_dtype dt;
    if (sf_api_dtype(path, &dt)) return *out = (sf_val){.kind = V_DTYPE, .dtype = dt}, SF_OK;
    sf_builtin_fn fn = sf_api_lookup(path);
    if (!fn) fn = sf_keras_lookup(path);
    const char *s = sf_arena_strdup(&I->arena, path);
    if (!s) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
    *out = fn ? (sf_val){.kind = V_BUILTIN, .fn = fn, .s = s} : (sf_val){.kind = V_MODULE, .s = s};
    return SF_OK;
  }
  if (base.kind == V_GENERATOR || base.kind == V_TENSOR || base.kind == V_LAYER || base.kind == V_MODEL) {
    sf_val *self = sf_arena_alloc(&I->arena, sizeof *self);
    if (!self) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
    *self = base;
    *out = (sf_val){.kind = V_METHOD, .items = self, .n = 1, .s = e->name};
    return SF_OK;
  }
  return error_at(I, e, SF_ENAME, "unsupported attribute '%s'", e->name);
}

static sf_status seq(sf_interp *I, const sf_expr *e, sf_val *out) {
  memset(out, 0, sizeof *out);
  out->kind = e->kind == SF_EX_LIST ? V_LIST : V_TUPLE;
  out->n = e->nitems;
  out->items = sf_arena_alloc(&I->arena, (size_t)(e->nitems ? e->nitems : 1) * sizeof *out->items);
  if (!out->items) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  for (int i = 0; i < e->nitems; i++) {
    sf_status st = eval(I, e->items[i], &out->items[i]);
    if (st != SF_OK) return st;
  }
  return SF_OK;
}

static bool is_number(const sf_val *v) { return v->kind == V_INT || v->kind == V_FLOAT || v->kind == V_BOOL; }
static double num(const sf_val *v) { return v->kind == V_FLOAT ? v->f : v->kind == V_INT ? (double)v->i : v->b; }

static sf_status python_arith(sf_interp *I, const sf_expr *e, const sf_val *a, const sf_val *b, sf_val *out) {
  memset(out, 0, sizeof *out);
  if (a->kind != V_FLOAT && b->kind != V_FLOAT && e->op != '/') {
    int64_t x = a->kind == V_INT ? a->i : a->b, y = b->kind == V_INT ? b->i : b->b, r;
    bool ovf = e->op == '+' ? __builtin_add_overflow(x, y, &r)
             : e->op == '-' ? __builtin_sub_overflow(x, y, &r)
                            : __builtin_mul_overflow(x, y, &r);
    if (ovf) return error_at(I, e, SF_EINVAL, "integer overflow in '%c'", e->op);
    *out = (sf_val){.kind = V_INT, .i = r};
    return SF_OK;
  }
  double x = num(a), y = num(b);
  if (e->op == '/' && y == 0) return error_at(I, e, SF_EINVAL, "division by zero");
  out->kind = V_FLOAT;
  out->f = e->op == '+' ? x + y : e->op == '-' ? x - y : e->op == '*' ? x * y : x / y;
  return SF_OK;
}

/* Tensor arithmetic: the Python number takes the tensor's dtype (convert_to_tensor). */
static sf_status tensor_arith(sf_interp *I, const sf_expr *e, const sf_val *a, const sf_val *b, sf_val *out) {
  const sf_val *t = a->kind == V_TENSOR ? a : b;
  int tid;
  sf_status st = sf_b_tensor(I, t, -1, NULL, e, &tid);
  if (st != SF_OK) return st;
  int dt = (int)sf_graph_node(I->ctx.graph, tid)->dtype;
  int ia, ib;
  if ((st = sf_b_tensor(I, a, dt, "x", e, &ia)) != SF_OK || (st = sf_b_tensor(I, b, dt, "y", e, &ib)) != SF_OK)
    return st;
  const char *op = e->op == '+' ? "AddV2" : e->op == '-' ? "Sub" : e->op == '*' ? "Mul" : "RealDiv";
  const char *name = e->op == '+' ? "add" : e->op == '-' ? "sub" : e->op == '*' ? "mul" : "truediv";
  sf_node *n;
  int in[2] = {ia, ib};
  if ((st = sf_b_op(I, op, name, in, 2, NULL, &n)) != SF_OK) return locate(I, e, st);
  sf_b_tensor_val(I, n->id, out);
  return SF_OK;
}

static sf_status eval(sf_interp *I, const sf_expr *e, sf_val *out) {
  memset(out, 0, sizeof *out);
  switch (e->kind) {
    case SF_EX_NAME: return eval_name(I, e, out);
    case SF_EX_ATTR: return eval_attr(I, e, out);
    case SF_EX_INT: out->kind = V_INT; out->i = e->i; return SF_OK;
    case SF_EX_FLOAT: out->kind = V_FLOAT; out->f = e->f; return SF_OK;
    case SF_EX_STR: out->kind = V_STR; out->s = e->name; return SF_OK;
    case SF_EX_BOOL: out->kind = V_BOOL; out->b = e->b; return SF_OK;
    case SF_EX_NONE: out->kind = V_NONE; return SF_OK;
    case SF_EX_LIST:
    case SF_EX_TUPLE: return seq(I, e, out);
    case SF_EX_CALL: return call(I, e, out);
    case SF_EX_NEG: {
      sf_val v;
      sf_status st = eval(I, e->base, &v);
      if (st != SF_OK) return st;
      if (v.kind == V_INT && v.i != INT64_MIN) return *out = (sf_val){.kind = V_INT, .i = -v.i}, SF_OK;
      if (v.kind == V_FLOAT) return *out = (sf_val){.kind = V_FLOAT, .f = -v.f}, SF_OK;
      if (v.kind != V_TENSOR) return error_at(I, e, SF_ETYPE, "bad operand for unary '-'");
      int id;
      sf_node *n;
      if ((st = sf_b_tensor(I, &v, -1, NULL, e, &id)) != SF_OK || (st = sf_b_op(I, "Neg", "Neg", &id, 1, NULL, &n)) != SF_OK)
        return locate(I, e, st);
      sf_b_tensor_val(I, n->id, out);
      return SF_OK;
    }
    case SF_EX_BINOP: {
      sf_val a, b;
      sf_status st = eval(I, e->base, &a);
      if (st == SF_OK) st = eval(I, e->rhs, &b);
      if (st != SF_OK) return st;
      if (is_number(&a) && is_number(&b)) return python_arith(I, e, &a, &b, out);
      if ((a.kind == V_TENSOR || is_number(&a)) && (b.kind == V_TENSOR || is_number(&b)))
        return tensor_arith(I, e, &a, &b, out);
      return error_at(I, e, SF_ETYPE, "unsupported operand types for '%c'", e->op);
    }
  }
  return error_at(I, e, SF_EINTERNAL, "unknown expression");
}

/* ---- program functions ---- */

static sf_status run_body(sf_interp *I, const sf_stmt *def, const sf_args *a, sf_val *out) {
  enum { MAX_DEPTH = 64 };
  if (I->depth >= MAX_DEPTH)
    return sf_arg_error(I, a, SF_EINVAL, "%s(): maximum call depth (%d) exceeded", def->name, MAX_DEPTH);
  if (a->nkw || a->npos != def->nparams)
    return sf_arg_error(I, a, SF_ETYPE, "%s() takes %d positional arguments (%d given)", def->name, def->nparams, a->npos);
  sf_binding *saved = I->locals, *locals = NULL;
  sf_status st = SF_OK;
  for (int i = 0; st == SF_OK && i < def->nparams; i++) st = bind_name(I, &locals, def->params[i], &a->pos[i]);
  /* An empty local scope still has to shadow nothing: mark it with a sentinel binding. */
  sf_val none = {.kind = V_NONE};
  if (st == SF_OK) st = bind_name(I, &locals, "__function__", &none);
  I->locals = locals;
  I->depth++;
  bool returned = false;
  *out = none;
  if (st == SF_OK) st = exec_block(I, def->body, def->nbody, &returned, out);
  free_scope(&I->locals);
  I->locals = saved;
  I->depth--;
  return st;
}

/* The tensor values inside v, in print order. */
static int collect_vals(const sf_val *v, const sf_val **out, int cap) {
  if (v->kind == V_TENSOR) {
    if (cap > 0) out[0] = v;
    return 1;
  }
  int n = 0;
  if (v->kind == V_TUPLE || v->kind == V_LIST)
    for (int i = 0; i < v->n; i++)
      n += collect_vals(&v->items[i], out ? out + (n < cap ? n : cap) : NULL, cap - n > 0 ? cap - n : 0);
  return n;
}

static sf_status stateful_targets(const sf_graph *g, int **out, int *n);

/* The values of v's tensors: eager ones as they are, the others fetched by one run of
 * session s (a tf.function call also runs every stateful op of its graph). */
static sf_status fetch(sf_interp *I, sf_session *s, const sf_val *v, bool call, sf_tensor **vals, int n) {
  const sf_val **tv = malloc((size_t)(n ? n : 1) * sizeof *tv);
  int *ids = malloc((size_t)(n ? n : 1) * sizeof *ids), *targets = NULL, nt = 0, nf = 0;
  sf_tensor **got = calloc((size_t)(n ? n : 1), sizeof *got);
  sf_status st = tv && ids && got ? SF_OK : SF_ENOMEM;
  if (st == SF_OK && call) st = stateful_targets(s->g, &targets, &nt);
  if (st != SF_OK) st = sf_error_set(I->err, SF_ENOMEM, "out of memory");
  if (st == SF_OK) collect_vals(v, tv, n);
  for (int i = 0; st == SF_OK && i < n; i++)
    if (tv[i]->g != I->E.g) ids[nf++] = tv[i]->node;
  if (st == SF_OK && (nf || nt)) st = sf_session_run(s, &I->rt, ids, nf, targets, nt, got, I->tr, I->err);
  for (int i = 0, j = 0; st == SF_OK && i < n; i++)
    vals[i] = tv[i]->g == I->E.g ? sf_tensor_ref(sf_eager_value(&I->E, tv[i]->node)) : sf_tensor_ref(got[j++]);
  for (int i = 0; i < nf; i++) sf_tensor_unref(got[i]);
  free(got);
  free(targets);
  free(ids);
  free(tv);
  return st;
}

/* Rebuilds v with fetched tensors as eager constants. */
static sf_status rebuild(sf_interp *I, const sf_val *v, sf_tensor **vals, int *k, sf_val *out) {
  *out = *v;
  if (v->kind == V_TENSOR) {
    int id;
    sf_status st = add_const_node(I, vals[(*k)++], NULL, &id);
    if (st == SF_OK) sf_b_tensor_val(I, id, out);
    return st;
  }
  if (v->kind != V_TUPLE && v->kind != V_LIST) return SF_OK;
  out->items = sf_arena_alloc(&I->arena, (size_t)(v->n ? v->n : 1) * sizeof *out->items);
  if (!out->items) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  for (int i = 0; i < v->n; i++) {
    sf_status st = rebuild(I, &v->items[i], vals, k, &out->items[i]);
    if (st != SF_OK) return st;
  }
  return SF_OK;
}

static sf_status stateful_targets(const sf_graph *g, int **out, int *n) {
  *out = malloc((size_t)(g->n ? g->n : 1) * sizeof **out);
  if (!*out) return SF_ENOMEM;
  *n = 0;
  for (int i = 0; i < g->n; i++)
    if (g->nodes[i]->op->flags & SF_OPF_STATEFUL) (*out)[(*n)++] = g->nodes[i]->id;
  return SF_OK;
}

/* Runs a graph once for the given value: fetches its tensors and every stateful op (a
 * tf.function call runs all its stateful ops), returns the value with eager tensors. */
static sf_status run_graph_call(sf_interp *I, sf_session *s, const sf_val *v, sf_tensor ***vals_out, int *nfetch) {
  int n = collect_vals(v, NULL, 0);
  sf_tensor **vals = calloc((size_t)(n ? n : 1), sizeof *vals);
  *vals_out = vals;
  *nfetch = n;
  return vals ? fetch(I, s, v, true, vals, n) : sf_error_set(I->err, SF_ENOMEM, "out of memory");
}

static void free_vals(sf_tensor **vals, int n) {
  for (int i = 0; vals && i < n; i++) sf_tensor_unref(vals[i]);
  free(vals);
}

static sf_status trace_function(sf_interp *I, sf_function *f, const sf_args *a) {
  f->g = sf_graph_new(true);
  if (!f->g) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  /* FuncGraph.seed = context.global_seed() at trace time. */
  f->g->has_seed = I->es.has_global;
  f->g->seed = I->es.global;
  int index = sf_context_new_graph_index(&I->ctx);
  sf_status st = sf_context_enter_graph(&I->ctx, f->g, I->err);
  if (st != SF_OK) return st;
  st = run_body(I, f->def, a, &f->ret);
  sf_context_leave(&I->ctx);
  if (st == SF_OK) st = sf_graph_validate(f->g, I->err);
  sf_session_init(&f->sess, f->g, index);
  f->traced = st == SF_OK;
  return st;
}

static sf_status call_function(sf_interp *I, const sf_val *fn, const sf_args *a, sf_val *out) {
  sf_function *f = &I->fns[fn->index];
  /* Eager mode runs tf.function bodies eagerly (run_functions_eagerly); graph mode inlines
   * them; a function called while tracing is inlined in the trace. */
  if (!f->tf_function || I->opt.mode != SF_MODE_FUNCTION || !I->ctx.eager) return run_body(I, f->def, a, out);
  if (a->npos || a->nkw)
    return sf_arg_error(I, a, SF_EINVAL, "@tf.function '%s': arguments are not supported in function mode", f->def->name);
  sf_status st = f->traced ? SF_OK : trace_function(I, f, a);
  sf_tensor **vals = NULL;
  int n = 0;
  if (st == SF_OK) st = run_graph_call(I, &f->sess, &f->ret, &vals, &n);
  int k = 0;
  if (st == SF_OK) st = rebuild(I, &f->ret, vals, &k, out);
  free_vals(vals, n);
  return st;
}

/* ---- printing ---- */

static void print_value(sf_interp *I, FILE *f, const sf_val *v, sf_tensor **vals, int *k, bool tf_style, bool nested) {
  switch (v->kind) {
    case V_NONE: fputs("None", f); break;
    case V_BOOL: fputs(v->b ? "True" : "False", f); break;
    case V_INT: fprintf(f, "%" PRId64, v->i); break;
    case V_FLOAT: fprintf(f, "%.17g", v->f); break;
    case V_STR: fputs(v->s, f); break;
    case V_DTYPE: fprintf(f, "<dtype: '%s'>", sf_dtype_name(v->dtype)); break;
    case V_TENSOR: {
      sf_tensor *t = vals[(*k)++];
      /* inside a list or tuple Python prints each element's repr */
      if (tf_style && !v->numpy) (nested ? sf_tensor_print_tf_repr : sf_tensor_print_tf)(f, t);
      else (nested ? sf_tensor_print_repr : sf_tensor_print_numpy)(f, t);
      break;
    }
    case V_LIST:
    case V_TUPLE:
      if (v->kind == V_TUPLE && v->b) { /* print's argument list */
        for (int i = 0; i < v->n; i++) {
          if (i) fputc(' ', f);
          print_value(I, f, &v->items[i], vals, k, tf_style, false);
        }
        break;
      }
      fputc(v->kind == V_LIST ? '[' : '(', f);
      for (int i = 0; i < v->n; i++) {
        if (i) fputs(", ", f);
        print_value(I, f, &v->items[i], vals, k, tf_style, true);
      }
      if (v->kind == V_TUPLE && v->n == 1) fputc(',', f);
      fputc(v->kind == V_LIST ? ']' : ')', f);
      break;
    case V_LAYER: fputs("<keras.layers.Layer object>", f); break;
    case V_MODEL: fputs("<keras.engine.sequential.Sequential object>", f); break;
    default: fputs("<object>", f); break;
  }
}

static sf_status emit_print(sf_interp *I, int line, const char *expr, const sf_val *v, sf_tensor **vals, int n,
                            bool tf_style) {
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  int k = 0;
  print_value(I, f, v, vals, &k, tf_style, false);
  fclose(f);
  sf_status st = sf_trace_add_print(I->tr, line, expr, vals, n, text);
  free(text);
  return st == SF_OK ? SF_OK : sf_error_set(I->err, st, "out of memory");
}

static const char *expr_text(sf_interp *I, const sf_expr *e) {
  int len;
  const char *line = sf_program_line(I->prog, e->line, &len);
  if (!line || e->col < 1 || e->col > len) return "";
  /* The argument runs to the print's closing parenthesis: take the rest of the line and
   * drop the final ')'. */
  const char *s = line + e->col - 1;
  int n = len - (e->col - 1);
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  if (n > 0 && s[n - 1] == ')') n--;
  return sf_arena_strndup(&I->arena, s, (size_t)n);
}

sf_status sf_api_print(sf_interp *I, const sf_args *a, sf_val *out) {
  out->kind = V_NONE;
  if (a->nkw) return sf_arg_error(I, a, SF_EINVAL, "print(): keyword arguments are not supported");
  /* print(a, b) prints a and b separated by a space: kept as a tuple marked `args`. */
  sf_val v = a->npos == 1 ? a->pos[0] : (sf_val){.kind = V_TUPLE, .items = a->pos, .n = a->npos, .b = true};
  const char *expr = a->npos ? expr_text(I, a->call->items[a->npos - 1]) : "";
  int line = a->call->line;
  if (I->implicit_function) { /* fetched when the program's one call runs */
    if (I->npending == I->cappending) {
      int nc = I->cappending ? I->cappending * 2 : 16;
      sf_pending_print *np = sf_arena_grow(&I->arena, I->pending, (size_t)I->npending, (size_t)nc, sizeof *np);
      if (!np) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
      I->pending = np;
      I->cappending = nc;
    }
    I->pending[I->npending++] = (sf_pending_print){line, expr, v};
    return SF_OK;
  }
  int n = collect_vals(&v, NULL, 0);
  sf_tensor **vals = calloc((size_t)(n ? n : 1), sizeof *vals);
  if (!vals) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  bool tf_style = I->ctx.eager;
  sf_status st = SF_OK;
  if (!I->ctx.eager) { /* session.run(x) */
    if ((st = sf_graph_validate(I->ctx.graph, I->err)) == SF_OK) st = sf_b_run_inits(I);
  }
  if (st == SF_OK) st = fetch(I, &I->sess, &v, false, vals, n);
  if (st == SF_OK) st = emit_print(I, line, expr, &v, vals, n, tf_style);
  free_vals(vals, n);
  return st;
}

/* Implicit function mode: the whole program was traced as one tf.function; call it once
 * and render the deferred prints from that call's values. */
static sf_status finish_implicit_function(sf_interp *I) {
  sf_val all = {.kind = V_TUPLE, .n = I->npending};
  all.items = sf_arena_alloc(&I->arena, (size_t)(I->npending ? I->npending : 1) * sizeof *all.items);
  if (!all.items) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  for (int i = 0; i < I->npending; i++) all.items[i] = I->pending[i].value;
  sf_status st = sf_graph_validate(I->main, I->err);
  sf_tensor **vals = NULL;
  int n = 0;
  if (st == SF_OK) st = run_graph_call(I, &I->sess, &all, &vals, &n);
  int k = 0;
  for (int i = 0; st == SF_OK && i < I->npending; i++) {
    int m = collect_vals(&I->pending[i].value, NULL, 0);
    st = emit_print(I, I->pending[i].line, I->pending[i].expr, &I->pending[i].value, vals + k, m, true);
    k += m;
  }
  free_vals(vals, n);
  return st;
}

/* ---- statements ---- */

static bool decorated_tf_function(const sf_stmt *s) {
  for (int i = 0; i < s->ndecorators; i++) {
    const sf_expr *d = s->decorators[i];
    if (d->kind == SF_EX_ATTR && strcmp(d->name, "function") == 0 && d->base->kind == SF_EX_NAME &&
        (strcmp(d->base->name, "tf") == 0 || strcmp(d->base->name, "tensorflow") == 0))
      return true;
  }
  return false;
}

static sf_status exec_def(sf_interp *I, const sf_stmt *s) {
  for (int i = 0; i < s->ndecorators; i++)
    if (!decorated_tf_function(s) || s->ndecorators > 1)
      return error_at(I, s->decorators[i], SF_ENAME, "unsupported decorator (only @tf.function is supported)");
  sf_function *nf = sf_arena_grow(&I->arena, I->fns, (size_t)I->nfns, (size_t)I->nfns + 1, sizeof *nf);
  if (!nf) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  I->fns = nf;
  memset(&nf[I->nfns], 0, sizeof *nf);
  nf[I->nfns].def = s;
  nf[I->nfns].tf_function = s->ndecorators > 0;
  sf_val v = {.kind = V_FUNC, .def = s, .index = I->nfns++};
  return bind_name(I, scope_of(I), s->name, &v);
}

static sf_status exec_stmt(sf_interp *I, const sf_stmt *s, bool *returned, sf_val *ret) {
  I->line = s->line;
  sf_val v;
  sf_status st;
  switch (s->kind) {
    case SF_ST_IMPORT:
    case SF_ST_PASS: return SF_OK;
    case SF_ST_EXPR: return eval(I, s->value, &v);
    case SF_ST_DEF: return exec_def(I, s);
    case SF_ST_RETURN:
      if (!I->locals) return sf_error_at(I->err, s->line, s->col, SF_ESYNTAX, "'return' outside function");
      *returned = true;
      if (!s->value) return ret->kind = V_NONE, SF_OK;
      return eval(I, s->value, ret);
    case SF_ST_ASSIGN:
      if ((st = eval(I, s->value, &v)) != SF_OK) return st;
      if (s->ntargets == 1) return bind_name(I, scope_of(I), s->targets[0], &v);
      if ((v.kind != V_TUPLE && v.kind != V_LIST) || v.n != s->ntargets)
        return sf_error_at(I->err, s->line, s->col, SF_ETYPE, "cannot unpack %s into %d targets",
                           v.kind == V_TUPLE || v.kind == V_LIST ? "a sequence of another length" : "a non-sequence",
                           s->ntargets);
      for (int i = 0; i < s->ntargets; i++)
        if ((st = bind_name(I, scope_of(I), s->targets[i], &v.items[i])) != SF_OK) return st;
      return SF_OK;
  }
  return SF_OK;
}

static sf_status exec_block(sf_interp *I, sf_stmt **body, int n, bool *returned, sf_val *ret) {
  for (int i = 0; i < n && !*returned; i++) {
    sf_status st = exec_stmt(I, body[i], returned, ret);
    if (st != SF_OK) return st;
  }
  return SF_OK;
}

/* ---- running a program ---- */

static bool has_tf_function(const sf_program *p) {
  for (int i = 0; i < p->n; i++)
    if (p->stmts[i]->kind == SF_ST_DEF && decorated_tf_function(p->stmts[i])) return true;
  return false;
}

static bool expr_uses_keras(const sf_expr *e) {
  if (!e) return false;
  if (e->kind == SF_EX_ATTR && strcmp(e->name, "keras") == 0) return true;
  if (e->kind == SF_EX_NAME && strcmp(e->name, "keras") == 0) return true;
  if (expr_uses_keras(e->base) || expr_uses_keras(e->rhs)) return true;
  for (int i = 0; i < e->nitems; i++)
    if (expr_uses_keras(e->items[i])) return true;
  for (int i = 0; i < e->nkw; i++)
    if (expr_uses_keras(e->kwargs[i])) return true;
  return false;
}

/* A Keras program in function mode runs its top level eagerly, as TF2 does; only
 * Keras's own train function is traced. */
static bool uses_keras(const sf_program *p) {
  for (int i = 0; i < p->n; i++)
    if (expr_uses_keras(p->stmts[i]->value)) return true;
  return false;
}

static sf_status setup(sf_interp *I) {
  sf_status st = sf_eager_init(&I->E, I->err);
  if (st != SF_OK) return st;
  I->rt.accumulate = I->opt.accumulate;
  I->rt.max_elements = I->opt.max_elements;
  I->rt.fixed_entropy = I->opt.fixed_entropy;
  I->rt.entropy_state = I->opt.entropy;
  if ((st = sf_runtime_limits_init(&I->rt, &I->opt, I->err)) != SF_OK) return st;
  I->tr->budget = sf_budget_ref(I->rt.budget);
  /* NumPy seeds its global stream from the OS when it is imported. */
  sf_mt_seed_numpy(&I->rt.numpy, (uint32_t)sf_runtime_entropy(&I->rt));
  I->rt.deterministic = I->opt.deterministic;
  I->rt.opt = &I->opt;
  if ((st = sf_pass_planner_init(&I->planner, &I->opt, I->opt.deterministic, I->err)) != SF_OK) return st;
  I->rt.planner = &I->planner.base;
  if ((st = sf_context_init(&I->ctx, &I->E, &I->rt, I->tr, I->err)) != SF_OK) return st;
  if (I->opt.mode == SF_MODE_EAGER) return SF_OK;
  if (I->opt.mode == SF_MODE_FUNCTION && (has_tf_function(I->prog) || uses_keras(I->prog))) return SF_OK;
  /* Graph mode, or function mode on a program without @tf.function: the whole program
   * is one graph (a tf.compat.v1 Graph, or the body of one implicit tf.function). */
  I->main = sf_graph_new(I->opt.mode == SF_MODE_FUNCTION);
  if (!I->main) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  sf_session_init(&I->sess, I->main, 0);
  if ((st = sf_context_enter_graph(&I->ctx, I->main, I->err)) != SF_OK) return st;
  I->implicit_function = I->opt.mode == SF_MODE_FUNCTION;
  return SF_OK;
}

static void teardown(sf_interp *I) {
  for (int i = 0; i < I->nfns; i++) {
    if (I->fns[i].g) sf_session_free(&I->fns[i].sess);
    sf_graph_free(I->fns[i].g);
  }
  if (I->main) {
    sf_session_free(&I->sess);
    sf_graph_free(I->main);
  }
  sf_keras_free(I);
  sf_context_free(&I->ctx);
  sf_eager_free(&I->E);
  for (int i = 0; i < I->rt.nvars; i++) sf_tensor_unref(I->rt.vars[i]);
  free(I->rt.vars);
  sf_runtime_free(&I->rt);
  sf_budget_unref(I->rt.budget);
  free_scope(&I->globals);
  sf_arena_free(&I->arena);
}

sf_status sf_run(const sf_program *p, const sf_run_options *opts, sf_trace **out, sf_error *err) {
  sf_error local;
  if (!err) err = &local;
  sf_error_clear(err);
  sf_interp I = {.prog = p, .opt = *opts, .err = err};
  *out = NULL;
  I.tr = sf_trace_new(opts->mode, opts->profile);
  if (!I.tr) return sf_error_set(err, SF_ENOMEM, "out of memory");
  sf_status st = setup(&I);
  bool returned = false;
  sf_val ret;
  if (st == SF_OK) st = exec_block(&I, p->stmts, p->n, &returned, &ret);
  if (st == SF_OK && I.implicit_function) st = finish_implicit_function(&I);
  teardown(&I);
  *out = I.tr;
  return st;
}
