/* cli.h — pieces shared by the seedflow command's subcommands: error reporting, loading
 * and running a program in several (mode, profile) runs, atomic output files, matching
 * random-op executions across runs, and the plain-words provenance of a seed. */
#ifndef SEEDFLOW_CLI_H
#define SEEDFLOW_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include <stdio.h>
#include "seedflow/seedflow.h"

/* The exit-code contract every command keeps (test_cli.c checks it over every command):
 * 0 success; 1 only "check found a difference"; 2 invalid input or usage (size and time
 * limits included); 3 internal failure (allocation failure, I/O error on an output). */
enum { EXIT_MISMATCH = 1, EXIT_TROUBLE = 2, EXIT_INTERNAL = 3 };
enum { CLI_MAX_RUNS = 8 };

/* Prints "FILE:LINE:COL: error: msg" with the source line and a caret (or
 * "seedflow: error: msg" without a location) and returns the exit status for err. */
int cli_report(const sf_program *p, const char *file, const sf_error *err);
/* "seedflow: error: …" plus a pointer to --help; returns EXIT_TROUBLE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "seedflow: error: …" alone (trouble that is not a usage mistake); returns EXIT_TROUBLE. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "seedflow: error: …" for an internal failure (out of memory, output I/O); returns EXIT_INTERNAL. */
int cli_internal_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Flushes and checks standard output at exit: a write error (ENOSPC, EPIPE, EBADF) turns
 * rc into EXIT_INTERNAL with "cannot write to standard output: REASON". */
int cli_finish_stdout(int rc);
/* The getopt_long error for the option at argv[optind - 1] ('?' or ':'). */
int cli_option_error(int c, char **argv);
/* Sizes libuv's pool for --threads N before libuv first uses it (unless the user set
 * UV_THREADPOOL_SIZE): max(N, cores, 4) threads. */
void cli_set_pool_size(int threads);

/* The subcommands' handlers, cmd_<name>(argc, argv), are declared by main.c's command
 * table (CLI_COMMANDS), the one list of commands. */
/* argv[1] names the command; returns its exit status (main adds the stdout check). The
 * fuzz targets call it in-process. */
int cli_dispatch(int argc, char **argv);

/* Writes a run's trace as the JSON object `seedflow run --format json` prints. Returns 0,
 * or EXIT_INTERNAL after printing the error. */
int cli_write_json(FILE *f, const sf_trace *t);
/* A run's trace as the schema's run object {mode, profile, prints, ops}, with the
 * "format" key first when with_format; NULL when a jansson call fails. */
json_t *cli_trace_json(const sf_trace *t, bool with_format);
/* One-line provenance of a random op execution, e.g. "seed=1234 (global) seed2=3 (node-id 3)". */
void cli_format_seeds(const sf_rng_record *r, char *buf, size_t len);

/* A profile named by itself (tf1, tf2, tf2.10, keras3), by a TensorFlow version (1.x,
 * 2.0-2.9, 2.10-2.15, 2.16+) or as "keras" + a Keras version (keras2.12, keras3.4) into
 * *out, and the Keras version whose rules apply into *keras (0: the profile's newest; may
 * be NULL); false after printing a usage error, which names the nearest modelled version
 * (tfversion.c). */
bool cli_profile_arg(const char *s, sf_profile *out, int *keras);
/* Whether --profile / --tf s names a TensorFlow 1.x version (1.15, 1.x): TF 1's default mode is
 * graph mode, which run and explain take when no --mode is given. */
bool cli_tf1x(const char *s);
/* --keras VERSION: cli_profile_arg of "keras" VERSION. */
bool cli_keras_arg(const char *version, sf_profile *out, int *keras);

/* ---- runs: one program under several (mode, profile) pairs ---- */
typedef struct cli_run {
  sf_mode mode;
  sf_profile profile;
  int keras_version;    /* sf_run_options.keras_version */
  sf_trace *trace;
  bool fixed_entropy;   /* --entropy N (record, check) */
  uint64_t entropy;
  int64_t memory_limit; /* --memory-limit, --time-limit (0: the library's defaults) */
  double time_limit;
  bool program_mode;    /* mode is only the default (sf_run_options.program_mode): cli_run_each
                           sets mode to the one the program ran in, and a later run of that
                           mode takes this one's instead */
  char *failure;        /* cli_run_each: why this run stopped ("line 4:7: ..."), its trace NULL */
  FILE *dot_out;        /* NULL, or where the run writes its graphs as run --dot does */
} cli_run;

