/* mod_tf_session.c — TF1 graphs and Sessions: tf.Graph, as_default, get_default_graph,
 * reset_default_graph, tf.Session / InteractiveSession and their run/close/with,
 * Tensor.eval, Operation.run, tf.placeholder and feed_dict.
 *
 * TF's rule (tf-api-semantics.md §1.1): every Session builds its own kernel for every node
 * it runs, so a random op re-run in one Session continues its stream and a new Session on
 * the same graph starts it afresh; one sess.run executes each needed node once, however
 * often it is listed. Here a Session owns one engine sf_session (per-node kernel states).
 *
 * What a Session means in each mode (README "Sessions in every mode"):
 *   graph     the TF1 reading: the program's graph, one kernel per node per Session;
 *   function  the program is one FuncGraph (op seeds by TF2's counter rule), and each
 *             sess.run is one call of it whose kernels live as long as the Session;
 *   eager     the migrated TF2 program: ops ran when created, sess.run(t) is t's value.
 *
 * Sessions and graphs are Python objects (modules of native methods, as random.Random is);
 * this file keeps the engine objects behind them and frees them at the end of the run. */
#include "interp.h"
#include "py.h"

#include <stdlib.h>
#include <string.h>

#define PY(I) ((I)->py)

sf_status sf_py_to_api(sf_interp *I, const sf_val *v, sf_val *out); /* eval.c */
#define NATIVE(name) static sf_status name(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out)

typedef struct tf1_session {
  sf_session s;
  sf_graph *g;              /* NULL: an eager session (its fetches are eager values) */
  bool closed;
  sf_val obj;               /* the Python object (one reference) */
} tf1_session;

typedef struct tf1_graph {
  sf_graph *g;
  bool owned;               /* created here (tf.Graph(), a replaced default graph) */
  sf_val obj;               /* the Python object, V_NONE until asked for */
} tf1_graph;

typedef struct tf1_frame {  /* an entered as_default(): what it replaced */
  sf_graph *cur;
  bool eager;
} tf1_frame;

typedef struct sf_tf1 {
  tf1_session **sess;
  int nsess, capsess;
  tf1_graph *graphs;
  int ngraphs, capgraphs;
  int *defaults;            /* the default-session stack (session indices) */
  int ndefaults, capdefaults;
  tf1_frame *frames;        /* the default-graph stack */
  int nframes, capframes;
  bool reading_noted;       /* the note on how this mode reads a Session is in the trace */
} sf_tf1;

static sf_tf1 *state(sf_interp *I) {
  if (!I->tf1) I->tf1 = calloc(1, sizeof *I->tf1);
  return I->tf1;
}

void sf_tf1_free(sf_interp *I) {
  sf_tf1 *t = I->tf1;
  if (!t) return;
  for (int i = 0; i < t->nsess; i++) {
    if (t->sess[i]->g) sf_session_free(&t->sess[i]->s);
    sf_val_drop(&t->sess[i]->obj);
    free(t->sess[i]);
  }
  for (int i = 0; i < t->ngraphs; i++) {
    sf_val_drop(&t->graphs[i].obj);
    if (t->graphs[i].owned) sf_graph_free(t->graphs[i].g);
  }
  free(t->sess);
  free(t->graphs);
  free(t->defaults);
  free(t->frames);
  free(t);
  I->tf1 = NULL;
}

static sf_status oom(sf_interp *I) { return sf_py_oom(I); }

/* Gives an engine error from a kernel or a pass the location of the call. */
static sf_status at_call(sf_interp *I, const sf_args *a, sf_status st) {
  st = sf_tfdata_run_error(I, a ? a->call : NULL, st); /* an iterator's end: OutOfRangeError */
  if (st != SF_OK && I->err->line == 0 && a && a->call) {
    I->err->line = a->call->line;
    I->err->col = a->call->col;
  }
  return st;
}

/* ---- graphs ---- */

static int graph_index(sf_interp *I, sf_graph *g, bool owned) {
  sf_tf1 *t = state(I);
  if (!t) return -1;
  for (int i = 0; i < t->ngraphs; i++)
    if (t->graphs[i].g == g) return i;
  if (!sf_grow((void **)&t->graphs, &t->capgraphs, t->ngraphs + 1, sizeof *t->graphs)) return -1;
  t->graphs[t->ngraphs] = (tf1_graph){.g = g, .owned = owned, .obj = sf_none()};
  return t->ngraphs++;
}

/* The graph new ops go to; in eager mode with no graph entered, NULL. */
static sf_graph *default_graph(sf_interp *I) { return I->ctx.eager ? NULL : I->ctx.graph; }

static sf_status graph_object(sf_interp *I, int gi, sf_val *out);

static sf_status enter_graph(sf_interp *I, sf_graph *g) {
  sf_tf1 *t = state(I);
  if (!t || !sf_grow((void **)&t->frames, &t->capframes, t->nframes + 1, sizeof *t->frames)) return oom(I);
  sf_status st = sf_context_enter_graph(&I->ctx, g, I->err);
  if (st == SF_OK) t->frames[t->nframes++] = (tf1_frame){g, false};
  return st;
}

static void leave_graph(sf_interp *I) {
  sf_tf1 *t = I->tf1;
  if (!t || !t->nframes) return;
  t->nframes--;
  sf_context_leave(&I->ctx);
}

static int int_self(const sf_val *self) { return self && self->kind == V_INT ? (int)self->i : -1; }

NATIVE(graph_cm_enter) {
  (void)a;
  int gi = int_self(self);
  sf_status st = enter_graph(I, I->tf1->graphs[gi].g);
  return st == SF_OK ? graph_object(I, gi, out) : st;
}

NATIVE(graph_cm_exit) {
  (void)self;
  (void)a;
  leave_graph(I);
  *out = sf_bool(false);
  return SF_OK;
}

/* A context-manager object whose __enter__/__exit__ are the given natives. */
static sf_status context_manager(sf_interp *I, const char *name, sf_native_fn enter, sf_native_fn exit_, const sf_val *self,
                                 sf_val *out) {
  sf_module *m = sf_obj_alloc(O_MODULE, sizeof *m);
  if (!m || !(m->attrs = sf_dict_alloc(O_DICT))) return free(m), oom(I);
  m->name = name;
  *out = sf_obj_val(m);
  if (!sf_py_def_native(m->attrs, "__enter__", enter, self) || !sf_py_def_native(m->attrs, "__exit__", exit_, self))
    return sf_val_drop(out), oom(I);
  return SF_OK;
}

NATIVE(graph_as_default) {
  (void)a;
  return context_manager(I, "tf.Graph.as_default", graph_cm_enter, graph_cm_exit, self, out);
}

static sf_status graph_object(sf_interp *I, int gi, sf_val *out) {
  tf1_graph *tg = &I->tf1->graphs[gi];
  if (tg->obj.kind == V_NONE) {
    sf_module *m = sf_obj_alloc(O_MODULE, sizeof *m);
    if (!m || !(m->attrs = sf_dict_alloc(O_DICT))) return free(m), oom(I);
    m->name = "tf.Graph";
    tg->obj = sf_obj_val(m);
    sf_val idx = sf_int(gi);
    if (!sf_py_def_native(m->attrs, "as_default", graph_as_default, &idx)) return oom(I);
  }
  *out = tg->obj;
  sf_val_ref(out);
  return SF_OK;
}

