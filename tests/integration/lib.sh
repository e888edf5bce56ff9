# lib.sh — sourced by every tests/integration/*.sh: where clove is, a scratch directory that is
# removed on exit, running a command with a timeout, and the ok/not ok accounting with its RESULT line.
#
#   . "$(dirname "$0")/lib.sh"
#   run "$CLOVE" -e '(princ 1)' -e '(quit)'       # sets $out, $err (trailing newlines cut) and $rc
#   check "prints 1" '[ "$out" = 1 ]'             # a shell condition, evaluated: ok if true, else
#   check "says why" 'contains "$err" text && [ "$rc" = 1 ]'   # not ok with the command's status and output
#   finish                                        # prints "RESULT: N passed, M failed", exit status
# CLOVE (absolute path of the binary) and CMD_TIMEOUT (seconds per command) come from tests/run.sh.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CLOVE=${CLOVE:-$ROOT/clove}
case $CLOVE in /*) ;; *) CLOVE=$PWD/$CLOVE ;; esac
CMD_TIMEOUT=${CMD_TIMEOUT:-30}
T=$(mktemp -d "${TMPDIR:-/tmp}/clove-test.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT

passed=0
failed=0
out=
err=
rc=

# run [-i INPUT] CMD...: stdin is INPUT (a string), else empty.
run() {
  local input=
  if [ "$1" = -i ]; then
    input=$2
    shift 2
  fi
  printf '%s' "$input" >"$T/.stdin"
  timeout -k 5 "$CMD_TIMEOUT" "$@" <"$T/.stdin" >"$T/.out" 2>"$T/.err"
  rc=$?
  out=$(cat "$T/.out")
  err=$(cat "$T/.err")
}

contains() { [[ $1 == *"$2"* ]]; }
matches() { [[ $1 =~ $2 ]]; } # extended regular expression

ok() {
  passed=$((passed + 1))
  echo "ok - $1"
}

# not_ok DESC: also shows the last command's status and output, which is what one needs to see.
not_ok() {
  failed=$((failed + 1))
  echo "not ok - $1"
  echo "#   exit status: $rc"
  [ -z "$out" ] || printf '%s\n' "$out" | head -n 15 | sed 's/^/#   stdout: /'
  [ -z "$err" ] || printf '%s\n' "$err" | head -n 15 | sed 's/^/#   stderr: /'
}

# check DESC CONDITION: CONDITION is shell code, in single quotes so that it sees $out, $err, $rc.
check() {
  if eval "$2"; then ok "$1"; else not_ok "$1"; fi
}

finish() {
  echo "RESULT: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
