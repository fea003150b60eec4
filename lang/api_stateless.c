/* api_stateless.c — tf.random's stateless integer, categorical and shuffle ops, seed
 * splitting and folding (stateless_random_ops.py), stateful tf.random.categorical
 * (random_ops.py), and tf.random.Generator beyond from_seed/normal/uniform
 * (stateful_random_ops.py): its state, reset, split, make_seeds and integer draws.
 * Chained from api.c's lookup and method dispatch. */
#include "interp.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "engine/trace_internal.h"

#define BIND SF_BIND
#define need sf_arg_need

static sf_status result(sf_interp *I, sf_node *n, sf_val *out) {
  sf_b_tensor_val(I, n->id, out);
  return SF_OK;
}

/* An eager-only composite (stack of a draw with other values): TF builds Pack, which
 * seedflow's graphs do not have yet. */
static sf_status eager_only(sf_interp *I, const sf_args *a, const char *fname) {
  if (I->ctx.eager) return SF_OK;
  return sf_arg_error(I, a, SF_ENAME, "unsupported: %s() inside a graph or tf.function (eager mode only)", fname);
}

/* The host value of a tensor the builder just made in eager mode. */
static const sf_tensor *now(sf_interp *I, int id) { return sf_eager_value(&I->E, id); }

/* A new int64/int32 constant tensor of shape s from vals. */
static sf_status const_ints(sf_interp *I, sf_dtype dt, const sf_shape *s, const int64_t *vals, const char *name, sf_val *out) {
  sf_tensor *t;
  if (sf_runtime_alloc(&I->rt, NULL, dt, s, &t, I->err) != SF_OK) return I->err->code;
  for (int64_t i = 0; i < t->n; i++) {
    if (dt == SF_INT64) ((int64_t *)t->data)[i] = vals[i];
    else ((int32_t *)t->data)[i] = (int32_t)vals[i];
  }
  int id;
  sf_status st = sf_b_const(I, t, name, &id);
  sf_tensor_unref(t);
  if (st == SF_OK) sf_b_tensor_val(I, id, out);
  return st;
}

/* ---- stateless integers (stateless_random_ops.py stateless_random_uniform) ---- */

/* An integer draw: uniform with an int dtype in stateless_random_ops.py and
 * stateful_random_ops.py. minval and maxval must be both None (the full range:
 * *UniformFullInt) or both given ([minval, maxval): *UniformInt); minval defaults to 0,
 * so only minval=None, maxval=None selects the full range. p: shape, minval, maxval;
 * seed: the stateless seed, or NULL for Generator `gen`. */
static sf_status int_draw(sf_interp *I, const sf_args *a, const char *fname, const sf_val *p, bool min_given, const sf_val *seed,
                          int gen, sf_dtype dt, const char *name, sf_val *out) {
  bool min_none = min_given && p[1].kind == V_NONE, max_none = p[2].kind == V_NONE;
  if (dt != SF_INT32 && dt != SF_INT64) return sf_arg_error(I, a, SF_ETYPE, "%s(): dtype %s is not supported", fname, sf_dtype_name(dt));
  if (min_none != max_none)
    return sf_arg_error(I, a, SF_EINVAL, "%s(): for integer dtype %s, minval and maxval must be both None or not None", fname,
                        sf_dtype_name(dt));
  const char *saved, *scope = sf_b_scope_push(I, name, &saved);
  int in[4], nin = 1;
  sf_val zero = {.kind = V_INT, .i = 0};
  sf_status st = sf_api_shape_input(I, a, &p[0], &in[0]);
  if (st == SF_OK && seed) st = sf_b_tensor(I, seed, SF_INT64, "seed", a->call, &in[nin++]);
  if (st == SF_OK && !min_none && (st = sf_b_tensor(I, min_given ? &p[1] : &zero, (int)dt, "min", a->call, &in[nin++])) == SF_OK)
    st = sf_b_tensor(I, &p[2], (int)dt, "max", a->call, &in[nin++]);
  sf_node *n = NULL;
  if (st == SF_OK) {
    const char *op = seed ? (min_none ? "StatelessRandomUniformFullInt" : "StatelessRandomUniformInt")
                          : (min_none ? "StatefulUniformFullInt" : "StatefulUniformInt");
    sf_attr_value attrs[SF_B_ATTRS];
    sf_b_attrs(op, attrs);
    if (!seed) sf_b_attr_set(op, attrs, "generator", (sf_attr_value){.i = gen});
    sf_b_attr_set(op, attrs, "dtype", (sf_attr_value){.type = dt});
    st = sf_b_op(I, op, op, in, nin, attrs, &n);
    if (st == SF_OK) n->name = scope;
  }
  sf_b_scope_pop(I, saved);
  return st == SF_OK ? result(I, n, out) : st;
}

/* api.c's stateless() bound shape seed minval maxval dtype name. */
sf_status sf_api_stateless_uniform_int(sf_interp *I, const sf_args *a, const sf_val *v, const bool *g, sf_dtype dt, sf_val *out) {
  sf_val p[3] = {v[0], v[2], v[3]};
  const char *fname = "stateless_random_uniform";
  return int_draw(I, a, fname, p, g[2], &v[1], 0, dt, v[5].kind == V_STR ? v[5].s : fname, out);
}

