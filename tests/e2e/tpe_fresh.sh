#!/usr/bin/env bash
# A TPE study under mpirun (suggestions depend on what has finished, so the
# order differs from run to run): every trial's value equals a fresh
# single-process evaluation of its params, bit for bit.
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

make_config random.json "$WORK/tpe" "$WORK/tpe.json" \
  's|"sampler": {"name": "random"}|"sampler": {"name": "tpe", "n_startup_trials": 2}|' \
  's|"n_trials": 5|"n_trials": 6|'
run_study 3 "$WORK/tpe.json"
expect_rc 0 "TPE study with 3 ranks"
"$PYTHON" "$SRC/tests/e2e/fresh_configs.py" "$WORK/tpe.json" "$WORK/tpe/journal.log" e2e-random "$WORK" > "$WORK/list"
CHECKS=$((CHECKS + 1))
[ "$(wc -l < "$WORK/list")" = 6 ] || fail "expected 6 COMPLETE trials"
while read -r number value cfg; do
  run_study 1 "$cfg"
  expect_rc 0 "fresh evaluation of trial $number"
  fresh=$(table "$WORK/fresh$number" e2e-random --final | awk '{print $3}')
  CHECKS=$((CHECKS + 1))
  [ "$fresh" = "$value" ] || fail "trial $number: study value $value, fresh evaluation $fresh"
done < "$WORK/list"
finish
