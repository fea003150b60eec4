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
    "      --entropy=N          use N where TensorFlow or NumPy would take entropy from\n"
    "                           the OS (unseeded ops, NumPy's import-time seed); without\n"
    "                           it such a program is refused, naming the line\n"
    CLI_LIMIT_HELP
    "  -h, --help               show this help and exit\n"
    "\n"
    "Exit status: 0 success, 2 invalid input or usage (an unreproducible program\n"
    "included), 3 internal failure (out of memory, GOLDEN cannot be written).\n";

static const char check_help[] =
    "Usage: seedflow check FILE GOLDEN\n"
    "Re-run FILE in every (mode, profile) that GOLDEN (written by 'seedflow record')\n"
    "holds, and compare every print and every random-op draw with it. GOLDEN is\n"
    "validated first (a malformed file is named with the JSON path of the problem);\n"
    "prints are matched by (print, item), random ops by (line, op, execution).\n"
    "Differences are listed one a line: mode, op or print, index, expected and got\n"
    "value. A GOLDEN recorded from another program says so on the first line.\n"
    "\n"
    "      --entropy=N          as given to 'seedflow record' (GOLDEN stores it)\n"
    CLI_LIMIT_HELP
    "  -h, --help               show this help and exit\n"
    "\n"
    "Exit status: 0 all draws match, 1 some differ (or GOLDEN was recorded from a\n"
    "different program), 2 invalid input or usage (unreadable or malformed FILE or\n"
    "GOLDEN), 3 internal failure.\n";

/* ---- the JSON of one run (shared by record and check) ---- */
/* Every builder returns NULL when a jansson call fails (json_pack checks each member). */

static json_t *prints_json(const sf_trace *t) {
  json_t *prints = json_array();
  for (int i = 0; prints && i < sf_trace_print_count(t); i++) {
    const sf_trace_print *p = sf_trace_print_at(t, i);
    for (int k = 0; prints && k < p->ntensors; k++) {
      const sf_tensor *x = p->tensors[k];
      json_t *o = json_pack("{s:i, s:i, s:i, s:s, s:s, s:o, s:o}", "print", i, "item", k, "line", p->line, "expr",
                            p->expr, "dtype", sf_dtype_name(x->dtype), "shape", cli_shape_json(&x->shape), "values",
                            cli_values_json(x));
      if (json_array_append_new(prints, o) != 0) json_decref(prints), prints = NULL;
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
                    "record: %s draws from NumPy's global stream, which is seeded from the OS (no np.random.seed "
                    "before it) in mode %s; call np.random.seed(N) first, or pass --entropy N", op->op, label);
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
                                 sf_version(), "file", base_name(file), "source_sha256", sha, "options", opts, "runs", arr)
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
        if (!sf_profile_from_name(optarg, &profile)) return cli_usage_error("unknown profile '%s' (tf1, tf2)", optarg);
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
  cli_run runs[CLI_MAX_RUNS];
  int n = cli_parse_runs(modes, profile, runs, CLI_MAX_RUNS);
  if (n < 0) return EXIT_TROUBLE;
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

typedef struct diff {
  const char *label;  /* "graph/tf2" */
  int count;
  int prints, ops;    /* entries present on both sides, hence compared */
} diff;

/* "op RandomStandardNormal (line 3)" or "print 1 'w' (line 4)" */
static void item_name(json_t *o, bool is_op, char *buf, size_t len) {
  int line = (int)json_integer_value(json_object_get(o, "line"));
  if (is_op) {
    int k = (int)json_integer_value(json_object_get(o, "k"));
    const char *op = json_string_value(json_object_get(o, "op"));
    if (k) snprintf(buf, len, "op %s (line %d, execution %d)", op, line, k + 1);
    else snprintf(buf, len, "op %s (line %d)", op, line);
    return;
  }
  int pr = (int)json_integer_value(json_object_get(o, "print"));
  int item = (int)json_integer_value(json_object_get(o, "item"));
  const char *expr = json_string_value(json_object_get(o, "expr"));
  if (item) snprintf(buf, len, "print %d '%s' item %d (line %d)", pr, expr, item, line);
  else snprintf(buf, len, "print %d '%s' (line %d)", pr, expr, line);
}

static void diff_line(diff *d, const char *item, const char *what, const char *expected, const char *got) {
  printf("mode %s, %s, %s: expected %s, got %s\n", d->label, item, what, expected, got);
  d->count++;
}

static const char *scalar_text(json_t *v, char *buf, size_t len) {
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
  static const char *const fields[] = {"seed", "seed2", "seed_source", "seed2_source", "counter_start", "counter_blocks"};
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
                (int)json_integer_value(json_object_get(a, "k"))};
  cli_key kb = {(int)json_integer_value(json_object_get(b, "line")), json_string_value(json_object_get(b, "op")),
                (int)json_integer_value(json_object_get(b, "k"))};
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
      diff_line(d, item, is_op ? "execution" : "print", c < 0 ? what : "none", c < 0 ? "none" : what);
    }
  }
  bool ok = a && b;
  free(a);
  free(b);
  return ok;
}

