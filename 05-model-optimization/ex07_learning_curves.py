"""
Exercise 07: learning curves and validation curves

Learning goals
--------------
- Build scikit-learn's learning_curve (scores against the number of training
  samples) and validation_curve (scores against one hyperparameter) on top of
  ex01's cross-validation pieces.
- Read them: a high-bias model has training and validation errors that meet
  early, at a high level (more data will not help; a richer model will); a
  high-variance model has a wide gap that closes slowly (more data or more
  regularisation will help).
- Tell from a validation curve which side of the sweet spot a setting is on.

The math
--------
With K folds (train_k, test_k) and a model class with a setting theta:
    learning curve:   for m in train_sizes, fit on the first m indices of train_k,
                      score on those m samples (training score) and on test_k;
    validation curve: for theta in param_range, fit on train_k with theta, score
                      on train_k and on test_k.
Both return arrays of shape (n_points, K). Fractions in train_sizes refer to the
size of the first fold's training part, n_max: m = floor(fraction * n_max),
clipped to [1, n_max]; repeated sizes are dropped (scikit-learn's rule).

Reading them (expected squared error, ex03): for n training samples,
    validation error ~ noise + bias^2 + variance(n),      training error ~ noise + bias^2 - (optimism),
and both variance and optimism shrink as n grows. A flat pair of curves far above
the noise means bias; a gap means variance.

The models, on y = sin(2 pi x) + N(0, 0.3^2): a straight line (polynomial ridge
regression on ex03's Legendre basis, ex04's closed form), which has high bias, and
1-nearest-neighbour regression (scikit-learn's, module 02's k-NN), which memorises every noisy
point: no training error at all and high variance (its validation error tends to
about 2 sigma^2, twice the noise).

Algorithm
---------
1. Make the folds (ex01's check_cv) and turn train_sizes into absolute sizes.
2. For each fold and each size (or parameter value): clone the estimator, fit,
   record the training and the held-out score.
3. Plot mean +- standard deviation over the folds.

References: A. Ng, "Advice for applying machine learning", CS229 lecture notes,
Stanford; T. Hastie, R. Tibshirani, J. Friedman, The Elements of Statistical
Learning, 2nd ed., 2009, ch. 7.2-7.3; scikit-learn user guide, "Validation
curves: plotting scores to evaluate models".
Builds on: 05-model-optimization/ex01_grid_search.py (grid_search).
Difficulty: 1 of 3, about 25 minutes.
Run: python 05-model-optimization/ex07_learning_curves.py
"""

# %%
import numpy as np

import utils
from utils import plotting
from utils.base import BaseEstimator, RegressorMixin
from utils.validation import check_fitted, check_non_negative_int, check_positive_int, check_positive_number, check_X, check_X_y

grid_search = utils.load_exercise("05-model-optimization/ex01_grid_search.py", practice=False)

# %% [markdown]
# ## The two curves


# %%
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
    """Training and held-out scores for growing training sets (scikit-learn's learning_curve, no shuffling).

    Returns
    -------
    train_sizes_abs : ndarray of shape (n_ticks,)
    train_scores, test_scores : ndarrays of shape (n_ticks, n_folds)
    """
    X, y = check_X_y(X, y)
    folds = grid_search.check_cv(cv, len(X))
    scorer = grid_search.get_scorer(scoring)
    sizes = train_sizes_absolute(train_sizes, len(folds[0][0]))
    # BEGIN SOLUTION
    # HINT 1: For each fold and each size m, train on the first m training indices; score
    # HINT 1: that subset (training score) and the fold's test part (validation score).
    # HINT 2: train_scores[i, k] = scorer(model, X[train[:m]], y[train[:m]]); test on X[test]
    # HINT 3: for k, (train, test) in enumerate(folds): for i, m in enumerate(sizes):
    # HINT 3:     subset = train[:m]; model = grid_search.clone(estimator).fit(X[subset], y[subset])
    # HINT 3:     train_scores[i, k] = scorer(model, X[subset], y[subset]); test on X[test]
    train_scores = np.empty((len(sizes), len(folds)))  # (n_ticks, n_folds)
    test_scores = np.empty((len(sizes), len(folds)))
    for k, (train, test) in enumerate(folds):
        for i, m in enumerate(sizes):
            subset = train[:m]  # the first m training indices of this fold
            model = grid_search.clone(estimator).fit(X[subset], y[subset])
            train_scores[i, k] = scorer(model, X[subset], y[subset])
            test_scores[i, k] = scorer(model, X[test], y[test])
    # END SOLUTION
    return sizes, train_scores, test_scores


