#!/usr/bin/env python3
"""Checks `srtune best --format pysr|json|julia` of every COMPLETE trial of a
study against PySR's keyword list, defaults and validation rules as extracted
from PySR v1.5.10 (tests/data/pysr/): every keyword is a PySRRegressor keyword,
every value a literal of the annotated type, every rule holds, every option
whose value in the run (run.json) differs from PySR's default is there with
that value, and nothing srtune-only is.

Usage: pysr_export_check.py SRTUNE STUDY_DIR DATA_DIR MIN_TRIALS
"""
import ast
import csv
import glob
import json
import os
import subprocess
import sys

SRTUNE, DIR, DATA, MIN_TRIALS = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
KW = json.load(open(os.path.join(DATA, "pysr_v1.5.10_kwargs.json")))
RULES = json.load(open(os.path.join(DATA, "pysr_v1.5.10_rules.json")))
SRJL = json.load(open(os.path.join(DATA, "srjl_v1.11.3_options.json")))
SRTUNE_ONLY = {"log_interval"}
# run.json values with the effect of PySR's None default (issue #14 options)
NONE_EQUIV = {"warmup_maxsize_by": 0, "complexity_of_constants": 1, "complexity_of_variables": 1}
# structured options: Python literals in the export, Julia pairs in --format julia
STRUCTURED = {"complexity_of_operators", "constraints", "nested_constraints"}
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL:", msg)


def srtune(*args):
    p = subprocess.run([SRTUNE, *args], capture_output=True, text=True)
    if p.returncode != 0:
        fail("srtune %s: exit %d: %s" % (" ".join(args), p.returncode, p.stderr.strip()))
    return p.stdout


def type_ok(ann, v):
    """Whether literal v fits a PySR annotation (the types the export uses)."""
    if v is None:
        return "None" in ann
    if isinstance(v, bool):
        return "bool" in ann
    if isinstance(v, int):
        return "int" in ann or "float" in ann
    if isinstance(v, float):
        return "float" in ann
    if isinstance(v, list):
        if all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v):
            return "list[int | float]" in ann
        return ann.startswith("list[str]") and all(isinstance(x, str) for x in v)
    if isinstance(v, dict):
        if not ann.startswith("dict[str, "):
            return False
        inner = ann[len("dict[str, "):]
        for x in v.values():
            if isinstance(x, dict):
                ok = inner.startswith("dict[str, int]") and all(isinstance(y, int) for y in x.values())
            elif isinstance(x, tuple):
                ok = "tuple[int, int]" in inner and len(x) == 2 and all(isinstance(y, int) for y in x)
            else:
                ok = isinstance(x, (int, float)) and not isinstance(x, bool)
            if not ok:
                return False
        return True
    if isinstance(v, str):
        return "str" in ann or "Literal" in ann
    return False


def parse_call(text, func):
    tree = ast.parse(text)
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and
             ast.unparse(n.func) == func]
    if len(calls) != 1:
        raise ValueError("expected one %s(...) call" % func)
    call = calls[0]
    if call.args:
        raise ValueError("positional arguments")
    out = {}
    for k in call.keywords:
        if k.arg in out:
            raise ValueError("keyword %s twice" % k.arg)
        out[k.arg] = ast.literal_eval(k.value)
    return out


