/* api_keras3.c — the Keras random rules of profiles tf2.10 (tf.keras 2.10-2.15) and keras3
 * (TF 2.16+ with Keras 3, TensorFlow backend), tf-random-semantics-keras3.md §3-§4:
 * initializers that are stateless ops seeded [s, 0] with s a Python-random draw, Keras 3's
 * SeedGenerator (a state [seed, counter] feeding stateless ops), keras.random.*, the
 * Dropout/Dense seed hooks api_keras.c calls, and keras.utils.set_random_seed. Every draw
 * is a TF stateless op (api.c's tf.random.stateless_*) or, where TF composes one from host
 * arithmetic on Philox words (randint, shuffle), the same words computed here. */
#include "interp.h"
#include "py.h"
#include "engine/rng/rng.h"
#include "engine/trace_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BIND SF_BIND
#define PY(I) ((I)->py)

/* A Keras 3 SeedGenerator (keras/src/random/seed_generator.py @v3.13.0:62-111). */
typedef struct k3_gen {
  int64_t state[2];         /* [seed, counter] */
  sf_seed_origin origin;    /* where the seed came from: the program or a Python-random draw */
} k3_gen;

/* A Keras initializer object (initializers.py @v2.15.0, random_initializers.py @v3.13.0). */
typedef struct k3_init {
  int kind;                 /* K_NORMAL, K_UNIFORM, K_TRUNCATED, K_VARIANCE */
  double p1, p2;            /* mean, stddev | minval, maxval */
  double scale;             /* VarianceScaling */
  int mode, dist;           /* fan_in / fan_out / fan_avg; D_TRUNCATED / D_NORMAL / D_UNIFORM */
  bool has_seed;            /* resolved (Keras 3: at construction; Keras 2: at the first call) */
  int64_t seed;
  sf_seed_origin origin;
  const char *name;
} k3_init;

struct sf_keras3 {
  sf_mt19937 seedgen;       /* Keras 2 backend._SEED_GENERATOR.generator = random.Random(s) */
  bool has_seedgen;
  int64_t draws;            /* Python-random draws Keras made since the last seeding */
  k3_gen *gens;
  int ngens;
  int global_gen;           /* Keras 3 global_seed_generator(); -1 none yet */
  k3_init *inits;
  int ninits;
  sf_val *objs;             /* the Python objects made here (the table keeps one reference) */
  int nobjs;
};

enum { K_NORMAL, K_UNIFORM, K_TRUNCATED, K_VARIANCE };
enum { M_FAN_IN, M_FAN_OUT, M_FAN_AVG };
enum { D_TRUNCATED, D_NORMAL, D_UNIFORM };

static sf_status oom(sf_interp *I) { return sf_error_set(I->err, SF_ENOMEM, "out of memory"); }

static struct sf_keras3 *state(sf_interp *I) {
  if (!I->keras3) {
    I->keras3 = sf_arena_alloc(&I->arena, sizeof *I->keras3);
    if (I->keras3) {
      memset(I->keras3, 0, sizeof *I->keras3);
      I->keras3->global_gen = -1;
    }
  }
  return I->keras3;
}

static bool grow(sf_interp *I, void **arr, int n, size_t size) {
  if (n & (n - 1) && n) return true; /* capacity is the next power of two */
  void *na = sf_arena_grow(&I->arena, *arr, (size_t)n, (size_t)(n ? 2 * n : 4), size);
  if (na) *arr = na;
  return na != NULL;
}

int sf_keras_version(const sf_interp *I) {
  if (I->opt.keras_version) return I->opt.keras_version;
  return I->opt.profile == SF_PROFILE_KERAS3 ? 31501 : I->opt.profile == SF_PROFILE_TF210 ? 21500 : 20900;
}

static bool keras3(const sf_interp *I) { return I->opt.profile == SF_PROFILE_KERAS3; }

/* Keras 3 API called under another profile: a located error naming the profile. */
static sf_status need_keras3(sf_interp *I, const sf_args *a, const char *fname) {
  if (keras3(I)) return SF_OK;
  return sf_arg_error(I, a, SF_ENAME, "%s is Keras 3 API (TF 2.16+), not in TensorFlow %s's tf.keras: run with "
                      "--profile keras3", fname, I->opt.profile == SF_PROFILE_TF210 ? "2.10-2.15" :
                      I->opt.profile == SF_PROFILE_TF1 ? "1.x" : "2.2-2.9");
}

/* Keeps a new object's reference until the run ends; *out is the borrowed value an API
 * function returns. */
static sf_status keep(sf_interp *I, void *o, sf_val *out) {
  struct sf_keras3 *k = state(I);
  *out = sf_obj_val(o);
  if (!k || !grow(I, (void **)&k->objs, k->nobjs, sizeof *k->objs)) return sf_val_drop(out), oom(I);
  k->objs[k->nobjs++] = *out;
  return SF_OK;
}

void sf_keras3_free(sf_interp *I) {
  for (int i = 0; I->keras3 && i < I->keras3->nobjs; i++) sf_val_drop(&I->keras3->objs[i]);
}

/* ---- seeds ---- */

/* make_default_seed() (Keras 3, seed_generator.py @v3.13.0:145-146) and
 * RandomGenerator._create_seed(None) (Keras 2, backend.py @v2.15.0:2026-2032):
 * random.randint(1, 10**9), from the Random(s) keras.utils.set_random_seed stored (Keras
 * 2) or Python's global random. */
sf_status sf_keras_python_seed(sf_interp *I, int64_t *seed, sf_seed_origin *o) {
  struct sf_keras3 *k = state(I);
  if (!k) return oom(I);
  bool own = I->opt.profile != SF_PROFILE_KERAS3 && k->has_seedgen;
  *seed = sf_py_randint(own ? &k->seedgen : &PY(I)->random->mt, 1, 1000000000);
  *o = (sf_seed_origin){SF_SEED_PY_RANDOM, k->draws++};
  return SF_OK;
}

