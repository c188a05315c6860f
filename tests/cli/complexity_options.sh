#!/usr/bin/env bash
# The complexity, constraint and warm-up options (issue #14): every bad form
# in a config's model section exits 3 with "file: model.KEY: message" and
# writes nothing; the same forms through `srtune fit --option` are refused
# naming the option; good values validate, appear in the effective config,
# and reach run.json and the exports.
set -u
. "$(dirname "$0")/lib.sh"

SPACE='{"parsimony": {"type": "float", "low": 0.0, "high": 0.1}}'
cfg() { # cfg NAME MODEL_EXTRA [SPACE]
  local space=${3:-$SPACE}
  cat > "$WORK/$1.json" <<JSON
{
  "study": {"name": "c", "output_dir": "$WORK/out-$1", "n_trials": 2},
  "dataset": {"name": "feynman", "equations": ["I.12.1"], "num_samples": 10},
  "model": {"niterations": 1, "tournament_selection_n": 8,
            "unary_operators": ["sin", "cos"], $2},
  "search_space": $space
}
JSON
}
refused() { # refused NAME KEY PATTERN WHAT
  run_srtune validate "$WORK/$1.json"
  expect_rc 3 "$4"
  expect_err "$WORK/$1.json: model\\.$2: $3" "$4: message"
  CHECKS=$((CHECKS + 1))
  [ ! -e "$WORK/out-$1" ] || fail "$4: an output directory was created"
}

cfg good '"complexity_of_operators": {"sin": 3, "/": 2.5}, "complexity_of_constants": 2,
  "complexity_of_variables": [1, 2], "constraints": {"sin": 5, "^": [-1, 1], "*": [2, 5]},
  "nested_constraints": {"sin": {"sin": 0, "cos": 1}}, "warmup_maxsize_by": 0.5,
  "binary_operators": ["+", "-", "*", "/", "^"]'
run_srtune validate "$WORK/good.json"
expect_rc 0 "good values validate"
expect_out '^ +constraints \{"\*": \[2, 5\], "\^": \[-1, 1\], "sin": 5\}$' "validate shows the constraints"
expect_out '^ +complexity_of_variables \[1, 2\]$' "validate shows the per-feature list"

# complexity_of_operators
cfg coo_type '"complexity_of_operators": [3]'
refused coo_type 'complexity_of_operators' 'must be an object .* got an array' "a list instead of a map"
cfg coo_unknown '"complexity_of_operators": {"sinn": 3}'
refused coo_unknown 'complexity_of_operators.sinn' "unknown operator 'sinn'.*did you mean 'sin'" "an unknown operator"
cfg coo_absent '"complexity_of_operators": {"exp": 3}'
refused coo_absent 'complexity_of_operators.exp' "'exp' is not in unary_operators" "an operator outside the lists"
cfg coo_neg '"complexity_of_operators": {"sin": -1}'
refused coo_neg 'complexity_of_operators.sin' 'must be a number in \[0, 1e6\], got -1' "a negative complexity"
cfg coo_str '"complexity_of_operators": {"sin": "3"}'
refused coo_str 'complexity_of_operators.sin' 'must be a number' "a string complexity"
# complexity_of_constants / complexity_of_variables
cfg coc_neg '"complexity_of_constants": -2'
refused coc_neg 'complexity_of_constants' '' "a negative constant complexity"
cfg cov_neg '"complexity_of_variables": [1, -1]'
refused cov_neg 'complexity_of_variables\[1\]' 'must be a number in \[0, 1e6\], got -1' "a negative variable complexity"
cfg cov_empty '"complexity_of_variables": []'
refused cov_empty 'complexity_of_variables' 'must be a number or a list of 1 to 256 numbers .one per feature., got a list of 0' "an empty list"
cfg cov_len '"complexity_of_variables": [1, 2, 3]'
run_srtune validate "$WORK/cov_len.json"
expect_rc 3 "a per-feature list longer than I.12.1's 2 variables"
expect_err "$WORK/cov_len.json: model.complexity_of_variables: the list has 3 entries but I.12.1 has 2 features" \
  "the length is checked against the equation"
