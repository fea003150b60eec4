/* fuzz_env.h — what the CLI fuzz targets share: a private working directory holding a
 * small program and its golden, standard output sent to /dev/null, getopt reset between
 * inputs, and the exit-code contract every command must keep. */
#ifndef SF_FUZZ_ENV_H
#define SF_FUZZ_ENV_H

#include <stddef.h>
#include <stdint.h>

/* Creates the directory once (prog.py, golden.json recorded from it) and enters it. */
void fuzz_env_init(void);
/* getopt's hidden state points into the previous input's argv: reset it. */
void fuzz_getopt_reset(void);
/* Aborts (a finding) unless rc is 0, 1 or 2: 3 means an internal failure, which no input
 * should cause with stdout on /dev/null and no allocation failing. */
void fuzz_check_rc(int rc);
/* Writes bytes to a file in the working directory; aborts on failure. */
void fuzz_write(const char *name, const uint8_t *data, size_t size);

int cli_dispatch(int argc, char **argv);

#endif
