/* random.c — the random family: TF's stateful Philox kernels (random_op.cc), stateless
 * ops (stateless_random_ops.cc), tf.random.Generator ops (stateful_random_ops.cc) and
 * NumPy's legacy global stream. Every kernel fills ctx->rng with what it consumed. */
#include "ops_internal.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- shapes ---- */

sf_status sf_random_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_attr_value *dt = sf_node_attr(n, "dtype");
  n->dtype = dt ? dt->type : SF_FLOAT32;
  const sf_attr_value *tout = sf_node_attr(n, "Tout");
  if (tout) n->dtype = tout->type;
  const sf_node *sh = sf_input_node(g, n, 0);
  if (sh->dtype != SF_INT32 && sh->dtype != SF_INT64)
    return sf_error_set(err, SF_ETYPE, "shape must be int32 or int64, got %s", sf_dtype_name(sh->dtype));
  sf_status st;
  n->shape_known = sf_const_shape(g, n, 0, &n->shape, err, &st);
  return st;
}

static sf_status float_random_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  sf_status st = sf_random_shape(g, n, err);
  if (st == SF_OK && !sf_dtype_is_float(n->dtype))
    return sf_error_set(err, SF_ETYPE, "attribute 'dtype' must be float32 or float64, got %s", sf_dtype_name(n->dtype));
  return st;
}

/* ---- GuardedPhiloxRandom (guarded_philox_random.cc) ---- */

static sf_status guarded_init(sf_kctx *c) {
  if (c->state->ready) return SF_OK;
  uint64_t seed = c->state->seed, seed2 = c->state->seed2; /* given at instantiation */
  if (seed == 0 && seed2 == 0) {
    if (c->rt && c->rt->deterministic)
      return sf_error_set(c->err, SF_EDETERMINISM,
                          "%s '%s': op determinism requires a seed (set tf.random.set_seed or the op's seed)",
                          c->node->op->name, c->node->name);
    seed = sf_runtime_entropy(c->rt); /* random::New64() */
    seed2 = sf_runtime_entropy(c->rt);
  }
  sf_philox_from_seeds(&c->state->gen, seed, seed2);
  c->state->ready = true;
  return SF_OK;
}

void sf_random_record(sf_kctx *c, const sf_philox *base, uint64_t blocks, int generator) {
  sf_rng_record *r = c->rng;
  if (!r) return;
  r->present = true;
  r->stream = SF_STREAM_PHILOX;
  memcpy(r->key, base->key, sizeof r->key);
  memcpy(r->counter, base->ctr, sizeof r->counter);
  r->blocks = blocks;
  r->generator = generator;
}

/* ReserveRandomOutputs(N, 256): hand out the current generator, skip N*256 blocks. */
sf_status sf_random_reserve(sf_kctx *c, int64_t n, sf_philox *base) {
  sf_status st = guarded_init(c);
  if (st != SF_OK) return st;
  *base = c->state->gen;
  sf_philox_skip(&c->state->gen, (uint64_t)n * 256);
  sf_random_record(c, base, (uint64_t)n * 256, -1);
  return SF_OK;
}

static sf_status fill(sf_kctx *c, sf_dist d, const sf_philox *base, sf_tensor *t) {
  if (t->dtype == SF_FLOAT32) sf_fill_f32_threads(d, base, t->data, t->n, sf_kctx_threads(c));
  else if (t->dtype == SF_FLOAT64) sf_fill_f64_threads(d, base, t->data, t->n, sf_kctx_threads(c));
  else return sf_error_set(c->err, SF_ETYPE, "%s: unsupported dtype %s", c->node->op->name, sf_dtype_name(t->dtype));
  return SF_OK;
}

static sf_status philox_op(sf_kctx *c, sf_tensor **out, sf_dist d) {
  sf_shape s;
  if (sf_tensor_to_shape(c->in[0], &s, c->err) != SF_OK) return c->err->code;
  sf_status st = sf_new_output(c, sf_node_attr(c->node, "dtype")->type, &s, out);
  sf_philox base;
  if (st == SF_OK) st = sf_random_reserve(c, (*out)->n, &base);
  if (st == SF_OK) st = fill(c, d, &base, *out);
  return st;
}

