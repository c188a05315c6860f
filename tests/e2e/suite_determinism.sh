#!/usr/bin/env bash
# A study over a suite of files (dataset.name "files", num_samples below the
# files' sizes, so every run draws a seeded subsample) gives the same trials,
# params and per-instance values bit for bit alone and with 3 ranks, and after
# a SIGUSR1 mid-study and a relaunch; Optuna 3.1 loads the journal, whose
# instance_values name equation_values by instance id.
set -u
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"

# the suite: the shipped PMLB-layout files plus a plain CSV
mkdir -p "$WORK/suite"
cp -r "$SRC/data/suite/lab_ratio" "$SRC/data/suite/lab_wave" "$WORK/suite/"
zcat "$SRC/data/suite/lab_decay/lab_decay.tsv.gz" | tr '\t' ',' > "$WORK/suite/decay_plain.csv"
ids="decay_plain lab_ratio lab_wave"

values() { # values DIR: number value equation_values per finished trial
  "$PYTHON" - "$1/journal.log" <<'PY'
import sys, warnings, optuna
warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.WARNING)
s = optuna.load_study(study_name="e2e-suite",
                      storage=optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(sys.argv[1])))
rows = []
for t in s.get_trials(deepcopy=False):
    if t.state.name != "COMPLETE":
        continue
    params = " ".join(f"{k}={v!r}" for k, v in sorted(t.params.items()))
    rows.append(f"{params} {t.value!r} {t.user_attrs.get('equation_values')!r}")
print("\n".join(sorted(rows)))
PY
}

for np in 1 3; do
  make_config suite.json "$WORK/np$np" "$WORK/np$np.json" "s|SUITE_DIR|$WORK/suite|g"
  run_study "$np" "$WORK/np$np.json"
  expect_rc 0 "suite study with $np rank(s)"
  values "$WORK/np$np" > "$WORK/values$np" 2>"$WORK/values$np.err"
  CHECKS=$((CHECKS + 1))
  [ "$(wc -l < "$WORK/values$np")" = 4 ] || { fail "np=$np: expected 4 COMPLETE trials"; cat "$WORK/values$np" "$WORK/values$np.err" "$WORK/run.err" | head; }
done
CHECKS=$((CHECKS + 1))
diff "$WORK/values1" "$WORK/values3" >/dev/null || { fail "np=3 differs from np=1"; diff "$WORK/values1" "$WORK/values3" | head; }
for id in $ids; do
  CHECKS=$((CHECKS + 1))
  [ -f "$WORK/np3/trials/trial_0/${id}_run1/tensorboard_scalars.csv" ] || fail "run directory ${id}_run1 missing"
done
# the journal names each instance's value by its id, in instance order
CHECKS=$((CHECKS + 1))
"$PYTHON" - "$WORK/np3/journal.log" $ids <<'PY' || fail "instance_values does not match equation_values"
import sys, warnings, optuna
warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.WARNING)
s = optuna.load_study(study_name="e2e-suite",
                      storage=optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(sys.argv[1])))
for t in s.get_trials(deepcopy=False):
    iv, ev = t.user_attrs["instance_values"], t.user_attrs["equation_values"]
    assert list(iv) == sys.argv[2:], (list(iv), sys.argv[2:])
    assert list(iv.values()) == ev, (iv, ev)
PY
# the runs saw 60 rows each: srtune data gives the rows of (instance, run)
run_srtune data "$WORK/np1.json" --equation lab_wave --run 1 --out "$WORK/wave1.csv"
expect_out "lab_wave .*60 of 300 rows, run 1" "a 60-row subsample of 300"

# interrupted and resumed: the same values
slow='s/"niterations": 4/"niterations": 300/'
make_config suite.json "$WORK/int" "$WORK/int.json" "s|SUITE_DIR|$WORK/suite|g" "$slow"
make_config suite.json "$WORK/ref" "$WORK/ref.json" "s|SUITE_DIR|$WORK/suite|g" "$slow"
run_study 3 "$WORK/ref.json"
expect_rc 0 "reference study (longer runs)"
"$MPIRUN" --oversubscribe -np 3 "$SRTUNE" run "$WORK/int.json" >"$WORK/int.out" 2>"$WORK/int.err" &
pid=$!
for _ in $(seq 1 600); do
  n=$(find "$WORK/int/trials" -name tensorboard_scalars.csv 2>/dev/null | wc -l)
  [ "$n" -ge 3 ] && break
  sleep 0.05
done
kill -USR1 "$pid"
wait "$pid"
RC=$?
expect_rc 75 "SIGUSR1 mid-study"
n_done=$(find "$WORK/int/trials" -name tensorboard_scalars.csv | wc -l)
CHECKS=$((CHECKS + 1))
[ "$n_done" -lt 24 ] || fail "the study finished before the signal; the resume proves nothing"
run_study 2 "$WORK/int.json"
expect_rc 0 "relaunch after SIGUSR1"
values "$WORK/ref" > "$WORK/values_ref"
values "$WORK/int" > "$WORK/values_int"
CHECKS=$((CHECKS + 1))
diff "$WORK/values_ref" "$WORK/values_int" >/dev/null || { fail "the resumed study differs"; diff "$WORK/values_ref" "$WORK/values_int" | head; }
finish
