#!/usr/bin/env bash
# The wilcoxon pruner (Optuna's WilcoxonPruner rule) with dataset.order
# "shuffle", on the stand-in engine with a known ground truth: intermediate
# values are per-equation values at catalogue-index steps, every prune/keep
# decision matches an independent scipy-based reading of the rule
# (tests/e2e/wilcoxon_oracle.py, journal loaded by Optuna 3.1), orders are
# seeded per trial and the same in a second study, after an interruption and
# under mpirun.
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
export SRTUNE_FAKE_SR_SECONDS=0.0001 SRTUNE_FAKE_SR_TRUTH=1

if ! "$PYTHON" -c 'import optuna, scipy' 2>/dev/null; then
  echo "SKIPPED: $PYTHON lacks optuna or scipy (python3-optuna, python3-scipy)"
  exit 77
fi

config() { # config OUT N_TRIALS ORDER
  cat > "$1.json" <<JSON
{
  "study": {"name": "wx", "output_dir": "$1", "seed": 3, "n_trials": $2,
            "direction": "maximize", "sampler": {"name": "tpe", "n_startup_trials": 6},
            "pruner": {"name": "wilcoxon", "p_threshold": 0.2}},
  "dataset": {"name": "feynman", "equations": "0:10", "num_samples": 10, "n_runs": 1,
              "order": "$3"},
  "model": {"niterations": 1, "tournament_selection_n": 8},
  "search_space": {
    "parsimony": {"type": "float", "low": 1e-5, "high": 0.1, "log": true},
    "population_size": {"type": "int", "low": 12, "high": 24},
    "annealing": {"type": "categorical", "choices": [true, false]}}
}
JSON
}
oracle() { "$PYTHON" "$SRC/tests/e2e/wilcoxon_oracle.py" "$1/journal.log" wx 10 0.2 ${2:-} > "$1.oracle"; }

# 1. shuffled, lone process
config "$WORK/a" 24 shuffle
run_study 1 "$WORK/a.json"
expect_rc 0 "wilcoxon + shuffle study"
oracle "$WORK/a" --shuffled
RC=$?; expect_rc 0 "decisions and steps match the oracle (a)"
[ "$RC" = 0 ] || grep -v '^orders' "$WORK/a.oracle" | head -20
CHECKS=$((CHECKS + 1))
grep -Eq 'checked 24 trials, [1-9][0-9]* pruned, 0 mismatches' "$WORK/a.oracle" ||
  fail "expected some pruned trials: $(tail -1 "$WORK/a.oracle")"

# 2. the same study again: identical orders and states
config "$WORK/b" 24 shuffle
sed -i "s|$WORK/b|$WORK/a2|" "$WORK/b.json"
run_study 1 "$WORK/b.json"
expect_rc 0 "second identical study"
oracle "$WORK/a2" --shuffled
CHECKS=$((CHECKS + 1))
cmp -s <(grep '^orders' "$WORK/a.oracle") <(grep '^orders' "$WORK/a2.oracle") ||
  fail "a second identical study ran other equation orders"

# 3. catalogue order: steps in catalogue order, oracle agrees
config "$WORK/c" 16 catalogue
run_study 1 "$WORK/c.json"
expect_rc 0 "wilcoxon + catalogue order"
oracle "$WORK/c"
RC=$?; expect_rc 0 "decisions and steps match the oracle (c)"

# 4. interrupted (SIGUSR1 at the first trial boundary) and resumed: the
#    orders of trials run in both equal a's (orders come from the run dir)
config "$WORK/d" 24 shuffle
SRTUNE_FAKE_SR_SECONDS=0.05 "$SRTUNE" run "$WORK/d.json" > /dev/null 2> "$WORK/d.err" &
pid=$!
for _ in $(seq 100); do
  [ -n "$(find "$WORK/d/trials" -name tensorboard_scalars.csv 2>/dev/null | head -12 | sed -n 12p)" ] && break
  sleep 0.1
done
kill -USR1 $pid
wait $pid
RC=$?; expect_rc 75 "interrupted study exits 75"
run_study 1 "$WORK/d.json"
expect_rc 0 "resumed study"
oracle "$WORK/d" --shuffled
CHECKS=$((CHECKS + 1))
# the same trials, values and states as the uninterrupted study a, but for the
# interrupted trial (FAIL) and its retry copy: compare a's trials with d's
# trials that are not FAIL, in order
"$PYTHON" - "$WORK/a/journal.log" "$WORK/d/journal.log" <<'PY' || fail "the resumed study differs from the uninterrupted one"
import sys, warnings
warnings.simplefilter("ignore")
import optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
def rows(path):
    st = optuna.load_study(study_name="wx", storage=optuna.storages.JournalStorage(
        optuna.storages.JournalFileStorage(path)))
    out = []
    for t in sorted(st.get_trials(deepcopy=False), key=lambda t: t.number):
        if t.state == optuna.trial.TrialState.FAIL:
            continue
        out.append((t.state.name, t.value, tuple(sorted(t.params.items())),
                    tuple(t.intermediate_values.items())))
    return out
a, d = rows(sys.argv[1]), rows(sys.argv[2])
if a != d:
    for k, (x, y) in enumerate(zip(a, d)):
        if x != y:
            print(f"  first difference at non-FAIL trial {k}: {x[:2]} vs {y[:2]}")
            break
    print(f"  {len(a)} vs {len(d)} trials")
    sys.exit(1)
PY

# 5. under mpirun -np 3 (start-up trials only: TPE's later suggestions depend
#    on what has finished): the same orders as a lone process
config "$WORK/e" 6 shuffle
sed -i 's|"pruner": {"name": "wilcoxon", "p_threshold": 0.2}|"pruner": {"name": "wilcoxon", "p_threshold": 0.0}|' "$WORK/e.json"
config "$WORK/f" 6 shuffle
sed -i 's|"pruner": {"name": "wilcoxon", "p_threshold": 0.2}|"pruner": {"name": "wilcoxon", "p_threshold": 0.0}|' "$WORK/f.json"
run_study 1 "$WORK/e.json"
expect_rc 0 "lone study without pruning"
run_study 3 "$WORK/f.json"
expect_rc 0 "mpirun study without pruning"
"$PYTHON" "$SRC/tests/e2e/wilcoxon_oracle.py" "$WORK/e/journal.log" wx 10 0.0 --shuffled > "$WORK/e.oracle"
"$PYTHON" "$SRC/tests/e2e/wilcoxon_oracle.py" "$WORK/f/journal.log" wx 10 0.0 --shuffled > "$WORK/f.oracle"
CHECKS=$((CHECKS + 1))
# run dirs (and so orders) are given by trial number when nothing is retried
cmp -s <(grep '^orders' "$WORK/e.oracle" | sort) <(grep '^orders' "$WORK/f.oracle" | sort) ||
  fail "orders differ between 1 and 3 ranks"
finish