/* StatelessRandomUniformFullInt of shape `shape` (a list value) on the seed node. */
static sf_status full_int(sf_interp *I, const sf_args *a, const sf_val *shape, int seed, sf_dtype dt, sf_node **n) {
  const char *saved, *scope = sf_b_scope_push(I, "stateless_random_uniform", &saved);
  int in[2] = {0, seed};
  sf_status st = sf_api_shape_input(I, a, shape, &in[0]);
  if (st == SF_OK) {
    sf_attr_value attrs[SF_B_ATTRS];
    sf_b_attrs("StatelessRandomUniformFullInt", attrs);
    sf_b_attr_set("StatelessRandomUniformFullInt", attrs, "dtype", (sf_attr_value){.type = dt});
    st = sf_b_op(I, "StatelessRandomUniformFullInt", "StatelessRandomUniformFullInt", in, 2, attrs, n);
    if (st == SF_OK) (*n)->name = scope;
  }
  sf_b_scope_pop(I, saved);
  return st;
}

static sf_status seed_tensor(sf_interp *I, const sf_args *a, const sf_val *v, int *id) {
  sf_status st = sf_b_tensor(I, v, -1, "seed", a->call, id);
  if (st != SF_OK) return st;
  sf_dtype dt = sf_graph_node(I->ctx.graph, *id)->dtype;
  if (dt != SF_INT32 && dt != SF_INT64) return sf_arg_error(I, a, SF_ETYPE, "seed must be int32 or int64, got %s", sf_dtype_name(dt));
  return SF_OK;
}

/* stateless_split(seed, num=2): stateless_uniform([num, 2], seed, dtype=seed.dtype,
 * minval=None, maxval=None) (keras3 spec §2.3). */
static sf_status api_stateless_split(sf_interp *I, const sf_args *a, sf_val *out) {
  const char *fname = "stateless_split";
  BIND(fname, "seed num alg", 3);
  if ((st = need(I, a, fname, "seed", g[0])) != SF_OK || (st = sf_api_rng_alg(I, a, fname, &v[2])) != SF_OK) return st;
  int64_t num = 2;
  if (g[1] && (st = sf_arg_int(I, a, fname, "num", &v[1], &num)) != SF_OK) return st;
  if (num < 0) return sf_arg_error(I, a, SF_EINVAL, "%s(): num must be non-negative, got %" PRId64, fname, num);
  int seed;
  if ((st = seed_tensor(I, a, &v[0], &seed)) != SF_OK) return st;
  sf_val dims[2] = {{.kind = V_INT, .i = num}, {.kind = V_INT, .i = 2}};
  sf_val shape = {.kind = V_LIST, .items = dims, .n = 2};
  sf_node *n;
  if ((st = full_int(I, a, &shape, seed, sf_graph_node(I->ctx.graph, seed)->dtype, &n)) != SF_OK) return st;
  return result(I, n, out);
}

/* stateless_fold_in(seed, data): stack([stateless_uniform([], seed, dtype=data.dtype,
 * minval=None, maxval=None), data]) (keras3 spec §2.3). */
static sf_status api_stateless_fold_in(sf_interp *I, const sf_args *a, sf_val *out) {
  const char *fname = "stateless_fold_in";
  BIND(fname, "seed data alg", 3);
  if ((st = need(I, a, fname, "seed", g[0])) != SF_OK || (st = need(I, a, fname, "data", g[1])) != SF_OK ||
      (st = sf_api_rng_alg(I, a, fname, &v[2])) != SF_OK || (st = eager_only(I, a, fname)) != SF_OK)
    return st;
  int data, seed;
  if ((st = sf_b_tensor(I, &v[1], -1, "data", a->call, &data)) != SF_OK || (st = seed_tensor(I, a, &v[0], &seed)) != SF_OK)
    return st;
  const sf_tensor *d = now(I, data);
  if (!d || d->n != 1 || (d->dtype != SF_INT32 && d->dtype != SF_INT64))
    return sf_arg_error(I, a, SF_ETYPE, "%s(): data must be an int32 or int64 scalar", fname);
  sf_val scalar = {.kind = V_LIST, .n = 0};
  sf_node *n;
  if ((st = full_int(I, a, &scalar, seed, d->dtype, &n)) != SF_OK) return st;
  int64_t pair[2] = {sf_tensor_get_i64(now(I, n->id), 0), sf_tensor_get_i64(d, 0)};
  sf_shape s = {.rank = 1, .dims = {2}};
  return const_ints(I, d->dtype, &s, pair, "stack", out);
}

/* ---- categorical ---- */

/* Multinomial / StatelessMultinomial: logits, then (stateful) get_seed, then the
 * num_samples Const the generated wrapper converts, then the op (random_ops.py
 * multinomial_categorical_impl, stateless_random_ops.py). */
