"""
Exercise 05: k-nearest neighbours for classification and regression

Learning goals
--------------
- Compute all query-to-training distances with one matrix product, in chunks.
- Pick the k nearest with np.argpartition; vote (or average) with uniform or
  inverse-distance weights; break ties the way scikit-learn does.
- See k as the knob between a wiggly boundary that memorises (k = 1) and a smooth one.

The math
--------
The training set is X (n_samples, n_features) = (n, d), targets y (n,); queries Q (n_queries, n_features) = (m, d). Then

    ||q - x||^2 = ||q||^2 - 2 q . x + ||x||^2,   so   D2 = |Q|^2 - 2 Q X^T + |X|^2   (m, n),

one matrix product plus two broadcasts. Round-off can make an entry slightly negative
(clip at 0) or give 1e-16 for a duplicate point: we recompute the k chosen exactly.
For the k (n_neighbors) neighbours x_j of q: uniform weights w_j = 1, or distance weights w_j = 1 / dist(q, x_j),
except that neighbours at distance 0, if any, get weight 1 and the others 0 (as in scikit-learn).
Classifier: score_c(q) = sum of w_j over neighbours with label c; predict_proba = scores / their
sum; predict = the label with the largest score (ties: the smallest label). Regressor:
y_hat(q) = sum_j w_j y_j / sum_j w_j. Among the chosen k, equal distances go by training index.

Algorithm
---------
1. fit: store X, y (and classes_ = sorted labels for the classifier). That's all.
2. Per chunk of queries: rank by |X|^2 - 2 Q X^T (D2 without |Q|^2, constant along a
   row); take the k smallest per row (k_smallest_columns); recompute their exact
   distances and sort them. 3. Weight and vote (classifier) or average (regressor).

References: T. Cover, P. Hart, "Nearest neighbor pattern classification", IEEE Trans. Inf.
Theory 13(1), 1967; T. Hastie et al., The Elements of Statistical Learning, 2nd ed., ch. 13.3.
Difficulty: 2 of 3, about 40 minutes.
Run: python 02-fundamentals-of-machine-learning/ex05_knn.py
"""

# %%
import numpy as np

import utils
from utils import data, plotting
from utils.base import BaseEstimator, ClassifierMixin, RegressorMixin
from utils.validation import check_fitted, check_option, check_paired_features, check_positive_int, check_X, check_X_y

CHUNK_ENTRIES = 2**20  # at most this many query-by-training distances at a time (8 bytes each: 8 MB)
GROUP_SIZE = 16  # columns per group in the pre-filter of k_smallest_columns (see there)

# %% [markdown]
# ## Implementation: distances, neighbours, and the estimators


# %%
def check_n_neighbors(k, n_samples):
    """k as an int in 1..n_samples, or a clear ValueError."""
    k = check_positive_int(k, "k (the number of neighbours, n_neighbors)")
    if k > n_samples:
        raise ValueError(f"k (the number of neighbours) n_neighbors={k} is larger than the rows of X (n_samples={n_samples})")
    return k


def squared_distances(Q, X):
    """All squared Euclidean distances between the rows of Q (n_queries, n_features) and X (n_samples, n_features), shape (n_queries, n_samples)."""
    Q, X = check_paired_features(Q, X, ("Q", "X"))
    # BEGIN SOLUTION
    # HINT 1: Expand |q - x|^2 so that the cross term is one matrix product for all pairs.
    # HINT 2: D2 = |q|^2 (m, 1) - 2 Q @ X.T (m, n) + |x|^2 (1, n); clip at 0 for round-off
    # HINT 3: q2 = row sums of Q * Q as (m, 1); x2 = row sums of X * X as (1, n); clip q2 - 2 Q X^T + x2
    q2 = np.einsum("ij,ij->i", Q, Q)[:, None]  # (n_queries, 1), |q|^2 without forming Q * Q twice
    x2 = np.einsum("ij,ij->i", X, X)[None, :]  # (1, n_samples)
    D2 = q2 - 2.0 * (Q @ X.T) + x2  # (n_queries, n_samples)
    return np.maximum(D2, 0.0)  # round-off can push a true 0 slightly below 0
    # END SOLUTION


