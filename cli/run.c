/* run.c — `seedflow run FILE`: one program in one mode; prints what the program's print()
 * calls would print, or the whole trace as JSON; optionally writes the graph as DOT, IR
 * dumps after passes, and a Chrome trace-event file. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char run_help[] =
    "Usage: seedflow run FILE [OPTION]...\n"
    "Run FILE, a program in TensorFlow's Python syntax ('-': standard input), in one\n"
    "mode and print what its print() calls print (or the whole trace as JSON).\n"
    "\n"
    "  -m, --mode=MODE          eager (TF2), graph (TF1 Session), function (tf.function);\n"
    "                           default: eager (graph with --tf 1.x), or the mode the\n"
    "                           program switches to before its first op\n"
    "  -p, --profile=PROFILE    tf2 (TF 2.2-2.9, default), tf1 (TF 1.x, 2.0, 2.1), tf2.10\n"
    "                           (TF 2.10-2.15) or keras3 (TF 2.16+ with Keras 3)\n"
    "      --tf=VERSION         the profile of a TensorFlow version: 1.15, 2.1, 2.9...\n"
    "      --keras=VERSION      the profile of a Keras version: 2.12 (tf2.10), 3.4 (keras3)\n"
    "  -f, --format=FORMAT      text (default) or json\n"
    "      --passes=PIPELINE    graph pass pipeline, e.g. prune,fold,cse,schedule=dfs\n"
    "                           (default: the mode's own; '' runs no pass;\n"
    "                           'help' lists the passes)\n"
    "      --verify-each        verify the graph after every pass\n"
    "      --print-after-all    dump the IR (text) to stderr after every pass\n"
    "      --print-after=PASS   dump the IR to stderr after PASS\n"
    "      --dot=FILE           write the graphs as Graphviz DOT to FILE: one digraph,\n"
    "                           a cluster per Session.run / traced function call\n"
    "      --dot-after=WHEN     input, output (default) or a pass name\n"
    "      --trace=FILE         write a Chrome/Perfetto trace-event JSON file\n"
    "      --trace-clock=CLOCK  logical (default, byte-stable) or wall (uv_hrtime)\n"
    "  -j, --threads=N          run up to N graph nodes at once on libuv's thread pool\n"
    "                           (default 0: serial)\n"
    "      --intra-op-threads=N up to N threads for one big random fill or MatMul\n"
    "                           (default 0: every CPU, as TF's intra-op pool; the\n"
    "                           numbers are the same for every N)\n"
    "      --deterministic      unseeded random ops are an error and stateful ops run\n"
    "                           in a fixed order (TF_DETERMINISTIC_OPS)\n"
    "      --accumulate=ORDER   sequential (default) or pairwise summation in matmul\n"
    CLI_LIMIT_HELP
    "  -h, --help               show this help and exit\n"
    "\n"
    "FILE, --dot and --trace files are written atomically (temp file + rename).\n"
    "Exit status: 0 success, 2 invalid input or usage, 3 internal failure.\n";

void cli_format_seeds(const sf_rng_record *r, char *buf, size_t len) {
  if (r->stream == SF_STREAM_MT19937) {
    snprintf(buf, len, "NumPy global stream, after %" PRIu64 " draws", r->mt_position);
    return;
  }
  if (r->generator >= 0) {
    snprintf(buf, len, "Generator %d, counter %u:%u:%u:%u", r->generator, r->counter[3], r->counter[2],
             r->counter[1], r->counter[0]);
    return;
  }
  if (r->seed2_source == SF_SEED_SEED_GENERATOR) { /* Keras 3 */
    int n = snprintf(buf, len, "SeedGenerator state [%" PRId64 ", %" PRId64 "]", r->seed, r->seed2_detail);
    if (r->seed_source == SF_SEED_PY_RANDOM && n >= 0 && (size_t)n < len)
      snprintf(buf + n, len - (size_t)n, ", its seed python-random draw %" PRId64, r->seed_detail);
    return;
  }
  if (r->seed_source == SF_SEED_PY_RANDOM) { /* a Keras initializer's seed */
    snprintf(buf, len, "python-random draw %" PRId64 ", stateless seed [%" PRId64 ", %" PRId64 "]", r->seed_detail, r->seed, r->seed2);
    return;
  }
  if (r->seed_source == SF_SEED_STATELESS || r->seed2_source == SF_SEED_STATELESS) {
    snprintf(buf, len, "stateless seed [%" PRId64 ", %" PRId64 "]", r->seed, r->seed2);
    return;
  }
  bool detail = r->seed2_source == SF_SEED_NODE_ID || r->seed2_source == SF_SEED_GRAPH_COUNTER ||
                r->seed2_source == SF_SEED_EAGER_STREAM;
  if (detail)
    snprintf(buf, len, "seed=%" PRId64 " (%s) seed2=%" PRId64 " (%s %" PRId64 ")", r->seed,
             sf_seed_source_name(r->seed_source), r->seed2, sf_seed_source_name(r->seed2_source), r->seed2_detail);
  else
    snprintf(buf, len, "seed=%" PRId64 " (%s) seed2=%" PRId64 " (%s)", r->seed, sf_seed_source_name(r->seed_source),
             r->seed2, sf_seed_source_name(r->seed2_source));
}