static sf_status normal_kernel(sf_kctx *c, sf_tensor **o) { return philox_op(c, o, SF_DIST_NORMAL); }
static sf_status uniform_kernel(sf_kctx *c, sf_tensor **o) { return philox_op(c, o, SF_DIST_UNIFORM); }
static sf_status truncated_kernel(sf_kctx *c, sf_tensor **o) { return philox_op(c, o, SF_DIST_TRUNCATED_NORMAL); }

#define SEED_ATTRS A_SEED("seed"), A_SEED("seed2"), A_TYPE("dtype", SF_FLOAT32)
#define RANDOM_FLAGS (SF_OPF_STATEFUL | SF_OPF_RANDOM)
/* random_ops.py: ops.NotDifferentiable("RandomStandardNormal" / "TruncatedNormal" /
 * "RandomUniform" / "Multinomial"); stateless_random_ops.py likewise for every Stateless*
 * op here. RandomShuffle and RandomUniformInt are not registered: a LookupError in TF. */
#define NOGRAD_FLAGS (RANDOM_FLAGS | SF_OPF_NO_GRADIENT)

const sf_op_def sf_op_RandomStandardNormal = {"RandomStandardNormal", 1, SF_ATTRS(SEED_ATTRS),
    float_random_shape, normal_kernel, NULL, NOGRAD_FLAGS, "N(0,1) draws; Philox kernel with its own counter"};
const sf_op_def sf_op_RandomUniform = {"RandomUniform", 1, SF_ATTRS(SEED_ATTRS),
    float_random_shape, uniform_kernel, NULL, NOGRAD_FLAGS, "U[0,1) draws; Philox kernel with its own counter"};
const sf_op_def sf_op_TruncatedNormal = {"TruncatedNormal", 1, SF_ATTRS(SEED_ATTRS),
    float_random_shape, truncated_kernel, NULL, NOGRAD_FLAGS, "N(0,1) draws with |x| < 2, by rejection"};

/* RandomUniformInt: inputs shape, minval, maxval (scalars). */
static sf_status uniform_int_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  sf_status st = sf_random_shape(g, n, err);
  if (st != SF_OK) return st;
  if (n->dtype != SF_INT32 && n->dtype != SF_INT64)
    return sf_error_set(err, SF_ETYPE, "attribute 'Tout' must be int32 or int64, got %s", sf_dtype_name(n->dtype));
  for (int i = 1; i <= 2; i++) {
    const sf_node *b = sf_input_node(g, n, i);
    if (b->dtype != n->dtype)
      return sf_error_set(err, SF_ETYPE, "%s must be %s, got %s", i == 1 ? "minval" : "maxval",
                          sf_dtype_name(n->dtype), sf_dtype_name(b->dtype));
    if (b->value && b->value->shape.rank != 0)
      return sf_error_set(err, SF_ESHAPE, "%s must be a scalar", i == 1 ? "minval" : "maxval");
  }
  const sf_node *lo = sf_input_node(g, n, 1), *hi = sf_input_node(g, n, 2);
  if (lo->value && hi->value && !(sf_tensor_get(lo->value, 0) < sf_tensor_get(hi->value, 0)))
    return sf_error_set(err, SF_EINVAL, "need minval < maxval, got %g >= %g", sf_tensor_get(lo->value, 0),
                        sf_tensor_get(hi->value, 0));
  return SF_OK;
}

static sf_status uniform_int_kernel(sf_kctx *c, sf_tensor **out) {
  sf_shape s;
  if (sf_tensor_to_shape(c->in[0], &s, c->err) != SF_OK) return c->err->code;
  sf_dtype t = sf_node_attr(c->node, "Tout")->type;
  if (c->in[1]->n != 1 || c->in[2]->n != 1)
    return sf_error_set(c->err, SF_ESHAPE, "%s: minval and maxval must be scalars", c->node->name);
  int64_t lo = sf_tensor_get_i64(c->in[1], 0);
  int64_t hi = sf_tensor_get_i64(c->in[2], 0);
  sf_status st = sf_new_output(c, t, &s, out);
  if (st == SF_OK && (*out)->n > 0 && lo >= hi)
    st = sf_error_set(c->err, SF_EINVAL, "%s: need minval < maxval, got %" PRId64 " >= %" PRId64, c->node->name, lo, hi);
  sf_philox base;
  if (st == SF_OK) st = sf_random_reserve(c, (*out)->n, &base);
  if (st != SF_OK) return st;
  if (t == SF_INT32) sf_fill_int32(&base, (int32_t)lo, (int32_t)hi, (*out)->data, (*out)->n);
  else sf_fill_int64(&base, lo, hi, (*out)->data, (*out)->n);
  return SF_OK;
}
const sf_op_def sf_op_RandomUniformInt = {"RandomUniformInt", 3,
    SF_ATTRS(A_SEED("seed"), A_SEED("seed2"), A_TYPE("Tout", SF_INT32)),
    uniform_int_shape, uniform_int_kernel, NULL, RANDOM_FLAGS, "integers in [minval, maxval), modulo (no rejection)"};

