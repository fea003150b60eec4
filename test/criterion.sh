#!/bin/sh
# criterion.sh — runs the Criterion binary and fails when a sanitizer reported anything.
# Criterion runs each test in a child process and counts it as passed once its function
# returned: a leak LeakSanitizer reports at the child's exit, or a UBSan runtime error that
# recovers, would pass (on 2026-12-03, 41 tests each leaked an initializer object and passed).
# Usage: criterion.sh SEEDFLOW_TESTS [ARGS...]
set -u
log=$(mktemp) || exit 3
trap 'rm -f "$log"' EXIT
"$@" >"$log" 2>&1
rc=$?
cat "$log"
if grep -q -E 'ERROR: (Leak|Address)Sanitizer|runtime error:' "$log"; then
  echo "criterion.sh: a sanitizer reported the error above in a test that Criterion counted as passed" >&2
  exit 1
fi
exit $rc
