/* value.h — the Python object model behind sf_val's V_OBJ: reference-counted heap objects
 * (str, list, tuple, dict, set, range, iterator, function, class, instance, bound method,
 * native function, module, scope) with Python's identity, equality, hashing, ordering and
 * str()/repr(). Internal to lang/.
 * Ownership: an sf_val of kind V_OBJ holds one reference; sf_val_ref/sf_val_drop add and
 * release one. Functions returning an sf_val through an out parameter give a new reference;
 * arguments are borrowed. Cycles are not collected during a run, only at its end (sf_heap). */
#ifndef SEEDFLOW_VALUE_H
#define SEEDFLOW_VALUE_H

#include <stdio.h>

#include "interp.h"

typedef enum sf_otype {
  O_STR, O_LIST, O_TUPLE, O_DICT, O_SET, O_RANGE, O_ITER, O_SLICE,
  O_FUNC, O_CLASS, O_INST, O_BOUND, O_NATIVE, O_MODULE, O_SCOPE, O_RANDOM, O_DICTVIEW,
} sf_otype;

typedef struct sf_obj {
  int rc;
  sf_otype t;
  struct sf_obj *prev, *next;  /* the run's list of live objects (sf_heap) */
} sf_obj;

/* Every object of one run is on one list, so that the end of the run can free the
 * reference cycles counting cannot (a closure in its own scope, an instance in a list
 * its class holds). sf_heap_enter makes heap the current thread's list. */
typedef struct sf_heap {
  sf_obj *head;
  int64_t bytes;            /* objects and their item arrays (approximate) */
  int64_t limit;            /* bytes the run's objects may use; 0: no limit */
  bool over;                /* an allocation failed because of the limit */
  struct sf_budget *budget; /* the run's memory budget, shared with its tensors and trace */
} sf_heap;
/* Accounts delta bytes to the current heap; false (nothing counted) past its limit. */
bool sf_heap_charge(int64_t delta);
void sf_heap_enter(sf_heap *heap);
/* Frees every object still on the list (call after dropping the roots); leaves it. */
void sf_heap_free_all(sf_heap *heap);

typedef struct sf_str {
  sf_obj h;
  size_t len;
  uint64_t hash;            /* 0: not computed yet */
  char s[];                 /* NUL-terminated */
} sf_str;

typedef struct sf_list {    /* list and tuple */
  sf_obj h;
  sf_val *items;
  int64_t n, cap;
  bool tshape;              /* a tuple that is a TensorShape (Tensor.shape): as_list(), rank, its repr */
} sf_list;

typedef struct sf_dentry {
  sf_val key, value;
  uint64_t hash;
  bool used;                /* false after deletion */
} sf_dentry;

typedef struct sf_dict {    /* dict and set (set values are None); insertion ordered */
  sf_obj h;
  sf_dentry *e;
  int64_t ne, cap;          /* entries used (live or deleted), allocated */
  int64_t n;                /* live entries */
  int64_t *index;           /* open addressing over e: -1 empty */
  int64_t icap;
  /* a set's CPython table (Objects/setobject.c), which decides its iteration order: slot[i]
   * the entry in slot i (-1 empty, -2 dummy), shash[i] its CPython hash (sf_py_hash); smask
   * + 1 slots, sfill of them active or dummy. NULL until the first element. */
  int64_t *slot, *shash;
  int64_t smask, sfill;
  int64_t finger;           /* where set.pop looks first */
} sf_dict;

/* d.keys(), d.values(), d.items(): a live view of the dict (dictobject.c dictview): it
 * iterates, counts and holds what the dict holds now. */
enum { SF_VIEW_KEYS, SF_VIEW_VALUES, SF_VIEW_ITEMS };
typedef struct sf_dictview {
  sf_obj h;
  sf_val dict;
  int what;
} sf_dictview;
#define SF_VIEW(v) ((sf_dictview *)(v)->o)

typedef struct sf_range {
  sf_obj h;
  int64_t start, stop, step;
} sf_range;

