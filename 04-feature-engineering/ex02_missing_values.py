"""
Exercise 02: missing values, imputed by a statistic or by the nearest neighbours

Learning goals
--------------
- Fill missing values with a column statistic (mean, median, most frequent, a
  constant) learned on the training data only, as scikit-learn's SimpleImputer.
- Keep the information "this value was missing" as extra indicator columns.
- Impute from the k nearest rows under the NaN-aware Euclidean distance (KNNImputer).
- See how each choice distorts a feature's distribution: a spike at the mean, a
  smaller variance, weaker correlations.

The math
--------
X has shape (n, d); M is the missing mask of the same shape (M_ij = True when
X_ij is missing). For column j with observed values O_j = {X_ij : not M_ij}:

    mean      s_j = (1 / |O_j|) sum of O_j
    median    s_j = the middle value of sorted O_j (the mean of the two middle ones)
    most_frequent  s_j = the most common value of O_j; ties go to the smallest
    constant  s_j = fill_value
and the imputed X'_ij = s_j where M_ij, X_ij otherwise. A column with no
observed value has no statistic: it is dropped (keep_empty_features=False, the
default, like scikit-learn, which also warns) or filled with 0 (fill_value for
"constant") when keep_empty_features=True.

The NaN-Euclidean distance between rows x and y (both of shape (d,)) uses only
the coordinates present in both, P = {k : x_k and y_k observed}, scaled up to d:

    dist(x, y) = sqrt( d / |P| * sum_{k in P} (x_k - y_k)^2 ),   NaN if P is empty.

KNNImputer fills X_ij from the n_neighbors training rows nearest to row i among
those that have column j observed (the "donors"): their plain average, or their
average weighted by 1 / distance (weights="distance"; a donor at distance 0
takes all the weight). A row with no finite distance to any donor gets the
column mean.

Algorithm
---------
1. fit: compute the mask, then one statistic per column (SimpleImputer), or
   store the training rows (KNNImputer, a lazy learner).
2. transform: replace each missing entry by its column statistic, or by the
   average of its donors' values; drop or zero the empty columns.
3. add_indicator: append the mask columns of the features that had missing
   values during fit (MissingIndicator, features="missing-only").

References: R. J. A. Little, D. B. Rubin, Statistical Analysis with Missing Data,
3rd ed., Wiley, 2019, ch. 1 and 4; O. Troyanskaya et al., "Missing value
estimation methods for DNA microarrays", Bioinformatics 17(6), 2001 (KNN impute).
Difficulty: 2 of 3, about 50 minutes.
Run: python 04-feature-engineering/ex02_missing_values.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.base import BaseEstimator, TransformerMixin
from utils.validation import as_float_array, check_fitted, check_option, check_positive_int, check_X

STRATEGIES = ("mean", "median", "most_frequent", "constant")


# %% [markdown]
# ## Missing-value masks


# %%
def missing_mask(X, missing_values=np.nan):
    """Boolean array of X's shape, True where X holds the missing-value marker."""
    if missing_values is None or (isinstance(missing_values, float) and np.isnan(missing_values)):
        return np.isnan(X)
    if np.isnan(X).any():
        raise ValueError(f"X contains NaN, but missing_values={missing_values!r}; use missing_values=np.nan")
    return X == missing_values


def checked_input(estimator, X, fitted_attribute):
    """X checked against a fitted imputer or indicator (same columns as in fit), and its missing mask."""
    check_fitted(estimator, fitted_attribute)
    X = check_X(X, estimator.n_features_in_, allow_nan=True, owner=f"this {type(estimator).__name__}")
    return X, missing_mask(X, estimator.missing_values)  # (n, d), (n, d)


# %% [markdown]
# ## Implementation: the missing-value indicator


