#!/usr/bin/env bash
# repl.sh — the listener as a learner meets it, under a real pseudo-terminal (tmux): CCL's break
# loop (> Error:, 1 >, :pop, :r, (:c n), nesting), Ctrl-C out of running code, Ctrl-D, and pipe mode.
. "$(dirname "$0")/lib.sh"

if ! command -v tmux >/dev/null; then
  echo "# tmux is not installed: the pty cases are skipped"
fi

export HOME=$T # no init file, no history of the user's
n_sessions=0
SOCK="clove-test-$$-0"
tmx() { tmux -L "$SOCK" "$@"; }
trap 'tmx kill-server 2>/dev/null; rm -rf "$T"' EXIT

# start: a fresh clove in a 100x40 terminal; the shell line after it shows its exit status.
start() {
  tmx kill-server 2>/dev/null
  n_sessions=$((n_sessions + 1))
  SOCK="clove-test-$$-$n_sessions" # a server of its own: the last one may still be exiting
  tmx new-session -d -x 100 -y 40 "$CLOVE -n -Q; echo \"[exit \$?]\"; sleep 30"
  wait_for '?'
}

# screen: the pane's text, trailing blank lines cut.
screen() { tmx capture-pane -p | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'; }

# wait_for TEXT: until the screen's last non-blank line is TEXT (a prompt, without its trailing
# space, which the pane does not keep) on two looks 0.1 s apart, or 5 s pass.
wait_for() {
  local i seen=0
  for i in $(seq 50); do
    if [ "$(screen | tail -n 1)" = "$1" ]; then
      seen=$((seen + 1))
      [ "$seen" -ge 2 ] && return 0
    else
      seen=0
    fi
    sleep 0.1
  done
  return 1
}

# type LINE PROMPT: types LINE and Enter, then waits for PROMPT.
type_line() {
  tmx send-keys -l "$1"
  tmx send-keys Enter
  if [ -n "$2" ]; then wait_for "$2"; else sleep 0.2; fi
}

# expect DESC EXPECTED: the whole screen must be EXPECTED.
expect_screen() {
  out=$(screen)
  rc=0
  expected=$2
  check "$1" '[ "$out" = "$expected" ]'
  [ "$out" = "$expected" ] || diff <(printf '%s\n' "$expected") <(printf '%s\n' "$out") | sed 's/^/#   /'
}

if command -v tmux >/dev/null; then
  start
  type_line '(car 5)' '1 >'
  expect_screen "an unhandled error enters CCL's break loop at level 1" "? (car 5)
> Error: The value 5 is not of the expected type LIST.
> While executing: CAR, in process listener(1).
> Type :POP to abort, :R for a list of available restarts.
> Type :? for other options.
1 >"
  type_line ':pop' '?'
  type_line '(+ 1 2)' '?'
  expect_screen ":pop returns to the top level, which still works" "? (car 5)
> Error: The value 5 is not of the expected type LIST.
> While executing: CAR, in process listener(1).
> Type :POP to abort, :R for a list of available restarts.
> Type :? for other options.
1 > :pop

? (+ 1 2)
3
?"

  start
  type_line '(defun f (x) (car x))' '?'
  type_line '(f 5)' '1 >'
  type_line '(f 6)' '2 >'
  type_line ':r' '2 >'
  type_line '(:c 2)' '1 >'
  type_line ':b' '1 >'
  type_line '(list 1 (+ 1 1))' '1 >'
  type_line '(abort)' '?'
  expect_screen ":r lists the restarts of each level; (:c 2), :b, forms in the break loop, (abort)" "? (defun f (x) (car x))
F
? (f 5)
> Error: The value 5 is not of the expected type LIST.
> While executing: F, in process listener(1).
> Type :POP to abort, :R for a list of available restarts.
> Type :? for other options.
1 > (f 6)
> Error: The value 6 is not of the expected type LIST.
> While executing: F, in process listener(1).
> Type :POP to abort, :R for a list of available restarts.
> Type :? for other options.
2 > :r
2 > The value 6 is not of the expected type LIST.
2 > While executing: F, in process listener(1).
2 > Type (:C <n>) to invoke one of the following restarts:
0. Return to break level 2.
1. Exit break level 2.
2. Return to break level 1.
3. Exit break level 1.
4. Return to toplevel.
5. Exit toplevel.
2 > (:c 2)

1 > :b
 0: (F 5)
1 > (list 1 (+ 1 1))
(1 2)
1 > (abort)

?"

  start
  type_line '(loop)' ''
  sleep 0.3
  tmx send-keys C-c
  wait_for '1 >'
  type_line ':pop' '?'
  type_line '(sleep 100)' ''
  sleep 0.3
  tmx send-keys C-c
  wait_for '1 >'
  type_line ':pop' '?'
  type_line '(+ 1 2)' '?'
  expect_screen "Ctrl-C stops a tight loop and a sleep with CCL's break; :pop; the listener still works" "? (loop)
^C
> Break: interrupt signal
> Type :GO to continue, :POP to abort, :R for a list of available restarts.
> If continued: Return from BREAK.
> Type :? for other options.
1 > :pop

? (sleep 100)
^C
> Break: interrupt signal
> While executing: SLEEP, in process listener(1).
> Type :GO to continue, :POP to abort, :R for a list of available restarts.
> If continued: Return from BREAK.
> Type :? for other options.
1 > :pop

? (+ 1 2)
3
?"

  start
  type_line '(progn (dotimes (i 3) (sleep 0.4)) (princ "done") 7)' ''
  sleep 0.2
  tmx send-keys C-c
  wait_for '1 >'
  type_line ':go' '?'
  out=$(screen)
  check ":go after Ctrl-C resumes the interrupted computation" \
    'contains "$out" "1 > :go
done
7
?"'

  start
  type_line '(car 5)' '1 >'
  type_line '(car 6)' '2 >'
  tmx send-keys C-d
  wait_for '1 >'
  tmx send-keys C-d
  wait_for '?'
  tmx send-keys C-d
  wait_for '[exit 0]'
  out=$(screen)
  check "Ctrl-D pops one break level at a time, then exits with status 0 at the top level" \
    'contains "$out" "2 >
1 >
?
[exit 0]"'

  # Line editing (GNU readline): a form over two lines, history recall, and the history
  # kept in ~/.clove_history across a restart in the same HOME.
  rm -f "$HOME/.clove_history"
  start
  type_line '(+ 1' ''
  type_line '2)' '?'
  type_line '(list 1 2)' '?'
  tmx send-keys Up
  sleep 0.2
  tmx send-keys Enter
  wait_for '?'
  expect_screen "readline: a form typed over two lines, then Up recalls and re-runs the last line" "? (+ 1
2)
3
? (list 1 2)
(1 2)
? (list 1 2)
(1 2)
?"
  tmx send-keys C-d
  wait_for '[exit 0]'
  start
  tmx send-keys Up
  sleep 0.2
  tmx send-keys Enter
  wait_for '?'
  expect_screen "readline: the history survives a restart (~/.clove_history)" "? (list 1 2)
