/* graph.h — the dataflow IR (nodes, typed attributes, graphs), the op registry's types
 * and the kernel interface (internal header). A graph owns its nodes; node names, attrs
 * and strings live in the graph's arena. Node ids are 1, 2, 3 … in creation order: every
 * node counts, because TF <= 2.1 derives op seeds from that count (graph._last_id). */
#ifndef SEEDFLOW_GRAPH_H
#define SEEDFLOW_GRAPH_H

#include <stdbool.h>
#include <stdint.h>
#include "arena.h"
#include "rng/rng.h"
#include "seedflow/run.h"
#include "seedflow/tensor.h"

typedef enum sf_attr_type {
  SF_ATTR_INT, SF_ATTR_FLOAT, SF_ATTR_BOOL, SF_ATTR_STRING, SF_ATTR_TYPE, SF_ATTR_SHAPE,
  SF_ATTR_SEED,  /* int64 seed attribute that carries its provenance */
} sf_attr_type;

/* Where a seed attribute came from, for explain/trace. */
typedef struct sf_seed_origin {
  sf_seed_source kind;
  int64_t detail;          /* node id, counter value or stream draw index */
} sf_seed_origin;

typedef struct sf_attr_value {
  int64_t i;
  double f;
  bool b;
  const char *s;
  sf_dtype type;
  sf_shape shape;
  sf_seed_origin origin;   /* SF_ATTR_SEED: where i came from */
} sf_attr_value;

typedef struct sf_attr_def {
  const char *name;
  sf_attr_type type;
  sf_attr_value dflt;
  bool required;
} sf_attr_def;

typedef struct sf_node sf_node;
typedef struct sf_graph sf_graph;
typedef struct sf_op_def sf_op_def;
typedef struct sf_runtime sf_runtime;

struct sf_node {            /* fields ordered to pack: 120 bytes */
  int id;
  int ninputs, nctrl;
  sf_dtype dtype;           /* output */
  int line;                 /* program line that created it, 0 if none */
  int kernel_of;            /* 0, or the node whose kernel instance this node runs on (a
                             * random op of a loop body unrolled at trace time: one kernel
                             * for every iteration, lang/api_control.c) */
  const sf_op_def *op;
  const char *name;
  sf_attr_value *attrs;     /* parallel to op->attrs */
  int *inputs;              /* node ids */
  int *ctrl;                /* control inputs (node ids) */
  sf_tensor *value;         /* Const only (owned) */
  sf_shape shape;           /* output; dims of -1 are unknown until run */
  bool shape_known;
  bool keras_logits;        /* a Softmax or Sigmoid a Keras activation made: Keras caches its
                             * input on the output as the logits (lang/api_keras_loss.c) */
  bool host_array;          /* an eager Const holding a NumPy array: a program value no graph
                             * reads by id (sf_eager_keep_tensors) */
  bool tensor_memory;       /* a host array np.asarray made of an eager tensor: TensorFlow's shares
                             * the tensor's memory (_EagerTensorBase.__array__ returns _numpy()) */
  bool read_only;           /* a host array NumPy may not write (writeable False: TF 2.5+'s
                             * as_numpy_iterator elements), or a view of one */
};

/* A shape with a dimension known only at run time (-1: a placeholder's None). */
static inline bool sf_shape_partial(const sf_shape *s) {
  for (int d = 0; d < s->rank; d++)
    if (s->dims[d] < 0) return true;
  return false;
}

enum { SF_GRAPH_FREE_CLASSES = 64 }; /* node blocks up to 1 KiB are recycled */

struct sf_graph {
  sf_arena arena;
  sf_node **nodes;          /* nodes[id - 1] */
  int n, cap;
  struct sf_name_slot *names;   /* open addressing: name (in the arena) -> uses */
  int nnames, capnames;         /* capnames: 0 or a power of two, at most half full */
  bool has_seed;            /* graph.seed is not None */
  int64_t seed;
  int64_t seed_counter;     /* TF >= 2.2 _graph_to_seed_dict counter */
  bool is_function;
  const char *opaque;       /* ops TensorFlow adds that this graph lacks (a tf.data pipeline's,
                             * say): its op count is short from there on, or NULL */
  const char *scope;        /* current name scope prefix, "" at top */
  struct sf_eager *eager;   /* the eager dispatch running this graph's nodes, or NULL */
  void *free_blocks[SF_GRAPH_FREE_CLASSES]; /* released node blocks by 16-byte size class */
};

