/* value.c — the object model of value.h: allocation and reclamation, strings, lists,
 * insertion-ordered hash tables for dicts and sets, Python's equality, ordering, hashing,
 * truthiness, and str()/repr() text (floats in CPython's shortest round-trip form). */
#include "value.h"
#include "py.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- allocation ---- */

/* The heap of the run executing on this thread (sf_run runs a program on one thread). */
static _Thread_local sf_heap *current_heap;

void sf_heap_enter(sf_heap *heap) { current_heap = heap; }

bool sf_heap_charge(int64_t delta) {
  sf_heap *h = current_heap;
  if (!h) return true;
  if (h->budget) { /* one budget for Python objects, tensors and the trace */
    if (delta > 0 && !sf_budget_charge(h->budget, delta)) return h->over = true, false;
    if (delta < 0) sf_budget_add(h->budget, delta);
  } else if (delta > 0 && h->limit && h->bytes + delta > h->limit) {
    return h->over = true, false;
  }
  h->bytes += delta;
  return true;
}

void *sf_obj_alloc(sf_otype t, size_t size) {
  if (!sf_heap_charge((int64_t)size)) return NULL;
  sf_obj *o = calloc(1, size);
  if (!o) sf_heap_charge(-(int64_t)size);
  if (o) {
    o->rc = 1;
    o->t = t;
    if (current_heap) {
      o->next = current_heap->head;
      if (o->next) o->next->prev = o;
      current_heap->head = o;
    }
  }
  return o;
}

static void unlink_obj(sf_obj *o) {
  if (!current_heap) return;
  if (o->prev) o->prev->next = o->next;
  else if (current_heap->head == o) current_heap->head = o->next;
  if (o->next) o->next->prev = o->prev;
  o->prev = o->next = NULL;
}

static void drop_items(sf_val *v, int64_t n) {
  for (int64_t i = 0; v && i < n; i++) sf_val_drop(&v[i]);
}

static void drop_ptr(void *pp) {  /* drops the object *pp points to and clears *pp */
  sf_obj **p = pp;
  sf_obj *o = *p;
  *p = NULL;
  if (o) {
    sf_val v = sf_obj_val(o);
    sf_val_drop(&v);
  }
}

/* What a dict entry costs: the entry and about two index slots. */
#define DENTRY_BYTES ((int64_t)(sizeof(sf_dentry) + 2 * sizeof(int64_t)))

/* ---- a set's CPython table (Objects/setobject.c, 3.11): it decides the order a set is
 * iterated and printed in; membership is the dict machinery's ---- */

enum { SET_MINSIZE = 8, LINEAR_PROBES = 9, PERTURB_SHIFT = 5, SLOT_EMPTY = -1, SLOT_DUMMY = -2 };

static void set_table_free(sf_dict *d) {
  if (d->slot) sf_heap_charge(-(d->smask + 1) * 2 * (int64_t)sizeof(int64_t));
  free(d->slot);
  free(d->shash);
  d->slot = d->shash = NULL;
  d->smask = d->sfill = 0;
}

static bool set_table_new(int64_t size, int64_t **slot, int64_t **shash) {
  if (!sf_heap_charge(size * 2 * (int64_t)sizeof(int64_t))) return false;
  *slot = malloc((size_t)size * sizeof **slot);
  *shash = malloc((size_t)size * sizeof **shash);
  if (!*slot || !*shash) {
    free(*slot);
    free(*shash);
    sf_heap_charge(-size * 2 * (int64_t)sizeof(int64_t));
    return false;
  }
  for (int64_t i = 0; i < size; i++) (*slot)[i] = SLOT_EMPTY, (*shash)[i] = 0;
  return true;
}

/* An empty set's table: PySet_MINSIZE slots. */
static bool set_table_ready(sf_dict *d) {
  if (d->slot) return true;
  if (!set_table_new(SET_MINSIZE, &d->slot, &d->shash)) return false;
  d->smask = SET_MINSIZE - 1;
  d->sfill = 0;
  return true;
}

/* set_insert_clean: an entry known absent, into a table without dummies. */
static void set_insert_clean(int64_t *slot, int64_t *shash, uint64_t mask, int64_t entry, int64_t hash) {
  uint64_t perturb = (uint64_t)hash, i = (uint64_t)hash & mask, j = i;
  for (;;) {
    j = i;
    if (slot[j] == SLOT_EMPTY) break;
    bool found = false;
    if (i + LINEAR_PROBES <= mask)
      for (int k = 0; k < LINEAR_PROBES && !found; k++) found = slot[++j] == SLOT_EMPTY;
    if (found) break;
    perturb >>= PERTURB_SHIFT;
    i = (i * 5 + 1 + perturb) & mask;
  }
  slot[j] = entry;
  shash[j] = hash;
}

/* set_table_resize: the smallest power of two above minused, the active entries reinserted
 * in slot order. */
static bool set_table_resize(sf_dict *d, int64_t minused) {
  int64_t size = SET_MINSIZE, *slot, *shash, fill = 0;
  while (size <= minused) size <<= 1;
  if (!set_table_new(size, &slot, &shash)) return false;
  for (int64_t i = 0; d->slot && i <= d->smask; i++)
    if (d->slot[i] >= 0) set_insert_clean(slot, shash, (uint64_t)size - 1, d->slot[i], d->shash[i]), fill++;
  set_table_free(d);
  d->slot = slot;
  d->shash = shash;
  d->smask = size - 1;
  d->sfill = fill;
  return true;
}

/* set_add_entry for a key the set does not hold: the first empty slot on its probe path
 * (LINEAR_PROBES neighbours, then perturbed jumps), or the last dummy before it; a table
 * past 3/5 full grows to 4x its entries (2x past 50000). */
static bool set_table_add(sf_dict *d, int64_t entry, int64_t hash) {
  if (!set_table_ready(d)) return false;
  uint64_t mask = (uint64_t)d->smask, perturb = (uint64_t)hash, i = (uint64_t)hash & mask, j;
  int64_t freeslot = -1;
  for (;;) {
    j = i;
    int probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
    bool empty = false;
    do {
      if (d->slot[j] == SLOT_EMPTY) {
        empty = true;
        break;
      }
      if (d->slot[j] == SLOT_DUMMY) freeslot = (int64_t)j; /* the last dummy on the way */
      j++;
    } while (probes--);
    if (empty) break;
    perturb >>= PERTURB_SHIFT;
    i = (i * 5 + 1 + perturb) & mask;
  }
  if (freeslot >= 0) {
    d->slot[freeslot] = entry;
    d->shash[freeslot] = hash;
    return true;
  }
  d->slot[j] = entry;
  d->shash[j] = hash;
  d->sfill++;
  if ((uint64_t)d->sfill * 5 < mask * 3 || set_table_resize(d, d->n > 50000 ? d->n * 2 : d->n * 4)) return true;
  d->slot[j] = SLOT_EMPTY; /* out of memory: the caller takes the entry back, the slot goes too */
  d->shash[j] = 0;
  d->sfill--;
  return false;
}

