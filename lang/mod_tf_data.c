/* mod_tf_data.c — tf.data in eager mode: Dataset.range / from_tensor_slices and the
 * shuffle, repeat, batch, take, skip, prefetch, cache transformations, iterated with `for`;
 * and tf.range.
 *
 * A dataset is a chain of stages; iterating it materialises the elements stage by stage
 * with TensorFlow's element order. Shuffle is TF's kernel (tf-api-semantics.md §2.1): a
 * buffer of buffer_size, one 32-bit Philox word per output (`word mod live`), the output
 * swapped with the oldest slot. Its seeds (§2.2): get_seed(seed) when shuffle() is called;
 * with reshuffle_each_iteration (the default) every new iterator takes the next two words
 * of a seed generator Philox(seed, seed2) — the generator belongs to the dataset under the
 * tf2 profile (each epoch reshuffles) and to the iterator under tf1 (TF 2.0-alpha and the
 * TF1 kernels: every `for` over the dataset repeats one order, tf#27680, while a repeat()
 * after the shuffle, inside one iterator, reshuffles each epoch); without it, the
 * iterator uses (seed, seed2). With no seed anywhere the dataset seeds itself once from the OS.
 *
 * Datasets are Python instances whose methods are natives bound to the stage's index. */
#include "interp.h"
#include "py.h"

#include <stdlib.h>
#include <string.h>

#include "../engine/rng/rng.h"

#define NATIVE(name) static sf_status name(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out)

typedef enum ds_kind { DS_RANGE, DS_SLICES, DS_REPEAT, DS_SHUFFLE, DS_BATCH, DS_TAKE, DS_SKIP, DS_MAP } ds_kind;

typedef struct ssa {        /* SingleSampleAdapter<PhiloxRandom>: the 4 words of each block in order */
  sf_philox p;
  uint32_t buf[4];
  int used;
} ssa;

static uint32_t ssa_next(ssa *s) {
  if (s->used == 4) {
    sf_philox_next(&s->p, s->buf);
    s->used = 0;
  }
  return s->buf[s->used++];
}

static void ssa_init(ssa *s, uint64_t seed, uint64_t seed2) {
  sf_philox_from_seeds(&s->p, seed, seed2);
  s->used = 4;
}

enum { MAX_COMP = 4 };

/* An element is one tensor or a tuple of w tensors (its components); a list of elements
 * holds their components one after another, w to an element. */
typedef struct ds_stage {
  ds_kind kind;
  int parent;
  int w;                      /* the elements' components */
  bool tuple;                 /* the elements are tuples (of w, maybe 1), else one tensor */
  int64_t start, stop, step;  /* range; repeat / take / skip count in start; batch size in start */
  bool flag;                  /* batch: drop_remainder; shuffle: reshuffle_each_iteration */
  sf_tensor *comp[MAX_COMP];  /* from_tensor_slices: the tensor, or the tuple's components */
  uint64_t seed, seed2;       /* shuffle: get_seed's pair */
  bool os_entropy;            /* shuffle: no seed anywhere */
  ssa gen;                    /* shuffle: the dataset's seed generator (tf2 profile) */
  ssa it_gen;                 /* shuffle, tf1: the generator of the iterator being made, */
  bool it_live;               /* kept across the epochs of a repeat() inside it */
  sf_graph *fg;               /* map: the function's graph (owned), its trace index and */
  int fg_index;               /* the nodes it returns; its arguments are nodes 1..w of the */
  int ret[MAX_COMP];          /* parent's elements (slots 1..w) */
} ds_stage;

typedef struct ds_list {
  sf_tensor **e;              /* n tensors: n / w elements */
  int64_t n, cap;
} ds_list;

typedef struct one_shot_it {  /* a one-shot iterator (make_one_shot_iterator) */
  sf_graph *g;              /* graph mode: its graph, OneShotIterator node, first get_next */
  int node, get_next;       /* node (0: none yet) */
  sf_tensor *rows;          /* eager: the elements stacked on axis 0, and the next row */
  int64_t next;
} one_shot_it;

struct sf_tfdata {
  ds_stage *st;
  int n, cap;
  sf_class *cls, *iter_cls, *out_of_range;
  one_shot_it *it;
  int nit, capit;
};

static sf_status oom(sf_interp *I) { return sf_py_oom(I); }

static struct sf_tfdata *state(sf_interp *I) {
  if (!I->tfdata) I->tfdata = calloc(1, sizeof *I->tfdata);
  return I->tfdata;
}

void sf_tfdata_free(sf_interp *I) {
  struct sf_tfdata *d = I->tfdata;
  if (!d) return;
  for (int i = 0; i < d->n; i++) {
    for (int c = 0; c < MAX_COMP; c++) sf_tensor_unref(d->st[i].comp[c]);
    sf_graph_free(d->st[i].fg);
  }
  sf_class *cls[] = {d->cls, d->iter_cls, d->out_of_range};
  for (size_t i = 0; i < sizeof cls / sizeof *cls; i++)
    if (cls[i]) {
      sf_val c = sf_obj_val(cls[i]);
      sf_val_drop(&c);
    }
  for (int i = 0; i < d->nit; i++) sf_tensor_unref(d->it[i].rows);
  free(d->it);
  free(d->st);
  free(d);
  I->tfdata = NULL;
}

static bool push(ds_list *l, sf_tensor *t) {
  if (l->n == l->cap) {
    int64_t nc = l->cap ? l->cap * 2 : 64;
    sf_tensor **ne = realloc(l->e, (size_t)nc * sizeof *ne);
    if (!ne) return false;
    l->e = ne;
    l->cap = nc;
  }
  l->e[l->n++] = t;
  return true;
}

static void list_free(ds_list *l) {
  for (int64_t i = 0; i < l->n; i++) sf_tensor_unref(l->e[i]);
  free(l->e);
  memset(l, 0, sizeof *l);
}

enum { MAX_ELEMENTS = 1 << 22 };

/* Row r of t (a new tensor of t's shape without its first dimension). */
static sf_tensor *row_of(sf_interp *I, const sf_tensor *t, int64_t r) {
  sf_shape es = {.rank = t->shape.rank - 1};
  for (int d = 1; d < t->shape.rank; d++) es.dims[d - 1] = t->shape.dims[d];
  sf_tensor *o = sf_tensor_new(t->dtype, &es, I->err);
  size_t bytes = o ? (size_t)o->n * sf_dtype_size(t->dtype) : 0;
  if (o) memcpy(o->data, (const char *)t->data + (size_t)r * bytes, bytes);
  return o;
}

