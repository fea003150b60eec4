/* test_term.c — what a person sees: every human-readable output (demo, compare and
 * explain on every example, ops, check) fits COLUMNS, counted in characters, with no
 * trailing spaces; the line wrapper and cell layout (cli/term.c) exactly; colour follows
 * --color, NO_COLOR, CLICOLOR_FORCE and TERM=dumb; `compare` tells the TF1-vs-TF2 story by
 * default and puts the cause first; --tf names versions. */
#define _XOPEN_SOURCE 700 /* posix_openpt, ptsname */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../cli/term.h"
#include "cli_spawn.h"

#ifndef SF_CLI_PATH
#error "SF_CLI_PATH must name the built seedflow binary"
#endif

extern char **environ;

/* The other CLI suites of this binary compare whole lines, some longer than 80 characters
 * (temp paths): their seedflow runs get a width that wraps nothing. This suite sets
 * COLUMNS itself for every run. */
__attribute__((constructor)) static void wide_output_for_every_suite(void) { setenv("COLUMNS", "1000", 1); }

static const char *const examples[] = {"arithmetic_order", "construction_order", "dropout", "dropout_training",
                                       "execution_order", "kernel_state", "parallelism", "seed_derivation",
                                       "sgd", "weights"};
enum { NEXAMPLES = sizeof examples / sizeof *examples };

typedef struct out {
  int status;
  char *text;
} out;

/* Runs seedflow (the suite runs in the source root) with args and extra environment ("K=V"; COLUMNS,
 * NO_COLOR, CLICOLOR_FORCE and TERM are removed first); stdout on a pty when tty. */
static out run(const char *const *args, const char *const *env_extra, bool tty) {
  char *argv[16] = {(char *)SF_CLI_PATH};
  for (int i = 0; args[i]; i++) argv[i + 1] = (char *)args[i];
  int n = 0, k = 0;
  while (environ[n]) n++;
  char **env = calloc((size_t)n + 8, sizeof *env);
  for (int i = 0; i < n; i++)
    if (strncmp(environ[i], "COLUMNS=", 8) && strncmp(environ[i], "NO_COLOR=", 9) &&
        strncmp(environ[i], "CLICOLOR_FORCE=", 15) && strncmp(environ[i], "TERM=", 5))
      env[k++] = environ[i];
  for (int i = 0; env_extra && env_extra[i]; i++) env[k++] = (char *)env_extra[i];
  int fds[2], master = -1;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (tty) {
    master = posix_openpt(O_RDWR | O_NOCTTY);
    cr_assert(master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0);
    posix_spawn_file_actions_addopen(&fa, 1, ptsname(master), O_RDWR | O_NOCTTY, 0);
    posix_spawn_file_actions_addclose(&fa, master);
    fds[0] = master;
  } else {
    cr_assert_eq(pipe(fds), 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
  }
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid;
  cr_assert_eq(posix_spawn(&pid, SF_CLI_PATH, &fa, NULL, argv, env), 0);
  posix_spawn_file_actions_destroy(&fa);
  free(env);
  if (!tty) close(fds[1]);
  size_t len = 0, cap = 1 << 20;
  char *buf = calloc(1, cap);
  for (ssize_t r; len < cap - 1 && (r = read(fds[0], buf + len, cap - 1 - len)) > 0;) len += (size_t)r;
  close(fds[0]);
  int st;
  while (waitpid(pid, &st, 0) < 0) cr_assert_eq(errno, EINTR);
  return (out){WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), buf};
}