(1 2)
?"

  start
  tmx send-keys -l '(make-socket :remote-h'
  tmx send-keys Tab
  sleep 0.3
  expect_screen "readline: Tab completes a keyword of a native (:remote-h -> :remote-host)" \
    "? (make-socket :remote-host"
  tmx send-keys C-c
  wait_for '?'
  type_line '(+ 1 2)' '?'
  expect_screen "readline: Ctrl-C at the prompt abandons the line; the next one is read afresh" \
    "? (make-socket :remote-host ^C
? (+ 1 2)
3
?"

  # Ctrl-C out of the blocking socket calls a learner meets first: an accept with nobody
  # connecting, and a read-line on a connection the peer never writes to.
  start
  type_line '(accept-connection (make-socket :connect :passive :local-port 0))' ''
  sleep 0.3
  tmx send-keys C-c
  wait_for '1 >'
  type_line ':pop' '?'
  type_line '(+ 1 2)' '?'
  expect_screen "Ctrl-C out of a blocked accept-connection; :pop; the listener still works" \
    "? (accept-connection (make-socket :connect :passive :local-port 0))
^C
> Break: interrupt signal
> While executing: ACCEPT-CONNECTION, in process listener(1).
> Type :GO to continue, :POP to abort, :R for a list of available restarts.
> If continued: Return from BREAK.
> Type :? for other options.
1 > :pop

