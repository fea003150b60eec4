#!/bin/sh
# install.sh BUILD_DIR SOURCE_DIR — the library's boundary, as a user sees it: installs the
# build into a temporary prefix, checks that the shared library exports exactly the SF_API
# functions of include/seedflow/*.h, then compiles a program that includes
# <seedflow/seedflow.h> with `pkg-config --cflags --libs seedflow` and runs it.
set -eu
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
meson install -C "$build" --no-rebuild --quiet --destdir "$tmp" >/dev/null

lib=$(find "$tmp" -name 'libseedflow.so.*.*.*' | head -n 1)
nm -D --defined-only "$lib" | awk '$2 == "T" { print $3 }' | sort >"$tmp/exported"
grep -h '^SF_API' "$src"/include/seedflow/*.h | sed 's/(.*//; s/.*[ *]//' | sort >"$tmp/declared"
if ! cmp -s "$tmp/exported" "$tmp/declared"; then
  echo "install: exported symbols (<) differ from the SF_API declarations (>):" >&2
  diff "$tmp/exported" "$tmp/declared" >&2 || true
  exit 1
fi
echo "install: $(wc -l <"$tmp/exported") exported symbols, all declared in include/seedflow/*.h"

cat >"$tmp/hello.c" <<'PROG'
#include <seedflow/seedflow.h>
#include <stdio.h>

int main(void) {
  sf_error err = {0};
  sf_program *p = sf_program_parse("hello.py", "x = 2 * 3\nprint(x)\n", &err);
  sf_run_options o = {0};
  sf_trace *t = NULL;
  if (!p || sf_run(p, &o, &t, &err) != SF_OK) return 3;
  sf_trace_write_prints(t, stdout);
  printf("%s %s: %s\n", sf_version(), sf_status_name(SF_ESHAPE), sf_strerror(SF_ESHAPE));
  sf_trace_free(t);
  sf_program_free(p);
  return 0;
}
PROG
pcdir=$(dirname "$(find "$tmp" -name seedflow.pc | head -n 1)")
export PKG_CONFIG_PATH="$pcdir" PKG_CONFIG_SYSROOT_DIR="$tmp"
# shellcheck disable=SC2046 # pkg-config's output is a list of words
cc -std=c11 -Wall -Wextra -Werror -o "$tmp/hello" "$tmp/hello.c" $(pkg-config --cflags --libs seedflow)
out=$(LD_LIBRARY_PATH="$(dirname "$lib")" "$tmp/hello")
want="6
0.1.0 ESHAPE: incompatible or invalid shape"
if [ "$out" != "$want" ]; then
  printf 'install: the installed program printed\n%s\ninstead of\n%s\n' "$out" "$want" >&2
  exit 1
fi
echo "install: a program built with pkg-config against the installed prefix ran"