/* Component c of elements e[0], e[w], ... e[(m-1)w] stacked on a new axis 0 (batch). */
static sf_status stack_component(sf_interp *I, const sf_args *a, sf_tensor *const *e, int w, int64_t m, sf_tensor **out) {
  const sf_tensor *e0 = e[0];
  sf_shape bs = {.rank = e0->shape.rank + 1, .dims = {m}};
  *out = NULL;
  if (bs.rank > SF_MAX_RANK) return sf_arg_error(I, a, SF_ESHAPE, "batch(): elements of rank %d", e0->shape.rank);
  for (int d = 0; d < e0->shape.rank; d++) bs.dims[d + 1] = e0->shape.dims[d];
  for (int64_t j = 0; j < m; j++) {
    const sf_tensor *x = e[j * w];
    if (x->n != e0->n || x->dtype != e0->dtype)
      return sf_py_raise(I, a->call, BC_VALUEERR, "batch(): elements of different shapes or dtypes (seedflow has no padded_batch)");
  }
  if (!(*out = sf_tensor_new(e0->dtype, &bs, I->err))) return I->err->code;
  size_t sz = (size_t)e0->n * sf_dtype_size(e0->dtype);
  for (int64_t j = 0; j < m; j++) memcpy((char *)(*out)->data + (size_t)j * sz, e[j * w]->data, sz);
  return SF_OK;
}

/* The seeds a new iterator over shuffle stage s takes: with reshuffle_each_iteration the next
 * two words of the seed generator, else get_seed's pair. */
static void iterator_seeds(sf_interp *I, ds_stage *s, uint64_t *seed, uint64_t *seed2) {
  *seed = s->seed, *seed2 = s->seed2;
  if (!s->flag) return;
  ssa *g = &s->gen;
  if (I->opt.profile == SF_PROFILE_TF1) { /* the generator belongs to the iterator resource: */
    if (!s->it_live) ssa_init(&s->it_gen, s->seed, s->seed2); /* a repeat() inside it reshuffles */
    s->it_live = true;
    g = &s->it_gen;
  }
  *seed = ssa_next(g);
  *seed2 = ssa_next(g);
}

/* The elements of stage k for one new iterator (new references in out). */
static sf_status elements(sf_interp *I, const sf_args *a, int k, ds_list *out) {
  ds_stage *s = &I->tfdata->st[k];
  int w = s->w;
  sf_status st = SF_OK;
  switch (s->kind) {
    case DS_RANGE:
      for (int64_t v = s->start; st == SF_OK && (s->step > 0 ? v < s->stop : v > s->stop); v += s->step) {
        if (out->n >= MAX_ELEMENTS) return sf_arg_error(I, a, SF_ENOMEM, "dataset: more than %d elements", MAX_ELEMENTS);
        sf_tensor *t = sf_tensor_new(SF_INT64, &(sf_shape){0}, I->err);
        if (!t) return I->err->code;
        ((int64_t *)t->data)[0] = v;
        if (!push(out, t)) return sf_tensor_unref(t), oom(I);
      }
      return SF_OK;
    case DS_SLICES: /* row r of every component, in step */
      for (int64_t r = 0; r < s->comp[0]->shape.dims[0]; r++)
        for (int c = 0; c < w; c++) {
          sf_tensor *t = row_of(I, s->comp[c], r);
          if (!t) return I->err->code;
          if (!push(out, t)) return sf_tensor_unref(t), oom(I);
        }
      return SF_OK;
    case DS_REPEAT:
      for (int64_t e = 0; st == SF_OK && e < s->start; e++) st = elements(I, a, s->parent, out); /* a new iterator each epoch */
      return st;
    case DS_TAKE: case DS_SKIP: {
      ds_list in = {0};
      st = elements(I, a, s->parent, &in);
      for (int64_t i = 0; st == SF_OK && i < in.n / w; i++) {
        bool keep = s->kind == DS_TAKE ? (s->start < 0 || i < s->start) : i >= s->start;
        for (int c = 0; keep && st == SF_OK && c < w; c++)
          if (!push(out, sf_tensor_ref(in.e[i * w + c]))) st = oom(I);
      }
      list_free(&in);
      return st;
    }
    case DS_BATCH: {
      ds_list in = {0};
      st = elements(I, a, s->parent, &in);
      int64_t n = in.n / w;
      for (int64_t i = 0; st == SF_OK && i < n; i += s->start) {
        int64_t m = n - i < s->start ? n - i : s->start;
        if (m < s->start && s->flag) break;
        for (int c = 0; st == SF_OK && c < w; c++) {
          sf_tensor *t;
          st = stack_component(I, a, in.e + i * w + c, w, m, &t);
          if (st == SF_OK && !push(out, t)) sf_tensor_unref(t), st = oom(I);
        }
      }
      list_free(&in);
      return st;
    }
    case DS_MAP: { /* a new iterator instantiates the function: its kernels start at 0 */
      ds_list in = {0};
      st = elements(I, a, s->parent, &in);
      int win = I->tfdata->st[s->parent].w;
      sf_session sess;
      sf_session_init(&sess, s->fg, s->fg_index);
      int n = s->fg->n + 1, nt = 0;
      int *targets = calloc((size_t)n, sizeof *targets);
      sf_tensor **feeds = calloc((size_t)n, sizeof *feeds), **feeds0 = I->rt.feeds;
      int nfeeds0 = I->rt.nfeeds;
      if (st == SF_OK && (!targets || !feeds)) st = oom(I);
      for (int i = 0; st == SF_OK && i < s->fg->n; i++) { /* a function runs all its stateful ops */
        bool returned = false;
        for (int c = 0; c < w; c++) returned |= i + 1 == s->ret[c];
        if ((s->fg->nodes[i]->op->flags & SF_OPF_STATEFUL) && !returned) targets[nt++] = i + 1;
      }
      for (int64_t i = 0; st == SF_OK && i < in.n / win; i++) {
        sf_tensor *o[MAX_COMP] = {0};
        for (int c = 0; c < win; c++) feeds[1 + c] = in.e[i * win + c];
        I->rt.feeds = feeds;
        I->rt.nfeeds = n;
        st = sf_session_run(&sess, &I->rt, s->ret, w, targets, nt, o, I->tr, I->err);
        I->rt.feeds = feeds0;
        I->rt.nfeeds = nfeeds0;
        for (int c = 0; c < w; c++)
          if (st != SF_OK) sf_tensor_unref(o[c]);
          else if (!push(out, o[c])) sf_tensor_unref(o[c]), st = oom(I);
      }
      free(feeds);
      free(targets);
      sf_session_free(&sess);
      list_free(&in);
      return st;
    }
    case DS_SHUFFLE: {
      uint64_t seed, seed2;
      iterator_seeds(I, s, &seed, &seed2);
      ds_list in = {0};
      st = elements(I, a, s->parent, &in);
      int64_t B = s->start, next = 0, start = 0, end = 0, n = in.n / w;
      /* element indices; positions stay below n, so min(B, n) slots hold them */
      int64_t *buf = st == SF_OK ? calloc((size_t)(B < n ? B : n > 0 ? n : 1), sizeof *buf) : NULL;
      if (st == SF_OK && !buf) st = oom(I);
      ssa gen;
      ssa_init(&gen, seed, seed2);
      while (st == SF_OK) {
        while (end - start < B && next < n) buf[end++ % B] = next++;
        if (end == start) break;
        int64_t idx = (start + (int64_t)(ssa_next(&gen) % (uint32_t)(end - start))) % B;
        int64_t o = buf[idx];
        buf[idx] = buf[start % B];
        buf[start % B] = o;
        start++;
        for (int c = 0; st == SF_OK && c < w; c++)
          if (!push(out, sf_tensor_ref(in.e[o * w + c]))) st = oom(I);
      }
      free(buf);
      list_free(&in);
      return st;
    }
  }
  return SF_OK;
}