/* ---- budgets: --time-limit SECONDS, --memory-limit SIZE on every command that runs a program ---- */
enum { CLI_OPT_TIME_LIMIT = 0x4001, CLI_OPT_MEMORY_LIMIT };
#define CLI_LIMIT_OPTIONS                                        \
  {"time-limit", required_argument, 0, CLI_OPT_TIME_LIMIT},       \
  {"memory-limit", required_argument, 0, CLI_OPT_MEMORY_LIMIT}
#define CLI_LIMIT_HELP                                                                       \
  "      --time-limit=SECONDS   stop a run that takes longer (default 60)\n"                \
  "      --memory-limit=SIZE    memory of objects, tensors and trace, with K, M or G\n" \
  "                             (default 1G)\n"
typedef struct cli_limits {
  double time_limit;
  int64_t memory_limit;
} cli_limits;
/* Parses the value of option c (CLI_OPT_*) into l. Returns -1 on success, EXIT_TROUBLE
 * after a usage error. */
int cli_limit_option(int c, const char *arg, cli_limits *l);
void cli_apply_limits(cli_run *runs, int n, const cli_limits *l);
/* A last resort for one op that runs past the deadline (the library checks it between
 * ops): SIGALRM 30 s after the limit ends the process with exit 2 and a message naming
 * --time-limit. 0 disarms. */
void cli_watchdog(double seconds);

/* Parses "eager,graph:tf1,function" (a profile after ':' overrides dflt) into runs[].
 * Returns the count, or -1 after printing a usage error. */
int cli_parse_runs(const char *list, sf_profile dflt, int dflt_keras, cli_run *runs, int max);
/* "graph/tf1" */
const char *cli_run_label(const cli_run *r, char *buf, size_t len);
/* The program in file, or in standard input when file is "-" (named "<stdin>"). */
sf_program *cli_program_load(const char *file, sf_error *err);
/* file as errors name it: "<stdin>" for "-". */
static inline const char *cli_file_label(const char *file) { return file[0] == '-' && !file[1] ? "<stdin>" : file; }
/* name as JSON text: as it is when it is valid UTF-8, else with each byte that is not part
 * of a valid sequence as U+FFFD (a file name is bytes; a JSON string is UTF-8). The result
 * lives in a static buffer until the next call (names past 4096 bytes are cut). */
const char *cli_json_name(const char *name);
/* Parses file and runs it once per runs[k], filling runs[k].trace. On failure prints the
 * error and returns its exit status (traces filled so far stay for cli_runs_free). */
int cli_run_all(const char *file, sf_program **prog, cli_run *runs, int n);
/* Like cli_run_all, but a run that stops on an error in the program (not an internal
 * failure) is kept with its failure set and no trace, so the other modes can still be
 * shown; runs[0..must) must succeed. Fails, as cli_run_all, when no run succeeds. */
int cli_run_each(const char *file, sf_program **prog, cli_run *runs, int n, int must);
void cli_runs_free(cli_run *runs, int n);
/* A trace note about how the run reads the program (seed, mode, xla, device, profile),
 * not about what a graph pass did. */
bool cli_note_is_reading(const sf_trace_note *nt);

/* ---- matching random-op executions across runs ---- */
/* A random op execution is known across runs by (line, op type, k): k counts earlier
 * executions with the same line and op type in its run. Node ids and execution order
 * differ between modes; the source line and op type do not. */
typedef struct cli_key {
  int line;
  const char *op;
  int k;
} cli_key;
/* The random op executions of t in key order: idx[i] indexes sf_trace_op_at, keys[i] its key.
 * Returns the count; *idx and *keys are malloc'd (free both), NULL on allocation failure. */
int cli_random_ops(const sf_trace *t, int **idx, cli_key **keys);
int cli_key_cmp(const cli_key *a, const cli_key *b);

/* ---- prints of text ---- */
/* Whether print i printed no tensor in some run that reached it (text only: an f-string, a
 * Python number; or a NumPy scalar eagerly where a graph mode prints a fetched tensor), so
 * that its text is what the runs are compared on. */
bool cli_print_is_text(const cli_run *runs, int n, int i);
/* p's text as compared across runs, malloc'd (NULL: out of memory): the final newline
 * dropped, and an object's address (" at 0x7f..", new in every process) as " at 0x…". */
