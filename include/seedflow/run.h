/* run.h — running a program in one mode and reading what happened (the trace).
 * Ownership: sf_run() hands back an sf_trace that the caller frees with sf_trace_free();
 * tensors and strings reached through a trace belong to it and live until then. */
#ifndef SEEDFLOW_RUN_H
#define SEEDFLOW_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "program.h"
#include "status.h"
#include "tensor.h"

typedef enum sf_mode { SF_MODE_EAGER, SF_MODE_GRAPH, SF_MODE_FUNCTION } sf_mode;
/* Version-dependent rules: tf1 = TF 1.15 (also 2.0/2.1), tf2 = TF 2.2–2.9, tf2.10 = TF
 * 2.10–2.15 with tf.keras 2.10–2.15, keras3 = TF 2.16+ with Keras 3. */
typedef enum sf_profile { SF_PROFILE_TF2, SF_PROFILE_TF1, SF_PROFILE_TF210, SF_PROFILE_KERAS3 } sf_profile;
#define SF_PROFILE_COUNT 4
/* Summation order in matmul and reductions. */
typedef enum sf_accumulate { SF_ACC_SEQUENTIAL, SF_ACC_PAIRWISE } sf_accumulate;

SF_API const char *sf_mode_name(sf_mode m);
SF_API bool sf_mode_from_name(const char *s, sf_mode *out);
SF_API const char *sf_profile_name(sf_profile p);
SF_API bool sf_profile_from_name(const char *s, sf_profile *out);

/* Generous but finite defaults for sf_run_options.memory_limit and time_limit. */
#define SF_DEFAULT_MEMORY_LIMIT ((int64_t)1 << 30)
#define SF_DEFAULT_TIME_LIMIT 60.0

typedef struct sf_run_options {
  sf_mode mode;
  sf_profile profile;
  int keras_version;       /* the Keras version whose rules apply, MAJOR*10000+MINOR*100+PATCH
                              (30400 = Keras 3.4.0); 0: the profile's newest */
  sf_accumulate accumulate;
  bool deterministic;      /* like TF_DETERMINISTIC_OPS: unseeded random ops are an error,
                              stateful ops run serialized in a fixed order */
  int threads;             /* 0: serial executor; N > 0: N workers of libuv's pool. libuv
                            * reads UV_THREADPOOL_SIZE (default 4) once, when its pool
                            * first starts: a program wanting more set it before then. */
  const char *passes;      /* pass pipeline, e.g. "prune,fold,cse,schedule=dfs";
                              NULL: the mode's default; "": none */
  bool verify_each;        /* verify the graph after every pass */
  const char *print_after; /* NULL, "all", or a pass name: textual IR dumps to ir_out */
  FILE *ir_out;
  const char *dot_after;   /* NULL: no DOT; "input" (before the pipeline), "output"
                              (after it) or a pass name: each graph a run plans as one
                              Graphviz `subgraph "cluster_…" { … }` to dot_out, node ids
                              unique per cluster; the caller wraps them in one
                              `digraph { … }` (seedflow run --dot does) */
  FILE *dot_out;
  bool wall_clock;         /* trace events carry uv_hrtime times (default: logical clock) */
  int64_t max_elements;    /* largest tensor the run may create; 0: SF_MAX_ELEMENTS */
  int64_t memory_limit;    /* bytes of tensors, trace, Python objects and the interpreter's arena
                            * a run may hold; 0: SF_DEFAULT_MEMORY_LIMIT */
  double time_limit;       /* seconds a run may take; 0: SF_DEFAULT_TIME_LIMIT (checked before each op and in Python loops) */
  bool fixed_entropy;      /* use `entropy` instead of the OS where TF or NumPy would seed */
  uint64_t entropy;        /* from the OS (unseeded ops, NumPy's import-time seed) */
  bool implicit_imports;   /* tf, tensorflow, np, numpy and keras name their modules without an
                              import (an embedder's snippets); false: Python's NameError */
  bool program_mode;       /* `mode` is only the default, as TensorFlow's is: a program that
                              switches at its start, before its first op
                              (tf.compat.v1.disable_eager_execution(), disable_v2_behavior(),
                              enable_eager_execution(), enable_v2_behavior()), runs in the
                              mode it asks for (the trace's mode and a "mode" note say so);
                              false: the run is in `mode` and a switch is only noted */
  int intra_op_threads;    /* threads one big kernel (a random fill, a MatMul) may use, as
                              TF's intra_op_parallelism_threads: 0 = every CPU this process
                              may run on (TF's 0), 1 = the calling thread only; at most
                              SF_INTRA_OP_MAX. The bits never depend on it. */
  bool no_draw_values;     /* the trace keeps no random op's values (sf_trace_op value NULL): a
                              run that only prints keeps flat memory over a loop of draws (a
                              training loop's dropout masks); record, check, compare and
                              run --format json need them */
} sf_run_options;
#define SF_INTRA_OP_MAX 64