/* set_discard_entry: the entry's slot becomes a dummy. */
static void set_table_discard(sf_dict *d, int64_t entry, int64_t hash) {
  if (!d->slot) return;
  uint64_t mask = (uint64_t)d->smask, perturb = (uint64_t)hash, i = (uint64_t)hash & mask;
  for (;;) {
    uint64_t j = i;
    int probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
    do {
      if (d->slot[j] == SLOT_EMPTY) return;
      if (d->slot[j] == entry) {
        d->slot[j] = SLOT_DUMMY;
        d->shash[j] = -1;
        return;
      }
      j++;
    } while (probes--);
    perturb >>= PERTURB_SHIFT;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

static void dict_free(sf_dict *d) {
  sf_heap_charge(-d->cap * DENTRY_BYTES);
  sf_dentry *e = d->e;
  int64_t ne = d->ne;
  d->e = NULL;
  d->ne = d->n = d->cap = d->icap = 0;
  free(d->index);
  d->index = NULL;
  set_table_free(d);
  for (int64_t i = 0; i < ne; i++)
    if (e[i].used) {
      sf_val_drop(&e[i].key);
      sf_val_drop(&e[i].value);
    }
  free(e);
}

/* Drops every reference o holds and leaves it empty (freeing it then drops nothing). */
static void clear_refs(sf_obj *o);

/* The bytes sf_obj_alloc charged for o. */
static int64_t obj_size(const sf_obj *o) {
  switch (o->t) {
    case O_STR: return (int64_t)(sizeof(sf_str) + ((const sf_str *)o)->len + 1);
    case O_LIST: case O_TUPLE: return sizeof(sf_list);
    case O_DICT: case O_SET: return sizeof(sf_dict);
    case O_RANGE: return sizeof(sf_range);
    case O_ITER: return sizeof(sf_iter);
    case O_SLICE: return sizeof(sf_slice);
    case O_FUNC: return sizeof(sf_func);
    case O_CLASS: return sizeof(sf_class);
    case O_INST: return sizeof(sf_inst);
    case O_BOUND: return sizeof(sf_bound);
    case O_NATIVE: return sizeof(sf_native);
    case O_MODULE: return sizeof(sf_module);
    case O_SCOPE: return sizeof(sf_scope);
    case O_RANDOM: return sizeof(sf_random);
    case O_DICTVIEW: return sizeof(sf_dictview);
  }
  return 0;
}

void sf_obj_free(sf_obj *o) {
  unlink_obj(o);
  clear_refs(o);
  sf_heap_charge(-obj_size(o));
  free(o);
}

void sf_heap_free_all(sf_heap *heap) {
  sf_heap *saved = current_heap;
  current_heap = heap;
  /* hold every object, empty them all, then let go: only cycles are left at this point */
  for (sf_obj *o = heap->head; o; o = o->next) o->rc++;
  for (sf_obj *o = heap->head; o; o = o->next) clear_refs(o);
  while (heap->head) {
    sf_obj *o = heap->head;
    if (--o->rc == 0) sf_obj_free(o);
    else unlink_obj(o);  /* held from outside the run's objects: not ours to free */
  }
  current_heap = saved == heap ? NULL : saved;
}

static void clear_refs(sf_obj *o) {
  switch (o->t) {
    case O_STR: case O_RANGE: case O_RANDOM: break;
    case O_LIST: case O_TUPLE: {
      sf_list *l = (sf_list *)o;
      sf_val *items = l->items;
      int64_t n = l->n;
      sf_heap_charge(-l->cap * (int64_t)sizeof *items);
      l->items = NULL;
      l->n = l->cap = 0;
      drop_items(items, n);
      free(items);
      break;
    }
    case O_DICT: case O_SET: dict_free((sf_dict *)o); break;
    case O_ITER: { /* (called twice for an object of a cycle at teardown: each field once) */
      sf_iter *x = (sf_iter *)o;
      sf_val_drop(&x->seq);
      for (int k = 0; x->its && k < x->depth; k++) sf_val_drop(&x->its[k]);
      free(x->its);
      x->its = NULL;
      x->depth = 0;
      sf_val_drop(&x->scope);
      sf_val_drop(&x->fn);
      break;
    }
    case O_SLICE: {
      sf_slice *s = (sf_slice *)o;
      sf_val_drop(&s->lo);
      sf_val_drop(&s->hi);
      sf_val_drop(&s->step);
      break;
    }
    case O_FUNC: {
      sf_func *f = (sf_func *)o;
      sf_val *d = f->defaults;
      f->defaults = NULL;
      if (d) drop_items(d, f->def->nparams);
      free(d);
      free(f->has_default);
      f->has_default = NULL;
      drop_ptr(&f->closure);
      drop_ptr(&f->attrs);
      break;
    }
    case O_CLASS: {
      sf_class *c = (sf_class *)o;
      drop_ptr(&c->base);
      drop_ptr(&c->attrs);
      break;
    }
    case O_INST: {
      sf_inst *x = (sf_inst *)o;
      if (x->cls && x->cls->finalize) x->cls->finalize(x);
      drop_ptr(&x->cls);
      drop_ptr(&x->attrs);
      sf_val_drop(&x->args);
      break;
    }
    case O_BOUND:
      sf_val_drop(&((sf_bound *)o)->self);
      sf_val_drop(&((sf_bound *)o)->fn);
      break;
    case O_NATIVE: sf_val_drop(&((sf_native *)o)->self); break;
    case O_DICTVIEW: sf_val_drop(&((sf_dictview *)o)->dict); break;
    case O_MODULE: drop_ptr(&((sf_module *)o)->attrs); break;
    case O_SCOPE: {
      sf_scope *s = (sf_scope *)o;
      sf_binding2 *b = s->b;
      int cap = s->cap;
      s->b = NULL;
      s->cap = s->n = 0;
      for (int i = 0; b && i < cap; i++)
        if (b[i].name && b[i].hash) sf_val_drop(&b[i].v);
      free(b);
      free(s->globals);
      free(s->nonlocals);
      s->globals = s->nonlocals = NULL;
      s->nglobals = s->nnonlocals = 0;
      drop_ptr(&s->parent);
      break;
    }
  }
}

sf_val sf_none(void) { return (sf_val){.kind = V_NONE}; }
sf_val sf_int(int64_t i) { return (sf_val){.kind = V_INT, .i = i}; }
sf_val sf_float(double f) { return (sf_val){.kind = V_FLOAT, .f = f}; }
sf_val sf_bool(bool b) { return (sf_val){.kind = V_BOOL, .b = b}; }

bool sf_str_new(const char *s, size_t n, sf_val *out) {
  sf_str *o = sf_obj_alloc(O_STR, sizeof *o + n + 1);
  if (!o) return false;
  memcpy(o->s, s, n);
  o->s[n] = '\0';
  o->len = n;
  *out = sf_obj_val(o);
  return true;
}

bool sf_str_cstr(const char *s, sf_val *out) { return sf_str_new(s, strlen(s), out); }

size_t sf_utf8_encode(uint32_t c, char out[4]) {
  if (c < 0x80) return out[0] = (char)c, 1;
  if (c < 0x800) return out[0] = (char)(0xC0 | c >> 6), out[1] = (char)(0x80 | (c & 0x3F)), 2;
  if (c < 0x10000) return out[0] = (char)(0xE0 | c >> 12), out[1] = (char)(0x80 | (c >> 6 & 0x3F)), out[2] = (char)(0x80 | (c & 0x3F)), 3;
  out[0] = (char)(0xF0 | c >> 18), out[1] = (char)(0x80 | (c >> 12 & 0x3F));
  out[2] = (char)(0x80 | (c >> 6 & 0x3F)), out[3] = (char)(0x80 | (c & 0x3F));
  return 4;
}

size_t sf_utf8_char(const char *s, size_t n, uint32_t *cp) {
  const unsigned char *u = (const unsigned char *)s;
  size_t k = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC0 ? 2 : 1;
  for (size_t j = 1; j < k; j++)
    if (j >= n || (u[j] & 0xC0) != 0x80) k = 1;
  if (cp) {
    uint32_t c = k == 1 ? u[0] : u[0] & (0x3Fu >> (k - 1));
    for (size_t j = 1; j < k; j++) c = c << 6 | (u[j] & 0x3Fu);
    *cp = c;
  }
  return k;
}

int64_t sf_utf8_count(const char *s, size_t n) {
  int64_t c = 0;
  for (size_t i = 0; i < n; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
  return c;
}

bool sf_list_new(sf_otype t, int64_t n, sf_val *out) {
  sf_list *l = sf_obj_alloc(t, sizeof *l);
  if (!l) return false;
  l->cap = n > 4 ? n : 4;
  if (!sf_heap_charge(l->cap * (int64_t)sizeof *l->items)) return sf_obj_free(&l->h), false;
  l->items = calloc((size_t)l->cap, sizeof *l->items);
  if (!l->items) return sf_obj_free(&l->h), false;
  l->n = n;
  *out = sf_obj_val(l);
  return true;
}

bool sf_list_append(sf_list *l, const sf_val *at) {
  const sf_val copy = *at, *v = &copy; /* at may be one of l's own items, which realloc moves */
  if (l->n == l->cap) {
    int64_t nc = l->cap * 2;
    if (!sf_heap_charge((nc - l->cap) * (int64_t)sizeof *l->items)) return false;
    sf_val *ni = realloc(l->items, (size_t)nc * sizeof *ni);
    if (!ni) return false;
    l->items = ni;
    l->cap = nc;
  }
  l->items[l->n++] = *v;
  sf_val_ref(v);
  return true;
}

/* ---- hashing and dicts ---- */

static uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h ? h : 1;
}

static uint64_t hash_bytes(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ULL;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
  return h ? h : 1;
}

bool sf_hash(const sf_val *v, uint64_t *h) {
  switch (v->kind) {
    case V_NONE: *h = mix(0x9e37); return true;
    case V_ELLIPSIS: *h = mix(0x9e38); return true;
    case V_BOOL: *h = mix((uint64_t)v->b); return true;
    case V_INT: *h = mix((uint64_t)v->i); return true;
    case V_FLOAT:
      /* equal numbers hash alike: 1.0 == 1 */
      if (v->f == floor(v->f) && fabs(v->f) < 9.2e18) *h = mix((uint64_t)(int64_t)v->f);
      else { uint64_t b; memcpy(&b, &v->f, 8); *h = mix(b); }
      return true;
    case V_DTYPE: *h = mix(0xd7 + (uint64_t)v->dtype + (v->b ? 0x100 : 0)); return true;
    case V_TENSOR: *h = mix(((uint64_t)(uintptr_t)v->g) ^ (uint64_t)v->node * 31); return true;
    case V_OBJ: break;
    default: *h = mix((uint64_t)v->kind * 7919 + (uint64_t)v->index); return true;
  }
  switch (v->o->t) {
    case O_STR: {
      sf_str *s = (sf_str *)v->o;
      if (!s->hash) s->hash = hash_bytes(s->s, s->len);
      *h = s->hash;
      return true;
    }
    case O_TUPLE: {
      sf_list *l = (sf_list *)v->o;
      uint64_t acc = 0x345678;
      for (int64_t i = 0; i < l->n; i++) {
        uint64_t x;
        if (!sf_hash(&l->items[i], &x)) return false;
        acc = mix(acc * 1000003 ^ x);
      }
      *h = acc;
      return true;
    }
    case O_LIST: case O_DICT: case O_SET: case O_SLICE: case O_DICTVIEW: return false;
    case O_INST: /* a class's own __hash__ is not called here: its instances are unhashable */
      if (sf_inst_hash_rule(v) != SF_HASH_IDENTITY) return false;
      /* fall through */
    default: *h = mix((uint64_t)(uintptr_t)v->o); return true;
  }
}

/* CPython 3.11's hash() of numbers (Python/pyhash.c, Objects/longobject.c: the value mod
 * 2**61 - 1, signed, -1 taken as -2; equal numbers hash alike) and of tuples of them
 * (Objects/tupleobject.c tuplehash, xxHash's lanes). A str's is salted per process
 * (PYTHONHASHSEED), None's and an object's come from its address: any fixed value is one
 * CPython could print, so seedflow's own hash, made non-negative, stands for them. */
enum { HASH_BITS = 61 };
static const uint64_t HASH_MOD = ((uint64_t)1 << HASH_BITS) - 1;

static int64_t hash_fix(uint64_t x) { return x == (uint64_t)-1 ? -2 : (int64_t)x; }

static int64_t hash_int(int64_t v) {
  uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  m %= HASH_MOD;
  return hash_fix(v < 0 ? (uint64_t)0 - m : m);
}

static int64_t hash_double(double v) {
  if (isinf(v)) return v > 0 ? 314159 : -314159;
  int e;
  double m = frexp(v, &e);
  int sign = 1;
  if (m < 0) sign = -1, m = -m;
  uint64_t x = 0;
  while (m != 0) { /* 28 bits at a time */
    x = ((x << 28) & HASH_MOD) | x >> (HASH_BITS - 28);
    m *= 268435456.0;
    e -= 28;
    uint64_t y = (uint64_t)m;
    m -= (double)y;
    x += y;
    if (x >= HASH_MOD) x -= HASH_MOD;
  }
  e = e >= 0 ? e % HASH_BITS : HASH_BITS - 1 - ((-1 - e) % HASH_BITS);
  x = ((x << e) & HASH_MOD) | x >> (HASH_BITS - e);
  return hash_fix(x * (uint64_t)(int64_t)sign);
}

bool sf_py_hash(const sf_val *v, int64_t *out) {
  uint64_t h;
  if (!sf_hash(v, &h)) return false;
  if (v->kind == V_INT || v->kind == V_BOOL) return *out = hash_int(v->kind == V_INT ? v->i : v->b), true;
  if (v->kind == V_FLOAT && !isnan(v->f)) {
    double f = v->f;
    return *out = f == floor(f) && fabs(f) < 9.2e18 ? hash_int((int64_t)f) : hash_double(f), true;
  }
  if (sf_is(v, O_TUPLE)) {
    const uint64_t p1 = 11400714785074694791ULL, p2 = 14029467366897019727ULL, p5 = 2870177450012600261ULL;
    const sf_list *t = SF_LIST(v);
    uint64_t acc = p5;
    for (int64_t i = 0; i < t->n; i++) {
      int64_t lane;
      if (!sf_py_hash(&t->items[i], &lane)) return false;
      acc += (uint64_t)lane * p2;
      acc = acc << 31 | acc >> 33;
      acc *= p1;
    }
    acc += (uint64_t)t->n ^ (p5 ^ 3527539UL);
    return *out = acc == (uint64_t)-1 ? 1546275796 : (int64_t)acc, true;
  }
  return *out = (int64_t)(h >> 2), true;
}

static bool dict_rehash(sf_dict *d, int64_t icap) {
  int64_t *ix = malloc((size_t)icap * sizeof *ix), *moved = d->slot ? malloc((size_t)(d->ne ? d->ne : 1) * sizeof *moved) : NULL;
  if (!ix || (d->slot && !moved)) return free(ix), free(moved), false;
  for (int64_t i = 0; i < icap; i++) ix[i] = -1;
  /* compact deleted entries away (a set's table follows them) */
  int64_t m = 0;
  for (int64_t i = 0; i < d->ne; i++) {
    if (moved) moved[i] = d->e[i].used ? m : -1;
    if (d->e[i].used) d->e[m++] = d->e[i];
  }
  for (int64_t i = 0; moved && i <= d->smask; i++)
    if (d->slot[i] >= 0) d->slot[i] = moved[d->slot[i]];
  free(moved);
  d->ne = m;
  for (int64_t i = 0; i < m; i++) {
    uint64_t p = d->e[i].hash & (uint64_t)(icap - 1);
    while (ix[p] >= 0) p = (p + 1) & (uint64_t)(icap - 1);
    ix[p] = i;
  }
  free(d->index);
  d->index = ix;
  d->icap = icap;
  return true;
}

sf_dict *sf_dict_alloc(sf_otype t) { return sf_obj_alloc(t, sizeof(sf_dict)); }

bool sf_dict_new(sf_otype t, sf_val *out) {
  sf_dict *d = sf_dict_alloc(t);
  if (!d) return false;
  *out = sf_obj_val(d);
  return true;
}

/* Index slot of key (hash h) or -1; *free_slot gets the first empty slot on the probe path. */
static int64_t dict_find(sf_dict *d, const sf_val *key, uint64_t h, int64_t *free_slot) {
  if (!d->icap) return *free_slot = -1, -1;
  uint64_t p = h & (uint64_t)(d->icap - 1);
  for (;; p = (p + 1) & (uint64_t)(d->icap - 1)) {
    int64_t i = d->index[p];
    if (i < 0) return *free_slot = (int64_t)p, -1;
    sf_dentry *e = &d->e[i];
    if (e->used && e->hash == h && sf_equal(&e->key, key)) return (int64_t)p;
  }
}

sf_val *sf_dict_get(sf_dict *d, const sf_val *key) {
  uint64_t h;
  int64_t fs;
  if (!sf_hash(key, &h)) return NULL;
  int64_t p = dict_find(d, key, h, &fs);
  return p < 0 ? NULL : &d->e[d->index[p]].value;
}

sf_val *sf_dict_get_str(sf_dict *d, const char *key) {
  sf_str *tmp = malloc(sizeof *tmp + strlen(key) + 1);
  if (!tmp) return NULL;
  tmp->h = (sf_obj){.rc = 1, .t = O_STR};
  tmp->len = strlen(key);
  tmp->hash = 0;
  memcpy(tmp->s, key, tmp->len + 1);
  sf_val k = sf_obj_val(tmp);
  sf_val *r = sf_dict_get(d, &k);
  free(tmp);
  return r;
}

/* key and value are copied first: either may live in d's own entries (d.update(d) sets
 * each value from its own slot; a grown entry array moves them). */
static bool dict_put(sf_dict *d, const sf_val *key_at, const sf_val *value_at, bool table);

bool sf_dict_set(sf_dict *d, const sf_val *key_at, const sf_val *value_at) { return dict_put(d, key_at, value_at, true); }

/* table: a new key of a set goes into its CPython table too (else the caller places it). */
static bool dict_put(sf_dict *d, const sf_val *key_at, const sf_val *value_at, bool table) {
  const sf_val kv = *key_at, vv = *value_at, *key = &kv, *value = &vv;
  uint64_t h;
  int64_t fs;
  if (!sf_hash(key, &h)) return false;
  int64_t p = dict_find(d, key, h, &fs);
  if (p >= 0) {
    sf_val *slot = &d->e[d->index[p]].value;
    sf_val_ref(value);
    sf_val_drop(slot);
    *slot = *value;
    return true;
  }
  if ((d->ne + 1) * 3 >= d->icap * 2) { /* sized by the live entries (holes go): 3 slots each */
    int64_t icap = 8;
    while (icap < d->n * 3) icap *= 2; /* GROWTH_RATE: 3 slots a live entry */
    if (!dict_rehash(d, icap)) return false;
    dict_find(d, key, h, &fs);
  }
  if (d->ne == d->cap) {
    int64_t nc = d->cap ? d->cap * 2 : 8;
    if (!sf_heap_charge((nc - d->cap) * DENTRY_BYTES)) return false;
    sf_dentry *ne = realloc(d->e, (size_t)nc * sizeof *ne);
    if (!ne) return false;
    d->e = ne;
    d->cap = nc;
  }
  sf_dentry *e = &d->e[d->ne];
  e->key = *key;
  e->value = *value;
  e->hash = h;
  e->used = true;
  d->index[fs] = d->ne++;
  d->n++;
  int64_t ph;
  if (table && d->h.t == O_SET && (!sf_py_hash(key, &ph) || !set_table_add(d, d->ne - 1, ph))) {
    d->index[fs] = -1; /* out of memory: as if never added */
    d->ne--;
    d->n--;
    return false;
  }
  sf_val_ref(key);
  sf_val_ref(value);
  return true;
}

const sf_dentry *sf_set_next(const sf_dict *d, int64_t *pos) {
  while (d->slot && *pos <= d->smask && d->slot[*pos] < 0) ++*pos;
  if (!d->slot || *pos > d->smask) return NULL;
  return &d->e[d->slot[(*pos)++]];
}

bool sf_set_merge(sf_dict *so, const sf_dict *other) {
  if (so == other || other->n == 0) return true;
  sf_val none = sf_none();
  if (!set_table_ready(so)) return false;
  if ((so->sfill + other->n) * 5 >= so->smask * 3 && !set_table_resize(so, (so->n + other->n) * 2)) return false;
  if (so->sfill == 0) { /* empty: other's slots copied as they are (same size, no dummies) or reinserted */
    bool same = so->smask == other->smask && other->sfill == other->n;
    for (int64_t i = 0; i <= other->smask; i++) {
      if (other->slot[i] < 0) continue;
      if (!dict_put(so, &other->e[other->slot[i]].key, &none, false)) return false;
      if (same) so->slot[i] = so->ne - 1, so->shash[i] = other->shash[i];
      else set_insert_clean(so->slot, so->shash, (uint64_t)so->smask, so->ne - 1, other->shash[i]);
    }
    so->sfill = other->n;
    return true;
  }
  for (int64_t i = 0; i <= other->smask; i++) /* normal insertions, in other's slot order */
    if (other->slot[i] >= 0 && !sf_dict_set(so, &other->e[other->slot[i]].key, &none)) return false;
  return true;
}

void sf_set_swap(sf_dict *a, sf_dict *b) {
  sf_obj ha = a->h, hb = b->h;
  sf_dict t = *a;
  *a = *b;
  *b = t;
  a->h = ha;
  b->h = hb;
}

bool sf_set_discard_all(sf_dict *so, const sf_dict *other, bool toggle) {
  sf_val none = sf_none();
  int64_t pos = 0;
  bool ok = true;
  for (const sf_dentry *e; ok && (e = sf_set_next(other, &pos));)
    if (!sf_dict_del(so, &e->key) && toggle) ok = sf_dict_set(so, &e->key, &none);
  return ok;
}

bool sf_set_pop(sf_dict *d, sf_val *out) {
  if (d->n == 0 || !d->slot) return false;
  int64_t i = d->finger & d->smask;
  while (d->slot[i] < 0) i = i == d->smask ? 0 : i + 1;
  *out = d->e[d->slot[i]].key;
  sf_val_ref(out);
  sf_dict_del(d, out); /* its slot becomes the dummy */
  d->finger = i + 1;
  return true;
}

bool sf_set_shrink(sf_dict *so) {
  if (!so->slot || so->sfill - so->n <= so->smask / 4) return true;
  return set_table_resize(so, so->n > 50000 ? so->n * 2 : so->n * 4);
}

bool sf_set_reserve(sf_dict *so, int64_t more) {
  if (!set_table_ready(so)) return false;
  return (so->sfill + more) * 5 < so->smask * 3 || set_table_resize(so, (so->n + more) * 2);
}

bool sf_dict_set_str(sf_dict *d, const char *key, const sf_val *value) {
  sf_val k;
  if (!sf_str_cstr(key, &k)) return false;
  bool ok = sf_dict_set(d, &k, value);
  sf_val_drop(&k);
  return ok;
}

bool sf_dict_del(sf_dict *d, const sf_val *key) {
  uint64_t h;
  int64_t fs;
  if (!sf_hash(key, &h)) return false;
  int64_t p = dict_find(d, key, h, &fs);
  if (p < 0) return false;
  sf_dentry *e = &d->e[d->index[p]];
  int64_t ph;
  if (d->h.t == O_SET && sf_py_hash(&e->key, &ph)) set_table_discard(d, d->index[p], ph);
  sf_val_drop(&e->key);
  sf_val_drop(&e->value);
  e->used = false; /* a hole that dict_find probes past, compacted away by the next growth's
                     * rehash (as CPython's DKIX_DUMMY): an iterator's position stays its own */
  d->n--;
  return true;
}

/* ---- Python semantics ---- */

bool sf_is_number(const sf_val *v) { return v->kind == V_INT || v->kind == V_FLOAT || v->kind == V_BOOL; }
double sf_num(const sf_val *v) { return v->kind == V_FLOAT ? v->f : v->kind == V_INT ? (double)v->i : v->b; }

static bool int_like(const sf_val *v) { return v->kind == V_INT || v->kind == V_BOOL; }
static int64_t ival(const sf_val *v) { return v->kind == V_INT ? v->i : v->b; }

const char sf_dimension_tag[] = "Dimension";
const char sf_np_dtype_tag[] = "dtype";

/* The walks of sf_equal and sf_compare into nested containers. A pair of items that are
 * one object is equal without a look inside (PyObject_RichCompareBool's identity test: a
 * list holding itself equals itself); a walk past `limit` levels stops with *deep set. */
static bool equal_in(const sf_val *a, const sf_val *b, int depth, int limit, bool *deep);

static bool item_equal(const sf_val *x, const sf_val *y, int depth, int limit, bool *deep) {
  if (x->kind == V_OBJ && y->kind == V_OBJ && x->o == y->o) return true;
  if (depth >= limit) return *deep = true, false;
  return equal_in(x, y, depth + 1, limit, deep);
}

bool sf_equal(const sf_val *a, const sf_val *b) {
  bool deep = false;
  return equal_in(a, b, 0, SF_NEST_MAX, &deep);
}

bool sf_set_like(const sf_val *v) {
  return sf_is(v, O_SET) || (sf_is(v, O_DICTVIEW) && SF_VIEW(v)->what != SF_VIEW_VALUES);
}

/* Whether set-like s holds the element key, or the pair (key, *value) of an items view. */
static bool setlike_has(const sf_val *s, const sf_val *key, const sf_val *value, int depth, int limit, bool *deep) {
  sf_val pair = {0};
  if (value && !(sf_is(s, O_DICTVIEW) && SF_VIEW(s)->what == SF_VIEW_ITEMS)) { /* a set's or keys' element: a tuple */
    if (!sf_list_new(O_TUPLE, 2, &pair)) return false;
    SF_LIST(&pair)->items[0] = *key, sf_val_ref(key);
    SF_LIST(&pair)->items[1] = *value, sf_val_ref(value);
    key = &pair;
    value = NULL;
  }
  bool has;
  if (sf_is(s, O_SET)) has = sf_dict_get(SF_DICT(s), key) != NULL;
  else if (SF_VIEW(s)->what == SF_VIEW_KEYS) has = sf_dict_get(SF_DICT(&SF_VIEW(s)->dict), key) != NULL;
  else { /* an items view: (k, v) with d[k] == v */
    if (!value && (!sf_is(key, O_TUPLE) || SF_LIST(key)->n != 2)) return sf_val_drop(&pair), false;
    if (!value) value = &SF_LIST(key)->items[1], key = &SF_LIST(key)->items[0];
    uint64_t h;
    const sf_val *w = sf_hash(key, &h) ? sf_dict_get(SF_DICT(&SF_VIEW(s)->dict), key) : NULL;
    has = w && item_equal(w, value, depth, limit, deep);
  }
  sf_val_drop(&pair);
  return has;
}

/* Set equality (dictviews_richcompare, set_richcompare): as many elements, each of a in b. */
static bool setlike_equal(const sf_val *a, const sf_val *b, int depth, int limit, bool *deep) {
  const sf_dict *d = sf_is(a, O_SET) ? SF_DICT(a) : SF_DICT(&SF_VIEW(a)->dict);
  const sf_dict *e = sf_is(b, O_SET) ? SF_DICT(b) : SF_DICT(&SF_VIEW(b)->dict);
  if (d->n != e->n) return false;
  bool items = sf_is(a, O_DICTVIEW) && SF_VIEW(a)->what == SF_VIEW_ITEMS;
  for (int64_t i = 0; i < d->ne; i++)
    if (d->e[i].used && !setlike_has(b, &d->e[i].key, items ? &d->e[i].value : NULL, depth, limit, deep)) return false;
  return true;
}


bool sf_equal_nested(const sf_val *a, const sf_val *b, int limit, bool *deep) {
  *deep = false;
  return equal_in(a, b, 0, limit, deep);
}

/* A NumPy dtype (arr.dtype) == v: v as np.dtype(v) reads it (descriptor.c
 * _convert_from_any), the same dtype or not: a Python type (float is float64, int int64),
 * None (float64), a name or type code ('f8', 'float', '?'); anything else, or a dtype
 * seedflow lacks, is another dtype (NumPy's False for what np.dtype refuses). */
static bool np_dtype_equals(sf_dtype dt, const sf_val *v) {
  static const struct { const char *name; sf_dtype dt; } names[] = {
      {"float32", SF_FLOAT32}, {"f4", SF_FLOAT32}, {"<f4", SF_FLOAT32}, {"=f4", SF_FLOAT32}, {"f", SF_FLOAT32},
      {"single", SF_FLOAT32}, {"float64", SF_FLOAT64}, {"f8", SF_FLOAT64}, {"<f8", SF_FLOAT64}, {"=f8", SF_FLOAT64},
      {"d", SF_FLOAT64}, {"double", SF_FLOAT64}, {"float", SF_FLOAT64}, {"float_", SF_FLOAT64}, {"int32", SF_INT32},
      {"i4", SF_INT32}, {"<i4", SF_INT32}, {"=i4", SF_INT32}, {"i", SF_INT32}, {"intc", SF_INT32}, {"int64", SF_INT64},
      {"i8", SF_INT64}, {"<i8", SF_INT64}, {"=i8", SF_INT64}, {"l", SF_INT64}, {"q", SF_INT64}, {"int", SF_INT64},
      {"int_", SF_INT64}, {"long", SF_INT64}, {"longlong", SF_INT64}, {"bool", SF_BOOL}, {"?", SF_BOOL}, {"b1", SF_BOOL},
      {"bool_", SF_BOOL}, {"bool8", SF_BOOL}, {"uint8", SF_UINT8}, {"u1", SF_UINT8}, {"|u1", SF_UINT8}, {"B", SF_UINT8},
      {"ubyte", SF_UINT8}};
  if (v->kind == V_NONE) return dt == SF_FLOAT64;
  const char *n = v->kind == V_STR ? v->s : sf_is(v, O_STR) ? ((const sf_str *)v->o)->s : NULL;
  if (sf_is(v, O_NATIVE) || sf_is(v, O_CLASS)) { /* the built-in types float, int, bool */
    const char *t = sf_is(v, O_CLASS) ? ((const sf_class *)v->o)->name : ((const sf_native *)v->o)->name;
    return (strcmp(t, "float") == 0 && dt == SF_FLOAT64) || (strcmp(t, "int") == 0 && dt == SF_INT64) ||
           (strcmp(t, "bool") == 0 && dt == SF_BOOL);
  }
  for (size_t i = 0; n && i < sizeof names / sizeof *names; i++)
    if (strcmp(n, names[i].name) == 0) return names[i].dt == dt;
  return false;
}

static bool equal_in(const sf_val *a, const sf_val *b, int depth, int limit, bool *deep) {
  if (sf_is_number(a) && sf_is_number(b)) {
    if (int_like(a) && int_like(b)) return ival(a) == ival(b);
    return sf_num(a) == sf_num(b);
  }
  if (a->kind == V_DTYPE && a->s == sf_np_dtype_tag && b->kind != V_DTYPE) return np_dtype_equals(a->dtype, b);
  if (b->kind == V_DTYPE && b->s == sf_np_dtype_tag && a->kind != V_DTYPE) return np_dtype_equals(b->dtype, a);
  if (a->kind == V_DTYPE && sf_is(b, O_STR)) return strcmp(sf_dtype_name(a->dtype), SF_STR(b)->s) == 0; /* arr.dtype == np.float64 */
  if (b->kind == V_DTYPE && sf_is(a, O_STR)) return strcmp(sf_dtype_name(b->dtype), SF_STR(a)->s) == 0;
  if (a->kind != b->kind) return false;
  if (a->kind == V_OBJ && a->o != b->o && (sf_is(a, O_DICTVIEW) || sf_is(b, O_DICTVIEW)))
    return sf_set_like(a) && sf_set_like(b) && setlike_equal(a, b, depth, limit, deep); /* a values view: only itself */
  switch (a->kind) {
    case V_NONE: case V_ELLIPSIS: return true;
    case V_STR: return strcmp(a->s, b->s) == 0;
    case V_DTYPE: return a->dtype == b->dtype && a->b == b->b; /* float32_ref is not float32 */
    case V_TENSOR: return a->g == b->g && a->node == b->node;
    case V_OBJ: break;
    default: return a->index == b->index && a->s == b->s && a->fn == b->fn;
  }
  if (a->o == b->o) return true;
  if (a->o->t != b->o->t) return false;
  switch (a->o->t) {
    case O_STR: {
      sf_str *x = (sf_str *)a->o, *y = (sf_str *)b->o;
      return x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
    }
    case O_LIST: case O_TUPLE: {
      sf_list *x = (sf_list *)a->o, *y = (sf_list *)b->o;
      if (x->n != y->n) return false;
      for (int64_t i = 0; i < x->n; i++)
        if (!item_equal(&x->items[i], &y->items[i], depth, limit, deep)) return false;
      return true;
    }
    case O_DICT: case O_SET: {
      sf_dict *x = (sf_dict *)a->o, *y = (sf_dict *)b->o;
      if (x->n != y->n) return false;
      for (int64_t i = 0; i < x->ne; i++) {
        if (!x->e[i].used) continue;
        sf_val *w = sf_dict_get(y, &x->e[i].key);
        if (!w || (a->o->t == O_DICT && !item_equal(w, &x->e[i].value, depth, limit, deep))) return false;
      }
      return true;
    }
    case O_RANGE: {
      sf_range *x = (sf_range *)a->o, *y = (sf_range *)b->o;
      return x->start == y->start && x->stop == y->stop && x->step == y->step;
    }
    default: return false;
  }
}

static int compare_in(const sf_val *a, const sf_val *b, bool *ok, int depth, int limit, bool *deep);

int sf_compare(const sf_val *a, const sf_val *b, bool *ok) {
  bool deep = false;
  return compare_in(a, b, ok, 0, SF_NEST_MAX, &deep);
}

int sf_compare_nested(const sf_val *a, const sf_val *b, bool *ok, int limit, bool *deep) {
  *deep = false;
  return compare_in(a, b, ok, 0, limit, deep);
}

/* list_richcompare: the first items that differ decide, else the lengths. */
static int compare_in(const sf_val *a, const sf_val *b, bool *ok, int depth, int limit, bool *deep) {
  *ok = true;
  if (sf_is_number(a) && sf_is_number(b)) {
    if (int_like(a) && int_like(b)) return ival(a) < ival(b) ? -1 : ival(a) > ival(b);
    double x = sf_num(a), y = sf_num(b);
    if (x != x || y != y) return 2;  /* unordered: every comparison false */
    return x < y ? -1 : x > y;
  }
  if (sf_is(a, O_STR) && sf_is(b, O_STR)) {
    int c = strcmp(SF_STR(a)->s, SF_STR(b)->s);
    return c < 0 ? -1 : c > 0;
  }
  if ((sf_is(a, O_LIST) && sf_is(b, O_LIST)) || (sf_is(a, O_TUPLE) && sf_is(b, O_TUPLE))) {
    sf_list *x = SF_LIST(a), *y = SF_LIST(b);
    for (int64_t i = 0; i < x->n && i < y->n; i++) {
      if (item_equal(&x->items[i], &y->items[i], depth, limit, deep)) continue;
      if (*deep) return *ok = false, 0;
      if (depth >= limit) return *deep = true, *ok = false, 0;
      return compare_in(&x->items[i], &y->items[i], ok, depth + 1, limit, deep);
    }
    return x->n < y->n ? -1 : x->n > y->n;
  }
  *ok = false;
  return 0;
}

sf_hash_rule sf_inst_hash_rule(const sf_val *v) {
  if (!sf_is(v, O_INST)) return SF_HASH_IDENTITY;
  for (const sf_class *c = ((const sf_inst *)v->o)->cls; c; c = c->base) {
    if (c->builtin) /* list, dict and set set __hash__ to None; other built-in classes hash by identity */
      return !c->module && (strcmp(c->name, "list") == 0 || strcmp(c->name, "dict") == 0 || strcmp(c->name, "set") == 0)
                 ? SF_HASH_NONE : SF_HASH_IDENTITY;
    const sf_val *h = c->attrs ? sf_dict_get_str(c->attrs, "__hash__") : NULL;
    if (h) return h->kind == V_NONE ? SF_HASH_NONE : SF_HASH_OWN;
    if (c->attrs && sf_dict_get_str(c->attrs, "__eq__")) return SF_HASH_NONE;
  }
  return SF_HASH_IDENTITY;
}

const sf_val *sf_unhashable_item(const sf_val *v) {
  uint64_t h;
  for (int64_t i = 0; sf_is(v, O_TUPLE) && i < SF_LIST(v)->n; i++) /* tuplehash: the first item that fails */
    if (!sf_hash(&SF_LIST(v)->items[i], &h)) return sf_unhashable_item(&SF_LIST(v)->items[i]);
  return v;
}

const char *sf_unhashable_name(const sf_val *v) { return sf_type_name(sf_unhashable_item(v)); }

const char *sf_type_name(const sf_val *v) {
  switch (v->kind) {
    case V_NONE: return "NoneType";
    case V_ELLIPSIS: return "ellipsis";
    case V_BOOL: return v->numpy ? "numpy.bool_" : "bool";
    case V_INT: return v->numpy ? sf_np_type_name(v->dtype) : "int";
    case V_FLOAT: return v->numpy ? sf_np_type_name(v->dtype) : "float";
    case V_STR: return "str";
    case V_LIST: return "list";
    case V_TUPLE: return "tuple";
    case V_TENSOR: return v->numpy ? "numpy.ndarray" : "Tensor";
    case V_DTYPE: return "DType";
    case V_MODULE: return "module";
    case V_BUILTIN: return "builtin_function_or_method";
    case V_GENERATOR: return "Generator";
    case V_METHOD: return "method";
    case V_LAYER: return "Layer";
    case V_MODEL: return "Sequential";
    case V_OPTIMIZER: return "Optimizer";
    case V_LOSS: return "Loss";
    case V_FUNC: return "function";
    case V_OBJ: break;
  }
  switch (v->o->t) {
    case O_STR: return "str";
    case O_LIST: return "list";
    case O_TUPLE: return "tuple";
    case O_DICT: return "dict";
    case O_SET: return "set";
    case O_RANGE: return "range";
    case O_ITER: { /* CPython 3.11's names of its iterators */
      const sf_iter *x = (const sf_iter *)v->o;
      if (x->gen) return "generator";
      if (x->cls) return x->cls->name;
      if (x->lazy || x->seq.kind != V_OBJ) return "iterator";
      switch (x->seq.o->t) {
        case O_LIST: return "list_iterator";
        case O_TUPLE: return "tuple_iterator";
        case O_STR: {
          const sf_str *s = (const sf_str *)x->seq.o;
          for (size_t i = 0; i < s->len; i++)
            if ((unsigned char)s->s[i] >= 0x80) return "str_iterator";
          return "str_ascii_iterator";
        }
        case O_RANGE: return "range_iterator";
        case O_DICT: return "dict_keyiterator";
        case O_SET: return "set_iterator";
        case O_DICTVIEW: {
          static const char *const names[] = {"dict_keyiterator", "dict_valueiterator", "dict_itemiterator"};
          return names[SF_VIEW(&x->seq)->what];
        }
        default: return "iterator";
      }
    }
    case O_SLICE: return "slice";
    case O_FUNC: return "function";
    case O_CLASS: return "type";
    case O_INST: return ((sf_inst *)v->o)->cls->name;
    case O_BOUND: return "method";
    case O_NATIVE: return "builtin_function_or_method";
    case O_MODULE: return "module";
    case O_SCOPE: return "scope";
    case O_RANDOM: return "Random";
    case O_DICTVIEW: {
      static const char *const names[] = {"dict_keys", "dict_values", "dict_items"};
      return names[SF_VIEW(v)->what];
    }
  }
  return "object";
}

bool sf_truthy(sf_interp *I, const sf_val *v) {
  switch (v->kind) {
    case V_NONE: return false;
    case V_BOOL: return v->b;
    case V_INT: return v->i != 0;
    case V_FLOAT: return v->f != 0;
    case V_STR: return v->s[0] != 0;
    case V_LIST: case V_TUPLE: return v->n != 0;
    case V_OBJ: break;
    default: return true;
  }
  switch (v->o->t) {
    case O_STR: return SF_STR(v)->len != 0;
    case O_LIST: case O_TUPLE: return SF_LIST(v)->n != 0;
    case O_DICT: case O_SET: return SF_DICT(v)->n != 0;
    case O_DICTVIEW: return SF_DICT(&SF_VIEW(v)->dict)->n != 0;
    case O_RANGE: {
      sf_range *r = (sf_range *)v->o;
      return r->step > 0 ? r->start < r->stop : r->start > r->stop;
    }
    case O_INST: {  /* __bool__, else __len__ (an error in either counts as true) */
      sf_val r;
      sf_status st;
      if (!I) return true;
      if (!sf_py_call_method(I, NULL, v, "__bool__", 0, NULL, &r, &st) &&
          !sf_py_call_method(I, NULL, v, "__len__", 0, NULL, &r, &st))
        return true;
      if (st != SF_OK) return true;
      bool t = r.kind == V_BOOL ? r.b : r.kind == V_INT ? r.i != 0 : true;
      sf_val_drop(&r);
      return t;
    }
    default: return true;
  }
}

/* ---- text ---- */

void sf_buf_put(sf_buf *b, const char *s, size_t n) {
  if (b->oom) return;
  if (b->n + n + 1 > b->cap) {
    size_t nc = (b->n + n + 1) * 2;
    char *ns = realloc(b->s, nc);
    if (!ns) {
      b->oom = true;
      return;
    }
    b->s = ns;
    b->cap = nc;
  }
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = '\0';
}

void sf_buf_puts(sf_buf *b, const char *s) { sf_buf_put(b, s, strlen(s)); }

void sf_buf_printf(sf_buf *b, const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n < sizeof tmp) {
    sf_buf_put(b, tmp, (size_t)n);
    return;
  }
  char *big = malloc((size_t)n + 1);
  if (!big) {
    b->oom = true;
    return;
  }
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  sf_buf_put(b, big, (size_t)n);
  free(big);
}

void sf_float_repr(double f, char *out, size_t cap) {
  if (f != f) {
    snprintf(out, cap, "nan");
    return;
  }
  if (isinf(f)) {
    snprintf(out, cap, f < 0 ? "-inf" : "inf");
    return;
  }
  char tmp[40];
  int p = 1;
  for (; p < 17; p++) {
    snprintf(tmp, sizeof tmp, "%.*e", p - 1, f);
    if (strtod(tmp, NULL) == f) break;
  }
  snprintf(tmp, sizeof tmp, "%.*e", p - 1, f);
  /* tmp: [-]d[.ddd]e[+-]xx */
  char digits[24];
  int nd = 0;
  const char *s = tmp;
  bool neg = *s == '-';
  if (neg) s++;
  for (; *s && *s != 'e'; s++)
    if (*s != '.') digits[nd++] = *s;
  digits[nd] = '\0';
  int x = atoi(s + 1);
  while (nd > 1 && digits[nd - 1] == '0') digits[--nd] = '\0';
  char r[64];
  int n = 0;
  if (neg) r[n++] = '-';
  if (x >= -5 + 1 && x < 16) {
    if (x >= 0) {
      for (int i = 0; i <= x; i++) r[n++] = i < nd ? digits[i] : '0';
      r[n++] = '.';
      if (nd > x + 1)
        for (int i = x + 1; i < nd; i++) r[n++] = digits[i];
      else
        r[n++] = '0';
    } else {
      r[n++] = '0';
      r[n++] = '.';
      for (int i = 0; i < -x - 1; i++) r[n++] = '0';
      for (int i = 0; i < nd; i++) r[n++] = digits[i];
    }
    r[n] = '\0';
  } else {
    r[n++] = digits[0];
    if (nd > 1) {
      r[n++] = '.';
      for (int i = 1; i < nd; i++) r[n++] = digits[i];
    }
    r[n] = '\0';
    snprintf(r + n, sizeof r - (size_t)n, "e%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
  }
  snprintf(out, cap, "%s", r);
}

/* repr of a str: Python's quoting (single quotes unless the text has ' and no "). */
static void write_str_repr(sf_buf *b, const char *s, size_t n) {
  bool sq = memchr(s, '\'', n) != NULL, dq = memchr(s, '"', n) != NULL;
  char q = sq && !dq ? '"' : '\'';
  sf_buf_put(b, &q, 1);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == (unsigned char)q || c == '\\') {
      char e[2] = {'\\', (char)c};
      sf_buf_put(b, e, 2);
    } else if (c == '\n') sf_buf_puts(b, "\\n");
    else if (c == '\t') sf_buf_puts(b, "\\t");
    else if (c == '\r') sf_buf_puts(b, "\\r");
    else if (c < 0x20 || c == 0x7f) sf_buf_printf(b, "\\x%02x", c);
    else if (c < 0x80) sf_buf_put(b, (const char *)&c, 1);
    else { /* unicode_repr: a character that is not printable as \\xhh, \\uhhhh or \\Uhhhhhhhh */
      uint32_t cp;
      size_t k = sf_utf8_char(s + i, n - i, &cp);
      if (sf_py_printable(cp)) sf_buf_put(b, s + i, k);
      else sf_buf_printf(b, cp < 0x100 ? "\\x%02x" : cp < 0x10000 ? "\\u%04x" : "\\U%08x", (unsigned)cp);
      i += k - 1;
    }
  }
  sf_buf_put(b, &q, 1);
}

