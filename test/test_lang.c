/* test_lang.c — Criterion suite `lang`: what the Python evaluator says when a program goes
 * wrong (uncaught exceptions with location and traceback, the sandbox, limits, constructs
 * it does not support) and what it prints when it does not (print's sep/end, identity). */
#include <criterion/criterion.h>

#include "helpers.h"

#include <string.h>

#include "seedflow/seedflow.h"

static sf_error run_error(const char *text) {
  sf_error err = {0};
  sf_program *p = sf_program_parse("<test>", text, &err);
  cr_assert(p, "parse: %s", err.msg);
  sf_run_options o = {.mode = SF_MODE_EAGER, .implicit_imports = true};
  sf_trace *t = NULL;
  cr_assert_neq(sf_run(p, &o, &t, &err), SF_OK, "should fail: %s", text);
  sf_trace_free(t);
  sf_program_free(p);
  return err;
}

/* Everything the program printed in mode, one line per print record. */
static char *run_output_in(const char *text, sf_mode mode) {
  sf_error err = {0};
  sf_program *p = sf_program_parse("<test>", text, &err);
  cr_assert(p, "parse: %s", err.msg);
  sf_run_options o = {.mode = mode, .implicit_imports = true};
  sf_trace *t = NULL;
  cr_assert_eq(sf_run(p, &o, &t, &err), SF_OK, "run: %s", err.msg);
  char *buf = th_prints_and_free(t);
  sf_program_free(p);
  return buf;
}

static char *run_output(const char *text) { return run_output_in(text, SF_MODE_EAGER); }

/* As in Python, tf and np are names only after their import; an embedder may bind them
 * (sf_run_options.implicit_imports), as these suites do for their snippets. */
Test(lang, modules_need_their_import) {
  const char *text = "x = tf.constant([1.5])\nprint(np.array([1.5, 2.0]))\n";
  sf_error err = {0};
  sf_program *p = sf_program_parse("<test>", text, &err);
  cr_assert(p, "parse: %s", err.msg);
  sf_run_options o = {.mode = SF_MODE_EAGER};
  sf_trace *t = NULL;
  cr_assert_neq(sf_run(p, &o, &t, &err), SF_OK);
  cr_assert_str_eq(err.msg, "NameError: name 'tf' is not defined");
  cr_assert_eq(err.line, 1);
  cr_assert_eq(err.col, 5);
  sf_trace_free(t);
  sf_program_free(p);
  char *out = run_output(text);
  cr_assert_str_eq(out, "[1.5 2. ]\n");
  free(out);
  out = run_output("import tensorflow\nimport numpy\nprint(numpy.array([3]))\n");
  cr_assert_str_eq(out, "[3]\n");
  free(out);
}

Test(lang, uncaught_exception_names_type_place_and_calls) {
  sf_error e = run_error("def f(x):\n    return 10 // x\n\ndef g():\n    return f(0)\n\nprint(g())\n");
  cr_assert_str_eq(e.msg,
                   "ZeroDivisionError: integer division or modulo by zero\n"
                   "traceback (most recent call first):\n"
                   "  in f(), called at line 5, column 12\n"
                   "  in g(), called at line 7, column 7");
  cr_assert_eq(e.line, 2);
  cr_assert_eq(e.col, 12);
  cr_assert_eq(e.code, SF_EINVAL);
}

Test(lang, raised_program_exception_keeps_its_class_and_message) {
  sf_error e = run_error("class Oops(ValueError):\n    pass\nraise Oops('bad seed', 3)\n");
  cr_assert_str_eq(e.msg, "Oops: ('bad seed', 3)");
  cr_assert_eq(e.line, 3);
  cr_assert_eq(e.col, 7);
  e = run_error("x = {'a': 1}\ny = x['b']\n");
  cr_assert_str_eq(e.msg, "KeyError: 'b'");
  cr_assert_eq(e.col, 5);
  e = run_error("x = [1, 2]\nx.undefined_method()\n");
  cr_assert_str_eq(e.msg, "AttributeError: 'list' object has no attribute 'undefined_method'");
  cr_assert_eq(e.code, SF_ENAME);
}

