/* record.c — `seedflow record` writes every print and every random-op draw of a program,
 * per (mode, profile), to a golden JSON file (atomically); `seedflow check` re-runs the
 * program and diffs against it: exit 0 all match, 1 a difference, 2 trouble. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "svg.h"
#include "term.h"

#define MAX_VALUE_DIFFS 10 /* per print or op; the rest are counted */

static const char record_help[] =
    "Usage: seedflow record FILE -o GOLDEN [OPTION]...\n"
    "Run FILE in every given mode and write every print and every random-op draw\n"
    "(exact values, seeds and counters) to GOLDEN, a \"seedflow/1\" JSON file written\n"
    "atomically (temp file + fsync + rename; nothing is left behind on error).\n"
    "\n"
    "  -o, --output=GOLDEN      the file to write ('-' for standard output)\n"
    "      --modes=LIST         modes to record (default eager,graph,function);\n"
    "                           MODE:PROFILE pins a profile, e.g. graph:tf1,eager:tf2\n"
    "  -p, --profile=PROFILE    tf2 (default), tf1, tf2.10 or keras3, for modes without\n"
    "                           ':PROFILE'\n"
    "      --entropy=N          use N where TensorFlow or NumPy would take entropy from\n"
    "                           the OS (unseeded ops, NumPy's import-time seed); without\n"
    "                           it such a program is refused, naming the line\n"
    CLI_LIMIT_HELP
    "  -h, --help               show this help and exit\n"
    "\n"
    "Exit status: 0 success, 2 invalid input or usage (an unreproducible program\n"
    "included), 3 internal failure (out of memory, GOLDEN cannot be written).\n";

static const char check_help[] =
    "Usage: seedflow check FILE GOLDEN [OPTION]...\n"
    "Re-run FILE in every (mode, profile) that GOLDEN (written by 'seedflow record')\n"
    "holds, and compare every print and every random-op draw with it. GOLDEN is\n"
    "validated first (a malformed file is named with the JSON path of the problem);\n"
    "prints are matched by (print, item), random ops by (line, op, execution).\n"
    "The causes are listed first (a differing seed, seed2, seed source, counter or\n"
    "block count, a missing or extra print or draw), then the differing values (at\n"
    "most 10 per print or op, 20 per run; the rest are counted). A GOLDEN recorded\n"
    "from another program says so on the first line.\n"
    "\n"
    "      --update             rewrite GOLDEN from this run when anything differs\n"
    "                           (atomically, as 'seedflow record' writes it); exit 0\n"
    "  -f, --format=FORMAT      text (default), tap (TAP version 13) or junit (JUnit\n"
    "                           XML): one test per (mode, profile) run\n"
    "      --entropy=N          as given to 'seedflow record' (GOLDEN stores it)\n"
    CLI_LIMIT_HELP
    "  -h, --help               show this help and exit\n"
    "\n"
    "Exit status: 0 all draws match (or GOLDEN was updated), 1 some differ (or GOLDEN\n"
    "was recorded from a different program), 2 invalid input or usage (unreadable or\n"
    "malformed FILE or GOLDEN), 3 internal failure (out of memory, an output that\n"
    "cannot be written).\n";

/* ---- the JSON of one run (shared by record and check) ---- */
/* Every builder returns NULL when a jansson call fails (json_pack checks each member). */

static json_t *prints_json(const sf_trace *t) {
  json_t *prints = json_array();
  for (int i = 0; prints && i < sf_trace_print_count(t); i++) {
    const sf_trace_print *p = sf_trace_print_at(t, i);
    for (int k = 0; prints && k < p->ntensors; k++) {
      const sf_tensor *x = p->tensors[k];
      json_t *o = json_pack("{s:i, s:i, s:i, s:s, s:s, s:o, s:o}", "print", i + 1, "item", k + 1, "line", p->line, "expr",
                            p->expr, "dtype", sf_dtype_name(x->dtype), "shape", cli_shape_json(&x->shape), "values",
                            cli_values_json(x));
      if (json_array_append_new(prints, o) != 0) json_decref(prints), prints = NULL;
    }
  }
  return prints;
}

