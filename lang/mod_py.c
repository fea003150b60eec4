/* mod_py.c — the Python standard-library modules seedflow provides natively: math,
 * random (CPython's exact MT19937 stream), os (environ, getenv, path.join; no files or
 * processes), time (clock reads), sys (version), warnings and logging (no-ops). */
#include "py.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PY(I) ((I)->py)
#define PI 3.141592653589793
#define EULER 2.718281828459045
#define NATIVE(name) static sf_status name(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out)

/* Keyword arguments of the module functions (CPython 3.11). random's are Python methods of
 * Random ("Random.randint() got an unexpected keyword argument 'c'"): each parameter by
 * name, with its default ("" none); math's and getrandbits are C functions that take none;
 * choices, isclose and prod read their keywords themselves. */
static const struct kw_def {
  const char *f, *owner;
  const char *params[3], *dflt[3];
} kw_defs[] = {
    {"seed", "Random", {"a", "version"}, {"None", "2"}},
    {"uniform", "Random", {"a", "b"}, {"", ""}},
    {"randint", "Random", {"a", "b"}, {"", ""}},
    {"randrange", "Random", {"start", "stop", "step"}, {"", "None", "1"}},
    {"choice", "Random", {"seq"}, {""}},
    {"shuffle", "Random", {"x"}, {""}},
    {"sample", "Random", {"population", "k"}, {"", ""}},
    {"gauss", "Random", {"mu", "sigma"}, {"0.0", "1.0"}},
    {"normalvariate", "Random", {"mu", "sigma"}, {"0.0", "1.0"}},
    {"lognormvariate", "Random", {"mu", "sigma"}, {"", ""}},
    {"triangular", "Random", {"low", "high", "mode"}, {"0.0", "1.0", "None"}},
    {"expovariate", "Random", {"lambd"}, {""}},
    {"random", "Random", {NULL}, {NULL}},
    {"Random", "Random", {"x"}, {"None"}},
    {"getenv", "os", {"key", "default"}, {"", "None"}},
    {"getLogger", "logging", {"name"}, {"None"}},
};

static sf_val default_of(const char *d) {
  if (!strcmp(d, "None")) return sf_none();
  return strchr(d, '.') ? sf_float(strtod(d, NULL)) : sf_int(strtoll(d, NULL, 10));
}

/* *ap's keywords moved to their positions in m (pos: room for 3), gaps filled with defaults. */
static sf_status merge_kw(sf_interp *I, const sf_args **ap, sf_args *m, sf_val *pos, const char *f) {
  const sf_args *a = *ap;
  if (!a->nkw || !strcmp(f, "choices") || !strcmp(f, "isclose") || !strcmp(f, "prod")) return SF_OK;
  const struct kw_def *d = NULL;
  for (size_t i = 0; i < sizeof kw_defs / sizeof *kw_defs && !d; i++)
    if (!strcmp(kw_defs[i].f, f)) d = &kw_defs[i];
  int n = 0;
  while (d && n < 3 && d->params[n]) n++;
  if (!d || !n) /* a C function, or Random.random (a C method) */
    return sf_py_raise(I, a->call, BC_TYPEERR, "%s%s() takes no keyword arguments",
                       !strcmp(f, "log") ? "" : !strcmp(f, "getrandbits") || !strcmp(f, "random") ? "Random." : "math.", f);
  bool set[3] = {0};
  if (a->npos > n) return SF_OK; /* the count's own error */
  for (int i = 0; i < a->npos; i++) pos[i] = a->pos[i], set[i] = true;
  *m = (sf_args){.call = a->call, .pos = pos, .npos = a->npos};
  for (int k = 0; k < a->nkw; k++) {
    int i = 0;
    while (i < n && strcmp(d->params[i], a->kwnames[k]) != 0) i++;
    if (i == n && !strcmp(f, "sample") && !strcmp(a->kwnames[k], "counts")) /* keyword-only, not modelled */
      return sf_error_at(I->err, a->call->line, a->call->col, SF_ENAME, "unsupported: random.sample(counts=...)");
    if (i == n)
      return sf_py_raise(I, a->call, BC_TYPEERR, "%s.%s() got an unexpected keyword argument '%s'", d->owner, f, a->kwnames[k]);
    if (set[i]) return sf_py_raise(I, a->call, BC_TYPEERR, "%s.%s() got multiple values for argument '%s'", d->owner, f, d->params[i]);
    pos[i] = a->kw[k], set[i] = true;
    if (i + 1 > m->npos) m->npos = i + 1;
  }
  for (int i = 0; i < m->npos; i++) {
    if (set[i]) continue;
    if (!d->dflt[i][0])
      return sf_py_raise(I, a->call, BC_TYPEERR, "%s.%s() missing 1 required positional argument: '%s'", d->owner, f, d->params[i]);
    pos[i] = default_of(d->dflt[i]);
  }
  *ap = m;
  return SF_OK;
}

#define NEED(st, f, lo, hi)   \
  sf_val need_pos_[3];        \
  sf_args need_m_;            \
  sf_status st = merge_kw(I, &a, &need_m_, need_pos_, f); \
  if (st == SF_OK) st = need(I, a, f, lo, hi)

static sf_status need(sf_interp *I, const sf_args *a, const char *f, int lo, int hi) {
  if (a->npos >= lo && a->npos <= hi) return SF_OK;
  return sf_py_raise(I, a->call, BC_TYPEERR, "%s() takes %s %d argument%s (%d given)", f, lo == hi ? "exactly" : a->npos < lo ? "at least" : "at most",
                     a->npos < lo ? lo : hi, (a->npos < lo ? lo : hi) == 1 ? "" : "s", a->npos);
}

static sf_status num_arg(sf_interp *I, const sf_args *a, int i, double *x) {
  if (!sf_is_number(&a->pos[i])) return sf_py_raise(I, a->call, BC_TYPEERR, "must be real number, not %s", sf_type_name(&a->pos[i]));
  *x = sf_num(&a->pos[i]);
  return SF_OK;
}

static sf_status int_arg(sf_interp *I, const sf_args *a, int i, int64_t *x) {
  const sf_val *v = &a->pos[i];
  if (v->kind == V_INT || v->kind == V_BOOL) return *x = v->kind == V_INT ? v->i : v->b, SF_OK;
  return sf_py_raise(I, a->call, BC_TYPEERR, "'%s' object cannot be interpreted as an integer", sf_type_name(v));
}

/* ---- math ---- */

typedef struct math1 {
  const char *name;
  double (*fn)(double);
} math1;

static const math1 math1s[] = {
    {"sqrt", sqrt}, {"exp", exp}, {"sin", sin}, {"cos", cos}, {"tan", tan}, {"asin", asin}, {"acos", acos},
    {"atan", atan}, {"sinh", sinh}, {"cosh", cosh}, {"tanh", tanh}, {"log2", log2}, {"log10", log10},
    {"log1p", log1p}, {"expm1", expm1}, {"fabs", fabs}, {"erf", erf}, {"erfc", erfc}, {"gamma", tgamma},
    {"lgamma", lgamma}, {"atanh", atanh}, {"asinh", asinh}, {"acosh", acosh},
};

NATIVE(m_math1) {
  const math1 *m = &math1s[self->i];
  NEED(st, m->name, 1, 1);
  double x;
  if (st != SF_OK || (st = num_arg(I, a, 0, &x)) != SF_OK) return st;
  errno = 0;
  double r = m->fn(x);
  if (isnan(r) && !isnan(x)) return sf_py_raise(I, a->call, BC_VALUEERR, "math domain error");
  if (isinf(r) && isfinite(x)) {
    if (strcmp(m->name, "exp") == 0 || strcmp(m->name, "cosh") == 0 || strcmp(m->name, "sinh") == 0 || strcmp(m->name, "expm1") == 0)
      return sf_py_raise(I, a->call, BC_OVERFLOW, "math range error");
    return sf_py_raise(I, a->call, BC_VALUEERR, "math domain error");
  }
  *out = sf_float(r);
  return SF_OK;
}

NATIVE(m_log) {
  (void)self;
  NEED(st, "log", 1, 2);
  double x, base = 0;
  if (st != SF_OK || (st = num_arg(I, a, 0, &x)) != SF_OK) return st;
  if (a->npos > 1 && (st = num_arg(I, a, 1, &base)) != SF_OK) return st;
  if (x <= 0 || (a->npos > 1 && base <= 0)) return sf_py_raise(I, a->call, BC_VALUEERR, "math domain error");
  *out = sf_float(a->npos > 1 ? log(x) / log(base) : log(x));
  return SF_OK;
}

