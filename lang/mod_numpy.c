/* mod_numpy.c — the NumPy module family (np.*): NumPy 1.24's legacy random stream and the
 * array operations TensorFlow snippets use, computed at Python time on host tensors the way
 * NumPy computes them (pairwise summation, type promotion, broadcasting). A NumPy array is
 * a tensor value with numpy = true; its element type is the tensor's dtype. */
#include "interp.h"

#include "engine/hash.h"
#include "engine/rng/rng.h"
#include "py.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BIND SF_BIND

#define need sf_arg_need

/* ---- arrays in and out ---- */

/* A new host tensor of the run (counted against its memory and element limits). */
static sf_status np_new(sf_interp *I, const sf_args *a, const char *fname, sf_dtype dt, const sf_shape *s,
                        sf_tensor **out) {
  int64_t n = 1;
  for (int i = 0; i < s->rank; i++) {
    int64_t d = s->dims[i] < 0 ? 0 : s->dims[i] > SF_MAX_ELEMENTS ? SF_MAX_ELEMENTS + 1 : s->dims[i];
    n = n > SF_MAX_ELEMENTS ? n : n * d;
  }
  if (I->rt.max_elements && n > I->rt.max_elements)
    return sf_arg_error(I, a, SF_ELIMIT, "%s(): %lld elements exceed the run's limit of %lld", fname, (long long)n,
                        (long long)I->rt.max_elements);
  if (sf_runtime_alloc(&I->rt, NULL, dt, s, out, I->err) != SF_OK) return sf_arg_rethrow(I, a, "%s()", fname);
  return SF_OK;
}

/* t (its reference is taken over) as a NumPy array value (sf_b_host_array: a host value in
 * every mode, as graph._last_id counts no NumPy work). */
static sf_status np_out(sf_interp *I, sf_tensor *t, sf_val *out) {
  int id;
  sf_status st = sf_b_host_array(I, t, "array", &id);
  sf_tensor_unref(t);
  if (st != SF_OK) return st;
  *out = (sf_val){.kind = V_TENSOR, .g = I->E.g, .node = id, .numpy = true};
  return SF_OK;
}

/* Element i of t as a NumPy scalar (mod_numpy_scalar.c). */
static void np_item(const sf_tensor *t, int64_t i, sf_val *out) { *out = sf_np_scalar_of(t, i); }

/* A tensor result, or its one element as a NumPy scalar when it has rank 0. */
static sf_status np_result(sf_interp *I, sf_tensor *t, sf_val *out) {
  if (t->shape.rank > 0) return np_out(I, t, out);
  np_item(t, 0, out);
  sf_tensor_unref(t);
  return SF_OK;
}

/* ---- views: arrays that share memory ----
 * NumPy's basic indexing (a slice, a row), reshape, ravel, .T, squeeze and expand_dims give
 * views: arrays on the memory of the array they were taken from, whose owner is the base
 * (NumPy collapses a view of a view to the owner). seedflow's are copies, which print alike
 * while no array changes; an in-place operator changes a view and its base in NumPy, so it
 * is refused on an array that shares memory with another that is still alive (its node
 * still has its value: a handle to it remains). */
typedef struct sf_np_alias {
  int id;                        /* key: an array's node */
  int root;                      /* the node that owns the memory (id itself for the owner) */
  int *views, nviews, capviews;  /* the owner's views, live or dead (malloc'd) */
  UT_hash_handle hh;
} sf_np_alias;

static bool alive(sf_interp *I, int id) { return sf_eager_value(&I->E, id) && I->E.rc[id - 1] != 0; /* 0: released when a tape is done */ }

static sf_np_alias *alias_get(sf_interp *I, int id) {
  sf_np_alias *a;
  HASH_FIND_INT(I->np_alias, &id, a);
  return a;
}

static void alias_del(sf_interp *I, sf_np_alias *a) {
  HASH_DEL(I->np_alias, a);
  free(a->views);
  free(a);
  I->np_alias_n--;
}

static sf_np_alias *alias_add(sf_interp *I, int id, int root) {
  sf_np_alias *a = calloc(1, sizeof *a);
  if (!a) return NULL;
  a->id = id;
  a->root = root;
  HASH_ADD_INT(I->np_alias, id, a);
  if (!SF_HASH_ADDED(a)) return free(a), NULL;
  I->np_alias_n++;
  return a;
}

/* The owner's dead views leave its list; their entries go when `entries`. */
static void prune_views(sf_interp *I, sf_np_alias *o, bool entries) {
  int k = 0;
  for (int i = 0; i < o->nviews; i++) {
    sf_np_alias *v;
    if (alive(I, o->views[i])) o->views[k++] = o->views[i];
    else if (entries && (v = alias_get(I, o->views[i]))) alias_del(I, v);
  }
  o->nviews = k;
}

/* Every entry of dead arrays goes but a dead owner's with live views (they share its memory). */
static void alias_sweep(sf_interp *I) {
  sf_np_alias *a, *tmp;
  HASH_ITER(hh, I->np_alias, a, tmp) {
    if (a->root == a->id) prune_views(I, a, false);
  }
  HASH_ITER(hh, I->np_alias, a, tmp) {
    if (!alive(I, a->id) && (a->root != a->id || !a->nviews)) alias_del(I, a);
  }
  I->np_alias_swept = I->np_alias_n;
}

void sf_numpy_alias_free(sf_interp *I) {
  sf_np_alias *a, *tmp;
  HASH_ITER(hh, I->np_alias, a, tmp) alias_del(I, a);
  I->np_alias_n = I->np_alias_swept = 0;
}

static bool eager_array(sf_interp *I, const sf_val *v) { return v->kind == V_TENSOR && v->numpy && v->g == I->E.g; }

/* v (just made) is a view of array x: they share x's owner's memory. A view of an eager
 * tensor (np.reshape(t, ...): NumPy takes np.asarray(t), TensorFlow's array on the tensor's
 * memory) or of such an array shares the tensor's memory too. */
static sf_status np_share(sf_interp *I, const sf_val *x, const sf_val *v) {
  bool tensor = x->kind == V_TENSOR && !x->numpy && sf_b_eager_value(I, x);
  if (eager_array(I, v) && (tensor || (eager_array(I, x) && sf_graph_node(I->E.g, x->node)->tensor_memory)))
    sf_graph_node(I->E.g, v->node)->tensor_memory = true;
  if (eager_array(I, v) && eager_array(I, x) && sf_graph_node(I->E.g, x->node)->read_only)
    sf_graph_node(I->E.g, v->node)->read_only = true; /* a view of a read-only array is read-only */
  if (!eager_array(I, x) || !eager_array(I, v) || x->node == v->node) return SF_OK;
  sf_np_alias *xa = alias_get(I, x->node);
  /* a view of a temporary owning its memory (np.arange(6).reshape(2, 3)) owns it now */
  if (!xa && I->np_fresh >= 0 && x->node > I->np_fresh) return SF_OK;
  int root = xa ? xa->root : x->node;
  sf_np_alias *o = xa && xa->root == xa->id ? xa : xa ? alias_get(I, root) : alias_add(I, root, root);
  if (!o) return sf_py_oom(I);
  if (o->nviews == o->capviews) prune_views(I, o, true);
  if (o->nviews == o->capviews) {
    int nc = o->capviews ? 2 * o->capviews : 4;
    int *nv = realloc(o->views, (size_t)nc * sizeof *nv);
    if (!nv) return sf_py_oom(I);
    o->views = nv;
    o->capviews = nc;
  }
  if (!alias_add(I, v->node, root)) return sf_py_oom(I);
  o->views[o->nviews++] = v->node;
  if (I->np_alias_n > 2 * I->np_alias_swept + 64) alias_sweep(I);
  return SF_OK;
}

/* An error unless array x may change in place (`what` names the change): NumPy's own array
 * (not a tensor's value, not np.asarray's of an eager tensor, which shares the tensor's
 * memory in TensorFlow) sharing memory with no other array still in use but nodes temp and
 * temp2 (np_shared). */
static bool np_shared(sf_interp *I, const sf_val *x, int temp, int temp2);
static sf_status np_changeable(sf_interp *I, const sf_expr *at, const sf_val *x, const char *what, const char *read_only,
                               int temp, int temp2) {
  const sf_node *n = sf_b_eager_value(I, x) ? sf_graph_node(I->E.g, x->node) : NULL;
  int line = at ? at->line : I->line, col = at ? at->col : 1;
  if (n && n->read_only) return sf_py_raise(I, at, BC_VALUEERR, "%s", read_only);
  if (!n || !n->host_array) /* (sess.run's and predict's values are arrays of their own: not reached) */
    return sf_error_at(I->err, line, col, SF_ENAME,
                       "unsupported: %s a NumPy array that is a tensor's value (seedflow shares it with the tensor)", what);
  if (n->tensor_memory)
    return sf_error_at(I->err, line, col, SF_ENAME,
                       "unsupported: %s a NumPy array on a tensor's memory (np.asarray of an eager tensor, or a view "
                       "of one: TensorFlow's shares the tensor's memory, so the tensor changes too; seedflow's is a "
                       "copy)", what);
  if (np_shared(I, x, temp, temp2))
    return sf_error_at(I->err, line, col, SF_ENAME,
                       "unsupported: %s a NumPy array that shares memory with another still in use (a view: a slice, a "
                       "row, reshape, ravel, .T, squeeze or expand_dims of it, or the array it was taken from); NumPy "
                       "changes both, seedflow's views are copies", what);
  return SF_OK;
}

/* Whether array x shares memory with another array still alive but nodes `temp` and `temp2`
 * (0: none). */
static bool np_shared(sf_interp *I, const sf_val *x, int temp, int temp2) {
  sf_np_alias *xa = alias_get(I, x->node), *o = xa ? alias_get(I, xa->root) : NULL;
  if (!o) return false;
  prune_views(I, o, true);
  if (o->id != x->node && o->id != temp && o->id != temp2 && alive(I, o->id)) return true;
  for (int i = 0; i < o->nviews; i++)
    if (o->views[i] != x->node && o->views[i] != temp && o->views[i] != temp2) return true;
  return false;
}

static bool is_num(const sf_val *v) { return v->kind == V_INT || v->kind == V_FLOAT || v->kind == V_BOOL; }
static double num(const sf_val *v) { return v->kind == V_INT ? (double)v->i : v->kind == V_FLOAT ? v->f : v->b; }

static void nested_fill(sf_interp *I, const sf_val *v, sf_tensor *t, int64_t *at) {
  if (v->kind == V_LIST || v->kind == V_TUPLE) {
    for (int i = 0; i < v->n; i++) nested_fill(I, &v->items[i], t, at);
    return;
  }
  if (v->kind == V_TENSOR) { /* its elements, converted as astype does */
    const sf_tensor *x = sf_b_host_value(I, v);
    sf_numpy_cast_into(x, t, *at);
    *at += x->n;
    return;
  }
  if (v->kind == V_FLOAT || sf_dtype_is_float(t->dtype)) sf_tensor_set(t, (*at)++, num(v));
  else sf_tensor_set_i64(t, (*at)++, v->kind == V_INT ? v->i : v->b);
}

/* np.asarray(v): a new reference to v's values (a NumPy array, a tensor with a value,
 * a Python number or nested lists of them). *weak: a Python scalar (it takes the array's dtype). */
static sf_status np_in(sf_interp *I, const sf_args *a, const char *fname, const sf_val *v, sf_tensor **out,
                       bool *weak) {
  if (weak) *weak = false;
  if (v->kind == V_TENSOR) {
    sf_tensor *t = sf_b_host_value(I, v);
    if (!t)
      return sf_arg_error(I, a, SF_ENAME, "unsupported: %s() of a symbolic tensor (it has a value only when run)", fname);
    *out = sf_tensor_ref(t);
    return SF_OK;
  }
  sf_np_discovery d;
  sf_np_discover(I, v, &d);
  if (d.symbolic)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: %s() of a list holding a symbolic tensor (it has a value only when run)",
                        fname);
  if (d.deep)
    return sf_arg_error(I, a, SF_ETYPE, "%s(): expected a number, a NumPy array or nested lists of them of rank <= %d",
                        fname, SF_MAX_RANK);
  if (d.conflict >= 0) return sf_np_inhomogeneous(I, a->call, &d);
  if (weak) *weak = d.shape.rank == 0 && v->kind != V_BOOL;
  sf_status st = np_new(I, a, fname, d.any ? d.dt : SF_FLOAT64, &d.shape, out);
  if (st != SF_OK) return st;
  int64_t at = 0;
  nested_fill(I, v, *out, &at);
  return SF_OK;
}

void sf_numpy_cast_into(const sf_tensor *x, sf_tensor *t, int64_t at) {
  bool fl = sf_dtype_is_float(t->dtype) || sf_dtype_is_float(x->dtype);
  for (int64_t i = 0; i < x->n; i++, at++) {
    if (t->dtype == SF_BOOL) sf_tensor_set_i64(t, at, sf_tensor_get(x, i) != 0);
    else if (fl) sf_tensor_set(t, at, sf_tensor_get(x, i));
    else sf_tensor_set_i64(t, at, sf_tensor_get_i64(x, i));
  }
}

/* A copy of x converted to dt (astype: float -> int truncates, as C's cast does). */
sf_status sf_numpy_astype(sf_interp *I, const sf_args *a, const char *fname, const sf_tensor *x, sf_dtype dt,
                            sf_tensor **out) {
  sf_status st = np_new(I, a, fname, dt, &x->shape, out);
  if (st == SF_OK) sf_numpy_cast_into(x, *out, 0);
  return st;
}

/* A shape argument: an int or a tuple/list of ints. */
static sf_status np_shape_arg(sf_interp *I, const sf_args *a, const char *fname, const sf_val *v, sf_shape *s) {
  memset(s, 0, sizeof *s);
  if (v->kind == V_INT) {
    s->rank = 1;
    s->dims[0] = v->i;
  } else if ((v->kind == V_LIST || v->kind == V_TUPLE) && v->n <= SF_MAX_RANK) {
    s->rank = v->n;
    for (int i = 0; i < v->n; i++) {
      if (v->items[i].kind != V_INT) return sf_arg_error(I, a, SF_ETYPE, "%s(): shape entries must be ints", fname);
      s->dims[i] = v->items[i].i;
    }
  } else {
    return sf_arg_error(I, a, SF_ETYPE, "%s(): shape must be an int or a tuple of at most %d ints", fname, SF_MAX_RANK);
  }
  for (int i = 0; i < s->rank; i++)
    if (s->dims[i] < 0) return sf_arg_error(I, a, SF_EINVAL, "%s(): negative dimensions are not allowed", fname);
  return SF_OK;
}

static sf_status np_dtype_arg(sf_interp *I, const sf_args *a, const char *fname, const sf_val *v, sf_dtype dflt,
                              sf_dtype *out) {
  if (v->kind == V_STR && strcmp(v->s, "float") == 0) return *out = SF_FLOAT64, SF_OK;
  if (v->kind == V_STR && strcmp(v->s, "int") == 0) return *out = SF_INT64, SF_OK;
  if (v->kind == V_OBJ && (sf_is(v, O_NATIVE) || sf_is(v, O_CLASS))) { /* the builtins float, int, bool */
    const char *n = sf_is(v, O_CLASS) ? ((sf_class *)v->o)->name : ((sf_native *)v->o)->name;
    if (strcmp(n, "float") == 0) return *out = SF_FLOAT64, SF_OK;
    if (strcmp(n, "int") == 0) return *out = SF_INT64, SF_OK;
    if (strcmp(n, "bool") == 0) return *out = SF_BOOL, SF_OK;
  }
  return sf_arg_dtype(I, a, fname, v, dflt, out);
}

/* ---- the legacy random stream ---- */

/* size=None gives one Python number; otherwise an array of that shape. */
typedef struct np_draws {
  sf_tensor *t;
  bool scalar;
} np_draws;

static sf_status draws_new(sf_interp *I, const sf_args *a, const char *fname, const sf_val *size, sf_dtype dt,
                           np_draws *d) {
  sf_shape s = {0};
  d->scalar = size->kind == V_NONE;
  sf_status st = d->scalar ? SF_OK : np_shape_arg(I, a, fname, size, &s);
  return st == SF_OK ? np_new(I, a, fname, dt, &s, &d->t) : st;
}

/* A legacy draw with size=None is a Python float or int (mtrand.pyx returns the C value),
 * not a NumPy scalar. */
static sf_status draws_done(sf_interp *I, np_draws *d, sf_val *out) {
  I->rt.numpy_draws += (uint64_t)d->t->n;
  if (!d->scalar) return np_out(I, d->t, out);
  sf_status st = np_result(I, d->t, out);
  out->numpy = false;
  return st;
}

/* rand(d0, d1, ...) / randn(...): the dimensions as positional arguments. */
static sf_status dims_draw(sf_interp *I, const sf_args *a, sf_val *out, bool gauss) {
  const char *fname = gauss ? "np.random.randn" : "np.random.rand";
  if (a->nkw) return sf_arg_error(I, a, SF_ETYPE, "%s() takes no keyword arguments", fname);
  if (a->npos > SF_MAX_RANK) return sf_arg_error(I, a, SF_ETYPE, "%s(): at most %d dimensions", fname, SF_MAX_RANK);
  sf_val dims = {.kind = V_TUPLE, .items = a->pos, .n = a->npos};
  np_draws d;
  sf_status st = draws_new(I, a, fname, a->npos ? &dims : &(sf_val){.kind = V_NONE}, SF_FLOAT64, &d);
  if (st != SF_OK) return st;
  double *p = d.t->data;
  for (int64_t i = 0; i < d.t->n; i++) p[i] = gauss ? sf_np_gauss(&I->rt.numpy) : sf_np_random_sample(&I->rt.numpy);
  return draws_done(I, &d, out);
}
static sf_status api_rand(sf_interp *I, const sf_args *a, sf_val *out) { return dims_draw(I, a, out, false); }
static sf_status api_randn(sf_interp *I, const sf_args *a, sf_val *out) { return dims_draw(I, a, out, true); }

/* random(size=None) / random_sample: a double each; standard_normal(size=None): legacy_gauss
 * each, randn's stream with a size argument. */
static sf_status sample_draw(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, bool gauss) {
  BIND(fname, "size", 1);
  (void)g;
  np_draws d;
  if ((st = draws_new(I, a, fname, &v[0], SF_FLOAT64, &d)) != SF_OK) return st;
  double *p = d.t->data;
  for (int64_t i = 0; i < d.t->n; i++) p[i] = gauss ? sf_np_gauss(&I->rt.numpy) : sf_np_random_sample(&I->rt.numpy);
  return draws_done(I, &d, out);
}
static sf_status api_random(sf_interp *I, const sf_args *a, sf_val *out) {
  return sample_draw(I, a, out, "np.random.random", false);
}
static sf_status api_random_sample(sf_interp *I, const sf_args *a, sf_val *out) {
  return sample_draw(I, a, out, "np.random.random_sample", false);
}
static sf_status api_standard_normal(sf_interp *I, const sf_args *a, sf_val *out) {
  return sample_draw(I, a, out, "np.random.standard_normal", true);
}

/* randint(low, high=None, size=None): masked rejection sampling of high - 1 - low
 * (_bounded_integers._rand_int64 with use_masked). */
static sf_status randint_fill(sf_interp *I, const sf_args *a, const char *fname, int64_t low, int64_t high,
                              const sf_val *size, np_draws *d) {
  if (low >= high) return sf_arg_error(I, a, SF_EINVAL, "%s(): low >= high", fname);
  sf_status st = draws_new(I, a, fname, size, SF_INT64, d);
  if (st != SF_OK) return st;
  uint64_t rng = (uint64_t)high - (uint64_t)low - 1;
  int64_t *p = d->t->data;
  for (int64_t i = 0; i < d->t->n; i++) p[i] = (int64_t)((uint64_t)low + sf_np_random_interval(&I->rt.numpy, rng));
  return SF_OK;
}

static sf_status api_randint(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("np.random.randint", "low high size dtype", 4);
  int64_t low, high;
  if ((st = need(I, a, "np.random.randint", "low", g[0])) != SF_OK ||
      (st = sf_arg_int(I, a, "np.random.randint", "low", &v[0], &low)) != SF_OK)
    return st;
  if (g[1] && v[1].kind != V_NONE) {
    if ((st = sf_arg_int(I, a, "np.random.randint", "high", &v[1], &high)) != SF_OK) return st;
  } else {
    high = low;
    low = 0;
  }
  sf_dtype dt;
  if ((st = np_dtype_arg(I, a, "np.random.randint", &v[3], SF_INT64, &dt)) != SF_OK) return st;
  if (dt != SF_INT64) return sf_arg_error(I, a, SF_ENAME, "unsupported: np.random.randint() with a dtype other than int64");
  np_draws d;
  if ((st = randint_fill(I, a, "np.random.randint", low, high, &v[2], &d)) != SF_OK) return st;
  return draws_done(I, &d, out);
}

/* x's rows idx[0], idx[1], ... as an array of shape lead + x.shape[1:] (x[idx], NumPy's
 * indexing along axis 0; lead is idx's shape). */
static sf_status take_rows(sf_interp *I, const sf_args *a, const char *fname, const sf_tensor *x, const int64_t *idx,
                           const sf_shape *lead, sf_tensor **out) {
  sf_shape s = *lead;
  for (int k = 1; k < x->shape.rank; k++) {
    if (s.rank >= SF_MAX_RANK) return sf_arg_error(I, a, SF_ESHAPE, "%s(): rank above %d", fname, SF_MAX_RANK);
    s.dims[s.rank++] = x->shape.dims[k];
  }
  sf_status st = np_new(I, a, fname, x->dtype, &s, out);
  if (st != SF_OK) return st;
  int64_t row = x->shape.dims[0] ? x->n / x->shape.dims[0] : 0, n = row ? (*out)->n / row : 0;
  size_t es = sf_dtype_size(x->dtype);
  for (int64_t i = 0; i < n; i++)
    memcpy((char *)(*out)->data + (size_t)(i * row) * es, (const char *)x->data + (size_t)(idx[i] * row) * es, (size_t)row * es);
  return SF_OK;
}

/* A copy of x with its rows shuffled as RandomState.shuffle does. */
static sf_status shuffled_copy(sf_interp *I, const sf_args *a, const char *fname, const sf_tensor *x, sf_tensor **out) {
  if (x->shape.rank == 0) return sf_arg_error(I, a, SF_EINVAL, "%s(): x must be an integer or at least 1-dimensional", fname);
  int64_t n = x->shape.dims[0];
  int64_t *perm = malloc((size_t)(n ? n : 1) * sizeof *perm);
  if (!perm) return sf_arg_error(I, a, SF_ENOMEM, "out of memory");
  for (int64_t i = 0; i < n; i++) perm[i] = i;
  sf_np_shuffle_i64(&I->rt.numpy, perm, n);
  I->rt.numpy_draws += n > 1 ? (uint64_t)(n - 1) : 0;
  sf_status st = take_rows(I, a, fname, x, perm, &(sf_shape){.rank = 1, .dims = {n}}, out);
  free(perm);
  return st;
}

