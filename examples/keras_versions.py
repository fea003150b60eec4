# Effect 11, Keras versions: the same Keras program, seeded the way the Keras docs say
# (keras.utils.set_random_seed), gives three different weight sets in TF 2.2-2.9, TF
# 2.10-2.15 and TF 2.16+ with Keras 3 -- with no change to the program.
#
# What to look for: profile tf2 (tf.keras <= 2.6 rules) initializes the Dense kernels with
# stateful RandomUniform ops whose op seeds come from the global seed (eager stream);
# tf2.10 (tf.keras 2.10-2.15) makes every initializer a stateless op seeded [s, 0], s
# drawn from the Random(42) set_random_seed stores, at build time, layer by layer; keras3
# draws s from Python's global random when each layer is constructed -- and the Dropout
# layer's SeedGenerator takes a draw too, so the second Dense gets the third draw, not
# the second. Dropout itself is stateful in tf2/tf2.10 and SeedGenerator [s, k] in keras3.
#
# Run:  seedflow compare examples/keras_versions.py --modes eager:tf2,eager:tf2.10,eager:keras3
#       seedflow explain examples/keras_versions.py --profile keras3
#       seedflow demo versions
# Modes: eager:tf2,eager:tf2.10,eager:keras3,function:tf2.10,function:keras3
import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(42)
model = tf.keras.Sequential([
    tf.keras.layers.Dense(3, input_shape=(2,)),
    tf.keras.layers.Dropout(0.5),
    tf.keras.layers.Dense(1),
])
weights = model.get_weights()
print("kernel 1:", weights[0])
print("kernel 2:", weights[2])
x = np.ones((4, 2), dtype=np.float32)
print("training output:", model(x, training=True))