/* RandomShuffle (random_shuffle_op.cc): rows of input 0 in a Fisher–Yates order. */
sf_status sf_random_shuffle_rows(sf_kctx *c, const int64_t *perm, int64_t rows, sf_tensor **out) {
  const sf_tensor *x = c->in[0];
  sf_status st = sf_new_output(c, x->dtype, &x->shape, out);
  if (st != SF_OK) return st;
  size_t row = rows ? (size_t)(x->n / rows) * sf_dtype_size(x->dtype) : 0;
  for (int64_t i = 0; i < rows; i++)
    memcpy((char *)(*out)->data + (size_t)i * row, (const char *)x->data + (size_t)perm[i] * row, row);
  return SF_OK;
}

static sf_status shuffle_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *x = c->in[0];
  if (x->shape.rank == 0) return sf_error_set(c->err, SF_ESHAPE, "%s: input must be at least a vector", c->node->name);
  int64_t n = x->shape.dims[0];
  if (n <= 1) { /* returned unchanged, nothing reserved */
    *out = sf_tensor_ref(c->in[0]);
    return SF_OK;
  }
  sf_status st = guarded_init(c);
  if (st != SF_OK) return st;
  sf_philox base = c->state->gen;
  uint64_t blocks = sf_shuffle_blocks(n); /* ReserveSamples32(n - 1) */
  sf_philox_skip(&c->state->gen, blocks);
  sf_random_record(c, &base, blocks, -1);
  int64_t *perm = malloc((size_t)n * sizeof *perm);
  if (!perm) return sf_error_set(c->err, SF_ENOMEM, "out of memory");
  sf_shuffle_perm(&base, perm, n);
  st = sf_random_shuffle_rows(c, perm, n, out);
  free(perm);
  return st;
}

static sf_status shuffle_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *x = sf_input_node(g, n, 0);
  n->dtype = x->dtype;
  n->shape = x->shape;
  n->shape_known = x->shape_known;
  if (x->shape_known && x->shape.rank == 0) return sf_error_set(err, SF_ESHAPE, "input must be at least a vector");
  return SF_OK;
}
const sf_op_def sf_op_RandomShuffle = {"RandomShuffle", 1, SF_ATTRS(A_SEED("seed"), A_SEED("seed2")),
    shuffle_shape, shuffle_kernel, NULL, RANDOM_FLAGS, "permutes the rows of its input"};

/* ---- stateless ops: inputs shape and seed (int, shape [2]) ---- */

static sf_status stateless_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  sf_status st = float_random_shape(g, n, err);
  const sf_node *seed = sf_input_node(g, n, 1);
  if (st == SF_OK && seed->dtype != SF_INT32 && seed->dtype != SF_INT64)
    return sf_error_set(err, SF_ETYPE, "seed must be int32 or int64, got %s", sf_dtype_name(seed->dtype));
  if (st == SF_OK && seed->shape_known && (seed->shape.rank != 1 || seed->shape.dims[0] != 2))
    return sf_error_set(err, SF_ESHAPE, "seed must have shape [2]");
  return st;
}

static sf_status stateless_op(sf_kctx *c, sf_tensor **out, sf_dist d) {
  sf_shape s;
  if (sf_tensor_to_shape(c->in[0], &s, c->err) != SF_OK) return c->err->code;
  const sf_tensor *seed = c->in[1];
  if (seed->n != 2) return sf_error_set(c->err, SF_ESHAPE, "%s: seed must have shape [2]", c->node->name);
  int64_t s0 = sf_tensor_get_i64(seed, 0);
  int64_t s1 = sf_tensor_get_i64(seed, 1);
  sf_philox base;
  sf_philox_stateless(&base, (uint64_t)s0, (uint64_t)s1);
  sf_status st = sf_new_output(c, sf_node_attr(c->node, "dtype")->type, &s, out);
  if (st != SF_OK) return st;
  sf_random_record(c, &base, (uint64_t)(*out)->n * 256, -1);
  if (c->rng) {
    c->rng->seed = s0;
    c->rng->seed2 = s1;
    c->rng->seed_source = c->rng->seed2_source = SF_SEED_STATELESS;
  }
  return fill(c, d, &base, *out);
}
static sf_status sl_normal(sf_kctx *c, sf_tensor **o) { return stateless_op(c, o, SF_DIST_NORMAL); }
static sf_status sl_uniform(sf_kctx *c, sf_tensor **o) { return stateless_op(c, o, SF_DIST_UNIFORM); }
static sf_status sl_truncated(sf_kctx *c, sf_tensor **o) { return stateless_op(c, o, SF_DIST_TRUNCATED_NORMAL); }

