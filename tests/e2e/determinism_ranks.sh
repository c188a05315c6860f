#!/usr/bin/env bash
# A random-sampler study gives the same trials, params and values bit for bit
# with 1, 2 and 4 ranks (architecture.md, "Seeds"), and Optuna 3.1 loads it.
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

for np in 1 2 4; do
  make_config random.json "$WORK/np$np" "$WORK/np$np.json"
  run_study "$np" "$WORK/np$np.json"
  expect_rc 0 "study with $np rank(s)"
  table "$WORK/np$np" e2e-random > "$WORK/table$np" 2>"$WORK/table$np.err"
  CHECKS=$((CHECKS + 1))
  [ "$(grep -c COMPLETE "$WORK/table$np")" = 5 ] || { fail "np=$np: expected 5 COMPLETE trials"; cat "$WORK/table$np" "$WORK/table$np.err" "$WORK/run.err" | head -20; }
done
for np in 2 4; do
  CHECKS=$((CHECKS + 1))
  diff "$WORK/table1" "$WORK/table$np" >/dev/null || { fail "np=$np differs from np=1"; diff "$WORK/table1" "$WORK/table$np" | head; }
done
# precision tuned as a categorical (32 or 64): still the same bytes with 1
# and 2 ranks, and each run records the precision its trial drew
for np in 1 2; do
  make_config random.json "$WORK/prec$np" "$WORK/prec$np.json" \
    's|"annealing": {"type": "categorical", "choices": \[true, false\]}|&, "precision": {"type": "categorical", "choices": [32, 64]}|'
  CHECKS=$((CHECKS + 1))
  grep -q '"precision": {"type": "categorical"' "$WORK/prec$np.json" || fail "fixture: random.json has no annealing choice to extend"
  run_study "$np" "$WORK/prec$np.json"
  expect_rc 0 "study tuning precision with $np rank(s)"
  table "$WORK/prec$np" e2e-random > "$WORK/ptable$np" 2>"$WORK/ptable$np.err"
done
CHECKS=$((CHECKS + 1))
diff "$WORK/ptable1" "$WORK/ptable2" >/dev/null || { fail "precision study: np=2 differs from np=1"; diff "$WORK/ptable1" "$WORK/ptable2" | head; }
CHECKS=$((CHECKS + 1))
n32=$(grep -l '^  "precision": 32,' -r "$WORK/prec2/trials" --include=run.json | wc -l)
n64=$(grep -l '^  "precision": 64,' -r "$WORK/prec2/trials" --include=run.json | wc -l)
[ $((n32 + n64)) = 30 ] && [ "$n32" -gt 0 ] && [ "$n64" -gt 0 ] ||
  fail "expected 30 runs recording precision 32 or 64, both drawn (got $n32 and $n64)"
# every run directory is complete: 5 trials x 3 equations x 2 runs
n=$(find "$WORK/np2/trials" -name tensorboard_scalars.csv | wc -l)
CHECKS=$((CHECKS + 1))
[ "$n" = 30 ] || fail "expected 30 finished runs, found $n"
# a relaunch of a finished study does nothing and exits 0
before=$(finished_runs "$WORK/np2")
run_study 2 "$WORK/np2.json"
expect_rc 0 "relaunch of a finished study"
CHECKS=$((CHECKS + 1))
[ "$before" = "$(finished_runs "$WORK/np2")" ] || fail "a finished study recomputed runs"
finish
