#!/usr/bin/env bash
# study.baselines: PySR's presets and an option map become Optuna-style
# enqueued trials (WAITING + fixed_params, user attr srtune:baseline) that run
# first with the tuned options at their values; sampled trials are the ones a
# study without baselines samples; relaunches and concurrent coordinators
# enqueue each baseline once; an interrupted baseline stays a baseline; adding
# one to an existing study is refused naming study.baselines; a preset value
# outside the search space is refused naming the baseline and the key.
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
export SRTUNE_FAKE_SR_SECONDS=0.001

if ! "$PYTHON" -c 'import optuna' 2>/dev/null; then
  echo "SKIPPED: $PYTHON lacks optuna (python3-optuna)"
  exit 77
fi

config() { # config OUT N_TRIALS BASELINES_JSON
  cat > "$1.json" <<JSON
{
  "study": {"name": "bl", "output_dir": "$1", "seed": 4, "n_trials": $2,
            "sampler": {"name": "random"}, "pruner": {"name": "none"},
            "heartbeat_interval_s": 1, "heartbeat_grace_s": 4,
            "baselines": $3},
  "dataset": {"name": "feynman", "equations": ["I.12.1", "I.14.3"], "num_samples": 10,
              "n_runs": 1},
  "model": {"niterations": 1, "tournament_selection_n": 8},
  "search_space": {
    "parsimony": {"type": "float", "low": 0.0, "high": 0.1},
    "population_size": {"type": "int", "low": 12, "high": 40},
    "annealing": {"type": "categorical", "choices": [true, false]}}
}
JSON
}
BL='["pysr-1", {"name": "mine", "parsimony": 0.001}, "pysr-0"]'
trials() { # trials DIR: "number state baseline params" per trial, via Optuna 3.1
  "$PYTHON" - "$1/journal.log" <<'PY'
import sys, warnings
warnings.simplefilter("ignore")
import optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
st = optuna.load_study(study_name="bl", storage=optuna.storages.JournalStorage(
    optuna.storages.JournalFileStorage(sys.argv[1])))
for t in sorted(st.get_trials(deepcopy=False), key=lambda t: t.number):
    fp = t.system_attrs.get("fixed_params")
    print(t.number, t.state.name, t.user_attrs.get("srtune:baseline", "-"),
          sorted(t.params.items()), "fixed" if fp else "sampled")
PY
}

# 1. three baselines, then sampled trials
config "$WORK/a" 5 "$BL"
run_study 1 "$WORK/a.json"
expect_rc 0 "study with baselines"
trials "$WORK/a" > "$WORK/a.trials"
CHECKS=$((CHECKS + 1))
cat > "$WORK/a.want" <<'TXT'
0 COMPLETE pysr-1 [('annealing', False), ('parsimony', 0.0), ('population_size', 27)] fixed
1 COMPLETE mine [('annealing', False), ('parsimony', 0.001), ('population_size', 27)] fixed
2 COMPLETE pysr-0 [('annealing', False), ('parsimony', 0.0032), ('population_size', 33)] fixed
TXT
head -3 "$WORK/a.trials" | cmp -s - "$WORK/a.want" ||
  { fail "baseline trials are not pysr-1, mine, pysr-0 with their values"; head -3 "$WORK/a.trials"; }
CHECKS=$((CHECKS + 1))
[ "$(grep -c ' sampled$' "$WORK/a.trials")" = 2 ] || fail "expected 2 sampled trials"

# 2. the sampled trials are a baseline-free study's first sampled trials
config "$WORK/b" 2 '[]'
run_study 1 "$WORK/b.json"
expect_rc 0 "study without baselines"
CHECKS=$((CHECKS + 1))
cmp -s <(trials "$WORK/a" | awk '$NF == "sampled"' | cut -d' ' -f4-) \
       <(trials "$WORK/b" | cut -d' ' -f4-) ||
  fail "baselines changed the sampled trials' params"

# 3. a relaunch with more trials enqueues nothing new
sed -i 's|"n_trials": 5|"n_trials": 7|' "$WORK/a.json"
run_study 1 "$WORK/a.json"
expect_rc 0 "relaunch with more trials"
CHECKS=$((CHECKS + 1))
[ "$(trials "$WORK/a" | awk '$3 != "-"' | wc -l)" = 3 ] || fail "a relaunch enqueued baselines again"

# 4. two coordinators starting at once enqueue each baseline once
config "$WORK/c" 6 "$BL"
SRTUNE_FAKE_SR_SECONDS=0.05 "$SRTUNE" run "$WORK/c.json" > /dev/null 2> "$WORK/c1.err" &
p1=$!
SRTUNE_FAKE_SR_SECONDS=0.05 "$SRTUNE" run "$WORK/c.json" > /dev/null 2> "$WORK/c2.err" &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
RC=$r1; expect_rc 0 "first concurrent coordinator"
RC=$r2; expect_rc 0 "second concurrent coordinator"
trials "$WORK/c" > "$WORK/c.trials"
CHECKS=$((CHECKS + 1))
[ "$(awk '$3 != "-"' "$WORK/c.trials" | wc -l)" = 3 ] ||
  { fail "concurrent coordinators enqueued baselines more than once"; cat "$WORK/c.trials"; }

# 5. an interrupted baseline keeps its name; the relaunch completes it
config "$WORK/d" 4 "$BL"
SRTUNE_FAKE_SR_SECONDS=1 "$SRTUNE" run "$WORK/d.json" > /dev/null 2> "$WORK/d.err" &
pid=$!
sleep 1.5
kill -USR1 $pid
wait $pid
RC=$?; expect_rc 75 "interrupted during a baseline"
run_study 1 "$WORK/d.json"
expect_rc 0 "resumed"
trials "$WORK/d" > "$WORK/d.trials"
CHECKS=$((CHECKS + 1))
for b in pysr-1 mine pysr-0; do
  grep -q "COMPLETE $b " "$WORK/d.trials" || fail "baseline $b has no COMPLETE trial after the resume"
done

# 6. adding a baseline to an existing study is refused, naming the key
config "$WORK/e" 3 '["pysr-1"]'
sed -i "s|\"output_dir\": \"$WORK/e\"|\"output_dir\": \"$WORK/b\"|" "$WORK/e.json"
run_srtune validate "$WORK/e.json"
expect_nonzero "validate with a baseline added"
CHECKS=$((CHECKS + 1))
grep -q 'study.baselines' "$WORK/out" "$WORK/err" || fail "the refusal does not name study.baselines"

# 7. a preset value the space cannot hold
config "$WORK/f" 3 '["pysr-1"]'
sed -i 's|"parsimony": {"type": "float", "low": 0.0, "high": 0.1}|"parsimony": {"type": "float", "low": 1e-5, "high": 0.1, "log": true}|' "$WORK/f.json"
run_srtune validate "$WORK/f.json"
expect_rc 3 "a baseline outside the space"
expect_err 'study.baselines\[0\]: pysr-1: parsimony = 0 is outside search_space.parsimony' \
  "the message names the baseline and the key"
finish
