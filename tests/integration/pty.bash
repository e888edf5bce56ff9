# pty.bash — sourced (after lib.sh) by the repl*.sh suites: clove under a real pseudo-terminal
# (tmux), the pane's text, typing, and checking the whole screen. Not a suite itself (not .sh).
#
#   start                    a fresh `clove -n -Q` in a 100x40 pane, waiting for its "?" prompt
#   start_with 'ARGS'        the same with other options
#   type_line LINE PROMPT    types LINE and Enter, then waits for PROMPT (or 0.2 s if empty)
#   keys KEY...              tmux key names (Tab, Up, C-c ...), then a pause
#   expect_screen DESC TEXT  a check that the screen is exactly TEXT

HAVE_TMUX=1
if ! command -v tmux >/dev/null; then
  HAVE_TMUX=
  echo "# tmux is not installed: the pty cases are skipped"
fi

export HOME=$T # no init file, no history of the user's
n_sessions=0
SOCK="clove-test-$$-0"
tmx() { tmux -L "$SOCK" "$@"; }
trap 'tmx kill-server 2>/dev/null; rm -rf "$T"' EXIT

# start_with ARGS: a fresh clove with ARGS in a 100x40 terminal (PTY_COLS x PTY_ROWS); the
# shell line after it shows its exit status.
start_with() {
  tmx kill-server 2>/dev/null
  n_sessions=$((n_sessions + 1))
  SOCK="clove-test-$$-$n_sessions" # a server of its own: the last one may still be exiting
  tmx new-session -d -x "${PTY_COLS:-100}" -y "${PTY_ROWS:-40}" "$CLOVE $1; echo \"[exit \$?]\"; sleep 30"
  wait_for '?'
}
start() { start_with '-n -Q'; }

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

# type_line LINE PROMPT: types LINE and Enter, then waits for PROMPT.
type_line() {
  tmx send-keys -l "$1"
  tmx send-keys Enter
  if [ -n "$2" ]; then wait_for "$2"; else sleep 0.2; fi
}

# keys KEY...: presses each key (tmux names: Tab, Up, C-a ...) 0.15 s apart, then waits 0.2 s.
keys() {
  local k
  for k in "$@"; do
    tmx send-keys "$k"
    sleep 0.15
  done
  sleep 0.2
}

# expect_screen DESC EXPECTED: the whole screen must be EXPECTED.
expect_screen() {
  out=$(screen)
  rc=0
  expected=$2
  check "$1" '[ "$out" = "$expected" ]'
  [ "$out" = "$expected" ] || diff <(printf '%s\n' "$expected") <(printf '%s\n' "$out") | sed 's/^/#   /'
}