static sf_status arange_i64(sf_interp *I, const sf_args *a, const char *fname, int64_t n, sf_tensor **out) {
  sf_shape s = {.rank = 1, .dims = {n < 0 ? 0 : n}};
  sf_status st = np_new(I, a, fname, SF_INT64, &s, out);
  for (int64_t i = 0; st == SF_OK && i < (*out)->n; i++) ((int64_t *)(*out)->data)[i] = i;
  return st;
}

static sf_status api_permutation(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("np.random.permutation", "x", 1);
  if ((st = need(I, a, "np.random.permutation", "x", g[0])) != SF_OK) return st;
  sf_tensor *x, *r;
  st = v[0].kind == V_INT ? arange_i64(I, a, "np.random.permutation", v[0].i, &x)
                          : np_in(I, a, "np.random.permutation", &v[0], &x, NULL);
  if (st != SF_OK) return st;
  st = shuffled_copy(I, a, "np.random.permutation", x, &r);
  sf_tensor_unref(x);
  return st == SF_OK ? np_out(I, r, out) : st;
}

/* choice(a, size=None, replace=True): uniform indices by randint, or a permutation's head. */
static sf_status api_choice(sf_interp *I, const sf_args *a, sf_val *out) {
  const char *fname = "np.random.choice";
  BIND(fname, "a size replace p", 4);
  if ((st = need(I, a, fname, "a", g[0])) != SF_OK) return st;
  if (g[3] && v[3].kind != V_NONE) return sf_arg_error(I, a, SF_ENAME, "unsupported: np.random.choice() with p=");
  bool replace = !g[2] || v[2].kind == V_NONE || num(&v[2]) != 0;
  sf_tensor *pool = NULL;
  int64_t n;
  if (v[0].kind == V_INT) {
    n = v[0].i;
  } else {
    if ((st = np_in(I, a, fname, &v[0], &pool, NULL)) != SF_OK) return st;
    if (pool->shape.rank != 1) return sf_tensor_unref(pool), sf_arg_error(I, a, SF_EINVAL, "%s(): a must be 1-dimensional", fname);
    n = pool->shape.dims[0];
  }
  if (n <= 0) {
    if (pool) sf_tensor_unref(pool);
    return sf_arg_error(I, a, SF_EINVAL, "%s(): a must be a positive integer unless no samples are taken", fname);
  }
  np_draws d;
  if (replace) {
    st = randint_fill(I, a, fname, 0, n, &v[1], &d);
    if (st == SF_OK) I->rt.numpy_draws += (uint64_t)d.t->n;
  } else {
    sf_tensor *idx, *perm;
    st = arange_i64(I, a, fname, n, &idx);
    if (st == SF_OK) {
      st = shuffled_copy(I, a, fname, idx, &perm);
      sf_tensor_unref(idx);
    }
    if (st == SF_OK) {
      st = draws_new(I, a, fname, &v[1], SF_INT64, &d);
      if (st == SF_OK && d.t->n > n) {
        sf_tensor_unref(d.t);
        st = sf_arg_error(I, a, SF_EINVAL, "%s(): cannot take a larger sample than population when 'replace=False'", fname);
      }
      if (st == SF_OK) memcpy(d.t->data, perm->data, (size_t)d.t->n * sizeof(int64_t));
      sf_tensor_unref(perm);
    }
  }
  if (st != SF_OK) {
    if (pool) sf_tensor_unref(pool);
    return st;
  }
  if (pool) { /* a[idx] */
    sf_tensor *r;
    st = take_rows(I, a, fname, pool, d.t->data, &d.t->shape, &r);
    sf_tensor_unref(pool);
    sf_tensor_unref(d.t);
    if (st != SF_OK) return st;
    d.t = r;
  }
  return d.scalar ? np_result(I, d.t, out) : np_out(I, d.t, out);
}

static sf_status api_seed(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("np.random.seed", "seed", 1);
  int64_t seed;
  out->kind = V_NONE;
  if ((st = need(I, a, "np.random.seed", "seed", g[0])) != SF_OK || (st = sf_arg_int(I, a, "np.random.seed", "seed", &v[0], &seed)) != SF_OK)
    return st;
  if (seed < 0 || seed > 0xffffffffLL)
    return sf_arg_error(I, a, SF_EINVAL, "np.random.seed(): seed must be between 0 and 2**32 - 1");
  sf_mt_seed_numpy(&I->rt.numpy, (uint32_t)seed);
  I->rt.numpy_seeded = true;
  I->rt.numpy_draws = 0;
  return SF_OK;
}

/* normal / uniform run as ops (NumpyRandomNormal, NumpyRandomUniform) so that a run's record
 * shows the draws; size=None gives one Python float. */
static sf_status np_draw(sf_interp *I, const sf_args *a, sf_val *out, bool normal) {
  const char *fname = normal ? "np.random.normal" : "np.random.uniform";
  BIND(fname, normal ? "loc scale size" : "low high size", 3);
  double p1 = 0, p2 = 1;
  if ((g[0] && (st = sf_arg_float(I, a, fname, normal ? "loc" : "low", &v[0], &p1)) != SF_OK) ||
      (g[1] && (st = sf_arg_float(I, a, fname, normal ? "scale" : "high", &v[1], &p2)) != SF_OK))
    return st;
  if (normal && p2 < 0) return sf_arg_error(I, a, SF_EINVAL, "np.random.normal(): scale < 0");
  sf_shape s = {0};
  if (v[2].kind != V_NONE && (st = np_shape_arg(I, a, fname, &v[2], &s)) != SF_OK) return st;
  sf_val dims[SF_MAX_RANK];
  for (int i = 0; i < s.rank; i++) dims[i] = (sf_val){.kind = V_INT, .i = s.dims[i]};
  sf_val list = {.kind = V_LIST, .items = dims, .n = s.rank};
  int size;
  if ((st = sf_context_enter_eager(&I->ctx, I->err)) != SF_OK) return st;
  st = sf_b_tensor(I, &list, SF_INT64, "shape", a->call, &size);
  sf_context_leave(&I->ctx);
  if (st != SF_OK) return st;
  const char *op = normal ? "NumpyRandomNormal" : "NumpyRandomUniform";
  sf_attr_value attrs[SF_B_ATTRS];
  sf_b_attrs(op, attrs);
  sf_b_attr_set(op, attrs, normal ? "loc" : "low", (sf_attr_value){.f = p1});
  sf_b_attr_set(op, attrs, normal ? "scale" : "high", (sf_attr_value){.f = p2});
  if ((st = sf_b_python_time(I, op, &size, 1, attrs, out)) != SF_OK) return st;
  if (v[2].kind == V_NONE) {
    sf_tensor *t = sf_b_host_value(I, out);
    if (t) np_item(t, 0, out);
    out->numpy = false; /* a Python float, as mtrand.pyx returns */
  }
  return SF_OK;
}
static sf_status api_normal(sf_interp *I, const sf_args *a, sf_val *out) { return np_draw(I, a, out, true); }
static sf_status api_uniform(sf_interp *I, const sf_args *a, sf_val *out) { return np_draw(I, a, out, false); }

/* Array x (checked by shuffle_target) takes the values of `shuffled` (a flat API value, made
 * now, whose node is done with then): x is shuffled in place, as every name bound to it sees. */
static sf_status shuffle_into(sf_interp *I, const sf_args *a, const sf_val *x, const sf_val *shuffled) {
  sf_tensor *t = sf_b_eager_value(I, shuffled);
  sf_status st = t ? sf_interp_print_detach(I, a->call, x->node) : SF_OK;
  if (t && st == SF_OK) sf_eager_replace(&I->E, x->node, sf_tensor_ref(t));
  sf_eager_release_internal(&I->E, shuffled->node);
  return st;
}

/* The array shuffle(x) changes in place: an error unless x is one (and shares no memory). */
static sf_status shuffle_target(sf_interp *I, const sf_args *a, const char *fname, const sf_val *x) {
  const sf_node *n = eager_array(I, x) && sf_b_eager_value(I, x) ? sf_graph_node(I->E.g, x->node) : NULL;
  if (!n || !n->host_array)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: %s() of a %s (a NumPy array made by NumPy is)", fname,
                        x->kind == V_TENSOR ? "tensor's value" : sf_type_name(x));
  char what[64];
  snprintf(what, sizeof what, "%s() of", fname);
  return np_changeable(I, a->call, x, what, "array is read-only", 0, 0);
}

/* np.random.shuffle(x) shuffles x in place. */
static sf_status api_shuffle(sf_interp *I, const sf_args *a, sf_val *out) {
  if (a->npos != 1 || a->nkw) return sf_arg_error(I, a, SF_ETYPE, "np.random.shuffle() takes one argument");
  sf_status st = shuffle_target(I, a, "np.random.shuffle", &a->pos[0]);
  if (st != SF_OK) return st;
  sf_val shuffled;
  if ((st = sf_context_enter_eager(&I->ctx, I->err)) != SF_OK) return st;
  st = sf_b_python_time(I, "NumpyShuffle", &a->pos[0].node, 1, NULL, &shuffled);
  sf_context_leave(&I->ctx);
  if (st != SF_OK) return st;
  out->kind = V_NONE;
  return shuffle_into(I, a, &a->pos[0], &shuffled);
}

/* ---- array constructors ---- */

static sf_status api_array(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("np.array", "object dtype", 2);
  if ((st = need(I, a, "np.array", "object", g[0])) != SF_OK) return st;
  sf_tensor *x, *r;
  if ((st = np_in(I, a, "np.array", &v[0], &x, NULL)) != SF_OK) return st;
  sf_dtype dt;
  if ((st = np_dtype_arg(I, a, "np.array", &v[1], x->dtype, &dt)) == SF_OK) st = sf_numpy_astype(I, a, "np.array", x, dt, &r);
  sf_tensor_unref(x);
  return st == SF_OK ? np_out(I, r, out) : st;
}

/* np.asarray(a, dtype=None): a NumPy array of that dtype is a itself (the same object: an
 * in-place operator on either changes both), anything else np.array's copy. */
static sf_status api_asarray(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("np.asarray", "a dtype", 2);
  if ((st = need(I, a, "np.asarray", "a", g[0])) != SF_OK) return st;
  const sf_tensor *x = eager_array(I, &v[0]) ? sf_b_eager_value(I, &v[0]) : NULL;
  sf_dtype dt = x ? x->dtype : SF_FLOAT32;
  if (x && (st = np_dtype_arg(I, a, "np.asarray", &v[1], x->dtype, &dt)) != SF_OK) return st;
  if (x && dt == x->dtype) {
    *out = v[0];
    return SF_OK;
  }
  const sf_tensor *t = v[0].kind == V_TENSOR && !v[0].numpy ? sf_b_eager_value(I, &v[0]) : NULL;
  bool shared = t && (!g[1] || v[1].kind == V_NONE || (np_dtype_arg(I, a, "np.asarray", &v[1], t->dtype, &dt) == SF_OK && dt == t->dtype));
  if ((st = api_array(I, a, out)) == SF_OK && shared) sf_graph_node(I->E.g, out->node)->tensor_memory = true;
  return st;
}

static sf_status filled(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, double value) {
  BIND(fname, "shape dtype", 2);
  sf_shape s;
  sf_dtype dt;
  sf_tensor *t;
  if ((st = need(I, a, fname, "shape", g[0])) != SF_OK || (st = np_shape_arg(I, a, fname, &v[0], &s)) != SF_OK ||
      (st = np_dtype_arg(I, a, fname, &v[1], SF_FLOAT64, &dt)) != SF_OK || (st = np_new(I, a, fname, dt, &s, &t)) != SF_OK)
    return st;
  for (int64_t i = 0; i < t->n; i++) sf_tensor_set(t, i, value);
  return np_out(I, t, out);
}
static sf_status api_zeros(sf_interp *I, const sf_args *a, sf_val *out) { return filled(I, a, out, "np.zeros", 0); }
static sf_status api_ones(sf_interp *I, const sf_args *a, sf_val *out) { return filled(I, a, out, "np.ones", 1); }

/* arange(stop) / arange(start, stop[, step]): NumPy fills start, start + step and then
 * start + i * delta with delta the difference of the first two. */
static sf_status api_arange(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("np.arange", "start stop step dtype", 4);
  if ((st = need(I, a, "np.arange", "stop", g[0])) != SF_OK) return st;
  sf_val p[3] = {{.kind = V_INT, .i = 0}, v[0], {.kind = V_INT, .i = 1}};
  if (g[1] && v[1].kind != V_NONE) p[0] = v[0], p[1] = v[1];
  if (g[2] && v[2].kind != V_NONE) p[2] = v[2];
  bool fl = false;
  for (int i = 0; i < 3; i++) {
    if (!is_num(&p[i])) return sf_arg_error(I, a, SF_ETYPE, "np.arange(): arguments must be numbers");
    fl = fl || p[i].kind == V_FLOAT;
  }
  sf_dtype dt;
  if ((st = np_dtype_arg(I, a, "np.arange", &v[3], fl ? SF_FLOAT64 : SF_INT64, &dt)) != SF_OK) return st;
  double start = num(&p[0]), stop = num(&p[1]), step = num(&p[2]);
  if (step == 0) return sf_arg_error(I, a, SF_EINVAL, "np.arange(): step must not be zero");
  double len = ceil((stop - start) / step);
  sf_shape s = {.rank = 1, .dims = {len > (double)SF_MAX_ELEMENTS ? SF_MAX_ELEMENTS + 1 : len > 0 ? (int64_t)len : 0}};
  sf_tensor *t;
  if ((st = np_new(I, a, "np.arange", dt, &s, &t)) != SF_OK) return st;
  if (!fl && !sf_dtype_is_float(dt)) {
    uint64_t i0 = (uint64_t)(p[0].kind == V_INT ? p[0].i : p[0].b), di = (uint64_t)(p[2].kind == V_INT ? p[2].i : p[2].b);
    for (int64_t i = 0; i < t->n; i++) sf_tensor_set_i64(t, i, (int64_t)(i0 + (uint64_t)i * di));
  } else {
    double delta = (start + step) - start;
    for (int64_t i = 0; i < t->n; i++) sf_tensor_set(t, i, i == 0 ? start : i == 1 ? start + step : start + (double)i * delta);
  }
  return np_out(I, t, out);
}

/* ---- shape operations ---- */

static sf_status reshape(sf_interp *I, const sf_args *a, const char *fname, const sf_tensor *x, const sf_val *shape,
                         sf_val *out) {
  sf_shape s;
  memset(&s, 0, sizeof s);
  int unknown = -1;
  int64_t known = 1;
  const sf_val *d = shape->kind == V_INT ? shape : shape->items;
  s.rank = shape->kind == V_INT ? 1 : shape->n;
  if ((shape->kind != V_INT && shape->kind != V_LIST && shape->kind != V_TUPLE) || s.rank > SF_MAX_RANK)
    return sf_arg_error(I, a, SF_ETYPE, "%s(): shape must be an int or a tuple of at most %d ints", fname, SF_MAX_RANK);
  for (int i = 0; i < s.rank; i++) {
    if (d[i].kind != V_INT) return sf_arg_error(I, a, SF_ETYPE, "%s(): shape entries must be ints", fname);
    s.dims[i] = d[i].i;
    if (d[i].i == -1 && unknown < 0) unknown = i;
    else if (d[i].i < 0) return sf_arg_error(I, a, SF_EINVAL, "%s(): can only specify one unknown dimension", fname);
    else known = d[i].i > x->n ? x->n + 1 : known > x->n ? known : known * d[i].i; /* no overflow */
  }
  if (unknown >= 0 && known > 0 && x->n % known == 0) s.dims[unknown] = x->n / known;
  if ((unknown >= 0 && (known == 0 || x->n % known)) || (unknown < 0 && known != x->n)) {
    char buf[64] = "";
    for (int i = 0; i < s.rank; i++) snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%lld", i ? ", " : "", (long long)d[i].i);
    return sf_arg_error(I, a, SF_EINVAL, "cannot reshape array of size %lld into shape (%s%s)", (long long)x->n, buf,
                        s.rank == 1 ? "," : "");
  }
  sf_tensor *t;
  sf_status st = np_new(I, a, fname, x->dtype, &s, &t);
  if (st != SF_OK) return st;
  memcpy(t->data, x->data, (size_t)x->n * sf_dtype_size(x->dtype));
  return np_out(I, t, out);
}

static sf_status api_reshape(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("np.reshape", "a newshape", 2);
  sf_tensor *x;
  if ((st = need(I, a, "np.reshape", "a", g[0])) != SF_OK || (st = need(I, a, "np.reshape", "newshape", g[1])) != SF_OK ||
      (st = np_in(I, a, "np.reshape", &v[0], &x, NULL)) != SF_OK)
    return st;
  st = reshape(I, a, "np.reshape", x, &v[1], out);
  sf_tensor_unref(x);
  return st == SF_OK ? np_share(I, &v[0], out) : st;
}

static sf_status transpose(sf_interp *I, const sf_args *a, const sf_tensor *x, sf_val *out) {
  sf_shape s = x->shape;
  int r = s.rank;
  for (int i = 0; i < r; i++) s.dims[i] = x->shape.dims[r - 1 - i];
  sf_tensor *t;
  sf_status st = np_new(I, a, "np.transpose", x->dtype, &s, &t);
  if (st != SF_OK) return st;
  size_t es = sf_dtype_size(x->dtype);
  for (int64_t i = 0; i < t->n; i++) { /* i's index in t, reversed, is its index in x */
    int64_t rem = i, src = 0, stride = 1;
    int64_t idx[SF_MAX_RANK];
    for (int k = r - 1; k >= 0; k--) {
      idx[k] = rem % s.dims[k];
      rem /= s.dims[k];
    }
    for (int k = r - 1; k >= 0; k--) { /* x's axis k is t's axis r-1-k */
      src += idx[r - 1 - k] * stride;
      stride *= x->shape.dims[k];
    }
    memcpy((char *)t->data + (size_t)i * es, (char *)x->data + (size_t)src * es, es);
  }
  return np_out(I, t, out);
}


static char shape_text_buf[4][96];
static const char *shape_text(const sf_shape *s, int slot) {
  char *b = shape_text_buf[slot];
  b[0] = 0;
  for (int i = 0; i < s->rank; i++) snprintf(b + strlen(b), 96 - strlen(b), "%s%lld", i ? "," : "", (long long)s->dims[i]);
  if (s->rank == 1) snprintf(b + strlen(b), 96 - strlen(b), ",");
  return b;
}

/* The broadcast shape of x and y (NumPy's rule: right-aligned, equal or 1), or NumPy's error. */
static sf_status broadcast(sf_interp *I, const sf_args *a, const sf_tensor *x, const sf_tensor *y, sf_shape *out) {
  sf_error scratch;
  if (sf_broadcast_shape(&x->shape, &y->shape, out, &scratch) == SF_OK) return SF_OK;
  return sf_arg_error(I, a, SF_ESHAPE, "operands could not be broadcast together with shapes (%s) (%s) ",
                      shape_text(&x->shape, 0), shape_text(&y->shape, 1));
}

/* NumPy 1.24's promotion for a binary operation; a weak operand is a Python scalar. */
sf_dtype sf_np_promote(sf_dtype x, bool wx, sf_dtype y, bool wy) {
  bool fx = sf_dtype_is_float(x), fy = sf_dtype_is_float(y);
  if (wx && !wy && (fx <= fy)) return y == SF_BOOL ? x : y;
  if (wy && !wx && (fy <= fx)) return x == SF_BOOL ? y : x;
  if (x == SF_BOOL || x == y) return y; /* bool gives way to every type, float32 too */
  if (y == SF_BOOL) return x;
  if (fx && fy) return x == SF_FLOAT64 || y == SF_FLOAT64 ? SF_FLOAT64 : SF_FLOAT32;
  if (fx || fy) /* float32 holds every uint8 exactly, not every int32 */
    return (fx ? x : y) == SF_FLOAT32 && ((fx ? wy : wx) || (fx ? y : x) == SF_UINT8) ? SF_FLOAT32 : SF_FLOAT64;
  if (x == SF_UINT8 || y == SF_UINT8) return x == SF_UINT8 ? y : x; /* uint8 with int32/int64: the signed one */
  return x == SF_INT64 || y == SF_INT64 ? SF_INT64 : SF_INT32;
}

static int64_t ipow(int64_t b, int64_t e) {
  uint64_t r = 1, x = (uint64_t)b;
  for (; e > 0; e >>= 1, x *= x)
    if (e & 1) r *= x;
  return (int64_t)r;
}

/* npy_divmod and npy_divmodf (npy_math_internal.h.src): Python's floor semantics for // and
 * %, the same steps in double and in float. */
#define NP_FDIVMOD(NAME, T, FMOD, COPYSIGN, FLOOR)                                              \
  T NAME(T a, T b, bool want_div) {                                                            \
    T mod = FMOD(a, b);                                                                         \
    if (b == 0) return want_div ? a / b : mod;                                                  \
    T div = (a - mod) / b;                                                                      \
    if (mod != 0) {                                                                             \
      if ((b < 0) != (mod < 0)) {                                                               \
        mod += b;                                                                               \
        div -= (T)1;                                                                            \
      }                                                                                         \
    } else {                                                                                    \
      mod = COPYSIGN((T)0, b);                                                                  \
    }                                                                                           \
    if (!want_div) return mod;                                                                  \
    if (div == 0) return COPYSIGN((T)0, a / b);                                                 \
    T fl = FLOOR(div);                                                                          \
    return div - fl > (T)0.5 ? fl + (T)1 : fl;                                                  \
  }
NP_FDIVMOD(sf_np_fdivmod, double, fmod, copysign, floor)
NP_FDIVMOD(sf_np_fdivmodf, float, fmodf, copysignf, floorf)
#undef NP_FDIVMOD

int64_t sf_np_idivmod(int64_t x, int64_t y, bool want_div) {
  if (y == 0 || (y == -1 && x == INT64_MIN)) return 0; /* NumPy: 0, with a warning */
  int64_t q = x / y, r = x % y;
  if (r != 0 && ((r < 0) != (y < 0))) q--, r += y; /* the sign of the divisor */
  return want_div ? q : r;
}

static double fbin(char op, double x, double y, bool f32) {
  switch (op) {
    case 'M': return x >= y || isnan(x) ? x : y; /* np.maximum / np.minimum: a NaN wins (loops.c.src) */
    case 'm': return x <= y || isnan(x) ? x : y;
    /* in float for float32 (npy_divmodf): in double the quotient can round to another float */
    case '%': return f32 ? sf_np_fdivmodf((float)x, (float)y, false) : sf_np_fdivmod(x, y, false);
    case 'F': return f32 ? sf_np_fdivmodf((float)x, (float)y, true) : sf_np_fdivmod(x, y, true);
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    case '/': return x / y;
    default:
      if (y == 2) return x * x;
      if (y == 0.5) return f32 ? sqrtf((float)x) : sqrt(x);
      if (y == 1) return x;
      if (y == -1) return 1 / x;
      return f32 ? powf((float)x, (float)y) : pow(x, y);
  }
}