Test(lang, sandbox_stops_files_processes_and_code_loading) {
  static const char *const progs[][2] = {
      {"open('/etc/passwd')\n", "sandbox: 'open' is not available (seedflow programs have no file, network, process or code-loading access)"},
      {"exec('x = 1')\n", "sandbox: 'exec' is not available (seedflow programs have no file, network, process or code-loading access)"},
      {"eval('1')\n", "sandbox: 'eval' is not available (seedflow programs have no file, network, process or code-loading access)"},
      {"__import__('os')\n", "sandbox: '__import__' is not available (seedflow programs have no file, network, process or code-loading access)"},
      {"import os\nos.system('ls')\n", "sandbox: 'system' is not available (seedflow programs have no file, network, process or code-loading access)"},
      {"import subprocess\n", "unsupported module 'subprocess' (seedflow provides tensorflow, keras, numpy, math, random, os, time, sys, warnings, logging, functools, itertools)"},
  };
  for (size_t k = 0; k < sizeof progs / sizeof *progs; k++) {
    sf_error e = run_error(progs[k][0]);
    cr_expect_str_eq(e.msg, progs[k][1]);
    cr_expect_geq(e.line, 1, "%s has a location", progs[k][0]);
    cr_expect_neq(e.code, SF_EINTERNAL);
  }
}

Test(lang, int64_overflow_is_an_error_not_a_wrong_answer) {
  sf_error e = run_error("x = 2 ** 62\ny = x * 4\n");
  cr_assert_str_eq(e.msg, "unsupported: integer result of '*' does not fit in 64 bits (seedflow's ints are int64, Python's unbounded)");
  cr_assert_eq(e.line, 2);
  e = run_error("x = 3 ** 40\n");
  cr_assert_str_eq(e.msg, "unsupported: integer result of '**' does not fit in 64 bits (seedflow's ints are int64, Python's unbounded)");
  /* no except clause catches it: CPython runs the try body */
  e = run_error("try:\n    x = 2 ** 64\nexcept OverflowError:\n    x = 0\nprint(x)\n");
  cr_assert_str_eq(e.msg, "unsupported: integer result of '**' does not fit in 64 bits (seedflow's ints are int64, Python's unbounded)");
  cr_assert_eq(e.code, SF_ENAME);
}

Test(lang, recursion_limit_is_pythons_1000) {
  sf_error e = run_error("def f(n):\n    return f(n + 1)\nf(0)\n");
  cr_assert(strncmp(e.msg, "RecursionError: maximum recursion depth exceeded (the limit is 1000 nested calls", 80) == 0, "%s", e.msg);
  char *out = run_output("def d(n):\n    return 0 if n == 0 else 1 + d(n - 1)\nprint(d(999))\n");
  cr_assert_str_eq(out, "999\n");
  free(out);
}

Test(lang, unsupported_constructs_are_named) {
  static const char *const progs[][2] = {
      {"def g():\n    yield 1\n", "unsupported: generator function 'yield'"},
      {"async def f(): pass\n", "unsupported statement 'async'"},
  };
  for (size_t k = 0; k < sizeof progs / sizeof *progs; k++) {
    sf_error err = {0};
    cr_expect_null(sf_program_parse("<t>", progs[k][0], &err));
    cr_expect_str_eq(err.msg, progs[k][1]);
  }
  sf_error err = {0};
  sf_program_free(sf_program_parse("<t>", "def g():\n    yield 1\n", &err));
  cr_assert_eq(err.line, 2);
  cr_assert_eq(err.col, 5);
}

Test(lang, print_sep_end_and_identity) {
  char *out = run_output("a = [1]\nb = a\nb.append(2)\nprint(a, a is b, sep=' | ', end='')\nprint('!')\nprint(1.0, 1e16, 0.1 + 0.2)\n");
  cr_assert_str_eq(out, "[1, 2] | True!\n1.0 1e+16 0.30000000000000004\n");
  free(out);
}

Test(lang, tensors_print_inside_python_containers) {
  char *out = run_output("import tensorflow as tf\nx = tf.constant([1.5, 2.0])\nd = {'x': x}\nprint(len(d), [x], d['x'] is x)\n");
  cr_assert(strstr(out, "1 [<tf.Tensor: shape=(2,), dtype=float32, numpy=array([1.5, 2. ], dtype=float32)>] True"), "%s", out);
  free(out);
}

