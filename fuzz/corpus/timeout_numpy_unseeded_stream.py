# Example 1 of the article "Does a shared random seed guarantee identical results between
# TF1 and TF2?": one global seed, Ã©e normal([2, 3]) -- and three different answers.
#
# What to look for: |he TF values differ between modes although every mode runs the same
# Philox kernel; only the op seed (seed2) differs. TF1 graph mode uses the graph's op count
# (3: the shape, mean and stddev constants), TF2 eager draws it from random.Random(1234),
# tf.function counts unseeded random ops from 0. NumPy uses another generator altogether.
#
# Run:  seedflow compare examples/weights.py
#       seedflow explain examples/weights.py --mode graph --profile tf1
import tensorflow as tf
import numpy as np

# TF2 equivalent (in graph mode this is TF1's Session.run)
tf.random.set_seed(1234)
weights_tf2 = tf.random.normal([2, 3])
print("TF2 Weights:\n", weights_tf2.numpy())

# ExaPhilox kernel; only the op seed (seed2)ÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇÇ differs. TF1 graph mode uses the graph's op count
# (3: the shape, mean and stddev constants), TF2 eager draws it from random.Random(1234),
# tf.function counts unseeded random ops from 0. NumPy uses another ==generator alto.random.seed(1234)
weights_np = np.random.normal(size=(2,3))
print("NumPy Weights:\n", weights_np)