static int64_t ibin(char op, int64_t x, int64_t y) {
  switch (op) {
    case 'M': return x >= y ? x : y;
    case 'm': return x <= y ? x : y;
    case '%':
    case 'F': return sf_np_idivmod(x, y, op == 'F');
    case '+': return (int64_t)((uint64_t)x + (uint64_t)y);
    case '-': return (int64_t)((uint64_t)x - (uint64_t)y);
    case '*': return (int64_t)((uint64_t)x * (uint64_t)y);
    default: return ipow(x, y);
  }
}

/* NumPy's 'same_kind' casting among seedflow's dtypes (np.can_cast(from, to, 'same_kind')):
 * bool to anything, uint8 to any number, a signed int to a signed int or a float, a float
 * to a float. */
static bool same_kind(sf_dtype from, sf_dtype to) {
  if (from == SF_BOOL) return true;
  if (sf_dtype_is_float(from)) return sf_dtype_is_float(to);
  if (from == SF_UINT8) return to != SF_BOOL;
  return to != SF_BOOL && to != SF_UINT8;
}

static const char *ufunc_name(char op) {
  switch (op) {
    case '+': return "add";
    case '-': return "subtract";
    case '*': return "multiply";
    case '/': return "divide";
    case 'F': return "floor_divide";
    case '%': return "remainder";
    default: return "power";
  }
}

/* x op y's values as NumPy computes them (its type promotion, value-based casting and
 * broadcasting); with `into` (x op= y: the ufunc with out=x), NumPy's checks of the output
 * first: the result's dtype cast to into's under 'same_kind', its shape into's. */
static sf_status binop_tensor(sf_interp *I, const sf_expr *e, char op, const sf_val *x, const sf_val *y,
                              const sf_tensor *into, sf_tensor **out) {
  sf_args a = {.call = e};
  const char *sym = op == 'P' ? "**" : op == 'F' ? "//" : op == 'M' ? "np.maximum" : op == 'm' ? "np.minimum" : (char[]){op, 0};
  *out = NULL;
  if (!strchr("+-*/P%FMm", op)) {
    const char *names[] = {"//", "%", "@", "<<", ">>", "&", "|", "^"};
    const char *ops = "F%@LR&|^";
    const char *p = strchr(ops, op);
    return sf_error_at(I->err, e->line, e->col, SF_ENAME, "unsupported: operator '%s' on NumPy arrays", p ? names[p - ops] : "?");
  }
  sf_tensor *tx, *ty;
  bool wx, wy;
  sf_status st = np_in(I, &a, sym, x, &tx, &wx);
  if (st != SF_OK) return st;
  if ((st = np_in(I, &a, sym, y, &ty, &wy)) != SF_OK) return sf_tensor_unref(tx), st;
  sf_shape s;
  sf_dtype dt = sf_np_promote(tx->dtype, wx, ty->dtype, wy);
  if (dt == SF_BOOL && op != 'M' && op != 'm' && op != '+' && op != '*' && op != '/') {
    /* bool with bool: + and * are logical or and and (np.add's and np.multiply's ?? loops),
     * / is float64 division, - is refused, //, % and ** compute in int8 */
    sf_tensor_unref(tx);
    sf_tensor_unref(ty);
    if (op == '-')
      return sf_py_raise(I, e, BC_TYPEERR, "%s", sf_np_bool_subtract);
    return sf_error_at(I->err, e->line, e->col, SF_ENAME,
                       "unsupported: operator '%s' on boolean arrays (NumPy gives int8, a dtype seedflow lacks)", sym);
  }
  const sf_tensor *weak = wx ? tx : wy ? ty : NULL;
  long long wv = weak ? (long long)sf_tensor_get_i64(weak, 0) : 0;
  if (dt == SF_UINT8 && weak && weak->dtype != SF_BOOL && !sf_int_fits(wv, SF_UINT8)) {
    /* NumPy 1.24's value-based casting widens (uint8 + 256 is uint16, uint8 - -1 int16) */
    sf_tensor_unref(tx);
    sf_tensor_unref(ty);
    return sf_error_at(I->err, e->line, e->col, SF_ENAME,
                       "unsupported: operator '%s' on a uint8 array and %lld (NumPy widens to a dtype seedflow lacks)",
                       sym, wv);
  }
  /* NumPy 1.24's value-based casting (PyArray_ResultType with min_scalar_type) widens the
   * strong operand's dtype for a Python number it cannot hold: int32 with an int outside
   * int32 is int64; float32 with an int outside [-32768, 65535] (whose minimal type is
   * 32 bits or more) or a finite float beyond float32's range is float64 */
  if (weak && weak->dtype != SF_BOOL && dt == SF_INT32 && !sf_int_fits(wv, SF_INT32)) dt = SF_INT64;
  if (weak && dt == SF_FLOAT32 && !sf_dtype_is_float(weak->dtype) && weak->dtype != SF_BOOL && (wv < -32768 || wv > 65535))
    dt = SF_FLOAT64;
  if (weak && dt == SF_FLOAT32 && sf_dtype_is_float(weak->dtype)) {
    double fv = sf_tensor_get(weak, 0);
    if (isfinite(fv) && fabs(fv) > FLT_MAX) dt = SF_FLOAT64;
  }
  if (op == '/' && !sf_dtype_is_float(dt)) dt = SF_FLOAT64;
  sf_tensor *t = NULL;
  if (into && !same_kind(dt, into->dtype)) {
    /* numpy.core._exceptions._UFuncOutputCastingError: its class, args and repr are not modelled */
    st = sf_error_at(I->err, e->line, e->col, SF_ENAME,
                     "unsupported: NumPy raises UFuncTypeError here, an exception seedflow does not model: Cannot "
                     "cast ufunc '%s' output from dtype('%s') to dtype('%s') with casting rule 'same_kind'",
                     ufunc_name(op), sf_dtype_name(dt), sf_dtype_name(into->dtype));
  } else if (into && sf_broadcast_shape(&tx->shape, &ty->shape, &s, &(sf_error){0}) != SF_OK) {
    st = sf_py_raise(I, e, BC_VALUEERR, "operands could not be broadcast together with shapes (%s) (%s) (%s) ",
                     shape_text(&tx->shape, 0), shape_text(&ty->shape, 1), shape_text(&into->shape, 2));
  } else if (into && !sf_shape_equal(&s, &into->shape)) {
    st = sf_py_raise(I, e, BC_VALUEERR, "non-broadcastable output operand with shape (%s) doesn't match the broadcast shape (%s)",
                     shape_text(&into->shape, 0), shape_text(&s, 1));
  } else if ((st = broadcast(I, &a, tx, ty, &s)) == SF_OK && (st = np_new(I, &a, sym, dt, &s, &t)) == SF_OK) {
    bool fl = sf_dtype_is_float(dt);
    for (int64_t i = 0; i < t->n && st == SF_OK; i++) {
      int64_t ix = sf_broadcast_offset(&s, &tx->shape, i), iy = sf_broadcast_offset(&s, &ty->shape, i);
      if (fl) {
        /* a float32 loop: a float64 operand (a scalar, by value-based casting) is cast first */
        double p = sf_tensor_get(tx, ix), q = sf_tensor_get(ty, iy);
        if (dt == SF_FLOAT32) p = (float)p, q = (float)q;
        sf_tensor_set(t, i, fbin(op, p, q, dt == SF_FLOAT32));
      } else {
        int64_t yv = sf_tensor_get_i64(ty, iy);
        if (op == 'P' && yv < 0) {
          sf_tensor_unref(t);
          st = sf_py_raise(I, e, BC_VALUEERR, "Integers to negative integer powers are not allowed.");
          t = NULL;
          break;
        }
        int64_t xv = sf_tensor_get_i64(tx, ix);
        if (dt == SF_BOOL && op == '+') sf_tensor_set_i64(t, i, xv || yv);
        else if (dt == SF_BOOL && op == '*') sf_tensor_set_i64(t, i, xv && yv);
        else sf_tensor_set_i64(t, i, ibin(op, xv, yv));
      }
    }
  }
  sf_tensor_unref(tx);
  sf_tensor_unref(ty);
  *out = t;
  return st;
}

sf_status sf_numpy_binop(sf_interp *I, const sf_expr *e, char op, const sf_val *x, const sf_val *y, sf_val *out) {
  sf_tensor *t;
  sf_status st = binop_tensor(I, e, op, x, y, NULL, &t);
  return st == SF_OK ? np_result(I, t, out) : st;
}

/* x op y as x op= y makes it (ndarray.__iadd__ and kin: the ufunc with out=x): NumPy's checks
 * of the output come first, then the result is cast to x's dtype under same_kind. */
static sf_status inplace_value(sf_interp *I, const sf_expr *e, char op, const sf_val *x, const sf_tensor *into,
                               const sf_val *y, sf_tensor **out) {
  sf_api_tmp tmp = {0};
  sf_val flat = *y; /* a list's or tuple's items, as the API takes them */
  sf_tensor *t;
  sf_status st = y->kind == V_OBJ ? sf_py_to_api_tmp(I, y, &flat, &tmp) : SF_OK;
  if (st == SF_OK) st = binop_tensor(I, e, op, x, &flat, into, &t);
  sf_api_tmp_free(&tmp);
  if (st != SF_OK) return st;
  if (t->dtype == into->dtype) return *out = t, SF_OK;
  sf_args a = {.call = e};
  st = sf_numpy_astype(I, &a, ufunc_name(op), t, into->dtype, out);
  sf_tensor_unref(t);
  return st;
}

/* x op= y on a NumPy array x: x's values become x op y's (inplace_value), in x itself, so
 * every name bound to x sees them; not on an array that shares memory with another
 * (np_shared). */
sf_status sf_numpy_inplace(sf_interp *I, const sf_expr *e, char op, const sf_val *x, const sf_val *y, int temp) {
  sf_tensor *into = sf_b_eager_value(I, x), *r;
  char what[16];
  snprintf(what, sizeof what, "%s= on", sf_py_op_text(op));
  /* (y, a temporary view of x, is read before x changes, as NumPy copies it) */
  sf_status st = np_changeable(I, e, x, what, "output array is read-only", temp, 0);
  if (st != SF_OK) return st;
  st = inplace_value(I, e, op, x, into, y, &r);
  if (st != SF_OK) return st;
  if ((st = sf_interp_print_detach(I, e, x->node)) != SF_OK) return sf_tensor_unref(r), st;
  sf_eager_replace(&I->E, x->node, r);
  return SF_OK;
}

typedef enum { NP_GIVEN_PY, NP_GIVEN_SCALAR, NP_GIVEN_ARRAY } np_given;
static sf_status assign_items(sf_interp *I, const sf_expr *at, const sf_val *self, const sf_val *k, const sf_tensor *vt,
                              bool seq, np_given given, int temp, int temp2);

/* x[k] op= y with x[k] an array (Python's tmp = x[k]; tmp op= y; x[k] = tmp): the array
 * x[k] op y makes in place, put back; cur is x[k], a temporary of the statement, as is
 * node temp (y's, or 0). */
sf_status sf_numpy_setitem_op(sf_interp *I, const sf_expr *at, const sf_val *self, const sf_val *k, char op,
                              const sf_val *cur, const sf_val *y, int temp) {
  sf_tensor *into = sf_b_eager_value(I, cur), *r;
  if (!into) return sf_error_at(I->err, at->line, at->col, SF_EINTERNAL, "internal: an item of a NumPy array has no value");
  sf_status st = inplace_value(I, at, op, cur, into, y, &r);
  if (st != SF_OK) return st;
  st = assign_items(I, at, self, k, r, false, NP_GIVEN_ARRAY, cur->node, temp);
  sf_tensor_unref(r);
  return st;
}

sf_status sf_numpy_compare(sf_interp *I, const sf_expr *e, const char *op, const sf_val *x, const sf_val *y, sf_val *out) {
  sf_args a = {.call = e};
  sf_tensor *tx, *ty, *t = NULL;
  sf_status st = np_in(I, &a, op, x, &tx, NULL);
  if (st != SF_OK) return st;
  if ((st = np_in(I, &a, op, y, &ty, NULL)) != SF_OK) return sf_tensor_unref(tx), st;
  sf_shape s;
  if ((st = broadcast(I, &a, tx, ty, &s)) == SF_OK && (st = np_new(I, &a, op, SF_BOOL, &s, &t)) == SF_OK) {
    bool fl = sf_dtype_is_float(tx->dtype) || sf_dtype_is_float(ty->dtype);
    for (int64_t i = 0; i < t->n; i++) {
      int64_t ix = sf_broadcast_offset(&s, &tx->shape, i), iy = sf_broadcast_offset(&s, &ty->shape, i);
      int c;
      if (fl) {
        double p = sf_tensor_get(tx, ix), q = sf_tensor_get(ty, iy);
        c = p < q ? -1 : p > q ? 1 : p == q ? 0 : 2; /* 2: unordered (NaN) */
      } else {
        int64_t p = sf_tensor_get_i64(tx, ix), q = sf_tensor_get_i64(ty, iy);
        c = p < q ? -1 : p > q;
      }
      bool r = op[0] == '=' ? c == 0 : op[0] == '!' ? c != 0 : c == 2 ? false : op[0] == '<' ? (op[1] ? c <= 0 : c < 0)
                                                                                              : (op[1] ? c >= 0 : c > 0);
      sf_tensor_set_i64(t, i, r);
    }
  }
  sf_tensor_unref(tx);
  sf_tensor_unref(ty);
  if (st != SF_OK) return st;
  sf_val r;
  if ((st = np_result(I, t, &r)) != SF_OK) return st;
  return sf_py_from_api(I, &r, out);
}

bool sf_numpy_constant(const char *path, double *out) {
  static const struct {
    const char *path;
    double v;
  } k[] = {{"np.pi", 3.141592653589793}, {"np.e", 2.718281828459045}, {"np.inf", INFINITY}, {"np.nan", NAN}};
  for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
    if (strcmp(path, k[i].path) == 0) return *out = k[i].v, true;
  return false;
}

sf_status sf_numpy_neg(sf_interp *I, const sf_expr *e, const sf_val *x, sf_val *out) {
  if (x->kind == V_TENSOR && sf_b_host_value(I, x) && sf_b_host_value(I, x)->dtype == SF_BOOL)
    return sf_py_raise(I, e, BC_TYPEERR, "%s", sf_np_bool_negative);
  sf_val m1 = {.kind = V_INT, .i = -1};
  return sf_numpy_binop(I, e, '*', &m1, x, out);
}

/* ---- reductions ---- */

/* a + b in the reduction's type: float32 arrays accumulate in float32 (the double sum of
 * two floats rounds to the correctly rounded float sum). */
static double acc(double a, double b, bool f32) { return f32 ? (double)(float)(a + b) : a + b; }

/* NumPy's pairwise summation (loops_utils.h.src pairwise_sum, in the array's type), stride
 * in elements. */
static double pairwise(const double *x, int64_t n, int64_t stride, bool f32) {
  if (n < 8) {
    double r = 0.;
    for (int64_t i = 0; i < n; i++) r = acc(r, x[i * stride], f32);
    return r;
  }
  if (n <= 128) {
    double r[8];
    for (int j = 0; j < 8; j++) r[j] = x[j * stride];
    int64_t i;
    for (i = 8; i < n - (n % 8); i += 8)
      for (int j = 0; j < 8; j++) r[j] = acc(r[j], x[(i + j) * stride], f32);
    double res = acc(acc(acc(r[0], r[1], f32), acc(r[2], r[3], f32), f32), acc(acc(r[4], r[5], f32), acc(r[6], r[7], f32), f32), f32);
    for (; i < n; i++) res = acc(res, x[i * stride], f32);
    return res;
  }
  int64_t n2 = n / 2;
  n2 -= n2 % 8;
  return acc(pairwise(x, n2, stride, f32), pairwise(x + n2 * stride, n - n2, stride, f32), f32);
}

static double seqsum(const double *x, int64_t m, bool f32) {
  double r = 0;
  for (int64_t j = 0; j < m; j++) r = acc(r, x[j], f32);
  return r;
}

/* The sum of m values spaced inner apart: pairwise along a contiguous axis, in order otherwise. */
static double fsum(const double *x, int64_t m, int64_t inner, bool f32) {
  if (inner == 1) return pairwise(x, m, 1, f32);
  double r = 0;
  for (int64_t j = 0; j < m; j++) r = acc(r, x[j * inner], f32);
  return r;
}

typedef enum { R_SUM, R_MEAN, R_STD, R_VAR, R_PROD, R_MAX, R_MIN, R_ARGMAX, R_ARGMIN } np_reduce_kind;
static const char *const reduce_names[] = {"sum", "mean", "std", "var", "prod", "max", "min", "argmax", "argmin"};

static sf_status reduce(sf_interp *I, const sf_args *a, np_reduce_kind k, const sf_tensor *x, const sf_val *axisv,
                        int64_t ddof, bool keepdims, sf_val *out) {
  char fname[32];
  snprintf(fname, sizeof fname, "np.%s", reduce_names[k]);
  int64_t outer = 1, m = x->n, inner = 1;
  sf_shape s = {0};
  if (axisv->kind != V_NONE) {
    if (axisv->kind != V_INT) return sf_arg_error(I, a, SF_ETYPE, "%s(): axis must be an int or None", fname);
    int64_t ax = axisv->i < 0 ? axisv->i + x->shape.rank : axisv->i;
    if (ax < 0 || ax >= x->shape.rank)
      return sf_py_raise(I, a->call, BC_VALUEERR, "axis %lld is out of bounds for array of dimension %d", (long long)axisv->i,
                         x->shape.rank);
    m = x->shape.dims[ax];
    for (int i = 0; i < x->shape.rank; i++) {
      if (i < ax) outer *= x->shape.dims[i];
      if (i > ax) inner *= x->shape.dims[i];
      if (i != ax || keepdims) s.dims[s.rank++] = i != ax ? x->shape.dims[i] : 1;
    }
  } else if (keepdims) {
    s.rank = x->shape.rank;
    for (int i = 0; i < s.rank; i++) s.dims[i] = 1;
  }
  if (m == 0 && k >= R_MAX)
    return sf_py_raise(I, a->call, BC_VALUEERR, "zero-size array to reduction operation %s which has no identity",
                       k == R_MAX ? "maximum" : "minimum");
  bool fl = sf_dtype_is_float(x->dtype);
  sf_dtype dt = k >= R_ARGMAX ? SF_INT64 : k == R_MEAN || k == R_STD || k == R_VAR ? (fl ? x->dtype : SF_FLOAT64)
                : (k == R_SUM || k == R_PROD) && !fl ? SF_INT64 : x->dtype;
  bool f32 = dt == SF_FLOAT32; /* NumPy computes a float32 array's mean and std in float32 too */
  sf_tensor *t;
  sf_status st = np_new(I, a, fname, dt, &s, &t);
  if (st != SF_OK) return st;
  double *xd = malloc((size_t)(x->n ? x->n : 1) * sizeof *xd);
  if (!xd) return sf_tensor_unref(t), sf_arg_error(I, a, SF_ENOMEM, "out of memory");
  for (int64_t i = 0; i < x->n; i++) xd[i] = sf_tensor_get(x, i);
  for (int64_t o = 0; o < outer; o++)
    for (int64_t in = 0; in < inner; in++) {
      int64_t base = o * m * inner + in, at = o * inner + in;
      const double *p = xd + base;
      if (k == R_SUM && !fl) {
        int64_t r = 0;
        for (int64_t j = 0; j < m; j++) r = (int64_t)((uint64_t)r + (uint64_t)sf_tensor_get_i64(x, base + j * inner));
        sf_tensor_set_i64(t, at, r);
      } else if (k == R_SUM) {
        sf_tensor_set(t, at, fsum(p, m, inner, f32));
      } else if (k == R_PROD && !fl) { /* multiply.reduce: left to right (only add is pairwise), wrapping */
        uint64_t r = 1;
        for (int64_t j = 0; j < m; j++) r *= (uint64_t)sf_tensor_get_i64(x, base + j * inner);
        sf_tensor_set_i64(t, at, (int64_t)r);
      } else if (k == R_PROD) {
        double r = 1;
        for (int64_t j = 0; j < m; j++) r = f32 ? (double)(float)(r * p[j * inner]) : r * p[j * inner];
        sf_tensor_set(t, at, r);
      } else if (k == R_MEAN) {
        sf_tensor_set(t, at, fsum(p, m, inner, f32) / (double)m);
      } else if (k == R_STD || k == R_VAR) { /* _var: mean, (x - mean)**2 summed, / count (std: sqrt); in dt */
        double mean = fsum(p, m, inner, f32) / (double)m;
        if (f32) mean = (float)mean;
        double *d = malloc((size_t)(m ? m : 1) * sizeof *d);
        if (!d) {
          st = sf_arg_error(I, a, SF_ENOMEM, "out of memory");
          break;
        }
        for (int64_t j = 0; j < m; j++) {
          double dev = f32 ? (float)(p[j * inner] - mean) : p[j * inner] - mean;
          d[j] = f32 ? (float)(dev * dev) : dev * dev;
        }
        int64_t cnt = m - ddof > 0 ? m - ddof : 0;
        double var = (inner == 1 ? pairwise(d, m, 1, f32) : seqsum(d, m, f32)) / (double)cnt;
        if (f32) var = (float)var;
        sf_tensor_set(t, at, k == R_STD ? sqrt(var) : var);
        free(d);
      } else {
        int64_t best = 0;
        for (int64_t j = 1; j < m; j++) {
          double c = p[j * inner], b = p[best * inner];
          bool better = (k == R_MAX || k == R_ARGMAX) ? c > b : c < b;
          if (!fl) {
            int64_t ci = sf_tensor_get_i64(x, base + j * inner), bi = sf_tensor_get_i64(x, base + best * inner);
            better = (k == R_MAX || k == R_ARGMAX) ? ci > bi : ci < bi;
          }
          if (better) best = j;
        }
        if (k >= R_ARGMAX) sf_tensor_set_i64(t, at, best);
        else if (fl) sf_tensor_set(t, at, p[best * inner]);
        else sf_tensor_set_i64(t, at, sf_tensor_get_i64(x, base + best * inner));
      }
    }
  free(xd);
  if (st != SF_OK) return sf_tensor_unref(t), st;
  return np_result(I, t, out);
}

