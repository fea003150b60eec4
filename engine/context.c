/* context.c — the context stack and the one path by which ops are built; see context.h. */
#include "context.h"

#include <stdio.h>
#include <stdlib.h>

static sf_status push(sf_context *c, sf_ctx_kind kind, sf_graph *g, sf_error *err) {
  if (c->depth == c->cap) {
    int nc = c->cap ? c->cap * 2 : 8;
    sf_ctx_frame *nf = realloc(c->frames, (size_t)nc * sizeof *nf);
    if (!nf) return sf_error_set(err, SF_ENOMEM, "out of memory");
    c->frames = nf;
    c->cap = nc;
  }
  c->frames[c->depth++] = (sf_ctx_frame){.kind = kind, .graph = g};
  c->graph = g;
  c->eager = kind == SF_CTX_EAGER;
  return SF_OK;
}

sf_status sf_context_init(sf_context *c, sf_eager *E, sf_runtime *rt, sf_trace *tr, sf_error *err) {
  *c = (sf_context){.E = E, .rt = rt, .tr = tr};
  return push(c, SF_CTX_EAGER, E->g, err);
}

void sf_context_free(sf_context *c) {
  free(c->frames);
  *c = (sf_context){0};
}

sf_status sf_context_enter_eager(sf_context *c, sf_error *err) { return push(c, SF_CTX_EAGER, c->E->g, err); }

sf_status sf_context_enter_graph(sf_context *c, sf_graph *g, sf_error *err) {
  sf_eager_keep_tensors(c->E); /* a graph may capture eager tensors: release none but arrays from now on */
  return sf_context_enter_own_graph(c, g, err);
}

sf_status sf_context_enter_own_graph(sf_context *c, sf_graph *g, sf_error *err) {
  return push(c, g->is_function ? SF_CTX_FUNCTION : SF_CTX_GRAPH, g, err);
}

void sf_context_leave(sf_context *c) {
  if (c->depth <= 1) return;
  const sf_ctx_frame *top = &c->frames[--c->depth - 1];
  c->graph = top->graph;
  c->eager = top->kind == SF_CTX_EAGER;
}

int sf_context_new_graph_index(sf_context *c) { return ++c->graphs; }

static void set_seeds(sf_node *n, const sf_seed_pair *s) {
  int idx[2];
  if (!sf_op_seed_attrs(n->op, idx)) return;
  for (int k = 0; k < 2; k++) {
    n->attrs[idx[k]].i = s->seed[k];
    n->attrs[idx[k]].origin = s->origin[k];
  }
}

sf_status sf_context_add(sf_context *c, const sf_op_spec *o, sf_node **out, sf_error *err) {
  sf_ctx_frame *top = &c->frames[c->depth - 1];
  sf_node *n;
  char exact[520];
  if (o->exact_name) snprintf(exact, sizeof exact, "%s/", o->exact_name);
  sf_status st = sf_graph_add(c->graph, o->op, o->exact_name ? exact : o->name, o->in, o->nin, o->attrs, &n, err);
  if (st != SF_OK) return st;
  n->line = o->line;
  if (o->seeds) set_seeds(n, o->seeds);
  /* Automatic control dependencies (auto_control_deps.py): stateful ops in a traced
   * function run in program order. */
  if (c->graph->is_function && (n->op->flags & SF_OPF_STATEFUL)) {
    if (top->last_stateful && (st = sf_graph_add_ctrl(c->graph, n, top->last_stateful, err)) != SF_OK) return st;
    top->last_stateful = n->id;
  }
  if (c->eager && (st = sf_eager_run(c->E, c->rt, n, c->tr, err)) != SF_OK) return st;
  if (out) *out = n;
  return SF_OK;
}

sf_status sf_context_add_const(sf_context *c, sf_tensor *t, const char *name, int line, sf_node **out, sf_error *err) {
  sf_node *n;
  sf_status st = sf_graph_add_const(c->graph, name, t, &n, err);
  if (st != SF_OK) return st;
  n->line = line;
  if (c->eager && (st = sf_eager_run(c->E, c->rt, n, NULL, err)) != SF_OK) return st;
  if (out) *out = n;
  return SF_OK;
}
