import tensorflow as tf
v = tf.Variable(2.0, trainable=False)
with tf.GradientTape() as tape:
    y = v * v
print(tape.gradient(y, v))
t = tf.GradientTape()
try:
    t.gradient(y, v)
except RuntimeError as e:
    print("RuntimeError", e)
w = tf.Variable(3.0)
with tf.GradientTape() as t3:
    a = w * w
print(t3.gradient(a, w))
with t3:
    b = w * 4.0
print(t3.gradient(b, w))
with tf.GradientTape() as t4:
    with t4:
        pass
