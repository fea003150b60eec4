/* api_keras.c — the Keras subset: Dense and Dropout layers, Sequential models, SGD, the
 * mse loss, fit with per-epoch shuffling and get_weights. Layer weights are resource
 * variables whose initializers run the way Keras runs them: in the graph under TF1, in
 * the eager context under TF2 (init_scope), so their seeds follow that context's rule. */
#include "api_keras_loss.h"
#include "engine/hash.h"
#include "interp.h"
#include "py.h"
#include "value.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { L_DENSE, L_DROPOUT,
       L_FLATTEN,   /* in_dim: the product of its input's non-batch dimensions */
       L_ACTIVATION,/* act applied, nothing else (core/activation.py) */
       L_INPUT,     /* tf.keras.Input / InputLayer: a feature dimension, no ops */
       L_SYMBOLIC }; /* a layer's output on a symbolic input (functional API): src through via */

struct sf_layer {
  int kind;
  int64_t units;
  sf_keras_act act;
  bool use_bias;
  double rate;
  bool has_seed;
  int64_t seed;
  int64_t in_dim;            /* from input_shape, or the first call; 0 = unknown */
  int src, via;              /* L_SYMBOLIC: the input value (a layer index) and the layer applied */
  int training;              /* L_SYMBOLIC: the call's training= (1 True, 0 False, -1 none: the model's;
                              * keras/engine/node.py Node.call_kwargs keeps it, v2.9.0) */
  bool built;                /* Dense: its weights are made */
  bool called;               /* called at least once (Layer.built of a layer without weights) */
  int kernel, bias;          /* resource variable indices */
  int kinit, binit;          /* initializers (I->kinits) */
  bool kinit_default;        /* no kernel_initializer given: glorot_uniform */
  int kernel_read, bias_read;/* ReadVariableOp nodes of the latest call */
  sf_keras_seed kseed;       /* tf2.10/keras3: the kernel initializer's seed (api_keras3.c) */
  int gen;                   /* keras3 Dropout: its SeedGenerator, -1 none */
  sf_val reg[2], con[2];     /* Dense: kernel/bias regularizer and constraint (api_keras_layers.c) */
  const char *name;          /* name= given, else NULL: Keras's default name from uid */
  int uid;                   /* the default name's number (sf_keras_uid), -1: none taken */
};

/* A train step built once in a graph (graph and function modes): placeholders in,
 * variable updates out (Keras's make_train_function). */
typedef struct sf_step {
  int64_t batch;
  int x, y, loss, pred;
  int updates[32];
  int nupdates;
} sf_step;

struct sf_model {
  int layers[32];
  int8_t training[32];       /* a functional model's layer called with training= (1, 0), else -1 */
  int n;
  bool compiled;
  sf_val optim;              /* V_OPTIMIZER (api_optim.c) */
  sf_kloss loss;             /* compile's loss and metrics (api_keras_loss.c) */
  sf_graph *train;           /* function mode: the traced train function */
  sf_session sess;
  sf_step steps[2];          /* full batches and the remainder */
  int nsteps;
  int input;                 /* a functional Model's tf.keras.Input layer + 1; 0: a Sequential */
  const char *name;          /* name= given, else NULL: "sequential" or "model" with uid */
  int uid;
};

#define BIND(fname, params, n)                       \
  sf_val v[n];                                       \
  bool g[n];                                         \
  sf_status st = sf_bind(I, fname, a, params, v, g); \
  if (st != SF_OK) return st

static sf_status grow(sf_interp *I, void **arr, int n, size_t size) {
  if (n & (n - 1) && n) return SF_OK; /* capacity is the next power of two */
  void *na = sf_arena_grow(&I->arena, *arr, (size_t)n, (size_t)(n ? 2 * n : 4), size);
  if (!na) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  *arr = na;
  return SF_OK;
}

static sf_status new_layer(sf_interp *I, sf_val *out, sf_layer **l) {
  sf_status st = grow(I, (void **)&I->layers, I->nlayers, sizeof *I->layers);
  if (st != SF_OK) return st;
  *l = &I->layers[I->nlayers];
  memset(*l, 0, sizeof **l);
  (*l)->uid = -1;
  *out = (sf_val){.kind = V_LAYER, .index = I->nlayers++};
  return SF_OK;
}

/* ---- Keras's default names ---- */

static sf_status model_name(sf_interp *I, const sf_args *a, const char *fname, sf_model *m, const sf_val *v, const char *prefix);

/* One count per prefix and default graph: Keras 2 keeps PER_GRAPH_OBJECT_NAME_UIDS keyed
 * by tf.compat.v1.get_default_graph() (keras/backend.py unique_object_name, get_uid; the
 * eager context has one default graph), Keras 3 one global count per prefix
 * (keras/src/utils/naming.py uniquify). The key is "graph pointer/prefix". */
typedef struct sf_keras_uid {
  char key[96];
  const void *graph;
  int count;
  UT_hash_handle hh;
} sf_keras_uid_entry;

static const void *uid_graph(const sf_interp *I) {
  return I->opt.profile == SF_PROFILE_KERAS3 || I->ctx.eager ? NULL : I->ctx.graph;
}

int sf_keras_uid(sf_interp *I, const char *prefix) {
  char key[96];
  const void *g = uid_graph(I);
  snprintf(key, sizeof key, "%p/%.60s", g, prefix);
  sf_keras_uid_entry *e;
  HASH_FIND_STR(I->keras_uids, key, e);
  if (!e) {
    if (!(e = calloc(1, sizeof *e))) return -1;
    memcpy(e->key, key, sizeof key);
    e->graph = g;
    HASH_ADD_STR(I->keras_uids, key, e);
    if (!SF_HASH_ADDED(e)) return free(e), -1;
  }
  return e->count++;
}

bool sf_keras_unique_name(sf_interp *I, const char *prefix, char *out, size_t cap) {
  int k = sf_keras_uid(I, prefix);
  if (k < 0) return false;
  if (k) snprintf(out, cap, "%s_%d", prefix, k);
  else snprintf(out, cap, "%s", prefix);
  return true;
}

void sf_keras_reset_uids(sf_interp *I, bool all) {
  const void *g = uid_graph(I);
  sf_keras_uid_entry *e, *tmp;
  HASH_ITER(hh, I->keras_uids, e, tmp) {
    if (!all && e->graph != g) continue;
    /* eagerly Keras 2's get_uid counts in its own keras_graph (backend.get_graph()), which
     * a new default graph leaves alone: Input stays input_2 after reset_default_graph */
    if (!all && !g && strstr(e->key, "/get_uid ")) continue;
    HASH_DEL(I->keras_uids, e);
    free(e);
  }
}

/* A layer's default name: its number of prefix, or name= (v, a str) kept in the arena
 * (the str object may go before the layer). */
static sf_status layer_name(sf_interp *I, const sf_args *a, const char *fname, sf_layer *l, const sf_val *v, const char *prefix) {
  l->uid = -1;
  if (v->kind == V_STR) {
    if (!(l->name = sf_arena_strdup(&I->arena, v->s))) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
    return SF_OK;
  }
  if (v->kind != V_NONE) return sf_arg_error(I, a, SF_ENAME, "unsupported: %s(name=...) other than a str", fname);
  if ((l->uid = sf_keras_uid(I, prefix)) < 0) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  return SF_OK;
}

static sf_status model_name(sf_interp *I, const sf_args *a, const char *fname, sf_model *m, const sf_val *v, const char *prefix) {
  sf_layer l = {0};
  sf_status st = layer_name(I, a, fname, &l, v, prefix);
  m->name = l.name;
  m->uid = l.uid;
  return st;
}

/* A model's Keras name: Keras 2's Functional is named as "Model" (functional.py
 * _init_set_name). Keras 3's functional models are not modelled (false). */
bool sf_keras_model_name(sf_interp *I, int model, char *out, size_t cap) {
  const sf_model *m = &I->models[model];
  const char *base = m->input ? "model" : "sequential";
  if (m->input && !m->name && I->opt.profile == SF_PROFILE_KERAS3) return false;
  if (m->name) snprintf(out, cap, "%s", m->name);
  else if (m->uid > 0) snprintf(out, cap, "%s_%d", base, m->uid);
  else snprintf(out, cap, "%s", base);
  return true;
}

/* input_shape=(n,) -> n */
static sf_status input_dim(sf_interp *I, const sf_args *a, const sf_val *v, int64_t *dim) {
  *dim = 0;
  if (v->kind == V_NONE) return SF_OK;
  if ((v->kind != V_TUPLE && v->kind != V_LIST) || v->n != 1 || v->items[0].kind != V_INT || v->items[0].i <= 0)
    return sf_arg_error(I, a, SF_EINVAL, "input_shape must be a tuple of one positive int, e.g. (5,)");
  *dim = v->items[0].i;
  return SF_OK;
}

static sf_status api_dense(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("Dense",
       "units activation use_bias kernel_initializer bias_initializer input_shape name input_dim kernel_regularizer "
       "bias_regularizer kernel_constraint bias_constraint activity_regularizer !trainable !dtype",
       15);
  sf_layer *l;
  int64_t units;
  if ((st = sf_arg_int(I, a, "Dense", "units", &v[0], &units)) != SF_OK) return st;
  if (units <= 0 || units > 1 << 20) return sf_arg_error(I, a, SF_EINVAL, "Dense: attribute 'units' must be positive, got %lld", (long long)units);
  sf_keras_act act;
  if ((st = sf_keras_act_resolve(I, a, "Dense", &v[1], &act)) != SF_OK) return st;
  int kinit, binit;
  if ((st = sf_kinit_resolve(I, a, "Dense", &v[3], "glorot_uniform", &kinit)) != SF_OK ||
      (st = sf_kinit_resolve(I, a, "Dense", &v[4], "zeros", &binit)) != SF_OK)
    return st;
  /* input_dim=n is input_shape=(n,) (Layer.__init__'s legacy argument) */
  sf_val dimv[1] = {v[7]}, shape = {.kind = V_TUPLE, .items = dimv, .n = 1};
  int64_t dim;
  if ((st = input_dim(I, a, v[5].kind == V_NONE && v[7].kind != V_NONE ? &shape : &v[5], &dim)) != SF_OK ||
      (st = new_layer(I, out, &l)) != SF_OK)
    return st;
  l->kind = L_DENSE;
  l->units = units;
  l->act = act;
  l->use_bias = v[2].kind != V_BOOL || v[2].b;
  l->in_dim = dim;
  l->kinit = kinit;
  l->binit = binit;
  l->kinit_default = v[3].kind == V_NONE;
  if ((st = layer_name(I, a, "Dense", l, &v[6], "dense")) != SF_OK) return st;
  if ((st = sf_keras_weight_args(I, a, "Dense", v + 8, l->reg, l->con)) != SF_OK) return st;
  return sf_keras_dense_new(I, &l->kseed);
}

