/* fuzz_env.c — see fuzz_env.h. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "fuzz_env.h"

#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Fast, seeded, two prints (one a tuple) and two random ops. */
static const char prog[] = "import tensorflow as tf\n"
                           "tf.random.set_seed(1234)\n"
                           "w = tf.random.normal([2, 3])\n"
                           "print(w)\n"
                           "u = tf.random.uniform([2], seed=7)\n"
                           "print(w, u)\n";

void fuzz_write(const char *name, const uint8_t *data, size_t size) {
  FILE *f = fopen(name, "wb");
  if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) abort();
}

void fuzz_getopt_reset(void) {
  char *argv[] = {(char *)"seedflow", NULL};
  optind = 0; /* glibc: 0 reinitialises, clearing the position inside a clustered option */
  opterr = 0;
  getopt(1, argv, ":");
}

void fuzz_check_rc(int rc) {
  if (rc < 0 || rc > 2) abort();
}

static char dir[] = "/tmp/seedflow-fuzz-XXXXXX";

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

static void remove_dir(void) { nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS); }

void fuzz_env_init(void) {
  static int done;
  if (done) return;
  done = 1;
  if (!mkdtemp(dir) || chdir(dir) != 0) abort();
  atexit(remove_dir);
  int null = open("/dev/null", O_WRONLY);
  if (null < 0 || dup2(null, 1) < 0) abort();
  close(null);
  fuzz_write("prog.py", (const uint8_t *)prog, strlen(prog));
  char *argv[] = {"seedflow", "record", "prog.py", "-o", "golden.json", "--modes", "eager,graph", NULL};
  fuzz_getopt_reset();
  if (cli_dispatch(7, argv) != 0) abort();
}
