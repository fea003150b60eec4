/* budget.c — a run's limits: a memory budget shared by its tensors and its trace (bytes
 * in use, checked when a kernel allocates its output) and a deadline (checked before
 * every kernel). Exceeding either is an SF_ELIMIT error naming the option that sets it,
 * which the CLI reports as exit 2. The budget is reference counted: tensors kept by the
 * trace outlive the run and give their bytes back when freed. */
#include <inttypes.h>
#include <stdlib.h>
#include <time.h>
#include <uv.h>

#include "seedflow/tensor.h"

#include "graph.h"

struct sf_budget {
  int refs;
  int64_t used, limit;
};

sf_budget *sf_budget_new(int64_t limit) {
  sf_budget *b = calloc(1, sizeof *b);
  if (b) {
    b->refs = 1;
    b->limit = limit;
  }
  return b;
}

sf_budget *sf_budget_ref(sf_budget *b) {
  if (b) __atomic_add_fetch(&b->refs, 1, __ATOMIC_RELAXED);
  return b;
}

void sf_budget_unref(sf_budget *b) {
  if (b && __atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL) == 0) free(b);
}

bool sf_budget_charge(sf_budget *b, int64_t bytes) {
  if (!b) return true;
  int64_t now = __atomic_add_fetch(&b->used, bytes, __ATOMIC_RELAXED);
  if (now <= b->limit) return true;
  __atomic_sub_fetch(&b->used, bytes, __ATOMIC_RELAXED);
  return false;
}

void sf_budget_add(sf_budget *b, int64_t bytes) {
  if (b) __atomic_add_fetch(&b->used, bytes, __ATOMIC_RELAXED);
}

int64_t sf_budget_used(const sf_budget *b) { return b ? __atomic_load_n(&b->used, __ATOMIC_RELAXED) : 0; }
int64_t sf_budget_limit(const sf_budget *b) { return b ? b->limit : 0; }

sf_status sf_runtime_limits_init(sf_runtime *rt, const sf_run_options *o, sf_error *err) {
  int64_t mem = o->memory_limit > 0 ? o->memory_limit : SF_DEFAULT_MEMORY_LIMIT;
  double secs = o->time_limit > 0 ? o->time_limit : SF_DEFAULT_TIME_LIMIT;
  rt->budget = sf_budget_new(mem);
  if (!rt->budget) return sf_error_set(err, SF_ENOMEM, "out of memory");
  rt->time_limit = secs;
  rt->deadline_ns = uv_hrtime() + (uint64_t)(secs * 1e9);
  return SF_OK;
}

/* Nanoseconds on uv_hrtime's clock (CLOCK_MONOTONIC), read coarsely where the system can
 * (a tick of a few ms is nothing next to a time limit; reading it costs a fifth as much,
 * and it is read once per kernel). */
static uint64_t now_ns(void) {
#ifdef CLOCK_MONOTONIC_COARSE
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC_COARSE, &ts) == 0) return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
#endif
  return uv_hrtime();
}

sf_status sf_runtime_alloc(sf_runtime *rt, const char *node, sf_dtype dtype, const sf_shape *shape, sf_tensor **out,
                           sf_error *err) {
  int64_t n;
  *out = NULL;
  if (node && rt && rt->deadline_ns && now_ns() > rt->deadline_ns) /* kernels only: ops are the steps */
    return sf_error_set(err, SF_ELIMIT, "%s: time limit of %g s reached (--time-limit)", node, rt->time_limit);
  const char *sep = node ? ": " : "";
  if (!node) node = "";
  if (sf_shape_check(shape, &n, err) != SF_OK) return err->code;
  sf_budget *b = rt ? rt->budget : NULL;
  int64_t bytes = n * (int64_t)sf_dtype_size(dtype) + (int64_t)sizeof(sf_tensor);
  if (!sf_budget_charge(b, bytes))
    return sf_error_set(err, SF_ELIMIT,
                        "%s%smemory limit of %.1f MiB reached (--memory-limit): %.1f MiB in use, the output needs "
                        "%.1f MiB more", node, sep, (double)b->limit / (1 << 20), (double)sf_budget_used(b) / (1 << 20),
                        (double)bytes / (1 << 20));
  *out = sf_tensor_new(dtype, shape, err);
  if (!*out) {
    sf_budget_add(b, -bytes);
    return err->code;
  }
  (*out)->budget = sf_budget_ref(b);
  return SF_OK;
}
