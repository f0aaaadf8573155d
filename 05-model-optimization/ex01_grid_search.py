"""
Exercise 01: grid search with cross-validation

Learning goals
--------------
- Tune hyperparameters honestly: score every candidate by K-fold cross-validation on the training data,
  never the test set.
- Build scikit-learn's GridSearchCV from small parts: the grid, `clone` (a fresh, unfitted copy with some
  arguments changed), K-fold cross-validation of every candidate (module 03), the ranking, the final refit
  on all the training data.
- Read the score surface of RBF kernel ridge as a heat map: penalty strength and kernel width trade off
  along a ridge.

The math
--------
A grid is the Cartesian product of a few values per hyperparameter, e.g. alpha in {a_1..a_m} x gamma in
{g_1..g_k}: m * k candidates theta_c. The data (X of shape (n_samples, n_features) = (n, d), y of shape (n,)) are cut into K folds;
fold k gives the index sets (train_k, test_k). For candidate c,
    s_ck = score(model fitted with theta_c on train_k, evaluated on test_k)
    mean_c = (1/K) sum_k s_ck,   std_c = sqrt((1/K) sum_k (s_ck - mean_c)^2)
rank_c = 1 + (number of candidates with a strictly larger mean), so ties share the best rank. The winner
is the first candidate of rank 1; it is refitted on all n samples (best_estimator_). Scores are "larger is
better": R^2, accuracy, or the negative mean squared error.

The model we tune is RBF kernel ridge regression (scikit-learn's KernelRidge; the RBF kernel is module
02's). With the kernel matrix K[i, j] = exp(-gamma ||x_i - x_j||^2), shape (n, n), and centred targets,
    dual_coef = (K + alpha I)^-1 y,   f(x) = sum_i dual_coef_i k(x_i, x).
Small gamma: a wide, smooth kernel; large gamma: a narrow, wiggly one. alpha damps it.

Algorithm
---------
1. Expand the grid into parameter dicts (keys sorted, first key slowest). 2. Folds: K contiguous blocks,
or the given ones. 3. For each candidate and fold: clone with the candidate's parameters, fit on the
training part, score the rest. 4. Average over folds, rank, keep the best; refit a clone on all the data.

References: T. Hastie, R. Tibshirani, J. Friedman, The Elements of Statistical Learning, 2nd ed., 2009,
ch. 7.10 (cross-validation) and 5.8 (kernel methods); scikit-learn user guide, "Tuning the hyper-parameters
of an estimator"; K. P. Murphy, Machine Learning: A Probabilistic Perspective, 2012, ch. 14.4.3.
Difficulty: 2 of 3, about 35 minutes.
Run: python 05-model-optimization/ex01_grid_search.py
"""

# %%
import inspect
import itertools

import numpy as np

from utils import data, plotting
from utils.base import BaseEstimator
from utils.cv_support import SCORERS  # scorer(fitted_estimator, X, y) -> float, larger is better (module 03)
from utils.validation import as_float_array, check_fitted, check_option, check_X_y

# %% [markdown]
# ## Building blocks: clone, the grid, the folds, the scorer


# %%
def constructor_arguments(estimator):
    """Names of the keyword arguments of the estimator's constructor (without self)."""
    skip = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return [p.name for p in inspect.signature(type(estimator).__init__).parameters.values() if p.name != "self" and p.kind not in skip]


