/* builtins.c — Python's built-in functions and classes (print, len, range, sorted, int,
 * str, list, dict, the exception hierarchy...) and the methods of str, list, dict, set and
 * tuple values, with CPython's results and error messages. The sandbox lives here too:
 * open/exec/eval/__import__ and friends stop the program with a located error. */
#include "py.h"
#include "api_control.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PY(I) ((I)->py)
#define NATIVE(name) static sf_status name(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out)

/* The count of positional arguments, for a function that reads its keywords itself. */
static sf_status nargs_kw(sf_interp *I, const sf_args *a, const char *fname, int lo, int hi) {
  if (a->npos >= lo && a->npos <= hi) return SF_OK;
  if (lo == hi) return sf_py_raise(I, a->call, BC_TYPEERR, "%s() takes exactly %d argument%s (%d given)", fname, lo, lo == 1 ? "" : "s", a->npos);
  if (a->npos < lo) return sf_py_raise(I, a->call, BC_TYPEERR, "%s expected at least %d argument%s, got %d", fname, lo, lo == 1 ? "" : "s", a->npos);
  return sf_py_raise(I, a->call, BC_TYPEERR, "%s expected at most %d argument%s, got %d", fname, hi, hi == 1 ? "" : "s", a->npos);
}

/* The count of positional arguments of a function that takes no keyword arguments
 * (METH_O, METH_NOARGS, METH_VARARGS: "len() takes no keyword arguments"). */
static sf_status nargs(sf_interp *I, const sf_args *a, const char *fname, int lo, int hi) {
  const sf_val *s = I->native_self;
  bool method = s && (sf_is(s, O_STR) || sf_is(s, O_LIST) || sf_is(s, O_DICT) || sf_is(s, O_SET) || sf_is(s, O_TUPLE));
  if (a->nkw) return sf_py_raise(I, a->call, BC_TYPEERR, "%s%s%s() takes no keyword arguments", method ? sf_type_name(s) : "",
                                 method ? "." : "", fname);
  if (!hi && a->npos) /* METH_NOARGS */
    return sf_py_raise(I, a->call, BC_TYPEERR, "%s%s%s() takes no arguments (%d given)", method ? sf_type_name(s) : "",
                       method ? "." : "", fname, a->npos);
  return nargs_kw(I, a, fname, lo, hi);
}

/* a with its keywords moved to their positions: names[i] is parameter i's name ("" for a
 * positional-only one); pos has room for n. Unknown or repeated names are CPython's
 * TypeError; a gap before a keyword's position is a missing argument. */
static sf_status merge_kw(sf_interp *I, const sf_args *a, const char *fname, const char *const *names, int n, sf_val *pos,
                          sf_args *out) {
  if (a->npos + a->nkw > n) /* Argument Clinic's _PyArg_UnpackKeywords counts first */
    return sf_py_raise(I, a->call, BC_TYPEERR, "%s() takes at most %d argument%s (%d given)", fname, n, n == 1 ? "" : "s",
                       a->npos + a->nkw);
  if (!a->nkw) return *out = *a, SF_OK; /* nothing to move */
  *out = (sf_args){.call = a->call, .pos = pos, .npos = a->npos};
  bool set[8] = {0};
  for (int i = 0; i < a->npos && i < n; i++) pos[i] = a->pos[i], set[i] = true;
  for (int k = 0; k < a->nkw; k++) {
    int i = 0;
    while (i < n && (!names[i][0] || strcmp(names[i], a->kwnames[k]) != 0)) i++;
    if (i == n) return sf_py_raise(I, a->call, BC_TYPEERR, "'%s' is an invalid keyword argument for %s()", a->kwnames[k], fname);
    if (set[i])
      return sf_py_raise(I, a->call, BC_TYPEERR, "argument for %s() given by name ('%s') and position (%d)", fname, names[i], i + 1);
    pos[i] = a->kw[k], set[i] = true;
    if (i + 1 > out->npos) out->npos = i + 1;
  }
  for (int i = 0; i < out->npos; i++)
    if (!set[i]) return sf_py_raise(I, a->call, BC_TYPEERR, "%s() missing required argument '%s' (pos %d)", fname, names[i], i + 1);
  return SF_OK;
}

static const sf_val *kwarg(const sf_args *a, const char *name) {
  for (int k = 0; k < a->nkw; k++)
    if (strcmp(a->kwnames[k], name) == 0) return &a->kw[k];
  return NULL;
}

static sf_status no_kw(sf_interp *I, const sf_args *a, const char *fname, const char *allowed) {
  for (int k = 0; k < a->nkw; k++) {
    char pat[64];
    snprintf(pat, sizeof pat, " %s ", a->kwnames[k]);
    if (!allowed || !strstr(allowed, pat))
      return sf_py_raise(I, a->call, BC_TYPEERR, "%s() got an unexpected keyword argument '%s'", fname, a->kwnames[k]);
  }
  return SF_OK;
}

static bool is_int(const sf_val *v) { return v->kind == V_INT || v->kind == V_BOOL; }
static int64_t as_int(const sf_val *v) { return v->kind == V_INT ? v->i : v->b; }

static sf_status want_int(sf_interp *I, const sf_args *a, const sf_val *v, int64_t *out) {
  if (is_int(v)) return *out = as_int(v), SF_OK;
  return sf_py_raise(I, a->call, BC_TYPEERR, "'%s' object cannot be interpreted as an integer", sf_type_name(v));
}

static sf_status new_str(sf_interp *I, const char *s, size_t n, sf_val *out) {
  return sf_str_new(s, n, out) ? SF_OK : sf_py_oom(I);
}

/* ---- print ---- */

NATIVE(b_print) {
  (void)self;
  sf_status st = no_kw(I, a, "print", " sep end flush file ");
  if (st != SF_OK) return st;
  const sf_val *sep = kwarg(a, "sep"), *end = kwarg(a, "end"), *file = kwarg(a, "file");
  if (file && file->kind != V_NONE)
    return sf_error_at(I->err, a->call->line, a->call->col, SF_ENAME, "unsupported: print(file=...) (output goes to stdout)");
  const char *ssep = " ", *send = "\n";
  if (sep && sep->kind != V_NONE) {
    if (!sf_is(sep, O_STR)) return sf_py_raise(I, a->call, BC_TYPEERR, "sep must be None or a string, not %s", sf_type_name(sep));
    ssep = SF_STR(sep)->s;
  }
  if (end && end->kind != V_NONE) {
    if (!sf_is(end, O_STR)) return sf_py_raise(I, a->call, BC_TYPEERR, "end must be None or a string, not %s", sf_type_name(end));
    send = SF_STR(end)->s;
  }
  *out = sf_none();
  return sf_interp_print(I, a, ssep, send);
}

/* ---- sandbox ---- */

NATIVE(b_sandboxed) {
  (void)a;
  (void)out;
  const char *name = ((sf_str *)self->o)->s;
  return sf_error_at(I->err, a->call ? a->call->line : I->line, a->call ? a->call->col : 1, SF_EINVAL,
                     "sandbox: '%s' is not available (seedflow programs have no file, network, process or "
                     "code-loading access)", name);
}

/* ---- numbers ---- */

NATIVE(b_abs) {
  (void)self;
  sf_status st = nargs(I, a, "abs", 1, 1);
  if (st != SF_OK) return st;
  const sf_val *v = &a->pos[0];
  if (sf_np_is_scalar(v)) return *out = sf_np_abs(v), SF_OK;
  if (is_int(v)) {
    int64_t x = as_int(v);
    if (x == INT64_MIN) return sf_py_int64_limit(I, a->call, "integer result of 'abs' does not fit in 64 bits");
    return *out = sf_int(x < 0 ? -x : x), SF_OK;
  }
  if (v->kind == V_FLOAT) return *out = sf_float(fabs(v->f)), SF_OK;
  if (sf_is(v, O_INST) && sf_py_call_method(I, a->call, v, "__abs__", 0, NULL, out, &st)) return st;
  sf_val flat = {0}; /* a tf.Variable is its value */
  if (sf_is(v, O_INST) && ((sf_inst *)v->o)->cls->partial && (st = sf_py_to_api(I, v, &flat)) != SF_OK) return st;
  if (v->kind == V_TENSOR || flat.kind == V_TENSOR) { /* ndarray.__abs__ is np.absolute, Tensor.__abs__ tf.abs (one Abs op) */
    const char *path = v->kind == V_TENSOR && v->numpy ? "np.abs" : "tf.abs";
    sf_val fn = {.kind = V_BUILTIN, .fn = sf_api_lookup(path), .s = path};
    return sf_py_call(I, &fn, &(sf_args){.call = a->call, .pos = (sf_val *)v, .npos = 1}, out);
  }
  return sf_py_raise(I, a->call, BC_TYPEERR, "bad operand type for abs(): '%s'", sf_type_name(v));
}

/* round-half-even of x to nd decimal digits, as CPython's float.__round__ (via repr). */
static double round_digits(double x, int64_t nd) {
  if (nd > 300 || !isfinite(x)) return x;
  char buf[400];
  snprintf(buf, sizeof buf, "%.*f", (int)(nd < 0 ? 0 : nd), x);  /* correctly rounded, half-even on ties */
  if (nd >= 0) return strtod(buf, NULL);
  double p = pow(10.0, (double)-nd);
  double y = x / p, r = nearbyint(y);
  return r * p;
}

NATIVE(b_round) {
  (void)self;
  static const char *const names[] = {"number", "ndigits"};
  sf_val pos[2];
  sf_args m;
  sf_status st = merge_kw(I, a, "round", names, 2, pos, &m);
  if (st == SF_OK) st = nargs_kw(I, &m, "round", 1, 2);
  if (st != SF_OK) return st;
  a = &m;
  const sf_val *v = &a->pos[0];
  const sf_val *nd = a->npos > 1 ? &a->pos[1] : NULL;
  bool has_nd = nd && nd->kind != V_NONE;
  if (sf_np_is_scalar(v) && has_nd) { /* numpy's __round__ with ndigits: np.around, same type */
    int64_t d = 0;
    if ((st = want_int(I, a, nd, &d)) != SF_OK) return st;
    return *out = sf_np_round(v, d), SF_OK;
  }
  if (is_int(v)) {
    if (!has_nd) return *out = sf_int(as_int(v)), SF_OK;
    int64_t d = 0;
    if ((st = want_int(I, a, nd, &d)) != SF_OK) return st;
    if (d >= 0) return *out = sf_int(as_int(v)), SF_OK;
    int64_t p = 1, x = as_int(v);
    for (int64_t k = 0; k < -d && p <= INT64_MAX / 10; k++) p *= 10;
    int64_t q = x / p, r = x % p;
    if (r < 0) r += p, q -= 1;
    if (2 * r > p || (2 * r == p && (q & 1))) q++;
    return *out = sf_int(q * p), SF_OK;
  }
  if (v->kind != V_FLOAT) return sf_py_raise(I, a->call, BC_TYPEERR, "type %s doesn't define __round__ method", sf_type_name(v));
  if (!has_nd) {
    if (!isfinite(v->f)) return sf_py_raise(I, a->call, isnan(v->f) ? BC_VALUEERR : BC_OVERFLOW, isnan(v->f) ? "cannot convert float NaN to integer" : "cannot convert float infinity to integer");
    double r = nearbyint(v->f);
    if (fabs(r) >= 9.2e18) return sf_py_int64_limit(I, a->call, "integer result of 'round' does not fit in 64 bits");
    return *out = sf_int((int64_t)r), SF_OK;
  }
  int64_t d = 0;
  if ((st = want_int(I, a, nd, &d)) != SF_OK) return st;
  return *out = sf_float(round_digits(v->f, d)), SF_OK;
}

NATIVE(b_divmod) {
  (void)self;
  sf_status st = nargs(I, a, "divmod", 2, 2);
  sf_val q = {0}, r = {0};
  if (st == SF_OK) st = sf_py_binop(I, a->call, 'F', &a->pos[0], &a->pos[1], &q);
  if (st == SF_OK) st = sf_py_binop(I, a->call, '%', &a->pos[0], &a->pos[1], &r);
  if (st != SF_OK) return st;
  if (!sf_list_new(O_TUPLE, 2, out)) return sf_py_oom(I);
  SF_LIST(out)->items[0] = q;
  SF_LIST(out)->items[1] = r;
  return SF_OK;
}

static uint64_t mulmod(uint64_t x, uint64_t y, uint64_t m) { return (uint64_t)((unsigned __int128)x * y % m); }

/* x^e mod m for e >= 0, m >= 1 (square and multiply). */
static uint64_t powmod(uint64_t x, uint64_t e, uint64_t m) {
  uint64_t r = 1 % m;
  for (x %= m; e; e >>= 1, x = mulmod(x, x, m))
    if (e & 1) r = mulmod(r, x, m);
  return r;
}

/* pow(base, exp, mod) on ints as long_pow (Objects/longobject.c): a negative exp takes the
 * inverse of base modulo mod (3.8+), the result has mod's sign. */
static sf_status pow3(sf_interp *I, const sf_args *a, sf_val *out) {
  int64_t v[3];
  for (int k = 0; k < 3; k++) {
    const sf_val *x = &a->pos[k];
    if (x->kind != V_INT && x->kind != V_BOOL)
      return sf_py_raise(I, a->call, BC_TYPEERR, "pow() 3rd argument not allowed unless all arguments are integers");
    v[k] = x->kind == V_INT ? x->i : x->b;
  }
  if (v[2] == 0) return sf_py_raise(I, a->call, BC_VALUEERR, "pow() 3rd argument cannot be 0");
  uint64_t m = v[2] < 0 ? 0 - (uint64_t)v[2] : (uint64_t)v[2];
  uint64_t base = v[0] < 0 ? (m - (0 - (uint64_t)v[0]) % m) % m : (uint64_t)v[0] % m;
  uint64_t e = v[1] < 0 ? 0 - (uint64_t)v[1] : (uint64_t)v[1];
  if (v[1] < 0) { /* the inverse by the extended Euclidean algorithm, in [0, m) */
    __int128 r0 = (__int128)m, r1 = base, t0 = 0, t1 = 1;
    while (r1) {
      __int128 q = r0 / r1, r2 = r0 - q * r1, t2 = t0 - q * t1;
      r0 = r1, r1 = r2, t0 = t1, t1 = t2;
    }
    if (r0 != 1 && m != 1) return sf_py_raise(I, a->call, BC_VALUEERR, "base is not invertible for the given modulus");
    base = (uint64_t)(t0 < 0 ? t0 + (__int128)m : t0) % m;
  }
  uint64_t r = powmod(base, e, m);
  *out = sf_int(v[2] < 0 && r ? (int64_t)(r - m) : (int64_t)r); /* r - m: within int64 for m <= 2^63 */
  return SF_OK;
}

NATIVE(b_pow) {
  (void)self;
  static const char *const names[] = {"base", "exp", "mod"};
  sf_val pos[3];
  sf_args m;
  sf_status st = merge_kw(I, a, "pow", names, 3, pos, &m);
  if (st == SF_OK) st = nargs_kw(I, &m, "pow", 2, 3);
  if (st != SF_OK) return st;
  a = &m;
  if (a->npos == 3 && a->pos[2].kind != V_NONE) return pow3(I, a, out);
  return sf_py_binop(I, a->call, 'P', &a->pos[0], &a->pos[1], out);
}

/* ---- iteration helpers ---- */

static sf_status list_of(sf_interp *I, const sf_args *a, const sf_val *v, sf_val *out) {
  return sf_py_to_list(I, a->call, v, O_LIST, out);
}

static sf_status make_iter(sf_interp *I, const sf_args *a, sf_val *list, sf_val *out) {
  sf_status st = sf_py_iter(I, a->call, list, out);
  sf_val_drop(list);
  return st;
}

NATIVE(b_len) {
  (void)self;
  sf_status st = nargs(I, a, "len", 1, 1);
  if (st != SF_OK) return st;
  const sf_val *v = &a->pos[0];
  if (sf_py_lazy_error(I, a->call, v, &st)) return st;
  if (sf_is(v, O_STR)) {
    int64_t n = 0;
    for (const unsigned char *s = (const unsigned char *)SF_STR(v)->s; *s; s++) n += (*s & 0xC0) != 0x80;
    return *out = sf_int(n), SF_OK;
  }
  if (sf_is(v, O_LIST) || sf_is(v, O_TUPLE)) return *out = sf_int(SF_LIST(v)->n), SF_OK;
  if (sf_is(v, O_DICT) || sf_is(v, O_SET)) return *out = sf_int(SF_DICT(v)->n), SF_OK;
  if (sf_is(v, O_DICTVIEW)) return *out = sf_int(SF_DICT(&SF_VIEW(v)->dict)->n), SF_OK;
  if (sf_is(v, O_RANGE)) {
    sf_val l = {0};
    if ((st = list_of(I, a, v, &l)) != SF_OK) return st;
    *out = sf_int(SF_LIST(&l)->n);
    sf_val_drop(&l);
    return SF_OK;
  }
  if (sf_is(v, O_INST) && sf_py_call_method(I, a->call, v, "__len__", 0, NULL, out, &st)) return st;
  if (v->kind == V_TENSOR && v->numpy) {
    int64_t n;
    if ((st = sf_numpy_len(I, a, v, &n)) == SF_OK) *out = sf_int(n);
    return st;
  }
  if (v->kind == V_TENSOR) {
    int64_t n;
    if ((st = sf_tensor_len(I, a->call, v, &n)) == SF_OK) *out = sf_int(n);
    return st;
  }
  return sf_py_raise(I, a->call, BC_TYPEERR, "object of type '%s' has no len()", sf_type_name(v));
}

NATIVE(c_range) {
  (void)self;
  sf_status st = nargs(I, a, "range", 1, 3);
  if (st != SF_OK) return st;
  int64_t v[3] = {0, 0, 1};
  for (int i = 0; i < a->npos; i++)
    if ((st = want_int(I, a, &a->pos[i], &v[i])) != SF_OK) return st;
  sf_range *r = sf_obj_alloc(O_RANGE, sizeof *r);
  if (!r) return sf_py_oom(I);
  if (a->npos == 1) r->start = 0, r->stop = v[0], r->step = 1;
  else r->start = v[0], r->stop = v[1], r->step = a->npos == 3 ? v[2] : 1;
  *out = sf_obj_val(r);
  if (r->step == 0) {
    sf_val_drop(out);
    return sf_py_raise(I, a->call, BC_VALUEERR, "range() arg 3 must not be zero");
  }
  return SF_OK;
}

/* map, filter, zip and enumerate objects: the sources' iterators taken now (a TypeError for
 * what is not iterable, as CPython's constructors), every item later (eval.c lazy_next). */
