#!/usr/bin/env bash
# Issue 15's reproduction: a finished study whose journal ends in a torn line
# (a writer that died mid-append), n_trials raised by 2, `srtune run`: the
# torn bytes are moved to journal.log.torn-<time> with a warning naming both
# files, the journal is cut back to its last newline before the first append,
# every line parses, and Optuna 3.1 loads the study with the 2 new trials.
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
export SRTUNE_NO_PROGRESS=1

tiny=('s/"n_trials": 5/"n_trials": 2/'
      's/"I.12.1", "I.14.3", "I.25.13"/"I.12.1"/'
      's/"n_runs": 2/"n_runs": 1/'
      's/"niterations": 4/"niterations": 2/')
make_config random.json "$WORK/s" "$WORK/s.json" "${tiny[@]}"
run_study 1 "$WORK/s.json"
expect_rc 0 "the study"
torn='{"op_code":6,"worker_id":"x","trial_id":3,"state":1,"val'
printf '%s' "$torn" >> "$WORK/s/journal.log"
sed -i 's/"n_trials": 2/"n_trials": 4/' "$WORK/s.json"
run_study 1 "$WORK/s.json"
expect_rc 0 "relaunch with n_trials + 2"
CHECKS=$((CHECKS + 1))
grep -Eq "$WORK/s/journal.log: the journal ended in a torn line .*moved it to $WORK/s/journal.log.torn-" "$WORK/run.err" ||
  { fail "no warning naming the journal and the .torn file"; grep WARN "$WORK/run.err" | head -3; }
CHECKS=$((CHECKS + 1))
saved=$(cat "$WORK"/s/journal.log.torn-* 2>/dev/null)
[ "$saved" = "$torn" ] || fail "the .torn file does not hold the torn bytes: '$saved'"
CHECKS=$((CHECKS + 1))
grep -q '"val$' "$WORK/s/journal.log" && fail "the torn fragment is still in the journal"
"$PYTHON" "$SRC/tests/e2e/journals_check.py" e2e-random "$WORK/s/journal.log" > "$WORK/check" 2>&1
CHECKS=$((CHECKS + 1))
grep -q "load-ok RUNNING=0" "$WORK/check" || { fail "Optuna 3.1 does not load the study"; cat "$WORK/check"; }
table "$WORK/s" e2e-random --final > "$WORK/t"
CHECKS=$((CHECKS + 1))
[ "$(wc -l < "$WORK/t")" = 4 ] || { fail "expected 4 finished trials"; cat "$WORK/t"; }
finish
