/* helpers.h — what several test files share: running a program's text, building small
 * graphs and planning session runs the way sf_run does. No Criterion here (the TSan
 * runner uses it too): helpers report failure through their result and sf_error. */
#ifndef SEEDFLOW_TEST_HELPERS_H
#define SEEDFLOW_TEST_HELPERS_H

#include "engine/exec.h"
#include "passes/passes.h"
#include "seedflow/seedflow.h"

/* Parses and runs text with options o; NULL with err filled on failure. */
sf_trace *th_run_text(const char *text, const sf_run_options *o, sf_error *err);
/* What the run printed, as sf_trace_write_prints writes it (NULL if memory ran out);
 * frees t. */
char *th_prints_and_free(sf_trace *t);
/* Installs in rt the pass planner sf_run would (rt->opt's pipeline, or the defaults),
 * parsed into p, which must outlive the runs. */
sf_status th_plan(sf_runtime *rt, sf_pass_planner *p, sf_error *err);
/* A 1-D int32 Const [n] (a random op's shape input); its id. */
int th_shape_const(sf_graph *g, int64_t n);
/* Node `type` with default attributes, except attr = v (when attr is given; "seed" also
 * sets seed2 = v + 1); its id, 0 on failure. */
int th_add_op(sf_graph *g, const char *type, const int *in, int nin, const char *attr, int64_t v, sf_error *err);
/* The builder gradient rules use, over a plain graph (as the interpreter's graph mode
 * provides): nodes are added, nothing runs. */
sf_builder th_graph_builder(sf_graph *g, sf_error *err);
/* `width` independent random ops (per-op kernels, or one Generator's), each followed by a
 * Neg whose id goes to fetch[i]. */
sf_graph *th_wide(int width, bool generator, int *fetch);

#endif
