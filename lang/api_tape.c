/* api_tape.c — the TF2 training-loop API: tf.GradientTape, eager tf.Variable objects
 * (resource variables with assign / assign_add / assign_sub / read_value / numpy) and the
 * tf.Module base class. A tape is a span of the graph the ops go to (the eager graph, or
 * the FuncGraph being traced): its gradient runs the gradient rules over the nodes the
 * span recorded (engine/gradients.c), as backprop.py's imperative_grad walks its tape. */
#include "interp.h"
#include "py.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define NATIVE(name) static sf_status name(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out)

/* Class names by address: an object is a variable / tape when its class's name is this. */
static const char var_class[] = "ResourceVariable";
static const char tape_class[] = "GradientTape";
static const char module_class[] = "Module";

static sf_status oom(sf_interp *I) { return sf_py_oom(I); }

/* The flat API returns borrowed objects (sf_py_from_api takes its own reference). */
static sf_status borrowed(sf_val *v) {
  if (v->kind == V_OBJ) v->o->rc--;
  return SF_OK;
}

/* Where type() finds the classes of this file's objects. */
static const char *class_module(const char *name) {
  return name == var_class ? "tensorflow.python.ops.resource_variable_ops"
         : name == tape_class ? "tensorflow.python.eager.backprop"
         : name == module_class ? "tensorflow.python.module.module" : NULL;
}

static sf_class *new_class(sf_interp *I, const char *name) {
  sf_class *c = sf_py_api_class(I, name);
  if (c) c->module = class_module(name);
  return c;
}

/* A new instance of a new class named cname (the class reference moves into it). */
static sf_inst *new_object(sf_interp *I, const char *cname, sf_val *out) {
  sf_inst *x = sf_py_api_object(I, cname, out);
  if (x) x->cls->module = class_module(cname);
  return x;
}

bool sf_tape_new_object(sf_interp *I, const char *cname, sf_val *out) { return new_object(I, cname, out) != NULL; }

static bool is_object(const sf_val *v, const char *cname) {
  return sf_is(v, O_INST) && ((sf_inst *)v->o)->cls->name == cname;
}

static sf_val *field(const sf_val *obj, const char *name) { return sf_dict_get_str(((sf_inst *)obj->o)->attrs, name); }

static bool set_field(const sf_val *obj, const char *name, sf_val v) {
  bool ok = sf_dict_set_str(((sf_inst *)obj->o)->attrs, name, &v);
  sf_val_drop(&v);
  return ok;
}

struct native_def {
  const char *name;
  sf_native_fn fn;
};

/* obj's methods: natives in its class's dict (each object has a class of its own), bound
 * to obj when read through it and called with obj as their self. An object holding
 * natives bound to itself would never be freed (a loop of tapes, or of
 * model.trainable_variables, kept 6-27 KB a step). */
static sf_status def_natives(sf_interp *I, const sf_val *obj, const struct native_def *m, size_t n, bool keeps_none) {
  sf_dict *d = ((sf_inst *)obj->o)->cls->attrs;
  for (size_t i = 0; i < n; i++) {
    if (!sf_py_def_native(d, m[i].name, m[i].fn, NULL)) return oom(I);
    sf_native *nat = (sf_native *)sf_dict_get_str(d, m[i].name)->o;
    nat->method = true;
    nat->keeps_none = keeps_none;
  }
  return SF_OK;
}

/* ---- tf.Variable (eager): resource_variable_ops.py ResourceVariable ---- */

bool sf_tape_is_variable(const sf_val *v) { return is_object(v, var_class); }

static int var_index(const sf_val *v) { return (int)field(v, "_var")->i; }

sf_status sf_tape_read(sf_interp *I, const sf_val *v, sf_val *out) {
  int id;
  sf_status st = sf_b_read(I, var_index(v), &id);
  if (st == SF_OK) sf_b_tensor_val(I, id, out);
  return st;
}

static sf_status make_variable(sf_interp *I, int k, const char *name, bool trainable, sf_val *out);

/* assign / assign_add / assign_sub(value, use_locking=None, name=None, read_value=True):
 * one AssignVariableOp / AssignAddVariableOp / AssignSubVariableOp; with read_value the
 * result is the variable again, as TF's _lazy_read (an _UnreadVariable, printed so). */
static sf_status assign_like(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out, const char *fname,
                             const char *op) {
  sf_val v[4];
  sf_status st = sf_native_bind(I, a, fname, "value use_locking name read_value", v, 4);
  if (st != SF_OK) return st;
  if (v[0].kind == V_NONE) return sf_arg_error(I, a, SF_ETYPE, "%s() missing 1 required positional argument: 'value'", fname);
  int k = var_index(self), id, first = I->E.g->n;
  const sf_tensor *cur = I->rt.vars[k];
  sf_val fv = {0};
  sf_api_tmp tmp = {0}; /* a list's items: the Const is built from them */
  if ((st = sf_py_to_api_tmp(I, &v[0], &fv, &tmp)) == SF_OK)
    st = sf_b_tensor(I, &fv, fv.kind == V_TENSOR ? -1 : (int)cur->dtype, "value", a->call, &id);
  sf_api_tmp_free(&tmp);
  if (st != SF_OK) return st;
  const sf_node *vn = sf_graph_node(I->ctx.graph, id);
  if (vn->dtype != cur->dtype)
    return sf_arg_error(I, a, SF_ETYPE, "%s(): cannot assign a %s value to a %s variable", fname, sf_dtype_name(vn->dtype),
                        sf_dtype_name(cur->dtype));
  sf_attr_value attrs[SF_B_ATTRS];
  sf_b_attrs(op, attrs);
  sf_b_attr_set(op, attrs, "var", (sf_attr_value){.i = k});
  sf_node *n;
  if ((st = sf_b_op(I, op, op, &id, 1, attrs, &n)) != SF_OK) return st;
  /* eager: the update is in the variable; its op (and the Const of a Python value) keep
   * no value (each step's update kept the variable's new value: 256 KB a step) */
  for (int i = first + 1; I->ctx.graph == I->E.g && i <= I->E.g->n; i++) sf_eager_release_internal(&I->E, i);
  if (v[3].kind == V_BOOL && !v[3].b) return *out = sf_none(), SF_OK;
  return make_variable(I, k, "UnreadVariable", sf_truthy(I, field(self, "trainable")), out);
}

NATIVE(var_assign) { return assign_like(I, self, a, out, "assign", "AssignVariableOp"); }
NATIVE(var_assign_add) { return assign_like(I, self, a, out, "assign_add", "AssignAddVariableOp"); }
NATIVE(var_assign_sub) { return assign_like(I, self, a, out, "assign_sub", "AssignSubVariableOp"); }

