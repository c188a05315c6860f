#!/usr/bin/env python3
"""Sympy round trip of the engine's operators (unit.test_sr_ops).

    python3 tests/unit/sympy_ops_check.py CASES.tsv

Each line of CASES.tsv is `SYMPY_EXPR<TAB>x0<TAB>x1<TAB>VALUE`: an expression
printed by srt_expr_to_string in sympy style (what `srtune fit --sympy`
prints), a point and the engine's Float64 value there. Each expression is
parsed with plain sympify (no locals: the forms must be sympy's own names),
evaluated at the exact binary values of the point with 40 digits, and compared
with the engine's value (relative 1e-9, absolute 1e-12).

A case may differ where the engine's rounding crosses a discontinuity that
the exact evaluation does not (floor(3 * x) when 3 * x rounds to an
integer): up to 0.5% of the cases may differ, never a whole operator's.
Exit 0 when the forms agree, 1 when not, 2 on a parse error.
"""
import sys
from fractions import Fraction

import sympy

X0, X1 = sympy.Symbol("x0"), sympy.Symbol("x1")


def main(path):
    cases = bad = 0
    cache = {}
    failures = []
    with open(path) as f:
        for line in f:
            text, a, b, want = line.rstrip("\n").split("\t")
            if text not in cache:
                try:
                    cache[text] = sympy.sympify(text)
                except Exception as exc:  # noqa: BLE001 - report any parse error
                    print(f"parse error: {text}: {exc}")
                    return 2
            expr = cache[text]
            pt = {X0: sympy.Rational(Fraction(float(a))), X1: sympy.Rational(Fraction(float(b)))}
            got = expr.subs(pt).evalf(40)
            want = float(want)
            cases += 1
            try:
                g = complex(got)
            except TypeError:
                g = complex("nan")
            ok = g.imag == 0 and abs(g.real - want) <= 1e-12 + 1e-9 * abs(want)
            if not ok:
                bad += 1
                failures.append(f"{text} at x0={a} x1={b}: sympy {got}, engine {want!r}")
    for msg in failures[:20]:
        print("differs:", msg)
    print(f"{cases} cases, {len(cache)} expressions, {bad} differ")
    if cases == 0 or bad > 0.005 * cases:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