static sf_status api_dropout_layer(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("Dropout", "rate noise_shape seed input_shape name", 5);
  double rate;
  if ((st = sf_arg_float(I, a, "Dropout", "rate", &v[0], &rate)) != SF_OK) return st;
  if (!(rate >= 0 && rate < 1)) return sf_arg_error(I, a, SF_EINVAL, "Dropout: attribute 'rate' must be in [0, 1), got %g", rate);
  if (v[1].kind != V_NONE) return sf_arg_error(I, a, SF_EINVAL, "Dropout: noise_shape is not supported on the layer");
  sf_layer *l;
  int64_t dim;
  if ((st = input_dim(I, a, &v[3], &dim)) != SF_OK || (st = new_layer(I, out, &l)) != SF_OK) return st;
  l->kind = L_DROPOUT;
  l->rate = rate;
  l->in_dim = dim;
  if ((st = layer_name(I, a, "Dropout", l, &v[4], "dropout")) != SF_OK) return st;
  if (v[2].kind != V_NONE) {
    l->has_seed = true;
    if ((st = sf_arg_int(I, a, "Dropout", "seed", &v[2], &l->seed)) != SF_OK) return st;
  }
  return sf_keras_dropout_new(I, rate, l->has_seed, l->seed, &l->gen);
}

/* tf.keras.layers.Activation(activation): the activation function alone (core/activation.py
 * Activation.call: self.activation(inputs)), named "activation", no weights. */
static sf_status api_activation_layer(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("Activation", "activation input_shape name", 3);
  if ((st = sf_arg_need(I, a, "Activation", "activation", g[0])) != SF_OK) return st;
  sf_keras_act act;
  int64_t dim;
  sf_layer *l;
  if ((st = sf_keras_act_resolve(I, a, "Activation", &v[0], &act)) != SF_OK || (st = input_dim(I, a, &v[1], &dim)) != SF_OK ||
      (st = new_layer(I, out, &l)) != SF_OK)
    return st;
  l->kind = L_ACTIVATION;
  l->act = act;
  l->in_dim = dim;
  return layer_name(I, a, "Activation", l, &v[2], "activation");
}

/* tf.keras.layers.Flatten(data_format=None): its output has the product of the non-batch
 * dimensions as features (input_shape of any rank). */
static sf_status api_flatten(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("Flatten", "data_format input_shape name", 3);
  if (v[0].kind != V_NONE && !(v[0].kind == V_STR && strcmp(v[0].s, "channels_last") == 0))
    return sf_arg_error(I, a, SF_EINVAL, "Flatten: only data_format 'channels_last' is supported");
  int64_t dim = v[1].kind == V_NONE ? 0 : 1;
  if (dim && (v[1].kind != V_TUPLE && v[1].kind != V_LIST)) dim = -1;
  for (int i = 0; dim > 0 && i < v[1].n; i++)
    dim = v[1].items[i].kind == V_INT && v[1].items[i].i > 0 && v[1].items[i].i <= 1 << 24 && dim <= (1 << 24) / v[1].items[i].i
              ? dim * v[1].items[i].i : -1;
  if (dim < 0 || (dim && v[1].n == 0))
    return sf_arg_error(I, a, SF_EINVAL, "Flatten: input_shape must be a tuple of positive ints, e.g. (28, 28)");
  sf_layer *l;
  if ((st = new_layer(I, out, &l)) != SF_OK) return st;
  l->kind = L_FLATTEN;
  l->in_dim = dim;
  return layer_name(I, a, "Flatten", l, &v[2], "flatten");
}

/* Flatten.call (keras/layers/core.py): one Const shape and one Reshape to
 * [batch, features] — in TF 2.4 eager the shape is [batch, -1], in a graph [-1, features]
 * (TF1: (batch, -1)); the ops and their count are the same. */
static sf_status call_flatten(sf_interp *I, sf_layer *l, int x, int *y) {
  const sf_node *xn = sf_graph_node(I->ctx.graph, x);
  if (!xn->shape_known || xn->shape.rank < 2) return sf_error_set(I->err, SF_ESHAPE, "Flatten: input must have a batch dimension and features");
  int64_t dim = 1;
  for (int i = 1; i < xn->shape.rank; i++) dim *= xn->shape.dims[i];
  if (l->in_dim && dim != l->in_dim)
    return sf_error_set(I->err, SF_ESHAPE, "Flatten: expected %lld input values per sample, got %lld", (long long)l->in_dim, (long long)dim);
  l->in_dim = dim;
  sf_val dims[2] = {{.kind = V_INT, .i = -1}, {.kind = V_INT, .i = dim}}, shape = {.kind = V_LIST, .items = dims, .n = 2};
  int sh;
  sf_node *r;
  sf_status st = sf_b_tensor(I, &shape, SF_INT32, "Const", NULL, &sh);
  if (st == SF_OK) st = sf_b_op(I, "Reshape", "Reshape", (int[]){x, sh}, 2, NULL, &r);
  if (st == SF_OK) *y = r->id;
  return st;
}

/* ---- building weights ---- */

/* Keras creates weights under init_scope: in TF2 the initializer runs eagerly even while
 * a function is traced; in a TF1 graph it joins the graph. */
static sf_status with_init_scope(sf_interp *I, sf_status (*fn)(sf_interp *, sf_layer *), sf_layer *l) {
  bool lift = I->ctx.graph->is_function;
  sf_status st = lift ? sf_context_enter_eager(&I->ctx, I->err) : SF_OK;
  if (st != SF_OK) return st;
  st = fn(I, l);
  if (lift) sf_context_leave(&I->ctx);
  return st;
}

/* Dense.build: kernel [in, units] then bias [units], each drawn by its initializer. */
static sf_status build_dense(sf_interp *I, sf_layer *l) {
  sf_val init;
  /* tf2.10 / keras3: the default glorot_uniform kernel is a stateless op seeded from Python's random */
  bool keras_new = I->opt.profile == SF_PROFILE_TF210 || I->opt.profile == SF_PROFILE_KERAS3;
  sf_status st = keras_new && l->kinit_default
                     ? sf_keras_glorot_kernel(I, &l->kseed, l->in_dim, l->units, &init)
                     : sf_kinit_draw(I, l->kinit, (int64_t[]){l->in_dim, l->units}, 2, SF_FLOAT32, NULL, &init);
  if (st == SF_OK) st = sf_b_variable(I, init.node, &l->kernel);
  if (st == SF_OK && l->use_bias && (st = sf_kinit_draw(I, l->binit, &l->units, 1, SF_FLOAT32, NULL, &init)) == SF_OK)
    st = sf_b_variable(I, init.node, &l->bias);
  l->built = st == SF_OK;
  return st;
}

static sf_status ensure_built(sf_interp *I, sf_layer *l, int64_t in_dim) {
  if (l->built || l->kind != L_DENSE) return SF_OK;
  if (!l->in_dim) l->in_dim = in_dim;
  if (!l->in_dim) return sf_error_set(I->err, SF_ESHAPE, "Dense: input dimension is unknown");
  return with_init_scope(I, build_dense, l);
}

/* ---- calling ---- */

/* Layer.__call__'s autocast (base_layer.py _maybe_cast_inputs; Keras 3's convert_input):
 * a floating input of another dtype (a float64 NumPy array, say) is cast to the layer's
 * float32, after the layer is built. TF 1.x's Keras does not cast (autocast is TF 2's dtype
 * behaviour): an unbuilt layer takes its first input's dtype (float64 weights, other
 * draws), which seedflow does not model, and a float32 one fails. */
static sf_status autocast(sf_interp *I, int *x) {
  sf_dtype dt = sf_graph_node(I->ctx.graph, *x)->dtype;
  if (dt == SF_FLOAT32 || !sf_dtype_is_float(dt)) return SF_OK;
  if (I->opt.profile == SF_PROFILE_TF1)
    return sf_error_set(I->err, SF_ENAME, "unsupported: a %s input to a Keras layer in profile tf1 (TF 1.x's Keras does not "
                        "cast it: an unbuilt layer takes its dtype, a float32 one fails; cast the input to float32)", sf_dtype_name(dt));
  sf_attr_value attrs[SF_B_ATTRS];
  sf_b_attrs("Cast", attrs);
  sf_b_attr_set("Cast", attrs, "DstT", (sf_attr_value){.type = SF_FLOAT32});
  sf_node *c;
  sf_status st = sf_b_op(I, "Cast", "Cast", x, 1, attrs, &c);
  if (st == SF_OK) *x = c->id;
  return st;
}

static sf_status call_layer(sf_interp *I, sf_layer *l, int x, bool training, int *y) {
  l->called = true;
  if (l->kind == L_INPUT) return *y = x, SF_OK;
  sf_status cst = l->kind == L_DENSE ? SF_OK : autocast(I, &x);
  if (cst != SF_OK) return cst;
  if (l->kind == L_FLATTEN) return call_flatten(I, l, x, y);
  if (l->kind == L_ACTIVATION) {
    /* the activation marks its input as its own logits (internal to the call: api_activations.c
     * mark_logits); eagerly the input may be the program's array, so the call makes one of its
     * own, an Identity (an eager op: no seed or name depends on it) */
    if (I->ctx.graph == I->E.g) {
      sf_node *id;
      sf_status ist = sf_b_op(I, "Identity", "Identity", &x, 1, NULL, &id);
      if (ist != SF_OK) return ist;
      x = id->id;
    }
    return sf_keras_act_apply(I, &l->act, x, y);
  }
  const sf_node *xn = sf_graph_node(I->ctx.graph, x);
  if (!xn->shape_known || xn->shape.rank != 2)
    return sf_error_set(I->err, SF_ESHAPE, "%s: input must be a matrix (batch, features)", l->kind == L_DENSE ? "Dense" : "Dropout");
  if (l->kind == L_DROPOUT) {
    if (!training) return *y = x, SF_OK; /* Keras: dropout only when training */
    sf_status kst;
    if (sf_keras_dropout_call(I, l->gen, l->rate, l->has_seed, &l->seed, x, y, &kst)) return kst;
    sf_val args[3] = {{.kind = V_TENSOR, .g = I->ctx.graph, .node = x}, {.kind = V_FLOAT, .f = l->rate},
                      {.kind = l->has_seed ? V_INT : V_NONE, .i = l->seed}};
    const char *names[] = {"rate", "seed"};
    sf_args da = {.pos = args, .npos = 1, .kwnames = names, .kw = args + 1, .nkw = 2};
    sf_val out;
    sf_status st = sf_api_lookup("tf.nn.dropout")(I, &da, &out);
    if (st == SF_OK) *y = out.node;
    return st;
  }
  sf_status st = ensure_built(I, l, xn->shape.dims[1]);
  if (st == SF_OK && xn->shape.dims[1] != l->in_dim)
    st = sf_error_set(I->err, SF_ESHAPE, "Dense: expected %lld input features, got %lld", (long long)l->in_dim,
                      (long long)xn->shape.dims[1]);
  if (st == SF_OK) st = autocast(I, &x);
  sf_node *mm, *ba;
  if (st == SF_OK) st = sf_b_read(I, l->kernel, &l->kernel_read);
  if (st == SF_OK) st = sf_b_op(I, "MatMul", "MatMul", (int[]){x, l->kernel_read}, 2, NULL, &mm);
  if (st != SF_OK) return st;
  *y = mm->id;
  if (l->use_bias) {
    if ((st = sf_b_read(I, l->bias, &l->bias_read)) == SF_OK) st = sf_b_op(I, "BiasAdd", "BiasAdd", (int[]){*y, l->bias_read}, 2, NULL, &ba);
    if (st != SF_OK) return st;
    *y = ba->id;
  }
  return sf_keras_act_apply(I, &l->act, *y, y);
}

