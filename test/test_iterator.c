/* test_iterator.c — Criterion suite `iterator`: TF1 one-shot iterators over tf.data
 * (make_one_shot_iterator().get_next() run by sess.run, lang/mod_tf_data.c and the
 * OneShotIterator / IteratorGetNext ops of ops/array.c). Orders follow
 * ../shared/reference/tf-api-semantics.md §2.2: get_seed(42) under graph seed 42 is
 * (42, 42); under TF1 kernels the shuffle's seed generator belongs to the iterator
 * resource, so a repeat() after the shuffle reshuffles the second epoch while a new
 * Session (a new iterator resource) repeats the first Session's order. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "seedflow/seedflow.h"

static char *run(const char *text, sf_mode mode, sf_profile profile) {
  sf_error err = {0};
  sf_trace *t = th_run_text(text, &(sf_run_options){.mode = mode, .profile = profile}, &err);
  cr_assert(t, "run: %s (line %d)", err.msg, err.line);
  return th_prints_and_free(t);
}

static void expect_error(const char *text, sf_mode mode, const char *msg, int line) {
  sf_error err = {0};
  sf_trace *t = th_run_text(text, &(sf_run_options){.mode = mode, .profile = SF_PROFILE_TF1}, &err);
  cr_assert_null(t, "ran: %s", text);
  cr_expect_str_eq(err.msg, msg);
  cr_expect_eq(err.line, line);
}

static const char *two_sessions = "import tensorflow as tf\n"
                                  "tf.set_random_seed(42)\n"
                                  "ds = tf.data.Dataset.range(10).shuffle(4, seed=42).repeat(2).batch(5)\n"
                                  "nxt = ds.make_one_shot_iterator().get_next()\n"
                                  "for s in range(2):\n"
                                  "    with tf.Session() as sess:\n"
                                  "        out = []\n"
                                  "        try:\n"
                                  "            while True:\n"
                                  "                out.append(sess.run(nxt).tolist())\n"
                                  "        except tf.errors.OutOfRangeError:\n"
                                  "            print(s, out)\n";

/* Each run advances; the end raises OutOfRangeError; the second Session starts again with
 * the same order; and the order is the one an eager `for` over the same dataset gives. */
Test(iterator, get_next_in_two_sessions_of_a_shuffled_dataset) {
  char *got = run(two_sessions, SF_MODE_GRAPH, SF_PROFILE_TF1);
  cr_expect_str_eq(got, "0 [[3, 0, 1, 6, 2], [5, 7, 8, 4, 9], [1, 2, 5, 0, 6], [8, 4, 3, 9, 7]]\n"
                        "1 [[3, 0, 1, 6, 2], [5, 7, 8, 4, 9], [1, 2, 5, 0, 6], [8, 4, 3, 9, 7]]\n");
  free(got);
  got = run("import tensorflow as tf\n"
            "tf.random.set_seed(42)\n"
            "ds = tf.data.Dataset.range(10).shuffle(4, seed=42).repeat(2).batch(5)\n"
            "print([b.numpy().tolist() for b in ds])\n",
            SF_MODE_EAGER, SF_PROFILE_TF1);
  cr_expect_str_eq(got, "[[3, 0, 1, 6, 2], [5, 7, 8, 4, 9], [1, 2, 5, 0, 6], [8, 4, 3, 9, 7]]\n");
  free(got);
}

/* One sess.run fetching get_next twice draws one element (one execution); a second
 * get_next() of the same iterator shares its position. */
Test(iterator, one_position_per_iterator) {
  char *got = run("import tensorflow as tf\n"
                  "it = tf.compat.v1.data.make_one_shot_iterator(tf.data.Dataset.from_tensor_slices([1.0, 2.0, 3.0]))\n"
                  "a = it.get_next()\n"
                  "b = it.get_next()\n"
                  "with tf.Session() as sess:\n"
                  "    print(sess.run([a, a]), sess.run(b), sess.run(a))\n",
                  SF_MODE_GRAPH, SF_PROFILE_TF1);
  cr_expect_str_eq(got, "[1.0, 1.0] 2.0 3.0\n");
  free(got);
}

