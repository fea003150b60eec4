/* api_activations.c — activation functions: tf.nn.elu/selu/softplus/softsign, tf.math.softplus
 * and softsign, tf.exp, tf.keras.activations.*, and a Keras layer's activation= argument (a
 * name from Keras's table, an activation function, or any Python callable), applied the way
 * keras/activations.py (TF 2.4) applies it: one op each, elu with alpha != 1 through
 * where_v2(x > 0, res, alpha * res) (keras/backend.py elu). */
#include "interp.h"
#include "py.h"
#include "value.h"

#include <string.h>

/* The names Keras resolves (activations.get -> deserialize): the op each creates. A row
 * whose op is not registered is a located "unsupported activation" error. */
static const struct {
  const char *name;
  const char *op; /* NULL: the identity (linear) */
} acts[] = {
    {"linear", NULL},        {"relu", "Relu"},         {"sigmoid", "Sigmoid"},   {"tanh", "Tanh"},
    {"softmax", "Softmax"}, /* nn.softmax on the last axis of a rank >= 2 input (activations.softmax) */
    {"elu", "Elu"},          {"selu", "Selu"},         {"softplus", "Softplus"}, {"softsign", "Softsign"},
    {"exponential", "Exp"},
};
enum { NACTS = sizeof acts / sizeof acts[0], ACT_CALLABLE = -1 };

static bool op_known(const char *op) { return !op || sf_op_lookup(op); }

sf_status sf_keras_act_resolve(sf_interp *I, const sf_args *a, const char *fname, const sf_val *v, sf_keras_act *out) {
  *out = (sf_keras_act){.kind = 0};
  if (v->kind == V_NONE) return SF_OK;
  /* tf.keras.activations.softmax and kin (a path here) are the activations by that name */
  const char *name = v->kind == V_STR ? v->s : NULL;
  if ((v->kind == V_MODULE || v->kind == V_BUILTIN) && v->s && strncmp(v->s, "tf.keras.activations.", 21) == 0) name = v->s + 21;
  if (name) {
    for (int i = 0; i < NACTS; i++)
      if (strcmp(name, acts[i].name) == 0 && op_known(acts[i].op)) return out->kind = i, SF_OK;
    if (v->kind == V_STR) return sf_arg_error(I, a, SF_EINVAL, "%s: unsupported activation '%s'", fname, v->s);
  }
  if (v->kind == V_BUILTIN || sf_is(v, O_FUNC) || sf_is(v, O_BOUND) || sf_is(v, O_NATIVE) || sf_is(v, O_INST)) {
    out->kind = ACT_CALLABLE;
    out->fn = *v;
    return sf_py_keep(I, v); /* the layer keeps it till the run ends */
  }
  return sf_arg_error(I, a, SF_ETYPE, "%s: activation must be a name such as 'relu' or a callable", fname);
}

/* keras/activations.py softmax and sigmoid (tf.keras 2.4+; Keras 3's backend/tensorflow/nn.py
 * too) cache their input on the output, `output._keras_logits = x`, which the cross-entropies
 * take as the logits (api_keras_loss.c). In the eager frame the output then holds a handle
 * on the logits (engine/exec.c release): `internal` logits, made by the same call (a layer's
 * MatMul or BiasAdd, a list converted to a tensor), are counted from now on with that one
 * handle; logits with handles of their own get one more; pinned ones (a program's tensor)
 * stay. Internal logits that cannot be counted (a stateful op's, whose value the call drops)
 * are not cached. */
static void mark_logits(sf_interp *I, sf_node *n, bool internal) {
  if ((strcmp(n->op->name, "Softmax") != 0 && strcmp(n->op->name, "Sigmoid") != 0) || n->ninputs != 1) return;
  if (I->ctx.graph == I->E.g && sf_eager_releases_tensors(&I->E)) {
    int x = n->inputs[0];
    if (I->E.rc[x - 1] >= 0) sf_eager_hold(&I->E, x);
    else if (internal && !sf_eager_count(&I->E, x)) return;
  }
  n->keras_logits = true;
}

