/* cli_spawn.c — see cli_spawn.h. */
#include <stddef.h>
#include "cli_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

char *sf_read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0;
  char *s = malloc(cap);
  for (size_t got; s && (got = fread(s + n, 1, cap - n - 1, f)) > 0;) {
    n += got;
    if (n + 1 == cap) {
      char *t = realloc(s, cap *= 2);
      if (!t) free(s);
      s = t;
    }
  }
  fclose(f);
  if (s) s[n] = '\0';
  if (len) *len = n;
  return s;
}

int sf_write_bytes(const char *path, const char *text, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f) return 0;
  int ok = fwrite(text, 1, len, f) == len;
  return fclose(f) == 0 && ok;
}

sf_spawned sf_spawn(const char *dir, const char *const *args, const char *stdout_path) {
  /* Captured output goes to fresh files of this spawn's own: Criterion runs tests in
   * parallel processes, and tests that share a directory must not read each other's. */
  (void)dir;
  char out[64] = "/tmp/seedflow-spawn-out-XXXXXX", err[64] = "/tmp/seedflow-spawn-err-XXXXXX";
  int fo = mkstemp(out), fe = mkstemp(err);
  if (fo >= 0) close(fo);
  if (fe >= 0) close(fe);
  const char *argv[40] = {SF_CLI_PATH};
  for (int i = 0; args[i] && i < 38; i++) argv[i + 1] = args[i];
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, stdout_path ? stdout_path : out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid;
  sf_spawned r = {-1, NULL, NULL};
  if (posix_spawn(&pid, SF_CLI_PATH, &fa, NULL, (char **)argv, environ) == 0) {
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  }
  posix_spawn_file_actions_destroy(&fa);
  r.out = stdout_path ? NULL : sf_read_all(out, NULL);
  r.err = sf_read_all(err, NULL);
  unlink(out);
  unlink(err);
  if (!r.out) r.out = strdup("");
  if (!r.err) r.err = strdup("");
  return r;
}

void sf_spawned_free(sf_spawned *r) {
  free(r->out);
  free(r->err);
  r->out = r->err = NULL;
}

const char *sf_first_line(const char *s) {
  static char buf[1024];
  size_t n = strcspn(s, "\n");
  if (n >= sizeof buf) n = sizeof buf - 1;
  memcpy(buf, s, n);
  buf[n] = '\0';
  return buf;
}
