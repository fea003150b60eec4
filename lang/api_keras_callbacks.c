/* api_keras_callbacks.c — tf.keras.callbacks.EarlyStopping as Model.fit runs it at the end
 * of each epoch on that epoch's logs (keras/callbacks.py; tf.keras 2.2-2.15, the tf2 and
 * tf2.10 profiles from Keras 2.6; TF 1.x's, tf.keras 2.2-2.5's and Keras 3's differ and are
 * refused by name). How many epochs
 * run decides how many batches draw dropout masks and shuffles, so it is part of the draws.
 *
 * Versions (keras-team/keras tags): to 2.6 a monitor with 'acc' in it is maximised, a
 * patience of 0 stops after the first epoch, and the messages read "Restoring model weights
 * from the end of the best epoch." / "Epoch 00003: early stopping"; 2.7 maximises names
 * ending in acc, accuracy or auc, never stops after epoch 0 and names the best epoch; 2.8
 * prints "Epoch 3: early stopping"; 2.11 adds start_from_epoch; from 2.12 an improving epoch
 * returns before the patience test. The state is the
 * instance's own attributes (wait, stopped_epoch, best, best_epoch, best_weights), so a
 * program reads them as in Keras. */
#include "api_keras_loss.h"
#include "py.h"
#include "value.h"

#include <math.h>
#include <string.h>

static const char es_class[] = "EarlyStopping";

static sf_val *field(const sf_val *obj, const char *name) { return sf_dict_get_str(((sf_inst *)obj->o)->attrs, name); }
static bool set(const sf_val *obj, const char *name, sf_val v) { return sf_dict_set_str(((sf_inst *)obj->o)->attrs, name, &v); }
static double num(const sf_val *v) { return v->kind == V_FLOAT ? v->f : v->kind == V_INT ? (double)v->i : v->kind == V_BOOL ? v->b : NAN; }

bool sf_kcb_is_early_stopping(const sf_val *v) {
  return sf_is(v, O_INST) && ((sf_inst *)v->o)->cls->name == es_class;
}

/* EarlyStopping(monitor='val_loss', min_delta=0, patience=0, verbose=0, mode='auto',
 * baseline=None, restore_best_weights=False[, start_from_epoch=0]). */
