# arithmetic_order.py — effect 6: arithmetic order.
# Float addition is not associative: a matmul that sums its 32 products left to right and
# one that sums them pairwise (as blocked or threaded kernels do) can differ in the last
# bit. Training amplifies such differences; here a stand-in for training steps, 40 steps
# of the chaotic update p = 3.9 * p * (1 - p), turns a last-bit difference into a
# different number. The random draws are identical in every mode (op seeds are given):
# only the summation order differs, and only between --accumulate orders.
# Look for: `h` differing in its last digits between the two runs below, and `p` after
# 40 steps differing in every digit; compare shows all three modes agree for one order.
# Run:  seedflow run examples/arithmetic_order.py --accumulate=sequential
#       seedflow run examples/arithmetic_order.py --accumulate=pairwise
#       seedflow compare examples/arithmetic_order.py
import tensorflow as tf

x = tf.random.normal([1, 32], seed=2)
w = tf.random.normal([32, 1], seed=1)
h = tf.matmul(x, w)
p = 1.0 / (1.0 + h * h)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
p = 3.9 * p * (1.0 - p)
# One print fetches both: a TF1 session.run re-runs the random ops on every fetch.
print((h, p))
