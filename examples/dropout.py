# Example 2 of the article, as written: a Dense + Dropout model called twice, with the
# global seed reset in between.
#
# What to look for: in eager and tf.function Output 1 and Output 2 are identical. The
# article says dropout makes them differ, but model(x) without training=True runs no
# dropout (Keras applies Dropout only when training). In graph mode they do differ, not
# from dropout: each Session.run re-samples x = tf.random.normal. See dropout_training.py.
#
# Run:  seedflow compare examples/dropout.py
import tensorflow as tf

tf.random.set_seed(42)
model = tf.keras.Sequential([
    tf.keras.layers.Dense(10, input_shape=(5,), activation='relu'),
    tf.keras.layers.Dropout(0.5)
])

x = tf.random.normal((1, 5))
output1 = model(x)
print("Output 1:\n", output1.numpy())

# Resetting the seed to demonstrate non-determinism with dropout.
tf.random.set_seed(42)
output2 = model(x)
print("Output 2:\n", output2.numpy())