static sf_status no_args(sf_interp *I, const sf_args *a, const char *fname) {
  if (a->npos || a->nkw) return sf_py_raise(I, a->call, BC_TYPEERR, "%s() takes no arguments", fname);
  return SF_OK;
}

/* read_value() / value(): a ReadVariableOp in the current graph. */
NATIVE(var_read_value) {
  sf_status st = no_args(I, a, "read_value");
  if (st != SF_OK) return st;
  sf_val t;
  int first = I->E.g->n;
  if ((st = sf_tape_read(I, self, &t)) != SF_OK || (st = sf_py_from_api(I, &t, out)) != SF_OK) return st;
  /* counted in the eager frame: a read of a variable assigned each step kept each value */
  if (sf_py_counting(I)) sf_py_count_made(I, first, out);
  return SF_OK;
}

/* The variable's value now as an eager NumPy array (numpy(), repr). */
static sf_status eager_value(sf_interp *I, const sf_val *self, sf_val *out) {
  sf_tensor *t = I->rt.vars[var_index(self)];
  int id;
  sf_status st = sf_b_host_array(I, t, "Const", &id);
  if (st == SF_OK) *out = (sf_val){.kind = V_TENSOR, .g = I->E.g, .node = id, .numpy = true};
  if (st == SF_OK) sf_np_scalarize(I, out); /* a 0-d value is a NumPy scalar, as EagerTensor.numpy() */
  return st;
}

NATIVE(var_numpy) {
  sf_status st = no_args(I, a, "numpy");
  if (st != SF_OK) return st;
  if (!I->ctx.eager) /* BaseResourceVariable.numpy */
    return sf_py_raise(I, a->call, BC_NOTIMPL, "numpy() is only available when eager execution is enabled.");
  return eager_value(I, self, out);
}

/* BaseResourceVariable.__repr__ in eager mode:
 * "<tf.Variable '%s' shape=%s dtype=%s, numpy=%s>" with numpy_text(is_repr=True). */
NATIVE(var_repr) {
  sf_val arr;
  sf_status st = eager_value(I, self, &arr);
  if (st != SF_OK) return st;
  sf_buf b = {0};
  const sf_tensor *t = I->rt.vars[var_index(self)];
  sf_buf_printf(&b, "<tf.Variable '%s' shape=(", SF_STR(field(self, "name"))->s);
  for (int d = 0; d < t->shape.rank; d++) sf_buf_printf(&b, "%s%lld", d ? ", " : "", (long long)t->shape.dims[d]);
  sf_buf_printf(&b, "%s) dtype=%s, numpy=", t->shape.rank == 1 ? "," : "", sf_dtype_name(t->dtype));
  if ((st = sf_interp_format_value(I, a->call, &arr, true, &b)) == SF_OK) {
    sf_buf_puts(&b, ">");
    if (b.oom || !sf_str_new(b.s, b.n, out)) st = oom(I);
  }
  free(b.s);
  return st;
}

static sf_status make_variable(sf_interp *I, int k, const char *name, bool trainable, sf_val *out) {
  if (!new_object(I, var_class, out)) return oom(I);
  const sf_tensor *t = I->rt.vars[k];
  sf_val shape = {0}, name_v = {0};
  sf_status st = SF_OK;
  if (!sf_list_new(O_TUPLE, t->shape.rank, &shape)) return sf_val_drop(out), oom(I);
  for (int d = 0; d < t->shape.rank; d++) SF_LIST(&shape)->items[d] = sf_int(t->shape.dims[d]);
  if (!sf_str_cstr(name, &name_v) || !set_field(out, "_var", sf_int(k)) || !set_field(out, "name", name_v) ||
      !set_field(out, "trainable", sf_bool(trainable)) ||
      !set_field(out, "dtype", (sf_val){.kind = V_DTYPE, .dtype = t->dtype}) || !set_field(out, "shape", shape))
    st = oom(I);
  static const struct native_def methods[] = {
      {"assign", var_assign},         {"assign_add", var_assign_add}, {"assign_sub", var_assign_sub},
      {"read_value", var_read_value}, {"value", var_read_value},      {"numpy", var_numpy},
      {"__repr__", var_repr},
  };
  /* they keep none of their arguments: an assignment builds its op from the value, whose
   * tensor the variable then holds by reference (a step's `v.assign(x * 2.0)` kept x * 2.0) */
  if (st == SF_OK) st = def_natives(I, out, methods, sizeof methods / sizeof *methods, true);
  if (st != SF_OK) sf_val_drop(out);
  return st;
}

sf_status sf_tape_new_variable(sf_interp *I, const sf_args *a, int init, const sf_val *trainable, const sf_val *name,
                               const sf_val *constraint, sf_val *out) {
  if (name->kind != V_NONE && name->kind != V_STR) return sf_arg_error(I, a, SF_ETYPE, "Variable(): name must be a str");
  int k;
  sf_status st = sf_b_variable(I, init, &k);
  if (st != SF_OK) return st;
  char buf[256];
  snprintf(buf, sizeof buf, "%s:0", name->kind == V_STR ? name->s : "Variable"); /* eager names are not uniquified */
  const char *nm = sf_arena_strdup(&I->arena, buf);
  if (!nm) return oom(I);
  if ((st = sf_tape_wrap_variable(I, k, nm, trainable->kind == V_NONE || sf_truthy(I, trainable), constraint, out)) != SF_OK)
    return st;
  return borrowed(out);
}

/* A Keras weight as a tf.Variable object (a new reference) with its constraint (or None). */
sf_status sf_tape_wrap_variable(sf_interp *I, int k, const char *name, bool trainable, const sf_val *constraint, sf_val *out) {
  if (!trainable && k >= I->nfrozen_vars) { /* a tape's watch_accessed_variables skips it */
    int nc = k + 1 > 2 * I->nfrozen_vars ? k + 1 : 2 * I->nfrozen_vars;
    bool *f = sf_arena_grow(&I->arena, I->frozen_vars, (size_t)I->nfrozen_vars, (size_t)nc, sizeof *f);
    if (!f) return oom(I);
    I->frozen_vars = f;
    I->nfrozen_vars = nc;
  }
  if (k < I->nfrozen_vars) I->frozen_vars[k] = !trainable;
  sf_status st = make_variable(I, k, name, trainable, out);
  sf_val c = *constraint;
  sf_val_ref(&c);
  if (st == SF_OK && !set_field(out, "constraint", c)) st = oom(I);
  return st;
}

/* optimizer_v2.py apply_grad_to_update_var: after a variable's update,
 * var.assign(var.constraint(var)) under a control dependency on it. The constraint gets
 * a read of the variable (as fit's does); inside a graph the read waits for every op in
 * after (the step's updates), so only this variable's update changes what it sees. */
