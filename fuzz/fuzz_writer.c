/* fuzz_writer.c — libFuzzer target for the writers, as a round trip: the input is a program
 * (NULs allowed). It is run in every mode with DOT and trace output, and what seedflow
 * writes must parse back: `run --format json` and the Chrome trace as JSON, the DOT file
 * as well-formed quoted strings in balanced braces. Then `record --entropy 1` and `check
 * --entropy 1` of the same program must agree (exit 0) whenever record succeeds. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "fuzz_env.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok) {
  if (!ok) abort();
}

/* DOT as seedflow writes it: "digraph", then quoted strings (backslash escapes) and
 * braces that balance outside them. */
static void check_dot(const char *s, size_t len) {
  if (len == 0) return;
  check(strncmp(s, "digraph ", 8) == 0);
  int depth = 0, graphs = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '"') {
      for (i++; i < len && s[i] != '"'; i++)
        if (s[i] == '\\') i++;
      check(i < len);
    } else if (s[i] == '{') {
      depth++;
    } else if (s[i] == '}') {
      check(--depth >= 0);
      graphs += depth == 0;
    }
  }
  check(depth == 0 && graphs >= 1);
}

static void check_json(const char *s, size_t len) {
  json_error_t je;
  json_t *v = json_loadb(s, len, 0, &je);
  check(v != NULL);
  json_decref(v);
}

static void run_mode(const sf_program *p, sf_mode mode) {
  char *dot = NULL, *json = NULL, *trace = NULL;
  size_t ndot = 0, njson = 0, ntrace = 0;
  FILE *fd = open_memstream(&dot, &ndot), *fj = open_memstream(&json, &njson), *ft = open_memstream(&trace, &ntrace);
  check(fd && fj && ft);
  fputs("digraph \"fuzz\" {\n", fd); /* the library writes clusters; the caller wraps them */
  sf_run_options o = {.mode = mode, .dot_after = "output", .dot_out = fd, .max_elements = 1 << 12,
                      .memory_limit = 64 << 20, .time_limit = 5, .implicit_imports = true};
  sf_error err = {0};
  sf_trace *t = NULL;
  sf_status st = sf_run(p, &o, &t, &err);
  if (st == SF_OK) {
    check(cli_write_json(fj, t) == 0);
    check(sf_trace_write_chrome(t, ft) == 0);
  }
  fputs("}\n", fd);
  fclose(fd), fclose(fj), fclose(ft);
  if (st == SF_OK) {
    check_dot(dot, ndot);
    check_json(json, njson);
    check_json(trace, ntrace);
  }
  sf_trace_free(t);
  free(dot), free(json), free(trace);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_env_init();
  sf_error err = {0};
  sf_program *p = sf_program_parse_n("fuzz.py", (const char *)data, size, &err);
  if (!p) return 0;
  for (int m = 0; m < 3; m++) run_mode(p, (sf_mode)m);
  sf_program_free(p);
  fuzz_write("fuzz.py", data, size);
  char *rec[] = {"seedflow", "record", "fuzz.py", "-o", "fuzz.json", "--entropy", "1", "--memory-limit", "64M",
                 "--time-limit", "5", NULL};
  fuzz_getopt_reset();
  int rc = cli_dispatch(11, rec);
  fuzz_check_rc(rc);
  if (rc == 0) {
    char *chk[] = {"seedflow", "check", "fuzz.py", "fuzz.json", "--entropy", "1", "--memory-limit", "64M",
                   "--time-limit", "5", NULL};
    fuzz_getopt_reset();
    check(cli_dispatch(10, chk) == 0);
  }
  return 0;
}
