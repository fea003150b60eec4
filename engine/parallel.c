/* parallel.c — the parallel executor: ready nodes run on libuv's thread pool
 * (uv_queue_work) with at most `threads` in flight; readiness is an atomic count of
 * pending inputs; the loop thread owns completion (values, successors, the trace), as TF's
 * executor does (common_runtime/executor.cc). Kernels touching shared state take a lock.
 * The pool's size is the embedding program's to set (UV_THREADPOOL_SIZE, see run.h):
 * a library does not change its process's environment. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "exec.h"
#include "ir.h"

/* One worker lane: the trace's tid. At most one node per lane is in flight, so a lane's
 * slices never overlap (Perfetto requires that per thread). */
typedef struct lane {
  uv_work_t req;
  struct prun *run;
  sf_exec_step step;
  sf_error err;
  int index;
} lane;

typedef struct prun {
  uv_loop_t loop;
  sf_exec *x;
  uv_mutex_t lock;          /* shared streams and variables: the update is atomic, the order is not */
  int *off, *succ;          /* successors (data and control edges) in CSR form */
  atomic_int *pending;      /* inputs not yet complete, per id */
  int *pos;                 /* schedule position per id: the dispatch priority */
  int *heap, nheap;         /* ready ids, smallest position first */
  lane *lanes;
  int *free_lanes, nfree;
  int done;
  bool failed;
  sf_error *err;
} prun;

/* ---- ready heap (min schedule position) ---- */

static void heap_push(prun *r, int id) {
  int i = r->nheap++;
  while (i && r->pos[id] < r->pos[r->heap[(i - 1) / 2]]) r->heap[i] = r->heap[(i - 1) / 2], i = (i - 1) / 2;
  r->heap[i] = id;
}

static int heap_pop(prun *r) {
  int top = r->heap[0], last = r->heap[--r->nheap], i = 0;
  for (;;) {
    int c = 2 * i + 1;
    if (c >= r->nheap) break;
    if (c + 1 < r->nheap && r->pos[r->heap[c + 1]] < r->pos[r->heap[c]]) c++;
    if (r->pos[r->heap[c]] >= r->pos[last]) break;
    r->heap[i] = r->heap[c];
    i = c;
  }
  if (r->nheap) r->heap[i] = last;
  return top;
}

/* ---- setup ---- */

static bool build(prun *r) {
  const sf_ir *ir = r->x->ir;
  size_t n1 = (size_t)ir->n + 2, edges = 0;
  r->off = calloc(n1, sizeof *r->off);
  r->pending = calloc(n1, sizeof *r->pending);
  r->pos = calloc(n1, sizeof *r->pos);
  r->heap = malloc(n1 * sizeof *r->heap);
  if (!r->off || !r->pending || !r->pos || !r->heap) return false;
  for (int i = 0; i < ir->norder; i++) {
    const sf_node *n = ir->nodes[ir->order[i] - 1];
    r->pos[n->id] = i;
    atomic_init(&r->pending[n->id], n->ninputs + n->nctrl);
    edges += (size_t)(n->ninputs + n->nctrl);
    for (int k = 0; k < n->ninputs + n->nctrl; k++) r->off[sf_ir_edge(n, k) + 1]++;
  }
  for (int id = 1; id <= ir->n + 1; id++) r->off[id] += r->off[id - 1];
  r->succ = malloc((edges ? edges : 1) * sizeof *r->succ);
  int *fill = malloc(n1 * sizeof *fill);
  if (!r->succ || !fill) return free(fill), false;
  memcpy(fill, r->off, n1 * sizeof *fill);
  for (int i = 0; i < ir->norder; i++) {
    const sf_node *n = ir->nodes[ir->order[i] - 1];
    for (int k = 0; k < n->ninputs + n->nctrl; k++) r->succ[fill[sf_ir_edge(n, k)]++] = n->id;
  }
  free(fill);
  for (int i = 0; i < ir->norder; i++)
    if (atomic_load_explicit(&r->pending[ir->order[i]], memory_order_relaxed) == 0) heap_push(r, ir->order[i]);
  return true;
}

static bool make_lanes(prun *r) {
  int t = r->x->threads;
  r->lanes = calloc((size_t)t, sizeof *r->lanes);
  r->free_lanes = malloc((size_t)t * sizeof *r->free_lanes);
  if (!r->lanes || !r->free_lanes) return false;
  for (int i = 0; i < t; i++) {
    r->lanes[i].run = r;
    r->lanes[i].index = i;
    r->free_lanes[r->nfree++] = t - 1 - i; /* lane 0 is taken first */
  }
  return true;
}

/* ---- running ---- */

static void complete(prun *r, int id) {
  r->done++;
  for (int e = r->off[id]; e < r->off[id + 1]; e++)
    if (atomic_fetch_sub_explicit(&r->pending[r->succ[e]], 1, memory_order_acq_rel) == 1) heap_push(r, r->succ[e]);
}