static sf_status to_int_result(sf_interp *I, const sf_args *a, double r, sf_val *out) {
  if (!isfinite(r)) return sf_py_raise(I, a->call, isnan(r) ? BC_VALUEERR : BC_OVERFLOW, isnan(r) ? "cannot convert float NaN to integer" : "cannot convert float infinity to integer");
  if (fabs(r) >= 9.2e18) return sf_py_int64_limit(I, a->call, "integer result does not fit in 64 bits");
  *out = sf_int((int64_t)r);
  return SF_OK;
}

static sf_status rounding(sf_interp *I, const sf_args *a, sf_val *out, double (*fn)(double), const char *name) {
  NEED(st, name, 1, 1);
  if (st != SF_OK) return st;
  if (a->pos[0].kind == V_INT || a->pos[0].kind == V_BOOL) return *out = sf_int(a->pos[0].kind == V_INT ? a->pos[0].i : a->pos[0].b), SF_OK;
  double x;
  if ((st = num_arg(I, a, 0, &x)) != SF_OK) return st;
  return to_int_result(I, a, fn(x), out);
}

NATIVE(m_floor) { (void)self; return rounding(I, a, out, floor, "floor"); }
NATIVE(m_ceil) { (void)self; return rounding(I, a, out, ceil, "ceil"); }
NATIVE(m_trunc) { (void)self; return rounding(I, a, out, trunc, "trunc"); }

NATIVE(m_pow) {
  (void)self;
  NEED(st, "pow", 2, 2);
  double x, y;
  if (st != SF_OK || (st = num_arg(I, a, 0, &x)) != SF_OK || (st = num_arg(I, a, 1, &y)) != SF_OK) return st;
  if ((x == 0 && y < 0) || (x < 0 && y != floor(y))) return sf_py_raise(I, a->call, BC_VALUEERR, "math domain error");
  double r = pow(x, y);
  if (isinf(r) && isfinite(x) && isfinite(y)) return sf_py_raise(I, a->call, BC_OVERFLOW, "math range error");
  *out = sf_float(r);
  return SF_OK;
}

NATIVE(m_atan2) {
  (void)self;
  NEED(st, "atan2", 2, 2);
  double y, x;
  if (st != SF_OK || (st = num_arg(I, a, 0, &y)) != SF_OK || (st = num_arg(I, a, 1, &x)) != SF_OK) return st;
  *out = sf_float(atan2(y, x));
  return SF_OK;
}

NATIVE(m_hypot) {
  if (a->nkw) return sf_py_raise(I, a->call, BC_TYPEERR, "math.hypot() takes no keyword arguments");
  (void)self;
  double acc = 0;
  for (int i = 0; i < a->npos; i++) {
    double x;
    sf_status st = num_arg(I, a, i, &x);
    if (st != SF_OK) return st;
    acc = hypot(acc, x);
  }
  *out = sf_float(acc);
  return SF_OK;
}

NATIVE(m_isclose) {
  (void)self;
  NEED(st, "isclose", 2, 2);
  double x, y, rel = 1e-9, abs_tol = 0;
  if (st != SF_OK || (st = num_arg(I, a, 0, &x)) != SF_OK || (st = num_arg(I, a, 1, &y)) != SF_OK) return st;
  for (int k = 0; k < a->nkw; k++) {
    if (!sf_is_number(&a->kw[k])) return sf_py_raise(I, a->call, BC_TYPEERR, "must be real number, not %s", sf_type_name(&a->kw[k]));
    if (strcmp(a->kwnames[k], "rel_tol") == 0) rel = sf_num(&a->kw[k]);
    else if (strcmp(a->kwnames[k], "abs_tol") == 0) abs_tol = sf_num(&a->kw[k]);
    else return sf_py_raise(I, a->call, BC_TYPEERR, "'%s' is an invalid keyword argument for isclose()", a->kwnames[k]);
  }
  if (rel < 0 || abs_tol < 0) return sf_py_raise(I, a->call, BC_VALUEERR, "tolerances must be non-negative");
  *out = sf_bool(x == y || fabs(x - y) <= fmax(rel * fmax(fabs(x), fabs(y)), abs_tol));
  return SF_OK;
}

static sf_status float_test(sf_interp *I, const sf_args *a, sf_val *out, int what) {
  NEED(st, what == 0 ? "isnan" : what == 1 ? "isinf" : "isfinite", 1, 1);
  double x;
  if (st != SF_OK || (st = num_arg(I, a, 0, &x)) != SF_OK) return st;
  *out = sf_bool(what == 0 ? isnan(x) : what == 1 ? isinf(x) : isfinite(x));
  return SF_OK;
}

NATIVE(m_isnan) { (void)self; return float_test(I, a, out, 0); }
NATIVE(m_isinf) { (void)self; return float_test(I, a, out, 1); }
NATIVE(m_isfinite) { (void)self; return float_test(I, a, out, 2); }

NATIVE(m_factorial) {
  (void)self;
  NEED(st, "factorial", 1, 1);
  int64_t n, r = 1;
  if (st != SF_OK || (st = int_arg(I, a, 0, &n)) != SF_OK) return st;
  if (n < 0) return sf_py_raise(I, a->call, BC_VALUEERR, "factorial() not defined for negative values");
  for (int64_t k = 2; k <= n; k++)
    if (__builtin_mul_overflow(r, k, &r)) return sf_py_int64_limit(I, a->call, "factorial(%lld) does not fit in 64 bits", (long long)n);
  *out = sf_int(r);
  return SF_OK;
}

NATIVE(m_gcd) {
  if (a->nkw) return sf_py_raise(I, a->call, BC_TYPEERR, "math.gcd() takes no keyword arguments");
  (void)self;
  int64_t g = 0;
  for (int i = 0; i < a->npos; i++) {
    int64_t x;
    sf_status st = int_arg(I, a, i, &x);
    if (st != SF_OK) return st;
    x = x < 0 ? -x : x;
    while (x) {
      int64_t t = g % x;
      g = x;
      x = t;
    }
  }
  *out = sf_int(g);
  return SF_OK;
}

NATIVE(m_prod) {
  (void)self;
  NEED(st, "prod", 1, 1);
  sf_val l, acc = sf_int(1), r; /* prod(iterable, /, *, start=1) */
  for (int k = 0; st == SF_OK && k < a->nkw; k++) {
    if (strcmp(a->kwnames[k], "start") != 0)
      return sf_py_raise(I, a->call, BC_TYPEERR, "'%s' is an invalid keyword argument for prod()", a->kwnames[k]);
    acc = a->kw[k];
  }
  if (st != SF_OK || (st = sf_py_to_list(I, a->call, &a->pos[0], O_LIST, &l)) != SF_OK) return st;
  sf_val_ref(&acc);
  for (int64_t i = 0; st == SF_OK && i < SF_LIST(&l)->n; i++) {
    if ((st = sf_py_binop(I, a->call, '*', &acc, &SF_LIST(&l)->items[i], &r)) != SF_OK) break;
    sf_val_drop(&acc);
    acc = r;
  }
  sf_val_drop(&l);
  *out = acc;
  return st;
}

NATIVE(m_fsum) {
  (void)self;
  NEED(st, "fsum", 1, 1);
  sf_val l = {0};
  if (st != SF_OK || (st = sf_py_to_list(I, a->call, &a->pos[0], O_LIST, &l)) != SF_OK) return st;
  /* Neumaier summation: exact enough for the sums these programs take */
  double s = 0, c = 0;
  for (int64_t i = 0; i < SF_LIST(&l)->n; i++) {
    double x = sf_num(&SF_LIST(&l)->items[i]), t = s + x;
    c += fabs(s) >= fabs(x) ? (s - t) + x : (x - t) + s;
    s = t;
  }
  sf_val_drop(&l);
  *out = sf_float(s + c);
  return SF_OK;
}

NATIVE(m_degrees) {
  (void)self;
  double x;
  NEED(st, "degrees", 1, 1);
  if (st != SF_OK || (st = num_arg(I, a, 0, &x)) != SF_OK) return st;
  *out = sf_float(x * (180.0 / PI));
  return SF_OK;
}

NATIVE(m_radians) {
  (void)self;
  double x;
  NEED(st, "radians", 1, 1);
  if (st != SF_OK || (st = num_arg(I, a, 0, &x)) != SF_OK) return st;
  *out = sf_float(x * (PI / 180.0));
  return SF_OK;
}

