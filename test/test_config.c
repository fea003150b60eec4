/* test_config.c — Criterion suite `config`: tf.config's thread settings and devices
 * (lang/api_config.c), as TF's context.py has them: a setting changes until TF's eager
 * context is initialized (its first eager op; NumPy's work does not count), a machine with
 * one CPU and no GPU. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "seedflow/seedflow.h"


static void expect_error(const char *text, int line, int col, const char *msg) {
  sf_error err = {0};
  cr_expect_null(th_run_text(text, &(sf_run_options){.mode = SF_MODE_EAGER, .profile = SF_PROFILE_TF2}, &err));
  cr_expect_eq(err.line, line);
  cr_expect_eq(err.col, col);
  cr_expect_str_eq(err.msg, msg);
}

/* The reproducibility preamble people paste: the settings take while nothing has run. */
static const char *settings = "import numpy as np\n"
                              "import tensorflow as tf\n"
                              "np.random.seed(1)\n"
                              "a = np.array([1.0, 2.0]) * 2\n"
                              "b = -a[0] + np.random.rand()\n"
                              "print(a.sum() > 1, (a > 1).tolist())\n"
                              "tf.random.set_seed(1)\n"
                              "print(tf.config.threading.get_intra_op_parallelism_threads())\n"
                              "tf.config.threading.set_intra_op_parallelism_threads(2)\n"
                              "tf.config.threading.set_inter_op_parallelism_threads(1)\n"
                              "print(tf.config.threading.get_intra_op_parallelism_threads(),\n"
                              "      tf.config.threading.get_inter_op_parallelism_threads())\n"
                              "x = tf.constant(1.0)\n"
                              "tf.config.threading.set_intra_op_parallelism_threads(2)\n"
                              "try:\n"
                              "    tf.config.threading.set_intra_op_parallelism_threads(1)\n"
                              "except RuntimeError as e:\n"
                              "    print(e)\n"
                              "try:\n"
                              "    tf.config.threading.set_inter_op_parallelism_threads(0)\n"
                              "except RuntimeError as e:\n"
                              "    print(e)\n"
                              "print(tf.config.threading.get_intra_op_parallelism_threads())\n";

/* context.py's setters: the same value again is a no-op; another one after the first eager
 * op (tf.constant) raises; NumPy arrays and tf.random.set_seed before are no TF op. */
Test(config, thread_settings_until_the_first_eager_op) {
  th_expect_prints(settings, SF_MODE_EAGER, SF_PROFILE_TF2,
         "True [True, True]\n0\n2 1\n"
         "Intra op parallelism cannot be modified after initialization.\n"
         "Inter op parallelism cannot be modified after initialization.\n2\n");
}

/* A TF1 graph and a traced function run no op eagerly: the context stays uninitialized. */
Test(config, thread_settings_in_a_graph_change_any_time) {
  const char *want = "True [True, True]\n0\n2 1\n1\n";
  th_expect_prints(settings, SF_MODE_GRAPH, SF_PROFILE_TF1, want);
  th_expect_prints(settings, SF_MODE_FUNCTION, SF_PROFILE_TF2, want);
}

/* Any eager TF op initializes the context: a variable, a random op, a tf.function call. */
Test(config, eager_ops_that_initialize_the_context) {
  static const char *const first[] = {"v = tf.Variable(1.0)\n", "r = tf.random.uniform([2])\n",
                                      "@tf.function\ndef f():\n    return 1\nf()\n", "tf.config.list_logical_devices()\n"};
  for (size_t i = 0; i < sizeof first / sizeof *first; i++) {
    char text[512];
    snprintf(text, sizeof text,
             "import tensorflow as tf\n%s"
             "try:\n    tf.config.threading.set_inter_op_parallelism_threads(2)\n"
             "except RuntimeError as e:\n    print(e)\n",
             first[i]);
    th_expect_prints(text, SF_MODE_EAGER, SF_PROFILE_TF2, "Inter op parallelism cannot be modified after initialization.\n");
  }
}

/* Keras 2.11+ and Keras 3 make an optimizer's iteration variable in its constructor. */
Test(config, a_new_keras_optimizer_initializes_the_context) {
  const char *text = "import tensorflow as tf\no = tf.keras.optimizers.SGD(0.1)\n"
                     "try:\n    tf.config.threading.set_intra_op_parallelism_threads(1)\n"
                     "except RuntimeError as e:\n    print(e)\n";
  th_expect_prints(text, SF_MODE_EAGER, SF_PROFILE_KERAS3, "Intra op parallelism cannot be modified after initialization.\n");
  th_expect_prints(text, SF_MODE_EAGER, SF_PROFILE_TF2, "");
}

