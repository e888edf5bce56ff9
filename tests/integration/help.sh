#!/usr/bin/env bash
# help.sh — the help a learner finds at the listener (describe, documentation, arglist, apropos,
# room, time) and docs/reference.md, which must equal what tools/gen_reference.lisp generates now.
. "$(dirname "$0")/lib.sh"

# The committed reference is regenerated and compared, never rewritten here: `make docs` does that.
run "$CLOVE" -n -Q "$ROOT/tools/gen_reference.lisp"
gen=$out
printf '%s\n' "$out" >"$T/reference.md"
check "the generator runs and exits 0" '[ "$rc" = 0 ] && [ -z "$err" ]'
if cmp -s "$T/reference.md" "$ROOT/docs/reference.md"; then
  ok "docs/reference.md is what the docstrings and lambda lists generate now"
else
  rc=1 out= err=
  not_ok "docs/reference.md is what the docstrings and lambda lists generate now (run make docs)"
  diff "$ROOT/docs/reference.md" "$T/reference.md" | head -n 20 | sed 's/^/#   /'
  out=$gen rc=0
fi
check "the reference lists MAKE-SOCKET with its lambda list and docstring" \
  'contains "$out" "- \`(make-socket &key (address-family :internet) (type :stream) (connect :active) remote-host" &&
   contains "$out" "  Create and return a new socket."'
check "the reference has CL functions, macros, special operators and variables" \
  'contains "$out" "- \`(car x)\`" && contains "$out" "### Macros (" && contains "$out" "### Special operators (" &&
   contains "$out" "- \`*print-base*\`"'
check "the reference is grouped by package, CCL first" \
  'matches "$out" "## Package CCL.*## Package COMMON-LISP"'

run "$CLOVE" -n -Q -e "(describe 'make-socket)" -e '(quit)'
check "(describe 'make-socket) shows the symbol, its package and its lambda list" \
  '[ "$rc" = 0 ] && contains "$out" "EXTERNAL in package: #<Package \"CCL\">" &&
   contains "$out" "Arglist: (&KEY (ADDRESS-FAMILY :INTERNET) (TYPE :STREAM) (CONNECT :ACTIVE) REMOTE-HOST"'

run "$CLOVE" -n -Q -e "(describe #'make-socket)" -e '(quit)'
check "(describe #'make-socket) shows the lambda list and the docstring" \
  '[ "$rc" = 0 ] && contains "$out" "Arglist (declaration): (&KEY (ADDRESS-FAMILY :INTERNET)" &&
   contains "$out" "Documentation: \"Create and return a new socket.\""'

run "$CLOVE" -n -Q -e "(prin1 (documentation 'make-socket 'function))" -e '(quit)'
check "(documentation 'make-socket 'function) is a string" '[ "$out" = "\"Create and return a new socket.\"" ]'

run "$CLOVE" -n -Q -e "(prin1 (ccl:arglist 'make-socket))" -e '(quit)'
check "(ccl:arglist 'make-socket) lists its keywords" \
  'contains "$out" "(&KEY (ADDRESS-FAMILY :INTERNET) (TYPE :STREAM) (CONNECT :ACTIVE) REMOTE-HOST REMOTE-PORT" &&
   contains "$out" " LOCAL-PORT LOCAL-HOST " && contains "$out" " REUSE-ADDRESS "'

run "$CLOVE" -n -Q -e "(prin1 (multiple-value-list (ccl:arglist 'with-open-socket)))" -e '(quit)'
check "(ccl:arglist 'with-open-socket) knows a stdlib macro's lambda list" \
  '[ "$out" = "(((CCL::VAR &REST CCL::ARGS) &BODY CCL::BODY) T)" ]'

run "$CLOVE" -n -Q -e '(apropos "socket")' -e '(quit)'
check "(apropos \"socket\") lists MAKE-SOCKET as CCL prints it" \
  '[ "$rc" = 0 ] && matches "$out" "(^|
) *MAKE-SOCKET, Def: FUNCTION(
|$)"'
check "(apropos \"socket\") says what each symbol is (a macro, a class)" \
  'matches "$out" "WITH-OPEN-SOCKET, Def: MACRO FUNCTION" && matches "$out" "SOCKET-ERROR, Class: #<STANDARD-CLASS SOCKET-ERROR>"'

run "$CLOVE" -n -Q -e '(room)' -e '(quit)'
check "(room) prints how much memory is in use" \
  '[ "$rc" = 0 ] && matches "$out" "bytes of memory can be allocated" && contains "$out" "Heap: "'

run "$CLOVE" -n -Q -e '(time (+ 1 2))' -e '(quit)'
check "(time (+ 1 2)) prints the form and CCL's \"took\" line" \
  '[ "$rc" = 0 ] && matches "$out" "^\(\+ 1 2\)
took +[0-9,]+ microseconds \([0-9.]+ seconds\) to run\."'

run -i '(time (+ 1 2))
' "$CLOVE" -n -Q
check "at the listener (time (+ 1 2)) also returns 3" 'matches "$out" "to run\.(.|
)*
3
"'

finish
