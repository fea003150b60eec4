/* report.c — `seedflow report FILE -o report.html`: one self-contained HTML page for a
 * class or a bug report: the first divergence and its cause, every random op and print
 * side by side per mode with what differs marked, the explanation of each difference,
 * and each mode's graphs as inline SVG (svg.c's own layout). No scripts, no network. */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "svg.h"

enum { MAX_VALUES = 12, MAX_GRAPHS = 4 };

static const char report_help[] =
    "Usage: seedflow report FILE -o REPORT.html [OPTION]...\n"
    "Run FILE (or '-', standard input) in several modes and write one self-contained\n"
    "HTML page: the first divergence and its cause, every random op and every print\n"
    "side by side with what differs marked, why each difference happens, and each\n"
    "mode's graphs as inline SVG with random ops labelled by seed pair and schedule\n"
    "slot. The page loads nothing from the network and runs no script.\n"
    "\n"
    "  -o, --output=FILE        where to write the page ('-': standard output)\n"
    "      --modes=LIST         modes, MODE[:PROFILE] comma separated (default\n"
    "                           graph:tf1,eager:tf2,function:tf2)\n"
    "  -p, --profile=PROFILE    tf1 or tf2 for modes without ':PROFILE'; with it the\n"
    "                           default modes are graph,eager,function\n"
    "      --tf=VERSION         the same, by TensorFlow version: 1.x, 2.0-2.9, 2.10-2.15\n"
    "                           (tf2.10), 2.16+ (keras3)\n"
    "      --keras=VERSION      the same, by Keras version: 2.10-2.15, 3.0-3.15\n"
    CLI_LIMIT_HELP
    "  -h, --help               show this help and exit\n"
    "\n"
    "A mode in which the program stops on an error is named with it on the page, and the\n"
    "others are compared. The file is written atomically (temp file + rename).\n"
    "Exit status: 0 success, 2 invalid input or usage, 3 internal failure.\n";

typedef struct page {
  FILE *f;
  const char *file;
  cli_run runs[CLI_MAX_RUNS];   /* the modes that ran (copies: cmd_report's runs own them) */
  int n;
  cli_run failed[CLI_MAX_RUNS]; /* the modes that stopped on the program's error */
  int nfailed;
  char *dot[CLI_MAX_RUNS];   /* each run's DOT text (run --dot's clusters) */
  int *idx[CLI_MAX_RUNS];    /* cli_random_ops of each run */
  cli_key *keys[CLI_MAX_RUNS];
  int nops[CLI_MAX_RUNS];
  int ndiff;                 /* differences explained so far */
  int op_diff_line;          /* the first source line of a random op that differs, 0: none */
} page;

