/* api.c — the TensorFlow / NumPy Python API a program can call, written once against the
 * builder (interp.h). Each wrapper creates the same helper nodes, in the same order, as
 * TF's Python wrapper does, because TF <= 2.1 graph op seeds count nodes (random_ops.py). */
#include "api_keras_loss.h"
#include "interp.h"
#include "py.h"
#include "api_control.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BIND SF_BIND
#define need sf_arg_need

static sf_status op_seed(sf_interp *I, const sf_args *a, const char *fname, const sf_val *v, bool *has, int64_t *seed) {
  *has = v->kind != V_NONE;
  return *has ? sf_arg_int(I, a, fname, "seed", v, seed) : SF_OK;
}

/* The shape argument: a Python list/tuple/int becomes a "shape" Const; a tensor is used as is. */
static sf_status shape_input(sf_interp *I, const sf_args *a, const sf_val *v, int *id) {
  if (v->kind == V_INT) {
    sf_val one = {.kind = V_LIST, .items = (sf_val *)v, .n = 1};
    return sf_b_tensor(I, &one, -1, "shape", a->call, id); /* int32, int64 when too big (shape_tensor) */
  }
  if (v->kind != V_LIST && v->kind != V_TUPLE && v->kind != V_TENSOR)
    return sf_arg_error(I, a, SF_ETYPE, "shape must be a list, tuple or int tensor");
  for (int i = 0; v->kind != V_TENSOR && i < v->n; i++)
    if (v->items[i].kind != V_INT || v->items[i].i < 0)
      return sf_arg_error(I, a, SF_ESHAPE, "shape entries must be non-negative ints");
  /* tensor_util.shape_tensor: an empty shape is int32 (an empty list converts to float32) */
  return sf_b_tensor(I, v, v->kind != V_TENSOR && v->n == 0 ? SF_INT32 : -1, "shape", a->call, id);
}

sf_status sf_api_shape_input(sf_interp *I, const sf_args *a, const sf_val *v, int *id) { return shape_input(I, a, v, id); }

static sf_status result(sf_interp *I, sf_node *n, sf_val *out) {
  sf_b_tensor_val(I, n->id, out);
  return SF_OK;
}

/* The tail every float random op shares (random_ops.py, stateless_random_ops.py,
 * stateful_random_ops.py): inside the op's name scope rnd * stddev (normal) or
 * rnd * (maxval - minval) (uniform: Sub first), then, the scope left, + mean / minval as
 * an AddV2 named after the scope ("random_normal_1"). st is the status so far: the scope
 * is left whatever happened. */
static sf_status scale_shift(sf_interp *I, sf_status st, sf_node *rnd, bool uniform, int p1, int p2,
                             const char *scope, const char *saved, sf_val *out) {
  sf_node *range = NULL, *mul = NULL, *add = NULL;
  if (st == SF_OK && uniform) st = sf_b_op(I, "Sub", "sub", (int[]){p2, p1}, 2, NULL, &range);
  if (st == SF_OK) st = sf_b_op(I, "Mul", "mul", (int[]){rnd->id, uniform ? range->id : p2}, 2, NULL, &mul);
  sf_b_scope_pop(I, saved);
  if (st == SF_OK) st = sf_b_op(I, "AddV2", "add", (int[]){mul->id, p1}, 2, NULL, &add);
  if (st != SF_OK) return st;
  add->name = scope;
  return result(I, add, out);
}

/* ---- tf.random.set_seed ---- */

static sf_status api_set_seed(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("set_seed", "seed", 1);
  int64_t seed;
  out->kind = V_NONE;
  if ((st = need(I, a, "set_seed", "seed", g[0])) != SF_OK) return st;
  if (v[0].kind == V_NONE) return sf_arg_error(I, a, SF_EINVAL, "set_seed(None) is not supported");
  if ((st = sf_arg_int(I, a, "set_seed", "seed", &v[0], &seed)) != SF_OK) return st;
  sf_b_set_seed(I, seed);
  return SF_OK;
}

/* ---- random_normal / truncated_normal: shape, mean, stddev Consts; op; mul; add ---- */

static sf_status normal_like(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, const char *op) {
  BIND(fname, "shape mean stddev dtype seed name", 6);
  if ((st = need(I, a, fname, "shape", g[0])) != SF_OK) return st;
  sf_dtype dt;
  bool has_seed;
  int64_t seed = 0;
  if ((st = sf_arg_dtype(I, a, fname, &v[3], SF_FLOAT32, &dt)) != SF_OK) return st;
  if (!sf_dtype_is_float(dt)) return sf_arg_error(I, a, SF_ETYPE, "%s(): dtype must be a float type, got %s", fname, sf_dtype_name(dt));
  if ((st = op_seed(I, a, fname, &v[4], &has_seed, &seed)) != SF_OK) return st;
  sf_val zero = {.kind = V_FLOAT, .f = 0.0}, one = {.kind = V_FLOAT, .f = 1.0};
  const char *saved, *scope = sf_b_scope_push(I, v[5].kind == V_STR ? v[5].s : fname, &saved);
  int shape = -1, mean = -1, stddev = -1;
  if ((st = shape_input(I, a, &v[0], &shape)) == SF_OK &&
      (st = sf_b_tensor(I, g[1] ? &v[1] : &zero, (int)dt, "mean", a->call, &mean)) == SF_OK)
    st = sf_b_tensor(I, g[2] ? &v[2] : &one, (int)dt, "stddev", a->call, &stddev);
  sf_seed_pair seeds;
  sf_node *rnd = NULL;
  if (st == SF_OK) {
    sf_b_get_seed(I, has_seed, seed, &seeds);
    sf_attr_value attrs[SF_B_ATTRS];
    sf_b_attrs(op, attrs);
    sf_b_attr_set(op, attrs, "dtype", (sf_attr_value){.type = dt});
    st = sf_b_random(I, op, op, NULL, &shape, 1, attrs, &seeds, &rnd);
  }
  return scale_shift(I, st, rnd, false, mean, stddev, scope, saved, out);
}

static sf_status api_random_normal(sf_interp *I, const sf_args *a, sf_val *out) {
  return normal_like(I, a, out, "random_normal", "RandomStandardNormal");
}
static sf_status api_truncated_normal(sf_interp *I, const sf_args *a, sf_val *out) {
  return normal_like(I, a, out, "truncated_normal", "TruncatedNormal");
}

/* ---- random_uniform: float: shape, min, max; op; sub; mul; add (7). int: 4 ---- */

static sf_status api_random_uniform(sf_interp *I, const sf_args *a, sf_val *out) {
  const char *fname = "random_uniform";
  BIND(fname, "shape minval maxval dtype seed name", 6);
  if ((st = need(I, a, fname, "shape", g[0])) != SF_OK) return st;
  sf_dtype dt;
  bool has_seed;
  int64_t seed = 0;
  if ((st = sf_arg_dtype(I, a, fname, &v[3], SF_FLOAT32, &dt)) != SF_OK) return st;
  if ((st = op_seed(I, a, fname, &v[4], &has_seed, &seed)) != SF_OK) return st;
  bool is_int = !sf_dtype_is_float(dt);
  if (dt == SF_BOOL) return sf_arg_error(I, a, SF_ETYPE, "%s(): dtype bool is not supported", fname);
  if (is_int && v[2].kind == V_NONE)
    return sf_arg_error(I, a, SF_EINVAL, "%s(): must specify maxval for integer dtype %s", fname, sf_dtype_name(dt));
  sf_val lo = g[1] && v[1].kind != V_NONE ? v[1] : (sf_val){.kind = V_INT, .i = 0};
  sf_val hi = v[2].kind != V_NONE ? v[2] : (sf_val){.kind = V_INT, .i = 1};
  if (!is_int) {
    if (lo.kind == V_INT) lo = (sf_val){.kind = V_FLOAT, .f = (double)lo.i};
    if (hi.kind == V_INT) hi = (sf_val){.kind = V_FLOAT, .f = (double)hi.i};
  }
  const char *saved, *scope = sf_b_scope_push(I, v[5].kind == V_STR ? v[5].s : fname, &saved);
  int shape, mn, mx;
  if ((st = shape_input(I, a, &v[0], &shape)) == SF_OK && (st = sf_b_tensor(I, &lo, (int)dt, "min", a->call, &mn)) == SF_OK)
    st = sf_b_tensor(I, &hi, (int)dt, "max", a->call, &mx);
  sf_seed_pair seeds;
  sf_node *rnd = NULL;
  if (st == SF_OK) {
    sf_b_get_seed(I, has_seed, seed, &seeds);
    const char *op = is_int ? "RandomUniformInt" : "RandomUniform";
    sf_attr_value attrs[SF_B_ATTRS];
    sf_b_attrs(op, attrs);
    sf_b_attr_set(op, attrs, is_int ? "Tout" : "dtype", (sf_attr_value){.type = dt});
    if (is_int) { /* the RandomUniformInt op itself carries the scope's name */
      st = sf_b_random(I, op, op, scope, (int[]){shape, mn, mx}, 3, attrs, &seeds, &rnd);
      sf_b_scope_pop(I, saved);
      if (st != SF_OK) return st;
      return result(I, rnd, out);
    }
    st = sf_b_random(I, op, op, NULL, &shape, 1, attrs, &seeds, &rnd);
  }
  return scale_shift(I, st, rnd, true, mn, mx, scope, saved, out); /* float32 ops in TF's order */
}