static sf_status call_model(sf_interp *I, sf_model *m, int x, bool training, int *y) {
  *y = x;
  for (int i = 0; i < m->n; i++) { /* a training= given when the functional model was built holds (Monte Carlo dropout) */
    bool tr = m->input && m->training[i] >= 0 ? m->training[i] == 1 : training;
    sf_status st = call_layer(I, &I->layers[m->layers[i]], *y, tr, y);
    if (st != SF_OK) return st;
  }
  return SF_OK;
}

static bool truthy(const sf_val *v) { return (v->kind == V_BOOL && v->b) || (v->kind == V_INT && v->i); }

static sf_status new_layer(sf_interp *I, sf_val *out, sf_layer **l);

/* A layer called on tf.keras.Input (or on such a call's output): Keras builds it on the
 * input's shape at once (its weights are created here, in call order) and returns a
 * symbolic output. */
static sf_status call_symbolic(sf_interp *I, const sf_val *self, const sf_args *a, const sf_val *in, const sf_val *training,
                                sf_val *out) {
  if (self->kind != V_LAYER) return sf_arg_error(I, a, SF_EINVAL, "unsupported: a model called on tf.keras.Input");
  int64_t dim = I->layers[in->index].in_dim;
  sf_layer *l = &I->layers[self->index];
  if (l->kind == L_INPUT) return sf_arg_error(I, a, SF_EINVAL, "unsupported: an InputLayer called on tf.keras.Input");
  sf_status st = ensure_built(I, l, dim);
  if (st == SF_OK && l->kind == L_DENSE && dim != l->in_dim)
    st = sf_arg_error(I, a, SF_ESHAPE, "Dense: expected %lld input features, got %lld", (long long)l->in_dim, (long long)dim);
  if (l->kind == L_DROPOUT || l->kind == L_ACTIVATION) l->in_dim = dim;
  int64_t odim = l->kind == L_DENSE ? l->units : dim;
  sf_layer *r;
  if (st == SF_OK && (st = new_layer(I, out, &r)) == SF_OK) {
    r->kind = L_SYMBOLIC;
    r->in_dim = odim;
    r->src = in->index;
    r->via = self->index;
    r->training = training->kind == V_NONE ? -1 : truthy(training);
  }
  return st;
}

sf_status sf_keras_call(sf_interp *I, const sf_val *self, const sf_args *a, sf_val *out) {
  if (self->kind == V_LOSS) return sf_kloss_call(I, self, a, out);
  BIND("__call__", "inputs training mask", 3);
  if (v[0].kind == V_LAYER && (I->layers[v[0].index].kind == L_INPUT || I->layers[v[0].index].kind == L_SYMBOLIC))
    return call_symbolic(I, self, a, &v[0], &v[1], out);
  if (self->kind == V_LAYER && I->layers[self->index].kind >= L_INPUT)
    return sf_arg_error(I, a, SF_ETYPE, "an Input is not callable");
  int x, y;
  /* a floating NumPy array keeps its dtype (base_layer.py _convert_numpy_or_python_types: no
   * dtype), then autocast; ints and bools are cast to float32 as Dense does */
  const sf_tensor *np_in = v[0].kind == V_TENSOR && v[0].numpy ? sf_b_host_value(I, &v[0]) : NULL;
  int want = np_in && sf_dtype_is_float(np_in->dtype) ? -1 : SF_FLOAT32;
  if ((st = sf_b_tensor(I, &v[0], want, "inputs", a->call, &x)) != SF_OK) return st;
  bool training = truthy(&v[1]);
  st = self->kind == V_LAYER ? call_layer(I, &I->layers[self->index], x, training, &y)
                             : call_model(I, &I->models[self->index], x, training, &y);
  if (st == SF_OK) sf_b_tensor_val(I, y, out);
  return st;
}

/* ---- Sequential ---- */

static sf_status add_layer(sf_interp *I, sf_model *m, const sf_args *a, const sf_val *l) {
  if (l->kind != V_LAYER) return sf_arg_error(I, a, SF_ETYPE, "Sequential: expected a layer");
  if (m->n == 32) return sf_arg_error(I, a, SF_EINVAL, "Sequential: more than 32 layers");
  sf_layer *layer = &I->layers[l->index];
  if (layer->kind == L_SYMBOLIC) return sf_arg_error(I, a, SF_ETYPE, "Sequential: expected a layer, got a Keras tensor");
  if (layer->kind == L_INPUT && m->n) return sf_arg_error(I, a, SF_EINVAL, "Sequential: an InputLayer must come first");
  /* With input_shape on the first layer the model is built at once (as Keras does);
   * each layer's input dimension is the previous layer's output dimension. */
  int64_t dim = 0;
  for (int i = m->n - 1; i >= 0 && !dim; i--) {
    sf_layer *p = &I->layers[m->layers[i]];
    dim = p->kind == L_DENSE ? p->units : p->in_dim;
  }
  if (m->n == 0) dim = layer->in_dim;
  m->layers[m->n++] = l->index;
  if ((layer->kind == L_DROPOUT || layer->kind == L_ACTIVATION) && !layer->in_dim) layer->in_dim = dim;
  return dim ? ensure_built(I, layer, dim) : SF_OK;
}

static sf_status api_sequential(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("Sequential", "layers name", 2);
  if ((st = grow(I, (void **)&I->models, I->nmodels, sizeof *I->models)) != SF_OK) return st;
  sf_model *m = &I->models[I->nmodels];
  memset(m, 0, sizeof *m);
  *out = (sf_val){.kind = V_MODEL, .index = I->nmodels++};
  if ((st = model_name(I, a, "Sequential", m, &v[1], "sequential")) != SF_OK) return st;
  if (v[0].kind == V_NONE) return SF_OK;
  if (v[0].kind == V_LAYER) return add_layer(I, m, a, &v[0]); /* one layer: [layer] (sequential.py) */
  if (v[0].kind != V_LIST && v[0].kind != V_TUPLE) return sf_arg_error(I, a, SF_ETYPE, "Sequential: layers must be a list");
  for (int i = 0; i < v[0].n; i++)
    if ((st = add_layer(I, m, a, &v[0].items[i])) != SF_OK) return st;
  return SF_OK;
}

/* Its name: Keras 2's "input_1", "input_2", ... (input_layer.py: backend.get_uid('input'),
 * counted from 1 apart from the layers' names), Keras 3's "input_layer", "input_layer_1". */
static sf_status input_value(sf_interp *I, const sf_args *a, const char *fname, const sf_val *shape, const sf_val *name, sf_val *out) {
  int64_t dim;
  sf_layer *l;
  sf_status st = input_dim(I, a, shape, &dim);
  if (st == SF_OK && !dim) st = sf_arg_error(I, a, SF_EINVAL, "Input: a shape such as (5,) is required");
  if (st == SF_OK && (st = new_layer(I, out, &l)) == SF_OK) {
    l->kind = L_INPUT;
    l->in_dim = dim;
    st = layer_name(I, a, fname, l, name, I->opt.profile == SF_PROFILE_KERAS3 ? "input_layer" : "get_uid input");
  }
  return st;
}

/* tf.keras.Input(shape=(n,)): a symbolic input of n features (batch first). */
static sf_status api_input(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("Input", "shape batch_size name dtype", 4);
  if (v[3].kind != V_NONE && !(v[3].kind == V_DTYPE && v[3].dtype == SF_FLOAT32) && !(v[3].kind == V_STR && strcmp(v[3].s, "float32") == 0))
    return sf_arg_error(I, a, SF_EINVAL, "Input: only dtype float32 is supported");
  return input_value(I, a, "Input", &v[0], &v[2], out);
}

/* tf.keras.layers.InputLayer(input_shape=(n,)): the first layer of a Sequential model. */
static sf_status api_input_layer(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("InputLayer", "input_shape batch_size dtype name", 4);
  if (v[2].kind != V_NONE && !(v[2].kind == V_DTYPE && v[2].dtype == SF_FLOAT32) && !(v[2].kind == V_STR && strcmp(v[2].s, "float32") == 0))
    return sf_arg_error(I, a, SF_EINVAL, "InputLayer: only dtype float32 is supported");
  return input_value(I, a, "InputLayer", &v[0], &v[3], out);
}

/* tf.keras.Model(inputs, outputs): the chain of layers from outputs back to inputs, run in
 * order (a linear graph: a Sequential model whose layers are already built). */
static sf_status api_model(sf_interp *I, const sf_args *a, sf_val *out) {
  BIND("Model", "inputs outputs name", 3);
  if (!g[0] || !g[1]) return sf_arg_error(I, a, SF_EINVAL, "unsupported: tf.keras.Model subclasses (only Model(inputs, outputs))");
  const sf_val *in = &v[0], *o = &v[1];
  if ((in->kind == V_LIST || in->kind == V_TUPLE) && in->n == 1) in = &in->items[0];
  if ((o->kind == V_LIST || o->kind == V_TUPLE) && o->n == 1) o = &o->items[0];
  if (in->kind != V_LAYER || I->layers[in->index].kind != L_INPUT || o->kind != V_LAYER ||
      (I->layers[o->index].kind != L_SYMBOLIC && o->index != in->index))
    return sf_arg_error(I, a, SF_ETYPE, "Model: inputs must be one tf.keras.Input and outputs one layer output computed from it");
  int chain[32], n = 0;
  int8_t tr[32];
  for (int at = o->index; at != in->index; at = I->layers[at].src) {
    if (I->layers[at].kind != L_SYMBOLIC) return sf_arg_error(I, a, SF_EINVAL, "Model: outputs are not computed from inputs");
    if (n == 32) return sf_arg_error(I, a, SF_EINVAL, "Model: more than 32 layers");
    tr[n] = (int8_t)I->layers[at].training;
    chain[n++] = I->layers[at].via;
  }
  if ((st = grow(I, (void **)&I->models, I->nmodels, sizeof *I->models)) != SF_OK) return st;
  sf_model *m = &I->models[I->nmodels];
  memset(m, 0, sizeof *m);
  *out = (sf_val){.kind = V_MODEL, .index = I->nmodels++};
  for (int i = n - 1; i >= 0; i--) m->training[m->n] = tr[i], m->layers[m->n++] = chain[i];
  m->input = in->index + 1;
  return model_name(I, a, "Model", m, &v[2], "model");
}

static sf_status api_mse(sf_interp *I, const sf_args *a, sf_val *out) {
  (void)I;
  (void)a;
  *out = (sf_val){.kind = V_LOSS, .s = "mse"};
  return SF_OK;
}

static sf_status compile(sf_interp *I, sf_model *m, const sf_args *a) {
  BIND("compile", "optimizer loss metrics", 3);
  if (v[0].kind == V_OPTIMIZER) m->optim = v[0];
  else if (v[0].kind == V_STR && (st = sf_optim_from_name(I, a, v[0].s, &m->optim)) != SF_OK) return st;
  else if (v[0].kind != V_STR) return sf_arg_error(I, a, SF_EINVAL, "compile: optimizer must be a tf.keras.optimizers object or a name");
  if ((st = sf_kloss_compile(I, a, &v[1], &v[2], &m->loss)) != SF_OK) return st;
  m->compiled = true;
  return SF_OK;
}

/* ---- training ---- */