static int check_runs(json_t *golden, cli_run *runs, int n, diff *total) {
  for (int i = 0; i < n; i++) {
    json_t *want = json_array_get(json_object_get(golden, "runs"), (size_t)i);
    json_t *got = run_json(&runs[i]);
    char label[32];
    diff d = {cli_run_label(&runs[i], label, sizeof label), 0, 0, 0};
    bool ok = got && diff_list(&d, json_object_get(want, "prints"), json_object_get(got, "prints"), false) &&
              diff_list(&d, json_object_get(want, "ops"), json_object_get(got, "ops"), true);
    json_decref(got);
    if (!ok) return cli_internal_error("out of memory");
    total->count += d.count;
    total->prints += d.prints;
    total->ops += d.ops;
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

/* Exit 1 with the first line saying so when GOLDEN pins another program text or other
 * options; goldens written before the hash existed carry none and are not flagged. */
static int check_provenance(const char *file, const char *golden_path, json_t *golden, const cli_golden_opts *go) {
  const char *want = json_string_value(json_object_get(golden, "source_sha256"));
  char sha[65], opts[64];
  if (want && !cli_file_sha256(file, sha)) return cli_error("cannot read '%s': %s", file, strerror(errno));
  if (want && strcmp(want, sha) != 0) {
    printf("check: %s was recorded from a different program (sha256 %.12s..., %s has %.12s...)\n", golden_path, want,
           file, sha);
    return EXIT_MISMATCH;
  }
  const char *wopts = json_string_value(json_object_get(golden, "options"));
  options_text(go, opts, sizeof opts);
  if (wopts && strcmp(wopts, opts) != 0) {
    printf("check: %s was recorded with other options ('%s', now '%s')\n", golden_path, wopts, opts);
    return EXIT_MISMATCH;
  }
  return 0;
}

static int check_report(const char *file, const char *golden_path, int n, const diff *d) {
  if (d->count) {
    printf("check: %d difference%s between %s and %s\n", d->count, d->count == 1 ? "" : "s", file, golden_path);
    return EXIT_MISMATCH;
  }
  printf("check: %s matches %s (%d run%s, %d printed tensors, %d random draws)\n", file, golden_path, n,
         n == 1 ? "" : "s", d->prints, d->ops);
  return 0;
}

int cmd_check(int argc, char **argv) {
  static const struct option opts[] = {{"entropy", required_argument, 0, 'E'}, {"help", no_argument, 0, 'h'},
                                       CLI_LIMIT_OPTIONS, {0, 0, 0, 0}};
  cli_golden_opts go = {0};
  cli_limits lim = {0};
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
    if (c == 'h') return fputs(check_help, stdout), 0;
    if (c == CLI_OPT_TIME_LIMIT || c == CLI_OPT_MEMORY_LIMIT) {
      if (cli_limit_option(c, optarg, &lim) >= 0) return EXIT_TROUBLE;
    } else if (c != 'E') {
      return cli_option_error(c, argv);
    } else if (!parse_entropy(optarg, &go)) {
      return EXIT_TROUBLE;
    }
  }
  if (argc - optind != 2) return cli_usage_error(argc - optind < 2 ? "check: needs FILE and GOLDEN" : "check: too many arguments");
  const char *file = argv[optind], *golden_path = argv[optind + 1];
  cli_run runs[CLI_MAX_RUNS];
  int n = 0;
  json_t *golden = load_golden(golden_path, runs, &n);
  if (!golden) return EXIT_TROUBLE;
  set_entropy(runs, n, &go);
  cli_apply_limits(runs, n, &lim);
  int rc = check_provenance(file, golden_path, golden, &go);
  sf_program *p = NULL;
  diff d = {0};
  if (rc == 0) rc = cli_run_all(file, &p, runs, n);
  if (rc == 0) rc = check_runs(golden, runs, n, &d);
  if (rc == 0) rc = check_report(file, golden_path, n, &d);
  cli_runs_free(runs, n);
  sf_program_free(p);
  json_decref(golden);
  return rc;
}
