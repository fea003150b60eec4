/* explain.c — `seedflow explain FILE`: for every random op execution of one run, in plain
 * words: its seed pair and where each came from (tf-random-semantics.md §5), the Philox
 * counter range, its schedule position, and why the other modes draw different numbers. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "term.h"

static const char explain_help[] =
    "Usage: seedflow explain FILE [OPTION]...\n"
    "Run FILE ('-': standard input) in one mode and explain every random op execution\n"
    "in plain words: its seed pair and where each seed came from, the counter range\n"
    "it consumed, its schedule position, and why the other modes draw different\n"
    "numbers.\n"
    "\n"
    "  -m, --mode=MODE          eager, graph or function (default: eager, graph with\n"
    "                           --tf 1.x, or the mode the program switches to first)\n"
    "  -p, --profile=PROFILE    tf2 (TF 2.2-2.9, default), tf1 (TF 1.x, 2.0, 2.1), tf2.10\n"
    "                           (TF 2.10-2.15) or keras3 (TF 2.16+ with Keras 3)\n"
    "      --tf=VERSION         the profile of a TensorFlow version: 1.15, 2.1, 2.9...\n"
    "      --keras=VERSION      the profile of a Keras version: 2.12 (tf2.10), 3.4 (keras3)\n"
    "  -f, --format=FORMAT      text (default) or json: the run's random ops with the\n"
    "                           same words (docs/json-schema.md)\n"
    CLI_LIMIT_HELP
    "  -h, --help               show this help and exit\n"
    "\n"
    "Exit status: 0 success, 2 invalid input or usage, 3 internal failure.\n";

static const char *ordinal(int64_t n, char *buf, size_t len) {
  static const char *const words[] = {"first", "second", "third", "fourth", "fifth",
                                      "sixth", "seventh", "eighth", "ninth", "tenth"};
  if (n >= 1 && n <= 10) return words[n - 1];
  const char *suf = n % 100 >= 11 && n % 100 <= 13 ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
  snprintf(buf, len, "%" PRId64 "%s", n, suf);
  return buf;
}

/* "because …" form: why this value, the rule that produced it. */
static void reason(const sf_rng_record *r, int which, char *buf, size_t len) {
  sf_seed_source s = which ? r->seed2_source : r->seed_source;
  int64_t d = which ? r->seed2_detail : r->seed_detail;
  char ob[24];
  switch (s) {
    case SF_SEED_GLOBAL: snprintf(buf, len, "it is the global seed (tf.random.set_seed)"); break;
    case SF_SEED_OP: snprintf(buf, len, "the op passes seed=%" PRId64 " itself", which ? r->seed2 : r->seed); break;
    case SF_SEED_DEFAULT_GRAPH: snprintf(buf, len, "an op seed without a global seed takes DEFAULT_GRAPH_SEED 87654321"); break;
    case SF_SEED_NODE_ID: snprintf(buf, len, "TF1 uses the graph's op count (graph._last_id)"); break;
    case SF_SEED_GRAPH_COUNTER: snprintf(buf, len, "TF >= 2.2 graphs count unseeded random ops (_graph_to_seed_dict)"); break;
    case SF_SEED_EAGER_STREAM:
      snprintf(buf, len, "eager takes the %s draw of Python's random.Random(%" PRId64 ")", ordinal(d + 1, ob, sizeof ob), r->seed);
      break;
    case SF_SEED_OS_ENTROPY: snprintf(buf, len, "no seed is set at all, so the kernel seeds itself from the OS"); break;
    case SF_SEED_ZERO_FIX: snprintf(buf, len, "get_seed replaces the pair (0, 0), which means 'nondeterministic', by (0, 2**31-1)"); break;
    case SF_SEED_STATELESS:
      snprintf(buf, len, "it is part of the stateless seed [%" PRId64 ", %" PRId64 "] the call passes", r->seed, r->seed2);
      break;
    case SF_SEED_PY_RANDOM:
      snprintf(buf, len, "Keras drew it from Python's random: python-random draw %" PRId64 " (random.randint(1, 10**9), "
               "counted from the last seeding)", d);
      break;
    case SF_SEED_SEED_GENERATOR:
      snprintf(buf, len, "it is Keras 3's SeedGenerator state [%" PRId64 ", %" PRId64 "], which every draw advances", r->seed,
               r->seed2_detail);
      break;
    default: snprintf(buf, len, "the op has no seed attribute"); break;
  }
}