static sf_status write_tensor(sf_print_ctx *c, sf_buf *b, const sf_val *v, bool nested) {
  /* an eager value (a NumPy array from sess.run) needs no fetch */
  sf_tensor *t = !c->vals || c->k >= c->n ? (c->I ? sf_b_host_value(c->I, v) : NULL) : c->vals[c->k++];
  if (!t && c->I && c->vals && v->g && v->g != c->I->E.g) /* not fetched (a trace's, another graph's): Tensor("x:0", ...) */
    return sf_api_symbolic_text(c->I, v, nested, b);
  if (!t) /* every other tensor printed has a value: an eager one its own, a graph one its fetch */
    return sf_error_set(c->I ? c->I->err : NULL, SF_EINTERNAL, "print: tensor %d has no value (released too early)", v->node);
  /* a NumPy scalar: str(np.float32(x)); a scalar tensor's repr shows its numpy() so too */
  bool tf_text = c->tf_style && !v->numpy && !c->tf_print;
  /* a 0-d ndarray's repr is array(3.) (arrayprint.py), its str the scalar's */
  bool repr0 = v->numpy && nested && t->shape.rank == 0;
  if (!repr0 && (v->numpy || tf_text) && t->shape.rank == 0 && sf_dtype_is_float(t->dtype)) {
    char tmp[64];
    double x = sf_tensor_get(t, 0);
    sf_float_repr(t->dtype == SF_FLOAT32 && isfinite(x) ? sf_np_f32_shortest(x) : x, tmp, sizeof tmp);
    if (tf_text && nested) sf_buf_printf(b, "<tf.Tensor: shape=(), dtype=%s, numpy=%s>", sf_dtype_name(t->dtype), tmp);
    else if (tf_text) sf_buf_printf(b, "tf.Tensor(%s, shape=(), dtype=%s)", tmp, sf_dtype_name(t->dtype));
    else sf_buf_puts(b, tmp);
    return SF_OK;
  }
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  if (!f) return SF_ENOMEM;
  /* inside a list or tuple Python prints each element's repr */
  if (v->numpy && t->shape.rank == 0 && !repr0) nested = false;
  const sf_print_options *po = c->I ? &c->I->np_print : NULL; /* np.set_printoptions */
  if (v->s && c->tf_style && !v->numpy) { /* a variable's value (Generator.state): ResourceVariable.__repr__ */
    char shape[96];
    fprintf(f, "<tf.Variable '%s' shape=%s dtype=%s, numpy=", v->s, sf_shape_str(&t->shape, shape, sizeof shape), sf_dtype_name(t->dtype));
    sf_tensor_print_repr_with(f, t, po);
    fputc('>', f);
  } else if (c->tf_print) sf_tensor_print_tfprint(f, t, c->I ? c->I->tf_print_summarize : 3);
  else if (c->tf_style && !v->numpy) (nested ? sf_tensor_print_tf_repr_with : sf_tensor_print_tf_with)(f, t, po);
  else (nested ? sf_tensor_print_repr_with : sf_tensor_print_numpy_with)(f, t, po);
  fclose(f);
  sf_buf_put(b, text, len);
  free(text);
  return SF_OK;
}

