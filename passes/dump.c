/* dump.c — the IR as stable, diff-able text (--print-after) and as Graphviz DOT (--dot):
 * node-id order, every attribute, the schedule; DOT quotes every ID and label
 * (conventions §3.3). Each dump is one cluster (the caller wraps them in one digraph):
 * random ops highlighted with their seed pair and its sources, source lines, schedule
 * slots, and the nodes a pass removed dashed. */
#include "passes.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *kind_of(const sf_ir *ir) { return ir->src->is_function ? "function" : "graph"; }

static void print_attr(FILE *f, const sf_attr_def *d, const sf_attr_value *v) {
  char buf[96];
  switch (d->type) {
    case SF_ATTR_FLOAT: fprintf(f, " %s=%.9g", d->name, v->f); break;
    case SF_ATTR_BOOL: fprintf(f, " %s=%s", d->name, v->b ? "true" : "false"); break;
    case SF_ATTR_STRING: fprintf(f, " %s=\"%s\"", d->name, v->s ? v->s : ""); break;
    case SF_ATTR_TYPE: fprintf(f, " %s=%s", d->name, sf_dtype_name(v->type)); break;
    case SF_ATTR_SHAPE: fprintf(f, " %s=%s", d->name, sf_shape_str(&v->shape, buf, sizeof buf)); break;
    default: fprintf(f, " %s=%" PRId64, d->name, v->i); break;
  }
}

static void print_value(FILE *f, const sf_tensor *t) {
  char buf[40];
  fputs(" value=[", f);
  for (int64_t i = 0; i < t->n && i < 4; i++) fprintf(f, "%s%s", i ? ", " : "", sf_tensor_format_lossless(t, i, buf, sizeof buf));
  fputs(t->n > 4 ? ", ...]" : "]", f);
}

static void print_node(FILE *f, const sf_node *n) {
  char shape[96];
  fprintf(f, "%%%d = %s(", n->id, n->op->name);
  for (int k = 0; k < n->ninputs; k++) fprintf(f, "%s%%%d", k ? ", " : "", n->inputs[k]);
  fputc(')', f);
  for (int k = 0; k < n->nctrl; k++) fprintf(f, " ^%%%d", n->ctrl[k]);
  fprintf(f, " name=\"%s\" dtype=%s shape=%s", n->name, sf_dtype_name(n->dtype),
          n->shape_known ? sf_shape_str(&n->shape, shape, sizeof shape) : "?");
  for (int i = 0; i < n->op->nattrs; i++) print_attr(f, &n->op->attrs[i], &n->attrs[i]);
  if (n->value) print_value(f, n->value);
  if (n->line) fprintf(f, " line=%d", n->line);
  fputc('\n', f);
}

static void print_ids(FILE *f, const char *what, const int *ids, int n) {
  fprintf(f, "; %s:", what);
  for (int i = 0; i < n; i++) fprintf(f, " %%%d", ids[i]);
  fputc('\n', f);
}

void sf_ir_print(const sf_ir *ir, FILE *f, const char *after) {
  fprintf(f, "; ir %s %d, run %d, after %s\n", kind_of(ir), ir->graph_index, ir->run, after);
  print_ids(f, "fetch", ir->fetch, ir->nfetch);
  print_ids(f, "targets", ir->targets, ir->ntargets);
  for (int i = 0; i < ir->n; i++)
    if (ir->nodes[i]) print_node(f, ir->nodes[i]);
  if (ir->order) print_ids(f, "schedule", ir->order, ir->norder);
  fputc('\n', f);
}

/* ---- DOT ---- */

/* Inside a DOT double-quoted string only '"' needs escaping; '\' is escaped too so that
 * names show as written (labels would read "\n" as a line break). */
static void dot_esc(FILE *f, const char *s) {
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') fputc('\\', f);
    fputc(*s == '\n' ? ' ' : *s, f);
  }
}

/* "seed 1234 (global), seed2 3 (node-id 3)": the pair and where each came from. */
static void seed_part(char *buf, size_t len, const char *name, const sf_attr_value *v) {
  const char *src = sf_seed_source_name(v->origin.kind);
  bool detail = v->origin.kind == SF_SEED_NODE_ID || v->origin.kind == SF_SEED_GRAPH_COUNTER ||
                v->origin.kind == SF_SEED_EAGER_STREAM;
  size_t n = strlen(buf);
  if (v->origin.kind == SF_SEED_NONE) snprintf(buf + n, len - n, "%s %" PRId64, name, v->i); /* built by hand */
  else if (detail) snprintf(buf + n, len - n, "%s %" PRId64 " (%s %" PRId64 ")", name, v->i, src, v->origin.detail);
  else snprintf(buf + n, len - n, "%s %" PRId64 " (%s)", name, v->i, src);
}