sf_status sf_constrain_variable(sf_interp *I, const sf_val *con, int var, const int *after, int nafter, int *assign) {
  int r, c;
  sf_val in, out = {0};
  sf_status st = sf_b_read(I, var, &r);
  sf_node *rn = st == SF_OK ? sf_graph_node(I->ctx.graph, r) : NULL;
  for (int i = 0; st == SF_OK && !I->ctx.eager && i < nafter; i++) st = sf_graph_add_ctrl(I->ctx.graph, rn, after[i], I->err);
  if (st == SF_OK) {
    sf_b_tensor_val(I, r, &in);
    st = sf_py_call1(I, con, &in, &out);
  }
  if (st == SF_OK) st = sf_b_tensor_take(I, &out, (int)sf_graph_node(I->ctx.graph, r)->dtype, "constraint", NULL, &c);
  else sf_val_drop(&out);
  sf_attr_value a[SF_B_ATTRS];
  sf_b_attrs("AssignVariableOp", a);
  sf_node *n;
  if (st == SF_OK) {
    sf_b_attr_set("AssignVariableOp", a, "var", (sf_attr_value){.i = var});
    st = sf_b_op(I, "AssignVariableOp", "AssignVariableOp", &c, 1, a, &n);
  }
  if (st == SF_OK) *assign = n->id;
  return st;
}

/* ---- tf.GradientTape: backprop.py ---- */

/* Fields: _persistent, _watch_vars (watch_accessed_variables), _live (it has a tape:
 * backprop.py's self._tape is not None; a non-persistent tape's gradient ends it, entering
 * again starts a new one), _recording, _spans (each time it recorded: the graph (a V_TENSOR
 * value carrying it), the node ids bounding the span, start and stop, stop -1 while
 * recording; entering a live tape again goes on recording on it, tape.push_tape, in
 * whichever graph: an eager one, a function traced), _graph (the graph it records in now, or
 * last did), _watched
 * (a list of watched tensors and variables), _watched_at (for each, the graph's last node
 * when it was watched), _suspends (the token of its suspension of releasing,
 * sf_eager_suspend; 0 when none). */
static int suspension(const sf_val *tape) {
  const sf_val *s = field(tape, "_suspends");
  return s && s->kind == V_INT ? (int)s->i : 0;
}

/* Ends the tape's current recording at the graph's last node (backprop.py _pop_tape). */
static bool stop_recording(sf_interp *I, const sf_val *tape) {
  sf_list *sp = SF_LIST(field(tape, "_spans"));
  if (!field(tape, "_recording")->b) return true;
  sp->items[sp->n - 1] = sf_int(sp->items[sp->n - 3].g->n);
  if (!set_field(tape, "_recording", sf_bool(false))) return false;
  I->recording_tapes--;
  return true;
}

NATIVE(tape_enter) {
  (void)a;
  if (field(self, "_recording")->b)
    return sf_py_raise(I, a->call, BC_VALUEERR,
                       "Tape is still recording, This can happen if you try to re-enter an already-active tape.");
  bool live = field(self, "_live")->b;
  if (!live) { /* a new tape: tape.push_new_tape (what an old one watched is gone with it) */
    sf_val watched = {0}, watched_at = {0};
    if (!sf_list_new(O_LIST, 0, &watched) || !set_field(self, "_watched", watched) || !sf_list_new(O_LIST, 0, &watched_at) ||
        !set_field(self, "_watched_at", watched_at) || !set_field(self, "_live", sf_bool(true)))
      return oom(I);
  }
  sf_val g = {.kind = V_TENSOR, .g = I->ctx.graph}, spans = {0};
  if (!live && (!sf_list_new(O_LIST, 0, &spans) || !set_field(self, "_spans", spans))) return oom(I);
  if (!set_field(self, "_graph", g)) return oom(I); /* where it records now */
  /* the tape reads the values of the ops it records, and of their inputs: a non-persistent
   * tape in the eager frame suspends releasing until its gradient is taken (entered again,
   * it is suspending already); any other stops it for good */
  if (sf_truthy(I, field(self, "_persistent")) || I->ctx.graph != I->E.g) {
    sf_eager_keep_all(&I->E);
  } else if (!suspension(self) && !set_field(self, "_suspends", sf_int(sf_eager_suspend(&I->E)))) {
    return oom(I);
  }
  sf_list *sp = SF_LIST(field(self, "_spans"));
  sf_val start = sf_int(I->ctx.graph->n), stop = sf_int(-1);
  if (!sf_list_append(sp, &g) || !sf_list_append(sp, &start) || !sf_list_append(sp, &stop) ||
      !set_field(self, "_recording", sf_bool(true)))
    return oom(I);
  I->recording_tapes++;
  *out = *self;
  sf_val_ref(out);
  return SF_OK;
}

NATIVE(tape_exit) {
  (void)a;
  if (!stop_recording(I, self)) return oom(I);
  *out = sf_bool(false);
  return SF_OK;
}

/* watch(tensor): a tensor, a variable, or a (nested) list/tuple of them. */
static sf_status watch_one(sf_interp *I, const sf_val *self, const sf_args *a, const sf_val *v) {
  sf_list *w = SF_LIST(field(self, "_watched"));
  if (sf_is(v, O_LIST) || sf_is(v, O_TUPLE)) {
    sf_list *l = SF_LIST(v);
    for (int64_t i = 0; i < l->n; i++) {
      sf_status st = watch_one(I, self, a, &l->items[i]);
      if (st != SF_OK) return st;
    }
    return SF_OK;
  }
  if (v->kind != V_TENSOR && !sf_tape_is_variable(v))
    return sf_py_raise(I, a->call, BC_VALUEERR, "Passed in object of type %s, not tf.Tensor or tf.Variable",
                       sf_type_name(v));
  /* ops after it read v on the tape (tensorflow/c/eager/tape.h GradientTape::ShouldRecord:
   * an op is recorded when an input is watched as it runs) */
  sf_val at = sf_int(I->ctx.graph->n);
  if (!sf_list_append(SF_LIST(field(self, "_watched_at")), &at)) return oom(I);
  return sf_list_append(w, v) ? SF_OK : oom(I); /* the list's reference */
}

NATIVE(tape_watch) {
  sf_val v[1];
  sf_status st = sf_native_bind(I, a, "watch", "tensor", v, 1);
  if (st != SF_OK) return st;
  /* backprop.py watch passes self._tape, None before the first with block and after a
   * non-persistent tape's gradient, to tape.watch, which reads its _tape */
  if (!field(self, "_live")->b) return sf_py_raise(I, a->call, BC_ATTRERR, "'NoneType' object has no attribute '_tape'");
  if ((st = watch_one(I, self, a, &v[0])) != SF_OK) return st;
  *out = sf_none();
  return SF_OK;
}

/* The tape as a gradient reads it: its recordings from start (the first one's) to stop (the
 * last one's end, or the graph's last node while it records), and rec[id - start], whether
 * it recorded op id. */
