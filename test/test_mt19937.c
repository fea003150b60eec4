/* test_mt19937.c — Criterion suite "mt19937": CPython random.Random seeding/randint (TF eager
 * op seeds) and NumPy legacy RandomState seed/random_sample/normal/shuffle, against published
 * outputs in test/vectors/generators.tsv (spec §6, §11, §12 G21–G23). */
#include <criterion/criterion.h>

#include <math.h>
#include <stdlib.h>

#include "engine/rng/rng.h"

static void expect_randints(int64_t seed, const int64_t *want, int n) {
  sf_mt19937 m;
  sf_mt_seed_python(&m, seed);
  for (int i = 0; i < n; i++) {
    int64_t got = sf_py_randint(&m, 0, 2147483647);
    cr_assert_eq(got, want[i], "seed %lld draw %d: got %lld want %lld", (long long)seed, i,
                 (long long)got, (long long)want[i]);
  }
}

Test(mt19937, python_randint_0_2p31m1_seed_0) {
  static const int64_t w[] = {1654615998, 1806341205, 173879092};
  expect_randints(0, w, 3);
}

Test(mt19937, python_randint_0_2p31m1_seed_1234) {
  static const int64_t w[] = {1892932127, 501869158, 32175636};
  expect_randints(1234, w, 3);
}

Test(mt19937, python_randint_0_2p31m1_seed_5) {
  static const int64_t w[] = {1097127993, 1539898300};
  expect_randints(5, w, 2);
}

Test(mt19937, python_seed_uses_absolute_value) {
  sf_mt19937 a, b;
  sf_mt_seed_python(&a, -1234);
  sf_mt_seed_python(&b, 1234);
  for (int i = 0; i < 5; i++) cr_assert_eq(sf_mt_next32(&a), sf_mt_next32(&b));
}

Test(mt19937, python_seed_above_2p32_uses_two_key_words) {
  sf_mt19937 a, b;
  sf_mt_seed_python(&a, 0x100000000ll + 5);
  sf_mt_seed_python(&b, 5);
  int same = 1;
  for (int i = 0; i < 5; i++) same &= sf_mt_next32(&a) == sf_mt_next32(&b);
  cr_assert(!same);
}

Test(mt19937, python_randint_small_range_takes_top_bits) {
  /* randint(0, 5): n = 6, k = 3 bits = next32 >> 29, rejected while >= 6. */
  sf_mt19937 a, b;
  sf_mt_seed_python(&a, 42);
  sf_mt_seed_python(&b, 42);
  for (int i = 0; i < 50; i++) {
    uint32_t r;
    do r = sf_mt_next32(&b) >> 29;
    while (r >= 6);
    cr_assert_eq(sf_py_randint(&a, 10, 15), 10 + (int64_t)r);
  }
}

Test(mt19937, python_randint_wide_range_builds_low_word_first) {
  /* n = 2^40: k = 41 bits = word0 | (word1 >> 23) << 32, rejected while >= n. */
  sf_mt19937 a, b;
  sf_mt_seed_python(&a, 7);
  sf_mt_seed_python(&b, 7);
  for (int i = 0; i < 20; i++) {
    uint64_t r;
    do {
      uint64_t lo = sf_mt_next32(&b);
      r = lo | (uint64_t)(sf_mt_next32(&b) >> 23) << 32;
    } while (r >= (1ull << 40));
    cr_assert_eq(sf_py_randint(&a, -3, (1ll << 40) - 4), -3 + (int64_t)r);
  }
}

Test(mt19937, numpy_seed_0_random_sample) {
  sf_mt19937 m;
  sf_mt_seed_numpy(&m, 0);
  cr_assert_eq(sf_np_random_sample(&m), 0.5488135039273248);
}

Test(mt19937, numpy_legacy_normal_seed_1234_ten_values) {
  static const double full[4] = {0.47143516373249306, -1.1909756947064645, 1.4327069684260973,
                                 -0.3126518960917129};
  static const double printed[6] = {-0.72058873, 0.88716294, 0.85958841,
                                    -0.6365235,  0.01569637, -2.24268495};
  sf_mt19937 m;
  sf_mt_seed_numpy(&m, 1234);
  for (int i = 0; i < 4; i++) {
    double v = sf_np_normal(&m, 0.0, 1.0);
    cr_assert_eq(v, full[i], "value %d: got %.17g want %.17g", i, v, full[i]);
  }
  for (int i = 0; i < 6; i++) { /* printed with 8 decimals: within half a unit of the last */
    double v = sf_np_normal(&m, 0.0, 1.0);
    cr_assert(fabs(v - printed[i]) <= 5e-9, "value %d: got %.17g want %.8f", 4 + i, v, printed[i]);
  }
}