/* The elements of one new iterator resource over stage k (its tf1 seed generators fresh). */
static sf_status one_iterator(sf_interp *I, const sf_args *a, int k, ds_list *out) {
  for (int i = 0; i < I->tfdata->n; i++) I->tfdata->st[i].it_live = false;
  return elements(I, a, k, out);
}

static sf_status new_stage(sf_interp *I, const ds_stage *s, sf_val *out);

static int self_index(const sf_val *self) { return self->kind == V_INT ? (int)self->i : -1; }

static sf_status int_arg(sf_interp *I, const sf_args *a, const char *fname, const char *pname, const sf_val *v, int64_t *out) {
  if (v->kind == V_INT || v->kind == V_BOOL) return *out = v->kind == V_INT ? v->i : v->b, SF_OK;
  sf_tensor *t = sf_b_eager_value(I, v);
  if (t && t->n == 1 && !sf_dtype_is_float(t->dtype)) return *out = (int64_t)sf_tensor_get(t, 0), SF_OK;
  return sf_py_raise(I, a->call, BC_TYPEERR, "%s(): argument '%s' must be an int", fname, pname);
}

NATIVE(ds_shuffle) {
  sf_val v[4];
  sf_status st = sf_native_bind(I, a, "shuffle", "buffer_size seed reshuffle_each_iteration name", v, 4);
  ds_stage s = {.kind = DS_SHUFFLE, .parent = self_index(self), .flag = true};
  int64_t seed = 0;
  if (st == SF_OK && v[0].kind == V_NONE) st = sf_py_raise(I, a->call, BC_TYPEERR, "shuffle() missing 1 required positional argument: 'buffer_size'");
  if (st == SF_OK) st = int_arg(I, a, "shuffle", "buffer_size", &v[0], &s.start);
  if (st == SF_OK && s.start < 1)
    st = sf_arg_error(I, a, SF_EINVAL, "shuffle(): buffer_size must be at least 1 (seedflow does not model AUTOTUNE)");
  if (st == SF_OK && v[1].kind != V_NONE) st = int_arg(I, a, "shuffle", "seed", &v[1], &seed);
  if (st == SF_OK && v[2].kind != V_NONE) s.flag = sf_truthy(I, &v[2]);
  if (st != SF_OK) return st;
  sf_seed_pair seeds;
  sf_b_get_seed(I, v[1].kind != V_NONE, seed, &seeds);
  if (seeds.origin[1].kind == SF_SEED_NODE_ID && I->ctx.graph->opaque) /* as sf_b_random refuses it */
    return sf_arg_error(I, a, SF_ENAME, "unsupported: an unseeded shuffle after %s in a TF1 graph: its seed2 is the graph's op "
                        "count (graph._last_id), which counts ops seedflow does not build (give it a seed)", I->ctx.graph->opaque);
  s.seed = (uint64_t)seeds.seed[0];
  s.seed2 = (uint64_t)seeds.seed[1];
  s.os_entropy = seeds.seed[0] == 0 && seeds.seed[1] == 0;
  if (s.os_entropy) { /* the kernel (MakeDataset) seeds itself once: New64() twice */
    s.seed = sf_runtime_entropy(&I->rt);
    s.seed2 = sf_runtime_entropy(&I->rt);
    if ((st = sf_note_unseeded(I)) != SF_OK) return st;
  }
  ssa_init(&s.gen, s.seed, s.seed2);
  return new_stage(I, &s, out);
}

static sf_status count_stage(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out, ds_kind kind, const char *fname,
                             const char *params, int64_t dflt) {
  sf_val v[2];
  sf_status st = sf_native_bind(I, a, fname, params, v, 2);
  ds_stage s = {.kind = kind, .parent = self_index(self), .start = dflt};
  if (st == SF_OK && v[0].kind != V_NONE) st = int_arg(I, a, fname, "count", &v[0], &s.start);
  if (st != SF_OK) return st;
  if (kind == DS_REPEAT && s.start < 0)
    return sf_error_at(I->err, a->call ? a->call->line : I->line, a->call ? a->call->col : 1, SF_ENAME,
                       "unsupported: repeat() without a count (seedflow materialises datasets; give repeat(n))");
  return new_stage(I, &s, out);
}

NATIVE(ds_repeat) { return count_stage(I, self, a, out, DS_REPEAT, "repeat", "count name", -1); }
NATIVE(ds_take) { return count_stage(I, self, a, out, DS_TAKE, "take", "count name", -1); }
NATIVE(ds_skip) { return count_stage(I, self, a, out, DS_SKIP, "skip", "count name", 0); }

NATIVE(ds_batch) {
  sf_val v[4];
  sf_status st = sf_native_bind(I, a, "batch", "batch_size drop_remainder num_parallel_calls deterministic", v, 4);
  ds_stage s = {.kind = DS_BATCH, .parent = self_index(self)};
  if (st == SF_OK && v[0].kind == V_NONE) st = sf_py_raise(I, a->call, BC_TYPEERR, "batch() missing 1 required positional argument: 'batch_size'");
  if (st == SF_OK) st = int_arg(I, a, "batch", "batch_size", &v[0], &s.start);
  if (st == SF_OK && s.start < 1) st = sf_py_raise(I, a->call, BC_VALUEERR, "batch(): batch_size must be positive");
  if (st != SF_OK) return st;
  s.flag = v[1].kind != V_NONE && sf_truthy(I, &v[1]);
  return new_stage(I, &s, out);
}

