/* arena.h — bump allocation for data that lives as long as its owner (a program's AST,
 * a graph's names and attributes). One sf_arena_free releases everything at once. */
#ifndef SEEDFLOW_ARENA_H
#define SEEDFLOW_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sf_arena_chunk sf_arena_chunk;
typedef struct sf_budget sf_budget;
typedef struct sf_arena {
  sf_arena_chunk *head;
  size_t first;             /* bytes of the first chunk; 0: 64 KiB (then doubling to 2 MiB) */
  sf_budget *budget;        /* charged for each chunk from now on (a run's memory limit), or NULL;
                             * the owner keeps it alive until sf_arena_free */
  int64_t charged;          /* what the chunks took from it, given back by sf_arena_free */
  bool over;                /* an allocation failed because the budget was spent */
} sf_arena;

/* Zeroed memory of size bytes, aligned for any type; NULL when out of memory. */
void *sf_arena_alloc(sf_arena *a, size_t size);
/* The same, not zeroed (arrays the caller fills). */
void *sf_arena_take(sf_arena *a, size_t size);
/* Copies of strings, packed (no alignment, no zeroing beyond the terminator). */
char *sf_arena_strdup(sf_arena *a, const char *s);
char *sf_arena_strndup(sf_arena *a, const char *s, size_t n);
/* Growable arrays in the arena: returns a copy of old (n elements of size) with room for
 * cap elements, or NULL. The old block is simply abandoned until the arena is freed. */
void *sf_arena_grow(sf_arena *a, const void *old, size_t n, size_t cap, size_t size);
void sf_arena_free(sf_arena *a);

#endif