/* np.sum(a, axis=None) and friends; as methods self is a. */
static sf_status reduce_call(sf_interp *I, const sf_args *a, np_reduce_kind k, const sf_val *self, sf_val *out) {
  char fname[32];
  snprintf(fname, sizeof fname, "np.%s", reduce_names[k]);
  bool dd = k == R_STD || k == R_VAR; /* ddof */
  const char *params = self ? (dd ? "axis dtype out ddof keepdims" : "axis dtype out keepdims")
                            : (dd ? "a axis dtype out ddof keepdims" : "a axis dtype out keepdims");
  sf_val w[6];
  bool h[6];
  sf_status st = sf_bind(I, fname, a, params, w, h);
  int o = self ? 1 : 0; /* w[i - o] is parameter i of the function form */
  int kd = (dd ? 5 : 4) - o;
  sf_val v[3] = {self ? *self : w[0], w[1 - o], dd ? w[4 - o] : (sf_val){.kind = V_NONE}};
  bool g[3] = {self || h[0], h[1 - o], dd && h[4 - o]};
  if (st != SF_OK || (st = need(I, a, fname, "a", g[0])) != SF_OK) return st;
  if (w[2 - o].kind != V_NONE || w[3 - o].kind != V_NONE)
    return sf_arg_error(I, a, SF_EINVAL, "%s(): the dtype and out arguments are not supported", fname);
  int64_t ddof = 0;
  if (g[2] && (st = sf_arg_int(I, a, fname, "ddof", &v[2], &ddof)) != SF_OK) return st;
  sf_tensor *x;
  if ((st = np_in(I, a, fname, &v[0], &x, NULL)) != SF_OK) return st;
  sf_val none = {.kind = V_NONE};
  bool keepdims = h[kd] && ((w[kd].kind == V_BOOL && w[kd].b) || (w[kd].kind == V_INT && w[kd].i));
  st = reduce(I, a, k, x, g[1] ? &v[1] : &none, ddof, keepdims, out);
  sf_tensor_unref(x);
  return st;
}
#define REDUCER(name, k) \
  static sf_status api_##name(sf_interp *I, const sf_args *a, sf_val *out) { return reduce_call(I, a, k, NULL, out); }
REDUCER(sum, R_SUM)
REDUCER(mean, R_MEAN)
REDUCER(std, R_STD)
REDUCER(var, R_VAR)
REDUCER(prod, R_PROD)
REDUCER(max, R_MAX)
REDUCER(min, R_MIN)
REDUCER(argmax, R_ARGMAX)
REDUCER(argmin, R_ARGMIN)

/* ---- comparisons and joins ---- */

static sf_status two_arrays(sf_interp *I, const sf_args *a, const char *fname, const char *params, sf_val *v, bool *g,
                            sf_tensor **x, sf_tensor **y) {
  sf_status st = sf_bind(I, fname, a, params, v, g);
  if (st != SF_OK || (st = need(I, a, fname, "a", g[0])) != SF_OK || (st = need(I, a, fname, "b", g[1])) != SF_OK ||
      (st = np_in(I, a, fname, &v[0], x, NULL)) != SF_OK)
    return st;
  if ((st = np_in(I, a, fname, &v[1], y, NULL)) != SF_OK) sf_tensor_unref(*x);
  return st;
}

/* numeric.py isclose's test of one pair: infinities (and NaNs) only equal, finite values
 * |p - q| <= atol + rtol * |q|, in float32 when both arrays are float32 (rtol and atol are
 * Python floats, cast by value-based casting), else in float64. */
static bool close_pair(double p, double q, double rtol, double atol, bool f32, bool equal_nan) {
  if (isnan(p) && isnan(q)) return equal_nan;
  if (!isfinite(p) || !isfinite(q)) return p == q;
  if (f32) return fabsf((float)p - (float)q) <= (float)atol + (float)rtol * fabsf((float)q);
  return fabs(p - q) <= atol + rtol * fabs(q);
}

/* np.isclose(a, b, rtol, atol, equal_nan) element-wise (a bool array, or a NumPy bool for two
 * scalars) and np.allclose(a, b, rtol, atol, equal_nan), all of them (a Python bool). */
static sf_status closeness(sf_interp *I, const sf_args *a, sf_val *out, bool all) {
  const char *fn = all ? "np.allclose" : "np.isclose";
  sf_val v[5];
  bool g[5];
  sf_tensor *x, *y, *t = NULL;
  sf_status st = two_arrays(I, a, fn, "a b rtol atol equal_nan", v, g, &x, &y);
  if (st != SF_OK) return st;
  double rtol = 1e-05, atol = 1e-08;
  bool equal_nan = g[4] && sf_truthy(I, &v[4]);
  sf_shape s;
  if ((!g[2] || (st = sf_arg_float(I, a, fn, "rtol", &v[2], &rtol)) == SF_OK) &&
      (!g[3] || (st = sf_arg_float(I, a, fn, "atol", &v[3], &atol)) == SF_OK) && (st = broadcast(I, a, x, y, &s)) == SF_OK &&
      (all || (st = np_new(I, a, fn, SF_BOOL, &s, &t)) == SF_OK)) {
    int64_t n = 1;
    for (int i = 0; i < s.rank; i++) n *= s.dims[i];
    /* value-based casting: a 0-d operand (a Python or NumPy scalar) takes a float32 array's dtype
     * (two scalars promote as types) */
    bool fx = x->dtype == SF_FLOAT32, fy = y->dtype == SF_FLOAT32, every = true;
    bool f32 = (fx && fy) || (fx && x->shape.rank > 0 && y->shape.rank == 0) || (fy && y->shape.rank > 0 && x->shape.rank == 0);
    /* a NaN or infinity anywhere takes isclose's other branch, x * ones_like(cond): the scalar
     * is an array by then, and the test runs in the promoted (float64) type */
    for (int64_t i = 0; f32 && !(fx && fy) && i < x->n + y->n; i++)
      if (!isfinite(i < x->n ? sf_tensor_get(x, i) : sf_tensor_get(y, i - x->n))) f32 = false;
    for (int64_t i = 0; i < n && (every || !all); i++) {
      bool c = close_pair(sf_tensor_get(x, sf_broadcast_offset(&s, &x->shape, i)),
                          sf_tensor_get(y, sf_broadcast_offset(&s, &y->shape, i)), rtol, atol, f32, equal_nan);
      every &= c;
      if (t) sf_tensor_set_i64(t, i, c);
    }
    if (all) *out = (sf_val){.kind = V_BOOL, .b = every};
  }
  sf_tensor_unref(x);
  sf_tensor_unref(y);
  if (t && st == SF_OK) return np_result(I, t, out);
  if (t) sf_tensor_unref(t);
  return st;
}
static sf_status api_allclose(sf_interp *I, const sf_args *a, sf_val *out) { return closeness(I, a, out, true); }
static sf_status api_isclose(sf_interp *I, const sf_args *a, sf_val *out) { return closeness(I, a, out, false); }

static sf_status api_array_equal(sf_interp *I, const sf_args *a, sf_val *out) {
  sf_val v[2];
  bool g[2];
  sf_tensor *x, *y;
  sf_status st = two_arrays(I, a, "np.array_equal", "a b", v, g, &x, &y);
  if (st != SF_OK) return st;
  bool eq = sf_shape_equal(&x->shape, &y->shape);
  for (int64_t i = 0; eq && i < x->n; i++) eq = sf_tensor_get(x, i) == sf_tensor_get(y, i);
  *out = (sf_val){.kind = V_BOOL, .b = eq};
  sf_tensor_unref(x);
  sf_tensor_unref(y);
  return SF_OK;
}

/* concatenate(seq, axis=0); stack(seq, axis=0) is a concatenation of arrays given a new
 * axis of length 1. */
static sf_status join(sf_interp *I, const sf_args *a, sf_val *out, bool stack) {
  const char *fname = stack ? "np.stack" : "np.concatenate";
  BIND(fname, stack ? "arrays axis" : "arrays axis", 2);
  if ((st = need(I, a, fname, "arrays", g[0])) != SF_OK) return st;
  if ((v[0].kind != V_LIST && v[0].kind != V_TUPLE) || v[0].n == 0)
    return sf_py_raise(I, a->call, BC_VALUEERR, "need at least one array to %s", stack ? "stack" : "concatenate");
  int n = v[0].n;
  int64_t axis = 0;
  if (g[1] && (st = sf_arg_int(I, a, fname, "axis", &v[1], &axis)) != SF_OK) return st;
  sf_tensor **xs = calloc((size_t)n, sizeof *xs);
  if (!xs) return sf_arg_error(I, a, SF_ENOMEM, "out of memory");
  sf_shape s = {0};
  sf_dtype dt = SF_BOOL;
  int rank = 0;
  for (int i = 0; i < n && st == SF_OK; i++) {
    if ((st = np_in(I, a, fname, &v[0].items[i], &xs[i], NULL)) != SF_OK) break;
    sf_shape xsh = xs[i]->shape;
    if (i == 0) {
      rank = xsh.rank + stack;
      if (axis < 0) axis += rank;
      if (axis < 0 || axis >= rank || (!stack && xsh.rank == 0)) {
        st = sf_py_raise(I, a->call, BC_VALUEERR, "axis %lld is out of bounds for array of dimension %d", (long long)axis, rank);
        break;
      }
      if (rank > SF_MAX_RANK) {
        st = sf_arg_error(I, a, SF_ESHAPE, "%s(): rank above %d", fname, SF_MAX_RANK);
        break;
      }
      s.rank = rank;
      for (int k = 0, j = 0; k < rank; k++) s.dims[k] = stack && k == axis ? 0 : k == axis ? (j++, 0) : xsh.dims[j++];
      dt = xs[i]->dtype;
    } else {
      dt = sf_np_promote(dt, false, xs[i]->dtype, false);
    }
    bool same = xsh.rank + stack == rank;
    for (int k = 0, j = 0; same && k < rank; k++) {
      int64_t d = stack && k == axis ? 1 : xsh.dims[j++];
      same = k == axis || d == s.dims[k];
      if (k == axis) s.dims[k] += d;
    }
    if (!same)
      st = sf_py_raise(I, a->call, BC_VALUEERR, stack ? "all input arrays must have the same shape"
                                                      : "all the input array dimensions except for the concatenation axis must match exactly");
  }
  sf_tensor *t = NULL;
  if (st == SF_OK) st = np_new(I, a, fname, dt, &s, &t);
  if (st == SF_OK) {
    int64_t outer = 1, inner = 1, at = 0;
    for (int k = 0; k < rank; k++) {
      if (k < axis) outer *= s.dims[k];
      if (k > axis) inner *= s.dims[k];
    }
    for (int64_t o = 0; o < outer; o++)
      for (int i = 0; i < n; i++) {
        int64_t chunk = (stack ? 1 : xs[i]->shape.dims[axis]) * inner;
        for (int64_t j = 0; j < chunk; j++, at++) {
          if (sf_dtype_is_float(dt)) sf_tensor_set(t, at, sf_tensor_get(xs[i], o * chunk + j));
          else sf_tensor_set_i64(t, at, sf_tensor_get_i64(xs[i], o * chunk + j));
        }
      }
  }
  for (int i = 0; i < n; i++)
    if (xs[i]) sf_tensor_unref(xs[i]);
  free(xs);
  return st == SF_OK ? np_out(I, t, out) : st;
}
static sf_status api_concatenate(sf_interp *I, const sf_args *a, sf_val *out) { return join(I, a, out, false); }
/* np.vstack(tup): concatenate along axis 0 after atleast_2d (an (n,) array is (1, n));
 * np.hstack(tup): after atleast_1d, along axis 1, or 0 when the first array is 1-D
 * (shape_base.py). */
static sf_status stack_2d(sf_interp *I, const sf_args *a, sf_val *out, bool vertical) {
  const char *fname = vertical ? "np.vstack" : "np.hstack";
  BIND(fname, "tup", 1);
  if ((st = need(I, a, fname, "tup", g[0])) != SF_OK) return st;
  if ((v[0].kind != V_LIST && v[0].kind != V_TUPLE) || v[0].n == 0)
    return sf_py_raise(I, a->call, BC_VALUEERR, "need at least one array to concatenate");
  sf_val *items = sf_arena_alloc(&I->arena, (size_t)v[0].n * sizeof *items);
  if (!items) return sf_py_oom(I);
  int first_rank = 0;
  for (int i = 0; i < v[0].n && st == SF_OK; i++) {
    sf_tensor *x, *c;
    if ((st = np_in(I, a, fname, &v[0].items[i], &x, NULL)) != SF_OK) break;
    st = sf_numpy_astype(I, a, fname, x, x->dtype, &c);
    sf_tensor_unref(x);
    if (st != SF_OK) break;
    if (c->shape.rank == 0) c->shape = (sf_shape){.rank = 1, .dims = {1}};
    if (vertical && c->shape.rank == 1) c->shape = (sf_shape){.rank = 2, .dims = {1, c->shape.dims[0]}};
    if (i == 0) first_rank = c->shape.rank;
    st = np_out(I, c, &items[i]);
  }
  if (st != SF_OK) return st;
  sf_val pos[2] = {{.kind = V_LIST, .items = items, .n = v[0].n}, sf_int(vertical || first_rank == 1 ? 0 : 1)};
  sf_args ja = {.call = a->call, .pos = pos, .npos = 2};
  return join(I, &ja, out, false);
}
static sf_status api_vstack(sf_interp *I, const sf_args *a, sf_val *out) { return stack_2d(I, a, out, true); }
static sf_status api_hstack(sf_interp *I, const sf_args *a, sf_val *out) { return stack_2d(I, a, out, false); }

/* Ascending order, NaNs last (npysort's LT for floats). */
static int cmp_double(const void *p, const void *q) {
  double x = *(const double *)p, y = *(const double *)q;
  if (isnan(x) || isnan(y)) return isnan(x) - isnan(y);
  return (x > y) - (x < y);
}
static int cmp_i64(const void *p, const void *q) {
  int64_t x = *(const int64_t *)p, y = *(const int64_t *)q;
  return (x > y) - (x < y);
}

/* np.unique(ar): the sorted distinct values of the flattened array (NaNs kept apart, as
 * NumPy 1.24's equal_nan=True folds them into one); np.median(a): the middle value of the
 * sorted array, or the mean of the two middle ones (float64 for integers). */
static sf_status sorted_values(sf_interp *I, const sf_args *a, sf_val *out, bool median) {
  const char *fname = median ? "np.median" : "np.unique";
  BIND(fname, median ? "a axis" : "ar", median ? 2 : 1);
  if ((st = need(I, a, fname, median ? "a" : "ar", g[0])) != SF_OK) return st;
  if (median && g[1] && v[1].kind != V_NONE) return sf_arg_error(I, a, SF_ENAME, "unsupported: np.median(axis=...)");
  sf_tensor *x, *t = NULL;
  if ((st = np_in(I, a, fname, &v[0], &x, NULL)) != SF_OK) return st;
  bool fl = sf_dtype_is_float(x->dtype);
  int64_t n = x->n;
  void *buf = malloc((size_t)(n ? n : 1) * 8);
  if (!buf) return sf_tensor_unref(x), sf_py_oom(I);
  for (int64_t i = 0; i < n; i++) {
    if (fl) ((double *)buf)[i] = sf_tensor_get(x, i);
    else ((int64_t *)buf)[i] = sf_tensor_get_i64(x, i);
  }
  qsort(buf, (size_t)n, 8, fl ? cmp_double : cmp_i64);
  if (median) {
    if (n == 0) {
      st = sf_arg_error(I, a, SF_ENAME, "unsupported: np.median() of an empty array");
    } else if ((st = np_new(I, a, fname, fl ? x->dtype : SF_FLOAT64, &(sf_shape){0}, &t)) == SF_OK) {
      double lo = fl ? ((double *)buf)[(n - 1) / 2] : (double)((int64_t *)buf)[(n - 1) / 2];
      double hi = fl ? ((double *)buf)[n / 2] : (double)((int64_t *)buf)[n / 2];
      bool f32 = x->dtype == SF_FLOAT32;
      double sum = f32 ? (double)(float)(lo + hi) : lo + hi;
      if (fl && isnan(((double *)buf)[n - 1])) sum = NAN; /* a NaN anywhere makes the median NaN */
      sf_tensor_set(t, 0, n % 2 ? (fl && isnan(sum) ? NAN : hi) : sum / 2);
    }
  } else {
    int64_t m = 0;
    for (int64_t i = 0; i < n; i++) {
      bool dup = i > 0 && (fl ? (((double *)buf)[i] == ((double *)buf)[m - 1] ||
                                 (isnan(((double *)buf)[i]) && isnan(((double *)buf)[m - 1])))
                              : ((int64_t *)buf)[i] == ((int64_t *)buf)[m - 1]);
      if (!dup) memcpy((char *)buf + m++ * 8, (char *)buf + i * 8, 8);
    }
    if ((st = np_new(I, a, fname, x->dtype, &(sf_shape){.rank = 1, .dims = {m}}, &t)) == SF_OK)
      for (int64_t i = 0; i < m; i++) {
        if (fl) sf_tensor_set(t, i, ((double *)buf)[i]);
        else sf_tensor_set_i64(t, i, ((int64_t *)buf)[i]);
      }
  }
  free(buf);
  sf_tensor_unref(x);
  if (st != SF_OK) return st;
  return median ? np_result(I, t, out) : np_out(I, t, out);
}
static sf_status api_unique(sf_interp *I, const sf_args *a, sf_val *out) { return sorted_values(I, a, out, false); }
static sf_status api_median(sf_interp *I, const sf_args *a, sf_val *out) { return sorted_values(I, a, out, true); }

static sf_status api_stack(sf_interp *I, const sf_args *a, sf_val *out) { return join(I, a, out, true); }

/* round(a, decimals=0) / around: PyArray_Round (calculation.c): decimals 0 is rint (round
 * half to even); else multiply by 10**decimals, rint, divide by it (divide, rint, multiply
 * for decimals < 0), each step in the array's type (a float32 array rounds 2.675 to 2.68,
 * float64 to 2.67). Integer arrays with decimals >= 0 come back unchanged. */
static sf_status api_round(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("np.round", "a decimals out", 3);
  if ((st = need(I, a, "np.round", "a", g[0])) != SF_OK) return st;
  if (v[2].kind != V_NONE) return sf_arg_error(I, a, SF_EINVAL, "np.round(): the out argument is not supported");
  int64_t dec = 0;
  if (v[1].kind != V_NONE && (st = sf_arg_int(I, a, "np.round", "decimals", &v[1], &dec)) != SF_OK) return st;
  sf_tensor *x, *t;
  if ((st = np_in(I, a, "np.round", &v[0], &x, NULL)) != SF_OK) return st;
  if (x->dtype == SF_BOOL) {
    sf_tensor_unref(x);
    return sf_arg_error(I, a, SF_ETYPE, "np.round(): unsupported: rounding a bool array");
  }
  st = np_new(I, a, "np.round", x->dtype, &x->shape, &t);
  bool f32 = x->dtype == SF_FLOAT32, fl = sf_dtype_is_float(x->dtype);
  double f = pow(10.0, (double)(dec < 0 ? -dec : dec));
  if (f32) f = (float)f;
  for (int64_t i = 0; st == SF_OK && i < x->n; i++) {
    if (!fl) { /* NumPy rounds integers to a multiple of 10**-decimals by the same steps, in float64 */
      int64_t y = sf_tensor_get_i64(x, i);
      sf_tensor_set_i64(t, i, dec >= 0 ? y : (int64_t)(nearbyint((double)y / f) * f));
      continue;
    }
    double y = sf_tensor_get(x, i);
    if (dec == 0) y = nearbyint(y);
    else if (f32) y = dec > 0 ? (float)nearbyintf((float)(y * f)) / (float)f : (float)nearbyintf((float)(y / f)) * (float)f;
    else y = dec > 0 ? nearbyint(y * f) / f : nearbyint(y / f) * f;
    sf_tensor_set(t, i, y);
  }
  sf_tensor_unref(x);
  return st == SF_OK ? np_result(I, t, out) : st;
}

/* ---- element-wise functions (ufunc loops, NumPy 1.24) ---- */

/* sqrt, floor and ceil compute an integer or bool input in float64; absolute and square
 * keep an integer dtype (wrapping as C does). A float32 result is rounded once from the
 * exact double one. */
typedef enum np_unary_kind { U_SQRT, U_ABS, U_FLOOR, U_CEIL, U_SQUARE } np_unary_kind;

static sf_status np_unary(sf_interp *I, const sf_args *a, sf_val *out, np_unary_kind k) {
  static const char *const names[] = {"np.sqrt", "np.abs", "np.floor", "np.ceil", "np.square"};
  const char *fname = names[k];
  BIND(fname, "x", 1);
  if ((st = need(I, a, fname, "x", g[0])) != SF_OK) return st;
  sf_tensor *x, *t;
  if ((st = np_in(I, a, fname, &v[0], &x, NULL)) != SF_OK) return st;
  bool keep = k == U_ABS || k == U_SQUARE, fl = sf_dtype_is_float(x->dtype);
  if (keep && x->dtype == SF_BOOL) {
    sf_tensor_unref(x);
    return sf_arg_error(I, a, SF_ENAME, "unsupported: %s() of a bool array", fname);
  }
  st = np_new(I, a, fname, fl || keep ? x->dtype : SF_FLOAT64, &x->shape, &t);
  for (int64_t i = 0; st == SF_OK && i < x->n; i++) {
    if (!fl && keep) {
      uint64_t y = (uint64_t)sf_tensor_get_i64(x, i);
      sf_tensor_set_i64(t, i, (int64_t)(k == U_SQUARE ? y * y : (int64_t)y < 0 ? 0 - y : y));
      continue;
    }
    double y = sf_tensor_get(x, i);
    switch (k) {
      case U_SQRT: y = sqrt(y); break;
      case U_ABS: y = fabs(y); break;
      case U_FLOOR: y = floor(y); break;
      case U_CEIL: y = ceil(y); break;
      case U_SQUARE: y = y * y; break;
    }
    sf_tensor_set(t, i, y);
  }
  sf_tensor_unref(x);
  return st == SF_OK ? np_result(I, t, out) : st;
}
static sf_status api_sqrt(sf_interp *I, const sf_args *a, sf_val *out) { return np_unary(I, a, out, U_SQRT); }
static sf_status api_abs(sf_interp *I, const sf_args *a, sf_val *out) { return np_unary(I, a, out, U_ABS); }
static sf_status api_floor(sf_interp *I, const sf_args *a, sf_val *out) { return np_unary(I, a, out, U_FLOOR); }
static sf_status api_ceil(sf_interp *I, const sf_args *a, sf_val *out) { return np_unary(I, a, out, U_CEIL); }
static sf_status api_square(sf_interp *I, const sf_args *a, sf_val *out) { return np_unary(I, a, out, U_SQUARE); }

/* np.maximum / np.minimum(x1, x2): the operators' promotion and broadcasting. */
static sf_status api_extremum(sf_interp *I, const sf_args *a, sf_val *out, char op) {
  const char *fname = op == 'M' ? "np.maximum" : "np.minimum";
  BIND(fname, "x1 x2", 2);
  if ((st = need(I, a, fname, "x2", g[0] && g[1])) != SF_OK) return st;
  return sf_numpy_binop(I, a->call, op, &v[0], &v[1], out);
}
static sf_status api_maximum(sf_interp *I, const sf_args *a, sf_val *out) { return api_extremum(I, a, out, 'M'); }
static sf_status api_minimum(sf_interp *I, const sf_args *a, sf_val *out) { return api_extremum(I, a, out, 'm'); }

