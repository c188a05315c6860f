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
# same study, same export (determinism)
"$SRTUNE" best "$WORK/pysr-0" --format julia >"$WORK/a" 2>&1
"$SRTUNE" best "$WORK/pysr-0" --format julia >"$WORK/b" 2>&1
CHECKS=$((CHECKS + 1))
cmp -s "$WORK/a" "$WORK/b" || fail "two exports differ"
finish
