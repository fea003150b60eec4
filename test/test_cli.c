/* test_cli.c — the seedflow command as a user sees it: runs the built binary (SF_CLI_PATH)
 * with posix_spawn and checks exact output and exit status of help, usage errors, located
 * program errors, record/check, atomic output files, compare (colour, NO_COLOR) and explain. */
#define _XOPEN_SOURCE 700 /* posix_openpt, ptsname */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SF_CLI_PATH
#error "SF_CLI_PATH must name the built seedflow binary"
#endif

extern char **environ;

typedef struct result {
  int status;   /* exit status, or 128 + signal */
  char *out, *err;
} result;

static char dir[] = "/tmp/seedflow-cli-XXXXXX";

static void setup(void) { cr_assert_not_null(mkdtemp(dir)); }

static void teardown(void) {
  char cmd[256];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) cr_log_warn("could not remove %s", dir);
}

TestSuite(cli, .init = setup, .fini = teardown, .timeout = 60);

/* dir/name in a ring of buffers: results stay valid for the next 63 calls. */
static char *path_in(const char *name) {
  static char buf[64][512];
  static int slot;
  char *p = buf[slot++ % 64];
  snprintf(p, 512, "%s/%s", dir, name);
  return p;
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  cr_assert_not_null(f, "cannot write %s", path);
  fputs(text, f);
  fclose(f);
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return strdup("");
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  rewind(f);
  char *s = calloc(1, (size_t)n + 1);
  if (fread(s, 1, (size_t)n, f) != (size_t)n) s[0] = '\0';
  fclose(f);
  return s;
}

/* The environment without NO_COLOR, plus extra ("K=V", NULL-terminated). */
static char **make_env(const char *const *extra) {
  int n = 0, k = 0;
  while (environ[n]) n++;
  char **env = calloc((size_t)n + 8, sizeof *env);
  for (int i = 0; i < n; i++)
    if (strncmp(environ[i], "NO_COLOR=", 9) != 0) env[k++] = environ[i];
  for (int i = 0; extra && extra[i]; i++) env[k++] = (char *)extra[i];
  return env;
}