/* mse as Keras computes it: mean over outputs, then sum / batch (compute_weighted_loss). */
static sf_status mse_loss(sf_interp *I, int pred, int y, int64_t batch, int *loss) {
  sf_node *d, *sq, *per, *sum, *div;
  int last, first, cnt;
  sf_val axl = {.kind = V_INT, .i = -1}, ax0 = {.kind = V_INT, .i = 0}, n = {.kind = V_FLOAT, .f = (double)batch};
  sf_val l1 = {.kind = V_LIST, .items = &axl, .n = 1}, l0 = {.kind = V_LIST, .items = &ax0, .n = 1};
  sf_status st = SF_OK;
  sf_dtype pdt = sf_graph_node(I->ctx.graph, pred)->dtype;
  if (sf_graph_node(I->ctx.graph, y)->dtype != pdt) { /* losses.py mean_squared_error: tf.cast(y_true, y_pred.dtype) */
    sf_attr_value attrs[SF_B_ATTRS];
    sf_node *c;
    sf_b_attrs("Cast", attrs);
    sf_b_attr_set("Cast", attrs, "DstT", (sf_attr_value){.type = pdt});
    if ((st = sf_b_op(I, "Cast", "Cast", &y, 1, attrs, &c)) == SF_OK) y = c->id;
  }
  if (st == SF_OK) st = sf_b_op(I, "Sub", "sub", (int[]){pred, y}, 2, NULL, &d);
  if (st == SF_OK) st = sf_b_op(I, "Square", "Square", &d->id, 1, NULL, &sq);
  if (st == SF_OK) st = sf_b_tensor(I, &l1, SF_INT32, "Const", NULL, &last);
  if (st == SF_OK) st = sf_b_op(I, "Mean", "Mean", (int[]){sq->id, last}, 2, NULL, &per);
  if (st == SF_OK) st = sf_b_tensor(I, &l0, SF_INT32, "Const", NULL, &first);
  if (st == SF_OK) st = sf_b_op(I, "Sum", "Sum", (int[]){per->id, first}, 2, NULL, &sum);
  if (st == SF_OK) st = sf_b_tensor(I, &n, SF_FLOAT32, "num_elements", NULL, &cnt);
  if (st == SF_OK) st = sf_b_op(I, "RealDiv", "value", (int[]){sum->id, cnt}, 2, NULL, &div);
  if (st == SF_OK) *loss = div->id;
  return st;
}

/* compile_utils.match_dtype_and_rank: labels of rank 1 against an output of rank 2 get a
 * last axis (expand_dims(y, -1): a Const and an ExpandDims), so that an elementwise loss
 * pairs each sample with its label instead of broadcasting them into a square. Done for the
 * elementwise losses only: the sparse one flattens its labels itself (the same values), and
 * its op count stays as it was. */
static sf_status match_rank(sf_interp *I, const sf_model *m, int pred, int *y) {
  const sf_node *p = sf_graph_node(I->ctx.graph, pred), *l = sf_graph_node(I->ctx.graph, *y);
  if (!sf_kloss_elementwise(m->loss.kind) || !p->shape_known || !l->shape_known || p->shape.rank != 2 || l->shape.rank != 1)
    return SF_OK;
  sf_val ax = {.kind = V_INT, .i = -1};
  int axis;
  sf_node *e;
  sf_status st = sf_b_tensor(I, &ax, SF_INT32, "ExpandDims/dim", NULL, &axis);
  if (st == SF_OK) st = sf_b_op(I, "ExpandDims", "ExpandDims", (int[]){*y, axis}, 2, NULL, &e);
  if (st == SF_OK) *y = e->id;
  return st;
}

/* A weight's constraint after the step's updates (sf_constrain_variable, api_tape.c). */
static sf_status apply_constraint(sf_interp *I, const sf_val *con, int var, sf_step *s) {
  if (s->nupdates == 32) return sf_error_set(I->err, SF_ELIMIT, "fit: more than 32 weight updates in one step");
  int n;
  sf_status st = sf_constrain_variable(I, con, var, s->updates, s->nupdates, &n);
  if (st == SF_OK) s->updates[s->nupdates++] = n;
  return st;
}

/* Forward (training=True), loss, gradients and one SGD update per weight, in the current
 * builder: run at once in eager mode (the tape), or added to a graph. */
static sf_status train_step(sf_interp *I, sf_model *m, int x, int y, int64_t batch, sf_step *s) {
  int pred, wrt[32], vars[32], grads[32], nw = 0;
  sf_status st = call_model(I, m, x, true, &pred);
  s->pred = pred;
  if (st == SF_OK) st = match_rank(I, m, pred, &y);
  if (st == SF_OK) st = m->loss.kind == SF_KL_MSE ? mse_loss(I, pred, y, batch, &s->loss) : sf_kloss_build(I, &m->loss, pred, y, &s->loss);
  if (st == SF_OK) st = sf_keras_fit_reg_loss(I, (int)(m - I->models), &s->loss);
  for (int i = 0; st == SF_OK && i < m->n; i++) {
    sf_layer *l = &I->layers[m->layers[i]];
    if (l->kind != L_DENSE) continue;
    wrt[nw] = l->kernel_read, vars[nw++] = l->kernel;
    if (l->use_bias) wrt[nw] = l->bias_read, vars[nw++] = l->bias;
  }
  sf_builder b;
  sf_b_builder(I, &b);
  if (st == SF_OK) st = sf_gradients(&b, s->loss, wrt, nw, grads);
  s->nupdates = 0; /* the optimizer's update ops (api_optim.c) */
  if (st == SF_OK) st = sf_optim_apply(I, &m->optim, vars, grads, nw, s->updates, 32, &s->nupdates);
  for (int i = 0; st == SF_OK && i < m->n; i++) {
    sf_layer *l = &I->layers[m->layers[i]];
    if (l->kind != L_DENSE) continue;
    for (int k = 0; st == SF_OK && k < (l->use_bias ? 2 : 1); k++)
      if (l->con[k].kind != V_NONE) st = apply_constraint(I, &l->con[k], k ? l->bias : l->kernel, s);
  }
  return st;
}

/* Builds (once per batch size) the train step in a graph with placeholders. */
static sf_status graph_step(sf_interp *I, sf_model *m, const sf_tensor *xb, const sf_tensor *yb, sf_step **out) {
  int64_t batch = xb->shape.dims[0];
  for (int i = 0; i < m->nsteps; i++)
    if (m->steps[i].batch == batch) return *out = &m->steps[i], SF_OK;
  if (m->nsteps == 2) return sf_error_set(I->err, SF_EINTERNAL, "fit: too many batch sizes");
  sf_step *s = &m->steps[m->nsteps];
  memset(s, 0, sizeof *s);
  s->batch = batch;
  bool in_graph = I->opt.mode == SF_MODE_GRAPH;
  if (!in_graph && !m->train) { /* Keras's train_function: a tf.function of its own */
    if (!(m->train = sf_graph_new(true))) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
    m->train->has_seed = I->es.has_global;
    m->train->seed = I->es.global;
    sf_session_init(&m->sess, m->train, sf_context_new_graph_index(&I->ctx));
  }
  sf_status st = sf_context_enter_graph(&I->ctx, in_graph ? I->main : m->train, I->err);
  if (st != SF_OK) return st;
  sf_attr_value px[SF_B_ATTRS], py[SF_B_ATTRS];
  sf_b_attrs("Placeholder", px);
  sf_b_attrs("Placeholder", py);
  sf_node *nx, *ny;
  if (st == SF_OK) {
    px[0].i = 0, px[1].type = xb->dtype, px[2].shape = xb->shape;
    py[0].i = 1, py[1].type = yb->dtype, py[2].shape = yb->shape;
    st = sf_b_op(I, "Placeholder", "x", NULL, 0, px, &nx);
  }
  if (st == SF_OK) st = sf_b_op(I, "Placeholder", "y", NULL, 0, py, &ny);
  if (st == SF_OK) st = train_step(I, m, nx->id, ny->id, batch, s);
  sf_context_leave(&I->ctx);
  if (st == SF_OK) m->nsteps++, *out = s;
  return st;
}

static sf_tensor *gather_rows(sf_interp *I, const sf_tensor *t, const int64_t *idx, int64_t n) {
  sf_shape s = t->shape;
  int64_t rows = s.dims[0];
  s.dims[0] = n;
  sf_tensor *r = sf_tensor_new(t->dtype, &s, I->err);
  size_t row = rows ? (size_t)(t->n / rows) * sf_dtype_size(t->dtype) : 0;
  for (int64_t i = 0; r && i < n; i++) memcpy((char *)r->data + i * row, (const char *)t->data + idx[i] * row, row);
  return r;
}


/* One training step on a batch; out[0], out[1]: the batch's loss and the model's output
 * (new references, for the log). */
static sf_status run_batch(sf_interp *I, sf_model *m, sf_tensor *xb, sf_tensor *yb, sf_tensor **out) {
  if (I->ctx.eager) { /* run_eagerly: the step's ops run now; the eager graph is the tape */
    int x, y, first = I->E.g->n;
    int64_t calls = I->py_calls;
    sf_step s;
    /* the gradient reads the step's values: program code in it (a callable activation or
     * regularizer) releases what it counted once the step is done, as under a tape */
    int token = sf_eager_suspend(&I->E);
    sf_status st = sf_b_const(I, xb, "x", &x);
    if (st == SF_OK) st = sf_b_const(I, yb, "y", &y);
    if (st == SF_OK) st = train_step(I, m, x, y, xb->shape.dims[0], &s);
    if (st == SF_OK) out[0] = sf_tensor_ref(sf_eager_value(&I->E, s.loss)), out[1] = sf_tensor_ref(sf_eager_value(&I->E, s.pred));
    if (token) sf_eager_resume(&I->E, token);
    if (st == SF_OK) sf_py_release_since(I, first, calls, NULL); /* a long fit's memory stays flat */
    return st;
  }
  sf_step *s = NULL;
  sf_status st = graph_step(I, m, xb, yb, &s);
  sf_tensor *feeds[2] = {xb, yb};
  sf_session *sess = I->opt.mode == SF_MODE_GRAPH ? &I->sess : &m->sess;
  if (st == SF_OK && I->opt.mode == SF_MODE_GRAPH) st = sf_b_run_inits(I);
  I->rt.feeds = feeds;
  I->rt.nfeeds = 2;
  if (st == SF_OK) st = sf_session_run(sess, &I->rt, (int[]){s->loss, s->pred}, 2, s->updates, s->nupdates, out, I->tr, I->err);
  I->rt.feeds = NULL;
  I->rt.nfeeds = 0;
  return st;
}

/* The epoch's sample order. Graph mode runs Keras's v1 loop: np.random.shuffle of
 * arange(n) on NumPy's global stream (training_arrays.py), which tf.random.set_seed does
 * not seed. Eager and function modes run the v2 loop: one RandomShuffle kernel of the
 * dataset, seeded in its own function graph, serving every epoch (data_adapter.py). */
typedef struct sf_shuffler {
  sf_graph *g;
  sf_session s;
  int op;
} sf_shuffler;

