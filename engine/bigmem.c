/* bigmem.c — see bigmem.h. madvise(MADV_HUGEPAGE) is Linux's; elsewhere big arrays are
 * still mapped on their own, just with the default pages. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, madvise */
#include "bigmem.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#ifdef __GLIBC__ /* (defined by the headers above) */
#include <malloc.h>
#endif

enum { HUGE_PAGE = 2 << 20, PAGE = 4096, MAPPED_MIN = 128 << 10 };

/* Freed mappings kept for the next allocation of the same size: a Session's run loop (and
 * the pass pipeline over one graph run after run) asks for the same arrays every run, and
 * fresh pages are faulted in and cleared by the kernel (28% of a 10^5-node pipeline run
 * here). A big IR's arena is many 2 MiB chunks, so the cache has a slot per chunk: a
 * 10^6-node pipeline run maps 280 MiB, and keeping it all made that run 7-15% faster
 * (4 slots and 64 MiB kept only the largest arrays). Arrays from MAPPED_MIN (glibc's
 * default mmap threshold) to SF_BIGMEM_MIN are mapped and kept too, in 4 KiB pages: from
 * malloc, a 10^5-node run's arrays and arena chunks went back to the kernel when freed and
 * were faulted in again every run (1500 faults a run; 17% of its time). At most
 * CACHE_SLOTS mappings and CACHE_MAX bytes are kept; the process's other memory limits see
 * them as in use. A mapping is kept under its length, plus 1 for 4 KiB pages (a huge-page
 * one of the same length is aligned to 2 MiB, this one need not be). */
enum { CACHE_SLOTS = 192 };
#define CACHE_MAX ((size_t)384 << 20)
static struct {
  pthread_mutex_t lock;
  void *p[CACHE_SLOTS];
  size_t len[CACHE_SLOTS];
  size_t bytes;
  unsigned next; /* the slot to evict when all are taken */
} cache = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* A kept mapping under key (its length, + 1 for 4 KiB pages), or NULL. */
static void *cache_take(size_t key) {
  void *p = NULL;
  pthread_mutex_lock(&cache.lock);
  for (int i = 0; i < CACHE_SLOTS && !p; i++)
    if (cache.p[i] && cache.len[i] == key) {
      p = cache.p[i];
      cache.p[i] = NULL;
      cache.bytes -= key & ~(size_t)1;
    }
  pthread_mutex_unlock(&cache.lock);
  return p;
}

/* Keeps mapping p under key if it fits the cache (evicting one); false: unmap it. */
static bool cache_keep(void *p, size_t key) {
  size_t len = key & ~(size_t)1;
  if (len > CACHE_MAX) return false;
  void *evict = NULL;
  size_t evict_len = 0;
  pthread_mutex_lock(&cache.lock);
  int slot = -1;
  for (int i = 0; i < CACHE_SLOTS && slot < 0; i++)
    if (!cache.p[i]) slot = i;
  if (slot < 0) {
    slot = (int)(cache.next++ % CACHE_SLOTS);
    evict = cache.p[slot];
    evict_len = cache.len[slot] & ~(size_t)1;
    cache.bytes -= evict_len;
    cache.p[slot] = NULL;
  }
  bool kept = cache.bytes + len <= CACHE_MAX;
  if (kept) {
    cache.p[slot] = p;
    cache.len[slot] = key;
    cache.bytes += len;
  }
  pthread_mutex_unlock(&cache.lock);
  if (evict) munmap(evict, evict_len);
  return kept;
}

static bool huge(size_t size) { return size >= SF_BIGMEM_MIN; }

/* Whole huge pages (from SF_BIGMEM_MIN) or whole 4 KiB pages. */
static size_t mapped_size(size_t size) {
  size_t unit = huge(size) ? HUGE_PAGE : PAGE;
  return (size + unit - 1) & ~(unit - 1);
}

static size_t cache_key(size_t size) { return mapped_size(size) | !huge(size); }

/* A mapping for size bytes (from MAPPED_MIN): whole huge pages aligned to one (a mapping of
 * HUGE_PAGE more bytes, trimmed) or whole 4 KiB pages; *fresh: it is a new one (zero-filled). */
static void *big_map(size_t size, bool *fresh) {
  size_t len = mapped_size(size);
  if (len < size || len > SIZE_MAX - HUGE_PAGE) return NULL;
  void *kept = cache_take(cache_key(size));
  *fresh = !kept;
  if (kept) return kept;
  if (!huge(size)) {
    void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return m == MAP_FAILED ? NULL : m;
  }
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

void *sf_big_alloc(size_t size) {
  if (size < MAPPED_MIN) return malloc(size ? size : 1);
  bool fresh;
  return big_map(size, &fresh);
}

/* Fresh anonymous mappings are zero already; kept ones are cleared. */
void *sf_big_calloc(size_t count, size_t size) {
  if (size && count > SIZE_MAX / size) return NULL;
  size_t bytes = count * size;
  if (bytes < MAPPED_MIN) return calloc(count ? count : 1, size ? size : 1);
  bool fresh;
  void *p = big_map(bytes, &fresh);
  if (p && !fresh) memset(p, 0, bytes);
  return p;
}

void sf_big_free(void *p, size_t size) {
  if (!p) return;
  if (size < MAPPED_MIN) free(p);
  else if (!cache_keep(p, cache_key(size))) munmap(p, mapped_size(size));
}

/* glibc's malloc hands freed heap back to the kernel once 128 KiB are free at its top (or,
 * after a big block was unmapped, twice that block's size) and the next run faults it in
 * again: a session re-running a 10^5-node graph trimmed and refaulted its folded constants
 * every run (234 page faults a run). Keep up to 64 MiB, and serve blocks up to 32 MiB from
 * the heap (glibc's own ceiling for its adaptive mmap threshold, which setting the trim
 * threshold turns off). */
void sf_malloc_keep_heap(void) {
#ifdef __GLIBC__
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
}