sf_status sf_keras_act_apply(sf_interp *I, const sf_keras_act *act, int x, int *y) {
  *y = x;
  if (act->kind == ACT_CALLABLE) { /* called on the layer's output tensor (Dense.call) */
    sf_val in, r = {0};
    sf_b_tensor_val(I, x, &in);
    int64_t calls = I->py_calls;
    sf_status st = sf_py_call1(I, &act->fn, &in, &r);
    if (st != SF_OK || (st = sf_b_tensor_take(I, &r, SF_FLOAT32, "activation", NULL, y)) != SF_OK) return st;
    /* a Keras softmax or sigmoid the function applied to the layer's own output caches it as
     * the logits (mark_logits saw a pinned input, a program's tensor for all it knew): unless
     * program code that may have kept it ran, the layer releases its nodes after the call, so
     * the output holds that one handle on it */
    sf_node *n = sf_graph_node(I->ctx.graph, *y);
    if (n && n->keras_logits && n->ninputs == 1 && n->inputs[0] == x && I->py_calls == calls && I->ctx.graph == I->E.g &&
        sf_eager_releases_tensors(&I->E) && I->E.rc[x - 1] == SF_EAGER_PINNED)
      sf_eager_count(&I->E, x);
    return SF_OK;
  }
  const char *op = acts[act->kind].op;
  if (!op) return SF_OK;
  sf_node *n;
  sf_status st = sf_b_op(I, op, op, &x, 1, NULL, &n);
  if (st == SF_OK) *y = n->id, mark_logits(I, n, true); /* x: the layer's own MatMul or BiasAdd */
  return st;
}

/* ---- the functions ---- */

/* op(x) on the bound argument x (no op: x itself), named `name`; errors name fname(). */
static sf_status op1(sf_interp *I, const sf_args *a, const char *fname, const char *pname, const sf_val *xv, const char *name,
                     const char *op, sf_val *out) {
  int x;
  sf_node *n;
  sf_status st = sf_b_tensor(I, xv, -1, pname, a->call, &x);
  if (st != SF_OK) return st;
  if (!op) return sf_b_tensor_val(I, x, out), SF_OK;
  if ((st = sf_b_op(I, op, name, &x, 1, NULL, &n)) != SF_OK) return sf_arg_rethrow(I, a, "%s()", fname);
  sf_b_tensor_val(I, n->id, out);
  return SF_OK;
}

static sf_status unary(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, const char *pname, const char *op) {
  char params[32];
  snprintf(params, sizeof params, "%s name", pname);
  SF_BIND(fname, params, 2);
  if ((st = sf_arg_need(I, a, fname, pname, g[0])) != SF_OK) return st;
  return op1(I, a, fname, pname, &v[0], v[1].kind == V_STR ? v[1].s : op, op, out);
}

static sf_status api_elu(sf_interp *I, const sf_args *a, sf_val *out) { return unary(I, a, out, "elu", "features", "Elu"); }
static sf_status api_selu(sf_interp *I, const sf_args *a, sf_val *out) { return unary(I, a, out, "selu", "features", "Selu"); }
static sf_status api_softplus(sf_interp *I, const sf_args *a, sf_val *out) {
  return unary(I, a, out, "softplus", "features", "Softplus");
}
static sf_status api_softsign(sf_interp *I, const sf_args *a, sf_val *out) {
  return unary(I, a, out, "softsign", "features", "Softsign");
}
static sf_status api_exp(sf_interp *I, const sf_args *a, sf_val *out) { return unary(I, a, out, "exp", "x", "Exp"); }
static sf_status api_log(sf_interp *I, const sf_args *a, sf_val *out) { return unary(I, a, out, "log", "x", "Log"); }
static sf_status api_log1p(sf_interp *I, const sf_args *a, sf_val *out) { return unary(I, a, out, "log1p", "x", "Log1p"); }
static sf_status api_reciprocal(sf_interp *I, const sf_args *a, sf_val *out) {
  return unary(I, a, out, "reciprocal", "x", "Reciprocal");
}

/* math_ops.sigmoid, tanh and sign (tf., tf.math., tf.nn. for the first two): in the name
 * scope of the op's name (or name), x converted as "x", the op the scope's own name. */
