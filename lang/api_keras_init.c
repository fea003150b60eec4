/* api_keras_init.c — initializer objects: tf.keras.initializers.* (and their string names),
 * the TF1 tf.*_initializer / tf.compat.v1.*_initializer and TF2's tf.*_initializer. An
 * initializer is a Python callable (a native whose data is an index into I->kinits); called
 * with a shape it draws through the same tf.random.* wrappers TF's code calls, so op counts
 * and seeds follow those wrappers. Three seed flavours (init_seed below):
 *   v1     TF 1.x init_ops.py (and tf.keras in TF 1.x, whose classes subclass them):
 *          random_ops.*(seed=self.seed) — stateful, the same op seed on every call;
 *   keras  keras 2.7-2.9 initializers_v2.py, backend.RandomGenerator(seed) legacy stateful:
 *          tf.random.*(seed=make_legacy_seed()) — seed, seed + 1, ... per call;
 *   v2     TF 2.x init_ops_v2.py _RandomGenerator (tf.random_normal_initializer & co.):
 *          seeded: stateless_random_*(seed=[seed, 0]); unseeded: random_ops.*(seed=None). */
#include "interp.h"
#include "py.h"
#include "value.h"

#include <math.h>
#include <string.h>

sf_status sf_py_to_api(sf_interp *I, const sf_val *v, sf_val *out);

enum { K_ZEROS, K_ONES, K_CONSTANT, K_NORMAL, K_UNIFORM, K_TRUNCATED, K_SCALING, K_CALLABLE };
enum { F_V1, F_KERAS, F_V2 };
enum { M_FAN_IN, M_FAN_OUT, M_FAN_AVG };
enum { D_TRUNCATED, D_UNTRUNCATED, D_UNIFORM };

struct sf_kinit {
  int kind, flavour;
  double p1, p2;   /* mean, stddev / minval, maxval / value; scaling: scale */
  int mode, dist;  /* K_SCALING */
  bool has_seed;
  int64_t seed;    /* the next draw's seed (keras: advanced per call) */
  sf_val fn;       /* K_CALLABLE: the program's function (one reference) */
  const char *name;
};

/* A constructor: what the name builds, with its defaults (the class's __init__). */
typedef struct kdef {
  const char *name; /* after the module prefix */
  int kind;
  double p1, p2;
  int mode, dist;
} kdef;

/* keras initializers (initializers_v2.py @v2.9.0; TF 1.15 keras/initializers.py: the same
 * defaults over init_ops) and their snake_case aliases. */
static const kdef keras_defs[] = {
    {"Zeros", K_ZEROS, 0, 0, 0, 0},
    {"zeros", K_ZEROS, 0, 0, 0, 0},
    {"Ones", K_ONES, 0, 0, 0, 0},
    {"ones", K_ONES, 0, 0, 0, 0},
    {"Constant", K_CONSTANT, 0, 0, 0, 0},
    {"constant", K_CONSTANT, 0, 0, 0, 0},
    {"RandomNormal", K_NORMAL, 0, 0.05, 0, 0},
    {"random_normal", K_NORMAL, 0, 0.05, 0, 0},
    {"RandomUniform", K_UNIFORM, -0.05, 0.05, 0, 0},
    {"random_uniform", K_UNIFORM, -0.05, 0.05, 0, 0},
    {"TruncatedNormal", K_TRUNCATED, 0, 0.05, 0, 0},
    {"truncated_normal", K_TRUNCATED, 0, 0.05, 0, 0},
    {"VarianceScaling", K_SCALING, 1.0, 0, M_FAN_IN, D_TRUNCATED},
    {"variance_scaling", K_SCALING, 1.0, 0, M_FAN_IN, D_TRUNCATED},
    {"GlorotUniform", K_SCALING, 1.0, 0, M_FAN_AVG, D_UNIFORM},
    {"glorot_uniform", K_SCALING, 1.0, 0, M_FAN_AVG, D_UNIFORM},
    {"GlorotNormal", K_SCALING, 1.0, 0, M_FAN_AVG, D_TRUNCATED},
    {"glorot_normal", K_SCALING, 1.0, 0, M_FAN_AVG, D_TRUNCATED},
    {"HeNormal", K_SCALING, 2.0, 0, M_FAN_IN, D_TRUNCATED},
    {"he_normal", K_SCALING, 2.0, 0, M_FAN_IN, D_TRUNCATED},
    {"HeUniform", K_SCALING, 2.0, 0, M_FAN_IN, D_UNIFORM},
    {"he_uniform", K_SCALING, 2.0, 0, M_FAN_IN, D_UNIFORM},
    {"LecunNormal", K_SCALING, 1.0, 0, M_FAN_IN, D_TRUNCATED},
    {"lecun_normal", K_SCALING, 1.0, 0, M_FAN_IN, D_TRUNCATED},
    {"LecunUniform", K_SCALING, 1.0, 0, M_FAN_IN, D_UNIFORM},
    {"lecun_uniform", K_SCALING, 1.0, 0, M_FAN_IN, D_UNIFORM},
};