def clone(estimator, **params):
    """A fresh, unfitted estimator of the same class, with the same constructor arguments except ``params``
    (the scikit-learn protocol: __init__ only stores each argument under its own name, so reading them back rebuilds it)."""
    names = constructor_arguments(estimator)
    unknown = sorted(set(params) - set(names))
    if unknown:
        raise ValueError(f"{type(estimator).__name__} has no parameters {unknown}; its parameters are {names}")
    if missing := [name for name in names if not hasattr(estimator, name)]:
        raise ValueError(f"{type(estimator).__name__} does not store its constructor arguments {missing} as attributes, "
                         "so it cannot be cloned (the scikit-learn protocol: __init__ only stores its arguments)")
    # BEGIN SOLUTION
    # HINT 1: Read the current constructor settings, override the candidate's, build a fresh object.
    # HINT 2: type(estimator)(**({name: getattr(estimator, name) for name in names} | params))
    arguments = {name: getattr(estimator, name) for name in names}  # the current settings
    arguments.update(params)  # the candidate's values win
    return type(estimator)(**arguments)  # a new object: nothing learned is carried over
    # END SOLUTION


def parameter_grid(param_grid):
    """Every combination of a grid (a dict name -> list of values, or a list of such dicts whose
    candidates are concatenated), as a list of dicts: keys sorted, the first key varying slowest."""
    grids = [param_grid] if isinstance(param_grid, dict) else list(param_grid)
    if not grids or not all(isinstance(g, dict) for g in grids):
        raise TypeError(f"param_grid must be a dict or a non-empty list of dicts; got {param_grid!r}")
    for name, values in [item for grid in grids for item in grid.items()]:
        if isinstance(values, str) or not hasattr(values, "__len__") or len(values) == 0:
            raise ValueError(f"param_grid[{name!r}] must be a non-empty list of values; got {values!r}")
    # BEGIN SOLUTION
    # HINT 1: Each grid (a dict of lists) spans a Cartesian product; a list of grids concatenates them.
    # HINT 2: for one grid: names = sorted(grid); candidates = [dict(zip(names, v)) for v in product(...)]
    # HINT 3: candidates = []
    # HINT 3: for grid in grids: names = sorted(grid)
    # HINT 3:     for values in itertools.product(*(grid[name] for name in names)):
    # HINT 3:         candidates.append(dict(zip(names, values)))
    candidates = []
    for grid in grids:
        names = sorted(grid)
        for values in itertools.product(*(grid[name] for name in names)):  # last name varies fastest
            candidates.append(dict(zip(names, values)))
    return candidates
    # END SOLUTION


def kfold_indices(n_samples, n_splits=5):
    """K contiguous folds, unshuffled (module 03's KFold): a list of (train, test) index arrays; the first n % K get one more."""
    if int(n_splits) != n_splits or not 2 <= n_splits <= n_samples:
        raise ValueError(f"n_splits must be an integer between 2 and the number of samples (n_samples={n_samples}); got {n_splits!r}")
    indices = np.arange(n_samples)
    return [(np.setdiff1d(indices, test), test) for test in np.array_split(indices, int(n_splits))]


def check_cv(cv, n_samples):
    """Turn ``cv`` (an int K, or an iterable of (train, test) index pairs) into a list of folds."""
    if isinstance(cv, (int, np.integer)) and not isinstance(cv, bool):
        if not 2 <= cv <= n_samples:
            raise ValueError(f"cv must be an integer from 2 to n_samples={n_samples} (or a list of folds); got {cv!r}")
        return kfold_indices(n_samples, int(cv))
    if not hasattr(cv, "__iter__"):
        raise ValueError(f"cv must be an integer >= 2 or an iterable of (train, test) index pairs; got {cv!r}")
    folds = [(np.asarray(train), np.asarray(test)) for train, test in cv]
    for part in [part for fold in folds for part in fold] or [np.array([])]:  # no fold at all is refused too
        if part.ndim != 1 or len(part) == 0 or not np.issubdtype(part.dtype, np.integer) or part.min() < 0 or part.max() >= n_samples:
            raise ValueError(f"cv must give non-empty integer index arrays within 0..{n_samples - 1}; got {part!r}")
    return folds


def get_scorer(scoring):
    """None: the estimator's own score method; a callable: itself; a string: one of SCORERS."""
    if scoring is None:
        return lambda est, X, y: float(est.score(X, y))
    return scoring if callable(scoring) else SCORERS[check_option(scoring, "scoring", list(SCORERS))]