static sf_status scoped_unary(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, const char *op) {
  SF_BIND(fname, "x name", 2);
  if ((st = sf_arg_need(I, a, fname, "x", g[0])) != SF_OK) return st;
  const char *saved, *scope = sf_b_scope_push(I, v[1].kind == V_STR ? v[1].s : op, &saved);
  if (!scope) return sf_py_oom(I);
  int x;
  st = sf_b_tensor(I, &v[0], -1, "x", a->call, &x);
  sf_b_scope_pop(I, saved);
  sf_node *n;
  if (st == SF_OK && sf_b_op_scope(I, op, scope, &x, 1, NULL, &n) != SF_OK) st = sf_arg_rethrow(I, a, "%s()", fname);
  if (st == SF_OK) sf_b_tensor_val(I, n->id, out);
  return st;
}
static sf_status api_sigmoid(sf_interp *I, const sf_args *a, sf_val *out) { return scoped_unary(I, a, out, "sigmoid", "Sigmoid"); }
static sf_status api_tanh(sf_interp *I, const sf_args *a, sf_val *out) { return scoped_unary(I, a, out, "tanh", "Tanh"); }
static sf_status api_sign(sf_interp *I, const sf_args *a, sf_val *out) { return scoped_unary(I, a, out, "sign", "Sign"); }

/* math_ops.round: x converted as "x" (no scope); an integer tensor is returned as it is,
 * a float one goes through Round (half to even). */
static sf_status api_round(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("round", "x name", 2);
  if ((st = sf_arg_need(I, a, "round", "x", g[0])) != SF_OK) return st;
  int x;
  if ((st = sf_b_tensor(I, &v[0], -1, "x", a->call, &x)) != SF_OK) return st;
  sf_node *n;
  if (sf_dtype_is_float(sf_graph_node(I->ctx.graph, x)->dtype)) {
    if ((st = sf_b_op(I, "Round", v[1].kind == V_STR ? v[1].s : "Round", &x, 1, NULL, &n)) != SF_OK)
      return sf_arg_rethrow(I, a, "round()");
    x = n->id;
  }
  return sf_b_tensor_val(I, x, out), SF_OK;
}

/* tf.keras.activations.<name>(x): the op Keras's function creates. */
static sf_status keras_fn(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, const char *op) {
  SF_BIND(fname, "x", 1);
  if ((st = sf_arg_need(I, a, fname, "x", g[0])) != SF_OK) return st;
  int first = I->ctx.graph->n; /* x converted here (a list, a number) is the call's own */
  if ((st = op1(I, a, fname, "x", &v[0], op, op, out)) == SF_OK && op && out->kind == V_TENSOR && out->g == I->ctx.graph) {
    sf_node *n = sf_graph_node(I->ctx.graph, out->node);
    mark_logits(I, n, n->ninputs == 1 && n->inputs[0] > first);
  }
  return st;
}
static sf_status k_linear(sf_interp *I, const sf_args *a, sf_val *out) { return keras_fn(I, a, out, "linear", NULL); }
static sf_status k_sigmoid(sf_interp *I, const sf_args *a, sf_val *out) { return keras_fn(I, a, out, "sigmoid", "Sigmoid"); }
static sf_status k_tanh(sf_interp *I, const sf_args *a, sf_val *out) { return keras_fn(I, a, out, "tanh", "Tanh"); }
static sf_status k_selu(sf_interp *I, const sf_args *a, sf_val *out) { return keras_fn(I, a, out, "selu", "Selu"); }
static sf_status k_softplus(sf_interp *I, const sf_args *a, sf_val *out) { return keras_fn(I, a, out, "softplus", "Softplus"); }
static sf_status k_softsign(sf_interp *I, const sf_args *a, sf_val *out) { return keras_fn(I, a, out, "softsign", "Softsign"); }
static sf_status k_exponential(sf_interp *I, const sf_args *a, sf_val *out) { return keras_fn(I, a, out, "exponential", "Exp"); }

/* activations.relu(x, alpha=0., max_value=None, threshold=0): the defaults are nn.relu
 * (backend.relu); the other forms are not modelled. */
static sf_status k_relu(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("relu", "x alpha max_value threshold", 4);
  double alpha = 0, thr = 0;
  if ((g[1] && (st = sf_arg_float(I, a, "relu", "alpha", &v[1], &alpha)) != SF_OK) ||
      (g[3] && (st = sf_arg_float(I, a, "relu", "threshold", &v[3], &thr)) != SF_OK))
    return st;
  if (alpha != 0 || thr != 0 || (g[2] && v[2].kind != V_NONE))
    return sf_arg_error(I, a, SF_EINVAL, "relu: unsupported: alpha, max_value or threshold other than the defaults");
  sf_args one = *a;
  one.nkw = 0;
  one.npos = 1;
  one.pos = v;
  return keras_fn(I, &one, out, "relu", "Relu");
}