static void seed_text(const sf_node *n, char *buf, size_t len) {
  const sf_attr_value *g = sf_node_attr(n, "generator");
  int idx[2];
  buf[0] = '\0';
  if (sf_op_seed_attrs(n->op, idx)) {
    seed_part(buf, len, "seed", &n->attrs[idx[0]]);
    size_t k = strlen(buf);
    snprintf(buf + k, len - k, "\\n");
    seed_part(buf, len, "seed2", &n->attrs[idx[1]]);
  } else if (g) snprintf(buf, len, "generator %" PRId64, g->i);
  else if (n->op->flags & SF_OPF_SHARED_STREAM) snprintf(buf, len, "numpy stream");
  else snprintf(buf, len, "stateless (seed input)");
}

/* One cluster per dump: every node id is prefixed by the cluster's, unique in the file. */
typedef struct dot_ctx {
  FILE *f;
  char id[48];  /* "graph0_run1" */
} dot_ctx;

/* label = op \n id, schedule slot, source line [\n seed pair and sources]; the node name
 * is the tooltip. A node a pass removed (pruned) is dashed and grey. */
static void dot_node(const dot_ctx *d, const sf_node *n, int pos, bool removed) {
  FILE *f = d->f;
  bool random = n->op->flags & SF_OPF_RANDOM;
  fprintf(f, "    \"%s_n%d\" [label=\"", d->id, n->id);
  dot_esc(f, n->op->name);
  fprintf(f, "\\nid %d", n->id);
  if (pos >= 0) fprintf(f, ", slot %d", pos);
  if (n->line) fprintf(f, ", line %d", n->line);
  if (removed) fputs("\\n(removed by a pass)", f);
  if (random) {
    char seed[200];
    seed_text(n, seed, sizeof seed);
    fprintf(f, "\\n%s", seed);
  }
  fputs("\", tooltip=\"", f);
  dot_esc(f, n->name);
  fputc('"', f);
  if (removed) fputs(", style=\"dashed\", color=\"#868e96\", fontcolor=\"#868e96\"", f);
  else if (random) fputs(", style=\"filled\", fillcolor=\"#ffe8cc\", color=\"#d9480f\", penwidth=\"2\"", f);
  fputs("];\n", f);
}

/* The source graph's node id (NULL when a pass created it or it is out of range). */
static const sf_node *src_node(const sf_ir *ir, int id) {
  return id >= 1 && id <= ir->nsrc ? sf_graph_node(ir->src, id) : NULL;
}

static void dot_edges(const dot_ctx *d, const sf_node *n, const sf_ir *ir, bool removed) {
  for (int k = 0; k < n->ninputs + n->nctrl; k++) {
    int from = sf_ir_edge(n, k);
    if (removed && !sf_ir_node(ir, from) && !src_node(ir, from)) continue;
    bool dashed = removed || k >= n->ninputs;
    fprintf(d->f, "    \"%s_n%d\" -> \"%s_n%d\"%s;\n", d->id, from, d->id, n->id,
            removed ? " [style=\"dashed\", color=\"#868e96\"]" : dashed ? " [style=\"dashed\"]" : "");
  }
}

void sf_ir_write_dot(const sf_ir *ir, FILE *f, const char *after) {
  int *pos = malloc(((size_t)ir->n + 1) * sizeof *pos);
  for (int i = 0; pos && i <= ir->n; i++) pos[i] = -1;
  for (int i = 0; pos && i < ir->norder; i++) pos[ir->order[i]] = i;
  dot_ctx d = {.f = f};
  snprintf(d.id, sizeof d.id, "%s%d_run%d", kind_of(ir), ir->graph_index, ir->run);
  fprintf(f, "  subgraph \"cluster_%s\" {\n", d.id);
  fprintf(f, "    graph [label=\"%s, run %d, after ", ir->graph_index ? "traced function" : "graph", ir->run);
  dot_esc(f, after);
  fprintf(f, "\", labeljust=\"l\"];\n");
  for (int i = 0; i < ir->n; i++) {
    const sf_node *live = ir->nodes[i], *src = live ? NULL : src_node(ir, i + 1);
    if (live || src) dot_node(&d, live ? live : src, pos ? pos[i + 1] : -1, !live);
  }
  for (int i = 0; i < ir->n; i++) {
    const sf_node *live = ir->nodes[i], *src = live ? NULL : src_node(ir, i + 1);
    if (live || src) dot_edges(&d, live ? live : src, ir, !live);
  }
  fputs("  }\n", f);
  free(pos);
}