/* prefetch and cache change no value or order. */
NATIVE(ds_same) {
  (void)a;
  return new_stage(I, &(ds_stage){.kind = DS_TAKE, .parent = self_index(self), .start = -1}, out);
}

/* The dtype and shape of component c of stage k's elements (a dimension of -1: not known). */
static void element_spec(const struct sf_tfdata *d, int k, int c, sf_dtype *dt, sf_shape *shape) {
  const ds_stage *s = &d->st[k];
  switch (s->kind) {
    case DS_RANGE: *dt = SF_INT64, *shape = (sf_shape){0}; return;
    case DS_SLICES: {
      const sf_tensor *t = s->comp[c];
      *dt = t->dtype;
      *shape = (sf_shape){.rank = t->shape.rank - 1};
      for (int i = 1; i < t->shape.rank; i++) shape->dims[i - 1] = t->shape.dims[i];
      return;
    }
    case DS_MAP: {
      const sf_node *r = s->fg->nodes[s->ret[c] - 1];
      *dt = r->dtype;
      *shape = r->shape_known ? r->shape : (sf_shape){0};
      return;
    }
    case DS_BATCH: {
      sf_shape in;
      element_spec(d, s->parent, c, dt, &in);
      *shape = (sf_shape){.rank = in.rank + 1, .dims = {s->flag ? s->start : -1}};
      for (int i = 0; i < in.rank && i + 1 < SF_MAX_RANK; i++) shape->dims[i + 1] = in.dims[i];
      return;
    }
    default: element_spec(d, s->parent, c, dt, shape); return;
  }
}

/* The items of a tuple or list (an API value or a Python object), or NULL. */
static const sf_val *seq_items(const sf_val *v, int64_t *n) {
  if (v->kind == V_TUPLE || v->kind == V_LIST) return *n = v->n, v->items;
  if (sf_is(v, O_TUPLE) || sf_is(v, O_LIST)) return *n = SF_LIST(v)->n, SF_LIST(v)->items;
  return NULL;
}

/* map(map_func): the function is traced once, into a FuncGraph of its own (structured
 * function wrapper, tf-api-semantics.md §2.3): its seed is the global seed at trace time
 * and its random ops get op seeds by that graph's rule (tf2: counter from 0; tf1: its
 * _last_id, the arguments' Placeholders counted). Each element is one call of it, so a
 * random op's kernel advances N*256 blocks per element and a new iterator starts again.
 * A tuple element is passed as positional arguments, one Placeholder args_i each
 * (structured_function.py _should_unpack); a returned list is taken as a tuple (_should_pack). */
NATIVE(ds_map) {
  sf_val v[3];
  sf_status st = sf_native_bind(I, a, "map", "map_func num_parallel_calls deterministic", v, 3);
  if (st == SF_OK && v[0].kind == V_NONE) st = sf_py_raise(I, a->call, BC_TYPEERR, "map() missing 1 required positional argument: 'map_func'");
  if (st != SF_OK) return st;
  ds_stage s = {.kind = DS_MAP, .parent = self_index(self)};
  const ds_stage *in = &I->tfdata->st[s.parent];
  int win = in->w;
  if (!(s.fg = sf_graph_new(true))) return oom(I);
  /* FuncGraph.__init__: seed = context.global_seed() when eager, else the outer graph's */
  s.fg->has_seed = I->ctx.eager ? I->es.has_global : I->ctx.graph->has_seed;
  s.fg->seed = I->ctx.eager ? I->es.global : I->ctx.graph->seed;
  s.fg_index = sf_context_new_graph_index(&I->ctx);
  if ((st = sf_context_enter_own_graph(&I->ctx, s.fg, I->err)) != SF_OK) return sf_graph_free(s.fg), st;
  sf_val x[MAX_COMP], r = sf_none();
  int nx = 0;
  for (; st == SF_OK && nx < win; nx++) {
    sf_dtype dt;
    sf_shape shape;
    element_spec(I->tfdata, s.parent, nx, &dt, &shape);
    sf_attr_value attrs[SF_B_ATTRS];
    sf_b_attrs("Placeholder", attrs);
    sf_b_attr_set("Placeholder", attrs, "slot", (sf_attr_value){.i = 1 + nx});
    sf_b_attr_set("Placeholder", attrs, "dtype", (sf_attr_value){.type = dt});
    sf_b_attr_set("Placeholder", attrs, "shape", (sf_attr_value){.shape = shape});
    char name[16];
    snprintf(name, sizeof name, "args_%d", nx);
    sf_node *arg;
    if ((st = sf_b_op(I, "Placeholder", name, NULL, 0, attrs, &arg)) == SF_OK) sf_b_tensor_val(I, arg->id, &x[nx]);
  }
  if (st == SF_OK) st = sf_py_call(I, &v[0], &(sf_args){.call = a->call, .pos = x, .npos = win}, &r);
  int64_t nr = 1;
  const sf_val *items = st == SF_OK ? seq_items(&r, &nr) : NULL;
  s.tuple = items != NULL;
  s.w = (int)(nr < 1 || nr > MAX_COMP ? 1 : nr);
  if (st == SF_OK && items && (nr < 1 || nr > MAX_COMP))
    st = sf_arg_error(I, a, SF_ENAME, "unsupported: a map function returning %lld values (seedflow takes 1 to %d)",
                      (long long)nr, MAX_COMP);
  for (int c = 0; st == SF_OK && c < s.w; c++) {
    const sf_val *rc = items ? &items[c] : &r;
    bool seq = items != NULL, list = seq && (rc->kind == V_LIST || sf_is(rc, O_LIST));
    sf_val conv;
    if (rc->kind != V_TENSOR && rc->kind != V_INT && rc->kind != V_FLOAT && rc->kind != V_BOOL && !list)
      st = sf_arg_error(I, a, SF_ENAME, "unsupported: a map function returning %s%s (seedflow maps to tensors or a tuple of them)",
                        seq ? "a tuple holding a " : "a ", sf_type_name(rc));
    else if ((st = sf_py_to_api(I, rc, &conv)) == SF_OK) /* a list in the tuple is one tensor (tf.data's nest) */
      st = sf_b_tensor(I, &conv, -1, "Const", a->call, &s.ret[c]);
  }
  sf_val_drop(&r);
  sf_context_leave(&I->ctx);
  if (st == SF_OK) st = sf_graph_validate(s.fg, I->err);
  if (st != SF_OK) return sf_graph_free(s.fg), st;
  return new_stage(I, &s, out);
}

