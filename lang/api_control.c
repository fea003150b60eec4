/* api_control.c — loops and conditionals over tensors: tf.while_loop, tf.cond, and
 * AutoGraph's conversion of `for x in <tensor>`, `while <tensor>` and `if <tensor>` inside a
 * tf.function (tf-api-semantics.md §3).
 *
 * TensorFlow (while_v2.py, cond_v2.py) traces a loop's cond and body, and each branch of a
 * conditional, once into a FuncGraph of its own: FuncGraph.__init__ copies the outer graph's
 * seed, and get_seed's counter (random_seed.py, _graph_to_seed_dict) starts at 0 in each
 * of them — so a body's first unseeded random op gets (g, 0) like the function's own first
 * one (§3.2, tf#58587). The body's random op is one node, one kernel: every iteration runs
 * it again, at offset 256*N per iteration, and further calls of the function continue it.
 *
 * seedflow unrolls the loop at trace time: the body runs once per iteration, each time with
 * the body graph's counter restarted at 0 (the same seed pairs), and a random op built by
 * iteration k > 0 runs on the kernel of the op the first iteration built at the same site
 * (line, branch, occurrence), after it (sf_node.kernel_of). That needs the trip count and
 * the conditions' values at trace time: a condition must not depend on a tensor argument,
 * a variable or a random op (else a located error). Only the taken branch of a conditional
 * runs (TensorFlow also traces the other one; its ops are in a graph of its own and change
 * no seed elsewhere). In eager mode everything runs as Python. Under the tf1 profile a
 * graph's loops and conditionals are control flow v1, whose construction ops count into
 * _last_id (not modelled): refused by name. */
#include "api_control.h"
#include "py.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct sf_ctl_site {
  int line;
  uintptr_t branch;         /* the branches taken inside the body on the way to the op */
  int occ;                  /* its occurrence at (line, branch) within one iteration */
  int root;                 /* the node whose kernel it runs on */
  int stamp;                /* iteration of the last use (occurrence counting) */
  int uses;                 /* uses of (line, branch) in iteration stamp (first entry only) */
};

sf_status sf_py_to_api(sf_interp *I, const sf_val *v, sf_val *out);

static bool traced_autograph(const sf_interp *I) {
  if (I->ctx.eager) return false;
  return I->ctx.frames[I->ctx.depth - 1].kind == SF_CTX_FUNCTION || I->autograph > 0;
}

static sf_status loc_error(sf_interp *I, const sf_expr *at, sf_status code, const char *fmt, const char *a1,
                           const char *a2) {
  return sf_error_at(I->err, at && at->line ? at->line : I->line, at && at->line ? at->col : 1, code, fmt, a1, a2);
}

/* The graph tensor id's value at trace time, when nothing it depends on is fed, stateful
 * or random: a throwaway session runs the nodes it needs (no trace, no kernel kept). */
static sf_status trace_time_value(sf_interp *I, const sf_expr *at, int id, const char *what, sf_tensor **out) {
  sf_graph *g = I->ctx.graph;
  int *stack = malloc((size_t)(g->n + 1) * sizeof *stack);
  bool *seen = calloc((size_t)g->n + 1, sizeof *seen);
  sf_status st = stack && seen ? SF_OK : sf_py_oom(I);
  int sp = 0;
  if (st == SF_OK) stack[sp++] = id, seen[id] = true;
  while (st == SF_OK && sp) {
    const sf_node *n = g->nodes[stack[--sp] - 1];
    if ((n->op->flags & SF_OPF_STATEFUL) || strcmp(n->op->name, "Placeholder") == 0)
      st = loc_error(I, at, SF_ENAME,
                     "unsupported: %s on a tensor whose value is known only when the function runs (it depends on "
                     "'%s'; seedflow unrolls loops and conditionals over tensors at trace time)",
                     what, n->name);
    for (int k = 0; st == SF_OK && k < n->ninputs; k++)
      if (!seen[n->inputs[k]]) seen[n->inputs[k]] = true, stack[sp++] = n->inputs[k];
  }
  free(stack);
  free(seen);
  if (st != SF_OK) return st;
  sf_session tmp;
  sf_session_init(&tmp, g, 0);
  st = sf_session_run(&tmp, &I->rt, &id, 1, NULL, 0, out, NULL, I->err);
  sf_session_free(&tmp);
  return st;
}