/* ---- --format json ---- */


/* The schema of docs/json-schema.md ("seedflow/1"), as golden files have it: the same
 * field names, 1-based numbering, numbers that read back exactly. A run adds each op's
 * node, graph and schedule slot. Every builder returns NULL when a jansson call fails. */
static json_t *print_json(const sf_trace_print *p, int print, int k) {
  const sf_tensor *x = p->tensors[k];
  return json_pack("{s:i, s:i, s:i, s:s, s:s, s:o, s:o}", "print", print + 1, "item", k + 1, "line", p->line, "expr",
                   p->expr, "dtype", sf_dtype_name(x->dtype), "shape", cli_shape_json(&x->shape), "values",
                   cli_values_json(x));
}

static json_t *op_json(const sf_trace_op *op, const cli_key *key) {
  const sf_rng_record *r = &op->rng;
  return json_pack("{s:i, s:s, s:i, s:s, s:I, s:I, s:s, s:s, s:o, s:I, s:i, s:i, s:i, s:s, s:o}", "line", op->line,
                   "op", op->op, "execution", key->k + 1, "name", op->name, "seed", (json_int_t)r->seed, "seed2",
                   (json_int_t)r->seed2, "seed_source", sf_seed_source_name(r->seed_source), "seed2_source",
                   sf_seed_source_name(r->seed2_source), "counter", cli_counter_json(r->counter), "counter_blocks",
                   (json_int_t)r->blocks, "node", op->node, "graph", op->graph, "schedule_slot", op->order + 1,
                   "dtype", sf_dtype_name(op->value ? op->value->dtype : SF_FLOAT32), "values",
                   cli_values_json(op->value));
}

/* The random ops of t in execution order, each with its key (for "execution"). */
static json_t *ops_json(const sf_trace *t) {
  int *idx;
  cli_key *keys;
  int n = cli_random_ops(t, &idx, &keys), total = sf_trace_op_count(t);
  int *where = idx ? malloc((size_t)(total ? total : 1) * sizeof *where) : NULL;
  json_t *ops = where ? json_array() : NULL;
  for (int i = 0; ops && i < total; i++) where[i] = -1;
  for (int i = 0; ops && i < n; i++) where[idx[i]] = i;
  for (int i = 0; ops && i < total; i++)
    if (where[i] >= 0 && json_array_append_new(ops, op_json(sf_trace_op_at(t, i), &keys[where[i]])) != 0)
      json_decref(ops), ops = NULL;
  free(where);
  free(idx);
  free(keys);
  return ops;
}

json_t *cli_trace_json(const sf_trace *t, bool with_format) {
  json_t *prints = json_array(), *ops = ops_json(t);
  bool ok = prints && ops;
  for (int i = 0; ok && i < sf_trace_print_count(t); i++) {
    const sf_trace_print *p = sf_trace_print_at(t, i);
    for (int k = 0; ok && k < p->ntensors; k++) ok = json_array_append_new(prints, print_json(p, i, k)) == 0;
  }
  if (!ok) return json_decref(prints), json_decref(ops), NULL;
  const char *mode = sf_mode_name(sf_trace_mode(t)), *profile = sf_profile_name(sf_trace_profile(t));
  if (with_format)
    return json_pack("{s:s, s:s, s:s, s:o, s:o}", "format", CLI_GOLDEN_FORMAT, "mode", mode, "profile", profile,
                     "prints", prints, "ops", ops);
  return json_pack("{s:s, s:s, s:o, s:o}", "mode", mode, "profile", profile, "prints", prints, "ops", ops);
}