static void fail(prun *r, const sf_error *e) {
  if (!r->failed && e != r->err) *r->err = *e;
  r->failed = true;
}

static void work_cb(uv_work_t *req) {
  lane *l = req->data;
  bool locked = sf_exec_needs_lock(l->step.node);
  if (locked) uv_mutex_lock(&l->run->lock);
  sf_exec_run_step(l->run->x, &l->step);
  if (locked) uv_mutex_unlock(&l->run->lock);
}

static void dispatch(prun *r);

static void after_cb(uv_work_t *req, int status) {
  (void)status;
  lane *l = req->data;
  prun *r = l->run;
  r->free_lanes[r->nfree++] = l->index;
  if (l->step.st != SF_OK) {
    fail(r, &l->err);
    sf_tensor_unref(l->step.out);
  } else if (sf_exec_finish(r->x, &l->step, r->err) != SF_OK) {
    r->failed = true;
  } else {
    complete(r, l->step.node->id);
  }
  dispatch(r);
}

/* TF's executor runs inexpensive kernels inline instead of on the pool (executor.cc,
 * OpKernel::IsExpensive): here stateless ops with small outputs, on the loop thread,
 * recorded as worker `threads`. Stateful ops always go to the pool, where they may race. */
static bool inexpensive(const sf_node *n) {
  if (n->op->flags & SF_OPF_STATEFUL) return false;
  if (n->op->flags & SF_OPF_EXPENSIVE) return false;
  int64_t elements = 1;
  for (int d = 0; n->shape_known && d < n->shape.rank; d++) elements *= n->shape.dims[d];
  return n->value || (n->shape_known && elements <= 1024);
}

static void run_inline(prun *r, int id) {
  sf_exec_step step = {.err = r->err, .worker = r->x->threads};
  bool skip;
  if (sf_exec_prepare(r->x, id, &step, &skip, r->err) != SF_OK) {
    r->failed = true;
    return;
  }
  if (!skip) {
    step.worker = r->x->threads;
    sf_exec_run_step(r->x, &step);
    if (step.st != SF_OK || sf_exec_finish(r->x, &step, r->err) != SF_OK) {
      sf_tensor_unref(step.st != SF_OK ? step.out : NULL);
      r->failed = true;
      return;
    }
  }
  complete(r, id);
}

static void queue(prun *r, int id) {
  lane *l = &r->lanes[r->free_lanes[r->nfree - 1]];
  bool skip;
  if (sf_exec_prepare(r->x, id, &l->step, &skip, r->err) != SF_OK) {
    r->failed = true;
    return;
  }
  if (skip) {
    complete(r, id);
    return;
  }
  r->nfree--;
  l->step.err = &l->err;
  l->step.worker = l->index;
  l->req.data = l;
  if (uv_queue_work(&r->loop, &l->req, work_cb, after_cb) != 0) {
    r->free_lanes[r->nfree++] = l->index;
    fail(r, &(sf_error){.code = SF_EINTERNAL, .msg = "cannot queue work on libuv's thread pool"});
  }
}

static void dispatch(prun *r) {
  while (!r->failed && r->nheap) {
    const sf_node *top = r->x->ir->nodes[r->heap[0] - 1];
    if (inexpensive(top)) run_inline(r, heap_pop(r));
    else if (r->nfree) queue(r, heap_pop(r));
    else break;
  }
}

static void release(prun *r) {
  free(r->off);
  free(r->succ);
  free(r->pending);
  free(r->pos);
  free(r->heap);
  free(r->lanes);
  free(r->free_lanes);
}

sf_status sf_exec_parallel(sf_exec *x, sf_error *err) {
  prun r = {.x = x, .err = err};
  if (!build(&r) || !make_lanes(&r)) {
    release(&r);
    return sf_error_set(err, SF_ENOMEM, "out of memory");
  }
  if (uv_mutex_init(&r.lock) != 0) {
    release(&r);
    return sf_error_set(err, SF_EINTERNAL, "cannot create the executor's lock");
  }
  if (uv_loop_init(&r.loop) != 0) {
    uv_mutex_destroy(&r.lock);
    release(&r);
    return sf_error_set(err, SF_EINTERNAL, "cannot start a libuv loop");
  }
  dispatch(&r);
  uv_run(&r.loop, UV_RUN_DEFAULT);
  uv_loop_close(&r.loop);
  uv_mutex_destroy(&r.lock);
  sf_status st = r.failed ? err->code : SF_OK;
  if (st == SF_OK && r.done != x->ir->norder)
    st = sf_error_set(err, SF_EINTERNAL, "executor stopped after %d of %d nodes", r.done, x->ir->norder);
  release(&r);
  return st;
}
