#!/usr/bin/env bash
# `srtune status`, `best` (table, json, pysr) and `export` on a finished study;
# Optuna 3.1 loads the journal and its best trial is srtune's.
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

make_config random.json "$WORK/s" "$WORK/s.json"
run_srtune status "$WORK/s"
expect_rc 3 "status before the study exists"
expect_err "not a study directory" "status names the problem"

run_study 1 "$WORK/s.json"
expect_rc 0 "the study"
run_srtune status "$WORK/s"
expect_rc 0 "status"
expect_out "5 finished of n_trials 5 \(5 complete" "status counts the trials"
expect_out "30 of 30 done \(100%\), ETA done" "status counts the runs"
run_srtune best "$WORK/s" --format json
expect_rc 0 "best --format json"
ours=$("$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["trial"], repr(d["value"]))' "$WORK/out")
theirs=$("$PYTHON" "$SRC/tests/e2e/optuna_best.py" "$WORK/s/journal.log" e2e-random)
CHECKS=$((CHECKS + 1))
[ "$ours" = "$theirs" ] || fail "srtune best ($ours) is not Optuna's best ($theirs)"
run_srtune best "$WORK/s" --format pysr
expect_out "^PySRRegressor\($" "pysr format opens the call"
expect_out "^    parsimony=[0-9.e-]+,(  # tuned)?$" "pysr format has the tuned parsimony"
expect_out "^    annealing=(True|False),(  # tuned)?$" "pysr format writes Python booleans"
expect_out '^    unary_operators=\["sin", "cos"\],$' "pysr format has the operators"
run_srtune best "$WORK/s"
expect_out "^best trial [0-9]+ of study 'e2e-random'" "table format"
run_srtune best "$WORK/s" --format yaml
expect_rc 2 "an unknown format"
run_srtune export "$WORK/s"
expect_rc 0 "export"
CHECKS=$((CHECKS + 1))
[ "$(wc -l < "$WORK/s/trials.csv")" = 6 ] || fail "trials.csv should have a header and 5 rows"
CHECKS=$((CHECKS + 1))
head -1 "$WORK/s/trials.csv" | grep -q '^number,state,value,datetime_start,datetime_complete,duration_s,runs_done,baseline,annealing,parsimony,population_size,eq_I.12.1,eq_I.14.3,eq_I.25.13$' ||
  fail "trials.csv header: $(head -1 "$WORK/s/trials.csv")"
CHECKS=$((CHECKS + 1))
awk -F, 'NR > 1 && ($13 == "" || $6 == "") {bad = 1} END {exit bad}' "$WORK/s/trials.csv" ||
  fail "trials.csv lacks per-equation values or durations"
finish
