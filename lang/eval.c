/* eval.c — the Python evaluator: names and scopes (closures, global, nonlocal), every
 * statement and expression of program.h with CPython's semantics, calls of program
 * functions, classes and instances, exceptions with try/except/finally, iteration, and the
 * binding layer through which values pass to and from the tf/np API (api.c, api_keras.c).
 * It knows nothing of TensorFlow beyond handing V_TENSOR values to the API. */
#include "py.h"
#include "api_control.h"
#include "engine/hash.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PY(I) ((I)->py)

static sf_status eval(sf_interp *I, const sf_expr *e, sf_val *out);
static sf_status exec_block(sf_interp *I, sf_stmt **body, int n);
static sf_status assign(sf_interp *I, const sf_expr *target, const sf_val *v);

sf_status sf_py_oom(sf_interp *I) {
  if (I->py && (I->py->heap.over || I->arena.over)) {
    long long limit = (long long)I->py->heap.limit; /* in MiB when it is whole MiB (a limit of 4444 was "0 MiB") */
    bool mib = limit % (1 << 20) == 0;
    return sf_error_at(I->err, I->line, 1, SF_ELIMIT,
                       "memory limit exceeded: the program's objects and tensors need more than %lld %s (raise it "
                       "with --memory-limit)", mib ? limit >> 20 : limit, mib ? "MiB" : "bytes");
  }
  return sf_error_set(I->err, SF_ENOMEM, "out of memory");
}

static double monotonic_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

sf_status sf_py_tick(sf_interp *I, const sf_expr *at) {
  if (++PY(I)->ticks & 4095) return SF_OK;
  if (monotonic_seconds() < PY(I)->deadline) return SF_OK;
  return sf_error_at(I->err, at && at->line ? at->line : I->line, at && at->line ? at->col : 1, SF_ELIMIT,
                     "time limit exceeded: the program ran for more than %g s (raise it with --time-limit)",
                     PY(I)->time_limit);
}

/* ---- scopes ---- */

static uint32_t name_hash(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h ? h : 1;
}

static sf_scope *scope_new(sf_scope *parent) {
  sf_scope *s = sf_obj_alloc(O_SCOPE, sizeof *s);
  if (!s) return NULL;
  s->cap = 8;
  s->b = calloc((size_t)s->cap, sizeof *s->b);
  if (!s->b) return free(s), NULL;
  s->parent = parent;
  if (parent) parent->h.rc++;
  return s;
}



static sf_binding2 *scope_slot(sf_scope *s, const char *name, uint32_t h, bool *found) {
  uint32_t m = (uint32_t)s->cap - 1;
  sf_binding2 *dead = NULL;
  for (uint32_t p = h & m;; p = (p + 1) & m) {
    sf_binding2 *b = &s->b[p];
    if (!b->name) {
      *found = false;
      return dead ? dead : b;
    }
    if (b->hash == 0) {
      if (!dead) dead = b;
      continue;
    }
    if (b->hash == h && (b->name == name || strcmp(b->name, name) == 0)) {
      *found = true;
      return b;
    }
  }
}

static sf_val *scope_get(sf_scope *s, const char *name, uint32_t h) {
  bool found;
  sf_binding2 *b = scope_slot(s, name, h, &found);
  return found ? &b->v : NULL;
}

static bool scope_grow(sf_scope *s) {
  sf_binding2 *old = s->b;
  int oc = s->cap;
  s->cap *= 2;
  s->b = calloc((size_t)s->cap, sizeof *s->b);
  if (!s->b) {
    s->b = old;
    s->cap = oc;
    return false;
  }
  s->n = 0;
  for (int i = 0; i < oc; i++)
    if (old[i].name && old[i].hash) {
      bool f;
      sf_binding2 *b = scope_slot(s, old[i].name, old[i].hash, &f);
      *b = old[i];
      s->n++;
    }
  free(old);
  return true;
}

/* Binds name (a string that outlives the scope: program text or a literal) to v. */
static bool scope_set(sf_scope *s, const char *name, const sf_val *v) {
  uint32_t h = name_hash(name);
  bool found;
  sf_binding2 *b = scope_slot(s, name, h, &found);
  sf_val_ref(v);
  if (found) {
    sf_val old = b->v;
    b->v = *v;
    sf_val_drop(&old);
    return true;
  }
  if (2 * (s->n + 1) > s->cap) {
    if (!scope_grow(s)) return sf_val_drop((sf_val *)v), false;
    b = scope_slot(s, name, h, &found);
  }
  if (!b->name) s->n++;
  b->name = name;
  b->hash = h;
  b->v = *v;
  return true;
}

static bool scope_del(sf_scope *s, const char *name) {
  bool found;
  sf_binding2 *b = scope_slot(s, name, name_hash(name), &found);
  if (!found) return false;
  sf_val_drop(&b->v);
  b->hash = 0;  /* tombstone */
  return true;
}

static bool in_names(const char **names, int n, const char *name) {
  for (int i = 0; i < n; i++)
    if (strcmp(names[i], name) == 0) return true;
  return false;
}

static bool add_name(const char ***names, int *n, const char *name) {
  const char **nn = realloc(*names, (size_t)(*n + 1) * sizeof *nn);
  if (!nn) return false;
  nn[(*n)++] = name;
  *names = nn;
  return true;
}

/* The scope a store to name goes to. */
static sf_scope *store_scope(sf_interp *I, const char *name) {
  sf_scope *s = PY(I)->scope;
  if (s == PY(I)->globals) return s;
  if (in_names(s->globals, s->nglobals, name)) return PY(I)->globals;
  if (in_names(s->nonlocals, s->nnonlocals, name)) {
    uint32_t h = name_hash(name);
    for (sf_scope *p = s->parent; p; p = p->parent)
      if (scope_get(p, name, h)) return p;
  }
  return s;
}

static sf_status bind(sf_interp *I, const char *name, const sf_val *v) {
  return scope_set(store_scope(I, name), name, v) ? SF_OK : sf_py_oom(I);
}

/* ---- exceptions ---- */

static sf_status code_of(sf_builtin_class bc) {
  switch (bc) {
    case BC_TYPEERR: return SF_ETYPE;
    case BC_NAMEERR: case BC_UNBOUNDLOCAL: case BC_ATTRERR: case BC_IMPORTERR: case BC_MODULENOTFOUND: return SF_ENAME;
    case BC_MEMORYERR: return SF_ENOMEM;
    default: return SF_EINVAL;
  }
}

/* An instance of exception class c with args (a tuple, borrowed). */
static sf_status new_exception(sf_interp *I, sf_class *c, const sf_val *args, sf_val *out) {
  sf_inst *x = sf_obj_alloc(O_INST, sizeof *x);
  if (!x || !(x->attrs = sf_dict_alloc(O_DICT))) return free(x), sf_py_oom(I);
  x->cls = c;
  c->h.rc++;
  x->args = *args;
  sf_val_ref(args);
  *out = sf_obj_val(x);
  return SF_OK;
}

static bool subclass(const sf_class *k, const sf_class *c);

/* The message an exception prints after its class name. */
static sf_status exception_text(sf_interp *I, const sf_val *exc, sf_buf *b) {
  sf_inst *x = (sf_inst *)exc->o;
  sf_print_ctx c = {.I = I};
  bool key_error = subclass(x->cls, PY(I)->cls[BC_KEYERR]);  /* str(KeyError(k)) is repr(k) */
  if (sf_is(&x->args, O_TUPLE) && SF_LIST(&x->args)->n == 1) return sf_write_value(&c, b, &SF_LIST(&x->args)->items[0], key_error);
  if (sf_is(&x->args, O_TUPLE) && SF_LIST(&x->args)->n > 1) return sf_write_value(&c, b, &x->args, true);
  return SF_OK;
}

/* Records exc as the exception being raised, located at e. */
static sf_status raise_value(sf_interp *I, const sf_expr *e, const sf_val *exc) {
  sf_inst *x = (sf_inst *)exc->o;
  sf_buf b = {0};
  sf_buf_puts(&b, x->cls->name);
  sf_buf c = {0};
  sf_status tst = exception_text(I, exc, &c);
  if (tst != SF_OK) { /* its text names what seedflow cannot show (a Keras layer, say) */
    free(b.s);
    free(c.s);
    if (strncmp(I->err->msg, "unsupported", 11) == 0) { /* raised all the same: an `except` takes it as */
      sf_val_ref(exc);                                  /* CPython's does; left uncaught, that error */
      sf_val_drop(&PY(I)->exc);                         /* stands for its text */
      PY(I)->exc = *exc;
      PY(I)->tb_lines = 0;
    }
    return tst;
  }
  if (c.n) {
    sf_buf_puts(&b, ": ");
    sf_buf_put(&b, c.s, c.n);
  }
  free(c.s);
  sf_class *k = x->cls;
  while (k && !k->builtin) k = k->base;
  sf_status code = SF_EINVAL;
  for (int i = 0; k && i < BC_COUNT; i++)
    if (PY(I)->cls[i] == k) code = code_of((sf_builtin_class)i);
  sf_val_ref(exc);
  sf_val_drop(&PY(I)->exc);
  PY(I)->exc = *exc;
  PY(I)->tb_lines = 0;
  sf_error_at(I->err, e && e->line ? e->line : I->line, e && e->line ? e->col : 1, code, "%s", b.s ? b.s : "");
  free(b.s);
  return code;
}

sf_status sf_py_int64_limit(sf_interp *I, const sf_expr *e, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return sf_error_at(I->err, e ? e->line : I->line, e ? e->col : 1, SF_ENAME, "unsupported: %s (seedflow's ints are int64, "
                     "Python's unbounded)", msg);
}

sf_status sf_py_raise(sf_interp *I, const sf_expr *e, sf_builtin_class bc, const char *fmt, ...) {
  char msg[480];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return sf_py_raise_class(I, e, PY(I)->cls[bc], msg);
}

sf_status sf_py_raise_class(sf_interp *I, const sf_expr *e, sf_class *cls, const char *msg) {
  sf_val args = {0}, s = {0}, exc = {0};
  if (!sf_list_new(O_TUPLE, 1, &args)) return sf_py_oom(I);
  if (!sf_str_cstr(msg, &s)) return sf_val_drop(&args), sf_py_oom(I);
  SF_LIST(&args)->items[0] = s;
  sf_status st = new_exception(I, cls, &args, &exc);
  sf_val_drop(&args);
  if (st != SF_OK) return st;
  st = raise_value(I, e, &exc);
  sf_val_drop(&exc);
  return st;
}

sf_status sf_py_unhashable(sf_interp *I, const sf_expr *at, const sf_val *v) {
  const sf_val *x = sf_unhashable_item(v);
  if (sf_inst_hash_rule(x) == SF_HASH_OWN)
    return sf_error_at(I->err, at ? at->line : I->line, at ? at->col : 1, SF_ENAME,
                       "unsupported: class '%s' defines __hash__, which seedflow's sets and dict keys do not call",
                       sf_type_name(x));
  return sf_py_raise(I, at, BC_TYPEERR, "unhashable type: '%s'", sf_type_name(x));
}

sf_status sf_py_need_hash(sf_interp *I, const sf_expr *at, const sf_val *v) {
  uint64_t h;
  return sf_hash(v, &h) ? SF_OK : sf_py_unhashable(I, at, v);
}

sf_status sf_py_raise_key(sf_interp *I, const sf_expr *e, const sf_val *key) {
  sf_val args = {0}, exc = {0};
  if (!sf_list_new(O_TUPLE, 1, &args)) return sf_py_oom(I);
  SF_LIST(&args)->items[0] = *key;
  sf_val_ref(key);
  sf_status st = new_exception(I, PY(I)->cls[BC_KEYERR], &args, &exc);
  sf_val_drop(&args);
  if (st != SF_OK) return st;
  st = raise_value(I, e, &exc);
  sf_val_drop(&exc);
  return st;
}

/* The pending exception as an object: a Python one, or one made from an engine error.
 * False for errors no `except` may catch (out of memory, internal failures, limits) and
 * for what seedflow cannot run ("unsupported: ..."): CPython would have run it, so a
 * handler taking it would send the program down a path CPython's does not take. */
static bool engine_exception(sf_interp *I, sf_status st, sf_builtin_class *bc) {
  if (strncmp(I->err->msg, "unsupported", 11) == 0 || I->switch_line) return false; /* nor a mode switch's restart */
  switch (st) {
    case SF_ETYPE: *bc = BC_TYPEERR; return true;
    case SF_EINVAL: case SF_ESHAPE: *bc = BC_VALUEERR; return true;
    case SF_ENAME: *bc = BC_NAMEERR; return true;
    case SF_EGRAPH: case SF_EDETERMINISM: *bc = BC_RUNTIME; return true;
    default: return false;
  }
}

static bool current_exception(sf_interp *I, sf_status st, sf_val *out) {
  if (PY(I)->exc.kind == V_OBJ) {
    *out = PY(I)->exc;
    sf_val_ref(out);
    return true;
  }
  sf_builtin_class bc;
  if (!engine_exception(I, st, &bc)) return false;
  sf_val args = {0}, s = {0};
  if (!sf_list_new(O_TUPLE, 1, &args)) return false;
  const char *tb = strstr(I->err->msg, "\ntraceback (most recent call first):"); /* traceback_frame's lines are not its text */
  if (!sf_str_new(I->err->msg, tb ? (size_t)(tb - I->err->msg) : strlen(I->err->msg), &s)) return sf_val_drop(&args), false;
  SF_LIST(&args)->items[0] = s;
  bool ok = new_exception(I, PY(I)->cls[bc], &args, out) == SF_OK;
  sf_val_drop(&args);
  return ok;
}

static void clear_exception(sf_interp *I) {
  sf_val_drop(&PY(I)->exc);
  sf_error_clear(I->err);
  PY(I)->tb_lines = 0; /* the next error's traceback starts afresh (its text is cut at its header) */
}

/* ---- types ---- */

sf_class *sf_py_type(sf_interp *I, const sf_val *v) {
  sf_class **c = PY(I)->cls;
  switch (v->kind) {
    case V_NONE: return c[BC_NONETYPE];
    case V_ELLIPSIS: return c[BC_ELLIPSIS];
    case V_BOOL: return v->numpy ? c[BC_NP_BOOL] : c[BC_BOOL];
    case V_INT: return !v->numpy ? c[BC_INT] : v->dtype == SF_INT32 ? c[BC_NP_INT32] : c[BC_NP_INT64];
    case V_FLOAT: return !v->numpy ? c[BC_FLOAT] : v->dtype == SF_FLOAT32 ? c[BC_NP_FLOAT32] : c[BC_NP_FLOAT64];
    case V_DTYPE: return v->numpy ? c[BC_TYPE] : c[BC_TF_DTYPE]; /* np.float32 is a class */
    case V_TENSOR: /* TF 2.13 made a graph's tensors SymbolicTensor (its RELEASE.md, "tf.Tensor") */
      if (v->numpy) return c[BC_NP_NDARRAY];
      if (v->g == I->E.g) return c[BC_TF_EAGER];
      if (sf_b_graph_variable(v)) /* a graph's tf.Variable: TF 1.x's RefVariable; TF 2's are resource variables */
        return I->opt.profile == SF_PROFILE_TF1 ? c[BC_TF_REFVAR] : c[BC_TF_RESVAR];
      return I->opt.profile == SF_PROFILE_KERAS3 || (I->opt.profile == SF_PROFILE_TF210 && sf_keras_version(I) / 100 % 100 >= 13)
                 ? c[BC_TF_SYMBOLIC] : c[BC_TF_TENSOR];
    case V_STR: return c[BC_STR];
    case V_LIST: return c[BC_LIST];
    case V_TUPLE: return c[BC_TUPLE];
    case V_BUILTIN: case V_METHOD: return c[BC_BUILTINFN];
    case V_MODULE: return c[BC_MODULE];
    case V_OBJ: break;
    default: return c[BC_OBJECT];
  }
  switch (v->o->t) {
    case O_STR: return c[BC_STR];
    case O_LIST: return c[BC_LIST];
    case O_TUPLE: return c[BC_TUPLE];
    case O_DICT: return c[BC_DICT];
    case O_SET: return c[BC_SET];
    case O_RANGE: return c[BC_RANGE];
    case O_FUNC: return c[BC_FUNCTION];
    case O_CLASS: return c[BC_TYPE];
    case O_INST: return ((sf_inst *)v->o)->cls;
    case O_NATIVE: return c[BC_BUILTINFN];
    case O_BOUND: return c[BC_METHOD];
    case O_MODULE: return ((sf_module *)v->o)->api_class ? c[((sf_module *)v->o)->api_class] : c[BC_MODULE];
    case O_DICTVIEW: return c[BC_DICT_KEYS + SF_VIEW(v)->what];
    case O_ITER: { /* a generator's or an itertools object's class; other iterators are not modelled as classes */
      const sf_iter *x = (const sf_iter *)v->o;
      return x->gen ? c[BC_GENERATOR] : x->cls ? x->cls : c[BC_OBJECT];
    }
    default: return c[BC_OBJECT];
  }
}

static bool subclass(const sf_class *k, const sf_class *c) {
  for (; k; k = k->base)
    if (k == c) return true;
  return false;
}

bool sf_py_isinstance(sf_interp *I, const sf_val *v, const sf_class *c) {
  if (c == PY(I)->cls[BC_OBJECT]) return true;
  sf_class *k = sf_py_type(I, v);
  if (c == PY(I)->cls[BC_INT] && k == PY(I)->cls[BC_BOOL]) return true;
  return subclass(k, c);
}

/* ---- attributes ---- */

static sf_val *class_lookup(sf_class *c, const char *name, sf_class **where) {
  for (; c; c = c->base) {
    sf_val *v = c->attrs ? sf_dict_get_str(c->attrs, name) : NULL;
    if (v) {
      if (where) *where = c;
      return v;
    }
  }
  return NULL;
}

static bool bound_new(const sf_val *self, const sf_val *fn, const char *name, sf_val *out) {
  sf_bound *b = sf_obj_alloc(O_BOUND, sizeof *b);
  if (!b) return false;
  b->self = *self;
  sf_val_ref(self);
  if (fn) {
    b->fn = *fn;
    sf_val_ref(fn);
  }
  b->name = name;
  *out = sf_obj_val(b);
  return true;
}

/* The kind of descriptor v is (property, classmethod, staticmethod) or BC_COUNT. */
static sf_builtin_class descriptor_kind(sf_interp *I, const sf_val *v) {
  if (!sf_is(v, O_INST)) return BC_COUNT;
  sf_class *c = ((sf_inst *)v->o)->cls;
  for (int k = BC_PROPERTY; k <= BC_STATICMETHOD; k++)
    if (c == PY(I)->cls[k]) return (sf_builtin_class)k;
  return BC_COUNT;
}

static sf_val *descriptor_field(const sf_val *d, const char *name) { return sf_dict_get_str(((sf_inst *)d->o)->attrs, name); }

/* A class attribute a seen through instance self (NULL when seen through class owner). */
static bool bind_descriptor(sf_interp *I, const sf_val *a, const sf_val *self, sf_class *owner, sf_val *out, sf_status *st) {
  switch (descriptor_kind(I, a)) {
    case BC_PROPERTY:
      if (!self) return *out = *a, sf_val_ref(out), true;
      *st = sf_py_call1(I, descriptor_field(a, "fget"), self, out);
      return true;
    case BC_CLASSMETHOD: {
      sf_val cv = sf_obj_val(owner);
      if (!bound_new(&cv, descriptor_field(a, "__func__"), "classmethod", out)) *st = sf_py_oom(I);
      return true;
    }
    case BC_STATICMETHOD: *out = *descriptor_field(a, "__func__"); sf_val_ref(out); return true;
    default: return false;
  }
}

/* A name that an object seedflow models in part (a module, NumPy's random objects, TF's and
 * Keras's objects) does not have: true with a located unsupported error when the real object
 * has it (realnames.c; TF's and Keras's names are not listed, so always for them); false
 * (Python's AttributeError follows) when it has not. Dunder names are seedflow's own. */
static bool partial_miss(sf_interp *I, const char *owner, const char *name, sf_status *st) {
  if (strncmp(name, "__", 2) == 0 || sf_py_real_name(owner, name) == 0) return false;
  *st = sf_error_at(I->err, 0, 0, SF_ENAME, "unsupported: %s.%s", owner, name);
  return true;
}

/* obj.__dict__: a program class's instance's own attributes, the dict itself (live). A
 * Keras layer's (its attributes are Keras's own), a plain object()'s (it has none) and
 * any other value's are not modelled: false. */
bool sf_py_instance_dict(sf_interp *I, const sf_val *v, sf_val *out) {
  if (!sf_is(v, O_INST)) return false;
  sf_inst *x = (sf_inst *)v->o;
  if (x->cls == PY(I)->cls[BC_OBJECT] || x->cls->builtin || sf_dict_get_str(x->attrs, "_sf_weights")) return false;
  for (const sf_class *c = x->cls; c; c = c->base)
    if (c->builtin && c != PY(I)->cls[BC_OBJECT] && !c->exception) return false; /* a subclass of an API class */
  *out = sf_obj_val(x->attrs);
  sf_val_ref(out);
  return true;
}

bool sf_py_getattr(sf_interp *I, const sf_val *v, const char *name, sf_val *out, sf_status *st) {
  *st = SF_OK;
  if (strcmp(name, "__class__") == 0 && (v->kind == V_OBJ || sf_is_number(v) || v->kind == V_STR || v->kind == V_NONE)) {
    *out = sf_obj_val(sf_py_type(I, v)); /* type(v) */
    sf_val_ref(out);
    return true;
  }
  if (strcmp(name, "__dict__") == 0 && sf_is(v, O_INST)) {
    if (!sf_py_instance_dict(I, v, out))
      *st = sf_error_at(I->err, I->line, 1, SF_ENAME, "unsupported: '__dict__' of a %s object (its attributes are not modelled)",
                        sf_type_name(v));
    return true;
  }
  if (sf_is(v, O_INST)) {
    sf_inst *x = (sf_inst *)v->o;
    sf_val *a = sf_dict_get_str(x->attrs, name);
    if (a) return *out = *a, sf_val_ref(out), true;
    if (x->cls->exception && strcmp(name, "args") == 0) return *out = x->args, sf_val_ref(out), true;
    if (descriptor_kind(I, v) == BC_PROPERTY && strcmp(name, "setter") == 0) return sf_py_property_setter(I, v, out, st);
    a = class_lookup(x->cls, name, NULL);
    if (!a) { /* a name a modelled-in-part class lacks (a Keras Model's fit, from a subclass too) is unsupported */
      for (const sf_class *k = x->cls; k; k = k->base) /* an own partial class, or Keras's base with that name */
        if (k->partial) return (k == x->cls || sf_keras_base_has(k->name, name)) && partial_miss(I, k->name, name, st);
      return false;
    }
    if (bind_descriptor(I, a, v, x->cls, out, st)) return true;
    if (sf_is(a, O_FUNC) || (sf_is(a, O_NATIVE) && (strcmp(name, "__init__") == 0 || ((sf_native *)a->o)->method))) {
      if (!bound_new(v, a, name, out)) *st = sf_py_oom(I);
      return true;
    }
    return *out = *a, sf_val_ref(out), true;
  }
  if (sf_is(v, O_CLASS)) {
    sf_class *c = (sf_class *)v->o;
    sf_val *a = class_lookup(c, name, NULL);
    if (a && bind_descriptor(I, a, NULL, c, out, st)) return true;
    if (a) return *out = *a, sf_val_ref(out), true;
    if (strcmp(name, "__name__") == 0 || strcmp(name, "__qualname__") == 0) {
      if (!sf_str_cstr(name[2] == 'q' && c->qualname ? c->qualname : c->name, out)) *st = sf_py_oom(I);
      return true;
    }
    return c->builtin && sf_py_class_method(I, c, name, out, st);
  }
  if (sf_is(v, O_BOUND) && ((sf_bound *)v->o)->name && strcmp(((sf_bound *)v->o)->name, "<super>") == 0) {
    sf_bound *s = (sf_bound *)v->o;
    sf_class *owner = (sf_class *)s->fn.o;
    sf_val *a = class_lookup(owner->base, name, NULL);
    if (!a) return false;
    if (sf_is(a, O_FUNC) || (sf_is(a, O_NATIVE) && strcmp(name, "__init__") == 0)) {
      if (!bound_new(&s->self, a, name, out)) *st = sf_py_oom(I);
      return true;
    }
    return *out = *a, sf_val_ref(out), true;
  }
  if (sf_is(v, O_MODULE)) {
    sf_module *m = (sf_module *)v->o;
    sf_val *a = sf_dict_get_str(m->attrs, name);
    if (a) return *out = *a, sf_val_ref(out), true;
    char owner[128];
    const sf_class *c = m->api_class ? PY(I)->cls[m->api_class] : NULL;
    snprintf(owner, sizeof owner, "%s%s%s", c ? c->module : m->name, c ? "." : "", c ? c->name : "");
    return partial_miss(I, owner, name, st);
  }
  if (sf_is(v, O_FUNC) && ((sf_func *)v->o)->attrs) {
    sf_val *a = sf_dict_get_str(((sf_func *)v->o)->attrs, name);
    if (a) return *out = *a, sf_val_ref(out), true;
  }
  if (sf_is(v, O_FUNC) && strcmp(name, "__name__") == 0) {
    if (!sf_str_cstr(((sf_func *)v->o)->qualname, out)) *st = sf_py_oom(I);
    return true;
  }
  return sf_py_builtin_method(I, v, name, out, st);
}

/* ---- the binding layer: objects to the API's flat values and back ---- */

/* Item arrays of lists converted for one call (to_api), freed when it returns
 * (api_args_free); NULL: they go in the run's arena (an API function may keep them). */
typedef sf_api_tmp api_tmp;
static sf_status to_api(sf_interp *I, const sf_val *v, sf_val *out, api_tmp *tmp);

sf_status sf_py_to_api(sf_interp *I, const sf_val *v, sf_val *out);
sf_status sf_py_to_api(sf_interp *I, const sf_val *v, sf_val *out) { return to_api(I, v, out, NULL); }
sf_status sf_py_to_api_tmp(sf_interp *I, const sf_val *v, sf_val *out, sf_api_tmp *tmp) { return to_api(I, v, out, tmp); }

/* *v, a tf.Variable, replaced by its value (a ReadVariableOp: variables.py _run_op reads
 * it for every operator it overloads); anything else stays. */
static sf_status variable_value(sf_interp *I, sf_val *v) {
  sf_val r;
  if (!sf_tape_is_variable(v)) return SF_OK;
  sf_status st = to_api(I, v, &r, NULL);
  if (st != SF_OK) return st;
  sf_val_drop(v);
  *v = r;
  return SF_OK;
}

void sf_api_tmp_free(api_tmp *tmp) {
  for (int i = 0; i < tmp->n; i++) free(tmp->p[i]);
  free(tmp->p);
}

static sf_val *tmp_items(sf_interp *I, api_tmp *tmp, int64_t n) {
  size_t count = (size_t)(n ? n : 1);
  if (!tmp) return sf_arena_alloc(&I->arena, count * sizeof(sf_val));
  if (tmp->n == tmp->cap) {
    int nc = tmp->cap ? 2 * tmp->cap : 4;
    void **np = realloc(tmp->p, (size_t)nc * sizeof *np);
    if (!np) return NULL;
    tmp->p = np;
    tmp->cap = nc;
  }
  sf_val *items = calloc(count, sizeof *items);
  if (items) tmp->p[tmp->n++] = items;
  return items;
}

static sf_status to_api(sf_interp *I, const sf_val *v, sf_val *out, api_tmp *tmp) {
  *out = *v;
  if (v->kind != V_OBJ) return SF_OK;
  if (sf_tape_is_variable(v)) return sf_tape_read(I, v, out);
  if (sf_is(v, O_STR)) {
    *out = (sf_val){.kind = V_STR, .s = SF_STR(v)->s};
    return SF_OK;
  }
  if (sf_is(v, O_LIST) || sf_is(v, O_TUPLE) || sf_is(v, O_RANGE)) {
    sf_val l = {0};
    sf_status st = sf_py_to_list(I, NULL, v, O_LIST, &l);
    if (st != SF_OK) return st;
    sf_list *src = SF_LIST(&l);
    sf_val *items = tmp_items(I, tmp, src->n);
    if (!items) return sf_val_drop(&l), sf_py_oom(I);
    for (int64_t i = 0; st == SF_OK && i < src->n; i++) st = to_api(I, &src->items[i], &items[i], tmp);
    *out = (sf_val){.kind = sf_is(v, O_TUPLE) ? V_TUPLE : V_LIST, .items = items, .n = (int)src->n};
    /* strings inside point into objects the caller still holds; a range holds none */
    sf_val_drop(&l);
    return st;
  }
  if (sf_is(v, O_DICTVIEW)) /* TF's and NumPy's functions differ in what they make of one */
    return sf_error_set(I->err, SF_ENAME, "unsupported: a %s as an argument of a TensorFlow or NumPy function (list() of it is "
                        "supported)", sf_type_name(v));
  return SF_OK;
}

sf_status sf_py_from_api(sf_interp *I, const sf_val *v, sf_val *out) {
  if (v->kind == V_STR) return sf_str_cstr(v->s, out) ? SF_OK : sf_py_oom(I);
  if (v->kind == V_LIST || v->kind == V_TUPLE) {
    if (!sf_list_new(v->kind == V_LIST ? O_LIST : O_TUPLE, v->n, out)) return sf_py_oom(I);
    for (int i = 0; i < v->n; i++) {
      sf_status st = sf_py_from_api(I, &v->items[i], &SF_LIST(out)->items[i]);
      if (st != SF_OK) return st;
    }
    return SF_OK;
  }
  *out = *v;
  sf_val_ref(out);
  return SF_OK;
}

/* A call's arguments converted for the API (borrowed: nothing to drop), in the caller's
 * buffers of SF_API_ARGS values or, for more, in memory api_args_free frees: they live as
 * long as the call (the run's arena took 300 bytes a call, for the whole run). The lists
 * among them are the call's too when tmp is given (a function that only builds ops keeps
 * none: sf_api_pure), else the run's. */