/* ---- random_shuffle: get_seed first, then the value's conversion, then the op ---- */

static sf_status api_random_shuffle(sf_interp *I, const sf_args *a, sf_val *out) {
  const char *fname = "random_shuffle";
  BIND(fname, "value seed name", 3);
  if ((st = need(I, a, fname, "value", g[0])) != SF_OK) return st;
  bool has_seed;
  int64_t seed = 0;
  sf_seed_pair seeds;
  if ((st = op_seed(I, a, fname, &v[1], &has_seed, &seed)) != SF_OK) return st;
  sf_b_get_seed(I, has_seed, seed, &seeds);
  int x;
  sf_node *n;
  if ((st = sf_b_tensor(I, &v[0], -1, "value", a->call, &x)) != SF_OK) return st;
  sf_attr_value attrs[SF_B_ATTRS];
  sf_b_attrs("RandomShuffle", attrs);
  if ((st = sf_b_random(I, "RandomShuffle", v[2].kind == V_STR ? v[2].s : "RandomShuffle", NULL, &x, 1, attrs,
                        &seeds, &n)) != SF_OK)
    return st;
  return result(I, n, out);
}

/* ---- stateless ops: (shape, seed, [mean, stddev | minval, maxval], dtype) ---- */

static sf_status stateless(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, const char *op, bool uniform) {
  BIND(fname, uniform ? "shape seed minval maxval dtype name alg" : "shape seed mean stddev dtype name alg", 7);
  if ((st = need(I, a, fname, "shape", g[0])) != SF_OK || (st = need(I, a, fname, "seed", g[1])) != SF_OK ||
      (st = sf_api_rng_alg(I, a, fname, &v[6])) != SF_OK)
    return st;
  sf_dtype dt;
  if ((st = sf_arg_dtype(I, a, fname, &v[4], SF_FLOAT32, &dt)) != SF_OK) return st;
  if (uniform && !sf_dtype_is_float(dt) && dt != SF_BOOL) return sf_api_stateless_uniform_int(I, a, v, g, dt, out);
  if (!sf_dtype_is_float(dt)) return sf_arg_error(I, a, SF_ETYPE, "%s(): dtype must be a float type", fname);
  const char *saved, *scope = sf_b_scope_push(I, fname, &saved);
  int shape = -1, seed = -1, p1 = -1, p2 = -1;
  sf_val d1 = {.kind = V_FLOAT, .f = 0.0}, d2 = {.kind = V_FLOAT, .f = 1.0};
  int from = sf_trace_op_count(I->tr);
  if ((st = shape_input(I, a, &v[0], &shape)) == SF_OK && (st = sf_b_tensor(I, &v[1], SF_INT64, "seed", a->call, &seed)) == SF_OK &&
      (st = sf_b_tensor(I, v[2].kind != V_NONE ? &v[2] : &d1, (int)dt, uniform ? "min" : "mean", a->call, &p1)) == SF_OK)
    st = sf_b_tensor(I, v[3].kind != V_NONE ? &v[3] : &d2, (int)dt, uniform ? "max" : "stddev", a->call, &p2);
  sf_node *rnd = NULL;
  sf_attr_value attrs[SF_B_ATTRS];
  sf_b_attrs(op, attrs);
  if (st == SF_OK) {
    sf_b_attr_set(op, attrs, "dtype", (sf_attr_value){.type = dt});
    st = sf_b_op(I, op, op, (int[]){shape, seed}, 2, attrs, &rnd);
  }
  if (st == SF_OK) sf_keras_mark_stateless(I, from); /* tf2.10, keras3: explain says "stateless seed" */
  return scale_shift(I, st, rnd, uniform, p1, p2, scope, saved, out);
}

static sf_status api_stateless_normal(sf_interp *I, const sf_args *a, sf_val *out) {
  return stateless(I, a, out, "stateless_random_normal", "StatelessRandomNormal", false);
}
static sf_status api_stateless_truncated(sf_interp *I, const sf_args *a, sf_val *out) {
  return stateless(I, a, out, "stateless_truncated_normal", "StatelessTruncatedNormal", false);
}
static sf_status api_stateless_uniform(sf_interp *I, const sf_args *a, sf_val *out) {
  return stateless(I, a, out, "stateless_random_uniform", "StatelessRandomUniform", true);
}

/* ---- tf.random.Generator ---- */

/* Generator.normal / uniform / truncated_normal (stateful_random_ops.py): scope, shape,
 * the two parameters, the draw, the shared tail. */
static sf_status generator_draw(sf_interp *I, const sf_val *self, const sf_args *a, sf_val *out, bool uniform, bool truncated) {
  const char *fname = uniform ? "Generator.uniform" : truncated ? "Generator.truncated_normal" : "Generator.normal";
  BIND(fname, uniform ? "shape minval maxval dtype name" : "shape mean stddev dtype name", 5);
  if ((st = need(I, a, fname, "shape", g[0])) != SF_OK) return st;
  sf_dtype dt;
  if ((st = sf_arg_dtype(I, a, fname, &v[3], SF_FLOAT32, &dt)) != SF_OK) return st;
  if (uniform && !sf_dtype_is_float(dt) && dt != SF_BOOL) return sf_generator_uniform_int(I, self, a, v, g, dt, out);
  if (!sf_dtype_is_float(dt)) return sf_arg_error(I, a, SF_ETYPE, "%s(): dtype must be a float type", fname);
  const char *op = uniform ? "StatefulUniform" : truncated ? "StatefulTruncatedNormal" : "StatefulStandardNormalV2";
  const char *saved,
      *scope = sf_b_scope_push(I, v[4].kind == V_STR ? v[4].s : uniform ? "stateful_uniform" : truncated ? "truncated_normal" : "stateful_normal",
                               &saved);
  sf_val d1 = {.kind = V_FLOAT, .f = 0.0}, d2 = {.kind = V_FLOAT, .f = 1.0};
  int shape = -1, p1 = -1, p2 = -1;
  if ((st = shape_input(I, a, &v[0], &shape)) == SF_OK &&
      (st = sf_b_tensor(I, v[1].kind != V_NONE ? &v[1] : &d1, (int)dt, uniform ? "min" : "mean", a->call, &p1)) == SF_OK)
    st = sf_b_tensor(I, v[2].kind != V_NONE ? &v[2] : &d2, (int)dt, uniform ? "max" : "stddev", a->call, &p2);
  sf_attr_value attrs[SF_B_ATTRS];
  sf_b_attrs(op, attrs);
  sf_node *rnd = NULL;
  if (st == SF_OK) {
    sf_b_attr_set(op, attrs, "generator", (sf_attr_value){.i = self->index});
    sf_b_attr_set(op, attrs, "dtype", (sf_attr_value){.type = dt});
    st = sf_b_op(I, op, op, &shape, 1, attrs, &rnd);
  }
  return scale_shift(I, st, rnd, uniform, p1, p2, scope, saved, out);
}

/* ---- tf.nn.dropout (nn_ops.py dropout_v2): x * scale * cast(u >= rate) ---- */

/* rate is a Python number (rate_id < 0) or a tensor node (TF1's keep_prob fed through a
 * placeholder: rate = 1 - keep_prob): then scale = 1 / (1 - rate) is computed in the graph. */
