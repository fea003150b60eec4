/* trace.c — the record of a run: every op execution with its inputs' shapes, value and
 * RNG provenance, and every print. All user-facing output is a view of this. */
#include "graph.h"
#include "trace_internal.h"
#include "seedflow/seedflow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *sf_version(void) { return SF_VERSION; }

static const char *const mode_names[] = {"eager", "graph", "function"};
static const char *const profile_names[] = {"tf2", "tf1", "tf2.10", "keras3"};

const char *sf_mode_name(sf_mode m) { return mode_names[m]; }
const char *sf_profile_name(sf_profile p) { return profile_names[p]; }

bool sf_mode_from_name(const char *s, sf_mode *out) {
  for (int i = 0; i < 3; i++)
    if (strcmp(s, mode_names[i]) == 0) return *out = (sf_mode)i, true;
  return false;
}

bool sf_profile_from_name(const char *s, sf_profile *out) {
  for (int i = 0; i < SF_PROFILE_COUNT; i++)
    if (strcmp(s, profile_names[i]) == 0) return *out = (sf_profile)i, true;
  return false;
}

const char *sf_seed_source_name(sf_seed_source s) {
  static const char *const names[] = {"none", "global", "op", "default-graph-seed", "node-id",
                                      "graph-counter", "eager-stream", "os-entropy", "zero-fix",
                                      "stateless", "python-random", "seed-generator"};
  return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}

sf_trace *sf_trace_new(sf_mode mode, sf_profile profile) {
  sf_trace *t = calloc(1, sizeof *t);
  if (t) {
    t->mode = mode;
    t->profile = profile;
  }
  return t;
}

void sf_trace_free(sf_trace *t) {
  if (!t) return;
  for (int i = 0; i < t->nops; i++) sf_tensor_unref(t->ops[i].value);
  for (int i = 0; i < t->nprints; i++)
    for (int k = 0; k < t->prints[i].ntensors; k++) sf_tensor_unref(t->prints[i].tensors[k]);
  free(t->ops);
  free(t->prints);
  free(t->notes);
  sf_arena_free(&t->arena);
  sf_budget_unref(t->budget);
  free(t);
}

sf_trace_op *sf_trace_add_op(sf_trace *t, const sf_node *n, int graph, sf_tensor *value, const sf_rng_record *rng) {
  if (t->nops == t->capops) {
    int nc = t->capops ? t->capops * 2 : 64;
    sf_trace_op *no = realloc(t->ops, (size_t)nc * sizeof *no);
    if (!no) return NULL;
    t->ops = no;
    t->capops = nc;
  }
  sf_trace_op *o = &t->ops[t->nops];
  memset(o, 0, sizeof *o);
  o->node = n->id;
  o->graph = graph;
  o->op = n->op->name;
  o->name = sf_arena_strdup(&t->arena, n->name);
  if (!o->name) return NULL;
  o->order = t->executed++;
  o->line = n->line;
  o->ninputs = n->ninputs;
  /* Only a random op's value is output (record, check, compare, run --format json): keeping
   * every op's tensor made a graph run's trace grow with ops x runs (GBs for long chains). */
  if (rng && rng->present && !t->no_values) o->value = sf_tensor_ref(value);
  if (rng) o->rng = *rng;
  sf_budget_add(t->budget, (int64_t)(sizeof *o + strlen(o->name) + 1));
  t->nops++;
  return o;
}

bool sf_trace_count_op(sf_trace *t) {
  if (t->nops < SF_TRACE_BOUND) return false;
  if (!t->summarised) {
    char text[200];
    snprintf(text, sizeof text,
             "ops past the first %d records that draw no random numbers are counted, not recorded (their "
             "positions still count)", SF_TRACE_BOUND);
    if (sf_trace_add_note(t, 0, 0, "trace", text) != SF_OK) return false; /* recording reports the lack of memory */
  }
  t->summarised++;
  t->executed++;
  return true;
}

