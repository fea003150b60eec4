/* perf.c — the performance table of issue 14: every figure is a ratio of two sides timed in
 * turns (A B A B ..., best of REPS each), so load on this shared machine hits both alike.
 * Anchors: OpenBLAS cblas_sgemm on 1 thread (when built with libopenblas-dev), memset, and
 * NumPy and torch (a python3 co-process that times its own calls on request) when python3-numpy
 * and python3-torch are there. */
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "engine/rng/rng.h"
#include "ops/matmul.h"
#ifdef SF_HAVE_OPENBLAS
#include <cblas.h>
void openblas_set_num_threads(int n);
#endif

/* The single-thread matmul rows take ROUNDS_MM rounds of TURNS_MM turns a side, every row
 * its round before any row its next (matmul_rows): in a busy phase of this shared host, seconds
 * long, f64 pairwise 512^2 took 5.5-6.4 ms where it takes 3.5-3.8 and plain f32 2.5 where it
 * takes 2.0-2.1, and one row's 11 turns (70 ms) could all fall in one phase. */
enum { REPS = 11, ROUNDS_MM = 10, TURNS_MM = 5, REPS_2T = 41 };

/* Single-thread sides are timed in the thread's CPU time, so that time slices lost to other
 * processes on this shared machine count for neither side; 2-thread sides in wall time. */
static double clock_s(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
static double now_s(void) { return clock_s(CLOCK_THREAD_CPUTIME_ID); }
static double wall_s(void) { return clock_s(CLOCK_MONOTONIC); }

/* ---- the table ---- */

/* `bench-perf WORD` measures only the rows whose name contains WORD (to iterate on one). */
static const char *only;
static bool want(const char *measure) { return !only || strstr(measure, only); }

static void row(const char *measure, double value, double target, const char *note) {
  char t[16] = "-";
  const char *status = "info";
  if (target > 0) {
    snprintf(t, sizeof t, ">= %g", target);
    status = value >= target ? "PASS" : "MISS";
  }
  printf("%-52s %8.3f %8s  %-4s %s\n", measure, value, t, status, note ? note : "");
}

static void skip(const char *measure, double target, const char *why) {
  char t[16] = "-";
  if (target > 0) snprintf(t, sizeof t, ">= %g", target);
  printf("%-52s %8s %8s  %-4s %s\n", measure, "n/a", t, "SKIP", why);
}

/* One timed side: returns the seconds of one run. */
typedef double (*side_fn)(void *ctx);

/* A ratio of side a to anchor b, timed in turns (a, b, a, b, ...): each keeps its best over
 * every round of turns, best(b) / best(a) says how many times faster a is. */
typedef struct turns {
  side_fn a, b;
  void *actx, *bctx;
  double ba, bb;
} turns;

static turns turns_new(side_fn a, void *actx, side_fn b, void *bctx) {
  a(actx); /* warm-up */
  b(bctx);
  return (turns){a, b, actx, bctx, 1e30, 1e30};
}

static void turns_round(turns *t, int reps) {
  for (int r = 0; r < reps; r++) {
    double ta = t->a(t->actx), tb = t->b(t->bctx);
    if (ta < t->ba) t->ba = ta;
    if (tb < t->bb) t->bb = tb;
  }
}

/* One round of reps turns after one warm-up of each side. */
static double ratio_n(side_fn a, void *actx, side_fn b, void *bctx, int reps) {
  turns t = turns_new(a, actx, b, bctx);
  turns_round(&t, reps);
  return t.bb / t.ba;
}

static double ratio(side_fn a, void *actx, side_fn b, void *bctx) { return ratio_n(a, actx, b, bctx, REPS); }

/* ---- matmul ---- */

typedef struct mm_side {
  sf_matmul_job job;
  int threads;
  bool wall; /* wall time even on 1 thread (the reference of a 2-thread row) */
} mm_side;

static double mm_run(void *ctx) {
  mm_side *s = ctx;
  double (*clock)(void) = s->threads == 1 && !s->wall ? now_s : wall_s, t0 = clock();
  if (!sf_matmul_threads(&s->job, SF_MM_AUTO, s->threads)) abort(); /* 1: sf_matmul itself */
  return clock() - t0;
}

static void *filled(int64_t count, bool f64) {
  void *p = malloc((size_t)count * (f64 ? 8 : 4));
  if (!p) abort();
  uint32_t x = 12345;
  for (int64_t i = 0; i < count; i++) {
    x = x * 1664525u + 1013904223u;
    double v = (double)(x >> 8) / 16777216.0 - 0.5;
    if (f64) ((double *)p)[i] = v;
    else ((float *)p)[i] = (float)v;
  }
  return p;
}

static mm_side mm_make(int64_t d, bool ta, bool tb, bool pairwise, bool f64) {
  mm_side s = {{filled(d * d, f64), filled(d * d, f64), filled(d * d, f64), d, d, d, ta, tb, pairwise, f64, 0}, 1, false};
  return s;
}

static void mm_free(mm_side *s) {
  free((void *)s->job.a);
  free((void *)s->job.b);
  free(s->job.out);
}

#ifdef SF_HAVE_OPENBLAS
static double blas_run(void *ctx) {
  const sf_matmul_job *j = ctx;
  double t0 = now_s();
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)j->m, (int)j->n, (int)j->k, 1.0f, j->a, (int)j->k,
              j->b, (int)j->n, 0.0f, j->out, (int)j->n);
  return now_s() - t0;
}
#endif

