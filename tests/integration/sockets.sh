#!/usr/bin/env bash
# sockets.sh — the socket examples against real peers on loopback: echo-server.lisp driven
# by socat/nc, echo-client.lisp against a socat echo, the UDP and Unix-domain examples;
# every command bounded by a timeout.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 2

# A port nobody listens on now (the OS's pick, released at once).
free_port() {
  "$CLOVE" --no-init --batch -e '(with-open-socket (l :connect :passive :local-host "127.0.0.1" :local-port 0) (princ (local-port l)))' </dev/null
}

# Waits (bounded) until something listens on 127.0.0.1:$1.
wait_listen() {
  local i
  for i in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  return 1
}

# ---- udp-echo.lisp: send-to / receive-from round trip in one process ----
run timeout -k 2 20 "$CLOVE" examples/udp-echo.lisp ping "two words"
check "udp echo round trip" '[ "$rc" = 0 ] && contains "$out" "client got back \"ping\"" && contains "$out" "server got \"two words\" from 127.0.0.1:" && contains "$out" "client got back \"two words\""'

# ---- unix-socket.lisp: server and client over a Unix-domain socket in $T ----
run timeout -k 2 20 "$CLOVE" examples/unix-socket.lisp "$T/demo.sock"
check "unix socket round trip" '[ "$rc" = 0 ] && contains "$out" "listening on $T/demo.sock (exists: T)" && contains "$out" "client got \"echo: hello over a unix socket\"" && contains "$out" "socket file exists: NIL" && [ ! -e "$T/demo.sock" ]'

if ! command -v socat >/dev/null; then
  echo "socat is missing"
  failed=1
  finish
  exit 1
fi

# ---- echo-server.lisp, driven by socat ----
port=$(free_port)
timeout -k 2 20 "$CLOVE" examples/echo-server.lisp "$port" 2 >"$T/server.out" 2>"$T/server.err" &
server=$!
# wait_listen connects once to probe: that uses up one of the 2 connections.
if wait_listen "$port"; then
  run -i $'hello\nworld\nquit\n' socat -t 5 - "TCP:127.0.0.1:$port"
  check "server echoes lines" '[ "$out" = $'"'"'echo: hello\necho: world\nbye'"'"' ]'
else
  rc=1 out="server did not listen" err=$(cat "$T/server.err")
  check "server echoes lines" false
fi
wait "$server"
src=$?
out=$(cat "$T/server.out") err=$(cat "$T/server.err") rc=$src
check "server exits 0 after its connections" '[ "$rc" = 0 ] && contains "$out" "listening on $port"'

# ---- the same server, driven by nc (CRLF line ends from the peer are tolerated) ----
if command -v nc >/dev/null; then
  port=$(free_port)
  timeout -k 2 20 "$CLOVE" examples/echo-server.lisp "$port" 1 >"$T/server.out" 2>"$T/server.err" &
  server=$!
  sleep 0.5
  for i in $(seq 1 50); do grep -q listening "$T/server.out" && break; sleep 0.1; done
  run -i $'ping\nquit\n' timeout 5 nc -q 2 127.0.0.1 "$port"
  [ "$rc" = 1 ] && run -i $'ping\nquit\n' timeout 5 nc -N 127.0.0.1 "$port"
  check "nc gets the echo" 'contains "$out" "echo: ping" && contains "$out" "bye"'
  wait "$server"
fi

# ---- echo-client.lisp against a socat echo ----
port=$(free_port)
# fork: the readiness probe takes one connection, the client gets its own.
timeout -k 2 20 socat "TCP-LISTEN:$port,reuseaddr,fork,bind=127.0.0.1" EXEC:cat >/dev/null 2>&1 &
echo_pid=$!
wait_listen "$port"
run "$CLOVE" examples/echo-client.lisp "$port" 127.0.0.1
check "client prints the echoed lines" '[ "$rc" = 0 ] && [ "$out" = $'"'"'hello\nfrom clove\nλ unicode'"'"' ]'
kill "$echo_pid" 2>/dev/null
wait "$echo_pid" 2>/dev/null

# ---- client to a port nobody listens on: CCL's error, exit status 1 ----
port=$(free_port)
run "$CLOVE" examples/echo-client.lisp "$port" 127.0.0.1
check "refused connection is reported" '[ "$rc" = 1 ] && contains "$err" "Connection refused (error #111) during attempt to connect to 127.0.0.1:$port"'

finish
