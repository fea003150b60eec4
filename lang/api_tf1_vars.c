/* api_tf1_vars.c — TF1 variables, scopes and layers: tf.get_variable, tf.variable_scope,
 * tf.name_scope, tf.layers.dense, tf.layers.dropout, tf.nn.relu (tf-api-semantics.md §1.3,
 * §1.4). They create the ops TF 1.x creates, in its order, because the op count is the
 * seed2 of every later unseeded random op under the tf1 profile (base §5.4):
 *
 *   get_variable(name, shape) — variable_scope.py _VariableStore._get_single_variable, then
 *     RefVariable._init_from_args (variables.py): the initializer's ops first (no
 *     initializer: glorot_uniform_initializer(), init_ops.py — shape, min, max Consts,
 *     RandomUniform, sub, mul, add), then VariableV2, Assign and the "read" Identity: 10.
 *     An existing name is an error unless a scope reuses it (then 0 ops).
 *   variable_scope / name_scope — 0 ops (§1.4); variable names get the variable scopes'
 *     prefix, a reused scope name opens a new unique name scope.
 *   layers.dense(x, units) — layers/core.py Dense: kernel = get_variable("kernel",
 *     [in, units]) (glorot: 10 ops), bias = get_variable("bias", [units], zeros) (one
 *     zeros Const, array_ops.zeros' _constant_if_small, + 3), then MatMul, BiasAdd and
 *     the activation, in variable scope `name` (default dense, dense_1, ...).
 *   layers.dropout(x, rate, training) — keras Dropout.call: smart_cond(training,
 *     nn.dropout(x, rate=rate, seed=seed), identity(x)); a Python `training` picks the
 *     branch at once.
 * In eager mode a variable is its initial value (as tf.Variable is, api.c).
 *   trainable_variables(scope) / global_variables(scope) — variables.py: the default graph's
 *     TRAINABLE_VARIABLES / GLOBAL_VARIABLES collections, in creation order, the names that
 *     re.match(scope) keeps; every VariableV2 is global, all but those created with
 *     trainable=False (and optimizers' slots) trainable; in eager mode both are empty. */
#include "interp.h"
#include "py.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tf1var {
  const sf_graph *g;
  const char *name;         /* the full name, "scope/name" */
  sf_val value;             /* its read tensor (or, eager, its tf.Variable object: kept, sf_py_keep) */
} tf1var;

typedef struct vscope {
  const char *name;         /* the full variable-scope name */
  int reuse;                /* 0 no, 1 True, inherited by inner scopes */
  const char *saved_ns;     /* the name scope it replaced */
} vscope;

typedef struct frozen_var { /* a variable created with trainable=False */
  const sf_graph *g;
  int var;                  /* its VariableV2 */
} frozen_var;

struct sf_tf1vars {
  tf1var *v;
  int n, cap;
  frozen_var *frozen;       /* arena */
  int nfrozen, capfrozen;
  vscope scopes[64];
  int depth;
  int layers;               /* tf.layers.dense default names: dense, dense_1, ... */
  int dropouts;
};

sf_status sf_py_to_api(sf_interp *I, const sf_val *v, sf_val *out);

static struct sf_tf1vars *state(sf_interp *I) {
  if (!I->tf1vars && (I->tf1vars = sf_arena_alloc(&I->arena, sizeof *I->tf1vars)) != NULL)
    memset(I->tf1vars, 0, sizeof *I->tf1vars);
  return I->tf1vars;
}

static const char *scoped(sf_interp *I, const char *name) {
  struct sf_tf1vars *s = state(I);
  if (!s || !s->depth || !s->scopes[s->depth - 1].name) return sf_arena_strdup(&I->arena, name); /* outlives the args */
  char buf[512];
  snprintf(buf, sizeof buf, "%s/%s", s->scopes[s->depth - 1].name, name);
  return sf_arena_strdup(&I->arena, buf);
}