/* A TensorShape (tensorflow/python/framework/tensor_shape.py __str__, __repr__): str (2, 3) or (None, 3), TF 1.x's (?, 3); repr
 * TensorShape([None, 3]), TF 1.x's TensorShape([Dimension(None), Dimension(3)]). */
static sf_status write_tshape(sf_print_ctx *c, sf_buf *b, const sf_list *l, bool repr) {
  bool tf1 = c->I && c->I->opt.profile == SF_PROFILE_TF1;
  sf_buf_puts(b, repr ? "TensorShape([" : "(");
  for (int64_t i = 0; i < l->n; i++) {
    const sf_val *d = &l->items[i];
    char num[24];
    snprintf(num, sizeof num, "%lld", d->kind == V_INT ? (long long)d->i : 0LL);
    const char *text = d->kind == V_INT ? num : repr || !tf1 ? "None" : "?";
    if (repr && tf1) sf_buf_printf(b, "%sDimension(%s)", i ? ", " : "", text);
    else sf_buf_printf(b, "%s%s", i ? ", " : "", text);
  }
  sf_buf_puts(b, repr ? "])" : l->n == 1 ? ",)" : ")");
  return SF_OK;
}

/* Py_ReprEnter for a container object: one already being written (a list holding itself)
 * is written "[...]", "{...}" or "(...)" (*seen); one nested deeper than CPython 3.11
 * writes (print(nest(n)) runs at module level up to n = 997, measured) is its
 * RecursionError. The objects being written are the interpreter's, so that a __repr__
 * printing the list that holds it sees the list. */
