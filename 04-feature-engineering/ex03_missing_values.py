"""
Exercise 03: missing values, imputed by a column statistic

Learning goals
--------------
- Fill missing values with a column statistic (mean, median, most frequent, a constant) learned
  on the training data only, as scikit-learn's SimpleImputer; keep "was missing" as indicator columns.
- See how a statistic distorts a feature's distribution: a spike at the mean, a smaller
  variance, weaker correlations (exercise 04 imputes from neighbours instead).

The math
--------
X has shape (n_samples, n_features); M is the missing mask of the same shape (M_ij = True when
X_ij is missing). For column j with observed values O_j = {X_ij : not M_ij}:

    mean      s_j = (1 / |O_j|) sum of O_j
    median    s_j = the middle value of sorted O_j (the mean of the two middle ones)
    most_frequent  s_j = the most common value of O_j; ties go to the smallest
    constant  s_j = fill_value
and the imputed X'_ij = s_j where M_ij, X_ij otherwise. A column with no observed value
has no statistic: it is dropped, or filled with 0 (fill_value) when keep_empty_features=True.

Algorithm
---------
1. fit: compute the mask, then one statistic per column (SimpleImputer).
2. transform: replace each missing entry by its column statistic; drop or zero the empty columns.
3. add_indicator: append the mask columns of the features with missing values in fit (MissingIndicator).

References: R. J. A. Little, D. B. Rubin, Statistical Analysis with Missing Data, 3rd ed., Wiley, 2019, ch. 1, 4.
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
# ## Implementation: the missing-value mask and its indicator columns


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


class MissingIndicator(TransformerMixin, BaseEstimator):
    """Boolean columns that say where values (the marker missing_values, NaN by default) are missing.

    features : "missing-only" (the columns with a missing value in fit) or "all"; error_on_new : bool,
    with "missing-only", refuse in transform a column missing only now. Attributes: features_ (indices).
    """

    _domain = {"allow_nan": True, "boolean_output": True}  # NaN marks a missing value; out: a mask

    def __init__(self, missing_values=np.nan, features="missing-only", error_on_new=True):
        self.missing_values = missing_values
        self.features = features
        self.error_on_new = error_on_new

    def fit(self, X, y=None):
        check_option(self.features, "features", ("missing-only", "all"))
        X = check_X(X, allow_nan=True, owner="MissingIndicator")
        mask = missing_mask(X, self.missing_values)  # (n_samples, n_features)
        # BEGIN SOLUTION
        # HINT 1: Remember which columns get an indicator: all, or those with a missing value in fit.
        # HINT 2: features_ = arange(d) for "all", else flatnonzero(mask.any(axis=0))
        self.features_ = np.arange(X.shape[1]) if self.features == "all" else np.flatnonzero(mask.any(axis=0))  # (n_indicated,)
        # END SOLUTION
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X):  # the mask columns of features_, (n_samples, n_indicated), bool
        X, mask = checked_input(self, X, "features_")
        # BEGIN SOLUTION
        # HINT 1: The mask's columns chosen in fit; with error_on_new, a column missing only now is an error.
        # HINT 2: new = setdiff1d(flatnonzero(mask.any(0)), features_); return mask[:, features_]
        new = np.setdiff1d(np.flatnonzero(mask.any(axis=0)), self.features_)  # columns missing only now
        if new.size and self.features == "missing-only" and self.error_on_new:
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
    # HINT 1: One number per column of observed values: mean, median, or the most frequent (smallest on ties).
    # HINT 2: most_frequent: uniques, counts = np.unique(values, return_counts=True); uniques[argmax(counts)]
    if strategy in ("mean", "median"):
        return float(np.mean(values) if strategy == "mean" else np.median(values))
    # np.unique sorts, and argmax takes the first maximum: a tie goes to the smallest value.
    uniques, counts = np.unique(values, return_counts=True)
    return float(uniques[np.argmax(counts)])
    # END SOLUTION


class SimpleImputer(TransformerMixin, BaseEstimator):
    """Replace missing values (the marker missing_values, NaN by default) by a per-column statistic learned in fit.

    strategy : one of STRATEGIES; fill_value : float for "constant" (None: 0); add_indicator : bool, append
    MissingIndicator columns; keep_empty_features : bool, keep a column with nothing observed in fit (as
    0 / fill_value) or drop it. Attributes: statistics_ (n_features_in_,), NaN if dropped; indicator_ or None.
    """

    _domain = {"allow_nan": True}  # NaN marks a missing value

    def __init__(self, missing_values=np.nan, strategy="mean", fill_value=None, add_indicator=False, keep_empty_features=False):
        self.missing_values = missing_values
        self.strategy = strategy
        self.fill_value = fill_value
        self.add_indicator = add_indicator
        self.keep_empty_features = keep_empty_features

    def fit(self, X, y=None):
        check_option(self.strategy, "strategy", STRATEGIES)
        X = check_X(X, allow_nan=True, owner="SimpleImputer")
        mask = missing_mask(X, self.missing_values)  # (n_samples, n_features)
        fill = 0.0 if self.fill_value is None else float(self.fill_value)
        # BEGIN SOLUTION
        # HINT 1: A statistic per column from its observed values (or the constant); an empty column is dropped.
        # HINT 2: statistics[j] = column_statistic(X[~mask[:, j], j], strategy) (NaN if nothing observed)
        # HINT 3: constant: np.full(d, fill); empty = mask.all(axis=0)
        # HINT 3: statistics[empty] = (fill if constant else 0.0) if keep_empty_features else np.nan
        statistics = (np.full(X.shape[1], fill) if self.strategy == "constant" else  # (n_features,), observed values only
                      np.array([column_statistic(X[~mask[:, j], j], self.strategy) for j in range(X.shape[1])]))
        empty = mask.all(axis=0)  # (n_features,), columns with no observed value: dropped (NaN) or kept
        statistics[empty] = (fill if self.strategy == "constant" else 0.0) if self.keep_empty_features else np.nan
        self.statistics_ = statistics
        # END SOLUTION
        self.indicator_ = MissingIndicator(self.missing_values, error_on_new=False).fit(X) if self.add_indicator else None
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X):  # imputed with the training statistics: (n_samples, n_kept [+ n_indicated])
        X, mask = checked_input(self, X, "statistics_")
        # BEGIN SOLUTION
        # HINT 1: Replace each missing entry by its column's statistic; drop the columns whose statistic is NaN.
        # HINT 2: kept = ~isnan(statistics_); imputed = where(mask, statistics_, X)[:, kept]
        kept = ~np.isnan(self.statistics_)  # (n_features,), False for the empty columns we drop
        imputed = np.where(mask, self.statistics_, X)[:, kept]  # (n_samples, n_kept): broadcast row of statistics
        # END SOLUTION
        return imputed if self.indicator_ is None else np.hstack([imputed, self.indicator_.transform(X)])  # True -> 1.0


# %% [markdown]
# ## Demo


# %%
def main():
    X, _, names = data.load_wine(return_names=True)[:3]
    j, partner = names.index("flavanoids"), names.index("total_phenols")  # r ~ 0.86 between them
    hidden = np.random.default_rng(0).permutation(len(X))[: round(0.3 * len(X))]  # (n_hidden,), completely at random
    X_missing = X.copy()  # (n_samples, n_features)
    X_missing[hidden, j] = np.nan
    results = {"true values": X[:, j], **{s: SimpleImputer(strategy=s).fit_transform(X_missing)[:, j] for s in STRATEGIES[:3]}}
    print(f"Wine: {len(hidden)} of the {len(X)} {names[j]!r} values (30%) hidden at random, then imputed\n"
          f"{'imputer':<16}{'std':>7}{'corr with phenols':>19}{'RMSE on hidden':>16}")
    for name, c in results.items():
        print(f"{name:<16}{c.std():7.3f}{np.corrcoef(c, X[:, partner])[0, 1]:19.3f}{np.sqrt(np.mean((c[hidden] - X[hidden, j]) ** 2)):16.3f}")

    fig, ax = plotting.new_figure(width=6.5, height=4.2)
    bins = np.linspace(X[:, j].min(), X[:, j].max(), 30)
    ax.hist(X[:, j], bins=bins, color="grey", alpha=0.45, label=f"true (std {X[:, j].std():.2f})")
    for name, color in zip(STRATEGIES[:3], plotting.COLORS[1:]):
        ax.hist(results[name], bins=bins, histtype="step", linewidth=2, color=color, label=f"{name} (std {results[name].std():.2f})")
    ax.set(title="30% of a wine feature hidden at random, then imputed: a spike", xlabel=names[j], ylabel="rows")
    ax.legend(loc="upper right")
    plotting.show_or_save(fig, "ex03_missing_values")


if __name__ == "__main__":
    main()
