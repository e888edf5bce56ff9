#!/usr/bin/env bash
# processes_example.sh — examples/threaded-echo-server.lisp against 5 clients that are all
# connected at once and speak in the reverse order of connecting: a server that served one
# client at a time would never answer the last one to connect first. Bounded in time.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 2

server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$T"' EXIT

timeout -k 2 30 "$CLOVE" examples/threaded-echo-server.lisp 0 5 >"$T/server.out" 2>"$T/server.err" </dev/null &
server=$!
port=
for i in $(seq 1 100); do
  port=$(sed -n 's/^listening on \([0-9]*\)$/\1/p' "$T/server.out")
  [ -n "$port" ] && break
  sleep 0.05
done
check "the server prints its port" '[ -n "$port" ]'

cat >"$T/clients.py" <<'PY'
import socket, sys
port = int(sys.argv[1])
conns = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(5)]
files = [c.makefile("rw", newline="\n") for c in conns]
for round in range(3):
    for n in reversed(range(5)):
        files[n].write(f"client {n} round {round}\n"); files[n].flush()
        print(files[n].readline().rstrip("\n"))
for f in files:
    f.write("quit\n"); f.flush()
for c in conns:
    c.close()
PY
run timeout 20 python3 "$T/clients.py" "$port"
check "every client is answered while all are connected" '[ "$rc" = 0 ] && contains "$out" "echo: client 0 round 0" && contains "$out" "echo: client 4 round 2" && [ "$(printf "%s\n" "$out" | grep -c "^echo: ")" = 15 ]'

wait "$server"
rc=$?
server=
out=$(cat "$T/server.out") err=$(cat "$T/server.err")
check "the server joins its client processes and exits" '[ "$rc" = 0 ] && contains "$out" "served 5 clients, 15 lines" && [ -z "$err" ]'
finish