static sf_status lazy_new(sf_interp *I, const sf_args *a, int kind, sf_builtin_class cls, const sf_val *fn, const sf_val *src,
                          int n, sf_val *out) {
  if (n > 8)
    return sf_error_at(I->err, a->call ? a->call->line : I->line, a->call ? a->call->col : 1, SF_ENAME,
                       "unsupported: %s of more than 8 iterables", PY(I)->cls[cls]->name);
  sf_status st = sf_py_lazy_iter(I, kind, cls, n, out);
  if (st != SF_OK) return st;
  sf_iter *x = (sf_iter *)out->o;
  if (fn) x->fn = *fn, sf_val_ref(fn);
  for (int k = 0; k < n && st == SF_OK; k++)
    if ((st = sf_py_iter(I, a->call, &src[k], &x->its[k])) == SF_OK) x->depth = k + 1;
  if (st != SF_OK) sf_val_drop(out);
  return st;
}

NATIVE(b_enumerate) {
  (void)self;
  static const char *const names[] = {"iterable", "start"};
  sf_val pos[2];
  sf_args m;
  sf_status st = merge_kw(I, a, "enumerate", names, 2, pos, &m);
  if (st == SF_OK) st = nargs_kw(I, &m, "enumerate", 1, 2);
  if (st != SF_OK) return st;
  a = &m;
  int64_t start = 0;
  const sf_val *s = a->npos > 1 ? &a->pos[1] : NULL;
  if (s && (st = want_int(I, a, s, &start)) != SF_OK) return st;
  if ((st = lazy_new(I, a, SF_LAZY_ENUMERATE, BC_ENUMERATE, NULL, &a->pos[0], 1, out)) == SF_OK) ((sf_iter *)out->o)->pos = start;
  return st;
}

NATIVE(b_zip) {
  (void)self;
  for (int k = 0; k < a->nkw; k++) {
    if (strcmp(a->kwnames[k], "strict") != 0)
      return sf_py_raise(I, a->call, BC_TYPEERR, "'%s' is an invalid keyword argument for zip()", a->kwnames[k]);
    if (sf_truthy(I, &a->kw[k])) /* Python 3.10's length check */
      return sf_error_at(I->err, a->call ? a->call->line : I->line, a->call ? a->call->col : 1, SF_ENAME, "unsupported: zip(strict=True)");
  }
  return lazy_new(I, a, SF_LAZY_ZIP, BC_ZIP, NULL, a->pos, a->npos, out);
}

NATIVE(b_map) {
  (void)self;
  if (a->nkw) return sf_py_raise(I, a->call, BC_TYPEERR, "map() takes no keyword arguments");
  if (a->npos < 2) return sf_py_raise(I, a->call, BC_TYPEERR, "map() must have at least two arguments.");
  return lazy_new(I, a, SF_LAZY_MAP, BC_MAP, &a->pos[0], a->pos + 1, a->npos - 1, out);
}

NATIVE(b_filter) {
  (void)self;
  sf_status st = nargs(I, a, "filter", 2, 2);
  return st != SF_OK ? st : lazy_new(I, a, SF_LAZY_FILTER, BC_FILTER, &a->pos[0], &a->pos[1], 1, out);
}

NATIVE(b_reversed) {
  (void)self;
  sf_status st = nargs(I, a, "reversed", 1, 1);
  sf_val l = {0}, m = {0};
  if (st == SF_OK && sf_is(&a->pos[0], O_INST) && sf_py_getattr(I, &a->pos[0], "__reversed__", &m, &st)) { /* its own */
    sf_args none = {.call = a->call};
    if (st == SF_OK) st = sf_py_call(I, &m, &none, out);
    sf_val_drop(&m);
    return st;
  }
  if (st != SF_OK || (st = list_of(I, a, &a->pos[0], &l)) != SF_OK) return st;
  sf_list *x = SF_LIST(&l);
  for (int64_t i = 0; i < x->n / 2; i++) {
    sf_val t = x->items[i];
    x->items[i] = x->items[x->n - 1 - i];
    x->items[x->n - 1 - i] = t;
  }
  return make_iter(I, a, &l, out);
}

/* vars(obj): obj.__dict__ (an instance of a program class); a module's or class's is a
 * mappingproxy seedflow does not model, and vars() the caller's locals. */
NATIVE(b_vars) {
  (void)self;
  sf_status st = nargs(I, a, "vars", 0, 1);
  if (st != SF_OK) return st;
  const sf_expr *at = a->call;
  if (a->npos == 0 || sf_is(&a->pos[0], O_MODULE) || sf_is(&a->pos[0], O_CLASS) || sf_is(&a->pos[0], O_FUNC) ||
      (sf_is(&a->pos[0], O_INST) && !sf_py_instance_dict(I, &a->pos[0], out)))
    return sf_error_at(I->err, at ? at->line : I->line, at ? at->col : 1, SF_ENAME, "unsupported: vars() %s",
                       a->npos ? "of a module, class, function or API object" : "without an argument (the caller's locals)");
  if (sf_is(&a->pos[0], O_INST)) return SF_OK;
  return sf_py_raise(I, at, BC_TYPEERR, "vars() argument must have __dict__ attribute");
}

NATIVE(b_iter) {
  (void)self;
  sf_status st = nargs(I, a, "iter", 1, 1);
  return st != SF_OK ? st : sf_py_iter(I, a->call, &a->pos[0], out);
}

NATIVE(b_next) {
  (void)self;
  sf_status st = nargs(I, a, "next", 1, 2);
  if (st != SF_OK) return st;
  bool done;
  sf_val it = a->pos[0];
  if (!sf_is(&it, O_ITER) && !sf_is(&it, O_INST)) return sf_py_raise(I, a->call, BC_TYPEERR, "'%s' object is not an iterator", sf_type_name(&it));
  if ((st = sf_py_next(I, a->call, &it, out, &done)) != SF_OK) return st;
  if (!done) return SF_OK;
  if (a->npos > 1) return *out = a->pos[1], sf_val_ref(out), SF_OK;
  return sf_py_raise(I, a->call, BC_STOPITER, "%s", "");
}

/* Compares for sorting, with an optional key list. */
typedef struct sort_ctx {
  sf_interp *I;
  const sf_expr *at;
  sf_status st;
} sort_ctx;

/* -1 when x < y, else 0 (the only question a stable merge sort asks). */
static int less(sort_ctx *c, const sf_val *x, const sf_val *y) {
  bool r = false;
  if (c->st == SF_OK) c->st = sf_py_less(c->I, c->at, x, y, &r);
  return r ? -1 : 0;
}

/* Stable merge sort of items by keys. */
static void merge_sort(sort_ctx *c, sf_val *items, sf_val *keys, sf_val *ti, sf_val *tk, int64_t n, bool reverse) {
  if (n < 2) return;
  int64_t m = n / 2;
  merge_sort(c, items, keys, ti, tk, m, reverse);
  merge_sort(c, items + m, keys + m, ti, tk, n - m, reverse);
  int64_t i = 0, j = m, k = 0;
  while (i < m && j < n) {
    bool take_right = reverse ? less(c, &keys[i], &keys[j]) < 0 : less(c, &keys[j], &keys[i]) < 0;
    if (take_right) ti[k] = items[j], tk[k++] = keys[j++];
    else ti[k] = items[i], tk[k++] = keys[i++];
  }
  while (i < m) ti[k] = items[i], tk[k++] = keys[i++];
  while (j < n) ti[k] = items[j], tk[k++] = keys[j++];
  memcpy(items, ti, (size_t)n * sizeof *items);
  memcpy(keys, tk, (size_t)n * sizeof *keys);
}

sf_status sf_py_sort(sf_interp *I, const sf_expr *at, sf_list *l, const sf_val *key, bool reverse) {
  int64_t n = l->n;
  sf_val *keys = calloc((size_t)n + 1, sizeof *keys), *ti = calloc((size_t)n + 1, sizeof *ti), *tk = calloc((size_t)n + 1, sizeof *tk);
  sf_status st = keys && ti && tk ? SF_OK : sf_py_oom(I);
  int64_t made = 0;
  for (; st == SF_OK && made < n; made++) {
    if (key && key->kind != V_NONE) st = sf_py_call1(I, key, &l->items[made], &keys[made]);
    else keys[made] = l->items[made], sf_val_ref(&keys[made]);
  }
  sort_ctx c = {I, at, SF_OK};
  if (st == SF_OK) merge_sort(&c, l->items, keys, ti, tk, n, reverse);
  if (st == SF_OK) st = c.st;
  for (int64_t i = 0; keys && i < made; i++) sf_val_drop(&keys[i]);
  free(keys);
  free(ti);
  free(tk);
  return st;
}

NATIVE(b_sorted) {
  (void)self;
  sf_status st = nargs_kw(I, a, "sorted", 1, 1);
  if (st == SF_OK) st = no_kw(I, a, "sorted", " key reverse ");
  if (st != SF_OK || (st = list_of(I, a, &a->pos[0], out)) != SF_OK) return st;
  const sf_val *rev = kwarg(a, "reverse");
  st = sf_py_sort(I, a->call, SF_LIST(out), kwarg(a, "key"), rev && sf_truthy(I, rev));
  if (st != SF_OK) sf_val_drop(out);
  return st;
}

NATIVE(b_sum) {
  (void)self;
  static const char *const names[] = {"", "start"}; /* sum(iterable, /, start=0) */
  sf_val pos[2];
  sf_args m;
  sf_status st = merge_kw(I, a, "sum", names, 2, pos, &m);
  if (st == SF_OK) st = nargs_kw(I, &m, "sum", 1, 2);
  sf_val l = {0};
  if (st != SF_OK || (st = list_of(I, &m, &m.pos[0], &l)) != SF_OK) return st;
  a = &m;
  const sf_val *start = a->npos > 1 ? &a->pos[1] : NULL;
  sf_val acc = start ? *start : sf_int(0);
  sf_val_ref(&acc);
  for (int64_t i = 0; st == SF_OK && i < SF_LIST(&l)->n; i++) {
    sf_val r = {0};
    if ((st = sf_py_binop(I, a->call, '+', &acc, &SF_LIST(&l)->items[i], &r)) != SF_OK) break;
    sf_val_drop(&acc);
    acc = r;
  }
  sf_val_drop(&l);
  if (st != SF_OK) return sf_val_drop(&acc), st;
  *out = acc;
  return SF_OK;
}

static sf_status minmax(sf_interp *I, const sf_args *a, sf_val *out, bool max) {
  const char *fname = max ? "max" : "min";
  sf_status st = no_kw(I, a, fname, " key default ");
  if (st != SF_OK) return st;
  if (a->npos == 0) return sf_py_raise(I, a->call, BC_TYPEERR, "%s expected at least 1 argument, got 0", fname);
  if (a->npos > 1 && kwarg(a, "default"))
    return sf_py_raise(I, a->call, BC_TYPEERR, "Cannot specify a default for %s() with multiple positional arguments", fname);
  sf_val l = {0};
  if (a->npos == 1) st = list_of(I, a, &a->pos[0], &l);
  else {
    sf_val t = {.kind = V_TUPLE, .items = a->pos, .n = a->npos};
    st = sf_py_from_api(I, &t, &l);
  }
  if (st != SF_OK) return st;
  sf_list *x = SF_LIST(&l);
  const sf_val *key = kwarg(a, "key");
  if (x->n == 0) {
    const sf_val *d = kwarg(a, "default");
    sf_val_drop(&l);
    if (d) return *out = *d, sf_val_ref(out), SF_OK;
    return sf_py_raise(I, a->call, BC_VALUEERR, "%s() arg is an empty sequence", fname);
  }
  int64_t best = 0;
  sf_val bk = x->items[0];
  sf_val_ref(&bk);
  if (key && key->kind != V_NONE) {
    sf_val_drop(&bk);
    if ((st = sf_py_call1(I, key, &x->items[0], &bk)) != SF_OK) return sf_val_drop(&l), st;
  }
  for (int64_t i = 1; st == SF_OK && i < x->n; i++) {
    sf_val k = x->items[i];
    sf_val_ref(&k);
    if (key && key->kind != V_NONE) {
      sf_val_drop(&k);
      if ((st = sf_py_call1(I, key, &x->items[i], &k)) != SF_OK) break;
    }
    bool better = false;
    st = max ? sf_py_less(I, a->call, &bk, &k, &better) : sf_py_less(I, a->call, &k, &bk, &better);
    if (st == SF_OK && better) {
      sf_val_drop(&bk);
      bk = k;
      best = i;
    } else {
      sf_val_drop(&k);
    }
  }
  sf_val_drop(&bk);
  if (st == SF_OK) *out = x->items[best], sf_val_ref(out);
  sf_val_drop(&l);
  return st;
}

NATIVE(b_min) { (void)self; return minmax(I, a, out, false); }
NATIVE(b_max) { (void)self; return minmax(I, a, out, true); }

/* any / all: items taken one at a time, up to the first that decides (a generator's later
 * items are never made). */
static sf_status any_all(sf_interp *I, const sf_args *a, sf_val *out, bool all) {
  sf_status st = nargs(I, a, all ? "all" : "any", 1, 1);
  sf_val it = {0}, x = {0};
  if (st != SF_OK || (st = sf_py_iter(I, a->call, &a->pos[0], &it)) != SF_OK) return st;
  bool r = all, done = false;
  while ((st = sf_py_next(I, a->call, &it, &x, &done)) == SF_OK && !done) {
    bool t;
    st = sf_ctl_truth(I, a->call, &x, all ? "all()" : "any()", &t);
    sf_val_drop(&x);
    if (st != SF_OK) break;
    if (t != all) {
      r = !all;
      break;
    }
  }
  sf_val_drop(&it);
  if (st == SF_OK) *out = sf_bool(r);
  return st;
}

NATIVE(b_any) { (void)self; return any_all(I, a, out, false); }
NATIVE(b_all) { (void)self; return any_all(I, a, out, true); }

/* ---- introspection ---- */

static sf_status class_tuple_check(sf_interp *I, const sf_args *a, const sf_val *v, const sf_val *c, bool *r) {
  *r = false;
  if (sf_is(c, O_CLASS)) return *r = sf_py_isinstance(I, v, (sf_class *)c->o), SF_OK;
  if (sf_is(c, O_TUPLE)) {
    for (int64_t i = 0; i < SF_LIST(c)->n && !*r; i++) {
      sf_status st = class_tuple_check(I, a, v, &SF_LIST(c)->items[i], r);
      if (st != SF_OK) return st;
    }
    return SF_OK;
  }
  if (c->kind == V_DTYPE && c->numpy) { /* np.float32 and kin: NumPy's scalar types */
    const sf_class *k = sf_np_type_class(I, c);
    *r = k && sf_py_isinstance(I, v, k);
    return SF_OK;
  }
  if (c->kind == V_MODULE || c->kind == V_BUILTIN) {
    const char *p = c->s ? c->s : "";
    if (!strcmp(p, "tf.Tensor") || !strcmp(p, "tf.compat.v1.Tensor") || !strcmp(p, "np.ndarray")) { /* a NumPy array is no */
      *r = v->kind == V_TENSOR && v->numpy == (p[0] == 'n');                                            /* tensor, nor the reverse */
      return SF_OK;
    }
    if (!strcmp(p, "tf.random.Generator") || !strcmp(p, "tf.random.experimental.Generator"))
      return *r = v->kind == V_GENERATOR, SF_OK;
    if (!strcmp(p, "tf.Variable") || !strcmp(p, "tf.compat.v1.Variable")) return *r = sf_tape_is_variable(v), SF_OK;
    /* NumPy's abstract scalar types (numpy/core/numerictypes.py): float32/64 are floating and
     * inexact, int32/64 signedinteger, uint8 unsignedinteger, all of them number but bool_;
     * every NumPy scalar is a generic */
    static const char *const abstract[] = {"np.generic", "np.number", "np.inexact", "np.floating", "np.integer",
                                           "np.signedinteger", "np.unsignedinteger"};
    for (int k = 0; k < (int)(sizeof abstract / sizeof *abstract); k++) {
      if (strcmp(p, abstract[k]) != 0) continue;
      sf_dtype d = v->dtype;
      bool sc = sf_np_is_scalar(v), fl = sc && sf_dtype_is_float(d), in = sc && sf_dtype_is_int(d);
      *r = k == 0 ? sc : k == 1 ? fl || in : k <= 3 ? fl : k == 4 ? in : k == 5 ? in && d != SF_UINT8 : in && d == SF_UINT8;
      return SF_OK;
    }
    return sf_error_at(I->err, a->call->line, a->call->col, SF_ENAME, "unsupported: isinstance() with %s", p[0] ? p : "an API class");
  }
  return sf_py_raise(I, a->call, BC_TYPEERR, "isinstance() arg 2 must be a type, a tuple of types, or a union");
}

NATIVE(b_isinstance) {
  (void)self;
  sf_status st = nargs(I, a, "isinstance", 2, 2);
  bool r;
  if (st == SF_OK && sf_py_lazy_error(I, a->call, &a->pos[0], &st)) return st;
  if (st == SF_OK) st = class_tuple_check(I, a, &a->pos[0], &a->pos[1], &r);
  if (st == SF_OK) *out = sf_bool(r);
  return st;
}

NATIVE(b_issubclass) {
  (void)self;
  sf_status st = nargs(I, a, "issubclass", 2, 2);
  if (st != SF_OK) return st;
  if (!sf_is(&a->pos[0], O_CLASS) || !sf_is(&a->pos[1], O_CLASS)) return sf_py_raise(I, a->call, BC_TYPEERR, "issubclass() arg 1 must be a class");
  bool r = false;
  for (sf_class *k = (sf_class *)a->pos[0].o; k && !r; k = k->base) r = k == (sf_class *)a->pos[1].o;
  *out = sf_bool(r);
  return SF_OK;
}

/* Whether lazy method m (V_METHOD: looked up when called) is known to exist: a tensor's numpy(),
 * a NumPy array's real methods (realnames.c). */
static bool known_method(const sf_val *m, const char *name) {
  const sf_val *self = m->items;
  if (self->kind != V_TENSOR) return false;
  return self->numpy ? sf_py_real_name("numpy.ndarray", name) == 1 : strcmp(name, "numpy") == 0;
}