/* "it is …" form: what the other mode uses instead, with its value. */
static void noun(const sf_rng_record *r, int which, char *buf, size_t len) {
  sf_seed_source s = which ? r->seed2_source : r->seed_source;
  int64_t d = which ? r->seed2_detail : r->seed_detail, v = which ? r->seed2 : r->seed;
  char ob[24];
  switch (s) {
    case SF_SEED_GLOBAL: snprintf(buf, len, "the global seed, %" PRId64, v); break;
    case SF_SEED_OP: snprintf(buf, len, "the op's own seed, %" PRId64, v); break;
    case SF_SEED_DEFAULT_GRAPH: snprintf(buf, len, "DEFAULT_GRAPH_SEED 87654321"); break;
    case SF_SEED_NODE_ID: snprintf(buf, len, "the graph's op count, graph._last_id = %" PRId64, d); break;
    case SF_SEED_GRAPH_COUNTER: snprintf(buf, len, "the per-graph counter of unseeded random ops, %" PRId64, d); break;
    case SF_SEED_EAGER_STREAM:
      snprintf(buf, len, "the %s draw of Python's random.Random(%" PRId64 ") (%" PRId64 ")", ordinal(d + 1, ob, sizeof ob),
               r->seed, v);
      break;
    case SF_SEED_OS_ENTROPY: snprintf(buf, len, "drawn from the OS"); break;
    case SF_SEED_ZERO_FIX: snprintf(buf, len, "2**31-1, the (0, 0) fix"); break;
    case SF_SEED_STATELESS: snprintf(buf, len, "part of the stateless seed [%" PRId64 ", %" PRId64 "], %" PRId64, r->seed, r->seed2, v); break;
    case SF_SEED_PY_RANDOM: snprintf(buf, len, "python-random draw %" PRId64 " (%" PRId64 ")", d, v); break;
    case SF_SEED_SEED_GENERATOR:
      snprintf(buf, len, "SeedGenerator state [%" PRId64 ", %" PRId64 "] (%" PRId64 ")", r->seed, r->seed2_detail, v);
      break;
    default: snprintf(buf, len, "not a seed attribute"); break;
  }
}

void cli_seed_words(const sf_rng_record *r, int which, char *buf, size_t len) {
  sf_seed_source s = which ? r->seed2_source : r->seed_source;
  int64_t d = which ? r->seed2_detail : r->seed_detail;
  char why[200];
  reason(r, which, why, sizeof why);
  if (s == SF_SEED_NODE_ID)
    snprintf(buf, len, "%s: %" PRId64 " ops were in the graph when the seed was derived", why, d);
  else if (s == SF_SEED_GRAPH_COUNTER)
    snprintf(buf, len, "%s: this is unseeded random op %" PRId64 " of its graph, counting from 0", why, d);
  else if (s == SF_SEED_EAGER_STREAM)
    snprintf(buf, len, "%s.randint(0, 2**31-1) (context.internal_operation_seed)", why);
  else
    snprintf(buf, len, "%s", why);
}

static uint64_t block_of(const sf_rng_record *r) { return (uint64_t)r->counter[0] | (uint64_t)r->counter[1] << 32; }

static void seed_cause(const sf_rng_record *a, const char *alabel, const sf_rng_record *b, const char *blabel,
                       int which, char *buf, size_t len) {
  char why[200], what[160];
  reason(a, which, why, sizeof why);
  noun(b, which, what, sizeof what);
  snprintf(buf, len, "%s = %" PRId64 " %s%s because %s; in %s it is %s", which ? "seed2" : "seed",
           which ? a->seed2 : a->seed, alabel ? "in " : "", alabel ? alabel : "here", why, blabel, what);
}

void cli_cause_words(const sf_rng_record *a, const char *alabel, const sf_rng_record *b, const char *blabel,
                     char *buf, size_t len) {
  const char *here = alabel ? alabel : "here";
  buf[0] = '\0';
  if (a->stream == SF_STREAM_MT19937) {
    if (a->mt_position != b->mt_position)
      snprintf(buf, len, "NumPy's global stream had given %" PRIu64 " draws before this op %s%s but %" PRIu64 " in %s (execution order)",
               a->mt_position, alabel ? "in " : "", here, b->mt_position, blabel);
    return;
  }
  if (a->generator >= 0) {
    if (memcmp(a->counter, b->counter, sizeof a->counter) != 0)
      snprintf(buf, len, "the op shares tf.random.Generator %d's stream: it starts at counter %" PRIu64 " %s%s but at %" PRIu64
               " in %s, because the ops sharing the generator ran in a different order (execution order)",
               a->generator, block_of(a), alabel ? "in " : "", here, block_of(b), blabel);
    return;
  }
  if (a->seed != b->seed) seed_cause(a, alabel, b, blabel, 0, buf, len);
  else if (a->seed2 != b->seed2) seed_cause(a, alabel, b, blabel, 1, buf, len);
  else if (memcmp(a->key, b->key, sizeof a->key) != 0 || memcmp(a->counter, b->counter, sizeof a->counter) != 0)
    snprintf(buf, len, "same seeds, other kernel state: the counter starts at block %" PRIu64 " %s%s and at block %" PRIu64
             " in %s (a kernel that ran before continues its counter, N*256 blocks per call)", block_of(a),
             alabel ? "in " : "", here, block_of(b), blabel);
}

