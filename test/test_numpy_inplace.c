/* test_numpy_inplace.c — Criterion suite `npinplace`: an in-place operator on a NumPy array
 * changes the array itself (ndarray.__iadd__ and kin, lang/mod_numpy.c sf_numpy_inplace), so
 * every name bound to it sees the change, in every mode; NumPy's output checks come first
 * (the result cast to the array's dtype under 'same_kind', its shape the array's). An array
 * that shares memory with another still alive (a view: seedflow's are copies) is refused with
 * a located error instead of printing what NumPy would not. The programs' NumPy-only parts
 * are checked against CPython in test/python/132_numpy_inplace.py. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "seedflow/seedflow.h"

static const sf_mode modes[] = {SF_MODE_EAGER, SF_MODE_GRAPH, SF_MODE_FUNCTION};

static void expect_all_modes(const char *text, const char *want) {
  for (int m = 0; m < 3; m++) th_expect_prints(text, modes[m], SF_PROFILE_TF2, want);
}

static void expect_error_all_modes(const char *text, int line, const char *msg) {
  for (int m = 0; m < 3; m++) th_expect_error_at(text, modes[m], SF_PROFILE_TF2, line, msg);
}

/* b = a; a += 1 changes b too (it is a); a list's item and an attribute are the array. */
Test(npinplace, every_name_bound_to_the_array_sees_the_change) {
  expect_all_modes("import numpy as np\n"
                   "a = np.array([1.0, 2.0, 3.0], dtype=np.float32)\n"
                   "b = a\n"
                   "a += 1\n"
                   "a *= np.float32(0.5)\n"
                   "a -= [0.5, 0.5, 0.5]\n"
                   "print(b, a is b, b.dtype)\n"
                   "items = [np.ones(2)]\n"
                   "first = items[0]\n"
                   "items[0] /= 4\n"
                   "print(first, items[0] is first)\n",
                   "[0.5 1.  1.5] True float32\n"
                   "[0.25 0.25] True\n");
}

/* The result is cast to the array's dtype: int32 stays int32, uint8 wraps, an int64
 * operand's result is cast back (same_kind), float32 stays float32. */
Test(npinplace, the_result_takes_the_arrays_dtype) {
  expect_all_modes("import numpy as np\n"
                   "i = np.arange(4, dtype=np.int32)\n"
                   "i += np.arange(4)\n"
                   "i //= 2\n"
                   "u = np.array([250, 3], dtype=np.uint8)\n"
                   "u += 10\n"
                   "f = np.ones(2, dtype=np.float32)\n"
                   "f += np.ones(2)\n"
                   "print(i, i.dtype, u, u.dtype, f.dtype)\n",
                   "[0 1 2 3] int32 [ 4 13] uint8 float32\n");
}

/* NumPy's errors: a result it cannot cast (UFuncTypeError, not modelled: a located error
 * quoting NumPy's message) and an output shape that is not the broadcast one (ValueError). */
Test(npinplace, numpys_output_checks_are_its_errors) {
  expect_error_all_modes("import numpy as np\n"
                         "i = np.arange(3)\n"
                         "i /= 2\n",
                         3,
                         "unsupported: NumPy raises UFuncTypeError here, an exception seedflow does not model: Cannot "
                         "cast ufunc 'divide' output from dtype('float64') to dtype('int64') with casting rule 'same_kind'");
  expect_error_all_modes("import numpy as np\n"
                         "b = np.array([True, False])\n"
                         "b += 1\n",
                         3,
                         "unsupported: NumPy raises UFuncTypeError here, an exception seedflow does not model: Cannot "
                         "cast ufunc 'add' output from dtype('int64') to dtype('bool') with casting rule 'same_kind'");
  expect_all_modes("import numpy as np\n"
                   "n = np.ones(3)\n"
                   "try:\n"
                   "    n += np.ones((2, 3))\n"
                   "except ValueError as e:\n"
                   "    print(e)\n"
                   "try:\n"
                   "    n -= np.ones(4)\n"
                   "except ValueError as e:\n"
                   "    print(e)\n"
                   "print(n)\n",
                   "non-broadcastable output operand with shape (3,) doesn't match the broadcast shape (2,3)\n"
                   "operands could not be broadcast together with shapes (3,) (4,) (3,) \n"
                   "[1. 1. 1.]\n");
}