/* The value of tensor v now: eager, or (AutoGraph) at trace time; a TypeError in a graph. */
static sf_status tensor_now(sf_interp *I, const sf_expr *at, const sf_val *v, const char *what, bool iterate,
                            bool explicit_op, sf_tensor **out) {
  sf_tensor *t = sf_b_eager_value(I, v);
  if (t) return *out = sf_tensor_ref(t), SF_OK;
  if (v->g != I->ctx.graph) return loc_error(I, at, SF_EGRAPH, "%s: a tensor from another graph%s", what, "");
  if (explicit_op || traced_autograph(I)) return trace_time_value(I, at, v->node, what, out);
  bool tf1 = I->opt.profile == SF_PROFILE_TF1;
  if (iterate)
    return sf_py_raise(I, at, BC_TYPEERR, "%s",
                       tf1 ? "Tensor objects are only iterable when eager execution is enabled. To iterate over this "
                             "tensor use tf.map_fn."
                           : "Iterating over a symbolic `tf.Tensor` is not allowed in Graph execution. Use Eager "
                             "execution or decorate this function with @tf.function.");
  return sf_py_raise(I, at, BC_TYPEERR, "%s",
                     tf1 ? "Using a `tf.Tensor` as a Python `bool` is not allowed. Use `if t is not None:` instead of "
                           "`if t:` to test if a tensor is defined, and use TensorFlow ops such as tf.cond to execute "
                           "subgraphs conditioned on the value of a tensor."
                         : "Using a symbolic `tf.Tensor` as a Python `bool` is not allowed in Graph execution. Use "
                           "Eager execution or decorate this function with @tf.function.");
}

/* explicit_op: tf.while_loop's / tf.cond's own condition, decided at trace time in any graph. */
static sf_status truth(sf_interp *I, const sf_expr *at, const sf_val *v, const char *what, bool explicit_op, bool *out) {
  sf_status st;
  if (sf_py_lazy_error(I, at, v, &st)) return st;
  if (v->kind != V_TENSOR) return *out = sf_truthy(I, v), SF_OK;
  sf_tensor *t;
  st = tensor_now(I, at, v, what, false, explicit_op, &t);
  if (st != SF_OK) return st;
  if (t->n != 1) {
    sf_tensor_unref(t);
    return sf_py_raise(I, at, BC_VALUEERR,
                       "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()");
  }
  *out = sf_tensor_get(t, 0) != 0;
  sf_tensor_unref(t);
  return SF_OK;
}

sf_status sf_ctl_truth(sf_interp *I, const sf_expr *at, const sf_val *v, const char *what, bool *out) {
  return truth(I, at, v, what, false, out);
}

/* ---- frames ---- */

static sf_status enter(sf_interp *I, const sf_expr *at, sf_ctl_frame *f, const char *what) {
  if (!f->active) return SF_OK;
  if (I->opt.profile == SF_PROFILE_TF1) {
    f->active = false;
    return loc_error(I, at, SF_ENAME,
                     "unsupported: %s in a graph under the tf1 profile (TF 1.x-2.1 count the control-flow "
                     "construction ops into the op seeds; seedflow models while_v2/cond_v2, the tf2 profile)%s",
                     what, "");
  }
  f->g = I->ctx.graph;
  f->saved_counter = f->g->seed_counter;
  f->g->seed_counter = 0; /* a FuncGraph of its own: get_seed's counter starts at 0 */
  f->up = I->ctl;
  I->ctl = f;
  return SF_OK;
}

sf_status sf_ctl_branch(sf_interp *I, const sf_expr *at, sf_ctl_frame *f, const void *stmt, bool side) {
  *f = (sf_ctl_frame){.active = !I->ctx.eager, .branch = true, .stmt = stmt, .side = side};
  return enter(I, at, f, "a conditional on a tensor");
}

