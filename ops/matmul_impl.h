/* matmul_impl.h — one instance of the matmul kernels, included by matmul.c once per (element
 * type, CPU feature level) with T, VL (elements per vector), MR (rows per tile), NRV (vectors
 * per tile row), ISA (name suffix) and TARGET (function attribute) defined. Vectors run across
 * output columns, so each output element keeps its own scalar chain of rounded operations. */

#define MM_CAT_(a, b) a##_##b
#define MM_CAT(a, b) MM_CAT_(a, b)
#define F(name) MM_CAT(name, ISA)
#define NR (NRV * VL)
#ifndef PW_LEAF
#define PW_LEAF 2 /* products per pairwise leaf: 4 or 8 where two or three tiles of accumulators fit the registers */
#endif

typedef T F(vec) __attribute__((vector_size(VL * sizeof(T))));
#define V F(vec)

/* Sequential tile: c[r][j] = (c or 0) + a[0][r] * b[0][j] + ... + a[kc-1][r] * b[kc-1][j],
 * left to right. ap/bp are packed panels (kc x MR and kc x NR), c has row stride ldc. */
TARGET static void F(tile_seq)(const T *restrict ap, const T *restrict bp, int64_t kc,
                               T *restrict c, int64_t ldc, bool load) {
  V acc[MR][NRV];
  _Pragma("GCC unroll 16") for (int r = 0; r < MR; r++)
    _Pragma("GCC unroll 8") for (int v = 0; v < NRV; v++) {
      if (load) memcpy(&acc[r][v], c + r * ldc + v * VL, sizeof(V));
      else acc[r][v] = (V){0};
    }
  for (int64_t p = 0; p < kc; p++, ap += MR, bp += NR) {
    V b[NRV];
    _Pragma("GCC unroll 8") for (int v = 0; v < NRV; v++) b[v] = *(const V *)(bp + v * VL);
    _Pragma("GCC unroll 16") for (int r = 0; r < MR; r++) {
      const T x = ap[r];
      _Pragma("GCC unroll 8") for (int v = 0; v < NRV; v++) acc[r][v] = acc[r][v] + x * b[v];
    }
  }
  _Pragma("GCC unroll 16") for (int r = 0; r < MR; r++)
    _Pragma("GCC unroll 8") for (int v = 0; v < NRV; v++)
      memcpy(c + r * ldc + v * VL, &acc[r][v], sizeof(V));
}

/* One packed step into cur: cur = x * b (first) or cur + x * b; then ap/bp move on. */
#define PW_STEP(cur, first)                                                                     \
  do {                                                                                          \
    V b_[NRV];                                                                                  \
    _Pragma("GCC unroll 8") for (int v = 0; v < NRV; v++) b_[v] = *(const V *)(bp + v * VL);    \
    _Pragma("GCC unroll 16") for (int r = 0; r < MR; r++) {                                     \
      const T x_ = ap[r];                                                                       \
      _Pragma("GCC unroll 8") for (int v = 0; v < NRV; v++)                                     \
        cur[r][v] = (first) ? x_ * b_[v] : cur[r][v] + x_ * b_[v];                              \
    }                                                                                           \
    ap += MR;                                                                                   \
    bp += NR;                                                                                   \
  } while (0)

/* cur = x[0] * b[0] + ... + x[len-1] * b[len-1] (len >= 1) as a chain from the first product
 * (no "0 +"), over len packed steps from ap/bp. */
#define PW_CHAIN(cur, len)                                                                      \
  do {                                                                                          \
    PW_STEP(cur, true);                                                                         \
    _Pragma("GCC unroll 4") for (int q_ = 1; q_ < (len); q_++) PW_STEP(cur, false);             \
  } while (0)

/* dst += src, element by element. */
#define PW_ADD(dst, src)                                                                        \
  _Pragma("GCC unroll 16") for (int r = 0; r < MR; r++)                                         \
    _Pragma("GCC unroll 8") for (int v = 0; v < NRV; v++) dst[r][v] = dst[r][v] + src[r][v]

