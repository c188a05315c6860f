#!/usr/bin/env bash
# What a new user meets after a first study (issue 17): `best` gives the run
# directory and the equations found, takes the config file as well as the
# directory, and names a bad --format; `status` takes the config file and
# counts trials that Optuna added (ask/tell) as foreign; `validate` prints the
# reason of a refusal on stdout; `equations` lists ids; an empty search space
# is warned about.
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

make_config random.json "$WORK/s" "$WORK/s.json"
run_study 2 "$WORK/s.json"
expect_rc 0 "the study"

run_srtune best "$WORK/s.json"
expect_rc 0 "best CONFIG"
expect_out "^run directory: $WORK/s/trials/trial_[0-9]+$" "best gives the run directory"
expect_out '^ I\.14\.3 \(U = m\*g\*z\): value [0-9.]+' "best names each equation by its id"
expect_out '^  feynman_eq14_run1 +complexity [0-9]+, loss [0-9.e+-]+: .+$' \
  "best shows the equation each run found"
expect_out '^  annealing +(true|false)$' "best prints a bool as true/false"
expect_out '^  population_size +[0-9]+$' "best prints an int as an int"
dir=$(sed -n 's/^run directory: //p' "$WORK/out")
CHECKS=$((CHECKS + 1))
[ -f "$dir/feynman_eq14_run1/hall_of_fame.csv" ] || fail "best's run directory has no runs: $dir"
run_srtune best "$WORK/s/config.json" --format json
expect_rc 0 "best DIR/config.json"
expect_out '"trial": [0-9]+' "best DIR/config.json is the study's"
run_srtune best "$WORK/s" --format yaml
expect_rc 2 "best --format yaml"
expect_err "unknown --format 'yaml' \(table, json, pysr or julia\)" "best names the bad format"

run_srtune export "$WORK/s.json"
expect_rc 0 "export CONFIG"
CHECKS=$((CHECKS + 1))
head -1 "$WORK/s/trials.csv" | grep -q ',eq_I\.12\.1,eq_I\.14\.3,eq_I\.25\.13$' ||
  fail "trials.csv names equations by id: $(head -1 "$WORK/s/trials.csv")"
run_srtune report "$WORK/s.json"
expect_rc 0 "report CONFIG"
expect_out "$WORK/s/report/index.html" "report CONFIG writes into the study's directory"
run_srtune status "$WORK/s.json"
expect_rc 0 "status CONFIG"
expect_out '5 finished of n_trials 5 \(5 complete, 0 pruned\); 0 running, 0 waiting, 0 failed, 0 interrupted' \
  "status CONFIG counts"
expect_out 'runs: +30 of 30 done \(100%\), ETA done' "status: runs and ETA agree"

# a trial added through Optuna's ask/tell is foreign: listed, not counted
CHECKS=$((CHECKS + 1))
"$PYTHON" - "$WORK/s/journal.log" <<'EOF' || fail "Optuna could not add a trial"
import sys, optuna
optuna.logging.set_verbosity(optuna.logging.ERROR)
st = optuna.load_study(study_name="e2e-random", storage=optuna.storages.JournalStorage(
    optuna.storages.JournalFileStorage(sys.argv[1])))
t = st.ask()
st.tell(t, 1e9)  # would be the best by far
EOF
run_srtune status "$WORK/s"
expect_rc 0 "status with a foreign trial"
expect_out '5 finished of n_trials 5 \(5 complete' "status: the foreign trial is not counted"
expect_out 'foreign: 1 trials added through Optuna.*: 5 \(COMPLETE\)' "status lists the foreign trial"
expect_out 'runs: +30 of 30 done' "status: a foreign trial has no runs"
run_srtune best "$WORK/s"
expect_out '^best trial [0-4] ' "best ignores the foreign trial"

# validate of a changed config: the reason on stdout
sed 's/"niterations": 4/"niterations": 5/' "$WORK/s.json" > "$WORK/changed.json"
run_srtune validate "$WORK/changed.json"
expect_rc 3 "validate, study-defining key changed"
expect_out 'REFUSED: .*model\.niterations' "validate prints the refusal's reason on stdout"

# equations: ids and indices
run_srtune equations --grep II.3.24
expect_rc 0 "equations --grep"
expect_out '^52 +II\.3\.24 +flux = Pwr/\(4\*pi\*r\*\*2\)' "equations lists index, id and formula"
expect_out 'Pwr \[1, 5\], r \[1, 5\]' "equations lists the variables' ranges"
run_srtune equations --dataset bonus --grep Rutherford
expect_out '^0 +test_1 ' "equations --dataset bonus"
run_srtune equations --grep no-such-equation
expect_rc 1 "equations, nothing matches"
run_srtune equations --dataset nope
expect_rc 2 "equations, bad --dataset"

# an empty search space is said, not silently run n_trials times
"$PYTHON" - "$WORK/s.json" "$WORK/empty.json" "$WORK/e" <<'EOF'
import json, sys
c = json.load(open(sys.argv[1]))
c["search_space"] = {}
c["study"]["output_dir"] = sys.argv[3]
json.dump(c, open(sys.argv[2], "w"))
EOF
run_srtune validate "$WORK/empty.json"
expect_rc 0 "validate, empty search space"
expect_err 'search_space is empty: all 5 trials run the same options' "empty search space warned"
expect_out 'search space:  0 parameters' "validate: 0 parameters"
run_srtune validate "$WORK/s.json"
expect_out 'search space:  3 parameters' "validate: plural"
expect_out 'population_size tuned' "validate: a tuned model option is marked, not its fixed value"

# item 14's small things: "did you mean" for a word, the separator of a CSV,
# no source locations in the log at the info level
sed 's/"unary_operators": \["sin", "cos"\]/"unary_operators": ["sin", "cosine"]/' "$WORK/s.json" > "$WORK/cosine.json"
run_srtune validate "$WORK/cosine.json"
expect_rc 3 "validate, unknown operator"
expect_err "unknown operator 'cosine' \(did you mean 'cos'\?\)" "a word's abbreviation is suggested"
printf 'x;y\n1;2\n3;4\n' > "$WORK/semi.csv"
run_srtune fit "$WORK/semi.csv"
expect_rc 3 "fit on a ';'-separated file"
expect_err "got 1; the header is separated by ';', but srtune reads comma-separated files" \
  "the separator is named"
SRTUNE_LOG_LEVEL=info run_srtune status "$WORK/s"
SRTUNE_LOG_LEVEL=info run_srtune run "$WORK/s.json"
expect_rc 0 "run on a done study"
CHECKS=$((CHECKS + 1))
grep -Eq ' INFO [a-z_]+\.c:[0-9]+ ' "$WORK/err" && fail "the info log shows source locations"
expect_err ' INFO study .e2e-random. done' "the info log says the study is done"
run_srtune --log-level debug run "$WORK/s.json"
expect_err ' INFO [a-z_]+\.c:[0-9]+ ' "the debug log shows source locations"
finish
