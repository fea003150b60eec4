/* test_check_ci.c — `seedflow check` as a CI step sees it: the cause (a differing seed2)
 * listed before the value diff, which is bounded with a count; TAP and JUnit XML reports
 * (the XML's shape checked element by element: testsuites > testsuite > testcase >
 * failure, with counts that agree); `--update` rewriting the golden atomically to exactly
 * what `record` writes; exit codes 0, 1 and 2. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_spawn.h"

static char dir[] = "/tmp/seedflow-ci-XXXXXX";

static void setup(void) { cr_assert_not_null(mkdtemp(dir)); }
static void teardown(void) {
  char cmd[256];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) cr_log_warn("could not remove %s", dir);
}
TestSuite(check_ci, .init = setup, .fini = teardown, .timeout = 60);

static const char *in_dir(const char *name) {
  static char buf[16][512];
  static int slot;
  char *p = buf[slot++ % 16];
  snprintf(p, 512, "%s/%s", dir, name);
  return p;
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* 30 draws printed once: a tampered golden gives 60 differing values. */
static const char prog[] =
    "import tensorflow as tf\n"
    "tf.random.set_seed(1234)\n"
    "w = tf.random.normal([30])\n"
    "print(w)\n";

/* Records prog into name; returns the golden's path. */
static const char *record(const char *name) {
  const char *p = in_dir("prog.py"), *g = in_dir(name);
  cr_assert(sf_write_bytes(p, prog, strlen(prog)));
  sf_spawned r = sf_spawn(dir, ARGS("record", p, "-o", g), NULL);
  cr_assert_eq(r.status, 0, "record: %s", r.err);
  sf_spawned_free(&r);
  return g;
}

/* In run 0 of g: the op's seed2 becomes 99 and every value of the op and of the print
 * 0.5. Returns the seed2 the golden had. */
static json_int_t tamper(const char *g) {
  json_error_t je;
  json_t *root = json_load_file(g, 0, &je);
  cr_assert_not_null(root, "%s", je.text);
  json_t *run = json_array_get(json_object_get(root, "runs"), 0);
  json_t *op = json_array_get(json_object_get(run, "ops"), 0);
  json_int_t seed2 = json_integer_value(json_object_get(op, "seed2"));
  json_object_set_new(op, "seed2", json_integer(99));
  json_t *lists[] = {json_object_get(op, "values"),
                     json_object_get(json_array_get(json_object_get(run, "prints"), 0), "values")};
  for (int l = 0; l < 2; l++) {
    cr_assert_eq(json_array_size(lists[l]), 30);
    for (size_t i = 0; i < 30; i++) json_array_set_new(lists[l], i, json_real(0.5));
  }
  cr_assert_eq(json_dump_file(root, g, JSON_INDENT(1) | JSON_PRESERVE_ORDER), 0);
  json_decref(root);
  return seed2;
}

static int count_lines(const char *s, const char *prefix, const char *containing) {
  int n = 0;
  for (const char *l = s; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
    const char *e = strchr(l, '\n');
    size_t len = e ? (size_t)(e - l) : strlen(l);
    char line[512];
    snprintf(line, sizeof line, "%.*s", (int)len, l);
    if (strncmp(line, prefix, strlen(prefix)) == 0 && strstr(line, containing)) n++;
  }
  return n;
}

Test(check_ci, text_lists_the_cause_first_then_bounded_values) {
  const char *g = record("g.json");
  tamper(g);
  sf_spawned r = sf_spawn(dir, ARGS("check", in_dir("prog.py"), g), NULL);
  cr_expect_eq(r.status, 1);
  cr_expect(strncmp(r.out, "mode eager/tf2, op RandomStandardNormal (line 3), seed2: expected 99, got ", 74) == 0,
            "the cause is not first:\n%s", r.out);
  /* the print's values are listed after the cause although prints come first in the file */
  cr_expect_eq(count_lines(r.out, "mode eager/tf2, ", "index"), 20, "%s", r.out);
  cr_expect_eq(count_lines(r.out, "mode eager/tf2: 40 more differing values not listed", ""), 1, "%s", r.out);
  char want[600];
  snprintf(want, sizeof want, "check: 61 differences between %s and %s\n", in_dir("prog.py"), g);
  cr_expect(strstr(r.out, want) && strlen(strstr(r.out, want)) == strlen(want), "%s", r.out);
  sf_spawned_free(&r);
}

