/* api_keras_subclass.c — tf.keras.layers.Layer and tf.keras.Model as base classes of program
 * classes (keras/engine/base_layer.py, TF 2.4): __init__(**kwargs), add_weight, __call__
 * (builds once on the input's shape under init_scope, then calls self.call(inputs[,
 * training])), build, and the attributes variables / weights / trainable_variables /
 * trainable_weights / non_trainable_* / losses / layers, gathered from the layer's own
 * weights and then its sublayers in attribute order (Layer._flatten_layers). add_weight's
 * initializer is drawn eagerly (init_scope) like a Dense kernel's, so its seeds follow the
 * eager rule of the profile. Graph mode (TF1 variables) and the tf2.10/keras3 profiles
 * (their default-initializer seeding) are located errors. */
#include "interp.h"
#include "py.h"
#include "value.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NATIVE(name) static sf_status name(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out)

static const char layer_class[] = "Layer", model_class[] = "Model"; /* compared by address */

static bool is_keras_inst(const sf_val *v) {
  if (!sf_is(v, O_INST)) return false;
  for (const sf_class *c = ((sf_inst *)v->o)->cls; c; c = c->base)
    if (c->name == layer_class || c->name == model_class) return true;
  return false;
}

static sf_val *field(const sf_val *o, const char *n) { return sf_dict_get_str(((sf_inst *)o->o)->attrs, n); }

static bool set_field(const sf_val *o, const char *n, sf_val v) {
  bool ok = sf_dict_set_str(((sf_inst *)o->o)->attrs, n, &v);
  sf_val_drop(&v);
  return ok;
}

/* The instance (bound as self, or a->pos[0] when called through the class, as
 * super().__init__ does) and the other arguments. */
static sf_status split_self(sf_interp *I, const sf_val *self, const sf_args *a, const char *fname, sf_args *rest,
                            const sf_val **inst) {
  *rest = *a;
  if (is_keras_inst(self)) return *inst = self, SF_OK;
  if (a->npos < 1 || !is_keras_inst(&a->pos[0])) return sf_py_raise(I, a->call, BC_TYPEERR, "%s() needs a Keras layer as self", fname);
  *inst = &a->pos[0];
  rest->pos++;
  rest->npos--;
  return SF_OK;
}

static sf_status need_init(sf_interp *I, const sf_args *a, const sf_val *inst) {
  if (field(inst, "_sf_weights")) return SF_OK;
  return sf_py_raise(I, a->call, BC_RUNTIME, "It looks like you are subclassing `Model` and you forgot to call `super().__init__()`. "
                                                 "Always start with this line.");
}

static sf_status layer_add_weight(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out);
static sf_status model_summary(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out);

static bool is_model(const sf_val *v) {
  for (const sf_class *c = ((sf_inst *)v->o)->cls; c; c = c->base)
    if (c->name == model_class) return true;
  return false;
}
static sf_status layer_call(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out);

/* Layer.__init__(self, trainable=True, name=None, dtype=None, **kwargs): the name defaults to
 * the class name in snake case (generic_utils.to_snake_case), made unique as Keras's
 * default names are ("my_layer", "my_layer_1", ...: sf_keras_unique_name). */
