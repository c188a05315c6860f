#!/usr/bin/env bash
# README.md and docs/*.md stay true: every relative link leads to a file that
# exists (and a #fragment to a heading of it), every `srtune COMMAND` shown in
# code is a command of `srtune --help`, and every --option shown with it is in
# that command's --help (or is a global option).
set -u
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
"$SRTUNE" --help >"$WORK/help" 2>&1
awk '/^commands:/ {on = 1; next} on && /^  [a-z]/ {print $1} /^$/ && on {on = 0}' "$WORK/help" \
  >"$WORK/commands"
CHECKS=$((CHECKS + 1))
[ -s "$WORK/commands" ] || fail "srtune --help lists no commands"
while read -r cmd; do
  "$SRTUNE" "$cmd" --help >"$WORK/help.$cmd" 2>&1
done <"$WORK/commands"

"$PY" - "$SRC" "$WORK" >"$WORK/report" <<'EOF'
import os, re, sys
src, work = sys.argv[1], sys.argv[2]
commands = open(os.path.join(work, "commands")).read().split()
helps = {c: open(os.path.join(work, "help." + c)).read() for c in commands}
global_opts = {"--help", "--version", "--log-level"}
files = [os.path.join(src, "README.md")]
docs = os.path.join(src, "docs")
files += sorted(os.path.join(docs, f) for f in os.listdir(docs) if f.endswith(".md"))
checks = problems = 0

def anchors(path):
    out = set()
    for line in open(path, encoding="utf-8"):
        m = re.match(r"#+\s+(.*)", line)
        if m:
            a = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower()).replace(" ", "-")
            out.add(a)
    return out

def problem(msg):
    global problems
    problems += 1
    print("FAIL: " + msg)

for path in files:
    rel = os.path.relpath(path, src)
    text = open(path, encoding="utf-8").read()
    # links: [text](target), not URLs or mail
    for m in re.finditer(r"\]\(([^)\s]+)\)", text):
        target = m.group(1)
        if re.match(r"[a-z]+:", target):
            continue
        checks += 1
        name, _, frag = target.partition("#")
        dest = os.path.normpath(os.path.join(os.path.dirname(path), name)) if name else path
        if not os.path.exists(dest):
            problem(f"{rel}: link to a missing file: {target}")
        elif frag and dest.endswith(".md") and frag not in anchors(dest):
            problem(f"{rel}: link to a missing heading: {target}")
    # code: fenced blocks and inline spans
    code = re.findall(r"```[^\n]*\n(.*?)```", text, flags=re.S)
    rest = re.sub(r"```.*?```", "", text, flags=re.S)
    code += re.findall(r"`([^`\n]+)`", rest)
    for chunk in code:
        for line in chunk.split("\n"):
            line = line.split(" #")[0]
            # a command line: srtune first (after env settings, a path or mpirun)
            for m in re.finditer(r"^\s*(?:\$ )?(?:[A-Z_]+=\S+ +)*(?:mpirun (?:-np \S+ )?)?"
                                 r"(?:[\w./-]*/)?srtune((?: --log-level \S+)?) ([a-z][\w-]*)(.*)",
                                 line):
                cmd, tail = m.group(2), m.group(3)
                checks += 1
                if cmd not in commands:
                    problem(f"{rel}: 'srtune {cmd}' is not a command: {line.strip()}")
                    continue
                tail = re.split(r"\||;|&&|\)|\bmpirun\b|\bsrtune\b", tail)[0]
                for opt in re.findall(r"(?<![\w-])--[a-z][\w-]*", tail):
                    checks += 1
                    if opt not in global_opts and opt not in helps[cmd]:
                        problem(f"{rel}: 'srtune {cmd}' has no option {opt}: {line.strip()}")
print(f"CHECKS {checks} {problems}")
EOF
read -r _ n bad < <(grep '^CHECKS ' "$WORK/report")
grep -v '^CHECKS ' "$WORK/report"
CHECKS=$((CHECKS + n))
FAILURES=$((FAILURES + bad))
CHECKS=$((CHECKS + 1))
[ "$n" -gt 50 ] || fail "only $n links and commands found: is the parser broken?"
finish