static json_t *op_json(const sf_trace_op *op, const cli_key *key) {
  const sf_rng_record *r = &op->rng;
  return json_pack("{s:i, s:s, s:i, s:s, s:I, s:I, s:s, s:s, s:o, s:I, s:s, s:o}", "line", key->line, "op", key->op,
                   "execution", key->k + 1, "name", op->name, "seed", (json_int_t)r->seed, "seed2", (json_int_t)r->seed2,
                   "seed_source", sf_seed_source_name(r->seed_source), "seed2_source",
                   sf_seed_source_name(r->seed2_source), "counter", cli_counter_json(r->counter), "counter_blocks",
                   (json_int_t)r->blocks, "dtype", sf_dtype_name(op->value ? op->value->dtype : SF_FLOAT32), "values",
                   cli_values_json(op->value));
}

static json_t *ops_json(const sf_trace *t) {
  int *idx;
  cli_key *keys;
  int n = cli_random_ops(t, &idx, &keys);
  json_t *ops = idx ? json_array() : NULL;
  for (int i = 0; ops && i < n; i++)
    if (json_array_append_new(ops, op_json(sf_trace_op_at(t, idx[i]), &keys[i])) != 0) json_decref(ops), ops = NULL;
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

/* The options that change draws, as the golden stores them ("" when none). */
static void options_text(const cli_golden_opts *o, char *buf, size_t len) {
  if (o->has_entropy) snprintf(buf, len, "--entropy=%" PRIu64, o->entropy);
  else snprintf(buf, len, "%s", "");
}

/* --entropy N: a decimal 64-bit number. */
static bool parse_entropy(const char *s, cli_golden_opts *go) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (!*s || *end || errno || *s == '-') {
    cli_usage_error("--entropy needs a number from 0 to 18446744073709551615, got '%s'", s);
    return false;
  }
  go->has_entropy = true;
  go->entropy = v;
  return true;
}

static void set_entropy(cli_run *runs, int n, const cli_golden_opts *go) {
  for (int i = 0; i < n; i++) {
    runs[i].fixed_entropy = go->has_entropy;
    runs[i].entropy = go->entropy;
  }
}

/* ---- record ---- */

/* A golden of draws seeded from the OS would fail its first check: the first such draw
 * (unseeded TF op, NumPy's global stream before np.random.seed) is a located error. */
static int refuse_unreproducible(const char *file, const sf_program *p, const cli_run *runs, int n) {
  for (int i = 0; i < n; i++)
    for (int k = 0; k < sf_trace_op_count(runs[i].trace); k++) {
      const sf_trace_op *op = sf_trace_op_at(runs[i].trace, k);
      if (!op->rng.present || (op->rng.seed_source != SF_SEED_OS_ENTROPY && op->rng.seed2_source != SF_SEED_OS_ENTROPY))
        continue;
      char label[32];
      sf_error err = {0};
      cli_run_label(&runs[i], label, sizeof label);
      if (op->rng.stream == SF_STREAM_MT19937)
        sf_error_at(&err, op->line, 1, SF_EDETERMINISM,
                    "record: %s draws from a NumPy legacy stream seeded from the OS (the global one before any "
                    "np.random.seed, or a RandomState made without a seed) in mode %s; seed it (np.random.seed(N), "
                    "np.random.RandomState(N)), or pass --entropy N", op->op, label);
      else if (op->rng.generator >= 0)
        sf_error_at(&err, op->line, 1, SF_EDETERMINISM,
                    "record: %s draws from a tf.random.Generator whose state came from the OS "
                    "(from_non_deterministic_state) in mode %s; use Generator.from_seed(N), or pass --entropy N", op->op, label);
      else
        sf_error_at(&err, op->line, 1, SF_EDETERMINISM,
                    "record: %s has no seed, so TensorFlow seeds it from the OS, in mode %s; set "
                    "tf.random.set_seed(N) or the op's seed=N, or pass --entropy N", op->op, label);
      return cli_report(p, file, &err);
    }
  return 0;
}