static void api_args_free(sf_args *fa, const sf_val *pos, const sf_val *kw, api_tmp *tmp) {
  if (fa->pos != pos) free(fa->pos);
  if (fa->kw != kw) free(fa->kw);
  fa->pos = fa->kw = NULL;
  if (tmp) sf_api_tmp_free(tmp);
}

static sf_status api_args(sf_interp *I, const sf_args *a, sf_args *fa, sf_val *pos, sf_val *kw, api_tmp *tmp) {
  *fa = *a;
  fa->pos = a->npos <= SF_API_ARGS ? pos : calloc((size_t)a->npos, sizeof *fa->pos);
  fa->kw = a->nkw <= SF_API_ARGS ? kw : calloc((size_t)a->nkw, sizeof *fa->kw);
  if (!fa->pos || !fa->kw) return sf_py_oom(I);
  sf_status st = SF_OK;
  for (int i = 0; st == SF_OK && i < a->npos; i++) st = to_api(I, &a->pos[i], &fa->pos[i], tmp);
  for (int i = 0; st == SF_OK && i < a->nkw; i++) st = to_api(I, &a->kw[i], &fa->kw[i], tmp);
  return st;
}

sf_status sf_py_api_args(sf_interp *I, const sf_args *a, sf_args *fa, sf_val *pos, sf_val *kw) {
  return api_args(I, a, fa, pos, kw, NULL);
}

void sf_py_api_args_free(sf_args *fa, const sf_val *pos, const sf_val *kw) { api_args_free(fa, pos, kw, NULL); }

static sf_status locate(sf_interp *I, const sf_expr *e, sf_status st) {
  if (st != SF_OK && I->err && I->err->line == 0) {
    I->err->line = e && e->line ? e->line : I->line;
    I->err->col = e && e->line ? e->col : 1;
  }
  return st;
}

/* Calls an API function or method with flat arguments; converts the result. */
static void count_result(sf_interp *I, sf_val *out, int first, int64_t py_calls);

static sf_status call_api(sf_interp *I, const sf_val *fn, const sf_args *a, sf_val *out) {
  if (fn->kind == V_METHOD && fn->items->kind == V_OPTIMIZER) { /* takes Python values (tf.Variable objects) */
    int first = I->E.g->n;
    int64_t calls = I->py_calls;
    sf_status st = locate(I, a->call, sf_tape_optimizer_method(I, fn->items, fn->s, a, out));
    /* apply_gradients' update ops keep the step's state in the variables: its nodes are
     * done with (pin_call left its arguments counted) */
    if (st == SF_OK && strcmp(fn->s, "apply_gradients") == 0 && I->ctx.eager && !I->ctl)
      sf_py_release_since(I, first, calls, out);
    return st;
  }
  sf_args fa;
  sf_val pos[SF_API_ARGS], kw[SF_API_ARGS];
  api_tmp tmp = {0}, *own = fn->kind == V_BUILTIN && sf_api_pure(fn->fn) ? &tmp : NULL;
  sf_status st = api_args(I, a, &fa, pos, kw, own);
  if (st != SF_OK) return api_args_free(&fa, pos, kw, own), st;
  int first = I->E.g->n;
  int64_t calls = I->py_calls;
  sf_val r = {0};
  memset(&r, 0, sizeof r);
  bool numpy = (fn->kind == V_BUILTIN && fn->s && strncmp(fn->s, "np.", 3) == 0) ||
               (fn->kind == V_METHOD && fn->items->kind == V_TENSOR && fn->items->numpy);
  int n0 = numpy ? sf_numpy_begin(I) : 0;
  const char *caller = I->api_path; /* looked at only when an argument is wrong (interp.c sf_bind) */
  I->api_path = fn->kind == V_BUILTIN ? fn->s : NULL;
  switch (fn->kind) {
    case V_BUILTIN: st = fn->fn(I, &fa, &r); break;
    case V_METHOD: st = sf_api_method(I, fn->items, fn->s, &fa, &r); break;
    default: st = sf_keras_call(I, fn, &fa, &r); break;
  }
  I->api_path = caller;
  if (numpy) sf_numpy_end(I, n0);
  if (st == SF_OK && (st = sf_py_from_api(I, &r, out)) == SF_OK) {
    count_result(I, out, first, calls);
    /* tf.while_loop's variables, tf.cond's outputs: each tensor made now is counted */
    if (fn->kind == V_BUILTIN && sf_control_runs_functions(fn->fn) && (sf_is(out, O_LIST) || sf_is(out, O_TUPLE)) &&
        sf_py_counting(I) && I->py_calls == calls)
      sf_py_count_made(I, first, out);
  }
  api_args_free(&fa, pos, kw, own); /* after the result's conversion: it may hold an argument's items */
  return st == SF_OK ? st : locate(I, a->call, st);
}

/* ---- calls ---- */

static sf_status arg_error(sf_interp *I, const sf_args *a, const char *fmt, const char *fname, int x, int y) {
  return sf_py_raise(I, a->call, BC_TYPEERR, fmt, fname, x, y);
}

/* Binds a call's arguments to f's parameters in scope s. */
static sf_status bind_params(sf_interp *I, sf_func *f, const sf_args *a, sf_scope *s) {
  const sf_stmt *d = f->def;
  const char *fname = f->qualname;
  int np = d->nposparams;
  bool *set = calloc((size_t)d->nparams + 1, sizeof *set);
  if (!set) return sf_py_oom(I);
  sf_status st = SF_OK;
  int npos = a->npos < np ? a->npos : np;
  for (int i = 0; i < npos; i++) {
    if (!scope_set(s, d->params[i], &a->pos[i])) st = sf_py_oom(I);
    set[i] = true;
  }
  if (st == SF_OK && a->npos > np) {
    if (!d->vararg) {
      free(set);
      return sf_py_raise(I, a->call, BC_TYPEERR, "%s() takes %d positional argument%s but %d %s given", fname, np,
                         np == 1 ? "" : "s", a->npos, a->npos == 1 ? "was" : "were");
    }
  }
  if (st == SF_OK && d->vararg) {
    sf_val t = {0};
    int extra = a->npos > np ? a->npos - np : 0;
    if (!sf_list_new(O_TUPLE, extra, &t)) st = sf_py_oom(I);
    for (int i = 0; st == SF_OK && i < extra; i++) {
      SF_LIST(&t)->items[i] = a->pos[np + i];
      sf_val_ref(&a->pos[np + i]);
    }
    if (st == SF_OK && !scope_set(s, d->vararg, &t)) st = sf_py_oom(I);
    sf_val_drop(&t);
  }
  sf_val kw = {.kind = V_NONE};
  if (st == SF_OK && d->kwarg && !sf_dict_new(O_DICT, &kw)) st = sf_py_oom(I);
  for (int k = 0; st == SF_OK && k < a->nkw; k++) {
    int i = 0;
    while (i < d->nparams && strcmp(d->params[i], a->kwnames[k]) != 0) i++;
    if (i == d->nparams) {
      if (!d->kwarg) {
        st = sf_py_raise(I, a->call, BC_TYPEERR, "%s() got an unexpected keyword argument '%s'", fname, a->kwnames[k]);
        break;
      }
      if (!sf_dict_set_str(SF_DICT(&kw), a->kwnames[k], &a->kw[k])) st = sf_py_oom(I);
      continue;
    }
    if (set[i]) {
      st = sf_py_raise(I, a->call, BC_TYPEERR, "%s() got multiple values for argument '%s'", fname, d->params[i]);
      break;
    }
    if (!scope_set(s, d->params[i], &a->kw[k])) st = sf_py_oom(I);
    set[i] = true;
  }
  if (st == SF_OK && d->kwarg && !scope_set(s, d->kwarg, &kw)) st = sf_py_oom(I);
  sf_val_drop(&kw);
  for (int i = 0; st == SF_OK && i < d->nparams; i++) {
    if (set[i]) continue;
    if (f->has_default[i]) {
      if (!scope_set(s, d->params[i], &f->defaults[i])) st = sf_py_oom(I);
      continue;
    }
    st = sf_py_raise(I, a->call, BC_TYPEERR, i < np ? "%s() missing 1 required positional argument: '%s'"
                                                    : "%s() missing 1 required keyword-only argument: '%s'",
                     fname, d->params[i]);
  }
  free(set);
  (void)arg_error;
  return st;
}

/* Appends one traceback line for a call of fname at e to the pending error. */
static void traceback_frame(sf_interp *I, const sf_expr *e, const char *fname) {
  if (!e || !e->line || PY(I)->tb_lines >= 8) return;
  size_t n = strlen(I->err->msg);
  if (PY(I)->tb_lines == 0 && n + 40 < sizeof I->err->msg)
    n += (size_t)snprintf(I->err->msg + n, sizeof I->err->msg - n, "\ntraceback (most recent call first):");
  if (n + 64 < sizeof I->err->msg)
    snprintf(I->err->msg + n, sizeof I->err->msg - n, "\n  in %s(), called at line %d, column %d", fname, e->line, e->col);
  PY(I)->tb_lines++;
}

/* Runs program function f: a new scope, its body, its return value. */
sf_status sf_py_run_function(sf_interp *I, sf_func *f, const sf_args *a, sf_val *out);
static sf_status run_function(sf_interp *I, sf_func *f, const sf_args *a, sf_val *out);

/* A program function's body: its arrays are named, never an operand's temporary (np_fresh). */
sf_status sf_py_run_function(sf_interp *I, sf_func *f, const sf_args *a, sf_val *out) {
  int fresh = I->np_fresh;
  I->np_fresh = -1;
  sf_status st = run_function(I, f, a, out);
  I->np_fresh = fresh;
  return st;
}

static sf_status run_function(sf_interp *I, sf_func *f, const sf_args *a, sf_val *out) {
  *out = sf_none();
  if (PY(I)->depth >= SF_PY_MAX_DEPTH)
    return sf_py_raise(I, a->call, BC_RECURSION,
                       "maximum recursion depth exceeded (the limit is %d nested calls of program functions)",
                       SF_PY_MAX_DEPTH);
  sf_scope *s = scope_new(f->closure);
  if (!s) return sf_py_oom(I);
  sf_status st = bind_params(I, f, a, s);
  sf_scope *saved = PY(I)->scope;
  int line = I->line;
  /* a call from __exit__ or a finally block may run while the caller is returning */
  sf_flow saved_flow = PY(I)->flow;
  sf_val saved_ret = PY(I)->ret;
  PY(I)->flow = FLOW_NONE;
  PY(I)->ret = sf_none();
  PY(I)->scope = s;
  sf_func *saved_func = PY(I)->cur_func;
  PY(I)->cur_func = f;
  PY(I)->depth++;
  I->depth++;
  if (st == SF_OK) st = exec_block(I, f->def->body, f->def->nbody);
  PY(I)->depth--;
  I->depth--;
  PY(I)->cur_func = saved_func;
  PY(I)->scope = saved;
  I->line = line;
  if (PY(I)->flow == FLOW_RETURN) {
    *out = PY(I)->ret;
    PY(I)->ret = sf_none();
  }
  PY(I)->flow = saved_flow;
  PY(I)->ret = saved_ret;
  sf_val sv = sf_obj_val(s);
  sf_val_drop(&sv);
  if (st != SF_OK) {
    sf_val_drop(out);
    traceback_frame(I, a->call, f->qualname);
  }
  return st;
}

sf_status sf_interp_call_function(sf_interp *I, sf_func *f, const sf_args *a, sf_val *out);

static sf_status call_instance(sf_interp *I, sf_class *c, const sf_args *a, sf_val *out) {
  if (c->builtin && !c->exception)
    return c->call ? c->call(I, NULL, a, out) : sf_py_raise(I, a->call, BC_TYPEERR, "cannot create '%s' instances", c->name);
  sf_inst *x = sf_obj_alloc(O_INST, sizeof *x);
  if (!x || !(x->attrs = sf_dict_alloc(O_DICT))) return free(x), sf_py_oom(I);
  x->cls = c;
  c->h.rc++;
  *out = sf_obj_val(x);
  if (c->exception) { /* BaseException.__init__ stores the arguments */
    sf_val t = {0};
    if (!sf_list_new(O_TUPLE, a->npos, &t)) return sf_py_oom(I);
    for (int i = 0; i < a->npos; i++) {
      SF_LIST(&t)->items[i] = a->pos[i];
      sf_val_ref(&a->pos[i]);
    }
    x->args = t;
  }
  sf_class *where = NULL;
  sf_val *init = class_lookup(c, "__init__", &where);
  if (where == PY(I)->cls[BC_OBJECT]) init = NULL;  /* object.__init__ takes no arguments */
  if (!init) {
    if (!c->exception && (a->npos || a->nkw)) {
      sf_val_drop(out);
      return sf_py_raise(I, a->call, BC_TYPEERR, "%s() takes no arguments", c->name);
    }
    return SF_OK;
  }
  sf_args b = *a;
  sf_val *pos = malloc((size_t)(a->npos + 1) * sizeof *pos);
  if (!pos) return sf_py_oom(I);
  pos[0] = *out;
  if (a->npos) memcpy(pos + 1, a->pos, (size_t)a->npos * sizeof *pos);
  b.pos = pos;
  b.npos = a->npos + 1;
  sf_val r = {0};
  sf_status st = sf_py_call(I, init, &b, &r);
  free(pos);
  if (st == SF_OK) sf_val_drop(&r);
  else sf_val_drop(out);
  return st;
}

/* ---- counted tensors (issue 14) ----
 * A tensor a binary operator of the program makes, a tensor's slice, or what an API
 * function or a traced tf.function returns, in the eager frame, is counted (count_result,
 * sf_py_count_made): scopes, containers and temporaries hold it through
 * sf_val_ref/drop, and its node is released with the last handle. Every other tensor is
 * pinned (kept). A counted tensor handed to code that may keep it where nothing counts
 * (the API, natives, builtins, a tensor's methods, a NumPy array's indexing, comparisons)
 * is pinned there, and so is what a container, a slice or an API object of plain values (a
 * regularizer) holds; a value that reaches further (an instance, a function, a module: code
 * may find tensors inside) stops all releasing for the rest of the run, but for the
 * exceptions pin_call names. */
enum { PIN_MAX_ITEMS = 4096, PIN_MAX_DEPTH = 8 };

static void pin_value(sf_interp *I, const sf_val *v, int depth) {
  if (I->E.keep_all) return;
  if (v->kind == V_TENSOR) {
    if (v->counted) sf_eager_pin(&I->E, v->node);
    return;
  }
  if (v->kind == V_METHOD) {
    if (v->items) pin_value(I, v->items, depth + 1);
    return;
  }
  if (sf_is(v, O_SLICE) && depth < PIN_MAX_DEPTH) { /* t[a:b]'s slice: its bounds */
    const sf_slice *sl = (const sf_slice *)v->o;
    pin_value(I, &sl->lo, depth + 1), pin_value(I, &sl->hi, depth + 1), pin_value(I, &sl->step, depth + 1);
    return;
  }
  if (sf_is(v, O_INST) && ((sf_inst *)v->o)->cls->plain && depth < PIN_MAX_DEPTH) { /* its methods are the API's */
    const sf_dict *d = ((sf_inst *)v->o)->attrs;
    for (int64_t i = 0; d && i < d->ne; i++)
      if (d->e[i].used && !sf_is(&d->e[i].value, O_NATIVE)) pin_value(I, &d->e[i].value, depth + 1);
    return;
  }
  bool seq = v->kind == V_LIST || v->kind == V_TUPLE || sf_is(v, O_LIST) || sf_is(v, O_TUPLE);
  bool map = sf_is(v, O_DICT) || sf_is(v, O_SET);
  if ((v->kind != V_OBJ && !seq) || sf_is(v, O_STR) || sf_is(v, O_RANGE) || sf_is(v, O_RANDOM)) return;
  int64_t n = v->kind != V_OBJ ? v->n : seq ? SF_LIST(v)->n : map ? SF_DICT(v)->ne : 0;
  if ((!seq && !map) || depth >= PIN_MAX_DEPTH || n > PIN_MAX_ITEMS) {
    sf_eager_keep_all(&I->E);
    return;
  }
  for (int64_t i = 0; i < n; i++) {
    if (seq) {
      pin_value(I, v->kind == V_OBJ ? &SF_LIST(v)->items[i] : &v->items[i], depth + 1);
    } else if (SF_DICT(v)->e[i].used) {
      pin_value(I, &SF_DICT(v)->e[i].key, depth + 1);
      pin_value(I, &SF_DICT(v)->e[i].value, depth + 1);
    }
  }
}

/* Whether a program function's body stores nothing outside its own frame: it only binds
 * local names, returns and branches, and makes no function or comprehension; what it calls
 * is checked as it runs (py_call). Such a function (a layer's activation `lambda z:
 * tf.nn.relu(z)`, a regularizer or constraint built from tf ops) keeps none of the tensors
 * it is given, so an API call running it may still release its own internal nodes, and
 * handing it to a Keras layer does not stop releasing. */
static bool expr_local(const sf_expr *e) {
  if (!e) return true;
  if (e->kind == SF_EX_LAMBDA || e->kind == SF_EX_COMP || !expr_local(e->base) || !expr_local(e->rhs)) return false;
  for (int i = 0; i < e->nitems; i++)
    if (!expr_local(e->items[i])) return false;
  for (int i = 0; i < e->nkw; i++)
    if (!expr_local(e->kwargs[i])) return false;
  return true;
}

static bool target_local(const sf_expr *t) {
  if (t->kind == SF_EX_NAME) return true;
  if (t->kind == SF_EX_STARRED) return target_local(t->base);
  if (t->kind != SF_EX_TUPLE && t->kind != SF_EX_LIST) return false;
  for (int i = 0; i < t->nitems; i++)
    if (!target_local(t->items[i])) return false;
  return true;
}

static bool body_local(sf_stmt *const *body, int n) {
  for (int i = 0; i < n; i++) {
    const sf_stmt *s = body[i];
    switch (s->kind) {
      case SF_ST_PASS: break;
      case SF_ST_EXPR: case SF_ST_RETURN:
        if (!expr_local(s->value)) return false;
        break;
      case SF_ST_ASSIGN:
        for (int k = 0; k < s->nlhs; k++)
          if (!target_local(s->lhs[k])) return false;
        if (!expr_local(s->value)) return false;
        break;
      case SF_ST_IF:
        if (!expr_local(s->value) || !body_local(s->body, s->nbody) || !body_local(s->orelse, s->norelse)) return false;
        break;
      default: return false; /* global, nonlocal, del, loops, with, try, raise, def, class... */
    }
  }
  return true;
}

static bool func_local(sf_func *f) {
  if (!f->local) f->local = f->slot < 0 && body_local(f->def->body, f->def->nbody) ? 1 : -1;
  return f->local > 0;
}

/* What a call from inside a program function may do without program code having kept a
 * tensor (py_calls): an API function that only builds ops (sf_api_pure), a Keras loss,
 * a program function that stores nothing outside its frame (whose own calls are checked
 * the same way), a method bound to one. */
static bool call_keeps_none(const sf_val *fn) {
  if (fn->kind == V_BUILTIN) return sf_api_pure(fn->fn);
  if (fn->kind == V_LOSS) return true;
  if (sf_is(fn, O_BOUND)) return call_keeps_none(&((sf_bound *)fn->o)->fn);
  return sf_is(fn, O_FUNC) && func_local((sf_func *)fn->o);
}

/* Before fn runs with a: a program function (a tf.function too) binds its arguments in a
 * counted scope; an API function that only builds ops from them (sf_api_pure: tf.square,
 * tf.reduce_sum, ...), tape.gradient, apply_gradients, tf.function(f) and Python's built-in
 * functions keep none where nothing counts; a Keras layer keeps the program functions it
 * is given that store nothing outside their frames (func_local) and takes their results;
 * any other callable gets its arguments pinned (pin_value). A bound method or a callable
 * instance comes back through sf_py_call. */
static void pin_call(sf_interp *I, const sf_val *fn, const sf_args *a) {
  if (I->E.keep_all || sf_is(fn, O_BOUND) || sf_is(fn, O_INST)) return;
  if (fn->kind == V_BUILTIN && sf_api_pure(fn->fn)) return;
  /* NumPy's functions compute new arrays (np.asarray's a is its own; np.random.shuffle
   * changes its argument in place) and keep none of their arguments */
  if (fn->kind == V_BUILTIN && fn->s && strncmp(fn->s, "np.", 3) == 0) return;
  if (fn->kind == V_BUILTIN && fn->fn == sf_api_tf_function) return; /* f goes to a slot, as @tf.function's */
  if (fn->kind == V_LOSS) return; /* a Keras loss object's call keeps neither y_true nor y_pred */
  if (sf_is(fn, O_NATIVE) && ((sf_native *)fn->o)->keeps_none) return;
  /* map, filter, zip, enumerate: their objects hold their sources by reference, as the
   * lists these built-in functions made before held their items */
  if (sf_is(fn, O_CLASS) && (fn->o == &PY(I)->cls[BC_MAP]->h || fn->o == &PY(I)->cls[BC_FILTER]->h ||
                             fn->o == &PY(I)->cls[BC_ZIP]->h || fn->o == &PY(I)->cls[BC_ENUMERATE]->h))
    return;
  /* str, type, int, float and bool read their argument; list, tuple, dict and set take its
   * items, each with a handle of its own */
  static const sf_builtin_class readers[] = {BC_STR, BC_TYPE, BC_INT, BC_FLOAT, BC_BOOL, BC_LIST, BC_TUPLE, BC_DICT, BC_SET};
  for (size_t i = 0; sf_is(fn, O_CLASS) && i < sizeof readers / sizeof *readers; i++)
    if (fn->o == &PY(I)->cls[readers[i]]->h) return;
  /* optimizer.apply_gradients(pairs) builds update ops from them and keeps none; a model's
   * predict and evaluate read their arrays' values and keep none */
  if (fn->kind == V_METHOD && fn->items->kind == V_OPTIMIZER && strcmp(fn->s, "apply_gradients") == 0) return;
  if (fn->kind == V_METHOD && fn->items->kind == V_MODEL && (strcmp(fn->s, "predict") == 0 || strcmp(fn->s, "evaluate") == 0))
    return;
  /* a program function, a tf.function too: run eagerly it is one; traced, its arguments
   * feed the trace and a tensor it captures enters the trace as a constant holding the value
   * (interp.c sf_b_tensor), not the eager node */
  if (sf_is(fn, O_FUNC)) return;
  /* a NumPy array's methods compute new arrays from its values and keep none of them; a
   * graph tensor's eval() and an operation's run() read their feeds while they run */
  if (fn->kind == V_METHOD && fn->items->kind == V_TENSOR && fn->items->numpy) return;
  if (fn->kind == V_METHOD && fn->items->kind == V_TENSOR && (!strcmp(fn->s, "eval") || !strcmp(fn->s, "run"))) return;
  if (fn->kind == V_METHOD) pin_value(I, fn, 0); /* its receiver (a native's self is a builtin type's or the API's) */
  /* a Keras layer calls the functions it is given (activation, initializers, regularizers,
   * constraints) and takes their results (sf_b_tensor_take); tf.while_loop and tf.cond take
   * their bodies' and branches' (api_control.c call_fn) */
  bool takes_results = fn->kind == V_BUILTIN && ((fn->s && strstr(fn->s, "keras.layers.")) || sf_control_runs_functions(fn->fn));
  for (int i = 0; i < a->npos + a->nkw; i++) {
    const sf_val *v = i < a->npos ? &a->pos[i] : &a->kw[i - a->npos];
    if (!takes_results || !sf_is(v, O_FUNC) || !func_local((sf_func *)v->o)) pin_value(I, v, 0);
  }
}

bool sf_py_holds_node(const sf_val *v, int id) {
  if (v->kind == V_TENSOR) return v->node == id;
  if (sf_is(v, O_LIST) || sf_is(v, O_TUPLE)) {
    for (int64_t i = 0; i < SF_LIST(v)->n; i++)
      if (sf_py_holds_node(&SF_LIST(v)->items[i], id)) return true;
  } else if (sf_is(v, O_DICT)) {
    for (int64_t i = 0; i < SF_DICT(v)->ne; i++)
      if (SF_DICT(v)->e[i].used && sf_py_holds_node(&SF_DICT(v)->e[i].value, id)) return true;
  }
  return false;
}

void sf_py_release_since(sf_interp *I, int first, int64_t py_calls, const sf_val *keep) {
  if (I->py_calls != py_calls || I->ctx.graph != I->E.g) return;
  for (int id = first + 1; id <= I->E.g->n; id++)
    if (!keep || !sf_py_holds_node(keep, id)) sf_eager_release_internal(&I->E, id);
}

/* A tensor the call had already (an argument's node handed back: convert_to_tensor, the
 * round of an int) without its own count is pinned, so the argument's last handle does not
 * release it under the result. */
static void pin_alias(sf_interp *I, const sf_val *t, int first) {
  if (t->kind == V_TENSOR && !t->counted && t->g == I->E.g && t->node <= first) sf_eager_pin(&I->E, t->node);
}

/* A tensor in the eager frame that a binary operator (tensor_arith) or an API function
 * (call_api) made just now (nodes after `first`): counted, and the internal nodes it made
 * (the Const of a Python operand, a reduction's axes) released (a draw's or a read's node
 * stays, without its value). A tensor the API had already (convert_to_tensor's x) and
 * several tensors in a list stay pinned. A tape suspends releasing until its gradient is taken.
 * Program code run by the call (py_calls: the count before it) may have kept an internal
 * node: then none is released. */
bool sf_py_counting(const sf_interp *I) { return sf_eager_releases_tensors(&I->E) && I->ctx.eager && I->ctx.depth == 1 && !I->ctl; }

bool sf_py_counting_arrays(const sf_interp *I) { return !I->E.keep_all && !I->ctl; }

static bool counting_array(const sf_interp *I, const sf_val *v) { return v->numpy && sf_py_counting_arrays(I); }

static void count_result(sf_interp *I, sf_val *out, int first, int64_t py_calls) {
  if (I->E.keep_all) return;
  pin_alias(I, out, first);
  if (sf_is(out, O_LIST) || sf_is(out, O_TUPLE))
    for (int64_t i = 0; i < SF_LIST(out)->n; i++) pin_alias(I, &SF_LIST(out)->items[i], first);
  if (out->kind != V_TENSOR || out->g != I->E.g || out->node <= first || !(sf_py_counting(I) || counting_array(I, out))) return;
  if (!sf_eager_count(&I->E, out->node)) return;
  out->counted = true;
  for (int id = first + 1; I->py_calls == py_calls && id < out->node; id++) sf_eager_release_internal(&I->E, id);
}

static sf_status py_call(sf_interp *I, const sf_val *fn, const sf_args *a, sf_val *out);

/* Around NumPy's work on a program value (an array's subscript, attribute, operator, row):
 * its nodes are no TF ops (sf_numpy_begin) and the array it made, *out (NULL: none), is
 * counted (count_result). */
typedef struct np_work {
  int first;
  int64_t calls;
} np_work;
static np_work np_begin(sf_interp *I) { return (np_work){sf_numpy_begin(I), I->py_calls}; }
static sf_status np_end(sf_interp *I, np_work w, sf_status st, sf_val *out) {
  sf_numpy_end(I, w.first);
  if (st == SF_OK && out) count_result(I, out, w.first, w.calls);
  return st;
}

/* A call from an API function back into the program (a callback, a layer's call) is no
 * longer the API function's own: its arguments are checked as they are (I->api_path off). */
sf_status sf_py_call(sf_interp *I, const sf_val *fn, const sf_args *a, sf_val *out) {
  const char *caller = I->api_path;
  I->api_path = NULL;
  sf_status st = py_call(I, fn, a, out);
  I->api_path = caller;
  return st;
}

/* Whether a call keeps neither what it is given nor what it makes anywhere but in its
 * result: NumPy's functions, an array's methods, the API's pure functions, a native marked
 * so. Anything else (a program function, list.append, dict.setdefault, ...) may: an array
 * made for it is no temporary (np_fresh). */
static bool stores_nothing(const sf_val *fn) {
  if (fn->kind == V_BUILTIN) return sf_api_pure(fn->fn) || (fn->s && strncmp(fn->s, "np.", 3) == 0);
  if (fn->kind == V_METHOD) return fn->items->kind == V_TENSOR && fn->items->numpy;
  return sf_is(fn, O_NATIVE) && ((sf_native *)fn->o)->keeps_none;
}

/* The np_fresh of operands evaluated since eager node `made` and store_calls `stores`. */
static int fresh_since(const sf_interp *I, int made, int64_t stores) { return I->store_calls == stores ? made : -1; }

/* v's node when v is a NumPy temporary of the statement (made since eager node `made`, no call
 * since `stores` that could have kept it), else 0: no view of an array it changes to refuse. */
static int statement_temp(const sf_interp *I, const sf_val *v, int made, int64_t stores) {
  return v->kind == V_TENSOR && v->node > made && fresh_since(I, made, stores) >= 0 ? v->node : 0;
}

