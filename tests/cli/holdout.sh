#!/usr/bin/env bash
# dataset.holdout: validate lists the held-out instances; a pattern that
# matches nothing, holding out everything, or a bad value is refused (exit 3,
# file and key named); a real study never runs a held-out instance (its run
# directories); suite files are held out by id or by relative path; an old
# config.json without the key still resumes, and adding a holdout to an
# existing study is refused as a change.
set -u
. "$(dirname "$0")/lib.sh"

mk() { # mk NAME OUTPUT_DIR HOLDOUT_JSON: the quickstart study, small, with that holdout
  /usr/bin/python3 - "$SRC/configs/quickstart.json" "$WORK/$1.json" "$2" "$3" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["study"]["output_dir"] = sys.argv[3]
c["study"]["n_trials"] = 2
c["model"]["niterations"] = 1
c["model"]["ncycles_per_iteration"] = 10
if sys.argv[4] != "none":
    c["dataset"]["holdout"] = json.loads(sys.argv[4])
json.dump(c, open(sys.argv[2], "w"), indent=2)
PY
}

mk one "$WORK/one" '["I.14.3"]'
run_srtune validate "$WORK/one.json"
expect_rc 0 "validate with one held-out equation"
expect_out "holdout: +1 held out, never run while tuning .*: I.14.3$" "validate lists the holdout"
expect_out "2 of 100 in .*: I.12.1 I.25.13$" "the tuning equations exclude it"
expect_out "8 in total \(2 trials x 2 equations x 2 runs\)" "the run count excludes it"

mk glob "$WORK/glob" '["feynman_eq2*"]' # the instance id of I.25.13 (index 24)
run_srtune validate "$WORK/glob.json"
expect_rc 0 "validate with an instance-id glob"
expect_out "holdout: .*: I.25.13$" "the glob matches the instance id"

mk none "$WORK/none" '["I.14.3", "II.99*"]'
run_srtune validate "$WORK/none.json"
expect_rc 3 "a pattern that matches nothing"
expect_err "none.json: dataset.holdout\[1\]: 'II.99\*' matches no instance" "names the key and pattern"

mk outside "$WORK/outside" '["I.6.2a"]' # in the catalogue, not in dataset.equations
run_srtune validate "$WORK/outside.json"
expect_rc 3 "an equation outside dataset.equations"
expect_err "dataset.holdout\[0\]: 'I.6.2a' matches no instance" "is not an instance of the study"

mk all "$WORK/all" '["I.*"]'
run_srtune validate "$WORK/all.json"
expect_rc 3 "holding out every instance"
expect_err "all.json: dataset.holdout: holds out every instance" "says nothing is left to tune on"

mk str "$WORK/str" '"I.14.3"'
run_srtune validate "$WORK/str.json"
expect_rc 3 "a string instead of a list"
expect_err "str.json: dataset.holdout: must be a list of instance ids or globs" "names the key"
CHECKS=$((CHECKS + 1))
[ -e "$WORK/str" ] && fail "a refused config created its output directory"

# a real run never runs the held-out equation: no run directory of its instance id
run_srtune run "$WORK/one.json"
expect_rc 0 "run with a holdout"
held=$(/usr/bin/python3 -c "
import csv; r = list(csv.reader(open('$SRC/data/FeynmanEquations.csv')))
print([i for i, row in enumerate(r[1:]) if row[0] == 'I.14.3'][0])")
CHECKS=$((CHECKS + 1))
n=$(find "$WORK/one/trials" -mindepth 2 -maxdepth 2 -type d | wc -l)
[ "$n" = 8 ] || fail "expected 8 run directories (2 trials x 2 equations x 2 runs), found $n"
CHECKS=$((CHECKS + 1))
find "$WORK/one/trials" -name "feynman_eq${held}_run*" | grep -q . &&
  fail "the held-out equation feynman_eq$held was run"
CHECKS=$((CHECKS + 1))
grep -q '"holdout"' "$WORK/one/config.json" || fail "config.json lacks dataset.holdout"

# adding a holdout to an existing study changes it: refused, naming the key
mk grow "$WORK/one" '["I.14.3", "I.12.1"]'
run_srtune validate "$WORK/grow.json"
expect_nonzero "validate refuses a changed holdout"
CHECKS=$((CHECKS + 1))
grep -q 'dataset.holdout' "$WORK/out" "$WORK/err" || fail "the refusal does not name dataset.holdout"

# a study written before dataset.holdout existed still resumes
export SRTUNE_FAKE_SR_SECONDS=0.0001
mk old "$WORK/old" none
run_srtune run "$WORK/old.json"
expect_rc 0 "run without a holdout"
/usr/bin/python3 - "$WORK/old/config.json" <<'PY'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
del c["dataset"]["holdout"]  # as srtune wrote it before dataset.holdout existed
json.dump(c, open(p, "w"), indent=2)
PY
run_srtune run "$WORK/old.json"
expect_rc 0 "relaunch of a study whose config.json predates dataset.holdout"
unset SRTUNE_FAKE_SR_SECONDS

# a suite of files: by id and by path relative to the config
mkdir -p "$WORK/suite"
cp -r "$SRC/data/suite" "$WORK/suite/data"
/usr/bin/python3 - "$SRC/configs/suite.json" "$WORK/suite" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["study"]["output_dir"] = "runs"
c["dataset"]["paths"] = ["data/*/*.tsv.gz"]
c["study"]["n_trials"] = 1
c["model"]["niterations"] = 1
for name, h in [("byid", ["lab_decay"]), ("bypath", ["data/lab_poly/*"]),
                ("nomatch", ["data/nothing/*"])]:
    c["dataset"]["holdout"] = h
    json.dump(c, open(f"{sys.argv[2]}/{name}.json", "w"), indent=2)
PY
run_srtune validate "$WORK/suite/byid.json"
expect_rc 0 "suite holdout by id"
expect_out "holdout: +1 held out.*: lab_decay$" "lists the held-out file's id"
CHECKS=$((CHECKS + 1))
grep -E '^    lab_decay ' "$WORK/out" && fail "the held-out file is still listed as an instance"
run_srtune validate "$WORK/suite/bypath.json"
expect_rc 0 "suite holdout by relative path"
expect_out "holdout: .*: lab_poly$" "the relative path glob matches"
run_srtune run "$WORK/suite/bypath.json"
expect_rc 0 "a suite study with a file held out"
CHECKS=$((CHECKS + 1))
ls "$WORK/suite/runs/trials/trial_0" | grep -q '^lab_pendulum_run0$' || fail "the suite's other files did not run"
CHECKS=$((CHECKS + 1))
ls "$WORK/suite/runs/trials/trial_0" | grep -q '^lab_poly_' && fail "the held-out file lab_poly was run"
run_srtune validate "$WORK/suite/nomatch.json"
expect_rc 3 "a suite path that matches nothing"
expect_err "dataset.holdout\[0\]: 'data/nothing/\*' matches no instance" "names the key"
finish
