/* schema_check.c — validates JSON documents against a JSON Schema, for the subset of the
 * 2020-12 vocabulary that docs/seedflow.schema.json uses: $ref to "#/$defs/NAME", type,
 * enum, const, properties, required, additionalProperties: false, items, minItems,
 * maxItems, minimum, maximum, pattern (POSIX extended regex), oneOf. Any other keyword
 * (but the annotations $schema, $id, title, description, $defs) is an error, so the
 * schema cannot grow a rule this checker silently ignores.
 * Usage: schema_check SCHEMA FILE...   ('-' reads standard input)
 * Prints "FILE: JSON-PATH: problem" for the first problem of each file; exit 0 when every
 * file is valid, 1 otherwise, 2 on a bad schema or unreadable file. */
#include <jansson.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *root_schema;
static char why[1024];
static bool schema_error;

static bool fail(const char *path, const char *msg, const char *detail) {
  snprintf(why, sizeof why, "%s: %s%s", path, msg, detail ? detail : "");
  return false;
}

static bool is_type(const json_t *v, const char *t) {
  if (!strcmp(t, "object")) return json_is_object(v);
  if (!strcmp(t, "array")) return json_is_array(v);
  if (!strcmp(t, "string")) return json_is_string(v);
  if (!strcmp(t, "integer")) return json_is_integer(v);
  if (!strcmp(t, "number")) return json_is_number(v);
  if (!strcmp(t, "boolean")) return json_is_boolean(v);
  if (!strcmp(t, "null")) return json_is_null(v);
  schema_error = true;
  return false;
}

/* a < b (cmp < 0), a == b, a > b for two JSON numbers, exact when both are integers. */
static int num_cmp(const json_t *a, const json_t *b) {
  if (json_is_integer(a) && json_is_integer(b)) {
    json_int_t x = json_integer_value(a), y = json_integer_value(b);
    return (x > y) - (x < y);
  }
  double x = json_number_value(a), y = json_number_value(b);
  return (x > y) - (x < y);
}

static bool validate(const json_t *s, const json_t *v, const char *path);

