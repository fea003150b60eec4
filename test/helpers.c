/* helpers.c — shared test helpers; see helpers.h. */
#include "helpers.h"

#include "engine/bigmem.h"

#include <string.h>

sf_trace *th_run_text(const char *text, const sf_run_options *o, sf_error *err) {
  sf_program *p = sf_program_parse("<test>", text, err);
  if (!p) return NULL;
  sf_trace *t = NULL;
  sf_run_options with_imports = *o; /* the suites' snippets use tf and np without importing them */
  with_imports.implicit_imports = true;
  sf_status st = sf_run(p, &with_imports, &t, err);
  sf_program_free(p);
  if (st == SF_OK) return t;
  sf_trace_free(t);
  return NULL;
}

sf_status th_plan(sf_runtime *rt, sf_pass_planner *p, sf_error *err) {
  sf_status st = sf_pass_planner_init(p, rt->opt, rt->deterministic, err);
  rt->planner = st == SF_OK ? &p->base : NULL;
  return st;
}

int th_shape_const(sf_graph *g, int64_t n) {
  sf_tensor *t = sf_tensor_new(SF_INT32, &(sf_shape){1, {1}}, NULL);
  if (!t) return 0;
  sf_tensor_set(t, 0, (double)n);
  sf_node *c = NULL;
  sf_status st = sf_graph_add_const(g, "shape", t, &c, NULL);
  sf_tensor_unref(t);
  return st == SF_OK ? c->id : 0;
}

int th_add_op(sf_graph *g, const char *type, const int *in, int nin, const char *attr, int64_t v, sf_error *err) {
  const sf_op_def *d = sf_op_lookup(type);
  sf_attr_value a[8];
  if (!d || d->nattrs > 8) return 0;
  for (int i = 0; i < d->nattrs; i++) a[i] = d->attrs[i].dflt;
  if (attr) a[sf_attr_index(d, attr)].i = v, a[sf_attr_index(d, attr)].b = v != 0;
  if (attr && strcmp(attr, "seed") == 0) a[sf_attr_index(d, "seed2")].i = v + 1;
  sf_node *n;
  return sf_graph_add(g, type, NULL, in, nin, a, &n, err) == SF_OK ? n->id : 0;
}

static sf_graph *gb_graph(void *ctx) { return ctx; }
static sf_status gb_op(void *ctx, const char *op, const char *name, const int *in, int nin, const sf_attr_value *attrs,
                       int *out) {
  sf_node *n;
  sf_status st = sf_graph_add(ctx, op, name, in, nin, attrs, &n, NULL);
  if (st == SF_OK) *out = n->id;
  return st;
}
static sf_status gb_const(void *ctx, sf_tensor *t, int *out) {
  sf_node *n;
  sf_status st = sf_graph_add_const(ctx, NULL, t, &n, NULL);
  if (st == SF_OK) *out = n->id;
  return st;
}

sf_builder th_graph_builder(sf_graph *g, sf_error *err) {
  return (sf_builder){.ctx = g, .graph = gb_graph, .op = gb_op, .constant = gb_const, .err = err};
}

sf_graph *th_wide(int width, bool generator, int *fetch) {
  sf_graph *g = sf_graph_new(false);
  int shape = g ? th_shape_const(g, 64) : 0;
  for (int i = 0; shape && i < width; i++) {
    int r = generator ? th_add_op(g, "StatefulStandardNormalV2", &shape, 1, "generator", 0, NULL)
                      : th_add_op(g, "RandomStandardNormal", &shape, 1, "seed", 100 + i, NULL);
    fetch[i] = r ? th_add_op(g, "Neg", &r, 1, NULL, 0, NULL) : 0;
  }
  return g;
}

char *th_prints_and_free(sf_trace *t) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (f) { /* the program's prints; Keras's log lines (timed) are not among them */
    for (int i = 0; i < sf_trace_print_count(t); i++) fprintf(f, "%s\n", sf_trace_print_at(t, i)->text);
    fclose(f);
  }
  sf_trace_free(t);
  return buf;
}

/* The runner keeps freed heap between runs as the CLI does (engine/bigmem.c): without it a
 * test that loops over 256 KB tensors spent most of its time faulting pages in. Tests run
 * in children forked from the runner, which inherit the setting. */
__attribute__((constructor)) static void keep_heap_as_the_cli(void) { sf_malloc_keep_heap(); }
