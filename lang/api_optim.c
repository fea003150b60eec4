/* api_optim.c — Keras optimizers as TF 2.4's OptimizerV2 builds them
 * (tensorflow/python/keras/optimizer_v2/{optimizer_v2,gradient_descent,adam,nadam,
 * rmsprop,adagrad}.py): SGD (momentum, nesterov), Adam, Nadam, RMSprop, Adagrad, their
 * string names in compile, and the update they add for a list of (gradient, variable).
 *
 * apply_gradients, per OptimizerV2: under init_scope (lifted to the eager context while a
 * function is traced; in a TF1 graph, in the graph) the `iter` variable (int64 0), one
 * float32 variable per hyperparameter and the slots are created once, at the first apply;
 * then _prepare_local's coefficient ops, one update per variable with a gradient, and
 * iterations.assign_add(1). Plain SGD (no momentum) keeps the two-op form seedflow always
 * built (a Const learning rate, one ResourceApplyGradientDescent per variable; its values
 * are TF's and its graphs unchanged).
 *
 * Profiles: tf1 (TF 1.15, whose Keras resolves names to these classes too) and tf2 (TF
 * 2.2-2.9 share this OptimizerV2). TF 2.11+ made tf.keras.optimizers.* the new Keras
 * optimizer (different float rounding: `1 - self.beta_1` in Python double); under tf2.10
 * and keras3 only plain SGD (same bits) and tf.keras.optimizers.legacy.* (OptimizerV2)
 * are modelled; the rest is a located error naming the gap. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_control.h"
#include "interp.h"
#include "py.h"
#include "value.h"

typedef enum opt_kind { OPT_SGD, OPT_ADAM, OPT_NADAM, OPT_RMSPROP, OPT_ADAGRAD, OPT_TF1_GD, OPT_TF1_MOMENTUM, OPT_TF1_ADAM } opt_kind;

typedef struct slot_rec {
  int var;
  int s[2];                /* Adam/Nadam m, v; SGD momentum; RMSprop rms, momentum; Adagrad accumulator */
} slot_rec;

typedef struct sf_optim {
  opt_kind kind;
  const char *cls;         /* "Adam" */
  double lr, momentum, beta1, beta2, eps, rho, init_acc;
  bool nesterov;
  bool created;
  int iter;                /* the `iter` variable */
  int h_lr, h_a, h_b;      /* hyper variables: learning_rate; beta_1/momentum/rho; beta_2/momentum */
  int m_cache;             /* Nadam's momentum_cache */
  const sf_graph *graph;   /* TF1: the graph whose VariableV2 nodes h_a, h_b and slots name */
  bool use_locking;
  slot_rec *slots;
  int nslots;
} sf_optim;

struct sf_optims {
  sf_optim *o;
  int n;
};

static sf_status oom(sf_interp *I) { return sf_error_set(I->err, SF_ENOMEM, "out of memory"); }

static sf_optim *optim_of(sf_interp *I, const sf_val *v) {
  return I->optims && v->kind == V_OPTIMIZER && v->index >= 0 && v->index < I->optims->n ? &I->optims->o[v->index] : NULL;
}

static sf_status new_optim(sf_interp *I, const sf_optim *o, sf_val *out) {
  if (!I->optims && !(I->optims = sf_arena_alloc(&I->arena, sizeof *I->optims))) return oom(I);
  struct sf_optims *t = I->optims;
  if (!(t->n & (t->n - 1))) { /* capacity: the next power of two */
    sf_optim *no = sf_arena_grow(&I->arena, t->o, (size_t)t->n, (size_t)(t->n ? 2 * t->n : 4), sizeof *no);
    if (!no) return oom(I);
    t->o = no;
  }
  t->o[t->n] = *o;
  *out = (sf_val){.kind = V_OPTIMIZER, .f = o->lr, .index = t->n++};
  return SF_OK;
}

/* ---- constructors ---- */

/* tf2.10 / keras3: the new optimizer (TF 2.11+) is not modelled beyond plain SGD. */
static sf_status new_optimizer_gap(sf_interp *I, const sf_args *a, const char *cls) {
  if (I->opt.profile != SF_PROFILE_TF210 && I->opt.profile != SF_PROFILE_KERAS3) return SF_OK;
  return sf_arg_error(I, a, SF_ENAME,
                      "unsupported: tf.keras.optimizers.%s in profile %s (TF 2.11+'s new Keras optimizer is not "
                      "modelled; tf.keras.optimizers.legacy.%s is TF 2.4's OptimizerV2, as in profile tf2)",
                      cls, sf_profile_name(I->opt.profile), cls);
}

/* OptimizerV2.__init__'s **kwargs: lr (an alias), decay (0 only), clipnorm / clipvalue /
 * global_clipnorm (None only). v[0] is learning_rate, kw[0..4] those five. */
static sf_status common_kwargs(sf_interp *I, const sf_args *a, const char *cls, sf_val *v, const bool *g,
                               const sf_val *kw, const bool *kg, double *lr) {
  static const char *const clip[] = {"clipnorm", "clipvalue", "global_clipnorm"};
  sf_status st = SF_OK;
  if (kg[0]) v[0] = kw[0];
  if ((g[0] || kg[0]) && v[0].kind != V_NONE && (st = sf_arg_float(I, a, cls, "learning_rate", &v[0], lr)) != SF_OK)
    return st;
  double decay = 0;
  if (kg[1] && (st = sf_arg_float(I, a, cls, "decay", &kw[1], &decay)) != SF_OK) return st;
  if (decay != 0) return sf_arg_error(I, a, SF_ENAME, "unsupported: %s(decay=...) (a decayed learning rate)", cls);
  for (int i = 0; i < 3; i++)
    if (kg[2 + i] && kw[2 + i].kind != V_NONE) return sf_arg_error(I, a, SF_ENAME, "unsupported: %s(%s=...)", cls, clip[i]);
  return SF_OK;
}

#define KW " lr decay clipnorm clipvalue global_clipnorm"

static sf_status sgd(sf_interp *I, const sf_args *a, sf_val *out, bool legacy) {
  SF_BIND("SGD", "learning_rate momentum nesterov name" KW, 9);
  sf_optim o = {.kind = OPT_SGD, .cls = "SGD", .lr = 0.01};
  if ((st = common_kwargs(I, a, "SGD", v, g, v + 4, g + 4, &o.lr)) != SF_OK) return st;
  if (g[1] && v[1].kind != V_NONE && (st = sf_arg_float(I, a, "SGD", "momentum", &v[1], &o.momentum)) != SF_OK) return st;
  if (o.momentum < 0 || o.momentum > 1) /* gradient_descent.py __init__ */
    return sf_py_raise(I, a->call, BC_VALUEERR, "`momentum` must be between [0, 1].");
  o.nesterov = g[2] && sf_truthy(I, &v[2]);
  if (!legacy && (o.momentum != 0 || o.nesterov) && (st = new_optimizer_gap(I, a, "SGD")) != SF_OK) return st;
  /* Keras 2.11+'s and Keras 3's optimizers make their iteration variable in __init__, under
   * init_scope (keras/optimizers/optimizer.py _BaseOptimizer._create_iteration_variable;
   * Keras 3 optimizers/base_optimizer.py __init__): eagerly outside a TF1 graph, which
   * initializes TF's eager context. */
  if (!legacy && sf_keras_version(I) >= 21100 && I->opt.mode != SF_MODE_GRAPH) I->tf_context_started = true;
  return new_optim(I, &o, out);
}
static sf_status api_sgd(sf_interp *I, const sf_args *a, sf_val *out) { return sgd(I, a, out, false); }
static sf_status api_legacy_sgd(sf_interp *I, const sf_args *a, sf_val *out) { return sgd(I, a, out, true); }