static bool check_keyword(const char *key, const json_t *k, const json_t *s, const json_t *v, const char *path) {
  char sub[512];
  if (!strcmp(key, "$ref")) {
    const char *ref = json_string_value(k);
    if (!ref || strncmp(ref, "#/$defs/", 8) != 0) return schema_error = true, fail(path, "unsupported $ref ", ref);
    json_t *target = json_object_get(json_object_get(root_schema, "$defs"), ref + 8);
    if (!target) return schema_error = true, fail(path, "no definition for ", ref);
    return validate(target, v, path);
  }
  if (!strcmp(key, "type")) {
    if (json_is_string(k)) return is_type(v, json_string_value(k)) || fail(path, "expected type ", json_string_value(k));
    size_t i;
    json_t *t;
    json_array_foreach(k, i, t) if (is_type(v, json_string_value(t))) return true;
    return fail(path, "none of the allowed types", NULL);
  }
  if (!strcmp(key, "const")) return json_equal(k, v) || fail(path, "not the constant value", NULL);
  if (!strcmp(key, "enum")) {
    size_t i;
    json_t *e;
    json_array_foreach(k, i, e) if (json_equal(e, v)) return true;
    char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    fail(path, "not one of the enumerated values: ", t ? t : "?");
    free(t);
    return false;
  }
  if (!strcmp(key, "required")) {
    if (!json_is_object(v)) return true;
    size_t i;
    json_t *r;
    json_array_foreach(k, i, r) if (!json_object_get(v, json_string_value(r)))
        return fail(path, "missing required key ", json_string_value(r));
    return true;
  }
  if (!strcmp(key, "properties")) {
    if (!json_is_object(v)) return true;
    const char *name;
    json_t *x;
    json_object_foreach((json_t *)v, name, x) {
      json_t *ps = json_object_get(k, name);
      snprintf(sub, sizeof sub, "%s.%s", path, name);
      if (ps && !validate(ps, x, sub)) return false;
    }
    return true;
  }
  if (!strcmp(key, "additionalProperties")) {
    if (!json_is_false(k)) return schema_error = true, fail(path, "additionalProperties must be false", NULL);
    if (!json_is_object(v)) return true;
    json_t *props = json_object_get(s, "properties");
    const char *name;
    json_t *x;
    json_object_foreach((json_t *)v, name, x) if (!json_object_get(props, name)) return fail(path, "unknown key ", name);
    return true;
  }
  if (!strcmp(key, "items")) {
    if (!json_is_array(v)) return true;
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) {
      snprintf(sub, sizeof sub, "%s[%zu]", path, i);
      if (!validate(k, x, sub)) return false;
    }
    return true;
  }
  if (!strcmp(key, "minItems") || !strcmp(key, "maxItems")) {
    if (!json_is_array(v)) return true;
    json_int_t n = (json_int_t)json_array_size(v), b = json_integer_value(k);
    return (key[1] == 'i' ? n >= b : n <= b) || fail(path, "wrong number of items for ", key);
  }
  if (!strcmp(key, "minimum") || !strcmp(key, "maximum")) {
    if (!json_is_number(v)) return true;
    int c = num_cmp(v, k);
    return (key[1] == 'i' ? c >= 0 : c <= 0) || fail(path, "out of range: ", key);
  }
  if (!strcmp(key, "pattern")) {
    if (!json_is_string(v)) return true;
    regex_t re;
    if (regcomp(&re, json_string_value(k), REG_EXTENDED | REG_NOSUB) != 0)
      return schema_error = true, fail(path, "bad pattern ", json_string_value(k));
    bool ok = regexec(&re, json_string_value(v), 0, NULL, 0) == 0;
    regfree(&re);
    return ok || fail(path, "does not match ", json_string_value(k));
  }
  if (!strcmp(key, "oneOf")) {
    size_t i, matched = 0;
    json_t *alt;
    char deepest[1024] = ""; /* the failure that got furthest into the document */
    json_array_foreach(k, i, alt) {
      if (validate(alt, v, path)) matched++;
      else if (strcspn(why, " ") > strcspn(deepest, " ")) snprintf(deepest, sizeof deepest, "%s", why);
    }
    if (matched == 1) return true;
    if (matched == 0) return snprintf(why, sizeof why, "%s (no alternative of oneOf matches)", deepest), false;
    return fail(path, "more than one alternative of oneOf matches", NULL);
  }
  if (!strcmp(key, "$schema") || !strcmp(key, "$id") || !strcmp(key, "title") || !strcmp(key, "description") ||
      !strcmp(key, "$defs"))
    return true;
  schema_error = true;
  return fail(path, "unsupported schema keyword ", key);
}

static bool validate(const json_t *s, const json_t *v, const char *path) {
  if (!json_is_object(s)) return schema_error = true, fail(path, "a schema must be an object", NULL);
  const char *key;
  json_t *k;
  json_object_foreach((json_t *)s, key, k) if (!check_keyword(key, k, s, v, path)) return false;
  return true;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fputs("usage: schema_check SCHEMA FILE...\n", stderr);
    return 2;
  }
  json_error_t je;
  root_schema = json_load_file(argv[1], 0, &je);
  if (!root_schema) {
    fprintf(stderr, "%s:%d: %s\n", argv[1], je.line, je.text);
    return 2;
  }
  int rc = 0;
  for (int i = 2; i < argc; i++) {
    json_t *doc = strcmp(argv[i], "-") ? json_load_file(argv[i], JSON_REJECT_DUPLICATES, &je)
                                       : json_loadf(stdin, JSON_REJECT_DUPLICATES, &je);
    if (!doc) {
      fprintf(stderr, "%s:%d: %s\n", argv[i], je.line, je.text);
      rc = 2;
      continue;
    }
    schema_error = false;
    if (!validate(root_schema, doc, "$")) {
      printf("%s: %s\n", argv[i], why);
      if (schema_error) rc = 2;
      else if (rc == 0) rc = 1;
    }
    json_decref(doc);
  }
  json_decref(root_schema);
  return rc;
}
