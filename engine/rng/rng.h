/* rng.h — the random-number generators seedflow models, bit for bit (internal header).
 * Philox4x32-10 and TensorFlow's distributions (tensorflow/core/lib/random/), MT19937 as
 * CPython's random.Random and NumPy's legacy RandomState seed and use it.
 * Spec: ../shared/reference/tf-random-semantics.md §1–§4, §6, §7, §11. No allocation. */
#ifndef SEEDFLOW_RNG_H
#define SEEDFLOW_RNG_H

#include <stdbool.h>
#include <stdint.h>

/* ---- Philox4x32-10 (philox_random.h, class PhiloxRandom) ---- */
typedef struct sf_philox {
  uint32_t ctr[4];   /* ctr[0] least significant */
  uint32_t key[2];
} sf_philox;

/* One block: 10 rounds, 9 key bumps; does not touch any state. */
void sf_philox_block(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]);
/* PhiloxRandom(seed_lo, seed_hi): key = seed, ctr = [0, 0, lo32(seed2), hi32(seed2)]. */
void sf_philox_from_seeds(sf_philox *p, uint64_t seed, uint64_t seed2);
/* Stateless ops' key/counter from the seed pair (stateless_random_ops.cc GenerateKey). */
void sf_philox_stateless(sf_philox *p, uint64_t seed0, uint64_t seed1);
/* Skip(n): adds n to ctr(1:0) with carry into ctr[2], ctr[3]. */
void sf_philox_skip(sf_philox *p, uint64_t n);
/* Returns the block at the current counter, then advances the counter by one. */
void sf_philox_next(sf_philox *p, uint32_t out[4]);

/* ---- bits -> floats (random_distributions.h) ---- */
float sf_uint32_to_float(uint32_t x);                  /* [0, 1), 2^-23 grid */
double sf_uint64_to_double(uint32_t x0, uint32_t x1);  /* [0, 1), 2^-52 grid */
void sf_box_muller_float(uint32_t x0, uint32_t x1, float *f0, float *f1);
void sf_box_muller_double(uint32_t x0, uint32_t x1, uint32_t x2, uint32_t x3,
                          double *d0, double *d1);
/* box_muller_float's factors for n word pairs (n a multiple of 16): u2[i] = sqrtf(-2 logf(u1)),
 * (sn[i], cs[i]) = sincosf(angle), f0 = sn * u2, f1 = cs * u2. Vector levels reproduce glibc's
 * logf/sincosf: sf_box_muller_simd() is the widest exact one here (2 AVX-512, 1 AVX2, both
 * with FMA and a verified glibc; 0: glibc's calls); _at runs a given level up to that. */
void sf_box_muller_parts(const uint32_t *x0, const uint32_t *x1, int64_t n, float *u2, float *sn, float *cs);
void sf_box_muller_parts_at(int level, const uint32_t *x0, const uint32_t *x1, int64_t n, float *u2, float *sn,
                            float *cs);
int sf_box_muller_simd(void);

/* ---- filling a tensor the way TF's CPU kernels do (random_op_cpu.h) ----
 * base is the generator handed out by the reservation (not modified). Every group's
 * position in the stream depends only on its index, so filling groups [g0, g1) of an
 * output in several pieces (threads) gives the same values as one call over all groups.
 * A group is 4 values for 32-bit types and 2 for 64-bit ones; g1 is clamped to the
 * number of groups of n. */
typedef enum sf_dist {
  SF_DIST_UNIFORM,          /* float32/float64 in [0,1) */
  SF_DIST_NORMAL,           /* float32/float64 standard normal */
  SF_DIST_TRUNCATED_NORMAL, /* float32/float64, |x| < 2 */
} sf_dist;
int64_t sf_dist_groups(int64_t n, int is64);
void sf_fill_f32(sf_dist d, const sf_philox *base, float *out, int64_t n, int64_t g0, int64_t g1);
void sf_fill_f64(sf_dist d, const sf_philox *base, double *out, int64_t n, int64_t g0, int64_t g1);
/* All of out with up to `threads` threads (engine/intraop.h), each filling a range of
 * groups: the same bits as one sf_fill_f32 / sf_fill_f64 over every group. */
void sf_fill_f32_threads(sf_dist d, const sf_philox *base, float *out, int64_t n, int threads);
void sf_fill_f64_threads(sf_dist d, const sf_philox *base, double *out, int64_t n, int threads);
/* Uniform float32 outputs of more bytes than this (the last-level cache) are written with
 * non-temporal stores; the bits are the same either way. */
