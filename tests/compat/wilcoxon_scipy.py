#!/usr/bin/env python3
"""Reference side of test_study_stats: scipy.stats.wilcoxon on each line of a
file "ALT ZERO_METHOD d1 d2 ..." (ALT: two-sided|greater|less); prints one line
"statistic pvalue" per input line, "error" where scipy raises. Exits 77 when
scipy is missing."""
import sys
import warnings

try:
    from scipy import stats
except ImportError:
    print("scipy not available", file=sys.stderr)
    sys.exit(77)

warnings.simplefilter("ignore")
with open(sys.argv[1]) as f:
    for line in f:
        parts = line.split()
        alt, zm, d = parts[0], parts[1], [float(v) for v in parts[2:]]
        try:
            r = stats.wilcoxon(d, alternative=alt, zero_method=zm)
            print(f"{float(r.statistic)!r} {float(r.pvalue)!r}")
        except ValueError:
            print("error")