/* TF 1.x init_ops.py functions (tf.*_initializer): stddev 1, uniform [0, 1). */
static const kdef v1_defs[] = {
    {"zeros_initializer", K_ZEROS, 0, 0, 0, 0},
    {"ones_initializer", K_ONES, 0, 0, 0, 0},
    {"constant_initializer", K_CONSTANT, 0, 0, 0, 0},
    {"random_normal_initializer", K_NORMAL, 0, 1.0, 0, 0},
    {"random_uniform_initializer", K_UNIFORM, 0, 1.0, 0, 0},
    {"truncated_normal_initializer", K_TRUNCATED, 0, 1.0, 0, 0},
    {"variance_scaling_initializer", K_SCALING, 1.0, 0, M_FAN_IN, D_TRUNCATED},
    {"glorot_uniform_initializer", K_SCALING, 1.0, 0, M_FAN_AVG, D_UNIFORM},
    {"glorot_normal_initializer", K_SCALING, 1.0, 0, M_FAN_AVG, D_TRUNCATED},
};

/* TF 2.x init_ops_v2.py (tf.*_initializer without compat.v1): stddev 0.05, [-0.05, 0.05). */
static const kdef v2_defs[] = {
    {"zeros_initializer", K_ZEROS, 0, 0, 0, 0},
    {"ones_initializer", K_ONES, 0, 0, 0, 0},
    {"constant_initializer", K_CONSTANT, 0, 0, 0, 0},
    {"random_normal_initializer", K_NORMAL, 0, 0.05, 0, 0},
    {"random_uniform_initializer", K_UNIFORM, -0.05, 0.05, 0, 0},
};

static sf_status kinit_new(sf_interp *I, sf_kinit **out, int *index) {
  int n = I->nkinits;
  if (!(n & (n - 1))) { /* capacity is the next power of two */
    void *na = sf_arena_grow(&I->arena, I->kinits, (size_t)n, (size_t)(n ? 2 * n : 4), sizeof *I->kinits);
    if (!na) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
    I->kinits = na;
  }
  *out = &I->kinits[n];
  memset(*out, 0, sizeof **out);
  *index = I->nkinits++;
  return SF_OK;
}

/* ---- the seed of one draw ---- */

/* How initializer k seeds its next draw (the one place the profiles' rules live):
 * has and seed: the op seed a stateful wrapper gets; stateless: whether the draw is a
 * stateless op seeded [seed, 0]. */
static void init_seed(sf_kinit *k, bool *has, int64_t *seed, bool *stateless) {
  *has = k->has_seed;
  *seed = k->seed;
  *stateless = k->flavour == F_V2 && k->has_seed;
  if (k->flavour == F_KERAS && k->has_seed) k->seed++; /* make_legacy_seed (keras/backend.py @v2.9.0) */
}

/* _compute_fans (init_ops.py, initializers_v2.py): rank 0 (1, 1); rank 1 (s0, s0); rank 2
 * (s0, s1); else the receptive field times the last two dimensions. */
