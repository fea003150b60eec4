/* api_keras_loss.c — Keras losses and metrics, the tf.nn softmax / cross-entropy functions,
 * and fit's log.
 *
 * Losses are built as op graphs the way tf.keras builds them, so that their gradients are
 * TF's: keras/losses.py (LossFunctionWrapper, the per-sample functions) and
 * keras/backend.py (sparse_categorical_crossentropy, categorical_crossentropy,
 * binary_crossentropy) of TF 2.4, whose rules TF 1.13-1.15 share. The output of a Keras
 * softmax or sigmoid activation carries its logits (tf.keras 2.4+, logits_of), and so does,
 * without from_logits, a Softmax (binary_crossentropy: a Sigmoid) op in a graph (graph mode,
 * a traced function: b/117284466); other probabilities are clipped to [1e-7, 1 - 1e-7] and
 * their log taken. The batch's
 * loss is SUM_OVER_BATCH_SIZE (losses_utils.compute_weighted_loss): the per-sample losses
 * summed and divided by their number. Shape-only plumbing ops TF adds on the way (Shape,
 * the labels' ExpandDims/Reshape in compile_utils.match_dtype_and_rank) change no value
 * and are not created.
 *
 * Metrics and the log are Keras's bookkeeping on the host: they draw nothing and change no
 * weight. TF 2.x logs the epoch's stateful metrics (keras/metrics.py Mean: float32 total and
 * count, the loss weighted by the batch size); TF 1.x's Progbar averages the loss itself in
 * float64 (keras/utils/generic_utils.py Progbar.update). */
#include "api_keras_loss.h"
#include "engine/trace_internal.h"
#include "py.h"
#include "value.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

static sf_status op(sf_interp *I, const char *type, const int *in, int nin, const sf_attr_value *attrs, int *out) {
  sf_node *n;
  sf_status st = sf_b_op(I, type, type, in, nin, attrs, &n);
  if (st == SF_OK) *out = n->id;
  return st;
}
static sf_status op1(sf_interp *I, const char *type, int x, int *out) { return op(I, type, &x, 1, NULL, out); }
static sf_status op2(sf_interp *I, const char *type, int x, int y, int *out) { return op(I, type, (int[]){x, y}, 2, NULL, out); }

static sf_status scalar(sf_interp *I, double v, sf_dtype dt, const char *name, int *out) {
  sf_val c = {.kind = V_FLOAT, .f = v};
  return sf_b_tensor(I, &c, dt, name, NULL, out);
}

/* reduce over the last axis (Mean or Sum), keepdims as given */
static sf_status reduce_last(sf_interp *I, const char *type, int x, bool keep, int *out) {
  sf_val ax = {.kind = V_INT, .i = -1}, l = {.kind = V_LIST, .items = &ax, .n = 1};
  int axes;
  sf_attr_value kd = {.b = keep};
  sf_status st = sf_b_tensor(I, &l, SF_INT32, "Const", NULL, &axes);
  return st == SF_OK ? op(I, type, (int[]){x, axes}, 2, &kd, out) : st;
}

static sf_status cast(sf_interp *I, int x, sf_dtype to, int *out) {
  if (sf_graph_node(I->ctx.graph, x)->dtype == to) return *out = x, SF_OK;
  sf_attr_value t = {.type = to};
  return op(I, "Cast", &x, 1, &t, out);
}

/* clip_ops.clip_by_value(x, eps, 1 - eps): minimum, then maximum (epsilon() is 1e-7). */
static sf_status clip_eps(sf_interp *I, int x, int *out) {
  sf_dtype dt = sf_graph_node(I->ctx.graph, x)->dtype;
  double eps = dt == SF_FLOAT32 ? (double)1e-7f : 1e-7, hi = dt == SF_FLOAT32 ? (double)(1.0f - 1e-7f) : 1 - 1e-7;
  int e, h, m;
  sf_status st = scalar(I, eps, dt, "Const", &e);
  if (st == SF_OK) st = scalar(I, hi, dt, "sub", &h);
  if (st == SF_OK) st = op2(I, "Minimum", x, h, &m);
  return st == SF_OK ? op2(I, "Maximum", m, e, out) : st;
}

/* The logits a cross-entropy takes for y_pred, or -1 for probabilities (keras/backend.py of
 * tf.keras 2.9, _get_logits from 2.10, Keras 3's backend/tensorflow/nn.py _get_logits):
 * - a Softmax (binary: a Sigmoid) that a Keras activation made carries its input as
 *   output._keras_logits (not in profile tf1, whose Keras predates it): taken in every mode,
 *   and with from_logits=True too (Keras warns that the output is no logits);
 * - else such an op's input when y_pred is not an EagerTensor (a graph, a traced function,
 *   Keras's own train and test functions: b/117284466): through tf.keras 2.9 only without
 *   from_logits, from 2.10 with it too;
 * - else y_pred with from_logits. */
static int logits_of(sf_interp *I, const sf_kloss *k, int pred, const char *op) {
  const sf_node *n = sf_graph_node(I->ctx.graph, pred);
  bool is_op = strcmp(n->op->name, op) == 0;
  if (is_op && n->keras_logits && I->opt.profile != SF_PROFILE_TF1) return n->inputs[0];
  bool graph = !I->ctx.eager || k->graph_rule, newer = I->opt.profile == SF_PROFILE_KERAS3 || sf_keras_version(I) >= 21000;
  if (is_op && graph && (!k->from_logits || (newer && I->opt.profile != SF_PROFILE_TF1))) return n->inputs[0];
  return k->from_logits ? pred : -1;
}

/* A TensorShape as TF 2 prints it: (None, 1), (2,), (). */
static const char *tf_shape_text(const sf_shape *s, char *buf, size_t len) {
  size_t n = (size_t)snprintf(buf, len, "(");
  for (int d = 0; d < s->rank && n < len; d++) {
    if (s->dims[d] < 0) n += (size_t)snprintf(buf + n, len - n, "%sNone", d ? ", " : "");
    else n += (size_t)snprintf(buf + n, len - n, "%s%lld", d ? ", " : "", (long long)s->dims[d]);
  }
  if (n < len) snprintf(buf + n, len - n, s->rank == 1 ? ",)" : ")");
  return buf;
}

/* nn_impl.py sigmoid_cross_entropy_with_logits: x - x * z + log(1 + exp(-x)) in its stable
 * form max(x, 0) - x * z + log(1 + exp(-|x|)), with its ops in order: zeros_like(logits),
 * logits >= zeros (GreaterEqual), TF 1's where twice (Select: relu_logits, then
 * neg_abs_logits of Neg(logits)), relu_logits - logits * labels (Mul, Sub),
 * log1p(exp(neg_abs_logits)) (Exp, Log1p) and their sum (AddV2). labels has logits' dtype
 * and shape. */
