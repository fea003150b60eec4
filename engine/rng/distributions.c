/* distributions.c — TensorFlow's CPU random fills (uniform, normal, truncated normal, ints,
 * shuffle) from Philox blocks, bit-exact with random_distributions.h and random_op_cpu.h.
 * Callers hand in the reserved base generator; groups may be filled in any split. Spec §3, §4, §10. */
#define _GNU_SOURCE /* sincos/sincosf, as TF's Linux build uses them */
#include "rng.h"
#include "engine/intraop.h"

#include <math.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* -DSF_RNG_NO_SIMD / -DSF_RNG_NO_AVX512 force the narrower kernels (to test them all). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(SF_RNG_NO_SIMD)
#define SF_X86_SIMD 1
#include <immintrin.h>
#else
#define SF_X86_SIMD 0
#endif

#define SF_PI 3.14159265358979323846 /* M_PI */

/* philox_random.h constants (same as philox.c; duplicated for the inlined batch kernel). */
enum {
  W32A = 0x9E3779B9u,
  W32B = 0xBB67AE85u,
  M4A = 0xD2511F53u,
  M4B = 0xCD9E8D57u,
};

/* ---- bits -> floats (random_distributions.h / random_distributions_utils.h) ---- */

static inline float u32_to_float(uint32_t x) { /* Uint32ToFloat */
  uint32_t bits = (127u << 23) | (x & 0x7fffffu);
  float f;
  memcpy(&f, &bits, sizeof f);
  return f - 1.0f;
}

static inline double u64_to_double(uint32_t x0, uint32_t x1) { /* Uint64ToDouble */
  uint64_t bits = (1023ull << 52) | ((uint64_t)(x0 & 0xfffffu) << 32) | x1;
  double d;
  memcpy(&d, &bits, sizeof d);
  return d - 1.0;
}

/* random_distributions.h BoxMullerFloat (Linux branch: sincosf). */
static inline void box_muller_f(uint32_t x0, uint32_t x1, float *f0, float *f1) {
  const float epsilon = 1.0e-7f;
  float u1 = u32_to_float(x0);
  if (u1 < epsilon) u1 = epsilon;
  const float v1 = (float)(2.0f * SF_PI * (double)u32_to_float(x1));
  const float u2 = sqrtf(-2.0f * logf(u1));
  sincosf(v1, f0, f1);
  *f0 *= u2;
  *f1 *= u2;
}

/* random_distributions.h BoxMullerDouble (Linux branch: sincos). */
static inline void box_muller_d(uint32_t x0, uint32_t x1, uint32_t x2, uint32_t x3, double *d0,
                                double *d1) {
  const double epsilon = 1.0e-7;
  double u1 = u64_to_double(x0, x1);
  if (u1 < epsilon) u1 = epsilon;
  const double v1 = 2 * SF_PI * u64_to_double(x2, x3);
  const double u2 = sqrt(-2.0 * log(u1));
  sincos(v1, d0, d1);
  *d0 *= u2;
  *d1 *= u2;
}

float sf_uint32_to_float(uint32_t x) { return u32_to_float(x); }
double sf_uint64_to_double(uint32_t x0, uint32_t x1) { return u64_to_double(x0, x1); }
void sf_box_muller_float(uint32_t x0, uint32_t x1, float *f0, float *f1) {
  box_muller_f(x0, x1, f0, f1);
}
void sf_box_muller_double(uint32_t x0, uint32_t x1, uint32_t x2, uint32_t x3, double *d0,
                          double *d1) {
  box_muller_d(x0, x1, x2, x3, d0, d1);
}

/* ---- Box–Muller over 16 pairs at once, bit for bit with glibc ----
 * glibc's logf and sincosf (sysdeps/ieee754/flt-32 e_logf.c, s_sincosf.c: ARM's optimized
 * routines) evaluate in double and round once. On a CPU with FMA and AVX2 glibc runs their
 * FMA builds (__logf_fma, __sincosf_fma), compiled with contraction: each fmadd/fmsub below
 * stands where GCC fused a * b + c. The same operations on 8 (AVX-512) or 4 (AVX2) doubles per
 * register give the same bits. Only the inputs Box–Muller can produce are handled (logf of a
 * normal float in [1e-7, 1), sincosf of a float in [0, 2 pi)), and only with a glibc whose
 * results the exhaustive test (test_distributions.c) compared on all of them: the 2^23 logf
 * arguments (2^23 - 1 grid points and the clamp 1e-7) and the 2^23 angles. */

#if SF_X86_SIMD && defined(__GLIBC__)
#include <gnu/libc-version.h>
#define SF_BM_SIMD 1

/* e_logf_data.c: (invc, logc) for 16 subintervals, ln2, the polynomial. */
static const double logf_invc[16] = {
    0x1.661ec79f8f3bep+0, 0x1.571ed4aaf883dp+0, 0x1.49539f0f010bp+0,  0x1.3c995b0b80385p+0,
    0x1.30d190c8864a5p+0, 0x1.25e227b0b8eap+0,  0x1.1bb4a4a1a343fp+0, 0x1.12358f08ae5bap+0,
    0x1.0953f419900a7p+0, 0x1p+0,               0x1.e608cfd9a47acp-1, 0x1.ca4b31f026aap-1,
    0x1.b2036576afce6p-1, 0x1.9c2d163a1aa2dp-1, 0x1.886e6037841edp-1, 0x1.767dcf5534862p-1};
static const double logf_logc[16] = {
    -0x1.57bf7808caadep-2, -0x1.2bef0a7c06ddbp-2, -0x1.01eae7f513a67p-2, -0x1.b31d8a68224e9p-3,
    -0x1.6574f0ac07758p-3, -0x1.1aa2bc79c81p-3,   -0x1.a4e76ce8c0e5ep-4, -0x1.1973c5a611cccp-4,
    -0x1.252f438e10c1ep-5, 0x0p+0,                0x1.aa5aa5df25984p-5,  0x1.c5e53aa362eb4p-4,
    0x1.526e57720db08p-3,  0x1.bc2860d22477p-3,   0x1.1058bc8a07ee1p-2,  0x1.4043057b6ee09p-2};
#define LOGF_LN2 0x1.62e42fefa39efp-1
#define LOGF_A0 -0x1.00ea348b88334p-2
#define LOGF_A1 0x1.5575b0be00b6ap-2
#define LOGF_A2 -0x1.ffffef20a4123p-2
/* s_sincosf_data.c, first entry (the second negates c0..c4). */
#define SC_HPI_INV 0x1.45F306DC9C883p+23 /* 2/pi * 2^24 (no TOINT_INTRINSICS on x86-64) */
#define SC_HPI 0x1.921FB54442D18p0
#define SC_C0 0x1p0
#define SC_C1 -0x1.ffffffd0c621cp-2
#define SC_C2 0x1.55553e1068f19p-5
#define SC_C3 -0x1.6c087e89a359dp-10
#define SC_C4 0x1.99343027bf8c3p-16
#define SC_S1 -0x1.555545995a603p-3
#define SC_S2 0x1.1107605230bc4p-7
#define SC_S3 -0x1.994eb3774cf24p-13

/* s_sincosf.h sincosf_poly on one vector of doubles: xs = reduced x times sign[n & 3], x2 its
 * square, cs = -1 where the second table (negated cosine coefficients, n & 2) applies.
 * P is the intrinsic prefix (_mm512 or _mm256), VD the vector type; SIN and COS get the
 * polynomials' double results (before the quadrant swap). */
#define SINCOSF_POLY(P, VD, xs, x2, cs, SIN, COS)                                                 \
  do {                                                                                             \
    VD c0_ = P##_mul_pd(cs, P##_set1_pd(SC_C0)), c1_ = P##_mul_pd(cs, P##_set1_pd(SC_C1));         \
    VD c2_ = P##_mul_pd(cs, P##_set1_pd(SC_C2)), c3_ = P##_mul_pd(cs, P##_set1_pd(SC_C3));         \
    VD c4_ = P##_mul_pd(cs, P##_set1_pd(SC_C4));                                                   \
    VD x4_ = P##_mul_pd(x2, x2), x3_ = P##_mul_pd(x2, xs);                                         \
    VD pc2_ = P##_fmadd_pd(x2, c4_, c3_);                                                          \
    VD ps1_ = P##_fmadd_pd(x2, P##_set1_pd(SC_S3), P##_set1_pd(SC_S2));                            \
    VD pc1_ = P##_fmadd_pd(x2, c1_, c0_);                                                          \
    VD x5_ = P##_mul_pd(x3_, x2), x6_ = P##_mul_pd(x4_, x2);                                       \
    VD s_ = P##_fmadd_pd(x3_, P##_set1_pd(SC_S1), xs);                                             \
    VD c_ = P##_fmadd_pd(x4_, c2_, pc1_);                                                          \
    SIN = P##_fmadd_pd(x5_, ps1_, s_);                                                             \
    COS = P##_fmadd_pd(x6_, pc2_, c_);                                                             \
  } while (0)

#ifndef SF_RNG_NO_AVX512
#define BM_TARGET __attribute__((target("avx512f,avx512dq,avx512vl,fma"), always_inline)) static inline

