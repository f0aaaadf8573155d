"""Model selection for the digits CNN of 06-intro-to-deep-learning/ex11, on training data only.

The test quarter of the digits decides whether the CNN meets its target, so it must
not also choose the model: a choice made by looking at test accuracy (a seed, an
epoch count, an augmentation) overstates how well the model does on new digits.
This script therefore splits only the *training* three quarters into stratified
folds, trains every candidate on four fifths and scores it on the held-out fifth,
and reports the mean validation accuracy over the folds. It then names its choice by
the one-standard-error rule (Breiman et al. 1984; Hastie, Tibshirani, Friedman, The
Elements of Statistical Learning, 2nd ed., sec. 7.10): the cheapest candidate whose
mean is within one standard error of the best one. ex11 uses that choice, trained once
on the whole training part with its fixed seed, and the benchmark (bench_06_conv.py)
reports its test accuracy.

Candidates vary the number of epochs, random shifts of the images (data
augmentation: ex11.shift_images) and averaging several networks (an ensemble).
Every run uses one BLAS thread; `--jobs` runs are trained side by side.

Run: python benchmarks/select_06_cnn.py [--folds 5] [--jobs 2] [--only REGEX]
"""

import argparse
import multiprocessing
import re
import sys
import time

import numpy as np
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

import utils
from utils.timing import format_table

# name: (epochs, max_shift, ensemble members)
CANDIDATES = {
    "20 epochs (before)": (20, 0, 1),
    "30 epochs": (30, 0, 1),
    "40 epochs": (40, 0, 1),
    "60 epochs": (60, 0, 1),
    "20 epochs, shift 1": (20, 1, 1),
    "40 epochs, shift 1": (40, 1, 1),
    "60 epochs, shift 1": (60, 1, 1),
    "3 nets x 20 epochs": (20, 0, 3),
    "3 nets x 40 epochs, shift 1": (40, 1, 3),
}


def run_fold(task):
    """Train one candidate on one fold; returns (name, fold, validation accuracy, seconds)."""
    name, fold, train, valid = task
    epochs, max_shift, members = CANDIDATES[name]
    ex11 = utils.load_exercise("06-intro-to-deep-learning/ex11_cnn.py", practice=False)
    X, _, y, _ = ex11.load_digit_images()  # the training part only; the test part is never loaded here
    with threadpool_limits(1):
        start = time.perf_counter()
        probabilities = 0.0
        for member in range(members):
            rng = np.random.default_rng([fold, member])
            params = ex11.init_cnn(rng)
            ex11.train_cnn(params, X[train], y[train], None, None, epochs, rng, max_shift=max_shift)
            scores = ex11.cnn_forward(params, X[valid])[0]
            scores = np.exp(scores - scores.max(axis=1, keepdims=True))
            probabilities = probabilities + scores / scores.sum(axis=1, keepdims=True)
        seconds = time.perf_counter() - start
    return name, fold, np.mean(probabilities.argmax(axis=1) == y[valid]), seconds


def print_choice(summary):
    """The one-standard-error rule: the cheapest candidate whose mean validation accuracy is
    within one standard error of the best mean. Differences smaller than that are noise of
    the folds, and a cheaper model that is as good as the best within the noise is preferred."""
    best = max(summary, key=lambda name: summary[name][0])
    bar = summary[best][0] - summary[best][1]
    chosen = min((name for name in summary if summary[name][0] >= bar), key=lambda name: summary[name][2])
    print(f"\nBest mean: {best} ({summary[best][0]:.2%} +- {summary[best][1]:.2%}); the cheapest within one standard "
          f"error of it (>= {bar:.2%}): {chosen} ({summary[chosen][0]:.2%}, {summary[chosen][2]:.1f} s per training).")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5, help="stratified folds of the training part")
    parser.add_argument("--jobs", type=int, default=2, help="trainings run side by side (one BLAS thread each)")
    parser.add_argument("--only", default="", help="only the candidates whose name matches this regular expression")
    args = parser.parse_args(argv)

    ex11 = utils.load_exercise("06-intro-to-deep-learning/ex11_cnn.py", practice=False)
    X, _, y, _ = ex11.load_digit_images()
    folds = list(StratifiedKFold(args.folds, shuffle=True, random_state=0).split(X, y))
    names = [name for name in CANDIDATES if re.search(args.only, name)]
    tasks = [(name, k, train, valid) for name in names for k, (train, valid) in enumerate(folds)]
    print(f"{len(X)} training digits in {args.folds} stratified folds; {len(names)} candidates, {len(tasks)} trainings on {args.jobs} processes")
    with multiprocessing.Pool(args.jobs) as pool:
        results = pool.map(run_fold, tasks, chunksize=1)

    rows, summary = [], {}
    for name in names:
        accuracy = np.array([r[2] for r in results if r[0] == name])  # (folds,)
        seconds = np.median([r[3] for r in results if r[0] == name])
        standard_error = accuracy.std(ddof=1) / np.sqrt(len(accuracy))  # of the mean over the folds
        summary[name] = (accuracy.mean(), standard_error, seconds)
        wrong = sum(round((1 - a) * len(valid)) for a, (_, valid) in zip(accuracy, folds))
        rows.append([name, f"{accuracy.mean():.2%}", f"{standard_error:.2%}", f"{accuracy.min():.2%}", f"{wrong} / {len(X)}", f"{seconds:.1f}"])
    print(format_table(["candidate", "mean validation acc.", "standard error", "worst fold", "wrong", "s per training (1 thread)"], rows))
    print_choice(summary)
    print(f"\nCommand: python benchmarks/select_06_cnn.py {' '.join(sys.argv[1:]) if argv is None else ' '.join(argv)}".rstrip())


if __name__ == "__main__":
    main()
