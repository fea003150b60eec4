/* compare.c — `seedflow compare FILE`: every print and every random op execution side by
 * side across modes; values that differ from the first (reference) run are marked and,
 * on a terminal, coloured; the first divergence is named with its cause. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "term.h"

#define MAX_LINES 2 /* lines of values per row; the rest is elided with a count */

static const char compare_help[] =
    "Usage: seedflow compare FILE [OPTION]...\n"
    "Run FILE (or '-', standard input) in several modes and show every print and\n"
    "every random op execution side by side. The first divergence and its cause (the\n"
    "seed, counter or schedule slot that differs) come first; values and seeds that\n"
    "differ from the first mode (the reference) are marked with '*' (and coloured on\n"
    "a terminal). Output fits the terminal's width (COLUMNS, else the terminal's).\n"
    "\n"
    "      --modes=LIST         modes to compare, MODE[:PROFILE] comma separated\n"
    "                           (default graph:tf1,eager:tf2,function:tf2: TF1's\n"
    "                           Session against TF2's eager and tf.function)\n"
    "  -p, --profile=PROFILE    tf1 or tf2 for modes without ':PROFILE'; with it the\n"
    "                           default modes are graph,eager,function\n"
    "      --tf=VERSION         the same, by TensorFlow version: 1.x, 2.0-2.9, 2.10-2.15\n"
    "                           (tf2.10), 2.16+ (keras3)\n"
    "      --keras=VERSION      the same, by Keras version: 2.10-2.15, 3.0-3.15\n"
    "  -f, --format=FORMAT      text (default) or json: every run and the first\n"
    "                           divergence with its cause (docs/json-schema.md)\n"
    "      --color=WHEN         auto (default: on a terminal, unless NO_COLOR is set\n"
    "                           or TERM=dumb; CLICOLOR_FORCE forces it), always, never\n"
    CLI_LIMIT_HELP
    "  -h, --help               show this help and exit\n"
    "\n"
    "Exit status: 0 success (whether or not the modes agree), 2 invalid input or\n"
    "usage, 3 internal failure.\n";

typedef struct cmp {
  cli_run *runs;
  int n, width;         /* width: of the longest run label */
  const cli_run *failed; /* the runs that stopped on an error in the program */
  int nfailed;
  bool color;
  FILE *out;            /* the side-by-side body, printed after the cause */
  /* the first divergence, by source line: a random op (cause) before a print (effect) */
  int first_line;
  char first_what[200], first_run[32];
  char cause[800];
} cmp;

static void note_divergence(cmp *c, int line, const char *what, const char *run, const char *cause) {
  if (c->first_line && c->first_line <= line) return;
  c->first_line = line;
  snprintf(c->first_what, sizeof c->first_what, "%s", what);
  snprintf(c->first_run, sizeof c->first_run, "%s", run);
  if (cause) snprintf(c->cause, sizeof c->cause, "%s", cause);
  else c->cause[0] = '\0';
}

/* The widest value of t (lossless text), at least w. */
static int widest(const sf_tensor *t, int w) {
  char buf[40];
  for (int64_t i = 0; t && i < t->n; i++) {
    int l = (int)strlen(sf_tensor_format_lossless(t, i, buf, sizeof buf));
    if (l > w) w = l;
  }
  return w;
}

/* One row: label, then values in columns of cw characters, each marked when it differs
 * from the reference's (is_ref: this row is the reference itself, nothing is marked). */
static bool value_row(const cmp *c, const char *label, const sf_tensor *t, const sf_tensor *ref, bool is_ref, int cw) {
  enum { MAX_CELLS = 64 };
  char buf[MAX_CELLS][40], rb[40];
  const char *cells[MAX_CELLS];
  bool mark[MAX_CELLS], differs = false;
  int n = 0;
  fprintf(c->out, "  %-*s", c->width, label);
  for (int64_t i = 0; t && i < t->n; i++) {
    char tmp[40];
    const char *v = sf_tensor_format_lossless(t, i, i < MAX_CELLS ? buf[i] : tmp, 40);
    bool d = !is_ref && (!ref || i >= ref->n || strcmp(v, sf_tensor_format_lossless(ref, i, rb, sizeof rb)) != 0);
    differs |= d;
    if (i < MAX_CELLS) cells[n] = v, mark[n++] = d;
  }
  differs |= !is_ref && (!t || !ref || t->n != ref->n);
  if (!t) {
    fprintf(c->out, " (not printed)\n");
    return differs;
  }
  int more = t->n > MAX_CELLS ? (int)(t->n - MAX_CELLS) : 0;
  /* cells beyond MAX_CELLS are never shown: term_cells elides from its own count */
  term_cells(c->out, 2 + c->width, 2 + c->width, cells, mark, n, cw, term_width(), more ? 1 : MAX_LINES, c->color);
  return differs;
}