/* ---- random: CPython's random module over MT19937 ---- */

static sf_random *rng_of(sf_interp *I, sf_val *self) { return sf_is(self, O_RANDOM) ? (sf_random *)self->o : PY(I)->random; }

static double rnd(sf_random *r) { return sf_np_random_sample(&r->mt); }  /* genrand_res53 */

static uint64_t getrandbits(sf_random *r, int k) {
  if (k <= 32) return sf_mt_next32(&r->mt) >> (32 - k);
  uint64_t lo = sf_mt_next32(&r->mt);
  uint64_t hi = sf_mt_next32(&r->mt) >> (64 - k);
  return lo | hi << 32;
}

static int bit_length(uint64_t n) {
  int k = 0;
  while (n) k++, n >>= 1;
  return k;
}

/* _randbelow_with_getrandbits(n), n >= 1 */
static uint64_t randbelow(sf_random *r, uint64_t n) {
  int k = bit_length(n);
  uint64_t x = getrandbits(r, k);
  while (x >= n) x = getrandbits(r, k);
  return x;
}

static void seed_random(sf_random *r, int64_t seed) {
  sf_mt_seed_python(&r->mt, seed);
  r->has_gauss = false;
}

NATIVE(r_seed) {
  sf_random *r = rng_of(I, self);
  NEED(st, "seed", 0, 2);
  if (st != SF_OK) return st;
  *out = sf_none();
  if (a->npos == 0 || a->pos[0].kind == V_NONE) {
    seed_random(r, (int64_t)(sf_runtime_entropy(&I->rt) >> 1));
    return SF_OK;
  }
  const sf_val *v = &a->pos[0];
  if (v->kind == V_INT || v->kind == V_BOOL) {
    seed_random(r, v->kind == V_INT ? v->i : v->b);
    return SF_OK;
  }
  if (v->kind == V_FLOAT) {
    return sf_error_at(I->err, a->call->line, a->call->col, SF_ENAME, "unsupported: random.seed() of a float (CPython hashes it; use an int)");
  }
  return sf_error_at(I->err, a->call->line, a->call->col, SF_ENAME, "unsupported: random.seed() of a %s (CPython hashes it with SHA-512; use an int)", sf_type_name(v));
}

NATIVE(r_random) {
  NEED(st, "random", 0, 0);
  if (st == SF_OK) *out = sf_float(rnd(rng_of(I, self)));
  return st;
}

NATIVE(r_uniform) {
  NEED(st, "uniform", 2, 2);
  double lo, hi;
  if (st != SF_OK || (st = num_arg(I, a, 0, &lo)) != SF_OK || (st = num_arg(I, a, 1, &hi)) != SF_OK) return st;
  *out = sf_float(lo + (hi - lo) * rnd(rng_of(I, self)));
  return SF_OK;
}

static sf_status randrange(sf_interp *I, const sf_args *a, sf_random *r, int64_t start, int64_t stop, int64_t step, sf_val *out) {
  if (step == 0) return sf_py_raise(I, a->call, BC_VALUEERR, "zero step for randrange()");
  int64_t width = stop - start, n;
  if (step == 1) {
    if (width <= 0) return sf_py_raise(I, a->call, BC_VALUEERR, "empty range in randrange(%lld, %lld)", (long long)start, (long long)stop);
    *out = sf_int(start + (int64_t)randbelow(r, (uint64_t)width));
    return SF_OK;
  }
  n = step > 0 ? (width + step - 1) / step : (width + step + 1) / step;
  if (n <= 0) return sf_py_raise(I, a->call, BC_VALUEERR, "empty range in randrange(%lld, %lld, %lld)", (long long)start, (long long)stop, (long long)step);
  *out = sf_int(start + step * (int64_t)randbelow(r, (uint64_t)n));
  return SF_OK;
}

NATIVE(r_randint) {
  NEED(st, "randint", 2, 2);
  int64_t lo, hi;
  if (st != SF_OK || (st = int_arg(I, a, 0, &lo)) != SF_OK || (st = int_arg(I, a, 1, &hi)) != SF_OK) return st;
  return randrange(I, a, rng_of(I, self), lo, hi + 1, 1, out);
}

NATIVE(r_randrange) {
  NEED(st, "randrange", 1, 3);
  int64_t v[3] = {0, 0, 1};
  bool no_stop = a->npos == 1 || (a->npos >= 2 && a->pos[1].kind == V_NONE); /* randrange(start, stop=None, step=1) */
  for (int i = 0; st == SF_OK && i < a->npos; i++)
    if (!(i == 1 && no_stop)) st = int_arg(I, a, i, &v[i]);
  if (st != SF_OK) return st;
  if (no_stop && a->npos == 3 && v[2] != 1)
    return sf_py_raise(I, a->call, BC_TYPEERR, "Missing a non-None stop argument");
  if (no_stop) return randrange(I, a, rng_of(I, self), 0, v[0], 1, out);
  return randrange(I, a, rng_of(I, self), v[0], v[1], a->npos == 3 ? v[2] : 1, out);
}

/* choice's and choices' population: random.py takes len(seq), draws, then takes seq[i]. A
 * list, tuple, str or range (and what iterates as one: a NumPy array, an instance); an
 * iterator has no len(); a set or dict view has no seq[i]: *bad, its TypeError raised by
 * the caller after the draw (not_subscriptable); a dict's seq[i] is a lookup by key. */
static sf_status indexable(sf_interp *I, const sf_args *a, const sf_val *v, bool *bad) {
  *bad = sf_is(v, O_SET) || sf_is(v, O_DICTVIEW);
  if (sf_is(v, O_DICT))
    return sf_error_at(I->err, a->call->line, a->call->col, SF_ENAME, "unsupported: a dict as the population (random.py indexes it by key)");
  if (sf_is(v, O_ITER)) return sf_py_raise(I, a->call, BC_TYPEERR, "object of type '%s' has no len()", sf_type_name(v));
  return SF_OK;
}

static sf_status not_subscriptable(sf_interp *I, const sf_args *a) {
  return sf_py_raise(I, a->call, BC_TYPEERR, "'%s' object is not subscriptable", sf_type_name(&a->pos[0]));
}

NATIVE(r_choice) {
  NEED(st, "choice", 1, 1);
  sf_val l = {0};
  bool bad;
  if (st != SF_OK || (st = indexable(I, a, &a->pos[0], &bad)) != SF_OK || (st = sf_py_to_list(I, a->call, &a->pos[0], O_LIST, &l)) != SF_OK)
    return st;
  if (SF_LIST(&l)->n == 0) {
    sf_val_drop(&l);
    return sf_py_raise(I, a->call, BC_INDEXERR, "Cannot choose from an empty sequence");
  }
  uint64_t k = randbelow(rng_of(I, self), (uint64_t)SF_LIST(&l)->n);
  if (!bad) *out = SF_LIST(&l)->items[k], sf_val_ref(out);
  sf_val_drop(&l);
  return bad ? not_subscriptable(I, a) : SF_OK;
}

NATIVE(r_shuffle) {
  NEED(st, "shuffle", 1, 1);
  if (st != SF_OK) return st;
  if (!sf_is(&a->pos[0], O_LIST)) return sf_py_raise(I, a->call, BC_TYPEERR, "random.shuffle() needs a list, not %s", sf_type_name(&a->pos[0]));
  sf_list *l = SF_LIST(&a->pos[0]);
  sf_random *r = rng_of(I, self);
  for (int64_t i = l->n - 1; i > 0; i--) {
    int64_t j = (int64_t)randbelow(r, (uint64_t)i + 1);
    sf_val t = l->items[i];
    l->items[i] = l->items[j];
    l->items[j] = t;
  }
  *out = sf_none();
  return SF_OK;
}