/* The random ops a call added to the trace (eager: they ran) get the Keras provenance. */
static void mark(sf_interp *I, int from, sf_seed_origin o0, sf_seed_origin o1) {
  for (int i = from; i < I->tr->nops; i++) {
    sf_rng_record *r = &I->tr->ops[i].rng;
    if (!r->present) continue;
    r->seed_source = o0.kind, r->seed_detail = o0.detail;
    r->seed2_source = o1.kind, r->seed2_detail = o1.detail;
  }
}

void sf_keras_mark_stateless(sf_interp *I, int from) {
  if (I->opt.profile == SF_PROFILE_TF210 || I->opt.profile == SF_PROFILE_KERAS3)
    mark(I, from, (sf_seed_origin){SF_SEED_STATELESS, 0}, (sf_seed_origin){SF_SEED_STATELESS, 1});
}

/* The int32 seed pair a Keras 3 TF op gets (backend/tensorflow/random.py): 3.5+
 * floormod(x, 2147483646); 3.0-3.4 the uint32 state cast to int32. */
static int64_t k3_cast(sf_interp *I, int64_t x) {
  if (sf_keras_version(I) >= 30500) {
    int64_t r = x % 2147483646;
    return r < 0 ? r + 2147483646 : r;
  }
  return (int32_t)(uint32_t)x;
}

static sf_status new_gen(sf_interp *I, bool has_seed, int64_t seed, int *idx) {
  struct sf_keras3 *k = state(I);
  if (!k || !grow(I, (void **)&k->gens, k->ngens, sizeof *k->gens)) return oom(I);
  k3_gen *g = &k->gens[k->ngens];
  g->origin = (sf_seed_origin){SF_SEED_OP, 0};
  sf_status st = has_seed ? SF_OK : sf_keras_python_seed(I, &seed, &g->origin);
  if (st != SF_OK) return st;
  if (sf_keras_version(I) < 30500) seed = (uint32_t)seed; /* a uint32 state variable */
  g->state[0] = seed;
  g->state[1] = 0;
  *idx = k->ngens++;
  return SF_OK;
}

/* SeedGenerator.next(ordered): the current state, then [s, c+1] (ordered) or
 * (state + 1) * 5387 % 933199 on both words (uint32 arithmetic on 3.0-3.4). */
/* Outside eager execution a SeedGenerator's state is a variable the traced graph reads and
 * advances on every call; seedflow draws it on the host, which is only right eagerly, so a
 * traced draw is refused rather than baked into the graph as a constant. */
static sf_status gen_traced(sf_interp *I, const sf_expr *call) {
  if (I->ctx.eager) return SF_OK;
  return sf_error_at(I->err, call ? call->line : I->line, call ? call->col : 0, SF_ENAME,
                     "unsupported: a Keras 3 SeedGenerator drawn inside a traced function or graph (its state variable "
                     "advances per call there); seedflow models Keras 3 randomness in eager mode: use --mode eager");
}

static void gen_next(sf_interp *I, int idx, bool ordered, int64_t seed[2], sf_seed_origin o[2]) {
  k3_gen *g = &I->keras3->gens[idx];
  bool u32 = sf_keras_version(I) < 30500;
  bool drawn = g->origin.kind == SF_SEED_PY_RANDOM && (ordered || g->state[1] == 0); /* the state's seed is still the draw */
  o[0] = drawn ? g->origin : (sf_seed_origin){SF_SEED_SEED_GENERATOR, g->state[0]};
  o[1] = (sf_seed_origin){SF_SEED_SEED_GENERATOR, g->state[1]};
  seed[0] = k3_cast(I, g->state[0]);
  seed[1] = k3_cast(I, g->state[1]);
  if (ordered) {
    g->state[1] = u32 ? (int64_t)(uint32_t)(g->state[1] + 1) : g->state[1] + 1;
    return;
  }
  for (int k = 0; k < 2; k++)
    g->state[k] = u32 ? (int64_t)((uint32_t)((uint32_t)g->state[k] + 1u) * 5387u % 933199u) : (g->state[k] + 1) * 5387 % 933199;
}

/* draw_seed(seed) (seed_generator.py @v3.13.0:149-163): a SeedGenerator draws next();
 * an int is [seed, 0]; None draws from the global SeedGenerator, unordered. */
static sf_status draw_seed(sf_interp *I, const sf_args *a, const sf_val *v, int64_t seed[2], sf_seed_origin o[2]) {
  struct sf_keras3 *k = state(I);
  if (!k) return oom(I);
  if (v->kind == V_INT) {
    seed[0] = k3_cast(I, sf_keras_version(I) < 30500 ? (int64_t)(uint32_t)v->i : v->i);
    seed[1] = 0;
    o[0] = (sf_seed_origin){SF_SEED_OP, 0};
    o[1] = (sf_seed_origin){SF_SEED_STATELESS, 1};
    return SF_OK;
  }
  if (sf_is(v, O_MODULE) && strcmp(((sf_module *)v->o)->name, "SeedGenerator") == 0) {
    sf_val *idx = sf_dict_get_str(((sf_module *)v->o)->attrs, "_sf_index");
    if (!idx || idx->kind != V_INT) return sf_arg_error(I, a, SF_EINTERNAL, "SeedGenerator without its state");
    sf_status st = gen_traced(I, a->call);
    if (st != SF_OK) return st;
    gen_next(I, (int)idx->i, true, seed, o);
    return SF_OK;
  }
  if (v->kind != V_NONE) return sf_arg_error(I, a, SF_ETYPE, "seed must be None, an int or a keras.random.SeedGenerator");
  sf_status st = gen_traced(I, a->call);
  if (st == SF_OK && k->global_gen < 0) st = new_gen(I, false, 0, &k->global_gen); /* global_seed_generator(): at first unseeded use */
  if (st != SF_OK) return st;
  gen_next(I, k->global_gen, false, seed, o);
  return SF_OK;
}

/* ---- stateless draws ---- */

/* tf.random.stateless_{normal,uniform,truncated_normal}(shape, [s0, s1], p1, p2, dtype),
 * the rows the trace keeps marked with where the seed came from. */
