/* api_config.c — tf.config: the intra-/inter-op thread settings of the eager context and
 * the devices it lists (python/eager/context.py, python/framework/config.py). seedflow
 * models TensorFlow on a machine with one CPU and no GPU. And TensorFlow's logging settings
 * (tf.compat.v1.logging, tf.get_logger, tf.autograph.set_verbosity), which change only what
 * goes to stderr. Chained from api.c's lookup. */
#include "interp.h"
#include "py.h"
#include "value.h"

#include <stdio.h>
#include <string.h>

/* context.py's _context_handle: TF creates it at the first op it runs eagerly (a tensor, a
 * variable, an op, a tf.function call) or when the logical devices are listed; NumPy's
 * work on the eager graph is not TF's (sf_numpy_begin/_end count it apart). */
static bool context_initialized(const sf_interp *I) {
  return I->tf_context_started || (I->E.g && I->E.g->n > I->numpy_nodes);
}

/* context.intra_op_parallelism_threads / inter_op_parallelism_threads setters: the same
 * value again is a no-op, another after initialization a RuntimeError. */
static sf_status set_threads(sf_interp *I, const sf_args *a, bool intra) {
  const char *fname = intra ? "set_intra_op_parallelism_threads" : "set_inter_op_parallelism_threads";
  SF_BIND(fname, "num_threads", 1);
  if ((st = sf_arg_need(I, a, fname, "num_threads", g[0])) != SF_OK) return st;
  if (v[0].kind != V_INT && v[0].kind != V_BOOL) /* ConfigProto's int32 field takes ints only */
    return sf_arg_error(I, a, SF_ETYPE, "%s(): num_threads must be an int (ConfigProto's int32 field)", fname);
  int64_t n = v[0].kind == V_INT ? v[0].i : v[0].b;
  if (n < INT32_MIN || n > INT32_MAX) /* TF stores it and fails later, building the ConfigProto */
    return sf_arg_error(I, a, SF_EINVAL, "%s(): num_threads %lld is outside ConfigProto's int32 field", fname, (long long)n);
  bool *set = intra ? &I->intra_op_set : &I->inter_op_set;
  int32_t *cur = intra ? &I->intra_op_value : &I->inter_op_value;
  if (*set && *cur == n) return SF_OK;
  if (context_initialized(I))
    return sf_py_raise(I, a->call, BC_RUNTIME, "%s op parallelism cannot be modified after initialization.",
                       intra ? "Intra" : "Inter");
  *set = true;
  *cur = (int32_t)n;
  /* What the settings change in seedflow (docs/threading.md): intra-op threads are how many
   * threads one big kernel may use (0 or negative: every CPU, local_device.cc); one inter-op
   * thread, or a negative count (the caller's thread), runs every op of a session one at a
   * time, so an executor of several lanes (--threads) becomes the serial one. */
  if (intra) I->opt.intra_op_threads = n <= 0 ? 0 : n > SF_INTRA_OP_MAX ? SF_INTRA_OP_MAX : (int)n;
  else if (n == 1 || n < 0) I->opt.threads = 0;
  return SF_OK;
}

static sf_status get_threads(sf_interp *I, const sf_args *a, bool intra, sf_val *out) {
  if (a->npos || a->nkw)
    return sf_arg_error(I, a, SF_ETYPE, "get_%s_op_parallelism_threads() takes no arguments", intra ? "intra" : "inter");
  bool set = intra ? I->intra_op_set : I->inter_op_set;
  *out = sf_int(set ? (intra ? I->intra_op_value : I->inter_op_value) : 0); /* ConfigProto's default */
  return SF_OK;
}

static sf_status api_set_intra(sf_interp *I, const sf_args *a, sf_val *out) {
  *out = sf_none();
  return set_threads(I, a, true);
}
static sf_status api_set_inter(sf_interp *I, const sf_args *a, sf_val *out) {
  *out = sf_none();
  return set_threads(I, a, false);
}
static sf_status api_get_intra(sf_interp *I, const sf_args *a, sf_val *out) { return get_threads(I, a, true, out); }
static sf_status api_get_inter(sf_interp *I, const sf_args *a, sf_val *out) { return get_threads(I, a, false, out); }