/* The flat API returns borrowed objects (sf_py_from_api takes its own reference). */
static sf_status borrowed(sf_val *v) {
  if (v->kind == V_OBJ) v->o->rc--;
  return SF_OK;
}

static sf_status api_graph(sf_interp *I, const sf_args *a, sf_val *out) {
  if (a->npos || a->nkw) return sf_arg_error(I, a, SF_ETYPE, "Graph() takes no arguments");
  sf_graph *g = sf_graph_new(false);
  if (!g) return oom(I);
  int gi = graph_index(I, g, true);
  if (gi < 0) return sf_graph_free(g), oom(I);
  sf_status st = graph_object(I, gi, out);
  return st == SF_OK ? borrowed(out) : st;
}

/* An empty graph stands for TF2's global default graph when no graph was ever made. */
static sf_status api_get_default_graph(sf_interp *I, const sf_args *a, sf_val *out) {
  if (a->npos || a->nkw) return sf_arg_error(I, a, SF_ETYPE, "get_default_graph() takes no arguments");
  sf_graph *g = default_graph(I);
  int gi = -1;
  if (!g) {
    sf_tf1 *t = state(I);
    for (int i = 0; t && i < t->ngraphs && gi < 0; i++)
      if (t->graphs[i].owned && t->graphs[i].g->n == 0) gi = i;
    if (gi < 0 && (g = sf_graph_new(false)) == NULL) return oom(I);
  }
  if (gi < 0) gi = graph_index(I, g, !default_graph(I));
  if (gi < 0) return oom(I);
  sf_status st = graph_object(I, gi, out);
  return st == SF_OK ? borrowed(out) : st;
}

/* reset_default_graph: a new Graph replaces the program's graph (ids restart at 1, no
 * seed); the old one lives on for the tensors and sessions that still use it. */
static sf_status api_reset_default_graph(sf_interp *I, const sf_args *a, sf_val *out) {
  out->kind = V_NONE;
  if (a->npos || a->nkw) return sf_arg_error(I, a, SF_ETYPE, "reset_default_graph() takes no arguments");
  sf_tf1 *t = state(I);
  if (!t) return oom(I);
  if (t->nframes)
    return sf_arg_error(I, a, SF_EINVAL, "reset_default_graph(): do not use it inside a `with graph.as_default()` block");
  if (I->opt.profile != SF_PROFILE_KERAS3) sf_keras_reset_uids(I, false); /* a new default graph: Keras 2's names anew */
  if (!I->main || I->ctx.graph != I->main) return SF_OK; /* eager: the eager context has no graph to reset */
  sf_graph *g = sf_graph_new(I->main->is_function);
  int gi = g ? graph_index(I, I->main, true) : -1;
  if (gi < 0) return sf_graph_free(g), oom(I);
  t->graphs[gi].owned = true; /* it may have been registered by a Session before */
  sf_session_free(&I->sess);
  sf_context_leave(&I->ctx); /* the main graph's frame gives way to the new graph's */
  I->main = g;
  sf_session_init(&I->sess, g, 0);
  I->ninits = 0;
  return sf_context_enter_graph(&I->ctx, g, I->err);
}

/* ---- sessions ---- */

static tf1_session *session_of(sf_interp *I, const sf_val *self) {
  int k = int_self(self);
  return I->tf1 && k >= 0 && k < I->tf1->nsess ? I->tf1->sess[k] : NULL;
}

static sf_status push_default(sf_interp *I, int k) {
  sf_tf1 *t = state(I);
  if (!t || !sf_grow((void **)&t->defaults, &t->capdefaults, t->ndefaults + 1, sizeof *t->defaults)) return oom(I);
  t->defaults[t->ndefaults++] = k;
  return SF_OK;
}

static void pop_default(sf_interp *I, int k) {
  sf_tf1 *t = I->tf1;
  for (int i = t->ndefaults - 1; i >= 0; i--)
    if (t->defaults[i] == k) {
      memmove(&t->defaults[i], &t->defaults[i + 1], (size_t)(t->ndefaults - i - 1) * sizeof *t->defaults);
      t->ndefaults--;
      return;
    }
}

/* Fetch structures: a tensor, an op, or lists/tuples/dicts of them (sf_py_each_leaf). */
typedef struct {
  const sf_args *a;
  const sf_val **leaves;
  int n, cap;
} fetch_list;

static sf_status fetch_leaf(sf_interp *I, const sf_val *v, void *ctx) {
  fetch_list *f = ctx;
  if (v->kind != V_TENSOR)
    return sf_py_raise(I, f->a->call, BC_TYPEERR,
                       "Fetch argument of type '%s' has invalid type, must be a string or Tensor. (Can not convert a %s "
                       "into a Tensor or Operation.)",
                       sf_type_name(v), sf_type_name(v));
  if (f->n >= f->cap) return sf_arg_error(I, f->a, SF_ENOMEM, "run(): more than %d fetches", f->cap);
  f->leaves[f->n++] = v;
  return SF_OK;
}

static sf_status collect_fetches(sf_interp *I, const sf_args *a, const sf_val *v, const sf_val **leaves, int *n, int cap) {
  fetch_list f = {a, leaves, *n, cap};
  sf_status st = sf_py_each_leaf(I, v, fetch_leaf, &f);
  *n = f.n;
  return st;
}

/* Rebuilds the fetch structure with the fetched values (NumPy arrays; None for an op). */
static sf_status rebuild(sf_interp *I, const sf_val *v, const sf_val *vals, int *k, sf_val *out) {
  if (v->kind == V_TENSOR) {
    *out = vals[(*k)++];
    return SF_OK;
  }
  if (sf_is(v, O_LIST) || sf_is(v, O_TUPLE)) {
    sf_list *l = SF_LIST(v);
    if (!sf_list_new(v->o->t, l->n, out)) return oom(I);
    for (int64_t i = 0; i < l->n; i++) {
      sf_status st = rebuild(I, &l->items[i], vals, k, &SF_LIST(out)->items[i]);
      if (st != SF_OK) return st;
    }
    return SF_OK;
  }
  sf_dict *d = SF_DICT(v);
  if (!sf_dict_new(O_DICT, out)) return oom(I);
  for (int64_t i = 0; i < d->ne; i++) {
    if (!d->e[i].used) continue;
    sf_val x;
    sf_status st = rebuild(I, &d->e[i].value, vals, k, &x);
    if (st != SF_OK) return st;
    bool ok = sf_dict_set(SF_DICT(out), &d->e[i].key, &x);
    sf_val_drop(&x);
    if (!ok) return oom(I);
  }
  return SF_OK;
}

/* An Operation (sess.run gives None): a NoOp, or an optimizer's global_step AssignAdd
 * (optimizer.py apply_gradients returns apply_updates.op). */
static bool is_op(const sf_graph *g, int id) {
  const char *op = sf_graph_node(g, id)->op->name;
  return strcmp(op, "NoOp") == 0 || strcmp(op, "AssignAdd") == 0;
}

/* t as an eager NumPy value. */
static sf_status numpy_value(sf_interp *I, sf_tensor *t, sf_val *out) {
  int id;
  sf_status st = sf_b_host_array(I, t, "Const", &id);
  if (st != SF_OK) return st;
  *out = (sf_val){.kind = V_TENSOR, .g = I->E.g, .node = id, .numpy = true};
  return SF_OK;
}