/* Three operands broadcast together (np.where, np.clip); out the common shape. */
static sf_status broadcast3(sf_interp *I, const sf_args *a, sf_tensor *const t[3], sf_shape *out) {
  sf_shape s;
  sf_error scratch;
  if (broadcast(I, a, t[0], t[1], &s) != SF_OK) return I->err->code;
  if (sf_broadcast_shape(&s, &t[2]->shape, out, &scratch) == SF_OK) return SF_OK;
  return sf_arg_error(I, a, SF_ESHAPE, "operands could not be broadcast together with shapes (%s) (%s) (%s) ",
                      shape_text(&t[0]->shape, 0), shape_text(&t[1]->shape, 1), shape_text(&t[2]->shape, 2));
}

/* np.clip(a, a_min, a_max): min(max(a, a_min), a_max) with a NaN kept (the clip ufunc's
 * _NPY_CLIP), in the promoted dtype; np.where(condition, x, y): x where the condition
 * holds, else y, in the dtype of x and y. The result dtype is promote(t1, t2), then t0's
 * for clip (value-based for Python scalars). */
static sf_status select3(sf_interp *I, const sf_args *a, sf_val *out, bool clip) {
  const char *fname = clip ? "np.clip" : "np.where";
  BIND(fname, clip ? "a a_min a_max out" : "condition x y", clip ? 4 : 3);
  if (!clip && g[0] && !g[1] && !g[2])
    return sf_arg_error(I, a, SF_ENAME, "unsupported: np.where(condition) with one argument (np.nonzero)");
  if ((st = need(I, a, fname, clip ? "a_max" : "y", g[0] && g[1] && g[2])) != SF_OK) return st;
  if (clip && g[3] && v[3].kind != V_NONE) return sf_arg_error(I, a, SF_ENAME, "unsupported: np.clip(out=...)");
  if (clip && (v[1].kind == V_NONE || v[2].kind == V_NONE))
    return sf_arg_error(I, a, SF_ENAME, "unsupported: np.clip() with a bound of None");
  sf_tensor *t[3] = {NULL, NULL, NULL}, *r = NULL;
  bool w[3];
  for (int i = 0; i < 3 && st == SF_OK; i++) st = np_in(I, a, fname, &v[i], &t[i], &w[i]);
  sf_shape s;
  sf_dtype dt = SF_BOOL;
  if (st == SF_OK) {
    dt = sf_np_promote(t[1]->dtype, w[1], t[2]->dtype, w[2]);
    if (clip) dt = sf_np_promote(t[0]->dtype, w[0], dt, w[1] && w[2]);
    st = broadcast3(I, a, t, &s);
  }
  if (st == SF_OK) st = np_new(I, a, fname, dt, &s, &r);
  bool fl = sf_dtype_is_float(dt), f32 = dt == SF_FLOAT32;
  for (int64_t i = 0; st == SF_OK && i < r->n; i++) {
    int64_t o[3];
    for (int k = 0; k < 3; k++) o[k] = sf_broadcast_offset(&s, &t[k]->shape, i);
    if (!clip) {
      const sf_tensor *pick = sf_tensor_get(t[0], o[0]) != 0 ? t[1] : t[2];
      int64_t at = pick == t[1] ? o[1] : o[2];
      if (fl) sf_tensor_set(r, i, sf_tensor_get(pick, at));
      else sf_tensor_set_i64(r, i, sf_tensor_get_i64(pick, at));
    } else if (fl) {
      double x = sf_tensor_get(t[0], o[0]), lo = sf_tensor_get(t[1], o[1]), hi = sf_tensor_get(t[2], o[2]);
      if (f32) x = (float)x, lo = (float)lo, hi = (float)hi;
      x = isnan(x) ? x : x > lo ? x : lo;
      sf_tensor_set(r, i, isnan(x) ? x : x < hi ? x : hi);
    } else {
      int64_t x = sf_tensor_get_i64(t[0], o[0]), lo = sf_tensor_get_i64(t[1], o[1]), hi = sf_tensor_get_i64(t[2], o[2]);
      x = x > lo ? x : lo;
      sf_tensor_set_i64(r, i, x < hi ? x : hi);
    }
  }
  for (int k = 0; k < 3; k++)
    if (t[k]) sf_tensor_unref(t[k]);
  return st == SF_OK ? np_result(I, r, out) : st;
}
static sf_status api_clip(sf_interp *I, const sf_args *a, sf_val *out) { return select3(I, a, out, true); }
static sf_status api_where(sf_interp *I, const sf_args *a, sf_val *out) { return select3(I, a, out, false); }

/* Binds np.FN(a, KW=None), KW run only at its default: a's array in *x (the caller unrefs
 * it). params is "a KW". */
static sf_status array_kw_none(sf_interp *I, const sf_args *a, const char *fn, const char *params, sf_tensor **x) {
  BIND(fn, params, 2);
  if ((st = need(I, a, fn, "a", g[0])) != SF_OK) return st;
  if (g[1] && v[1].kind != V_NONE)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: %s(%s=...)", fn, strchr(params, ' ') + 1);
  return np_in(I, a, fn, &v[0], x, NULL);
}

/* np.cumsum(a): the running sum over the flattened array, left to right in a's dtype (an
 * integer or bool array in int64; axis=None only). */
static sf_status api_cumsum(sf_interp *I, const sf_args *a, sf_val *out) {
  sf_tensor *x, *t;
  sf_status st = array_kw_none(I, a, "np.cumsum", "a axis", &x);
  if (st != SF_OK) return st;
  bool fl = sf_dtype_is_float(x->dtype);
  st = np_new(I, a, "np.cumsum", fl ? x->dtype : SF_INT64, &(sf_shape){.rank = 1, .dims = {x->n}}, &t);
  double f = 0;
  uint64_t n = 0;
  for (int64_t i = 0; st == SF_OK && i < x->n; i++) {
    if (fl) {
      f = x->dtype == SF_FLOAT32 ? (double)(float)(f + sf_tensor_get(x, i)) : f + sf_tensor_get(x, i);
      sf_tensor_set(t, i, f);
    } else {
      n += (uint64_t)sf_tensor_get_i64(x, i);
      sf_tensor_set_i64(t, i, (int64_t)n);
    }
  }
  sf_tensor_unref(x);
  return st == SF_OK ? np_out(I, t, out) : st;
}

/* np.dtype(obj): the dtype named by a scalar type, a name or another dtype. */
static sf_status api_dtype(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("np.dtype", "dtype", 1);
  if ((st = need(I, a, "np.dtype", "dtype", g[0])) != SF_OK) return st;
  sf_dtype dt;
  if ((st = np_dtype_arg(I, a, "np.dtype", &v[0], SF_FLOAT64, &dt)) != SF_OK) return st; /* None: float64, as NumPy */
  return *out = (sf_val){.kind = V_DTYPE, .dtype = dt, .numpy = true, .s = sf_np_dtype_tag}, SF_OK;
}

/* np.linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0)
 * (function_base.py): step = (stop - start) / div, element i is i * step + start in
 * float64, the last one stop itself; floored for an integer dtype, then cast. */
static sf_status api_linspace(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("np.linspace", "start stop num endpoint retstep dtype axis", 7);
  if ((st = need(I, a, "np.linspace", "stop", g[0] && g[1])) != SF_OK) return st;
  if ((g[4] && sf_truthy(I, &v[4])) || (g[6] && !(v[6].kind == V_INT && v[6].i == 0)))
    return sf_arg_error(I, a, SF_ENAME, "unsupported: np.linspace(%s=...)", g[4] && sf_truthy(I, &v[4]) ? "retstep" : "axis");
  sf_dtype dt = SF_FLOAT64;
  if (g[5] && (st = np_dtype_arg(I, a, "np.linspace", &v[5], SF_FLOAT64, &dt)) != SF_OK) return st;
  double lo, hi;
  int64_t num = 50;
  if ((st = sf_arg_float(I, a, "np.linspace", "start", &v[0], &lo)) != SF_OK ||
      (st = sf_arg_float(I, a, "np.linspace", "stop", &v[1], &hi)) != SF_OK ||
      (g[2] && (st = sf_arg_int(I, a, "np.linspace", "num", &v[2], &num)) != SF_OK))
    return st;
  if (num < 0) return sf_py_raise(I, a->call, BC_VALUEERR, "Number of samples, %lld, must be non-negative.", (long long)num);
  bool endpoint = !g[3] || sf_truthy(I, &v[3]);
  int64_t div = endpoint ? num - 1 : num;
  double delta = hi - lo, step = div > 0 ? delta / (double)div : NAN;
  sf_tensor *t;
  if ((st = np_new(I, a, "np.linspace", SF_FLOAT64, &(sf_shape){.rank = 1, .dims = {num}}, &t)) != SF_OK) return st;
  double *p = t->data;
  for (int64_t i = 0; i < num; i++) {
    if (div > 0 && step != 0) p[i] = (double)i * step + lo;
    else if (div > 0) p[i] = (double)i / (double)div * delta + lo; /* step 0: y / div * delta */
    else p[i] = (double)i * delta + lo; /* num 1: NumPy's step is NaN, the one element start */
  }
  if (endpoint && num > 1) p[num - 1] = hi;
  if (dt == SF_FLOAT64) return np_out(I, t, out);
  if (!sf_dtype_is_float(dt) && dt != SF_BOOL)
    for (int64_t i = 0; i < num; i++) p[i] = floor(p[i]);
  sf_tensor *c;
  st = sf_numpy_astype(I, a, "np.linspace", t, dt, &c);
  sf_tensor_unref(t);
  return st == SF_OK ? np_out(I, c, out) : st;
}

/* np.full(shape, fill_value): the fill value's dtype (a Python float float64, an int
 * int64, a bool bool); np.zeros_like / ones_like / full_like(a[, fill_value]): a's. */
static sf_status filled_with(sf_interp *I, const sf_args *a, const char *fname, const sf_shape *s, sf_dtype dt,
                             const sf_val *fill, sf_val *out) {
  sf_tensor *t;
  sf_status st = np_new(I, a, fname, dt, s, &t);
  for (int64_t i = 0; st == SF_OK && i < t->n; i++) {
    if (sf_dtype_is_float(dt)) sf_tensor_set(t, i, num(fill));
    else sf_tensor_set_i64(t, i, fill->kind == V_FLOAT ? sf_cast_to_int(fill->f, SF_INT64) : fill->kind == V_INT ? fill->i : fill->b);
  }
  return st == SF_OK ? np_out(I, t, out) : st;
}

static sf_status api_full(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("np.full", "shape fill_value dtype", 3);
  if ((st = need(I, a, "np.full", "fill_value", g[0] && g[1])) != SF_OK) return st;
  if (!is_num(&v[1])) return sf_arg_error(I, a, SF_ENAME, "unsupported: np.full() with a fill value other than a number");
  sf_shape s;
  sf_dtype dt = v[1].kind == V_FLOAT ? SF_FLOAT64 : v[1].kind == V_INT ? SF_INT64 : SF_BOOL;
  if (sf_np_is_scalar(&v[1])) dt = v[1].dtype;
  if ((st = np_shape_arg(I, a, "np.full", &v[0], &s)) != SF_OK) return st;
  if (g[2] && v[2].kind != V_NONE && (st = np_dtype_arg(I, a, "np.full", &v[2], dt, &dt)) != SF_OK) return st;
  return filled_with(I, a, "np.full", &s, dt, &v[1], out);
}

/* np.zeros_like and np.ones_like fill with fill; a negative fill is np.full_like's (the
 * fill_value argument). */
static sf_status like(sf_interp *I, const sf_args *a, sf_val *out, const char *fname, double fill) {
  BIND(fname, fill < 0 ? "a fill_value dtype" : "a dtype", fill < 0 ? 3 : 2);
  if ((st = need(I, a, fname, fill < 0 ? "fill_value" : "a", g[0] && (fill >= 0 || g[1]))) != SF_OK) return st;
  const sf_val *dtv = &v[fill < 0 ? 2 : 1];
  sf_tensor *x;
  if ((st = np_in(I, a, fname, &v[0], &x, NULL)) != SF_OK) return st;
  sf_dtype dt = x->dtype;
  sf_shape s = x->shape;
  sf_tensor_unref(x);
  if (dtv->kind != V_NONE && (st = np_dtype_arg(I, a, fname, dtv, dt, &dt)) != SF_OK) return st;
  if (fill < 0 && !is_num(&v[1])) return sf_arg_error(I, a, SF_ENAME, "unsupported: %s() with a fill value other than a number", fname);
  sf_val f = fill < 0 ? v[1] : sf_float(fill);
  return filled_with(I, a, fname, &s, dt, &f, out);
}
static sf_status api_zeros_like(sf_interp *I, const sf_args *a, sf_val *out) { return like(I, a, out, "np.zeros_like", 0); }
static sf_status api_ones_like(sf_interp *I, const sf_args *a, sf_val *out) { return like(I, a, out, "np.ones_like", 1); }
static sf_status api_full_like(sf_interp *I, const sf_args *a, sf_val *out) { return like(I, a, out, "np.full_like", -1); }

/* np.eye(N, M=None, k=0): float64 ones on the k-th diagonal. */
static sf_status api_eye(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("np.eye", "N M k dtype", 4);
  if ((st = need(I, a, "np.eye", "N", g[0])) != SF_OK) return st;
  int64_t n, m, k = 0;
  if ((st = sf_arg_int(I, a, "np.eye", "N", &v[0], &n)) != SF_OK) return st;
  m = n;
  if (g[1] && v[1].kind != V_NONE && (st = sf_arg_int(I, a, "np.eye", "M", &v[1], &m)) != SF_OK) return st;
  if (g[2] && (st = sf_arg_int(I, a, "np.eye", "k", &v[2], &k)) != SF_OK) return st;
  if (n < 0 || m < 0) return sf_py_raise(I, a->call, BC_VALUEERR, "negative dimensions are not allowed");
  sf_dtype dt = SF_FLOAT64;
  if (g[3] && v[3].kind != V_NONE && (st = np_dtype_arg(I, a, "np.eye", &v[3], dt, &dt)) != SF_OK) return st;
  sf_tensor *t;
  if ((st = np_new(I, a, "np.eye", dt, &(sf_shape){.rank = 2, .dims = {n, m}}, &t)) != SF_OK) return st;
  memset(t->data, 0, (size_t)t->n * sf_dtype_size(dt));
  for (int64_t i = 0; i < n; i++)
    if (i + k >= 0 && i + k < m) sf_tensor_set(t, i * m + i + k, 1);
  return np_out(I, t, out);
}

/* ---- shapes: np.transpose (all axes reversed), np.squeeze, np.expand_dims (copies;
 * seedflow's arrays are values), np.isnan and np.count_nonzero ---- */

/* A 0-d result of a shape function: a NumPy scalar for a NumPy scalar (its own method, as
 * np.float32(3).transpose()), else a 0-d array (fromnumeric.py _wrapfunc). */
static sf_status shaped_result(sf_interp *I, const sf_val *in, sf_tensor *t, sf_val *out) {
  return t->shape.rank == 0 && sf_np_is_scalar(in) ? np_result(I, t, out) : np_out(I, t, out);
}

/* ndarray.T's copy (transpose above). */
static sf_status api_transpose(sf_interp *I, const sf_args *a, sf_val *out) {
  sf_tensor *x;
  sf_status st = array_kw_none(I, a, "np.transpose", "a axes", &x);
  if (st != SF_OK) return st;
  const sf_val *arg = a->npos ? &a->pos[0] : &a->kw[0]; /* bound: given */
  if (x->shape.rank == 0) {
    st = shaped_result(I, arg, x, out); /* a view of a 0-d array is a 0-d array */
    return st == SF_OK ? np_share(I, arg, out) : st;
  }
  st = transpose(I, a, x, out);
  sf_tensor_unref(x);
  return st == SF_OK ? np_share(I, a->npos ? &a->pos[0] : &a->kw[0], out) : st;
}

/* np.squeeze(a, axis=None) / np.expand_dims(a, axis): a copy with the shape changed. */
static sf_status reshaped(sf_interp *I, const sf_args *a, sf_val *out, bool expand) {
  const char *fname = expand ? "np.expand_dims" : "np.squeeze";
  BIND(fname, "a axis", 2);
  if ((st = need(I, a, fname, expand ? "axis" : "a", g[0] && (!expand || g[1]))) != SF_OK) return st;
  bool has_axis = g[1] && v[1].kind != V_NONE;
  if (has_axis && v[1].kind != V_INT) return sf_arg_error(I, a, SF_ENAME, "unsupported: %s() with an axis other than an int", fname);
  sf_tensor *x, *t;
  if ((st = np_in(I, a, fname, &v[0], &x, NULL)) != SF_OK) return st;
  sf_shape s = {0};
  int r = x->shape.rank;
  int64_t ax = has_axis ? v[1].i : 0;
  int64_t lim = expand ? r + 1 : r;
  if (has_axis && (ax < -lim || ax >= lim)) {
    sf_tensor_unref(x);
    return sf_py_raise(I, a->call, BC_VALUEERR, "axis %lld is out of bounds for array of dimension %lld", (long long)ax,
                       (long long)lim);
  }
  if (ax < 0) ax += lim;
  if (!expand && has_axis && x->shape.dims[ax] != 1) {
    sf_tensor_unref(x);
    return sf_py_raise(I, a->call, BC_VALUEERR, "cannot select an axis to squeeze out which has size not equal to one");
  }
  if (expand && r >= SF_MAX_RANK) {
    sf_tensor_unref(x);
    return sf_arg_error(I, a, SF_ESHAPE, "%s(): rank above %d", fname, SF_MAX_RANK);
  }
  for (int d = 0, src = 0; d < (expand ? r + 1 : r); d++) {
    if (expand) s.dims[s.rank++] = d == ax ? 1 : x->shape.dims[src++];
    else if (has_axis ? d != ax : x->shape.dims[d] != 1) s.dims[s.rank++] = x->shape.dims[d];
  }
  st = sf_numpy_astype(I, a, fname, x, x->dtype, &t);
  sf_tensor_unref(x);
  if (st != SF_OK) return st;
  t->shape = s;
  if ((st = shaped_result(I, &v[0], t, out)) != SF_OK) return st;
  return np_share(I, &v[0], out);
}
static sf_status api_squeeze(sf_interp *I, const sf_args *a, sf_val *out) { return reshaped(I, a, out, false); }
static sf_status api_expand_dims(sf_interp *I, const sf_args *a, sf_val *out) { return reshaped(I, a, out, true); }

/* np.isnan, np.isinf, np.isfinite, np.logical_not: a bool array of x's shape (an int or
 * bool x is finite and neither NaN nor infinite), or a NumPy bool for a scalar. */
static sf_status elementwise_test(sf_interp *I, const sf_args *a, sf_val *out, const char *fn, char what) {
  BIND(fn, "x", 1);
  if ((st = need(I, a, fn, "x", g[0])) != SF_OK) return st;
  sf_tensor *x, *t;
  if ((st = np_in(I, a, fn, &v[0], &x, NULL)) != SF_OK) return st;
  st = np_new(I, a, fn, SF_BOOL, &x->shape, &t);
  bool fl = sf_dtype_is_float(x->dtype);
  for (int64_t i = 0; st == SF_OK && i < x->n; i++) {
    double e = fl ? sf_tensor_get(x, i) : 0;
    bool r = what == 'n' ? fl && isnan(e) : what == 'i' ? fl && isinf(e) : what == 'f' ? !fl || isfinite(e)
             : fl ? e == 0 : sf_tensor_get_i64(x, i) == 0;
    sf_tensor_set_i64(t, i, r);
  }
  sf_tensor_unref(x);
  return st == SF_OK ? np_result(I, t, out) : st;
}
static sf_status api_isnan(sf_interp *I, const sf_args *a, sf_val *out) { return elementwise_test(I, a, out, "np.isnan", 'n'); }
static sf_status api_isinf(sf_interp *I, const sf_args *a, sf_val *out) { return elementwise_test(I, a, out, "np.isinf", 'i'); }
static sf_status api_isfinite(sf_interp *I, const sf_args *a, sf_val *out) { return elementwise_test(I, a, out, "np.isfinite", 'f'); }
static sf_status api_logical_not(sf_interp *I, const sf_args *a, sf_val *out) {
  return elementwise_test(I, a, out, "np.logical_not", '!');
}

/* np.all(a), np.any(a) (axis=None): a NumPy bool, whether every (any) element is nonzero. */
static sf_status all_any(sf_interp *I, const sf_args *a, sf_val *out, bool all) {
  const char *fn = all ? "np.all" : "np.any";
  sf_tensor *x;
  sf_status st = array_kw_none(I, a, fn, "a axis", &x);
  if (st != SF_OK) return st;
  bool r = all;
  for (int64_t i = 0; i < x->n && r == all; i++)
    r = sf_dtype_is_float(x->dtype) ? sf_tensor_get(x, i) != 0 : sf_tensor_get_i64(x, i) != 0;
  sf_tensor_unref(x);
  return *out = (sf_val){.kind = V_BOOL, .b = r, .numpy = true, .dtype = SF_BOOL}, SF_OK;
}
static sf_status api_all(sf_interp *I, const sf_args *a, sf_val *out) { return all_any(I, a, out, true); }
static sf_status api_any(sf_interp *I, const sf_args *a, sf_val *out) { return all_any(I, a, out, false); }

/* np.count_nonzero(a): a Python int (axis=None). */
static sf_status api_count_nonzero(sf_interp *I, const sf_args *a, sf_val *out) {
  sf_tensor *x;
  sf_status st = array_kw_none(I, a, "np.count_nonzero", "a axis", &x);
  if (st != SF_OK) return st;
  int64_t n = 0;
  for (int64_t i = 0; i < x->n; i++) n += sf_dtype_is_float(x->dtype) ? sf_tensor_get(x, i) != 0 : sf_tensor_get_i64(x, i) != 0;
  sf_tensor_unref(x);
  return *out = sf_int(n), SF_OK;
}

/* ---- array attributes, methods, indexing ---- */

static sf_tensor *self_tensor(sf_interp *I, const sf_val *self) { return sf_b_host_value(I, self); }

sf_status sf_numpy_attr(sf_interp *I, const sf_expr *at, const sf_val *self, const char *name, sf_val *out, bool *found) {
  sf_args a = {.call = at};
  *found = true;
  sf_tensor *x = self_tensor(I, self);
  bool known = !strcmp(name, "shape") || !strcmp(name, "dtype") || !strcmp(name, "T") || !strcmp(name, "ndim") ||
               !strcmp(name, "size");
  /* A name an ndarray does not have is Python's AttributeError (one it has that seedflow
   * lacks stays an error saying so). */
  if (!known && strncmp(name, "__", 2) != 0 && !strcmp(sf_type_name(self), "numpy.ndarray") &&
      sf_py_real_name("numpy.ndarray", name) == 0)
    return sf_py_raise(I, at, BC_ATTRERR, "'numpy.ndarray' object has no attribute '%s'", name);
  if (!known) return *found = false, SF_OK;
  if (!x) return sf_arg_error(I, &a, SF_ENAME, "unsupported: '.%s' of a symbolic tensor", name);
  memset(out, 0, sizeof *out);
  if (!strcmp(name, "shape")) {
    sf_val *d = sf_arena_alloc(&I->arena, (size_t)(x->shape.rank + 1) * sizeof *d);
    if (!d) return sf_arg_error(I, &a, SF_ENOMEM, "out of memory");
    for (int i = 0; i < x->shape.rank; i++) d[i] = (sf_val){.kind = V_INT, .i = x->shape.dims[i]};
    *out = (sf_val){.kind = V_TUPLE, .items = d, .n = x->shape.rank};
  } else if (!strcmp(name, "dtype")) {
    *out = (sf_val){.kind = V_DTYPE, .dtype = x->dtype, .numpy = true, .s = sf_np_dtype_tag};
  } else if (!strcmp(name, "ndim")) {
    *out = (sf_val){.kind = V_INT, .i = x->shape.rank};
  } else if (!strcmp(name, "size")) {
    *out = (sf_val){.kind = V_INT, .i = x->n};
  } else {
    sf_status st = transpose(I, &a, x, out);
    return st == SF_OK ? np_share(I, self, out) : st;
  }
  return SF_OK;
}

