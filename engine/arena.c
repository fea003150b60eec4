/* arena.c — chunked bump allocator; see arena.h. Chunks are at least 64 KiB, larger
 * requests get a chunk of their own. */
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct sf_arena_chunk {
  sf_arena_chunk *next;
  size_t used, cap;
  alignas(max_align_t) unsigned char mem[];
};

enum { CHUNK_MIN = 64 * 1024 };

void *sf_arena_alloc(sf_arena *a, size_t size) {
  size_t al = alignof(max_align_t);
  size = (size + al - 1) & ~(al - 1);
  if (size == 0) size = al;
  sf_arena_chunk *c = a->head;
  if (!c || c->cap - c->used < size) {
    size_t cap = size > CHUNK_MIN ? size : CHUNK_MIN;
    if (cap > SIZE_MAX - sizeof *c) return NULL;
    c = malloc(sizeof *c + cap);
    if (!c) return NULL;
    c->used = 0;
    c->cap = cap;
    c->next = a->head;
    a->head = c;
  }
  void *p = c->mem + c->used;
  c->used += size;
  memset(p, 0, size);
  return p;
}

char *sf_arena_strndup(sf_arena *a, const char *s, size_t n) {
  char *d = sf_arena_alloc(a, n + 1);
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
    free(c);
    c = next;
  }
  a->head = NULL;
}