char *cli_print_text(const sf_trace_print *p);
/* Print i's text in each of runs[0..n) (cli_print_text; NULL where a run did not print it)
 * and whether it differs from runs[0]'s (differs[0] is false). False when out of memory;
 * the texts are malloc'd (free each). */
bool cli_print_texts(const cli_run *runs, int n, int i, char **texts, bool *differs);

/* ---- plain words (explain.c) ---- */
/* Where seed (which = 0) or seed2 (which = 1) of r came from, e.g. "TF1 uses the graph's op
 * count (graph._last_id): 3 ops existed when the seed was derived". */
void cli_seed_words(const sf_rng_record *r, int which, char *buf, size_t len);
/* Why two executions of the same op give different numbers (a differs from b), one sentence
 * naming the effect; "" when their RNG inputs are the same. */
void cli_cause_words(const sf_rng_record *a, const char *alabel, const sf_rng_record *b, const char *blabel,
                     char *buf, size_t len);
/* Why executions a and b of the same key differ when their RNG inputs are the same: the
 * key's execution is another call in each run (its shape or dtype differs), or the op's
 * other attributes (an integer range, say) differ. One sentence. */
void cli_value_cause(const sf_trace_op *a, const char *alabel, const sf_trace_op *b, const char *blabel, char *buf,
                     size_t len);

/* ---- output files written atomically ---- */
typedef struct cli_out {
  FILE *f;
  char *path;   /* final name (NULL: stdout) */
  bool unnamed; /* f is an O_TMPFILE file, linked into place by commit */
  char *tmp;    /* temp file in the same directory (NULL while unnamed) */
} cli_out;
/* Opens an unnamed file (O_TMPFILE) in path's directory, or where that is not supported a
 * temp file beside path ("-" is stdout). Prints the error and returns false on failure. */
bool cli_out_open(cli_out *o, const char *path);
/* Flushes, fsyncs and links (or renames) into place. Returns 0, or the exit status after printing the
 * error and removing the temp file: EXIT_INTERNAL when writing failed (full disk, I/O),
 * EXIT_TROUBLE when the final name cannot be used (a directory). */
int cli_out_commit(cli_out *o);
/* Removes the temp file; no-op when nothing is open. */
void cli_out_abort(cli_out *o);

/* ---- colour ---- */
typedef enum cli_color { CLI_COLOR_AUTO, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER } cli_color;
bool cli_color_parse(const char *s, cli_color *out);
/* AUTO: no colour when NO_COLOR is set and non-empty; colour when CLICOLOR_FORCE is set
 * and not "0"; none when TERM=dumb; else colour only when f is a terminal. */
bool cli_color_enabled(cli_color c, FILE *f);

/* A tensor's values as the JSON schema (docs/json-schema.md) has them: numbers that read
 * back as the exact float32/float64 (NaN and infinities as "nan", "inf", "-inf"),
 * integers, booleans. NULL when a jansson call fails. */
json_t *cli_values_json(const sf_tensor *t);
/* A Philox counter as an array of four integers; NULL when a jansson call fails. */
json_t *cli_counter_json(const uint32_t counter[4]);
/* A shape as a JSON array of ints; NULL when a jansson call fails. */
json_t *cli_shape_json(const sf_shape *s);

/* ---- golden files (golden.c) ---- */
/* Options of record/check that change draws; the golden stores them as text. */
typedef struct cli_golden_opts {
  bool has_entropy;
  uint64_t entropy;  /* --entropy N: the OS entropy the run uses */
} cli_golden_opts;
/* The one JSON format of run, record (golden files) and compare (docs/json-schema.md). */
#define CLI_GOLDEN_FORMAT "seedflow/1"
/* Validates a parsed golden file against the schema record writes and fills runs[] with
 * its (mode, profile) pairs. Returns the run count, or -1 with why = "JSON-PATH: problem". */
int cli_golden_validate(json_t *root, cli_run *runs, char *why, size_t len);

/* ---- hashing (sha256.c) ---- */
/* SHA-256 of data as 64 lower-case hex digits (plus NUL). */
void cli_sha256(const void *data, size_t len, char hex[65]);
/* SHA-256 of a file's bytes; false when it cannot be read. */
bool cli_file_sha256(const char *path, char hex[65]);

#endif