int cli_write_json(FILE *f, const sf_trace *t) {
  json_t *root = cli_trace_json(t, true);
  if (!root) return cli_internal_error("cannot encode the run as JSON (out of memory)");
  int rc = json_dumpf(root, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER) == 0 && fputc('\n', f) != EOF
               ? 0 : cli_internal_error("cannot write to standard output: %s", strerror(errno ? errno : EIO));
  json_decref(root);
  return rc;
}

/* ---- options ---- */

typedef struct run_args {
  sf_run_options ro;
  bool json;
  const char *file, *dot_path, *trace_path;
} run_args;

enum { OPT_PASSES = 256, OPT_VERIFY, OPT_PRINT_ALL, OPT_PRINT_AFTER, OPT_DOT, OPT_DOT_AFTER, OPT_TRACE,
       OPT_CLOCK, OPT_DETERMINISTIC, OPT_ACCUMULATE, OPT_INTRA_OP };

static bool parse_threads(const char *s, int *out) {
  char *end;
  long v = strtol(s, &end, 10);
  if (*s == '\0' || *end != '\0' || v < 0 || v > 1024) return false;
  *out = (int)v;
  return true;
}

/* --passes=help lists the passes; anything else must parse as a pipeline. */
static int check_passes(const char *pipeline, sf_run_options *ro) {
  sf_error err = {0};
  if (strcmp(pipeline, "help") == 0) {
    sf_passes_write_help(stdout);
    return 0;
  }
  if (sf_passes_check(pipeline, &err) != SF_OK) return cli_usage_error("--passes: %s", err.msg);
  ro->passes = pipeline;
  return -1;
}

/* --print-after / --dot-after name one pass (or the special word): a misspelt name would
 * silently dump nothing. Returns -1 when valid, else the exit status of the usage error. */
static int check_pass_name(const char *opt, const char *name, const char *special) {
  sf_error err = {0};
  if (strcmp(name, special) == 0 || (!strchr(name, ',') && !strchr(name, '=') && sf_passes_check(name, &err) == SF_OK))
    return -1;
  return cli_usage_error("%s: unknown pass '%s' ('%s', %sor a pass that 'seedflow run --passes=help' lists)", opt, name,
                         special, strcmp(opt, "--dot-after") == 0 ? "'output', " : "");
}

