# loop_body.py — effect 10: loop body.
# Inside a tf.function, AutoGraph turns `for i in tf.range(n)` (and `while`/`if` on a
# tensor) into tf.while_loop (tf.cond), and while_v2 traces the body ONCE into a FuncGraph
# of its own (tf-api-semantics.md §3.2): its op-seed counter starts at 0, so the body's
# random op gets (1234, 0) like the function's first op, and it is one node with one
# kernel that every iteration runs again, 256 blocks further on; the next call of the
# function continues that kernel. A Python `for i in range(4)` is unrolled at trace time
# instead: four ops, (1234, 0) .. (1234, 3), each drawing its first value.
# Each digit below is one draw of uniform(0, 10, int32), so the numbers show the draws.
# In eager mode every loop runs as Python: each draw a new eager op seed.
# Look for: the body's seed2 (0 in every iteration) and its counter block (0, 256, ...).
# Modes: eager:tf2,graph:tf2,function:tf2,eager:tf1
# Run:  seedflow compare examples/loop_body.py --profile tf2
#       seedflow explain examples/loop_body.py --mode function
import tensorflow as tf

tf.random.set_seed(1234)


def digit():
    return tf.random.uniform([], 0, 10, dtype=tf.int32)


@tf.function
def autograph_loop():
    first = digit()
    s = tf.constant(0)
    for i in tf.range(4):
        s = s * 10 + digit()
    return first, s


@tf.function
def python_loop():
    s = tf.constant(0)
    for i in range(4):
        s = s * 10 + digit()
    return s


@tf.function
def while_loop():
    return tf.while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, s * 10 + digit()), [0, 0])


print(autograph_loop())
print(autograph_loop())
print(python_loop())
print(while_loop())
