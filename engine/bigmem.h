/* bigmem.h — per-node work arrays of big graphs (the pass pipeline's tables and scratch, the
 * arena chunks of a big graph): arrays of at least SF_BIGMEM_MIN bytes are mapped on their
 * own and asked to be backed by transparent huge pages (2 MiB on x86-64), so that walking or
 * probing a million nodes does not miss the TLB at every page (a two-level page walk under
 * a hypervisor). Arrays from 128 KiB are mapped on their own too, in 4 KiB pages, and freed
 * mappings of both kinds are kept for the next array of the same size (a session's runs
 * ask for the same arrays every run); smaller arrays are plain malloc. Contents are
 * undefined, like malloc's.
 * Internal header. */
#ifndef SEEDFLOW_BIGMEM_H
#define SEEDFLOW_BIGMEM_H

#include <stddef.h>

enum { SF_BIGMEM_MIN = 2 << 20 };

void *sf_big_alloc(size_t size);
/* Zero-filled. */
void *sf_big_calloc(size_t count, size_t size);
/* size: what was asked of sf_big_alloc / sf_big_calloc. NULL is a no-op. */
void sf_big_free(void *p, size_t size);

/* The process's malloc policy a program running sessions sets once at start-up (the CLI,
 * bench-executor, the test runner): freed heap is kept for the next run, not handed back to
 * the kernel and faulted in again. glibc only; a process-wide setting, so the library never
 * sets it by itself. */
void sf_malloc_keep_heap(void);

#endif
