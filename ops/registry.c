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

/* A linear search, after the last two ops this thread found (an eager program asks for
 * the same few ops a million times; the search was a few percent of each). */
const sf_op_def *sf_op_lookup(const char *name) {
  static _Thread_local const sf_op_def *recent[2];
  for (int k = 0; k < 2; k++)
    if (recent[k] && strcmp(recent[k]->name, name) == 0) return recent[k];
  for (int i = 0; i < sf_op_count(); i++)
    if (strcmp(ops[i]->name, name) == 0) {
      recent[1] = recent[0];
      recent[0] = ops[i];
      return ops[i];
    }
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
