"""
Exercise 03: missing values, imputed by a column statistic

Learning goals
--------------
- Fill missing values with a column statistic (mean, median, most frequent, a
  constant) learned on the training data only, as scikit-learn's SimpleImputer.
- Keep the information "this value was missing" as extra indicator columns.
- See how a statistic distorts a feature's distribution: a spike at the mean, a
  smaller variance, weaker correlations (exercise 04 imputes from neighbours instead).

The math
--------
X has shape (n_samples, n_features); M is the missing mask of the same shape (M_ij = True when
X_ij is missing). For column j with observed values O_j = {X_ij : not M_ij}:

    mean      s_j = (1 / |O_j|) sum of O_j
    median    s_j = the middle value of sorted O_j (the mean of the two middle ones)
    most_frequent  s_j = the most common value of O_j; ties go to the smallest
    constant  s_j = fill_value
and the imputed X'_ij = s_j where M_ij, X_ij otherwise. A column with no
observed value has no statistic: it is dropped (keep_empty_features=False, the
default, like scikit-learn, which also warns) or filled with 0 (fill_value for
"constant") when keep_empty_features=True.

Algorithm
---------
1. fit: compute the mask, then one statistic per column (SimpleImputer).
2. transform: replace each missing entry by its column statistic; drop or zero
   the empty columns.
3. add_indicator: append the mask columns of the features that had missing
   values during fit (MissingIndicator, features="missing-only").

References: R. J. A. Little, D. B. Rubin, Statistical Analysis with Missing Data,
3rd ed., Wiley, 2019, ch. 1 and 4.
Difficulty: 2 of 3, about 30 minutes.
Run: python 04-feature-engineering/ex03_missing_values.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.base import BaseEstimator, TransformerMixin
from utils.validation import as_float_array, check_fitted, check_option, check_X

STRATEGIES = ("mean", "median", "most_frequent", "constant")


# %% [markdown]
# ## Missing-value masks


# %%
def missing_mask(X, missing_values=np.nan):
    """Boolean array of X's shape, True where X holds the missing-value marker."""
    X = as_float_array(X, "X")  # text is refused by name (NaN marks a missing number)
    if missing_values is None or (isinstance(missing_values, float) and np.isnan(missing_values)):
        return np.isnan(X)
    if np.isnan(X).any():
        raise ValueError(f"X contains NaN, but missing_values={missing_values!r}; use missing_values=np.nan")
    return X == missing_values


def checked_input(estimator, X, fitted_attribute):
    """X checked against a fitted imputer or indicator (same columns as in fit), and its missing mask."""
    check_fitted(estimator, fitted_attribute)
    X = check_X(X, estimator.n_features_in_, allow_nan=True, owner=f"this {type(estimator).__name__}")
    return X, missing_mask(X, estimator.missing_values)  # both (n_samples, n_features)


# %% [markdown]
# ## Implementation: the missing-value indicator


# %%
class MissingIndicator(TransformerMixin, BaseEstimator):
    """Boolean columns that say where values are missing.

    Parameters
    ----------
    missing_values : float, the marker of a missing value (np.nan by default)
    features : {"missing-only", "all"}, the columns with a missing value in fit, or all
    error_on_new : bool, with "missing-only": refuse in transform a column missing only now

    Attributes
    ----------
    features_ : ndarray of int, the indices of the indicated columns
    n_features_in_ : int
    """

    _domain = {"allow_nan": True, "boolean_output": True}  # NaN marks a missing value; out: a mask

    def __init__(self, missing_values=np.nan, features="missing-only", error_on_new=True):
        self.missing_values = missing_values
        self.features = features
        self.error_on_new = error_on_new

    def fit(self, X, y=None):
        """Find the columns to indicate; returns self."""
        check_option(self.features, "features", ("missing-only", "all"))
        X = check_X(X, allow_nan=True, owner="MissingIndicator")
        mask = missing_mask(X, self.missing_values)  # (n_samples, n_features)
        # BEGIN SOLUTION
        # HINT 1: Remember which columns get an indicator: all, or those with a missing value in fit.
        # HINT 2: features_ = arange(d) for "all", else flatnonzero(mask.any(axis=0))
        if self.features == "all":
            self.features_ = np.arange(X.shape[1])
        else:
            self.features_ = np.flatnonzero(mask.any(axis=0))  # (n_indicated,)
        # END SOLUTION
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X):
        """The mask columns of features_, shape (n_samples, len(features_)), dtype bool."""
        X, mask = checked_input(self, X, "features_")
        # BEGIN SOLUTION
        # HINT 1: The indicator columns are the mask's columns chosen in fit.
        # HINT 1: A column missing only now is an error when error_on_new is
        # HINT 1: set (and only indicating missing-only features).
        # HINT 2: new = setdiff1d(flatnonzero(mask.any(0)), features_); return mask[:, features_]
        if self.features == "missing-only" and self.error_on_new:
            new = np.setdiff1d(np.flatnonzero(mask.any(axis=0)), self.features_)
            if new.size:
                raise ValueError(f"the features {new.tolist()} have missing values in transform but had none in fit")
        return mask[:, self.features_]  # (n_samples, n_indicated)
        # END SOLUTION