NATIVE(b_hasattr) {
  (void)self;
  sf_status st = nargs(I, a, "hasattr", 2, 2);
  if (st != SF_OK) return st;
  if (!sf_is(&a->pos[1], O_STR)) return sf_py_raise(I, a->call, BC_TYPEERR, "attribute name must be string");
  sf_val v = {0};
  bool r; /* as getattr: what x.name gives (a tensor's, an array's, an object's) */
  const char *name = SF_STR(&a->pos[1])->s;
  if ((st = sf_py_lookup_attr(I, a->call, &a->pos[0], name, &v, &r)) != SF_OK) return st;
  /* a TF object's method is looked up when called: only numpy() is known to be there */
  if (r && v.kind == V_METHOD && !known_method(&v, name))
    return sf_arg_error(I, a, SF_ENAME, "unsupported: hasattr() of a %s's '%s' (seedflow knows a method when it is called)",
                        sf_type_name(v.items), name);
  if (r) sf_val_drop(&v);
  *out = sf_bool(r);
  return st;
}

NATIVE(b_getattr) {
  (void)self;
  sf_status st = nargs(I, a, "getattr", 2, 3);
  if (st != SF_OK) return st;
  if (!sf_is(&a->pos[1], O_STR)) return sf_py_raise(I, a->call, BC_TYPEERR, "attribute name must be string");
  bool found;
  const char *name = SF_STR(&a->pos[1])->s;
  if ((st = sf_py_lookup_attr(I, a->call, &a->pos[0], name, out, &found)) != SF_OK) return st;
  if (found && a->npos == 3 && out->kind == V_METHOD && !known_method(out, name))
    return sf_arg_error(I, a, SF_ENAME, "unsupported: getattr() of a %s's '%s' with a default (seedflow knows a method "
                        "when it is called)", sf_type_name(out->items), name);
  if (found) return SF_OK;
  if (a->npos == 3) return *out = a->pos[2], sf_val_ref(out), SF_OK;
  return sf_py_attr_error(I, a->call, &a->pos[0], SF_STR(&a->pos[1])->s);
}

NATIVE(b_setattr) {
  (void)self;
  sf_status st = nargs(I, a, "setattr", 3, 3);
  if (st != SF_OK) return st;
  if (!sf_is(&a->pos[1], O_STR)) return sf_py_raise(I, a->call, BC_TYPEERR, "attribute name must be string");
  if (!sf_is(&a->pos[0], O_INST)) return sf_py_raise(I, a->call, BC_ATTRERR, "'%s' object attribute is read-only", sf_type_name(&a->pos[0]));
  if (!strcmp(SF_STR(&a->pos[1])->s, "__dict__") || !strcmp(SF_STR(&a->pos[1])->s, "__class__"))
    return sf_error_at(I->err, a->call ? a->call->line : I->line, a->call ? a->call->col : 1, SF_ENAME,
                       "unsupported: assigning an object's '%s' (it would replace its attributes or its class)", SF_STR(&a->pos[1])->s);
  *out = sf_none();
  return sf_dict_set_str(((sf_inst *)a->pos[0].o)->attrs, SF_STR(&a->pos[1])->s, &a->pos[2]) ? SF_OK : sf_py_oom(I);
}

NATIVE(b_callable) {
  (void)self;
  sf_status st = nargs(I, a, "callable", 1, 1);
  if (st != SF_OK) return st;
  const sf_val *v = &a->pos[0];
  bool r = v->kind == V_BUILTIN || v->kind == V_METHOD || sf_is(v, O_FUNC) || sf_is(v, O_NATIVE) || sf_is(v, O_CLASS) ||
           sf_is(v, O_BOUND);
  if (sf_is(v, O_INST)) {
    sf_val m = {0};
    r = sf_py_getattr(I, v, "__call__", &m, &st);
    if (r && st == SF_OK) sf_val_drop(&m);
  }
  *out = sf_bool(r);
  return st;
}

NATIVE(b_repr) {
  (void)self;
  sf_status st = nargs(I, a, "repr", 1, 1);
  return st != SF_OK ? st : sf_py_str(I, &a->pos[0], true, out);
}

NATIVE(b_ascii) {
  (void)self;
  sf_status st = nargs(I, a, "ascii", 1, 1);
  return st != SF_OK ? st : sf_py_ascii(I, &a->pos[0], out);
}

NATIVE(b_hash) {
  (void)self;
  sf_status st = nargs(I, a, "hash", 1, 1);
  if (st != SF_OK) return st;
  int64_t h;
  if (sf_inst_hash_rule(&a->pos[0]) == SF_HASH_OWN) { /* slot_tp_hash: an int, its own hash; -1 is -2 */
    sf_val m = {0}, r = {0};
    if (!sf_py_getattr(I, &a->pos[0], "__hash__", &m, &st)) return sf_py_unhashable(I, a->call, &a->pos[0]);
    sf_args none = {.call = a->call};
    if (st == SF_OK) st = sf_py_call(I, &m, &none, &r);
    sf_val_drop(&m);
    if (st != SF_OK) return st;
    bool is_int = (r.kind == V_INT || r.kind == V_BOOL) && !r.numpy;
    if (is_int) h = r.kind == V_INT ? (r.i == -1 ? -2 : r.i) : r.b; /* PyLong_AsSsize_t: a 64-bit result as it is */
    sf_val_drop(&r);
    if (!is_int) return sf_py_raise(I, a->call, BC_TYPEERR, "__hash__ method should return an integer");
    return *out = sf_int(h), SF_OK;
  }
  if (!sf_py_hash(&a->pos[0], &h)) return sf_py_unhashable(I, a->call, &a->pos[0]);
  *out = sf_int(h);
  return SF_OK;
}

NATIVE(b_id) {
  (void)self;
  sf_status st = nargs(I, a, "id", 1, 1);
  if (st != SF_OK) return st;
  *out = sf_int(a->pos[0].kind == V_OBJ ? (int64_t)(uintptr_t)a->pos[0].o : (int64_t)a->pos[0].kind * 8 + a->pos[0].i);
  return SF_OK;
}

NATIVE(b_chr) {
  (void)self;
  sf_status st = nargs(I, a, "chr", 1, 1);
  int64_t c = 0;
  if (st != SF_OK || (st = want_int(I, a, &a->pos[0], &c)) != SF_OK) return st;
  if (c < 0 || c > 0x10FFFF) return sf_py_raise(I, a->call, BC_VALUEERR, "chr() arg not in range(0x110000)");
  char b[4];
  return new_str(I, b, sf_utf8_encode((uint32_t)c, b), out);
}

/* bin / oct / hex: the int in base 2, 8 or 16 with CPython's prefix, '-' before it. */
static sf_status base_text(sf_interp *I, const sf_args *a, const char *fname, int shift, const char *prefix, sf_val *out) {
  if (a->nkw) return sf_py_raise(I, a->call, BC_TYPEERR, "%s() takes no keyword arguments", fname);
  sf_status st = nargs_kw(I, a, fname, 1, 1);
  int64_t x = 0;
  if (st != SF_OK || (st = want_int(I, a, &a->pos[0], &x)) != SF_OK) return st;
  uint64_t u = x < 0 ? 0 - (uint64_t)x : (uint64_t)x; /* INT64_MIN too */
  char digits[72], buf[80];
  int n = 0;
  do {
    digits[n++] = "0123456789abcdef"[u & ((1u << shift) - 1)];
    u >>= shift;
  } while (u);
  int k = snprintf(buf, sizeof buf, "%s%s", x < 0 ? "-" : "", prefix);
  while (n) buf[k++] = digits[--n];
  return new_str(I, buf, (size_t)k, out);
}
NATIVE(b_bin) { (void)self; return base_text(I, a, "bin", 1, "0b", out); }
NATIVE(b_oct) { (void)self; return base_text(I, a, "oct", 3, "0o", out); }
NATIVE(b_hex) { (void)self; return base_text(I, a, "hex", 4, "0x", out); }

NATIVE(b_ord) {
  (void)self;
  sf_status st = nargs(I, a, "ord", 1, 1);
  if (st != SF_OK) return st;
  if (!sf_is(&a->pos[0], O_STR)) return sf_py_raise(I, a->call, BC_TYPEERR, "ord() expected string of length 1, but %s found", sf_type_name(&a->pos[0]));
  const unsigned char *s = (const unsigned char *)SF_STR(&a->pos[0])->s;
  size_t len = SF_STR(&a->pos[0])->len;
  unsigned cp = s[0];
  size_t n = cp < 0x80 ? 1 : cp < 0xE0 ? 2 : cp < 0xF0 ? 3 : 4;
  if (len != n) return sf_py_raise(I, a->call, BC_TYPEERR, "ord() expected a character, but string of length %zu found", len);
  if (n > 1) {
    cp &= n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07;
    for (size_t i = 1; i < n; i++) cp = (cp << 6) | (s[i] & 0x3F);
  }
  *out = sf_int(cp);
  return SF_OK;
}

NATIVE(b_format) {
  (void)self;
  sf_status st = nargs(I, a, "format", 1, 2);
  if (st != SF_OK) return st;
  sf_buf b = {0};
  st = sf_py_format(I, a->call, &b, &a->pos[0], a->npos > 1 && sf_is(&a->pos[1], O_STR) ? SF_STR(&a->pos[1])->s : "");
  if (st == SF_OK) st = new_str(I, b.s ? b.s : "", b.n, out);
  free(b.s);
  return st;
}

/* ---- built-in classes: constructors ---- */

static sf_status parse_int_text(sf_interp *I, const sf_args *a, const char *s, int64_t base, sf_val *out) {
  const char *p = s;
  while (*p == ' ' || *p == '\t' || *p == '\n') p++;
  bool neg = false;
  if (*p == '+' || *p == '-') neg = *p++ == '-';
  if (base == 0 || base == 16 || base == 8 || base == 2) {
    if (p[0] == '0' && (p[1] | 0x20) == 'x' && (base == 0 || base == 16)) base = 16, p += 2;
    else if (p[0] == '0' && (p[1] | 0x20) == 'o' && (base == 0 || base == 8)) base = 8, p += 2;
    else if (p[0] == '0' && (p[1] | 0x20) == 'b' && (base == 0 || base == 2)) base = 2, p += 2;
    else if (base == 0) base = 10;
  }
  uint64_t v = 0;
  int digits = 0;
  bool ovf = false;
  for (; *p; p++) {
    if (*p == '_' && digits) continue;
    int d = *p >= '0' && *p <= '9' ? *p - '0' : (*p | 0x20) >= 'a' && (*p | 0x20) <= 'z' ? (*p | 0x20) - 'a' + 10 : 99;
    if (d >= base) break;
    if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) ovf = true;
    v = v * (uint64_t)base + (uint64_t)d;
    digits++;
  }
  while (*p == ' ' || *p == '\t' || *p == '\n') p++;
  if (!digits || *p) return sf_py_raise(I, a->call, BC_VALUEERR, "invalid literal for int() with base %" PRId64 ": '%s'", base, s);
  if (ovf || v > (uint64_t)INT64_MAX + neg)
    return sf_py_int64_limit(I, a->call, "int('%s') does not fit in 64 bits", s);
  *out = sf_int(neg ? (int64_t)(0 - v) : (int64_t)v);
  return SF_OK;
}

sf_status sf_py_float_to_int(sf_interp *I, const sf_expr *at, double f, sf_val *out) {
  if (isnan(f)) return sf_py_raise(I, at, BC_VALUEERR, "cannot convert float NaN to integer");
  if (isinf(f)) return sf_py_raise(I, at, BC_OVERFLOW, "cannot convert float infinity to integer");
  double t = trunc(f);
  if (t >= 9223372036854775808.0 || t < -9223372036854775808.0)
    return sf_py_int64_limit(I, at, "int() of %g does not fit in 64 bits", f);
  return *out = sf_int((int64_t)t), SF_OK;
}

NATIVE(c_int) {
  (void)self;
  for (int k = 0; k < a->nkw; k++) /* int(x, /, base=10) */
    if (strcmp(a->kwnames[k], "base") != 0)
      return sf_py_raise(I, a->call, BC_TYPEERR, "'%s' is an invalid keyword argument for int()", a->kwnames[k]);
  static const char *const names[] = {"", "base"};
  sf_val pos[2];
  sf_args m;
  if (a->nkw && a->npos == 0) return sf_py_raise(I, a->call, BC_TYPEERR, "int() missing string argument");
  sf_status st = merge_kw(I, a, "int", names, 2, pos, &m);
  if (st == SF_OK) st = nargs_kw(I, &m, "int", 0, 2);
  if (st != SF_OK) return st;
  a = &m;
  if (a->npos == 0) return *out = sf_int(0), SF_OK;
  const sf_val *v = &a->pos[0];
  if (a->npos == 2) {
    int64_t base = 10;
    if ((st = want_int(I, a, &a->pos[1], &base)) != SF_OK) return st;
    if (!sf_is(v, O_STR)) return sf_py_raise(I, a->call, BC_TYPEERR, "int() can't convert non-string with explicit base");
    return parse_int_text(I, a, SF_STR(v)->s, base, out);
  }
  if (is_int(v)) return *out = sf_int(as_int(v)), SF_OK;
  if (v->kind == V_FLOAT) return sf_py_float_to_int(I, a->call, v->f, out);
  if (sf_is(v, O_STR)) return parse_int_text(I, a, SF_STR(v)->s, 10, out);
  if (v->kind == V_TENSOR) { /* int(t) is int(t.numpy()): a NumPy scalar's rules */
    double x;
    if ((st = sf_api_tensor_scalar(I, a, v, &x)) != SF_OK) return st;
    sf_tensor *t = sf_b_host_value(I, v); /* one element: checked above */
    if (!sf_dtype_is_float(t->dtype)) return *out = sf_int(sf_tensor_get_i64(t, 0)), SF_OK; /* every bit of an int64 */
    return sf_py_float_to_int(I, a->call, x, out);
  }
  return sf_py_raise(I, a->call, BC_TYPEERR, "int() argument must be a string, a bytes-like object or a real number, not '%s'", sf_type_name(v));
}

NATIVE(c_float) {
  (void)self;
  sf_status st = nargs(I, a, "float", 0, 1);
  if (st != SF_OK) return st;
  if (a->npos == 0) return *out = sf_float(0), SF_OK;
  const sf_val *v = &a->pos[0];
  if (sf_is_number(v)) return *out = sf_float(sf_num(v)), SF_OK;
  if (sf_is(v, O_STR)) {
    const char *s = SF_STR(v)->s;
    char *end;
    while (*s == ' ') s++;
    double f = strtod(s, &end);
    while (*end == ' ' || *end == '\n') end++;
    if (end == s || *end) return sf_py_raise(I, a->call, BC_VALUEERR, "could not convert string to float: '%s'", SF_STR(v)->s);
    return *out = sf_float(f), SF_OK;
  }
  if (v->kind == V_TENSOR) {
    double x;
    if ((st = sf_api_tensor_scalar(I, a, v, &x)) != SF_OK) return st;
    return *out = sf_float(x), SF_OK;
  }
  return sf_py_raise(I, a->call, BC_TYPEERR, "float() argument must be a string or a real number, not '%s'", sf_type_name(v));
}

NATIVE(c_bool) {
  (void)self;
  sf_status st = nargs(I, a, "bool", 0, 1);
  bool t = false;
  if (st == SF_OK && a->npos) st = sf_ctl_truth(I, a->call, &a->pos[0], "bool()", &t);
  if (st == SF_OK) *out = sf_bool(t);
  return st;
}

NATIVE(c_str) {
  (void)self;
  static const char *const names[] = {"object", "encoding", "errors"};
  sf_val pos[3];
  sf_args m;
  sf_status st = merge_kw(I, a, "str", names, 3, pos, &m);
  if (st == SF_OK && m.npos > 1) /* str(b, encoding): bytes */
    return sf_error_at(I->err, a->call->line, a->call->col, SF_ENAME, "unsupported: str() with an encoding (bytes)");
  if (st == SF_OK) st = nargs_kw(I, &m, "str", 0, 1);
  if (st != SF_OK) return st;
  a = &m;
  if (a->npos == 0) return new_str(I, "", 0, out);
  return sf_py_str(I, &a->pos[0], false, out);
}

NATIVE(c_list) {
  (void)self;
  sf_status st = nargs(I, a, "list", 0, 1);
  if (st != SF_OK) return st;
  if (a->npos == 0) return sf_list_new(O_LIST, 0, out) ? SF_OK : sf_py_oom(I);
  return sf_py_to_list(I, a->call, &a->pos[0], O_LIST, out);
}

NATIVE(c_tuple) {
  (void)self;
  sf_status st = nargs(I, a, "tuple", 0, 1);
  if (st != SF_OK) return st;
  if (a->npos == 0) return sf_list_new(O_TUPLE, 0, out) ? SF_OK : sf_py_oom(I);
  if (sf_is(&a->pos[0], O_TUPLE) && !SF_LIST(&a->pos[0])->tshape) return *out = a->pos[0], sf_val_ref(out), SF_OK;
  return sf_py_to_list(I, a->call, &a->pos[0], O_TUPLE, out);
}

static sf_status dict_update(sf_interp *I, const sf_args *a, sf_dict *d, const sf_val *src) {
  if (sf_is(src, O_DICT)) {
    for (int64_t i = 0; i < SF_DICT(src)->ne; i++)
      if (SF_DICT(src)->e[i].used && !sf_dict_set(d, &SF_DICT(src)->e[i].key, &SF_DICT(src)->e[i].value)) return sf_py_oom(I);
    return SF_OK;
  }
  sf_val l = {0};
  sf_status st = sf_py_to_list(I, a->call, src, O_LIST, &l);
  for (int64_t i = 0; st == SF_OK && i < SF_LIST(&l)->n; i++) {
    sf_val p = {0}, *e = &SF_LIST(&l)->items[i];
    if (!sf_py_maybe_iterable(e)) { /* CPython dict_merge_from_seq2 names the element */
      st = sf_py_raise(I, a->call, BC_TYPEERR, "cannot convert dictionary update sequence element #%" PRId64 " to a sequence", i);
      break;
    }
    if ((st = sf_py_to_list(I, a->call, e, O_LIST, &p)) != SF_OK) break;
    if (SF_LIST(&p)->n != 2)
      st = sf_py_raise(I, a->call, BC_VALUEERR, "dictionary update sequence element #%" PRId64 " has length %" PRId64 "; 2 is required", i, SF_LIST(&p)->n);
    else if (!sf_dict_set(d, &SF_LIST(&p)->items[0], &SF_LIST(&p)->items[1]))
      st = sf_py_unhashable(I, a->call, &SF_LIST(&p)->items[0]);
    sf_val_drop(&p);
  }
  sf_val_drop(&l); /* already dropped when converting it failed */
  return st;
}

