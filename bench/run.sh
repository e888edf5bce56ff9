#!/usr/bin/env bash
# run.sh — times every bench/*.lisp (and *.lua twin) under clove, SBCL, CLISP and Lua 5.4,
# checks that all of them print the same checksum, and prints best-of-N tables with ratios.
#
# Usage: bench/run.sh                      (make bench runs it with CLOVE set)
#   CLOVE=path      the clove binary (default: ../clove next to this directory)
#   BENCH_N=3       runs per benchmark and implementation; the best time is kept
#   BENCH_ONLY='fib tak startup'           run only these benchmarks
# Always exits 0: a missing implementation is skipped, a failure is shown in the table.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
n_runs=${BENCH_N:-3}
only=${BENCH_ONLY:-}
max_per_cell=8      # seconds: stop repeating a slow implementation (CLISP) once this much is spent
budget=150          # seconds: past this, every remaining cell is run once (keeps make bench ~3 min)
run_timeout=120     # seconds: one run longer than this is killed and reported as a failure
startup_loops=20    # startup is timed over this many starts, reported per start

work=$(mktemp -d "${TMPDIR:-/tmp}/clove-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

have() { command -v "$1" >/dev/null 2>&1; }

# A private copy of clove: other people rebuilding ./clove mid-run must not break the timings.
clove_src=${CLOVE:-$here/../clove}
clove=""
if [ -x "$clove_src" ] && cp "$clove_src" "$work/clove" 2>/dev/null; then
  clove=$work/clove
else
  echo "run.sh: no clove binary at $clove_src (run make); clove column skipped" >&2
fi

impls=(clove sbcl clisp lua)
declare -A present=([clove]=${clove:+1} [sbcl]="" [clisp]="" [lua]="")
have sbcl && present[sbcl]=1
have clisp && present[clisp]=1
have lua5.4 && present[lua]=1
for i in sbcl clisp lua; do
  [ -n "${present[$i]}" ] || echo "run.sh: $i is not installed; its column is skipped" >&2
done

# The command line that runs benchmark $1 under implementation $2, or nothing if it has none.
command_for() {
  local b=$1 impl=$2 lisp=$here/$1.lisp lua=$here/$1.lua
  if [ "$b" = startup ]; then
    case $impl in
    clove) echo "$clove -e '(quit)'" ;;
    sbcl) echo "sbcl --noinform --non-interactive --no-sysinit --no-userinit --eval '(quit)'" ;;
    clisp) echo "clisp -q -norc -x '(ext:quit)'" ;;
    lua) echo "lua5.4 -e ''" ;;
    esac
    return
  fi
  case $impl in
  clove) echo "$clove $lisp" ;;
  sbcl) echo "sbcl --script $lisp" ;;
  clisp) echo "clisp -q -norc $lisp" ;;
  lua) [ -f "$lua" ] && echo "lua5.4 $lua" ;;
  esac
}