/* ---- prints ---- */

static const sf_tensor *print_item(const sf_trace *t, int i, int k) {
  const sf_trace_print *p = sf_trace_print_at(t, i);
  return p && k < p->ntensors ? p->tensors[k] : NULL;
}

static void compare_print(cmp *c, int i, int k) {
  const sf_trace_print *p = sf_trace_print_at(c->runs[0].trace, i);
  const sf_tensor *ref = print_item(c->runs[0].trace, i, k);
  char shape[64], label[32], what[200];
  for (int r = 1; !p && r < c->n; r++) p = sf_trace_print_at(c->runs[r].trace, i);
  snprintf(what, sizeof what, "print %d%s at line %d: %s", i + 1, k ? " (item)" : "", p->line, p->expr);
  fprintf(c->out, "%s", what);
  if (ref) fprintf(c->out, "  %s %s", sf_dtype_name(ref->dtype), sf_shape_str(&ref->shape, shape, sizeof shape));
  fputc('\n', c->out);
  int cw = 0;
  for (int r = 0; r < c->n; r++) cw = widest(print_item(c->runs[r].trace, i, k), cw);
  for (int r = 0; r < c->n; r++) {
    bool d = value_row(c, cli_run_label(&c->runs[r], label, sizeof label), print_item(c->runs[r].trace, i, k), ref,
                       r == 0, cw);
    if (r && d) note_divergence(c, p->line, what, label, NULL);
  }
  fputc('\n', c->out);
}

/* A print of text only (an f-string, a Python number): each run's text, the first
 * MAX_TEXT_LINES lines, marked when it differs from the reference's. */
enum { MAX_TEXT_LINES = 4 };

static void text_row(const cmp *c, const char *label, const char *text, bool differs) {
  int width = term_width() - 2 - c->width - 1, line = 0;
  if (width < 20) width = 20;
  fprintf(c->out, "  %-*s", c->width, label);
  if (!text) {
    fprintf(c->out, " (not printed)\n");
    return;
  }
  for (const char *s = text;; line++) {
    const char *e = strchr(s, '\n');
    int n = e ? (int)(e - s) : (int)strlen(s);
    if (line == MAX_TEXT_LINES) {
      int more = 1;
      for (const char *t = s; (t = strchr(t, '\n')); t++) more++;
      fprintf(c->out, "%*s … %d more line%s\n", line ? 2 + c->width : 0, "", more, more == 1 ? "" : "s");
      return;
    }
    bool last = !e;
    const char *on = differs && c->color ? "\033[1;33m" : "", *off = differs && c->color ? "\033[0m" : "";
    fprintf(c->out, "%*s %s%.*s%s%s%s\n", line ? 2 + c->width : 0, "", on, n > width ? width : n, s, n > width ? "…" : "",
            off, last && differs ? "*" : "");
    if (last) return;
    s = e + 1;
  }
}

static void compare_text_print(cmp *c, int i) {
  const sf_trace_print *p = NULL;
  for (int r = 0; !p && r < c->n; r++) p = sf_trace_print_at(c->runs[r].trace, i);
  char what[200], label[32];
  snprintf(what, sizeof what, "print %d at line %d: %s", i + 1, p->line, p->expr);
  fprintf(c->out, "%s  (text)\n", what);
  char *texts[CLI_MAX_RUNS];
  bool differs[CLI_MAX_RUNS];
  cli_print_texts(c->runs, c->n, i, texts, differs); /* out of memory: those rows read "(not printed)" */
  for (int r = 0; r < c->n; r++) {
    cli_run_label(&c->runs[r], label, sizeof label);
    text_row(c, label, texts[r], differs[r]);
    if (differs[r]) note_divergence(c, p->line, what, label, NULL);
    free(texts[r]);
  }
  fputc('\n', c->out);
}

static void compare_prints(cmp *c) {
  int most = 0;
  for (int r = 0; r < c->n; r++)
    if (sf_trace_print_count(c->runs[r].trace) > most) most = sf_trace_print_count(c->runs[r].trace);
  for (int i = 0; i < most; i++) {
    if (cli_print_is_text(c->runs, c->n, i)) {
      compare_text_print(c, i);
      continue;
    }
    int items = 1;
    for (int r = 0; r < c->n; r++) {
      const sf_trace_print *p = sf_trace_print_at(c->runs[r].trace, i);
      if (p && p->ntensors > items) items = p->ntensors;
    }
    for (int k = 0; k < items; k++) compare_print(c, i, k);
  }
}