static int record_write(const char *file, const char *out_path, const cli_run *runs, int n, const cli_golden_opts *go) {
  char sha[65], opts[64];
  if (!cli_file_sha256(file, sha)) return cli_error("cannot read '%s': %s", file, strerror(errno));
  options_text(go, opts, sizeof opts);
  json_t *arr = json_array();
  for (int i = 0; arr && i < n; i++)
    if (json_array_append_new(arr, run_json(&runs[i])) != 0) json_decref(arr), arr = NULL;
  json_t *root = arr ? json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "format", CLI_GOLDEN_FORMAT, "seedflow",
                                 sf_version(), "file", cli_json_name(base_name(file)), "source_sha256", sha, "options", opts, "runs", arr)
                     : NULL;
  char *text = root ? json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
  json_decref(root);
  if (!text) return cli_internal_error("cannot encode the golden file as JSON (out of memory)");
  cli_out out;
  int rc = 0;
  size_t len = strlen(text);
  if (!cli_out_open(&out, out_path)) {
    rc = EXIT_TROUBLE;
  } else if (errno = 0, fwrite(text, 1, len, out.f) != len || fputc('\n', out.f) == EOF) {
    int e = errno ? errno : EIO; /* caught here: a later fflush would have lost errno */
    if (out.path) rc = cli_internal_error("cannot write '%s': %s", out_path, strerror(e));
    else rc = cli_internal_error("cannot write to standard output: %s", strerror(e));
    cli_out_abort(&out);
  } else {
    rc = cli_out_commit(&out);
  }
  free(text);
  return rc;
}

int cmd_record(int argc, char **argv) {
  static const struct option opts[] = {{"output", required_argument, 0, 'o'}, {"modes", required_argument, 0, 'M'},
                                       {"profile", required_argument, 0, 'p'}, {"entropy", required_argument, 0, 'E'},
                                       {"help", no_argument, 0, 'h'},           CLI_LIMIT_OPTIONS,
                                       {0, 0, 0, 0}};
  cli_limits lim = {0};
  const char *out = NULL, *modes = "eager,graph,function";
  sf_profile profile = SF_PROFILE_TF2;
  cli_golden_opts go = {0};
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, ":o:p:h", opts, NULL)) != -1) {
    switch (c) {
      case 'o': out = optarg; break;
      case 'M': modes = optarg; break;
      case 'p':
        if (!sf_profile_from_name(optarg, &profile))
          return cli_usage_error("unknown profile '%s' (tf1, tf2, tf2.10, keras3)", optarg);
        break;
      case 'E':
        if (!parse_entropy(optarg, &go)) return EXIT_TROUBLE;
        break;
      case 'h': fputs(record_help, stdout); return 0;
      case CLI_OPT_TIME_LIMIT:
      case CLI_OPT_MEMORY_LIMIT:
        if (cli_limit_option(c, optarg, &lim) >= 0) return EXIT_TROUBLE;
        break;
      default: return cli_option_error(c, argv);
    }
  }
  if (optind + 1 != argc) return cli_usage_error(optind == argc ? "record: missing FILE" : "record: too many arguments");
  if (!out) return cli_usage_error("record: missing -o GOLDEN");
  cli_run runs[CLI_MAX_RUNS] = {0};
  int n = cli_parse_runs(modes, profile, 0, runs, CLI_MAX_RUNS);
  if (n < 0) return EXIT_TROUBLE;
  for (int i = 0; i < n; i++) /* a golden file names profiles only: their newest rules */
    if (runs[i].keras_version)
      return cli_usage_error("record: a golden file stores profiles (tf1, tf2, tf2.10, keras3), not a Keras version");
  set_entropy(runs, n, &go);
  cli_apply_limits(runs, n, &lim);
  sf_program *p = NULL;
  int rc = cli_run_all(argv[optind], &p, runs, n);
  if (rc == 0 && !go.has_entropy) rc = refuse_unreproducible(argv[optind], p, runs, n);
  if (rc == 0) rc = record_write(argv[optind], out, runs, n, &go);
  cli_runs_free(runs, n);
  sf_program_free(p);
  return rc;
}