/* Adam / Nadam (learning_rate beta_1 beta_2 epsilon [amsgrad] name). */
static sf_status adam_like(sf_interp *I, const sf_args *a, sf_val *out, opt_kind kind, bool legacy) {
  const char *cls = kind == OPT_ADAM ? "Adam" : "Nadam";
  SF_BIND(cls, kind == OPT_ADAM ? "learning_rate beta_1 beta_2 epsilon amsgrad name" KW
                                : "learning_rate beta_1 beta_2 epsilon schedule_decay name" KW, 11);
  sf_optim o = {.kind = kind, .cls = cls, .lr = 0.001, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-7};
  if (!legacy && (st = new_optimizer_gap(I, a, cls)) != SF_OK) return st;
  if ((st = common_kwargs(I, a, cls, v, g, v + 6, g + 6, &o.lr)) != SF_OK) return st;
  if ((g[1] && (st = sf_arg_float(I, a, cls, "beta_1", &v[1], &o.beta1)) != SF_OK) ||
      (g[2] && (st = sf_arg_float(I, a, cls, "beta_2", &v[2], &o.beta2)) != SF_OK) ||
      (g[3] && v[3].kind != V_NONE && (st = sf_arg_float(I, a, cls, "epsilon", &v[3], &o.eps)) != SF_OK))
    return st;
  if (o.eps == 0) o.eps = 1e-7; /* epsilon or backend_config.epsilon() */
  if (kind == OPT_ADAM && g[4] && sf_truthy(I, &v[4]))
    return sf_arg_error(I, a, SF_ENAME, "unsupported: Adam(amsgrad=True) (ResourceApplyAdamWithAmsgrad is not modelled)");
  double sd = 0.004;
  if (kind == OPT_NADAM && g[4] && (st = sf_arg_float(I, a, cls, "schedule_decay", &v[4], &sd)) != SF_OK) return st;
  if (sd != 0.004) return sf_arg_error(I, a, SF_ENAME, "unsupported: Nadam(schedule_decay=...) other than 0.004");
  return new_optim(I, &o, out);
}
static sf_status api_adam(sf_interp *I, const sf_args *a, sf_val *out) { return adam_like(I, a, out, OPT_ADAM, false); }
static sf_status api_nadam(sf_interp *I, const sf_args *a, sf_val *out) { return adam_like(I, a, out, OPT_NADAM, false); }
static sf_status api_legacy_adam(sf_interp *I, const sf_args *a, sf_val *out) { return adam_like(I, a, out, OPT_ADAM, true); }
static sf_status api_legacy_nadam(sf_interp *I, const sf_args *a, sf_val *out) {
  return adam_like(I, a, out, OPT_NADAM, true);
}

static sf_status rmsprop(sf_interp *I, const sf_args *a, sf_val *out, bool legacy) {
  SF_BIND("RMSprop", "learning_rate rho momentum epsilon centered name" KW, 11);
  sf_optim o = {.kind = OPT_RMSPROP, .cls = "RMSprop", .lr = 0.001, .rho = 0.9, .eps = 1e-7};
  if (!legacy && (st = new_optimizer_gap(I, a, "RMSprop")) != SF_OK) return st;
  if ((st = common_kwargs(I, a, "RMSprop", v, g, v + 6, g + 6, &o.lr)) != SF_OK) return st;
  if ((g[1] && (st = sf_arg_float(I, a, "RMSprop", "rho", &v[1], &o.rho)) != SF_OK) ||
      (g[2] && (st = sf_arg_float(I, a, "RMSprop", "momentum", &v[2], &o.momentum)) != SF_OK) ||
      (g[3] && v[3].kind != V_NONE && (st = sf_arg_float(I, a, "RMSprop", "epsilon", &v[3], &o.eps)) != SF_OK))
    return st;
  if (o.eps == 0) o.eps = 1e-7;
  if (g[4] && sf_truthy(I, &v[4])) return sf_arg_error(I, a, SF_ENAME, "unsupported: RMSprop(centered=True)");
  return new_optim(I, &o, out);
}
static sf_status api_rmsprop(sf_interp *I, const sf_args *a, sf_val *out) { return rmsprop(I, a, out, false); }
static sf_status api_legacy_rmsprop(sf_interp *I, const sf_args *a, sf_val *out) { return rmsprop(I, a, out, true); }

static sf_status adagrad(sf_interp *I, const sf_args *a, sf_val *out, bool legacy) {
  SF_BIND("Adagrad", "learning_rate initial_accumulator_value epsilon name" KW, 9);
  sf_optim o = {.kind = OPT_ADAGRAD, .cls = "Adagrad", .lr = 0.001, .init_acc = 0.1, .eps = 1e-7};
  if (!legacy && (st = new_optimizer_gap(I, a, "Adagrad")) != SF_OK) return st;
  if ((st = common_kwargs(I, a, "Adagrad", v, g, v + 4, g + 4, &o.lr)) != SF_OK) return st;
  if ((g[1] && (st = sf_arg_float(I, a, "Adagrad", "initial_accumulator_value", &v[1], &o.init_acc)) != SF_OK) ||
      (g[2] && v[2].kind != V_NONE && (st = sf_arg_float(I, a, "Adagrad", "epsilon", &v[2], &o.eps)) != SF_OK))
    return st;
  if (o.init_acc < 0) /* adagrad.py __init__ */
    return sf_py_raise(I, a->call, BC_VALUEERR, "initial_accumulator_value must be non-negative: %g", o.init_acc);
  if (o.eps == 0) o.eps = 1e-7;
  return new_optim(I, &o, out);
}
static sf_status api_adagrad(sf_interp *I, const sf_args *a, sf_val *out) { return adagrad(I, a, out, false); }
static sf_status api_legacy_adagrad(sf_interp *I, const sf_args *a, sf_val *out) { return adagrad(I, a, out, true); }

static const struct {
  const char *name;
  sf_builtin_fn fn;
} names[] = {
    {"sgd", api_sgd}, {"adam", api_adam}, {"nadam", api_nadam}, {"rmsprop", api_rmsprop}, {"adagrad", api_adagrad},
};

/* optimizers.get(name): the class with its defaults (keras/optimizers.py deserialize,
 * case-insensitive in TF 2.4 as it lower-cases the class name). */
sf_status sf_optim_from_name(sf_interp *I, const sf_args *a, const char *name, sf_val *out) {
  char low[32];
  size_t n = strlen(name);
  for (size_t i = 0; i < n && i + 1 < sizeof low; i++) low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
  low[n < sizeof low ? n : sizeof low - 1] = 0;
  sf_args none = {.call = a ? a->call : NULL};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (strcmp(names[i].name, low) == 0) return names[i].fn(I, &none, out);
  return sf_arg_error(I, a, SF_ENAME, "unsupported optimizer '%s' (seedflow models 'sgd', 'adam', 'nadam', 'rmsprop', 'adagrad')",
                      name);
}

/* ---- building the update ---- */

