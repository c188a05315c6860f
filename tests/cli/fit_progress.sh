#!/usr/bin/env bash
# `srtune fit` draws a progress line when stderr is a terminal (a pty here),
# not on a pipe and not with SRTUNE_NO_PROGRESS=1; the line is cleared before
# the summary, and the front on stdout is the same either way.
set -u
. "$(dirname "$0")/lib.sh"
PYTHON=${SRTUNE_PYTHON:-/usr/bin/python3}
"$PYTHON" - "$WORK/d.csv" <<'PY'
import random, sys
random.seed(5)
with open(sys.argv[1], "w") as f:
    f.write("a,b,y\n")
    for _ in range(100):
        a, b = random.uniform(1, 2), random.uniform(1, 2)
        f.write("%r,%r,%r\n" % (a, b, a * b + 1))
PY
opts=(--option niterations=30 --option populations=3 --seed 1)
"$PYTHON" "$SRC/tests/cli/pty_run.py" "$SRTUNE" fit "$WORK/d.csv" "${opts[@]}" --out "$WORK/r" >"$WORK/tty"
RC=$?
expect_rc 0 "fit on a terminal"
CHECKS=$((CHECKS + 1))
grep -qF '\r\x1b[Ksrtune fit: 0.' "$WORK/tty" || fail "no progress line on a terminal: $(head -c 300 "$WORK/tty")"
CHECKS=$((CHECKS + 1))
grep -qF 's of niterations 30' "$WORK/tty" || fail "the progress line lacks niterations"
CHECKS=$((CHECKS + 1))
grep -qF '\r\x1b[Ksrtune fit: model_selection=' "$WORK/tty" || fail "the progress line is not cleared before the summary"
SRTUNE_NO_PROGRESS=1 "$PYTHON" "$SRC/tests/cli/pty_run.py" "$SRTUNE" fit "$WORK/d.csv" "${opts[@]}" >"$WORK/tty2"
CHECKS=$((CHECKS + 1))
grep -qF '\x1b[K' "$WORK/tty2" && fail "a progress line despite SRTUNE_NO_PROGRESS=1"
run_srtune fit "$WORK/d.csv" "${opts[@]}"
expect_rc 0 "fit on a pipe"
CHECKS=$((CHECKS + 1))
grep -q $'\033' "$WORK/err" && fail "escape codes on a pipe"
finish
