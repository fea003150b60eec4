/* common.c — helpers every seedflow subcommand shares: running one program under several
 * (mode, profile) pairs, matching random-op executions across those runs, atomic output
 * files (an unnamed O_TMPFILE linked into place, or a temp file + rename) and colour. */
#define _GNU_SOURCE /* O_TMPFILE (Linux); without it the temp-file scheme is used */
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "term.h"

/* ---- runs ---- */

static bool parse_one_run(char *item, sf_profile dflt, int dflt_keras, cli_run *r) {
  char *colon = strchr(item, ':');
  memset(r, 0, sizeof *r);
  r->profile = dflt;
  r->keras_version = dflt_keras;
  if (colon) {
    *colon = '\0';
    if (!cli_profile_arg(colon + 1, &r->profile, &r->keras_version)) return false;
  }
  if (!sf_mode_from_name(item, &r->mode)) {
    cli_usage_error("unknown mode '%s' (eager, graph, function)", item);
    return false;
  }
  return true;
}

int cli_parse_runs(const char *list, sf_profile dflt, int dflt_keras, cli_run *runs, int max) {
  char buf[256];
  if (strlen(list) >= sizeof buf) return cli_usage_error("mode list too long"), -1;
  strcpy(buf, list);
  int n = 0;
  char *save = NULL;
  for (char *item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
    if (n == max) return cli_usage_error("at most %d modes", max), -1;
    if (!parse_one_run(item, dflt, dflt_keras, &runs[n])) return -1;
    char label[40];
    for (int k = 0; k < n; k++)
      if (runs[k].mode == runs[n].mode && runs[k].profile == runs[n].profile && runs[k].keras_version == runs[n].keras_version)
        return cli_usage_error("mode '%s' given twice", cli_run_label(&runs[n], label, sizeof label)), -1;
    n++;
  }
  if (n == 0) return cli_usage_error("empty mode list"), -1;
  return n;
}

const char *cli_run_label(const cli_run *r, char *buf, size_t len) {
  int k = r->keras_version;
  if (r->profile == SF_PROFILE_KERAS3 && k) /* a Keras 3 version: "eager/keras3.4" */
    snprintf(buf, len, k % 100 ? "%s/keras3.%d.%d" : "%s/keras3.%d", sf_mode_name(r->mode), k / 100 % 100, k % 100);
  else
    snprintf(buf, len, "%s/%s", sf_mode_name(r->mode), sf_profile_name(r->profile));
  return buf;
}

/* Runs runs[0..n); a run at index >= must that fails on the program's own error is kept
 * with its failure (tolerant), any other failure is reported and ends the command. */
static int run_runs(const char *file, sf_program **prog, cli_run *runs, int n, int must) {
  sf_error err = {0};
  *prog = cli_program_load(file, &err);
  file = cli_file_label(file);
  if (!*prog) return cli_report(NULL, file, &err);
  int ok = 0, first_failed = -1;
  sf_error first = {0};
  for (int i = 0; i < n; i++) {
    sf_run_options o = {.mode = runs[i].mode, .profile = runs[i].profile, .keras_version = runs[i].keras_version, .fixed_entropy = runs[i].fixed_entropy,
                        .entropy = runs[i].entropy, .memory_limit = runs[i].memory_limit,
                        .time_limit = runs[i].time_limit, .program_mode = runs[i].program_mode,
                        .dot_after = runs[i].dot_out ? "output" : NULL, .dot_out = runs[i].dot_out};
    cli_watchdog(o.time_limit > 0 ? o.time_limit : SF_DEFAULT_TIME_LIMIT);
    sf_status st = sf_run(*prog, &o, &runs[i].trace, &err);
    cli_watchdog(0);
    if (runs[i].trace && sf_trace_mode(runs[i].trace) != runs[i].mode) { /* the program switched: the others stay the others */
      sf_mode was = runs[i].mode;
      runs[i].mode = sf_trace_mode(runs[i].trace);
      for (int j = i + 1; j < n; j++)
        if (runs[j].mode == runs[i].mode) runs[j].mode = was;
    }
    if (st == SF_OK) {
      ok++;
      continue;
    }
    char label[32];
    bool program_error = st != SF_EINTERNAL && st != SF_ENOMEM && st != SF_EIO;
    if (i < must || !program_error) {
      int rc = cli_report(*prog, file, &err);
      fprintf(stderr, "seedflow: note: while running in mode %s\n", cli_run_label(&runs[i], label, sizeof label));
      return rc;
    }
    char msg[sizeof err.msg + 32];
    if (err.line > 0) snprintf(msg, sizeof msg, "line %d:%d: %s", err.line, err.col, err.msg);
    else snprintf(msg, sizeof msg, "%s", err.msg);
    if (!(runs[i].failure = strdup(msg))) return cli_internal_error("out of memory");
    sf_trace_free(runs[i].trace);
    runs[i].trace = NULL;
    if (first_failed < 0) first_failed = i, first = err;
  }
  if (ok == 0 && first_failed >= 0) { /* no mode runs: the first one's error, and where each other one stopped */
    char label[32];
    int rc = cli_report(*prog, file, &first);
    fprintf(stderr, "seedflow: note: while running in mode %s\n", cli_run_label(&runs[first_failed], label, sizeof label));
    for (int i = first_failed + 1; i < n; i++)
      if (runs[i].failure)
        fprintf(stderr, "seedflow: note: mode %s stops at %s\n", cli_run_label(&runs[i], label, sizeof label), runs[i].failure);
    return rc;
  }
  return 0;
}