static sf_status op(sf_interp *I, const char *type, const char *name, const int *in, int nin, int *out) {
  sf_node *n;
  sf_status st = sf_b_op(I, type, name, in, nin, NULL, &n);
  if (st == SF_OK) *out = n->id;
  return st;
}
static sf_status op2(sf_interp *I, const char *type, int x, int y, int *out) {
  return op(I, type, type, (int[]){x, y}, 2, out);
}
/* A Python float converted to the variable's dtype (float32): one Const. */
static sf_status fconst(sf_interp *I, double x, const char *name, int *out) {
  sf_val v = sf_float(x);
  return sf_b_tensor(I, &v, SF_FLOAT32, name, NULL, out);
}
/* `x OP python_float` / `python_float OP x` as TF's operator overloads build it. */
static sf_status op_c(sf_interp *I, const char *type, double c, int x, bool c_first, int *out) {
  int k;
  sf_status st = fconst(I, c, "y", &k);
  return st == SF_OK ? op2(I, type, c_first ? k : x, c_first ? x : k, out) : st;
}
/* array_ops.identity(self._get_hyper(name, var_dtype)): a read of the hyper variable. */
static sf_status hyper(sf_interp *I, int var, int *out) {
  int r;
  sf_status st = sf_b_read(I, var, &r);
  return st == SF_OK ? op(I, "Identity", "Identity", &r, 1, out) : st;
}
static sf_status assign(sf_interp *I, int var, int value, int *out) {
  sf_attr_value a[SF_B_ATTRS];
  sf_b_attrs("AssignVariableOp", a);
  sf_b_attr_set("AssignVariableOp", a, "var", (sf_attr_value){.i = var});
  sf_node *n;
  sf_status st = sf_b_op(I, "AssignVariableOp", "AssignVariableOp", &value, 1, a, &n);
  if (st == SF_OK && out) *out = n->id;
  return st;
}
/* math_ops.cast(self.iterations + k, float32). */
static sf_status step_plus(sf_interp *I, const sf_optim *o, int64_t k, int *out) {
  int r, c, s;
  sf_val kv = sf_int(k);
  sf_status st = sf_b_read(I, o->iter, &r);
  if (st == SF_OK) st = sf_b_tensor(I, &kv, SF_INT64, "add/y", NULL, &c);
  if (st == SF_OK) st = op2(I, "AddV2", r, c, &s);
  if (st != SF_OK) return st;
  sf_attr_value a[SF_B_ATTRS];
  sf_b_attrs("Cast", a);
  sf_b_attr_set("Cast", a, "DstT", (sf_attr_value){.type = SF_FLOAT32});
  sf_node *n;
  if ((st = sf_b_op(I, "Cast", "Cast", &s, 1, a, &n)) == SF_OK) *out = n->id;
  return st;
}

/* A variable of shape s filled with x, created where init_scope puts it. */
static sf_status filled_var(sf_interp *I, sf_dtype dt, const sf_shape *s, double x, int *var) {
  sf_tensor *t = sf_tensor_new(dt, s, I->err);
  if (!t) return I->err->code;
  for (int64_t i = 0; i < t->n; i++) sf_tensor_set(t, i, x);
  int id;
  sf_status st = sf_b_const(I, t, x == 0 ? "zeros" : "Const", &id);
  sf_tensor_unref(t);
  return st == SF_OK ? sf_b_variable(I, id, var) : st;
}

static slot_rec *slot_of(sf_optim *o, int var) {
  for (int i = 0; i < o->nslots; i++)
    if (o->slots[i].var == var) return &o->slots[i];
  return NULL;
}

/* _create_all_weights under init_scope: iterations, hypers (first apply), then the slots
 * of variables not seen before. */
static sf_status create_weights(sf_interp *I, sf_optim *o, const int *vars, const sf_shape *shapes, int n) {
  bool lift = I->ctx.graph->is_function;
  sf_status st = lift ? sf_context_enter_eager(&I->ctx, I->err) : SF_OK;
  if (st != SF_OK) return st;
  sf_shape scalar = {0};
  if (!o->created) {
    st = filled_var(I, SF_INT64, &scalar, 0, &o->iter);
    if (st == SF_OK) st = filled_var(I, SF_FLOAT32, &scalar, o->lr, &o->h_lr);
    double ha = o->kind == OPT_SGD ? o->momentum : o->kind == OPT_RMSPROP ? o->rho : o->beta1;
    double hb = o->kind == OPT_RMSPROP ? o->momentum : o->beta2;
    if (st == SF_OK && o->kind != OPT_ADAGRAD) st = filled_var(I, SF_FLOAT32, &scalar, ha, &o->h_a);
    if (st == SF_OK && (o->kind == OPT_ADAM || o->kind == OPT_NADAM || o->kind == OPT_RMSPROP))
      st = filled_var(I, SF_FLOAT32, &scalar, hb, &o->h_b);
    if (st == SF_OK && o->kind == OPT_NADAM) st = filled_var(I, SF_FLOAT32, &scalar, 1, &o->m_cache);
    o->created = st == SF_OK;
  }
  int nslot = o->kind == OPT_ADAM || o->kind == OPT_NADAM || (o->kind == OPT_RMSPROP && o->momentum > 0) ? 2 : 1;
  double fill = o->kind == OPT_ADAGRAD ? o->init_acc : 0;
  /* slot by slot over the variables (nadam.py: "separate for-loops") */
  int first = o->nslots;
  for (int i = 0; st == SF_OK && i < n; i++) {
    if (slot_of(o, vars[i])) continue;
    slot_rec *ns = sf_arena_grow(&I->arena, o->slots, (size_t)o->nslots, (size_t)o->nslots + 1, sizeof *ns);
    if (!ns) st = oom(I);
    else o->slots = ns, o->slots[o->nslots++] = (slot_rec){.var = vars[i], .s = {-1, -1}};
  }
  for (int k = 0; k < nslot; k++)
    for (int i = first; st == SF_OK && i < o->nslots; i++) {
      int j = 0;
      while (vars[j] != o->slots[i].var) j++;
      st = filled_var(I, SF_FLOAT32, &shapes[j], fill, &o->slots[i].s[k]);
    }
  if (lift) sf_context_leave(&I->ctx);
  return st;
}

/* The _prepare_local coefficients an update reads. */
typedef struct coeffs {
  int lr_t, a_t, b_t, eps, b1p, b2p;
  int one_minus_b1, one_minus_b2, one_minus_m_t, m_t_1, one_minus_msn, one_minus_msnext, v_denom;
} coeffs;

