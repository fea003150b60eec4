/* philox.c — Philox4x32-10 counter-based generator, bit-exact with TensorFlow's PhiloxRandom.
 * Provides the block function, the stateful/stateless seeding rules and Skip; the
 * distributions in distributions.c consume its blocks. Spec §1, §2, §7.1. */
#include "rng.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

/* philox_random.h kPhiloxW32A/B, kPhiloxM4x32A/B */
enum {
  PHILOX_W32A = 0x9E3779B9u,
  PHILOX_W32B = 0xBB67AE85u,
  PHILOX_M4A = 0xD2511F53u,
  PHILOX_M4B = 0xCD9E8D57u,
};

/* philox_random.h ComputeSingleRound */
static inline void philox_round(uint32_t c[4], const uint32_t k[2]) {
  uint64_t p0 = (uint64_t)PHILOX_M4A * c[0];
  uint64_t p1 = (uint64_t)PHILOX_M4B * c[2];
  uint32_t r0 = (uint32_t)(p1 >> 32) ^ c[1] ^ k[0];
  uint32_t r2 = (uint32_t)(p0 >> 32) ^ c[3] ^ k[1];
  c[0] = r0;
  c[1] = (uint32_t)p1;
  c[2] = r2;
  c[3] = (uint32_t)p0;
}

/* philox_random.h operator(): 10 rounds, RaiseKey between them (9 bumps). */
void sf_philox_block(const uint32_t ctr[4], const uint32_t key[2], uint32_t out[4]) {
  uint32_t c[4] = {ctr[0], ctr[1], ctr[2], ctr[3]};
  uint32_t k[2] = {key[0], key[1]};
  for (int r = 0; r < 10; r++) {
    if (r > 0) {
      k[0] += PHILOX_W32A;
      k[1] += PHILOX_W32B;
    }
    philox_round(c, k);
  }
  for (int i = 0; i < 4; i++) out[i] = c[i];
}

/* PhiloxRandom(uint64 seed_lo, uint64 seed_hi) */
void sf_philox_from_seeds(sf_philox *p, uint64_t seed, uint64_t seed2) {
  p->key[0] = (uint32_t)seed;
  p->key[1] = (uint32_t)(seed >> 32);
  p->ctr[0] = 0;
  p->ctr[1] = 0;
  p->ctr[2] = (uint32_t)seed2;
  p->ctr[3] = (uint32_t)(seed2 >> 32);
}

/* stateless_random_ops.cc GenerateKey: one block under a fixed key scrambles the seeds. */
void sf_philox_stateless(sf_philox *p, uint64_t seed0, uint64_t seed1) {
  static const uint32_t scramble_key[2] = {0x3ec8f720u, 0x02461e29u};
  const uint32_t ctr[4] = {(uint32_t)seed0, (uint32_t)(seed0 >> 32), (uint32_t)seed1,
                           (uint32_t)(seed1 >> 32)};
  uint32_t mix[4];
  sf_philox_block(ctr, scramble_key, mix);
  p->key[0] = mix[0];
  p->key[1] = mix[1];
  p->ctr[0] = 0;
  p->ctr[1] = 0;
  p->ctr[2] = mix[2];
  p->ctr[3] = mix[3];
}

/* philox_random.h Skip: 64-bit add into ctr(1:0), carry into ctr[2], then ctr[3]. */
void sf_philox_skip(sf_philox *p, uint64_t n) {
  uint32_t lo = (uint32_t)n;
  uint32_t hi = (uint32_t)(n >> 32);
  p->ctr[0] += lo;
  if (p->ctr[0] < lo) hi++;
  p->ctr[1] += hi;
  if (p->ctr[1] < hi) {
    if (++p->ctr[2] == 0) ++p->ctr[3];
  }
}

/* philox_random.h operator() followed by SkipOne (full 128-bit increment). */
void sf_philox_next(sf_philox *p, uint32_t out[4]) {
  sf_philox_block(p->ctr, p->key, out);
  for (int i = 0; i < 4; i++) {
    if (++p->ctr[i] != 0) break;
  }
}

/* Fallback for kernels without getrandom(2). */
static uint64_t urandom64(void) {
  uint64_t v = 0;
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    unsigned char *b = (unsigned char *)&v;
    size_t got = 0;
    while (got < sizeof v) {
      ssize_t r = read(fd, b + got, sizeof v - got);
      if (r > 0) got += (size_t)r;
      else if (r < 0 && errno == EINTR) continue;
      else break;
    }
    close(fd);
  }
  return v;
}

/* random.cc New64 (TF seeds nondeterministic generators from the OS). */
uint64_t sf_os_random64(void) {
  uint64_t v;
  unsigned char *b = (unsigned char *)&v;
  size_t got = 0;
  while (got < sizeof v) {
    ssize_t r = getrandom(b + got, sizeof v - got, 0);
    if (r > 0) got += (size_t)r;
    else if (r < 0 && errno == EINTR) continue;
    else return urandom64();
  }
  return v;
}
