/* dump.c — the IR as stable, diff-able text (--print-after) and as Graphviz DOT (--dot):
 * node-id order, every attribute, the schedule; DOT quotes every ID and label
 * (conventions §3.3) and highlights random ops with their seed pair. */
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

static void seed_text(const sf_node *n, char *buf, size_t len) {
  const sf_attr_value *g = sf_node_attr(n, "generator");
  int idx[2];
  if (sf_op_seed_attrs(n->op, idx)) snprintf(buf, len, "seed (%" PRId64 ", %" PRId64 ")", n->attrs[idx[0]].i, n->attrs[idx[1]].i);
  else if (g) snprintf(buf, len, "generator %" PRId64, g->i);
  else if (n->op->flags & SF_OPF_SHARED_STREAM) snprintf(buf, len, "numpy stream");
  else snprintf(buf, len, "stateless (seed input)");
}

/* label = op \n id, schedule position [\n seed pair]; the node name is the tooltip. */
static void dot_node(FILE *f, const sf_node *n, int pos) {
  bool random = n->op->flags & SF_OPF_RANDOM;
  fprintf(f, "  \"n%d\" [label=\"", n->id);
  dot_esc(f, n->op->name);
  if (pos >= 0) fprintf(f, "\\nid %d, pos %d", n->id, pos);
  else fprintf(f, "\\nid %d", n->id);
  if (random) {
    char seed[96];
    seed_text(n, seed, sizeof seed);
    fprintf(f, "\\n%s", seed);
  }
  fputs("\", tooltip=\"", f);
  dot_esc(f, n->name);
  fputc('"', f);
  if (random) fputs(", style=\"filled\", fillcolor=\"#ffe8cc\", color=\"#d9480f\", penwidth=\"2\"", f);
  fputs("];\n", f);
}

static void dot_edges(FILE *f, const sf_node *n) {
  for (int k = 0; k < n->ninputs; k++) fprintf(f, "  \"n%d\" -> \"n%d\";\n", n->inputs[k], n->id);
  for (int k = 0; k < n->nctrl; k++) fprintf(f, "  \"n%d\" -> \"n%d\" [style=\"dashed\"];\n", n->ctrl[k], n->id);
}

void sf_ir_write_dot(const sf_ir *ir, FILE *f, const char *after) {
  int *pos = malloc(((size_t)ir->n + 1) * sizeof *pos);
  for (int i = 0; pos && i <= ir->n; i++) pos[i] = -1;
  for (int i = 0; pos && i < ir->norder; i++) pos[ir->order[i]] = i;
  fprintf(f, "digraph \"%s%d_run%d\" {\n", kind_of(ir), ir->graph_index, ir->run);
  fprintf(f, "  graph [label=\"%s %d, run %d, after ", kind_of(ir), ir->graph_index, ir->run);
  dot_esc(f, after);
  fputs("\", labelloc=\"t\", fontname=\"Helvetica\"];\n", f);
  fputs("  node [shape=\"box\", fontname=\"Helvetica\"];\n", f);
  for (int i = 0; i < ir->n; i++)
    if (ir->nodes[i]) dot_node(f, ir->nodes[i], pos ? pos[i + 1] : -1);
  for (int i = 0; i < ir->n; i++)
    if (ir->nodes[i]) dot_edges(f, ir->nodes[i]);
  fputs("}\n", f);
  free(pos);
}
