/* tfversion.c — users name TensorFlow or Keras versions, seedflow models four profiles:
 * tf1 (TF 1.x, 2.0, 2.1: graph._last_id seeds), tf2 (TF 2.2-2.9: per-graph counters),
 * tf2.10 (TF 2.10-2.15 with tf.keras 2.10-2.15: stateless initializers seeded from
 * Python's random) and keras3 (TF 2.16+ with Keras 3: SeedGenerator). "kerasV" names a
 * Keras version (--keras V): 2.10-2.15 is tf2.10, 3.x is keras3 with that version's rules
 * (tf-random-semantics-keras3.md §0). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* "MAJOR", "MAJOR.x", "MAJOR.MINOR" or "MAJOR.MINOR.PATCH[suffix]" into major/minor/patch
 * (minor -1 when not given or 'x', patch 0 when not given); false when s is not a version. */
static bool parse_version(const char *s, long *major, long *minor, long *patch) {
  char *end;
  if (*s < '0' || *s > '9') return false;
  *major = strtol(s, &end, 10);
  *minor = -1;
  *patch = 0;
  if (*end == '\0') return true;
  if (*end != '.') return false;
  s = end + 1;
  if (strcmp(s, "x") == 0) return true;
  if (*s < '0' || *s > '9') return false;
  *minor = strtol(s, &end, 10);
  if (*end == '.' && end[1] >= '0' && end[1] <= '9') *patch = strtol(end + 1, &end, 10);
  return *end == '\0' || *end == '.' || *end == '-' || *end == 'r';
}

/* "kerasV": the Keras version V. */
static bool keras_profile(const char *s, sf_profile *out, int *keras) {
  long major, minor, patch;
  if (!parse_version(s, &major, &minor, &patch)) {
    cli_usage_error("unknown Keras version '%s' (e.g. 2.15 or 3.4)", s);
    return false;
  }
  if (major == 3) {
    *out = SF_PROFILE_KERAS3;
    if (keras) *keras = minor < 0 ? 0 : (int)(30000 + (minor > 99 ? 99 : minor) * 100 + (patch > 99 ? 99 : patch));
    return true;
  }
  if (major == 2 && minor >= 10 && minor <= 15) {
    *out = SF_PROFILE_TF210;
    if (keras) *keras = (int)(20000 + minor * 100 + (patch > 99 ? 99 : patch));
    return true;
  }
  if (major == 2 && minor >= 2 && minor <= 9) { /* keras-team/keras releases start at 2.6 */
    if (keras && minor >= 6) *keras = (int)(20000 + minor * 100 + (patch > 99 ? 99 : patch));
    return *out = SF_PROFILE_TF2, true;
  }
  cli_usage_error("Keras %s is not modelled (seedflow models tf.keras 2.2-2.15 and Keras 3.x); the nearest "
                  "modelled version is %s", s, major < 2 || (major == 2 && minor < 2) ? "2.2 (profile tf2)" : "3.x (profile keras3)");
  return false;
}

bool cli_keras_arg(const char *version, sf_profile *out, int *keras) {
  if (keras) *keras = 0;
  return keras_profile(version, out, keras);
}

bool cli_tf1x(const char *s) {
  long major, minor, patch;
  return parse_version(s, &major, &minor, &patch) && major == 1;
}

bool cli_profile_arg(const char *s, sf_profile *out, int *keras) {
  if (keras) *keras = 0;
  if (sf_profile_from_name(s, out)) return true;
  if (strncmp(s, "keras", 5) == 0) return keras_profile(s + 5, out, keras);
  long major, minor, patch;
  if (!parse_version(s, &major, &minor, &patch)) {
    cli_usage_error("unknown profile '%s' (tf1, tf2, tf2.10, keras3, or a TensorFlow version such as 1.15, 2.9, 2.12 or 2.16)", s);
    return false;
  }
  if (major == 1) return *out = SF_PROFILE_TF1, true;
  if (major == 2 && minor >= 0 && minor <= 1) return *out = SF_PROFILE_TF1, true;
  if (major == 2 && minor >= 2 && minor <= 9) return *out = SF_PROFILE_TF2, true; /* the profile's rules (2.9's) */
  if (major == 2 && minor >= 10 && minor <= 15) {
    if (keras) *keras = (int)(20000 + minor * 100);
    return *out = SF_PROFILE_TF210, true;
  }
  if (major == 2 && minor >= 16) return *out = SF_PROFILE_KERAS3, true; /* TF 2.16+ resolves tf.keras to Keras 3 */
  if (major == 2 && minor < 0)
    cli_usage_error("TensorFlow '%s' spans four profiles: 2.0-2.1 is tf1, 2.2-2.9 is tf2, 2.10-2.15 is tf2.10, "
                    "2.16+ is keras3; give the minor version", s);
  else if (major < 1)
    cli_usage_error("TensorFlow %s is not modelled (seedflow models TF 1.x to 2.x); the nearest modelled "
                    "version is 1.15 (profile tf1)", s);
  else
    cli_usage_error("TensorFlow %s is not modelled (seedflow models TF 1.x to 2.x); the nearest modelled "
                    "version is 2.16+ (profile keras3; a Keras version goes to --keras)", s);
  return false;
}