NATIVE(c_dict) {
  (void)self;
  sf_status st = nargs_kw(I, a, "dict", 0, 1);
  if (st != SF_OK) return st;
  if (!sf_dict_new(O_DICT, out)) return sf_py_oom(I);
  if (a->npos == 1 && (st = dict_update(I, a, SF_DICT(out), &a->pos[0])) != SF_OK) return sf_val_drop(out), st;
  for (int k = 0; k < a->nkw; k++)
    if (!sf_dict_set_str(SF_DICT(out), a->kwnames[k], &a->kw[k])) return sf_val_drop(out), sf_py_oom(I);
  return SF_OK;
}

NATIVE(c_set) {
  (void)self;
  sf_status st = nargs(I, a, "set", 0, 1);
  if (st != SF_OK) return st;
  if (!sf_dict_new(O_SET, out)) return sf_py_oom(I);
  if (a->npos == 0) return SF_OK;
  if ((st = sf_py_set_update(I, a->call, SF_DICT(out), &a->pos[0])) != SF_OK) sf_val_drop(out);
  return st;
}

NATIVE(c_type) {
  (void)self;
  sf_status st = nargs(I, a, "type", 1, 1);
  if (st != SF_OK || sf_py_lazy_error(I, a->call, &a->pos[0], &st)) return st;
  sf_vkind k = a->pos[0].kind; /* a Keras layer, model, optimizer or loss, a tf.random.Generator: classes not modelled */
  if (k == V_LAYER || k == V_MODEL || k == V_OPTIMIZER || k == V_LOSS || k == V_GENERATOR)
    return sf_error_at(I->err, a->call->line, a->call->col, SF_ENAME, "unsupported: type() of %s",
                       k == V_LAYER ? "a Keras layer" : k == V_MODEL ? "a Keras model" : k == V_OPTIMIZER ? "a Keras optimizer"
                       : k == V_LOSS ? "a Keras loss" : "a tf.random.Generator");
  sf_class *c = sf_py_type(I, &a->pos[0]);
  *out = sf_obj_val(c);
  sf_val_ref(out);
  return SF_OK;
}

NATIVE(c_object) {
  (void)self;
  (void)a;
  sf_inst *x = sf_obj_alloc(O_INST, sizeof *x);
  if (!x || !(x->attrs = sf_dict_alloc(O_DICT))) return free(x), sf_py_oom(I);
  x->cls = PY(I)->cls[BC_OBJECT];
  x->cls->h.rc++;
  *out = sf_obj_val(x);
  return SF_OK;
}

/* BaseException.__init__(self, *args): the args tuple str() and repr() show. */
NATIVE(exc_init) {
  (void)self;
  if (a->npos < 1 || !sf_is(&a->pos[0], O_INST)) return sf_py_raise(I, a->call, BC_TYPEERR, "__init__() needs an instance");
  sf_inst *x = (sf_inst *)a->pos[0].o;
  sf_val t = {0};
  if (!sf_list_new(O_TUPLE, a->npos - 1, &t)) return sf_py_oom(I);
  for (int i = 1; i < a->npos; i++) {
    SF_LIST(&t)->items[i - 1] = a->pos[i];
    sf_val_ref(&a->pos[i]);
  }
  sf_val_drop(&x->args);
  x->args = t;
  *out = sf_none();
  return SF_OK;
}

/* object.__init__(self): nothing to do. */
NATIVE(object_init) {
  (void)self;
  (void)a;
  (void)I;
  *out = sf_none();
  return SF_OK;
}


/* property(fget, fset), classmethod(f), staticmethod(f): instances of built-in classes
 * whose attributes the evaluator's attribute lookup (eval.c) interprets. */
static sf_status descriptor(sf_interp *I, sf_builtin_class bc, const char *const *names, int n, const sf_args *a, sf_val *out) {
  sf_inst *x = sf_obj_alloc(O_INST, sizeof *x);
  if (!x || !(x->attrs = sf_dict_alloc(O_DICT))) return free(x), sf_py_oom(I);
  x->cls = PY(I)->cls[bc];
  x->cls->h.rc++;
  *out = sf_obj_val(x);
  for (int i = 0; i < n; i++) {
    const sf_val *v = i < a->npos ? &a->pos[i] : kwarg(a, names[i]);
    sf_val none = sf_none();
    if (!sf_dict_set_str(x->attrs, names[i], v ? v : &none)) return sf_val_drop(out), sf_py_oom(I);
  }
  return SF_OK;
}

static const char *const property_fields[] = {"fget", "fset"};
static const char *const method_fields[] = {"__func__"};
NATIVE(c_property) { (void)self; return descriptor(I, BC_PROPERTY, property_fields, 2, a, out); }
NATIVE(c_classmethod) {
  (void)self;
  sf_status st = nargs(I, a, "classmethod", 1, 1);
  return st != SF_OK ? st : descriptor(I, BC_CLASSMETHOD, method_fields, 1, a, out);
}
NATIVE(c_staticmethod) {
  (void)self;
  sf_status st = nargs(I, a, "staticmethod", 1, 1);
  return st != SF_OK ? st : descriptor(I, BC_STATICMETHOD, method_fields, 1, a, out);
}

/* prop.setter(f): a copy of prop with f as its setter. */
NATIVE(m_property_setter) {
  sf_status st = nargs(I, a, "setter", 1, 1);
  if (st != SF_OK) return st;
  sf_val args[2] = {*sf_dict_get_str(((sf_inst *)self->o)->attrs, "fget"), a->pos[0]};
  sf_args pa = {.call = a->call, .pos = args, .npos = 2};
  return descriptor(I, BC_PROPERTY, property_fields, 2, &pa, out);
}

bool sf_py_property_setter(sf_interp *I, const sf_val *prop, sf_val *out, sf_status *st) {
  *st = SF_OK;
  sf_native *n = sf_obj_alloc(O_NATIVE, sizeof *n);
  if (!n) return *st = sf_py_oom(I), true;
  n->name = "setter";
  n->fn = m_property_setter;
  n->self = *prop;
  sf_val_ref(prop);
  *out = sf_obj_val(n);
  return true;
}

/* ---- methods of built-in values ---- */

#define SELF_STR (SF_STR(self))
#define SELF_LIST (SF_LIST(self))
#define SELF_DICT (SF_DICT(self))

NATIVE(m_str_join) {
  sf_status st = nargs(I, a, "join", 1, 1);
  sf_val l = {0};
  if (st != SF_OK || (st = sf_py_to_list(I, a->call, &a->pos[0], O_LIST, &l)) != SF_OK) return st;
  sf_buf b = {0};
  for (int64_t i = 0; i < SF_LIST(&l)->n; i++) {
    sf_val *x = &SF_LIST(&l)->items[i];
    if (!sf_is(x, O_STR)) { /* raised before the list goes: x is one of its items */
      st = sf_py_raise(I, a->call, BC_TYPEERR, "sequence item %" PRId64 ": expected str instance, %s found", i, sf_type_name(x));
      sf_val_drop(&l);
      free(b.s);
      return st;
    }
    if (i) sf_buf_put(&b, SELF_STR->s, SELF_STR->len);
    sf_buf_put(&b, SF_STR(x)->s, SF_STR(x)->len);
  }
  sf_val_drop(&l);
  st = b.oom ? sf_py_oom(I) : new_str(I, b.s ? b.s : "", b.n, out);
  free(b.s);
  return st;
}

/* The first occurrence of needle[0, nl) in hay[0, hl) (memmem, which POSIX lacks): NUL
 * bytes are characters like any other. NULL when there is none. */
static const char *find_bytes(const char *hay, size_t hl, const char *needle, size_t nl) {
  if (nl == 0) return hay;
  for (size_t i = 0; i + nl <= hl; i++)
    if (hay[i] == needle[0] && memcmp(hay + i, needle, nl) == 0) return hay + i;
  return NULL;
}

/* str.isspace's ASCII characters: \t \n \v \f \r, \x1c-\x1f and the space. */
static bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f'); }

/* Whether s holds a non-ASCII whitespace or line-break character (U+0085, U+00A0, U+1680,
 * U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000), which the ASCII scans here miss. */
static bool unicode_space(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0; i + 1 < n; i++) {
    if (u[i] == 0xC2 && (u[i + 1] == 0x85 || u[i + 1] == 0xA0)) return true;
    if (i + 2 < n && ((u[i] == 0xE1 && u[i + 1] == 0x9A && u[i + 2] == 0x80) || (u[i] == 0xE3 && u[i + 1] == 0x80 && u[i + 2] == 0x80) ||
                      (u[i] == 0xE2 && u[i + 1] == 0x80 && (u[i + 2] <= 0x8A || u[i + 2] == 0xA8 || u[i + 2] == 0xA9 || u[i + 2] == 0xAF)) ||
                      (u[i] == 0xE2 && u[i + 1] == 0x81 && u[i + 2] == 0x9F)))
      return true;
  }
  return false;
}

static bool non_ascii(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] & 0x80) return true;
  return false;
}

/* What seedflow's ASCII tables cannot answer for this text: Unicode's cases, classes and spaces. */
static sf_status unicode_unsupported(sf_interp *I, const sf_args *a, const char *method, const char *what) {
  return sf_error_at(I->err, a->call ? a->call->line : I->line, a->call ? a->call->col : 1, SF_ENAME,
                     "unsupported: str.%s of text with %s", method, what);
}


/* Whether the character s[i, i + k) is one of chars' (whole UTF-8 characters). */
static bool in_chars(const char *chars, size_t nc, const char *c, size_t k) {
  for (size_t j = 0; j < nc; j += sf_utf8_char(chars + j, nc - j, NULL))
    if (sf_utf8_char(chars + j, nc - j, NULL) == k && memcmp(chars + j, c, k) == 0) return true;
  return false;
}

static sf_status strip(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out, const char *name, bool left, bool right) {
  sf_status st = nargs(I, a, name, 0, 1);
  if (st != SF_OK) return st;
  const sf_val *cv = a->npos ? &a->pos[0] : NULL;
  if (cv && cv->kind != V_NONE && !sf_is(cv, O_STR))
    return sf_py_raise(I, a->call, BC_TYPEERR, "%s arg must be None or str", name);
  const char *chars = cv && sf_is(cv, O_STR) ? SF_STR(cv)->s : NULL, *s = SELF_STR->s;
  size_t nc = chars ? SF_STR(cv)->len : 0, b = 0, e = SELF_STR->len;
  if (!chars && unicode_space(s, e)) return unicode_unsupported(I, a, name, "non-ASCII whitespace");
  while (left && b < e) {
    size_t k = sf_utf8_char(s + b, e - b, NULL);
    if (!(chars ? in_chars(chars, nc, s + b, k) : is_space(s[b]))) break;
    b += k;
  }
  while (right && e > b) {
    size_t c = e - 1;
    while (c > b && ((unsigned char)s[c] & 0xC0) == 0x80) c--;
    if (!(chars ? in_chars(chars, nc, s + c, e - c) : is_space(s[c]))) break;
    e = c;
  }
  return new_str(I, s + b, e - b, out);
}

NATIVE(m_str_strip) { return strip(I, self, a, out, "strip", true, true); }
NATIVE(m_str_lstrip) { return strip(I, self, a, out, "lstrip", true, false); }
NATIVE(m_str_rstrip) { return strip(I, self, a, out, "rstrip", false, true); }

static sf_status map_chars(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out, int mode) {
  static const char *const names[] = {"upper", "lower", "title", "capitalize", "swapcase", "casefold"};
  if (non_ascii(SELF_STR->s, SELF_STR->len)) return unicode_unsupported(I, a, names[mode], "non-ASCII characters (Unicode case mapping)");
  if (mode == 5) mode = 1; /* casefold of ASCII text is its lower case */
  if (!sf_str_new(SELF_STR->s, SELF_STR->len, out)) return sf_py_oom(I);
  char *s = SF_STR(out)->s;
  bool start = true;
  for (size_t i = 0; i < SF_STR(out)->len; i++) {
    char c = s[i];
    bool alpha = ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    if (mode == 0 && c >= 'a' && c <= 'z') s[i] = (char)(c - 32);
    if (mode == 1 && c >= 'A' && c <= 'Z') s[i] = (char)(c + 32);
    if (mode == 2) s[i] = alpha ? (char)(start ? (c & ~0x20) : (c | 0x20)) : c;
    if (mode == 3) s[i] = alpha ? (char)(i == 0 ? (c & ~0x20) : (c | 0x20)) : c;
    if (mode == 4) s[i] = alpha ? (char)(c ^ 0x20) : c;
    start = !alpha;
  }
  return SF_OK;
}

/* A str method of no arguments (METH_NOARGS): CPython's texts for any given. */
static sf_status no_args(sf_interp *I, const sf_args *a, const char *name) {
  if (a->nkw) return sf_py_raise(I, a->call, BC_TYPEERR, "str.%s() takes no keyword arguments", name);
  if (a->npos) return sf_py_raise(I, a->call, BC_TYPEERR, "str.%s() takes no arguments (%d given)", name, a->npos);
  return SF_OK;
}

static sf_status case_method(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out, const char *name, int mode) {
  sf_status st = no_args(I, a, name);
  return st != SF_OK ? st : map_chars(I, self, a, out, mode);
}
NATIVE(m_str_upper) { return case_method(I, self, a, out, "upper", 0); }
NATIVE(m_str_lower) { return case_method(I, self, a, out, "lower", 1); }
NATIVE(m_str_title) { return case_method(I, self, a, out, "title", 2); }
NATIVE(m_str_capitalize) { return case_method(I, self, a, out, "capitalize", 3); }
NATIVE(m_str_swapcase) { return case_method(I, self, a, out, "swapcase", 4); }
NATIVE(m_str_casefold) { return case_method(I, self, a, out, "casefold", 5); }

/* split and rsplit's arguments (sep=None, maxsplit=-1): CPython's texts for too many, an
 * unknown keyword, and one given twice. */
static sf_status split_args(sf_interp *I, const sf_args *a, const char *name) {
  if (a->npos > 2) return sf_py_raise(I, a->call, BC_TYPEERR, "%s() takes at most 2 arguments (%d given)", name, a->npos);
  for (int k = 0; k < a->nkw; k++) {
    int at = strcmp(a->kwnames[k], "sep") == 0 ? 0 : strcmp(a->kwnames[k], "maxsplit") == 0 ? 1 : -1;
    if (at < 0) return sf_py_raise(I, a->call, BC_TYPEERR, "'%s' is an invalid keyword argument for %s()", a->kwnames[k], name);
    if (at < a->npos)
      return sf_py_raise(I, a->call, BC_TYPEERR, "argument for %s() given by name ('%s') and position (%d)", name, a->kwnames[k], at + 1);
  }
  return SF_OK;
}

NATIVE(m_str_split) {
  sf_status st = split_args(I, a, "split");
  if (st != SF_OK) return st;
  const sf_val *sepv = a->npos ? &a->pos[0] : kwarg(a, "sep");
  const sf_val *maxv = a->npos > 1 ? &a->pos[1] : kwarg(a, "maxsplit");
  int64_t maxsplit = -1;
  if (maxv && (st = want_int(I, a, maxv, &maxsplit)) != SF_OK) return st;
  if ((!sepv || sepv->kind == V_NONE) && unicode_space(SELF_STR->s, SELF_STR->len))
    return unicode_unsupported(I, a, "split", "non-ASCII whitespace");
  if (!sf_list_new(O_LIST, 0, out)) return sf_py_oom(I);
  const char *s = SELF_STR->s, *end = s + SELF_STR->len;
  sf_val piece = {0};
  if (!sepv || sepv->kind == V_NONE) {
    while (true) {
      while (s < end && is_space(*s)) s++;
      if (s >= end) break;
      const char *b = s;
      if (maxsplit == 0) s = end;
      else while (s < end && !is_space(*s)) s++;
      if (maxsplit > 0) maxsplit--;
      if ((st = new_str(I, b, (size_t)(s - b), &piece)) != SF_OK) return sf_val_drop(out), st;
      sf_list_append(SF_LIST(out), &piece);
      sf_val_drop(&piece);
    }
    return SF_OK;
  }
  if (!sf_is(sepv, O_STR)) return sf_val_drop(out), sf_py_raise(I, a->call, BC_TYPEERR, "must be str or None, not %s", sf_type_name(sepv));
  const char *sep = SF_STR(sepv)->s;
  size_t sl = SF_STR(sepv)->len;
  if (!sl) return sf_val_drop(out), sf_py_raise(I, a->call, BC_VALUEERR, "empty separator");
  for (;;) {
    const char *f = maxsplit == 0 ? NULL : find_bytes(s, (size_t)(end - s), sep, sl);
    const char *e = f ? f : end;
    if ((st = new_str(I, s, (size_t)(e - s), &piece)) != SF_OK) return sf_val_drop(out), st;
    sf_list_append(SF_LIST(out), &piece);
    sf_val_drop(&piece);
    if (!f) break;
    s = f + sl;
    if (maxsplit > 0) maxsplit--;
  }
  return SF_OK;
}

/* str.rsplit(sep=None, maxsplit=-1) (stringlib rsplit_whitespace, rsplit): pieces found
 * from the right, at most maxsplit cuts; the rest is one piece, in order. */
NATIVE(m_str_rsplit) {
  sf_status st = split_args(I, a, "rsplit");
  if (st != SF_OK) return st;
  const sf_val *sepv = a->npos ? &a->pos[0] : kwarg(a, "sep");
  const sf_val *maxv = a->npos > 1 ? &a->pos[1] : kwarg(a, "maxsplit");
  int64_t maxsplit = -1;
  if (maxv && (st = want_int(I, a, maxv, &maxsplit)) != SF_OK) return st;
  if (sepv && sepv->kind != V_NONE && !sf_is(sepv, O_STR))
    return sf_py_raise(I, a->call, BC_TYPEERR, "must be str or None, not %s", sf_type_name(sepv));
  const char *sep = sepv && sepv->kind != V_NONE ? SF_STR(sepv)->s : NULL;
  size_t sl = sep ? SF_STR(sepv)->len : 0;
  if (sep && !sl) return sf_py_raise(I, a->call, BC_VALUEERR, "empty separator");
  if (!sep && unicode_space(SELF_STR->s, SELF_STR->len)) return unicode_unsupported(I, a, "rsplit", "non-ASCII whitespace");
  if (!sf_list_new(O_LIST, 0, out)) return sf_py_oom(I);
  const char *s = SELF_STR->s;
  int64_t i = (int64_t)SELF_STR->len - 1, left = maxsplit < 0 ? INT64_MAX : maxsplit;
  sf_val piece = {0};
  while (st == SF_OK) {
    int64_t b, e; /* the piece s[b, e) */
    if (!sep) {
      while (i >= 0 && is_space(s[i])) i--;
      if (i < 0) break;
      e = i + 1;
      if (left-- > 0)
        while (i >= 0 && !is_space(s[i])) i--;
      else i = -1;
      b = i + 1;
    } else {
      e = i + 1;
      int64_t f = -1;
      for (int64_t k = e - (int64_t)sl; left > 0 && k >= 0 && f < 0; k--)
        if (memcmp(s + k, sep, sl) == 0) f = k;
      b = f < 0 ? 0 : f + (int64_t)sl;
      i = f < 0 ? -2 : f - 1;
      left--;
    }
    if ((st = new_str(I, s + b, (size_t)(e - b), &piece)) == SF_OK) sf_list_append(SF_LIST(out), &piece), sf_val_drop(&piece);
    if (sep && i == -2) break;
  }
  if (st != SF_OK) return sf_val_drop(out), st;
  sf_list *l = SF_LIST(out);
  for (int64_t x = 0, y = l->n - 1; x < y; x++, y--) {
    sf_val t = l->items[x];
    l->items[x] = l->items[y], l->items[y] = t;
  }
  return SF_OK;
}

