#!/usr/bin/env bash
# processes.sh — CCL's processes with real sockets and a real terminal: a server process serving 50
# client processes at once, the shape of CCL's examples/sockets/socket-test.lisp (and that file itself
# when CCL's sources are at hand), the REPL staying usable under tmux while a server process waits,
# errors and quit in background processes, and the collector under CLOVE_GC_STRESS=1 with 8 processes.
# Tests of bugs not fixed yet are skipped unless CLOVE_KNOWN_BUGS=1.
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 2

# known_bug DESC CONDITION: check, when CLOVE_KNOWN_BUGS is set; else only named.
known_bug() {
  if [ -n "${CLOVE_KNOWN_BUGS-}" ]; then check "$1" "$2"; else echo "# skipped (known bug): $1"; fi
}

# line_of PREFIX: the rest of the line of $out that starts with PREFIX.
line_of() { printf '%s\n' "$out" | sed -n "s/^$1 //p" | head -n 1; }

# ---- (a) one server process, 50 client processes at once, 100 lines each, every reply checked ----
cat >"$T/many.lisp" <<'EOF'
(defun open-fds ()
  ;; The least of three counts: while RUN-PROGRAM starts the shell, a descriptor of its own may be open.
  (flet ((one () (parse-integer
                  (with-output-to-string (s)
                    (run-program "/bin/sh" (list "-c" (format nil "ls /proc/~d/fd | wc -l" (ccl::getpid)))
                                 :output s)))))
    (min (one) (one) (one))))
(defvar *lock* (make-lock "stats"))
(defvar *open* 0)
(defvar *max-open* 0)
(defvar *served* 0)
(defun reply-to (line) (format nil "~d ~a" (length line) (reverse line)))
(defun handle (s)
  (with-lock-grabbed (*lock*) (incf *open*) (setf *max-open* (max *max-open* *open*)))
  (unwind-protect
       (with-open-stream (s s)
         (loop for line = (read-line s nil) while line
               do (write-line (reply-to line) s) (finish-output s)))
    (with-lock-grabbed (*lock*) (decf *open*) (incf *served*))))
