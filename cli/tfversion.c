/* tfversion.c — users name TensorFlow versions, seedflow models two profiles: tf1 (TF 1.x,
 * 2.0, 2.1: graph._last_id seeds) and tf2 (TF 2.2-2.9: per-graph counters). A version
 * outside them (2.10+, Keras 3's 3.x) is an error that names the nearest modelled one. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* "MAJOR", "MAJOR.x", "MAJOR.MINOR" or "MAJOR.MINOR.PATCH[suffix]" into major/minor
 * (minor -1 when not given or 'x'); false when s is not a version. */
static bool parse_version(const char *s, long *major, long *minor) {
  char *end;
  if (*s < '0' || *s > '9') return false;
  *major = strtol(s, &end, 10);
  *minor = -1;
  if (*end == '\0') return true;
  if (*end != '.') return false;
  s = end + 1;
  if (strcmp(s, "x") == 0) return true;
  if (*s < '0' || *s > '9') return false;
  *minor = strtol(s, &end, 10);
  return *end == '\0' || *end == '.' || *end == '-' || *end == 'r';
}

bool cli_profile_arg(const char *s, sf_profile *out) {
  if (sf_profile_from_name(s, out)) return true;
  long major, minor;
  if (!parse_version(s, &major, &minor)) {
    cli_usage_error("unknown profile '%s' (tf1, tf2, or a TensorFlow version such as 1.15 or 2.9)", s);
    return false;
  }
  if (major == 1) return *out = SF_PROFILE_TF1, true;
  if (major == 2 && minor >= 0 && minor <= 1) return *out = SF_PROFILE_TF1, true;
  if (major == 2 && minor >= 2 && minor <= 9) return *out = SF_PROFILE_TF2, true;
  if (major == 2 && minor < 0)
    cli_usage_error("TensorFlow '%s' spans two profiles: 2.0-2.1 is tf1, 2.2-2.9 is tf2; give the minor version", s);
  else if (major < 1)
    cli_usage_error("TensorFlow %s is not modelled (seedflow models TF 1.x to 2.9); the nearest modelled "
                    "version is 1.15 (profile tf1)", s);
  else
    cli_usage_error("TensorFlow %s is not modelled (seedflow models TF 1.x to 2.9); the nearest modelled "
                    "version is 2.9 (profile tf2)", s);
  return false;
}
