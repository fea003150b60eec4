import tensorflow as tf
x = tf.constant(3.0)
with tf.GradientTape() as t:
    y = tf.constant(2.0) * 3.0
    z = y * y
print(t.gradient(z, y))
with tf.GradientTape() as t1:
    t1.watch(x)
    y1 = x * x
    z1 = y1 * y1
print(t1.gradient(z1, y1))
with tf.GradientTape() as t2:
    t2.watch(x)
    a = x * x
b = a * 2.0
with t2:
    c = b * x
print(t2.gradient(c, x))
with tf.GradientTape() as t3:
    t3.watch(x)
    a3 = x * x
with t3:
    b3 = a3 * x
print(t3.gradient(b3, x))
