#!/usr/bin/env bash
# Issue 14's operators end to end (docs/operators.md): `srtune fit` with many of
# them finishes and is deterministic in both precisions (same seed, same
# front); its --sympy equations parse with sympy and agree with the PySR-style
# ones; `srtune options` lists every operator; an unknown operator name is
# refused naming the key and listing the valid names; PySR's aliases (">")
# are read; the PySR and Julia exports spell them as PySR and SR.jl read them.
set -u
. "$(dirname "$0")/lib.sh"
PYTHON=${SRTUNE_PYTHON:-/usr/bin/python3}
export SRTUNE_LOG_LEVEL=warn

"$PYTHON" - "$WORK/d.csv" <<'PY'
import math, random, sys
random.seed(5)
with open(sys.argv[1], "w") as f:
    f.write("x0,x1,y\n")
    for _ in range(200):
        a, b = random.uniform(-2, 2), random.uniform(-2, 2)
        f.write("%r,%r,%r\n" % (a, b, max(a, b) + math.erf(a) * (a > 0)))
PY
ops=(--option "binary_operators=+,-,*,/,max,min,mod,greater,cond,logical_or"
     --option "unary_operators=relu,sign,gamma,sinc,round,cbrt,log1p,erf,atanh,inv,floor"
     --option niterations=4 --option populations=4 --seed 7)
for prec in 32 64; do
  run_srtune fit "$WORK/d.csv" "${ops[@]}" --option precision=$prec
  expect_rc 0 "fit with the new operators, precision $prec"
  expect_out "^ +complexity +loss +score +equation" "the front is printed, precision $prec"
  cp "$WORK/out" "$WORK/first"
  run_srtune fit "$WORK/d.csv" "${ops[@]}" --option precision=$prec
  CHECKS=$((CHECKS + 1))
  diff <(grep -v 'evaluations' "$WORK/first") <(grep -v 'evaluations' "$WORK/out") >/dev/null ||
    fail "two fits with the same seed differ (precision $prec)"
done

# --sympy: every equation parses with plain sympify; the engine's values of
# the PySR-style front (precision 64) are those of the sympy forms
run_srtune fit "$WORK/d.csv" "${ops[@]}" --option precision=64 --out "$WORK/run"
expect_rc 0 "fit --out"
run_srtune fit "$WORK/d.csv" "${ops[@]}" --option precision=64 --sympy
expect_rc 0 "fit --sympy"
CHECKS=$((CHECKS + 1))
"$PYTHON" - "$WORK/out" "$WORK/run/hall_of_fame.csv" "$WORK/d.csv" <<'PY' || fail "the --sympy front does not parse or differs"
import csv, re, sys
from fractions import Fraction
import sympy
rows = []
for l in open(sys.argv[1]):
    l = l.replace(">>>>", "    ", 1)
    if re.match(r"^ +\d+ ", l):
        rows.append(l.split(None, 3))
hof = list(csv.DictReader(open(sys.argv[2])))
data = [[float(v) for v in r] for r in list(csv.reader(open(sys.argv[3])))[1:]]
assert len(rows) == len(hof) > 3, (len(rows), len(hof))
x0, x1 = sympy.symbols("x0 x1")
for (cx, loss, score, eq), h in zip(rows, hof):
    assert cx == h["complexity"], (cx, h["complexity"])
    e = sympy.sympify(eq.strip())  # raises on a form sympy cannot read
    # the engine's loss (precision 64) is the MSE of the sympy form
    se = 0
    for a, b, y in data:
        v = complex(e.subs({x0: sympy.Rational(Fraction(a)), x1: sympy.Rational(Fraction(b))}).evalf(30))
        assert v.imag == 0, (eq, a, b, v)
        se += (v.real - y) ** 2
    mse = se / len(data)
    assert abs(mse - float(h["loss"])) <= 1e-6 * max(mse, 1e-12), (eq, mse, h["loss"])
print(len(rows), "sympy equations give the engine's losses")
PY

run_srtune options
expect_rc 0 "srtune options"
expect_out "^binary operators: \+ - \* / \^ max min mod greater less greater_equal less_equal cond logical_or logical_and$" "the binary operators are listed"
expect_out "^unary operators: .*cbrt sign inv log10 log2 log1p asinh acosh atanh erf erfc gamma relu sinc round floor ceil$" "the unary operators are listed"

run_srtune fit "$WORK/d.csv" --option "unary_operators=frobnicate"
expect_nonzero "an unknown unary operator"
expect_err "unary_operators: unknown operator 'frobnicate'; unary operators are: neg square .* ceil" "the valid names are listed"
run_srtune fit "$WORK/d.csv" --option "binary_operators=+,relu"
expect_nonzero "a unary operator among the binary ones"
expect_err "'relu' is a unary operator; put it in unary_operators" "the arity is explained"

# a study with PySR's aliases, and its exports
cat >"$WORK/study.json" <<JSON
{
  "study": {"name": "ops", "output_dir": "$WORK/study", "seed": 3, "n_trials": 1,
            "sampler": {"name": "random"}, "pruner": {"name": "none"}},
  "dataset": {"name": "feynman", "equations": ["I.12.1"], "num_samples": 40, "noise": 0, "n_runs": 1},
  "model": {"niterations": 1, "populations": 2, "ncycles_per_iteration": 5,
            "binary_operators": ["+", "*", ">", "<=", "max", "mod"],
            "unary_operators": ["relu", "gamma", "ceiling"]},
  "search_space": {"parsimony": {"type": "float", "low": 1e-5, "high": 0.1, "log": true}}
}
JSON
run_srtune validate "$WORK/study.json"
expect_rc 0 "the aliases validate"
sed 's/"relu"/"rleu"/' "$WORK/study.json" >"$WORK/bad.json"
run_srtune validate "$WORK/bad.json"
expect_rc 3 "a misspelt operator in a config"
expect_err "bad.json: model.unary_operators\[0\]: unknown operator 'rleu' \(did you mean 'relu'\?\)" "the key and a hint"
run_srtune run "$WORK/study.json"
expect_rc 0 "the study with the new operators"
run_srtune best "$WORK/study" --format pysr
expect_rc 0 "best --format pysr"
expect_out '^    binary_operators=\["\+", "\*", "greater", "less_equal", "max", "mod"\],$' "PySR spelling"
expect_out '^    unary_operators=\["relu", "gamma", "ceil"\],$' "PySR spelling of the unary ones"
run_srtune best "$WORK/study" --format julia
expect_rc 0 "best --format julia"
expect_out '^    binary_operators=\[\+, \*, >, <=, max, mod\],$' "SR.jl's binopmap spelling"
expect_out '^    unary_operators=\[relu, gamma, ceil\],$' "Julia names"
finish
