/* test_matmul.c — the blocked matmul kernels against the plain triple loop they replace
 * (the old dot(): double products and sums rounded to the element type, sequential or
 * pairwise), bit for bit, on every kernel set this CPU runs (and the direct loops for small
 * products, and the automatic choice), every transpose, both orders, both dtypes and shapes
 * around every tile and cache-block edge. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/matmul.h"

/* The reference: element (i, j) of op(a) op(b), as math.c computed it before the kernels. */
static double ref_dot(const void *a, const void *b, bool f64, int64_t ai, int64_t as, int64_t bi, int64_t bs, int64_t k,
                      bool pairwise) {
  if (pairwise && k > 2) {
    int64_t h = k / 2;
    double s = ref_dot(a, b, f64, ai, as, bi, bs, h, pairwise) +
               ref_dot(a, b, f64, ai + h * as, as, bi + h * bs, bs, k - h, pairwise);
    return f64 ? s : (float)s;
  }
  double s = 0;
  for (int64_t p = 0; p < k; p++) {
    double x = f64 ? ((const double *)a)[ai + p * as] : ((const float *)a)[ai + p * as];
    double y = f64 ? ((const double *)b)[bi + p * bs] : ((const float *)b)[bi + p * bs];
    double q = x * y;
    if (!f64) q = (float)q;
    s = f64 ? s + q : (float)(s + q);
  }
  return s;
}

static void ref_matmul(const sf_matmul_job *j, void *out) {
  int64_t acols = j->ta ? j->m : j->k, bcols = j->tb ? j->k : j->n;
  for (int64_t i = 0; i < j->m; i++)
    for (int64_t c = 0; c < j->n; c++) {
      int64_t ai = j->ta ? i : i * acols, as = j->ta ? acols : 1;
      int64_t bi = j->tb ? c * bcols : c, bs = j->tb ? 1 : bcols;
      double v = ref_dot(j->a, j->b, j->f64, ai, as, bi, bs, j->k, j->pairwise);
      if (j->f64) ((double *)out)[i * j->n + c] = v;
      else ((float *)out)[i * j->n + c] = (float)v;
    }
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t next_u64(void) { /* splitmix64 */
  uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* Values whose sums round differently in every order: random sign, mantissa and a binary
 * exponent in [-12, 12]; with zeros (of both signs) when `zeros`. */
static double draw(bool zeros) {
  uint64_t r = next_u64();
  if (zeros && r % 4 == 0) return (r >> 8) % 2 ? -0.0 : 0.0;
  double mant = 1.0 + (double)(r >> 11 & 0xFFFFFFFFFFFull) / 4503599627370496.0;
  return ldexp((r >> 63) ? -mant : mant, (int)((r >> 3) % 25) - 12);
}

static void *fill(int64_t count, bool f64, bool zeros) {
  void *p = malloc((size_t)(count > 0 ? count : 1) * (f64 ? 8 : 4));
  for (int64_t i = 0; i < count; i++) {
    double v = draw(zeros);
    if (f64) ((double *)p)[i] = v;
    else ((float *)p)[i] = (float)v;
  }
  return p;
}

/* Every kernel set, transpose and order on one shape; returns the number of runs. */
static int check_shape(int64_t m, int64_t n, int64_t k, bool f64, bool zeros) {
  size_t es = f64 ? 8 : 4, outb = (size_t)(m * n > 0 ? m * n : 1) * es;
  void *a = fill(m * k, f64, zeros), *b = fill(k * n, f64, zeros);
  void *want = malloc(outb), *got = malloc(outb);
  int runs = 0;
  for (int t = 0; t < 8; t++) {
    sf_matmul_job j = {.a = a, .b = b, .out = want, .m = m, .n = n, .k = k,
                       .ta = t & 1, .tb = t >> 1 & 1, .pairwise = t >> 2 & 1, .f64 = f64};
    ref_matmul(&j, want);
    for (sf_matmul_isa isa = SF_MM_AUTO; isa < SF_MM_ISAS; isa++) {
      if (isa != SF_MM_AUTO && !sf_matmul_isa_supported(isa)) continue;
      memset(got, 0xA5, outb); /* stale garbage must be overwritten */
      j.out = got;
      cr_assert(sf_matmul(&j, isa));
      j.out = want;
      if (memcmp(want, got, (size_t)(m * n) * es) != 0) {
        int64_t e = 0;
        while (e < m * n && !memcmp((char *)want + e * es, (char *)got + e * es, es)) e++;
        cr_assert(false, "%s %s m=%lld n=%lld k=%lld ta=%d tb=%d %s: element %lld differs (%.17g vs %.17g)",
                sf_matmul_isa_name(isa), f64 ? "f64" : "f32", (long long)m, (long long)n, (long long)k, j.ta, j.tb,
                j.pairwise ? "pairwise" : "sequential", (long long)e,
                f64 ? ((double *)want)[e] : ((float *)want)[e], f64 ? ((double *)got)[e] : ((float *)got)[e]);
      }
      runs++;
    }
  }
  free(a);
  free(b);
  free(want);
  free(got);
  return runs;
}

Test(matmul, small_shapes_every_layout_bit_exact) {
  static const int64_t dims[] = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33};
  int nd = (int)(sizeof dims / sizeof *dims), runs = 0;
  for (int f = 0; f < 2; f++)
    for (int x = 0; x < nd; x++)
      for (int y = 0; y < nd; y++)
        for (int z = 0; z < nd; z++) runs += check_shape(dims[x], dims[y], dims[z], f, (x + y + z) % 3 == 0);
  cr_assert_geq(runs, 2 * nd * nd * nd * 8 * 3, "ran %d", runs); /* auto, baseline, direct at least */
}

/* Tile edges of the wide kernels (AVX-512 sequential MR 2 x NR 128 and 4 x 32, pairwise 4 x 32
 * and 4 x 16 with leaves of up to 8 products), cache blocks (KC 256, MC 128, NC 1024) and
 * pairwise trees split above one block (k > 256, several levels). */
Test(matmul, block_edges_bit_exact) {
  static const int64_t shapes[][3] = {
      {8, 32, 256}, {9, 33, 257}, {127, 65, 300}, {129, 31, 513}, {130, 40, 1030},
      {3, 1025, 70}, {2, 1100, 260}, {64, 64, 64}, {1, 1, 2049}, {0, 5, 7}, {5, 0, 7}, {6, 5, 0},
      {3, 128, 12}, {5, 129, 13}, {4, 127, 11}, {17, 256, 259},
  };
  for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++)
    for (int f = 0; f < 2; f++) check_shape(shapes[s][0], shapes[s][1], shapes[s][2], f, s % 2);
}

