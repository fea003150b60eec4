/* manager.c — the pass registry (passes.def), pipeline strings ("prune,fold,schedule=dfs",
 * as LLVM's -passes=) and running a pipeline with verification and IR/DOT dumps after
 * passes. Default pipelines follow Grappler's order (meta_optimizer.cc). */
#include "passes.h"

#include <stdlib.h>
#include <string.h>

typedef struct sf_pass_def {
  const char *name;
  sf_pass_fn fn;
  sf_pass_param_fn param;
  const char *desc;
} sf_pass_def;

static const sf_pass_def registry[] = {
#define SF_PASS(name, fn, param, desc) {#name, fn, param, desc},
#include "passes.def"
#undef SF_PASS
};
enum { NPASSES = (int)(sizeof registry / sizeof registry[0]) };

/* Grappler's default order (meta_optimizer.cc): pruning, constant folding, common
 * subexpression elimination (in the arithmetic optimizer), arithmetic, remapper (fusion).
 * A tf.function's graph keeps its automatic control dependencies (auto_control_deps.py). */
static const char *const graph_default = "prune,fold,cse,arith,fuse,schedule";
static const char *const function_default = "prune,fold,cse,arith,fuse,autodeps,schedule";

void sf_passes_write_help(FILE *f) {
  fputs("passes (sf_run_options.passes / --passes=a,b,c; '' runs none):\n", f);
  for (int i = 0; i < NPASSES; i++) fprintf(f, "  %-9s %s\n", registry[i].name, registry[i].desc);
  fprintf(f, "defaults: graph mode \"%s\", function mode \"%s\", eager none\n", graph_default, function_default);
}

static int find_pass(const char *name) {
  for (int i = 0; i < NPASSES; i++)
    if (strcmp(registry[i].name, name) == 0) return i;
  return -1;
}

static sf_status parse_item(sf_pipeline *p, char *item, int col, sf_error *err) {
  char *eq = strchr(item, '=');
  if (eq) *eq = '\0';
  if (!*item) return sf_error_set(err, SF_EINVAL, "empty pass name at column %d", col);
  int k = find_pass(item);
  if (k < 0) return sf_error_set(err, SF_EINVAL, "unknown pass '%s' at column %d", item, col);
  if (p->n == SF_PIPELINE_MAX) return sf_error_set(err, SF_EINVAL, "pipeline has more than %d passes", SF_PIPELINE_MAX);
  sf_pass_args a = {.param = eq ? eq + 1 : NULL};
  int pcol = col + (int)strlen(item) + 1;
  if (eq && !registry[k].param)
    return sf_error_set(err, SF_EINVAL, "pass '%s' takes no parameter, got '%s' at column %d", item, eq + 1, pcol);
  char why[160] = "";
  if (registry[k].param && !registry[k].param(a.param, &a, why, sizeof why))
    return sf_error_set(err, SF_EINVAL, "bad parameter '%s' for pass '%s' at column %d: %s", eq ? eq + 1 : "", item,
                        pcol, why);
  p->pass[p->n] = k;
  p->args[p->n++] = a;
  return SF_OK;
}

/* autodeps before the first schedule (or last): serializes stateful ops in program order. */
static sf_status add_determinism(sf_pipeline *p, sf_error *err) {
  int ad = find_pass("autodeps"), sc = find_pass("schedule"), at = p->n;
  for (int i = 0; i < p->n; i++) {
    if (p->pass[i] == ad) return SF_OK;
    if (p->pass[i] == sc && at == p->n) at = i;
  }
  if (p->n == SF_PIPELINE_MAX) return sf_error_set(err, SF_EINVAL, "pipeline has more than %d passes", SF_PIPELINE_MAX);
  memmove(&p->pass[at + 1], &p->pass[at], (size_t)(p->n - at) * sizeof p->pass[0]);
  memmove(&p->args[at + 1], &p->args[at], (size_t)(p->n - at) * sizeof p->args[0]);
  p->pass[at] = ad;
  p->args[at] = (sf_pass_args){0};
  p->n++;
  return SF_OK;
}