int cli_run_all(const char *file, sf_program **prog, cli_run *runs, int n) {
  return run_runs(file, prog, runs, n, n);
}

int cli_run_each(const char *file, sf_program **prog, cli_run *runs, int n, int must) {
  return run_runs(file, prog, runs, n, must);
}

bool cli_note_is_reading(const sf_trace_note *nt) {
  static const char *const reading[] = {"seed", "mode", "xla", "device", "profile"};
  for (size_t i = 0; i < sizeof reading / sizeof *reading; i++)
    if (strcmp(nt->pass, reading[i]) == 0) return true;
  return false;
}

void cli_runs_free(cli_run *runs, int n) {
  for (int i = 0; i < n; i++) {
    sf_trace_free(runs[i].trace);
    runs[i].trace = NULL;
    free(runs[i].failure);
    runs[i].failure = NULL;
  }
}

/* ---- budgets ---- */

/* Temp files being written, removed if a signal ends the process (unlink is
 * async-signal-safe); a final file only ever appears by rename, never partial. */
static char *volatile pending[4];


int cli_limit_option(int c, const char *arg, cli_limits *l) {
  char *end;
  errno = 0;
  if (c == CLI_OPT_TIME_LIMIT) {
    double v = strtod(arg, &end);
    if (!*arg || *end || errno || !(v > 0 && v <= 1e6))
      return cli_usage_error("--time-limit needs seconds, more than 0 and at most 1000000, got '%s'", arg);
    l->time_limit = v;
    return -1;
  }
  unsigned long long v = strtoull(arg, &end, 10);
  int shift = !*end ? 0 : !strcmp(end, "K") ? 10 : !strcmp(end, "M") ? 20 : !strcmp(end, "G") ? 30 : -1;
  if (!*arg || *arg == '-' || errno || shift < 0 || v == 0 || v > (1ULL << 50) >> shift)
    return cli_usage_error("--memory-limit needs a size such as 512M or 4G (K, M, G: powers of 1024), got '%s'", arg);
  l->memory_limit = (int64_t)(v << shift);
  return -1;
}

void cli_apply_limits(cli_run *runs, int n, const cli_limits *l) {
  for (int i = 0; i < n; i++) {
    runs[i].time_limit = l->time_limit;
    runs[i].memory_limit = l->memory_limit;
  }
}

static char watchdog_msg[160];

static void watchdog_fired(int sig) {
  (void)sig;
  ssize_t r = write(2, watchdog_msg, strlen(watchdog_msg));
  (void)r;
  for (int i = 0; i < 4; i++) /* temp output files, as remove_pending does */
    if (pending[i]) unlink(pending[i]);
  _exit(EXIT_TROUBLE);
}

void cli_watchdog(double seconds) {
  if (seconds <= 0) {
    alarm(0);
    return;
  }
  snprintf(watchdog_msg, sizeof watchdog_msg,
           "seedflow: error: time limit of %g s exceeded (--time-limit): one op ran past it and was stopped\n", seconds);
  signal(SIGALRM, watchdog_fired);
  alarm((unsigned)seconds + 30);
}

/* ---- prints of text ---- */

bool cli_print_is_text(const cli_run *runs, int n, int i) {
  for (int r = 0; r < n; r++) {
    const sf_trace_print *p = runs[r].trace ? sf_trace_print_at(runs[r].trace, i) : NULL;
    if (p && !p->ntensors) return true;
  }
  return false;
}

static bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

