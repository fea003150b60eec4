import tensorflow as tf
from tensorflow import keras
model = keras.models.Sequential([keras.layers.Dense(3, kernel_regularizer='l2', input_shape=(2,))])
print(model.losses)
l2_reg = keras.regularizers.l2(0.05)
model = keras.models.Sequential([keras.layers.Dense(3, kernel_regularizer=l2_reg)])