static sf_status stateless(sf_interp *I, const sf_args *a, int dist, const sf_val *shape, const int64_t seed[2],
                           const sf_seed_origin o[2], double p1, double p2, const sf_val *dtype, sf_val *out) {
  static const char *const paths[] = {"tf.random.stateless_truncated_normal", "tf.random.stateless_normal",
                                      "tf.random.stateless_uniform"};
  sf_val sd[2] = {{.kind = V_INT, .i = seed[0]}, {.kind = V_INT, .i = seed[1]}};
  sf_val args[5] = {*shape, {.kind = V_LIST, .items = sd, .n = 2}, {.kind = V_FLOAT, .f = p1}, {.kind = V_FLOAT, .f = p2},
                    dtype ? *dtype : (sf_val){.kind = V_NONE}};
  const char *names[] = {"dtype"};
  sf_args sa = {.call = a->call, .pos = args, .npos = 4, .kwnames = names, .kw = args + 4, .nkw = 1};
  int from = I->tr->nops;
  sf_status st = sf_api_lookup(paths[dist])(I, &sa, out);
  if (st == SF_OK) mark(I, from, o[0], o[1]);
  return st;
}

/* tf.nn.experimental.stateless_dropout (nn_ops.py _dropout): x * float32(1 / (1 - rate))
 * where stateless_uniform(shape(x), seed) >= rate, else 0 (a Select: +0.0 for a negative x). */
static sf_status stateless_dropout(sf_interp *I, const sf_args *a, const sf_val *xv, double rate, const int64_t seed[2],
                                   const sf_seed_origin o[2], sf_val *out) {
  int x;
  sf_status st = sf_b_tensor(I, xv, SF_FLOAT32, "x", a->call, &x);
  if (st != SF_OK) return st;
  const sf_node *xn = sf_graph_node(I->ctx.graph, x);
  if (!xn->shape_known) return sf_arg_error(I, a, SF_ESHAPE, "dropout: x needs a known shape");
  sf_val dims[SF_MAX_RANK];
  for (int d = 0; d < xn->shape.rank; d++) dims[d] = (sf_val){.kind = V_INT, .i = xn->shape.dims[d]};
  sf_val shape = {.kind = V_LIST, .items = dims, .n = xn->shape.rank}, u;
  if ((st = stateless(I, a, D_UNIFORM, &shape, seed, o, 0, 1, NULL, &u)) != SF_OK) return st;
  sf_val scale_v = {.kind = V_FLOAT, .f = 1.0 / (1.0 - rate)}, rate_v = {.kind = V_FLOAT, .f = rate},
        zero_v = {.kind = V_FLOAT, .f = 0.0};
  int scale_id, rate_id, zero_id;
  sf_node *scaled, *keep, *mask, *ret, *pos;
  if ((st = sf_b_tensor(I, &scale_v, SF_FLOAT32, "scale", a->call, &scale_id)) != SF_OK ||
      (st = sf_b_tensor(I, &rate_v, SF_FLOAT32, "rate", a->call, &rate_id)) != SF_OK ||
      (st = sf_b_tensor(I, &zero_v, SF_FLOAT32, "zeros", a->call, &zero_id)) != SF_OK ||
      (st = sf_b_op(I, "Mul", "mul", (int[]){x, scale_id}, 2, NULL, &scaled)) != SF_OK ||
      (st = sf_b_op(I, "GreaterEqual", "GreaterEqual", (int[]){u.node, rate_id}, 2, NULL, &keep)) != SF_OK)
    return st;
  sf_attr_value attrs[SF_B_ATTRS];
  sf_b_attrs("Cast", attrs);
  sf_b_attr_set("Cast", attrs, "DstT", (sf_attr_value){.type = SF_FLOAT32});
  if ((st = sf_b_op(I, "Cast", "Cast", &keep->id, 1, attrs, &mask)) != SF_OK ||
      (st = sf_b_op(I, "Mul", "mul_1", (int[]){scaled->id, mask->id}, 2, NULL, &ret)) != SF_OK ||
      (st = sf_b_op(I, "AddV2", "SelectV2", (int[]){ret->id, zero_id}, 2, NULL, &pos)) != SF_OK) /* -0.0 + 0 = +0 */
    return st;
  sf_b_tensor_val(I, pos->id, out);
  return SF_OK;
}

/* ---- keras.random.* (Keras 3, backend/tensorflow/random.py @v3.13.0) ---- */

static sf_status float_arg(sf_interp *I, const sf_args *a, const char *f, const char *p, const sf_val *v, double dflt,
                           double *out) {
  *out = dflt;
  return v->kind == V_NONE ? SF_OK : sf_arg_float(I, a, f, p, v, out);
}

static sf_status k3_dist(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, int dist) {
  bool uni = dist == D_UNIFORM;
  BIND(fname, uni ? "shape minval maxval dtype seed" : "shape mean stddev dtype seed", 5);
  if ((st = need_keras3(I, a, fname)) != SF_OK || (st = sf_arg_need(I, a, fname, "shape", g[0])) != SF_OK) return st;
  double p1, p2;
  int64_t seed[2];
  sf_seed_origin o[2];
  if ((st = float_arg(I, a, fname, uni ? "minval" : "mean", &v[1], 0, &p1)) != SF_OK ||
      (st = float_arg(I, a, fname, uni ? "maxval" : "stddev", &v[2], 1, &p2)) != SF_OK ||
      (st = draw_seed(I, a, &v[4], seed, o)) != SF_OK)
    return st;
  return stateless(I, a, dist, &v[0], seed, o, p1, p2, &v[3], out);
}

static sf_status api_k3_normal(sf_interp *I, const sf_args *a, sf_val *out) { return k3_dist(I, a, out, "keras.random.normal", D_NORMAL); }
static sf_status api_k3_uniform(sf_interp *I, const sf_args *a, sf_val *out) { return k3_dist(I, a, out, "keras.random.uniform", D_UNIFORM); }
static sf_status api_k3_truncated(sf_interp *I, const sf_args *a, sf_val *out) {
  return k3_dist(I, a, out, "keras.random.truncated_normal", D_TRUNCATED);
}

