/* optim_ext.c — the optimizer updates beyond plain SGD: ResourceApplyAdam (use_nesterov),
 * ResourceApplyMomentum, ResourceApplyKerasMomentum, ResourceApplyRMSProp,
 * ResourceApplyAdagradV2, and Pow, which the Keras optimizers' bias corrections build
 * (optimizer_v2/adam.py _prepare_local: math_ops.pow(beta_1_t, local_step)).
 *
 * The arithmetic is the CPU functors' of tensorflow/core/kernels/training_ops.cc (TF
 * 2.4): each Eigen expression evaluated element by element in float32, in the order the
 * expression is written, one rounding per operation (Eigen's expression templates never
 * fuse a multiply and an add; TF's CPU builds do not contract). Square roots are
 * correctly rounded: numext::sqrt of a scalar is std::sqrt; a packet's psqrt is
 * _mm_sqrt_ps / _mm256_sqrt_ps except in Eigen builds with EIGEN_FAST_MATH's older
 * rsqrt-plus-Newton psqrt (README "Fidelity, and its limits").
 *
 * A resource input of TF's op (var, m, v, accum, ms, mom) is an attribute here, the
 * index of the run's resource variable, as for ResourceApplyGradientDescent (optim.c).
 * Every new value is computed before any is stored, so the result does not depend on the
 * order of the stores. The op's output is the variable's new value. */
#include "ops_internal.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

enum { MAX_SLOTS = 3 };

/* The float32 tensors an update reads: slots[0] is the variable, the rest its slot
 * variables (attribute names in names[]); fresh copies to write in upd[]. */
typedef struct update {
  int64_t k[MAX_SLOTS];
  const float *old[MAX_SLOTS];
  sf_tensor *upd[MAX_SLOTS];
  float *w[MAX_SLOTS];
  int n;
  int64_t len;
} update;

static sf_status begin_update(sf_kctx *c, const char *const *names, int n, int grad_input, update *u) {
  memset(u, 0, sizeof *u);
  u->n = n;
  const sf_tensor *grad = c->in[grad_input];
  for (int i = 0; i < n; i++) {
    int64_t k = sf_node_attr(c->node, names[i])->i;
    if (!c->rt || k < 0 || k >= c->rt->nvars)
      return sf_error_set(c->err, SF_EINVAL, "%s: attribute '%s' refers to no variable (%" PRId64 ")", c->node->name,
                          names[i], k);
    const sf_tensor *t = c->rt->vars[k];
    if (!t) return sf_error_set(c->err, SF_EINVAL, "%s: variable %" PRId64 " is not initialized", c->node->name, k);
    if (t->dtype != SF_FLOAT32)
      return sf_error_set(c->err, SF_ETYPE, "%s: only float32 variables are supported, '%s' is %s", c->node->name,
                          names[i], sf_dtype_name(t->dtype));
    if (!sf_shape_equal(&t->shape, &grad->shape) || grad->dtype != SF_FLOAT32)
      return sf_error_set(c->err, SF_ESHAPE, "%s: %s and grad do not have the same shape", c->node->name, names[i]);
    u->k[i] = k;
    u->old[i] = t->data;
  }
  for (int i = 0; i < c->nin; i++)
    if (i != grad_input && (c->in[i]->n != 1 || c->in[i]->dtype != SF_FLOAT32))
      return sf_error_set(c->err, SF_ESHAPE, "%s: input %d is not a float32 scalar", c->node->name, i);
  u->len = grad->n;
  for (int i = 0; i < n; i++) {
    if (!(u->upd[i] = sf_tensor_new(SF_FLOAT32, &grad->shape, c->err))) return c->err->code;
    u->w[i] = u->upd[i]->data;
  }
  return SF_OK;
}

/* Stores the new values (the variables keep their references) and returns the variable. */
static sf_status end_update(sf_kctx *c, update *u, sf_status st, sf_tensor **out) {
  for (int i = 0; i < u->n; i++) {
    if (st == SF_OK) {
      sf_tensor_unref(c->rt->vars[u->k[i]]);
      c->rt->vars[u->k[i]] = sf_tensor_ref(u->upd[i]);
    }
    if (i == 0 && st == SF_OK) *out = sf_tensor_ref(u->upd[0]);
    sf_tensor_unref(u->upd[i]);
  }
  return st;
}

static float scalar(const sf_kctx *c, int i) { return ((const float *)c->in[i]->data)[0]; }