void cli_value_cause(const sf_trace_op *a, const char *alabel, const sf_trace_op *b, const char *blabel, char *buf,
                     size_t len) {
  const char *here = alabel ? alabel : "here";
  const sf_tensor *x = a->value, *y = b->value;
  char xs[64], ys[64];
  if (x && y && (x->dtype != y->dtype || !sf_shape_equal(&x->shape, &y->shape)))
    snprintf(buf, len, "same seeds and counter, but this execution draws %s %s %s%s and %s %s in %s: the line's calls "
             "ran in another order, so this execution is another call in each (a layer built at its first call, say)",
             sf_dtype_name(x->dtype), sf_shape_str(&x->shape, xs, sizeof xs), alabel ? "in " : "", here,
             sf_dtype_name(y->dtype), sf_shape_str(&y->shape, ys, sizeof ys), blabel);
  else
    snprintf(buf, len, "same seeds, counter and shape %s%s and in %s: the op's other attributes differ (an integer "
             "range, say)", alabel ? "in " : "", here, blabel);
}

/* ---- the command ---- */

static void explain_counter(const sf_rng_record *r) {
  if (r->stream == SF_STREAM_MT19937) {
    printf("  stream:  NumPy's global MT19937 stream, words %" PRIu64 "..%" PRIu64 " (%" PRIu64 " drawn before)\n",
           r->mt_position, r->mt_position + r->blocks - (r->blocks > 0), r->mt_position);
    return;
  }
  uint64_t b = block_of(r);
  if (r->generator >= 0) {
    printf("  counter: tf.random.Generator %d's shared Philox state, counter %" PRIu64 "..%" PRIu64 " (%" PRIu64
           " blocks reserved: N*256)\n", r->generator, b, b + r->blocks - (r->blocks > 0), r->blocks);
    return;
  }
  printf("  counter: Philox key %08x:%08x, blocks %" PRIu64 "..%" PRIu64 " (%" PRIu64 " reserved: N*256)%s\n", r->key[1],
         r->key[0], b, b + r->blocks - (r->blocks > 0), r->blocks,
         b == 0 ? ", the kernel's first call" : ", the kernel ran before (kernel state)");
}

static void explain_seeds(const sf_rng_record *r) {
  char w[400];
  if (r->generator >= 0 || r->stream == SF_STREAM_MT19937) return;
  if (r->seed_source == SF_SEED_NONE) {
    printf("  seeds:   taken from the op's seed input (a stateless op: the same seed gives the same numbers everywhere)\n");
    return;
  }
  cli_seed_words(r, 0, w, sizeof w);
  printf("  seed  = %" PRId64 ": %s\n", r->seed, w);
  cli_seed_words(r, 1, w, sizeof w);
  printf("  seed2 = %" PRId64 ": %s\n", r->seed2, w);
}

/* The other mode's name as a reader says it: "eager", or "eager/tf2" when profiles differ. */
static const char *other_label(const cli_run *self, const cli_run *o, char *buf, size_t len) {
  if (o->profile != self->profile) return cli_run_label(o, buf, len);
  snprintf(buf, len, "%s", o->mode == SF_MODE_GRAPH ? "graph mode" : o->mode == SF_MODE_FUNCTION ? "tf.function" : "eager");
  return buf;
}

static const sf_trace_op *find_key(const sf_trace *t, const cli_key *key) {
  int *idx;
  cli_key *keys;
  int n = cli_random_ops(t, &idx, &keys);
  const sf_trace_op *found = NULL;
  for (int i = 0; i < n && !found; i++)
    if (cli_key_cmp(&keys[i], key) == 0) found = sf_trace_op_at(t, idx[i]);
  free(idx);
  free(keys);
  return found;
}

static bool values_equal(const sf_trace_op *a, const sf_trace_op *b) {
  return a->value && b->value && sf_tensor_bits_equal(a->value, b->value);
}

