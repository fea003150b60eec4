#!/bin/sh
# examples_run.sh — every "Run:" line in examples/ works as written (exit 0; output
# within 80 columns, except `run`, which prints what the program's print() prints), and
# what the examples' comments claim is what the runs show.
# Usage: examples_run.sh SEEDFLOW SOURCE_ROOT
set -eu
seedflow=$1
cd "$2"
export COLUMNS=80 NO_COLOR=1
fail() { echo "examples_run: $*" >&2; exit 1; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# The lines after "# Run:" (and their "#       seedflow" continuations), without a trailing
# "(remark)".
lines=$(sed -n '/^# Run:/,/^[^#]/p' examples/*.py | grep '^# .*seedflow ' | sed 's/^# *\(Run: *\)\?//; s/ *(.*)$//')
n=0
echo "$lines" | while read -r line; do
  set -- $line
  shift # "seedflow"
  "$seedflow" "$@" >"$out" 2>&1 || fail "'$line' exits $?: $(head -3 "$out")"
  [ "$1" = run ] && continue
  long=$(LC_ALL=C.UTF-8 grep -n '.\{81,\}' "$out" || true)
  [ -z "$long" ] || fail "'$line' prints lines over 80 characters: $long"
done
[ "$(echo "$lines" | wc -l)" -ge 15 ] || fail "only $(echo "$lines" | wc -l) Run: lines found"

# expect [-after ANCHOR] TEXT COMMAND...: COMMAND's output (unwrapped) contains TEXT, a
# fixed string (within the 6 lines after a line holding ANCHOR, the summary lines that
# lead compare's output aside).
expect() {
  anchor=
  if [ "$1" = -after ]; then anchor=$2; shift 2; fi
  want=$1
  shift
  COLUMNS=1000 "$seedflow" "$@" >"$out" 2>&1 || fail "$* exits $?"
  if [ -n "$anchor" ]; then
    awk -v a="$anchor" 'index($0, a) && $0 !~ /^(first divergence|cause)/ { n = 7 } n > 0 { print; n-- }' "$out" |
      grep -qF -- "$want" || fail "$*: no '$want' after '$anchor' in: $(cat "$out")"
  else
    grep -qF -- "$want" "$out" || fail "$*: no '$want' in: $(cat "$out")"
  fi
}
# same|differs MODE PROFILE FILE: Output 1/2 (the lines after each "Output N:" of dropout.py's output, the
# two weight prints of sgd.py) are the same or differ.
pair() {
  # without Keras's fit log (Epoch k/N, Train on N samples, the timed progress lines)
  "$seedflow" run "$4" --mode "$2" --tf "$3" | grep -Ev '^(Epoch [0-9]+/[0-9]+|Train on [0-9]+ samples|[ 0-9]+/[0-9]+ [[-])' >"$out" ||
    fail "run $4 --mode $2 exits $?"
  case $4 in
    *dropout.py) a=$(sed -n '/^Output 1:/,/^Output 2:/p' "$out" | sed '1d;$d'); b=$(sed -n '/^Output 2:/,$p' "$out" | sed 1d) ;;
    *sgd.py) a=$(sed -n 1p "$out"); b=$(sed -n 2p "$out") ;;
  esac
  if [ "$1" = same ]; then [ "$a" = "$b" ] || fail "$4 in $2/$3: the two outputs differ"
  else [ "$a" != "$b" ] || fail "$4 in $2/$3: the two outputs are the same"; fi
}

# construction_order.py: in a TF1 graph u gets seed2 4 and w 11; in eager u takes the
# first draw of random.Random(1234), w the second.
expect -after "at line 15" "seed2 = 4: TF1 uses the graph's op count" explain examples/construction_order.py --mode graph --tf 1.15
expect -after "at line 16" "seed2 = 11: TF1 uses the graph's op count" explain examples/construction_order.py --mode graph --tf 1.15
expect -after "at line 15" "seed2 = 1892932127: eager takes the first draw" explain examples/construction_order.py
expect -after "at line 16" "seed2 = 501869158: eager takes the second draw" explain examples/construction_order.py
# seed_derivation.py: w gets seed2 3 in TF1, 0 in tf.function, the first draw in eager.
expect -after "random op RandomStandardNormal at line 12" "graph/tf1     seed=1234 (global) seed2=3 (node-id 3)" compare examples/seed_derivation.py
expect -after "random op RandomStandardNormal at line 12" "seed2=1892932127 (eager-stream 0)*" compare examples/seed_derivation.py
expect -after "random op RandomStandardNormal at line 12" "seed2=0 (graph-counter 0)*" compare examples/seed_derivation.py
# ... and v, with an op seed, agrees: no mark on its row
expect -after "random op RandomUniform at line 16" "function/tf2  seed=1234 (global) seed2=7 (op) counter block 0 (schedule slot" compare examples/seed_derivation.py
# weights.py: three different answers.
expect "seed2 = 1892932127 in eager/tf2" compare examples/weights.py
expect "seed2=0 (graph-counter 0)*" compare examples/weights.py
# dropout.py: identical in eager and tf.function, different in graph mode.
pair same eager 2.9 examples/dropout.py
pair same function 2.9 examples/dropout.py
pair differs graph 1.15 examples/dropout.py
# sgd.py: the two runs agree bit for bit in one mode and profile (tf2).
pair same function 2.9 examples/sgd.py
pair same eager 2.9 examples/sgd.py
# keras_versions.py: three weight sets; tf2.10 and keras3 share the first kernel's seed
# (the first Random(42) draw), the second differs because Keras 3's Dropout draws too.
expect -after "random op StatelessRandomUniform at line 21, execution 2" "eager/tf2.10  seed=119540832 (python-random)" compare examples/keras_versions.py --modes eager:tf2,eager:tf2.10,eager:keras3
expect -after "random op StatelessRandomUniform at line 21, execution 2" "eager/keras3  seed=26855093 (python-random)" compare examples/keras_versions.py --modes eager:tf2,eager:tf2.10,eager:keras3
expect "seed2 = 0: it is Keras 3's SeedGenerator state [119540832, 0]" explain examples/keras_versions.py --profile keras3
# loop_body.py: the AutoGraph loop's body op is one kernel: (1234, 0) again, 256 blocks on.
expect -after "third random op execution: RandomUniformInt 'random_uniform_2' at line 21" "blocks 256..511 (256 reserved: N*256), the kernel ran before" explain examples/loop_body.py --mode function
expect -after "third random op execution" "this is unseeded random op 0 of its graph" explain examples/loop_body.py --mode function
echo "examples_run: ok"