NATIVE(layer_init) {
  sf_args rest;
  const sf_val *inst;
  sf_status st = split_self(I, self, a, "__init__", &rest, &inst);
  if (st != SF_OK) return st;
  sf_val v[4];
  if ((st = sf_native_bind(I, &rest, "__init__", "trainable name dtype input_shape", v, 4)) != SF_OK) return st;
  char buf[128];
  const char *cn = ((sf_inst *)inst->o)->cls->name;
  size_t o = 0;
  for (size_t i = 0; cn[i] && o + 2 < sizeof buf; i++) {
    unsigned char c = (unsigned char)cn[i];
    if (isupper(c) && i > 0 && (islower((unsigned char)cn[i - 1]) || isdigit((unsigned char)cn[i - 1]) || islower((unsigned char)cn[i + 1])))
      buf[o++] = '_';
    buf[o++] = (char)tolower(c);
  }
  buf[o] = 0;
  char unique[160];
  sf_val name = {0}, list = {0};
  if (sf_is(&v[1], O_STR)) name = v[1], sf_val_ref(&name);
  else if (!sf_keras_unique_name(I, buf, unique, sizeof unique) || !sf_str_cstr(unique, &name)) return sf_py_oom(I);
  if (!sf_list_new(O_LIST, 0, &list)) return sf_val_drop(&name), sf_py_oom(I);
  if (!set_field(inst, "name", name) || !set_field(inst, "_sf_weights", list) || !set_field(inst, "built", sf_bool(false)) ||
      !set_field(inst, "trainable", sf_bool(v[0].kind == V_NONE || sf_truthy(I, &v[0]))))
    return sf_py_oom(I);
  /* methods other than __init__ bind to the instance here (class-level natives are not bound) */
  sf_dict *d = ((sf_inst *)inst->o)->attrs;
  if (!sf_py_def_native(d, "add_weight", layer_add_weight, inst) || !sf_py_def_native(d, "__call__", layer_call, inst) ||
      (is_model(inst) && !sf_py_def_native(d, "summary", model_summary, inst)))
    return sf_py_oom(I);
  *out = sf_none();
  return SF_OK;
}

/* add_weight(name=None, shape=None, dtype=None, initializer=None, regularizer=None,
 * trainable=None, constraint=None): a resource variable whose initializer runs eagerly
 * (init_scope); glorot_uniform when none is given (base_layer.py, floating dtypes). */
NATIVE(layer_add_weight) {
  sf_args rest;
  const sf_val *inst;
  sf_status st = split_self(I, self, a, "add_weight", &rest, &inst);
  if (st != SF_OK) return st;
  if ((st = need_init(I, a, inst)) != SF_OK) return st;
  sf_val v[7];
  if ((st = sf_native_bind(I, &rest, "add_weight", "name shape dtype initializer regularizer trainable constraint", v, 7)) != SF_OK)
    return st;
  if (I->opt.mode == SF_MODE_GRAPH) return sf_arg_error(I, a, SF_ENAME, "unsupported: add_weight in graph mode (TF1 Keras variables)");
  if (I->opt.profile != SF_PROFILE_TF1 && I->opt.profile != SF_PROFILE_TF2)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: add_weight under this profile (its initializer seeding is not modelled)");
  if (v[4].kind != V_NONE) return sf_arg_error(I, a, SF_ENAME, "unsupported: add_weight(regularizer=...)");
  if (v[2].kind != V_NONE) {
    sf_val dt;
    if ((st = sf_py_to_api(I, &v[2], &dt)) != SF_OK) return st;
    if (!(dt.kind == V_DTYPE && dt.dtype == SF_FLOAT32) && !(dt.kind == V_STR && strcmp(dt.s, "float32") == 0))
      return sf_arg_error(I, a, SF_EINVAL, "add_weight: only dtype float32 is supported");
  }
  int64_t dims[SF_MAX_RANK];
  int rank = 0;
  if (!sf_is(&v[1], O_LIST) && !sf_is(&v[1], O_TUPLE) && v[1].kind != V_NONE)
    return sf_arg_error(I, a, SF_ETYPE, "add_weight: shape must be a list or tuple of ints");
  for (int64_t i = 0; v[1].kind != V_NONE && i < SF_LIST(&v[1])->n; i++) {
    const sf_val *d = &SF_LIST(&v[1])->items[i];
    if (d->kind != V_INT || d->i < 0 || d->i > 1 << 24 || rank == SF_MAX_RANK)
      return sf_arg_error(I, a, SF_EINVAL, "add_weight: shape must be a list or tuple of non-negative ints");
    dims[rank++] = d->i;
  }
  sf_val init;
  int kinit;
  if ((st = sf_py_to_api(I, &v[3], &init)) != SF_OK ||
      (st = sf_kinit_resolve(I, a, "add_weight", &init, "glorot_uniform", &kinit)) != SF_OK)
    return st;
  bool lift = I->ctx.graph->is_function;
  if (lift && (st = sf_context_enter_eager(&I->ctx, I->err)) != SF_OK) return st;
  sf_val drawn;
  int k = -1;
  st = sf_kinit_draw(I, kinit, dims, rank, SF_FLOAT32, a->call, &drawn);
  if (st == SF_OK) st = sf_b_variable(I, drawn.node, &k);
  if (lift) sf_context_leave(&I->ctx);
  if (st != SF_OK) return st;
  char buf[256];
  snprintf(buf, sizeof buf, "%s/%s:0", SF_STR(field(inst, "name"))->s, sf_is(&v[0], O_STR) ? SF_STR(&v[0])->s : "Variable");
  const char *nm = sf_arena_strdup(&I->arena, buf);
  if (!nm) return sf_py_oom(I);
  if ((st = sf_tape_wrap_variable(I, k, nm, v[5].kind == V_NONE || sf_truthy(I, &v[5]), &v[6], out)) != SF_OK) return st;
  if (!sf_list_append(SF_LIST(field(inst, "_sf_weights")), out)) return sf_val_drop(out), sf_py_oom(I);
  return SF_OK;
}

