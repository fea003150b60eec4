/* record.c — `seedflow record` writes every print and every random-op draw of a program,
 * per (mode, profile), to a golden JSON file (atomically); `seedflow check` re-runs the
 * program and diffs against it: exit 0 all match, 1 a difference, 2 trouble. */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define GOLDEN_FORMAT "seedflow-golden-1"
#define MAX_VALUE_DIFFS 10 /* per print or op; the rest are counted */

static const char record_help[] =
    "Usage: seedflow record FILE -o GOLDEN [OPTION]...\n"
    "Run FILE in every given mode and write every print and every random-op draw\n"
    "(lossless %.9g values, seeds and counters) to GOLDEN, a JSON file written\n"
    "atomically (temp file + fsync + rename; nothing is left behind on error).\n"
    "\n"
    "  -o, --output=GOLDEN      the file to write ('-' for standard output)\n"
    "      --modes=LIST         modes to record (default eager,graph,function);\n"
    "                           MODE:PROFILE pins a profile, e.g. graph:tf1,eager:tf2\n"
    "  -p, --profile=PROFILE    tf2 (default) or tf1, for modes without ':PROFILE'\n"
    "  -h, --help               show this help and exit\n"
    "\n"
    "Exit status: 0 success, 2 invalid input or usage (an unreproducible program\n"
    "included), 3 internal failure (out of memory, GOLDEN cannot be written).\n";

static const char check_help[] =
    "Usage: seedflow check FILE GOLDEN\n"
    "Re-run FILE in every (mode, profile) that GOLDEN (written by 'seedflow record')\n"
    "holds, and compare every print and every random-op draw with it. Differences are\n"
    "listed one a line: mode, op or print, index, expected and got value.\n"
    "\n"
    "  -h, --help               show this help and exit\n"
    "\n"
    "Exit status: 0 all draws match, 1 some differ (or GOLDEN was recorded from a\n"
    "different program), 2 invalid input or usage (unreadable or malformed FILE or\n"
    "GOLDEN), 3 internal failure.\n";

/* ---- the JSON of one run (shared by record and check) ---- */


static json_t *prints_json(const sf_trace *t) {
  json_t *prints = json_array();
  for (int i = 0; i < sf_trace_print_count(t); i++) {
    const sf_trace_print *p = sf_trace_print_at(t, i);
    for (int k = 0; k < p->ntensors; k++) {
      const sf_tensor *x = p->tensors[k];
      json_t *shape = json_array();
      for (int d = 0; d < x->shape.rank; d++) json_array_append_new(shape, json_integer(x->shape.dims[d]));
      json_t *o = json_pack("{s:i, s:i, s:i, s:s, s:s, s:o, s:o}", "print", i, "item", k, "line", p->line, "expr",
                            p->expr, "dtype", sf_dtype_name(x->dtype), "shape", shape, "values", cli_values_json(x));
      json_array_append_new(prints, o);
    }
  }
  return prints;
}

static json_t *op_json(const sf_trace_op *op, const cli_key *key) {
  const sf_rng_record *r = &op->rng;
  char ctr[64];
  snprintf(ctr, sizeof ctr, "%u,%u,%u,%u", r->counter[0], r->counter[1], r->counter[2], r->counter[3]);
  return json_pack("{s:i, s:s, s:i, s:s, s:I, s:I, s:s, s:s, s:s, s:I, s:o}", "line", key->line, "op", key->op, "k",
                   key->k, "name", op->name, "seed", (json_int_t)r->seed, "seed2", (json_int_t)r->seed2,
                   "seed_source", sf_seed_source_name(r->seed_source), "seed2_source",
                   sf_seed_source_name(r->seed2_source), "counter_start", ctr, "counter_blocks",
                   (json_int_t)r->blocks, "values", cli_values_json(op->value));
}

static json_t *ops_json(const sf_trace *t) {
  int *idx;
  cli_key *keys;
  int n = cli_random_ops(t, &idx, &keys);
  json_t *ops = json_array();
  for (int i = 0; i < n; i++) json_array_append_new(ops, op_json(sf_trace_op_at(t, idx[i]), &keys[i]));
  free(idx);
  free(keys);
  return ops;
}

static json_t *run_json(const cli_run *r) {
  return json_pack("{s:s, s:s, s:o, s:o}", "mode", sf_mode_name(r->mode), "profile", sf_profile_name(r->profile),
                   "prints", prints_json(r->trace), "ops", ops_json(r->trace));
}

