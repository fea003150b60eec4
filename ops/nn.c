/* nn.c — the layer family: BiasAdd, Relu, Sigmoid, Tanh and their gradient kernels, with
 * the gradient rules of nn_grad.py / math_grad.py next to them. Float32 results are
 * computed in double and rounded once where that is exact; see each kernel. */
#include "ops_internal.h"

#include <math.h>
#include <string.h>

sf_status sf_unary_map(sf_kctx *c, sf_tensor **out, double (*f)(double)) {
  sf_status st = sf_new_output(c, c->in[0]->dtype, &c->in[0]->shape, out);
  for (int64_t i = 0; st == SF_OK && i < (*out)->n; i++) sf_tensor_set(*out, i, f(sf_tensor_get(c->in[0], i)));
  return st;
}

sf_status sf_shape_same_float(const sf_graph *g, sf_node *n, sf_error *err) {
  const sf_node *x = sf_input_node(g, n, 0);
  if (!sf_dtype_is_float(x->dtype)) return sf_error_set(err, SF_ETYPE, "needs a float input, got %s", sf_dtype_name(x->dtype));
  n->dtype = x->dtype;
  n->shape = x->shape;
  n->shape_known = x->shape_known;
  return SF_OK;
}

/* ---- BiasAdd: x[..., n] + b[n] ---- */

static sf_status bias_add_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  sf_status st = sf_shape_same_float(g, n, err);
  const sf_node *x = sf_input_node(g, n, 0), *b = sf_input_node(g, n, 1);
  if (st != SF_OK) return st;
  if (b->dtype != x->dtype) return sf_error_set(err, SF_ETYPE, "dtype mismatch: %s vs %s", sf_dtype_name(x->dtype), sf_dtype_name(b->dtype));
  if (x->shape_known && b->shape_known &&
      (b->shape.rank != 1 || x->shape.rank < 1 || x->shape.dims[x->shape.rank - 1] != b->shape.dims[0]))
    return sf_error_set(err, SF_ESHAPE, "bias must be a vector as long as the last dimension of x");
  return SF_OK;
}

static sf_status bias_add_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *x = c->in[0], *b = c->in[1];
  if (b->shape.rank != 1 || x->shape.rank < 1 || x->shape.dims[x->shape.rank - 1] != b->shape.dims[0])
    return sf_error_set(c->err, SF_ESHAPE, "%s: bias must be a vector as long as the last dimension of x", c->node->name);
  sf_status st = sf_new_output(c, x->dtype, &x->shape, out);
  int64_t k = b->n;
  for (int64_t i = 0; st == SF_OK && i < x->n; i++) sf_tensor_set(*out, i, sf_tensor_get(x, i) + sf_tensor_get(b, i % k));
  return st;
}

static sf_status bias_add_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) {
  (void)n;
  dx[0] = dy;
  return sf_g_op(b, "BiasAddGrad", &dy, 1, NULL, &dx[1]);
}
const sf_op_def sf_op_BiasAdd = {"BiasAdd", 2, SF_NO_ATTRS, bias_add_shape, bias_add_kernel, bias_add_grad, 0,
                                 "x + bias along the last dimension"};

/* BiasAddGrad: the sum of dy over every axis but the last, in row order. */
static sf_status bias_add_grad_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  sf_status st = sf_shape_same_float(g, n, err);
  if (st == SF_OK && n->shape_known) n->shape = (sf_shape){.rank = 1, .dims = {n->shape.dims[n->shape.rank - 1]}};
  return st;
}

static sf_status bias_add_grad_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *dy = c->in[0];
  if (dy->shape.rank < 1) return sf_error_set(c->err, SF_ESHAPE, "%s: input must be at least a vector", c->node->name);
  sf_shape s = {.rank = 1, .dims = {dy->shape.dims[dy->shape.rank - 1]}};
  sf_status st = sf_new_output(c, dy->dtype, &s, out);
  bool f32 = dy->dtype == SF_FLOAT32;
  for (int64_t i = 0; st == SF_OK && i < dy->n; i++) {
    int64_t j = i % s.dims[0];
    double v = sf_tensor_get(*out, j) + sf_tensor_get(dy, i);
    sf_tensor_set(*out, j, f32 ? (float)v : v);
  }
  return st;
}
const sf_op_def sf_op_BiasAddGrad = {"BiasAddGrad", 1, SF_NO_ATTRS, bias_add_grad_shape, bias_add_grad_kernel, NULL, 0,
                                     "sum over all but the last dimension"};