const sf_op_def sf_op_StatelessRandomNormal = {"StatelessRandomNormal", 2, SF_ATTRS(A_TYPE("dtype", SF_FLOAT32)),
    stateless_shape, sl_normal, NULL, SF_OPF_RANDOM | SF_OPF_NO_GRADIENT, "N(0,1) draws, a pure function of (shape, seed)"};
const sf_op_def sf_op_StatelessRandomUniform = {"StatelessRandomUniform", 2, SF_ATTRS(A_TYPE("dtype", SF_FLOAT32)),
    stateless_shape, sl_uniform, NULL, SF_OPF_RANDOM | SF_OPF_NO_GRADIENT, "U[0,1) draws, a pure function of (shape, seed)"};
const sf_op_def sf_op_StatelessTruncatedNormal = {"StatelessTruncatedNormal", 2, SF_ATTRS(A_TYPE("dtype", SF_FLOAT32)),
    stateless_shape, sl_truncated, NULL, SF_OPF_RANDOM | SF_OPF_NO_GRADIENT, "truncated N(0,1), a pure function of (shape, seed)"};

/* ---- tf.random.Generator: a shared Philox state advanced by N*256 per call
 * (stateful_random_ops.cc UpdateVariableAndFill_Philox) ---- */

sf_status sf_random_generator_take(sf_kctx *c, sf_tensor **out, sf_philox *base) {
  int64_t k = sf_node_attr(c->node, "generator")->i;
  if (!c->rt || k < 0 || k >= c->rt->ngenerators)
    return sf_error_set(c->err, SF_EINVAL, "%s: attribute 'generator' refers to no generator (%" PRId64 ")",
                        c->node->name, k);
  sf_shape s;
  if (sf_tensor_to_shape(c->in[0], &s, c->err) != SF_OK) return c->err->code;
  sf_status st = sf_new_output(c, sf_node_attr(c->node, "dtype")->type, &s, out);
  if (st != SF_OK) return st;
  sf_philox *state = &c->rt->generators[k].state;
  *base = *state;
  sf_philox_skip(state, (uint64_t)(*out)->n * 256);
  sf_random_record(c, base, (uint64_t)(*out)->n * 256, (int)k);
  if (c->rng && c->rt->generators[k].os_entropy) c->rng->seed_source = c->rng->seed2_source = SF_SEED_OS_ENTROPY;
  return SF_OK;
}

static sf_status generator_op(sf_kctx *c, sf_tensor **out, sf_dist d) {
  sf_philox base;
  sf_status st = sf_random_generator_take(c, out, &base);
  return st == SF_OK ? fill(c, d, &base, *out) : st;
}
static sf_status gen_normal(sf_kctx *c, sf_tensor **o) { return generator_op(c, o, SF_DIST_NORMAL); }
static sf_status gen_uniform(sf_kctx *c, sf_tensor **o) { return generator_op(c, o, SF_DIST_UNIFORM); }
static sf_status gen_truncated(sf_kctx *c, sf_tensor **o) { return generator_op(c, o, SF_DIST_TRUNCATED_NORMAL); }

#define SHARED_FLAGS (SF_OPF_STATEFUL | SF_OPF_RANDOM | SF_OPF_SHARED_STREAM)
const sf_op_def sf_op_StatefulStandardNormalV2 = {"StatefulStandardNormalV2", 1,
    SF_ATTRS(A_INT("generator", 0), A_TYPE("dtype", SF_FLOAT32)),
    float_random_shape, gen_normal, NULL, SHARED_FLAGS, "N(0,1) from a tf.random.Generator's shared state"};