NATIVE(m_str_replace) {
  sf_status st = nargs(I, a, "replace", 2, 3);
  if (st != SF_OK) return st;
  if (!sf_is(&a->pos[0], O_STR) || !sf_is(&a->pos[1], O_STR)) return sf_py_raise(I, a->call, BC_TYPEERR, "replace() arguments must be str");
  int64_t count = -1;
  if (a->npos > 2 && (st = want_int(I, a, &a->pos[2], &count)) != SF_OK) return st;
  const char *old = SF_STR(&a->pos[0])->s, *new = SF_STR(&a->pos[1])->s;
  size_t ol = SF_STR(&a->pos[0])->len;
  sf_buf b = {0};
  const char *s = SELF_STR->s;
  size_t nl = SF_STR(&a->pos[1])->len, len = SELF_STR->len;
  const char *end = s + len;
  if (ol == 0) { /* new before every character and at the end */
    for (size_t i = 0; i <= len;) {
      if (count != 0) sf_buf_put(&b, new, nl), count--;
      if (i == len) break;
      size_t k = 1;
      while (i + k < len && ((unsigned char)s[i + k] & 0xC0) == 0x80) k++;
      sf_buf_put(&b, s + i, k);
      i += k;
    }
  } else {
    for (const char *f; count != 0 && (f = find_bytes(s, (size_t)(end - s), old, ol)); count--) {
      sf_buf_put(&b, s, (size_t)(f - s));
      sf_buf_put(&b, new, nl);
      s = f + ol;
    }
    sf_buf_put(&b, s, (size_t)(end - s));
  }
  st = new_str(I, b.s ? b.s : "", b.n, out);
  free(b.s);
  return st;
}

static sf_status str_bounds(sf_interp *I, const sf_args *a, int64_t n, int64_t bound[2]);
static size_t utf8_offset(const char *s, size_t n, int64_t k);

/* startswith / endswith(prefix or tuple of them[, start[, end]]): within the slice, which a
 * start past the end leaves empty of any match (tailmatch). */
static sf_status starts_ends(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out, bool ends) {
  const char *name = ends ? "endswith" : "startswith";
  if (a->nkw) return sf_py_raise(I, a->call, BC_TYPEERR, "str.%s() takes no keyword arguments", name);
  if (a->npos < 1 || a->npos > 3)
    return sf_py_raise(I, a->call, BC_TYPEERR, "%s() takes at %s %d argument%s (%d given)", name, a->npos < 1 ? "least" : "most",
                       a->npos < 1 ? 1 : 3, a->npos < 1 ? "" : "s", a->npos);
  int64_t nc = sf_utf8_count(SELF_STR->s, SELF_STR->len), bound[2] = {0, nc};
  sf_status st = str_bounds(I, a, nc, bound);
  if (st != SF_OK) return st;
  size_t lo = bound[0] > nc ? SELF_STR->len + 1 : utf8_offset(SELF_STR->s, SELF_STR->len, bound[0]);
  size_t hi = utf8_offset(SELF_STR->s, SELF_STR->len, bound[1] < bound[0] ? bound[0] : bound[1]);
  const sf_val *p = &a->pos[0];
  sf_val one = *p;
  const sf_val *cands = &one;
  int64_t n = 1;
  if (sf_is(p, O_TUPLE)) cands = SF_LIST(p)->items, n = SF_LIST(p)->n;
  bool r = false;
  for (int64_t i = 0; i < n && !r; i++) {
    if (!sf_is(&cands[i], O_STR)) return sf_py_raise(I, a->call, BC_TYPEERR, "%s first arg must be str or a tuple of str, not %s", ends ? "endswith" : "startswith", sf_type_name(&cands[i]));
    size_t pl = SF_STR(&cands[i])->len;
    if (lo <= SELF_STR->len && lo <= hi && pl <= hi - lo)
      r = memcmp(SELF_STR->s + (ends ? hi - pl : lo), SF_STR(&cands[i])->s, pl) == 0;
  }
  *out = sf_bool(r);
  return SF_OK;
}

NATIVE(m_str_startswith) { return starts_ends(I, self, a, out, false); }
NATIVE(m_str_endswith) { return starts_ends(I, self, a, out, true); }

/* The byte offset of character k (0 <= k <= its characters) in s. */
static size_t utf8_offset(const char *s, size_t n, int64_t k) {
  size_t i = 0;
  for (; i < n && k > 0; i++)
    if (i + 1 == n || ((unsigned char)s[i + 1] & 0xC0) != 0x80) k--;
  return i;
}

/* The start and end arguments (a->pos[1], a->pos[2]) as a slice's, over n characters: a
 * start past the end stays past it. */
static sf_status str_bounds(sf_interp *I, const sf_args *a, int64_t n, int64_t bound[2]) {
  for (int k = 1; k < a->npos; k++) {
    const sf_val *v = &a->pos[k];
    if (v->kind == V_NONE) continue;
    if (v->kind != V_INT && v->kind != V_BOOL)
      return sf_py_raise(I, a->call, BC_TYPEERR, "slice indices must be integers or None or have an __index__ method");
    int64_t x = v->kind == V_BOOL ? v->b : v->i;
    if (x < 0 && (x += n) < 0) x = 0;
    if (k == 2 && x > n) x = n;
    bound[k - 1] = x;
  }
  return SF_OK;
}

/* str.find / rfind / index / rindex (sub[, start[, end]]), Objects/unicodeobject.c
 * any_find_slice: character positions; start and end as a slice's, a start past the end
 * finding nothing, not even ''. index and rindex raise where find gives -1. */
static sf_status str_find(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out, const char *fname, bool last, bool raise) {
  if (a->nkw) return sf_py_raise(I, a->call, BC_TYPEERR, "str.%s() takes no keyword arguments", fname);
  if (a->npos < 1 || a->npos > 3) /* CPython's texts for these (stringlib's parse_args_finds) */
    return sf_py_raise(I, a->call, BC_TYPEERR, "%s() takes at %s %d argument%s (%d given)", fname, a->npos < 1 ? "least" : "most",
                       a->npos < 1 ? 1 : 3, a->npos < 1 ? "" : "s", a->npos);
  if (!sf_is(&a->pos[0], O_STR)) return sf_py_raise(I, a->call, BC_TYPEERR, "must be str, not %s", sf_type_name(&a->pos[0]));
  const char *s = SELF_STR->s, *sub = SF_STR(&a->pos[0])->s;
  size_t len = SELF_STR->len, sublen = SF_STR(&a->pos[0])->len;
  int64_t n = sf_utf8_count(s, len), bound[2] = {0, n};
  sf_status st = str_bounds(I, a, n, bound);
  if (st != SF_OK) return st;
  int64_t found = -1;
  if (bound[1] - bound[0] >= sf_utf8_count(sub, sublen)) {
    size_t lo = utf8_offset(s, len, bound[0]), hi = utf8_offset(s, len, bound[1]);
    size_t at = SIZE_MAX; /* the match's byte offset, counted in characters once */
    for (size_t p = lo; p + sublen <= hi && (last || at == SIZE_MAX); p++)
      if (((unsigned char)s[p] & 0xC0) != 0x80 && memcmp(s + p, sub, sublen) == 0) at = p;
    if (at != SIZE_MAX) found = sf_utf8_count(s, at);
  }
  if (found < 0 && raise) return sf_py_raise(I, a->call, BC_VALUEERR, "substring not found");
  *out = sf_int(found);
  return SF_OK;
}

NATIVE(m_str_find) { return str_find(I, self, a, out, "find", false, false); }
NATIVE(m_str_rfind) { return str_find(I, self, a, out, "rfind", true, false); }
NATIVE(m_str_index) { return str_find(I, self, a, out, "index", false, true); }
NATIVE(m_str_rindex) { return str_find(I, self, a, out, "rindex", true, true); }

/* str.count(sub[, start[, end]]): non-overlapping matches in the slice; '' matches between
 * every two characters (unicode_count_impl). */
NATIVE(m_str_count) {
  if (a->nkw) return sf_py_raise(I, a->call, BC_TYPEERR, "str.count() takes no keyword arguments");
  if (a->npos < 1 || a->npos > 3)
    return sf_py_raise(I, a->call, BC_TYPEERR, "count() takes at %s %d argument%s (%d given)", a->npos < 1 ? "least" : "most",
                       a->npos < 1 ? 1 : 3, a->npos < 1 ? "" : "s", a->npos);
  if (!sf_is(&a->pos[0], O_STR)) return sf_py_raise(I, a->call, BC_TYPEERR, "must be str, not %s", sf_type_name(&a->pos[0]));
  const char *s = SELF_STR->s, *sub = SF_STR(&a->pos[0])->s;
  size_t len = SELF_STR->len, pl = SF_STR(&a->pos[0])->len;
  int64_t n = sf_utf8_count(s, len), bound[2] = {0, n}, count = 0;
  sf_status st = str_bounds(I, a, n, bound);
  if (st != SF_OK) return st;
  if (bound[0] > n || bound[1] < bound[0]) count = 0;
  else if (!pl) count = bound[1] - bound[0] + 1;
  else {
    size_t lo = utf8_offset(s, len, bound[0]), hi = utf8_offset(s, len, bound[1]);
    for (size_t p = lo; p + pl <= hi;)
      if (memcmp(s + p, sub, pl) == 0) count++, p += pl;
      else p++;
  }
  *out = sf_int(count);
  return SF_OK;
}

/* isdigit, isalpha, isalnum, isspace, isdecimal, isnumeric, istitle, isidentifier, isupper,
 * islower of ASCII text (CPython's Unicode tables agree there); text with other characters
 * is named as unsupported. */
enum { T_DIGIT, T_ALPHA, T_ALNUM, T_SPACE, T_DECIMAL, T_NUMERIC, T_TITLE, T_IDENT, T_UPPER, T_LOWER };

static sf_status str_test(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out, int what) {
  static const char *const names[] = {"isdigit", "isalpha", "isalnum", "isspace", "isdecimal", "isnumeric", "istitle",
                                      "isidentifier", "isupper", "islower"};
  sf_status st = no_args(I, a, names[what]);
  if (st != SF_OK) return st;
  const char *s = SELF_STR->s;
  size_t n = SELF_STR->len;
  if (non_ascii(s, n)) return unicode_unsupported(I, a, names[what], "non-ASCII characters (Unicode character properties)");
  bool r = n > 0, cased = false, prev_cased = false;
  for (size_t i = 0; i < n && r; i++) {
    char c = s[i];
    bool d = c >= '0' && c <= '9', up = c >= 'A' && c <= 'Z', lo = c >= 'a' && c <= 'z', l = up || lo;
    switch (what) {
      case T_DIGIT: case T_DECIMAL: case T_NUMERIC: r = d; break;
      case T_ALPHA: r = l; break;
      case T_ALNUM: r = d || l; break;
      case T_SPACE: r = is_space(c); break;
      case T_IDENT: r = l || c == '_' || (i > 0 && d); break;
      case T_TITLE: /* an upper-case letter only after an uncased character, a lower-case one only after a cased one */
        if (up) r = !prev_cased, cased = true;
        else if (lo) r = prev_cased, cased = true;
        prev_cased = l;
        break;
      default: /* isupper, islower: some cased character and none of the other case */
        if (l) cased = true, r = what == T_UPPER ? up : lo;
        break;
    }
  }
  if (what == T_TITLE || what == T_UPPER || what == T_LOWER) r = r && cased;
  *out = sf_bool(r);
  return SF_OK;
}

NATIVE(m_str_isupper) { return str_test(I, self, a, out, T_UPPER); }
NATIVE(m_str_islower) { return str_test(I, self, a, out, T_LOWER); }
NATIVE(m_str_isdigit) { return str_test(I, self, a, out, T_DIGIT); }
NATIVE(m_str_isalpha) { return str_test(I, self, a, out, T_ALPHA); }
NATIVE(m_str_isalnum) { return str_test(I, self, a, out, T_ALNUM); }
NATIVE(m_str_isspace) { return str_test(I, self, a, out, T_SPACE); }
NATIVE(m_str_isdecimal) { return str_test(I, self, a, out, T_DECIMAL); }
NATIVE(m_str_isnumeric) { return str_test(I, self, a, out, T_NUMERIC); }
NATIVE(m_str_istitle) { return str_test(I, self, a, out, T_TITLE); }
NATIVE(m_str_isidentifier) { return str_test(I, self, a, out, T_IDENT); }

/* partition / rpartition(sep): the text before the first (last) sep, sep, the rest; not
 * found: (self, '', '') / ('', '', self). */
static sf_status partition(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out, bool last) {
  const char *name = last ? "rpartition" : "partition";
  sf_status st = nargs(I, a, name, 1, 1);
  if (st != SF_OK) return st;
  if (!sf_is(&a->pos[0], O_STR)) return sf_py_raise(I, a->call, BC_TYPEERR, "must be str, not %s", sf_type_name(&a->pos[0]));
  const char *s = SELF_STR->s, *sep = SF_STR(&a->pos[0])->s;
  size_t n = SELF_STR->len, sl = SF_STR(&a->pos[0])->len, at = SIZE_MAX;
  if (!sl) return sf_py_raise(I, a->call, BC_VALUEERR, "empty separator");
  for (size_t p = 0; p + sl <= n && (last || at == SIZE_MAX); p++)
    if (memcmp(s + p, sep, sl) == 0) at = p;
  size_t cut[2] = {at == SIZE_MAX ? (last ? 0 : n) : at, at == SIZE_MAX ? (last ? 0 : n) : at + sl};
  if (!sf_list_new(O_TUPLE, 3, out)) return sf_py_oom(I);
  sf_list *t = SF_LIST(out);
  if (new_str(I, s, cut[0], &t->items[0]) != SF_OK || new_str(I, s + cut[0], cut[1] - cut[0], &t->items[1]) != SF_OK ||
      new_str(I, s + cut[1], n - cut[1], &t->items[2]) != SF_OK)
    return sf_val_drop(out), sf_py_oom(I);
  return SF_OK;
}
NATIVE(m_str_partition) { return partition(I, self, a, out, false); }
NATIVE(m_str_rpartition) { return partition(I, self, a, out, true); }

/* removeprefix / removesuffix(affix): self without it when it starts (ends) with it. */
static sf_status remove_affix(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out, bool suffix) {
  const char *name = suffix ? "removesuffix" : "removeprefix";
  sf_status st = nargs(I, a, name, 1, 1);
  if (st != SF_OK) return st;
  if (!sf_is(&a->pos[0], O_STR))
    return sf_py_raise(I, a->call, BC_TYPEERR, "%s() argument must be str, not %s", name, sf_type_name(&a->pos[0]));
  const char *s = SELF_STR->s, *x = SF_STR(&a->pos[0])->s;
  size_t n = SELF_STR->len, k = SF_STR(&a->pos[0])->len;
  if (k && k <= n && memcmp(suffix ? s + n - k : s, x, k) == 0) return new_str(I, suffix ? s : s + k, n - k, out);
  return *out = *self, sf_val_ref(out), SF_OK;
}
NATIVE(m_str_removeprefix) { return remove_affix(I, self, a, out, false); }
NATIVE(m_str_removesuffix) { return remove_affix(I, self, a, out, true); }

/* splitlines(keepends=False) at \n, \r, \r\n, \v, \f, \x1c, \x1d, \x1e (and, not here,
 * U+0085, U+2028, U+2029: named as unsupported). */
NATIVE(m_str_splitlines) {
  sf_status st = nargs_kw(I, a, "splitlines", 0, 1);
  if (st != SF_OK || (st = no_kw(I, a, "splitlines", " keepends ")) != SF_OK) return st;
  const sf_val *kv = a->npos ? &a->pos[0] : kwarg(a, "keepends");
  bool keep = kv && sf_truthy(I, kv);
  const char *s = SELF_STR->s;
  size_t n = SELF_STR->len;
  if (unicode_space(s, n)) return unicode_unsupported(I, a, "splitlines", "non-ASCII line breaks or spaces");
  if (!sf_list_new(O_LIST, 0, out)) return sf_py_oom(I);
  for (size_t b = 0, i = 0; b < n; b = i) {
    while (i < n && !(s[i] && strchr("\n\r\v\f\x1c\x1d\x1e", s[i]))) i++; /* (strchr finds the NUL) */
    size_t e = i;
    if (i < n) i += s[i] == '\r' && i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
    sf_val piece = {0};
    if ((st = new_str(I, s + b, (keep ? i : e) - b, &piece)) != SF_OK) return sf_val_drop(out), st;
    bool ok = sf_list_append(SF_LIST(out), &piece);
    sf_val_drop(&piece);
    if (!ok) return sf_val_drop(out), sf_py_oom(I);
  }
  return SF_OK;
}

/* expandtabs(tabsize=8): each tab to the next column that is a multiple of tabsize (none for
 * a tabsize <= 0), the column counted in characters and restarting after \n and \r. */
NATIVE(m_str_expandtabs) {
  sf_status st = nargs_kw(I, a, "expandtabs", 0, 1);
  if (st != SF_OK || (st = no_kw(I, a, "expandtabs", " tabsize ")) != SF_OK) return st;
  const sf_val *tv = a->npos ? &a->pos[0] : kwarg(a, "tabsize");
  int64_t tab = 8;
  if (tv && (st = want_int(I, a, tv, &tab)) != SF_OK) return st;
  sf_buf b = {0};
  int64_t col = 0;
  for (size_t i = 0; i < SELF_STR->len; i++) {
    char c = SELF_STR->s[i];
    if (c == '\t') {
      int64_t k = tab > 0 ? tab - col % tab : 0;
      if (k > ((int64_t)1 << 30)) return free(b.s), sf_py_raise(I, a->call, BC_OVERFLOW, "new string is too long");
      for (int64_t j = 0; j < k; j++) sf_buf_put(&b, " ", 1);
      col += k;
    } else {
      sf_buf_put(&b, &c, 1);
      col = c == '\n' || c == '\r' ? 0 : col + (((unsigned char)c & 0xC0) != 0x80);
    }
  }
  st = b.oom ? sf_py_oom(I) : new_str(I, b.s ? b.s : "", b.n, out);
  free(b.s);
  return st;
}

