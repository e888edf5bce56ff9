#!/usr/bin/env bash
# repl.sh — the listener as a learner meets it, under a real pseudo-terminal (tmux): CCL's break
# loop (> Error:, 1 >, :pop, :r, (:c n), :b, :?, nesting), Ctrl-C out of running code, Ctrl-D, the
# init file, and pipe mode. Line editing (readline) is repl_editing.sh.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pty.bash"

if [ -n "$HAVE_TMUX" ]; then
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

  # CCL's listener: each value on its own line, none for (values); *, **, ***, +, / as CCL sets
  # them ((values) makes * NIL); a warning is printed as CCL does and enters no break loop.
  start
  type_line '(values 1 "two" (quote three))' '?'
  type_line '(values)' '?'
  type_line '(+ 1 2)' '?'
  type_line '(list * ** ***)' '?'
  type_line '+' '?'
  type_line '(floor 7 2)' '?'
  type_line '/' '?'
  type_line '(defun f (x) (warn "careful ~A" x) (* x 2))' '?'
  type_line '(f 5)' '?'
  expect_screen "values, *, **, ***, +, / and a warning at the listener" '? (values 1 "two" (quote three))
1
"two"
THREE
? (values)
? (+ 1 2)
3
? (list * ** ***)
(3 NIL 1)
? +
(LIST * ** ***)
? (floor 7 2)
3
1
? /
(3 1)
? (defun f (x) (warn "careful ~A" x) (* x 2))
F
? (f 5)
; Warning: careful 5
; While executing: F, in process listener(1).
10
?'

  # A form typed in the break loop sees the erring code's dynamic bindings; :q leaves every
  # level; a restart's number alone invokes it.
  start
  type_line '(defvar *x* 1)' '?'
  type_line '(let ((*x* 5)) (car *x*))' '1 >'
  type_line '*x*' '1 >'
  type_line '(car 2)' '2 >'
  type_line ':q' '?'
  type_line '*x*' '?'
  type_line '(car 3)' '1 >'
  type_line '(car 4)' '2 >'
  type_line '3' '?'
  expect_screen "the break loop evaluates in the error's context; :q; a bare restart number" '? (defvar *x* 1)
*X*
? (let ((*x* 5)) (car *x*))
> Error: The value 5 is not of the expected type LIST.
> While executing: CAR, in process listener(1).
> Type :POP to abort, :R for a list of available restarts.
> Type :? for other options.
1 > *x*
5
1 > (car 2)
> Error: The value 2 is not of the expected type LIST.
> While executing: CAR, in process listener(1).
> Type :POP to abort, :R for a list of available restarts.
> Type :? for other options.
2 > :q

? *x*
1
? (car 3)
> Error: The value 3 is not of the expected type LIST.
> While executing: CAR, in process listener(1).
> Type :POP to abort, :R for a list of available restarts.
> Type :? for other options.
1 > (car 4)
> Error: The value 4 is not of the expected type LIST.
> While executing: CAR, in process listener(1).
> Type :POP to abort, :R for a list of available restarts.
> Type :? for other options.
2 > 3

?'

  # :B prints CCL's backtrace lines (PRINT-CALL-HISTORY in its :DIRECT format, without the
  # " at pc +N" Clove has no counter for): frame number in 3 columns, the call printed with
  # PRINC, each argument with PRIN1 under *PRINT-LEVEL* 2 and *PRINT-LENGTH* 5.
  start
  type_line '(defun g (x y) (list y (car x)))' '?'
  type_line '(defun f (a) (list (g a "str")))' '?'
  type_line '(defun h (&rest r) (list (f (car r))))' '?'
  type_line "(h 5 '(1 (2 (3 (4)))) '(a b c d e f g) \"xxx\" 'ccl::%foo)" '1 >'
  type_line ':b' '1 >'
  type_line ':b :start 1' '1 >'
  type_line '(:b :count 2)' '1 >'
  type_line ':b :start 1 :count 1' '1 >'
  type_line '(mapcar (lambda (x) (car x)) (list 1))' '2 >'
  type_line ':b' '2 >'
  out=$(screen)
  out=$(printf '%s\n' "$out" | sed -E 's/#x[0-9A-F]+/#xADDR/g')
  expected="? (defun g (x y) (list y (car x)))