def validation_curve(estimator, X, y, param_name, param_range, cv=5, scoring=None):
    """Training and held-out scores for each value of one hyperparameter (scikit-learn's validation_curve).

    Returns
    -------
    train_scores, test_scores : ndarrays of shape (n_params, n_folds)
    """
    X, y = check_X_y(X, y)
    folds = grid_search.check_cv(cv, len(X))
    scorer = grid_search.get_scorer(scoring)
    grid_search.clone(estimator, **{param_name: param_range[0]})  # fails early, with a clear message, on a wrong name
    # BEGIN SOLUTION
    # HINT 1: Like learning_curve, but vary one hyperparameter instead of the training size.
    # HINT 2: model = grid_search.clone(estimator, **{param_name: value}).fit(X[train], y[train])
    # HINT 3: for i, value in enumerate(param_range): for k, (train, test) in enumerate(folds):
    # HINT 3:     model = clone with param_name=value, fit on train; score train and test into [i, k]
    train_scores = np.empty((len(param_range), len(folds)))  # (n_params, n_folds)
    test_scores = np.empty((len(param_range), len(folds)))
    for i, value in enumerate(param_range):
        for k, (train, test) in enumerate(folds):
            model = grid_search.clone(estimator, **{param_name: value}).fit(X[train], y[train])
            train_scores[i, k] = scorer(model, X[train], y[train])
            test_scores[i, k] = scorer(model, X[test], y[test])
    # END SOLUTION
    return train_scores, test_scores


# %% [markdown]
# ## A model with a knob for bias and one for variance


# %%
class PolynomialRidge(RegressorMixin, BaseEstimator):
    """y ~ polynomial of x (features in [0, 1]) on the Legendre basis of ex03, by ex04's ridge closed form.

    With several features, each gets its own polynomial and they are added (no products).

    Parameters
    ----------
    degree : int >= 0, the polynomial degree (more = less bias, more variance)
    alpha : float >= 0, the ridge penalty on the non-constant terms (more = more bias, less variance)
    """

    def __init__(self, degree=3, alpha=1e-6):
        self.degree = degree
        self.alpha = alpha

    def _features(self, X):
        # (n, d * degree): L_1..L_degree of z = 2x - 1 in [-1, 1], per column; L_0 = 1 is the intercept
        return np.hstack([np.polynomial.legendre.legvander(2.0 * x - 1.0, self.degree)[:, 1:] for x in X.T])

    def fit(self, X, y):
        """Fit the penalised polynomial; returns self."""
        X, y = check_X_y(X, y, numeric_y=True)
        check_non_negative_int(self.degree, "degree")
        check_positive_number(self.alpha, "alpha", allow_zero=True)
        self.n_features_in_ = X.shape[1]
        F = self._features(X)  # (n_samples, n_terms)
        f_mean, y_mean = F.mean(axis=0), y.mean()  # centre, so the intercept is not penalised
        Fc = F - f_mean  # (n_samples, n_terms)
        self.coef_ = np.linalg.solve(Fc.T @ Fc + self.alpha * np.eye(F.shape[1]), Fc.T @ (y - y_mean)) if F.shape[1] else np.zeros(0)
        self.intercept_ = float(y_mean - f_mean @ self.coef_)
        return self

    def predict(self, X):
        """Predictions, shape (n_samples,)."""
        check_fitted(self, "coef_")
        X = check_X(X, self.n_features_in_, owner=f"this {type(self).__name__}")
        return self._features(X) @ self.coef_ + self.intercept_  # (n_samples,)


