/* api_array.c — the array functions real programs call on tensors: tf.argmax / argmin,
 * tf.where (1 and 3 arguments), tf.stack, tf.concat, tf.add_n, tf.one_hot, tf.zeros_like /
 * ones_like, tf.shape / size / rank, tf.transpose, tf.squeeze, tf.fill, tf.reverse and
 * tf.clip_by_value, building the ops and Consts TF's Python layer
 * (array_ops.py, math_ops.py) builds, under its names, so that a TF1 op seed after them
 * counts the same nodes. The ops are in ops/array.c. */
#include "interp.h"
#include "py.h"

#include <string.h>

#define BIND SF_BIND

static bool is_seq(const sf_val *v) { return v->kind == V_LIST || v->kind == V_TUPLE; }

static const sf_node *node_of(sf_interp *I, int id) { return sf_graph_node(I->ctx.graph, id); }
/* A tensor value's dtype, read in its own graph: an eager tensor a trace captures is not a
 * node of the graph being built (reading it there crashed: tf.stack([captured, x])). */
static sf_dtype val_dtype(sf_interp *I, const sf_val *v) {
  const sf_node *n = sf_graph_node(v->g ? v->g : I->ctx.graph, v->node);
  return n ? n->dtype : SF_FLOAT32;
}

static sf_status result(sf_interp *I, int id, sf_val *out) {
  sf_b_tensor_val(I, id, out);
  return SF_OK;
}

/* The op named exactly `scope` (a name scope's own name, as gen ops called with the
 * scope's name are). */
static sf_status scoped_op(sf_interp *I, const sf_args *a, const char *fname, const char *op, const char *scope, const int *in,
                           int nin, const sf_attr_value *attrs, int *id) {
  sf_node *n;
  *id = 0;
  if (sf_b_op_scope(I, op, scope, in, nin, attrs, &n) != SF_OK) return sf_arg_rethrow(I, a, "%s()", fname);
  *id = n->id;
  return SF_OK;
}

/* ---- argmax / argmin: math_ops.py argmax_v2 (axis None -> 0), gen_math_ops.arg_max: the
 * input and the axis converted in the op's scope ("ArgMax/input", "ArgMax/dimension") ---- */
static sf_status arg_reduce(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, const char *op) {
  BIND(fname, "input axis output_type name", 4);
  if ((st = sf_arg_need(I, a, fname, "input", g[0])) != SF_OK) return st;
  sf_dtype ot;
  if ((st = sf_arg_dtype(I, a, fname, &v[2], SF_INT64, &ot)) != SF_OK) return st;
  if (ot != SF_INT32 && ot != SF_INT64)
    return sf_arg_error(I, a, SF_ETYPE, "%s(): output_type must be int32 or int64, got %s", fname, sf_dtype_name(ot));
  const char *saved, *scope = sf_b_scope_push(I, op, &saved);
  int x, ax;
  sf_val zero = sf_int(0);
  st = sf_b_tensor(I, &v[0], -1, "input", a->call, &x);
  if (st == SF_OK) st = sf_b_tensor(I, v[1].kind == V_NONE ? &zero : &v[1], SF_INT32, "dimension", a->call, &ax);
  sf_b_scope_pop(I, saved);
  if (st != SF_OK) return st;
  sf_attr_value attrs[SF_B_ATTRS];
  sf_b_attrs(op, attrs);
  sf_b_attr_set(op, attrs, "output_type", (sf_attr_value){.type = ot});
  int id;
  if ((st = scoped_op(I, a, fname, op, scope, (int[]){x, ax}, 2, attrs, &id)) != SF_OK) return st;
  return result(I, id, out);
}
static sf_status api_argmax(sf_interp *I, const sf_args *a, sf_val *out) { return arg_reduce(I, a, out, "argmax", "ArgMax"); }
static sf_status api_argmin(sf_interp *I, const sf_args *a, sf_val *out) { return arg_reduce(I, a, out, "argmin", "ArgMin"); }

/* ---- where: array_ops.py where_v2. One argument: name_scope "Where", the condition
 * converted as "Where/condition", the Where op "Where". Three: gen_math_ops.select_v2
 * ("SelectV2", which broadcasts). TF 1's where (tf.where of TF 1.x, tf.compat.v1.where)
 * builds gen_math_ops.select instead: "Select", operands of one shape. ---- */