Test(check_ci, tap_has_a_plan_and_one_test_per_run) {
  const char *g = record("g.json");
  json_int_t seed2 = tamper(g);
  sf_spawned r = sf_spawn(dir, ARGS("check", in_dir("prog.py"), g, "--format=tap"), NULL);
  cr_expect_eq(r.status, 1);
  char head[400];
  snprintf(head, sizeof head,
           "TAP version 13\n1..3\nnot ok 1 - eager/tf2: 61 differences\n"
           "# mode eager/tf2, op RandomStandardNormal (line 3), seed2: expected 99, got %lld\n"
           "# mode eager/tf2, op RandomStandardNormal (line 3), index 0: expected 0.5, got ",
           (long long)seed2);
  cr_expect(strncmp(r.out, head, strlen(head)) == 0, "got:\n%s", r.out);
  cr_expect_eq(count_lines(r.out, "# mode eager/tf2, op RandomStandardNormal (line 3), index", ""), 10);
  cr_expect_eq(count_lines(r.out, "# mode eager/tf2, print 1 'w' (line 4), index", ""), 10);
  const char *tail = "# mode eager/tf2: 40 more differing values not listed\n"
                     "ok 2 - graph/tf2: 1 printed tensors, 1 random draws match\n"
                     "ok 3 - function/tf2: 1 printed tensors, 1 random draws match\n";
  cr_expect(strlen(r.out) > strlen(tail) && strcmp(r.out + strlen(r.out) - strlen(tail), tail) == 0, "got:\n%s", r.out);
  sf_spawned_free(&r);
}

/* ---- a small XML reader: enough to check the JUnit shape ---- */

typedef struct xml_el {
  char name[32];
  char attrs[512];
  int children, depth;
  char parent[32];
} xml_el;

/* Reads the elements of s in document order into el (at most max); checks that every
 * tag is closed in order. Returns the count, or -1 when s is not well formed. */
static int xml_elements(const char *s, xml_el *el, int max) {
  int stack[16], top = 0, n = 0;
  if (strncmp(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39) != 0) return -1;
  s += 39;
  while ((s = strchr(s, '<')) != NULL) {
    const char *e = strchr(s, '>');
    if (!e) return -1;
    if (s[1] == '/') {
      size_t len = (size_t)(e - s - 2);
      if (!top || strlen(el[stack[top - 1]].name) != len || strncmp(el[stack[top - 1]].name, s + 2, len) != 0)
        return -1;
      top--;
    } else {
      if (n == max || top == 16) return -1;
      xml_el *x = &el[n];
      size_t len = strcspn(s + 1, " />");
      snprintf(x->name, sizeof x->name, "%.*s", (int)len, s + 1);
      snprintf(x->attrs, sizeof x->attrs, "%.*s", (int)(e - s - 1 - len), s + 1 + len);
      x->children = 0;
      x->depth = top;
      snprintf(x->parent, sizeof x->parent, "%s", top ? el[stack[top - 1]].name : "");
      if (top) el[stack[top - 1]].children++;
      if (e[-1] != '/') stack[top++] = n;
      n++;
    }
    s = e + 1;
  }
  return top == 0 ? n : -1;
}

static int attr_int(const xml_el *x, const char *key) {
  char k[40];
  snprintf(k, sizeof k, " %s=\"", key);
  const char *p = strstr(x->attrs, k);
  return p ? atoi(p + strlen(k)) : -1;
}

Test(check_ci, junit_has_the_shape_ci_systems_read) {
  const char *g = record("g.json");
  tamper(g);
  sf_spawned r = sf_spawn(dir, ARGS("check", in_dir("prog.py"), g, "--format", "junit"), NULL);
  cr_expect_eq(r.status, 1);
  xml_el el[16];
  int n = xml_elements(r.out, el, 16);
  cr_assert_eq(n, 6, "not well formed or not 6 elements:\n%s", r.out);
  cr_expect_str_eq(el[0].name, "testsuites");
  cr_expect_eq(el[0].children, 1);
  cr_expect_str_eq(el[1].name, "testsuite");
  cr_expect_str_eq(el[1].parent, "testsuites");
  for (int k = 0; k < 2; k++) {
    cr_expect_eq(attr_int(&el[k], "tests"), 3, "%s", el[k].attrs);
    cr_expect_eq(attr_int(&el[k], "failures"), 1, "%s", el[k].attrs);
    cr_expect_eq(attr_int(&el[k], "errors"), 0, "%s", el[k].attrs);
  }
  cr_expect_eq(el[1].children, 3); /* one testcase per run */
  const char *names[] = {"eager/tf2", "graph/tf2", "function/tf2"};
  int cases = 0, failures = 0;
  for (int i = 2; i < n; i++) {
    if (strcmp(el[i].name, "testcase") == 0) {
      cr_expect_str_eq(el[i].parent, "testsuite");
      char want[64];
      snprintf(want, sizeof want, " name=\"%s\"", names[cases++]);
      cr_expect(strstr(el[i].attrs, want) != NULL, "%s", el[i].attrs);
    } else {
      cr_expect_str_eq(el[i].name, "failure");
      cr_expect_str_eq(el[i].parent, "testcase");
      cr_expect(strstr(el[i].attrs, " message=\"61 differences\"") != NULL, "%s", el[i].attrs);
      cr_expect_eq(cases, 1, "the failure belongs to the first run");
      failures++;
    }
  }
  cr_expect_eq(cases, 3);
  cr_expect_eq(failures, 1);
  cr_expect(strstr(r.out, "\">mode eager/tf2, op RandomStandardNormal (line 3), seed2: expected 99, got ") != NULL,
            "the failure text does not start with the cause:\n%s", r.out);
  sf_spawned_free(&r);

  /* All matching: three testcases, no failure, exit 0. */
  const char *g2 = record("g2.json");
  r = sf_spawn(dir, ARGS("check", in_dir("prog.py"), g2, "--format", "junit"), NULL);
  cr_expect_eq(r.status, 0);
  cr_expect_eq(xml_elements(r.out, el, 16), 5, "%s", r.out);
  cr_expect_eq(attr_int(&el[0], "failures"), 0);
  sf_spawned_free(&r);
}