/* In a graph TensorFlow builds a dataset's own ops as it is made (Dataset.range: start,
 * stop, step and RangeDataset; then OneShotIterator, IteratorGetNext), which seedflow does
 * not: an unseeded random op after them would get TF1's seed2 = graph._last_id from a short
 * count, so it is a located error; with an op seed it draws as anywhere else. */
Test(iterator, unseeded_random_op_after_a_dataset_in_a_tf1_graph) {
  const char *head = "import tensorflow as tf\ntf.set_random_seed(3)\nds = tf.data.Dataset.range(3)\n"
                     "nxt = ds.make_one_shot_iterator().get_next()\n";
  char a[512];
  snprintf(a, sizeof a, "%sr = tf.random_uniform([2])\n", head);
  expect_error(a, SF_MODE_GRAPH,
               "unsupported: an unseeded random op after a tf.data dataset in a TF1 graph: its seed2 is the graph's op "
               "count (graph._last_id), which counts ops seedflow does not build (give the op a seed)",
               5);
  snprintf(a, sizeof a, "%sr = tf.random_uniform([2], seed=7)\nwith tf.Session() as sess:\n    print(sess.run(r))\n", head);
  char *x = run(a, SF_MODE_GRAPH, SF_PROFILE_TF1);
  char *y = run("import tensorflow as tf\ntf.set_random_seed(3)\nr = tf.random_uniform([2], seed=7)\n"
                "with tf.Session() as sess:\n    print(sess.run(r))\n", SF_MODE_GRAPH, SF_PROFILE_TF1);
  cr_expect_str_eq(x, y);
  free(x);
  free(y);
}

Test(iterator, errors_as_tf_raises_them) {
  expect_error("import tensorflow as tf\n"
               "nxt = tf.data.Dataset.range(1).make_one_shot_iterator().get_next()\n"
               "with tf.Session() as sess:\n"
               "    sess.run(nxt)\n"
               "    sess.run(nxt)\n",
               SF_MODE_GRAPH, "OutOfRangeError: End of sequence", 5);
  expect_error("import tensorflow as tf\n"
               "it = tf.data.Dataset.range(1).make_one_shot_iterator()\n",
               SF_MODE_EAGER,
               "RuntimeError: dataset.make_one_shot_iterator is not supported when eager execution is enabled. Use `for "
               "element in dataset` instead.",
               2);
}

/* Eager: tf.compat.v1.data.make_one_shot_iterator is TF2's OwnedIterator, get_next() the
 * next element now. */
Test(iterator, eager_get_next) {
  char *got = run("import tensorflow as tf\n"
                  "it = tf.compat.v1.data.make_one_shot_iterator(tf.data.Dataset.range(2))\n"
                  "print(it.get_next(), it.get_next())\n"
                  "try:\n"
                  "    it.get_next()\n"
                  "except tf.errors.OutOfRangeError as e:\n"
                  "    print('end:', e)\n",
                  SF_MODE_EAGER, SF_PROFILE_TF2);
  cr_expect_str_eq(got, "tf.Tensor(0, shape=(), dtype=int64) tf.Tensor(1, shape=(), dtype=int64)\nend: End of sequence\n");
  free(got);
}

/* An unseeded shuffle after a dataset's ops in a TF1 graph gets seed2 = graph._last_id as
 * a random op does: refused likewise. */
Test(iterator, unseeded_shuffle_in_a_tf1_graph) {
  expect_error("import tensorflow as tf\ntf.set_random_seed(1)\nds = tf.data.Dataset.range(10).shuffle(10)\n", SF_MODE_GRAPH,
               "unsupported: an unseeded shuffle after a tf.data dataset in a TF1 graph: its seed2 is the graph's op count "
               "(graph._last_id), which counts ops seedflow does not build (give it a seed)",
               3);
}