def k_smallest_columns(scores, k):
    """Column indices of the k smallest entries in each row of scores (c, n), in no particular order.

    np.argpartition(scores, k - 1, axis=1) answers this, but on long rows it costs more than
    the matrix product that made the scores, so an exact pre-filter shortens the rows first:
    take the minimum of each group of GROUP_SIZE columns; let t be the k-th smallest minimum.
    The k groups with the smallest minima hold at least k scores <= t, and every other group
    only scores >= t: the k smallest all lie in those k groups (plus the leftover columns).
    """
    c, n = scores.shape
    # BEGIN SOLUTION
    # HINT 1: For long rows, first find the k best GROUPS by their minimum: the k smallest
    # HINT 1: entries must live in those groups (or in the leftover columns).
    # HINT 2: group g = columns g, g + n_groups, ...: scores[:, :grouped].reshape(c, GROUP_SIZE, n_groups)
    # HINT 3: short rows: argpartition directly; group_min = reshaped.min(axis=1); best_groups =
    # HINT 3: argpartition(group_min, k - 1)[:, :k]; candidates = members of best_groups + leftover
    # HINT 3: columns; pick the k smallest candidate_scores (argpartition); map back to column numbers
    n_groups = n // GROUP_SIZE
    if n_groups < 4 * k:  # short rows: the pre-filter would save little
        return np.argpartition(scores, k - 1, axis=1)[:, :k]  # (c, k)
    grouped = n_groups * GROUP_SIZE  # columns that belong to a group
    # Group g holds the columns g, g + n_groups, g + 2 n_groups, ...: the reshape is a view (no
    # copy), and the minimum over axis 1 compares whole contiguous rows of n_groups entries at once.
    group_min = scores[:, :grouped].reshape(c, GROUP_SIZE, n_groups).min(axis=1)  # (c, n_groups)
    best_groups = np.argpartition(group_min, k - 1, axis=1)[:, :k]  # (c, k)
    members = best_groups[:, :, None] + n_groups * np.arange(GROUP_SIZE)  # (c, k, GROUP_SIZE), column indices
    leftover = np.broadcast_to(np.arange(grouped, n), (c, n - grouped))  # (c, n - grouped), always candidates
    candidates = np.concatenate([members.reshape(c, k * GROUP_SIZE), leftover], axis=1)  # (c, n_candidates)
    candidate_scores = np.take_along_axis(scores, candidates, axis=1)  # (c, n_candidates)
    pick = np.argpartition(candidate_scores, k - 1, axis=1)[:, :k]  # (c, k)
    return np.take_along_axis(candidates, pick, axis=1)  # (c, k)
    # END SOLUTION