sf_status sf_trace_add_print(sf_trace *t, int line, const char *expr, sf_tensor **tensors, int n, const char *text) {
  if (t->nprints == t->capprints) {
    int nc = t->capprints ? t->capprints * 2 : 16;
    sf_trace_print *np = realloc(t->prints, (size_t)nc * sizeof *np);
    if (!np) return SF_ENOMEM;
    t->prints = np;
    t->capprints = nc;
  }
  sf_trace_print *p = &t->prints[t->nprints];
  memset(p, 0, sizeof *p);
  p->line = line;
  p->expr = sf_arena_strdup(&t->arena, expr ? expr : "");
  p->text = sf_arena_strdup(&t->arena, text ? text : "");
  p->tensors = sf_arena_alloc(&t->arena, (size_t)(n ? n : 1) * sizeof *p->tensors);
  if (!p->expr || !p->text || !p->tensors) return SF_ENOMEM;
  for (int i = 0; i < n; i++) p->tensors[i] = sf_tensor_ref(tensors[i]);
  p->ntensors = n;
  sf_budget_add(t->budget, (int64_t)(sizeof *p + strlen(p->expr) + strlen(p->text) + 2 + (size_t)n * sizeof(sf_tensor *)));
  t->nprints++;
  return SF_OK;
}

static bool same_note(const sf_trace_note *a, int graph, int node, const char *pass, const char *text) {
  return a->graph == graph && a->node == node && strcmp(a->pass, pass) == 0 && strcmp(a->text, text) == 0;
}

sf_status sf_trace_add_note(sf_trace *t, int graph, int node, const char *pass, const char *text) {
  for (int i = 0; i < t->nnotes; i++)
    if (same_note(&t->notes[i], graph, node, pass, text)) return SF_OK;
  if (t->nnotes == t->capnotes) {
    int nc = t->capnotes ? t->capnotes * 2 : 8;
    sf_trace_note *nn = realloc(t->notes, (size_t)nc * sizeof *nn);
    if (!nn) return SF_ENOMEM;
    t->notes = nn;
    t->capnotes = nc;
  }
  sf_trace_note *n = &t->notes[t->nnotes];
  *n = (sf_trace_note){.graph = graph, .node = node, .order = t->executed};
  n->pass = sf_arena_strdup(&t->arena, pass);
  n->text = sf_arena_strdup(&t->arena, text);
  if (!n->pass || !n->text) return SF_ENOMEM;
  t->nnotes++;
  return SF_OK;
}

int sf_trace_note_count(const sf_trace *t) { return t->nnotes; }
const sf_trace_note *sf_trace_note_at(const sf_trace *t, int i) { return i >= 0 && i < t->nnotes ? &t->notes[i] : NULL; }

sf_mode sf_trace_mode(const sf_trace *t) { return t->mode; }
sf_profile sf_trace_profile(const sf_trace *t) { return t->profile; }
int sf_trace_op_count(const sf_trace *t) { return t->nops; }
const sf_trace_op *sf_trace_op_at(const sf_trace *t, int i) { return i >= 0 && i < t->nops ? &t->ops[i] : NULL; }
int sf_trace_print_count(const sf_trace *t) { return t->nprints - t->nlogs; }
const sf_trace_print *sf_trace_print_at(const sf_trace *t, int i) {
  if (i < 0) return NULL;
  if (!t->nlogs) return i < t->nprints ? &t->prints[i] : NULL;
  for (int k = 0; k < t->nprints; k++)
    if (!t->prints[k].log && i-- == 0) return &t->prints[k];
  return NULL;
}

sf_status sf_trace_add_log(sf_trace *t, int line, const char *text) {
  sf_status st = sf_trace_add_print(t, line, "", NULL, 0, text);
  if (st == SF_OK) t->prints[t->nprints - 1].log = true, t->nlogs++;
  return st;
}

void sf_trace_write_prints(const sf_trace *t, FILE *f) {
  for (int i = 0; i < t->nprints; i++) fprintf(f, "%s\n", t->prints[i].text);
}