# %%
class MissingIndicator(TransformerMixin, BaseEstimator):
    """Boolean columns that say where values are missing.

    Parameters
    ----------
    missing_values : float, the marker of a missing value (np.nan by default)
    features : {"missing-only", "all"}
        Indicate only the columns that had missing values during fit, or every column.
    error_on_new : bool
        With "missing-only": raise in transform when a column that had no missing
        value during fit has one now (it has no indicator column).

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
        mask = missing_mask(X, self.missing_values)  # (n, d)
        # BEGIN SOLUTION
        # HINT 1: Remember which columns get an indicator: all
        # HINT 1: of them, or those with a missing value in fit.
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
        return mask[:, self.features_]  # (n, n_indicated)
        # END SOLUTION

    def fit_transform(self, X, y=None):
        return self.fit(X).transform(X)


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
    # most_frequent: np.unique sorts the values, and argmax returns the first of the
    # tied maxima, so a tie goes to the smallest value (scikit-learn's rule).
    uniques, counts = np.unique(values, return_counts=True)
    return float(uniques[np.argmax(counts)])
    # END SOLUTION


def column_statistics(X, mask, statistic):
    """statistic(observed values of column j) for every column j of X (n, d); shape (d,).

    mask (n, d) is True where a value is missing. A column with no observed value
    gets NaN. The k-NN imputer (exercise 03) uses it too.
    """
    out = np.full(X.shape[1], np.nan)  # (d,)
    # BEGIN SOLUTION
    # HINT 1: Apply the statistic to each column's observed
    # HINT 1: entries only; fully missing columns stay as is.
    # HINT 2: out[j] = statistic(X[~mask[:, j], j]) if any observed
    for j in range(X.shape[1]):
        observed = X[~mask[:, j], j]  # (n_observed_j,)
        if observed.size:
            out[j] = statistic(observed)
    return out
    # END SOLUTION


class _Imputer(TransformerMixin, BaseEstimator):
    """What SimpleImputer and KNNImputer share: the optional indicator columns and fit_transform."""

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

    def fit_transform(self, X, y=None):
        return self.fit(X).transform(X)


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
        mask = missing_mask(X, self.missing_values)  # (n, d)
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
            statistics = np.full(X.shape[1], fill)  # (d,)
        else:
            statistics = column_statistics(X, mask, lambda values: column_statistic(values, self.strategy))
        empty = mask.all(axis=0)  # (d,), columns with no observed value: dropped (NaN) or kept
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
        # HINT 1: a (d,) row); drop the columns whose statistic is NaN.
        # HINT 2: kept = ~isnan(statistics_); imputed = where(mask, statistics_, X)[:, kept]
        kept = ~np.isnan(self.statistics_)  # (d,), False for the empty columns we drop
        imputed = np.where(mask, self.statistics_, X)[:, kept]  # (n, n_kept): broadcast row of statistics
        # END SOLUTION
        return self._append_indicator(imputed, X)

    def inverse_transform(self, X):
        """Put the missing marker back where the indicator says it was (needs add_indicator=True).

        Columns without an indicator cannot be restored: their imputed values stay.
        Dropped empty columns come back full of the missing marker.
        """
        check_fitted(self, "statistics_")
        if not self.add_indicator:
            raise ValueError("inverse_transform needs add_indicator=True: otherwise nobody knows which values were imputed")
        X = check_X(X, allow_nan=True, owner="this SimpleImputer")
        kept = ~np.isnan(self.statistics_)  # (d,)
        n_indicated = len(self.indicator_.features_)
        if X.shape[1] != kept.sum() + n_indicated:
            raise ValueError(f"X must have {kept.sum() + n_indicated} columns, as transform returns; got shape {X.shape}")
        # BEGIN SOLUTION
        # HINT 1: Put the kept columns back in place (dropped ones become
        # HINT 1: missing_values); the indicator columns at the end say
        # HINT 1: which entries were imputed: set those back to missing.
        # HINT 2: restored[:, kept] = X[:, :kept.sum()]; was_missing = X[:, kept.sum():].astype(bool)
        # HINT 3: restored = full((n, n_features_in_), missing_values);
        # HINT 3:   restored[:, kept] = X[:, :n_kept]
        # HINT 3: was_missing = X[:, n_kept:].astype(bool); columns = restored[:, indicator_.features_]
        # HINT 3: columns[was_missing] = missing_values; restored[:, indicator_.features_] = columns
        restored = np.full((X.shape[0], self.n_features_in_), self.missing_values, dtype=float)  # (n, d)
        restored[:, kept] = X[:, : kept.sum()]
        was_missing = X[:, kept.sum() :].astype(bool)  # (n, n_indicated)
        columns = restored[:, self.indicator_.features_]  # (n, n_indicated), a copy
        columns[was_missing] = self.missing_values
        restored[:, self.indicator_.features_] = columns
        return restored
        # END SOLUTION


# %% [markdown]
# ## Implementation: imputing from the nearest neighbours


# %%
def nan_euclidean_distances(X, Y, missing_values=np.nan):
    """NaN-aware Euclidean distances between the rows of X (n, d) and Y (m, d); shape (n, m).

    Only the coordinates present in both rows count, scaled up by d / (number present).
    NaN where two rows share no present coordinate.
    """
    X, Y = as_float_array(X, "X"), as_float_array(Y, "Y")
    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != Y.shape[1]:
        raise ValueError(f"X and Y must be 2-D with the same number of columns; got {X.shape} and {Y.shape}")
    # BEGIN SOLUTION
    # HINT 1: Compare only the coordinates both rows observe,
    # HINT 1: then scale the sum up to all d coordinates.
    # HINT 2: dist = sqrt(d / n_present * sum over shared coordinates of (x - y)^2);
    # HINT 2:   NaN if nothing shared
    # HINT 3: both = present_x[:, None, :] & present_y[None, :, :]   # (n, m, d)
    # HINT 3: squared = where(both, X[:, None] - Y[None], 0)**2; n_present, total = sums over axis 2
    # HINT 3: scaled = d * total / max(n_present, 1); return where(n_present > 0, sqrt(scaled), NaN)
    present_x, present_y = ~missing_mask(X, missing_values), ~missing_mask(Y, missing_values)
    both = present_x[:, None, :] & present_y[None, :, :]  # (n, m, d)
    # Every pair of rows at once: (n, m, d) numbers, fine for the few thousand rows here.
    # Large data would expand |x - y|^2 = |x|^2 - 2 x.y + |y|^2 into matrix products instead.
    diff = X[:, None, :] - Y[None, :, :]  # (n, m, d), NaN where either is missing
    squared = np.where(both, diff, 0.0) ** 2  # (n, m, d)
    n_present = both.sum(axis=2)  # (n, m)
    total = squared.sum(axis=2)  # (n, m)
    scaled = X.shape[1] * total / np.maximum(n_present, 1)  # max(.., 1): no 0/0 where nothing is shared
    return np.where(n_present > 0, np.sqrt(scaled), np.nan)  # (n, m)
    # END SOLUTION


def donor_weights(distances, weights):
    """Weights of the chosen donors, shape of distances; 0 for a NaN distance.

    "uniform": 1 each. "distance": 1 / distance, except that a row with a donor at
    distance 0 gives weight 1 to its zero-distance donors and 0 to the others.
    """
    check_option(weights, "weights", ("uniform", "distance"))
    finite = np.isfinite(distances)  # (r, k)
    # BEGIN SOLUTION
    # HINT 1: Module 02's k-NN weights (1 or 1 / distance, an exact match taking all the
    # HINT 1: weight), then a NaN distance gets weight 0.
    # HINT 2: w = 1 / d where finite and d > 0; rows with a zero distance: w = (d == 0)
    # HINT 3: d = where(finite, distances, 1.0); if uniform: w = ones_like(d)
    # HINT 3: else: zero = d == 0; w = 1 / where(zero, 1, d); rows with any zero: w = zero
    # HINT 3: return where(finite, w, 0.0)
    d = np.where(finite, distances, 1.0)  # (r, k): a NaN distance becomes 1 (never 0), zeroed below
    if weights == "uniform":
        w = np.ones_like(d)
    else:
        zero = d == 0  # (r, k)
        w = 1.0 / np.where(zero, 1.0, d)  # the where avoids a division by zero
        has_zero = zero.any(axis=1)  # (r,)
        w[has_zero] = zero[has_zero]  # an exact match takes all the weight (ties share it)
    return np.where(finite, w, 0.0)
    # END SOLUTION


class KNNImputer(_Imputer):
    """Impute each missing value from the n_neighbors nearest training rows that have it.

    Parameters
    ----------
    n_neighbors : int >= 1
    weights : {"uniform", "distance"}
    missing_values : float (np.nan by default)
    add_indicator : bool
    keep_empty_features : bool, keep (as zeros) the columns with no observed value in fit

    Attributes
    ----------
    fit_X_ : ndarray of shape (n_train, n_features_in_), the stored training rows
    n_features_in_ : int
    indicator_ : MissingIndicator or None
    """

    def __init__(self, n_neighbors=5, weights="uniform", missing_values=np.nan, add_indicator=False, keep_empty_features=False):
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.missing_values = missing_values
        self.add_indicator = add_indicator
        self.keep_empty_features = keep_empty_features

    def fit(self, X, y=None):
        """Store the training rows (a lazy learner); returns self."""
        check_positive_int(self.n_neighbors, "n_neighbors")
        check_option(self.weights, "weights", ("uniform", "distance"))
        X = check_X(X, allow_nan=True, owner="KNNImputer")
        self.fit_X_ = X.copy()
        self._fit_mask = missing_mask(X, self.missing_values)  # (n_train, d)
        self._valid = ~self._fit_mask.all(axis=0)  # (d,), columns with at least one observed value
        self._fit_indicator(X)
        return self

    def transform(self, X):
        """Impute X from the stored rows; shape (n_samples, n_kept [+ n_indicated])."""
        X, mask = checked_input(self, X, "fit_X_")
        imputed = X.copy()
        # BEGIN SOLUTION
        # HINT 1: Per column j: the receivers are rows missing j, the donors
        # HINT 1: are training rows observing j. Each receiver takes the
        # HINT 1: weighted mean of its k nearest donors' values in column j.
        # HINT 2: d = dist[ix_(receivers, donors)]; nearest = argsort(d)[:, :k];
        # HINT 2:   value = sum(w * v) / sum(w)
        # HINT 3: rows = rows to impute; dist = nan_euclidean_distances(X[rows], fit_X_)
        # HINT 3: per valid column j: receivers = flatnonzero(mask[rows, j]); donors observe j
        # HINT 3:     d = dist[np.ix_(receivers, donors)]; all-NaN rows -> mean of the donors' values
        # HINT 3:     k nearest per receiver (argsort); value = sum(w * donor values) / sum(w)
        rows = np.flatnonzero(mask[:, self._valid].any(axis=1))  # (r,), rows with something to impute
        if rows.size:
            dist = nan_euclidean_distances(X[rows], self.fit_X_, self.missing_values)  # (r, n_train)
            for j in np.flatnonzero(self._valid):
                receivers = np.flatnonzero(mask[rows, j])  # positions in `rows`
                if receivers.size == 0:
                    continue
                donors = np.flatnonzero(~self._fit_mask[:, j])  # (n_donors,)
                d = dist[np.ix_(receivers, donors)]  # (n_receivers, n_donors)
                # A receiver that shares no coordinate with any donor gets the column mean.
                lost = np.isnan(d).all(axis=1)  # (n_receivers,)
                imputed[rows[receivers[lost]], j] = self.fit_X_[donors, j].mean()
                d = d[~lost]
                k = min(self.n_neighbors, donors.size)
                nearest = np.argsort(d, axis=1)[:, :k]  # (n_left, k); NaN distances sort last
                nearest_d = np.take_along_axis(d, nearest, axis=1)  # (n_left, k)
                w = donor_weights(nearest_d, self.weights)  # (n_left, k)
                values = self.fit_X_[donors[nearest], j]  # (n_left, k)
                imputed[rows[receivers[~lost]], j] = (w * values).sum(axis=1) / w.sum(axis=1)
        # END SOLUTION
        if self.keep_empty_features:
            imputed[:, ~self._valid] = 0.0
        else:
            imputed = imputed[:, self._valid]
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

    # Distances need comparable scales (exercise 05): divide each column by its observed
    # standard deviation before KNN, then scale back.
    scale = np.nanstd(X_missing, axis=0)  # (d,)
    results = {"true values": X[:, j]}
    for strategy in ("mean", "median", "most_frequent"):
        results[strategy] = SimpleImputer(strategy=strategy).fit_transform(X_missing)[:, j]
    for k in (1, 5):
        results[f"KNN, k={k}"] = KNNImputer(n_neighbors=k).fit_transform(X_missing / scale)[:, j] * scale[j]

    print(f"{'imputer':<16}{'std':>7}{'corr with phenols':>19}{'RMSE on hidden':>16}")
    for name, column in results.items():
        r = np.corrcoef(column, X[:, partner])[0, 1]
        rmse = np.sqrt(np.mean((column[hidden] - X[hidden, j]) ** 2))
        print(f"{name:<16}{column.std():7.3f}{r:19.3f}{rmse:16.3f}")

    # Compare with the library (scikit-learn is used only here, never above).
    from sklearn.impute import KNNImputer as SkKNNImputer
    from sklearn.impute import SimpleImputer as SkSimpleImputer

    sk_mean = SkSimpleImputer(strategy="mean").fit_transform(X_missing)[:, j]
    sk_knn = SkKNNImputer(n_neighbors=5).fit_transform(X_missing / scale)[:, j] * scale[j]
    print(f"\nmax |ours - sklearn|: mean {np.abs(results['mean'] - sk_mean).max():.1e}, "
          f"KNN {np.abs(results['KNN, k=5'] - sk_knn).max():.1e}")

    fig, axes = plotting.new_figure(1, 3, width=4.4, height=3.8, sharey=True)
    bins = np.linspace(X[:, j].min(), X[:, j].max(), 30)
    for ax, name, color in zip(axes, ["mean", "median", "KNN, k=5"], plotting.COLORS[1:]):
        ax.hist(X[:, j], bins=bins, color="grey", alpha=0.45, label="true")
        ax.hist(results[name], bins=bins, histtype="step", linewidth=2, color=color, label="imputed")
        ax.set(title=f"{name}: std {results[name].std():.2f} (true {X[:, j].std():.2f})", xlabel=names[j])
        ax.legend(loc="upper right")
    axes[0].set_ylabel("rows")
    fig.suptitle("30% of a wine feature hidden at random, then imputed", y=1.02)
    plotting.show_or_save(fig, "ex02_missing_values")


if __name__ == "__main__":
    main()