/* ---- check: the diff, entries matched by key ---- */

enum { RUN_VALUE_LINES = 20 }; /* value lines listed per run; the rest are counted */

/* The differences of one run, as lines: the causes (seeds, seed sources, counters,
 * missing or extra entries, dtype/shape/value count) apart from the differing values,
 * so that every report lists the causes first. */
typedef struct diff {
  const char *label;  /* "graph/tf2" */
  int causes, values; /* differing fields and entries; differing values */
  int listed;         /* value lines listed */
  int prints, ops;    /* entries present on both sides, hence compared */
  FILE *cause_f, *value_f;
  char *cause_text, *value_text;
  size_t cause_len, value_len;
} diff;

static bool diff_open(diff *d, const char *label) {
  *d = (diff){.label = label};
  d->cause_f = open_memstream(&d->cause_text, &d->cause_len);
  d->value_f = open_memstream(&d->value_text, &d->value_len);
  return d->cause_f && d->value_f;
}

/* Closes the line buffers; false when one could not be written (out of memory). */
static bool diff_close(diff *d) {
  bool ok = true;
  FILE *f[2] = {d->cause_f, d->value_f};
  for (int i = 0; i < 2; i++)
    if (f[i]) { /* both checked, both closed */
      bool written = !ferror(f[i]);
      ok = (fclose(f[i]) == 0) && written && ok;
    }
  d->cause_f = d->value_f = NULL;
  return ok && d->cause_text && d->value_text;
}

static void diff_free(diff *d) {
  diff_close(d);
  free(d->cause_text);
  free(d->value_text);
}

/* "op RandomStandardNormal (line 3)" or "print 1 'w' (line 4)" */
static void item_name(json_t *o, bool is_op, char *buf, size_t len) {
  int line = (int)json_integer_value(json_object_get(o, "line"));
  if (is_op) {
    int k = (int)json_integer_value(json_object_get(o, "execution"));
    const char *op = json_string_value(json_object_get(o, "op"));
    if (k > 1) snprintf(buf, len, "op %s (line %d, execution %d)", op, line, k);
    else snprintf(buf, len, "op %s (line %d)", op, line);
    return;
  }
  int pr = (int)json_integer_value(json_object_get(o, "print"));
  int item = (int)json_integer_value(json_object_get(o, "item"));
  const char *expr = json_string_value(json_object_get(o, "expr"));
  if (item > 1) snprintf(buf, len, "print %d '%s' item %d (line %d)", pr, expr, item, line);
  else snprintf(buf, len, "print %d '%s' (line %d)", pr, expr, line);
}

static void cause_line(diff *d, const char *item, const char *what, const char *expected, const char *got) {
  fprintf(d->cause_f, "mode %s, %s, %s: expected %s, got %s\n", d->label, item, what, expected, got);
  d->causes++;
}

/* A field or value as text; a float32 value (dtype float32) as its %.9g. */
static const char *value_text(json_t *v, const char *dtype, char *buf, size_t len) {
  if (json_is_real(v) && dtype && !strcmp(dtype, "float32")) return snprintf(buf, len, "%.9g", (float)json_real_value(v)), buf;
  if (json_is_real(v)) return snprintf(buf, len, "%.17g", json_real_value(v)), buf;
  if (json_is_string(v)) return json_string_value(v);
  char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
  snprintf(buf, len, "%s", s ? s : "(cannot encode)");
  free(s);
  return buf;
}

static void diff_field(diff *d, const char *item, json_t *want, json_t *got, const char *field) {
  json_t *a = json_object_get(want, field), *b = json_object_get(got, field);
  if (json_equal(a, b)) return;
  char ab[128], bb[128];
  cause_line(d, item, field, value_text(a, NULL, ab, sizeof ab), value_text(b, NULL, bb, sizeof bb));
}

