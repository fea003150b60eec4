/* arena.c — chunked bump allocator; see arena.h. Chunks start at 64 KiB and double up to
 * 2 MiB (one huge page: little slack in a program's memory); a larger request gets a chunk
 * of its own size. An arena with a budget (the interpreter's: a run's memory limit) charges
 * each chunk to it and refuses one past it. */
#include "arena.h"
#include "bigmem.h"
#include "graph.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct sf_arena_chunk {
  sf_arena_chunk *next;
  size_t used, cap;
  alignas(max_align_t) unsigned char mem[];
};

enum { CHUNK_MIN = 64 * 1024, CHUNK_MAX = 2 << 20 };

/* size bytes at the next multiple of align (a power of two, at most max_align_t's) in the
 * head chunk, or in a new chunk; not zeroed. */
static void *arena_take(sf_arena *a, size_t size, size_t align) {
  sf_arena_chunk *c = a->head;
  size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;
  if (!c || at > c->cap || c->cap - at < size) {
    /* Chunks (header included) double up to CHUNK_MAX: a big graph's nodes then sit in a
     * few huge pages (sf_big_alloc), not in thousands of 4 KiB ones every pass walks. */
    size_t whole = c ? sizeof *c + c->cap : (a->first ? a->first : CHUNK_MIN) / 2;
    size_t cap = (whole < CHUNK_MAX / 2 ? 2 * whole : CHUNK_MAX) - sizeof *c;
    if (cap < size) cap = size;
    if (cap > SIZE_MAX - sizeof *c || sizeof *c + cap > INT64_MAX) return NULL;
    int64_t bytes = (int64_t)(sizeof *c + cap);
    if (a->budget && !sf_budget_charge(a->budget, bytes)) return a->over = true, NULL;
    c = sf_big_alloc(sizeof *c + cap);
    if (!c) {
      sf_budget_add(a->budget, -bytes);
      return NULL;
    }
    if (a->budget) a->charged += bytes;
    c->used = 0;
    c->cap = cap;
    c->next = a->head;
    a->head = c;
    at = 0;
  }
  c->used = at + size;
  return c->mem + at;
}

void *sf_arena_take(sf_arena *a, size_t size) { return arena_take(a, size ? size : 1, alignof(max_align_t)); }

void *sf_arena_alloc(sf_arena *a, size_t size) {
  void *p = sf_arena_take(a, size);
  if (p) memset(p, 0, size);
  return p;
}

/* Strings need no alignment and no zeroing: packed byte after byte. */
char *sf_arena_strndup(sf_arena *a, const char *s, size_t n) {
  char *d = n < SIZE_MAX ? arena_take(a, n + 1, 1) : NULL;
  if (d) {
    memcpy(d, s, n);
    d[n] = '\0';
  }
  return d;
}

char *sf_arena_strdup(sf_arena *a, const char *s) { return sf_arena_strndup(a, s, strlen(s)); }

void *sf_arena_grow(sf_arena *a, const void *old, size_t n, size_t cap, size_t size) {
  if (size && cap > SIZE_MAX / size) return NULL;
  void *p = sf_arena_alloc(a, cap * size);
  if (p && n) memcpy(p, old, n * size);
  return p;
}

void sf_arena_free(sf_arena *a) {
  sf_arena_chunk *c = a->head;
  while (c) {
    sf_arena_chunk *next = c->next;
    sf_big_free(c, sizeof *c + c->cap);
    c = next;
  }
  a->head = NULL;
  sf_budget_add(a->budget, -a->charged);
  a->charged = 0;
}