static const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

/* ---- record ---- */

static int record_write(const char *file, const char *out_path, const cli_run *runs, int n) {
  json_t *arr = json_array();
  for (int i = 0; i < n; i++) json_array_append_new(arr, run_json(&runs[i]));
  json_t *root = json_pack("{s:s, s:s, s:s, s:o}", "format", GOLDEN_FORMAT, "seedflow", sf_version(), "file",
                           base_name(file), "runs", arr);
  cli_out out;
  int rc = 0;
  if (!root) rc = cli_internal_error("out of memory");
  else if (!cli_out_open(&out, out_path)) rc = EXIT_TROUBLE;
  else if (json_dumpf(root, out.f, JSON_INDENT(1) | JSON_PRESERVE_ORDER) != 0 || fputc('\n', out.f) == EOF) {
    cli_out_abort(&out);
    rc = cli_internal_error("cannot write '%s'", out_path);
  } else {
    rc = cli_out_commit(&out);
  }
  json_decref(root);
  return rc;
}

int cmd_record(int argc, char **argv) {
  static const struct option opts[] = {{"output", required_argument, 0, 'o'}, {"modes", required_argument, 0, 'M'},
                                       {"profile", required_argument, 0, 'p'}, {"help", no_argument, 0, 'h'},
                                       {0, 0, 0, 0}};
  const char *out = NULL, *modes = "eager,graph,function";
  sf_profile profile = SF_PROFILE_TF2;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, ":o:p:h", opts, NULL)) != -1) {
    switch (c) {
      case 'o': out = optarg; break;
      case 'M': modes = optarg; break;
      case 'p':
        if (!sf_profile_from_name(optarg, &profile)) return cli_usage_error("unknown profile '%s' (tf1, tf2)", optarg);
        break;
      case 'h': fputs(record_help, stdout); return 0;
      default: return cli_option_error(c, argv);
    }
  }
  if (optind + 1 != argc) return cli_usage_error(optind == argc ? "record: missing FILE" : "record: too many arguments");
  if (!out) return cli_usage_error("record: missing -o GOLDEN");
  cli_run runs[CLI_MAX_RUNS];
  int n = cli_parse_runs(modes, profile, runs, CLI_MAX_RUNS);
  if (n < 0) return EXIT_TROUBLE;
  sf_program *p = NULL;
  int rc = cli_run_all(argv[optind], &p, runs, n);
  if (rc == 0) rc = record_write(argv[optind], out, runs, n);
  cli_runs_free(runs, n);
  sf_program_free(p);
  return rc;
}

/* ---- check: reading the golden file ---- */

/* Checks the golden's shape; fills why and returns false when it is not a golden file. */
static bool golden_valid(json_t *root, char *why, size_t len) {
  json_t *runs = json_object_get(root, "runs");
  const char *fmt = json_string_value(json_object_get(root, "format"));
  if (!fmt || strcmp(fmt, GOLDEN_FORMAT) != 0) return snprintf(why, len, "not a seedflow golden file (format is not '%s')", GOLDEN_FORMAT), false;
  if (!json_is_array(runs) || json_array_size(runs) == 0 || json_array_size(runs) > CLI_MAX_RUNS)
    return snprintf(why, len, "'runs' must be an array of 1 to %d runs", CLI_MAX_RUNS), false;
  size_t i;
  json_t *r;
  json_array_foreach(runs, i, r) {
    if (!json_is_array(json_object_get(r, "prints")) || !json_is_array(json_object_get(r, "ops")))
      return snprintf(why, len, "runs[%zu] needs 'prints' and 'ops' arrays", i), false;
  }
  return true;
}

static int golden_runs(json_t *root, cli_run *runs, char *why, size_t len) {
  size_t i;
  json_t *r;
  json_array_foreach(json_object_get(root, "runs"), i, r) {
    const char *m = json_string_value(json_object_get(r, "mode"));
    const char *p = json_string_value(json_object_get(r, "profile"));
    runs[i].trace = NULL;
    if (!m || !sf_mode_from_name(m, &runs[i].mode) || !p || !sf_profile_from_name(p, &runs[i].profile))
      return snprintf(why, len, "runs[%zu] has no valid 'mode' and 'profile'", i), -1;
  }
  return (int)i;
}

/* ---- check: the diff ---- */

typedef struct diff {
  const char *label;  /* "graph/tf2" */
  int count;
} diff;

