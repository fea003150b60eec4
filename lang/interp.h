/* interp.h — the mode interpreter: runs a program's statements, building nodes through
 * one builder that either runs them now (eager) or adds them to a graph (graph mode, a
 * traced tf.function). The tf.* / np.* API (api.c) is written once against it. Internal. */
#ifndef SEEDFLOW_INTERP_H
#define SEEDFLOW_INTERP_H

#include "engine/context.h"
#include "engine/exec.h"
#include "engine/seeds.h"
#include "passes/passes.h"
#include "program_internal.h"

typedef enum sf_vkind {
  V_NONE, V_BOOL, V_INT, V_FLOAT, V_STR, V_LIST, V_TUPLE, V_TENSOR, V_DTYPE,
  V_MODULE,    /* a dotted API path not yet complete, e.g. tf.random */
  V_BUILTIN,   /* an API function */
  V_FUNC,      /* a def in the program */
  V_GENERATOR, /* tf.random.Generator */
  V_METHOD,    /* a bound method of an object value */
  V_LAYER,     /* a Keras layer (index into interp->layers) */
  V_MODEL,     /* a Keras Sequential model (index into interp->models) */
  V_OPTIMIZER, /* a Keras optimizer (index into interp->optims; f = learning rate) */
  V_LOSS,      /* a Keras loss (s = its name) */
  V_OBJ,       /* a refcounted Python object (o): str, list, dict, function, class... (value.h) */
  V_ELLIPSIS,  /* Python's Ellipsis (`...`), the one instance of type ellipsis */
} sf_vkind;

typedef struct sf_interp sf_interp;
typedef struct sf_val sf_val;
typedef struct sf_args {
  const sf_expr *call;     /* for error locations */
  sf_val *pos;
  int npos;
  const char **kwnames;
  sf_val *kw;
  int nkw;
} sf_args;
typedef sf_status (*sf_builtin_fn)(sf_interp *I, const sf_args *a, sf_val *out);

struct sf_val {
  sf_vkind kind;
  int64_t i;
  double f;
  bool b;
  const char *s;           /* V_STR; V_MODULE path; V_METHOD method name */
  sf_val *items;           /* V_LIST, V_TUPLE; V_METHOD: the object (1 item) */
  int n;
  sf_graph *g;             /* V_TENSOR: graph of node */
  int node;
  bool numpy;              /* a NumPy array (prints numpy-style) */
  bool counted;            /* V_TENSOR of the eager graph: one counted handle (sf_val_ref/drop;
                            * engine/exec.h); set where a result is counted (eval.c
                            * count_result, sf_py_count_made) */
  sf_dtype dtype;          /* V_DTYPE */
  sf_builtin_fn fn;        /* V_BUILTIN */
  const sf_stmt *def;      /* V_FUNC */
  int index;               /* V_GENERATOR: generator index; V_FUNC: function slot */
  struct sf_obj *o;        /* V_OBJ: one counted reference */
};

typedef struct sf_binding sf_binding;
typedef struct sf_function sf_function;
typedef struct sf_layer sf_layer;
typedef struct sf_model sf_model;
typedef struct sf_kinit sf_kinit;

/* A deferred print in implicit-function mode: fetched when the program's one call runs. */
typedef struct sf_pending_print {
  int line;
  const char *expr;
  sf_val value;
  const char *sep, *end;
  bool tf_print;          /* tf.print's format */
  int64_t summarize;
} sf_pending_print;

