/* main.c — the seedflow command: subcommand dispatch, --help/--version, error reporting.
 * Exit status: 0 success, 1 check found a difference, 2 invalid input or usage (limits
 * included), 3 internal failure (out of memory, an output that cannot be written). */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "cli.h"
#include "engine/bigmem.h"
#include "term.h"

/* Every subcommand, once: name, handler (cmd_<name>, in its own file), synopsis and
 * one-line help. The dispatcher, the usage text and the CLI test's "every command has
 * help" all come from this table: a new command is its file plus one row. */
#define CLI_COMMANDS(X)                                                                        \
  X(run,     "run FILE",              "run a program (a TensorFlow snippet) in one mode", 0)             \
  X(compare, "compare FILE",          "every print and random op side by side across modes", 1)          \
  X(explain, "explain FILE",          "where each random op's seeds came from, in plain words", 1)       \
  X(record,  "record FILE -o GOLDEN", "write every print and random draw per mode to JSON", 0)           \
  X(check,   "check FILE GOLDEN",     "re-run FILE and compare with a recorded GOLDEN file", 1)          \
  X(report,  "report FILE -o HTML",   "one self-contained HTML page: the modes side by side, graphs", 0) \
  X(demo,    "demo [EXAMPLE]",        "the article's examples in every mode, fact-checked", 1)           \
  X(ops,     "ops",                   "list the ops seedflow knows", 1)                                  \
  X(help,    "help",                  "show this help", 1)

#define CLI_DECLARE(name, synopsis, help, fit) int cmd_##name(int argc, char **argv);
CLI_COMMANDS(CLI_DECLARE)
#undef CLI_DECLARE

typedef struct cli_command {
  const char *name;
  int (*fn)(int argc, char **argv);
  const char *synopsis, *help;
  bool fit; /* output read by a person: fitted to the terminal's width (term.h) */
} cli_command;

static const cli_command commands[] = {
#define CLI_ROW(name, synopsis, help, fit) {#name, cmd_##name, synopsis, help, fit},
    CLI_COMMANDS(CLI_ROW)
#undef CLI_ROW
};

enum { HELP_ROW = sizeof commands / sizeof commands[0] - 1 }; /* help is the table's last row */

static const char usage_head[] =
    "Usage: seedflow COMMAND [OPTION]... [FILE]...\n"
    "Show why the same random seed gives different numbers in TensorFlow's graph,\n"
    "eager and tf.function modes.\n"
    "\n"
    "Commands:\n";
static const char usage_tail[] =
    "\n"
    "Options:\n"
    "  -h, --help               show this help and exit\n"
    "  -V, --version            show the version and exit\n"
    "'seedflow COMMAND --help' lists the options of a command.\n"
    "\n"
    "Exit status: 0 success (check: all draws match), 1 check found a difference,\n"
    "2 invalid input or usage (size and time limits included), 3 internal failure\n"
    "(out of memory, an output that cannot be written).\n"
    "Environment: COLUMNS sets the output width (else the terminal's, else 80);\n"
    "NO_COLOR disables colour, CLICOLOR_FORCE forces it, TERM=dumb disables it;\n"
    "UV_THREADPOOL_SIZE sizes libuv's pool.\n";

static void verror(const char *fmt, va_list ap) {
  fputs("seedflow: error: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
}

int cli_usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  verror(fmt, ap);
  va_end(ap);
  fputs("Try 'seedflow --help' for more information.\n", stderr);
  return EXIT_TROUBLE;
}

int cli_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  verror(fmt, ap);
  va_end(ap);
  return EXIT_TROUBLE;
}

int cli_internal_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  verror(fmt, ap);
  va_end(ap);
  return EXIT_INTERNAL;
}

int cli_finish_stdout(int rc) {
  errno = 0;
  bool bad = fflush(stdout) != 0 || ferror(stdout);
  int e = errno;
  if (fclose(stdout) != 0 && !bad) bad = true, e = errno;
  if (!bad || rc == EXIT_INTERNAL) return rc; /* already reported */
  cli_internal_error("cannot write to standard output: %s", strerror(e ? e : EIO));
  return EXIT_INTERNAL;
}

