/* random_ext.c — the random family, continued (random.c has the float draws): integer
 * draws of the stateless ops and of tf.random.Generator, categorical sampling (stateful
 * Multinomial and StatelessMultinomial) and StatelessShuffle. Stateless ops scramble their
 * seed pair as the V1 kernels do (GenerateKey), which the V2 path's
 * StatelessRandomGetKeyCounter reproduces bit for bit (keras3 spec §2.2). */
#include "ops_internal.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- shapes ---- */

static sf_status seed_check(const sf_graph *g, const sf_node *n, int input, sf_error *err) {
  const sf_node *seed = sf_input_node(g, n, input);
  if (seed->dtype != SF_INT32 && seed->dtype != SF_INT64)
    return sf_error_set(err, SF_ETYPE, "seed must be int32 or int64, got %s", sf_dtype_name(seed->dtype));
  if (seed->shape_known && (seed->shape.rank != 1 || seed->shape.dims[0] != 2))
    return sf_error_set(err, SF_ESHAPE, "seed must have shape [2]");
  return SF_OK;
}

static sf_status int_out(const sf_node *n, sf_error *err) {
  if (n->dtype != SF_INT32 && n->dtype != SF_INT64)
    return sf_error_set(err, SF_ETYPE, "attribute 'dtype' must be int32 or int64, got %s", sf_dtype_name(n->dtype));
  return SF_OK;
}

/* (shape, seed[, minval, maxval]) -> int dtype; minval/maxval scalars of that dtype. */
static sf_status stateless_int_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  sf_status st = sf_random_shape(g, n, err);
  if (st == SF_OK) st = int_out(n, err);
  if (st == SF_OK) st = seed_check(g, n, 1, err);
  for (int i = 2; st == SF_OK && i < n->ninputs; i++) {
    const sf_node *b = sf_input_node(g, n, i);
    if (b->dtype != n->dtype)
      return sf_error_set(err, SF_ETYPE, "%s must be %s, got %s", i == 2 ? "minval" : "maxval", sf_dtype_name(n->dtype),
                          sf_dtype_name(b->dtype));
    if (b->shape_known && b->shape.rank != 0) return sf_error_set(err, SF_ESHAPE, "%s must be a scalar", i == 2 ? "minval" : "maxval");
  }
  return st;
}

/* A Generator's integer draw: (shape[, minval, maxval]) -> int dtype. */
static sf_status generator_int_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  sf_status st = sf_random_shape(g, n, err);
  return st == SF_OK ? int_out(n, err) : st;
}

/* ---- kernels ---- */

/* The stateless key/counter from input `input` (the seed pair), recorded as the op's seeds. */
static sf_status stateless_base(sf_kctx *c, int input, uint64_t blocks, sf_philox *base) {
  const sf_tensor *seed = c->in[input];
  if (seed->n != 2) return sf_error_set(c->err, SF_ESHAPE, "%s: seed must have shape [2]", c->node->name);
  int64_t s0 = sf_tensor_get_i64(seed, 0), s1 = sf_tensor_get_i64(seed, 1);
  sf_philox_stateless(base, (uint64_t)s0, (uint64_t)s1);
  sf_random_record(c, base, blocks, -1);
  if (c->rng) {
    c->rng->seed = s0;
    c->rng->seed2 = s1;
    c->rng->seed_source = c->rng->seed2_source = SF_SEED_STATELESS;
  }
  return SF_OK;
}

/* UniformFullIntDistribution (random_distributions.h): int32 takes one word per value (4 a
 * block), int64 two, low word first (2 a block); group g uses block g. */
static void fill_full_int(const sf_philox *base, sf_tensor *t) {
  sf_philox p = *base;
  uint32_t w[4];
  for (int64_t i = 0; i < t->n; i++) {
    if (t->dtype == SF_INT32) {
      if (i % 4 == 0) sf_philox_next(&p, w);
      ((int32_t *)t->data)[i] = (int32_t)w[i % 4];
    } else {
      if (i % 2 == 0) sf_philox_next(&p, w);
      int j = (int)(i % 2) * 2;
      ((int64_t *)t->data)[i] = (int64_t)(w[j] | (uint64_t)w[j + 1] << 32);
    }
  }
}

