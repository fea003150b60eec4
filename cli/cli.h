/* cli.h — pieces shared by the seedflow command's subcommands. */
#ifndef SEEDFLOW_CLI_H
#define SEEDFLOW_CLI_H

#include <stdio.h>
#include "seedflow/seedflow.h"

enum { EXIT_TROUBLE = 2 };

/* Prints "FILE:LINE:COL: error: msg" with the source line and a caret (or
 * "seedflow: error: msg" without a location) and returns the exit status for err. */
int cli_report(const sf_program *p, const char *file, const sf_error *err);
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cmd_run(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_ops(int argc, char **argv);
/* Writes a run's trace as the JSON object `seedflow run --format json` prints. */
int cli_write_json(FILE *f, const sf_trace *t);
/* One-line provenance of a random op execution, e.g. "seed=1234 (global) seed2=3 (node-id 3)". */
void cli_format_seeds(const sf_rng_record *r, char *buf, size_t len);

#endif