static sf_status api_k3_dropout(sf_interp *I, const sf_args *a, sf_val *out) {
  const char *fname = "keras.random.dropout";
  BIND(fname, "inputs rate noise_shape seed", 4);
  double rate;
  int64_t seed[2];
  sf_seed_origin o[2];
  if ((st = need_keras3(I, a, fname)) != SF_OK || (st = sf_arg_need(I, a, fname, "inputs", g[0])) != SF_OK ||
      (st = sf_arg_need(I, a, fname, "rate", g[1])) != SF_OK || (st = sf_arg_float(I, a, fname, "rate", &v[1], &rate)) != SF_OK)
    return st;
  if (!(rate >= 0 && rate < 1)) return sf_arg_error(I, a, SF_EINVAL, "%s: rate must be in [0, 1), got %g", fname, rate);
  if (v[2].kind != V_NONE) return sf_arg_error(I, a, SF_EINVAL, "%s: noise_shape is not supported", fname);
  if ((st = draw_seed(I, a, &v[3], seed, o)) != SF_OK) return st;
  return stateless_dropout(I, a, &v[0], rate, seed, o, out);
}

/* A host tensor as the call's result (a Const in the current graph). */
static sf_status host_result(sf_interp *I, sf_tensor *t, sf_val *out) {
  int id;
  sf_status st = t ? sf_b_const(I, t, "Const", &id) : I->err->code;
  sf_tensor_unref(t);
  if (st == SF_OK) sf_b_tensor_val(I, id, out);
  return st;
}

/* randint(shape, minval, maxval, dtype="int32", seed): stateless_uniform of an int dtype
 * = StatelessRandomUniformIntV2, lo + (word % (hi - lo)) (base spec §4.2). */
static sf_status api_k3_randint(sf_interp *I, const sf_args *a, sf_val *out) {
  const char *fname = "keras.random.randint";
  BIND(fname, "shape minval maxval dtype seed", 5);
  int64_t lo, hi, seed[2];
  sf_seed_origin o[2];
  sf_dtype dt;
  if ((st = need_keras3(I, a, fname)) != SF_OK || (st = sf_arg_need(I, a, fname, "shape", g[0])) != SF_OK ||
      (st = sf_arg_need(I, a, fname, "minval", g[1] && g[2])) != SF_OK ||
      (st = sf_arg_int(I, a, fname, "minval", &v[1], &lo)) != SF_OK || (st = sf_arg_int(I, a, fname, "maxval", &v[2], &hi)) != SF_OK ||
      (st = sf_arg_dtype(I, a, fname, &v[3], SF_INT32, &dt)) != SF_OK)
    return st;
  if (dt != SF_INT32 && dt != SF_INT64) return sf_arg_error(I, a, SF_ETYPE, "%s: dtype must be int32 or int64", fname);
  if (lo >= hi) return sf_arg_error(I, a, SF_EINVAL, "%s: minval must be below maxval", fname);
  if (dt == SF_INT32 && (lo < INT32_MIN || hi > INT32_MAX)) return sf_arg_error(I, a, SF_EINVAL, "%s: bounds outside int32", fname);
  sf_shape s = {0};
  const sf_val *sv = &v[0];
  if (sv->kind == V_INT) s.rank = 1, s.dims[0] = sv->i;
  else if ((sv->kind == V_LIST || sv->kind == V_TUPLE) && sv->n <= SF_MAX_RANK) {
    s.rank = sv->n;
    for (int i = 0; i < sv->n; i++) {
      if (sv->items[i].kind != V_INT || sv->items[i].i < 0) return sf_arg_error(I, a, SF_ESHAPE, "%s: bad shape", fname);
      s.dims[i] = sv->items[i].i;
    }
  } else {
    return sf_arg_error(I, a, SF_ESHAPE, "%s: shape must be a tuple of ints", fname);
  }
  if ((st = draw_seed(I, a, &v[4], seed, o)) != SF_OK) return st;
  sf_tensor *t = sf_tensor_new(dt, &s, I->err);
  if (!t) return I->err->code;
  sf_philox base;
  sf_philox_stateless(&base, (uint64_t)seed[0], (uint64_t)seed[1]);
  if (dt == SF_INT32) sf_fill_int32(&base, (int32_t)lo, (int32_t)hi, t->data, t->n);
  else sf_fill_int64(&base, lo, hi, t->data, t->n);
  return host_result(I, t, out);
}

/* shuffle(x, axis=0, seed): 3.0-3.7 stateless_shuffle (forward Fisher-Yates on the
 * stateless stream, shuffle_common.h); 3.8+ gather(x, argsort(stateless_uniform([n], seed))). */
static sf_status api_k3_shuffle(sf_interp *I, const sf_args *a, sf_val *out) {
  const char *fname = "keras.random.shuffle";
  BIND(fname, "x axis seed", 3);
  int64_t seed[2];
  sf_seed_origin o[2];
  if ((st = need_keras3(I, a, fname)) != SF_OK || (st = sf_arg_need(I, a, fname, "x", g[0])) != SF_OK) return st;
  if (v[1].kind != V_NONE && !(v[1].kind == V_INT && v[1].i == 0)) return sf_arg_error(I, a, SF_EINVAL, "%s: only axis=0 is supported", fname);
  int x;
  if ((st = sf_b_tensor(I, &v[0], -1, "x", a->call, &x)) != SF_OK) return st;
  sf_val xv;
  sf_b_tensor_val(I, x, &xv);
  sf_tensor *in = sf_b_host_value(I, &xv);
  if (!in || in->shape.rank < 1) return sf_arg_error(I, a, SF_ESHAPE, "%s: x must be a tensor of rank >= 1 with a value", fname);
  if ((st = draw_seed(I, a, &v[2], seed, o)) != SF_OK) return st;
  int64_t n = in->shape.dims[0];
  int64_t *perm = malloc((size_t)(n ? n : 1) * sizeof *perm);
  float *u = malloc((size_t)(n ? n : 1) * sizeof *u);
  if (!perm || !u) return free(perm), free(u), oom(I);
  for (int64_t i = 0; i < n; i++) perm[i] = i;
  sf_philox base;
  sf_philox_stateless(&base, (uint64_t)seed[0], (uint64_t)seed[1]);
  if (sf_keras_version(I) < 30800) {
    sf_shuffle_perm(&base, perm, n);
  } else { /* argsort of the uniform keys: ascending; ties (equal floats) keep index order */
    sf_fill_f32(SF_DIST_UNIFORM, &base, u, n, 0, sf_dist_groups(n, 0));
    for (int64_t i = 1; i < n; i++) /* insertion sort: n is a batch count */
      for (int64_t j = i; j > 0 && u[perm[j - 1]] > u[perm[j]]; j--) {
        int64_t t = perm[j];
        perm[j] = perm[j - 1], perm[j - 1] = t;
      }
  }
  free(u);
  sf_tensor *r = sf_tensor_new(in->dtype, &in->shape, I->err);
  size_t row = n ? (size_t)(in->n / n) * sf_dtype_size(in->dtype) : 0;
  for (int64_t i = 0; r && i < n; i++) memcpy((char *)r->data + i * row, (const char *)in->data + perm[i] * row, row);
  free(perm);
  return host_result(I, r, out);
}