static sf_status dropout_core(sf_interp *I, const sf_args *a, const sf_val *xv, double rate, int rate_id, const sf_val *noise,
                              const sf_val *seed, bool stateless, sf_val *out) {
  int x;
  sf_status st;
  if ((st = sf_b_tensor(I, xv, -1, "x", a->call, &x)) != SF_OK) return st;
  sf_node *xn = sf_graph_node(I->ctx.graph, x);
  if (!sf_dtype_is_float(xn->dtype)) return sf_arg_error(I, a, SF_ETYPE, "dropout: x must be a float tensor");
  if (rate_id < 0 && rate == 0) return sf_b_tensor_val(I, x, out), SF_OK;
  /* noise_shape defaults to shape(x) */
  sf_val shape = *noise;
  sf_val dims[SF_MAX_RANK];
  if (shape.kind == V_NONE) {
    if (!xn->shape_known) return sf_arg_error(I, a, SF_ESHAPE, "dropout: x needs a known shape");
    for (int d = 0; d < xn->shape.rank; d++) dims[d] = (sf_val){.kind = V_INT, .i = xn->shape.dims[d]};
    shape = (sf_val){.kind = V_LIST, .items = dims, .n = xn->shape.rank};
    /* nn_ops.py _get_noise_shape: array_ops.shape(x), a Const when the shape is fully known,
     * else a Shape op (one op either way, so later op ids do not move) */
    sf_node *sn;
    if (sf_shape_partial(&xn->shape)) {
      if ((st = sf_b_op(I, "Shape", "Shape", &x, 1, NULL, &sn)) != SF_OK) return st;
      sf_b_tensor_val(I, sn->id, &shape);
    }
  }
  sf_val uargs[4] = {shape, {.kind = V_DTYPE, .dtype = xn->dtype}, *seed};
  const char *names[] = {"dtype", "seed"};
  sf_args ua = {.call = a->call, .pos = uargs, .npos = 1, .kwnames = names, .kw = uargs + 1, .nkw = 2};
  sf_val u;
  /* nn_ops.py _dropout's uniform_sampler: stateless_dropout's is stateless_random_uniform */
  if ((st = (stateless ? api_stateless_uniform : api_random_uniform)(I, &ua, &u)) != SF_OK) return st;
  sf_node *scale, *keep, *mask, *ret, *kp, *inv;
  int scale_id;
  if (rate_id < 0) {
    sf_val scale_v = {.kind = V_FLOAT, .f = 1.0 / (1.0 - rate)}, rate_v = {.kind = V_FLOAT, .f = rate};
    if ((st = sf_b_tensor(I, &scale_v, (int)xn->dtype, "scale", a->call, &scale_id)) != SF_OK ||
        (st = sf_b_tensor(I, &rate_v, (int)xn->dtype, "rate", a->call, &rate_id)) != SF_OK)
      return st;
  } else { /* keep_prob = 1 - rate; scale = 1 / keep_prob */
    sf_val one = {.kind = V_FLOAT, .f = 1.0};
    int one_id;
    if ((st = sf_b_tensor(I, &one, (int)xn->dtype, "sub/x", a->call, &one_id)) != SF_OK ||
        (st = sf_b_op(I, "Sub", "sub", (int[]){one_id, rate_id}, 2, NULL, &kp)) != SF_OK ||
        (st = sf_b_op(I, "RealDiv", "truediv", (int[]){one_id, kp->id}, 2, NULL, &inv)) != SF_OK)
      return st;
    scale_id = inv->id;
  }
  if ((st = sf_b_op(I, "Mul", "mul", (int[]){x, scale_id}, 2, NULL, &scale)) != SF_OK ||
      (st = sf_b_op(I, "GreaterEqual", "GreaterEqual", (int[]){u.node, rate_id}, 2, NULL, &keep)) != SF_OK)
    return st;
  sf_attr_value attrs[SF_B_ATTRS];
  sf_b_attrs("Cast", attrs);
  sf_b_attr_set("Cast", attrs, "DstT", (sf_attr_value){.type = xn->dtype});
  if ((st = sf_b_op(I, "Cast", "Cast", &keep->id, 1, attrs, &mask)) != SF_OK ||
      (st = sf_b_op(I, "Mul", "dropout", (int[]){scale->id, mask->id}, 2, NULL, &ret)) != SF_OK)
    return st;
  return result(I, ret, out);
}

static sf_status dropout_v1(sf_interp *I, const sf_args *a, sf_val *out);

static sf_status api_dropout(sf_interp *I, const sf_args *a, sf_val *out) {
  if (I->opt.profile == SF_PROFILE_TF1) return dropout_v1(I, a, out); /* TF 1.x: tf.nn.dropout is the keep_prob one */
  const char *fname = "dropout";
  BIND(fname, "x rate noise_shape seed name", 5);
  double rate;
  if ((st = need(I, a, fname, "x", g[0])) != SF_OK || (st = need(I, a, fname, "rate", g[1])) != SF_OK ||
      (st = sf_arg_float(I, a, fname, "rate", &v[1], &rate)) != SF_OK)
    return st;
  if (!(rate >= 0 && rate < 1))
    return sf_arg_error(I, a, SF_EINVAL, "dropout: attribute 'rate' must be in [0, 1), got %g", rate);
  return dropout_core(I, a, &v[0], rate, -1, &v[2], &v[3], false, out);
}

/* tf.nn.experimental.stateless_dropout(x, rate, seed, rng_alg, noise_shape, name) (TF 2.7+,
 * nn_ops.py): _dropout with a stateless uniform sampler on the seed pair. */
static sf_status api_stateless_dropout(sf_interp *I, const sf_args *a, sf_val *out) {
  const char *fname = "stateless_dropout";
  BIND(fname, "x rate seed rng_alg noise_shape name", 6);
  double rate;
  if ((st = need(I, a, fname, "x", g[0])) != SF_OK || (st = need(I, a, fname, "rate", g[1])) != SF_OK ||
      (st = need(I, a, fname, "seed", g[2])) != SF_OK || (st = sf_arg_float(I, a, fname, "rate", &v[1], &rate)) != SF_OK)
    return st;
  if (!(rate >= 0 && rate < 1))
    return sf_arg_error(I, a, SF_EINVAL, "stateless_dropout: attribute 'rate' must be in [0, 1), got %g", rate);
  return dropout_core(I, a, &v[0], rate, -1, &v[4], &v[2], true, out);
}

/* TF 1.x nn.dropout(x, keep_prob, noise_shape, seed, name, rate): rate = 1 - keep_prob,
 * an op when keep_prob is a tensor (a placeholder fed per run). */
static sf_status dropout_v1(sf_interp *I, const sf_args *a, sf_val *out) {
  const char *fname = "dropout";
  BIND(fname, "x keep_prob noise_shape seed name rate", 6);
  if ((st = need(I, a, fname, "x", g[0])) != SF_OK) return st;
  if (g[1] == g[5]) return sf_arg_error(I, a, SF_EINVAL, "dropout(): give exactly one of keep_prob and rate");
  const sf_val *p = g[1] ? &v[1] : &v[5];
  if (p->kind == V_TENSOR) {
    int id, one_id;
    sf_node *sub;
    sf_val one = {.kind = V_FLOAT, .f = 1.0};
    if ((st = sf_b_tensor(I, p, -1, g[1] ? "keep_prob" : "rate", a->call, &id)) != SF_OK) return st;
    if (g[1]) { /* rate = 1. - keep_prob */
      if ((st = sf_b_tensor(I, &one, (int)sf_graph_node(I->ctx.graph, id)->dtype, "sub/x", a->call, &one_id)) != SF_OK ||
          (st = sf_b_op(I, "Sub", "sub", (int[]){one_id, id}, 2, NULL, &sub)) != SF_OK)
        return st;
      id = sub->id;
    }
    return dropout_core(I, a, &v[0], 0, id, &v[2], &v[3], false, out);
  }
  double x;
  if ((st = sf_arg_float(I, a, fname, g[1] ? "keep_prob" : "rate", p, &x)) != SF_OK) return st;
  double rate = g[1] ? 1.0 - x : x;
  if (!(rate >= 0 && rate < 1))
    return sf_arg_error(I, a, SF_EINVAL, "dropout: keep_prob must be in (0, 1], got %g", 1.0 - rate);
  return dropout_core(I, a, &v[0], rate, -1, &v[2], &v[3], false, out);
}

/* ---- tensors and math ---- */

static sf_status symbolic_repr(sf_interp *I, const sf_val *t, sf_val *out);

/* The kind of tensor a list holds (nested): 2 a symbolic one, 1 one with a value (an array,
 * an eager tensor), 0 none. */
static int list_holds_tensor(sf_interp *I, const sf_val *v, int depth) {
  if (v->kind == V_TENSOR) return sf_b_host_value(I, v) ? 1 : 2;
  int k = 0;
  for (int i = 0; (v->kind == V_LIST || v->kind == V_TUPLE) && depth <= SF_MAX_RANK && i < v->n && k < 2; i++) {
    int e = list_holds_tensor(I, &v->items[i], depth + 1);
    if (e > k) k = e;
  }
  return k;
}