/* logf on 8 floats given as doubles' sources: e_logf.c's main path (x normal, x != 1). */
BM_TARGET __m256 logf8(__m256i ix) {
  __m256i tmp = _mm256_sub_epi32(ix, _mm256_set1_epi32(0x3f330000));
  __m256i i = _mm256_and_si256(_mm256_srli_epi32(tmp, 19), _mm256_set1_epi32(15));
  __m256i k = _mm256_srai_epi32(tmp, 23);
  __m256i iz = _mm256_sub_epi32(ix, _mm256_and_si256(tmp, _mm256_set1_epi32((int)0xff800000u) /* 0x1ff << 23 */));
  __m512i i64 = _mm512_cvtepu32_epi64(i);
  __m512d invc = _mm512_permutex2var_pd(_mm512_loadu_pd(logf_invc), i64, _mm512_loadu_pd(logf_invc + 8));
  __m512d logc = _mm512_permutex2var_pd(_mm512_loadu_pd(logf_logc), i64, _mm512_loadu_pd(logf_logc + 8));
  __m512d z = _mm512_cvtps_pd(_mm256_castsi256_ps(iz));
  __m512d r = _mm512_fmsub_pd(z, invc, _mm512_set1_pd(1.0));                       /* z * invc - 1 */
  __m512d y0 = _mm512_fmadd_pd(_mm512_cvtepi32_pd(k), _mm512_set1_pd(LOGF_LN2), logc); /* logc + k ln2 */
  __m512d r2 = _mm512_mul_pd(r, r);
  __m512d y = _mm512_fmadd_pd(_mm512_set1_pd(LOGF_A1), r, _mm512_set1_pd(LOGF_A2));
  y = _mm512_fmadd_pd(_mm512_set1_pd(LOGF_A0), r2, y);
  y = _mm512_fmadd_pd(y, r2, _mm512_add_pd(y0, r));
  return _mm512_cvtpd_ps(y);
}

/* sincosf on 8 floats in [0, 120): s_sincosf.c's small (|y| < pi/4) and reduce_fast paths. */
BM_TARGET void sincosf8(__m256 yf, __m256 *sinp, __m256 *cosp) {
  __m256i top = _mm256_and_si256(_mm256_srli_epi32(_mm256_castps_si256(yf), 20), _mm256_set1_epi32(0x7ff));
  __mmask8 tiny = _mm256_cmplt_epi32_mask(top, _mm256_set1_epi32(0x398)); /* abstop12(0x1p-12f) */
  __mmask8 small = _mm256_cmplt_epi32_mask(top, _mm256_set1_epi32(0x3f4)); /* abstop12(pio4) */
  __m512d x = _mm512_cvtps_pd(yf);
  /* reduce_fast: n = nearest quadrant via the 2^24-scaled truncation, x - n * pi/2 */
  __m256i ri = _mm512_cvttpd_epi32(_mm512_mul_pd(x, _mm512_set1_pd(SC_HPI_INV)));
  __m256i n = _mm256_srai_epi32(_mm256_add_epi32(ri, _mm256_set1_epi32(0x800000)), 24);
  n = _mm256_maskz_mov_epi32((__mmask8)~small, n);
  __m512d xr = _mm512_fnmadd_pd(_mm512_cvtepi32_pd(n), _mm512_set1_pd(SC_HPI), x);
  xr = _mm512_mask_mov_pd(xr, small, x);
  __mmask8 q1 = _mm256_test_epi32_mask(n, _mm256_set1_epi32(1));
  __mmask8 q2 = _mm256_test_epi32_mask(n, _mm256_set1_epi32(2));
  /* sign[n & 3] = {1, -1, -1, 1}: negative when bit 0 and bit 1 differ */
  __mmask8 neg = q1 ^ q2;
  __m512d xs = _mm512_mul_pd(xr, _mm512_mask_blend_pd(neg, _mm512_set1_pd(1.0), _mm512_set1_pd(-1.0)));
  __m512d x2 = _mm512_mul_pd(xr, xr);
  /* the second table (n & 2) negates the cosine coefficients */
  __m512d cs = _mm512_mask_blend_pd(q2, _mm512_set1_pd(1.0), _mm512_set1_pd(-1.0));
  __m512d sd, cd;
  SINCOSF_POLY(_mm512, __m512d, xs, x2, cs, sd, cd);
  __m256 sv = _mm512_cvtpd_ps(sd), cv = _mm512_cvtpd_ps(cd);
  /* odd quadrants swap the outputs; |y| < 2^-12 gives (y, 1) */
  __m256 so = _mm256_mask_blend_ps(q1, sv, cv), co = _mm256_mask_blend_ps(q1, cv, sv);
  *sinp = _mm256_mask_blend_ps(tiny, so, yf);
  *cosp = _mm256_mask_blend_ps(tiny, co, _mm256_set1_ps(1.0f));
}

/* box_muller_f's factors for 16 word pairs: u2 = sqrtf(-2 logf(u1)), sincosf(v1). */
BM_TARGET void bm_parts16(const uint32_t *x0, const uint32_t *x1, float *u2, float *sn, float *cs) {
  const __m512i mant = _mm512_set1_epi32(0x7fffff), one = _mm512_set1_epi32(127 << 23);
  __m512 u1 = _mm512_sub_ps(_mm512_castsi512_ps(_mm512_ternarylogic_epi32(_mm512_loadu_si512(x0), mant, one, 0xEA)),
                            _mm512_set1_ps(1.0f));
  __m512 uv = _mm512_sub_ps(_mm512_castsi512_ps(_mm512_ternarylogic_epi32(_mm512_loadu_si512(x1), mant, one, 0xEA)),
                            _mm512_set1_ps(1.0f));
  u1 = _mm512_mask_mov_ps(u1, _mm512_cmp_ps_mask(u1, _mm512_set1_ps(1.0e-7f), _CMP_LT_OQ), _mm512_set1_ps(1.0e-7f));
  __m512i ib = _mm512_castps_si512(u1);
  __m256 lg[2] = {logf8(_mm512_castsi512_si256(ib)), logf8(_mm512_extracti64x4_epi64(ib, 1))};
  for (int h = 0; h < 2; h++) {
    __m256 l = lg[h];
    _mm256_storeu_ps(u2 + 8 * h, _mm256_sqrt_ps(_mm256_mul_ps(_mm256_set1_ps(-2.0f), l)));
    __m256 half = h ? _mm512_extractf32x8_ps(uv, 1) : _mm512_castps512_ps256(uv);
    __m256 v1 = _mm512_cvtpd_ps(_mm512_mul_pd(_mm512_set1_pd(2.0f * SF_PI), _mm512_cvtps_pd(half)));
    __m256 s, c;
    sincosf8(v1, &s, &c);
    _mm256_storeu_ps(sn + 8 * h, s);
    _mm256_storeu_ps(cs + 8 * h, c);
  }
}

__attribute__((target("avx512f,avx512dq,avx512vl,fma"))) static void bm_parts_avx512(
    const uint32_t *x0, const uint32_t *x1, int64_t n, float *u2, float *sn, float *cs) {
  for (int64_t i = 0; i < n; i += 16) bm_parts16(x0 + i, x1 + i, u2 + i, sn + i, cs + i);
}

#endif

/* The same on 4 doubles per register (AVX2 + FMA): table lookups by gather, masks as vectors. */
#define BM2_TARGET __attribute__((target("avx2,fma"), always_inline)) static inline

BM2_TARGET __m128 logf4(__m128i ix) {
  __m128i tmp = _mm_sub_epi32(ix, _mm_set1_epi32(0x3f330000));
  __m128i i = _mm_and_si128(_mm_srli_epi32(tmp, 19), _mm_set1_epi32(15));
  __m128i k = _mm_srai_epi32(tmp, 23);
  __m128i iz = _mm_sub_epi32(ix, _mm_and_si128(tmp, _mm_set1_epi32((int)0xff800000u)));
  __m256d invc = _mm256_i32gather_pd(logf_invc, i, 8), logc = _mm256_i32gather_pd(logf_logc, i, 8);
  __m256d z = _mm256_cvtps_pd(_mm_castsi128_ps(iz));
  __m256d r = _mm256_fmsub_pd(z, invc, _mm256_set1_pd(1.0));
  __m256d y0 = _mm256_fmadd_pd(_mm256_cvtepi32_pd(k), _mm256_set1_pd(LOGF_LN2), logc);
  __m256d r2 = _mm256_mul_pd(r, r);
  __m256d y = _mm256_fmadd_pd(_mm256_set1_pd(LOGF_A1), r, _mm256_set1_pd(LOGF_A2));
  y = _mm256_fmadd_pd(_mm256_set1_pd(LOGF_A0), r2, y);
  y = _mm256_fmadd_pd(y, r2, _mm256_add_pd(y0, r));
  return _mm256_cvtpd_ps(y);
}

/* A 32-bit lane mask widened to the 64-bit lanes of a double vector. */
BM2_TARGET __m256d wide_mask(__m128i m) { return _mm256_castsi256_pd(_mm256_cvtepi32_epi64(m)); }

