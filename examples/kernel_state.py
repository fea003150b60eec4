# kernel_state.py — effect 3: kernel state.
# A stateful random kernel keeps a Philox counter: each call reserves N*256 blocks and the
# next call continues after them. In graph mode print(x) is a session.run, so printing `x`
# twice runs its kernel twice and the second print differs; in eager `x` is a value,
# computed once. `y` has the same seeds as `x`: in eager it reuses x's cached kernel
# (same op type and attributes) and continues its counter; in graph mode it is a new node
# with a fresh kernel. tf.random.set_seed in eager clears the kernel cache, so `z`
# starts over and equals `x`'s first draw.
# Look for: the counter start (block 0, 512, ...) of each execution.
# Run:  seedflow compare examples/kernel_state.py
#       seedflow explain examples/kernel_state.py --mode graph
import tensorflow as tf

tf.random.set_seed(1234)
x = tf.random.uniform([2], seed=1)
print(x)
print(x)
y = tf.random.uniform([2], seed=1)
print(y)
tf.random.set_seed(1234)
z = tf.random.uniform([2], seed=1)
print(z)
