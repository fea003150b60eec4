#!/bin/bash
# cli_docs.sh — one source for what a user reads about the commands: main.c's table, as
# `seedflow --help` prints it, must match the man page's COMMAND SUMMARY line for line;
# every long option of every command's --help is in the man page and in the bash
# completion, which completes commands and options and is installed by meson install;
# and '-' reads the program from standard input.
# Usage: cli_docs.sh SEEDFLOW SOURCE_ROOT BUILD_ROOT
set -eu
seedflow=$1
root=$2
build=$3
man=$root/docs/seedflow.1
export COLUMNS=1000
fail() { echo "cli_docs: $*" >&2; exit 1; }

# The command table, from --help: "  SYNOPSIS<2+ spaces>HELP" between "Commands:" and a blank line.
table=$("$seedflow" --help | sed -n '/^Commands:$/,/^$/p' | sed '1d;$d' | sed 's/^  //; s/  \+/\t/')
[ "$(echo "$table" | wc -l)" -ge 9 ] || fail "short command table: $table"
# The man page's summary: .B "SYNOPSIS" then the help line, with roff's \- as -.
summary=$(sed -n '/^\.SH COMMAND SUMMARY$/,/^\.SH COMMANDS$/p' "$man" |
  awk '/^\.B "/ { syn = substr($0, 5, length($0) - 5); getline; print syn "\t" $0 }' | sed 's/\\-/-/g')
[ "$table" = "$summary" ] || fail "man page summary differs from --help:
--help:
$table
man:
$summary"

commands=$(echo "$table" | cut -f1 | cut -d' ' -f1)
# shellcheck source=/dev/null
source "$root/docs/seedflow.bash"
complete_line() { # complete_line WORD...: COMPREPLY for the last word
  COMP_WORDS=(seedflow "$@")
  COMP_CWORD=$#
  COMPREPLY=()
  _seedflow
  echo "${COMPREPLY[*]}"
}
[ "$(complete_line co)" = "compare" ] || fail "'seedflow co' completes to '$(complete_line co)'"
[ "$(complete_line rep)" = "report" ] || fail "'seedflow rep' completes to '$(complete_line rep)'"
[ "$(complete_line run --mode "")" = "eager graph function" ] || fail "run --mode: $(complete_line run --mode "")"
all=" $(complete_line "") "
for c in $commands; do
  [[ $all == *" $c "* ]] || fail "completion lacks command $c (has:$all)"
  "$seedflow" "$c" --help >/dev/null || fail "$c --help exits $?"
  for opt in $("$seedflow" "$c" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    grep -qF -- "$(echo "$opt" | sed 's/-/\\-/g')" "$man" || fail "$c $opt is not in the man page"
    [ "$c" = demo ] || [ "$c" = help ] || [ "$c" = ops ] || {
      got=" $(complete_line "$c" --) "
      [[ $got == *" $opt "* ]] || fail "completion of '$c --' lacks $opt (has:$got)"
    }
  done
done

# meson install puts the completion where bash-completion looks.
meson introspect "$build" --installed | grep -q 'share/bash-completion/completions/seedflow"' ||
  fail "meson install does not install the bash completion"

# '-' is standard input; errors name <stdin>.
out=$(printf 'import tensorflow as tf\ntf.random.set_seed(1234)\nprint(tf.random.normal([2]).numpy())\n' |
  "$seedflow" run - --mode graph --tf 1.15)
[ "$out" = "[-0.13862522 -0.24789245]" ] || fail "run - printed: $out"
err=$(printf 'import tensorflow as tf\nx = tf.random.nrml([2])\n' | "$seedflow" explain - 2>&1 >/dev/null) && fail "a bad program on stdin exits 0"
[ "$(echo "$err" | head -1)" = "<stdin>:2:5: error: unsupported function 'tf.random.nrml'" ] || fail "stdin error: $err"
echo "cli_docs: ok"