static sf_status api_where(sf_interp *I, const sf_args *a, sf_val *out) {
  bool v1 = I->opt.profile == SF_PROFILE_TF1 || (I->api_path && strncmp(I->api_path, "tf.compat.v1.", 13) == 0);
  const char *select = v1 ? "Select" : "SelectV2";
  BIND("where", "condition x y name", 4);
  if ((st = sf_arg_need(I, a, "where", "condition", g[0])) != SF_OK) return st;
  if ((v[1].kind == V_NONE) != (v[2].kind == V_NONE))
    return sf_py_raise(I, a->call, BC_VALUEERR, "x and y must both be non-None or both be None.");
  int id;
  if (v[1].kind == V_NONE) {
    const char *saved, *scope = sf_b_scope_push(I, "Where", &saved);
    int c;
    st = sf_b_tensor(I, &v[0], SF_BOOL, "condition", a->call, &c);
    sf_b_scope_pop(I, saved);
    if (st == SF_OK) st = scoped_op(I, a, "where", "Where", scope, &c, 1, NULL, &id);
    return st == SF_OK ? result(I, id, out) : st;
  }
  const char *saved, *scope = sf_b_scope_push(I, select, &saved);
  int c, x, y;
  st = sf_b_tensor(I, &v[0], SF_BOOL, "condition", a->call, &c);
  int want_t = v[2].kind == V_TENSOR && v[1].kind != V_TENSOR ? (int)val_dtype(I, &v[2]) : -1;
  if (st == SF_OK) st = sf_b_tensor(I, &v[1], want_t, "t", a->call, &x);
  if (st == SF_OK) st = sf_b_tensor(I, &v[2], (int)node_of(I, x)->dtype, "e", a->call, &y);
  sf_b_scope_pop(I, saved);
  const sf_node *cn = st == SF_OK ? node_of(I, c) : NULL, *xn = cn ? node_of(I, x) : NULL;
  if (v1 && cn && cn->shape_known && xn->shape_known && cn->shape.rank == 1 && xn->shape.rank >= 2) /* select_op.cc's rows */
    return sf_arg_error(I, a, SF_ENAME, "unsupported: TF 1's where with a vector condition choosing rows");
  if (st == SF_OK) st = scoped_op(I, a, "where", select, scope, (int[]){c, x, y}, 3, NULL, &id);
  return st == SF_OK ? result(I, id, out) : st;
}

/* Converts each element of seq (Python values as Consts "<base>_<i>" in the current scope,
 * as convert_n_to_tensor names them); the dtype of the first tensor is wanted for the rest. */
static sf_status convert_n(sf_interp *I, const sf_args *a, const sf_val *seq, const char *base, int *ids) {
  int want = -1;
  for (int64_t i = 0; i < seq->n; i++)
    if (seq->items[i].kind == V_TENSOR) {
      want = (int)val_dtype(I, &seq->items[i]);
      break;
    }
  for (int64_t i = 0; i < seq->n; i++) {
    char name[32];
    snprintf(name, sizeof name, "%s_%lld", base, (long long)i);
    sf_status st = sf_b_tensor(I, &seq->items[i], want, name, a->call, &ids[i]);
    if (st != SF_OK) return st;
  }
  return SF_OK;
}

enum { MAX_N = 64 };

static sf_status need_list(sf_interp *I, const sf_args *a, const char *fname, const char *pname, const sf_val *v) {
  if (!is_seq(v)) return sf_arg_error(I, a, SF_ETYPE, "%s(): %s must be a list of tensors", fname, pname);
  if (v->n > MAX_N) return sf_arg_error(I, a, SF_ELIMIT, "%s(): more than %d %s", fname, MAX_N, pname);
  return SF_OK;
}

static bool any_tensor(const sf_val *seq) {
  for (int64_t i = 0; i < seq->n; i++)
    if (seq->items[i].kind == V_TENSOR) return true;
  return false;
}

/* ---- stack: array_ops.py stack. Axis 0 goes through convert_to_tensor: a list of
 * Python values is one Const "stack"; with tensors, _autopacking_helper's scope "stack"
 * converts the Python elements as "stack/<i>" and packs them into Pack "stack". Another
 * axis: gen_array_ops.pack(values, axis), its Python values as "stack/values_<i>". ---- */