/* The updated variable has the gradient's (input gi's) shape. */
static sf_status grad_shape(const sf_graph *g, sf_node *n, int gi) {
  sf_shape_copy(n, sf_input_node(g, n, gi));
  return SF_OK;
}

/* ---- ResourceApplyAdam: inputs beta1_power beta2_power lr beta1 beta2 epsilon grad ---- */

/* ApplyAdamNonCuda: alpha = lr * sqrt(1 - beta2_power) / (1 - beta1_power) once, in T;
 * then m += (g - m) * (1 - beta1); v += (g^2 - v) * (1 - beta2);
 * var -= (m * alpha) / (sqrt(v) + epsilon), or with use_nesterov
 * var -= ((g * (1 - beta1) + beta1 * m) * alpha) / (sqrt(v) + epsilon). */
static sf_status adam_kernel(sf_kctx *c, sf_tensor **out) {
  static const char *const names[] = {"var", "m", "v"};
  update u;
  sf_status st = begin_update(c, names, 3, 6, &u);
  if (st == SF_OK) {
    float b1p = scalar(c, 0), b2p = scalar(c, 1), lr = scalar(c, 2), b1 = scalar(c, 3), b2 = scalar(c, 4),
          eps = scalar(c, 5);
    const float *g = c->in[6]->data;
    float alpha = lr * sqrtf(1.0f - b2p) / (1.0f - b1p);
    float one_b1 = 1.0f - b1, one_b2 = 1.0f - b2;
    bool nesterov = sf_node_attr(c->node, "use_nesterov")->b;
    for (int64_t i = 0; i < u.len; i++) {
      float m = u.old[1][i] + (g[i] - u.old[1][i]) * one_b1;
      float v = u.old[2][i] + (g[i] * g[i] - u.old[2][i]) * one_b2;
      float num = nesterov ? (g[i] * one_b1 + b1 * m) * alpha : m * alpha;
      u.w[0][i] = u.old[0][i] - num / (sqrtf(v) + eps);
      u.w[1][i] = m;
      u.w[2][i] = v;
    }
  }
  return end_update(c, &u, st, out);
}
static sf_status adam_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  (void)err;
  return grad_shape(g, n, 6);
}
const sf_op_def sf_op_ResourceApplyAdam = {"ResourceApplyAdam", 7,
    SF_ATTRS(A_INT("var", 0), A_INT("m", 0), A_INT("v", 0), A_BOOL("use_locking", false), A_BOOL("use_nesterov", false)),
    adam_shape, adam_kernel, NULL, SF_OPF_STATEFUL, "Adam step on var with slots m, v (training_ops.cc ApplyAdam)"};

/* ---- momentum: inputs lr grad momentum ---- */

/* ApplyMomentum (tf.compat.v1.train.MomentumOptimizer): accum = accum * momentum + grad;
 * var -= accum * lr, or with use_nesterov var -= grad * lr + accum * momentum * lr.
 * ApplyKerasMomentum (Keras SGD): accum = accum * momentum - grad * lr; var += accum, or
 * with use_nesterov var += accum * momentum - grad * lr. */
static sf_status momentum_update(sf_kctx *c, sf_tensor **out, bool keras) {
  static const char *const names[] = {"var", "accum"};
  update u;
  sf_status st = begin_update(c, names, 2, 1, &u);
  if (st == SF_OK) {
    float lr = scalar(c, 0), mom = scalar(c, 2);
    const float *g = c->in[1]->data;
    bool nesterov = sf_node_attr(c->node, "use_nesterov")->b;
    for (int64_t i = 0; i < u.len; i++) {
      float var = u.old[0][i], acc;
      if (keras) {
        acc = u.old[1][i] * mom - g[i] * lr;
        var = nesterov ? var + (acc * mom - g[i] * lr) : var + acc;
      } else {
        acc = u.old[1][i] * mom + g[i];
        var = nesterov ? var - (g[i] * lr + acc * mom * lr) : var - acc * lr;
      }
      u.w[0][i] = var;
      u.w[1][i] = acc;
    }
  }
  return end_update(c, &u, st, out);
}
static sf_status momentum_kernel(sf_kctx *c, sf_tensor **out) { return momentum_update(c, out, false); }
static sf_status keras_momentum_kernel(sf_kctx *c, sf_tensor **out) { return momentum_update(c, out, true); }
static sf_status momentum_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  (void)err;
  return grad_shape(g, n, 1);
}
const sf_op_def sf_op_ResourceApplyMomentum = {"ResourceApplyMomentum", 3,
    SF_ATTRS(A_INT("var", 0), A_INT("accum", 0), A_BOOL("use_locking", false), A_BOOL("use_nesterov", false)),
    momentum_shape, momentum_kernel, NULL, SF_OPF_STATEFUL, "accum = accum * momentum + grad; var -= accum * lr"};