/* Applies one option to a; returns -1 to go on, else an exit status. */
static int apply_option(int c, run_args *a, char **argv) {
  sf_run_options *ro = &a->ro;
  switch (c) {
    case 'm':
      if (!sf_mode_from_name(optarg, &ro->mode)) return cli_usage_error("unknown mode '%s' (eager, graph, function)", optarg);
      ro->program_mode = false;
      return -1;
    case 'p':
      if (ro->program_mode) ro->mode = cli_tf1x(optarg) ? SF_MODE_GRAPH : SF_MODE_EAGER; /* TF 1.x's default mode */
      return cli_profile_arg(optarg, &ro->profile, &ro->keras_version) ? -1 : EXIT_TROUBLE;
    case 'K':
      return cli_keras_arg(optarg, &ro->profile, &ro->keras_version) ? -1 : EXIT_TROUBLE;
    case 'f':
      if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0) return cli_usage_error("unknown format '%s' (text, json)", optarg);
      a->json = strcmp(optarg, "json") == 0;
      return -1;
    case 'j':
      if (!parse_threads(optarg, &ro->threads)) return cli_usage_error("--threads needs a number from 0 to 1024, got '%s'", optarg);
      cli_set_pool_size(ro->threads);
      return -1;
    case OPT_INTRA_OP:
      if (!parse_threads(optarg, &ro->intra_op_threads) || ro->intra_op_threads > SF_INTRA_OP_MAX)
        return cli_usage_error("--intra-op-threads needs a number from 0 to %d, got '%s'", SF_INTRA_OP_MAX, optarg);
      return -1;
    case OPT_PASSES: return check_passes(optarg, ro);
    case OPT_VERIFY: ro->verify_each = true; return -1;
    case OPT_PRINT_ALL: ro->print_after = "all"; return -1;
    case OPT_PRINT_AFTER: ro->print_after = optarg; return check_pass_name("--print-after", optarg, "all");
    case OPT_DOT: a->dot_path = optarg; return -1;
    case OPT_DOT_AFTER:
      ro->dot_after = optarg;
      return strcmp(optarg, "output") == 0 ? -1 : check_pass_name("--dot-after", optarg, "input");
    case OPT_TRACE: a->trace_path = optarg; return -1;
    case OPT_CLOCK:
      if (strcmp(optarg, "logical") != 0 && strcmp(optarg, "wall") != 0) return cli_usage_error("unknown trace clock '%s' (logical, wall)", optarg);
      ro->wall_clock = strcmp(optarg, "wall") == 0;
      return -1;
    case OPT_DETERMINISTIC: ro->deterministic = true; return -1;
    case OPT_ACCUMULATE:
      if (strcmp(optarg, "sequential") == 0) ro->accumulate = SF_ACC_SEQUENTIAL;
      else if (strcmp(optarg, "pairwise") == 0) ro->accumulate = SF_ACC_PAIRWISE;
      else return cli_usage_error("unknown accumulation order '%s' (sequential, pairwise)", optarg);
      return -1;
    case 'h': fputs(run_help, stdout); return 0;
    case CLI_OPT_TIME_LIMIT:
    case CLI_OPT_MEMORY_LIMIT: {
      cli_limits l = {ro->time_limit, ro->memory_limit};
      int rc = cli_limit_option(c, optarg, &l);
      ro->time_limit = l.time_limit;
      ro->memory_limit = l.memory_limit;
      return rc;
    }
    default: return cli_option_error(c, argv);
  }
}

static int parse_args(int argc, char **argv, run_args *a) {
  static const struct option opts[] = {
      {"mode", required_argument, 0, 'm'},        {"profile", required_argument, 0, 'p'},
      {"tf", required_argument, 0, 'p'},          {"format", required_argument, 0, 'f'},
      {"keras", required_argument, 0, 'K'},
      {"threads", required_argument, 0, 'j'},    {"intra-op-threads", required_argument, 0, OPT_INTRA_OP},
      {"passes", required_argument, 0, OPT_PASSES}, {"verify-each", no_argument, 0, OPT_VERIFY},
      {"print-after-all", no_argument, 0, OPT_PRINT_ALL}, {"print-after", required_argument, 0, OPT_PRINT_AFTER},
      {"dot", required_argument, 0, OPT_DOT},     {"dot-after", required_argument, 0, OPT_DOT_AFTER},
      {"trace", required_argument, 0, OPT_TRACE}, {"trace-clock", required_argument, 0, OPT_CLOCK},
      {"deterministic", no_argument, 0, OPT_DETERMINISTIC}, {"accumulate", required_argument, 0, OPT_ACCUMULATE},
      {"help", no_argument, 0, 'h'},              CLI_LIMIT_OPTIONS, {0, 0, 0, 0}};
  int c, rc;
  optind = 1;
  while ((c = getopt_long(argc, argv, ":m:p:f:j:h", opts, NULL)) != -1)
    if ((rc = apply_option(c, a, argv)) >= 0) return rc;
  if (optind + 1 != argc) return cli_usage_error(optind == argc ? "run: missing FILE" : "run: too many arguments");
  a->file = argv[optind];
  if (a->ro.dot_after && !a->dot_path) return cli_usage_error("--dot-after needs --dot=FILE");
  if (a->dot_path && !a->ro.dot_after) a->ro.dot_after = "output";
  return -1;
}

/* 0 or the exit status. */
static int write_chrome_trace(const char *path, const sf_trace *t) {
  cli_out out;
  if (!cli_out_open(&out, path)) return EXIT_TROUBLE;
  if (sf_trace_write_chrome(t, out.f) != 0) {
    cli_out_abort(&out);
    return cli_internal_error("cannot write trace '%s'", path);
  }
  return cli_out_commit(&out);
}