/* ---- random ops ---- */

typedef struct opset {
  int *idx;
  cli_key *keys;
  int n;
} opset;

static const sf_trace_op *opset_find(const opset *s, const sf_trace *t, const cli_key *key) {
  for (int i = 0; i < s->n; i++)
    if (cli_key_cmp(&s->keys[i], key) == 0) return sf_trace_op_at(t, s->idx[i]);
  return NULL;
}

/* Appends part to buf, marked with '*' (and coloured) when it differs from the reference. */
static void part(const cmp *c, char *buf, size_t len, bool differs, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void part(const cmp *c, char *buf, size_t len, bool differs, const char *fmt, ...) {
  size_t n = strlen(buf);
  char text[200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  if (differs && c->color) snprintf(buf + n, len - n, "%s\033[1;33m%s*\033[0m", n ? " " : "", text);
  else snprintf(buf + n, len - n, "%s%s%s", n ? " " : "", text, differs ? "*" : "");
}

static uint64_t block_of(const sf_rng_record *r) { return (uint64_t)r->counter[0] | (uint64_t)r->counter[1] << 32; }

/* The seeds with where they came from, plus the first Philox block of a per-op kernel;
 * what differs from ref (the reference's record, NULL for the reference) is the cause
 * of different draws, so it is marked. */
static void provenance(const cmp *c, const sf_rng_record *r, const sf_rng_record *ref, char *buf, size_t len) {
  buf[0] = '\0';
  if (r->stream != SF_STREAM_PHILOX || r->generator >= 0) {
    char seeds[200];
    cli_format_seeds(r, seeds, sizeof seeds);
    bool d = ref && (r->stream == SF_STREAM_MT19937 ? r->mt_position != ref->mt_position
                                                    : memcmp(r->counter, ref->counter, sizeof r->counter) != 0);
    part(c, buf, len, d, "%s", seeds);
    return;
  }
  part(c, buf, len, ref && ref->seed != r->seed, "seed=%" PRId64 " (%s)", r->seed, sf_seed_source_name(r->seed_source));
  bool detail = r->seed2_source == SF_SEED_NODE_ID || r->seed2_source == SF_SEED_GRAPH_COUNTER ||
                r->seed2_source == SF_SEED_EAGER_STREAM;
  char src[64];
  if (detail) snprintf(src, sizeof src, "%s %" PRId64, sf_seed_source_name(r->seed2_source), r->seed2_detail);
  else snprintf(src, sizeof src, "%s", sf_seed_source_name(r->seed2_source));
  part(c, buf, len, ref && ref->seed2 != r->seed2, "seed2=%" PRId64 " (%s)", r->seed2, src);
  part(c, buf, len, ref && block_of(ref) != block_of(r), "counter block %" PRIu64, block_of(r));
}

static void compare_op(cmp *c, const opset *sets, const cli_key *key) {
  const sf_trace_op *ref = opset_find(&sets[0], c->runs[0].trace, key);
  char label[32], rlabel[32], seeds[400], what[200], why[800];
  if (key->k) snprintf(what, sizeof what, "random op %s at line %d, execution %d", key->op, key->line, key->k + 1);
  else snprintf(what, sizeof what, "random op %s at line %d", key->op, key->line);
  fprintf(c->out, "%s\n", what);
  cli_run_label(&c->runs[0], rlabel, sizeof rlabel);
  int cw = 0;
  for (int r = 0; r < c->n; r++) {
    const sf_trace_op *op = opset_find(&sets[r], c->runs[r].trace, key);
    cw = widest(op ? op->value : NULL, cw);
  }
  for (int r = 0; r < c->n; r++) {
    const sf_trace_op *op = opset_find(&sets[r], c->runs[r].trace, key);
    cli_run_label(&c->runs[r], label, sizeof label);
    if (op) provenance(c, &op->rng, r && ref ? &ref->rng : NULL, seeds, sizeof seeds);
    if (op) fprintf(c->out, "  %-*s  %s (schedule slot %d)\n", c->width, label, seeds, op->order);
    else fprintf(c->out, "  %-*s  (does not run)\n", c->width, label);
    bool d = op ? value_row(c, "", op->value, ref ? ref->value : NULL, r == 0, cw) : r > 0;
    if (!r || !d) continue;
    why[0] = '\0';
    if (op && ref) cli_cause_words(&op->rng, label, &ref->rng, rlabel, why, sizeof why);
    else snprintf(why, sizeof why, "it runs a different number of times in %s than in %s (kernel state: each run of a kernel continues its counter)", label, rlabel);
    if (!why[0] && op && ref) cli_value_cause(op, label, ref, rlabel, why, sizeof why);
    note_divergence(c, key->line, what, label, why);
  }
  fputc('\n', c->out);
}

/* Every key of every run, sorted and unique, visited in order. */
static void compare_ops(cmp *c) {
  opset sets[CLI_MAX_RUNS];
  for (int r = 0; r < c->n; r++) sets[r].n = cli_random_ops(c->runs[r].trace, &sets[r].idx, &sets[r].keys);
  int pos[CLI_MAX_RUNS] = {0};
  for (;;) {
    const cli_key *next = NULL;
    for (int r = 0; r < c->n; r++)
      if (pos[r] < sets[r].n && (!next || cli_key_cmp(&sets[r].keys[pos[r]], next) < 0)) next = &sets[r].keys[pos[r]];
    if (!next) break;
    cli_key key = *next;
    compare_op(c, sets, &key);
    for (int r = 0; r < c->n; r++)
      if (pos[r] < sets[r].n && cli_key_cmp(&sets[r].keys[pos[r]], &key) == 0) pos[r]++;
  }
  for (int r = 0; r < c->n; r++) free(sets[r].idx), free(sets[r].keys);
}

/* The verdict, printed first: the first divergence and its cause. */
static void summary(const cmp *c) {
  char rlabel[32];
  const char *on = c->color ? "\033[1;33m" : "", *off = c->color ? "\033[0m" : "";
  cli_run_label(&c->runs[0], rlabel, sizeof rlabel);
  char label[32];
  for (int i = 0; i < c->nfailed; i++)
    printf("%s does not run this program: %s\n%s", cli_run_label(&c->failed[i], label, sizeof label),
           c->failed[i].failure, i + 1 == c->nfailed ? "\n" : "");
  if (!c->first_line) {
    printf("%s agree: every print and every random draw is bit-identical.\n\n",
           c->nfailed ? "the modes that ran" : "all modes");
    return;
  }
  printf("first divergence: %s (%s differs from %s)\n", c->first_what, c->first_run, rlabel);
  if (c->cause[0]) printf("%scause: %s.%s\n\n", on, c->cause, off);
  else printf("%scause: no random op at or before line %d differs; see the random ops below.%s\n\n", on, c->first_line, off);
}

/* --format json: {"format", "file", "reference", "first_divergence", "runs"}, the runs as
 * `run --format json` has them (docs/json-schema.md). */
static int compare_json(const cmp *c, const char *file) {
  char rlabel[32];
  json_t *runs = json_array(), *first = json_null();
  for (int r = 0; runs && r < c->n; r++)
    if (json_array_append_new(runs, cli_trace_json(c->runs[r].trace, false)) != 0) json_decref(runs), runs = NULL;
  char nocause[96];
  snprintf(nocause, sizeof nocause, "no random op at or before line %d differs", c->first_line);
  if (c->first_line) /* the cause as the text output says it, found or not */
    first = json_pack("{s:i, s:s, s:s, s:s}", "line", c->first_line, "what", c->first_what, "run", c->first_run,
                      "cause", c->cause[0] ? c->cause : nocause);
  json_t *root = runs && first ? json_pack("{s:s, s:s, s:s, s:o, s:o}", "format", CLI_GOLDEN_FORMAT, "file",
                                           cli_json_name(cli_file_label(file)), "reference",
                                           cli_run_label(&c->runs[0], rlabel, sizeof rlabel), "first_divergence", first,
                                           "runs", runs)
                               : (json_decref(runs), json_decref(first), NULL);
  json_t *not_run = root && c->nfailed ? json_array() : NULL;
  for (int i = 0; not_run && i < c->nfailed; i++)
    if (json_array_append_new(not_run, json_pack("{s:s, s:s}", "run", cli_run_label(&c->failed[i], rlabel, sizeof rlabel),
                                                 "error", c->failed[i].failure)) != 0)
      json_decref(not_run), not_run = NULL;
  if (root && c->nfailed && json_object_set_new(root, "not_run", not_run) != 0) json_decref(root), root = NULL;
  if (!root) return cli_internal_error("cannot encode the comparison as JSON (out of memory)");
  term_capture_raw();
  int rc = json_dumpf(root, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER) == 0 && putchar('\n') != EOF
               ? 0 : cli_internal_error("cannot write to standard output: %s", strerror(errno ? errno : EIO));
  json_decref(root);
  return rc;
}

static int compare_all(const char *file, cli_run *runs, int n, const cli_run *failed, int nfailed, bool color,
                       bool json) {
  char *body = NULL;
  size_t len = 0;
  cmp c = {.runs = runs, .n = n, .failed = failed, .nfailed = nfailed, .width = 0, .color = color,
           .out = open_memstream(&body, &len)};
  if (!c.out) return cli_internal_error("out of memory");
  char label[32];
  for (int r = 0; r < n; r++)
    if ((int)strlen(cli_run_label(&runs[r], label, sizeof label)) > c.width) c.width = (int)strlen(label);
  compare_ops(&c);
  compare_prints(&c);
  if (fclose(c.out) != 0) {
    free(body);
    return cli_internal_error("out of memory");
  }
  int rc = 0;
  if (json) {
    rc = compare_json(&c, file);
  } else {
    printf("compare %s: reference %s; '*' marks what differs from it\n\n", file, cli_run_label(&runs[0], label, sizeof label));
    summary(&c);
    fwrite(body, 1, len, stdout);
  }
  free(body);
  return rc;
}

int cmd_compare(int argc, char **argv) {
  static const struct option opts[] = {{"modes", required_argument, 0, 'M'}, {"profile", required_argument, 0, 'p'},
                                       {"tf", required_argument, 0, 'p'},          {"keras", required_argument, 0, 'K'},
                                       {"color", required_argument, 0, 'C'}, {"colour", required_argument, 0, 'C'},
                                       {"format", required_argument, 0, 'f'},
                                       {"help", no_argument, 0, 'h'}, CLI_LIMIT_OPTIONS, {0, 0, 0, 0}};
  const char *modes = NULL;
  cli_limits lim = {0};
  sf_profile profile = SF_PROFILE_TF2;
  int keras = 0;
  bool profile_given = false, json = false;
  cli_color color = CLI_COLOR_AUTO;
  int ch;
  optind = 1;
  while ((ch = getopt_long(argc, argv, ":p:f:h", opts, NULL)) != -1) {
    switch (ch) {
      case 'M': modes = optarg; break;
      case 'f':
        if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0) return cli_usage_error("unknown format '%s' (text, json)", optarg);
        json = strcmp(optarg, "json") == 0;
        break;
      case 'p':
        if (!cli_profile_arg(optarg, &profile, &keras)) return EXIT_TROUBLE;
        profile_given = true;
        break;
      case 'K':
        if (!cli_keras_arg(optarg, &profile, &keras)) return EXIT_TROUBLE;
        profile_given = true;
        break;
      case 'C':
        if (!cli_color_parse(optarg, &color)) return cli_usage_error("unknown colour mode '%s' (auto, always, never)", optarg);
        break;
      case 'h': fputs(compare_help, stdout); return 0;
      case CLI_OPT_TIME_LIMIT:
      case CLI_OPT_MEMORY_LIMIT:
        if (cli_limit_option(ch, optarg, &lim) >= 0) return EXIT_TROUBLE;
        break;
      default: return cli_option_error(ch, argv);
    }
  }
  if (optind + 1 != argc) return cli_usage_error(optind == argc ? "compare: missing FILE" : "compare: too many arguments");
  /* The story by default: TF1's Session against TF2's eager and tf.function. */
  if (!modes) modes = profile_given ? "graph,eager,function" : "graph:tf1,eager:tf2,function:tf2";
  cli_run runs[CLI_MAX_RUNS] = {0};
  int n = cli_parse_runs(modes, profile, keras, runs, CLI_MAX_RUNS);
  if (n < 0) return EXIT_TROUBLE;
  cli_apply_limits(runs, n, &lim);
  sf_program *p = NULL;
  int rc = cli_run_each(argv[optind], &p, runs, n, 0);
  /* The runs that stopped on the program's own error are listed, the others compared. */
  cli_run ran[CLI_MAX_RUNS], failed[CLI_MAX_RUNS];
  int nran = 0, nfailed = 0;
  for (int i = 0; i < n; i++) {
    if (runs[i].failure) failed[nfailed++] = runs[i];
    else ran[nran++] = runs[i];
  }
  if (rc == 0) rc = compare_all(argv[optind], ran, nran, failed, nfailed, cli_color_enabled(color, stdout), json);
  cli_runs_free(runs, n);
  sf_program_free(p);
  return rc;
}
