#!/usr/bin/env bash
# repl_editing.sh — line editing in the listener under a real pseudo-terminal (tmux): GNU readline's
# emacs keys, a form over several lines as one history entry, ~/.clove_history (bounded, without
# duplicates, kept across sessions), Tab completion of symbols and of a call's keyword parameters.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pty.bash"

# entries FILE: the history file's entries, each on one line with its newlines shown as "|".
entries() { awk '/^;[0-9]+$/ { if (n++) print e; e = ""; next } { e = e (e == "" ? "" : "|") $0 } END { if (n) print e }' "$1"; }

if [ -n "$HAVE_TMUX" ]; then
  start
  tmx send-keys -l '+ 1 2) junk'
  keys C-a
  tmx send-keys -l '('
  keys C-e C-w C-b C-b C-b C-k
  tmx send-keys -l '4)'
  keys Enter
  wait_for '?'
  expect_screen "readline: emacs keys (C-a, C-e, C-w, C-b, C-k) edit the line" "? (+ 1 4)
5
?"

  type_line '(+ 1 2) (list 3)' '?'
  expect_screen "several forms on one line are all evaluated" "? (+ 1 4)
5
? (+ 1 2) (list 3)
3
? (3)
?"
  keys C-d
  wait_for '[exit 0]'

  # A form typed over several lines is one history entry: Up recalls all of it, Enter runs it.
  rm -f "$HOME/.clove_history"
  start
  type_line '(list 1' ''
  type_line '  "a;b" ; a comment (' ''
  type_line '  2)' '?'
  type_line '(+ 1 2)' '?'
  type_line '(+ 1 2)' '?'
  keys Up Up Enter
  wait_for '?'
  expect_screen "readline: Up recalls a form typed over three lines whole; a repeated form is one entry" \
    '? (list 1
  "a;b" ; a comment (
  2)
(1 "a;b" 2)
? (+ 1 2)
3
? (+ 1 2)
3
? (list 1
  "a;b" ; a comment (
  2)
(1 "a;b" 2)
?'
  keys C-d
  wait_for '[exit 0]'
  out=$(entries "$HOME/.clove_history")
  check "~/.clove_history: each entry after a time stamp line, a form over lines with its newlines" \
    '[ "$out" = "(list 1|  \"a;b\" ; a comment (|  2)
(+ 1 2)
(list 1|  \"a;b\" ; a comment (|  2)" ] && [ "$(grep -c "^;[0-9]*$" "$HOME/.clove_history")" = 3 ]'

  start
  keys Up Up Enter
  wait_for '?'
  keys Up Enter
  wait_for '?'
  expect_screen "readline: the history, forms over several lines included, survives a restart" \
    '? (+ 1 2)
3
? (+ 1 2)
3
?'
  keys Up Up
  expect_screen "readline: a form over several lines comes back from the file as one entry" \
    '? (+ 1 2)
3
? (+ 1 2)
3
? (list 1
  "a;b" ; a comment (
  2)'
  keys C-c
  wait_for '?'
  keys C-d # it writes its history as it exits
  wait_for '[exit 0]'

  # A history file without time stamps (one entry a line) is read line by line, and written
  # back with a stamp before each entry.
  printf '%s\n' '(car (list 7))' '(list 3)' >"$HOME/.clove_history"
  start
  keys Up Up Enter
  wait_for '?'
  keys C-d
  wait_for '[exit 0]'
  out=$(entries "$HOME/.clove_history")
  check "a history file without time stamps is read one entry a line and gets them" \
    '[ "$out" = "(car (list 7))
(list 3)
(car (list 7))" ] && contains "$(screen)" "? (car (list 7))
7"'

  # The history keeps the last 1000 entries.
  for i in $(seq 1200); do printf ';1700000000\n(list %d)\n' "$i"; done >"$HOME/.clove_history"
  start
  keys Up Enter
  wait_for '?'
  keys C-d
  wait_for '[exit 0]'
  out=$(entries "$HOME/.clove_history")
  check "~/.clove_history is bounded: the last 1000 entries are kept" \
    '[ "$(printf "%s\n" "$out" | wc -l)" = 1000 ] && [ "$(printf "%s\n" "$out" | head -n 1)" = "(list 201)" ] &&
     [ "$(printf "%s\n" "$out" | tail -n 1)" = "(list 1200)" ]'
  rm -f "$HOME/.clove_history"

  start
  tmx send-keys -l '(make-socket :remote-h'
  keys Tab
  expect_screen "readline: Tab completes a keyword of a native (:remote-h -> :remote-host)" \
    "? (make-socket :remote-host"
  keys C-c
  wait_for '?'
  type_line '(+ 1 2)' '?'
  expect_screen "readline: Ctrl-C at the prompt abandons the line; the next one is read afresh" \
    "? (make-socket :remote-host ^C
? (+ 1 2)
3
?"

  # Ctrl-C on a continuation line drops the whole form, not just that line.
  start
  type_line '(list 1' ''
  type_line '  2' ''
  tmx send-keys -l '  3'
  keys C-c
  wait_for '?'
  type_line '(list 4' ''
  type_line '5)' '?'
  expect_screen "readline: Ctrl-C on a continuation line abandons the form; a fresh prompt reads the next" \
    "? (list 1
  2
  3^C
? (list 4
5)
(4 5)
?"

  start
  tmx send-keys -l '(make-socket :re'
  keys Tab Tab
  expect_screen "Tab Tab lists the keyword parameters of MAKE-SOCKET that match, and no other keyword" \
    "? (make-socket :re
:remote-address   :remote-filename  :remote-host      :remote-port      :reuse-address
? (make-socket :re"
  keys C-u
  tmx send-keys -l '(make-socket :type :'
  keys Tab Tab
  out=$(screen)
  check "after a parameter (:type) its value may be any keyword: Tab Tab offers all of them" \
    'matches "$out" "Display all [0-9]+ possibilities"'
  keys n C-u
  tmx send-keys -l '(accept-connection s :'
  keys Tab Tab
  out=$(screen | tail -n 3)
  check "Tab Tab after a required argument lists ACCEPT-CONNECTION's keyword parameters" \
    '[ "$out" = "? (accept-connection s :
:stream-args  :wait
? (accept-connection s :" ]'

  start
  tmx send-keys -l '(with-open-socket (s :remote-p'
  keys Tab
  expect_screen "the list after with-open-socket takes MAKE-SOCKET's keywords" \
    "? (with-open-socket (s :remote-port"
  keys C-u
  tmx send-keys -l '(defun f (&key alpha-one beta) (list alpha-one beta))'
  keys Enter
  wait_for '?'
  type_line '(let ((x (make-socket :connect :passive' ''
  tmx send-keys -l '            :local-p'
  keys Tab
  tmx send-keys -l '0)))'
  keys Enter
  type_line '  (close x)' ''
  tmx send-keys -l '  (f :al'
  keys Tab
  tmx send-keys -l '1))'
  keys Enter
  wait_for '?'
  expect_screen "on a form's later lines, keywords complete from the call they are in; a DEFUN's &key" \
    "? (defun f (&key alpha-one beta) (list alpha-one beta))
F
? (let ((x (make-socket :connect :passive
            :local-port 0)))
  (close x)
  (f :alpha-one 1))
(1 NIL)
?"
fi

finish
