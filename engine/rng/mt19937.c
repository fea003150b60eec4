/* mt19937.c — MT19937 as CPython's random.Random and NumPy's legacy RandomState use it.
 * CPython side feeds TF's eager op seeds (randint); NumPy side models np.random.seed/normal/
 * shuffle used by Keras' v1 fit loop. Spec §6, §11. */
#include "rng.h"

#include <math.h>

enum { MT_N = 624, MT_M = 397 };
#define MT_MATRIX_A 0x9908b0dfu
#define MT_UPPER 0x80000000u
#define MT_LOWER 0x7fffffffu

/* _randommodule.c init_genrand (= NumPy mt19937_seed). */
static void init_genrand(sf_mt19937 *m, uint32_t s) {
  m->mt[0] = s;
  for (int i = 1; i < MT_N; i++)
    m->mt[i] = 1812433253u * (m->mt[i - 1] ^ (m->mt[i - 1] >> 30)) + (uint32_t)i;
  m->pos = MT_N;
  m->has_gauss = 0;
  m->gauss = 0.0;
}

/* _randommodule.c init_by_array. */
static void init_by_array(sf_mt19937 *m, const uint32_t *key, int len) {
  init_genrand(m, 19650218u);
  uint32_t *mt = m->mt;
  int i = 1, j = 0;
  for (int k = MT_N > len ? MT_N : len; k; k--) {
    mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525u)) + key[j] + (uint32_t)j;
    i++;
    j++;
    if (i >= MT_N) {
      mt[0] = mt[MT_N - 1];
      i = 1;
    }
    if (j >= len) j = 0;
  }
  for (int k = MT_N - 1; k; k--) {
    mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941u)) - (uint32_t)i;
    i++;
    if (i >= MT_N) {
      mt[0] = mt[MT_N - 1];
      i = 1;
    }
  }
  mt[0] = 0x80000000u; /* MSB is 1, assuring non-zero initial array */
}

/* random_seed for an int: abs(n) as little-endian 32-bit words, at least one. */
void sf_mt_seed_python(sf_mt19937 *m, int64_t n) {
  uint64_t a = n < 0 ? -(uint64_t)n : (uint64_t)n;
  uint32_t key[2] = {(uint32_t)a, (uint32_t)(a >> 32)};
  init_by_array(m, key, key[1] ? 2 : 1);
}

/* _mt19937.pyx _legacy_seeding for an int: mt19937_seed = init_genrand. */
void sf_mt_seed_numpy(sf_mt19937 *m, uint32_t n) { init_genrand(m, n); }

/* Regenerates all 624 words (genrand_uint32's refill loop). */
static void mt_refill(sf_mt19937 *m) {
  uint32_t *mt = m->mt;
  int k;
  for (k = 0; k < MT_N - MT_M; k++) {
    uint32_t y = (mt[k] & MT_UPPER) | (mt[k + 1] & MT_LOWER);
    mt[k] = mt[k + MT_M] ^ (y >> 1) ^ ((y & 1u) ? MT_MATRIX_A : 0u);
  }
  for (; k < MT_N - 1; k++) {
    uint32_t y = (mt[k] & MT_UPPER) | (mt[k + 1] & MT_LOWER);
    mt[k] = mt[k + (MT_M - MT_N)] ^ (y >> 1) ^ ((y & 1u) ? MT_MATRIX_A : 0u);
  }
  uint32_t y = (mt[MT_N - 1] & MT_UPPER) | (mt[0] & MT_LOWER);
  mt[MT_N - 1] = mt[MT_M - 1] ^ (y >> 1) ^ ((y & 1u) ? MT_MATRIX_A : 0u);
  m->pos = 0;
}

/* _randommodule.c genrand_uint32 with tempering. */
uint32_t sf_mt_next32(sf_mt19937 *m) {
  if (m->pos >= MT_N) mt_refill(m);
  uint32_t y = m->mt[m->pos++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}

/* _random_Random_getrandbits_impl for 1 <= k <= 64: 32-bit words, least significant first;
 * a word that carries fewer than 32 bits keeps the top bits of its draw. */
static uint64_t py_getrandbits(sf_mt19937 *m, int k) {
  if (k <= 32) return sf_mt_next32(m) >> (32 - k);
  uint64_t lo = sf_mt_next32(m);
  uint64_t hi = sf_mt_next32(m) >> (64 - k);
  return lo | hi << 32;
}

static int bit_length(uint64_t n) {
  int k = 0;
  while (n) {
    k++;
    n >>= 1;
  }
  return k;
}

/* random.py randint -> randrange -> _randbelow_with_getrandbits. */
int64_t sf_py_randint(sf_mt19937 *m, int64_t a, int64_t b) {
  uint64_t n = (uint64_t)b - (uint64_t)a + 1u;
  int k = bit_length(n);
  uint64_t r = py_getrandbits(m, k);
  while (r >= n) r = py_getrandbits(m, k);
  return (int64_t)((uint64_t)a + r);
}

/* mt19937.h mt19937_next_double (legacy_double): genrand_res53. */
double sf_np_random_sample(sf_mt19937 *m) {
  int32_t a = (int32_t)(sf_mt_next32(m) >> 5);
  int32_t b = (int32_t)(sf_mt_next32(m) >> 6);
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

/* legacy-distributions.c legacy_gauss: polar method, returns the x2 part, caches x1's. */
double sf_np_gauss(sf_mt19937 *m) {
  if (m->has_gauss) {
    double t = m->gauss;
    m->has_gauss = 0;
    m->gauss = 0.0;
    return t;
  }
  double f, x1, x2, r2;
  do {
    x1 = 2.0 * sf_np_random_sample(m) - 1.0;
    x2 = 2.0 * sf_np_random_sample(m) - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  f = sqrt(-2.0 * log(r2) / r2);
  m->gauss = f * x1;
  m->has_gauss = 1;
  return f * x2;
}

/* legacy-distributions.c legacy_normal. */
double sf_np_normal(sf_mt19937 *m, double loc, double scale) {
  return loc + scale * sf_np_gauss(m);
}

/* distributions.c random_uniform(lower, range) with range = high - low. */
double sf_np_uniform(sf_mt19937 *m, double low, double high) {
  double range = high - low;
  return low + range * sf_np_random_sample(m);
}

/* mt19937.h mt19937_next64: first draw is the high word. */
static uint64_t np_next64(sf_mt19937 *m) {
  uint64_t hi = sf_mt_next32(m);
  return hi << 32 | sf_mt_next32(m);
}

/* distributions.c random_interval: smallest all-ones mask >= max, reject values > max. */
uint64_t sf_np_random_interval(sf_mt19937 *m, uint64_t max) {
  if (max == 0) return 0;
  uint64_t mask = max, v;
  for (int s = 1; s < 64; s <<= 1) mask |= mask >> s;
  if (max <= 0xffffffffu) {
    while ((v = sf_mt_next32(m) & mask) > max) {
    }
  } else {
    while ((v = np_next64(m) & mask) > max) {
    }
  }
  return v;
}

/* mtrand.pyx RandomState._shuffle_raw: for i = n-1 down to 1, swap(a[i], a[random_interval(i)]). */
void sf_np_shuffle_i64(sf_mt19937 *m, int64_t *a, int64_t n) {
  for (int64_t i = n - 1; i >= 1; i--) {
    int64_t j = (int64_t)sf_np_random_interval(m, (uint64_t)i);
    int64_t t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