sf_status sf_pipeline_parse(const char *text, bool is_function, bool deterministic, sf_pipeline *p, sf_error *err) {
  memset(p, 0, sizeof *p);
  if (!text) text = is_function ? function_default : graph_default;
  if (strcmp(text, "help") == 0)
    return sf_error_set(err, SF_EINVAL, "pipeline 'help' lists the passes (sf_passes_write_help) and runs none");
  size_t len = strlen(text);
  if (len >= sizeof p->text) return sf_error_set(err, SF_EINVAL, "pipeline is longer than %zu characters", sizeof p->text - 1);
  memcpy(p->text, text, len + 1);
  sf_status st = SF_OK;
  for (char *s = p->text; st == SF_OK && len && s <= p->text + len;) {
    char *end = strchr(s, ',');
    if (end) *end = '\0';
    st = parse_item(p, s, (int)(s - p->text) + 1, err);
    s = end ? end + 1 : p->text + len + 1;
  }
  if (st == SF_OK && deterministic) st = add_determinism(p, err);
  return st;
}

sf_status sf_passes_check(const char *pipeline, sf_error *err) {
  sf_pipeline p;
  return sf_pipeline_parse(pipeline, false, false, &p, err);
}

static bool matches(const char *want, const char *name) { return want && (strcmp(want, "all") == 0 || strcmp(want, name) == 0); }

static void label_of(const sf_pipeline *p, int i, char *buf, size_t len) {
  const char *name = registry[p->pass[i]].name;
  if (p->args[i].param) snprintf(buf, len, "%s=%s", name, p->args[i].param);
  else snprintf(buf, len, "%s", name);
}

#ifdef SF_VERIFY_PASSES
enum { VERIFY_ALWAYS = 1 };
#else
enum { VERIFY_ALWAYS = 0 };
#endif

/* After pass i: verification and the dumps the options ask for. */
static sf_status after_pass(const sf_pipeline *p, int i, sf_ir *ir, const sf_run_options *o, sf_error *err) {
  char label[96];
  label_of(p, i, label, sizeof label);
  const char *name = registry[p->pass[i]].name;
  if ((VERIFY_ALWAYS || (o && o->verify_each))) {
    sf_status st = sf_ir_verify(ir, label, err);
    if (st != SF_OK) return st;
  }
  if (o && o->ir_out && o->print_after && matches(o->print_after, name)) sf_ir_print(ir, o->ir_out, label);
  if (o && o->dot_out && o->dot_after && strcmp(o->dot_after, name) == 0) sf_ir_write_dot(ir, o->dot_out, label);
  return SF_OK;
}

sf_status sf_pipeline_run(const sf_pipeline *p, sf_ir *ir, const sf_run_options *o, sf_error *err) {
  bool dot = o && o->dot_out && o->dot_after;
  if (dot && strcmp(o->dot_after, "input") == 0) sf_ir_write_dot(ir, o->dot_out, "input");
  int schedule = find_pass("schedule");
  if (p->n && !sf_ir_index(ir)) return sf_error_set(err, SF_ENOMEM, "out of memory");
  for (int i = 0; i < p->n; i++) {
    if (p->pass[i] != schedule && ir->order) { /* a rewrite invalidates an earlier schedule */
      free(ir->order);
      ir->order = NULL;
      ir->norder = 0;
    }
    sf_status st = registry[p->pass[i]].fn(ir, &p->args[i], err);
    if (st == SF_OK) st = after_pass(p, i, ir, o, err);
    if (st != SF_OK) return st;
  }
  sf_status st = ir->order ? SF_OK : sf_ir_default_schedule(ir, err);
  if (st == SF_OK && (VERIFY_ALWAYS || (o && o->verify_each))) st = sf_ir_verify(ir, "the pipeline", err);
  if (st == SF_OK && dot && strcmp(o->dot_after, "output") == 0) sf_ir_write_dot(ir, o->dot_out, "output");
  return st;
}

/* ---- the planner a run's owner installs ---- */

static sf_status plan(const sf_planner *base, sf_ir *ir, bool init, sf_error *err) {
  const sf_pass_planner *p = (const sf_pass_planner *)base;
  if (init) return sf_pipeline_run(&p->init, ir, NULL, err);
  return sf_pipeline_run(&p->run[ir->src->is_function], ir, p->opts, err);
}

sf_status sf_pass_planner_init(sf_pass_planner *p, const sf_run_options *opts, bool deterministic, sf_error *err) {
  memset(p, 0, sizeof *p);
  p->base.plan = plan;
  p->opts = opts;
  const char *text = opts ? opts->passes : NULL;
  deterministic = deterministic || (opts && opts->deterministic);
  sf_status st = sf_pipeline_parse(text, false, deterministic, &p->run[0], err);
  if (st == SF_OK) st = sf_pipeline_parse(text, true, deterministic, &p->run[1], err);
  if (st == SF_OK) st = sf_pipeline_parse("prune", false, false, &p->init, err);
  return st;
}
