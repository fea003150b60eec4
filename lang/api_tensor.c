/* api_tensor.c — Python protocol of tf.Tensor: indexing and slicing (t[0], t[1:3],
 * t[:, 0], t[None], t[::-1], t[..., 0]) as array_ops.py _slice_helper builds them — in a
 * "strided_slice" name scope the Consts "stack", "stack_1", "stack_2" (begin, end,
 * strides; array_ops.stack of Python ints is one constant) and the StridedSlice op named
 * after the scope — plus len() and iteration over an eager tensor (ops.py
 * _EagerTensorBase.__len__ / Tensor.__iter__: one t[i] per row). */
#include "interp.h"
#include "py.h"

#include <string.h>

enum { MAX_SPEC = 32 };

typedef struct slice_spec {
  int64_t begin[MAX_SPEC], end[MAX_SPEC], strides[MAX_SPEC];
  int n;
  int64_t begin_mask, end_mask, ellipsis_mask, new_axis_mask, shrink_axis_mask;
} slice_spec;

static sf_status unsupported_index(sf_interp *I, const sf_expr *at, const sf_val *k) {
  return sf_error_at(I->err, at ? at->line : I->line, at ? at->col : 1, SF_ENAME,
                     "unsupported: a tensor index of type '%s' (seedflow takes ints, slices, None and ...)", sf_type_name(k));
}

static bool int_of(const sf_val *v, int64_t *x) {
  if (v->kind == V_INT) return *x = v->i, true;
  if (v->kind == V_BOOL) return *x = v->b, true;
  return false;
}

/* One entry of the spec (_slice_helper's loop body). */
static sf_status spec_add(sf_interp *I, const sf_expr *at, const sf_val *k, slice_spec *s) {
  if (s->n >= MAX_SPEC) return sf_error_at(I->err, at->line, at->col, SF_ELIMIT, "more than %d indices", MAX_SPEC);
  int i = s->n++;
  int64_t bit = (int64_t)1 << i;
  s->begin[i] = s->end[i] = 0;
  s->strides[i] = 1;
  if (sf_is(k, O_SLICE)) {
    sf_slice *sl = (sf_slice *)k->o;
    if (sl->lo.kind == V_NONE) s->begin_mask |= bit;
    else if (!int_of(&sl->lo, &s->begin[i])) return unsupported_index(I, at, &sl->lo);
    if (sl->hi.kind == V_NONE) s->end_mask |= bit;
    else if (!int_of(&sl->hi, &s->end[i])) return unsupported_index(I, at, &sl->hi);
    if (sl->step.kind != V_NONE && !int_of(&sl->step, &s->strides[i])) return unsupported_index(I, at, &sl->step);
    if (s->strides[i] == 0) return sf_py_raise(I, at, BC_VALUEERR, "slice step cannot be zero");
    return SF_OK;
  }
  if (k->kind == V_NONE) {
    s->new_axis_mask |= bit;
    return SF_OK;
  }
  if (k->kind == V_ELLIPSIS) { /* `s is Ellipsis`: begin 0, end 0, stride 1 and its mask bit */
    s->ellipsis_mask |= bit;
    return SF_OK;
  }
  int64_t x;
  if (!int_of(k, &x)) return unsupported_index(I, at, k);
  s->begin[i] = x;
  s->end[i] = x + 1;
  s->shrink_axis_mask |= bit;
  return SF_OK;
}

static sf_status ints_const(sf_interp *I, const sf_expr *at, const int64_t *v, int n, const char *name, int *id) {
  sf_val items[MAX_SPEC];
  for (int i = 0; i < n; i++) items[i] = sf_int(v[i]);
  sf_val l = {.kind = V_LIST, .items = items, .n = n};
  return sf_b_tensor(I, &l, -1, name, at, id);
}

