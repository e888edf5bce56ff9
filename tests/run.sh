#!/usr/bin/env bash
# run.sh — runs test suites in parallel, each under a timeout, prints each suite's outcome in one
# block as it ends, and closes with the total line "N passed, M failed" (exit 1 if M > 0).
#
# Usage: tests/run.sh [-j JOBS] [-t SECONDS] SUITE...          (from anywhere; runs in the repo root)
#   unit/NAME         $BUILD/tests/unit/NAME, a Check program ("NN%: Checks: X, Failures: Y, Errors: Z")
#   lisp/NAME         tests/lisp/NAME.lisp under tests/lisp/harness.lisp ("RESULT: N passed, M failed")
#   integration/NAME  bash tests/integration/NAME.sh ("RESULT: N passed, M failed")
#   embed             $BUILD/examples/embed, whose output must equal examples/embed.expected
#   stress:SUITE      SUITE again with CLOVE_GC_STRESS=1 (and the longer STRESS_TIMEOUT)
# Environment: BUILD (build), CLOVE (./clove), SANITIZE=1 (binaries built with ASan/UBSan: any
# sanitizer report fails the suite), STRESS_TIMEOUT (600), VERBOSE=1 (show passing suites' output).
# A suite that crashes, times out, or exits non-zero without reporting a failure counts one failure.
set -u
cd "$(dirname "$0")/.." || exit 2
ROOT=$PWD

if [ "${1-}" = --one ]; then
  one=1
  shift
else
  one=0
  jobs=2 timeout=120
  while getopts j:t: opt; do
    case $opt in
    j) jobs=$OPTARG ;;
    t) timeout=$OPTARG ;;
    *) exit 2 ;;
    esac
  done
  shift $((OPTIND - 1))
  export TEST_TIMEOUT=$timeout
fi