static sf_status py_call(sf_interp *I, const sf_val *fn, const sf_args *a, sf_val *out) {
  *out = sf_none();
  if (!stores_nothing(fn)) I->store_calls++;
  pin_call(I, fn, a);
  if (I->depth > 0 && !call_keeps_none(fn)) I->py_calls++; /* program code may keep what it got */
  switch (fn->kind) {
    case V_BUILTIN: case V_METHOD: case V_LAYER: case V_MODEL: case V_LOSS: return call_api(I, fn, a, out);
    case V_MODULE: return sf_error_at(I->err, a->call ? a->call->line : I->line, a->call ? a->call->col : 1, SF_ENAME, "unsupported function '%s'", fn->s);
    case V_OBJ: break;
    case V_DTYPE:
      if (fn->numpy) return locate(I, a->call, sf_numpy_dtype_call(I, fn->dtype, a, out));
      return sf_py_raise(I, a->call, BC_TYPEERR, "'%s' object is not callable", sf_type_name(fn));
    default: return sf_py_raise(I, a->call, BC_TYPEERR, "'%s' object is not callable", sf_type_name(fn));
  }
  switch (fn->o->t) {
    case O_FUNC: {
      sf_func *f = (sf_func *)fn->o;
      if (I->depth == 0 && !func_local(f)) I->py_calls++; /* inside one, counted above */
      if (f->slot >= 0) return sf_interp_call_function(I, f, a, out);
      return sf_py_run_function(I, f, a, out);
    }
    case O_NATIVE: {
      sf_native *n = (sf_native *)fn->o;
      if (n->method) { /* read through its class (type(v).assign_add): the object comes first */
        if (a->npos < 1) return sf_py_raise(I, a->call, BC_TYPEERR, "%s() missing 1 required positional argument: 'self'", n->name);
        const sf_val *self = &a->pos[0];
        const sf_val *m = sf_is(self, O_INST) ? class_lookup(((sf_inst *)self->o)->cls, n->name, NULL) : NULL;
        if (!m || m->kind != V_OBJ || m->o != fn->o)
          return sf_error_at(I->err, a->call ? a->call->line : I->line, a->call ? a->call->col : 1, SF_ENAME,
                             "unsupported: %s() called through its class on a %s", n->name, sf_type_name(self));
        sf_args rest = *a;
        rest.pos++;
        rest.npos--;
        return locate(I, a->call, n->fn(I, (sf_val *)self, &rest, out));
      }
      const sf_val *outer = I->native_self; /* for error texts: "str.strip() takes no keyword arguments" */
      I->native_self = &n->self;
      sf_status st = n->fn(I, &n->self, a, out);
      I->native_self = outer;
      return locate(I, a->call, st);
    }
    case O_CLASS: { /* a constructor is no method of the object whose method may be running */
      const sf_val *outer = I->native_self;
      I->native_self = NULL;
      sf_status st = call_instance(I, (sf_class *)fn->o, a, out);
      I->native_self = outer;
      return st;
    }
    case O_BOUND: {
      sf_bound *b = (sf_bound *)fn->o;
      if (sf_is(&b->fn, O_NATIVE) && ((sf_native *)b->fn.o)->method) { /* a method native: the object is its self */
        sf_native *n = (sf_native *)b->fn.o;
        pin_call(I, &b->fn, a);
        return locate(I, a->call, n->fn(I, &b->self, a, out));
      }
      sf_args c = *a;
      sf_val *pos = malloc((size_t)(a->npos + 1) * sizeof *pos);
      if (!pos) return sf_py_oom(I);
      pos[0] = b->self;
      if (a->npos) memcpy(pos + 1, a->pos, (size_t)a->npos * sizeof *pos);
      c.pos = pos;
      c.npos = a->npos + 1;
      sf_status st = sf_py_call(I, &b->fn, &c, out);
      free(pos);
      return st;
    }
    case O_INST: {
      sf_val m = {0};
      sf_status st;
      if (!sf_py_getattr(I, fn, "__call__", &m, &st))
        return sf_py_raise(I, a->call, BC_TYPEERR, "'%s' object is not callable", sf_type_name(fn));
      if (st == SF_OK) st = sf_py_call(I, &m, a, out);
      sf_val_drop(&m);
      return st;
    }
    default: return sf_py_raise(I, a->call, BC_TYPEERR, "'%s' object is not callable", sf_type_name(fn));
  }
}

sf_status sf_py_call1(sf_interp *I, const sf_val *fn, const sf_val *arg, sf_val *out) {
  sf_args a = {.pos = (sf_val *)arg, .npos = arg ? 1 : 0};
  return sf_py_call(I, fn, &a, out);
}

bool sf_py_call_method(sf_interp *I, const sf_expr *at, const sf_val *self, const char *name, int n, const sf_val *args,
                       sf_val *out, sf_status *st) {
  sf_val m = {0};
  if (!sf_py_getattr(I, self, name, &m, st)) return false;
  sf_args a = {.call = at, .pos = (sf_val *)args, .npos = n};
  if (*st == SF_OK) *st = sf_py_call(I, &m, &a, out);
  sf_val_drop(&m);
  return true;
}

/* Evaluates a call's arguments (with *args and **kwargs) into a; free with free_args. */
static void free_args(sf_args *a) {
  for (int i = 0; i < a->npos; i++) sf_val_drop(&a->pos[i]);
  for (int i = 0; i < a->nkw; i++) sf_val_drop(&a->kw[i]);
  free(a->pos);
  free(a->kw);
  free((void *)a->kwnames);
}

static bool args_push(sf_val **arr, int *n, int *cap, const sf_val *v) {
  if (*n == *cap) {
    int nc = *cap ? *cap * 2 : 4;
    sf_val *na = realloc(*arr, (size_t)nc * sizeof *na);
    if (!na) return false;
    *arr = na;
    *cap = nc;
  }
  (*arr)[(*n)++] = *v;
  return true;
}

static sf_status eval_args(sf_interp *I, const sf_expr *e, sf_args *a) {
  memset(a, 0, sizeof *a);
  a->call = e;
  int cap = 0, kcap = 0;
  sf_status st = SF_OK;
  const char **names = NULL;
  for (int i = 0; st == SF_OK && i < e->nitems; i++) {
    const sf_expr *x = e->items[i];
    sf_val v = {0};
    if (x->kind == SF_EX_STARRED) {
      sf_val seq = {0}, l = {0};
      if ((st = eval(I, x->base, &seq)) != SF_OK) break;
      st = sf_py_to_list(I, x, &seq, O_LIST, &l);
      sf_val_drop(&seq);
      for (int64_t k = 0; st == SF_OK && k < SF_LIST(&l)->n; k++) {
        sf_val item = SF_LIST(&l)->items[k];
        sf_val_ref(&item);
        if (!args_push(&a->pos, &a->npos, &cap, &item)) st = sf_py_oom(I);
      }
      if (st == SF_OK || SF_LIST(&l)) sf_val_drop(&l);
      continue;
    }
    if ((st = eval(I, x, &v)) != SF_OK) break;
    if (!args_push(&a->pos, &a->npos, &cap, &v)) st = sf_py_oom(I);
  }
  for (int k = 0; st == SF_OK && k < e->nkw; k++) {
    sf_val v = {0};
    if ((st = eval(I, e->kwargs[k], &v)) != SF_OK) break;
    if (e->kwnames[k]) {
      int n = a->nkw;
      if (!args_push(&a->kw, &a->nkw, &kcap, &v)) st = sf_py_oom(I);
      else if (!add_name(&names, &n, e->kwnames[k])) st = sf_py_oom(I);
      continue;
    }
    if (!sf_is(&v, O_DICT)) {
      st = sf_py_raise(I, e->kwargs[k], BC_TYPEERR, "argument after ** must be a mapping, not %s", sf_type_name(&v));
      sf_val_drop(&v);
      break;
    }
    sf_dict *d = SF_DICT(&v);
    for (int64_t j = 0; st == SF_OK && j < d->ne; j++) {
      if (!d->e[j].used) continue;
      if (!sf_is(&d->e[j].key, O_STR)) {
        st = sf_py_raise(I, e->kwargs[k], BC_TYPEERR, "keywords must be strings");
        break;
      }
      int n = a->nkw;
      sf_val item = d->e[j].value;
      sf_val_ref(&item);
      /* the key string lives as long as the arena (names must outlive the call) */
      const char *kn = sf_arena_strdup(&I->arena, SF_STR(&d->e[j].key)->s);
      if (!kn || !args_push(&a->kw, &a->nkw, &kcap, &item) || !add_name(&names, &n, kn)) st = sf_py_oom(I);
    }
    sf_val_drop(&v);
  }
  a->kwnames = names;
  if (st != SF_OK) free_args(a);
  return st;
}

/* ---- iteration ---- */

/* The built-in containers sf_py_iter walks itself. */
static bool container(const sf_val *v) {
  return sf_is(v, O_LIST) || sf_is(v, O_TUPLE) || sf_is(v, O_STR) || sf_is(v, O_DICT) || sf_is(v, O_SET) ||
         sf_is(v, O_RANGE) || sf_is(v, O_DICTVIEW);
}

bool sf_py_maybe_iterable(const sf_val *v) {
  if (v->kind != V_OBJ) return v->kind == V_TENSOR || v->kind == V_LIST || v->kind == V_TUPLE;
  return container(v) || sf_is(v, O_ITER) || sf_is(v, O_INST);
}

sf_status sf_py_array_iter(sf_interp *I, const sf_val *v, sf_val *it) {
  sf_iter *x = sf_obj_alloc(O_ITER, sizeof *x);
  if (!x) return sf_py_oom(I);
  x->seq = *v;
  sf_val_ref(v);
  *it = sf_obj_val(x);
  return SF_OK;
}

sf_status sf_py_iter(sf_interp *I, const sf_expr *at, const sf_val *v, sf_val *it) {
  if (sf_is(v, O_ITER)) {
    *it = *v;
    sf_val_ref(it);
    return SF_OK;
  }
  sf_status st;
  if (sf_is(v, O_INST) && sf_py_call_method(I, at, v, "__iter__", 0, NULL, it, &st)) return st;
  if (!container(v)) {
    if (v->kind == V_TENSOR && v->numpy) return sf_numpy_iter(I, at, v, it); /* the iterator holds the array */
    pin_value(I, v, 0);
    if (v->kind == V_TENSOR) return sf_tensor_iter(I, at, v, it);
    if (sf_py_lazy_error(I, at, v, &st)) return st;
    return sf_py_raise(I, at, BC_TYPEERR, "'%s' object is not iterable", sf_type_name(v));
  }
  sf_iter *x = sf_obj_alloc(O_ITER, sizeof *x);
  if (!x) return sf_py_oom(I);
  x->seq = *v;
  sf_val_ref(v);
  if (sf_is(v, O_DICT) || sf_is(v, O_SET) || sf_is(v, O_DICTVIEW))
    x->size = x->left = sf_is(v, O_DICTVIEW) ? SF_DICT(&SF_VIEW(v)->dict)->n : SF_DICT(v)->n;
  *it = sf_obj_val(x);
  return SF_OK;
}

/* ---- generator expressions (CPython's <genexpr>: its first iterable taken when it is
 * made, everything else as it is iterated) ---- */

static sf_status assign(sf_interp *I, const sf_expr *target, const sf_val *v);
static sf_status eval(sf_interp *I, const sf_expr *e, sf_val *out);

/* A comprehension clause's item x (its reference taken): bound to the clause's target, then
 * its conditions tested in order; *keep when all hold. */
static sf_status comp_item(sf_interp *I, const sf_expr *c, sf_val *x, bool *keep) {
  sf_status st = assign(I, c->base, x);
  sf_val_drop(x);
  for (int j = 0; st == SF_OK && *keep && j < c->nitems; j++) {
    sf_val cond = {0};
    if ((st = eval(I, c->items[j], &cond)) != SF_OK) break;
    if (sf_py_lazy_error(I, c->items[j], &cond, &st)) break;
    *keep = sf_truthy(I, &cond);
    sf_val_drop(&cond);
  }
  return st;
}

/* Opens clause k's iterator (its iterable evaluated in the generator's scope). */
static sf_status gen_open(sf_interp *I, sf_iter *g, int k) {
  const sf_expr *c = g->gen->items[k];
  sf_val seq = {0};
  sf_status st = eval(I, c->rhs, &seq);
  if (st == SF_OK) st = sf_py_iter(I, c->rhs, &seq, &g->its[k]);
  sf_val_drop(&seq);
  if (st == SF_OK) g->depth = k + 1;
  return st;
}

static void gen_close(sf_iter *g) {
  for (int k = 0; k < g->depth; k++) sf_val_drop(&g->its[k]);
  g->depth = 0;
}

/* The next element: the innermost open clause advanced (closed when done, the one around it
 * advanced then), its conditions tested, the clauses inside it opened; an error ends it. */
static sf_status gen_next(sf_interp *I, const sf_expr *at, sf_iter *g, sf_val *out, bool *done) {
  const sf_expr *e = g->gen;
  if (g->running) return sf_py_raise(I, at, BC_VALUEERR, "generator already executing");
  if (g->scope.kind != V_OBJ) return *done = true, SF_OK; /* finished */
  sf_scope *saved = PY(I)->scope;
  PY(I)->scope = (sf_scope *)g->scope.o;
  g->running = true;
  sf_status st = SF_OK;
  while (st == SF_OK) {
    int d = g->depth;
    if (d == 0) {
      *done = true;
      break;
    }
    const sf_expr *c = e->items[d - 1];
    sf_val x = {0};
    bool end = false;
    if ((st = sf_py_next(I, c->rhs, &g->its[d - 1], &x, &end)) != SF_OK) break;
    if (end) {
      sf_val_drop(&g->its[--g->depth]);
      continue;
    }
    bool keep = true;
    st = comp_item(I, c, &x, &keep);
    if (st != SF_OK || !keep) continue;
    if (d == e->nitems) {
      st = eval(I, e->base, out);
      break;
    }
    st = gen_open(I, g, d);
  }
  g->running = false;
  PY(I)->scope = saved;
  if (st != SF_OK || *done) { /* it has ended: its iterators and its frame go */
    gen_close(g);
    sf_val_drop(&g->scope);
  }
  return st;
}

static sf_status gen_new(sf_interp *I, const sf_expr *e, sf_val *out) {
  sf_iter *g = sf_obj_alloc(O_ITER, sizeof *g);
  sf_scope *s = g ? scope_new(PY(I)->scope == PY(I)->globals ? NULL : PY(I)->scope) : NULL;
  if (s) g->scope = sf_obj_val(s);
  if (!g || !s || !(g->its = calloc((size_t)e->nitems, sizeof *g->its))) {
    if (g) sf_obj_free(&g->h);
    return sf_py_oom(I);
  }
  g->gen = e;
  *out = sf_obj_val(g);
  sf_scope *saved = PY(I)->scope;
  PY(I)->scope = s;
  sf_status st = gen_open(I, g, 0);
  PY(I)->scope = saved;
  if (st != SF_OK) sf_val_drop(out);
  return st;
}

sf_status sf_py_lazy_iter(sf_interp *I, int kind, sf_builtin_class cls, int nits, sf_val *out) {
  sf_iter *x = sf_obj_alloc(O_ITER, sizeof *x);
  if (!x || !(x->its = calloc((size_t)nits + 1, sizeof *x->its))) {
    if (x) sf_obj_free(&x->h);
    return sf_py_oom(I);
  }
  x->lazy = kind;
  x->cls = PY(I)->cls[cls];
  *out = sf_obj_val(x);
  return SF_OK;
}

/* The next item of a map, filter, zip or enumerate (bltinmodule.c map_next, filter_next,
 * zip_next, enum_next): an item from each source in order; the first source that ends
 * ends it (the items taken from the sources before it are dropped, as CPython's). */
static sf_status lazy_next(sf_interp *I, const sf_expr *at, sf_iter *x, sf_val *out, bool *done);

/* itertools.chain, islice, count and repeat (itertoolsmodule.c chain_next, islice_next,
 * count_next, repeat_next). */
static sf_status itertools_next(sf_interp *I, const sf_expr *at, sf_iter *x, sf_val *out, bool *done) {
  sf_status st = SF_OK;
  bool end = false;
  switch (x->lazy) {
    case SF_LAZY_CHAIN:
      for (;;) {
        if (x->depth == 0) { /* open the next iterable; an error there closes the chain */
          sf_val src = {0};
          if (x->fn.kind != V_NONE) {
            if ((st = sf_py_next(I, at, &x->fn, &src, &end)) != SF_OK || end) {
              sf_val_drop(&x->fn);
              return *done = end, st;
            }
          } else {
            if (!x->seq.o || x->pos >= SF_LIST(&x->seq)->n) return *done = true, SF_OK;
            src = SF_LIST(&x->seq)->items[x->pos++];
            sf_val_ref(&src);
          }
          st = sf_py_iter(I, at, &src, &x->its[0]);
          sf_val_drop(&src);
          if (st != SF_OK) {
            sf_val_drop(&x->fn);
            if (x->seq.o) x->pos = SF_LIST(&x->seq)->n;
            return st;
          }
          x->depth = 1;
        }
        if ((st = sf_py_next(I, at, &x->its[0], out, &end)) != SF_OK || !end) return st;
        sf_val_drop(&x->its[0]);
        x->depth = 0;
      }
    case SF_LAZY_ISLICE:
      if (x->depth == 0) return *done = true, SF_OK;
      for (; x->pos < x->next; x->pos++) {
        sf_val skip = {0};
        if ((st = sf_py_next(I, at, &x->its[0], &skip, &end)) != SF_OK || end) break;
        sf_val_drop(&skip);
      }
      if (st == SF_OK && !end && (x->stop < 0 || x->pos < x->stop)) st = sf_py_next(I, at, &x->its[0], out, &end);
      if (st != SF_OK || end || (x->stop >= 0 && x->pos >= x->stop)) { /* its source goes, an error's too */
        sf_val_drop(&x->its[0]);
        x->depth = 0;
        return *done = st == SF_OK, st;
      }
      x->pos++;
      x->next = x->step > INT64_MAX - x->next ? x->stop : x->next + x->step;
      if (x->stop >= 0 && x->next > x->stop) x->next = x->stop;
      return SF_OK;
    case SF_LAZY_COUNT: { /* fn is the value to give (its repr shows it); next: the one after it overflows */
      sf_val nx = {0};
      if (x->next) return sf_py_binop(I, at, '+', &x->fn, &x->seq, &nx); /* raises its OverflowError now */
      if (sf_py_binop(I, at, '+', &x->fn, &x->seq, &nx) != SF_OK) { /* given next time it is asked */
        clear_exception(I);
        x->next = 1;
        *out = x->fn;
        sf_val_ref(out);
        return SF_OK;
      }
      *out = x->fn;
      x->fn = nx;
      return SF_OK;
    }
    default: /* SF_LAZY_REPEAT */
      if (x->pos == 0) return *done = true, SF_OK;
      if (x->pos > 0) x->pos--;
      *out = x->fn;
      sf_val_ref(out);
      return SF_OK;
  }
}

static sf_status lazy_next(sf_interp *I, const sf_expr *at, sf_iter *x, sf_val *out, bool *done) {
  if (x->lazy >= SF_LAZY_CHAIN) return itertools_next(I, at, x, out, done);
  sf_status st = SF_OK;
  for (;;) {
    if (x->depth == 0) return *done = true, SF_OK;
    int n = x->depth;
    sf_val items[8] = {{0}};
    int got = 0;
    bool end = false;
    for (; got < n && st == SF_OK; got++) {
      if ((st = sf_py_next(I, at, &x->its[got], &items[got], &end)) != SF_OK || end) break;
    }
    if (st != SF_OK || end) { /* its sources stay: a later next asks them again, as CPython's */
      for (int k = 0; k < got; k++) sf_val_drop(&items[k]);
      *done = end;
      return st;
    }
    if (x->lazy == SF_LAZY_MAP) {
      sf_args ca = {.call = at, .pos = items, .npos = n};
      st = sf_py_call(I, &x->fn, &ca, out);
      for (int k = 0; k < n; k++) sf_val_drop(&items[k]);
      return st;
    }
    if (x->lazy == SF_LAZY_FILTER) {
      bool keep;
      if (x->fn.kind == V_NONE) keep = sf_truthy(I, &items[0]);
      else {
        sf_val t = {0};
        if ((st = sf_py_call1(I, &x->fn, &items[0], &t)) != SF_OK) return sf_val_drop(&items[0]), st;
        keep = sf_truthy(I, &t);
        sf_val_drop(&t);
      }
      if (keep) return *out = items[0], SF_OK;
      sf_val_drop(&items[0]);
      continue;
    }
    bool en = x->lazy == SF_LAZY_ENUMERATE;
    if (en && x->next) { /* it gave INT64_MAX already */
      sf_val_drop(&items[0]);
      return sf_py_int64_limit(I, at, "enumerate's count does not fit in 64 bits");
    }
    if (!sf_list_new(O_TUPLE, en ? 2 : n, out)) {
      for (int k = 0; k < n; k++) sf_val_drop(&items[k]);
      return sf_py_oom(I);
    }
    if (!en) {
      for (int k = 0; k < n; k++) SF_LIST(out)->items[k] = items[k];
      return SF_OK;
    }
    SF_LIST(out)->items[0] = sf_int(x->pos), SF_LIST(out)->items[1] = items[0];
    if (x->pos == INT64_MAX) x->next = 1;
    else x->pos++;
    return SF_OK;
  }
}

