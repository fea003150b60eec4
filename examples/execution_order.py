# execution_order.py — effect 4: execution order.
# A tf.random.Generator is one shared Philox stream: whichever op runs first takes the
# first counter range. Eager runs `a` then `b` as they are written; a TF1 graph runs only
# what print() fetches, so print(b) runs `b` first and the two draws swap. tf.function
# chains stateful ops with automatic control dependencies, so it keeps program order.
# Per-op kernels (`c`, `d`, seeded by their op seed) are immune to reordering: they agree
# in every mode whatever order they run in.
# Look for: a and b swapped in graph mode; c and d identical everywhere.
# Run:  seedflow compare examples/execution_order.py
#       seedflow explain examples/execution_order.py --mode graph
import tensorflow as tf

g = tf.random.Generator.from_seed(7)
a = g.normal([2])
b = g.normal([2])
print(b)
print(a)

c = tf.random.normal([2], seed=5)
d = tf.random.normal([2], seed=6)
print(d)
print(c)