/* ---- devices: PhysicalDevice and LogicalDevice namedtuples ---- */

static const char physical_class[] = "PhysicalDevice", logical_class[] = "LogicalDevice";

/* __repr__ of a device: its text, made once (the native's bound value). */
static sf_status device_repr(sf_interp *I, sf_val *self, const sf_args *a, sf_val *out) {
  (void)I;
  (void)a;
  *out = *self;
  sf_val_ref(out);
  return SF_OK;
}

/* A device object with .name and .device_type, printed as the namedtuple prints. */
static sf_status device(sf_interp *I, const char *cls, const char *name, sf_val *out) {
  if (!sf_tape_new_object(I, cls, out)) return sf_py_oom(I);
  sf_inst *x = (sf_inst *)out->o;
  x->cls->plain = true; /* strings only */
  char text[128];
  snprintf(text, sizeof text, "%s(name='%s', device_type='CPU')", cls, name);
  sf_val n = {0}, t = {0}, r = {0};
  bool ok = sf_str_cstr(name, &n) && sf_str_cstr("CPU", &t) && sf_str_cstr(text, &r) &&
            sf_dict_set_str(x->attrs, "name", &n) && sf_dict_set_str(x->attrs, "device_type", &t) &&
            sf_py_def_native(x->attrs, "__repr__", device_repr, &r);
  sf_val_drop(&n);
  sf_val_drop(&t);
  sf_val_drop(&r);
  return ok ? SF_OK : sf_py_oom(I);
}

/* list_physical_devices(device_type=None): the CPU for None or "CPU", none of any other
 * type (a GPU-less machine lists no "GPU"). list_logical_devices also initializes the
 * context (context.py list_logical_devices: ensure_initialized). */
static sf_status list_devices(sf_interp *I, const sf_args *a, bool logical, sf_val *out) {
  const char *fname = logical ? "list_logical_devices" : "list_physical_devices";
  SF_BIND(fname, "device_type", 1);
  if (g[0] && v[0].kind != V_NONE && v[0].kind != V_STR)
    return sf_arg_error(I, a, SF_ETYPE, "%s(): device_type must be a str such as 'GPU'", fname);
  if (logical) I->tf_context_started = true;
  bool cpu = !g[0] || v[0].kind == V_NONE || strcmp(v[0].s, "CPU") == 0;
  if (!sf_list_new(O_LIST, cpu, out)) return sf_py_oom(I);
  if (cpu) {
    sf_val d;
    st = device(I, logical ? logical_class : physical_class, logical ? "/device:CPU:0" : "/physical_device:CPU:0", &d);
    if (st != SF_OK) return sf_val_drop(out), st;
    SF_LIST(out)->items[0] = d;
  }
  out->o->rc--; /* borrowed, as the flat API returns objects */
  return SF_OK;
}

static sf_status api_list_physical(sf_interp *I, const sf_args *a, sf_val *out) { return list_devices(I, a, false, out); }
static sf_status api_list_logical(sf_interp *I, const sf_args *a, sf_val *out) { return list_devices(I, a, true, out); }

/* set_memory_growth(device, enable): only a GPU's can be set, and this machine has none. */
static sf_status api_set_memory_growth(sf_interp *I, const sf_args *a, sf_val *out) {
  *out = sf_none();
  SF_BIND("set_memory_growth", "device enable", 2);
  if ((st = sf_arg_need(I, a, "set_memory_growth", "device", g[0])) != SF_OK) return st;
  if ((st = sf_arg_need(I, a, "set_memory_growth", "enable", g[1])) != SF_OK) return st;
  bool ours = sf_is(&v[0], O_INST) && ((sf_inst *)v[0].o)->cls->name == physical_class;
  if (!ours) return sf_arg_error(I, a, SF_EINVAL, "set_memory_growth(): device must be one of list_physical_devices()");
  /* TF raises ValueError("Cannot set memory growth on non-GPU devices"), since TF 2.5 with
   * "and non-Pluggable" added: which one depends on the exact version. */
  return sf_arg_error(I, a, SF_ENAME,
                      "unsupported: set_memory_growth() of the CPU (TensorFlow raises a ValueError: only a GPU's "
                      "memory growth can be set, and seedflow models a machine without GPUs)");
}

