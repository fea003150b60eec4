/* main.c — the seedflow command: option parsing, subcommand dispatch and error reporting.
 * Exit status: 0 success, 1 failure (a check mismatch, an internal error), 2 trouble
 * (usage, unreadable or invalid input). */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "Usage: seedflow COMMAND [OPTION]... [FILE]\n"
    "Show why the same random seed gives different numbers in TensorFlow's graph,\n"
    "eager and tf.function modes.\n"
    "\n"
    "Commands:\n"
    "  run FILE      run a program (a TensorFlow snippet) in one mode\n"
    "  demo          the article's example, run in every mode, fact-checked\n"
    "  ops           list the ops seedflow knows\n"
    "\n"
    "Run options:\n"
    "  -m, --mode=MODE         eager (TF2, default), graph (TF1 Session), function (tf.function)\n"
    "  -p, --profile=PROFILE   tf2 (TF 2.2-2.9, default) or tf1 (TF 1.15, 2.0, 2.1)\n"
    "  -f, --format=FORMAT     text (default) or json\n"
    "      --accumulate=ORDER  sequential (default) or pairwise summation in matmul\n"
    "      --deterministic     unseeded random ops are an error (TF_DETERMINISTIC_OPS)\n"
    "  -h, --help              show this help and exit\n"
    "  -V, --version           show the version and exit\n"
    "\n"
    "Exit status: 0 success, 1 failure, 2 trouble (usage or input errors).\n";

int cli_usage_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("seedflow: error: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputs("\nTry 'seedflow --help' for more information.\n", stderr);
  va_end(ap);
  return EXIT_TROUBLE;
}

int cli_report(const sf_program *p, const char *file, const sf_error *err) {
  if (err->line > 0 && file) {
    fprintf(stderr, "%s:%d:%d: error: %s\n", file, err->line, err->col, err->msg);
    int len;
    const char *line = p ? sf_program_line(p, err->line, &len) : NULL;
    if (line) {
      fprintf(stderr, "  %.*s\n  ", len, line);
      for (int i = 1; i < err->col && i <= len; i++) fputc(line[i - 1] == '\t' ? '\t' : ' ', stderr);
      fputs("^\n", stderr);
    }
  } else {
    fprintf(stderr, "seedflow: error: %s\n", err->msg);
  }
  return err->code == SF_EINTERNAL || err->code == SF_ENOMEM ? 1 : EXIT_TROUBLE;
}

static int cmd_help(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fputs(usage, stdout);
  return 0;
}

int main(int argc, char **argv) {
  static const struct {
    const char *name;
    int (*fn)(int, char **);
  } cmds[] = {{"run", cmd_run}, {"demo", cmd_demo}, {"ops", cmd_ops}, {"help", cmd_help}};
  if (argc < 2) return cli_usage_error("missing command");
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) return cmd_help(argc, argv);
  if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
    printf("seedflow %s\nTensorFlow-exact random draws in graph, eager and function modes.\n", sf_version());
    return 0;
  }
  for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
    if (strcmp(argv[1], cmds[i].name) == 0) return cmds[i].fn(argc - 1, argv + 1);
  return cli_usage_error("unknown command '%s'", argv[1]);
}