static sf_status epoch_order(sf_interp *I, sf_shuffler *sh, int64_t n, int64_t *perm) {
  if (I->opt.mode == SF_MODE_GRAPH) {
    sf_shape s = {.rank = 1, .dims = {n}};
    sf_tensor *r = sf_tensor_new(SF_INT64, &s, I->err);
    if (!r) return I->err->code;
    for (int64_t i = 0; i < n; i++) ((int64_t *)r->data)[i] = i;
    int id;
    sf_val out;
    sf_status st = sf_context_enter_eager(&I->ctx, I->err);
    if (st == SF_OK) {
      st = sf_b_const(I, r, "index_array", &id);
      if (st == SF_OK) st = sf_b_python_time(I, "NumpyShuffle", &id, 1, NULL, &out);
      sf_context_leave(&I->ctx);
    }
    sf_tensor_unref(r);
    if (st == SF_OK) memcpy(perm, sf_eager_value(&I->E, out.node)->data, (size_t)n * sizeof *perm);
    return st;
  }
  sf_status st = SF_OK;
  if (!sh->g) {
    if (!(sh->g = sf_graph_new(true))) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
    sh->g->has_seed = I->ctx.eager ? I->es.has_global : I->ctx.graph->has_seed;
    sh->g->seed = I->ctx.eager ? I->es.global : I->ctx.graph->seed;
    sf_session_init(&sh->s, sh->g, sf_context_new_graph_index(&I->ctx));
    sf_shape s = {.rank = 1, .dims = {n}};
    sf_tensor *r = sf_tensor_new(SF_INT64, &s, I->err);
    if (!r) return I->err->code;
    for (int64_t i = 0; i < n; i++) ((int64_t *)r->data)[i] = i;
    /* The dataset's own graph: built at no program line, seeded by the graph rule on it. */
    sf_node *range = NULL, *shuf;
    sf_seed_pair seeds;
    if ((st = sf_context_enter_own_graph(&I->ctx, sh->g, I->err)) == SF_OK) {
      st = sf_context_add_const(&I->ctx, r, "range", 0, &range, I->err);
      sf_b_get_seed(I, false, 0, &seeds);
      sf_op_spec o = {.op = "RandomShuffle", .name = "RandomShuffle", .in = range ? &range->id : NULL, .nin = 1,
                      .seeds = &seeds};
      if (st == SF_OK) st = sf_context_add(&I->ctx, &o, &shuf, I->err);
      sf_context_leave(&I->ctx);
    }
    sf_tensor_unref(r);
    if (st != SF_OK) return st;
    sh->op = shuf->id;
  }
  sf_tensor *p = NULL;
  st = sf_session_run(&sh->s, &I->rt, &sh->op, 1, NULL, 0, &p, I->tr, I->err);
  if (st == SF_OK) memcpy(perm, p->data, (size_t)n * sizeof *perm);
  sf_tensor_unref(p);
  return st;
}

/* t as float32 (rounded, as TF's Cast rounds), a constant of the eager graph. */
static sf_tensor *float32_copy(sf_interp *I, const sf_tensor *t) {
  sf_tensor *c = sf_tensor_new(SF_FLOAT32, &t->shape, I->err);
  int id;
  for (int64_t i = 0; c && i < t->n; i++)
    sf_tensor_set(c, i, sf_dtype_is_float(t->dtype) ? sf_tensor_get(t, i) : (double)sf_tensor_get_i64(t, i));
  bool ok = c && sf_context_enter_eager(&I->ctx, I->err) == SF_OK;
  if (ok) ok = sf_b_const(I, c, "x", &id) == SF_OK, sf_context_leave(&I->ctx);
  sf_tensor_unref(c);
  return ok ? sf_eager_value(&I->E, id) : NULL;
}

/* A float64 NumPy array fed to the model's float32 inputs: rounded to float32 as Keras's
 * feed (TF1) or its cast to floatx (TF2) does. */
static sf_tensor *as_floatx(sf_interp *I, sf_tensor *t) { return t && t->dtype == SF_FLOAT64 ? float32_copy(I, t) : t; }

/* Integer targets of a dense loss (a (n, 1) array of 0/1 labels for binary cross-entropy,
 * say) become float32, as the loss's tf.cast(y_true, y_pred.dtype) makes them (losses.py,
 * mean_squared_error, binary_crossentropy, ...); sparse
 * categorical cross-entropy keeps its integer labels. */
static sf_tensor *as_float_targets(sf_interp *I, const sf_model *m, sf_tensor *y) {
  if (!y || m->loss.kind == SF_KL_SCE || sf_dtype_is_float(y->dtype) || y->shape.rank != 2) return y;
  return float32_copy(I, y);
}

/* The validation loss and metrics of an epoch: the model with training=False on rows
 * [from, end) of x, y in batches, evaluated at once (as Keras's test function computes
 * them: a Softmax output's logits used as in a graph). No random op runs, no weight changes. */
static sf_status validate(sf_interp *I, sf_model *m, sf_tensor *x, sf_tensor *y, int64_t from, int64_t bs, sf_klog *val) {
  sf_status st = I->opt.mode == SF_MODE_GRAPH ? sf_b_run_inits(I) : SF_OK;
  if (st != SF_OK || (st = sf_context_enter_eager(&I->ctx, I->err)) != SF_OK) return st;
  sf_klog_reset(val);
  m->loss.graph_rule = true;
  int64_t rows = x->shape.dims[0], *idx = malloc((size_t)(rows ? rows : 1) * sizeof *idx);
  if (!idx) st = sf_error_set(I->err, SF_ENOMEM, "out of memory");
  for (int64_t i = 0; idx && i < rows; i++) idx[i] = i;
  for (int64_t b0 = from; st == SF_OK && b0 < rows; b0 += bs) {
    int64_t len = b0 + bs < rows ? bs : rows - b0;
    sf_tensor *xb = gather_rows(I, x, idx + b0, len), *yb = gather_rows(I, y, idx + b0, len);
    int xi, yi, pred, loss, first = I->E.g->n;
    int64_t calls = I->py_calls;
    st = xb && yb ? sf_b_const(I, xb, "x", &xi) : I->err->code;
    if (st == SF_OK) st = sf_b_const(I, yb, "y", &yi);
    if (st == SF_OK) st = call_model(I, m, xi, false, &pred);
    if (st == SF_OK) st = match_rank(I, m, pred, &yi);
    if (st == SF_OK) st = m->loss.kind == SF_KL_MSE ? mse_loss(I, pred, yi, len, &loss) : sf_kloss_build(I, &m->loss, pred, yi, &loss);
    if (st == SF_OK) sf_klog_batch(I, val, sf_eager_value(&I->E, loss), sf_eager_value(&I->E, pred), yb);
    if (st == SF_OK) sf_py_release_since(I, first, calls, NULL);
    sf_tensor_unref(xb);
    sf_tensor_unref(yb);
  }
  m->loss.graph_rule = false;
  free(idx);
  sf_context_leave(&I->ctx);
  return st;
}

/* Builds each layer on x's features per sample (after a Flatten: the product of x's
 * non-batch dimensions). */
static sf_status build_on(sf_interp *I, sf_model *m, const sf_tensor *x) {
  int64_t dim = 1;
  sf_status st = SF_OK;
  for (int i = 1; i < x->shape.rank; i++) dim *= x->shape.dims[i];
  for (int64_t i = 0; st == SF_OK && i < m->n; i++) {
    sf_layer *l = &I->layers[m->layers[i]];
    st = ensure_built(I, l, dim);
    if (l->kind == L_DENSE) dim = l->units;
  }
  return st;
}

/* EarlyStopping's view of the model's weights: get_weights as a Python list, set_weights. */
static sf_status set_weights(sf_interp *I, sf_model *m, const sf_args *a);
static sf_status get_weights(sf_interp *I, const int *layers, int n, sf_val *out);
typedef struct fit_ctx {
  sf_model *m;
  const sf_args *a;
} fit_ctx;
static sf_status model_weights(sf_interp *I, void *ctx, sf_val *w, bool set) {
  fit_ctx *f = ctx;
  sf_val flat;
  sf_status st;
  if (!set) {
    if ((st = get_weights(I, f->m->layers, (int)f->m->n, &flat)) != SF_OK) return st;
    return sf_py_from_api(I, &flat, w); /* a new list: the caller's reference */
  }
  if ((st = sf_py_to_api(I, w, &flat)) != SF_OK) return st;
  return set_weights(I, f->m, &(sf_args){.call = f->a->call, .pos = &flat, .npos = 1});
}

/* The n tensors of el and el itself. */
static void tensors_free(sf_tensor **el, int64_t n) {
  for (int64_t i = 0; el && i < n; i++) sf_tensor_unref(el[i]);
  free(el);
}
static void epoch_free(sf_tensor **el, int64_t nb) { tensors_free(el, 2 * nb); }

/* One epoch's batches of a dataset of (x, y) pairs (a new iterator over it): *el holds x, y
 * of batch b at 2b, 2b + 1 (new references), *nb batches. */
static sf_status dataset_epoch(sf_interp *I, const sf_args *a, const sf_val *ds, sf_tensor ***el, int64_t *nb) {
  int w;
  bool tuple;
  sf_status st = sf_tfdata_elements(I, a, ds, el, nb, &w, &tuple);
  if (st == SF_OK && (!tuple || w != 2)) {
    tensors_free(*el, *nb * w);
    *el = NULL;
    *nb = 0;
    return sf_arg_error(I, a, SF_ENAME, "unsupported: fit() on a dataset whose elements are not (x, y) pairs");
  }
  return st;
}