static sf_status categorical(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, bool stateless, bool v1) {
  BIND(fname, stateless ? (v1 ? "logits num_samples seed output_dtype name" : "logits num_samples seed dtype name")
                        : (v1 ? "logits num_samples seed name output_dtype" : "logits num_samples dtype seed name"),
       5);
  int di = stateless ? 3 : v1 ? 4 : 2, si = stateless ? 2 : v1 ? 2 : 3, ni = stateless ? 4 : v1 ? 3 : 4;
  if ((st = need(I, a, fname, "logits", g[0])) != SF_OK || (st = need(I, a, fname, "num_samples", g[1])) != SF_OK ||
      (stateless && (st = need(I, a, fname, "seed", g[si])) != SF_OK))
    return st;
  sf_dtype dt;
  if ((st = sf_arg_dtype(I, a, fname, &v[di], SF_INT64, &dt)) != SF_OK) return st;
  if (dt != SF_INT32 && dt != SF_INT64)
    return sf_arg_error(I, a, SF_EINVAL, "%s(): dtype must be int32 or int64, got %s", fname, sf_dtype_name(dt));
  int64_t ns;
  if (v[1].kind != V_TENSOR && (st = sf_arg_int(I, a, fname, "num_samples", &v[1], &ns)) != SF_OK) return st;
  bool has_seed = false;
  int64_t op_seed = 0;
  if (!stateless && v[si].kind != V_NONE) {
    has_seed = true;
    if ((st = sf_arg_int(I, a, fname, "seed", &v[si], &op_seed)) != SF_OK) return st;
  }
  const char *saved;
  sf_b_scope_push(I, v[ni].kind == V_STR ? v[ni].s : fname, &saved);
  int in[3];
  sf_seed_pair seeds;
  if ((st = sf_b_tensor(I, &v[0], -1, "logits", a->call, &in[0])) == SF_OK) {
    if (!stateless) sf_b_get_seed(I, has_seed, op_seed, &seeds);
    if ((st = sf_b_tensor(I, &v[1], SF_INT32, "num_samples", a->call, &in[1])) == SF_OK && stateless)
      st = sf_b_tensor(I, &v[si], SF_INT64, "seed", a->call, &in[2]);
  }
  sf_node *n = NULL;
  if (st == SF_OK) {
    const char *op = stateless ? "StatelessMultinomial" : "Multinomial";
    sf_attr_value attrs[SF_B_ATTRS];
    sf_b_attrs(op, attrs);
    sf_b_attr_set(op, attrs, "output_dtype", (sf_attr_value){.type = dt});
    st = stateless ? sf_b_op(I, op, op, in, 3, attrs, &n) : sf_b_random(I, op, op, NULL, in, 2, attrs, &seeds, &n);
  }
  sf_b_scope_pop(I, saved);
  if (st == SF_OK && stateless) /* tf#73119: TF's GPU kernel samples differently (keras3 spec; api spec §5.1) */
    st = sf_trace_add_note(I->tr, 0, 0, "device", "stateless_categorical: these are TensorFlow's CPU kernel's samples; its GPU kernel draws differently") == SF_OK
             ? SF_OK
             : sf_error_set(I->err, SF_ENOMEM, "out of memory");
  return st == SF_OK ? result(I, n, out) : st;
}

static sf_status api_stateless_categorical(sf_interp *I, const sf_args *a, sf_val *out) {
  return categorical(I, a, out, "stateless_categorical", true, false);
}
static sf_status api_stateless_multinomial(sf_interp *I, const sf_args *a, sf_val *out) {
  return categorical(I, a, out, "stateless_multinomial", true, true);
}
static sf_status api_categorical(sf_interp *I, const sf_args *a, sf_val *out) {
  return categorical(I, a, out, "categorical", false, false);
}
static sf_status api_multinomial(sf_interp *I, const sf_args *a, sf_val *out) {
  return categorical(I, a, out, "multinomial", false, true);
}

/* ---- stateless_shuffle (TF 2.10+ in seedflow's profiles) ---- */

static sf_status api_stateless_shuffle(sf_interp *I, const sf_args *a, sf_val *out) {
  const char *fname = "stateless_shuffle";
  BIND(fname, "value seed alg name", 4);
  if ((st = need(I, a, fname, "value", g[0])) != SF_OK || (st = need(I, a, fname, "seed", g[1])) != SF_OK ||
      (st = sf_api_rng_alg(I, a, fname, &v[2])) != SF_OK)
    return st;
  if (I->opt.profile == SF_PROFILE_TF1 || I->opt.profile == SF_PROFILE_TF2)
    return sf_arg_error(I, a, SF_ENAME, "tf.random.experimental.stateless_shuffle is TF 2.10+: not in profile %s (TF %s)",
                        sf_profile_name(I->opt.profile), I->opt.profile == SF_PROFILE_TF1 ? "1.x-2.1" : "2.2-2.9");
  const char *saved, *scope = sf_b_scope_push(I, v[3].kind == V_STR ? v[3].s : fname, &saved);
  int in[2];
  sf_node *n = NULL;
  if ((st = sf_b_tensor(I, &v[0], -1, "value", a->call, &in[0])) == SF_OK && (st = seed_tensor(I, a, &v[1], &in[1])) == SF_OK)
    st = sf_b_op(I, "StatelessShuffle", "StatelessShuffle", in, 2, NULL, &n);
  sf_b_scope_pop(I, saved);
  if (st == SF_OK) n->name = scope;
  return st == SF_OK ? result(I, n, out) : st;
}

/* ---- tf.image random flips (image_ops_impl.py _random_flip) ---- */

