/* passes.h — the pass registry, pipelines ("prune,fold,schedule=dfs") and the planner a
 * run's owner hands the executor: passes rewrite the engine's run IR (engine/ir.h) before
 * it executes. passes/ depends on engine/, never the other way round. Internal header. */
#ifndef SEEDFLOW_PASSES_H
#define SEEDFLOW_PASSES_H

#include <stdio.h>
#include "engine/ir.h"

/* ---- dumps (dump.c) ---- */
/* The stable textual IR: one line per live node in id order, then the schedule. */
void sf_ir_print(const sf_ir *ir, FILE *f, const char *after);
/* Graphviz DOT: quoted ids, node-id order, random ops highlighted. */
void sf_ir_write_dot(const sf_ir *ir, FILE *f, const char *after);

/* ---- passes and pipelines (manager.c) ---- */
typedef struct sf_pass_args {
  const char *param;        /* text after '=' (NULL when none) */
  int64_t seed;             /* schedule=random:SEED */
  int kind;                 /* pass-specific parsed parameter */
} sf_pass_args;

typedef sf_status (*sf_pass_fn)(sf_ir *ir, const sf_pass_args *a, sf_error *err);
/* Checks and parses a parameter; NULL: the pass takes none. Returns false with a reason. */
typedef bool (*sf_pass_param_fn)(const char *param, sf_pass_args *a, char *why, size_t len);

#define SF_PASS(name, fn, param, desc)                                       \
  sf_status fn(sf_ir *ir, const sf_pass_args *a, sf_error *err);
#include "passes.def"
#undef SF_PASS
bool sf_schedule_param(const char *param, sf_pass_args *a, char *why, size_t len);

enum { SF_PIPELINE_MAX = 32 };
typedef struct sf_pipeline {
  int n;
  int pass[SF_PIPELINE_MAX];   /* index into the registry */
  sf_pass_args args[SF_PIPELINE_MAX];
  char text[512];              /* owns the parameter strings */
} sf_pipeline;

/* Parses "prune,fold,schedule=dfs"; errors name the column (1-based). NULL: default for
 * the graph kind; deterministic adds autodeps before the first schedule. */
sf_status sf_pipeline_parse(const char *text, bool is_function, bool deterministic, sf_pipeline *p, sf_error *err);
/* Runs p on ir with the run's dump options (opts may be NULL). */
sf_status sf_pipeline_run(const sf_pipeline *p, sf_ir *ir, const sf_run_options *opts, sf_error *err);

/* The planner a run's owner installs in sf_runtime.planner: every pipeline the run can
 * need, parsed once when the run starts (user runs of the main graph and of function
 * graphs; variable initialization runs prune only). opts (borrowed) gives the pipeline
 * text (NULL: each graph kind's default) and the dump options. */
typedef struct sf_pass_planner {
  sf_planner base;             /* first: the engine calls base.plan(&base, …) */
  sf_pipeline run[2];          /* [is_function] */
  sf_pipeline init;            /* "prune" */
  const sf_run_options *opts;
} sf_pass_planner;

sf_status sf_pass_planner_init(sf_pass_planner *p, const sf_run_options *opts, bool deterministic, sf_error *err);

#endif