typedef struct sf_iter {    /* iterates seq (list, tuple, str, range, dict keys) */
  sf_obj h;
  sf_val seq;
  int64_t pos;
  struct sf_class *cls;     /* an itertools object's class (itertools.product), or NULL */
  /* a generator expression, evaluated as it is iterated (CPython's <genexpr>): its
   * comprehension, its own scope (the loop variables), the iterators of its open clauses */
  const struct sf_expr *gen;
  sf_val scope;             /* dropped when it ends: a finished generator keeps no frame (a
                             * function's local holding one would otherwise be a cycle) */
  sf_val *its;
  int depth;
  bool running;             /* inside its own next (itself asked again: CPython's ValueError) */
  /* map, filter, zip and enumerate, as lazy as CPython's (bltinmodule.c): each next takes
   * one item from each source (its[0..depth), closed when one ends), calls fn (map's,
   * filter's; None: filter by truth), counts from pos (enumerate) */
  int lazy;                 /* SF_LAZY_* */
  sf_val fn;
  /* itertools (itertoolsmodule.c): chain's iterables (seq, a tuple, or fn: from_iterable's
   * iterator) opened one at a time, pos the next to open; islice's next index to give and
   * stop (-1: none) and step, pos the items taken; count's value (fn) and step (seq);
   * repeat's object (fn), pos the times left (-1: forever) */
  int64_t next, stop, step;
  /* a dict's, set's or view's: its size when the iterator was made, -1 once it changed (a
   * RuntimeError, sticky as CPython's di_used), -2 once it ended on "keys changed", and how
   * many items are left to give */
  int64_t size, left;
} sf_iter;

enum { SF_LAZY_NONE, SF_LAZY_MAP, SF_LAZY_FILTER, SF_LAZY_ZIP, SF_LAZY_ENUMERATE,
       SF_LAZY_CHAIN, SF_LAZY_ISLICE, SF_LAZY_COUNT, SF_LAZY_REPEAT };

typedef struct sf_slice {
  sf_obj h;
  sf_val lo, hi, step;
} sf_slice;

typedef struct sf_scope sf_scope;
typedef sf_status (*sf_native_fn)(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out);

typedef struct sf_func {
  sf_obj h;
  const sf_stmt *def;
  sf_scope *closure;        /* the defining function's scope (NULL at module level) */
  sf_val *defaults;         /* one per parameter (V_NONE kind 0 when absent: see has_default) */
  bool *has_default;
  int slot;                 /* index into interp->fns (tf.function tracing state), -1 */
  const char *qualname;
  struct sf_class *owner;   /* the class whose body defined it (super()) */
  struct sf_dict *attrs;    /* attributes set on the function (f.cache = ...), or NULL */
  signed char local;        /* its body stores nothing outside its frame: 1 yes, -1 no, 0 not
                             * yet known (lang/eval.c func_local) */
} sf_func;

struct sf_inst;
typedef struct sf_class {
  sf_obj h;
  const char *name;
  const char *qualname;     /* a program's class: __qualname__ (A.Inner, f.<locals>.C), else NULL */
  const char *module;       /* a built-in class of a module (numpy), else NULL */
  struct sf_class *base;    /* NULL for object */
  sf_dict *attrs;
  bool exception;           /* BaseException or a subclass */
  bool builtin;
  bool partial;             /* a TF or Keras class seedflow models in part: a name its instance
                             * lacks is unsupported, not an AttributeError */
  bool plain;               /* an API object's class whose attributes the API reads as plain
                             * values only (a regularizer's factors): releasing pins what its
                             * instances hold instead of stopping (lang/eval.c pin_value) */
  sf_native_fn call;        /* built-in classes: the constructor */
  void (*finalize)(struct sf_inst *x); /* an instance is being freed (a tape resumes releasing) */
} sf_class;

typedef struct sf_inst {
  sf_obj h;
  sf_class *cls;
  sf_dict *attrs;
  sf_val args;              /* exceptions: the args tuple */
} sf_inst;

typedef struct sf_bound {   /* a method bound to self */
  sf_obj h;
  sf_val self, fn;
  const char *name;         /* API or built-in method name when fn is unset */
} sf_bound;

typedef struct sf_native {
  sf_obj h;
  const char *name;
  sf_native_fn fn;
  sf_val self;              /* bound data (a list for list.append, a Random for random.*) */
  bool method;              /* in a class's dict: read through an instance it is bound to it,
                             * which the call gets as self (lang/api_tape.c def_natives) */
  bool keeps_none;          /* keeps none of its arguments where nothing counts (Python's
                             * built-in functions, a tape's methods): they stay counted */
  bool of_type;             /* a built-in type's method bound to its object (list.append) */
  bool builtin_function;    /* prints as CPython's built-in function of its name, self or not
                             * (a sandboxed one: open) */
} sf_native;

typedef struct sf_module {
  sf_obj h;
  const char *name;
  sf_dict *attrs;
  int api_class;            /* 0: a module; else the sf_builtin_class of an API object with methods
                             * (NumPy's RandomState, Generator), which prints as its name */
} sf_module;

typedef struct sf_binding2 {
  const char *name;         /* NULL: empty slot */
  uint32_t hash;
  sf_val v;
} sf_binding2;