/* One scalar or [n] uniform in [0, 1) through tf.random.uniform (stateful: the op seed
 * rules) or tf.random.stateless_uniform, as random_func(shape, minval=0, maxval=1.0). */
static sf_status flip_uniform(sf_interp *I, const sf_args *a, bool stateless, const sf_val *seed, int64_t n, bool scalar,
                              sf_val *u) {
  sf_val dim = {.kind = V_INT, .i = n};
  sf_val args[4] = {{.kind = V_LIST, .items = &dim, .n = scalar ? 0 : 1}, {.kind = V_INT, .i = 0}, {.kind = V_FLOAT, .f = 1.0}, *seed};
  const char *names[] = {"minval", "maxval", "seed"};
  sf_args ua = {.call = a->call, .pos = args, .npos = 1, .kwnames = names, .kw = args + 1, .nkw = 3};
  return sf_api_lookup(stateless ? "tf.random.stateless_uniform" : "tf.random.uniform")(I, &ua, u);
}

static sf_status flip_rank3(sf_interp *I, const sf_args *a, const char *fname, int image, int axis, const sf_val *u, sf_val *out) {
  sf_val half = {.kind = V_FLOAT, .f = 0.5};
  int h, ax;
  sf_node *less, *rev;
  sf_val axv = {.kind = V_INT, .i = axis}, axl = {.kind = V_LIST, .items = &axv, .n = 1};
  sf_status st = sf_b_tensor(I, &half, SF_FLOAT32, "Less/y", a->call, &h);
  if (st == SF_OK) st = sf_b_op(I, "Less", "Less", (int[]){u->node, h}, 2, NULL, &less);
  if (st != SF_OK) return st;
  if (!I->ctx.eager && I->opt.profile == SF_PROFILE_TF1) /* cond v1: its construction ops count into _last_id */
    return sf_arg_error(I, a, SF_ENAME,
                        "unsupported: %s() of a rank-3 image in a graph under the tf1 profile (its tf.cond is control "
                        "flow v1, whose construction ops count into the op seeds)", fname);
  if (I->ctx.eager && sf_tensor_get(now(I, less->id), 0) == 0) return sf_b_tensor_val(I, image, out), SF_OK;
  if ((st = sf_b_tensor(I, &axl, SF_INT32, "axis", a->call, &ax)) != SF_OK ||
      (st = sf_b_op(I, "ReverseV2", "ReverseV2", (int[]){image, ax}, 2, NULL, &rev)) != SF_OK)
    return st;
  if (I->ctx.eager) return result(I, rev, out);
  /* In a graph, control_flow_ops.cond on the draw (cond_v2: the branches are FuncGraphs of
   * their own, neither calls get_seed, so no op seed elsewhere moves): seedflow selects
   * between the two branches' values, the same values as the If op's. */
  sf_node *sel;
  st = sf_b_op(I, "SelectV2", "cond", (int[]){less->id, rev->id, image}, 3, NULL, &sel);
  return st == SF_OK ? result(I, sel, out) : st;
}

/* flips = cast(round(reshape(u, [b, 1, 1, 1])), image.dtype);
 * flips * reverse(image, [axis + 1]) + (1 - flips) * image */
static sf_status flip_rank4(sf_interp *I, const sf_args *a, int image, sf_dtype dt, int64_t batch, int axis, const sf_val *u, sf_val *out) {
  sf_val dims[4] = {{.kind = V_INT, .i = batch}, {.kind = V_INT, .i = 1}, {.kind = V_INT, .i = 1}, {.kind = V_INT, .i = 1}};
  sf_val shape = {.kind = V_LIST, .items = dims, .n = 4}, axv = {.kind = V_INT, .i = axis + 1}, axl = {.kind = V_LIST, .items = &axv, .n = 1};
  sf_val one = {.kind = V_INT, .i = 1};
  int sh, ax, one_id;
  sf_node *r, *rounded, *flips, *rev, *m1, *sub, *m2, *sum;
  sf_attr_value cast[SF_B_ATTRS];
  sf_b_attrs("Cast", cast);
  sf_b_attr_set("Cast", cast, "DstT", (sf_attr_value){.type = dt});
  sf_status st = sf_b_tensor(I, &shape, SF_INT32, "Reshape/shape", a->call, &sh);
  if (st == SF_OK) st = sf_b_op(I, "Reshape", "Reshape", (int[]){u->node, sh}, 2, NULL, &r);
  if (st == SF_OK) st = sf_b_op(I, "Round", "Round", &r->id, 1, NULL, &rounded);
  if (st == SF_OK) st = sf_b_op(I, "Cast", "Cast", &rounded->id, 1, cast, &flips);
  if (st == SF_OK) st = sf_b_tensor(I, &axl, SF_INT32, "ReverseV2/axis", a->call, &ax);
  if (st == SF_OK) st = sf_b_op(I, "ReverseV2", "ReverseV2", (int[]){image, ax}, 2, NULL, &rev);
  if (st == SF_OK) st = sf_b_op(I, "Mul", "mul", (int[]){flips->id, rev->id}, 2, NULL, &m1);
  if (st == SF_OK) st = sf_b_tensor(I, &one, (int)dt, "sub/x", a->call, &one_id);
  if (st == SF_OK) st = sf_b_op(I, "Sub", "sub", (int[]){one_id, flips->id}, 2, NULL, &sub);
  if (st == SF_OK) st = sf_b_op(I, "Mul", "mul_1", (int[]){sub->id, image}, 2, NULL, &m2);
  if (st == SF_OK) st = sf_b_op(I, "AddV2", "add", (int[]){m1->id, m2->id}, 2, NULL, &sum);
  return st == SF_OK ? result(I, sum, out) : st;
}