cfg cov_tuned '"complexity_of_variables": [1, 2]' \
  '{"complexity_of_variables": {"type": "float", "low": 1, "high": 2}}'
run_srtune validate "$WORK/cov_tuned.json"
expect_rc 3 "a tuned scalar with a per-feature list"
expect_err "search_space.complexity_of_variables: cannot be tuned while" "the tuned scalar is named"
# constraints
cfg con_una_pair '"constraints": {"sin": [1, 2]}'
refused con_una_pair 'constraints.sin' "'sin' is unary: its constraint is one integer" "a pair for a unary operator"
cfg con_bin_int '"constraints": {"/": 3}'
refused con_bin_int 'constraints./' "'/' is binary: its constraint is a pair \\[left, right\\]" "an integer for a binary operator"
cfg con_bin_three '"constraints": {"/": [1, 2, 3]}'
refused con_bin_three 'constraints./' "'/' is binary: its constraint is a pair" "a triple for a binary operator"
cfg con_neg '"constraints": {"sin": -2}'
refused con_neg 'constraints.sin' 'the limit must be -1 \(no limit\) or in \[0, 1e6\], got -2' "a limit below -1"
cfg con_frac '"constraints": {"/": [-1, 1.5]}'
refused con_frac 'constraints./' 'the right limit must be an integer' "a fractional limit"
cfg con_plus '"constraints": {"+": [1, 2]}'
refused con_plus 'constraints.\+' "'\\+' needs equal limits on both sides .*got \\[1, 2\\]" "unequal + limits (PySR refuses them)"
cfg con_absent '"constraints": {"^": [-1, 1]}'
refused con_absent 'constraints.\^' "'\\^' is not in binary_operators" "a binary operator outside the list"
cfg con_unknown '"constraints": {"foo": 1}'
refused con_unknown 'constraints.foo' "unknown operator 'foo'" "an unknown operator"
# nested_constraints
cfg nest_flat '"nested_constraints": {"sin": 0}'
refused nest_flat 'nested_constraints.sin' 'must be an object of inner operator' "a flat map"
cfg nest_neg '"nested_constraints": {"sin": {"cos": -2}}'
refused nest_neg 'nested_constraints.sin.cos' 'must be an integer >= -1' "a nesting below -1"
cfg nest_absent '"nested_constraints": {"sin": {"exp": 0}}'
refused nest_absent 'nested_constraints.sin.exp' "'exp' is not in unary_operators" "an inner operator outside the lists"
cfg nest_outer '"nested_constraints": {"tan": {"sin": 0}}'
refused nest_outer 'nested_constraints.tan' "'tan' is not in unary_operators" "an outer operator outside the lists"
# warmup_maxsize_by
cfg warm_neg '"warmup_maxsize_by": -0.5'
refused warm_neg 'warmup_maxsize_by' '' "a negative warm-up"
# the structured options cannot be tuned
cfg tune_map '"maxsize": 20' '{"constraints": {"type": "int", "low": 1, "high": 3}}'
run_srtune validate "$WORK/tune_map.json"
expect_rc 3 "tuning a structured option"
expect_err "search_space.constraints: cannot be tuned; set it in model.constraints" "the refusal names it"

# the effective config carries them (a later config.json compares equal)
cfg eff '"complexity_of_operators": {"sin": 3}, "constraints": {"sin": 4}'
run_srtune validate "$WORK/eff.json"
expect_rc 0 "validate the effective-config case"

# srtune fit --option: the same checks, named by the option
printf 'x0,x1,y\n' > "$WORK/d.csv"
for i in $(seq 1 40); do echo "$i,$((i % 7)),$((i * 2 + i % 7))" >> "$WORK/d.csv"; done
fit_refused() { # fit_refused PATTERN WHAT OPTION...
  local pat=$1 what=$2
  shift 2
  run_srtune fit "$WORK/d.csv" --option niterations=1 --option populations=2 \
    --option unary_operators=sin "$@"
  expect_rc 2 "fit: $what"
  expect_err "$pat" "fit: $what: message"
}
fit_refused "--option constraints: expected JSON" "not JSON" --option 'constraints={sin: 3}'
fit_refused "--option constraints.sin: 'sin' is unary" "a pair for sin" --option 'constraints={"sin": [1, 2]}'
fit_refused "--option constraints: 'cos' is not in unary_operators" "cos not listed" --option 'constraints={"cos": 2}'
fit_refused "--option nested_constraints: 'sin' \(nested in 'cos'\) is not in unary_operators" \
  "nested sin without sin" --option unary_operators=cos --option 'nested_constraints={"cos": {"sin": 0}}'