# %% [markdown]
# ## Implementation: imputing a column statistic


# %%
def column_statistic(values, strategy):
    """The statistic of one column's observed values (1-D, no missing), or NaN if there are none."""
    if values.size == 0:
        return np.nan
    # BEGIN SOLUTION
    # HINT 1: One number per column of observed values: mean, median, or
    # HINT 1: the most frequent value (ties go to the smallest value).
    # HINT 2: most_frequent: uniques, counts = np.unique(values, return_counts=True);
    # HINT 2:   uniques[argmax(counts)]
    if strategy == "mean":
        return float(values.mean())
    if strategy == "median":
        return float(np.median(values))
    # np.unique sorts, and argmax takes the first maximum: a tie goes to the smallest value.
    uniques, counts = np.unique(values, return_counts=True)
    return float(uniques[np.argmax(counts)])
    # END SOLUTION


def column_statistics(X, mask, statistic):
    """statistic(observed values of column j) for every column j of X; shape (n_features,).

    mask (n_samples, n_features) is True where a value is missing. A column with no observed value
    gets NaN. The k-NN imputer (exercise 04) uses it too.
    """
    out = np.full(X.shape[1], np.nan)  # (n_features,)
    # BEGIN SOLUTION
    # HINT 1: Apply the statistic to each column's observed entries only; empty columns stay NaN.
    # HINT 2: out[j] = statistic(X[~mask[:, j], j]) if any observed
    for j in range(X.shape[1]):
        observed = X[~mask[:, j], j]  # (n_observed_j,)
        if observed.size:
            out[j] = statistic(observed)
    return out
    # END SOLUTION


class _Imputer(TransformerMixin, BaseEstimator):
    """What SimpleImputer and exercise 04's KNNImputer share: the optional indicator columns."""

    _domain = {"allow_nan": True}  # NaN marks a missing value

    def _fit_indicator(self, X):
        """Fit indicator_ (or set it to None) and remember the number of columns."""
        self.indicator_ = None
        if self.add_indicator:
            self.indicator_ = MissingIndicator(self.missing_values, "missing-only", error_on_new=False).fit(X)
        self.n_features_in_ = X.shape[1]

    def _append_indicator(self, imputed, X):
        """imputed with the indicator's mask columns appended (True / False become 1.0 / 0.0)."""
        return imputed if self.indicator_ is None else np.hstack([imputed, self.indicator_.transform(X)])


