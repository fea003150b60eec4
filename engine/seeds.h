/* seeds.h — random_seed.get_seed: the (seed, seed2) attributes a random op gets, per mode
 * and profile, with where each came from (internal header). */
#ifndef SEEDFLOW_SEEDS_H
#define SEEDFLOW_SEEDS_H

#include "graph.h"

#define SF_DEFAULT_GRAPH_SEED 87654321
#define SF_MAXINT32 2147483647

/* The eager context's seed state (context.py): global seed and the op-seed stream. */
typedef struct sf_eager_seeds {
  bool has_global;
  int64_t global;
  sf_mt19937 py;            /* random.Random(global_seed) */
  int64_t draws;            /* randint draws so far */
} sf_eager_seeds;

/* tf.random.set_seed in eager: new global seed, new Python stream. */
void sf_eager_seeds_set(sf_eager_seeds *s, int64_t seed);
int64_t sf_truncate_seed(int64_t s);

/* get_seed(op_seed). eager != NULL selects the eager rule, otherwise the graph rule on g.
 * With no seed at all, returns (0, 0) with source os-entropy (the kernel seeds itself). */
void sf_get_seed(sf_profile profile, sf_eager_seeds *eager, sf_graph *g, bool has_op_seed, int64_t op_seed,
                 int64_t seeds[2], sf_seed_origin origin[2]);

#endif
