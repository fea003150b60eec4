import tensorflow as tf
x = tf.constant([1.0, 2.0])
v = tf.Variable([0.5, -1.0])
m = tf.keras.Sequential([tf.keras.layers.Dense(2, kernel_initializer='ones', input_shape=(2,))])
opt = tf.keras.optimizers.SGD(0.1)
for i in range(3):
    with tf.GradientTape() as t:
        t.watch(x)
        y = tf.reduce_sum(tf.square(x * v) + tf.cast(i, tf.float32))
    gx, gv = t.gradient(y, [x, v])
    with tf.GradientTape() as t3:
        loss = tf.reduce_mean(tf.square(m(tf.reshape(x, [1, 2]))))
    grads = t3.gradient(loss, m.trainable_variables)
    opt.apply_gradients(zip(grads, m.trainable_variables))
a = tf.convert_to_tensor(tf.constant([1.0]) + 1.0)
print(gx, gv, a, tf.cast(a, tf.float32), (a * 2.0).numpy(), loss)