static void diff_values(diff *d, const char *item, json_t *want, json_t *got) {
  json_t *a = json_object_get(want, "values"), *b = json_object_get(got, "values");
  size_t na = json_array_size(a), nb = json_array_size(b), n = na < nb ? na : nb;
  int shown = 0;
  for (size_t i = 0; i < n; i++) {
    if (json_equal(json_array_get(a, i), json_array_get(b, i))) continue;
    d->values++;
    if (shown == MAX_VALUE_DIFFS || d->listed == RUN_VALUE_LINES) continue;
    char ab[64], bb[64];
    const char *dt = json_string_value(json_object_get(want, "dtype"));
    fprintf(d->value_f, "mode %s, %s, index %zu: expected %s, got %s\n", d->label, item, i,
            value_text(json_array_get(a, i), dt, ab, sizeof ab), value_text(json_array_get(b, i), dt, bb, sizeof bb));
    shown++;
    d->listed++;
  }
  if (na != nb) {
    char ea[32], eb[32];
    snprintf(ea, sizeof ea, "%zu", na);
    snprintf(eb, sizeof eb, "%zu", nb);
    cause_line(d, item, "value count", ea, eb);
  }
}

static void diff_print(diff *d, json_t *a, json_t *b) {
  char item[160];
  item_name(a, false, item, sizeof item);
  diff_field(d, item, a, b, "line");
  diff_field(d, item, a, b, "dtype");
  diff_field(d, item, a, b, "shape");
  diff_values(d, item, a, b);
  d->prints++;
}

static void diff_op(diff *d, json_t *a, json_t *b) {
  static const char *const fields[] = {"seed", "seed2", "seed_source", "seed2_source", "counter", "counter_blocks", "dtype"};
  char item[160];
  item_name(a, true, item, sizeof item);
  for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) diff_field(d, item, a, b, fields[f]);
  diff_values(d, item, a, b);
  d->ops++;
}

static int print_cmp(const void *pa, const void *pb) {
  json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
  json_int_t x[2] = {json_integer_value(json_object_get(a, "print")), json_integer_value(json_object_get(a, "item"))};
  json_int_t y[2] = {json_integer_value(json_object_get(b, "print")), json_integer_value(json_object_get(b, "item"))};
  return x[0] != y[0] ? (x[0] < y[0] ? -1 : 1) : (x[1] > y[1]) - (x[1] < y[1]);
}

static int op_cmp(const void *pa, const void *pb) {
  json_t *a = *(json_t *const *)pa, *b = *(json_t *const *)pb;
  cli_key ka = {(int)json_integer_value(json_object_get(a, "line")), json_string_value(json_object_get(a, "op")),
                (int)json_integer_value(json_object_get(a, "execution"))};
  cli_key kb = {(int)json_integer_value(json_object_get(b, "line")), json_string_value(json_object_get(b, "op")),
                (int)json_integer_value(json_object_get(b, "execution"))};
  return cli_key_cmp(&ka, &kb);
}

/* The entries of arr sorted by key (malloc'd; NULL on allocation failure). */
static json_t **sorted(json_t *arr, int (*cmp)(const void *, const void *)) {
  size_t n = json_array_size(arr);
  json_t **v = malloc((n ? n : 1) * sizeof *v);
  for (size_t i = 0; v && i < n; i++) v[i] = json_array_get(arr, i);
  if (v) qsort(v, n, sizeof *v, cmp);
  return v;
}

/* Golden entries and fresh ones, matched by key (a merge join of both sorted lists):
 * the order in the file does not matter, a missing or extra entry is one difference. */
static bool diff_list(diff *d, json_t *want, json_t *got, bool is_op) {
  int (*cmp)(const void *, const void *) = is_op ? op_cmp : print_cmp;
  json_t **a = sorted(want, cmp), **b = sorted(got, cmp);
  size_t i = 0, j = 0, na = json_array_size(want), nb = json_array_size(got);
  char item[160];
  while (a && b && (i < na || j < nb)) {
    int c = i == na ? 1 : j == nb ? -1 : cmp(&a[i], &b[j]);
    if (c == 0) {
      if (is_op) diff_op(d, a[i++], b[j++]);
      else diff_print(d, a[i++], b[j++]);
    } else {
      item_name(c < 0 ? a[i++] : b[j++], is_op, item, sizeof item);
      const char *what = is_op ? "a random draw" : "a printed tensor";
      cause_line(d, item, is_op ? "execution" : "print", c < 0 ? what : "none", c < 0 ? "none" : what);
    }
  }
  bool ok = a && b;
  free(a);
  free(b);
  return ok;
}

