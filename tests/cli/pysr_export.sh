#!/usr/bin/env bash
# `srtune best --format pysr|json|julia` on every COMPLETE trial of two small
# studies (presets pysr-0 and pysr-1) that tune log_interval, maxdepth (0 = no
# limit), population_size, tournament_selection_n, maxsize and more: checked by
# tests/cli/pysr_export_check.py against PySR v1.5.10's keywords, defaults and
# rules and SR.jl v1.11.3's Options keywords (tests/data/pysr/).
set -u
. "$(dirname "$0")/lib.sh"
PYTHON=${SRTUNE_PYTHON:-/usr/bin/python3}
export SRTUNE_LOG_LEVEL=warn
for preset in pysr-0 pysr-1; do
  sed "s|OUTPUT_DIR|$WORK/$preset|;s|PRESET|$preset|" "$SRC/tests/data/pysr/export_study.json" >"$WORK/$preset.json"
  run_srtune run "$WORK/$preset.json"
  expect_rc 0 "the $preset study"
  CHECKS=$((CHECKS + 1))
  "$PYTHON" "$SRC/tests/cli/pysr_export_check.py" "$SRTUNE" "$WORK/$preset" "$SRC/tests/data/pysr" 20 \
    >"$WORK/check.out" 2>&1 || { fail "$preset: the export breaks PySR's rules"; head -20 "$WORK/check.out"; }
  tail -1 "$WORK/check.out"
done
# the log_interval comment, the PySR literal forms and maxdepth 0 left out
run_srtune best "$WORK/pysr-1" --format pysr
expect_rc 0 "best --format pysr"
expect_out "^PySRRegressor\($" "the call"
CHECKS=$((CHECKS + 1))
grep -q "^    log_interval=" "$WORK/out" && fail "log_interval exported"
CHECKS=$((CHECKS + 1))
grep -q "^    maxdepth=0" "$WORK/out" && fail "maxdepth=0 exported"
run_srtune best "$WORK/pysr-1" --trial 100000 --format pysr
expect_rc 1 "an unknown trial"
expect_err "no trial 100000" "names the trial"
run_srtune best "$WORK/pysr-1" --trial x
expect_rc 2 "a bad --trial"
# the table shows each run's equation chosen by model_selection (PySR's rules)
for sel in best accuracy score; do
  run_srtune best "$WORK/pysr-1" --model-selection $sel
  expect_rc 0 "best --model-selection $sel"
  expect_out "^chosen equations \(model_selection=$sel\):$" "names the rule"
  CHECKS=$((CHECKS + 1))
  "$PYTHON" - "$WORK/out" "$WORK/pysr-1" $sel <<'PY' || fail "best --model-selection $sel shows the wrong equation"
import csv, glob, json, math, re, sys
out, study, sel = sys.argv[1:]
trial = int(re.search(r"^best trial (\d+)", open(out).read(), re.M).group(1))
rows = re.findall(r"^  (\S+_run\d+) +complexity (\d+), loss \S+: (.*)$", open(out).read(), re.M)
assert rows, "no chosen equation"
for run, cx, eq in rows:
    hof = list(csv.DictReader(open(glob.glob("%s/trials/trial_%d/%s/hall_of_fame.csv" % (study, trial, run))[0])))
    loss = [float(r["loss"]) for r in hof]
    score = [float(r["score"]) for r in hof]
    if sel == "accuracy":
        want = loss.index(min(loss))
    elif sel == "score":
        want = score.index(max(score))
    else:
        ok = [i for i in range(len(hof)) if loss[i] <= 1.5 * min(loss)]
        want = max(ok, key=lambda i: (score[i], -i))
    assert hof[want]["equation"] == eq and int(hof[want]["complexity"]) == int(cx), (run, want, eq)
PY
done
run_srtune best "$WORK/pysr-1" --model-selection worst
expect_rc 2 "an unknown --model-selection"
# same study, same export (determinism)
"$SRTUNE" best "$WORK/pysr-0" --format julia >"$WORK/a" 2>&1
"$SRTUNE" best "$WORK/pysr-0" --format julia >"$WORK/b" 2>&1
CHECKS=$((CHECKS + 1))
cmp -s "$WORK/a" "$WORK/b" || fail "two exports differ"
finish