(defun serve (listener n)
  (let ((handlers nil))
    (dotimes (i n)
      (let ((s (accept-connection listener)))
        (push (process-run-function (format nil "handler ~d" i) #'handle s) handlers)))
    (mapc #'join-process handlers)
    :served))
;; Each client connects, waits at the gate until all 50 are being served, then talks.
(defun client (port k gate)
  (with-open-socket (c :remote-host "127.0.0.1" :remote-port port)
    (unless (timed-wait-on-semaphore gate 30) (error "client ~d was never let through" k))
    (loop for i below 100
          count (let ((line (format nil "client ~d line ~d" k i)))
                  (write-line line c) (finish-output c)
                  (equal (read-line c nil :eof) (reply-to line))))))
(defvar *before* (open-fds))
(let* ((listener (make-socket :connect :passive :local-host "127.0.0.1" :local-port 0 :reuse-address t
                              :backlog 64))
       (port (local-port listener))
       (gate (make-semaphore))
       (server (process-run-function "server" #'serve listener 50))
       (clients (loop for k below 50 collect (process-run-function (format nil "client ~d" k) #'client port k gate))))
  (unwind-protect
       (progn
         (format t "all-connected ~a~%" (process-wait-with-timeout "connections" 30000 (lambda () (= *open* 50))))
         (dotimes (i 50) (signal-semaphore gate))
         (let ((counts (mapcar (lambda (p)
                                 (if (process-wait-with-timeout "client" 60000 (lambda () (process-exhausted-p p)))
                                     (join-process p :default :failed)
                                     (progn (process-kill p) :hung)))
                               clients)))
           (format t "replies ~d~%" (reduce #'+ (remove-if-not #'integerp counts)))
           (format t "clients-ok ~d~%" (count 100 counts)))
         (format t "server ~s~%" (and (process-wait-with-timeout "server" 30000 (lambda () (process-exhausted-p server)))
                                      (join-process server :default :failed))))
    (dolist (p (all-processes)) (unless (eq p *current-process*) (process-kill p)))
    (close listener)))
(format t "max-open ~d~%" *max-open*)
(format t "served ~d~%" *served*)
(format t "processes-left ~d~%" (1- (length (all-processes))))
(format t "fds-leaked ~d~%" (- (open-fds) *before*))
EOF
run "$CLOVE" --no-init --batch "$T/many.lisp"
check "50 clients: all 50 are served at once" '[ "$rc" = 0 ] && [ "$(line_of all-connected)" = T ] && [ "$(line_of max-open)" = 50 ]'
check "50 clients: every one of the 5000 replies is right" '[ "$(line_of replies)" = 5000 ] && [ "$(line_of clients-ok)" = 50 ]'
check "50 clients: the server process returns after its 50 handler processes" '[ "$(line_of server)" = :SERVED ] && [ "$(line_of served)" = 50 ]'
check "50 clients: no process and no descriptor left afterwards" '[ "$(line_of processes-left)" = 0 ] && [ "$(line_of fds-leaked)" = 0 ]'

# ---- (b) the shape of CCL's socket-test.lisp: stream and datagram servers in processes, clients in
# the main process; IPv4, IPv6 (when ::1 can be bound) and Unix-domain ----
cat >"$T/shape.lisp" <<'EOF'
(defpackage :shape-test (:use :cl :ccl))
(in-package :shape-test)
(defun say (format &rest args) (format t "~&; ~?~%" format args) (finish-output))

(defun make-stream-server (address-family &rest args)
  (let ((server-socket (apply #'make-socket :address-family address-family :connect :passive args)))
    (values (process-run-function (format nil "~a stream server" address-family)
                                  (lambda ()
                                    (let ((client-socket (accept-connection server-socket)))
                                      (unwind-protect
                                           (loop for command = (read-line client-socket)
                                                 while (not (string= command "quit"))
                                                 do (format client-socket "yes ~a~%" command)
                                                    (finish-output client-socket)
                                                 count t)
                                        (close client-socket)
                                        (close server-socket)))))
            server-socket)))

(defun run-stream-test (address-family server-args client-args-fn)
  (multiple-value-bind (server listener) (apply #'make-stream-server address-family server-args)
    (let ((client-socket (apply #'make-socket :address-family address-family (funcall client-args-fn listener))))
      (setf (stream-input-timeout client-socket) 5)
      (unwind-protect
           (progn
             (format client-socket "hello~%") (force-output client-socket)
             (say "~a stream: got reply ~s" address-family (read-line client-socket))
             (format client-socket "quit~%") (force-output client-socket)
             (say "~a stream: server served ~s command" address-family (join-process server :default :failed)))
        (close client-socket)
        (process-kill server)))))

(defun receive-message (socket)
  (multiple-value-bind (buffer len address) (receive-from socket 100 :want-socket-address-p t)
    (values (decode-string-from-octets buffer :end len) address)))

(defun send-message (socket string address)
  (let ((octets (encode-string-to-octets string)))
    (send-to socket octets (length octets) :remote-address address)))

(defun run-datagram-test (address-family host)
  (with-open-socket (server-socket :address-family address-family :type :datagram :local-host host :local-port 0)
    (with-open-socket (client-socket :address-family address-family :type :datagram)
      (let ((server (process-run-function (format nil "~a datagram server" address-family)
                                          (lambda ()
                                            (loop for n from 0
                                                  do (multiple-value-bind (message from) (receive-message server-socket)
                                                       (when (string-equal message "quit") (return n))
                                                       (send-message server-socket (format nil "yes ~a" message) from))))))
            (server-address (resolve-address :address-family address-family :host host
                                             :port (local-port server-socket))))
        (setf (stream-input-timeout client-socket) 5)
        (unwind-protect
             (progn
               (send-message client-socket "hello" server-address)
               (say "~a datagram: server says ~s" address-family (receive-message client-socket))
               (send-message client-socket "quit" server-address)
               (say "~a datagram: server answered ~s message" address-family (join-process server :default :failed)))
          (process-kill server))))))

(defun ipv6-p ()
  (ignore-errors (with-open-socket (s :address-family :internet6 :connect :passive :local-host "::1" :local-port 0) t)))

(defun run-all (path)
  (run-stream-test :internet '(:local-host "127.0.0.1" :local-port 0 :reuse-address t)
                   (lambda (l) (list :remote-host "127.0.0.1" :remote-port (local-port l))))
  (if (ipv6-p)
      (run-stream-test :internet6 '(:local-host "::1" :local-port 0 :reuse-address t)
                       (lambda (l) (list :remote-host "::1" :remote-port (local-port l))))
      (say "no IPv6 here"))
  (run-stream-test :file (list :local-filename path) (lambda (l) (declare (ignore l)) (list :remote-filename path)))
  (run-datagram-test :internet "127.0.0.1")
  (when (ipv6-p) (run-datagram-test :internet6 "::1"))
  (say "processes left: ~d" (1- (length (all-processes)))))
EOF
run "$CLOVE" --no-init --batch -l "$T/shape.lisp" -e "(shape-test::run-all \"$T/shape.sock\")"
check "socket-test shape: IPv4 stream server process" '[ "$rc" = 0 ] && contains "$out" "; INTERNET stream: got reply \"yes hello\"" && contains "$out" "; INTERNET stream: server served 1 command"'
if contains "$out" "no IPv6 here"; then
  echo "# IPv6 is not available here: its cases are skipped"
else
  check "socket-test shape: IPv6 stream server process" 'contains "$out" "; INTERNET6 stream: got reply \"yes hello\"" && contains "$out" "; INTERNET6 stream: server served 1 command"'
  check "socket-test shape: IPv6 datagram server process" 'contains "$out" "; INTERNET6 datagram: server says \"yes hello\"" && contains "$out" "; INTERNET6 datagram: server answered 1 message"'
fi
check "socket-test shape: Unix-domain stream server process" 'contains "$out" "; FILE stream: got reply \"yes hello\"" && contains "$out" "; FILE stream: server served 1 command"'
check "socket-test shape: IPv4 datagram server process" 'contains "$out" "; INTERNET datagram: server says \"yes hello\"" && contains "$out" "; INTERNET datagram: server answered 1 message"'
check "socket-test shape: no process left" 'contains "$out" "; processes left: 0"'

# CCL's own file, when its sources are at hand (CCL_SOURCES: a checkout or a bare mirror of Clozure/ccl).
ccl_src=${CCL_SOURCES:-/work/.mirror/Clozure+ccl/repo}
if git -C "$ccl_src" show HEAD:examples/sockets/socket-test.lisp >"$T/socket-test.lisp" 2>/dev/null ||
  cp "$ccl_src/examples/sockets/socket-test.lisp" "$T/socket-test.lisp" 2>/dev/null; then
  # Its RUN-TRIVIAL-TEST uses port 3994 and /tmp/ccl-socktest; the parts are run with a free port and
  # a path of this test's own instead.
  port=$("$CLOVE" --no-init --batch -e '(with-open-socket (l :connect :passive :local-host "127.0.0.1" :local-port 0) (princ (local-port l)))' </dev/null)
  parts="(socket-test::run-stream-test :internet :host \"127.0.0.1\" :port $port)
    (socket-test::run-stream-test :file :path \"$T/ccl-socktest\")
    (socket-test::run-datagram-test :internet :host \"127.0.0.1\" :port $port)"
  run "$CLOVE" --no-init --batch -l "$T/socket-test.lisp" -e "(progn $parts)"
  check "CCL's socket-test.lisp runs unchanged (#\$SOL_SOCKET, #\$SO_RCVTIMEO, ccl::timeval-setsockopt, ccl::socket-device)" \
    '[ "$rc" = 0 ] && [ "$(grep -c "got reply \"yes hello\"" <<<"$out")" = 2 ] && [ "$(grep -c "server says \"yes hello\"" <<<"$out")" = 1 ]'
  # The one change that makes it load: its receive timeout set the portable way.
  sed 's|(ccl::timeval-setsockopt (ccl::socket-device socket) #\$SOL_SOCKET #\$SO_RCVTIMEO +receive-timeout+)|(setf (stream-input-timeout socket) +receive-timeout+)|' \
    "$T/socket-test.lisp" >"$T/socket-test-portable.lisp"
  run "$CLOVE" --no-init --batch -l "$T/socket-test-portable.lisp" -e "(progn $parts)"
  check "CCL's socket-test.lisp (its receive timeout set with stream-input-timeout): IPv4, Unix-domain, datagram" \
    '[ "$rc" = 0 ] && [ "$(grep -c "got reply \"yes hello\"" <<<"$out")" = 2 ] && [ "$(grep -c "server says \"yes hello\"" <<<"$out")" = 1 ] && [ "$(grep -c "server exiting" <<<"$out")" = 2 ]'
else
  echo "# CCL's sources are not at $ccl_src (set CCL_SOURCES): its socket-test.lisp is not run"
fi

# ---- several processes writing to *standard-output* (a pipe): no line lost, repeated or torn ----
run "$CLOVE" --no-init --batch -e '(defun w (tag) (dotimes (i 5000) (write-line tag)))' \
  -e '(mapc (function join-process) (list (process-run-function "a" (function w) "aaaa") (process-run-function "b" (function w) "bbbb") (process-run-function "c" (function w) "cccc")))'
check "three processes write 5000 lines each to standard output: every line whole, none lost or repeated" \
  '[ "$rc" = 0 ] && [ "$(sort <<<"$out" | uniq -c | awk '"'"'{printf "%s %s;", $1, $2}'"'"')" = "5000 aaaa;5000 bbbb;5000 cccc;" ]'

# ---- errors, quit and cleanups in background processes ----
run "$CLOVE" --no-init --batch -e '(defun f (x) (car x))' \
  -e '(princ (join-process (process-run-function "bad" (lambda () (f 5))) :default :dflt))' -e '(princ " after")'
check "an unhandled error in a process: > Error in process NAME(N): and where, on stderr" \
  '[ "$rc" = 0 ] && [ "$(sed -n 1,2p <<<"$err")" = "> Error in process bad(2): The value 5 is not of the expected type LIST.
> While executing: F, in process bad(2)." ]'
check "an unhandled error in a process: a backtrace follows" 'contains "$err" "Backtrace:
  0: F"'
check "an unhandled error in a process: join-process gets the default, the program goes on" '[ "$out" = "DFLT after" ]'

run "$CLOVE" --no-init --batch -e '(process-run-function "bg" (lambda () (sleep 0.1) (error "my ~a" 1)))' \
  -e '(sleep 0.5)' -e '(princ :main-alive)'
check "an error in a process leaves the main process running, exit status 0" \
  '[ "$rc" = 0 ] && [ "$out" = MAIN-ALIVE ] && contains "$err" "> Error in process bg(2): my 1"'

run "$CLOVE" --no-init --batch -e '(process-run-function "q" (lambda () (sleep 0.1) (quit 3)))' -e '(sleep 5)' -e '(princ :not-reached)'
check "(quit 3) in a background process ends the program with status 3" '[ "$rc" = 3 ] && [ -z "$out" ]'

run "$CLOVE" --no-init --batch \
  -e '(process-run-function "bg" (lambda () (unwind-protect (sleep 10) (format t "sleeper-cleanup~%") (finish-output))))' \
  -e '(process-run-function "busy" (lambda () (unwind-protect (loop) (format t "busy-cleanup~%") (finish-output))))' \
  -e '(sleep 0.1)' -e '(quit 4)'
check "(quit) stops the other processes first: their unwind-protect cleanups run" \
  '[ "$rc" = 4 ] && contains "$out" "sleeper-cleanup" && contains "$out" "busy-cleanup"'

start_s=$(date +%s)
run "$CLOVE" --no-init --batch -e '(process-run-function "stuck" (lambda () (unwind-protect (sleep 100) (sleep 100))))' \
  -e '(sleep 0.1)' -e '(quit 5)'
check "(quit) does not wait for ever for a process stuck in its cleanup" '[ "$rc" = 5 ] && [ $(($(date +%s) - start_s)) -lt 20 ]'

# ---- (d) the collector under CLOVE_GC_STRESS=1 (a collection at every allocation), 8 processes ----
cat >"$T/gc.lisp" <<'EOF'
;; Each process keeps what it allocates in locals only, and yields after every step: a collector
;; that missed a parked process's stack or registers would free them. No LOOP or FORMAT: loading
;; those libraries under CLOVE_GC_STRESS=1 would cost more than the test.
(defun work (k)
  (let ((acc nil) (h (make-hash-table :test 'equal)) (ok t))
    (dotimes (i 12)
      (push (list i (make-string 3 :initial-element (code-char (+ 65 k))) (make-array 3 :initial-element k)) acc)
      (setf (gethash (list k i) h) (cons k i))
      (process-allow-schedule))
    (dolist (e acc)
      (unless (and (string= (second e) (make-string 3 :initial-element (code-char (+ 65 k))))
                   (every (lambda (x) (eql x k)) (third e)))
        (setq ok nil)))
    (dotimes (i 12)
      (unless (equal (gethash (list k i) h) (cons k i)) (setq ok nil)))
    (list (length acc) (hash-table-count h) ok)))
(let ((ps nil))
  (dotimes (k 8) (push (process-run-function "alloc" #'work k) ps))
  (prin1 (mapcar (lambda (p) (join-process p :default :died)) (reverse ps)))
  (terpri))
EOF
run env CLOVE_GC_STRESS=1 "$CLOVE" --no-init --batch "$T/gc.lisp"
check "CLOVE_GC_STRESS=1: 8 processes allocate, every structure intact" \
  '[ "$rc" = 0 ] && [ "$out" = "((12 12 T) (12 12 T) (12 12 T) (12 12 T) (12 12 T) (12 12 T) (12 12 T) (12 12 T))" ]'

# ---- (c) the REPL under a real terminal (tmux) while a server process waits ----
if ! command -v tmux >/dev/null || ! command -v nc >/dev/null; then
  echo "# tmux or nc is not installed: the terminal cases are skipped"
  finish
  exit
fi

PTY_COLS=120 PTY_ROWS=50 # the server's DEFUN is typed on one line; the session's screen is long
. "$(dirname "$0")/pty.bash"

# answer_to FORM: types FORM at the ? prompt; $out is the screen, $answer the line after FORM.
answer_to() {
  type_line "$1" '?'
  out=$(screen)
  rc=0
  answer=$(printf '%s\n' "$out" | grep -F -x -A1 "? $1" | tail -n 1)
}

start
type_line '(defun serve (listener) (with-open-stream (s (accept-connection listener)) (format s "hello ~a~%" (read-line s)) (finish-output s)) :served)' '?'
type_line '(defvar *l* (make-socket :connect :passive :local-host "127.0.0.1" :local-port 0))' '?'
answer_to '(local-port *l*)'
port=$answer
answer_to '(defvar *p* (process-run-function "echo" (function serve) *l*))'
check "REPL: process-run-function returns at once" '[ "$answer" = "*P*" ]'
answer_to '*p*'
check "REPL: the server process waits in accept-connection: #<PROCESS echo(2) [Input] #x…>" \
  'matches "$answer" "^#<PROCESS echo\(2\) \[Input\] #x[0-9A-F]+>$"'
answer_to '(+ 1 2)'
check "REPL: the prompt answers while the server process waits" '[ "$answer" = 3 ]'
answer_to '(mapcar (function process-name) (all-processes))'
check "REPL: all-processes lists the listener and the server" 'contains "$answer" "\"listener\"" && contains "$answer" "\"echo\""'
out=$(printf 'world\n' | timeout 5 nc -q 2 127.0.0.1 "$port" 2>&1)
[ -z "$out" ] && out=$(printf 'world\n' | timeout 5 nc -N 127.0.0.1 "$port" 2>&1)
rc=0
check "REPL: nc connects to the server process and gets its reply" '[ "$out" = "hello world" ]'
answer_to '(join-process *p*)'
check "REPL: join-process returns the server's value" '[ "$answer" = :SERVED ]'
answer_to '(list (process-whostate *p*) (length (all-processes)))'
check "REPL: the server process is dead and gone" '[ "$answer" = "(\"Dead\" 1)" ]'

# An error in a background process is reported on the terminal; the REPL carries on.
type_line '(process-run-function "bad" (lambda () (sleep 0.2) (car (symbol-value (quote *l*)))))' '?'
sleep 0.6
# The message comes after the prompt was printed: the next form is typed on a line of its own.
type_line '(+ 2 3)' '?'
out=$(screen)
rc=0
check "REPL: an error in a background process is shown; the listener carries on" \
  'contains "$out" "> Error in process bad(3): The value #<LISTENER-SOCKET" && contains "$out" "(+ 2 3)
5
?"'

# Ctrl-C interrupts the listener only: a busy background process keeps running.
type_line '(defvar *n* 0)' '?'
type_line '(defvar *busy* (process-run-function "busy" (lambda () (loop (incf *n*)))))' '?'
type_line '(defun spin () (loop))' '?'
type_line '(spin)' ''
sleep 0.3
tmx send-keys C-c
wait_for '1 >'
out=$(screen)
rc=0
check "REPL: Ctrl-C breaks into the listener's own process" \
  'contains "$out" "> Break: interrupt signal
> While executing: SPIN, in process listener(1)."'
type_line ':pop' '?'
answer_to '(let ((a *n*)) (sleep 0.2) (list (> *n* a) (process-whostate *busy*)))'
check "REPL: after Ctrl-C and :pop, the background process still runs" '[ "$answer" = "(T \"Active\")" ]'
type_line '(car 5)' '1 >'
type_line ':proc' '1 >'
out=$(screen)
rc=0
check "REPL: :proc lists the processes as CCL does (N : -> name [whostate])" \
  'matches "$out" "1 : -> listener +\[Active\]" && matches "$out" "4 :    busy +\[Active\]"'
type_line ':pop' '?'
answer_to '(progn (process-kill *busy*) (join-process *busy* :default :killed))'
check "REPL: process-kill ends the busy process" '[ "$answer" = :KILLED ]'

finish