static int utf8_len(unsigned char c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

sf_status sf_py_next(sf_interp *I, const sf_expr *at, sf_val *it, sf_val *out, bool *done) {
  *done = false;
  sf_status tst = sf_py_tick(I, at);
  if (tst != SF_OK) return tst;
  if (!sf_is(it, O_ITER)) {
    sf_status st;
    if (!sf_py_call_method(I, at, it, "__next__", 0, NULL, out, &st))
      return sf_py_raise(I, at, BC_TYPEERR, "'%s' object is not an iterator", sf_type_name(it));
    if (st != SF_OK && sf_is(&PY(I)->exc, O_INST) && subclass(((sf_inst *)PY(I)->exc.o)->cls, PY(I)->cls[BC_STOPITER])) {
      clear_exception(I);
      *done = true;
      return SF_OK;
    }
    return st;
  }
  sf_iter *x = (sf_iter *)it->o;
  if (x->gen) return gen_next(I, at, x, out, done);
  if (x->lazy) { /* a StopIteration its function raised ends it, as FOR_ITER takes it */
    sf_status st = lazy_next(I, at, x, out, done);
    if (st != SF_OK && sf_is(&PY(I)->exc, O_INST) && subclass(((sf_inst *)PY(I)->exc.o)->cls, PY(I)->cls[BC_STOPITER])) {
      clear_exception(I);
      *done = true;
      return SF_OK;
    }
    return st;
  }
  sf_val *s = &x->seq;
  if (s->kind == V_TENSOR) { /* a NumPy array's row pos as it is now: NumPy's iterator reads the array */
    const sf_tensor *t = sf_b_host_value(I, s);
    if (!t || t->shape.rank == 0 || x->pos >= t->shape.dims[0]) return *done = true, SF_OK;
    sf_val k = sf_int(x->pos++);
    np_work w = np_begin(I);
    return np_end(I, w, sf_numpy_getitem(I, at, s, &k, out), out);
  }
  switch (s->o->t) {
    case O_LIST: case O_TUPLE:
      if (x->pos >= SF_LIST(s)->n) return *done = true, SF_OK;
      *out = SF_LIST(s)->items[x->pos++];
      sf_val_ref(out);
      return SF_OK;
    case O_STR: {
      sf_str *str = SF_STR(s);
      if ((size_t)x->pos >= str->len) return *done = true, SF_OK;
      int n = utf8_len((unsigned char)str->s[x->pos]);
      if (!sf_str_new(str->s + x->pos, (size_t)n, out)) return sf_py_oom(I);
      x->pos += n;
      return SF_OK;
    }
    case O_RANGE: {
      sf_range *r = (sf_range *)s->o;
      int64_t v = r->start + x->pos * r->step;
      if (r->step > 0 ? v >= r->stop : v <= r->stop) return *done = true, SF_OK;
      x->pos++;
      *out = sf_int(v);
      return SF_OK;
    }
    case O_DICT: case O_SET: case O_DICTVIEW: {
      int what = s->o->t == O_DICTVIEW ? SF_VIEW(s)->what : SF_VIEW_KEYS;
      sf_dict *d = s->o->t == O_DICTVIEW ? SF_DICT(&SF_VIEW(s)->dict) : SF_DICT(s);
      if (x->size == -2) return *done = true, SF_OK; /* ended by "keys changed" (di_dict = NULL) */
      if (d->n != x->size) { /* dictiter_iternextkey, setiter_iternext */
        x->size = -1;
        return sf_py_raise(I, at, BC_RUNTIME, s->o->t == O_SET ? "Set changed size during iteration"
                                                               : "dictionary changed size during iteration");
      }
      const sf_dentry *e;
      if (s->o->t == O_SET) { /* in its CPython table's slot order */
        if (!(e = sf_set_next(d, &x->pos))) return *done = true, SF_OK;
      } else {
        while (x->pos < d->ne && !d->e[x->pos].used) x->pos++;
        if (x->pos >= d->ne) return *done = true, SF_OK;
        if (x->left-- == 0) { /* more than it had: one went, another came (the iterator ends) */
          x->size = -2;
          return sf_py_raise(I, at, BC_RUNTIME, "dictionary keys changed during iteration");
        }
        e = &d->e[x->pos++];
      }
      if (what == SF_VIEW_ITEMS) { /* (key, value), a new tuple each time */
        if (!sf_list_new(O_TUPLE, 2, out)) return sf_py_oom(I);
        SF_LIST(out)->items[0] = e->key, sf_val_ref(&e->key);
        SF_LIST(out)->items[1] = e->value, sf_val_ref(&e->value);
        return SF_OK;
      }
      *out = what == SF_VIEW_KEYS ? e->key : e->value;
      sf_val_ref(out);
      return SF_OK;
    }
    default: return *done = true, SF_OK;
  }
}

sf_status sf_py_to_list(sf_interp *I, const sf_expr *at, const sf_val *v, sf_otype t, sf_val *out) {
  if (!sf_list_new(t, 0, out)) return sf_py_oom(I);
  if (sf_is(v, O_LIST) || sf_is(v, O_TUPLE)) {
    for (int64_t i = 0; i < SF_LIST(v)->n; i++)
      if (!sf_list_append(SF_LIST(out), &SF_LIST(v)->items[i])) return sf_val_drop(out), sf_py_oom(I);
    return SF_OK;
  }
  if (v->kind == V_LIST || v->kind == V_TUPLE) {
    sf_val o = {0};
    sf_status st = sf_py_from_api(I, v, &o);
    if (st == SF_OK) {
      sf_val_drop(out);
      st = sf_py_to_list(I, at, &o, t, out);
      sf_val_drop(&o);
    }
    return st;
  }
  sf_val it = {0}, x = {0};
  sf_status st = sf_py_iter(I, at, v, &it);
  bool done = false;
  while (st == SF_OK) {
    if ((st = sf_py_next(I, at, &it, &x, &done)) != SF_OK || done) break;
    if (!sf_list_append(SF_LIST(out), &x)) st = sf_py_oom(I);
    sf_val_drop(&x);
  }
  if (st == SF_OK || it.kind == V_OBJ) sf_val_drop(&it);
  if (st != SF_OK) sf_val_drop(out);
  return st;
}

/* ---- names ---- */

static const char *const module_roots[] = {"tf", "tensorflow", "np", "numpy", "keras", NULL};

static sf_status eval_name(sf_interp *I, const sf_expr *e, sf_val *out) {
  uint32_t h = name_hash(e->name);
  sf_val *v = NULL;
  for (sf_scope *s = PY(I)->scope; s && !v; s = s->parent) v = scope_get(s, e->name, h);
  if (!v) v = scope_get(PY(I)->globals, e->name, h);
  if (!v) v = sf_dict_get_str(PY(I)->builtins, e->name);
  if (v) {
    *out = *v;
    sf_val_ref(out);
    return SF_OK;
  }
  for (int i = 0; I->opt.implicit_imports && module_roots[i]; i++)
    if (strcmp(e->name, module_roots[i]) == 0) {
      const char *root = e->name[0] == 't' ? "tf" : e->name[0] == 'n' ? "np" : "keras";
      *out = (sf_val){.kind = V_MODULE, .s = root};
      return SF_OK;
    }
  /* CPython's built-ins seedflow lacks: a NameError would say CPython has no such name */
  static const char *const lacking[] = {"aiter", "anext", "bytearray", "bytes", "complex", "copyright",
                                        "credits", "delattr", "dir", "frozenset", "license", "slice",
                                        "super", "NotImplemented", "ExceptionGroup", "BaseExceptionGroup", "UnicodeError",
                                        "UnicodeDecodeError", "UnicodeEncodeError", "UnicodeTranslateError",
                                        "__build_class__", "__debug__"};
  for (size_t i = 0; i < sizeof lacking / sizeof lacking[0]; i++)
    if (strcmp(e->name, lacking[i]) == 0)
      return sf_error_at(I->err, e->line, e->col, SF_ENAME, "unsupported: the built-in '%s'", e->name);
  return sf_py_raise(I, e, BC_NAMEERR, "name '%s' is not defined", e->name);
}

/* The versions a profile models (__version__, tf.version.VERSION): NumPy 1.24, TF 1.15.5
 * (whose tf.keras is Keras 2.2.4-tf), TF 2.9.3 with Keras 2.9.0, TF 2.10-2.15 with the Keras
 * of the same minor version, TF 2.16.1 with Keras 3. */
static const char *api_version(sf_interp *I, const char *base, char kv[16]) {
  if (strcmp(base, "np") == 0) return "1.24.4";
  bool keras = strcmp(base, "keras") == 0 || strcmp(base, "tf.keras") == 0;
  if (I->opt.profile == SF_PROFILE_TF1) return keras ? "2.2.4-tf" : "1.15.5";
  int k = sf_keras_version(I);
  if (keras) return snprintf(kv, 16, "%d.%d.%d", k / 10000, k / 100 % 100, k % 100), kv;
  if (I->opt.profile == SF_PROFILE_KERAS3) return "2.16.1";
  if (I->opt.profile == SF_PROFILE_TF210) return snprintf(kv, 16, "2.%d.0", k / 100 % 100), kv;
  if (I->opt.keras_version) return snprintf(kv, 16, "2.%d.0", k / 100 % 100), kv; /* --keras 2.6-2.9: TF of that version */
  return "2.9.3";
}

/* The one copy of an API path the run keeps (in its arena, with the table's entry): a loop
 * reading tf.square copied "tf.square" on every read. NULL when out of memory. */
typedef struct sf_api_path {
  UT_hash_handle hh;
  char s[];
} sf_api_path;

static const char *intern_path(sf_interp *I, const char *path) {
  sf_api_path *p;
  size_t n = strlen(path);
  HASH_FIND(hh, PY(I)->paths, path, n, p);
  if (p) return p->s;
  if (!(p = sf_arena_alloc(&I->arena, sizeof *p + n + 1))) return NULL;
  memcpy(p->s, path, n + 1);
  HASH_ADD_KEYPTR(hh, PY(I)->paths, p->s, n, p);
  return SF_HASH_ADDED(p) ? p->s : NULL;
}

/* An API path (tf.x.y): a dtype, an API function or a deeper module path. */
static sf_status api_path(sf_interp *I, const char *base, const char *name, sf_val *out) {
  bool tf_version = strcmp(name, "VERSION") == 0 && (strcmp(base, "tf.version") == 0 || strcmp(base, "tf.compat.v1.version") == 0);
  if (strcmp(name, "__version__") == 0 || tf_version) { /* the version whose rules the profile follows */
    char kv[16];
    return sf_str_cstr(api_version(I, tf_version ? "tf" : base, kv), out) ? SF_OK : sf_py_oom(I);
  }
  char path[256];
  snprintf(path, sizeof path, "%s.%s", base, name);
  if (strncmp(path, "keras.", 6) == 0) snprintf(path, sizeof path, "tf.%s.%s", base, name);
  sf_dtype dt;
  if (sf_api_dtype(path, &dt)) /* np.float32 is also numpy.float32, the scalar type */
    return *out = (sf_val){.kind = V_DTYPE, .dtype = dt, .numpy = strncmp(path, "np.", 3) == 0}, SF_OK;
  sf_status cst;
  if (sf_tf1_constant(I, path, out, &cst)) return cst;
  if (sf_numpy_constant(path, &out->f)) return *out = sf_float(out->f), SF_OK;
  if (strcmp(path, "np.bool_") == 0) return *out = (sf_val){.kind = V_DTYPE, .dtype = SF_BOOL, .numpy = true}, SF_OK;
  if (strcmp(path, "np.newaxis") == 0 || strcmp(path, "tf.newaxis") == 0) return *out = sf_none(), SF_OK; /* NumPy's and TF's newaxis are None */
  if (strcmp(path, "np.True_") == 0 || strcmp(path, "np.False_") == 0) /* numpy.bool_ scalars */
    return *out = (sf_val){.kind = V_BOOL, .b = path[3] == 'T', .numpy = true, .dtype = SF_BOOL}, SF_OK;
  sf_builtin_fn fn = sf_api_lookup(path);
  if (!fn) fn = sf_keras_lookup(path);
  const char *s = intern_path(I, path);
  if (!s) return sf_py_oom(I);
  *out = fn ? (sf_val){.kind = V_BUILTIN, .fn = fn, .s = s} : (sf_val){.kind = V_MODULE, .s = s};
  return SF_OK;
}

/* A tf.DType's properties (tensorflow/python/framework/dtypes.py): name, the is_ tests, size in bytes, as_numpy_dtype
 * (NumPy's scalar type), base_dtype (without the reference: float32_ref -> float32) and real_dtype (itself: no
 * complex types). */
static bool dtype_attr(sf_interp *I, const sf_val *v, const char *name, sf_val *out, sf_status *st) {
  sf_dtype dt = v->dtype;
  *st = SF_OK;
  if (!strcmp(name, "name")) {
    char buf[32];
    snprintf(buf, sizeof buf, "%s%s", sf_dtype_name(dt), v->b ? "_ref" : "");
    return *st = sf_str_cstr(buf, out) ? SF_OK : sf_py_oom(I), true;
  }
  if (!strcmp(name, "_is_ref_dtype")) return *out = sf_bool(v->b), true;
  if (!strcmp(name, "is_floating")) return *out = sf_bool(sf_dtype_is_float(dt)), true;
  if (!strcmp(name, "is_integer")) return *out = sf_bool(sf_dtype_is_int(dt)), true;
  if (!strcmp(name, "is_bool")) return *out = sf_bool(dt == SF_BOOL), true;
  if (!strcmp(name, "is_unsigned")) return *out = sf_bool(dt == SF_UINT8 || dt == SF_BOOL), true;
  if (!strcmp(name, "is_complex")) return *out = sf_bool(false), true;
  if (!strcmp(name, "size")) return *out = sf_int((int64_t)sf_dtype_size(dt)), true;
  if (!strcmp(name, "as_numpy_dtype")) return *out = (sf_val){.kind = V_DTYPE, .dtype = dt, .numpy = true}, true;
  if (!strcmp(name, "base_dtype")) return *out = *v, out->b = false, true;
  if (!strcmp(name, "real_dtype")) return *out = *v, true;
  return false;
}

/* A NumPy dtype's name, itemsize, kind ('f', 'i', 'u', 'b') and type (the scalar type). */
static bool np_dtype_attr(sf_interp *I, const sf_val *v, const char *name, sf_val *out, sf_status *st) {
  sf_dtype dt = v->dtype;
  *st = SF_OK;
  if (!strcmp(name, "name"))
    return *st = sf_str_cstr(sf_dtype_name(dt), out) ? SF_OK : sf_py_oom(I), true;
  if (!strcmp(name, "itemsize")) return *out = sf_int((int64_t)sf_dtype_size(dt)), true;
  if (!strcmp(name, "kind")) {
    const char *k = sf_dtype_is_float(dt) ? "f" : dt == SF_BOOL ? "b" : dt == SF_UINT8 ? "u" : "i";
    return *st = sf_str_cstr(k, out) ? SF_OK : sf_py_oom(I), true;
  }
  if (!strcmp(name, "type")) return *out = (sf_val){.kind = V_DTYPE, .dtype = dt, .numpy = true}, true;
  return false;
}

/* Tensor.get_shape(): Tensor.shape (python/framework/ops.py). */
static sf_status tensor_get_shape(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out) {
  if (a->npos || a->nkw) return sf_arg_error(I, a, SF_ETYPE, "get_shape() takes no arguments");
  sf_status st;
  sf_api_tensor_attr(I, self, "shape", out, &st);
  return st;
}

/* base.name (base's reference is taken over), located at e. A method of an API object (a
 * tensor's, a layer's, ...) is a V_METHOD holding a copy of base: in *method_self when
 * given (a call's, for as long as the call), else in the run's arena (a method read and
 * kept). */
static sf_status attr_of(sf_interp *I, const sf_expr *e, sf_val base, const char *name, sf_val *out,
                         sf_val *method_self) {
  sf_status st = SF_OK;
  if (base.kind == V_MODULE) return api_path(I, base.s, name, out);
  if ((base.kind == V_INT || base.kind == V_NONE) && base.s == sf_dimension_tag && strcmp(name, "value") == 0)
    return *out = base, out->s = NULL, SF_OK; /* TF 1.x Dimension.value: the int, or None */
  /* a NumPy array's attributes are new values and its methods' calls keep it as long as
   * they run (eval_call): it is pinned only when a method is read and kept */
  bool np_method = base.kind == V_TENSOR && base.numpy && method_self;
  if (base.kind == V_TENSOR && !base.numpy) pin_value(I, &base, 0); /* its attributes and methods are the API's */
  bool found = false;
  if (base.kind == V_TENSOR && base.numpy) {
    sf_val r = {0};
    np_work w = np_begin(I);
    st = sf_numpy_attr(I, e, &base, name, &r, &found);
    if (st == SF_OK && found) st = sf_py_from_api(I, &r, out);
    st = np_end(I, w, st, found ? out : NULL);
    if (st != SF_OK || found) return sf_val_drop(&base), st;
    if (!np_method) pin_value(I, &base, 0);
  }
  if (base.kind == V_TENSOR && sf_api_tensor_attr(I, &base, name, out, &st)) {
    if (np_method) pin_value(I, &base, 0);
    return locate(I, e, st);
  }
  if (base.kind == V_TENSOR && !base.numpy && strcmp(name, "get_shape") == 0)
    return sf_py_bind_native(I, "get_shape", tensor_get_shape, &base, out, &st), st;
  if (base.kind == V_GENERATOR && strcmp(name, "state") == 0) return sf_generator_state(I, e, &base, out);
  if (base.kind == V_DTYPE && !base.numpy && dtype_attr(I, &base, name, out, &st)) return st;
  if (base.kind == V_DTYPE && base.s == sf_np_dtype_tag && np_dtype_attr(I, &base, name, out, &st)) return st;
  if (sf_np_is_scalar(&base) && strcmp(name, "dtype") == 0) /* a NumPy scalar's dtype */
    return *out = (sf_val){.kind = V_DTYPE, .dtype = base.dtype, .numpy = true, .s = sf_np_dtype_tag}, SF_OK;
  if ((base.kind == V_LAYER || base.kind == V_MODEL) && sf_keras_attr(I, e, &base, name, out, &st)) return locate(I, e, st);
  if (sf_is(&base, O_INST) && sf_keras_inst_attr(I, e, &base, name, out, &st)) {
    sf_eager_keep_all(&I->E); /* Keras reads the instance */
    return sf_val_drop(&base), st;
  }
  if (base.kind == V_GENERATOR || base.kind == V_TENSOR || base.kind == V_LAYER || base.kind == V_MODEL ||
      (base.kind == V_OPTIMIZER && (strcmp(name, "apply_gradients") == 0 || strcmp(name, "minimize") == 0 ||
                                   strcmp(name, "compute_gradients") == 0))) {
    sf_val *self = method_self ? method_self : sf_arena_alloc(&I->arena, sizeof *self);
    if (!self) return sf_py_oom(I);
    *self = base;
    *out = (sf_val){.kind = V_METHOD, .items = self, .n = 1, .s = name};
    return SF_OK;
  }
  if (sf_py_getattr(I, &base, name, out, &st)) {
    sf_val_drop(&base);
    return locate(I, e, st);
  }
  if (st == SF_OK) st = sf_py_attr_error(I, e, &base, name);
  sf_val_drop(&base);
  return st;
}

static sf_status eval_attr(sf_interp *I, const sf_expr *e, sf_val *out, sf_val *method_self) {
  sf_val base = {0};
  int made = I->E.g->n, fresh = I->np_fresh;
  int64_t stores = I->store_calls;
  sf_status st = eval(I, e->base, &base);
  if (st != SF_OK) return st;
  I->np_fresh = fresh_since(I, made, stores);
  st = attr_of(I, e, base, e->name, out, method_self);
  I->np_fresh = fresh;
  return st;
}

sf_status sf_py_lookup_attr(sf_interp *I, const sf_expr *at, const sf_val *v, const char *name, sf_val *out, bool *found) {
  sf_val base = *v;
  sf_val_ref(&base);
  sf_status st = attr_of(I, at, base, name, out, NULL);
  *found = st == SF_OK;
  if (st == SF_OK && out->kind == V_METHOD && !(out->s = sf_arena_strdup(&I->arena, name))) /* name may be a str's */
    return sf_py_oom(I);
  if (st != SF_OK && PY(I)->exc.kind == V_OBJ && subclass(((sf_inst *)PY(I)->exc.o)->cls, PY(I)->cls[BC_ATTRERR])) {
    clear_exception(I); /* Python's AttributeError: the name is not there */
    return SF_OK;
  }
  return st;
}

sf_status sf_py_attr_error(sf_interp *I, const sf_expr *at, const sf_val *v, const char *name) {
  if (v->kind == V_METHOD) return sf_py_api_attr_error(I, at, v); /* a property's value, or a method? */
  if (sf_is(v, O_MODULE)) {
    const sf_module *m = (const sf_module *)v->o;
    if (m->api_class) /* NumPy's RandomState, Generator: objects, not modules */
      return sf_py_raise(I, at, BC_ATTRERR, "'%s.%s' object has no attribute '%s'", PY(I)->cls[m->api_class]->module,
                         PY(I)->cls[m->api_class]->name, name);
    if (strcmp(m->name, "random.Random") == 0 || strcmp(m->name, "logging.Logger") == 0) /* objects too */
      return sf_py_raise(I, at, BC_ATTRERR, "'%s' object has no attribute '%s'", strchr(m->name, '.') + 1, name);
    return sf_py_raise(I, at, BC_ATTRERR, "module '%s' has no attribute '%s'",
                       strcmp(m->name, "os.path") == 0 ? "posixpath" : m->name, name);
  }
  /* a built-in type's name that seedflow lacks (realnames.c): CPython has it */
  const char *owner = sf_is(v, O_CLASS) ? (((sf_class *)v->o)->builtin ? ((sf_class *)v->o)->name : NULL)
                      : sf_is(v, O_INST)  ? NULL
                                          : sf_type_name(v);
  if (owner && sf_py_real_name(owner, name) == 1) /* dunders too: (1.5).__format__, 'a'.__len__ */
    return sf_error_at(I->err, at ? at->line : I->line, at ? at->col : 1, SF_ENAME, "unsupported: %s.%s", owner, name);
  if (sf_is(v, O_CLASS))
    return sf_py_raise(I, at, BC_ATTRERR, "type object '%s' has no attribute '%s'", ((sf_class *)v->o)->name, name);
  return sf_py_raise(I, at, BC_ATTRERR, "'%s' object has no attribute '%s'", sf_type_name(v), name);
}

/* ---- subscripts ---- */

/* Python's slice.indices(len): start, stop, step and the resulting count. */
static sf_status slice_indices(sf_interp *I, const sf_expr *at, sf_slice *s, int64_t len, int64_t *start, int64_t *stop,
                               int64_t *step, int64_t *count) {
  *step = 1;
  if (s->step.kind != V_NONE) {
    if (s->step.kind != V_INT && s->step.kind != V_BOOL) return sf_py_raise(I, at, BC_TYPEERR, "slice indices must be integers or None");
    *step = s->step.kind == V_INT ? s->step.i : s->step.b;
    if (*step == 0) return sf_py_raise(I, at, BC_VALUEERR, "slice step cannot be zero");
  }
  int64_t lo_d = *step < 0 ? len - 1 : 0, hi_d = *step < 0 ? -1 : len;
  const sf_val *b[2] = {&s->lo, &s->hi};
  int64_t *o[2] = {start, stop};
  int64_t d[2] = {lo_d, hi_d};
  for (int k = 0; k < 2; k++) {
    if (b[k]->kind == V_NONE) {
      *o[k] = d[k];
      continue;
    }
    if (b[k]->kind != V_INT && b[k]->kind != V_BOOL) return sf_py_raise(I, at, BC_TYPEERR, "slice indices must be integers or None");
    int64_t x = b[k]->kind == V_INT ? b[k]->i : b[k]->b;
    if (x < 0) {
      x += len;
      if (x < 0) x = *step < 0 ? -1 : 0;
    } else if (x >= len) {
      x = *step < 0 ? len - 1 : len;
    }
    *o[k] = x;
  }
  /* (n - 1) / |step| + 1 of the n positions between: a step near 2^63 neither overflows */
  uint64_t mag = *step > 0 ? (uint64_t)*step : (uint64_t)0 - (uint64_t)*step;
  int64_t n = *step > 0 ? *stop - *start : *start - *stop;
  *count = n > 0 ? (int64_t)((uint64_t)(n - 1) / mag) + 1 : 0;
  return SF_OK;
}

sf_status sf_py_slice_indices(sf_interp *I, const sf_expr *at, sf_slice *s, int64_t len, int64_t *start, int64_t *step,
                              int64_t *count) {
  int64_t stop;
  return slice_indices(I, at, s, len, start, &stop, step, count);
}

static sf_status index_of(sf_interp *I, const sf_expr *at, const sf_val *k, int64_t len, const char *what, int64_t *i) {
  if (k->kind != V_INT && k->kind != V_BOOL)
    return sf_py_raise(I, at, BC_TYPEERR, "%s indices must be integers or slices, not %s", what, sf_type_name(k));
  int64_t x = k->kind == V_INT ? k->i : k->b;
  if (x < 0) x += len;
  if (x < 0 || x >= len) return sf_py_raise(I, at, BC_INDEXERR, "%s index out of range", what);
  *i = x;
  return SF_OK;
}

/* The operand that is an API path or lazy method (sf_py_api_attr_error's), or NULL. */
static const sf_val *unshowable(const sf_val *a, const sf_val *b) {
  return a->kind == V_MODULE || a->kind == V_METHOD ? a : b->kind == V_MODULE || b->kind == V_METHOD ? b : NULL;
}

sf_status sf_py_api_attr_error(sf_interp *I, const sf_expr *at, const sf_val *v) {
  int line = at ? at->line : I->line, col = at ? at->col : 1;
  if (v->kind == V_MODULE) /* a path seedflow knows no function or constant at: it cannot tell a module from a typo */
    return sf_error_at(I->err, line, col, SF_ENAME,
                       "unsupported: '%s' as a value (seedflow's API provides functions, classes and constants, "
                       "not modules)", v->s);
  return sf_error_at(I->err, line, col, SF_ENAME,
                     "unsupported: '.%s' of %s %s as a value (seedflow's API provides it only as a call)", v->s,
                     strchr("AEIOU", sf_type_name(v->items)[0]) ? "an" : "a", sf_type_name(v->items));
}

/* The byte offset of each character of a non-ASCII str (UTF-8), and its end: off[0..n];
 * NULL for ASCII text, whose characters are its bytes (*n its length either way). */
static int64_t *str_offsets(const sf_str *s, int64_t *n, bool *oom) {
  *oom = false;
  size_t i = 0;
  while (i < s->len && !((unsigned char)s->s[i] & 0x80)) i++;
  *n = (int64_t)s->len;
  if (i == s->len) return NULL;
  int64_t *off = malloc((s->len + 1) * sizeof *off), c = 0;
  if (!off) return *oom = true, NULL;
  for (size_t b = 0; b < s->len; b++)
    if (((unsigned char)s->s[b] & 0xc0) != 0x80) off[c++] = (int64_t)b;
  off[c] = (int64_t)s->len;
  *n = c;
  return off;
}

sf_status sf_py_getitem(sf_interp *I, const sf_expr *at, const sf_val *v, const sf_val *k, sf_val *out) {
  if (sf_is(v, O_DICT)) {
    sf_val *x = sf_dict_get(SF_DICT(v), k);
    if (x) return *out = *x, sf_val_ref(out), SF_OK;
    uint64_t h;
    if (!sf_hash(k, &h)) return sf_py_unhashable(I, at, k);
    sf_status st = sf_py_raise_key(I, at, k);
    return st;
  }
  bool seq = sf_is(v, O_LIST) || sf_is(v, O_TUPLE);
  if (seq || sf_is(v, O_STR) || sf_is(v, O_RANGE)) {
    const char *what = sf_is(v, O_LIST) ? "list" : sf_is(v, O_TUPLE) ? "tuple" : sf_is(v, O_STR) ? "string" : "range object";
    int64_t len = seq ? SF_LIST(v)->n : sf_is(v, O_STR) ? (int64_t)SF_STR(v)->len : 0, *off = NULL;
    bool oom = false;
    if (sf_is(v, O_STR) && (off = str_offsets(SF_STR(v), &len, &oom), oom)) return sf_py_oom(I);
    sf_range *r = sf_is(v, O_RANGE) ? (sf_range *)v->o : NULL;
    if (r) len = r->step > 0 ? (r->stop > r->start ? (r->stop - r->start + r->step - 1) / r->step : 0)
                             : (r->start > r->stop ? (r->start - r->stop - r->step - 1) / -r->step : 0);
    if (sf_is(k, O_SLICE)) {
      int64_t start, stop, step, n;
      sf_status st = slice_indices(I, at, (sf_slice *)k->o, len, &start, &stop, &step, &n);
      if (st != SF_OK) return free(off), st;
      if (sf_is(v, O_STR)) { /* characters start + i * step, each its bytes */
        const char *src = SF_STR(v)->s;
        size_t bytes = 0;
        for (int64_t i = 0; i < n; i++) bytes += off ? (size_t)(off[start + i * step + 1] - off[start + i * step]) : 1;
        char *buf = malloc(bytes + 1);
        if (!buf) return free(off), sf_py_oom(I);
        size_t at_byte = 0;
        for (int64_t i = 0; i < n; i++) {
          int64_t c = start + i * step, b = off ? off[c] : c, e = off ? off[c + 1] : c + 1;
          memcpy(buf + at_byte, src + b, (size_t)(e - b));
          at_byte += (size_t)(e - b);
        }
        bool ok = sf_str_new(buf, bytes, out);
        free(buf);
        free(off);
        return ok ? SF_OK : sf_py_oom(I);
      }
      if (r) {
        sf_range *nr = sf_obj_alloc(O_RANGE, sizeof *nr);
        if (!nr) return sf_py_oom(I);
        nr->start = r->start + start * r->step;
        nr->step = r->step * step;
        nr->stop = nr->start + n * nr->step;
        *out = sf_obj_val(nr);
        return SF_OK;
      }
      if (!sf_list_new(v->o->t, n, out)) return sf_py_oom(I);
      for (int64_t i = 0; i < n; i++) {
        SF_LIST(out)->items[i] = SF_LIST(v)->items[start + i * step];
        sf_val_ref(&SF_LIST(out)->items[i]);
      }
      SF_LIST(out)->tshape = SF_LIST(v)->tshape; /* TensorShape.__getitem__ of a slice is one */
      return SF_OK;
    }
    int64_t i;
    sf_status st = index_of(I, at, k, len, what, &i);
    if (st != SF_OK) return free(off), st;
    if (r) return *out = sf_int(r->start + i * r->step), SF_OK;
    if (sf_is(v, O_STR)) {
      bool ok = off ? sf_str_new(SF_STR(v)->s + off[i], (size_t)(off[i + 1] - off[i]), out) : sf_str_new(SF_STR(v)->s + i, 1, out);
      free(off);
      return ok ? SF_OK : sf_py_oom(I);
    }
    *out = SF_LIST(v)->items[i];
    sf_val_ref(out);
    if (SF_LIST(v)->tshape && I->opt.profile == SF_PROFILE_TF1) out->s = sf_dimension_tag; /* TF 1.x: a Dimension */
    return SF_OK;
  }
  sf_status st;
  if (sf_tape_is_variable(v)) { /* variables.py _SliceHelperVar: a slice of var.value() */
    sf_val r = {0};
    if ((st = sf_tape_read(I, v, &r)) != SF_OK) return locate(I, at, st);
    st = sf_py_getitem(I, at, &r, k, out);
    sf_val_drop(&r);
    return st;
  }
  if (sf_is(v, O_INST) && sf_py_call_method(I, at, v, "__getitem__", 1, k, out, &st)) return st;
  if (v->kind == V_METHOD || v->kind == V_MODULE) return sf_py_api_attr_error(I, at, v);
  if (v->kind == V_TENSOR && v->numpy) { /* a new array or scalar, which keeps neither: counted */
    np_work w = np_begin(I);
    return np_end(I, w, sf_numpy_getitem(I, at, v, k, out), out);
  }
  if (v->kind == V_TENSOR) { /* a StridedSlice made now, which keeps neither: counted as an operator's result */
    int first = I->E.g->n;
    int64_t calls = I->py_calls;
    st = sf_tensor_getitem(I, at, v, k, out);
    if (st == SF_OK) count_result(I, out, first, calls);
    return st;
  }
  if (v->kind == V_TENSOR || v->kind == V_LIST || v->kind == V_TUPLE)
    return sf_error_at(I->err, at ? at->line : I->line, at ? at->col : 1, SF_ENAME, "unsupported: subscript of a %s",
                       v->kind == V_TENSOR ? (v->numpy ? "NumPy array" : "tensor") : "value");
  return sf_py_raise(I, at, BC_TYPEERR, "'%s' object is not subscriptable", sf_type_name(v));
}

static sf_status eval_slice(sf_interp *I, const sf_expr *e, sf_val *out) {
  sf_slice *s = sf_obj_alloc(O_SLICE, sizeof *s);
  if (!s) return sf_py_oom(I);
  *out = sf_obj_val(s);
  sf_val *parts[3] = {&s->lo, &s->hi, &s->step};
  for (int k = 0; k < 3; k++) {
    *parts[k] = sf_none();
    if (e->items[k]) {
      sf_status st = eval(I, e->items[k], parts[k]);
      if (st != SF_OK) return sf_val_drop(out), st;
    }
  }
  return SF_OK;
}

/* The type name CPython's errors print (tp_name): EagerTensor's is its module's dotted name
 * (pywrap_tensor.cc, PyType_FromSpecWithBases), a graph tensor's is its class's. */
static const char *tp_name(sf_interp *I, const sf_val *v) {
  sf_class *c = v->kind == V_TENSOR && !v->numpy ? sf_py_type(I, v) : NULL;
  return !c ? sf_type_name(v) : c == PY(I)->cls[BC_TF_EAGER] ? "tensorflow.python.framework.ops.EagerTensor" : c->name;
}

/* v[k] = x; temp: x's node when x is a NumPy temporary of the statement (sf_numpy_setitem). */
static sf_status setitem(sf_interp *I, const sf_expr *at, const sf_val *v, const sf_val *k, const sf_val *x, int temp) {
  if (sf_is(v, O_DICT)) {
    uint64_t h;
    if (!sf_hash(k, &h)) return sf_py_unhashable(I, at, k);
    return sf_dict_set(SF_DICT(v), k, x) ? SF_OK : sf_py_oom(I);
  }
  if (sf_is(v, O_LIST)) {
    sf_list *l = SF_LIST(v);
    if (sf_is(k, O_SLICE)) {
      int64_t start, stop, step, n;
      sf_status st = slice_indices(I, at, (sf_slice *)k->o, l->n, &start, &stop, &step, &n);
      if (st != SF_OK) return st;
      sf_val src = {0};
      if ((st = sf_py_to_list(I, at, x, O_LIST, &src)) != SF_OK) return st;
      sf_list *s = SF_LIST(&src);
      if (step != 1) {
        if (s->n != n) {
          int64_t size = s->n; /* src's list is gone once dropped */
          sf_val_drop(&src);
          return sf_py_raise(I, at, BC_VALUEERR, "attempt to assign sequence of size %" PRId64 " to extended slice of size %" PRId64, size, n);
        }
        for (int64_t i = 0; i < n; i++) {
          sf_val_ref(&s->items[i]);
          sf_val_drop(&l->items[start + i * step]);
          l->items[start + i * step] = s->items[i];
        }
        sf_val_drop(&src);
        return SF_OK;
      }
      if (stop < start) stop = start;
      int64_t newn = l->n - (stop - start) + s->n;
      sf_val *ni = malloc((size_t)(newn > 0 ? newn : 1) * sizeof *ni);
      if (!ni) return sf_val_drop(&src), sf_py_oom(I);
      memcpy(ni, l->items, (size_t)start * sizeof *ni);
      for (int64_t i = 0; i < s->n; i++) {
        ni[start + i] = s->items[i];
        sf_val_ref(&s->items[i]);
      }
      for (int64_t i = start; i < stop; i++) sf_val_drop(&l->items[i]);
      memcpy(ni + start + s->n, l->items + stop, (size_t)(l->n - stop) * sizeof *ni);
      free(l->items);
      l->items = ni;
      l->n = newn;
      l->cap = newn > 0 ? newn : 1;
      sf_val_drop(&src);
      return SF_OK;
    }
    int64_t i;
    sf_status st = index_of(I, at, k, l->n, "list assignment", &i);
    if (st != SF_OK) return st;
    sf_val_ref(x);
    sf_val_drop(&l->items[i]);
    l->items[i] = *x;
    return SF_OK;
  }
  sf_val args[2] = {*k, *x}, r;
  sf_status st;
  if (sf_is(v, O_INST) && sf_py_call_method(I, at, v, "__setitem__", 2, args, &r, &st)) {
    if (st == SF_OK) sf_val_drop(&r);
    return st;
  }
  if (v->kind == V_TENSOR && v->numpy && v->g == I->E.g) return sf_numpy_setitem(I, at, v, k, x, temp);
  if (v->kind == V_TENSOR && v->numpy) /* (every array is the eager graph's: not reached) */
    return sf_error_at(I->err, at ? at->line : I->line, at ? at->col : 1, SF_ENAME,
                       "unsupported: assigning to items of a NumPy array outside the eager graph");
  return sf_py_raise(I, at, BC_TYPEERR, "'%s' object does not support item assignment", tp_name(I, v));
}

/* ---- assignment ---- */

static sf_status setattr(sf_interp *I, const sf_expr *at, const sf_val *v, const char *name, const sf_val *x) {
  if (sf_is(v, O_INST) && (strcmp(name, "__dict__") == 0 || strcmp(name, "__class__") == 0))
    return sf_error_at(I->err, at ? at->line : I->line, at ? at->col : 1, SF_ENAME,
                       "unsupported: assigning an object's '%s' (it would replace its attributes or its class)", name);
  if (sf_is(v, O_INST)) {
    sf_val *p = class_lookup(((sf_inst *)v->o)->cls, name, NULL);
    if (p && descriptor_kind(I, p) == BC_PROPERTY) { /* prop.setter's function */
      sf_val *fset = descriptor_field(p, "fset"), r;
      if (!fset || fset->kind == V_NONE) return sf_py_raise(I, at, BC_ATTRERR, "can't set attribute '%s'", name);
      sf_val args[2] = {*v, *x};
      sf_args a = {.call = at, .pos = args, .npos = 2};
      sf_status st = sf_py_call(I, fset, &a, &r);
      if (st == SF_OK) sf_val_drop(&r);
      return st;
    }
    return sf_dict_set_str(((sf_inst *)v->o)->attrs, name, x) ? SF_OK : sf_py_oom(I);
  }
  if (sf_is(v, O_CLASS)) return sf_dict_set_str(((sf_class *)v->o)->attrs, name, x) ? SF_OK : sf_py_oom(I);
  if (sf_is(v, O_MODULE)) return sf_dict_set_str(((sf_module *)v->o)->attrs, name, x) ? SF_OK : sf_py_oom(I);
  if (sf_is(v, O_FUNC)) {
    sf_func *f = (sf_func *)v->o;
    if (!f->attrs && !(f->attrs = sf_dict_alloc(O_DICT))) return sf_py_oom(I);
    return sf_dict_set_str(f->attrs, name, x) ? SF_OK : sf_py_oom(I);
  }
  if (v->kind == V_MODULE)
    return sf_error_at(I->err, at->line, at->col, SF_ENAME, "unsupported: assignment to '%s.%s'", v->s, name);
  return sf_py_raise(I, at, BC_ATTRERR, "'%s' object attribute '%s' is read-only", sf_type_name(v), name);
}

static sf_status unpack(sf_interp *I, const sf_expr *target, const sf_val *v) {
  sf_val l = {0};
  sf_status st = sf_py_to_list(I, target, v, O_LIST, &l);
  if (st != SF_OK) return st;
  sf_list *src = SF_LIST(&l);
  int star = -1;
  for (int k = 0; k < target->nitems; k++)
    if (target->items[k]->kind == SF_EX_STARRED) star = k;
  int64_t nt = target->nitems;
  if (star < 0 && src->n != nt)
    st = sf_py_raise(I, target, BC_VALUEERR, src->n > nt ? "too many values to unpack (expected %" PRId64 ")"
                                                         : "not enough values to unpack (expected %" PRId64 ", got %" PRId64 ")",
                     nt, src->n);
  else if (star >= 0 && src->n < nt - 1)
    st = sf_py_raise(I, target, BC_VALUEERR, "not enough values to unpack (expected at least %" PRId64 ", got %" PRId64 ")", nt - 1, src->n);
  int64_t j = 0;
  for (int k = 0; st == SF_OK && k < target->nitems; k++) {
    if (k == star) {
      int64_t take = src->n - (nt - 1);
      sf_val rest = {0};
      if (!sf_list_new(O_LIST, take, &rest)) {
        st = sf_py_oom(I);
        break;
      }
      for (int64_t i = 0; i < take; i++) {
        SF_LIST(&rest)->items[i] = src->items[j + i];
        sf_val_ref(&src->items[j + i]);
      }
      j += take;
      st = assign(I, target->items[k]->base, &rest);
      sf_val_drop(&rest);
      continue;
    }
    st = assign(I, target->items[k], &src->items[j++]);
  }
  sf_val_drop(&l);
  return st;
}

/* target[key] = v; temp as setitem's. */
static sf_status assign_item(sf_interp *I, const sf_expr *target, const sf_val *v, int temp) {
  sf_val base = {0}, key = {0};
  sf_status st;
  if ((st = eval(I, target->base, &base)) != SF_OK) return st;
  if ((st = target->rhs->kind == SF_EX_SLICE ? eval_slice(I, target->rhs, &key) : eval(I, target->rhs, &key)) == SF_OK) {
    st = setitem(I, target, &base, &key, v, temp);
    sf_val_drop(&key);
  }
  sf_val_drop(&base);
  return st;
}

static sf_status assign(sf_interp *I, const sf_expr *target, const sf_val *v) {
  sf_val base = {0};
  sf_status st;
  switch (target->kind) {
    case SF_EX_NAME: return bind(I, target->name, v);
    case SF_EX_TUPLE: case SF_EX_LIST: return unpack(I, target, v);
    case SF_EX_ATTR:
      if ((st = eval(I, target->base, &base)) != SF_OK) return st;
      st = setattr(I, target, &base, target->name, v);
      sf_val_drop(&base);
      return st;
    case SF_EX_SUBSCRIPT: return assign_item(I, target, v, 0);
    default: return sf_error_at(I->err, target->line, target->col, SF_ESYNTAX, "unsupported assignment target");
  }
}

/* ---- operators ---- */

/* Tensors and NumPy arrays: the API's operators (api_ops.c) get flat values. */
/* counted: the program's own operator (program_binop), whose result only it holds. */
static sf_status tensor_arith(sf_interp *I, const sf_expr *e, char op, const sf_val *a, const sf_val *b, sf_val *out,
                              bool counted) {
  sf_val fa = {0}, fb = {0};
  api_tmp tmp = {0}; /* a list operand's items: the op's constant is built from them */
  sf_status st;
  if ((st = to_api(I, a, &fa, &tmp)) == SF_OK && (st = to_api(I, b, &fb, &tmp)) == SF_OK) {
    int first = I->E.g->n;
    int64_t calls = I->py_calls;
    st = locate(I, e, sf_api_tensor_binop(I, e, op, &fa, &fb, out));
    if (st == SF_OK && counted) count_result(I, out, first, calls);
  }
  sf_api_tmp_free(&tmp);
  return st;
}

/* Whether sf_py_binop(a, b) is tensor_arith's (no tf.Variable, no dunder method). */
static bool tensor_operands(const sf_val *a, const sf_val *b) {
  if (sf_tape_is_variable(a) || sf_tape_is_variable(b) || (a->kind != V_TENSOR && b->kind != V_TENSOR)) return false;
  return (a->kind == V_TENSOR || sf_is_number(a) || sf_is(a, O_LIST)) && (b->kind == V_TENSOR || sf_is_number(b) || sf_is(b, O_LIST));
}

/* a OP b as the program writes it (an expression, an augmented assignment). */
static sf_status program_binop(sf_interp *I, const sf_expr *e, char op, const sf_val *a, const sf_val *b, sf_val *out) {
  if (tensor_operands(a, b)) return tensor_arith(I, e, op, a, b, out, true);
  if (sf_tape_is_variable(a) || sf_tape_is_variable(b)) { /* `v * 1.0`: the variable's read is the operator's own */
    int first = I->E.g->n;
    int64_t calls = I->py_calls;
    sf_val fa = {0}, fb = {0};
    sf_status st;
    if ((st = to_api(I, a, &fa, NULL)) != SF_OK || (st = to_api(I, b, &fb, NULL)) != SF_OK) return st;
    if (!tensor_operands(&fa, &fb)) return sf_py_binop(I, e, op, &fa, &fb, out);
    st = tensor_arith(I, e, op, &fa, &fb, out, false);
    if (st == SF_OK) count_result(I, out, first, calls);
    return st;
  }
  return sf_py_binop(I, e, op, a, b, out);
}

const char *sf_py_op_text(char op) {
  switch (op) {
    case 'F': return "//";
    case 'P': return "**";
    case 'L': return "<<";
    case 'R': return ">>";
    case '+': return "+";
    case '-': return "-";
    case '*': return "*";
    case '/': return "/";
    case '%': return "%";
    case '@': return "@";
    case '&': return "&";
    case '|': return "|";
    case '^': return "^";
    default: return "?";
  }
}

static sf_status overflow(sf_interp *I, const sf_expr *e, char op) {
  return sf_py_int64_limit(I, e, "integer result of '%s' does not fit in 64 bits", sf_py_op_text(op));
}

static sf_status int_arith(sf_interp *I, const sf_expr *e, char op, int64_t x, int64_t y, sf_val *out) {
  int64_t r = 0;
  bool ovf = false;
  switch (op) {
    case '+': ovf = __builtin_add_overflow(x, y, &r); break;
    case '-': ovf = __builtin_sub_overflow(x, y, &r); break;
    case '*': ovf = __builtin_mul_overflow(x, y, &r); break;
    case '/':
      if (y == 0) return sf_py_raise(I, e, BC_ZERODIV, "division by zero");
      return *out = sf_float((double)x / (double)y), SF_OK;
    case 'F': case '%':
      if (y == 0) return sf_py_raise(I, e, BC_ZERODIV, op == 'F' ? "integer division or modulo by zero" : "integer modulo by zero");
      if (x == INT64_MIN && y == -1) {
        if (op == '%') return *out = sf_int(0), SF_OK;
        return overflow(I, e, op);
      }
      {
        int64_t q = x / y, m = x % y;
        if (m != 0 && ((m < 0) != (y < 0))) {
          q -= 1;
          m += y;
        }
        r = op == 'F' ? q : m;
      }
      break;
    case 'P':
      if (y < 0) return *out = sf_float(pow((double)x, (double)y)), x == 0 ? sf_py_raise(I, e, BC_ZERODIV, "zero to a negative power") : SF_OK;
      r = 1;
      for (int64_t b = x, k = y; k > 0 && !ovf; k >>= 1) {
        if (k & 1) ovf = __builtin_mul_overflow(r, b, &r);
        if (k > 1 && !ovf) ovf = __builtin_mul_overflow(b, b, &b);
      }
      break;
    case '&': r = x & y; break;
    case '|': r = x | y; break;
    case '^': r = x ^ y; break;
    case 'L':
      if (y < 0) return sf_py_raise(I, e, BC_VALUEERR, "negative shift count");
      if (y >= 63 || (x != 0 && (x > (INT64_MAX >> y) || x < (INT64_MIN >> y)))) ovf = x != 0;
      else r = (int64_t)((uint64_t)x << y);
      break;
    case 'R':
      if (y < 0) return sf_py_raise(I, e, BC_VALUEERR, "negative shift count");
      r = y >= 63 ? (x < 0 ? -1 : 0) : x >> y;
      break;
    default: return sf_py_raise(I, e, BC_TYPEERR, "unsupported operand type(s) for %s: 'int' and 'int'", sf_py_op_text(op));
  }
  if (ovf) return overflow(I, e, op);
  *out = sf_int(r);
  return SF_OK;
}

static sf_status float_arith(sf_interp *I, const sf_expr *e, char op, double x, double y, sf_val *out) {
  double r;
  switch (op) {
    case '+': r = x + y; break;
    case '-': r = x - y; break;
    case '*': r = x * y; break;
    case '/':
      if (y == 0) return sf_py_raise(I, e, BC_ZERODIV, "float division by zero");
      r = x / y;
      break;
    case 'F': case '%': {
      if (y == 0) return sf_py_raise(I, e, BC_ZERODIV, op == 'F' ? "float floor division by zero" : "float modulo");
      double m = fmod(x, y);
      if (m != 0 && ((m < 0) != (y < 0))) m += y;
      if (op == '%') {
        r = m == 0 ? copysign(0.0, y) : m;
        break;
      }
      double div = (x - m) / y;
      if (div) {
        r = floor(div);
        if (div - r > 0.5) r += 1.0;
      } else {
        r = copysign(0.0, x / y);
      }
      break;
    }
    case 'P':
      if (x == 0 && y < 0) return sf_py_raise(I, e, BC_ZERODIV, "zero to a negative power");
      if (x < 0 && y != floor(y)) return sf_error_at(I->err, e->line, e->col, SF_ENAME, "unsupported: a negative number to a fractional power is complex");
      r = pow(x, y);
      if (isinf(r) && !isinf(x) && !isinf(y)) return sf_py_raise(I, e, BC_OVERFLOW, "(34, 'Numerical result out of range')");
      break;
    default: return sf_py_raise(I, e, BC_TYPEERR, "unsupported operand type(s) for %s: 'float' and 'float'", sf_py_op_text(op));
  }
  *out = sf_float(r);
  return SF_OK;
}

static sf_status seq_concat(sf_interp *I, const sf_val *a, const sf_val *b, sf_val *out) {
  if (sf_is(a, O_STR)) {
    sf_str *x = SF_STR(a), *y = SF_STR(b);
    sf_str *s = sf_obj_alloc(O_STR, sizeof *s + x->len + y->len + 1);
    if (!s) return sf_py_oom(I);
    memcpy(s->s, x->s, x->len);
    memcpy(s->s + x->len, y->s, y->len + 1);
    s->len = x->len + y->len;
    *out = sf_obj_val(s);
    return SF_OK;
  }
  sf_list *x = SF_LIST(a), *y = SF_LIST(b);
  if (!sf_list_new(a->o->t, x->n + y->n, out)) return sf_py_oom(I);
  for (int64_t i = 0; i < x->n; i++) SF_LIST(out)->items[i] = x->items[i], sf_val_ref(&x->items[i]);
  for (int64_t i = 0; i < y->n; i++) SF_LIST(out)->items[x->n + i] = y->items[i], sf_val_ref(&y->items[i]);
  return SF_OK;
}

static sf_status seq_repeat(sf_interp *I, const sf_expr *e, const sf_val *a, int64_t k, sf_val *out) {
  if (k < 0) k = 0;
  if (sf_is(a, O_STR)) {
    sf_str *x = SF_STR(a);
    if (!x->len) k = 0; /* "" * 10**12 is "" at once, not 10**12 empty copies */
    if (x->len && (uint64_t)k > (1u << 30) / x->len) return sf_py_raise(I, e, BC_MEMORYERR, "string too large");
    sf_str *s = sf_obj_alloc(O_STR, sizeof *s + x->len * (size_t)k + 1);
    if (!s) return sf_py_oom(I);
    for (int64_t i = 0; i < k; i++) memcpy(s->s + (size_t)i * x->len, x->s, x->len);
    s->len = x->len * (size_t)k;
    s->s[s->len] = '\0';
    *out = sf_obj_val(s);
    return SF_OK;
  }
  sf_list *x = SF_LIST(a);
  if (!x->n) k = 0;
  if (x->n && k > (1 << 26) / x->n) return sf_py_raise(I, e, BC_MEMORYERR, "list too large");
  if (!sf_list_new(a->o->t, x->n * k, out)) return sf_py_oom(I);
  for (int64_t j = 0; j < k; j++)
    for (int64_t i = 0; i < x->n; i++) SF_LIST(out)->items[j * x->n + i] = x->items[i], sf_val_ref(&x->items[i]);
  return SF_OK;
}

/* Sets as CPython 3.11 builds them (Objects/setobject.c), so that they iterate in its order:
 * set_copy is a merge into a new set; set_or the copy and a merge; set_intersection walks
 * the smaller operand (the right one at equal sizes); set_difference walks a, or copies it
 * and discards b's elements when a is over 4x b; set_symmetric_difference copies b and
 * toggles a's elements in it. */
sf_status sf_py_set_op(sf_interp *I, char op, const sf_val *a, const sf_val *b, sf_val *out) {
  sf_dict *x = SF_DICT(a), *y = SF_DICT(b), *r;
  sf_val none = sf_none();
  bool copy_a = op == '|' || (op == '&' && x == y) || (op == '-' && (x->n >> 2) > y->n);
  if (!sf_dict_new(O_SET, out)) return sf_py_oom(I);
  r = SF_DICT(out);
  bool ok = true;
  if (copy_a) ok = sf_set_merge(r, x);
  if (op == '|' && x != y) ok = ok && sf_set_merge(r, y); /* set_or: s | s is its copy */
  else if (op == '&' && x != y) {
    const sf_dict *walk = y->n > x->n ? x : y, *other = walk == x ? y : x;
    int64_t pos = 0;
    for (const sf_dentry *e; ok && (e = sf_set_next(walk, &pos));)
      if (sf_dict_get((sf_dict *)other, &e->key)) ok = sf_dict_set(r, &e->key, &none);
  } else if (op == '-' && copy_a) {
    ok = sf_set_discard_all(r, y, false) && sf_set_shrink(r);
  } else if (op == '-') {
    int64_t pos = 0;
    for (const sf_dentry *e; ok && (e = sf_set_next(x, &pos));)
      if (!sf_dict_get(y, &e->key)) ok = sf_dict_set(r, &e->key, &none);
  } else if (op == '^') {
    ok = sf_set_merge(r, y) && sf_set_discard_all(r, x, true);
  }
  if (!ok) return sf_val_drop(out), sf_py_oom(I);
  return SF_OK;
}

static sf_status set_op(sf_interp *I, char op, const sf_val *a, const sf_val *b, sf_val *out) {
  if (a->o->t == O_SET) return sf_py_set_op(I, op, a, b, out);
  if (!sf_dict_new(a->o->t, out)) return sf_py_oom(I);
  sf_dict *x = SF_DICT(a), *y = SF_DICT(b), *r = SF_DICT(out);
  for (int64_t i = 0; i < x->ne; i++) {
    if (!x->e[i].used) continue;
    bool in_y = sf_dict_get(y, &x->e[i].key) != NULL;
    bool keep = op == '|' || (op == '&' && in_y) || ((op == '-' || op == '^') && !in_y);
    if (keep && !sf_dict_set(r, &x->e[i].key, &x->e[i].value)) return sf_py_oom(I);
  }
  for (int64_t i = 0; (op == '|' || op == '^') && i < y->ne; i++) {
    if (!y->e[i].used) continue;
    bool in_x = sf_dict_get(x, &y->e[i].key) != NULL;
    if ((op == '|' || !in_x) && !sf_dict_set(r, &y->e[i].key, &y->e[i].value)) return sf_py_oom(I);
  }
  return SF_OK;
}

static sf_status eq_in(sf_interp *I, const sf_expr *at, const sf_val *a, const sf_val *b, int depth, bool *eq);

/* x in a keys or items view (dictkeys_contains, dictitems_contains: the key looked up, an
 * item's value compared by PyObject_RichCompareBool). */
static sf_status view_has(sf_interp *I, const sf_expr *at, const sf_val *view, const sf_val *x, bool *has) {
  const sf_dictview *w = SF_VIEW(view);
  uint64_t h;
  *has = false;
  const sf_val *key = w->what == SF_VIEW_KEYS ? x : sf_is(x, O_TUPLE) && SF_LIST(x)->n == 2 ? &SF_LIST(x)->items[0] : NULL;
  if (!key) return SF_OK;
  if (!sf_hash(key, &h)) return sf_py_unhashable(I, at, key);
  const sf_val *v = sf_dict_get(SF_DICT(&w->dict), key);
  if (!v || w->what == SF_VIEW_KEYS) return *has = v != NULL, SF_OK;
  return eq_in(I, at, v, &SF_LIST(x)->items[1], 0, has);
}

sf_status sf_py_setlike_has(sf_interp *I, const sf_expr *at, const sf_val *s, const sf_val *x, bool *has) {
  uint64_t h;
  if (sf_is(s, O_DICTVIEW)) return view_has(I, at, s, x, has);
  if (!sf_hash(x, &h)) return sf_py_unhashable(I, at, x);
  *has = sf_dict_get(SF_DICT(s), x) != NULL;
  return SF_OK;
}

static int64_t setlike_len(const sf_val *v) { return sf_is(v, O_SET) ? SF_DICT(v)->n : SF_DICT(&SF_VIEW(v)->dict)->n; }

/* all_contained_in(a, b) of two set-likes (a set, a keys or items view): each of a's elements
 * in b, an items view's by its key and then its value's ==. */
static sf_status setlike_within(sf_interp *I, const sf_expr *at, const sf_val *a, const sf_val *b, bool *in) {
  sf_val l = {0};
  sf_status st = sf_py_to_list(I, at, a, O_LIST, &l);
  *in = true;
  for (int64_t i = 0; st == SF_OK && *in && i < SF_LIST(&l)->n; i++) {
    const sf_val *x = &SF_LIST(&l)->items[i];
    uint64_t h;
    if (!sf_is(b, O_SET)) st = view_has(I, at, b, x, in);
    else if (!sf_hash(x, &h)) st = sf_py_unhashable(I, at, x);
    else *in = sf_dict_get(SF_DICT(b), x) != NULL;
  }
  sf_val_drop(&l);
  return st;
}

/* |, &, - and ^ with a keys or items view on either side, as dictobject.c does them: the left
 * side made a set (a keys view through its dict, dictviews_to_set), then updated with the
 * right (|), its difference_update (-) or symmetric_difference_update (^); & walks the other
 * side and keeps what the view holds (_PyDictView_Intersect: the view is self whichever
 * side it was on, the smaller of two views walked, a set at least as big as the view asked
 * for its intersection with it). The result is a set. */
static sf_status view_set_op(sf_interp *I, const sf_expr *at, char op, const sf_val *a, const sf_val *b, sf_val *out) {
  sf_val none = sf_none();
  sf_status st = SF_OK;
  if (op == '&') {
    const sf_val *self = sf_is(a, O_DICTVIEW) && sf_set_like(a) ? a : b, *other = self == a ? b : a;
    int64_t len_self = SF_DICT(&SF_VIEW(self)->dict)->n;
    if (sf_is(other, O_SET) && len_self <= SF_DICT(other)->n) { /* other.intersection(self) */
      const sf_val *t = self;
      self = other, other = t;
    } else if (sf_is(other, O_DICTVIEW) && sf_set_like(other) && SF_DICT(&SF_VIEW(other)->dict)->n > len_self) {
      const sf_val *t = self;
      self = other, other = t;
    }
    if (!sf_dict_new(O_SET, out)) return sf_py_oom(I);
    sf_val l = {0};
    st = sf_py_to_list(I, at, other, O_LIST, &l);
    for (int64_t i = 0; st == SF_OK && i < SF_LIST(&l)->n; i++) {
      const sf_val *x = &SF_LIST(&l)->items[i];
      bool has = false;
      uint64_t h;
      if (!sf_is(self, O_SET)) st = view_has(I, at, self, x, &has);
      else if (!sf_hash(x, &h)) st = sf_py_unhashable(I, at, x);
      else has = sf_dict_get(SF_DICT(self), x) != NULL;
      if (st == SF_OK && has && !sf_dict_set(SF_DICT(out), x, &none))
        st = sf_py_unhashable(I, at, x);
    }
    sf_val_drop(&l);
    if (st != SF_OK) sf_val_drop(out);
    return st;
  }
  if (!sf_dict_new(O_SET, out)) return sf_py_oom(I);
  sf_dict *r = SF_DICT(out);
  const sf_val *left = sf_is(a, O_DICTVIEW) && SF_VIEW(a)->what == SF_VIEW_KEYS ? &SF_VIEW(a)->dict : a;
  st = sf_py_set_update(I, at, r, left);
  if (st == SF_OK && op == '|') st = sf_py_set_update(I, at, r, b);
  else if (st == SF_OK) { /* difference_update / symmetric_difference_update with b */
    sf_val other = {0};
    if (sf_is(b, O_SET)) other = *b, sf_val_ref(&other);
    else if (op == '^' && sf_dict_new(O_SET, &other)) st = sf_py_set_update(I, at, SF_DICT(&other), b);
    else if (op == '-') st = sf_py_to_list(I, at, b, O_LIST, &other);
    else st = sf_py_oom(I);
    bool ok = true;
    if (st == SF_OK && sf_is(&other, O_LIST)) {
      for (int64_t i = 0; st == SF_OK && i < SF_LIST(&other)->n; i++) {
        uint64_t h;
        if (!sf_hash(&SF_LIST(&other)->items[i], &h))
          st = sf_py_unhashable(I, at, &SF_LIST(&other)->items[i]);
        else sf_dict_del(r, &SF_LIST(&other)->items[i]);
      }
    } else if (st == SF_OK) {
      ok = sf_set_discard_all(r, SF_DICT(&other), op == '^');
    }
    if (st == SF_OK && (!ok || (op == '-' && !sf_set_shrink(r)))) st = sf_py_oom(I);
    sf_val_drop(&other);
  }
  if (st != SF_OK) sf_val_drop(out);
  return st;
}

/* x.name(y) when x has an attribute name (true; *st its status), else false. */
static bool call_method1(sf_interp *I, const sf_expr *e, const sf_val *x, const char *name, const sf_val *y, sf_val *out,
                         sf_status *st) {
  sf_val m = {0};
  if (!sf_py_getattr(I, x, name, &m, st)) return false;
  sf_args args = {.call = e, .pos = (sf_val *)y, .npos = 1};
  if (*st == SF_OK) *st = sf_py_call(I, &m, &args, out);
  sf_val_drop(&m);
  return true;
}

/* An instance's __add__ etc., or false when it has none. */
static bool dunder_binop(sf_interp *I, const sf_expr *e, char op, const sf_val *a, const sf_val *b, sf_val *out, sf_status *st) {
  static const char *const names[][2] = {{"+", "add"}, {"-", "sub"}, {"*", "mul"}, {"/", "truediv"}, {"F", "floordiv"},
                                         {"%", "mod"}, {"P", "pow"}, {"@", "matmul"}, {"&", "and"}, {"|", "or"},
                                         {"^", "xor"}, {"L", "lshift"}, {"R", "rshift"}};
  for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
    if (names[k][0][0] != op) continue;
    char name[32];
    const sf_val *self = sf_is(a, O_INST) ? a : b, *other = self == a ? b : a;
    snprintf(name, sizeof name, "__%s%s__", self == a ? "" : "r", names[k][1]);
    if (call_method1(I, e, self, name, other, out, st)) return true;
    if (self != a || !sf_is(b, O_INST) || ((sf_inst *)a->o)->cls == ((sf_inst *)b->o)->cls) return false; /* no reflection */
    snprintf(name, sizeof name, "__r%s__", names[k][1]); /* a lacks it: b's reflected one */
    return call_method1(I, e, b, name, a, out, st);
  }
  return false;
}