/* "op RandomStandardNormal (line 3)" or "print 1 'w' (line 4)" */
static void item_name(json_t *o, bool is_op, char *buf, size_t len) {
  int line = (int)json_integer_value(json_object_get(o, "line"));
  if (is_op) {
    int k = (int)json_integer_value(json_object_get(o, "k"));
    const char *op = json_string_value(json_object_get(o, "op"));
    if (k) snprintf(buf, len, "op %s (line %d, execution %d)", op ? op : "?", line, k + 1);
    else snprintf(buf, len, "op %s (line %d)", op ? op : "?", line);
    return;
  }
  int pr = (int)json_integer_value(json_object_get(o, "print"));
  int item = (int)json_integer_value(json_object_get(o, "item"));
  const char *expr = json_string_value(json_object_get(o, "expr"));
  if (item) snprintf(buf, len, "print %d '%s' item %d (line %d)", pr, expr ? expr : "", item, line);
  else snprintf(buf, len, "print %d '%s' (line %d)", pr, expr ? expr : "", line);
}

static void diff_line(diff *d, const char *item, const char *what, const char *expected, const char *got) {
  printf("mode %s, %s, %s: expected %s, got %s\n", d->label, item, what, expected, got);
  d->count++;
}

static const char *scalar_text(json_t *v, char *buf, size_t len) {
  if (json_is_string(v)) return json_string_value(v);
  if (!v) return "(none)";
  char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
  snprintf(buf, len, "%s", s ? s : "?");
  free(s);
  return buf;
}

static void diff_field(diff *d, const char *item, json_t *want, json_t *got, const char *field) {
  json_t *a = json_object_get(want, field), *b = json_object_get(got, field);
  if (json_equal(a, b)) return;
  char ab[128], bb[128];
  diff_line(d, item, field, scalar_text(a, ab, sizeof ab), scalar_text(b, bb, sizeof bb));
}

static void diff_values(diff *d, const char *item, json_t *want, json_t *got) {
  json_t *a = json_object_get(want, "values"), *b = json_object_get(got, "values");
  size_t na = json_array_size(a), nb = json_array_size(b), n = na < nb ? na : nb, shown = 0, more = 0;
  for (size_t i = 0; i < n; i++) {
    if (json_equal(json_array_get(a, i), json_array_get(b, i))) continue;
    if (shown == MAX_VALUE_DIFFS) {
      more++;
      continue;
    }
    char what[32], ab[64], bb[64];
    snprintf(what, sizeof what, "index %zu", i);
    diff_line(d, item, what, scalar_text(json_array_get(a, i), ab, sizeof ab), scalar_text(json_array_get(b, i), bb, sizeof bb));
    shown++;
  }
  if (more) {
    printf("mode %s, %s: %zu more values differ\n", d->label, item, more);
    d->count++;
  }
  if (na != nb) {
    char ea[32], eb[32];
    snprintf(ea, sizeof ea, "%zu", na);
    snprintf(eb, sizeof eb, "%zu", nb);
    diff_line(d, item, "value count", ea, eb);
  }
}

static void diff_prints(diff *d, json_t *want, json_t *got) {
  size_t na = json_array_size(want), nb = json_array_size(got);
  char item[160];
  for (size_t i = 0; i < na && i < nb; i++) {
    json_t *a = json_array_get(want, i), *b = json_array_get(got, i);
    item_name(a, false, item, sizeof item);
    diff_field(d, item, a, b, "line");
    diff_field(d, item, a, b, "dtype");
    diff_field(d, item, a, b, "shape");
    diff_values(d, item, a, b);
  }
  for (size_t i = nb; i < na; i++) {
    item_name(json_array_get(want, i), false, item, sizeof item);
    diff_line(d, item, "print", "a printed tensor", "none");
  }
  for (size_t i = na; i < nb; i++) {
    item_name(json_array_get(got, i), false, item, sizeof item);
    diff_line(d, item, "print", "none", "a printed tensor");
  }
}

static int op_cmp(json_t *a, json_t *b) {
  cli_key ka = {(int)json_integer_value(json_object_get(a, "line")), json_string_value(json_object_get(a, "op")),
                (int)json_integer_value(json_object_get(a, "k"))};
  cli_key kb = {(int)json_integer_value(json_object_get(b, "line")), json_string_value(json_object_get(b, "op")),
                (int)json_integer_value(json_object_get(b, "k"))};
  if (!ka.op) ka.op = "";
  if (!kb.op) kb.op = "";
  return cli_key_cmp(&ka, &kb);
}