static sf_status api_stack(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("stack", "values axis name", 3);
  if ((st = sf_arg_need(I, a, "stack", "values", g[0])) != SF_OK) return st;
  if ((st = need_list(I, a, "stack", "values", &v[0])) != SF_OK) return st;
  int64_t axis = 0;
  if (v[1].kind != V_NONE && (st = sf_arg_int(I, a, "stack", "axis", &v[1], &axis)) != SF_OK) return st;
  int id;
  if (!any_tensor(&v[0]) && axis == 0) {
    if ((st = sf_b_tensor(I, &v[0], -1, "stack", a->call, &id)) != SF_OK) return st;
    return result(I, id, out);
  }
  if (v[0].n == 0) return sf_arg_error(I, a, SF_EINVAL, "stack(): values must not be empty");
  int ids[MAX_N];
  const char *saved, *scope = sf_b_scope_push(I, "stack", &saved);
  int want = -1;
  for (int64_t i = 0; st == SF_OK && i < v[0].n && want < 0; i++)
    if (v[0].items[i].kind == V_TENSOR) want = (int)val_dtype(I, &v[0].items[i]);
  for (int64_t i = 0; st == SF_OK && i < v[0].n; i++) {
    char name[32];
    snprintf(name, sizeof name, axis == 0 ? "%lld" : "values_%lld", (long long)i);
    if (axis == 0 && is_seq(&v[0].items[i])) { /* the nested helper's name_scope(str(i)) takes the name */
      const char *inner;
      sf_b_scope_push(I, name, &inner);
      sf_b_scope_pop(I, inner);
    }
    st = sf_b_tensor(I, &v[0].items[i], want, name, a->call, &ids[i]);
  }
  sf_b_scope_pop(I, saved);
  if (st != SF_OK) return st;
  sf_attr_value attrs[SF_B_ATTRS];
  sf_b_attrs("Pack", attrs);
  sf_b_attr_set("Pack", attrs, "axis", (sf_attr_value){.i = axis});
  if ((st = scoped_op(I, a, "stack", "Pack", scope, ids, (int)v[0].n, attrs, &id)) != SF_OK) return st;
  return result(I, id, out);
}

/* ---- concat: array_ops.py concat. One value: name_scope "concat", the axis checked as
 * Const "concat/concat_dim" and identity(values[0], name="concat") -> "concat/concat".
 * Else gen_array_ops.concat_v2: values "concat/values_<i>", axis "concat/axis". ---- */
static sf_status api_concat(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("concat", "values axis name", 3);
  if ((st = sf_arg_need(I, a, "concat", g[0] ? "axis" : "values", g[0] && g[1])) != SF_OK) return st;
  if ((st = need_list(I, a, "concat", "values", &v[0])) != SF_OK) return st;
  if (v[0].n == 0) return sf_arg_error(I, a, SF_EINVAL, "concat(): values must not be empty");
  int ids[MAX_N + 1], id, ax;
  const char *saved, *scope = sf_b_scope_push(I, "concat", &saved);
  if (v[0].n == 1) {
    st = sf_b_tensor(I, &v[1], SF_INT32, "concat_dim", a->call, &ax);
    if (st == SF_OK && node_of(I, ax)->shape_known && node_of(I, ax)->shape.rank != 0)
      st = sf_py_raise(I, a->call, BC_VALUEERR, "Shape must be rank 0 but is rank %d", node_of(I, ax)->shape.rank);
    if (st == SF_OK) st = sf_b_tensor(I, &v[0].items[0], -1, "values", a->call, &ids[0]);
    sf_node *n = NULL;
    if (st == SF_OK) st = sf_b_op(I, "Identity", "concat", ids, 1, NULL, &n);
    sf_b_scope_pop(I, saved);
    return st == SF_OK ? result(I, n->id, out) : st;
  }
  st = convert_n(I, a, &v[0], "values", ids);
  if (st == SF_OK) st = sf_b_tensor(I, &v[1], SF_INT32, "axis", a->call, &ax);
  sf_b_scope_pop(I, saved);
  if (st != SF_OK) return st;
  ids[v[0].n] = ax;
  if ((st = scoped_op(I, a, "concat", "ConcatV2", scope, ids, (int)v[0].n + 1, NULL, &id)) != SF_OK) return st;
  return result(I, id, out);
}