fit_refused "--option complexity_of_operators.sin: must be a number" "a string" \
  --option 'complexity_of_operators={"sin": "x"}'
run_srtune fit "$WORK/d.csv" --option niterations=1 --option populations=2 \
  --option 'complexity_of_variables=[1, 2, 3]'
expect_rc 3 "fit: a per-feature list of the wrong length (the data has 2 features)"
expect_err "complexity_of_variables: the list has 3 entries but the data has 2 features" \
  "fit: the wrong length is named"

# good values reach run.json and the PySR export form
run_srtune fit "$WORK/d.csv" --option niterations=2 --option populations=2 \
  --option unary_operators=sin --option 'complexity_of_operators={"sin": 3}' \
  --option 'constraints={"sin": 4, "/": [-1, 2]}' \
  --option 'nested_constraints={"sin": {"sin": 0}}' --option 'complexity_of_variables=[1, 2]' \
  --option warmup_maxsize_by=0.25 --out "$WORK/run"
expect_rc 0 "fit with every new option"
CHECKS=$((CHECKS + 1))
/usr/bin/python3 - "$WORK/run/run.json" <<'PY' || fail "run.json lacks the options"
import json, sys
o = json.load(open(sys.argv[1]))["options"]
assert o["complexity_of_operators"] == {"sin": 3}, o
assert o["constraints"] == {"/": [-1, 2], "sin": 4}, o
assert o["nested_constraints"] == {"sin": {"sin": 0}}, o
assert o["complexity_of_variables"] == [1, 2], o
assert o["warmup_maxsize_by"] == 0.25, o
PY

# a study's identity: a config.json written before these keys existed still
# resumes; one written with them tuned resumes itself; a new value is refused
export SRTUNE_FAKE_SR_SECONDS=0.0001
sed "s|OUTPUT_DIR|$WORK/s|" "$SRC/tests/data/e2e/random.json" > "$WORK/s.json"
run_srtune run "$WORK/s.json"
expect_rc 0 "first run of the old-style study"
/usr/bin/python3 - "$WORK/s/config.json" <<'PY'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
for k in ("warmup_maxsize_by", "complexity_of_constants", "complexity_of_variables",
          "complexity_of_operators", "constraints", "nested_constraints"):
    del c["model"][k]  # as srtune wrote it before issue #14
json.dump(c, open(p, "w"), indent=2)
PY
run_srtune validate "$WORK/s.json"
expect_rc 0 "validate accepts the config.json from before the new keys"
expect_out 'resumes the existing study' "the old study resumes"
sed -i 's|"niterations": 4,|"niterations": 4, "constraints": {"/": [-1, 3]},|' "$WORK/s.json"
run_srtune validate "$WORK/s.json"
expect_nonzero "validate refuses a new constraints value for the old study"
CHECKS=$((CHECKS + 1))
grep -q 'model.constraints' "$WORK/out" "$WORK/err" || fail "the refusal does not name model.constraints"
sed "s|OUTPUT_DIR|$WORK/t|" "$SRC/tests/data/e2e/random.json" > "$WORK/t.json"
sed -i 's|"search_space": {|"search_space": {"warmup_maxsize_by": {"type": "float", "low": 0, "high": 0.5},|;s|"niterations": 4,|"niterations": 4, "nested_constraints": {"sin": {"sin": 0}},|' "$WORK/t.json"
run_srtune run "$WORK/t.json"
expect_rc 0 "a study that tunes warmup_maxsize_by and sets nested_constraints"
run_srtune validate "$WORK/t.json"
expect_rc 0 "it validates again"
expect_out 'resumes the existing study \(same config\)' "it resumes itself"
finish
