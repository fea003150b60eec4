/* test_eager_mem.c — issue 14's eager memory row as a counter, not a timing: N steps of
 * `x = x + 1.0` (a Const and an AddV2 each) through the engine's eager context, with a
 * trace, counted and released as the language does, and the allocator's bytes in use after
 * 1e4 and after 1e5 steps. Every op's tensors but the last x are dead by then; what the run
 * still holds for them is the difference over the 90000 extra steps, per op. And programs
 * whose tensors are kept by a list, a tuple, a dict, a closure, an instance, a function's
 * return, a tape, a Keras layer, a dataset or a variable while other tensors are released
 * still print their values. */
#include <criterion/criterion.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/context.h"
#include "engine/trace_internal.h"
#include "helpers.h"

/* GCC says AddressSanitizer with __SANITIZE_ADDRESS__, clang with __has_feature */
#if defined(__SANITIZE_ADDRESS__)
#define SF_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SF_ASAN 1
#endif
#endif
#if defined(SF_ASAN)
size_t __sanitizer_get_current_allocated_bytes(void); /* sanitizer/allocator_interface.h */
static size_t heap_in_use(void) { return __sanitizer_get_current_allocated_bytes(); }
#else
static size_t heap_in_use(void) {
  struct mallinfo2 m = mallinfo2();
  return m.uordblks + m.hblkhd;
}
#endif

/* Bytes in use after `steps` eager steps (everything of the run still alive), less
 * before. */
