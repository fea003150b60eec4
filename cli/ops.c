/* ops.c — `seedflow ops`: every registered op with its arity, flags and attributes
 * (sf_ops_write, from the library's public API). */
#include <string.h>

#include "cli.h"

int cmd_ops(int argc, char **argv) {
  if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
    puts("Usage: seedflow ops\nList every op seedflow knows: TF name, inputs, state, attributes, what it does.");
    return 0;
  }
  if (argc > 1) return argv[1][0] == '-' ? cli_usage_error("unknown option '%s'", argv[1])
                                         : cli_usage_error("ops: unexpected argument '%s'", argv[1]);
  sf_ops_write(stdout);
  return 0;
}