BM2_TARGET void sincosf4(__m128 yf, __m128 *sinp, __m128 *cosp) {
  __m128i top = _mm_and_si128(_mm_srli_epi32(_mm_castps_si128(yf), 20), _mm_set1_epi32(0x7ff));
  __m128i tiny = _mm_cmplt_epi32(top, _mm_set1_epi32(0x398)), small = _mm_cmplt_epi32(top, _mm_set1_epi32(0x3f4));
  __m256d x = _mm256_cvtps_pd(yf);
  __m128i ri = _mm256_cvttpd_epi32(_mm256_mul_pd(x, _mm256_set1_pd(SC_HPI_INV)));
  __m128i n = _mm_andnot_si128(small, _mm_srai_epi32(_mm_add_epi32(ri, _mm_set1_epi32(0x800000)), 24));
  __m256d xr = _mm256_fnmadd_pd(_mm256_cvtepi32_pd(n), _mm256_set1_pd(SC_HPI), x);
  xr = _mm256_blendv_pd(xr, x, wide_mask(small));
  __m128i q1 = _mm_cmpeq_epi32(_mm_and_si128(n, _mm_set1_epi32(1)), _mm_set1_epi32(1));
  __m128i q2 = _mm_cmpeq_epi32(_mm_and_si128(n, _mm_set1_epi32(2)), _mm_set1_epi32(2));
  __m256d one = _mm256_set1_pd(1.0), minus = _mm256_set1_pd(-1.0);
  __m256d xs = _mm256_mul_pd(xr, _mm256_blendv_pd(one, minus, wide_mask(_mm_xor_si128(q1, q2))));
  __m256d x2 = _mm256_mul_pd(xr, xr);
  __m256d cs = _mm256_blendv_pd(one, minus, wide_mask(q2));
  __m256d sd, cd;
  SINCOSF_POLY(_mm256, __m256d, xs, x2, cs, sd, cd);
  __m128 sv = _mm256_cvtpd_ps(sd), cv = _mm256_cvtpd_ps(cd);
  __m128 odd = _mm_castsi128_ps(q1), t = _mm_castsi128_ps(tiny);
  *sinp = _mm_blendv_ps(_mm_blendv_ps(sv, cv, odd), yf, t);
  *cosp = _mm_blendv_ps(_mm_blendv_ps(cv, sv, odd), _mm_set1_ps(1.0f), t);
}

/* Uint32ToFloat of 8 words. */
BM2_TARGET __m256 u32_to_float8(const uint32_t *x) {
  __m256i bits = _mm256_or_si256(_mm256_and_si256(_mm256_loadu_si256((const __m256i *)x), _mm256_set1_epi32(0x7fffff)),
                                 _mm256_set1_epi32(127 << 23));
  return _mm256_sub_ps(_mm256_castsi256_ps(bits), _mm256_set1_ps(1.0f));
}

__attribute__((target("avx2,fma"))) static void bm_parts_avx2(const uint32_t *x0, const uint32_t *x1, int64_t n,
                                                              float *u2, float *sn, float *cs) {
  for (int64_t i = 0; i < n; i += 8) {
    __m256 u1 = u32_to_float8(x0 + i), uv = u32_to_float8(x1 + i);
    u1 = _mm256_blendv_ps(u1, _mm256_set1_ps(1.0e-7f), _mm256_cmp_ps(u1, _mm256_set1_ps(1.0e-7f), _CMP_LT_OQ));
    __m256i ib = _mm256_castps_si256(u1);
    __m256 lg = _mm256_set_m128(logf4(_mm256_extracti128_si256(ib, 1)), logf4(_mm256_castsi256_si128(ib)));
    _mm256_storeu_ps(u2 + i, _mm256_sqrt_ps(_mm256_mul_ps(_mm256_set1_ps(-2.0f), lg)));
    for (int h = 0; h < 2; h++) {
      __m128 half = h ? _mm256_extractf128_ps(uv, 1) : _mm256_castps256_ps128(uv);
      __m128 v1 = _mm256_cvtpd_ps(_mm256_mul_pd(_mm256_set1_pd(2.0f * SF_PI), _mm256_cvtps_pd(half)));
      __m128 s, c;
      sincosf4(v1, &s, &c);
      _mm_storeu_ps(sn + i + 4 * h, s);
      _mm_storeu_ps(cs + i + 4 * h, c);
    }
  }
}

/* The widest exact level on this CPU and C library: 2 AVX-512, 1 AVX2, 0 glibc's own calls.
 * Either vector level needs FMA (glibc then runs its FMA builds) and a glibc release whose
 * results the exhaustive test compared. */
static int bm_level(void) {
  static const char *const verified[] = {"2.36"};
  int ok = 0;
  for (size_t i = 0; i < sizeof verified / sizeof *verified; i++)
    ok |= strcmp(gnu_get_libc_version(), verified[i]) == 0;
  if (!ok || !__builtin_cpu_supports("fma") || !__builtin_cpu_supports("avx2")) return 0;
#ifndef SF_RNG_NO_AVX512
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
    return 2;
#endif
  return 1;
}
#else
#define SF_BM_SIMD 0
#endif

int sf_box_muller_simd(void) {
#if SF_BM_SIMD
  static _Atomic int cached = -1; /* bm_level compares version strings: once per process */
  int level = atomic_load_explicit(&cached, memory_order_relaxed);
  if (level < 0) {
    level = bm_level();
    atomic_store_explicit(&cached, level, memory_order_relaxed);
  }
  return level;
#else
  return 0;
#endif
}

void sf_box_muller_parts_at(int level, const uint32_t *x0, const uint32_t *x1, int64_t n, float *u2, float *sn,
                            float *cs) {
#if SF_BM_SIMD
#ifndef SF_RNG_NO_AVX512
  if (level >= 2) {
    bm_parts_avx512(x0, x1, n, u2, sn, cs);
    return;
  }
#endif
  if (level >= 1) {
    bm_parts_avx2(x0, x1, n, u2, sn, cs);
    return;
  }
#endif
  (void)level;
  for (int64_t i = 0; i < n; i++) {
    float u1 = u32_to_float(x0[i]);
    if (u1 < 1.0e-7f) u1 = 1.0e-7f;
    u2[i] = sqrtf(-2.0f * logf(u1));
    sincosf((float)(2.0f * SF_PI * (double)u32_to_float(x1[i])), &sn[i], &cs[i]);
  }
}

void sf_box_muller_parts(const uint32_t *x0, const uint32_t *x1, int64_t n, float *u2, float *sn, float *cs) {
  sf_box_muller_parts_at(sf_box_muller_simd(), x0, x1, n, u2, sn, cs);
}

/* ---- Philox counters and a batch kernel over LANES independent blocks ---- */

enum { LANES = 64 };
/* Groups per step of the fused uniform float32 kernels. */
enum { FUSED_GROUPS = 32 };
/* Last-level cache size when neither the kernel nor the C library tells it. */
enum { FALLBACK_LLC_BYTES = 32 << 20 };

/* The largest cache of cpu0 as the kernel describes it (sysfs), else glibc's
 * sysconf(_SC_LEVEL3_CACHE_SIZE), which is read from CPUID and can be wrong in a VM (320 MiB for
 * the 32 MiB L3 of the machine issue 14 measured on), else FALLBACK_LLC_BYTES. */
static int64_t llc_bytes(void) {
  int64_t best = 0;
  for (int i = 0; i < 16; i++) {
    char path[64];
    snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/size", i);
    FILE *f = fopen(path, "r");
    if (!f) break;
    long long kib = 0;
    char unit = 0;
    if (fscanf(f, "%lld%c", &kib, &unit) == 2 && unit == 'K' && kib * 1024 > best) best = kib * 1024;
    fclose(f);
  }
  if (best <= 0) {
#ifdef _SC_LEVEL3_CACHE_SIZE
    best = sysconf(_SC_LEVEL3_CACHE_SIZE);
#endif
  }
  return best > 0 ? best : FALLBACK_LLC_BYTES;
}

static _Atomic int64_t stream_min = -1; /* read once per process */

int64_t sf_fill_stream_min_bytes(void) {
  int64_t bytes = atomic_load_explicit(&stream_min, memory_order_relaxed);
  if (bytes < 0) {
    bytes = llc_bytes();
    atomic_store_explicit(&stream_min, bytes, memory_order_relaxed);
  }
  return bytes;
}

void sf_fill_set_stream_min_bytes(int64_t bytes) {
  atomic_store_explicit(&stream_min, bytes > 0 ? bytes : -1, memory_order_relaxed);
}



/* philox_random.h Skip, including its carry rule (see philox.c). */
static inline void ctr_skip(uint32_t c[4], uint64_t n) {
  uint32_t lo = (uint32_t)n, hi = (uint32_t)(n >> 32);
  c[0] += lo;
  if (c[0] < lo) hi++;
  c[1] += hi;
  if (c[1] < hi && ++c[2] == 0) ++c[3];
}

/* philox_random.h SkipOne: 128-bit increment. */
static inline void ctr_inc(uint32_t c[4]) {
  for (int i = 0; i < 4; i++)
    if (++c[i] != 0) break;
}

