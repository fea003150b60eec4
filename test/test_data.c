/* test_data.c — Criterion suite `data`: tf.data element order (lang/mod_tf_data.c), values
 * from ../shared/reference/tf-api-semantics.md §2 ("api"). */
#include <criterion/criterion.h>

#include "expect.h"
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "seedflow/seedflow.h"

static char *output(const char *text, sf_profile profile) {
  sf_error err = {0};
  sf_program *p = sf_program_parse("<test>", text, &err);
  cr_assert(p, "parse: %s", err.msg);
  sf_run_options o = {.mode = SF_MODE_EAGER, .profile = profile, .implicit_imports = true};
  sf_trace *t = NULL;
  cr_assert_eq(sf_run(p, &o, &t, &err), SF_OK, "run: %s (line %d)", err.msg, err.line);
  char *buf = th_prints_and_free(t);
  sf_program_free(p);
  return buf;
}

/* api §2.2 "Derived": set_seed(42); range(10).shuffle(10, seed=42) iterated three times
 * reshuffles each epoch (the tf2 profile's dataset-owned seed generator); with
 * reshuffle_each_iteration=False every epoch has one order. */
Test(data, shuffle_with_and_without_reshuffle_each_iteration) {
  char *got = output("import tensorflow as tf\n"
                     "tf.random.set_seed(42)\n"
                     "ds = tf.data.Dataset.range(10).shuffle(10, seed=42)\n"
                     "for e in range(3):\n"
                     "    print([int(x) for x in ds])\n"
                     "ds = tf.data.Dataset.range(10).shuffle(10, seed=42, reshuffle_each_iteration=False)\n"
                     "for e in range(2):\n"
                     "    print([int(x) for x in ds])\n",
                     SF_PROFILE_TF2);
  cr_expect_str_eq(got, "[5, 3, 7, 1, 4, 0, 2, 8, 6, 9]\n"
                        "[3, 6, 9, 5, 1, 8, 4, 0, 2, 7]\n"
                        "[6, 1, 5, 4, 8, 3, 2, 7, 9, 0]\n"
                        "[3, 2, 4, 9, 6, 1, 7, 0, 8, 5]\n"
                        "[3, 2, 4, 9, 6, 1, 7, 0, 8, 5]\n");
  free(got);
}

/* api §2.2: under the tf1 profile the seed generator belongs to the iterator, so every
 * new `for` repeats the first epoch's order (tf#27680). */
Test(data, tf1_profile_iterators_repeat_one_order) {
  char *got = output("import tensorflow as tf\n"
                     "tf.random.set_seed(42)\n"
                     "ds = tf.data.Dataset.range(10).shuffle(10, seed=42)\n"
                     "for e in range(2):\n"
                     "    print([int(x) for x in ds])\n",
                     SF_PROFILE_TF1);
  cr_expect_str_eq(got, "[5, 3, 7, 1, 4, 0, 2, 8, 6, 9]\n[5, 3, 7, 1, 4, 0, 2, 8, 6, 9]\n");
  free(got);
}

Test(data, slices_batch_take_skip_and_range) {
  char *got = output("import tensorflow as tf\n"
                     "ds = tf.data.Dataset.from_tensor_slices([[1, 2], [3, 4], [5, 6]])\n"
                     "for b in ds.repeat(2).batch(4).prefetch(1):\n"
                     "    print(b.numpy().tolist() if False else b)\n"
                     "print([int(x) for x in tf.data.Dataset.range(2, 12, 3).skip(1).take(2)])\n"
                     "print(tf.range(1, 2, 0.25))\n",
                     SF_PROFILE_TF2);
  cr_expect_str_eq(got, "tf.Tensor(\n[[1 2]\n [3 4]\n [5 6]\n [1 2]], shape=(4, 2), dtype=int32)\n"
                        "tf.Tensor(\n[[3 4]\n [5 6]], shape=(2, 2), dtype=int32)\n"
                        "[5, 8]\n"
                        "tf.Tensor([1.   1.25 1.5  1.75], shape=(4,), dtype=float32)\n");
  free(got);
}

/* as_numpy_iterator (dataset_ops.py, TF 2.1+): its docstring's examples, then the same epochs as
 * `for` would draw (the reshuffling order above): the iterator is one more epoch. */
Test(data, as_numpy_iterator) {
  char *got = output("import tensorflow as tf\n"
                     "print(list(tf.data.Dataset.from_tensor_slices([1, 2, 3]).as_numpy_iterator()))\n"
                     "print(list(tf.data.Dataset.from_tensor_slices([[1, 2], [3, 4]]).as_numpy_iterator()))\n"
                     "print(list(tf.data.Dataset.from_tensor_slices(([1, 2], [3, 4], [5, 6])).as_numpy_iterator()))\n"
                     "tf.random.set_seed(42)\n"
                     "ds = tf.data.Dataset.range(10).shuffle(10, seed=42)\n"
                     "print(list(ds.as_numpy_iterator()))\n"
                     "print([int(x) for x in ds])\n"
                     "print(type(next(ds.as_numpy_iterator())))\n",
                     SF_PROFILE_TF2);
  cr_expect_str_eq(got, "[1, 2, 3]\n"
                        "[array([1, 2], dtype=int32), array([3, 4], dtype=int32)]\n"
                        "[(1, 3, 5), (2, 4, 6)]\n"
                        "[5, 3, 7, 1, 4, 0, 2, 8, 6, 9]\n"
                        "[3, 6, 9, 5, 1, 8, 4, 0, 2, 7]\n"
                        "<class 'numpy.int64'>\n");
  free(got);
}

/* `for x in ds` inside a tf.function (and in function mode's one call of the program) is
 * AutoGraph's dataset loop, which TF runs: a located 'unsupported', not the RuntimeError
 * a TF1 graph raises (which it still is there). */
Test(data, iterating_inside_a_tf_function_is_unsupported_not_a_runtime_error) {
  const char *program = "import tensorflow as tf\n"
                        "ds = tf.data.Dataset.range(4)\n"
                        "for b in ds:\n"
                        "    print(b)\n";
  th_expect_error_at(program, SF_MODE_FUNCTION, SF_PROFILE_TF2, 3,
                     "unsupported: iterating over a tf.data.Dataset inside a tf.function (AutoGraph turns the loop into "
                     "a loop of the dataset's own; seedflow does not model it)");
  th_expect_error_at(program, SF_MODE_GRAPH, SF_PROFILE_TF1, 3,
                     "RuntimeError: __iter__() is only supported inside of tf.function or when eager execution is enabled.");
}