def nearest_neighbors(Q, X, k):
    """The k nearest training rows of each query Q (n_queries, n_features) among X (n_samples, n_features), nearest first.

    Ranking one query's candidates needs only |x|^2 - 2 q . x (|q|^2 is shared), itself one dot
    product [q, 1] . [-2 x, |x|^2]: one matrix product of augmented rows scores a whole chunk.
    Returns dist (n_queries, n_neighbors), exact distances ascending, and idx (n_queries, n_neighbors), rows of X (ties: smaller first).
    """
    Q, X = check_paired_features(Q, X, ("Q", "X"))
    k = check_n_neighbors(k, len(X))
    m, n = len(Q), len(X)
    dist, idx = np.empty((m, k)), np.empty((m, k), dtype=np.intp)  # (n_queries, n_neighbors) each
    X_aug = np.column_stack([-2.0 * X, np.einsum("ij,ij->i", X, X)])  # (n_samples, n_features + 1), rows [-2 x, |x|^2], once
    chunk = max(1, CHUNK_ENTRIES // n)  # queries per chunk
    for start in range(0, m, chunk):
        rows = slice(start, min(start + chunk, m))
        Qc = Q[rows]  # (c, n_features), c queries
        # BEGIN SOLUTION
        # HINT 1: To rank one query's candidates, drop the term they all share; the rest is one product
        # HINT 1: of augmented rows. Then compute EXACT distances for the k picked and sort them (stable).
        # HINT 2: Q_aug = [Qc, 1] (c, d+1); scores = Q_aug @ X_aug.T (c, n); exact = sqrt(sum((X[near] - q)**2))
        # HINT 3: scores = [Qc, 1] @ X_aug.T; near = k_smallest_columns(scores, k) (all if k == n), sorted
        # HINT 3: exact = np.sqrt(((X[near] - Qc[:, None, :]) ** 2).sum(axis=2))
        # HINT 3: order = argsort(exact, kind="stable"); dist[rows], idx[rows] via take_along_axis
        Q_aug = np.column_stack([Qc, np.ones(len(Qc))])  # (c, n_features + 1), rows [q, 1]
        scores = Q_aug @ X_aug.T  # (c, n_samples), = squared distance - |q|^2, one matrix product per chunk
        # The k smallest, unordered, in O(n) per row (a full sort would be O(n log n)); k = n: everyone.
        near = k_smallest_columns(scores, k) if k < n else np.broadcast_to(np.arange(n), (len(Qc), n))  # (c, n_neighbors)
        near = np.sort(near, axis=1)  # (c, n_neighbors), by index, so that the stable sort below keeps ties in index order
        exact = np.sqrt(np.sum((X[near] - Qc[:, None, :]) ** 2, axis=2))  # (c, n_neighbors), exact distances
        order = np.argsort(exact, axis=1, kind="stable")  # (c, n_neighbors)
        dist[rows] = np.take_along_axis(exact, order, axis=1)
        idx[rows] = np.take_along_axis(near, order, axis=1)
        # END SOLUTION
    return dist, idx


def neighbor_weights(dist, weights):
    """Weights of shape (n_queries, n_neighbors) for the neighbours at distances dist (n_queries, n_neighbors)."""
    check_option(weights, "weights", ("uniform", "distance"))
    # BEGIN SOLUTION
    # HINT 1: Uniform: all ones. Distance: 1 / dist, but an exact hit of a training point gives all
    # HINT 1: the weight to the zero-distance neighbour(s), with no division by zero.
    # HINT 2: w = 1 / where(dist == 0, 1, dist); rows with any zero: w = (dist == 0)
    # HINT 3: if uniform: return ones_like(dist); zero = dist == 0; w = 1.0 / np.where(zero, 1.0, dist)
    # HINT 3: has_zero = zero.any(axis=1); w[has_zero] = zero[has_zero]; return w
    if weights == "uniform":
        return np.ones_like(dist)  # (n_queries, n_neighbors)
    zero = dist == 0  # (n_queries, n_neighbors)
    w = 1.0 / np.where(zero, 1.0, dist)  # (n_queries, n_neighbors); the where avoids a division by zero
    has_zero = zero.any(axis=1)  # (n_queries,)
    w[has_zero] = zero[has_zero]  # an exact match takes all the weight (ties share it)
    return w
    # END SOLUTION


class _KNeighborsBase(BaseEstimator):
    """What the classifier and the regressor share: storing the data and finding neighbours."""

    def __init__(self, n_neighbors=5, weights="uniform"):
        self.n_neighbors = n_neighbors
        self.weights = weights

    def _store(self, X, y):
        X, y = check_X_y(X, y, classification=isinstance(self, ClassifierMixin))
        check_n_neighbors(self.n_neighbors, len(X))
        check_option(self.weights, "weights", ("uniform", "distance"))
        self._fit_X = X  # (n_samples, n_features): k-NN "learns" by remembering
        self.n_features_in_ = X.shape[1]
        return y

    def kneighbors(self, X, n_neighbors=None, return_distance=True):
        """The nearest training samples of each row of X: (dist, idx), each (n_queries, n_neighbors), nearest first."""
        check_fitted(self, "_fit_X")
        X = check_X(X, self.n_features_in_, owner=f"this {type(self).__name__}")
        k = check_n_neighbors(self.n_neighbors if n_neighbors is None else n_neighbors, len(self._fit_X))
        dist, idx = nearest_neighbors(X, self._fit_X, k)
        return (dist, idx) if return_distance else idx


class KNeighborsClassifier(ClassifierMixin, _KNeighborsBase):
    """k-nearest-neighbour vote: n_neighbors = k, weights "uniform" or "distance"; classes_ = sorted labels."""

    def fit(self, X, y):
        """Remember the training data; returns self."""
        y = self._store(X, y)
        self.classes_, self._y_idx = np.unique(y, return_inverse=True)  # labels -> 0..K-1
        return self

    def predict_proba(self, X):
        """Weighted vote shares, shape (n_samples, n_classes), columns in the order of classes_."""
        dist, idx = self.kneighbors(X)
        # BEGIN SOLUTION
        # HINT 1: Sum each neighbour's weight into its class, per query, then normalise each row.
        # HINT 1: No Python loop: flatten (query, class) into one index and use np.bincount.
        # HINT 2: cells = arange(m)[:, None] * K + labels (m, k); scores = bincount(cells, w, minlength=m*K)
        # HINT 3: w = neighbor_weights(dist, self.weights); labels = self._y_idx[idx]; cells as above
        # HINT 3: scores = np.bincount(cells.ravel(), weights=w.ravel(), minlength=m * K).reshape(m, K)
        # HINT 3: return scores / scores.sum(axis=1, keepdims=True)
        w = neighbor_weights(dist, self.weights)  # (n_queries, n_neighbors)
        m, K = len(idx), len(self.classes_)
        labels = self._y_idx[idx]  # (n_queries, n_neighbors), class indices of the neighbours
        cells = np.arange(m)[:, None] * K + labels  # (n_queries, n_neighbors)
        scores = np.bincount(cells.ravel(), weights=w.ravel(), minlength=m * K).reshape(m, K)  # (n_queries, n_classes)
        return scores / scores.sum(axis=1, keepdims=True)  # (n_queries, n_classes)
        # END SOLUTION

    def predict(self, X):
        """The label with the largest (weighted) vote; a tie goes to the smallest label."""
        proba = self.predict_proba(X)
        # BEGIN SOLUTION
        # HINT 1: Pick the most probable class per row and map it back to a label.
        return self.classes_[np.argmax(proba, axis=1)]  # argmax takes the first of equal maxima
        # END SOLUTION


class KNeighborsRegressor(RegressorMixin, _KNeighborsBase):
    """k-nearest-neighbour (weighted) average: n_neighbors = k, weights "uniform" or "distance"."""

    def fit(self, X, y):
        """Remember the training data; returns self."""
        y = self._store(X, y)
        try:
            self._y = y.astype(float)  # (n_samples,)
        except ValueError:
            raise ValueError(f"KNeighborsRegressor needs numeric targets; got dtype {y.dtype}") from None
        return self

    def predict(self, X):
        """Weighted mean of the neighbours' targets, shape (n_samples,)."""
        dist, idx = self.kneighbors(X)
        # BEGIN SOLUTION
        # HINT 1: Regression: the prediction is the weighted mean of the neighbours' targets.
        # HINT 2: y_hat = sum(w * y[idx], axis=1) / sum(w, axis=1)
        w = neighbor_weights(dist, self.weights)  # (n_queries, n_neighbors)
        return np.sum(w * self._y[idx], axis=1) / w.sum(axis=1)  # (n_queries,)
        # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    # Test accuracy for a few k. A feature in large units drowns the others unless we standardise.
    print(f"{'data':<6}{'k':>4}{'raw, uniform':>14}{'scaled, uniform':>17}{'scaled, distance':>18}")
    for name in ("iris", "wine"):
        X_tr, X_te, y_tr, y_te = data.train_test_split(*data.load_dataset(name), test_size=0.3, random_state=0)
        mean, std = X_tr.mean(axis=0), X_tr.std(axis=0)
        S_tr, S_te = (X_tr - mean) / std, (X_te - mean) / std
        for k in (1, 5, 15):
            raw = KNeighborsClassifier(k).fit(X_tr, y_tr).score(X_te, y_te)
            acc = [KNeighborsClassifier(k, weights=w).fit(S_tr, y_tr).score(S_te, y_te) for w in ("uniform", "distance")]
            print(f"{name:<6}{k:>4}{raw:>14.3f}{acc[0]:>17.3f}{acc[1]:>18.3f}")
    dist, idx = nearest_neighbors(S_te, S_tr, 5)  # the ranking trick against the full distance matrix
    gap = np.abs(dist - np.sqrt(np.take_along_axis(squared_distances(S_te, S_tr), idx, axis=1))).max()
    from sklearn.neighbors import KNeighborsClassifier as SkKNeighborsClassifier  # and against the library
    same = np.mean(SkKNeighborsClassifier(5).fit(S_tr, y_tr).predict(S_te) == KNeighborsClassifier(5).fit(S_tr, y_tr).predict(S_te))
    print(f"wine, k = 5: max |dist - sqrt(D2)| = {gap:.1e}; predictions equal scikit-learn's on {100 * same:.0f}%")

    # Two moons: the boundary for k = 1 and k = 25, and accuracy against k.
    X_tr, X_te, y_tr, y_te = data.train_test_split(*data.make_moons(n_samples=400, noise=0.35, random_state=0),
                                                   test_size=0.5, random_state=0)
    fig, axes = plotting.new_figure(1, 3, width=3.8, height=3.8, layout="constrained")
    for ax, k in zip(axes, (1, 25)):
        model = KNeighborsClassifier(k).fit(X_tr, y_tr)
        plotting.plot_decision_boundary(ax, model.predict, X_tr, y_tr, resolution=150)
        ax.set_title(f"k = {k}: train {model.score(X_tr, y_tr):.2f}, test {model.score(X_te, y_te):.2f}")
    ks = np.arange(1, 101, 6 if utils.quick_mode() else 2)
    for label, X_eval, y_eval in [("training set", X_tr, y_tr), ("test set", X_te, y_te)]:
        axes[2].plot(ks, [KNeighborsClassifier(k).fit(X_tr, y_tr).score(X_eval, y_eval) for k in ks], label=label)
    axes[2].set(xscale="log", xlabel="k (log scale)", ylabel="accuracy", title="Accuracy against k")
    axes[2].legend()
    plotting.show_or_save(fig, "ex05_knn")


if __name__ == "__main__":
    main()