/* The 1-thread rows: OpenBLAS at 256^2 and 512^2, then every other layout against plain f32. */
enum { MM_ROWS = 10 };
typedef struct mm_row {
  char what[80];
  const char *note;
  mm_side s;
  sf_matmul_job blas; /* OpenBLAS's rows: s's job with an out of its own (else out is NULL) */
  turns t;
} mm_row;

static const struct { bool ta, tb, pw, f64; const char *name; } layouts[] = {
    {1, 0, 0, 0, "f32 transpose_a"}, {0, 1, 0, 0, "f32 transpose_b"}, {1, 1, 0, 0, "f32 transpose_a+b"},
    {0, 0, 1, 0, "f32 pairwise"}, {1, 1, 1, 0, "f32 pairwise transpose_a+b"}, {0, 0, 0, 1, "f64"},
    {0, 1, 0, 1, "f64 transpose_b"}, {0, 0, 1, 1, "f64 pairwise"},
};

_Static_assert(2 + sizeof layouts / sizeof *layouts <= MM_ROWS, "a row each: OpenBLAS at two sizes, the layouts");

static void matmul_rows(void) {
  mm_row rows[MM_ROWS] = {0};
  int nr = 0;
  mm_side plain = mm_make(512, false, false, false, false);
  for (int64_t d = 256; d <= 512; d *= 2) {
    mm_row *r = &rows[nr];
    snprintf(r->what, sizeof r->what, "matmul f32 %lld^2 vs OpenBLAS sgemm, 1 thread", (long long)d);
    if (!want(r->what)) continue;
#ifdef SF_HAVE_OPENBLAS
    openblas_set_num_threads(1);
    r->note = "";
    r->s = mm_make(d, false, false, false, false);
    r->blas = r->s.job;
    r->blas.out = filled(d * d, false);
    r->t = turns_new(mm_run, &r->s, blas_run, &r->blas);
    nr++;
#else
    skip(r->what, 0.5, "built without libopenblas-dev");
#endif
  }
  for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++) {
    mm_row *r = &rows[nr];
    snprintf(r->what, sizeof r->what, "matmul 512^2 %s vs plain f32", layouts[i].name);
    if (!want(r->what)) continue;
    r->note = layouts[i].f64 ? "f64: half the lanes per vector (0.5 at equal efficiency)" : "";
    r->s = mm_make(512, layouts[i].ta, layouts[i].tb, layouts[i].pw, layouts[i].f64);
    r->t = turns_new(mm_run, &r->s, mm_run, &plain);
    nr++;
  }
  for (int round = 0; round < ROUNDS_MM; round++)
    for (int i = 0; i < nr; i++) turns_round(&rows[i].t, TURNS_MM);
  for (int i = 0; i < nr; i++) {
    row(rows[i].what, rows[i].t.bb / rows[i].t.ba, 0.5, rows[i].note);
    free(rows[i].blas.out);
    mm_free(&rows[i].s);
  }
  mm_side two = plain, one = plain;
  two.threads = 2;
  one.wall = true;
  if (want("matmul f32 512^2, 2 threads vs 1"))
    row("matmul f32 512^2, 2 threads vs 1", ratio_n(mm_run, &two, mm_run, &one, REPS_2T), 1.8,
        "the engine's intra-op pool (bands of rows), best of 41");
  mm_free(&plain);
}

/* ---- fills ---- */

typedef struct fill_side {
  sf_dist dist;
  const sf_philox *base;
  float *out;
  int64_t n;
  int threads;
  bool wall; /* wall time even on 1 thread (the reference of a 2-thread row) */
} fill_side;

