"""
Exercise 04: missing values imputed from the nearest neighbours (KNNImputer)

Learning goals
--------------
- Measure the distance between rows with holes: the NaN-aware Euclidean distance.
- Impute each missing value from the k nearest training rows that have it (the
  "donors"), as scikit-learn's KNNImputer, with uniform or 1 / distance weights.
- See what it buys over a column mean (exercise 03): the imputed values keep the
  feature's spread and its correlation with the other features.

The math
--------
X has shape (n_samples, n_features) = (n, d), NaN where a value is missing. The
NaN-Euclidean distance between rows x and y (both of shape (d,)) uses only the
coordinates present in both, P = {k : x_k and y_k observed}, scaled up to d:

    dist(x, y) = sqrt( d / |P| * sum_{k in P} (x_k - y_k)^2 ),   NaN if P is empty.

KNNImputer fills X_ij from the n_neighbors training rows nearest to row i that
observe column j (the donors): their average, or weighted by 1 / distance (a donor
at distance 0 takes all the weight, as in module 02's k-NN). A row with no finite
distance to any donor gets the donors' mean.

Algorithm
---------
1. fit: store the training rows and their missing mask (a lazy learner).
2. transform: distances from the rows to impute to every training row, once; then
   per column, each receiver takes the weighted mean of its k nearest donors.
3. Drop (or zero) the columns empty in fit; add_indicator appends the missing mask.

References: O. Troyanskaya et al., "Missing value estimation methods for DNA
microarrays", Bioinformatics 17(6), 2001 (KNN impute); R. J. A. Little, D. B. Rubin,
Statistical Analysis with Missing Data, 3rd ed., Wiley, 2019, ch. 4.
Difficulty: 2 of 3, about 30 minutes.
Run: python 04-feature-engineering/ex04_knn_imputation.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.base import BaseEstimator, TransformerMixin
from utils.validation import as_float_array, check_fitted, check_option, check_positive_int, check_X


# %% [markdown]
# ## Implementation: imputing from the nearest neighbours


# %%
def nan_euclidean_distances(X, Y):
    """NaN-aware Euclidean distances between the rows of X (n_samples_X, n_features), Y (n_samples_Y, n_features): (n_samples_X, n_samples_Y)."""
    X, Y = as_float_array(X, "X", ndim=2), as_float_array(Y, "Y", ndim=2)
    if X.shape[1] != Y.shape[1]:
        raise ValueError(f"X and Y must be 2-D with the same number of columns; got {X.shape} and {Y.shape}")
    # BEGIN SOLUTION
    # HINT 1: Compare only the coordinates both rows observe, then scale the sum up to all d.
    # HINT 2: dist = sqrt(d / n_present * sum over shared coordinates of (x - y)^2), NaN if none
    # HINT 3: both = present_x[:, None, :] & present_y[None, :, :]; squared = where(both, diff, 0)**2
    # HINT 3: scaled = d * total / max(n_present, 1); return where(n_present > 0, sqrt(scaled), NaN)
    # Every pair of rows at once: (n_samples_X, n_samples_Y, n_features) numbers, fine for a few thousand rows.
    both = ~np.isnan(X)[:, None, :] & ~np.isnan(Y)[None, :, :]  # (n_samples_X, n_samples_Y, n_features), present in both rows
    squared = np.where(both, X[:, None, :] - Y[None, :, :], 0.0) ** 2  # (n_samples_X, n_samples_Y, n_features)
    n_present, total = both.sum(axis=2), squared.sum(axis=2)  # (n_samples_X, n_samples_Y) each
    scaled = X.shape[1] * total / np.maximum(n_present, 1)  # max(.., 1): no 0/0 where nothing is shared
    return np.where(n_present > 0, np.sqrt(scaled), np.nan)  # (n_samples_X, n_samples_Y)
    # END SOLUTION


def donor_weights(distances, weights):
    """Weights of the chosen donors, shape of distances: 1 ("uniform") or 1 / distance, 0 for NaN.

    A row with a donor at distance 0 gives weight 1 to its zero-distance donors, 0 to the others.
    """
    check_option(weights, "weights", ("uniform", "distance"))
    finite = np.isfinite(distances)  # (n_receivers, n_neighbors)
    # BEGIN SOLUTION
    # HINT 1: Module 02's k-NN weights (an exact match takes all), then 0 for a NaN distance.
    # HINT 2: w = 1 / d where finite and d > 0; rows with a zero distance: w = (d == 0)
    # HINT 3: d = where(finite, distances, 1.0); w = ones or 1 / where(zero, 1, d);
    # HINT 3: rows with any zero: w = zero; return where(finite, w, 0.0)
    d = np.where(finite, distances, 1.0)  # (n_receivers, n_neighbors): a NaN distance becomes 1 (never 0), zeroed below
    if weights == "uniform":
        w = np.ones_like(d)
    else:
        zero, has_zero = d == 0, (d == 0).any(axis=1)  # (n_receivers, n_neighbors), (n_receivers,)
        w = 1.0 / np.where(zero, 1.0, d)  # the where avoids a division by zero
        w[has_zero] = zero[has_zero]  # an exact match takes all the weight (ties share it)
    return np.where(finite, w, 0.0)
    # END SOLUTION


class KNNImputer(TransformerMixin, BaseEstimator):
    """Impute each missing value (NaN) from the n_neighbors nearest training rows that have it.

    Parameters
    ----------
    n_neighbors : int >= 1
    weights : {"uniform", "distance"}
    add_indicator : bool, append the missing mask of the columns that had a NaN in fit
    keep_empty_features : bool, keep (as zeros) the columns with no observed value in fit

    Attributes
    ----------
    fit_X_ : ndarray of shape (n_train, n_features_in_), the stored training rows
    indicator_features_ : ndarray of int, the columns indicated by add_indicator
    n_features_in_ : int
    """

    _domain = {"allow_nan": True}  # NaN marks a missing value

    def __init__(self, n_neighbors=5, weights="uniform", add_indicator=False, keep_empty_features=False):
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.add_indicator = add_indicator
        self.keep_empty_features = keep_empty_features

    def fit(self, X, y=None):
        """Store the training rows (a lazy learner); returns self."""
        check_positive_int(self.n_neighbors, "n_neighbors")
        check_option(self.weights, "weights", ("uniform", "distance"))
        X = check_X(X, allow_nan=True, owner="KNNImputer")
        self.fit_X_, self._fit_mask = X.copy(), np.isnan(X)  # (n_train, n_features) each
        self._valid = ~self._fit_mask.all(axis=0)  # (n_features,), columns with at least one observed value
        self.indicator_features_ = np.flatnonzero(self._fit_mask.any(axis=0))  # (n_indicated,)
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X):
        """Impute X from the stored rows; shape (n_samples, n_kept [+ n_indicated])."""
        check_fitted(self, "fit_X_")
        X = check_X(X, self.n_features_in_, allow_nan=True, owner="this KNNImputer")
        mask = np.isnan(X)  # (n_samples, n_features)
        imputed = X.copy()
        # BEGIN SOLUTION
        # HINT 1: Per column j, a row missing j (a receiver) takes the weighted mean of the
        # HINT 1: values of its k nearest training rows that observe j (the donors).
        # HINT 2: d = dist[ix_(receivers, donors)]; nearest = argsort(d)[:, :k]; value = sum(w * v) / sum(w)
        # HINT 3: dist = nan_euclidean_distances(X[rows], fit_X_) once; per valid column j:
        # HINT 3:   receivers with only NaN distances -> donors' mean; else k nearest, donor_weights
        rows = np.flatnonzero(mask[:, self._valid].any(axis=1))  # (n_receivers,), rows with something to impute
        dist = nan_euclidean_distances(X[rows], self.fit_X_)  # (n_receivers, n_train); (0, n_train) if none
        for j in np.flatnonzero(self._valid):
            receivers = np.flatnonzero(mask[rows, j])  # positions in `rows`
            if receivers.size == 0:
                continue
            donors = np.flatnonzero(~self._fit_mask[:, j])  # (n_donors,)
            d = dist[np.ix_(receivers, donors)]  # (n_receivers, n_donors)
            # A receiver that shares no coordinate with any donor gets the column mean.
            lost = np.isnan(d).all(axis=1)  # (n_receivers,)
            imputed[rows[receivers[lost]], j] = self.fit_X_[donors, j].mean()
            d, k = d[~lost], min(self.n_neighbors, donors.size)
            nearest = np.argsort(d, axis=1)[:, :k]  # (n_left, n_neighbors); NaN distances sort last
            nearest_d = np.take_along_axis(d, nearest, axis=1)  # (n_left, n_neighbors)
            w = donor_weights(nearest_d, self.weights)  # (n_left, n_neighbors)
            values = self.fit_X_[donors[nearest], j]  # (n_left, n_neighbors)
            imputed[rows[receivers[~lost]], j] = (w * values).sum(axis=1) / w.sum(axis=1)
        # END SOLUTION
        # A column with no observed value in fit: zeros, or dropped (scikit-learn's default).
        imputed = np.where(self._valid, imputed, 0.0) if self.keep_empty_features else imputed[:, self._valid]
        return np.hstack([imputed, mask[:, self.indicator_features_]]) if self.add_indicator else imputed


# %% [markdown]
# ## Demo


# %%
def main():
    from sklearn.impute import SimpleImputer  # exercise 03's mean imputer, from the library

    X, _, names = data.load_wine(return_names=True)[:3]
    j, partner = names.index("flavanoids"), names.index("total_phenols")  # r ~ 0.86 between them
    hidden = np.random.default_rng(0).permutation(len(X))[: round(0.3 * len(X))]  # (n_hidden,)
    X_missing = X.copy()  # (n_samples, n_features)
    X_missing[hidden, j] = np.nan
    # Distances need comparable scales (exercise 07): divide by each column's observed std, then scale back.
    scale = np.nanstd(X_missing, axis=0)  # (n_features,)
    results = {"true values": X[:, j], "mean (ex03)": SimpleImputer().fit_transform(X_missing)[:, j],
               "KNN, k=5": KNNImputer(n_neighbors=5).fit_transform(X_missing / scale)[:, j] * scale[j]}
    print(f"Wine: hid {len(hidden)} of the {len(X)} {names[j]!r} values (30%) at random.")
    print(f"{'imputer':<16}{'std':>7}{'corr with phenols':>19}{'RMSE on hidden':>16}")
    for name, c in results.items():
        rmse = np.sqrt(np.mean((c[hidden] - X[hidden, j]) ** 2))
        print(f"{name:<16}{c.std():7.3f}{np.corrcoef(c, X[:, partner])[0, 1]:19.3f}{rmse:16.3f}")

    fig, axes = plotting.new_figure(1, 2, width=5.0, height=3.8)
    for ax, name, color in zip(axes, ["mean (ex03)", "KNN, k=5"], plotting.COLORS[1:]):
        ax.scatter(X[:, partner], X[:, j], s=10, color="grey", alpha=0.5, label="true")
        ax.scatter(X[hidden, partner], results[name][hidden], s=14, color=color, label="imputed")
        ax.set(title=f"{name}: r = {np.corrcoef(results[name], X[:, partner])[0, 1]:.2f}", xlabel=names[partner], ylabel=names[j])
        ax.legend(loc="upper left")
    fig.suptitle("30% of a wine feature hidden, then imputed: the neighbours keep the relation")
    plotting.show_or_save(fig, "ex04_knn_imputation")


if __name__ == "__main__":
    main()
