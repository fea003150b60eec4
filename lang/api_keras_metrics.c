/* api_keras_metrics.c — tf.keras.metrics objects: Mean, MeanAbsoluteError, Accuracy,
 * SparseCategoricalAccuracy (keras/metrics.py, TF 2.4: Reduce / MeanMetricWrapper). Each
 * holds a float32 total and count: update_state adds the sum of the batch's values and their
 * number, result() is total / count (div_no_nan) as a float32 scalar tensor, reset_states() /
 * reset_state() zero both. Their values are host values (eager tensors, arrays, numbers):
 * a metric updated inside a traced function is a located error. */
#include "api_keras_loss.h"
#include "py.h"
#include "value.h"

#include <math.h>
#include <string.h>

enum { M_MEAN, M_MAE, M_ACC, M_SPARSE_ACC };

static const char metric_class[] = "Metric";

static sf_val *field(const sf_val *obj, const char *name) { return sf_dict_get_str(((sf_inst *)obj->o)->attrs, name); }
static bool set_float(const sf_val *obj, const char *name, double v) {
  sf_val f = sf_float(v);
  return sf_dict_set_str(((sf_inst *)obj->o)->attrs, name, &f);
}

/* A value as a host tensor, a new reference: a tensor's, or a Python value's (an eager
 * constant made now and released, its list's items converted in memory freed now). */
static sf_status host(sf_interp *I, const sf_args *a, const sf_val *v, const char *what, sf_tensor **out) {
  sf_val flat = {0};
  sf_api_tmp tmp = {0};
  sf_status st = sf_py_to_api_tmp(I, v, &flat, &tmp);
  if (st == SF_OK && (*out = sf_tensor_ref(sf_b_host_value(I, &flat)))) return sf_api_tmp_free(&tmp), SF_OK;
  if (st == SF_OK && flat.kind == V_TENSOR)
    st = sf_arg_error(I, a, SF_EINVAL, "unsupported: a metric updated with a symbolic tensor (%s)", what);
  if (st == SF_OK && (st = sf_context_enter_eager(&I->ctx, I->err)) == SF_OK) {
    int id;
    st = sf_b_tensor(I, &flat, -1, what, a->call, &id);
    if (st == SF_OK) *out = sf_tensor_ref(sf_eager_value(&I->E, id)), sf_eager_release_internal(&I->E, id);
    sf_context_leave(&I->ctx);
  }
  sf_api_tmp_free(&tmp);
  return st;
}

static int64_t argmax_row(const sf_tensor *t, int64_t r, int64_t k) {
  int64_t best = 0;
  for (int64_t j = 1; j < k; j++)
    if (sf_tensor_get(t, r * k + j) > sf_tensor_get(t, r * k + best)) best = j;
  return best;
}

static sf_status update_with(sf_interp *I, sf_val *self, const sf_args *a, int kind, const sf_tensor *x, const sf_tensor *y,
                             sf_val *out);

static sf_status update_state(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out) {
  int kind = (int)field(self, "_kind")->i;
  sf_val v[3] = {{0}};
  sf_status st = sf_native_bind(I, a, "update_state", kind == M_MEAN ? "values sample_weight" : "y_true y_pred sample_weight", v, 3);
  if (st != SF_OK) return st;
  if (v[kind == M_MEAN ? 1 : 2].kind != V_NONE) return sf_arg_error(I, a, SF_EINVAL, "unsupported: update_state with sample_weight");
  sf_tensor *x = NULL, *y = NULL;
  if ((st = host(I, a, &v[0], kind == M_MEAN ? "values" : "y_true", &x)) == SF_OK &&
      (kind == M_MEAN || (st = host(I, a, &v[1], "y_pred", &y)) == SF_OK))
    st = update_with(I, self, a, kind, x, y, out);
  sf_tensor_unref(x);
  sf_tensor_unref(y);
  return st;
}

/* The state's float32 total and count after a batch's values (x; y_pred y for the kinds that compare). */
static sf_status update_with(sf_interp *I, sf_val *self, const sf_args *a, int kind, const sf_tensor *x, const sf_tensor *y,
                             sf_val *out) {
  float sum = 0, n = 0;
  if (kind == M_MEAN || kind == M_ACC) { /* every element; Accuracy: y_pred cast to y_true's dtype, then equal */
    if (y && x->n != y->n) return sf_arg_error(I, a, SF_ESHAPE, "update_state: y_true and y_pred have different sizes");
    for (int64_t i = 0; i < x->n; i++) {
      double t = sf_tensor_get(x, i);
      sum += (float)(kind == M_MEAN ? t : t == (sf_dtype_is_float(x->dtype) ? (double)(float)sf_tensor_get(y, i) : trunc(sf_tensor_get(y, i))));
    }
    n = (float)x->n;
  } else { /* per sample: the rows of y_pred */
    int64_t rows = y->shape.rank ? y->shape.dims[0] : 1, k = rows ? y->n / rows : 0;
    bool sparse_x = x->n == rows;
    if (!sparse_x && x->n != y->n) return sf_arg_error(I, a, SF_ESHAPE, "update_state: y_true and y_pred have different sizes");
    if (kind == M_SPARSE_ACC && !sparse_x) return sf_arg_error(I, a, SF_ESHAPE, "update_state: y_true must hold one label per row");
    for (int64_t r = 0; r < rows; r++) {
      float s = 0;
      if (kind == M_SPARSE_ACC) s = (double)argmax_row(y, r, k) == sf_tensor_get(x, r);
      else {
        for (int64_t j = 0; j < k; j++) s += fabsf((float)sf_tensor_get(y, r * k + j) - (float)sf_tensor_get(x, sparse_x ? r : r * k + j));
        s /= (float)k;
      }
      sum += s;
    }
    n = (float)rows;
  }
  /* float32 state, on float locals (api_keras_loss.c sf_klog_batch says why) */
  float total = (float)field(self, "_total")->f + sum, count = (float)field(self, "_count")->f + n;
  if (!set_float(self, "_total", total) || !set_float(self, "_count", count)) return sf_py_oom(I);
  *out = sf_none();
  return SF_OK;
}