/* ---- add_n: math_ops.py add_n. The inputs converted (Python values as Consts "Const");
 * one input is returned as it is (identity only when named); else AddN "AddN". ---- */
static sf_status api_add_n(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("add_n", "inputs name", 2);
  if (!is_seq(&v[0]) || v[0].n == 0)
    return sf_py_raise(I, a->call, BC_VALUEERR,
                       "inputs must be an iterable of at least one Tensor/IndexedSlices with the same dtype and shape");
  if ((st = need_list(I, a, "add_n", "inputs", &v[0])) != SF_OK) return st;
  int ids[MAX_N];
  int want = -1;
  for (int64_t i = 0; i < v[0].n && want < 0; i++)
    if (v[0].items[i].kind == V_TENSOR) want = (int)val_dtype(I, &v[0].items[i]);
  for (int64_t i = 0; i < v[0].n; i++)
    if ((st = sf_b_tensor(I, &v[0].items[i], want, "Const", a->call, &ids[i])) != SF_OK) return st;
  sf_node *n;
  if (v[0].n == 1) {
    if (v[1].kind == V_NONE) return result(I, ids[0], out);
    if ((st = sf_b_op(I, "Identity", v[1].kind == V_STR ? v[1].s : "Identity", ids, 1, NULL, &n)) != SF_OK) return st;
    return result(I, n->id, out);
  }
  if ((st = sf_b_op(I, "AddN", "AddN", ids, (int)v[0].n, NULL, &n)) != SF_OK) return sf_arg_rethrow(I, a, "add_n()");
  return result(I, n->id, out);
}

/* ---- one_hot: array_ops.py one_hot. name_scope "one_hot": on_value 1 and off_value 0 of
 * dtype (default float32) as "one_hot/on_value", "one_hot/off_value" when not given, then
 * gen_array_ops.one_hot converting indices and depth ("one_hot/indices", "one_hot/depth")
 * and the OneHot op "one_hot". ---- */
static sf_status api_one_hot(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("one_hot", "indices depth on_value off_value axis dtype name", 7);
  if ((st = sf_arg_need(I, a, "one_hot", g[0] ? "depth" : "indices", g[0] && g[1])) != SF_OK) return st;
  sf_dtype dt = SF_FLOAT32;
  if (v[5].kind != V_NONE) {
    if ((st = sf_arg_dtype(I, a, "one_hot", &v[5], SF_FLOAT32, &dt)) != SF_OK) return st;
  } else if (v[2].kind == V_TENSOR || v[3].kind == V_TENSOR) {
    dt = val_dtype(I, v[2].kind == V_TENSOR ? &v[2] : &v[3]);
  } else if (v[2].kind == V_INT || v[3].kind == V_INT) {
    dt = SF_INT32;
  }
  int64_t axis = -1;
  if (v[4].kind != V_NONE && (st = sf_arg_int(I, a, "one_hot", "axis", &v[4], &axis)) != SF_OK) return st;
  const char *saved, *scope = sf_b_scope_push(I, "one_hot", &saved);
  sf_val one = sf_int(1), zero = sf_int(0);
  int on, off, x, depth;
  st = sf_b_tensor(I, v[2].kind == V_NONE ? &one : &v[2], dt, "on_value", a->call, &on);
  if (st == SF_OK) st = sf_b_tensor(I, v[3].kind == V_NONE ? &zero : &v[3], dt, "off_value", a->call, &off);
  if (st == SF_OK) st = sf_b_tensor(I, &v[0], -1, "indices", a->call, &x);
  if (st == SF_OK) st = sf_b_tensor(I, &v[1], SF_INT32, "depth", a->call, &depth);
  sf_b_scope_pop(I, saved);
  if (st != SF_OK) return st;
  if (sf_dtype_is_float(node_of(I, x)->dtype) || node_of(I, x)->dtype == SF_BOOL)
    return sf_arg_error(I, a, SF_ETYPE, "one_hot(): indices must be integers, got %s", sf_dtype_name(node_of(I, x)->dtype));
  sf_attr_value attrs[SF_B_ATTRS];
  sf_b_attrs("OneHot", attrs);
  sf_b_attr_set("OneHot", attrs, "axis", (sf_attr_value){.i = axis});
  int id;
  if ((st = scoped_op(I, a, "one_hot", "OneHot", scope, (int[]){x, depth, on, off}, 4, attrs, &id)) != SF_OK) return st;
  return result(I, id, out);
}