/* dst = the pairwise sum of n (1 to 4) products: a chain of n <= 2, else its halves of n / 2
 * and 2 products, the right one in tmp. */
#define PW_SUB(dst, tmp, n)                                                                     \
  do {                                                                                          \
    if ((n) <= 2) {                                                                             \
      PW_CHAIN(dst, (n));                                                                       \
    } else {                                                                                    \
      PW_CHAIN(dst, (n) / 2);                                                                   \
      PW_CHAIN(tmp, 2);                                                                         \
      PW_ADD(dst, tmp);                                                                         \
    }                                                                                           \
  } while (0)

/* Pairwise tile over a leaf schedule (see mm_schedule): a leaf of 1 or 2 products is summed
 * as one chain; a leaf of 3 or 4 is its two halves (1 + 2, 2 + 2 products), the right one in
 * a second set of registers; a leaf of 5 to 8 (PW_LEAF 8) is its two halves of that kind,
 * in three sets; then the leaf is added, as the right operand, to as many pending
 * left sums as it closes. The chains skip the reference's "0 +": it only turns a -0 into +0,
 * and a sum of two values is -0 only when both are, so every partial sum equals the
 * reference's except that it may be -0 where the reference has +0; one "+ 0" per output
 * element at the end makes them equal. add: c = c + that sum (c holds the left sibling's
 * sum, and this tile's is the right one). */
TARGET static void F(tile_pairwise)(const T *restrict ap, const T *restrict bp,
                                    const uint8_t *sched, int64_t nleaves, T *restrict stack,
                                    T *restrict c, int64_t ldc, bool add) {
  V cur[MR][NRV] = {{(V){0}}}; /* nleaves >= 1: only to quiet -Wmaybe-uninitialized */
  V *top = (V *)stack; /* the next free tile of pending left sums */
  for (int64_t l = 0; l < nleaves; l++) {
    int len = sched[l] & 15;
    if (len <= 2) {
      PW_CHAIN(cur, len);
    } else if (len <= 4) {
      V right[MR][NRV];
      PW_SUB(cur, right, len);
    }
#if PW_LEAF > 4
    else { /* 5 to 8: halves of len / 2 and len - len / 2 (3 or 4) products, 8 the common case */
      V right[MR][NRV], right2[MR][NRV];
      if (len == 8) { /* the halves below, with sizes the compiler knows */
        PW_SUB(cur, right2, 4);
        PW_SUB(right, right2, 4);
      } else {
        PW_SUB(cur, right2, len / 2);
        PW_SUB(right, right2, len - len / 2);
      }
      PW_ADD(cur, right);
    }
#endif
    for (int q = sched[l] >> 4; q > 0; q--) {
      top -= MR * NRV;
      _Pragma("GCC unroll 16") for (int r = 0; r < MR; r++)
        _Pragma("GCC unroll 8") for (int v = 0; v < NRV; v++) cur[r][v] = top[r * NRV + v] + cur[r][v];
    }
    if (l + 1 == nleaves) break;
    _Pragma("GCC unroll 16") for (int r = 0; r < MR; r++)
      _Pragma("GCC unroll 8") for (int v = 0; v < NRV; v++) top[r * NRV + v] = cur[r][v];
    top += MR * NRV;
  }
  _Pragma("GCC unroll 16") for (int r = 0; r < MR; r++)
    _Pragma("GCC unroll 8") for (int v = 0; v < NRV; v++) {
      V sum = cur[r][v] + (V){0}, left;
      if (add) {
        memcpy(&left, c + r * ldc + v * VL, sizeof(V));
        sum = left + sum;
      }
      memcpy(c + r * ldc + v * VL, &sum, sizeof(V));
    }
}
#undef PW_STEP
#undef PW_CHAIN
#undef PW_SUB
#undef PW_ADD

/* One full panel of w (MR or NR, a constant where inlined) neighbouring x: rows of kc
 * contiguous elements (sx == 1) move as fixed-size copies (NR: NRV vectors), and strided
 * ones p by p, w loads then w neighbouring stores. */
