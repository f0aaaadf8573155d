"""
Exercise 05: k-nearest neighbours for classification and regression

Learning goals
--------------
- Compute all query-to-training distances at once with one matrix product
  (no Python loop over the query points), in chunks so memory stays bounded.
- Pick the k nearest with np.argpartition, vote (or average) with uniform or
  inverse-distance weights, and break ties the way scikit-learn does.
- See k as the knob between a wiggly boundary that memorises the training set
  (k = 1) and a smooth one that ignores detail (large k).

The math
--------
The training set is X of shape (n, d) with targets y of shape (n,); a batch of
queries is Q of shape (m, d). The squared Euclidean distances expand as

    ||q - x||^2 = ||q||^2 - 2 q . x + ||x||^2,   so   D2 = |Q|^2 - 2 Q X^T + |X|^2   (m, n),

one matrix product plus two broadcasts. Round-off can make an entry slightly
negative (clip at 0) or give 1e-16 for a duplicate point, so after choosing the
k nearest we recompute their distances exactly from the coordinates (an (m, k, d)
array, small).

For the neighbours N(q) of q (k of them) with weights w_j:
    uniform weights   w_j = 1
    distance weights  w_j = 1 / dist(q, x_j); if some distances are 0, those neighbours
                      get weight 1 and the others 0 (as in scikit-learn).
Classifier: score_c(q) = sum of w_j over neighbours with label c; predict_proba is
the scores divided by their sum; predict is the label with the largest score.
Regressor: y_hat(q) = sum_j w_j y_j / sum_j w_j.

Ties. (1) Votes: when two labels get the same score, argmax over classes_ (sorted
labels) returns the first, so the smallest label wins, as in scikit-learn.
(2) Distances: when the k-th and (k+1)-th nearest are equally far, which one gets in
depends on the order of the training data; scikit-learn's documentation says the
same of its own results. Among the chosen k we order equal distances by training index.

Algorithm
---------
1. fit: store X, y (and classes_ = sorted labels for the classifier). That's all.
2. For each chunk of queries: the ranking scores |X|^2 - 2 Q X^T (D2 without the
   |Q|^2 term, which is the same along a row); the k smallest per row with
   np.argpartition (after an exact pre-filter that skips most of a long row, see
   k_smallest_columns); recompute their exact distances; sort them.
3. Weight and vote (classifier) or average (regressor).

References: T. Cover, P. Hart, "Nearest neighbor pattern classification", IEEE Trans.
Information Theory 13(1), 1967; T. Hastie, R. Tibshirani, J. Friedman, The Elements of
Statistical Learning, 2nd ed., ch. 13.3.
Difficulty: 2 of 3, about 40 minutes.
Run: python 02-fundamentals-of-machine-learning/ex05_knn.py
"""

# %%
import numpy as np

import utils
from utils import data, plotting
from utils.base import BaseEstimator, ClassifierMixin, RegressorMixin
from utils.validation import check_X, check_X_y, check_fitted, check_option, check_positive_int

# Work on at most this many query-by-training distances at a time (8 bytes each: 8 MB).
CHUNK_ENTRIES = 2**20
# Columns per group in the pre-filter of k_smallest_columns (see there).
GROUP_SIZE = 16

# %% [markdown]
# ## Input checks


# %%
def check_n_neighbors(k, n_samples):
    """k as an int in 1..n_samples, or a clear ValueError."""
    k = check_positive_int(k, "n_neighbors")
    if k > n_samples:
        raise ValueError(f"n_neighbors={k} is larger than the number of training samples (n_samples={n_samples})")
    return k


# %% [markdown]
# ## Implementation: distances and neighbours


# %%
def squared_distances(Q, X):
    """All squared Euclidean distances between the rows of Q (m, d) and X (n, d), shape (m, n)."""
    # BEGIN SOLUTION
    # HINT 1: Expand |q - x|^2 so that the cross term is one matrix product for all pairs.
    # HINT 2: D2 = |q|^2 (m, 1) - 2 Q @ X.T (m, n) + |x|^2 (1, n); clip at 0 for round-off
    # HINT 3: q2 = row sums of Q * Q as (m, 1); x2 = row sums of X * X as (1, n)
    # HINT 3: return np.maximum(q2 - 2 * Q @ X.T + x2, 0.0)
    q2 = np.einsum("ij,ij->i", Q, Q)[:, None]  # (m, 1), |q|^2 without forming Q * Q twice
    x2 = np.einsum("ij,ij->i", X, X)[None, :]  # (1, n)
    D2 = q2 - 2.0 * (Q @ X.T) + x2  # (m, n)
    return np.maximum(D2, 0.0)  # round-off can push a true 0 slightly below 0
    # END SOLUTION


