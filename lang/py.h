/* py.h — the Python evaluator (eval.c) and its built-ins (builtins.c, format.c, mod_*.c):
 * what they share. Internal to lang/. Values follow value.h's reference rules. */
#ifndef SEEDFLOW_PY_H
#define SEEDFLOW_PY_H

#include "value.h"

enum { SF_PY_MAX_DEPTH = 1000 };  /* Python's default recursion limit */

typedef enum sf_flow { FLOW_NONE, FLOW_BREAK, FLOW_CONTINUE, FLOW_RETURN } sf_flow;

/* The built-in classes the evaluator needs by name. */
typedef enum sf_builtin_class {
  BC_OBJECT, BC_TYPE, BC_INT, BC_FLOAT, BC_BOOL, BC_STR, BC_LIST, BC_TUPLE, BC_DICT, BC_SET, BC_RANGE,
  BC_NONETYPE, BC_FUNCTION,
  BC_BASEEXC, BC_EXCEPTION, BC_ARITH, BC_ZERODIV, BC_OVERFLOW, BC_TYPEERR, BC_VALUEERR, BC_NAMEERR,
  BC_UNBOUNDLOCAL, BC_ATTRERR, BC_LOOKUP, BC_INDEXERR, BC_KEYERR, BC_RUNTIME, BC_RECURSION,
  BC_NOTIMPL, BC_ASSERT, BC_STOPITER, BC_IMPORTERR, BC_MODULENOTFOUND, BC_KBINT, BC_SYSEXIT, BC_OSERR,
  BC_FILENOTFOUND, BC_PERMISSION, BC_MEMORYERR, BC_PROPERTY, BC_CLASSMETHOD, BC_STATICMETHOD,
  BC_BUILTINFN, BC_METHOD, BC_MODULE, BC_ELLIPSIS, BC_MAP, BC_FILTER, BC_ZIP, BC_ENUMERATE,
  BC_NP_FLOAT32, BC_NP_FLOAT64, BC_NP_INT32, BC_NP_INT64, BC_NP_BOOL, BC_NP_NDARRAY, /* NumPy's, not builtins */
  BC_NP_RANDOMSTATE, BC_NP_GENERATOR,
  BC_TF_EAGER, BC_TF_TENSOR, BC_TF_SYMBOLIC, BC_TF_DTYPE, BC_TF_REFVAR, BC_TF_RESVAR, /* TensorFlow's */
  BC_IT_PRODUCT, BC_IT_COMBINATIONS, BC_IT_PERMUTATIONS, BC_IT_CHAIN, BC_IT_ISLICE, BC_IT_COUNT, BC_IT_REPEAT, /* itertools' */
  BC_GENERATOR, BC_DICT_KEYS, BC_DICT_VALUES, BC_DICT_ITEMS,
  BC_COUNT
} sf_builtin_class;

typedef struct sf_py {
  sf_scope *globals;
  sf_scope *scope;             /* current locals (== globals at module level) */
  sf_dict *builtins;
  sf_dict *modules;            /* imported Python-native modules by name */
  sf_class *cls[BC_COUNT];
  sf_val exc;                  /* the exception being raised (an instance), V_NONE when none */
  sf_val handling;             /* the exception an `except` block is handling (bare raise) */
  sf_flow flow;
  sf_val ret;                  /* FLOW_RETURN's value */
  int depth;                   /* program-function calls in progress */
  sf_random *random;           /* the random module's global Random() */
  sf_buf line;                 /* print(..., end=...) output not yet ended by a newline */
  sf_val print_sep, print_end; /* the current print call's sep and end (borrowed) */
  int tb_lines;                /* traceback frames already appended to the error */
  sf_func *cur_func;           /* the program function running (super()) */
  sf_val *pinned;              /* objects deferred prints still show (sf_py_snapshot), and sf_py_keep's */
  int npinned;
  sf_heap heap;                /* every object of the run */
  double deadline;             /* CLOCK_MONOTONIC seconds when the time limit is hit */
  double time_limit;
  unsigned ticks;              /* statements and iterations since the clock was read */
  struct sf_api_path *paths;   /* API paths read (tf.random, tf.square): one copy each (api_path) */
  const sf_obj *repr_active[SF_PY_MAX_DEPTH]; /* containers being written (value.c repr_enter) */
  int nrepr;
} sf_py;