typedef struct tape_span {
  sf_graph *g;
  int start, stop;
  bool watch_vars;
  sf_list *watched, *watched_at;
  const bool *frozen;      /* the interpreter's frozen_vars */
  int nfrozen;
  bool *rec;
  bool *reach;             /* reach[id - start]: the target depends on op id (only those are
                            * looked at: a persistent tape re-entered in a loop holds every
                            * step's ops, as TF's does, and its gradient walks what it needs) */
  const sf_op_def *read;   /* ReadVariableOp, and the index of its "var" attribute */
  int var_attr;
} tape_span;

/* Node n's variable when it is a variable read, else -2 (-1 is a generator's state). */
static int read_of(const tape_span *s, const sf_node *n) { return n->op == s->read ? (int)n->attrs[s->var_attr].i : -2; }

static bool frozen(const tape_span *s, int k) { return k >= 0 && k < s->nfrozen && s->frozen[k]; }

/* The graph's last node when the tensor node (var false) or the variable of index node
 * (var true) was first watched, or -1. */
static int watch_time(const tape_span *s, bool var, int node) {
  int at = -1;
  for (int64_t i = 0; i < s->watched->n; i++) {
    const sf_val *w = &s->watched->items[i];
    int wi = (int)s->watched_at->items[i].i;
    bool same = var ? sf_tape_is_variable(w) && var_index(w) == node : w->kind == V_TENSOR && w->g == s->g && w->node == node;
    if (same && (at < 0 || wi < at)) at = wi;
  }
  return at;
}

/* When v (a tensor of s->g, or a tf.Variable object) was first watched, or -1; 0 for a
 * trainable variable under watch_accessed_variables (every read counts: tape.py
 * variable_accessed watches trainable variables only). */
static int first_watch(const tape_span *s, const sf_val *v) {
  if (!sf_tape_is_variable(v)) return watch_time(s, false, v->node);
  return s->watch_vars && !frozen(s, var_index(v)) ? 0 : watch_time(s, true, var_index(v));
}

/* Whether op id reads input e on the tape: e is the output of an op the tape recorded, or a
 * tensor watched before op id ran. */
static bool reads_watched(const tape_span *s, int id, int e) {
  if (e > s->start && s->rec[e - s->start]) return true;
  int w = watch_time(s, false, e);
  return w >= 0 && w < id;
}

/* Whether a read of variable k as op id runs watched: every read of a trainable one under
 * watch_accessed_variables, else the reads after its watch. */
static bool read_watched(const tape_span *s, int id, int k) {
  if (k < 0) return false; /* a tf.random.Generator's state (api_stateless.c): not trainable, never a watched object */
  if (s->watch_vars && !frozen(s, k)) return true;
  int w = watch_time(s, true, k);
  return w >= 0 && w < id;
}

/* s->rec over the spans in s->g (NULL: one, start to stop): an op is recorded when it runs while
 * the tape records and one of its inputs is watched or recorded
 * (tensorflow/c/eager/tape.h GradientTape::ShouldRecord; a variable read, ReadVariableOp,
 * when the variable is watched). */
static bool record_span(tape_span *s, const sf_list *spans, int target) {
  s->read = sf_op_lookup("ReadVariableOp");
  s->var_attr = sf_attr_index(s->read, "var");
  size_t len = (size_t)(s->stop - s->start) + 1;
  s->rec = calloc(len, sizeof *s->rec);
  s->reach = calloc(len, sizeof *s->reach);
  int *stack = malloc(len * sizeof *stack), top = 0;
  if (!s->rec || !s->reach || !stack) return free(stack), false;
  if (target > s->start && target <= s->stop) s->reach[target - s->start] = true, stack[top++] = target;
  while (top) { /* each id is pushed once, when first reached */
    const sf_node *n = s->g->nodes[stack[--top] - 1];
    for (int i = 0; i < n->ninputs; i++) {
      int e = n->inputs[i];
      if (e > s->start && e <= s->stop && !s->reach[e - s->start]) s->reach[e - s->start] = true, stack[top++] = e;
    }
  }
  free(stack);
  for (int64_t k = 0; k + 2 < (spans ? spans->n : 3); k += 3) {
    if (spans && spans->items[k].g != s->g) continue; /* a recording in another graph */
    int from = spans ? (int)spans->items[k + 1].i : s->start, to = spans ? (int)spans->items[k + 2].i : s->stop;
    if (to < 0 || to > s->stop) to = s->stop;
    for (int id = from + 1; id <= to; id++) {
      if (!s->reach[id - s->start]) continue; /* its inputs are not reached either, unless by another op */
      const sf_node *n = s->g->nodes[id - 1];
      bool r = false;
      int k = read_of(s, n);
      if (k > -2) r = read_watched(s, id, k);
      for (int i = 0; i < n->ninputs && !r; i++) r = reads_watched(s, id, n->inputs[i]);
      s->rec[id - s->start] = r;
    }
  }
  return true;
}

/* The nodes a source stands for: a variable's reads the tape recorded (each read is a
 * ReadVariableOp of its own), or a watched tensor / one the tape recorded. */
typedef struct src_list {
  int *node;   /* wrt node ids */
  int *at;     /* the last node before each was watched (sf_gradients_span) */
  int *leaf;   /* the leaf each belongs to */
  int n, cap;
  int nleaves;
  int *vars, nvars; /* the variables among the leaves */
} src_list;

static void src_free(src_list *l) {
  free(l->vars);
  free(l->node);
  free(l->at);
  free(l->leaf);
}

static bool src_push(src_list *l, int node, int at, int leaf) {
  if (l->n == l->cap) {
    int nc = l->cap ? l->cap * 2 : 16;
    int *a = realloc(l->node, (size_t)nc * sizeof *a);
    if (a) l->node = a;
    int *w = a ? realloc(l->at, (size_t)nc * sizeof *w) : NULL;
    if (w) l->at = w;
    int *b = w ? realloc(l->leaf, (size_t)nc * sizeof *b) : NULL;
    if (!b) return false;
    l->leaf = b;
    l->cap = nc;
  }
  l->node[l->n] = node;
  l->at[l->n] = at;
  l->leaf[l->n++] = leaf;
  return true;
}

typedef struct {
  const sf_args *a;
  const tape_span *s;
  src_list *l;
} src_walk;