static sf_status api_constant(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("constant", "value dtype shape name", 4);
  sf_dtype dt;
  int id;
  if ((st = need(I, a, "constant", "value", g[0])) != SF_OK) return st;
  /* In a graph, tensor_util.make_tensor_proto takes the list as np.array does: a tensor in
   * it is a TypeError (_AssertCompatible), an array in it a ValueError (_GetDenseDimensions
   * goes into lists only); convert_to_tensor and op inputs pack such lists instead. */
  int holds = !I->ctx.eager && (v[0].kind == V_LIST || v[0].kind == V_TUPLE) ? list_holds_tensor(I, &v[0], 0) : 0;
  if (holds == 2 && I->opt.profile == SF_PROFILE_TF1)
    return sf_py_raise(I, a->call, BC_TYPEERR, "List of Tensors when single Tensor expected");
  if (holds == 2 && I->opt.profile != SF_PROFILE_TF2)
    return sf_py_raise(I, a->call, BC_TYPEERR, "Expected any non-tensor type, but got a tensor instead.");
  if (holds)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: tf.constant of a list holding a %s in a graph (TensorFlow raises "
                        "%s, worded differently across versions)", holds == 2 ? "tensor" : "NumPy array or tensor value",
                        holds == 2 ? "TypeError" : "ValueError 'Argument must be a dense tensor'");
  if ((st = sf_arg_dtype(I, a, "constant", &v[1], SF_FLOAT32, &dt)) != SF_OK) return st;
  /* a tensor itself: in a graph make_tensor_proto's _AssertCompatible
   * (tensorflow/python/framework/tensor_util.py) refuses it (TF 1.x's
   * words below; later versions word it otherwise); eagerly convert_to_eager_tensor returns
   * it, or refuses another dtype (worded differently across versions) */
  if (v[0].kind == V_TENSOR && !v[0].numpy && !I->ctx.eager && v[0].g == I->ctx.graph) {
    if (I->opt.profile != SF_PROFILE_TF1)
      return sf_arg_error(I, a, SF_ENAME, "unsupported: tf.constant of a tensor in a graph (TensorFlow raises TypeError, "
                          "worded differently across versions)");
    if (v[1].kind == V_NONE) return sf_py_raise(I, a->call, BC_TYPEERR, "List of Tensors when single Tensor expected");
    sf_val r = {0};
    if ((st = symbolic_repr(I, &v[0], &r)) != SF_OK) return st;
    st = sf_py_raise(I, a->call, BC_TYPEERR, "Expected %s, got %s of type 'Tensor' instead.", sf_dtype_name(dt), SF_STR(&r)->s);
    sf_val_drop(&r);
    return st;
  }
  if (v[0].kind == V_TENSOR && !v[0].numpy && I->ctx.eager && v[1].kind != V_NONE && sf_b_host_value(I, &v[0]) &&
      sf_b_host_value(I, &v[0])->dtype != dt)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: tf.constant of a tensor of dtype %s with dtype=%s (TensorFlow raises TypeError, "
                        "worded differently across versions)", sf_dtype_name(sf_b_host_value(I, &v[0])->dtype), sf_dtype_name(dt));
  if (v[2].kind != V_NONE) { /* constant(value, shape=s): value reshaped, a scalar filled; one Const */
    /* the value converted off the graph, so that the graph gets one node */
    if ((st = sf_context_enter_eager(&I->ctx, I->err)) != SF_OK) return st;
    st = sf_b_tensor(I, &v[0], v[1].kind == V_NONE ? -1 : (int)dt, "Const", a->call, &id);
    sf_context_leave(&I->ctx);
    if (st != SF_OK) return st;
    const sf_tensor *t = sf_eager_value(&I->E, id);
    if (v[2].kind != V_LIST && v[2].kind != V_TUPLE) return sf_arg_error(I, a, SF_ETYPE, "constant(): shape must be a list");
    sf_shape s = {.rank = v[2].n};
    if (s.rank > SF_MAX_RANK) return sf_arg_error(I, a, SF_ESHAPE, "constant(): rank %d is above %d", s.rank, SF_MAX_RANK);
    int64_t n = 1;
    for (int i = 0; i < s.rank; i++) {
      if (v[2].items[i].kind != V_INT || v[2].items[i].i < 0) return sf_arg_error(I, a, SF_ETYPE, "constant(): shape entries must be ints");
      n *= s.dims[i] = v[2].items[i].i;
    }
    if (!t || (t->n != n && t->n != 1))
      return sf_arg_error(I, a, SF_ESHAPE, "constant(): %lld values do not fill shape of %lld elements",
                          (long long)(t ? t->n : 0), (long long)n);
    sf_tensor *r = sf_tensor_new(t->dtype, &s, I->err);
    if (!r) return sf_arg_error(I, a, I->err->code, "constant(): %s", I->err->msg);
    size_t sz = sf_dtype_size(t->dtype);
    for (int64_t i = 0; i < n; i++) memcpy((char *)r->data + (size_t)i * sz, (const char *)t->data + (size_t)(t->n == 1 ? 0 : i) * sz, sz);
    st = sf_b_const(I, r, "Const", &id);
    sf_tensor_unref(r);
    if (st != SF_OK) return st;
  } else if ((st = sf_b_tensor(I, &v[0], v[1].kind == V_NONE ? -1 : (int)dt, "Const", a->call, &id)) != SF_OK) {
    return st;
  }
  sf_b_tensor_val(I, id, out);
  return SF_OK;
}

static sf_status filled(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, double value) {
  BIND(fname, "shape dtype name", 3);
  sf_dtype dt;
  if ((st = need(I, a, fname, "shape", g[0])) != SF_OK || (st = sf_arg_dtype(I, a, fname, &v[1], SF_FLOAT32, &dt)) != SF_OK)
    return st;
  if (v[0].kind != V_LIST && v[0].kind != V_TUPLE) return sf_arg_error(I, a, SF_ETYPE, "%s(): shape must be a list", fname);
  sf_shape s = {.rank = v[0].n};
  if (s.rank > SF_MAX_RANK) return sf_arg_error(I, a, SF_ESHAPE, "%s(): rank %d is above %d", fname, s.rank, SF_MAX_RANK);
  for (int i = 0; i < s.rank; i++) {
    if (v[0].items[i].kind != V_INT) return sf_arg_error(I, a, SF_ETYPE, "%s(): shape entries must be ints", fname);
    s.dims[i] = v[0].items[i].i;
  }
  int64_t n;
  if (sf_shape_check(&s, &n, I->err) == SF_OK && I->rt.max_elements && n > I->rt.max_elements)
    return sf_arg_error(I, a, SF_ELIMIT, "%s(): %lld elements exceed the run's limit of %lld", fname, (long long)n,
                        (long long)I->rt.max_elements);
  sf_tensor *t;
  if (sf_runtime_alloc(&I->rt, NULL, dt, &s, &t, I->err) != SF_OK) return sf_arg_rethrow(I, a, "%s()", fname);
  for (int64_t i = 0; i < t->n; i++) sf_tensor_set(t, i, value);
  int id;
  st = sf_b_const(I, t, fname, &id);
  sf_tensor_unref(t);
  if (st == SF_OK) sf_b_tensor_val(I, id, out);
  return st;
}
static sf_status api_ones(sf_interp *I, const sf_args *a, sf_val *out) { return filled(I, a, out, "ones", 1); }
static sf_status api_zeros(sf_interp *I, const sf_args *a, sf_val *out) { return filled(I, a, out, "zeros", 0); }

static sf_status binary(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, const char *op, const char *params) {
  BIND(fname, params, 10);
  if ((st = need(I, a, fname, "a", g[0] && g[1])) != SF_OK) return st;
  int x, y;
  int want = -1;
  if (v[0].kind != V_TENSOR) want = sf_b_tensor_dtype(I, &v[1]);
  if ((st = sf_b_tensor(I, &v[0], want, "a", a->call, &x)) != SF_OK) return st;
  if ((st = sf_b_tensor(I, &v[1], (int)sf_graph_node(I->ctx.graph, x)->dtype, "b", a->call, &y)) != SF_OK) return st;
  if (strcmp(op, "MatMul") == 0 && (st = sf_b_matmul_ranks(I, a->call, x, y)) != SF_OK) return st;
  sf_attr_value attrs[SF_B_ATTRS];
  sf_b_attrs(op, attrs);
  if (strcmp(op, "MatMul") == 0) {
    sf_b_attr_set(op, attrs, "transpose_a", (sf_attr_value){.b = v[2].kind == V_BOOL && v[2].b});
    sf_b_attr_set(op, attrs, "transpose_b", (sf_attr_value){.b = v[3].kind == V_BOOL && v[3].b});
  }
  sf_node *n;
  if ((st = sf_b_op(I, op, fname, (int[]){x, y}, 2, attrs, &n)) != SF_OK) return st;
  return result(I, n, out);
}
static sf_status api_matmul(sf_interp *I, const sf_args *a, sf_val *out) {
  return binary(I, a, out, "MatMul", "MatMul",
                "a b transpose_a transpose_b !adjoint_a !adjoint_b !a_is_sparse !b_is_sparse !output_type name");
}
static sf_status api_add(sf_interp *I, const sf_args *a, sf_val *out) { return binary(I, a, out, "add", "AddV2", "x y name"); }
static sf_status api_sub(sf_interp *I, const sf_args *a, sf_val *out) { return binary(I, a, out, "sub", "Sub", "x y name"); }
static sf_status api_mul(sf_interp *I, const sf_args *a, sf_val *out) { return binary(I, a, out, "mul", "Mul", "x y name"); }
static sf_status api_div(sf_interp *I, const sf_args *a, sf_val *out) { return binary(I, a, out, "truediv", "RealDiv", "x y name"); }