/* Words of block i are w[0][i]..w[3][i]: structure of arrays so the rounds vectorize. */
typedef struct lane_words {
  uint32_t w[4][LANES];
} lane_words;

/* Counters of the lanes: lane i's is base skipped by (first + i) * stride blocks, as each TF
 * group does. When no lane's low word wraps, Skip((first + i) * stride) only changes ctr[0], by
 * i * stride: then c gets lane 0's counter and the kernel makes the others in registers (stored
 * scalars reloaded as vectors would stall store forwarding); otherwise lw gets them all. */
typedef struct lane_counters {
  const uint32_t *c;   /* lane 0's counter when the lanes differ in ctr[0] only, else NULL */
  uint32_t stride;
  const uint32_t *off; /* if set, lane i's ctr[0] is c[0] + off[i] instead of c[0] + i * stride */
} lane_counters;

static inline lane_counters lanes_counters(const sf_philox *base, uint64_t first, uint64_t stride, uint32_t c[4],
                                           lane_words *lw) {
  memcpy(c, base->ctr, sizeof base->ctr);
  uint64_t span = (LANES - 1) * stride;
  ctr_skip(c, first * stride);
  if ((uint32_t)(first * stride) <= UINT32_MAX - span && c[0] <= UINT32_MAX - span)
    return (lane_counters){c, (uint32_t)stride, NULL};
  for (int i = 0; i < LANES; i++) {
    uint32_t d[4] = {base->ctr[0], base->ctr[1], base->ctr[2], base->ctr[3]};
    ctr_skip(d, (first + (uint64_t)i) * stride);
    for (int j = 0; j < 4; j++) lw->w[j][i] = d[j];
  }
  return (lane_counters){NULL, 0, NULL};
}

/* The key of each round: philox_random.h RaiseKey between rounds. */
static inline void round_keys(const uint32_t key[2], uint32_t ks[10][2]) {
  ks[0][0] = key[0];
  ks[0][1] = key[1];
  for (int r = 1; r < 10; r++) {
    ks[r][0] = ks[r - 1][0] + W32A;
    ks[r][1] = ks[r - 1][1] + W32B;
  }
}

/* philox_random.h operator() on every lane: 10 rounds, key raised between rounds. */
static void lanes_philox_generic(lane_words *lw, const uint32_t key[2], lane_counters lc) {
  for (int i = 0; lc.c && i < LANES; i++) {
    lw->w[0][i] = lc.c[0] + (lc.off ? lc.off[i] : (uint32_t)i * lc.stride);
    for (int j = 1; j < 4; j++) lw->w[j][i] = lc.c[j];
  }
  uint32_t k0 = key[0], k1 = key[1];
  for (int r = 0; r < 10; r++) {
    for (int i = 0; i < LANES; i++) { /* ComputeSingleRound */
      uint64_t p0 = (uint64_t)M4A * lw->w[0][i];
      uint64_t p1 = (uint64_t)M4B * lw->w[2][i];
      uint32_t n0 = (uint32_t)(p1 >> 32) ^ lw->w[1][i] ^ k0;
      uint32_t n2 = (uint32_t)(p0 >> 32) ^ lw->w[3][i] ^ k1;
      lw->w[0][i] = n0;
      lw->w[1][i] = (uint32_t)p1;
      lw->w[2][i] = n2;
      lw->w[3][i] = (uint32_t)p0;
    }
    k0 += W32A;
    k1 += W32B;
  }
}

#if SF_X86_SIMD
/* The same rounds with x86 widening multiplies. pmuludq multiplies the low 32-bit halves of
 * 64-bit lanes into whole 64-bit products, so each block word sits in the low half of a 64-bit
 * lane (8 blocks per AVX-512 register): hi = product >> 32 and lo = the product itself (its high
 * half is ignored by the next pmuludq and never reaches an output). Integer-only: identical bits. */
#ifndef SF_RNG_NO_AVX512
#define AVX512_INLINE __attribute__((target("avx512f"), always_inline)) static inline
enum { CHAINS = 4 }; /* independent chains of 8 blocks per step: they hide the multiply latency */

/* ComputeSingleRound with keys ks[r0..9] on CHAINS chains of 8 blocks. */
AVX512_INLINE void rounds_avx512(__m512i x[CHAINS][4], const uint32_t ks[10][2], int r0) {
  const __m512i ma = _mm512_set1_epi64(M4A), mb = _mm512_set1_epi64(M4B);
  _Pragma("GCC unroll 10") for (int r = r0; r < 10; r++) {
    const __m512i k0 = _mm512_set1_epi32((int)ks[r][0]), k1 = _mm512_set1_epi32((int)ks[r][1]);
    _Pragma("GCC unroll 8") for (int h = 0; h < CHAINS; h++) {
      __m512i q0 = _mm512_mul_epu32(x[h][0], ma), q2 = _mm512_mul_epu32(x[h][2], mb);
      x[h][0] = _mm512_ternarylogic_epi32(_mm512_srli_epi64(q2, 32), x[h][1], k0, 0x96); /* a^b^c */
      x[h][2] = _mm512_ternarylogic_epi32(_mm512_srli_epi64(q0, 32), x[h][3], k1, 0x96);
      x[h][1] = q2;
      x[h][3] = q0;
    }
  }
}

/* All 10 rounds for blocks whose counters differ only in ctr[0]: chain h's low words are ctr0[h],
 * the other words c[1..3]. Rounds 1 and 2 then have one varying product each instead of two
 * (the others are scalars), so a block takes 18 vector multiplies, not 20. */
AVX512_INLINE void blocks_linear_avx512(__m512i x[CHAINS][4], const __m512i ctr0[CHAINS], const uint32_t c[4],
                                        const uint32_t ks[10][2]) {
  const uint64_t p2 = (uint64_t)M4B * c[2];                     /* round 1, word 2 times B */
  const uint32_t x0r1 = (uint32_t)(p2 >> 32) ^ c[1] ^ ks[0][0]; /* round 1's word 0 */
  const uint64_t p0r2 = (uint64_t)M4A * x0r1;                   /* round 2, word 0 times A */
  const __m512i ma = _mm512_set1_epi64(M4A), mb = _mm512_set1_epi64(M4B);
  const __m512i kx2r1 = _mm512_set1_epi32((int)(c[3] ^ ks[0][1]));
  const __m512i kx0r2 = _mm512_set1_epi32((int)((uint32_t)p2 ^ ks[1][0]));
  const __m512i kx2r2 = _mm512_set1_epi32((int)((uint32_t)(p0r2 >> 32) ^ ks[1][1]));
  const __m512i kx2r3 = _mm512_set1_epi32((int)((uint32_t)p0r2 ^ ks[2][1])); /* word 3 is lo(p0r2) */
  _Pragma("GCC unroll 8") for (int h = 0; h < CHAINS; h++) {
    __m512i p0 = _mm512_mul_epu32(ctr0[h], ma);                          /* round 1 */
    __m512i q2 = _mm512_mul_epu32(_mm512_xor_si512(_mm512_srli_epi64(p0, 32), kx2r1), mb); /* round 2 */
    x[h][0] = _mm512_xor_si512(_mm512_srli_epi64(q2, 32), kx0r2);
    x[h][1] = q2;
    x[h][2] = _mm512_xor_si512(p0, kx2r2);
  }
  _Pragma("GCC unroll 8") for (int h = 0; h < CHAINS; h++) { /* round 3 */
    __m512i q0 = _mm512_mul_epu32(x[h][0], ma), q2 = _mm512_mul_epu32(x[h][2], mb);
    x[h][0] = _mm512_ternarylogic_epi32(_mm512_srli_epi64(q2, 32), x[h][1], _mm512_set1_epi32((int)ks[2][0]), 0x96);
    x[h][2] = _mm512_xor_si512(_mm512_srli_epi64(q0, 32), kx2r3);
    x[h][1] = q2;
    x[h][3] = q0;
  }
  rounds_avx512(x, ks, 3);
}

/* LANES blocks, CHAINS * 8 per pass; words move between lw's 32-bit rows and 64-bit lanes. */
__attribute__((target("avx512f"))) static void lanes_philox_avx512(lane_words *lw, const uint32_t key[2],
                                                                   lane_counters lc) {
  uint32_t ks[10][2];
  round_keys(key, ks);
  const __m512i evens = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0);
  for (int b = 0; b < LANES; b += 8 * CHAINS) {
    __m512i x[CHAINS][4];
    if (lc.c) {
      __m512i ctr0[CHAINS];
      for (int h = 0; h < CHAINS; h++) { /* ctr[0] + i * stride or + off[i] (mod 2^32 in the low halves) */
        __m512i i = _mm512_add_epi64(_mm512_set1_epi64(b + 8 * h), _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0));
        __m512i add = lc.off ? _mm512_cvtepu32_epi64(_mm256_loadu_si256((const __m256i *)&lc.off[b + 8 * h]))
                             : _mm512_mul_epu32(i, _mm512_set1_epi64(lc.stride));
        ctr0[h] = _mm512_add_epi64(_mm512_set1_epi64(lc.c[0]), add);
      }
      blocks_linear_avx512(x, ctr0, lc.c, ks);
    } else {
      for (int h = 0; h < CHAINS; h++)
        for (int j = 0; j < 4; j++)
          x[h][j] = _mm512_cvtepu32_epi64(_mm256_loadu_si256((const __m256i *)&lw->w[j][b + 8 * h]));
      rounds_avx512(x, ks, 0);
    }
    for (int h = 0; h < CHAINS; h += 2)
      for (int j = 0; j < 4; j++)
        _mm512_storeu_si512(&lw->w[j][b + 8 * h], _mm512_permutex2var_epi32(x[h][j], evens, x[h + 1][j]));
  }
}
#endif