sf_status sf_ctl_loop(sf_interp *I, const sf_expr *at, sf_ctl_frame *f) {
  *f = (sf_ctl_frame){.active = !I->ctx.eager, .iter = -1};
  return enter(I, at, f, "a loop over tensors");
}

void sf_ctl_iter(sf_interp *I, sf_ctl_frame *f) {
  (void)I;
  if (!f->active) return;
  f->iter++;
  f->g->seed_counter = 0; /* the body is one trace: every iteration builds the same seeds */
}

void sf_ctl_cond(sf_interp *I, sf_ctl_frame *f) {
  (void)I;
  if (f->active) f->g->seed_counter = 0; /* the cond graph's own counter */
}

sf_status sf_ctl_leave(sf_interp *I, sf_ctl_frame *f, sf_status st) {
  if (!f->active) return st;
  f->g->seed_counter = f->saved_counter;
  I->ctl = f->up;
  free(f->sites);
  f->active = false;
  return st;
}

/* The occurrence number of (line, branch) in f's current iteration. */
static int occurrence(sf_ctl_frame *f, int line, uintptr_t branch) {
  for (int i = 0; i < f->nsites; i++) {
    sf_ctl_site *s = &f->sites[i];
    if (s->line != line || s->branch != branch || s->occ != 0) continue;
    if (s->stamp != f->iter) s->stamp = f->iter, s->uses = 0;
    return s->uses++;
  }
  return 0; /* first ever: the new site (occ 0) starts the count */
}

static bool add_site(sf_ctl_frame *f, int line, uintptr_t branch, int occ, int root) {
  if (f->nsites == f->capsites) {
    int nc = f->capsites ? f->capsites * 2 : 8;
    sf_ctl_site *ns = realloc(f->sites, (size_t)nc * sizeof *ns);
    if (!ns) return false;
    f->sites = ns;
    f->capsites = nc;
  }
  f->sites[f->nsites++] = (sf_ctl_site){line, branch, occ, root, f->iter, occ == 0 ? 1 : 0};
  return true;
}

sf_status sf_ctl_node(sf_interp *I, sf_node *n) {
  unsigned fl = n->op->flags;
  if (!I->ctl || !(fl & SF_OPF_RANDOM) || (fl & SF_OPF_SHARED_STREAM)) return SF_OK;
  sf_ctl_frame *visited[32];
  int occs[32], nv = 0, root = 0;
  uintptr_t branch = 0;
  for (sf_ctl_frame *f = I->ctl; f && f->g == I->ctx.graph && nv < 32; f = f->up) {
    if (f->branch) {
      branch = branch * 31 + ((uintptr_t)f->stmt << 1) + f->side;
      continue;
    }
    int occ = occurrence(f, n->line, branch);
    for (int i = 0; i < f->nsites && !root; i++)
      if (f->sites[i].line == n->line && f->sites[i].branch == branch && f->sites[i].occ == occ) root = f->sites[i].root;
    if (root) break;
    visited[nv] = f;
    occs[nv++] = occ;
  }
  for (int i = 0; i < nv; i++)
    if (!add_site(visited[i], n->line, branch, occs[i], root ? root : n->id)) return sf_py_oom(I);
  if (!root) return SF_OK;
  /* the same kernel, after the previous node that runs on it */
  sf_graph *g = I->ctx.graph;
  int prev = 0;
  for (int id = n->id - 1; id >= root && !prev; id--)
    if (id == root || g->nodes[id - 1]->kernel_of == root) prev = id;
  n->kernel_of = root;
  return sf_graph_add_ctrl(g, n, prev, I->err);
}

/* ---- for x in tensor ---- */