struct sf_scope {           /* a function call's locals, or the module's globals */
  sf_obj h;
  sf_binding2 *b;
  int n, cap;               /* cap is a power of two */
  sf_scope *parent;         /* enclosing function scope, for closures */
  const char **globals;     /* names declared global / nonlocal here */
  int nglobals;
  const char **nonlocals;
  int nnonlocals;
  bool is_class;            /* a class body: its functions close over parent instead */
  const char *qualname;     /* a class body: the class's qualified name */
};

typedef struct sf_random {
  sf_obj h;
  sf_mt19937 mt;
  sf_pcg64 pcg;             /* np.random.default_rng's Generator */
  bool seeded;              /* a RandomState given a seed (else the OS's entropy) */
  bool has_gauss;
  double gauss;
} sf_random;

/* ---- references ---- */
/* A counted tensor (sf_val.counted) is a handle to an eager node whose value is released
 * with its last handle; every other tensor value is pinned (kept for the run). */
static inline void sf_val_ref(const sf_val *v) {
  if (v->kind == V_OBJ) v->o->rc++;
  else if (v->kind == V_TENSOR && v->counted) sf_eager_hold(v->g->eager, v->node);
}
void sf_obj_free(sf_obj *o);
static inline void sf_val_drop(sf_val *v) {
  if (v->kind == V_OBJ && --v->o->rc == 0) sf_obj_free(v->o);
  else if (v->kind == V_TENSOR && v->counted) sf_eager_release(v->g->eager, v->node);
  v->kind = V_NONE;
}
static inline sf_val sf_obj_val(void *o) { sf_val v = {.kind = V_OBJ, .o = o}; return v; }
static inline bool sf_is(const sf_val *v, sf_otype t) { return v->kind == V_OBJ && v->o->t == t; }
#define SF_STR(v) ((sf_str *)(v)->o)
#define SF_LIST(v) ((sf_list *)(v)->o)
#define SF_DICT(v) ((sf_dict *)(v)->o)

/* ---- construction (NULL / false on out of memory) ---- */
sf_val sf_none(void);
sf_val sf_int(int64_t i);
sf_val sf_float(double f);
sf_val sf_bool(bool b);
bool sf_str_new(const char *s, size_t n, sf_val *out);
bool sf_str_cstr(const char *s, sf_val *out);
/* UTF-8, as a str holds its text: code point cp written to out (1 to 4 bytes, their count
 * returned); the character at s[0, n): its bytes (1 for a stray byte) and, when cp is not
 * NULL, its code point; the characters in s[0, n). */
size_t sf_utf8_encode(uint32_t cp, char out[4]);
size_t sf_utf8_char(const char *s, size_t n, uint32_t *cp);
int64_t sf_utf8_count(const char *s, size_t n);
bool sf_list_new(sf_otype t, int64_t n, sf_val *out);  /* n items of None */
bool sf_list_append(sf_list *l, const sf_val *v);       /* takes a new reference */
bool sf_dict_new(sf_otype t, sf_val *out);
sf_dict *sf_dict_alloc(sf_otype t);
void *sf_obj_alloc(sf_otype t, size_t size);

/* ---- dicts and sets (keys must be hashable: check with sf_hash first) ---- */
bool sf_hash(const sf_val *v, uint64_t *h);
sf_val *sf_dict_get(sf_dict *d, const sf_val *key);
sf_val *sf_dict_get_str(sf_dict *d, const char *key);
/* Inserts or replaces (new references to key and value are taken). */
bool sf_dict_set(sf_dict *d, const sf_val *key, const sf_val *value);
bool sf_dict_set_str(sf_dict *d, const char *key, const sf_val *value);
bool sf_dict_del(sf_dict *d, const sf_val *key);
/* A set's elements in CPython's order: the entry after slot *pos (start at 0), NULL past
 * the last. sf_set_merge adds other's elements to so as set_merge does (one resize first;
 * into an empty set other's slots as they are); sf_set_reserve is its resize alone, as
 * set(d) does for a dict d. False when out of memory. */
const sf_dentry *sf_set_next(const sf_dict *d, int64_t *pos);
bool sf_set_merge(sf_dict *so, const sf_dict *other);
bool sf_set_reserve(sf_dict *so, int64_t more);
/* After discards (set_difference_update_internal): a table over 1/4 dummies is rebuilt. */
bool sf_set_shrink(sf_dict *so);
/* set_swap_bodies: a and b exchange their elements and tables (not their object headers). */
void sf_set_swap(sf_dict *a, sf_dict *b);
/* set_pop: the first element at or after the finger (wrapping), removed into *out (its
 * reference); false when the set is empty. */
