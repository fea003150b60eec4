/* ops_internal.h — helpers shared by the op family files: attribute table macros and
 * small shape/kernel utilities. */
#ifndef SEEDFLOW_OPS_INTERNAL_H
#define SEEDFLOW_OPS_INTERNAL_H

#include "../engine/graph.h"

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
/* The int values of a constant 1-D (or scalar) int tensor input as a shape; false when the
 * input is not a known constant. */
bool sf_const_shape(const sf_graph *g, const sf_node *n, int input, sf_shape *out, sf_error *err, sf_status *st);
/* A shape from a 1-D int tensor (random ops' shape input). */
sf_status sf_tensor_to_shape(const sf_tensor *t, sf_shape *out, sf_error *err);
sf_status sf_new_output(sf_kctx *c, sf_dtype dtype, const sf_shape *shape, sf_tensor **out);

#endif
