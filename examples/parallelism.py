# parallelism.py — effect 5: parallelism.
# Four draws from one tf.random.Generator are fetched by a single print, so a graph
# executor may run them in any order. Serially they run in schedule order; on a thread
# pool they race for the generator's counter and the four means can swap between runs.
# --deterministic runs stateful ops serialized in a fixed order, which fixes it.
# Look for: the printed means changing from run to run with --threads, never with
# --deterministic. The golden file records the serial run.
# Run:  seedflow run examples/parallelism.py --mode graph --threads 4   (repeat it)
#       seedflow run examples/parallelism.py --mode graph --threads 4 --deterministic
import tensorflow as tf

g = tf.random.Generator.from_seed(2024)
a = g.normal([64])
b = g.normal([64])
c = g.normal([64])
d = g.normal([64])
print((tf.reduce_mean(a), tf.reduce_mean(b), tf.reduce_mean(c), tf.reduce_mean(d)))