static sf_status unary(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, const char *op, sf_attr_value *attrs) {
  if (a->npos < 1) return sf_arg_error(I, a, SF_ETYPE, "%s() missing 1 required positional argument: 'x'", fname);
  int x;
  sf_node *n;
  sf_status st = sf_b_tensor(I, &a->pos[0], -1, "x", a->call, &x);
  if (st == SF_OK) st = sf_b_op(I, op, fname, &x, 1, attrs, &n);
  return st == SF_OK ? result(I, n, out) : st;
}
static sf_status api_identity(sf_interp *I, const sf_args *a, sf_val *out) { return unary(I, a, out, "Identity", "Identity", NULL); }
/* tf.stop_gradient(input, name=None): one StopGradient op (array_ops.stop_gradient). */
static sf_status api_stop_gradient(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("stop_gradient", "input name", 2);
  if ((st = sf_arg_need(I, a, "stop_gradient", "input", g[0])) != SF_OK) return st;
  if (g[1] && v[1].kind != V_NONE && v[1].kind != V_STR) return sf_arg_error(I, a, SF_ETYPE, "stop_gradient: name must be a str");
  int x;
  sf_node *n;
  if ((st = sf_b_tensor(I, &v[0], -1, "input", a->call, &x)) == SF_OK)
    st = sf_b_op(I, "StopGradient", g[1] && v[1].kind == V_STR ? v[1].s : "StopGradient", &x, 1, NULL, &n);
  return st == SF_OK ? result(I, n, out) : st;
}
static sf_status api_negative(sf_interp *I, const sf_args *a, sf_val *out) { return unary(I, a, out, "Neg", "Neg", NULL); }

/* tf.to_float, to_double, to_int32, to_int64 (TF 1.x math_ops.py, tf_export(v1=[...])):
 * cast(x, dtype, name=name), named "ToFloat" and so on by default. */
static sf_status api_cast(sf_interp *I, const sf_args *a, sf_val *out);
static sf_status to_dtype(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, sf_dtype dt, const char *dflt) {
  BIND(fname, "x name", 2);
  if ((st = need(I, a, fname, "x", g[0])) != SF_OK) return st;
  sf_val args[3] = {v[0], {.kind = V_DTYPE, .dtype = dt}, v[1].kind == V_NONE ? (sf_val){.kind = V_STR, .s = (char *)dflt} : v[1]};
  sf_args ca = {.pos = args, .npos = 3, .call = a->call};
  return api_cast(I, &ca, out);
}
static sf_status api_to_float(sf_interp *I, const sf_args *a, sf_val *out) { return to_dtype(I, a, out, "to_float", SF_FLOAT32, "ToFloat"); }
static sf_status api_to_double(sf_interp *I, const sf_args *a, sf_val *out) { return to_dtype(I, a, out, "to_double", SF_FLOAT64, "ToDouble"); }
static sf_status api_to_int32(sf_interp *I, const sf_args *a, sf_val *out) { return to_dtype(I, a, out, "to_int32", SF_INT32, "ToInt32"); }
static sf_status api_to_int64(sf_interp *I, const sf_args *a, sf_val *out) { return to_dtype(I, a, out, "to_int64", SF_INT64, "ToInt64"); }

static sf_status api_cast(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("cast", "x dtype name", 3);
  sf_dtype dt;
  if ((st = need(I, a, "cast", "dtype", g[1])) != SF_OK || (st = sf_arg_dtype(I, a, "cast", &v[1], SF_FLOAT32, &dt)) != SF_OK)
    return st;
  /* math_ops.cast (tensorflow/python/ops/math_ops.py, the same from 1.x to 2.x): a tensor
   * of that dtype already is x itself, no op. Anything else is
   * converted in the scope "Cast" (or name) as "x", and cast by an op named the scope only
   * when its dtype differs: tf.cast(1.0, tf.float32) is one Const, "Cast/x". */
  if (v[0].kind == V_TENSOR && !v[0].numpy && sf_graph_node(v[0].g, v[0].node)->dtype == dt) {
    *out = v[0];
    return SF_OK;
  }
  const char *saved, *scope = sf_b_scope_push(I, v[2].kind == V_STR ? v[2].s : "Cast", &saved);
  if (!scope) return sf_py_oom(I);
  int x;
  st = sf_b_tensor(I, &v[0], -1, "x", a->call, &x);
  sf_b_scope_pop(I, saved);
  if (st != SF_OK) return st;
  if (sf_graph_node(I->ctx.graph, x)->dtype == dt) {
    sf_b_tensor_val(I, x, out);
    return SF_OK;
  }
  sf_attr_value attrs[SF_B_ATTRS];
  sf_b_attrs("Cast", attrs);
  sf_b_attr_set("Cast", attrs, "DstT", (sf_attr_value){.type = dt});
  sf_node *n;
  if ((st = sf_b_op_scope(I, "Cast", scope, &x, 1, attrs, &n)) != SF_OK) return sf_arg_rethrow(I, a, "cast()");
  return result(I, n, out);
}

static sf_status api_reduce_mean(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("reduce_mean", "input_tensor axis keepdims name", 4);
  if ((st = need(I, a, "reduce_mean", "input_tensor", g[0])) != SF_OK) return st;
  int x, axes;
  if ((st = sf_b_tensor(I, &v[0], -1, "input", a->call, &x)) != SF_OK) return st;
  const sf_node *xn = sf_graph_node(I->ctx.graph, x);
  sf_val all[SF_MAX_RANK];
  sf_val axis = v[1];
  if (axis.kind == V_NONE) { /* all axes */
    if (!xn->shape_known) return sf_arg_error(I, a, SF_ESHAPE, "reduce_mean(): input needs a known rank");
    for (int d = 0; d < xn->shape.rank; d++) all[d] = (sf_val){.kind = V_INT, .i = d};
    axis = (sf_val){.kind = V_LIST, .items = all, .n = xn->shape.rank};
  } else if (axis.kind == V_INT) {
    all[0] = axis;
    axis = (sf_val){.kind = V_LIST, .items = all, .n = 1};
  }
  if ((st = sf_b_tensor(I, &axis, SF_INT32, "Const", a->call, &axes)) != SF_OK) return st;
  sf_attr_value attrs[SF_B_ATTRS];
  sf_b_attrs("Mean", attrs);
  sf_b_attr_set("Mean", attrs, "keep_dims", (sf_attr_value){.b = v[2].kind == V_BOOL && v[2].b});
  sf_node *n;
  if ((st = sf_b_op(I, "Mean", "Mean", (int[]){x, axes}, 2, attrs, &n)) != SF_OK) return st;
  return result(I, n, out);
}

/* reduce_variance's ops in the current name scope (math_ops.py reduce_variance): the
 * mean of x kept to broadcast, Sub, Square, the mean of the squares over axis. */
static sf_status variance(sf_interp *I, const sf_args *a, int x, const sf_val *axis, const sf_val *keepdims, sf_val *out) {
  sf_val xv, means;
  sf_node *n;
  sf_b_tensor_val(I, x, &xv);
  sf_val margs[3] = {xv, *axis, {.kind = V_BOOL, .b = true}};
  sf_args ma = {.call = a->call, .pos = margs, .npos = 3};
  sf_status st = api_reduce_mean(I, &ma, &means);
  if (st == SF_OK) st = sf_b_op(I, "Sub", "sub", (int[]){x, means.node}, 2, NULL, &n);
  if (st == SF_OK) st = sf_b_op(I, "Square", "Square", &n->id, 1, NULL, &n);
  if (st != SF_OK) return st;
  sf_val sargs[3] = {{.kind = V_TENSOR, .g = I->ctx.graph, .node = n->id}, *axis, *keepdims};
  sf_args sa = {.call = a->call, .pos = sargs, .npos = 3};
  return api_reduce_mean(I, &sa, out);
}