struct sf_interp {
  const sf_program *prog;
  sf_run_options opt;
  sf_trace *tr;
  sf_error *err;
  sf_arena arena;
  sf_runtime rt;
  sf_pass_planner planner; /* the run's pass pipelines, parsed once (rt.planner) */
  sf_eager E;              /* eager dispatch (eager mode, function mode's top level, NumPy) */
  sf_eager_seeds es;
  sf_graph *main;          /* graph mode: the program's graph; implicit function: its FuncGraph */
  sf_session sess;
  sf_context ctx;          /* where new nodes go (ctx.graph) and whether they run now (ctx.eager) */
  sf_binding *globals, *locals;
  int line;
  sf_function *fns;
  int nfns;
  bool implicit_function;
  sf_pending_print *pending;
  int npending, cappending;
  sf_layer *layers;
  int nlayers;
  sf_model *models;
  int nmodels;
  sf_kinit *kinits;        /* initializer objects (api_keras_init.c) */
  struct sf_keras_uid *keras_uids; /* Keras's default-name counts (api_keras.c sf_keras_uid) */
  int nkinits;
  bool op_determinism;     /* tf.config.experimental.enable_op_determinism() was called */
  bool intra_op_set, inter_op_set; /* tf.config.threading's settings (api_config.c) */
  int32_t intra_op_value, inter_op_value;
  bool tf_context_started; /* TF initialized its eager context without an eager op: a
                              tf.function called eagerly, list_logical_devices */
  sf_print_options np_print; /* np.set_printoptions: how arrays and tensors print */
  int graph_asked_line;    /* the first line turning eager execution off in a run of another mode */
  int seed_line;           /* the first line setting the global seed */
  int switched_line;       /* the line whose mode switch made this run's mode (sf_run ran it again), 0 */
  int switch_line;         /* opt.program_mode: the line whose switch asks for switch_mode, which */
  sf_mode switch_mode;     /* sf_run then runs the program in from its start */
  int numpy_nodes;         /* eager nodes NumPy made (sf_numpy_begin/_end), not TF ops */
  int depth;                /* program-function calls in progress */
  int64_t py_calls;         /* program code run so far that may have kept a tensor: a program
                             * function that stores outside its frame, and any call made inside a
                             * program function that is not a pure API call, a Keras loss or a
                             * function storing nothing (lang/eval.c func_local): an eager node
                             * internal code made while none ran has no handle it does not know of */
  int *inits;              /* graph mode: variable initializers not yet run */
  int ninits, capinits;
  struct sf_py *py;        /* the Python evaluator's state (eval.c) */
  struct sf_tf1 *tf1;      /* TF1 graphs and Sessions (mod_tf_session.c), NULL until used */
  struct sf_tfdata *tfdata; /* tf.data datasets (mod_tf_data.c), NULL until used */
  bool tf_print;            /* the print being made is tf.print's (mod_tf_tensor.c) */
  int64_t tf_print_summarize;
  struct sf_keras3 *keras3; /* Keras seed state of profiles tf2.10 and keras3 (api_keras3.c), NULL until used */
  int seed_tool;           /* DeterministicRandomTestTool scope: 0 none, 1 'constant', 2 'num_random_ops' */
  int64_t seed_tool_seed, seed_tool_op;
  struct sf_ctl_frame *ctl; /* loop bodies and branches being traced (api_control.c) */
  int autograph;           /* graph mode: tf.function bodies being inlined (AutoGraph applies) */
  struct sf_tf1vars *tf1vars; /* get_variable's store and variable scopes (api_tf1_vars.c), arena */
  int global_generator;    /* tf.random.get_global_generator's index + 1; 0 until made */
  const sf_val *native_self; /* the object of the built-in method running (a str for 'a'.strip), or NULL */
  const char *api_path;    /* the path the API function running was called by, or NULL (its
                            * argument errors: under a tf.compat.v1 name that is TF 2's function,
                            * sf_api_v1_alias, an argument TF 2's lacks is unsupported) */
  bool *frozen_vars;       /* frozen_vars[k]: eager variable k is not trainable (a tape's
                            * watch_accessed_variables skips it), arena; nfrozen_vars long */
  int nfrozen_vars;
  struct sf_optims *optims; /* Keras optimizers (api_optim.c), arena, NULL until made */
  int recording_tapes;     /* tapes recording now (api_tape.c; one freed while recording stays counted) */
  int tracing_slot, tracing_ti; /* the tf.function trace being made: I->fns[slot - 1].traces[ti]; slot 0: none */
  struct sf_traced_call *tcalls; /* traced calls a tape recorded whose results live, oldest first */
  int ntcalls, captcalls, tcalls_kept;
  struct sf_np_alias *np_alias; /* NumPy arrays that share memory (lang/mod_numpy.c), uthash */
  int np_alias_n, np_alias_swept; /* its entries, now and after its last sweep */
  struct sf_printed_array *printed_arrays; /* NumPy arrays pending prints show (interp.c), uthash */
  int np_fresh;            /* the call or attribute evaluated now: eager nodes above this id
                            * were made by its operands' NumPy functions and operators, no call
                            * that may store (a NumPy array among them is a temporary); -1 none */
  int64_t store_calls;     /* calls so far that may have stored what they were given or made
                            * (a program function, list.append, dict.setdefault, ...; eval.c) */
};

/* A traced tf.function call a tape recorded (function mode): its result is constants in the
 * eager graph, nodes (lo, hi], that read, in TF, its tensor arguments, the eager tensors its
 * trace captured and the variables it read (deps, vars; malloc'd). seedflow has no gradient
 * of a call: a gradient that would flow through one is a located error (api_tape.c), never
 * a silent None. */
typedef struct sf_traced_call {
  int lo, hi;
  int *deps, ndeps;
  int *vars, nvars;
  const char *fname;
  int line;
} sf_traced_call;

/* Frees the records of traced calls. */
void sf_traced_calls_free(sf_interp *I);

/* Room for need elements of size bytes in the array *p of capacity *cap (doubled from 8). */
bool sf_grow(void **p, int *cap, int need, size_t size);

/* Whether a result made now is counted (eval.c count_result, sf_py_count_made): the eager
 * frame at the program's level, not a graph, a trace or a traced loop body, with releasing on. */
bool sf_py_counting(const sf_interp *I);
/* Whether a NumPy array made now is counted: in a graph or a trace too (a host value, which a
 * graph takes as a Const holding its tensor: sf_eager_keep_tensors), not in a traced loop body. */
bool sf_py_counting_arrays(const sf_interp *I);

/* ---- builder: what the API layer calls ---- */
/* Adds op (attrs NULL = defaults) to the current graph, running it now in eager mode. */
sf_status sf_b_op(sf_interp *I, const char *op, const char *name, const int *in, int nin,
                  const sf_attr_value *attrs, sf_node **out);
/* The same op named exactly `scope`, a name scope's own full name (a gen op called with the
 * scope's name, as TF's Python functions do: "transpose", "clip_by_value", "ArgMax"). */
sf_status sf_b_op_scope(sf_interp *I, const char *op, const char *scope, const int *in, int nin,
                        const sf_attr_value *attrs, sf_node **out);
/* attrs, the caller's array of SF_B_ATTRS, set to op's defaults (every op has at most
 * SF_B_ATTRS attributes: test registry/attrs_fit_the_builder); set entries with
 * sf_b_attr_set. The caller's own memory: the run's arena took 300 bytes an op for the
 * whole run. */