static void enter_root(void) { cr_assert_eq(chdir(SF_SOURCE_ROOT), 0); }
TestSuite(term, .init = enter_root, .timeout = 240);

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define ENV(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Characters (UTF-8 code points) of the longest line; fails on a trailing space. */
static void expect_fits(const char *what, const char *text, int width) {
  int lines = 0;
  for (const char *line = text; *line; lines++) {
    const char *nl = strchr(line, '\n');
    size_t n = nl ? (size_t)(nl - line) : strlen(line);
    int chars = 0;
    for (size_t i = 0; i < n; i++) chars += ((unsigned char)line[i] & 0xC0) != 0x80;
    cr_expect(chars <= width, "%s: line %d has %d characters: %.*s", what, lines + 1, chars, (int)n, line);
    cr_expect(n == 0 || line[n - 1] != ' ', "%s: line %d ends with a space: %.*s", what, lines + 1, (int)n, line);
    line += n + (nl != NULL);
  }
  cr_expect(lines > 1, "%s printed %d lines", what, lines);
}

static void expect_command_fits(const char *const *args, const char *columns, int width, int status) {
  out o = run(args, ENV(columns), false);
  char what[256];
  snprintf(what, sizeof what, "%s %s %s", columns, args[0], args[1] ? args[1] : "");
  cr_expect_eq(o.status, status, "%s: exit %d", what, o.status);
  expect_fits(what, o.text, width);
  free(o.text);
}

Test(term, every_human_output_fits_80_columns) {
  expect_command_fits(ARGS("demo"), "COLUMNS=80", 80, 0);
  expect_command_fits(ARGS("ops"), "COLUMNS=80", 80, 0);
  expect_command_fits(ARGS("--help"), "COLUMNS=80", 80, 0);
  for (int i = 0; i < NEXAMPLES; i++) {
    char file[128], golden[128];
    snprintf(file, sizeof file, "examples/%s.py", examples[i]);
    snprintf(golden, sizeof golden, "test/golden/%s.json", examples[i]);
    expect_command_fits(ARGS("compare", file), "COLUMNS=80", 80, 0);
    expect_command_fits(ARGS("explain", file, "--mode", "graph", "--tf", "1.15"), "COLUMNS=80", 80, 0);
    expect_command_fits(ARGS("explain", file), "COLUMNS=80", 80, 0);
    expect_command_fits(ARGS("check", file, golden), "COLUMNS=80", 80, 0);
  }
  /* a check that finds differences: the longest lines check prints */
  expect_command_fits(ARGS("check", "examples/sgd.py", "test/golden/weights.json"), "COLUMNS=80", 80, 1);
}

Test(term, narrow_and_wide_terminals_fit_too) {
  expect_command_fits(ARGS("compare", "examples/dropout_training.py"), "COLUMNS=50", 50, 0);
  expect_command_fits(ARGS("demo", "dropout"), "COLUMNS=50", 50, 0);
  expect_command_fits(ARGS("explain", "examples/sgd.py"), "COLUMNS=50", 50, 0);
  /* without COLUMNS and without a terminal: 80 */
  out o = run(ARGS("demo", "weights"), NULL, false);
  expect_fits("demo without COLUMNS", o.text, 80);
  free(o.text);
  /* a wide terminal keeps a row whole */
  o = run(ARGS("compare", "examples/weights.py"), ENV("COLUMNS=200"), false);
  cr_expect(strstr(o.text, "\n  graph/tf1    -0.138625219  -0.247892454  -0.221797451   0.915651381     1.1768111"
                           "   -2.10707235\n") != NULL, "got: %s", o.text);
  free(o.text);
}

/* ---- the wrapper and the cell layout, exactly ---- */

static char *fitted(const char *line, int width) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  term_write_line(f, line, strlen(line), width);
  fclose(f);
  return buf;
}

Test(term, lines_wrap_at_spaces_under_the_second_column) {
  char *s = fitted("  vs graph/tf2    seed2 = 1892932127 here because eager takes the first draw", 40);
  cr_expect_str_eq(s, "  vs graph/tf2    seed2 = 1892932127\n"
                      "                  here because eager\n"
                      "                  takes the first draw\n");
  free(s);
  s = fitted("- a bullet without a second column, long enough to wrap   ", 30);
  cr_expect_str_eq(s, "- a bullet without a second\n  column, long enough to wrap\n");
  free(s);
  s = fitted("fits exactly, trailing spaces go   ", 31);
  cr_expect_str_eq(s, "fits exactly, trailing spaces go\n"[0] ? "fits exactly, trailing spaces\n  go\n" : "");
  free(s);
  /* characters, not bytes: 20 × "é" is 20 characters wide; a colour escape is 0 wide */
  s = fitted("éééééééééééééééééééé", 20);
  cr_expect_str_eq(s, "éééééééééééééééééééé\n");
  free(s);
  cr_expect_eq(term_display_len("\033[1;31m-0.5*\033[0m …", strlen("\033[1;31m-0.5*\033[0m …")), 7);
  s = fitted("abcdefghijklmnopqrstuvwxyz", 20); /* one word longer than the width is cut */
  cr_expect_str_eq(s, "abcdefghijklmnopqrst\n  uvwxyz\n");
  free(s);
}