static sf_status repr_enter(sf_print_ctx *c, const sf_obj *o, bool *seen) {
  *seen = false;
  if (!c->I || !c->I->py) return SF_OK;
  sf_py *P = c->I->py;
  for (int i = 0; i < P->nrepr; i++)
    if (P->repr_active[i] == o) return *seen = true, SF_OK;
  if (P->nrepr >= SF_PY_MAX_DEPTH - 2 - P->depth)
    return sf_py_raise(c->I, NULL, BC_RECURSION, "maximum recursion depth exceeded while getting the repr of an object");
  P->repr_active[P->nrepr++] = o;
  return SF_OK;
}

static void repr_leave(sf_print_ctx *c) {
  if (c->I && c->I->py) c->I->py->nrepr--;
}

static sf_status write_items(sf_print_ctx *c, sf_buf *b, const sf_val *items, int64_t n, const char *open,
                             const char *close, bool one_comma) {
  sf_buf_puts(b, open);
  for (int64_t i = 0; i < n; i++) {
    if (i) sf_buf_puts(b, ", ");
    sf_status st = sf_write_value(c, b, &items[i], true);
    if (st != SF_OK) return st;
  }
  if (one_comma && n == 1) sf_buf_puts(b, ",");
  sf_buf_puts(b, close);
  return SF_OK;
}