sf_status sf_py_binop(sf_interp *I, const sf_expr *e, char op, const sf_val *a, const sf_val *b, sf_val *out) {
  if (sf_tape_is_variable(a) || sf_tape_is_variable(b)) { /* a tf.Variable operand: its value */
    sf_val fa = {0}, fb = {0};
    sf_status st;
    if ((st = to_api(I, a, &fa, NULL)) != SF_OK || (st = to_api(I, b, &fb, NULL)) != SF_OK) return st;
    return sf_py_binop(I, e, op, &fa, &fb, out);
  }
  if ((sf_np_is_scalar(a) || sf_np_is_scalar(b)) && sf_is_number(a) && sf_is_number(b)) return sf_np_binop(I, e, op, a, b, out);
  bool ia = a->kind == V_INT || a->kind == V_BOOL, ib = b->kind == V_INT || b->kind == V_BOOL;
  if (ia && ib) {
    if (op == '&' || op == '|' || op == '^') {
      if (a->kind == V_BOOL && b->kind == V_BOOL) {
        bool r = op == '&' ? a->b && b->b : op == '|' ? a->b || b->b : a->b != b->b;
        return *out = sf_bool(r), SF_OK;
      }
    }
    return int_arith(I, e, op, a->kind == V_INT ? a->i : a->b, b->kind == V_INT ? b->i : b->b, out);
  }
  if (sf_is_number(a) && sf_is_number(b)) return float_arith(I, e, op, sf_num(a), sf_num(b), out);
  if (tensor_operands(a, b)) return tensor_arith(I, e, op, a, b, out, false);
  if (op == '+' && a->kind == V_OBJ && b->kind == V_OBJ && a->o->t == b->o->t &&
      (a->o->t == O_STR || a->o->t == O_LIST || a->o->t == O_TUPLE))
    return seq_concat(I, a, b, out);
  if (op == '*' && (sf_is(a, O_STR) || sf_is(a, O_LIST) || sf_is(a, O_TUPLE)) && ib)
    return seq_repeat(I, e, a, b->kind == V_INT ? b->i : b->b, out);
  if (op == '*' && (sf_is(b, O_STR) || sf_is(b, O_LIST) || sf_is(b, O_TUPLE)) && ia)
    return seq_repeat(I, e, b, a->kind == V_INT ? a->i : a->b, out);
  if (op == '%' && sf_is(a, O_STR)) return sf_py_percent(I, e, SF_STR(a)->s, b, out);
  if (op == '*' && (sf_is(a, O_STR) || sf_is(a, O_LIST) || sf_is(a, O_TUPLE) || sf_is(b, O_STR) || sf_is(b, O_LIST) || sf_is(b, O_TUPLE)) &&
      !sf_is(a, O_INST) && !sf_is(b, O_INST))
    return sf_py_raise(I, e, BC_TYPEERR, "can't multiply sequence by non-int of type '%s'",
                       sf_type_name(sf_is(a, O_STR) || sf_is(a, O_LIST) || sf_is(a, O_TUPLE) ? b : a));
  if (op == '+' && (sf_is(a, O_STR) || sf_is(a, O_LIST) || sf_is(a, O_TUPLE)) && !sf_is(b, O_INST))
    return sf_py_raise(I, e, BC_TYPEERR, sf_is(a, O_STR) ? "can only concatenate str (not \"%s\") to str"
                                                        : "can only concatenate %s (not \"%s\") to %s",
                       sf_is(a, O_STR) ? sf_type_name(b) : sf_type_name(a), sf_type_name(b), sf_type_name(a));
  if (strchr("|&-^", op) && a->kind == V_OBJ && b->kind == V_OBJ && a->o->t == b->o->t && a->o->t == O_SET)
    return set_op(I, op, a, b, out);
  if (op == '|' && sf_is(a, O_DICT) && sf_is(b, O_DICT)) return set_op(I, op, a, b, out);
  if (strchr("|&-^", op) && ((sf_is(a, O_DICTVIEW) && sf_set_like(a)) || (sf_is(b, O_DICTVIEW) && sf_set_like(b))) &&
      sf_py_maybe_iterable(a) && sf_py_maybe_iterable(b))
    return view_set_op(I, e, op, a, b, out);
  sf_status st;
  if ((sf_is(a, O_INST) || sf_is(b, O_INST)) && dunder_binop(I, e, op, a, b, out, &st)) return st;
  if (unshowable(a, b)) return sf_py_api_attr_error(I, e, unshowable(a, b));
  return sf_py_raise(I, e, BC_TYPEERR, "unsupported operand type(s) for %s: '%s' and '%s'", op == 'P' ? "** or pow()" : sf_py_op_text(op),
                     sf_type_name(a), sf_type_name(b));
}

/* A value whose == is TF 2's element-wise Tensor.__eq__: a tensor or tf.Variable when
 * _USE_EQUALITY and executing_eagerly_outside_functions() (framework/ops.py Tensor.__eq__):
 * not in TF 1.x, nor in a TF 1 graph (graph mode), where == compares the objects. */
static bool tf2_equality(sf_interp *I, const sf_val *v) {
  return I->opt.profile != SF_PROFILE_TF1 && I->opt.mode != SF_MODE_GRAPH && /* TF 1 graphs: the objects */
         ((v->kind == V_TENSOR && !v->numpy) || sf_tape_is_variable(v));
}

static bool identical(const sf_val *a, const sf_val *b);

/* How many levels of nested containers CPython 3.11's == and < walk before its recursion
 * limit (1000, less the Python frames running: nest(n) == nest(n) runs at module level up to
 * n = 998, measured), and the RecursionError past it. */
static int nest_limit(sf_interp *I) { return SF_PY_MAX_DEPTH - 1 - PY(I)->depth; }

static sf_status too_deep(sf_interp *I, const sf_expr *at, const char *while_) {
  return sf_py_raise(I, at, BC_RECURSION, "maximum recursion depth exceeded %s", while_);
}

/* x.name(y)'s truth in *r when x has an attribute name (true; *st its status), else false:
 * a rich comparison's or __contains__'s result as a condition. */
static bool call_truth1(sf_interp *I, const sf_val *x, const char *name, const sf_val *y, bool *r, sf_status *st) {
  sf_val m = {0}, res = {0};
  if (!sf_py_getattr(I, x, name, &m, st)) return false;
  if (*st == SF_OK) *st = sf_py_call1(I, &m, y, &res);
  sf_val_drop(&m);
  if (*st == SF_OK) *r = sf_truthy(I, &res), sf_val_drop(&res);
  return true;
}