static sf_status source_leaf(sf_interp *I, const sf_val *v, void *ctx) {
  const sf_args *a = ((src_walk *)ctx)->a;
  const tape_span *s = ((src_walk *)ctx)->s;
  src_list *l = ((src_walk *)ctx)->l;
  int leaf = l->nleaves++;
  if (sf_tape_is_variable(v)) {
    int k = var_index(v);
    int *p = realloc(l->vars, (size_t)(l->nvars + 1) * sizeof *p);
    if (!p) return oom(I);
    l->vars = p;
    l->vars[l->nvars++] = k;
    for (int id = s->start + 1; id <= s->stop; id++) { /* the reads the tape recorded that the target needs */
      if (!s->rec[id - s->start]) continue;
      const sf_node *n = s->g->nodes[id - 1];
      if (read_of(s, n) == k && !src_push(l, id, id, leaf)) return oom(I);
    }
    return SF_OK;
  }
  if (v->kind != V_TENSOR)
    return sf_py_raise(I, a->call, BC_VALUEERR, "Passed in object of type %s, not tf.Tensor or tf.Variable",
                       sf_type_name(v));
  if (v->g != s->g) return SF_OK;
  /* a watched tensor is read on the tape by the ops after its watch; one the tape recorded,
   * by every op after it */
  int w = first_watch(s, v);
  if (v->node > s->start && v->node <= s->stop && s->rec[v->node - s->start] && (w < 0 || w > v->node)) w = v->node;
  if (w >= 0 && sf_dtype_is_float(s->g->nodes[v->node - 1]->dtype) && !src_push(l, v->node, w, leaf)) return oom(I);
  return SF_OK;
}

/* Every leaf of a sources structure (sf_py_each_leaf), in tf.nest's order. */
static sf_status collect_sources(sf_interp *I, const sf_args *a, const tape_span *s, const sf_val *v, src_list *l) {
  src_walk w = {a, s, l};
  return sf_py_each_leaf(I, v, source_leaf, &w);
}

/* The sources' structure again, each leaf replaced by its gradient (None when none). */
static sf_status pack(sf_interp *I, const sf_val *v, const int *grad, int *leaf, sf_val *out) {
  if (sf_is(v, O_LIST) || sf_is(v, O_TUPLE)) {
    sf_list *src = SF_LIST(v);
    if (!sf_list_new(v->o->t, src->n, out)) return oom(I);
    for (int64_t i = 0; i < src->n; i++) {
      sf_status st = pack(I, &src->items[i], grad, leaf, &SF_LIST(out)->items[i]);
      if (st != SF_OK) return st;
    }
    return SF_OK;
  }
  if (sf_is(v, O_DICT)) {
    sf_dict *d = SF_DICT(v);
    if (!sf_dict_new(O_DICT, out)) return oom(I);
    for (int64_t i = 0; i < d->ne; i++) {
      if (!d->e[i].used) continue;
      sf_val g = {0};
      sf_status st = pack(I, &d->e[i].value, grad, leaf, &g);
      if (st == SF_OK && !sf_dict_set(SF_DICT(out), &d->e[i].key, &g)) st = oom(I);
      sf_val_drop(&g);
      if (st != SF_OK) return st;
    }
    return SF_OK;
  }
  int k = (*leaf)++;
  if (!grad[k]) return *out = sf_none(), SF_OK;
  sf_b_tensor_val(I, grad[k], out);
  return SF_OK;
}

static bool has(const int *a, int n, int v) {
  for (int i = 0; i < n; i++)
    if (a[i] == v) return true;
  return false;
}

/* The record of a traced call whose result holds eager node id, or NULL (I->tcalls is in
 * node order). */
static const sf_traced_call *traced_call_of(const sf_interp *I, int id) {
  int lo = 0, hi = I->ntcalls - 1;
  while (lo <= hi) {
    int mid = lo + (hi - lo) / 2;
    const sf_traced_call *r = &I->tcalls[mid];
    if (id <= r->lo) hi = mid - 1;
    else if (id > r->hi) lo = mid + 1;
    else return r;
  }
  return NULL;
}

/* Whether eager node e is a source the tape reads at op id (watched before it) or reads one
 * (from[]: the span's nodes that do). */
static bool flows(const tape_span *s, const src_list *l, const bool *from, int e, int id) {
  for (int i = 0; i < l->n; i++)
    if (l->node[i] == e && l->at[i] < id) return true;
  return e > s->start && e <= s->stop && from[e - s->start];
}

/* Whether op id ran while the tape recorded (spans: its recordings; NULL: all of s). */
static bool recorded_at(const tape_span *s, const sf_list *spans, int id) {
  for (int64_t k = 0; spans && k + 2 < spans->n; k += 3) {
    if (spans->items[k].g != s->g) continue;
    int from = (int)spans->items[k + 1].i, to = spans->items[k + 2].i < 0 ? s->g->n : (int)spans->items[k + 2].i;
    if (id > from && id <= to) return true;
  }
  return !spans;
}

/* Function mode: a traced tf.function call's result is constants in the eager graph, and
 * seedflow has no gradient of a call (TF differentiates it through its forward graph,
 * function.py _DelayedRewriteGradientFunctions). When the target reads the result of a call
 * the tape recorded, and the call read a source (a tensor argument or captured tensor the
 * sources flow to, or a source variable), TF's gradient would flow through it: a located
 * error, not a silent None. The walk goes forward from the sources (a watched tensor from
 * its watch on, every recorded read of a source variable) over the float ops the tape
 * recorded but StopGradient: a superset of what TF differentiates (an error where TF's
 * gradient is None through an op without a gradient is possible, a wrong None is not). */
static sf_status check_traced_calls(sf_interp *I, const sf_args *a, const tape_span *s, const sf_list *spans, int y,
                                    const src_list *l) {
  if (!I->ntcalls || s->g != I->E.g) return SF_OK;
  size_t len = (size_t)(s->stop - s->start) + 1;
  bool *from = calloc(len, sizeof *from), *back = calloc(len, sizeof *back);
  int *stack = malloc(len * sizeof *stack), top = 0;
  if (!from || !back || !stack) return free(from), free(back), free(stack), oom(I);
  const sf_op_def *stop = sf_op_lookup("StopGradient");
  /* back[]: the span's nodes the target reads through float ops but StopGradient (s->reach
   * follows every input) */
  if (y > s->start && y <= s->stop) back[y - s->start] = true, stack[top++] = y;
  while (top) {
    const sf_node *n = s->g->nodes[stack[--top] - 1];
    if (!n || n->op == stop || !sf_dtype_is_float(n->dtype)) continue;
    for (int i = 0; i < n->ninputs; i++) {
      int e = n->inputs[i];
      if (e > s->start && e <= s->stop && !back[e - s->start]) back[e - s->start] = true, stack[top++] = e;
    }
  }
  free(stack);
  const sf_traced_call *hit = NULL;
  for (int id = s->start + 1; id <= s->stop && !hit; id++) {
    const sf_node *n = s->g->nodes[id - 1];
    if (!n || !recorded_at(s, spans, id)) continue;
    const sf_traced_call *r = traced_call_of(I, id);
    bool f = false;
    if (r) {
      for (int i = 0; i < r->ndeps && !f; i++) f = flows(s, l, from, r->deps[i], r->lo + 1);
      for (int i = 0; i < r->nvars && !f; i++) f = has(l->vars, l->nvars, r->vars[i]) && read_watched(s, r->lo + 1, r->vars[i]);
      if (f && back[id - s->start] && sf_dtype_is_float(n->dtype)) hit = r;
    } else if (sf_dtype_is_float(n->dtype) && n->op != stop) {
      int k = read_of(s, n);
      f = k >= 0 && has(l->vars, l->nvars, k) && read_watched(s, id, k);
      for (int i = 0; i < n->ninputs && !f; i++) f = flows(s, l, from, n->inputs[i], id);
    }
    from[id - s->start] = f;
  }
  free(from);
  free(back);
  if (!hit) return SF_OK;
  return sf_arg_error(I, a, SF_ENAME,
                      "unsupported: a gradient through the call of tf.function '%s' on line %d, which the tape recorded "
                      "outside it: seedflow does not differentiate a traced call (TensorFlow would); take the gradient "
                      "inside the tf.function, or run in eager mode",
                      hit->fname, hit->line);
}