/* One new iterator over dataset k: its elements as eager tensors (tuples of them for a dataset
 * of tuples), or as NumPy arrays and scalars. */
static sf_status iterate(sf_interp *I, const sf_args *a, int k, bool numpy, sf_val *out) {
  ds_list l = {0};
  sf_status st = one_iterator(I, a, k, &l);
  const ds_stage *s = &I->tfdata->st[k];
  int w = s->w;
  sf_val list = sf_none();
  /* in the eager frame each element's tensor is counted: the iterator's list holds it, and
   * it goes with the last handle (an epoch's elements are not kept for the run) */
  bool count = !numpy && sf_py_counting(I);
  if (st == SF_OK && !sf_list_new(O_LIST, l.n / w, &list)) st = oom(I);
  for (int64_t i = 0; st == SF_OK && i < l.n / w; i++) {
    sf_val *slot = &SF_LIST(&list)->items[i];
    if (s->tuple) {
      if (!sf_list_new(O_TUPLE, w, slot)) {
        st = oom(I);
        break;
      }
      slot = SF_LIST(slot)->items;
    }
    for (int c = 0; st == SF_OK && c < w; c++) {
      int id;
      if ((st = sf_b_const(I, l.e[i * w + c], "Const", &id)) != SF_OK) break;
      slot[c] = (sf_val){.kind = V_TENSOR, .g = I->E.g, .node = id, .numpy = numpy};
      if (numpy) { /* an array of its own (as_numpy_iterator), read-only: TF 2.5+ gives it on the
                    * tensor's memory (dataset_ops.py _NumpyIterator to_numpy: x._numpy(),
                    * setflags(write=False)), and the tf2 profiles model 2.6 to 2.9 and later */
        sf_graph_node(I->E.g, id)->host_array = true;
        sf_graph_node(I->E.g, id)->read_only = true;
      }
      sf_np_scalarize(I, &slot[c]);
      if (slot[c].kind == V_TENSOR && (count || (numpy && sf_py_counting(I))) && sf_eager_count(&I->E, id))
        slot[c].counted = true;
    }
  }
  list_free(&l);
  if (st == SF_OK) st = sf_py_iter(I, a->call, &list, out);
  sf_val_drop(&list);
  return st;
}

/* The stage of a Dataset value, or -1. */
static int stage_of(sf_interp *I, const sf_val *v) {
  struct sf_tfdata *d = I->tfdata;
  if (!d || !sf_is(v, O_INST) || ((sf_inst *)v->o)->cls != d->cls) return -1;
  const sf_val *k = sf_dict_get_str(((sf_inst *)v->o)->attrs, "__stage__");
  return k && k->kind == V_INT ? (int)k->i : -1;
}

bool sf_tfdata_is_dataset(sf_interp *I, const sf_val *v) { return stage_of(I, v) >= 0; }

sf_status sf_tfdata_elements(sf_interp *I, const sf_args *a, const sf_val *ds, sf_tensor ***tensors, int64_t *n, int *w,
                             bool *tuple) {
  int k = stage_of(I, ds);
  if (k < 0) return sf_arg_error(I, a, SF_ETYPE, "not a tf.data.Dataset: %s", sf_type_name(ds));
  ds_list l = {0};
  sf_status st = one_iterator(I, a, k, &l);
  if (st != SF_OK) return list_free(&l), st;
  *w = I->tfdata->st[k].w;
  *tuple = I->tfdata->st[k].tuple;
  *n = l.n / *w;
  *tensors = l.e; /* the caller's now */
  return SF_OK;
}

void sf_tfdata_make_iterator(sf_interp *I, const sf_val *ds) {
  /* what iter(dataset) does before any element is asked for: each stage's iterator makes
   * its input's (the first repetition's only; none under take(0) or repeat(0)), and a
   * shuffle takes its seeds */
  for (int i = 0; I->tfdata && i < I->tfdata->n; i++) I->tfdata->st[i].it_live = false; /* a new iterator resource */
  for (int k = stage_of(I, ds); k >= 0;) {
    ds_stage *s = &I->tfdata->st[k];
    uint64_t seed, seed2;
    if ((s->kind == DS_TAKE || s->kind == DS_REPEAT) && s->start == 0) break;
    if (s->kind == DS_SHUFFLE) iterator_seeds(I, s, &seed, &seed2);
    k = s->kind == DS_RANGE || s->kind == DS_SLICES ? -1 : s->parent;
  }
}

NATIVE(ds_iter) {
  /* inside a tf.function (the program's one call in function mode too) AutoGraph turns the
   * loop into the dataset's own reduce loop (autograph's dataset for-loop); a TF1 graph
   * raises dataset_ops.py's RuntimeError */
  if (!I->ctx.eager && (I->ctx.frames[I->ctx.depth - 1].kind == SF_CTX_FUNCTION || I->autograph > 0))
    return sf_arg_error(I, a, SF_ENAME, "unsupported: iterating over a tf.data.Dataset inside a tf.function (AutoGraph "
                        "turns the loop into a loop of the dataset's own; seedflow does not model it)");
  if (!I->ctx.eager)
    return sf_py_raise(I, a->call, BC_RUNTIME,
                       "__iter__() is only supported inside of tf.function or when eager execution is enabled.");
  return iterate(I, a, self_index(self), false, out);
}

/* dataset.as_numpy_iterator() (dataset_ops.py, TF 2.1+): the elements as NumPy values. */
NATIVE(ds_as_numpy) {
  if (a->npos || a->nkw) return sf_arg_error(I, a, SF_ETYPE, "as_numpy_iterator() takes no arguments");
  if (I->opt.profile == SF_PROFILE_TF1)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: Dataset.as_numpy_iterator() under profile tf1 (TF 1.x to 2.1): "
                        "TensorFlow added it in 2.1 (use --tf 2.2 or later)");
  if (!I->ctx.eager)
    return sf_py_raise(I, a->call, BC_RUNTIME, "`tf.data.Dataset.as_numpy_iterator()` is only supported in eager mode.");
  return iterate(I, a, self_index(self), true, out);
}

/* ---- TF1 iteration: make_one_shot_iterator().get_next() ---- */

static sf_class *new_class(sf_interp *I, const char *name, sf_builtin_class base) {
  sf_class *c = sf_obj_alloc(O_CLASS, sizeof *c);
  if (!c || !(c->attrs = sf_dict_alloc(O_DICT))) return free(c), NULL;
  c->name = name;
  c->partial = true;
  c->base = I->py->cls[base];
  c->base->h.rc++;
  c->exception = c->base->exception;
  return c;
}