static sf_status contains(sf_interp *I, const sf_expr *e, const sf_val *item, const sf_val *c, bool *r) {
  *r = false;
  sf_status st;
  if (sf_is(c, O_INST) && call_truth1(I, c, "__contains__", item, r, &st)) return st; /* the class's own test */
  if (sf_is(c, O_STR)) {
    if (!sf_is(item, O_STR)) return sf_py_raise(I, e, BC_TYPEERR, "'in <string>' requires string as left operand, not %s", sf_type_name(item));
    *r = strstr(SF_STR(c)->s, SF_STR(item)->s) != NULL;
    return SF_OK;
  }
  if (sf_is(c, O_DICT) || sf_is(c, O_SET)) {
    uint64_t h;
    if (!sf_hash(item, &h)) return sf_py_unhashable(I, e, item);
    *r = sf_dict_get(SF_DICT(c), item) != NULL;
    return SF_OK;
  }
  if (sf_is(c, O_DICTVIEW) && SF_VIEW(c)->what != SF_VIEW_VALUES) /* a lookup (values: ==, as a list's) */
    return view_has(I, e, c, item, r);
  if (sf_is(c, O_RANGE) && (item->kind == V_INT || item->kind == V_BOOL)) {
    sf_range *g = (sf_range *)c->o;
    int64_t x = item->kind == V_INT ? item->i : item->b;
    bool in = g->step > 0 ? x >= g->start && x < g->stop : x <= g->start && x > g->stop;
    *r = in && (x - g->start) % g->step == 0;
    return SF_OK;
  }
  sf_val l = {0};
  st = sf_py_to_list(I, e, c, O_LIST, &l);
  if (st != SF_OK) return st;
  for (int64_t i = 0; i < SF_LIST(&l)->n && !*r && st == SF_OK; i++) { /* list_contains: element is item, or == it */
    const sf_val *x = &SF_LIST(&l)->items[i];
    if (identical(x, item)) *r = true;
    else if (tf2_equality(I, x) || tf2_equality(I, item))
      st = sf_error_at(I->err, e->line, e->col, SF_ENAME, "unsupported: 'in' of a list holding tensors or tf.Variables "
                       "(TF 2 compares them element-wise)");
    else st = sf_py_eq(I, e, x, item, r);
  }
  sf_val_drop(&l);
  return st;
}

static bool identical(const sf_val *a, const sf_val *b) {
  if (a->kind != b->kind) return false;
  switch (a->kind) {
    case V_NONE: return (a->s == sf_dimension_tag) == (b->s == sf_dimension_tag); /* TF 1.x's Dimension(None) is not None */
    case V_BOOL: return a->b == b->b;
    case V_INT: return a->i == b->i && a->i >= -5 && a->i <= 256;  /* CPython's small-int cache */
    case V_OBJ: return a->o == b->o;
    default: return sf_equal(a, b);
  }
}

static bool identical_or_equal(const sf_val *a, const sf_val *b) {
  return (a->kind == V_OBJ && b->kind == V_OBJ && a->o == b->o) || sf_equal(a, b);
}

static bool np_array(const sf_val *v) { return v->kind == V_TENSOR && v->numpy; }

/* ndarray.__eq__ where PyObject_RichCompareBool meets an array: element-wise, then the
 * result's truth (one element: its value; more: NumPy's ValueError). Against a number, a
 * NumPy value or a list; against anything else (None, a str: NumPy's own rules) and an
 * empty result (a DeprecationWarning) it is not modelled. */
static sf_status numpy_eq(sf_interp *I, const sf_expr *at, const sf_val *a, const sf_val *b, bool *eq) {
  for (int k = 0; k < 2; k++) {
    const sf_val *x = k ? b : a;
    if (!np_array(x) && !sf_is_number(x) && !sf_is(x, O_LIST) && !sf_is(x, O_TUPLE))
      return sf_error_at(I->err, at ? at->line : I->line, at ? at->col : 1, SF_ENAME,
                         "unsupported: == of a NumPy array and a %s in a list, tuple or dict comparison", sf_type_name(x));
  }
  int n0 = sf_numpy_begin(I);
  sf_val r = {0};
  sf_status st = sf_numpy_compare(I, at, "==", a, b, &r);
  sf_numpy_end(I, n0);
  if (st != SF_OK) return st;
  const sf_node *rn = r.kind == V_TENSOR ? sf_graph_node(r.g, r.node) : NULL;
  bool empty = false;
  for (int d = 0; rn && rn->shape_known && d < rn->shape.rank; d++) empty = empty || rn->shape.dims[d] == 0;
  if (empty)
    st = sf_error_at(I->err, at ? at->line : I->line, at ? at->col : 1, SF_ENAME,
                     "unsupported: the truth of an empty NumPy array (a DeprecationWarning, then False)");
  if (st == SF_OK) st = sf_ctl_truth(I, at, &r, "==", eq);
  sf_val_drop(&r);
  return st;
}

/* PyObject_RichCompareBool(a, b, Py_EQ) at nesting depth: the same object is equal; an
 * instance's __eq__ (a's, then b's); NumPy arrays element-wise; a TF 2 tensor's element-wise
 * __eq__ is not modelled here; lists, tuples and dicts item by item with the same rules
 * (list_richcompare, dict_equal), the rest by value. */
static sf_status eq_in(sf_interp *I, const sf_expr *at, const sf_val *a, const sf_val *b, int depth, bool *eq) {
  if (a->kind == V_OBJ && b->kind == V_OBJ && a->o == b->o) return *eq = true, SF_OK;
  if (depth > 0 && depth > nest_limit(I)) return too_deep(I, at, "in comparison");
  for (int k = 0; k < 2; k++) {
    sf_status st;
    if (sf_is(k ? b : a, O_INST) && call_truth1(I, k ? b : a, "__eq__", k ? a : b, eq, &st)) return st;
  }
  if (np_array(a) || np_array(b)) return numpy_eq(I, at, a, b, eq);
  if (sf_is(a, O_DICTVIEW) || sf_is(b, O_DICTVIEW)) { /* set-like: sizes, then all of a in b; a values view: itself */
    *eq = false;
    if (!sf_set_like(a) || !sf_set_like(b) || setlike_len(a) != setlike_len(b)) return SF_OK;
    return setlike_within(I, at, a, b, eq);
  }
  if (tf2_equality(I, a) || tf2_equality(I, b))
    return sf_error_at(I->err, at ? at->line : I->line, at ? at->col : 1, SF_ENAME,
                       "unsupported: == of a TF 2 tensor or tf.Variable in a list, tuple or dict comparison "
                       "(TF 2 compares it element-wise)");
  *eq = false;
  if ((sf_is(a, O_LIST) && sf_is(b, O_LIST)) || (sf_is(a, O_TUPLE) && sf_is(b, O_TUPLE))) {
    const sf_list *x = SF_LIST(a), *y = SF_LIST(b);
    if (x->n != y->n) return SF_OK;
    for (int64_t i = 0; i < x->n && i < y->n; i++) { /* (an __eq__ may shrink them) */
      sf_status st = eq_in(I, at, &x->items[i], &y->items[i], depth + 1, eq);
      if (st != SF_OK || !*eq) return st;
    }
    return *eq = true, SF_OK;
  }
  if (sf_is(a, O_DICT) && sf_is(b, O_DICT)) {
    sf_dict *x = SF_DICT(a), *y = SF_DICT(b);
    if (x->n != y->n) return SF_OK;
    for (int64_t i = 0; i < x->ne; i++) {
      if (!x->e[i].used) continue;
      const sf_val *w = sf_dict_get(y, &x->e[i].key);
      if (!w) return *eq = false, SF_OK;
      sf_status st = eq_in(I, at, &x->e[i].value, w, depth + 1, eq);
      if (st != SF_OK || !*eq) return st;
    }
    return *eq = true, SF_OK;
  }
  bool deep;
  *eq = sf_equal_nested(a, b, nest_limit(I) - depth, &deep);
  return deep ? too_deep(I, at, "in comparison") : SF_OK;
}

sf_status sf_py_eq(sf_interp *I, const sf_expr *at, const sf_val *a, const sf_val *b, bool *eq) {
  return eq_in(I, at, a, b, 0, eq);
}

/* TF 1.x's Dimension.__eq__ / __ne__ with an unknown side return None (tensor_shape.py at
 * v1.15): a == or != of a Dimension and an int or None where one is unknown. */
static bool dimension_unknown(const char *op, const sf_val *a, const sf_val *b) {
  return (strcmp(op, "==") == 0 || strcmp(op, "!=") == 0) && (a->s == sf_dimension_tag || b->s == sf_dimension_tag) &&
         (a->kind == V_NONE || b->kind == V_NONE) && (a->kind == V_INT || a->kind == V_NONE) &&
         (b->kind == V_INT || b->kind == V_NONE);
}

static sf_status compare_op(sf_interp *I, const sf_expr *e, const char *op, const sf_val *a, const sf_val *b, bool *r) {
  const sf_class *ka = sf_is(b, O_CLASS) ? sf_np_type_class(I, a) : NULL, *kb = sf_is(a, O_CLASS) ? sf_np_type_class(I, b) : NULL;
  if (ka || kb) { /* type(x) == np.float32: one class */
    bool same = (ka ? ka : (const sf_class *)a->o) == (kb ? kb : (const sf_class *)b->o);
    if (!strcmp(op, "==") || !strcmp(op, "is")) return *r = same, SF_OK;
    if (!strcmp(op, "!=") || !strcmp(op, "is not")) return *r = !same, SF_OK;
  }
  /* what would it equal? (is None is known: a method and a property's value are not None) */
  bool is_none = (!strcmp(op, "is") || !strcmp(op, "is not")) && (a->kind == V_NONE || b->kind == V_NONE);
  if (unshowable(a, b) && !is_none) return sf_py_api_attr_error(I, e, unshowable(a, b));
  if (strcmp(op, "==") == 0 || strcmp(op, "!=") == 0) {
    if (dimension_unknown(op, a, b)) return *r = false, SF_OK; /* None, falsy (a chain's link) */
    /* do_richcompare for !=: b's __ne__ first when b's class is a subclass of a's with its own;
     * else a's __ne__; a class with __eq__ gets object's __ne__, which inverts it (below); a
     * class with neither, or a non-instance a, lets b's __ne__ answer */
    sf_class *ca = sf_is(a, O_INST) ? ((sf_inst *)a->o)->cls : NULL, *cb = sf_is(b, O_INST) ? ((sf_inst *)b->o)->cls : NULL;
    const sf_val *x = NULL, *y = NULL;
    if (op[0] == '!') {
      if (ca && cb && ca != cb && subclass(cb, ca) && class_lookup(cb, "__ne__", NULL)) x = b, y = a;
      else if (ca && class_lookup(ca, "__ne__", NULL)) x = a, y = b;
      else if (!(ca && class_lookup(ca, "__eq__", NULL)) && cb && class_lookup(cb, "__ne__", NULL)) x = b, y = a;
    }
    sf_status nst;
    if (x && call_truth1(I, x, "__ne__", y, r, &nst)) return nst;
    bool eq;
    sf_status st = sf_py_eq(I, e, a, b, &eq);
    if (st != SF_OK) return st;
    *r = op[0] == '=' ? eq : !eq;
    return SF_OK;
  }
  if (strcmp(op, "is") == 0) return *r = identical(a, b), SF_OK;
  if (strcmp(op, "is not") == 0) return *r = !identical(a, b), SF_OK;
  if (strcmp(op, "in") == 0) return contains(I, e, a, b, r);
  if (strcmp(op, "not in") == 0) {
    sf_status st = contains(I, e, a, b, r);
    *r = !*r;
    return st;
  }
  bool ok, deep;
  int c = sf_compare_nested(a, b, &ok, nest_limit(I), &deep);
  if (deep) return too_deep(I, e, "in comparison");
  if (!ok && sf_set_like(a) && sf_set_like(b) && (sf_is(a, O_DICTVIEW) || sf_is(b, O_DICTVIEW))) { /* dictview_richcompare */
    int64_t na = setlike_len(a), nb = setlike_len(b);
    bool le = op[0] == '<', strict = !op[1];
    if (strict ? (le ? na >= nb : na <= nb) : (le ? na > nb : na < nb)) return *r = false, SF_OK;
    return setlike_within(I, e, le ? a : b, le ? b : a, r); /* all_contained_in */
  }
  if (!ok && (sf_is(a, O_SET) && sf_is(b, O_SET))) { /* subset tests */
    sf_dict *x = SF_DICT(a), *y = SF_DICT(b);
    bool sub = true, sup = true;
    for (int64_t i = 0; i < x->ne; i++)
      if (x->e[i].used && !sf_dict_get(y, &x->e[i].key)) sub = false;
    for (int64_t i = 0; i < y->ne; i++)
      if (y->e[i].used && !sf_dict_get(x, &y->e[i].key)) sup = false;
    if (strcmp(op, "<=") == 0) *r = sub;
    else if (strcmp(op, ">=") == 0) *r = sup;
    else if (strcmp(op, "<") == 0) *r = sub && x->n < y->n;
    else *r = sup && x->n > y->n;
    return SF_OK;
  }
  if (!ok) {
    /* a's method, else b's reflected one (do_richcompare: a < b is b > a; the subclass-first
     * rule and NotImplemented are not modelled) */
    static const char *const names[] = {"__lt__", "__gt__", "__le__", "__ge__"};
    int k = strcmp(op, "<") == 0 ? 0 : strcmp(op, ">") == 0 ? 1 : strcmp(op, "<=") == 0 ? 2 : 3;
    for (int side = 0; side < 2; side++) {
      const sf_val *self = side ? b : a, *other = side ? a : b;
      sf_status st;
      if (sf_is(self, O_INST) && call_truth1(I, self, names[side ? k ^ 1 : k], other, r, &st)) return st;
    }
    while ((sf_is(a, O_LIST) && sf_is(b, O_LIST)) || (sf_is(a, O_TUPLE) && sf_is(b, O_TUPLE))) {
      int64_t i = 0, n = SF_LIST(a)->n < SF_LIST(b)->n ? SF_LIST(a)->n : SF_LIST(b)->n; /* the items that were */
      while (i < n && identical_or_equal(&SF_LIST(a)->items[i], &SF_LIST(b)->items[i])) i++; /* not orderable */
      if (i == n) break;
      a = &SF_LIST(a)->items[i];
      b = &SF_LIST(b)->items[i];
    }
    if (a->kind == V_TENSOR || b->kind == V_TENSOR || sf_tape_is_variable(a) || sf_tape_is_variable(b)) /* also inside lists */
      return sf_error_at(I->err, e->line, e->col, SF_ENAME, "unsupported: comparison '%s' of tensors", op);
    if (unshowable(a, b)) return sf_py_api_attr_error(I, e, unshowable(a, b));
    return sf_py_raise(I, e, BC_TYPEERR, "'%s' not supported between instances of '%s' and '%s'", op, sf_type_name(a), sf_type_name(b));
  }
  if (c == 2) return *r = false, SF_OK;
  switch (op[0]) {
    case '<': *r = op[1] ? c <= 0 : c < 0; break;
    default: *r = op[1] ? c >= 0 : c > 0; break;
  }
  return SF_OK;
}

sf_status sf_py_less(sf_interp *I, const sf_expr *at, const sf_val *a, const sf_val *b, bool *r) {
  return compare_op(I, at, "<", a, b, r);
}

/* ---- expressions ---- */

/* A tf.Variable compared is its value (variables.py _OverloadAllOperators: __lt__, __le__,
 * __gt__, __ge__; TF 2's __eq__ and __ne__ too, element-wise, where TF 1's compare the
 * objects). */
static bool variable_compares(sf_interp *I, const char *op, const sf_val *a, const sf_val *b) {
  if (!sf_tape_is_variable(a) && !sf_tape_is_variable(b)) return false;
  if (strcmp(op, "==") == 0 || strcmp(op, "!=") == 0) return I->opt.profile != SF_PROFILE_TF1;
  return strchr("<>", op[0]) != NULL;
}

/* A TF tensor an operator reads is pinned (its op may be read by a tape, a trace); a NumPy
 * array's operators compute a new array and keep none of their operands. */
static void pin_tensor(sf_interp *I, const sf_val *v) {
  if (v->kind == V_TENSOR && !v->numpy) pin_value(I, v, 0);
}

static sf_status eval_compare(sf_interp *I, const sf_expr *e, sf_val *out) {
  sf_val a = {0}, b = {0};
  sf_status st = eval(I, e->items[0], &a);
  if (st == SF_OK && e->nitems == 2 && (st = eval(I, e->items[1], &b)) == SF_OK && variable_compares(I, e->kwnames[0], &a, &b) &&
      (st = variable_value(I, &a)) == SF_OK)
    st = variable_value(I, &b);
  if (st == SF_OK && e->nitems == 2 && (a.kind == V_TENSOR || b.kind == V_TENSOR))
    pin_tensor(I, &a), pin_tensor(I, &b);
  if (st == SF_OK && e->nitems == 2 && sf_api_tensor_compare_applies(I, e->kwnames[0], &a, &b)) { /* Tensor.__lt__ and kin: an op */
    st = locate(I, e, sf_api_tensor_compare(I, e, e->kwnames[0], &a, &b, out));
    sf_val_drop(&a);
    sf_val_drop(&b);
    return st;
  }
  if (e->nitems == 2) { /* b is evaluated: compare once */
    bool r = false;
    if (st == SF_OK && ((a.kind == V_TENSOR && a.numpy) || (b.kind == V_TENSOR && b.numpy)) &&
        strchr("=!<>", e->kwnames[0][0])) { /* element-wise */
      np_work w = np_begin(I);
      st = np_end(I, w, locate(I, e, sf_numpy_compare(I, e, e->kwnames[0], &a, &b, out)), out);
      sf_val_drop(&a);
      sf_val_drop(&b);
      return st;
    }
    bool none = st == SF_OK && dimension_unknown(e->kwnames[0], &a, &b);
    if (st == SF_OK) st = compare_op(I, e, e->kwnames[0], &a, &b, &r);
    bool np = strchr("=!<>", e->kwnames[0][0]) && (sf_np_is_scalar(&a) || sf_np_is_scalar(&b));
    sf_val_drop(&a);
    sf_val_drop(&b);
    if (st == SF_OK) *out = none ? sf_none() : sf_bool(r);
    if (st == SF_OK && np && !none) out->numpy = true, out->dtype = SF_BOOL; /* numpy.bool_ */
    return st;
  }
  bool r = true, none = false;
  for (int k = 0; st == SF_OK && k + 1 < e->nitems && r; k++) {
    if ((st = eval(I, e->items[k + 1], &b)) != SF_OK) break;
    if ((strcmp(e->kwnames[k], "==") == 0 || strcmp(e->kwnames[k], "!=") == 0) && (tf2_equality(I, &a) || tf2_equality(I, &b))) {
      st = sf_error_at(I->err, e->line, e->col, SF_ENAME, "unsupported: comparison '%s' of tensors in a chain", e->kwnames[k]);
      break; /* TF 2's Tensor.__eq__ gives a tensor, not the bool a chain goes on with */
    }
    if (variable_compares(I, e->kwnames[k], &a, &b) && /* a chain of tf.Variables: of their values, as of tensors */
        ((st = variable_value(I, &a)) != SF_OK || (st = variable_value(I, &b)) != SF_OK))
      break;
    if (a.kind == V_TENSOR || b.kind == V_TENSOR) pin_tensor(I, &a), pin_tensor(I, &b);
    if (((a.kind == V_TENSOR && a.numpy) || (b.kind == V_TENSOR && b.numpy)) && strchr("=!<>", e->kwnames[k][0])) {
      int n0 = sf_numpy_begin(I);
      st = e->nitems == 2 ? locate(I, e, sf_numpy_compare(I, e, e->kwnames[k], &a, &b, out))
                          : sf_error_at(I->err, e->line, e->col, SF_ENAME, "unsupported: a comparison chain of NumPy arrays");
      sf_numpy_end(I, n0);
      sf_val_drop(&a);
      sf_val_drop(&b);
      return st;
    }
    none = none || (st == SF_OK && dimension_unknown(e->kwnames[k], &a, &b)); /* the chain's value: None */
    st = compare_op(I, e, e->kwnames[k], &a, &b, &r);
    sf_val_drop(&a);
    a = b;
  }
  sf_val_drop(&a);
  if (st == SF_OK) *out = none && !r ? sf_none() : sf_bool(r);
  return st;
}

static sf_status eval_unary(sf_interp *I, const sf_expr *e, sf_val *out) {
  sf_val v = {0};
  sf_status st = eval(I, e->base, &v);
  if (st != SF_OK) return st;
  char op = e->kind == SF_EX_NEG ? '-' : e->op;
  if (op == '-' && (st = variable_value(I, &v)) != SF_OK) return sf_val_drop(&v), st; /* Variable.__neg__: Neg of its value */
  pin_tensor(I, &v);
  if (op != '!' && sf_is(&v, O_INST)) { /* its class's __neg__, __pos__ or __invert__ (not the instance's own) */
    sf_val m = {0};
    const char *name = op == '-' ? "__neg__" : op == '+' ? "__pos__" : "__invert__";
    if (class_lookup(((sf_inst *)v.o)->cls, name, NULL) && sf_py_getattr(I, &v, name, &m, &st)) {
      sf_args args = {.call = e};
      if (st == SF_OK) st = sf_py_call(I, &m, &args, out);
      sf_val_drop(&m);
      sf_val_drop(&v);
      return st;
    }
  }
  if (op == '!') {
    bool t = true;
    if ((st = sf_ctl_truth(I, e->base, &v, "not", &t)) != SF_OK) return st;
    *out = sf_bool(!t);
  } else if (sf_np_is_scalar(&v) && v.kind == V_BOOL && op == '-') {
    st = sf_py_raise(I, e, BC_TYPEERR, "%s", sf_np_bool_negative);
  } else if (sf_np_is_scalar(&v) && (v.kind != V_FLOAT || op != '~')) {
    *out = sf_np_neg(&v, op);
  } else if (v.kind == V_INT || v.kind == V_BOOL) {
    int64_t x = v.kind == V_INT ? v.i : v.b;
    if (op == '-' && x == INT64_MIN) st = overflow(I, e, '-');
    else *out = sf_int(op == '-' ? -x : op == '~' ? ~x : x);
  } else if (v.kind == V_FLOAT && op != '~') {
    *out = sf_float(op == '-' ? -v.f : v.f);
  } else if (v.kind == V_TENSOR && op == '-') {
    int first = I->E.g->n;
    int64_t calls = I->py_calls;
    st = locate(I, e, sf_api_tensor_neg(I, e, &v, out));
    if (st == SF_OK && v.numpy) count_result(I, out, first, calls); /* a new array */
  } else if (v.kind == V_TENSOR && v.numpy && op == '+') { /* numpy.positive: a new array of the values (a 0-d one a scalar) */
    sf_tensor *t = sf_b_host_value(I, &v);
    /* x * 1 keeps x's dtype and every value's bits (-0.0, NaN); a bool array x + False (NumPy
     * copies a bool array, with a DeprecationWarning) */
    sf_val one = t && t->dtype == SF_BOOL ? sf_bool(false) : sf_int(1);
    np_work w = np_begin(I);
    st = np_end(I, w, locate(I, e, sf_numpy_binop(I, e, one.kind == V_BOOL ? '+' : '*', &one, &v, out)), out);
  } else if (v.kind == V_TENSOR && op == '~') { /* numpy.invert, Tensor.__invert__ (bitwise or logical not) */
    st = sf_error_at(I->err, e->line, e->col, SF_ENAME, "unsupported: ~ on a %s", v.numpy ? "NumPy array" : "tensor");
  } else {
    st = sf_py_raise(I, e, BC_TYPEERR, "bad operand type for unary %c: '%s'", op, tp_name(I, &v));
  }
  sf_val_drop(&v);
  return st;
}

static sf_status eval_seq(sf_interp *I, const sf_expr *e, sf_val *out) {
  bool has_star = false;
  for (int i = 0; i < e->nitems; i++) has_star |= e->items[i]->kind == SF_EX_STARRED;
  sf_otype t = e->kind == SF_EX_LIST ? O_LIST : O_TUPLE;
  if (!sf_list_new(t, has_star ? 0 : e->nitems, out)) return sf_py_oom(I);
  for (int i = 0; i < e->nitems; i++) {
    sf_status st;
    if (e->items[i]->kind == SF_EX_STARRED) {
      sf_val v = {0}, l = {0};
      if ((st = eval(I, e->items[i]->base, &v)) == SF_OK) {
        st = sf_py_to_list(I, e->items[i], &v, O_LIST, &l);
        sf_val_drop(&v);
      }
      for (int64_t k = 0; st == SF_OK && k < SF_LIST(&l)->n; k++)
        if (!sf_list_append(SF_LIST(out), &SF_LIST(&l)->items[k])) st = sf_py_oom(I);
      sf_val_drop(&l);
    } else if (has_star) {
      sf_val v = {0};
      if ((st = eval(I, e->items[i], &v)) == SF_OK) {
        if (!sf_list_append(SF_LIST(out), &v)) st = sf_py_oom(I);
        sf_val_drop(&v);
      }
    } else {
      st = eval(I, e->items[i], &SF_LIST(out)->items[i]);
    }
    if (st != SF_OK) return sf_val_drop(out), st;
  }
  return SF_OK;
}

/* A constant as CPython's AST optimizer folds it: a literal, a negated number, a tuple of
 * constants. */
static bool constant_expr(const sf_expr *e) {
  switch (e->kind) {
    case SF_EX_INT: case SF_EX_FLOAT: case SF_EX_STR: case SF_EX_BOOL: case SF_EX_NONE: return true;
    case SF_EX_NEG: return e->base->kind == SF_EX_INT || e->base->kind == SF_EX_FLOAT;
    case SF_EX_TUPLE:
      for (int i = 0; i < e->nitems; i++)
        if (!constant_expr(e->items[i])) return false;
      return true;
    default: return false;
  }
}

static sf_status eval_dict(sf_interp *I, const sf_expr *e, sf_val *out);

/* A set display of more than two constants is a frozenset constant CPython 3.11 compiles
 * (compile.c starunpack_helper) and merges into a new set (SET_UPDATE): its table is not the
 * one adding the items one by one makes. */
static sf_status eval_set_display(sf_interp *I, const sf_expr *e, sf_val *out) {
  bool folded = e->nitems > 2;
  for (int i = 0; folded && i < e->nitems; i++) folded = constant_expr(e->items[i]);
  if (!folded) return eval_dict(I, e, out);
  sf_val first = {0}, frozen = {0}, none = sf_none();
  sf_status st = eval_dict(I, e, &first);
  if (st != SF_OK) return st;
  /* the compiler's constant merging (merge_consts_recursive) builds the frozenset again
   * from the first one's iteration order */
  bool ok = sf_dict_new(O_SET, &frozen);
  int64_t pos = 0;
  for (const sf_dentry *x; ok && (x = sf_set_next(SF_DICT(&first), &pos));) ok = sf_dict_set(SF_DICT(&frozen), &x->key, &none);
  if (!ok || !sf_dict_new(O_SET, out)) st = sf_py_oom(I);
  else if (!sf_set_merge(SF_DICT(out), SF_DICT(&frozen))) st = sf_py_oom(I), sf_val_drop(out);
  sf_val_drop(&first);
  sf_val_drop(&frozen);
  return st;
}

/* What set.update, SET_UPDATE and set() do with an iterable (set_update_internal): a set's
 * elements merged, a dict's keys added after one resize, anything else added one by one. */
sf_status sf_py_set_update(sf_interp *I, const sf_expr *at, sf_dict *so, const sf_val *other) {
  sf_val none = sf_none();
  if (sf_is(other, O_SET)) return sf_set_merge(so, SF_DICT(other)) ? SF_OK : sf_py_oom(I);
  if (sf_is(other, O_DICT)) {
    const sf_dict *d = SF_DICT(other);
    if (!sf_set_reserve(so, d->n)) return sf_py_oom(I);
    for (int64_t j = 0; j < d->ne; j++)
      if (d->e[j].used && !sf_dict_set(so, &d->e[j].key, &none)) return sf_py_oom(I);
    return SF_OK;
  }
  sf_val l = {0};
  sf_status st = sf_py_to_list(I, at, other, O_LIST, &l);
  for (int64_t j = 0; st == SF_OK && j < SF_LIST(&l)->n; j++) {
    uint64_t h;
    if (!sf_hash(&SF_LIST(&l)->items[j], &h))
      st = sf_py_unhashable(I, at, &SF_LIST(&l)->items[j]);
    else if (!sf_dict_set(so, &SF_LIST(&l)->items[j], &none)) st = sf_py_oom(I);
  }
  sf_val_drop(&l);
  return st;
}

static sf_status eval_dict(sf_interp *I, const sf_expr *e, sf_val *out) {
  bool set = e->kind == SF_EX_SET;
  if (!sf_dict_new(set ? O_SET : O_DICT, out)) return sf_py_oom(I);
  sf_status st = SF_OK;
  int step = set ? 1 : 2;
  for (int i = 0; st == SF_OK && i < e->nitems; i += step) {
    sf_val k, v = sf_none();
    if (set) {
      if (e->items[i]->kind == SF_EX_STARRED) { /* SET_UPDATE */
        sf_val s = {0};
        if ((st = eval(I, e->items[i]->base, &s)) != SF_OK) break;
        st = sf_py_set_update(I, e->items[i], SF_DICT(out), &s);
        sf_val_drop(&s);
        continue;
      }
      if ((st = eval(I, e->items[i], &k)) != SF_OK) break;
    } else if (!e->items[i]) { /* **mapping */
      sf_val m = {0};
      if ((st = eval(I, e->items[i + 1], &m)) != SF_OK) break;
      if (!sf_is(&m, O_DICT)) st = sf_py_raise(I, e->items[i + 1], BC_TYPEERR, "'%s' object is not a mapping", sf_type_name(&m));
      for (int64_t j = 0; st == SF_OK && j < SF_DICT(&m)->ne; j++)
        if (SF_DICT(&m)->e[j].used && !sf_dict_set(SF_DICT(out), &SF_DICT(&m)->e[j].key, &SF_DICT(&m)->e[j].value)) st = sf_py_oom(I);
      sf_val_drop(&m);
      continue;
    } else {
      if ((st = eval(I, e->items[i], &k)) != SF_OK) break;
      if ((st = eval(I, e->items[i + 1], &v)) != SF_OK) {
        sf_val_drop(&k);
        break;
      }
    }
    uint64_t h;
    if (!sf_hash(&k, &h)) st = sf_py_unhashable(I, e->items[i], &k);
    else if (!sf_dict_set(SF_DICT(out), &k, &v)) st = sf_py_oom(I);
    sf_val_drop(&k);
    sf_val_drop(&v);
  }
  if (st != SF_OK) sf_val_drop(out);
  return st;
}

