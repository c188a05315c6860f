#!/usr/bin/env python3
"""Independent reference values for the Feynman catalogue formulas.

Parses every formula of data/FeynmanEquations.csv and data/BonusEquations.csv
with SymPy (not with srtune's parser), evaluates it at one fixed point per
equation with 50-digit arithmetic, and writes tests/data/feynman_reference.csv:

    file,id,value,x1,...,x10

`file` is the catalogue's file name, `id` its Filename column, `value` the
formula's value with 17 significant digits, and x1.. the point, one value per
variable in the catalogue's column order (empty past the equation's count).

The point: variable i (0-based) at low + f_i * (high - low), rounded to 6
decimals, with f_i = frac(base + 0.29 * i) and base = 0.37 (different
fractions per variable, so that variables with equal ranges differ, e.g. V1
and V2 in ln(V2/V1)); when the formula is not real, finite and non-zero
there, base = 0.61, 0.23, 0.83 are tried in turn. The reference is evaluated at the exact binary value of
each point coordinate's double (Rational(float)), so the C test compares
evaluations at identical inputs and only its own rounding remains.

Run from the repository root:  python3 tools/feynman_reference.py
Needs Debian's python3-sympy (and mpmath). The output is committed.
"""
import csv
import math
import os
import sys

import sympy

FILES = ["data/FeynmanEquations.csv", "data/BonusEquations.csv"]
OUT = "tests/data/feynman_reference.csv"
BASES = [0.37, 0.61, 0.23, 0.83]
STRIDE = 0.29
MAX_VARS = 10
DIGITS = 50


def variables(row):
    """(name, low, high) of every named v<i>_name column, in column order."""
    out = []
    for i in range(1, MAX_VARS + 1):
        name = (row.get(f"v{i}_name") or "").strip()
        if name:
            out.append((name, float(row[f"v{i}_low"]), float(row[f"v{i}_high"])))
    return out


def evaluate(expr, symbols, point):
    subs = {s: sympy.Rational(v) for s, v in zip(symbols, point)}
    val = expr.evalf(DIGITS, subs=subs)
    if not val.is_real or not val.is_finite:
        return None
    return val


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    os.chdir(root)
    rows_out = []
    for path in FILES:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            for row in csv.DictReader(fh):
                eid = (row.get("Filename") or "").strip()
                if not eid:
                    continue  # blank rows of only commas
                var = variables(row)
                names = [v[0] for v in var]
                symbols = [sympy.Symbol(n) for n in names]
                local = dict(zip(names, symbols))
                local.update({"ln": sympy.log, "arcsin": sympy.asin,
                              "arccos": sympy.acos, "arctan": sympy.atan,
                              "pi": sympy.pi})
                text = row["Formula"].strip().replace("~", "-")
                expr = sympy.sympify(text, locals=local)
                free = {str(s) for s in expr.free_symbols}
                unknown = free - set(names)
                if unknown:
                    sys.exit(f"{path}: {eid}: unknown symbols {sorted(unknown)}")
                for base in BASES:
                    point = [round(lo + ((base + STRIDE * i) % 1.0) * (hi - lo), 6)
                             for i, (_, lo, hi) in enumerate(var)]
                    val = evaluate(expr, symbols, point)
                    if val is not None and val != 0:
                        break
                else:
                    sys.exit(f"{path}: {eid}: not real at any trial point")
                value = float(val)
                if not math.isfinite(value) or value == 0.0:
                    sys.exit(f"{path}: {eid}: value {val} unusable for a relative check")
                xs = [repr(x) for x in point] + [""] * (MAX_VARS - len(point))
                rows_out.append([os.path.basename(path), eid, "%.17g" % value] + xs)
    with open(OUT, "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["file", "id", "value"] + [f"x{i}" for i in range(1, MAX_VARS + 1)])
        w.writerows(rows_out)
    print(f"wrote {len(rows_out)} reference values to {OUT}")


if __name__ == "__main__":
    main()