/* An int index out of its dimension's range: strided_slice_op.cc's message, raised here
 * (where TF's shape inference or kernel raises it) with the index's location. An ellipsis
 * covers the dimensions the entries after it leave (BuildDenseSpec in strided_slice_op.cc:
 * next = rank - (entries - i) + 1 + new axes after it); several are the kernel's error. */
static sf_status check_shrink(sf_interp *I, const sf_expr *at, const sf_node *x, const slice_spec *s) {
  if (!x->shape_known || (s->ellipsis_mask & (s->ellipsis_mask - 1))) return SF_OK;
  int after = 0;
  for (int i = 0; s->ellipsis_mask && i < s->n; i++)
    if (s->ellipsis_mask >> i & 1) after = 0;
    else if (s->new_axis_mask >> i & 1) after++;
  for (int i = 0, d = 0; i < s->n && d < x->shape.rank; i++) {
    if (s->ellipsis_mask >> i & 1) {
      int next = x->shape.rank - (s->n - i) + 1 + after;
      d = next > x->shape.rank ? x->shape.rank : next < d ? d : next;
      continue;
    }
    if (s->new_axis_mask >> i & 1) continue;
    int64_t n = x->shape.dims[d], b = s->begin[i];
    if (s->shrink_axis_mask >> i & 1 && n >= 0 && (b < -n || b >= n))
      return sf_error_at(I->err, at->line, at->col, SF_EINVAL, "slice index %lld of dimension %d out of bounds.",
                         (long long)b, d);
    d++;
  }
  return SF_OK;
}

/* self[k] for a tensor (not a NumPy array). */
sf_status sf_tensor_getitem(sf_interp *I, const sf_expr *at, const sf_val *self, const sf_val *k, sf_val *out) {
  slice_spec s = {0};
  sf_status st = SF_OK;
  if (sf_is(k, O_TUPLE)) {
    for (int64_t i = 0; st == SF_OK && i < SF_LIST(k)->n; i++) st = spec_add(I, at, &SF_LIST(k)->items[i], &s);
  } else {
    st = spec_add(I, at, k, &s);
  }
  if (st != SF_OK) return st;
  int x;
  if ((st = sf_b_tensor(I, self, -1, "tensor", at, &x)) != SF_OK) return st;
  if ((st = check_shrink(I, at, sf_graph_node(I->ctx.graph, x), &s)) != SF_OK) return st;
  const char *saved, *scope = sf_b_scope_push(I, "strided_slice", &saved);
  int b, e, str;
  if (s.n == 0) { /* t[()]: one empty int32 Const for all three */
    sf_val none = {.kind = V_LIST};
    if ((st = sf_b_tensor(I, &none, SF_INT32, "Const", at, &b)) == SF_OK) e = str = b;
  } else if ((st = ints_const(I, at, s.begin, s.n, "stack", &b)) == SF_OK &&
             (st = ints_const(I, at, s.end, s.n, "stack", &e)) == SF_OK) {
    st = ints_const(I, at, s.strides, s.n, "stack", &str);
  }
  sf_b_scope_pop(I, saved);
  if (st != SF_OK) return st;
  sf_attr_value attrs[SF_B_ATTRS];
  sf_b_attrs("StridedSlice", attrs);
  sf_b_attr_set("StridedSlice", attrs, "begin_mask", (sf_attr_value){.i = s.begin_mask});
  sf_b_attr_set("StridedSlice", attrs, "end_mask", (sf_attr_value){.i = s.end_mask});
  sf_b_attr_set("StridedSlice", attrs, "ellipsis_mask", (sf_attr_value){.i = s.ellipsis_mask});
  sf_b_attr_set("StridedSlice", attrs, "new_axis_mask", (sf_attr_value){.i = s.new_axis_mask});
  sf_b_attr_set("StridedSlice", attrs, "shrink_axis_mask", (sf_attr_value){.i = s.shrink_axis_mask});
  sf_node *n;
  if ((st = sf_b_op_scope(I, "StridedSlice", scope, (int[]){x, b, e, str}, 4, attrs, &n)) != SF_OK) {
    if (I->err->line == 0) {
      I->err->line = at->line;
      I->err->col = at->col;
    }
    return st;
  }
  sf_b_tensor_val(I, n->id, out);
  return SF_OK;
}

