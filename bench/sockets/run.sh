#!/usr/bin/env bash
# run.sh — TCP over loopback under Clove, plain C (peer.c) and SBCL (sb-bsd-sockets):
# ping-pong round trips on one connection, bulk MB/s through one connection, and
# connect/accept/close per second. Not run by `make bench` (see bench/README.md).
#   bench/sockets/run.sh              BENCH_N=5 (best of 5)   CLOVE=path   SBCL=path
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
N=${BENCH_N:-3}
ROUNDS=${PINGPONG_N:-20000}
CHUNKS=${BULK_CHUNKS:-3200}          # 3200 x 64 KiB = 200 MiB
CONNS=${CONNS_N:-1000}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# A private copy, so a concurrent rebuild does not disturb the run.
cp "${CLOVE:-$root/clove}" "$T/clove" || { echo "no clove binary: run make first"; exit 1; }
cc -O2 -o "$T/peer" "$here/peer.c" || { echo "cc failed"; exit 1; }
SBCL=${SBCL:-$(command -v sbcl || true)}

# The command prefix of one implementation.
cmd() {
  case $1 in
    c) echo "$T/peer" ;;
    clove) echo "$T/clove $here/clove.lisp" ;;
    sbcl) echo "$SBCL --script $here/sbcl.lisp" ;;
  esac
}

# One timed run: prints the client's elapsed seconds, or nothing on failure.
once() {
  local impl=$1 test=$2 c
  c=$(cmd "$impl")
  if [ "$test" = conns ]; then
    timeout 60 $c conns "$CONNS" 2>"$T/err"
    return
  fi
  local n=$ROUNDS
  [ "$test" = bulk ] && n=$CHUNKS
  rm -f "$T/port"
  timeout 60 $c server "$test" "$T/port" >/dev/null 2>"$T/server.err" &
  local server=$! i
  for i in $(seq 1 200); do [ -s "$T/port" ] && break; sleep 0.05; done
  if [ -s "$T/port" ]; then
    timeout 60 $c client "$test" "$(cat "$T/port")" "$n" 2>"$T/err"
  fi
  wait "$server" 2>/dev/null
}

best() {
  local b="" t i
  for i in $(seq 1 "$N"); do
    t=$(once "$1" "$2" | tail -1)
    [[ $t =~ ^[0-9.]+$ ]] || continue
    if [ -z "$b" ] || awk -v a="$t" -v b="$b" 'BEGIN{exit !(a<b)}'; then b=$t; fi
  done
  echo "$b"
}

impls="c clove"
[ -n "$SBCL" ] && impls="$impls sbcl"
declare -A secs
for test in pingpong bulk conns; do
  for impl in $impls; do secs[$impl,$test]=$(best "$impl" "$test"); done
done

# Rates: round trips/s, MB/s (10^6 bytes), connections/s; ratios are clove's time over the other's.
rate() {
  local s=$1 test=$2
  [ -z "$s" ] && { echo "FAIL"; return; }
  case $test in
    pingpong) awk -v s="$s" -v n="$ROUNDS" 'BEGIN{printf "%.0f/s", n/s}' ;;
    bulk) awk -v s="$s" -v n="$CHUNKS" 'BEGIN{printf "%.0f MB/s", n*65536/1e6/s}' ;;
    conns) awk -v s="$s" -v n="$CONNS" 'BEGIN{printf "%.0f/s", n/s}' ;;
  esac
}
ratio() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}' || echo "-"; }

echo "best of $N; ping-pong $ROUNDS round trips, bulk $CHUNKS x 64 KiB, $CONNS connections"
printf "| %-30s | %-13s | %-13s | %-13s | %-7s | %-10s |\n" benchmark C clove SBCL clove/C clove/SBCL
printf "|%s|%s|%s|%s|%s|%s|\n" "--------------------------------" "---------------" "---------------" "---------------" "---------" "------------"
for test in pingpong bulk conns; do
  case $test in
    pingpong) label="ping-pong (1 octet each way)" ;;
    bulk) label="bulk write-sequence 64 KiB" ;;
    conns) label="connect/accept/close" ;;
  esac
  sb="-"; [ -n "$SBCL" ] && sb=$(rate "${secs[sbcl,$test]}" $test)
  printf "| %-30s | %-13s | %-13s | %-13s | %-7s | %-10s |\n" "$label" "$(rate "${secs[c,$test]}" $test)" \
    "$(rate "${secs[clove,$test]}" $test)" "$sb" "$(ratio "${secs[clove,$test]}" "${secs[c,$test]}")" \
    "$(ratio "${secs[clove,$test]}" "${secs[sbcl,$test]:-}")"
done
exit 0