static sf_status call_api(sf_interp *I, const sf_args *a, const char *path, sf_val *pos, int npos, const char **kwn,
                          sf_val *kw, int nkw, sf_val *out) {
  sf_builtin_fn fn = sf_api_lookup(path);
  if (!fn) return sf_arg_error(I, a, SF_ENAME, "unsupported: %s", path);
  sf_args ca = {.call = a->call, .pos = pos, .npos = npos, .kwnames = kwn, .kw = kw, .nkw = nkw};
  return fn(I, &ca, out);
}

/* The initial value: initializer(shape, dtype=dtype) for a callable, the tensor itself,
 * or glorot_uniform_initializer()(shape) (VarianceScaling(1, "fan_avg", "uniform")). */
static sf_status initial_value(sf_interp *I, const sf_args *a, const sf_val *init, const sf_val *shape, sf_dtype dt,
                               sf_val *out) {
  if (init->kind == V_TENSOR) return *out = *init, SF_OK;
  if (init->kind == V_INT || init->kind == V_FLOAT) return *out = *init, SF_OK;
  sf_val dv = {.kind = V_DTYPE, .dtype = dt};
  if (init->kind != V_NONE) { /* a callable initializer object or function */
    sf_val ps, kws, r;
    sf_status st = sf_py_from_api(I, shape, &ps);
    if (st != SF_OK) return st;
    const char *kn[] = {"dtype"};
    kws = dv;
    sf_args ca = {.call = a->call, .pos = &ps, .npos = 1, .kwnames = kn, .kw = &kws, .nkw = 1};
    st = sf_py_call(I, init, &ca, &r);
    sf_val_drop(&ps);
    if (st != SF_OK) return st;
    st = sf_py_to_api(I, &r, out);
    sf_val_drop(&r);
    return st;
  }
  if (shape->kind != V_LIST && shape->kind != V_TUPLE)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: get_variable() without a shape list");
  int r = shape->n;
  double fan_in = 1, fan_out = 1, rf = 1; /* init_ops._compute_fans */
  for (int i = 0; i < r - 2; i++) rf *= (double)shape->items[i].i;
  if (r == 1) fan_in = fan_out = (double)shape->items[0].i;
  if (r >= 2) fan_in = (double)shape->items[r - 2].i * rf, fan_out = (double)shape->items[r - 1].i * rf;
  double scale = 1.0 / fmax(1.0, (fan_in + fan_out) / 2.0), limit = sqrt(3.0 * scale);
  sf_val pos[3] = {*shape, {.kind = V_FLOAT, .f = -limit}, {.kind = V_FLOAT, .f = limit}};
  const char *kn[] = {"dtype"};
  return call_api(I, a, "tf.random_uniform", pos, 3, kn, &dv, 1, out);
}

/* Room for one more of n arena items of size sz in *p (capacity *cap, doubled from 8). */
static bool room(sf_interp *I, void **p, int n, int *cap, size_t sz) {
  if (n < *cap) return true;
  int nc = *cap ? *cap * 2 : 8;
  void *np = sf_arena_grow(&I->arena, *p, (size_t)n, (size_t)nc, sz);
  if (!np) return false;
  *p = np;
  *cap = nc;
  return true;
}

static tf1var *find(struct sf_tf1vars *s, const sf_graph *g, const char *name) {
  for (int i = 0; i < s->n; i++)
    if (s->v[i].g == g && strcmp(s->v[i].name, name) == 0) return &s->v[i];
  return NULL;
}