static sf_status prepare(sf_interp *I, sf_optim *o, coeffs *c) {
  memset(c, 0, sizeof *c);
  sf_status st = SF_OK;
  int cache_read = 0, t = 0, neg;
  if (o->kind == OPT_NADAM) st = hyper(I, o->m_cache, &cache_read); /* Nadam._prepare */
  if (st == SF_OK) st = hyper(I, o->h_lr, &c->lr_t);                 /* lr_t = identity(_decayed_lr) */
  if (st != SF_OK) return st;
  switch (o->kind) {
    case OPT_SGD: return hyper(I, o->h_a, &c->a_t); /* momentum */
    case OPT_ADAGRAD: /* adagrad.py: epsilon, neg_lr_t, zero */
      if ((st = fconst(I, o->eps, "Const", &c->eps)) == SF_OK) st = op(I, "Neg", "Neg", &c->lr_t, 1, &neg);
      return st;
    case OPT_RMSPROP: { /* rmsprop.py: rho, neg_lr_t, epsilon, momentum, one_minus_rho */
      int one_minus_rho = 0;
      if ((st = hyper(I, o->h_a, &c->a_t)) == SF_OK) st = op(I, "Neg", "Neg", &c->lr_t, 1, &neg);
      if (st == SF_OK) st = fconst(I, o->eps, "Const", &c->eps);
      if (st == SF_OK) st = hyper(I, o->h_b, &c->b_t);
      if (st == SF_OK) st = op_c(I, "Sub", 1.0, c->a_t, true, &one_minus_rho);
      c->one_minus_b1 = one_minus_rho;
      return st;
    }
    case OPT_ADAM: { /* adam.py _prepare_local */
      int sq, d1, d2, ratio, lr;
      if ((st = step_plus(I, o, 1, &t)) == SF_OK) st = hyper(I, o->h_a, &c->a_t);
      if (st == SF_OK) st = hyper(I, o->h_b, &c->b_t);
      if (st == SF_OK) st = op2(I, "Pow", c->a_t, t, &c->b1p);
      if (st == SF_OK) st = op2(I, "Pow", c->b_t, t, &c->b2p);
      if (st == SF_OK) st = op_c(I, "Sub", 1, c->b2p, true, &d2);
      if (st == SF_OK) st = op(I, "Sqrt", "Sqrt", &d2, 1, &sq);
      if (st == SF_OK) st = op_c(I, "Sub", 1, c->b1p, true, &d1);
      if (st == SF_OK) st = op2(I, "RealDiv", sq, d1, &ratio);
      if (st == SF_OK) st = op2(I, "Mul", c->lr_t, ratio, &lr);
      if (st == SF_OK) st = fconst(I, o->eps, "Const", &c->eps);
      if (st == SF_OK) st = op_c(I, "Sub", 1, c->a_t, true, &c->one_minus_b1);
      if (st == SF_OK) st = op_c(I, "Sub", 1, c->b_t, true, &c->one_minus_b2);
      return st;
    }
    case OPT_TF1_GD:
    case OPT_TF1_MOMENTUM:
    case OPT_TF1_ADAM: return SF_OK; /* not a Keras optimizer */
    case OPT_NADAM: { /* nadam.py _prepare_local */
      int t1, base, e0, e1, p0, p1, h0, h1, s0, s1, m_t, msn, msn_id, msnext, b2p;
      if ((st = hyper(I, o->h_a, &c->a_t)) == SF_OK) st = hyper(I, o->h_b, &c->b_t);
      if (st == SF_OK) st = step_plus(I, o, 1, &t);
      if (st == SF_OK) st = step_plus(I, o, 2, &t1);
      if (st == SF_OK) st = fconst(I, 0.96, "Cast/x", &base);
      if (st == SF_OK) st = op_c(I, "Mul", 0.004, t, true, &e0);
      if (st == SF_OK) st = op2(I, "Pow", base, e0, &p0);
      if (st == SF_OK) st = op_c(I, "Mul", 0.5, p0, true, &h0);
      if (st == SF_OK) st = op_c(I, "Sub", 1.0, h0, true, &s0);
      if (st == SF_OK) st = op2(I, "Mul", c->a_t, s0, &m_t);
      if (st == SF_OK) st = op_c(I, "Mul", 0.004, t1, true, &e1);
      if (st == SF_OK) st = op2(I, "Pow", base, e1, &p1);
      if (st == SF_OK) st = op_c(I, "Mul", 0.5, p1, true, &h1);
      if (st == SF_OK) st = op_c(I, "Sub", 1.0, h1, true, &s1);
      if (st == SF_OK) st = op2(I, "Mul", c->a_t, s1, &c->m_t_1);
      if (st == SF_OK) st = op2(I, "Mul", cache_read, m_t, &msn);
      if (st == SF_OK) st = assign(I, o->m_cache, msn, &msn);
      if (st == SF_OK) st = op(I, "Identity", "Identity", &msn, 1, &msn_id);
      if (st == SF_OK) st = op2(I, "Mul", msn_id, c->m_t_1, &msnext);
      if (st == SF_OK) st = op(I, "Neg", "Neg", &c->lr_t, 1, &neg);
      if (st == SF_OK) st = fconst(I, o->eps, "Const", &c->eps);
      if (st == SF_OK) st = op_c(I, "Sub", 1, c->a_t, true, &c->one_minus_b1);
      if (st == SF_OK) st = op_c(I, "Sub", 1, c->b_t, true, &c->one_minus_b2);
      if (st == SF_OK) st = op_c(I, "Sub", 1.0, m_t, true, &c->one_minus_m_t);
      if (st == SF_OK) st = op_c(I, "Sub", 1.0, msn_id, true, &c->one_minus_msn);
      if (st == SF_OK) st = op_c(I, "Sub", 1.0, msnext, true, &c->one_minus_msnext);
      if (st == SF_OK) st = op2(I, "Pow", c->b_t, t, &b2p);
      if (st == SF_OK) st = op_c(I, "Sub", 1.0, b2p, true, &c->v_denom);
      return st;
    }
  }
  return st;
}

static sf_status resource_apply(sf_interp *I, const char *type, const char *const *attr_names, const int *attr_vals,
                                 int nattr, const int *in, int nin, const char *flag, bool fv, int *out) {
  sf_attr_value a[SF_B_ATTRS];
  sf_b_attrs(type, a);
  for (int i = 0; i < nattr; i++) sf_b_attr_set(type, a, attr_names[i], (sf_attr_value){.i = attr_vals[i]});
  if (flag) sf_b_attr_set(type, a, flag, (sf_attr_value){.b = fv});
  sf_node *n;
  sf_status st = sf_b_op(I, type, type, in, nin, a, &n);
  if (st == SF_OK) *out = n->id;
  return st;
}

/* nadam.py _resource_apply_dense, op for op. */
static sf_status nadam_update(sf_interp *I, const coeffs *c, int var, const slot_rec *s, int g, int *out) {
  int gp, mr, a1, a2, mt, mtp, vr, sq, b1, b2, vt, vtp, x1, x2, bar, sqv, den, num, q, vrd, vnew;
  sf_status st = op2(I, "RealDiv", g, c->one_minus_msn, &gp);
  if (st == SF_OK) st = sf_b_read(I, s->s[0], &mr);
  if (st == SF_OK) st = op2(I, "Mul", c->a_t, mr, &a1);
  if (st == SF_OK) st = op2(I, "Mul", c->one_minus_b1, g, &a2);
  if (st == SF_OK) st = op2(I, "AddV2", a1, a2, &mt);
  if (st == SF_OK) st = assign(I, s->s[0], mt, &mt);
  if (st == SF_OK) st = op2(I, "RealDiv", mt, c->one_minus_msnext, &mtp);
  if (st == SF_OK) st = sf_b_read(I, s->s[1], &vr);
  if (st == SF_OK) st = op2(I, "Mul", c->b_t, vr, &b1);
  if (st == SF_OK) st = op(I, "Square", "Square", &g, 1, &sq);
  if (st == SF_OK) st = op2(I, "Mul", c->one_minus_b2, sq, &b2);
  if (st == SF_OK) st = op2(I, "AddV2", b1, b2, &vt);
  if (st == SF_OK) st = assign(I, s->s[1], vt, &vt);
  if (st == SF_OK) st = op2(I, "RealDiv", vt, c->v_denom, &vtp);
  if (st == SF_OK) st = op2(I, "Mul", c->one_minus_m_t, gp, &x1);
  if (st == SF_OK) st = op2(I, "Mul", c->m_t_1, mtp, &x2);
  if (st == SF_OK) st = op2(I, "AddV2", x1, x2, &bar);
  if (st == SF_OK) st = sf_b_read(I, var, &vrd);
  if (st == SF_OK) st = op2(I, "Mul", c->lr_t, bar, &num);
  if (st == SF_OK) st = op(I, "Sqrt", "Sqrt", &vtp, 1, &sqv);
  if (st == SF_OK) st = op2(I, "AddV2", sqv, c->eps, &den);
  if (st == SF_OK) st = op2(I, "RealDiv", num, den, &q);
  if (st == SF_OK) st = op2(I, "Sub", vrd, q, &vnew);
  if (st == SF_OK) st = assign(I, var, vnew, out);
  return st;
}

/* rmsprop.py _resource_apply_dense without momentum (Python-level ops). */
static sf_status rmsprop_plain(sf_interp *I, const coeffs *c, int var, const slot_rec *s, int g, int *out) {
  int rr, a1, sq, a2, rt, sqr, den, num, q, vr, vnew;
  sf_status st = sf_b_read(I, s->s[0], &rr);
  if (st == SF_OK) st = op2(I, "Mul", c->a_t, rr, &a1);
  if (st == SF_OK) st = op(I, "Square", "Square", &g, 1, &sq);
  if (st == SF_OK) st = op2(I, "Mul", c->one_minus_b1, sq, &a2);
  if (st == SF_OK) st = op2(I, "AddV2", a1, a2, &rt);
  if (st == SF_OK) st = assign(I, s->s[0], rt, &rt);
  if (st == SF_OK) st = sf_b_read(I, var, &vr);
  if (st == SF_OK) st = op2(I, "Mul", c->lr_t, g, &num);
  if (st == SF_OK) st = op(I, "Sqrt", "Sqrt", &rt, 1, &sqr);
  if (st == SF_OK) st = op2(I, "AddV2", sqr, c->eps, &den);
  if (st == SF_OK) st = op2(I, "RealDiv", num, den, &q);
  if (st == SF_OK) st = op2(I, "Sub", vr, q, &vnew);
  if (st == SF_OK) st = assign(I, var, vnew, out);
  return st;
}

