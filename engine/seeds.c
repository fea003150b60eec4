/* seeds.c — TensorFlow's Python-side seed derivation (random_seed.py get_seed) for the
 * tf1 profile (TF 1.15–2.1: graph op seed = graph._last_id) and tf2 (TF 2.2–2.9: per-graph
 * counter); eager op seeds come from random.Random(global_seed) (context.py). */
#include "seeds.h"

int64_t sf_truncate_seed(int64_t s) {
  int64_t r = s % SF_MAXINT32; /* Python's % : result has the divisor's sign */
  return r < 0 ? r + SF_MAXINT32 : r;
}

void sf_eager_seeds_set(sf_eager_seeds *s, int64_t seed) {
  s->has_global = true;
  s->global = seed;
  sf_mt_seed_python(&s->py, seed); /* context._rng = random.Random(seed) */
  s->draws = 0;
}

void sf_get_seed(sf_profile profile, sf_eager_seeds *eager, sf_graph *g, bool has_op_seed, int64_t op_seed,
                 int64_t seeds[2], sf_seed_origin origin[2]) {
  bool has_global = eager ? eager->has_global : g->has_seed;
  int64_t global = eager ? eager->global : g->seed;
  sf_seed_origin o2 = {SF_SEED_OP, 0};
  if (has_global) {
    if (!has_op_seed) {
      if (eager) { /* context.internal_operation_seed(): randint(0, _MAXINT32) */
        op_seed = sf_py_randint(&eager->py, 0, SF_MAXINT32);
        o2 = (sf_seed_origin){SF_SEED_EAGER_STREAM, eager->draws++};
      } else if (profile == SF_PROFILE_TF1) { /* TF <= 2.1: graph._last_id */
        op_seed = g->n;
        o2 = (sf_seed_origin){SF_SEED_NODE_ID, g->n};
      } else { /* TF >= 2.2: _graph_to_seed_dict counter */
        op_seed = g->seed_counter++;
        o2 = (sf_seed_origin){SF_SEED_GRAPH_COUNTER, op_seed};
      }
    }
    seeds[0] = sf_truncate_seed(global);
    seeds[1] = sf_truncate_seed(op_seed);
    origin[0] = (sf_seed_origin){SF_SEED_GLOBAL, 0};
    origin[1] = o2;
  } else if (has_op_seed) {
    seeds[0] = SF_DEFAULT_GRAPH_SEED;
    seeds[1] = sf_truncate_seed(op_seed);
    origin[0] = (sf_seed_origin){SF_SEED_DEFAULT_GRAPH, 0};
    origin[1] = o2;
  } else { /* (None, None): attrs 0, 0 -> the kernel draws from the OS */
    seeds[0] = seeds[1] = 0;
    origin[0] = origin[1] = (sf_seed_origin){SF_SEED_OS_ENTROPY, 0};
    return;
  }
  if (seeds[0] == 0 && seeds[1] == 0) { /* (0, 0) would mean "nondeterministic" in C++ */
    seeds[1] = SF_MAXINT32;
    origin[1] = (sf_seed_origin){SF_SEED_ZERO_FIX, origin[1].detail};
  }
}

uint64_t sf_runtime_entropy(sf_runtime *rt) {
  if (!rt || !rt->fixed_entropy) return sf_os_random64();
  uint64_t z = __atomic_add_fetch(&rt->entropy_state, 0x9e3779b97f4a7c15ULL, __ATOMIC_RELAXED); /* splitmix64 */
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
