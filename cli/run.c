/* run.c — `seedflow run FILE`: one program in one mode; prints what the program's print()
 * calls would print, or the whole trace as JSON. */
#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "cli.h"

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
  snprintf(buf, len, "seed=%" PRId64 " (%s) seed2=%" PRId64 " (%s%s%" PRId64 ")", r->seed,
           sf_seed_source_name(r->seed_source), r->seed2, sf_seed_source_name(r->seed2_source),
           r->seed2_source == SF_SEED_NODE_ID || r->seed2_source == SF_SEED_GRAPH_COUNTER ||
                   r->seed2_source == SF_SEED_EAGER_STREAM
               ? " "
               : "",
           r->seed2_detail);
  if (!(r->seed2_source == SF_SEED_NODE_ID || r->seed2_source == SF_SEED_GRAPH_COUNTER ||
        r->seed2_source == SF_SEED_EAGER_STREAM)) {
    char *p = strrchr(buf, '(');
    if (p) snprintf(p, len - (size_t)(p - buf), "(%s)", sf_seed_source_name(r->seed2_source));
  }
}

static json_t *values_json(const sf_tensor *t) {
  json_t *a = json_array();
  char buf[40];
  for (int64_t i = 0; t && i < t->n; i++) json_array_append_new(a, json_string(sf_tensor_format_lossless(t, i, buf, sizeof buf)));
  return a;
}

static json_t *shape_json(const sf_shape *s) {
  json_t *a = json_array();
  for (int i = 0; i < s->rank; i++) json_array_append_new(a, json_integer(s->dims[i]));
  return a;
}

int cli_write_json(FILE *f, const sf_trace *t) {
  json_t *root = json_object();
  json_object_set_new(root, "mode", json_string(sf_mode_name(sf_trace_mode(t))));
  json_object_set_new(root, "profile", json_string(sf_profile_name(sf_trace_profile(t))));
  json_t *prints = json_array();
  for (int i = 0; i < sf_trace_print_count(t); i++) {
    const sf_trace_print *p = sf_trace_print_at(t, i);
    for (int k = 0; k < p->ntensors; k++) {
      json_t *o = json_object();
      json_object_set_new(o, "line", json_integer(p->line));
      json_object_set_new(o, "expr", json_string(p->expr));
      json_object_set_new(o, "dtype", json_string(sf_dtype_name(p->tensors[k]->dtype)));
      json_object_set_new(o, "shape", shape_json(&p->tensors[k]->shape));
      json_object_set_new(o, "values", values_json(p->tensors[k]));
      json_array_append_new(prints, o);
    }
  }
  json_object_set_new(root, "prints", prints);
  json_t *ops = json_array();
  for (int i = 0; i < sf_trace_op_count(t); i++) {
    const sf_trace_op *op = sf_trace_op_at(t, i);
    if (!op->rng.present) continue;
    json_t *o = json_object();
    json_object_set_new(o, "node", json_integer(op->node));
    json_object_set_new(o, "graph", json_integer(op->graph));
    json_object_set_new(o, "op", json_string(op->op));
    json_object_set_new(o, "name", json_string(op->name));
    json_object_set_new(o, "line", json_integer(op->line));
    json_object_set_new(o, "seed", json_integer(op->rng.seed));
    json_object_set_new(o, "seed2", json_integer(op->rng.seed2));
    json_object_set_new(o, "seed_source", json_string(sf_seed_source_name(op->rng.seed_source)));
    json_object_set_new(o, "seed2_source", json_string(sf_seed_source_name(op->rng.seed2_source)));
    char ctr[64];
    snprintf(ctr, sizeof ctr, "%u,%u,%u,%u", op->rng.counter[0], op->rng.counter[1], op->rng.counter[2], op->rng.counter[3]);
    json_object_set_new(o, "counter_start", json_string(ctr));
    json_object_set_new(o, "counter_blocks", json_integer((json_int_t)op->rng.blocks));
    json_object_set_new(o, "schedule_index", json_integer(op->order));
    json_object_set_new(o, "values", values_json(op->value));
    json_array_append_new(ops, o);
  }
  json_object_set_new(root, "ops", ops);
  int rc = json_dumpf(root, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
  fputc('\n', f);
  json_decref(root);
  return rc;
}

int cmd_run(int argc, char **argv) {
  static const struct option opts[] = {
      {"mode", required_argument, 0, 'm'},     {"profile", required_argument, 0, 'p'},
      {"format", required_argument, 0, 'f'},   {"accumulate", required_argument, 0, 'a'},
      {"deterministic", no_argument, 0, 'd'},  {"help", no_argument, 0, 'h'},
      {0, 0, 0, 0}};
  sf_run_options ro = {0};
  bool json = false;
  int c;
  optind = 1;
  while ((c = getopt_long(argc, argv, ":m:p:f:h", opts, NULL)) != -1) {
    switch (c) {
      case 'm': if (!sf_mode_from_name(optarg, &ro.mode)) return cli_usage_error("unknown mode '%s' (eager, graph, function)", optarg); break;
      case 'p': if (!sf_profile_from_name(optarg, &ro.profile)) return cli_usage_error("unknown profile '%s' (tf1, tf2)", optarg); break;
      case 'f':
        if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0) return cli_usage_error("unknown format '%s' (text, json)", optarg);
        json = strcmp(optarg, "json") == 0;
        break;
      case 'a':
        if (strcmp(optarg, "sequential") == 0) ro.accumulate = SF_ACC_SEQUENTIAL;
        else if (strcmp(optarg, "pairwise") == 0) ro.accumulate = SF_ACC_PAIRWISE;
        else return cli_usage_error("unknown accumulation order '%s' (sequential, pairwise)", optarg);
        break;
      case 'd': ro.deterministic = true; break;
      case 'h':
        puts("Usage: seedflow run FILE [--mode eager|graph|function] [--profile tf1|tf2]\n"
             "                    [--format text|json] [--accumulate sequential|pairwise] [--deterministic]\n"
             "Runs FILE, a program in TensorFlow's Python syntax, and prints what its print() calls print.");
        return 0;
      case ':': return cli_usage_error("option '%s' needs a value", argv[optind - 1]);
      default: return cli_usage_error("unknown option '%s'", argv[optind - 1]);
    }
  }
  if (optind + 1 != argc) return cli_usage_error(optind == argc ? "run: missing FILE" : "run: too many arguments");
  const char *file = argv[optind];
  sf_error err = {0};
  sf_program *p = sf_program_parse_file(file, &err);
  if (!p) return cli_report(NULL, file, &err);
  sf_trace *t = NULL;
  sf_status st = sf_run(p, &ro, &t, &err);
  int rc = 0;
  if (st != SF_OK) {
    rc = cli_report(p, file, &err);
  } else if (json) {
    cli_write_json(stdout, t);
  } else {
    sf_trace_write_prints(t, stdout);
  }
  sf_trace_free(t);
  sf_program_free(p);
  return rc;
}