static int wait_status(pid_t pid) {
  int st;
  while (waitpid(pid, &st, 0) < 0) cr_assert_eq(errno, EINTR);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Runs seedflow with args (NULL-terminated), capturing stdout and stderr in files. */
static result run_env(const char *const *args, const char *const *extra_env) {
  char *argv[32] = {(char *)SF_CLI_PATH};
  for (int i = 0; args[i]; i++) argv[i + 1] = (char *)args[i];
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, path_in("stdout.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, path_in("stderr.txt"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  char **env = make_env(extra_env);
  pid_t pid;
  cr_assert_eq(posix_spawn(&pid, SF_CLI_PATH, &fa, NULL, argv, env), 0, "cannot run %s", SF_CLI_PATH);
  posix_spawn_file_actions_destroy(&fa);
  free(env);
  result r = {wait_status(pid), slurp(path_in("stdout.txt")), slurp(path_in("stderr.txt"))};
  return r;
}

static result run(const char *const *args) { return run_env(args, NULL); }

static void result_free(result *r) {
  free(r->out);
  free(r->err);
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* A program whose line numbers the tests below rely on. */
static const char prog[] =
    "import tensorflow as tf\n"
    "tf.random.set_seed(1234)\n"
    "w = tf.random.normal([2, 3])\n"
    "print(w)\n";

static const char *write_prog(void) {
  const char *p = path_in("prog.py");
  write_file(p, prog);
  return p;
}

static int count_entries(const char *path) {
  DIR *d = opendir(path);
  int n = 0;
  for (struct dirent *e; d && (e = readdir(d));)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
  if (d) closedir(d);
  return n;
}

/* ---- help, version, usage errors ---- */

Test(cli, help_goes_to_stdout_and_exits_0) {
  result r = run(ARGS("--help"));
  cr_expect_eq(r.status, 0);
  cr_expect(strncmp(r.out, "Usage: seedflow COMMAND [OPTION]... [FILE]...\n", 46) == 0, "got: %s", r.out);
  cr_expect_str_empty(r.err);
  result_free(&r);
}

/* The commands `seedflow --help` lists (main.c's command table), each with its own
 * --help that starts "Usage: seedflow NAME". */
Test(cli, every_command_has_help) {
  result list = run(ARGS("--help"));
  const char *s = strstr(list.out, "\nCommands:\n"), *end = s ? strstr(s, "\n\n") : NULL;
  cr_assert(s && end, "no command list in: %s", list.out);
  int n = 0;
  for (const char *line = strchr(s + 1, '\n') + 1; line < end; line = strchr(line, '\n') + 1, n++) {
    char name[32];
    cr_assert_eq(sscanf(line, " %31[a-z]", name), 1, "command line: %.40s", line);
    result r = run(ARGS(name, "--help"));
    char want[64];
    snprintf(want, sizeof want, "Usage: seedflow %s", name);
    cr_expect_eq(r.status, 0, "%s --help", name);
    cr_expect(strncmp(r.out, want, strlen(want)) == 0 && (r.out[strlen(want)] == ' ' || r.out[strlen(want)] == '\n'),
              "%s --help printed: %s", name, r.out);
    cr_expect_str_empty(r.err);
    result_free(&r);
  }
  cr_expect_eq(n, 9, "%d commands listed", n);
  result_free(&list);
}

Test(cli, version_first_line_is_name_and_version) {
  result r = run(ARGS("--version"));
  cr_expect_eq(r.status, 0);
  cr_expect(strncmp(r.out, "seedflow 0.1.0\n", 15) == 0, "got: %s", r.out);
  result_free(&r);
}

Test(cli, unknown_option_is_exit_2_with_exact_message) {
  result r = run(ARGS("run", "--bogus", "x.py"));
  cr_expect_eq(r.status, 2);
  cr_expect_str_eq(r.err, "seedflow: error: unknown option '--bogus'\n"
                          "Try 'seedflow --help' for more information.\n");
  cr_expect_str_empty(r.out);
  result_free(&r);
}

Test(cli, unknown_command_and_missing_value_are_exit_2) {
  result r = run(ARGS("frobnicate"));
  cr_expect_eq(r.status, 2);
  cr_expect_str_eq(r.err, "seedflow: error: unknown command 'frobnicate'\n"
                          "Try 'seedflow --help' for more information.\n");
  result_free(&r);
  r = run(ARGS("run", "x.py", "--mode"));
  cr_expect_eq(r.status, 2);
  cr_expect_str_eq(r.err, "seedflow: error: option '--mode' needs a value\n"
                          "Try 'seedflow --help' for more information.\n");
  result_free(&r);
  r = run(ARGS("compare", "x.py", "--modes", "eager,sideways"));
  cr_expect_eq(r.status, 2);
  cr_expect_str_eq(r.err, "seedflow: error: unknown mode 'sideways' (eager, graph, function)\n"
                          "Try 'seedflow --help' for more information.\n");
  result_free(&r);
}

/* ---- located program errors ---- */

Test(cli, syntax_error_names_file_line_column_with_caret) {
  const char *p = path_in("bad.py");
  write_file(p, "import tensorflow as tf\nw = tf.random.normal([2, 3)\n");
  result r = run(ARGS("run", p));
  char want[1024];
  snprintf(want, sizeof want,
           "%s:2:27: error: closing parenthesis ')' does not match opening parenthesis '['\n"
           "  w = tf.random.normal([2, 3)\n"
           "                            ^\n", p);
  cr_expect_eq(r.status, 2);
  cr_expect_str_eq(r.err, want);
  cr_expect_str_empty(r.out);
  result_free(&r);
}

Test(cli, missing_program_file_is_exit_2) {
  result r = run(ARGS("run", path_in("nope.py")));
  cr_expect_eq(r.status, 2);
  cr_expect(strncmp(r.err, "seedflow: error: ", 17) == 0, "got: %s", r.err);
  result_free(&r);
}

/* ---- run ---- */

Test(cli, run_prints_what_tf_prints) {
  result r = run(ARGS("run", write_prog(), "--mode", "graph", "--profile", "tf1"));
  cr_expect_eq(r.status, 0);
  cr_expect_str_eq(r.out, "[[-0.13862522 -0.24789245 -0.22179745]\n"
                          " [ 0.9156514   1.1768111  -2.1070724 ]]\n");
  result_free(&r);
}

Test(cli, run_json_has_prints_and_ops) {
  result r = run(ARGS("run", write_prog(), "--format", "json"));
  cr_assert_eq(r.status, 0);
  json_error_t je;
  json_t *root = json_loads(r.out, 0, &je);
  cr_assert_not_null(root, "invalid JSON: %s", je.text);
  json_t *op = json_array_get(json_object_get(root, "ops"), 0);
  cr_expect_str_eq(json_string_value(json_object_get(root, "mode")), "eager");
  cr_expect_eq(json_integer_value(json_object_get(op, "seed2")), 1892932127);
  cr_expect_str_eq(json_string_value(json_object_get(op, "seed2_source")), "eager-stream");
  cr_expect_str_eq(json_string_value(json_object_get(root, "format")), "seedflow/1");
  cr_expect_eq(json_integer_value(json_object_get(op, "execution")), 1);
  cr_expect_eq(json_integer_value(json_array_get(json_object_get(op, "counter"), 2)), 1892932127);
  /* a float32 value as the JSON number of its exact value */
  cr_expect_eq((float)json_real_value(json_array_get(json_object_get(op, "values"), 0)), 0.836931407f);
  cr_expect_eq(json_integer_value(json_object_get(json_array_get(json_object_get(root, "prints"), 0), "print")), 1);
  json_decref(root);
  result_free(&r);
}

Test(cli, dot_into_missing_directory_is_exit_2_and_writes_nothing) {
  result r = run(ARGS("run", write_prog(), "--mode", "graph", "--dot", path_in("no/such/dir/g.dot")));
  cr_expect_eq(r.status, 2);
  cr_expect(strncmp(r.err, "seedflow: error: cannot create ", 31) == 0, "got: %s", r.err);
  result_free(&r);
}

/* ---- record / check ---- */

static const char *record_golden(void) {
  const char *g = path_in("golden.json");
  result r = run(ARGS("record", write_prog(), "-o", g));
  cr_assert_eq(r.status, 0, "record failed: %s", r.err);
  result_free(&r);
  return g;
}

Test(cli, record_then_check_is_exit_0) {
  const char *g = record_golden();
  result r = run(ARGS("check", path_in("prog.py"), g));
  char want[1024];
  snprintf(want, sizeof want, "check: %s matches %s (3 runs, 3 printed tensors, 3 random draws)\n", path_in("prog.py"), g);
  cr_expect_eq(r.status, 0, "stdout: %s stderr: %s", r.out, r.err);
  cr_expect_str_eq(r.out, want);
  cr_expect_eq(count_entries(dir), 4, "record left a temp file behind"); /* prog, golden, stdout, stderr */
  result_free(&r);
}

/* Replaces the first value of the first op of run runi with text. */
static void tamper(const char *g, size_t runi, const char *text) {
  json_error_t je;
  json_t *root = json_load_file(g, 0, &je);
  cr_assert_not_null(root);
  json_t *run = json_array_get(json_object_get(root, "runs"), runi);
  json_t *op = json_array_get(json_object_get(run, "ops"), 0);
  json_array_set_new(json_object_get(op, "values"), 0, json_real(strtod(text, NULL)));
  cr_assert_eq(json_dump_file(root, g, JSON_INDENT(1) | JSON_PRESERVE_ORDER), 0);
  json_decref(root);
}

Test(cli, tampered_golden_is_exit_1_with_diff_line) {
  const char *g = record_golden();
  tamper(g, 1, "12345");
  result r = run(ARGS("check", path_in("prog.py"), g));
  char want[1024];
  snprintf(want, sizeof want,
           "mode graph/tf2, op RandomStandardNormal (line 3), index 0: expected 12345, got -0.302002043\n"
           "check: 1 difference between %s and %s\n", path_in("prog.py"), g);
  cr_expect_eq(r.status, 1);
  cr_expect_str_eq(r.out, want);
  result_free(&r);
}

Test(cli, check_on_missing_or_invalid_golden_is_exit_2) {
  write_prog();
  result r = run(ARGS("check", path_in("prog.py"), path_in("missing.json")));
  cr_expect_eq(r.status, 2);
  cr_expect(strstr(r.err, "seedflow: error: ") == r.err && strstr(r.err, "missing.json"), "got: %s", r.err);
  result_free(&r);

  write_file(path_in("broken.json"), "{\"format\": \"seedflow/1\", \"runs\": [\n");
  r = run(ARGS("check", path_in("prog.py"), path_in("broken.json")));
  cr_expect_eq(r.status, 2);
  cr_expect(strstr(r.err, "invalid JSON") != NULL, "got: %s", r.err);
  result_free(&r);

  write_file(path_in("other.json"), "{\"runs\": []}\n");
  r = run(ARGS("check", path_in("prog.py"), path_in("other.json")));
  char want[600];
  snprintf(want, sizeof want, "seedflow: error: %s: not a seedflow golden file (format is not 'seedflow/1')\n",
           path_in("other.json"));
  cr_expect_eq(r.status, 2);
  cr_expect_str_eq(r.err, want);
  result_free(&r);
}

Test(cli, record_into_missing_directory_is_exit_2_and_leaves_nothing) {
  write_prog();
  result r = run(ARGS("record", path_in("prog.py"), "-o", path_in("absent/golden.json")));
  cr_expect_eq(r.status, 2);
  cr_expect(strncmp(r.err, "seedflow: error: cannot create ", 31) == 0, "got: %s", r.err);
  cr_expect_eq(access(path_in("absent"), F_OK), -1);
  result_free(&r);
}

/* The rename fails after the temp file was written: the temp file must be gone too. */
Test(cli, record_onto_a_directory_is_exit_2_and_leaves_no_temp_file) {
  write_prog();
  cr_assert_eq(mkdir(path_in("out"), 0755), 0);
  cr_assert_eq(mkdir(path_in("out/golden.json"), 0755), 0);
  result r = run(ARGS("record", path_in("prog.py"), "-o", path_in("out/golden.json")));
  cr_expect_eq(r.status, 2);
  cr_expect(strncmp(r.err, "seedflow: error: cannot write ", 30) == 0, "got: %s", r.err);
  cr_expect_eq(count_entries(path_in("out")), 1, "a temp file was left in out/");
  result_free(&r);
}

Test(cli, record_of_failing_program_writes_no_file) {
  const char *p = path_in("bad.py");
  write_file(p, "import tensorflow as tf\nx = tf.random.frobnicate([2])\n");
  result r = run(ARGS("record", p, "-o", path_in("g.json")));
  cr_expect_eq(r.status, 2);
  cr_expect_eq(access(path_in("g.json"), F_OK), -1);
  result_free(&r);
}

Test(cli, explain_json_has_the_ops_with_their_words) {
  result r = run(ARGS("explain", write_prog(), "--mode", "graph", "--tf", "1.15", "--format", "json"));
  cr_assert_eq(r.status, 0, "%s", r.err);
  json_error_t je;
  json_t *root = json_loads(r.out, 0, &je);
  cr_assert_not_null(root, "invalid JSON (%s): %s", je.text, r.out);
  cr_expect_str_eq(json_string_value(json_object_get(root, "format")), "seedflow/1");
  cr_expect_str_eq(json_string_value(json_object_get(root, "profile")), "tf1");
  json_t *op = json_array_get(json_object_get(root, "ops"), 0);
  cr_expect_eq(json_array_size(json_object_get(root, "ops")), 1);
  cr_expect_eq(json_integer_value(json_object_get(op, "seed2")), 3);
  cr_expect_str_eq(json_string_value(json_object_get(op, "seed2_words")),
                   "TF1 uses the graph's op count (graph._last_id): 3 ops were in the graph when the seed was derived");
  json_t *vs = json_object_get(op, "versus");
  cr_expect_eq(json_array_size(vs), 2);
  cr_expect_str_eq(json_string_value(json_object_get(json_array_get(vs, 0), "run")), "eager/tf1");
  json_decref(root);
  result_free(&r);
}

/* ---- compare ---- */

Test(cli, compare_json_has_the_runs_and_the_first_divergence) {
  result r = run_env(ARGS("compare", write_prog(), "--modes", "eager,graph:tf1", "--format", "json"),
                     (const char *const[]){"COLUMNS=40", NULL});
  cr_assert_eq(r.status, 0, "%s", r.err);
  json_error_t je;
  json_t *root = json_loads(r.out, 0, &je);
  cr_assert_not_null(root, "invalid JSON (%s): %s", je.text, r.out);
  cr_expect_str_eq(json_string_value(json_object_get(root, "format")), "seedflow/1");
  cr_expect_str_eq(json_string_value(json_object_get(root, "reference")), "eager/tf2");
  json_t *first = json_object_get(root, "first_divergence");
  cr_expect_eq(json_integer_value(json_object_get(first, "line")), 3);
  cr_expect_str_eq(json_string_value(json_object_get(first, "run")), "graph/tf1");
  cr_expect_str_eq(json_string_value(json_object_get(first, "cause")),
                   "seed2 = 3 in graph/tf1 because TF1 uses the graph's op count (graph._last_id); "
                   "in eager/tf2 it is the first draw of Python's random.Random(1234) (1892932127)");
  json_t *runs = json_object_get(root, "runs");
  cr_expect_eq(json_array_size(runs), 2);
  json_t *op = json_array_get(json_object_get(json_array_get(runs, 1), "ops"), 0);
  cr_expect_eq(json_integer_value(json_object_get(op, "seed2")), 3);
  cr_expect_eq((float)json_real_value(json_array_get(json_object_get(op, "values"), 0)), -0.138625219f);
  json_decref(root);
  result_free(&r);
}

Test(cli, compare_names_first_divergence_and_cause) {
  result r = run_env(ARGS("compare", write_prog(), "--modes", "eager,graph:tf1"),
                     (const char *const[]){"NO_COLOR=1", "COLUMNS=1000", NULL});
  cr_expect_eq(r.status, 0);
  cr_expect(strstr(r.out, "first divergence: random op RandomStandardNormal at line 3 (graph/tf1 differs from eager/tf2)\n"
                          "cause: seed2 = 3 in graph/tf1 because TF1 uses the graph's op count (graph._last_id); "
                          "in eager/tf2 it is the first draw of Python's random.Random(1234) (1892932127).\n"),
            "got: %s", r.out);
  cr_expect(strstr(r.out, "-0.138625219*") != NULL, "differing values are not marked: %s", r.out);
  cr_expect(strchr(r.out, '\033') == NULL, "colour in a pipe");
  result_free(&r);
}

/* A program only eager mode runs (NumPy of a tensor): compare shows the modes that ran and
 * says why the others stopped, text and JSON; explain still explains its mode. */
static const char eager_only[] = "import numpy as np\n"
                                 "import tensorflow as tf\n"
                                 "a = tf.random.normal([2], seed=3)\n"
                                 "print(np.sum(a))\n";

Test(cli, compare_lists_the_modes_that_do_not_run_the_program) {
  const char *p = path_in("eager_only.py");
  write_file(p, eager_only);
  result r = run_env(ARGS("compare", p), (const char *const[]){"NO_COLOR=1", "COLUMNS=1000", NULL});
  cr_expect_eq(r.status, 0, "%s", r.err);
  const char *why = "unsupported: np.sum() of a symbolic tensor (it has a value only when run)";
  char want[512];
  snprintf(want, sizeof want, "graph/tf1 does not run this program: line 4:7: %s\n"
           "function/tf2 does not run this program: line 4:7: %s\n\n"
           "the modes that ran agree: every print and every random draw is bit-identical.\n", why, why);
  cr_expect(strstr(r.out, want) != NULL, "got: %s", r.out);
  result_free(&r);
  r = run(ARGS("compare", p, "--format", "json"));
  cr_assert_eq(r.status, 0, "%s", r.err);
  json_t *root = json_loads(r.out, 0, NULL);
  cr_assert_not_null(root);
  cr_expect_str_eq(json_string_value(json_object_get(root, "reference")), "eager/tf2");
  cr_expect_eq(json_array_size(json_object_get(root, "runs")), 1);
  json_t *nr = json_array_get(json_object_get(root, "not_run"), 1);
  cr_expect_str_eq(json_string_value(json_object_get(nr, "run")), "function/tf2");
  snprintf(want, sizeof want, "line 4:7: %s", why);
  cr_expect_str_eq(json_string_value(json_object_get(nr, "error")), want);
  json_decref(root);
  result_free(&r);
  r = run_env(ARGS("explain", p), (const char *const[]){"COLUMNS=1000", NULL});
  cr_expect_eq(r.status, 0, "%s", r.err);
  snprintf(want, sizeof want, "  vs graph/tf2     the program stops there, at line 4:7: %s\n", why);
  cr_expect(strstr(r.out, want) != NULL, "got: %s", r.out);
  result_free(&r);
  /* A program no mode runs is still an error, located, exit 2. */
  write_file(p, "print(undefined_name)\n");
  r = run(ARGS("compare", p));
  cr_expect_eq(r.status, 2);
  cr_expect(strstr(r.err, "prog.py") == NULL && strstr(r.err, ":1:7: error: NameError: name 'undefined_name' is not defined\n"),
            "got: %s", r.err);
  result_free(&r);
}

/* As in Python, what a program printed before an uncaught error is shown, then the error. */
Test(cli, run_shows_the_prints_before_an_error) {
  const char *p = path_in("stops.py");
  write_file(p, "print(1)\nprint('a', [1, 2])\nx = 1 / 0\nprint(2)\n");
  result r = run(ARGS("run", p));
  cr_expect_eq(r.status, 2);
  cr_expect_str_eq(r.out, "1\na [1, 2]\n");
  char want[512];
  snprintf(want, sizeof want, "%s:3:5: error: ZeroDivisionError: division by zero\n", p);
  cr_expect(strncmp(r.err, want, strlen(want)) == 0, "got: %s", r.err);
  result_free(&r);
}

/* A Session program outside graph mode: run and explain say how the mode reads it. */
Test(cli, session_reading_is_noted_per_mode) {
  const char *p = path_in("sess.py");
  write_file(p, "import tensorflow as tf\ntf.compat.v1.disable_eager_execution()\nx = tf.random.normal([1], seed=1)\n"
                "with tf.compat.v1.Session() as sess:\n    print(sess.run(x))\n");
  result r = run(ARGS("run", p, "--mode", "eager"));
  cr_expect_eq(r.status, 0, "%s", r.err);
  cr_expect_str_eq(r.err, "seedflow: note: line 2 calls disable_eager_execution(): TensorFlow runs the program in graph "
                          "mode; this run is in eager mode as asked\n"
                          "seedflow: note: line 4: tf.Session in eager mode is read as the migrated TF2 program: ops "
                          "ran when they were created, so sess.run(t) and t.eval() give t's value\n");
  result_free(&r);
  r = run_env(ARGS("explain", p, "--mode", "function"), (const char *const[]){"COLUMNS=1000", NULL});
  cr_expect_eq(r.status, 0, "%s", r.err);
  cr_expect(strstr(r.out, "how this run reads the program:\n"
                          "  mode: line 2 calls disable_eager_execution(): TensorFlow runs the program in graph mode; "
                          "this run is in function mode as asked\n"
                          "  mode: line 4: tf.Session in function mode is read as TF2's tf.function: the graph is one "
                          "FuncGraph, each sess.run one call of it, with kernels that live as long as the Session\n"),
            "got: %s", r.out);
  result_free(&r);
  r = run(ARGS("run", p, "--mode", "graph"));
  cr_expect_str_eq(r.err, "");
  result_free(&r);
}

/* Runs compare on a pseudo-terminal so that colour is possible. */
static char *compare_on_tty(const char *const *extra_env) {
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  cr_assert(master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, ptsname(master), O_RDWR | O_NOCTTY, 0);
  posix_spawn_file_actions_addclose(&fa, master);
  char *argv[] = {(char *)SF_CLI_PATH, "compare", (char *)write_prog(), NULL};
  char **env = make_env(extra_env);
  pid_t pid;
  cr_assert_eq(posix_spawn(&pid, SF_CLI_PATH, &fa, NULL, argv, env), 0);
  free(env);
  posix_spawn_file_actions_destroy(&fa);
  size_t len = 0, cap = 1 << 16;
  char *buf = calloc(1, cap);
  for (ssize_t n; len < cap - 1 && (n = read(master, buf + len, cap - 1 - len)) > 0;) len += (size_t)n;
  close(master);
  cr_expect_eq(wait_status(pid), 0);
  return buf;
}

Test(cli, compare_colours_a_terminal_unless_no_color) {
  char *plain = compare_on_tty((const char *const[]){"NO_COLOR=1", NULL});
  char *coloured = compare_on_tty(NULL);
  cr_expect(strchr(plain, '\033') == NULL, "NO_COLOR ignored: %s", plain);
  cr_expect(strstr(coloured, "\033[1;31m") != NULL, "no colour on a terminal: %s", coloured);
  free(plain);
  free(coloured);
}

/* ---- explain ---- */

Test(cli, explain_tf1_graph_against_eager) {
  result r = run_env(ARGS("explain", write_prog(), "--mode", "graph", "--profile", "tf1"),
                     (const char *const[]){"COLUMNS=1000", NULL});
  cr_expect_eq(r.status, 0);
  cr_expect(strstr(r.out, "  seed2 = 3: TF1 uses the graph's op count (graph._last_id): 3 ops were in the graph "
                          "when the seed was derived\n") != NULL, "got: %s", r.out);
  cr_expect(strstr(r.out, "  vs eager/tf1     seed2 = 3 here because TF1 uses the graph's op count (graph._last_id); "
                          "in eager it is the first draw of Python's random.Random(1234) (1892932127).\n") != NULL,
            "got: %s", r.out);
  result_free(&r);
}

/* Without --mode a program that switches before its first op runs in the mode it asks for
 * (its DOT file says so); a switch after an op is too late and only noted; --mode still rules. */
Test(cli, a_program_switching_at_its_start_runs_in_that_mode) {
  const char *p = path_in("switch.py"), *dot = path_in("switch.dot");
  write_file(p, "import tensorflow as tf\ntf.compat.v1.disable_eager_execution()\nx = tf.compat.v1.placeholder(tf.float32, [2])\n"
                "with tf.compat.v1.Session() as sess:\n    print(sess.run(x * 2, {x: [1, 2]}))\n");
  result r = run(ARGS("run", p, "--dot", dot));
  cr_expect_eq(r.status, 0, "%s", r.err);
  cr_expect_str_eq(r.out, "[2. 4.]\n");
  cr_expect_str_eq(r.err, "seedflow: note: line 2 switches to graph mode: the program runs in it, as in TensorFlow (--mode "
                          "runs another)\n");
  result_free(&r);
  char *d = slurp(dot);
  cr_expect(strstr(d, "switch.py, mode graph, profile tf2") && strstr(d, "Placeholder"), "got: %s", d);
  free(d);
  r = run_env(ARGS("explain", p), (const char *const[]){"COLUMNS=1000", NULL});
  cr_expect_eq(r.status, 0, "%s", r.err);
  cr_expect(strstr(r.out, "switch.py: mode graph, profile tf2; 0 random op executions\n"), "got: %s", r.out);
  result_free(&r);
  r = run(ARGS("run", p, "--mode", "eager"));
  cr_expect_eq(r.status, 2);
  cr_expect(strstr(r.err, "tf.placeholder() is not compatible with eager execution. (Line 2 turns eager execution off;"),
            "got: %s", r.err);
  result_free(&r);
  write_file(p, "import tensorflow as tf\ntry:\n    tf.compat.v1.disable_eager_execution()\nexcept Exception:\n"
                "    print('caught')\nprint(tf.executing_eagerly())\n"); /* the stop is no exception */
  r = run(ARGS("run", p));
  cr_expect_str_eq(r.out, "False\n");
  result_free(&r);
  write_file(p, "import tensorflow as tf\ntf.random.set_seed(1)\ntf.compat.v1.disable_eager_execution()\n");
  r = run(ARGS("run", p)); /* TF 2 keeps a seed set eagerly in the eager context: no run again */
  cr_expect_str_eq(r.err, "seedflow: note: line 3 calls disable_eager_execution() after the program's first op or global "
                          "seed: this run stays in eager mode (--mode graph runs the program in graph mode)\n");
  result_free(&r);
  write_file(p, "import tensorflow as tf\nx = tf.placeholder(tf.float32, [1])\nwith tf.Session() as s:\n"
                "    print(s.run(x, {x: [2]}))\n");
  r = run(ARGS("run", p, "--tf", "1.15")); /* TF 1.x's default mode is graph mode */
  cr_expect_eq(r.status, 0, "%s", r.err);
  cr_expect_str_eq(r.out, "[2.]\n");
  cr_expect_str_eq(r.err, "");
  result_free(&r);
  write_file(p, "import tensorflow as tf\ntf.enable_eager_execution()\nprint(tf.executing_eagerly())\n");
  r = run(ARGS("run", p, "--tf", "1.15"));
  cr_expect_str_eq(r.out, "True\n");
  cr_expect_str_eq(r.err, "seedflow: note: line 2 switches to eager mode: the program runs in it, as in TensorFlow (--mode "
                          "runs another)\n");
  result_free(&r);
  write_file(p, "import tensorflow as tf\nprint(tf.constant(1.0))\ntf.compat.v1.disable_eager_execution()\n");
  r = run(ARGS("run", p));
  cr_expect_eq(r.status, 0, "%s", r.err);
  cr_expect_str_eq(r.out, "tf.Tensor(1.0, shape=(), dtype=float32)\n");
  cr_expect_str_eq(r.err, "seedflow: note: line 3 calls disable_eager_execution() after the program's first op: this run "
                          "stays in eager mode (--mode graph runs the program in graph mode)\n");
  result_free(&r);
}