static sf_status fit(sf_interp *I, sf_model *m, const sf_args *a, sf_val *out) {
  BIND("fit", "x y batch_size epochs verbose callbacks validation_split validation_data shuffle", 9);
  out->kind = V_NONE;
  if (!m->compiled) return sf_arg_error(I, a, SF_EINVAL, "fit: the model must be compiled first");
  /* A tf.data.Dataset of (x, y) batches: each epoch iterates a new iterator over it (Keras 2's
   * data_adapter.py DatasetAdapter.should_recreate_iterator without steps_per_epoch; Keras 3
   * likewise), so a shuffle in it reshuffles per epoch as a `for` over it does. */
  bool ds = sf_tfdata_is_dataset(I, &v[0]);
  if (ds) {
    const char *bad = I->opt.profile == SF_PROFILE_TF1 ? "under profile tf1 (TF 1.x's fit needs steps_per_epoch)"
                      : I->opt.profile == SF_PROFILE_KERAS3 ? "under profile keras3 (its epoch iterator is not modelled)"
                      : g[1] && v[1].kind != V_NONE ? "with y (Keras raises ValueError)"
                      : g[2] && v[2].kind != V_NONE ? "with batch_size (the dataset batches)"
                      : g[6] && v[6].kind != V_NONE ? "with validation_split (Keras raises ValueError)" : NULL;
    if (bad) return sf_arg_error(I, a, SF_ENAME, "unsupported: fit() on a tf.data.Dataset %s", bad);
  }
  sf_tensor *x = NULL, *y = NULL;
  if (!ds) {
    x = as_floatx(I, sf_b_host_value(I, &v[0]));
    y = as_float_targets(I, m, as_floatx(I, sf_b_host_value(I, &v[1])));
    if (!x || !y || x->dtype != SF_FLOAT32 || x->shape.rank < 2 || !sf_klabels_ok(y))
      return sf_arg_error(I, a, SF_ETYPE, "fit: x must be a float32 array of rank 2 or more and y a float32 matrix or a vector of int labels (tf.constant or NumPy arrays)");
  }
  sf_klog log = {.k = &m->loss, .a = a, .verbose = 1};
  if (g[4] && v[4].kind != V_BOOL && (st = sf_arg_int(I, a, "fit", "verbose", &v[4], &(int64_t){0})) != SF_OK) return st;
  if (g[4]) log.verbose = (int)(v[4].kind == V_BOOL ? v[4].b : v[4].i);
  int64_t n = ds ? 1 : x->shape.dims[0], bs = 32, epochs = 1; /* a dataset is counted in batches (nb below) */
  if (!ds && y->shape.dims[0] != n) return sf_arg_error(I, a, SF_ESHAPE, "fit: x and y have different numbers of samples");
  if ((g[2] && v[2].kind != V_NONE && (st = sf_arg_int(I, a, "fit", "batch_size", &v[2], &bs)) != SF_OK) ||
      (g[3] && (st = sf_arg_int(I, a, "fit", "epochs", &v[3], &epochs)) != SF_OK))
    return st;
  if (bs <= 0 || epochs < 0 || epochs > 100000 || n == 0) return sf_arg_error(I, a, SF_EINVAL, "fit: bad batch_size, epochs or empty data");
  /* validation_split: the last fraction is held out before any shuffling, split_at =
   * floor(n * (1 - split)) (training_arrays.py / data_adapter.train_validation_split).
   * Validation (and validation_data) runs the model with training=False and no shuffle:
   * no random op, no weight change, so only Keras's log would show it. */
  double split = 0;
  if (g[6] && v[6].kind != V_NONE && (st = sf_arg_float(I, a, "fit", "validation_split", &v[6], &split)) != SF_OK) return st;
  if (!(split >= 0 && split < 1)) return sf_arg_error(I, a, SF_EINVAL, "fit: validation_split must be in [0, 1), got %g", split);
  if (g[7] && v[7].kind != V_NONE && ((v[7].kind != V_TUPLE && v[7].kind != V_LIST) || v[7].n < 2))
    return sf_arg_error(I, a, SF_ETYPE, "fit: validation_data must be a tuple (x_val, y_val)");
  int64_t n_all = n;
  if (split > 0) n = (int64_t)floor((double)n * (1.0 - split));
  if (n == 0) return sf_arg_error(I, a, SF_EINVAL, "fit: validation_split leaves no training samples");
  bool shuffle = !g[8] || truthy(&v[8]);
  /* callbacks: EarlyStopping (api_keras_callbacks.c); any other is refused by name */
  enum { MAX_CB = 8 };
  sf_val cbs[MAX_CB];
  int ncb = 0;
  if (g[5] && v[5].kind != V_NONE) {
    if (v[5].kind != V_LIST && v[5].kind != V_TUPLE) return sf_arg_error(I, a, SF_ETYPE, "fit: callbacks must be a list");
    for (int i = 0; i < v[5].n; i++) {
      if (!sf_kcb_is_early_stopping(&v[5].items[i]))
        return sf_arg_error(I, a, SF_ENAME, "unsupported: fit(callbacks=[%s]) (seedflow runs EarlyStopping)",
                            sf_type_name(&v[5].items[i]));
      if (ncb == MAX_CB) return sf_arg_error(I, a, SF_ELIMIT, "unsupported: more than %d callbacks", MAX_CB);
      cbs[ncb++] = v[5].items[i];
    }
  }
  /* a dataset's epoch 0 batches, the first one to build the model on. Keras 2's
   * DataHandler.enumerate_epochs makes an iterator before its loop and, the dataset's
   * iterator being recreated every epoch, another at epoch 0: epoch e reads the dataset's
   * (e + 2)-th iterator (data_adapter.py, v2.6.0-v2.15.0) */
  sf_tensor **el = NULL;
  int64_t nb = 0;
  if (ds) sf_tfdata_make_iterator(I, &v[0]);
  if (ds && (st = dataset_epoch(I, a, &v[0], &el, &nb)) != SF_OK) return st;
  if (ds && !nb) return epoch_free(el, nb), sf_arg_error(I, a, SF_EINVAL, "fit: the dataset has no elements");
  int64_t *perm = ds ? NULL : malloc((size_t)n * sizeof *perm);
  if (!ds && !perm) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  sf_shuffler sh = {0};
  st = build_on(I, m, ds ? el[0] : x);
  log.epochs = epochs, log.n = n, log.bs = bs, log.steps = ds ? nb : (n + bs - 1) / bs;
  log.nval = split > 0 ? n_all - n : 0;
  sf_tensor *vx = split > 0 ? x : NULL, *vy = split > 0 ? y : NULL;
  if (g[7] && v[7].kind != V_NONE) {
    vx = as_floatx(I, sf_b_host_value(I, &v[7].items[0]));
    vy = as_float_targets(I, m, as_floatx(I, sf_b_host_value(I, &v[7].items[1])));
    if (!vx || !vy || vx->dtype != SF_FLOAT32 || vx->shape.rank < 2 || !sf_klabels_ok(vy) || vx->shape.dims[0] != vy->shape.dims[0])
      st = sf_arg_error(I, a, SF_ETYPE, "fit: validation_data must hold a float32 array and labels like y");
    else
      log.nval = vx->shape.dims[0];
  }
  if (st == SF_OK && I->opt.profile == SF_PROFILE_TF1) st = sf_klog_begin(I, &log);
  if (st == SF_OK) st = sf_klog_history(I, &log, out);
  for (int i = 0; st == SF_OK && i < ncb; i++) st = sf_kcb_train_begin(I, &cbs[i]);
  fit_ctx fc = {m, a};
  bool stop = false;
  for (int64_t e = 0; st == SF_OK && e < epochs && !stop; e++) {
    if (ds && e > 0) { /* a new iterator over the dataset */
      epoch_free(el, nb);
      el = NULL;
      st = dataset_epoch(I, a, &v[0], &el, &nb);
      log.steps = nb;
    }
    if (st == SF_OK) st = sf_klog_epoch_begin(I, &log, e);
    if (sh.g && I->opt.profile == SF_PROFILE_KERAS3) { /* Keras 3: a new iterator, new map function, every epoch */
      sf_session_free(&sh.s);
      sf_graph_free(sh.g);
      sh = (sf_shuffler){0};
    }
    for (int64_t i = 0; !ds && i < n; i++) perm[i] = i;
    if (!ds && shuffle && st == SF_OK) st = epoch_order(I, &sh, n, perm);
    for (int64_t b = 0, b0 = 0; st == SF_OK && (ds ? b < nb : b0 < n); b++, b0 += bs) {
      int64_t len = b0 + bs < n ? bs : n - b0;
      sf_tensor *xb, *yb;
      if (ds) { /* the dataset's batch, as Keras takes it: float64 features cast, labels as for arrays */
        xb = as_floatx(I, el[2 * b]);
        yb = as_float_targets(I, m, as_floatx(I, el[2 * b + 1]));
        if (!xb || !yb || xb->dtype != SF_FLOAT32 || xb->shape.rank < 2 || !sf_klabels_ok(yb) ||
            yb->shape.dims[0] != xb->shape.dims[0]) {
          st = sf_arg_error(I, a, SF_ETYPE, "fit: the dataset's batch %lld is not (a float32 matrix, labels like y)", (long long)b);
          break;
        }
        sf_tensor_ref(xb), sf_tensor_ref(yb); /* released below, as gathered rows are */
      } else {
        xb = gather_rows(I, x, perm + b0, len), yb = gather_rows(I, y, perm + b0, len);
      }
      sf_tensor *lp[2] = {NULL, NULL};
      st = xb && yb ? run_batch(I, m, xb, yb, lp) : I->err->code;
      if (st == SF_OK) sf_klog_batch(I, &log, lp[0], lp[1], yb);
      sf_tensor_unref(lp[0]);
      sf_tensor_unref(lp[1]);
      sf_tensor_unref(xb);
      sf_tensor_unref(yb);
    }
    sf_klog val = log;
    if (st == SF_OK && log.nval) st = validate(I, m, vx, vy, split > 0 ? n : 0, bs, &val);
    /* callbacks.py CallbackList: from Keras 2.7 the ProgbarLogger comes after the user's
     * callbacks (2.6 inserted it first), so their messages precede the epoch's line */
    bool line_last = ncb && sf_keras_version(I) >= 20700;
    if (st == SF_OK) st = line_last ? sf_klog_epoch_record(I, &log, log.nval ? &val : NULL)
                                    : sf_klog_epoch_end(I, &log, log.nval ? &val : NULL);
    sf_val *hist = st == SF_OK && ncb ? sf_dict_get_str(log.history->attrs, "history") : NULL;
    for (int i = 0; hist && st == SF_OK && i < ncb; i++)
      st = sf_kcb_epoch_end(I, a, &cbs[i], e, hist, model_weights, &fc, &stop);
    if (st == SF_OK && line_last) st = sf_klog_epoch_line(I, &log, log.nval ? &val : NULL);
  }
  for (int i = 0; st == SF_OK && i < ncb; i++) st = sf_kcb_train_end(I, a, &cbs[i]);
  if (sh.g) {
    sf_session_free(&sh.s);
    sf_graph_free(sh.g);
  }
  epoch_free(el, nb);
  free(perm);
  return st;
}

/* predict(x, batch_size=None, verbose=..., steps=None): the model on all of x at once
 * (training=False: no random op), which gives every row the values a per-batch loop
 * gives it; float64 input is rounded to float32 first. verbose defaults to 0 in TF 1.x's
 * Keras and to 'auto' from Keras 2.9 (keras/engine/training.py _get_verbosity, v2.9.0: 1, a
 * Progbar line; v2.8.0's default was 0). */
static sf_status predict(sf_interp *I, const sf_val *self, const sf_args *a, sf_val *out) {
  BIND("predict", "x batch_size verbose steps callbacks", 5);
  if ((st = sf_arg_need(I, a, "predict", "x", g[0])) != SF_OK) return st;
  int64_t bs = 32, verbose = I->opt.profile == SF_PROFILE_TF1 ? 0 : 1;
  if (g[2] && v[2].kind == V_BOOL) verbose = v[2].b;
  else if (g[2] && !(v[2].kind == V_STR && strcmp(v[2].s, "auto") == 0) &&
           (st = sf_arg_int(I, a, "predict", "verbose", &v[2], &verbose)) != SF_OK)
    return st;
  if (g[1] && v[1].kind != V_NONE && (st = sf_arg_int(I, a, "predict", "batch_size", &v[1], &bs)) != SF_OK) return st;
  if (bs <= 0) return sf_arg_error(I, a, SF_EINVAL, "predict: batch_size must be positive");
  if (g[3] && v[3].kind != V_NONE) return sf_arg_error(I, a, SF_ENAME, "unsupported: predict(steps=...)");
  if (g[4] && v[4].kind != V_NONE) return sf_arg_error(I, a, SF_ENAME, "unsupported: predict(callbacks=...)");
  sf_tensor *x = as_floatx(I, sf_b_host_value(I, &v[0]));
  if (!x) return sf_arg_error(I, a, SF_ETYPE, "predict: x must be a NumPy array or a tensor with a value");
  int xid, y;
  /* the weights' values now (a TF1 graph's pending initializers first), computed eagerly:
   * Keras's predict_function returns NumPy in every mode (its graph ops are not added) */
  if (I->opt.mode == SF_MODE_GRAPH && (st = sf_b_run_inits(I)) != SF_OK) return st;
  if ((st = sf_context_enter_eager(&I->ctx, I->err)) != SF_OK) return st;
  st = sf_b_const(I, x, "x", &xid);
  int64_t n = x->shape.rank ? x->shape.dims[0] : 1;
  sf_klog log = {.a = a, .verbose = (int)verbose, .epochs = 1, .n = n, .bs = bs, .steps = (n + bs - 1) / bs};
  sf_klog_reset(&log);
  if (st == SF_OK) st = call_model(I, &I->models[self->index], xid, false, &y);
  sf_context_leave(&I->ctx);
  if (st == SF_OK) st = sf_klog_predict(I, &log);
  if (st == SF_OK) sf_graph_node(I->E.g, y)->host_array = true; /* the call's output, the program's array */
  if (st == SF_OK) *out = (sf_val){.kind = V_TENSOR, .g = I->E.g, .node = y, .numpy = true};
  return st;
}