NATIVE(m_str_format) { return sf_py_str_format(I, a, SELF_STR->s, out); }

/* ljust, rjust, center (fillchar), zfill: widths in characters; center puts the odd
 * character left when the width is odd (pad: left = marg / 2 + (marg & width & 1)); zfill
 * keeps a sign in front. */
static sf_status pad(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out, char how) {
  const char *name = how == 'l' ? "ljust" : how == 'r' ? "rjust" : how == 'c' ? "center" : "zfill";
  sf_status st = nargs(I, a, name, 1, how == 'z' ? 1 : 2);
  int64_t w = 0;
  if (st != SF_OK || (st = want_int(I, a, &a->pos[0], &w)) != SF_OK) return st;
  const char *fill = how == 'z' ? "0" : " ";
  size_t fl = 1;
  if (a->npos > 1) {
    const sf_val *f = &a->pos[1];
    if (!sf_is(f, O_STR))
      return sf_py_raise(I, a->call, BC_TYPEERR, "The fill character must be a unicode character, not %s", sf_type_name(f));
    fill = SF_STR(f)->s, fl = SF_STR(f)->len;
    if (!fl || sf_utf8_char(fill, fl, NULL) != fl) return sf_py_raise(I, a->call, BC_TYPEERR, "The fill character must be exactly one character long");
  }
  int64_t n = sf_utf8_count(SELF_STR->s, SELF_STR->len);
  if (w <= n) return *out = *self, sf_val_ref(out), SF_OK;
  if (w - n > ((int64_t)1 << 30)) return sf_py_raise(I, a->call, BC_OVERFLOW, "new string is too long"); /* the run's memory first */
  sf_buf b = {0};
  int64_t extra = w - n, left = how == 'l' ? 0 : how == 'r' || how == 'z' ? extra : extra / 2 + (extra & w & 1);
  const char *s = SELF_STR->s;
  size_t len = SELF_STR->len;
  if (how == 'z' && len && (*s == '-' || *s == '+')) sf_buf_put(&b, s++, 1), len--;
  for (int64_t i = 0; i < left; i++) sf_buf_put(&b, fill, fl);
  sf_buf_put(&b, s, len);
  for (int64_t i = left; i < extra; i++) sf_buf_put(&b, fill, fl);
  st = b.oom ? sf_py_oom(I) : new_str(I, b.s, b.n, out);
  free(b.s);
  return st;
}

NATIVE(m_str_ljust) { return pad(I, self, a, out, 'l'); }
NATIVE(m_str_rjust) { return pad(I, self, a, out, 'r'); }
NATIVE(m_str_center) { return pad(I, self, a, out, 'c'); }
NATIVE(m_str_zfill) { return pad(I, self, a, out, 'z'); }

NATIVE(m_list_append) {
  sf_status st = nargs(I, a, "append", 1, 1);
  if (st != SF_OK) return st;
  *out = sf_none();
  return sf_list_append(SELF_LIST, &a->pos[0]) ? SF_OK : sf_py_oom(I);
}

NATIVE(m_list_extend) {
  sf_status st = nargs(I, a, "extend", 1, 1);
  sf_val l = {0};
  if (st != SF_OK || (st = sf_py_to_list(I, a->call, &a->pos[0], O_LIST, &l)) != SF_OK) return st;
  for (int64_t i = 0; st == SF_OK && i < SF_LIST(&l)->n; i++)
    if (!sf_list_append(SELF_LIST, &SF_LIST(&l)->items[i])) st = sf_py_oom(I);
  sf_val_drop(&l);
  *out = sf_none();
  return st;
}

NATIVE(m_list_pop) {
  sf_status st = nargs(I, a, "pop", 0, 1);
  if (st != SF_OK) return st;
  sf_list *l = SELF_LIST;
  if (l->n == 0) return sf_py_raise(I, a->call, BC_INDEXERR, "pop from empty list");
  int64_t i = l->n - 1;
  if (a->npos) {
    if ((st = want_int(I, a, &a->pos[0], &i)) != SF_OK) return st;
    if (i < 0) i += l->n;
    if (i < 0 || i >= l->n) return sf_py_raise(I, a->call, BC_INDEXERR, "pop index out of range");
  }
  *out = l->items[i];
  memmove(l->items + i, l->items + i + 1, (size_t)(l->n - i - 1) * sizeof *l->items);
  l->n--;
  return SF_OK;
}

NATIVE(m_list_insert) {
  sf_status st = nargs(I, a, "insert", 2, 2);
  int64_t i = 0;
  if (st != SF_OK || (st = want_int(I, a, &a->pos[0], &i)) != SF_OK) return st;
  sf_list *l = SELF_LIST;
  if (i < 0) i += l->n;
  if (i < 0) i = 0;
  if (i > l->n) i = l->n;
  if (!sf_list_append(l, &a->pos[1])) return sf_py_oom(I);
  sf_val v = l->items[l->n - 1];
  memmove(l->items + i + 1, l->items + i, (size_t)(l->n - 1 - i) * sizeof *l->items);
  l->items[i] = v;
  *out = sf_none();
  return SF_OK;
}

/* The first index whose item == v (Python's ==, __eq__ included), -1 when none. */
static sf_status find_item(sf_interp *I, const sf_expr *at, const sf_list *l, const sf_val *v, int64_t *where) {
  *where = -1;
  for (int64_t i = 0; i < l->n; i++) {
    bool eq;
    sf_status st = sf_py_eq(I, at, &l->items[i], v, &eq);
    if (st != SF_OK || eq) return *where = i, st;
  }
  return SF_OK;
}

NATIVE(m_list_remove) {
  sf_status st = nargs(I, a, "remove", 1, 1);
  if (st != SF_OK) return st;
  sf_list *l = SELF_LIST;
  int64_t i;
  if ((st = find_item(I, a->call, l, &a->pos[0], &i)) != SF_OK) return st;
  if (i < 0 || i >= l->n) return sf_py_raise(I, a->call, BC_VALUEERR, "list.remove(x): x not in list");
  sf_val_drop(&l->items[i]);
  memmove(l->items + i, l->items + i + 1, (size_t)(l->n - i - 1) * sizeof *l->items);
  l->n--;
  *out = sf_none();
  return SF_OK;
}

NATIVE(m_seq_index) {
  sf_status st = nargs(I, a, "index", 1, 1);
  if (st != SF_OK) return st;
  int64_t i;
  if ((st = find_item(I, a->call, SELF_LIST, &a->pos[0], &i)) != SF_OK) return st;
  if (i < 0) {
    if (sf_is(self, O_TUPLE)) return sf_py_raise(I, a->call, BC_VALUEERR, "tuple.index(x): x not in tuple");
    sf_buf b = {0};
    sf_print_ctx c = {.I = I};
    if ((st = sf_write_value(&c, &b, &a->pos[0], true)) == SF_OK)
      st = sf_py_raise(I, a->call, BC_VALUEERR, "%s is not in list", b.s ? b.s : "");
    free(b.s);
    return st;
  }
  *out = sf_int(i);
  return SF_OK;
}

NATIVE(m_seq_count) {
  sf_status st = nargs(I, a, "count", 1, 1);
  if (st != SF_OK) return st;
  int64_t n = 0;
  for (int64_t i = 0; i < SELF_LIST->n && st == SF_OK; i++) {
    bool eq = false;
    st = sf_py_eq(I, a->call, &SELF_LIST->items[i], &a->pos[0], &eq);
    n += eq;
  }
  if (st != SF_OK) return st;
  *out = sf_int(n);
  return SF_OK;
}

NATIVE(m_list_sort) {
  sf_status st = nargs_kw(I, a, "sort", 0, 0);
  if (st == SF_OK) st = no_kw(I, a, "sort", " key reverse ");
  if (st != SF_OK) return st;
  const sf_val *rev = kwarg(a, "reverse");
  *out = sf_none();
  return sf_py_sort(I, a->call, SELF_LIST, kwarg(a, "key"), rev && sf_truthy(I, rev));
}

NATIVE(m_list_reverse) {
  sf_status nst = nargs(I, a, "reverse", 0, 0);
  if (nst != SF_OK) return nst;
  (void)I;
  sf_list *l = SELF_LIST;
  for (int64_t i = 0; i < l->n / 2; i++) {
    sf_val t = l->items[i];
    l->items[i] = l->items[l->n - 1 - i];
    l->items[l->n - 1 - i] = t;
  }
  *out = sf_none();
  return SF_OK;
}

NATIVE(m_list_copy) {
  sf_status nst = nargs(I, a, "copy", 0, 0);
  if (nst != SF_OK) return nst;
  return sf_py_to_list(I, NULL, self, O_LIST, out);
}

NATIVE(m_list_clear) {
  sf_status nst = nargs(I, a, "clear", 0, 0);
  if (nst != SF_OK) return nst;
  (void)I;
  for (int64_t i = 0; i < SELF_LIST->n; i++) sf_val_drop(&SELF_LIST->items[i]);
  SELF_LIST->n = 0;
  *out = sf_none();
  return SF_OK;
}

/* dict.fromkeys(iterable, value=None), from the class or an instance (dict_fromkeys): a new
 * dict with each key, in the iterable's order, set to the one value. */
NATIVE(m_dict_fromkeys) {
  (void)self;
  sf_status st = a->nkw ? sf_py_raise(I, a->call, BC_TYPEERR, "dict.fromkeys() takes no keyword arguments") : nargs_kw(I, a, "fromkeys", 1, 2);
  sf_val keys = {0}, value = a->npos > 1 ? a->pos[1] : sf_none();
  if (st != SF_OK || (st = sf_py_to_list(I, a->call, &a->pos[0], O_LIST, &keys)) != SF_OK) return st;
  if (!sf_dict_new(O_DICT, out)) st = sf_py_oom(I);
  for (int64_t i = 0; st == SF_OK && i < SF_LIST(&keys)->n; i++)
    if ((st = sf_py_need_hash(I, a->call, &SF_LIST(&keys)->items[i])) == SF_OK && !sf_dict_set(SF_DICT(out), &SF_LIST(&keys)->items[i], &value))
      st = sf_py_oom(I);
  sf_val_drop(&keys);
  if (st != SF_OK && out->kind == V_OBJ) sf_val_drop(out);
  return st;
}

NATIVE(m_dict_get) {
  sf_status st = nargs(I, a, "get", 1, 2);
  if (st != SF_OK) return st;
  if ((st = sf_py_need_hash(I, a->call, &a->pos[0])) != SF_OK) return st;
  sf_val *v = sf_dict_get(SELF_DICT, &a->pos[0]);
  *out = v ? *v : a->npos > 1 ? a->pos[1] : sf_none();
  sf_val_ref(out);
  return SF_OK;
}

/* A live view of the dict (value.h sf_dictview). */
static sf_status dict_view(sf_interp *I, const sf_args *a, const char *name, sf_val *self, sf_val *out, int what) {
  sf_status st = nargs(I, a, name, 0, 0);
  if (st != SF_OK) return st;
  sf_dictview *w = sf_obj_alloc(O_DICTVIEW, sizeof *w);
  if (!w) return sf_py_oom(I);
  w->dict = *self;
  sf_val_ref(self);
  w->what = what;
  *out = sf_obj_val(w);
  return SF_OK;
}

NATIVE(m_dict_keys) { return dict_view(I, a, "keys", self, out, SF_VIEW_KEYS); }
NATIVE(m_dict_values) { return dict_view(I, a, "values", self, out, SF_VIEW_VALUES); }
NATIVE(m_dict_items) { return dict_view(I, a, "items", self, out, SF_VIEW_ITEMS); }

NATIVE(m_dict_pop) {
  sf_status st = nargs(I, a, "pop", 1, 2);
  if (st != SF_OK) return st;
  /* _PyDict_Pop: an empty dict answers before hashing the key */
  if (SELF_DICT->n && (st = sf_py_need_hash(I, a->call, &a->pos[0])) != SF_OK) return st;
  sf_val *v = sf_dict_get(SELF_DICT, &a->pos[0]);
  if (!v) {
    if (a->npos > 1) return *out = a->pos[1], sf_val_ref(out), SF_OK;
    st = sf_py_raise_key(I, a->call, &a->pos[0]);
    return st;
  }
  *out = *v;
  sf_val_ref(out);
  sf_dict_del(SELF_DICT, &a->pos[0]);
  return SF_OK;
}

NATIVE(m_dict_setdefault) {
  sf_status st = nargs(I, a, "setdefault", 1, 2);
  if (st != SF_OK) return st;
  sf_val *v = sf_dict_get(SELF_DICT, &a->pos[0]);
  if (!v) {
    sf_val d = a->npos > 1 ? a->pos[1] : sf_none();
    if (!sf_dict_set(SELF_DICT, &a->pos[0], &d)) return sf_py_unhashable(I, a->call, &a->pos[0]);
    v = sf_dict_get(SELF_DICT, &a->pos[0]);
  }
  *out = *v;
  sf_val_ref(out);
  return SF_OK;
}

NATIVE(m_dict_update) {
  sf_status st = nargs_kw(I, a, "update", 0, 1);
  if (st == SF_OK && a->npos) st = dict_update(I, a, SELF_DICT, &a->pos[0]);
  for (int k = 0; st == SF_OK && k < a->nkw; k++)
    if (!sf_dict_set_str(SELF_DICT, a->kwnames[k], &a->kw[k])) st = sf_py_oom(I);
  *out = sf_none();
  return st;
}

NATIVE(m_dict_copy) {
  sf_status nst = nargs(I, a, "copy", 0, 0);
  if (nst != SF_OK) return nst;
  if (!sf_dict_new(self->o->t, out)) return sf_py_oom(I);
  sf_dict *d = SELF_DICT;
  for (int64_t i = 0; i < d->ne; i++)
    if (d->e[i].used && !sf_dict_set(SF_DICT(out), &d->e[i].key, &d->e[i].value)) return sf_val_drop(out), sf_py_oom(I);
  return SF_OK;
}

NATIVE(m_dict_clear) {
  sf_status nst = nargs(I, a, "clear", 0, 0);
  if (nst != SF_OK) return nst;
  (void)I;
  sf_dict *d = SELF_DICT;
  for (int64_t i = 0; i < d->ne; i++)
    if (d->e[i].used) {
      sf_val_drop(&d->e[i].key);
      sf_val_drop(&d->e[i].value);
    }
  for (int64_t i = 0; i < d->icap; i++) d->index[i] = -1;
  d->ne = d->n = 0;
  *out = sf_none();
  return SF_OK;
}

NATIVE(m_set_add) {
  sf_status st = nargs(I, a, "add", 1, 1);
  if (st != SF_OK) return st;
  sf_val none = sf_none();
  *out = none;
  uint64_t h;
  if (!sf_hash(&a->pos[0], &h)) return sf_py_unhashable(I, a->call, &a->pos[0]);
  if (!sf_dict_set(SELF_DICT, &a->pos[0], &none)) return sf_py_oom(I);
  return SF_OK;
}

/* set.discard and set.remove of a set look up frozenset(key) (set_discard): seedflow has no
 * frozenset; anything else unhashable is the TypeError. */
static sf_status set_key(sf_interp *I, const sf_args *a, const char *name) {
  if (sf_is(&a->pos[0], O_SET))
    return sf_error_at(I->err, a->call ? a->call->line : I->line, a->call ? a->call->col : 1, SF_ENAME,
                       "unsupported: set.%s of a set (CPython looks for frozenset(key))", name);
  return sf_py_need_hash(I, a->call, &a->pos[0]);
}

NATIVE(m_set_discard) {
  sf_status st = nargs(I, a, "discard", 1, 1);
  if (st != SF_OK || (st = set_key(I, a, "discard")) != SF_OK) return st;
  sf_dict_del(SELF_DICT, &a->pos[0]);
  *out = sf_none();
  return SF_OK;
}

NATIVE(m_set_remove) {
  sf_status st = nargs(I, a, "remove", 1, 1);
  if (st != SF_OK || (st = set_key(I, a, "remove")) != SF_OK) return st;
  *out = sf_none();
  if (sf_dict_del(SELF_DICT, &a->pos[0])) return SF_OK;
  st = sf_py_raise_key(I, a->call, &a->pos[0]);
  return st;
}

/* set.union(x), intersection(x), difference(x) with any iterable x, as setobject.c does
 * them: union a copy updated with x; intersection of a set the operator's, else x's items
 * in self in x's order; difference of a set the operator's, else a copy with x's items
 * discarded. */
static sf_status set_binary(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out, const char *name, char op) {
  sf_status st = nargs(I, a, name, 1, 1);
  if (st != SF_OK) return st;
  const sf_val *x = &a->pos[0];
  if (sf_is(x, O_SET) && op != '|') return sf_py_set_op(I, op, self, x, out);
  if (!sf_dict_new(O_SET, out)) return sf_py_oom(I);
  if (op == '-' && sf_is(x, O_DICT) && (SELF_DICT->n >> 2) <= SF_DICT(x)->n) { /* self's elements not in the dict */
    sf_val none = sf_none();
    int64_t pos = 0;
    for (const sf_dentry *e; (e = sf_set_next(SELF_DICT, &pos));)
      if (!sf_dict_get(SF_DICT(x), &e->key) && !sf_dict_set(SF_DICT(out), &e->key, &none)) return sf_val_drop(out), sf_py_oom(I);
    return SF_OK;
  }
  if (op != '&' && !sf_set_merge(SF_DICT(out), SELF_DICT)) return sf_val_drop(out), sf_py_oom(I);
  if (op == '|' && !(sf_is(x, O_SET) && x->o == self->o)) st = sf_py_set_update(I, a->call, SF_DICT(out), x); /* set_union skips self */
  else {
    sf_val l = {0}, none = sf_none();
    st = sf_py_to_list(I, a->call, x, O_LIST, &l);
    for (int64_t i = 0; st == SF_OK && i < SF_LIST(&l)->n; i++) {
      const sf_val *v = &SF_LIST(&l)->items[i];
      uint64_t h;
      if (!sf_hash(v, &h)) st = sf_py_unhashable(I, a->call, v);
      else if (op == '-') sf_dict_del(SF_DICT(out), v);
      else if (sf_dict_get(SELF_DICT, v) && !sf_dict_set(SF_DICT(out), v, &none)) st = sf_py_oom(I);
    }
    sf_val_drop(&l);
    if (st == SF_OK && op == '-' && !sf_set_shrink(SF_DICT(out))) st = sf_py_oom(I);
  }
  if (st != SF_OK) sf_val_drop(out);
  return st;
}