/* ndarray.tolist(): nested lists of Python numbers, dimension dim on from element *off. */
static sf_status np_tolist(sf_interp *I, const sf_args *a, const sf_tensor *x, int dim, int64_t *off, sf_val *out) {
  if (dim == x->shape.rank) { /* Python numbers, not NumPy scalars */
    np_item(x, (*off)++, out);
    out->numpy = false;
    return SF_OK;
  }
  int64_t n = x->shape.dims[dim];
  sf_val *items = sf_arena_alloc(&I->arena, (size_t)(n + 1) * sizeof *items);
  if (!items) return sf_arg_error(I, a, SF_ENOMEM, "out of memory");
  for (int64_t i = 0; i < n; i++) {
    sf_status st = np_tolist(I, a, x, dim + 1, off, &items[i]);
    if (st != SF_OK) return st;
  }
  *out = (sf_val){.kind = V_LIST, .items = items, .n = (int)n};
  return SF_OK;
}

sf_status sf_numpy_method(sf_interp *I, const sf_val *self, const char *method, const sf_args *a, sf_val *out) {
  static const struct {
    const char *name;
    np_reduce_kind k;
  } reducers[] = {{"sum", R_SUM},   {"mean", R_MEAN},     {"std", R_STD},      {"var", R_VAR},   {"prod", R_PROD},
                  {"max", R_MAX},   {"min", R_MIN},       {"argmax", R_ARGMAX}, {"argmin", R_ARGMIN}};
  for (size_t i = 0; i < sizeof reducers / sizeof reducers[0]; i++)
    if (!strcmp(method, reducers[i].name)) return reduce_call(I, a, reducers[i].k, self, out);
  sf_tensor *x = self_tensor(I, self);
  if (!x) return sf_arg_error(I, a, SF_ENAME, "unsupported: '.%s()' of a symbolic tensor", method);
  if (!strcmp(method, "reshape")) {
    if (a->nkw) return sf_arg_error(I, a, SF_ETYPE, "reshape() takes no keyword arguments");
    sf_val dims = {.kind = V_TUPLE, .items = a->pos, .n = a->npos};
    sf_status st = reshape(I, a, "reshape", x, a->npos == 1 ? &a->pos[0] : &dims, out);
    return st == SF_OK ? np_share(I, self, out) : st;
  }
  if (!strcmp(method, "astype")) {
    BIND("astype", "dtype", 1);
    sf_dtype dt;
    sf_tensor *t;
    if ((st = need(I, a, "astype", "dtype", g[0])) != SF_OK || (st = np_dtype_arg(I, a, "astype", &v[0], x->dtype, &dt)) != SF_OK ||
        (st = sf_numpy_astype(I, a, "astype", x, dt, &t)) != SF_OK)
      return st;
    return np_out(I, t, out);
  }
  /* copy and flatten copy; ravel is a view (np_share) */
  if (!strcmp(method, "copy") || !strcmp(method, "flatten") || !strcmp(method, "ravel")) {
    if (a->npos || a->nkw) return sf_arg_error(I, a, SF_ETYPE, "%s() takes no arguments", method);
    sf_tensor *t;
    sf_status st = sf_numpy_astype(I, a, method, x, x->dtype, &t);
    if (st != SF_OK) return st;
    if (method[0] != 'c') t->shape = (sf_shape){.rank = 1, .dims = {t->n}};
    if ((st = np_out(I, t, out)) != SF_OK || method[0] != 'r') return st;
    return np_share(I, self, out);
  }
  /* ndarray.round(decimals=0), .clip(min, max), .cumsum(), .squeeze(axis), .transpose():
   * the np.* function with self first */
  static const struct {
    const char *name;
    sf_builtin_fn fn;
    int max_args;
  } as_function[] = {{"round", api_round, 2},     {"clip", api_clip, 3},           {"cumsum", api_cumsum, 1},
                     {"squeeze", api_squeeze, 1}, {"transpose", api_transpose, 0}};
  for (size_t i = 0; i < sizeof as_function / sizeof *as_function; i++) {
    if (strcmp(method, as_function[i].name) != 0) continue;
    if (a->npos > as_function[i].max_args)
      return sf_arg_error(I, a, SF_ETYPE, "%s() takes at most %d arguments", method, as_function[i].max_args);
    sf_val pos[4] = {*self};
    for (int k = 0; k < a->npos; k++) pos[k + 1] = a->pos[k];
    sf_args ra = *a;
    ra.pos = pos;
    ra.npos = a->npos + 1;
    return as_function[i].fn(I, &ra, out);
  }
  if (!strcmp(method, "item")) { /* ndarray.item(i): element i of the flattened array, a Python number */
    if (a->nkw || a->npos > 1) return sf_arg_error(I, a, SF_ETYPE, "item() takes at most one argument");
    int64_t k = 0;
    if (a->npos && a->pos[0].kind != V_INT) return sf_arg_error(I, a, SF_ETYPE, "item(): the index must be an int");
    if (a->npos) k = a->pos[0].i < 0 ? a->pos[0].i + x->n : a->pos[0].i;
    if (!a->npos && x->n != 1)
      return sf_py_raise(I, a->call, BC_VALUEERR, "can only convert an array of size 1 to a Python scalar");
    if (k < 0 || k >= x->n) return sf_py_raise(I, a->call, BC_INDEXERR, "index %lld is out of bounds for size %lld",
                                               (long long)(a->npos ? a->pos[0].i : 0), (long long)x->n);
    np_item(x, k, out);
    out->numpy = false;
    return SF_OK;
  }
  if ((!strcmp(method, "all") || !strcmp(method, "any")) && !a->npos && !a->nkw) {
    bool all = method[1] == 'l', r = all;
    for (int64_t i = 0; i < x->n && r == all; i++) r = sf_tensor_get(x, i) != 0;
    return *out = (sf_val){.kind = V_BOOL, .b = r}, SF_OK;
  }
  if (!strcmp(method, "tolist") && !a->npos && !a->nkw) {
    int64_t off = 0;
    return np_tolist(I, a, x, 0, &off, out);
  }
  return sf_arg_error(I, a, SF_ENAME, "unsupported: NumPy array method '%s'", method);
}

sf_status sf_numpy_len(sf_interp *I, const sf_args *a, const sf_val *self, int64_t *n) {
  sf_tensor *x = self_tensor(I, self);
  if (!x) return sf_arg_error(I, a, SF_ENAME, "unsupported: len() of a symbolic tensor");
  if (x->shape.rank == 0) return sf_py_raise(I, a->call, BC_TYPEERR, "len() of unsized object");
  *n = x->shape.dims[0];
  return SF_OK;
}

sf_status sf_numpy_dtype_call(sf_interp *I, sf_dtype dt, const sf_args *a, sf_val *out) {
  char fname[32];
  snprintf(fname, sizeof fname, "numpy.%s", sf_dtype_name(dt));
  if (a->nkw || a->npos > 1) return sf_arg_error(I, a, SF_ETYPE, "%s() takes at most 1 positional argument", fname);
  sf_tensor *x = NULL, *t = NULL;
  sf_status st = SF_OK;
  if (a->npos == 0) { /* np.float32() is 0.0 */
    if ((st = np_new(I, a, fname, dt, &(sf_shape){0}, &t)) == SF_OK) memset(t->data, 0, sf_dtype_size(dt));
    return st == SF_OK ? np_result(I, t, out) : st;
  }
  const sf_val *v = &a->pos[0];
  if (sf_is(v, O_STR)) { /* np.float32("0.1"), np.int64("3") */
    const char *s = SF_STR(v)->s;
    char *end;
    double f = strtod(s, &end);
    long long k = sf_dtype_is_float(dt) ? 0 : strtoll(s, &end, 10);
    if (end == s || *end)
      return sf_py_raise(I, a->call, BC_VALUEERR, sf_dtype_is_float(dt) ? "could not convert string to float: '%s'"
                                                                         : "invalid literal for int() with base 10: '%s'", s);
    if ((st = np_new(I, a, fname, dt, &(sf_shape){0}, &t)) != SF_OK) return st;
    if (sf_dtype_is_float(dt)) sf_tensor_set(t, 0, f);
    else sf_tensor_set_i64(t, 0, (int64_t)k);
    return np_result(I, t, out);
  }
  sf_val flat = *v, r;
  bool conv = v->kind == V_OBJ;
  if (conv && (st = sf_py_to_api(I, v, &flat)) != SF_OK) return st;
  if ((st = np_in(I, a, fname, &flat, &x, NULL)) == SF_OK) {
    st = sf_numpy_astype(I, a, fname, x, dt, &t);
    sf_tensor_unref(x);
  }
  if (conv) sf_val_drop(&flat);
  if (st != SF_OK || (st = np_result(I, t, &r)) != SF_OK) return st;
  return sf_py_from_api(I, &r, out);
}

/* iter(x): x[0], x[1], ... (NumPy scalars of a 1-d array, rows of a deeper one), each read
 * when it is reached (eval.c sf_py_next). */
sf_status sf_numpy_iter(sf_interp *I, const sf_expr *at, const sf_val *self, sf_val *it) {
  sf_args a = {.call = at};
  sf_tensor *x = self_tensor(I, self);
  if (!x) return sf_arg_error(I, &a, SF_ENAME, "unsupported: iterating over a symbolic tensor");
  if (x->shape.rank == 0) return sf_py_raise(I, at, BC_TYPEERR, "iteration over a 0-d array");
  return sf_py_array_iter(I, self, it);
}

/* ---- indexing: x[k] and x[k] = v ---- */

/* The elements of x that x[k] names (mapping.c prepare_index): basic indexing's start, step
 * and count on each axis of x, or one index array (fancy indexing): an integer array's
 * entries pick rows of x (shape idx.shape + x.shape[1:]), a bool array of x's shape or of its
 * first axis its true entries (the true elements, or rows, in order). */
typedef struct np_sel {
  sf_tensor *idx;     /* fancy: the index array (a reference, np_sel_free), else NULL */
  int64_t per;        /* fancy: the elements of x an entry of idx picks */
  int64_t start[SF_MAX_RANK], step[SF_MAX_RANK], count[SF_MAX_RANK]; /* basic, per axis of x */
  sf_shape shape;     /* x[k]'s, with the axes None adds */
  bool array;         /* basic: x[k] is an array even when 0-d (an ellipsis or a None in k) */
  bool multi;         /* index arrays among ints and slices (select_multi): */
  sf_tensor *adv[SF_MAX_RANK]; /* axis d's index (an int as a 0-d one), else NULL (a slice) */
  int g0;             /* the first of them */
  bool apart;         /* a slice stands between two of them: the broadcast shape comes first */
  sf_shape bshape;    /* their broadcast shape, which takes their axes' place in x[k] */
} np_sel;

static void np_sel_free(np_sel *s) {
  if (s->idx) sf_tensor_unref(s->idx);
  s->idx = NULL;
  for (int d = 0; d < SF_MAX_RANK; d++) {
    if (s->adv[d]) sf_tensor_unref(s->adv[d]);
    s->adv[d] = NULL;
  }
}

static const char only_ints[] =
    "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices";
static const char float_array[] = "arrays used as indices must be of integer (or boolean) type";

/* A 0-d integer or bool array as an index is an int or a bool (mapping.c prepare_index):
 * *k becomes one (the array's handle is borrowed, nothing to drop). */
static void scalar_key(sf_interp *I, sf_val *k) {
  const sf_tensor *t = k->kind == V_TENSOR ? sf_b_host_value(I, k) : NULL;
  if (t && t->shape.rank == 0 && !sf_dtype_is_float(t->dtype))
    *k = t->dtype == SF_BOOL ? sf_bool(sf_tensor_get_i64(t, 0) != 0) : sf_int(sf_tensor_get_i64(t, 0));
}

/* x[k] of more axes than seedflow's arrays have: not NumPy's error (it has 32). */
static sf_status rank_error(sf_interp *I, const sf_expr *at) {
  return sf_error_at(I->err, at->line, at->col, SF_ENAME, "unsupported: an array of more than %d axes (seedflow's limit)",
                     SF_MAX_RANK);
}

static bool index_array(const sf_val *v) { return v->kind == V_TENSOR || sf_is(v, O_LIST); }

/* x[k] with k a tuple holding index arrays or lists among ints and slices: NumPy's advanced
 * indexing with several arrays (mapping.c): the arrays and the ints, broadcast together,
 * pick one element along their axes for each element of their broadcast shape, which takes
 * their axes' place among the slices'. They stand together here (apart, NumPy puts their
 * axes first; with None or ... among them: not modelled). */
static sf_status select_multi(sf_interp *I, const sf_expr *at, const sf_tensor *x, const sf_val *given, int ng, np_sel *sel) {
  sf_args a = {.call = at};
  const char *only = only_ints;
  if (ng > x->shape.rank)
    return sf_py_raise(I, at, BC_INDEXERR, "too many indices for array: array is %d-dimensional, but %d were indexed",
                       x->shape.rank, ng);
  int first = -1, last = -1;
  for (int i = 0; i < ng; i++) {
    const sf_val *k = &given[i];
    if (k->kind == V_NONE || k->kind == V_ELLIPSIS || k->kind == V_BOOL)
      return sf_error_at(I->err, at->line, at->col, SF_ENAME,
                         "unsupported: None, ... or a bool in a NumPy index with index arrays");
    if (k->kind == V_INT || index_array(k)) {
      if (first < 0) first = i;
      else if (last != i - 1) sel->apart = true; /* a slice between them */
      last = i;
    } else if (!sf_is(k, O_SLICE)) {
      return sf_py_raise(I, at, BC_INDEXERR, "%s", only);
    }
  }
  sel->multi = true;
  sel->g0 = first;
  sf_status st = SF_OK;
  for (int d = first; st == SF_OK && d <= last; d++) {
    const sf_val *k = &given[d];
    int64_t len = x->shape.dims[d];
    if (sf_is(k, O_SLICE)) continue; /* between index arrays */
    if (k->kind == V_INT) {
      if ((st = np_new(I, &a, "getitem", SF_INT64, &(sf_shape){0}, &sel->adv[d])) == SF_OK) sf_tensor_set_i64(sel->adv[d], 0, k->i);
    } else {
      sf_val flat = *k;
      sf_api_tmp tmp = {0};
      st = k->kind == V_TENSOR ? SF_OK : sf_py_to_api_tmp(I, k, &flat, &tmp);
      if (st == SF_OK) st = np_in(I, &a, "getitem", &flat, &sel->adv[d], NULL);
      sf_api_tmp_free(&tmp);
      if (st == SF_OK && sel->adv[d]->dtype == SF_BOOL)
        st = sf_error_at(I->err, at->line, at->col, SF_ENAME, "unsupported: a boolean array among several NumPy indices");
      else if (st == SF_OK && sf_dtype_is_float(sel->adv[d]->dtype) && !(k->kind != V_TENSOR && sel->adv[d]->n == 0))
        st = sf_py_raise(I, at, BC_INDEXERR, "%s", k->kind == V_TENSOR ? float_array : only);
    }
    for (int64_t i = 0; st == SF_OK && i < sel->adv[d]->n; i++) {
      int64_t j = sf_tensor_get_i64(sel->adv[d], i);
      if (j < -len || j >= len)
        st = sf_py_raise(I, at, BC_INDEXERR, "index %lld is out of bounds for axis %d with size %lld", (long long)j, d,
                         (long long)len);
    }
    sf_shape b;
    if (st != SF_OK) {
    } else if (d == first) {
      sel->bshape = sel->adv[d]->shape;
    } else if (sf_broadcast_shape(&sel->bshape, &sel->adv[d]->shape, &b, &(sf_error){0}) == SF_OK) {
      sel->bshape = b;
    } else {
      char shapes[400] = "";
      for (int e = first; e <= d; e++)
        if (sel->adv[e]) snprintf(shapes + strlen(shapes), sizeof shapes - strlen(shapes), "(%s) ", shape_text(&sel->adv[e]->shape, 0));
      st = sf_py_raise(I, at, BC_INDEXERR, "shape mismatch: indexing arrays could not be broadcast together with shapes %s", shapes);
    }
  }
  sf_shape *s = &sel->shape;
  int bpos = sel->apart ? 0 : first; /* the broadcast shape's place among the slices' axes */
  for (int d = 0; st == SF_OK && d < x->shape.rank; d++) {
    sel->start[d] = 0, sel->step[d] = 1, sel->count[d] = x->shape.dims[d];
    if (d == bpos) {
      if (s->rank + sel->bshape.rank > SF_MAX_RANK) return rank_error(I, at);
      for (int e = 0; e < sel->bshape.rank; e++) s->dims[s->rank++] = sel->bshape.dims[e];
    }
    if (sel->adv[d]) continue;
    if (d < ng && (st = sf_py_slice_indices(I, at, (sf_slice *)given[d].o, x->shape.dims[d], &sel->start[d], &sel->step[d],
                                            &sel->count[d])) != SF_OK)
      break;
    if (s->rank == SF_MAX_RANK) return rank_error(I, at);
    s->dims[s->rank++] = sel->count[d];
  }
  return st;
}

/* The Nones among given[0..ng) add axes of length 1 to *s (x[keys without None]'s shape)
 * where they stand (mapping.c: each key makes its output axes in turn: an int none, a slice
 * one, the ellipsis the nk-free dimensions, None one of length 1; the dimensions no key
 * names come last). */
static sf_status new_axes(sf_interp *I, const sf_args *a, const sf_tensor *x, const sf_val *given, int ng, int nk, sf_shape *s) {
  sf_shape r = {0};
  int src = 0;
  for (int i = 0; i < ng; i++) {
    int kind = given[i].kind, adds = kind == V_NONE ? 1 : kind == V_ELLIPSIS ? x->shape.rank - nk : kind == V_INT || kind == V_BOOL ? 0 : 1;
    if (r.rank + adds > SF_MAX_RANK) return rank_error(I, a->call);
    for (int j = 0; j < adds; j++) r.dims[r.rank++] = kind == V_NONE ? 1 : s->dims[src++];
  }
  while (src < s->rank) {
    if (r.rank == SF_MAX_RANK) return rank_error(I, a->call);
    r.dims[r.rank++] = s->dims[src++];
  }
  *s = r;
  return SF_OK;
}

/* x[idx] with idx an integer or bool array, as a host tensor (`ndarray`: given as one, not as
 * a list), NumPy's advanced indexing (mapping.c). */
static sf_status select_fancy(sf_interp *I, const sf_expr *at, const sf_tensor *x, bool ndarray, np_sel *sel) {
  const sf_tensor *idx = sel->idx;
  sf_shape *s = &sel->shape;
  if (idx->dtype == SF_BOOL) {
    if (idx->shape.rank > x->shape.rank)
      return sf_py_raise(I, at, BC_INDEXERR, "too many indices for array: array is %d-dimensional, but %d were indexed",
                         x->shape.rank, idx->shape.rank);
    for (int d = 0; d < idx->shape.rank; d++)
      if (idx->shape.dims[d] != x->shape.dims[d])
        return sf_py_raise(I, at, BC_INDEXERR, "boolean index did not match indexed array along dimension %d; dimension is "
                           "%lld but corresponding boolean dimension is %lld", d, (long long)x->shape.dims[d],
                           (long long)idx->shape.dims[d]);
    if (!sf_shape_equal(&idx->shape, &x->shape)) {
      if (idx->shape.rank != 1 || x->shape.rank < 1 || idx->shape.dims[0] != x->shape.dims[0])
        return sf_error_at(I->err, at->line, at->col, SF_ENAME,
                           "unsupported: a boolean index of a shape other than the array's or its first axis");
    }
    int64_t m = 0;
    for (int64_t i = 0; i < idx->n; i++) m += sf_tensor_get_i64(idx, i) != 0;
    sel->per = idx->n ? x->n / idx->n : 0;
    s->rank = x->shape.rank - idx->shape.rank + 1;
    s->dims[0] = m;
    for (int d = idx->shape.rank; d < x->shape.rank; d++) s->dims[d - idx->shape.rank + 1] = x->shape.dims[d];
    return SF_OK;
  }
  if (sf_dtype_is_float(idx->dtype)) return sf_py_raise(I, at, BC_INDEXERR, "%s", ndarray ? float_array : only_ints);
  if (x->shape.rank == 0) return sf_py_raise(I, at, BC_INDEXERR, "too many indices for array: array is 0-dimensional, but 1 were indexed");
  if (idx->shape.rank + x->shape.rank - 1 > SF_MAX_RANK)
    return rank_error(I, at);
  *s = idx->shape;
  for (int d = 1; d < x->shape.rank; d++) s->dims[s->rank++] = x->shape.dims[d];
  int64_t len = x->shape.dims[0];
  sel->per = len ? x->n / len : 0;
  for (int64_t i = 0; i < idx->n; i++) {
    int64_t j = sf_tensor_get_i64(idx, i);
    if (j < -len || j >= len)
      return sf_py_raise(I, at, BC_INDEXERR, "index %lld is out of bounds for axis 0 with size %lld", (long long)j, (long long)len);
  }
  return SF_OK;
}

/* What x[k] names: k an int, a slice, an ellipsis, None or a tuple of them (basic
 * indexing), or one integer / bool array or list (select_fancy). */