/* A view (a slice, a row, reshape, .T) shares memory with its base: while both live, an
 * in-place operator on either is refused, in every mode. */
Test(npinplace, views_of_a_live_array_are_refused) {
  static const char *const programs[] = {
      "import numpy as np\ng = np.arange(6)\nh = g[::2]\ng += 1\n",
      "import numpy as np\ng = np.arange(6)\nh = g[1:3]\nh += 1\n",
      "import numpy as np\ng = np.zeros((2, 3))\nr = g.reshape(3, 2)\nr *= 2\n",
      "import numpy as np\ng = np.zeros((2, 3))\nt = g.T\ng -= 1\n",
      "import numpy as np\ng = np.zeros((2, 3))\nfor row in g:\n    row += 1\n",
  };
  static const char *const ops[] = {"+=", "+=", "*=", "-=", "+="};
  static const int lines[] = {4, 4, 4, 4, 4};
  for (int i = 0; i < 5; i++) {
    char msg[512];
    snprintf(msg, sizeof msg,
             "unsupported: %s on a NumPy array that shares memory with another still in use (a view: a slice, a "
             "row, reshape, ravel, .T, squeeze or expand_dims of it, or the array it was taken from); NumPy changes "
             "both, seedflow's views are copies",
             ops[i]);
    expect_error_all_modes(programs[i], lines[i], msg);
  }
  th_expect_error_at("import numpy as np\ng = np.arange(6)\nh = g[1:]\nnp.random.shuffle(g)\n", SF_MODE_EAGER,
                     SF_PROFILE_TF2, 4,
                     "unsupported: np.random.shuffle() of a NumPy array that shares memory with another still in use (a "
                     "view: a slice, a row, reshape, ravel, .T, squeeze or expand_dims of it, or the array it was taken "
                     "from); NumPy changes both, seedflow's views are copies");
}

/* A view of a temporary owns the memory (nothing else can see it), in every mode; once
 * the base's last name is gone (eager mode releases it) the view is alone too. */