/* get_variable with flat arguments: name, shape, dtype, initializer, trainable (None: True). */
static sf_status get_variable(sf_interp *I, const sf_args *a, const char *name, const sf_val *shape, sf_dtype dt,
                              const sf_val *init, const sf_val *trainable, sf_val *out) {
  struct sf_tf1vars *s = state(I);
  if (!s) return sf_py_oom(I);
  const char *full = scoped(I, name);
  if (!full) return sf_py_oom(I);
  bool reuse = s->depth && s->scopes[s->depth - 1].reuse;
  tf1var *v = find(s, I->ctx.graph, full);
  if (v && reuse) return *out = v->value, SF_OK;
  if (v && !I->ctx.eager)
    return sf_py_raise(I, a->call, BC_VALUEERR,
                       "Variable %s already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE "
                       "in VarScope?", full);
  if (!v && reuse)
    return sf_py_raise(I, a->call, BC_VALUEERR,
                       "Variable %s does not exist, or was not created with tf.get_variable(). Did you mean to set "
                       "reuse=tf.AUTO_REUSE in VarScope?", full);
  /* the variable's ops are named from the top: full/Initializer/..., full */
  const char *outer = I->ctx.graph->scope, *ignored, *vscope = full;
  if (!I->ctx.eager) {
    I->ctx.graph->scope = "";
    vscope = sf_b_scope_push(I, full, &ignored);
    if (!vscope) return sf_py_oom(I);
    sf_b_scope_push(I, "Initializer", &ignored);
  }
  sf_val iv;
  sf_status st = initial_value(I, a, init, shape, dt, &iv);
  char again[600]; /* the variable's scope made above, entered again: TF creates the initializer in it */
  snprintf(again, sizeof again, "%s/", vscope);
  sf_val kw[2] = {{.kind = V_STR, .s = I->ctx.eager ? full : again}, *trainable};
  const char *kn[] = {"name", "trainable"};
  if (!I->ctx.eager) I->ctx.graph->scope = "";
  if (st == SF_OK) st = call_api(I, a, "tf.Variable", &iv, 1, kn, kw, trainable->kind == V_NONE ? 1 : 2, out);
  if (!I->ctx.eager) I->ctx.graph->scope = outer;
  if (st != SF_OK) return st;
  if (!room(I, (void **)&s->v, s->n, &s->cap, sizeof *s->v)) return sf_py_oom(I);
  s->v[s->n++] = (tf1var){I->ctx.graph, full, *out};
  return sf_py_keep(I, out); /* the store's reference (eagerly a tf.Variable object), for a reuse later */
}

static sf_status api_get_variable(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("get_variable",
          "name shape dtype initializer regularizer trainable collections caching_device partitioner validate_shape "
          "use_resource custom_getter constraint",
          13);
  if ((st = sf_arg_need(I, a, "get_variable", "name", g[0])) != SF_OK) return st;
  if (v[0].kind != V_STR) return sf_arg_error(I, a, SF_ETYPE, "get_variable(): name must be a string");
  for (int i = 4; i < 13; i++)
    if (i != 5 && i != 6 && i != 9 && g[i] && v[i].kind != V_NONE)
      return sf_arg_error(I, a, SF_ENAME, "unsupported: get_variable(%s=...)",
                          (const char *[]){"", "", "", "", "regularizer", "", "", "caching_device", "partitioner", "",
                                           "use_resource", "custom_getter", "constraint"}[i]);
  sf_dtype dt;
  if ((st = sf_arg_dtype(I, a, "get_variable", &v[2], SF_FLOAT32, &dt)) != SF_OK) return st;
  if (v[3].kind == V_NONE && v[1].kind == V_NONE)
    return sf_py_raise(I, a->call, BC_VALUEERR, "Shape of a new variable (%s) must be fully defined, but instead was <unknown>.",
                       scoped(I, v[0].s));
  return get_variable(I, a, v[0].s, &v[1], dt, &v[3], &v[5], out);
}

/* ---- variable_scope, name_scope ---- */

/* Enters a variable scope (a name scope with it) or, name_only, a name scope alone. */
static sf_status scope_enter(sf_interp *I, const sf_args *a, const char *base, bool name_only, bool reuse) {
  struct sf_tf1vars *s = state(I);
  if (!s) return sf_py_oom(I);
  if (s->depth == 64) return sf_arg_error(I, a, SF_ELIMIT, "variable_scope: more than 64 nested scopes");
  vscope *v = &s->scopes[s->depth];
  v->name = name_only ? (s->depth ? s->scopes[s->depth - 1].name : NULL) : scoped(I, base);
  v->reuse = reuse || (s->depth && s->scopes[s->depth - 1].reuse);
  v->saved_ns = NULL;
  if (!I->ctx.eager) sf_b_scope_push(I, base, &v->saved_ns);
  s->depth++;
  return SF_OK;
}

