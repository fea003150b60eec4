/* fuzz_golden.c — libFuzzer target for the strict golden reader: the input is GOLDEN for
 * `seedflow check prog.py GOLDEN` (prog.py fixed, see fuzz_env.c). Whatever the bytes,
 * check must exit 0, 1 or 2 with a message — never crash, leak, or hit UB. */
#include "fuzz_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_env_init();
  fuzz_write("fuzzed.json", data, size);
  char *argv[] = {"seedflow", "check", "prog.py", "fuzzed.json", "--time-limit", "5", NULL};
  fuzz_getopt_reset();
  fuzz_check_rc(cli_dispatch(6, argv));
  return 0;
}
