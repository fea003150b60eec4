/* api_keras_layers.c — Keras layer extras: regularizer objects (keras/regularizers.py, TF
 * 2.4), a Dense layer's kernel_/bias_regularizer and kernel_/bias_constraint arguments, and
 * the attributes of layers and models: layers, variables / weights, trainable_variables /
 * trainable_weights, non_trainable_*, losses, kernel, bias, name. A weight's regularizer is
 * one of Layer._callable_losses (base_layer.py _handle_weight_regularization): reading
 * model.losses runs each of them again in the current context, as Layer.losses does. */
#include "interp.h"
#include "py.h"
#include "value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NATIVE(name) static sf_status name(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out)

static const char reg_class[] = "Regularizer"; /* compared by address */

static bool is_regularizer(const sf_val *v) { return sf_is(v, O_INST) && ((sf_inst *)v->o)->cls->name == reg_class; }
static double reg_field(const sf_val *r, const char *name) { return sf_dict_get_str(((sf_inst *)r->o)->attrs, name)->f; }

/* One API function of the flat table on positional args. */
static sf_status call(sf_interp *I, const char *path, sf_val *args, int n, int *id) {
  sf_args ca = {.pos = args, .npos = n};
  sf_val out;
  sf_status st = sf_api_lookup(path)(I, &ca, &out);
  if (st == SF_OK) *id = out.node;
  return st;
}

/* c * reduce_sum(f(x)) with c a float32 constant made after the sum (Tensor.__rmul__ of the
 * regularizer's NumPy float32 factor: Mul(x=c, y=sum)). */
static sf_status scaled_sum(sf_interp *I, const char *f, const sf_val *x, double c, int *out) {
  int fx, sum, cid;
  sf_val t = {.kind = V_TENSOR};
  sf_status st = call(I, f, (sf_val *)x, 1, &fx);
  if (st == SF_OK) sf_b_tensor_val(I, fx, &t), st = call(I, "tf.math.reduce_sum", &t, 1, &sum);
  sf_val cv = {.kind = V_FLOAT, .f = c};
  if (st == SF_OK) st = sf_b_tensor(I, &cv, SF_FLOAT32, "x", NULL, &cid);
  sf_node *m;
  if (st == SF_OK) st = sf_b_op(I, "Mul", "mul", (int[]){cid, sum}, 2, NULL, &m);
  if (st == SF_OK) *out = m->id;
  return st;
}

/* L1: l1 * sum(|x|); L2: l2 * sum(x^2); L1L2: 0. (+= the l1 term) (+= the l2 term). */
static sf_status reg_value(sf_interp *I, const sf_val *r, const sf_val *x, int *out) {
  double l1 = reg_field(r, "l1"), l2 = reg_field(r, "l2");
  int kind = (int)sf_dict_get_str(((sf_inst *)r->o)->attrs, "_kind")->i; /* 1 L1, 2 L2, 3 L1L2 */
  if (kind == 1) return scaled_sum(I, "tf.math.abs", x, l1, out);
  if (kind == 2) return scaled_sum(I, "tf.math.square", x, l2, out);
  sf_val zero = {.kind = V_FLOAT, .f = 0};
  sf_status st = sf_b_tensor(I, &zero, SF_FLOAT32, "Const", NULL, out);
  for (int k = 0; st == SF_OK && k < 2; k++) {
    if ((k ? l2 : l1) == 0) continue;
    int term;
    sf_node *n;
    st = scaled_sum(I, k ? "tf.math.square" : "tf.math.abs", x, k ? l2 : l1, &term);
    if (st == SF_OK) st = sf_b_op(I, "AddV2", "add", (int[]){*out, term}, 2, NULL, &n);
    if (st == SF_OK) *out = n->id;
  }
  return st;
}

NATIVE(reg_call) {
  sf_val v[1];
  sf_status st = sf_native_bind(I, a, "__call__", "x", v, 1);
  if (st != SF_OK) return st;
  sf_val x;
  int id;
  if ((st = sf_py_to_api(I, &v[0], &x)) != SF_OK) return st;
  if ((st = reg_value(I, self, &x, &id)) != SF_OK) return st;
  sf_val t;
  sf_b_tensor_val(I, id, &t);
  return sf_py_from_api(I, &t, out);
}