/* Bands of rows on several threads (the engine's intra-op sharding) give one call's bits
 * for every kernel set and layout; 600 rows of 40 x 300 make two or three bands (each
 * at least 175 rows, sf_matmul_threads's least work) of 192 to 304 rows. */
Test(matmul, threaded_bands_bit_exact) {
  enum { M = 600, N = 40, K = 300 };
  for (int f = 0; f < 2; f++) {
    size_t es = f ? 8 : 4, outb = (size_t)M * N * es;
    void *a = fill(M * K, f, false), *b = fill(K * N, f, false), *want = malloc(outb), *got = malloc(outb);
    for (int t = 0; t < 8; t++)
      for (sf_matmul_isa isa = SF_MM_AUTO; isa < SF_MM_ISAS; isa++) {
        if (isa != SF_MM_AUTO && !sf_matmul_isa_supported(isa)) continue;
        sf_matmul_job j = {.a = a, .b = b, .out = want, .m = M, .n = N, .k = K,
                           .ta = t & 1, .tb = t >> 1 & 1, .pairwise = t >> 2 & 1, .f64 = f};
        cr_assert(sf_matmul(&j, isa));
        for (int threads = 2; threads <= 3; threads++) {
          memset(got, 0xA5, outb);
          j.out = got;
          cr_assert(sf_matmul_threads(&j, isa, threads));
          j.out = want;
          cr_assert(memcmp(want, got, outb) == 0, "%s %s ta=%d tb=%d pairwise=%d, %d threads",
                    sf_matmul_isa_name(isa), f ? "f64" : "f32", j.ta, j.tb, j.pairwise, threads);
        }
      }
    free(a);
    free(b);
    free(want);
    free(got);
  }
}

/* An empty sum is +0; a lone product of -0 becomes 0 + -0 = +0, as in the reference. */
Test(matmul, signed_zeros) {
  float a[2] = {-0.0f, 1.0f}, b[2] = {5.0f, -0.0f}, out[1] = {-1.0f};
  for (sf_matmul_isa isa = 0; isa < SF_MM_ISAS; isa++) {
    if (!sf_matmul_isa_supported(isa)) continue;
    sf_matmul_job j = {.a = a, .b = b, .out = out, .m = 1, .n = 1, .k = 1};
    cr_assert(sf_matmul(&j, isa));
    cr_assert(!signbit(out[0]) && out[0] == 0.0f, "%s: %g", sf_matmul_isa_name(isa), out[0]);
    j.k = 0;
    out[0] = -1.0f;
    cr_assert(sf_matmul(&j, isa));
    cr_assert(!signbit(out[0]) && out[0] == 0.0f);
  }
}

Test(matmul, isa_names) {
  cr_assert_str_eq(sf_matmul_isa_name(SF_MM_AVX512), "avx512");
  cr_assert_str_eq(sf_matmul_isa_name(SF_MM_BASELINE), "baseline");
  cr_assert_str_eq(sf_matmul_isa_name(SF_MM_DIRECT), "direct");
  cr_assert_str_eq(sf_matmul_isa_name(SF_MM_AUTO), "auto");
  cr_assert(sf_matmul_isa_supported(SF_MM_BASELINE));
}