static sf_status sigmoid_xent(sf_interp *I, const sf_expr *at, const char *name, int labels, int logits, int *out) {
  const sf_node *x = sf_graph_node(I->ctx.graph, logits), *z = sf_graph_node(I->ctx.graph, labels);
  if (z->dtype != x->dtype)
    return sf_py_raise(I, at, BC_TYPEERR, "Input 'y' of 'Mul' Op has type %s that does not match type %s of argument 'x'.",
                       sf_dtype_name(z->dtype), sf_dtype_name(x->dtype));
  /* labels.get_shape().assert_is_compatible_with(logits.get_shape()): a None dimension fits any */
  bool fits = !x->shape_known || !z->shape_known || x->shape.rank == z->shape.rank;
  for (int d = 0; fits && x->shape_known && z->shape_known && d < x->shape.rank; d++)
    fits = x->shape.dims[d] < 0 || z->shape.dims[d] < 0 || x->shape.dims[d] == z->shape.dims[d];
  if (!fits) {
    char xs[96], zs[96];
    return sf_py_raise(I, at, BC_VALUEERR, "logits and labels must have the same shape (%s vs %s)", tf_shape_text(&x->shape, xs, sizeof xs),
                       tf_shape_text(&z->shape, zs, sizeof zs));
  }
  sf_val lv, zv = {0};
  sf_b_tensor_val(I, logits, &lv);
  sf_args za = {.call = at, .pos = &lv, .npos = 1};
  const char *saved, *scope = sf_b_scope_push(I, name ? name : "logistic_loss", &saved); /* ops.name_scope(name, "logistic_loss") */
  sf_status st = sf_api_lookup("tf.zeros_like")(I, &za, &zv); /* a Const, or ZerosLike (array_ops.zeros_like_impl) */
  int zeros = zv.node, cond, relu, neg, nabs, m, d, e, l;
  sf_val_drop(&zv);
  if (st == SF_OK) st = op2(I, "GreaterEqual", logits, zeros, &cond);
  if (st == SF_OK) st = op(I, "Select", (int[]){cond, logits, zeros}, 3, NULL, &relu);
  if (st == SF_OK) st = op1(I, "Neg", logits, &neg);
  if (st == SF_OK) st = op(I, "Select", (int[]){cond, neg, logits}, 3, NULL, &nabs);
  if (st == SF_OK) st = op2(I, "Mul", logits, labels, &m);
  if (st == SF_OK) st = op2(I, "Sub", relu, m, &d);
  if (st == SF_OK) st = op1(I, "Exp", nabs, &e);
  if (st == SF_OK) st = op1(I, "Log1p", e, &l);
  sf_b_scope_pop(I, saved);
  sf_node *sum;
  if (st == SF_OK && (st = sf_b_op_scope(I, "AddV2", scope, (int[]){d, l}, 2, NULL, &sum)) == SF_OK) *out = sum->id; /* named as the scope */
  return st;
}

/* losses_utils.squeeze_or_expand_dimensions (remove_squeezable_dimensions), for the
 * elementwise losses: a side one rank above the other with a last axis of 1 loses it
 * (squeeze(x, [-1])), so that y_true (N,) and y_pred (N, 1) pair up instead of broadcasting.
 * (fit's match_rank, api_keras.c, has given its labels that axis already.) */
static sf_status squeezable(sf_interp *I, int *pred, int *y) {
  const sf_node *p = sf_graph_node(I->ctx.graph, *pred), *l = sf_graph_node(I->ctx.graph, *y);
  if (!p->shape_known || !l->shape_known) return SF_OK;
  int *side = p->shape.rank == l->shape.rank + 1 && p->shape.dims[p->shape.rank - 1] == 1 ? pred
              : l->shape.rank == p->shape.rank + 1 && l->shape.dims[l->shape.rank - 1] == 1 ? y : NULL;
  if (!side) return SF_OK;
  sf_attr_value dims[SF_B_ATTRS];
  sf_b_attrs("Squeeze", dims);
  sf_b_attr_set("Squeeze", dims, "squeeze_dims", (sf_attr_value){.shape = {.rank = 1, .dims = {-1}}});
  return op(I, "Squeeze", side, 1, dims, side);
}

/* label_smoothing s of binary (n = 2: y*(1-s) + 0.5*s) or categorical labels (n classes:
 * y*(1-s) + s/n), t already y_pred's dtype. tf.keras (losses.py binary_crossentropy,
 * categorical_crossentropy; TF 1.14 on) converts s to a tensor and does the arithmetic in
 * ops: Sub(1, s), Mul, Mul(0.5, s) or RealDiv(s, n), AddV2; a float32 one (K.floatx())
 * before Keras 2.7, y_pred's dtype from it (keras 001976c, "convert label_smoothing dtype to
 * y dtype"). Keras 3 (keras/src/losses/losses.py) does 1 - s and 0.5 * s in Python doubles,
 * each then a constant of y_pred's dtype; s / n stays an op. */
static sf_status smooth_labels(sf_interp *I, double s, int classes, int t, int *out) {
  sf_dtype dt = sf_graph_node(I->ctx.graph, t)->dtype;
  int ls, one, r, m, n, half, add;
  sf_status st;
  if (I->opt.profile == SF_PROFILE_KERAS3) {
    if ((st = scalar(I, 1.0 - s, dt, "Const", &r)) != SF_OK || (st = op2(I, "Mul", t, r, &m)) != SF_OK) return st;
    if (classes == 2) st = scalar(I, 0.5 * s, dt, "Const", &add);
    else if ((st = scalar(I, s, dt, "Const", &ls)) == SF_OK && (st = scalar(I, classes, dt, "Const", &n)) == SF_OK)
      st = op2(I, "RealDiv", ls, n, &add);
    return st == SF_OK ? op2(I, "AddV2", m, add, out) : st;
  }
  bool f32 = I->opt.profile == SF_PROFILE_TF1 || sf_keras_version(I) < 20700;
  if (dt != SF_FLOAT32 && f32) /* TF: a float32 label_smoothing times float64 labels is a TypeError */
    return sf_error_set(I->err, SF_EINVAL, "unsupported: label_smoothing with a %s y_pred (tf.keras before 2.7 makes it float32)",
                        sf_dtype_name(dt));
  if ((st = scalar(I, s, dt, "Const", &ls)) != SF_OK) return st;
  if (classes != 2 && (st = scalar(I, classes, dt, "Const", &n)) != SF_OK) return st; /* num_classes (a Cast of the labels' last dimension) first */
  if ((st = scalar(I, 1.0, dt, "Const", &one)) != SF_OK || (st = op2(I, "Sub", one, ls, &r)) != SF_OK ||
      (st = op2(I, "Mul", t, r, &m)) != SF_OK)
    return st;
  if (classes != 2) st = op2(I, "RealDiv", ls, n, &add);
  else if ((st = scalar(I, 0.5, dt, "Const", &half)) == SF_OK) st = op2(I, "Mul", half, ls, &add);
  return st == SF_OK ? op2(I, "AddV2", m, add, out) : st;
}

/* The labels' class count for categorical label smoothing: their static last dimension. */
static sf_status label_classes(sf_interp *I, int y, int *n) {
  const sf_node *l = sf_graph_node(I->ctx.graph, y);
  int axis = I->opt.profile == SF_PROFILE_TF1 ? 1 : l->shape.rank - 1; /* TF 1.15: shape(y_true)[1] */
  if (!l->shape_known || l->shape.rank < 2 || l->shape.dims[axis] < 0)
    return sf_error_set(I->err, SF_ESHAPE, "unsupported: label_smoothing of labels whose number of classes is unknown");
  *n = (int)l->shape.dims[axis];
  return SF_OK;
}