const sf_op_def sf_op_ResourceApplyKerasMomentum = {"ResourceApplyKerasMomentum", 3,
    SF_ATTRS(A_INT("var", 0), A_INT("accum", 0), A_BOOL("use_locking", false), A_BOOL("use_nesterov", false)),
    momentum_shape, keras_momentum_kernel, NULL, SF_OPF_STATEFUL, "accum = accum * momentum - grad * lr; var += accum"};

/* ---- ResourceApplyRMSProp: inputs lr rho momentum epsilon grad ---- */

/* ApplyRMSProp: ms += (grad^2 - ms) * (1 - rho);
 * mom = mom * momentum + (grad * lr) / sqrt(ms + epsilon); var -= mom. */
static sf_status rmsprop_kernel(sf_kctx *c, sf_tensor **out) {
  static const char *const names[] = {"var", "ms", "mom"};
  update u;
  sf_status st = begin_update(c, names, 3, 4, &u);
  if (st == SF_OK) {
    float lr = scalar(c, 0), rho = scalar(c, 1), momentum = scalar(c, 2), eps = scalar(c, 3);
    const float *g = c->in[4]->data;
    float one_rho = 1.0f - rho;
    for (int64_t i = 0; i < u.len; i++) {
      float ms = u.old[1][i] + (g[i] * g[i] - u.old[1][i]) * one_rho;
      float mom = u.old[2][i] * momentum + (g[i] * lr) / sqrtf(ms + eps);
      u.w[0][i] = u.old[0][i] - mom;
      u.w[1][i] = ms;
      u.w[2][i] = mom;
    }
  }
  return end_update(c, &u, st, out);
}
static sf_status rmsprop_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  (void)err;
  return grad_shape(g, n, 4);
}
const sf_op_def sf_op_ResourceApplyRMSProp = {"ResourceApplyRMSProp", 5,
    SF_ATTRS(A_INT("var", 0), A_INT("ms", 0), A_INT("mom", 0), A_BOOL("use_locking", false)),
    rmsprop_shape, rmsprop_kernel, NULL, SF_OPF_STATEFUL, "RMSProp step with slots ms, mom (training_ops.cc ApplyRMSProp)"};

/* ---- ResourceApplyAdagradV2: inputs lr epsilon grad ---- */

/* ApplyAdagradV2: accum += grad^2 (update_slots); var -= grad * lr / (sqrt(accum) + epsilon). */
static sf_status adagrad_kernel(sf_kctx *c, sf_tensor **out) {
  static const char *const names[] = {"var", "accum"};
  update u;
  sf_status st = begin_update(c, names, 2, 2, &u);
  if (st == SF_OK) {
    float lr = scalar(c, 0), eps = scalar(c, 1);
    const float *g = c->in[2]->data;
    bool slots = sf_node_attr(c->node, "update_slots")->b;
    for (int64_t i = 0; i < u.len; i++) {
      float acc = slots ? u.old[1][i] + g[i] * g[i] : u.old[1][i];
      u.w[0][i] = u.old[0][i] - g[i] * lr / (sqrtf(acc) + eps);
      u.w[1][i] = acc;
    }
  }
  return end_update(c, &u, st, out);
}
static sf_status adagrad_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  (void)err;
  return grad_shape(g, n, 2);
}
const sf_op_def sf_op_ResourceApplyAdagradV2 = {"ResourceApplyAdagradV2", 3,
    SF_ATTRS(A_INT("var", 0), A_INT("accum", 0), A_BOOL("use_locking", false), A_BOOL("update_slots", true)),
    adagrad_shape, adagrad_kernel, NULL, SF_OPF_STATEFUL, "accum += grad^2; var -= grad * lr / (sqrt(accum) + epsilon)"};

/* ---- Pow: x ** y for float32 with scalar broadcasting ---- */

/* cwise_op_pow.cc: functor::pow, Eigen's scalar_pow_op, numext::pow(float, float) =
 * std::pow(float, float), the C library's powf. The optimizers raise scalars, which Eigen
 * evaluates on its scalar path (a packet pow of a larger tensor may round differently;
 * not modelled). Shapes: equal, or one side a scalar. */
