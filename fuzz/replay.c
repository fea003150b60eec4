/* replay.c — runs the libFuzzer target over saved inputs without libFuzzer: each file
 * named on the command line, or every file in each directory named, is passed once to
 * LLVMFuzzerTestOneInput. Lets the seed corpus run as an ordinary test under gcc. */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads a whole file; returns NULL (and reports) on failure. */
static uint8_t *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return NULL;
  }
  uint8_t *buf = NULL;
  size_t len = 0, cap = 0;
  bool failed = false;
  for (;;) {
    if (len == cap) {
      size_t nc = cap ? 2 * cap : 4096;
      uint8_t *nb = realloc(buf, nc);
      if (!nb) {
        failed = true;
        break;
      }
      buf = nb;
      cap = nc;
    }
    size_t got = fread(buf + len, 1, cap - len, f);
    len += got;
    if (got == 0) break;
  }
  failed |= ferror(f) != 0;
  fclose(f);
  if (failed) {
    fprintf(stderr, "%s: cannot read\n", path);
    free(buf);
    return NULL;
  }
  *size = len;
  return buf;
}

static int run_file(const char *path) {
  size_t size = 0;
  uint8_t *data = read_file(path, &size);
  if (!data) return 1;
  LLVMFuzzerTestOneInput(data, size);
  free(data);
  return 0;
}

/* Runs every regular file directly inside dir; adds to *count. */
static int run_dir(const char *dir, int *count) {
  DIR *d = opendir(dir);
  if (!d) {
    perror(dir);
    return 1;
  }
  int failures = 0;
  struct dirent *ent;
  while ((ent = readdir(d))) {
    if (ent->d_name[0] == '.') continue;
    size_t n = strlen(dir) + strlen(ent->d_name) + 2;
    char *path = malloc(n);
    if (!path) {
      failures++;
      break;
    }
    snprintf(path, n, "%s/%s", dir, ent->d_name);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
      failures += run_file(path);
      (*count)++;
    }
    free(path);
  }
  closedir(d);
  return failures;
}

int main(int argc, char **argv) {
  int failures = 0, count = 0;
  for (int k = 1; k < argc; k++) {
    struct stat st;
    if (stat(argv[k], &st) != 0) {
      perror(argv[k]);
      failures++;
    } else if (S_ISDIR(st.st_mode)) {
      failures += run_dir(argv[k], &count);
    } else {
      failures += run_file(argv[k]);
      count++;
    }
  }
  printf("replayed %d input%s, %d unreadable\n", count, count == 1 ? "" : "s", failures);
  return failures ? 1 : 0;
}
