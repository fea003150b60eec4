/* hash.h — the one place uthash is included, configured for a library: on out of memory
 * an add fails (the element is not in the table, SF_HASH_ADDED is false) instead of
 * uthash's default exit(-1). Every file that needs a hash table includes this. */
#ifndef SEEDFLOW_HASH_H
#define SEEDFLOW_HASH_H

#define HASH_NONFATAL_OOM 1
#include <uthash.h>

/* After HASH_ADD*: whether elt made it into the table (false only when out of memory). */
#define SF_HASH_ADDED(elt) ((elt)->hh.tbl != NULL)

#endif