Test(npinplace, views_of_temporaries_and_dead_bases_change) {
  expect_all_modes("import numpy as np\n"
                   "x = np.arange(6).reshape(2, 3)\n"
                   "x += 1\n"
                   "y = (np.ones(4) * 2).reshape(2, 2).T\n"
                   "y -= 1\n"
                   "z = np.zeros((2, 2))[0]\n"
                   "z += 3\n"
                   "print(x, y, z)\n",
                   "[[1 2 3]\n [4 5 6]] [[1. 1.]\n [1. 1.]] [3. 3.]\n");
  th_expect_prints("import numpy as np\n"
                   "a = np.arange(6)\n"
                   "b = a.reshape(2, 3)\n"
                   "del a\n"
                   "b += 1\n"
                   "print(b)\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2, "[[1 2 3]\n [4 5 6]]\n");
}

/* np.asarray of an array is the array; np.random.shuffle changes its argument in place, an
 * attribute's array too (RandomState's legacy swaps). */
Test(npinplace, asarray_is_the_array_and_shuffle_is_in_place) {
  expect_all_modes("import numpy as np\n"
                   "a = np.arange(3)\n"
                   "c = np.asarray(a)\n"
                   "a += 1\n"
                   "print(c is a, c, np.asarray(a, dtype=np.float64) is a)\n"
                   "class D:\n"
                   "    pass\n"
                   "d = D()\n"
                   "d.x = np.arange(5)\n"
                   "keep = d.x\n"
                   "np.random.seed(3)\n"
                   "np.random.shuffle(d.x)\n"
                   "print(keep, d.x is keep)\n"
                   "g = np.random.default_rng(0)\n"
                   "e = np.arange(4)\n"
                   "f = e\n"
                   "g.shuffle(e)\n"
                   "print(f)\n",
                   "True [1 2 3] False\n"
                   "[3 4 1 0 2] True\n"
                   "[2 0 1 3]\n");
}

/* Function mode prints when the program's one call runs: a print shows the array as it was
 * when printed, not as a later in-place operator left it; a tensor made from the array
 * holds the values it had then (eager mode too). */
Test(npinplace, prints_and_tensors_show_the_array_as_it_was) {
  expect_all_modes("import numpy as np\n"
                   "x = np.zeros(2)\n"
                   "print(x, [x])\n"
                   "x += 1\n"
                   "print(x)\n"
                   "x *= 3\n"
                   "print(x)\n",
                   "[0. 0.] [array([0., 0.])]\n"
                   "[1. 1.]\n"
                   "[3. 3.]\n");
  static const char prog[] = "import numpy as np\n"
                             "import tensorflow as tf\n"
                             "x = np.ones(2, dtype=np.float32)\n"
                             "t = tf.constant(x)\n"
                             "u = tf.convert_to_tensor(x)\n"
                             "x += 1\n"
                             "print(t, u * 1.0, x)\n";
  th_expect_prints(prog, SF_MODE_EAGER, SF_PROFILE_TF2,
                   "tf.Tensor([1. 1.], shape=(2,), dtype=float32) tf.Tensor([1. 1.], shape=(2,), dtype=float32) [2. 2.]\n");
  th_expect_prints(prog, SF_MODE_FUNCTION, SF_PROFILE_TF2,
                   "tf.Tensor([1. 1.], shape=(2,), dtype=float32) tf.Tensor([1. 1.], shape=(2,), dtype=float32) [2. 2.]\n");
  th_expect_prints(prog, SF_MODE_GRAPH, SF_PROFILE_TF2, "[1. 1.] [1. 1.] [2. 2.]\n");
}

/* A TF tensor on the right: its __array_priority__ makes ndarray.__iadd__ defer, so the
 * name is bound to a + t, a tensor, and the array is unchanged. */
Test(npinplace, a_tensor_operand_binds_the_sum) {
  th_expect_prints("import numpy as np\n"
                   "import tensorflow as tf\n"
                   "a = np.ones(2, dtype=np.float32)\n"
                   "b = a\n"
                   "a += tf.constant([1.0, 2.0])\n"
                   "print(b, a)\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2, "[1. 1.] tf.Tensor([2. 3.], shape=(2,), dtype=float32)\n");
}

/* The right operand a view of the array itself (M += M.T, X -= X[0]): NumPy reads it before
 * writing (it copies overlapping inputs), and so does seedflow; a view given to a NumPy
 * function, an operator, len or type, or printed, is gone once its names are. */
Test(npinplace, temporaries_of_the_statement_and_dead_views_do_not_block) {
  expect_all_modes("import numpy as np\n"
                   "M = np.arange(4.0).reshape(2, 2)\n"
                   "M += M.T\n"
                   "a = np.arange(4.0)\n"
                   "a -= a[::-1]\n"
                   "X = np.arange(10.0).reshape(5, 2)\n"
                   "X -= np.mean(X[:, 0])\n"
                   "X -= X[0]\n"
                   "print(M, a, X[4], a.T, a[:2])\n"
                   "a += 1\n"
                   "v = X[1:3]\n"
                   "s = (-v, v > 0, len(v), type(v), np.sum(v), v.sum())\n"
                   "del v, s\n"
                   "X *= 2\n"
                   "print(a, X[1])\n",
                   "[[0. 3.]\n [3. 6.]] [-3. -1.  1.  3.] [8. 8.] [-3. -1.  1.  3.] [-3. -1.]\n"
                   "[-2.  0.  2.  4.] [4. 4.]\n");
}

/* An array a call may have stored (dict.setdefault, list.append, a program function) is no
 * temporary: its view is refused. The NumPy values of TensorFlow's tensors are arrays of
 * their own (TF copies): .numpy(), sess.run's value of an eager tensor, model.predict's,
 * as_numpy_iterator's elements. */
Test(npinplace, stored_arrays_and_tensor_values) {
  th_expect_error_at("import numpy as np\nd = {}\nv = d.setdefault('k', np.arange(6)).reshape(2, 3)\nv += 1\n",
                     SF_MODE_EAGER, SF_PROFILE_TF2, 4,
                     "unsupported: += on a NumPy array that shares memory with another still in use (a view: a slice, a "
                     "row, reshape, ravel, .T, squeeze or expand_dims of it, or the array it was taken from); NumPy "
                     "changes both, seedflow's views are copies");
  th_expect_prints("import numpy as np\n"
                   "import tensorflow as tf\n"
                   "x = tf.constant([0.0, 1.0])\n"
                   "with tf.GradientTape() as tape:\n"
                   "    tape.watch(x)\n"
                   "    y = x * 3.0\n"
                   "a = y.numpy()\n"
                   "a *= 0\n"
                   "print(a, tape.gradient(y, x).numpy())\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2, "[0. 0.] [3. 3.]\n");
  th_expect_prints("import numpy as np\n"
                   "import tensorflow as tf\n"
                   "y = tf.constant([1.0, 2.0])\n"
                   "a = y.numpy()\n"
                   "a *= 0\n"
                   "print(a, y)\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2, "[0. 0.] tf.Tensor([1. 2.], shape=(2,), dtype=float32)\n");
  th_expect_prints("import numpy as np\n"
                   "import tensorflow as tf\n"
                   "x = tf.constant([1.0, 2.0])\n"
                   "with tf.compat.v1.Session() as sess:\n"
                   "    a = sess.run(x)\n"
                   "a += 1\n"
                   "model = tf.keras.Sequential([tf.keras.layers.Dense(2, input_shape=(2,), kernel_initializer='ones')])\n"
                   "p = model.predict(np.ones((1, 2), dtype=np.float32), verbose=0)\n"
                   "p += 1\n"
                   "for e in tf.data.Dataset.from_tensor_slices(np.arange(4.0).reshape(2, 2)).as_numpy_iterator():\n"
                   "    try:\n"
                   "        e += 10\n"
                   "    except ValueError as err:\n"
                   "        print(err)\n"
                   "    try:\n"
                   "        e[:1][0] = 10\n"
                   "    except ValueError as err:\n"
                   "        print(err)\n"
                   "print(a, x, p, e, e + 10)\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2,
                   /* as_numpy_iterator's elements are read-only (TF 2.5+), a view of one too */
                   "output array is read-only\nassignment destination is read-only\noutput array is read-only\n"
                   "assignment destination is read-only\n"
                   "[2. 3.] tf.Tensor([1. 2.], shape=(2,), dtype=float32) [[3. 3.]] [2. 3.] [12. 13.]\n");
  th_expect_prints("import numpy as np\nx = np.arange(6)\ny = x\nx[1:] += 1\nx[0] -= 2.5\nprint(y)\n", SF_MODE_EAGER,
                   SF_PROFILE_TF2, "[-2  2  3  4  5  6]\n");
  th_expect_error_at("import numpy as np\nz = np.array(5.0)\nt = np.transpose(z)\nt += 1\n", SF_MODE_EAGER,
                     SF_PROFILE_TF2, 4,
                     "unsupported: += on a NumPy array that shares memory with another still in use (a view: a slice, a "
                     "row, reshape, ravel, .T, squeeze or expand_dims of it, or the array it was taken from); NumPy "
                     "changes both, seedflow's views are copies");
}

/* Function mode shows a dict or an object as it is at the end: changing an array an earlier
 * print shows inside one (an in-place operator, an item assignment) is refused there (the
 * other modes print at once). */
Test(npinplace, a_deferred_print_of_a_dict_holding_the_array) {
  static const char *const change[] = {"a += 10", "a[0:3] = [10, 11, 12]"};
  for (int i = 0; i < 2; i++) {
    char prog[160];
    snprintf(prog, sizeof prog, "import numpy as np\na = np.arange(3)\nprint({'k': a})\n%s\nprint(a)\n", change[i]);
    th_expect_error_at(prog, SF_MODE_FUNCTION, SF_PROFILE_TF2, 4,
                       "unsupported: changing in place a NumPy array that an earlier print shows inside a dict, a list "
                       "or an object (function mode prints them when the program's one call runs)");
    th_expect_prints(prog, SF_MODE_EAGER, SF_PROFILE_TF2, "{'k': array([0, 1, 2])}\n[10 11 12]\n");
    th_expect_prints(prog, SF_MODE_GRAPH, SF_PROFILE_TF2, "{'k': array([0, 1, 2])}\n[10 11 12]\n");
  }
}

/* x[k] = v (ndarray.__setitem__) changes x itself, in every mode; v converts to x's dtype as
 * NumPy 1.24 converts it (a Python number as int() does, an array as astype does). */
Test(npinplace, item_assignment_changes_the_array) {
  static const char prog[] = "import numpy as np\n"
                             "a = np.zeros((2, 3), dtype=np.float32)\n"
                             "b = a\n"
                             "a[0, 1] = 0.1\n"
                             "a[1] = [1, 2, 3]\n"
                             "a[a > 1.5] = -1\n"
                             "a[[0]] += 2\n"
                             "i = np.arange(4)\n"
                             "i[1:3] = np.array([2.9, -2.9])\n"
                             "i[[0, 0, 3]] = [7, 8, 9]\n"
                             "print(b, b[0, 1], i)\n";
  static const char want[] = "[[ 2.   2.1  2. ]\n [ 1.  -1.  -1. ]] 2.1 [ 8  2 -2  9]\n";
  th_expect_prints(prog, SF_MODE_EAGER, SF_PROFILE_TF2, want);
  th_expect_prints(prog, SF_MODE_GRAPH, SF_PROFILE_TF2, want);
  th_expect_prints(prog, SF_MODE_FUNCTION, SF_PROFILE_TF2, want);
  /* a float32 element keeps the float32 rounding of 0.1, plus 2 in float32 */
  th_expect_prints("import numpy as np\na = np.zeros(1, dtype=np.float32)\na[0] = 0.1\na += 2\nprint(a[0].item())\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2, "2.0999999046325684\n");
}

Test(npinplace, item_assignment_errors_are_numpys) {
  th_expect_prints("import numpy as np\n"
                   "i = np.zeros(2, dtype=np.int64)\n"
                   "for v in [np.nan, np.inf, 1e30, [1, 2]]:\n"
                   "    try:\n"
                   "        i[0] = v\n"
                   "    except (ValueError, OverflowError) as e:\n"
                   "        print(type(e).__name__, e)\n"
                   "try:\n"
                   "    i[:] = [1, 2, 3]\n"
                   "except ValueError as e:\n"
                   "    print(e)\n"
                   "try:\n"
                   "    i[np.array([True, False])] = [1, 2]\n"
                   "except ValueError as e:\n"
                   "    print(e)\n"
                   "try:\n"
                   "    i[[0, 1]] = np.ones((3, 2))\n"
                   "except ValueError as e:\n"
                   "    print(e)\n"
                   "try:\n"
                   "    i[0.5] = 1\n"
                   "except IndexError as e:\n"
                   "    print(e)\n"
                   "print(i)\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2,
                   "ValueError cannot convert float NaN to integer\n"
                   "OverflowError cannot convert float infinity to integer\n"
                   "OverflowError Python int too large to convert to C long\n"
                   "ValueError setting an array element with a sequence.\n"
                   "could not broadcast input array from shape (3,) into shape (2,)\n"
                   "NumPy boolean array indexing assignment cannot assign 2 input values to the 1 output values where "
                   "the mask is true\n"
                   "shape mismatch: value array of shape (3,2) could not be broadcast to indexing result of shape (2,)\n"
                   "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays "
                   "are valid indices\n"
                   "[0 0]\n");
  th_expect_error_at("import numpy as np\na = np.zeros(2)\na[0] = 'x'\n", SF_MODE_EAGER, SF_PROFILE_TF2, 3,
                     "unsupported: assigning a 'str' to items of a NumPy array (numbers, arrays and lists of them are)");
  th_expect_error_at("import numpy as np\nx = np.zeros((1, 100000))\nx[[0] * 100000] = 1\n", SF_MODE_EAGER,
                     SF_PROFILE_TF2, 3, "setitem(): 10000000000 elements exceed the run's limit of 16777216");
}

/* Item assignment through a view writes the array it was taken from in NumPy; seedflow's
 * views are copies, so a view of a live array is refused, a temporary of the statement is not. */
Test(npinplace, item_assignment_and_views) {
  static const char refused[] =
      "unsupported: assigning to items of a NumPy array that shares memory with another still in use (a view: a "
      "slice, a row, reshape, ravel, .T, squeeze or expand_dims of it, or the array it was taken from); NumPy changes "
      "both, seedflow's views are copies";
  th_expect_error_at("import numpy as np\na = np.zeros((2, 3))\na[0][1] = 5\n", SF_MODE_EAGER, SF_PROFILE_TF2, 3, refused);
  th_expect_error_at("import numpy as np\na = np.arange(5)\nb = a[:-1]\na[1:] = b\n", SF_MODE_EAGER, SF_PROFILE_TF2, 4,
                     refused);
  th_expect_error_at("import numpy as np\na = np.arange(5)\nb = a[:-1]\nb[0] = 1\n", SF_MODE_EAGER, SF_PROFILE_TF2, 4,
                     refused);
  th_expect_prints("import numpy as np\n"
                   "a = np.arange(5)\n"
                   "a[1:] = a[:-1]\n"
                   "a[1:3] += a[:2]\n"
                   "row = np.zeros((2, 3))[1]\n"
                   "row[0] = 4\n"
                   "m = np.ones((2, 2))\n"
                   "m[0] = m[1] * 3\n"
                   "print(a, row, m[0])\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2, "[0 0 1 2 3] [4. 0. 0.] [3. 3.]\n");
}

/* An item assignment writes the array in place when nothing else holds its values: a tensor
 * made from it, a list holding it and an earlier print keep what they should. */
Test(npinplace, item_assignment_in_place_keeps_tensors_made_before) {
  th_expect_prints("import numpy as np\n"
                   "import tensorflow as tf\n"
                   "a = np.zeros(3, dtype=np.float32)\n"
                   "t = tf.constant(a)\n"
                   "l = [a]\n"
                   "print(a)\n"
                   "a[0] = 5\n"
                   "for i in range(1, 3):\n"
                   "    a[i] = i\n"
                   "print(t, l[0])\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2,
                   "[0. 0. 0.]\ntf.Tensor([0. 0. 0.], shape=(3,), dtype=float32) [5. 1. 2.]\n");
}

/* TensorFlow's np.asarray of an eager tensor shares the tensor's memory (__array__ returns
 * _numpy()): changing it in place changes the tensor, so seedflow's copy refuses it; False as
 * an index (an axis of length 0) is not modelled. */
Test(npinplace, asarray_of_a_tensor_and_false_index_are_refused) {
  static const char tensor[] = "unsupported: %s a NumPy array on a tensor's memory (np.asarray of an eager tensor, or a "
                               "view of one: TensorFlow's shares the tensor's memory, so the tensor changes too; "
                               "seedflow's is a copy)";
  static const char *const change[] = {"b[0] = 5", "b += 1", "b = b[:1]\nb[0] = 5", "b = np.reshape(t, [1])\nb[0] = 5"};
  static const char *const what[] = {"assigning to items of", "+= on", "assigning to items of", "assigning to items of"};
  for (int i = 0; i < 4; i++) {
    char prog[200], msg[300];
    snprintf(prog, sizeof prog, "import numpy as np\nimport tensorflow as tf\nt = tf.constant([1.0])\nb = np.asarray(t)\n%s\n",
             change[i]);
    snprintf(msg, sizeof msg, tensor, what[i]);
    th_expect_error_at(prog, SF_MODE_EAGER, SF_PROFILE_TF2, i < 2 ? 5 : 6, msg);
  }
  th_expect_prints("import numpy as np\nimport tensorflow as tf\nt = tf.constant([1.0])\nb = np.asarray(t, dtype=np.float64)\n"
                   "b[0] = 5\nprint(b, t)\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2, "[5.] tf.Tensor([1.], shape=(1,), dtype=float32)\n");
  th_expect_error_at("import numpy as np\na = np.zeros(2)\na[False] = 1\n", SF_MODE_EAGER, SF_PROFILE_TF2, 3,
                     "unsupported: False as a NumPy index (NumPy adds an axis of length 0)");
}

/* Several index arrays (one-hot labels, per-row picks) read and assign as NumPy's advanced
 * indexing; with None, ... or a bool among them, or a boolean array among several, seedflow
 * says so. */
Test(npinplace, several_index_arrays) {
  th_expect_prints("import numpy as np\n"
                   "labels = np.array([2, 0, 1])\n"
                   "y = np.zeros((3, 3), dtype=np.float32)\n"
                   "y[np.arange(3), labels] = 1\n"
                   "p = np.arange(9.0).reshape(3, 3)\n"
                   "print(y[0], p[np.arange(3), labels], p[[0, 2], :][:, [1]].ravel())\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2, "[0. 0. 1.] [2. 3. 7.] [1. 7.]\n");
  th_expect_error_at("import numpy as np\np = np.zeros((2, 2))\np[[0, 1], None]\n", SF_MODE_EAGER, SF_PROFILE_TF2, 3,
                     "unsupported: None, ... or a bool in a NumPy index with index arrays");
  th_expect_error_at("import numpy as np\np = np.zeros((2, 2))\np[[0, 1], np.array([True, False])] = 1\n", SF_MODE_EAGER,
                     SF_PROFILE_TF2, 3, "unsupported: a boolean array among several NumPy indices");
  th_expect_error_at("import numpy as np\nv = np.zeros((2, 3, 4))\ntry:\n    v[None, None]\nexcept ValueError:\n    pass\n",
                     SF_MODE_EAGER, SF_PROFILE_TF2, 4, "unsupported: an array of more than 4 axes (seedflow's limit)");
}

/* ndarray OP tensor defers to the tensor's reflected operator (Tensor.__array_priority__),
 * which converts the array to the tensor's dtype (math_ops.py r_binary_op_wrapper,
 * maybe_promote_tensors with force_same_dtype): a float64 array and a float32 tensor give
 * float32, as an augmented item assignment with a tensor does. */
Test(npinplace, an_array_left_of_a_tensor_takes_the_tensors_dtype) {
  th_expect_prints("import numpy as np\n"
                   "import tensorflow as tf\n"
                   "t = tf.constant(0.5)\n"
                   "print(np.zeros(2) + t, np.ones(2) / t)\n"
                   "losses = np.zeros(3)\n"
                   "losses[1:] += tf.constant([0.5, 0.25])\n"
                   "print(losses, losses.dtype)\n",
                   SF_MODE_EAGER, SF_PROFILE_TF2,
                   "tf.Tensor([0.5 0.5], shape=(2,), dtype=float32) tf.Tensor([2. 2.], shape=(2,), dtype=float32)\n"
                   "[0.   0.5  0.25] float64\n");
}