/* How this execution compares with the same one (by key) in run o, one sentence. */
static void versus_words(const cli_run *self, const sf_trace_op *op, const cli_key *key, const cli_run *o, char *buf,
                         size_t len) {
  char label[32], why[700];
  if (!o->trace) {
    snprintf(buf, len, "the program stops there, at %s", o->failure);
    return;
  }
  const sf_trace_op *other = find_key(o->trace, key);
  if (!other) {
    snprintf(buf, len, "this execution does not happen there (the op runs fewer times in that mode)");
    return;
  }
  cli_cause_words(&op->rng, NULL, &other->rng, other_label(self, o, label, sizeof label), why, sizeof why);
  if (!why[0] && values_equal(op, other)) {
    snprintf(buf, len, "same seeds, same counter: the same numbers.");
    return;
  }
  if (!why[0]) cli_value_cause(op, NULL, other, label, why, sizeof why);
  snprintf(buf, len, "%s.", why);
}

static void explain_versus(const cli_run *self, const sf_trace_op *op, const cli_key *key, const cli_run *o) {
  char label[32], words[800];
  versus_words(self, op, key, o, words, sizeof words);
  printf("  vs %-12s  %s\n", cli_run_label(o, label, sizeof label), words);
}

/* What a pass did to this op that changes draws (e.g. prune removing a shared-stream op). */
static void explain_notes(const sf_trace *t, const sf_trace_op *op) {
  for (int i = 0; i < sf_trace_note_count(t); i++) {
    const sf_trace_note *nt = sf_trace_note_at(t, i);
    if (nt->graph == op->graph && nt->node == op->node) printf("  pass %s: %s\n", nt->pass, nt->text);
  }
}

static void explain_op(const cli_run *runs, int n, const sf_trace_op *op, const cli_key *key, int nth) {
  char ob[24];
  printf("%s random op execution: %s '%s' at line %d (node %d%s, schedule position %d)\n", ordinal(nth, ob, sizeof ob),
         op->op, op->name, op->line, op->node, op->graph ? ", in a traced function" : "", op->order);
  explain_seeds(&op->rng);
  explain_counter(&op->rng);
  explain_notes(runs[0].trace, op);
  for (int i = 1; i < n; i++) explain_versus(&runs[0], op, key, &runs[i]);
  putchar('\n');
}

/* Explains runs[0] in its execution order, against runs[1..n). */
static void explain_all(const char *file, const cli_run *runs, int n) {
  int *idx;
  cli_key *keys;
  int m = cli_random_ops(runs[0].trace, &idx, &keys);
  char label[32];
  printf("explain %s: mode %s, profile %s; %d random op execution%s\n\n", file, sf_mode_name(runs[0].mode),
         sf_profile_name(runs[0].profile), m, m == 1 ? "" : "s");
  for (int nth = 1, i = 0; i < sf_trace_op_count(runs[0].trace); i++) {
    for (int j = 0; j < m; j++)
      if (idx[j] == i) explain_op(runs, n, sf_trace_op_at(runs[0].trace, i), &keys[j], nth++);
  }
  if (m == 0) printf("no random op ran in %s.\n", cli_run_label(&runs[0], label, sizeof label));
  /* how the run read the program, then what the graph passes did */
  for (int reading = 1; reading >= 0; reading--)
    for (int i = 0, k = 0; i < sf_trace_note_count(runs[0].trace); i++) {
      const sf_trace_note *nt = sf_trace_note_at(runs[0].trace, i);
      if (cli_note_is_reading(nt) != (bool)reading) continue;
      if (k++ == 0) printf(reading ? "how this run reads the program:\n" : "what the graph passes did to the draws:\n");
      printf("  %s: %s\n", nt->pass, nt->text);
    }
  free(idx);
  free(keys);
}

/* --format json: runs[0] as `run --format json` has it, each op with the words of the
 * text output: seed_words, seed2_words, versus (one per other run); and the passes' notes. */