/* The backward pass over the tape's span; an op on the path without a gradient rule is
 * a LookupError at the call (gradients_util.py's text; engine/gradients.c). */
static sf_status tape_gradients(sf_interp *I, const sf_expr *at, const tape_span *s, int y, const src_list *l, int *out) {
  sf_builder b;
  sf_b_builder(I, &b);
  sf_status st = sf_gradients_span(&b, s->start, y, l->node, l->at, l->n, s->rec, s->stop, out);
  if (st != SF_ENAME || strncmp(I->err->msg, SF_NO_GRADIENT_TEXT, strlen(SF_NO_GRADIENT_TEXT)) != 0) return st;
  char msg[sizeof I->err->msg];
  memcpy(msg, I->err->msg, sizeof msg);
  sf_error_clear(I->err);
  return sf_py_raise(I, at, BC_LOOKUP, "%s", msg);
}

void sf_py_count_made(sf_interp *I, int first, sf_val *v) {
  if (v->kind == V_TENSOR && v->g == I->E.g && v->node > first && !v->counted) {
    if (sf_eager_count(&I->E, v->node)) v->counted = true;
    else if (I->E.rc[v->node - 1] > 0) sf_eager_hold(&I->E, v->node), v->counted = true; /* counted at a place before */
  } else if (sf_is(v, O_LIST) || sf_is(v, O_TUPLE)) {
    for (int64_t i = 0; i < SF_LIST(v)->n; i++) sf_py_count_made(I, first, &SF_LIST(v)->items[i]);
  } else if (sf_is(v, O_DICT)) {
    for (int64_t i = 0; i < SF_DICT(v)->ne; i++)
      if (SF_DICT(v)->e[i].used) sf_py_count_made(I, first, &SF_DICT(v)->e[i].value);
  }
}

/* The eager nodes the backward pass made after `first`: the gradients it returns are
 * counted, the others released. */
static void release_backward(sf_interp *I, int first, sf_val *out) {
  if (I->ctx.graph != I->E.g || !sf_eager_releases_tensors(&I->E)) return;
  sf_py_release_since(I, first, I->py_calls, out);
  sf_py_count_made(I, first, out);
}

static sf_status tape_gradient_of(sf_interp *I, const sf_val *self, const sf_args *a, sf_val *v, sf_val *out);

/* gradient(target, sources, output_gradients=None, unconnected_gradients=NONE). */
NATIVE(tape_gradient) {
  sf_val v[4];
  sf_status st = sf_native_bind(I, a, "gradient", "target sources output_gradients unconnected_gradients", v, 4);
  if (st != SF_OK) return st;
  /* backprop.py gradient: no tape (never entered, or a non-persistent one's gradient taken
   * already) raises; a non-persistent tape stops recording, and its tape is dropped after */
  if (!sf_truthy(I, field(self, "_live")))
    return sf_py_raise(I, a->call, BC_RUNTIME,
                       "A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)");
  bool persistent = sf_truthy(I, field(self, "_persistent"));
  if (!persistent && !stop_recording(I, self)) return oom(I);
  int first = I->E.g->n;
  st = tape_gradient_of(I, self, a, v, out);
  if (st != SF_OK || persistent) return st; /* a failed gradient leaves the tape as it was: it can be asked again */
  if (!set_field(self, "_live", sf_bool(false))) return oom(I);
  /* a non-persistent tape is done: releasing resumes, and the backward pass's own nodes
   * (all but the gradients returned) go with it */
  int token = suspension(self);
  if (token) {
    sf_eager_resume(&I->E, token);
    if (!set_field(self, "_suspends", sf_int(0))) return oom(I);
    if (st == SF_OK) release_backward(I, first, out);
  }
  return st;
}

static sf_status tape_gradient_of(sf_interp *I, const sf_val *self, const sf_args *a, sf_val *v, sf_val *out) {
  sf_status st = SF_OK;
  if (v[2].kind != V_NONE) return sf_arg_error(I, a, SF_ENAME, "unsupported: gradient(output_gradients=...)");
  if (v[3].kind != V_NONE) return sf_arg_error(I, a, SF_ENAME, "unsupported: gradient(unconnected_gradients=...)");
  sf_list *spans = SF_LIST(field(self, "_spans"));
  tape_span s = {.g = I->ctx.graph, .start = -1, .watch_vars = sf_truthy(I, field(self, "_watch_vars")),
                 .watched = SF_LIST(field(self, "_watched")), .watched_at = SF_LIST(field(self, "_watched_at")),
                 .frozen = I->frozen_vars, .nfrozen = I->nfrozen_vars};
  for (int64_t k = 0; k + 2 < spans->n; k += 3) /* its recordings in this graph, first to last */
    if (spans->items[k].g == s.g) {
      if (s.start < 0) s.start = (int)spans->items[k + 1].i;
      s.stop = spans->items[k + 2].i < 0 ? s.g->n : (int)spans->items[k + 2].i; /* -1: a persistent tape's gradient in its block */
    }
  if (s.start < 0)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: tape.gradient outside the function whose ops the tape recorded");
  sf_val target = {0};
  if ((st = sf_py_to_api(I, &v[0], &target)) != SF_OK) return st;
  if (target.kind != V_TENSOR)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: gradient() of a target that is not one tensor");
  if (!record_span(&s, spans, target.g == s.g ? target.node : 0)) return free(s.rec), free(s.reach), oom(I);
  src_list l = {0};
  int y = target.g == s.g ? target.node : 0;
  if ((st = collect_sources(I, a, &s, &v[1], &l)) != SF_OK || (st = check_traced_calls(I, a, &s, spans, y, &l)) != SF_OK)
    return src_free(&l), free(s.rec), free(s.reach), st;
  int *grads = calloc((size_t)l.n + 1, sizeof *grads), *per_leaf = calloc((size_t)l.nleaves + 1, sizeof *per_leaf);
  if (!grads || !per_leaf) st = oom(I);
  /* the target must come from the span (or be a source itself) to connect */
  bool connected = target.g == s.g && target.node > s.start && target.node <= s.stop;
  for (int i = 0; i < l.n && !connected; i++) connected = l.node[i] == target.node && target.g == s.g;
  if (st == SF_OK && connected && l.n) {
    st = tape_gradients(I, a->call, &s, target.node, &l, grads);
  }
  /* a variable read more than once: its reads' gradients summed (backprop.py
   * _aggregate_grads; AddN of two is one addition) */
  for (int i = 0; st == SF_OK && i < l.n; i++) {
    int *acc = &per_leaf[l.leaf[i]];
    if (!grads[i]) continue;
    if (!*acc) {
      *acc = grads[i];
      continue;
    }
    sf_node *n;
    if ((st = sf_b_op(I, "AddV2", "AddN", (int[]){*acc, grads[i]}, 2, NULL, &n)) == SF_OK) *acc = n->id;
  }
  int leaf = 0;
  if (st == SF_OK) st = pack(I, &v[1], per_leaf, &leaf, out);
  src_free(&l);
  free(s.rec);
  free(s.reach);
  free(grads);
  free(per_leaf);
  return st;
}

