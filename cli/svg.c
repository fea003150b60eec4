/* svg.c — DOT clusters (passes/dump.c's output) read back and drawn as SVG with a layered
 * layout of our own: no libgvc at run time or build time (svg.h). */
#include <stdlib.h>
#include <string.h>

#include "svg.h"

enum { CHAR_W_X2 = 15 /* twice a 12px monospace glyph's width */, LINE_H = 15, PAD = 8, GAP_X = 18, GAP_Y = 44, MARGIN = 10 };

void svg_escape(FILE *f, const char *s) {
  for (; *s; s++) {
    switch (*s) {
      case '&': fputs("&amp;", f); break;
      case '<': fputs("&lt;", f); break;
      case '>': fputs("&gt;", f); break;
      case '"': fputs("&quot;", f); break;
      default: fputc((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t' ? '?' : *s, f); /* not in XML 1.0 */
    }
  }
}

/* ---- reading DOT back ---- */

/* The quoted string at s (after its opening '"') unescaped, with "\n" as a newline;
 * *end points after the closing quote. NULL when out of memory. */
static char *unquote(const char *s, const char **end) {
  char *out = malloc(strlen(s) + 1), *o = out;
  if (!out) return NULL;
  for (; *s && *s != '"'; s++) {
    if (*s == '\\' && s[1]) {
      s++;
      *o++ = *s == 'n' ? '\n' : *s;
    } else {
      *o++ = *s;
    }
  }
  *o = '\0';
  *end = *s ? s + 1 : s;
  return out;
}

static int find_node(const svg_graph *g, const char *id) {
  for (int i = g->nnodes - 1; i >= 0; i--)
    if (strcmp(g->nodes[i].id, id) == 0) return i;
  return -1;
}

bool svg_add_node(svg_graph *g, const char *id, const char *label, bool random) {
  svg_node *nodes = realloc(g->nodes, ((size_t)g->nnodes + 1) * sizeof *nodes);
  if (!nodes) return false;
  g->nodes = nodes;
  svg_node *n = &nodes[g->nnodes];
  memset(n, 0, sizeof *n);
  n->id = strdup(id);
  n->label = strdup(label);
  n->random = random;
  if (!n->id || !n->label) {
    free(n->id), free(n->label);
    return false;
  }
  g->nnodes++;
  return true;
}

bool svg_add_edge(svg_graph *g, int from, int to, bool dashed) {
  svg_edge *edges = realloc(g->edges, ((size_t)g->nedges + 1) * sizeof *edges);
  if (!edges) return false;
  g->edges = edges;
  edges[g->nedges++] = (svg_edge){from, to, dashed};
  return true;
}

/* One line of a cluster: a node (kept unless removed) or an edge between kept nodes. */
static bool parse_line(svg_graph *g, const char *line) {
  const char *p = line;
  while (*p == ' ') p++;
  if (*p != '"') return true;
  const char *end;
  char *a = unquote(p + 1, &end);
  if (!a) return false;
  bool ok = true;
  if (strncmp(end, " [label=\"", 9) == 0) {
    char *label = unquote(end + 9, &end);
    if (!label) ok = false;
    else if (!strstr(end, "style=\"dashed\"")) ok = svg_add_node(g, a, label, strstr(end, "fillcolor=\"#ffe8cc\"") != NULL);
    free(label);
  } else if (strncmp(end, " -> \"", 5) == 0) {
    char *b = unquote(end + 5, &end);
    int from = find_node(g, a), to = b ? find_node(g, b) : -1;
    if (!b) ok = false;
    else if (from >= 0 && to >= 0) ok = svg_add_edge(g, from, to, strstr(end, "dashed") != NULL);
    free(b);
  }
  free(a);
  return ok;
}

int svg_parse_dot(const char *text, svg_graph **graphs) {
  int n = 0;
  *graphs = NULL;
  svg_graph *g = NULL;
  for (const char *line = text; *line;) {
    const char *nl = strchr(line, '\n');
    size_t len = nl ? (size_t)(nl - line) : strlen(line);
    char *copy = strndup(line, len);
    bool ok = copy != NULL;
    if (ok && strncmp(copy, "  subgraph \"cluster_", 20) == 0) {
      svg_graph *more = realloc(*graphs, ((size_t)n + 1) * sizeof *more);
      ok = more != NULL;
      if (ok) *graphs = more, g = &more[n++], memset(g, 0, sizeof *g);
    } else if (ok && g && strncmp(copy, "    graph [label=\"", 18) == 0) {
      const char *end;
      free(g->title);
      g->title = unquote(copy + 18, &end);
      ok = g->title != NULL;
    } else if (ok && g && strncmp(copy, "  }", 3) == 0) {
      g = NULL;
    } else if (ok && g) {
      ok = parse_line(g, copy);
    }
    free(copy);
    if (!ok) {
      svg_graphs_free(*graphs, n);
      *graphs = NULL;
      return -1;
    }
    line += len + (nl != NULL);
  }
  return n;
}

void svg_graphs_free(svg_graph *graphs, int n) {
  for (int i = 0; graphs && i < n; i++) {
    for (int k = 0; k < graphs[i].nnodes; k++) free(graphs[i].nodes[k].id), free(graphs[i].nodes[k].label);
    free(graphs[i].nodes);
    free(graphs[i].edges);
    free(graphs[i].title);
  }
  free(graphs);
}

/* ---- layout ---- */

static void measure(svg_node *n) {
  int lines = 1, widest = 0, cur = 0;
  for (const char *s = n->label; *s; s++) {
    if (*s == '\n') lines++, cur = 0;
    else if (((unsigned char)*s & 0xC0) != 0x80 && ++cur > widest) widest = cur;
  }
  n->w = widest * CHAR_W_X2 / 2 + 2 * PAD;
  n->h = lines * LINE_H + PAD;
}

/* Longest path from a source: edges only ever point down a layer or more. */
static int assign_layers(svg_graph *g) {
  for (int i = 0; i < g->nnodes; i++) g->nodes[i].layer = 0;
  bool changed = true;
  for (int round = 0; changed && round <= g->nnodes; round++) {
    changed = false;
    for (int e = 0; e < g->nedges; e++) {
      svg_node *a = &g->nodes[g->edges[e].from], *b = &g->nodes[g->edges[e].to];
      if (b->layer < a->layer + 1 && a != b) b->layer = a->layer + 1, changed = true;
    }
  }
  int layers = 0;
  for (int i = 0; i < g->nnodes; i++)
    if (g->nodes[i].layer + 1 > layers) layers = g->nodes[i].layer + 1;
  return layers;
}

/* Mean x centre of n's inputs, or its own x when it has none. */
static double barycentre(const svg_graph *g, int n) {
  double sum = 0;
  int k = 0;
  for (int e = 0; e < g->nedges; e++)
    if (g->edges[e].to == n) sum += g->nodes[g->edges[e].from].x + g->nodes[g->edges[e].from].w / 2.0, k++;
  return k ? sum / k : g->nodes[n].x;
}

static void place_layer(svg_graph *g, int layer, int y, int *order, int *rowh) {
  int m = 0;
  for (int i = 0; i < g->nnodes; i++)
    if (g->nodes[i].layer == layer) order[m++] = i;
  double *key = malloc((size_t)(m ? m : 1) * sizeof *key);
  for (int i = 0; key && i < m; i++) key[i] = layer ? barycentre(g, order[i]) : i;
  for (int i = 1; key && i < m; i++) /* insertion sort by barycentre, stable */
    for (int j = i; j > 0 && key[j - 1] > key[j]; j--) {
      double t = key[j]; key[j] = key[j - 1]; key[j - 1] = t;
      int o = order[j]; order[j] = order[j - 1]; order[j - 1] = o;
    }
  free(key);
  int x = MARGIN, h = 0;
  for (int i = 0; i < m; i++) {
    svg_node *n = &g->nodes[order[i]];
    n->x = x, n->y = y;
    x += n->w + GAP_X;
    if (n->h > h) h = n->h;
  }
  if (x - GAP_X + MARGIN > g->width) g->width = x - GAP_X + MARGIN;
  *rowh = h;
}

static void layout(svg_graph *g) {
  for (int i = 0; i < g->nnodes; i++) measure(&g->nodes[i]);
  int layers = assign_layers(g), y = MARGIN;
  int *order = malloc((size_t)(g->nnodes ? g->nnodes : 1) * sizeof *order);
  g->width = 2 * MARGIN;
  for (int l = 0; order && l < layers; l++) {
    int h;
    place_layer(g, l, y, order, &h);
    y += h + GAP_Y;
  }
  free(order);
  g->height = layers ? y - GAP_Y + MARGIN : 2 * MARGIN;
}

/* ---- drawing ---- */

static void write_label(FILE *f, const svg_node *n) {
  int line = 0;
  const char *s = n->label;
  while (*s) {
    const char *nl = strchr(s, '\n');
    size_t len = nl ? (size_t)(nl - s) : strlen(s);
    char *text = strndup(s, len);
    fprintf(f, "<text x=\"%d\" y=\"%d\"%s>", n->x + PAD, n->y + PAD / 2 + LINE_H * (line + 1) - 3,
            line == 0 ? " class=\"op\"" : "");
    if (text) svg_escape(f, text);
    fputs("</text>", f);
    free(text);
    line++;
    s += len + (nl != NULL);
  }
}

void svg_write(FILE *f, svg_graph *g) {
  layout(g);
  fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">",
          g->width, g->height, g->width, g->height);
  fputs("<title>", f);
  svg_escape(f, g->title ? g->title : "graph");
  fputs("</title>\n", f);
  for (int e = 0; e < g->nedges; e++) {
    const svg_node *a = &g->nodes[g->edges[e].from], *b = &g->nodes[g->edges[e].to];
    fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"edge%s\" marker-end=\"url(#arrow)\"/>\n",
            a->x + a->w / 2, a->y + a->h, b->x + b->w / 2, b->y, g->edges[e].dashed ? " ctrl" : "");
  }
  for (int i = 0; i < g->nnodes; i++) {
    const svg_node *n = &g->nodes[i];
    fprintf(f, "<g class=\"node%s\"><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"4\"/>", n->random ? " random" : "",
            n->x, n->y, n->w, n->h);
    write_label(f, n);
    fputs("</g>\n", f);
  }
  fputs("</svg>\n", f);
}