bool sf_set_pop(sf_dict *d, sf_val *out);
/* other's elements, in its slot order, discarded from so (so != other); toggle: the ones
 * so lacked added instead (symmetric_difference_update). False when out of memory. */
bool sf_set_discard_all(sf_dict *so, const sf_dict *other, bool toggle);

/* ---- Python semantics ---- */
bool sf_truthy(sf_interp *I, const sf_val *v);
bool sf_equal(const sf_val *a, const sf_val *b);
/* hash(v) as CPython 3.11 computes it for numbers and tuples of them (equal numbers alike);
 * for a str, None or an object (salted or address-based in CPython) seedflow's own. False
 * when v is unhashable. */
bool sf_py_hash(const sf_val *v, int64_t *out);
/* How many levels of nested containers sf_equal and sf_compare walk at most (a cycle through
 * two objects, a = [a] and b = [b], never ends): bounded by the interpreter's stack. */
enum { SF_NEST_MAX = 1 << 20 };
/* sf_equal and sf_compare walking at most limit levels below a and b: past it *deep is set
 * and the result means nothing (Python's == and <: CPython's RecursionError). */
bool sf_equal_nested(const sf_val *a, const sf_val *b, int limit, bool *deep);
/* A set, or a keys or items view (set-like: ==, |, &, -, ^ as sets). */
bool sf_set_like(const sf_val *v);
int sf_compare_nested(const sf_val *a, const sf_val *b, bool *ok, int limit, bool *deep);
/* The s of an int or None that is a TF 1.x Dimension (an element of a TensorShape,
 * tensorflow/python/framework/tensor_shape.py at v1.15: __getitem__ returns a Dimension, whose
 * __eq__ with an unknown side is None): printed Dimension(3) in a repr, ? for None in a str;
 * .value is the int. */
extern const char sf_dimension_tag[];
/* The s of a V_DTYPE that is a NumPy dtype instance (arr.dtype, np.dtype('float32')): str
 * float32, repr dtype('float32'), .name, .itemsize, .kind, .type; without it a numpy V_DTYPE
 * is the scalar type np.float32. */
extern const char sf_np_dtype_tag[];
/* a < b for numbers, strings, lists, tuples; false with *ok = false when not orderable. */
int sf_compare(const sf_val *a, const sf_val *b, bool *ok);
const char *sf_type_name(const sf_val *v);
/* The type an "unhashable type" TypeError names: a tuple's first unhashable item's. */
const char *sf_unhashable_name(const sf_val *v);
/* The value that makes v unhashable: v, or a tuple's first unhashable item (tuplehash). */
const sf_val *sf_unhashable_item(const sf_val *v);
/* How an instance of a program's class hashes, by CPython's rule: the first class up its
 * bases whose own dict names __hash__ decides (None: unhashable; a function: the class's own
 * hash), and a class that defines __eq__ without __hash__ has __hash__ = None (type_new,
 * Objects/typeobject.c inherit_slots). Built-in classes and object hash by identity. */
typedef enum { SF_HASH_IDENTITY, SF_HASH_NONE, SF_HASH_OWN } sf_hash_rule;
sf_hash_rule sf_inst_hash_rule(const sf_val *v);
bool sf_is_number(const sf_val *v);
double sf_num(const sf_val *v);

/* ---- text ---- */
typedef struct sf_buf {
  char *s;
  size_t n, cap;
  bool oom;
} sf_buf;
void sf_buf_put(sf_buf *b, const char *s, size_t n);
void sf_buf_puts(sf_buf *b, const char *s);
void sf_buf_printf(sf_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Python's repr(float): the shortest string that round-trips. */
void sf_float_repr(double f, char *out, size_t cap);
/* Tensor values for printing: fetched beforehand in collect order, consumed in order. */
typedef struct sf_print_ctx {
  sf_interp *I;
  sf_tensor **vals;
  int k, n;
  bool tf_style;
  bool tf_print;  /* tf.print: tensors as TF's PrintV2 formats them (mod_tf_tensor.c) */
} sf_print_ctx;
/* A tensor as tf.print writes it: TF's SummarizeValue with summarize elements at each end
 * of every dimension (< 0: all) (mod_tf_tensor.c). */
void sf_tensor_print_tfprint(FILE *f, const sf_tensor *t, int64_t summarize);
/* str(v) (repr == false) or repr(v) appended to b; objects with __str__/__repr__ call them. */
sf_status sf_write_value(sf_print_ctx *c, sf_buf *b, const sf_val *v, bool repr);
/* The tensor values inside v, in print order (out may be NULL to count). */
int sf_collect_tensors(const sf_val *v, const sf_val **out, int cap);

#endif
