# Example 3 of the article: SGD on y = 2x, run twice with the seed reset in between.
#
# What to look for: in one process, mode and profile the two runs give the same weights,
# bit for bit; the article says they differ. The initial weights come from the seed, the
# per-epoch shuffle is seeded too (tf2: a RandomShuffle op seeded from the global seed;
# tf1: NumPy's global stream, which tf.random.set_seed does NOT seed), and the arithmetic
# is the same both times. What does change the weights: another mode or profile (other
# initial weights), no seed reset, or another summation order (--accumulate=pairwise;
# on these three samples it adds in the same order: `seedflow demo sgd` uses five).
# Run:  seedflow run examples/sgd.py --mode function
#       seedflow demo sgd
import tensorflow as tf

tf.random.set_seed(123)
model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(1,))])
optimizer = tf.keras.optimizers.SGD(learning_rate=0.1)
model.compile(optimizer=optimizer, loss='mse')

x = tf.constant([[1.0], [2.0], [3.0]])
y = tf.constant([[2.0], [4.0], [6.0]])

model.fit(x, y, epochs=2)
print(model.get_weights())

# Resetting the seed
tf.random.set_seed(123)
model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(1,))])
optimizer = tf.keras.optimizers.SGD(learning_rate=0.1)
model.compile(optimizer=optimizer, loss='mse')

model.fit(x, y, epochs=2)
print(model.get_weights())