/* ---- activations ---- */

static double relu(double x) { return x > 0 ? x : 0; }
static double sigmoid64(double x) { return 1 / (1 + exp(-x)); }

static sf_status relu_kernel(sf_kctx *c, sf_tensor **out) { return sf_unary_map(c, out, relu); }

/* Sigmoid and Tanh of float32 are computed in float (expf/tanhf) so the result does not
 * depend on a double detour; TF's Eigen kernels use their own polynomial approximations,
 * so these last bits are seedflow's, not TensorFlow's. */
static sf_status sigmoid_kernel(sf_kctx *c, sf_tensor **out) {
  if (c->in[0]->dtype != SF_FLOAT32) return sf_unary_map(c, out, sigmoid64);
  sf_status st = sf_new_output(c, SF_FLOAT32, &c->in[0]->shape, out);
  const float *x = c->in[0]->data;
  float *y = st == SF_OK ? (*out)->data : NULL;
  for (int64_t i = 0; y && i < (*out)->n; i++) y[i] = 1.0f / (1.0f + expf(-x[i]));
  return st;
}

static sf_status tanh_kernel(sf_kctx *c, sf_tensor **out) {
  if (c->in[0]->dtype != SF_FLOAT32) return sf_unary_map(c, out, tanh);
  sf_status st = sf_new_output(c, SF_FLOAT32, &c->in[0]->shape, out);
  const float *x = c->in[0]->data;
  float *y = st == SF_OK ? (*out)->data : NULL;
  for (int64_t i = 0; y && i < (*out)->n; i++) y[i] = tanhf(x[i]);
  return st;
}

/* The activation grads take (dy, y): nn_grad.py passes the op's output. */
static sf_status act_grad(const sf_builder *b, const sf_node *n, int dy, int *dx, const char *grad_op) {
  return sf_g_op(b, grad_op, (int[]){dy, n->id}, 2, NULL, &dx[0]);
}
static sf_status relu_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) { return act_grad(b, n, dy, dx, "ReluGrad"); }
static sf_status sigmoid_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) { return act_grad(b, n, dy, dx, "SigmoidGrad"); }
static sf_status tanh_grad(const sf_builder *b, const sf_node *n, int dy, int *dx) { return act_grad(b, n, dy, dx, "TanhGrad"); }

const sf_op_def sf_op_Relu = {"Relu", 1, SF_NO_ATTRS, sf_shape_same_float, relu_kernel, relu_grad, 0, "max(x, 0)"};
const sf_op_def sf_op_Sigmoid = {"Sigmoid", 1, SF_NO_ATTRS, sf_shape_same_float, sigmoid_kernel, sigmoid_grad, 0, "1 / (1 + exp(-x))"};
const sf_op_def sf_op_Tanh = {"Tanh", 1, SF_NO_ATTRS, sf_shape_same_float, tanh_kernel, tanh_grad, 0, "tanh(x)"};

/* Gradient kernels: inputs (dy, y), elementwise, each product rounded as TF's float ops. */
static sf_status grad_kernel(sf_kctx *c, sf_tensor **out, int which) {
  const sf_tensor *dy = c->in[0], *y = c->in[1];
  if (!sf_shape_equal(&dy->shape, &y->shape)) return sf_error_set(c->err, SF_ESHAPE, "%s: dy and y shapes differ", c->node->name);
  sf_status st = sf_new_output(c, dy->dtype, &dy->shape, out);
  bool f32 = dy->dtype == SF_FLOAT32;
  for (int64_t i = 0; st == SF_OK && i < dy->n; i++) {
    double g = sf_tensor_get(dy, i), v = sf_tensor_get(y, i), r;
    if (which == 0) r = v > 0 ? g : 0;                                     /* ReluGrad */
    else if (which == 1) r = f32 ? (float)((float)(g * v) * (float)(1 - v)) : g * v * (1 - v); /* dy*y*(1-y) */
    else r = f32 ? (float)(g * (float)(1 - (float)(v * v))) : g * (1 - v * v); /* dy*(1-y^2) */
    sf_tensor_set(*out, i, r);
  }
  return st;
}
static sf_status relu_grad_kernel(sf_kctx *c, sf_tensor **o) { return grad_kernel(c, o, 0); }
static sf_status sigmoid_grad_kernel(sf_kctx *c, sf_tensor **o) { return grad_kernel(c, o, 1); }
static sf_status tanh_grad_kernel(sf_kctx *c, sf_tensor **o) { return grad_kernel(c, o, 2); }