/* Diffs every run into d[0..n); the ops (where causes live) before the prints. */
static int check_runs(json_t *golden, cli_run *runs, int n, diff *d, char (*labels)[32]) {
  for (int i = 0; i < n; i++) {
    json_t *want = json_array_get(json_object_get(golden, "runs"), (size_t)i);
    json_t *got = run_json(&runs[i]);
    bool ok = diff_open(&d[i], cli_run_label(&runs[i], labels[i], sizeof labels[i])) && got &&
              diff_list(&d[i], json_object_get(want, "ops"), json_object_get(got, "ops"), true) &&
              diff_list(&d[i], json_object_get(want, "prints"), json_object_get(got, "prints"), false);
    json_decref(got);
    if (!diff_close(&d[i]) || !ok) return cli_internal_error("out of memory");
  }
  return 0;
}

static json_t *load_golden(const char *path, cli_run *runs, int *n) {
  json_error_t je;
  FILE *f = fopen(path, "rb");
  struct stat st;
  if (!f || (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode) && (errno = EISDIR))) {
    cli_error("cannot read '%s': %s", path, strerror(errno));
    if (f) fclose(f);
    return NULL;
  }
  json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
  fclose(f);
  if (!root) {
    if (je.line > 0) cli_error("%s:%d:%d: invalid JSON: %s", path, je.line, je.column, je.text);
    else cli_error("%s: %s", path, je.text);
    return NULL;
  }
  char why[512];
  if ((*n = cli_golden_validate(root, runs, why, sizeof why)) < 0) {
    cli_error("%s: %s", path, why);
    json_decref(root);
    return NULL;
  }
  return root;
}

/* Why GOLDEN does not pin this program ("" when it does): another program text or other
 * options; goldens written before the hash existed carry none and are not flagged.
 * Returns 0, or EXIT_TROUBLE when FILE cannot be read. */
static int check_provenance(const char *file, const char *golden_path, json_t *golden, const cli_golden_opts *go,
                            char *why, size_t len) {
  const char *want = json_string_value(json_object_get(golden, "source_sha256"));
  char sha[65], opts[64];
  why[0] = '\0';
  if (want && !cli_file_sha256(file, sha)) return cli_error("cannot read '%s': %s", file, strerror(errno));
  const char *wopts = json_string_value(json_object_get(golden, "options"));
  options_text(go, opts, sizeof opts);
  if (want && strcmp(want, sha) != 0)
    snprintf(why, len, "%s was recorded from a different program (sha256 %.12s..., %s has %.12s...)", golden_path,
             want, file, sha);
  else if (wopts && strcmp(wopts, opts) != 0)
    snprintf(why, len, "%s was recorded with other options ('%s', now '%s')", golden_path, wopts, opts);
  return 0;
}

/* ---- check: the report, as text, TAP or JUnit XML ---- */

typedef enum check_format { FORMAT_TEXT, FORMAT_TAP, FORMAT_JUNIT } check_format;

typedef struct check_result {
  const char *file, *golden;
  const char *provenance; /* "" or why GOLDEN pins another program (then nothing was run) */
  const diff *d;
  int n;
} check_result;

static int differences(const diff *d) { return d->causes + d->values; }

static void count_line(FILE *f, const char *prefix, const diff *d) {
  if (d->values > d->listed)
    fprintf(f, "%smode %s: %d more differing values not listed\n", prefix, d->label, d->values - d->listed);
}

/* Every line of text with prefix before it. */
static void prefixed(FILE *f, const char *prefix, const char *text) {
  for (const char *s = text; *s;) {
    const char *e = strchr(s, '\n');
    size_t len = e ? (size_t)(e - s) : strlen(s);
    fprintf(f, "%s%.*s\n", prefix, (int)len, s);
    s += len + (e != NULL);
  }
}

