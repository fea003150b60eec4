/* ops_internal.h — helpers shared by the op family files: attribute table macros and
 * small shape/kernel utilities. */
#ifndef SEEDFLOW_OPS_INTERNAL_H
#define SEEDFLOW_OPS_INTERNAL_H

#include "engine/graph.h"

#define SF_ATTRS(...) ((const sf_attr_def[]){__VA_ARGS__}), \
  (int)(sizeof((const sf_attr_def[]){__VA_ARGS__}) / sizeof(sf_attr_def))
#define SF_NO_ATTRS NULL, 0

#define A_INT(n, v) {n, SF_ATTR_INT, {.i = (v)}, false}
#define A_FLOAT(n, v) {n, SF_ATTR_FLOAT, {.f = (v)}, false}
#define A_BOOL(n, v) {n, SF_ATTR_BOOL, {.b = (v)}, false}
#define A_TYPE(n, v) {n, SF_ATTR_TYPE, {.type = (v)}, false}
#define A_SEED(n) {n, SF_ATTR_SEED, {.i = 0}, false}
#define A_SHAPE(n) {n, SF_ATTR_SHAPE, {.shape = {0}}, false}

static inline const sf_node *sf_input_node(const sf_graph *g, const sf_node *n, int i) {
  return sf_graph_node(g, n->inputs[i]);
}
/* n's output dtype and shape are those of node `from`. */
static inline void sf_shape_copy(sf_node *n, const sf_node *from) {
  n->dtype = from->dtype;
  n->shape = from->shape;
  n->shape_known = from->shape_known;
}
/* The int values of a constant 1-D (or scalar) int tensor input as a shape, or the shape
 * of t when the input is Shape(t) (-1 for t's dimensions known only at run time); false
 * when the input is neither. */
bool sf_const_shape(const sf_graph *g, const sf_node *n, int input, sf_shape *out, sf_error *err, sf_status *st);
/* Output shape from the constant shape input 0, dtype that of input k (Fill, StridedSliceGrad). */
static inline sf_status sf_shape_from_input0(const sf_graph *g, sf_node *n, int k, sf_error *err) {
  sf_status st;
  n->dtype = sf_input_node(g, n, k)->dtype;
  n->shape_known = sf_const_shape(g, n, 0, &n->shape, err, &st);
  return st;
}
/* Shape functions shared by several ops: output like input 0; like a float input 0;
 * from the node's 'dtype' and 'shape' attributes. */
sf_status sf_shape_same_as_input(const sf_graph *g, sf_node *n, sf_error *err);
sf_status sf_shape_same_float(const sf_graph *g, sf_node *n, sf_error *err);
sf_status sf_shape_from_attrs(const sf_graph *g, sf_node *n, sf_error *err);
/* A shape from a 1-D int tensor (random ops' shape input). */
sf_status sf_tensor_to_shape(const sf_tensor *t, sf_shape *out, sf_error *err);
sf_status sf_new_output(sf_kctx *c, sf_dtype dtype, const sf_shape *shape, sf_tensor **out);
/* A copy of input 0's elements with another shape of as many (Reshape, ExpandDims, Squeeze). */
sf_status sf_output_reshaped(sf_kctx *c, const sf_shape *shape, sf_tensor **out);
/* Threads a big kernel may shard over (sf_run_options.intra_op_threads; 0: every CPU). */
int sf_kctx_threads(const sf_kctx *c);

/* ---- the random family's shared pieces (random.c; used by random_ext.c) ---- */
/* Output dtype from 'dtype'/'Tout', shape from the constant shape input 0. */
sf_status sf_random_shape(const sf_graph *g, sf_node *n, sf_error *err);
/* Fills ctx->rng: a Philox stream from base, blocks reserved, generator index or -1. */
void sf_random_record(sf_kctx *c, const sf_philox *base, uint64_t blocks, int generator);
/* GuardedPhiloxRandom::ReserveRandomOutputs(n, 256): the kernel's generator before the
 * call in *base, then n*256 blocks skipped (the kernel seeded on first use). */
sf_status sf_random_reserve(sf_kctx *c, int64_t n, sf_philox *base);
/* out[i] = row perm[i] of input 0. */
sf_status sf_random_shuffle_rows(sf_kctx *c, const int64_t *perm, int64_t rows, sf_tensor **out);
/* A tf.random.Generator draw: the output (shape input 0, attribute 'dtype'), the
 * generator's state before the call in *base, the state advanced by N*256 blocks. */
sf_status sf_random_generator_take(sf_kctx *c, sf_tensor **out, sf_philox *base);

/* ---- building gradient nodes (gradient rules in each family file) ---- */
static inline sf_status sf_g_op(const sf_builder *b, const char *op, const int *in, int nin, const sf_attr_value *attrs,
                                int *out) {
  return b->op(b->ctx, op, NULL, in, nin, attrs, out);
}
static inline const sf_node *sf_g_node(const sf_builder *b, int id) { return sf_graph_node(b->graph(b->ctx), id); }
/* A scalar constant of dtype dt. */
sf_status sf_g_scalar(const sf_builder *b, sf_dtype dt, double v, int *out);
/* An int32 vector constant. */
sf_status sf_g_ints(const sf_builder *b, const int64_t *v, int n, int *out);
/* Sums dy over the axes along which `target` was broadcast, then reshapes it to target's
 * shape (BroadcastGradientArgs + Sum + Reshape in math_grad.py). */
sf_status sf_g_unbroadcast(const sf_builder *b, int dy, const sf_node *target, int *out);
/* A reduction's axes (an int tensor, negative from the end) as a mask over in's rank and
 * the reduced shape (reduced dimensions kept as 1 when keep). */
sf_status sf_reduction_shape(const sf_tensor *axes, const sf_shape *in, bool keep, bool mask[SF_MAX_RANK], sf_shape *out,
                             sf_error *err);
/* The output element that input element i (row-major in `in`) reduces into. */
int64_t sf_reduced_index(const sf_shape *in, const bool mask[SF_MAX_RANK], int64_t i);
/* Sums x over the masked axes into out (already shaped) in the run's accumulation order. */
sf_status sf_reduce_sum(sf_kctx *c, const sf_tensor *x, const bool mask[SF_MAX_RANK], sf_tensor *out);
/* Elementwise binary ops with NumPy broadcasting (math.c): both inputs of one dtype; the
 * output that dtype, or bool when out_type is SF_BOOL; g (NULL: f) for integer dtypes. */
sf_status sf_shape_binary(const sf_graph *g, sf_node *n, sf_error *err);
sf_status sf_binary_map(sf_kctx *c, sf_tensor **out, double (*f)(double, double), int64_t (*g)(int64_t, int64_t),
                        sf_dtype out_type);
/* out = f(x) elementwise, same dtype and shape. */
sf_status sf_unary_map(sf_kctx *c, sf_tensor **out, double (*f)(double));

#endif