NATIVE(r_sample) {
  NEED(st, "sample", 2, 2);
  int64_t k;
  sf_val pool = {0};
  if (st != SF_OK) return st;
  const sf_val *p = &a->pos[0]; /* random.py 3.11: isinstance(population, _Sequence) */
  if (!sf_is(p, O_LIST) && !sf_is(p, O_TUPLE) && !sf_is(p, O_STR) && !sf_is(p, O_RANGE))
    return sf_py_raise(I, a->call, BC_TYPEERR, "Population must be a sequence.  For dicts or sets, use sorted(d).");
  if ((st = int_arg(I, a, 1, &k)) != SF_OK) return st;
  if ((st = sf_py_to_list(I, a->call, &a->pos[0], O_LIST, &pool)) != SF_OK) return st;
  int64_t n = SF_LIST(&pool)->n;
  if (k < 0 || k > n) {
    sf_val_drop(&pool);
    return sf_py_raise(I, a->call, BC_VALUEERR, "Sample larger than population or is negative");
  }
  sf_random *r = rng_of(I, self);
  if (!sf_list_new(O_LIST, k, out)) return sf_val_drop(&pool), sf_py_oom(I);
  int64_t setsize = 21;
  if (k > 5) setsize += (int64_t)pow(4.0, ceil(log((double)k * 3) / log(4.0)));
  sf_val *src = SF_LIST(&pool)->items;
  if (n <= setsize) {
    for (int64_t i = 0; i < k; i++) {
      int64_t j = (int64_t)randbelow(r, (uint64_t)(n - i));
      SF_LIST(out)->items[i] = src[j];
      sf_val_ref(&src[j]);
      sf_val t = src[j];
      src[j] = src[n - i - 1];
      src[n - i - 1] = t;
    }
  } else {
    bool *used = calloc((size_t)n, sizeof *used);
    if (!used) return sf_val_drop(&pool), sf_val_drop(out), sf_py_oom(I);
    for (int64_t i = 0; i < k; i++) {
      int64_t j = (int64_t)randbelow(r, (uint64_t)n);
      while (used[j]) j = (int64_t)randbelow(r, (uint64_t)n);
      used[j] = true;
      SF_LIST(out)->items[i] = src[j];
      sf_val_ref(&src[j]);
    }
    free(used);
  }
  sf_val_drop(&pool);
  return SF_OK;
}

NATIVE(r_gauss) {
  sf_random *r = rng_of(I, self);
  NEED(st, "gauss", 0, 2);
  double mu = 0, sigma = 1;
  if (st != SF_OK || (a->npos > 0 && (st = num_arg(I, a, 0, &mu)) != SF_OK) || (a->npos > 1 && (st = num_arg(I, a, 1, &sigma)) != SF_OK)) return st;
  double z;
  if (r->has_gauss) {
    z = r->gauss;
    r->has_gauss = false;
  } else {
    double x2pi = rnd(r) * 2 * PI, g2rad = sqrt(-2.0 * log(1.0 - rnd(r)));
    z = cos(x2pi) * g2rad;
    r->gauss = sin(x2pi) * g2rad;
    r->has_gauss = true;
  }
  *out = sf_float(mu + z * sigma);
  return SF_OK;
}

NATIVE(r_normalvariate) {
  sf_random *r = rng_of(I, self);
  NEED(st, "normalvariate", 0, 2);
  double mu = 0, sigma = 1;
  if (st != SF_OK || (a->npos > 0 && (st = num_arg(I, a, 0, &mu)) != SF_OK) || (a->npos > 1 && (st = num_arg(I, a, 1, &sigma)) != SF_OK)) return st;
  const double magic = 4 * exp(-0.5) / sqrt(2.0);
  double z;
  for (;;) {
    double u1 = rnd(r), u2 = 1.0 - rnd(r);
    z = magic * (u1 - 0.5) / u2;
    if (z * z / 4.0 <= -log(u2)) break;
  }
  *out = sf_float(mu + z * sigma);
  return SF_OK;
}

/* The running sums of weights (itertools.accumulate), or cum_weights as given, into sums
 * (room for w->n), then the checks random.py makes, in its order. */
static sf_status choice_sums(sf_interp *I, const sf_args *a, const sf_list *w, bool cum, int64_t n, double *sums) {
  for (int64_t i = 0; i < w->n; i++) {
    const sf_val *x = &w->items[i];
    if (!sf_is_number(x))
      return sf_py_raise(I, a->call, BC_TYPEERR, "unsupported operand type(s) for +: 'int' and '%s'", sf_type_name(x));
    sums[i] = cum || i == 0 ? sf_num(x) : sums[i - 1] + sf_num(x);
  }
  if (w->n != n) return sf_py_raise(I, a->call, BC_VALUEERR, "The number of weights does not match the population");
  double total = n ? sums[n - 1] : 0;
  if (!(total > 0.0)) return sf_py_raise(I, a->call, BC_VALUEERR, "Total of weights must be greater than zero");
  if (!isfinite(total)) return sf_py_raise(I, a->call, BC_VALUEERR, "Total of weights must be finite");
  return SF_OK;
}

/* choices(population, weights=None, *, cum_weights=None, k=1) (random.py 3.11): without
 * weights population[floor(random() * n)], with them the bisect_right of random() * total
 * in the running sums (ints summed as ints, as itertools.accumulate does). */
NATIVE(r_choices) {
  NEED(st, "choices", 1, 2);
  if (st != SF_OK) return st;
  const sf_val *weights = a->npos > 1 ? &a->pos[1] : NULL, *cum = NULL;
  int64_t k = 1;
  for (int i = 0; i < a->nkw; i++) {
    const char *kw = a->kwnames[i];
    if (!strcmp(kw, "weights") && !weights) weights = &a->kw[i];
    else if (!strcmp(kw, "cum_weights")) cum = &a->kw[i];
    else if (!strcmp(kw, "k")) {
      if (a->kw[i].kind != V_INT && a->kw[i].kind != V_BOOL)
        return sf_py_raise(I, a->call, BC_TYPEERR, "'%s' object cannot be interpreted as an integer", sf_type_name(&a->kw[i]));
      k = a->kw[i].kind == V_INT ? a->kw[i].i : a->kw[i].b;
    } else return sf_py_raise(I, a->call, BC_TYPEERR, "choices() got an unexpected keyword argument '%s'", kw);
  }
  if (weights && weights->kind == V_NONE) weights = NULL;
  if (cum && cum->kind == V_NONE) cum = NULL;
  if (weights && cum) return sf_py_raise(I, a->call, BC_TYPEERR, "Cannot specify both weights and cumulative weights");
  sf_val pop = {0}, w = {0};
  bool bad;
  if ((st = indexable(I, a, &a->pos[0], &bad)) != SF_OK || (st = sf_py_to_list(I, a->call, &a->pos[0], O_LIST, &pop)) != SF_OK) return st;
  int64_t n = SF_LIST(&pop)->n, nk = k > 0 ? k : 0;
  double *sums = NULL;
  if (weights || cum) {
    if ((st = sf_py_to_list(I, a->call, weights ? weights : cum, O_LIST, &w)) == SF_OK &&
        !(sums = malloc((size_t)(SF_LIST(&w)->n + 1) * sizeof *sums)))
      st = sf_py_oom(I);
    if (st == SF_OK) st = choice_sums(I, a, SF_LIST(&w), cum != NULL, n, sums);
  } else if (n == 0 && nk > 0 && !bad) {
    st = sf_py_raise(I, a->call, BC_INDEXERR, "list index out of range");
  }
  if (st == SF_OK && !sf_list_new(O_LIST, nk, out)) st = sf_py_oom(I);
  sf_random *r = rng_of(I, self);
  for (int64_t i = 0; st == SF_OK && i < nk; i++) {
    int64_t j = 0, hi = n - 1;
    if (!sums) {
      j = (int64_t)floor(rnd(r) * (double)n);
    } else {
      double x = rnd(r) * sums[n - 1];
      while (j < hi) { /* bisect_right(sums, x, 0, n - 1) */
        int64_t mid = (j + hi) / 2;
        if (x < sums[mid]) hi = mid;
        else j = mid + 1;
      }
    }
    if (bad) { /* population[j] after the first draw */
      sf_val_drop(out);
      st = not_subscriptable(I, a);
      break;
    }
    SF_LIST(out)->items[i] = SF_LIST(&pop)->items[j];
    sf_val_ref(&SF_LIST(out)->items[i]);
  }
  free(sums);
  sf_val_drop(&pop);
  sf_val_drop(&w);
  return st;
}

/* triangular(low=0.0, high=1.0, mode=None), expovariate(lambd), lognormvariate(mu, sigma)
 * (random.py 3.11). */
NATIVE(r_triangular) {
  NEED(st, "triangular", 0, 3);
  double lo = 0.0, hi = 1.0, mode = 0;
  bool has_mode = a->npos > 2 && a->pos[2].kind != V_NONE;
  if (st != SF_OK || (a->npos > 0 && (st = num_arg(I, a, 0, &lo)) != SF_OK) || (a->npos > 1 && (st = num_arg(I, a, 1, &hi)) != SF_OK) ||
      (has_mode && (st = num_arg(I, a, 2, &mode)) != SF_OK))
    return st;
  double u = rnd(rng_of(I, self));
  if (has_mode && hi == lo) return *out = a->pos[0], SF_OK; /* (mode - low) / 0: ZeroDivisionError, low as given */
  double c = has_mode ? (mode - lo) / (hi - lo) : 0.5;
  if (u > c) {
    u = 1.0 - u;
    c = 1.0 - c;
    double t = lo;
    lo = hi;
    hi = t;
  }
  *out = sf_float(lo + (hi - lo) * sqrt(u * c));
  return SF_OK;
}