/* tf.math.reduce_variance / reduce_std (math_ops.py): in a name scope of that name, x
 * converted, then the variance; reduce_std's is in a reduce_variance scope inside its own,
 * then Sqrt. */
static sf_status reduce_moment(sf_interp *I, const sf_args *a, sf_val *out, bool std) {
  const char *fname = std ? "reduce_std" : "reduce_variance";
  BIND(fname, "input_tensor axis keepdims name", 4);
  if ((st = need(I, a, fname, "input_tensor", g[0])) != SF_OK) return st;
  const char *saved, *inner_saved;
  if (!sf_b_scope_push(I, v[3].kind == V_STR ? v[3].s : fname, &saved)) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  int x;
  sf_node *n;
  if ((st = sf_b_tensor(I, &v[0], -1, "input_tensor", a->call, &x)) == SF_OK && !sf_dtype_is_float(sf_graph_node(I->ctx.graph, x)->dtype))
    st = sf_arg_error(I, a, SF_ENAME, "unsupported: %s() of an integer tensor (TF versions differ)", fname);
  bool inner = st == SF_OK && std;
  if (inner && !sf_b_scope_push(I, "reduce_variance", &inner_saved)) st = sf_error_set(I->err, SF_ENOMEM, "out of memory"), inner = false;
  if (st == SF_OK) st = variance(I, a, x, &v[1], &v[2], out);
  if (inner) sf_b_scope_pop(I, inner_saved);
  if (st == SF_OK && std && (st = sf_b_op(I, "Sqrt", "Sqrt", &out->node, 1, NULL, &n)) == SF_OK) st = result(I, n, out);
  sf_b_scope_pop(I, saved);
  return st;
}
static sf_status api_reduce_variance(sf_interp *I, const sf_args *a, sf_val *out) { return reduce_moment(I, a, out, false); }
static sf_status api_reduce_std(sf_interp *I, const sf_args *a, sf_val *out) { return reduce_moment(I, a, out, true); }

/* tf.expand_dims(input, axis): ExpandDims with the axis as an int32 Const
 * (array_ops.expand_dims_v2). */
static sf_status api_expand_dims(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("expand_dims", "input axis name", 3);
  if ((st = need(I, a, "expand_dims", "axis", g[0] && g[1])) != SF_OK) return st;
  int x, ax;
  sf_node *n;
  if (v[1].kind != V_INT) return sf_arg_error(I, a, SF_ETYPE, "expand_dims(): axis must be an int");
  if ((st = sf_b_tensor(I, &v[0], -1, "input", a->call, &x)) != SF_OK) return st;
  if ((st = sf_b_tensor(I, &v[1], SF_INT32, "dim", a->call, &ax)) != SF_OK) return st;
  if ((st = sf_b_op(I, "ExpandDims", v[2].kind == V_STR ? v[2].s : "ExpandDims", (int[]){x, ax}, 2, NULL, &n)) != SF_OK)
    return sf_arg_rethrow(I, a, "expand_dims()");
  return result(I, n, out);
}

static sf_status api_reshape(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("reshape", "tensor shape name", 3);
  int x, s;
  sf_node *n;
  if ((st = need(I, a, "reshape", "shape", g[0] && g[1])) != SF_OK) return st;
  if ((st = sf_b_tensor(I, &v[0], -1, "tensor", a->call, &x)) != SF_OK) return st;
  if ((st = sf_b_tensor(I, &v[1], SF_INT32, "shape", a->call, &s)) != SF_OK) return st;
  if ((st = sf_b_op(I, "Reshape", "Reshape", (int[]){x, s}, 2, NULL, &n)) != SF_OK) return st;
  return result(I, n, out);
}

/* A graph tensor's repr or str (ops.py Tensor.__repr__, __str__), not its value (which a
 * graph-mode print fetches): <tf.Tensor 'Placeholder:0' shape=(?, 3) dtype=float32> or
 * Tensor("Placeholder:0", shape=(?, 3), dtype=float32), from its name and shape attributes
 * (TF 1.x's TensorShape prints ? for None); appended to b. */
sf_status sf_api_symbolic_text(sf_interp *I, const sf_val *t, bool repr, sf_buf *b) {
  sf_val name = {0}, shape = {0}, text = {0};
  sf_status st = SF_OK;
  if (!sf_api_tensor_attr(I, t, "name", &name, &st) || st != SF_OK || !sf_api_tensor_attr(I, t, "shape", &shape, &st) ||
      st != SF_OK || (st = sf_py_str(I, &shape, false, &text)) != SF_OK) {
    sf_val_drop(&name);
    sf_val_drop(&shape);
    return st != SF_OK ? st : sf_error_set(I->err, SF_EINTERNAL, "a graph tensor without a name or shape");
  }
  const char *dt = sf_dtype_name(sf_graph_node(t->g, t->node)->dtype);
  if (repr) sf_buf_printf(b, "<tf.Tensor '%s' shape=%s dtype=%s>", SF_STR(&name)->s, SF_STR(&text)->s, dt);
  else sf_buf_printf(b, "Tensor(\"%s\", shape=%s, dtype=%s)", SF_STR(&name)->s, SF_STR(&text)->s, dt);
  sf_val_drop(&name);
  sf_val_drop(&shape);
  sf_val_drop(&text);
  return b->oom ? sf_py_oom(I) : SF_OK;
}

static sf_status symbolic_repr(sf_interp *I, const sf_val *t, sf_val *out) {
  sf_buf b = {0};
  sf_status st = sf_api_symbolic_text(I, t, true, &b);
  bool ok = st != SF_OK || (b.s && sf_str_cstr(b.s, out));
  free(b.s);
  return st != SF_OK ? st : ok ? SF_OK : sf_py_oom(I);
}

/* convert_to_tensor(value, dtype) gave node id: a tensor of another dtype is refused
 * (ops.py convert_to_tensor; a NumPy array or Python value was converted to dt). */
static sf_status requested_dtype(sf_interp *I, const sf_args *a, const sf_val *value, int id, sf_dtype dt) {
  sf_dtype got = sf_graph_node(I->ctx.graph, id)->dtype;
  if (got == dt) return SF_OK;
  sf_val r = {0};
  sf_status st = I->ctx.eager ? sf_py_str(I, value, true, &r) : symbolic_repr(I, value, &r);
  if (st != SF_OK) return st;
  st = sf_py_raise(I, a->call, BC_VALUEERR, "Tensor conversion requested dtype %s for Tensor with dtype %s: %s",
                   sf_dtype_name(dt), sf_dtype_name(got), SF_STR(&r)->s);
  sf_val_drop(&r);
  return st;
}

/* Whether a Python value (lists nested, NumPy values in them) converts to dtype dt as
 * TensorFlow's converter for dt takes it (py_seq_tensor.cc): a float type takes any number,
 * an int type ints and bools that fit it, bool only bools. A failed conversion drops the
 * dtype_hint (tensor_conversion_registry.py convert: TypeError / ValueError). */
static bool converts_to(sf_interp *I, const sf_val *v, sf_dtype dt, int depth) {
  if (v->kind == V_LIST || v->kind == V_TUPLE) {
    for (int i = 0; depth <= SF_MAX_RANK && i < v->n; i++)
      if (!converts_to(I, &v->items[i], dt, depth + 1)) return false;
    return true;
  }
  if (sf_dtype_is_float(dt)) return true;
  const sf_tensor *t = v->kind == V_TENSOR ? sf_b_host_value(I, v) : NULL;
  if (t) { /* an array's elements */
    if (dt == SF_BOOL) return t->dtype == SF_BOOL;
    if (sf_dtype_is_float(t->dtype)) return false;
    for (int64_t i = 0; i < t->n; i++)
      if (!sf_int_fits(sf_tensor_get_i64(t, i), dt)) return false;
    return true;
  }
  if (dt == SF_BOOL) return v->kind == V_BOOL;
  return (v->kind == V_INT && sf_int_fits(v->i, dt)) || v->kind == V_BOOL;
}

/* tf.convert_to_tensor(value, dtype=None, dtype_hint=None, name=None) (ops.py; TF1 and
 * compat.v1: value, dtype, name, preferred_dtype): a tensor as it is, anything else a Const
 * as tf.constant converts it; a dtype_hint a Python value converts to is taken, else it is
 * dropped. A tensor of another dtype than dtype is refused. */