static void compute_fans(const int64_t *dims, int rank, double *fan_in, double *fan_out) {
  if (rank < 1) {
    *fan_in = *fan_out = 1;
    return;
  }
  if (rank == 1) {
    *fan_in = *fan_out = (double)dims[0];
    return;
  }
  double rf = 1;
  for (int i = 0; i < rank - 2; i++) rf *= (double)dims[i];
  *fan_in = (double)dims[rank - 2] * rf;
  *fan_out = (double)dims[rank - 1] * rf;
}

static sf_status call_api(sf_interp *I, const char *path, sf_val *pos, int npos, const char **kwnames, sf_val *kw,
                          int nkw, const sf_expr *at, sf_val *out) {
  sf_args a = {.call = at, .pos = pos, .npos = npos, .kwnames = kwnames, .kw = kw, .nkw = nkw};
  return sf_api_lookup(path)(I, &a, out);
}

sf_status sf_kinit_draw(sf_interp *I, int index, const int64_t *dims, int rank, sf_dtype dt, const sf_expr *at,
                        sf_val *out) {
  sf_kinit *k = &I->kinits[index];
  sf_val d[SF_MAX_RANK];
  for (int i = 0; i < rank; i++) d[i] = (sf_val){.kind = V_INT, .i = dims[i]};
  sf_val shape = {.kind = V_LIST, .items = d, .n = rank}, dtype = {.kind = V_DTYPE, .dtype = dt};
  const char *dtname[] = {"dtype"};
  if (k->kind == K_CALLABLE) { /* initializer(shape, dtype=dtype), shape a list (Dense.build) */
    sf_val pyshape = {0}, r = {0}, flat;
    sf_status st = sf_py_from_api(I, &shape, &pyshape);
    sf_args a = {.call = at, .pos = &pyshape, .npos = 1, .kwnames = dtname, .kw = &dtype, .nkw = 1};
    if (st == SF_OK) st = sf_py_call(I, &k->fn, &a, &r);
    sf_val_drop(&pyshape);
    if (st == SF_OK) st = sf_py_to_api(I, &r, &flat);
    if (st == SF_OK && flat.kind != V_TENSOR) {
      int id;
      if ((st = sf_b_tensor(I, &flat, (int)dt, "initial_value", at, &id)) == SF_OK) sf_b_tensor_val(I, id, &flat);
    } else if (st == SF_OK && flat.counted && flat.g == I->E.g) { /* taken over, as an activation's result */
      sf_eager_take(&I->E, flat.node);
      flat.counted = false;
    }
    sf_val_drop(&r);
    if (st == SF_OK) *out = flat;
    return st;
  }
  if (k->kind == K_ZEROS || k->kind == K_ONES)
    return call_api(I, k->kind == K_ZEROS ? "tf.zeros" : "tf.ones", &shape, 1, dtname, &dtype, 1, at, out);
  if (k->kind == K_CONSTANT) {
    sf_val args[3] = {{.kind = V_FLOAT, .f = k->p1}, dtype, shape};
    const char *names[] = {"dtype", "shape"};
    return call_api(I, "tf.constant", args, 1, names, args + 1, 2, at, out);
  }
  double p1 = k->p1, p2 = k->p2;
  int kind = k->kind;
  if (kind == K_SCALING) {
    double fan_in, fan_out, scale = k->p1;
    compute_fans(dims, rank, &fan_in, &fan_out);
    scale /= fmax(1.0, k->mode == M_FAN_IN ? fan_in : k->mode == M_FAN_OUT ? fan_out : (fan_in + fan_out) / 2.0);
    if (k->dist == D_UNIFORM) kind = K_UNIFORM, p1 = -sqrt(3.0 * scale), p2 = sqrt(3.0 * scale);
    else if (k->dist == D_TRUNCATED) kind = K_TRUNCATED, p1 = 0, p2 = sqrt(scale) / 0.87962566103423978;
    else kind = K_NORMAL, p1 = 0, p2 = sqrt(scale);
  }
  bool has, stateless;
  int64_t seed;
  init_seed(k, &has, &seed, &stateless);
  if (stateless) {
    static const char *const paths[] = {[K_NORMAL] = "tf.random.stateless_normal", [K_UNIFORM] = "tf.random.stateless_uniform",
                                        [K_TRUNCATED] = "tf.random.stateless_truncated_normal"};
    sf_val pair[2] = {{.kind = V_INT, .i = seed}, {.kind = V_INT, .i = 0}};
    sf_val args[5] = {shape, {.kind = V_LIST, .items = pair, .n = 2}, {.kind = V_FLOAT, .f = p1}, {.kind = V_FLOAT, .f = p2}, dtype};
    return call_api(I, paths[kind], args, 4, dtname, args + 4, 1, at, out);
  }
  static const char *const paths[] = {[K_NORMAL] = "tf.random.normal", [K_UNIFORM] = "tf.random.uniform",
                                      [K_TRUNCATED] = "tf.random.truncated_normal"};
  sf_val args[5] = {shape, {.kind = V_FLOAT, .f = p1}, {.kind = V_FLOAT, .f = p2}, dtype, {.kind = has ? V_INT : V_NONE, .i = seed}};
  const char *names[] = {"dtype", "seed"};
  return call_api(I, paths[kind], args, 3, names, args + 3, 2, at, out);
}

