#!/usr/bin/env bash
# processes.sh — connections served per second by a server process that serves each connection in a
# process of its own, with 1, 4 and 16 client processes in the same program: Clove (CCL's process
# and socket API, bench/processes/clove.lisp) side by side with SBCL threads (sb-thread and
# sb-bsd-sockets, bench/processes/sbcl.lisp). Run by `make bench`; see bench/README.md.
#   bench/processes.sh          BENCH_N=5 (best of 5)   CONNS_N=4000   CLOVE=path   SBCL=path
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
N=${BENCH_N:-3}
CONNS=${CONNS_N:-2000}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# A private copy, so a concurrent rebuild does not disturb the run.
cp "${CLOVE:-$root/clove}" "$T/clove" || { echo "no clove binary: run make first"; exit 1; }
SBCL=${SBCL:-$(command -v sbcl || true)}

cmd() {
  case $1 in
    clove) echo "$T/clove $here/processes/clove.lisp" ;;
    sbcl) echo "$SBCL --script $here/processes/sbcl.lisp" ;;
  esac
}

# once IMPL CLIENTS: "wall cpu" in seconds (wall as the program timed itself, cpu = user+sys of the
# whole run), or nothing when it failed or a reply was wrong.
once() {
  local out cpu
  out=$( { TIMEFORMAT='%U %S'; time timeout 120 $(cmd "$1") "$2" "$CONNS" 2>"$T/err"; } 2>"$T/time")
  cpu=$(awk '{printf "%.3f", $1 + $2}' "$T/time")
  set -- $out
  [ $# -eq 2 ] && [ "$2" = "$CONNS" ] && echo "$1 $cpu"
}

# best IMPL CLIENTS: the run with the least wall time, "wall cpu".
best() {
  local b="" r i
  for i in $(seq 1 "$N"); do
    r=$(once "$1" "$2")
    [ -n "$r" ] || continue
    if [ -z "$b" ] || awk -v a="${r% *}" -v b="${b% *}" 'BEGIN{exit !(a<b)}'; then b=$r; fi
  done
  echo "$b"
}

impls=clove
[ -n "$SBCL" ] && impls="clove sbcl"
declare -A res
for k in 1 4 16; do
  for impl in $impls; do res[$impl,$k]=$(best "$impl" "$k"); done
done

rate() { [ -n "$1" ] && awk -v s="${1% *}" -v n="$CONNS" 'BEGIN{printf "%.0f/s", n/s}' || echo FAIL; }
cpu() { [ -n "$1" ] && echo "${1#* }" || echo -; }
# Clove's time over SBCL's, as in bench/README.md: below 1 means Clove is faster.
ratio() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="${1% *}" -v b="${2% *}" 'BEGIN{printf "%.2f", a/b}' || echo -; }

echo "best of $N; $CONNS connections (connect, one line each way, close) per run; a process per connection on the server"
printf "| %-19s | %-10s | %-10s | %-10s | %-11s | %-10s |\n" clients clove SBCL "clove/SBCL" "clove CPU s" "SBCL CPU s"
printf "|%s|%s|%s|%s|%s|%s|\n" "---------------------" "-----------:" "-----------:" "-----------:" "------------:" "-----------:"
for k in 1 4 16; do
  sb=-
  [ -n "$SBCL" ] && sb=$(rate "${res[sbcl,$k]}")
  printf "| %-19s | %10s | %10s | %10s | %11s | %10s |\n" "$k client process$([ $k = 1 ] || echo es)" \
    "$(rate "${res[clove,$k]}")" "$sb" "$(ratio "${res[clove,$k]}" "${res[sbcl,$k]:-}")" \
    "$(cpu "${res[clove,$k]}")" "$(cpu "${res[sbcl,$k]:-}")"
done
exit 0