/* random_flip_left_right(image, seed=None) / up_down, and the stateless_ forms (seed a
 * pair, required): one uniform per image, flipped when it rounds to 1 (< 0.5 for one). */
static sf_status random_flip(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, int axis, bool stateless) {
  BIND(fname, "image seed", 2);
  if ((st = need(I, a, fname, "image", g[0])) != SF_OK || (stateless && (st = need(I, a, fname, "seed", g[1])) != SF_OK)) return st;
  const char *saved;
  sf_b_scope_push(I, fname, &saved);
  int image;
  sf_val u;
  if ((st = sf_b_tensor(I, &v[0], -1, "image", a->call, &image)) == SF_OK) {
    const sf_node *in = sf_graph_node(I->ctx.graph, image);
    int rank = in->shape_known ? in->shape.rank : -1;
    if (rank != 3 && rank != 4)
      st = sf_arg_error(I, a, SF_ESHAPE, "%s(): 'image' must have either 3 or 4 dimensions, got rank %d", fname, rank);
    else if ((st = flip_uniform(I, a, stateless, &v[1], rank == 4 ? in->shape.dims[0] : 0, rank == 3, &u)) == SF_OK)
      st = rank == 3 ? flip_rank3(I, a, fname, image, axis, &u, out) : flip_rank4(I, a, image, in->dtype, in->shape.dims[0], axis, &u, out);
  }
  sf_b_scope_pop(I, saved);
  return st;
}

static sf_status api_random_flip_lr(sf_interp *I, const sf_args *a, sf_val *out) {
  return random_flip(I, a, out, "random_flip_left_right", 1, false);
}
static sf_status api_random_flip_ud(sf_interp *I, const sf_args *a, sf_val *out) {
  return random_flip(I, a, out, "random_flip_up_down", 0, false);
}
static sf_status api_stateless_flip_lr(sf_interp *I, const sf_args *a, sf_val *out) {
  return random_flip(I, a, out, "stateless_random_flip_left_right", 1, true);
}
static sf_status api_stateless_flip_ud(sf_interp *I, const sf_args *a, sf_val *out) {
  return random_flip(I, a, out, "stateless_random_flip_up_down", 0, true);
}

/* ---- tf.random.Generator ---- */

sf_status sf_generator_new(sf_interp *I, const sf_philox *state, bool os_entropy, sf_val *out) {
  sf_runtime *rt = &I->rt;
  if (rt->ngenerators == rt->capgenerators) {
    int nc = rt->capgenerators ? rt->capgenerators * 2 : 4;
    sf_generator *ng = realloc(rt->generators, (size_t)nc * sizeof *ng);
    if (!ng) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
    rt->generators = ng;
    rt->capgenerators = nc;
  }
  rt->generators[rt->ngenerators] = (sf_generator){.state = *state, .os_entropy = os_entropy};
  *out = (sf_val){.kind = V_GENERATOR, .index = rt->ngenerators++};
  return SF_OK;
}

/* The state words [s0, s1, s2] as stateful_random_ops.py keeps them (engine/graph.h). */
#define state_set sf_generator_set_words
#define state_get sf_generator_words

/* create_rng_state(seed, philox): a Python int chopped into 64-bit words, low first
 * ([seed, 0, 0] for a non-negative int64; a negative int is ...111 in Python: the
 * higher words are -1); a list is left-padded with zeros to 3 words. */
static sf_status rng_state(sf_interp *I, const sf_args *a, const char *fname, const sf_val *seed, sf_philox *p) {
  int64_t s[3] = {0, 0, 0};
  if (seed->kind == V_LIST || seed->kind == V_TUPLE) {
    if (seed->n > 3) return sf_arg_error(I, a, SF_EINVAL, "%s(): a seed list has at most 3 words, got %d", fname, seed->n);
    for (int i = 0; i < seed->n; i++) {
      sf_status st = sf_arg_int(I, a, fname, "seed", &seed->items[i], &s[3 - seed->n + i]);
      if (st != SF_OK) return st;
    }
  } else {
    sf_status st = sf_arg_int(I, a, fname, "seed", seed, &s[0]);
    if (st != SF_OK) return st;
    if (s[0] < 0) s[1] = s[2] = -1;
  }
  state_set(p, s);
  return SF_OK;
}

/* random_ops_util.py convert_alg_to_int: PHILOX 1, AUTO_SELECT 3 (Philox in the CPU and
 * GPU kernels, keras3 spec §2.2); ThreeFry (2) is not modelled. */
