/* ops.c — `seedflow ops`: every registered op with its arity, flags and attributes. */
#include <string.h>

#include "cli.h"
#include "engine/graph.h"

int cmd_ops(int argc, char **argv) {
  if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
    puts("Usage: seedflow ops\nList every op seedflow knows: TF name, inputs, state, attributes, what it does.");
    return 0;
  }
  if (argc > 1) return argv[1][0] == '-' ? cli_usage_error("unknown option '%s'", argv[1])
                                         : cli_usage_error("ops: unexpected argument '%s'", argv[1]);
  for (int i = 0; i < sf_op_count(); i++) {
    const sf_op_def *op = sf_op_at(i);
    printf("%-26s inputs=%-2d %-9s %-6s", op->name, op->ninputs, op->flags & SF_OPF_STATEFUL ? "stateful" : "stateless",
           op->flags & SF_OPF_SHARED_STREAM ? "shared" : op->flags & SF_OPF_RANDOM ? "random" : "");
    printf(" attrs=");
    for (int k = 0; k < op->nattrs; k++) printf("%s%s", k ? "," : "", op->attrs[k].name);
    if (!op->nattrs) printf("-");
    printf("  # %s\n", op->doc);
  }
  return 0;
}
