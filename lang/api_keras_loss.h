/* api_keras_loss.h — Keras losses, metrics and fit's log (api_keras_loss.c), as
 * api_keras.c's compile/fit use them. Internal to lang/. */
#ifndef SEEDFLOW_API_KERAS_LOSS_H
#define SEEDFLOW_API_KERAS_LOSS_H

#include "interp.h"

enum { SF_KL_MSE, SF_KL_MAE, SF_KL_SCE, SF_KL_CCE, SF_KL_BCE };
/* A loss taken element by element (mse, mae, binary_crossentropy): its two sides must pair
 * sample with sample (Keras's match_dtype_and_rank, squeeze_or_expand_dimensions). */
static inline bool sf_kloss_elementwise(int kind) { return kind == SF_KL_MSE || kind == SF_KL_MAE || kind == SF_KL_BCE; }
enum { SF_KM_ACC, SF_KM_MAE, SF_KM_MSE };

/* What compile() was given: the loss and the metrics (the log names them). */
typedef struct sf_kloss {
  int kind;                 /* SF_KL_* */
  bool from_logits;
  double label_smoothing;   /* BinaryCrossentropy, CategoricalCrossentropy: 0 for none */
  bool graph_rule;          /* an eager evaluation standing for Keras's graph function:
                             * a Softmax output's logits are used as in a graph */
  int nmetrics;
  int metrics[8];           /* SF_KM_* */
  const char *names[8];     /* as the log prints them */
} sf_kloss;

/* compile(loss=..., metrics=...): a loss name or object, a list of metric names. */
sf_status sf_kloss_compile(sf_interp *I, const sf_args *a, const sf_val *loss, const sf_val *metrics, sf_kloss *out);
/* The scalar training loss of a batch in the current builder, as Keras's compiled loss
 * builds it (per-sample loss, then SUM_OVER_BATCH_SIZE). */
sf_status sf_kloss_build(sf_interp *I, const sf_kloss *k, int pred, int y, int *loss);
/* A loss object called as loss_fn(y_true, y_pred). */
sf_status sf_kloss_call(sf_interp *I, const sf_val *self, const sf_args *a, sf_val *out);
sf_builtin_fn sf_kloss_lookup(const char *path);
bool sf_kloss_pure(sf_builtin_fn fn); /* builds ops from its arguments and keeps none */
/* tf.keras.metrics objects (api_keras_metrics.c). */
sf_builtin_fn sf_kmetric_lookup(const char *path);

/* tf.keras.callbacks.EarlyStopping (api_keras_callbacks.c), run by fit. weights reads the
 * model's weights into *w (a new reference to a list of arrays) or, with set, writes them. */
typedef sf_status (*sf_kcb_weights_fn)(sf_interp *I, void *ctx, sf_val *w, bool set);
sf_builtin_fn sf_kcb_lookup(const char *path);
bool sf_kcb_is_early_stopping(const sf_val *v);
sf_status sf_kcb_train_begin(sf_interp *I, const sf_val *cb);
/* After the epoch's History entries: may set *stop (model.stop_training). */
sf_status sf_kcb_epoch_end(sf_interp *I, const sf_args *a, const sf_val *cb, int64_t epoch, const sf_val *history,
                           sf_kcb_weights_fn weights, void *ctx, bool *stop);
sf_status sf_kcb_train_end(sf_interp *I, const sf_args *a, const sf_val *cb);

/* fit's labels: a float32 matrix, or a vector of int32/int64 (or float32) labels. */
bool sf_klabels_ok(const sf_tensor *y);

/* fit's log (Keras's ProgbarLogger and the epoch's metrics). */
typedef struct sf_klog {
  const sf_kloss *k;
  const sf_args *a;         /* fit's call: where the printed lines belong */
  int verbose;
  int64_t epochs, n, nval, steps, bs;
  int64_t epoch;            /* the current one, from 0 */
  uint64_t t0, t1;          /* epoch start, end of its first step (uv_hrtime) */
  int64_t step;
  double loss_total, loss_count;   /* the epoch's loss as Keras averages it */
  double m_total[8], m_count[8];
  struct sf_module *history;  /* fit's History object (its attributes history, epoch), or NULL */
} sf_klog;

/* fit's return value: a History object whose history dict and epoch list
 * sf_klog_epoch_end fills; *out borrowed, as the flat API returns objects. */
sf_status sf_klog_history(sf_interp *I, sf_klog *l, sf_val *out);
/* evaluate's result (the loss, or [loss, metrics...] as Python floats) and its log line. */
sf_status sf_klog_evaluate(sf_interp *I, sf_klog *l, sf_val *out);
/* predict's Progbar line (no values), when l->verbose. */
sf_status sf_klog_predict(sf_interp *I, sf_klog *l);

sf_status sf_klog_begin(sf_interp *I, sf_klog *l);
/* Starts a new pass over the data: clock and totals from zero. */
void sf_klog_reset(sf_klog *l);
sf_status sf_klog_epoch_begin(sf_interp *I, sf_klog *l, int64_t epoch);
/* One training batch: its loss and the model's output (training=True) against y. */
void sf_klog_batch(sf_interp *I, sf_klog *l, const sf_tensor *loss, const sf_tensor *pred, const sf_tensor *y);
/* The epoch's line, with val_ entries when val (a finished evaluation) is given, and the
 * epoch's values appended to the History. */
sf_status sf_klog_epoch_end(sf_interp *I, sf_klog *l, const sf_klog *val);
/* Its two halves: History's entries, then the Progbar's end-of-epoch line (Keras 2.7+ runs
 * the user's callbacks between them: ProgbarLogger comes after them in the list). */
sf_status sf_klog_epoch_record(sf_interp *I, sf_klog *l, const sf_klog *val);
sf_status sf_klog_epoch_line(sf_interp *I, sf_klog *l, const sf_klog *val);

#endif
