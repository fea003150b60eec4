# Example 2 of the article, as written: a Dense + Dropout model called twice, with the
# global seed reset in between.
#
# What to look for: Output 1 and Output 2 are identical in every mode. The article says
# dropout makes them differ, but model(x) without training=True runs no dropout at all
# (Keras applies Dropout only when training). See dropout_training.py for what happens
# when dropout is active.
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