/* ---- zeros_like / ones_like (array_ops.py zeros_like_impl, ones_like_impl) ---- */

/* A Const of x's shape filled with value, named exactly name (constant(..., name=scope)). */
static sf_status filled_const(sf_interp *I, const sf_node *x, sf_dtype dt, double value, const char *name, int *id) {
  sf_tensor *t = sf_tensor_new(dt, &x->shape, I->err);
  if (!t) return I->err->code;
  for (int64_t i = 0; value != 0 && i < t->n; i++) sf_tensor_set(t, i, value);
  sf_node *n;
  sf_status st = sf_context_add_const(&I->ctx, t, name, I->line, &n, I->err);
  sf_tensor_unref(t);
  if (st == SF_OK) *id = n->id;
  return st;
}

/* In a graph, x of a known shape: zeros_like is zeros(shape) — a Const "zeros_like" below
 * 1000 elements (_constant_if_small), else Fill of Consts "zeros_like/shape_as_tensor" and
 * "zeros_like/Const"; an unknown shape or eager: the ZerosLike op. ones_like always goes
 * through shape_internal (a Const "ones_like/Shape" for a known shape, else a Shape op)
 * and ones(): Const "ones_like/Const" and Fill "ones_like". */
static sf_status like(sf_interp *I, const sf_args *a, sf_val *out, bool ones) {
  const char *fname = ones ? "ones_like" : "zeros_like";
  BIND(fname, "input dtype name", 3);
  if ((st = sf_arg_need(I, a, fname, "input", g[0])) != SF_OK) return st;
  const char *saved, *scope = sf_b_scope_push(I, fname, &saved);
  int x, id = 0;
  st = sf_b_tensor(I, &v[0], -1, "tensor", a->call, &x);
  sf_dtype dt = st == SF_OK ? node_of(I, x)->dtype : SF_FLOAT32;
  if (st == SF_OK && v[1].kind != V_NONE) st = sf_arg_dtype(I, a, fname, &v[1], dt, &dt);
  const sf_node *xn = st == SF_OK ? node_of(I, x) : NULL;
  bool known = xn && xn->shape_known && !sf_shape_partial(&xn->shape); /* is_fully_defined() */
  if (st == SF_OK && !ones && (I->ctx.eager || !known)) {
    sf_b_scope_pop(I, saved);
    if (dt != xn->dtype) return sf_arg_error(I, a, SF_ENAME, "unsupported: zeros_like(dtype=) of a tensor of unknown shape");
    if ((st = scoped_op(I, a, fname, "ZerosLike", scope, &x, 1, NULL, &id)) != SF_OK) return st;
    return result(I, id, out);
  }
  int64_t n = 1;
  for (int d = 0; known && d < xn->shape.rank; d++) n *= xn->shape.dims[d];
  if (st == SF_OK && !ones && n < 1000) {
    sf_b_scope_pop(I, saved);
    if ((st = filled_const(I, xn, dt, 0, scope, &id)) != SF_OK) return st;
    return result(I, id, out);
  }
  int shape = 0, fill_value;
  if (st == SF_OK && known) {
    sf_val dims[SF_MAX_RANK];
    for (int d = 0; d < xn->shape.rank; d++) dims[d] = sf_int(xn->shape.dims[d]);
    sf_val l = {.kind = V_LIST, .items = dims, .n = xn->shape.rank};
    st = sf_b_tensor(I, &l, SF_INT32, ones ? "Shape" : "shape_as_tensor", a->call, &shape);
  } else if (st == SF_OK) {
    sf_node *s;
    st = sf_b_op(I, "Shape", "Shape", &x, 1, NULL, &s);
    if (st == SF_OK) shape = s->id;
  }
  sf_val c = sf_int(ones);
  if (st == SF_OK) st = sf_b_tensor(I, &c, dt, "Const", a->call, &fill_value);
  sf_b_scope_pop(I, saved);
  if (st == SF_OK) st = scoped_op(I, a, fname, "Fill", scope, (int[]){shape, fill_value}, 2, NULL, &id);
  return st == SF_OK ? result(I, id, out) : st;
}
static sf_status api_zeros_like(sf_interp *I, const sf_args *a, sf_val *out) { return like(I, a, out, false); }
static sf_status api_ones_like(sf_interp *I, const sf_args *a, sf_val *out) { return like(I, a, out, true); }