/* feed_dict: placeholder -> value, as the engine's feeds by slot (new references in held). */
static sf_status set_feeds(sf_interp *I, const sf_args *a, tf1_session *s, const sf_val *fd, sf_tensor ***held, int *nheld) {
  *held = NULL;
  *nheld = 0;
  if (fd->kind == V_NONE) return SF_OK;
  if (!sf_is(fd, O_DICT)) return sf_py_raise(I, a->call, BC_TYPEERR, "feed_dict must be a dict, not %s", sf_type_name(fd));
  if (!s->g) return sf_arg_error(I, a, SF_EINVAL, "run(): feed_dict needs a graph session (eager tensors have their values)");
  int n = s->g->n + 1;
  sf_tensor **feeds = calloc((size_t)n, sizeof *feeds);
  if (!feeds) return oom(I);
  *held = feeds;
  *nheld = n;
  sf_dict *d = SF_DICT(fd);
  for (int64_t i = 0; i < d->ne; i++) {
    if (!d->e[i].used) continue;
    const sf_val *key = &d->e[i].key, *val = &d->e[i].value;
    if (key->kind != V_TENSOR || key->g != s->g)
      return sf_arg_error(I, a, SF_EINVAL, "run(): a feed_dict key must be a placeholder of the session's graph");
    const sf_node *p = sf_graph_node(s->g, key->node);
    if (strcmp(p->op->name, "Placeholder") != 0)
      return sf_arg_error(I, a, SF_ENAME, "unsupported: feeding '%s' (a %s, not a placeholder)", p->name, p->op->name);
    sf_val flat;
    sf_api_tmp tmp = {0}; /* a list's items, converted to the feed's Const below */
    sf_status st = sf_py_to_api_tmp(I, val, &flat, &tmp);
    int id;
    sf_tensor *host = flat.kind == V_TENSOR ? sf_b_host_value(I, &flat) : NULL; /* a NumPy array made in the graph */
    sf_tensor *cast = NULL; /* session.py _run: np.asarray(value, dtype=the placeholder's dtype) */
    if (st == SF_OK && host && host->dtype != p->dtype && (st = sf_numpy_astype(I, a, "run", host, p->dtype, &cast)) == SF_OK)
      host = cast;
    int made = I->E.g->n;
    if (st == SF_OK && (st = sf_context_enter_eager(&I->ctx, I->err)) == SF_OK) {
      st = host ? sf_b_const(I, host, p->name, &id) : sf_b_tensor(I, &flat, (int)p->dtype, p->name, a->call, &id);
      sf_context_leave(&I->ctx);
    }
    sf_api_tmp_free(&tmp);
    sf_tensor_unref(cast);
    if (st != SF_OK) return st;
    sf_tensor *t = sf_eager_value(&I->E, id);
    if (t->dtype != p->dtype)
      return sf_py_raise(I, a->call, BC_VALUEERR, "Cannot feed a %s value to placeholder '%s' of dtype %s",
                         sf_dtype_name(t->dtype), p->name, sf_dtype_name(p->dtype));
    int64_t slot = sf_node_attr(p, "slot")->i;
    if (slot >= 0 && slot < n) {
      sf_tensor_unref(feeds[slot]);
      feeds[slot] = sf_tensor_ref(t);
    }
    if (id > made) { /* the Const made here: the run reads the tensor through feeds, not the node */
      sf_graph_node(I->E.g, id)->host_array = true;
      sf_eager_release_internal(&I->E, id);
    }
  }
  return SF_OK;
}

static void free_feeds(sf_tensor **held, int n) {
  for (int i = 0; i < n; i++) sf_tensor_unref(held[i]);
  free(held);
}

/* One run of s for fetches (a Python value): every needed node executes once. */
static sf_status session_run(sf_interp *I, const sf_args *a, tf1_session *s, const sf_val *fetches, const sf_val *feed_dict,
                             sf_val *out) {
  if (s->closed) return sf_py_raise(I, a->call, BC_RUNTIME, "Attempted to use a closed Session.");
  int first = I->E.g->n;
  enum { CAP = 4096 };
  const sf_val **leaves = malloc(CAP * sizeof *leaves);
  int *ids = malloc(CAP * sizeof *ids), *targets = malloc(CAP * sizeof *targets), *slot = malloc(CAP * sizeof *slot);
  sf_val *vals = calloc(CAP, sizeof *vals);
  sf_tensor **got = calloc(CAP, sizeof *got), **held = NULL;
  int n = 0, nids = 0, nt = 0, nheld = 0;
  sf_status st = leaves && ids && targets && slot && vals && got ? SF_OK : oom(I);
  if (st == SF_OK) st = collect_fetches(I, a, fetches, leaves, &n, CAP);
  for (int i = 0; st == SF_OK && i < n; i++) {
    const sf_val *t = leaves[i];
    slot[i] = -1;
    if (t->g == I->E.g) continue; /* an eager value is its own value */
    if (t->g != s->g) {
      st = sf_py_raise(I, a->call, BC_VALUEERR, "Tensor '%s' is not an element of this graph.", sf_graph_node(t->g, t->node)->name);
      break;
    }
    if (is_op(s->g, t->node)) {
      int j = 0;
      while (j < nt && targets[j] != t->node) j++;
      if (j == nt) targets[nt++] = t->node;
      continue;
    }
    int j = 0;
    while (j < nids && ids[j] != t->node) j++; /* listed twice: executed once */
    if (j == nids) ids[nids++] = t->node;
    slot[i] = j;
  }
  if (st == SF_OK) st = set_feeds(I, a, s, feed_dict, &held, &nheld);
  if (st == SF_OK && (nids || nt)) {
    sf_tensor **feeds0 = I->rt.feeds;
    int nfeeds0 = I->rt.nfeeds;
    I->rt.feeds = held;
    I->rt.nfeeds = nheld;
    if ((st = sf_graph_validate(s->g, I->err)) == SF_OK)
      st = sf_session_run(&s->s, &I->rt, ids, nids, targets, nt, got, I->tr, I->err);
    I->rt.feeds = feeds0;
    I->rt.nfeeds = nfeeds0;
    st = at_call(I, a, st);
  }
  sf_val *byid = calloc((size_t)(nids ? nids : 1), sizeof *byid);
  if (st == SF_OK && !byid) st = oom(I);
  for (int j = 0; st == SF_OK && j < nids; j++) st = numpy_value(I, got[j], &byid[j]);
  for (int i = 0; st == SF_OK && i < n; i++) {
    const sf_val *t = leaves[i];
    bool array = false;
    if (t->g == I->E.g) { /* an eager tensor's value: an array of its own (an in-place operator leaves the tensor) */
      sf_tensor *ev = sf_eager_value(&I->E, t->node);
      st = ev ? numpy_value(I, ev, &vals[i]) : sf_error_set(I->err, SF_EINTERNAL, "run(): an eager fetch without a value");
      /* a counted tensor's 0-d value stays an array, as it printed (and was recorded) before */
      array = t->counted;
    } else {
      vals[i] = slot[i] >= 0 ? byid[slot[i]] : sf_none();
    }
    if (!array) sf_np_scalarize(I, &vals[i]); /* a scalar fetch is a NumPy scalar (session.py's fetch mapper) */
  }
  int k = 0;
  if (st == SF_OK) st = rebuild(I, fetches, vals, &k, out);
  /* the fetched arrays are the program's, released with their last handle (a TF1 training
   * loop's fetches and feeds keep nothing) */
  if (st == SF_OK && sf_py_counting_arrays(I)) sf_py_count_made(I, first, out);
  for (int j = 0; j < nids; j++) sf_tensor_unref(got[j]);
  free_feeds(held, nheld);
  free(byid);
  free(got);
  free(vals);
  free(slot);
  free(targets);
  free(ids);
  free(leaves);
  return st;
}