/* ---- calling an initializer object ---- */

static sf_status kinit_apply(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out);

static sf_status kinit_call(sf_interp *I, sf_val *self, const sf_args *pa, sf_val *out) {
  sf_args fa;
  sf_val pos[SF_API_ARGS], kw[SF_API_ARGS];
  sf_status st = sf_py_api_args(I, pa, &fa, pos, kw);
  if (st == SF_OK) st = kinit_apply(I, self, &fa, out);
  sf_py_api_args_free(&fa, pos, kw);
  return st;
}

/* kinit_call with its arguments as API values. */
static sf_status kinit_apply(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out) {
  sf_kinit *k = &I->kinits[self->i];
  sf_status st;
  sf_val v[3];
  bool g[3];
  if ((st = sf_bind(I, k->name, a, "shape dtype partition_info", v, g)) != SF_OK) return st;
  if ((st = sf_arg_need(I, a, k->name, "shape", g[0])) != SF_OK) return st;
  int64_t dims[SF_MAX_RANK];
  int rank = 0;
  if (v[0].kind == V_INT) {
    dims[rank++] = v[0].i;
  } else if (v[0].kind == V_LIST || v[0].kind == V_TUPLE) {
    if (v[0].n > SF_MAX_RANK) return sf_arg_error(I, a, SF_ESHAPE, "%s: rank %d is above %d", k->name, v[0].n, SF_MAX_RANK);
    for (int i = 0; i < v[0].n; i++) {
      if (v[0].items[i].kind != V_INT || v[0].items[i].i < 0)
        return sf_arg_error(I, a, SF_ESHAPE, "%s: shape entries must be non-negative ints", k->name);
      dims[rank++] = v[0].items[i].i;
    }
  } else {
    return sf_arg_error(I, a, SF_ETYPE, "%s: shape must be a list or tuple of ints", k->name);
  }
  sf_dtype dt;
  if ((st = sf_arg_dtype(I, a, k->name, &v[1], SF_FLOAT32, &dt)) != SF_OK) return st;
  bool random = k->kind != K_ZEROS && k->kind != K_ONES && k->kind != K_CONSTANT;
  if (random && !sf_dtype_is_float(dt) && !(k->kind == K_UNIFORM && k->flavour == F_V1))
    return sf_arg_error(I, a, SF_ETYPE, "%s: expected a float dtype, got %s", k->name, sf_dtype_name(dt));
  sf_val r = {0};
  if ((st = sf_kinit_draw(I, (int)self->i, dims, rank, dt, a->call, &r)) != SF_OK) return st;
  return sf_py_from_api(I, &r, out);
}

static sf_status kinit_value(sf_interp *I, int index, const char *name, sf_val *out) {
  sf_native *n = sf_obj_alloc(O_NATIVE, sizeof *n);
  if (!n) return sf_py_oom(I);
  n->name = name;
  n->fn = kinit_call;
  n->self = sf_int(index);
  *out = sf_obj_val(n);
  out->o->rc--; /* borrowed, as the flat API returns objects: sf_py_from_api takes the caller's reference */
  return SF_OK;
}