static sf_status convert_to_tensor(sf_interp *I, const sf_args *a, sf_val *out, bool v1) {
  BIND("convert_to_tensor", v1 ? "value dtype name preferred_dtype dtype_hint" : "value dtype dtype_hint name", 5);
  if ((st = need(I, a, "convert_to_tensor", "value", g[0])) != SF_OK) return st;
  sf_val *hint = v1 ? (v[3].kind != V_NONE ? &v[3] : &v[4]) : &v[2];
  sf_dtype dt = SF_FLOAT32, hdt = SF_FLOAT32;
  if (v[1].kind != V_NONE && (st = sf_arg_dtype(I, a, "convert_to_tensor", &v[1], SF_FLOAT32, &dt)) != SF_OK) return st;
  if (hint->kind != V_NONE && (st = sf_arg_dtype(I, a, "convert_to_tensor", hint, SF_FLOAT32, &hdt)) != SF_OK) return st;
  int want = v[1].kind != V_NONE ? (int)dt : -1;
  /* the hint is tried first: a NumPy array is cast to it, a tensor keeps its dtype, a list
   * holding a graph tensor is packed in it, a Python value takes it if it converts */
  if (want < 0 && hint->kind != V_NONE) {
    bool arr = v[0].kind == V_TENSOR && v[0].numpy, tensor = v[0].kind == V_TENSOR && !v[0].numpy;
    bool packs = (v[0].kind == V_LIST || v[0].kind == V_TUPLE) && list_holds_tensor(I, &v[0], 0) == 2;
    if (arr || packs || (!tensor && converts_to(I, &v[0], hdt, 0))) want = (int)hdt;
  }
  int id;
  if ((st = sf_b_tensor(I, &v[0], want, "Const", a->call, &id)) != SF_OK) return st;
  if (v[1].kind != V_NONE && (st = requested_dtype(I, a, &v[0], id, dt)) != SF_OK) return st;
  sf_b_tensor_val(I, id, out);
  return SF_OK;
}
static sf_status api_convert_to_tensor(sf_interp *I, const sf_args *a, sf_val *out) {
  return convert_to_tensor(I, a, out, I->opt.profile == SF_PROFILE_TF1);
}
static sf_status api_convert_to_tensor_v1(sf_interp *I, const sf_args *a, sf_val *out) {
  return convert_to_tensor(I, a, out, true);
}

/* tf.Variable: TF1 RefVariable creates VariableV2, Assign and a read Identity (3 nodes,
 * after its initial value); in eager the variable is its initial value. */
static sf_status api_variable(sf_interp *I, const sf_args *a, sf_val *out) {
  /* variables.py VariableV2's order, then VariableV1's (TF 1.x) extra names */
  BIND("Variable",
       "initial_value trainable !validate_shape !caching_device name !variable_def dtype !import_scope constraint "
       "!synchronization !aggregation !shape !collections !expected_shape !use_resource",
       15);
  enum { NAME = 4, DTYPE = 6, CONSTRAINT = 8 };
  if ((st = need(I, a, "Variable", "initial_value", g[0])) != SF_OK) return st;
  const char *saved = NULL, *scope = NULL;
  bool eager = I->ctx.eager;
  if (!eager && v[CONSTRAINT].kind != V_NONE) return sf_arg_error(I, a, SF_ENAME, "unsupported: Variable(constraint=...) in a graph");
  sf_dtype dt = SF_FLOAT32;
  if (v[DTYPE].kind != V_NONE && (st = sf_arg_dtype(I, a, "Variable", &v[DTYPE], SF_FLOAT32, &dt)) != SF_OK) return st;
  if (!eager) scope = sf_b_scope_push(I, v[NAME].kind == V_STR ? v[NAME].s : "Variable", &saved);
  int init; /* convert_to_tensor(initial_value, dtype) */
  if ((st = sf_b_tensor(I, &v[0], v[DTYPE].kind == V_NONE ? -1 : (int)dt, "initial_value", a->call, &init)) != SF_OK) return st;
  if (v[DTYPE].kind != V_NONE && (st = requested_dtype(I, a, &v[0], init, dt)) != SF_OK) {
    if (!eager) sf_b_scope_pop(I, saved);
    return st;
  }
  if (eager) return sf_tape_new_variable(I, a, init, &v[1], &v[NAME], &v[CONSTRAINT], out);
  if (I->ctx.graph->is_function) {
    sf_b_scope_pop(I, saved);
    return sf_arg_error(I, a, SF_EINVAL, "tf.Variable inside a traced function is not supported");
  }
  const sf_node *in = sf_graph_node(I->ctx.graph, init);
  if (!in->shape_known) return sf_arg_error(I, a, SF_ESHAPE, "Variable(): initial value needs a known shape");
  sf_attr_value attrs[SF_B_ATTRS];
  sf_b_attrs("VariableV2", attrs);
  sf_b_attr_set("VariableV2", attrs, "dtype", (sf_attr_value){.type = in->dtype});
  sf_b_attr_set("VariableV2", attrs, "shape", (sf_attr_value){.shape = in->shape});
  sf_node *var, *assign, *read;
  sf_b_scope_pop(I, saved);
  const char *outer = I->ctx.graph->scope;
  char exact[600]; /* the op is named the scope itself (a name ending in '/': graph.h) */
  snprintf(exact, sizeof exact, "%s/", scope);
  if ((st = sf_b_op(I, "VariableV2", exact, NULL, 0, attrs, &var)) != SF_OK) return st;
  I->ctx.graph->scope = scope;
  st = sf_b_op(I, "Assign", "Assign", (int[]){var->id, init}, 2, NULL, &assign);
  if (st == SF_OK) st = sf_b_op(I, "Identity", "read", &var->id, 1, NULL, &read);
  I->ctx.graph->scope = outer;
  if (st == SF_OK && g[1] && (v[1].kind == V_BOOL || v[1].kind == V_INT) && !(v[1].kind == V_BOOL ? v[1].b : v[1].i))
    st = sf_tf1_not_trainable(I, var->id); /* out of TRAINABLE_VARIABLES */
  return st == SF_OK ? result(I, read, out) : st;
}

/* A variable's initializer: the first Assign writing it (a later one is the program's, or
 * an optimizer's: Adam's beta1_power update is not part of the initializer). */
bool sf_b_is_initializer(const sf_graph *g, const sf_node *n) {
  if (!(n->op->flags & SF_OPF_REF_INPUT)) return false;
  for (int i = 0; i < g->n && g->nodes[i] != n; i++)
    if ((g->nodes[i]->op->flags & SF_OPF_REF_INPUT) && g->nodes[i]->inputs[0] == n->inputs[0]) return false;
  return true;
}

/* global_variables_initializer: one NoOp grouping every initializer (a NoOp even with none). */
static sf_status api_global_variables_initializer(sf_interp *I, const sf_args *a, sf_val *out) {
  (void)a;
  out->kind = V_NONE;
  if (I->ctx.eager) return SF_OK;
  sf_node *n;
  sf_status st = sf_b_op(I, "NoOp", "init", NULL, 0, NULL, &n);
  for (int i = 0; st == SF_OK && i < I->ctx.graph->n; i++)
    if (sf_b_is_initializer(I->ctx.graph, I->ctx.graph->nodes[i])) st = sf_graph_add_ctrl(I->ctx.graph, n, I->ctx.graph->nodes[i]->id, I->err);
  return st == SF_OK ? result(I, n, out) : st;
}

/* ---- methods ---- */

sf_status sf_api_method(sf_interp *I, const sf_val *self, const char *method, const sf_args *a, sf_val *out) {
  if (self->kind == V_GENERATOR && strcmp(method, "normal") == 0) return generator_draw(I, self, a, out, false, false);
  if (self->kind == V_GENERATOR && strcmp(method, "uniform") == 0) return generator_draw(I, self, a, out, true, false);
  if (self->kind == V_GENERATOR && strcmp(method, "truncated_normal") == 0) return generator_draw(I, self, a, out, false, true);
  sf_status gst;
  if (self->kind == V_GENERATOR && sf_generator_method(I, self, method, a, out, &gst)) return gst;
  if (self->kind == V_TENSOR && strcmp(method, "numpy") == 0 && a->npos == 0 && a->nkw == 0) {
    return sf_np_of_eager(I, self, out);
  }
  if (self->kind == V_TENSOR && self->numpy) return sf_numpy_method(I, self, method, a, out);
  if (self->kind == V_LAYER || self->kind == V_MODEL) return sf_keras_method(I, self, method, a, out);
  sf_status st;
  if (self->kind == V_TENSOR && sf_tf1_tensor_method(I, self, method, a, out, &st)) return st;
  return sf_arg_error(I, a, SF_ENAME, "unsupported method '%s'", method);
}

/* ---- the table: every spelling of the supported API ---- */