static size_t eager_steps_bytes(int steps) {
  size_t before = heap_in_use();
  sf_eager E;
  sf_runtime rt = {0};
  sf_context c;
  sf_error err = {0};
  sf_trace *tr = sf_trace_new(SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_assert_not_null(tr);
  cr_assert_eq(sf_eager_init(&E, &err), SF_OK);
  cr_assert_eq(sf_context_init(&c, &E, &rt, tr, &err), SF_OK);
  sf_tensor *v = sf_tensor_new(SF_FLOAT32, &(sf_shape){1, {2}}, &err);
  cr_assert_not_null(v);
  ((float *)v->data)[0] = 1.0f;
  ((float *)v->data)[1] = 2.0f;
  sf_node *x;
  cr_assert_eq(sf_context_add_const(&c, v, "Const", 1, &x, &err), SF_OK, "%s", err.msg);
  sf_tensor_unref(v);
  for (int i = 0; i < steps; i++) {
    sf_tensor *one = sf_tensor_scalar_f32(1.0f, &err);
    sf_node *k;
    cr_assert_eq(sf_context_add_const(&c, one, "Const", 4, &k, &err), SF_OK, "%s", err.msg);
    sf_tensor_unref(one);
    sf_op_spec o = {.op = "AddV2", .name = "add", .in = (int[]){x->id, k->id}, .nin = 2, .line = 4};
    sf_node *nx;
    cr_assert_eq(sf_context_add(&c, &o, &nx, &err), SF_OK, "%s", err.msg);
    /* what the language does for `x = x + 1.0` (lang/eval.c count_result): the new x is
     * counted, the old x's handle goes (the first x is a pinned constant), the 1.0 is
     * internal to the operator */
    int old = x->id, one_id = k->id; /* a released node's block is reused: ids, not pointers */
    cr_assert(sf_eager_count(&E, nx->id));
    sf_eager_release(&E, old);
    sf_eager_release_internal(&E, one_id);
    cr_assert(i == 0 || sf_graph_node_released(E.g, old));
    cr_assert(sf_graph_node_released(E.g, one_id));
    x = nx;
  }
  const float *got = sf_eager_value(&E, x->id)->data;
  cr_assert(got[0] == 1.0f + (float)steps && got[1] == 2.0f + (float)steps);
  cr_assert_eq(tr->executed, steps);
  /* past the bound the AddV2s are counted, not recorded; the trace notes it */
  cr_assert_eq(tr->nops, steps < SF_TRACE_BOUND ? steps : SF_TRACE_BOUND);
  cr_assert_eq(tr->nops + tr->summarised, steps);
  cr_assert_eq(sf_trace_note_count(tr), steps > SF_TRACE_BOUND);
  size_t used = heap_in_use() - before;
  sf_context_free(&c);
  sf_eager_free(&E);
  sf_runtime_free(&rt);
  sf_trace_free(tr);
  return used;
}

/* Issue 14's target: 64 bytes per dead op. A released op leaves its id's slots: the graph's
 * node pointer, the value pointer and the handle count (20 bytes; 25.5 per op with the
 * arrays' doubling between 1e4 and 1e5 steps); its node block (name included) goes to the
 * next node of its size, its tensor is freed, and the trace records the first
 * SF_TRACE_BOUND AddV2s (168 bytes each) and only counts the rest. bench/eager.py
 * measured 679 bytes (peak RSS) per op before names, nodes, tensors and trace records were
 * made compact, 338 after, 237 with the trace summarised, 0 with ops released. */
Test(eager_mem, memory_per_dead_op_is_bounded) {
  size_t small = eager_steps_bytes(10000), large = eager_steps_bytes(100000);
  double per_op = ((double)large - (double)small) / (2.0 * 90000);
  cr_log_info("eager: %.1f bytes per dead op (1e4: %zu bytes, 1e5: %zu bytes)", per_op, small, large);
  cr_assert_gt(per_op, 0.0, "the allocator counter saw nothing: %zu then %zu bytes", small, large);
  cr_assert_leq(per_op, 40.0, "%.1f bytes per dead op", per_op);
}

/* Tensors referenced from a list, a dict and a closure after the statements that made
 * them (their names rebound, the loop moved on) keep their values. */
Test(eager_mem, tensors_kept_by_containers_and_closures_keep_their_values) {
  sf_error err = {0};
  sf_run_options o = {.mode = SF_MODE_EAGER};
  sf_trace *t = th_run_text("import tensorflow as tf\n"
                            "keep = []\n"
                            "by_name = {}\n"
                            "x = tf.constant([1.0, 2.0])\n"
                            "for i in range(300):\n"
                            "    x = x + 1.0\n"
                            "    if i % 100 == 0:\n"
                            "        keep.append(x * 2.0)\n"
                            "        by_name['k%d' % i] = x - 1.0\n"
                            "def make(v):\n"
                            "    w = v * 10.0\n"
                            "    def get():\n"
                            "        return w\n"
                            "    return get\n"
                            "g = make(x)\n"
                            "x = None\n"
                            "for i in range(300):\n"
                            "    y = tf.constant([0.5]) + 0.25\n"
                            "print(keep[0], keep[2])\n"
                            "print(by_name['k100'], by_name['k200'])\n"
                            "print(g())\n",
                            &o, &err);
  cr_assert_not_null(t, "%s", err.msg);
  char *out = th_prints_and_free(t);
  cr_assert_str_eq(out,
                   "tf.Tensor([4. 6.], shape=(2,), dtype=float32) tf.Tensor([404. 406.], shape=(2,), dtype=float32)\n"
                   "tf.Tensor([101. 102.], shape=(2,), dtype=float32) tf.Tensor([201. 202.], shape=(2,), dtype=float32)\n"
                   "tf.Tensor([3010. 3020.], shape=(2,), dtype=float32)\n");
  free(out);
}

/* program prints want in eager mode within limit bytes of tensors, trace and objects. */
static void expect_prints_within_mode(const char *program, sf_mode mode, int64_t limit, const char *want) {
  sf_error err = {0};
  sf_run_options o = {.mode = mode, .memory_limit = limit};
  sf_trace *t = th_run_text(program, &o, &err);
  cr_assert_not_null(t, "%s", err.msg);
  char *out = th_prints_and_free(t);
  cr_assert_str_eq(out, want);
  free(out);
}

static void expect_prints_within(const char *program, int64_t limit, const char *want) {
  expect_prints_within_mode(program, SF_MODE_EAGER, limit, want);
}

static void expect_prints(const char *program, const char *want) {
  sf_error err = {0};
  sf_run_options o = {.mode = SF_MODE_EAGER};
  sf_trace *t = th_run_text(program, &o, &err);
  cr_assert_not_null(t, "%s", err.msg);
  char *out = th_prints_and_free(t);
  cr_assert_str_eq(out, want);
  free(out);
}

/* Released tensors (the loops' old x, y, z and the 1.0s) beside tensors kept by tuples,
 * nested lists, dicts, function returns (unpacked), augmented assignments, a dataset, a
 * variable and a Keras layer's input. */
Test(eager_mem, tensors_kept_by_returns_datasets_variables_and_layers) {
  expect_prints("import tensorflow as tf\n"
                "x = tf.constant([1.0, 2.0])\n"
                "pair = (x + 1.0, x * 3.0)\n"
                "lst = [x - 1.0, [x + 10.0]]\n"
                "d = {'a': x * 5.0}\n"
                "def f(v):\n"
                "    w = v + 10.0\n"
                "    return w, w * 2.0\n"
                "a, b = f(x)\n"
                "def g(v):\n"
                "    return v * 7.0\n"
                "c = g(x + 1.0)\n"
                "h = x + 0.5\n"
                "h += 1.0\n"
                "k = h\n"
                "del h\n"
                "ds = tf.data.Dataset.from_tensor_slices(x + 100.0)\n"
                "var = tf.Variable(x + 20.0)\n"
                "layer = tf.keras.layers.Dense(1, kernel_initializer='ones', bias_initializer='zeros')\n"
                "inp = tf.constant([[1.0, 2.0]]) + 1.0\n"
                "out = layer(inp)\n"
                "for i in range(200):\n"
                "    x = x + 1.0\n"
                "    inp = inp + 1.0\n"
                "print(pair[0], pair[1])\n"
                "print(lst[0], lst[1][0], d['a'])\n"
                "print(a, b, c, k)\n"
                "for e in ds:\n"
                "    print(e)\n"
                "print(out, layer(inp))\n"
                "print(var.numpy(), x)\n",
                "tf.Tensor([2. 3.], shape=(2,), dtype=float32) tf.Tensor([3. 6.], shape=(2,), dtype=float32)\n"
                "tf.Tensor([0. 1.], shape=(2,), dtype=float32) tf.Tensor([11. 12.], shape=(2,), dtype=float32) "
                "tf.Tensor([ 5. 10.], shape=(2,), dtype=float32)\n"
                "tf.Tensor([11. 12.], shape=(2,), dtype=float32) tf.Tensor([22. 24.], shape=(2,), dtype=float32) "
                "tf.Tensor([14. 21.], shape=(2,), dtype=float32) tf.Tensor([2.5 3.5], shape=(2,), dtype=float32)\n"
                "tf.Tensor(101.0, shape=(), dtype=float32)\n"
                "tf.Tensor(102.0, shape=(), dtype=float32)\n"
                "tf.Tensor([[5.]], shape=(1, 1), dtype=float32) tf.Tensor([[405.]], shape=(1, 1), dtype=float32)\n"
                "[21. 22.] tf.Tensor([201. 202.], shape=(2,), dtype=float32)\n");
}

/* A tape watches a tensor whose own inputs (the 1.0s, the y before) were released: its
 * gradient and the values it recorded are right, and later loops still compute. */
Test(eager_mem, tape_over_a_tensor_whose_inputs_were_released) {
  expect_prints("import tensorflow as tf\n"
                "x = tf.constant([1.0, 2.0])\n"
                "y = x * 2.0\n"
                "for i in range(50):\n"
                "    y = y + 1.0\n"
                "with tf.GradientTape() as t:\n"
                "    t.watch(y)\n"
                "    z = y * y\n"
                "g = t.gradient(z, y)\n"
                "print(g)\n"
                "for i in range(50):\n"
                "    z = z + 1.0\n"
                "print(z)\n",
                "tf.Tensor([104. 108.], shape=(2,), dtype=float32)\n"
                "tf.Tensor([2754. 2966.], shape=(2,), dtype=float32)\n");
}

/* Aliases, instances' attributes, closures made in a comprehension, and tensors used by
 * operators and indexing after their neighbours were released. */
Test(eager_mem, aliases_attributes_and_closures_keep_their_values) {
  expect_prints("import tensorflow as tf\n"
                "x = tf.constant([1.0, 2.0])\n"
                "y = x + 0.0\n"
                "z = y\n"
                "for i in range(100):\n"
                "    y = y + y * 0.0 + 1.0\n"
                "    x = x + x\n"
                "print(z, y)\n"
                "class Box:\n"
                "    def __init__(self, v):\n"
                "        self.v = v + 1.0\n"
                "b = Box(z)\n"
                "for i in range(100):\n"
                "    b.v = b.v + 1.0\n"
                "print(b.v)\n"
                "def make(v):\n"
                "    w = v * 10.0\n"
                "    def get():\n"
                "        return w + 1.0\n"
                "    return get\n"
                "gs = [make(z + float(i)) for i in range(3)]\n"
                "for i in range(100):\n"
                "    z = z - 1.0\n"
                "print(gs[0](), gs[2](), z)\n"
                "print(-y, y > 50.0)\n"
                "print(x[0])\n",
                "tf.Tensor([1. 2.], shape=(2,), dtype=float32) tf.Tensor([101. 102.], shape=(2,), dtype=float32)\n"
                "tf.Tensor([102. 103.], shape=(2,), dtype=float32)\n"
                "tf.Tensor([11. 21.], shape=(2,), dtype=float32) tf.Tensor([31. 41.], shape=(2,), dtype=float32) "
                "tf.Tensor([-99. -98.], shape=(2,), dtype=float32)\n"
                "tf.Tensor([-101. -102.], shape=(2,), dtype=float32) tf.Tensor([ True  True], shape=(2,), dtype=bool)\n"
                "tf.Tensor(1.2676506e+30, shape=(), dtype=float32)\n");
}

/* An eager fit of `epochs` epochs of 40 steps (a Dense model without dropout, SGD) within
 * limit bytes. */
static void fit_within(int epochs, int64_t limit) {
  char program[1024], want[16];
  snprintf(program, sizeof program,
           "import numpy as np\n"
           "import tensorflow as tf\n"
           "tf.random.set_seed(1)\n"
           "x = np.arange(50000, dtype=np.float32).reshape(1000, 50) / 50000.0\n"
           "y = np.ones((1000, 1), dtype=np.float32)\n"
           "model = tf.keras.Sequential([tf.keras.layers.Dense(32, activation='relu', input_shape=(50,)),\n"
           "                             tf.keras.layers.Dense(1)])\n"
           "model.compile(optimizer='sgd', loss='mse')\n"
           "h = model.fit(x, y, epochs=%d, batch_size=25, verbose=0)\n"
           "print(len(h.history['loss']))\n",
           epochs);
  snprintf(want, sizeof want, "%d\n", epochs);
  expect_prints_within(program, limit, want);
}

/* An eager fit releases each step's nodes once the step is done (api_keras.c
 * release_internal): what stays of a step is its ids' slots, and its trace records up to
 * SF_TRACE_BOUND (past it, only random ops are recorded). Before, every step kept its ~50 tensors (about
 * 40 KB a step here: 600 steps went past 16 MB) and each step's gradients walked every
 * earlier step's nodes. */
Test(eager_mem, fit_steps_release_their_tensors) {
  fit_within(1, 0);
  fit_within(15, 16 << 20); /* 600 steps */
}

/* A regularizer of the program's own runs in each step and may keep what it made: the
 * step's nodes then stay (a callable handed to Keras stops all releasing, and
 * release_internal releases nothing after program code ran), and the kept tensors print
 * their values. */
Test(eager_mem, fit_with_program_code_in_the_step_keeps_its_tensors) {
  expect_prints("import numpy as np\n"
                "import tensorflow as tf\n"
                "seen = []\n"
                "def reg(w):\n"
                "    seen.append(tf.reduce_sum(w))\n"
                "    return 0.0 * seen[-1]\n"
                "model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,), kernel_initializer='ones',\n"
                "                                                   bias_initializer='zeros', kernel_regularizer=reg)])\n"
                "model.compile(optimizer='sgd', loss='mse')\n"
                "x = np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32)\n"
                "model.fit(x, np.zeros((2, 1), dtype=np.float32), epochs=3, batch_size=2, shuffle=False, verbose=0)\n"
                "print(len(seen), seen[0])\n",
                "3 tf.Tensor(2.0, shape=(), dtype=float32)\n");
}

/* A layer's callables of the program's own that store nothing outside their frames (an
 * activation lambda, an initializer, a regularizer and a constraint built from tf ops, as
 * in ageron's handson-ml2 chapter 12) no longer stop releasing: these 600 steps fit in 16
 * MiB, where every step had kept its tensors (79 MB of RSS). Same loss as before. */
Test(eager_mem, fit_with_the_programs_own_callables_releases_its_steps) {
  expect_prints_within("import numpy as np\n"
                       "import tensorflow as tf\n"
                       "tf.random.set_seed(1)\n"
                       "x = np.arange(50000, dtype=np.float32).reshape(1000, 50) / 50000.0\n"
                       "y = np.ones((1000, 1), dtype=np.float32)\n"
                       "def my_init(shape, dtype=tf.float32):\n"
                       "    stddev = tf.sqrt(2. / (shape[0] + shape[1]))\n"
                       "    return tf.random.normal(shape, stddev=stddev, dtype=dtype)\n"
                       "def my_reg(w):\n"
                       "    return tf.reduce_sum(tf.abs(0.01 * w))\n"
                       "model = tf.keras.Sequential([\n"
                       "    tf.keras.layers.Dense(32, activation=lambda t: tf.nn.relu(t), kernel_initializer=my_init,\n"
                       "                          kernel_regularizer=my_reg, input_shape=(50,)),\n"
                       "    tf.keras.layers.Dense(1, kernel_constraint=lambda w: tf.clip_by_value(w, -1.0, 1.0),\n"
                       "                          kernel_regularizer=tf.keras.regularizers.l2(0.01))])\n"
                       "model.compile(optimizer='sgd', loss='mse')\n"
                       "h = model.fit(x, y, epochs=15, batch_size=25, verbose=0)\n"
                       "print(len(h.history['loss']), h.history['loss'][-1])\n",
                       16 << 20, "15 1.2274070978164673\n");
}

/* An activation that stores what it is given, or calls a function that does, keeps the
 * step's tensors (program code that may keep one stops the step's releasing: py_calls). */
Test(eager_mem, callables_that_store_their_tensors_keep_them) {
  expect_prints("import numpy as np\n"
                "import tensorflow as tf\n"
                "tf.random.set_seed(3)\n"
                "x = np.array([[1., -2., 3.], [0.5, 0.25, -1.]], dtype=np.float32)\n"
                "y = np.array([[1.], [0.]], dtype=np.float32)\n"
                "acts = []\n"
                "def inner(t):\n"
                "    acts.append(t * 1.0)\n"
                "    return t\n"
                "def act(t):\n"
                "    return tf.nn.relu(inner(t))\n"
                "def store(t):\n"
                "    acts.append(t)\n"
                "    return t * 2.0\n"
                "for a in [act, store]:\n"
                "    m = tf.keras.Sequential([tf.keras.layers.Dense(2, activation=a, kernel_initializer='ones', input_shape=(3,)),\n"
                "                             tf.keras.layers.Dense(1, kernel_initializer='ones')])\n"
                "    m.compile(optimizer='sgd', loss='mse')\n"
                "    m.fit(x, y, epochs=3, batch_size=2, verbose=0, shuffle=False)\n"
                "print(len(acts), acts[0], acts[-1])\n",
                "6 tf.Tensor(\n"
                "[[ 2.    2.  ]\n"
                " [-0.25 -0.25]], shape=(2, 2), dtype=float32) tf.Tensor(\n"
                "[[0.17777671 0.17777671]\n"
                " [0.02925523 0.02925523]], shape=(2, 2), dtype=float32)\n");
}

/* A Keras sigmoid the program's activation function applies to the layer's own output
 * caches that output as the logits, which the cross-entropies read after the layer call
 * released its other nodes (a review found "input 0 refers to missing node"). */
Test(eager_mem, a_sigmoid_in_an_activation_function_keeps_its_logits) {
  expect_prints("import tensorflow as tf\n"
                "tf.random.set_seed(1)\n"
                "x = tf.random.normal([4, 5])\n"
                "y = tf.constant([[0.], [1.], [1.], [0.]])\n"
                "def act(z):\n"
                "    return tf.keras.activations.sigmoid(z)\n"
                "d = tf.keras.layers.Dense(1, activation=act)\n"
                "a = tf.keras.layers.Activation(lambda z: tf.keras.activations.sigmoid(z))\n"
                "bce = tf.keras.losses.BinaryCrossentropy()\n"
                "for i in range(2):\n"
                "    p = d(x)\n"
                "    q = a(x)\n"
                "    print(bce(y, p).numpy(), tf.keras.losses.binary_crossentropy(y, p).numpy(), bce(tf.ones([4, 5]), q).numpy())\n",
                "0.67097366 [0.18464696 1.1809356  0.76063216 0.55768   ] 0.8421471\n"
                "0.67097366 [0.18464696 1.1809356  0.76063216 0.55768   ] 0.8421471\n");
}

/* An activation function that keeps the layer's output (its argument) or a tensor it made:
 * the layer neither releases the one nor counts the other twice (a review found a
 * "released too early" and a "missing node" here, after cd748ca). */
Test(eager_mem, activation_functions_that_keep_what_they_see_keep_it) {
  expect_prints("import tensorflow as tf\n"
                "tf.random.set_seed(1)\n"
                "x = tf.random.normal([4, 5])\n"
                "keep = []\n"
                "def act(z):\n"
                "    keep.append(z)\n"
                "    return tf.keras.activations.sigmoid(z)\n"
                "def act2(z):\n"
                "    w = z * 2.0\n"
                "    keep.append(w)\n"
                "    w.numpy()\n"
                "    return tf.keras.activations.sigmoid(w)\n"
                "p = tf.keras.layers.Dense(1, activation=act)(x)\n"
                "p = None\n"
                "print(keep[0].numpy().ravel())\n"
                "q = tf.keras.layers.Dense(1, activation=act2)(x)\n"
                "keep.clear()\n"
                "print(tf.keras.losses.binary_crossentropy(tf.ones([4, 1]), q).numpy())\n",
                "[-1.5955659  -0.8142227  -0.13070223 -0.29220474]\n"
                "[1.0445819 1.4996551 1.3303138 0.0863357]\n");
}

/* A callable regularizer may return a tf.Variable, a Python or NumPy number, or a tensor:
 * each is converted as before the layer took its result over. */
Test(eager_mem, callable_regularizers_return_variables_numbers_or_tensors) {
  expect_prints("import numpy as np\n"
                "import tensorflow as tf\n"
                "x = np.arange(20, dtype=np.float32).reshape(4, 5) / 20.0\n"
                "y = np.ones((4, 1), dtype=np.float32)\n"
                "v = tf.Variable(0.5)\n"
                "for r in [lambda w: v, lambda w: 0.25, lambda w: tf.reduce_sum(w) * 0.01, lambda w: np.float32(0.5)]:\n"
                "    m = tf.keras.Sequential([tf.keras.layers.Dense(1, kernel_initializer='ones', kernel_regularizer=r,\n"
                "                                                   input_shape=(5,))])\n"
                "    m.compile(optimizer='sgd', loss='mse')\n"
                "    print(m.fit(x, y, epochs=2, batch_size=2, verbose=0, shuffle=False).history['loss'])\n",
                "[4.316025733947754, 3.7668466567993164]\n[4.066025733947754, 3.5168466567993164]\n"
                "[3.8649840354919434, 3.3119919300079346]\n[4.316025733947754, 3.7668466567993164]\n");
}

/* A regularizer object handed to a layer holds plain values only: a custom training loop
 * adding model.losses runs 1000 steps in 8 MiB (it had stopped all releasing: 65 MB). */
Test(eager_mem, a_regularizer_object_does_not_stop_releasing) {
  expect_prints_within("import numpy as np\n"
                       "import tensorflow as tf\n"
                       "tf.random.set_seed(1)\n"
                       "x = tf.constant(np.arange(1280, dtype=np.float32).reshape(64, 20) / 1280.0)\n"
                       "y = tf.ones([64, 1])\n"
                       "l2 = tf.keras.regularizers.l2(0.05)\n"
                       "model = tf.keras.Sequential([tf.keras.layers.Dense(16, activation='elu', kernel_regularizer=l2,\n"
                       "                                                   input_shape=(20,)),\n"
                       "                             tf.keras.layers.Dense(1, kernel_regularizer=l2)])\n"
                       "opt = tf.keras.optimizers.SGD(0.01)\n"
                       "for step in range(1000):\n"
                       "    with tf.GradientTape() as tape:\n"
                       "        main = tf.reduce_mean(tf.square(model(x) - y))\n"
                       "        loss = tf.add_n([main] + model.losses)\n"
                       "    grads = tape.gradient(loss, model.trainable_variables)\n"
                       "    opt.apply_gradients(zip(grads, model.trainable_variables))\n"
                       "print(len(model.losses), float(loss))\n",
                       8 << 20, "2 0.1261824369430542\n");
}

/* A tensor's slice is counted like an operator's result, and a slice object (NumPy's
 * n[2:5]) no longer stops releasing: 20000 steps in 4 MiB (77 MB of RSS before). */
Test(eager_mem, slices_in_a_loop_are_released) {
  expect_prints_within("import numpy as np\n"
                       "import tensorflow as tf\n"
                       "a = tf.ones([64, 64])\n"
                       "n = np.arange(10.0)\n"
                       "for i in range(20000):\n"
                       "    b = a[1:3] * 2.0\n"
                       "    s = sum(n[2:5])\n"
                       "print(b.shape, s)\n",
                       4 << 20, "(2, 64) 9.0\n");
}

/* Slices kept in a list, a dict, a tuple or a function's return keep their values while
 * the names they came from are rebound. */
Test(eager_mem, slices_kept_keep_their_values) {
  expect_prints("import tensorflow as tf\n"
                "x = tf.reshape(tf.range(6.0), [3, 2])\n"
                "rows = []\n"
                "for i in range(3):\n"
                "    r = x[i]\n"
                "    rows.append(r)\n"
                "    r = r * 2.0\n"
                "first = x[0][1:]\n"
                "x = None\n"
                "t = tf.constant([1., 2., 3.])\n"
                "def f(v):\n"
                "    return v[1:]\n"
                "d = {'k': f(f(t))}\n"
                "pair = (t[0], t[::2])\n"
                "t = None\n"
                "print(rows[2], first, d['k'], pair[1])\n",
                "tf.Tensor([4. 5.], shape=(2,), dtype=float32) tf.Tensor([1.], shape=(1,), dtype=float32) "
                "tf.Tensor([3.], shape=(1,), dtype=float32) tf.Tensor([1. 3.], shape=(2,), dtype=float32)\n");
}

/* A loop of tf.function calls keeps nothing: run eagerly the body is a program function;
 * traced (function mode), its arguments feed the trace and its result is a constant counted
 * as an API function's. 2003 calls on 16 KB tensors fit in 8 MiB in both modes (one tensor
 * kept a call would be 32 MB); a call had stopped all releasing (1 GB of RSS eagerly at
 * 20000 calls, 670 MB traced). Decorated and called
 * (tf.function(step_fn)) alike, and each tensor of a tuple or list result too. */
Test(eager_mem, tf_function_calls_in_a_loop_keep_nothing) {
  static const char *const heads[3] = {"@tf.function\ndef step(x):\n    return tf.reduce_sum(x * 2.0)\n",
                                       "def step_fn(x):\n    return tf.reduce_sum(x * 2.0)\nstep = tf.function(step_fn)\n",
                                       "@tf.function\ndef pair(x):\n    return x * 2.0, [tf.reduce_sum(x * 2.0)]\n"
                                       "def step(x):\n    a, b = pair(x)\n    return b[0]\n"};
  for (int h = 0; h < 3; h++) { /* the decorator, the call form, a tuple with a list */
    char program[512];
    snprintf(program, sizeof program,
             "import tensorflow as tf\n%s"
             "for i in range(2003):\n" /* the last i a multiple of 7 */
             "    x = tf.ones([64, 64]) * float(i %% 7)\n"
             "    s = step(x)\n"
             "print(float(s), float(step(tf.ones([64, 64]))))\n",
             heads[h]);
    expect_prints_within_mode(program, SF_MODE_EAGER, 8 << 20, "0.0 8192.0\n");
    expect_prints_within_mode(program, SF_MODE_FUNCTION, 8 << 20, "0.0 8192.0\n");
  }
}

/* What traced calls return and capture keeps its value: a captured global returned as it
 * is or used in the body (the trace holds the value it had), results kept in a list, a
 * variable's reads, and a captured tensor returned as it is whose last handle the body
 * dropped (the trace fetches it on every call: 5.0 twice, as TF's concrete function). */
Test(eager_mem, tf_function_results_and_captures_keep_their_values) {
  const char *program = "import tensorflow as tf\n"
                        "g = tf.constant([1.0, 2.0])\n"
                        "@tf.function\n"
                        "def ret_global():\n"
                        "    return g\n"
                        "@tf.function\n"
                        "def use_global(x):\n"
                        "    return x * g\n"
                        "r1 = ret_global()\n"
                        "u1 = use_global(tf.constant([3.0, 4.0]))\n"
                        "g = tf.constant([10.0, 20.0])\n"
                        "print(r1.numpy(), ret_global().numpy(), u1.numpy(), use_global(tf.constant([3.0, 4.0])).numpy())\n"
                        "@tf.function\n"
                        "def pair(x):\n"
                        "    return x + 1.0, [x * 2.0, x]\n"
                        "kept = []\n"
                        "for i in range(5):\n"
                        "    a, (b, c) = pair(tf.constant(float(i)))\n"
                        "    kept.append(b)\n"
                        "v = tf.Variable(1.0)\n"
                        "@tf.function\n"
                        "def bump(d):\n"
                        "    v.assign_add(d)\n"
                        "    return v.read_value()\n"
                        "outs = [bump(tf.constant(0.5)) for _ in range(3)]\n"
                        "print([float(k) for k in kept], [float(o) for o in outs])\n"
                        "h = tf.constant(5.0) + 0.0\n"
                        "@tf.function\n"
                        "def swap(x):\n"
                        "    global h\n"
                        "    old, h = h, x\n"
                        "    return old\n"
                        "print(float(swap(tf.constant(1.0))), float(swap(tf.constant(2.0))))\n";
  expect_prints_within_mode(program, SF_MODE_FUNCTION, 0,
                            "[1. 2.] [1. 2.] [3. 8.] [3. 8.]\n[0.0, 2.0, 4.0, 6.0, 8.0] [1.5, 2.0, 2.5]\n5.0 5.0\n");
  expect_prints_within_mode(program, SF_MODE_EAGER, 0,
                            "[1. 2.] [10. 20.] [3. 8.] [30. 80.]\n[0.0, 2.0, 4.0, 6.0, 8.0] [1.5, 2.0, 2.5]\n5.0 1.0\n");
}

/* An operator on a tf.Variable reads it for the operator alone: the result is counted and
 * the read's value dropped, so 300 steps of `v * 1.0` on a 256x256 variable fit in 8 MiB
 * (each had kept its read and result, 81 MB of RSS); a result kept keeps the value the
 * variable had. */
Test(eager_mem, variable_operators_in_a_loop_keep_nothing) {
  expect_prints_within("import tensorflow as tf\n"
                       "v = tf.Variable(tf.ones([256, 256]))\n"
                       "for i in range(300):\n"
                       "    y = v * 1.0 + 1.0\n"
                       "w = tf.Variable([1.0, 2.0])\n"
                       "a = w * 2.0\n"
                       "w.assign([0.0, 0.0])\n"
                       "print(float(y[0, 0]), a.numpy(), (1.0 - w).numpy())\n",
                       8 << 20, "2.0 [2. 4.] [1. 1.]\n");
}

/* Tensors that API functions return are counted too (lang/eval.c count_result): those
 * kept by lists, dicts, closures, instances, tuples, variables, datasets and tf.stack keep
 * their values while the loops' others are released. */
Test(eager_mem, api_results_kept_keep_their_values) {
  expect_prints("import tensorflow as tf\n"
                "keep = []\n"
                "d = {}\n"
                "x = tf.constant([1.0, 2.0])\n"
                "for i in range(200):\n"
                "    y = tf.square(x)\n"
                "    s = tf.reduce_sum(y)\n"
                "    if i % 50 == 0:\n"
                "        keep.append(tf.identity(y))\n"
                "        d['s%d' % i] = s\n"
                "    x = tf.add(x, 1.0)\n"
                "def make(v):\n"
                "    w = tf.reshape(v, [2, 1])\n"
                "    def get():\n"
                "        return w\n"
                "    return get\n"
                "g = make(tf.ones([2]))\n"
                "class Box:\n"
                "    pass\n"
                "b = Box()\n"
                "b.t = tf.cast(tf.constant([1, 2]), tf.float32)\n"
                "pair = (tf.zeros([2]), tf.matmul(tf.ones([1, 2]), tf.ones([2, 1])))\n"
                "v = tf.Variable(tf.fill([2], 3.0))\n"
                "ds = tf.data.Dataset.from_tensor_slices(tf.range(3))\n"
                "st = tf.stack([tf.ones([2]), tf.zeros([2])])\n"
                "for i in range(200):\n"
                "    z = tf.exp(tf.zeros([3]))\n"
                "    w = tf.concat([z, z], 0)\n"
                "print(keep[0], keep[3])\n"
                "print(d['s0'], d['s150'])\n"
                "print(g(), b.t)\n"
                "print(pair[0], pair[1])\n"
                "print(v.numpy(), st)\n"
                "print([e.numpy() for e in ds], w, z.numpy())\n"
                "print(x, y, s)\n",
                "tf.Tensor([1. 4.], shape=(2,), dtype=float32) tf.Tensor([22801. 23104.], shape=(2,), dtype=float32)\n"
                "tf.Tensor(5.0, shape=(), dtype=float32) tf.Tensor(45905.0, shape=(), dtype=float32)\n"
                "tf.Tensor(\n"
                "[[1.]\n"
                " [1.]], shape=(2, 1), dtype=float32) tf.Tensor([1. 2.], shape=(2,), dtype=float32)\n"
                "tf.Tensor([0. 0.], shape=(2,), dtype=float32) tf.Tensor([[2.]], shape=(1, 1), dtype=float32)\n"
                "[3. 3.] tf.Tensor(\n"
                "[[1. 1.]\n"
                " [0. 0.]], shape=(2, 2), dtype=float32)\n"
                "[0, 1, 2] tf.Tensor([1. 1. 1. 1. 1. 1.], shape=(6,), dtype=float32) [1. 1. 1.]\n"
                "tf.Tensor([201. 202.], shape=(2,), dtype=float32) tf.Tensor([40000. 40401.], shape=(2,), dtype=float32) tf.Tensor(80401.0, shape=(), dtype=float32)\n");
}

/* `y = tf.square(x)` in a loop: each y is released with its last handle. Before API results
 * were counted, each kept its 40 KB: 2000 steps went past 16 MB. */
Test(eager_mem, api_results_in_a_loop_are_released) {
  expect_prints_within("import tensorflow as tf\n"
                       "x = tf.ones([100, 100])\n"
                       "for i in range(2000):\n"
                       "    y = tf.square(x)\n"
                       "    s = tf.reduce_sum(y)\n"
                       "print(float(s))\n",
                       16 << 20, "10000.0\n");
}

/* Keras loss objects and functions keep neither y_true nor y_pred, and a softmax output's
 * cached logits go with it: 60 steps of 2000x256 outputs (2 MB each: 120 MB if kept) fit in
 * 24 MB. */
Test(eager_mem, losses_of_softmax_outputs_in_a_loop_are_released) {
  expect_prints_within("import numpy as np\nimport tensorflow as tf\n"
                       "x = np.ones((2000, 64), dtype=np.float32)\nlabels = np.arange(2000) % 256\n"
                       "d = tf.keras.layers.Dense(256, activation='softmax', kernel_initializer='zeros')\n"
                       "lossobj = tf.keras.losses.SparseCategoricalCrossentropy()\n"
                       "for i in range(60):\n"
                       "    p = d(x)\n"
                       "    l = lossobj(labels, p)\n"
                       "    l2 = tf.keras.losses.sparse_categorical_crossentropy(labels, p)\n"
                       "    q = tf.keras.activations.sigmoid([[1.0, 2.0]])\n"
                       "print(round(float(l), 4), round(float(l2[0]), 4))\n",
                       24 << 20, "5.5452 5.5452\n");
}

/* API functions that hand back a tensor they were given (convert_to_tensor, the round
 * of an int, a cast to the same dtype) give a handle that outlives the argument's: the
 * node is pinned (count_result), not released under it; lists of them too. */
Test(eager_mem, api_results_that_are_their_arguments_stay) {
  expect_prints("import tensorflow as tf\n"
                "a = tf.convert_to_tensor(tf.constant([1.0, 2.0]) + 1.0)\n"
                "b = tf.cast(tf.ones([2]) * 3.0, tf.float32)\n"
                "c = tf.round(tf.constant([3]))\n"
                "d = tf.convert_to_tensor(tf.square(tf.constant([2.0])))\n"
                "e = tf.identity(tf.reduce_sum(tf.ones([3]) + 0.5))\n"
                "f = tf.stack([tf.ones([1]) + 1.0, tf.zeros([1])])\n"
                "h = tf.reshape(tf.cast(tf.constant([4.0]), tf.float32), [1])\n"
                "k = tf.clip_by_value(tf.constant([5.0]) * 1.0, 0.0, 10.0)\n"
                "m = [tf.convert_to_tensor(tf.constant([float(i)])) for i in range(3)]\n"
                "for i in range(100):\n"
                "    g = tf.square(tf.ones([2]) + i)\n"
                "    n = tf.add_n([g, g])\n"
                "print(a, b, c, d, e)\n"
                "print(f, g, n)\n"
                "print(h, k, m)\n",
                "tf.Tensor([2. 3.], shape=(2,), dtype=float32) tf.Tensor([3. 3.], shape=(2,), dtype=float32) tf.Tensor([3], shape=(1,), dtype=int32) tf.Tensor([4.], shape=(1,), dtype=float32) tf.Tensor(4.5, shape=(), dtype=float32)\n"
                "tf.Tensor(\n"
                "[[2.]\n"
                " [0.]], shape=(2, 1), dtype=float32) tf.Tensor([10000. 10000.], shape=(2,), dtype=float32) tf.Tensor([20000. 20000.], shape=(2,), dtype=float32)\n"
                "tf.Tensor([4.], shape=(1,), dtype=float32) tf.Tensor([5.], shape=(1,), dtype=float32) [<tf.Tensor: shape=(1,), dtype=float32, numpy=array([0.], dtype=float32)>, <tf.Tensor: shape=(1,), dtype=float32, numpy=array([1.], dtype=float32)>, <tf.Tensor: shape=(1,), dtype=float32, numpy=array([2.], dtype=float32)>]\n");
}

/* A non-persistent tape suspends releasing until its gradient is taken (sf_eager_suspend):
 * the values it recorded stay for the backward pass, and are released after it. Kept
 * values, nested tapes (a second derivative), a persistent tape, a gradient taken inside
 * the with block, a tape never used and a Keras training step all give what they gave
 * when a tape stopped releasing for good. */
Test(eager_mem, tapes_suspend_releasing_until_their_gradient) {
  expect_prints("import tensorflow as tf\n"
                "x = tf.constant([1.0, 2.0])\n"
                "v = tf.Variable([0.5, -1.0])\n"
                "kept = []\n"
                "for i in range(30):\n"
                "    with tf.GradientTape() as t:\n"
                "        t.watch(x)\n"
                "        h = tf.square(x * v) + 1.0\n"
                "        y = tf.reduce_sum(h)\n"
                "    gx, gv = t.gradient(y, [x, v])\n"
                "    v.assign_sub(0.01 * gv)\n"
                "    if i % 10 == 0:\n"
                "        kept.append((h, gx))\n"
                "print(kept[0][0], kept[2][1], v.numpy())\n"
                "with tf.GradientTape() as outer:\n"
                "    outer.watch(x)\n"
                "    with tf.GradientTape() as inner:\n"
                "        inner.watch(x)\n"
                "        z = tf.reduce_sum(x * x * x)\n"
                "    dz = inner.gradient(z, x)\n"
                "    s = tf.reduce_sum(dz)\n"
                "d2 = outer.gradient(s, x)\n"
                "print(dz, d2)\n"
                "with tf.GradientTape(persistent=True) as p:\n"
                "    p.watch(x)\n"
                "    a = tf.reduce_sum(tf.exp(x))\n"
                "    b = tf.reduce_sum(x * 3.0)\n"
                "print(p.gradient(a, x), p.gradient(b, x))\n"
                "del p\n"
                "w = x * 2.0\n"
                "with tf.GradientTape() as t2:\n"
                "    t2.watch(w)\n"
                "    q = tf.reduce_sum(w * w)\n"
                "    g_in = t2.gradient(q, w)\n"
                "print(g_in, q)\n"
                "with tf.GradientTape() as unused:\n"
                "    r = tf.reduce_sum(x + 1.0)\n"
                "for i in range(20):\n"
                "    x2 = tf.square(x) + float(i)\n"
                "print(r, x2)\n"
                "m = tf.keras.Sequential([tf.keras.layers.Dense(2, kernel_initializer='ones', input_shape=(2,))])\n"
                "opt = tf.keras.optimizers.SGD(0.1)\n"
                "for i in range(5):\n"
                "    with tf.GradientTape() as t3:\n"
                "        out = m(tf.reshape(x, [1, 2]))\n"
                "        loss = tf.reduce_mean(tf.square(out))\n"
                "    grads = t3.gradient(loss, m.trainable_variables)\n"
                "    opt.apply_gradients(zip(grads, m.trainable_variables))\n"
                "print(out, loss, grads[0], m.trainable_variables[0].numpy())\n",
                "tf.Tensor([1.25 5.  ], shape=(2,), dtype=float32) tf.Tensor([0.22285023 0.14242071], shape=(2,), dtype=float32) [ 0.27274218 -0.08196622]\n"
                "tf.Tensor([ 3. 12.], shape=(2,), dtype=float32) tf.Tensor([ 6. 12.], shape=(2,), dtype=float32)\n"
                "tf.Tensor([2.7182817 7.389056 ], shape=(2,), dtype=float32) tf.Tensor([3. 3.], shape=(2,), dtype=float32)\n"
                "tf.Tensor([4. 8.], shape=(2,), dtype=float32) tf.Tensor(20.0, shape=(), dtype=float32)\n"
                "tf.Tensor(5.0, shape=(), dtype=float32) tf.Tensor([20. 23.], shape=(2,), dtype=float32)\n"
                "tf.Tensor([[0.07679996 0.07679996]], shape=(1, 2), dtype=float32) tf.Tensor(0.0058982335, shape=(), dtype=float32) tf.Tensor(\n"
                "[[0.07679996 0.07679996]\n"
                " [0.15359992 0.15359992]], shape=(2, 2), dtype=float32) [[0.50512 0.50512]\n"
                " [0.01024 0.01024]]\n");
}

/* A custom training loop: tape, gradient, apply_gradients, 1000 steps. Before, the first
 * tape stopped all releasing, and each step's tape and model.trainable_variables objects
 * were never freed (methods bound to themselves): 800 steps took 46 MB. */
Test(eager_mem, a_custom_training_loop_runs_in_flat_memory) {
  expect_prints_within("import numpy as np\n"
                       "import tensorflow as tf\n"
                       "tf.random.set_seed(1)\n"
                       "x = tf.constant(np.arange(1280, dtype=np.float32).reshape(64, 20) / 1280.0)\n"
                       "y = tf.ones([64, 1])\n"
                       "model = tf.keras.Sequential([tf.keras.layers.Dense(16, activation='relu', input_shape=(20,)),\n"
                       "                             tf.keras.layers.Dense(1)])\n"
                       "opt = tf.keras.optimizers.SGD(0.01)\n"
                       "for step in range(1000):\n"
                       "    with tf.GradientTape() as tape:\n"
                       "        loss = tf.reduce_mean(tf.square(model(x) - y))\n"
                       "    grads = tape.gradient(loss, model.trainable_variables)\n"
                       "    opt.apply_gradients(zip(grads, model.trainable_variables))\n"
                       "print(len(grads), loss.shape)\n",
                       8 << 20, "4 ()\n");
}

/* API calls keep nothing of their own in a loop: their converted arguments, the attributes
 * of the ops they build and the weight list behind model.trainable_variables are the call's
 * own memory, and the interpreter's arena counts against the memory limit. Before, each
 * of these 4000 steps kept about 8 KB there (the weight list alone 6 KB), past 24 MiB. */
Test(eager_mem, api_calls_in_a_loop_keep_nothing) {
  expect_prints_within("import tensorflow as tf\n"
                       "a = tf.ones([4, 4])\n"
                       "model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(4,))])\n"
                       "for i in range(4000):\n"
                       "    m = tf.matmul(a, a, transpose_b=True)\n"
                       "    c = tf.cast(m, tf.int32)\n"
                       "    r = tf.reduce_mean(m, axis=0, keepdims=True)\n"
                       "    w = model.trainable_variables\n"
                       "print(int(c[0, 0]), r.shape, len(w), w[0].name)\n",
                       8 << 20, "4 (1, 4) 2 dense/kernel:0\n");
}

/* A method called on a tensor keeps its object for the call only, a path read again
 * (tf.math, tf.math.abs) is the one copy the run has, and a list given to a function that
 * only builds ops (tf.ones, tf.reshape, an operator) is converted into the call's own
 * memory: before, each of these 50000 steps left about 800 bytes in the arena (40 MB). */
Test(eager_mem, method_calls_list_arguments_and_api_paths_in_a_loop_keep_nothing) {
  expect_prints_within("import tensorflow as tf\n"
                       "a = tf.ones([2, 2])\n"
                       "for i in range(50000):\n"
                       "    v = a.numpy()\n"
                       "    s = tf.math.abs(a)\n"
                       "    z = tf.reshape(tf.ones([2, 2]), [1, 4]) * [1.0, 2.0, 3.0, 4.0]\n"
                       "print(v.sum(), s.shape, z.numpy())\n",
                       3 << 20, "4.0 (2, 2) [[1. 2. 3. 4.]]\n");
}

/* A print printed now keeps nothing of its call (its argument tuple, sep, end, source
 * text): 20000 of them fit in 2 MiB, where the arena had kept some 250 bytes each (5 MB). */
Test(eager_mem, prints_in_a_loop_keep_nothing) {
  enum { N = 20000 };
  char *want = malloc(N * 8 + 2);
  cr_assert(want);
  size_t at = 0;
  for (int i = 0; i < N; i++) at += (size_t)sprintf(want + at, "%d\r", i);
  strcpy(want + at, "\n");
  expect_prints_within("for i in range(20000):\n"
                       "    print(i, end='\\r')\n"
                       "print()\n",
                       2 << 20, want);
  free(want);
}

/* What the run keeps in the interpreter's arena counts against --memory-limit: a list
 * argument of a function that may keep it (here NumPy's; a TF function that only builds ops
 * gets the call's own copy) is converted there and kept for the run, so a loop of such calls
 * stops at the limit with the limit's error, not past it. */
Test(eager_mem, the_interpreters_arena_counts_against_the_memory_limit) {
  sf_error err = {0};
  sf_run_options o = {.mode = SF_MODE_EAGER, .memory_limit = 4 << 20};
  sf_trace *t = th_run_text("import numpy as np\n"
                            "for i in range(100000):\n"
                            "    a = np.array([1.0, 2.0, 3.0, 4.0])\n",
                            &o, &err);
  cr_assert_null(t);
  cr_assert_eq(err.code, SF_ELIMIT);
  cr_assert_eq(err.line, 3, "%d: %s", err.line, err.msg);
  cr_assert_str_eq(err.msg, "memory limit exceeded: the program's objects and tensors need more than 4 MiB (raise it "
                            "with --memory-limit)");
  /* a deferred print (function mode) keeps its arguments in the arena; where the budget
   * refuses, the code that asked said "out of memory" itself: the run reports the limit
   * (exit 2), at that place, not an internal out of memory (exit 3) */
  o = (sf_run_options){.mode = SF_MODE_FUNCTION, .memory_limit = 2 << 20};
  sf_error_clear(&err);
  t = th_run_text("for i in range(200000):\n"
                  "    print(i, i)\n",
                  &o, &err);
  cr_assert_null(t);
  cr_assert_eq(err.code, SF_ELIMIT, "%s", err.msg);
  cr_assert_eq(err.line, 2);
  cr_assert_eq(err.col, 5);
  cr_assert_str_eq(err.msg, "memory limit exceeded: the program's objects and tensors need more than 2 MiB (raise it "
                            "with --memory-limit)");
}

/* A tape never used for a gradient, in a loop: the next tape begins before the last is
 * freed, so some suspension was always on and nothing was released again (2000 steps took
 * 168 MB). What was deferred before every tape still on began goes when an older one ends;
 * what a newer tape may read stays: t_new's gradient reads exp(x), deferred after t_new
 * began and before t_old was freed. */
Test(eager_mem, tapes_never_used_in_a_loop_release) {
  expect_prints_within("import tensorflow as tf\n"
                       "x = tf.ones([100, 100])\n"
                       "for i in range(2000):\n"
                       "    with tf.GradientTape() as tape:\n"
                       "        tape.watch(x)\n"
                       "        y = tf.square(x) * 2.0\n"
                       "    s = tf.reduce_sum(y)\n"
                       "print(float(s))\n",
                       16 << 20, "20000.0\n");
  expect_prints("import tensorflow as tf\n"
                "x = tf.constant([1.0, 2.0])\n"
                "t_old = tf.GradientTape()\n"
                "with t_old:\n"
                "    t_old.watch(x)\n"
                "    a = tf.square(x) * 3.0\n"
                "t_new = tf.GradientTape()\n"
                "with t_new:\n"
                "    t_new.watch(x)\n"
                "    b = tf.exp(x) * 2.0\n"
                "del t_old\n"
                "c = tf.square(x) + 1.0\n"
                "print(t_new.gradient(b, x), a)\n",
                "tf.Tensor([ 5.4365635 14.778112 ], shape=(2,), dtype=float32) tf.Tensor([ 3. 12.], shape=(2,), "
                "dtype=float32)\n");
}

/* A Session run in a loop: past SF_TRACE_BOUND records its ops that draw nothing are
 * counted, not recorded, as eager ops are; the trace says so once. */
Test(eager_mem, session_runs_in_a_loop_are_summarised) {
  sf_error err = {0};
  sf_trace *t = th_run_text("import tensorflow as tf\n"
                            "p = tf.placeholder(tf.float32, [2])\n"
                            "y = p * 2.0 + 1.0\n"
                            "with tf.Session() as s:\n"
                            "    for i in range(4000):\n"
                            "        v = s.run(y, feed_dict={p: [float(i), 1.0]})\n"
                            "print(v)\n",
                            &(sf_run_options){.mode = SF_MODE_GRAPH, .profile = SF_PROFILE_TF1}, &err);
  cr_assert_not_null(t, "%s", err.msg);
  /* 5 ops a run: the first 2000 runs are recorded in full, then none (none draws; the
   * Placeholder, which keeps its feed, was recorded every run before) */
  cr_expect_eq(t->executed, 20000);
  cr_expect_eq(t->nops, SF_TRACE_BOUND);
  cr_expect_eq(t->summarised, 10000);
  cr_expect_eq(sf_trace_note_count(t), 1);
  char *out = th_prints_and_free(t);
  cr_expect_str_eq(out, "[7.999e+03 3.000e+00]\n"); /* NumPy: max/min > 1e3 */
  free(out);
}

/* A tape whose gradient is never taken suspends releasing until it is freed (tape_finalize):
 * after `del t`, 3000 40 KB squares run in 16 MB (they all stayed before). */
Test(eager_mem, a_freed_tape_resumes_releasing) {
  expect_prints_within("import tensorflow as tf\n"
                       "x = tf.ones([100, 100])\n"
                       "with tf.GradientTape() as t:\n"
                       "    y = tf.square(x)\n"
                       "del t\n"
                       "for i in range(3000):\n"
                       "    y = tf.square(x)\n"
                       "print(float(tf.reduce_sum(y)))\n",
                       16 << 20, "10000.0\n");
}

/* tf.while_loop and tf.cond with lambdas that store nothing (lang/eval.c func_local) do not
 * stop releasing: what an iteration made and no loop variable holds is released after it,
 * and the results are counted (each 256x256 tensor is 256 KB: 300 loops kept 230 MB before).
 * A body that keeps its loop variables in a list keeps them. */
Test(eager_mem, while_loops_and_conds_in_a_loop_keep_nothing) {
  expect_prints_within("import tensorflow as tf\n"
                       "x = tf.ones([256, 256])\n"
                       "for i in range(300):\n"
                       "    r = tf.while_loop(lambda k, a: k < 3, lambda k, a: (k + 1, a * 1.5), (0, x))\n"
                       "    c = tf.cond(r[1][0, 0] > 0, lambda: r[1] * 2.0, lambda: r[1] * 3.0)\n"
                       "    s = tf.while_loop(lambda a: tf.reduce_sum(a) < 1e9, lambda a: a * 2.0, [x], maximum_iterations=3)\n"
                       "print(r[0], float(r[1][0, 0]), float(c[1, 1]), float(s[0][2, 2]), float(x[0, 0]))\n",
                       16 << 20, "3 3.375 6.75 8.0 1.0\n");
  expect_prints("import tensorflow as tf\n"
                "acc = []\n"
                "def body(i, a):\n"
                "    acc.append(a)\n"
                "    return i + 1, a + 1.0\n"
                "r = tf.while_loop(lambda i, a: i < 3, body, [0, tf.constant(1.0)])\n"
                "t = tf.cond(r[0] > 2, lambda: (r[1] * 2.0, r[1]), lambda: (r[1], r[1]))\n"
                "print([float(a) for a in acc], float(r[1]), float(t[0]), float(t[1]))\n",
                "[1.0, 2.0, 3.0] 4.0 8.0 4.0\n");
}

/* A dataset's elements are counted as the iterator makes them (each epoch's 1 MB of batches
 * was kept for the run), and Dataset.map, which traces its function into a graph of its own,
 * does not stop releasing (the loop of 256 KB operators after it kept them all): this
 * program took 469 MB of RSS, now 10 MB. Elements kept by the program keep their values. */
Test(eager_mem, dataset_epochs_and_maps_keep_nothing) {
  expect_prints_within("import tensorflow as tf\n"
                       "x = tf.ones([64, 4096])\n"
                       "ds = tf.data.Dataset.from_tensor_slices((x, x[:, 0])).batch(16)\n"
                       "kept = []\n"
                       "for epoch in range(300):\n"
                       "    for xb, yb in ds:\n"
                       "        s = tf.reduce_sum(xb) + tf.reduce_sum(yb)\n"
                       "    if epoch % 100 == 0:\n"
                       "        kept.append(xb)\n"
                       "m = tf.data.Dataset.from_tensor_slices(x[:4]).map(lambda t: t * 2.0 + x[0])\n"
                       "y = tf.ones([256, 256])\n"
                       "for i in range(300):\n"
                       "    z = y * 2.0 + 1.0\n"
                       "print(float(s), len(kept), float(kept[2][15, 4095]), float(z[0, 0]), [float(e[7]) for e in m])\n",
                       16 << 20, "65552.0 3 1.0 3.0 [3.0, 3.0, 3.0, 3.0]\n");
}

/* A run that only prints (seedflow run: no_draw_values) keeps no draw: each loop below
 * draws 256 KB a step (a tf.random op, a Generator, a Keras Dropout's mask in fit), and a
 * draw, a variable read or a value the program holds goes with its last handle (the node
 * stays for the op counts and seeds); a traced run (function mode's one trace of the
 * program) frees each value after its last reader. Before, these kept every draw: 300
 * steps took 150-230 MB. With the draws kept (record), the trace has every value. */
static void expect_flat(const char *program, sf_mode mode, const char *want) {
  sf_error err = {0};
  sf_run_options o = {.mode = mode, .memory_limit = 24 << 20, .no_draw_values = true};
  sf_trace *t = th_run_text(program, &o, &err);
  cr_assert_not_null(t, "mode %d: %s", mode, err.msg);
  for (int i = 0; i < sf_trace_op_count(t); i++) cr_assert_null(sf_trace_op_at(t, i)->value);
  char *out = th_prints_and_free(t);
  cr_assert_str_eq(out, want, "mode %d", mode);
  free(out);
}

Test(eager_mem, draws_in_a_loop_keep_nothing_when_only_printed) {
  static const char loop[] = "import tensorflow as tf\n"
                             "g = tf.random.Generator.from_seed(1)\n"
                             "for i in range(300):\n"
                             "    a = tf.random.uniform([256, 256], seed=3)\n"
                             "    b = g.normal([256, 256])\n"
                             "print(a.shape, b.shape)\n";
  for (int m = 0; m < 3; m++) expect_flat(loop, (sf_mode)m, "(256, 256) (256, 256)\n");
  /* a variable assigned a draw, a list or an operator's result and read each step */
  expect_flat("import tensorflow as tf\n"
              "v = tf.Variable(tf.zeros([256, 256]))\n"
              "w = tf.Variable(tf.zeros([256, 256]))\n"
              "for i in range(300):\n"
              "    v.assign(tf.random.uniform([256, 256], seed=3))\n"
              "    r = v.read_value()\n"
              "    w.assign(r * 2.0)\n"
              "    w.assign_add([[1.0] * 256] * 256)\n"
              "print(float(tf.reduce_max(r)) < 1.0, float(tf.reduce_min(w - 2.0 * r)))\n",
              SF_MODE_EAGER, "True 1.0\n");
  static const char fit[] = "import tensorflow as tf\n"
                            "tf.random.set_seed(0)\n"
                            "x = tf.ones([256, 128])\n"
                            "m = tf.keras.Sequential([tf.keras.layers.Dense(128, input_shape=(128,)), tf.keras.layers.Dropout(0.5),\n"
                            "                         tf.keras.layers.Dense(1)])\n"
                            "m.compile(optimizer='sgd', loss='mse')\n"
                            "m.fit(x, tf.ones([256, 1]), epochs=300, batch_size=256, verbose=0)\n"
                            "print('done')\n";
  for (int m = 0; m < 3; m++) expect_flat(fit, (sf_mode)m, "done\n");
  sf_error err = {0};
  sf_trace *t = th_run_text("import tensorflow as tf\nfor i in range(3):\n    a = tf.random.uniform([2], seed=3)\n",
                            &(sf_run_options){.mode = SF_MODE_EAGER}, &err);
  cr_assert_not_null(t, "%s", err.msg);
  int draws = 0;
  for (int i = 0; i < sf_trace_op_count(t); i++)
    if (sf_trace_op_at(t, i)->rng.present) {
      draws++;
      cr_expect_not_null(sf_trace_op_at(t, i)->value);
    }
  cr_expect_eq(draws, 3);
  sf_trace_free(t);
}

/* NumPy arrays an operator or a NumPy function makes are counted like tensors (they were
 * all kept: a loop of 200 256x256 float64 arrays took 210 MB), and so are model.predict's;
 * a Keras metric keeps none of its arguments and releases the constant of a Python value.
 * Arrays the program keeps keep their values. */
Test(eager_mem, numpy_arrays_metrics_and_predictions_in_a_loop_keep_nothing) {
  expect_prints_within("import tensorflow as tf\n"
                       "import numpy as np\n"
                       "np.random.seed(0)\n"
                       "x = tf.ones([256, 256])\n"
                       "m = tf.keras.metrics.Mean()\n"
                       "model = tf.keras.Sequential([tf.keras.layers.Dense(4, input_shape=(256,), kernel_initializer='ones')])\n"
                       "kept = []\n"
                       "for i in range(200):\n"
                       "    a = np.random.rand(256, 256)\n"
                       "    b = a * 2.0 + np.ones((256, 256))\n"
                       "    c = np.array(x) * 3.0\n"
                       "    m.update_state(x * 2.0)\n"
                       "    m.update_state([1.0, 3.0])\n"
                       "    p = model.predict(c, verbose=0)\n"
                       "    r = m.result()\n"
                       "    if i % 100 == 0:\n"
                       "        kept.append(b[:2, :2] - 2.0 * a[:2, :2])\n"
                       "print(np.round(kept[1], 6), c[0, 0], float(r), p[0, 0], p.shape)\n",
                       24 << 20, "[[1. 1.]\n [1. 1.]] 3.0 2.0 768.0 (256, 4)\n");
}

/* A NumPy array's methods, attributes, subscripts and rows (x.sum(), x.shape, x.T,
 * x.reshape, x[1:3], for row in x) keep nothing: before, each pinned the array for the run
 * (2000 steps of a 64x64 array: 134 MB). */
Test(eager_mem, numpy_methods_and_attributes_in_a_loop_keep_nothing) {
  expect_prints_within("import numpy as np\n"
                       "np.random.seed(0)\n"
                       "for i in range(2000):\n"
                       "    x = np.random.rand(64, 64)\n"
                       "    s = x.sum() + x.shape[0] + x.T.mean() + x.astype(np.float32).max()\n"
                       "    y = x.reshape(4096) * 2.0\n"
                       "    y += 1.0\n"
                       "    z = x[1:3, ::2].sum() + x[0][1]\n"
                       "    for row in x[:2]:\n"
                       "        z += row[0]\n"
                       "print(round(float(s), 4), y.shape, x.ndim, round(float(z), 4))\n",
                       8 << 20, "2128.5775 (4096,) 2 29.9374\n");
}

/* A TF1 training loop (graph mode: nothing eager is released but NumPy arrays) keeps none of
 * its batches, feeds or fetched arrays, nor a shuffle's copies, when only printed (a record
 * keeps every draw): before, each step kept its 32 KB batch and fed Const, and a fetch of a
 * 64x64 array (1200 steps: 47 MB). */
static void expect_flat_graph(const char *program, const char *want) {
  sf_error err = {0};
  sf_run_options o = {.mode = SF_MODE_GRAPH, .memory_limit = 16 << 20, .no_draw_values = true};
  sf_trace *t = th_run_text(program, &o, &err);
  cr_assert_not_null(t, "%s (line %d)", err.msg, err.line);
  char *out = th_prints_and_free(t);
  cr_assert_str_eq(out, want);
  free(out);
}

Test(eager_mem, graph_mode_feeds_fetches_and_shuffles_keep_nothing) {
  expect_flat_graph("import numpy as np\n"
                            "import tensorflow as tf\n"
                            "tf.compat.v1.disable_eager_execution()\n"
                            "np.random.seed(0)\n"
                            "X = np.random.rand(1000, 256).astype(np.float32)\n"
                            "x = tf.compat.v1.placeholder(tf.float32, [None, 256])\n"
                            "w = tf.Variable(tf.ones([256, 1]))\n"
                            "loss = tf.reduce_mean(tf.matmul(x, w))\n"
                            "train = tf.compat.v1.train.GradientDescentOptimizer(0.01).minimize(loss)\n"
                            "r = tf.random.uniform([64, 64], seed=1)\n"
                            "idx = np.arange(1000)\n"
                            "with tf.compat.v1.Session() as sess:\n"
                            "    sess.run(tf.compat.v1.global_variables_initializer())\n"
                            "    for step in range(1200):\n"
                            "        i = (step * 32) % 968\n"
                            "        batch = X[i:i + 32]\n"
                            "        _, l = sess.run([train, loss], feed_dict={x: batch})\n"
                            "        v = sess.run(r)\n"
                            "        np.random.shuffle(idx)\n"
                            "print(round(float(l), 3), v.shape, idx.shape)\n",
                            "-644.704 (64, 64) (1000,)\n");
}

/* A RandomState's and a Generator's draws are the program's arrays, released with their last
 * handle when only printed (expect_flat): before, each stayed for the run (1200 loops of
 * three 64x64 or 128x64 draws: 199 MB). */
Test(eager_mem, randomstate_and_generator_draws_keep_nothing) {
  for (int m = 0; m < 2; m++)
    expect_flat("import numpy as np\n"
                              "rs = np.random.RandomState(0)\n"
                              "g = np.random.default_rng(0)\n"
                              "for i in range(1200):\n"
                              "    xb = rs.rand(128, 64)\n"
                              "    yb = g.random((128, 64))\n"
                              "    z = rs.normal(size=(64, 64))\n"
                              "print(round(float(xb.sum() + yb.sum() + z.sum()), 4))\n",
                              m ? SF_MODE_GRAPH : SF_MODE_EAGER, "8294.3307\n");
}