static void scope_exit(sf_interp *I) {
  struct sf_tf1vars *s = state(I);
  if (!s || !s->depth) return;
  s->depth--;
  if (!I->ctx.eager) sf_b_scope_pop(I, s->scopes[s->depth].saved_ns);
}

static sf_status vs_enter(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out) {
  const char *base = ((sf_str *)self->o)->s;
  bool name_only = base[0] == '\1'; /* name_scope: no variable scope of its own */
  if (name_only) base++;
  bool reuse = base[0] == '\2';
  if (reuse) base++;
  *out = sf_none();
  return scope_enter(I, a, base, name_only, reuse);
}

static sf_status vs_exit(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out) {
  (void)self;
  (void)a;
  scope_exit(I);
  *out = sf_bool(false);
  return SF_OK;
}

/* A context manager over the scope's name (a str object: prefix \1 name scope, \2 reuse). */
static sf_status scope_object(sf_interp *I, const sf_args *a, const char *name, bool name_only, bool reuse, sf_val *out) {
  char buf[512];
  snprintf(buf, sizeof buf, "%s%s%s", name_only ? "\1" : "", reuse ? "\2" : "", name);
  sf_val self;
  if (!sf_str_cstr(buf, &self)) return sf_py_oom(I);
  sf_module *m = sf_obj_alloc(O_MODULE, sizeof *m);
  if (!m || !(m->attrs = sf_dict_alloc(O_DICT))) return free(m), sf_val_drop(&self), sf_py_oom(I);
  m->name = name_only ? "name_scope" : "variable_scope";
  *out = sf_obj_val(m);
  bool ok = sf_py_def_native(m->attrs, "__enter__", vs_enter, &self) && sf_py_def_native(m->attrs, "__exit__", vs_exit, &self);
  sf_val_drop(&self);
  if (!ok) return sf_val_drop(out), sf_py_oom(I);
  out->o->rc--; /* borrowed: sf_py_from_api takes its own reference */
  (void)a;
  return SF_OK;
}

static sf_status api_variable_scope(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("variable_scope",
          "name_or_scope default_name values initializer regularizer caching_device partitioner custom_getter reuse "
          "dtype use_resource constraint auxiliary_name_scope",
          13);
  const sf_val *n = v[0].kind != V_NONE ? &v[0] : &v[1];
  if (n->kind != V_STR) return sf_arg_error(I, a, SF_ENAME, "unsupported: variable_scope() without a scope name string");
  for (int i = 3; i < 13; i++)
    if (i != 8 && i != 9 && g[i] && v[i].kind != V_NONE)
      return sf_arg_error(I, a, SF_ENAME, "unsupported: variable_scope() with argument %d given", i + 1);
  bool reuse = v[8].kind == V_BOOL && v[8].b;
  if (v[8].kind != V_NONE && v[8].kind != V_BOOL)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: variable_scope(reuse=...) other than True, False or None");
  return scope_object(I, a, n->s, false, reuse, out);
}

static sf_status api_name_scope(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("name_scope", "name default_name values", 3);
  const sf_val *n = v[0].kind != V_NONE ? &v[0] : &v[1];
  if (n->kind != V_STR) return sf_arg_error(I, a, SF_ENAME, "unsupported: name_scope() without a name string");
  return scope_object(I, a, n->s, true, false, out);
}

/* ---- tf.nn.relu, tf.layers ---- */

