/* svg.h — a run's graphs as inline SVG for `seedflow report`, without Graphviz: the DOT
 * that `run --dot` writes (passes/dump.c: one cluster per planned graph) is read back
 * and each cluster drawn with a simple layered layout (longest-path layers, one
 * barycentre sweep, straight edges). Nodes a pass removed are left out. */
#ifndef SEEDFLOW_CLI_SVG_H
#define SEEDFLOW_CLI_SVG_H

#include <stdbool.h>
#include <stdio.h>

typedef struct svg_node {
  char *id, *label;     /* label lines separated by '\n' */
  bool random;
  int layer, x, y, w, h;
} svg_node;

typedef struct svg_edge {
  int from, to;         /* indexes into nodes */
  bool dashed;          /* a control edge */
} svg_edge;

typedef struct svg_graph {
  char *title;
  svg_node *nodes;
  svg_edge *edges;
  int nnodes, nedges, width, height;
} svg_graph;

/* Reads the clusters of DOT text (as passes/dump.c writes them) into *graphs; returns
 * how many, or -1 when out of memory. Free with svg_graphs_free. */
int svg_parse_dot(const char *text, svg_graph **graphs);
/* Adds a node (label copied) / an edge to g, for graphs built by hand; false when out of memory. */
bool svg_add_node(svg_graph *g, const char *id, const char *label, bool random);
bool svg_add_edge(svg_graph *g, int from, int to, bool dashed);
void svg_graphs_free(svg_graph *graphs, int n);
/* Lays g out and writes it as one <svg> element (HTML-escaped text, no scripts). */
void svg_write(FILE *f, svg_graph *g);
/* Writes s with &, <, >, " escaped for XML text or a double-quoted attribute (HTML, SVG,
 * JUnit XML); control characters XML 1.0 cannot hold (below 0x20 but tab, newline) as ?. */
void svg_escape(FILE *f, const char *s);

#endif