/* The per-sample loss [batch] of y_pred against y_true (keras/losses.py). */
static sf_status per_sample(sf_interp *I, const sf_kloss *k, int y, int pred, int *out) {
  int kind = k->kind;
  if (sf_kloss_elementwise(kind)) {
    sf_status st = squeezable(I, &pred, &y);
    if (st != SF_OK) return st;
  }
  sf_dtype pdt = sf_graph_node(I->ctx.graph, pred)->dtype;
  int t, d, a, logits = pred, l2;
  sf_status st = SF_OK;
  switch (kind) {
    case SF_KL_MSE: case SF_KL_MAE: /* mean(square|abs(y_pred - y_true), -1) */
      if ((st = cast(I, y, pdt, &t)) == SF_OK && (st = op2(I, "Sub", pred, t, &d)) == SF_OK)
        st = op1(I, kind == SF_KL_MSE ? "Square" : "Abs", d, &a);
      return st == SF_OK ? reduce_last(I, "Mean", a, false, out) : st;
    case SF_KL_SCE: { /* y_true cast to y_pred's dtype, then to int64 (backend) */
      int lab = 0;
      if ((st = cast(I, y, pdt, &t)) == SF_OK) st = cast(I, t, SF_INT64, &lab);
      if (st == SF_OK && (logits = logits_of(I, k, pred, "Softmax")) < 0) {
        if ((st = clip_eps(I, pred, &t)) == SF_OK) st = op1(I, "Log", t, &logits);
      }
      const sf_node *ln = sf_graph_node(I->ctx.graph, lab);
      if (st == SF_OK && ln->shape_known && ln->shape.rank == 2 && ln->shape.dims[1] == 1) { /* labels (batch, 1): flattened */
        sf_val dims = {.kind = V_LIST, .items = (sf_val[]){{.kind = V_INT, .i = -1}}, .n = 1};
        int sh;
        if ((st = sf_b_tensor(I, &dims, SF_INT32, "Const", NULL, &sh)) == SF_OK) st = op2(I, "Reshape", lab, sh, &lab);
      }
      return st == SF_OK ? op2(I, "SparseSoftmaxCrossEntropyWithLogits", logits, lab, out) : st;
    }
    case SF_KL_CCE: {
      int classes = 0;
      if ((st = cast(I, y, pdt, &t)) != SF_OK) return st;
      if (k->label_smoothing != 0 &&
          ((st = label_classes(I, t, &classes)) != SF_OK || (st = smooth_labels(I, k->label_smoothing, classes, t, &t)) != SF_OK))
        return st;
      if ((logits = logits_of(I, k, pred, "Softmax")) >= 0) return op2(I, "SoftmaxCrossEntropyWithLogits", logits, t, out);
      /* probabilities scaled to sum to 1, clipped, -sum(y * log(p), -1) */
      if ((st = reduce_last(I, "Sum", pred, true, &a)) == SF_OK && (st = op2(I, "RealDiv", pred, a, &d)) == SF_OK &&
          (st = clip_eps(I, d, &d)) == SF_OK && (st = op1(I, "Log", d, &l2)) == SF_OK && (st = op2(I, "Mul", t, l2, &a)) == SF_OK &&
          (st = reduce_last(I, "Sum", a, false, &d)) == SF_OK)
        st = op1(I, "Neg", d, out);
      return st;
    }
    default: { /* SF_KL_BCE, probabilities: y*log(p+eps) + (1-y)*log(1-p+eps), negated, mean(-1) (Keras 3: no +eps) */
      /* backend.binary_crossentropy: with logits, or a graph's Sigmoid output (its input
       * taken as the logits, "to prevent collapsing zero when training"),
       * sigmoid_cross_entropy_with_logits; mean(-1) */
      if ((st = cast(I, y, pdt, &t)) != SF_OK) return st;
      if (k->label_smoothing != 0 && (st = smooth_labels(I, k->label_smoothing, 2, t, &t)) != SF_OK) return st;
      if ((logits = logits_of(I, k, pred, "Sigmoid")) >= 0) {
        st = sigmoid_xent(I, NULL, NULL, t, logits, &a);
        return st == SF_OK ? reduce_last(I, "Mean", a, false, out) : st;
      }
      int p, e, one, lp, u, v, w, bce;
      if (I->opt.profile == SF_PROFILE_KERAS3) { /* Keras 3 backend/tensorflow/nn.py: no epsilon inside the logs */
        if ((st = clip_eps(I, pred, &p)) == SF_OK && (st = op1(I, "Log", p, &lp)) == SF_OK && (st = op2(I, "Mul", t, lp, &bce)) == SF_OK &&
            (st = scalar(I, 1, pdt, "Const", &one)) == SF_OK && (st = op2(I, "Sub", one, t, &u)) == SF_OK &&
            (st = op2(I, "Sub", one, p, &v)) == SF_OK && (st = op1(I, "Log", v, &v)) == SF_OK && (st = op2(I, "Mul", u, v, &w)) == SF_OK &&
            (st = op2(I, "AddV2", bce, w, &bce)) == SF_OK && (st = op1(I, "Neg", bce, &bce)) == SF_OK)
          st = reduce_last(I, "Mean", bce, false, out);
        return st;
      }
      double eps = pdt == SF_FLOAT32 ? (double)1e-7f : 1e-7;
      if ((st = clip_eps(I, pred, &p)) == SF_OK && (st = scalar(I, eps, pdt, "Const", &e)) == SF_OK &&
          (st = op2(I, "AddV2", p, e, &u)) == SF_OK && (st = op1(I, "Log", u, &lp)) == SF_OK && (st = op2(I, "Mul", t, lp, &bce)) == SF_OK &&
          (st = scalar(I, 1, pdt, "Const", &one)) == SF_OK && (st = op2(I, "Sub", one, t, &u)) == SF_OK &&
          (st = op2(I, "Sub", one, p, &v)) == SF_OK && (st = op2(I, "AddV2", v, e, &v)) == SF_OK && (st = op1(I, "Log", v, &v)) == SF_OK &&
          (st = op2(I, "Mul", u, v, &w)) == SF_OK && (st = op2(I, "AddV2", bce, w, &bce)) == SF_OK && (st = op1(I, "Neg", bce, &bce)) == SF_OK)
        st = reduce_last(I, "Mean", bce, false, out);
      return st;
    }
  }
}

