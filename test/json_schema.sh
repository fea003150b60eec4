#!/bin/sh
# json_schema.sh — every JSON output of every example in every mode and profile is valid
# against docs/seedflow.schema.json (checked by schema_check, a validator of the schema's
# subset of JSON Schema): `run --format json`, `record`, `compare --format json` and `explain --format json`; and, when python3 is
# there, Python's json module loads each (skipped otherwise, saying so).
# Usage: json_schema.sh SEEDFLOW SCHEMA_CHECK SOURCE_ROOT
set -eu
seedflow=$1
check=$2
cd "$3"
schema=docs/seedflow.schema.json
fail() { echo "json_schema: $*" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The validator itself rejects what the schema forbids (so a pass means something).
printf '{"format": "seedflow/1", "mode": "eager", "profile": "tf2", "prints": [], "ops": [], "x": 1}\n' >"$tmp/bad.json"
set +e
"$check" "$schema" "$tmp/bad.json" >"$tmp/why"
rc=$?
set -e
[ $rc = 1 ] && grep -q ': unknown key .*(no alternative of oneOf matches)$' "$tmp/why" ||
  fail "schema_check accepts an unknown key (exit $rc): $(cat "$tmp/why")"
printf '{"format": "seedflow/1", "mode": "eager", "profile": "tf2", "prints": [{"print": 0, "item": 1, "line": 1, "expr": "x", "dtype": "float32", "shape": [], "values": [1.5]}], "ops": []}\n' >"$tmp/bad.json"
"$check" "$schema" "$tmp/bad.json" >/dev/null && fail "schema_check accepts print 0 (numbering is 1-based)"

python=$(command -v python3 || true)
[ -n "$python" ] || echo "json_schema: python3 not found: the json.load check is skipped"
# Python's json module loads every document in one process at the end: a python3 per document
# took 80 of this test's 86 s where python3 is a pyenv shim (0.3 s a start).
mkdir "$tmp/py"
for_python() { [ -z "$python" ] || cp "$1" "$tmp/py/$n-$(basename "$1")"; }
n=0
for ex in examples/*.py; do
  # An example that runs in some modes only says so in a "# Modes: eager:tf2,eager:tf1" line.
  only=$(sed -n 's/^# Modes: *\([^ ]*\).*/\1/p' "$ex" | head -n 1)
  if [ -n "$only" ]; then
    "$seedflow" compare "$ex" --format json --modes "$only" >"$tmp/compare.json" || fail "compare $ex exits $?"
    cp "$tmp/compare.json" "$tmp/compare1.json"
    runs=$(echo "$only" | tr ',' ' ')
  else
    "$seedflow" compare "$ex" --format json >"$tmp/compare.json" || fail "compare $ex exits $?"
    "$seedflow" compare "$ex" --format json --modes eager,graph,function --tf 1.15 >"$tmp/compare1.json" ||
      fail "compare $ex --tf 1.15 exits $?"
    runs="eager:tf1 eager:tf2 graph:tf1 graph:tf2 function:tf1 function:tf2"
  fi
  for f in "$tmp/compare.json" "$tmp/compare1.json"; do
    "$check" "$schema" "$f" || fail "compare --format json of $ex is not valid against $schema"
    for_python "$f"
    n=$((n + 1))
  done
  for run in $runs; do
    out=$tmp/$(basename "$ex" .py)-${run%:*}-${run#*:}
    "$seedflow" run "$ex" --mode "${run%:*}" --profile "${run#*:}" --format json >"$out.run.json" ||
      fail "run $ex $run exits $?"
    "$seedflow" record "$ex" --modes "$run" --entropy 1 -o "$out.golden.json" || fail "record $ex $run exits $?"
    # explain runs the other modes too: only for examples that run in every mode
    if [ -z "$only" ]; then
      "$seedflow" explain "$ex" --mode "${run%:*}" --profile "${run#*:}" --format json >"$out.explain.json" ||
        fail "explain $ex $run exits $?"
    fi
    for f in "$out.run.json" "$out.golden.json" "$out.explain.json"; do
      [ -f "$f" ] || continue
      "$check" "$schema" "$f" || fail "$f (from $ex $run) is not valid against $schema"
      for_python "$f"
      n=$((n + 1))
    done
  done
done
if [ -n "$python" ]; then
  "$python" -c 'import json, sys
for p in sys.argv[1:]:
    try:
        json.load(open(p))
    except ValueError as e:
        sys.exit("python3 cannot load %s: %s" % (p, e))
print(len(sys.argv) - 1)' "$tmp"/py/*.json >"$tmp/loaded" 2>&1 || fail "$(cat "$tmp/loaded")"
  [ "$(cat "$tmp/loaded")" = "$n" ] || fail "python3 loaded $(cat "$tmp/loaded") of $n documents"
fi
[ "$n" -ge 200 ] || fail "only $n documents checked"
echo "json_schema: $n documents valid"
