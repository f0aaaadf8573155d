"""
Exercise 07: feature scaling (standard, min-max, robust)

Learning goals
--------------
- Write StandardScaler, MinMaxScaler and RobustScaler with scikit-learn's fit / transform /
  inverse_transform protocol, learning the statistics on the training rows only, NaN ignored.
- Handle a constant column (scale 1, not a division by zero) and a single row.
- Measure what scaling changes for a distance-based model: k-nearest-neighbour
  accuracy on the wine data (exercise 08 does the same for gradient descent).

The math
--------
X has shape (n_samples, n_features). Each scaler learns one shift c_j and one scale s_j per column
j from the training rows, ignoring NaN, and maps x -> (x - c) / s (NaN stays NaN):

    standard   c_j = mean_j,  s_j = std_j (population, ddof = 0)
    min-max    x -> x * scale_ + min_, with scale_ = (b - a) / (max_j - min_j) and
               min_ = a - min_j * scale_, so that [min_j, max_j] maps onto (a, b)
    robust     c_j = median_j,  s_j = Q_hi(x_j) - Q_lo(x_j)  (the IQR for 25, 75)

A column whose spread is zero (below 10 machine epsilons) gets s_j = 1: it is shifted, not
blown up. The inverse is x = z * s + c. Why scaling matters: distances
sum_j (x_j - x'_j)^2 are dominated by the column with the largest units.

Algorithm
---------
1. fit: per column, the statistics of the observed values only (np.nanmean, ...); zero scales become 1.
2. transform: check the column count, apply (x - c) / s with the stored values; inverse: x = z * s + c.
3. Demo: scikit-learn's k-NN (module 02) on wine with each scaler (fit on train, applied to test).

References: T. Hastie, R. Tibshirani, J. Friedman, The Elements of Statistical Learning, 2nd ed., ch. 3.4, 13.3.
Difficulty: 2 of 3, about 30 minutes.
Run: python 04-feature-engineering/ex07_scaling.py
"""

# %%
import warnings

import numpy as np

from utils import data, plotting
from utils.base import BaseEstimator, TransformerMixin
from utils.validation import as_float_array, check_fitted, check_X


# %% [markdown]
# ## Implementation: statistics that ignore NaN, and three scalers


# %%
def replace_zero_scales(scale):
    """Scales below 10 machine epsilons become 1 (a constant column is left unscaled)."""
    scale = as_float_array(scale, "scale").copy()
    scale[scale < 10 * np.finfo(float).eps] = 1.0  # a column of 0.1s has a variance of ~1e-34, not 0
    return scale


def nan_column_stats(X, statistic):
    """statistic(X, axis=0) of a NaN-ignoring statistic (np.nanmean, ...), (n_features,); NaN, no warning, if all NaN."""
    X = as_float_array(X, "X", ndim=2, allow_empty=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return statistic(X, axis=0)


class _Scaler(TransformerMixin, BaseEstimator):
    """x -> (x - shift) / scale with the statistics _shift_scale() names (Standard and Robust differ only there)."""

    _domain = {"allow_nan": True}  # NaN (missing) passes through

    def _checked(self, X):
        check_fitted(self, "n_features_in_")
        return check_X(X, self.n_features_in_, allow_nan=True, owner=f"this {type(self).__name__}")

    def transform(self, X):  # (X - shift) / scale with the training statistics; NaN stays NaN
        X = self._checked(X)
        shift, scale = self._shift_scale()
        # BEGIN SOLUTION
        # HINT 1: Subtract the shift, then divide by the scale; the (n_features,) rows broadcast.
        return (X - shift) / scale  # (n_samples, n_features)
        # END SOLUTION

    def inverse_transform(self, X):  # back to the original units
        X = self._checked(X)
        shift, scale = self._shift_scale()
        # BEGIN SOLUTION
        # HINT 1: Undo transform in the opposite order: multiply back, then add back.
        return X * scale + shift  # (n_samples, n_features)
        # END SOLUTION


class StandardScaler(_Scaler):
    """Standardise each column to mean 0 and standard deviation 1 (ddof = 0), ignoring NaN in fit.

    with_mean, with_std : bool, subtract mean_ / divide by scale_ (else skip that step).
    Attributes: mean_, var_, scale_ (sqrt(var_), 1 for a constant column), each (n_features,).
    """

    def __init__(self, with_mean=True, with_std=True):
        self.with_mean = with_mean
        self.with_std = with_std

    def fit(self, X, y=None):
        X = check_X(X, allow_nan=True, owner="StandardScaler")
        # BEGIN SOLUTION
        # HINT 1: Mean and variance ignoring NaN; a zero std (a constant column) becomes 1: shifted, not blown up.
        # HINT 2: scale_ = replace_zero_scales(sqrt(var)), var the population variance (ddof = 0)
        # HINT 3: mean_ = nan_column_stats(X, np.nanmean); var_ with np.nanvar; then scale_
        self.mean_ = nan_column_stats(X, np.nanmean)  # (n_features,)
        self.var_ = nan_column_stats(X, np.nanvar)  # (n_features,), ddof = 0
        self.scale_ = replace_zero_scales(np.sqrt(self.var_))
        # END SOLUTION
        self.n_features_in_ = X.shape[1]
        return self

    def _shift_scale(self):
        return (self.mean_ if self.with_mean else 0.0), (self.scale_ if self.with_std else 1.0)


class MinMaxScaler(_Scaler):
    """Map each column's training range [min, max] onto feature_range = (a, b), ignoring NaN in fit.

    clip : bool, clip transformed values into feature_range (test values can fall outside).
    Attributes: data_min_, data_max_, data_range_, scale_, min_ (transform: X * scale_ + min_), (n_features,).
    """

    def __init__(self, feature_range=(0, 1), clip=False):
        self.feature_range = feature_range
        self.clip = clip

    def fit(self, X, y=None):
        a, b = self.feature_range
        if not a < b:
            raise ValueError(f"feature_range must be (a, b) with a < b; got {self.feature_range}")
        X = check_X(X, allow_nan=True, owner="MinMaxScaler")
        # BEGIN SOLUTION
        # HINT 1: Map [data_min, data_max] linearly onto feature_range (a, b): a slope and an offset.
        # HINT 2: scale_ = (b - a) / range (0 -> 1); min_ = a - data_min_ * scale_
        self.data_min_, self.data_max_ = nan_column_stats(X, np.nanmin), nan_column_stats(X, np.nanmax)  # (n_features,) each
        self.data_range_ = self.data_max_ - self.data_min_
        self.scale_ = (b - a) / replace_zero_scales(self.data_range_)  # a constant column: range 1
        self.min_ = a - self.data_min_ * self.scale_
        # END SOLUTION
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X):
        X = self._checked(X)
        # BEGIN SOLUTION
        # HINT 1: Apply the stored slope and offset; clip to feature_range only if asked.
        # HINT 2: Z = X * scale_ + min_
        Z = X * self.scale_ + self.min_  # (n_samples, n_features)
        return np.clip(Z, *self.feature_range) if self.clip else Z  # NaN passes through np.clip unchanged
        # END SOLUTION

    def inverse_transform(self, X):
        X = self._checked(X)
        # BEGIN SOLUTION
        # HINT 1: Invert Z = X * scale_ + min_.
        return (X - self.min_) / self.scale_
        # END SOLUTION