static sf_status api_early_stopping(sf_interp *I, const sf_args *a, sf_val *out) {
  int kv = sf_keras_version(I);
  if (I->opt.profile == SF_PROFILE_TF1 || I->opt.profile == SF_PROFILE_KERAS3)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: EarlyStopping under profile %s (seedflow runs tf.keras 2.6-2.15's)",
                        sf_profile_name(I->opt.profile));
  if (kv < 20600) /* before keras-team/keras 7d818d66a2 (2021) best started at the baseline and wait grew only without improvement */
    return sf_arg_error(I, a, SF_ENAME, "unsupported: EarlyStopping of Keras %d.%d (seedflow runs tf.keras 2.6-2.15's)",
                        kv / 10000, kv / 100 % 100);
  bool from211 = kv >= 21100;
  SF_BIND("EarlyStopping", from211 ? "monitor min_delta patience verbose mode baseline restore_best_weights start_from_epoch"
                                   : "monitor min_delta patience verbose mode baseline restore_best_weights", 8);
  const char *monitor = v[0].kind == V_STR ? v[0].s : "val_loss", *mode = v[4].kind == V_STR ? v[4].s : "auto";
  if ((v[0].kind != V_NONE && v[0].kind != V_STR) || (v[4].kind != V_NONE && v[4].kind != V_STR))
    return sf_arg_error(I, a, SF_ETYPE, "EarlyStopping: monitor and mode must be strings");
  int nparams = from211 ? 8 : 7;
  if (!from211) v[7] = sf_none(); /* start_from_epoch: not a parameter before 2.11 */
  for (int i = 1; i < nparams; i++)
    if (i != 4 && v[i].kind != V_NONE && v[i].kind != V_INT && v[i].kind != V_FLOAT && v[i].kind != V_BOOL)
      return sf_arg_error(I, a, SF_ETYPE, "unsupported: EarlyStopping argument %d of type %s (seedflow takes numbers)", i + 1,
                          sf_type_name(&v[i]));
  if (strcmp(mode, "min") != 0 && strcmp(mode, "max") != 0) mode = "auto"; /* an unknown mode: a warning, then auto */
  size_t ml = strlen(monitor);
  bool ends = (ml >= 3 && strcmp(monitor + ml - 3, "acc") == 0) || (ml >= 8 && strcmp(monitor + ml - 8, "accuracy") == 0) ||
              (ml >= 3 && strcmp(monitor + ml - 3, "auc") == 0);
  bool greater = strcmp(mode, "max") == 0 || (strcmp(mode, "auto") == 0 && (kv >= 20700 ? ends : strstr(monitor, "acc") != NULL));
  /* self.min_delta = abs(min_delta), then *= 1 or *= -1: an int stays an int */
  sf_val md = v[1].kind == V_NONE ? sf_int(0) : v[1];
  if (md.kind == V_BOOL) md = sf_int(md.b);
  if (md.kind == V_INT) md.i = (md.i < 0 ? -md.i : md.i) * (greater ? 1 : -1);
  else md.f = fabs(md.f) * (greater ? 1 : -1);
  if (!sf_py_api_object(I, es_class, out)) return sf_py_oom(I);
  sf_val mon;
  if (!sf_str_cstr(monitor, &mon)) return sf_py_oom(I);
  bool ok = set(out, "monitor", mon) && set(out, "patience", v[2].kind == V_NONE ? sf_int(0) : v[2]) &&
            set(out, "verbose", v[3].kind == V_NONE ? sf_int(0) : v[3]) && set(out, "baseline", v[5]) &&
            set(out, "min_delta", md) && set(out, "wait", sf_int(0)) && set(out, "stopped_epoch", sf_int(0)) &&
            set(out, "restore_best_weights", v[6].kind == V_NONE ? sf_bool(false) : v[6]) &&
            set(out, "best_weights", sf_none()) && set(out, "_greater", sf_bool(greater)) &&
            (!from211 || set(out, "start_from_epoch", v[7].kind == V_NONE ? sf_int(0) : v[7]));
  sf_val_drop(&mon);
  if (!ok) return sf_py_oom(I);
  out->o->rc--; /* borrowed, as the flat API returns objects */
  return SF_OK;
}

/* on_train_begin: the state from zero, best at the worst value. */
sf_status sf_kcb_train_begin(sf_interp *I, const sf_val *cb) {
  bool greater = field(cb, "_greater")->b;
  bool ok = set(cb, "wait", sf_int(0)) && set(cb, "stopped_epoch", sf_int(0)) && set(cb, "best", sf_float(greater ? -INFINITY : INFINITY)) &&
            set(cb, "best_weights", sf_none()) && (sf_keras_version(I) < 20700 || set(cb, "best_epoch", sf_int(0)));
  return ok ? SF_OK : sf_py_oom(I);
}

static sf_status print_line(sf_interp *I, const sf_args *a, const char *text) {
  sf_status st = sf_trace_add_log(I->tr, a->call ? a->call->line : I->line, text);
  return st == SF_OK ? SF_OK : sf_error_set(I->err, st, "out of memory");
}

/* _is_improvement: monitor_op(value - min_delta, reference), in doubles as NumPy does. */
static bool improves(const sf_val *cb, double value, double reference) {
  double d = value - num(field(cb, "min_delta"));
  return field(cb, "_greater")->b ? d > reference : d < reference;
}

