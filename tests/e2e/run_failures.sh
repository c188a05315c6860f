#!/usr/bin/env bash
# A run that fails (a formula giving NaN on its range) never kills the study:
# with on_run_error "value" the run counts as failure_value and every trial
# completes; with "fail_trial" the trials fail, the failure is recorded in
# run.json and the journal, and the study stops after too many failures in a
# row with a clear message instead of sampling forever.
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

cat="$SRC/tests/data/e2e/catalogue.csv"
make_config random.json "$WORK/v" "$WORK/v.json" \
  "s|\"name\": \"feynman\",|\"name\": \"feynman\", \"catalogue\": \"$cat\",|" \
  's|\["I.12.1", "I.14.3", "I.25.13"\]|["T.1", "T.2", "T.3"]|' \
  's|"heartbeat_grace_s": 4|"heartbeat_grace_s": 4, "on_run_error": "value", "failure_value": -1|'
run_study 2 "$WORK/v.json"
expect_rc 0 "study with a failing equation (on_run_error value)"
table "$WORK/v" e2e-random --final > "$WORK/v.table"
CHECKS=$((CHECKS + 1))
[ "$(grep -c COMPLETE "$WORK/v.table")" = 5 ] || { fail "expected 5 COMPLETE trials"; cat "$WORK/v.table" "$WORK/run.err" | head; }
CHECKS=$((CHECKS + 1))
grep -q '"status": "failed"' "$WORK/v/trials/trial_0/feynman_eq1_run0/run.json" ||
  fail "the failed run has no run.json record"
CHECKS=$((CHECKS + 1))
grep -q 'sqrt\|NaN\|not finite' "$WORK/v/trials/trial_0/feynman_eq1_run0/run.json" ||
  fail "run.json does not say why the run failed"

make_config random.json "$WORK/f" "$WORK/f.json" \
  "s|\"name\": \"feynman\",|\"name\": \"feynman\", \"catalogue\": \"$cat\",|" \
  's|\["I.12.1", "I.14.3", "I.25.13"\]|["T.1", "T.2", "T.3"]|' \
  's|"n_trials": 5|"n_trials": 50|'
run_study 1 "$WORK/f.json"
expect_rc 1 "a study whose every trial fails stops"
expect_err_file() { CHECKS=$((CHECKS + 1)); grep -Eq -- "$1" "$WORK/run.err" || { fail "$2"; tail -5 "$WORK/run.err"; }; }
expect_err_file "10 trials failed in a row" "the stop names the cause"
n_fail=$(table "$WORK/f" e2e-random | grep -c ' FAIL ')
CHECKS=$((CHECKS + 1))
[ "$n_fail" = 10 ] || fail "expected 10 FAIL trials, found $n_fail"
finish