static sf_status api_relu(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("relu", "features name", 2);
  if ((st = sf_arg_need(I, a, "relu", "features", g[0])) != SF_OK) return st;
  int x;
  sf_node *n;
  if ((st = sf_b_tensor(I, &v[0], -1, "features", a->call, &x)) != SF_OK) return st;
  if ((st = sf_b_op(I, "Relu", v[1].kind == V_STR ? v[1].s : "Relu", &x, 1, NULL, &n)) != SF_OK) return st;
  sf_b_tensor_val(I, n->id, out);
  return SF_OK;
}

/* A layer's variable scope name: name, or base, base_1, ... */
static const char *layer_name(sf_interp *I, const sf_val *name, const char *base, int *count) {
  if (name->kind == V_STR) return sf_arena_strdup(&I->arena, name->s);
  char buf[64];
  if ((*count)++) snprintf(buf, sizeof buf, "%s_%d", base, *count - 1);
  else snprintf(buf, sizeof buf, "%s", base);
  return sf_arena_strdup(&I->arena, buf);
}

static sf_status api_layers_dense(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("dense",
          "inputs units activation use_bias kernel_initializer bias_initializer kernel_regularizer bias_regularizer "
          "activity_regularizer kernel_constraint bias_constraint trainable name reuse",
          14);
  if ((st = sf_arg_need(I, a, "dense", "inputs", g[0])) != SF_OK || (st = sf_arg_need(I, a, "dense", "units", g[1])) != SF_OK)
    return st;
  for (int i = 6; i < 11; i++)
    if (g[i] && v[i].kind != V_NONE) return sf_arg_error(I, a, SF_ENAME, "unsupported: dense() regularizers and constraints");
  if (I->ctx.eager) return sf_arg_error(I, a, SF_ENAME, "unsupported: tf.layers.dense in eager mode (use tf.keras.layers.Dense)");
  int64_t units;
  if ((st = sf_arg_int(I, a, "dense", "units", &v[1], &units)) != SF_OK) return st;
  int x;
  if ((st = sf_b_tensor(I, &v[0], -1, "inputs", a->call, &x)) != SF_OK) return st;
  const sf_node *xn = sf_graph_node(I->ctx.graph, x);
  if (!xn->shape_known || xn->shape.rank != 2 || xn->shape.dims[1] < 0)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: tf.layers.dense on inputs that are not [batch, features]");
  struct sf_tf1vars *s = state(I);
  if (!s) return sf_py_oom(I);
  const char *name = layer_name(I, &v[12], "dense", &s->layers);
  bool reuse = v[13].kind == V_BOOL && v[13].b;
  if (!name) return sf_py_oom(I);
  if ((st = scope_enter(I, a, name, false, reuse)) != SF_OK) return st;
  sf_val none = sf_none();
  sf_val kshape_items[2] = {{.kind = V_INT, .i = xn->shape.dims[1]}, {.kind = V_INT, .i = units}};
  sf_val kshape = {.kind = V_LIST, .items = kshape_items, .n = 2}, bshape = {.kind = V_LIST, .items = &kshape_items[1], .n = 1};
  sf_val kernel, bias = sf_none(), y;
  const sf_val *kinit = g[4] ? &v[4] : &none;
  st = get_variable(I, a, "kernel", &kshape, xn->dtype, kinit, &v[11], &kernel);
  bool use_bias = !g[3] || v[3].kind != V_BOOL || v[3].b;
  if (st == SF_OK && use_bias) {
    sf_val binit = g[5] ? v[5] : sf_none();
    if (binit.kind == V_NONE) { /* zeros_initializer(): one Const (array_ops.zeros) */
      sf_tensor *zt = sf_tensor_new(xn->dtype, &(sf_shape){.rank = 1, .dims = {units}}, I->err);
      int zid;
      if (!zt) st = I->err->code;
      else {
        const char *saved;
        sf_b_scope_push(I, scoped(I, "bias/Initializer"), &saved);
        st = sf_b_const(I, zt, "zeros", &zid);
        sf_b_scope_pop(I, saved);
        sf_tensor_unref(zt);
        if (st == SF_OK) sf_b_tensor_val(I, zid, &binit);
      }
    }
    if (st == SF_OK) st = get_variable(I, a, "bias", &bshape, xn->dtype, &binit, &v[11], &bias);
  }
  sf_node *mm = NULL, *ba = NULL;
  if (st == SF_OK) st = sf_b_op(I, "MatMul", "MatMul", (int[]){x, kernel.node}, 2, NULL, &mm);
  if (st == SF_OK && use_bias) st = sf_b_op(I, "BiasAdd", "BiasAdd", (int[]){mm->id, bias.node}, 2, NULL, &ba);
  if (st == SF_OK) sf_b_tensor_val(I, (ba ? ba : mm)->id, &y);
  if (st == SF_OK && g[2] && v[2].kind != V_NONE) { /* activation(outputs) */
    sf_args ca = {.call = a->call, .pos = &y, .npos = 1};
    sf_val act = v[2];
    if (act.kind == V_BUILTIN) st = act.fn(I, &ca, &y);
    else {
      sf_val ry;
      if ((st = sf_py_call(I, &act, &ca, &ry)) == SF_OK) {
        st = sf_py_to_api(I, &ry, &y);
        sf_val_drop(&ry);
      }
    }
  }
  scope_exit(I);
  if (st == SF_OK) *out = y;
  return st;
}