static void report_text(const check_result *r, int total) {
  if (*r->provenance) {
    printf("check: %s\n", r->provenance);
    return;
  }
  for (int i = 0; i < r->n; i++) fputs(r->d[i].cause_text, stdout);
  for (int i = 0; i < r->n; i++) fputs(r->d[i].value_text, stdout), count_line(stdout, "", &r->d[i]);
  if (total) {
    printf("check: %d difference%s between %s and %s\n", total, total == 1 ? "" : "s", r->file, r->golden);
    return;
  }
  int prints = 0, ops = 0;
  for (int i = 0; i < r->n; i++) prints += r->d[i].prints, ops += r->d[i].ops;
  printf("check: %s matches %s (%d run%s, %d printed tensors, %d random draws)\n", r->file, r->golden, r->n,
         r->n == 1 ? "" : "s", prints, ops);
}

static void report_tap(const check_result *r) {
  puts("TAP version 13");
  if (*r->provenance) {
    printf("1..1\nnot ok 1 - %s\n", r->provenance);
    return;
  }
  printf("1..%d\n", r->n);
  for (int i = 0; i < r->n; i++) {
    const diff *d = &r->d[i];
    int k = differences(d);
    if (!k) {
      printf("ok %d - %s: %d printed tensors, %d random draws match\n", i + 1, d->label, d->prints, d->ops);
      continue;
    }
    printf("not ok %d - %s: %d difference%s\n", i + 1, d->label, k, k == 1 ? "" : "s");
    prefixed(stdout, "# ", d->cause_text);
    prefixed(stdout, "# ", d->value_text);
    count_line(stdout, "# ", d);
  }
}

static void junit_failure(const char *message, const diff *d) {
  fputs("      <failure type=\"difference\" message=\"", stdout);
  svg_escape(stdout, message);
  fputs("\">", stdout);
  if (d) {
    svg_escape(stdout, d->cause_text);
    svg_escape(stdout, d->value_text);
    char *more = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&more, &len);
    if (m) count_line(m, "", d), fclose(m);
    if (more) svg_escape(stdout, more);
    free(more);
  }
  fputs("</failure>\n", stdout);
}