NATIVE(r_expovariate) {
  NEED(st, "expovariate", 1, 1);
  double lambd;
  if (st != SF_OK || (st = num_arg(I, a, 0, &lambd)) != SF_OK) return st;
  double u = rnd(rng_of(I, self));
  if (lambd == 0) return sf_py_raise(I, a->call, BC_ZERODIV, "float division by zero");
  *out = sf_float(-log(1.0 - u) / lambd);
  return SF_OK;
}

NATIVE(r_lognormvariate) {
  sf_val z;
  sf_status st = r_normalvariate(I, self, a, &z);
  if (st == SF_OK) *out = sf_float(exp(z.f));
  return st;
}

NATIVE(r_getrandbits) {
  NEED(st, "getrandbits", 1, 1);
  int64_t k;
  if (st != SF_OK || (st = int_arg(I, a, 0, &k)) != SF_OK) return st;
  if (k < 0 || k > 63) return sf_py_raise(I, a->call, BC_VALUEERR, "unsupported: getrandbits(%lld) (seedflow ints are int64; use k <= 63)", (long long)k);
  *out = sf_int(k ? (int64_t)getrandbits(rng_of(I, self), (int)k) : 0);
  return SF_OK;
}

typedef struct native_def {
  const char *name;
  sf_native_fn fn;
} native_def;

static const native_def random_fns[] = {
    {"seed", r_seed}, {"random", r_random}, {"uniform", r_uniform}, {"randint", r_randint},
    {"randrange", r_randrange}, {"choice", r_choice}, {"shuffle", r_shuffle}, {"sample", r_sample},
    {"gauss", r_gauss}, {"normalvariate", r_normalvariate}, {"getrandbits", r_getrandbits},
    {"choices", r_choices}, {"triangular", r_triangular}, {"expovariate", r_expovariate},
    {"lognormvariate", r_lognormvariate},
};

static bool add_natives(sf_dict *d, const native_def *defs, size_t n, const sf_val *self) {
  for (size_t k = 0; k < n; k++)
    if (!sf_py_def_native(d, defs[k].name, defs[k].fn, self)) return false;
  return true;
}

/* The random module's functions seedflow does not model: named, not an AttributeError
 * saying CPython has none. */
static const char *const random_unmodelled[] = {"getstate", "setstate", "betavariate", "gammavariate", "paretovariate",
                                               "weibullvariate", "vonmisesvariate", "randbytes", "SystemRandom"};
NATIVE(random_unmodelled_fn) {
  (void)out;
  return sf_error_at(I->err, a->call ? a->call->line : I->line, a->call ? a->call->col : 1, SF_ENAME,
                     "unsupported: random.%s", SF_STR(self)->s);
}

static sf_status sandboxed_fn(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out);

static bool add_names(sf_dict *d, const char *const *names, size_t n, sf_native_fn fn, bool self_is_name) {
  for (size_t k = 0; k < n; k++) {
    sf_val name = sf_none();
    if (self_is_name && !sf_str_cstr(names[k], &name)) return false;
    bool ok = sf_py_def_native(d, names[k], fn, self_is_name ? &name : NULL);
    sf_val_drop(&name);
    if (!ok) return false;
    /* a sandboxed function (os.system, sys.exit) prints as the built-in function it is */
    if (fn == sandboxed_fn) ((sf_native *)sf_dict_get_str(d, names[k])->o)->builtin_function = true;
  }
  return true;
}

/* The random module's functions on stream rv (the module's or a Random's), and its unmodelled ones. */
static bool add_random_fns(sf_dict *d, const sf_val *rv) {
  return add_natives(d, random_fns, sizeof random_fns / sizeof *random_fns, rv) &&
         add_names(d, random_unmodelled, sizeof random_unmodelled / sizeof *random_unmodelled, random_unmodelled_fn, true);
}

/* random.Random(seed): an instance with its own stream and the same methods. */
NATIVE(r_Random) {
  (void)self;
  NEED(st, "Random", 0, 1);
  if (st != SF_OK) return st;
  sf_random *r = sf_obj_alloc(O_RANDOM, sizeof *r);
  if (!r) return sf_py_oom(I);
  sf_val rv = sf_obj_val(r);
  sf_module *m = sf_obj_alloc(O_MODULE, sizeof *m);
  if (!m || !(m->attrs = sf_dict_alloc(O_DICT))) return free(m), sf_val_drop(&rv), sf_py_oom(I);
  m->name = "random.Random";
  bool ok = add_random_fns(m->attrs, &rv);
  sf_args sa = *a;
  sf_val ignore = {0};
  st = ok ? r_seed(I, &rv, &sa, &ignore) : sf_py_oom(I);
  sf_val_drop(&rv);
  *out = sf_obj_val(m);
  if (st != SF_OK) sf_val_drop(out);
  return st;
}

/* ---- os, time, sys, warnings, logging ---- */

NATIVE(os_getenv) {
  (void)self;
  NEED(st, "getenv", 1, 2);
  if (st != SF_OK) return st;
  sf_val env = {0};
  sf_module *os = NULL;
  sf_val *m = sf_dict_get_str(PY(I)->modules, "os");
  if (m) os = (sf_module *)m->o;
  sf_val *e = os ? sf_dict_get_str(os->attrs, "environ") : NULL;
  sf_val *v = e ? sf_dict_get(SF_DICT(e), &a->pos[0]) : NULL;
  (void)env;
  *out = v ? *v : a->npos > 1 ? a->pos[1] : sf_none();
  sf_val_ref(out);
  return SF_OK;
}

NATIVE(os_path_join) {
  (void)self;
  sf_buf b = {0};
  for (int i = 0; i < a->npos; i++) {
    if (!sf_is(&a->pos[i], O_STR)) return free(b.s), sf_py_raise(I, a->call, BC_TYPEERR, "join() argument must be str");
    const char *s = SF_STR(&a->pos[i])->s;
    if (s[0] == '/') b.n = 0;
    else if (b.n && b.s[b.n - 1] != '/') sf_buf_puts(&b, "/");
    sf_buf_puts(&b, s);
  }
  bool ok = sf_str_new(b.s ? b.s : "", b.n, out);
  free(b.s);
  return ok ? SF_OK : sf_py_oom(I);
}

NATIVE(sandboxed_fn) {
  (void)out;
  return sf_error_at(I->err, a->call ? a->call->line : I->line, a->call ? a->call->col : 1, SF_EINVAL,
                     "sandbox: '%s' is not available (seedflow programs have no file, network, process or "
                     "code-loading access)", SF_STR(self)->s);
}

NATIVE(t_time) {
  (void)self;
  (void)a;
  (void)I;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  *out = sf_float((double)ts.tv_sec + ts.tv_nsec * 1e-9);
  return SF_OK;
}

NATIVE(t_perf) {
  (void)self;
  (void)a;
  (void)I;
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  *out = sf_float((double)ts.tv_sec + ts.tv_nsec * 1e-9);
  return SF_OK;
}

NATIVE(t_sleep) {
  (void)self;
  (void)a;
  (void)I;
  *out = sf_none();  /* the program's clock reads are its own; sleeping changes no value */
  return SF_OK;
}

NATIVE(noop) {
  (void)self;
  (void)a;
  (void)I;
  *out = sf_none();
  return SF_OK;
}

static const char *const logging_fns[] = {"basicConfig", "debug", "info", "warning", "error", "critical", "disable",
                                          "setLevel", "captureWarnings", "exception", "log"};
/* A Logger's methods: what they write goes to stderr, never to what the program prints. */
static const char *const logger_fns[] = {"setLevel", "debug", "info", "warning", "warn", "error", "critical", "exception",
                                         "log", "addHandler", "removeHandler", "addFilter", "removeFilter"};

static const char *const warnings_fns[] = {"filterwarnings", "simplefilter", "warn", "resetwarnings"};
static const char *const os_sandboxed[] = {"system", "popen", "remove", "unlink", "mkdir", "makedirs", "rmdir",
                                           "listdir", "chdir", "rename", "walk", "kill", "fork", "execv", "open"};

