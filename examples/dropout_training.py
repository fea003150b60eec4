# Example 2 of the article with dropout active (training=True).
#
# What to look for: now the two outputs differ, and not because dropout is "not controlled
# by the global seed". In TF2 eager the dropout op's seed2 is the next draw of
# random.Random(42): the first call is the third draw (the Dense initializer and
# normal((1, 5)) came first), the call after set_seed(42) is the first draw again. In TF1
# graph mode the two calls build two dropout ops with different node counts.
#
# Run:  seedflow explain examples/dropout_training.py
import tensorflow as tf

tf.random.set_seed(42)
model = tf.keras.Sequential([
    tf.keras.layers.Dense(10, input_shape=(5,), activation='relu'),
    tf.keras.layers.Dropout(0.5)
])

x = tf.random.normal((1, 5))
output1 = model(x, training=True)
print("Output 1:\n", output1.numpy())

tf.random.set_seed(42)
output2 = model(x, training=True)
print("Output 2:\n", output2.numpy())
