/* test_philox.c — Criterion suite "philox": the Philox4x32-10 block function against the
 * Random123 known answers, TF's seeding layouts, Skip's carry rule and next()'s increment.
 * Spec §1, §2, §7.1; vectors in test/vectors/philox_kat.tsv. */
#include <criterion/criterion.h>

#include "engine/rng/rng.h"

static void expect_block(const uint32_t ctr[4], const uint32_t key[2], const uint32_t want[4]) {
  uint32_t out[4];
  sf_philox_block(ctr, key, out);
  for (int i = 0; i < 4; i++)
    cr_assert_eq(out[i], want[i], "word %d: got %08x, want %08x", i, out[i], want[i]);
}

static void expect_ctr(const sf_philox *p, uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3) {
  const uint32_t want[4] = {c0, c1, c2, c3};
  for (int i = 0; i < 4; i++)
    cr_assert_eq(p->ctr[i], want[i], "ctr[%d]: got %08x, want %08x", i, p->ctr[i], want[i]);
}

Test(philox, kat_zero_counter_zero_key) {
  const uint32_t ctr[4] = {0, 0, 0, 0}, key[2] = {0, 0};
  const uint32_t want[4] = {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8};
  expect_block(ctr, key, want);
}

Test(philox, kat_all_ones_counter_and_key) {
  const uint32_t ctr[4] = {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff};
  const uint32_t key[2] = {0xffffffff, 0xffffffff};
  const uint32_t want[4] = {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd};
  expect_block(ctr, key, want);
}

Test(philox, kat_pi_digits_counter_and_key) {
  const uint32_t ctr[4] = {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344};
  const uint32_t key[2] = {0xa4093822, 0x299f31d0};
  const uint32_t want[4] = {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1};
  expect_block(ctr, key, want);
}

Test(philox, block_does_not_modify_inputs) {
  const uint32_t ctr[4] = {1, 2, 3, 4}, key[2] = {5, 6};
  uint32_t c[4] = {1, 2, 3, 4}, k[2] = {5, 6}, out[4];
  sf_philox_block(c, k, out);
  cr_assert_arr_eq(c, ctr, sizeof ctr);
  cr_assert_arr_eq(k, key, sizeof key);
}

Test(philox, from_seeds_puts_seed_in_key_and_seed2_in_high_counter) {
  sf_philox p;
  sf_philox_from_seeds(&p, 0x1122334455667788ull, 0x99aabbccddeeff00ull);
  cr_assert_eq(p.key[0], 0x55667788u);
  cr_assert_eq(p.key[1], 0x11223344u);
  expect_ctr(&p, 0, 0, 0xddeeff00u, 0x99aabbccu);
}

Test(philox, stateless_scrambles_seeds_with_one_block_under_fixed_key) {
  sf_philox p;
  sf_philox_stateless(&p, 1, 2);
  const uint32_t ctr[4] = {1, 0, 2, 0}, key[2] = {0x3ec8f720, 0x02461e29};
  uint32_t mix[4];
  sf_philox_block(ctr, key, mix);
  cr_assert_eq(p.key[0], mix[0]);
  cr_assert_eq(p.key[1], mix[1]);
  expect_ctr(&p, 0, 0, mix[2], mix[3]);
}

Test(philox, stateless_sign_extends_negative_seeds) {
  sf_philox a, b;
  sf_philox_stateless(&a, (uint64_t)(int64_t)-1, 7);
  const uint32_t ctr[4] = {0xffffffff, 0xffffffff, 7, 0}, key[2] = {0x3ec8f720, 0x02461e29};
  uint32_t mix[4];
  sf_philox_block(ctr, key, mix);
  b.key[0] = mix[0];
  b.key[1] = mix[1];
  cr_assert_eq(a.key[0], b.key[0]);
  cr_assert_eq(a.key[1], b.key[1]);
  expect_ctr(&a, 0, 0, mix[2], mix[3]);
}

Test(philox, skip_adds_to_low_words_with_carry_from_ctr0_to_ctr1) {
  sf_philox p = {{0xfffffffe, 7, 9, 11}, {0, 0}};
  sf_philox_skip(&p, 3);
  expect_ctr(&p, 1, 8, 9, 11);
}

Test(philox, skip_uses_high_half_of_count) {
  sf_philox p = {{5, 1, 0, 0}, {0, 0}};
  sf_philox_skip(&p, 0x0000000200000010ull);
  expect_ctr(&p, 0x15, 3, 0, 0);
}

Test(philox, skip_carries_into_ctr2) {
  sf_philox p = {{0xffffffff, 0xffffffff, 41, 0}, {0, 0}};
  sf_philox_skip(&p, 1);
  expect_ctr(&p, 0, 0, 42, 0);
}

Test(philox, skip_carries_through_ctr2_into_ctr3) {
  sf_philox p = {{0xffffff00, 0xffffffff, 0xffffffff, 6}, {0, 0}};
  sf_philox_skip(&p, 0x100);
  expect_ctr(&p, 0, 0, 0, 7);
}

Test(philox, skip_high_word_overflow_follows_tf_carry_rule) {
  /* TF's Skip: the high word of n is bumped by the ctr[0] carry; if that wraps it to 0,
   * no carry reaches ctr[2] (philox_random.h). */
  sf_philox p = {{1, 5, 3, 0}, {0, 0}};
  sf_philox_skip(&p, 0xffffffffffffffffull);
  expect_ctr(&p, 0, 5, 3, 0);
}

Test(philox, skip_256_blocks_matches_256_next_calls) {
  sf_philox a, b;
  sf_philox_from_seeds(&a, 5, 10);
  b = a;
  uint32_t out[4];
  for (int i = 0; i < 256; i++) sf_philox_next(&a, out);
  sf_philox_skip(&b, 256);
  expect_ctr(&a, b.ctr[0], b.ctr[1], b.ctr[2], b.ctr[3]);
}

Test(philox, next_returns_block_at_counter_then_increments) {
  sf_philox p = {{0, 0, 0, 0}, {0, 0}};
  uint32_t out[4];
  sf_philox_next(&p, out);
  cr_assert_eq(out[0], 0x6627e8d5u);
  cr_assert_eq(out[3], 0x9b00dbd8u);
  expect_ctr(&p, 1, 0, 0, 0);
}

Test(philox, next_increments_full_128_bit_counter) {
  sf_philox p = {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
                 {0xffffffff, 0xffffffff}};
  uint32_t out[4];
  sf_philox_next(&p, out);
  cr_assert_eq(out[0], 0x408f276du);
  cr_assert_eq(out[3], 0x6d5451fdu);
  expect_ctr(&p, 0, 0, 0, 0);
  sf_philox q = {{0xffffffff, 0xffffffff, 4, 0}, {0, 0}};
  sf_philox_next(&q, out);
  expect_ctr(&q, 0, 0, 5, 0);
}

Test(philox, os_random64_returns_fresh_values) {
  uint64_t a = sf_os_random64(), b = sf_os_random64(), c = sf_os_random64();
  /* Three equal 64-bit draws from the OS would mean it is not random at all. */
  cr_assert(!(a == b && b == c), "getrandom returned %llu three times", (unsigned long long)a);
}