/* ---- logging: TensorFlow's log goes to stderr, never to what the program prints ---- */

/* tf.compat.v1.logging.set_verbosity(v) (tf.logging in TF 1.x) and the log calls
 * (tensorflow/python/platform/tf_logging.py): the verbosity only filters stderr. */
static sf_status api_log_noop(sf_interp *I, const sf_args *a, sf_val *out) {
  (void)I;
  (void)a;
  *out = sf_none();
  return SF_OK;
}

/* tf.get_logger(): logging.getLogger("tensorflow") (python/platform/tf_logging.py get_logger). */
static sf_status api_get_logger(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("get_logger", "", 0);
  (void)v;
  (void)g;
  if ((st = sf_py_logger(I, "tensorflow", out)) != SF_OK) return st;
  sf_val mine = *out;
  sf_val_drop(&mine); /* an API result is borrowed: the logging module's table of loggers holds it */
  return SF_OK;
}

/* tf.autograph.set_verbosity(level, alsologtostdout=False): AutoGraph's conversion log,
 * on stderr unless alsologtostdout; what it would print is not modelled. */
static sf_status api_autograph_verbosity(sf_interp *I, const sf_args *a, sf_val *out) {
  SF_BIND("set_verbosity", "level alsologtostdout", 2);
  if ((st = sf_arg_need(I, a, "set_verbosity", "level", g[0])) != SF_OK) return st;
  if (g[1] && sf_truthy(I, &v[1]) && !(v[0].kind == V_INT && v[0].i == 0))
    return sf_arg_error(I, a, SF_ENAME, "unsupported: tf.autograph.set_verbosity(alsologtostdout=True) above level 0 "
                                        "(AutoGraph's conversion log is not modelled)");
  *out = sf_none();
  return SF_OK;
}

static const struct {
  const char *path;
  sf_builtin_fn fn;
} logging_api[] = {
    {"set_verbosity", api_log_noop}, {"debug", api_log_noop}, {"info", api_log_noop}, {"warning", api_log_noop},
    {"warn", api_log_noop},          {"error", api_log_noop}, {"fatal", api_log_noop}, {"log", api_log_noop},
};

static const struct {
  const char *path;
  sf_builtin_fn fn;
} api[] = {
    {"tf.get_logger", api_get_logger},
    {"tf.autograph.set_verbosity", api_autograph_verbosity},
    {"tf.debugging.set_log_device_placement", api_log_noop}, /* placements are logged to stderr */
    {"tf.config.threading.set_intra_op_parallelism_threads", api_set_intra},
    {"tf.config.threading.set_inter_op_parallelism_threads", api_set_inter},
    {"tf.config.threading.get_intra_op_parallelism_threads", api_get_intra},
    {"tf.config.threading.get_inter_op_parallelism_threads", api_get_inter},
    {"tf.config.list_physical_devices", api_list_physical},
    {"tf.config.experimental.list_physical_devices", api_list_physical},
    {"tf.config.list_logical_devices", api_list_logical},
    {"tf.config.experimental.list_logical_devices", api_list_logical},
    {"tf.config.experimental.set_memory_growth", api_set_memory_growth},
};

sf_builtin_fn sf_config_lookup(const char *path) {
  const char *log = strncmp(path, "tf.logging.", 11) == 0 ? path + 11
                    : strncmp(path, "tf.compat.v1.logging.", 21) == 0 ? path + 21 : NULL;
  for (size_t i = 0; log && i < sizeof logging_api / sizeof logging_api[0]; i++)
    if (strcmp(logging_api[i].path, log) == 0) return logging_api[i].fn;
  for (size_t i = 0; i < sizeof api / sizeof api[0]; i++)
    if (strcmp(api[i].path, path) == 0) return api[i].fn;
  return NULL;
}