/* (hi, lo) halves of a * m for 8 lanes. */
__attribute__((target("avx2"))) static inline void mul_hilo_avx2(__m256i a, __m256i m,
                                                                 __m256i *hi, __m256i *lo) {
  __m256i e = _mm256_mul_epu32(a, m), o = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), m);
  *lo = _mm256_blend_epi32(e, _mm256_slli_epi64(o, 32), 0xAA);
  *hi = _mm256_blend_epi32(_mm256_srli_epi64(e, 32), o, 0xAA);
}

__attribute__((target("avx2"))) static void lanes_philox_avx2(lane_words *lw,
                                                              const uint32_t key[2],
                                                              lane_counters lc) {
  const __m256i ma = _mm256_set1_epi32((int)M4A), mb = _mm256_set1_epi32((int)M4B);
  const __m256i iota = _mm256_set_epi32(7, 6, 5, 4, 3, 2, 1, 0);
  for (int h = 0; h < LANES; h += 16) { /* two 8-lane chains at a time */
    __m256i c[2][4];
    for (int q = 0; q < 2; q++)
      for (int j = 0; j < 4; j++)
        c[q][j] = !lc.c ? _mm256_loadu_si256((const __m256i *)&lw->w[j][h + 8 * q])
                  : j > 0 ? _mm256_set1_epi32((int)lc.c[j])
                  : lc.off ? _mm256_add_epi32(_mm256_set1_epi32((int)lc.c[0]),
                                              _mm256_loadu_si256((const __m256i *)&lc.off[h + 8 * q]))
                          : _mm256_add_epi32(_mm256_set1_epi32((int)lc.c[0]),
                                             _mm256_mullo_epi32(_mm256_add_epi32(iota, _mm256_set1_epi32(h + 8 * q)),
                                                                _mm256_set1_epi32((int)lc.stride)));
    uint32_t k0 = key[0], k1 = key[1];
    for (int r = 0; r < 10; r++) {
      __m256i vk0 = _mm256_set1_epi32((int)k0), vk1 = _mm256_set1_epi32((int)k1);
      for (int q = 0; q < 2; q++) {
        __m256i hi0, lo0, hi2, lo2;
        mul_hilo_avx2(c[q][0], ma, &hi0, &lo0);
        mul_hilo_avx2(c[q][2], mb, &hi2, &lo2);
        c[q][0] = _mm256_xor_si256(_mm256_xor_si256(hi2, c[q][1]), vk0);
        c[q][2] = _mm256_xor_si256(_mm256_xor_si256(hi0, c[q][3]), vk1);
        c[q][1] = lo2;
        c[q][3] = lo0;
      }
      k0 += W32A;
      k1 += W32B;
    }
    for (int q = 0; q < 2; q++)
      for (int j = 0; j < 4; j++)
        _mm256_storeu_si256((__m256i *)&lw->w[j][h + 8 * q], c[q][j]);
  }
}

/* ---- Fused uniform float32 kernels: counters made in registers, 10 rounds, Uint32ToFloat and
 * the transpose to group order, stored straight to the output (no lane_words round trip). */

#ifndef SF_RNG_NO_AVX512
/* (x & 0x7fffff) | 0x3f800000 reinterpreted, minus 1.0f: Uint32ToFloat, exact. */
AVX512_INLINE __m512 fused_float_avx512(__m512i x) {
  __m512i bits = _mm512_ternarylogic_epi32(x, _mm512_set1_epi32(0x7fffff),
                                           _mm512_set1_epi32(127 << 23), 0xEA); /* (a&b)|c */
  return _mm512_sub_ps(_mm512_castsi512_ps(bits), _mm512_set1_ps(1.0f));
}

/* `steps` runs of FUSED_GROUPS consecutive groups from counter c (ctr[0] + i must not wrap).
 * The round keys are read as embedded broadcasts. stream: dst is 64-byte aligned, use
 * non-temporal stores. On the Zen 4 of issue 14 a step is about 275 vector instructions for 32
 * blocks: 4.3 cycles a block at its issue limit (4 pipes, 2 slots per 512-bit op), measured 4.4;
 * the 18 multiplies alone take 2.25 (8 products a cycle). */
AVX512_INLINE void uniform_fused_avx512_at(const uint32_t c[4], const uint32_t ks[10][2], float *dst, int64_t steps,
                                           int stream) {
  const __m512i lo = _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0);
  const __m512i hi = _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4);
  __m512i ctr = _mm512_add_epi64(_mm512_set1_epi64(c[0]), _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0));
  for (int64_t s = 0; s < steps; s++) {
    __m512i x[CHAINS][4], ctr0[CHAINS];
    for (int h = 0; h < CHAINS; h++) ctr0[h] = _mm512_add_epi64(ctr, _mm512_set1_epi64(8 * h));
    blocks_linear_avx512(x, ctr0, c, ks);
    _Pragma("GCC unroll 8") for (int h = 0; h < CHAINS; h++, dst += 32) {
      /* qword b of t01 = (w0, w1) of block b, of t23 = (w2, w3) */
      __m512i t01 = _mm512_mask_shuffle_epi32(x[h][0], 0xAAAA, x[h][1], 0xA0);
      __m512i t23 = _mm512_mask_shuffle_epi32(x[h][2], 0xAAAA, x[h][3], 0xA0);
      __m512 f0 = fused_float_avx512(_mm512_permutex2var_epi64(t01, lo, t23));
      __m512 f1 = fused_float_avx512(_mm512_permutex2var_epi64(t01, hi, t23));
      if (stream) {
        _mm512_stream_ps(dst, f0);
        _mm512_stream_ps(dst + 16, f1);
      } else {
        _mm512_storeu_ps(dst, f0);
        _mm512_storeu_ps(dst + 16, f1);
      }
    }
    ctr = _mm512_add_epi64(ctr, _mm512_set1_epi64(8 * CHAINS));
  }
}

__attribute__((target("avx512f"))) static void uniform_fused_avx512(const uint32_t c[4], const uint32_t ks[10][2],
                                                                    float *dst, int64_t steps, int stream) {
  if (stream) uniform_fused_avx512_at(c, ks, dst, steps, 1);
  else uniform_fused_avx512_at(c, ks, dst, steps, 0);
}
#endif

/* The same with 4 blocks per register, two passes of 4 chains of 4 blocks, one step. */
__attribute__((target("avx2"), always_inline)) static inline void uniform_fused_avx2_step(
    const uint32_t c[4], const uint32_t ks[10][2], float *dst, int stream) {
  enum { CH = 4 };
  const __m256i ma = _mm256_set1_epi64x(M4A), mb = _mm256_set1_epi64x(M4B);
  const __m256i mant = _mm256_set1_epi32(0x7fffff), one_bits = _mm256_set1_epi32(127 << 23);
  const __m256 one = _mm256_set1_ps(1.0f);
  const __m256i c0 = _mm256_add_epi64(_mm256_set1_epi64x(c[0]), _mm256_set_epi64x(3, 2, 1, 0));
  for (int pass = 0; pass < FUSED_GROUPS / (4 * CH); pass++) {
    __m256i x[CH][4];
    _Pragma("GCC unroll 8") for (int h = 0; h < CH; h++) {
      x[h][0] = _mm256_add_epi64(c0, _mm256_set1_epi64x(4 * (CH * pass + h)));
      x[h][1] = _mm256_set1_epi64x(c[1]);
      x[h][2] = _mm256_set1_epi64x(c[2]);
      x[h][3] = _mm256_set1_epi64x(c[3]);
    }
    _Pragma("GCC unroll 10") for (int r = 0; r < 10; r++) {
      const __m256i k0 = _mm256_set1_epi32((int)ks[r][0]), k1 = _mm256_set1_epi32((int)ks[r][1]);
      _Pragma("GCC unroll 8") for (int h = 0; h < CH; h++) {
        __m256i p0 = _mm256_mul_epu32(x[h][0], ma), p2 = _mm256_mul_epu32(x[h][2], mb);
        x[h][0] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p2, 32), x[h][1]), k0);
        x[h][2] = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p0, 32), x[h][3]), k1);
        x[h][1] = p2;
        x[h][3] = p0;
      }
    }
    _Pragma("GCC unroll 8") for (int h = 0; h < CH; h++, dst += 16) {
      __m256i t01 = _mm256_blend_epi32(x[h][0], _mm256_slli_epi64(x[h][1], 32), 0xAA);
      __m256i t23 = _mm256_blend_epi32(x[h][2], _mm256_slli_epi64(x[h][3], 32), 0xAA);
      __m256i u0 = _mm256_unpacklo_epi64(t01, t23), u1 = _mm256_unpackhi_epi64(t01, t23);
      __m256i v[2] = {_mm256_permute2x128_si256(u0, u1, 0x20),
                      _mm256_permute2x128_si256(u0, u1, 0x31)};
      _Pragma("GCC unroll 2") for (int q = 0; q < 2; q++) {
        __m256i bits = _mm256_or_si256(_mm256_and_si256(v[q], mant), one_bits);
        __m256 f = _mm256_sub_ps(_mm256_castsi256_ps(bits), one);
        if (stream) _mm256_stream_ps(dst + 8 * q, f);
        else _mm256_storeu_ps(dst + 8 * q, f);
      }
    }
  }
}

