/* ops.h — every op of ops.def by its definition: code that must recognise an op (the
 * passes) compares n->op with &sf_op_<Name>, checked by the compiler, never a name
 * string. The table that sf_op_lookup searches is registry.c. Internal header. */
#ifndef SEEDFLOW_OPS_H
#define SEEDFLOW_OPS_H

#include "engine/graph.h"

#define SF_OP(name) extern const sf_op_def sf_op_##name;
#include "ops.def"
#undef SF_OP

#endif
