#!/usr/bin/env bash
# study.baselines: every refused entry exits 3 with "file: key: message" and
# writes nothing; a good list validates and is printed in the plan.
set -u
. "$(dirname "$0")/lib.sh"

SPACE='{"parsimony": {"type": "float", "low": 0.0, "high": 0.1},
  "population_size": {"type": "int", "low": 12, "high": 40}}'
cfg() { # cfg NAME BASELINES [N_TRIALS] [SPACE]
  local space=${4:-$SPACE}
  cat > "$WORK/$1.json" <<JSON
{
  "study": {"name": "b", "output_dir": "$WORK/out-$1", "n_trials": ${3:-6},
            "baselines": $2},
  "dataset": {"name": "feynman", "equations": ["I.12.1"], "num_samples": 10},
  "model": {"niterations": 1, "tournament_selection_n": 8},
  "search_space": $space
}
JSON
}
refused() { # refused NAME PATTERN WHAT
  run_srtune validate "$WORK/$1.json"
  expect_rc 3 "$3"
  expect_err "$WORK/$1.json: study.baselines$2" "$3: message"
  CHECKS=$((CHECKS + 1))
  [ ! -e "$WORK/out-$1" ] || fail "$3: an output directory was created"
}

cfg good '["pysr-1", {"name": "mine", "parsimony": 0.001}]'
run_srtune validate "$WORK/good.json"
expect_rc 0 "good baselines"
expect_out 'baselines: +pysr-1 \{"parsimony":0,"population_size":27\}; mine \{"parsimony":0.001,"population_size":27\}' \
  "the plan lists the baselines with their values"

cfg notlist '"pysr-1"'
refused notlist ': must be a list of presets and option maps, got a string' "not a list"
cfg number '[3]'
refused number '\[0\]: must be a preset \("pysr-1", "pysr-0"\) or an option map, got 3' "a number entry"
cfg preset '["pysr-2"]'
refused preset '\[0\]: must be a preset' "an unknown preset"
cfg unknown '[{"parsimony": 0.01, "frobnicate": 1}]'
refused unknown '\[0\].frobnicate: unknown option' "an unknown option in a map"
cfg fixed '[{"maxsize": 20}]'
refused fixed '\[0\].maxsize: not a tuned option' "a fixed option in a map"
cfg badvalue '[{"parsimony": "a lot"}]'
refused badvalue '\[0\].parsimony: ' "a value of the wrong type"
cfg badname '[{"name": "my baseline!", "parsimony": 0.01}]'
refused badname "\\[0\\].name: must be 1-60 letters, digits, '.', '_' or '-'" "a name with odd characters"
cfg dup '["pysr-1", {"name": "pysr-1", "parsimony": 0.01}]'
refused dup '\[1\]: the name pysr-1 is taken by study.baselines\[0\]' "a duplicate name"
cfg outside '[{"population_size": 100}]'
refused outside '\[0\]: baseline-0: population_size = 100 is outside search_space.population_size \(an integer range \[12, 40\]\)' \
  "a value outside the space"
cfg many '["pysr-1", "pysr-0"]' 1
refused many ': 2 baselines but study.n_trials is 1' "more baselines than trials"
cfg nospace '["pysr-1"]' 6 '{}'
refused nospace ': needs a search space' "no search space"
finish