/* tf.errors.OutOfRangeError as a value (the class `except` names). */
bool sf_tfdata_constant(sf_interp *I, const char *path, sf_val *out, sf_status *st) {
  const char *name = strncmp(path, "tf.compat.v1.", 13) == 0 ? path + 13 : strncmp(path, "tf.", 3) == 0 ? path + 3 : "";
  if (strcmp(name, "errors.OutOfRangeError") != 0) return false;
  struct sf_tfdata *d = state(I);
  if (d && !d->out_of_range) d->out_of_range = new_class(I, "OutOfRangeError", BC_EXCEPTION);
  if (!d || !d->out_of_range) return *st = oom(I), true;
  *out = sf_obj_val(d->out_of_range);
  d->out_of_range->h.rc++;
  *st = SF_OK;
  return true;
}

/* An iterator past its end: TF raises OutOfRangeError (iterator_ops.cc "End of sequence").
 * Turns the IteratorGetNext kernel's error of a run into that Python exception. */
sf_status sf_tfdata_run_error(sf_interp *I, const sf_expr *at, sf_status st) {
  if (st == SF_OK || !strstr(I->err->msg, "End of sequence")) return st;
  sf_val cls;
  if (!sf_tfdata_constant(I, "tf.errors.OutOfRangeError", &cls, &st) || st != SF_OK) return st;
  memset(I->err, 0, sizeof *I->err);
  st = sf_py_raise_class(I, at, (sf_class *)cls.o, "End of sequence");
  sf_val_drop(&cls);
  return st;
}

/* The elements of one new iterator over stage k stacked along a new axis 0. */
static sf_status stacked(sf_interp *I, const sf_args *a, int k, sf_tensor **out) {
  ds_list l = {0};
  sf_status st = one_iterator(I, a, k, &l);
  sf_dtype dt;
  sf_shape es;
  element_spec(I->tfdata, k, 0, &dt, &es);
  if (st == SF_OK && l.n) es = l.e[0]->shape, dt = l.e[0]->dtype;
  if (st == SF_OK && es.rank + 1 > SF_MAX_RANK) st = sf_arg_error(I, a, SF_ESHAPE, "get_next(): elements of rank %d", es.rank);
  for (int d = 0; st == SF_OK && d < es.rank; d++)
    if (es.dims[d] < 0) es.dims[d] = 0;
  sf_shape s = {.rank = es.rank + 1, .dims = {l.n}};
  for (int d = 0; d < es.rank && d + 1 < SF_MAX_RANK; d++) s.dims[d + 1] = es.dims[d];
  *out = NULL;
  if (st == SF_OK && !(*out = sf_tensor_new(dt, &s, I->err))) st = I->err->code;
  size_t sz = sf_dtype_size(dt);
  for (int64_t i = 0; st == SF_OK && i < l.n; i++) {
    if (!sf_shape_equal(&l.e[i]->shape, &es) || l.e[i]->dtype != dt)
      st = sf_arg_error(I, a, SF_ENAME, "unsupported: get_next() over elements of different shapes (a partial last batch: "
                                        "seedflow stacks the elements)");
    else memcpy((char *)(*out)->data + (size_t)(i * l.e[0]->n) * sz, l.e[i]->data, (size_t)l.e[i]->n * sz);
  }
  if (st != SF_OK) sf_tensor_unref(*out), *out = NULL;
  list_free(&l);
  return st;
}

/* iterator.get_next(): graph mode, an IteratorGetNext node on the iterator (a second
 * get_next() shares the first one's kernel: one position); eager (TF2's OwnedIterator),
 * the next element now. */
NATIVE(it_get_next) {
  sf_val v[1];
  sf_status st = sf_native_bind(I, a, "get_next", "name", v, 1);
  if (st != SF_OK) return st;
  one_shot_it *it = &I->tfdata->it[self->i];
  if (it->rows) {
    int64_t rows = it->rows->shape.dims[0];
    if (it->next >= rows) return sf_tfdata_run_error(I, a->call, sf_error_set(I->err, SF_EINVAL, "End of sequence"));
    sf_shape s = {.rank = it->rows->shape.rank - 1};
    for (int d = 1; d < it->rows->shape.rank; d++) s.dims[d - 1] = it->rows->shape.dims[d];
    sf_tensor *t = sf_tensor_new(it->rows->dtype, &s, I->err);
    if (!t) return I->err->code;
    size_t row = (size_t)t->n * sf_dtype_size(t->dtype);
    memcpy(t->data, (const char *)it->rows->data + (size_t)it->next++ * row, row);
    int id;
    st = sf_b_const(I, t, "IteratorGetNext", &id);
    sf_tensor_unref(t);
    if (st == SF_OK) sf_b_tensor_val(I, id, out);
    return st;
  }
  if (I->ctx.graph != it->g)
    return sf_py_raise(I, a->call, BC_VALUEERR, "get_next(): the iterator belongs to another graph");
  sf_node *n;
  if ((st = sf_b_op(I, "IteratorGetNext", "IteratorGetNext", &it->node, 1, NULL, &n)) != SF_OK) return st;
  if (it->get_next) n->kernel_of = it->get_next;
  else it->get_next = n->id;
  sf_b_tensor_val(I, n->id, out);
  return SF_OK;
}

/* make_one_shot_iterator (iterator_ops.py Iterator from _make_one_shot_iterator): the
 * elements are those of one new iterator, materialised now; a OneShotIterator node in
 * a graph. The dataset's own ops (TensorSliceDataset, ShuffleDataset and their Consts)
 * are not in seedflow's graph. */
static sf_status one_shot(sf_interp *I, const sf_args *a, int k, sf_val *out) {
  struct sf_tfdata *d = I->tfdata;
  if (!sf_grow((void **)&d->it, &d->capit, d->nit + 1, sizeof *d->it)) return oom(I);
  if (!d->iter_cls && !(d->iter_cls = new_class(I, "Iterator", BC_OBJECT))) return oom(I);
  sf_tensor *rows;
  sf_status st = stacked(I, a, k, &rows);
  if (st != SF_OK) return st;
  one_shot_it it = {.g = I->ctx.graph};
  if (I->ctx.eager) {
    it.rows = rows;
  } else {
    sf_node *n;
    if ((st = sf_b_op(I, "OneShotIterator", "OneShotIterator", NULL, 0, NULL, &n)) != SF_OK) return sf_tensor_unref(rows), st;
    n->value = rows; /* the node owns it; its shape function reads it */
    n->dtype = rows->dtype;
    n->shape = rows->shape;
    it.node = n->id;
  }
  int idx = d->nit++;
  d->it[idx] = it;
  sf_inst *x = sf_obj_alloc(O_INST, sizeof *x);
  if (!x || !(x->attrs = sf_dict_alloc(O_DICT))) return free(x), oom(I);
  x->cls = d->iter_cls;
  d->iter_cls->h.rc++;
  *out = sf_obj_val(x);
  sf_val self = sf_int(idx);
  if (!sf_py_def_native(x->attrs, "get_next", it_get_next, &self)) return sf_val_drop(out), oom(I);
  return SF_OK;
}

