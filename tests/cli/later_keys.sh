#!/usr/bin/env bash
# A study whose config.json was written before a study-defining key existed
# (here dataset.order) still resumes when the key has its default, and is
# refused, naming the key, when the config sets another value.
set -u
. "$(dirname "$0")/lib.sh"
export SRTUNE_FAKE_SR_SECONDS=0.0001
sed "s|OUTPUT_DIR|$WORK/s|" "$SRC/tests/data/e2e/random.json" > "$WORK/s.json"
run_srtune run "$WORK/s.json"
expect_rc 0 "first run"
/usr/bin/python3 - "$WORK/s/config.json" <<'PY'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
del c["dataset"]["order"]  # as srtune wrote it before dataset.order existed
json.dump(c, open(p, "w"), indent=2)
PY
run_srtune validate "$WORK/s.json"
expect_rc 0 "validate accepts the old config.json"
expect_out 'RESUME|resume|done|existing' "validate says the study resumes"
run_srtune run "$WORK/s.json"
expect_rc 0 "relaunch of the old study"
sed -i 's|"n_runs": 2|"n_runs": 2, "order": "shuffle"|' "$WORK/s.json"
run_srtune validate "$WORK/s.json"
expect_nonzero "validate refuses another dataset.order"
CHECKS=$((CHECKS + 1))
grep -q 'dataset.order' "$WORK/out" "$WORK/err" || fail "the refusal does not name dataset.order"
finish
