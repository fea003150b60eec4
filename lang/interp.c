/* interp.c — runs a program in one mode: evaluates statements and expressions, binds
 * names, calls the API (api.c) and program functions, and implements the builder that
 * makes the same API code run eagerly, build a TF1 graph, or trace a tf.function. */
#include "interp.h"
#include "api_control.h"
#include "py.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "engine/hash.h"

/* One trace of a tf.function (a ConcreteFunction): its own FuncGraph, op-seed counter and
 * kernels. A call with a new signature (a Python argument's value, a tensor argument's
 * dtype or shape) traces again (tf-api-semantics.md D1). */
typedef struct sf_concrete {
  char *key;               /* the call signature */
  char *loose;             /* the same without the tensors' shapes (only with one_trace) */
  sf_graph *g;
  sf_session sess;
  sf_val ret;              /* return value in terms of g's nodes */
  int *caps;               /* pairs: a node of g holding a captured eager tensor's value, and that
                            * eager node (sf_b_tensor; malloc'd) */
  int ncaps, capcaps;
} sf_concrete;

/* A program function decorated with tf.function. */
struct sf_function {
  const sf_stmt *def;
  sf_func *obj;
  bool tf_function;
  bool holds_ref;          /* tf.function(f) keeps f alive: one reference, dropped at teardown */
  sf_concrete *traces;
  int ntraces;
  const char *one_trace;   /* input_signature, reduce_retracing or experimental_relax_shapes given:
                            * TF reuses (or relaxes) a trace for new shapes (def_function.py
                            * Function, function.py _define_function_with_shape_relaxation at
                            * v2.9.0), which seedflow does not model, so such a new trace is a
                            * located error (NULL: retrace freely) */
};

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

/* An argument TF 2's function lacks, given to it under its tf.compat.v1 name (lang/api.c
 * sf_api_lookup): TF 1's form takes it (keep_dims, reduction_indices, dim...), seedflow's
 * model of TF 2's does not, so it is unsupported, not a TypeError TF would not raise. */
static bool v1_alias(const sf_interp *I) { return I->api_path && sf_api_v1_alias(I->api_path); }
static sf_status v1_arg(sf_interp *I, const sf_args *a, const char *fname, const char *kw) {
  if (kw) return sf_arg_error(I, a, SF_ENAME, "unsupported: argument '%s' of tf.compat.v1's %s (seedflow models TF 2's %s)", kw, fname, fname);
  return sf_arg_error(I, a, SF_ENAME, "unsupported: %d positional arguments to tf.compat.v1's %s (seedflow models TF 2's %s)", a->npos, fname,
                      fname);
}

