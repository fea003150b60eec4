/* input.c — the program a command runs: a file, or standard input when FILE is "-"
 * (errors then name "<stdin>"). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { STDIN_LIMIT = 16 << 20 }; /* larger than any program the parser accepts */

sf_program *cli_program_load(const char *file, sf_error *err) {
  if (strcmp(file, "-") != 0) return sf_program_parse_file(file, err);
  size_t len = 0, cap = 4096;
  char *text = malloc(cap);
  for (size_t n; text && (n = fread(text + len, 1, cap - 1 - len, stdin)) > 0;) {
    len += n;
    if (len + 1 == cap) {
      char *more = cap < STDIN_LIMIT ? realloc(text, cap * 2) : NULL;
      if (!more) break;
      text = more, cap *= 2;
    }
  }
  if (!text) return sf_error_set(err, SF_ENOMEM, "out of memory reading standard input"), NULL;
  if (ferror(stdin) || len + 1 == cap) {
    free(text);
    if (len + 1 == cap) sf_error_set(err, SF_ELIMIT, "standard input is larger than %d bytes", STDIN_LIMIT);
    else sf_error_set(err, SF_EIO, "cannot read standard input: %s", strerror(errno));
    return NULL;
  }
  text[len] = '\0';
  sf_program *p = sf_program_parse("<stdin>", text, err);
  free(text);
  return p;
}