TARGET __attribute__((always_inline)) static inline void F(pack_full)(const T *restrict s, int64_t sx,
                                                                       int64_t sp, int64_t kc, const int w,
                                                                       T *restrict dst) {
  if (sx == 1 && w == NR) {
    for (int64_t p = 0; p < kc; p++)
      _Pragma("GCC unroll 8") for (int v = 0; v < NRV; v++) {
        V t;
        memcpy(&t, s + p * sp + v * VL, sizeof t);
        memcpy(dst + p * w + v * VL, &t, sizeof t);
      }
  } else if (sx == 1) {
    for (int64_t p = 0; p < kc; p++) memcpy(dst + p * w, s + p * sp, (size_t)w * sizeof(T));
  } else {
    for (int64_t p = 0; p < kc; p++)
      _Pragma("GCC unroll 128") for (int x = 0; x < w; x++) dst[p * w + x] = s[x * sx + p * sp];
  }
}

/* Packs src(x, p) = src[x * sx + p * sp], x in [0, count), p in [0, kc), into panels of W
 * neighbouring x (dst[p * W + x % W] per panel), zero padded: A's row panels (W = MR) and
 * B's column panels (W = NR), whichever way each is transposed. Full panels take
 * F(pack_full): GCC made the variable-length copy of a B panel's row a `rep movsq` (11% of
 * an f64 pairwise 512^2 product), and the x-by-x loop below strides through the panel. */
TARGET static void F(pack)(const T *src, int64_t sx, int64_t sp, int64_t count, int64_t kc, int w,
                           T *restrict dst) {
  for (int64_t x0 = 0; x0 < count; x0 += w, dst += w * kc) {
    int64_t used = count - x0 < w ? count - x0 : w;
    if (used == w) { /* w is NR (B's panels) or MR (A's) */
      if (w == NR) F(pack_full)(src + x0 * sx, sx, sp, kc, NR, dst);
      else F(pack_full)(src + x0 * sx, sx, sp, kc, MR, dst);
      continue;
    }
    if (used < w) memset(dst, 0, (size_t)(w * kc) * sizeof(T));
    if (sx == 1) {
      for (int64_t p = 0; p < kc; p++) memcpy(dst + p * w, src + x0 + p * sp, (size_t)used * sizeof(T));
    } else {
      for (int64_t x = 0; x < used; x++) {
        const T *s = src + (x0 + x) * sx;
        for (int64_t p = 0; p < kc; p++) dst[p * w + x] = s[p * sp];
      }
    }
  }
}

/* Products over p in [p0, p0 + kc) into c (m x n, row stride n): sequential continuing c's
 * sums (load) or from 0, or pairwise over the leaf schedule x->sched (a tree of kc products),
 * added to c as the right operand (load) or stored. */
TARGET static void F(block)(mm_ctx *x, int64_t p0, int64_t kc, T *c, bool load, bool pairwise) {
  int64_t m = x->job->m, n = x->job->n, k = x->job->k, lda = sf_matmul_lda(x->job);
  T *ap = x->apack, *bp = x->bpack;
  T tile[MR * NR] __attribute__((aligned(64)));
  for (int64_t jc = 0; jc < n; jc += MM_NC) {
    int64_t nc = n - jc < MM_NC ? n - jc : MM_NC;
    if (x->job->tb) F(pack)((const T *)x->job->b + jc * k + p0, k, 1, nc, kc, NR, bp);
    else F(pack)((const T *)x->job->b + p0 * n + jc, 1, n, nc, kc, NR, bp);
    for (int64_t ic = 0; ic < m; ic += MM_MC) {
      int64_t mc = m - ic < MM_MC ? m - ic : MM_MC;
      if (x->job->ta) F(pack)((const T *)x->job->a + p0 * lda + ic, 1, lda, mc, kc, MR, ap);
      else F(pack)((const T *)x->job->a + ic * lda + p0, lda, 1, mc, kc, MR, ap);
      for (int64_t jr = 0; jr < nc; jr += NR) {
        int64_t cols = nc - jr < NR ? nc - jr : NR;
        const T *bpan = bp + jr * kc;
        for (int64_t ir = 0; ir < mc; ir += MR) {
          int64_t rows = mc - ir < MR ? mc - ir : MR;
          const T *apan = ap + ir * kc;
          T *dst = c + (ic + ir) * n + jc + jr;
          bool full = rows == MR && cols == NR;
          T *t = full ? dst : tile;
          int64_t ldt = full ? n : NR;
          if (!full && load)
            for (int64_t r = 0; r < rows; r++) memcpy(tile + r * NR, dst + r * n, (size_t)cols * sizeof(T));
          if (pairwise) F(tile_pairwise)(apan, bpan, x->sched, x->nleaves, x->stack, t, ldt, load);
          else F(tile_seq)(apan, bpan, kc, t, ldt, load);
          if (!full)
            for (int64_t r = 0; r < rows; r++) memcpy(dst + r * n, tile + r * NR, (size_t)cols * sizeof(T));
        }
      }
    }
  }
}