char *cli_print_text(const sf_trace_print *p) {
  const char *s = p->text ? p->text : "";
  size_t n = strlen(s);
  if (n && s[n - 1] == '\n') n--;
  char *out = malloc(n + 1), *o = out; /* " at 0x…" is no longer than the address it replaces */
  if (!out) return NULL;
  for (size_t i = 0; i < n;) {
    size_t h = i + 6;
    if (strncmp(s + i, " at 0x", 6) == 0 && h < n && is_hex(s[h])) {
      while (h < n && is_hex(s[h])) h++;
      if (h - (i + 6) >= 3) { /* "…" is three bytes in UTF-8 */
        memcpy(o, " at 0x\xe2\x80\xa6", 9);
        o += 9, i = h;
        continue;
      }
    }
    *o++ = s[i++];
  }
  *o = '\0';
  return out;
}

bool cli_print_texts(const cli_run *runs, int n, int i, char **texts, bool *differs) {
  bool ok = true;
  for (int r = 0; r < n; r++) {
    const sf_trace_print *p = sf_trace_print_at(runs[r].trace, i);
    texts[r] = p ? cli_print_text(p) : NULL;
    ok &= !p || texts[r];
    differs[r] = r && (!texts[r] || !texts[0] || strcmp(texts[r], texts[0]) != 0);
  }
  return ok;
}

/* ---- matching random ops ---- */

int cli_key_cmp(const cli_key *a, const cli_key *b) {
  if (a->line != b->line) return a->line < b->line ? -1 : 1;
  int c = strcmp(a->op, b->op);
  if (c) return c < 0 ? -1 : 1;
  return a->k < b->k ? -1 : a->k > b->k;
}

/* Sorts idx[]/keys[] together by key (insertion sort: traces are small and this is stable). */
static void sort_by_key(int *idx, cli_key *keys, int n) {
  for (int i = 1; i < n; i++) {
    cli_key k = keys[i];
    int v = idx[i], j = i - 1;
    for (; j >= 0 && cli_key_cmp(&keys[j], &k) > 0; j--) {
      keys[j + 1] = keys[j];
      idx[j + 1] = idx[j];
    }
    keys[j + 1] = k;
    idx[j + 1] = v;
  }
}

int cli_random_ops(const sf_trace *t, int **idx, cli_key **keys) {
  int total = sf_trace_op_count(t), n = 0;
  *idx = malloc((size_t)(total ? total : 1) * sizeof **idx);
  *keys = malloc((size_t)(total ? total : 1) * sizeof **keys);
  if (!*idx || !*keys) {
    free(*idx), free(*keys);
    *idx = NULL, *keys = NULL;
    return 0;
  }
  for (int i = 0; i < total; i++) {
    const sf_trace_op *op = sf_trace_op_at(t, i);
    if (!op->rng.present) continue;
    cli_key key = {op->line, op->op, 0};
    for (int j = 0; j < n; j++)
      if ((*keys)[j].line == key.line && strcmp((*keys)[j].op, key.op) == 0) key.k++;
    (*idx)[n] = i;
    (*keys)[n++] = key;
  }
  sort_by_key(*idx, *keys, n);
  return n;
}

/* ---- atomic output ---- */


static void remove_pending(int sig) {
  for (int i = 0; i < 4; i++)
    if (pending[i]) unlink(pending[i]);
  signal(sig, SIG_DFL);
  raise(sig);
}

static void track(char *tmp, bool on) {
  static bool installed;
  if (!installed) {
    installed = true;
    signal(SIGINT, remove_pending);
    signal(SIGTERM, remove_pending);
    signal(SIGHUP, remove_pending);
  }
  for (int i = 0; i < 4; i++)
    if (on ? !pending[i] : pending[i] == tmp) {
      pending[i] = on ? tmp : NULL;
      return;
    }
}

static char *temp_name(const char *path) {
  const char *slash = strrchr(path, '/');
  size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
  const char *base = path + dirlen;
  size_t len = strlen(path) + 16;
  char *tmp = malloc(len);
  if (tmp) snprintf(tmp, len, "%.*s.%s.XXXXXX", (int)dirlen, path, base);
  return tmp;
}

/* An unnamed file in path's directory (O_TMPFILE): nothing is visible until it is linked
 * into place, so even SIGKILL leaves nothing behind. -1 when the kernel or filesystem
 * lacks it (or the directory is unusable: the temp-file path reports that). */
static int open_unnamed(const char *path) {
#ifdef O_TMPFILE
  const char *slash = strrchr(path, '/');
  char dir[4096];
  snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) + (slash == path) : 1, slash ? path : ".");
  return open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0666);
