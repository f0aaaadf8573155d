"""
Exercise 07: learning curves and validation curves

Learning goals
--------------
- Build scikit-learn's learning_curve (scores against the number of training samples) and validation_curve
  (scores against one hyperparameter): a fold loop like ex01's grid search, with another thing varied.
- Read them: a high-bias model has training and validation errors that meet early, at a high level (more data
  will not help; a richer model will); a high-variance model has a wide gap that closes slowly (more data or
  more regularisation will help).
- Tell from a validation curve which side of the sweet spot a setting is on.

The math
--------
With K = n_folds folds (train_k, test_k) and a model class with a setting theta:
    learning curve:   for m in train_sizes, fit on the first m indices of train_k,
                      score on those m samples (training score) and on test_k;
    validation curve: for theta in param_range, fit on train_k with theta, score on train_k and on test_k.
Both return arrays of shape (n_points, n_folds). Fractions in train_sizes refer to the size of the first fold's
training part, n_max: m = floor(fraction * n_max), clipped to [1, n_max]; repeated sizes are dropped.

Reading them (expected squared error, ex03): for n training samples,
    validation error ~ noise + bias^2 + variance(n),      training error ~ noise + bias^2 - (optimism),
and both variance and optimism shrink as n grows. A flat pair of curves far above the noise means bias; a gap
means variance. The models (scikit-learn's), on y = sin(2 pi x) + N(0, 0.3^2): a straight line, high
bias; and 1-nearest-neighbour regression (module 02's k-NN), which memorises every noisy point: no training
error, high variance (its validation error tends to about 2 sigma^2, twice the noise). k-NN with k from 1
to 60 walks from one side of the sweet spot to the other.

Algorithm
---------
1. Make the folds (K contiguous blocks, or the given pairs); turn train_sizes into absolute sizes.
2. For each fold and each size (or parameter value): clone the estimator, fit, record the training and the
   held-out score.
3. Plot mean +- standard deviation over the folds.

References: A. Ng, "Advice for applying machine learning", CS229 lecture notes, Stanford; T. Hastie,
R. Tibshirani, J. Friedman, The Elements of Statistical Learning, 2nd ed., 2009, ch. 7.2-7.3;
scikit-learn user guide, "Validation curves: plotting scores to evaluate models".
Difficulty: 1 of 3, about 25 minutes.
Run: python 05-model-optimization/ex07_learning_curves.py
"""

# %%
import numpy as np

from utils import plotting
from utils.cv_support import get_scorer  # scorer(fitted_estimator, X, y) -> float, larger is better (module 03)
from utils.validation import check_positive_int, check_X_y

# %% [markdown]
# ## The two curves


# %%
def make_folds(cv, n_samples):
    """cv as a list of (train, test) index pairs: an int K gives K contiguous blocks (module 03's KFold)."""
    if isinstance(cv, (int, np.integer)):
        tests = np.array_split(np.arange(n_samples), check_positive_int(cv, "cv"))  # (n_samples / K,) each
        return [(np.setdiff1d(np.arange(n_samples), test), test) for test in tests]
    return [(np.asarray(train), np.asarray(test)) for train, test in cv]


def clone(estimator, **params):
    """A fresh, unfitted copy with some constructor arguments changed (ex01 writes it in full)."""
    current = estimator.get_params(deep=False)
    if unknown := sorted(set(params) - set(current)):
        raise ValueError(f"{type(estimator).__name__} has no parameters {unknown}; its parameters are {sorted(current)}")
    return type(estimator)(**{**current, **params})


def train_sizes_absolute(train_sizes, n_max):
    """Absolute training-set sizes from fractions of n_max (floats in (0, 1]) or counts (ints in [1, n_max])."""
    sizes = np.asarray(train_sizes)
    if sizes.ndim != 1 or sizes.size == 0:
        raise ValueError(f"train_sizes must be a non-empty 1-D array; got {train_sizes!r}")
    if np.issubdtype(sizes.dtype, np.floating):
        if sizes.min() <= 0.0 or sizes.max() > 1.0:
            raise ValueError(f"fractions in train_sizes must lie in (0, 1]; got {sizes}")
        # BEGIN SOLUTION
        # HINT 1: Fractions of n_max, rounded down, but never below one sample.
        # HINT 2: np.clip((sizes * n_max).astype(int), 1, n_max)
        sizes = np.clip((sizes * n_max).astype(int), 1, n_max)  # floor, then at least one sample
        # END SOLUTION
    elif sizes.min() < 1 or sizes.max() > n_max:
        raise ValueError(f"counts in train_sizes must lie in [1, {n_max}] (the size of a training fold); got {sizes}")
    return np.unique(sizes)  # sorted, repeated sizes dropped