sf_status sf_optim_apply(sf_interp *I, const sf_val *opt, const int *vars, const int *grads, int n, int *updates,
                         int cap, int *nupdates) {
  sf_optim *o = optim_of(I, opt);
  *nupdates = 0;
  int applied = 0;
  for (int i = 0; i < n; i++) applied += grads[i] != 0;
  if (!applied) return SF_OK;
  if (o && o->kind >= OPT_TF1_GD)
    return sf_error_set(I->err, SF_ENAME, "unsupported: a tf.compat.v1.train optimizer in Keras (TFOptimizer is not modelled)");
  if (applied + 1 > cap) return sf_error_set(I->err, SF_ELIMIT, "optimizer: more than %d variables in one update", cap - 1);
  if (!o || (o->kind == OPT_SGD && o->momentum == 0 && !o->nesterov)) { /* the two-op SGD form */
    int lr = 0;
    sf_val lrv = sf_float(opt->f);
    sf_status st = sf_b_tensor(I, &lrv, SF_FLOAT32, "learning_rate", NULL, &lr);
    for (int i = 0; st == SF_OK && i < n; i++) {
      if (!grads[i]) continue;
      sf_attr_value av = {.i = vars[i]};
      sf_node *u;
      if ((st = sf_b_op(I, "ResourceApplyGradientDescent", "SGD", (int[]){lr, grads[i]}, 2, &av, &u)) == SF_OK)
        updates[(*nupdates)++] = u->id;
    }
    return st;
  }
  int *vs = calloc((size_t)n + 1, sizeof *vs), nv = 0;
  sf_shape *shapes = calloc((size_t)n + 1, sizeof *shapes);
  if (!vs || !shapes) return free(vs), free(shapes), oom(I);
  for (int i = 0; i < n; i++)
    if (grads[i]) vs[nv] = vars[i], shapes[nv++] = sf_graph_node(I->ctx.graph, grads[i])->shape;
  sf_status st = create_weights(I, o, vs, shapes, nv);
  free(vs);
  free(shapes);
  coeffs c;
  if (st == SF_OK) st = prepare(I, o, &c);
  for (int i = 0; st == SF_OK && i < n; i++) {
    if (!grads[i]) continue;
    const slot_rec *s = slot_of(o, vars[i]);
    int *u = &updates[*nupdates], g = grads[i];
    switch (o->kind) {
      case OPT_SGD: /* gradient_descent.py: resource_apply_keras_momentum */
        st = resource_apply(I, "ResourceApplyKerasMomentum", (const char *[]){"var", "accum"}, (int[]){vars[i], s->s[0]},
                            2, (int[]){c.lr_t, g, c.a_t}, 3, "use_nesterov", o->nesterov, u);
        break;
      case OPT_ADAM:
        st = resource_apply(I, "ResourceApplyAdam", (const char *[]){"var", "m", "v"}, (int[]){vars[i], s->s[0], s->s[1]},
                            3, (int[]){c.b1p, c.b2p, c.lr_t, c.a_t, c.b_t, c.eps, g}, 7, "use_nesterov", false, u);
        break;
      case OPT_NADAM: st = nadam_update(I, &c, vars[i], s, g, u); break;
      case OPT_RMSPROP:
        st = o->momentum > 0
                 ? resource_apply(I, "ResourceApplyRMSProp", (const char *[]){"var", "ms", "mom"},
                                  (int[]){vars[i], s->s[0], s->s[1]}, 3, (int[]){c.lr_t, c.a_t, c.b_t, c.eps, g}, 5, NULL,
                                  false, u)
                 : rmsprop_plain(I, &c, vars[i], s, g, u);
        break;
      case OPT_ADAGRAD:
        st = resource_apply(I, "ResourceApplyAdagradV2", (const char *[]){"var", "accum"}, (int[]){vars[i], s->s[0]}, 2,
                            (int[]){c.lr_t, c.eps, g}, 3, NULL, false, u);
        break;
      default: st = sf_error_set(I->err, SF_EINTERNAL, "a TF1 optimizer in a Keras update"); break;
    }
    if (st == SF_OK) ++*nupdates;
  }
  /* iterations.assign_add(1) after the updates (optimizer_v2.py _distributed_apply) */
  sf_val one = sf_int(1);
  int k;
  if (st == SF_OK) st = sf_b_tensor(I, &one, SF_INT64, "Const", NULL, &k);
  if (st == SF_OK) {
    sf_attr_value a[SF_B_ATTRS];
    sf_b_attrs("AssignAddVariableOp", a);
    sf_b_attr_set("AssignAddVariableOp", a, "var", (sf_attr_value){.i = o->iter});
    sf_node *nn;
    if ((st = sf_b_op(I, "AssignAddVariableOp", "AssignAddVariableOp", &k, 1, a, &nn)) == SF_OK)
      updates[(*nupdates)++] = nn->id;
  }
  return st;
}

/* ---- TF1: tf.compat.v1.train.{GradientDescent,Momentum,Adam}Optimizer (TF 1.15
 * training/optimizer.py, gradient_descent.py, momentum.py, adam.py) on RefVariables in a
 * graph ---- */

static sf_status api_tf1_gd(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("GradientDescentOptimizer", "learning_rate use_locking name", 3);
  sf_optim o = {.kind = OPT_TF1_GD, .cls = "GradientDescent"};
  if ((st = sf_arg_need(I, a, "GradientDescentOptimizer", "learning_rate", g[0])) != SF_OK ||
      (st = sf_arg_float(I, a, "GradientDescentOptimizer", "learning_rate", &v[0], &o.lr)) != SF_OK)
    return st;
  if (g[2] && v[2].kind == V_STR) o.cls = v[2].s;
  o.use_locking = g[1] && sf_truthy(I, &v[1]);
  return new_optim(I, &o, out);
}

static sf_status api_tf1_momentum(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("MomentumOptimizer", "learning_rate momentum use_locking name use_nesterov", 5);
  sf_optim o = {.kind = OPT_TF1_MOMENTUM, .cls = "Momentum"};
  if ((st = sf_arg_need(I, a, "MomentumOptimizer", "learning_rate", g[0])) != SF_OK ||
      (st = sf_arg_need(I, a, "MomentumOptimizer", "momentum", g[1])) != SF_OK ||
      (st = sf_arg_float(I, a, "MomentumOptimizer", "learning_rate", &v[0], &o.lr)) != SF_OK ||
      (st = sf_arg_float(I, a, "MomentumOptimizer", "momentum", &v[1], &o.momentum)) != SF_OK)
    return st;
  if (g[3] && v[3].kind == V_STR) o.cls = v[3].s;
  o.use_locking = g[2] && sf_truthy(I, &v[2]);
  o.nesterov = g[4] && sf_truthy(I, &v[4]);
  return new_optim(I, &o, out);
}

static sf_status api_tf1_adam(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("AdamOptimizer", "learning_rate beta1 beta2 epsilon use_locking name", 6);
  sf_optim o = {.kind = OPT_TF1_ADAM, .cls = "Adam", .lr = 0.001, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8};
  if ((g[0] && (st = sf_arg_float(I, a, "AdamOptimizer", "learning_rate", &v[0], &o.lr)) != SF_OK) ||
      (g[1] && (st = sf_arg_float(I, a, "AdamOptimizer", "beta1", &v[1], &o.beta1)) != SF_OK) ||
      (g[2] && (st = sf_arg_float(I, a, "AdamOptimizer", "beta2", &v[2], &o.beta2)) != SF_OK) ||
      (g[3] && (st = sf_arg_float(I, a, "AdamOptimizer", "epsilon", &v[3], &o.eps)) != SF_OK))
    return st;
  if (g[5] && v[5].kind == V_STR) o.cls = v[5].s;
  o.use_locking = g[4] && sf_truthy(I, &v[4]);
  return new_optim(I, &o, out);
}

bool sf_optim_is_tf1(sf_interp *I, const sf_val *opt) {
  const sf_optim *o = optim_of(I, opt);
  return o && o->kind >= OPT_TF1_GD;
}