static sf_status np_select(sf_interp *I, const sf_expr *at, const sf_tensor *x, const sf_val *k, np_sel *sel) {
  sf_args a = {.call = at};
  memset(sel, 0, sizeof *sel);
  sf_val key = *k;
  scalar_key(I, &key);
  k = &key;
  if (k->kind == V_TENSOR || sf_is(k, O_LIST)) {
    sf_val flat = *k;
    sf_api_tmp tmp = {0}; /* a list's items, as the API takes them */
    sf_status st = k->kind == V_TENSOR ? SF_OK : sf_py_to_api_tmp(I, k, &flat, &tmp);
    if (st == SF_OK) st = np_in(I, &a, "getitem", &flat, &sel->idx, NULL);
    sf_api_tmp_free(&tmp);
    if (st == SF_OK && k->kind != V_TENSOR && sel->idx->n == 0 && sel->idx->dtype != SF_INT64) { /* [] indexes as intp */
      sf_tensor *e;
      if ((st = np_new(I, &a, "getitem", SF_INT64, &sel->idx->shape, &e)) == SF_OK) {
        sf_tensor_unref(sel->idx);
        sel->idx = e;
      }
    }
    if (st == SF_OK) st = select_fancy(I, at, x, k->kind == V_TENSOR, sel);
    if (st != SF_OK) np_sel_free(sel);
    return st;
  }
  const sf_val *given = k;
  int ng = 1, nk = 0, ell = -1;
  if (sf_is(k, O_TUPLE)) {
    given = SF_LIST(k)->items;
    ng = (int)SF_LIST(k)->n;
  }
  sf_val scalars[SF_MAX_RANK + 8]; /* the keys, their 0-d arrays made ints and bools */
  if (ng <= SF_MAX_RANK + 8) {
    memcpy(scalars, given, (size_t)ng * sizeof *scalars);
    for (int i = 0; i < ng; i++) scalar_key(I, &scalars[i]);
    given = scalars;
  }
  for (int i = 0; i < ng; i++)
    if (index_array(&given[i])) {
      sf_status st = select_multi(I, at, x, given, ng, sel);
      if (st != SF_OK) np_sel_free(sel);
      return st;
    }
  /* a bool key is a 0-d mask: True adds an axis of length 1, as None does */
  sf_val unbool[SF_MAX_RANK + 8];
  int nbool = 0;
  for (int i = 0; i < ng; i++) nbool += given[i].kind == V_BOOL;
  if (nbool) {
    if (ng > SF_MAX_RANK + 8)
      return sf_py_raise(I, at, BC_INDEXERR, "too many indices for array: array is %d-dimensional, but %d were indexed",
                         x->shape.rank, ng - nbool);
    for (int i = 0; i < ng; i++) {
      if (given[i].kind == V_BOOL && !given[i].b)
        return sf_error_at(I->err, at->line, at->col, SF_ENAME,
                           "unsupported: False as a NumPy index (NumPy adds an axis of length 0)");
      unbool[i] = given[i].kind == V_BOOL ? sf_none() : given[i];
    }
    given = unbool;
  }
  /* None (numpy.newaxis) adds an axis of length 1 where it stands: the elements stay in
   * their order, so the keys without it select them and the result's shape gets the 1s */
  const sf_val *orig = given;
  int norig = ng, nnew = 0;
  sf_val kept[SF_MAX_RANK + 1];
  for (int i = 0; i < ng; i++) nnew += given[i].kind == V_NONE;
  if (nnew) {
    if (ng - nnew > SF_MAX_RANK + 1) return rank_error(I, at);
    int nkept = 0;
    for (int i = 0; i < ng; i++)
      if (given[i].kind != V_NONE) kept[nkept++] = given[i];
    given = kept;
    ng = nkept;
  }
  for (int i = 0; i < ng; i++) {
    if (given[i].kind != V_ELLIPSIS) continue;
    if (ell >= 0) return sf_py_raise(I, at, BC_INDEXERR, "an index can only have a single ellipsis ('...')");
    ell = i;
  }
  nk = ell >= 0 ? ng - 1 : ng;
  if (nk > x->shape.rank)
    return sf_py_raise(I, at, BC_INDEXERR, "too many indices for array: array is %d-dimensional, but %d were indexed",
                       x->shape.rank, nk);
  /* One key per dimension: the ellipsis stands for the full slices of the dimensions the
   * other keys leave (mapping.c prepare_index); with one the result stays an array. */
  const sf_val *keys[SF_MAX_RANK]; /* NULL: the whole dimension */
  for (int d = 0, i = 0; d < x->shape.rank; d++) {
    if (i == ell) {
      int full = x->shape.rank - nk;
      for (int j = 0; j < full; j++) keys[d + j] = NULL;
      d += full - 1;
      i++;
      continue;
    }
    keys[d] = i < ng ? &given[i++] : NULL;
  }
  sf_shape *s = &sel->shape;
  for (int d = 0; d < x->shape.rank; d++) {
    int64_t len = x->shape.dims[d];
    bool keep = true;
    sel->start[d] = 0, sel->step[d] = 1, sel->count[d] = len;
    if (!keys[d]) {
    } else if (keys[d]->kind == V_INT || keys[d]->kind == V_BOOL) {
      int64_t i = keys[d]->kind == V_INT ? keys[d]->i : keys[d]->b;
      if (i < -len || i >= len)
        return sf_py_raise(I, at, BC_INDEXERR, "index %lld is out of bounds for axis %d with size %lld", (long long)i, d,
                           (long long)len);
      sel->start[d] = i < 0 ? i + len : i;
      sel->count[d] = 1;
      keep = false;
    } else if (sf_is(keys[d], O_SLICE)) {
      sf_slice *sl = (sf_slice *)keys[d]->o;
      sf_status st = sf_py_slice_indices(I, at, sl, len, &sel->start[d], &sel->step[d], &sel->count[d]);
      if (st != SF_OK) return st;
    } else if (keys[d]->kind == V_FLOAT || keys[d]->kind == V_STR) {
      return sf_py_raise(I, at, BC_INDEXERR,
                         "%s", only_ints);
    } else {
      return sf_error_at(I->err, at->line, at->col, SF_ENAME, "unsupported: NumPy index of type '%s' (ints, slices and ... are)",
                         sf_type_name(keys[d]));
    }
    if (keep) s->dims[s->rank++] = sel->count[d];
  }
  sel->array = ell >= 0 || nnew;
  return nnew ? new_axes(I, &a, x, orig, norig, nk, s) : SF_OK;
}

/* Where element i of x[k] (basic indexing) is in x. */
static int64_t basic_offset(const sf_tensor *x, const np_sel *sel, int64_t i) {
  int64_t src = 0, stride = 1;
  for (int d = x->shape.rank - 1; d >= 0; d--) {
    int64_t idx = i % sel->count[d];
    i /= sel->count[d];
    src += (sel->start[d] + idx * sel->step[d]) * stride;
    stride *= x->shape.dims[d];
  }
  return src;
}

/* The row of x that entry e of a single index array picks (len: x's first axis), or -1 for a
 * false entry of a mask. */
static int64_t fancy_row(const sf_tensor *idx, int64_t e, int64_t len) {
  int64_t j = sf_tensor_get_i64(idx, e);
  return idx->dtype == SF_BOOL ? (j ? e : -1) : j < 0 ? j + len : j;
}

/* Where element i of x[k] (several index arrays) is in x. */
static int64_t multi_offset(const sf_tensor *x, const np_sel *sel, int64_t i) {
  int64_t r[SF_MAX_RANK], bi = 0, src = 0;
  int br = sel->bshape.rank;
  for (int d = sel->shape.rank - 1; d >= 0; d--) {
    r[d] = i % sel->shape.dims[d];
    i /= sel->shape.dims[d];
  }
  int bpos = sel->apart ? 0 : sel->g0, rd = 0; /* rd: the next slice's axis of x[k] */
  for (int d = 0; d < br; d++) bi = bi * sel->bshape.dims[d] + r[bpos + d];
  for (int d = 0; d < x->shape.rank; d++) {
    int64_t c;
    if (sel->adv[d]) {
      const sf_tensor *t = sel->adv[d];
      int64_t j = sf_tensor_get_i64(t, t->shape.rank ? sf_broadcast_offset(&sel->bshape, &t->shape, bi) : 0);
      c = j < 0 ? j + x->shape.dims[d] : j;
    } else {
      if (rd == bpos) rd += br;
      c = sel->start[d] + r[rd++] * sel->step[d];
    }
    src = src * x->shape.dims[d] + c;
  }
  return src;
}

/* Where element i of x[k] is in x (basic indexing, or several index arrays). */
static int64_t sel_offset(const sf_tensor *x, const np_sel *sel, int64_t i) {
  return sel->multi ? multi_offset(x, sel, i) : basic_offset(x, sel, i);
}

/* x[k] (the result a copy; basic indexing's an array that shares x's memory, np_share). */
sf_status sf_numpy_getitem(sf_interp *I, const sf_expr *at, const sf_val *self, const sf_val *k, sf_val *out) {
  sf_args a = {.call = at};
  sf_tensor *x = self_tensor(I, self), *t;
  if (!x) return sf_arg_error(I, &a, SF_ENAME, "unsupported: subscript of a symbolic tensor");
  np_sel sel;
  sf_status st = np_select(I, at, x, k, &sel);
  if (st != SF_OK) return st;
  bool fancy = sel.idx || sel.multi;
  if ((st = np_new(I, &a, "getitem", x->dtype, &sel.shape, &t)) != SF_OK) return np_sel_free(&sel), st;
  size_t es = sf_dtype_size(x->dtype);
  if (sel.idx) { /* a row at a time */
    const sf_tensor *idx = sel.idx;
    int64_t len = x->shape.rank ? x->shape.dims[0] : 0, o = 0;
    for (int64_t i = 0; i < idx->n; i++) {
      int64_t row = fancy_row(idx, i, len);
      if (row >= 0)
        memcpy((char *)t->data + (size_t)(o++ * sel.per) * es, (char *)x->data + (size_t)(row * sel.per) * es,
               (size_t)sel.per * es);
    }
  } else {
    for (int64_t i = 0; i < t->n; i++)
      memcpy((char *)t->data + (size_t)i * es, (char *)x->data + (size_t)sel_offset(x, &sel, i) * es, es);
  }
  np_sel_free(&sel);
  sf_val r;
  if ((st = (fancy || sel.array ? np_out : np_result)(I, t, &r)) != SF_OK) return st;
  if (!fancy && (st = np_share(I, self, &r)) != SF_OK) return st; /* basic indexing's array is a view */
  return sf_py_from_api(I, &r, out);
}

/* int(f) for an element of an integer array (NumPy's PyArray_Pack of a Python float, a NumPy
 * scalar, a list's item: int() raises on NaN, infinities and floats beyond C long). */
static sf_status int_item(sf_interp *I, const sf_expr *at, double f, int64_t *out) {
  if (isnan(f)) return sf_py_raise(I, at, BC_VALUEERR, "cannot convert float NaN to integer");
  if (isinf(f)) return sf_py_raise(I, at, BC_OVERFLOW, "cannot convert float infinity to integer");
  if (!(f >= -0x1p63 && f < 0x1p63)) return sf_py_raise(I, at, BC_OVERFLOW, "Python int too large to convert to C long");
  *out = (int64_t)f;
  return SF_OK;
}

/* Element i of v into element o of r, converted as NumPy's setitem converts it: a number it
 * is given one at a time (`item`: a scalar, a list's items, the one element a scalar target
 * takes) as int() and float() do, an array's elements as astype does; an int beyond r's
 * dtype wraps (NumPy 1.24 warns that it will raise). */
static sf_status put(sf_interp *I, const sf_expr *at, sf_tensor *r, int64_t o, const sf_tensor *v, int64_t i, bool item) {
  bool vf = sf_dtype_is_float(v->dtype);
  int64_t k = 0;
  sf_status st = SF_OK;
  if (r->dtype == SF_BOOL) sf_tensor_set_i64(r, o, vf ? sf_tensor_get(v, i) != 0 : sf_tensor_get_i64(v, i) != 0);
  else if (sf_dtype_is_float(r->dtype) || (vf && !item)) sf_tensor_set(r, o, sf_tensor_get(v, i));
  else if (!vf) sf_tensor_set_i64(r, o, sf_tensor_get_i64(v, i));
  else if ((st = int_item(I, at, sf_tensor_get(v, i), &k)) == SF_OK) sf_tensor_set_i64(r, o, k);
  return st;
}

/* x[k] = the values of vt (a host tensor): x's elements that x[k] names take them, broadcast
 * to x[k]'s shape and converted to x's dtype (put), in x itself (sf_eager_replace), so every
 * name bound to x sees them. `seq`: vt was a list or tuple; `given`: what the program gave,
 * which decides the conversion (NumPy 1.24, checked in CPython): Python numbers and lists
 * convert as int() does, and so do NumPy scalars but into a fancy index; arrays as astype,
 * but an array of one element of rank >= 1 into one element as int() (its failure is
 * "setting an array element with a sequence."). As an in-place operator, not on an array
 * that shares memory with another still in use but the statement's temporaries temp and
 * temp2. */
static sf_status assign_items(sf_interp *I, const sf_expr *at, const sf_val *self, const sf_val *k, const sf_tensor *vt,
                              bool seq, np_given given, int temp, int temp2) {
  sf_args a = {.call = at};
  sf_tensor *x = sf_b_eager_value(I, self), *r = NULL;
  sf_status st = np_changeable(I, at, self, "assigning to items of", "assignment destination is read-only", temp, temp2);
  if (st != SF_OK) return st;
  np_sel sel;
  st = np_select(I, at, x, k, &sel);
  if (st != SF_OK) return st;
  const sf_tensor *idx = sel.idx;
  bool fancy = idx || sel.multi, scalar = !fancy && sel.shape.rank == 0 && !sel.array;
  bool mask = idx && idx->dtype == SF_BOOL && idx->shape.rank == x->shape.rank;
  int64_t m = 1; /* x[k]'s elements */
  for (int d = 0; d < sel.shape.rank; d++) m = m > SF_MAX_ELEMENTS ? m : m * sel.shape.dims[d];
  sf_shape vs = vt->shape;
  while (vs.rank > sel.shape.rank && vs.dims[0] == 1) { /* NumPy drops leading axes of length 1 */
    memmove(vs.dims, vs.dims + 1, (size_t)(vs.rank - 1) * sizeof *vs.dims);
    vs.rank--;
  }
  bool fits = vs.rank <= sel.shape.rank;
  for (int d = 1; fits && d <= vs.rank; d++) {
    int64_t want = sel.shape.dims[sel.shape.rank - d], have = vs.dims[vs.rank - d];
    fits = have == want || have == 1;
  }
  bool one = scalar && given == NP_GIVEN_ARRAY && vt->shape.rank > 0; /* int(array): its error replaced */
  bool item = given == NP_GIVEN_PY || (given == NP_GIVEN_SCALAR && !fancy && x->dtype != SF_UINT8) || one;
  bool to_int = sf_dtype_is_float(vt->dtype) && !sf_dtype_is_float(x->dtype) && x->dtype != SF_BOOL;
  bool truth = scalar && seq && x->dtype == SF_BOOL; /* a bool element takes a list's truth */
  if (truth) {
  } else if (scalar && (seq || vt->n != 1)) {
    st = sf_py_raise(I, at, BC_VALUEERR, "setting an array element with a sequence.");
  } else if (seq && !fancy && vt->shape.rank > sel.shape.rank) {
    st = sf_py_raise(I, at, BC_VALUEERR, "setting an array element with a sequence. The requested array would exceed the "
                     "maximum number of dimension of %d.", sel.shape.rank);
  } else if (mask && vt->shape.rank > 1) {
    st = sf_py_raise(I, at, BC_TYPEERR, "NumPy boolean array indexing assignment requires a 0 or 1-dimensional input, input has %d dimensions",
                     vt->shape.rank);
  } else if (mask && vt->shape.rank == 1 && vt->n != m && vt->n != 1) {
    st = sf_py_raise(I, at, BC_VALUEERR, "NumPy boolean array indexing assignment cannot assign %lld input values to the %lld output values where the mask is true",
                     (long long)vt->n, (long long)m);
  } else if (!scalar && !mask && !fits && fancy) {
    st = sf_py_raise(I, at, BC_VALUEERR, "shape mismatch: value array of shape (%s) could not be broadcast to indexing result of shape (%s)",
                     shape_text(&vt->shape, 0), shape_text(&sel.shape, 1));
  } else if (!scalar && !mask && !fits) {
    st = sf_py_raise(I, at, BC_VALUEERR, "could not broadcast input array from shape (%s) into shape (%s)", shape_text(&vs, 0),
                     shape_text(&sel.shape, 1));
  } else if (m > SF_MAX_ELEMENTS || (I->rt.max_elements && m > I->rt.max_elements)) {
    st = sf_arg_error(I, &a, SF_ELIMIT, "setitem(): %lld elements exceed the run's limit of %lld", (long long)m,
                      (long long)(I->rt.max_elements ? I->rt.max_elements : SF_MAX_ELEMENTS));
  }
  /* NumPy converts the whole value before it writes anything: a number int() refuses fails
   * the assignment, even one that selects nothing */
  for (int64_t i = 0; st == SF_OK && !truth && item && to_int && i < vt->n; i++) {
    double f = sf_tensor_get(vt, i);
    int64_t k = 0;
    if (!one) st = int_item(I, at, f, &k);
    else if (!(f >= -0x1p63 && f < 0x1p63)) st = sf_py_raise(I, at, BC_VALUEERR, "setting an array element with a sequence.");
  }
  if (st == SF_OK) st = sf_interp_print_detach(I, at, self->node);
  /* written in place when nothing else holds x's values (a loop of x[i] = v copies nothing) */
  bool in_place = st == SF_OK && sf_eager_value_unshared(&I->E, self->node);
  if (st == SF_OK && !in_place && (st = np_new(I, &a, "setitem", x->dtype, &x->shape, &r)) == SF_OK)
    memcpy(r->data, x->data, (size_t)x->n * sf_dtype_size(x->dtype));
  sf_tensor *w = in_place ? x : r;
  if (st == SF_OK && truth) sf_tensor_set_i64(w, sel_offset(x, &sel, 0), vt->shape.dims[0] != 0);
  int64_t len = x->shape.rank ? x->shape.dims[0] : 0, i = 0, rows = st != SF_OK || truth ? 0 : idx ? idx->n : 1;
  for (int64_t e = 0; st == SF_OK && e < rows; e++) { /* an index entry's row, or every element of a basic index */
    int64_t row = idx ? fancy_row(idx, e, len) : 0;
    for (int64_t c = 0; st == SF_OK && row >= 0 && c < (idx ? sel.per : m); c++, i++) {
      int64_t src = vt->n == 1 ? 0 : mask ? i : sf_broadcast_offset(&sel.shape, &vs, i);
      st = put(I, at, w, idx ? row * sel.per + c : sel_offset(x, &sel, i), vt, src, item); /* checked above */
    }
  }
  np_sel_free(&sel);
  if (st != SF_OK) {
    if (r) sf_tensor_unref(r);
    return st;
  }
  if (!in_place) sf_eager_replace(&I->E, self->node, r);
  return SF_OK;
}

/* x[k] = v: v a number, a NumPy array (or a tensor with a value) or nested lists of them;
 * temp: v's node when v is a temporary of the statement. */
sf_status sf_numpy_setitem(sf_interp *I, const sf_expr *at, const sf_val *self, const sf_val *k, const sf_val *v, int temp) {
  sf_args a = {.call = at};
  bool seq = sf_is(v, O_LIST) || sf_is(v, O_TUPLE);
  if (!seq && v->kind != V_TENSOR && !sf_is_number(v))
    return sf_error_at(I->err, at->line, at->col, SF_ENAME,
                       "unsupported: assigning a '%s' to items of a NumPy array (numbers, arrays and lists of them are)",
                       sf_type_name(v));
  sf_api_tmp tmp = {0};
  sf_val flat = *v; /* a list's or tuple's items, as the API takes them */
  sf_tensor *vt = NULL;
  sf_status st = seq ? sf_py_to_api_tmp(I, v, &flat, &tmp) : SF_OK;
  if (st == SF_OK) st = np_in(I, &a, "setitem", &flat, &vt, NULL);
  sf_api_tmp_free(&tmp);
  if (st != SF_OK) return st;
  np_given given = v->kind == V_TENSOR ? NP_GIVEN_ARRAY : sf_np_is_scalar(v) ? NP_GIVEN_SCALAR : NP_GIVEN_PY;
  st = assign_items(I, at, self, k, vt, seq, given, temp, 0);
  sf_tensor_unref(vt);
  return st;
}

/* ---- RandomState ---- */


/* A RandomState method: the global-stream function run with the instance's stream in its
 * place (rt.numpy and its bookkeeping are swapped in for the call and back out). */
/* A native method's arguments as the flat API values the np.* functions take. */
static sf_status rs_call(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out, sf_builtin_fn fn) {
  sf_args fa;
  sf_val pos[SF_API_ARGS], kw[SF_API_ARGS];
  sf_status st = sf_py_api_args(I, a, &fa, pos, kw);
  if (st != SF_OK) return sf_py_api_args_free(&fa, pos, kw), st;
  sf_random *r = (sf_random *)self->o;
  sf_mt19937 global = I->rt.numpy;
  uint64_t draws = I->rt.numpy_draws;
  bool seeded = I->rt.numpy_seeded;
  I->rt.numpy = r->mt;
  I->rt.numpy_seeded = r->seeded; /* its draws are seeded as it is, not as the global stream */
  sf_val res = {0};
  int first = I->E.g->n;
  st = fn(I, &fa, &res);
  r->mt = I->rt.numpy;
  r->seeded = I->rt.numpy_seeded; /* rs.seed(N) */
  I->rt.numpy = global;
  I->rt.numpy_draws = draws;
  I->rt.numpy_seeded = seeded;
  if (st == SF_OK) st = sf_py_from_api(I, &res, out);
  if (st == SF_OK && sf_py_counting_arrays(I)) sf_py_count_made(I, first, out); /* the program's arrays */
  sf_py_api_args_free(&fa, pos, kw);
  return st;
}

#define RS_METHOD(name)                                                     \
  static sf_status rs_##name(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out) { \
    return rs_call(I, self, a, out, api_##name);                            \
  }
RS_METHOD(seed)
RS_METHOD(rand)
RS_METHOD(randn)
RS_METHOD(randint)
RS_METHOD(random)
RS_METHOD(random_sample)
RS_METHOD(standard_normal)
RS_METHOD(normal)
RS_METHOD(uniform)
RS_METHOD(shuffle)
RS_METHOD(permutation)
RS_METHOD(choice)

typedef struct np_method {
  const char *name;
  sf_native_fn fn;
} np_method;

/* A NumPy random object (RandomState, Generator) on state r: its methods bound to r, named
 * `unmodelled` ones bound to gen_unsupported with their name; it prints as `text`. */
static sf_status rng_object(sf_interp *I, sf_random *r, const char *text, int api_class, const np_method *methods,
                            size_t n, const char *const *unmodelled, size_t nu, sf_native_fn unsupported, sf_val *out) {
  sf_val rv = sf_obj_val(r);
  sf_module *m = sf_obj_alloc(O_MODULE, sizeof *m);
  if (!m || !(m->attrs = sf_dict_alloc(O_DICT))) return free(m), sf_val_drop(&rv), sf_py_oom(I);
  m->name = text;
  m->api_class = api_class;
  bool ok = true;
  /* its methods keep nothing of their arguments, and their arrays are only their results */
  for (size_t i = 0; ok && i < n; i++)
    if ((ok = sf_py_def_native(m->attrs, methods[i].name, methods[i].fn, &rv)))
      ((sf_native *)sf_dict_get_str(m->attrs, methods[i].name)->o)->keeps_none = true;
  for (size_t i = 0; ok && i < nu; i++) {
    sf_val name = {0};
    ok = sf_str_cstr(unmodelled[i], &name) && sf_py_def_native(m->attrs, unmodelled[i], unsupported, &name);
    sf_val_drop(&name);
  }
  sf_val_drop(&rv);
  *out = sf_obj_val(m);
  if (!ok) return sf_val_drop(out), sf_py_oom(I);
  m->h.rc--; /* a flat API value holds no reference: sf_py_from_api takes the program's one */
  return SF_OK;
}