sf_status sf_api_rng_alg(sf_interp *I, const sf_args *a, const char *fname, const sf_val *alg) {
  static const char *const ok[] = {"philox", "auto_select", "autoselect", "auto-select"};
  if (alg->kind == V_NONE || (alg->kind == V_INT && (alg->i == 1 || alg->i == 3))) return SF_OK;
  for (size_t i = 0; alg->kind == V_STR && i < sizeof ok / sizeof ok[0]; i++)
    if (strcmp(alg->s, ok[i]) == 0) return SF_OK;
  return sf_arg_error(I, a, SF_EINVAL, "%s(): only alg='philox' or 'auto_select' is modelled", fname);
}

sf_status sf_api_generator_from_seed(sf_interp *I, const sf_args *a, sf_val *out) {
  const char *fname = "Generator.from_seed";
  BIND(fname, "seed alg", 2);
  sf_philox p;
  if ((st = need(I, a, fname, "seed", g[0])) != SF_OK || (st = sf_api_rng_alg(I, a, fname, &v[1])) != SF_OK ||
      (st = rng_state(I, a, fname, &v[0], &p)) != SF_OK)
    return st;
  return sf_generator_new(I, &p, false, out);
}

/* from_non_deterministic_state: NonDeterministicInts([3], int64) — OS entropy (fixed by
 * --entropy N); refused under op determinism, as TF raises. */
static sf_status api_generator_nondeterministic(sf_interp *I, const sf_args *a, sf_val *out) {
  const char *fname = "Generator.from_non_deterministic_state";
  BIND(fname, "alg", 1);
  if ((st = sf_api_rng_alg(I, a, fname, &v[0])) != SF_OK) return st;
  if (I->rt.deterministic)
    return sf_arg_error(I, a, SF_EDETERMINISM, "\"from_non_deterministic_state\" cannot be called when determinism is enabled.");
  int64_t s[3];
  for (int i = 0; i < 3; i++) s[i] = (int64_t)sf_runtime_entropy(&I->rt);
  sf_philox p;
  state_set(&p, s);
  if ((st = sf_note_unseeded(I)) != SF_OK) return st;
  return sf_generator_new(I, &p, true, out);
}

/* get_global_generator(): created on first use from a non-deterministic state. */
static sf_status api_get_global_generator(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("get_global_generator", "", 1);
  (void)v, (void)g;
  if (I->global_generator > 0) return *out = (sf_val){.kind = V_GENERATOR, .index = I->global_generator - 1}, SF_OK;
  if (I->rt.deterministic)
    return sf_arg_error(I, a, SF_EDETERMINISM, "\"get_global_generator\" cannot be called if determinism is enabled, unless "
                                               "\"set_global_generator\" has already been called.");
  sf_args none = {.call = a->call};
  if ((st = api_generator_nondeterministic(I, &none, out)) != SF_OK) return st;
  I->global_generator = out->index + 1;
  return SF_OK;
}

static sf_status api_set_global_generator(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("set_global_generator", "generator", 1);
  if ((st = need(I, a, "set_global_generator", "generator", g[0])) != SF_OK) return st;
  if (v[0].kind != V_GENERATOR) return sf_arg_error(I, a, SF_ETYPE, "set_global_generator(): expected a tf.random.Generator");
  I->global_generator = v[0].index + 1;
  out->kind = V_NONE;
  return SF_OK;
}

/* Generator.state (stateful_random_ops.py: the property returns _state_var, a resource
 * variable). Eager: the StateVar's value, printed as TF prints the variable. In a
 * tf.function: a ReadVariableOp of that variable; automatic control dependencies run it
 * after the function's earlier draws, so it reads the state they left. */
sf_status sf_generator_state(sf_interp *I, const sf_expr *at, const sf_val *self, sf_val *out) {
  if (!I->ctx.eager && !I->ctx.graph->is_function)
    return sf_error_at(I->err, at->line, at->col, SF_ENAME, "unsupported: Generator.state inside a TF1 graph");
  int64_t s[3];
  sf_shape sh = {.rank = 1, .dims = {3}};
  if (!I->ctx.eager) {
    sf_attr_value attrs[SF_B_ATTRS];
    sf_b_attrs("ReadVariableOp", attrs);
    sf_b_attr_set("ReadVariableOp", attrs, "var", (sf_attr_value){.i = -1});
    sf_b_attr_set("ReadVariableOp", attrs, "dtype", (sf_attr_value){.type = SF_INT64});
    sf_b_attr_set("ReadVariableOp", attrs, "shape", (sf_attr_value){.shape = sh});
    sf_b_attr_set("ReadVariableOp", attrs, "generator", (sf_attr_value){.i = self->index});
    sf_node *n;
    sf_status st = sf_b_op(I, "ReadVariableOp", "ReadVariableOp", NULL, 0, attrs, &n);
    return st == SF_OK ? result(I, n, out) : st;
  }
  state_get(&I->rt.generators[self->index].state, s);
  sf_status st = const_ints(I, SF_INT64, &sh, s, "StateVar", out);
  if (st == SF_OK) out->s = "Variable:0";
  return st;
}

/* Keys for split/make_seeds: uniform_full_int([count], int64) on the generator, as an op
 * of the current builder (stateful_random_ops.py _make_int64_keys). */
