#!/usr/bin/env bash
# examples.sh — the HTTP, binary-framing and error examples against real peers on loopback:
# http-get.lisp against python3's http.server and against http-server.lisp, http-server.lisp
# fetched with curl, binary-protocol.lisp and errors.lisp on their own; every command bounded.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 2

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT

free_port() {
  timeout 10 "$CLOVE" --no-init --batch -e '(with-open-socket (l :connect :passive :local-host "127.0.0.1" :local-port 0) (princ (local-port l)))' </dev/null
}

# Waits (bounded) until something listens on 127.0.0.1:$1, without connecting to it.
wait_port() {
  local i hex
  hex=$(printf ':%04X ' "$1")
  for i in $(seq 1 100); do
    grep -q "0100007F$hex.* 0A " /proc/net/tcp 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

# Waits (bounded) for "listening on http://127.0.0.1:PORT/" in file $1; prints PORT.
server_port() {
  local i
  for i in $(seq 1 100); do
    if grep -q 'listening on' "$1" 2>/dev/null; then
      sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)/$|\1|p' "$1"
      return 0
    fi
    sleep 0.05
  done
  return 1
}

# ---- http-server.lisp, fetched with curl ----
timeout -k 2 30 "$CLOVE" examples/http-server.lisp 0 4 >"$T/server.out" 2>"$T/server.err" </dev/null &
server=$!
pids+=("$server")
port=$(server_port "$T/server.out")
check "http-server prints its port" '[ -n "$port" ]'
run curl -s --max-time 5 -w '\n%{http_code} %{size_download}' "http://127.0.0.1:$port/"
check "GET / is 200 with the page" '[ "$rc" = 0 ] && contains "$out" "<h1>Hello from Clove</h1>" && matches "$out" $'"'"'\n200 52$'"'"''
run curl -s --max-time 5 -w '\n%{http_code}' "http://127.0.0.1:$port/missing"
check "GET /missing is 404" '[ "$rc" = 0 ] && contains "$out" "Not found: /missing" && matches "$out" $'"'"'\n404$'"'"''
run curl -s -i --max-time 5 "http://127.0.0.1:$port/"
check "headers carry Content-Length" '[ "$rc" = 0 ] && contains "$out" "HTTP/1.0 200 OK" && contains "$out" "Content-Length: 52"'

# ---- http-get.lisp against http-server.lisp (the server's 4th and last request) ----
run "$CLOVE" examples/http-get.lisp 127.0.0.1 "$port" /
check "http-get prints status, headers, body from clove's server" '[ "$rc" = 0 ] && contains "$out" "status: HTTP/1.0 200 OK" && contains "$out" "header: Content-Length: 52" && contains "$out" $'"'"'body:\n<html><body><h1>Hello from Clove</h1></body></html>'"'"''
wait "$server"
rc=$?
out=$(cat "$T/server.out") err=$(cat "$T/server.err")
check "http-server logs its requests and stops after 4" '[ "$rc" = 0 ] && contains "$out" "GET / HTTP/1.1 -> 200" && contains "$out" "GET /missing HTTP/1.1 -> 404" && contains "$out" "GET / HTTP/1.0 -> 200" && contains "$out" "served 4 requests, bye"'

# ---- http-get.lisp against python3 -m http.server serving a known file ----
if command -v python3 >/dev/null; then
  mkdir -p "$T/www"
  printf 'first line\nsecond line\n' >"$T/www/known.txt"
  port=$(free_port)
  timeout -k 2 30 python3 -m http.server --bind 127.0.0.1 --directory "$T/www" "$port" >"$T/py.log" 2>&1 </dev/null &
  pids+=($!)
  if wait_port "$port"; then
    run "$CLOVE" examples/http-get.lisp 127.0.0.1 "$port" /known.txt
    check "http-get fetches a file from python's server" '[ "$rc" = 0 ] && contains "$out" "status: HTTP/1.0 200 OK" && contains "$out" "header: Content-Length: 23" && matches "$out" "header: Server: SimpleHTTP" && contains "$out" $'"'"'body:\nfirst line\nsecond line'"'"''
    run "$CLOVE" examples/http-get.lisp localhost "$port" /nothing-here
    check "http-get shows python's 404 (via localhost)" '[ "$rc" = 0 ] && matches "$out" "status: HTTP/1.0 404 "'
  else
    out=$(cat "$T/py.log") rc=1
    check "python http.server started" false
  fi
else
  echo "# python3 missing: http-get against python skipped"
fi

# ---- binary-protocol.lisp ----
run "$CLOVE" examples/binary-protocol.lisp abc
check "binary frames round-trip" '[ "$rc" = 0 ] && contains "$out" "server got frame: #(97 98 99)" && contains "$out" "client got back:  #(99 98 97)" && contains "$out" "server got frame: #()" && contains "$out" "client got back:  #(255 2 1 0)" && contains "$out" "server got frame: 70000 octets, sum 8746781" && contains "$out" "client got back:  70000 octets, sum 8746781" && contains "$out" "after close, server reads NIL"'
check "binary stream element type" 'contains "$out" "element type (UNSIGNED-BYTE 8)"'

# ---- errors.lisp ----
start=$(date +%s%N)
run "$CLOVE" examples/errors.lisp
elapsed=$((($(date +%s%N) - start) / 1000000))
check "errors: exit 0, all caught" '[ "$rc" = 0 ] && contains "$out" "all five errors caught" && [ -z "$err" ]'
check "errors: refused" 'matches "$out" $'"'"'connection refused:\n  SOCKET-CREATION-ERROR :CONNECTION-REFUSED\n  Connection refused \\(error #111\\) during attempt to connect to 127.0.0.1:[0-9]+'"'"''
check "errors: address in use" 'contains "$out" $'"'"'address in use:\n  SOCKET-CREATION-ERROR :ADDRESS-IN-USE\n  Address already in use (error #98)'"'"''
check "errors: read timeout" 'contains "$out" $'"'"'read timeout after 0.5 seconds:\n  INPUT-TIMEOUT\n  Input timeout on #<TCP-STREAM'"'"''
check "errors: reset" 'contains "$out" $'"'"'connection reset by the peer:\n  SOCKET-ERROR :CONNECTION-RESET\n  Connection reset by peer (error #104) during read'"'"''
check "errors: unknown host" 'matches "$out" $'"'"'unknown host:\n  SOCKET-CREATION-ERROR :(HOST-NOT-FOUND|TRY-AGAIN|NO-RECOVERY)'"'"''
check "errors: the timeout took about 0.5 s ($elapsed ms in all)" '[ "$elapsed" -ge 450 ] && [ "$elapsed" -lt 10000 ]'

finish
