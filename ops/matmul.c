/* matmul.c — MatMul's kernels: both operands packed into panels (transposes are resolved
 * while packing), then MR x NR output tiles held in vector registers, one column per lane.
 * No FMA and no reassociation: each output element is the same chain of rounded products and
 * sums as the plain triple loop in the documented order, on every CPU feature level. */
#include "matmul.h"
#include "engine/intraop.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Cache blocks: MM_KC products per pass (a pairwise subtree of at most MM_KC products is one
 * pass), MM_MC rows of A and MM_NC columns of B packed at a time. */
enum { MM_KC = 256, MM_MC = 128, MM_NC = 1024, MM_STACK = 16 };

typedef struct mm_ctx {
  const sf_matmul_job *job;
  void *apack, *bpack, *stack, *tmp;
  uint8_t sched[MM_KC];
  int64_t nleaves;
} mm_ctx;

typedef struct mm_impl {
  int mr, nr, elem;
  void (*run)(mm_ctx *x);
} mm_impl;

/* Leaves of the pairwise tree over len products, left to right: a subtree of at most `leaf`
 * products (2, 4 or 8) is one leaf, its size in bits 0-3, the rest the number of subtrees the
 * leaf ends (each one adds its left sibling's sum). Returns the number of leaves. */
static int64_t schedule_into(int64_t len, int leaf, int ends, uint8_t *sched, int64_t at) {
  if (len <= leaf) {
    sched[at] = (uint8_t)(ends << 4 | len);
    return at + 1;
  }
  at = schedule_into(len / 2, leaf, 0, sched, at);
  return schedule_into(len - len / 2, leaf, ends + 1, sched, at);
}
static int64_t mm_schedule(int64_t len, int leaf, uint8_t *sched) { return schedule_into(len, leaf, 0, sched, 0); }

/* Tile shapes were chosen by bench-perf on a Zen 4 (AMD EPYC, family 25 model 17;
 * 2026-12-03): AVX-512 sequential tiles of 2 x 8 vectors (f32) and 4 x 4 (f64) beat 8 x 2
 * (fewer broadcasts per product: 65 -> ~88 GFLOP/s f32). Pairwise sums get their own 4 x 2
 * instances, chosen on a Zen 5 (family 26 model 2; 2026-12-03), whose leaves of 8 products
 * keep three tiles in registers: a quarter of the stores of pending sums of leaves of 2,
 * and 8 loads a step for 8 products (an 8 x 1 tile, leaves of 4, made 9: f64 pairwise
 * 0.42 -> 0.51-0.55 and f32 0.82 -> 0.96-1.09 of the sequential f32 speed; 6 x 2 and 4 x 3
 * with leaves of 4 read 0.46-0.47, 8 x 2 and 4 x 4 with leaves of 2 0.36-0.38). AVX2 keeps
 * 4 x 2 tiles, with leaves of 4 (f32 pairwise 30 -> 51 GFLOP/s there); the baseline set
 * keeps leaves of 2. */
#if defined(__x86_64__) && defined(__GNUC__)
#define MM_X86 1
#define T float
#define VL 16
#define MR 2
#define NRV 8
#define ISA f32_avx512
#define TARGET __attribute__((target("avx512f")))
#include "matmul_impl.h"
#define T double
#define VL 8
#define MR 4
#define NRV 4
#define ISA f64_avx512
#define TARGET __attribute__((target("avx512f")))
#include "matmul_impl.h"
#define T float
#define VL 16
#define MR 4
#define NRV 2
#define ISA f32pw_avx512
#define PW_LEAF 8
#define TARGET __attribute__((target("avx512f")))
#include "matmul_impl.h"
#define T double
#define VL 8
#define MR 4
#define NRV 2
#define ISA f64pw_avx512
#define PW_LEAF 8
#define TARGET __attribute__((target("avx512f")))
#include "matmul_impl.h"
#define T float
#define VL 8
#define MR 4
#define NRV 2
#define ISA f32_avx2
#define PW_LEAF 4
#define TARGET __attribute__((target("avx2")))
#include "matmul_impl.h"
#define T double
#define VL 4
#define MR 4
#define NRV 2
#define ISA f64_avx2
#define PW_LEAF 4
#define TARGET __attribute__((target("avx2")))
#include "matmul_impl.h"
#else
#define MM_X86 0
#endif
/* Baseline: 16-byte vectors (SSE2 on x86-64, plain scalar code elsewhere), and the direct
 * loops for small products. */
#define MM_DIRECT
#define T float
#define VL 4
#define MR 4
#define NRV 2
#define ISA f32_base
#define TARGET
#include "matmul_impl.h"
#define T double
#define VL 2
#define MR 4
#define NRV 2
#define ISA f64_base
#define TARGET
#include "matmul_impl.h"
#undef MM_DIRECT

/* Below this many multiply-adds packing costs more than it saves. */
enum { MM_DIRECT_MAX = 256 };

bool sf_matmul_isa_supported(sf_matmul_isa isa) {
  switch (isa) {
#if MM_X86
  case SF_MM_AVX512: return __builtin_cpu_supports("avx512f");
  case SF_MM_AVX2: return __builtin_cpu_supports("avx2");
#endif
  case SF_MM_BASELINE:
  case SF_MM_DIRECT: return true;
  default: return false;
  }
}

