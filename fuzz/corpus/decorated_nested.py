@tf.function
@tf.function(jit_compile=True)
def f(a, b,):
    def g(): return a, b
    return g()
print(f(1, 2))
