#!/usr/bin/env bash
# clos.sh — what CLOS costs in Clove, SBCL and CLISP, side by side: bench/clos/clos.lisp prints
# nanoseconds per operation (a plain call, a generic call, CALL-NEXT-METHOD, a slot reader,
# SLOT-VALUE, MAKE-INSTANCE); this keeps the best of BENCH_N runs and prints the table with
# clove/sbcl and clove/clisp, then each implementation's generic call over its plain call.
#
# Usage: bench/clos.sh            (make bench runs it; CLOVE=path picks the binary, BENCH_N=3)
# Always exits 0: a missing implementation is skipped, a failure is shown after the table.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
n_runs=${BENCH_N:-3}
prog=$here/clos/clos.lisp
work=$(mktemp -d "${TMPDIR:-/tmp}/clove-bench-clos.XXXXXX")
trap 'rm -rf "$work"' EXIT

have() { command -v "$1" >/dev/null 2>&1; }

clove_src=${CLOVE:-$here/../clove}
impls=()
if [ -x "$clove_src" ] && cp "$clove_src" "$work/clove"; then impls+=(clove)
else echo "clos.sh: no clove binary at $clove_src (run make); clove column skipped" >&2; fi
if have sbcl; then impls+=(sbcl); else echo "clos.sh: sbcl is not installed; its column is skipped" >&2; fi
if have clisp; then impls+=(clisp); else echo "clos.sh: clisp is not installed; its column is skipped" >&2; fi

# CLISP interprets: a twentieth of the iterations keeps it under a minute (per-operation
# times do not depend on the count).
sed -e 's/^(defparameter +calls+ 1000000)/(defparameter +calls+ 50000)/' \
    -e 's/^(defparameter +makes+ 100000)/(defparameter +makes+ 5000)/' "$prog" >"$work/clos-clisp.lisp"

command_for() {
  case $1 in
  clove) echo "$work/clove $prog" ;;
  sbcl) echo "sbcl --script $prog" ;;
  clisp) echo "clisp -q -norc $work/clos-clisp.lisp" ;;
  esac
}

declare -A best checksum
ops=()
problems=()
for impl in "${impls[@]}"; do
  printf '%s' "$impl" >&2
  for ((r = 0; r < n_runs; r++)); do
    if ! timeout 600 $(command_for "$impl") >"$work/out" 2>"$work/err" </dev/null; then
      problems+=("$impl failed: $(head -c 600 "$work/err")")
      break
    fi
    while read -r op ns; do
      [ -n "$op" ] || continue
      if [ "$op" = checksum ]; then checksum[$impl]=$ns; continue; fi
      [ -n "${best[$op,$impl]+x}" ] || { [ "$impl" = "${impls[0]}" ] && [ $r -eq 0 ] && ops+=("$op"); }
      if [ -z "${best[$op,$impl]+x}" ] || awk -v a="$ns" -v b="${best[$op,$impl]}" 'BEGIN { exit !(a < b) }'; then
        best[$op,$impl]=$ns
      fi
    done <"$work/out"
    printf ' %d' $((r + 1)) >&2
  done
  echo >&2
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {
  if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || b + 0 == 0) print "-";
  else if (a / b < 0.1) printf "%.4f", a / b; else printf "%.2f", a / b }'; }
val() { echo "${best[$1,$2]:--}"; }

echo
echo "nanoseconds per operation, empty loop subtracted (best of $n_runs runs; clove = $clove_src)"
printf '%-22s %10s %10s %10s   %10s %11s\n' operation clove sbcl clisp clove/sbcl clove/clisp
for op in "${ops[@]}"; do
  c=$(val "$op" clove); s=$(val "$op" sbcl); l=$(val "$op" clisp)
  printf '%-22s %10s %10s %10s   %10s %11s\n' "$op" "$c" "$s" "$l" "$(ratio "$c" "$s")" "$(ratio "$c" "$l")"
done
echo
echo "a generic call over a plain call (the goal for clove is under 3):"
for impl in "${impls[@]}"; do
  printf '  %-6s one class %s, four classes %s\n' "$impl" \
    "$(ratio "$(val generic-call "$impl")" "$(val plain-call "$impl")")" \
    "$(ratio "$(val generic-4-classes "$impl")" "$(val plain-call-4-objects "$impl")")"
done
ref=""
status=ok
for impl in "${impls[@]}"; do
  [ -n "${checksum[$impl]+x}" ] || continue
  if [ -z "$ref" ]; then ref=${checksum[$impl]}; elif [ "${checksum[$impl]}" != "$ref" ]; then status=DIFF; fi
done
echo "checksum: $status$(for impl in "${impls[@]}"; do printf ' %s=%s' "$impl" "${checksum[$impl]:--}"; done)"
for p in "${problems[@]}"; do
  echo
  echo "$p"
done
exit 0
