/* perf.c — the performance table of issue 14: every figure is a ratio of two sides timed in
 * turns (A B A B ..., best of REPS each), so load on this shared machine hits both alike.
 * Anchors: OpenBLAS cblas_sgemm on 1 thread (when built with libopenblas-dev), memset, and
 * NumPy and torch (a python3 co-process that times its own calls on request) when python3-numpy
 * and python3-torch are there. */
#define _GNU_SOURCE /* sched_setaffinity, sched_getcpu, CPU_SET */
#include <sched.h>
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

enum { REPS = 11, REPS_2T = 41 };

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

/* Runs a, b, a, b, ... reps times each after one warm-up of each; returns best(b) / best(a),
 * i.e. how many times faster side a is than the anchor b. */
static double ratio_n(side_fn a, void *actx, side_fn b, void *bctx, int reps) {
  double ba = 1e30, bb = 1e30;
  a(actx);
  b(bctx);
  for (int r = 0; r < reps; r++) {
    double ta = a(actx), tb = b(bctx);
    if (ta < ba) ba = ta;
    if (tb < bb) bb = tb;
  }
  return bb / ba;
}

static double ratio(side_fn a, void *actx, side_fn b, void *bctx) { return ratio_n(a, actx, b, bctx, REPS); }

/* ---- the second thread ---- */

/* The second thread of the 2-thread rows: started once, it waits for each half polling.
 * On this VM a newly created (or sleeping) thread often starts 1-4 ms late, and then the
 * halves run one after the other: the rows would time the OS's wake-up, not the fill (the
 * start-latency row reports that separately). The two threads are pinned to two CPUs, so
 * the helper cannot share the main thread's CPU; their waits yield, in case they do anyway. */
static struct {
  uv_thread_t t;
  _Atomic int state; /* 0 idle, 1 half posted, 2 quit */
  void (*fn)(void *); /* the posted half */
  void *arg;
  int cpu;           /* the helper's CPU, -1 when not pinned */
  cpu_set_t main_mask; /* the main thread's affinity before the rows */
} helper;

static void pin_to(int cpu) {
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  sched_setaffinity(0, sizeof one, &one); /* best effort: unpinned threads still work */
}

static void helper_loop(void *arg) {
  (void)arg;
  if (helper.cpu >= 0) pin_to(helper.cpu);
  for (;;) {
    int st = atomic_load_explicit(&helper.state, memory_order_acquire);
    if (st == 2) return;
    if (st == 1) {
      helper.fn(helper.arg);
      atomic_store_explicit(&helper.state, 0, memory_order_release);
    } else {
      sched_yield();
    }
  }
}

static void helper_start(void) {
  atomic_store(&helper.state, 0);
  helper.cpu = -1;
  int self = sched_getcpu();
  if (self >= 0 && sched_getaffinity(0, sizeof helper.main_mask, &helper.main_mask) == 0) {
    for (int c = 0; c < CPU_SETSIZE && helper.cpu < 0; c++)
      if (c != self && CPU_ISSET(c, &helper.main_mask)) helper.cpu = c;
    if (helper.cpu >= 0) pin_to(self);
  }
  if (uv_thread_create(&helper.t, helper_loop, NULL) != 0) abort();
}

static void helper_stop(void) {
  atomic_store(&helper.state, 2);
  uv_thread_join(&helper.t);
  if (helper.cpu >= 0) sched_setaffinity(0, sizeof helper.main_mask, &helper.main_mask);
}

/* Runs fn(mine) here and fn(theirs) on the helper, returning when both are done. */
static void helper_halves(void (*fn)(void *), void *mine, void *theirs) {
  helper.fn = fn;
  helper.arg = theirs;
  atomic_store_explicit(&helper.state, 1, memory_order_release);
  fn(mine);
  while (atomic_load_explicit(&helper.state, memory_order_acquire) != 0) sched_yield();
}

/* ---- matmul ---- */

typedef struct mm_side {
  sf_matmul_job job;
  int threads;
  bool wall; /* wall time even on 1 thread (the reference of a 2-thread row) */
} mm_side;

static void mm_half(void *arg) {
  if (!sf_matmul(arg, SF_MM_AUTO)) abort();
}