static sf_status new_regularizer(sf_interp *I, int kind, double l1, double l2, sf_val *out) {
  if (!sf_tape_new_object(I, reg_class, out)) return sf_py_oom(I);
  ((sf_inst *)out->o)->cls->plain = true; /* the API reads its _kind, l1 and l2 */
  sf_dict *d = ((sf_inst *)out->o)->attrs;
  sf_val k = sf_int(kind), f1 = sf_float((float)l1), f2 = sf_float((float)l2); /* backend.cast_to_floatx */
  if (!sf_dict_set_str(d, "_kind", &k) || !sf_dict_set_str(d, "l1", &f1) || !sf_dict_set_str(d, "l2", &f2) ||
      !sf_py_def_native(d, "__call__", reg_call, out))
    return sf_val_drop(out), sf_py_oom(I);
  return SF_OK;
}

/* A regularizer the API returns: borrowed, as the flat API returns objects (sf_py_from_api
 * takes its own reference). */
static sf_status api_regularizer(sf_interp *I, int kind, double l1, double l2, sf_val *out) {
  sf_status st = new_regularizer(I, kind, l1, l2, out);
  if (st == SF_OK) out->o->rc--;
  return st;
}

static sf_status factor(sf_interp *I, const sf_args *a, const char *fname, const char *pname, const sf_val *v, bool given,
                        double dflt, double *out) {
  *out = dflt;
  sf_status st = given && v->kind != V_NONE ? sf_arg_float(I, a, fname, pname, v, out) : SF_OK;
  if (st == SF_OK && !(*out >= 0)) st = sf_arg_error(I, a, SF_EINVAL, "%s: %s must be a non-negative number, got %g", fname, pname, *out);
  return st;
}

/* L1(l1=0.01) / l1(l=...), L2(l2=0.01) / l2(l=...) (the 'l' keyword as kwargs.pop('l')). */
static sf_status api_l1(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("L1", "l1 l", 2);
  double l1;
  if ((st = factor(I, a, "L1", "l1", g[1] ? &v[1] : &v[0], g[0] || g[1], 0.01, &l1)) != SF_OK) return st;
  return api_regularizer(I, 1, l1, 0, out);
}
static sf_status api_l2(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("L2", "l2 l", 2);
  double l2;
  if ((st = factor(I, a, "L2", "l2", g[1] ? &v[1] : &v[0], g[0] || g[1], 0.01, &l2)) != SF_OK) return st;
  return api_regularizer(I, 2, 0, l2, out);
}
/* L1L2(l1=0., l2=0.) and the function l1_l2(l1=0.01, l2=0.01). */
static sf_status l1l2(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, double dflt) {
  SF_BIND(fname, "l1 l2", 2);
  double l1, l2;
  if ((st = factor(I, a, fname, "l1", &v[0], g[0], dflt, &l1)) != SF_OK || (st = factor(I, a, fname, "l2", &v[1], g[1], dflt, &l2)) != SF_OK)
    return st;
  return api_regularizer(I, 3, l1, l2, out);
}
static sf_status api_l1l2_class(sf_interp *I, const sf_args *a, sf_val *out) { return l1l2(I, a, out, "L1L2", 0); }
static sf_status api_l1_l2(sf_interp *I, const sf_args *a, sf_val *out) { return l1l2(I, a, out, "l1_l2", 0.01); }

static bool callable(const sf_val *v) {
  return v->kind == V_BUILTIN || v->kind == V_FUNC || sf_is(v, O_FUNC) || sf_is(v, O_BOUND) || sf_is(v, O_NATIVE) ||
         sf_is(v, O_INST);
}

sf_status sf_keras_weight_args(sf_interp *I, const sf_args *a, const char *fname, const sf_val *v, sf_val reg[2], sf_val con[2]) {
  static const char *const names[] = {"kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint"};
  if (v[4].kind != V_NONE) return sf_arg_error(I, a, SF_ENAME, "%s: unsupported: activity_regularizer", fname);
  for (int i = 0; i < 4; i++) {
    sf_val *slot = i < 2 ? &reg[i] : &con[i - 2];
    *slot = (sf_val){.kind = V_NONE};
    if (v[i].kind == V_NONE) continue;
    if (i < 2 && v[i].kind == V_STR) { /* regularizers.get('l1' / 'l2'): the class with its defaults */
      if (strcmp(v[i].s, "l1") != 0 && strcmp(v[i].s, "l2") != 0)
        return sf_arg_error(I, a, SF_EINVAL, "%s: unsupported %s '%s'", fname, names[i], v[i].s);
      sf_status st = new_regularizer(I, v[i].s[1] == '1' ? 1 : 2, 0.01, 0.01, slot);
      if (st == SF_OK) st = sf_py_keep(I, slot); /* the layer keeps it till the run ends */
      if (st != SF_OK) return st;
      slot->o->rc--; /* the kept reference is the one */
      continue;
    }
    if (!callable(&v[i]))
      return sf_arg_error(I, a, SF_ETYPE, "%s: %s must be %s or a callable", fname, names[i],
                          i < 2 ? "a tf.keras.regularizers object, 'l1', 'l2'" : "None");
    *slot = v[i];
    sf_status st = sf_py_keep(I, slot); /* the layer keeps it till the run ends */
    if (st != SF_OK) return st;
  }
  return SF_OK;
}