# %% [markdown]
# ## The search: every candidate on every fold


# %%
def cross_val_scores(estimator, candidates, X, y, folds, scorer):
    """The score of each candidate on each fold: s[c, k], shape (n_candidates, n_folds)."""
    # BEGIN SOLUTION
    # HINT 1: One row per candidate, one column per fold: a fresh clone fitted on the
    # HINT 1: training part, scored on the held-out part.
    # HINT 2: scores[c, k] = scorer(clone(estimator, **candidates[c]).fit(X[train_k], y[train_k]), X[test_k], y[test_k])
    # HINT 3: return np.array([[scorer(clone(...).fit(X[train], y[train]), X[test], y[test])
    # HINT 3:                   for train, test in folds] for params in candidates])
    return np.array([[scorer(clone(estimator, **params).fit(X[train], y[train]), X[test], y[test]) for train, test in folds]
                     for params in candidates])  # (n_candidates, n_folds)
    # END SOLUTION


def rank_scores(mean_scores):
    """Rank 1 for the largest mean; tied means share the smaller rank ("min" ranking)."""
    mean_scores = as_float_array(mean_scores, "mean_scores")
    # BEGIN SOLUTION
    # HINT 1: A rank is 1 plus the number of candidates with a strictly higher mean (ties share a rank).
    # HINT 2: better[i, j] = mean[j] > mean[i] (n, n); rank = 1 + better.sum(axis=1)
    better = mean_scores[None, :] > mean_scores[:, None]  # (n_candidates, n_candidates): better[i, j] = mean_j > mean_i
    return 1 + better.sum(axis=1)  # (n_candidates,)
    # END SOLUTION


class BaseSearchCV(BaseEstimator):
    """Shared machinery of GridSearchCV (here) and RandomizedSearchCV (ex02): a subclass's _candidates() says what to try."""

    def __init__(self, estimator, scoring=None, cv=5, refit=True):
        self.estimator = estimator
        self.scoring = scoring
        self.cv = cv
        self.refit = refit

    def _candidates(self):
        raise NotImplementedError

    def fit(self, X, y):
        """Score every candidate by cross-validation, keep the best, refit it on all of (X, y); returns self."""
        X, y = check_X_y(X, y)
        candidates, folds, scorer = self._candidates(), check_cv(self.cv, len(X)), get_scorer(self.scoring)
        # BEGIN SOLUTION
        # HINT 1: Score every candidate on every fold, summarise per candidate, pick rank 1, refit on all data.
        # HINT 2: mean = scores.mean(1); std = sqrt(mean((scores - mean[:, None])**2, 1)); best = argmin(rank)
        # HINT 3: scores = cross_val_scores(estimator, candidates, X, y, folds, scorer)
        # HINT 3: mean, std, rank; cv_results_ = params, mean/std/rank and split{k}_test_score columns
        # HINT 3: best_index_ = int(argmin(rank)); best_params_, best_score_ from it
        # HINT 3: if refit: best_estimator_ = clone(estimator, **best_params_).fit(X, y)
        scores = cross_val_scores(self.estimator, candidates, X, y, folds, scorer)  # (n_candidates, n_folds)
        mean = scores.mean(axis=1)  # (n_candidates,)
        std = np.sqrt(np.mean((scores - mean[:, None]) ** 2, axis=1))  # population std over folds
        rank = rank_scores(mean)
        self.cv_results_ = {"params": candidates, "mean_test_score": mean, "std_test_score": std, "rank_test_score": rank}
        self.cv_results_.update({f"split{k}_test_score": scores[:, k] for k in range(len(folds))})
        self.best_index_ = int(np.argmin(rank))  # the first candidate of rank 1
        self.best_params_, self.best_score_ = candidates[self.best_index_], float(mean[self.best_index_])
        if self.refit:
            self.best_estimator_ = clone(self.estimator, **self.best_params_).fit(X, y)
        # END SOLUTION
        self.n_splits_, self.n_features_in_ = len(folds), X.shape[1]
        return self

    def predict(self, X):
        """Predictions of best_estimator_."""
        check_fitted(self, "best_estimator_")  # also when fitted with refit=False
        return self.best_estimator_.predict(X)

    def score(self, X, y):
        """The chosen scoring of best_estimator_ on (X, y)."""
        check_fitted(self, "best_estimator_")
        return get_scorer(self.scoring)(self.best_estimator_, np.asarray(X), np.asarray(y))