static double mm_run(void *ctx) {
  mm_side *s = ctx;
  double (*clock)(void) = s->threads == 1 && !s->wall ? now_s : wall_s, t0 = clock();
  if (s->threads == 1) {
    mm_half(&s->job);
  } else { /* rows split in two halves (plain layout: rows of a and out are contiguous) */
    sf_matmul_job h[2] = {s->job, s->job};
    size_t es = s->job.f64 ? 8 : 4;
    h[0].m = s->job.m / 2;
    h[1].m = s->job.m - h[0].m;
    h[1].a = (const char *)s->job.a + (size_t)(h[0].m * s->job.k) * es;
    h[1].out = (char *)s->job.out + (size_t)(h[0].m * s->job.n) * es;
    helper_halves(mm_half, &h[0], &h[1]);
  }
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
  mm_side s = {{filled(d * d, f64), filled(d * d, f64), filled(d * d, f64), d, d, d, ta, tb, pairwise, f64}, 1, false};
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

static void matmul_rows(void) {
  char what[80];
  for (int64_t d = 256; d <= 512; d *= 2) {
    snprintf(what, sizeof what, "matmul f32 %lld^2 vs OpenBLAS sgemm, 1 thread", (long long)d);
    if (!want(what)) continue;
#ifdef SF_HAVE_OPENBLAS
    openblas_set_num_threads(1);
    mm_side s = mm_make(d, false, false, false, false);
    sf_matmul_job blas = s.job;
    blas.out = filled(d * d, false);
    row(what, ratio(mm_run, &s, blas_run, &blas), 0.5, "");
    free(blas.out);
    mm_free(&s);
#else
    skip(what, 0.5, "built without libopenblas-dev");
#endif
  }
  static const struct { bool ta, tb, pw, f64; const char *name; } layouts[] = {
      {1, 0, 0, 0, "f32 transpose_a"}, {0, 1, 0, 0, "f32 transpose_b"}, {1, 1, 0, 0, "f32 transpose_a+b"},
      {0, 0, 1, 0, "f32 pairwise"}, {1, 1, 1, 0, "f32 pairwise transpose_a+b"}, {0, 0, 0, 1, "f64"},
      {0, 1, 0, 1, "f64 transpose_b"}, {0, 0, 1, 1, "f64 pairwise"},
  };
  mm_side plain = mm_make(512, false, false, false, false);
  for (size_t i = 0; i < sizeof layouts / sizeof *layouts; i++) {
    snprintf(what, sizeof what, "matmul 512^2 %s vs plain f32", layouts[i].name);
    if (!want(what)) continue;
    mm_side s = mm_make(512, layouts[i].ta, layouts[i].tb, layouts[i].pw, layouts[i].f64);
    row(what, ratio(mm_run, &s, mm_run, &plain), 0.5,
        layouts[i].f64 ? "f64: half the lanes per vector, about 0.5 at most" : "");
    mm_free(&s);
  }
  mm_side two = plain, one = plain;
  two.threads = 2;
  one.wall = true;
  if (want("matmul f32 512^2, 2 threads vs 1")) {
    helper_start();
    row("matmul f32 512^2, 2 threads vs 1", ratio_n(mm_run, &two, mm_run, &one, REPS_2T), 1.8,
        "rows split in halves, pinned polling helper thread, best of 41");
    helper_stop();
  }
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

typedef struct fill_part {
  const fill_side *s;
  int64_t g0, g1;
} fill_part;

static void fill_part_run(void *arg) {
  const fill_part *p = arg;
  sf_fill_f32(p->s->dist, p->s->base, p->s->out, p->s->n, p->g0, p->g1);
}

static double fill_run(void *ctx) {
  const fill_side *s = ctx;
  int64_t groups = sf_dist_groups(s->n, 0);
  double (*clock)(void) = s->threads == 1 && !s->wall ? now_s : wall_s, t0 = clock();
  if (s->threads == 1) {
    fill_part_run(&(fill_part){s, 0, groups});
  } else {
    fill_part p[2] = {{s, 0, groups / 2}, {s, groups / 2, groups}};
    helper_halves(fill_part_run, &p[0], &p[1]);
  }
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
  static const char note[] = "pinned polling helper thread, best of 41";
  if (want("fill thread start latency")) start_latency_row();
  helper_start();
  if (want("uniform f32 1e7, 2 threads vs 1"))
    row("uniform f32 1e7, 2 threads vs 1", ratio_n(fill_run, &u2, fill_run, &u1, REPS_2T), 1.8, note);
  if (want("normal f32 1e6, 2 threads vs 1"))
    row("normal f32 1e6, 2 threads vs 1", ratio_n(fill_run, &n2, fill_run, &n1, REPS_2T), 1.8, note);
  helper_stop();
  free(buf);
}

int main(int argc, char **argv) {
  only = argc > 1 ? argv[1] : NULL;
  double load[3] = {0};
  FILE *f = fopen("/proc/loadavg", "r");
  if (!f || fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3) load[0] = -1;
  if (f) fclose(f);
  printf("seedflow performance, ratios = anchor time / seedflow time, best of %d, sides interleaved;\n"
         "times are thread CPU time (wall time for the 2-thread rows)\n", REPS);
  printf("load average %.2f %.2f %.2f; matmul kernels: %s\n", load[0], load[1], load[2],
         sf_matmul_isa_name(sf_matmul_isa_supported(SF_MM_AVX512) ? SF_MM_AVX512
                            : sf_matmul_isa_supported(SF_MM_AVX2) ? SF_MM_AVX2 : SF_MM_BASELINE));
  printf("%-52s %8s %8s  %-4s %s\n", "measure", "value", "target", "", "note");
  signal(SIGPIPE, SIG_IGN);
  matmul_rows();
  fill_rows();
  return 0;
}