/* categorical(logits, num_samples, dtype="int32", seed): tf.random.stateless_categorical
 * with the drawn seed (backend/tensorflow/random.py @v3.13.0). */
static sf_status api_k3_categorical(sf_interp *I, const sf_args *a, sf_val *out) {
  const char *fname = "keras.random.categorical";
  BIND(fname, "logits num_samples dtype seed", 4);
  int64_t seed[2];
  sf_seed_origin o[2];
  if ((st = need_keras3(I, a, fname)) != SF_OK || (st = sf_arg_need(I, a, fname, "logits", g[0])) != SF_OK ||
      (st = sf_arg_need(I, a, fname, "num_samples", g[1])) != SF_OK || (st = draw_seed(I, a, &v[3], seed, o)) != SF_OK)
    return st;
  sf_val sd[2] = {{.kind = V_INT, .i = seed[0]}, {.kind = V_INT, .i = seed[1]}};
  sf_val args[4] = {v[0], v[1], {.kind = V_LIST, .items = sd, .n = 2}, v[2].kind == V_NONE ? (sf_val){.kind = V_STR, .s = "int32"} : v[2]};
  sf_args ca = {.call = a->call, .pos = args, .npos = 4};
  int from = I->tr->nops;
  if ((st = sf_api_lookup("tf.random.stateless_categorical")(I, &ca, out)) == SF_OK) mark(I, from, o[0], o[1]);
  return st;
}

/* ---- SeedGenerator objects ---- */

static sf_status init_shape(sf_interp *I, const sf_args *a, k3_init *k, const sf_val *v, sf_val *out);

static sf_status gen_method_next(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out) {
  sf_val v[1];
  sf_status st = sf_native_bind(I, a, "next", "ordered", v, 1);
  if (st != SF_OK || (st = gen_traced(I, a->call)) != SF_OK) return st;
  int64_t seed[2];
  sf_seed_origin o[2];
  gen_next(I, (int)self->i, v[0].kind == V_NONE || (v[0].kind == V_BOOL && v[0].b), seed, o);
  sf_val sd[2] = {{.kind = V_INT, .i = seed[0]}, {.kind = V_INT, .i = seed[1]}}, l = {.kind = V_LIST, .items = sd, .n = 2};
  int id;
  if ((st = sf_b_tensor(I, &l, SF_INT32, "seed", a->call, &id)) != SF_OK) return st;
  sf_val r;
  sf_b_tensor_val(I, id, &r);
  return sf_py_from_api(I, &r, out);
}

static sf_status api_seed_generator(sf_interp *I, const sf_args *a, sf_val *out) {
  const char *fname = "keras.random.SeedGenerator";
  BIND(fname, "seed name", 2);
  int64_t seed = 0;
  int idx;
  if ((st = need_keras3(I, a, fname)) != SF_OK) return st;
  if (v[0].kind != V_NONE && (st = sf_arg_int(I, a, fname, "seed", &v[0], &seed)) != SF_OK) return st;
  if ((st = new_gen(I, v[0].kind != V_NONE, seed, &idx)) != SF_OK) return st;
  sf_module *m = sf_obj_alloc(O_MODULE, sizeof *m);
  if (!m || !(m->attrs = sf_dict_alloc(O_DICT))) return oom(I);
  m->name = "SeedGenerator";
  sf_val iv = sf_int(idx);
  if ((st = keep(I, m, out)) != SF_OK) return st;
  if (!sf_dict_set_str(m->attrs, "_sf_index", &iv) || !sf_py_def_native(m->attrs, "next", gen_method_next, &iv)) return oom(I);
  return SF_OK;
}

/* ---- initializers ---- */

/* _compute_fans (initializers.py): 2-D (in, out); 1-D (n, n); conv: receptive field x dims. */
static void fans(const sf_shape *s, double *in, double *out) {
  if (s->rank < 1) *in = *out = 1;
  else if (s->rank == 1) *in = *out = (double)s->dims[0];
  else {
    double rf = 1;
    for (int i = 0; i < s->rank - 2; i++) rf *= (double)s->dims[i];
    *in = (double)s->dims[s->rank - 2] * rf, *out = (double)s->dims[s->rank - 1] * rf;
  }
}