/* evaluate(x, y): the loss (and metrics) with training=False in batches, and its log line. */
static sf_status evaluate(sf_interp *I, sf_model *m, const sf_args *a, sf_val *out) {
  BIND("evaluate", "x y batch_size verbose", 4);
  if (!m->compiled) return sf_arg_error(I, a, SF_EINVAL, "evaluate: the model must be compiled first");
  sf_tensor *x = as_floatx(I, sf_b_host_value(I, &v[0])), *y = as_float_targets(I, m, as_floatx(I, sf_b_host_value(I, &v[1])));
  if (!x || !y || x->dtype != SF_FLOAT32 || x->shape.rank < 2 || !sf_klabels_ok(y) || x->shape.dims[0] != y->shape.dims[0])
    return sf_arg_error(I, a, SF_ETYPE, "evaluate: x must be a float32 array of rank 2 or more and y labels for each of its rows");
  int64_t bs = 32, verbose = 1;
  if ((g[2] && v[2].kind != V_NONE && (st = sf_arg_int(I, a, "evaluate", "batch_size", &v[2], &bs)) != SF_OK) ||
      (g[3] && v[3].kind != V_BOOL && (st = sf_arg_int(I, a, "evaluate", "verbose", &v[3], &verbose)) != SF_OK))
    return st;
  if (g[3] && v[3].kind == V_BOOL) verbose = v[3].b;
  if (bs <= 0) return sf_arg_error(I, a, SF_EINVAL, "evaluate: batch_size must be positive");
  st = build_on(I, m, x);
  int64_t n = x->shape.dims[0];
  sf_klog log = {.k = &m->loss, .a = a, .verbose = (int)verbose, .epochs = 1, .n = n, .bs = bs, .steps = (n + bs - 1) / bs};
  if (st == SF_OK) st = validate(I, m, x, y, 0, bs, &log);
  return st == SF_OK ? sf_klog_evaluate(I, &log, out) : st;
}

/* get_weights of a model (its layers) or of one layer: kernel then bias of each built
 * Dense layer, as NumPy arrays ([] for a layer without weights). */
static sf_status get_weights(sf_interp *I, const int *layers, int n, sf_val *out) {
  sf_status st = I->opt.mode == SF_MODE_GRAPH ? sf_b_run_inits(I) : SF_OK;
  int total = 0;
  for (int i = 0; i < n; i++)
    if (I->layers[layers[i]].kind == L_DENSE && I->layers[layers[i]].built) total += I->layers[layers[i]].use_bias ? 2 : 1;
  *out = (sf_val){.kind = V_LIST, .n = 0};
  out->items = sf_arena_alloc(&I->arena, (size_t)(total ? total : 1) * sizeof *out->items);
  if (!out->items) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  for (int i = 0; st == SF_OK && i < n; i++) {
    sf_layer *l = &I->layers[layers[i]];
    if (l->kind != L_DENSE || !l->built) continue;
    int vars[2] = {l->kernel, l->bias};
    for (int k = 0; st == SF_OK && k < (l->use_bias ? 2 : 1); k++) {
      sf_tensor *t = I->rt.vars[vars[k]];
      if (!t) return sf_error_set(I->err, SF_EINVAL, "get_weights: weights are not initialized");
      int id;
      if ((st = sf_b_host_array(I, t, "weights", &id)) == SF_OK)
        out->items[out->n++] = (sf_val){.kind = V_TENSOR, .g = I->E.g, .node = id, .numpy = true};
    }
  }
  return st;
}

/* set_weights: kernel then bias of each built Dense layer, as get_weights lists them; each
 * value converted to the weight's dtype and shape checked (Layer.set_weights). */
static sf_status set_weights(sf_interp *I, sf_model *m, const sf_args *a) {
  BIND("set_weights", "weights", 1);
  if ((st = sf_arg_need(I, a, "set_weights", "weights", g[0])) != SF_OK) return st;
  if (v[0].kind != V_LIST && v[0].kind != V_TUPLE) return sf_arg_error(I, a, SF_ETYPE, "set_weights: weights must be a list of arrays");
  if (I->opt.mode == SF_MODE_GRAPH && (st = sf_b_run_inits(I)) != SF_OK) return st;
  int k = 0, total = 0;
  for (int i = 0; i < m->n; i++)
    if (I->layers[m->layers[i]].kind == L_DENSE && I->layers[m->layers[i]].built) total += I->layers[m->layers[i]].use_bias ? 2 : 1;
  if (total != v[0].n) return sf_arg_error(I, a, SF_EINVAL, "set_weights: the model has %d weights, %d were given", total, v[0].n);
  for (int i = 0; i < m->n; i++) {
    sf_layer *l = &I->layers[m->layers[i]];
    if (l->kind != L_DENSE || !l->built) continue;
    int vars[2] = {l->kernel, l->bias};
    for (int j = 0; j < (l->use_bias ? 2 : 1); j++, k++) {
      sf_tensor *old = I->rt.vars[vars[j]];
      sf_tensor *t = sf_b_host_value(I, &v[0].items[k]); /* an array, else a list converted off the graph */
      if (!t) {
        if ((st = sf_context_enter_eager(&I->ctx, I->err)) != SF_OK) return st;
        int id;
        st = sf_b_tensor(I, &v[0].items[k], -1, "weights", a->call, &id);
        t = st == SF_OK ? sf_eager_value(&I->E, id) : NULL;
        sf_context_leave(&I->ctx);
        if (st != SF_OK) return st;
      }
      if (!sf_shape_equal(&t->shape, &old->shape)) {
        char want[96], got[96];
        return sf_arg_error(I, a, SF_ESHAPE, "set_weights: weight %d has shape %s, the layer's is %s", k,
                            sf_shape_str(&t->shape, got, sizeof got), sf_shape_str(&old->shape, want, sizeof want));
      }
      sf_tensor *nt = sf_tensor_new(old->dtype, &old->shape, I->err); /* a copy in the weight's dtype */
      if (!nt) return I->err->code;
      for (int64_t e = 0; e < nt->n; e++) sf_tensor_set(nt, e, sf_tensor_get(t, e));
      I->rt.vars[vars[j]] = nt;
      sf_tensor_unref(old);
    }
  }
  return SF_OK;
}

/* count_params: the weights' element count (engine/base_layer.py Layer.count_params); an unbuilt layer has
 * none yet, which Keras reports with a ValueError whose text varies by version. */
static sf_status count_params(sf_interp *I, const sf_args *a, const int *layers, int n, sf_val *out) {
  if (a->npos || a->nkw) return sf_arg_error(I, a, SF_ETYPE, "count_params() takes no arguments");
  int64_t total = 0;
  for (int i = 0; i < n; i++) {
    const sf_layer *l = &I->layers[layers[i]];
    if (l->kind != L_DENSE) continue;
    if (!l->built) return sf_arg_error(I, a, SF_ENAME, "unsupported: count_params() before the layer is built (Keras raises ValueError)");
    total += l->in_dim * l->units + (l->use_bias ? l->units : 0);
  }
  *out = (sf_val){.kind = V_INT, .i = total};
  return SF_OK;
}

/* ---- Model.summary(): Keras 2.9-2.12's layer_utils.print_summary for a Sequential (its
 * sequential layout: 65 columns, the fields at 29 and 55) ---- */

/* One printed line, through print(). */
static sf_status summary_line(sf_interp *I, const sf_args *a, const char *text) {
  char *s = sf_arena_strdup(&I->arena, text);
  if (!s) return sf_error_set(I->err, SF_ENOMEM, "out of memory");
  sf_val v = {.kind = V_STR, .s = s};
  sf_args pa = {.call = a->call, .pos = &v, .npos = 1};
  return sf_interp_print(I, &pa, " ", "\n");
}

/* print_row: each field cut to its column (less 2 spaces between columns), at the first
 * "),", "},", "]," or "'," if one falls inside, the rest on the next lines. */
static sf_status summary_row(sf_interp *I, const sf_args *a, const char *fields[3]) {
  static const int pos[3] = {29, 55, 65};
  static const char *const breaks[] = {"),", "},", "],", "',"};
  const char *left[3] = {fields[0], fields[1], fields[2]};
  sf_status st = SF_OK;
  while (st == SF_OK && (*left[0] || *left[1] || *left[2])) {
    char line[256];
    int len = 0;
    for (int col = 0; col < 3; col++) {
      int space = col != 2 ? 2 : 0, cutoff = pos[col] - (col ? pos[col - 1] : 0) - space;
      int n = (int)strlen(left[col]) < cutoff ? (int)strlen(left[col]) : cutoff;
      int best = -1;
      for (size_t b = 0; b < sizeof breaks / sizeof *breaks; b++) {
        for (int i = 0; i + 1 < n; i++)
          if (left[col][i] == breaks[b][0] && left[col][i + 1] == breaks[b][1]) {
            if (best < 0 || i + 2 < best) best = i + 2;
            break;
          }
      }
      if (best >= 0) cutoff = n = best;
      if (col == 0) line[len++] = ' ';
      memcpy(line + len, left[col], (size_t)n);
      len += n;
      for (int k = 0; k < space; k++) line[len++] = ' ';
      left[col] += (int)strlen(left[col]) < cutoff ? (int)strlen(left[col]) : cutoff;
      while (len < pos[col]) line[len++] = ' ';
    }
    line[len] = '\0';
    st = summary_line(I, a, line);
  }
  return st;
}

/* 1234567 as "1,234,567" (format(n, ',')). */
static void thousands(int64_t n, char *out) {
  char digits[32];
  int k = snprintf(digits, sizeof digits, "%lld", (long long)n), o = 0;
  for (int i = 0; i < k; i++) {
    if (i && (k - i) % 3 == 0) out[o++] = ',';
    out[o++] = digits[i];
  }
  out[o] = '\0';
}

sf_status sf_keras_summary_check(sf_interp *I, const sf_args *a) {
  int kv = sf_keras_version(I);
  if (a->npos || a->nkw) return sf_arg_error(I, a, SF_ENAME, "unsupported: summary() with arguments");
  if (I->opt.profile == SF_PROFILE_TF1 || kv >= 21300)
    return sf_arg_error(I, a, SF_ENAME, "unsupported: model.summary() with Keras %d.%d (seedflow prints Keras 2.9-2.12's "
                        "layout; TF 1.x's, Keras 2.13+'s and Keras 3's differ)", kv / 10000, kv / 100 % 100);
  return SF_OK;
}