Test(mt19937, numpy_normal_applies_loc_and_scale_and_keeps_cache_across_seed_reset) {
  sf_mt19937 m;
  sf_mt_seed_numpy(&m, 1234);
  cr_assert_eq(sf_np_normal(&m, 5.0, 1.0), 5.0 + 0.47143516373249306);
  cr_assert(m.has_gauss);
  cr_assert_eq(sf_np_normal(&m, 0.0, 2.0), 2.0 * -1.1909756947064645);
  sf_np_gauss(&m);
  sf_mt_seed_numpy(&m, 1234);
  cr_assert(!m.has_gauss);
  cr_assert_eq(sf_np_gauss(&m), 0.47143516373249306);
}

Test(mt19937, numpy_uniform_is_low_plus_range_times_sample) {
  sf_mt19937 a, b;
  sf_mt_seed_numpy(&a, 0);
  sf_mt_seed_numpy(&b, 0);
  double s = sf_np_random_sample(&b);
  cr_assert_eq(sf_np_uniform(&a, -2.0, 3.0), -2.0 + 5.0 * s);
}

Test(mt19937, numpy_shuffle_arange10_seed_0) {
  static const int64_t want[10] = {2, 8, 4, 9, 1, 6, 7, 3, 0, 5};
  int64_t a[10];
  for (int i = 0; i < 10; i++) a[i] = i;
  sf_mt19937 m;
  sf_mt_seed_numpy(&m, 0);
  sf_np_shuffle_i64(&m, a, 10);
  cr_assert_arr_eq(a, want, sizeof want);
}

Test(mt19937, numpy_random_interval_masks_and_rejects) {
  sf_mt19937 a, b;
  sf_mt_seed_numpy(&a, 3);
  sf_mt_seed_numpy(&b, 3);
  cr_assert_eq(sf_np_random_interval(&a, 0), 0);
  for (int i = 0; i < 100; i++) {
    uint32_t v;
    do v = sf_mt_next32(&b) & 7u;
    while (v > 5);
    cr_assert_eq(sf_np_random_interval(&a, 5), v);
  }
}

Test(mt19937, numpy_random_interval_above_2p32_draws_high_word_first) {
  sf_mt19937 a, b;
  sf_mt_seed_numpy(&a, 9);
  sf_mt_seed_numpy(&b, 9);
  const uint64_t max = 0x500000000ull; /* mask 0x7ffffffff */
  for (int i = 0; i < 50; i++) {
    uint64_t v;
    do {
      uint64_t hi = sf_mt_next32(&b);
      v = (hi << 32 | sf_mt_next32(&b)) & 0x7ffffffffull;
    } while (v > max);
    cr_assert_eq(sf_np_random_interval(&a, max), v);
  }
}

Test(mt19937, reference_mt19937_init_genrand_5489_first_outputs) {
  /* The MT19937 reference sequence for the default seed 5489. */
  sf_mt19937 m;
  sf_mt_seed_numpy(&m, 5489);
  cr_assert_eq(sf_mt_next32(&m), 3499211612u);
  cr_assert_eq(sf_mt_next32(&m), 581869302u);
  cr_assert_eq(sf_mt_next32(&m), 3890346734u);
}

/* NumPy's default_rng (PCG64 seeded by SeedSequence, engine/rng/pcg64.c): the state after
 * seeding and the raw 64-bit outputs NumPy 1.24 gives (bit_generator.state, random_raw,
 * printed by /usr/bin/python3 on 2026-12-03). */
Test(mt19937, numpy_default_rng_pcg64_state_and_raw_outputs) {
  sf_pcg64 r;
  sf_pcg64_seed(&r, (const uint32_t[]){0}, 1);
  cr_expect_eq((uint64_t)(r.state >> 64), 0x1aa1b5345996452dULL);
  cr_expect_eq((uint64_t)r.state, 0x09585eb7a69561e3ULL);
  cr_expect_eq((uint64_t)(r.inc >> 64), 0x418ddadb3af71a82ULL);
  cr_expect_eq((uint64_t)r.inc, 0x588133bc447873a9ULL);
  sf_pcg64_seed(&r, (const uint32_t[]){42}, 1);
  const uint64_t want42[] = {0xc621fbcd16d92688ULL, 0x705a5661a791ffc1ULL, 0xdbcd12c26eda1624ULL};
  for (int i = 0; i < 3; i++) cr_expect_eq(sf_pcg64_next64(&r), want42[i], "seed 42 output %d", i);
  sf_pcg64_seed(&r, (const uint32_t[]){7, 256}, 2); /* 2**40 + 7: two entropy words */
  cr_expect_eq(sf_pcg64_next64(&r), 0xd46e9e2034de21aaULL);
  cr_expect_eq(sf_pcg64_next32(&r), 0x9c087675u); /* the low half of 0x415badc99c087675, then the high */
  cr_expect_eq(sf_pcg64_next32(&r), 0x415badc9u);
}