const sf_op_def sf_op_ReluGrad = {"ReluGrad", 2, SF_NO_ATTRS, sf_shape_same_float, relu_grad_kernel, NULL, 0, "dy where y > 0"};
const sf_op_def sf_op_SigmoidGrad = {"SigmoidGrad", 2, SF_NO_ATTRS, sf_shape_same_float, sigmoid_grad_kernel, NULL, 0, "dy * y * (1 - y)"};
const sf_op_def sf_op_TanhGrad = {"TanhGrad", 2, SF_NO_ATTRS, sf_shape_same_float, tanh_grad_kernel, NULL, 0, "dy * (1 - y * y)"};

/* ---- _FusedMatMul: MatMul + bias add (+ activation), made by the fuse pass ---- */

static sf_node part(const sf_kctx *c, const char *op, int nin) {
  sf_node n = *c->node;
  n.op = sf_op_lookup(op);
  n.ninputs = nin;
  return n;
}

static sf_status run_part(sf_kctx *c, const sf_node *n, sf_tensor *const *in, sf_tensor **out) {
  sf_kctx k = *c;
  k.node = n;
  k.in = in;
  k.nin = n->ninputs;
  if (!n->op) return sf_error_set(c->err, SF_ENAME, "%s: fused op refers to an unknown op", c->node->name);
  return n->op->kernel(&k, out);
}

/* MatMul's attributes are the first two of _FusedMatMul's, so the MatMul kernel reads
 * transpose_a/transpose_b from the fused node's attribute array unchanged. */
static sf_status fused_kernel(sf_kctx *c, sf_tensor **out) {
  const char *bias_op = sf_node_attr(c->node, "bias_op")->s, *act = sf_node_attr(c->node, "activation")->s;
  sf_node mm = part(c, "MatMul", 2), bias = part(c, bias_op ? bias_op : "AddV2", 2);
  sf_node fn = part(c, act && *act ? act : "Identity", 1);
  sf_tensor *y = NULL, *z = NULL;
  sf_status st = run_part(c, &mm, c->in, &y);
  if (st == SF_OK) st = run_part(c, &bias, (sf_tensor *[]){y, c->in[2]}, &z);
  if (st == SF_OK && act && *act) st = run_part(c, &fn, &z, out);
  else if (st == SF_OK) *out = sf_tensor_ref(z);
  sf_tensor_unref(y);
  sf_tensor_unref(z);
  return st;
}

static sf_status fused_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  sf_node mm = *n;
  mm.op = sf_op_lookup("MatMul");
  mm.ninputs = 2;
  sf_status st = mm.op->shape(g, &mm, err);
  n->dtype = mm.dtype;
  n->shape = mm.shape;
  n->shape_known = mm.shape_known;
  return st;
}

const sf_op_def sf_op__FusedMatMul = {"_FusedMatMul", 3,
    ((const sf_attr_def[]){{"transpose_a", SF_ATTR_BOOL, {.b = false}, false},
                           {"transpose_b", SF_ATTR_BOOL, {.b = false}, false},
                           {"bias_op", SF_ATTR_STRING, {.s = "AddV2"}, false},
                           {"activation", SF_ATTR_STRING, {.s = ""}, false}}), 4,
    fused_shape, fused_kernel, NULL, SF_OPF_EXPENSIVE, "MatMul + bias add (+ activation) as one node (made by the fuse pass)"};