class RobustScaler(_Scaler):
    """Centre on the median and divide by an inter-quantile range, ignoring NaN in fit.

    with_centering, with_scaling : bool, subtract center_ / divide by scale_ (else skip that step);
    quantile_range : (q_lo, q_hi) percentiles. Attributes: center_, scale_ (1 for a zero range).
    """

    def __init__(self, with_centering=True, with_scaling=True, quantile_range=(25.0, 75.0)):
        self.with_centering = with_centering
        self.with_scaling = with_scaling
        self.quantile_range = quantile_range

    def fit(self, X, y=None):
        q_lo, q_hi = self.quantile_range
        if not 0 <= q_lo < q_hi <= 100:
            raise ValueError(f"quantile_range must satisfy 0 <= q_lo < q_hi <= 100; got {self.quantile_range}")
        X = check_X(X, allow_nan=True, owner="RobustScaler")
        # BEGIN SOLUTION
        # HINT 1: Median for the centre and an interquantile range for the spread, both ignoring NaN.
        # HINT 2: center_ = column median; scale_ = percentile(q_hi) - percentile(q_lo), zero spread -> 1
        self.center_ = nan_column_stats(X, np.nanmedian)  # (n_features,)
        spread = nan_column_stats(X, lambda A, axis: np.nanpercentile(A, q_hi, axis=axis) - np.nanpercentile(A, q_lo, axis=axis))
        self.scale_ = replace_zero_scales(spread)
        # END SOLUTION
        self.n_features_in_ = X.shape[1]
        return self

    def _shift_scale(self):
        return (self.center_ if self.with_centering else 0.0), (self.scale_ if self.with_scaling else 1.0)


# %% [markdown]
# ## Demo


# %%
def main():
    from sklearn.neighbors import KNeighborsClassifier  # built in module 02; the library's here

    X, y, names = data.load_wine(return_names=True)[:3]
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.3, random_state=0)
    print("Wine feature ranges (train):", ", ".join(f"{names[j]} {X_train[:, j].min():.2f} to {X_train[:, j].max():.2f}" for j in (12, 10)))
    scalers = {"none": None, "StandardScaler": StandardScaler(), "MinMaxScaler": MinMaxScaler(), "RobustScaler": RobustScaler()}
    accuracy = {}
    print(f"{'scaler':<16}{'5-NN test accuracy':>20}")
    for name, scaler in scalers.items():  # statistics from the training rows only, then applied to the test rows
        A, B = (X_train, X_test) if scaler is None else (scaler.fit_transform(X_train), scaler.transform(X_test))
        accuracy[name] = KNeighborsClassifier(n_neighbors=5).fit(A, y_train).score(B, y_test)
        print(f"{name:<16}{accuracy[name]:20.3f}")

    fig, ax = plotting.new_figure(width=6.0, height=4.2)
    ax.bar_label(ax.bar(list(accuracy), list(accuracy.values()), color=plotting.COLORS[: len(accuracy)]), fmt="%.3f")
    ax.set(ylim=(0, 1.1), ylabel="test accuracy", title="5-NN on wine: scaled vs raw features")
    plotting.show_or_save(fig, "ex07_scaling")


if __name__ == "__main__":
    main()