static sf_status pow_kernel(sf_kctx *c, sf_tensor **out) {
  const sf_tensor *x = c->in[0], *y = c->in[1];
  if (x->dtype != y->dtype || (x->dtype != SF_FLOAT32 && x->dtype != SF_FLOAT64))
    return sf_error_set(c->err, SF_ETYPE, "%s: Pow takes two float32 or two float64 tensors", c->node->name);
  if (!(x->n == 1 || y->n == 1 || sf_shape_equal(&x->shape, &y->shape)))
    return sf_error_set(c->err, SF_ESHAPE, "%s: Pow broadcasts only a scalar", c->node->name);
  const sf_tensor *big = x->n == 1 ? y : x;
  sf_status st = sf_new_output(c, x->dtype, &big->shape, out);
  for (int64_t i = 0; st == SF_OK && i < big->n; i++) {
    double a = sf_tensor_get(x, x->n == 1 ? 0 : i), b = sf_tensor_get(y, y->n == 1 ? 0 : i);
    sf_tensor_set(*out, i, x->dtype == SF_FLOAT32 ? (double)powf((float)a, (float)b) : pow(a, b));
  }
  return st;
}
static sf_status pow_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  (void)err;
  const sf_node *x = sf_input_node(g, n, 0), *y = sf_input_node(g, n, 1);
  sf_shape_copy(n, x->shape_known && x->shape.rank == 0 ? y : x);
  return SF_OK;
}
const sf_op_def sf_op_Pow = {"Pow", 2, SF_NO_ATTRS, pow_shape, pow_kernel, NULL, 0, "x ** y elementwise (powf)"};

/* ---- TF1 reference-variable forms: ApplyGradientDescent, ApplyMomentum, ApplyAdam ----
 * The same functors on VariableV2 inputs (tf.compat.v1.train optimizers on RefVariables):
 * input 0 (and the slots at inputs 1, 2) are VariableV2 nodes whose states the kernel
 * writes (SF_OPF_REF_VARS); the other inputs are as in the Resource forms. */

/* Copies the ref inputs' current values into u (as begin_update does for resource
 * variables), with a temporary runtime table so the shared kernels run unchanged. */
static sf_status ref_update(sf_kctx *c, sf_status (*kernel)(sf_kctx *, sf_tensor **), const char *const *names,
                            int nref, sf_tensor **out) {
  sf_tensor *vars[MAX_SLOTS] = {0};
  for (int k = 0; k < nref; k++) {
    if (!c->ref_vars || !c->ref_vars[k])
      return sf_error_set(c->err, SF_EGRAPH, "%s: input %d must be a variable", c->node->name, k);
    if (!(vars[k] = c->ref_vars[k]->value))
      return sf_error_set(c->err, SF_EINVAL, "Attempting to use uninitialized value %s", names[k]);
  }
  sf_runtime rt = {0};
  if (c->rt) rt = *c->rt;
  rt.vars = vars;
  rt.nvars = nref;
  sf_attr_value attrs[8];
  sf_node node = *c->node;
  const sf_op_def *d = c->node->op;
  for (int i = 0; i < d->nattrs && i < 8; i++) attrs[i] = c->node->attrs[i];
  for (int k = 0; k < nref; k++) attrs[sf_attr_index(d, names[k])].i = k;
  node.attrs = attrs;
  sf_kctx sub = *c;
  sub.node = &node;
  sub.rt = &rt;
  sub.in = c->in + nref;
  sub.nin = c->nin - nref;
  sf_status st = kernel(&sub, out);
  for (int k = 0; st == SF_OK && k < nref; k++) c->ref_vars[k]->value = vars[k]; /* the new references */
  return st;
}