class GridSearchCV(BaseSearchCV):
    """Exhaustive search over parameter_grid(param_grid), with scikit-learn's names and results: cv_results_
    ("params", "mean_test_score", "std_test_score", "rank_test_score", "split<k>_test_score"), best_index_,
    best_params_, best_score_, best_estimator_, n_splits_. scoring: None (estimator.score), a name in SCORERS
    or a callable; cv: an int K (contiguous folds) or (train, test) index pairs."""

    def __init__(self, estimator, param_grid, scoring=None, cv=5, refit=True):
        super().__init__(estimator, scoring=scoring, cv=cv, refit=refit)
        self.param_grid = param_grid

    def _candidates(self):
        return parameter_grid(self.param_grid)


# %% [markdown]
# ## Demo: tune alpha and gamma on the diabetes data


# %%
def main():
    from sklearn.kernel_ridge import KernelRidge  # the model we tune, from the library

    X, y = data.load_diabetes()
    X = X * np.sqrt(len(X))  # columns centred, unit norm -> std 1: a fixed rescaling, nothing learned from the folds
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.25, stratify=False, random_state=0)
    y_train, y_test = y_train - y_train.mean(), y_test - y_train.mean()  # centred: kernel ridge has no intercept
    alphas, gammas = [0.01, 0.1, 1.0, 10.0, 100.0], [0.001, 0.003, 0.01, 0.03, 0.1, 0.3]
    search = GridSearchCV(KernelRidge(kernel="rbf"), {"alpha": alphas, "gamma": gammas}, scoring="r2", cv=5).fit(X_train, y_train)
    results = search.cv_results_
    print(f"Grid search: {len(results['params'])} candidates x {search.n_splits_} folds, on {len(X_train)} training samples")
    print(f"\n{'rank':>4} {'alpha':>8} {'gamma':>8} {'mean R^2':>9} {'std':>7}")
    for i in np.argsort(results["rank_test_score"], kind="stable")[:6]:
        print(f"{results['rank_test_score'][i]:>4} {results['params'][i]['alpha']:>8g} {results['params'][i]['gamma']:>8g} "
              f"{results['mean_test_score'][i]:>9.3f} {results['std_test_score'][i]:>7.3f}")
    print(f"\nbest: {search.best_params_}, cross-validated R^2 {search.best_score_:.3f}")
    print(f"test R^2 of best_estimator_ (refitted on all {len(X_train)} training samples): {search.score(X_test, y_test):.3f}")
    # params are in grid order: alpha (sorted first) slowest, so a reshape gives rows = alpha.
    surface = results["mean_test_score"].reshape(len(alphas), len(gammas))  # (n_alpha, n_gamma)
    fig, ax = plotting.new_figure(width=7.0, height=4.6)
    plotting.plot_heatmap(ax, surface, row_labels=alphas, col_labels=gammas, fmt="{:.3f}", title="Kernel ridge: mean 5-fold CV $R^2$")
    best_row, best_col = np.unravel_index(search.best_index_, surface.shape)
    ax.plot(best_col, best_row, marker="s", markersize=38, markerfacecolor="none", markeredgecolor="red", markeredgewidth=2.5)
    ax.set(xlabel="gamma (kernel width: larger = narrower kernel)", ylabel="alpha (penalty)")
    plotting.show_or_save(fig, "ex01_grid_search")


if __name__ == "__main__":
    main()