/* SUM_OVER_BATCH_SIZE: sum of the per-sample losses / their number. */
static sf_status over_batch(sf_interp *I, int per, int *loss) {
  const sf_node *pn = sf_graph_node(I->ctx.graph, per);
  if (!pn->shape_known) return sf_error_set(I->err, SF_ESHAPE, "loss: the batch size is unknown");
  /* reduce_sum over every axis: [0] for the usual [batch], none for a scalar (a loss whose
   * sides were squeezed to one rank: y_true (N,), y_pred (N, 1)) */
  sf_val ax[SF_MAX_RANK], l = {.kind = V_LIST, .items = ax, .n = pn->shape.rank};
  int64_t count = 1;
  for (int d = 0; d < pn->shape.rank; d++) ax[d] = sf_int(d), count *= pn->shape.dims[d];
  int axes, sum, cnt;
  sf_status st = sf_b_tensor(I, &l, SF_INT32, "Const", NULL, &axes);
  if (st == SF_OK) st = op2(I, "Sum", per, axes, &sum);
  if (st == SF_OK) st = scalar(I, (double)count, pn->dtype, "num_elements", &cnt);
  if (st != SF_OK) return st;
  sf_node *div;
  st = sf_b_op(I, "RealDiv", "value", (int[]){sum, cnt}, 2, NULL, &div);
  if (st == SF_OK) *loss = div->id;
  return st;
}

sf_status sf_kloss_build(sf_interp *I, const sf_kloss *k, int pred, int y, int *loss) {
  int per;
  sf_status st = per_sample(I, k, y, pred, &per);
  return st == SF_OK ? over_batch(I, per, loss) : st;
}

/* ---- names ---- */

static const struct {
  const char *name;
  int kind;
} loss_names[] = {
    {"mse", SF_KL_MSE}, {"mean_squared_error", SF_KL_MSE}, {"MeanSquaredError", SF_KL_MSE},
    {"mae", SF_KL_MAE}, {"mean_absolute_error", SF_KL_MAE}, {"MeanAbsoluteError", SF_KL_MAE},
    {"sparse_categorical_crossentropy", SF_KL_SCE}, {"SparseCategoricalCrossentropy", SF_KL_SCE},
    {"categorical_crossentropy", SF_KL_CCE}, {"CategoricalCrossentropy", SF_KL_CCE},
    {"binary_crossentropy", SF_KL_BCE}, {"BinaryCrossentropy", SF_KL_BCE},
};

static bool loss_kind(const char *name, int *kind) {
  for (size_t i = 0; i < sizeof loss_names / sizeof loss_names[0]; i++)
    if (strcmp(loss_names[i].name, name) == 0) return *kind = loss_names[i].kind, true;
  return false;
}

static sf_status fn_mse(sf_interp *I, const sf_args *a, sf_val *out);
static sf_status fn_mae(sf_interp *I, const sf_args *a, sf_val *out);
static sf_status fn_sce(sf_interp *I, const sf_args *a, sf_val *out);
static sf_status fn_cce(sf_interp *I, const sf_args *a, sf_val *out);
static sf_status fn_bce(sf_interp *I, const sf_args *a, sf_val *out);

sf_status sf_kloss_compile(sf_interp *I, const sf_args *a, const sf_val *loss, const sf_val *metrics, sf_kloss *out) {
  memset(out, 0, sizeof *out);
  /* a tf.keras.losses function (losses.get takes a callable as it is: its defaults, no logits) */
  static const struct {
    sf_builtin_fn fn;
    int kind;
  } loss_fns[] = {{fn_mse, SF_KL_MSE}, {fn_mae, SF_KL_MAE}, {fn_sce, SF_KL_SCE}, {fn_cce, SF_KL_CCE}, {fn_bce, SF_KL_BCE}};
  size_t f = 0;
  while (loss->kind == V_BUILTIN && f < sizeof loss_fns / sizeof *loss_fns && loss->fn != loss_fns[f].fn) f++;
  if (loss->kind == V_BUILTIN && f < sizeof loss_fns / sizeof *loss_fns) {
    out->kind = loss_fns[f].kind;
  } else if (loss->kind == V_LOSS) {
    if (!loss_kind(loss->s, &out->kind)) return sf_arg_error(I, a, SF_EINVAL, "compile: unsupported loss '%s'", loss->s);
    out->from_logits = loss->b;
    out->label_smoothing = loss->f;
  } else if (loss->kind == V_STR) {
    if (!loss_kind(loss->s, &out->kind))
      return sf_arg_error(I, a, SF_EINVAL, "compile: unsupported loss '%s'", loss->s);
  } else {
    return sf_arg_error(I, a, SF_ETYPE, "compile: loss must be a name such as 'mse', a tf.keras.losses object or function");
  }
  if (metrics->kind == V_NONE) return SF_OK;
  if (metrics->kind != V_LIST && metrics->kind != V_TUPLE)
    return sf_arg_error(I, a, SF_ETYPE, "compile: metrics must be a list of names such as ['accuracy']");
  bool tf1 = I->opt.profile == SF_PROFILE_TF1;
  for (int i = 0; i < metrics->n; i++) {
    const sf_val *m = &metrics->items[i];
    if (m->kind != V_STR) return sf_arg_error(I, a, SF_ETYPE, "compile: metrics must be names such as 'accuracy'");
    if (out->nmetrics == 8) return sf_arg_error(I, a, SF_EINVAL, "compile: more than 8 metrics");
    int kind;
    const char *s = m->s, *name = s;
    /* TF 1.x logs 'accuracy' as 'acc' and a function's metric by its function's name */
    if (strcmp(s, "accuracy") == 0 || strcmp(s, "acc") == 0) kind = SF_KM_ACC, name = tf1 ? "acc" : s;
    else if (strcmp(s, "mae") == 0 || strcmp(s, "mean_absolute_error") == 0) kind = SF_KM_MAE, name = tf1 ? "mean_absolute_error" : s;
    else if (strcmp(s, "mse") == 0 || strcmp(s, "mean_squared_error") == 0) kind = SF_KM_MSE, name = tf1 ? "mean_squared_error" : s;
    else return sf_arg_error(I, a, SF_EINVAL, "compile: unsupported metric '%s'", s);
    out->metrics[out->nmetrics] = kind;
    if (!(out->names[out->nmetrics++] = sf_arena_strdup(&I->arena, name))) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  }
  return SF_OK;
}

/* ---- loss objects and functions ---- */

/* label_smoothing as given into *s: a number (TF takes any float, 0 for none), or None in
 * Keras 3 (`if label_smoothing:`). tf.keras converts it to a tensor only when the loss is
 * called, so anything else is unsupported here, not an error TF would raise. */
static sf_status smoothing_arg(sf_interp *I, const sf_args *a, const char *fname, const sf_val *v, double *s) {
  if (v->kind == V_NONE && I->opt.profile == SF_PROFILE_KERAS3) return *s = 0, SF_OK;
  if (v->kind != V_FLOAT && v->kind != V_INT && v->kind != V_BOOL)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: %s's label_smoothing of type %s (TF fails when the loss is called)", fname,
                        sf_type_name(v));
  *s = v->kind == V_FLOAT ? v->f : v->kind == V_INT ? (double)v->i : v->b;
  return SF_OK;
}

/* BinaryCrossentropy and CategoricalCrossentropy(from_logits=False, label_smoothing=0.0,
 * axis=-1, reduction, name); the others (from_logits, reduction, name, axis). */