/* The values of initializer k for shape: stateless ops seeded [s, 0], float32 affine steps. */
static sf_status init_values(sf_interp *I, const sf_args *a, k3_init *k, const sf_val *shape, const sf_shape *s,
                             const sf_val *dtype, sf_val *out) {
  if (!k->has_seed) { /* Keras 2.10-2.15: the lazy _maybe_init at the first call */
    sf_status st = sf_keras_python_seed(I, &k->seed, &k->origin);
    if (st != SF_OK) return st;
    k->has_seed = true;
  }
  int64_t seed[2] = {keras3(I) ? k3_cast(I, k->seed) : k->seed, 0};
  sf_seed_origin o[2] = {k->origin, {SF_SEED_STATELESS, 1}};
  if (k->kind != K_VARIANCE) {
    int dist = k->kind == K_NORMAL ? D_NORMAL : k->kind == K_UNIFORM ? D_UNIFORM : D_TRUNCATED;
    return stateless(I, a, dist, shape, seed, o, k->p1, k->p2, dtype, out);
  }
  double fin, fout, scale = k->scale;
  fans(s, &fin, &fout);
  scale /= fmax(1.0, k->mode == M_FAN_IN ? fin : k->mode == M_FAN_OUT ? fout : (fin + fout) / 2.0);
  if (k->dist == D_UNIFORM) {
    double limit = sqrt(3.0 * scale);
    return stateless(I, a, D_UNIFORM, shape, seed, o, -limit, limit, dtype, out);
  }
  double stddev = k->dist == D_TRUNCATED ? sqrt(scale) / 0.87962566103423978 : sqrt(scale);
  return stateless(I, a, k->dist, shape, seed, o, 0.0, stddev, dtype, out);
}

sf_status sf_py_to_api(sf_interp *I, const sf_val *v, sf_val *out);

/* initializer(shape, dtype=None): its arguments are Python values, its result one too. */
static sf_status init_call(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out) {
  k3_init *k = &I->keras3->inits[self->i];
  sf_val p[2], v[2], r;
  sf_status st = sf_native_bind(I, a, k->name, "shape dtype", p, 2);
  if (st != SF_OK || (st = sf_py_to_api(I, &p[0], &v[0])) != SF_OK || (st = sf_py_to_api(I, &p[1], &v[1])) != SF_OK) return st;
  if ((st = init_shape(I, a, k, v, &r)) != SF_OK) return st;
  return sf_py_from_api(I, &r, out);
}

static sf_status init_shape(sf_interp *I, const sf_args *a, k3_init *k, const sf_val *v, sf_val *out) {
  sf_status st;
  sf_shape s = {0};
  const sf_val *sv = &v[0];
  if (sv->kind == V_INT) s.rank = 1, s.dims[0] = sv->i;
  else if ((sv->kind == V_LIST || sv->kind == V_TUPLE) && sv->n <= SF_MAX_RANK) {
    s.rank = sv->n;
    for (int i = 0; i < sv->n; i++) s.dims[i] = sv->items[i].kind == V_INT ? sv->items[i].i : -1;
  } else {
    return sf_arg_error(I, a, SF_ESHAPE, "%s: shape must be a tuple of ints", k->name);
  }
  for (int i = 0; i < s.rank; i++)
    if (s.dims[i] < 0) return sf_arg_error(I, a, SF_ESHAPE, "%s: shape must be a tuple of non-negative ints", k->name);
  if ((st = init_values(I, a, k, sv, &s, &v[1], out)) != SF_OK) return st;
  return SF_OK;
}

/* Keras 3 resolves an initializer's seed at construction (3.0-3.1: `seed or
 * make_default_seed()`, so 0 draws too; 3.2+: `seed if seed is not None`). */
static sf_status resolve_seed_now(sf_interp *I, k3_init *k) {
  if (!keras3(I)) return SF_OK;
  if (k->has_seed && !(k->seed == 0 && sf_keras_version(I) < 30200)) return SF_OK;
  k->has_seed = true;
  return sf_keras_python_seed(I, &k->seed, &k->origin);
}

static const struct k3_init_def {
  const char *name;
  int kind;
  double p1, p2, scale;
  int mode, dist;
} init_defs[] = {
    {"RandomNormal", K_NORMAL, 0.0, 0.05, 0, 0, 0},
    {"RandomUniform", K_UNIFORM, -0.05, 0.05, 0, 0, 0},
    {"TruncatedNormal", K_TRUNCATED, 0.0, 0.05, 0, 0, 0},
    {"VarianceScaling", K_VARIANCE, 0, 0, 1.0, M_FAN_IN, D_TRUNCATED},
    {"GlorotUniform", K_VARIANCE, 0, 0, 1.0, M_FAN_AVG, D_UNIFORM},
    {"GlorotNormal", K_VARIANCE, 0, 0, 1.0, M_FAN_AVG, D_TRUNCATED},
    {"HeNormal", K_VARIANCE, 0, 0, 2.0, M_FAN_IN, D_TRUNCATED},
    {"HeUniform", K_VARIANCE, 0, 0, 2.0, M_FAN_IN, D_UNIFORM},
    {"LecunNormal", K_VARIANCE, 0, 0, 1.0, M_FAN_IN, D_TRUNCATED},
    {"LecunUniform", K_VARIANCE, 0, 0, 1.0, M_FAN_IN, D_UNIFORM},
};