/* ---- shape / size / rank (array_ops.py shape_internal, size_internal, rank_internal with
 * optimize=True): a known shape in a graph is a Const "Shape" / "Size" / "Rank"; eager
 * runs the Shape op (its value is the same); an unknown shape is not modelled. ---- */
typedef enum { Q_SHAPE, Q_SIZE, Q_RANK } query;

static sf_status shape_query(sf_interp *I, const sf_args *a, sf_val *out, query q) {
  static const char *const fnames[] = {"shape", "size", "rank"}, *const names[] = {"Shape", "Size", "Rank"};
  const char *fname = fnames[q];
  BIND(fname, q == Q_RANK ? "input name" : "input out_type name", q == Q_RANK ? 2 : 3);
  if ((st = sf_arg_need(I, a, fname, "input", g[0])) != SF_OK) return st;
  sf_dtype ot = SF_INT32;
  if (q != Q_RANK && (st = sf_arg_dtype(I, a, fname, &v[1], SF_INT32, &ot)) != SF_OK) return st;
  int x;
  if ((st = sf_b_tensor(I, &v[0], -1, "input", a->call, &x)) != SF_OK) return st;
  const sf_node *xn = node_of(I, x);
  if (!xn->shape_known)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: tf.%s() of a tensor whose shape is known only when it runs", fname);
  if (q == Q_SHAPE && I->ctx.eager) {
    sf_attr_value attrs[SF_B_ATTRS];
    sf_b_attrs("Shape", attrs);
    sf_b_attr_set("Shape", attrs, "out_type", (sf_attr_value){.type = ot});
    sf_node *n;
    if ((st = sf_b_op(I, "Shape", "Shape", &x, 1, attrs, &n)) != SF_OK) return st;
    return result(I, n->id, out);
  }
  sf_val dims[SF_MAX_RANK], c;
  int64_t size = 1;
  for (int d = 0; d < xn->shape.rank; d++) dims[d] = sf_int(xn->shape.dims[d]), size *= xn->shape.dims[d];
  if (q == Q_SHAPE) c = (sf_val){.kind = V_LIST, .items = dims, .n = xn->shape.rank};
  else c = sf_int(q == Q_SIZE ? size : xn->shape.rank);
  int id;
  if ((st = sf_b_tensor(I, &c, ot, names[q], a->call, &id)) != SF_OK) return st;
  return result(I, id, out);
}
static sf_status api_shape(sf_interp *I, const sf_args *a, sf_val *out) { return shape_query(I, a, out, Q_SHAPE); }
static sf_status api_size(sf_interp *I, const sf_args *a, sf_val *out) { return shape_query(I, a, out, Q_SIZE); }
static sf_status api_rank(sf_interp *I, const sf_args *a, sf_val *out) { return shape_query(I, a, out, Q_RANK); }

/* ---- transpose: array_ops.transpose. In the name scope "transpose" (or name), a value
 * not yet a tensor converted as "a" (TF 1.x with perm given: inside the op, as "x"), perm
 * (given, or np.arange(rank - 1, -1, -1) for a known rank) the Const "perm", and the
 * Transpose op the scope's own name. An unknown rank takes Rank and Range ops there:
 * unsupported, as is TF 1.x's way with a scalar (ndims 0 takes that path too). ---- */