export BUILD=${BUILD:-build}
CLOVE=${CLOVE:-./clove}
case $CLOVE in /*) ;; *) CLOVE=$ROOT/$CLOVE ;; esac
export CLOVE
case $BUILD in /*) build_dir=$BUILD ;; *) build_dir=$ROOT/$BUILD ;; esac
export RESULTS=${RESULTS:-$build_dir/test-results}
export TEST_TIMEOUT=${TEST_TIMEOUT:-120}

# Runs one suite: writes RESULTS/ID.log (its output) and RESULTS/ID.res ("passed failed"),
# then prints the suite's block while holding a lock, so blocks never interleave.
run_one() {
  local suite=$1 name=$1 stress=0 limit=$TEST_TIMEOUT
  case $suite in stress:*) stress=1 name=${suite#stress:} limit=${STRESS_TIMEOUT:-600} ;; esac
  local id=${suite//[:\/]/_}
  local log=$RESULTS/$id.log san=$RESULTS/$id.san
  local -a cmd
  case $name in
  unit/*) cmd=("$BUILD/tests/$name") ;;
  lisp/*) cmd=("$CLOVE" --no-init --batch -l tests/lisp/harness.lisp
    -e "(harness-run \"tests/$name.lisp\")") ;;
  integration/*) cmd=(bash "tests/$name.sh") ;;
  embed) cmd=("$BUILD/examples/embed") ;;
  *) cmd=() ;;
  esac

  local -a env=()
  [ "$stress" = 1 ] && env+=(CLOVE_GC_STRESS=1 CK_TIMEOUT_MULTIPLIER=10)
  if [ "${SANITIZE:-0}" = 1 ]; then
    # Reports go to files, so one from a clove started deep inside an integration script is seen too.
    env+=("ASAN_OPTIONS=detect_stack_use_after_return=0:detect_leaks=0:log_path=$san"
      "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$san"
      "TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:log_path=$san")
    [ "$stress" = 1 ] || env+=(CK_TIMEOUT_MULTIPLIER=3)
  fi
  # Check kills a test after 4 s by default, too soon under the sanitizers; a quarter of the suite's
  # limit still names the test that hung. CMD_TIMEOUT is the same for each command of lib.sh's run.
  env+=("CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-$((limit / 4))}" "CMD_TIMEOUT=${CMD_TIMEOUT:-$((limit / 4))}")

  local start end rc
  start=$(date +%s.%N)
  if [ ${#cmd[@]} -eq 0 ]; then
    echo "run.sh: unknown suite '$suite' (unit/NAME, lisp/NAME, integration/NAME, embed, stress:SUITE)" >"$log"
    rc=2
  else
    # head caps a runaway writer; the suite then dies of SIGPIPE and fails.
    env "${env[@]}" timeout -k 5 "$limit" "${cmd[@]}" </dev/null 2>&1 | head -c 20000000 >"$log"
    rc=${PIPESTATUS[0]}
  fi
  end=$(date +%s.%N)

  local passed=0 failed=0 found=0 note=""
  case $name in
  unit/*)
    local line x y z
    while IFS= read -r line; do
      if [[ $line =~ Checks:\ ([0-9]+),\ Failures:\ ([0-9]+),\ Errors:\ ([0-9]+) ]]; then
        x=${BASH_REMATCH[1]} y=${BASH_REMATCH[2]} z=${BASH_REMATCH[3]}
        passed=$((passed + x - y - z)) failed=$((failed + y + z)) found=1
      fi
    done <"$log"
    ;;
  embed)
    found=1
    if [ "$rc" = 0 ] && diff -u examples/embed.expected "$log" >"$log.diff" 2>&1; then
      passed=1
    else
      failed=1
      [ "$rc" = 0 ] && { note="output differs from examples/embed.expected"; cat "$log.diff" >>"$log"; }
    fi
    rm -f "$log.diff"
    ;;
  *)
    local result
    result=$(grep -E '^RESULT: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    if [[ $result =~ ^RESULT:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
      passed=${BASH_REMATCH[1]} failed=${BASH_REMATCH[2]} found=1
    fi
    ;;
  esac

  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    note="timed out after ${limit}s"
  elif [ "$rc" -gt 128 ]; then
    note="killed by signal $((rc - 128))"
  elif [ "$found" = 0 ]; then
    note="no result line (exit status $rc)"
  elif [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
    note="exit status $rc though no test failed"
  fi
  if compgen -G "$san.*" >/dev/null; then
    note="${note:+$note; }sanitizer report"
    { echo "---- sanitizer report ----"; cat "$san".*; } >>"$log"
    rm -f "$san".*
  fi
  # A suite that went wrong without counting it still fails once.
  [ -n "$note" ] && [ "$failed" = 0 ] && failed=1
  echo "$passed $failed" >"$RESULTS/$id.res"

  local status=PASS
  [ "$failed" = 0 ] || status=FAIL
  {
    printf '%-4s %-36s %4d passed, %d failed  (%ss)%s\n' "$status" "$suite" "$passed" "$failed" \
      "$(awk "BEGIN { printf \"%.1f\", $end - $start }")" "${note:+  -- $note}"
    if [ "${VERBOSE:-0}" = 1 ]; then
      sed 's/^/     | /' "$log"
    elif [ "$status" = FAIL ]; then
      # What went wrong, without the "ok - " lines of the checks that passed.
      local shown=$RESULTS/$id.shown n
      grep -v '^ok - ' "$log" >"$shown"
      n=$(wc -l <"$shown")
      if [ "$n" -le 200 ]; then
        sed 's/^/     | /' "$shown"
      else
        head -n 150 "$shown" | sed 's/^/     | /'
        echo "     | ... $((n - 200)) lines left out (all of it: $log) ..."
        tail -n 50 "$shown" | sed 's/^/     | /'
      fi
      rm -f "$shown"
    fi
  } | flock "$RESULTS/.lock" cat
}

if [ "$one" = 1 ]; then
  run_one "$1"
  exit 0
fi

if [ $# -eq 0 ]; then
  echo "run.sh: no suites given" >&2
  exit 2
fi
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
: >"$RESULTS/.lock"
printf '%s\n' "$@" | xargs -d '\n' -P "$jobs" -n 1 bash "$ROOT/tests/run.sh" --one

total_passed=0 total_failed=0 bad=()
for suite in "$@"; do
  id=${suite//[:\/]/_}
  if read -r p f <"$RESULTS/$id.res" 2>/dev/null; then :; else p=0 f=1; fi
  total_passed=$((total_passed + p)) total_failed=$((total_failed + f))
  [ "$f" = 0 ] || bad+=("$suite")
done
echo "---"
if [ ${#bad[@]} -gt 0 ]; then
  echo "${#bad[@]} of $# suites failed: ${bad[*]}"
else
  echo "all $# suites passed"
fi
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" = 0 ]