static double fill_run(void *ctx) {
  const fill_side *s = ctx;
  double (*clock)(void) = s->threads == 1 && !s->wall ? now_s : wall_s, t0 = clock();
  sf_fill_f32_threads(s->dist, s->base, s->out, s->n, s->threads); /* 1: sf_fill_f32 itself */
  return clock() - t0;
}

static double memset_run(void *ctx) {
  const fill_side *s = ctx;
  static int v;
  double t0 = now_s();
  memset(s->out, ++v & 0x3f, (size_t)s->n * sizeof *s->out);
  return now_s() - t0;
}

/* ---- NumPy co-process: reads "name n" lines, answers with the seconds of one call ---- */

typedef struct py_side {
  FILE *to, *from;
  pid_t pid;
  const char *name;
  int64_t n;
  bool torch; /* the co-process imported torch too */
} py_side;

static const char py_script[] =
    "import sys, time\n"
    "import numpy as np\n"
    "rs = np.random.RandomState(0)\n"
    "g = np.random.Generator(np.random.PCG64(0))\n"
    "out = {}\n"
    "def f32(n):\n"
    "  if n not in out: out[n] = np.empty(n, dtype=np.float32)\n"
    "  return out[n]\n"
    "calls = {'legacy': lambda n: rs.standard_normal(n),\n"
    "         'pcg64': lambda n: g.standard_normal(dtype=np.float32, out=f32(n))}\n"
    "try:\n"
    "  import torch\n"
    "  torch.set_num_threads(1)\n"
    "  torch.manual_seed(0)\n"
    "  tout = {}\n"
    "  def randn(n):\n"
    "    if n not in tout: tout[n] = torch.empty(n)\n"
    "    torch.randn(n, out=tout[n])\n"
    "  calls['torch'] = randn\n"
    "except ImportError:\n"
    "  pass\n"
    "print('ready', 'torch' in calls, flush=True)\n"
    "for line in sys.stdin:\n"
    "  name, n = line.split()\n"
    "  f, n = calls[name], int(n)\n"
    "  t = time.thread_time(); f(n); t = time.thread_time() - t\n"
    "  print(repr(t), flush=True)\n";

static bool py_start(py_side *p) {
  static const char *const pythons[] = {"python3", "/usr/bin/python3"};
  for (size_t i = 0; i < sizeof pythons / sizeof *pythons; i++) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "%s -c 'import numpy' >/dev/null 2>&1", pythons[i]);
    if (system(cmd) != 0) continue;
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0) return false;
    pid_t pid = fork();
    if (pid < 0) return false;
    if (pid == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      close(in[1]);
      close(out[0]);
      execlp(pythons[i], pythons[i], "-c", py_script, (char *)NULL);
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    p->to = fdopen(in[1], "w");
    p->from = fdopen(out[0], "r");
    p->pid = pid;
    char ready[16], torch[8];
    if (!p->to || !p->from || fscanf(p->from, "%15s %7s", ready, torch) != 2 || strcmp(ready, "ready") != 0)
      return false;
    p->torch = strcmp(torch, "True") == 0;
    return true;
  }
  return false;
}

static double py_run(void *ctx) {
  py_side *p = ctx;
  double t = 1e30;
  fprintf(p->to, "%s %lld\n", p->name, (long long)p->n);
  fflush(p->to);
  if (fscanf(p->from, "%lf", &t) != 1) abort();
  return t;
}

static void py_stop(py_side *p) {
  fclose(p->to);
  fclose(p->from);
  waitpid(p->pid, NULL, 0);
}

/* How late a new thread starts running while its creator keeps its CPU busy (as the fill's
 * first half does): uv_thread_create to the thread's first instruction, in wall time. */
static void note_start(void *arg) { atomic_store_explicit((_Atomic double *)arg, wall_s(), memory_order_release); }

static void start_latency_row(void) {
  enum { N = 21 };
  double d[N];
  for (int i = 0; i < N; i++) {
    _Atomic double started = 0;
    double t0 = wall_s(), t = t0;
    uv_thread_t th;
    if (uv_thread_create(&th, note_start, &started) != 0) abort();
    while (atomic_load_explicit(&started, memory_order_acquire) == 0 && (t = wall_s()) < t0 + 0.02) {
    }
    uv_thread_join(&th);
    d[i] = atomic_load(&started) - t0;
    for (int j = i; j > 0 && d[j] < d[j - 1]; j--) { /* insertion sort */
      double x = d[j];
      d[j] = d[j - 1];
      d[j - 1] = x;
    }
  }
  char note[80];
  snprintf(note, sizeof note, "min %.3f, max %.3f of %d; creator busy", d[0] * 1e3, d[N - 1] * 1e3, N);
  row("fill thread start latency (median, ms)", d[N / 2] * 1e3, 0, note);
}

