# bash completion for seedflow — installed by `meson install` as
# $datadir/bash-completion/completions/seedflow. The command list is main.c's table
# (test/completion.sh compares it with `seedflow --help`).

_seedflow() {
  local cur prev cmd
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  local commands="run compare explain record check report demo ops help"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
    return
  fi
  cmd=${COMP_WORDS[1]}
  case $prev in
    -m|--mode) COMPREPLY=($(compgen -W "eager graph function" -- "$cur")); return ;;
    -p|--profile) COMPREPLY=($(compgen -W "tf1 tf2 tf2.10 keras3" -- "$cur")); return ;;
    --tf) COMPREPLY=($(compgen -W "1.15 2.0 2.1 2.2 2.3 2.4 2.5 2.6 2.7 2.8 2.9 2.10 2.11 2.12 2.13 2.14 2.15 2.16" -- "$cur")); return ;;
    --keras) COMPREPLY=($(compgen -W "2.10 2.11 2.12 2.13 2.14 2.15 3.0 3.1 3.2 3.3 3.4 3.5 3.6 3.7 3.8 3.9 3.10 3.11 3.12 3.13" -- "$cur")); return ;;
    -f|--format)
      if [ "$cmd" = check ]; then COMPREPLY=($(compgen -W "text tap junit" -- "$cur"))
      else COMPREPLY=($(compgen -W "text json" -- "$cur")); fi
      return ;;
    --color|--colour) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
    --accumulate) COMPREPLY=($(compgen -W "sequential pairwise" -- "$cur")); return ;;
    --trace-clock) COMPREPLY=($(compgen -W "logical wall" -- "$cur")); return ;;
    --dot-after) COMPREPLY=($(compgen -W "input output prune fold cse arith fuse autodeps schedule" -- "$cur")); return ;;
    --modes|--passes|-j|--threads|--intra-op-threads|--entropy|--print-after|--time-limit|--memory-limit) return ;;
    -o|--output|--dot|--trace) COMPREPLY=($(compgen -f -- "$cur")); return ;;
  esac
  local opts limits="--time-limit --memory-limit" # the run budgets (every command that runs a program)
  case $cmd in
    run) opts="--mode --profile --tf --keras --format --passes --verify-each --print-after-all --print-after --dot
               --dot-after --trace --trace-clock --threads --intra-op-threads --deterministic --accumulate $limits --help" ;;
    compare) opts="--modes --profile --tf --keras --format --color $limits --help" ;;
    explain) opts="--mode --profile --tf --keras --format $limits --help" ;;
    record) opts="--output --modes --profile --entropy $limits --help" ;;
    check) opts="--update --format --entropy $limits --help" ;;
    report) opts="--output --modes --profile --tf --keras $limits --help" ;;
    demo) COMPREPLY=($(compgen -W "weights dropout sgd versions --help" -- "$cur")); return ;;
    *) opts="--help" ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -X '!*.@(py|json)' -- "$cur") $(compgen -d -- "$cur"))
  fi
}
complete -F _seedflow seedflow