/* Binds a native's arguments to params (space separated); missing ones are None. */
sf_status sf_native_bind(sf_interp *I, const sf_args *a, const char *fname, const char *params, sf_val *v, int nv) {
  const char *names[8];
  char buf[128];
  snprintf(buf, sizeof buf, "%s", params);
  int np = 0;
  for (char *tok = strtok(buf, " "); tok && np < 8 && np < nv; tok = strtok(NULL, " ")) names[np++] = tok;
  for (int i = 0; i < np; i++) v[i] = sf_none();
  if (a->npos > np) return sf_py_raise(I, a->call, BC_TYPEERR, "%s() takes at most %d arguments (%d given)", fname, np, a->npos);
  for (int i = 0; i < a->npos; i++) v[i] = a->pos[i];
  for (int k = 0; k < a->nkw; k++) {
    int i = 0;
    while (i < np && strcmp(names[i], a->kwnames[k]) != 0) i++;
    if (i == np) return sf_py_raise(I, a->call, BC_TYPEERR, "%s() got an unexpected keyword argument '%s'", fname, a->kwnames[k]);
    v[i] = a->kw[k];
  }
  return SF_OK;
}

static sf_status unsupported_arg(sf_interp *I, const sf_args *a, const char *fname, const char *pname, const sf_val *v) {
  if (v->kind == V_NONE) return SF_OK;
  return sf_error_at(I->err, a->call ? a->call->line : I->line, a->call ? a->call->col : 1, SF_ENAME,
                     "unsupported: %s(%s=...)", fname, pname);
}

NATIVE(sess_run) {
  sf_val v[4];
  sf_status st = sf_native_bind(I, a, "run", "fetches feed_dict options run_metadata", v, 4);
  if (st == SF_OK && a->npos < 1 && !a->nkw) st = sf_py_raise(I, a->call, BC_TYPEERR, "run() missing 1 required positional argument: 'fetches'");
  if (st == SF_OK) st = unsupported_arg(I, a, "Session.run", "options", &v[2]);
  if (st == SF_OK) st = unsupported_arg(I, a, "Session.run", "run_metadata", &v[3]);
  return st == SF_OK ? session_run(I, a, session_of(I, self), &v[0], &v[1], out) : st;
}

NATIVE(sess_close) {
  (void)a;
  tf1_session *s = session_of(I, self);
  if (!s->closed) pop_default(I, int_self(self));
  s->closed = true;
  *out = sf_none();
  return SF_OK;
}

/* with tf.Session() as sess: the Session is the default one and its graph the default
 * graph; leaving the block closes it. */
NATIVE(sess_enter) {
  (void)a;
  tf1_session *s = session_of(I, self);
  if (s->closed) return sf_py_raise(I, a->call, BC_RUNTIME, "Attempted to use a closed Session.");
  sf_status st = push_default(I, int_self(self));
  if (st == SF_OK && s->g) st = enter_graph(I, s->g);
  *out = s->obj;
  sf_val_ref(out);
  return st;
}

NATIVE(sess_exit) {
  (void)a;
  tf1_session *s = session_of(I, self);
  if (s->g) leave_graph(I);
  pop_default(I, int_self(self));
  s->closed = true;
  *out = sf_bool(false);
  return SF_OK;
}

/* with sess.as_default(): the default session only; the Session stays open. */
NATIVE(sess_default_enter) {
  (void)a;
  sf_status st = push_default(I, int_self(self));
  *out = session_of(I, self)->obj;
  sf_val_ref(out);
  return st;
}

NATIVE(sess_default_exit) {
  (void)a;
  pop_default(I, int_self(self));
  *out = sf_bool(false);
  return SF_OK;
}

NATIVE(sess_as_default) {
  (void)a;
  return context_manager(I, "tf.Session.as_default", sess_default_enter, sess_default_exit, self, out);
}

/* The first Session outside graph mode: one note on how this mode reads it (README, "TF1
 * Sessions in every mode"), which run prints and explain names. */
static sf_status note_reading(sf_interp *I, const sf_args *a, sf_tf1 *t, const char *fname) {
  if (I->opt.mode == SF_MODE_GRAPH || t->reading_noted) return SF_OK;
  t->reading_noted = true;
  char text[400];
  int line = a->call ? a->call->line : I->line;
  if (I->opt.mode == SF_MODE_EAGER)
    snprintf(text, sizeof text, "line %d: tf.%s in eager mode is read as the migrated TF2 program: ops ran when they "
             "were created, so sess.run(t) and t.eval() give t's value", line, fname);
  else
    snprintf(text, sizeof text, "line %d: tf.%s in function mode is read as TF2's tf.function: the graph is one "
             "FuncGraph, each sess.run one call of it, with kernels that live as long as the Session", line, fname);
  sf_status st = sf_trace_add_note(I->tr, 0, 0, "mode", text);
  return st == SF_OK ? SF_OK : sf_error_set(I->err, st, "out of memory");
}

static sf_status new_session(sf_interp *I, const sf_args *a, const char *fname, bool interactive, sf_val *out) {
  sf_val v[3];
  bool given[3];
  sf_status st = sf_bind(I, fname, a, "target graph config", v, given);
  if (st != SF_OK) return st;
  if (v[0].kind == V_STR && v[0].s[0])
    return sf_arg_error(I, a, SF_ENAME, "unsupported: %s(target='%s') (seedflow runs in process)", fname, v[0].s);
  sf_graph *g = default_graph(I);
  if (v[1].kind != V_NONE) {
    g = NULL;
    sf_tf1 *t = I->tf1;
    for (int i = 0; t && i < t->ngraphs && !g; i++)
      if (v[1].kind == V_OBJ && t->graphs[i].obj.kind == V_OBJ && t->graphs[i].obj.o == v[1].o) g = t->graphs[i].g;
    if (!g) return sf_arg_error(I, a, SF_ETYPE, "%s(): graph must be a tf.Graph", fname);
  }
  sf_tf1 *t = state(I);
  if (t && (st = note_reading(I, a, t, fname)) != SF_OK) return st;
  tf1_session *s = calloc(1, sizeof *s);
  if (!t || !s || !sf_grow((void **)&t->sess, &t->capsess, t->nsess + 1, sizeof *t->sess)) return free(s), oom(I);
  int k = t->nsess++;
  t->sess[k] = s;
  s->g = g;
  s->obj = sf_none();
  if (g) sf_session_init(&s->s, g, 0);
  sf_module *m = sf_obj_alloc(O_MODULE, sizeof *m);
  if (!m || !(m->attrs = sf_dict_alloc(O_DICT))) return free(m), oom(I);
  m->name = interactive ? "tf.InteractiveSession" : "tf.Session";
  s->obj = sf_obj_val(m);
  sf_val idx = sf_int(k);
  static const struct {
    const char *name;
    sf_native_fn fn;
  } methods[] = {{"run", sess_run}, {"close", sess_close}, {"__enter__", sess_enter}, {"__exit__", sess_exit},
                 {"as_default", sess_as_default}};
  for (size_t i = 0; i < sizeof methods / sizeof *methods; i++)
    if (!sf_py_def_native(m->attrs, methods[i].name, methods[i].fn, &idx)) return oom(I);
  /* run reads its feeds while it runs and keeps none (lang/eval.c pin_call) */
  ((sf_native *)sf_dict_get_str(m->attrs, "run")->o)->keeps_none = true;
  if (g) {
    sf_val gv;
    int gi = graph_index(I, g, false);
    if (gi < 0 || (st = graph_object(I, gi, &gv)) != SF_OK) return gi < 0 ? oom(I) : st;
    bool ok = sf_dict_set_str(m->attrs, "graph", &gv);
    sf_val_drop(&gv);
    if (!ok) return oom(I);
  }
  if (interactive && (st = push_default(I, k)) != SF_OK) return st;
  *out = s->obj; /* borrowed: the table keeps the reference */
  return SF_OK;
}