static sf_status api_layers_dropout(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("dropout", "inputs rate noise_shape seed training name", 6);
  if ((st = sf_arg_need(I, a, "dropout", "inputs", g[0])) != SF_OK) return st;
  struct sf_tf1vars *s = state(I);
  if (!s) return sf_py_oom(I);
  const char *name = layer_name(I, &v[5], "dropout", &s->dropouts);
  if (!name) return sf_py_oom(I);
  if (v[4].kind == V_TENSOR)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: tf.layers.dropout(training=<tensor>) (a tf.cond in a TF1 graph)");
  bool training = v[4].kind != V_NONE && sf_truthy(I, &v[4]);
  const char *saved = NULL;
  if (!I->ctx.eager) sf_b_scope_push(I, name, &saved);
  if (!training) { /* smart_cond's false branch: identity(inputs) */
    st = call_api(I, a, "tf.identity", &v[0], 1, NULL, NULL, 0, out);
  } else {
    sf_val rate = g[1] ? v[1] : (sf_val){.kind = V_FLOAT, .f = 0.5};
    sf_val kw[3] = {rate, v[2], v[3]};
    const char *kn[] = {"rate", "noise_shape", "seed"};
    st = call_api(I, a, "tf.nn.dropout", &v[0], 1, kn, kw, 3, out);
  }
  if (!I->ctx.eager) sf_b_scope_pop(I, saved);
  return st;
}

/* ---- collections ---- */

sf_status sf_tf1_not_trainable(sf_interp *I, int var) {
  struct sf_tf1vars *s = state(I);
  if (!s) return sf_py_oom(I);
  if (!room(I, (void **)&s->frozen, s->nfrozen, &s->capfrozen, sizeof *s->frozen)) return sf_py_oom(I);
  s->frozen[s->nfrozen++] = (frozen_var){I->ctx.graph, var};
  return SF_OK;
}

bool sf_tf1_trainable(sf_interp *I, const sf_graph *g, int var) {
  for (int i = 0; I->tf1vars && i < I->tf1vars->nfrozen; i++)
    if (I->tf1vars->frozen[i].g == g && I->tf1vars->frozen[i].var == var) return false;
  return true;
}

bool sf_tf1_keras_weights(const sf_graph *g) {
  for (int i = 0; i < g->n; i++)
    if (strcmp(g->nodes[i]->op->name, "AssignVariableOp") == 0) return true;
  return false;
}

int sf_tf1_read_of(const sf_graph *g, int var) {
  for (int i = var; i < g->n; i++)
    if (strcmp(g->nodes[i]->op->name, "Identity") == 0 && g->nodes[i]->inputs[0] == var) return g->nodes[i]->id;
  return 0;
}