Test(lang, time_and_memory_limits_are_named_errors) {
  sf_error err = {0};
  sf_program *p = sf_program_parse("<test>", "n = 0\nwhile True:\n    n += 1\n", &err);
  cr_assert(p);
  sf_run_options o = {.mode = SF_MODE_EAGER, .time_limit = 0.2, .implicit_imports = true};
  sf_trace *t = NULL;
  cr_assert_eq(sf_run(p, &o, &t, &err), SF_ELIMIT);
  cr_assert_str_eq(err.msg, "time limit exceeded: the program ran for more than 0.2 s (raise it with --time-limit)");
  cr_assert_geq(err.line, 2);
  sf_trace_free(t);
  sf_program_free(p);
  p = sf_program_parse("<test>", "x = []\nfor i in range(10 ** 9):\n    x.append(i)\n", &err);
  o = (sf_run_options){.mode = SF_MODE_EAGER, .memory_limit = 8 << 20};
  cr_assert_eq(sf_run(p, &o, &t, &err), SF_ELIMIT);
  cr_assert_str_eq(err.msg, "memory limit exceeded: the program's objects and tensors need more than 8 MiB (raise it with --memory-limit)");
  cr_assert_eq(err.line, 3);
  sf_trace_free(t);
  sf_program_free(p);
}

Test(lang, deferred_prints_of_function_mode_show_values_as_they_were) {
  char *out = run_output_in("x = [1]\nprint(x)\nx.append(2)\nprint(x, 'end')\n", SF_MODE_FUNCTION);
  cr_assert_str_eq(out, "[1]\n[1, 2] end\n");
  free(out);
}

Test(lang, tensors_format_into_strings_with_their_values) {
  char *out = run_output("import tensorflow as tf\nx = tf.constant([1.5, 2.0])\nprint(f'x={x}', '%s' % x == str(x))\n");
  cr_assert_str_eq(out, "x=tf.Tensor([1.5 2. ], shape=(2,), dtype=float32) True\n");
  free(out);
  char *graph = run_output_in("import tensorflow as tf\nx = tf.constant([1.5, 2.0])\nprint(f'x={x}')\n", SF_MODE_GRAPH);
  cr_assert_str_eq(graph, "x=[1.5 2. ]\n");
  free(graph);
}

/* NumPy item assignment changes the array itself (every name bound to it sees it); NumPy's
 * conversion errors are Python exceptions a program catches; a tensor's item assignment is
 * TensorFlow's TypeError. */
Test(lang, numpy_item_assignment_changes_the_array) {
  char *out = run_output("import numpy as np\na = np.zeros(3)\nb = a\na[0] = 1\na[1:] = [2.5, 3]\nprint(b)\n"
                         "i = np.zeros(2, dtype=np.int64)\ntry:\n    i[0] = np.nan\nexcept ValueError as e:\n    print(e)\n");
  cr_assert_str_eq(out, "[1.  2.5 3. ]\ncannot convert float NaN to integer\n");
  free(out);
  sf_error e = run_error("import numpy as np\na = np.zeros((2, 3))\nrow = a[0]\n\nrow[1] = 5\n");
  cr_expect_eq(e.code, SF_ENAME);
  cr_expect_eq(e.line, 5);
  cr_expect_str_eq(e.msg, "unsupported: assigning to items of a NumPy array that shares memory with another still in use (a "
                          "view: a slice, a row, reshape, ravel, .T, squeeze or expand_dims of it, or the array it was "
                          "taken from); NumPy changes both, seedflow's views are copies");
}

/* A tensor's item assignment is TensorFlow's TypeError, naming the type as CPython does (by
 * tp_name: EagerTensor's is its dotted name, a graph tensor's and a variable's the class's). */
Test(lang, tensor_item_assignment_is_a_type_error) {
  static const char prog[] = "import tensorflow as tf\n"
                             "t = tf.constant([1.0])\n"
                             "v = tf.Variable([1.0])\n"
                             "for x in [t, v]:\n"
                             "    try:\n"
                             "        x[0] = 2.0\n"
                             "    except TypeError as e:\n"
                             "        print(e)\n"
                             "try:\n"
                             "    del t[0]\n"
                             "except TypeError as e:\n"
                             "    print(e)\n";
  char *out = run_output(prog);
  cr_expect_str_eq(out, "'tensorflow.python.framework.ops.EagerTensor' object does not support item assignment\n"
                        "'ResourceVariable' object does not support item assignment\n"
                        "'tensorflow.python.framework.ops.EagerTensor' object does not support item deletion\n");
  free(out);
  out = run_output_in(prog, SF_MODE_GRAPH);
  cr_expect_str_eq(out, "'Tensor' object does not support item assignment\n'ResourceVariable' object does not support item "
                        "assignment\n'Tensor' object does not support item deletion\n");
  free(out);
}