static sf_status api_transpose(sf_interp *I, const sf_args *a, sf_val *out) {
  bool tf1 = I->opt.profile == SF_PROFILE_TF1;
  BIND("transpose", tf1 ? "a perm name conjugate" : "a perm conjugate name", 4);
  if ((st = sf_arg_need(I, a, "transpose", "a", g[0])) != SF_OK) return st;
  const sf_val *name = &v[tf1 ? 2 : 3];
  const char *saved, *scope = sf_b_scope_push(I, name->kind == V_STR ? name->s : "transpose", &saved);
  if (!scope) return sf_py_oom(I);
  int x, p;
  bool given = v[1].kind != V_NONE;
  st = sf_b_tensor(I, &v[0], -1, tf1 && given ? "x" : "a", a->call, &x);
  const sf_node *xn = st == SF_OK ? node_of(I, x) : NULL;
  if (st == SF_OK && given) {
    st = sf_b_tensor(I, &v[1], SF_INT32, "perm", a->call, &p);
  } else if (st == SF_OK && (!xn->shape_known || (tf1 && xn->shape.rank == 0))) {
    st = sf_arg_error(I, a, SF_ENAME, "unsupported: transpose() without perm of a tensor of %s rank (TF builds Rank and "
                      "Range ops for it)", xn->shape_known ? "0" : "unknown");
  } else if (st == SF_OK) {
    sf_val dims[SF_MAX_RANK];
    for (int d = 0; d < xn->shape.rank; d++) dims[d] = sf_int(xn->shape.rank - 1 - d);
    sf_val perm = {.kind = V_LIST, .items = dims, .n = xn->shape.rank};
    st = sf_b_tensor(I, &perm, SF_INT32, "perm", a->call, &p);
  }
  sf_b_scope_pop(I, saved);
  int id;
  if (st == SF_OK) st = scoped_op(I, a, "transpose", "Transpose", scope, (int[]){x, p}, 2, NULL, &id);
  return st == SF_OK ? result(I, id, out) : st;
}

/* ---- squeeze: array_ops.squeeze (v2: input, axis, name; v1 also squeeze_dims). One
 * Squeeze op, "Squeeze" (or name); a value not yet a tensor converted inside it as
 * "input"; an int axis is a list of one. ---- */
static sf_status api_squeeze(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("squeeze", "input axis name squeeze_dims", 4);
  if ((st = sf_arg_need(I, a, "squeeze", "input", g[0])) != SF_OK) return st;
  if (v[1].kind != V_NONE && v[3].kind != V_NONE)
    return sf_py_raise(I, a->call, BC_VALUEERR, "Cannot specify both 'axis' and 'squeeze_dims'.");
  const sf_val *axis = v[1].kind != V_NONE ? &v[1] : &v[3];
  sf_shape axes = {0};
  if (axis->kind == V_INT) {
    axes = (sf_shape){.rank = 1, .dims = {axis->i}};
  } else if (axis->kind == V_LIST || axis->kind == V_TUPLE) {
    if (axis->n > SF_MAX_RANK) return sf_arg_error(I, a, SF_EINVAL, "squeeze(): more than %d axes", SF_MAX_RANK);
    for (int k = 0; k < axis->n; k++) {
      if (axis->items[k].kind != V_INT) return sf_arg_error(I, a, SF_ETYPE, "squeeze(): axis must be an int or a list of ints");
      axes.dims[axes.rank++] = axis->items[k].i;
    }
  } else if (axis->kind != V_NONE) {
    return sf_arg_error(I, a, SF_ETYPE, "squeeze(): axis must be an int or a list of ints");
  }
  const char *saved, *scope = sf_b_scope_push(I, v[2].kind == V_STR ? v[2].s : "Squeeze", &saved);
  if (!scope) return sf_py_oom(I);
  int x, id;
  st = sf_b_tensor(I, &v[0], -1, "input", a->call, &x);
  sf_b_scope_pop(I, saved);
  if (st != SF_OK) return st;
  sf_attr_value attrs[SF_B_ATTRS];
  sf_b_attrs("Squeeze", attrs);
  sf_b_attr_set("Squeeze", attrs, "squeeze_dims", (sf_attr_value){.shape = axes});
  if ((st = scoped_op(I, a, "squeeze", "Squeeze", scope, &x, 1, attrs, &id)) != SF_OK) return st;
  return result(I, id, out);
}

/* ---- fill (array_ops.fill) and reverse (gen_array_ops.reverse_v2): one op, "Fill" or
 * "ReverseV2" (or name), its inputs converted inside it: "dims" (int32) and "value";
 * "tensor" and "axis" (int32). ---- */