static sf_status set_update_op(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out, const char *name, char op);

/* set's methods take no keywords (METH_VARARGS) */
static sf_status set_no_kw(sf_interp *I, const sf_args *a, const char *name) {
  return a->nkw ? sf_py_raise(I, a->call, BC_TYPEERR, "set.%s() takes no keyword arguments", name) : SF_OK;
}

/* Argument i of a as the only argument. */
static sf_args one_arg(const sf_args *a, int i) { return (sf_args){.call = a->call, .pos = &a->pos[i], .npos = 1}; }

static sf_status set_copy(sf_interp *I, sf_val *self, sf_val *out) {
  if (!sf_dict_new(O_SET, out)) return sf_py_oom(I);
  return sf_set_merge(SF_DICT(out), SELF_DICT) ? SF_OK : (sf_val_drop(out), sf_py_oom(I));
}

/* union(*others): a copy updated with each (set_union); intersection(*others): the
 * intersection with each in turn (set_intersection_multi); difference(*others): the
 * difference with the first, the rest discarded from it (set_difference_multi). None: a copy. */
static sf_status set_multi(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out, const char *name, char op) {
  sf_status st = set_no_kw(I, a, name);
  if (st != SF_OK) return st;
  if (a->npos == 0) return set_copy(I, self, out);
  sf_args first = one_arg(a, 0);
  if ((st = set_binary(I, self, &first, out, name, op)) != SF_OK) return st;
  for (int i = 1; st == SF_OK && i < a->npos; i++) {
    sf_args x = one_arg(a, i);
    sf_val next = {0}, none = {0};
    if (op == '|') st = sf_is(&a->pos[i], O_SET) && a->pos[i].o == self->o ? SF_OK : sf_py_set_update(I, a->call, SF_DICT(out), &a->pos[i]);
    else if (op == '&' && (st = set_binary(I, out, &x, &next, name, op)) == SF_OK) sf_val_drop(out), *out = next;
    else if (op == '-') st = set_update_op(I, out, &x, &none, name, '-');
  }
  if (st != SF_OK) sf_val_drop(out);
  return st;
}

NATIVE(m_set_union) { return set_multi(I, self, a, out, "union", '|'); }
NATIVE(m_set_intersection) { return set_multi(I, self, a, out, "intersection", '&'); }
NATIVE(m_set_difference) { return set_multi(I, self, a, out, "difference", '-'); }

NATIVE(m_set_update) {
  sf_status st = set_no_kw(I, a, "update");
  *out = sf_none();
  for (int i = 0; st == SF_OK && i < a->npos; i++) st = sf_py_set_update(I, a->call, SELF_DICT, &a->pos[i]);
  return st;
}

NATIVE(m_set_clear) { /* set_clear_internal: back to an empty table */
  sf_status st = nargs(I, a, "clear", 0, 0);
  sf_val empty = {0};
  if (st != SF_OK) return st;
  if (!sf_dict_new(O_SET, &empty)) return sf_py_oom(I);
  sf_set_swap(SELF_DICT, SF_DICT(&empty));
  sf_val_drop(&empty);
  *out = sf_none();
  return SF_OK;
}

NATIVE(m_set_pop) {
  sf_status st = nargs(I, a, "pop", 0, 0);
  if (st != SF_OK) return st;
  if (!sf_set_pop(SELF_DICT, out)) return sf_py_raise(I, a->call, BC_KEYERR, "pop from an empty set");
  return SF_OK;
}

/* issubset / issuperset (set_issubset: a non-set argument made a set first): sizes, then
 * every element inside the other. */
static sf_status set_sub_super(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out, bool sub) {
  sf_status st = nargs(I, a, sub ? "issubset" : "issuperset", 1, 1);
  if (st != SF_OK) return st;
  sf_val other = {0};
  if (sf_is(&a->pos[0], O_SET)) other = a->pos[0], sf_val_ref(&other);
  else if (!sf_dict_new(O_SET, &other)) return sf_py_oom(I);
  else if ((st = sf_py_set_update(I, a->call, SF_DICT(&other), &a->pos[0])) != SF_OK) return sf_val_drop(&other), st;
  const sf_dict *small = sub ? SELF_DICT : SF_DICT(&other), *big = sub ? SF_DICT(&other) : SELF_DICT;
  bool in = small->n <= big->n;
  int64_t pos = 0;
  for (const sf_dentry *e; in && (e = sf_set_next(small, &pos));) in = sf_dict_get((sf_dict *)big, &e->key) != NULL;
  sf_val_drop(&other);
  *out = sf_bool(in);
  return SF_OK;
}

NATIVE(m_set_issubset) { return set_sub_super(I, self, a, out, true); }
NATIVE(m_set_issuperset) { return set_sub_super(I, self, a, out, false); }

/* symmetric_difference(x): set(x), then self's elements toggled in it; the *_update forms
 * change self: difference_update discards x's items (a set's in its order) and rebuilds a
 * table over 1/4 dummies; intersection_update takes the intersection's table;
 * symmetric_difference_update toggles x's items (a non-set x made a set first). */
static sf_status set_update_op(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out, const char *name, char op) {
  sf_status st = nargs(I, a, name, 1, 1);
  if (st != SF_OK) return st;
  const sf_val *x = &a->pos[0];
  sf_val other = {0}, none = sf_none();
  if (sf_is(x, O_SET) || (op == '-' && !sf_is(x, O_DICT))) other = *x, sf_val_ref(&other);
  else if (!sf_dict_new(O_SET, &other)) return sf_py_oom(I);
  else if ((st = sf_py_set_update(I, a->call, SF_DICT(&other), x)) != SF_OK) return sf_val_drop(&other), st;
  bool ok = true;
  if (op == 's') { /* symmetric_difference: other (a new set of x) with self toggled in */
    if (sf_is(x, O_SET)) { /* a copy of x, not x itself */
      sf_val_drop(&other);
      if (!sf_dict_new(O_SET, &other) || !sf_set_merge(SF_DICT(&other), SF_DICT(x))) return sf_val_drop(&other), sf_py_oom(I);
    }
    if (!sf_set_discard_all(SF_DICT(&other), SELF_DICT, true)) return sf_val_drop(&other), sf_py_oom(I);
    return *out = other, SF_OK;
  }
  *out = sf_none();
  if (op == '&') { /* set_intersection(self, x): of a set the operator's, else x's items in x's order */
    sf_val tmp = {0};
    if (sf_is(x, O_SET)) st = sf_py_set_op(I, '&', self, x, &tmp);
    else {
      sf_args xa = {.call = a->call, .pos = (sf_val *)x, .npos = 1};
      st = set_binary(I, self, &xa, &tmp, "intersection_update", '&');
    }
    if (st == SF_OK) sf_set_swap(SELF_DICT, SF_DICT(&tmp)), sf_val_drop(&tmp);
  } else if (op == '^' && sf_is(x, O_DICT)) { /* a dict's keys toggled in its order */
    const sf_dict *d = SF_DICT(x);
    for (int64_t i = 0; ok && i < d->ne; i++)
      if (d->e[i].used && !sf_dict_del(SELF_DICT, &d->e[i].key)) ok = sf_dict_set(SELF_DICT, &d->e[i].key, &none);
  } else if (SF_DICT(&other) == SELF_DICT && sf_is(&other, O_SET)) { /* s.difference_update(s), s ^= s: empty */
    sf_val empty = {0};
    if (!sf_dict_new(O_SET, &empty)) st = sf_py_oom(I);
    else sf_set_swap(SELF_DICT, SF_DICT(&empty)), sf_val_drop(&empty);
  } else if (sf_is(&other, O_SET)) {
    ok = sf_set_discard_all(SELF_DICT, SF_DICT(&other), op == '^');
  } else { /* difference_update with an iterable: its items discarded in its order */
    sf_val l = {0};
    if ((st = sf_py_to_list(I, a->call, x, O_LIST, &l)) == SF_OK)
      for (int64_t i = 0; st == SF_OK && i < SF_LIST(&l)->n; i++) {
        uint64_t h;
        if (!sf_hash(&SF_LIST(&l)->items[i], &h))
          st = sf_py_unhashable(I, a->call, &SF_LIST(&l)->items[i]);
        else sf_dict_del(SELF_DICT, &SF_LIST(&l)->items[i]);
      }
    sf_val_drop(&l);
  }
  if (st == SF_OK && (!ok || (op == '-' && !sf_set_shrink(SELF_DICT)))) st = sf_py_oom(I);
  sf_val_drop(&other);
  return st;
}

NATIVE(m_set_symmetric_difference) { return set_update_op(I, self, a, out, "symmetric_difference", 's'); }
/* difference_update(*others): each discarded in turn; intersection_update(*others): self
 * takes the table of set_intersection_multi's result (a copy when none is given). */
NATIVE(m_set_difference_update) {
  sf_status st = set_no_kw(I, a, "difference_update");
  *out = sf_none();
  for (int i = 0; st == SF_OK && i < a->npos; i++) {
    sf_args x = one_arg(a, i);
    st = set_update_op(I, self, &x, out, "difference_update", '-');
  }
  return st;
}
NATIVE(m_set_intersection_update) {
  if (a->nkw) return sf_py_raise(I, a->call, BC_TYPEERR, "set.intersection_update() takes no keyword arguments");
  if (a->npos == 1) return set_update_op(I, self, a, out, "intersection_update", '&');
  sf_val tmp = {0};
  sf_status st = set_multi(I, self, a, &tmp, "intersection_update", '&');
  if (st != SF_OK) return st;
  sf_set_swap(SELF_DICT, SF_DICT(&tmp));
  sf_val_drop(&tmp);
  *out = sf_none();
  return SF_OK;
}
NATIVE(m_set_symmetric_difference_update) { return set_update_op(I, self, a, out, "symmetric_difference_update", '^'); }

/* set.isdisjoint(x), dict_keys/dict_items.isdisjoint(x): no item of x in self. */
NATIVE(m_isdisjoint) {
  sf_status st = nargs(I, a, "isdisjoint", 1, 1);
  if (st != SF_OK) return st;
  if (sf_is(self, O_DICTVIEW) && SF_VIEW(self)->what == SF_VIEW_VALUES)
    return sf_py_raise(I, a->call, BC_ATTRERR, "'dict_values' object has no attribute 'isdisjoint'");
  sf_val l = {0};
  bool has = false;
  if ((st = sf_py_to_list(I, a->call, &a->pos[0], O_LIST, &l)) != SF_OK) return st;
  for (int64_t i = 0; st == SF_OK && !has && i < SF_LIST(&l)->n; i++) st = sf_py_setlike_has(I, a->call, self, &SF_LIST(&l)->items[i], &has);
  sf_val_drop(&l);
  if (st == SF_OK) *out = sf_bool(!has);
  return st;
}

NATIVE(m_set_copy) {
  sf_status nst = nargs(I, a, "copy", 0, 0);
  if (nst != SF_OK) return nst;
  if (!sf_dict_new(O_SET, out)) return sf_py_oom(I);
  if (!sf_set_merge(SF_DICT(out), SELF_DICT)) return sf_val_drop(out), sf_py_oom(I);
  return SF_OK;
}

typedef struct method_def {
  sf_otype t;
  const char *name;
  sf_native_fn fn;
} method_def;

static const method_def methods[] = {
    {O_STR, "join", m_str_join}, {O_STR, "strip", m_str_strip}, {O_STR, "lstrip", m_str_lstrip},
    {O_STR, "rstrip", m_str_rstrip}, {O_STR, "upper", m_str_upper}, {O_STR, "lower", m_str_lower},
    {O_STR, "title", m_str_title}, {O_STR, "capitalize", m_str_capitalize}, {O_STR, "split", m_str_split}, {O_STR, "rsplit", m_str_rsplit},
    {O_STR, "replace", m_str_replace}, {O_STR, "startswith", m_str_startswith}, {O_STR, "endswith", m_str_endswith},
    {O_STR, "find", m_str_find}, {O_STR, "rfind", m_str_rfind}, {O_STR, "index", m_str_index},
    {O_STR, "rindex", m_str_rindex}, {O_STR, "count", m_str_count}, {O_STR, "isdigit", m_str_isdigit},
    {O_STR, "isalpha", m_str_isalpha}, {O_STR, "isupper", m_str_isupper}, {O_STR, "islower", m_str_islower}, {O_STR, "isalnum", m_str_isalnum}, {O_STR, "isspace", m_str_isspace},
    {O_STR, "format", m_str_format}, {O_STR, "ljust", m_str_ljust}, {O_STR, "rjust", m_str_rjust},
    {O_STR, "center", m_str_center}, {O_STR, "zfill", m_str_zfill}, {O_STR, "swapcase", m_str_swapcase},
    {O_STR, "casefold", m_str_casefold}, {O_STR, "isdecimal", m_str_isdecimal}, {O_STR, "isnumeric", m_str_isnumeric},
    {O_STR, "istitle", m_str_istitle}, {O_STR, "isidentifier", m_str_isidentifier}, {O_STR, "partition", m_str_partition},
    {O_STR, "rpartition", m_str_rpartition}, {O_STR, "removeprefix", m_str_removeprefix},
    {O_STR, "removesuffix", m_str_removesuffix}, {O_STR, "splitlines", m_str_splitlines}, {O_STR, "expandtabs", m_str_expandtabs},
    {O_LIST, "append", m_list_append}, {O_LIST, "extend", m_list_extend}, {O_LIST, "pop", m_list_pop},
    {O_LIST, "insert", m_list_insert}, {O_LIST, "remove", m_list_remove}, {O_LIST, "index", m_seq_index},
    {O_LIST, "count", m_seq_count}, {O_LIST, "sort", m_list_sort}, {O_LIST, "reverse", m_list_reverse},
    {O_LIST, "copy", m_list_copy}, {O_LIST, "clear", m_list_clear},
    {O_TUPLE, "index", m_seq_index}, {O_TUPLE, "count", m_seq_count},
    {O_DICT, "get", m_dict_get}, {O_DICT, "fromkeys", m_dict_fromkeys}, {O_DICT, "keys", m_dict_keys}, {O_DICT, "values", m_dict_values},
    {O_DICT, "items", m_dict_items}, {O_DICT, "pop", m_dict_pop}, {O_DICT, "setdefault", m_dict_setdefault},
    {O_DICT, "update", m_dict_update}, {O_DICT, "copy", m_dict_copy}, {O_DICT, "clear", m_dict_clear},
    {O_SET, "add", m_set_add}, {O_SET, "discard", m_set_discard}, {O_SET, "remove", m_set_remove},
    {O_SET, "union", m_set_union}, {O_SET, "intersection", m_set_intersection},
    {O_SET, "difference", m_set_difference}, {O_SET, "update", m_set_update}, {O_SET, "copy", m_set_copy},
    {O_SET, "isdisjoint", m_isdisjoint}, {O_DICTVIEW, "isdisjoint", m_isdisjoint},
    {O_SET, "clear", m_set_clear}, {O_SET, "pop", m_set_pop}, {O_SET, "issubset", m_set_issubset},
    {O_SET, "issuperset", m_set_issuperset}, {O_SET, "symmetric_difference", m_set_symmetric_difference},
    {O_SET, "difference_update", m_set_difference_update}, {O_SET, "intersection_update", m_set_intersection_update},
    {O_SET, "symmetric_difference_update", m_set_symmetric_difference_update},
};

/* TensorShape.as_list(): its dims (None unknown); num_elements(): their product, None with
 * one unknown; is_fully_defined(): none unknown (tensorflow/python/framework/tensor_shape.py). */
static sf_status tshape_method(sf_interp *I, const sf_val *self, const sf_args *a, char what, sf_val *out) {
  sf_status st = nargs(I, a, what == 'a' ? "as_list" : what == 'n' ? "num_elements" : "is_fully_defined", 0, 0);
  if (st != SF_OK) return st;
  const sf_list *l = SELF_LIST;
  if (what == 'a') {
    if (!sf_list_new(O_LIST, l->n, out)) return sf_py_oom(I);
    for (int64_t i = 0; i < l->n; i++) SF_LIST(out)->items[i] = l->items[i]; /* ints and None */
    return SF_OK;
  }
  bool known = true;
  int64_t n = 1;
  for (int64_t i = 0; i < l->n; i++) {
    if (l->items[i].kind != V_INT) known = false;
    else n *= l->items[i].i; /* a tensor's dims: their product is within SF_MAX_ELEMENTS */
  }
  *out = what == 'i' ? sf_bool(known) : known ? sf_int(n) : sf_none();
  return SF_OK;
}
NATIVE(m_ts_as_list) { return tshape_method(I, self, a, 'a', out); }
NATIVE(m_ts_num_elements) { return tshape_method(I, self, a, 'n', out); }
NATIVE(m_ts_is_fully_defined) { return tshape_method(I, self, a, 'i', out); }

/* x.item() and x.tolist() of a NumPy scalar: the Python number. */
NATIVE(m_np_item) {
  sf_status st = nargs(I, a, "item", 0, 0);
  if (st != SF_OK) return st;
  *out = *self;
  out->numpy = false;
  return SF_OK;
}

/* x.round(decimals=0) of a NumPy scalar: np.around, a scalar of x's type (2.0, not 2). */
NATIVE(m_np_round) {
  sf_status st = nargs_kw(I, a, "round", 0, 1);
  if (st == SF_OK) st = no_kw(I, a, "round", " decimals ");
  const sf_val *nd = a->npos ? &a->pos[0] : kwarg(a, "decimals");
  int64_t d = 0;
  if (st == SF_OK && nd && (st = want_int(I, a, nd, &d)) != SF_OK) return st;
  if (st == SF_OK) *out = sf_np_round(self, d);
  return st;
}

bool sf_py_bind_native(sf_interp *I, const char *name, sf_native_fn fn, const sf_val *self, sf_val *out, sf_status *st) {
  sf_native *n = sf_obj_alloc(O_NATIVE, sizeof *n);
  if (!n) return *st = sf_py_oom(I), true;
  n->name = name;
  n->fn = fn;
  n->self = *self;
  sf_val_ref(self);
  *out = sf_obj_val(n);
  return true;
}

