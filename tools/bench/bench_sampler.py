#!/usr/bin/env python3
"""Reference side of bench_sampler: Optuna 3.1's TPE time per study.ask on a
10-D float space with N COMPLETE trials of history (same shape as the C side).

    bench_sampler.py N REPS   ->  prints "ms_per_ask <float>"
"""
import sys
import time
import warnings

warnings.simplefilter("ignore")
import numpy as np  # noqa: E402
import optuna  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.WARNING)


def main():
    n, reps = int(sys.argv[1]), int(sys.argv[2])
    d = 10
    dists = {f"x{i}": optuna.distributions.FloatDistribution(-5.0, 5.0) for i in range(d)}
    rng = np.random.RandomState(0)
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=1))
    trials = []
    for _ in range(n):
        params = {k: float(rng.uniform(-5, 5)) for k in dists}
        trials.append(optuna.trial.create_trial(params=params, distributions=dists,
                                                value=sum(v * v for v in params.values())))
    study.add_trials(trials)
    t0 = time.perf_counter()
    for _ in range(reps):
        t = study.ask(fixed_distributions=dists)
        # keep the history at n: a FAIL trial is ignored by TPE
        study.tell(t, state=optuna.trial.TrialState.FAIL)
    t1 = time.perf_counter()
    print(f"ms_per_ask {(t1 - t0) * 1000.0 / reps:.4f}")


if __name__ == "__main__":
    main()
