#!/usr/bin/env python3
"""Symbolic recovery check for srtune's Feynman benchmark (tools/bench/feynman).

    python3 tools/sympy_check.py TRUE_FORMULA FOUND_EQUATION [--vars a,b,c] [--tol 1e-6]

TRUE_FORMULA is a catalogue formula in Python syntax (FeynmanEquations.csv:
`exp(-theta**2/2)/sqrt(2*pi)`); FOUND_EQUATION is an equation printed by
`srtune fit --sympy` with the same variable names. The found formula counts as
recovered when, after rounding its constants, the difference with the true
formula simplifies to 0 or the ratio simplifies to 1. Rounding: numeric parts
(pi, sqrt(2), ...) become 30-digit floats on both sides, both are simplified,
and in the difference (or in the ratio minus 1, which covers formulas of large
scale) every float below --tol in magnitude becomes 0 and every float within
--tol of a non-zero integer becomes that integer.

Exit status 0 when recovered, 1 when not, 2 on a parse error; prints
"recovered" or "not recovered" with the simplified difference.
Needs python3-sympy (Debian package).
"""
import argparse
import sys

import sympy

FUNCS = {
    "exp": sympy.exp, "sqrt": sympy.sqrt, "log": sympy.log, "ln": sympy.log,
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "tanh": sympy.tanh,
    "sinh": sympy.sinh, "cosh": sympy.cosh, "asin": sympy.asin, "acos": sympy.acos,
    "atan": sympy.atan, "arcsin": sympy.asin, "arccos": sympy.acos, "arctan": sympy.atan,
    "Abs": sympy.Abs, "abs": sympy.Abs, "square": lambda x: x**2, "cube": lambda x: x**3,
    "neg": lambda x: -x,
}


def parse(text, names):
    local = dict(FUNCS)
    for n in names:
        local[n] = sympy.Symbol(n, positive=True)
    if "pi" not in names:
        local["pi"] = sympy.pi
    text = text.replace("~", "-")
    return sympy.sympify(text, locals=local)


def drop_small(expr, tol):
    """Sets float atoms below tol to zero and rounds floats near integers."""
    def fix(f):
        v = float(f)
        if abs(v) < tol:
            return sympy.Integer(0)
        r = round(v)
        if r != 0 and abs(v - r) < tol * max(1.0, abs(v)):
            return sympy.Integer(r)
        return f
    return expr.xreplace({f: fix(f) for f in expr.atoms(sympy.Float)})


def is_zero(expr, tol):
    e = drop_small(sympy.expand(expr), tol)
    e = sympy.simplify(e)
    e = drop_small(e, tol)
    return e == 0, e


def recovered(true_text, found_text, names, tol):
    t = parse(true_text, names)
    f = parse(found_text, names)
    t = t.evalf(30)
    f = f.evalf(30)
    diff = sympy.simplify(f - t).evalf(30)
    ok, rest = is_zero(diff, tol)
    if ok:
        return True, rest
    if diff.has(sympy.Piecewise, sympy.Max, sympy.Min):
        # the forms of max, min, relu, cond and the comparisons (docs/operators.md):
        # one Piecewise whose branches simplify
        folded = sympy.piecewise_fold(diff.rewrite(sympy.Piecewise))
        ok, rest = is_zero(folded, tol)
        if ok:
            return True, rest
    try:
        ratio = sympy.simplify(f / t).evalf(30)
        ok2, rest2 = is_zero(ratio - 1, tol)
        if ok2:
            return True, rest2
    except (TypeError, ZeroDivisionError):
        pass
    return False, rest


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("true_formula")
    ap.add_argument("found")
    ap.add_argument("--vars", default="", help="comma-separated variable names")
    ap.add_argument("--tol", type=float, default=1e-6)
    args = ap.parse_args()
    names = [v for v in args.vars.split(",") if v]
    try:
        ok, rest = recovered(args.true_formula, args.found, names, args.tol)
    except (sympy.SympifyError, SyntaxError, TypeError) as e:
        print(f"parse error: {e}")
        return 2
    print("recovered" if ok else f"not recovered (difference: {rest})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