Test(term, cells_align_in_columns_and_elide_with_a_count) {
  const char *cells[] = {"1.5", "-22.25", "3", "4", "5", "6", "7"};
  bool mark[] = {false, true, false, false, false, false, false};
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  fputs("row", f);
  term_cells(f, 3, 3, cells, mark, 7, 6, 20, 2, false);
  fclose(f);
  /* slots of 8 (space, 6, mark): 2 per line after "row"; 2 lines; the 4th slot says "… 4 more" */
  cr_expect_str_eq(buf, "row    1.5  -22.25*\n         3  … 4 more\n");
  free(buf);
}

/* ---- colour ---- */

static bool coloured(const char *const *env, const char *flag, bool tty) {
  out o = run(flag ? ARGS("compare", "examples/weights.py", flag) : ARGS("compare", "examples/weights.py"), env, tty);
  cr_expect_eq(o.status, 0);
  bool c = strchr(o.text, '\033') != NULL;
  free(o.text);
  return c;
}

Test(term, colour_follows_flag_no_color_clicolor_force_and_term_dumb) {
  cr_expect(coloured(ENV("TERM=xterm"), NULL, true), "a terminal gets colour");
  cr_expect(!coloured(ENV("TERM=dumb"), NULL, true), "TERM=dumb gets colour");
  cr_expect(!coloured(ENV("TERM=xterm", "NO_COLOR=1"), NULL, true), "NO_COLOR ignored");
  cr_expect(!coloured(ENV("TERM=xterm"), NULL, false), "a pipe gets colour");
  cr_expect(coloured(ENV("CLICOLOR_FORCE=1"), NULL, false), "CLICOLOR_FORCE ignored");
  cr_expect(!coloured(ENV("CLICOLOR_FORCE=0"), NULL, false), "CLICOLOR_FORCE=0 forces colour");
  cr_expect(!coloured(ENV("CLICOLOR_FORCE=1", "NO_COLOR=1"), NULL, false), "NO_COLOR loses to CLICOLOR_FORCE");
  cr_expect(!coloured(ENV("CLICOLOR_FORCE=1"), "--color=never", false), "--color=never ignored");
  cr_expect(coloured(ENV("TERM=dumb", "NO_COLOR=1"), "--color=always", false), "--color=always ignored");
}

/* ---- compare: the story by default, the cause first ---- */

Test(term, compare_weights_shows_tf1_graph_tf2_eager_and_function_with_three_draws) {
  out o = run(ARGS("compare", "examples/weights.py"), ENV("COLUMNS=80"), false);
  cr_expect_eq(o.status, 0);
  /* the cause comes right after the header, before any table */
  static const char head[] =
                    "compare examples/weights.py: reference graph/tf1; '*' marks what differs from it\n\n"
                    "first divergence: random op RandomStandardNormal at line 16 (eager/tf2 differs\n"
                    "  from graph/tf1)\n"
                    "cause: seed2 = 1892932127 in eager/tf2 because eager takes the first draw of\n"
                    "  Python's random.Random(1234); in graph/tf1 it is the graph's op count,\n"
                    "  graph._last_id = 3.\n\n"
                    "random op RandomStandardNormal at line 16\n"
                    "  graph/tf1     seed=1234 (global) seed2=3 (node-id 3) counter block 0 (schedule\n";
  cr_expect(strncmp(o.text, head, strlen(head)) == 0, "got: %s", o.text);
  /* three different draws, the differing seed2 marked */
  cr_expect(strstr(o.text, "print 1 at line 17: weights_tf2.numpy()  float32 (2, 3)\n"
                           "  graph/tf1    -0.138625219  -0.247892454  -0.221797451   0.915651381\n"
                           "                  1.1768111   -2.10707235\n"
                           "  eager/tf2     0.836931407* -0.734297752*   1.04029429*  0.040359918*\n"
                           "               -0.721865892*   1.07948577*\n"
                           "  function/tf2 -0.302002043*   1.99549484*  -1.43466127*  -2.59828138*\n"
                           "               0.0505513214* -0.533689559*\n") != NULL, "got: %s", o.text);
  cr_expect(strstr(o.text, "seed2=1892932127 (eager-stream 0)*") != NULL, "got: %s", o.text);
  cr_expect(strstr(o.text, "seed2=0 (graph-counter 0)* counter block 0") != NULL, "got: %s", o.text);
  free(o.text);
}