sf_graph *sf_graph_new(bool is_function);
void sf_graph_free(sf_graph *g);
sf_node *sf_graph_node(const sf_graph *g, int id);
/* TF's unique_name: "base", then "base_1", "base_2", … within the current scope. */
const char *sf_graph_unique_name(sf_graph *g, const char *base);
/* Adds a node; attrs may be NULL (defaults). Checks arity, input ids and dtypes and runs
 * the op's shape function. On error no node is added. The name is made unique in the
 * current scope, except a name ending in '/': a name scope's own full name, taken as is
 * without the '/' (TF's name_from_scope_name). */
sf_status sf_graph_add(sf_graph *g, const char *op_name, const char *name, const int *inputs,
                       int ninputs, const sf_attr_value *attrs, sf_node **out, sf_error *err);
/* A Const node holding value (the graph takes a new reference). */
sf_status sf_graph_add_const(sf_graph *g, const char *name, sf_tensor *value, sf_node **out, sf_error *err);
sf_status sf_graph_add_ctrl(sf_graph *g, sf_node *n, int ctrl_id, sf_error *err);
/* Releases node id (the eager dispatcher's, once nothing can use its value): its slot then
 * points at a shared node with no inputs, no value and no kernel (op "(released)"), so a
 * stale id reads as that, never as freed memory; its block is reused by the next node of
 * the same size. The id is never reused (ids count nodes: TF <= 2.1 seeds). */
void sf_graph_release_node(sf_graph *g, int id);
bool sf_graph_node_released(const sf_graph *g, int id);
/* Full validation: known ops, arity, dangling inputs, dtypes, cycles. */
sf_status sf_graph_validate(const sf_graph *g, sf_error *err);
int sf_attr_index(const sf_op_def *op, const char *name);
/* Indices of a random op's "seed" and "seed2" attributes; false when it has none. */
bool sf_op_seed_attrs(const sf_op_def *op, int idx[2]);
/* Attribute by name (NULL when the op has none of that name). */
const sf_attr_value *sf_node_attr(const sf_node *n, const char *name);

/* ---- the registry ---- */

enum {
  SF_OPF_STATEFUL = 1,      /* has kernel state or side effects: never folded or merged */
  SF_OPF_RANDOM = 2,        /* draws random numbers (trace records provenance) */
  SF_OPF_SHARED_STREAM = 4, /* draws from a stream shared with other ops (Generator, NumPy) */
  SF_OPF_REF_INPUT = 8,     /* writes the state of the node at input 0 (Assign) */
  SF_OPF_VARIABLE = 16,     /* a TF1 variable's storage: runs only once its Assign has */
  SF_OPF_EXPENSIVE = 32,    /* work grows with an inner dimension (MatMul): the cost model
                             * multiplies by it and the executor never runs it inline */
  SF_OPF_NO_GRADIENT = 64,  /* TF registers it ops.NotDifferentiable (or a rule returning
                             * None): the backward pass stops there, the input's gradient
                             * is None. An op with neither this nor a rule is a LookupError */
  SF_OPF_REF_VARS = 128,    /* writes the VariableV2 nodes among its first 4 inputs (TF1's
                             * ApplyAdam: var, m, v); their states in sf_kctx.ref_vars */
};

/* The text gradients_util.py raises (LookupError) for an op on the path with no rule. */
#define SF_NO_GRADIENT_TEXT "No gradient defined for operation"


/* Per-kernel-instance state, made by sf_kstate_init when the kernel is instantiated. */
typedef struct sf_kstate {
  bool seeded;              /* the op has seed attributes: seed/seed2 below are its pair */
  uint64_t seed, seed2;     /* given once, at instantiation (OpKernelConstruction) */
  sf_seed_origin seed_origin[2];
  bool ready;
  sf_philox gen;            /* GuardedPhiloxRandom's generator */
  sf_tensor *value;         /* VariableV2's value (owned) */
} sf_kstate;

/* A kernel instance for node n: zeroed, with the node's seed pair (and where it came
 * from) read from its seed attributes once, here, never by name while running. */
void sf_kstate_init(sf_kstate *s, const sf_node *n);