/* One file, one digraph: each graph a run plans (a Session.run, a traced function's
 * call) is a cluster inside it (passes/dump.c), written to `clusters` during the run; the
 * header names the mode the run was in (a program may switch it), so it comes after. */
static void dot_write(FILE *f, const char *file, sf_mode mode, sf_profile profile, const char *clusters, size_t n) {
  fputs("digraph \"seedflow\" {\n  graph [label=\"", f);
  for (const char *s = file; *s; s++) fprintf(f, *s == '"' || *s == '\\' ? "\\%c" : "%c", *s);
  fprintf(f, ", mode %s, profile %s\", labelloc=\"t\", fontname=\"Helvetica\"];\n"
             "  node [shape=\"box\", fontname=\"Helvetica\"];\n",
          sf_mode_name(mode), sf_profile_name(profile));
  fwrite(clusters, 1, n, f);
  fputs("}\n", f);
}

/* *graphs: whether any graph went into the DOT file. */
static int run_and_print(const run_args *a, sf_program *p, cli_out *dot, bool *graphs) {
  sf_run_options ro = a->ro;
  ro.no_draw_values = !a->json; /* text prints only: a loop of draws keeps none */
  ro.ir_out = ro.print_after ? stderr : NULL;
  char *clusters = NULL;
  size_t nclusters = 0;
  if (dot->f && !(ro.dot_out = open_memstream(&clusters, &nclusters))) return cli_internal_error("out of memory");
  sf_trace *t = NULL;
  sf_error err = {0};
  int rc = 0;
  cli_watchdog(ro.time_limit > 0 ? ro.time_limit : SF_DEFAULT_TIME_LIMIT);
  sf_status st = sf_run(p, &ro, &t, &err);
  cli_watchdog(0);
  if (ro.dot_out) {
    bool whole = fclose(ro.dot_out) == 0; /* a memory stream fails only when out of memory */
    *graphs = nclusters > 0;
    if (st == SF_OK && whole) dot_write(dot->f, a->file, sf_trace_mode(t), ro.profile, clusters, nclusters);
    free(clusters);
    if (st == SF_OK && !whole) {
      sf_trace_free(t);
      return cli_internal_error("out of memory writing the DOT graphs");
    }
  }
  /* As Python: what the program printed before it stopped on an error is shown, then the error. */
  if (st != SF_OK && t && !a->json && st != SF_EINTERNAL && st != SF_ENOMEM) sf_trace_write_prints(t, stdout);
  if (st != SF_OK) rc = cli_report(p, a->file, &err);
  else if (a->json) rc = cli_write_json(stdout, t);
  else sf_trace_write_prints(t, stdout);
  for (int i = 0; rc == 0 && !a->json && i < sf_trace_note_count(t); i++) {
    /* what the program's own reading says (not a pass's note): one line each, on stderr */
    const sf_trace_note *nt = sf_trace_note_at(t, i);
    if (cli_note_is_reading(nt))
      fprintf(stderr, "seedflow: note: %s\n", nt->text);
  }
  if (rc == 0 && a->trace_path) rc = write_chrome_trace(a->trace_path, t);
  sf_trace_free(t);
  return rc;
}

int cmd_run(int argc, char **argv) {
  run_args a = {.ro.program_mode = true}; /* until --mode names one */
  int rc = parse_args(argc, argv, &a);
  if (rc >= 0) return rc;
  sf_error err = {0};
  sf_program *p = cli_program_load(a.file, &err);
  a.file = cli_file_label(a.file);
  if (!p) return cli_report(NULL, a.file, &err);
  cli_out dot = {0};
  bool graphs = false;
  if (a.dot_path && !cli_out_open(&dot, a.dot_path)) rc = EXIT_TROUBLE;
  if (rc < 0) rc = run_and_print(&a, p, &dot, &graphs);
  if (dot.f && rc == 0 && dot.f != stdout && !graphs)
    fprintf(stderr, "seedflow: warning: no graph went through the pass pipeline: '%s' has none\n", a.dot_path);
  if (dot.f && rc == 0) rc = cli_out_commit(&dot);
  cli_out_abort(&dot);
  sf_program_free(p);
  return rc;
}