bool sf_py_builtin_method(sf_interp *I, const sf_val *self, const char *name, sf_val *out, sf_status *st) {
  *st = SF_OK;
  if (sf_np_is_scalar(self) && (!strcmp(name, "item") || !strcmp(name, "tolist") || !strcmp(name, "round"))) {
    sf_native *n = sf_obj_alloc(O_NATIVE, sizeof *n);
    if (!n) return *st = sf_py_oom(I), true;
    n->name = name[0] == 'i' ? "item" : name[0] == 't' ? "tolist" : "round";
    n->fn = name[0] == 'r' ? m_np_round : m_np_item;
    n->self = *self;
    *out = sf_obj_val(n);
    return true;
  }
  if (self->kind != V_OBJ) return false;
  if (sf_is(self, O_TUPLE) && SF_LIST(self)->tshape) { /* TensorShape: rank and ndims are properties */
    if (!strcmp(name, "rank") || !strcmp(name, "ndims")) return *out = sf_int(SF_LIST(self)->n), true;
    static const struct {
      const char *name;
      sf_native_fn fn;
    } tshape_methods[] = {{"as_list", m_ts_as_list}, {"num_elements", m_ts_num_elements}, {"is_fully_defined", m_ts_is_fully_defined}};
    for (size_t k = 0; k < 3; k++)
      if (strcmp(name, tshape_methods[k].name) == 0) return sf_py_bind_native(I, tshape_methods[k].name, tshape_methods[k].fn, self, out, st);
  }
  for (size_t k = 0; k < sizeof methods / sizeof *methods; k++)
    if (methods[k].t == self->o->t && strcmp(methods[k].name, name) == 0) {
      if (sf_py_bind_native(I, methods[k].name, methods[k].fn, self, out, st) && *st == SF_OK) ((sf_native *)out->o)->of_type = true;
      return true;
    }
  return false;
}

/* str.lower and friends taken from the class: the first argument is self. */
NATIVE(m_unbound) {
  const method_def *m = &methods[self->i];
  const char *tn = m->t == O_STR ? "str" : m->t == O_LIST ? "list" : m->t == O_TUPLE ? "tuple" : m->t == O_DICT ? "dict" : "set";
  if (a->npos < 1) return sf_py_raise(I, a->call, BC_TYPEERR, "unbound method %s.%s() needs an argument", tn, m->name);
  if (!sf_is(&a->pos[0], m->t))
    return sf_py_raise(I, a->call, BC_TYPEERR, "descriptor '%s' for '%s' objects doesn't apply to a '%s' object", m->name, tn,
                       sf_type_name(&a->pos[0]));
  sf_args rest = *a;
  rest.pos = a->pos + 1;
  rest.npos = a->npos - 1;
  return m->fn(I, &a->pos[0], &rest, out);
}

bool sf_py_class_method(sf_interp *I, const sf_class *c, const char *name, sf_val *out, sf_status *st) {
  *st = SF_OK;
  static const struct {
    sf_builtin_class bc;
    sf_otype t;
  } kinds[] = {{BC_STR, O_STR}, {BC_LIST, O_LIST}, {BC_TUPLE, O_TUPLE}, {BC_DICT, O_DICT}, {BC_SET, O_SET}};
  if (c == PY(I)->cls[BC_DICT] && strcmp(name, "fromkeys") == 0) { /* a classmethod: no self */
    sf_native *n = sf_obj_alloc(O_NATIVE, sizeof *n);
    if (!n) return *st = sf_py_oom(I), true;
    n->name = "fromkeys";
    n->fn = m_dict_fromkeys;
    n->self = sf_none();
    *out = sf_obj_val(n);
    return true;
  }
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
    if (PY(I)->cls[kinds[i].bc] != c) continue;
    for (size_t k = 0; k < sizeof methods / sizeof *methods; k++) {
      if (methods[k].t != kinds[i].t || strcmp(methods[k].name, name) != 0) continue;
      sf_native *n = sf_obj_alloc(O_NATIVE, sizeof *n);
      if (!n) return *st = sf_py_oom(I), true;
      n->name = methods[k].name;
      n->fn = m_unbound;
      n->self = sf_int((int64_t)k);
      *out = sf_obj_val(n);
      return true;
    }
  }
  return false;
}

/* ---- registration ---- */

static sf_class *new_builtin_class(sf_interp *I, const char *name, const char *module, sf_class *base, sf_native_fn call,
                                   bool named) {
  sf_class *c = sf_obj_alloc(O_CLASS, sizeof *c);
  if (!c) return NULL;
  sf_val v = sf_obj_val(c); /* dropped on failure: the object is on the run's list */
  if (!(c->attrs = sf_dict_alloc(O_DICT))) return sf_val_drop(&v), NULL;
  c->name = name;
  c->base = base;
  if (base) base->h.rc++;
  c->builtin = true;
  c->call = call;
  c->exception = base && base->exception;
  c->module = module;
  if (module || !named) return c; /* numpy's and TensorFlow's, and the unnamed: held by PY(I)->cls only */
  if (!sf_dict_set_str(PY(I)->builtins, name, &v)) return sf_val_drop(&v), NULL;
  return c;
}

typedef struct class_def {
  sf_builtin_class id, base;
  const char *name;
  sf_native_fn call;
} class_def;

static const class_def classes[] = {
    {BC_OBJECT, BC_COUNT, "object", c_object}, {BC_TYPE, BC_OBJECT, "type", c_type},
    {BC_INT, BC_OBJECT, "int", c_int}, {BC_FLOAT, BC_OBJECT, "float", c_float}, {BC_BOOL, BC_INT, "bool", c_bool},
    {BC_STR, BC_OBJECT, "str", c_str}, {BC_LIST, BC_OBJECT, "list", c_list}, {BC_TUPLE, BC_OBJECT, "tuple", c_tuple},
    {BC_DICT, BC_OBJECT, "dict", c_dict}, {BC_SET, BC_OBJECT, "set", c_set}, {BC_RANGE, BC_OBJECT, "range", c_range},
    {BC_NONETYPE, BC_OBJECT, "NoneType", NULL}, {BC_FUNCTION, BC_OBJECT, "function", NULL},
    {BC_BASEEXC, BC_OBJECT, "BaseException", NULL}, {BC_EXCEPTION, BC_BASEEXC, "Exception", NULL},
    {BC_ARITH, BC_EXCEPTION, "ArithmeticError", NULL}, {BC_ZERODIV, BC_ARITH, "ZeroDivisionError", NULL},
    {BC_OVERFLOW, BC_ARITH, "OverflowError", NULL}, {BC_TYPEERR, BC_EXCEPTION, "TypeError", NULL},
    {BC_VALUEERR, BC_EXCEPTION, "ValueError", NULL}, {BC_NAMEERR, BC_EXCEPTION, "NameError", NULL},
    {BC_UNBOUNDLOCAL, BC_NAMEERR, "UnboundLocalError", NULL}, {BC_ATTRERR, BC_EXCEPTION, "AttributeError", NULL},
    {BC_LOOKUP, BC_EXCEPTION, "LookupError", NULL}, {BC_INDEXERR, BC_LOOKUP, "IndexError", NULL},
    {BC_KEYERR, BC_LOOKUP, "KeyError", NULL}, {BC_RUNTIME, BC_EXCEPTION, "RuntimeError", NULL},
    {BC_RECURSION, BC_RUNTIME, "RecursionError", NULL}, {BC_NOTIMPL, BC_RUNTIME, "NotImplementedError", NULL},
    {BC_ASSERT, BC_EXCEPTION, "AssertionError", NULL}, {BC_STOPITER, BC_EXCEPTION, "StopIteration", NULL},
    {BC_IMPORTERR, BC_EXCEPTION, "ImportError", NULL}, {BC_MODULENOTFOUND, BC_IMPORTERR, "ModuleNotFoundError", NULL},
    {BC_KBINT, BC_BASEEXC, "KeyboardInterrupt", NULL}, {BC_SYSEXIT, BC_BASEEXC, "SystemExit", NULL},
    {BC_OSERR, BC_EXCEPTION, "OSError", NULL}, {BC_FILENOTFOUND, BC_OSERR, "FileNotFoundError", NULL},
    {BC_PERMISSION, BC_OSERR, "PermissionError", NULL}, {BC_MEMORYERR, BC_EXCEPTION, "MemoryError", NULL},
    {BC_PROPERTY, BC_OBJECT, "property", c_property}, {BC_CLASSMETHOD, BC_OBJECT, "classmethod", c_classmethod},
    {BC_STATICMETHOD, BC_OBJECT, "staticmethod", c_staticmethod},
    {BC_BUILTINFN, BC_OBJECT, "builtin_function_or_method", NULL}, {BC_METHOD, BC_OBJECT, "method", NULL},
    {BC_MODULE, BC_OBJECT, "module", NULL}, {BC_ELLIPSIS, BC_OBJECT, "ellipsis", NULL},
    {BC_GENERATOR, BC_OBJECT, "generator", NULL},
    {BC_MAP, BC_OBJECT, "map", b_map}, {BC_FILTER, BC_OBJECT, "filter", b_filter}, {BC_ZIP, BC_OBJECT, "zip", b_zip},
    {BC_ENUMERATE, BC_OBJECT, "enumerate", b_enumerate},
    {BC_DICT_KEYS, BC_OBJECT, "dict_keys", NULL}, {BC_DICT_VALUES, BC_OBJECT, "dict_values", NULL},
    {BC_DICT_ITEMS, BC_OBJECT, "dict_items", NULL},
};

/* The classes above that are not names of builtins (type() shows them; CPython's
 * builtins module has no such name). */
static bool builtin_name(sf_builtin_class id) {
  switch (id) {
    case BC_NONETYPE: case BC_FUNCTION: case BC_BUILTINFN: case BC_METHOD: case BC_MODULE: case BC_ELLIPSIS:
    case BC_GENERATOR: case BC_DICT_KEYS: case BC_DICT_VALUES: case BC_DICT_ITEMS: return false;
    default: return true;
  }
}

/* Classes of modules, not builtins (type() shows "module.name"; eval.c sf_py_type picks them). */
static const struct {
  sf_builtin_class id, base;
  const char *module, *name;
} module_classes[] = {
    /* NumPy's scalars and arrays; numpy.float64 subclasses float, as in NumPy */
    {BC_NP_FLOAT32, BC_OBJECT, "numpy", "float32"}, {BC_NP_FLOAT64, BC_FLOAT, "numpy", "float64"},
    {BC_NP_INT32, BC_OBJECT, "numpy", "int32"},     {BC_NP_INT64, BC_OBJECT, "numpy", "int64"},
    {BC_NP_BOOL, BC_OBJECT, "numpy", "bool_"},      {BC_NP_NDARRAY, BC_OBJECT, "numpy", "ndarray"},
    {BC_NP_RANDOMSTATE, BC_OBJECT, "numpy.random.mtrand", "RandomState"},
    {BC_NP_GENERATOR, BC_OBJECT, "numpy.random._generator", "Generator"},
    /* tensors: eager ones, and a graph's before and after TF 2.13; dtypes */
    {BC_TF_EAGER, BC_OBJECT, "tensorflow.python.framework.ops", "EagerTensor"},
    {BC_TF_TENSOR, BC_OBJECT, "tensorflow.python.framework.ops", "Tensor"},
    {BC_TF_SYMBOLIC, BC_OBJECT, "tensorflow.python.framework.ops", "SymbolicTensor"},
    {BC_TF_DTYPE, BC_OBJECT, "tensorflow.python.framework.dtypes", "DType"},
    {BC_TF_REFVAR, BC_OBJECT, "tensorflow.python.ops.variables", "RefVariable"},
    {BC_TF_RESVAR, BC_OBJECT, "tensorflow.python.ops.resource_variable_ops", "ResourceVariable"},
    /* the itertools seedflow makes (lang/mod_py.c: calling the class makes the iterator) */
    {BC_IT_PRODUCT, BC_OBJECT, "itertools", "product"},
    {BC_IT_COMBINATIONS, BC_OBJECT, "itertools", "combinations"},
    {BC_IT_PERMUTATIONS, BC_OBJECT, "itertools", "permutations"},
    {BC_IT_CHAIN, BC_OBJECT, "itertools", "chain"}, {BC_IT_ISLICE, BC_OBJECT, "itertools", "islice"},
    {BC_IT_COUNT, BC_OBJECT, "itertools", "count"}, {BC_IT_REPEAT, BC_OBJECT, "itertools", "repeat"},
};

typedef struct fn_def {
  const char *name;
  sf_native_fn fn;
} fn_def;

static const fn_def functions[] = {
    {"print", b_print}, {"len", b_len}, {"abs", b_abs}, {"round", b_round}, {"divmod", b_divmod}, {"pow", b_pow},
    {"reversed", b_reversed},
    {"iter", b_iter}, {"vars", b_vars}, {"next", b_next}, {"sorted", b_sorted}, {"sum", b_sum}, {"min", b_min}, {"max", b_max},
    {"any", b_any}, {"all", b_all}, {"isinstance", b_isinstance}, {"issubclass", b_issubclass},
    {"hasattr", b_hasattr}, {"getattr", b_getattr}, {"setattr", b_setattr}, {"callable", b_callable},
    {"repr", b_repr}, {"ascii", b_ascii}, {"hash", b_hash}, {"id", b_id}, {"chr", b_chr}, {"ord", b_ord}, {"bin", b_bin}, {"oct", b_oct}, {"hex", b_hex}, {"format", b_format},
};

/* CPython's other built-in exception classes (Objects/exceptions.c), by name and base: no
 * behaviour of their own beyond BaseException's, so a program may raise, catch and name
 * them (warnings.filterwarnings("ignore", category=FutureWarning) opens many TF programs).
 * EnvironmentError and IOError are OSError itself. */
static const struct {
  const char *name, *base;
} more_exceptions[] = {
    {"Warning", "Exception"}, {"UserWarning", "Warning"}, {"DeprecationWarning", "Warning"},
    {"PendingDeprecationWarning", "Warning"}, {"SyntaxWarning", "Warning"}, {"RuntimeWarning", "Warning"},
    {"FutureWarning", "Warning"}, {"ImportWarning", "Warning"}, {"UnicodeWarning", "Warning"},
    {"BytesWarning", "Warning"}, {"ResourceWarning", "Warning"}, {"EncodingWarning", "Warning"},
    {"GeneratorExit", "BaseException"}, {"BufferError", "Exception"}, {"EOFError", "Exception"},
    {"ReferenceError", "Exception"}, {"StopAsyncIteration", "Exception"}, {"SystemError", "Exception"},
    {"FloatingPointError", "ArithmeticError"}, {"SyntaxError", "Exception"}, {"IndentationError", "SyntaxError"},
    {"TabError", "IndentationError"}, {"BlockingIOError", "OSError"}, {"ChildProcessError", "OSError"},
    {"ConnectionError", "OSError"}, {"BrokenPipeError", "ConnectionError"}, {"ConnectionAbortedError", "ConnectionError"},
    {"ConnectionRefusedError", "ConnectionError"}, {"ConnectionResetError", "ConnectionError"},
    {"FileExistsError", "OSError"}, {"InterruptedError", "OSError"}, {"IsADirectoryError", "OSError"},
    {"NotADirectoryError", "OSError"}, {"ProcessLookupError", "OSError"}, {"TimeoutError", "OSError"},
};

static const char *const sandboxed[] = {"open", "exec", "eval", "compile", "__import__", "input", "breakpoint",
                                        "globals", "locals", "exit", "quit", "help", "memoryview"};

sf_status sf_py_builtins_init(sf_interp *I) {
  for (size_t k = 0; k < sizeof classes / sizeof *classes; k++) {
    const class_def *d = &classes[k];
    sf_class *c = new_builtin_class(I, d->name, NULL, d->base == BC_COUNT ? NULL : PY(I)->cls[d->base], d->call, builtin_name(d->id));
    if (!c) return sf_py_oom(I);
    if (d->id == BC_BASEEXC) c->exception = true;
    PY(I)->cls[d->id] = c;  /* the allocation's reference; the builtins dict holds another */
    if (d->id == BC_BASEEXC && !sf_py_def_native(c->attrs, "__init__", exc_init, NULL)) return sf_py_oom(I);
    if (d->id == BC_OBJECT && !sf_py_def_native(c->attrs, "__init__", object_init, NULL)) return sf_py_oom(I);
    /* both keep their arguments' values with handles of their own (args), if at all: no
     * tensor need be pinned for them (lang/eval.c pin_call) */
    if (d->id == BC_BASEEXC || d->id == BC_OBJECT) ((sf_native *)sf_dict_get_str(c->attrs, "__init__")->o)->keeps_none = true;
  }
  for (size_t k = 0; k < sizeof module_classes / sizeof *module_classes; k++) {
    sf_class *c = new_builtin_class(I, module_classes[k].name, module_classes[k].module, PY(I)->cls[module_classes[k].base], NULL, false);
    if (!c) return sf_py_oom(I);
    PY(I)->cls[module_classes[k].id] = c;
  }
  for (size_t k = 0; k < sizeof more_exceptions / sizeof *more_exceptions; k++) {
    sf_val *base = sf_dict_get_str(PY(I)->builtins, more_exceptions[k].base); /* defined above it */
    sf_class *c = new_builtin_class(I, more_exceptions[k].name, NULL, (sf_class *)base->o, NULL, true);
    if (!c) return sf_py_oom(I);
    sf_val mine = sf_obj_val(c); /* the builtins dict holds the class */
    sf_val_drop(&mine);
  }
  sf_val oserror = sf_obj_val(PY(I)->cls[BC_OSERR]);
  if (!sf_dict_set_str(PY(I)->builtins, "EnvironmentError", &oserror) || !sf_dict_set_str(PY(I)->builtins, "IOError", &oserror))
    return sf_py_oom(I);
  sf_val ellipsis = {.kind = V_ELLIPSIS};
  if (!sf_dict_set_str(PY(I)->builtins, "Ellipsis", &ellipsis)) return sf_py_oom(I);
  for (size_t k = 0; k < sizeof functions / sizeof *functions; k++) {
    if (!sf_py_def_native(PY(I)->builtins, functions[k].name, functions[k].fn, NULL)) return sf_py_oom(I);
    /* they hold what they keep through sf_val_ref, like any Python object */
    ((sf_native *)sf_dict_get_str(PY(I)->builtins, functions[k].name)->o)->keeps_none = true;
  }
  for (size_t k = 0; k < sizeof sandboxed / sizeof *sandboxed; k++) {
    sf_val name = {0};
    if (!sf_str_cstr(sandboxed[k], &name)) return sf_py_oom(I);
    bool ok = sf_py_def_native(PY(I)->builtins, sandboxed[k], b_sandboxed, &name);
    sf_val_drop(&name);
    if (!ok) return sf_py_oom(I);
    ((sf_native *)sf_dict_get_str(PY(I)->builtins, sandboxed[k])->o)->builtin_function = true;
  }
  return SF_OK;
}