sf_status sf_keras_summary_print(sf_interp *I, const sf_args *a, const char *model, int n, const char *const (*rows)[3],
                                 int64_t trainable, int64_t fixed) {
  static const char under[] = "_________________________________________________________________",
                    equal[] = "=================================================================",
                    blank[] = "                                                                 ";
  char buf[192], num[40];
  snprintf(buf, sizeof buf, "Model: \"%s\"", model);
  sf_status st = summary_line(I, a, buf);
  if (st == SF_OK) st = summary_line(I, a, under);
  if (st == SF_OK) st = summary_row(I, a, (const char *[]){"Layer (type)", "Output Shape", "Param #"});
  if (st == SF_OK) st = summary_line(I, a, equal);
  for (int i = 0; st == SF_OK && i < n; i++) {
    st = summary_row(I, a, (const char *[]){rows[i][0], rows[i][1], rows[i][2]});
    if (st == SF_OK) st = summary_line(I, a, blank); /* print_layer: not the last of a nested model */
  }
  if (st == SF_OK) st = summary_line(I, a, equal);
  const int64_t counts[3] = {trainable + fixed, trainable, fixed};
  static const char *const what[3] = {"Total", "Trainable", "Non-trainable"};
  for (int k = 0; st == SF_OK && k < 3; k++) {
    thousands(counts[k], num);
    snprintf(buf, sizeof buf, "%s params: %s", what[k], num);
    st = summary_line(I, a, buf);
  }
  if (st == SF_OK) st = summary_line(I, a, under);
  return st;
}

bool sf_keras_layer_row(sf_interp *I, int layer, char *name, size_t cap, int64_t *params) {
  const sf_layer *l = &I->layers[layer];
  const char *cls = l->kind == L_DENSE ? "Dense" : l->kind == L_DROPOUT ? "Dropout" : l->kind == L_FLATTEN ? "Flatten"
                    : l->kind == L_ACTIVATION ? "Activation"
                    : l->kind == L_INPUT ? "InputLayer" : NULL;
  if (!cls) return false;
  sf_keras_weight w[2];
  char lname[96];
  sf_keras_layer_weights(I, layer, w, lname, sizeof lname);
  snprintf(name, cap, "%s (%s)", lname, cls);
  bool built = l->kind == L_DENSE ? l->built : l->called || l->kind == L_INPUT;
  *params = !built ? -1 : l->kind == L_DENSE ? l->in_dim * l->units + (l->use_bias ? l->units : 0) : 0;
  return true;
}

/* A Sequential's or functional Model's rows: each layer's output shape follows from the
 * features flowing in (a Dense's units); an InputLayer's output_shape is the list of its
 * one output's shape (functional.py). */
static sf_status summary(sf_interp *I, const sf_val *self, const sf_args *a) {
  const sf_model *m = &I->models[self->index];
  sf_status st = sf_keras_summary_check(I, a);
  if (st != SF_OK) return st;
  int listed[33], n = sf_keras_model_listed_layers(I, self->index, listed);
  int64_t d = 0; /* the features flowing in: the first layer's input_shape, or an Input */
  if (m->n) d = I->layers[m->layers[0]].in_dim ? I->layers[m->layers[0]].in_dim
                : I->layers[m->layers[0]].kind == L_INPUT ? I->layers[m->layers[0]].units : 0;
  if (m->input) d = I->layers[m->input - 1].in_dim;
  if (!d || !n) /* training.py Model.summary */
    return sf_py_raise(I, a->call, BC_VALUEERR, "This model has not yet been built. Build the model first by calling "
                                                "`build()` or by calling the model on a batch of data.");
  char text[33][3][128], mname[128];
  const char *rows[33][3];
  int64_t total = 0;
  for (int i = 0; i < n; i++) {
    const sf_layer *l = &I->layers[listed[i]];
    int64_t p;
    if (!sf_keras_layer_row(I, listed[i], text[i][0], sizeof text[i][0], &p))
      return sf_arg_error(I, a, SF_ENAME, "unsupported: summary() of a model with this kind of layer");
    p = 0; /* a built model's layers are built (a Dense's count follows from d) */
    if (l->kind == L_DENSE) {
      p = d * l->units + (l->use_bias ? l->units : 0);
      d = l->units;
    }
    total += p;
    snprintf(text[i][1], sizeof text[i][1], l->kind == L_INPUT ? "[(None, %lld)]" : "(None, %lld)", (long long)d);
    snprintf(text[i][2], sizeof text[i][2], "%lld", (long long)p);
    for (int k = 0; k < 3; k++) rows[i][k] = text[i][k];
  }
  if (!sf_keras_model_name(I, self->index, mname, sizeof mname)) return sf_error_set(I->err, SF_EINTERNAL, "summary: no model name");
  return sf_keras_summary_print(I, a, mname, n, (const char *const (*)[3])rows, total, 0);
}

sf_status sf_keras_method(sf_interp *I, const sf_val *self, const char *method, const sf_args *a, sf_val *out) {
  if (self->kind == V_MODEL) {
    sf_model *m = &I->models[self->index];
    out->kind = V_NONE;
    if (strcmp(method, "compile") == 0) return compile(I, m, a);
    if (strcmp(method, "fit") == 0) return fit(I, m, a, out);
    if (strcmp(method, "evaluate") == 0) return evaluate(I, m, a, out);
    if (strcmp(method, "get_weights") == 0) return get_weights(I, m->layers, m->n, out);
    if (strcmp(method, "count_params") == 0) return count_params(I, a, m->layers, m->n, out);
    if (strcmp(method, "set_weights") == 0) return set_weights(I, m, a);
    if (strcmp(method, "add") == 0 && a->npos == 1) return add_layer(I, m, a, &a->pos[0]);
    if (strcmp(method, "predict") == 0) return predict(I, self, a, out);
    if (strcmp(method, "__call__") == 0) return sf_keras_call(I, self, a, out);
    if (strcmp(method, "summary") == 0) return summary(I, self, a);
  }
  if (self->kind == V_LAYER && strcmp(method, "get_weights") == 0) {
    if (a->npos || a->nkw) return sf_arg_error(I, a, SF_ETYPE, "get_weights() takes no arguments");
    return get_weights(I, &self->index, 1, out);
  }
  if (self->kind == V_LAYER && strcmp(method, "count_params") == 0) return count_params(I, a, &self->index, 1, out);
  return sf_arg_error(I, a, SF_ENAME, "unsupported method '%s'", method);
}

/* ---- what api_keras_layers.c reads: a model's layers, a layer's weights ---- */

int sf_keras_model_layer(sf_interp *I, int model, int i) { return i < I->models[model].n ? I->models[model].layers[i] : -1; }

/* model.layers as Keras lists them: a functional Model's InputLayer first; a Sequential
 * without the InputLayer at its bottom (engine/sequential.py Sequential.layers: "omits the
 * auto-generated InputLayer"). Returns how many (at most 33) went to out. */
int sf_keras_model_listed_layers(sf_interp *I, int model, int *out) {
  const sf_model *m = &I->models[model];
  int n = 0;
  if (m->input) out[n++] = m->input - 1;
  for (int i = 0; i < m->n; i++)
    if (!(i == 0 && !m->input && I->layers[m->layers[0]].kind == L_INPUT)) out[n++] = m->layers[i];
  return n;
}

/* Layer `layer`'s built weights in Keras's order (kernel, bias); its Keras name in name
 * (name=, else its prefix and the number it took when it was made). */
int sf_keras_layer_weights(sf_interp *I, int layer, sf_keras_weight w[2], char *name, size_t cap) {
  const sf_layer *l = &I->layers[layer];
  int k = l->uid;
  const char *base = l->kind == L_DENSE ? "dense" : l->kind == L_DROPOUT ? "dropout" : l->kind == L_FLATTEN ? "flatten"
                     : l->kind == L_ACTIVATION ? "activation"
                     : I->opt.profile == SF_PROFILE_KERAS3 ? "input_layer" : "input";
  if (l->kind == L_INPUT && I->opt.profile != SF_PROFILE_KERAS3) k++; /* get_uid counts from 1 */
  if (l->kind == L_SYMBOLIC || (l->kind == L_INPUT && I->opt.profile == SF_PROFILE_KERAS3 && !l->name))
    snprintf(name, cap, "%s", ""); /* a KerasTensor (Keras 3's Input is one too): not modelled */
  else if (l->name) snprintf(name, cap, "%s", l->name);
  else if (k > 0) snprintf(name, cap, "%s_%d", base, k);
  else snprintf(name, cap, "%s", base);
  if (l->kind != L_DENSE || !l->built) return 0;
  w[0] = (sf_keras_weight){.var = l->kernel, .read = l->kernel_read, .name = "kernel", .reg = &l->reg[0], .con = &l->con[0]};
  w[1] = (sf_keras_weight){.var = l->bias, .read = l->bias_read, .name = "bias", .reg = &l->reg[1], .con = &l->con[1]};
  return l->use_bias ? 2 : 1;
}

void sf_keras_free(sf_interp *I) {
  sf_keras_reset_uids(I, true);
  for (int i = 0; i < I->nmodels; i++)
    if (I->models[i].train) {
      sf_session_free(&I->models[i].sess);
      sf_graph_free(I->models[i].train);
    }
}

/* API that TF 1.x (the tf1 profile) does not have: a located error naming its version. */
static sf_status newer_than_profile(sf_interp *I, const sf_args *a, const char *path, const char *since) {
  if (I->opt.profile != SF_PROFILE_TF1) return SF_OK;
  return sf_arg_error(I, a, SF_ENAME, "%s is TF %s+ API (profile tf1 models TF 1.x-2.1)", path, since);
}

/* tf.config.experimental.enable_op_determinism (TF 2.8+): no number changes; a random op
 * with neither a global nor an op seed then raises (random_seed.py get_seed). */
static sf_status api_enable_op_determinism(sf_interp *I, const sf_args *a, sf_val *out) {
  out->kind = V_NONE;
  if (a->npos || a->nkw) return sf_arg_error(I, a, SF_ETYPE, "enable_op_determinism() takes no arguments");
  sf_status st;
  if ((st = newer_than_profile(I, a, "tf.config.experimental.enable_op_determinism", "2.8")) != SF_OK) return st;
  I->op_determinism = true;
  return SF_OK;
}

static const struct {
  const char *path;
  sf_builtin_fn fn;
} api[] = {
    {"tf.config.experimental.enable_op_determinism", api_enable_op_determinism},
    {"tf.keras.layers.Dense", api_dense},
    {"tf.keras.Input", api_input},
    {"tf.keras.layers.Input", api_input},
    {"tf.keras.layers.InputLayer", api_input_layer},
    {"tf.keras.Model", api_model},
    {"tf.keras.models.Model", api_model},
    {"tf.keras.layers.Dropout", api_dropout_layer},
    {"tf.keras.layers.Flatten", api_flatten},
    {"tf.keras.layers.Activation", api_activation_layer},
    {"tf.keras.Sequential", api_sequential},
    {"tf.keras.models.Sequential", api_sequential},
    {"tf.keras.losses.MeanSquaredError", api_mse},
};

sf_builtin_fn sf_keras_lookup(const char *path) {
  for (size_t i = 0; i < sizeof api / sizeof api[0]; i++)
    if (strcmp(api[i].path, path) == 0) return api[i].fn;
  sf_builtin_fn fn = sf_kinit_lookup(path);
  return fn ? fn : sf_kloss_lookup(path);
}
