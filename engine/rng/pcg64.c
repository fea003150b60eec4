/* pcg64.c — NumPy's default bit generator: PCG64 (XSL-RR 128/64, numpy/random/src/pcg64/
 * pcg64.h: the state steps, then its halves are xored and rotated) seeded through
 * SeedSequence (numpy/random/bit_generator.pyx: a pool of four 32-bit words hashed from the
 * entropy, then generate_state), and the bounded draw Generator.integers uses
 * (distributions.c random_bounded_uint64_fill with Lemire's rejection). Integer-only: the
 * same bits on every machine. */
#include "rng.h"

enum { POOL = 4, XSHIFT = 16 };
#define INIT_A 0x43b0d7e5u
#define MULT_A 0x931e8875u
#define INIT_B 0x8b51f9ddu
#define MULT_B 0x58f38dedu
#define MIX_MULT_L 0xca01f9ddu
#define MIX_MULT_R 0x4973f715u

static uint32_t hashmix(uint32_t value, uint32_t *hash_const) {
  value ^= *hash_const;
  *hash_const *= MULT_A;
  value *= *hash_const;
  return value ^ (value >> XSHIFT);
}

static uint32_t mix(uint32_t x, uint32_t y) {
  uint32_t r = MIX_MULT_L * x - MIX_MULT_R * y;
  return r ^ (r >> XSHIFT);
}

/* SeedSequence.mix_entropy then generate_state(n, uint32). */
static void seed_sequence(const uint32_t *entropy, int n, uint32_t *out, int nout) {
  uint32_t pool[POOL], hc = INIT_A;
  for (int i = 0; i < POOL; i++) pool[i] = hashmix(i < n ? entropy[i] : 0, &hc);
  for (int src = 0; src < POOL; src++)
    for (int dst = 0; dst < POOL; dst++)
      if (src != dst) pool[dst] = mix(pool[dst], hashmix(pool[src], &hc));
  for (int src = POOL; src < n; src++)
    for (int dst = 0; dst < POOL; dst++) pool[dst] = mix(pool[dst], hashmix(entropy[src], &hc));
  uint32_t hb = INIT_B;
  for (int i = 0; i < nout; i++) {
    uint32_t v = pool[i % POOL] ^ hb;
    hb *= MULT_B;
    v *= hb;
    out[i] = v ^ (v >> XSHIFT);
  }
}

static const unsigned __int128 MULT = ((unsigned __int128)0x2360ed051fc65da4u << 64) | 0x4385df649fccf645u;

static void step(sf_pcg64 *r) { r->state = r->state * MULT + r->inc; }

void sf_pcg64_seed(sf_pcg64 *r, const uint32_t *entropy, int n) {
  uint32_t w[8];
  seed_sequence(entropy, n, w, 8);
  uint64_t v[4]; /* generate_state(4, uint64): little-endian pairs of words */
  for (int i = 0; i < 4; i++) v[i] = (uint64_t)w[2 * i] | (uint64_t)w[2 * i + 1] << 32;
  unsigned __int128 initstate = (unsigned __int128)v[0] << 64 | v[1], initseq = (unsigned __int128)v[2] << 64 | v[3];
  r->state = 0; /* pcg_setseq_128_srandom_r */
  r->inc = initseq << 1 | 1;
  step(r);
  r->state += initstate;
  step(r);
  r->has_uint32 = false;
  r->uinteger = 0;
}

uint64_t sf_pcg64_next64(sf_pcg64 *r) {
  step(r);
  uint64_t x = (uint64_t)(r->state >> 64) ^ (uint64_t)r->state;
  unsigned rot = (unsigned)(r->state >> 122);
  return (x >> rot) | (x << ((64 - rot) & 63));
}

uint32_t sf_pcg64_next32(sf_pcg64 *r) {
  if (r->has_uint32) {
    r->has_uint32 = false;
    return r->uinteger;
  }
  uint64_t next = sf_pcg64_next64(r);
  r->has_uint32 = true;
  r->uinteger = (uint32_t)(next >> 32);
  return (uint32_t)next;
}

double sf_pcg64_next_double(sf_pcg64 *r) { return (double)(sf_pcg64_next64(r) >> 11) * (1.0 / 9007199254740992.0); }

uint64_t sf_pcg64_bounded(sf_pcg64 *r, uint64_t rng) {
  if (rng == 0) return 0;
  if (rng == UINT32_MAX) return sf_pcg64_next32(r);
  if (rng < UINT32_MAX) { /* buffered_bounded_lemire_uint32 */
    uint32_t excl = (uint32_t)rng + 1;
    uint64_t m = (uint64_t)sf_pcg64_next32(r) * excl;
    if ((uint32_t)m < excl) {
      uint32_t threshold = (UINT32_MAX - (uint32_t)rng) % excl;
      while ((uint32_t)m < threshold) m = (uint64_t)sf_pcg64_next32(r) * excl;
    }
    return m >> 32;
  }
  if (rng == UINT64_MAX) return sf_pcg64_next64(r);
  uint64_t excl = rng + 1; /* bounded_lemire_uint64 */
  unsigned __int128 m = (unsigned __int128)sf_pcg64_next64(r) * excl;
  if ((uint64_t)m < excl) {
    uint64_t threshold = (UINT64_MAX - rng) % excl;
    while ((uint64_t)m < threshold) m = (unsigned __int128)sf_pcg64_next64(r) * excl;
  }
  return (uint64_t)(m >> 64);
}

uint64_t sf_pcg64_interval(sf_pcg64 *r, uint64_t max) {
  if (max == 0) return 0;
  uint64_t mask = max, v; /* the smallest all-ones mask covering max */
  for (int k = 1; k < 64; k <<= 1) mask |= mask >> k;
  if (max <= UINT32_MAX) {
    while ((v = sf_pcg64_next32(r) & mask) > max) continue;
  } else {
    while ((v = sf_pcg64_next64(r) & mask) > max) continue;
  }
  return v;
}