sf_status sf_ctl_elements(sf_interp *I, const sf_expr *at, const sf_val *v, sf_val *out) {
  sf_tensor *t;
  sf_status st = tensor_now(I, at, v, "a for loop", true, false, &t);
  if (st != SF_OK) return st;
  if (t->shape.rank == 0) {
    sf_tensor_unref(t);
    return sf_py_raise(I, at, BC_TYPEERR, "Cannot iterate over a scalar tensor.");
  }
  int64_t rows = t->shape.dims[0], per = rows ? t->n / rows : 0;
  sf_shape es = {.rank = t->shape.rank - 1};
  for (int d = 1; d < t->shape.rank; d++) es.dims[d - 1] = t->shape.dims[d];
  size_t sz = sf_dtype_size(t->dtype);
  if (!sf_list_new(O_LIST, rows, out)) st = sf_py_oom(I);
  for (int64_t r = 0; st == SF_OK && r < rows; r++) {
    sf_tensor *e = sf_tensor_new(t->dtype, &es, I->err);
    if (!e) {
      st = I->err->code;
      break;
    }
    memcpy(e->data, (const char *)t->data + (size_t)(r * per) * sz, (size_t)per * sz);
    int id;
    st = sf_b_const(I, e, NULL, &id);
    sf_tensor_unref(e);
    if (st == SF_OK) sf_b_tensor_val(I, id, &SF_LIST(out)->items[r]);
  }
  sf_tensor_unref(t);
  return st;
}

/* ---- tf.while_loop, tf.cond ---- */

/* Flat values' strings copied to the arena (the objects they came from go away). */
static sf_status keep_strings(sf_interp *I, sf_val *v) {
  if (v->kind == V_STR && !(v->s = sf_arena_strdup(&I->arena, v->s))) return sf_py_oom(I);
  for (int i = 0; (v->kind == V_LIST || v->kind == V_TUPLE) && i < v->n; i++) {
    sf_status st = keep_strings(I, &v->items[i]);
    if (st != SF_OK) return st;
  }
  return SF_OK;
}

/* The counted tensors in v that fn returned: now the caller's (sf_eager_take), released with
 * the loop variables they become, or counted again as the API's result. */
static void take_results(sf_interp *I, const sf_val *v) {
  if (v->kind == V_TENSOR && v->counted && v->g == I->E.g) sf_eager_take(&I->E, v->node);
  for (int64_t i = 0; (sf_is(v, O_LIST) || sf_is(v, O_TUPLE)) && i < SF_LIST(v)->n; i++) take_results(I, &SF_LIST(v)->items[i]);
}

/* The first value in flat v that is an object (a dict, a class instance), or NULL: the loop
 * and branch values are tensors, numbers, strings and lists or tuples of them (an object's
 * flat value is borrowed from the Python value call_fn drops). */
static const sf_val *object_in(const sf_val *v) {
  if (v->kind == V_OBJ) return v;
  for (int i = 0; (v->kind == V_LIST || v->kind == V_TUPLE) && i < v->n; i++) {
    const sf_val *o = object_in(&v->items[i]);
    if (o) return o;
  }
  return NULL;
}

static sf_status no_objects(sf_interp *I, const sf_args *a, const sf_val *v, const char *what) {
  const sf_val *o = object_in(v);
  if (!o) return SF_OK;
  return sf_arg_error(I, a, SF_ENAME, "unsupported: %s holding a %s (seedflow takes tensors, numbers and lists or tuples "
                      "of them)", what, sf_type_name(o));
}

/* A flat value's tensors as handles the API holds (no longer counted: taken). */
static void uncount(sf_val *v) {
  if (v->kind == V_TENSOR) v->counted = false;
  for (int i = 0; (v->kind == V_LIST || v->kind == V_TUPLE) && i < v->n; i++) uncount(&v->items[i]);
}

/* fn(*args) with flat API values in and out. */
static sf_status call_fn(sf_interp *I, const sf_args *a, const sf_val *fn, const sf_val *args, int n, sf_val *out,
                         const char *what) {
  sf_val *pv = calloc((size_t)(n ? n : 1), sizeof *pv);
  if (!pv) return sf_py_oom(I);
  sf_status st = SF_OK;
  int made = 0;
  for (; st == SF_OK && made < n; made++) st = sf_py_from_api(I, &args[made], &pv[made]);
  sf_val r = sf_none();
  sf_args ca = {.call = a->call, .pos = pv, .npos = n};
  if (st == SF_OK) st = sf_py_call(I, fn, &ca, &r);
  for (int i = 0; i < made; i++) sf_val_drop(&pv[i]);
  free(pv);
  if (st == SF_OK) st = sf_py_to_api(I, &r, out);
  if (st == SF_OK) st = no_objects(I, a, out, what);
  if (st == SF_OK) st = keep_strings(I, out); /* they point into r */
  if (st == SF_OK) take_results(I, &r), uncount(out);
  sf_val_drop(&r);
  return st;
}