/* dataset.make_one_shot_iterator(): DatasetV1's method, which TF 1.x refuses eagerly. */
NATIVE(ds_one_shot) {
  if (a->npos || a->nkw) return sf_arg_error(I, a, SF_ETYPE, "make_one_shot_iterator() takes no arguments");
  if (I->ctx.eager)
    return sf_py_raise(I, a->call, BC_RUNTIME,
                       "dataset.make_one_shot_iterator is not supported when eager execution is enabled. Use `for element "
                       "in dataset` instead.");
  if (I->tfdata->st[self_index(self)].tuple)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: make_one_shot_iterator() over a dataset of tuples");
  return one_shot(I, a, self_index(self), out);
}

static sf_status new_stage(sf_interp *I, const ds_stage *s, sf_val *out) {
  struct sf_tfdata *d = state(I);
  if (!d) return oom(I);
  /* In a graph TensorFlow builds the dataset's ops (TensorSliceDataset, ShuffleDataset and
   * their Consts) as it is made; seedflow materialises datasets instead, so the graph's op
   * count (TF1's op seeds) is short from here on. */
  if (!I->ctx.eager && !I->ctx.graph->opaque) I->ctx.graph->opaque = "a tf.data dataset";
  if (!sf_grow((void **)&d->st, &d->cap, d->n + 1, sizeof *d->st)) return oom(I);
  if (!d->cls) {
    d->cls = sf_obj_alloc(O_CLASS, sizeof *d->cls);
    if (!d->cls || !(d->cls->attrs = sf_dict_alloc(O_DICT))) return oom(I);
    d->cls->name = "DatasetV2";
    d->cls->partial = true;
    d->cls->base = I->py->cls[BC_OBJECT];
    d->cls->base->h.rc++;
  }
  int k = d->n++;
  d->st[k] = *s;
  if (s->kind != DS_RANGE && s->kind != DS_SLICES && s->kind != DS_MAP) { /* the parent's elements */
    d->st[k].w = d->st[s->parent].w;
    d->st[k].tuple = d->st[s->parent].tuple;
  }
  if (s->kind == DS_RANGE) d->st[k].w = 1;
  sf_inst *x = sf_obj_alloc(O_INST, sizeof *x);
  if (!x || !(x->attrs = sf_dict_alloc(O_DICT))) return free(x), oom(I);
  x->cls = d->cls;
  d->cls->h.rc++;
  *out = sf_obj_val(x);
  static const struct {
    const char *name;
    sf_native_fn fn;
  } methods[] = {{"shuffle", ds_shuffle}, {"repeat", ds_repeat}, {"batch", ds_batch}, {"take", ds_take},
                 {"skip", ds_skip},       {"prefetch", ds_same},  {"cache", ds_same},  {"map", ds_map},
                 {"__iter__", ds_iter},   {"make_one_shot_iterator", ds_one_shot}, {"as_numpy_iterator", ds_as_numpy}};
  sf_val idx = sf_int(k);
  if (!sf_dict_set_str(x->attrs, "__stage__", &idx)) return sf_val_drop(out), oom(I);
  for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
    if (!sf_py_def_native(x->attrs, methods[i].name, methods[i].fn, &idx)) return sf_val_drop(out), oom(I);
  /* map traces its function into a FuncGraph of its own (an eager tensor the function uses
   * enters it as a constant holding the value) and keeps neither it nor its tensors: its
   * call is no reason to stop releasing (lang/eval.c pin_call) */
  ((sf_native *)sf_dict_get_str(x->attrs, "map")->o)->keeps_none = true;
  return SF_OK;
}

/* ---- constructors (flat API functions) ---- */

/* Dataset.range(stop) / range(start, stop[, step]) */
static sf_status api_ds_range(sf_interp *I, const sf_args *a, sf_val *out) {
  int64_t v[3] = {0, 0, 1};
  if (a->npos < 1 || a->npos > 3 || a->nkw) return sf_arg_error(I, a, SF_ETYPE, "Dataset.range() takes 1 to 3 int arguments");
  for (int i = 0; i < a->npos; i++) {
    sf_status st = sf_arg_int(I, a, "Dataset.range", "args", &a->pos[i], &v[a->npos == 1 ? 1 : i]);
    if (st != SF_OK) return st;
  }
  if (v[2] == 0) return sf_arg_error(I, a, SF_EINVAL, "Dataset.range(): step must not be 0");
  sf_status st = new_stage(I, &(ds_stage){.kind = DS_RANGE, .start = v[0], .stop = v[1], .step = v[2]}, out);
  if (st == SF_OK) out->o->rc--; /* borrowed: sf_py_from_api takes its own reference */
  return st;
}

/* from_tensor_slices((x, y, ...)): every component's rows, in step (dataset_ops.py
 * TensorSliceDataset: all components must have the same first dimension). */
static sf_status slices_of_tuple(sf_interp *I, const sf_args *a, sf_val *out) {
  const sf_val *tup = &a->pos[0];
  if (tup->n < 1 || tup->n > MAX_COMP)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: from_tensor_slices of a tuple of %d components (seedflow takes 1 to %d)",
                        tup->n, MAX_COMP);
  ds_stage s = {.kind = DS_SLICES, .w = tup->n, .tuple = true};
  sf_status st = SF_OK;
  for (int c = 0; st == SF_OK && c < tup->n; c++) {
    const sf_val *v = &tup->items[c];
    if (v->kind == V_TENSOR && v->g != I->E.g) {
      st = sf_arg_error(I, a, SF_ENAME, "unsupported: tf.data over a graph tensor (seedflow runs datasets in eager mode)");
      break;
    }
    int id;
    if ((st = sf_context_enter_eager(&I->ctx, I->err)) != SF_OK) break;
    st = sf_b_tensor(I, v, -1, "tensors", a->call, &id);
    sf_context_leave(&I->ctx);
    if (st != SF_OK) break;
    sf_tensor *t = sf_eager_value(&I->E, id);
    if (t->shape.rank < 1) st = sf_arg_error(I, a, SF_ESHAPE, "from_tensor_slices(): a scalar has no slices");
    else if (c && t->shape.dims[0] != s.comp[0]->shape.dims[0])
      st = sf_py_raise(I, a->call, BC_VALUEERR, "Dimensions %lld and %lld are not compatible",
                       (long long)s.comp[0]->shape.dims[0], (long long)t->shape.dims[0]);
    else s.comp[c] = sf_tensor_ref(t);
  }
  if (st != SF_OK) {
    for (int c = 0; c < s.w; c++) sf_tensor_unref(s.comp[c]);
    return st;
  }
  st = new_stage(I, &s, out);
  if (st == SF_OK) out->o->rc--;
  return st;
}

