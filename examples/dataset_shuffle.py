# dataset_shuffle.py — effect 9: dataset shuffle.
# Dataset.shuffle keeps a buffer of buffer_size elements and outputs buffer[word mod live]
# for one 32-bit Philox word per element (tf-api-semantics.md §2.1). Its seeds come from
# get_seed(seed) when shuffle() is called; with reshuffle_each_iteration (the default)
# every new iterator takes two more words of a seed generator, so each epoch has a new
# order; without it every epoch repeats one order (§2.2). Under --profile tf1 the
# generator belongs to the iterator, so every `for` repeats the first order (tf#27680).
# Look for: which epochs repeat, and how the global seed changes the order.
# Run:  seedflow run examples/dataset_shuffle.py
#       seedflow run examples/dataset_shuffle.py --profile tf1
import tensorflow as tf

tf.random.set_seed(42)
ds = tf.data.Dataset.range(10).shuffle(buffer_size=4, seed=7)
for epoch in range(2):
    print([int(x) for x in ds])
fixed = tf.data.Dataset.range(10).shuffle(buffer_size=4, seed=7, reshuffle_each_iteration=False)
for epoch in range(2):
    print([int(x) for x in fixed])
for batch in tf.data.Dataset.range(6).repeat(2).shuffle(3, seed=1).batch(4):
    print(batch)
# Modes: eager:tf2,eager:tf1 (seedflow runs tf.data in eager mode only)
