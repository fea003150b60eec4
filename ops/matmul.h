/* matmul.h — the matrix-product kernels behind MatMul (and the transposed MatMuls its
 * gradient builds): packed, register- and cache-blocked, one instance per CPU feature level,
 * each output element summed in exactly the documented order (sequential or pairwise). */
#ifndef SEEDFLOW_OPS_MATMUL_H
#define SEEDFLOW_OPS_MATMUL_H

#include <stdbool.h>
#include <stdint.h>

/* out[m][n] = op(a) op(b) with op(a) m x k (a is k x m when ta) and op(b) k x n (b is n x k
 * when tb); out is written whole. Sequential: out[i][j] = ((0 + p0) + p1) + ... ; pairwise:
 * a sum of more than 2 products is (sum of the first k/2) + (sum of the rest), each half
 * summed the same way. Every product and partial sum is rounded to the element type. */
typedef struct sf_matmul_job {
  const void *a, *b;
  void *out;
  int64_t m, n, k;
  bool ta, tb, pairwise, f64;
  int64_t lda;              /* elements from one stored row of a to the next; 0: a is dense
                               (k, or m when ta). A job for some rows of out keeps the whole
                               matrix's stride: the columns of a stored k x m a. */
} sf_matmul_job;
static inline int64_t sf_matmul_lda(const sf_matmul_job *j) { return j->lda ? j->lda : j->ta ? j->m : j->k; }

/* The kernel sets, widest first, then SF_MM_DIRECT: plain loops without packing. SF_MM_AUTO
 * picks the direct loops for small products, else the widest set this CPU runs. */
typedef enum sf_matmul_isa {
  SF_MM_AUTO = -1, SF_MM_AVX512, SF_MM_AVX2, SF_MM_BASELINE, SF_MM_DIRECT, SF_MM_ISAS
} sf_matmul_isa;

/* Whether this CPU runs kernel set isa, and its name ("avx512", "avx2", "baseline", "direct"). */
bool sf_matmul_isa_supported(sf_matmul_isa isa);
const char *sf_matmul_isa_name(sf_matmul_isa isa);

/* Runs the job with kernel set isa (which must be supported). Returns false only when the
 * packing buffers cannot be allocated. All kernel sets give the same bits. */
bool sf_matmul(const sf_matmul_job *job, sf_matmul_isa isa);
/* The same with up to `threads` threads (sf_parallel_for), each computing a band of out's
 * rows as its own job: every element is summed by the same code in the same order, so
 * the bits do not depend on threads. */
bool sf_matmul_threads(const sf_matmul_job *job, sf_matmul_isa isa, int threads);

#endif