/* The index of the initializer a value is, or -1. */
static int kinit_of(const sf_val *v) {
  if (!sf_is(v, O_NATIVE) || ((sf_native *)v->o)->fn != kinit_call) return -1;
  return (int)((sf_native *)v->o)->self.i;
}

/* ---- constructors ---- */

static const char *const mode_names[] = {"fan_in", "fan_out", "fan_avg"};
static const char *const dist_names[] = {"truncated_normal", "untruncated_normal", "uniform"};

static sf_status construct(sf_interp *I, const sf_args *a, const kdef *d, int flavour, sf_val *out) {
  const char *params = d->kind == K_NORMAL || d->kind == K_TRUNCATED ? "mean stddev seed dtype"
                       : d->kind == K_UNIFORM                        ? "minval maxval seed dtype"
                       : d->kind == K_CONSTANT                       ? "value dtype verify_shape"
                       : d->kind == K_SCALING && d->p2 == 0 && !strstr(d->name, "ariance")
                           ? "seed dtype"
                       : d->kind == K_SCALING ? "scale mode distribution seed dtype"
                                              : "dtype";
  sf_val v[5];
  bool g[5];
  sf_status st = sf_bind(I, d->name, a, params, v, g);
  if (st != SF_OK) return st;
  sf_kinit *k;
  int index;
  if ((st = kinit_new(I, &k, &index)) != SF_OK) return st;
  k->kind = d->kind;
  k->flavour = flavour;
  k->p1 = d->p1, k->p2 = d->p2, k->mode = d->mode, k->dist = d->dist;
  k->name = d->name;
  const sf_val *seed = NULL;
  if (d->kind == K_NORMAL || d->kind == K_TRUNCATED || d->kind == K_UNIFORM) {
    const char *n1 = d->kind == K_UNIFORM ? "minval" : "mean", *n2 = d->kind == K_UNIFORM ? "maxval" : "stddev";
    if ((v[0].kind != V_NONE && (st = sf_arg_float(I, a, d->name, n1, &v[0], &k->p1)) != SF_OK) ||
        (v[1].kind != V_NONE && (st = sf_arg_float(I, a, d->name, n2, &v[1], &k->p2)) != SF_OK))
      return st;
    seed = &v[2];
  } else if (d->kind == K_CONSTANT) {
    if (v[0].kind != V_NONE && (st = sf_arg_float(I, a, d->name, "value", &v[0], &k->p1)) != SF_OK) return st;
  } else if (d->kind == K_SCALING && strcmp(params, "seed dtype") == 0) {
    seed = &v[0];
  } else if (d->kind == K_SCALING) {
    if (v[0].kind != V_NONE && (st = sf_arg_float(I, a, d->name, "scale", &v[0], &k->p1)) != SF_OK) return st;
    if (!(k->p1 > 0)) return sf_arg_error(I, a, SF_EINVAL, "%s: `scale` must be positive float. Received: scale=%g", d->name, k->p1);
    if (v[1].kind != V_NONE) {
      for (k->mode = 0; k->mode < 3 && !(v[1].kind == V_STR && strcmp(v[1].s, mode_names[k->mode]) == 0); k->mode++) {}
      if (k->mode == 3) return sf_arg_error(I, a, SF_EINVAL, "%s: Invalid `mode` argument: use fan_in, fan_out or fan_avg", d->name);
    }
    if (v[2].kind != V_NONE) {
      const char *s = v[2].kind == V_STR ? v[2].s : "";
      if (strcmp(s, "normal") == 0) s = "truncated_normal"; /* the old name (both versions) */
      for (k->dist = 0; k->dist < 3 && strcmp(s, dist_names[k->dist]) != 0; k->dist++) {}
      if (k->dist == 3)
        return sf_arg_error(I, a, SF_EINVAL, "%s: Invalid `distribution` argument: use truncated_normal, untruncated_normal or uniform",
                            d->name);
    }
    seed = &v[3];
  }
  if (seed && seed->kind != V_NONE) {
    k->has_seed = true;
    if ((st = sf_arg_int(I, a, d->name, "seed", seed, &k->seed)) != SF_OK) return st;
  }
  return kinit_value(I, index, d->name, out);
}