def learning_curve(estimator, X, y, train_sizes=np.linspace(0.1, 1.0, 5), cv=5, scoring=None):
    """Training and held-out scores for growing training sets (scikit-learn's learning_curve, no shuffling):
    (train_sizes_abs (n_ticks,), train_scores (n_ticks, n_folds), test_scores (n_ticks, n_folds))."""
    X, y = check_X_y(X, y)
    folds, scorer = make_folds(cv, len(X)), get_scorer(scoring)
    sizes = train_sizes_absolute(train_sizes, len(folds[0][0]))
    # BEGIN SOLUTION
    # HINT 1: For each fold and each size m, train on the first m training indices; score
    # HINT 1: that subset (training score) and the fold's test part (validation score).
    # HINT 2: train_scores[i, k] = scorer(model, X[train[:m]], y[train[:m]]); test on X[test]
    # HINT 3: for k, (train, test) in enumerate(folds): for i, m in enumerate(sizes):
    # HINT 3:     subset = train[:m]; model = clone(estimator).fit(X[subset], y[subset])
    # HINT 3:     train_scores[i, k] = scorer(model, X[subset], y[subset]); test on X[test]
    train_scores = np.empty((len(sizes), len(folds)))  # (n_ticks, n_folds)
    test_scores = np.empty((len(sizes), len(folds)))
    for k, (train, test) in enumerate(folds):
        for i, m in enumerate(sizes):
            subset = train[:m]  # the first m training indices of this fold
            model = clone(estimator).fit(X[subset], y[subset])
            train_scores[i, k] = scorer(model, X[subset], y[subset])
            test_scores[i, k] = scorer(model, X[test], y[test])
    # END SOLUTION
    return sizes, train_scores, test_scores


def validation_curve(estimator, X, y, param_name, param_range, cv=5, scoring=None):
    """Training and held-out scores, each (n_params, n_folds), for each value of one hyperparameter
    (scikit-learn's validation_curve)."""
    X, y = check_X_y(X, y)
    folds, scorer = make_folds(cv, len(X)), get_scorer(scoring)
    clone(estimator, **{param_name: param_range[0]})  # fails early, with a clear message, on a wrong name
    # BEGIN SOLUTION
    # HINT 1: Like learning_curve, but vary one hyperparameter instead of the training size.
    # HINT 2: model = clone(estimator, **{param_name: value}).fit(X[train], y[train])
    # HINT 3: for i, value in enumerate(param_range): for k, (train, test) in enumerate(folds):
    # HINT 3:     model = clone with param_name=value, fit on train; score train and test into [i, k]
    train_scores = np.empty((len(param_range), len(folds)))  # (n_params, n_folds)
    test_scores = np.empty((len(param_range), len(folds)))
    for i, value in enumerate(param_range):
        for k, (train, test) in enumerate(folds):
            model = clone(estimator, **{param_name: value}).fit(X[train], y[train])
            train_scores[i, k] = scorer(model, X[train], y[train])
            test_scores[i, k] = scorer(model, X[test], y[test])
    # END SOLUTION
    return train_scores, test_scores


# %% [markdown]
# ## Data from a function we know, and the demo


# %%
def sine_data(n_samples, noise=0.3, random_state=None):
    """x ~ Uniform(0, 1) as X of shape (n_samples, 1), y = sin(2 pi x) + N(0, noise^2) (ex03's true function)."""
    n_samples = check_positive_int(n_samples, "n_samples")
    rng = np.random.default_rng(random_state)
    x = rng.uniform(0.0, 1.0, n_samples)  # (n_samples,)
    return x[:, None], np.sin(2.0 * np.pi * x) + noise * rng.standard_normal(n_samples)


def main():
    from sklearn.linear_model import LinearRegression
    from sklearn.neighbors import KNeighborsRegressor  # module 02's k-NN, from the library

    X, y = sine_data(250, random_state=0)
    folds, scoring, k = make_folds(5, len(X)), "neg_mean_squared_error", np.arange(1, 61, 3)  # data in random order
    panels = [("Learning curve: a straight line (high bias)", "training samples",
               *learning_curve(LinearRegression(), X, y, np.linspace(0.05, 1, 12), folds, scoring)),
              ("Learning curve: 1-NN (high variance)", "training samples",
               *learning_curve(KNeighborsRegressor(1), X, y, np.linspace(0.05, 1, 12), folds, scoring)),
              ("Validation curve over k of k-NN", "k neighbours (less variance ->)", k,
               *validation_curve(KNeighborsRegressor(), X, y, "n_neighbors", k, folds, scoring))]
    fig, axes = plotting.new_figure(1, 3, width=4.8, height=4.0)
    print("Mean squared error over 5 folds (the noise variance is 0.09): first and last point of each curve")
    print(f"{'curve':<44} {'x':>4} {'train MSE':>10} {'val MSE':>10}")
    for ax, (title, xlabel, x, train_scores, test_scores) in zip(axes, panels):
        for scores, label, color in [(train_scores, "training error", plotting.COLORS[0]), (test_scores, "validation error", plotting.COLORS[3])]:
            mean, std = -scores.mean(axis=1), scores.std(axis=1)  # (n_points,): scores are negative squared errors
            ax.plot(x, mean, marker="o", markersize=3, color=color, label=label)
            ax.fill_between(x, np.maximum(mean - std, 0.0), mean + std, color=color, alpha=0.2)  # +- one std over folds
        ax.axhline(0.09, color="grey", linestyle=":", label="noise $\\sigma^2$ = 0.09")
        if title.startswith("Validation"):  # the sweet spot: the best mean validation score
            ax.axvline(x[np.argmax(test_scores.mean(axis=1))], color="black", linestyle="--", linewidth=1, label="best")
        ax.set(ylim=(0.0, 0.6), xlabel=xlabel, ylabel="mean squared error", title=title)
        ax.legend(loc="upper right")
        for i in (0, -1):
            print(f"{title:<44} {x[i]:>4} {0.0 - train_scores[i].mean():>10.3f} {0.0 - test_scores[i].mean():>10.3f}")
    plotting.show_or_save(fig, "ex07_learning_curves")


if __name__ == "__main__":
    main()