def sine_data(n_samples, noise=0.3, random_state=None):
    """x ~ Uniform(0, 1) as X of shape (n, 1), y = sin(2 pi x) + N(0, noise^2) (ex03's true function)."""
    n_samples = check_positive_int(n_samples, "n_samples")
    rng = np.random.default_rng(random_state)
    x = rng.uniform(0.0, 1.0, n_samples)  # (n,)
    return x[:, None], np.sin(2.0 * np.pi * x) + noise * rng.standard_normal(n_samples)


# %% [markdown]
# ## Demo


# %%
def band(ax, x, scores, label, color):
    """Mean of -scores (an error) over the folds, with a +- one standard deviation band."""
    errors = -scores  # (n_points, n_folds); scores are negative squared errors
    mean, std = errors.mean(axis=1), errors.std(axis=1)
    ax.plot(x, mean, marker="o", markersize=3, color=color, label=label)
    ax.fill_between(x, np.maximum(mean - std, 0.0), mean + std, color=color, alpha=0.2)


def main():
    from sklearn.neighbors import KNeighborsRegressor  # module 02's k-NN, from the library

    X, y = sine_data(250, random_state=0)
    folds = grid_search.kfold_indices(len(X), 5)  # the data are already in random order
    scoring = "neg_mean_squared_error"
    models = {"a straight line (high bias)": PolynomialRidge(degree=1), "1-nearest neighbour (high variance)": KNeighborsRegressor(1)}

    fig, axes = plotting.new_figure(2, 2, width=5.2, height=3.8)
    print("Mean squared error over 5 folds (the noise variance is 0.09)")
    print(f"{'model':<36} {'n train':>7} {'train MSE':>10} {'val MSE':>10}")
    for ax, (name, model) in zip(axes[0], models.items()):
        sizes, train_scores, test_scores = learning_curve(model, X, y, np.linspace(0.05, 1.0, 12), cv=folds, scoring=scoring)
        band(ax, sizes, train_scores, "training error", plotting.COLORS[0])
        band(ax, sizes, test_scores, "validation error", plotting.COLORS[3])
        ax.axhline(0.09, color="grey", linestyle=":", label="noise $\\sigma^2$ = 0.09")
        ax.set(ylim=(0.0, 0.6), xlabel="number of training samples", ylabel="mean squared error",
               title=f"Learning curve: {name}")
        ax.legend(loc="upper right")
        for i in [0, len(sizes) - 1]:
            print(f"{name:<36} {sizes[i]:>7} {0.0 - train_scores[i].mean():>10.3f} {0.0 - test_scores[i].mean():>10.3f}")

    for ax, model, name, values, label in [
        (axes[1, 0], PolynomialRidge(alpha=1e-6), "degree", np.arange(0, 16), "polynomial degree (less bias ->)"),
        (axes[1, 1], KNeighborsRegressor(), "n_neighbors", np.arange(1, 61, 3), "k neighbours (less variance ->)"),
    ]:
        train_scores, test_scores = validation_curve(model, X, y, name, values, cv=folds, scoring=scoring)
        band(ax, values, train_scores, "training error", plotting.COLORS[0])
        band(ax, values, test_scores, "validation error", plotting.COLORS[3])
        best = values[np.argmax(test_scores.mean(axis=1))]
        ax.axvline(best, color="black", linestyle="--", linewidth=1, label=f"best: {best}")
        ax.axhline(0.09, color="grey", linestyle=":")
        ax.set(ylim=(0.0, 0.6), xlabel=label, ylabel="mean squared error", title=f"Validation curve over {name}")
        ax.legend(loc="upper right")
        print(f"validation curve over {name}: best {best}, validation MSE {-test_scores.mean(axis=1).max():.3f}")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex07_learning_curves")


if __name__ == "__main__":
    main()