static const kdef *find(const kdef *defs, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(defs[i].name, name) == 0) return &defs[i];
  return NULL;
}

/* One C function per constructor and family (a builtin gets no path): keras (tf.keras.
 * initializers: v1 under TF 1.x, keras's legacy stateful under TF 2.x), keras_v1
 * (tf.compat.v1.keras.initializers), v1 (tf.compat.v1.*_initializer; tf.*_initializer under
 * TF 1.x) and v2 (tf.*_initializer under TF 2.x). */
static sf_status keras_ctor(sf_interp *I, const sf_args *a, int i, sf_val *out) {
  return construct(I, a, &keras_defs[i], I->opt.profile == SF_PROFILE_TF1 ? F_V1 : F_KERAS, out);
}
static sf_status keras_v1_ctor(sf_interp *I, const sf_args *a, int i, sf_val *out) { return construct(I, a, &keras_defs[i], F_V1, out); }
static sf_status v1_ctor(sf_interp *I, const sf_args *a, int i, sf_val *out) { return construct(I, a, &v1_defs[i], F_V1, out); }
/* tf.*_initializer: init_ops_v2 under TF 2.x, where the TF1-only names do not exist. */
static sf_status tf_ctor(sf_interp *I, const sf_args *a, int i, sf_val *out) {
  if (I->opt.profile == SF_PROFILE_TF1) return construct(I, a, &v1_defs[i], F_V1, out);
  const kdef *d = find(v2_defs, sizeof v2_defs / sizeof *v2_defs, v1_defs[i].name);
  if (!d)
    return sf_arg_error(I, a, SF_ENAME, "tf.%s is TF 1.x API (TF 2.x: tf.compat.v1.%s)", v1_defs[i].name, v1_defs[i].name);
  return construct(I, a, d, F_V2, out);
}

#define CTOR(fam, i) \
  static sf_status fam##_##i(sf_interp *I, const sf_args *a, sf_val *out) { return fam##_ctor(I, a, i, out); }
#define CTORS9(fam) CTOR(fam, 0) CTOR(fam, 1) CTOR(fam, 2) CTOR(fam, 3) CTOR(fam, 4) CTOR(fam, 5) CTOR(fam, 6) CTOR(fam, 7) CTOR(fam, 8)
#define CTORS26(fam)                                                                                                         \
  CTORS9(fam) CTOR(fam, 9) CTOR(fam, 10) CTOR(fam, 11) CTOR(fam, 12) CTOR(fam, 13) CTOR(fam, 14) CTOR(fam, 15) CTOR(fam, 16) \
  CTOR(fam, 17) CTOR(fam, 18) CTOR(fam, 19) CTOR(fam, 20) CTOR(fam, 21) CTOR(fam, 22) CTOR(fam, 23) CTOR(fam, 24) CTOR(fam, 25)
CTORS26(keras)
CTORS26(keras_v1)
CTORS9(v1)
CTORS9(tf)
#define L9(fam) fam##_0, fam##_1, fam##_2, fam##_3, fam##_4, fam##_5, fam##_6, fam##_7, fam##_8
#define L26(fam) \
  L9(fam), fam##_9, fam##_10, fam##_11, fam##_12, fam##_13, fam##_14, fam##_15, fam##_16, fam##_17, fam##_18, fam##_19, fam##_20, \
      fam##_21, fam##_22, fam##_23, fam##_24, fam##_25
static const sf_builtin_fn keras_fns[] = {L26(keras)}, keras_v1_fns[] = {L26(keras_v1)}, v1_fns[] = {L9(v1)}, tf_fns[] = {L9(tf)};
_Static_assert(sizeof keras_defs / sizeof *keras_defs == 26 && sizeof v1_defs / sizeof *v1_defs == 9, "one function per constructor");

static sf_builtin_fn in(const kdef *defs, size_t n, const sf_builtin_fn *fns, const char *name) {
  const kdef *d = find(defs, n, name);
  return d ? fns[d - defs] : NULL;
}