static sf_status loss_object(sf_interp *I, const sf_args *a, sf_val *out, const char *cls) {
  bool smoothed = strcmp(cls, "BinaryCrossentropy") == 0 || strcmp(cls, "CategoricalCrossentropy") == 0;
  bool tf1 = I->opt.profile == SF_PROFILE_TF1; /* TF 1.15's two take no axis */
  SF_BIND(cls, smoothed ? (tf1 ? "from_logits label_smoothing reduction name" : "from_logits label_smoothing axis reduction name")
                        : "from_logits reduction name axis", 5);
  int red = smoothed ? (tf1 ? 2 : 3) : 1, axis = smoothed ? (tf1 ? -1 : 2) : 3, ls = 1;
  bool logits = v[0].kind == V_BOOL ? v[0].b : v[0].kind == V_INT && v[0].i;
  if (g[0] && v[0].kind != V_BOOL && v[0].kind != V_INT) return sf_arg_error(I, a, SF_ETYPE, "%s: from_logits must be a bool", cls);
  if (g[red] && !(v[red].kind == V_STR && (strcmp(v[red].s, "auto") == 0 || strcmp(v[red].s, "sum_over_batch_size") == 0)))
    return sf_arg_error(I, a, SF_EINVAL, "%s: only reduction 'auto' (sum_over_batch_size) is supported", cls);
  if (axis >= 0 && g[axis] && !(v[axis].kind == V_INT && v[axis].i == -1))
    return sf_arg_error(I, a, SF_EINVAL, "%s: only axis=-1 is supported", cls);
  double s = 0;
  if (smoothed && g[ls] && (st = smoothing_arg(I, a, cls, &v[ls], &s)) != SF_OK) return st;
  *out = (sf_val){.kind = V_LOSS, .s = cls, .b = logits, .f = s};
  return SF_OK;
}
static sf_status api_sce(sf_interp *I, const sf_args *a, sf_val *out) { return loss_object(I, a, out, "SparseCategoricalCrossentropy"); }
static sf_status api_cce(sf_interp *I, const sf_args *a, sf_val *out) { return loss_object(I, a, out, "CategoricalCrossentropy"); }
static sf_status api_bce(sf_interp *I, const sf_args *a, sf_val *out) { return loss_object(I, a, out, "BinaryCrossentropy"); }
static sf_status api_mae(sf_interp *I, const sf_args *a, sf_val *out) { return loss_object(I, a, out, "MeanAbsoluteError"); }

/* y_true, y_pred as tensors of the current graph (labels keep an int dtype). */
static sf_status loss_inputs(sf_interp *I, const sf_args *a, const sf_val *yt, const sf_val *yp, int *y, int *p) {
  sf_status st = sf_b_tensor(I, yp, -1, "y_pred", a->call, p);
  if (st == SF_OK && !sf_dtype_is_float(sf_graph_node(I->ctx.graph, *p)->dtype))
    return sf_arg_error(I, a, SF_ETYPE, "y_pred must be a float tensor");
  return st == SF_OK ? sf_b_tensor(I, yt, -1, "y_true", a->call, y) : st;
}

/* loss_fn(y_true, y_pred): Loss.__call__, the batch loss. */
sf_status sf_kloss_call(sf_interp *I, const sf_val *self, const sf_args *a, sf_val *out) {
  SF_BIND("__call__", "y_true y_pred sample_weight", 3);
  if ((st = sf_arg_need(I, a, "__call__", "y_true", g[0])) != SF_OK || (st = sf_arg_need(I, a, "__call__", "y_pred", g[1])) != SF_OK)
    return st;
  if (g[2] && v[2].kind != V_NONE) return sf_arg_error(I, a, SF_EINVAL, "unsupported: a loss called with sample_weight");
  sf_kloss k = {.from_logits = self->b, .label_smoothing = self->f};
  if (!loss_kind(self->s, &k.kind)) return sf_arg_error(I, a, SF_EINVAL, "unsupported loss '%s'", self->s);
  int y, p, loss;
  if ((st = loss_inputs(I, a, &v[0], &v[1], &y, &p)) == SF_OK && (st = sf_kloss_build(I, &k, p, y, &loss)) == SF_OK)
    sf_b_tensor_val(I, loss, out);
  return st;
}

/* keras.losses.<function>(y_true, y_pred[, from_logits]): the per-sample losses;
 * binary_crossentropy and categorical_crossentropy take (from_logits, label_smoothing, axis). */
static sf_status loss_function(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, int kind) {
  bool smoothed = kind == SF_KL_BCE || kind == SF_KL_CCE;
  SF_BIND(fname, smoothed ? "y_true y_pred from_logits label_smoothing axis" : "y_true y_pred from_logits axis", 5);
  int axis = smoothed ? 4 : 3, ls = 3;
  if ((st = sf_arg_need(I, a, fname, "y_true", g[0])) != SF_OK || (st = sf_arg_need(I, a, fname, "y_pred", g[1])) != SF_OK) return st;
  if (g[axis] && !(v[axis].kind == V_INT && v[axis].i == -1)) return sf_arg_error(I, a, SF_EINVAL, "%s: only axis=-1 is supported", fname);
  bool logits = v[2].kind == V_BOOL ? v[2].b : v[2].kind == V_INT && v[2].i;
  double s = 0;
  if (smoothed && g[ls] && (st = smoothing_arg(I, a, fname, &v[ls], &s)) != SF_OK) return st;
  int y, p, per;
  sf_kloss k = {.kind = kind, .from_logits = logits, .label_smoothing = s};
  if ((st = loss_inputs(I, a, &v[0], &v[1], &y, &p)) == SF_OK && (st = per_sample(I, &k, y, p, &per)) == SF_OK)
    sf_b_tensor_val(I, per, out);
  return st;
}
static sf_status fn_mse(sf_interp *I, const sf_args *a, sf_val *out) { return loss_function(I, a, out, "mean_squared_error", SF_KL_MSE); }
static sf_status fn_mae(sf_interp *I, const sf_args *a, sf_val *out) { return loss_function(I, a, out, "mean_absolute_error", SF_KL_MAE); }
static sf_status fn_sce(sf_interp *I, const sf_args *a, sf_val *out) {
  return loss_function(I, a, out, "sparse_categorical_crossentropy", SF_KL_SCE);
}
static sf_status fn_cce(sf_interp *I, const sf_args *a, sf_val *out) { return loss_function(I, a, out, "categorical_crossentropy", SF_KL_CCE); }
static sf_status fn_bce(sf_interp *I, const sf_args *a, sf_val *out) { return loss_function(I, a, out, "binary_crossentropy", SF_KL_BCE); }

/* ---- tf.nn ---- */