#else
  (void)path;
  return -1;
#endif
}

bool cli_out_open(cli_out *o, const char *path) {
  memset(o, 0, sizeof *o);
  if (strcmp(path, "-") == 0) {
    o->f = stdout;
    return true;
  }
  o->path = strdup(path);
  int fd = o->path ? open_unnamed(path) : -1;
  if (fd >= 0) {
    o->unnamed = true;
  } else {
    o->tmp = o->path ? temp_name(path) : NULL;
    errno = 0;
    fd = o->tmp ? mkstemp(o->tmp) : -1;
    if (fd < 0) {
      cli_error("cannot create '%s': %s", path, strerror(errno ? errno : ENOMEM));
      free(o->tmp), free(o->path);
      memset(o, 0, sizeof *o);
      return false;
    }
    track(o->tmp, true);
    mode_t mask = umask(0); /* mkstemp makes 0600; a new file normally gets 0666 & ~umask */
    umask(mask);
    fchmod(fd, 0666 & ~mask);
  }
  o->f = fdopen(fd, "w");
  if (!o->f) {
    cli_error("cannot create '%s': %s", path, strerror(errno));
    close(fd);
    cli_out_abort(o);
    return false;
  }
  return true;
}

/* Copies the unnamed file into a named temp file (when /proc is not there to link it). */
static int copy_to_temp(cli_out *o) {
  int in = fileno(o->f);
  o->tmp = temp_name(o->path);
  int fd = o->tmp ? mkstemp(o->tmp) : -1;
  if (fd < 0) return -1;
  track(o->tmp, true);
  mode_t mask = umask(0);
  umask(mask);
  fchmod(fd, 0666 & ~mask);
  char buf[65536];
  ssize_t got = lseek(in, 0, SEEK_SET) == 0 ? 0 : -1;
  while (got >= 0 && (got = read(in, buf, sizeof buf)) > 0)
    if (write(fd, buf, (size_t)got) != got) got = -1;
  int rc = got == 0 && fsync(fd) == 0 ? 0 : -1;
  close(fd);
  return rc;
}

/* Gives the written file its final name: an unnamed file is linked in directly when the
 * name is new; over an existing file it is linked under a temp name and renamed (so a
 * reader sees the old or the new file, never a partial one). */
static int publish(cli_out *o) {
  if (o->unnamed) {
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(o->f));
    if (linkat(AT_FDCWD, proc, AT_FDCWD, o->path, AT_SYMLINK_FOLLOW) == 0) return 0;
    if (errno == EEXIST) {
      o->tmp = temp_name(o->path);
      if (!o->tmp) return errno = ENOMEM, -1;
      char pid[16];
      snprintf(pid, sizeof pid, "%06d", (int)(getpid() % 1000000));
      memcpy(o->tmp + strlen(o->tmp) - 6, pid, 6);
      track(o->tmp, true);
      if (linkat(AT_FDCWD, proc, AT_FDCWD, o->tmp, AT_SYMLINK_FOLLOW) != 0) return -1;
    } else if (copy_to_temp(o) != 0) {
      return -1;
    }
  }
  return rename(o->tmp, o->path);
}

/* fsync the directory so that the rename itself survives a crash. */
static void sync_dir(const char *path) {
  const char *slash = strrchr(path, '/');
  char dir[4096];
  snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) + (slash == path) : 1, slash ? path : ".");
  int fd = open(dir, O_RDONLY);
  if (fd >= 0) {
    fsync(fd);
    close(fd);
  }
}

int cli_out_commit(cli_out *o) {
  if (!o->path) {
    errno = 0;
    bool ok = fflush(o->f) == 0 && !ferror(o->f);
    int e = errno ? errno : EIO;
    memset(o, 0, sizeof *o);
    return ok ? 0 : cli_internal_error("cannot write to standard output: %s", strerror(e));
  }
  errno = 0;
  bool ok = fflush(o->f) == 0 && !ferror(o->f) && fsync(fileno(o->f)) == 0;
  int e = errno ? errno : EIO;
  if (!ok) { /* the data did not reach the disk: full disk, I/O error */
    cli_internal_error("cannot write '%s': %s", o->path, strerror(e));
    cli_out_abort(o);
    return EXIT_INTERNAL;
  }
  if (publish(o) != 0) { /* the name cannot be used: a directory, a vanished directory */
    cli_error("cannot write '%s': %s", o->path, strerror(errno));
    cli_out_abort(o);
    return EXIT_TROUBLE;
  }
  fclose(o->f);
  o->f = NULL;
  sync_dir(o->path);
  if (o->tmp) track(o->tmp, false);
  free(o->tmp), free(o->path);
  memset(o, 0, sizeof *o);
  return 0;
}