enum { SF_B_ATTRS = 8 };
void sf_b_attrs(const char *op, sf_attr_value *attrs);
void sf_b_attr_set(const char *op, sf_attr_value *attrs, const char *name, sf_attr_value v);
/* A Const node holding t (a new reference is taken). */
sf_status sf_b_const(sf_interp *I, sf_tensor *t, const char *name, int *id);
/* A NumPy array holding t (a new reference is taken): an eager Const marked host_array, in
 * every mode (a TF1 graph's op count seeds its random ops; a graph that takes the array
 * makes a Const of its own). */
sf_status sf_b_host_array(sf_interp *I, sf_tensor *t, const char *name, int *id);
/* convert_to_tensor: v as a node of the current graph; want < 0 means infer. */
sf_status sf_b_tensor(sf_interp *I, const sf_val *v, int want, const char *name, const sf_expr *at, int *id);
/* sf_b_tensor of *r, a value the program's code returned to the API (an activation's,
 * an initializer's, a constraint's result), then *r dropped: the node stays for the API to
 * use as one it made (sf_eager_take), not released with the program's handle. */
sf_status sf_b_tensor_take(sf_interp *I, sf_val *r, int want, const char *name, const sf_expr *at, int *id);
/* The eager tensors in v made after node `first` (a backward pass's gradients, a traced
 * call's result constants) become counted handles, one per place in v: released with the
 * last. */
void sf_py_count_made(sf_interp *I, int first, sf_val *v);
/* The dtype of a tensor of the graph being built or an eager one a trace captures (read in
 * its own graph), for a Python operand converted beside it (op_def_library.py
 * _apply_op_helper infers a type attr from the inputs already tensors); -1 for anything else. */
int sf_b_tensor_dtype(sf_interp *I, const sf_val *v);
/* tf.matmul and `a @ b` of nodes a and b: a located error when either is known to have a
 * rank above 2 (TF's BatchMatMulV2, not modelled). */
sf_status sf_b_matmul_ranks(sf_interp *I, const sf_expr *at, int a, int b);
/* The concrete value of a tensor value (eager) or NULL. */
sf_tensor *sf_b_eager_value(sf_interp *I, const sf_val *v);
void sf_b_tensor_val(sf_interp *I, int id, sf_val *out);
/* Name scopes: push returns the scope's unique name; pop restores. */
const char *sf_b_scope_push(sf_interp *I, const char *base, const char **saved);
void sf_b_scope_pop(sf_interp *I, const char *saved);
/* Runs a NumPy-stream op at Python time (in every mode) and returns its value, a host
 * value (of the eager graph) in every mode. */
sf_status sf_b_python_time(sf_interp *I, const char *op, const int *in_eager, int nin, const sf_attr_value *attrs,
                           sf_val *out);
/* A resource variable initialised from node init of the current graph; returns its index.
 * Eager: initialised now; graph: before the next session run (Keras's get_session). */
sf_status sf_b_variable(sf_interp *I, int init, int *var);
/* A ReadVariableOp of var in the current graph. */
sf_status sf_b_read(sf_interp *I, int var, int *id);
/* Whether n is its TF1 variable's initializer (the first Assign writing it). */
bool sf_b_is_initializer(const sf_graph *g, const sf_node *n);
/* Runs pending graph-mode initializers. */
sf_status sf_b_run_inits(sf_interp *I);
/* The builder interface gradient rules use, bound to the current graph. */
void sf_b_builder(sf_interp *I, sf_builder *b);
/* The host value of a tensor value: an eager tensor or a graph constant; NULL otherwise. */
sf_tensor *sf_b_host_value(sf_interp *I, const sf_val *v);
/* A graph's tf.Variable value (the read Identity "<var>/read" of a VariableV2): that
 * VariableV2, else NULL (mod_tf_session.c). */
const sf_node *sf_b_graph_variable(const sf_val *v);

/* get_seed for the current builder. */
void sf_b_get_seed(sf_interp *I, bool has_op_seed, int64_t op_seed, sf_seed_pair *out);
/* A random op with its seed pair and their provenance, in one call: get_seed's result
 * becomes the op's seed attributes before an eager kernel is instantiated. exact_name
 * (NULL: a unique name from name) is a name already reserved, a scope's own. */
sf_status sf_b_random(sf_interp *I, const char *op, const char *name, const char *exact_name, const int *in, int nin,
                      const sf_attr_value *attrs, const sf_seed_pair *seeds, sf_node **out);
/* Sets the seed the way tf.random.set_seed does in the current context. */
void sf_b_set_seed(sf_interp *I, int64_t seed);


/* ---- argument binding ---- */
/* Binds a's positional and keyword arguments to the names in params (space separated,
 * in order); unbound slots stay V_NONE with given[i] false. A name written !name is one of
 * TF's parameters that seedflow does not model: it holds its place in the order, and a
 * value other than None given for it is a located unsupported error (not the TypeError a
 * parameter TF lacks is). */
sf_status sf_bind(sf_interp *I, const char *fname, const sf_args *a, const char *params, sf_val *out, bool *given);
/* Declares v[n], g[n] and st, binds a to params (sf_bind) and returns on error. */
#define SF_BIND(fname, params, n)                     \
  sf_val v[n];                                        \
  bool g[n];                                          \
  sf_status st = sf_bind(I, fname, a, params, v, g); \
  if (st != SF_OK) return st
