#!/usr/bin/env bash
# `srtune fit`: standalone SR on a CSV file (finds y = 2.5*x0*x1 + cos(x2)) and
# on a Feynman equation, deterministic output, option errors with hints, and an
# interrupted run (SIGINT) that resumes to the same front.
set -u
. "$(dirname "$0")/lib.sh"
PYTHON=${SRTUNE_PYTHON:-/usr/bin/python3}

"$PYTHON" - "$WORK/d.csv" <<'PY'
import math, random, sys
random.seed(3)
with open(sys.argv[1], "w") as f:
    f.write("x0,x1,x2,y\n")
    for _ in range(300):
        x = [random.uniform(-3, 3) for _ in range(3)]
        f.write("%r,%r,%r,%r\n" % (x[0], x[1], x[2], 2.5 * x[0] * x[1] + math.cos(x[2])))
PY
opts=(--option niterations=40 --option unary_operators=cos --option populations=8 --seed 1)
run_srtune fit "$WORK/d.csv" "${opts[@]}"
expect_rc 0 "fit on a CSV file"
expect_out "^complexity +loss +score +equation" "the front is printed as a table"
# the most accurate member has a tiny loss: the formula was found
best=$(awk 'NR > 1 && $1 ~ /^[0-9]+$/ {loss = $2} END {print loss}' "$WORK/out")
CHECKS=$((CHECKS + 1))
awk -v l="$best" 'BEGIN {exit !(l < 1e-12)}' || { fail "2.5*x0*x1 + cos(x2) not found (best loss $best)"; cat "$WORK/out"; }
cp "$WORK/out" "$WORK/first"
run_srtune fit "$WORK/d.csv" "${opts[@]}"
CHECKS=$((CHECKS + 1))
diff <(grep -v 'evaluations' "$WORK/first") <(grep -v 'evaluations' "$WORK/out") >/dev/null || fail "two fits with the same seed differ"

run_srtune fit --feynman I.12.1 --option niterations=20 --samples 200
expect_rc 0 "fit --feynman"
expect_out "Nn|mu" "the Feynman variables are named"

run_srtune fit "$WORK/d.csv" --option maxsise=20
expect_rc 2 "an unknown option (a command-line error)"
expect_err "maxsise.*did you mean 'maxsize'" "the unknown option gets a hint"
run_srtune fit "$WORK/d.csv" --option maxsize=3.5
expect_nonzero "an out-of-range option"
expect_err "maxsize" "the bad option is named"
run_srtune fit "$WORK/nope.csv"
expect_nonzero "a missing data file"
expect_err "nope.csv" "the missing file is named"

# interrupted with SIGINT, then resumed: the same front as the uninterrupted fit
long=(--option niterations=150 --option unary_operators=cos --option populations=8 --seed 2)
"$SRTUNE" fit "$WORK/d.csv" "${long[@]}" --out "$WORK/ref" >"$WORK/ref.out" 2>/dev/null
"$SRTUNE" fit "$WORK/d.csv" "${long[@]}" --out "$WORK/int" >"$WORK/int1.out" 2>/dev/null &
pid=$!
for _ in $(seq 1 200); do [ -s "$WORK/int/tensorboard_scalars.csv.partial" ] && break; sleep 0.02; done
kill -INT "$pid"
wait "$pid"
RC=$?
if [ "$RC" = 75 ]; then
  CHECKS=$((CHECKS + 1))
  [ -f "$WORK/int/checkpoint.bin" ] || fail "an interrupted fit left no checkpoint"
  "$SRTUNE" fit "$WORK/d.csv" "${long[@]}" --out "$WORK/int" >"$WORK/int2.out" 2>/dev/null
  RC=$?
  expect_rc 0 "the resumed fit"
else
  echo "note: the fit finished before SIGINT arrived (exit $RC); resume not exercised"
  cp "$WORK/int1.out" "$WORK/int2.out"
fi
CHECKS=$((CHECKS + 1))
diff <(grep -v 'evaluations' "$WORK/ref.out") <(grep -v 'evaluations' "$WORK/int2.out") >/dev/null ||
  { fail "the resumed fit's front differs from the uninterrupted one"; diff "$WORK/ref.out" "$WORK/int2.out" | head; }
CHECKS=$((CHECKS + 1))
cmp -s <(cut -d, -f2- "$WORK/ref/hall_of_fame.csv") <(cut -d, -f2- "$WORK/int/hall_of_fame.csv") ||
  fail "hall_of_fame.csv differs after resume"
finish
