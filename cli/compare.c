/* compare.c — `seedflow compare FILE`: every print and every random op execution side by
 * side across modes; values that differ from the first (reference) run are marked and,
 * on a terminal, coloured; the first divergence is named with its cause. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_SHOWN 8 /* values per row */

static const char compare_help[] =
    "Usage: seedflow compare FILE [OPTION]...\n"
    "Run FILE in several modes and show every print and every random op execution\n"
    "side by side. Values that differ from the first mode (the reference) are marked\n"
    "with '*' (and coloured on a terminal); the first divergence is named with its\n"
    "cause, read from the seeds' provenance.\n"
    "\n"
    "      --modes=LIST         modes to compare (default eager,graph,function);\n"
    "                           MODE:PROFILE pins a profile, e.g. graph:tf1,eager:tf2\n"
    "  -p, --profile=PROFILE    tf2 (default) or tf1, for modes without ':PROFILE'\n"
    "      --color=WHEN         auto (default: on a terminal, unless NO_COLOR is set),\n"
    "                           always or never\n"
    CLI_LIMIT_HELP
    "  -h, --help               show this help and exit\n"
    "\n"
    "Exit status: 0 success (whether or not the modes agree), 2 invalid input or\n"
    "usage, 3 internal failure.\n";

typedef struct cmp {
  cli_run *runs;
  int n, width;         /* width: of the longest run label */
  bool color;
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

/* One row: label, then values, each marked when it differs from the reference's
 * (is_ref: this row is the reference itself, nothing is marked). */
static bool value_row(const cmp *c, const char *label, const sf_tensor *t, const sf_tensor *ref, bool is_ref) {
  char buf[40], rb[40];
  bool differs = false;
  printf("  %-*s", c->width, label);
  for (int64_t i = 0; t && i < t->n; i++) {
    const char *v = sf_tensor_format_lossless(t, i, buf, sizeof buf);
    bool d = !is_ref && (!ref || i >= ref->n || strcmp(v, sf_tensor_format_lossless(ref, i, rb, sizeof rb)) != 0);
    differs |= d;
    if (i >= MAX_SHOWN) continue;
    if (d && c->color) printf(" \033[1;31m%14s*\033[0m", v);
    else printf(" %14s%c", v, d ? '*' : ' ');
  }
  if (t && t->n > MAX_SHOWN) printf(" ... (%lld values)", (long long)t->n);
  if (!t) printf(" (not printed)");
  differs |= !is_ref && (!t || !ref || t->n != ref->n);
  putchar('\n');
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
  printf("%s", what);
  if (ref) printf("  %s %s", sf_dtype_name(ref->dtype), sf_shape_str(&ref->shape, shape, sizeof shape));
  putchar('\n');
  for (int r = 0; r < c->n; r++) {
    bool d = value_row(c, cli_run_label(&c->runs[r], label, sizeof label), print_item(c->runs[r].trace, i, k), ref, r == 0);
    if (r && d) note_divergence(c, p->line, what, label, NULL);
  }
  putchar('\n');
}

static void compare_prints(cmp *c) {
  int most = 0;
  for (int r = 0; r < c->n; r++)
    if (sf_trace_print_count(c->runs[r].trace) > most) most = sf_trace_print_count(c->runs[r].trace);
  for (int i = 0; i < most; i++) {
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

/* The seeds with where they came from, plus the first Philox block of a per-op kernel. */
static void provenance(const sf_rng_record *r, char *buf, size_t len) {
  cli_format_seeds(r, buf, len);
  size_t n = strlen(buf);
  if (r->stream == SF_STREAM_PHILOX && r->generator < 0 && n < len)
    snprintf(buf + n, len - n, ", counter block %llu", (unsigned long long)r->counter[0] | (unsigned long long)r->counter[1] << 32);
}

static void compare_op(cmp *c, const opset *sets, const cli_key *key) {
  const sf_trace_op *ref = opset_find(&sets[0], c->runs[0].trace, key);
  char label[32], rlabel[32], seeds[200], what[200], why[800];
  if (key->k) snprintf(what, sizeof what, "random op %s at line %d, execution %d", key->op, key->line, key->k + 1);
  else snprintf(what, sizeof what, "random op %s at line %d", key->op, key->line);
  printf("%s\n", what);
  cli_run_label(&c->runs[0], rlabel, sizeof rlabel);
  for (int r = 0; r < c->n; r++) {
    const sf_trace_op *op = opset_find(&sets[r], c->runs[r].trace, key);
    cli_run_label(&c->runs[r], label, sizeof label);
    if (op) provenance(&op->rng, seeds, sizeof seeds);
    printf("  %-*s %s\n", c->width, label, op ? seeds : "(does not run)");
    bool d = op ? value_row(c, "", op->value, ref ? ref->value : NULL, r == 0) : r > 0;
    if (!r || !d) continue;
    why[0] = '\0';
    if (op && ref) cli_cause_words(&op->rng, label, &ref->rng, rlabel, why, sizeof why);
    else snprintf(why, sizeof why, "it runs a different number of times in %s than in %s (kernel state: each run of a kernel continues its counter)", label, rlabel);
    if (!why[0]) snprintf(why, sizeof why, "same seeds and counter in %s and %s: the numbers differ in arithmetic order", label, rlabel);
    note_divergence(c, key->line, what, label, why);
  }
  putchar('\n');
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

static void summary(const cmp *c) {
  char rlabel[32];
  cli_run_label(&c->runs[0], rlabel, sizeof rlabel);
  if (!c->first_line) {
    printf("all modes agree: every print and every random draw is bit-identical.\n");
    return;
  }
  printf("first divergence: %s (%s differs from %s)\n", c->first_what, c->first_run, rlabel);
  if (c->cause[0]) printf("cause: %s.\n", c->cause);
  else printf("cause: no random op at or before line %d differs; see the random ops above.\n", c->first_line);
}

int cmd_compare(int argc, char **argv) {
  static const struct option opts[] = {{"modes", required_argument, 0, 'M'}, {"profile", required_argument, 0, 'p'},
                                       {"color", required_argument, 0, 'C'}, {"colour", required_argument, 0, 'C'},
                                       {"help", no_argument, 0, 'h'}, CLI_LIMIT_OPTIONS, {0, 0, 0, 0}};
  const char *modes = "eager,graph,function";
  cli_limits lim = {0};
  sf_profile profile = SF_PROFILE_TF2;
  cli_color color = CLI_COLOR_AUTO;
  int ch;
  optind = 1;
  while ((ch = getopt_long(argc, argv, ":p:h", opts, NULL)) != -1) {
    switch (ch) {
      case 'M': modes = optarg; break;
      case 'p':
        if (!sf_profile_from_name(optarg, &profile)) return cli_usage_error("unknown profile '%s' (tf1, tf2)", optarg);
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
  cli_run runs[CLI_MAX_RUNS];
  int n = cli_parse_runs(modes, profile, runs, CLI_MAX_RUNS);
  if (n < 0) return EXIT_TROUBLE;
  cli_apply_limits(runs, n, &lim);
  sf_program *p = NULL;
  int rc = cli_run_all(argv[optind], &p, runs, n);
  if (rc == 0) {
    cmp c = {.runs = runs, .n = n, .width = 0, .color = cli_color_enabled(color, stdout)};
    char label[32];
    for (int r = 0; r < n; r++)
      if ((int)strlen(cli_run_label(&runs[r], label, sizeof label)) > c.width) c.width = (int)strlen(label);
    printf("compare %s: reference %s; '*' marks values that differ from it\n\n", argv[optind], cli_run_label(&runs[0], label, sizeof label));
    compare_ops(&c);
    compare_prints(&c);
    summary(&c);
  }
  cli_runs_free(runs, n);
  sf_program_free(p);
  return rc;
}