/* A list or tuple object's items, read afresh at each step as list_repr does: an item's
 * __repr__ may grow, shrink or clear the list (each item held while it is written). */
static sf_status write_list(sf_print_ctx *c, sf_buf *b, const sf_list *l, bool tuple) {
  sf_buf_puts(b, tuple ? "(" : "[");
  int64_t i = 0;
  for (; i < l->n; i++) {
    if (i) sf_buf_puts(b, ", ");
    sf_val item = l->items[i];
    sf_val_ref(&item);
    sf_status st = sf_write_value(c, b, &item, true);
    sf_val_drop(&item);
    if (st != SF_OK) return st;
  }
  if (tuple && i == 1) sf_buf_puts(b, ",");
  sf_buf_puts(b, tuple ? ")" : "]");
  return SF_OK;
}

/* An object whose text seedflow does not model (TensorFlow's names a module path that moves
 * between versions, and an address): an unsupported error, located by the statement. */
static sf_status unprintable(sf_print_ctx *c, const char *what) {
  if (!c->I) return SF_ENAME;
  return sf_error_at(c->I->err, c->I->line, 1, SF_ENAME, "unsupported: printing %s (seedflow does not model its text)", what);
}

sf_status sf_write_value(sf_print_ctx *c, sf_buf *b, const sf_val *v, bool repr) {
  char tmp[64];
  switch (v->kind) {
    case V_NONE:
      if (v->s == sf_dimension_tag) sf_buf_puts(b, repr ? "Dimension(None)" : "?");
      else sf_buf_puts(b, "None");
      return SF_OK;
    case V_ELLIPSIS: sf_buf_puts(b, "Ellipsis"); return SF_OK;
    case V_BOOL: sf_buf_puts(b, v->b ? "True" : "False"); return SF_OK;
    case V_INT:
      sf_buf_printf(b, v->s == sf_dimension_tag && repr ? "Dimension(%" PRId64 ")" : "%" PRId64, v->i);
      return SF_OK;
    case V_FLOAT: /* a numpy.float32 prints its shortest float32 digits */
      if (sf_np_is_scalar(v)) sf_np_scalar_text(v, tmp, sizeof tmp);
      else sf_float_repr(v->f, tmp, sizeof tmp);
      sf_buf_puts(b, tmp);
      return SF_OK;
    case V_STR:  /* b marks text rendered beforehand (a deferred print's snapshot) */
      if (repr && !v->b) write_str_repr(b, v->s, strlen(v->s));
      else sf_buf_puts(b, v->s);
      return SF_OK;
    case V_DTYPE: /* np.float32 is NumPy's scalar type (numpy.bool_ for bool), tf.float32 a DType */
      if (v->s == sf_np_dtype_tag) sf_buf_printf(b, repr ? "dtype('%s')" : "%s", sf_dtype_name(v->dtype));
      else if (v->numpy) sf_buf_printf(b, "<class 'numpy.%s'>", v->dtype == SF_BOOL ? "bool_" : sf_dtype_name(v->dtype));
      else sf_buf_printf(b, repr ? "tf.%s%s" : "<dtype: '%s%s'>", sf_dtype_name(v->dtype), v->b ? "_ref" : ""); /* b: a reference type */
      return SF_OK;
    case V_TENSOR: return write_tensor(c, b, v, repr);
    case V_LIST: case V_TUPLE:
      if (v->kind == V_TUPLE && v->b) { /* print's argument list */
        const char *sep = c->I && c->I->py && c->I->py->print_sep.kind == V_STR ? c->I->py->print_sep.s : " ";
        for (int i = 0; i < v->n; i++) {
          if (i) sf_buf_puts(b, sep);
          size_t at = b->n; /* print_impl writes each argument's whole str() or, when it raises, nothing of it */
          sf_status st = sf_write_value(c, b, &v->items[i], false);
          if (st != SF_OK) {
            if (b->s && at <= b->n) b->n = at, b->s[at] = '\0';
            return st;
          }
        }
        return SF_OK;
      }
      return write_items(c, b, v->items, v->n, v->kind == V_LIST ? "[" : "(", v->kind == V_LIST ? "]" : ")",
                         v->kind == V_TUPLE);
    /* TensorFlow's text of these names the object's module path, which moves from version to
     * version, and its address: a located error, not a made-up text */
    case V_LAYER: return unprintable(c, "a Keras layer");
    case V_MODEL: return unprintable(c, "a Keras model");
    case V_MODULE: return c->I ? sf_py_api_attr_error(c->I, NULL, v) : SF_ENAME;
    case V_BUILTIN: /* a TF or NumPy function (tf.reduce_sum): TF's text names a Python function at an address */
      if (v->s && strchr(v->s, '.')) return unprintable(c, "a TensorFlow or NumPy function");
      sf_buf_printf(b, "<built-in function %s>", v->s ? v->s : "?");
      return SF_OK;
    case V_GENERATOR: return unprintable(c, "a tf.random.Generator");
    case V_OPTIMIZER: return unprintable(c, "an optimizer");
    case V_LOSS: return unprintable(c, "a Keras loss");
    case V_METHOD: return c->I ? sf_py_api_attr_error(c->I, NULL, v) : SF_ENAME;
    case V_FUNC: sf_buf_puts(b, "<function>"); return SF_OK;
    case V_OBJ: break;
  }
  sf_obj *o = v->o;
  switch (o->t) {
    case O_STR:
      if (repr) write_str_repr(b, ((sf_str *)o)->s, ((sf_str *)o)->len);
      else sf_buf_put(b, ((sf_str *)o)->s, ((sf_str *)o)->len);
      return SF_OK;
    case O_LIST: case O_TUPLE: {
      if (o->t == O_TUPLE && SF_LIST(v)->tshape) return write_tshape(c, b, SF_LIST(v), repr);
      bool seen;
      sf_status st = repr_enter(c, o, &seen);
      if (st != SF_OK || seen) return sf_buf_puts(b, o->t == O_LIST ? "[...]" : "(...)"), st;
      st = write_list(c, b, SF_LIST(v), o->t == O_TUPLE);
      repr_leave(c);
      return st;
    }
    case O_DICT: case O_SET: {
      sf_dict *d = SF_DICT(v);
      bool set = o->t == O_SET;
      if (set && d->n == 0) return sf_buf_puts(b, "set()"), SF_OK;
      bool seen;
      sf_status est = repr_enter(c, o, &seen);
      if (est != SF_OK || seen) return sf_buf_puts(b, "{...}"), est;
      sf_buf_puts(b, "{");
      bool first = true;
      int64_t pos = 0; /* a set in its CPython table's order, a dict in insertion order; the */
      for (int64_t i = 0; i < d->ne; i++) {   /* entries read afresh: a __repr__ may change them */
        const sf_dentry *e = set ? sf_set_next(d, &pos) : d->e[i].used ? &d->e[i] : NULL;
        if (set && !e) break;
        if (!e) continue;
        if (!first) sf_buf_puts(b, ", ");
        first = false;
        sf_val key = e->key, value = e->value;
        sf_val_ref(&key);
        sf_val_ref(&value);
        sf_status st = sf_write_value(c, b, &key, true);
        if (st == SF_OK && !set) {
          sf_buf_puts(b, ": ");
          st = sf_write_value(c, b, &value, true);
        }
        sf_val_drop(&key);
        sf_val_drop(&value);
        if (st != SF_OK) return repr_leave(c), st;
      }
      repr_leave(c);
      sf_buf_puts(b, "}");
      return SF_OK;
    }
    case O_DICTVIEW: { /* dictview_repr: the type's name and the list of what it holds */
      bool seen;
      sf_status st = repr_enter(c, o, &seen);
      if (st != SF_OK || seen) return sf_buf_puts(b, "..."), st;
      const sf_dictview *w = SF_VIEW(v);
      const sf_dict *d = SF_DICT(&w->dict);
      if (c->I) { /* the list of what it holds now (PySequence_List), then that list's repr */
        sf_val l = {0};
        if ((st = sf_py_to_list(c->I, NULL, v, O_LIST, &l)) == SF_OK) {
          sf_buf_printf(b, "%s(", sf_type_name(v));
          st = write_list(c, b, SF_LIST(&l), false);
          sf_buf_puts(b, ")");
          sf_val_drop(&l);
        }
        repr_leave(c);
        return st;
      }
      sf_buf_printf(b, "%s([", sf_type_name(v));
      bool first = true;
      for (int64_t i = 0; st == SF_OK && i < d->ne; i++) {
        if (!d->e[i].used) continue;
        if (!first) sf_buf_puts(b, ", ");
        first = false;
        if (w->what == SF_VIEW_ITEMS) sf_buf_puts(b, "(");
        if (w->what != SF_VIEW_VALUES) st = sf_write_value(c, b, &d->e[i].key, true);
        if (st == SF_OK && w->what == SF_VIEW_ITEMS) sf_buf_puts(b, ", ");
        if (st == SF_OK && w->what != SF_VIEW_KEYS) st = sf_write_value(c, b, &d->e[i].value, true);
        if (st == SF_OK && w->what == SF_VIEW_ITEMS) sf_buf_puts(b, ")");
      }
      repr_leave(c);
      sf_buf_puts(b, "])");
      return st;
    }
    case O_RANGE: {
      sf_range *r = (sf_range *)o;
      if (r->step == 1) sf_buf_printf(b, "range(%" PRId64 ", %" PRId64 ")", r->start, r->stop);
      else sf_buf_printf(b, "range(%" PRId64 ", %" PRId64 ", %" PRId64 ")", r->start, r->stop, r->step);
      return SF_OK;
    }
    case O_SLICE: {
      sf_slice *s = (sf_slice *)o;
      sf_buf_puts(b, "slice(");
      sf_status st = sf_write_value(c, b, &s->lo, true);
      if (st == SF_OK) sf_buf_puts(b, ", ");
      if (st == SF_OK) st = sf_write_value(c, b, &s->hi, true);
      if (st == SF_OK) sf_buf_puts(b, ", ");
      if (st == SF_OK) st = sf_write_value(c, b, &s->step, true);
      sf_buf_puts(b, ")");
      return st;
    }
    case O_FUNC: sf_buf_printf(b, "<function %s at %p>", ((sf_func *)o)->qualname, (void *)o); return SF_OK;
    case O_CLASS: {
      sf_class *k = (sf_class *)o;
      sf_buf_printf(b, "<class '%s%s%s'>", k->module ? k->module : k->builtin ? "" : "__main__", k->module || !k->builtin ? "." : "",
                    k->qualname ? k->qualname : k->name);
      return SF_OK;
    }
    case O_INST: return sf_py_write_instance(c, b, v, repr);
    case O_BOUND: { /* CPython's Objects/classobject.c method_repr; TF's own methods name TF's classes, not modelled */
      const sf_bound *m = (const sf_bound *)o;
      if (!sf_is(&m->fn, O_FUNC))
        return unprintable(c, m->name && strcmp(m->name, "<super>") == 0 ? "super()" : "a method of a built-in or TensorFlow class");
      sf_buf_printf(b, "<bound method %s of ", ((sf_func *)m->fn.o)->qualname);
      sf_status st = sf_write_value(c, b, &m->self, true);
      sf_buf_puts(b, ">");
      return st;
    }
    case O_NATIVE: { /* CPython's Objects/methodobject.c meth_repr: a built-in type's method names its object */
      const sf_native *f = (const sf_native *)o;
      if (f->of_type && f->self.kind == V_OBJ)
        sf_buf_printf(b, "<built-in method %s of %s object at %p>", f->name, sf_type_name(&f->self), (void *)f->self.o);
      else if (f->self.kind != V_OBJ || f->builtin_function) /* none, or a table index (math.sqrt's) */
        sf_buf_printf(b, "<built-in function %s>", f->name);
      else /* bound to data seedflow keeps (a Random's stream, a TF object): its real text is not modelled */
        return unprintable(c, "a bound built-in function");
      return SF_OK;
    }
    case O_MODULE: /* str() of NumPy's RandomState and Generator; their repr adds an address */
      if (!((sf_module *)o)->api_class) /* a module (CPython adds where it is from) or Keras's History */
        return unprintable(c, strcmp(((sf_module *)o)->name, "History") == 0 ? "a Keras History" : "a module");
      sf_buf_printf(b, "%s", ((sf_module *)o)->name);
      return SF_OK;
    case O_ITER:
      if (((sf_iter *)o)->lazy == SF_LAZY_COUNT || ((sf_iter *)o)->lazy == SF_LAZY_REPEAT) { /* count_repr, repeat_repr */
        const sf_iter *x = (const sf_iter *)o;
        bool count = x->lazy == SF_LAZY_COUNT, one = count && x->seq.kind == V_INT && !x->seq.numpy && x->seq.i == 1;
        sf_buf_puts(b, count ? "count(" : "repeat(");
        sf_status st = sf_write_value(c, b, &x->fn, true);
        if (st == SF_OK && count && !one) sf_buf_puts(b, ", "), st = sf_write_value(c, b, &x->seq, true);
        if (!count && x->pos >= 0) sf_buf_printf(b, ", %lld", (long long)x->pos);
        sf_buf_puts(b, ")");
        return st;
      }
      if (((sf_iter *)o)->gen) sf_buf_printf(b, "<generator object <genexpr> at %p>", (void *)o);
      else if (((sf_iter *)o)->cls && !((sf_iter *)o)->cls->module) sf_buf_printf(b, "<%s object at %p>", ((sf_iter *)o)->cls->name, (void *)o);
      else if (((sf_iter *)o)->cls) sf_buf_printf(b, "<%s.%s object at %p>", ((sf_iter *)o)->cls->module, ((sf_iter *)o)->cls->name, (void *)o);
      else sf_buf_printf(b, "<iterator object at %p>", (void *)o);
      return SF_OK;
    case O_SCOPE: sf_buf_puts(b, "<scope>"); return SF_OK;
    case O_RANDOM: sf_buf_printf(b, "<random.Random object at %p>", (void *)o); return SF_OK;
  }
  return SF_OK;
}