sf_status sf_kcb_epoch_end(sf_interp *I, const sf_args *a, const sf_val *cb, int64_t epoch, const sf_val *history,
                           sf_kcb_weights_fn weights, void *ctx, bool *stop) {
  int kv = sf_keras_version(I);
  /* the epoch's logs: the last value History recorded under the monitor's name */
  sf_val *mon = field(cb, "monitor"), *list = sf_dict_get_str(SF_DICT(history), SF_STR(mon)->s);
  if (!list || !sf_is(list, O_LIST) || !SF_LIST(list)->n) return SF_OK; /* get_monitor_value: a warning, no change */
  const sf_val *cur = &SF_LIST(list)->items[SF_LIST(list)->n - 1];
  const sf_val *start = field(cb, "start_from_epoch");
  if (start && (double)epoch < num(start)) return SF_OK;
  double current = num(cur);
  bool restore = sf_truthy(I, field(cb, "restore_best_weights"));
  sf_status st = SF_OK;
  sf_val w;
  if (restore && field(cb, "best_weights")->kind == V_NONE) {
    if ((st = weights(I, ctx, &w, false)) != SF_OK) return st;
    if (!set(cb, "best_weights", w)) return sf_val_drop(&w), sf_py_oom(I);
    sf_val_drop(&w);
  }
  int64_t wait = field(cb, "wait")->i + 1;
  if (improves(cb, current, num(field(cb, "best")))) {
    if (!set(cb, "best", *cur) || (kv >= 20700 && !set(cb, "best_epoch", sf_int(epoch)))) return sf_py_oom(I);
    if (restore) {
      if ((st = weights(I, ctx, &w, false)) != SF_OK) return st;
      if (!set(cb, "best_weights", w)) return sf_val_drop(&w), sf_py_oom(I);
      sf_val_drop(&w);
    }
    const sf_val *base = field(cb, "baseline");
    if (base->kind == V_NONE || improves(cb, current, num(base))) wait = 0;
    if (kv >= 21200) return set(cb, "wait", sf_int(wait)) ? SF_OK : sf_py_oom(I); /* 2.12: an improving epoch never stops */
  }
  if (!set(cb, "wait", sf_int(wait))) return sf_py_oom(I);
  if ((double)wait >= num(field(cb, "patience")) && (kv < 20700 || epoch > 0)) {
    *stop = true;
    if (!set(cb, "stopped_epoch", sf_int(epoch))) return sf_py_oom(I);
    sf_val *best = field(cb, "best_weights");
    if (restore && best->kind != V_NONE) {
      if (num(field(cb, "verbose")) > 0) {
        char msg[96];
        if (kv < 20700) snprintf(msg, sizeof msg, "Restoring model weights from the end of the best epoch.");
        else snprintf(msg, sizeof msg, "Restoring model weights from the end of the best epoch: %lld.",
                      (long long)field(cb, "best_epoch")->i + 1);
        if ((st = print_line(I, a, msg)) != SF_OK) return st;
      }
      w = *best;
      sf_val_ref(&w);
      st = weights(I, ctx, &w, true);
      sf_val_drop(&w);
    }
  }
  return st;
}

/* on_train_end: "Epoch N: early stopping" when it stopped and is verbose. */
sf_status sf_kcb_train_end(sf_interp *I, const sf_args *a, const sf_val *cb) {
  int64_t stopped = field(cb, "stopped_epoch")->i;
  if (stopped <= 0 || num(field(cb, "verbose")) <= 0) return SF_OK;
  char msg[64];
  if (sf_keras_version(I) < 20800) snprintf(msg, sizeof msg, "Epoch %05lld: early stopping", (long long)stopped + 1);
  else snprintf(msg, sizeof msg, "Epoch %lld: early stopping", (long long)stopped + 1);
  return print_line(I, a, msg);
}

static const struct {
  const char *path;
  sf_builtin_fn fn;
} api[] = {
    {"tf.keras.callbacks.EarlyStopping", api_early_stopping},
    {"keras.callbacks.EarlyStopping", api_early_stopping},
};

sf_builtin_fn sf_kcb_lookup(const char *path) {
  for (size_t i = 0; i < sizeof api / sizeof api[0]; i++)
    if (strcmp(api[i].path, path) == 0) return api[i].fn;
  return NULL;
}