static sf_status api_session(sf_interp *I, const sf_args *a, sf_val *out) { return new_session(I, a, "Session", false, out); }
static sf_status api_interactive_session(sf_interp *I, const sf_args *a, sf_val *out) {
  return new_session(I, a, "InteractiveSession", true, out);
}

static sf_status api_get_default_session(sf_interp *I, const sf_args *a, sf_val *out) {
  if (a->npos || a->nkw) return sf_arg_error(I, a, SF_ETYPE, "get_default_session() takes no arguments");
  sf_tf1 *t = I->tf1;
  *out = t && t->ndefaults ? t->sess[t->defaults[t->ndefaults - 1]]->obj : sf_none();
  return SF_OK;
}

/* tf.placeholder(dtype, shape=None, name=None): its slot is its node id. */
static sf_status api_placeholder(sf_interp *I, const sf_args *a, sf_val *out) {
  sf_val v[3];
  bool given[3];
  sf_status st = sf_bind(I, "placeholder", a, "dtype shape name", v, given);
  if (st != SF_OK) return st;
  if (I->ctx.eager && I->graph_asked_line) /* the program asked for TF1's graph mode; this run is another */
    return sf_arg_error(I, a, SF_EINVAL,
                        "tf.placeholder() is not compatible with eager execution. (Line %d turns eager execution off; "
                        "seedflow runs the mode asked, here %s: run it with --mode graph.)",
                        I->graph_asked_line, sf_mode_name(I->opt.mode));
  if (I->ctx.eager) return sf_arg_error(I, a, SF_EINVAL, "tf.placeholder() is not compatible with eager execution.");
  sf_dtype dt;
  if (!given[0]) return sf_arg_error(I, a, SF_ETYPE, "placeholder() missing 1 required positional argument: 'dtype'");
  if ((st = sf_arg_dtype(I, a, "placeholder", &v[0], SF_FLOAT32, &dt)) != SF_OK) return st;
  sf_shape s = {.rank = -1}; /* shape=None: any rank (the node's static shape stays a scalar's) */
  if (v[1].kind == V_LIST || v[1].kind == V_TUPLE) {
    if (v[1].n > SF_MAX_RANK) return sf_arg_error(I, a, SF_ESHAPE, "placeholder(): rank %d is above %d", v[1].n, SF_MAX_RANK);
    s.rank = v[1].n;
    for (int i = 0; i < v[1].n; i++) {
      const sf_val *d = &v[1].items[i];
      if (d->kind != V_INT && d->kind != V_NONE) return sf_arg_error(I, a, SF_ETYPE, "placeholder(): shape entries must be ints or None");
      s.dims[i] = d->kind == V_INT ? d->i : -1;
    }
  } else if (v[1].kind != V_NONE) {
    return sf_arg_error(I, a, SF_ETYPE, "placeholder(): shape must be a list or tuple");
  }
  sf_attr_value attrs[SF_B_ATTRS];
  sf_b_attrs("Placeholder", attrs);
  sf_b_attr_set("Placeholder", attrs, "slot", (sf_attr_value){.i = I->ctx.graph->n + 1});
  sf_b_attr_set("Placeholder", attrs, "dtype", (sf_attr_value){.type = dt});
  sf_b_attr_set("Placeholder", attrs, "shape", (sf_attr_value){.shape = s});
  sf_node *n;
  if ((st = sf_b_op(I, "Placeholder", v[2].kind == V_STR ? v[2].s : "Placeholder", NULL, 0, attrs, &n)) != SF_OK) return st;
  sf_b_tensor_val(I, n->id, out);
  return SF_OK;
}

/* ---- tensor attributes ---- */

const sf_node *sf_b_graph_variable(const sf_val *v) {
  const sf_node *n = v->kind == V_TENSOR && !v->numpy ? sf_graph_node(v->g, v->node) : NULL;
  const sf_node *var = n && strcmp(n->op->name, "Identity") == 0 && n->ninputs == 1 ? sf_graph_node(v->g, n->inputs[0]) : NULL;
  size_t len = var ? strlen(var->name) : 0;
  if (var && strcmp(var->op->name, "VariableV2") == 0 && strncmp(n->name, var->name, len) == 0 && !strcmp(n->name + len, "/read"))
    return var;
  return NULL;
}

/* Tensor.name (ops.py): "<op name>:0" in a graph; a variable's name is its VariableV2's
 * (RefVariable.name is "<var>:0"). Eager tensors have none. */
static sf_status tensor_name(sf_interp *I, const sf_val *v, sf_val *out) {
  if (v->g == I->E.g) return sf_py_raise(I, NULL, BC_ATTRERR, "Tensor.name is undefined when eager execution is enabled.");
  const sf_node *n = sf_b_graph_variable(v);
  if (!n) n = sf_graph_node(v->g, v->node);
  char buf[600];
  snprintf(buf, sizeof buf, "%s:0", n->name);
  return sf_str_cstr(buf, out) ? SF_OK : oom(I);
}