NATIVE(layer_build) {
  (void)I;
  (void)self;
  (void)a;
  *out = sf_none();
  return SF_OK;
}

/* Whether the class's call() takes a `training` argument (Keras inspects call's signature). */
static bool call_takes_training(sf_interp *I, const sf_val *inst) {
  sf_val m = {0};
  sf_status st;
  bool r = false;
  if (sf_py_getattr(I, inst, "call", &m, &st) && sf_is(&m, O_BOUND) && sf_is(&((sf_bound *)m.o)->fn, O_FUNC)) {
    const sf_stmt *d = ((sf_func *)((sf_bound *)m.o)->fn.o)->def;
    for (int i = 0; i < d->nparams; i++) r = r || strcmp(d->params[i], "training") == 0;
  }
  sf_val_drop(&m);
  return r;
}

/* Layer.__call__(inputs, training=None): inputs converted to a float32 tensor; the first
 * call builds on its shape (maybe_init_scope); then self.call. */
NATIVE(layer_call) {
  sf_args rest;
  const sf_val *inst;
  sf_status st = split_self(I, self, a, "__call__", &rest, &inst);
  if (st != SF_OK) return st;
  if ((st = need_init(I, a, inst)) != SF_OK) return st;
  sf_val v[3];
  if ((st = sf_native_bind(I, &rest, "__call__", "inputs training mask", v, 3)) != SF_OK) return st;
  sf_val api, x;
  int id;
  if ((st = sf_py_to_api(I, &v[0], &api)) != SF_OK) return st;
  if (api.kind != V_TENSOR || api.g != I->ctx.graph) {
    if ((st = sf_b_tensor(I, &api, SF_FLOAT32, "inputs", a->call, &id)) != SF_OK) return st;
    sf_b_tensor_val(I, id, &api);
  }
  if ((st = sf_py_from_api(I, &api, &x)) != SF_OK) return st;
  const sf_node *xn = sf_graph_node(api.g, api.node);
  if (!sf_truthy(I, field(inst, "built"))) {
    sf_val shape = {0}, r = {0};
    if (!sf_list_new(O_TUPLE, xn->shape_known ? xn->shape.rank : 0, &shape)) return sf_val_drop(&x), sf_py_oom(I);
    for (int d = 0; xn->shape_known && d < xn->shape.rank; d++)
      SF_LIST(&shape)->items[d] = xn->shape.dims[d] < 0 ? sf_none() : sf_int(xn->shape.dims[d]);
    /* tf.keras's _maybe_build passes a TensorShape (keras/engine/base_layer.py, tf_utils.get_shapes),
     * Keras 3 a tuple */
    SF_LIST(&shape)->tshape = I->opt.profile != SF_PROFILE_KERAS3;
    bool lift = I->ctx.graph->is_function;
    if (lift && (st = sf_context_enter_eager(&I->ctx, I->err)) != SF_OK) return sf_val_drop(&shape), sf_val_drop(&x), st;
    if (!sf_py_call_method(I, a->call, inst, "build", 1, &shape, &r, &st)) st = SF_OK;
    if (lift) sf_context_leave(&I->ctx);
    sf_val_drop(&shape);
    sf_val_drop(&r);
    if (st == SF_OK && !set_field(inst, "built", sf_bool(true))) st = sf_py_oom(I);
    if (st != SF_OK) return sf_val_drop(&x), st;
  }
  sf_val m = {0};
  if (!sf_py_getattr(I, inst, "call", &m, &st)) {
    sf_val_drop(&x);
    return st != SF_OK ? st : sf_arg_error(I, a, SF_ENAME, "unsupported: a Keras layer subclass without a call() method");
  }
  const char *kw[1] = {"training"};
  bool pass = v[1].kind != V_NONE && call_takes_training(I, inst);
  sf_args ca = {.call = a->call, .pos = &x, .npos = 1, .kwnames = kw, .kw = &v[1], .nkw = pass ? 1 : 0};
  st = sf_py_call(I, &m, &ca, out);
  sf_val_drop(&m);
  sf_val_drop(&x);
  return st;
}