typedef struct sf_kctx {
  const sf_node *node;
  sf_tensor *const *in;
  int nin;
  sf_kstate *state;
  sf_kstate *ref_state;     /* SF_OPF_REF_INPUT: the state of input 0's node */
  sf_kstate *const *ref_vars; /* SF_OPF_REF_VARS: input k's state when it is a VariableV2, else NULL */
  sf_runtime *rt;
  sf_rng_record *rng;       /* kernels that draw fill it */
  sf_error *err;
} sf_kctx;

typedef sf_status (*sf_kernel_fn)(sf_kctx *c, sf_tensor **out);

/* What a gradient rule builds with: adds nodes to the graph being built (running them at
 * once in eager mode, where the eager graph is the tape). */
typedef struct sf_builder {
  void *ctx;
  sf_graph *(*graph)(void *ctx);
  sf_status (*op)(void *ctx, const char *op, const char *name, const int *in, int nin, const sf_attr_value *attrs,
                  int *out);
  sf_status (*constant)(void *ctx, sf_tensor *t, int *out);
  sf_error *err;
} sf_builder;

/* Gradient rule: given dy (node id) for node n's output, sets dx[i] to the gradient node
 * of input i, or 0 when input i gets none (tf.gradients / GradientTape semantics). */
typedef sf_status (*sf_grad_fn)(const sf_builder *b, const sf_node *n, int dy, int *dx);
/* Computes n->dtype/n->shape from its inputs at graph-build time. */
typedef sf_status (*sf_shape_fn)(const sf_graph *g, sf_node *n, sf_error *err);

struct sf_op_def {
  const char *name;         /* TensorFlow's op type, e.g. "RandomStandardNormal" */
  int ninputs;              /* -1: any number */
  const sf_attr_def *attrs;
  int nattrs;
  sf_shape_fn shape;
  sf_kernel_fn kernel;
  sf_grad_fn grad;          /* gradient rule; NULL when not differentiable */
  unsigned flags;
  const char *doc;
};

const sf_op_def *sf_op_lookup(const char *name);
int sf_op_count(void);
const sf_op_def *sf_op_at(int i);

/* ---- runtime: what kernels share within one run ---- */
struct sf_runtime {
  sf_mt19937 numpy;         /* np.random's global legacy stream */
  bool numpy_seeded;
  uint64_t numpy_draws;     /* values drawn since the last np.random.seed (for provenance) */
  struct sf_generator *generators;  /* tf.random.Generator states, by index */
  int ngenerators, capgenerators;
  sf_accumulate accumulate;
  bool deterministic;
  const sf_run_options *opt; /* the run's options (threads, dumps); NULL: defaults */
  const struct sf_planner *planner; /* plans each session run (engine/ir.h); NULL: program order */
  sf_tensor **vars;         /* resource variables (Keras weights), by index; owned */
  int nvars, capvars;
  sf_tensor **feeds;        /* Placeholder values for the next run, by slot; borrowed */
  int nfeeds;
  int64_t max_elements;     /* the run's tensor size limit (sf_run_options.max_elements) */
  bool fixed_entropy;       /* sf_run_options.fixed_entropy */
  uint64_t entropy_state;   /* splitmix64 state seeded with sf_run_options.entropy */
  struct sf_budget *budget; /* bytes of tensors and trace (--memory-limit); owned reference */
  double time_limit;        /* seconds (--time-limit) */
  uint64_t deadline_ns;     /* uv_hrtime() after which kernels refuse to start; 0: none */
};

/* ---- limits (budget.c) ---- */
/* A memory budget: bytes in use against a limit; reference counted (tensors charged to
 * it hold a reference and give their bytes back when freed). */
typedef struct sf_budget sf_budget;
sf_budget *sf_budget_new(int64_t limit);
sf_budget *sf_budget_ref(sf_budget *b);
void sf_budget_unref(sf_budget *b);
/* Adds bytes unless that passes the limit (then false, nothing added). NULL: no budget. */
bool sf_budget_charge(sf_budget *b, int64_t bytes);
/* Adds (or, negative, gives back) bytes without a check: the trace's own records. */
void sf_budget_add(sf_budget *b, int64_t bytes);
int64_t sf_budget_used(const sf_budget *b);
/* Budget and deadline from the options (0: SF_DEFAULT_MEMORY_LIMIT / SF_DEFAULT_TIME_LIMIT). */
sf_status sf_runtime_limits_init(sf_runtime *rt, const sf_run_options *o, sf_error *err);
/* A new tensor charged to the run's budget: a kernel's output (node names it; the
 * deadline is checked too) or a constant the program builds (node NULL). SF_ELIMIT past
 * the deadline or the memory limit; the message names the option. */