sf_status sf_arg_need(sf_interp *I, const sf_args *a, const char *fname, const char *pname, bool given) {
  return given ? SF_OK : sf_arg_error(I, a, SF_ETYPE, "%s() missing 1 required positional argument: '%s'", fname, pname);
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

/* ---- builder ---- */

void sf_b_attrs(const char *op, sf_attr_value *attrs) {
  const sf_op_def *d = sf_op_lookup(op);
  int n = d ? d->nattrs : 0;
  for (int i = 0; i < n && i < SF_B_ATTRS; i++) attrs[i] = d->attrs[i].dflt;
}

void sf_b_attr_set(const char *op, sf_attr_value *attrs, const char *name, sf_attr_value v) {
  int i = sf_attr_index(sf_op_lookup(op), name);
  if (i >= 0 && i < SF_B_ATTRS) attrs[i] = v;
}

sf_status sf_b_op(sf_interp *I, const char *op, const char *name, const int *in, int nin,
                  const sf_attr_value *attrs, sf_node **out) {
  sf_op_spec o = {.op = op, .name = name, .in = in, .nin = nin, .attrs = attrs, .line = I->line};
  sf_node *n;
  sf_status st = sf_context_add(&I->ctx, &o, &n, I->err);
  if (st == SF_OK && I->ctl) st = sf_ctl_node(I, n);
  if (out) *out = n;
  return st;
}

sf_status sf_b_op_scope(sf_interp *I, const char *op, const char *scope, const int *in, int nin,
                        const sf_attr_value *attrs, sf_node **out) {
  char name[560]; /* a name ending in '/' is taken as is (graph.h sf_graph_add) */
  snprintf(name, sizeof name, "%s/", scope);
  return sf_b_op(I, op, name, in, nin, attrs, out);
}

sf_status sf_b_random(sf_interp *I, const char *op, const char *name, const char *exact_name, const int *in, int nin,
                      const sf_attr_value *attrs, const sf_seed_pair *seeds, sf_node **out) {
  if (I->op_determinism && seeds && seeds->origin[0].kind == SF_SEED_OS_ENTROPY) /* random_seed.py get_seed (TF 2.9) */
    return sf_py_raise(I, NULL, BC_RUNTIME, "Random ops require a seed to be set when determinism is enabled. Please set a "
                                            "seed before running the op, e.g. by calling tf.random.set_seed(1).");
  if (seeds && seeds->origin[1].kind == SF_SEED_NODE_ID && I->ctx.graph->opaque)
    return sf_error_set(I->err, SF_ENAME,
                        "unsupported: an unseeded random op after %s in a TF1 graph: its seed2 is the graph's op count "
                        "(graph._last_id), which counts ops seedflow does not build (give the op a seed)",
                        I->ctx.graph->opaque);
  sf_op_spec o = {op, name, exact_name, in, nin, attrs, seeds, I->line};
  sf_node *n;
  sf_status st = sf_context_add(&I->ctx, &o, &n, I->err);
  if (st == SF_OK && I->ctl) st = sf_ctl_node(I, n);
  if (out) *out = n;
  return st;
}

static sf_status add_const_node(sf_interp *I, sf_tensor *t, const char *name, int *id) {
  sf_node *n;
  sf_status st = sf_context_add_const(&I->ctx, t, name, I->line, &n, I->err);
  if (st == SF_OK) *id = n->id;
  return st;
}

sf_status sf_b_const(sf_interp *I, sf_tensor *t, const char *name, int *id) { return add_const_node(I, t, name, id); }

sf_status sf_b_host_array(sf_interp *I, sf_tensor *t, const char *name, int *id) {
  sf_status st = sf_context_enter_eager(&I->ctx, I->err);
  if (st != SF_OK) return st;
  st = add_const_node(I, t, name, id);
  sf_context_leave(&I->ctx);
  if (st == SF_OK) sf_graph_node(I->E.g, *id)->host_array = true;
  return st;
}

sf_tensor *sf_b_eager_value(sf_interp *I, const sf_val *v) {
  return v->kind == V_TENSOR && v->g == I->E.g ? sf_eager_value(&I->E, v->node) : NULL;
}

void sf_b_tensor_val(sf_interp *I, int id, sf_val *out) {
  memset(out, 0, sizeof *out);
  out->kind = V_TENSOR;
  out->g = I->ctx.graph;
  out->node = id;
}

/* sf_np_discover's walk (interp.h). */
static void disagree(sf_np_discovery *d, int depth) {
  if (d->conflict < 0 || depth < d->conflict) d->conflict = depth;
}

/* One dimension of length n at depth. */
static void dimension(sf_np_discovery *d, int depth, int64_t n) {
  if (depth >= SF_MAX_RANK) return (void)(d->deep = SF_NP_TOO_DEEP);
  if (d->ends[depth] || (d->size[depth] >= 0 && d->size[depth] != n)) disagree(d, depth);
  if (d->size[depth] < 0) d->size[depth] = n;
}

static void leaf(sf_np_discovery *d, int depth, sf_dtype dt) {
  if (d->size[depth] >= 0) disagree(d, depth);
  d->ends[depth] = true;
  d->dt = d->any ? sf_np_promote(d->dt, false, dt, false) : dt;
  d->any = true;
}

static void discover(sf_interp *I, const sf_val *v, int depth, sf_np_discovery *d) {
  if (depth > SF_MAX_RANK) return (void)(d->deep = SF_NP_TOO_DEEP);
  if (v->kind == V_LIST || v->kind == V_TUPLE) {
    dimension(d, depth, v->n);
    for (int i = 0; i < v->n && !d->deep; i++) discover(I, &v->items[i], depth + 1, d);
    return;
  }
  if (!d->first) d->first = v; /* the first leaf, depth first */
  if (v->kind == V_TENSOR) {
    const sf_tensor *t = sf_b_host_value(I, v);
    if (!t) return (void)(d->symbolic = true);
    for (int k = 0; k < t->shape.rank && !d->deep; k++) dimension(d, depth + k, t->shape.dims[k]);
    if (depth + t->shape.rank > SF_MAX_RANK) return (void)(d->deep = SF_NP_TOO_DEEP);
    return leaf(d, depth + t->shape.rank, t->dtype);
  }
  if (v->kind != V_INT && v->kind != V_FLOAT && v->kind != V_BOOL) return (void)(d->deep = SF_NP_NOT_A_NUMBER);
  leaf(d, depth, sf_np_is_scalar(v) ? v->dtype : v->kind == V_BOOL ? SF_BOOL : v->kind == V_INT ? SF_INT64 : SF_FLOAT64);
}

void sf_np_discover(sf_interp *I, const sf_val *v, sf_np_discovery *d) {
  memset(d, 0, sizeof *d);
  d->conflict = -1;
  for (int k = 0; k <= SF_MAX_RANK; k++) d->size[k] = -1;
  discover(I, v, 0, d);
  int depth = d->conflict >= 0 ? d->conflict : 0;
  while (d->conflict < 0 && depth < SF_MAX_RANK && !d->ends[depth] && d->size[depth] >= 0) depth++; /* where the leaves end */
  for (d->shape.rank = 0; d->shape.rank < depth; d->shape.rank++) d->shape.dims[d->shape.rank] = d->size[d->shape.rank];
}

sf_status sf_np_inhomogeneous(sf_interp *I, const sf_expr *at, const sf_np_discovery *d) {
  char shape[160] = "";
  for (int k = 0; k < d->shape.rank; k++)
    snprintf(shape + strlen(shape), sizeof shape - strlen(shape), "%s%lld", k ? ", " : "", (long long)d->shape.dims[k]);
  return sf_py_raise(I, at, BC_VALUEERR,
                     "setting an array element with a sequence. The requested array has an inhomogeneous shape after "
                     "%d dimensions. The detected shape was (%s%s) + inhomogeneous part.",
                     d->shape.rank, shape, d->shape.rank == 1 ? "," : "");
}

/* One element of a value being converted (a Python number, or an element of an array in
 * it): ints stay exact (int64), floats are doubles. */
typedef struct scalar {
  bool is_float;
  int64_t i;
  double f;
} scalar;

/* The leaves of a discovered (rectangular) list, depth first, into vals: a tensor leaf's
 * elements one by one. */
static void leaves_of(sf_interp *I, const sf_val *v, scalar *vals, int64_t *n) {
  if (v->kind == V_LIST || v->kind == V_TUPLE) {
    for (int i = 0; i < v->n; i++) leaves_of(I, &v->items[i], vals, n);
    return;
  }
  if (v->kind == V_TENSOR) {
    const sf_tensor *t = sf_b_host_value(I, v);
    bool fl = sf_dtype_is_float(t->dtype);
    for (int64_t i = 0; i < t->n; i++, (*n)++)
      vals[*n] = fl ? (scalar){.is_float = true, .f = sf_tensor_get(t, i)} : (scalar){.i = sf_tensor_get_i64(t, i)};
    return;
  }
  vals[(*n)++] = v->kind == V_FLOAT ? (scalar){.is_float = true, .f = v->f} : (scalar){.i = v->kind == V_INT ? v->i : v->b};
}

/* The dtype a leaf is inferred as by eager conversion (py_seq_tensor.cc InferShapeAndType,
 * which samples the first leaf): NumPy's float64 is double, other floats float, bools bool,
 * every int (Python's, NumPy's of any width) int64, tried as int32 first. */
static sf_dtype eager_leaf_type(sf_interp *I, const sf_val *v) {
  sf_dtype dt = v->kind == V_TENSOR ? sf_b_host_value(I, v)->dtype
                : sf_np_is_scalar(v)  ? v->dtype
                : v->kind == V_FLOAT  ? SF_FLOAT32
                : v->kind == V_BOOL   ? SF_BOOL
                                      : SF_INT64;
  return dt == SF_FLOAT64 || dt == SF_BOOL ? dt : sf_dtype_is_float(dt) ? SF_FLOAT32 : SF_INT64;
}

/* The first leaf that is a TF tensor (not a NumPy array), or NULL: a list holding one
 * converts in that tensor's dtype (array_ops.py _autopacking_conversion_function; in eager
 * mode its values are taken, no Pack is built). */
static const sf_val *first_tensor(const sf_val *v) {
  if (v->kind == V_LIST || v->kind == V_TUPLE) {
    for (int i = 0; i < v->n; i++) {
      const sf_val *t = first_tensor(&v->items[i]);
      if (t) return t;
    }
    return NULL;
  }
  return v->kind == V_TENSOR && !v->numpy ? v : NULL;
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

/* Whether v is a tensor of the graph being built (not a NumPy array or an eager value). */
static bool graph_tensor(sf_interp *I, const sf_val *v) {
  return v->kind == V_TENSOR && !v->numpy && v->g == I->ctx.graph && !I->ctx.eager;
}

/* The dtype of the first graph tensor in v, depth first (_get_dtype_from_nested_lists), up
 * to the deepest nesting a tensor can have (deeper lists are refused as such); false when v
 * holds none. */
static bool first_graph_dtype(sf_interp *I, const sf_val *v, int depth, sf_dtype *dt) {
  if (graph_tensor(I, v)) return *dt = sf_graph_node(I->ctx.graph, v->node)->dtype, true;
  if (v->kind != V_LIST && v->kind != V_TUPLE) return false;
  for (int i = 0; depth < SF_MAX_RANK && i < v->n; i++)
    if (first_graph_dtype(I, &v->items[i], depth + 1, dt)) return true;
  return false;
}

/* The graph tensors of v, depth first (nest.flatten's order), cast to dt where their dtype
 * differs (array_ops.py _cast_nested_seqs_to_dtype: one Cast op each, before the packing);
 * ids[k] is the k-th tensor's node after it. */
static sf_status cast_tensors(sf_interp *I, const sf_val *v, sf_dtype dt, int depth, int *ids, int *k, int cap) {
  if (graph_tensor(I, v)) {
    if (*k >= cap) return sf_error_set(I->err, SF_ELIMIT, "unsupported: packing more than %d tensors", cap);
    int id = v->node;
    if (sf_graph_node(I->ctx.graph, id)->dtype != dt) {
      sf_attr_value attrs[SF_B_ATTRS];
      sf_b_attrs("Cast", attrs);
      sf_node *c;
      sf_b_attr_set("Cast", attrs, "DstT", (sf_attr_value){.type = dt});
      sf_status st = sf_b_op(I, "Cast", "Cast", &id, 1, attrs, &c);
      if (st != SF_OK) return st;
      id = c->id;
    }
    ids[(*k)++] = id;
    return SF_OK;
  }
  if (v->kind != V_LIST && v->kind != V_TUPLE) return SF_OK;
  for (int i = 0; depth < SF_MAX_RANK && i < v->n; i++) {
    sf_status st = cast_tensors(I, &v->items[i], dt, depth + 1, ids, k, cap);
    if (st != SF_OK) return st;
  }
  return SF_OK;
}

typedef struct packing {
  sf_dtype dt;
  const int *tensors;       /* the graph tensors' nodes in depth-first order (cast_tensors) */
  int next;
  const sf_expr *at;
} packing;

/* array_ops.py _autopacking_helper in a graph: in name scope `name`, a first walk packs each
 * element list holding a tensor in scope str(i) (a list without one enters its scope too,
 * and stays a list); if a tensor was met, a second walk makes a Const str(i) of dtype dt of
 * every element that is no tensor, then one Pack (axis 0) named as the scope. *id: the Pack,
 * or 0 when the list held no tensor. */
static sf_status autopack(sf_interp *I, const sf_val *v, packing *p, const char *name, int depth, int *id) {
  *id = 0;
  if (depth >= SF_MAX_RANK) return error_at(I, p->at, SF_ESHAPE, "nested lists deeper than rank %d", SF_MAX_RANK);
  int *ids = calloc((size_t)(v->n ? v->n : 1), sizeof *ids); /* a node per element, 0: not yet a tensor */
  if (!ids) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  const char *saved, *scope = sf_b_scope_push(I, name, &saved);
  sf_status st = scope ? SF_OK : sf_error_set(I->err, SF_ENOMEM, "out of memory");
  bool must_pack = false;
  for (int i = 0; st == SF_OK && i < v->n; i++) {
    const sf_val *e = &v->items[i];
    char nm[24];
    snprintf(nm, sizeof nm, "%d", i);
    if (graph_tensor(I, e)) ids[i] = p->tensors[p->next++], must_pack = true;
    else if (e->kind == V_LIST || e->kind == V_TUPLE) st = autopack(I, e, p, nm, depth + 1, &ids[i]), must_pack |= ids[i] != 0;
  }
  for (int i = 0; st == SF_OK && must_pack && i < v->n; i++) {
    char nm[24];
    snprintf(nm, sizeof nm, "%d", i);
    if (!ids[i]) st = sf_b_tensor(I, &v->items[i], (int)p->dt, nm, p->at, &ids[i]);
  }
  sf_node *n = NULL;
  if (st == SF_OK && must_pack) {
    sf_attr_value attrs[SF_B_ATTRS];
    sf_b_attrs("Pack", attrs);
    st = sf_b_op_scope(I, "Pack", scope, ids, v->n, attrs, &n);
  }
  if (scope) sf_b_scope_pop(I, saved);
  free(ids);
  if (st == SF_OK && n) *id = n->id;
  return st == SF_OK ? SF_OK : locate(I, p->at, st);
}

/* A list holding a graph tensor converted as array_ops.py _autopacking_conversion_function
 * does: in dtype dt (the first tensor's, or the requested one: the tensors cast to it). */
static sf_status autopack_list(sf_interp *I, const sf_val *v, sf_dtype dt, const sf_expr *at, int *id) {
  enum { MAX_TENSORS = 4096 };
  packing p = {.dt = dt, .at = at};
  int *tensors = malloc(MAX_TENSORS * sizeof *tensors), k = 0;
  if (!tensors) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  sf_status st = cast_tensors(I, v, p.dt, 0, tensors, &k, MAX_TENSORS);
  p.tensors = tensors;
  if (st == SF_OK) st = autopack(I, v, &p, "packed", 0, id);
  free(tensors);
  return st == SF_OK ? SF_OK : locate(I, at, st);
}

/* A NumPy array converted to a requested dtype as NumPy casts (NPY_ARRAY_FORCECAST in
 * py_seq_tensor.cc, astype in make_tensor_proto): floats to ints truncate. */
static sf_status numpy_cast(sf_interp *I, const sf_tensor *x, sf_dtype dt, const char *name, const sf_expr *at, int *id) {
  sf_tensor *t = NULL;
  if (sf_runtime_alloc(&I->rt, NULL, dt, &x->shape, &t, I->err) != SF_OK) return locate(I, at, I->err->code);
  sf_numpy_cast_into(x, t, 0);
  sf_status st = add_const_node(I, t, name, id);
  sf_tensor_unref(t);
  return st;
}

sf_status sf_b_tensor_take(sf_interp *I, sf_val *r, int want, const char *name, const sf_expr *at, int *id) {
  sf_status st = sf_b_tensor(I, r, want, name, at, id);
  if (st == SF_OK && r->kind == V_TENSOR && r->counted && r->node == *id && r->g == I->E.g) sf_eager_take(&I->E, *id);
  sf_val_drop(r);
  return st;
}

int sf_b_tensor_dtype(sf_interp *I, const sf_val *v) {
  if (v->kind != V_TENSOR || !(v->g == I->ctx.graph || (v->g == I->E.g && !v->numpy))) return -1;
  const sf_node *n = sf_graph_node(v->g, v->node);
  return n ? (int)n->dtype : -1;
}

sf_status sf_b_matmul_ranks(sf_interp *I, const sf_expr *at, int a, int b) {
  const sf_node *x = sf_graph_node(I->ctx.graph, a), *y = sf_graph_node(I->ctx.graph, b);
  if ((x->shape_known && x->shape.rank > 2) || (y->shape_known && y->shape.rank > 2))
    /* math_ops.py matmul: batch_mat_mul_v2 for operands of a rank above 2 */
    return error_at(I, at, SF_ENAME, "unsupported: matmul of tensors of rank %d and %d (TensorFlow's batch matmul, "
                    "BatchMatMulV2, is not modelled)", x->shape_known ? x->shape.rank : -1, y->shape_known ? y->shape.rank : -1);
  return SF_OK;
}

bool sf_grow(void **p, int *cap, int need, size_t size) {
  if (need <= *cap) return true;
  int nc = *cap ? *cap * 2 : 8;
  while (nc < need) nc *= 2;
  void *np = realloc(*p, (size_t)nc * size);
  if (!np) return false;
  *p = np;
  *cap = nc;
  return true;
}

/* A trace's constant holding the value of eager node e: TF captures e, and a call's gradient
 * flows to it (sf_traced_call). */
static sf_status note_capture(sf_interp *I, int id, int e) {
  if (!I->tracing_slot) return SF_OK;
  sf_concrete *c = &I->fns[I->tracing_slot - 1].traces[I->tracing_ti];
  if (c->g != I->ctx.graph) return SF_OK;
  if (!sf_grow((void **)&c->caps, &c->capcaps, c->ncaps + 2, sizeof *c->caps))
    return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  c->caps[c->ncaps++] = id;
  c->caps[c->ncaps++] = e;
  return SF_OK;
}

sf_status sf_b_tensor(sf_interp *I, const sf_val *v, int want, const char *name, const sf_expr *at, int *id) {
  const sf_tensor *host = v->kind == V_TENSOR && v->numpy ? sf_b_host_value(I, v) : NULL;
  if (host && want >= 0 && host->dtype != (sf_dtype)want) return numpy_cast(I, host, (sf_dtype)want, name, at, id);
  if (v->kind == V_TENSOR) {
    if (v->g == I->ctx.graph && !v->numpy) {
      *id = v->node;
      return SF_OK;
    }
    /* A value from another graph (an eager tensor captured by a trace, a NumPy array in a
     * graph) enters as a constant; so does a NumPy array in the eager frame: the tensor holds
     * the array's values now, which an in-place operator may change later (TF's conversion
     * copies, or aliases an aligned buffer by chance: tensorflow#59729). */
    sf_tensor *t = v->g == I->E.g ? sf_eager_value(&I->E, v->node) : NULL;
    if (!t) return error_at(I, at, SF_EGRAPH, "tensor from another graph cannot be used here");
    sf_status st = add_const_node(I, t, name, id);
    return st == SF_OK && !v->numpy ? note_capture(I, *id, v->node) : st; /* a NumPy array is a value, not a capture */
  }
  /* Python numbers, NumPy scalars and arrays, and nested lists of them. The shape is NumPy's
   * discovery; the dtype (want < 0) TensorFlow's: eager conversion infers it from the first
   * leaf (py_seq_tensor.cc), a graph's from np.array of the list with float64 taken as
   * float32 and int64 as int32 when every value fits (tensor_util.py make_tensor_proto). */
  sf_dtype first;
  if ((v->kind == V_LIST || v->kind == V_TUPLE) && first_graph_dtype(I, v, 0, &first))
    return autopack_list(I, v, want >= 0 ? (sf_dtype)want : first, at, id);
  sf_np_discovery d;
  sf_np_discover(I, v, &d);
  if (d.symbolic)
    return error_at(I, at, SF_ENAME, "unsupported: a list holding a tensor of another graph");
  if (d.deep == SF_NP_NOT_A_NUMBER) return error_at(I, at, SF_ETYPE, "cannot convert a value of this kind to a tensor");
  if (d.deep) return error_at(I, at, SF_ESHAPE, "nested lists deeper than rank %d", SF_MAX_RANK);
  if (d.conflict >= 0) {
    if (!I->ctx.eager) return sf_np_inhomogeneous(I, at, &d);
    return sf_py_raise(I, at, BC_VALUEERR, "Can't convert non-rectangular Python sequence to Tensor.");
  }
  sf_shape s = d.shape;
  int64_t n = 1;
  for (int k = 0; k < s.rank; k++) n = s.dims[k] > 0 && n <= SF_MAX_ELEMENTS ? n * s.dims[k] : s.dims[k] > 0 ? n : 0;
  if (n > SF_MAX_ELEMENTS) return error_at(I, at, SF_ELIMIT, "a list of more than %lld elements", (long long)SF_MAX_ELEMENTS);
  enum { SMALL = 16 };
  /* on the stack for a Python scalar, not a malloc per `x + 1.0` */
  scalar small[SMALL], *vals = n <= SMALL ? small : malloc((size_t)n * sizeof *vals);
  if (!vals) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  n = 0;
  leaves_of(I, v, vals, &n);
  bool any_float = false;
  for (int64_t i = 0; i < n; i++) any_float |= vals[i].is_float;
  const sf_val *packed = first_tensor(v);
  sf_dtype dt = SF_FLOAT32; /* no leaf: an empty list is float32 either way */
  bool narrow = false;      /* int64 taken as int32 when every value fits */
  sf_status st = SF_OK;
  if (want >= 0) dt = (sf_dtype)want;
  else if (packed) dt = sf_b_host_value(I, packed)->dtype;
  else if (sf_np_is_scalar(v)) dt = v->dtype; /* a NumPy scalar keeps its type (np.float64 -> float64) */
  else if (!I->ctx.eager && d.any) dt = d.dt == SF_FLOAT64 ? SF_FLOAT32 : d.dt, narrow = d.dt == SF_INT64;
  else if (d.any) {
    dt = eager_leaf_type(I, d.first);
    if (dt == SF_INT64 && any_float) dt = SF_FLOAT32; /* the int32 converter meets a float: float32 */
    narrow = dt == SF_INT64;
    /* the bool converter takes bools only: every leaf is one when their promotion is bool */
    if (dt == SF_BOOL && d.dt != SF_BOOL) st = sf_py_raise(I, at, BC_VALUEERR, "Can't convert Python sequence with mixed types to Tensor.");
  }
  if (narrow) {
    dt = SF_INT32;
    for (int64_t i = 0; i < n; i++)
      if (!sf_int_fits(vals[i].i, SF_INT32)) dt = SF_INT64;
  }
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
  if (vals != small) free(vals);
  return st;
}

const char *sf_b_scope_push(sf_interp *I, const char *base, const char **saved) {
  *saved = I->ctx.graph->scope;
  size_t len = strlen(base); /* ops.py name_scope: a name ending in '/' is that scope again, as is */
  const char *name = len > 1 && base[len - 1] == '/' ? sf_arena_strndup(&I->ctx.graph->arena, base, len - 1)
                                                      : sf_graph_unique_name(I->ctx.graph, base);
  if (name) I->ctx.graph->scope = name;
  return name;
}

void sf_b_scope_pop(sf_interp *I, const char *saved) { I->ctx.graph->scope = saved; }

sf_status sf_b_python_time(sf_interp *I, const char *op, const int *in_eager, int nin, const sf_attr_value *attrs,
                           sf_val *out) {
  sf_node *n;
  sf_status st = sf_context_enter_eager(&I->ctx, I->err);
  if (st != SF_OK) return st;
  st = sf_b_op(I, op, NULL, in_eager, nin, attrs, &n);
  sf_context_leave(&I->ctx);
  if (st != SF_OK) return st;
  /* a host value in every mode: a TF op that takes it converts it to a Const then (a NumPy
   * array is no op of a TF1 graph, whose op count seeds its random ops) */
  n->host_array = true;
  *out = (sf_val){.kind = V_TENSOR, .g = I->E.g, .node = n->id, .numpy = true};
  return SF_OK;
}

void sf_b_get_seed(sf_interp *I, bool has_op_seed, int64_t op_seed, sf_seed_pair *out) {
  if (I->seed_tool) { /* DeterministicRandomTestTool's patched get_seed (tf-api-semantics.md §5.5) */
    int64_t op = I->seed_tool_op;
    if (I->seed_tool == 1) sf_b_set_seed(I, op); /* 'constant': tf.random.set_seed(op_seed) every time */
    else I->seed_tool_op++;
    out->seed[0] = I->seed_tool_seed;
    out->seed[1] = op;
    out->origin[0] = (sf_seed_origin){SF_SEED_GLOBAL, 0};
    out->origin[1] = (sf_seed_origin){SF_SEED_OP, 0};
    return;
  }
  sf_get_seed(I->opt.profile, I->ctx.eager ? &I->es : NULL, I->ctx.graph, has_op_seed, op_seed, out->seed, out->origin);
}

void sf_b_set_seed(sf_interp *I, int64_t seed) {
  if (!I->seed_line) I->seed_line = I->line;
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
  sf_attr_value a[SF_B_ATTRS];
  sf_b_attrs("AssignVariableOp", a);
  sf_b_attr_set("AssignVariableOp", a, "var", (sf_attr_value){.i = *var});
  sf_node *n;
  sf_status st = sf_b_op(I, "AssignVariableOp", "AssignVariableOp", &init, 1, a, &n);
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
  sf_tensor *v = var < I->rt.nvars ? I->rt.vars[var] : NULL;
  /* dtype and shape from its initializer; in eager mode from its value (the eager graph
   * only grows: scanning it on every read made long training loops quadratic) */
  for (int i = I->ctx.graph->n; i >= 1 && !init && !(I->ctx.eager && v); i--) {
    sf_node *n = I->ctx.graph->nodes[i - 1];
    if (strcmp(n->op->name, "AssignVariableOp") == 0 && sf_node_attr(n, "var")->i == var) init = n;
  }
  sf_attr_value attrs[SF_B_ATTRS];
  sf_b_attrs("ReadVariableOp", attrs);
  if (!init && !v) /* its AssignVariableOp is in a graph this one is not */
    return sf_error_set(I->err, SF_EGRAPH,
                        "a variable made in another graph cannot be read here (a graph reset by "
                        "reset_default_graph or keras.backend.clear_session, or another tf.Graph)");
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
    return v1_alias(I) ? v1_arg(I, a, fname, NULL)
                       : sf_arg_error(I, a, SF_ETYPE, "%s() takes at most %d positional arguments (%d given)", fname, np, a->npos);
  for (int i = 0; i < a->npos; i++) {
    out[i] = a->pos[i];
    given[i] = true;
  }
  for (int k = 0; k < a->nkw; k++) {
    int i = 0;
    while (i < np && strcmp(names[i] + (names[i][0] == '!'), a->kwnames[k]) != 0) i++;
    if (i == np)
      return v1_alias(I) ? v1_arg(I, a, fname, a->kwnames[k])
                         : sf_arg_error(I, a, SF_ETYPE, "%s() got an unexpected keyword argument '%s'", fname, a->kwnames[k]);
    if (given[i]) return sf_arg_error(I, a, SF_ETYPE, "%s() got multiple values for argument '%s'", fname, names[i] + (names[i][0] == '!'));
    out[i] = a->kw[k];
    given[i] = true;
  }
  for (int i = 0; i < np; i++)
    if (names[i][0] == '!' && given[i] && out[i].kind != V_NONE)
      return sf_arg_error(I, a, SF_ENAME, "unsupported: %s(%s=...)", fname, names[i] + 1);
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
  static const char *const other[] = {"int8", "uint16", "int16", "uint32", "uint64", "float16", "half", "bfloat16",
                                      "complex64", "complex128", "string", "str", "object"};
  for (size_t i = 0; v->kind == V_STR && i < sizeof other / sizeof other[0]; i++)
    if (strcmp(v->s, other[i]) == 0)
      return sf_arg_error(I, a, SF_ENAME, "unsupported: %s() with dtype '%s' (seedflow has float32, float64, int32, int64, uint8 and bool)",
                          fname, v->s);
  return sf_arg_error(I, a, SF_ETYPE, "%s(): argument 'dtype' must be a dtype such as tf.float32", fname);
}

/* ---- program functions ---- */

sf_status sf_py_run_function(sf_interp *I, sf_func *f, const sf_args *a, sf_val *out);
sf_status sf_py_to_api(sf_interp *I, const sf_val *v, sf_val *out);

/* The trace keeps its flat result past the body's value: an eager tensor in it (a captured
 * one returned as it is, which each call fetches again) is pinned, strings are copied to the
 * run's arena, and a dict or another object (which the flat value only borrows) is refused. */
static sf_status keep_result(sf_interp *I, sf_val *v, const sf_func *f) {
  if (v->kind == V_TENSOR && v->g == I->E.g) sf_eager_pin(&I->E, v->node);
  if (v->kind == V_STR && !(v->s = sf_arena_strdup(&I->arena, v->s)))
    return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  if (v->kind == V_OBJ)
    return error_at(I, NULL, SF_ENAME, "unsupported: tf.function '%s' returning a %s (seedflow's traces return tensors, "
                    "numbers, strings and lists or tuples of them)", f->def->name, sf_type_name(v));
  for (int i = 0; (v->kind == V_LIST || v->kind == V_TUPLE) && i < v->n; i++) {
    sf_status st = keep_result(I, &v->items[i], f);
    if (st != SF_OK) return st;
  }
  return SF_OK;
}

/* Runs a program function being traced; the result as flat API values (tensors inside
 * lists/tuples), kept (keep_result) before the body's value lets its handles go. */
static sf_status run_body(sf_interp *I, sf_func *f, const sf_args *a, sf_val *out) {
  sf_val r;
  sf_status st = sf_py_run_function(I, f, a, &r);
  if (st != SF_OK) return st;
  st = sf_py_to_api(I, &r, out);
  if (st == SF_OK) st = keep_result(I, out, f);
  sf_val_drop(&r);
  return st;
}

int sf_interp_new_tf_function(sf_interp *I, sf_func *f) {
  sf_function *nf = sf_arena_grow(&I->arena, I->fns, (size_t)I->nfns, (size_t)I->nfns + 1, sizeof *nf);
  if (!nf) return -1;
  I->fns = nf;
  memset(&nf[I->nfns], 0, sizeof *nf);
  nf[I->nfns].def = f->def;
  nf[I->nfns].obj = f;
  nf[I->nfns].tf_function = true;
  return I->nfns++;
}

/* The tensor values inside v, in print order. */
static int collect_vals(const sf_val *v, const sf_val **out, int cap) { return sf_collect_tensors(v, out, cap); }

static sf_status stateful_targets(const sf_graph *g, int **out, int *n);

/* A tensor print shows symbolically, as TF does (ops.py Tensor.__str__): one of a function
 * being traced (an explicit tf.function's FuncGraph has no values while its body runs), or
 * of a graph the print's session s does not run. */
static bool traced_symbol(const sf_interp *I, const sf_session *s, const sf_val *t) {
  if (t->kind != V_TENSOR || t->numpy || !t->g || t->g == I->E.g) return false;
  if (t->g->is_function && t->g == I->ctx.graph) return !I->implicit_function; /* being traced */
  return t->g != s->g; /* a graph no session of this print runs: a tf.Graph() of its own, eagerly, or a
                        * tensor a traced function left behind (TF prints both symbolically) */
}

/* The values of v's tensors: eager ones as they are, the others fetched by one run of
 * session s (a tf.function call also runs every stateful op of its graph); a tensor of a
 * function being traced has none (NULL: printed symbolically). */
static sf_status fetch(sf_interp *I, sf_session *s, const sf_val *v, bool call, sf_tensor **vals, int n) {
  const sf_val **tv = malloc((size_t)(n ? n : 1) * sizeof *tv);
  int *ids = malloc((size_t)(n ? n : 1) * sizeof *ids), *targets = NULL, nt = 0, nf = 0;
  sf_tensor **got = calloc((size_t)(n ? n : 1), sizeof *got);
  sf_status st = tv && ids && got ? SF_OK : SF_ENOMEM;
  if (st == SF_OK && call) st = stateful_targets(s->g, &targets, &nt);
  if (st != SF_OK) st = sf_error_set(I->err, SF_ENOMEM, "out of memory");
  if (st == SF_OK) collect_vals(v, tv, n);
  for (int i = 0; st == SF_OK && i < n; i++)
    if (tv[i]->g != I->E.g && !traced_symbol(I, s, tv[i])) ids[nf++] = tv[i]->node;
  if (st == SF_OK && (nf || nt)) st = sf_session_run(s, &I->rt, ids, nf, targets, nt, got, I->tr, I->err);
  for (int i = 0, j = 0; st == SF_OK && i < n; i++)
    vals[i] = traced_symbol(I, s, tv[i])    ? NULL
              : tv[i]->g == I->E.g ? sf_tensor_ref(sf_eager_value(&I->E, tv[i]->node))
                                   : sf_tensor_ref(got[j++]);
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
  /* the call's own (free_rebuilt): a loop of calls keeps none in the run's arena */
  out->items = calloc((size_t)(v->n ? v->n : 1), sizeof *out->items);
  if (!out->items) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  for (int i = 0; i < v->n; i++) {
    sf_status st = rebuild(I, &v->items[i], vals, k, &out->items[i]);
    if (st != SF_OK) return st;
  }
  return SF_OK;
}

/* Frees what rebuild allocated (the lists' item arrays; the tensors are the eager graph's). */
static void free_rebuilt(sf_val *v) {
  if (v->kind != V_TUPLE && v->kind != V_LIST) return;
  for (int i = 0; v->items && i < v->n; i++) free_rebuilt(&v->items[i]);
  free(v->items);
  v->items = NULL;
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

/* The signature of a call: Python values by repr, tensors by dtype and shape; *ok false
 * for an argument TensorFlow would key by identity (a program object), which is refused. */
static sf_status call_key(sf_interp *I, const sf_args *a, sf_buf *key, bool shapes) {
  for (int i = 0; i < a->npos + a->nkw; i++) {
    const sf_val *v = i < a->npos ? &a->pos[i] : &a->kw[i - a->npos];
    if (i >= a->npos) sf_buf_printf(key, "%s=", a->kwnames[i - a->npos]);
    sf_tensor *t = sf_b_eager_value(I, v);
    if (t) {
      sf_buf_printf(key, "Tensor(%s,[", sf_dtype_name(t->dtype));
      for (int d = 0; d < t->shape.rank && shapes; d++) sf_buf_printf(key, "%s%lld", d ? "," : "", (long long)t->shape.dims[d]);
      sf_buf_puts(key, "]);");
      continue;
    }
    if (v->kind == V_TENSOR) return sf_arg_error(I, a, SF_EGRAPH, "tf.function: a tensor argument from another graph");
    bool simple = v->kind == V_NONE || v->kind == V_BOOL || v->kind == V_INT || v->kind == V_FLOAT ||
                  sf_is(v, O_STR) || sf_is(v, O_TUPLE) || sf_is(v, O_LIST);
    if (!simple)
      return sf_arg_error(I, a, SF_ENAME, "unsupported: a %s as an argument of a tf.function (seedflow keys traces by "
                          "Python values and tensor shapes)", sf_type_name(v));
    sf_val r;
    sf_status st = sf_py_str(I, v, true, &r);
    if (st != SF_OK) return st;
    sf_buf_printf(key, "%s;", ((sf_str *)r.o)->s);
    sf_val_drop(&r);
  }
  return key->oom ? sf_error_set(I->err, SF_ENOMEM, "out of memory") : SF_OK;
}

/* Traces f for the arguments a into a new FuncGraph: tensor arguments become placeholders
 * (fed at each call), Python arguments are part of the trace. */
static sf_status trace_function(sf_interp *I, int slot, int ti, const sf_args *a) {
  /* The body may define or trace tf.functions, which moves I->fns and f->traces: the
   * pointers are taken again after it ran. */
  sf_function *f = &I->fns[slot];
  sf_concrete *c = &f->traces[ti];
  c->g = sf_graph_new(true);
  if (!c->g) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  /* FuncGraph.seed = context.global_seed() at trace time. */
  c->g->has_seed = I->es.has_global;
  c->g->seed = I->es.global;
  int index = sf_context_new_graph_index(&I->ctx);
  /* releasing goes on: an eager tensor the body uses enters the trace as a constant holding
   * its value (sf_b_tensor), and one it returns as it is stays (keep_result) */
  sf_status st = sf_context_enter_own_graph(&I->ctx, c->g, I->err);
  if (st != SF_OK) return st;
  sf_args ta = *a;
  sf_val *vals = calloc((size_t)(a->npos + a->nkw + 1), sizeof *vals);
  if (!vals) st = sf_error_set(I->err, SF_ENOMEM, "out of memory");
  for (int i = 0; st == SF_OK && i < a->npos + a->nkw; i++) {
    const sf_val *v = i < a->npos ? &a->pos[i] : &a->kw[i - a->npos];
    vals[i] = *v;
    sf_tensor *t = sf_b_eager_value(I, v);
    if (!t) continue;
    sf_attr_value attrs[SF_B_ATTRS];
    sf_b_attrs("Placeholder", attrs);
    sf_node *n;
    sf_b_attr_set("Placeholder", attrs, "slot", (sf_attr_value){.i = c->g->n + 1});
    sf_b_attr_set("Placeholder", attrs, "dtype", (sf_attr_value){.type = t->dtype});
    sf_b_attr_set("Placeholder", attrs, "shape", (sf_attr_value){.shape = t->shape});
    const char *name = i < a->npos && i < f->def->nparams ? f->def->params[i] : i >= a->npos ? a->kwnames[i - a->npos] : "args";
    if ((st = sf_b_op(I, "Placeholder", name, NULL, 0, attrs, &n)) == SF_OK) sf_b_tensor_val(I, n->id, &vals[i]);
  }
  ta.pos = vals;
  ta.kw = vals + a->npos;
  sf_val ret = {0};
  int tracing_slot = I->tracing_slot, tracing_ti = I->tracing_ti;
  I->tracing_slot = slot + 1;
  I->tracing_ti = ti;
  if (st == SF_OK) st = run_body(I, f->obj, &ta, &ret);
  I->tracing_slot = tracing_slot;
  I->tracing_ti = tracing_ti;
  f = &I->fns[slot];
  c = &f->traces[ti];
  c->ret = ret;
  free(vals);
  sf_context_leave(&I->ctx);
  if (st == SF_OK) st = sf_graph_validate(c->g, I->err);
  sf_session_init(&c->sess, c->g, index); /* traced graphs are numbered in trace order */
  return st;
}

/* One keyword argument of tf.function(...): the ones that change no draw are accepted;
 * jit_compile is noted (XLA's random number generation is not modelled); *known false
 * for any other (the caller names it). */
static sf_status function_option(sf_interp *I, sf_function *f, const char *kw, bool off, int line, const char *fname,
                                 bool *known) {
  static const char *const accepted[] = {"input_signature", "reduce_retracing", "experimental_relax_shapes", "autograph",
                                         "experimental_autograph_options", "experimental_follow_type_hints",
                                         "experimental_implements", "experimental_attributes", "name", NULL};
  *known = true;
  for (int j = 0; accepted[j]; j++)
    if (strcmp(kw, accepted[j]) == 0) {
      if (j < 3 && !off) f->one_trace = accepted[j]; /* an input_signature of None is off too */
      return SF_OK;
    }
  if (strcmp(kw, "jit_compile") != 0 && strcmp(kw, "experimental_compile") != 0) return *known = false, SF_OK;
  if (off) return SF_OK;
  char text[256];
  snprintf(text, sizeof text,
           "line %d: tf.function(%s=...) of '%s': XLA's random number generation is not modelled; these are the "
           "draws of TensorFlow's kernels without XLA", line, kw, fname);
  return sf_trace_add_note(I->tr, 0, 0, "xla", text) == SF_OK ? SF_OK : sf_error_set(I->err, SF_ENOMEM, "out of memory");
}

static sf_status check_decorator(sf_interp *I, const sf_function *f) {
  for (int i = 0; i < f->def->ndecorators; i++) {
    const sf_expr *d = f->def->decorators[i];
    if (d->kind != SF_EX_CALL || d->base->kind != SF_EX_ATTR || strcmp(d->base->name, "function") != 0) continue;
    if (d->nitems) return error_at(I, d->items[0], SF_ENAME, "unsupported: tf.function with a positional argument here");
    for (int k = 0; k < d->nkw; k++) {
      const char *kw = d->kwnames[k] ? d->kwnames[k] : "**";
      bool known;
      bool off = (d->kwargs[k]->kind == SF_EX_BOOL && !d->kwargs[k]->b) || d->kwargs[k]->kind == SF_EX_NONE;
      sf_status st = function_option(I, (sf_function *)f, kw, off, d->line, f->def->name, &known);
      if (st == SF_OK && !known) st = error_at(I, d->kwargs[k], SF_ENAME, "unsupported: tf.function(%s=...)", kw);
      if (st != SF_OK) return st;
    }
  }
  return SF_OK;
}

static sf_status call_slot(sf_interp *I, int slot, const sf_args *a, sf_val *out);

sf_status sf_interp_call_function(sf_interp *I, sf_func *fo, const sf_args *a, sf_val *out) {
  return call_slot(I, fo->slot, a, out);
}

/* tf.function(f): a callable that traces f (f itself stays a Python function). */
static sf_status tf_function_native(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out) {
  return call_slot(I, (int)self->i, a, out);
}

sf_status sf_api_tf_function(sf_interp *I, const sf_args *a, sf_val *out) {
  if (a->npos != 1 || !sf_is(&a->pos[0], O_FUNC))
    return sf_arg_error(I, a, SF_ENAME, "unsupported: tf.function(...) called without a program function to wrap");
  sf_func *fo = (sf_func *)a->pos[0].o;
  int slot = sf_interp_new_tf_function(I, fo);
  if (slot < 0) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  fo->h.rc++; /* kept by the slot until the run's end */
  I->fns[slot].holds_ref = true;
  for (int k = 0; k < a->nkw; k++) {
    bool known;
    bool off = (a->kw[k].kind == V_BOOL && !a->kw[k].b) || a->kw[k].kind == V_NONE;
    sf_status st = function_option(I, &I->fns[slot], a->kwnames[k], off, a->call ? a->call->line : I->line, fo->def->name, &known);
    if (st == SF_OK && !known) st = sf_arg_error(I, a, SF_ENAME, "unsupported: tf.function(%s=...)", a->kwnames[k]);
    if (st != SF_OK) return st;
  }
  sf_native *n = sf_obj_alloc(O_NATIVE, sizeof *n);
  if (!n) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  n->name = fo->def->name;
  n->fn = tf_function_native;
  n->self = sf_int(slot);
  n->keeps_none = true; /* as the function it wraps (lang/eval.c pin_call) */
  *out = sf_obj_val(n);
  n->h.rc--; /* borrowed: sf_py_from_api takes the caller's reference */
  return SF_OK;
}

static sf_status note_traced_call(sf_interp *I, const sf_concrete *c, const int *fed, int first, const char *fname, int line);

static sf_status call_slot_run(sf_interp *I, int slot, const sf_args *a, sf_val *out) {
  sf_function *f = &I->fns[slot];
  sf_func *fo = f->obj;
  if (f->tf_function && !f->ntraces) {
    sf_status cst = check_decorator(I, f);
    if (cst != SF_OK) return cst;
  }
  /* Eager mode runs tf.function bodies eagerly (run_functions_eagerly); graph mode inlines
   * them; a function called while tracing is inlined in the trace. */
  if (!f->tf_function || I->opt.mode != SF_MODE_FUNCTION || !I->ctx.eager) {
    int ag = f->tf_function && !I->ctx.eager; /* an inlined tf.function: AutoGraph converts it */
    I->autograph += ag;
    sf_status rst = sf_py_run_function(I, fo, a, out);
    I->autograph -= ag;
    return rst;
  }
  int first = I->E.g->n;
  sf_buf key = {0}, loose = {0};
  sf_status st = call_key(I, a, &key, true);
  if (st == SF_OK && f->one_trace) st = call_key(I, a, &loose, false);
  sf_concrete *c = NULL;
  for (int i = 0; st == SF_OK && i < f->ntraces && !c; i++)
    if (strcmp(f->traces[i].key, key.s ? key.s : "") == 0) c = &f->traces[i];
  /* input_signature: every call is converted to the one signature; reduce_retracing and
   * experimental_relax_shapes: a call that differs in tensor shapes alone is relaxed onto a
   * trace (a new Python value or dtype still traces again) */
  bool relaxed = false;
  for (int i = 0; st == SF_OK && !c && f->one_trace && i < f->ntraces; i++)
    relaxed |= strcmp(f->one_trace, "input_signature") == 0 || strcmp(f->traces[i].loose, loose.s ? loose.s : "") == 0;
  if (relaxed)
    st = error_at(I, a->call, SF_ENAME, "unsupported: a call of tf.function '%s' (%s=...) with a new signature: TF reuses or "
                  "relaxes its trace, seedflow would trace it again", f->def->name, f->one_trace);
  if (st == SF_OK && !c) {
    sf_concrete *nt = sf_arena_grow(&I->arena, f->traces, (size_t)f->ntraces, (size_t)f->ntraces + 1, sizeof *nt);
    if (!nt) st = sf_error_set(I->err, SF_ENOMEM, "out of memory");
    else {
      f->traces = nt;
      int ti = f->ntraces++;
      c = &f->traces[ti];
      memset(c, 0, sizeof *c);
      c->key = sf_arena_strdup(&I->arena, key.s ? key.s : "");
      c->loose = f->one_trace ? sf_arena_strdup(&I->arena, loose.s ? loose.s : "") : NULL;
      st = c->key && (c->loose || !f->one_trace) ? trace_function(I, slot, ti, a) : sf_error_set(I->err, SF_ENOMEM, "out of memory");
      f = &I->fns[slot];
      c = &f->traces[ti];
    }
  }
  free(key.s);
  free(loose.s);
  /* the tensor arguments feed the trace's placeholders */
  int nfeeds = c && c->g ? c->g->n + 1 : 0;
  sf_tensor **feeds = st == SF_OK ? calloc((size_t)(nfeeds ? nfeeds : 1), sizeof *feeds) : NULL;
  int *fed = st == SF_OK ? calloc((size_t)(nfeeds ? nfeeds : 1), sizeof *fed) : NULL; /* their eager nodes */
  if (st == SF_OK && (!feeds || !fed)) st = sf_error_set(I->err, SF_ENOMEM, "out of memory");
  for (int i = 0, k = 0; st == SF_OK && i < a->npos + a->nkw; i++) {
    const sf_val *arg = i < a->npos ? &a->pos[i] : &a->kw[i - a->npos];
    sf_tensor *t = sf_b_eager_value(I, arg);
    while (t && k < c->g->n && strcmp(c->g->nodes[k]->op->name, "Placeholder") != 0) k++;
    if (t && k < c->g->n) feeds[++k] = t, fed[k] = arg->numpy ? 0 : arg->node; /* slot = node id; a NumPy array is a value */
  }
  sf_tensor **vals = NULL;
  int n = 0;
  sf_tensor **feeds0 = I->rt.feeds;
  int nfeeds0 = I->rt.nfeeds;
  I->rt.feeds = feeds;
  I->rt.nfeeds = nfeeds;
  if (st == SF_OK) st = run_graph_call(I, &c->sess, &c->ret, &vals, &n);
  I->rt.feeds = feeds0;
  I->rt.nfeeds = nfeeds0;
  free(feeds);
  int k = 0;
  sf_val flat = {0};
  if (st == SF_OK) st = rebuild(I, &c->ret, vals, &k, &flat);
  free_vals(vals, n);
  if (st == SF_OK) st = sf_py_from_api(I, &flat, out);
  free_rebuilt(&flat);
  if (st == SF_OK && I->recording_tapes &&
      (st = note_traced_call(I, c, fed, first, f->def->name, a->call ? a->call->line : I->line)) != SF_OK)
    sf_val_drop(out);
  free(fed);
  /* each tensor a constant the call made for its place (rebuild): counted, as an API
   * function's result, so that a loop of calls keeps none of them */
  if (st == SF_OK && sf_py_counting(I)) sf_py_count_made(I, first, out);
  return st;
}

void sf_traced_calls_free(sf_interp *I) {
  for (int i = 0; i < I->ntcalls; i++) free(I->tcalls[i].deps), free(I->tcalls[i].vars);
  free(I->tcalls);
  I->tcalls = NULL;
  I->ntcalls = I->captcalls = I->tcalls_kept = 0;
}

/* Drops the records whose result nodes are all released: a tape can no longer reach them. Run
 * when their number has doubled since the last time, so that it costs O(1) a call. */
static void prune_traced_calls(sf_interp *I) {
  if (I->ntcalls < 2 * I->tcalls_kept + 8) return;
  int k = 0;
  for (int i = 0; i < I->ntcalls; i++) {
    sf_traced_call *r = &I->tcalls[i];
    bool live = false;
    for (int id = r->lo + 1; id <= r->hi && !live; id++) live = sf_eager_value(&I->E, id) != NULL;
    if (live) I->tcalls[k++] = *r;
    else free(r->deps), free(r->vars);
  }
  I->ntcalls = I->tcalls_kept = k;
}

static bool push_int(int **a, int *n, int v) {
  for (int i = 0; i < *n; i++)
    if ((*a)[i] == v) return true;
  int *p = realloc(*a, (size_t)(*n + 1) * sizeof *p);
  if (!p) return false;
  p[(*n)++] = v;
  *a = p;
  return true;
}

/* Records a traced call a tape may differentiate (sf_traced_call): what the trace's outputs
 * read, found by walking c's graph back from them: placeholders (the eager node fed[id] fed
 * them), captured eager tensors (c->caps), variable reads; an eager tensor returned as it is
 * is read too. The result's nodes are the eager graph's after `first`. */
static sf_status note_traced_call(sf_interp *I, const sf_concrete *c, const int *fed, int first, const char *fname, int line) {
  if (I->E.g->n == first) return SF_OK;
  prune_traced_calls(I);
  const sf_graph *g = c->g;
  int n = collect_vals(&c->ret, NULL, 0);
  const sf_val **tv = malloc((size_t)(n ? n : 1) * sizeof *tv);
  bool *reach = calloc((size_t)g->n + 1, sizeof *reach);
  int *stack = malloc(((size_t)g->n + 1) * sizeof *stack), top = 0;
  sf_traced_call r = {.lo = first, .hi = I->E.g->n, .fname = fname, .line = line};
  bool ok = tv && reach && stack;
  if (ok) collect_vals(&c->ret, tv, n);
  for (int i = 0; ok && i < n; i++) {
    if (tv[i]->g == I->E.g) ok = push_int(&r.deps, &r.ndeps, tv[i]->node);
    else if (tv[i]->g == g && !reach[tv[i]->node]) reach[tv[i]->node] = true, stack[top++] = tv[i]->node;
  }
  /* a gradient flows back through float ops but StopGradient (a comparison, a cast to an
   * integer end it) */
  const sf_op_def *stop = sf_op_lookup("StopGradient");
  while (ok && top) {
    const sf_node *nd = g->nodes[stack[--top] - 1];
    if (nd->op == stop || !sf_dtype_is_float(nd->dtype)) continue;
    for (int i = 0; i < nd->ninputs; i++)
      if (!reach[nd->inputs[i]]) reach[nd->inputs[i]] = true, stack[top++] = nd->inputs[i];
  }
  const sf_op_def *read = sf_op_lookup("ReadVariableOp");
  for (int id = 1; ok && id <= g->n; id++) {
    const sf_node *nd = g->nodes[id - 1];
    if (!reach[id] || !sf_dtype_is_float(nd->dtype)) continue;
    if (fed[id]) ok = push_int(&r.deps, &r.ndeps, fed[id]);
    if (ok && nd->op == read && sf_node_attr(nd, "var")->i >= 0) ok = push_int(&r.vars, &r.nvars, (int)sf_node_attr(nd, "var")->i);
  }
  for (int i = 0; ok && i + 1 < c->ncaps; i += 2)
    if (reach[c->caps[i]]) ok = push_int(&r.deps, &r.ndeps, c->caps[i + 1]);
  free(tv);
  free(reach);
  free(stack);
  if (ok && (r.ndeps || r.nvars)) ok = sf_grow((void **)&I->tcalls, &I->captcalls, I->ntcalls + 1, sizeof *I->tcalls);
  if (ok && (r.ndeps || r.nvars)) I->tcalls[I->ntcalls++] = r;
  else free(r.deps), free(r.vars);
  return ok ? SF_OK : sf_error_set(I->err, SF_ENOMEM, "out of memory");
}

/* A tf.function called eagerly is added to TF's eager context, which initializes it
 * (context.py add_function: ensure_initialized): after its first trace. */
static sf_status call_slot(sf_interp *I, int slot, const sf_args *a, sf_val *out) {
  bool eager_call = I->fns[slot].tf_function && I->ctx.eager;
  sf_status st = call_slot_run(I, slot, a, out);
  if (eager_call) I->tf_context_started = true;
  return st;
}

/* ---- printing ---- */

static sf_status emit_print(sf_interp *I, int line, const char *expr, const sf_val *v, sf_tensor **vals, int n,
                            bool tf_style) {
  sf_print_ctx c = {.I = I, .vals = vals, .n = n, .tf_style = tf_style, .tf_print = I->tf_print};
  sf_buf *b = &I->py->line;  /* print(..., end=x) without a newline waits here */
  sf_status st = sf_write_value(&c, b, v, false); /* on an error: the arguments written before the failing one */
  if (st != SF_OK) return st;
  const char *end = I->py->print_end.kind == V_STR ? I->py->print_end.s : "\n";
  sf_buf_puts(b, end);
  if (b->oom) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  if (b->n == 0 || b->s[b->n - 1] != '\n') return SF_OK;
  b->s[--b->n] = '\0';
  st = sf_trace_add_print(I->tr, line, expr, vals, n, b->s);
  b->n = 0;
  b->s[0] = '\0';
  return st == SF_OK ? SF_OK : sf_error_set(I->err, st, "out of memory");
}

/* The print argument's source text: in the run's arena when keep (a deferred print keeps
 * it), else malloc'd for the caller to free (the trace copies it); NULL when out of memory. */
static char *expr_text(sf_interp *I, const sf_expr *e, bool keep) {
  int len;
  const char *line = sf_program_line(I->prog, e->line, &len), *s = "";
  int n = 0;
  if (line && e->col >= 1 && e->col <= len) {
    /* The argument runs to the print's closing parenthesis: take the rest of the line and
     * drop the final ')'. */
    s = line + e->col - 1;
    n = len - (e->col - 1);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    if (n > 0 && s[n - 1] == ')') n--;
  }
  if (keep) return sf_arena_strndup(&I->arena, s, (size_t)n);
  char *t = malloc((size_t)n + 1);
  if (t) {
    memcpy(t, s, (size_t)n);
    t[n] = '\0';
  }
  return t;
}

sf_status sf_interp_format_value(sf_interp *I, const sf_expr *at, const sf_val *v, bool repr, sf_buf *b) {
  if (I->implicit_function) /* the values exist only when the program's one call runs */
    return sf_error_at(I->err, at ? at->line : I->line, at ? at->col : 1, SF_ENAME,
                       "unsupported: a tensor formatted into a string in function mode (print it as an argument)");
  int n = collect_vals(v, NULL, 0);
  sf_tensor **vals = calloc((size_t)(n ? n : 1), sizeof *vals);
  if (!vals) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  sf_status st = SF_OK;
  if (!I->ctx.eager) { /* session.run(x), as print does */
    if ((st = sf_graph_validate(I->ctx.graph, I->err)) == SF_OK) st = sf_b_run_inits(I);
  }
  if (st == SF_OK) st = fetch(I, &I->sess, v, false, vals, n);
  sf_print_ctx c = {.I = I, .vals = vals, .n = n, .tf_style = I->ctx.eager};
  if (st == SF_OK) st = sf_write_value(&c, b, v, repr);
  free_vals(vals, n);
  return st;
}

static sf_status print_now(sf_interp *I, sf_val *v, int line, const char *expr);

/* The NumPy arrays deferred prints show inside a dict, a list or an object they keep as it
 * is (printed as it is at the end): an in-place operator on one is refused
 * (sf_interp_print_detach). */
typedef struct sf_printed_array {
  int id;
  UT_hash_handle hh;
} sf_printed_array;

/* A Const of its own holding array t, for a deferred print: the program's handles to the
 * array are not the print's (an in-place operator changes the array alone, and its last
 * handle releases it). *id: the new node. */
static sf_status print_copy(sf_interp *I, sf_tensor *t, int *id) {
  int n0 = sf_numpy_begin(I);
  sf_status st = sf_b_host_array(I, t, "array", id);
  sf_numpy_end(I, n0); /* a NumPy value, not a TF op */
  return st;
}

/* The NumPy arrays in snapshot v of a pending print: one in its lists and tuples gets a node
 * of its own (print_copy); one in a dict, list or instance it keeps as it is is noted. */
static sf_status note_arrays(sf_interp *I, sf_val *v, bool in_object, int depth) {
  sf_val *items = NULL;
  int64_t n = 0;
  if (v->kind == V_LIST || v->kind == V_TUPLE) items = v->items, n = v->n;
  else if (sf_is(v, O_LIST) || sf_is(v, O_TUPLE)) items = SF_LIST(v)->items, n = SF_LIST(v)->n, in_object = true;
  if (items || sf_is(v, O_DICT) || sf_is(v, O_INST)) {
    if (depth >= SF_PY_MAX_DEPTH) return SF_OK; /* a container holding itself */
    sf_status st = SF_OK;
    for (int64_t i = 0; st == SF_OK && i < n; i++) st = note_arrays(I, &items[i], in_object, depth + 1);
    sf_dict *d = sf_is(v, O_DICT) ? SF_DICT(v) : sf_is(v, O_INST) ? ((sf_inst *)v->o)->attrs : NULL;
    for (int64_t i = 0; st == SF_OK && d && i < d->ne; i++)
      if (d->e[i].used) st = note_arrays(I, &d->e[i].value, true, depth + 1);
    return st;
  }
  sf_tensor *t = v->kind == V_TENSOR && v->numpy ? sf_b_eager_value(I, v) : NULL;
  if (!t) return SF_OK;
  if (!in_object) {
    int id;
    sf_status st = print_copy(I, t, &id);
    if (st == SF_OK) *v = (sf_val){.kind = V_TENSOR, .g = I->E.g, .node = id, .numpy = true};
    return st;
  }
  if (v->counted) sf_eager_pin(&I->E, v->node); /* the print shows it at the end: kept till then */
  sf_printed_array *p;
  HASH_FIND_INT(I->printed_arrays, &v->node, p);
  if (p) return SF_OK;
  if (!(p = calloc(1, sizeof *p))) return sf_py_oom(I);
  p->id = v->node;
  HASH_ADD_INT(I->printed_arrays, id, p);
  return SF_HASH_ADDED(p) ? SF_OK : (free(p), sf_py_oom(I));
}

static void printed_free(sf_interp *I, sf_printed_array *p) {
  HASH_DEL(I->printed_arrays, p);
  free(p);
}

sf_status sf_interp_print_detach(sf_interp *I, const sf_expr *at, int id) {
  sf_printed_array *p;
  HASH_FIND_INT(I->printed_arrays, &id, p);
  if (!p) return SF_OK;
  return error_at(I, at, SF_ENAME,
                  "unsupported: changing in place a NumPy array that an earlier print shows inside a dict, a list or "
                  "an object (function mode prints them when the program's one call runs)");
}

/* A print(...) call: printed now, or (implicit function mode) kept, with its sep, end and
 * source text in the run's arena, until the program's one call runs. A print printed now
 * keeps nothing: it took some 250 bytes of the arena a call for the run. */
sf_status sf_interp_print(sf_interp *I, const sf_args *a, const char *sep, const char *end) {
  bool deferred = I->implicit_function;
  if (deferred && (!(sep = sf_arena_strdup(&I->arena, sep)) || !(end = sf_arena_strdup(&I->arena, end))))
    return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  /* print(a, b) prints a and b separated by sep: kept as a tuple marked `args`. */
  size_t count = (size_t)(a->npos + 1);
  sf_val *items = deferred ? sf_arena_alloc(&I->arena, count * sizeof *items) : calloc(count, sizeof *items);
  char *expr = a->call->nitems ? expr_text(I, a->call->items[a->call->nitems - 1], deferred) : NULL;
  if (!items || (a->call->nitems && !expr)) {
    if (!deferred) free(items), free(expr);
    return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  }
  sf_val outer_sep = I->py->print_sep, outer_end = I->py->print_end; /* a print inside __str__ */
  I->py->print_sep = (sf_val){.kind = V_STR, .s = sep};
  I->py->print_end = (sf_val){.kind = V_STR, .s = end};
  for (int i = 0; i < a->npos; i++) {
    items[i] = a->pos[i];
    sf_val_ref(&items[i]);  /* kept while the print may still be pending */
  }
  sf_val v = {.kind = V_TUPLE, .items = items, .n = a->npos, .b = true};
  int line = a->call->line;
  if (!deferred) {
    sf_status st = print_now(I, &v, line, expr ? expr : "");
    I->py->print_sep = outer_sep; /* sep and end are the caller's strings: not past the call */
    I->py->print_end = outer_end;
    free(items);
    free(expr);
    return st;
  }
  /* fetched when the program's one call runs; Python values print as they are now */
  sf_status st = SF_OK;
  int i = 0;
  for (; st == SF_OK && i < a->npos; i++) {
    sf_val snap = {0};
    st = sf_py_snapshot(I, &items[i], false, &snap);
    sf_val_drop(&items[i]);
    items[i] = snap;  /* borrowed: objects inside are pinned by the evaluator */
  }
  if (st != SF_OK) { /* the arguments after the one that failed are still held */
    for (; i < a->npos; i++) sf_val_drop(&items[i]);
    return st;
  }
  if (I->npending == I->cappending) {
    int nc = I->cappending ? I->cappending * 2 : 16;
    sf_pending_print *np = sf_arena_grow(&I->arena, I->pending, (size_t)I->npending, (size_t)nc, sizeof *np);
    if (!np) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
    I->pending = np;
    I->cappending = nc;
  }
  if ((st = note_arrays(I, &v, false, 0)) != SF_OK) return st;
  I->pending[I->npending++] = (sf_pending_print){line, expr ? expr : "", v, sep, end, I->tf_print, I->tf_print_summarize};
  return SF_OK;
}

/* Prints v (print's argument tuple) now: session.run of its tensors in a graph. Drops v's
 * items' references. */
static sf_status print_now(sf_interp *I, sf_val *v, int line, const char *expr) {
  sf_val *items = v->items;
  int n = collect_vals(v, NULL, 0);
  sf_tensor **vals = calloc((size_t)(n ? n : 1), sizeof *vals);
  if (!vals) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  bool tf_style = I->ctx.eager;
  sf_status st = SF_OK;
  if (!I->ctx.eager) { /* session.run(x) */
    if ((st = sf_graph_validate(I->ctx.graph, I->err)) == SF_OK) st = sf_b_run_inits(I);
  }
  if (st == SF_OK) st = fetch(I, &I->sess, v, false, vals, n);
  if (st == SF_OK) st = emit_print(I, line, expr, v, vals, n, tf_style);
  free_vals(vals, n);
  for (int i = 0; i < v->n; i++) sf_val_drop(&items[i]);
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
    I->py->print_sep = (sf_val){.kind = V_STR, .s = I->pending[i].sep};
    I->py->print_end = (sf_val){.kind = V_STR, .s = I->pending[i].end};
    I->tf_print = I->pending[i].tf_print;
    I->tf_print_summarize = I->pending[i].summarize;
    st = emit_print(I, I->pending[i].line, I->pending[i].expr, &I->pending[i].value, vals + k, m, true);
    I->tf_print = false;
    k += m;
  }
  free_vals(vals, n);
  return st;
}

/* ---- statements ---- */

static bool decorated_tf_function(const sf_stmt *s) {
  for (int i = 0; i < s->ndecorators; i++) {
    const sf_expr *d = s->decorators[i];
    if (d->kind == SF_EX_CALL) d = d->base;
    if (d->kind == SF_EX_ATTR && strcmp(d->name, "function") == 0 && d->base->kind == SF_EX_NAME &&
        (strcmp(d->base->name, "tf") == 0 || strcmp(d->base->name, "tensorflow") == 0))
      return true;
  }
  return false;
}

/* ---- running a program ---- */

/* e calls tf.function(...) (a program wrapping a function as a call, not a decorator). */
static bool expr_calls_tf_function(const sf_expr *e) {
  if (!e) return false;
  if (e->kind == SF_EX_CALL && e->base->kind == SF_EX_ATTR && strcmp(e->base->name, "function") == 0 &&
      e->base->base->kind == SF_EX_NAME && (strcmp(e->base->base->name, "tf") == 0 || strcmp(e->base->base->name, "tensorflow") == 0))
    return true;
  if (expr_calls_tf_function(e->base) || expr_calls_tf_function(e->rhs)) return true;
  for (int i = 0; i < e->nitems; i++)
    if (expr_calls_tf_function(e->items[i])) return true;
  for (int i = 0; i < e->nkw; i++)
    if (expr_calls_tf_function(e->kwargs[i])) return true;
  return false;
}

static bool has_tf_function(const sf_program *p) {
  for (int i = 0; i < p->n; i++)
    if ((p->stmts[i]->kind == SF_ST_DEF && decorated_tf_function(p->stmts[i])) || expr_calls_tf_function(p->stmts[i]->value))
      return true;
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
  I->tr->no_values = I->opt.no_draw_values;
  I->arena.budget = I->rt.budget; /* what the run keeps of its API calls counts too */
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
  for (int i = 0; i < I->nfns; i++)
    for (int k = 0; k < I->fns[i].ntraces; k++) {
      if (I->fns[i].traces[k].g) sf_session_free(&I->fns[i].traces[k].sess);
      sf_graph_free(I->fns[i].traces[k].g);
      free(I->fns[i].traces[k].caps);
    }
  sf_traced_calls_free(I);
  sf_numpy_alias_free(I);
  sf_printed_array *pa, *tmp;
  HASH_ITER(hh, I->printed_arrays, pa, tmp) printed_free(I, pa);
  if (I->main) {
    sf_session_free(&I->sess);
    sf_graph_free(I->main);
  }
  /* the pending prints hold snapshots (sf_py_snapshot): borrowed, the objects kept by sf_py_keep */
  sf_tf1_free(I);
  sf_tfdata_free(I);
  sf_keras3_free(I);
  for (int i = 0; i < I->nfns; i++)
    if (I->fns[i].holds_ref) {
      sf_val fv = sf_obj_val(I->fns[i].obj);
      sf_val_drop(&fv);
    }
  sf_py_free(I);
  sf_keras_free(I);
  sf_context_free(&I->ctx);
  sf_eager_free(&I->E);
  for (int i = 0; i < I->rt.nvars; i++) sf_tensor_unref(I->rt.vars[i]);
  free(I->rt.vars);
  sf_runtime_free(&I->rt);
  sf_arena_free(&I->arena); /* gives its chunks back to the budget */
  sf_budget_unref(I->rt.budget);
}

/* With no seed anywhere TensorFlow's kernels seed themselves from the OS: say so once. */
sf_status sf_note_unseeded(sf_interp *I) {
  sf_status st = sf_trace_add_note(I->tr, 0, 0, "seed",
                                   I->opt.fixed_entropy ? "no seed set; --entropy fixes the draws TensorFlow would take from the OS"
                                                        : "no seed set; these draws change every run");
  return st == SF_OK ? SF_OK : sf_error_set(I->err, st, "out of memory");
}

static sf_status note_unseeded(sf_interp *I) {
  for (int i = 0; i < sf_trace_op_count(I->tr); i++) {
    const sf_rng_record *r = &sf_trace_op_at(I->tr, i)->rng;
    if (r->present && (r->seed_source == SF_SEED_OS_ENTROPY || r->seed2_source == SF_SEED_OS_ENTROPY)) return sf_note_unseeded(I);
  }
  return SF_OK;
}

/* Runs the program in I (set up, executed, torn down). */
static sf_status run_program(sf_interp *I) {
  const sf_program *p = I->prog;
  sf_status st = setup(I);
  if (st == SF_OK) st = sf_py_init(I);
  if (st == SF_OK) st = sf_py_exec(I, p->stmts, p->n);
  if (st == SF_OK && I->implicit_function) st = finish_implicit_function(I);
  if (st == SF_OK) st = note_unseeded(I);
  if (st == SF_OK && I->py->line.n) { /* output left without a final newline */
    I->py->print_end = (sf_val){.kind = V_STR, .s = "\n"};
    st = emit_print(I, I->line, "", &(sf_val){.kind = V_TUPLE, .b = true}, NULL, 0, true);
  }
  if (st == SF_ENOMEM && I->err->code == SF_ENOMEM && (I->arena.over || (I->py && I->py->heap.over))) {
    /* "out of memory" where the budget refused (a caller that reported it itself): the
     * limit's error, at the same place */
    int line = I->err->line, col = I->err->col;
    sf_error_clear(I->err);
    st = sf_py_oom(I);
    if (line) I->err->line = line, I->err->col = col;
  }
  teardown(I);
  return st;
}

typedef struct run_job {
  sf_interp *I;
  sf_status st;
} run_job;

static void *run_thread(void *arg) {
  run_job *j = arg;
  j->st = run_program(j->I);
  return NULL;
}

/* One run of p; switched: the line whose mode switch made this run's mode (0: none). */
static sf_status run_once(const sf_program *p, const sf_run_options *opts, int switched, sf_trace **out, sf_error *err) {
  sf_error local;
  if (!err) err = &local;
  sf_error_clear(err);
  sf_interp I = {.prog = p, .opt = *opts, .err = err, .np_print = SF_PRINT_DEFAULTS, .switched_line = switched, .np_fresh = -1};
  *out = NULL;
  I.tr = sf_trace_new(opts->mode, opts->profile);
  if (!I.tr) return sf_error_set(err, SF_ENOMEM, "out of memory");
  /* The evaluator recurses in C for every Python call: Python's 1000 nested calls need a
   * larger stack than a default thread's, so the program runs on a thread of its own. */
  enum { STACK = 512 << 20 };
  run_job job = {&I, SF_OK};
  pthread_attr_t attr;
  pthread_t th;
  bool have_attr = pthread_attr_init(&attr) == 0;
  bool threaded = have_attr && pthread_attr_setstacksize(&attr, STACK) == 0 && pthread_create(&th, &attr, run_thread, &job) == 0;
  if (threaded) pthread_join(th, NULL);
  else run_thread(&job);
  if (have_attr) pthread_attr_destroy(&attr);
  if (I.switch_line) { /* the program asked for another mode before its first op: run it there */
    sf_trace_free(I.tr);
    sf_run_options o = *opts;
    o.mode = I.switch_mode;
    o.program_mode = false;
    sf_status st = run_once(p, &o, I.switch_line, out, err);
    char text[160];
    snprintf(text, sizeof text, "line %d switches to %s mode: the program runs in it, as in TensorFlow (--mode runs another)",
             I.switch_line, sf_mode_name(I.switch_mode));
    sf_status nst = *out ? sf_trace_add_note(*out, 0, 0, "mode", text) : SF_OK;
    return st != SF_OK ? st : nst == SF_OK ? SF_OK : sf_error_set(err, nst, "out of memory");
  }
  *out = I.tr;
  return job.st;
}

sf_status sf_run(const sf_program *p, const sf_run_options *opts, sf_trace **out, sf_error *err) {
  return run_once(p, opts, 0, out, err);
}