static sf_status apply_gd_kernel(sf_kctx *c, sf_tensor **out) {
  sf_tensor *var = c->ref_vars ? (c->ref_vars[0] ? c->ref_vars[0]->value : NULL) : NULL;
  if (!c->ref_vars || !c->ref_vars[0]) return sf_error_set(c->err, SF_EGRAPH, "%s: input 0 must be a variable", c->node->name);
  if (!var) return sf_error_set(c->err, SF_EINVAL, "Attempting to use uninitialized value var");
  const sf_tensor *alpha = c->in[1], *delta = c->in[2];
  if (var->dtype != SF_FLOAT32 || !sf_shape_equal(&var->shape, &delta->shape) || delta->dtype != SF_FLOAT32 || alpha->n != 1)
    return sf_error_set(c->err, SF_ESHAPE, "%s: var and delta do not have the same shape (float32)", c->node->name);
  sf_tensor *nv = sf_tensor_new(SF_FLOAT32, &var->shape, c->err);
  if (!nv) return c->err->code;
  float a = ((const float *)alpha->data)[0];
  const float *g = delta->data, *v = var->data;
  for (int64_t i = 0; i < var->n; i++) ((float *)nv->data)[i] = v[i] - g[i] * a; /* var -= grad * lr() */
  sf_tensor_unref(var);
  c->ref_vars[0]->value = nv;
  *out = sf_tensor_ref(nv);
  return SF_OK;
}
static sf_status apply_momentum_ref(sf_kctx *c, sf_tensor **out) {
  static const char *const names[] = {"var", "accum"};
  return ref_update(c, momentum_kernel, names, 2, out);
}
static sf_status apply_adam_ref(sf_kctx *c, sf_tensor **out) {
  static const char *const names[] = {"var", "m", "v"};
  return ref_update(c, adam_kernel, names, 3, out);
}
static sf_status ref_shape(const sf_graph *g, sf_node *n, sf_error *err) {
  (void)err;
  sf_shape_copy(n, sf_input_node(g, n, 0));
  return SF_OK;
}
const sf_op_def sf_op_ApplyGradientDescent = {"ApplyGradientDescent", 3, SF_ATTRS(A_BOOL("use_locking", false)),
    ref_shape, apply_gd_kernel, NULL, SF_OPF_STATEFUL | SF_OPF_REF_VARS, "var -= alpha * delta on a TF1 variable"};
const sf_op_def sf_op_ApplyMomentum = {"ApplyMomentum", 5,
    SF_ATTRS(A_INT("var", 0), A_INT("accum", 0), A_BOOL("use_locking", false), A_BOOL("use_nesterov", false)),
    ref_shape, apply_momentum_ref, NULL, SF_OPF_STATEFUL | SF_OPF_REF_VARS, "ApplyMomentum on TF1 variables var, accum"};
const sf_op_def sf_op_ApplyAdam = {"ApplyAdam", 10,
    SF_ATTRS(A_INT("var", 0), A_INT("m", 0), A_INT("v", 0), A_BOOL("use_locking", false), A_BOOL("use_nesterov", false)),
    ref_shape, apply_adam_ref, NULL, SF_OPF_STATEFUL | SF_OPF_REF_VARS, "ApplyAdam on TF1 variables var, m, v"};

/* AssignAdd (global_step += 1): ref += value, in the variable's dtype. */
static sf_status assign_add_kernel(sf_kctx *c, sf_tensor **out) {
  if (!c->ref_vars || !c->ref_vars[0]) return sf_error_set(c->err, SF_EGRAPH, "%s: input 0 must be a variable", c->node->name);
  sf_tensor *var = c->ref_vars[0]->value;
  if (!var) return sf_error_set(c->err, SF_EINVAL, "Attempting to use uninitialized value %s", c->node->name);
  const sf_tensor *x = c->in[1];
  if (x->dtype != var->dtype || !(x->n == var->n))
    return sf_error_set(c->err, SF_ESHAPE, "%s: value does not match the variable", c->node->name);
  sf_tensor *nv = sf_tensor_new(var->dtype, &var->shape, c->err);
  if (!nv) return c->err->code;
  for (int64_t i = 0; i < var->n; i++) {
    if (var->dtype == SF_INT64) ((int64_t *)nv->data)[i] = ((const int64_t *)var->data)[i] + ((const int64_t *)x->data)[i];
    else if (var->dtype == SF_FLOAT32) ((float *)nv->data)[i] = ((const float *)var->data)[i] + ((const float *)x->data)[i];
    else sf_tensor_set(nv, i, sf_tensor_get(var, i) + sf_tensor_get(x, i));
  }
  sf_tensor_unref(var);
  c->ref_vars[0]->value = nv;
  *out = sf_tensor_ref(nv);
  return SF_OK;
}
const sf_op_def sf_op_AssignAdd = {"AssignAdd", 2, SF_ATTRS(A_BOOL("use_locking", false)), ref_shape, assign_add_kernel,
    NULL, SF_OPF_STATEFUL | SF_OPF_REF_VARS, "ref += value on a TF1 variable (global_step)"};
