/* intraop.h — intra-op parallelism: one big kernel (a random fill, a MatMul) split into
 * contiguous shards that a small process-wide pool of worker threads runs beside the
 * calling thread, as TF's CPU kernels shard over a session's intra-op pool
 * (core/util/work_sharder.cc Shard; kernels/random_op_cpu.h FillPhiloxRandom).
 * A kernel sharded this way must write each part of its output exactly as one call over
 * everything would, so that its bits never depend on the number of threads.
 * Internal header. */
#ifndef SEEDFLOW_INTRAOP_H
#define SEEDFLOW_INTRAOP_H

#include <stdint.h>
#include "seedflow/run.h"

/* The most threads one kernel uses (the caller and SF_INTRA_MAX - 1 workers). */
enum { SF_INTRA_MAX = SF_INTRA_OP_MAX };

typedef void (*sf_shard_fn)(void *ctx, int64_t lo, int64_t hi);

/* Runs fn over [0, n) in at most `threads` contiguous shards of at least min_units units,
 * their bounds multiples of align (except n); returns when every shard is done. The calling
 * thread runs shards too: a worker that wakes late finds nothing left, and a kernel that
 * finds the pool busy (the parallel executor runs several kernels at once) runs all of
 * its shards itself. threads <= 1, or n < 2 * min_units: fn(ctx, 0, n) here. */
void sf_parallel_for(int threads, int64_t n, int64_t min_units, int64_t align, sf_shard_fn fn, void *ctx);

/* The number of CPUs this process may run on (at least 1): the default of
 * sf_run_options.intra_op_threads, as TF's intra_op_parallelism_threads = 0 means. */
int sf_cpu_count(void);

#endif