static sf_status make_init(sf_interp *I, const struct k3_init_def *d, const sf_args *a, sf_val *out) {
  sf_val v[4] = {{0}};
  bool g[4] = {false};
  sf_status st;
  if (strcmp(d->name, "VarianceScaling") == 0) { /* v: scale mode distribution seed */
    st = sf_bind(I, d->name, a, "scale mode distribution seed", v, g);
  } else if (d->kind == K_VARIANCE) {
    st = sf_bind(I, d->name, a, "seed", v + 3, g + 3);
  } else { /* v: mean stddev | minval maxval, then the seed moved to v[3] */
    st = sf_bind(I, d->name, a, d->kind == K_UNIFORM ? "minval maxval seed" : "mean stddev seed", v, g);
    v[3] = v[2], g[3] = g[2], g[2] = false;
  }
  if (st != SF_OK) return st;
  struct sf_keras3 *ks = state(I);
  if (!ks || !grow(I, (void **)&ks->inits, ks->ninits, sizeof *ks->inits)) return oom(I);
  k3_init *k = &ks->inits[ks->ninits];
  *k = (k3_init){.kind = d->kind, .p1 = d->p1, .p2 = d->p2, .scale = d->scale, .mode = d->mode, .dist = d->dist, .name = d->name,
                 .origin = {SF_SEED_OP, 0}};
  if (d->kind != K_VARIANCE) {
    if ((g[0] && (st = sf_arg_float(I, a, d->name, d->kind == K_UNIFORM ? "minval" : "mean", &v[0], &k->p1)) != SF_OK) ||
        (g[1] && (st = sf_arg_float(I, a, d->name, d->kind == K_UNIFORM ? "maxval" : "stddev", &v[1], &k->p2)) != SF_OK))
      return st;
  } else if (g[0] || g[1] || g[2]) {
    static const char *const modes[] = {"fan_in", "fan_out", "fan_avg"};
    static const char *const dists[] = {"truncated_normal", "untruncated_normal", "uniform"};
    if (g[0] && (st = sf_arg_float(I, a, d->name, "scale", &v[0], &k->scale)) != SF_OK) return st;
    if (g[1]) {
      for (k->mode = 0; k->mode < 3 && !(v[1].kind == V_STR && strcmp(v[1].s, modes[k->mode]) == 0); k->mode++) {}
      if (k->mode == 3) return sf_arg_error(I, a, SF_EINVAL, "VarianceScaling: mode must be fan_in, fan_out or fan_avg");
    }
    if (g[2]) {
      bool normal = v[2].kind == V_STR && strcmp(v[2].s, "normal") == 0;
      for (k->dist = 0; k->dist < 3 && !(v[2].kind == V_STR && strcmp(v[2].s, dists[k->dist]) == 0); k->dist++) {}
      if (normal) k->dist = D_TRUNCATED;
      if (k->dist == 3) return sf_arg_error(I, a, SF_EINVAL, "VarianceScaling: distribution must be truncated_normal, untruncated_normal or uniform");
    }
  }
  if (g[3] && v[3].kind != V_NONE) {
    if ((st = sf_arg_int(I, a, d->name, "seed", &v[3], &k->seed)) != SF_OK) return st;
    k->has_seed = true;
  }
  if ((st = resolve_seed_now(I, k)) != SF_OK) return st;
  sf_native *n = sf_obj_alloc(O_NATIVE, sizeof *n);
  if (!n) return oom(I);
  n->name = d->name;
  n->fn = init_call;
  n->self = sf_int(ks->ninits++);
  return keep(I, n, out);
}

#define INIT_FN(i)                                                                                            \
  static sf_status api_init_##i(sf_interp *I, const sf_args *a, sf_val *out) {                               \
    if (I->opt.profile != SF_PROFILE_TF210 && I->opt.profile != SF_PROFILE_KERAS3) return other_profile(I, a, out, i); \
    return make_init(I, &init_defs[i], a, out);                                                               \
  }

/* Under tf1/tf2 an initializer is api_keras.c's (the stateful Keras <= 2.6 rule) when it
 * has one; otherwise a located error naming the profiles that model it. */
static sf_status other_profile(sf_interp *I, const sf_args *a, sf_val *out, int i) {
  char path[96];
  snprintf(path, sizeof path, "tf.keras.initializers.%s", init_defs[i].name);
  sf_builtin_fn fn = sf_keras_lookup(path);
  if (fn) return fn(I, a, out);
  return sf_arg_error(I, a, SF_ENAME, "unsupported: tf.keras.initializers.%s in profile %s (modelled in tf2.10: TF "
                      "2.10-2.15, and keras3: TF 2.16+)", init_defs[i].name, sf_profile_name(I->opt.profile));
}

INIT_FN(0)
INIT_FN(1)
INIT_FN(2)
INIT_FN(3)
INIT_FN(4)
INIT_FN(5)
INIT_FN(6)
INIT_FN(7)
INIT_FN(8)
INIT_FN(9)

/* ---- hooks of api_keras.c's layers ---- */

/* Dense(...) constructed: Keras 3 makes its glorot_uniform initializer now, which draws
 * its seed (dense.py @v3.0.0:77-78). */
sf_status sf_keras_dense_new(sf_interp *I, sf_keras_seed *ks) {
  ks->has = false;
  if (!keras3(I)) return SF_OK;
  ks->has = true;
  return sf_keras_python_seed(I, &ks->seed, &ks->origin);
}

/* The kernel initial value of a Dense layer (fan_in x units) under tf2.10/keras3:
 * GlorotUniform stateless [s, 0]; tf.keras 2.10-2.15 draws s when the weight is built. */
sf_status sf_keras_glorot_kernel(sf_interp *I, sf_keras_seed *ks, int64_t fan_in, int64_t units, sf_val *out) {
  struct sf_keras3 *k = state(I);
  if (!k) return oom(I);
  k3_init init = {.kind = K_VARIANCE, .scale = 1.0, .mode = M_FAN_AVG, .dist = D_UNIFORM, .name = "GlorotUniform",
                  .has_seed = ks->has, .seed = ks->seed, .origin = ks->origin};
  sf_val dims[2] = {{.kind = V_INT, .i = fan_in}, {.kind = V_INT, .i = units}}, shape = {.kind = V_LIST, .items = dims, .n = 2};
  sf_shape s = {.rank = 2, .dims = {fan_in, units}};
  sf_args a = {0};
  sf_status st = init_values(I, &a, &init, &shape, &s, NULL, out);
  ks->has = init.has_seed, ks->seed = init.seed, ks->origin = init.origin;
  return st;
}

/* Dropout(rate, seed) constructed: Keras 3 makes its SeedGenerator now (3.0.3+: only
 * when rate > 0), drawing the seed when none is given (dropout.py @v3.13.0:52-53). */
sf_status sf_keras_dropout_new(sf_interp *I, double rate, bool has_seed, int64_t seed, int *gen) {
  *gen = -1;
  if (!keras3(I) || (rate == 0 && sf_keras_version(I) >= 30003)) return SF_OK;
  return new_gen(I, has_seed, seed, gen);
}

/* Dropout called with training=True. keras3: stateless_dropout seeded by the layer's
 * SeedGenerator, [S, k] at the k-th call; tf2.10: the legacy stateful tf.nn.dropout whose
 * op seed make_legacy_seed() returns s, s+1, ... (backend.py @v2.15.0:2006-2024), and
 * nothing at all for rate 0 (2.11+). Returns false when the profile keeps the old path. */