/* The class's __call__, reached only when __init__ did not bind the instance's (no
 * super().__init__()): Keras's message for a Model (Model.__setattr__). */
NATIVE(layer_call_uninit) {
  (void)self;
  (void)out;
  return sf_py_raise(I, a->call, BC_RUNTIME, "It looks like you are subclassing `Model` and you forgot to call `super().__init__()`. "
                                              "Always start with this line.");
}

/* Whether Keras's Layer (or Model) has the public attribute name (keras/engine/base_layer.py
 * and training.py at v2.9.0): a subclass lacking it in seedflow is unsupported there; any
 * other name is Python's AttributeError (hasattr False, getattr's default). */
bool sf_keras_base_has(const char *cls, const char *name) {
  static const char *const layer[] = {
      "activity_regularizer", "add_loss", "add_metric", "add_update", "add_variable", "add_weight", "build", "built",
      "call", "compute_dtype", "compute_mask", "compute_output_shape", "compute_output_signature", "count_params",
      "dtype", "dtype_policy", "dynamic", "finalize_state", "from_config", "get_config", "get_input_at",
      "get_input_mask_at", "get_input_shape_at", "get_output_at", "get_output_mask_at", "get_output_shape_at",
      "get_weights", "inbound_nodes", "input", "input_mask", "input_shape", "input_spec", "losses", "metrics", "name",
      "name_scope", "non_trainable_variables", "non_trainable_weights", "outbound_nodes", "output", "output_mask",
      "output_shape", "set_weights", "stateful", "submodules", "supports_masking", "trainable", "trainable_variables",
      "trainable_weights", "updates", "variable_dtype", "variables", "weights", "with_name_scope", NULL};
  static const char *const model[] = {
      "compile", "compiled_loss", "compiled_metrics", "distribute_strategy", "evaluate", "evaluate_generator", "fit",
      "fit_generator", "get_layer", "history", "layers", "load_weights", "make_predict_function", "make_test_function",
      "make_train_function", "metrics_names", "optimizer", "predict", "predict_generator", "predict_on_batch",
      "predict_step", "reset_metrics", "reset_states", "run_eagerly", "save", "save_spec", "save_weights",
      "state_updates", "steps_per_execution", "stop_training", "summary", "test_on_batch", "test_step", "to_json",
      "to_yaml", "train_on_batch", "train_step", NULL};
  static const char *const module[] = {"name", "name_scope", "non_trainable_variables", "submodules",
                                       "trainable_variables", "variables", "with_name_scope", NULL}; /* tf.Module (module.py) */
  if (!strcmp(cls, "Module")) {
    for (int i = 0; module[i]; i++)
      if (!strcmp(module[i], name)) return true;
    return false;
  }
  if (cls != layer_class && cls != model_class) return true; /* another API class: any name it lacks */
  for (int i = 0; layer[i]; i++)
    if (!strcmp(layer[i], name)) return true;
  for (int i = 0; model[i] && cls == model_class; i++)
    if (!strcmp(model[i], name)) return true;
  return false;
}