/* ---- functools.reduce; itertools.product, combinations, permutations ----
 * (Modules/_functoolsmodule.c functools_reduce, Modules/itertoolsmodule.c). The three
 * itertools take their inputs whole when made (tuple(pool)), so making every item then is
 * exact but for memory: beyond ITER_MAX items they are named as unsupported. chain,
 * islice, count and repeat read their inputs as they go (eval.c itertools_next); the
 * itertools seedflow does not model are named as such (lang/realnames.c). */
enum { ITER_MAX = 1000000 };

NATIVE(ft_reduce) {
  (void)self;
  if (a->nkw) return sf_py_raise(I, a->call, BC_TYPEERR, "reduce() takes no keyword arguments");
  if (a->npos < 2 || a->npos > 3)
    return sf_py_raise(I, a->call, BC_TYPEERR, "reduce expected at %s %d argument%s, got %d", a->npos < 2 ? "least" : "most",
                       a->npos < 2 ? 2 : 3, "s", a->npos);
  sf_val it = {0}, acc = {0}, x = {0};
  sf_status st = sf_py_iter(I, a->call, &a->pos[1], &it);
  bool have = a->npos == 3, done = false;
  if (have) acc = a->pos[2], sf_val_ref(&acc);
  while (st == SF_OK && (st = sf_py_next(I, a->call, &it, &x, &done)) == SF_OK && !done) {
    if (!have) {
      acc = x, have = true;
      continue;
    }
    sf_val pair[2] = {acc, x}, r = {0};
    sf_args ca = {.call = a->call, .pos = pair, .npos = 2};
    st = sf_py_call(I, &a->pos[0], &ca, &r);
    sf_val_drop(&acc);
    sf_val_drop(&x);
    acc = r;
  }
  sf_val_drop(&it);
  if (st == SF_OK && !have) st = sf_py_raise(I, a->call, BC_TYPEERR, "reduce() of empty iterable with no initial value");
  if (st != SF_OK) return sf_val_drop(&acc), st;
  *out = acc;
  return SF_OK;
}

/* An itertools object over the items of list l (its reference moves in). */
static sf_status items_iter(sf_interp *I, sf_val *l, sf_builtin_class cls, sf_val *out) {
  sf_iter *x = sf_obj_alloc(O_ITER, sizeof *x);
  if (!x) return sf_val_drop(l), sf_py_oom(I);
  x->seq = *l;
  x->cls = PY(I)->cls[cls];
  *out = sf_obj_val(x);
  return SF_OK;
}

static sf_status too_many(sf_interp *I, const sf_args *a, const char *fname) {
  return sf_error_at(I->err, a->call ? a->call->line : I->line, a->call ? a->call->col : 1, SF_ENAME,
                     "unsupported: itertools.%s of more than %d items (seedflow makes them all at once)", fname, ITER_MAX);
}

/* A tuple of the items of pool at idx[0..r). */
static bool pick(const sf_list *pool, const int64_t *idx, int64_t r, sf_val *out) {
  if (!sf_list_new(O_TUPLE, r, out)) return false;
  for (int64_t k = 0; k < r; k++) {
    SF_LIST(out)->items[k] = pool->items[idx[k]];
    sf_val_ref(&pool->items[idx[k]]);
  }
  return true;
}

NATIVE(it_product) {
  (void)self;
  int64_t repeat = 1;
  for (int k = 0; k < a->nkw; k++) {
    if (strcmp(a->kwnames[k], "repeat") != 0)
      return sf_py_raise(I, a->call, BC_TYPEERR, "'%s' is an invalid keyword argument for product()", a->kwnames[k]);
    if (a->kw[k].kind != V_INT) return sf_py_raise(I, a->call, BC_TYPEERR, "'%s' object cannot be interpreted as an integer", sf_type_name(&a->kw[k]));
    if ((repeat = a->kw[k].i) < 0) return sf_py_raise(I, a->call, BC_VALUEERR, "repeat argument cannot be negative");
  }
  if (a->npos && repeat > ITER_MAX / a->npos) return too_many(I, a, "product"); /* tuples that long */
  int64_t npools = (int64_t)a->npos * repeat, total = 1;
  sf_val *pools = calloc((size_t)a->npos + 1, sizeof *pools);
  sf_status st = pools ? SF_OK : sf_py_oom(I);
  for (int k = 0; st == SF_OK && k < a->npos; k++) st = sf_py_to_list(I, a->call, &a->pos[k], O_TUPLE, &pools[k]);
  for (int64_t p = 0; st == SF_OK && p < npools && total; p++) {
    int64_t n = SF_LIST(&pools[p % a->npos])->n;
    if (n && total > ITER_MAX / n) st = too_many(I, a, "product");
    total *= n;
  }
  sf_val all = {0};
  if (st == SF_OK && !sf_list_new(O_LIST, total, &all)) st = sf_py_oom(I);
  for (int64_t i = 0; st == SF_OK && i < total; i++) { /* the last pool varies fastest */
    sf_val *t = &SF_LIST(&all)->items[i];
    if (!sf_list_new(O_TUPLE, npools, t)) st = sf_py_oom(I);
    for (int64_t p = npools - 1, rest = i; st == SF_OK && p >= 0; p--) {
      const sf_list *pool = SF_LIST(&pools[p % a->npos]);
      SF_LIST(t)->items[p] = pool->items[rest % pool->n];
      sf_val_ref(&pool->items[rest % pool->n]);
      rest /= pool->n;
    }
  }
  for (int k = 0; pools && k < a->npos; k++) sf_val_drop(&pools[k]);
  free(pools);
  if (st != SF_OK) return sf_val_drop(&all), st;
  return items_iter(I, &all, BC_IT_PRODUCT, out);
}

/* combinations(iterable, r) and permutations(iterable, r=None), in CPython's order. */
static sf_status choose(sf_interp *I, const sf_args *a, sf_val *out, bool perm) {
  const char *fname = perm ? "permutations" : "combinations";
  sf_val v[2];
  bool g[2];
  sf_status st = sf_bind(I, fname, a, "iterable r", v, g);
  if (st != SF_OK) return st;
  if (!g[0] || (!perm && !g[1]))
    return sf_py_raise(I, a->call, BC_TYPEERR, "%s() missing required argument '%s' (pos %d)", fname, g[0] ? "r" : "iterable", g[0] ? 2 : 1);
  sf_val pool = {0};
  if ((st = sf_py_to_list(I, a->call, &v[0], O_TUPLE, &pool)) != SF_OK) return st;
  int64_t n = SF_LIST(&pool)->n, r = n;
  if (g[1] && v[1].kind != V_NONE) {
    if (v[1].kind != V_INT) st = perm ? sf_py_raise(I, a->call, BC_TYPEERR, "Expected int as r")
                                      : sf_py_raise(I, a->call, BC_TYPEERR, "'%s' object cannot be interpreted as an integer", sf_type_name(&v[1]));
    else if ((r = v[1].i) < 0) st = sf_py_raise(I, a->call, BC_VALUEERR, "r must be non-negative");
  }
  int64_t *idx = st == SF_OK ? calloc((size_t)(n > r ? n : r) + 1, sizeof *idx) : NULL;
  bool *used = st == SF_OK ? calloc((size_t)n + 1, sizeof *used) : NULL;
  if (st == SF_OK && (!idx || !used)) st = sf_py_oom(I);
  sf_val all = {0};
  if (st == SF_OK && !sf_list_new(O_LIST, 0, &all)) st = sf_py_oom(I);
  /* depth-first over index tuples in lexicographic order: combinations' increase, a
   * permutation's are distinct */
  int64_t depth = 0;
  if (st == SF_OK && r <= n) idx[0] = -1;
  while (st == SF_OK && r <= n && depth >= 0) {
    if (depth == r) {
      sf_val t;
      if (SF_LIST(&all)->n >= ITER_MAX) st = too_many(I, a, fname);
      else if (!pick(SF_LIST(&pool), idx, r, &t) || !sf_list_append(SF_LIST(&all), &t)) st = sf_py_oom(I);
      else sf_val_drop(&t);
      depth--;
      continue;
    }
    if (perm && idx[depth] >= 0) used[idx[depth]] = false;
    int64_t next = idx[depth] + 1;
    while (perm && next < n && used[next]) next++;
    if (next >= n || (!perm && n - next < r - depth)) { /* this place is done */
      depth--;
      continue;
    }
    idx[depth] = next;
    if (perm) used[next] = true;
    if (++depth < r) idx[depth] = perm ? -1 : next;
  }
  free(idx);
  free(used);
  sf_val_drop(&pool);
  if (st != SF_OK) return sf_val_drop(&all), st;
  return items_iter(I, &all, perm ? BC_IT_PERMUTATIONS : BC_IT_COMBINATIONS, out);
}
NATIVE(it_combinations) { (void)self; return choose(I, a, out, false); }
NATIVE(it_permutations) { (void)self; return choose(I, a, out, true); }