/* A CPython built-in seedflow lacks is named so, not a NameError (which says CPython has no
 * such name); a name no Python defines stays a NameError. */
Test(lang, lacking_builtin_is_named_unsupported) {
  sf_error e = run_error("x = [1, 2]\ny = frozenset(x)\n");
  cr_expect_eq(e.code, SF_ENAME);
  cr_expect_eq(e.line, 2);
  cr_expect_eq(e.col, 5);
  cr_expect_str_eq(e.msg, "unsupported: the built-in 'frozenset'");
  e = run_error("try:\n    h = dir(255)\nexcept NameError:\n    pass\n");
  cr_expect_str_eq(e.msg, "unsupported: the built-in 'dir'");
  e = run_error("y = frozen_set([1])\n");
  cr_expect_str_eq(e.msg, "NameError: name 'frozen_set' is not defined");
  /* a built-in type's method or class attribute CPython has (lang/realnames.c) */
  e = run_error("s = 'Ab'\ntry:\n    t = s.encode()\nexcept AttributeError:\n    t = s\n");
  cr_expect_eq(e.line, 3);
  cr_expect_eq(e.col, 9);
  cr_expect_str_eq(e.msg, "unsupported: str.encode");
  /* Unicode case mapping and character classes: ASCII only, the rest named */
  e = run_error("s = 'caf\u00e9'\nt = s.upper()\n");
  cr_expect_eq(e.line, 2);
  cr_expect_str_eq(e.msg, "unsupported: str.upper of text with non-ASCII characters (Unicode case mapping)");
  e = run_error("s = 'a\u00a0b'\nt = s.split()\n");
  cr_expect_str_eq(e.msg, "unsupported: str.split of text with non-ASCII whitespace");
  e = run_error("n = int.from_bytes(b, 'big')\n");
  cr_expect_str_eq(e.msg, "unsupported: int.from_bytes");
  e = run_error("x = [1].sort_by\n");
  cr_expect_str_eq(e.msg, "AttributeError: 'list' object has no attribute 'sort_by'");
  /* a dunder method CPython's built-in type has (hasattr would answer False: a silent guess) */
  e = run_error("x = 1.5\ny = x.__format__('.2f')\n");
  cr_expect_str_eq(e.msg, "unsupported: float.__format__");
  e = run_error("ok = hasattr([1], '__len__')\n");
  cr_expect_str_eq(e.msg, "unsupported: list.__len__");
}

/* A class's own __hash__ is CPython's to call: in a set or as a dict key it is a located
 * unsupported error (seedflow's tables hash objects by identity), where it used to be
 * silently taken for identity: {K(1), K(1)} had two elements. hash() calls it. */
Test(lang, own_hash_in_a_set_is_named_unsupported) {
  const char *cls = "class K:\n    def __init__(self, x): self.x = x\n    def __eq__(self, o): return self.x == o.x\n"
                    "    def __hash__(self): return hash(self.x)\n";
  static const char *const uses[][2] = {
      {"s = {K(1), K(1)}\n", "5:6"}, {"d = {(1, K(1)): 2}\n", "5:6"}, {"d = {}\nd[K(1)] = 1\n", "6:1"},
      {"s = set()\ntry:\n    s.add(K(1))\nexcept TypeError:\n    pass\n", "7:5"}};
  for (int k = 0; k < 4; k++) {
    char text[512], at[16];
    snprintf(text, sizeof text, "%s%s", cls, uses[k][0]);
    sf_error e = run_error(text);
    snprintf(at, sizeof at, "%d:%d", e.line, e.col);
    cr_expect_eq(e.code, SF_ENAME, "%s", uses[k][0]);
    cr_expect_str_eq(at, uses[k][1], "%s", uses[k][0]);
    cr_expect_str_eq(e.msg, "unsupported: class 'K' defines __hash__, which seedflow's sets and dict keys do not call",
                     "%s", uses[k][0]);
  }
}

/* What seedflow cannot run stops the program wherever it is: CPython would have run it, so
 * no handler (except Exception, a bare except) may take it; NumPy's own errors stay Python's. */