sf_builtin_fn sf_kinit_lookup(const char *path) {
  size_t nk = sizeof keras_defs / sizeof *keras_defs, n1 = sizeof v1_defs / sizeof *v1_defs;
  if (strncmp(path, "tf.keras.initializers.", 22) == 0) return in(keras_defs, nk, keras_fns, path + 22);
  if (strncmp(path, "tf.compat.v1.keras.initializers.", 32) == 0) return in(keras_defs, nk, keras_v1_fns, path + 32);
  if (strncmp(path, "tf.compat.v1.", 13) == 0) return in(v1_defs, n1, v1_fns, path + 13);
  if (strncmp(path, "tf.", 3) == 0) return in(v1_defs, n1, tf_fns, path + 3);
  return NULL;
}

/* ---- a layer's initializer argument ---- */

/* tf2.10 / keras3: a random initializer named by a string is that profile's stateless
 * class (api_keras3.c), built as initializers.get(name) builds it: no arguments. */
static sf_status keras_new_by_name(sf_interp *I, const sf_args *a, const kdef *d, int *out) {
  const kdef *cls = d;
  for (const kdef *k = keras_defs; k < keras_defs + sizeof keras_defs / sizeof *keras_defs && cls == d; k++)
    if (k->kind == d->kind && k->p1 == d->p1 && k->p2 == d->p2 && k->mode == d->mode && k->dist == d->dist &&
        k->name[0] >= 'A' && k->name[0] <= 'Z')
      cls = k;
  char path[96];
  snprintf(path, sizeof path, "tf.keras.initializers.%s", cls->name);
  sf_builtin_fn make = sf_keras3_lookup(path);
  if (!make) return sf_arg_error(I, a, SF_ENAME, "unsupported: initializer '%s' in profile %s", d->name, sf_profile_name(I->opt.profile));
  sf_args none = {.call = a->call};
  sf_val obj;
  sf_status st = make(I, &none, &obj);
  if (st != SF_OK) return st;
  sf_kinit *ki;
  if ((st = kinit_new(I, &ki, out)) != SF_OK) return st;
  ki->kind = K_CALLABLE;
  ki->fn = obj;
  ki->name = cls->name;
  return sf_py_keep(I, &obj); /* the initializer keeps it till the run ends (obj is borrowed, as API results are) */
}

sf_status sf_kinit_resolve(sf_interp *I, const sf_args *a, const char *fname, const sf_val *v, const char *dflt, int *out) {
  int k = kinit_of(v);
  if (k >= 0) return *out = k, SF_OK;
  sf_kinit *ki;
  sf_status st;
  if (v->kind == V_NONE || v->kind == V_STR) { /* initializers.get(name): a new object, unseeded */
    const char *name = v->kind == V_STR ? v->s : dflt;
    const kdef *d = find(keras_defs, sizeof keras_defs / sizeof *keras_defs, name);
    if (!d) return sf_arg_error(I, a, SF_EINVAL, "%s: unknown initializer: '%s'", fname, name);
    if (v->kind == V_STR && (I->opt.profile == SF_PROFILE_TF210 || I->opt.profile == SF_PROFILE_KERAS3) && d->kind != K_ZEROS &&
        d->kind != K_ONES && d->kind != K_CONSTANT)
      return keras_new_by_name(I, a, d, out);
    if ((st = kinit_new(I, &ki, out)) != SF_OK) return st;
    *ki = (sf_kinit){.kind = d->kind, .flavour = I->opt.profile == SF_PROFILE_TF1 ? F_V1 : F_KERAS, .p1 = d->p1, .p2 = d->p2,
                     .mode = d->mode, .dist = d->dist, .name = d->name};
    return SF_OK;
  }
  if (v->kind == V_OBJ && (sf_is(v, O_FUNC) || sf_is(v, O_NATIVE) || sf_is(v, O_BOUND) || sf_is(v, O_INST))) {
    if ((st = kinit_new(I, &ki, out)) != SF_OK) return st;
    ki->kind = K_CALLABLE;
    ki->fn = *v;
    ki->name = fname;
    return sf_py_keep(I, v); /* the initializer keeps it till the run ends */
  }
  return sf_arg_error(I, a, SF_ETYPE, "%s: an initializer must be a name, an initializer object or a function", fname);
}