int cli_option_error(int c, char **argv) {
  const char *opt = argv[optind - 1];
  if (c == ':') return cli_usage_error("option '%s' needs a value", opt);
  if (optopt && strncmp(opt, "--", 2) != 0) return cli_usage_error("unknown option '-%c'", optopt);
  return cli_usage_error("unknown option '%s'", opt);
}

/* libuv reads UV_THREADPOOL_SIZE once, when its pool first starts: set it before that,
 * unless the user did. The pool gets max(threads, cores, 4) threads; each run keeps at
 * most `threads` nodes in flight. */
void cli_set_pool_size(int threads) {
  if (threads <= 0 || getenv("UV_THREADPOOL_SIZE")) return;
#if UV_VERSION_HEX >= 0x012c00
  int cores = (int)uv_available_parallelism();
#else
  int cores = 4;
#endif
  int n = threads > cores ? threads : cores;
  if (n < 4) n = 4;
  if (n > 1024) n = 1024;
  char buf[16];
  snprintf(buf, sizeof buf, "%d", n);
  setenv("UV_THREADPOOL_SIZE", buf, 0);
}

/* Line n (1-based) of file, without its newline, into buf; false when unreadable. */
static bool read_line(const char *file, int n, char *buf, size_t len) {
  FILE *f = fopen(file, "r");
  if (!f) return false;
  bool ok = false;
  for (int i = 1; i <= n && fgets(buf, (int)len, f); i++) {
    size_t l = strlen(buf);
    bool whole = l > 0 && buf[l - 1] == '\n';
    if (whole) buf[--l] = '\0';
    if (i == n) ok = true;
    else if (!whole) /* skip the rest of a long line */
      for (int c; (c = fgetc(f)) != EOF && c != '\n';) {}
  }
  fclose(f);
  return ok;
}

static void print_caret(const char *line, int len, int col) {
  fprintf(stderr, "  %.*s\n  ", len, line);
  for (int i = 1; i < col && i <= len; i++) fputc(line[i - 1] == '\t' ? '\t' : ' ', stderr);
  fputs("^\n", stderr);
}

int cli_report(const sf_program *p, const char *file, const sf_error *err) {
  if (err->line > 0 && file) {
    fprintf(stderr, "%s:%d:%d: error: %s\n", file, err->line, err->col, err->msg);
    int len;
    const char *line = p ? sf_program_line(p, err->line, &len) : NULL;
    char buf[4096];
    if (!line && read_line(file, err->line, buf, sizeof buf)) line = buf, len = (int)strlen(buf);
    if (line) print_caret(line, len, err->col);
  } else {
    fprintf(stderr, "seedflow: error: %s\n", err->msg);
  }
  return err->code == SF_EINTERNAL || err->code == SF_ENOMEM ? EXIT_INTERNAL : EXIT_TROUBLE;
}

static void write_usage(FILE *f) {
  fputs(usage_head, f);
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(f, "  %-22s %s\n", commands[i].synopsis, commands[i].help);
  fputs(usage_tail, f);
}

int cmd_help(int argc, char **argv) {
  if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
    puts("Usage: seedflow help\nShow the commands and the options every command takes.");
    return 0;
  }
  write_usage(stdout);
  return 0;
}

static int version(void) {
  printf("seedflow %s\n"
         "TensorFlow-exact random draws in graph, eager and function modes.\n"
         "License MIT: this is free software; there is NO WARRANTY.\n",
         sf_version());
  return 0;
}

/* A command whose output a person reads runs with standard output captured, then
 * written fitted to the terminal's width. */
static int run_command(const cli_command *c, int argc, char **argv) {
  if (!c->fit) return c->fn(argc, argv);
  term_capture cap;
  term_capture_begin(&cap);
  int rc = c->fn(argc, argv);
  term_capture_end(&cap);
  return rc;
}

int cli_dispatch(int argc, char **argv) {
  if (argc < 2) return cli_usage_error("missing command");
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) return run_command(&commands[HELP_ROW], 1, argv);
  if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) return version();
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(argv[1], commands[i].name) == 0) return run_command(&commands[i], argc - 1, argv + 1);
  if (argv[1][0] == '-') return cli_usage_error("unknown option '%s'", argv[1]);
  return cli_usage_error("unknown command '%s'", argv[1]);
}

int main(int argc, char **argv) {
  sf_malloc_keep_heap();
  term_init();
  return cli_finish_stdout(cli_dispatch(argc, argv));
}