__attribute__((target("avx2"))) static void uniform_fused_avx2(const uint32_t c[4],
                                                               const uint32_t ks[10][2],
                                                               float *dst, int64_t steps,
                                                               int stream) {
  for (int64_t s = 0; s < steps; s++, dst += 4 * FUSED_GROUPS) {
    const uint32_t cs[4] = {c[0] + (uint32_t)(s * FUSED_GROUPS), c[1], c[2], c[3]};
    uniform_fused_avx2_step(cs, ks, dst, stream);
  }
}
#endif

/* The blocks of LANES counters (lc, or lw when lc.c is NULL) into lw. */
typedef void (*philox_kernel)(lane_words *lw, const uint32_t key[2], lane_counters lc);

/* Widest kernel this CPU runs; all give the same words. */
static philox_kernel pick_kernel(void) {
#if SF_X86_SIMD
#ifndef SF_RNG_NO_AVX512
  if (__builtin_cpu_supports("avx512f")) return lanes_philox_avx512;
#endif
  if (__builtin_cpu_supports("avx2")) return lanes_philox_avx2;
#endif
  return lanes_philox_generic;
}

static inline void lanes_blocks_with(philox_kernel kernel, const sf_philox *base,
                                     uint64_t first, uint64_t stride, lane_words *lw) {
  uint32_t c[4];
  kernel(lw, base->key, lanes_counters(base, first, stride, c, lw));
}

static inline void lanes_blocks(const sf_philox *base, uint64_t first, uint64_t stride,
                                lane_words *lw) {
  lanes_blocks_with(pick_kernel(), base, first, stride, lw);
}

/* ---- SingleSampleAdapter<PhiloxRandom>: words one at a time ---- */

typedef struct single_sampler {
  sf_philox gen;
  uint32_t buf[4];
  int used;
} single_sampler;

static void single_init(single_sampler *s, const sf_philox *base, uint64_t skip) {
  s->gen = *base;
  ctr_skip(s->gen.ctr, skip);
  s->used = 4;
}

/* Starts with an already computed first block (its counter was base + skip). */
static void single_init_with(single_sampler *s, const sf_philox *base, uint64_t skip,
                             const lane_words *lw, int lane) {
  single_init(s, base, skip);
  for (int j = 0; j < 4; j++) s->buf[j] = lw->w[j][lane];
  ctr_inc(s->gen.ctr);
  s->used = 0;
}

static inline uint32_t single_next(single_sampler *s) {
  if (s->used == 4) {
    sf_philox_next(&s->gen, s->buf);
    s->used = 0;
  }
  return s->buf[s->used++];
}

/* ---- group ranges ---- */

int64_t sf_dist_groups(int64_t n, int is64) {
  int64_t g = is64 ? 2 : 4;
  return n <= 0 ? 0 : (n + g - 1) / g;
}

/* Clamps [g0, g1) to the groups of n; returns 0 when empty. */
static int clamp_groups(int64_t n, int is64, int64_t *g0, int64_t *g1) {
  int64_t total = sf_dist_groups(n, is64);
  if (*g0 < 0) *g0 = 0;
  if (*g1 > total) *g1 = total;
  return *g0 < *g1;
}

/* Values group g writes: G, or fewer for the last partial group. */
static inline int group_len(int64_t n, int64_t g, int gsize) {
  int64_t left = n - g * gsize;
  return left < gsize ? (int)left : gsize;
}

/* ---- float32 (G = 4) ---- */

/* UniformDistribution<PhiloxRandom, float>: element i = Uint32ToFloat(word i). */
static void uniform_f32_lanes(const lane_words *lw, int lane, float v[4]) {
  for (int j = 0; j < 4; j++) v[j] = u32_to_float(lw->w[j][lane]);
}

/* Bit i set when |f[i]| < 2 (TruncatedNormalDistribution's kTruncateValue), i < 4. */
static inline unsigned below2_mask4(const float f[4]) {
#if SF_X86_SIMD
  __m128 a = _mm_andnot_ps(_mm_set1_ps(-0.0f), _mm_loadu_ps(f));
  return (unsigned)_mm_movemask_ps(_mm_cmplt_ps(a, _mm_set1_ps(2.0f)));
#else
  return (unsigned)(fabsf(f[0]) < 2.0f) | (unsigned)(fabsf(f[1]) < 2.0f) << 1 | (unsigned)(fabsf(f[2]) < 2.0f) << 2 |
         (unsigned)(fabsf(f[3]) < 2.0f) << 3;
#endif
}

/* NormalDistribution<PhiloxRandom, float> on every lane: Box–Muller on words (0,1) and (2,3),
 * bm[i] = group i's 4 values, all lanes at once (sf_box_muller_parts). Returns the short groups
 * for the truncated normal: bit i set when a value of group i has |x| >= 2 (kTruncateValue),
 * found in registers (reloading bm as wider vectors would stall store forwarding). */
static uint64_t normal_f32_batch(const lane_words *lw, float bm[LANES][4]) {
  uint64_t bad = 0;
  float u2[2][LANES], sn[2][LANES], cs[2][LANES];
  for (int h = 0; h < 2; h++) sf_box_muller_parts(lw->w[2 * h], lw->w[2 * h + 1], LANES, u2[h], sn[h], cs[h]);
#if SF_X86_SIMD
  for (int i = 0; i < LANES; i += 4) { /* 4 lanes' values, transposed to 4 groups (whole stores) */
    __m128 u0 = _mm_loadu_ps(&u2[0][i]), u1 = _mm_loadu_ps(&u2[1][i]);
    __m128 r0 = _mm_mul_ps(_mm_loadu_ps(&sn[0][i]), u0), r1 = _mm_mul_ps(_mm_loadu_ps(&cs[0][i]), u0);
    __m128 r2 = _mm_mul_ps(_mm_loadu_ps(&sn[1][i]), u1), r3 = _mm_mul_ps(_mm_loadu_ps(&cs[1][i]), u1);
    const __m128 sign = _mm_set1_ps(-0.0f), two = _mm_set1_ps(2.0f);
    __m128 ok = _mm_and_ps(_mm_cmplt_ps(_mm_andnot_ps(sign, r0), two), _mm_cmplt_ps(_mm_andnot_ps(sign, r1), two));
    ok = _mm_and_ps(ok, _mm_and_ps(_mm_cmplt_ps(_mm_andnot_ps(sign, r2), two), _mm_cmplt_ps(_mm_andnot_ps(sign, r3), two)));
    bad |= (uint64_t)(~_mm_movemask_ps(ok) & 0xf) << i;
    _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
    _mm_storeu_ps(bm[i], r0);
    _mm_storeu_ps(bm[i + 1], r1);
    _mm_storeu_ps(bm[i + 2], r2);
    _mm_storeu_ps(bm[i + 3], r3);
  }
#else
  for (int i = 0; i < LANES; i++) {
    for (int h = 0; h < 2; h++) {
      bm[i][2 * h] = sn[h][i] * u2[h][i];
      bm[i][2 * h + 1] = cs[h][i] * u2[h][i];
    }
    bad |= (uint64_t)(below2_mask4(bm[i]) != 0xf) << i;
  }
#endif
  return bad;
}

/* TruncatedNormalDistribution<SingleSampleAdapter<PhiloxRandom>, float>, with v[0..idx)
 * already accepted: Box–Muller on the next word pairs until 4 values have |x| < 2. */
static void trunc_f32_group(single_sampler *s, float v[4], int idx) {
  for (;;) {
    uint32_t x0 = single_next(s);
    uint32_t x1 = single_next(s);
    float f[2];
    box_muller_f(x0, x1, &f[0], &f[1]);
    for (int i = 0; i < 2; i++) {
      if (fabsf(f[i]) < 2.0f) {
        v[idx++] = f[i];
        if (idx == 4) return;
      }
    }
  }
}

/* Truncated groups' candidates: group i has cand[i] = its first block's 4 values, then its
 * second block's; sel[i] gets the first four with |x| < 2 in order, got[i] how many there are
 * (up to 8; past the last accepted one sel[i] holds anything). */