static void report_junit(const check_result *r, int failed) {
  int tests = *r->provenance ? 1 : r->n;
  puts("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
  printf("<testsuites name=\"seedflow check\" tests=\"%d\" failures=\"%d\" errors=\"0\">\n", tests, failed);
  fputs("  <testsuite name=\"", stdout);
  svg_escape(stdout, cli_json_name(r->file)); /* UTF-8, as the declaration says */
  printf("\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"0\">\n", tests, failed);
  for (int i = 0; i < tests; i++) {
    const char *name = *r->provenance ? "provenance" : r->d[i].label;
    fputs("    <testcase classname=\"", stdout);
    svg_escape(stdout, cli_json_name(r->golden));
    printf("\" name=\"%s\"", name);
    if (*r->provenance) {
      puts(">");
      junit_failure(r->provenance, NULL);
      puts("    </testcase>");
      continue;
    }
    int k = differences(&r->d[i]);
    if (!k) {
      puts("/>");
      continue;
    }
    char msg[64];
    snprintf(msg, sizeof msg, "%d difference%s", k, k == 1 ? "" : "s");
    puts(">");
    junit_failure(msg, &r->d[i]);
    puts("    </testcase>");
  }
  puts("  </testsuite>\n</testsuites>");
}

/* Prints the report; returns 0 when everything matches, else EXIT_MISMATCH. */
static int check_report(const check_result *r, check_format fmt) {
  int total = 0, failed = 0;
  for (int i = 0; i < r->n && !*r->provenance; i++) total += differences(&r->d[i]), failed += differences(&r->d[i]) > 0;
  if (*r->provenance) failed = 1;
  if (fmt == FORMAT_TAP) report_tap(r);
  else if (fmt == FORMAT_JUNIT) report_junit(r, failed);
  else report_text(r, total);
  return failed ? EXIT_MISMATCH : 0;
}

typedef struct check_args {
  const char *file, *golden;
  cli_golden_opts go;
  cli_limits lim;
  check_format format;
  bool update;
} check_args;

/* Returns -1 when the arguments are good, else the exit status. */
static int check_parse(int argc, char **argv, check_args *a) {
  static const struct option opts[] = {{"entropy", required_argument, 0, 'E'}, {"update", no_argument, 0, 'U'},
                                       {"format", required_argument, 0, 'f'},  {"help", no_argument, 0, 'h'},
                                       CLI_LIMIT_OPTIONS,                      {0, 0, 0, 0}};
  static const char *const formats[] = {[FORMAT_TEXT] = "text", [FORMAT_TAP] = "tap", [FORMAT_JUNIT] = "junit"};
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, ":f:h", opts, NULL)) != -1) {
    if (c == 'h') return fputs(check_help, stdout), 0;
    if (c == CLI_OPT_TIME_LIMIT || c == CLI_OPT_MEMORY_LIMIT) {
      if (cli_limit_option(c, optarg, &a->lim) >= 0) return EXIT_TROUBLE;
    } else if (c == 'U') {
      a->update = true;
    } else if (c == 'f') {
      int k = 0;
      while (k < 3 && strcmp(optarg, formats[k]) != 0) k++;
      if (k == 3) return cli_usage_error("unknown format '%s' (text, tap, junit)", optarg);
      a->format = (check_format)k;
    } else if (c != 'E') {
      return cli_option_error(c, argv);
    } else if (!parse_entropy(optarg, &a->go)) {
      return EXIT_TROUBLE;
    }
  }
  if (argc - optind != 2) return cli_usage_error(argc - optind < 2 ? "check: needs FILE and GOLDEN" : "check: too many arguments");
  if (a->update && a->format != FORMAT_TEXT) return cli_usage_error("check: --update reports as text only (no --format)");
  a->file = argv[optind];
  a->golden = argv[optind + 1];
  return -1;
}

/* --update: GOLDEN rewritten from this run (atomically) when anything differs. */
static int check_update(const check_args *a, const cli_run *runs, int n, const check_result *r) {
  int total = 0;
  for (int i = 0; i < n; i++) total += differences(&r->d[i]);
  if (!total && !*r->provenance) return check_report(r, FORMAT_TEXT);
  if (*r->provenance) printf("check: %s\n", r->provenance);
  else report_text(r, total);
  int rc = record_write(a->file, a->golden, runs, n, &a->go);
  if (rc == 0) printf("check: updated %s\n", a->golden);
  return rc;
}

int cmd_check(int argc, char **argv) {
  check_args a = {0};
  int rc = check_parse(argc, argv, &a);
  if (rc >= 0) return rc;
  if (a.format != FORMAT_TEXT) term_capture_raw();
  cli_run runs[CLI_MAX_RUNS] = {0};
  int n = 0;
  json_t *golden = load_golden(a.golden, runs, &n);
  if (!golden) return EXIT_TROUBLE;
  set_entropy(runs, n, &a.go);
  cli_apply_limits(runs, n, &a.lim);
  char why[1024];
  rc = check_provenance(a.file, a.golden, golden, &a.go, why, sizeof why);
  sf_program *p = NULL;
  diff d[CLI_MAX_RUNS] = {0};
  char labels[CLI_MAX_RUNS][32];
  check_result r = {a.file, a.golden, why, d, n};
  /* An update re-runs whatever GOLDEN pinned; a plain check of another program stops here. */
  if (rc == 0 && (!*why || a.update)) rc = cli_run_all(a.file, &p, runs, n);
  if (rc == 0 && (!*why || a.update)) rc = check_runs(golden, runs, n, d, labels);
  if (rc == 0) rc = a.update ? check_update(&a, runs, n, &r) : check_report(&r, a.format);
  for (int i = 0; i < n; i++) diff_free(&d[i]);
  cli_runs_free(runs, n);
  sf_program_free(p);
  json_decref(golden);
  return rc;
}