static sf_status api_ds_slices(sf_interp *I, const sf_args *a, sf_val *out) {
  if (a->npos != 1 || a->nkw) return sf_arg_error(I, a, SF_ETYPE, "from_tensor_slices() takes one tensor");
  if (a->pos[0].kind == V_OBJ)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: from_tensor_slices of a %s (seedflow slices a tensor or a tuple of them)",
                        sf_type_name(&a->pos[0]));
  if (a->pos[0].kind == V_TENSOR && a->pos[0].g != I->E.g)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: tf.data over a graph tensor (seedflow runs datasets in eager mode)");
  if (a->pos[0].kind == V_TUPLE) return slices_of_tuple(I, a, out);
  int id;
  sf_status st = sf_context_enter_eager(&I->ctx, I->err);
  if (st != SF_OK) return st;
  st = sf_b_tensor(I, &a->pos[0], -1, "tensors", a->call, &id);
  sf_context_leave(&I->ctx);
  if (st != SF_OK) return st;
  sf_tensor *t = sf_eager_value(&I->E, id);
  if (t->shape.rank < 1) return sf_arg_error(I, a, SF_ESHAPE, "from_tensor_slices(): a scalar has no slices");
  st = new_stage(I, &(ds_stage){.kind = DS_SLICES, .w = 1, .comp = {sf_tensor_ref(t)}}, out);
  if (st == SF_OK) out->o->rc--;
  return st;
}

/* tf.range(limit) / range(start, limit, delta, dtype=None) */
static sf_status api_range(sf_interp *I, const sf_args *a, sf_val *out) {
  sf_val v[5];
  bool given[5];
  sf_status st = sf_bind(I, "range", a, "start limit delta dtype name", v, given);
  if (st != SF_OK) return st;
  if (!given[1]) {
    v[1] = v[0];
    v[0] = (sf_val){.kind = V_INT, .i = 0};
  }
  bool is_float = false;
  double x[3] = {0, 0, 1};
  for (int i = 0; i < 3; i++) {
    if (i == 2 && v[2].kind == V_NONE) continue;
    const char *pname = i == 0 ? "start" : i == 1 ? "limit" : "delta";
    if (v[i].kind == V_TENSOR) { /* a one-element tensor with a value now (eager, or a graph constant) */
      sf_tensor *t = sf_b_host_value(I, &v[i]);
      if (!t || t->n != 1)
        return sf_arg_error(I, a, SF_ENAME, "unsupported: tf.range(%s=<a tensor known only when the graph runs>)", pname);
      v[i] = sf_dtype_is_float(t->dtype) ? (sf_val){.kind = V_FLOAT, .f = sf_tensor_get(t, 0)}
                                         : (sf_val){.kind = V_INT, .i = sf_tensor_get_i64(t, 0)};
    }
    if ((st = sf_arg_float(I, a, "range", pname, &v[i], &x[i])) != SF_OK) return st;
    is_float |= v[i].kind == V_FLOAT;
  }
  sf_dtype dt;
  if ((st = sf_arg_dtype(I, a, "range", &v[3], is_float ? SF_FLOAT32 : SF_INT32, &dt)) != SF_OK) return st;
  if (x[2] == 0) return sf_arg_error(I, a, SF_EINVAL, "range(): delta must not be 0");
  double len = (x[1] - x[0]) / x[2];
  int64_t n = len > 0 ? (int64_t)len + ((double)(int64_t)len < len) : 0;
  if (n > MAX_ELEMENTS) return sf_arg_error(I, a, SF_ENOMEM, "range(): %lld elements", (long long)n);
  sf_tensor *t = sf_tensor_new(dt, &(sf_shape){.rank = 1, .dims = {n}}, I->err);
  if (!t) return sf_arg_error(I, a, I->err->code, "range(): %s", I->err->msg);
  for (int64_t i = 0; i < n; i++) {
    if (dt == SF_INT64) ((int64_t *)t->data)[i] = (int64_t)x[0] + i * (int64_t)x[2];
    else sf_tensor_set(t, i, x[0] + (double)i * x[2]);
  }
  int id;
  st = sf_b_const(I, t, "range", &id);
  sf_tensor_unref(t);
  if (st == SF_OK) sf_b_tensor_val(I, id, out);
  return st;
}

/* tf.compat.v1.data.make_one_shot_iterator(dataset): in eager mode TF2's OwnedIterator. */
static sf_status api_make_one_shot(sf_interp *I, const sf_args *a, sf_val *out) {
  if (a->npos != 1 || a->nkw) return sf_arg_error(I, a, SF_ETYPE, "make_one_shot_iterator() takes one dataset");
  int k = stage_of(I, &a->pos[0]);
  if (k < 0)
    return sf_py_raise(I, a->call, BC_TYPEERR, "make_one_shot_iterator() needs a tf.data.Dataset, got %s", sf_type_name(&a->pos[0]));
  sf_status st = one_shot(I, a, k, out);
  if (st == SF_OK) out->o->rc--; /* borrowed: sf_py_from_api takes its own reference */
  return st;
}

static const struct {
  const char *path;
  sf_builtin_fn fn;
} api[] = {
    {"tf.compat.v1.data.make_one_shot_iterator", api_make_one_shot},
    {"tf.data.make_one_shot_iterator", api_make_one_shot},
    {"tf.data.Dataset.range", api_ds_range},
    {"tf.data.Dataset.from_tensor_slices", api_ds_slices},
    {"tf.compat.v1.data.Dataset.range", api_ds_range},
    {"tf.compat.v1.data.Dataset.from_tensor_slices", api_ds_slices},
    {"tf.range", api_range},
};

sf_builtin_fn sf_tfdata_lookup(const char *path) {
  for (size_t i = 0; i < sizeof api / sizeof *api; i++)
    if (strcmp(api[i].path, path) == 0) return api[i].fn;
  return sf_tftensor_lookup(path);
}