void cli_out_abort(cli_out *o) {
  if (o->f && o->f != stdout) fclose(o->f);
  if (o->tmp) {
    unlink(o->tmp);
    track(o->tmp, false);
  }
  free(o->tmp), free(o->path);
  memset(o, 0, sizeof *o);
}

/* ---- colour ---- */

bool cli_color_parse(const char *s, cli_color *out) {
  static const char *const names[] = {"auto", "always", "never"};
  for (int i = 0; i < 3; i++)
    if (strcmp(s, names[i]) == 0) return *out = (cli_color)i, true;
  return false;
}

bool cli_color_enabled(cli_color c, FILE *f) {
  if (c != CLI_COLOR_AUTO) return c == CLI_COLOR_ALWAYS;
  const char *nc = getenv("NO_COLOR"); /* https://no-color.org: set and non-empty disables */
  if (nc && *nc) return false;
  const char *force = getenv("CLICOLOR_FORCE"); /* set and not "0": colour even in a pipe */
  if (force && *force && strcmp(force, "0") != 0) return true;
  const char *term = getenv("TERM");
  if (term && strcmp(term, "dumb") == 0) return false;
  return f == stdout ? term_stdout_is_tty() : isatty(fileno(f)); /* stdout may be captured */
}

/* One element as the schema has it: a number that reads back as the exact value (a
 * float32 widened to double, which %.17g prints exactly), "nan"/"inf"/"-inf" strings,
 * integers, booleans. */
static json_t *value_json(const sf_tensor *t, int64_t i) {
  double d;
  switch (t->dtype) {
    case SF_FLOAT32: d = ((const float *)t->data)[i]; break;
    case SF_FLOAT64: d = ((const double *)t->data)[i]; break;
    case SF_INT32: return json_integer(((const int32_t *)t->data)[i]);
    case SF_INT64: return json_integer(((const int64_t *)t->data)[i]);
    default: return json_boolean(((const uint8_t *)t->data)[i]);
  }
  if (isnan(d)) return json_string("nan");
  if (isinf(d)) return json_string(d < 0 ? "-inf" : "inf");
  return json_real(d);
}

json_t *cli_values_json(const sf_tensor *t) {
  json_t *a = json_array();
  for (int64_t i = 0; a && t && i < t->n; i++)
    if (json_array_append_new(a, value_json(t, i)) != 0) json_decref(a), a = NULL;
  return a;
}

json_t *cli_counter_json(const uint32_t counter[4]) {
  return json_pack("[I, I, I, I]", (json_int_t)counter[0], (json_int_t)counter[1], (json_int_t)counter[2],
                   (json_int_t)counter[3]);
}

json_t *cli_shape_json(const sf_shape *s) {
  json_t *a = json_array();
  for (int d = 0; a && d < s->rank; d++)
    if (json_array_append_new(a, json_integer(s->dims[d])) != 0) json_decref(a), a = NULL;
  return a;
}

/* Bytes of the valid UTF-8 sequence at s (RFC 3629: no overlong forms, surrogates or code
 * points past U+10FFFF), 0 when there is none; s is NUL-terminated. */
static size_t utf8_seq(const unsigned char *s) {
  unsigned c = s[0], cp, min;
  size_t n;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) n = 2, cp = c & 0x1F, min = 0x80;
  else if (c >= 0xE0 && c <= 0xEF) n = 3, cp = c & 0x0F, min = 0x800;
  else if (c >= 0xF0 && c <= 0xF4) n = 4, cp = c & 0x07, min = 0x10000;
  else return 0;
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0; /* a NUL ends it here too */
    cp = cp << 6 | (s[i] & 0x3F);
  }
  return cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ? 0 : n;
}

const char *cli_json_name(const char *name) {
  static char buf[3 * 4096 + 1];
  const unsigned char *s = (const unsigned char *)name;
  size_t at = 0, n;
  for (size_t i = 0; s[i]; i += n ? n : 1) {
    n = utf8_seq(s + i);
    if (n && at + n < sizeof buf) memcpy(buf + at, s + i, n), at += n;
    else if (!n && at + 3 < sizeof buf) memcpy(buf + at, "\xEF\xBF\xBD", 3), at += 3;
    else break;
  }
  buf[at] = '\0';
  return buf;
}
