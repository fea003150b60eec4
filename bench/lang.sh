#!/bin/sh
# lang.sh SEEDFLOW — the language benchmark: each bench/lang/*.py timed under `seedflow run`
# and under CPython in the same run (CPython skipped when python3 is absent), with the
# ratio and the peak memory (from /usr/bin/time when it exists). Target: ratio <= 3,
# memory flat in the iteration count (object_churn.py).
set -u
seedflow=$1
dir=$(dirname "$0")/lang
now() { date +%s%N; }
have_py=0
command -v python3 >/dev/null 2>&1 && have_py=1
have_time=0
[ -x /usr/bin/time ] && have_time=1
run() { # prints "seconds maxrss_kb"
  out=$(mktemp)
  t0=$(now)
  if [ $have_time -eq 1 ]; then /usr/bin/time -f "%M" -o "$out.rss" "$@" > "$out" 2>/dev/null; else "$@" > "$out" 2>/dev/null; fi
  t1=$(now)
  rss=n/a
  [ -f "$out.rss" ] && rss=$(tail -1 "$out.rss")
  md5=$(md5sum < "$out" | cut -c1-8)
  rm -f "$out" "$out.rss"
  echo "$(( (t1 - t0) / 1000000 )) $rss $md5"
}
printf "%-20s %12s %12s %8s %14s %14s\n" program seedflow_ms cpython_ms ratio seedflow_kb cpython_kb
status=0
for prog in "$dir"/*.py; do
  name=$(basename "$prog" .py)
  set -- $(run "$seedflow" run "$prog")
  s_ms=$1 s_kb=$2 s_md5=$3
  if [ $have_py -eq 1 ]; then
    set -- $(run python3 "$prog")
    p_ms=$1 p_kb=$2 p_md5=$3
    [ "$p_ms" -gt 0 ] || p_ms=1
    ratio=$(awk "BEGIN { printf \"%.2f\", $s_ms / $p_ms }")
    [ "$s_md5" = "$p_md5" ] || { echo "$name: output differs from CPython's"; status=1; }
  else
    p_ms=skipped p_kb=- ratio=-
  fi
  printf "%-20s %12s %12s %8s %14s %14s\n" "$name" "$s_ms" "$p_ms" "$ratio" "$s_kb" "$p_kb"
done
exit $status