/* One level of a comprehension: clause k, then the element. */
static sf_status comp_level(sf_interp *I, const sf_expr *e, int k, sf_val *acc) {
  if (k == e->nitems) {
    sf_val x = {0}, y = {0};
    sf_status st = eval(I, e->base, &x);
    if (st != SF_OK) return st;
    if (e->op == 'd') {
      if ((st = eval(I, e->rhs, &y)) == SF_OK) {
        if (!sf_dict_set(SF_DICT(acc), &x, &y)) st = sf_py_unhashable(I, e->base, &x);
        sf_val_drop(&y);
      }
    } else if (e->op == 's') {
      y = sf_none();
      if (!sf_dict_set(SF_DICT(acc), &x, &y)) st = sf_py_unhashable(I, e->base, &x);
    } else if (!sf_list_append(SF_LIST(acc), &x)) {
      st = sf_py_oom(I);
    }
    sf_val_drop(&x);
    return st;
  }
  const sf_expr *c = e->items[k];
  sf_val seq = {0}, it = {0}, x = {0};
  sf_status st = eval(I, c->rhs, &seq);
  if (st != SF_OK) return st;
  st = sf_py_iter(I, c->rhs, &seq, &it);
  sf_val_drop(&seq);
  bool done = false;
  while (st == SF_OK) {
    if ((st = sf_py_next(I, c->rhs, &it, &x, &done)) != SF_OK || done) break;
    bool keep = true;
    st = comp_item(I, c, &x, &keep);
    if (st == SF_OK && keep) st = comp_level(I, e, k + 1, acc);
  }
  if (it.kind == V_OBJ) sf_val_drop(&it);
  return st;
}

static sf_status eval_comp(sf_interp *I, const sf_expr *e, sf_val *out) {
  bool ok = e->op == 'd' ? sf_dict_new(O_DICT, out) : e->op == 's' ? sf_dict_new(O_SET, out) : sf_list_new(O_LIST, 0, out);
  if (!ok) return sf_py_oom(I);
  /* the loop variables live in the comprehension's own scope */
  sf_scope *s = scope_new(PY(I)->scope == PY(I)->globals ? NULL : PY(I)->scope);
  if (!s) return sf_val_drop(out), sf_py_oom(I);
  sf_scope *saved = PY(I)->scope;
  PY(I)->scope = s;
  sf_status st = comp_level(I, e, 0, out);
  PY(I)->scope = saved;
  sf_val sv = sf_obj_val(s);
  sf_val_drop(&sv);
  if (st != SF_OK) sf_val_drop(out);
  return st;
}

static sf_status eval_fstring(sf_interp *I, const sf_expr *e, sf_val *out) {
  sf_buf b = {0};
  sf_status st = SF_OK;
  for (int i = 0; st == SF_OK && i < e->nitems; i++) {
    const sf_expr *p = e->items[i];
    if (p->kind == SF_EX_STR) {
      sf_buf_puts(&b, p->name);
      continue;
    }
    sf_val v, spec = sf_none();
    if ((st = eval(I, p->base, &v)) != SF_OK) break;
    if (p->rhs) st = eval_fstring(I, p->rhs, &spec);
    if (st == SF_OK && p->op) {
      sf_val s = {0};
      if ((st = p->op == 'a' ? sf_py_ascii(I, &v, &s) : sf_py_str(I, &v, p->op != 's', &s)) == SF_OK) {
        sf_val_drop(&v);
        v = s;
      }
    }
    if (st == SF_OK) st = sf_py_format(I, p, &b, &v, spec.kind == V_OBJ ? SF_STR(&spec)->s : "");
    sf_val_drop(&v);
    sf_val_drop(&spec);
  }
  if (st == SF_OK && (b.oom || !sf_str_new(b.s ? b.s : "", b.n, out))) st = sf_py_oom(I);
  free(b.s);
  return st;
}

static sf_status make_function(sf_interp *I, const sf_stmt *def, sf_val *out) {
  sf_func *f = sf_obj_alloc(O_FUNC, sizeof *f);
  if (!f) return sf_py_oom(I);
  *out = sf_obj_val(f);
  f->def = def;
  f->slot = -1;
  f->qualname = def->name;
  /* Python's __qualname__: f.<locals>.g inside a function, C.m inside a class body */
  const char *prefix = PY(I)->scope->is_class ? PY(I)->scope->qualname
                       : PY(I)->scope != PY(I)->globals && PY(I)->cur_func ? PY(I)->cur_func->qualname : NULL;
  if (prefix) {
    char buf[512];
    snprintf(buf, sizeof buf, PY(I)->scope->is_class ? "%s.%s" : "%s.<locals>.%s", prefix, def->name);
    if (!(f->qualname = sf_arena_strdup(&I->arena, buf))) return sf_val_drop(out), sf_py_oom(I);
  }
  sf_scope *s = PY(I)->scope;
  if (s && s->is_class) s = s->parent;
  if (s && s != PY(I)->globals) {
    f->closure = s;
    s->h.rc++;
  }
  int n = def->nparams;
  f->defaults = calloc((size_t)n + 1, sizeof *f->defaults);
  f->has_default = calloc((size_t)n + 1, sizeof *f->has_default);
  if (!f->defaults || !f->has_default) return sf_val_drop(out), sf_py_oom(I);
  for (int i = 0; i < n; i++) {
    if (!def->defaults || !def->defaults[i]) continue;
    sf_status st = eval(I, def->defaults[i], &f->defaults[i]);
    if (st != SF_OK) return sf_val_drop(out), st;
    f->has_default[i] = true;
  }
  return SF_OK;
}

static sf_status eval_call(sf_interp *I, const sf_expr *e, sf_val *out) {
  /* super() with no arguments: the method's class and its first parameter */
  if (e->base->kind == SF_EX_NAME && strcmp(e->base->name, "super") == 0 && e->nitems == 0 &&
      !scope_get(PY(I)->globals, "super", name_hash("super"))) {
    sf_scope *s = PY(I)->scope;
    sf_val *self = NULL;
    sf_class *owner = NULL;
    for (int i = 0; s != PY(I)->globals && i < s->cap && !self; i++)
      if (s->b[i].name && s->b[i].hash && strcmp(s->b[i].name, "self") == 0) self = &s->b[i].v;
    if (PY(I)->cur_func) owner = PY(I)->cur_func->owner;
    if (!self || !owner) return sf_py_raise(I, e, BC_RUNTIME, "super(): no arguments");
    sf_val cv = sf_obj_val(owner);
    return bound_new(self, &cv, "<super>", out) ? SF_OK : sf_py_oom(I);
  }
  /* super(Class, self): the class given and the instance */
  if (e->base->kind == SF_EX_NAME && strcmp(e->base->name, "super") == 0 && e->nitems == 2 && !e->nkw &&
      e->items[0]->kind != SF_EX_STARRED && e->items[1]->kind != SF_EX_STARRED &&
      !scope_get(PY(I)->globals, "super", name_hash("super"))) {
    sf_val cv = {0}, self = {0};
    sf_status st = eval(I, e->items[0], &cv);
    if (st == SF_OK) st = eval(I, e->items[1], &self);
    if (st == SF_OK && !sf_is(&cv, O_CLASS))
      st = sf_py_raise(I, e->items[0], BC_TYPEERR, "super() argument 1 must be a type, not %s", sf_type_name(&cv));
    if (st == SF_OK && !sf_py_isinstance(I, &self, (sf_class *)cv.o))
      st = sf_py_raise(I, e->items[1], BC_TYPEERR, "super(type, obj): obj must be an instance or subtype of type");
    if (st == SF_OK && !bound_new(&self, &cv, "<super>", out)) st = sf_py_oom(I);
    sf_val_drop(&cv);
    sf_val_drop(&self);
    return st;
  }
  sf_val fn = {0}, self; /* x.method(...): the method's self lives as long as the call */
  int made = I->E.g->n;
  int64_t stores = I->store_calls;
  sf_status st = e->base->kind == SF_EX_ATTR ? eval_attr(I, e->base, &fn, &self) : eval(I, e->base, &fn);
  if (st != SF_OK) return st;
  sf_args a;
  if ((st = eval_args(I, e, &a)) == SF_OK) {
    int line = I->line, fresh = I->np_fresh;
    I->np_fresh = fresh_since(I, made, stores);
    st = sf_py_call(I, &fn, &a, out);
    I->np_fresh = fresh;
    I->line = line;
    free_args(&a);
  }
  /* a NumPy array's handle, which attr_of moved into the method's self */
  if (fn.kind == V_METHOD && fn.items == &self && self.kind == V_TENSOR && self.numpy) sf_val_drop(&self);
  sf_val_drop(&fn);
  return st;
}

static sf_status eval(sf_interp *I, const sf_expr *e, sf_val *out) {
  *out = sf_none();
  switch (e->kind) {
    case SF_EX_NAME: return eval_name(I, e, out);
    case SF_EX_ATTR: return eval_attr(I, e, out, NULL);
    case SF_EX_INT: *out = sf_int(e->i); return SF_OK;
    case SF_EX_FLOAT: *out = sf_float(e->f); return SF_OK;
    case SF_EX_STR: return sf_str_cstr(e->name, out) ? SF_OK : sf_py_oom(I);
    case SF_EX_BOOL: *out = sf_bool(e->b); return SF_OK;
    case SF_EX_NONE: if (e->b) out->kind = V_ELLIPSIS; return SF_OK;  /* b: `...` */
    case SF_EX_LIST: case SF_EX_TUPLE: return eval_seq(I, e, out);
    case SF_EX_DICT: return eval_dict(I, e, out);
    case SF_EX_SET: return eval_set_display(I, e, out);
    case SF_EX_CALL: return eval_call(I, e, out);
    case SF_EX_NEG: case SF_EX_UNARY: return eval_unary(I, e, out);
    case SF_EX_BINOP: {
      sf_val a = {0}, b = {0};
      sf_status st = eval(I, e->base, &a);
      if (st != SF_OK) return st;
      if ((st = eval(I, e->rhs, &b)) == SF_OK) {
        st = program_binop(I, e, e->op, &a, &b, out);
        sf_val_drop(&b);
      }
      sf_val_drop(&a);
      return st;
    }
    case SF_EX_BOOLOP: {
      for (int i = 0; i < e->nitems; i++) {
        sf_status st = eval(I, e->items[i], out);
        if (st != SF_OK) return st;
        if (sf_py_lazy_error(I, e->items[i], out, &st)) return sf_val_drop(out), st;
        bool t = sf_truthy(I, out);
        if (i + 1 == e->nitems || (e->op == 'a' ? !t : t)) return SF_OK;
        sf_val_drop(out);
      }
      return SF_OK;
    }
    case SF_EX_COMPARE: return eval_compare(I, e, out);
    case SF_EX_IFEXP: {
      sf_val c = {0};
      sf_status st = eval(I, e->items[0], &c);
      if (st != SF_OK) return st;
      if (sf_py_lazy_error(I, e->items[0], &c, &st)) return st;
      bool t = sf_truthy(I, &c);
      sf_val_drop(&c);
      return eval(I, e->items[t ? 1 : 2], out);
    }
    case SF_EX_SUBSCRIPT: {
      sf_val v = {0}, k = {0};
      int made = I->E.g->n, fresh = I->np_fresh;
      int64_t stores = I->store_calls;
      sf_status st = eval(I, e->base, &v);
      if (st != SF_OK) return st;
      if ((st = e->rhs->kind == SF_EX_SLICE ? eval_slice(I, e->rhs, &k) : eval(I, e->rhs, &k)) == SF_OK) {
        I->np_fresh = fresh_since(I, made, stores);
        st = sf_py_getitem(I, e, &v, &k, out);
        I->np_fresh = fresh;
        sf_val_drop(&k);
      }
      sf_val_drop(&v);
      return st;
    }
    case SF_EX_SLICE: return eval_slice(I, e, out);
    case SF_EX_COMP:
      return e->op == 'g' ? gen_new(I, e, out) : eval_comp(I, e, out);
    case SF_EX_LAMBDA: return make_function(I, e->def, out);
    case SF_EX_FSTRING: return eval_fstring(I, e, out);
    case SF_EX_STARRED: return sf_error_at(I->err, e->line, e->col, SF_ESYNTAX, "can't use starred expression here");
    case SF_EX_FORMAT: case SF_EX_COMPFOR: break;
  }
  return sf_error_at(I->err, e->line, e->col, SF_EINTERNAL, "unknown expression");
}

/* ---- statements ---- */

static bool decorator_is_tf_function(const sf_expr *d) {
  if (d->kind == SF_EX_CALL) d = d->base;
  return d->kind == SF_EX_ATTR && strcmp(d->name, "function") == 0 && d->base->kind == SF_EX_NAME &&
         (strcmp(d->base->name, "tf") == 0 || strcmp(d->base->name, "tensorflow") == 0);
}

int sf_interp_new_tf_function(sf_interp *I, sf_func *f);

static sf_status exec_def(sf_interp *I, const sf_stmt *s) {
  sf_val f = {0};
  sf_status st = make_function(I, s, &f);
  if (st != SF_OK) return st;
  for (int i = s->ndecorators - 1; i >= 0; i--) {
    const sf_expr *d = s->decorators[i];
    if (decorator_is_tf_function(d) && sf_is(&f, O_FUNC)) {
      int slot = sf_interp_new_tf_function(I, (sf_func *)f.o);
      if (slot < 0) return sf_val_drop(&f), sf_py_oom(I);
      ((sf_func *)f.o)->slot = slot;
      continue;
    }
    sf_val dec = {0}, r = {0};
    if ((st = eval(I, d, &dec)) != SF_OK) return sf_val_drop(&f), st;
    sf_args a = {.call = d, .pos = &f, .npos = 1};
    st = sf_py_call(I, &dec, &a, &r);
    sf_val_drop(&dec);
    sf_val_drop(&f);
    if (st != SF_OK) return st;
    f = r;
  }
  st = bind(I, s->name, &f);
  sf_val_drop(&f);
  return st;
}

static sf_status exec_class(sf_interp *I, const sf_stmt *s) {
  sf_class *base = NULL;
  if (s->nlhs > 1) return sf_error_at(I->err, s->line, s->col, SF_ENAME, "unsupported: multiple inheritance in class '%s'", s->name);
  sf_val bv = sf_none();
  if (s->nlhs == 1) {
    sf_status st = eval(I, s->lhs[0], &bv);
    if (st != SF_OK) return st;
    if ((bv.kind == V_MODULE || bv.kind == V_BUILTIN) && bv.s &&
        (sf_tape_base_class(I, bv.s, &bv, &st) || sf_keras_base_class(I, bv.s, &bv, &st)) && st != SF_OK)
      return st;
    if (!sf_is(&bv, O_CLASS)) {
      sf_status r = bv.kind == V_BUILTIN || bv.kind == V_MODULE
                        ? sf_error_at(I->err, s->lhs[0]->line, s->lhs[0]->col, SF_ENAME,
                                      "unsupported: class '%s' derives from '%s'", s->name, bv.s ? bv.s : "?")
                        : sf_py_raise(I, s->lhs[0], BC_TYPEERR, "class '%s': base is not a class", s->name);
      sf_val_drop(&bv);
      return r;
    }
    base = (sf_class *)bv.o;
  } else {
    base = PY(I)->cls[BC_OBJECT];
    base->h.rc++;
  }
  sf_class *c = sf_obj_alloc(O_CLASS, sizeof *c);
  if (!c || !(c->attrs = sf_dict_alloc(O_DICT))) return free(c), sf_val_drop(&bv), sf_py_oom(I);
  c->name = s->name;
  c->base = base;  /* takes bv's reference */
  c->exception = base->exception;
  sf_val cv = sf_obj_val(c);
  sf_scope *body = scope_new(PY(I)->scope == PY(I)->globals ? NULL : PY(I)->scope);
  if (!body) return sf_val_drop(&cv), sf_py_oom(I);
  body->is_class = true;
  body->qualname = s->name;
  if (PY(I)->scope->is_class || (PY(I)->scope != PY(I)->globals && PY(I)->cur_func)) {
    char buf[512];
    snprintf(buf, sizeof buf, PY(I)->scope->is_class ? "%s.%s" : "%s.<locals>.%s",
             PY(I)->scope->is_class ? PY(I)->scope->qualname : PY(I)->cur_func->qualname, s->name);
    if (!(body->qualname = sf_arena_strdup(&I->arena, buf))) return sf_val_drop(&cv), sf_py_oom(I);
  }
  c->qualname = body->qualname;
  sf_scope *saved = PY(I)->scope;
  PY(I)->scope = body;
  sf_status st = exec_block(I, s->body, s->nbody);
  PY(I)->scope = saved;
  /* special methods seedflow would not call: a located error, not a silent difference */
  static const char *const uncalled[] = {"__setattr__", "__delattr__", "__getattribute__", "__getattr__", "__new__",
                                         "__init_subclass__", "__del__", "__set_name__", "__get__", "__set__", "__delete__",
                                         "__class_getitem__", "__missing__", "__slots__"};
  for (int i = 0; st == SF_OK && i < body->cap; i++) {
    sf_binding2 *b = &body->b[i];
    if (!b->name || !b->hash) continue;
    for (size_t k = 0; st == SF_OK && k < sizeof uncalled / sizeof *uncalled; k++)
      if (!strcmp(b->name, uncalled[k]))
        st = sf_error_at(I->err, s->line, s->col, SF_ENAME, "unsupported: class '%s' defines %s (seedflow does not %s it)", s->name,
                         b->name, strcmp(b->name, "__slots__") == 0 ? "enforce" : "call");
    if (st != SF_OK) break;
    if (sf_is(&b->v, O_FUNC) && !((sf_func *)b->v.o)->owner) ((sf_func *)b->v.o)->owner = c;
    if (!sf_dict_set_str(c->attrs, b->name, &b->v)) st = sf_py_oom(I);
  }
  sf_val sv = sf_obj_val(body);
  sf_val_drop(&sv);
  for (int i = s->ndecorators - 1; st == SF_OK && i >= 0; i--) {
    sf_val dec = {0}, r = {0};
    if ((st = eval(I, s->decorators[i], &dec)) != SF_OK) break;
    sf_args a = {.call = s->decorators[i], .pos = &cv, .npos = 1};
    st = sf_py_call(I, &dec, &a, &r);
    sf_val_drop(&dec);
    if (st == SF_OK) {
      sf_val_drop(&cv);
      cv = r;
    }
  }
  if (st == SF_OK) st = bind(I, s->name, &cv);
  sf_val_drop(&cv);
  return st;
}

/* A module a program imports: the tf/np API as a path, or a native module. */
static sf_status import_module(sf_interp *I, const sf_stmt *s, const char *module, sf_val *out) {
  static const char *const aliases[][2] = {{"tensorflow", "tf"}, {"numpy", "np"}, {"keras", "keras"}, {"tf_keras", "keras"}};
  for (size_t k = 0; k < sizeof aliases / sizeof *aliases; k++) {
    size_t n = strlen(aliases[k][0]);
    if (strncmp(module, aliases[k][0], n) == 0 && (module[n] == '\0' || module[n] == '.')) {
      char path[256];
      snprintf(path, sizeof path, "%s%s", aliases[k][1], module + n);
      const char *p = sf_arena_strdup(&I->arena, path);
      if (!p) return sf_py_oom(I);
      *out = (sf_val){.kind = V_MODULE, .s = p};
      return SF_OK;
    }
  }
  bool found;
  sf_status st = sf_py_import_native(I, module, out, &found);
  if (st != SF_OK || found) return st;
  return sf_error_at(I->err, s->line, s->col, SF_ENAME,
                     "unsupported module '%s' (seedflow provides tensorflow, keras, numpy, math, random, os, time, sys, "
                     "warnings, logging, functools, itertools)", module);
}

static sf_status exec_import(sf_interp *I, const sf_stmt *s) {
  if (strcmp(s->name, "__future__") == 0) return SF_OK;
  sf_val m = sf_none();
  sf_status st;
  if (!s->params) { /* import a.b.c [as x] */
    char first[128];
    snprintf(first, sizeof first, "%.*s", (int)strcspn(s->name, "."), s->name);
    st = import_module(I, s, s->vararg ? s->name : first, &m);
    if (st == SF_OK && s->vararg == NULL && strcmp(first, s->name) != 0) {
      /* import os.path binds os; check the submodule exists */
      sf_val sub = sf_none();
      if ((st = import_module(I, s, s->name, &sub)) == SF_OK) sf_val_drop(&sub);
    }
    if (st == SF_OK) st = bind(I, s->targets[0], &m);
    sf_val_drop(&m);
    return st;
  }
  if ((st = import_module(I, s, s->name, &m)) != SF_OK) return st;
  for (int i = 0; st == SF_OK && i < s->nparams; i++) {
    sf_val v = sf_none();
    if (m.kind == V_MODULE) {
      st = api_path(I, m.s, s->params[i], &v);
    } else if (!sf_py_getattr(I, &m, s->params[i], &v, &st)) {
      char sub[256];
      snprintf(sub, sizeof sub, "%s.%s", s->name, s->params[i]);
      bool found;
      if (st == SF_OK && (st = sf_py_import_native(I, sub, &v, &found)) == SF_OK && !found)
        st = sf_py_raise(I, NULL, BC_IMPORTERR, "cannot import name '%s' from '%s'", s->params[i], s->name);
    }
    if (st == SF_OK) st = bind(I, s->targets[i], &v);
    sf_val_drop(&v);
  }
  sf_val_drop(&m);
  return st;
}

/* Runs a loop's body once and settles its control flow: `continue` is done with, `break`
 * ends the loop (*broke), so do `return` and an error. True when the loop must stop. */
static bool loop_body(sf_interp *I, const sf_stmt *s, sf_status *st, bool *broke) {
  *st = exec_block(I, s->body, s->nbody);
  if (PY(I)->flow == FLOW_CONTINUE) PY(I)->flow = FLOW_NONE;
  if (PY(I)->flow == FLOW_BREAK) {
    PY(I)->flow = FLOW_NONE;
    *broke = true;
  }
  return *st != SF_OK || *broke || PY(I)->flow == FLOW_RETURN;
}

/* for x in <tensor>: its rows; inside a tf.function AutoGraph's loop, unrolled with the
 * body traced as one (api_control.c). */
static sf_status exec_tensor_for(sf_interp *I, const sf_stmt *s, sf_val *seq, bool *broke) {
  sf_val rows = {0};
  sf_ctl_frame f;
  pin_value(I, seq, 0);
  sf_status st = sf_ctl_elements(I, s->value, seq, &rows);
  sf_val_drop(seq);
  if (st != SF_OK) return st;
  if ((st = sf_ctl_loop(I, s->value, &f)) == SF_OK)
    for (int64_t k = 0; k < SF_LIST(&rows)->n; k++) {
      sf_ctl_iter(I, &f);
      if ((st = assign(I, s->target, &SF_LIST(&rows)->items[k])) != SF_OK || loop_body(I, s, &st, broke)) break;
    }
  sf_val_drop(&rows);
  return sf_ctl_leave(I, &f, st);
}

static sf_status exec_for(sf_interp *I, const sf_stmt *s) {
  sf_val seq = {0}, it = {0}, x = {0};
  sf_status st = eval(I, s->value, &seq);
  if (st != SF_OK) return st;
  bool broke = false;
  if (seq.kind == V_TENSOR && !seq.numpy) {
    st = exec_tensor_for(I, s, &seq, &broke);
  } else if (sf_is(&seq, O_RANGE) && s->target->kind == SF_EX_NAME) { /* the common loop without an iterator */
    sf_range r = *(sf_range *)seq.o;
    for (int64_t v = r.start; st == SF_OK && (r.step > 0 ? v < r.stop : v > r.stop); v += r.step) {
      x = sf_int(v);
      if ((st = bind(I, s->target->name, &x)) != SF_OK) break;
      if (loop_body(I, s, &st, &broke)) break;
    }
    sf_val_drop(&seq);
  } else {
    st = sf_py_iter(I, s->value, &seq, &it);
    sf_val_drop(&seq);
    if (st != SF_OK) return st;
    bool done = false;
    while (st == SF_OK) {
      if ((st = sf_py_next(I, s->value, &it, &x, &done)) != SF_OK || done) break;
      st = assign(I, s->target, &x);
      sf_val_drop(&x);
      if (st != SF_OK) break;
      if (loop_body(I, s, &st, &broke)) break;
    }
    sf_val_drop(&it);
  }
  if (st == SF_OK && !broke && PY(I)->flow == FLOW_NONE) st = exec_block(I, s->orelse, s->norelse);
  return st;
}

static sf_status exec_while(sf_interp *I, const sf_stmt *s) {
  bool broke = false;
  sf_ctl_frame f = {0}; /* `while <tensor>` in a tf.function: AutoGraph's loop (api_control.c) */
  sf_status st = SF_OK;
  for (;;) {
    sf_val c = {0};
    sf_ctl_cond(I, &f);
    if ((st = eval(I, s->value, &c)) != SF_OK) break;
    bool t;
    if (c.kind == V_TENSOR) pin_value(I, &c, 0);
    st = sf_ctl_truth(I, s->value, &c, "a while loop", &t);
    if (st == SF_OK && t && c.kind == V_TENSOR && !f.active && !I->ctx.eager) st = sf_ctl_loop(I, s->value, &f);
    sf_val_drop(&c);
    if (st != SF_OK || !t) break;
    sf_ctl_iter(I, &f);
    if (loop_body(I, s, &st, &broke)) break;
  }
  if ((st = sf_ctl_leave(I, &f, st)) != SF_OK) return st;
  if (!broke && PY(I)->flow == FLOW_NONE) return exec_block(I, s->orelse, s->norelse);
  return SF_OK;
}

/* if <tensor>: its value; inside a tf.function AutoGraph's tf.cond, the branch traced as
 * a graph of its own (api_control.c). */
static sf_status exec_tensor_if(sf_interp *I, const sf_stmt *s, sf_val *v) {
  bool t;
  sf_ctl_frame f;
  pin_value(I, v, 0);
  sf_status st = sf_ctl_truth(I, s->value, v, "an if statement", &t);
  sf_val_drop(v);
  if (st != SF_OK || (st = sf_ctl_branch(I, s->value, &f, s, t)) != SF_OK) return st;
  st = t ? exec_block(I, s->body, s->nbody) : exec_block(I, s->orelse, s->norelse);
  return sf_ctl_leave(I, &f, st);
}

static bool handler_matches(sf_interp *I, const sf_val *exc, const sf_val *type) {
  sf_class *k = ((sf_inst *)exc->o)->cls;
  if (sf_is(type, O_CLASS)) return subclass(k, (sf_class *)type->o);
  if (sf_is(type, O_TUPLE)) {
    for (int64_t i = 0; i < SF_LIST(type)->n; i++)
      if (handler_matches(I, exc, &SF_LIST(type)->items[i])) return true;
  }
  return false;
}

static sf_status exec_try(sf_interp *I, const sf_stmt *s) {
  sf_status st = exec_block(I, s->body, s->nbody);
  sf_val exc = {0};
  if (st != SF_OK && s->nhandlers && current_exception(I, st, &exc)) {
    for (int i = 0; i < s->nhandlers; i++) {
      const sf_stmt *h = s->handlers[i];
      bool match = !h->value;
      if (h->value) {
        sf_val type = {0};
        sf_status st2 = eval(I, h->value, &type);
        if (st2 != SF_OK) {
          sf_val_drop(&exc);
          return st2;
        }
        match = handler_matches(I, &exc, &type);
        sf_val_drop(&type);
      }
      if (!match) continue;
      clear_exception(I);
      sf_val saved = PY(I)->handling;
      PY(I)->handling = exc;
      st = h->name ? bind(I, h->name, &exc) : SF_OK;
      if (st == SF_OK) st = exec_block(I, h->body, h->nbody);
      PY(I)->handling = saved;
      if (h->name) scope_del(store_scope(I, h->name), h->name);
      break;
    }
    sf_val_drop(&exc);
  } else if (st == SF_OK && PY(I)->flow == FLOW_NONE) {
    st = exec_block(I, s->orelse, s->norelse);
  }
  if (!s->has_finally) return st;
  sf_builtin_class bc;
  if (st != SF_OK && PY(I)->exc.kind != V_OBJ && !engine_exception(I, st, &bc))
    return st; /* the run stops here: no `finally` may swallow that with a jump of its own */
  /* finally runs whatever happened; its own error or jump wins */
  sf_error saved_err = *I->err;
  sf_val saved_exc = PY(I)->exc, saved_ret = PY(I)->ret;
  sf_flow saved_flow = PY(I)->flow;
  PY(I)->exc = sf_none();
  PY(I)->ret = sf_none();
  PY(I)->flow = FLOW_NONE;
  sf_status fst = exec_block(I, s->finalbody, s->nfinalbody);
  if (fst != SF_OK || PY(I)->flow != FLOW_NONE) {
    sf_val_drop(&saved_exc);
    sf_val_drop(&saved_ret);
    return fst;
  }
  *I->err = saved_err;
  PY(I)->exc = saved_exc;
  PY(I)->ret = saved_ret;
  PY(I)->flow = saved_flow;
  return st;
}

static sf_status exec_raise(sf_interp *I, const sf_stmt *s) {
  if (!s->value) {
    if (PY(I)->handling.kind != V_OBJ) return sf_py_raise(I, NULL, BC_RUNTIME, "No active exception to reraise");
    return raise_value(I, NULL, &PY(I)->handling);
  }
  sf_val v = {0}, exc = {0};
  sf_status st = eval(I, s->value, &v);
  if (st != SF_OK) return st;
  if (sf_is(&v, O_CLASS) && ((sf_class *)v.o)->exception) {
    sf_args a = {.call = s->value};
    st = sf_py_call(I, &v, &a, &exc);
    sf_val_drop(&v);
    if (st != SF_OK) return st;
    v = exc;
  }
  if (!sf_is(&v, O_INST) || !((sf_inst *)v.o)->cls->exception) {
    sf_val_drop(&v);
    return sf_py_raise(I, s->value, BC_TYPEERR, "exceptions must derive from BaseException");
  }
  st = raise_value(I, s->value, &v);
  sf_val_drop(&v);
  return st;
}