def check_trial(number):
    text = srtune("best", DIR, "--trial", str(number), "--format", "pysr")
    try:
        kwargs = parse_call(text, "PySRRegressor")
    except (SyntaxError, ValueError) as e:
        fail("trial %d: --format pysr is not one PySRRegressor(...) call: %s" % (number, e))
        return
    for k, v in kwargs.items():
        if k not in KW["keywords"]:
            fail("trial %d: %s is not a PySRRegressor keyword" % (number, k))
        elif not type_ok(KW["keywords"][k]["annotation"], v):
            fail("trial %d: %s=%r does not fit %s" % (number, k, v, KW["keywords"][k]["annotation"]))
    # PySR's rules on the keywords with PySR's defaults for the rest
    env = {k: e.get("value") for k, e in KW["keywords"].items()}
    env.update(kwargs)
    env["binary_operators"] = env["binary_operators"] or []
    env["unary_operators"] = env["unary_operators"] or []
    env["VALID_OPTIMIZER_ALGORITHMS"] = KW["valid_optimizer_algorithms"]
    for r in RULES["rules"]:
        if not eval(r["check"], {}, env):
            fail("trial %d: PySR rule %s (%s) fails" % (number, r["id"], r["check"]))
    # completeness: each option as the engine ran it (run.json)
    runs = glob.glob(os.path.join(DIR, "trials", "trial_*", "*", "run.json"))
    ran = None
    for path in sorted(runs):
        j = json.load(open(path))
        if j.get("trial") == number or "/trial_%d/" % number in path:
            ran = j["options"]
            break
    if ran is None:
        fail("trial %d: no run.json" % number)
        return
    for name, value in ran.items():
        if name in SRTUNE_ONLY:
            if name in kwargs:
                fail("trial %d: srtune-only %s exported" % (number, name))
            if value != 1 and ("# %s=%d omitted" % (name, value)) not in text:
                fail("trial %d: no comment for the omitted %s=%r" % (number, name, value))
            continue
        if name not in KW["keywords"]:
            fail("trial %d: run.json option %s is not a PySR keyword" % (number, name))
            continue
        default = KW["keywords"][name].get("value")
        if name == "maxdepth":
            # PySR's None is maxdepth = maxsize, and a depth never exceeds the size:
            # compare the depth limits that take effect (run.json has the engine's)
            def eff(d):
                return ran["maxsize"] if d in (None, 0) else min(d, ran["maxsize"])
            if eff(value) != eff(kwargs.get("maxdepth")):
                fail("trial %d: maxdepth exported %r, ran %r (maxsize %d)"
                     % (number, kwargs.get("maxdepth"), value, ran["maxsize"]))
            continue
        if default is None and name in NONE_EQUIV and value == NONE_EQUIV[name]:
            if name in kwargs and kwargs[name] == value:
                continue  # exported anyway: tuned
            value = None
        if name in kwargs and isinstance(kwargs[name], dict):
            # the Python literal (tuples for pairs) against run.json's JSON (lists)
            kwargs_json = json.loads(json.dumps(kwargs[name]))
            if kwargs_json != value:
                fail("trial %d: %s exported as %r, ran as %r" % (number, name, kwargs[name], value))
            continue
        if value is None and default is None:
            if name in kwargs:
                fail("trial %d: %s=None exported" % (number, name))
            continue
        if name in ("binary_operators", "unary_operators"):
            default = default or ([] if name == "unary_operators" else ["+", "*", "-", "/"])
            if sorted(kwargs.get(name, default)) != sorted(value):
                fail("trial %d: %s %r, ran %r" % (number, name, kwargs.get(name), value))
            continue
        if value != default and name not in kwargs:
            fail("trial %d: %s=%r differs from PySR's default %r but is not exported"
                 % (number, name, value, default))
        if name in kwargs and kwargs[name] != value:
            fail("trial %d: %s exported as %r, ran as %r" % (number, name, kwargs[name], value))
    # --format json carries the same keywords
    j = json.loads(srtune("best", DIR, "--trial", str(number), "--format", "json"))
    if j.get("pysr_kwargs") != json.loads(json.dumps(kwargs)):
        fail("trial %d: json pysr_kwargs %r != pysr %r" % (number, j.get("pysr_kwargs"), kwargs))
    # --format julia: SR.jl Options keywords with the same values
    jl = srtune("best", DIR, "--trial", str(number), "--format", "julia")
    body = jl.split("SymbolicRegression.Options(;", 1)[-1]
    seen = {}
    for line in body.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or line == ")" or line == "),":
            continue
        key, _, val = line.rstrip(",").partition("=")
        seen[key] = val
    for key in seen:
        if key in ("add_node", "insert_node", "delete_node", "do_nothing", "mutate_constant",
                   "mutate_operator", "swap_operands", "rotate_tree", "randomize", "simplify",
                   "optimize"):
            if key not in SRJL["mutation_weights"]:
                fail("trial %d: julia MutationWeights has no field %s" % (number, key))
        elif key not in SRJL["options"]:
            fail("trial %d: julia %s is not a SymbolicRegression.Options keyword" % (number, key))
    for ops in ("binary_operators", "unary_operators"):
        want = "[" + ", ".join(ran[ops]) + "]"
        if seen.get(ops) != want:
            fail("trial %d: julia %s=%s, ran %s" % (number, ops, seen.get(ops), want))
    if ran["log_interval"] != 1 and "# log_interval=%d omitted" % ran["log_interval"] not in jl:
        fail("trial %d: julia lacks the log_interval comment" % number)
    jmap = KW["julia_names"]
    for k, v in kwargs.items():
        jk = {"populations": "populations", "population_size": "population_size"}.get(
            k, jmap.get(k, k if k in SRJL["options"] else None))
        if k.startswith("weight_"):
            jk = k[len("weight_"):]
        if k in ("binary_operators", "unary_operators", "niterations"):
            continue
        if jk is None or jk not in seen:
            fail("trial %d: julia lacks %s (PySR %s)" % (number, jk, k))
            continue
        if k in STRUCTURED or isinstance(v, list):
            # Julia pairs: every operator of the PySR dict appears as (op) => ...
            for op in (v if isinstance(v, dict) else []):
                if "(%s) =>" % op not in seen[jk]:
                    fail("trial %d: julia %s=%s lacks %s" % (number, jk, seen[jk], op))
            continue
        jv = seen[jk].replace("true", "True").replace("false", "False")
        if ast.literal_eval(jv) != v:
            fail("trial %d: julia %s=%s, pysr %r" % (number, jk, seen[jk], v))


def main():
    out = os.path.join(DIR, "check-trials.csv")
    srtune("export", DIR, "--out", out)
    numbers = [int(r["number"]) for r in csv.DictReader(open(out)) if r["state"] == "COMPLETE"]
    if len(numbers) < MIN_TRIALS:
        fail("only %d COMPLETE trials, want %d" % (len(numbers), MIN_TRIALS))
    for n in numbers:
        check_trial(n)
    print("%d trials checked, %d failures" % (len(numbers), len(failures)))
    sys.exit(1 if failures else 0)


main()
