# construction_order.py — effect 2: construction order.
# In a TF1 graph an op's seed2 is the number of ops created before it (graph._last_id),
# so every op added earlier shifts it: the Const `c` gives `u` seed2 = 4 (3 without it,
# as `w` in seed_derivation.py), and `u`'s own ops push `w` to seed2 = 11. In TF2 eager
# and tf.function the Const changes nothing, but every earlier unseeded random op does:
# `u` takes the first draw of random.Random(1234) (or counter 0), `w` the second (or 1).
# Look for: seed2 of `w` in each mode and the draw it was given.
# Run:  seedflow explain examples/construction_order.py --mode graph --profile tf1
#       seedflow compare examples/construction_order.py --modes graph:tf1,graph,eager
import tensorflow as tf

tf.random.set_seed(1234)
c = tf.constant([1.0, 2.0])
print(c)
u = tf.random.uniform([2])
w = tf.random.normal([2, 3])
print(w)
print(u)
