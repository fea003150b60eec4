/* intraop.c — see intraop.h. The pool starts no thread until a kernel first asks for more
 * than one, then keeps its workers for the life of the process (as TF keeps a session's
 * pool). One job at a time: its shards are claimed through one atomic word holding the
 * job's generation, its shard count and the next unclaimed shard, so a worker that wakes
 * after its job ended can claim nothing from the next one by mistake; the caller waits
 * only for shards that were claimed, never for a sleeping worker.
 * Idle workers poll for SPIN_NS before they sleep (Intel's OpenMP polls 200 ms by default,
 * KMP_BLOCKTIME): on the benchmark's VM a worker woken from sleep wakes in 0.05 ms but then
 * runs at about half speed for milliseconds (its virtual CPU was idle). Polling 3 ms, two
 * threads filled 10^7 uniform values 1.08x as fast as one, when the one-thread fill between
 * them took longer than that; polling 20 ms, 1.99x. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include "intraop.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <unistd.h>
#include <uv.h>

/* How long an idle worker polls for the next job before it sleeps: 20 ms. */
#define SPIN_NS ((uint64_t)20000000)

typedef struct job {
  sf_shard_fn fn;
  void *ctx;
  int64_t bounds[SF_INTRA_MAX + 1];
  atomic_int done;          /* shards finished */
} job;

static struct {
  pthread_mutex_t owner;    /* held by the kernel whose job the pool runs */
  pthread_mutex_t lock;     /* guards the sleep on wake */
  pthread_cond_t wake;
  int nworkers;             /* started; only the owner starts more */
  /* gen << 32 | shards << 16 | next: the current job's generation, its shard count and its
   * next unclaimed shard. A new job gets a new generation. */
  _Atomic uint64_t claim;
  job j;
} pool = {.owner = PTHREAD_MUTEX_INITIALIZER, .lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static uint32_t gen_of(uint64_t w) { return (uint32_t)(w >> 32); }

static void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

/* Runs the shards of generation gen that are still unclaimed. */
static void run_shards(uint32_t gen) {
  uint64_t w = atomic_load_explicit(&pool.claim, memory_order_acquire);
  for (;;) {
    unsigned shards = (unsigned)(w >> 16) & 0xffff, next = (unsigned)w & 0xffff;
    if (gen_of(w) != gen || next >= shards) return;
    if (!atomic_compare_exchange_weak_explicit(&pool.claim, &w, w + 1, memory_order_acq_rel, memory_order_acquire))
      continue;
    /* Claimed: the job stays as posted until this shard is counted done. */
    pool.j.fn(pool.j.ctx, pool.j.bounds[next], pool.j.bounds[next + 1]);
    atomic_fetch_add_explicit(&pool.j.done, 1, memory_order_release);
    w = atomic_load_explicit(&pool.claim, memory_order_acquire);
  }
}

static void *worker(void *arg) {
  uint32_t seen = (uint32_t)(uintptr_t)arg;
  for (;;) {
    uint64_t until = uv_hrtime() + SPIN_NS;
    for (unsigned i = 1; gen_of(atomic_load_explicit(&pool.claim, memory_order_acquire)) == seen; i++) {
      cpu_relax();
      if (i % 256 == 0 && uv_hrtime() > until) {
        pthread_mutex_lock(&pool.lock);
        while (gen_of(atomic_load_explicit(&pool.claim, memory_order_acquire)) == seen)
          pthread_cond_wait(&pool.wake, &pool.lock);
        pthread_mutex_unlock(&pool.lock);
      }
    }
    seen = gen_of(atomic_load_explicit(&pool.claim, memory_order_acquire));
    run_shards(seen);
  }
  return NULL;
}

/* Starts workers until there are want (the owner's call); false when none can start. */
static bool start_workers(int want) {
  uint32_t gen = gen_of(atomic_load_explicit(&pool.claim, memory_order_acquire));
  while (pool.nworkers < want) {
    pthread_attr_t a;
    pthread_t t;
    if (pthread_attr_init(&a) != 0) break;
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    int rc = pthread_create(&t, &a, worker, (void *)(uintptr_t)gen);
    pthread_attr_destroy(&a);
    if (rc != 0) break;
    pool.nworkers++;
  }
  return pool.nworkers > 0;
}

void sf_parallel_for(int threads, int64_t n, int64_t min_units, int64_t align, sf_shard_fn fn, void *ctx) {
  if (min_units < 1) min_units = 1;
  if (align < 1) align = 1;
  int64_t most = n / min_units;
  int shards = threads < SF_INTRA_MAX ? threads : SF_INTRA_MAX;
  if (most < shards) shards = (int)most;
  if (shards <= 1 || pthread_mutex_trylock(&pool.owner) != 0) {
    fn(ctx, 0, n);
    return;
  }
  if (!start_workers(shards - 1)) {
    pthread_mutex_unlock(&pool.owner);
    fn(ctx, 0, n);
    return;
  }
  pool.j.fn = fn;
  pool.j.ctx = ctx;
  pool.j.bounds[0] = 0;
  for (int i = 1; i < shards; i++) pool.j.bounds[i] = (n / shards * i + n % shards * i / shards) / align * align;
  pool.j.bounds[shards] = n;
  atomic_store_explicit(&pool.j.done, 0, memory_order_relaxed);
  uint32_t gen = gen_of(atomic_load_explicit(&pool.claim, memory_order_relaxed)) + 1;
  pthread_mutex_lock(&pool.lock); /* a worker between its check and its wait sees the post */
  atomic_store_explicit(&pool.claim, (uint64_t)gen << 32 | (uint64_t)shards << 16, memory_order_release);
  pthread_cond_broadcast(&pool.wake);
  pthread_mutex_unlock(&pool.lock);
  run_shards(gen);
  /* the shards still running were claimed by workers that are running them: not long */
  for (unsigned i = 1; atomic_load_explicit(&pool.j.done, memory_order_acquire) < shards; i++)
    if (i % 1024 == 0) sched_yield();
    else cpu_relax();
  pthread_mutex_unlock(&pool.owner);
}

int sf_cpu_count(void) {
  cpu_set_t s;
  if (sched_getaffinity(0, sizeof s, &s) == 0 && CPU_COUNT(&s) > 0)
    return CPU_COUNT(&s) < SF_INTRA_MAX ? CPU_COUNT(&s) : SF_INTRA_MAX;
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)(n < SF_INTRA_MAX ? n : SF_INTRA_MAX) : 1;
}
