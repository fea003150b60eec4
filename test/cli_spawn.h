/* cli_spawn.h — running the built seedflow binary from a test: arguments, an optional
 * file for standard output (e.g. /dev/full), captured stdout/stderr and the exit status.
 * Used by the suites that check the CLI's contract (test_fixtures.c). */
#ifndef SF_TEST_CLI_SPAWN_H
#define SF_TEST_CLI_SPAWN_H

typedef struct sf_spawned {
  int status;  /* exit status, or 128 + signal */
  char *out;   /* captured stdout ("" when stdout went to a given file) */
  char *err;   /* captured stderr */
} sf_spawned;

/* Runs SF_CLI_PATH with argv (NULL-terminated, without argv[0]), capturing its output in
 * temporary files of its own (dir is unused, kept for the callers); stdout goes to
 * stdout_path when non-NULL. Free with sf_spawned_free. */
sf_spawned sf_spawn(const char *dir, const char *const *argv, const char *stdout_path);
void sf_spawned_free(sf_spawned *r);
/* The first line of s (without its newline) in a static buffer. */
const char *sf_first_line(const char *s);
/* Writes len bytes of text to path; false on failure. */
int sf_write_bytes(const char *path, const char *text, size_t len);
/* Whole file as a NUL-terminated string (NULL when unreadable); free it. */
char *sf_read_all(const char *path, size_t *len);

#endif
