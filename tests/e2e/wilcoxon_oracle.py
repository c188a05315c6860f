#!/usr/bin/env python3
"""Checks a lone-process study run with the wilcoxon pruner against an
independent reading of Optuna's WilcoxonPruner (Optuna 3.6's documented
rule, with scipy.stats.wilcoxon), on the journal loaded by Optuna 3.1:

  - every trial's intermediate steps are distinct catalogue indices, COMPLETE
    trials have all N of them, and each value equals the trial's
    equation_values entry for that equation;
  - replaying the trials in number order (a lone process runs them one after
    the other), the rule says "prune" after a trial's last report exactly
    when the trial is PRUNED, and "keep" after every earlier report (a trial
    whose last equation is done is COMPLETE: no decision is taken then);
  - with --shuffled, at least two trials ran their equations in different
    orders; without it, every trial ran them in catalogue order.

    wilcoxon_oracle.py JOURNAL STUDY N_EQUATIONS P_THRESHOLD [--shuffled]
Prints "orders" lines (trial number: steps in report order) and exits 1 on a
mismatch.
"""
import math
import sys
import warnings

warnings.simplefilter("ignore")
import optuna  # noqa: E402
from scipy import stats  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.WARNING)


def decide(values, best, p_threshold):
    """values: [(step, value)] so far; best: the best COMPLETE trial or None."""
    if not values or best is None:
        return False
    if any(not math.isfinite(v) for _, v in values):
        return False
    bsteps = dict(best.intermediate_values)
    if any(not math.isfinite(v) for v in bsteps.values()):
        return False
    diff = [v - bsteps[s] for s, v in values if s in bsteps]
    if not diff:
        return False
    p = stats.wilcoxon(diff, alternative="less", zero_method="zsplit").pvalue  # maximize
    mean = sum(v for _, v in values) / len(values)
    average_is_best = best.value <= mean
    return p < p_threshold and not average_is_best


def main():
    path, name, n_eq, thr = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    shuffled = "--shuffled" in sys.argv
    storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(path))
    study = optuna.load_study(study_name=name, storage=storage)
    trials = sorted(study.get_trials(deepcopy=False), key=lambda t: t.number)
    bad = 0
    orders = set()
    done = []
    n_pruned = 0
    for t in trials:
        steps = list(t.intermediate_values.keys())  # insertion = report order
        print(f"orders {t.number}: {' '.join(map(str, steps))}")
        orders.add(tuple(steps))
        if len(set(steps)) != len(steps) or any(s < 0 or s >= n_eq for s in steps):
            print(f"trial {t.number}: steps are not distinct equation indices: {steps}")
            bad += 1
        eqv = t.user_attrs.get("equation_values", [])
        for s, v in t.intermediate_values.items():
            # equation_values goes through the journal's JSON at 15 digits
            if s < len(eqv) and eqv[s] is not None and abs(eqv[s] - v) > 1e-13 * max(1, abs(v)):
                print(f"trial {t.number} step {s}: value {v} but equation_values has {eqv[s]}")
                bad += 1
        if t.state == optuna.trial.TrialState.COMPLETE and sorted(steps) != list(range(n_eq)):
            print(f"trial {t.number}: COMPLETE without every equation: {steps}")
            bad += 1
        if not shuffled and steps != sorted(steps):
            print(f"trial {t.number}: not in catalogue order: {steps}")
            bad += 1
        complete = [d for d in done if d.state == optuna.trial.TrialState.COMPLETE]
        best = max(complete, key=lambda d: d.value) if complete else None
        items = list(t.intermediate_values.items())
        for k in range(1, len(items) + 1):
            if k == n_eq:
                break  # the trial is complete: srtune tells COMPLETE, no decision
            want = decide(items[:k], best, thr)
            last = k == len(items)
            pruned = t.state == optuna.trial.TrialState.PRUNED
            if want != (last and pruned):
                print(f"trial {t.number} after {k} reports: rule says "
                      f"{'prune' if want else 'keep'}, study {t.state.name}")
                bad += 1
        n_pruned += t.state == optuna.trial.TrialState.PRUNED
        done.append(t)
    if shuffled and len(orders) < 2:
        print("every trial ran the same order: dataset.order shuffle had no effect")
        bad += 1
    print(f"checked {len(trials)} trials, {n_pruned} pruned, {bad} mismatches")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
