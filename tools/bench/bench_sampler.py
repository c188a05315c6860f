#!/usr/bin/env python3
"""Reference side of bench_sampler: Optuna 3.1's TPE ask + tell through a
JournalStorage, on a copy of the journal bench_sampler wrote (N COMPLETE trials
of a 10-D float space), the same repetitions and rounds as the C side; prints
the best round's mean time per ask + tell.

    bench_sampler.py JOURNAL STUDY REPS ROUNDS  ->  prints "ms_per_ask_tell <float>"
"""
import os
import shutil
import sys
import tempfile
import time
import warnings

warnings.simplefilter("ignore")
import optuna  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.WARNING)


def one_round(path, name, reps):
    dists = {f"x{i}": optuna.distributions.FloatDistribution(-5.0, 5.0) for i in range(10)}
    storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(path))
    study = optuna.load_study(study_name=name, storage=storage,
                              sampler=optuna.samplers.TPESampler(seed=7))
    t0 = time.perf_counter()  # the replay at load is bench_journal's
    for _ in range(reps):
        t = study.ask(fixed_distributions=dists)
        study.tell(t, sum(v * v for v in t.params.values()))
    return (time.perf_counter() - t0) * 1000.0 / reps


def main():
    path, name, reps, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    best = float("inf")
    with tempfile.TemporaryDirectory() as d:
        for _ in range(rounds):
            work = os.path.join(d, "journal.log")
            shutil.copyfile(path, work)
            best = min(best, one_round(work, name, reps))
            os.unlink(work)
    print(f"ms_per_ask_tell {best:.4f}")


if __name__ == "__main__":
    main()