# Runs "$1" once (startup: $startup_loops times); sets wall/cpu (seconds) and ok (0/1).
# Output goes to $work/out, errors to $work/err.
time_once() {
  local cmd=$1 loops=$2 t0 t1 times
  local wrapper=""
  have timeout && wrapper="timeout $run_timeout"
  t0=$(date +%s.%N)
  times=$(
    TIMEFORMAT='%3U %3S'
    { time {
        for ((k = 0; k < loops; k++)); do
          eval "$wrapper $cmd" >"$work/out" 2>"$work/err" </dev/null || exit 1
        done
      }; } 2>&1 >/dev/null
  )
  local rc=$?
  t1=$(date +%s.%N)
  ok=1
  [ $rc -eq 0 ] || ok=0
  times=${times##*$'\n'}
  wall=$(awk -v a="$t0" -v b="$t1" -v n="$loops" 'BEGIN { printf "%.4f", (b - a) / n }')
  cpu=$(awk -v t="$times" -v n="$loops" 'BEGIN { split(t, f, " "); printf "%.4f", (f[1] + f[2]) / n }')
}

benchmarks=()
for f in "$here"/*.lisp; do
  [ -e "$f" ] || continue
  benchmarks+=("$(basename "$f" .lisp)")
done
benchmarks+=(startup)
if [ -n "$only" ]; then
  sel=()
  for b in "${benchmarks[@]}"; do
    case " $only " in *" $b "*) sel+=("$b") ;; esac
  done
  benchmarks=("${sel[@]}")
fi

declare -A best_wall best_cpu output failed
problems=()

echo "best of up to $n_runs runs per cell; clove = ${clove_src}"
start=$(date +%s)
for b in "${benchmarks[@]}"; do
  printf '%-10s' "$b" >&2
  loops=1
  [ "$b" = startup ] && loops=$startup_loops
  for impl in "${impls[@]}"; do
    [ -n "${present[$impl]}" ] || continue
    cmd=$(command_for "$b" "$impl")
    [ -n "$cmd" ] || continue
    spent=0
    runs=$n_runs
    [ $(($(date +%s) - start)) -lt $budget ] || runs=1
    for ((r = 0; r < runs; r++)); do
      time_once "$cmd" "$loops"
      if [ $ok -eq 0 ]; then
        failed[$b,$impl]=1
        problems+=("$b under $impl failed: ${cmd//$work\/clove/$clove_src}"$'\n'"$(head -c 600 "$work/err")")
        break
      fi
      if [ $r -eq 0 ]; then
        output[$b,$impl]=$(cat "$work/out")
        best_wall[$b,$impl]=$wall
        best_cpu[$b,$impl]=$cpu
      else
        awk -v a="$wall" -v b="${best_wall[$b,$impl]}" 'BEGIN { exit !(a < b) }' && best_wall[$b,$impl]=$wall
        awk -v a="$cpu" -v b="${best_cpu[$b,$impl]}" 'BEGIN { exit !(a < b) }' && best_cpu[$b,$impl]=$cpu
      fi
      spent=$(awk -v s="$spent" -v w="$wall" -v n="$loops" 'BEGIN { print s + w * n }')
      awk -v s="$spent" -v m="$max_per_cell" 'BEGIN { exit !(s > m) }' && break
    done
    printf ' %s' "$impl" >&2
  done
  echo >&2
done

cell() { # best time of benchmark $1 under $2 from table $3, or a marker
  local key=$1,$2
  if [ -n "${failed[$key]:-}" ]; then echo FAIL
  else
    local -n tab=$3
    echo "${tab[$key]:--}"
  fi
}
ratio() { # $1 / $2, or - when either is not a number
  awk -v a="$1" -v b="$2" 'BEGIN {
    if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b + 0 == 0) print "-"; else printf "%.2f", a / b }'
}
check() { # ok when every implementation that ran printed what clove printed
  local b=$1 ref="" impl status=ok
  [ "$b" = startup ] && { echo "-"; return; }
  for impl in "${impls[@]}"; do
    [ -n "${output[$b,$impl]+x}" ] || continue
    if [ -z "$ref" ]; then ref=${output[$b,$impl]}
    elif [ "${output[$b,$impl]}" != "$ref" ]; then status=DIFF
    fi
  done
  [ -n "$ref" ] || status="-"
  echo "$status"
}

table() { # $1 = title, $2 = name of the times table
  echo
  echo "$1"
  printf '%-10s %9s %9s %9s %9s   %10s %11s %9s  %s\n' benchmark clove sbcl clisp lua \
    clove/sbcl clove/clisp clove/lua checksum
  local b c s l u
  for b in "${benchmarks[@]}"; do
    c=$(cell "$b" clove "$2"); s=$(cell "$b" sbcl "$2")
    l=$(cell "$b" clisp "$2"); u=$(cell "$b" lua "$2")
    printf '%-10s %9s %9s %9s %9s   %10s %11s %9s  %s\n' "$b" "$c" "$s" "$l" "$u" \
      "$(ratio "$c" "$s")" "$(ratio "$c" "$l")" "$(ratio "$c" "$u")" "$(check "$b")"
  done
}

table "wall-clock seconds (best of up to $n_runs; startup: per start, averaged over $startup_loops)" best_wall
table "CPU seconds, user+sys (best of up to $n_runs) — steadier than wall time on a loaded machine" best_cpu

for b in "${benchmarks[@]}"; do
  [ "$(check "$b")" = DIFF ] || continue
  echo
  echo "checksums differ for $b:"
  for impl in "${impls[@]}"; do
    [ -n "${output[$b,$impl]+x}" ] && printf '  %-6s %s\n' "$impl" "$(head -c 200 <<<"${output[$b,$impl]}")"
  done
done
for p in "${problems[@]}"; do
  echo
  echo "$p"
done
exit 0
