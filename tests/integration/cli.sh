#!/usr/bin/env bash
# cli.sh — the command line of ./clove as a script runner: clove FILE ARG..., #! scripts, -e/-l in
# order, -n -Q -b -V -h, (quit N) and its exit status, the argument list, errors, piped input.
. "$(dirname "$0")/lib.sh"

version=$(sed -n 's/^#define CLOVE_VERSION "\(.*\)"/\1/p' "$ROOT/include/clove.h")

printf '(princ "hello")' >"$T/hello.lisp"
printf '(+ 1 2)\n(defun f () 1)\n"a string"\n' >"$T/silent.lisp"
printf '(prin1 ccl:*command-line-argument-list*)\n' >"$T/args.lisp"
cat >"$T/error.lisp" <<'EOF'
(defun inner-fn (x) (car x))
(defun outer-fn () (inner-fn 5) 1)
(princ "before")
(outer-fn)
(princ "after")
EOF
printf '#!/usr/bin/env clove\n(princ "shebang ok")\n' >"$T/shebang.lisp"
chmod +x "$T/shebang.lisp"
printf '(princ "2")' >"$T/two.lisp"
printf '(princ "4")' >"$T/four.lisp"
printf '(princ "partial")\n(quit 3)\n(princ "never")\n' >"$T/quit3.lisp"
printf '(princ (read-line))\n' >"$T/readline.lisp"
printf '(princ "x"\n' >"$T/unbalanced.lisp"
type_error='The value 5 is not of the expected type LIST.'

run "$CLOVE" "$T/hello.lisp"
check "clove FILE runs the file and exits 0" '[ "$rc" = 0 ]'
check "clove FILE prints what the file prints, flushed at exit" '[ "$out" = hello ]'

run "$CLOVE" "$T/silent.lisp"
check "a script prints nothing of its own (no banner, no values)" '[ "$rc" = 0 ] && [ -z "$out$err" ]'

run "$CLOVE" "$T/args.lisp" a "b c" -e --x
check "ccl:*command-line-argument-list* ends with the script's arguments" \
  'contains "$out" "\"a\" \"b c\" \"-e\" \"--x\")"'
check "options after FILE belong to the script" '[ "$rc" = 0 ]'

run "$CLOVE" "$T/error.lisp"
check "an unhandled error in a script exits with status 1" '[ "$rc" = 1 ]'
check "output before the error is flushed, nothing after it runs" '[ "$out" = before ]'
check "the error text goes to stderr" 'contains "$err" "$type_error"'
check "stderr has a backtrace naming the Lisp functions" 'contains "$err" INNER-FN && contains "$err" OUTER-FN'

run "$CLOVE" "$T/unbalanced.lisp"
check "a script that ends inside a form is an error, status 1" '[ "$rc" = 1 ] && [ -n "$err" ]'

run "$CLOVE" "$T/nope.lisp"
check "a missing script file is reported on stderr with a failure status" \
  '[ "$rc" != 0 ] && contains "$err" nope.lisp'

run "$CLOVE" "$T/shebang.lisp"
check "a #! first line is skipped" '[ "$out" = "shebang ok" ]'
PATH="$(dirname "$CLOVE"):$PATH" run "$T/shebang.lisp"
check "an executable #!/usr/bin/env clove script runs" '[ "$rc" = 0 ] && [ "$out" = "shebang ok" ]'

run "$CLOVE" -n -e '(princ "1")' -l "$T/two.lisp" --eval '(princ "3")' --load "$T/four.lisp" -e '(quit)'
check "-e/--eval and -l/--load are repeatable and run in order" '[ "$out" = 1234 ]'

run "$CLOVE" -n -e '(princ "x")' "$T/hello.lisp"
check "options before FILE run before it" '[ "$out" = xhello ]'

run "$CLOVE" -n -e '(princ "bye")' -e '(quit)'
check "(quit) exits 0 after flushing output" '[ "$rc" = 0 ] && [ "$out" = bye ]'
run "$CLOVE" -n -e '(princ "bye")' -e '(quit 3)'
check "(quit 3) exits with status 3 after flushing output" '[ "$rc" = 3 ] && [ "$out" = bye ]'
run "$CLOVE" -n -e '(ccl:quit 4)'
check "(ccl:quit 4) exits with status 4" '[ "$rc" = 4 ]'
run "$CLOVE" "$T/quit3.lisp"
check "(quit 3) in a script stops it there with status 3" '[ "$rc" = 3 ] && [ "$out" = partial ]'

run -i $'line one\nline two\n' "$CLOVE" "$T/readline.lisp"
check "a script reads its own standard input" '[ "$out" = "line one" ]'

run "$CLOVE" -n -b -e '(princ "a")' -e '(car 5)' -e '(princ "b")'
check "-b: an error in -e exits with status 1 and stops" '[ "$rc" = 1 ] && [ "$out" = a ]'
check "-b: the error text is on stderr" 'contains "$err" "$type_error"'

run -i $'(princ "MARK-A")\n(car 5)\n(princ "MARK-B")\n' "$CLOVE" --batch --quiet --no-init
check "--batch: an error read from stdin exits with a failure status" '[ "$rc" != 0 ]'
check "--batch: the forms before the error ran, none after it" \
  'contains "$out" MARK-A && ! contains "$out$err" MARK-B'

three='(^|[^0-9])3([^0-9]|$)'
run -i $'(+ 1 2)\n' "$CLOVE"
check "echo '(+ 1 2)' | clove prints 3" 'matches "$out" "$three"'
check "the REPL exits 0 at the end of its input" '[ "$rc" = 0 ]'
run -i $'(+ 1 2)\n' "$CLOVE" -Q
check "-Q: still prints 3" 'matches "$out" "$three"'
check "-Q: no banner" '! contains "$out$err" "$version"'
run "$CLOVE"
check "clove with empty input exits 0" '[ "$rc" = 0 ]'

run "$CLOVE" -n --no-init -e '(princ 1)' -e '(quit)'
check "-n and --no-init are accepted" '[ "$rc" = 0 ] && [ "$out" = 1 ]'

for opt in -V --version; do
  run "$CLOVE" "$opt"
  check "$opt prints one version line with $version and exits 0" \
    '[ "$rc" = 0 ] && [ "$(printf "%s\n" "$out" | wc -l)" = 1 ] && contains "$out" "$version"'
done

for opt in -h --help; do
  run "$CLOVE" "$opt"
  check "$opt exits 0" '[ "$rc" = 0 ]'
  for o in --eval --load --no-init --quiet --batch --version --help; do
    check "$opt describes $o" 'contains "$out" "$o"'
  done
done

run "$CLOVE" --no-such-option
check "an unknown option is an error naming it" '[ "$rc" != 0 ] && contains "$err" --no-such-option'

# Deep recursion: 50,000 nested calls fit (about 150,000 without sanitizers' bigger
# frames; 18,000 did before the host raised the stack limit); runaway recursion is a
# Lisp error, not a crash.
run "$CLOVE" -e '(defun d (n) (if (= n 0) 0 (+ 1 (d (- n 1)))))' -e '(print (d 50000))'
check "50000 nested calls fit on the stack" '[ "$rc" = 0 ] && contains "$out" 50000'
run "$CLOVE" -e '(defun d (n) (+ 1 (d n)))' -e '(d 1)'
check "runaway recursion is a Lisp error with status 1" '[ "$rc" = 1 ] && contains "$err" "Stack overflow"'

finish