static sf_status two_input_op(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, const char *op,
                              const char *p0, const char *p1) {
  char params[48];
  snprintf(params, sizeof params, "%s %s name", p0, p1);
  BIND(fname, params, 3);
  if ((st = sf_arg_need(I, a, fname, g[0] ? p1 : p0, g[0] && g[1])) != SF_OK) return st;
  const char *saved, *scope = sf_b_scope_push(I, v[2].kind == V_STR ? v[2].s : op, &saved);
  if (!scope) return sf_py_oom(I);
  bool fill = op[0] == 'F';
  int x, y, id;
  st = sf_b_tensor(I, &v[0], fill ? SF_INT32 : -1, p0, a->call, &x);
  if (st == SF_OK) st = sf_b_tensor(I, &v[1], fill ? -1 : SF_INT32, p1, a->call, &y);
  sf_b_scope_pop(I, saved);
  if (st == SF_OK) st = scoped_op(I, a, fname, op, scope, (int[]){x, y}, 2, NULL, &id);
  return st == SF_OK ? result(I, id, out) : st;
}
static sf_status api_fill(sf_interp *I, const sf_args *a, sf_val *out) {
  return two_input_op(I, a, out, "fill", "Fill", "dims", "value");
}
static sf_status api_reverse(sf_interp *I, const sf_args *a, sf_val *out) {
  return two_input_op(I, a, out, "reverse", "ReverseV2", "tensor", "axis");
}

/* ---- clip_by_value (clip_ops.py): in the scope "clip_by_value" (or name), t converted as
 * "t", Minimum(t, max) (max converted inside it, "Minimum/y"), then Maximum(that, min)
 * named the scope itself (min as "y" beside it): 4 ops for Python bounds. ---- */
static sf_status api_clip_by_value(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("clip_by_value", "t clip_value_min clip_value_max name", 4);
  if ((st = sf_arg_need(I, a, "clip_by_value", "clip_value_max", g[0] && g[1] && g[2])) != SF_OK) return st;
  const char *saved, *scope = sf_b_scope_push(I, v[3].kind == V_STR ? v[3].s : "clip_by_value", &saved);
  if (!scope) return sf_py_oom(I);
  int t, hi, lo, mn = 0, id = 0;
  st = sf_b_tensor(I, &v[0], -1, "t", a->call, &t);
  const char *s2, *inner = st == SF_OK ? sf_b_scope_push(I, "Minimum", &s2) : NULL;
  if (st == SF_OK && !inner) st = sf_py_oom(I);
  if (inner) {
    st = sf_b_tensor(I, &v[2], node_of(I, t)->dtype, "y", a->call, &hi);
    sf_b_scope_pop(I, s2);
    if (st == SF_OK) st = scoped_op(I, a, "clip_by_value", "Minimum", inner, (int[]){t, hi}, 2, NULL, &mn);
  }
  if (st == SF_OK) st = sf_b_tensor(I, &v[1], node_of(I, t)->dtype, "y", a->call, &lo);
  sf_b_scope_pop(I, saved);
  if (st == SF_OK) st = scoped_op(I, a, "clip_by_value", "Maximum", scope, (int[]){mn, lo}, 2, NULL, &id);
  return st == SF_OK ? result(I, id, out) : st;
}

static const struct {
  const char *name; /* after "tf.", "tf.compat.v1." or "tf.math." (the math ones) */
  sf_builtin_fn fn;
  bool math;
} array_api[] = {
    {"argmax", api_argmax, true},   {"argmin", api_argmin, true},         {"where", api_where, false},
    {"stack", api_stack, false},    {"concat", api_concat, false},        {"add_n", api_add_n, true},
    {"one_hot", api_one_hot, false}, {"zeros_like", api_zeros_like, false}, {"ones_like", api_ones_like, false},
    {"shape", api_shape, false},    {"size", api_size, false},            {"rank", api_rank, false},
    {"transpose", api_transpose, false}, {"squeeze", api_squeeze, false}, {"fill", api_fill, false},
    {"reverse", api_reverse, false},     {"clip_by_value", api_clip_by_value, false},
};

bool sf_array_has(sf_builtin_fn fn) {
  for (size_t i = 0; i < sizeof array_api / sizeof *array_api; i++)
    if (array_api[i].fn == fn) return true;
  return false;
}

sf_builtin_fn sf_array_lookup(const char *path) {
  bool math = strncmp(path, "tf.math.", 8) == 0;
  const char *name = math ? path + 8
                     : strncmp(path, "tf.compat.v1.", 13) == 0 ? path + 13
                     : strncmp(path, "tf.", 3) == 0            ? path + 3
                                                               : NULL;
  if (!name) return NULL;
  for (size_t i = 0; i < sizeof array_api / sizeof *array_api; i++)
    if (strcmp(array_api[i].name, name) == 0 && (!math || array_api[i].math)) return array_api[i].fn;
  return NULL;
}
