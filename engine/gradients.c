/* gradients.c — reverse-mode differentiation over the IR (gradients_util.py): walk the
 * nodes between y and the wrt nodes from last to first, call each op's gradient rule and
 * sum the contributions; an op flagged SF_OPF_NO_GRADIENT stops the flow (None), an op
 * with no rule is an error naming it. The builder decides whether the new nodes join a graph
 * (tf.gradients) or run at once on the eager graph, which is the tape (GradientTape). */
#include "graph.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

static sf_status accumulate(const sf_builder *b, int *slot, int dx) {
  if (!*slot) return *slot = dx, SF_OK;
  int sum;
  sf_status st = b->op(b->ctx, "AddV2", NULL, (int[]){*slot, dx}, 2, NULL, &sum);
  if (st == SF_OK) *slot = sum;
  return st;
}

/* dy for y itself: ones of y's shape and dtype. */
static sf_status ones_like(const sf_builder *b, const sf_node *y, int *out) {
  sf_tensor *t = sf_tensor_new(y->dtype, &y->shape, b->err);
  if (!t) return b->err->code;
  for (int64_t i = 0; i < t->n; i++) sf_tensor_set(t, i, 1.0);
  sf_status st = b->constant(b->ctx, t, out);
  sf_tensor_unref(t);
  return st;
}

sf_status sf_gradients(const sf_builder *b, int y, const int *wrt, int n, int *out) {
  return sf_gradients_span(b, 0, y, wrt, NULL, n, NULL, 0, out);
}

/* The nodes a backward pass can reach: ids from base to last, densely, and the wrt nodes
 * older than base (a tape's sources from before its start) in a list of their own. An
 * eager program's graph is its whole history (the tape), so a step's pass must cost what
 * the step built, not what the program built before it: Keras's fit took its gradients
 * over every earlier step's nodes, quadratic in the steps. */
typedef struct span {
  int base;
  bool *above;              /* above[id - base]: id depends on some wrt node (a tape's: through ops
                             * it recorded) */
  int *grad;                /* grad[id - base]: the gradient node summed so far */
  const int *wrt;
  const int *at;            /* a tape's: at[i], the last node before wrt[i] was watched; NULL: none */
  int n;
  int *watch;               /* a tape's: watch[id - base], the smallest at[i] of the wrt[i] == id
                             * (INT_MAX: none), so that an op's inputs are looked up, not searched
                             * for among the sources (a persistent tape re-entered in a loop has
                             * a source for every step's read) */
  int *old, nold;           /* the indices i whose wrt[i] < base, the only ones searched */
  int *old_grad;            /* old_grad[i]: wrt[i]'s, when wrt[i] < base (first of equal ids) */
  int scratch;              /* the slot of an id below base that is no source */
} span;

static int old_index(const span *s, int id) {
  for (int k = 0; k < s->nold; k++)
    if (s->wrt[s->old[k]] == id) return s->old[k];
  return -1;
}

static bool is_above(const span *s, int id) { return id >= s->base ? s->above[id - s->base] : old_index(s, id) >= 0; }

/* Whether op `id` reads input e toward a source: e depends on one, or e is a source (for a
 * tape, one watched before op id ran: tensorflow/c/eager/tape.h GradientTape::ShouldRecord
 * records an op only if an input is watched as it runs, so `y = x * x; tape.watch(x)` gives
 * None). */
static bool reads_source(const span *s, int id, int e) {
  if (!s->at) return is_above(s, e);
  if (e >= s->base) return s->above[e - s->base] || s->watch[e - s->base] < id;
  for (int k = 0; k < s->nold; k++)
    if (s->wrt[s->old[k]] == e && s->at[s->old[k]] < id) return true;
  return false;
}

static int *grad_slot(span *s, int id) {
  if (id >= s->base) return &s->grad[id - s->base];
  int i = old_index(s, id);
  return i >= 0 ? &s->old_grad[i] : (s->scratch = 0, &s->scratch);
}