bool sf_api_tensor_attr(sf_interp *I, const sf_val *v, const char *name, sf_val *out, sf_status *st) {
  *st = SF_OK;
  bool shape = strcmp(name, "shape") == 0, ndim = strcmp(name, "ndim") == 0, dtype = strcmp(name, "dtype") == 0;
  if (strcmp(name, "name") == 0 && !v->numpy) return *st = tensor_name(I, v, out), true;
  if (!shape && !ndim && !(dtype && !v->numpy)) return false;
  const sf_node *n = sf_graph_node(v->g, v->node);
  const sf_tensor *t = sf_b_host_value(I, v);
  sf_shape s = t ? t->shape : n->shape;
  /* a TF 1.x RefVariable's dtype is the reference type (dtypes.py float32_ref, b marks it) */
  if (dtype)
    return *out = (sf_val){.kind = V_DTYPE, .dtype = t ? t->dtype : n->dtype,
                           .b = I->opt.profile == SF_PROFILE_TF1 && sf_b_graph_variable(v)}, true;
  if (!t && !n->shape_known) {
    *st = sf_error_at(I->err, I->line, 1, SF_ENAME, "unsupported: .%s of a tensor whose shape is known only when it runs", name);
    return true;
  }
  const sf_attr_value *ps = !t && strcmp(n->op->name, "Placeholder") == 0 ? sf_node_attr(n, "shape") : NULL;
  if (ps && ps->shape.rank < 0) { /* TF: TensorShape(None), which prints <unknown> */
    *st = sf_error_at(I->err, I->line, 1, SF_ENAME, "unsupported: .%s of a placeholder made without a shape (its rank is unknown)", name);
    return true;
  }
  if (ndim) return *out = sf_int(s.rank), true;
  /* TensorShape / a NumPy shape: a tuple of ints (None for an unknown dimension) */
  if (!sf_list_new(O_TUPLE, s.rank, out)) return *st = oom(I), true;
  for (int d = 0; d < s.rank; d++) SF_LIST(out)->items[d] = s.dims[d] < 0 ? sf_none() : sf_int(s.dims[d]);
  SF_LIST(out)->tshape = !v->numpy; /* a tensor's TensorShape; a NumPy shape is a tuple */
  return true;
}

/* ---- Tensor.eval / Operation.run ---- */

bool sf_tf1_tensor_method(sf_interp *I, const sf_val *self, const char *method, const sf_args *a, sf_val *out, sf_status *st) {
  bool is_eval = strcmp(method, "eval") == 0;
  if (!is_eval && strcmp(method, "run") != 0) return false;
  sf_val v[2];
  bool given[2];
  *st = sf_bind(I, method, a, "feed_dict session", v, given);
  if (*st != SF_OK) return true;
  tf1_session *s = NULL;
  sf_tf1 *t = I->tf1;
  if (v[1].kind == V_OBJ) {
    for (int i = 0; t && i < t->nsess && !s; i++)
      if (t->sess[i]->obj.kind == V_OBJ && t->sess[i]->obj.o == v[1].o) s = t->sess[i];
    if (!s) return *st = sf_arg_error(I, a, SF_ETYPE, "%s(): session must be a tf.Session", method), true;
  } else if (t && t->ndefaults) {
    s = t->sess[t->defaults[t->ndefaults - 1]];
  } else if (self->g == I->E.g) { /* an eager tensor: its value */
    *st = sf_np_of_eager(I, self, out);
    return true;
  } else {
    *st = sf_py_raise(I, a->call, BC_VALUEERR,
                      "Cannot %s using `%s()`: No default session is registered. Use `with sess.as_default()` or pass an "
                      "explicit session to `%s(session=sess)`",
                      is_eval ? "evaluate tensor" : "execute operation", method, method);
    return true;
  }
  sf_val fetch;
  if (!sf_list_new(O_LIST, 1, &fetch)) return *st = oom(I), true;
  SF_LIST(&fetch)->items[0] = *self;
  sf_val feed = sf_none(), r;
  if (v[0].kind == V_OBJ) feed = v[0];
  *st = session_run(I, a, s, &fetch, &feed, &r);
  sf_val_drop(&fetch);
  if (*st != SF_OK) return true;
  sf_val item = SF_LIST(&r)->items[0];
  if (is_eval && item.kind == V_TENSOR && item.counted) { /* an API result: counted by its caller (call_api) */
    sf_eager_take(&I->E, item.node);
    item.counted = false;
    SF_LIST(&r)->items[0] = sf_none();
  }
  *out = is_eval ? item : sf_none();
  sf_val_drop(&r);
  return true;
}

/* variables_initializer(var_list): one NoOp grouping the Assign of each listed variable. */
static sf_status api_variables_initializer(sf_interp *I, const sf_args *a, sf_val *out) {
  sf_val v[2];
  bool given[2];
  sf_status st = sf_bind(I, "variables_initializer", a, "var_list name", v, given);
  if (st != SF_OK) return st;
  if (v[0].kind != V_LIST && v[0].kind != V_TUPLE)
    return sf_arg_error(I, a, SF_ETYPE, "variables_initializer(): var_list must be a list of variables");
  out->kind = V_NONE;
  if (I->ctx.eager) return SF_OK;
  sf_node *n;
  if ((st = sf_b_op(I, "NoOp", v[1].kind == V_STR ? v[1].s : "init", NULL, 0, NULL, &n)) != SF_OK) return st;
  for (int i = 0; i < v[0].n; i++) {
    const sf_val *x = &v[0].items[i];
    const sf_node *read = x->kind == V_TENSOR && x->g == I->ctx.graph ? sf_graph_node(I->ctx.graph, x->node) : NULL;
    int var = read && read->ninputs == 1 ? read->inputs[0] : 0;
    if (!var || strcmp(sf_graph_node(I->ctx.graph, var)->op->name, "VariableV2") != 0)
      return sf_arg_error(I, a, SF_ETYPE, "variables_initializer(): item %d is not a tf.Variable of this graph", i);
    for (int k = 0; k < I->ctx.graph->n; k++) {
      const sf_node *m = I->ctx.graph->nodes[k];
      if (sf_b_is_initializer(I->ctx.graph, m) && m->inputs[0] == var && (st = sf_graph_add_ctrl(I->ctx.graph, n, m->id, I->err)) != SF_OK)
        return st;
    }
  }
  sf_b_tensor_val(I, n->id, out);
  return SF_OK;
}

/* ---- tf.compat.v1.keras.utils.DeterministicRandomTestTool (tf-api-semantics.md §5.5) ---- */

/* self: the tool's mode (1 constant, 2 num_random_ops) * 2^32 + its seed */
NATIVE(tool_enter) {
  (void)a;
  if (I->seed_tool) return sf_arg_error(I, a, SF_ENAME, "unsupported: nested DeterministicRandomTestTool scopes");
  int64_t seed = self->i & 0xffffffff;
  sf_b_set_seed(I, seed); /* tf.random.set_seed(self._seed) on entering */
  I->seed_tool = (int)(self->i >> 32);
  I->seed_tool_seed = seed;
  I->seed_tool_op = 0;
  *out = sf_none();
  return SF_OK;
}

NATIVE(tool_exit) {
  (void)self;
  (void)a;
  I->seed_tool = 0;
  *out = sf_bool(false);
  return SF_OK;
}

NATIVE(tool_scope) {
  (void)a;
  return context_manager(I, "DeterministicRandomTestTool.scope", tool_enter, tool_exit, self, out);
}