static sf_status result(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out) {
  if (a->npos || a->nkw) return sf_arg_error(I, a, SF_ETYPE, "result() takes no arguments");
  double total = field(self, "_total")->f, count = field(self, "_count")->f;
  sf_val r = {.kind = V_FLOAT, .f = count ? (float)(total / count) : 0}, t;
  sf_status st = sf_context_enter_eager(&I->ctx, I->err);
  if (st != SF_OK) return st;
  int id, first = I->E.g->n;
  st = sf_b_tensor(I, &r, SF_FLOAT32, "result", a->call, &id);
  if (st == SF_OK) sf_b_tensor_val(I, id, &t);
  sf_context_leave(&I->ctx);
  if (st != SF_OK || (st = sf_py_from_api(I, &t, out)) != SF_OK) return st;
  if (sf_py_counting(I)) sf_py_count_made(I, first, out); /* a loop of result() keeps none */
  return SF_OK;
}

/* metric(...): update_state(...), then result() (keras/metrics.py Metric.__call__). */
static sf_status call(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out) {
  sf_status st = update_state(I, self, a, out);
  if (st != SF_OK) return st;
  sf_args none = {.call = a->call};
  return result(I, self, &none, out);
}

static sf_status reset(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out) {
  if (a->npos || a->nkw) return sf_arg_error(I, a, SF_ETYPE, "reset_states() takes no arguments");
  if (!set_float(self, "_total", 0) || !set_float(self, "_count", 0)) return sf_py_oom(I);
  *out = sf_none();
  return SF_OK;
}

static sf_status make(sf_interp *I, const sf_args *a, sf_val *out, const char *cls, const char *dflt, int kind) {
  SF_BIND(cls, "name dtype", 2);
  if (g[1] && v[1].kind != V_NONE && !(v[1].kind == V_DTYPE && v[1].dtype == SF_FLOAT32) && !(v[1].kind == V_STR && strcmp(v[1].s, "float32") == 0))
    return sf_arg_error(I, a, SF_EINVAL, "%s: only dtype float32 is supported", cls);
  if (g[0] && v[0].kind != V_STR && v[0].kind != V_NONE) return sf_arg_error(I, a, SF_ETYPE, "%s: name must be a str", cls);
  sf_inst *x = sf_py_api_object(I, metric_class, out);
  if (!x) return sf_py_oom(I);
  sf_val name, k = sf_int(kind);
  if (!sf_str_cstr(v[0].kind == V_STR ? v[0].s : dflt, &name)) return sf_py_oom(I);
  bool ok = sf_dict_set_str(x->attrs, "name", &name) && sf_dict_set_str(x->attrs, "_kind", &k) && set_float(out, "_total", 0) &&
            set_float(out, "_count", 0) && sf_py_def_native(x->attrs, "update_state", update_state, out) &&
            sf_py_def_native(x->attrs, "result", result, out) && sf_py_def_native(x->attrs, "reset_states", reset, out) &&
            sf_py_def_native(x->attrs, "reset_state", reset, out) && sf_py_def_native(x->attrs, "__call__", call, out);
  sf_val_drop(&name);
  if (!ok) return sf_py_oom(I);
  /* they read their arguments' values on the host and keep none (lang/eval.c pin_call) */
  static const char *const methods[] = {"update_state", "result", "reset_states", "reset_state", "__call__"};
  for (size_t i = 0; i < sizeof methods / sizeof *methods; i++) ((sf_native *)sf_dict_get_str(x->attrs, methods[i])->o)->keeps_none = true;
  out->o->rc--; /* borrowed, as the flat API returns objects */
  return SF_OK;
}

static sf_status api_mean(sf_interp *I, const sf_args *a, sf_val *out) { return make(I, a, out, "Mean", "mean", M_MEAN); }
static sf_status api_mae(sf_interp *I, const sf_args *a, sf_val *out) {
  return make(I, a, out, "MeanAbsoluteError", "mean_absolute_error", M_MAE);
}
static sf_status api_acc(sf_interp *I, const sf_args *a, sf_val *out) { return make(I, a, out, "Accuracy", "accuracy", M_ACC); }
static sf_status api_sparse_acc(sf_interp *I, const sf_args *a, sf_val *out) {
  return make(I, a, out, "SparseCategoricalAccuracy", "sparse_categorical_accuracy", M_SPARSE_ACC);
}

static const struct {
  const char *path;
  sf_builtin_fn fn;
} api[] = {
    {"tf.keras.metrics.Mean", api_mean},
    {"tf.keras.metrics.MeanAbsoluteError", api_mae},
    {"tf.keras.metrics.Accuracy", api_acc},
    {"tf.keras.metrics.SparseCategoricalAccuracy", api_sparse_acc},
};

sf_builtin_fn sf_kmetric_lookup(const char *path) {
  for (size_t i = 0; i < sizeof api / sizeof api[0]; i++)
    if (strcmp(api[i].path, path) == 0) return api[i].fn;
  return sf_kcb_lookup(path);
}