/* SF_OK when given, else CPython's "FNAME() missing 1 required positional argument: 'PNAME'". */
sf_status sf_arg_need(sf_interp *I, const sf_args *a, const char *fname, const char *pname, bool given);
sf_status sf_arg_int(sf_interp *I, const sf_args *a, const char *fname, const char *pname, const sf_val *v, int64_t *out);
sf_status sf_arg_float(sf_interp *I, const sf_args *a, const char *fname, const char *pname, const sf_val *v, double *out);
sf_status sf_arg_dtype(sf_interp *I, const sf_args *a, const char *fname, const sf_val *v, sf_dtype dflt, sf_dtype *out);
sf_status sf_arg_error(sf_interp *I, const sf_args *a, sf_status code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The error I->err holds, prefixed with "<context>: " and located at the call. */
sf_status sf_arg_rethrow(sf_interp *I, const sf_args *a, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- the API table (api.c) ---- */
sf_builtin_fn sf_api_lookup(const char *path);
/* Whether path is a tf.compat.v1 name sf_api_lookup resolves to TF 2's function of that name
 * (by its fallback, or a family's table taking both names). */
bool sf_api_v1_alias(const char *path);
/* fn only builds ops from its arguments and keeps none of them past the call: a counted
 * tensor passed to it stays counted (lang/eval.c pin_call). */
bool sf_api_pure(sf_builtin_fn fn);
bool sf_api_dtype(const char *path, sf_dtype *out);
/* Methods of object values. */
sf_status sf_api_method(sf_interp *I, const sf_val *self, const char *method, const sf_args *a, sf_val *out);
/* print(*a, sep=sep, end=end): fetches the tensors in a and records the text (interp.c). */
sf_status sf_interp_print(sf_interp *I, const sf_args *a, const char *sep, const char *end);
/* str() / repr() of a value holding tensors: their values, fetched as print does. */
struct sf_buf;
sf_status sf_interp_format_value(sf_interp *I, const sf_expr *at, const sf_val *v, bool repr, struct sf_buf *b);
/* Python operators on tensors and NumPy arrays (api_ops.c); operands are flat values
 * (numbers, nested lists, tensors). op as in SF_EX_BINOP. */
sf_status sf_api_tensor_binop(sf_interp *I, const sf_expr *at, char op, const sf_val *a, const sf_val *b, sf_val *out);
sf_status sf_api_tensor_neg(sf_interp *I, const sf_expr *at, const sf_val *v, sf_val *out);
/* int()/float() of a one-element tensor with a value now (eager, or a graph constant). */
sf_status sf_api_tensor_scalar(sf_interp *I, const sf_args *a, const sf_val *v, double *out);
/* NumPy (mod_numpy.c): the np.* table, array methods, attributes, operators, indexing. */
sf_builtin_fn sf_numpy_lookup(const char *path);
sf_status sf_numpy_method(sf_interp *I, const sf_val *self, const char *method, const sf_args *a, sf_val *out);
sf_status sf_numpy_attr(sf_interp *I, const sf_expr *at, const sf_val *self, const char *name, sf_val *out, bool *found);
sf_status sf_numpy_binop(sf_interp *I, const sf_expr *at, char op, const sf_val *a, const sf_val *b, sf_val *out);
/* NumPy array `id` is about to change in place: an error if a deferred print shows it as it
 * will be at the end (inside a dict, a list or an object). */
sf_status sf_interp_print_detach(sf_interp *I, const sf_expr *at, int id);
/* Forgets which NumPy arrays share memory. */
void sf_numpy_alias_free(sf_interp *I);
/* a op= b on NumPy array a (a's values change in a itself; lang/mod_numpy.c); temp: b's
 * node when b is a temporary of the statement (gone after it, so no view of a to refuse). */
sf_status sf_numpy_inplace(sf_interp *I, const sf_expr *at, char op, const sf_val *a, const sf_val *b, int temp);
/* x[k] = v on NumPy array x (x's values change in x itself); temp: v's node when v is a
 * temporary of the statement. */
sf_status sf_numpy_setitem(sf_interp *I, const sf_expr *at, const sf_val *x, const sf_val *k, const sf_val *v, int temp);
/* x[k] op= y with cur = x[k] a NumPy array (the result of x[k] op y cast as op= casts, put
 * back in x); temp: y's node when y is a temporary of the statement. */
sf_status sf_numpy_setitem_op(sf_interp *I, const sf_expr *at, const sf_val *x, const sf_val *k, char op,
                              const sf_val *cur, const sf_val *y, int temp);
/* a OP b element-wise (OP one of == != < <= > >=): a bool array. */
sf_status sf_numpy_compare(sf_interp *I, const sf_expr *at, const char *op, const sf_val *a, const sf_val *b, sf_val *out);
/* np.pi, np.e, np.inf, np.nan. */
bool sf_numpy_constant(const char *path, double *out);
/* x.astype(dt) (a new tensor; float -> int truncates toward zero). */
sf_status sf_numpy_astype(sf_interp *I, const sf_args *a, const char *fname, const sf_tensor *x, sf_dtype dt, sf_tensor **out);
/* x's elements written into t from element at, converted as NumPy's astype converts them
 * (float -> int truncates, bool is != 0). */
void sf_numpy_cast_into(const sf_tensor *x, sf_tensor *t, int64_t at);
sf_status sf_numpy_neg(sf_interp *I, const sf_expr *at, const sf_val *v, sf_val *out);
sf_status sf_numpy_len(sf_interp *I, const sf_args *a, const sf_val *self, int64_t *n);
/* np.float32(x) and the other NumPy types called: a NumPy scalar of a number or string, an
 * array of an array or nested lists (x.astype). */
sf_status sf_numpy_dtype_call(sf_interp *I, sf_dtype dt, const sf_args *a, sf_val *out);
/* iter(self): an iterator over self[0], self[1], ... */
sf_status sf_numpy_iter(sf_interp *I, const sf_expr *at, const sf_val *self, sf_val *it);
/* self[k] with k a Python value; the result a Python value (eval.c's sf_val). */
sf_status sf_numpy_getitem(sf_interp *I, const sf_expr *at, const sf_val *self, const sf_val *k, sf_val *out);
/* NumPy scalars (mod_numpy_scalar.c): a V_FLOAT, V_INT or V_BOOL with numpy set and dtype
 * one of float32, float64, int32, int64, bool (sf_np_taggable) is numpy.<dtype>. */
bool sf_np_taggable(sf_dtype dt);
bool sf_np_is_scalar(const sf_val *v);
/* Element i of t: a NumPy scalar of t's dtype (another dtype: a plain Python number). */
sf_val sf_np_scalar_of(const sf_tensor *t, int64_t i);
/* f (rounded to float32 for dt float32) as a NumPy scalar of float dtype dt. */
sf_val sf_np_float(double f, sf_dtype dt);
/* "numpy.float32" and the others, as type() names them. */
const char *sf_np_type_name(sf_dtype dt);
/* The shortest decimal reading back as the float32 x, as a double (Python's repr prints it). */
double sf_np_f32_shortest(double x);
/* str() and repr() of a NumPy scalar. */
void sf_np_scalar_text(const sf_val *v, char *out, size_t cap);
/* a OP b where a or b is a NumPy scalar and the other a number (op as in SF_EX_BINOP). */
sf_status sf_np_binop(sf_interp *I, const sf_expr *at, char op, const sf_val *a, const sf_val *b, sf_val *out);
/* -x, +x, ~x (op '-', '+', '~') and abs(x) of a NumPy scalar. */
sf_val sf_np_neg(const sf_val *v, char op);
/* NumPy's TypeErrors for - and unary - of booleans (arrays and numpy.bool_ alike). */
extern const char sf_np_bool_subtract[], sf_np_bool_negative[];
sf_val sf_np_abs(const sf_val *v);
/* v, a NumPy array value (not a counted one), becomes its element when it is 0-d and has a
 * value now: sess.run and .numpy() of a scalar tensor give a NumPy scalar. */
void sf_np_scalarize(sf_interp *I, sf_val *v);
/* .numpy() of tensor t: an eager one's value as a NumPy array of its own (a Const holding
 * the tensor), or its element when t is 0-d; a graph's tensor read as an array sharing its
 * node (pinned: kept for good, not a second counted handle). */
sf_status sf_np_of_eager(sf_interp *I, const sf_val *t, sf_val *out);
/* a // b (want_div) or a % b in double, as NumPy's npy_divmod (mod_numpy.c). */
double sf_np_fdivmod(double a, double b, bool want_div);
float sf_np_fdivmodf(float a, float b, bool want_div); /* the same in float (npy_divmodf) */
/* NumPy 1.24's result dtype of a binary operation; a weak operand is a Python scalar (mod_numpy.c). */
sf_dtype sf_np_promote(sf_dtype x, bool wx, sf_dtype y, bool wy);
/* NumPy's discovery of nested lists (array_coercion.c): the shape every branch agrees on
 * and the promotion of the leaves' types. A leaf is a Python number (bool, int64, float64),
 * a NumPy scalar (its type) or an array or tensor with a value (its type, its dimensions
 * continuing the lists'). */
enum { SF_NP_TOO_DEEP = 1, SF_NP_NOT_A_NUMBER = 2 };
typedef struct sf_np_discovery {
  int64_t size[SF_MAX_RANK + 1]; /* size[d]: the length at depth d (-1: none yet) */
  bool ends[SF_MAX_RANK + 1];    /* a leaf ends at depth d */
  int conflict;                  /* the first depth where branches disagree, or -1 */
  int deep;                      /* SF_NP_TOO_DEEP, SF_NP_NOT_A_NUMBER (a leaf), or 0 */
  bool any;                      /* a leaf was seen; dt is their promotion */
  sf_dtype dt;
  bool symbolic;                 /* a tensor without a value */
  sf_shape shape;                /* the agreed dimensions (up to the conflict) */
  const sf_val *first;           /* the first leaf, depth first */
} sf_np_discovery;
void sf_np_discover(sf_interp *I, const sf_val *v, sf_np_discovery *d);
/* NumPy's ValueError for a list discovery found ragged (d->conflict >= 0). */
sf_status sf_np_inhomogeneous(sf_interp *I, const sf_expr *at, const sf_np_discovery *d);
/* x // y (want_div) or x % y on NumPy's int64: floor semantics, 0 for y == 0 and INT64_MIN // -1. */
int64_t sf_np_idivmod(int64_t x, int64_t y, bool want_div);
/* np.float32 and kin (a NumPy V_DTYPE) as the class type() gives their scalars, np.ndarray
 * as the arrays' class, else NULL: isinstance(x, np.float32), type(x) is np.ndarray. */
struct sf_class *sf_np_type_class(sf_interp *I, const sf_val *v);
/* round(x, nd) of a NumPy scalar (np.around). */
sf_val sf_np_round(const sf_val *v, int64_t nd);
/* Keras (api_keras.c): the constructors are in the table; methods of layers and models. */
sf_builtin_fn sf_keras_lookup(const char *path);
sf_status sf_keras_method(sf_interp *I, const sf_val *self, const char *method, const sf_args *a, sf_val *out);
sf_status sf_keras_call(sf_interp *I, const sf_val *self, const sf_args *a, sf_val *out);
void sf_keras_free(sf_interp *I);
/* Activations (api_activations.c): tf.nn.elu & co. by API path; a layer's activation=
 * argument (a Keras name or a callable) resolved, then applied to a node. */
typedef struct sf_keras_act {
  int kind;  /* a row of the Keras name table, or -1: fn is called */
  sf_val fn;
} sf_keras_act;
sf_builtin_fn sf_act_lookup(const char *path);
bool sf_act_has(sf_builtin_fn fn); /* fn is one of sf_act_lookup's */
sf_status sf_keras_act_resolve(sf_interp *I, const sf_args *a, const char *fname, const sf_val *v, sf_keras_act *out);
sf_status sf_keras_act_apply(sf_interp *I, const sf_keras_act *act, int x, int *y);
/* Keras layer extras (api_keras_layers.c): regularizers, constraints, and the attributes
 * of layers and models (layers, variables, trainable_variables, losses, kernel, bias). */
typedef struct sf_keras_weight {
  int var;                  /* resource variable index */
  int read;                 /* its ReadVariableOp of the layer's latest call */
  const char *name;         /* "kernel", "bias" */
  const sf_val *reg, *con;  /* regularizer, constraint (V_NONE: none) */
} sf_keras_weight;
sf_builtin_fn sf_keras_layers_lookup(const char *path);
/* Checks kernel_regularizer, bias_regularizer, kernel_constraint, bias_constraint,
 * activity_regularizer (v[0..4]) and keeps them in reg[2], con[2]. */
sf_status sf_keras_weight_args(sf_interp *I, const sf_args *a, const char *fname, const sf_val *v, sf_val reg[2], sf_val con[2]);
/* A layer or model attribute; false when name is none of them (*st SF_OK). */
bool sf_keras_attr(sf_interp *I, const sf_expr *at, const sf_val *self, const char *name, sf_val *out, sf_status *st);
/* fit's loss: the compiled loss + add_n(model.losses) (compile_utils.py LossesContainer). */
sf_status sf_keras_fit_reg_loss(sf_interp *I, int model, int *loss);
int sf_keras_model_layer(sf_interp *I, int model, int i);
/* model.layers as Keras lists them (out holds 33); returns how many. */
int sf_keras_model_listed_layers(sf_interp *I, int model, int *out);
/* Whether the API base class named cls (Keras's Layer or Model, tf.Module) has the public
 * attribute name: a subclass lacking it in seedflow is unsupported there. */
bool sf_keras_base_has(const char *cls, const char *name);
/* Layer / Model subclasses (api_keras_subclass.c): the base class for a class statement's
 * base path (false: not one); the attributes of an instance (false: not Keras's). */
bool sf_keras_base_class(sf_interp *I, const char *path, sf_val *base, sf_status *st);
bool sf_keras_inst_attr(sf_interp *I, const sf_expr *at, const sf_val *self, const char *name, sf_val *out, sf_status *st);
int sf_keras_layer_weights(sf_interp *I, int layer, sf_keras_weight w[2], char *name, size_t cap);
/* Keras's default names: the next number of prefix ("dense" -> 0, 1, ... for "dense",
 * "dense_1", ...), counted per default graph as Keras 2's backend.unique_object_name does
 * (one count for all under Keras 3); -1 when out of memory. A layer given name= takes
 * none. sf_keras_unique_name writes the name itself. */
int sf_keras_uid(sf_interp *I, const char *prefix);
bool sf_keras_unique_name(sf_interp *I, const char *prefix, char *out, size_t cap);
/* keras.backend.clear_session() forgets every count (reset_uids); a new default graph
 * (reset_default_graph) starts with none of its own. */
void sf_keras_reset_uids(sf_interp *I, bool all);
bool sf_keras_model_name(sf_interp *I, int model, char *out, size_t cap);
/* model.summary() in Keras 2.9-2.12's sequential layout (layer_utils.print_summary: 65
 * columns, fields at 29 and 55): the check that this profile has it and no arguments
 * were given, then the frame around rows of {"name (Class)", output shape, params}. A
 * built-in layer's first and third fields (params -1: never built): false when its kind
 * has no row. */
sf_status sf_keras_summary_check(sf_interp *I, const sf_args *a);
sf_status sf_keras_summary_print(sf_interp *I, const sf_args *a, const char *model, int n, const char *const (*rows)[3],
                                 int64_t trainable, int64_t fixed);
bool sf_keras_layer_row(sf_interp *I, int layer, char *name, size_t cap, int64_t *params); /* -1: not built */
/* Keras 2.10-2.15 and Keras 3 random rules (api_keras3.c): their API by path, and the
 * hooks api_keras.c's layers call. A layer's seed: resolved (has) or not yet drawn. */
typedef struct sf_keras_seed {
  bool has;
  int64_t seed;
  sf_seed_origin origin;
} sf_keras_seed;
sf_builtin_fn sf_keras3_lookup(const char *path);
void sf_keras3_free(sf_interp *I);
/* The Keras version whose rules apply (MAJOR*10000+MINOR*100+PATCH; the profile's newest by default). */
int sf_keras_version(const sf_interp *I);
/* random.randint(1, 10**9) as Keras draws a default seed. */
sf_status sf_keras_python_seed(sf_interp *I, int64_t *seed, sf_seed_origin *o);
/* The random ops traced since trace op `from` are stateless ops seeded by the program. */
void sf_keras_mark_stateless(sf_interp *I, int from);
sf_status sf_keras_dense_new(sf_interp *I, sf_keras_seed *ks);
sf_status sf_keras_glorot_kernel(sf_interp *I, sf_keras_seed *ks, int64_t fan_in, int64_t units, sf_val *out);
sf_status sf_keras_dropout_new(sf_interp *I, double rate, bool has_seed, int64_t seed, int *gen);
bool sf_keras_dropout_call(sf_interp *I, int gen, double rate, bool has_seed, int64_t *seed, int x, int *y, sf_status *st);
/* Initializers (api_keras_init.c): the constructors by API path; a layer's initializer
 * argument (None: dflt, a name, an initializer object, a function) as an index; that
 * initializer's value of a shape, drawn in the current builder. */
sf_builtin_fn sf_kinit_lookup(const char *path);
sf_status sf_kinit_resolve(sf_interp *I, const sf_args *a, const char *fname, const sf_val *v, const char *dflt, int *out);
sf_status sf_kinit_draw(sf_interp *I, int index, const int64_t *dims, int rank, sf_dtype dt, const sf_expr *at, sf_val *out);
/* TF1 graphs and Sessions (mod_tf_session.c): tf.Session, tf.Graph, ... by API path;
 * Tensor.eval / Operation.run (false when method is neither); freeing at the run's end. */
sf_builtin_fn sf_tf1_lookup(const char *path);
bool sf_tf1_tensor_method(sf_interp *I, const sf_val *self, const char *method, const sf_args *a, sf_val *out, sf_status *st);
void sf_tf1_free(sf_interp *I);
/* Binds a native method's Python arguments to params (space separated, at most 8);
 * missing ones are None; a TypeError for too many or unknown ones (mod_tf_session.c). */
sf_status sf_native_bind(sf_interp *I, const sf_args *a, const char *fname, const char *params, sf_val *v, int nv);
/* Records the run's one note that unseeded draws change every run (interp.c). */
sf_status sf_note_unseeded(sf_interp *I);
/* Data attributes of a tensor or NumPy array (shape, ndim, dtype) as a new reference;
 * false when name is none of them (mod_tf_session.c). */
bool sf_api_tensor_attr(sf_interp *I, const sf_val *v, const char *name, sf_val *out, sf_status *st);
/* A graph tensor's repr (<tf.Tensor 'x:0' shape=(2,) dtype=float32>) or str
 * (Tensor("x:0", shape=(2,), dtype=float32)) appended to b: what print shows of a tensor
 * no session of the print runs (a function being traced, another graph). */
sf_status sf_api_symbolic_text(sf_interp *I, const sf_val *t, bool repr, struct sf_buf *b);
/* tf.function(f, ...) called as a function (interp.c). */
sf_status sf_api_tf_function(sf_interp *I, const sf_args *a, sf_val *out);
/* tf.data and tf.range (mod_tf_data.c). */
sf_builtin_fn sf_tfdata_lookup(const char *path);
/* Whether v is a tf.data.Dataset; the elements of one new iterator over it (as a `for`
 * over it makes them): *n elements of *w tensors, (*tensors)[e * w + c], new references in a
 * malloc'd array the caller frees; *tuple: the elements are tuples. */
bool sf_tfdata_is_dataset(sf_interp *I, const sf_val *v);
/* An iterator over the dataset made and dropped before any element is read: what that
 * costs the dataset's seed generators (tf2 profiles). */
void sf_tfdata_make_iterator(sf_interp *I, const sf_val *ds);
sf_status sf_tfdata_elements(sf_interp *I, const sf_args *a, const sf_val *ds, sf_tensor ***tensors, int64_t *n, int *w,
                             bool *tuple);
void sf_tfdata_free(sf_interp *I);
/* tf.errors.OutOfRangeError (a class value) for its path; false for other paths. */
bool sf_tfdata_constant(sf_interp *I, const char *path, sf_val *out, sf_status *st);
/* A run's error: an iterator's "End of sequence" becomes Python's OutOfRangeError. */
sf_status sf_tfdata_run_error(sf_interp *I, const sf_expr *at, sf_status st);
/* tf.print, tf.equal and comparisons of tensors (mod_tf_tensor.c). */
sf_builtin_fn sf_tftensor_lookup(const char *path);
/* Whether `a op b` is a tensor comparison op (Tensor.__lt__ etc.; == and != only outside a
 * TF1 graph, where they compare identities); then sf_api_tensor_compare builds it. */
bool sf_api_tensor_compare_applies(sf_interp *I, const char *op, const sf_val *a, const sf_val *b);
sf_status sf_api_tensor_compare(sf_interp *I, const sf_expr *at, const char *op, const sf_val *a, const sf_val *b, sf_val *out);
/* Stateless integer/categorical/shuffle ops, seed split and fold-in, tf.random.categorical
 * and tf.random.Generator's methods beyond normal/uniform (api_stateless.c). */
sf_builtin_fn sf_stateless_lookup(const char *path);
sf_status sf_api_generator_from_seed(sf_interp *I, const sf_args *a, sf_val *out);
sf_status sf_generator_new(sf_interp *I, const sf_philox *state, bool os_entropy, sf_val *out);
bool sf_generator_method(sf_interp *I, const sf_val *self, const char *method, const sf_args *a, sf_val *out, sf_status *st);
/* Generator.state (eager): the state as an int64[3] tensor that prints as TF's variable. */
sf_status sf_generator_state(sf_interp *I, const sf_expr *at, const sf_val *self, sf_val *out);
/* The int-dtype tails of stateless_uniform and Generator.uniform, with api.c's bound
 * arguments (shape seed minval maxval dtype name / shape minval maxval dtype name). */
sf_status sf_api_stateless_uniform_int(sf_interp *I, const sf_args *a, const sf_val *v, const bool *g, sf_dtype dt, sf_val *out);
sf_status sf_generator_uniform_int(sf_interp *I, const sf_val *self, const sf_args *a, const sf_val *v, const bool *g, sf_dtype dt,
                                   sf_val *out);
/* An alg= argument: None, 'philox' / 1 or 'auto_select' / 3 (Philox on CPU); else an error. */
sf_status sf_api_rng_alg(sf_interp *I, const sf_args *a, const char *fname, const sf_val *alg);
/* A random op's shape argument as a node (api.c's convert_to_tensor of shapes). */
sf_status sf_api_shape_input(sf_interp *I, const sf_args *a, const sf_val *v, int *id);
/* Tensor indexing (StridedSlice), len() and iteration of an eager tensor (api_tensor.c). */
sf_status sf_tensor_getitem(sf_interp *I, const sf_expr *at, const sf_val *self, const sf_val *k, sf_val *out);
sf_status sf_tensor_len(sf_interp *I, const sf_expr *at, const sf_val *v, int64_t *n);
sf_status sf_tensor_iter(sf_interp *I, const sf_expr *at, const sf_val *v, sf_val *it);
/* An iterator over v[0] .. v[n-1], each taken with getitem (a tensor's or an array's rows). */
sf_status sf_rows_iter(sf_interp *I, const sf_expr *at, const sf_val *v, int64_t n,
                       sf_status (*getitem)(sf_interp *, const sf_expr *, const sf_val *, const sf_val *, sf_val *),
                       sf_val *it);
/* tf.reduce_* and the elementwise math of tf.* / tf.math.* (api_tensor.c); NULL if none. */
sf_builtin_fn sf_tensor_lookup(const char *path);
bool sf_tensor_has(sf_builtin_fn fn); /* fn is one of sf_tensor_lookup's */
/* tf.argmax, where, stack, concat, add_n, one_hot, zeros_like, shape ... (api_array.c). */
sf_builtin_fn sf_array_lookup(const char *path);
bool sf_array_has(sf_builtin_fn fn); /* fn is one of sf_array_lookup's */
/* tf.config (api_config.c): thread settings and devices. */
sf_builtin_fn sf_config_lookup(const char *path);
/* Around NumPy's work at Python time: the eager nodes it makes are not TensorFlow ops, so
 * they do not count as the ops that initialize TF's eager context (api_config.c). */
static inline int sf_numpy_begin(const sf_interp *I) { return I->E.g ? I->E.g->n : 0; }
static inline void sf_numpy_end(sf_interp *I, int n0) {
  if (I->E.g) I->numpy_nodes += I->E.g->n - n0;
}
/* tf.GradientTape, eager tf.Variable objects and the tf.Module base class (api_tape.c). */
sf_builtin_fn sf_tape_lookup(const char *path);
/* Eager tf.Variable(initial value node init): a variable object (borrowed, as the flat API returns). */
sf_status sf_tape_new_variable(sf_interp *I, const sf_args *a, int init, const sf_val *trainable, const sf_val *name,
                               const sf_val *constraint, sf_val *out);
bool sf_tape_is_variable(const sf_val *v);
/* A new instance of a new native class named cname (compared by address); false: out of memory. */
bool sf_tape_new_object(sf_interp *I, const char *cname, sf_val *out);
sf_status sf_tape_wrap_variable(sf_interp *I, int k, const char *name, bool trainable, const sf_val *constraint, sf_val *out);
/* var.assign(con(var)) after the ops in after[0..nafter) (a control dependency in a graph);
 * *assign: the AssignVariableOp (api_tape.c). */
sf_status sf_constrain_variable(sf_interp *I, const sf_val *con, int var, const int *after, int nafter, int *assign);
/* Keras optimizer methods on tf.Variable objects: apply_gradients, minimize (api_tape.c);
 * a takes Python values; *out a new reference. */
sf_status sf_tape_optimizer_method(sf_interp *I, const sf_val *opt, const char *method, const sf_args *a, sf_val *out);
/* Keras optimizers (api_optim.c): constructors by API path; optimizers.get(name); the
 * update of vars (resource variable indices) by grads (node ids, 0 = none) in the current
 * builder, its target nodes in updates (at most cap). */
sf_builtin_fn sf_optim_lookup(const char *path);
sf_status sf_optim_from_name(sf_interp *I, const sf_args *a, const char *name, sf_val *out);
sf_status sf_optim_apply(sf_interp *I, const sf_val *opt, const int *vars, const int *grads, int n, int *updates,
                         int cap, int *nupdates);
/* TF1 tf.compat.v1.train optimizers: minimize / compute_gradients / apply_gradients (a
 * takes Python values; *out a new reference). */
bool sf_optim_is_tf1(sf_interp *I, const sf_val *opt);
sf_status sf_optim_tf1_method(sf_interp *I, const sf_val *opt, const char *method, const sf_args *a, sf_val *out);
/* A variable's value in the current graph: a ReadVariableOp (the flat tensor in *out). */
sf_status sf_tape_read(sf_interp *I, const sf_val *v, sf_val *out);
/* `class C(tf.Module)`: when path names a TF base class, *base becomes that class (a new
 * reference replacing the module value) and true is returned. */
bool sf_tape_base_class(sf_interp *I, const char *path, sf_val *base, sf_status *st);
/* API constants such as tf.data.AUTOTUNE or tf.compat.v1.logging.ERROR (a new reference in
 * *out); false when path is none. */
bool sf_tf1_constant(sf_interp *I, const char *path, sf_val *out, sf_status *st);

#endif
