/* test_uint8.c — Criterion suite `uint8`: the uint8 dtype (engine/tensor.c): NumPy's astype
 * wrap-around and printing, NumPy 1.24's promotion, tf.cast to and from uint8, and Keras'
 * SparseCategoricalCrossentropy with uint8 labels. Expected texts are /usr/bin/python3's
 * NumPy 1.24.2 output for the same lines; the Cast values are x86 TF's (static_cast via
 * int32: 300.0 -> 44, -1.0 -> 255). */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "helpers.h"
#include "seedflow/seedflow.h"

static char *run(const char *text, sf_mode mode) {
  sf_error err = {0};
  sf_trace *t = th_run_text(text, &(sf_run_options){.mode = mode, .profile = SF_PROFILE_TF2}, &err);
  cr_assert(t, "run: %s (line %d)", err.msg, err.line);
  return th_prints_and_free(t);
}

Test(uint8, astype_wraps_and_prints_as_numpy) {
  char *got = run("import numpy as np\n"
                  "a = np.array([300, -1, 256, 7]).astype('uint8')\n"
                  "print(repr(a))\n"
                  "print(a)\n"
                  "print(repr(np.array([300.7, -1.0, -3.9, 255.9, 1e20]).astype('uint8')))\n"
                  "print(repr((np.arange(40) * 7 % 256).astype('uint8')))\n"
                  "print(repr((np.arange(10) % 256).astype('uint8').reshape(2, 5)))\n",
                  SF_MODE_EAGER);
  cr_expect_str_eq(got,
                   "array([ 44, 255,   0,   7], dtype=uint8)\n"
                   "[ 44 255   0   7]\n"
                   "array([ 44, 255, 253, 255,   0], dtype=uint8)\n"
                   "array([  0,   7,  14,  21,  28,  35,  42,  49,  56,  63,  70,  77,  84,\n"
                   "        91,  98, 105, 112, 119, 126, 133, 140, 147, 154, 161, 168, 175,\n"
                   "       182, 189, 196, 203, 210, 217, 224, 231, 238, 245, 252,   3,  10,\n"
                   "        17], dtype=uint8)\n"
                   "array([[0, 1, 2, 3, 4],\n"
                   "       [5, 6, 7, 8, 9]], dtype=uint8)\n");
  free(got);
}

Test(uint8, numpy_promotion) {
  char *got = run("import numpy as np\n"
                  "a = np.array([300, -1, 256, 7]).astype('uint8')\n"
                  "print(repr(a + 1), repr(a * a))\n"
                  "print(repr(a.astype('float32') / 255), repr(a / 2))\n"
                  "print(repr(a + np.array([1], dtype=np.int32)), repr(a + np.array([1.5], dtype=np.float32)))\n",
                  SF_MODE_EAGER);
  cr_expect_str_eq(got,
                   "array([45,  0,  1,  8], dtype=uint8) array([144,   1,   0,  49], dtype=uint8)\n"
                   "array([0.17254902, 1.        , 0.        , 0.02745098], dtype=float32) "
                   "array([ 22. , 127.5,   0. ,   3.5])\n"
                   "array([ 45, 256,   1,   8], dtype=int32) array([ 45.5, 256.5,   1.5,   8.5], dtype=float32)\n");
  free(got);
}

Test(uint8, widening_is_a_located_error) {
  th_expect_error_at("import numpy as np\na = np.arange(3).astype('uint8')\nb = a + 256\n", SF_MODE_EAGER, SF_PROFILE_TF2, 3,
                     "unsupported: operator '+' on a uint8 array and 256 (NumPy widens to a dtype seedflow lacks)");
}

/* bool with bool under //, % and ** gives int8 in NumPy (its ?? -> b loops), a dtype seedflow lacks */
Test(uint8, bool_to_int8_is_a_located_error) {
  static const char *const ops[] = {"//", "%", "**"};
  for (int k = 0; k < 3; k++) {
    char text[128];
    snprintf(text, sizeof text, "import numpy as np\na = np.array([True, False])\nb = a %s a\n", ops[k]);
    char want[128];
    snprintf(want, sizeof want, "unsupported: operator '%s' on boolean arrays (NumPy gives int8, a dtype seedflow lacks)", ops[k]);
    th_expect_error_at(text, SF_MODE_EAGER, SF_PROFILE_TF2, 3, want); /* column 5: test_lang's handlers test */
  }
}

Test(uint8, cast_to_and_from) {
  for (int m = 0; m < 2; m++) {
    char *got = run("import tensorflow as tf\n"
                    "print(tf.cast(tf.constant([1.5, -1.0, 300.0]), tf.uint8))\n"
                    "u = tf.cast(tf.constant([3, 250, 257]), tf.uint8)\n"
                    "print(u, tf.cast(u, tf.float32), tf.cast(u, tf.int64), u.dtype)\n",
                    m ? SF_MODE_FUNCTION : SF_MODE_EAGER);
    cr_expect_str_eq(got,
                     "tf.Tensor([  1 255  44], shape=(3,), dtype=uint8)\n"
                     "tf.Tensor([  3 250   1], shape=(3,), dtype=uint8) tf.Tensor([  3. 250.   1.], shape=(3,), dtype=float32) "
                     "tf.Tensor([  3 250   1], shape=(3,), dtype=int64) <dtype: 'uint8'>\n");
    free(got);
  }
}