const sf_op_def sf_op_StatefulUniform = {"StatefulUniform", 1,
    SF_ATTRS(A_INT("generator", 0), A_TYPE("dtype", SF_FLOAT32)),
    float_random_shape, gen_uniform, NULL, SHARED_FLAGS, "U[0,1) from a tf.random.Generator's shared state"};
const sf_op_def sf_op_StatefulTruncatedNormal = {"StatefulTruncatedNormal", 1,
    SF_ATTRS(A_INT("generator", 0), A_TYPE("dtype", SF_FLOAT32)),
    float_random_shape, gen_truncated, NULL, SHARED_FLAGS, "truncated N(0,1) from a tf.random.Generator's shared state"};

/* ---- NumPy's global legacy stream (mtrand.pyx) ---- */

static void record_mt(sf_kctx *c, uint64_t before) {
  if (!c->rng) return;
  c->rng->present = true;
  c->rng->stream = SF_STREAM_MT19937;
  c->rng->mt_position = before;
  c->rng->generator = -1;
  /* NumPy seeds its global stream from the OS at import: until np.random.seed, draws differ per run */
  if (!c->rt->numpy_seeded) c->rng->seed_source = c->rng->seed2_source = SF_SEED_OS_ENTROPY;
}

static uint64_t mt_words(const sf_runtime *rt) { return rt->numpy_draws; }

static sf_status numpy_dist(sf_kctx *c, sf_tensor **out, bool normal) {
  sf_shape s;
  if (sf_tensor_to_shape(c->in[0], &s, c->err) != SF_OK) return c->err->code;
  sf_status st = sf_new_output(c, SF_FLOAT64, &s, out);
  if (st != SF_OK) return st;
  double a = sf_node_attr(c->node, normal ? "loc" : "low")->f, b = sf_node_attr(c->node, normal ? "scale" : "high")->f;
  uint64_t before = mt_words(c->rt);
  double *v = (*out)->data;
  for (int64_t i = 0; i < (*out)->n; i++)
    v[i] = normal ? sf_np_normal(&c->rt->numpy, a, b) : sf_np_uniform(&c->rt->numpy, a, b);
  c->rt->numpy_draws += (uint64_t)(*out)->n;
  record_mt(c, before);
  if (c->rng) c->rng->blocks = (uint64_t)(*out)->n;
  return SF_OK;
}
static sf_status np_normal(sf_kctx *c, sf_tensor **o) { return numpy_dist(c, o, true); }
static sf_status np_uniform(sf_kctx *c, sf_tensor **o) { return numpy_dist(c, o, false); }

static sf_status np_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  sf_status st = sf_random_shape(g, n, err);
  n->dtype = SF_FLOAT64;
  return st;
}

const sf_op_def sf_op_NumpyRandomNormal = {"NumpyRandomNormal", 1, SF_ATTRS(A_FLOAT("loc", 0), A_FLOAT("scale", 1)),
    np_shape, np_normal, NULL, SHARED_FLAGS, "np.random.normal on NumPy's global legacy stream"};
const sf_op_def sf_op_NumpyRandomUniform = {"NumpyRandomUniform", 1, SF_ATTRS(A_FLOAT("low", 0), A_FLOAT("high", 1)),
    np_shape, np_uniform, NULL, SHARED_FLAGS, "np.random.uniform on NumPy's global legacy stream"};

static sf_status np_shuffle_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *x = c->in[0];
  if (x->shape.rank == 0) return sf_error_set(c->err, SF_ESHAPE, "np.random.shuffle: input must be at least a vector");
  int64_t n = x->shape.dims[0];
  int64_t *perm = malloc((size_t)(n ? n : 1) * sizeof *perm);
  if (!perm) return sf_error_set(c->err, SF_ENOMEM, "out of memory");
  for (int64_t i = 0; i < n; i++) perm[i] = i;
  record_mt(c, mt_words(c->rt));
  sf_np_shuffle_i64(&c->rt->numpy, perm, n);
  c->rt->numpy_draws += n > 1 ? (uint64_t)(n - 1) : 0;
  sf_status st = sf_random_shuffle_rows(c, perm, n, out);
  free(perm);
  return st;
}
const sf_op_def sf_op_NumpyShuffle = {"NumpyShuffle", 1, SF_NO_ATTRS, shuffle_shape, np_shuffle_kernel, NULL,
    SHARED_FLAGS, "np.random.shuffle (rows) on NumPy's global legacy stream"};
