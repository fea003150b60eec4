# retracing.py — effect 8: retracing.
# A tf.function is traced again for every new call signature: a new Python argument value,
# or a tensor argument of a new dtype or shape (tf-api-semantics.md D1). Each trace is a
# new FuncGraph: its op-seed counter starts again at 0 and its kernels are new, so the
# new concrete function repeats the first one's first draws, while calls of an existing
# trace continue its kernels (N*256 blocks per call).
# In eager mode the body runs eagerly on every call (each draw a new eager op seed); in
# graph mode it is inlined into the one graph, a new node per call.
# Look for: the seed2 and counter block of each call, and which prints repeat.
# Run:  seedflow compare examples/retracing.py
#       seedflow explain examples/retracing.py --mode function
import tensorflow as tf

tf.random.set_seed(1234)


@tf.function
def noisy(x, scale):
    return x + scale * tf.random.uniform([2])


zeros = tf.constant([0.0, 0.0])
print(noisy(zeros, 1.0))
print(noisy(zeros, 1.0))
print(noisy(zeros, 2.0))
print(noisy(tf.constant([[0.0], [0.0]]), 1.0))
print(noisy(zeros, 1.0))