static sf_status api_random_test_tool(sf_interp *I, const sf_args *a, sf_val *out) {
  sf_val v[2];
  bool given[2];
  sf_status st = sf_bind(I, "DeterministicRandomTestTool", a, "seed mode", v, given);
  if (st != SF_OK) return st;
  int64_t seed = 42;
  if (given[0] && (st = sf_arg_int(I, a, "DeterministicRandomTestTool", "seed", &v[0], &seed)) != SF_OK) return st;
  if (seed < 0 || seed > 0xffffffffLL) return sf_arg_error(I, a, SF_EINVAL, "DeterministicRandomTestTool(): seed out of range");
  int mode = 1;
  if (given[1] && v[1].kind == V_STR && strcmp(v[1].s, "num_random_ops") == 0) mode = 2;
  else if (given[1] && !(v[1].kind == V_STR && strcmp(v[1].s, "constant") == 0))
    return sf_py_raise(I, a->call, BC_VALUEERR, "Mode arg must be 'constant' or 'num_random_ops'.");
  sf_module *m = sf_obj_alloc(O_MODULE, sizeof *m);
  if (!m || !(m->attrs = sf_dict_alloc(O_DICT))) return free(m), oom(I);
  m->name = "DeterministicRandomTestTool";
  *out = sf_obj_val(m);
  sf_val self = sf_int(((int64_t)mode << 32) | seed);
  if (!sf_py_def_native(m->attrs, "scope", tool_scope, &self)) return sf_val_drop(out), oom(I);
  m->h.rc--; /* borrowed: sf_py_from_api takes the caller's reference */
  return SF_OK;
}

/* ---- ConfigProto, GPUOptions, Keras's session ---- */

/* An options object: its keyword arguments as attributes; thread and device options
 * change no draw of seedflow's (kernels keep their own state), other names are named. */
static sf_status options_object(sf_interp *I, const sf_args *a, const char *fname, const char *const *known, sf_val *out) {
  if (a->npos) return sf_arg_error(I, a, SF_ETYPE, "%s() takes keyword arguments only", fname);
  sf_module *m = sf_obj_alloc(O_MODULE, sizeof *m);
  if (!m || !(m->attrs = sf_dict_alloc(O_DICT))) return free(m), oom(I);
  m->name = fname;
  *out = sf_obj_val(m);
  sf_status st = SF_OK;
  for (int k = 0; st == SF_OK && k < a->nkw; k++) {
    bool ok = false;
    for (int j = 0; known[j] && !ok; j++) ok = strcmp(known[j], a->kwnames[k]) == 0;
    sf_val x;
    if (!ok) st = sf_arg_error(I, a, SF_ENAME, "unsupported: %s(%s=...)", fname, a->kwnames[k]);
    else if ((st = sf_py_from_api(I, &a->kw[k], &x)) == SF_OK) {
      if (!sf_dict_set_str(m->attrs, a->kwnames[k], &x)) st = oom(I);
      sf_val_drop(&x);
    }
  }
  if (st != SF_OK) return sf_val_drop(out), st;
  m->h.rc--; /* borrowed: sf_py_from_api takes the caller's reference */
  return SF_OK;
}

static sf_status api_gpu_options(sf_interp *I, const sf_args *a, sf_val *out) {
  static const char *const known[] = {"allow_growth", "per_process_gpu_memory_fraction", "visible_device_list", NULL};
  return options_object(I, a, "GPUOptions", known, out);
}

static sf_status api_config_proto(sf_interp *I, const sf_args *a, sf_val *out) {
  static const char *const known[] = {"intra_op_parallelism_threads", "inter_op_parallelism_threads", "allow_soft_placement",
                                      "log_device_placement", "device_count", "gpu_options", "use_per_session_threads",
                                      "isolate_session_state", NULL};
  sf_status st = options_object(I, a, "ConfigProto", known, out);
  sf_module *m = st == SF_OK ? (sf_module *)out->o : NULL;
  if (m && !sf_dict_get_str(m->attrs, "gpu_options")) { /* config.gpu_options.allow_growth = True */
    sf_val g;
    sf_args none = {.call = a->call};
    if ((st = api_gpu_options(I, &none, &g)) != SF_OK) return st;
    g.o->rc++;
    bool ok = sf_dict_set_str(m->attrs, "gpu_options", &g);
    sf_val_drop(&g);
    if (!ok) return oom(I);
  }
  return st;
}

/* K.set_session(sess): Keras's TF1 session; seedflow's Keras keeps its own state, so only
 * the argument is checked. */
static sf_status api_keras_set_session(sf_interp *I, const sf_args *a, sf_val *out) {
  out->kind = V_NONE;
  sf_tf1 *t = I->tf1;
  bool ok = a->npos == 1 && !a->nkw && a->pos[0].kind == V_OBJ;
  for (int i = 0; ok && t && i < t->nsess; i++)
    if (t->sess[i]->obj.kind == V_OBJ && t->sess[i]->obj.o == a->pos[0].o) return SF_OK;
  return sf_arg_error(I, a, SF_ETYPE, "set_session() takes one tf.Session");
}

/* K.clear_session(): in a TF1 graph it resets the default graph; it forgets the counts of
 * Keras's default names in every graph (backend.py reset_uids; Keras 3's clear_session its
 * global state), so the next Dense is "dense" again. */
static sf_status api_keras_clear_session(sf_interp *I, const sf_args *a, sf_val *out) {
  sf_status st = api_reset_default_graph(I, a, out);
  if (st == SF_OK) sf_keras_reset_uids(I, true);
  return st;
}

/* K.floatx() and K.epsilon(): Keras's defaults, which seedflow keeps (keras/backend_config.py);
 * K.set_floatx of another type would change every layer's dtype: named unsupported. */
static sf_status api_keras_floatx(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("floatx", "", 0);
  (void)v, (void)g;
  return *out = (sf_val){.kind = V_STR, .s = "float32"}, SF_OK; /* an API string: static */
}
static sf_status api_keras_epsilon(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("epsilon", "", 0);
  (void)v, (void)g;
  return *out = sf_float(1e-7), SF_OK;
}
static sf_status api_keras_set_floatx(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("set_floatx", "value", 1);
  if ((st = sf_arg_need(I, a, "set_floatx", "value", g[0])) != SF_OK) return st;
  if (v[0].kind != V_STR || strcmp(v[0].s, "float32") != 0) /* API arguments: strings are V_STR */
    return sf_arg_error(I, a, SF_ENAME, "unsupported: keras.backend.set_floatx() other than 'float32' (layers keep float32)");
  return *out = sf_none(), SF_OK;
}

/* tf.test.is_gpu_available() and gpu_device_name() (python/framework/test_util.py): the machine
 * seedflow models has no GPU. */
static sf_status api_is_gpu_available(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("is_gpu_available", "cuda_only min_cuda_compute_capability", 2);
  (void)v, (void)g;
  return *out = sf_bool(false), SF_OK;
}
static sf_status api_gpu_device_name(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("gpu_device_name", "", 0);
  (void)v, (void)g;
  return *out = (sf_val){.kind = V_STR, .s = ""}, SF_OK;
}

/* ---- the table ---- */

static sf_status api_disable_eager(sf_interp *I, const sf_args *a, sf_val *out);
static sf_status api_disable_v2(sf_interp *I, const sf_args *a, sf_val *out);
static sf_status api_enable_eager(sf_interp *I, const sf_args *a, sf_val *out);
static sf_status api_enable_v2(sf_interp *I, const sf_args *a, sf_val *out);
static sf_status api_executing_eagerly(sf_interp *I, const sf_args *a, sf_val *out);

