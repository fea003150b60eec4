/* registry.c — the one table of ops, generated from ops/ops.def. Each op's definition
 * (inputs, attributes, shape function, kernel, gradient, flags) lives in its family file. */
#include "ops.h"

#include <stdio.h>
#include <string.h>

static const sf_op_def *const ops[] = {
#define SF_OP(name) &sf_op_##name,
#include "ops.def"
#undef SF_OP
};

int sf_op_count(void) { return (int)(sizeof ops / sizeof ops[0]); }
const sf_op_def *sf_op_at(int i) { return i >= 0 && i < sf_op_count() ? ops[i] : NULL; }

const sf_op_def *sf_op_lookup(const char *name) {
  for (int i = 0; i < sf_op_count(); i++)
    if (strcmp(ops[i]->name, name) == 0) return ops[i];
  return NULL;
}

void sf_ops_write(FILE *f) {
  for (int i = 0; i < sf_op_count(); i++) {
    const sf_op_def *op = sf_op_at(i);
    fprintf(f, "%-26s inputs=%-2d %-9s %-6s", op->name, op->ninputs, op->flags & SF_OPF_STATEFUL ? "stateful" : "stateless",
            op->flags & SF_OPF_SHARED_STREAM ? "shared" : op->flags & SF_OPF_RANDOM ? "random" : "");
    fprintf(f, " attrs=");
    for (int k = 0; k < op->nattrs; k++) fprintf(f, "%s%s", k ? "," : "", op->attrs[k].name);
    if (!op->nattrs) fprintf(f, "-");
    fprintf(f, "  # %s\n", op->doc);
  }
}
