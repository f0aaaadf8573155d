"""
Exercise 04: missing values imputed from the nearest neighbours (KNNImputer)

Learning goals
--------------
- Measure the distance between rows that both have holes: the NaN-aware
  Euclidean distance, on the coordinates both rows observe.
- Impute each missing value from the k nearest training rows that have it (the
  "donors"), as scikit-learn's KNNImputer, with uniform or 1 / distance weights.
- See what it buys over a column statistic (exercise 03): the imputed values keep
  the feature's spread and its correlation with the other features.

The math
--------
X has shape (n_samples, n_features) = (n, d), NaN where a value is missing. The
NaN-Euclidean distance between rows x and y (both of shape (d,)) uses only the
coordinates present in both, P = {k : x_k and y_k observed}, scaled up to d:

    dist(x, y) = sqrt( d / |P| * sum_{k in P} (x_k - y_k)^2 ),   NaN if P is empty.

KNNImputer fills X_ij from the n_neighbors training rows nearest to row i among
those that have column j observed (the donors): their plain average, or their
average weighted by 1 / distance (weights="distance"; a donor at distance 0
takes all the weight, as in module 02's k-NN). A row with no finite distance to
any donor gets the column mean.

Algorithm
---------
1. fit: store the training rows and their missing mask (a lazy learner).
2. transform: distances from the rows to impute to every training row, once;
   then per column, each receiver takes the weighted mean of its k nearest donors.
3. A column with no observed value in fit is dropped or zeroed, and the indicator
   columns are appended, as in exercise 03's SimpleImputer.

References: O. Troyanskaya et al., "Missing value estimation methods for DNA
microarrays", Bioinformatics 17(6), 2001 (KNN impute); R. J. A. Little, D. B. Rubin,
Statistical Analysis with Missing Data, 3rd ed., Wiley, 2019, ch. 4.
Builds on: 04-feature-engineering/ex03_missing_values.py (missing).
Difficulty: 2 of 3, about 30 minutes.
Run: python 04-feature-engineering/ex04_knn_imputation.py
"""

# %%
import numpy as np

import utils
from utils import data, plotting
from utils.validation import as_float_array, check_option, check_positive_int, check_X

# Exercise 03's missing mask, input check and the imputer base class (indicator columns).
missing = utils.load_exercise("04-feature-engineering/ex03_missing_values.py", practice=False)


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
    present_x, present_y = ~missing.missing_mask(X, missing_values), ~missing.missing_mask(Y, missing_values)
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


class KNNImputer(missing._Imputer):
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
    indicator_ : exercise 03's MissingIndicator, or None
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
        self._fit_mask = missing.missing_mask(X, self.missing_values)  # (n_train, d)
        self._valid = ~self._fit_mask.all(axis=0)  # (d,), columns with at least one observed value
        self._fit_indicator(X)
        return self

    def transform(self, X):
        """Impute X from the stored rows; shape (n_samples, n_kept [+ n_indicated])."""
        X, mask = missing.checked_input(self, X, "fit_X_")
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
def main():
    X, _, names = data.load_wine(return_names=True)[:3]
    j = names.index("flavanoids")
    partner = names.index("total_phenols")  # a feature that moves with flavanoids (r ~ 0.86)
    X_missing, hidden = missing.remove_at_random(X, j, fraction=0.3, random_state=0)
    print(f"Wine: {len(X)} rows; hid {len(hidden)} of the {names[j]!r} values (30%) at random.\n")

    # Distances need comparable scales (exercise 07): divide each column by its observed
    # standard deviation before KNN, then scale back.
    scale = np.nanstd(X_missing, axis=0)  # (n_features,)
    results = {"true values": X[:, j], "mean (ex03)": missing.SimpleImputer().fit_transform(X_missing)[:, j]}
    for k in (1, 5):
        results[f"KNN, k={k}"] = KNNImputer(n_neighbors=k).fit_transform(X_missing / scale)[:, j] * scale[j]

    print(f"{'imputer':<16}{'std':>7}{'corr with phenols':>19}{'RMSE on hidden':>16}")
    for name, column in results.items():
        r = np.corrcoef(column, X[:, partner])[0, 1]
        rmse = np.sqrt(np.mean((column[hidden] - X[hidden, j]) ** 2))
        print(f"{name:<16}{column.std():7.3f}{r:19.3f}{rmse:16.3f}")

    # Compare with the library (scikit-learn is used only here, never above).
    from sklearn.impute import KNNImputer as SkKNNImputer

    sk_knn = SkKNNImputer(n_neighbors=5).fit_transform(X_missing / scale)[:, j] * scale[j]
    print(f"\nmax |ours - sklearn| (KNN, k=5): {np.abs(results['KNN, k=5'] - sk_knn).max():.1e}")

    fig, axes = plotting.new_figure(1, 2, width=5.0, height=3.8)
    for ax, name, color in zip(axes, ["mean (ex03)", "KNN, k=5"], plotting.COLORS[1:]):
        ax.scatter(X[:, partner], X[:, j], s=10, color="grey", alpha=0.5, label="true")
        ax.scatter(X[hidden, partner], results[name][hidden], s=14, color=color, label="imputed")
        ax.set(title=f"{name}: r = {np.corrcoef(results[name], X[:, partner])[0, 1]:.2f}",
               xlabel=names[partner], ylabel=names[j])
        ax.legend(loc="upper left")
    fig.suptitle("30% of a wine feature hidden, then imputed: the neighbours keep the relation")
    plotting.show_or_save(fig, "ex04_knn_imputation")


if __name__ == "__main__":
    main()