Test(lang, unsupported_is_not_caught_by_any_handler) {
  static const char *const handlers[] = {"except Exception:", "except:", "except NameError:", "except BaseException as e:"};
  for (int k = 0; k < 4; k++) {
    char text[256];
    snprintf(text, sizeof text, "import numpy as np\nb = np.array([True, False])\ntry:\n    c = b // b\n%s\n    print('caught')\n",
             handlers[k]);
    sf_error e = run_error(text);
    cr_expect_eq(e.code, SF_ENAME, "%s", handlers[k]);
    cr_expect_eq(e.line, 4, "%s", handlers[k]);
    cr_expect_eq(e.col, 9, "%s", handlers[k]);
    cr_expect_str_eq(e.msg, "unsupported: operator '//' on boolean arrays (NumPy gives int8, a dtype seedflow lacks)");
  }
  char *out = run_output_in("import numpy as np\nb = np.array([True, False])\ntry:\n    c = b - b\nexcept TypeError as e:\n"
                            "    print('caught', e)\n",
                            SF_MODE_EAGER);
  cr_expect_str_eq(out, "caught numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` "
                        "operator, or the logical_xor function instead.\n");
  free(out);
}

/* The random module's functions seedflow does not model are there, and named unsupported. */
Test(lang, random_unmodelled_functions_are_named) {
  sf_error e = run_error("import random\nprint(hasattr(random, 'getstate'))\ns = random.getstate()\n");
  cr_expect_eq(e.code, SF_ENAME);
  cr_expect_eq(e.line, 3);
  cr_expect_str_eq(e.msg, "unsupported: random.getstate");
  e = run_error("import random\nr = random.Random(1)\nx = r.betavariate(1, 2)\n");
  cr_expect_str_eq(e.msg, "unsupported: random.betavariate");
}

/* An API object seedflow has no text for is not printed as a made-up one: TensorFlow's
 * names its module path (which moves between versions) and an address. */
Test(lang, api_objects_are_not_printed_with_made_up_texts) {
  static const char *const prog[][2] = {
      {"import tensorflow as tf\nds = tf.data.Dataset.range(3)\nprint(ds)\n", "unsupported: printing a DatasetV2 (seedflow does not model its text)"},
      {"import tensorflow as tf\nm = tf.keras.Sequential([tf.keras.layers.Dense(1)])\nprint([m])\n",
       "unsupported: printing a Keras model (seedflow does not model its text)"},
      {"import tensorflow as tf\nx = repr(tf.float32)\nprint(tf.reduce_sum)\n",
       "unsupported: printing a TensorFlow or NumPy function (seedflow does not model its text)"},
      {"import math\nh = None\nprint(math)\n", "unsupported: printing a module (seedflow does not model its text)"},
      {"import tensorflow as tf\no = tf.keras.optimizers.Adam()\nprint(o)\n",
       "unsupported: printing an optimizer (seedflow does not model its text)"},
  };
  for (size_t i = 0; i < sizeof prog / sizeof prog[0]; i++) {
    sf_error e = run_error(prog[i][0]);
    cr_expect_str_eq(e.msg, prog[i][1]);
    cr_expect_eq(e.line, 3);
  }
}

/* A class defining a special method seedflow would not call (__setattr__, __getattr__,
 * __new__, __del__, descriptors, __slots__ it would not enforce) is a located error at the
 * class statement, not a program that runs differently. */
Test(lang, uncalled_special_methods_are_located_errors) {
  static const char *const names[] = {"__setattr__", "__getattr__", "__getattribute__", "__delattr__", "__new__",
                                      "__init_subclass__", "__del__", "__get__", "__set__", "__set_name__"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    char text[200], want[200];
    snprintf(text, sizeof text, "x = 1\nclass Conf:\n    def %s(self, *a):\n        return 0\nprint(x)\n", names[i]);
    snprintf(want, sizeof want, "unsupported: class 'Conf' defines %s (seedflow does not call it)", names[i]);
    sf_error err = run_error(text);
    cr_expect_str_eq(err.msg, want);
    cr_expect_eq(err.line, 2);
    cr_expect_eq(err.code, SF_ENAME);
  }
  sf_error err = run_error("class P:\n    __slots__ = ('x',)\n");
  cr_expect_str_eq(err.msg, "unsupported: class 'P' defines __slots__ (seedflow does not enforce it)");
}