/* The VariableV2 behind a TF1 variable's value (its "read" Identity), or 0. */
static int ref_var_of(sf_interp *I, const sf_val *v) {
  if (v->kind != V_TENSOR || v->g != I->ctx.graph) return 0;
  const sf_node *n = sf_graph_node(I->ctx.graph, v->node);
  if (n && strcmp(n->op->name, "Identity") == 0 && n->ninputs == 1) n = sf_graph_node(I->ctx.graph, n->inputs[0]);
  return n && strcmp(n->op->name, "VariableV2") == 0 ? n->id : 0;
}


/* A RefVariable named name holding a constant fill of var's shape (slot_creator's zeros
 * slot: Const "<name>/Initializer/zeros"; a non-slot variable: "<name>/initial_value"),
 * then VariableV2, "<name>/Assign" and "<name>/read". Returns the VariableV2. */
static sf_status tf1_variable(sf_interp *I, const char *base, const sf_node *like, bool scalar, double x, int *var) {
  const char *saved, *name = sf_b_scope_push(I, base, &saved);
  if (!name) return oom(I);
  sf_shape s = scalar ? (sf_shape){0} : like->shape;
  sf_tensor *t = sf_tensor_new(like->dtype, &s, I->err);
  sf_status st = t ? SF_OK : I->err->code;
  for (int64_t i = 0; t && i < t->n; i++) sf_tensor_set(t, i, x);
  int init = 0;
  if (st == SF_OK) {
    const char *s2, *inner = scalar ? NULL : sf_b_scope_push(I, "Initializer", &s2);
    st = sf_b_const(I, t, scalar ? "initial_value" : "zeros", &init);
    if (inner) sf_b_scope_pop(I, s2);
  }
  sf_tensor_unref(t);
  sf_b_scope_pop(I, saved);
  sf_attr_value attrs[SF_B_ATTRS];
  sf_b_attrs("VariableV2", attrs);
  sf_b_attr_set("VariableV2", attrs, "dtype", (sf_attr_value){.type = like->dtype});
  sf_b_attr_set("VariableV2", attrs, "shape", (sf_attr_value){.shape = s});
  sf_node *v, *as, *rd;
  const char *outer = I->ctx.graph->scope;
  if (st == SF_OK) st = sf_b_op(I, "VariableV2", "VariableV2", NULL, 0, attrs, &v);
  if (st != SF_OK) return st;
  v->name = name;
  I->ctx.graph->scope = name;
  st = sf_b_op(I, "Assign", "Assign", (int[]){v->id, init}, 2, NULL, &as);
  if (st == SF_OK) st = sf_b_op(I, "Identity", "read", &v->id, 1, NULL, &rd);
  I->ctx.graph->scope = outer;
  if (st == SF_OK) *var = v->id;
  return st == SF_OK ? sf_tf1_not_trainable(I, v->id) : st; /* slot_creator: trainable=False */
}

/* _create_slots under init_scope: Adam's beta1_power / beta2_power (once per graph), then
 * per variable m ("<var>/Adam") and v ("<var>/Adam_1"); Momentum's "<var>/Momentum". */
static sf_status tf1_slots(sf_interp *I, sf_optim *o, const int *vars, int n) {
  if (o->graph != I->ctx.graph) o->graph = I->ctx.graph, o->created = false, o->nslots = 0;
  sf_status st = SF_OK;
  const sf_graph *g = I->ctx.graph;
  if (!o->created && o->kind == OPT_TF1_ADAM) {
    const sf_node *first = sf_graph_node(g, vars[0]);
    for (int i = 1; i < n; i++) /* colocated with min(var_list, key=name) */
      if (strcmp(sf_graph_node(g, vars[i])->name, first->name) < 0) first = sf_graph_node(g, vars[i]);
    if ((st = tf1_variable(I, "beta1_power", first, true, o->beta1, &o->h_a)) == SF_OK)
      st = tf1_variable(I, "beta2_power", first, true, o->beta2, &o->h_b);
  }
  o->created = st == SF_OK;
  for (int i = 0; st == SF_OK && o->kind != OPT_TF1_GD && i < n; i++) {
    if (slot_of(o, vars[i])) continue;
    slot_rec *ns = sf_arena_grow(&I->arena, o->slots, (size_t)o->nslots, (size_t)o->nslots + 1, sizeof *ns);
    if (!ns) return oom(I);
    o->slots = ns;
    slot_rec *r = &o->slots[o->nslots++];
    *r = (slot_rec){.var = vars[i], .s = {0, 0}};
    const sf_node *v = sf_graph_node(g, vars[i]);
    char base[256];
    snprintf(base, sizeof base, "%s/%s", v->name, o->cls);
    st = tf1_variable(I, base, v, false, 0, &r->s[0]);
    if (st == SF_OK && o->kind == OPT_TF1_ADAM) st = tf1_variable(I, base, v, false, 0, &r->s[1]);
  }
  return st;
}

/* compute_gradients: gradients of loss w.r.t. each variable's value (float variables of
 * the graph not owned by an optimizer, in creation order, when var_list is None). */
static sf_status tf1_compute(sf_interp *I, const sf_args *a, const sf_val *loss_py, const sf_val *var_list, int **vars,
                             int **grads, int *n) {
  sf_val loss = {0};
  sf_status st = sf_py_to_api(I, loss_py, &loss);
  if (st != SF_OK) return st;
  if (loss.kind != V_TENSOR || loss.g != I->ctx.graph)
    return sf_arg_error(I, a, SF_ETYPE, "minimize(): loss must be a tensor of the default graph");
  const sf_graph *g = I->ctx.graph;
  *vars = calloc((size_t)g->n + 1, sizeof **vars);
  *grads = calloc((size_t)g->n + 1, sizeof **grads);
  int *reads = calloc((size_t)g->n + 1, sizeof *reads);
  *n = 0;
  if (!*vars || !*grads || !reads) st = oom(I);
  sf_val list = {0};
  if (st == SF_OK && var_list->kind != V_NONE) {
    if ((st = sf_py_to_list(I, a->call, var_list, O_LIST, &list)) == SF_OK)
      for (int64_t i = 0; st == SF_OK && i < SF_LIST(&list)->n; i++) {
        sf_val x = {0};
        if ((st = sf_py_to_api(I, &SF_LIST(&list)->items[i], &x)) != SF_OK) break;
        int v = ref_var_of(I, &x);
        if (!v) st = sf_arg_error(I, a, SF_ETYPE, "var_list: item %d is not a tf.Variable of this graph", (int)i);
        else (*vars)[*n] = v, reads[(*n)++] = sf_tf1_read_of(g, v);
      }
    sf_val_drop(&list);
  } else if (sf_tf1_keras_weights(g)) {
    st = sf_arg_error(I, a, SF_ENAME, "unsupported: minimize() without var_list in a graph with Keras layers' weights");
  } else {
    for (int i = 0; st == SF_OK && i < g->n; i++) {
      const sf_node *v = g->nodes[i];
      if (strcmp(v->op->name, "VariableV2") != 0 || !sf_dtype_is_float(v->dtype) || !sf_tf1_trainable(I, g, v->id)) continue;
      int r = sf_tf1_read_of(g, v->id);
      if (r) (*vars)[*n] = v->id, reads[(*n)++] = r;
    }
  }
  if (st == SF_OK && !*n) st = sf_py_raise(I, a->call, BC_VALUEERR, "No variables to optimize.");
  sf_builder b;
  sf_b_builder(I, &b);
  if (st == SF_OK) st = sf_gradients(&b, loss.node, reads, *n, *grads);
  free(reads);
  return st;
}

/* apply_gradients: slots, _prepare's constants, one Apply* per gradient in
 * "update_<var>", _finish's group (Adam: beta powers *= beta first), global_step += 1. */
