/* registry.c — the one table of ops, generated from ops/ops.def. Each op's definition
 * (inputs, attributes, shape function, kernel, gradient, flags) lives in its family file. */
#include "engine/graph.h"

#include <string.h>

#define SF_OP(name) extern const sf_op_def sf_op_##name;
#include "ops.def"
#undef SF_OP

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