Test(term, tf_versions_select_a_profile_or_name_the_nearest_one) {
  out o = run(ARGS("compare", "examples/weights.py", "--tf", "2.1"), ENV("COLUMNS=80"), false);
  cr_expect_eq(o.status, 0);
  cr_expect(strstr(o.text, "reference graph/tf1;") && strstr(o.text, "\n  eager/tf1  ") &&
            strstr(o.text, "\n  function/tf1 ") && !strstr(o.text, "/tf2"), "got: %s", o.text);
  free(o.text);
  o = run(ARGS("compare", "examples/weights.py", "--modes", "eager:2.9,graph:1.15"), ENV("COLUMNS=80"), false);
  cr_expect_eq(o.status, 0);
  cr_expect(strstr(o.text, "reference eager/tf2;") && strstr(o.text, "\n  graph/tf1  "), "got: %s", o.text);
  free(o.text);
  /* TF 2.10-2.15 is tf2.10, TF 2.16+ keras3 (tf-random-semantics-keras3.md §0) */
  o = run(ARGS("compare", "examples/weights.py", "--modes", "eager:2.12,eager:2.16,eager:keras3.4"), ENV("COLUMNS=80"), false);
  cr_expect_eq(o.status, 0, "got: %s", o.text);
  cr_expect(strstr(o.text, "reference eager/tf2.10;") && strstr(o.text, "\n  eager/keras3 ") && strstr(o.text, "\n  eager/keras3.4 "), "got: %s", o.text);
  free(o.text);
  static const struct {
    const char *version, *err;
  } bad[] = {
      {"3.0", "seedflow: error: TensorFlow 3.0 is not modelled (seedflow models TF 1.x to 2.x); the nearest "
              "modelled version is 2.16+ (profile keras3; a Keras version goes to --keras)\n"},
      {"0.12", "seedflow: error: TensorFlow 0.12 is not modelled (seedflow models TF 1.x to 2.x); the nearest "
               "modelled version is 1.15 (profile tf1)\n"},
      {"2", "seedflow: error: TensorFlow '2' spans four profiles: 2.0-2.1 is tf1, 2.2-2.9 is tf2, 2.10-2.15 is tf2.10, "
            "2.16+ is keras3; give the minor version\n"},
      {"tf3", "seedflow: error: unknown profile 'tf3' (tf1, tf2, tf2.10, keras3, or a TensorFlow version such as "
              "1.15, 2.9, 2.12 or 2.16)\n"},
      {"keras4.1", "seedflow: error: Keras 4.1 is not modelled (seedflow models tf.keras 2.2-2.15 and Keras 3.x); the "
                   "nearest modelled version is 3.x (profile keras3)\n"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    sf_spawned r = sf_spawn(SF_SOURCE_ROOT, ARGS("compare", "examples/weights.py", "--tf", bad[i].version), NULL);
    cr_expect_eq(r.status, 2, "--tf %s", bad[i].version);
    char want[400];
    snprintf(want, sizeof want, "%sTry 'seedflow --help' for more information.\n", bad[i].err);
    cr_expect_str_eq(r.err, want);
    cr_expect_str_empty(r.out);
    sf_spawned_free(&r);
  }
}

/* ---- DOT: one file, one digraph ---- */

/* Checks the structure Graphviz needs: one digraph, balanced clusters, every node id
 * declared once, every edge between nodes declared in its own cluster. Returns the
 * number of clusters. */
static int check_dot_structure(const char *text) {
  cr_expect(strncmp(text, "digraph \"seedflow\" {\n", 21) == 0, "starts: %.60s", text);
  const char *again = strstr(text + 1, "digraph");
  cr_expect(again == NULL, "a second digraph: %.60s", again);
  enum { MAX_IDS = 4096 };
  static char ids[MAX_IDS][64];
  int nids = 0, clusters = 0, depth = 0;
  char cluster[64] = "";
  for (const char *line = text; *line;) {
    const char *nl = strchr(line, '\n');
    size_t n = nl ? (size_t)(nl - line) : strlen(line);
    char a[64], b[64];
    if (sscanf(line, "  subgraph \"cluster_%63[^\"]\" {", cluster) == 1) clusters++, depth++;
    else if (n == 3 && strncmp(line, "  }", 3) == 0) depth--, cluster[0] = '\0';
    else if (sscanf(line, "    \"%63[^\"]\" -> \"%63[^\"]\"", a, b) == 2) {
      for (int k = 0; k < 2; k++) {
        const char *id = k ? b : a;
        bool known = false;
        for (int i = 0; i < nids && !known; i++) known = strcmp(ids[i], id) == 0;
        cr_expect(known, "edge end %s is not declared", id);
        cr_expect(strncmp(id, cluster, strlen(cluster)) == 0 && id[strlen(cluster)] == '_', "edge %s leaves %s", id,
                  cluster);
      }
    } else if (sscanf(line, "    \"%63[^\"]\" [label=", a) == 1) {
      for (int i = 0; i < nids; i++) cr_expect(strcmp(ids[i], a) != 0, "node id %s declared twice", a);
      cr_assert(nids < MAX_IDS);
      strcpy(ids[nids++], a);
    }
    line += n + (nl != NULL);
  }
  cr_expect_eq(depth, 0, "unbalanced clusters");
  size_t len = strlen(text);
  cr_expect(len >= 2 && strcmp(text + len - 2, "}\n") == 0, "does not end the digraph");
  return clusters;
}

static char *dot_of(const char *const *args) {
  char path[] = "/tmp/seedflow-dot-XXXXXX";
  int fd = mkstemp(path);
  cr_assert(fd >= 0);
  close(fd);
  const char *argv[16];
  int n = 0;
  for (; args[n]; n++) argv[n] = args[n];
  argv[n++] = "--dot";
  argv[n++] = path;
  argv[n] = NULL;
  out o = run(argv, NULL, false);
  cr_expect_eq(o.status, 0);
  free(o.text);
  char *text = sf_read_all(path, NULL);
  cr_assert_not_null(text);
  /* Graphviz itself, when this machine has it (./setup does not install it) */
  if (access("/usr/bin/dot", X_OK) == 0) {
    char cmd[256];
    snprintf(cmd, sizeof cmd, "/usr/bin/dot -Tsvg '%s' -o /dev/null", path);
    cr_expect_eq(system(cmd), 0, "dot rejects %s", path);
  }
  unlink(path);
  return text;
}

Test(term, dot_is_one_digraph_with_a_cluster_per_run_seed_sources_and_removed_nodes) {
  char *d = dot_of(ARGS("run", "examples/construction_order.py", "--mode", "graph", "--tf", "1.15"));
  cr_expect_geq(check_dot_structure(d), 1);
  cr_expect(strstr(d, "  graph [label=\"examples/construction_order.py, mode graph, profile tf1\"") != NULL, "%.300s", d);
  cr_expect(strstr(d, "  subgraph \"cluster_graph0_run1\" {\n    graph [label=\"graph, run 1, after output\"") != NULL);
  /* w gets seed2 11 (node-id), u gets 4: the seed pair with its sources and the line */
  cr_expect(strstr(d, "seed2 11 (node-id 11)") != NULL, "%s", d);
  cr_expect(strstr(d, "seed2 4 (node-id 4)") != NULL, "%s", d);
  cr_expect(strstr(d, ", line ") != NULL);
  free(d);
  /* two runs of one graph: the nodes a pass removed are dashed, ids stay unique */
  d = dot_of(ARGS("run", "examples/kernel_state.py", "--mode", "graph"));
  cr_expect_geq(check_dot_structure(d), 2);
  cr_expect(strstr(d, "(removed by a pass)\", tooltip=") != NULL, "%s", d);
  cr_expect(strstr(d, "style=\"dashed\", color=\"#868e96\", fontcolor=\"#868e96\"];\n") != NULL);
  free(d);
  /* sgd in function mode: every traced function call is its own cluster */
  d = dot_of(ARGS("run", "examples/sgd.py", "--mode", "function"));
  cr_expect_eq(check_dot_structure(d), 4);
  cr_expect(strstr(d, "subgraph \"cluster_function1_run2\"") && strstr(d, "subgraph \"cluster_function2_run1\""));
  cr_expect(strstr(d, "graph [label=\"traced function, run 1, after output\"") != NULL);
  free(d);
}

/* ---- report: the page without a browser (test/report_browser.sh renders it) ---- */

Test(term, report_writes_one_self_contained_page_or_exits_2) {
  char path[] = "/tmp/seedflow-report-XXXXXX";
  cr_assert_not_null(mkdtemp(path));
  char html[600];
  snprintf(html, sizeof html, "%s/r.html", path);
  out o = run(ARGS("report", "examples/construction_order.py", "-o", html), NULL, false);
  cr_expect_eq(o.status, 0);
  cr_expect_str_empty(o.text);
  free(o.text);
  char *page = sf_read_all(html, NULL);
  cr_assert_not_null(page);
  cr_expect(strncmp(page, "<!DOCTYPE html>\n", 16) == 0);
  cr_expect(strstr(page, "<script") == NULL && strstr(page, "<link") == NULL);
  /* w: seed2 11 in TF1 (11 ops before it), the second eager draw; u: seed2 4 */
  cr_expect(strstr(page, "<code>seed=1234 (global) seed2=11 (node-id 11)</code>") != NULL, "%s", page);
  cr_expect(strstr(page, "<code>seed=1234 (global) seed2=4 (node-id 4)</code>") != NULL, "%s", page);
  cr_expect(strstr(page, "<b>4 differences</b>") != NULL, "%s", page);
  cr_expect(strstr(page, "seed2 11 (node-id 11)</text>") != NULL);
  free(page);
  sf_spawned r = sf_spawn(SF_SOURCE_ROOT, ARGS("report", "examples/weights.py"), NULL);
  cr_expect_eq(r.status, 2);
  cr_expect_str_eq(r.err, "seedflow: error: report: missing -o FILE\nTry 'seedflow --help' for more information.\n");
  sf_spawned_free(&r);
  char cmd[700];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
  cr_expect_eq(system(cmd), 0);
}

/* text written to dir/name (path: room for 600); dir is a directory mkdtemp made. */
static void write_in(const char *dir, const char *name, const char *text, char *path) {
  snprintf(path, 600, "%s/%s", dir, name);
  cr_assert(sf_write_bytes(path, text, strlen(text)), "cannot write %s", path);
}

static void remove_dir(const char *dir) {
  char cmd[700];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  cr_expect_eq(system(cmd), 0);
}

/* Prints of text (no tensor) are compared by their text, with an object's address masked;
 * a mode that stops on the program's error is named and the others compared, in compare
 * and in report alike; a print that differs with no random op before it is a difference of
 * its own on the page (it was "All modes agree"); report takes the run budgets. */
Test(term, text_prints_and_a_mode_that_stops_in_compare_and_report) {
  char dir[] = "/tmp/seedflow-textprint-XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char py[600], html[600], loop[600];
  snprintf(html, sizeof html, "%s/r.html", dir);
  write_in(dir, "p.py",
           "import tensorflow as tf\n"
           "print(tf.executing_eagerly())\n"
           "x = tf.compat.v1.placeholder(tf.float32) if not tf.executing_eagerly() else tf.constant(1.0)\n"
           "print('two\\nlines', object())\n"
           "print(tf.random.uniform([1], seed=3))\n", py);
  out o = run(ARGS("compare", py), ENV("COLUMNS=80"), false);
  cr_expect_eq(o.status, 0);
  cr_expect(strstr(o.text, "function/tf2 does not run this program: node 'Placeholder' (Placeholder):\n"
                           "  placeholder 'Placeholder' was not fed\n") != NULL, "%s", o.text);
  cr_expect(strstr(o.text, "first divergence: print 1 at line 2: tf.executing_eagerly() (eager/tf2 differs\n"
                           "  from graph/tf1)\ncause: no random op at or before line 2 differs") != NULL, "%s", o.text);
  cr_expect(strstr(o.text, "print 1 at line 2: tf.executing_eagerly()  (text)\n  graph/tf1 False\n  eager/tf2 True*\n") != NULL,
            "%s", o.text);
  cr_expect(strstr(o.text, "  graph/tf1 two\n            lines <object object at 0x\xe2\x80\xa6>\n"
                           "  eager/tf2 two\n            lines <object object at 0x\xe2\x80\xa6>\n\n") != NULL, "%s", o.text);
  cr_expect(strstr(o.text, "(not printed)") == NULL, "%s", o.text);
  free(o.text);
  o = run(ARGS("report", py, "-o", html), NULL, false);
  cr_expect_eq(o.status, 0);
  free(o.text);
  char *page = sf_read_all(html, NULL);
  cr_assert_not_null(page);
  cr_expect(strstr(page, "<b>function/tf2 does not run this program</b>: <code class=\"text\">node 'Placeholder' "
                         "(Placeholder): placeholder 'Placeholder' was not fed</code>") != NULL, "%s", page);
  cr_expect(strstr(page, "<b>1 difference</b>") != NULL, "%s", page);
  cr_expect(strstr(page, "<li><b>print 1 at line 2</b>: differs in eager/tf2 from graph/tf1, and no random op at or "
                         "before its line differs") != NULL, "%s", page);
  cr_expect(strstr(page, "<td data-mode=\"eager/tf2\"><mark class=\"v\"><code class=\"text\">True</code></mark><br>"
                         "<span class=\"differs\">differs</span></td>") != NULL, "%s", page);
  cr_expect(strstr(page, "<code class=\"text\">two\nlines &lt;object object at 0x\xe2\x80\xa6&gt;</code><br>"
                         "<span class=\"same\">same text</span>") != NULL, "%s", page);
  free(page);
  /* the budgets: a loop stops at --time-limit with exit 2, and no page is written */
  write_in(dir, "loop.py", "while True:\n    pass\n", loop);
  unlink(html);
  sf_spawned r = sf_spawn(SF_SOURCE_ROOT, ARGS("report", loop, "-o", html, "--time-limit", "0.2"), NULL);
  cr_expect_eq(r.status, 2);
  cr_expect(strstr(r.err, "error: time limit exceeded: the program ran for more than 0.2 s (raise it with --time-limit)") != NULL,
            "%s", r.err);
  sf_spawned_free(&r);
  cr_expect_neq(access(html, F_OK), 0);
  remove_dir(dir);
}

/* The k-th execution of a line is another call in each mode (a layer built lazily): the
 * same seeds and counter draw another shape, and the cause says so (it said "arithmetic
 * order", which a random op's draws never depend on). */
Test(term, compare_names_another_call_when_the_shapes_differ) {
  char dir[] = "/tmp/seedflow-calls-XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char py[600];
  write_in(dir, "p.py",
           "import tensorflow as tf\ntf.random.set_seed(7)\na = tf.keras.layers.Dense(2)\nb = tf.keras.layers.Dense(1)\n"
           "@tf.function\ndef f(x):\n    return b(tf.nn.dropout(a(x), 0.5))\nf(tf.ones([4, 3]))\n", py);
  out o = run(ARGS("compare", py, "--modes", "eager,function"), ENV("COLUMNS=80"), false);
  cr_expect_eq(o.status, 0);
  cr_expect(strstr(o.text, "first divergence: random op RandomUniform at line 7, execution 2 (function/tf2\n"
                           "  differs from eager/tf2)\n"
                           "cause: same seeds and counter, but this execution draws float32 (2, 1) in\n"
                           "  function/tf2 and float32 (4, 2) in eager/tf2: the line's calls ran in another\n"
                           "  order, so this execution is another call in each (a layer built at its first\n"
                           "  call, say).\n") != NULL, "%s", o.text);
  free(o.text);
  o = run(ARGS("explain", py, "--mode", "eager"), ENV("COLUMNS=80"), false);
  cr_expect(strstr(o.text, "  vs function/tf2  same seeds and counter, but this execution draws float32 (4,\n"
                           "                   2) here and float32 (2, 1) in tf.function:") != NULL, "%s", o.text);
  free(o.text);
  remove_dir(dir);
}

/* When no mode runs, compare names where each one stopped (the first one's error, then a note
 * per other mode), not the first mode's error alone. */
Test(term, compare_names_every_mode_when_none_runs) {
  char dir[] = "/tmp/seedflow-nomode-XXXXXX";
  cr_assert_not_null(mkdtemp(dir));
  char py[600];
  write_in(dir, "p.py", "import tensorflow as tf\nx = tf.constant([1.0])\nraise ValueError('boom')\n", py);
  sf_spawned r = sf_spawn(SF_SOURCE_ROOT, ARGS("compare", py), NULL);
  cr_expect_eq(r.status, 2);
  cr_expect(strstr(r.err, ":3:7: error: ValueError: boom\n") != NULL, "%s", r.err);
  cr_expect(strstr(r.err, "seedflow: note: while running in mode graph/tf1\n"
                          "seedflow: note: mode eager/tf2 stops at line 3:7: ValueError: boom\n"
                          "seedflow: note: mode function/tf2 stops at line 3:7: ValueError: boom\n") != NULL, "%s", r.err);
  sf_spawned_free(&r);
  remove_dir(dir);
}