/* The walk in sf_write_value's order: a container already on the walk's path (a list
 * holding itself) is written "[...]" and holds nothing here; below SF_PY_MAX_DEPTH levels
 * the writer has raised RecursionError. */
static int collect_in(const sf_val *v, const sf_val **out, int cap, const sf_obj **path, int depth) {
  if (v->kind == V_TENSOR) {
    if (out && cap > 0) out[0] = v;
    return 1;
  }
  const sf_val *items = NULL;
  int64_t n = 0;
  if (v->kind == V_TUPLE || v->kind == V_LIST) {
    items = v->items;
    n = v->n;
  } else if (sf_is(v, O_LIST) || sf_is(v, O_TUPLE) || sf_is(v, O_DICT) || sf_is(v, O_DICTVIEW)) {
    for (int i = 0; i < depth; i++)
      if (path[i] == v->o) return 0;
    if (depth == SF_PY_MAX_DEPTH) return 0;
    path[depth++] = v->o;
  }
  int k = 0;
#define COLLECT(x) (k += collect_in((x), out ? out + (k < cap ? k : cap) : NULL, cap - k > 0 ? cap - k : 0, path, depth))
  if (sf_is(v, O_DICT) || sf_is(v, O_DICTVIEW)) {
    int what = sf_is(v, O_DICT) ? SF_VIEW_ITEMS : SF_VIEW(v)->what;
    sf_dict *d = sf_is(v, O_DICT) ? SF_DICT(v) : SF_DICT(&SF_VIEW(v)->dict);
    for (int64_t i = 0; i < d->ne; i++) {
      if (d->e[i].used && what != SF_VIEW_VALUES) COLLECT(&d->e[i].key);
      if (d->e[i].used && what != SF_VIEW_KEYS) COLLECT(&d->e[i].value);
    }
    return k;
  }
  if (sf_is(v, O_LIST) || sf_is(v, O_TUPLE)) {
    items = SF_LIST(v)->items;
    n = SF_LIST(v)->n;
  }
  for (int64_t i = 0; i < n; i++) COLLECT(&items[i]);
#undef COLLECT
  return k;
}

int sf_collect_tensors(const sf_val *v, const sf_val **out, int cap) {
  const sf_obj *path[SF_PY_MAX_DEPTH];
  return collect_in(v, out, cap, path, 0);
}
