/* fuzz_cli.c — libFuzzer target for the command line: the input, split at NUL bytes, is
 * argv (at most 16 arguments) for an in-process `seedflow ...`, run in a private directory
 * that holds prog.py and golden.json. '/' becomes '_' so that no path leaves the directory.
 * Every command must exit 0, 1 or 2 — never crash, leak, or hit UB. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_ARGS = 16 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_env_init();
  char *buf = malloc(size + 1);
  if (!buf) return 0;
  memcpy(buf, data, size);
  buf[size] = '\0';
  char *argv[MAX_ARGS + 2] = {"seedflow"};
  int argc = 1;
  for (size_t i = 0; i < size; i++)
    if (buf[i] == '/') buf[i] = '_';
  for (char *s = buf; s <= buf + size && argc <= MAX_ARGS; s += strlen(s) + 1) argv[argc++] = s;
  argv[argc] = NULL;
  fuzz_getopt_reset();
  fuzz_check_rc(cli_dispatch(argc, argv));
  free(buf);
  return 0;
}