class SimpleImputer(_Imputer):
    """Replace missing values by a per-column statistic learned in fit.

    Parameters
    ----------
    missing_values : float, the marker of a missing value (np.nan by default)
    strategy : {"mean", "median", "most_frequent", "constant"}
    fill_value : float, the value for strategy="constant" (0 when None)
    add_indicator : bool, append MissingIndicator columns (features="missing-only")
    keep_empty_features : bool
        A column with no observed value during fit is dropped from the output
        (False, scikit-learn's default, which also warns) or filled with 0
        (fill_value for "constant") (True).

    Attributes
    ----------
    statistics_ : ndarray of shape (n_features_in_,), NaN for a dropped empty column
    indicator_ : MissingIndicator or None
    n_features_in_ : int
    """

    def __init__(self, missing_values=np.nan, strategy="mean", fill_value=None, add_indicator=False, keep_empty_features=False):
        self.missing_values = missing_values
        self.strategy = strategy
        self.fill_value = fill_value
        self.add_indicator = add_indicator
        self.keep_empty_features = keep_empty_features

    def fit(self, X, y=None):
        """Learn statistics_ from the observed values of each column; returns self."""
        check_option(self.strategy, "strategy", STRATEGIES)
        X = check_X(X, allow_nan=True, owner="SimpleImputer")
        mask = missing_mask(X, self.missing_values)  # (n_samples, n_features)
        fill = 0.0 if self.fill_value is None else float(self.fill_value)
        # BEGIN SOLUTION
        # HINT 1: A statistic per column from the observed values (or the constant); an
        # HINT 1: empty column is dropped (NaN statistic) unless keep_empty_features.
        # HINT 2: statistics = column_statistics(X, mask, lambda v: column_statistic(v, strategy))
        # HINT 3: if constant: statistics = np.full(d, fill) else column_statistics(...)
        # HINT 3: empty = mask.all(axis=0)
        # HINT 3: statistics[empty] = (fill if constant else 0.0) if keep_empty_features else np.nan
        # HINT 3: self.statistics_ = statistics
        if self.strategy == "constant":
            statistics = np.full(X.shape[1], fill)  # (n_features,)
        else:
            statistics = column_statistics(X, mask, lambda values: column_statistic(values, self.strategy))
        empty = mask.all(axis=0)  # (n_features,), columns with no observed value: dropped (NaN) or kept
        statistics[empty] = (fill if self.strategy == "constant" else 0.0) if self.keep_empty_features else np.nan
        self.statistics_ = statistics
        # END SOLUTION
        self._fit_indicator(X)
        return self

    def transform(self, X):
        """Impute X with the training statistics; shape (n_samples, n_kept [+ n_indicated])."""
        X, mask = checked_input(self, X, "statistics_")
        # BEGIN SOLUTION
        # HINT 1: Replace each missing entry by its column's statistic (broadcast
        # HINT 1: a (n_features,) row); drop the columns whose statistic is NaN.
        # HINT 2: kept = ~isnan(statistics_); imputed = where(mask, statistics_, X)[:, kept]
        kept = ~np.isnan(self.statistics_)  # (n_features,), False for the empty columns we drop
        imputed = np.where(mask, self.statistics_, X)[:, kept]  # (n_samples, n_kept): broadcast row of statistics
        # END SOLUTION
        return self._append_indicator(imputed, X)


# %% [markdown]
# ## Demo


# %%
def remove_at_random(X, column, fraction, random_state=None):
    """A copy of X with `fraction` of one column's values set to NaN, completely at random."""
    rng = data.as_rng(random_state)
    X = np.array(X, dtype=float)
    hidden = rng.permutation(len(X))[: int(round(fraction * len(X)))]  # (n_hidden,)
    X[hidden, column] = np.nan
    return X, hidden


def main():
    X, _, names = data.load_wine(return_names=True)[:3]
    j = names.index("flavanoids")
    partner = names.index("total_phenols")  # a feature that moves with flavanoids (r ~ 0.86)
    X_missing, hidden = remove_at_random(X, j, fraction=0.3, random_state=0)
    print(f"Wine: {len(X)} rows; hid {len(hidden)} of the {names[j]!r} values (30%) at random.\n")

    results = {"true values": X[:, j]}
    for strategy in ("mean", "median", "most_frequent"):
        results[strategy] = SimpleImputer(strategy=strategy).fit_transform(X_missing)[:, j]

    print(f"{'imputer':<16}{'std':>7}{'corr with phenols':>19}{'RMSE on hidden':>16}")
    for name, column in results.items():
        r = np.corrcoef(column, X[:, partner])[0, 1]
        rmse = np.sqrt(np.mean((column[hidden] - X[hidden, j]) ** 2))
        print(f"{name:<16}{column.std():7.3f}{r:19.3f}{rmse:16.3f}")

    fig, axes = plotting.new_figure(1, 3, width=4.4, height=3.8, sharey=True)
    bins = np.linspace(X[:, j].min(), X[:, j].max(), 30)
    for ax, name, color in zip(axes, ["mean", "median", "most_frequent"], plotting.COLORS[1:]):
        ax.hist(X[:, j], bins=bins, color="grey", alpha=0.45, label="true")
        ax.hist(results[name], bins=bins, histtype="step", linewidth=2, color=color, label="imputed")
        ax.set(title=f"{name}: std {results[name].std():.2f} (true {X[:, j].std():.2f})", xlabel=names[j])
        ax.legend(loc="upper right")
    axes[0].set_ylabel("rows")
    fig.suptitle("30% of a wine feature hidden at random, then imputed", y=1.02)
    plotting.show_or_save(fig, "ex03_missing_values")


if __name__ == "__main__":
    main()