bool sf_keras_base_class(sf_interp *I, const char *path, sf_val *base, sf_status *st) {
  *st = SF_OK;
  const char *name = strcmp(path, "tf.keras.layers.Layer") == 0 ? layer_class
                     : strcmp(path, "tf.keras.Model") == 0 || strcmp(path, "tf.keras.models.Model") == 0 ? model_class
                                                                                                          : NULL;
  if (!name) return false;
  sf_class *c = sf_obj_alloc(O_CLASS, sizeof *c);
  if (!c || !(c->attrs = sf_dict_alloc(O_DICT))) return free(c), *st = sf_py_oom(I), true;
  c->name = name;
  c->partial = true; /* Keras's methods seedflow lacks (compile, fit on a subclass) are unsupported, not AttributeErrors */
  c->base = I->py->cls[BC_OBJECT];
  c->base->h.rc++;
  sf_val none = sf_none();
  if (!sf_py_def_native(c->attrs, "__init__", layer_init, &none) ||
      !sf_py_def_native(c->attrs, "build", layer_build, &none) || !sf_py_def_native(c->attrs, "__call__", layer_call_uninit, &none))
    *st = sf_py_oom(I);
  sf_val_drop(base);
  *base = sf_obj_val(c);
  return true;
}

/* ---- attributes ---- */

enum { A_ALL, A_TRAINABLE, A_NON_TRAINABLE, A_LOSSES, A_LAYERS };

static sf_status gather(sf_interp *I, const sf_expr *at, const sf_val *inst, int what, sf_list *out);

/* One sublayer's part: built-in layers and models through sf_keras_attr; subclasses recurse. */
static sf_status gather_item(sf_interp *I, const sf_expr *at, const sf_val *v, int what, sf_list *out) {
  if (what == A_LAYERS && (v->kind == V_LAYER || v->kind == V_MODEL || is_keras_inst(v))) return sf_list_append(out, v) ? SF_OK : sf_py_oom(I);
  if (is_keras_inst(v)) return gather(I, at, v, what, out);
  if (v->kind != V_LAYER && v->kind != V_MODEL) return SF_OK;
  if (what == A_NON_TRAINABLE) return SF_OK;
  sf_val l = {0};
  sf_status st = SF_OK;
  if (!sf_keras_attr(I, at, v, what == A_LOSSES ? "losses" : "variables", &l, &st)) return st;
  for (int64_t i = 0; st == SF_OK && i < SF_LIST(&l)->n; i++)
    if (!sf_list_append(out, &SF_LIST(&l)->items[i])) st = sf_py_oom(I);
  sf_val_drop(&l);
  return st;
}

static sf_status gather(sf_interp *I, const sf_expr *at, const sf_val *inst, int what, sf_list *out) {
  sf_val *own = field(inst, "_sf_weights");
  for (int64_t i = 0; own && what != A_LOSSES && what != A_LAYERS && i < SF_LIST(own)->n; i++) {
    const sf_val *w = &SF_LIST(own)->items[i];
    bool tr = sf_truthy(I, sf_dict_get_str(((sf_inst *)w->o)->attrs, "trainable"));
    if ((what == A_ALL || (what == A_TRAINABLE) == tr) && !sf_list_append(out, w)) return sf_py_oom(I);
  }
  sf_dict *d = ((sf_inst *)inst->o)->attrs;
  for (int64_t i = 0; i < d->ne; i++) { /* insertion order: attribute assignment order */
    const sf_dentry *e = &d->e[i];
    if (!e->used || !sf_is(&e->key, O_STR) || SF_STR(&e->key)->s[0] == '_') continue;
    sf_status st = SF_OK;
    if (sf_is(&e->value, O_LIST) || sf_is(&e->value, O_TUPLE)) {
      for (int64_t j = 0; st == SF_OK && j < SF_LIST(&e->value)->n; j++) st = gather_item(I, at, &SF_LIST(&e->value)->items[j], what, out);
    } else {
      st = gather_item(I, at, &e->value, what, out);
    }
    if (st != SF_OK) return st;
  }
  return SF_OK;
}