sf_status sf_runtime_alloc(sf_runtime *rt, const char *node, sf_dtype dtype, const sf_shape *shape, sf_tensor **out,
                           sf_error *err);

/* 64 bits where TF or NumPy would ask the OS: getrandom, or with a fixed entropy
 * (--entropy N) the next splitmix64 output, so the run is reproducible. Thread-safe. */
uint64_t sf_runtime_entropy(sf_runtime *rt);

/* Gradients of node `y` (a scalar) with respect to nodes wrt[0..n): the same rules build
 * tf.gradients nodes in a graph and run them at once on the eager tape. out[i] = 0 when
 * y does not depend on wrt[i]. */
sf_status sf_gradients(const sf_builder *b, int y, const int *wrt, int n, int *out);
/* The same over a tape: only nodes after `first` (the tape's start) carry gradients back
 * to the wrt nodes (a wrt node itself may be older), and (at given) an op reads wrt[i] on
 * the tape only if its id is above at[i], the last node before wrt[i] was watched. With
 * rec, only the ops the tape recorded do: rec[id - first] for first < id <= rec_last. */
sf_status sf_gradients_span(const sf_builder *b, int first, int y, const int *wrt, const int *at, int n, const bool *rec,
                            int rec_last, int *out);

typedef struct sf_generator {
  sf_philox state;          /* counter = [s0, s1], key = s2 (stateful_random_ops) */
  bool os_entropy;          /* state from NonDeterministicInts (or split from such a state) */
} sf_generator;

/* A generator's state as the int64 words [s0, s1, s2] of its StateVar: counter s0 (low
 * 32 bits first), s1; key s2. */
static inline void sf_generator_words(const sf_philox *p, int64_t s[3]) {
  for (int i = 0; i < 2; i++) s[i] = (int64_t)(p->ctr[2 * i] | (uint64_t)p->ctr[2 * i + 1] << 32);
  s[2] = (int64_t)(p->key[0] | (uint64_t)p->key[1] << 32);
}
static inline void sf_generator_set_words(sf_philox *p, const int64_t s[3]) {
  *p = (sf_philox){0};
  for (int i = 0; i < 2; i++) {
    p->ctr[2 * i] = (uint32_t)(uint64_t)s[i];
    p->ctr[2 * i + 1] = (uint32_t)((uint64_t)s[i] >> 32);
  }
  p->key[0] = (uint32_t)(uint64_t)s[2];
  p->key[1] = (uint32_t)((uint64_t)s[2] >> 32);
}

/* ---- shape helpers shared by shape functions and kernels ---- */
sf_status sf_broadcast_shape(const sf_shape *a, const sf_shape *b, sf_shape *out, sf_error *err);
/* Offset in a broadcast operand (shape in) of the element of out with row-major index idx. */
int64_t sf_broadcast_offset(const sf_shape *out, const sf_shape *in, int64_t idx);
/* The elements of a broadcast of two operands (shape out) in row-major order: off[k] is
 * operand k's offset of the current element (sf_broadcast_offset's value) kept up to date
 * by additions, not two divisions a dimension an element. */
typedef struct sf_bcast {
  int rank;
  int64_t dims[SF_MAX_RANK], idx[SF_MAX_RANK], stride[2][SF_MAX_RANK], off[2];
} sf_bcast;
void sf_bcast_init(sf_bcast *it, const sf_shape *out, const sf_shape *a, const sf_shape *b);
static inline void sf_bcast_next(sf_bcast *it) {
  for (int d = it->rank - 1; d >= 0; d--) {
    it->off[0] += it->stride[0][d];
    it->off[1] += it->stride[1][d];
    if (++it->idx[d] < it->dims[d]) return;
    it->off[0] -= it->stride[0][d] * it->dims[d];
    it->off[1] -= it->stride[1][d] * it->dims[d];
    it->idx[d] = 0;
  }
}

#endif