/* A tape freed while it suspends releasing (its gradient never taken: an exception in its
 * with block, a tape only entered) resumes it. */
static void tape_finalize(sf_inst *x) {
  sf_val *s = sf_dict_get_str(x->attrs, "_suspends"), *g = sf_dict_get_str(x->attrs, "_graph");
  if (s && s->kind == V_INT && s->i && g && g->g && g->g->eager) sf_eager_resume(g->g->eager, (int)s->i);
}

static sf_status api_gradient_tape(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("GradientTape", "persistent watch_accessed_variables", 2);
  sf_val watched = {0}, watched_at = {0}, spans = {0};
  sf_inst *x = new_object(I, tape_class, out);
  if (!x) return oom(I);
  x->cls->finalize = tape_finalize;
  static const struct native_def methods[] = {
      {"__enter__", tape_enter}, {"__exit__", tape_exit}, {"watch", tape_watch}, {"gradient", tape_gradient}};
  sf_val none_graph = {.kind = V_TENSOR, .g = NULL};
  if (!sf_list_new(O_LIST, 0, &watched) || !set_field(out, "_watched", watched) ||
      !sf_list_new(O_LIST, 0, &watched_at) || !set_field(out, "_watched_at", watched_at) ||
      !sf_list_new(O_LIST, 0, &spans) || !set_field(out, "_spans", spans) || !set_field(out, "_graph", none_graph) ||
      !set_field(out, "_persistent", sf_bool(g[0] && sf_truthy(I, &v[0]))) ||
      !set_field(out, "_watch_vars", sf_bool(!g[1] || sf_truthy(I, &v[1]))) || !set_field(out, "_live", sf_bool(false)) ||
      !set_field(out, "_recording", sf_bool(false)) || !set_field(out, "_suspends", sf_int(0)))
    st = oom(I);
  /* they keep none of their arguments where nothing counts (watch holds its tensors in the
   * tape's list; gradient reads the target and sources and returns new tensors) */
  if (st == SF_OK) st = def_natives(I, out, methods, sizeof methods / sizeof *methods, true);
  if (st != SF_OK) return sf_val_drop(out), st;
  return borrowed(out);
}

/* ---- Keras SGD on variables: optimizer_v2.py apply_gradients / minimize ---- */

/* The optimizer's update (api_optim.c) of the variables with a gradient. */
static sf_status sgd_apply(sf_interp *I, const sf_val *opt, const sf_args *a, const sf_val *grads, const sf_val *vars,
                           int n) {
  int applied = 0, *vi = calloc((size_t)n + 1, sizeof *vi), *gi = calloc((size_t)n + 1, sizeof *gi),
      *upd = calloc((size_t)n + 2, sizeof *upd), nu;
  sf_status st = vi && gi && upd ? SF_OK : oom(I);
  for (int i = 0; st == SF_OK && i < n; i++) {
    if (!sf_tape_is_variable(&vars[i])) {
      st = sf_arg_error(I, a, SF_ENAME, "unsupported: apply_gradients to a %s (seedflow takes tf.Variable objects)",
                        sf_type_name(&vars[i]));
      break;
    }
    vi[i] = var_index(&vars[i]);
    if (grads[i].kind == V_NONE) continue;
    sf_val gv = {0};
    applied++;
    if ((st = sf_py_to_api(I, &grads[i], &gv)) == SF_OK) st = sf_b_tensor(I, &gv, -1, "grad", a->call, &gi[i]);
  }
  if (st == SF_OK) st = sf_optim_apply(I, opt, vi, gi, n, upd, n + 1, &nu);
  /* each updated variable's constraint (optimizer_v2.py apply_grad_to_update_var). TF
   * builds it right after that variable's update, before the next variable's; here
   * after all of them and iterations' increment (as fit does): same values, the
   * constraint's nodes come later in the graph. */
  for (int i = 0; st == SF_OK && i < n; i++) {
    const sf_val *con = field(&vars[i], "constraint");
    int done;
    if (gi[i] && con && con->kind != V_NONE) st = sf_constrain_variable(I, con, vi[i], upd, nu, &done);
  }
  free(vi);
  free(gi);
  free(upd);
  if (st == SF_OK && !applied && n) { /* optimizer_utils.filter_empty_gradients */
    sf_buf b = {0};
    for (int i = 0; i < n; i++) sf_buf_printf(&b, "%s'%s'", i ? ", " : "", SF_STR(field(&vars[i], "name"))->s);
    st = sf_py_raise(I, a->call, BC_VALUEERR, "No gradients provided for any variable: [%s].", b.s ? b.s : "");
    free(b.s);
  }
  return st;
}