/* ---- evaluator (eval.c) ---- */
/* Every 4096th call reads the clock; past the deadline it fails with the limit's name. */
sf_status sf_py_tick(sf_interp *I, const sf_expr *at);
sf_status sf_py_init(sf_interp *I);
void sf_py_free(sf_interp *I);
sf_status sf_py_exec(sf_interp *I, sf_stmt **body, int n);
/* Raises an instance of built-in class bc with a message, located at e (or the current line). */
/* A Python int past int64 (CPython's are unbounded): the located unsupported error, which no
 * except clause catches (an OverflowError would send a program CPython runs down its handler). */
sf_status sf_py_int64_limit(sf_interp *I, const sf_expr *e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
sf_status sf_py_raise(sf_interp *I, const sf_expr *e, sf_builtin_class bc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Raises an instance of exception class cls (a subclass of a built-in one) with msg. */
sf_status sf_py_raise_class(sf_interp *I, const sf_expr *e, sf_class *cls, const char *msg);
/* An operator's text ('F' is //, 'P' **, 'L' <<, 'R' >>, the others themselves). */
const char *sf_py_op_text(char op);
/* self.name as a native bound to self (a new reference); true, *st set on out of memory. */
bool sf_py_bind_native(sf_interp *I, const char *name, sf_native_fn fn, const sf_val *self, sf_val *out, sf_status *st);
/* a == b with Python's rules: identity, then a's __eq__, then b's (reflected), then values. */
sf_status sf_py_eq(sf_interp *I, const sf_expr *at, const sf_val *a, const sf_val *b, bool *eq);
/* obj.__dict__ of a program class's instance (the live dict, a new reference); false for
 * every other value. */
bool sf_py_instance_dict(sf_interp *I, const sf_val *v, sf_val *out);
/* a | b, a & b, a - b, a ^ b of two sets, built as CPython builds them (a new set). */
sf_status sf_py_set_op(sf_interp *I, char op, const sf_val *a, const sf_val *b, sf_val *out);
/* set_update_internal(so, other): a set merged, a dict's keys, any other iterable's items. */
sf_status sf_py_set_update(sf_interp *I, const sf_expr *at, struct sf_dict *so, const sf_val *other);
/* x in a set, a keys or an items view (an item's value by ==). */
sf_status sf_py_setlike_has(sf_interp *I, const sf_expr *at, const sf_val *s, const sf_val *x, bool *has);
/* a < b with Python's rules (numbers, str, sequences, __lt__); a TypeError otherwise. */
sf_status sf_py_less(sf_interp *I, const sf_expr *at, const sf_val *a, const sf_val *b, bool *r);
/* An API attribute (V_METHOD, e.g. x.shape) or an API path that names no function or constant
 * (V_MODULE, e.g. np.linalg or np.foo) used as a value: named unsupported. */
sf_status sf_py_api_attr_error(sf_interp *I, const sf_expr *at, const sf_val *v);
/* A value seedflow cannot show or use but as a call (an API path, a lazy method such as
 * model.metrics_names, which TF may define as a property): true with the located error set
 * when v is one. */
static inline bool sf_py_lazy_error(sf_interp *I, const sf_expr *at, const sf_val *v, sf_status *st) {
  if (v->kind != V_METHOD && v->kind != V_MODULE) return false;
  *st = sf_py_api_attr_error(I, at, v);
  return true;
}
/* What v.name evaluates to, for getattr() and hasattr(): *found false, and no error, when
 * that is Python's AttributeError (at locates other errors). */
sf_status sf_py_lookup_attr(sf_interp *I, const sf_expr *at, const sf_val *v, const char *name, sf_val *out, bool *found);
/* AttributeError: v has no attribute `name`, in CPython's words for v's kind. */
sf_status sf_py_attr_error(sf_interp *I, const sf_expr *at, const sf_val *v, const char *name);
/* realnames.c: 1 when the real `owner` (a module's name, or an object's module-qualified
 * class: "math", "numpy.ndarray") has attribute `name`, 0 when it has not, -1 when seedflow
 * lists no names of owner's. */
int sf_py_real_name(const char *owner, const char *name);
/* unprintable.c: str.isprintable() of code point cp (CPython 3.11's Unicode 14 tables). */
bool sf_py_printable(uint32_t cp);
/* v cannot be a set item or dict key: CPython's TypeError "unhashable type: 'T'" (a tuple's
 * first unhashable item), or, for a class with its own __hash__ (which CPython would call),
 * the located unsupported error. */
sf_status sf_py_unhashable(sf_interp *I, const sf_expr *at, const sf_val *v);
/* SF_OK when v hashes, else sf_py_unhashable. */
sf_status sf_py_need_hash(sf_interp *I, const sf_expr *at, const sf_val *v);
/* KeyError(key). */
sf_status sf_py_raise_key(sf_interp *I, const sf_expr *e, const sf_val *key);
/* Calls any callable value with borrowed arguments; *out is a new reference. */
sf_status sf_py_call(sf_interp *I, const sf_val *fn, const sf_args *a, sf_val *out);
sf_status sf_py_call1(sf_interp *I, const sf_val *fn, const sf_val *arg, sf_val *out);
/* Calls self.name(*args) when self has that attribute (returns false, nothing done, if not). */
bool sf_py_call_method(sf_interp *I, const sf_expr *at, const sf_val *self, const char *name, int n, const sf_val *args,
                       sf_val *out, sf_status *st);
/* getattr(v, name) as a new reference; false when v has no such attribute (nothing raised). */
bool sf_py_getattr(sf_interp *I, const sf_val *v, const char *name, sf_val *out, sf_status *st);
sf_status sf_py_write_instance(sf_print_ctx *c, sf_buf *b, const sf_val *v, bool repr);
/* The class of v (a borrowed pointer). */
sf_class *sf_py_type(sf_interp *I, const sf_val *v);
bool sf_py_isinstance(sf_interp *I, const sf_val *v, const sf_class *c);
/* A fresh iterator over v, or a TypeError. */
sf_status sf_py_iter(sf_interp *I, const sf_expr *at, const sf_val *v, sf_val *it);
/* An iterator over NumPy array v's rows, read as it reaches them (it holds v). */
sf_status sf_py_array_iter(sf_interp *I, const sf_val *v, sf_val *it);
/* A new lazy iterator (SF_LAZY_*) of class cls with room for nits source iterators, into
 * *out; map, filter, zip, enumerate (builtins.c) and itertools' (mod_py.c) fill it. */
sf_status sf_py_lazy_iter(sf_interp *I, int kind, sf_builtin_class cls, int nits, sf_val *out);
/* The next item (new reference); *done when exhausted. */
sf_status sf_py_next(sf_interp *I, const sf_expr *at, sf_val *it, sf_val *out, bool *done);
/* int(f): Python's ValueError for NaN, OverflowError for infinity, and an OverflowError past
 * int64 (seedflow's ints are int64). */
sf_status sf_py_float_to_int(sf_interp *I, const sf_expr *at, double f, sf_val *out);
/* Whether sf_py_iter may iterate v (an instance may define __iter__, a tensor may be 0-d). */
bool sf_py_maybe_iterable(const sf_val *v);
/* Collects an iterable into a new list (or tuple when t == O_TUPLE). */
sf_status sf_py_to_list(sf_interp *I, const sf_expr *at, const sf_val *v, sf_otype t, sf_val *out);
/* str(v) / repr(v) as a new str object. */
sf_status sf_py_str(sf_interp *I, const sf_val *v, bool repr, sf_val *out);
/* Calls leaf on every value of a nested structure (tf.nest's order: lists and tuples in
 * order, dicts' values in insertion order), depth first; stops at the first error. */
sf_status sf_py_each_leaf(sf_interp *I, const sf_val *v, sf_status (*leaf)(sf_interp *I, const sf_val *v, void *ctx),
                          void *ctx);
/* v as it prints now, for a print that runs later: tensor-free parts become their text
 * (arena strings), lists and tuples holding tensors keep their structure. */
sf_status sf_py_snapshot(sf_interp *I, const sf_val *v, bool nested, sf_val *out);
/* Binary arithmetic on Python values (op as in SF_EX_BINOP). */
sf_status sf_py_binop(sf_interp *I, const sf_expr *at, char op, const sf_val *a, const sf_val *b, sf_val *out);
/* A located error for an API value used where Python wants something else. */
sf_status sf_py_oom(sf_interp *I);
/* Takes a reference to v for the rest of the run: what the API keeps of the program's
 * objects (a layer's callables, an initializer function) outside any object, dropped when
 * the run ends so that the heap can free it (cycles included). */
sf_status sf_py_keep(sf_interp *I, const sf_val *v);
/* Adds a native function to a dict. */
bool sf_py_def_native(sf_dict *d, const char *name, sf_native_fn fn, const sf_val *self);
/* Whether v (a tensor, or a list, tuple or dict of them) holds node id. */
bool sf_py_holds_node(const sf_val *v, int id);
/* Internal code made the eager nodes after `first` and gave no handle to any but those in
 * keep (NULL: none): each is done with (sf_eager_release_internal), unless program code
 * ran since (py_calls: the count at `first`: it may have kept one) or the current frame is
 * not the eager one. */
void sf_py_release_since(sf_interp *I, int first, int64_t py_calls, const sf_val *keep);
/* A new API class named name (partial: an attribute its instance lacks, or printing one, is
 * unsupported), derived from object; one reference. NULL when out of memory. */
sf_class *sf_py_api_class(sf_interp *I, const char *name);
/* A new instance of a new such class; *out holds its one reference. NULL when out of memory. */
sf_inst *sf_py_api_object(sf_interp *I, const char *name, sf_val *out);
/* The subscript v[k] (new reference). */
sf_status sf_py_getitem(sf_interp *I, const sf_expr *at, const sf_val *v, const sf_val *k, sf_val *out);

/* ---- built-ins (builtins.c) ---- */
sf_status sf_py_builtins_init(sf_interp *I);
/* Attribute lookup of built-in methods on str, list, dict, set, tuple values. */
bool sf_py_builtin_method(sf_interp *I, const sf_val *self, const char *name, sf_val *out, sf_status *st);
/* str.lower etc.: a built-in class's method as a function of self. */
bool sf_py_class_method(sf_interp *I, const sf_class *c, const char *name, sf_val *out, sf_status *st);
/* prop.setter for a property instance. */
bool sf_py_property_setter(sf_interp *I, const sf_val *prop, sf_val *out, sf_status *st);
sf_status sf_py_sort(sf_interp *I, const sf_expr *at, sf_list *l, const sf_val *key, bool reverse);

/* ---- text formatting (format.c) ---- */
/* format(v, spec) appended to b. */
sf_status sf_py_format(sf_interp *I, const sf_expr *at, sf_buf *b, const sf_val *v, const char *spec);
/* fmt % args */
sf_status sf_py_percent(sf_interp *I, const sf_expr *at, const char *fmt, const sf_val *args, sf_val *out);
/* ascii(v): repr(v) with its non-ASCII characters escaped (\\xhh, \\uhhhh, \\Uhhhhhhhh). */
sf_status sf_py_ascii(sf_interp *I, const sf_val *v, sf_val *out);
/* fmt.format(*args, **kwargs) */
sf_status sf_py_str_format(sf_interp *I, const sf_args *a, const char *fmt, sf_val *out);

/* ---- native modules (mod_py.c) ---- */
/* The Python-native module `name` (math, random, os, time, sys, ...) or NULL. */
sf_status sf_py_import_native(sf_interp *I, const char *name, sf_val *out, bool *found);
/* logging.getLogger(name): the one Logger of that name (its methods write nothing printed). */
sf_status sf_py_logger(sf_interp *I, const char *name, sf_val *out);

/* Flat API values <-> objects (the binding layer between the evaluator and api*.c). */
sf_status sf_py_to_api(sf_interp *I, const sf_val *v, sf_val *out);
/* The same with the lists' item arrays malloc'd into tmp (zeroed before), for a caller that
 * keeps none of them: sf_api_tmp_free frees them (a loop of calls keeps no arena memory). */
typedef struct sf_api_tmp {
  void **p;
  int n, cap;
} sf_api_tmp;
sf_status sf_py_to_api_tmp(sf_interp *I, const sf_val *v, sf_val *out, sf_api_tmp *tmp);
void sf_api_tmp_free(sf_api_tmp *tmp);
/* A call's arguments as API values (borrowed) in the caller's buffers of SF_API_ARGS values
 * each (pos, kw), or in memory sf_py_api_args_free frees for more: they live as long as the
 * call. A list among them goes in the run's arena (the function may keep it). */
enum { SF_API_ARGS = 8 };
sf_status sf_py_api_args(sf_interp *I, const sf_args *a, sf_args *fa, sf_val *pos, sf_val *kw);
void sf_py_api_args_free(sf_args *fa, const sf_val *pos, const sf_val *kw);
/* Python's slice.indices(len) for s: start, step and the element count. */
sf_status sf_py_slice_indices(sf_interp *I, const sf_expr *at, sf_slice *s, int64_t len, int64_t *start, int64_t *step,
                              int64_t *count);
sf_status sf_py_from_api(sf_interp *I, const sf_val *v, sf_val *out);

#endif