static sf_status nn_softmax(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, const char *type) {
  SF_BIND(fname, "logits axis name", 3);
  if ((st = sf_arg_need(I, a, fname, "logits", g[0])) != SF_OK) return st;
  if (g[1] && v[1].kind != V_NONE && !(v[1].kind == V_INT && v[1].i == -1))
    return sf_arg_error(I, a, SF_EINVAL, "%s: only the last axis (axis=-1) is supported", fname);
  int x, y;
  if ((st = sf_b_tensor(I, &v[0], -1, "logits", a->call, &x)) != SF_OK) return st;
  if (!sf_dtype_is_float(sf_graph_node(I->ctx.graph, x)->dtype)) return sf_arg_error(I, a, SF_ETYPE, "%s: logits must be float", fname);
  if ((st = op1(I, type, x, &y)) != SF_OK) return sf_arg_rethrow(I, a, "%s", fname);
  sf_b_tensor_val(I, y, out);
  return SF_OK;
}
static sf_status api_softmax(sf_interp *I, const sf_args *a, sf_val *out) { return nn_softmax(I, a, out, "softmax", "Softmax"); }
static sf_status api_log_softmax(sf_interp *I, const sf_args *a, sf_val *out) { return nn_softmax(I, a, out, "log_softmax", "LogSoftmax"); }

/* TF 2's tf.nn.(sparse_)softmax_cross_entropy_with_logits are nn_ops.py's _v2 functions,
 * (labels, logits, axis=-1, name) and (labels, logits, name). TF 1's are (_sentinel, labels,
 * logits, dim=-1, name, axis) and (_sentinel, labels, logits, name): keywords only, both
 * given (_ensure_xent_args), and the full one stops the labels' gradient
 * (softmax_cross_entropy_with_logits: stop_gradient(labels, name="labels_stop_gradient")). */
static sf_status nn_xent(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, bool sparse) {
  bool v1 = I->opt.profile == SF_PROFILE_TF1;
  const char *params = v1 ? (sparse ? "_sentinel labels logits name" : "_sentinel labels logits dim name axis")
                          : (sparse ? "labels logits name" : "labels logits axis name");
  SF_BIND(fname, params, 6);
  sf_val *lab = &v[v1], *lg = &v[v1 + 1], *axis = NULL;
  bool have_axis = false;
  if (!sparse) { /* v2 axis; v1 axis, else dim */
    int ax = v1 ? (g[5] && v[5].kind != V_NONE ? 5 : 3) : 2;
    have_axis = g[ax] && v[ax].kind != V_NONE, axis = &v[ax];
  }
  if (v1) {
    if (g[0] && v[0].kind != V_NONE)
      return sf_py_raise(I, a->call, BC_VALUEERR, "Only call `%s` with named arguments (labels=..., logits=..., ...)", fname);
    if (!g[1] || !g[2] || lab->kind == V_NONE || lg->kind == V_NONE)
      return sf_py_raise(I, a->call, BC_VALUEERR, "Both labels and logits must be provided.");
  } else if ((st = sf_arg_need(I, a, fname, "labels", g[0])) != SF_OK || (st = sf_arg_need(I, a, fname, "logits", g[1])) != SF_OK) {
    return st;
  }
  int y, x, r;
  if ((st = sf_b_tensor(I, lg, -1, "logits", a->call, &x)) != SF_OK) return st;
  const sf_node *xn = sf_graph_node(I->ctx.graph, x);
  if (have_axis && !(axis->kind == V_INT && (axis->i == -1 || (xn->shape_known && axis->i == xn->shape.rank - 1))))
    return sf_arg_error(I, a, SF_EINVAL, "%s: only the last axis is supported", fname);
  if ((st = sf_b_tensor(I, lab, sparse ? -1 : (int)xn->dtype, "labels", a->call, &y)) != SF_OK) return st;
  sf_node *sg;
  if (v1 && !sparse) {
    if ((st = sf_b_op(I, "StopGradient", "labels_stop_gradient", &y, 1, NULL, &sg)) != SF_OK) return st;
    y = sg->id;
  }
  if ((st = op2(I, sparse ? "SparseSoftmaxCrossEntropyWithLogits" : "SoftmaxCrossEntropyWithLogits", x, y, &r)) != SF_OK)
    return sf_arg_rethrow(I, a, "%s", fname);
  sf_b_tensor_val(I, r, out);
  return SF_OK;
}
static sf_status api_sparse_xent(sf_interp *I, const sf_args *a, sf_val *out) {
  return nn_xent(I, a, out, "sparse_softmax_cross_entropy_with_logits", true);
}
static sf_status api_xent(sf_interp *I, const sf_args *a, sf_val *out) { return nn_xent(I, a, out, "softmax_cross_entropy_with_logits", false); }

/* tf.nn.sigmoid_cross_entropy_with_logits(labels, logits, name) (nn_impl.py's v2); TF 1's
 * (_sentinel, labels, logits, name) takes keywords only (nn_ops._ensure_xent_args). */
static sf_status sigmoid_xent_api(sf_interp *I, const sf_args *a, sf_val *out, bool v1) {
  const char *fname = "sigmoid_cross_entropy_with_logits";
  if (v1 && a->npos)
    return sf_py_raise(I, a->call, BC_VALUEERR,
                       "Only call `%s` with named arguments (labels=..., logits=..., ...), got a positional argument", fname);
  SF_BIND(fname, "labels logits name", 3);
  if ((st = sf_arg_need(I, a, fname, "labels", g[0])) != SF_OK || (st = sf_arg_need(I, a, fname, "logits", g[1])) != SF_OK) return st;
  int x, z, r;
  if ((st = sf_b_tensor(I, &v[1], -1, "logits", a->call, &x)) != SF_OK) return st;
  if ((st = sf_b_tensor(I, &v[0], v[0].kind == V_TENSOR ? -1 : (int)sf_graph_node(I->ctx.graph, x)->dtype, "labels", a->call, &z)) != SF_OK)
    return st;
  if (g[2] && v[2].kind != V_NONE && v[2].kind != V_STR) return sf_arg_error(I, a, SF_ETYPE, "%s: name must be a str", fname);
  if ((st = sigmoid_xent(I, a->call, g[2] && v[2].kind == V_STR ? v[2].s : NULL, z, x, &r)) != SF_OK) return st;
  sf_b_tensor_val(I, r, out);
  return SF_OK;
}
static sf_status api_sigmoid_xent(sf_interp *I, const sf_args *a, sf_val *out) { return sigmoid_xent_api(I, a, out, false); }
static sf_status api_sigmoid_xent_v1(sf_interp *I, const sf_args *a, sf_val *out) { return sigmoid_xent_api(I, a, out, true); }

static const struct {
  const char *path;
  sf_builtin_fn fn;
} api[] = {
    {"tf.nn.softmax", api_softmax},
    {"tf.math.softmax", api_softmax},
    {"tf.nn.log_softmax", api_log_softmax},
    {"tf.math.log_softmax", api_log_softmax},
    {"tf.nn.sparse_softmax_cross_entropy_with_logits", api_sparse_xent},
    {"tf.nn.softmax_cross_entropy_with_logits", api_xent},
    {"tf.nn.sigmoid_cross_entropy_with_logits", api_sigmoid_xent},
    {"tf.compat.v1.nn.sigmoid_cross_entropy_with_logits", api_sigmoid_xent_v1},
    {"tf.keras.losses.SparseCategoricalCrossentropy", api_sce},
    {"tf.keras.losses.CategoricalCrossentropy", api_cce},
    {"tf.keras.losses.BinaryCrossentropy", api_bce},
    {"tf.keras.losses.MeanAbsoluteError", api_mae},
    {"tf.keras.losses.mean_squared_error", fn_mse},
    {"tf.keras.losses.mse", fn_mse},
    {"tf.keras.losses.mean_absolute_error", fn_mae},
    {"tf.keras.losses.mae", fn_mae},
    {"tf.keras.losses.sparse_categorical_crossentropy", fn_sce},
    {"tf.keras.losses.categorical_crossentropy", fn_cce},
    {"tf.keras.losses.binary_crossentropy", fn_bce},
};