static int count_entries(void) {
  DIR *d = opendir(dir);
  int n = 0;
  for (struct dirent *e; d && (e = readdir(d));) n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
  if (d) closedir(d);
  return n;
}

Test(check_ci, update_rewrites_the_golden_as_record_writes_it) {
  const char *fresh = record("fresh.json"), *g = record("g.json");
  tamper(g);
  sf_spawned r = sf_spawn(dir, ARGS("check", "--update", in_dir("prog.py"), g), NULL);
  cr_expect_eq(r.status, 0, "%s", r.err);
  char want[600];
  snprintf(want, sizeof want, "check: 61 differences between %s and %s\ncheck: updated %s\n", in_dir("prog.py"), g, g);
  cr_expect(strlen(r.out) >= strlen(want) && strcmp(r.out + strlen(r.out) - strlen(want), want) == 0, "%s", r.out);
  sf_spawned_free(&r);
  char *a = sf_read_all(fresh, NULL), *b = sf_read_all(g, NULL);
  cr_assert(a && b);
  cr_expect_str_eq(b, a, "the updated golden is not what record writes");
  free(a);
  free(b);
  /* prog.py, fresh.json and g.json (sf_spawn captures output outside dir) */
  cr_expect_eq(count_entries(), 3, "a temp file was left behind");
  r = sf_spawn(dir, ARGS("check", in_dir("prog.py"), g), NULL);
  cr_expect_eq(r.status, 0, "%s", r.out);
  sf_spawned_free(&r);
  /* A golden that matches is left alone. */
  r = sf_spawn(dir, ARGS("check", "--update", in_dir("prog.py"), g), NULL);
  cr_expect_eq(r.status, 0);
  cr_expect(strstr(r.out, "updated") == NULL, "%s", r.out);
  sf_spawned_free(&r);
}

Test(check_ci, a_different_program_is_one_failing_test) {
  const char *g = record("g.json");
  const char *other = "import tensorflow as tf\ntf.random.set_seed(7)\nw = tf.random.normal([30])\nprint(w)\n";
  cr_assert(sf_write_bytes(in_dir("prog.py"), other, strlen(other)));
  sf_spawned r = sf_spawn(dir, ARGS("check", in_dir("prog.py"), g, "--format=tap"), NULL);
  cr_expect_eq(r.status, 1);
  char want[600];
  snprintf(want, sizeof want, "TAP version 13\n1..1\nnot ok 1 - %s was recorded from a different program (sha256 ", g);
  cr_expect(strncmp(r.out, want, strlen(want)) == 0, "%s", r.out);
  sf_spawned_free(&r);
}

Test(check_ci, bad_format_or_update_with_format_is_exit_2) {
  const char *g = record("g.json");
  sf_spawned r = sf_spawn(dir, ARGS("check", in_dir("prog.py"), g, "--format=xml"), NULL);
  cr_expect_eq(r.status, 2);
  cr_expect_str_eq(sf_first_line(r.err), "seedflow: error: unknown format 'xml' (text, tap, junit)");
  sf_spawned_free(&r);
  r = sf_spawn(dir, ARGS("check", in_dir("prog.py"), g, "--update", "--format=junit"), NULL);
  cr_expect_eq(r.status, 2);
  cr_expect_str_eq(sf_first_line(r.err), "seedflow: error: check: --update reports as text only (no --format)");
  cr_expect_str_eq(r.out, "");
  sf_spawned_free(&r);
}