/* Whether flat value v holds eager node id (a loop variable may be a list or tuple of them). */
static bool holds(sf_interp *I, const sf_val *v, int id) {
  if (v->kind == V_TENSOR) return v->g == I->E.g && v->node == id;
  for (int i = 0; (v->kind == V_LIST || v->kind == V_TUPLE) && i < v->n; i++)
    if (holds(I, &v->items[i], id)) return true;
  return false;
}

/* The eager nodes after lo that no loop variable holds: released (an iteration's own). */
static void release_iteration(sf_interp *I, int lo, const sf_val *vars, int n) {
  for (int id = lo + 1; id <= I->E.g->n; id++) {
    bool held = false;
    for (int i = 0; i < n && !held; i++) held = holds(I, &vars[i], id);
    if (!held) sf_eager_release_internal(&I->E, id);
  }
}

/* Loop variables as graph tensors (while_v2 converts them); eager ones stay as they are. */
static sf_status to_tensors(sf_interp *I, const sf_args *a, sf_val *vars, int n) {
  for (int i = 0; i < n && !I->ctx.eager; i++) {
    if (vars[i].kind != V_INT && vars[i].kind != V_FLOAT && vars[i].kind != V_BOOL) continue;
    int id;
    sf_status st = sf_b_tensor(I, &vars[i], -1, "Const", a->call, &id);
    if (st != SF_OK) return st;
    sf_b_tensor_val(I, id, &vars[i]);
  }
  return SF_OK;
}

/* while_loop(cond, body, loop_vars, ...): tf.while_loop returns loop_vars' structure;
 * compat.v1's unpacks a single variable unless return_same_structure. */