/* The first dimension of a tensor whose shape is known. */
static sf_status first_dim(sf_interp *I, const sf_expr *at, const sf_val *v, int64_t *n) {
  const sf_tensor *t = sf_b_host_value(I, v);
  const sf_node *nd = sf_graph_node(v->g, v->node);
  if (!t && (!nd || !nd->shape_known))
    return sf_error_at(I->err, at->line, at->col, SF_ENAME, "unsupported: len() of a tensor whose shape is known only when it runs");
  const sf_shape *s = t ? &t->shape : &nd->shape;
  if (s->rank == 0) return sf_py_raise(I, at, BC_TYPEERR, "Scalar tensor has no `len()`");
  *n = s->dims[0];
  return SF_OK;
}

sf_status sf_tensor_len(sf_interp *I, const sf_expr *at, const sf_val *v, int64_t *n) { return first_dim(I, at, v, n); }

/* iter(t) for an eager tensor: the rows t[0], t[1], ... as a list iterator. */
sf_status sf_tensor_iter(sf_interp *I, const sf_expr *at, const sf_val *v, sf_val *it) {
  if (v->g != I->E.g) /* ops.py Tensor.__iter__ in a graph */
    return sf_error_at(I->err, at ? at->line : I->line, at ? at->col : 1, SF_ENAME,
                       "unsupported: iterating over a symbolic tensor (Tensor objects are only iterable when eager "
                       "execution is enabled)");
  int64_t n = 0;
  sf_status st = first_dim(I, at, v, &n);
  return st == SF_OK ? sf_rows_iter(I, at, v, n, sf_tensor_getitem, it) : st;
}

sf_status sf_rows_iter(sf_interp *I, const sf_expr *at, const sf_val *v, int64_t n,
                       sf_status (*getitem)(sf_interp *, const sf_expr *, const sf_val *, const sf_val *, sf_val *),
                       sf_val *it) {
  sf_val l = {0};
  if (!sf_list_new(O_LIST, n, &l)) return sf_py_oom(I);
  sf_status st = SF_OK;
  for (int64_t i = 0; st == SF_OK && i < n; i++) {
    sf_val k = sf_int(i);
    st = getitem(I, at, v, &k, &SF_LIST(&l)->items[i]);
  }
  if (st == SF_OK) st = sf_py_iter(I, at, &l, it);
  sf_val_drop(&l);
  return st;
}

/* ---- reductions and elementwise math (math_ops.py, gen_math_ops) ---- */

#define BIND SF_BIND

static sf_status node_result(sf_interp *I, sf_node *n, sf_val *out) {
  sf_b_tensor_val(I, n->id, out);
  return SF_OK;
}

/* reduce_*(input_tensor, axis=None, keepdims=False, name=None): _ReductionDims makes a
 * "Const" np.arange(rank) when axis is None; a given axis becomes the op's
 * "<Op>/reduction_indices" Const; then the op. */
