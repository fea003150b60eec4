/* bigmem.c — see bigmem.h. madvise(MADV_HUGEPAGE) is Linux's; elsewhere big arrays are
 * still mapped on their own, just with the default pages. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, madvise */
#include "bigmem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

enum { HUGE_PAGE = 2 << 20 };

/* Whole huge pages, aligned to one: a mapping of HUGE_PAGE more bytes, trimmed. */
static size_t mapped_size(size_t size) { return (size + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1); }

void *sf_big_alloc(size_t size) {
  if (size < SF_BIGMEM_MIN) return malloc(size ? size : 1);
  size_t len = mapped_size(size);
  if (len < size || len > SIZE_MAX - HUGE_PAGE) return NULL;
  char *m = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) return NULL;
  char *p = (char *)(((uintptr_t)m + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
  if (p > m) munmap(m, (size_t)(p - m));
  if (p + len < m + len + HUGE_PAGE) munmap(p + len, (size_t)(m + len + HUGE_PAGE - (p + len)));
#ifdef MADV_HUGEPAGE
  madvise(p, len, MADV_HUGEPAGE); /* a hint: without it the pages are simply 4 KiB */
#endif
  return p;
}

/* Fresh anonymous mappings are zero already. */
void *sf_big_calloc(size_t count, size_t size) {
  if (size && count > SIZE_MAX / size) return NULL;
  size_t bytes = count * size;
  if (bytes < SF_BIGMEM_MIN) return calloc(count ? count : 1, size ? size : 1);
  return sf_big_alloc(bytes);
}

void sf_big_free(void *p, size_t size) {
  if (!p) return;
  if (size < SF_BIGMEM_MIN) free(p);
  else munmap(p, mapped_size(size));
}