const char *sf_matmul_isa_name(sf_matmul_isa isa) {
  static const char *const names[SF_MM_ISAS] = {"avx512", "avx2", "baseline", "direct"};
  return isa >= 0 && isa < SF_MM_ISAS ? names[isa] : "auto";
}

static const mm_impl *impl_for(sf_matmul_isa isa, bool f64, bool pairwise) {
  if (isa == SF_MM_AUTO)
    for (isa = SF_MM_AVX512; !sf_matmul_isa_supported(isa); isa++) continue;
#if MM_X86
  if (isa == SF_MM_AVX512 && pairwise) return f64 ? &impl_f64pw_avx512 : &impl_f32pw_avx512;
  if (isa == SF_MM_AVX512) return f64 ? &impl_f64_avx512 : &impl_f32_avx512;
  if (isa == SF_MM_AVX2) return f64 ? &impl_f64_avx2 : &impl_f32_avx2;
#endif
  return f64 ? &impl_f64_base : &impl_f32_base;
}

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t round_up(int64_t a, int64_t b) { return (a + b - 1) / b * b; }

bool sf_matmul(const sf_matmul_job *job, sf_matmul_isa isa) {
  int64_t m = job->m, n = job->n, k = job->k;
  if (isa == SF_MM_AUTO && m * n * k <= MM_DIRECT_MAX) isa = SF_MM_DIRECT;
  if (isa == SF_MM_DIRECT) {
    if (job->f64) direct_f64_base(job);
    else direct_f32_base(job);
    return true;
  }
  const mm_impl *im = impl_for(isa, job->f64, job->pairwise);
  if (m == 0 || n == 0) return true;
  if (k == 0) { /* empty sums are +0 */
    memset(job->out, 0, (size_t)(m * n * im->elem));
    return true;
  }
  int levels = 0; /* matrices of halves: pairwise trees of over MM_KC products added to a sum */
  if (job->pairwise)
    for (int64_t len = k - k / 2; len > MM_KC; len -= len / 2) levels++;
  /* one 64-byte aligned block: A panels, B panels, the pairwise stack, the pairwise halves */
  int64_t kc = min64(k, MM_KC);
  int64_t sizes[4] = {round_up(min64(m, MM_MC), im->mr) * kc, kc * round_up(min64(n, MM_NC), im->nr),
                      job->pairwise ? (int64_t)MM_STACK * im->mr * im->nr : 0, levels * m * n};
  int64_t total = 0;
  for (int i = 0; i < 4; i++) total += round_up(sizes[i] * im->elem, 64);
  char *mem = aligned_alloc(64, (size_t)total);
  if (!mem) return false;
  mm_ctx x = {.job = job};
  void **parts[4] = {&x.apack, &x.bpack, &x.stack, &x.tmp};
  char *at = mem;
  for (int i = 0; i < 4; i++) {
    *parts[i] = at;
    at += round_up(sizes[i] * im->elem, 64);
  }
  im->run(&x);
  free(mem);
  return true;
}

/* ---- several threads: bands of out's rows ---- */

/* A band's least work: below about 2^21 multiply-adds (a few hundred microseconds) waking
 * a worker costs more than it saves (TF's MatMul, kernels/matmul_op_impl.h, contracts on the
 * intra-op pool through Eigen, whose TensorContractionThreadPool.h likewise keeps small
 * products on one thread by its cost model). Bands start at multiples of 16 rows (every
 * kernel set's MR divides 16). */
enum { MM_BAND_WORK = 1 << 21, MM_BAND_ALIGN = 16 };

typedef struct mm_bands {
  const sf_matmul_job *job;
  sf_matmul_isa isa;
  atomic_bool failed;
} mm_bands;

static void mm_band(void *ctx, int64_t lo, int64_t hi) {
  mm_bands *b = ctx;
  const sf_matmul_job *j = b->job;
  if (lo >= hi) return;
  size_t es = j->f64 ? sizeof(double) : sizeof(float);
  sf_matmul_job part = *j;
  part.lda = sf_matmul_lda(j);
  part.m = hi - lo;
  part.a = (const char *)j->a + (size_t)(j->ta ? lo : lo * part.lda) * es;
  part.out = (char *)j->out + (size_t)(lo * j->n) * es;
  if (!sf_matmul(&part, b->isa)) atomic_store(&b->failed, true);
}

bool sf_matmul_threads(const sf_matmul_job *job, sf_matmul_isa isa, int threads) {
  int64_t per_row = job->n * job->k > 0 ? job->n * job->k : 1;
  int64_t min_rows = MM_BAND_WORK / per_row + 1;
  if (min_rows < MM_BAND_ALIGN) min_rows = MM_BAND_ALIGN;
  if (threads <= 1 || job->m < 2 * min_rows) return sf_matmul(job, isa);
  mm_bands b = {.job = job, .isa = isa};
  sf_parallel_for(threads, job->m, min_rows, MM_BAND_ALIGN, mm_band, &b);
  return !atomic_load(&b.failed);
}
