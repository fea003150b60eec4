/* trace_chrome.c — a trace as Chrome / Perfetto trace-event JSON (conventions §3.4): one
 * "X" event per op execution, a pid per mode, a tid per executor worker, RNG provenance
 * in args. Logical clock by default (byte-stable golden files), uv_hrtime when recorded. */
#include <inttypes.h>
#include <string.h>

#include "trace_internal.h"

enum { LOGICAL_US = 10 };  /* width of one op on the logical clock, in microseconds */

static void json_str(FILE *f, const char *s) {
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    if (*p == '"' || *p == '\\') fprintf(f, "\\%c", *p);
    else if (*p < 0x20) fprintf(f, "\\u%04x", *p);
    else fputc(*p, f);
  }
  fputc('"', f);
}

static int pid_of(const sf_trace *t) { return (int)t->mode + 1; }

static uint64_t first_start(const sf_trace *t) {
  uint64_t m = UINT64_MAX;
  for (int i = 0; i < t->nops; i++)
    if (t->ops[i].start_ns && t->ops[i].start_ns < m) m = t->ops[i].start_ns;
  return m == UINT64_MAX ? 0 : m;
}

static void metadata(const sf_trace *t, FILE *f) {
  fprintf(f, "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":%d,\"tid\":0,\"args\":{\"name\":", pid_of(t));
  json_str(f, sf_mode_name(t->mode));
  fputs("}}", f);
  int maxw = 0;
  for (int i = 0; i < t->nops; i++)
    if (t->ops[i].worker > maxw) maxw = t->ops[i].worker;
  for (int w = 0; w <= maxw; w++)
    fprintf(f, ",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":%d,\"tid\":%d,\"args\":{\"name\":\"worker %d\"}}",
            pid_of(t), w, w);
}

static void rng_args(FILE *f, const sf_rng_record *r) {
  fprintf(f, ",\"seed\":%" PRId64 ",\"seed2\":%" PRId64 ",\"seed_source\":", r->seed, r->seed2);
  json_str(f, sf_seed_source_name(r->seed_source));
  fputs(",\"seed2_source\":", f);
  json_str(f, sf_seed_source_name(r->seed2_source));
  /* The field names and encodings of docs/json-schema.md: counter and key as arrays of
   * integers, counter_blocks (blocks for Philox, values for MT19937). */
  if (r->stream == SF_STREAM_MT19937) {
    fprintf(f, ",\"stream\":\"mt19937\",\"mt_position\":%" PRIu64 ",\"counter_blocks\":%" PRIu64, r->mt_position,
            r->blocks);
    return;
  }
  fprintf(f, ",\"stream\":\"philox\",\"key\":[%" PRIu32 ",%" PRIu32 "],\"counter\":[%" PRIu32 ",%" PRIu32 ",%" PRIu32
             ",%" PRIu32 "],\"counter_blocks\":%" PRIu64,
          r->key[0], r->key[1], r->counter[0], r->counter[1], r->counter[2], r->counter[3], r->blocks);
  if (r->generator >= 0) fprintf(f, ",\"generator\":%d", r->generator);
}

static void op_event(const sf_trace *t, const sf_trace_op *o, uint64_t t0, FILE *f) {
  fputs(",\n{\"name\":", f);
  json_str(f, o->name);
  fprintf(f, ",\"cat\":\"%s\",\"ph\":\"X\",", o->rng.present ? "random" : "op");
  if (t->wall_clock)
    fprintf(f, "\"ts\":%.3f,\"dur\":%.3f", (double)(o->start_ns - t0) / 1e3, (double)o->dur_ns / 1e3);
  else
    fprintf(f, "\"ts\":%d,\"dur\":%d", o->order * LOGICAL_US, LOGICAL_US);
  fprintf(f, ",\"pid\":%d,\"tid\":%d,\"args\":{\"op\":", pid_of(t), o->worker);
  json_str(f, o->op);
  fprintf(f, ",\"node\":%d,\"graph\":%d,\"schedule_slot\":%d,\"line\":%d", o->node, o->graph, o->order + 1, o->line);
  if (o->rng.present) rng_args(f, &o->rng);
  fputs("}}", f);
}

/* A note is an instant event where its run began. */
static void note_event(const sf_trace *t, const sf_trace_note *n, uint64_t t0, FILE *f) {
  double ts = (double)n->order * LOGICAL_US;
  if (t->wall_clock) { /* the first record at or after its order (records may be summarised) */
    int lo = 0, hi = t->nops;
    while (lo < hi) {
      int mid = lo + (hi - lo) / 2;
      if (t->ops[mid].order < n->order) lo = mid + 1;
      else hi = mid;
    }
    ts = lo < t->nops ? (double)(t->ops[lo].start_ns - t0) / 1e3 : 0;
  }
  fputs(",\n{\"name\":", f);
  json_str(f, n->pass);
  fprintf(f, ",\"cat\":\"note\",\"ph\":\"i\",\"s\":\"p\",\"ts\":%.3f,\"pid\":%d,\"tid\":0,\"args\":{\"node\":%d,"
             "\"graph\":%d,\"text\":",
          ts, pid_of(t), n->node, n->graph);
  json_str(f, n->text);
  fputs("}}", f);
}

int sf_trace_write_chrome(const sf_trace *t, FILE *f) {
  uint64_t t0 = t->wall_clock ? first_start(t) : 0;
  fprintf(f, "{\"displayTimeUnit\":\"ms\",\"otherData\":{\"generator\":\"seedflow\",\"clock\":\"%s\",\"profile\":",
          t->wall_clock ? "wall" : "logical");
  json_str(f, sf_profile_name(t->profile));
  if (t->summarised) fprintf(f, ",\"summarised_ops\":%d", t->summarised); /* ops counted, not recorded */
  fputs("},\n\"traceEvents\":[\n", f);
  metadata(t, f);
  for (int i = 0; i < t->nops; i++) op_event(t, &t->ops[i], t0, f);
  for (int i = 0; i < t->nnotes; i++) note_event(t, &t->notes[i], t0, f);
  fputs("\n]}\n", f);
  return ferror(f) ? -1 : 0;
}