/* ---- attributes ---- */

typedef struct weight_list {
  sf_keras_weight w[64];
  char layer[64][64];
  int n;
} weight_list;

static void collect(sf_interp *I, const sf_val *self, weight_list *wl) {
  wl->n = 0;
  for (int i = 0;; i++) {
    int l = self->kind == V_LAYER ? (i ? -1 : self->index) : sf_keras_model_layer(I, self->index, i);
    if (l < 0) break;
    sf_keras_weight w[2];
    char name[64];
    int n = sf_keras_layer_weights(I, l, w, name, sizeof name);
    for (int k = 0; k < n && wl->n < 64; k++) {
      snprintf(wl->layer[wl->n], sizeof wl->layer[0], "%s", name);
      wl->w[wl->n++] = w[k];
    }
  }
}

static sf_status variable_object(sf_interp *I, const sf_expr *at, const weight_list *wl, int k, sf_val *out) {
  if (!I->rt.vars[wl->w[k].var])
    return sf_py_raise(I, at, BC_NOTIMPL, "unsupported: Keras weights as tf.Variable objects before they are initialized (graph mode)");
  char buf[160];
  snprintf(buf, sizeof buf, "%s/%s:0", wl->layer[k], wl->w[k].name); /* the object copies it */
  return sf_tape_wrap_variable(I, wl->w[k].var, buf, true, wl->w[k].con, out);
}

/* One regularization loss: the regularizer on the variable (our objects read it; a Python
 * callable gets the tf.Variable object). */
static sf_status weight_loss(sf_interp *I, const sf_expr *at, const weight_list *wl, int k, sf_val *out) {
  const sf_val *reg = wl->w[k].reg;
  if (is_regularizer(reg)) {
    int read, id;
    sf_status st = sf_b_read(I, wl->w[k].var, &read);
    sf_val x;
    sf_b_tensor_val(I, read, &x);
    if (st == SF_OK) st = reg_value(I, reg, &x, &id);
    if (st != SF_OK) return st;
    sf_b_tensor_val(I, id, &x);
    return sf_py_from_api(I, &x, out);
  }
  sf_val var, r = {0};
  sf_status st = variable_object(I, at, wl, k, &var);
  if (st == SF_OK) st = sf_py_call1(I, reg, &var, &r);
  sf_val_drop(&var);
  if (st == SF_OK) *out = r;
  return st;
}

/* Keras's train_step: loss = compiled_loss(y, y_pred, regularization_losses=self.losses):
 * total = add_n([loss, add_n(regularization losses)]) (add_n of float32 scalars, summed in
 * order). Each regularizer reads the weight's forward-pass read, so one gradient reaches
 * the variable through both. */
sf_status sf_keras_fit_reg_loss(sf_interp *I, int model, int *loss) {
  weight_list *wl = malloc(sizeof *wl); /* 6 KiB a step: not the run's arena */
  if (!wl) return sf_py_oom(I);
  collect(I, &(sf_val){.kind = V_MODEL, .index = model}, wl);
  int sum = -1;
  sf_status st = SF_OK;
  for (int k = 0; st == SF_OK && k < wl->n; k++) {
    const sf_val *reg = wl->w[k].reg;
    if (reg->kind == V_NONE) continue;
    sf_val x, r = {0}, api = {0};
    int id;
    sf_b_tensor_val(I, wl->w[k].read, &x);
    if (is_regularizer(reg)) {
      st = reg_value(I, reg, &x, &id);
    } else { /* a callable's result is taken over, as an activation's (its handle may be the last) */
      sf_val t;
      if ((st = sf_py_from_api(I, &x, &api)) == SF_OK && (st = sf_py_call1(I, reg, &api, &r)) == SF_OK &&
          (st = sf_py_to_api(I, &r, &t)) == SF_OK &&
          (st = sf_b_tensor(I, &t, SF_FLOAT32, "regularization", NULL, &id)) == SF_OK && t.kind == V_TENSOR &&
          t.counted && t.node == id && t.g == I->E.g)
        sf_eager_take(&I->E, id);
      sf_val_drop(&r);
      sf_val_drop(&api);
    }
    sf_node *n;
    if (st == SF_OK && sum >= 0 && (st = sf_b_op(I, "AddV2", "add", (int[]){sum, id}, 2, NULL, &n)) == SF_OK) id = n->id;
    if (st == SF_OK) sum = id;
  }
  sf_node *n;
  if (st == SF_OK && sum >= 0 && (st = sf_b_op(I, "AddV2", "add", (int[]){*loss, sum}, 2, NULL, &n)) == SF_OK) *loss = n->id;
  free(wl);
  return st;
}