G
? (defun f (a) (list (g a \"str\")))
F
? (defun h (&rest r) (list (f (car r))))
H
? (h 5 '(1 (2 (3 (4)))) '(a b c d e f g) \"xxx\" 'ccl::%foo)
> Error: The value 5 is not of the expected type LIST.
> While executing: G, in process listener(1).
> Type :POP to abort, :R for a list of available restarts.
> Type :? for other options.
1 > :b
  0: (G 5 \"str\")
  1: (F 5)
  2: (H 5 (1 (2 #)) (A B C D E ...) \"xxx\" CCL::%FOO)
1 > :b :start 1
  1: (F 5)
  2: (H 5 (1 (2 #)) (A B C D E ...) \"xxx\" CCL::%FOO)
1 > (:b :count 2)
  0: (G 5 \"str\")
  1: (F 5)
1 > :b :start 1 :count 1
  1: (F 5)
1 > (mapcar (lambda (x) (car x)) (list 1))
> Error: The value 1 is not of the expected type LIST.
> While executing: MAPCAR, in process listener(1).
> Type :POP to abort, :R for a list of available restarts.
> Type :? for other options.
2 > :b
  0: (#<Anonymous Function #xADDR> 1)
  1: (MAPCAR #<Anonymous Function #xADDR> (1))
2 >"
  check ":b shows each frame with its arguments as CCL does; :start and :count; an anonymous function" \
    '[ "$out" = "$expected" ]'
  [ "$out" = "$expected" ] || diff <(printf '%s\n' "$expected") <(printf '%s\n' "$out") | sed 's/^/#   /'

  start
  type_line '(car 5)' '1 >'
  type_line ':?' '1 >'
  expect_screen ":? lists the break loop's commands as CCL's help does" "? (car 5)
> Error: The value 5 is not of the expected type LIST.
> While executing: CAR, in process listener(1).
> Type :POP to abort, :R for a list of available restarts.
> Type :? for other options.
1 > :?
The following toplevel commands are available:
 <n>    the same as (:C <n>)
 :POP   exit current break loop
 :A     exit current break loop
 :GO    continue
 :Q     return to toplevel
 :R     show error and list restarts
 (:B &KEY START COUNT)  backtrace
 (:C &OPTIONAL N)  Choose restart <n>. If no <n>, continue
 (:PROC &OPTIONAL P)  Show information about specified process <p>/all processes
 (:KILL P)  Kill process whose name or ID matches <p>
 :?     help
Any other form is evaluated and its results are printed out.
1 >"

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
  type_line '(defvar *s* nil)' '?'
  type_line '(let ((l (make-socket :connect :passive :local-port 0)))' ''
  type_line '(with-open-socket (s :remote-host "127.0.0.1" :remote-port (local-port l))' ''
  type_line '(setq *s* s) (read-line s)))' ''
  sleep 0.3
  tmx send-keys C-c
  wait_for '1 >'
  type_line ':pop' '?'
  type_line '(list (open-stream-p *s*) (socket-os-fd *s*))' '?'
  expect_screen "Ctrl-C out of read-line on a socket with no data; :pop; WITH-OPEN-SOCKET closed it" \
    "? (defvar *s* nil)
*S*
? (let ((l (make-socket :connect :passive :local-port 0)))
(with-open-socket (s :remote-host \"127.0.0.1\" :remote-port (local-port l))
(setq *s* s) (read-line s)))
^C
> Break: interrupt signal
> While executing: READ-LINE, in process listener(1).
> Type :GO to continue, :POP to abort, :R for a list of available restarts.
> If continued: Return from BREAK.
> Type :? for other options.
1 > :pop

? (list (open-stream-p *s*) (socket-os-fd *s*))
(NIL NIL)
?"

  # A connect that gets no answer: a listener with :backlog 0 whose one slot is taken
  # drops further SYNs, as a silent host does.
  start
  type_line '(defvar *l* (make-socket :connect :passive :local-host "127.0.0.1" :local-port 0 :backlog 0))' '?'
  type_line '(defvar *a* (make-socket :remote-host "127.0.0.1" :remote-port (local-port *l*)))' '?'
  type_line '(make-socket :remote-host "127.0.0.1" :remote-port (local-port *l*))' ''
  sleep 0.3
  tmx send-keys C-c
  wait_for '1 >'
  type_line ':pop' '?'
  type_line '(+ 1 2)' '?'
  expect_screen "Ctrl-C out of a connect that gets no answer; :pop; the listener still works" \
    "? (defvar *l* (make-socket :connect :passive :local-host \"127.0.0.1\" :local-port 0 :backlog 0))
*L*
? (defvar *a* (make-socket :remote-host \"127.0.0.1\" :remote-port (local-port *l*)))
*A*
? (make-socket :remote-host \"127.0.0.1\" :remote-port (local-port *l*))
^C
> Break: interrupt signal
> While executing: MAKE-SOCKET, in process listener(1).
> Type :GO to continue, :POP to abort, :R for a list of available restarts.
> If continued: Return from BREAK.
> Type :? for other options.
1 > :pop

? (+ 1 2)
3
?"

  # The init file: ~/.clove-init.lisp (HOME is the scratch directory) is loaded unless -n.
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

# A command on a line of its own evaluates its arguments as it reads them; written as a list it
# gets them as written (CCL's read-command-or-keyword and check-toplevel-command).
run -i '(car 5)
(car 6)
:c (+ 1 1)
(:c (+ 1 1))
:q
(+ 40 2)
' "$CLOVE" -n -Q
check "pipe mode: :c (+ 1 1) invokes restart 2; (:c (+ 1 1)) is given the list (+ 1 1)" \
  '[ "$out" = "? 
> Error: The value 5 is not of the expected type LIST.
> While executing: CAR, in process listener(1).
> Type :POP to abort, :R for a list of available restarts.
> Type :? for other options.
1 > 
> Error: The value 6 is not of the expected type LIST.
> While executing: CAR, in process listener(1).
> Type :POP to abort, :R for a list of available restarts.
> Type :? for other options.
2 > 
1 > 
> Error: The value (+ 1 1) is not of the expected type (INTEGER 0 (4)).
> While executing: CCL::%SELECT-RESTART, in process listener(1).
> Type :POP to abort, :R for a list of available restarts.
> Type :? for other options.
2 > 
? 
42
? " ]'

run -i '(car 5)
(+ 1 2)
' "$CLOVE" -n -Q -b
check "batch mode: no break loop, the error is reported and the status is 1" \
  '[ "$rc" = 1 ] && contains "$out" "> Error: The value 5" && ! contains "$out" "1 >"'

finish