/* The functions above that only build ops from their arguments and keep none of them
 * (sf_api_pure): the tf.nn softmax and cross-entropy functions, the keras.losses functions. */
bool sf_kloss_pure(sf_builtin_fn fn) {
  static const sf_builtin_fn pure[] = {api_softmax, api_log_softmax, api_sparse_xent, api_xent, api_sigmoid_xent,
                                       api_sigmoid_xent_v1, fn_mse, fn_mae, fn_sce, fn_cce, fn_bce};
  for (size_t i = 0; i < sizeof pure / sizeof *pure; i++)
    if (pure[i] == fn) return true;
  return false;
}

sf_builtin_fn sf_kloss_lookup(const char *path) {
  for (size_t i = 0; i < sizeof api / sizeof api[0]; i++)
    if (strcmp(api[i].path, path) == 0) return api[i].fn;
  return sf_kmetric_lookup(path);
}

bool sf_klabels_ok(const sf_tensor *y) {
  if (y->shape.rank == 2) return y->dtype == SF_FLOAT32;
  return y->shape.rank == 1 && (y->dtype == SF_FLOAT32 || y->dtype == SF_INT32 || y->dtype == SF_INT64 || y->dtype == SF_UINT8);
}

/* ---- the log ---- */

static sf_status emit(sf_interp *I, const sf_klog *l, const char *text) {
  sf_status st = sf_trace_add_log(I->tr, l->a->call ? l->a->call->line : I->line, text);
  return st == SF_OK ? SF_OK : sf_error_set(I->err, st, "out of memory");
}

sf_status sf_klog_begin(sf_interp *I, sf_klog *l) {
  if (!l->verbose || I->opt.profile != SF_PROFILE_TF1) return SF_OK;
  /* TF 1.x training_arrays: _print_train_info */
  char buf[96];
  int k = snprintf(buf, sizeof buf, "Train on %lld samples", (long long)l->n);
  if (l->nval) snprintf(buf + k, sizeof buf - (size_t)k, ", validate on %lld samples", (long long)l->nval);
  return emit(I, l, buf);
}

void sf_klog_reset(sf_klog *l) {
  l->t0 = uv_hrtime();
  l->t1 = 0;
  l->step = 0;
  l->loss_total = l->loss_count = 0;
  memset(l->m_total, 0, sizeof l->m_total);
  memset(l->m_count, 0, sizeof l->m_count);
}

sf_status sf_klog_epoch_begin(sf_interp *I, sf_klog *l, int64_t epoch) {
  sf_klog_reset(l);
  l->epoch = epoch;
  /* ProgbarLogger.on_epoch_begin: TF 2.x prints the epoch only when there are several */
  if (!l->verbose || (I->opt.profile != SF_PROFILE_TF1 && l->epochs <= 1)) return SF_OK;
  char buf[64];
  snprintf(buf, sizeof buf, "Epoch %lld/%lld", (long long)epoch + 1, (long long)l->epochs);
  return emit(I, l, buf);
}

static int64_t argmax_row(const sf_tensor *t, int64_t r, int64_t k) {
  int64_t best = 0;
  for (int64_t j = 1; j < k; j++)
    if (sf_tensor_get(t, r * k + j) > sf_tensor_get(t, r * k + best)) best = j;
  return best;
}

/* The batch's sum of one metric's per-sample values, in float32 (metrics.py). */
static float metric_sum(const sf_klog *l, int m, const sf_tensor *pred, const sf_tensor *y) {
  int64_t b = pred->shape.rank ? pred->shape.dims[0] : 1, k = b ? pred->n / b : 0;
  bool sparse_y = y->n == b && (k > 1 || l->k->kind == SF_KL_SCE);
  float sum = 0;
  for (int64_t r = 0; r < b; r++) {
    float v;
    if (m == SF_KM_ACC) {
      if (l->k->kind == SF_KL_BCE || k == 1) /* binary_accuracy: y_pred > 0.5 */
        v = (sf_tensor_get(pred, r * k) > 0.5f) == (sf_tensor_get(y, r * k) != 0);
      else if (sparse_y) /* sparse_categorical_accuracy */
        v = (double)argmax_row(pred, r, k) == sf_tensor_get(y, r);
      else /* categorical_accuracy */
        v = argmax_row(pred, r, k) == argmax_row(y, r, k);
    } else { /* mean over the last axis of |d| or d*d */
      float s = 0;
      for (int64_t j = 0; j < k; j++) {
        float d = (float)sf_tensor_get(pred, r * k + j) - (float)sf_tensor_get(y, sparse_y ? r : r * k + j);
        s += m == SF_KM_MAE ? fabsf(d) : d * d;
      }
      v = s / (float)k;
    }
    sum += v;
  }
  return sum;
}

void sf_klog_batch(sf_interp *I, sf_klog *l, const sf_tensor *loss, const sf_tensor *pred, const sf_tensor *y) {
  int64_t b = y->shape.rank ? y->shape.dims[0] : 1;
  double lv = sf_tensor_get(loss, 0);
  if (I->opt.profile == SF_PROFILE_TF1) { /* Progbar: v * batch added in float64 */
    l->loss_total += lv * (double)b;
    l->loss_count += (double)b;
  } else { /* Mean(name='loss').update_state(loss, sample_weight=batch) in float32. The sums are
              * float arithmetic on float locals: GCC 12.2 at -O2 merged `(float)(total + x)`
              * with the float64 branch above into one addpd and dropped the rounding (the
              * gcc build's epoch loss then differed from clang's and from TF's) */
    float add = (float)(lv * (double)b), total = (float)l->loss_total + add;
    float count = (float)l->loss_count + (float)b;
    l->loss_total = total;
    l->loss_count = count;
  }
  for (int m = 0; m < l->k->nmetrics; m++) {
    float total = (float)l->m_total[m] + metric_sum(l, l->k->metrics[m], pred, y);
    float count = (float)l->m_count[m] + (float)b;
    l->m_total[m] = total;
    l->m_count[m] = count;
  }
  if (++l->step == 1) l->t1 = uv_hrtime();
}

static double loss_value(const sf_interp *I, const sf_klog *l) {
  if (!l->loss_count) return 0;
  return I->opt.profile == SF_PROFILE_TF1 ? l->loss_total / l->loss_count : (float)(l->loss_total / l->loss_count);
}

static double metric_value(const sf_klog *l, int m) { return l->m_count[m] ? (float)(l->m_total[m] / l->m_count[m]) : 0; }