/* UniformDistribution<int> over [lo, hi): lo + bits % (hi - lo) (base spec §4.2). Inputs
 * lo, hi at lo_input, lo_input + 1. */
static sf_status fill_int_range(sf_kctx *c, int lo_input, const sf_philox *base, sf_tensor *t) {
  if (c->in[lo_input]->n != 1 || c->in[lo_input + 1]->n != 1)
    return sf_error_set(c->err, SF_ESHAPE, "%s: minval and maxval must be scalars", c->node->name);
  int64_t lo = sf_tensor_get_i64(c->in[lo_input], 0), hi = sf_tensor_get_i64(c->in[lo_input + 1], 0);
  if (t->n == 0) return SF_OK;
  if (lo >= hi)
    return sf_error_set(c->err, SF_EINVAL, "%s: need minval < maxval, got %" PRId64 " >= %" PRId64, c->node->name, lo, hi);
  if (t->dtype == SF_INT32) sf_fill_int32(base, (int32_t)lo, (int32_t)hi, t->data, t->n);
  else sf_fill_int64(base, lo, hi, t->data, t->n);
  return SF_OK;
}

static sf_status new_shaped(sf_kctx *c, sf_tensor **out) {
  sf_shape s;
  if (sf_tensor_to_shape(c->in[0], &s, c->err) != SF_OK) return c->err->code;
  return sf_new_output(c, sf_node_attr(c->node, "dtype")->type, &s, out);
}

static sf_status sl_int(sf_kctx *c, sf_tensor **out) {
  sf_philox base;
  sf_status st = new_shaped(c, out);
  if (st == SF_OK) st = stateless_base(c, 1, (uint64_t)(*out)->n * 256, &base);
  return st == SF_OK ? fill_int_range(c, 2, &base, *out) : st;
}

static sf_status sl_full_int(sf_kctx *c, sf_tensor **out) {
  sf_philox base;
  sf_status st = new_shaped(c, out);
  if (st == SF_OK) st = stateless_base(c, 1, (uint64_t)(*out)->n * 256, &base);
  if (st == SF_OK) fill_full_int(&base, *out);
  return st;
}

static sf_status gen_int(sf_kctx *c, sf_tensor **out) {
  sf_philox base;
  sf_status st = sf_random_generator_take(c, out, &base);
  return st == SF_OK ? fill_int_range(c, 1, &base, *out) : st;
}

static sf_status gen_full_int(sf_kctx *c, sf_tensor **out) {
  sf_philox base;
  sf_status st = sf_random_generator_take(c, out, &base);
  if (st == SF_OK) fill_full_int(&base, *out);
  return st;
}

#define INT_ATTRS A_TYPE("dtype", SF_INT64)
#define SHARED_FLAGS (SF_OPF_STATEFUL | SF_OPF_RANDOM | SF_OPF_SHARED_STREAM)
const sf_op_def sf_op_StatelessRandomUniformInt = {"StatelessRandomUniformInt", 4, SF_ATTRS(INT_ATTRS),
    stateless_int_shape, sl_int, NULL, SF_OPF_RANDOM | SF_OPF_NO_GRADIENT, "integers in [minval, maxval), a pure function of (shape, seed)"};
const sf_op_def sf_op_StatelessRandomUniformFullInt = {"StatelessRandomUniformFullInt", 2, SF_ATTRS(INT_ATTRS),
    stateless_int_shape, sl_full_int, NULL, SF_OPF_RANDOM | SF_OPF_NO_GRADIENT, "integers over the dtype's whole range, from (shape, seed)"};