static const struct {
  const char *path;
  sf_builtin_fn fn;
} api[] = {
    {"tf.random.set_seed", api_set_seed},
    {"tf.compat.v1.set_random_seed", api_set_seed},
    {"tf.compat.v1.random.set_random_seed", api_set_seed},
    {"tf.set_random_seed", api_set_seed},
    {"tf.random.set_random_seed", api_set_seed}, /* TF 1.x: random_seed.py tf_export(v1=[random.set_random_seed, set_random_seed]) */
    {"tf.random.normal", api_random_normal},
    {"tf.random_normal", api_random_normal},
    {"tf.compat.v1.random_normal", api_random_normal},
    {"tf.compat.v1.random.normal", api_random_normal},
    {"tf.random.uniform", api_random_uniform},
    {"tf.random_uniform", api_random_uniform},
    {"tf.compat.v1.random_uniform", api_random_uniform},
    {"tf.compat.v1.random.uniform", api_random_uniform},
    {"tf.random.truncated_normal", api_truncated_normal},
    {"tf.truncated_normal", api_truncated_normal},
    {"tf.compat.v1.truncated_normal", api_truncated_normal},
    {"tf.compat.v1.random.truncated_normal", api_truncated_normal},
    {"tf.random.shuffle", api_random_shuffle},
    {"tf.random_shuffle", api_random_shuffle},
    {"tf.compat.v1.random_shuffle", api_random_shuffle},
    {"tf.compat.v1.random.shuffle", api_random_shuffle},
    {"tf.random.stateless_normal", api_stateless_normal},
    {"tf.random.stateless_uniform", api_stateless_uniform},
    {"tf.random.stateless_truncated_normal", api_stateless_truncated},
    {"tf.random.Generator.from_seed", sf_api_generator_from_seed},
    {"tf.nn.dropout", api_dropout},
    {"tf.compat.v1.nn.dropout", dropout_v1},
    {"tf.nn.experimental.stateless_dropout", api_stateless_dropout},
    {"tf.constant", api_constant},
    {"tf.convert_to_tensor", api_convert_to_tensor},
    {"tf.compat.v1.convert_to_tensor", api_convert_to_tensor_v1},
    {"tf.ones", api_ones},
    {"tf.zeros", api_zeros},
    {"tf.Variable", api_variable},
    {"tf.compat.v1.Variable", api_variable},
    {"tf.compat.v1.global_variables_initializer", api_global_variables_initializer},
    {"tf.global_variables_initializer", api_global_variables_initializer},
    {"tf.initialize_all_variables", api_global_variables_initializer},
    {"tf.compat.v1.initialize_all_variables", api_global_variables_initializer},
    {"tf.matmul", api_matmul},
    {"tf.linalg.matmul", api_matmul},
    {"tf.add", api_add},
    {"tf.math.add", api_add},
    {"tf.subtract", api_sub},
    {"tf.multiply", api_mul},
    {"tf.divide", api_div},
    {"tf.negative", api_negative},
    {"tf.identity", api_identity},
    {"tf.stop_gradient", api_stop_gradient},
    {"tf.cast", api_cast},
    {"tf.to_float", api_to_float},
    {"tf.compat.v1.to_float", api_to_float},
    {"tf.to_double", api_to_double},
    {"tf.compat.v1.to_double", api_to_double},
    {"tf.to_int32", api_to_int32},
    {"tf.compat.v1.to_int32", api_to_int32},
    {"tf.to_int64", api_to_int64},
    {"tf.compat.v1.to_int64", api_to_int64},
    {"tf.reduce_mean", api_reduce_mean},
    {"tf.math.reduce_variance", api_reduce_variance},
    {"tf.math.reduce_std", api_reduce_std},
    {"tf.expand_dims", api_expand_dims},
    {"tf.math.reduce_mean", api_reduce_mean},
    {"tf.reshape", api_reshape},
};

/* The functions of the table above that only build ops from their arguments: they keep no
 * argument (by value or node id) past the call (sf_api_pure). */
static const sf_builtin_fn pure[] = {
    api_random_normal, api_random_uniform, api_truncated_normal, api_random_shuffle, api_stateless_normal,
    api_stateless_uniform, api_stateless_truncated, api_dropout, dropout_v1, api_stateless_dropout, api_constant,
    api_convert_to_tensor, api_convert_to_tensor_v1, api_ones, api_zeros, api_matmul, api_add, api_sub, api_mul,
    api_div, api_negative, api_identity, api_stop_gradient, api_cast, api_reduce_mean, api_reduce_variance, api_reduce_std,
    api_expand_dims, api_reshape,
};

bool sf_api_pure(sf_builtin_fn fn) {
  for (size_t i = 0; i < sizeof pure / sizeof *pure; i++)
    if (pure[i] == fn) return true;
  return sf_tensor_has(fn) || sf_array_has(fn) || sf_act_has(fn) || sf_kloss_pure(fn) || sf_tf1vars_pure(fn);
}

static sf_builtin_fn lookup_exact(const char *path) {
  if (strncmp(path, "np.", 3) == 0) return sf_numpy_lookup(path);
  sf_builtin_fn keras = strncmp(path, "tf.keras.", 9) == 0 ? sf_keras3_lookup(path) : NULL;
  if (keras) return keras;
  for (size_t i = 0; i < sizeof api / sizeof api[0]; i++)
    if (strcmp(api[i].path, path) == 0) return api[i].fn;
  /* The API's other families, each with its own table. */
  static sf_builtin_fn (*const families[])(const char *) = {sf_control_lookup, sf_tf1vars_lookup, sf_stateless_lookup,
                                                            sf_tape_lookup,      sf_tf1_lookup,       sf_optim_lookup,
                                                            sf_kloss_lookup,     sf_act_lookup,       sf_keras_layers_lookup,
                                                            sf_array_lookup, sf_config_lookup};
  for (size_t i = 0; i < sizeof families / sizeof families[0]; i++) {
    sf_builtin_fn fn = families[i](path);
    if (fn) return fn;
  }
  return NULL;
}

/* tf.compat.v1.X is TF 2's tf.X where the two are one function (most of the API: zeros,
 * matmul, nn.relu, reduce_mean; tensorflow/python/util/tf_export.py exports one symbol under
 * both names). Where TF 1's differs, tf.compat.v1.X is registered itself (random_normal,
 * nn.dropout's keep_prob, Variable, convert_to_tensor, the Session API) or is not taken
 * from TF 2: v1's initializers, losses and metrics are other functions (init_ops.py,
 * losses_impl.py, metrics_impl.py), image.resize is resize_images with other defaults,
 * nn.softmax_cross_entropy_with_logits stops its labels' gradient (nn_ops.py), and
 * random.set_seed is TF 2's only. */
/* TF 2's name "tf.X" of a "tf.compat.v1.X" path in buf; false for any other path. */
static bool v2_name(const char *path, char *buf, size_t len) {
  const char *v1 = "tf.compat.v1.";
  if (strncmp(path, v1, strlen(v1)) != 0 || strlen(path) - strlen(v1) + 4 > len) return false;
  snprintf(buf, len, "tf.%s", path + strlen(v1));
  return true;
}

bool sf_api_v1_alias(const char *path) {
  char buf[256];
  sf_builtin_fn v2 = v2_name(path, buf, sizeof buf) ? lookup_exact(buf) : NULL; /* the family tables that take both names count too */
  return v2 && sf_api_lookup(path) == v2;
}

sf_builtin_fn sf_api_lookup(const char *path) {
  sf_builtin_fn fn = lookup_exact(path);
  char buf[256];
  if (fn || !v2_name(path, buf, sizeof buf)) return fn;
  static const char *const differ[] = {"initializers.", "keras.initializers.", "losses.", "keras.losses.", "metrics.",
                                       "keras.metrics.", "image.resize", "random.set_seed", "compat.",
                                       "nn.softmax_cross_entropy_with_logits" /* v1 stops the labels' gradient */};
  for (size_t i = 0; i < sizeof differ / sizeof *differ; i++)
    if (strncmp(buf + 3, differ[i], strlen(differ[i])) == 0) return NULL;
  return lookup_exact(buf);
}

bool sf_api_dtype(const char *path, sf_dtype *out) {
  const char *dot = strrchr(path, '.');
  if (!dot) return false;
  /* tf.float32 / np.float32, and TF's other homes of its DTypes: tf.dtypes, tf.compat.v1
   * (a TF1 program's `import tensorflow.compat.v1 as tf`), tf.compat.v1.dtypes */
  static const char *const homes[] = {"tf", "np", "tf.dtypes", "tf.compat.v1", "tf.compat.v1.dtypes"};
  bool home = false;
  for (size_t i = 0; i < sizeof homes / sizeof *homes && !home; i++)
    home = (size_t)(dot - path) == strlen(homes[i]) && strncmp(path, homes[i], (size_t)(dot - path)) == 0;
  return home && sf_dtype_from_name(dot + 1, out) && strcmp(dot + 1, "float") != 0 && strcmp(dot + 1, "double") != 0;
}