static sf_status tf1_apply(sf_interp *I, const sf_args *a, sf_optim *o, const int *vars, const int *grads, int n,
                           const sf_val *global_step, const char *name, sf_val *out) {
  int *live = calloc((size_t)n + 1, sizeof *live), nl = 0;
  if (!live) return oom(I);
  for (int i = 0; i < n; i++)
    if (grads[i]) live[nl++] = vars[i];
  sf_status st = SF_OK;
  if (!nl) {
    sf_buf b = {0};
    for (int i = 0; i < n; i++) sf_buf_printf(&b, "%s\"%s\"", i ? ", " : "", sf_graph_node(I->ctx.graph, vars[i])->name);
    st = sf_py_raise(I, a->call, BC_VALUEERR, "No gradients provided for any variable: [%s].", b.s ? b.s : "");
    free(b.s);
  }
  if (st == SF_OK) st = tf1_slots(I, o, live, nl);
  free(live);
  if (st != SF_OK) return st;
  const char *saved, *scope = sf_b_scope_push(I, name ? name : o->cls, &saved);
  if (!scope) return oom(I);
  int lr, mom = 0, b1 = 0, b2 = 0, eps = 0;
  st = fconst(I, o->lr, "learning_rate", &lr);
  if (st == SF_OK && o->kind == OPT_TF1_MOMENTUM) st = fconst(I, o->momentum, "momentum", &mom);
  if (st == SF_OK && o->kind == OPT_TF1_ADAM) {
    if ((st = fconst(I, o->beta1, "beta1", &b1)) == SF_OK && (st = fconst(I, o->beta2, "beta2", &b2)) == SF_OK)
      st = fconst(I, o->eps, "epsilon", &eps);
  }
  int *upd = calloc((size_t)n + 3, sizeof *upd), nu = 0;
  if (!upd) st = oom(I);
  const sf_graph *g = I->ctx.graph;
  for (int i = 0; st == SF_OK && i < n; i++) {
    if (!grads[i]) continue;
    char us[300];
    snprintf(us, sizeof us, "update_%s", sf_graph_node(g, vars[i])->name);
    const char *s2;
    if (!sf_b_scope_push(I, us, &s2)) {
      st = oom(I);
      break;
    }
    const slot_rec *r = slot_of(o, vars[i]);
    const char *type = o->kind == OPT_TF1_GD ? "ApplyGradientDescent" : o->kind == OPT_TF1_MOMENTUM ? "ApplyMomentum" : "ApplyAdam";
    sf_attr_value at[SF_B_ATTRS];
    sf_b_attrs(type, at);
    sf_b_attr_set(type, at, "use_locking", (sf_attr_value){.b = o->use_locking});
    if (o->kind == OPT_TF1_MOMENTUM) sf_b_attr_set(type, at, "use_nesterov", (sf_attr_value){.b = o->nesterov});
    sf_node *u;
    int b1p = o->kind == OPT_TF1_ADAM ? sf_tf1_read_of(g, o->h_a) : 0;
    int b2p = o->kind == OPT_TF1_ADAM ? sf_tf1_read_of(g, o->h_b) : 0;
    if (o->kind == OPT_TF1_GD)
      st = sf_b_op(I, type, type, (int[]){vars[i], lr, grads[i]}, 3, at, &u);
    else if (o->kind == OPT_TF1_MOMENTUM)
      st = sf_b_op(I, type, type, (int[]){vars[i], r->s[0], lr, grads[i], mom}, 5, at, &u);
    else
      st = sf_b_op(I, type, type, (int[]){vars[i], r->s[0], r->s[1], b1p, b2p, lr, b1, b2, eps, grads[i]}, 10, at, &u);
    if (st == SF_OK) upd[nu++] = u->id;
    sf_b_scope_pop(I, s2);
  }
  if (st == SF_OK && o->kind == OPT_TF1_ADAM) { /* adam.py _finish */
    int powers[2] = {o->h_a, o->h_b}, betas[2] = {b1, b2};
    for (int k = 0; st == SF_OK && k < 2; k++) {
      sf_node *m, *as;
      if ((st = sf_b_op(I, "Mul", "mul", (int[]){sf_tf1_read_of(g, powers[k]), betas[k]}, 2, NULL, &m)) == SF_OK)
        st = sf_b_op(I, "Assign", "Assign", (int[]){powers[k], m->id}, 2, NULL, &as);
      for (int j = 0; st == SF_OK && j < nu - k; j++) st = sf_graph_add_ctrl(I->ctx.graph, m, upd[j], I->err);
      if (st == SF_OK) upd[nu++] = as->id;
    }
  }
  int gs = 0;
  if (st == SF_OK && global_step->kind != V_NONE) {
    sf_val gv = {0};
    if ((st = sf_py_to_api(I, global_step, &gv)) == SF_OK && !(gs = ref_var_of(I, &gv)))
      st = sf_arg_error(I, a, SF_ETYPE, "global_step must be a tf.Variable of this graph");
  }
  sf_node *group = NULL;
  if (st == SF_OK) { /* control_flow_ops.group(*update_ops, name=...) */
    if (gs) { /* self._finish(update_ops, "update") inside the name scope */
      st = sf_b_op(I, "NoOp", "update", NULL, 0, NULL, &group);
    } else {
      I->ctx.graph->scope = saved;
      st = sf_b_op(I, "NoOp", "NoOp", NULL, 0, NULL, &group);
      if (st == SF_OK) group->name = scope;
      I->ctx.graph->scope = scope;
    }
    for (int j = 0; st == SF_OK && j < nu; j++) st = sf_graph_add_ctrl(I->ctx.graph, group, upd[j], I->err);
  }
  sf_node *train = group;
  if (st == SF_OK && gs) { /* state_ops.assign_add(global_step, 1, name=name) */
    const sf_node *gn = sf_graph_node(g, gs);
    sf_tensor *one = sf_tensor_new(gn->dtype, &gn->shape, I->err);
    int c = 0;
    if (!one) st = I->err->code;
    else {
      sf_tensor_set(one, 0, 1);
      st = sf_b_const(I, one, "Const", &c);
      sf_tensor_unref(one);
    }
    I->ctx.graph->scope = saved;
    if (st == SF_OK) st = sf_b_op(I, "AssignAdd", "AssignAdd", (int[]){gs, c}, 2, NULL, &train);
    if (st == SF_OK) train->name = scope;
    I->ctx.graph->scope = scope;
    if (st == SF_OK) st = sf_graph_add_ctrl(I->ctx.graph, train, group->id, I->err);
  }
  sf_b_scope_pop(I, saved);
  free(upd);
  if (st == SF_OK) sf_b_tensor_val(I, train->id, out);
  return st;
}