static sf_status collection(sf_interp *I, const sf_args *a, const char *fname, bool trainable_only, sf_val *out) {
  sf_val v[1];
  bool given[1];
  sf_status st = sf_bind(I, fname, a, "scope", v, given);
  if (st != SF_OK) return st;
  if (v[0].kind != V_NONE && v[0].kind != V_STR) return sf_arg_error(I, a, SF_ETYPE, "%s(): scope must be a string", fname);
  const char *scope = v[0].kind == V_STR ? v[0].s : "";
  if (strpbrk(scope, ".^$*+?{}[]\\|()"))
    return sf_arg_error(I, a, SF_ENAME, "unsupported: %s(scope=%s): a scope with regular-expression characters", fname, scope);
  const sf_graph *g = I->ctx.graph;
  if (!I->ctx.eager && sf_tf1_keras_weights(g)) /* resource variables seedflow keeps out of the graph's collections */
    return sf_arg_error(I, a, SF_ENAME, "unsupported: %s() of a graph with Keras layers' weights", fname);
  int n = 0;
  for (int i = 0; !I->ctx.eager && i < g->n; i++) n += strcmp(g->nodes[i]->op->name, "VariableV2") == 0;
  sf_val *items = n ? sf_arena_alloc(&I->arena, (size_t)n * sizeof *items) : NULL;
  if (n && !items) return sf_py_oom(I);
  int k = 0;
  for (int i = 0; !I->ctx.eager && i < g->n; i++) {
    const sf_node *var = g->nodes[i];
    int read = strcmp(var->op->name, "VariableV2") == 0 ? sf_tf1_read_of(g, var->id) : 0;
    if (!read || (trainable_only && !sf_tf1_trainable(I, g, var->id))) continue;
    const char *name = var->name; /* "net/w/": the scope it was made in */
    if (strncmp(name, scope, strlen(scope)) != 0) continue;
    sf_b_tensor_val(I, read, &items[k++]);
  }
  *out = (sf_val){.kind = V_LIST, .items = items, .n = k};
  return SF_OK;
}

static sf_status api_trainable_variables(sf_interp *I, const sf_args *a, sf_val *out) {
  return collection(I, a, "trainable_variables", true, out);
}
static sf_status api_global_variables(sf_interp *I, const sf_args *a, sf_val *out) {
  return collection(I, a, "global_variables", false, out);
}

static const struct {
  const char *path;
  sf_builtin_fn fn;
} api[] = {
    {"tf.trainable_variables", api_trainable_variables},
    {"tf.compat.v1.trainable_variables", api_trainable_variables},
    {"tf.global_variables", api_global_variables},
    {"tf.compat.v1.global_variables", api_global_variables},
    {"tf.all_variables", api_global_variables},
    {"tf.get_variable", api_get_variable},
    {"tf.compat.v1.get_variable", api_get_variable},
    {"tf.variable_scope", api_variable_scope},
    {"tf.compat.v1.variable_scope", api_variable_scope},
    {"tf.name_scope", api_name_scope},
    {"tf.compat.v1.name_scope", api_name_scope},
    {"tf.nn.relu", api_relu},
    {"tf.compat.v1.nn.relu", api_relu},
    {"tf.layers.dense", api_layers_dense},
    {"tf.compat.v1.layers.dense", api_layers_dense},
    {"tf.layers.dropout", api_layers_dropout},
    {"tf.compat.v1.layers.dropout", api_layers_dropout},
};

/* tf.nn.relu only builds its op (sf_api_pure). */
bool sf_tf1vars_pure(sf_builtin_fn fn) { return fn == api_relu; }

sf_builtin_fn sf_tf1vars_lookup(const char *path) {
  for (size_t i = 0; i < sizeof api / sizeof *api; i++)
    if (strcmp(api[i].path, path) == 0) return api[i].fn;
  return NULL;
}