static void trunc_select_generic(const float (*first)[4], const float (*second)[4], int np, float (*sel)[4],
                                 int *got) {
  for (int i = 0; i < np; i++) {
    float cand[9] = {0};
    memcpy(cand, first[i], sizeof first[i]);
    memcpy(cand + 4, second[i], sizeof second[i]);
    unsigned ok = below2_mask4(cand) | below2_mask4(cand + 4) << 4;
    got[i] = 0;
    for (int k = 0; k < 4; k++, ok &= ok - 1) { /* branch-free: an empty ok picks cand[8] */
      sel[i][k] = cand[__builtin_ctz(ok | 0x100)];
      got[i] += ok != 0;
    }
  }
}

#if SF_X86_SIMD && !defined(SF_RNG_NO_AVX512)
#define TRUNC_AVX512 __attribute__((target("avx512f,avx512vl,popcnt")))
/* Accepted candidates packed in order by vcompressps. */
TRUNC_AVX512 static void trunc_select_avx512(const float (*first)[4], const float (*second)[4], int np,
                                             float (*sel)[4], int *got) {
  for (int i = 0; i < np; i++) {
    __m256 cand = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(first[i])), _mm_loadu_ps(second[i]), 1);
    __mmask8 ok = _mm256_cmp_ps_mask(_mm256_andnot_ps(_mm256_set1_ps(-0.0f), cand), _mm256_set1_ps(2.0f), _CMP_LT_OQ);
    _mm_storeu_ps(sel[i], _mm256_castps256_ps128(_mm256_maskz_compress_ps(ok, cand)));
    got[i] = _mm_popcnt_u32(ok);
  }
}

