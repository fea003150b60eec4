/* trace_internal.h — building a trace while a program runs (internal header). */
#ifndef SEEDFLOW_TRACE_INTERNAL_H
#define SEEDFLOW_TRACE_INTERNAL_H

#include "arena.h"
#include "seedflow/run.h"

struct sf_node;

struct sf_trace {
  sf_arena arena;
  sf_mode mode;
  sf_profile profile;
  sf_trace_op *ops;
  int nops, capops;
  int executed;             /* op executions, recorded or only counted: the next order */
  int summarised;           /* executions counted, not recorded (sf_trace_count_op) */
  sf_trace_print *prints;
  int nprints, capprints;
  int nlogs;                /* prints that are Keras log lines */
  sf_trace_note *notes;     /* what passes explain about a run (prune's removals) */
  int nnotes, capnotes;
  bool wall_clock;          /* ops carry uv_hrtime start/duration */
  bool no_values;           /* random ops' values are not kept (sf_run_options no_draw_values) */
  struct sf_budget *budget; /* the run's memory budget, charged for every record; or NULL */
};

sf_trace *sf_trace_new(sf_mode mode, sf_profile profile);
/* Appends an op execution; takes a new reference to value. Returns NULL when out of memory. */
sf_trace_op *sf_trace_add_op(sf_trace *t, const struct sf_node *n, int graph, sf_tensor *value, const sf_rng_record *rng);
/* Op executions recorded in full, eager or in a graph's runs; past them, the ones that draw
 * no random numbers are counted, not recorded (issue 14: the trace of a long eager loop, of
 * a training loop's variable reads and updates, or of a Session run in a loop, stays flat).
 * Every consumer of records (record, check, explain, compare, run --format json) reads
 * random ops only; the Chrome trace and explain say how many were summarised. */
#define SF_TRACE_BOUND 10000
/* Counts one such execution instead of recording it when the trace holds SF_TRACE_BOUND
 * records already (true: counted, its order taken); false: record it. */
bool sf_trace_count_op(sf_trace *t);
/* Appends a print; takes new references to the tensors; copies the strings. */
/* Appends a note unless the same (graph, node, pass, text) is already there; copies strings. */
sf_status sf_trace_add_note(sf_trace *t, int graph, int node, const char *pass, const char *text);
sf_status sf_trace_add_print(sf_trace *t, int line, const char *expr, sf_tensor **tensors, int n, const char *text);
/* A line of Keras's training log: written with the prints, not one of them. */
sf_status sf_trace_add_log(sf_trace *t, int line, const char *text);

#endif