/* list_physical_devices: the CPU, and no GPU (the memory-growth loop then does nothing). */
Test(config, devices_of_a_machine_without_gpu) {
  th_expect_prints("import tensorflow as tf\n"
         "gpus = tf.config.experimental.list_physical_devices('GPU')\n"
         "for gpu in gpus:\n    tf.config.experimental.set_memory_growth(gpu, True)\n"
         "print(gpus, len(tf.config.list_physical_devices('CPU')))\n"
         "cpu = tf.config.list_physical_devices()\n"
         "print(cpu, cpu[0].name, cpu[0].device_type)\n"
         "print(repr(cpu[0]), tf.config.list_physical_devices('TPU'))\n"
         "print(tf.config.list_logical_devices('CPU'))\n",
         SF_MODE_EAGER, SF_PROFILE_TF2,
         "[] 1\n[PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')] /physical_device:CPU:0 CPU\n"
         "PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU') []\n"
         "[LogicalDevice(name='/device:CPU:0', device_type='CPU')]\n");
}

Test(config, bad_arguments_are_located_errors) {
  expect_error("import tensorflow as tf\ntf.config.threading.set_intra_op_parallelism_threads('2')\n", 2, 1,
               "set_intra_op_parallelism_threads(): num_threads must be an int (ConfigProto's int32 field)");
  expect_error("import tensorflow as tf\ntf.config.threading.set_inter_op_parallelism_threads()\n", 2, 1,
               "set_inter_op_parallelism_threads() missing 1 required positional argument: 'num_threads'");
  expect_error("import tensorflow as tf\nx = 1\ntf.config.threading.get_intra_op_parallelism_threads(1)\n", 3, 1,
               "get_intra_op_parallelism_threads() takes no arguments");
  expect_error("import tensorflow as tf\ntf.config.list_physical_devices(1)\n", 2, 1,
               "list_physical_devices(): device_type must be a str such as 'GPU'");
  expect_error("import tensorflow as tf\nd = tf.config.list_physical_devices()\n"
               "tf.config.experimental.set_memory_growth(d[0], True)\n", 3, 1,
               "unsupported: set_memory_growth() of the CPU (TensorFlow raises a ValueError: only a GPU's memory growth "
               "can be set, and seedflow models a machine without GPUs)");
  expect_error("import tensorflow as tf\ntf.config.experimental.set_memory_growth('GPU:0', True)\n", 2, 1,
               "set_memory_growth(): device must be one of list_physical_devices()");
  expect_error("import tensorflow as tf\ntf.config.threading.set_intra_op_parallelism_threads(2**40)\n", 2, 1,
               "set_intra_op_parallelism_threads(): num_threads 1099511627776 is outside ConfigProto's int32 field");
}

/* One inter-op thread (or a negative count: the caller's thread) runs a session's ops one
 * at a time: an executor of two lanes becomes the serial one (every op on worker 0; with
 * two lanes the two draws take lanes 0 and 1, and cheap ops run inline as worker 2). */
static int off_worker0(const char *text) {
  sf_error err = {0};
  sf_trace *t = th_run_text(text, &(sf_run_options){.mode = SF_MODE_GRAPH, .profile = SF_PROFILE_TF1, .threads = 2}, &err);
  cr_assert(t, "run: %s", err.msg);
  int off = 0;
  for (int i = 0; i < sf_trace_op_count(t); i++) off += sf_trace_op_at(t, i)->worker != 0;
  sf_trace_free(t);
  return off;
}

Test(config, one_inter_op_thread_runs_serially) {
  const char *run = "a = tf.random.uniform([4000], seed=1)\nb = tf.random.uniform([4000], seed=2)\n"
                    "with tf.Session() as s:\n    x = s.run([a, b])\n";
  char text[512];
  snprintf(text, sizeof text, "import tensorflow as tf\n%s", run);
  cr_expect_gt(off_worker0(text), 0);
  snprintf(text, sizeof text, "import tensorflow as tf\ntf.config.threading.set_inter_op_parallelism_threads(1)\n%s", run);
  cr_expect_eq(off_worker0(text), 0);
  snprintf(text, sizeof text, "import tensorflow as tf\ntf.config.threading.set_inter_op_parallelism_threads(-1)\n%s", run);
  cr_expect_eq(off_worker0(text), 0);
  snprintf(text, sizeof text, "import tensorflow as tf\ntf.config.threading.set_inter_op_parallelism_threads(4)\n%s", run);
  cr_expect_gt(off_worker0(text), 0);
}