static const char css[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0 auto;max-width:1240px;"
    "padding:16px;color:#1d1d1f;background:#fff}\n"
    "h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ddd}\n"
    "code,.v,td.seeds{font-family:ui-monospace,'DejaVu Sans Mono',Menlo,monospace;font-size:13px}\n"
    ".cause{background:#fff4e0;border-left:4px solid #d9480f;padding:8px 12px;margin:12px 0}\n"
    ".scroll{overflow-x:auto}\n"
    "table{border-collapse:collapse;width:100%}th,td{border:1px solid #ddd;padding:6px 8px;vertical-align:top;"
    "text-align:left}\nth{background:#f5f5f7}\n"
    ".v{display:inline-block;min-width:9.5em;text-align:right;margin-right:.4em}\n"
    "code.text{white-space:pre-wrap}\n"
    "mark{background:#ffd8a8;color:#000}\n.same{color:#2b8a3e}.differs{color:#c92a2a;font-weight:600}\n"
    "figure{margin:12px 0}figcaption{font-size:13px;color:#555;margin-bottom:4px}\n"
    "svg .node rect{fill:#fff;stroke:#495057}svg .node.random rect{fill:#ffe8cc;stroke:#d9480f;stroke-width:2}\n"
    "svg text{font:12px ui-monospace,'DejaVu Sans Mono',Menlo,monospace;fill:#1d1d1f}svg text.op{font-weight:700}\n"
    "svg .edge{stroke:#868e96;stroke-width:1.2}svg .edge.ctrl{stroke-dasharray:4 3}\n"
    "@media (max-width:700px){body{padding:8px;font-size:14px}"
    "table,thead,tbody,tr,th,td{display:block;width:auto}thead{display:none}"
    "tr{border:1px solid #ccc;margin-bottom:10px}td{border:none;border-top:1px solid #eee}"
    "td[data-mode]::before{content:attr(data-mode);display:block;font-weight:600;color:#555}"
    ".v{min-width:0;display:inline}}\n";

static void esc(const page *pg, const char *s) { svg_escape(pg->f, s); }

/* ---- running ---- */

/* Runs every mode, each writing its graphs to its own DOT text. A mode that stops on the
 * program's own error is kept aside with it (the page names it), as compare does; then
 * pg->runs holds the modes that ran, pg->failed the others. */
static int run_all(page *pg, cli_run *runs, int n, sf_program **prog) {
  size_t len[CLI_MAX_RUNS];
  char *dot[CLI_MAX_RUNS] = {0};
  int rc = 0;
  for (int i = 0; i < n && !rc; i++)
    if (!(runs[i].dot_out = open_memstream(&dot[i], &len[i]))) rc = cli_internal_error("out of memory");
  if (!rc) rc = cli_run_each(pg->file, prog, runs, n, 0);
  pg->file = cli_file_label(pg->file);
  for (int i = 0; i < n; i++) {
    if (runs[i].dot_out) fclose(runs[i].dot_out);
    runs[i].dot_out = NULL;
    if (rc || runs[i].failure) {
      free(dot[i]);
      if (!rc) pg->failed[pg->nfailed++] = runs[i];
      continue;
    }
    pg->dot[pg->n] = dot[i];
    pg->runs[pg->n] = runs[i];
    pg->nops[pg->n] = cli_random_ops(runs[i].trace, &pg->idx[pg->n], &pg->keys[pg->n]);
    if (!pg->idx[pg->n++]) rc = cli_internal_error("out of memory");
  }
  return rc;
}

static const sf_trace_op *find_op(const page *pg, int r, const cli_key *key) {
  for (int i = 0; i < pg->nops[r]; i++)
    if (cli_key_cmp(&pg->keys[r][i], key) == 0) return sf_trace_op_at(pg->runs[r].trace, pg->idx[r][i]);
  return NULL;
}

/* ---- cells ---- */

static bool same_value(const sf_tensor *a, const sf_tensor *b, int64_t i) {
  char x[40], y[40];
  return a && b && i < b->n && strcmp(sf_tensor_format_lossless(a, i, x, sizeof x), sf_tensor_format_lossless(b, i, y, sizeof y)) == 0;
}

/* Values of t, the ones that differ from ref marked; true when any differs. */
static bool values_cell(const page *pg, const sf_tensor *t, const sf_tensor *ref, bool is_ref) {
  char buf[40];
  bool differs = !is_ref && (!t || !ref || t->n != ref->n);
  for (int64_t i = 0; t && i < t->n; i++) {
    bool d = !is_ref && !same_value(t, ref, i);
    differs |= d;
    if (i >= MAX_VALUES) continue;
    fprintf(pg->f, d ? "<mark class=\"v\">%s</mark> " : "<span class=\"v\">%s</span> ",
            sf_tensor_format_lossless(t, i, buf, sizeof buf));
  }
  if (t && t->n > MAX_VALUES) fprintf(pg->f, "… %" PRId64 " more", t->n - MAX_VALUES);
  if (!t) fputs("(not printed)", pg->f);
  return differs;
}

static void cell_open(const page *pg, int r) {
  char label[32];
  fprintf(pg->f, "<td data-mode=\"%s\">", cli_run_label(&pg->runs[r], label, sizeof label));
}

static void explain(page *pg, const char *what, int line, int r, const sf_trace_op *op, const sf_trace_op *ref) {
  char label[32], rlabel[32], why[800] = "";
  if (!pg->op_diff_line || line < pg->op_diff_line) pg->op_diff_line = line;
  cli_run_label(&pg->runs[r], label, sizeof label);
  cli_run_label(&pg->runs[0], rlabel, sizeof rlabel);
  if (op && ref) cli_cause_words(&op->rng, label, &ref->rng, rlabel, why, sizeof why);
  else snprintf(why, sizeof why, "it runs a different number of times in %s than in %s", label, rlabel);
  if (!why[0] && op && ref) cli_value_cause(op, label, ref, rlabel, why, sizeof why);
  pg->ndiff++;
  fputs("<li><b>", pg->f);
  esc(pg, what);
  fputs("</b>: ", pg->f);
  esc(pg, why);
  fputs(".</li>\n", pg->f);
}

/* ---- sections ---- */

static void header_row(const page *pg) {
  char label[32];
  fputs("<thead><tr><th>what</th>", pg->f);
  for (int r = 0; r < pg->n; r++) fprintf(pg->f, "<th>%s%s</th>", cli_run_label(&pg->runs[r], label, sizeof label), r ? "" : " (reference)");
  fputs("</tr></thead>\n", pg->f);
}

/* Every key of every run, in key order, without repeats; returns the count. */
static int all_keys(const page *pg, cli_key **out) {
  int total = 0, n = 0;
  for (int r = 0; r < pg->n; r++) total += pg->nops[r];
  cli_key *keys = malloc((size_t)(total ? total : 1) * sizeof *keys);
  if (!keys) return *out = NULL, 0;
  for (int r = 0; r < pg->n; r++)
    for (int i = 0; i < pg->nops[r]; i++) {
      int j = 0;
      while (j < n && cli_key_cmp(&keys[j], &pg->keys[r][i]) != 0) j++;
      if (j < n) continue;
      for (j = n++; j > 0 && cli_key_cmp(&keys[j - 1], &pg->keys[r][i]) > 0; j--) keys[j] = keys[j - 1];
      keys[j] = pg->keys[r][i];
    }
  *out = keys;
  return n;
}

/* Rows of random ops; writes the explanations of their differences to why. */
static void op_rows(page *pg, FILE *why) {
  cli_key *keys;
  int nk = all_keys(pg, &keys);
  for (int k = 0; k < nk; k++) {
    char what[200], seeds[200];
    snprintf(what, sizeof what, "random op %s at line %d%s", keys[k].op, keys[k].line, keys[k].k ? " (again)" : "");
    fputs("<tr><th scope=\"row\">", pg->f);
    esc(pg, what);
    fputs("</th>", pg->f);
    const sf_trace_op *ref = find_op(pg, 0, &keys[k]);
    for (int r = 0; r < pg->n; r++) {
      const sf_trace_op *op = find_op(pg, r, &keys[k]);
      cell_open(pg, r);
      if (!op) {
        fputs("(does not run)</td>", pg->f);
        if (r) {
          FILE *keep = pg->f;
          pg->f = why, explain(pg, what, keys[k].line, r, NULL, ref), pg->f = keep;
        }
        continue;
      }
      cli_format_seeds(&op->rng, seeds, sizeof seeds);
      const sf_rng_record *a = &op->rng, *b = ref ? &ref->rng : NULL;
      bool cause = r && b && (a->seed != b->seed || a->seed2 != b->seed2 || a->mt_position != b->mt_position ||
                              memcmp(a->counter, b->counter, sizeof a->counter) != 0);
      fputs(cause ? "<mark><code>" : "<code>", pg->f);
      esc(pg, seeds);
      fprintf(pg->f, "</code>%s<br>schedule slot %d<br>", cause ? "</mark>" : "", op->order);
      bool d = values_cell(pg, op->value, ref ? ref->value : NULL, r == 0);
      fputs("</td>", pg->f);
      if (d && r) {
        FILE *keep = pg->f;
        pg->f = why, explain(pg, what, keys[k].line, r, op, ref), pg->f = keep;
      }
    }
    fputs("</tr>\n", pg->f);
  }
  free(keys);
}

static const sf_tensor *print_item(const sf_trace *t, int i, int k) {
  const sf_trace_print *p = sf_trace_print_at(t, i);
  return p && k < p->ntensors ? p->tensors[k] : NULL;
}

/* A print of text only (an f-string, a Python number): each run's text (addresses masked,
 * cli_print_text), marked when it differs from the reference's. */
static void print_differs(page *pg, FILE *why, int i, const sf_trace_print *p, int r);

static void text_row(page *pg, FILE *why, int i, const sf_trace_print *p) {
  fprintf(pg->f, "<tr><th scope=\"row\">print %d at line %d: <code>", i + 1, p->line);
  esc(pg, p->expr);
  fputs("</code> (text)</th>", pg->f);
  char *texts[CLI_MAX_RUNS];
  bool differs[CLI_MAX_RUNS];
  cli_print_texts(pg->runs, pg->n, i, texts, differs); /* out of memory: those cells read "(not printed)" */
  for (int r = 0; r < pg->n; r++) {
    char *t = texts[r];
    bool d = differs[r];
    cell_open(pg, r);
    if (t) {
      fputs(d ? "<mark class=\"v\"><code class=\"text\">" : "<code class=\"text\">", pg->f);
      esc(pg, t);
      fputs(d ? "</code></mark>" : "</code>", pg->f);
    } else {
      fputs("(not printed)", pg->f);
    }
    fprintf(pg->f, "<br><span class=\"%s\">%s</span></td>", d ? "differs" : "same",
            r == 0 ? "reference" : d ? "differs" : "same text");
    if (d) print_differs(pg, why, i, p, r);
    free(t);
  }
  fputs("</tr>\n", pg->f);
}

/* A print that differs in run r: when a random op at or before its line differs too (op_rows,
 * which runs first, noted the first such line), that op's entry is its cause; otherwise it
 * is an entry of its own. */
static void print_differs(page *pg, FILE *why, int i, const sf_trace_print *p, int r) {
  char label[32], rlabel[32];
  if (pg->op_diff_line && pg->op_diff_line <= p->line) return;
  pg->ndiff++;
  fprintf(why, "<li><b>print %d at line %d</b>: differs in %s from %s, and no random op at or before its line "
          "differs: the values come from arithmetic the modes run differently, or the modes print them "
          "differently.</li>\n", i + 1, p->line, cli_run_label(&pg->runs[r], label, sizeof label),
          cli_run_label(&pg->runs[0], rlabel, sizeof rlabel));
}

static void print_rows(page *pg, FILE *why) {
  int most = 0;
  for (int r = 0; r < pg->n; r++)
    if (sf_trace_print_count(pg->runs[r].trace) > most) most = sf_trace_print_count(pg->runs[r].trace);
  for (int i = 0; i < most; i++) {
    const sf_trace_print *p = NULL;
    for (int r = 0; !p && r < pg->n; r++) p = sf_trace_print_at(pg->runs[r].trace, i);
    if (cli_print_is_text(pg->runs, pg->n, i)) {
      text_row(pg, why, i, p);
      continue;
    }
    for (int k = 0; k < p->ntensors; k++) {
      fprintf(pg->f, "<tr><th scope=\"row\">print %d%s at line %d: <code>", i + 1, k ? " (item)" : "", p->line);
      esc(pg, p->expr);
      fputs("</code></th>", pg->f);
      const sf_tensor *ref = print_item(pg->runs[0].trace, i, k);
      for (int r = 0; r < pg->n; r++) {
        cell_open(pg, r);
        bool d = values_cell(pg, print_item(pg->runs[r].trace, i, k), ref, r == 0);
        fprintf(pg->f, "<br><span class=\"%s\">%s</span></td>", d ? "differs" : "same",
                r == 0 ? "reference" : d ? "differs" : "same bits");
        if (d && r) print_differs(pg, why, i, p, r);
      }
      fputs("</tr>\n", pg->f);
    }
  }
}

/* A run whose ops all ran eagerly (no graph went through the pass pipeline): its random
 * ops in execution order, as a chain. */
static void eager_chain(page *pg, int r) {
  svg_graph g = {.title = "random ops in execution order"};
  char id[32], label[300], seeds[200];
  bool ok = true;
  for (int i = 0, j = 0; ok && i < sf_trace_op_count(pg->runs[r].trace); i++) {
    const sf_trace_op *op = sf_trace_op_at(pg->runs[r].trace, i);
    if (!op->rng.present) continue;
    cli_format_seeds(&op->rng, seeds, sizeof seeds);
    snprintf(id, sizeof id, "e%d", i);
    snprintf(label, sizeof label, "%s\nline %d, slot %d\n%s", op->op, op->line, op->order, seeds);
    ok = svg_add_node(&g, id, label, true) && (j == 0 || svg_add_edge(&g, j - 1, j, true));
    j++;
  }
  if (g.nnodes) {
    fputs("<figure><figcaption>no graph: every op ran eagerly, when called; the random ops in execution "
          "order</figcaption><div class=\"scroll\">", pg->f);
    svg_write(pg->f, &g);
    fputs("</div></figure>\n", pg->f);
  } else {
    fputs("<p>No random op ran.</p>\n", pg->f);
  }
  for (int i = 0; i < g.nnodes; i++) free(g.nodes[i].id), free(g.nodes[i].label);
  free(g.nodes);
  free(g.edges);
}

static void graphs(page *pg) {
  char label[32];
  for (int r = 0; r < pg->n; r++) {
    fprintf(pg->f, "<h3>%s</h3>\n", cli_run_label(&pg->runs[r], label, sizeof label));
    svg_graph *gs;
    int ng = pg->dot[r] ? svg_parse_dot(pg->dot[r], &gs) : 0;
    if (ng <= 0) {
      eager_chain(pg, r);
      continue;
    }
    for (int i = 0; i < ng && i < MAX_GRAPHS; i++) {
      fputs("<figure><figcaption>", pg->f);
      esc(pg, gs[i].title ? gs[i].title : "");
      fputs(" (orange: random ops with their seed pair and schedule slot; nodes the passes removed are left "
            "out, see run --dot)</figcaption><div class=\"scroll\">", pg->f);
      svg_write(pg->f, &gs[i]);
      fputs("</div></figure>\n", pg->f);
    }
    if (ng > MAX_GRAPHS) fprintf(pg->f, "<p>… %d more graph runs (seedflow run --dot shows them all).</p>\n", ng - MAX_GRAPHS);
    svg_graphs_free(gs, ng);
  }
}

static int write_page(page *pg) {
  char *why = NULL, *rows = NULL;
  size_t wl = 0, rl = 0;
  FILE *wf = open_memstream(&why, &wl), *rf = open_memstream(&rows, &rl), *out = pg->f;
  if (!wf || !rf) {
    if (wf) fclose(wf);
    if (rf) fclose(rf);
    free(why), free(rows);
    return cli_internal_error("out of memory");
  }
  pg->f = rf;
  op_rows(pg, wf);
  print_rows(pg, wf);
  fclose(wf);
  fclose(rf);
  pg->f = out;
  fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>seedflow report: ", out);
  esc(pg, cli_json_name(pg->file)); /* UTF-8, as the page declares */
  fprintf(out, "</title>\n<style>\n%s</style></head><body>\n", css);
  fputs("<svg width=\"0\" height=\"0\" style=\"position:absolute\" aria-hidden=\"true\"><defs><marker id=\"arrow\" "
        "viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">"
        "<path d=\"M0,0L10,5L0,10z\" fill=\"#868e96\"/></marker></defs></svg>\n", out);
  fputs("<h1>seedflow report: <code>", out);
  esc(pg, cli_json_name(pg->file));
  fputs("</code></h1>\n<p>The same program in ", out);
  char label[32];
  for (int r = 0; r < pg->n; r++)
    fprintf(out, "%s<b>%s</b>", r == 0 ? "" : r + 1 == pg->n ? " and " : ", ", cli_run_label(&pg->runs[r], label, sizeof label));
  fprintf(out, ", every random draw and print compared with the first (the reference); seedflow %s.</p>\n", sf_version());
  for (int i = 0; i < pg->nfailed; i++) { /* as compare names them */
    fprintf(out, "<div class=\"cause\"><b>%s does not run this program</b>: <code class=\"text\">",
            cli_run_label(&pg->failed[i], label, sizeof label));
    esc(pg, pg->failed[i].failure);
    fputs("</code></div>\n", out);
  }
  if (pg->ndiff) {
    fprintf(out, "<div class=\"cause\"><b>%d difference%s</b>, each with its cause:<ul>\n", pg->ndiff, pg->ndiff == 1 ? "" : "s");
    fwrite(why, 1, wl, out);
    fputs("</ul></div>\n", out);
  } else {
    fprintf(out, "<div class=\"cause\"><b>%s agree</b>: every print and every random draw is bit-identical.</div>\n",
            pg->nfailed ? "The modes that ran" : "All modes");
  }
  fputs("<h2>Side by side</h2>\n<p>Highlighted: seeds, counters and values that differ from the reference.</p>\n<div class=\"scroll\"><table>\n", out);
  header_row(pg);
  fputs("<tbody>\n", out);
  fwrite(rows, 1, rl, out);
  fputs("</tbody></table></div>\n<h2>Graphs</h2>\n", out);
  graphs(pg);
  fputs("<p><small>Written by <code>seedflow report</code>. Self-contained: no script, nothing loaded from "
        "the network.</small></p>\n</body></html>\n", out);
  free(why), free(rows);
  return 0;
}

int cmd_report(int argc, char **argv) {
  static const struct option opts[] = {{"output", required_argument, 0, 'o'}, {"modes", required_argument, 0, 'M'},
                                       {"profile", required_argument, 0, 'p'}, {"tf", required_argument, 0, 'p'},
                                       {"keras", required_argument, 0, 'K'},
                                       {"help", no_argument, 0, 'h'}, CLI_LIMIT_OPTIONS, {0, 0, 0, 0}};
  const char *modes = NULL, *out_path = NULL;
  sf_profile profile = SF_PROFILE_TF2;
  int keras = 0;
  bool profile_given = false;
  cli_limits lim = {0};
  int ch;
  optind = 1;
  while ((ch = getopt_long(argc, argv, ":o:p:h", opts, NULL)) != -1) {
    switch (ch) {
      case 'o': out_path = optarg; break;
      case 'M': modes = optarg; break;
      case 'p':
        if (!cli_profile_arg(optarg, &profile, &keras)) return EXIT_TROUBLE;
        profile_given = true;
        break;
      case 'K':
        if (!cli_keras_arg(optarg, &profile, &keras)) return EXIT_TROUBLE;
        profile_given = true;
        break;
      case CLI_OPT_TIME_LIMIT:
      case CLI_OPT_MEMORY_LIMIT:
        if (cli_limit_option(ch, optarg, &lim) >= 0) return EXIT_TROUBLE;
        break;
      case 'h': fputs(report_help, stdout); return 0;
      default: return cli_option_error(ch, argv);
    }
  }
  if (optind + 1 != argc) return cli_usage_error(optind == argc ? "report: missing FILE" : "report: too many arguments");
  if (!out_path) return cli_usage_error("report: missing -o FILE");
  if (!modes) modes = profile_given ? "graph,eager,function" : "graph:tf1,eager:tf2,function:tf2";
  cli_run runs[CLI_MAX_RUNS] = {0};
  static page pg; /* large (the runs' copies); one report per process */
  pg = (page){.file = argv[optind]};
  int n = cli_parse_runs(modes, profile, keras, runs, CLI_MAX_RUNS);
  if (n < 0) return EXIT_TROUBLE;
  cli_apply_limits(runs, n, &lim);
  sf_program *p = NULL;
  int rc = run_all(&pg, runs, n, &p);
  cli_out out;
  if (rc == 0 && !cli_out_open(&out, out_path)) rc = EXIT_TROUBLE;
  else if (rc == 0) {
    pg.f = out.f;
    rc = write_page(&pg);
    rc = rc ? (cli_out_abort(&out), rc) : cli_out_commit(&out);
  }
  for (int r = 0; r < pg.n; r++) free(pg.dot[r]), free(pg.idx[r]), free(pg.keys[r]);
  cli_runs_free(runs, n);
  sf_program_free(p);
  return rc;
}
