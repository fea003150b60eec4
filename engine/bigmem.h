/* bigmem.h — per-node work arrays of big graphs (the pass pipeline's tables and scratch):
 * arrays of at least SF_BIGMEM_MIN bytes are mapped on their own and asked to be backed by
 * transparent huge pages, so that the random probes of a table of a million nodes do not
 * each miss the TLB (a two-level page walk under a hypervisor). Smaller arrays are plain
 * malloc. Contents are undefined, like malloc's. Internal header. */
#ifndef SEEDFLOW_BIGMEM_H
#define SEEDFLOW_BIGMEM_H

#include <stddef.h>

enum { SF_BIGMEM_MIN = 1 << 20 };

void *sf_big_alloc(size_t size);
/* Zero-filled. */
void *sf_big_calloc(size_t count, size_t size);
/* size: what was asked of sf_big_alloc / sf_big_calloc. NULL is a no-op. */
void sf_big_free(void *p, size_t size);

#endif
