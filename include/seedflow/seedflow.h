/* seedflow.h — the whole public API: why the same seed gives different draws in
 * TensorFlow's graph, eager and tf.function modes, as a C library. */
#ifndef SEEDFLOW_H
#define SEEDFLOW_H

#include "status.h"
#include "tensor.h"
#include "program.h"
#include "run.h"

/* "0.1.0" */
SF_API const char *sf_version(void);

#endif
