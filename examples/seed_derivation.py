# seed_derivation.py — effect 1 (design.md "Why draws differ"): seed derivation.
# With only a global seed, each mode derives a different op seed for the same op, so the
# same seed gives different numbers: TF1 graphs use the graph's op count (graph._last_id,
# here 3: the shape, mean and stddev Consts come first), TF >= 2.2 graphs and tf.function
# a per-graph counter (0), eager the first draw of Python's random.Random(1234)
# (1892932127). Look for: `w` differs in every mode, `v` (given an op seed) agrees.
# Run:  seedflow compare examples/seed_derivation.py --modes graph:tf1,eager,function
#       seedflow explain examples/seed_derivation.py --mode graph --profile tf1
import tensorflow as tf

tf.random.set_seed(1234)
w = tf.random.normal([2, 3])
print(w)

# With an op seed the pair is (1234, 7) in every mode: the modes agree.
v = tf.random.uniform([3], seed=7)
print(v)
