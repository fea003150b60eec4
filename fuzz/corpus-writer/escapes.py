import tensorflow as tf
x = tf.random.normal([2], seed=1, name="q\"b\\s\u00e9")
print(x)