static sf_status keys_op(sf_interp *I, const sf_val *self, const sf_args *a, const char *fname, int64_t count, int *id) {
  if (count < 0) return sf_arg_error(I, a, SF_EINVAL, "%s(): count must be non-negative, got %" PRId64, fname, count);
  sf_val dim = {.kind = V_INT, .i = count};
  sf_val shape = {.kind = V_LIST, .items = &dim, .n = 1};
  int in;
  sf_node *n;
  sf_status st = sf_api_shape_input(I, a, &shape, &in);
  if (st != SF_OK) return st;
  sf_attr_value attrs[SF_B_ATTRS];
  sf_b_attrs("StatefulUniformFullInt", attrs);
  sf_b_attr_set("StatefulUniformFullInt", attrs, "generator", (sf_attr_value){.i = self->index});
  sf_b_attr_set("StatefulUniformFullInt", attrs, "dtype", (sf_attr_value){.type = SF_INT64});
  if ((st = sf_b_op(I, "StatefulUniformFullInt", "stateful_uniform_full_int", &in, 1, attrs, &n)) != SF_OK) return st;
  *id = n->id;
  return SF_OK;
}

/* The keys drawn now (eager mode: split makes Generators from their values). */
static sf_status int64_keys(sf_interp *I, const sf_val *self, const sf_args *a, const char *fname, int64_t count, const sf_tensor **keys) {
  int id;
  sf_status st = eager_only(I, a, fname);
  if (st == SF_OK) st = keys_op(I, self, a, fname, count, &id);
  if (st == SF_OK) *keys = now(I, id);
  return st;
}

static sf_status gen_count(sf_interp *I, const sf_args *a, const char *fname, int64_t *count) {
  BIND(fname, "count", 1);
  *count = 1;
  return g[0] ? sf_arg_int(I, a, fname, "count", &v[0], count) : SF_OK;
}

/* make_seeds(count=1): stack([keys, zeros_like(keys)]), shape [2, count]. */
static sf_status gen_make_seeds(sf_interp *I, const sf_val *self, const sf_args *a, sf_val *out) {
  int64_t count;
  const sf_tensor *keys;
  sf_status st = gen_count(I, a, "Generator.make_seeds", &count);
  if (st == SF_OK && !I->ctx.eager) { /* traced: the ops themselves, drawing at each call */
    int k, z;
    sf_node *zn, *pn;
    if ((st = keys_op(I, self, a, "Generator.make_seeds", count, &k)) != SF_OK) return st;
    if ((st = sf_b_op(I, "ZerosLike", "zeros_like", &k, 1, NULL, &zn)) != SF_OK) return st;
    z = zn->id;
    sf_attr_value attrs[SF_B_ATTRS];
    sf_b_attrs("Pack", attrs);
    sf_b_attr_set("Pack", attrs, "axis", (sf_attr_value){.i = 0});
    if ((st = sf_b_op(I, "Pack", "stack", (int[]){k, z}, 2, attrs, &pn)) != SF_OK) return st;
    sf_b_tensor_val(I, pn->id, out);
    return SF_OK;
  }
  if (st == SF_OK) st = int64_keys(I, self, a, "Generator.make_seeds", count, &keys);
  if (st != SF_OK) return st;
  int64_t *vals = calloc((size_t)(2 * count + 1), sizeof *vals);
  if (!vals) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  for (int64_t i = 0; i < count; i++) vals[i] = ((const int64_t *)keys->data)[i];
  sf_shape s = {.rank = 2, .dims = {2, count}};
  st = const_ints(I, SF_INT64, &s, vals, "stack", out);
  free(vals);
  return st;
}

/* split(count=1): count new Generators with state [0, 0, keys[i]]. */
static sf_status gen_split(sf_interp *I, const sf_val *self, const sf_args *a, sf_val *out) {
  int64_t count;
  const sf_tensor *keys;
  sf_status st = gen_count(I, a, "Generator.split", &count);
  if (st == SF_OK) st = int64_keys(I, self, a, "Generator.split", count, &keys);
  if (st != SF_OK) return st;
  sf_val *items = sf_arena_alloc(&I->arena, (size_t)(count ? count : 1) * sizeof *items);
  if (!items) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  for (int64_t i = 0; i < count && st == SF_OK; i++) {
    int64_t s[3] = {0, 0, ((const int64_t *)keys->data)[i]};
    sf_philox p;
    state_set(&p, s);
    st = sf_generator_new(I, &p, I->rt.generators[self->index].os_entropy, &items[i]);
  }
  *out = (sf_val){.kind = V_LIST, .items = items, .n = (int)count};
  return st;
}

static sf_status gen_reset_from_seed(sf_interp *I, const sf_val *self, const sf_args *a, sf_val *out) {
  const char *fname = "Generator.reset_from_seed";
  BIND(fname, "seed", 1);
  sf_philox p;
  if ((st = need(I, a, fname, "seed", g[0])) != SF_OK) return st;
  if (!I->ctx.eager && !I->ctx.graph->is_function)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: %s() inside a TF1 graph", fname);
  if ((st = rng_state(I, a, fname, &v[0], &p)) != SF_OK) return st;
  out->kind = V_NONE;
  if (I->ctx.eager) {
    I->rt.generators[self->index] = (sf_generator){.state = p};
    return SF_OK;
  }
  /* In a tf.function: _state_var.assign(create_rng_state(seed)), an AssignVariableOp of a
   * constant that automatic control dependencies order among the function's draws. */
  int64_t s[3];
  state_get(&p, s);
  sf_val c;
  if ((st = const_ints(I, SF_INT64, &(sf_shape){.rank = 1, .dims = {3}}, s, "Const", &c)) != SF_OK) return st;
  sf_attr_value attrs[SF_B_ATTRS];
  sf_b_attrs("AssignVariableOp", attrs);
  sf_b_attr_set("AssignVariableOp", attrs, "var", (sf_attr_value){.i = -1});
  sf_b_attr_set("AssignVariableOp", attrs, "generator", (sf_attr_value){.i = self->index});
  sf_node *n;
  return sf_b_op(I, "AssignVariableOp", "AssignVariableOp", &c.node, 1, attrs, &n);
}