sf_status sf_tape_optimizer_method(sf_interp *I, const sf_val *opt, const char *method, const sf_args *a, sf_val *out) {
  if (sf_optim_is_tf1(I, opt)) return sf_optim_tf1_method(I, opt, method, a, out);
  bool apply = strcmp(method, "apply_gradients") == 0, minimize = strcmp(method, "minimize") == 0;
  if (!apply && !minimize) return sf_arg_error(I, a, SF_ENAME, "unsupported method '%s'", method);
  sf_val v[3], list = {0};
  sf_status st = sf_native_bind(I, a, method, apply ? "grads_and_vars name" : "loss var_list tape", v, 3);
  if (st != SF_OK) return st;
  if (v[0].kind == V_NONE) return sf_arg_error(I, a, SF_ETYPE, "%s() missing 1 required positional argument: '%s'", method, apply ? "grads_and_vars" : "loss");
  if ((st = sf_py_to_list(I, a->call, apply ? &v[0] : &v[1], O_LIST, &list)) != SF_OK) return st;
  int n = (int)SF_LIST(&list)->n;
  sf_val *grads = calloc((size_t)n + 1, sizeof *grads), *vars = calloc((size_t)n + 1, sizeof *vars);
  if (!grads || !vars) st = oom(I);
  for (int i = 0; st == SF_OK && apply && i < n; i++) { /* (gradient, variable) pairs */
    sf_val *p = &SF_LIST(&list)->items[i];
    if (!(sf_is(p, O_TUPLE) || sf_is(p, O_LIST)) || SF_LIST(p)->n != 2)
      st = sf_py_raise(I, a->call, BC_VALUEERR, "apply_gradients(): expected (gradient, variable) pairs");
    else grads[i] = SF_LIST(p)->items[0], vars[i] = SF_LIST(p)->items[1];
  }
  if (st == SF_OK && minimize) { /* loss() on a tape over var_list, then its gradients */
    int start = I->ctx.graph->n, y = 0;
    sf_val loss = {0}, lv = {0};
    sf_args none = {.call = a->call};
    I->recording_tapes++; /* minimize's own tape: traced calls the loss makes are recorded */
    st = sf_py_call(I, &v[0], &none, &loss);
    I->recording_tapes--;
    if (st == SF_OK && (st = sf_py_to_api(I, &loss, &lv)) == SF_OK && (lv.kind != V_TENSOR || lv.g != I->ctx.graph))
      st = sf_arg_error(I, a, SF_ENAME, "unsupported: minimize() of a loss that is not a tensor");
    if (st == SF_OK) y = lv.node;
    tape_span s = {.g = I->ctx.graph, .start = start, .stop = I->ctx.graph->n, .watch_vars = true};
    sf_val empty = {0};
    if (st == SF_OK && !sf_list_new(O_LIST, 0, &empty)) st = oom(I);
    s.watched = s.watched_at = st == SF_OK ? SF_LIST(&empty) : NULL;
    /* optimizer.py minimize watches var_list (trainable or not) and every trainable
     * variable it reads: every read counts here (no frozen_vars) */
    if (st == SF_OK && !record_span(&s, NULL, y)) st = oom(I);
    src_list l = {0};
    for (int i = 0; st == SF_OK && i < n; i++) {
      vars[i] = SF_LIST(&list)->items[i];
      st = collect_sources(I, a, &s, &vars[i], &l);
    }
    if (st == SF_OK) st = check_traced_calls(I, a, &s, NULL, y, &l);
    int *g = calloc((size_t)l.n + 1, sizeof *g);
    if (st == SF_OK && !g) st = oom(I);
    if (st == SF_OK && l.n) st = tape_gradients(I, a->call, &s, y, &l, g);
    for (int i = 0; st == SF_OK && i < l.n; i++) {
      if (!g[i]) continue;
      sf_val *acc = &grads[l.leaf[i]];
      sf_node *sum;
      if (acc->kind == V_NONE) sf_b_tensor_val(I, g[i], acc);
      else if ((st = sf_b_op(I, "AddV2", "AddN", (int[]){acc->node, g[i]}, 2, NULL, &sum)) == SF_OK)
        sf_b_tensor_val(I, sum->id, acc);
    }
    free(g);
    free(s.rec);
    free(s.reach);
    src_free(&l);
    sf_val_drop(&empty);
    sf_val_drop(&loss);
  }
  if (st == SF_OK) st = sgd_apply(I, opt, a, grads, vars, n);
  free(grads);
  free(vars);
  sf_val_drop(&list);
  *out = sf_none();
  return st;
}

/* ---- tf.Module: tensorflow/python/module/module.py ---- */

/* camel_to_snake: "_" before an upper-case letter that follows a lower-case letter or
 * digit, or that starts a capitalised word (not at the start); then lower case. */
static const char *camel_to_snake(sf_interp *I, const char *s) {
  size_t n = strlen(s);
  char *r = sf_arena_alloc(&I->arena, 2 * n + 1);
  if (!r) return NULL;
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (isupper(c) && i > 0 &&
        (islower((unsigned char)s[i - 1]) || isdigit((unsigned char)s[i - 1]) || islower((unsigned char)s[i + 1])))
      r[o++] = '_';
    r[o++] = (char)tolower(c);
  }
  r[o] = 0;
  return r;
}

/* Module.__init__(self, name=None): the name defaults to the class name in snake case. */
NATIVE(module_init) {
  (void)self;
  if (a->npos < 1 || !sf_is(&a->pos[0], O_INST)) return sf_py_raise(I, a->call, BC_TYPEERR, "Module.__init__() needs self");
  sf_args rest = *a;
  rest.pos++;
  rest.npos--;
  sf_val v[1];
  sf_status st = sf_native_bind(I, &rest, "__init__", "name", v, 1);
  if (st != SF_OK) return st;
  sf_val name = {0};
  if (v[0].kind == V_NONE) {
    const char *nm = camel_to_snake(I, ((sf_inst *)a->pos[0].o)->cls->name);
    if (!nm || !sf_str_cstr(nm, &name)) return oom(I);
  } else if (sf_is(&v[0], O_STR)) {
    name = v[0];
    sf_val_ref(&name);
  } else {
    return sf_py_raise(I, a->call, BC_VALUEERR, "module name must be a str");
  }
  sf_val nm2 = name;
  sf_val_ref(&nm2);
  if (!set_field(&a->pos[0], "_name", name) || !set_field(&a->pos[0], "name", nm2)) return oom(I);
  *out = sf_none();
  return SF_OK;
}

bool sf_tape_base_class(sf_interp *I, const char *path, sf_val *base, sf_status *st) {
  *st = SF_OK;
  if (strcmp(path, "tf.Module") != 0 && strcmp(path, "tf.compat.v1.Module") != 0) return false;
  sf_class *c = new_class(I, module_class);
  if (!c) return *st = oom(I), true;
  sf_val none = sf_none();
  if (!sf_py_def_native(c->attrs, "__init__", module_init, &none)) *st = oom(I);
  sf_val_drop(base);
  *base = sf_obj_val(c);
  return true;
}

static const struct {
  const char *path;
  sf_builtin_fn fn;
} api[] = {
    {"tf.GradientTape", api_gradient_tape},
};

sf_builtin_fn sf_tape_lookup(const char *path) {
  for (size_t i = 0; i < sizeof api / sizeof *api; i++)
    if (strcmp(api[i].path, path) == 0) return api[i].fn;
  return sf_tensor_lookup(path);
}