static const struct {
  const char *name;  /* after tf. / tf.compat.v1. */
  sf_builtin_fn fn;
} api[] = {
    {"Session", api_session},
    {"InteractiveSession", api_interactive_session},
    {"get_default_session", api_get_default_session},
    {"Graph", api_graph},
    {"get_default_graph", api_get_default_graph},
    {"reset_default_graph", api_reset_default_graph},
    {"variables_initializer", api_variables_initializer},
    {"placeholder", api_placeholder},
    {"disable_eager_execution", api_disable_eager},
    {"disable_v2_behavior", api_disable_v2},
    {"enable_eager_execution", api_enable_eager},
    {"enable_v2_behavior", api_enable_v2},
    {"executing_eagerly", api_executing_eagerly},
    {"function", sf_api_tf_function},
    {"keras.utils.DeterministicRandomTestTool", api_random_test_tool},
    {"ConfigProto", api_config_proto},
    {"GPUOptions", api_gpu_options},
    {"keras.backend.set_session", api_keras_set_session},
    {"keras.backend.clear_session", api_keras_clear_session},
    {"keras.backend.floatx", api_keras_floatx},
    {"keras.backend.epsilon", api_keras_epsilon},
    {"keras.backend.set_floatx", api_keras_set_floatx},
    {"test.is_gpu_available", api_is_gpu_available},
    {"test.gpu_device_name", api_gpu_device_name},
};

sf_builtin_fn sf_tf1_lookup(const char *path) {
  if (strncmp(path, "tf.python.keras.", 16) == 0) { /* tensorflow.python.keras is tf.keras (TF 1.x) */
    char alias[256];
    snprintf(alias, sizeof alias, "tf.keras.%s", path + 16);
    return sf_keras_lookup(alias);
  }
  const char *name = strncmp(path, "tf.compat.v1.", 13) == 0 ? path + 13 : strncmp(path, "tf.", 3) == 0 ? path + 3 : NULL;
  if (!name) return sf_tfdata_lookup(path);
  for (size_t i = 0; i < sizeof api / sizeof *api; i++)
    if (strcmp(api[i].name, name) == 0) return api[i].fn;
  return sf_tfdata_lookup(path);
}

/* ---- mode switches ---- */

/* A program that switches modes pins the mode TensorFlow would run it in. A run whose mode
 * is only the default (opt.program_mode) stops at a switch before the program's first op,
 * and sf_run runs it again in that mode; otherwise the run keeps the mode it was asked for
 * and says so once, in a trace note (explain prints it). */
static sf_status mode_switch(sf_interp *I, const sf_args *a, const char *fname, sf_mode wants) {
  if (a->npos || a->nkw) {
    for (int i = 0; i < a->nkw; i++)
      if (strcmp(a->kwnames[i], "config") != 0 && strcmp(a->kwnames[i], "device_policy") != 0 &&
          strcmp(a->kwnames[i], "execution_mode") != 0)
        return sf_arg_error(I, a, SF_ETYPE, "%s() got an unexpected keyword argument '%s'", fname, a->kwnames[i]);
  }
  if (I->opt.mode == wants || (wants == SF_MODE_EAGER && I->opt.mode == SF_MODE_FUNCTION)) return SF_OK;
  /* No TF op yet (in the default graph either), and under TF 2 no global seed: set eagerly it
   * stays the eager context's, which a graph does not read (random_seed.py set_seed, get_seed) */
  bool first = sf_trace_op_count(I->tr) == 0 && I->E.g->n == I->numpy_nodes &&
               (I->ctx.graph == I->E.g || I->ctx.graph->n == 0) && (!I->seed_line || I->opt.profile == SF_PROFILE_TF1);
  if (I->opt.program_mode && first) { /* not a Python exception: no except stops it */
    I->switch_line = a->call ? a->call->line : I->line;
    I->switch_mode = wants;
    return sf_error_set(I->err, SF_EINVAL, "%s() switches the run to %s mode", fname, sf_mode_name(wants));
  }
  if (wants == SF_MODE_GRAPH && !I->graph_asked_line) I->graph_asked_line = a->call ? a->call->line : I->line;
  char text[256];
  if (I->switched_line) /* the program's own switch made this run's mode */
    snprintf(text, sizeof text, "line %d calls %s() after line %d switched the run to %s mode: it stays in %s mode (--mode %s "
             "runs the program in %s mode)", a->call ? a->call->line : I->line, fname, I->switched_line,
             sf_mode_name(I->opt.mode), sf_mode_name(I->opt.mode), sf_mode_name(wants), sf_mode_name(wants));
  else if (I->opt.program_mode) /* too late to run the whole program there */
    snprintf(text, sizeof text, "line %d calls %s() after the program's first op%s: this run stays in %s mode (--mode %s "
             "runs the program in %s mode)", a->call ? a->call->line : I->line, fname,
             I->seed_line && I->opt.profile != SF_PROFILE_TF1 ? " or global seed" : "", sf_mode_name(I->opt.mode),
             sf_mode_name(wants), sf_mode_name(wants));
  else
    snprintf(text, sizeof text, "line %d calls %s(): TensorFlow runs the program in %s mode; this run is in %s mode as asked",
             a->call ? a->call->line : I->line, fname, sf_mode_name(wants), sf_mode_name(I->opt.mode));
  sf_status st = sf_trace_add_note(I->tr, 0, 0, "mode", text);
  return st == SF_OK ? SF_OK : sf_error_set(I->err, st, "out of memory");
}

static sf_status api_disable_eager(sf_interp *I, const sf_args *a, sf_val *out) {
  out->kind = V_NONE;
  return mode_switch(I, a, "disable_eager_execution", SF_MODE_GRAPH);
}
static sf_status api_disable_v2(sf_interp *I, const sf_args *a, sf_val *out) {
  out->kind = V_NONE;
  return mode_switch(I, a, "disable_v2_behavior", SF_MODE_GRAPH);
}
static sf_status api_enable_eager(sf_interp *I, const sf_args *a, sf_val *out) {
  out->kind = V_NONE;
  return mode_switch(I, a, "enable_eager_execution", SF_MODE_EAGER);
}
static sf_status api_enable_v2(sf_interp *I, const sf_args *a, sf_val *out) {
  out->kind = V_NONE;
  return mode_switch(I, a, "enable_v2_behavior", SF_MODE_EAGER);
}

/* tf.executing_eagerly(): false while building a graph or tracing a function. */
static sf_status api_executing_eagerly(sf_interp *I, const sf_args *a, sf_val *out) {
  if (a->npos || a->nkw) return sf_arg_error(I, a, SF_ETYPE, "executing_eagerly() takes no arguments");
  *out = (sf_val){.kind = V_BOOL, .b = I->ctx.eager};
  return SF_OK;
}

/* The constants of tf paths that are neither functions nor dtypes: tf.data's (AUTOTUNE, ...)
 * and the logging levels (tf.__version__ is eval.c's api_version). */
bool sf_tf1_constant(sf_interp *I, const char *path, sf_val *out, sf_status *st) {
  *st = SF_OK;
  if (sf_tfdata_constant(I, path, out, st)) return true;
  const char *name = strncmp(path, "tf.compat.v1.", 13) == 0 ? path + 13 : strncmp(path, "tf.", 3) == 0 ? path + 3 : "";
  static const char *const levels[] = {"logging.DEBUG", "logging.INFO", "logging.WARN", "logging.ERROR", "logging.FATAL"};
  for (int k = 0; k < 5; k++) /* python/platform/tf_logging.py: absl's levels, 10 to 50 */
    if (strcmp(name, levels[k]) == 0) return *out = sf_int(10 * (k + 1)), true;
  return false;
}
