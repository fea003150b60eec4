#!/bin/sh
# run.sh SEEDFLOW DIR — the differential tests: every DIR/*.py, run by `seedflow run`, must
# print exactly the bytes in DIR/*.out, which CPython printed (`python3 prog.py > prog.out`,
# generated once and committed; this script never needs Python).
set -u
seedflow=$1
dir=$2
fail=0
n=0
tmp=$(mktemp)
for prog in "$dir"/*.py; do
  n=$((n + 1))
  expected="${prog%.py}.out"
  if ! "$seedflow" run "$prog" > "$tmp" 2> "$tmp.err"; then
    echo "FAIL $prog: exit status $?"; sed -n 1,5p "$tmp.err"; fail=$((fail + 1)); continue
  fi
  if ! cmp -s "$tmp" "$expected"; then
    echo "FAIL $prog: output differs from CPython's"; diff "$expected" "$tmp" | sed -n 1,10p; fail=$((fail + 1))
  fi
done
rm -f "$tmp" "$tmp.err"
echo "$((n - fail)) of $n programs print what CPython prints"
[ "$fail" -eq 0 ]