static void diff_op(diff *d, json_t *a, json_t *b) {
  static const char *const fields[] = {"seed", "seed2", "seed_source", "seed2_source", "counter_start", "counter_blocks"};
  char item[160];
  item_name(a, true, item, sizeof item);
  for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) diff_field(d, item, a, b, fields[f]);
  diff_values(d, item, a, b);
}

/* Both arrays are sorted by (line, op, k): a merge join. */
static void diff_ops(diff *d, json_t *want, json_t *got) {
  size_t i = 0, j = 0, na = json_array_size(want), nb = json_array_size(got);
  char item[160];
  while (i < na || j < nb) {
    int c = i == na ? 1 : j == nb ? -1 : op_cmp(json_array_get(want, i), json_array_get(got, j));
    if (c == 0) {
      diff_op(d, json_array_get(want, i++), json_array_get(got, j++));
    } else if (c < 0) {
      item_name(json_array_get(want, i++), true, item, sizeof item);
      diff_line(d, item, "execution", "a random draw", "none");
    } else {
      item_name(json_array_get(got, j++), true, item, sizeof item);
      diff_line(d, item, "execution", "none", "a random draw");
    }
  }
}

static int check_runs(json_t *golden, cli_run *runs, int n, int *ndiff) {
  for (int i = 0; i < n; i++) {
    json_t *want = json_array_get(json_object_get(golden, "runs"), (size_t)i);
    json_t *got = run_json(&runs[i]);
    if (!got) return cli_internal_error("out of memory");
    char label[32];
    diff d = {cli_run_label(&runs[i], label, sizeof label), 0};
    diff_prints(&d, json_object_get(want, "prints"), json_object_get(got, "prints"));
    diff_ops(&d, json_object_get(want, "ops"), json_object_get(got, "ops"));
    *ndiff += d.count;
    json_decref(got);
  }
  return 0;
}

static json_t *load_golden(const char *path, cli_run *runs, int *n) {
  json_error_t je;
  json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
  if (!root) {
    if (je.line > 0) cli_error("%s:%d:%d: invalid JSON: %s", path, je.line, je.column, je.text);
    else cli_error("%s: %s", path, je.text);
    return NULL;
  }
  char why[160];
  if (!golden_valid(root, why, sizeof why) || (*n = golden_runs(root, runs, why, sizeof why)) < 0) {
    cli_error("%s: %s", path, why);
    json_decref(root);
    return NULL;
  }
  return root;
}

static int check_report(const char *file, const char *golden_path, const cli_run *runs, int n, int ndiff) {
  if (ndiff) {
    printf("check: %d difference%s between %s and %s\n", ndiff, ndiff == 1 ? "" : "s", file, golden_path);
    return EXIT_MISMATCH;
  }
  int prints = 0, ops = 0;
  for (int i = 0; i < n; i++) {
    for (int k = 0; k < sf_trace_print_count(runs[i].trace); k++) prints += sf_trace_print_at(runs[i].trace, k)->ntensors;
    for (int k = 0; k < sf_trace_op_count(runs[i].trace); k++) ops += sf_trace_op_at(runs[i].trace, k)->rng.present;
  }
  printf("check: %s matches %s (%d run%s, %d printed tensors, %d random draws)\n", file, golden_path, n,
         n == 1 ? "" : "s", prints, ops);
  return 0;
}

int cmd_check(int argc, char **argv) {
  static const struct option opts[] = {{"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
    if (c == 'h') return fputs(check_help, stdout), 0;
    return cli_option_error(c, argv);
  }
  if (argc - optind != 2) return cli_usage_error(argc - optind < 2 ? "check: needs FILE and GOLDEN" : "check: too many arguments");
  const char *file = argv[optind], *golden_path = argv[optind + 1];
  cli_run runs[CLI_MAX_RUNS];
  int n = 0;
  json_t *golden = load_golden(golden_path, runs, &n);
  if (!golden) return EXIT_TROUBLE;
  sf_program *p = NULL;
  int ndiff = 0;
  int rc = cli_run_all(file, &p, runs, n);
  if (rc == 0) rc = check_runs(golden, runs, n, &ndiff);
  if (rc == 0) rc = check_report(file, golden_path, runs, n, ndiff);
  cli_runs_free(runs, n);
  sf_program_free(p);
  json_decref(golden);
  return rc;
}