/* np.random.RandomState(seed): an object with its own legacy stream and the same methods. */
static sf_status api_RandomState(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("np.random.RandomState", "seed", 1);
  static const np_method methods[] = {{"seed", rs_seed},           {"rand", rs_rand},       {"randn", rs_randn},
                                      {"randint", rs_randint},     {"random", rs_random},   {"random_sample", rs_random_sample},
                                      {"normal", rs_normal},       {"uniform", rs_uniform}, {"shuffle", rs_shuffle},
                                      {"permutation", rs_permutation}, {"choice", rs_choice},
                                      {"standard_normal", rs_standard_normal}};
  int64_t seed = 0;
  if (g[0] && v[0].kind != V_NONE && (st = sf_arg_int(I, a, "np.random.RandomState", "seed", &v[0], &seed)) != SF_OK)
    return st;
  if (seed < 0 || seed > 0xffffffffLL)
    return sf_arg_error(I, a, SF_EINVAL, "np.random.RandomState(): seed must be between 0 and 2**32 - 1");
  sf_random *r = sf_obj_alloc(O_RANDOM, sizeof *r);
  if (!r) return sf_py_oom(I);
  r->seeded = g[0] && v[0].kind != V_NONE;
  sf_mt_seed_numpy(&r->mt, r->seeded ? (uint32_t)seed : (uint32_t)sf_runtime_entropy(&I->rt));
  return rng_object(I, r, "RandomState(MT19937)", BC_NP_RANDOMSTATE, methods, sizeof methods / sizeof *methods, NULL, 0,
                    NULL, out);
}

/* ---- Generator: np.random.default_rng(seed), PCG64 (engine/rng/pcg64.c) ---- */

static sf_pcg64 *gen_state(sf_val *self) { return &((sf_random *)self->o)->pcg; }

/* The draws as an array, or with size=None the one draw: a Python number (python_number,
 * as random() and uniform() return a C double) or a NumPy scalar (integers). The legacy
 * stream's provenance count is not touched. */
static sf_status gen_done(sf_interp *I, np_draws *d, bool python_number, sf_val *out) {
  if (!d->scalar) return np_out(I, d->t, out);
  sf_status st = np_result(I, d->t, out);
  if (python_number) out->numpy = false;
  return st;
}

/* Generator.random(size=None, dtype=float64): next_double, or next_float for float32
 * ((next_uint32 >> 8) * 2^-24); size=None gives a Python float. */
static sf_status gen_random_flat(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out) {
  BIND("Generator.random", "size dtype out", 3);
  sf_dtype dt = SF_FLOAT64;
  if (g[1] && (st = np_dtype_arg(I, a, "Generator.random", &v[1], SF_FLOAT64, &dt)) != SF_OK) return st;
  if (dt != SF_FLOAT64 && dt != SF_FLOAT32)
    return sf_py_raise(I, a->call, BC_TYPEERR, "Unsupported dtype dtype('%s') for random", sf_dtype_name(dt));
  if (g[2] && v[2].kind != V_NONE) return sf_arg_error(I, a, SF_ENAME, "unsupported: Generator.random(out=...)");
  np_draws d;
  if ((st = draws_new(I, a, "Generator.random", &v[0], dt, &d)) != SF_OK) return st;
  sf_pcg64 *r = gen_state(self);
  for (int64_t i = 0; i < d.t->n; i++)
    sf_tensor_set(d.t, i, dt == SF_FLOAT32 ? (double)((float)(sf_pcg64_next32(r) >> 8) * (1.0f / 16777216.0f))
                                           : sf_pcg64_next_double(r));
  return gen_done(I, &d, true, out);
}

/* Generator.uniform(low=0.0, high=1.0, size=None): low + (high - low) * next_double. */
static sf_status gen_uniform_flat(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out) {
  BIND("Generator.uniform", "low high size", 3);
  double lo = 0, hi = 1;
  if ((g[0] && (st = sf_arg_float(I, a, "Generator.uniform", "low", &v[0], &lo)) != SF_OK) ||
      (g[1] && (st = sf_arg_float(I, a, "Generator.uniform", "high", &v[1], &hi)) != SF_OK))
    return st;
  double range = hi - lo;
  if (range < 0) return sf_py_raise(I, a->call, BC_VALUEERR, "high - low < 0");
  if (!isfinite(range)) return sf_py_raise(I, a->call, BC_OVERFLOW, "high - low range exceeds valid bounds");
  np_draws d;
  if ((st = draws_new(I, a, "Generator.uniform", &v[2], SF_FLOAT64, &d)) != SF_OK) return st;
  double *p = d.t->data;
  for (int64_t i = 0; i < d.t->n; i++) p[i] = lo + range * sf_pcg64_next_double(gen_state(self));
  return gen_done(I, &d, true, out);
}

/* Generator.integers(low, high=None, size=None, dtype=int64, endpoint=False)
 * (_bounded_integers.pyx): off + a draw of [0, high - low (- 1)]; size=None gives a
 * NumPy scalar. */
static sf_status gen_integers_flat(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out) {
  BIND("Generator.integers", "low high size dtype endpoint", 5);
  if ((st = sf_arg_need(I, a, "Generator.integers", "low", g[0])) != SF_OK) return st;
  int64_t lo = 0, hi = 0;
  bool endpoint = g[4] && sf_truthy(I, &v[4]);
  if ((st = sf_arg_int(I, a, "Generator.integers", "low", &v[0], &lo)) != SF_OK) return st;
  if (g[1] && v[1].kind != V_NONE) {
    if ((st = sf_arg_int(I, a, "Generator.integers", "high", &v[1], &hi)) != SF_OK) return st;
  } else {
    hi = lo;
    lo = 0;
    if (hi <= 0 && !endpoint) return sf_py_raise(I, a->call, BC_VALUEERR, "high <= 0");
  }
  sf_dtype dt = SF_INT64;
  if (g[3] && (st = np_dtype_arg(I, a, "Generator.integers", &v[3], SF_INT64, &dt)) != SF_OK) return st;
  if (dt != SF_INT64 && dt != SF_INT32)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: Generator.integers(dtype=%s) (int64 and int32 are modelled)",
                        sf_dtype_name(dt));
  if (endpoint ? hi < lo : hi <= lo) return sf_py_raise(I, a->call, BC_VALUEERR, endpoint ? "low > high" : "low >= high");
  if (dt == SF_INT32 && (!sf_int_fits(lo, SF_INT32) || !sf_int_fits(endpoint ? hi : hi - 1, SF_INT32)))
    return sf_py_raise(I, a->call, BC_VALUEERR, "%s is out of bounds for int32", sf_int_fits(lo, SF_INT32) ? "high" : "low");
  uint64_t rng = (uint64_t)hi - (uint64_t)lo - (endpoint ? 0 : 1);
  np_draws d;
  if ((st = draws_new(I, a, "Generator.integers", &v[2], dt, &d)) != SF_OK) return st;
  for (int64_t i = 0; i < d.t->n; i++)
    sf_tensor_set_i64(d.t, i, (int64_t)((uint64_t)lo + sf_pcg64_bounded(gen_state(self), rng)));
  return gen_done(I, &d, false, out);
}

/* Generator.permutation(x): an int is arange(x); the rows of a copy of x are shuffled as
 * Generator.shuffle does (_generator.pyx: for i = n-1 .. 1, swap rows i and
 * random_interval(i)). */
static sf_status gen_permutation_flat(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out) {
  BIND("Generator.permutation", "x axis", 2);
  if ((st = sf_arg_need(I, a, "Generator.permutation", "x", g[0])) != SF_OK) return st;
  if (g[1] && !(v[1].kind == V_INT && v[1].i == 0))
    return sf_arg_error(I, a, SF_ENAME, "unsupported: Generator.permutation(axis=...) other than 0");
  sf_tensor *x, *r = NULL;
  st = v[0].kind == V_INT ? arange_i64(I, a, "Generator.permutation", v[0].i, &x)
                          : np_in(I, a, "Generator.permutation", &v[0], &x, NULL);
  if (st != SF_OK) return st;
  if (x->shape.rank == 0) st = sf_py_raise(I, a->call, BC_INDEXERR, "x must be an integer or at least 1-dimensional");
  int64_t n = st == SF_OK ? x->shape.dims[0] : 0;
  int64_t *perm = st == SF_OK ? malloc((size_t)(n ? n : 1) * sizeof *perm) : NULL;
  if (st == SF_OK && !perm) st = sf_py_oom(I);
  if (st == SF_OK) {
    for (int64_t i = 0; i < n; i++) perm[i] = i;
    for (int64_t i = n - 1; i >= 1; i--) {
      int64_t j = (int64_t)sf_pcg64_interval(gen_state(self), (uint64_t)i), t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    st = take_rows(I, a, "Generator.permutation", x, perm, &(sf_shape){.rank = 1, .dims = {n}}, &r);
  }
  free(perm);
  sf_tensor_unref(x);
  return st == SF_OK ? np_out(I, r, out) : st;
}

/* Generator.choice(a, size=None, replace=True): indices integers(0, len(a), size) (an int
 * a is range(a)); the element or elements of a they pick. Without replacement, or with p,
 * NumPy draws otherwise: not modelled. */
static sf_status gen_choice_flat(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out) {
  BIND("Generator.choice", "a size replace p axis shuffle", 6);
  if ((st = sf_arg_need(I, a, "Generator.choice", "a", g[0])) != SF_OK) return st;
  if ((g[2] && v[2].kind != V_NONE && !sf_truthy(I, &v[2])) || (g[3] && v[3].kind != V_NONE) ||
      (g[4] && !(v[4].kind == V_INT && v[4].i == 0)))
    return sf_arg_error(I, a, SF_ENAME, "unsupported: Generator.choice() without replacement, with p or another axis");
  sf_tensor *pool = NULL;
  int64_t n;
  if (v[0].kind == V_INT) {
    n = v[0].i;
  } else {
    if ((st = np_in(I, a, "Generator.choice", &v[0], &pool, NULL)) != SF_OK) return st;
    if (pool->shape.rank == 0)
      return sf_tensor_unref(pool), sf_py_raise(I, a->call, BC_VALUEERR, "a must be a sequence or an integer, not <class 'numpy.ndarray'>");
    n = pool->shape.dims[0];
  }
  if (n <= 0) {
    if (pool) sf_tensor_unref(pool);
    return sf_py_raise(I, a->call, BC_VALUEERR, v[0].kind == V_INT ? "a must be a positive integer unless no samples are taken"
                                                                  : "a cannot be empty unless no samples are taken");
  }
  np_draws d;
  if ((st = draws_new(I, a, "Generator.choice", &v[1], SF_INT64, &d)) != SF_OK) {
    if (pool) sf_tensor_unref(pool);
    return st;
  }
  for (int64_t i = 0; i < d.t->n; i++) ((int64_t *)d.t->data)[i] = (int64_t)sf_pcg64_bounded(gen_state(self), (uint64_t)n - 1);
  if (pool) { /* a[idx]: rows of a */
    sf_tensor *r;
    st = take_rows(I, a, "Generator.choice", pool, d.t->data, &d.t->shape, &r);
    sf_tensor_unref(pool);
    sf_tensor_unref(d.t);
    if (st != SF_OK) return st;
    d.t = r;
  }
  return gen_done(I, &d, v[0].kind == V_INT, out); /* choice(5) is a Python int, choice(arr) an element */
}

/* Generator.shuffle(x): the same swaps as permutation, a list's or a NumPy array's in place. */
static sf_status gen_shuffle(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out) {
  if (a->npos != 1 || a->nkw) return sf_arg_error(I, a, SF_ETYPE, "Generator.shuffle() takes one argument");
  *out = sf_none();
  if (sf_is(&a->pos[0], O_LIST)) {
    sf_list *l = SF_LIST(&a->pos[0]);
    for (int64_t i = l->n - 1; i >= 1; i--) {
      int64_t j = (int64_t)sf_pcg64_interval(gen_state(self), (uint64_t)i);
      sf_val t = l->items[i];
      l->items[i] = l->items[j];
      l->items[j] = t;
    }
    return SF_OK;
  }
  sf_status st = shuffle_target(I, a, "Generator.shuffle", &a->pos[0]);
  if (st != SF_OK) return st;
  sf_val shuffled;
  st = gen_permutation_flat(I, self, &(sf_args){.call = a->call, .pos = a->pos, .npos = 1}, &shuffled);
  return st == SF_OK ? shuffle_into(I, a, &a->pos[0], &shuffled) : st;
}

/* A Generator method called from the program: its arguments flattened, its result back. */
#define GEN_METHOD(name)                                                                  \
  static sf_status gen_##name(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out) { \
    sf_args fa;                                                                           \
    sf_val r = {0}, pos[SF_API_ARGS], kw[SF_API_ARGS];                                    \
    sf_status st = sf_py_api_args(I, a, &fa, pos, kw);                                    \
    int first = I->E.g->n;                                                                \
    if (st == SF_OK) st = gen_##name##_flat(I, self, &fa, &r);                            \
    if (st == SF_OK) st = sf_py_from_api(I, &r, out);                                     \
    if (st == SF_OK && sf_py_counting_arrays(I)) sf_py_count_made(I, first, out);         \
    sf_py_api_args_free(&fa, pos, kw);                                                    \
    return st;                                                                            \
  }
GEN_METHOD(random)
GEN_METHOD(uniform)
GEN_METHOD(integers)
GEN_METHOD(permutation)
GEN_METHOD(choice)

/* The Generator methods not modelled (NumPy's ziggurat normal, its shuffles): named. */
static sf_status gen_unsupported(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out) {
  (void)out;
  return sf_arg_error(I, a, SF_ENAME, "unsupported: Generator.%s (seedflow models default_rng's random, uniform, "
                      "integers, permutation, shuffle and choice)", ((sf_str *)self->o)->s);
}

/* np.random.default_rng(seed=None): a Generator on PCG64 seeded by SeedSequence(seed),
 * the seed's little-endian 32-bit words (None: 128 bits of the run's entropy); a list or
 * tuple of ints gives each int's words in turn (bit_generator.pyx _coerce_to_uint32_array). */
enum { SEED_WORDS = 64 };
static sf_status api_default_rng(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("np.random.default_rng", "seed", 1);
  uint32_t words[SEED_WORDS];
  int n = 0;
  bool seq = g[0] && (v[0].kind == V_LIST || v[0].kind == V_TUPLE);
  for (int k = 0; g[0] && v[0].kind != V_NONE && k < (seq ? v[0].n : 1); k++) {
    const sf_val *x = seq ? &v[0].items[k] : &v[0];
    int64_t seed;
    if ((st = sf_arg_int(I, a, "np.random.default_rng", "seed", x, &seed)) != SF_OK) return st;
    if (seed < 0) return sf_py_raise(I, a->call, BC_VALUEERR, "expected non-negative integer");
    if (n + 2 > SEED_WORDS)
      return sf_arg_error(I, a, SF_ENAME, "unsupported: np.random.default_rng() with a seed of more than %d ints", SEED_WORDS / 2);
    words[n++] = (uint32_t)seed;
    if (seed >> 32) words[n++] = (uint32_t)(seed >> 32);
  }
  if (!g[0] || v[0].kind == V_NONE) {
    for (; n < 4; n += 2) {
      uint64_t e = sf_runtime_entropy(&I->rt);
      words[n] = (uint32_t)e;
      words[n + 1] = (uint32_t)(e >> 32);
    }
  }
  static const np_method methods[] = {{"random", gen_random},           {"uniform", gen_uniform}, {"integers", gen_integers},
                                      {"permutation", gen_permutation}, {"choice", gen_choice},   {"shuffle", gen_shuffle}};
  static const char *const unmodelled[] = {"standard_normal", "normal", "exponential", "binomial", "poisson", "bytes",
                                           "permuted"};
  sf_random *r = sf_obj_alloc(O_RANDOM, sizeof *r);
  if (!r) return sf_py_oom(I);
  sf_pcg64_seed(&r->pcg, words, n);
  return rng_object(I, r, "Generator(PCG64)", BC_NP_GENERATOR, methods, sizeof methods / sizeof *methods, unmodelled,
                    sizeof unmodelled / sizeof *unmodelled, gen_unsupported, out);
}

/* ---- the table ---- */

/* np.set_printoptions (arrayprint.py _make_options_dict): an argument left None keeps its
 * option. precision, threshold, edgeitems, linewidth and suppress change how arrays and
 * tensors print from then on; the other options only at their defaults. */
static sf_status api_set_printoptions(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("np.set_printoptions", "precision threshold edgeitems linewidth suppress nanstr infstr formatter sign floatmode legacy", 11);
  *out = sf_none();
  sf_print_options o = I->np_print;
  if (g[0] && v[0].kind != V_NONE) {
    if (v[0].kind != V_INT && v[0].kind != V_BOOL) return sf_py_raise(I, a->call, BC_TYPEERR, "precision must be an integer");
    int64_t p = v[0].kind == V_INT ? v[0].i : v[0].b;
    if (p < 0 || p > 17)
      return sf_arg_error(I, a, SF_ENAME, "unsupported: np.set_printoptions(precision=%lld) (seedflow prints 0 to 17 digits)", (long long)p);
    o.precision = (int)p;
  }
  if (g[1] && v[1].kind != V_NONE) {
    if (v[1].kind != V_INT && v[1].kind != V_FLOAT && v[1].kind != V_BOOL) return sf_py_raise(I, a->call, BC_TYPEERR, "threshold must be numeric");
    double t = v[1].kind == V_INT ? (double)v[1].i : v[1].kind == V_BOOL ? v[1].b : v[1].f;
    if (isnan(t)) return sf_py_raise(I, a->call, BC_VALUEERR, "threshold must be non-NAN, try sys.maxsize for untruncated representation");
    o.threshold = v[1].kind == V_INT ? v[1].i : t >= 9.2e18 ? INT64_MAX : t <= -9.2e18 ? INT64_MIN : (int64_t)floor(t);
  }
  static const char *const ints[] = {"edgeitems", "linewidth"};
  for (int k = 0; k < 2; k++) {
    if (!g[2 + k] || v[2 + k].kind == V_NONE) continue;
    int64_t x;
    if ((st = sf_arg_int(I, a, "np.set_printoptions", ints[k], &v[2 + k], &x)) != SF_OK) return st;
    if (x < (k ? 1 : 0) || x > 100000)
      return sf_arg_error(I, a, SF_ENAME, "unsupported: np.set_printoptions(%s=%lld)", ints[k], (long long)x);
    if (k) o.linewidth = (int)x;
    else o.edgeitems = (int)x;
  }
  if (g[4] && v[4].kind != V_NONE) o.suppress = sf_truthy(I, &v[4]);
  /* the rest only at their defaults: nanstr 'nan', infstr 'inf', formatter None, sign '-',
   * floatmode 'maxprec', legacy False */
  static const char *const rest[] = {"nanstr", "infstr", "formatter", "sign", "floatmode", "legacy"};
  static const char *const dflt[] = {"nan", "inf", NULL, "-", "maxprec", NULL};
  for (int k = 0; k < 6; k++) {
    const sf_val *x = &v[5 + k];
    if (!g[5 + k] || x->kind == V_NONE) continue;
    bool ok = (dflt[k] && x->kind == V_STR && strcmp(x->s, dflt[k]) == 0) || (k == 5 && x->kind == V_BOOL && !x->b);
    if (!ok) return sf_arg_error(I, a, SF_ENAME, "unsupported: np.set_printoptions(%s=...) other than its default", rest[k]);
  }
  I->np_print = o;
  return SF_OK;
}

static const struct {
  const char *path;
  sf_builtin_fn fn;
} numpy_api[] = {
    {"np.random.seed", api_seed},
    {"np.random.rand", api_rand},
    {"np.random.randn", api_randn},
    {"np.random.standard_normal", api_standard_normal},
    {"np.random.randint", api_randint},
    {"np.random.random", api_random},
    {"np.random.random_sample", api_random_sample},
    {"np.random.normal", api_normal},
    {"np.random.uniform", api_uniform},
    {"np.random.shuffle", api_shuffle},
    {"np.random.permutation", api_permutation},
    {"np.random.choice", api_choice},
    {"np.random.RandomState", api_RandomState},
    {"np.random.default_rng", api_default_rng},
    {"np.array", api_array},
    {"np.asarray", api_asarray},
    {"np.arange", api_arange},
    {"np.zeros", api_zeros},
    {"np.ones", api_ones},
    {"np.reshape", api_reshape},
    {"np.sum", api_sum},
    {"np.mean", api_mean},
    {"np.std", api_std},
    {"np.var", api_var},
    {"np.prod", api_prod},
    {"np.max", api_max},
    {"np.amax", api_max},
    {"np.min", api_min},
    {"np.amin", api_min},
    {"np.argmax", api_argmax},
    {"np.argmin", api_argmin},
    {"np.allclose", api_allclose},
    {"np.isclose", api_isclose},
    {"np.array_equal", api_array_equal},
    {"np.concatenate", api_concatenate},
    {"np.set_printoptions", api_set_printoptions},
    {"np.stack", api_stack},
    {"np.round", api_round},
    {"np.around", api_round},
    {"np.sqrt", api_sqrt},
    {"np.abs", api_abs},
    {"np.absolute", api_abs},
    {"np.floor", api_floor},
    {"np.ceil", api_ceil},
    {"np.square", api_square},
    {"np.maximum", api_maximum},
    {"np.minimum", api_minimum},
    {"np.clip", api_clip},
    {"np.where", api_where},
    {"np.cumsum", api_cumsum},
    {"np.linspace", api_linspace},
    {"np.dtype", api_dtype},
    {"np.full", api_full},
    {"np.zeros_like", api_zeros_like},
    {"np.ones_like", api_ones_like},
    {"np.full_like", api_full_like},
    {"np.eye", api_eye},
    {"np.transpose", api_transpose},
    {"np.vstack", api_vstack},
    {"np.hstack", api_hstack},
    {"np.unique", api_unique},
    {"np.median", api_median},
    {"np.squeeze", api_squeeze},
    {"np.expand_dims", api_expand_dims},
    {"np.isnan", api_isnan},
    {"np.isinf", api_isinf},
    {"np.isfinite", api_isfinite},
    {"np.logical_not", api_logical_not},
    {"np.all", api_all},
    {"np.any", api_any},
    {"np.count_nonzero", api_count_nonzero},
};

sf_builtin_fn sf_numpy_lookup(const char *path) {
  for (size_t i = 0; i < sizeof numpy_api / sizeof numpy_api[0]; i++)
    if (strcmp(numpy_api[i].path, path) == 0) return numpy_api[i].fn;
  return NULL;
}