sf_status sf_optim_tf1_method(sf_interp *I, const sf_val *opt, const char *method, const sf_args *a, sf_val *out) {
  sf_optim *o = optim_of(I, opt);
  bool minimize = strcmp(method, "minimize") == 0, compute = strcmp(method, "compute_gradients") == 0,
       apply = strcmp(method, "apply_gradients") == 0;
  if (!minimize && !compute && !apply) return sf_arg_error(I, a, SF_ENAME, "unsupported method '%s'", method);
  if (I->ctx.eager || I->ctx.graph->is_function)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: tf.compat.v1.train.%sOptimizer.%s outside a TF1 graph (run in graph mode)",
                        o->cls, method);
  sf_val v[8];
  sf_status st = sf_native_bind(I, a, method,
                                minimize  ? "loss global_step var_list gate_gradients aggregation_method "
                                            "colocate_gradients_with_ops name grad_loss"
                                : compute ? "loss var_list gate_gradients aggregation_method colocate_gradients_with_ops grad_loss"
                                          : "grads_and_vars global_step name",
                                v, 8);
  if (st != SF_OK) return st;
  *out = sf_none();
  if (v[0].kind == V_NONE) return sf_arg_error(I, a, SF_ETYPE, "%s() missing 1 required positional argument: '%s'", method, apply ? "grads_and_vars" : "loss");
  if ((minimize && v[7].kind != V_NONE) || (compute && v[5].kind != V_NONE))
    return sf_arg_error(I, a, SF_ENAME, "unsupported: %s(grad_loss=...)", method);
  int *vars = NULL, *grads = NULL, n = 0;
  sf_val res = {0};
  if (minimize || compute) {
    st = tf1_compute(I, a, &v[0], minimize ? &v[2] : &v[1], &vars, &grads, &n);
    if (st == SF_OK && minimize) st = tf1_apply(I, a, o, vars, grads, n, &v[1], v[6].kind == V_STR ? v[6].s : NULL, &res);
    if (st == SF_OK && compute) { /* [(gradient or None, variable)] */
      if (!sf_list_new(O_LIST, n, out)) st = oom(I);
      for (int i = 0; st == SF_OK && i < n; i++) {
        sf_val pair = {0}, gt = {0}, vt = {0};
        if (!sf_list_new(O_TUPLE, 2, &pair)) {
          st = oom(I);
          break;
        }
        sf_val gapi = sf_none(), vapi;
        if (grads[i]) sf_b_tensor_val(I, grads[i], &gapi);
        sf_b_tensor_val(I, sf_tf1_read_of(I->ctx.graph, vars[i]), &vapi);
        if ((st = sf_py_from_api(I, &gapi, &gt)) == SF_OK) st = sf_py_from_api(I, &vapi, &vt);
        SF_LIST(&pair)->items[0] = gt;
        SF_LIST(&pair)->items[1] = vt;
        SF_LIST(out)->items[i] = pair;
      }
    }
  } else {
    sf_val list = {0};
    if ((st = sf_py_to_list(I, a->call, &v[0], O_LIST, &list)) != SF_OK) return st;
    n = (int)SF_LIST(&list)->n;
    vars = calloc((size_t)n + 1, sizeof *vars);
    grads = calloc((size_t)n + 1, sizeof *grads);
    if (!vars || !grads) st = oom(I);
    for (int i = 0; st == SF_OK && i < n; i++) {
      sf_val *p = &SF_LIST(&list)->items[i], gv = {0}, vv = {0};
      if (!(sf_is(p, O_TUPLE) || sf_is(p, O_LIST)) || SF_LIST(p)->n != 2) {
        st = sf_py_raise(I, a->call, BC_VALUEERR, "apply_gradients(): expected (gradient, variable) pairs");
        break;
      }
      if ((st = sf_py_to_api(I, &SF_LIST(p)->items[1], &vv)) != SF_OK) break;
      if (!(vars[i] = ref_var_of(I, &vv))) st = sf_arg_error(I, a, SF_ETYPE, "apply_gradients(): item %d's variable is not a tf.Variable of this graph", i);
      if (st == SF_OK && SF_LIST(p)->items[0].kind != V_NONE && (st = sf_py_to_api(I, &SF_LIST(p)->items[0], &gv)) == SF_OK)
        st = sf_b_tensor(I, &gv, -1, "grad", a->call, &grads[i]);
    }
    if (st == SF_OK) st = tf1_apply(I, a, o, vars, grads, n, &v[1], v[2].kind == V_STR ? v[2].s : NULL, &res);
    sf_val_drop(&list);
  }
  free(vars);
  free(grads);
  if (st == SF_OK && !compute) st = sf_py_from_api(I, &res, out);
  return st;
}

/* tf.gradients(ys, xs, grad_ys=None, name='gradients', ...) (gradients_impl.py): a graph's
 * symbolic gradients of one tensor ys (its elements summed: grad_ys of ones) with respect to
 * each of xs, a list as long as xs with None where ys does not depend on it. The same rules
 * build them as minimize's (engine/gradients.c). */
static sf_status api_gradients(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("gradients", "ys xs grad_ys name colocate_gradients_with_ops gate_gradients aggregation_method stop_gradients "
                       "unconnected_gradients", 9);
  if ((st = sf_arg_need(I, a, "gradients", "ys", g[0])) != SF_OK || (st = sf_arg_need(I, a, "gradients", "xs", g[1])) != SF_OK)
    return st;
  if (I->ctx.eager)
    return sf_py_raise(I, a->call, BC_RUNTIME, "tf.gradients is not supported when eager execution is enabled. Use tf.GradientTape instead.");
  for (int k = 2; k < 9; k++)
    if (g[k] && v[k].kind != V_NONE && k != 3)
      return sf_arg_error(I, a, SF_ENAME, "unsupported: gradients(%s=...)",
                          (const char *[]){"", "", "grad_ys", "name", "colocate_gradients_with_ops", "gate_gradients",
                                           "aggregation_method", "stop_gradients", "unconnected_gradients"}[k]);
  sf_val ys = v[0];
  if ((ys.kind == V_LIST || ys.kind == V_TUPLE) && ys.n == 1) ys = ys.items[0];
  if (ys.kind != V_TENSOR || ys.g != I->ctx.graph)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: gradients() of ys that is not one tensor of this graph");
  bool one = v[1].kind != V_LIST && v[1].kind != V_TUPLE;
  int n = one ? 1 : (int)v[1].n;
  int *wrt = calloc((size_t)n + 1, sizeof *wrt), *grads = calloc((size_t)n + 1, sizeof *grads);
  if (!wrt || !grads) st = oom(I);
  for (int i = 0; st == SF_OK && i < n; i++) {
    const sf_val *x = one ? &v[1] : &v[1].items[i];
    if (x->kind != V_TENSOR || x->g != I->ctx.graph)
      st = sf_arg_error(I, a, SF_ENAME, "unsupported: gradients() with respect to xs[%d], not a tensor of this graph", i);
    else wrt[i] = x->node;
  }
  sf_builder b;
  sf_b_builder(I, &b);
  if (st == SF_OK) st = sf_gradients(&b, ys.node, wrt, n, grads);
  sf_val *items = st == SF_OK ? sf_arena_alloc(&I->arena, (size_t)(n ? n : 1) * sizeof *items) : NULL; /* the API's list */
  if (st == SF_OK && !items) st = oom(I);
  for (int i = 0; st == SF_OK && i < n; i++) {
    if (grads[i]) sf_b_tensor_val(I, grads[i], &items[i]);
    else items[i] = (sf_val){.kind = V_NONE};
  }
  free(wrt);
  free(grads);
  if (st == SF_OK) *out = (sf_val){.kind = V_LIST, .items = items, .n = n};
  return st;
}

static const struct {
  const char *path;
  sf_builtin_fn fn;
} api[] = {
    {"tf.keras.optimizers.SGD", api_sgd},
    {"tf.keras.optimizers.Adam", api_adam},
    {"tf.keras.optimizers.Nadam", api_nadam},
    {"tf.keras.optimizers.RMSprop", api_rmsprop},
    {"tf.keras.optimizers.Adagrad", api_adagrad},
    {"tf.optimizers.SGD", api_sgd},
    {"tf.optimizers.Adam", api_adam},
    {"tf.optimizers.Nadam", api_nadam},
    {"tf.optimizers.RMSprop", api_rmsprop},
    {"tf.optimizers.Adagrad", api_adagrad},
    {"tf.keras.optimizers.legacy.SGD", api_legacy_sgd},
    {"tf.keras.optimizers.legacy.Adam", api_legacy_adam},
    {"tf.keras.optimizers.legacy.Nadam", api_legacy_nadam},
    {"tf.keras.optimizers.legacy.RMSprop", api_legacy_rmsprop},
    {"tf.keras.optimizers.legacy.Adagrad", api_legacy_adagrad},
    {"tf.train.GradientDescentOptimizer", api_tf1_gd},
    {"tf.train.MomentumOptimizer", api_tf1_momentum},
    {"tf.train.AdamOptimizer", api_tf1_adam},
    {"tf.compat.v1.train.GradientDescentOptimizer", api_tf1_gd},
    {"tf.compat.v1.train.MomentumOptimizer", api_tf1_momentum},
    {"tf.compat.v1.train.AdamOptimizer", api_tf1_adam},
    {"tf.gradients", api_gradients},
};

sf_builtin_fn sf_optim_lookup(const char *path) {
  for (size_t i = 0; i < sizeof api / sizeof *api; i++)
    if (strcmp(api[i].path, path) == 0) return api[i].fn;
  return NULL;
}