? (+ 1 2)
3
?"

  start
  type_line '(let ((l (make-socket :connect :passive :local-port 0)))' ''
  type_line '(with-open-socket (s :remote-host "127.0.0.1" :remote-port (local-port l)) (read-line s)))' ''
  sleep 0.3
  tmx send-keys C-c
  wait_for '1 >'
  type_line ':pop' '?'
  type_line '(+ 1 2)' '?'
  expect_screen "Ctrl-C out of read-line on a connected socket with no data; :pop; the listener works" \
    "? (let ((l (make-socket :connect :passive :local-port 0)))
(with-open-socket (s :remote-host \"127.0.0.1\" :remote-port (local-port l)) (read-line s)))
^C
> Break: interrupt signal
> While executing: READ-LINE, in process listener(1).
> Type :GO to continue, :POP to abort, :R for a list of available restarts.
> If continued: Return from BREAK.
> Type :? for other options.
1 > :pop

? (+ 1 2)
3
?"

  # The init file: ~/.clove-init.lisp (HOME is the scratch directory) is loaded unless -n.
  # start_with ARGS: like start, with the options given instead of -n -Q.
  start_with() {
    tmx kill-server 2>/dev/null
    n_sessions=$((n_sessions + 1))
    SOCK="clove-test-$$-$n_sessions"
    tmx new-session -d -x 100 -y 40 "$CLOVE $1; echo \"[exit \$?]\"; sleep 30"
    wait_for '?'
  }
  printf '%s\n' '(defvar *greeting* "hello from init")' >"$HOME/.clove-init.lisp"
  start_with -Q
  type_line '*greeting*' '?'
  expect_screen "~/.clove-init.lisp is loaded at start" '? *greeting*
"hello from init"
?'
  start_with '-Q -n'
  type_line "(boundp '*greeting*)" '?'
  expect_screen "-n: ~/.clove-init.lisp is not loaded" "? (boundp '*greeting*)
NIL
?"
  printf '%s\n' '(defvar *greeting* "hello from init")' '(car 5)' '(defvar *after* t)' >"$HOME/.clove-init.lisp"
  start_with -Q
  type_line '(list *greeting* (boundp (quote *after*)))' '?'
  expect_screen "an error in ~/.clove-init.lisp is reported, the rest is skipped and the REPL starts" \
    ";; Error while loading $HOME/.clove-init.lisp:
> Error: The value 5 is not of the expected type LIST.
> While executing: CAR, in process listener(1).
> While loading the form at $HOME/.clove-init.lisp:2
Backtrace:
  0: CAR
? (list *greeting* (boundp (quote *after*)))
(\"hello from init\" NIL)
?"
  rm -f "$HOME/.clove-init.lisp"
fi

run -i '(car 5)
(+ 1 2)
' "$CLOVE" -n -Q
check "pipe mode: an error enters the break loop, forms are evaluated in it, EOF exits 0" \
  '[ "$rc" = 0 ] && contains "$out" "> Error: The value 5 is not of the expected type LIST." && contains "$out" "3"'
check "pipe mode: the break prompt is printed" 'contains "$out" "1 > "'

run -i '(car 5)
(+ 1 2)
' "$CLOVE" -n -Q -b
check "batch mode: no break loop, the error is reported and the status is 1" \
  '[ "$rc" = 1 ] && contains "$out" "> Error: The value 5" && ! contains "$out" "1 >"'

finish