static int trunc_avx512(void) { return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl"); }
#endif

/* Truncated-normal groups still short of values after their first block, up to LANES. */
typedef struct trunc_queue {
  int n;
  int64_t g[LANES];
  uint32_t off[LANES];   /* (uint32_t)(g * 256 + 1): the second block's ctr[0] offset */
  float first[LANES][4]; /* the Box–Muller values of each one's first block */
} trunc_queue;

/* Counter of block `block` of group g's stream: Skip(g * 256), then `block` SkipOnes. */
static void trunc_counter(const sf_philox *base, int64_t g, int block, uint32_t c[4]) {
  memcpy(c, base->ctr, sizeof base->ctr);
  ctr_skip(c, (uint64_t)g * 256u);
  for (int b = 0; b < block; b++) ctr_inc(c);
}

/* Finishes the queued groups (their first block used): their second blocks in one lane batch,
 * then, for the rare group still short, word by word from its third block; writes them out. */
static void trunc_f32_finish(const sf_philox *base, trunc_queue *q, float *out, int64_t n) {
  lane_words lw;
  lane_counters lc = {base->ctr, 0, q->off};
  if ((uint64_t)q->g[q->n - 1] * 256u + 1u <= UINT32_MAX - base->ctr[0]) {
    /* queued in increasing g, so no lane's ctr[0] wraps: the kernel adds q->off */
    for (int i = q->n; i < LANES; i++) q->off[i] = 1; /* unused lanes */
  } else {
    lc = (lane_counters){NULL, 0, NULL};
    for (int i = 0; i < LANES; i++) {
      uint32_t c[4];
      trunc_counter(base, i < q->n ? q->g[i] : 0, 1, c);
      for (int j = 0; j < 4; j++) lw.w[j][i] = c[j];
    }
  }
  pick_kernel()(&lw, base->key, lc);
  float bm[LANES][4], sel[LANES][4];
  int got[LANES];
  normal_f32_batch(&lw, bm);
#if SF_X86_SIMD && !defined(SF_RNG_NO_AVX512)
  if (trunc_avx512()) trunc_select_avx512(q->first, bm, q->n, sel, got);
  else
#endif
    trunc_select_generic(q->first, bm, q->n, sel, got);
  for (int i = 0; i < q->n; i++) { /* values go straight to a whole group's slot */
    int len = group_len(n, q->g[i], 4);
    float *dst = out + q->g[i] * 4;
    if (got[i] < 4) { /* rare: a third block and beyond, word by word */
      single_sampler s;
      single_init(&s, base, 0);
      trunc_counter(base, q->g[i], 2, s.gen.ctr);
      trunc_f32_group(&s, sel[i], got[i]);
    }
    if (len == 4) memcpy(dst, sel[i], sizeof sel[i]); /* a fixed size: no libc call */
    else memcpy(dst, sel[i], (size_t)len * sizeof *dst);
  }
  q->n = 0;
}

/* Uniform float32 over full groups [g, g + count) through the lane batch (any counters). */
static void uniform_f32_lanes_range(philox_kernel kernel, const sf_philox *base, float *out,
                                    int64_t g, int64_t count) {
  lane_words lw;
  for (; count > 0; g += LANES, count -= LANES) {
    lanes_blocks_with(kernel, base, (uint64_t)g, 1, &lw);
    int lanes = count < LANES ? (int)count : LANES;
    float *dst = out + g * 4;
    for (int i = 0; i < lanes; i++)
      for (int j = 0; j < 4; j++) dst[i * 4 + j] = u32_to_float(lw.w[j][i]);
  }
}

#if SF_X86_SIMD
/* `steps` runs of FUSED_GROUPS groups from counter c, whose ctr[0] must not wrap. */
typedef void (*uniform_kernel)(const uint32_t c[4], const uint32_t ks[10][2], float *dst,
                               int64_t steps, int stream);

static uniform_kernel pick_uniform_kernel(void) {
#ifndef SF_RNG_NO_AVX512
  if (__builtin_cpu_supports("avx512f")) return uniform_fused_avx512;
#endif
  if (__builtin_cpu_supports("avx2")) return uniform_fused_avx2;
  return NULL;
}
#endif

/* Uniform float32 over groups [g0, g1), all of them full, of an output of n floats: the hot
 * loop. An output larger than the last-level cache is streamed, whichever part a thread fills. */
static void uniform_f32_full(const sf_philox *base, float *out, int64_t n, int64_t g0, int64_t g1) {
  philox_kernel kernel = pick_kernel();
#if SF_X86_SIMD
  uniform_kernel fused = pick_uniform_kernel();
  if (fused && g1 - g0 >= FUSED_GROUPS) {
    uint32_t ks[10][2];
    round_keys(base->key, ks);
    int stream = 0;
    if (n * 4 > sf_fill_stream_min_bytes() && ((uintptr_t)out & 15) == 0) {
      /* groups up to the next 64-byte boundary go the lane way, then stream whole lines */
      int64_t head = (int64_t)((64 - ((uintptr_t)(out + g0 * 4) & 63)) & 63) / 16;
      if (head > 0) uniform_f32_lanes_range(kernel, base, out, g0, head);
      g0 += head;
      stream = 1;
    }
    while (g1 - g0 >= FUSED_GROUPS) {
      uint32_t c[4] = {base->ctr[0], base->ctr[1], base->ctr[2], base->ctr[3]};
      ctr_skip(c, (uint64_t)g0);
      int64_t room = (int64_t)(((uint64_t)UINT32_MAX - c[0] + 1) / FUSED_GROUPS); /* before ctr[0] wraps */
      int64_t steps = (g1 - g0) / FUSED_GROUPS < room ? (g1 - g0) / FUSED_GROUPS : room;
      if (steps > 0) {
        fused(c, ks, out + g0 * 4, steps, stream);
      } else { /* the run straddling the wrap carries into ctr[1..3]: the lane way */
        steps = 1;
        uniform_f32_lanes_range(kernel, base, out, g0, FUSED_GROUPS);
      }
      g0 += steps * FUSED_GROUPS;
    }
    if (stream) _mm_sfence(); /* order the non-temporal stores before the caller's release */
  }
#else
  (void)n;
#endif
  if (g1 > g0) uniform_f32_lanes_range(kernel, base, out, g0, g1 - g0);
}

/* Truncated normal, groups g .. g + lanes - 1 whose first-block values are vals (already in
 * their slots when `in_place`), `bad` the short ones (normal_f32_batch). A group whose four
 * values all have |x| < 2 (83%) is done (or stored); any other group is queued, and its slot
 * rewritten when LANES queued groups are finished. */
static void trunc_f32_first(const sf_philox *base, float (*vals)[4], int in_place, uint64_t bad, int64_t g,
                            int lanes, trunc_queue *q, float *out, int64_t n) {
  if (lanes < LANES) bad &= ((uint64_t)1 << lanes) - 1;
  if (!in_place) {
    for (int i = 0; i < lanes; i++) {
      if (group_len(n, g + i, 4) == 4) memcpy(out + (g + i) * 4, vals[i], sizeof *vals);
      else bad |= (uint64_t)1 << i; /* the partial last group is written by the finish */
    }
  }
  for (; bad; bad &= bad - 1) {
    int i = __builtin_ctzll(bad);
    q->g[q->n] = g + i;
    q->off[q->n] = (uint32_t)((uint64_t)(g + i) * 256u + 1u);
    memcpy(q->first[q->n], vals[i], sizeof q->first[q->n]);
    if (++q->n == LANES) trunc_f32_finish(base, q, out, n);
  }
}

/* random_op_cpu.h FillPhiloxRandomTask over groups [g0, g1), LANES groups at a time. */
static void fill_f32_range(sf_dist d, const sf_philox *base, float *out, int64_t n, int64_t g0,
                           int64_t g1) {
  uint64_t stride = d == SF_DIST_TRUNCATED_NORMAL ? 256 : 1;
  lane_words lw;
  if (d == SF_DIST_UNIFORM) { /* full groups here; a partial last one is done below */
    int64_t full = n / 4 < g1 ? n / 4 : g1;
    if (full > g0) {
      uniform_f32_full(base, out, n, g0, full);
      g0 = full;
    }
  }
  float bm[LANES][4];
  trunc_queue queue;
  queue.n = 0;
  for (int64_t g = g0; g < g1; g += LANES) {
    lanes_blocks(base, (uint64_t)g, stride, &lw);
    int lanes = g1 - g < LANES ? (int)(g1 - g) : LANES;
    int whole = lanes == LANES && (g + LANES) * 4 <= n; /* 64 whole groups: Box–Muller in place */
    float(*vals)[4] = whole ? (float(*)[4])(out + g * 4) : bm;
    uint64_t bad = d != SF_DIST_UNIFORM ? normal_f32_batch(&lw, vals) : 0;
    if (d == SF_DIST_NORMAL && whole) continue;
    if (d == SF_DIST_TRUNCATED_NORMAL) {
      trunc_f32_first(base, vals, whole, bad, g, lanes, &queue, out, n);
      continue;
    }
    for (int i = 0; i < lanes; i++) {
      int64_t gi = g + i;
      int len = group_len(n, gi, 4);
      float v[4], *dst = len == 4 ? out + gi * 4 : v;
      if (d == SF_DIST_UNIFORM) uniform_f32_lanes(&lw, i, dst);
      else memcpy(dst, bm[i], sizeof bm[i]);
      if (dst == v) memcpy(out + gi * 4, v, (size_t)len * sizeof *v);
    }
  }
  if (queue.n > 0) trunc_f32_finish(base, &queue, out, n);
}

void sf_fill_f32(sf_dist d, const sf_philox *base, float *out, int64_t n, int64_t g0,
                 int64_t g1) {
  if (clamp_groups(n, 0, &g0, &g1)) fill_f32_range(d, base, out, n, g0, g1);
}

/* ---- float64 (G = 2) ---- */

/* UniformDistribution<PhiloxRandom, double>: Uint64ToDouble(w[2i], w[2i+1]). */
static void uniform_f64_lanes(const lane_words *lw, int lane, double v[2]) {
  v[0] = u64_to_double(lw->w[0][lane], lw->w[1][lane]);
  v[1] = u64_to_double(lw->w[2][lane], lw->w[3][lane]);
}

/* NormalDistribution<PhiloxRandom, double>: one block -> BoxMullerDouble(w0, w1, w2, w3). */
static void normal_f64_lanes(const lane_words *lw, int lane, double v[2]) {
  box_muller_d(lw->w[0][lane], lw->w[1][lane], lw->w[2][lane], lw->w[3][lane], &v[0], &v[1]);
}

/* TruncatedNormalDistribution<SingleSampleAdapter<PhiloxRandom>, double>. */
static void trunc_f64_group(single_sampler *s, double v[2]) {
  int idx = 0;
  for (;;) {
    uint32_t x[4];
    for (int j = 0; j < 4; j++) x[j] = single_next(s);
    double d[2];
    box_muller_d(x[0], x[1], x[2], x[3], &d[0], &d[1]);
    for (int i = 0; i < 2; i++) {
      if (fabs(d[i]) < 2.0) {
        v[idx++] = d[i];
        if (idx == 2) return;
      }
    }
  }
}

/* Double groups: kGeneratorSkipPerOutputGroup = 2 * 256 / 4 = 128 blocks apart. */
static void trunc_f64_lanes(const sf_philox *base, const lane_words *lw, int64_t g, int lane,
                            double v[2]) {
  single_sampler s;
  single_init_with(&s, base, (uint64_t)g * 128u, lw, lane);
  trunc_f64_group(&s, v);
}

static void fill_f64_range(sf_dist d, const sf_philox *base, double *out, int64_t n, int64_t g0,
                           int64_t g1) {
  uint64_t stride = d == SF_DIST_TRUNCATED_NORMAL ? 128 : 1;
  lane_words lw;
  for (int64_t g = g0; g < g1; g += LANES) {
    lanes_blocks(base, (uint64_t)g, stride, &lw);
    int lanes = g1 - g < LANES ? (int)(g1 - g) : LANES;
    for (int i = 0; i < lanes; i++) {
      int64_t gi = g + i;
      int len = group_len(n, gi, 2);
      double v[2], *dst = len == 2 ? out + gi * 2 : v;
      if (d == SF_DIST_UNIFORM) uniform_f64_lanes(&lw, i, dst);
      else if (d == SF_DIST_NORMAL) normal_f64_lanes(&lw, i, dst);
      else trunc_f64_lanes(base, &lw, gi, i, dst);
      if (dst == v) memcpy(out + gi * 2, v, (size_t)len * sizeof *v);
    }
  }
}

void sf_fill_f64(sf_dist d, const sf_philox *base, double *out, int64_t n, int64_t g0,
                 int64_t g1) {
  if (clamp_groups(n, 1, &g0, &g1)) fill_f64_range(d, base, out, n, g0, g1);
}

/* ---- several threads (random_op_cpu.h FillPhiloxRandom: Shard over the groups) ---- */

/* A shard's least groups: about 30 microseconds of uniform draws, 100 of normal ones;
 * shards start at multiples of LANES groups, so only the last shard has a partial batch. */
enum { FILL_SHARD_GROUPS = 1 << 14 };

typedef struct fill_job {
  sf_dist d;
  const sf_philox *base;
  void *out;
  int64_t n;
  bool f64;
} fill_job;

static void fill_shard(void *ctx, int64_t g0, int64_t g1) {
  const fill_job *j = ctx;
  if (j->f64) sf_fill_f64(j->d, j->base, j->out, j->n, g0, g1);
  else sf_fill_f32(j->d, j->base, j->out, j->n, g0, g1);
}

void sf_fill_f32_threads(sf_dist d, const sf_philox *base, float *out, int64_t n, int threads) {
  fill_job j = {d, base, out, n, false};
  sf_parallel_for(threads, sf_dist_groups(n, 0), FILL_SHARD_GROUPS, LANES, fill_shard, &j);
}

void sf_fill_f64_threads(sf_dist d, const sf_philox *base, double *out, int64_t n, int threads) {
  fill_job j = {d, base, out, n, true};
  sf_parallel_for(threads, sf_dist_groups(n, 1), FILL_SHARD_GROUPS, LANES, fill_shard, &j);
}

/* ---- integers (UniformDistribution<PhiloxRandom, int32/int64>) ---- */

/* lo + (bits % range) in unsigned arithmetic (SignedAdd), no rejection. */
void sf_fill_int32(const sf_philox *base, int32_t lo, int32_t hi, int32_t *out, int64_t n) {
  uint32_t range = (uint32_t)hi - (uint32_t)lo;
  int64_t groups = sf_dist_groups(n, 0);
  lane_words lw;
  for (int64_t g = 0; g < groups; g += LANES) {
    lanes_blocks(base, (uint64_t)g, 1, &lw);
    for (int i = 0; i < LANES && g + i < groups; i++) {
      int len = group_len(n, g + i, 4);
      for (int j = 0; j < len; j++)
        out[(g + i) * 4 + j] = (int32_t)((uint32_t)lo + lw.w[j][i] % range);
    }
  }
}

void sf_fill_int64(const sf_philox *base, int64_t lo, int64_t hi, int64_t *out, int64_t n) {
  uint64_t range = (uint64_t)hi - (uint64_t)lo;
  int64_t groups = sf_dist_groups(n, 1);
  lane_words lw;
  for (int64_t g = 0; g < groups; g += LANES) {
    lanes_blocks(base, (uint64_t)g, 1, &lw);
    for (int i = 0; i < LANES && g + i < groups; i++) {
      int len = group_len(n, g + i, 2);
      for (int j = 0; j < len; j++) {
        uint64_t bits = lw.w[2 * j][i] | (uint64_t)lw.w[2 * j + 1][i] << 32;
        out[(g + i) * 2 + j] = (int64_t)((uint64_t)lo + bits % range);
      }
    }
  }
}

/* ---- RandomShuffle (random_shuffle_op.cc) ---- */

/* Forward Fisher–Yates: swap(i, i + single() % (n - i)) for i in [0, n-2]. */
void sf_shuffle_perm(const sf_philox *base, int64_t *perm, int64_t n) {
  for (int64_t i = 0; i < n; i++) perm[i] = i;
  single_sampler s;
  single_init(&s, base, 0);
  for (int64_t i = 0; i + 1 < n; i++) {
    int64_t j = i + (int64_t)(single_next(&s) % (uint32_t)(n - i));
    int64_t t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
}

/* GuardedPhiloxRandom::ReserveSamples32(n - 1) = ceil((n - 1) / 4) blocks. */
uint64_t sf_shuffle_blocks(int64_t n) {
  return n <= 1 ? 0 : ((uint64_t)(n - 1) + 3) / 4;
}