static sf_status exec_with(sf_interp *I, const sf_stmt *s) {
  sf_val ctx = {0}, entered = {0};
  sf_status st = eval(I, s->value, &ctx);
  if (st != SF_OK) return st;
  bool found = sf_py_call_method(I, s->value, &ctx, "__enter__", 0, NULL, &entered, &st);
  if (st == SF_OK && !found) {
    st = ctx.kind != V_OBJ ? sf_error_at(I->err, s->value->line, s->value->col, SF_ENAME,
                                         "unsupported: 'with' on a %s (no __enter__)", sf_type_name(&ctx))
                           : sf_py_raise(I, s->value, BC_TYPEERR, "'%s' object does not support the context manager protocol",
                                         sf_type_name(&ctx));
  }
  if (st != SF_OK) return sf_val_drop(&ctx), st;
  if (s->target) st = assign(I, s->target, &entered);
  sf_val_drop(&entered);
  if (st == SF_OK) st = exec_block(I, s->body, s->nbody);
  sf_val exc = sf_none(), r;
  bool have_exc = st != SF_OK && current_exception(I, st, &exc);
  sf_val args[3] = {sf_none(), sf_none(), sf_none()};
  if (have_exc) {
    args[0] = sf_obj_val(((sf_inst *)exc.o)->cls);
    args[1] = exc;
  }
  sf_error saved = *I->err;
  sf_val saved_exc = PY(I)->exc;
  PY(I)->exc = sf_none();
  sf_status xst;
  found = sf_py_call_method(I, s->value, &ctx, "__exit__", 3, args, &r, &xst);
  if (xst == SF_OK && found) {
    bool suppress = have_exc && sf_truthy(I, &r);
    sf_val_drop(&r);
    if (suppress) {
      sf_val_drop(&saved_exc);
      st = SF_OK;
      sf_error_clear(I->err);
    } else {
      *I->err = saved;
      PY(I)->exc = saved_exc;
    }
  } else {
    sf_val_drop(&saved_exc);
    if (xst == SF_OK) *I->err = saved;
    st = xst != SF_OK ? xst : st;
  }
  sf_val_drop(&exc);
  sf_val_drop(&ctx);
  return st;
}

static sf_status exec_del(sf_interp *I, const sf_stmt *s) {
  for (int i = 0; i < s->nlhs; i++) {
    const sf_expr *t = s->lhs[i];
    sf_status st = SF_OK;
    if (t->kind == SF_EX_NAME) {
      if (!scope_del(store_scope(I, t->name), t->name)) st = sf_py_raise(I, t, BC_NAMEERR, "name '%s' is not defined", t->name);
    } else if (t->kind == SF_EX_SUBSCRIPT) {
      sf_val v = {0}, k = {0};
      if ((st = eval(I, t->base, &v)) != SF_OK) return st;
      if ((st = t->rhs->kind == SF_EX_SLICE ? eval_slice(I, t->rhs, &k) : eval(I, t->rhs, &k)) == SF_OK) {
        if (sf_is(&v, O_DICT)) {
          if ((st = sf_py_need_hash(I, t, &k)) == SF_OK && !sf_dict_del(SF_DICT(&v), &k)) st = sf_py_raise_key(I, t, &k);
        } else if (sf_is(&v, O_LIST) && !sf_is(&k, O_SLICE)) {
          int64_t j;
          sf_list *l = SF_LIST(&v);
          if ((st = index_of(I, t, &k, l->n, "list assignment", &j)) == SF_OK) {
            sf_val_drop(&l->items[j]);
            memmove(l->items + j, l->items + j + 1, (size_t)(l->n - j - 1) * sizeof *l->items);
            l->n--;
          }
        } else if (v.kind == V_TENSOR && v.numpy) { /* array_ass_sub with no value */
          st = sf_py_raise(I, t, BC_VALUEERR, "cannot delete array elements");
        } else if (sf_is(&v, O_LIST)) {
          sf_val empty = {0};
          if (!sf_list_new(O_LIST, 0, &empty)) st = sf_py_oom(I);
          else {
            st = setitem(I, t, &v, &k, &empty, 0);
            sf_val_drop(&empty);
          }
        } else {
          st = sf_py_raise(I, t, BC_TYPEERR, "'%s' object does not support item deletion", tp_name(I, &v));
        }
        sf_val_drop(&k);
      }
      sf_val_drop(&v);
    } else if (t->kind == SF_EX_ATTR) {
      sf_val v = {0};
      if ((st = eval(I, t->base, &v)) != SF_OK) return st;
      sf_val key = {0};
      if (!sf_is(&v, O_INST)) st = sf_py_raise(I, t, BC_ATTRERR, "cannot delete attribute '%s'", t->name);
      else if (!sf_str_cstr(t->name, &key)) st = sf_py_oom(I);
      else {
        if (!sf_dict_del(((sf_inst *)v.o)->attrs, &key)) st = sf_py_raise(I, t, BC_ATTRERR, "%s", t->name);
        sf_val_drop(&key);
      }
      sf_val_drop(&v);
    } else {
      for (int k = 0; st == SF_OK && k < t->nitems; k++) {
        sf_stmt one = *s;
        one.lhs = &t->items[k];
        one.nlhs = 1;
        st = exec_del(I, &one);
      }
    }
    if (st != SF_OK) return st;
  }
  return SF_OK;
}

/* s |= t, &=, -=, ^= of two sets change s itself (setobject.c set_ior: set_update_internal;
 * set_iand: the intersection's table swapped in; set_isub: t's elements discarded, then a
 * table over 1/4 dummies rebuilt; set_ixor: t's elements toggled). */
static sf_status set_inplace(sf_interp *I, char op, const sf_val *cur, const sf_val *rhs) {
  sf_dict *so = SF_DICT(cur), *other = SF_DICT(rhs);
  if (op == '|') return sf_set_merge(so, other) ? SF_OK : sf_py_oom(I);
  if (op == '&') {
    sf_val tmp = {0};
    sf_status st = sf_py_set_op(I, '&', cur, rhs, &tmp);
    if (st != SF_OK) return st;
    sf_set_swap(so, SF_DICT(&tmp));
    sf_val_drop(&tmp);
    return SF_OK;
  }
  if (so == other) { /* s -= s, s ^= s: cleared */
    sf_val empty = {0};
    if (!sf_dict_new(O_SET, &empty)) return sf_py_oom(I);
    sf_set_swap(so, SF_DICT(&empty));
    sf_val_drop(&empty);
    return SF_OK;
  }
  bool ok = sf_set_discard_all(so, other, op == '^') && (op != '-' || sf_set_shrink(so));
  return ok ? SF_OK : sf_py_oom(I);
}

/* x op= y with an instance x whose class has __iadd__ (and kin): x.__iadd__(y), else false
 * (then x op y, as Python falls back to). */
static bool inplace_dunder(sf_interp *I, const sf_expr *e, char op, const sf_val *x, const sf_val *y, sf_val *out, sf_status *st) {
  static const char ops[] = "+-*/F%P@&|^LR";
  static const char *const names[] = {"iadd", "isub", "imul", "itruediv", "ifloordiv", "imod", "ipow", "imatmul",
                                      "iand", "ior", "ixor", "ilshift", "irshift"};
  const char *p = strchr(ops, op);
  if (!p || !*p) return false;
  char name[24];
  snprintf(name, sizeof name, "__%s__", names[p - ops]);
  return call_method1(I, e, x, name, y, out, st);
}

/* x op= y changes NumPy array x in place: an arithmetic operator NumPy computes (a number,
 * a list, a NumPy array or scalar on the right; a TF tensor's __array_priority__ makes
 * ndarray.__iadd__ defer to it, numpy/core/src/multiarray/binop_override.h
 * binop_should_defer, so x op y is bound instead, as Python falls back to). */
static bool numpy_inplace(sf_interp *I, char op, const sf_val *x, const sf_val *y) {
  if (x->kind != V_TENSOR || !x->numpy || x->g != I->E.g || !strchr("+-*/F%P", op)) return false;
  return (y->kind == V_TENSOR && y->numpy) || sf_is_number(y) || sf_is(y, O_LIST) || sf_is(y, O_TUPLE);
}

static sf_status exec_augassign(sf_interp *I, const sf_stmt *s) {
  const sf_expr *t = s->target;
  sf_val base = sf_none(), key = sf_none(), cur = sf_none(), rhs, r;
  sf_status st = SF_OK;
  if (t->kind == SF_EX_NAME) {
    st = eval_name(I, t, &cur);
  } else {
    if ((st = eval(I, t->base, &base)) != SF_OK) return st;
    if (t->kind == SF_EX_ATTR) {
      if (!sf_py_getattr(I, &base, t->name, &cur, &st) && st == SF_OK)
        st = sf_py_raise(I, t, BC_ATTRERR, "'%s' object has no attribute '%s'", sf_type_name(&base), t->name);
    } else if ((st = t->rhs->kind == SF_EX_SLICE ? eval_slice(I, t->rhs, &key) : eval(I, t->rhs, &key)) == SF_OK) {
      st = sf_py_getitem(I, t, &base, &key, &cur);
    }
  }
  int made = I->E.g->n;
  int64_t stores = I->store_calls;
  if (st == SF_OK && (st = eval(I, s->value, &rhs)) == SF_OK) {
    bool np_op = numpy_inplace(I, s->op, &cur, &rhs);
    int temp = statement_temp(I, &rhs, made, stores);
    bool stored = false; /* x[k] op= y put its item back already */
    if (strchr("|&-^", s->op) && sf_is(&cur, O_SET) && sf_is(&rhs, O_SET)) { /* set_ior and kin: in place */
      st = set_inplace(I, s->op, &cur, &rhs);
      r = cur;
      if (st == SF_OK) sf_val_ref(&r);
    } else if (s->op == '|' && sf_is(&cur, O_DICT) && sf_is(&rhs, O_DICT)) { /* dict_ior: an update in place */
      sf_dict *d = SF_DICT(&cur), *o = SF_DICT(&rhs);
      for (int64_t i = 0; st == SF_OK && i < o->ne; i++)
        if (o->e[i].used && !sf_dict_set(d, &o->e[i].key, &o->e[i].value)) st = sf_py_oom(I);
      r = cur;
      if (st == SF_OK) sf_val_ref(&r);
    } else if (s->op == '|' && sf_is(&cur, O_DICT)) {
      st = sf_error_at(I->err, s->value->line, s->value->col, SF_ENAME, "unsupported: dict |= of a %s (an iterable of pairs)",
                       sf_type_name(&rhs));
    } else if (np_op && t->kind == SF_EX_SUBSCRIPT && base.kind == V_TENSOR && base.numpy && base.g == I->E.g) {
      st = sf_numpy_setitem_op(I, t, &base, &key, s->op, &cur, &rhs, temp); /* the item, an array, changes in place */
      r = sf_none();
      stored = true;
    } else if (np_op) { /* ndarray.__iadd__ and kin: the array changes */
      st = sf_numpy_inplace(I, t, s->op, &cur, &rhs, temp);
      r = cur;
      if (st == SF_OK) sf_val_ref(&r);
    } else if (sf_is(&cur, O_INST) && inplace_dunder(I, t, s->op, &cur, &rhs, &r, &st)) {
      /* __iadd__ and kin: its result is bound */
    } else if (s->op == '+' && sf_is(&cur, O_LIST)) { /* lists extend in place (l += x keeps identity) */
      sf_val l = {0};
      if ((st = sf_py_to_list(I, s->value, &rhs, O_LIST, &l)) == SF_OK) {
        for (int64_t i = 0; st == SF_OK && i < SF_LIST(&l)->n; i++)
          if (!sf_list_append(SF_LIST(&cur), &SF_LIST(&l)->items[i])) st = sf_py_oom(I);
        sf_val_drop(&l);
      }
      r = cur;
      if (st == SF_OK) sf_val_ref(&r); /* dropped after it is bound; on an error nothing is */
    } else {
      st = program_binop(I, t, s->op, &cur, &rhs, &r);
    }
    sf_val_drop(&rhs);
    if (st == SF_OK && !stored) {
      if (t->kind == SF_EX_NAME) st = bind(I, t->name, &r);
      else if (t->kind == SF_EX_ATTR) st = setattr(I, t, &base, t->name, &r);
      else st = setitem(I, t, &base, &key, &r, cur.kind == V_TENSOR && cur.numpy ? cur.node : 0); /* x[k], the statement's own */
      sf_val_drop(&r);
    }
  }
  sf_val_drop(&cur);
  sf_val_drop(&base);
  sf_val_drop(&key);
  return st;
}

static sf_status exec_stmt(sf_interp *I, const sf_stmt *s) {
  I->line = s->line;
  sf_val v = {0};
  sf_status st = sf_py_tick(I, NULL);
  if (st != SF_OK) return st;
  switch (s->kind) {
    case SF_ST_PASS: return SF_OK;
    case SF_ST_IMPORT: return exec_import(I, s);
    case SF_ST_EXPR:
      if ((st = eval(I, s->value, &v)) == SF_OK) sf_val_drop(&v);
      return st;
    case SF_ST_DEF: return exec_def(I, s);
    case SF_ST_CLASS: return exec_class(I, s);
    case SF_ST_RETURN:
      if (PY(I)->scope == PY(I)->globals) return sf_error_at(I->err, s->line, s->col, SF_ESYNTAX, "'return' outside function");
      v = sf_none();
      if (s->value && (st = eval(I, s->value, &v)) != SF_OK) return st;
      sf_val_drop(&PY(I)->ret);
      PY(I)->ret = v;
      PY(I)->flow = FLOW_RETURN;
      return SF_OK;
    case SF_ST_ASSIGN: {
      int made = I->E.g->n;
      int64_t stores = I->store_calls;
      if ((st = eval(I, s->value, &v)) != SF_OK) return st;
      /* x[k] = a[:-1]: the value, a NumPy temporary, is no view of x to refuse */
      if (s->nlhs == 1 && s->lhs[0]->kind == SF_EX_SUBSCRIPT)
        st = assign_item(I, s->lhs[0], &v, statement_temp(I, &v, made, stores));
      else
        for (int i = 0; st == SF_OK && i < s->nlhs; i++) st = assign(I, s->lhs[i], &v);
      if (s->nlhs == 0) /* built from C: names only */
        for (int i = 0; st == SF_OK && i < s->ntargets; i++) {
          sf_expr t = {.kind = SF_EX_NAME, .name = s->targets[i], .line = s->line, .col = s->col};
          if (s->ntargets == 1) st = bind(I, t.name, &v);
          else {
            sf_val item = {0};
            sf_val k = sf_int(i);
            if ((st = sf_py_getitem(I, s->value, &v, &k, &item)) == SF_OK) {
              st = bind(I, t.name, &item);
              sf_val_drop(&item);
            }
          }
        }
      sf_val_drop(&v);
      return st;
    }
    case SF_ST_AUGASSIGN: return exec_augassign(I, s);
    case SF_ST_IF:
      if ((st = eval(I, s->value, &v)) != SF_OK) return st;
      if (v.kind == V_TENSOR) return exec_tensor_if(I, s, &v);
      if (sf_py_lazy_error(I, s->value, &v, &st)) return st;
      {
        bool t = sf_truthy(I, &v);
        sf_val_drop(&v);
        return t ? exec_block(I, s->body, s->nbody) : exec_block(I, s->orelse, s->norelse);
      }
    case SF_ST_WHILE: return exec_while(I, s);
    case SF_ST_FOR: return exec_for(I, s);
    case SF_ST_BREAK: PY(I)->flow = FLOW_BREAK; return SF_OK;
    case SF_ST_CONTINUE: PY(I)->flow = FLOW_CONTINUE; return SF_OK;
    case SF_ST_WITH: return exec_with(I, s);
    case SF_ST_TRY: return exec_try(I, s);
    case SF_ST_EXCEPT: return SF_OK;
    case SF_ST_RAISE: return exec_raise(I, s);
    case SF_ST_ASSERT:
      if ((st = eval(I, s->value, &v)) != SF_OK) return st;
      if (sf_py_lazy_error(I, s->value, &v, &st)) return st;
      {
        bool t = sf_truthy(I, &v);
        sf_val_drop(&v);
        if (t) return SF_OK;
        if (!s->target) return sf_py_raise(I, s->value, BC_ASSERT, "%s", "");
        sf_val m = {0}, ms = {0};
        if ((st = eval(I, s->target, &m)) != SF_OK) return st;
        st = sf_py_str(I, &m, false, &ms);
        sf_val_drop(&m);
        if (st != SF_OK) return st;
        st = sf_py_raise(I, s->value, BC_ASSERT, "%s", SF_STR(&ms)->s);
        sf_val_drop(&ms);
        return st;
      }
    case SF_ST_DEL: return exec_del(I, s);
    case SF_ST_GLOBAL: case SF_ST_NONLOCAL: {
      sf_scope *sc = PY(I)->scope;
      if (sc == PY(I)->globals) return SF_OK;
      for (int i = 0; i < s->nparams; i++) {
        bool ok = s->kind == SF_ST_GLOBAL ? add_name(&sc->globals, &sc->nglobals, s->params[i])
                                          : add_name(&sc->nonlocals, &sc->nnonlocals, s->params[i]);
        if (!ok) return sf_py_oom(I);
      }
      return SF_OK;
    }
  }
  return SF_OK;
}

static sf_status exec_block(sf_interp *I, sf_stmt **body, int n) {
  for (int i = 0; i < n; i++) {
    sf_status st = exec_stmt(I, body[i]);
    if (st != SF_OK && I->err->line == 0 && body[i]->line) { /* an error no expression located: its statement */
      I->err->line = body[i]->line;
      I->err->col = body[i]->col;
    }
    if (st != SF_OK) return st;
    if (PY(I)->flow != FLOW_NONE) return SF_OK;
  }
  return SF_OK;
}

/* ---- set-up ---- */

sf_status sf_py_exec(sf_interp *I, sf_stmt **body, int n) {
  sf_status st = exec_block(I, body, n);
  PY(I)->flow = FLOW_NONE;
  return st;
}

/* path: the lists and tuples being copied, outermost first: one met again (a list holding
 * itself) is the text repr writes for it, "[...]" or "(...)". */
static sf_status snapshot_in(sf_interp *I, const sf_val *v, bool nested, sf_val *out, const sf_obj **path, int depth) {
  if (v->kind == V_OBJ && (sf_is(v, O_LIST) || sf_is(v, O_TUPLE))) {
    for (int i = 0; i < depth; i++)
      if (path[i] == v->o) return *out = (sf_val){.kind = V_STR, .s = sf_is(v, O_LIST) ? "[...]" : "(...)", .b = true}, SF_OK;
    if (depth == SF_PY_MAX_DEPTH)
      return sf_py_raise(I, NULL, BC_RECURSION, "maximum recursion depth exceeded while getting the repr of an object");
    path[depth++] = v->o;
  }
  if (sf_collect_tensors(v, NULL, 0) == 0) { /* no tensor inside: its text now */
    sf_val s = {0};
    sf_status st = sf_py_str(I, v, nested, &s);
    if (st != SF_OK) return st;
    const char *text = sf_arena_strdup(&I->arena, SF_STR(&s)->s);
    sf_val_drop(&s);
    if (!text) return sf_py_oom(I);
    *out = (sf_val){.kind = V_STR, .s = text, .b = true};
    return SF_OK;
  }
  const sf_val *items = NULL;
  int64_t n = 0;
  if (sf_is(v, O_LIST) || sf_is(v, O_TUPLE)) items = SF_LIST(v)->items, n = SF_LIST(v)->n;
  else if (v->kind == V_LIST || v->kind == V_TUPLE) items = v->items, n = v->n;
  if (!items) { /* a tensor, or a dict holding some (shown as it is at the end): kept alive till then */
    *out = *v;
    return v->kind == V_OBJ ? sf_py_keep(I, v) : SF_OK;
  }
  sf_val *copy = sf_arena_alloc(&I->arena, (size_t)(n ? n : 1) * sizeof *copy);
  if (!copy) return sf_py_oom(I);
  for (int64_t i = 0; i < n; i++) { /* an object's items read afresh: a __repr__ may change them */
    bool obj = v->kind == V_OBJ;
    if (obj && i >= SF_LIST(v)->n) { /* it shrank: the text is of what is left */
      n = i;
      break;
    }
    sf_val item = obj ? SF_LIST(v)->items[i] : items[i];
    sf_val_ref(&item);
    sf_status st = snapshot_in(I, &item, true, &copy[i], path, depth);
    sf_val_drop(&item);
    if (st != SF_OK) return st;
  }
  bool list = sf_is(v, O_LIST) || v->kind == V_LIST;
  *out = (sf_val){.kind = list ? V_LIST : V_TUPLE, .items = copy, .n = (int)n, .b = v->kind == V_TUPLE && v->b};
  return SF_OK;
}

sf_status sf_py_snapshot(sf_interp *I, const sf_val *v, bool nested, sf_val *out) {
  const sf_obj *path[SF_PY_MAX_DEPTH];
  return snapshot_in(I, v, nested, out, path, 0);
}

/* tf.nest's walk; a structure nested deeper than Python's recursion limit (a list holding
 * itself) is its RecursionError. */
static sf_status each_leaf_in(sf_interp *I, const sf_val *v, sf_status (*leaf)(sf_interp *I, const sf_val *v, void *ctx),
                              void *ctx, int depth) {
  sf_status st = SF_OK;
  if ((sf_is(v, O_LIST) || sf_is(v, O_TUPLE) || sf_is(v, O_DICT)) && depth >= SF_PY_MAX_DEPTH)
    return sf_py_raise(I, NULL, BC_RECURSION, "maximum recursion depth exceeded");
  if (sf_is(v, O_LIST) || sf_is(v, O_TUPLE))
    for (int64_t i = 0; st == SF_OK && i < SF_LIST(v)->n; i++) st = each_leaf_in(I, &SF_LIST(v)->items[i], leaf, ctx, depth + 1);
  else if (sf_is(v, O_DICT))
    for (int64_t i = 0; st == SF_OK && i < SF_DICT(v)->ne; i++) {
      if (SF_DICT(v)->e[i].used) st = each_leaf_in(I, &SF_DICT(v)->e[i].value, leaf, ctx, depth + 1);
    }
  else
    st = leaf(I, v, ctx);
  return st;
}

sf_status sf_py_each_leaf(sf_interp *I, const sf_val *v, sf_status (*leaf)(sf_interp *I, const sf_val *v, void *ctx),
                          void *ctx) {
  return each_leaf_in(I, v, leaf, ctx, 0);
}

sf_status sf_py_str(sf_interp *I, const sf_val *v, bool repr, sf_val *out) {
  if (!repr && sf_is(v, O_STR)) {
    *out = *v;
    sf_val_ref(out);
    return SF_OK;
  }
  sf_buf b = {0};
  sf_print_ctx c = {.I = I};
  sf_status st = sf_collect_tensors(v, NULL, 0) ? sf_interp_format_value(I, NULL, v, repr, &b) : sf_write_value(&c, &b, v, repr);
  if (st == SF_OK && (b.oom || !sf_str_new(b.s ? b.s : "", b.n, out))) st = sf_py_oom(I);
  free(b.s);
  return st;
}

sf_status sf_py_write_instance(sf_print_ctx *c, sf_buf *b, const sf_val *v, bool repr) {
  sf_interp *I = c->I;
  sf_inst *x = (sf_inst *)v->o;
  sf_val m = {0}, r = {0};
  sf_status st;
  bool found = I && (sf_py_getattr(I, v, repr ? "__repr__" : "__str__", &m, &st) ||
                     (!repr && sf_py_getattr(I, v, "__repr__", &m, &st)));
  if (found) {
    if (st == SF_OK) st = sf_py_call1(I, &m, NULL, &r);
    sf_val_drop(&m);
    if (st != SF_OK) return st;
    if (!sf_is(&r, O_STR)) { /* raised before r goes: its type's name is r's. CPython's
                              * PyObject_Str (Objects/object.c) names __str__ even when __repr__ stood in */
      st = sf_py_raise(I, NULL, BC_TYPEERR, "%s returned non-string (type %s)", repr ? "__repr__" : "__str__",
                       sf_type_name(&r));
      sf_val_drop(&r);
      return st;
    }
    sf_buf_put(b, SF_STR(&r)->s, SF_STR(&r)->len);
    sf_val_drop(&r);
    return SF_OK;
  }
  if (x->cls->exception) {
    if (repr) {
      sf_buf_printf(b, "%s", x->cls->name);
      sf_list *args = sf_is(&x->args, O_TUPLE) ? SF_LIST(&x->args) : NULL;
      if (args && args->n == 1) {
        sf_buf_puts(b, "(");
        if ((st = sf_write_value(c, b, &args->items[0], true)) != SF_OK) return st;
        sf_buf_puts(b, ")");
      } else if (args) {
        return sf_write_value(c, b, &x->args, true);
      } else {
        sf_buf_puts(b, "()");
      }
      return SF_OK;
    }
    return exception_text(I, v, b);
  }
  if (x->cls->partial) /* an API object (a Dataset, an EarlyStopping...): its module is TensorFlow's, and its repr its own */
    return sf_error_at(I->err, I->line, 1, SF_ENAME, "unsupported: printing a %s (seedflow does not model its text)", x->cls->name);
  if (x->cls == PY(I)->cls[BC_OBJECT]) /* object(): a built-in type's instance, no module in its repr */
    return sf_buf_printf(b, "<object object at %p>", (void *)x), SF_OK;
  sf_buf_printf(b, "<__main__.%s object at %p>", x->cls->qualname ? x->cls->qualname : x->cls->name, (void *)x);
  return SF_OK;
}

sf_class *sf_py_api_class(sf_interp *I, const char *name) {
  sf_class *c = sf_obj_alloc(O_CLASS, sizeof *c);
  if (!c || !(c->attrs = sf_dict_alloc(O_DICT))) return free(c), NULL;
  c->name = name;
  c->partial = true;
  c->base = PY(I)->cls[BC_OBJECT];
  c->base->h.rc++;
  return c;
}

sf_inst *sf_py_api_object(sf_interp *I, const char *name, sf_val *out) {
  sf_class *c = sf_py_api_class(I, name);
  if (!c) return NULL;
  sf_inst *x = sf_obj_alloc(O_INST, sizeof *x);
  if (!x || !(x->attrs = sf_dict_alloc(O_DICT))) {
    sf_val cv = sf_obj_val(c);
    free(x);
    sf_val_drop(&cv);
    return NULL;
  }
  x->cls = c; /* the class's reference moves into the instance */
  *out = sf_obj_val(x);
  return x;
}

bool sf_py_def_native(sf_dict *d, const char *name, sf_native_fn fn, const sf_val *self) {
  sf_native *n = sf_obj_alloc(O_NATIVE, sizeof *n);
  if (!n) return false;
  n->name = name;
  n->fn = fn;
  if (self) {
    n->self = *self;
    sf_val_ref(self);
  }
  sf_val v = sf_obj_val(n);
  bool ok = sf_dict_set_str(d, name, &v);
  sf_val_drop(&v);
  return ok;
}

sf_status sf_py_init(sf_interp *I) {
  sf_py *py = calloc(1, sizeof *py);
  if (!py) return sf_py_oom(I);
  I->py = py;
  py->time_limit = I->opt.time_limit > 0 ? I->opt.time_limit : SF_DEFAULT_TIME_LIMIT;
  py->deadline = monotonic_seconds() + py->time_limit;
  py->heap.limit = I->opt.memory_limit > 0 ? I->opt.memory_limit : SF_DEFAULT_MEMORY_LIMIT;
  py->heap.budget = I->rt.budget;
  sf_heap_enter(&py->heap);
  py->globals = scope_new(NULL);
  py->scope = py->globals;
  py->builtins = sf_dict_alloc(O_DICT);
  py->modules = sf_dict_alloc(O_DICT);
  if (!py->globals || !py->builtins || !py->modules) return sf_py_oom(I);
  sf_val name = {0};
  if (!sf_str_cstr("__main__", &name)) return sf_py_oom(I);
  py->random = sf_obj_alloc(O_RANDOM, sizeof *py->random);
  if (!py->random) return sf_val_drop(&name), sf_py_oom(I);
  sf_mt_seed_python(&py->random->mt, (int64_t)(sf_runtime_entropy(&I->rt) >> 1));
  scope_set(py->globals, "__name__", &name);
  sf_val_drop(&name);
  return sf_py_builtins_init(I);
}

sf_status sf_py_keep(sf_interp *I, const sf_val *v) {
  if (v->kind != V_OBJ) return SF_OK;
  sf_val *np = realloc(PY(I)->pinned, (size_t)(PY(I)->npinned + 1) * sizeof *np);
  if (!np) return sf_py_oom(I);
  PY(I)->pinned = np;
  np[PY(I)->npinned++] = *v;
  sf_val_ref(v);
  return SF_OK;
}

static void drop_pinned(sf_py *py) {
  for (int i = 0; i < py->npinned; i++) sf_val_drop(&py->pinned[i]);
  free(py->pinned);
  py->pinned = NULL;
  py->npinned = 0;
}

static void drop_obj_dict(sf_dict *d) {
  sf_val v = sf_obj_val(d);
  sf_val_drop(&v);
}

void sf_py_free(sf_interp *I) {
  sf_py *py = I->py;
  if (!py) return;
  drop_pinned(py);
  sf_val v = sf_obj_val(py->globals);
  if (py->globals) sf_val_drop(&v);
  if (py->builtins) drop_obj_dict(py->builtins);
  if (py->modules) drop_obj_dict(py->modules);
  for (int i = 0; i < BC_COUNT; i++)
    if (py->cls[i]) {
      sf_val c = sf_obj_val(py->cls[i]);
      sf_val_drop(&c);
    }
  sf_val_drop(&py->exc);
  sf_val_drop(&py->ret);
  if (py->random) {
    sf_val r = sf_obj_val(py->random);
    sf_val_drop(&r);
  }
  sf_heap_free_all(&py->heap);  /* what is left are cycles */
  sf_heap_enter(NULL);
  HASH_CLEAR(hh, py->paths);     /* the entries are the arena's */
  free(py->line.s);
  free(py);
  I->py = NULL;
}