/* " - name: value" as Progbar formats it (%.4f, or %.4e for |v| <= 1e-3; verbose 2 tests v > 1e-3) */
static int value_text(char *buf, size_t cap, const char *prefix, const char *name, double v, bool abs_test) {
  bool fixed = abs_test ? fabs(v) > 1e-3 : v > 1e-3;
  return snprintf(buf, cap, fixed ? " - %s%s: %.4f" : " - %s%s: %.4e", prefix, name, v);
}

static size_t values_text(const sf_interp *I, const sf_klog *l, const char *prefix, bool abs_test, char *buf, size_t cap) {
  size_t k = 0;
  k += (size_t)value_text(buf + k, cap - k, prefix, "loss", loss_value(I, l), abs_test);
  for (int m = 0; m < l->k->nmetrics && k < cap; m++) k += (size_t)value_text(buf + k, cap - k, prefix, l->k->names[m], metric_value(l, m), abs_test);
  return k < cap ? k : cap - 1;
}

/* Appends v to the list d[key] (made when missing). */
static bool append_value(sf_dict *d, const char *key, double v) {
  sf_val *lst = sf_dict_get_str(d, key), nl, f = sf_float(v);
  if (!lst) {
    if (!sf_list_new(O_LIST, 0, &nl)) return false;
    bool ok = sf_dict_set_str(d, key, &nl);
    sf_val_drop(&nl);
    if (!ok || !(lst = sf_dict_get_str(d, key))) return false;
  }
  return sf_list_append(SF_LIST(lst), &f);
}

/* History.on_epoch_end: epoch, then every log value under its name (keras/callbacks.py). */
static sf_status record_epoch(sf_interp *I, sf_klog *l, const sf_klog *val) {
  if (!l->history) return SF_OK;
  sf_dict *h = SF_DICT(sf_dict_get_str(l->history->attrs, "history"));
  sf_val ep = sf_int(l->epoch);
  bool ok = sf_list_append(SF_LIST(sf_dict_get_str(l->history->attrs, "epoch")), &ep) && append_value(h, "loss", loss_value(I, l));
  for (int m = 0; ok && m < l->k->nmetrics; m++) ok = append_value(h, l->k->names[m], metric_value(l, m));
  if (ok && val) {
    char name[64];
    ok = append_value(h, "val_loss", loss_value(I, val));
    for (int m = 0; ok && m < l->k->nmetrics; m++) {
      snprintf(name, sizeof name, "val_%s", l->k->names[m]);
      ok = append_value(h, name, metric_value(val, m));
    }
  }
  return ok ? SF_OK : sf_py_oom(I);
}

sf_status sf_klog_history(sf_interp *I, sf_klog *l, sf_val *out) {
  sf_module *m = sf_obj_alloc(O_MODULE, sizeof *m);
  sf_val d, e;
  if (!m || !(m->attrs = sf_dict_alloc(O_DICT))) return free(m), sf_py_oom(I);
  m->name = "History";
  *out = sf_obj_val(m);
  bool ok = sf_dict_new(O_DICT, &d) && sf_dict_set_str(m->attrs, "history", &d);
  sf_val_drop(&d);
  ok = ok && sf_list_new(O_LIST, 0, &e) && sf_dict_set_str(m->attrs, "epoch", &e);
  sf_val_drop(&e);
  if (!ok) return sf_val_drop(out), sf_py_oom(I);
  l->history = m;
  out->o->rc--; /* borrowed: sf_py_from_api takes the caller's reference */
  return SF_OK;
}

/* The time part of a finished Progbar line ("[===] - 0s 12ms/step"), into buf. */
static size_t bar_text(const sf_interp *I, const sf_klog *l, char *buf, size_t cap) {
  bool tf1 = I->opt.profile == SF_PROFILE_TF1;
  uint64_t now = uv_hrtime();
  int64_t target = tf1 ? l->n : l->steps, digits = 1;
  for (int64_t t = target; t >= 10; t /= 10) digits++;
  double elapsed = (double)(now - l->t0) / 1e9, per;
  /* _estimate_step_duration: after the first step when there are several (TF 2.x) */
  if (!tf1 && l->steps > 1 && l->t1) per = (double)(now - l->t1) / 1e9 / (double)(l->steps - 1);
  else per = elapsed / (double)(target ? target : 1);
  const char *unit = tf1 ? "sample" : "step";
  size_t k;
  if (l->verbose != 1)
    return (size_t)snprintf(buf, cap, "%*lld/%lld - %.0fs", (int)digits, (long long)target, (long long)target, elapsed);
  k = (size_t)snprintf(buf, cap, "%*lld/%lld [==============================] - %.0fs", (int)digits, (long long)target,
                       (long long)target, elapsed);
  if (per >= 1 || per == 0) k += (size_t)snprintf(buf + k, cap - k, " %.0fs/%s", per, unit);
  else if (per >= 1e-3) k += (size_t)snprintf(buf + k, cap - k, " %.0fms/%s", per * 1e3, unit);
  else k += (size_t)snprintf(buf + k, cap - k, " %.0fus/%s", per * 1e6, unit);
  return k;
}

sf_status sf_klog_evaluate(sf_interp *I, sf_klog *l, sf_val *out) {
  if (l->verbose) {
    char buf[1024];
    size_t k = bar_text(I, l, buf, sizeof buf);
    values_text(I, l, "", l->verbose == 1, buf + k, sizeof buf - k);
    sf_status st = emit(I, l, buf);
    if (st != SF_OK) return st;
  }
  if (!l->k->nmetrics) return *out = sf_float(loss_value(I, l)), SF_OK;
  sf_val lst;
  if (!sf_list_new(O_LIST, 0, &lst)) return sf_py_oom(I);
  sf_val f = sf_float(loss_value(I, l));
  bool ok = sf_list_append(SF_LIST(&lst), &f);
  for (int m = 0; ok && m < l->k->nmetrics; m++) f = sf_float(metric_value(l, m)), ok = sf_list_append(SF_LIST(&lst), &f);
  if (!ok) return sf_val_drop(&lst), sf_py_oom(I);
  *out = lst;
  out->o->rc--; /* borrowed */
  return SF_OK;
}

sf_status sf_klog_predict(sf_interp *I, sf_klog *l) {
  if (!l->verbose) return SF_OK;
  char buf[256];
  bar_text(I, l, buf, sizeof buf);
  return emit(I, l, buf);
}

sf_status sf_klog_epoch_end(sf_interp *I, sf_klog *l, const sf_klog *val) {
  sf_status st = record_epoch(I, l, val);
  return st == SF_OK ? sf_klog_epoch_line(I, l, val) : st;
}

sf_status sf_klog_epoch_record(sf_interp *I, sf_klog *l, const sf_klog *val) { return record_epoch(I, l, val); }

sf_status sf_klog_epoch_line(sf_interp *I, sf_klog *l, const sf_klog *val) {
  if (!l->verbose) return SF_OK;
  char buf[1024];
  size_t k = bar_text(I, l, buf, sizeof buf);
  k += values_text(I, l, "", l->verbose == 1, buf + k, sizeof buf - k);
  if (val) values_text(I, val, "val_", l->verbose == 1, buf + k, sizeof buf - k);
  return emit(I, l, buf);
}