/* chain(*iterables), chain.from_iterable(iterable), islice(iterable, stop) or (iterable,
 * start, stop[, step]), count(start=0, step=1), repeat(object[, times]): lazy, as CPython's
 * (itertoolsmodule.c; eval.c itertools_next takes each item when asked). */

NATIVE(it_chain) {
  (void)self;
  if (a->nkw) return sf_py_raise(I, a->call, BC_TYPEERR, "chain() takes no keyword arguments");
  sf_status st = sf_py_lazy_iter(I, SF_LAZY_CHAIN, BC_IT_CHAIN, 1, out);
  if (st != SF_OK) return st;
  sf_iter *x = (sf_iter *)out->o;
  if (!sf_list_new(O_TUPLE, a->npos, &x->seq)) return sf_val_drop(out), sf_py_oom(I);
  for (int k = 0; k < a->npos; k++) SF_LIST(&x->seq)->items[k] = a->pos[k], sf_val_ref(&a->pos[k]);
  return SF_OK;
}

NATIVE(it_chain_from_iterable) {
  (void)self;
  if (a->npos != 1 || a->nkw)
    return sf_py_raise(I, a->call, BC_TYPEERR, "chain.from_iterable() takes exactly one argument (%d given)", a->npos + a->nkw);
  sf_val it = {0};
  sf_status st = sf_py_iter(I, a->call, &a->pos[0], &it);
  if (st == SF_OK && (st = sf_py_lazy_iter(I, SF_LAZY_CHAIN, BC_IT_CHAIN, 1, out)) == SF_OK) ((sf_iter *)out->o)->fn = it;
  else sf_val_drop(&it);
  return st;
}

/* PyNumber_AsSsize_t with its error cleared, as islice_new reads an index: an int's value,
 * -1 for anything else. */
static int64_t ssize_or_minus_one(const sf_val *v) {
  return v->kind == V_INT ? v->i : v->kind == V_BOOL ? v->b : -1;
}

NATIVE(it_islice) {
  (void)self;
  if (a->nkw) return sf_py_raise(I, a->call, BC_TYPEERR, "islice() takes no keyword arguments");
  if (a->npos < 2 || a->npos > 4)
    return sf_py_raise(I, a->call, BC_TYPEERR, a->npos < 2 ? "islice expected at least 2 arguments, got %d" : "islice expected at most 4 arguments, got %d",
                       a->npos);
  /* islice_new's checks in its order: stop, then start and stop's range, then step */
  int64_t start = 0, stop = -1, step = 1;
  const sf_val *a1 = &a->pos[1], *a2 = a->npos > 2 ? &a->pos[2] : NULL, *a3 = a->npos > 3 ? &a->pos[3] : NULL;
  const sf_val *stop_arg = a->npos == 2 ? a1 : a2;
  if (a->npos > 2 && a1->kind != V_NONE) start = ssize_or_minus_one(a1);
  if (stop_arg->kind != V_NONE && (stop = ssize_or_minus_one(stop_arg)) == -1)
    return sf_py_raise(I, a->call, BC_VALUEERR, "Stop argument for islice() must be None or an integer: 0 <= x <= sys.maxsize.");
  if (start < 0 || stop < -1)
    return sf_py_raise(I, a->call, BC_VALUEERR, "Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.");
  if (a3 && a3->kind != V_NONE) step = ssize_or_minus_one(a3);
  if (step < 1) return sf_py_raise(I, a->call, BC_VALUEERR, "Step for islice() must be a positive integer or None.");
  sf_val it = {0};
  sf_status st = sf_py_iter(I, a->call, &a->pos[0], &it);
  if (st != SF_OK || (st = sf_py_lazy_iter(I, SF_LAZY_ISLICE, BC_IT_ISLICE, 1, out)) != SF_OK) return sf_val_drop(&it), st;
  sf_iter *x = (sf_iter *)out->o;
  x->its[0] = it;
  x->depth = 1;
  x->next = start, x->stop = stop, x->step = step;
  return SF_OK;
}

NATIVE(it_count) {
  (void)self;
  SF_BIND("count", "start step", 2);
  sf_val start = g[0] ? v[0] : sf_int(0), step = g[1] ? v[1] : sf_int(1);
  if (!sf_is_number(&start) || !sf_is_number(&step)) return sf_py_raise(I, a->call, BC_TYPEERR, "a number is required");
  if ((st = sf_py_lazy_iter(I, SF_LAZY_COUNT, BC_IT_COUNT, 1, out)) != SF_OK) return st;
  sf_iter *x = (sf_iter *)out->o;
  /* CPython's fast mode (an int start, a step of int 1) counts in a Py_ssize_t: count(True)
   * gives 1; otherwise it gives start itself first (count(True, 2): True, 3) */
  bool fast = !start.numpy && !step.numpy && (start.kind == V_INT || start.kind == V_BOOL) &&
              (step.kind == V_INT ? step.i == 1 : step.kind == V_BOOL && step.b);
  x->fn = fast && start.kind == V_BOOL ? sf_int(start.b) : start;
  x->seq = fast && step.kind == V_BOOL ? sf_int(1) : step;
  return SF_OK;
}

NATIVE(it_repeat) {
  (void)self;
  SF_BIND("repeat", "object times", 2);
  if (!g[0]) return sf_py_raise(I, a->call, BC_TYPEERR, "repeat() missing required argument 'object' (pos 1)");
  int64_t times = -1;
  if (g[1]) {
    if (v[1].kind != V_INT && v[1].kind != V_BOOL)
      return sf_py_raise(I, a->call, BC_TYPEERR, "'%s' object cannot be interpreted as an integer", sf_type_name(&v[1]));
    times = v[1].kind == V_INT ? v[1].i : v[1].b;
    if (times < 0) times = 0;
  }
  if ((st = sf_py_lazy_iter(I, SF_LAZY_REPEAT, BC_IT_REPEAT, 1, out)) != SF_OK) return st;
  sf_iter *x = (sf_iter *)out->o;
  x->fn = v[0];
  sf_val_ref(&v[0]);
  x->pos = times;
  return SF_OK;
}

static sf_module *new_module(const char *name) {
  sf_module *m = sf_obj_alloc(O_MODULE, sizeof *m);
  if (!m) return NULL;
  m->name = name;
  if (!(m->attrs = sf_dict_alloc(O_DICT))) return free(m), NULL;
  return m;
}

static bool set_float(sf_dict *d, const char *name, double f) {
  sf_val v = sf_float(f);
  return sf_dict_set_str(d, name, &v);
}

static bool set_str(sf_dict *d, const char *name, const char *s) {
  sf_val v = {0};
  if (!sf_str_cstr(s, &v)) return false;
  bool ok = sf_dict_set_str(d, name, &v);
  sf_val_drop(&v);
  return ok;
}

static bool build_math(sf_module *m) {
  for (size_t k = 0; k < sizeof math1s / sizeof *math1s; k++) {
    sf_val idx = sf_int((int64_t)k);
    if (!sf_py_def_native(m->attrs, math1s[k].name, m_math1, &idx)) return false;
  }
  static const native_def fns[] = {
      {"log", m_log}, {"floor", m_floor}, {"ceil", m_ceil}, {"trunc", m_trunc}, {"pow", m_pow}, {"atan2", m_atan2},
      {"hypot", m_hypot}, {"isclose", m_isclose}, {"isnan", m_isnan}, {"isinf", m_isinf}, {"isfinite", m_isfinite},
      {"factorial", m_factorial}, {"gcd", m_gcd}, {"prod", m_prod}, {"fsum", m_fsum}, {"degrees", m_degrees},
      {"radians", m_radians},
  };
  return add_natives(m->attrs, fns, sizeof fns / sizeof *fns, NULL) && set_float(m->attrs, "pi", PI) &&
         set_float(m->attrs, "e", EULER) && set_float(m->attrs, "tau", 2 * PI) && set_float(m->attrs, "inf", INFINITY) &&
         set_float(m->attrs, "nan", NAN);
}