/* Keras casts the labels to int64 (keras/backend.py sparse_categorical_crossentropy): uint8
 * labels give the int64 labels' loss. */
Test(uint8, sparse_ce_labels) {
  char *got = run("import numpy as np\n"
                  "import tensorflow as tf\n"
                  "logits = tf.constant([[1.0, 2.0, 0.5], [0.1, -1.0, 3.0]])\n"
                  "f = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)\n"
                  "print(float(f(np.array([1, 2]).astype('uint8'), logits)))\n"
                  "print(float(f(np.array([1, 2]), logits)))\n",
                  SF_MODE_EAGER);
  cr_expect_str_eq(got, "0.26757150888442993\n0.26757150888442993\n");
  free(got);
}

/* from_tensor_slices((float32, uint8)): the tuple's rows move together, in the order the
 * same shuffle gives a one-tensor dataset (shuffle never looks at the rows). */
Test(uint8, dataset_of_a_tuple_shuffles_and_batches_rows_together) {
  char *got = run("import numpy as np\n"
                  "import tensorflow as tf\n"
                  "x = np.arange(5).astype('float32') + 10\n"
                  "y = np.array([0, 1, 2, 3, 300]).astype('uint8')\n"
                  "for a, b in tf.data.Dataset.from_tensor_slices((x, y)).shuffle(5, seed=3).batch(2):\n"
                  "    print(a, b)\n"
                  "for b in tf.data.Dataset.from_tensor_slices(y).shuffle(5, seed=3).batch(2):\n"
                  "    print(b)\n",
                  SF_MODE_EAGER);
  cr_expect_str_eq(got,
                   "tf.Tensor([14. 13.], shape=(2,), dtype=float32) tf.Tensor([44  3], shape=(2,), dtype=uint8)\n"
                   "tf.Tensor([12. 11.], shape=(2,), dtype=float32) tf.Tensor([2 1], shape=(2,), dtype=uint8)\n"
                   "tf.Tensor([10.], shape=(1,), dtype=float32) tf.Tensor([0], shape=(1,), dtype=uint8)\n"
                   "tf.Tensor([44  3], shape=(2,), dtype=uint8)\n"
                   "tf.Tensor([2 1], shape=(2,), dtype=uint8)\n"
                   "tf.Tensor([0], shape=(1,), dtype=uint8)\n");
  free(got);
}

Test(uint8, dataset_of_a_tuple_errors) {
  const char *prog[] = {
      "import tensorflow as tf\nds = tf.data.Dataset.from_tensor_slices(([1.0, 2.0], [1, 2]))\nds = ds.map(lambda x: x)\n",
      "import tensorflow as tf\nds = tf.data.Dataset.from_tensor_slices(([1.0, 2.0], [1, 2, 3]))\n"};
  const char *want[] = {"TypeError: <lambda>() takes 1 positional argument but 2 were given", /* a tuple is unpacked */
                        "Dimensions 2 and 3 are not compatible"};
  for (int i = 0; i < 2; i++) {
    sf_error err = {0};
    sf_trace *t = th_run_text(prog[i], &(sf_run_options){.mode = SF_MODE_EAGER, .profile = SF_PROFILE_TF2}, &err);
    cr_assert_null(t);
    cr_expect_eq(err.line, 3 - i);
    cr_expect(strstr(err.msg, want[i]), "error '%s', want '%s'", err.msg, want[i]);
  }
}

/* fit takes uint8 labels (Keras casts sparse labels to int64 first): the same History and
 * weights as int64 labels, in every mode. */
Test(uint8, fit_with_uint8_labels_equals_int64_labels) {
  const char *text = "import numpy as np\n"
                     "import tensorflow as tf\n"
                     "x = np.array([[1.0, 2.0], [3.0, 4.0], [0.5, -1.0]], dtype=np.float32)\n"
                     "out = []\n"
                     "for dt in ('uint8', 'int64'):\n"
                     "    y = np.array([0, 2, 1]).astype(dt)\n"
                     "    model = tf.keras.Sequential([tf.keras.layers.Dense(3, kernel_initializer='ones')])\n"
                     "    loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)\n"
                     "    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss=loss, metrics=['accuracy'])\n"
                     "    h = model.fit(x, y, epochs=2, batch_size=3, verbose=0, shuffle=False)\n"
                     "    out.append((h.history, model.get_weights()[0]))\n"
                     "print(out[0][0] == out[1][0], np.array_equal(out[0][1], out[1][1]), out[0][0]['loss'])\n";
  for (int m = 0; m < 3; m++) {
    char *got = run(text, (sf_mode[]){SF_MODE_EAGER, SF_MODE_FUNCTION, SF_MODE_GRAPH}[m]);
    cr_expect_str_eq(got, "True True [1.0986123085021973, 0.9472551345825195]\n");
    free(got);
  }
}
