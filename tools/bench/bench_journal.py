#!/usr/bin/env python3
"""Reference side of bench_journal: Optuna 3.1 replays a journal REPS times
(a fresh storage each time, in one process, as the C side does) and prints
the best time.

    bench_journal.py JOURNAL STUDY [REPS]  ->  prints "seconds <float> trials <n>"
"""
import sys
import time
import warnings

warnings.simplefilter("ignore")
import optuna  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.WARNING)


def main():
    path, name = sys.argv[1], sys.argv[2]
    reps = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    best, n = float("inf"), 0
    for _ in range(reps):
        t0 = time.perf_counter()
        storage = optuna.storages.JournalStorage(optuna.storages.JournalFileStorage(path))
        study = optuna.load_study(study_name=name, storage=storage)
        n = len(study.get_trials(deepcopy=False))
        best = min(best, time.perf_counter() - t0)
    print(f"seconds {best:.4f} trials {n}")


if __name__ == "__main__":
    main()