/* logging.getLogger(name=None): one Logger per name (the root logger for None), as
 * logging.Logger.manager keeps them; its attributes name, level, disabled and propagate
 * can be read and set. Held in the logging module's "_loggers". */
sf_status sf_py_logger(sf_interp *I, const char *name, sf_val *out) {
  sf_val lm = {0};
  bool found = false;
  sf_status st = sf_py_import_native(I, "logging", &lm, &found);
  if (st != SF_OK) return st;
  sf_dict *attrs = ((sf_module *)lm.o)->attrs;
  sf_val *cache = sf_dict_get_str(attrs, "_loggers"), *have = cache ? sf_dict_get_str(SF_DICT(cache), name) : NULL;
  if (have) {
    *out = *have;
    sf_val_ref(out);
    return sf_val_drop(&lm), SF_OK;
  }
  sf_module *m = new_module("logging.Logger");
  sf_val mv = m ? sf_obj_val(m) : sf_none(), nv = sf_none(), zero = sf_int(0), no = sf_bool(false), yes = sf_bool(true);
  bool ok = m && cache && sf_str_cstr(name, &nv) && add_names(m->attrs, logger_fns, sizeof logger_fns / sizeof *logger_fns, noop, false) &&
            sf_dict_set_str(m->attrs, "name", &nv) && sf_dict_set_str(m->attrs, "level", &zero) &&
            sf_dict_set_str(m->attrs, "disabled", &no) && sf_dict_set_str(m->attrs, "propagate", &yes) &&
            sf_dict_set(SF_DICT(cache), &nv, &mv);
  sf_val_drop(&nv);
  sf_val_drop(&lm);
  if (!ok) return sf_val_drop(&mv), sf_py_oom(I);
  *out = mv;
  return SF_OK;
}

NATIVE(lg_getLogger) {
  (void)self;
  NEED(st, "getLogger", 0, 1);
  if (st != SF_OK) return st;
  if (a->npos && a->pos[0].kind != V_NONE && !sf_is(&a->pos[0], O_STR))
    return sf_py_raise(I, a->call, BC_TYPEERR, "A logger name must be a string");
  return sf_py_logger(I, a->npos && a->pos[0].kind != V_NONE ? SF_STR(&a->pos[0])->s : "root", out);
}

static bool build_os(sf_interp *I, sf_module *m) {
  (void)I;
  sf_val env = {0};
  if (!sf_dict_new(O_DICT, &env)) return false;
  /* the program sees an environment of its own: reads of unset names give KeyError/None,
   * writes (TF_DETERMINISTIC_OPS, PYTHONHASHSEED...) are recorded, never exported */
  bool ok = sf_dict_set_str(m->attrs, "environ", &env);
  sf_val_drop(&env);
  sf_module *path = new_module("os.path");
  if (!ok || !path) return false;
  ok = sf_py_def_native(path->attrs, "join", os_path_join, NULL) && sf_py_def_native(m->attrs, "getenv", os_getenv, NULL) &&
       add_names(m->attrs, os_sandboxed, sizeof os_sandboxed / sizeof *os_sandboxed, sandboxed_fn, true) &&
       set_str(m->attrs, "sep", "/") && set_str(m->attrs, "name", "posix");
  static const char *const path_sandboxed[] = {"exists", "isfile", "isdir", "getsize", "abspath"};
  ok = ok && add_names(path->attrs, path_sandboxed, sizeof path_sandboxed / sizeof *path_sandboxed, sandboxed_fn, true);
  sf_val pv = sf_obj_val(path);
  ok = ok && sf_dict_set_str(m->attrs, "path", &pv);
  sf_val_drop(&pv);
  return ok;
}

sf_status sf_py_import_native(sf_interp *I, const char *name, sf_val *out, bool *found) {
  *found = false;
  sf_val *have = sf_dict_get_str(PY(I)->modules, name);
  if (have) {
    *found = true;
    *out = *have;
    sf_val_ref(out);
    return SF_OK;
  }
  if (strcmp(name, "os.path") == 0) {
    sf_val os = {0};
    sf_status st = sf_py_import_native(I, "os", &os, found);
    if (st != SF_OK || !*found) return st;
    sf_val *p = sf_dict_get_str(((sf_module *)os.o)->attrs, "path");
    *out = *p;
    sf_val_ref(out);
    sf_val_drop(&os);
    return SF_OK;
  }
  static const char *const known[] = {"math", "random", "os", "time", "sys", "warnings", "logging", "functools", "itertools"};
  size_t k = 0;
  while (k < sizeof known / sizeof *known && strcmp(known[k], name) != 0) k++;
  if (k == sizeof known / sizeof *known) return SF_OK;
  sf_module *m = new_module(known[k]);
  if (!m) return sf_py_oom(I);
  bool ok = true;
  switch (k) {
    case 0: ok = build_math(m); break;
    case 1: {
      sf_val rv = sf_obj_val(PY(I)->random);
      ok = add_random_fns(m->attrs, &rv) && sf_py_def_native(m->attrs, "Random", r_Random, NULL);
      break;
    }
    case 2: ok = build_os(I, m); break;
    case 3: {
      static const native_def fns[] = {{"time", t_time}, {"perf_counter", t_perf}, {"monotonic", t_perf},
                                       {"process_time", t_perf}, {"sleep", t_sleep}};
      ok = add_natives(m->attrs, fns, sizeof fns / sizeof *fns, NULL);
      break;
    }
    case 4: {
      sf_val argv, zero = sf_int(0);
      ok = set_str(m->attrs, "version", "3.11.2 (seedflow)") && set_str(m->attrs, "platform", "linux") && sf_list_new(O_LIST, 0, &argv);
      if (ok) {
        ok = sf_dict_set_str(m->attrs, "argv", &argv);
        sf_val_drop(&argv);
      }
      sf_val mx = sf_int(INT64_MAX);
      ok = ok && sf_dict_set_str(m->attrs, "maxsize", &mx) && sf_py_def_native(m->attrs, "setrecursionlimit", noop, NULL);
      (void)zero;
      static const char *const sys_sandboxed[] = {"exit"};
      ok = ok && add_names(m->attrs, sys_sandboxed, 1, sandboxed_fn, true);
      break;
    }
    case 5: ok = add_names(m->attrs, warnings_fns, sizeof warnings_fns / sizeof *warnings_fns, noop, false); break;
    case 7: ok = sf_py_def_native(m->attrs, "reduce", ft_reduce, NULL); break;
    case 8: { /* classes, as CPython's: calling one makes its iterator */
      static const struct {
        sf_builtin_class id;
        sf_native_fn fn;
      } classes[] = {{BC_IT_PRODUCT, it_product}, {BC_IT_COMBINATIONS, it_combinations}, {BC_IT_PERMUTATIONS, it_permutations},
                     {BC_IT_CHAIN, it_chain},     {BC_IT_ISLICE, it_islice},             {BC_IT_COUNT, it_count},
                     {BC_IT_REPEAT, it_repeat}};
      for (size_t c = 0; ok && c < sizeof classes / sizeof *classes; c++) {
        sf_class *k = PY(I)->cls[classes[c].id];
        k->call = classes[c].fn;
        sf_val kv = sf_obj_val(k);
        ok = sf_dict_set_str(m->attrs, k->name, &kv);
      }
      ok = ok && sf_py_def_native(PY(I)->cls[BC_IT_CHAIN]->attrs, "from_iterable", it_chain_from_iterable, NULL);
      break;
    }
    case 6: {
      ok = add_names(m->attrs, logging_fns, sizeof logging_fns / sizeof *logging_fns, noop, false) &&
           sf_py_def_native(m->attrs, "getLogger", lg_getLogger, NULL);
      sf_dict *loggers = ok ? sf_dict_alloc(O_DICT) : NULL; /* sf_py_logger's table */
      sf_val table = loggers ? sf_obj_val(loggers) : sf_none();
      ok = loggers && sf_dict_set_str(m->attrs, "_loggers", &table);
      sf_val_drop(&table);
      static const char *const levels[] = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"};
      for (int i = 0; ok && i < 5; i++) {
        sf_val lv = sf_int(10 * (i + 1));
        ok = sf_dict_set_str(m->attrs, levels[i], &lv);
      }
      break;
    }
  }
  sf_val mv = sf_obj_val(m);
  if (!ok || !sf_dict_set_str(PY(I)->modules, name, &mv)) {
    sf_val_drop(&mv);
    return sf_py_oom(I);
  }
  *found = true;
  *out = mv;
  return SF_OK;
}
