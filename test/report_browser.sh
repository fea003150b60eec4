#!/bin/sh
# report_browser.sh — `seedflow report` in a real browser: headless Chromium loads the
# page for examples/weights.py, takes screenshots at 1280x800 and at phone width, and the
# test checks there is no console message (CSP violations, script errors), that the
# rendered DOM holds the expected draws and causes, and that the page is self-contained.
# Skipped (exit 77) without chromium (Debian: apt-get install chromium).
# Usage: report_browser.sh SEEDFLOW SOURCE_ROOT [SCREENSHOT_DIR]
set -eu
seedflow=$1
root=$2
shots=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "report_browser: $*" >&2; exit 1; }

cd "$root"
"$seedflow" report examples/weights.py -o "$work/report.html" || fail "report exited $?"
page="$work/report.html"

# Self-contained: no script, no stylesheet or image from elsewhere, nothing fetched.
grep -qi '<script' "$page" && fail "the page has a script"
grep -qi '<link\|<img\|<iframe\|@import' "$page" && fail "the page loads a resource"
grep -o '\(src\|href\)="[^"#][^"]*"' "$page" && fail "the page references another file"
grep -o 'url([^#][^)]*)' "$page" && fail "the page references another file from CSS"
grep -q "Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"" "$page" ||
  fail "no content security policy"

browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "report_browser: chromium is not installed: skipped"; exit 77; }
flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
 --disable-component-update --disable-sync --hide-scrollbars"

# chrome URL OUT_FLAG...: runs the browser with a fresh profile; its log goes to $work/log.
chrome() {
  url=$1
  shift
  # shellcheck disable=SC2086
  timeout 90 "$browser" $flags --user-data-dir="$(mktemp -d -p "$work")" --enable-logging=stderr --v=0 "$@" \
    "$url" 2>"$work/log" || fail "chromium failed on $url: $(tail -3 "$work/log")"
}
console() { grep ':CONSOLE' "$work/log" || true; }

# The console check can fail: a page with an inline script is caught by the same grep.
printf '%s\n' '<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src '"'none'"'">' \
  '<p>x</p><script>console.log("ran")</script>' >"$work/bad.html"
chrome "file://$work/bad.html" --dump-dom >/dev/null
[ -n "$(console)" ] || fail "the console check misses a blocked script"

chrome "file://$page" --dump-dom >"$work/dom.html"
[ -z "$(console)" ] || fail "console messages: $(console)"
for want in '<th>graph/tf1 (reference)</th>' '<th>eager/tf2</th>' '<th>function/tf2</th>' \
    '<span class="v">-0.138625219</span>' '<mark class="v">0.836931407</mark>' '<mark class="v">-0.302002043</mark>' \
    'seed=1234 (global) seed2=3 (node-id 3)' 'seed=1234 (global) seed2=1892932127 (eager-stream 0)' \
    'seed2 = 0 in function/tf2 because TF &gt;= 2.2 graphs count unseeded random ops' \
    "in graph/tf1 it is the graph's op count, graph._last_id = 3." \
    '<b>2 differences</b>' 'seed2 3 (node-id 3)</text>' 'seed2 0 (graph-counter 0)</text>' ; do
  grep -qF -- "$want" "$work/dom.html" || fail "the rendered page lacks: $want"
done
[ "$(grep -c '<svg xmlns' "$work/dom.html")" -eq 3 ] || fail "want 3 graphs (the graph run, eager, function: the NumPy array is no graph run)"

# png_size FILE: "WIDTHxHEIGHT" from the PNG header.
png_size() {
  [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "$1 is not a PNG"
  w=$(od -An -tu1 -j16 -N4 "$1" | awk '{print $1*16777216 + $2*65536 + $3*256 + $4}')
  h=$(od -An -tu1 -j20 -N4 "$1" | awk '{print $1*16777216 + $2*65536 + $3*256 + $4}')
  echo "${w}x$h"
}
for size in 1280,800 390,844; do
  chrome "file://$page" --window-size=$size --screenshot="$work/shot.png"
  [ -z "$(console)" ] || fail "console messages at $size: $(console)"
  [ "$(png_size "$work/shot.png")" = "$(echo $size | tr , x)" ] || fail "screenshot at $size: $(png_size "$work/shot.png")"
  [ -z "$shots" ] || cp "$work/shot.png" "$shots/report-$(echo $size | tr , x).png"
done
echo "report_browser: ok"