const sf_op_def sf_op_StatefulUniformInt = {"StatefulUniformInt", 3, SF_ATTRS(A_INT("generator", 0), INT_ATTRS),
    generator_int_shape, gen_int, NULL, SHARED_FLAGS, "integers in [minval, maxval) from a tf.random.Generator"};
const sf_op_def sf_op_StatefulUniformFullInt = {"StatefulUniformFullInt", 1, SF_ATTRS(A_INT("generator", 0), INT_ATTRS),
    generator_int_shape, gen_full_int, NULL, SHARED_FLAGS, "full-range integers from a tf.random.Generator"};

/* ---- categorical: Multinomial / StatelessMultinomial (multinomial_op.cc) ---- */

/* (logits [batch, classes] float, num_samples int32 scalar[, seed]) -> [batch, num_samples]. */
static sf_status multinomial_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *l = sf_input_node(g, n, 0), *ns = sf_input_node(g, n, 1);
  n->dtype = sf_node_attr(n, "output_dtype")->type;
  if (n->dtype != SF_INT32 && n->dtype != SF_INT64)
    return sf_error_set(err, SF_ETYPE, "attribute 'output_dtype' must be int32 or int64, got %s", sf_dtype_name(n->dtype));
  if (!sf_dtype_is_float(l->dtype)) return sf_error_set(err, SF_ETYPE, "logits must be a float tensor, got %s", sf_dtype_name(l->dtype));
  if (l->shape_known && l->shape.rank != 2) return sf_error_set(err, SF_ESHAPE, "logits should be a matrix, got rank %d", l->shape.rank);
  if (ns->dtype != SF_INT32) return sf_error_set(err, SF_ETYPE, "num_samples must be int32, got %s", sf_dtype_name(ns->dtype));
  if (n->ninputs == 3) {
    sf_status st = seed_check(g, n, 2, err);
    if (st != SF_OK) return st;
  }
  n->shape_known = l->shape_known && ns->value;
  if (n->shape_known) n->shape = (sf_shape){.rank = 2, .dims = {l->shape.dims[0], sf_tensor_get_i64(ns->value, 0)}};
  return SF_OK;
}

/* One shard over all rows (TF shards rows only when batch * cost passes 10000 cycles,
 * work_sharder.cc; seedflow models one shard): the rows share one SimplePhilox stream,
 * each sample u = Uint64ToDouble of two words, out = first j with cdf[j] > u * total. */
static void multinomial_fill(const sf_philox *base, const sf_tensor *logits, int64_t ns, sf_tensor *out, double *cdf) {
  int64_t batch = logits->shape.dims[0], classes = logits->shape.dims[1];
  sf_philox p = *base;
  uint32_t w[4];
  int used = 4;
  for (int64_t b = 0; b < batch; b++) {
    double mx = -INFINITY; /* max over finite logits, in the logits' type */
    for (int64_t j = 0; j < classes; j++) {
      double l = sf_tensor_get(logits, b * classes + j);
      if (isfinite(l) && l > mx) mx = l;
    }
    double total = 0;
    for (int64_t j = 0; j < classes; j++) {
      double l = sf_tensor_get(logits, b * classes + j);
      if (isfinite(l)) total += exp(l - mx);
      cdf[j] = total;
    }
    for (int64_t s = 0; s < ns; s++) {
      uint32_t x[2];
      for (int k = 0; k < 2; k++) {
        if (used == 4) sf_philox_next(&p, w), used = 0;
        x[k] = w[used++];
      }
      double find = sf_uint64_to_double(x[0], x[1]) * total;
      int64_t lo = 0, hi = classes; /* std::upper_bound */
      while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (cdf[mid] > find) hi = mid;
        else lo = mid + 1;
      }
      sf_tensor_set(out, b * ns + s, (double)lo);
    }
  }
}

