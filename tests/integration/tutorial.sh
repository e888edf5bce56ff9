#!/usr/bin/env bash
# tutorial.sh — runs every ```lisp block of docs/sockets-tutorial.md so the tutorial cannot drift
# from what clove does: each lesson (a "## " section) as one script, then all of them in one session.
#   tests/integration/tutorial.sh --transcripts   rewrites the ```text block after each ```lisp
#   block with the transcript clove's REPL prints for it (review the diff before keeping it).
. "$(dirname "$0")/lib.sh"
cd "$ROOT" || exit 2
DOC=${TUTORIAL:-docs/sockets-tutorial.md}

if [ "${1-}" = --transcripts ]; then
  exec timeout 120 python3 - "$CLOVE" "$DOC" <<'PY'
import re, subprocess, sys
clove, doc = sys.argv[1], sys.argv[2]
text = open(doc).read()

def forms(code):
    """Top-level forms of CODE, as written (strings, #\\chars and comments understood)."""
    out, depth, start, i = [], 0, None, 0
    while i < len(code):
        c = code[i]
        if c == ';':
            i = code.find('\n', i) if '\n' in code[i:] else len(code)
            continue
        if c == '"':
            if start is None: start = i
            i += 1
            while code[i] != '"':
                i += 2 if code[i] == '\\' else 1
        elif c == '#' and code[i+1:i+2] == '\\':
            if start is None: start = i
            i += 3
            while i < len(code) and code[i].isalnum(): i += 1
            if depth == 0: out.append(code[start:i]); start = None
            continue
        elif c == '(':
            if start is None: start = i
            depth += 1
        elif c == ')':
            depth -= 1
            if depth == 0: out.append(code[start:i+1]); start = None
        elif not c.isspace() and start is None:
            start = i
        if c.isspace() and depth == 0 and start is not None and code[start] != '(' and code[start] != '"':
            out.append(code[start:i]); start = None
        if c == '"' and depth == 0 and start is not None:
            out.append(code[start:i+1]); start = None
        i += 1
    if start is not None: out.append(code[start:].strip())
    return out

def shown(form):
    lines = form.split('\n')
    if len(lines) > 1 and re.match(r'\((defun|defmacro) ', form):
        return lines[0] + ' ...)'
    return form

sections = re.split(r'(?m)^(?=## )', text)
result = []
for sec in sections:
    blocks = re.findall(r'```lisp\n(.*?)```', sec, re.S)
    all_forms = [[f for f in forms(b)] for b in blocks]
    flat = [f for fs in all_forms for f in fs]
    if flat:
        stdin = '\n'.join(flat) + '\n'
        out = subprocess.run([clove, '-n', '-Q'], input=stdin, capture_output=True, text=True, timeout=60).stdout
        parts = out.split('? ')[1:]
        k = 0
        transcripts = []
        for fs in all_forms:
            t = []
            for f in fs:
                o = parts[k] if k < len(parts) else ''
                k += 1
                if o.startswith('\n'): o = o[1:]
                t.append('? ' + shown(f) + '\n' + o)
            transcripts.append(''.join(t).rstrip('\n') + '\n')
        it = iter(transcripts)
        def fill(m):
            t = next(it)
            return m.group(1) + ('\n```text\n' + t + '```\n' if m.group(2) else '')
        sec = re.sub(r'(```lisp\n.*?```\n)(\n```text\n.*?```\n)?', fill, sec, flags=re.S)
    result.append(sec)
open(doc, 'w').write(''.join(result))
PY
fi

# lesson-N.lisp: the ```lisp blocks of the Nth "## " section, in order; lessons.list names them.
awk -v dir="$T" '
  /^## / { n++; title[n] = $0; next }
  /^```lisp$/ { inblock = 1; has[n] = 1; next }
  /^```/ { inblock = 0; next }
  inblock { print > (dir "/lesson-" n ".lisp") }
  END { for (i = 1; i <= n; i++) if (has[i]) print i "\t" substr(title[i], 4) > (dir "/lessons.list") }
' "$DOC"

check "the tutorial has lessons with code" '[ -s "$T/lessons.list" ] && [ "$(wc -l <"$T/lessons.list")" -ge 7 ]'

while IFS=$'\t' read -r n title; do
  cp "$T/lesson-$n.lisp" "$T/script.lisp"
  echo '(quit)' >>"$T/script.lisp"
  run timeout -k 2 30 "$CLOVE" --no-init --batch "$T/script.lisp"
  check "$title: runs without error" '[ "$rc" = 0 ] && [ -z "$err" ]'
done <"$T/lessons.list"

# A learner types all lessons into one session: they must not trip over each other.
while IFS=$'\t' read -r n title; do cat "$T/lesson-$n.lisp"; done <"$T/lessons.list" >"$T/all.lisp"
echo '(quit)' >>"$T/all.lisp"
run timeout -k 2 60 "$CLOVE" --no-init --batch "$T/all.lisp"
check "all lessons in one session" '[ "$rc" = 0 ] && [ -z "$err" ]'

# The same forms typed at the ? prompt: no form lands in the break loop.
run -i "$(cat "$T/all.lisp")" timeout -k 2 60 "$CLOVE" --no-init --quiet
check "all lessons at the ? prompt, no error" '[ "$rc" = 0 ] && ! contains "$out" "> Error" && ! contains "$out" "1 > "'

finish