static sf_status reduction(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, const char *op) {
  BIND(fname, "input_tensor axis keepdims name", 4);
  if ((st = sf_arg_need(I, a, fname, "input_tensor", g[0])) != SF_OK) return st;
  bool logical = strcmp(op, "All") == 0 || strcmp(op, "Any") == 0;
  int x, axes;
  if ((st = sf_b_tensor(I, &v[0], logical ? SF_BOOL : -1, "input_tensor", a->call, &x)) != SF_OK) return st;
  const sf_node *xn = sf_graph_node(I->ctx.graph, x);
  if (logical != (xn->dtype == SF_BOOL))
    return sf_arg_error(I, a, SF_ETYPE, "%s(): input must be %s, got %s", fname, logical ? "bool" : "numeric",
                        sf_dtype_name(xn->dtype));
  const char *saved = NULL, *scope = NULL;
  if (v[1].kind == V_NONE) {
    if (!xn->shape_known)
      return sf_arg_error(I, a, SF_ENAME, "unsupported: %s() over all axes of a tensor of unknown rank", fname);
    sf_val all[SF_MAX_RANK];
    for (int d = 0; d < xn->shape.rank; d++) all[d] = sf_int(d);
    sf_val l = {.kind = V_LIST, .items = all, .n = xn->shape.rank};
    st = sf_b_tensor(I, &l, SF_INT32, "Const", a->call, &axes);
  } else {
    scope = sf_b_scope_push(I, v[3].kind == V_STR ? v[3].s : op, &saved);
    if (!scope) return sf_py_oom(I);
    sf_val one = {.kind = V_LIST, .items = &v[1], .n = 1};
    st = sf_b_tensor(I, v[1].kind == V_INT ? &one : &v[1], SF_INT32, "reduction_indices", a->call, &axes);
    sf_b_scope_pop(I, saved);
  }
  if (st != SF_OK) return st;
  /* reduction_ops_common.cc's check, made here where the axis is known */
  const sf_tensor *ax = sf_graph_node(I->ctx.graph, axes)->value;
  for (int64_t i = 0; xn->shape_known && ax && i < ax->n; i++) {
    int64_t d = sf_tensor_get_i64(ax, i);
    if (d < -xn->shape.rank || d >= xn->shape.rank)
      return sf_arg_error(I, a, SF_EINVAL, "Invalid reduction dimension (%lld for input with %d dimension(s)", (long long)d,
                          xn->shape.rank);
  }
  sf_attr_value attrs[SF_B_ATTRS];
  sf_b_attrs(op, attrs);
  sf_b_attr_set(op, attrs, "keep_dims", (sf_attr_value){.b = g[2] && sf_truthy(I, &v[2])});
  sf_node *n;
  /* gen_math_ops' op, named name= or after its type ("Sum"); over all axes its Const comes first, outside */
  st = scope ? sf_b_op_scope(I, op, scope, (int[]){x, axes}, 2, attrs, &n)
             : sf_b_op(I, op, v[3].kind == V_STR ? v[3].s : op, (int[]){x, axes}, 2, attrs, &n);
  if (st != SF_OK) return sf_arg_rethrow(I, a, "%s()", fname);
  return node_result(I, n, out);
}

static sf_status api_reduce_sum(sf_interp *I, const sf_args *a, sf_val *out) { return reduction(I, a, out, "reduce_sum", "Sum"); }
static sf_status api_reduce_max(sf_interp *I, const sf_args *a, sf_val *out) { return reduction(I, a, out, "reduce_max", "Max"); }
static sf_status api_reduce_min(sf_interp *I, const sf_args *a, sf_val *out) { return reduction(I, a, out, "reduce_min", "Min"); }
static sf_status api_reduce_prod(sf_interp *I, const sf_args *a, sf_val *out) { return reduction(I, a, out, "reduce_prod", "Prod"); }
static sf_status api_reduce_all(sf_interp *I, const sf_args *a, sf_val *out) { return reduction(I, a, out, "reduce_all", "All"); }
static sf_status api_reduce_any(sf_interp *I, const sf_args *a, sf_val *out) { return reduction(I, a, out, "reduce_any", "Any"); }

/* f(x, name=None): the op on x converted (want: a dtype to convert Python values to). */
static sf_status unary_op(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, const char *op, int want) {
  BIND(fname, "x name", 2);
  if ((st = sf_arg_need(I, a, fname, "x", g[0])) != SF_OK) return st;
  int x;
  sf_node *n;
  if ((st = sf_b_tensor(I, &v[0], want, "x", a->call, &x)) != SF_OK) return st;
  if ((st = sf_b_op(I, op, op, &x, 1, NULL, &n)) != SF_OK) return sf_arg_rethrow(I, a, "%s()", fname);
  return node_result(I, n, out);
}