static sf_status multinomial_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *logits = c->in[0];
  if (logits->shape.rank != 2) return sf_error_set(c->err, SF_ESHAPE, "%s: logits should be a matrix", c->node->name);
  if (c->in[1]->n != 1) return sf_error_set(c->err, SF_ESHAPE, "%s: num_samples should be a scalar", c->node->name);
  int64_t ns = sf_tensor_get_i64(c->in[1], 0), batch = logits->shape.dims[0], classes = logits->shape.dims[1];
  if (ns < 0) return sf_error_set(c->err, SF_EINVAL, "%s: num_samples should be nonnegative, got %" PRId64, c->node->name, ns);
  if (classes <= 0) return sf_error_set(c->err, SF_EINVAL, "%s: num_classes should be positive, got %" PRId64, c->node->name, classes);
  sf_shape s = {.rank = 2, .dims = {batch, ns}};
  sf_status st = sf_new_output(c, sf_node_attr(c->node, "output_dtype")->type, &s, out);
  if (st != SF_OK || (*out)->n == 0) return st;
  /* CPU: doubles, two words a sample: ReserveRandomOutputs(batch * ceil4(ns) * 2, 256) */
  int64_t reserve = batch * ((ns + 3) / 4 * 4) * 2;
  sf_philox base;
  if (c->nin == 3) st = stateless_base(c, 2, (uint64_t)reserve * 256, &base);
  else st = sf_random_reserve(c, reserve, &base);
  if (st != SF_OK) return st;
  double *cdf = malloc((size_t)classes * sizeof *cdf);
  if (!cdf) return sf_error_set(c->err, SF_ENOMEM, "out of memory");
  multinomial_fill(&base, logits, ns, *out, cdf);
  free(cdf);
  return SF_OK;
}

const sf_op_def sf_op_Multinomial = {"Multinomial", 2,
    SF_ATTRS(A_SEED("seed"), A_SEED("seed2"), A_TYPE("output_dtype", SF_INT64)),
    multinomial_shape, multinomial_kernel, NULL, SF_OPF_STATEFUL | SF_OPF_RANDOM | SF_OPF_NO_GRADIENT,
    "class indices drawn from logits; Philox kernel with its own counter"};
const sf_op_def sf_op_StatelessMultinomial = {"StatelessMultinomial", 3, SF_ATTRS(A_TYPE("output_dtype", SF_INT64)),
    multinomial_shape, multinomial_kernel, NULL, SF_OPF_RANDOM | SF_OPF_NO_GRADIENT, "class indices from logits, a pure function of the seed"};

/* ---- StatelessShuffle (stateless_shuffle_op.cc): RandomShuffle's Fisher–Yates on the
 * stateless key/counter ---- */

static sf_status sl_shuffle_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  sf_shape_copy(n, sf_input_node(g, n, 0));
  if (n->shape_known && n->shape.rank == 0) return sf_error_set(err, SF_ESHAPE, "input must be at least a vector");
  return seed_check(g, n, 1, err);
}

static sf_status sl_shuffle(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *x = c->in[0];
  if (x->shape.rank == 0) return sf_error_set(c->err, SF_ESHAPE, "%s: input must be at least a vector", c->node->name);
  int64_t n = x->shape.dims[0];
  sf_philox base;
  sf_status st = stateless_base(c, 1, n > 1 ? sf_shuffle_blocks(n) : 0, &base);
  if (st != SF_OK) return st;
  int64_t *perm = malloc((size_t)(n ? n : 1) * sizeof *perm);
  if (!perm) return sf_error_set(c->err, SF_ENOMEM, "out of memory");
  sf_shuffle_perm(&base, perm, n);
  st = sf_random_shuffle_rows(c, perm, n, out);
  free(perm);
  return st;
}

const sf_op_def sf_op_StatelessShuffle = {"StatelessShuffle", 2, SF_NO_ATTRS, sl_shuffle_shape, sl_shuffle, NULL,
    SF_OPF_RANDOM, "permutes the rows of its input, a pure function of the seed"};