int64_t sf_fill_stream_min_bytes(void);
/* Sets that size (tests: the streamed path on a machine whose reported cache is too big to
 * fill past, as a VM's can be); 0 goes back to the last-level cache. */
void sf_fill_set_stream_min_bytes(int64_t bytes);
/* Uniform integers lo + (bits % (hi - lo)), no rejection; requires lo < hi. */
void sf_fill_int32(const sf_philox *base, int32_t lo, int32_t hi, int32_t *out, int64_t n);
void sf_fill_int64(const sf_philox *base, int64_t lo, int64_t hi, int64_t *out, int64_t n);
/* RandomShuffle's permutation: forward Fisher–Yates with 32-bit modulo on the stream
 * of words from base (SingleSampleAdapter); perm[i] = source index of element i. */
void sf_shuffle_perm(const sf_philox *base, int64_t *perm, int64_t n);
/* Blocks a RandomShuffle of n elements reserves: ReserveSamples32(n - 1). */
uint64_t sf_shuffle_blocks(int64_t n);

/* ---- PCG64 seeded by SeedSequence (NumPy's np.random.default_rng, pcg64.h,
 * bit_generator.pyx) ---- */
typedef struct sf_pcg64 {
  unsigned __int128 state, inc;
  bool has_uint32;   /* the high half of the last 64-bit output, not yet used */
  uint32_t uinteger;
} sf_pcg64;

/* default_rng(seed): SeedSequence(entropy words, little-endian 32-bit, pool of 4)
 * .generate_state(4, uint64), then pcg64_set_seed. */
void sf_pcg64_seed(sf_pcg64 *r, const uint32_t *entropy, int n);
uint64_t sf_pcg64_next64(sf_pcg64 *r);
/* The low half of a 64-bit output, then its high half. */
uint32_t sf_pcg64_next32(sf_pcg64 *r);
/* next_double: the top 53 bits times 2^-53. */
double sf_pcg64_next_double(sf_pcg64 *r);
/* Generator.integers' draw of [0, rng] (random_bounded_uint64_fill, Lemire's method, on
 * 32-bit draws when rng < 2^32). */
uint64_t sf_pcg64_bounded(sf_pcg64 *r, uint64_t rng);
/* random_interval(max): masked rejection in [0, max], 32-bit draws when max < 2^32; what
 * Generator.shuffle and permutation draw for each swap. */
uint64_t sf_pcg64_interval(sf_pcg64 *r, uint64_t max);

/* ---- MT19937 (CPython _randommodule.c, NumPy mt19937 + legacy distributions) ---- */
typedef struct sf_mt19937 {
  uint32_t mt[624];
  int pos;
  int has_gauss;     /* NumPy legacy_gauss cache */
  double gauss;
} sf_mt19937;

/* CPython random.Random(n) for an int n: init_by_array of abs(n)'s 32-bit words. */
void sf_mt_seed_python(sf_mt19937 *m, int64_t n);
/* NumPy np.random.seed(n), 0 <= n < 2^32: init_genrand(n); clears the gauss cache. */
void sf_mt_seed_numpy(sf_mt19937 *m, uint32_t n);
uint32_t sf_mt_next32(sf_mt19937 *m);
/* CPython random.randint(a, b) (Python 3 _randbelow with getrandbits); b - a < 2^63. */
int64_t sf_py_randint(sf_mt19937 *m, int64_t a, int64_t b);
/* NumPy legacy: random_sample (genrand_res53), gauss (polar, cached), normal, uniform. */
double sf_np_random_sample(sf_mt19937 *m);
double sf_np_gauss(sf_mt19937 *m);
double sf_np_normal(sf_mt19937 *m, double loc, double scale);
double sf_np_uniform(sf_mt19937 *m, double low, double high);
/* random_interval(max): masked rejection sampling in [0, max]. */
uint64_t sf_np_random_interval(sf_mt19937 *m, uint64_t max);
/* np.random.shuffle of a 1-D array of n elements: the swap sequence as a permutation
 * applied in place to perm (perm[i] starts as any values; elements are swapped). */
void sf_np_shuffle_i64(sf_mt19937 *m, int64_t *a, int64_t n);

/* 64 bits from the OS (getrandom), for TF's "no seed at all" case (random::New64). */
uint64_t sf_os_random64(void);

#endif