/* activations.elu(x, alpha=1.0) -> backend.elu: nn.elu(x); alpha != 1 then
 * where_v2(x > 0, res, alpha * res). */
static sf_status k_elu(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("elu", "x alpha", 2);
  if ((st = sf_arg_need(I, a, "elu", "x", g[0])) != SF_OK) return st;
  double alpha = 1;
  if (g[1] && (st = sf_arg_float(I, a, "elu", "alpha", &v[1], &alpha)) != SF_OK) return st;
  int x, zero, al;
  sf_node *res, *gt, *mul, *sel;
  if ((st = sf_b_tensor(I, &v[0], SF_FLOAT32, "x", a->call, &x)) != SF_OK) return st;
  if ((st = sf_b_op(I, "Elu", "Elu", &x, 1, NULL, &res)) != SF_OK) return sf_arg_rethrow(I, a, "elu()");
  if (alpha == 1) return sf_b_tensor_val(I, res->id, out), SF_OK;
  sf_val zv = {.kind = V_FLOAT, .f = 0}, av = {.kind = V_FLOAT, .f = alpha};
  if ((st = sf_b_tensor(I, &zv, SF_FLOAT32, "Greater/y", NULL, &zero)) == SF_OK &&
      (st = sf_b_op(I, "Greater", "Greater", (int[]){x, zero}, 2, NULL, &gt)) == SF_OK &&
      (st = sf_b_tensor(I, &av, SF_FLOAT32, "mul/x", NULL, &al)) == SF_OK &&
      (st = sf_b_op(I, "Mul", "mul", (int[]){al, res->id}, 2, NULL, &mul)) == SF_OK)
    st = sf_b_op(I, "SelectV2", "SelectV2", (int[]){gt->id, res->id, mul->id}, 3, NULL, &sel);
  if (st != SF_OK) return sf_arg_rethrow(I, a, "elu()");
  sf_b_tensor_val(I, sel->id, out);
  return SF_OK;
}

static const struct {
  const char *path;
  sf_builtin_fn fn;
} api[] = {
    {"tf.sigmoid", api_sigmoid},
    {"tf.nn.sigmoid", api_sigmoid},
    {"tf.math.sigmoid", api_sigmoid},
    {"tf.tanh", api_tanh},
    {"tf.nn.tanh", api_tanh},
    {"tf.math.tanh", api_tanh},
    {"tf.sign", api_sign},
    {"tf.math.sign", api_sign},
    {"tf.round", api_round},
    {"tf.math.round", api_round},
    {"tf.nn.elu", api_elu},
    {"tf.nn.selu", api_selu},
    {"tf.nn.softplus", api_softplus},
    {"tf.math.softplus", api_softplus},
    {"tf.nn.softsign", api_softsign},
    {"tf.math.softsign", api_softsign},
    {"tf.exp", api_exp},
    {"tf.math.exp", api_exp},
    {"tf.math.log", api_log},
    {"tf.log", api_log}, /* TF 1.x: tf_export(v1=["math.log", "log"]) */
    {"tf.math.log1p", api_log1p},
    {"tf.log1p", api_log1p},
    {"tf.math.reciprocal", api_reciprocal},
    {"tf.keras.activations.linear", k_linear},
    {"tf.keras.activations.relu", k_relu},
    {"tf.keras.activations.sigmoid", k_sigmoid},
    {"tf.keras.activations.tanh", k_tanh},
    {"tf.keras.activations.elu", k_elu},
    {"tf.keras.activations.selu", k_selu},
    {"tf.keras.activations.softplus", k_softplus},
    {"tf.keras.activations.softsign", k_softsign},
    {"tf.keras.activations.exponential", k_exponential},
};

bool sf_act_has(sf_builtin_fn fn) {
  for (size_t i = 0; i < sizeof api / sizeof api[0]; i++)
    if (api[i].fn == fn) return true;
  return false;
}

sf_builtin_fn sf_act_lookup(const char *path) {
  for (size_t i = 0; i < sizeof api / sizeof api[0]; i++)
    if (strcmp(api[i].path, path) == 0) return api[i].fn;
  return NULL;
}