static sf_status while_loop(sf_interp *I, const sf_args *a, sf_val *out, bool v1) {
  const char *fname = "while_loop";
  SF_BIND(fname,
          "cond body loop_vars shape_invariants parallel_iterations back_prop swap_memory maximum_iterations name "
          "return_same_structure",
          10);
  for (int i = 0; i < 3; i++)
    if ((st = sf_arg_need(I, a, fname, i == 0 ? "cond" : i == 1 ? "body" : "loop_vars", g[i])) != SF_OK) return st;
  if (g[3] && v[3].kind != V_NONE) return sf_arg_error(I, a, SF_ENAME, "unsupported: while_loop(shape_invariants=...)");
  int64_t max_iter = -1;
  if (g[7] && v[7].kind != V_NONE && (st = sf_arg_int(I, a, fname, "maximum_iterations", &v[7], &max_iter)) != SF_OK)
    return st;
  v1 = v1 || I->opt.profile == SF_PROFILE_TF1; /* TF 1.x has only the v1 API */
  bool same = !v1 || (g[9] && sf_truthy(I, &v[9]));
  bool seq = v[2].kind == V_LIST || v[2].kind == V_TUPLE;
  sf_vkind kind = v[2].kind; /* eager: what the body returned last (control_flow_ops.while_loop) */
  int n = seq ? v[2].n : 1;
  sf_val *vars = sf_arena_alloc(&I->arena, (size_t)(n ? n : 1) * sizeof *vars);
  if (!vars) return sf_py_oom(I);
  for (int i = 0; i < n; i++) vars[i] = seq ? v[2].items[i] : v[2];
  if ((st = no_objects(I, a, &v[2], "tf.while_loop's loop_vars")) != SF_OK || (st = to_tensors(I, a, vars, n)) != SF_OK)
    return st;
  sf_ctl_frame f;
  if ((st = sf_ctl_loop(I, a->call, &f)) != SF_OK) return st;
  /* eager: what an iteration made and no loop variable holds is released after it (the
   * nodes from lo on: the last iteration's variables and this one's own), unless program
   * code that may keep a tensor ran (py_calls) */
  int64_t calls = I->py_calls;
  int lo = I->E.g->n;
  for (int64_t k = 0; st == SF_OK && (max_iter < 0 || k < max_iter); k++) {
    int mark = I->E.g->n;
    if ((st = sf_py_tick(I, a->call)) != SF_OK) break;
    sf_ctl_cond(I, &f);
    sf_val c;
    bool t = false;
    if ((st = call_fn(I, a, &v[0], vars, n, &c, "tf.while_loop's cond result")) == SF_OK) st = truth(I, a->call, &c, "tf.while_loop's cond", true, &t);
    if (st != SF_OK || !t) break;
    sf_ctl_iter(I, &f);
    sf_val r;
    if ((st = call_fn(I, a, &v[1], vars, n, &r, "a tf.while_loop body's result")) != SF_OK) break;
    bool rseq = r.kind == V_LIST || r.kind == V_TUPLE;
    int rn = rseq ? r.n : 1;
    if (rn != n)
      st = sf_py_raise(I, a->call, BC_VALUEERR,
                       "The two structures don't have the same nested structure: body returned %d values for %d loop "
                       "variables", rn, n);
    for (int i = 0; st == SF_OK && i < n; i++) vars[i] = rseq ? r.items[i] : r;
    if (I->ctx.eager && rseq) kind = r.kind;
    if (st == SF_OK) st = to_tensors(I, a, vars, n);
    if (st == SF_OK && I->ctx.eager && I->ctx.graph == I->E.g && I->py_calls == calls) {
      release_iteration(I, lo, vars, n);
      lo = mark;
    }
  }
  if ((st = sf_ctl_leave(I, &f, st)) != SF_OK) return st;
  if (!seq || (n == 1 && !same)) return *out = vars[0], SF_OK;
  *out = (sf_val){.kind = kind, .items = vars, .n = n};
  return SF_OK;
}

static sf_status api_while_loop(sf_interp *I, const sf_args *a, sf_val *out) { return while_loop(I, a, out, false); }
static sf_status api_while_loop_v1(sf_interp *I, const sf_args *a, sf_val *out) { return while_loop(I, a, out, true); }

/* cond(pred, true_fn, false_fn): the branch pred selects, called with no arguments. */
static sf_status api_cond(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("cond", "pred true_fn false_fn strict name fn1 fn2", 7);
  if ((st = sf_arg_need(I, a, "cond", "pred", g[0])) != SF_OK) return st;
  const sf_val *tf = g[1] ? &v[1] : &v[5], *ff = g[2] ? &v[2] : &v[6];
  if (tf->kind == V_NONE) return sf_py_raise(I, a->call, BC_TYPEERR, "true_fn must be callable.");
  if (ff->kind == V_NONE) return sf_py_raise(I, a->call, BC_TYPEERR, "false_fn must be callable.");
  bool t;
  if ((st = truth(I, a->call, &v[0], "tf.cond", true, &t)) != SF_OK) return st;
  sf_ctl_frame f;
  if ((st = sf_ctl_branch(I, a->call, &f, a->call, t)) != SF_OK) return st;
  st = call_fn(I, a, t ? tf : ff, NULL, 0, out, "a tf.cond branch's result");
  return sf_ctl_leave(I, &f, st);
}

static const struct {
  const char *path;
  sf_builtin_fn fn;
} api[] = {
    {"tf.while_loop", api_while_loop},
    {"tf.compat.v1.while_loop", api_while_loop_v1},
    {"tf.cond", api_cond},
    {"tf.compat.v1.cond", api_cond},
};

bool sf_control_runs_functions(sf_builtin_fn fn) {
  return fn == api_while_loop || fn == api_while_loop_v1 || fn == api_cond;
}

sf_builtin_fn sf_control_lookup(const char *path) {
  for (size_t i = 0; i < sizeof api / sizeof *api; i++)
    if (strcmp(api[i].path, path) == 0) return api[i].fn;
  return NULL;
}