static void fill_rows(void) {
  enum { BIG = 10000000, NORMALS = 1000000 };
  float *buf = malloc((size_t)BIG * sizeof *buf);
  if (!buf) abort();
  memset(buf, 0, (size_t)BIG * sizeof *buf); /* pages faulted in before any timing */
  sf_philox base;
  sf_philox_from_seeds(&base, 1234, 0);
  fill_side normal = {SF_DIST_NORMAL, &base, buf, NORMALS, 1, false};
  fill_side trunc = {SF_DIST_TRUNCATED_NORMAL, &base, buf, NORMALS, 1, false};
  static const char torch_row[] = "normal f32 1e6 vs torch.randn, 1 thread";
  py_side py = {.n = NORMALS};
  bool py_ok = (want(torch_row) || want("normal f32 1e6 vs NumPy")) && py_start(&py);
  if (!want(torch_row)) {
  } else if (py_ok && py.torch) {
    py.name = "torch";
    row(torch_row, ratio(fill_run, &normal, py_run, &py), 1.0, "torch.randn(n, out=...), torch.set_num_threads(1)");
  } else {
    skip(torch_row, 1.0, py_ok ? "torch is not installed (Debian: python3-torch)" : "no python3 with numpy");
  }
  if (!want("normal f32 1e6 vs NumPy")) {
  } else if (py_ok) {
    py.name = "legacy";
    row("normal f32 1e6 vs NumPy legacy standard_normal", ratio(fill_run, &normal, py_run, &py), 0, "");
    py.name = "pcg64";
    row("normal f32 1e6 vs NumPy PCG64 f32", ratio(fill_run, &normal, py_run, &py), 0, "");
  } else {
    skip("normal f32 1e6 vs NumPy", 0, "no python3 with numpy");
  }
  if (py_ok) py_stop(&py);
  if (want("truncated normal vs normal, f32 1e6"))
    row("truncated normal vs normal, f32 1e6", ratio(fill_run, &trunc, fill_run, &normal), 0.7, "");
  for (int64_t n = 1000000; n <= BIG; n *= 10) {
    fill_side u = {SF_DIST_UNIFORM, &base, buf, n, 1, false};
    char what[80];
    snprintf(what, sizeof what, "uniform f32 %.0e vs memset of the same bytes", (double)n);
    if (want(what)) row(what, ratio(fill_run, &u, memset_run, &u), n < BIG ? 0.3 : 0.7, "");
  }
  fill_side u2 = {SF_DIST_UNIFORM, &base, buf, BIG, 2, true}, u1 = u2;
  u1.threads = 1;
  fill_side n2 = normal, n1 = normal;
  n2.threads = 2;
  n1.wall = true;
  static const char note[] = "the engine's intra-op pool (ranges of groups), best of 41";
  if (want("fill thread start latency")) start_latency_row();
  if (want("uniform f32 1e7, 2 threads vs 1"))
    row("uniform f32 1e7, 2 threads vs 1", ratio_n(fill_run, &u2, fill_run, &u1, REPS_2T), 1.8, note);
  if (want("normal f32 1e6, 2 threads vs 1"))
    row("normal f32 1e6, 2 threads vs 1", ratio_n(fill_run, &n2, fill_run, &n1, REPS_2T), 1.8, note);
  free(buf);
}

int main(int argc, char **argv) {
  only = argc > 1 ? argv[1] : NULL;
  double load[3] = {0};
  FILE *f = fopen("/proc/loadavg", "r");
  if (!f || fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3) load[0] = -1;
  if (f) fclose(f);
  printf("seedflow performance, ratios = anchor time / seedflow time, sides interleaved, best of %d\n"
         "(1-thread matmul rows: %d rounds of %d turns, the rows in turn; 2-thread rows: %d); times are\n"
         "thread CPU time (wall time for the 2-thread rows)\n", REPS, ROUNDS_MM, TURNS_MM, REPS_2T);
  printf("load average %.2f %.2f %.2f; matmul kernels: %s\n", load[0], load[1], load[2],
         sf_matmul_isa_name(sf_matmul_isa_supported(SF_MM_AVX512) ? SF_MM_AVX512
                            : sf_matmul_isa_supported(SF_MM_AVX2) ? SF_MM_AVX2 : SF_MM_BASELINE));
  printf("%-52s %8s %8s  %-4s %s\n", "measure", "value", "target", "", "note");
  signal(SIGPIPE, SIG_IGN);
  matmul_rows();
  fill_rows();
  return 0;
}