/* Model.summary() of a subclass (layer_utils.print_summary, sequential-like: "We treat
 * subclassed models as a simple sequence of layers"): a row per layer in model.layers, its
 * output shape "multiple" (a layer called eagerly keeps no inbound node, so output_shape
 * raises AttributeError), its params count_params(), or "0 (unused)" when never built.
 * Built-in layers only: a custom sublayer's or the model's own weights are a located error. */
NATIVE(model_summary) {
  sf_args rest;
  const sf_val *inst;
  sf_status st = split_self(I, self, a, "summary", &rest, &inst);
  if (st != SF_OK || (st = need_init(I, a, inst)) != SF_OK || (st = sf_keras_summary_check(I, &rest)) != SF_OK) return st;
  if (!sf_truthy(I, field(inst, "built"))) /* training.py Model.summary */
    return sf_py_raise(I, a->call, BC_VALUEERR, "This model has not yet been built. Build the model first by calling "
                                                "`build()` or by calling the model on a batch of data.");
  sf_val layers = {0};
  if (!sf_list_new(O_LIST, 0, &layers)) return sf_py_oom(I);
  if ((st = gather(I, a->call, inst, A_LAYERS, SF_LIST(&layers))) != SF_OK) return sf_val_drop(&layers), st;
  sf_list *ls = SF_LIST(&layers);
  const sf_val *own = field(inst, "_sf_weights");
  if (SF_LIST(own)->n || ls->n > 32) st = sf_arg_error(I, a, SF_ENAME, "unsupported: summary() of a Model subclass with %s",
                                                     ls->n > 32 ? "more than 32 layers" : "weights of its own");
  char text[32][2][128];
  const char *rows[32][3];
  int64_t total = 0;
  for (int64_t i = 0; st == SF_OK && i < ls->n; i++) {
    int64_t p = 0;
    const sf_val *l = &ls->items[i];
    if (l->kind != V_LAYER || !sf_keras_layer_row(I, l->index, text[i][0], sizeof text[i][0], &p)) {
      st = sf_arg_error(I, a, SF_ENAME, "unsupported: summary() of a Model subclass holding a %s",
                        l->kind == V_MODEL ? "model" : "custom or symbolic layer");
      break;
    }
    if (p >= 0) snprintf(text[i][1], sizeof text[i][1], "%lld", (long long)p);
    else snprintf(text[i][1], sizeof text[i][1], "0 (unused)");
    total += p > 0 ? p : 0;
    rows[i][0] = text[i][0];
    rows[i][1] = "multiple";
    rows[i][2] = text[i][1];
  }
  if (st == SF_OK)
    st = sf_keras_summary_print(I, a, SF_STR(field(inst, "name"))->s, (int)ls->n, (const char *const (*)[3])rows, total, 0);
  sf_val_drop(&layers);
  *out = sf_none();
  return st;
}

bool sf_keras_inst_attr(sf_interp *I, const sf_expr *at, const sf_val *self, const char *name, sf_val *out, sf_status *st) {
  *st = SF_OK;
  if (!is_keras_inst(self) || !field(self, "_sf_weights")) return false;
  static const struct {
    const char *name;
    int what;
  } attrs[] = {{"variables", A_ALL},     {"weights", A_ALL},   {"trainable_variables", A_TRAINABLE}, {"trainable_weights", A_TRAINABLE},
               {"non_trainable_variables", A_NON_TRAINABLE}, {"non_trainable_weights", A_NON_TRAINABLE},
               {"losses", A_LOSSES},     {"layers", A_LAYERS}};
  for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++) {
    if (strcmp(attrs[i].name, name) != 0) continue;
    if (!sf_list_new(O_LIST, 0, out)) return *st = sf_py_oom(I), true;
    if ((*st = gather(I, at, self, attrs[i].what, SF_LIST(out))) != SF_OK) sf_val_drop(out);
    return true;
  }
  return false;
}