/* Where a seed attribute's value came from. */
typedef enum sf_seed_source {
  SF_SEED_NONE,            /* not a seeded op */
  SF_SEED_GLOBAL,          /* the global / graph seed */
  SF_SEED_OP,              /* the op's own seed argument */
  SF_SEED_DEFAULT_GRAPH,   /* DEFAULT_GRAPH_SEED 87654321: op seed without global seed */
  SF_SEED_NODE_ID,         /* TF <= 2.1 graph: graph._last_id (detail = the id) */
  SF_SEED_GRAPH_COUNTER,   /* TF >= 2.2 graph/function: per-graph counter (detail = k) */
  SF_SEED_EAGER_STREAM,    /* eager: random.Random(global_seed).randint draw (detail = k) */
  SF_SEED_OS_ENTROPY,      /* no seed at all: the kernel seeds itself from the OS */
  SF_SEED_ZERO_FIX,        /* (0, 0) is replaced by (0, 2^31-1) */
  SF_SEED_STATELESS,       /* a stateless op's seed tensor [s0, s1] as the program gives it */
  SF_SEED_PY_RANDOM,       /* Keras: random.randint(1, 10**9) draw (detail = k, from 0) */
  SF_SEED_SEED_GENERATOR,  /* Keras 3: a SeedGenerator's state [s, c] (detail = c) */
} sf_seed_source;
SF_API const char *sf_seed_source_name(sf_seed_source s);

typedef enum sf_stream_kind { SF_STREAM_NONE, SF_STREAM_PHILOX, SF_STREAM_MT19937 } sf_stream_kind;

/* What a random op execution consumed. */
typedef struct sf_rng_record {
  bool present;
  int64_t seed, seed2;
  sf_seed_source seed_source, seed2_source;
  int64_t seed_detail, seed2_detail;
  sf_stream_kind stream;
  uint32_t key[2], counter[4];  /* Philox: key and counter at the start */
  uint64_t blocks;              /* Philox blocks reserved / MT19937 words consumed */
  uint64_t mt_position;         /* MT19937: words drawn before this op */
  int generator;                /* shared stream index (Generator k), -1 for per-op kernels */
} sf_rng_record;

/* One op execution. */
typedef struct sf_trace_op {
  int node;                /* node id in its graph (eager: creation index) */
  int graph;               /* 0: the main graph / eager; k: k-th traced function */
  const char *op;          /* TF op type */
  const char *name;        /* TF-style node name */
  int order;               /* position in the run's execution order (0-based) */
  int line;                /* program line that created the node */
  int ninputs;
  int worker;              /* executor lane: 0 for the serial executor; with N threads,
                              0..N-1 on libuv's pool, N for cheap ops run inline */
  sf_tensor *value;        /* the output of a random op (rng.present); NULL for other ops */
  sf_rng_record rng;
  uint64_t start_ns, dur_ns; /* wall clock (uv_hrtime) when options.wall_clock, else 0 */
} sf_trace_op;

/* One print(...) call: its values are one or more tensors (a tuple prints several). */
typedef struct sf_trace_print {
  int line;
  const char *expr;        /* the source text of the argument */
  int ntensors;
  sf_tensor **tensors;
  const char *text;        /* what Python would print, rendered for this mode */
  bool log;                /* a line of Keras's fit/evaluate log (timings vary): written by
                            * sf_trace_write_prints, not counted by sf_trace_print_count/_at */
} sf_trace_print;

typedef struct sf_trace sf_trace;

/* Runs p under opts. On success *out holds the trace. On failure returns the error;
 * *out then holds the trace up to the failure (may be NULL) so callers can show it. */
SF_API sf_status sf_run(const sf_program *p, const sf_run_options *opts, sf_trace **out, sf_error *err);
SF_API void sf_trace_free(sf_trace *t);
SF_API sf_mode sf_trace_mode(const sf_trace *t);
SF_API sf_profile sf_trace_profile(const sf_trace *t);
SF_API int sf_trace_op_count(const sf_trace *t);
SF_API const sf_trace_op *sf_trace_op_at(const sf_trace *t, int i);
/* The program's print() calls (Keras log lines are not among them). */
SF_API int sf_trace_print_count(const sf_trace *t);
SF_API const sf_trace_print *sf_trace_print_at(const sf_trace *t, int i);
/* Writes every print's text and Keras log line, in order, as the program would. */
SF_API void sf_trace_write_prints(const sf_trace *t, FILE *f);

/* Something a pass did that changes draws, said once per (graph, node): e.g. prune
 * removing an unfetched op that draws from a shared stream (a Generator, NumPy). */
typedef struct sf_trace_note {
  int graph;               /* as sf_trace_op.graph */
  int node;                /* the node it is about (an id of that graph) */
  int order;               /* op executions recorded before the run that made it */
  const char *pass;        /* e.g. "prune" */
  const char *text;        /* e.g. "removed unfetched shared-stream op 'a' (…); later draws shift" */
} sf_trace_note;
SF_API int sf_trace_note_count(const sf_trace *t);
SF_API const sf_trace_note *sf_trace_note_at(const sf_trace *t, int i);

/* Chrome / Perfetto trace-event JSON ({"traceEvents": [...]}): one "X" event per op
 * execution, pid = mode (process_name metadata), tid = executor worker, RNG provenance
 * (seed, seed2, sources, key, counter, blocks) in args, notes as instant events. Logical
 * clock (ts = order x 10 us, dur 10: byte-stable) unless the run recorded wall-clock times
 * (sf_run_options.wall_clock). Returns 0, or -1 when writing failed. */
SF_API int sf_trace_write_chrome(const sf_trace *t, FILE *f);

/* Pass pipelines (sf_run_options.passes). Writes one "name  description" line per pass. */
SF_API void sf_passes_write_help(FILE *f);
/* Every registered op, one line each: TF name, inputs, stateful or not, random stream
 * kind, attribute names and what it does (`seedflow ops`). */
SF_API void sf_ops_write(FILE *f);
/* Checks a pipeline string without running it: SF_EINVAL with e.g.
 * "unknown pass 'foo' at column 7" (columns count from 1). */
SF_API sf_status sf_passes_check(const char *pipeline, sf_error *err);

#endif