bool sf_keras_attr(sf_interp *I, const sf_expr *at, const sf_val *self, const char *name, sf_val *out, sf_status *st) {
  *st = SF_OK;
  static const char *const lists[] = {"variables", "weights", "trainable_variables", "trainable_weights", "losses",
                                      "non_trainable_variables", "non_trainable_weights"};
  int which = -1;
  for (int i = 0; i < 7; i++)
    if (strcmp(name, lists[i]) == 0) which = i;
  bool kernel = strcmp(name, "kernel") == 0, bias = strcmp(name, "bias") == 0;
  if (strcmp(name, "layers") == 0 && self->kind == V_MODEL) {
    int listed[33], n = sf_keras_model_listed_layers(I, self->index, listed);
    if (!sf_list_new(O_LIST, n, out)) return *st = sf_py_oom(I), true;
    for (int i = 0; i < n; i++) SF_LIST(out)->items[i] = (sf_val){.kind = V_LAYER, .index = listed[i]};
    return true;
  }
  if (strcmp(name, "name") == 0 && self->kind == V_LAYER) {
    sf_keras_weight w[2];
    char nm[64];
    sf_keras_layer_weights(I, self->index, w, nm, sizeof nm);
    if (!*nm) *st = sf_error_at(I->err, at->line, at->col, SF_ENAME, "unsupported: '.name' of a KerasTensor or of a Keras 3 InputLayer");
    else if (!sf_str_cstr(nm, out)) *st = sf_py_oom(I);
    return true;
  }
  if (strcmp(name, "name") == 0 && self->kind == V_MODEL) {
    char nm[128];
    if (!sf_keras_model_name(I, self->index, nm, sizeof nm))
      *st = sf_error_at(I->err, at->line, at->col, SF_ENAME, "unsupported: '.name' of a Keras 3 functional Model");
    else if (!sf_str_cstr(nm, out)) *st = sf_py_oom(I);
    return true;
  }
  if (which < 0 && !((kernel || bias) && self->kind == V_LAYER)) return false;
  /* 6 KiB, read on every model.trainable_variables of a training loop: not the run's arena */
  weight_list *wl = malloc(sizeof *wl);
  if (!wl) return *st = sf_py_oom(I), true;
  collect(I, self, wl);
  if (kernel || bias) {
    int k = 0;
    while (k < wl->n && strcmp(wl->w[k].name, name) != 0) k++;
    *st = k < wl->n ? variable_object(I, at, wl, k, out)
                    : sf_py_raise(I, at, BC_ATTRERR, "'%s' object has no attribute '%s'", "Layer", name);
    free(wl);
    return true;
  }
  if (!sf_list_new(O_LIST, 0, out)) {
    free(wl);
    return *st = sf_py_oom(I), true;
  }
  for (int k = 0; *st == SF_OK && which < 5 && k < wl->n; k++) {
    sf_val item;
    if (which == 4 && wl->w[k].reg->kind == V_NONE) continue;
    *st = which == 4 ? weight_loss(I, at, wl, k, &item) : variable_object(I, at, wl, k, &item);
    if (*st != SF_OK) break;
    if (!sf_list_append(SF_LIST(out), &item)) *st = sf_py_oom(I);
    sf_val_drop(&item);
  }
  if (*st != SF_OK) sf_val_drop(out);
  free(wl);
  return true;
}

static const struct {
  const char *path;
  sf_builtin_fn fn;
} api[] = {
    {"tf.keras.regularizers.L1", api_l1},        {"tf.keras.regularizers.l1", api_l1},
    {"tf.keras.regularizers.L2", api_l2},        {"tf.keras.regularizers.l2", api_l2},
    {"tf.keras.regularizers.L1L2", api_l1l2_class}, {"tf.keras.regularizers.l1_l2", api_l1_l2},
};

sf_builtin_fn sf_keras_layers_lookup(const char *path) {
  for (size_t i = 0; i < sizeof api / sizeof api[0]; i++)
    if (strcmp(api[i].path, path) == 0) return api[i].fn;
  return NULL;
}