/* The logging lines that open many TF programs change only stderr: they run in every
 * profile and mode, and the draws after them are those of the program without them. */
Test(config, logging_settings_print_nothing) {
  const char *text = "import logging\n"
                     "import tensorflow as tf\n"
                     "tf.compat.v1.logging.set_verbosity(tf.compat.v1.logging.ERROR)\n"
                     "tf.logging.set_verbosity(tf.logging.INFO)\n"
                     "tf.get_logger().setLevel('ERROR')\n"
                     "logging.getLogger('tensorflow').setLevel(logging.ERROR)\n"
                     "tf.autograph.set_verbosity(0)\n"
                     "tf.debugging.set_log_device_placement(False)\n"
                     "tf.compat.v1.logging.info('hidden %d', 1)\n"
                     "print(tf.compat.v1.logging.DEBUG, tf.logging.WARN, tf.compat.v1.logging.FATAL,\n"
                     "      tf.get_logger() is logging.getLogger('tensorflow'), tf.get_logger().name)\n";
  th_expect_prints(text, SF_MODE_EAGER, SF_PROFILE_TF2, "10 30 50 True tensorflow\n");
  th_expect_prints(text, SF_MODE_GRAPH, SF_PROFILE_TF1, "10 30 50 True tensorflow\n");
  th_expect_prints(text, SF_MODE_FUNCTION, SF_PROFILE_KERAS3, "10 30 50 True tensorflow\n");
}

Test(config, autograph_log_to_stdout_is_named_unsupported) {
  th_expect_error_at("import tensorflow as tf\ntf.autograph.set_verbosity(3, alsologtostdout=True)\n", SF_MODE_EAGER,
                     SF_PROFILE_TF2, 2,
                     "unsupported: tf.autograph.set_verbosity(alsologtostdout=True) above level 0 (AutoGraph's "
                     "conversion log is not modelled)");
}

/* tf.__version__ and tf.version.VERSION name one version per profile, tf.keras.__version__ its
 * Keras (TF 1.15's is Keras 2.2.4-tf). */
Test(config, versions_agree_per_profile) {
  const char *text = "import tensorflow as tf\nimport numpy as np\n"
                     "print(tf.__version__, tf.version.VERSION, tf.compat.v1.version.VERSION, tf.keras.__version__, np.__version__)\n";
  th_expect_prints(text, SF_MODE_GRAPH, SF_PROFILE_TF1, "1.15.5 1.15.5 1.15.5 2.2.4-tf 1.24.4\n");
  th_expect_prints(text, SF_MODE_EAGER, SF_PROFILE_TF2, "2.9.3 2.9.3 2.9.3 2.9.0 1.24.4\n");
  th_expect_prints(text, SF_MODE_EAGER, SF_PROFILE_TF210, "2.15.0 2.15.0 2.15.0 2.15.0 1.24.4\n");
  th_expect_prints(text, SF_MODE_EAGER, SF_PROFILE_KERAS3, "2.16.1 2.16.1 2.16.1 3.15.1 1.24.4\n");
}

/* Keras's backend defaults and the GPU queries of the machine seedflow models (no GPU). */
Test(config, keras_backend_defaults_and_no_gpu) {
  const char *text = "import tensorflow as tf\nfrom tensorflow.keras import backend as K\nK.set_floatx('float32')\n"
                     "print(K.floatx(), K.epsilon(), tf.test.is_gpu_available(), repr(tf.test.gpu_device_name()))\n";
  th_expect_prints(text, SF_MODE_GRAPH, SF_PROFILE_TF1, "float32 1e-07 False ''\n");
  th_expect_prints(text, SF_MODE_EAGER, SF_PROFILE_TF2, "float32 1e-07 False ''\n");
  th_expect_error_at("from tensorflow.keras import backend as K\nK.set_floatx('float64')\n", SF_MODE_EAGER, SF_PROFILE_TF2, 2,
                     "unsupported: keras.backend.set_floatx() other than 'float32' (layers keep float32)");
}
