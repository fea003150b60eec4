/* gradients.c — reverse-mode differentiation over the IR (gradients_util.py): walk the
 * nodes between y and the wrt nodes from last to first, call each op's gradient rule and
 * sum the contributions; an op flagged SF_OPF_NO_GRADIENT stops the flow (None), an op
 * with no rule is an error naming it. The builder decides whether the new nodes join a graph
 * (tf.gradients) or run at once on the eager graph, which is the tape (GradientTape). */
#include "graph.h"

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
  return sf_gradients_span(b, 0, y, wrt, n, out);
}

sf_status sf_gradients_span(const sf_builder *b, int first, int y, const int *wrt, int n, int *out) {
  sf_graph *g = b->graph(b->ctx);
  int last = g->n; /* nodes the backward pass adds come after this and are not walked */
  const sf_node *yn = sf_graph_node(g, y);
  if (!yn) return sf_error_set(b->err, SF_EGRAPH, "gradients: y refers to missing node %d", y);
  if (!sf_dtype_is_float(yn->dtype) || !yn->shape_known)
    return sf_error_set(b->err, SF_ETYPE, "gradients: '%s' must be a float tensor of known shape", yn->name);
  bool *below = calloc((size_t)last + 1, 1), *above = calloc((size_t)last + 1, 1);
  int *grad = calloc((size_t)last + 1, sizeof *grad);
  sf_status st = below && above && grad ? SF_OK : sf_error_set(b->err, SF_ENOMEM, "out of memory");
  /* above[id]: id depends on some wrt node; ids are a topological order. */
  for (int i = 0; st == SF_OK && i < n; i++)
    if (wrt[i] >= 1 && wrt[i] <= last) above[wrt[i]] = true;
  for (int id = first + 1; st == SF_OK && id <= last; id++) {
    const sf_node *v = g->nodes[id - 1];
    for (int k = 0; k < v->ninputs && !above[id]; k++) above[id] = above[v->inputs[k]];
  }
  /* below[id]: y depends on id. */
  if (st == SF_OK) below[y] = true;
  for (int id = y; st == SF_OK && id >= 1; id--)
    if (below[id])
      for (int k = 0; k < g->nodes[id - 1]->ninputs; k++) below[g->nodes[id - 1]->inputs[k]] = true;
  if (st == SF_OK) st = ones_like(b, yn, &grad[y]);
  for (int id = y; st == SF_OK && id >= 1; id--) {
    const sf_node *v = sf_graph_node(g, id);
    if (!grad[id] || !above[id] || v->ninputs == 0 || (v->op->flags & SF_OPF_NO_GRADIENT)) continue;
    /* A released input (an eager value nothing held, exec.h) is no source and on no path
     * to one: its dx would be dropped, and the rule could not use its value. */
    bool released = false;
    for (int k = 0; k < v->ninputs; k++) released |= sf_graph_node_released(g, v->inputs[k]);
    if (released) continue;
    /* gradients_util.py _GradientsHelper: an op with an incoming gradient and no
     * registered function raises instead of being skipped. (GradientTape's eager lookup
     * raises a LookupError too, from registry.py, whose text lists the whole registry.) */
    if (!v->op->grad) {
      st = sf_error_at(b->err, v->line, 0, SF_ENAME, SF_NO_GRADIENT_TEXT " '%s' (op type: %s)", v->name, v->op->name);
      break;
    }
    int dx[16] = {0};
    if (v->ninputs > 16) { st = sf_error_set(b->err, SF_EGRAPH, "gradients: '%s' has too many inputs", v->name); break; }
    st = v->op->grad(b, v, grad[id], dx);
    for (int k = 0; st == SF_OK && k < v->ninputs; k++) {
      int in = v->inputs[k];
      if (dx[k] && above[in] && below[in]) st = accumulate(b, &grad[in], dx[k]);
    }
  }
  for (int i = 0; st == SF_OK && i < n; i++) out[i] = wrt[i] >= 1 && wrt[i] <= last ? grad[wrt[i]] : 0;
  free(below);
  free(above);
  free(grad);
  return st;
}