def k_smallest_columns(scores, k):
    """Column indices of the k smallest entries in each row of scores (c, n), in no particular order.

    np.argpartition(scores, k - 1, axis=1) answers this directly, but on long rows it costs
    more than the matrix product that made the scores. An exact pre-filter shortens the rows
    first. Split the columns into groups of GROUP_SIZE and take each group's minimum; let t be
    the k-th smallest of these minima. The k groups with the smallest minima hold at least k
    scores <= t, while every score in any other group is >= its group's minimum >= t. So the
    k smallest scores of the row can all be found inside those k groups (plus the few columns
    left over when n is not a multiple of GROUP_SIZE), and only these need argpartition.
    """
    c, n = scores.shape
    # BEGIN SOLUTION
    # HINT 1: argpartition finds the k smallest in O(n). For long rows, first
    # HINT 1: find the k best GROUPS by their minimum: the k smallest entries
    # HINT 1: must live in those groups (or in the leftover columns).
    # HINT 2: group g = columns g, g + n_groups, ...:
    # HINT 2:   scores[:, :grouped].reshape(c, GROUP_SIZE, n_groups)
    # HINT 3: if n_groups < 4 * k: return np.argpartition(scores, k - 1, axis=1)[:, :k]
    # HINT 3: group_min = reshaped.min(axis=1); best_groups = argpartition(group_min, k - 1)[:, :k]
    # HINT 3: candidates = members of best_groups + leftover columns
    # HINT 3: pick the k smallest candidate_scores (argpartition); map back to column numbers
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
    """The k nearest training rows of each query, nearest first.

    To rank the candidates of one query we only need |x|^2 - 2 q . x: the term |q|^2
    of squared_distances is the same for all of them, so we skip it. And |x|^2 - 2 q . x
    is itself one dot product, [q, 1] . [-2 x, |x|^2], so one matrix product of these
    augmented rows gives a whole chunk of scores, with no extra passes to scale and shift them.

    Returns
    -------
    dist : ndarray of shape (m, k), exact Euclidean distances, ascending in each row
    idx : ndarray of shape (m, k), row numbers in X (equal distances: smaller index first)
    """
    m, n = len(Q), len(X)
    dist = np.empty((m, k))  # (m, k)
    idx = np.empty((m, k), dtype=np.intp)  # (m, k)
    x2 = np.einsum("ij,ij->i", X, X)  # (n,), computed once for all chunks
    X_aug = np.column_stack([-2.0 * X, x2])  # (n, d + 1), rows [-2 x, |x|^2]
    chunk = max(1, CHUNK_ENTRIES // n)  # queries per chunk
    for start in range(0, m, chunk):
        rows = slice(start, min(start + chunk, m))
        Qc = Q[rows]  # (c, d)
        # BEGIN SOLUTION
        # HINT 1: To rank one query's candidates, drop the term they all share;
        # HINT 1: the rest is one product of augmented rows. Then compute EXACT
        # HINT 1: distances for the k picked and sort them (stable).
        # HINT 2: Q_aug = [Qc, 1] (c, d+1); scores = Q_aug @ X_aug.T (c, n);
        # HINT 2:   exact = sqrt(sum((X[near] - q)**2))
        # HINT 3: Q_aug = np.column_stack([Qc, ones]); scores = Q_aug @ X_aug.T
        # HINT 3: near = k_smallest_columns(scores, k) (all columns if k == n); sort near by index
        # HINT 3: exact = np.sqrt(((X[near] - Qc[:, None, :]) ** 2).sum(axis=2))
        # HINT 3: order = argsort(exact, kind="stable"); dist[rows], idx[rows] via take_along_axis
        Q_aug = np.column_stack([Qc, np.ones(len(Qc))])  # (c, d + 1), rows [q, 1]
        scores = Q_aug @ X_aug.T  # (c, n), = squared distance - |q|^2, one matrix product per chunk
        if k < n:
            # the k smallest, unordered, in O(n) per row (a full sort would be O(n log n))
            near = k_smallest_columns(scores, k)  # (c, k)
        else:
            near = np.broadcast_to(np.arange(n), (len(Qc), n))  # (c, n): everyone is a neighbour
        near = np.sort(near, axis=1)  # (c, k), by index, so that the stable sort below keeps ties in index order
        exact = np.sqrt(np.sum((X[near] - Qc[:, None, :]) ** 2, axis=2))  # (c, k), exact distances
        order = np.argsort(exact, axis=1, kind="stable")  # (c, k)
        dist[rows] = np.take_along_axis(exact, order, axis=1)
        idx[rows] = np.take_along_axis(near, order, axis=1)
        # END SOLUTION
    return dist, idx


def neighbor_weights(dist, weights):
    """Weights of shape (m, k) for the neighbours at distances dist (m, k)."""
    check_option(weights, "weights", ("uniform", "distance"))
    # BEGIN SOLUTION
    # HINT 1: Uniform: all ones. Distance: 1 / dist, but a query that hits a training point exactly
    # HINT 1: must give all the weight to the zero-distance neighbour(s), with no division by zero.
    # HINT 2: w = 1 / where(dist == 0, 1, dist); rows with any zero: w = (dist == 0)
    # HINT 3: if uniform: return ones_like(dist)
    # HINT 3: zero = dist == 0; w = 1.0 / np.where(zero, 1.0, dist)
    # HINT 3: has_zero = zero.any(axis=1); w[has_zero] = zero[has_zero]; return w
    if weights == "uniform":
        return np.ones_like(dist)  # (m, k)
    zero = dist == 0  # (m, k)
    w = 1.0 / np.where(zero, 1.0, dist)  # (m, k); the where avoids a division by zero
    has_zero = zero.any(axis=1)  # (m,)
    w[has_zero] = zero[has_zero]  # an exact match takes all the weight (ties share it)
    return w
    # END SOLUTION


# %% [markdown]
# ## Implementation: the estimators


# %%
class _KNeighborsBase(BaseEstimator):
    """What the classifier and the regressor share: storing the data and finding neighbours."""

    def __init__(self, n_neighbors=5, weights="uniform"):
        self.n_neighbors = n_neighbors
        self.weights = weights

    def _store(self, X, y):
        X, y = check_X_y(X, y, classification=isinstance(self, ClassifierMixin))
        check_n_neighbors(self.n_neighbors, len(X))
        check_option(self.weights, "weights", ("uniform", "distance"))
        self._fit_X = X  # (n, d): k-NN "learns" by remembering
        self.n_features_in_ = X.shape[1]
        return y

    def kneighbors(self, X, n_neighbors=None, return_distance=True):
        """The nearest training samples of each row of X: (dist, idx), each (m, k), nearest first."""
        check_fitted(self, "_fit_X")
        X = check_X(X, self.n_features_in_, owner=f"this {type(self).__name__}")
        k = check_n_neighbors(self.n_neighbors if n_neighbors is None else n_neighbors, len(self._fit_X))
        dist, idx = nearest_neighbors(X, self._fit_X, k)
        return (dist, idx) if return_distance else idx


class KNeighborsClassifier(ClassifierMixin, _KNeighborsBase):
    """k-nearest-neighbour vote.

    Parameters
    ----------
    n_neighbors : int, k
    weights : {"uniform", "distance"}

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,), the sorted labels
    n_features_in_ : int
    """

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
        # HINT 2: cells = arange(m)[:, None] * K + labels (m, k);
        # HINT 2:   scores = bincount(cells, w, minlength=m*K)
        # HINT 3: w = neighbor_weights(dist, self.weights); labels = self._y_idx[idx]
        # HINT 3: cells = np.arange(m)[:, None] * K + labels
        # HINT 3: scores = np.bincount(cells.ravel(), weights=w.ravel(), minlength=m * K).reshape(m, K)
        # HINT 3: return scores / scores.sum(axis=1, keepdims=True)
        w = neighbor_weights(dist, self.weights)  # (m, k)
        m, K = len(idx), len(self.classes_)
        labels = self._y_idx[idx]  # (m, k), class indices of the neighbours
        # Add each neighbour's weight into its (query, class) cell: one bincount over m * K cells.
        cells = np.arange(m)[:, None] * K + labels  # (m, k)
        scores = np.bincount(cells.ravel(), weights=w.ravel(), minlength=m * K).reshape(m, K)  # (m, K)
        return scores / scores.sum(axis=1, keepdims=True)  # (m, K)
        # END SOLUTION

    def predict(self, X):
        """The label with the largest (weighted) vote; a tie goes to the smallest label."""
        proba = self.predict_proba(X)
        # BEGIN SOLUTION
        # HINT 1: Pick the most probable class per row and map it back to a label.
        return self.classes_[np.argmax(proba, axis=1)]  # argmax takes the first of equal maxima
        # END SOLUTION

    def score(self, X, y):
        """Accuracy on (X, y)."""
        return float(np.mean(self.predict(X) == np.asarray(y)))


class KNeighborsRegressor(RegressorMixin, _KNeighborsBase):
    """k-nearest-neighbour (weighted) average.

    Parameters
    ----------
    n_neighbors : int, k
    weights : {"uniform", "distance"}
    """

    def fit(self, X, y):
        """Remember the training data; returns self."""
        y = self._store(X, y)
        try:
            self._y = y.astype(float)  # (n,)
        except ValueError:
            raise ValueError(f"KNeighborsRegressor needs numeric targets; got dtype {y.dtype}") from None
        return self

    def predict(self, X):
        """Weighted mean of the neighbours' targets, shape (n_samples,)."""
        dist, idx = self.kneighbors(X)
        # BEGIN SOLUTION
        # HINT 1: Regression: the prediction is the weighted mean of the neighbours' targets.
        # HINT 2: y_hat = sum(w * y[idx], axis=1) / sum(w, axis=1)
        w = neighbor_weights(dist, self.weights)  # (m, k)
        return np.sum(w * self._y[idx], axis=1) / w.sum(axis=1)  # (m,)
        # END SOLUTION

    def score(self, X, y):
        """R^2 on (X, y)."""
        y = np.asarray(y, dtype=float)
        residual = np.sum((y - self.predict(X)) ** 2)
        total = np.sum((y - y.mean()) ** 2)
        return float(1.0 - residual / total) if total > 0 else float(residual == 0)


# %% [markdown]
# ## Demo


# %%
def main():
    # 1. Real data: test accuracy for a few k. The distance adds up squared differences,
    #    so a feature measured in large units drowns the others unless we standardise.
    print(f"{'data':<6}{'k':>4}{'raw':>10}{'scaled':>10}{'scaled,':>10}")
    print(f"{'':<6}{'':>4}{'uniform':>10}{'uniform':>10}{'distance':>10}")
    for name in ("iris", "wine"):
        X, y = data.load_dataset(name)
        X_tr, X_te, y_tr, y_te = data.train_test_split(X, y, test_size=0.3, random_state=0)
        mean, std = X_tr.mean(axis=0), X_tr.std(axis=0)
        S_tr, S_te = (X_tr - mean) / std, (X_te - mean) / std
        for k in (1, 5, 15):
            raw = KNeighborsClassifier(k).fit(X_tr, y_tr).score(X_te, y_te)
            acc = [KNeighborsClassifier(k, weights=w).fit(S_tr, y_tr).score(S_te, y_te) for w in ("uniform", "distance")]
            print(f"{name:<6}{k:>4}{raw:>10.3f}{acc[0]:>10.3f}{acc[1]:>10.3f}")

    # 2. Compare with the library (scikit-learn only here).
    from sklearn.neighbors import KNeighborsClassifier as SkKNeighborsClassifier

    sk = SkKNeighborsClassifier(5).fit(S_tr, y_tr)
    same = np.mean(sk.predict(S_te) == KNeighborsClassifier(5).fit(S_tr, y_tr).predict(S_te))
    print(f"\nwine, k = 5: our predictions equal scikit-learn's on {100 * same:.0f}% of the test set")

    # 3. Two moons: the decision boundary for k = 1, 5, 25, and accuracy against k.
    X, y = data.make_moons(n_samples=400, noise=0.35, random_state=0)
    X_tr, X_te, y_tr, y_te = data.train_test_split(X, y, test_size=0.5, random_state=0)
    fig, axes = plotting.new_figure(1, 4, width=3.8, height=3.8, layout="constrained")
    for ax, k in zip(axes, (1, 5, 25)):
        model = KNeighborsClassifier(k).fit(X_tr, y_tr)
        plotting.plot_decision_boundary(ax, model.predict, X_tr, y_tr, resolution=150)
        ax.set_title(f"k = {k}: train {model.score(X_tr, y_tr):.2f}, test {model.score(X_te, y_te):.2f}")
    ks = np.arange(1, 101, 6 if utils.quick_mode() else 2)
    train_acc = [KNeighborsClassifier(k).fit(X_tr, y_tr).score(X_tr, y_tr) for k in ks]
    test_acc = [KNeighborsClassifier(k).fit(X_tr, y_tr).score(X_te, y_te) for k in ks]
    axes[3].plot(ks, train_acc, label="training set")
    axes[3].plot(ks, test_acc, label="test set")
    axes[3].set(xscale="log", xlabel="k (log scale)", ylabel="accuracy", title="Accuracy against k")
    axes[3].legend()
    plotting.show_or_save(fig, "ex05_knn")


if __name__ == "__main__":
    main()