bool sf_keras_dropout_call(sf_interp *I, int gen, double rate, bool has_seed, int64_t *seed, int x, int *y, sf_status *st) {
  sf_val xv;
  sf_b_tensor_val(I, x, &xv);
  sf_args a = {0};
  if (keras3(I)) {
    *st = SF_OK;
    if (gen < 0 || rate == 0) return *y = x, true;
    if ((*st = gen_traced(I, NULL)) != SF_OK) return true;
    int64_t s[2];
    sf_seed_origin o[2];
    gen_next(I, gen, true, s, o);
    sf_val out;
    if ((*st = stateless_dropout(I, &a, &xv, rate, s, o, &out)) == SF_OK) *y = out.node;
    return true;
  }
  if (I->opt.profile != SF_PROFILE_TF210) return false;
  *st = SF_OK;
  if (rate == 0 && sf_keras_version(I) >= 21100) return *y = x, true;
  sf_val args[3] = {xv, {.kind = V_FLOAT, .f = rate}, {.kind = has_seed ? V_INT : V_NONE, .i = has_seed ? (*seed)++ : 0}};
  const char *names[] = {"rate", "seed"};
  sf_args da = {.pos = args, .npos = 1, .kwnames = names, .kw = args + 1, .nkw = 2};
  sf_val out;
  if ((*st = sf_api_lookup("tf.nn.dropout")(I, &da, &out)) == SF_OK) *y = out.node;
  return true;
}

/* ---- keras.utils.set_random_seed ---- */

/* tf_utils.py @v2.10.0:35-66 / rng_utils.py @v3.13.0:14-70: random.seed, np.random.seed,
 * tf.random.set_seed; Keras 2.10-2.15 also stores Random(s) for initializer seeds; Keras
 * 3.13+ drops the global SeedGenerator (re-created from random at its next use). */
static sf_status api_set_random_seed(sf_interp *I, const sf_args *a, sf_val *out) {
  const char *fname = "set_random_seed";
  BIND(fname, "seed", 1);
  int64_t seed;
  *out = sf_none();
  if ((st = sf_arg_need(I, a, fname, "seed", g[0])) != SF_OK) return st;
  if (v[0].kind != V_INT) { /* rng_utils.py set_random_seed: a ValueError with str(seed) and its type */
    sf_val text;
    if ((st = sf_py_str(I, &v[0], false, &text)) != SF_OK) return st;
    st = sf_py_raise(I, a->call, BC_VALUEERR,
                     "Expected `seed` argument to be an integer. Received: seed=%s (of type <class '%s'>)",
                     SF_STR(&text)->s, sf_type_name(&v[0]));
    sf_val_drop(&text);
    return st;
  }
  seed = v[0].i;
  if (I->opt.profile == SF_PROFILE_TF1)
    return sf_arg_error(I, a, SF_ENAME, "tf.keras.utils.set_random_seed is TF 2.7+ (profiles tf2, tf2.10, keras3), not TF 1.x");
  struct sf_keras3 *k = state(I);
  if (!k) return oom(I);
  sf_mt_seed_python(&PY(I)->random->mt, seed); /* random.seed(seed) */
  PY(I)->random->has_gauss = false;
  sf_val sv = sf_int(seed);
  sf_args na = {.call = a->call, .pos = &sv, .npos = 1};
  sf_val none;
  if ((st = sf_api_lookup("np.random.seed")(I, &na, &none)) != SF_OK) return st;
  sf_b_set_seed(I, seed);
  k->draws = 0;
  if (I->opt.profile == SF_PROFILE_TF210) {
    sf_mt_seed_python(&k->seedgen, seed);
    k->has_seedgen = true;
  }
  if (keras3(I) && sf_keras_version(I) >= 31300) k->global_gen = -1;
  if (I->opt.profile == SF_PROFILE_TF2) {
    sf_status nst = sf_trace_add_note(I->tr, 0, 0, "profile",
                                      "tf.keras.utils.set_random_seed: in TF 2.10-2.15 Keras initializers take their seeds "
                                      "from Python's random (profile tf2.10); in TF 2.16+ Keras 3 does (profile keras3)");
    if (nst != SF_OK) return oom(I);
  }
  return SF_OK;
}

/* ---- the table ---- */

static const struct {
  const char *path;
  sf_builtin_fn fn;
} api[] = {
    {"tf.keras.random.normal", api_k3_normal},
    {"tf.keras.random.uniform", api_k3_uniform},
    {"tf.keras.random.truncated_normal", api_k3_truncated},
    {"tf.keras.random.dropout", api_k3_dropout},
    {"tf.keras.random.shuffle", api_k3_shuffle},
    {"tf.keras.random.randint", api_k3_randint},
    {"tf.keras.random.categorical", api_k3_categorical},
    {"tf.keras.random.SeedGenerator", api_seed_generator},
    {"tf.keras.utils.set_random_seed", api_set_random_seed},
    {"tf.keras.initializers.RandomNormal", api_init_0},
    {"tf.keras.initializers.RandomUniform", api_init_1},
    {"tf.keras.initializers.TruncatedNormal", api_init_2},
    {"tf.keras.initializers.VarianceScaling", api_init_3},
    {"tf.keras.initializers.GlorotUniform", api_init_4},
    {"tf.keras.initializers.GlorotNormal", api_init_5},
    {"tf.keras.initializers.HeNormal", api_init_6},
    {"tf.keras.initializers.HeUniform", api_init_7},
    {"tf.keras.initializers.LecunNormal", api_init_8},
    {"tf.keras.initializers.LecunUniform", api_init_9},
    {"tf.keras.initializers.glorot_uniform", api_init_4},
    {"tf.keras.initializers.he_normal", api_init_6},
};

sf_builtin_fn sf_keras3_lookup(const char *path) {
  for (size_t i = 0; i < sizeof api / sizeof api[0]; i++)
    if (strcmp(api[i].path, path) == 0) return api[i].fn;
  return NULL;
}