/* Generator.uniform with an int dtype; api.c's generator_draw bound shape minval maxval
 * dtype name. */
sf_status sf_generator_uniform_int(sf_interp *I, const sf_val *self, const sf_args *a, const sf_val *v, const bool *g, sf_dtype dt,
                                   sf_val *out) {
  bool full = g[1] && v[1].kind == V_NONE;
  return int_draw(I, a, "Generator.uniform", v, g[1], NULL, self->index, dt,
                  v[4].kind == V_STR ? v[4].s : full ? "stateful_uniform_full_int" : "stateful_uniform", out);
}

/* uniform_full_int(shape, dtype=uint64): seedflow has no uint64; int64 has the same bits. */
static sf_status gen_uniform_full_int(sf_interp *I, const sf_val *self, const sf_args *a, sf_val *out) {
  const char *fname = "Generator.uniform_full_int";
  BIND(fname, "shape dtype name", 3);
  if ((st = need(I, a, fname, "shape", g[0])) != SF_OK) return st;
  if (v[1].kind == V_NONE)
    return sf_arg_error(I, a, SF_ETYPE, "%s(): the default dtype uint64 is not modelled; pass dtype=tf.int64 (the same bits, signed)", fname);
  sf_dtype dt;
  if ((st = sf_arg_dtype(I, a, fname, &v[1], SF_INT64, &dt)) != SF_OK) return st;
  sf_val gv[5] = {v[0], {.kind = V_NONE}, {.kind = V_NONE}, {.kind = V_DTYPE, .dtype = dt}, v[2]};
  bool gg[5] = {true, true, false, true, g[2]};
  if (v[2].kind == V_NONE) gv[4] = (sf_val){.kind = V_STR, .s = "stateful_uniform_full_int"};
  return sf_generator_uniform_int(I, self, a, gv, gg, dt, out);
}

bool sf_generator_method(sf_interp *I, const sf_val *self, const char *method, const sf_args *a, sf_val *out, sf_status *st) {
  static const struct {
    const char *name;
    sf_status (*fn)(sf_interp *, const sf_val *, const sf_args *, sf_val *);
  } methods[] = {
      {"make_seeds", gen_make_seeds},
      {"split", gen_split},
      {"reset_from_seed", gen_reset_from_seed},
      {"uniform_full_int", gen_uniform_full_int},
  };
  for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
    if (strcmp(methods[i].name, method) == 0) return *st = methods[i].fn(I, self, a, out), true;
  return false;
}

static const struct {
  const char *path;
  sf_builtin_fn fn;
} api[] = {
    {"tf.random.experimental.stateless_split", api_stateless_split},
    {"tf.random.split", api_stateless_split},
    {"tf.random.experimental.stateless_fold_in", api_stateless_fold_in},
    {"tf.random.fold_in", api_stateless_fold_in},
    {"tf.random.stateless_categorical", api_stateless_categorical},
    {"tf.random.stateless_multinomial", api_stateless_multinomial},
    {"tf.compat.v1.random.stateless_multinomial", api_stateless_multinomial},
    {"tf.random.categorical", api_categorical},
    {"tf.compat.v1.random.categorical", api_categorical},
    {"tf.multinomial", api_multinomial},
    {"tf.random.multinomial", api_multinomial},
    {"tf.compat.v1.multinomial", api_multinomial},
    {"tf.compat.v1.random.multinomial", api_multinomial},
    {"tf.random.experimental.stateless_shuffle", api_stateless_shuffle},
    {"tf.image.random_flip_left_right", api_random_flip_lr},
    {"tf.image.random_flip_up_down", api_random_flip_ud},
    {"tf.image.stateless_random_flip_left_right", api_stateless_flip_lr},
    {"tf.image.stateless_random_flip_up_down", api_stateless_flip_ud},
    {"tf.random.Generator.from_non_deterministic_state", api_generator_nondeterministic},
    {"tf.random.experimental.Generator.from_non_deterministic_state", api_generator_nondeterministic},
    {"tf.random.experimental.Generator.from_seed", sf_api_generator_from_seed},
    {"tf.random.get_global_generator", api_get_global_generator},
    {"tf.random.experimental.get_global_generator", api_get_global_generator},
    {"tf.random.set_global_generator", api_set_global_generator},
    {"tf.random.experimental.set_global_generator", api_set_global_generator},
};

sf_builtin_fn sf_stateless_lookup(const char *path) {
  for (size_t i = 0; i < sizeof api / sizeof api[0]; i++)
    if (strcmp(api[i].path, path) == 0) return api[i].fn;
  return NULL;
}