static sf_status api_abs(sf_interp *I, const sf_args *a, sf_val *out) { return unary_op(I, a, out, "abs", "Abs", -1); }
static sf_status api_sqrt(sf_interp *I, const sf_args *a, sf_val *out) { return unary_op(I, a, out, "sqrt", "Sqrt", -1); }
static sf_status api_square(sf_interp *I, const sf_args *a, sf_val *out) { return unary_op(I, a, out, "square", "Square", -1); }
static sf_status api_logical_not(sf_interp *I, const sf_args *a, sf_val *out) {
  return unary_op(I, a, out, "logical_not", "LogicalNot", SF_BOOL);
}

/* f(x, y, name=None): y converted to x's dtype (a Python x to y's when y is a tensor). */
static sf_status binary_op(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, const char *op, int want) {
  BIND(fname, "x y name", 3);
  if ((st = sf_arg_need(I, a, fname, g[0] ? "y" : "x", g[0] && g[1])) != SF_OK) return st;
  int x, y;
  if (want < 0 && v[0].kind != V_TENSOR) want = sf_b_tensor_dtype(I, &v[1]);
  if ((st = sf_b_tensor(I, &v[0], want, "x", a->call, &x)) != SF_OK) return st;
  if ((st = sf_b_tensor(I, &v[1], (int)sf_graph_node(I->ctx.graph, x)->dtype, "y", a->call, &y)) != SF_OK) return st;
  sf_node *n;
  if ((st = sf_b_op(I, op, op, (int[]){x, y}, 2, NULL, &n)) != SF_OK) return sf_arg_rethrow(I, a, "%s()", fname);
  return node_result(I, n, out);
}

static sf_status api_maximum(sf_interp *I, const sf_args *a, sf_val *out) { return binary_op(I, a, out, "maximum", "Maximum", -1); }
static sf_status api_minimum(sf_interp *I, const sf_args *a, sf_val *out) { return binary_op(I, a, out, "minimum", "Minimum", -1); }
static sf_status api_logical_and(sf_interp *I, const sf_args *a, sf_val *out) {
  return binary_op(I, a, out, "logical_and", "LogicalAnd", SF_BOOL);
}
static sf_status api_logical_or(sf_interp *I, const sf_args *a, sf_val *out) {
  return binary_op(I, a, out, "logical_or", "LogicalOr", SF_BOOL);
}

static const struct {
  const char *name; /* after "tf." and after "tf.math." */
  sf_builtin_fn fn;
} math_api[] = {
    {"reduce_sum", api_reduce_sum}, {"reduce_max", api_reduce_max},   {"reduce_min", api_reduce_min},
    {"reduce_prod", api_reduce_prod}, {"reduce_all", api_reduce_all}, {"reduce_any", api_reduce_any},
    {"abs", api_abs},               {"sqrt", api_sqrt},               {"square", api_square},
    {"maximum", api_maximum},       {"minimum", api_minimum},         {"logical_and", api_logical_and},
    {"logical_or", api_logical_or}, {"logical_not", api_logical_not},
};

bool sf_tensor_has(sf_builtin_fn fn) {
  for (size_t i = 0; i < sizeof math_api / sizeof *math_api; i++)
    if (math_api[i].fn == fn) return true;
  return false;
}

sf_builtin_fn sf_tensor_lookup(const char *path) {
  const char *name = strncmp(path, "tf.math.", 8) == 0 ? path + 8 : strncmp(path, "tf.", 3) == 0 ? path + 3 : NULL;
  if (!name) return NULL;
  for (size_t i = 0; i < sizeof math_api / sizeof *math_api; i++)
    if (strcmp(math_api[i].name, name) == 0) return math_api[i].fn;
  return NULL;
}