static int explain_json(const char *file, const cli_run *runs, int n) {
  int *idx;
  cli_key *keys;
  int m = cli_random_ops(runs[0].trace, &idx, &keys);
  json_t *run = idx ? cli_trace_json(runs[0].trace, false) : NULL, *ops = json_object_get(run, "ops");
  bool ok = run != NULL;
  for (int nth = 0, i = 0; ok && i < sf_trace_op_count(runs[0].trace); i++)
    for (int j = 0; ok && j < m; j++) {
      if (idx[j] != i) continue;
      const sf_trace_op *op = sf_trace_op_at(runs[0].trace, i);
      json_t *o = json_array_get(ops, (size_t)nth++), *versus = json_array();
      char w[800], label[32];
      for (int r = 1; versus && r < n; r++) {
        versus_words(&runs[0], op, &keys[j], &runs[r], w, sizeof w);
        if (json_array_append_new(versus, json_pack("{s:s, s:s}", "run", cli_run_label(&runs[r], label, sizeof label),
                                                    "words", w)) != 0)
          json_decref(versus), versus = NULL;
      }
      cli_seed_words(&op->rng, 0, w, sizeof w);
      ok = versus && json_object_set_new(o, "seed_words", json_string(w)) == 0;
      cli_seed_words(&op->rng, 1, w, sizeof w);
      ok = ok && json_object_set_new(o, "seed2_words", json_string(w)) == 0;
      ok = ok && json_object_set_new(o, "versus", versus) == 0;
    }
  json_t *notes = json_array();
  for (int i = 0; ok && notes && i < sf_trace_note_count(runs[0].trace); i++) {
    const sf_trace_note *nt = sf_trace_note_at(runs[0].trace, i);
    if (json_array_append_new(notes, json_pack("{s:s, s:s}", "pass", nt->pass, "text", nt->text)) != 0)
      json_decref(notes), notes = NULL;
  }
  free(idx);
  free(keys);
  json_t *root = ok && notes ? json_pack("{s:s, s:s, s:O, s:O, s:O, s:o}", "format", CLI_GOLDEN_FORMAT, "file",
                                         cli_json_name(cli_file_label(file)), "mode", json_object_get(run, "mode"), "profile",
                                         json_object_get(run, "profile"), "ops", ops, "notes", notes)
                             : (json_decref(notes), NULL);
  json_decref(run);
  if (!root) return cli_internal_error("cannot encode the explanation as JSON (out of memory)");
  term_capture_raw();
  int rc = json_dumpf(root, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER) == 0 && putchar('\n') != EOF
               ? 0 : cli_internal_error("cannot write to standard output: %s", strerror(errno ? errno : EIO));
  json_decref(root);
  return rc;
}

int cmd_explain(int argc, char **argv) {
  static const struct option opts[] = {{"mode", required_argument, 0, 'm'}, {"profile", required_argument, 0, 'p'},
                                       {"tf", required_argument, 0, 'p'},          {"format", required_argument, 0, 'f'},
                                       {"keras", required_argument, 0, 'K'},
                                       {"help", no_argument, 0, 'h'}, CLI_LIMIT_OPTIONS, {0, 0, 0, 0}};
  cli_run runs[3] = {{.mode = SF_MODE_EAGER, .profile = SF_PROFILE_TF2, .program_mode = true}};
  bool json = false;
  cli_limits lim = {0};
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, ":m:p:f:h", opts, NULL)) != -1) {
    switch (c) {
      case 'f':
        if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0) return cli_usage_error("unknown format '%s' (text, json)", optarg);
        json = strcmp(optarg, "json") == 0;
        break;
      case 'm':
        if (!sf_mode_from_name(optarg, &runs[0].mode)) return cli_usage_error("unknown mode '%s' (eager, graph, function)", optarg);
        runs[0].program_mode = false;
        break;
      case 'p':
        if (runs[0].program_mode) runs[0].mode = cli_tf1x(optarg) ? SF_MODE_GRAPH : SF_MODE_EAGER; /* TF 1.x's default mode */
        if (!cli_profile_arg(optarg, &runs[0].profile, &runs[0].keras_version)) return EXIT_TROUBLE;
        break;
      case 'K':
        if (!cli_keras_arg(optarg, &runs[0].profile, &runs[0].keras_version)) return EXIT_TROUBLE;
        break;
      case 'h': fputs(explain_help, stdout); return 0;
      case CLI_OPT_TIME_LIMIT:
      case CLI_OPT_MEMORY_LIMIT:
        if (cli_limit_option(c, optarg, &lim) >= 0) return EXIT_TROUBLE;
        break;
      default: return cli_option_error(c, argv);
    }
  }
  if (optind + 1 != argc) return cli_usage_error(optind == argc ? "explain: missing FILE" : "explain: too many arguments");
  /* The other two modes, same profile, in the fixed order eager, graph, function. */
  for (int m = 0, k = 1; m < 3; m++)
    if ((sf_mode)m != runs[0].mode) runs[k++] = (cli_run){.mode = (sf_mode)m, .profile = runs[0].profile, .keras_version = runs[0].keras_version};
  cli_apply_limits(runs, 3, &lim);
  sf_program *p = NULL;
  int rc = cli_run_each(argv[optind], &p, runs, 3, 1);
  if (rc == 0 && json) rc = explain_json(argv[optind], runs, 3);
  else if (rc == 0) explain_all(argv[optind], runs, 3);
  cli_runs_free(runs, 3);
  sf_program_free(p);
  return rc;
}