/* Pairwise sum S over p in [p0, p0 + len) into c: c = S, or c = c + S (add: S is the right
 * operand). Subtrees of at most MM_KC products are one block; a larger tree is its left half
 * into c, then its right half added to it by its tiles, so a tree of up to 2 MM_KC products
 * needs no matrix of halves. A larger tree to be added is summed in tmp[level - 1] first
 * (one active tree per level). */
TARGET static void F(pairwise)(mm_ctx *x, int64_t p0, int64_t len, T *c, bool add, int level) {
  if (len <= MM_KC) {
    x->nleaves = mm_schedule(len, PW_LEAF, x->sched);
    F(block)(x, p0, len, c, add, true);
    return;
  }
  int64_t h = len / 2, mn = x->job->m * x->job->n;
  T *s = add ? (T *)x->tmp + (int64_t)(level - 1) * mn : c;
  F(pairwise)(x, p0, h, s, false, level + 1);
  F(pairwise)(x, p0 + h, len - h, s, true, level + 1);
  if (add)
    for (int64_t i = 0; i < mn; i++) c[i] = c[i] + s[i];
}

TARGET static void F(run)(mm_ctx *x) {
  T *c = x->job->out;
  int64_t k = x->job->k;
  if (x->job->pairwise) {
    F(pairwise)(x, 0, k, c, false, 0);
    return;
  }
  for (int64_t p0 = 0; p0 < k; p0 += MM_KC)
    F(block)(x, p0, k - p0 < MM_KC ? k - p0 : MM_KC, c, p0 > 0, false);
}

#ifdef MM_DIRECT
/* Small products without packing: the reference's loops on the raw arrays (a scalar chain of
 * rounded operations per element, pairwise by recursion). */
static T F(direct_dot)(const T *a, int64_t as, const T *b, int64_t bs, int64_t k, bool pairwise) {
  if (pairwise && k > 2) {
    int64_t h = k / 2;
    T left = F(direct_dot)(a, as, b, bs, h, pairwise);
    return left + F(direct_dot)(a + h * as, as, b + h * bs, bs, k - h, pairwise);
  }
  T s = 0;
  for (int64_t p = 0; p < k; p++) s = s + a[p * as] * b[p * bs];
  return s;
}

static void F(direct)(const sf_matmul_job *j) {
  const T *a = j->a, *b = j->b;
  T *out = j->out;
  int64_t lda = sf_matmul_lda(j), as = j->ta ? lda : 1, bs = j->tb ? 1 : j->n;
  for (int64_t i = 0; i < j->m; i++)
    for (int64_t c = 0; c < j->n; c++)
      out[i * j->n + c] = F(direct_dot)(a + (j->ta ? i : i * lda), as, b + (j->tb ? c * j->k : c), bs, j->k,
                                        j->pairwise);
}
#endif

static const mm_impl F(impl) = {MR, NR, sizeof(T), F(run)};

#undef V
#undef NR
#undef F
#undef MM_CAT
#undef MM_CAT_
#undef T
#undef VL
#undef MR
#undef NRV
#undef PW_LEAF
#undef ISA
#undef TARGET
