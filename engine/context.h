/* context.h — the modes' home: an explicit context stack answering "where do new ops go?"
 * (TensorFlow's eager context and default-graph stack, context.py / ops.py). The bottom
 * frame is eager; entering a graph makes ops join it (a TF1 graph, Keras's v1 loop) or
 * be traced into it (a FuncGraph: tf.function, Keras's train function), and leaving
 * returns to the frame below. Every op a program builds goes through sf_context_add:
 * eager frames run it at once (the eager graph is the tape), traced frames chain stateful
 * ops in program order, random ops get their seed pair and its provenance in the same
 * call. Sessions and the eager dispatcher (exec.h) run what the frames built. Internal. */
#ifndef SEEDFLOW_CONTEXT_H
#define SEEDFLOW_CONTEXT_H

#include "exec.h"

typedef enum sf_ctx_kind {
  SF_CTX_EAGER,    /* ops run as they are created */
  SF_CTX_GRAPH,    /* ops join a graph that a session runs later */
  SF_CTX_FUNCTION, /* ops are traced into a function graph (automatic control deps) */
} sf_ctx_kind;

typedef struct sf_ctx_frame {
  sf_ctx_kind kind;
  sf_graph *graph;
  int last_stateful;        /* FUNCTION: the last stateful op traced (auto_control_deps.py) */
} sf_ctx_frame;

/* A random op's seed pair as get_seed produced it, with where each half came from. */
typedef struct sf_seed_pair {
  int64_t seed[2];          /* the op's "seed" and "seed2" attributes */
  sf_seed_origin origin[2];
} sf_seed_pair;

typedef struct sf_context {
  sf_graph *graph;          /* where new ops go: the top frame's graph (read only) */
  bool eager;               /* the top frame runs ops at once (read only) */
  sf_eager *E;              /* eager dispatch; E->g is the eager frame's graph */
  sf_runtime *rt;
  sf_trace *tr;
  sf_ctx_frame *frames;     /* frames[0] is eager; frames[depth - 1] the top */
  int depth, cap;
  int graphs;               /* traced graphs numbered so far (trace graph index 1, 2, …) */
} sf_context;

/* The eager bottom frame over E (borrowed, like rt and tr). */
sf_status sf_context_init(sf_context *c, sf_eager *E, sf_runtime *rt, sf_trace *tr, sf_error *err);
void sf_context_free(sf_context *c);
/* Pushes an eager frame (init_scope, NumPy at Python time). */
sf_status sf_context_enter_eager(sf_context *c, sf_error *err);
/* Pushes g: a function graph is traced (SF_CTX_FUNCTION), any other joined (SF_CTX_GRAPH). */
sf_status sf_context_enter_graph(sf_context *c, sf_graph *g, sf_error *err);
/* The same for a graph that holds no eager node: one internal code builds from values of
 * its own (Keras's shuffle of the sample indices), or a tf.function's trace, where an
 * eager tensor enters as a constant holding its value (lang/interp.c sf_b_tensor); eager
 * nodes stay releasable. */
sf_status sf_context_enter_own_graph(sf_context *c, sf_graph *g, sf_error *err);
/* Pops the top frame (never the eager bottom one). */
void sf_context_leave(sf_context *c);
/* The trace's number for a new traced graph (its session's graph_index): 1, 2, … */
int sf_context_new_graph_index(sf_context *c);

/* One op to build. */
typedef struct sf_op_spec {
  const char *op;           /* TF op type */
  const char *name;         /* base of its unique name in the current name scope */
  const char *exact_name;   /* instead: this name, already unique (a scope's own name) */
  const int *in;
  int nin;
  const sf_attr_value *attrs; /* NULL: the op's defaults */
  const sf_seed_pair *seeds;  /* a random op's seed pair, written into its seed attributes */
  int line;                 /* program line that builds it, 0 if none */
} sf_op_spec;

/* Adds the op to the top frame's graph; in an eager frame it runs now and is traced. */
sf_status sf_context_add(sf_context *c, const sf_op_spec *spec, sf_node **out, sf_error *err);
/* A Const node holding t (a new reference), run (untraced) in an eager frame. */
sf_status sf_context_add_const(sf_context *c, sf_tensor *t, const char *name, int line, sf_node **out, sf_error *err);

#endif