/* Node id's gradient rule with its incoming gradient, if it gets one. */
static sf_status backprop(const sf_builder *b, const sf_graph *g, span *s, int id) {
  const sf_node *v = sf_graph_node(g, id);
  int dy = *grad_slot(s, id);
  if (!dy || !s->above[id - s->base] || v->ninputs == 0 || (v->op->flags & SF_OPF_NO_GRADIENT)) return SF_OK;
  /* An op the pass reaches ran while the tape recorded, and a tape keeps every value its
   * ops read (sf_eager_suspend): a released input here is a releasing bug, and skipping
   * the op would give a wrong gradient (None) in silence. */
  for (int k = 0; k < v->ninputs; k++)
    if (sf_graph_node_released(g, v->inputs[k]))
      return sf_error_set(b->err, SF_EINTERNAL,
                          "gradients: '%s' (%s) needs input %d, whose eager value was released (a seedflow bug)",
                          v->name, v->op->name, k);
  /* gradients_util.py _GradientsHelper: an op with an incoming gradient and no
   * registered function raises instead of being skipped. (GradientTape's eager lookup
   * raises a LookupError too, from registry.py, whose text lists the whole registry.) */
  if (!v->op->grad) return sf_error_at(b->err, v->line, 0, SF_ENAME, SF_NO_GRADIENT_TEXT " '%s' (op type: %s)", v->name, v->op->name);
  int dx[16] = {0};
  if (v->ninputs > 16) return sf_error_set(b->err, SF_EGRAPH, "gradients: '%s' has too many inputs", v->name);
  sf_status st = v->op->grad(b, v, dy, dx);
  /* Every input of a node with a gradient is on a path to y: only whether it reads a
   * source (reads_source) decides. */
  for (int k = 0; st == SF_OK && k < v->ninputs; k++)
    if (dx[k] && reads_source(s, id, v->inputs[k])) st = accumulate(b, grad_slot(s, v->inputs[k]), dx[k]);
  return st;
}

sf_status sf_gradients_span(const sf_builder *b, int first, int y, const int *wrt, const int *at, int n, const bool *rec,
                            int rec_last, int *out) {
  sf_graph *g = b->graph(b->ctx);
  int last = g->n; /* nodes the backward pass adds come after this and are not walked */
  const sf_node *yn = sf_graph_node(g, y);
  if (!yn) return sf_error_set(b->err, SF_EGRAPH, "gradients: y refers to missing node %d", y);
  if (!sf_dtype_is_float(yn->dtype) || !yn->shape_known)
    return sf_error_set(b->err, SF_ETYPE, "gradients: '%s' must be a float tensor of known shape", yn->name);
  /* ids are a topological order: nothing older than the oldest wrt node depends on one */
  int oldest = last + 1;
  for (int i = 0; i < n; i++)
    if (wrt[i] >= 1 && wrt[i] <= last && wrt[i] < oldest) oldest = wrt[i];
  span s = {.base = oldest > first + 1 ? oldest : first + 1, .wrt = wrt, .at = at, .n = n};
  size_t len = (size_t)(last - s.base + 1);
  s.above = calloc(len + 1, 1);
  s.grad = calloc(len + 1, sizeof *s.grad);
  s.old_grad = calloc((size_t)n + 1, sizeof *s.old_grad);
  s.old = malloc(((size_t)n + 1) * sizeof *s.old);
  s.watch = at ? malloc((len + 1) * sizeof *s.watch) : NULL;
  sf_status st = s.above && s.grad && s.old_grad && s.old && (s.watch || !at) ? SF_OK : sf_error_set(b->err, SF_ENOMEM, "out of memory");
  for (size_t k = 0; st == SF_OK && at && k <= len; k++) s.watch[k] = INT_MAX;
  for (int i = 0; st == SF_OK && i < n; i++) {
    if (wrt[i] < s.base) s.old[s.nold++] = i;
    else if (at && wrt[i] <= last && at[i] < s.watch[wrt[i] - s.base]) s.watch[wrt[i] - s.base] = at[i];
  }
  /* tf.gradients: a wrt node's own rule runs too (tensorflow/python/ops/gradients_util.py
   * _GradientsHelper walks its op among the reached ones); a tape's
   * source runs its rule only if it came from ops the tape recorded */
  for (int i = 0; st == SF_OK && !at && i < n; i++)
    if (wrt[i] >= s.base && wrt[i] <= last) s.above[wrt[i] - s.base] = true;
  for (int id = s.base; st == SF_OK && id <= last; id++) {
    const sf_node *v = g->nodes[id - 1];
    if (rec && (id > rec_last || !rec[id - first])) continue; /* an op the tape did not record */
    for (int k = 0; k < v->ninputs && !s.above[id - s.base]; k++) s.above[id - s.base] = reads_source(&s, id, v->inputs[k]);
  }
  if (st == SF_OK) st = ones_like(b, yn, grad_slot(&s, y));
  for (int id = y; st == SF_OK && id >= s.base; id--) st = backprop(b, g, &s, id);
  for (int i = 0; st == SF_OK && i < n; i++) out[i] = wrt[i] >= 1 && wrt[i] <= last ? *grad_slot(&s, wrt[i]) : 0;
  free(s.above);
  free(s.grad);
  free(s.old_grad);
  free(s.old);
  free(s.watch);
  return st;
}
