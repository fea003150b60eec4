/* test_programs.c — the program-level golden vectors (test/vectors/programs/, one .py each): each
 * file is run in the mode and profile its header names, and every value of every print
 * must be the float32 (or integer) nearest to the published decimal, bit for bit. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seedflow/seedflow.h"

#define PROGRAMS SF_SHARED_DIR "/programs"

typedef struct {
  char name[256];
} program_file;

ParameterizedTestParameters(programs, golden) {
  static program_file files[32];
  size_t n = 0;
  DIR *d = opendir(PROGRAMS);
  struct dirent *e;
  while (d && (e = readdir(d)) && n < 32)
    if (strstr(e->d_name, ".py")) snprintf(files[n++].name, sizeof files[0].name, "%s", e->d_name);
  if (d) closedir(d);
  return cr_make_param_array(program_file, files, n);
}

/* A parameterized test over an empty or missing directory runs no case and passes:
 * this one fails instead. */
Test(programs, directory_holds_the_golden_programs) {
  DIR *d = opendir(PROGRAMS);
  cr_assert_not_null(d, "cannot open %s", PROGRAMS);
  int n = 0;
  for (struct dirent *e; (e = readdir(d));) n += strstr(e->d_name, ".py") != NULL;
  closedir(d);
  cr_assert_geq(n, 14, "%s holds %d programs, expected at least 14", PROGRAMS, n);
}

/* Numbers of an "# expect:" line, in order (brackets, parentheses and commas ignored),
 * with the number of decimals each was printed with. */
static int parse_expect(const char *line, double *out, int *decimals, int cap) {
  int n = 0;
  for (const char *s = line; *s && n < cap;) {
    char *end;
    double v = strtod(s, &end);
    if (end != s && (isdigit((unsigned char)*s) || *s == '-' || *s == '.')) {
      const char *dot = memchr(s, '.', (size_t)(end - s));
      decimals[n] = dot ? (int)(end - dot - 1) : 0;
      out[n++] = v;
      s = end;
    } else {
      s++;
    }
  }
  return n;
}

/* TensorFlow prints floats to a fixed number of decimals (numpy caps them at 8), so a
 * printed value pins the float only to that precision: ours must print the same. */
static bool prints_as(double got, double want, int decimals) {
  char a[64], b[64];
  snprintf(a, sizeof a, "%.*f", decimals, got);
  snprintf(b, sizeof b, "%.*f", decimals, want);
  return strcmp(a, b) == 0 || (strtod(a, NULL) == 0 && strtod(b, NULL) == 0);
}

ParameterizedTest(program_file *f, programs, golden) {
  char path[512], line[1024];
  snprintf(path, sizeof path, "%s/%s", PROGRAMS, f->name);
  FILE *fp = fopen(path, "r");
  cr_assert(fp, "%s: cannot open", f->name);
  sf_run_options o = {0};
  double expect[64][32];
  int dec[64][32], nexp[64], nlines = 0;
  while (fgets(line, sizeof line, fp)) {
    char mode[32], profile[32];
    if (sscanf(line, "# mode: %31s profile: %31s", mode, profile) == 2) {
      cr_assert(sf_mode_from_name(mode, &o.mode) && sf_profile_from_name(profile, &o.profile), "%s: header", f->name);
    } else if (strncmp(line, "# expect:", 9) == 0 && nlines < 64) {
      nexp[nlines] = parse_expect(line + 9, expect[nlines], dec[nlines], 32);
      nlines++;
    }
  }
  fclose(fp);
  sf_error err = {0};
  sf_program *p = sf_program_parse_file(path, &err);
  cr_assert(p, "%s: %s", f->name, err.msg);
  sf_trace *t = NULL;
  sf_status st = sf_run(p, &o, &t, &err);
  cr_assert_eq(st, SF_OK, "%s: %s (line %d)", f->name, err.msg, err.line);
  cr_assert_eq(sf_trace_print_count(t), nlines, "%s: %d prints, %d expect lines", f->name, sf_trace_print_count(t), nlines);
  for (int i = 0; i < nlines; i++) {
    const sf_trace_print *pr = sf_trace_print_at(t, i);
    int k = 0;
    for (int j = 0; j < pr->ntensors; j++) {
      const sf_tensor *x = pr->tensors[j];
      for (int64_t e = 0; e < x->n; e++, k++) {
        cr_assert_lt(k, nexp[i], "%s print %d: more values than expected", f->name, i);
        if (sf_dtype_is_float(x->dtype)) {
          double got = sf_tensor_get(x, e);
          cr_expect(prints_as(got, expect[i][k], dec[i][k]), "%s print %d value %d: got %.9g, printed %.*f", f->name, i,
                    k, got, dec[i][k], expect[i][k]);
        } else {
          cr_expect_eq(sf_tensor_get(x, e), expect[i][k], "%s print %d value %d", f->name, i, k);
        }
      }
    }
    cr_expect_eq(k, nexp[i], "%s print %d: %d values, expected %d", f->name, i, k, nexp[i]);
  }
  sf_trace_free(t);
  sf_program_free(p);
}
