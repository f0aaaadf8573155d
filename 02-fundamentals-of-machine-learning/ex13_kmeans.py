"""
Exercise 13: k-means clustering (Lloyd's algorithm with k-means++ seeding)

Learning goals
--------------
- Alternate the two steps of Lloyd's algorithm (assign each point to its nearest
  centre, move each centre to the mean of its points) and see why the inertia never rises.
- Seed with k-means++ (far points drawn with probability ~ D(x)^2); restart, keep the best.
- Vectorise ||x - c||^2 = ||x||^2 - 2 x . c + ||c||^2; handle a cluster that loses all its points.

The math
--------
X has shape (n_samples, n_features) = (n, d). k = n_clusters centres c_1..c_k (shape (k, d)) and labels l_i in 0..k-1 give
    inertia J = sum_i ||x_i - c_{l_i}||^2.
Assignment step: for fixed centres, l_i = argmin_j ||x_i - c_j||^2 minimises J. Update step:
for fixed labels, c_j = mean of {x_i : l_i = j} minimises J. Each step can only lower J, and
there are finitely many labellings, so Lloyd's algorithm stops, at a local minimum that
depends on the start.

k-means++: c_1 is a uniformly random data point; each next centre is the data point x with
probability D(x)^2 / sum_x' D(x')^2, D(x) the distance from x to its nearest centre so far.
The expected inertia is within O(log k) of the optimum. "Greedy" k-means++ (scikit-learn's
default, and ours) draws 2 + ln k candidates per step and keeps the best. An empty cluster's
centre moves onto the point farthest from its own centre (J still goes down), as in scikit-learn.

Algorithm
---------
1. Seed k centres (k-means++, or k distinct random points for init="random").
2. Repeat up to max_iter times: assign labels, record J; re-seed empty clusters; move each
   centre to its mean. Stop when no label changed, or when the centres moved less than
   tol * (mean feature variance) in total squared distance (scikit-learn's rule).
3. Do it n_init times from different seeds and keep the run with the lowest J.

References: S. Lloyd, "Least squares quantization in PCM", IEEE Trans. Inf. Theory 28(2),
1982; D. Arthur, S. Vassilvitskii, "k-means++: the advantages of careful seeding", SODA 2007.
Difficulty: 2 of 3, about 45 minutes.
Run: python 02-fundamentals-of-machine-learning/ex13_kmeans.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.base import BaseEstimator, ClusterMixin, TransformerMixin
from utils.validation import check_X, check_fitted, check_option, check_positive_int, check_positive_number

# %% [markdown]
# ## Implementation


# %%
def squared_distances(X, centers):
    """||x_i - c_j||^2 for every point and centre, shape (n_samples, n_clusters)."""
    # BEGIN SOLUTION
    # HINT 1: Expand |x - c|^2 so all n * k cross terms come from one matrix product.
    # HINT 2: sq = |x|^2[:, None] - 2 X @ centers.T + |c|^2[None, :]; clip at 0
    x_sq = np.einsum("ij,ij->i", X, X)  # (n_samples,), ||x_i||^2 in one pass, without an (n_samples, n_features) temporary X**2
    c_sq = np.einsum("ij,ij->i", centers, centers)  # (n_clusters,)
    sq = x_sq[:, None] - 2.0 * (X @ centers.T) + c_sq[None, :]  # (n_samples, n_clusters)
    return np.maximum(sq, 0.0)  # round-off can dip below 0 for a point on its centre
    # END SOLUTION


def kmeans_plusplus(X, n_clusters, random_state=None, n_local_trials=None):
    """k-means++ seeding: k data points, each next one drawn with probability ~ D(x)^2.

    n_local_trials candidates per step, the best kept: 1 is the original k-means++, None means
    2 + int(ln k) (greedy). Returns centers (n_clusters, n_features) and the rows picked (n_clusters,).
    """
    X = check_X(X)
    if int(n_clusters) != n_clusters or not 1 <= n_clusters <= len(X):
        raise ValueError(f"n_clusters must be an integer in 1..len(X); got n_clusters={n_clusters} for X with n_samples={len(X)}")
    n_local_trials = check_positive_int(n_local_trials, "n_local_trials", allow_none=True)
    trials = 2 + int(np.log(n_clusters)) if n_local_trials is None else n_local_trials
    rng = data.as_rng(random_state)
    # BEGIN SOLUTION
    # HINT 1: D^2 sampling: draw each new centre with probability ~ squared distance to the nearest
    # HINT 1: centre so far; try several candidates, keep the one that lowers the total most.
    # HINT 2: P(i) = closest_i / sum(closest); new_closest = min(closest, |x - candidate|^2); best by sum
    # HINT 3: indices[0] = rng.integers(n); closest = squared distances to X[indices[0]]
    # HINT 3: for j in 1..k-1: candidates = searchsorted(cumsum(closest), rng.random(trials) * closest.sum(), side="right")
    # HINT 3:     best = argmin of row sums; indices[j], closest = candidates[best], new_closest[best]
    n = len(X)
    indices = np.empty(n_clusters, dtype=int)  # (n_clusters,)
    indices[0] = rng.integers(n)
    closest = squared_distances(X, X[indices[:1]])[:, 0]  # (n_samples,) D(x)^2 to the nearest centre so far
    for j in range(1, n_clusters):
        total = closest.sum()
        if total > 0:
            # Inverse-CDF sampling: the first index whose running sum exceeds u * total.
            # A point with D(x) = 0 adds nothing to the running sum, so it is never picked.
            u = rng.random(trials) * total  # (trials,)
            candidates = np.minimum(np.searchsorted(np.cumsum(closest), u, side="right"), n - 1)  # (trials,)
        else:  # fewer distinct points than clusters: every point is already a centre
            candidates = rng.integers(n, size=trials)
        # D(x)^2 if each candidate were added, and the inertia that would leave: keep the best.
        new_closest = np.minimum(closest[None, :], squared_distances(X[candidates], X))  # (trials, n_samples)
        best = np.argmin(new_closest.sum(axis=1))
        indices[j], closest = candidates[best], new_closest[best]
    return X[indices].copy(), indices
    # END SOLUTION


def assign_labels(X, centers, x_sq=None):
    """Nearest centre of each point: labels (n_samples,) and the squared distance sq_dist (n_samples,) to it.

    x_sq (n_samples,): the squared norms ||x_i||^2 if known (lloyd computes them once); None: here.
    """
    # BEGIN SOLUTION
    # HINT 1: |x|^2 does not change which centre is nearest, so leave it out of
    # HINT 1: the comparison and add it back only for the returned distances.
    # HINT 2: partial[j] = |c_j|^2 - 2 c_j . x (k, n); label = argmin_j partial; sq_dist = min + |x|^2
    # HINT 3: c_sq = |centers|^2; partial = (-2 * centers) @ X.T + c_sq[:, None]
    # HINT 3: best = partial[0]; labels = 0; for j >= 1: closer = partial[j] < best; update best
    # HINT 3: and labels; return labels, np.maximum(best + x_sq, 0.0)
    # ||x||^2 is the same for every centre, so choosing the centre needs only ||c||^2 - 2 c . x.
    c_sq = np.einsum("ij,ij->i", centers, centers)  # (n_clusters,)
    partial = (-2.0 * centers) @ X.T  # (n_clusters, n_samples): one contiguous row per centre
    partial += c_sq[:, None]  # (n_clusters, n_samples), in place
    # Running argmin: each point keeps the best centre so far (k passes over long rows: fast for few k).
    labels = np.zeros(len(X), dtype=np.intp)  # (n_samples,)
    best = partial[0].copy()  # (n_samples,), ||c||^2 - 2 c . x of the best centre so far
    for j in range(1, len(centers)):
        closer = partial[j] < best  # (n_samples,) bool; strict, so a tie keeps the first centre, like argmin
        np.minimum(best, partial[j], out=best)
        labels = np.maximum(labels, j * closer)  # j where closer, else unchanged (all labels so far are < j)
    x_sq = np.einsum("ij,ij->i", X, X) if x_sq is None else x_sq  # (n_samples,)
    return labels, np.maximum(best + x_sq, 0.0)  # (n_samples,), add ||x||^2 back; clip round-off below 0
    # END SOLUTION


def update_centers(X, labels, sq_dist, centers):
    """The mean of each cluster; an empty cluster is re-seeded at the farthest point. labels, sq_dist
    come from assign_labels; returns new_centers (n_clusters, n_features) and labels (re-seeded points moved)."""
    k = len(centers)
    # BEGIN SOLUTION
    # HINT 1: Each new centre is the mean of its points. An empty cluster takes over the farthest point(s).
    # HINT 2: sums = members @ X with members[j, i] = (labels_i == j); centre_j = sums_j / counts_j
    # HINT 3: counts = bincount(labels, minlength=k); for empty clusters reassign the farthest points
    # HINT 3: members = (labels[None, :] == arange(k)[:, None]).astype(float); sums = members @ X
    # HINT 3: new_centers = centers.copy(); new_centers[counts > 0] = sums / counts; return new_centers, labels
    counts = np.bincount(labels, minlength=k)  # (n_clusters,)
    empty = np.flatnonzero(counts == 0)
    if empty.size:
        labels = labels.copy()
        farthest = np.argsort(sq_dist)[::-1][: empty.size]  # the worst-served points
        labels[farthest] = empty[: farthest.size]
        counts = np.bincount(labels, minlength=k)
    members = (labels[None, :] == np.arange(k)[:, None]).astype(float)  # (n_clusters, n_samples): 1 where point i is in cluster j
    sums = members @ X  # (n_clusters, n_features): each cluster's sum of points, one matrix product
    new_centers = centers.copy()
    filled = counts > 0  # still empty only if there are fewer points than clusters
    new_centers[filled] = sums[filled] / counts[filled, None]
    return new_centers, labels
    # END SOLUTION


def lloyd(X, centers, max_iter=300, tol=1e-4):
    """Lloyd's iterations from the given centres. Returns centers (n_clusters, n_features), inertia_history (J after
    each assignment step) and centers_history (the centres before each step, then the final ones)."""
    tol = tol * X.var(axis=0).mean()  # scale the tolerance to the data, as scikit-learn does
    # BEGIN SOLUTION
    # HINT 1: Alternate assignment and update; record inertia; stop when labels repeat or centres barely move.
    # HINT 2: inertia = sum(sq_dist); shift = sum((new_centers - centers)**2); stop if shift <= tol
    # HINT 3: x_sq = |X|^2 once; histories start with centers
    # HINT 3: repeat: labels, sq_dist = assign_labels(X, centers, x_sq); append inertia; stop if labels
    # HINT 3: repeat; new_centers, labels = update_centers(...); record; stop if shift <= tol
    x_sq = np.einsum("ij,ij->i", X, X)  # (n_samples,), ||x_i||^2 once for all the steps
    inertia_history, centers_history = [], [centers]
    previous = None
    for _ in range(max_iter):
        labels, sq_dist = assign_labels(X, centers, x_sq)
        inertia_history.append(float(sq_dist.sum()))
        if previous is not None and np.array_equal(labels, previous):
            break  # nothing changed: the centres are the means already
        new_centers, labels = update_centers(X, labels, sq_dist, centers)
        shift = ((new_centers - centers) ** 2).sum()
        centers, previous = new_centers, labels
        centers_history.append(centers)
        if shift <= tol:
            break
    return centers, inertia_history, centers_history
    # END SOLUTION


class KMeans(ClusterMixin, TransformerMixin, BaseEstimator):
    """k-means clustering with k-means++ or random seeding and n_init restarts.

    init: "k-means++", "random", or centres (n_clusters, n_features); n_init: int or "auto" (1, or
    10 for "random"); tol: see the Algorithm. Fitted: cluster_centers_, labels_, inertia_, and for
    the best run n_iter_, inertia_history_ (J per step) and centers_history_ (the centres per step).
    """

    def __init__(self, n_clusters=8, init="k-means++", n_init="auto", max_iter=300, tol=1e-4, random_state=None):
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def _check_params(self, X):
        check_positive_int(self.n_clusters, "n_clusters")
        check_positive_int(self.max_iter, "max_iter")
        check_positive_number(self.tol, "tol", allow_zero=True)  # 0: run all max_iter steps
        if self.n_clusters > len(X):
            raise ValueError(f"X has too few rows (samples): n_samples={len(X)} should be >= n_clusters={self.n_clusters}")
        if isinstance(self.init, str):
            check_option(self.init, "init", ("k-means++", "random"))
        elif np.shape(self.init) != (self.n_clusters, X.shape[1]):
            raise ValueError(f"init centres must have shape {(self.n_clusters, X.shape[1])}; got {np.shape(self.init)}")
        if isinstance(self.n_init, str):
            if self.n_init != "auto":
                raise ValueError(f"n_init must be 'auto' or a positive integer; got {self.n_init!r}")
            return 10 if isinstance(self.init, str) and self.init == "random" else 1
        return check_positive_int(self.n_init, "n_init")

    def _seed(self, X, rng):
        if isinstance(self.init, str) and self.init == "k-means++":
            return kmeans_plusplus(X, self.n_clusters, rng)[0]
        if isinstance(self.init, str):  # "random": k distinct rows of X
            return X[rng.choice(len(X), size=self.n_clusters, replace=False)].copy()
        return np.array(self.init, dtype=float)

    def fit(self, X, y=None):
        X = check_X(X)
        n_init = self._check_params(X)
        rng = data.as_rng(self.random_state)
        best = None
        for _ in range(n_init):
            centers, inertias, history = lloyd(X, self._seed(X, rng), self.max_iter, self.tol)
            labels, sq_dist = assign_labels(X, centers)  # labels that match the final centres
            inertia = float(sq_dist.sum())
            if best is None or inertia < best[0]:
                best = (inertia, centers, labels, inertias, history)
        self.inertia_, self.cluster_centers_, self.labels_, self.inertia_history_, self.centers_history_ = best
        self.n_iter_ = len(self.inertia_history_)
        self.n_features_in_ = X.shape[1]
        return self

    def _checked(self, X):  # X for a fitted model, with the features seen in fit
        check_fitted(self, "cluster_centers_")
        return check_X(X, self.cluster_centers_.shape[1], owner=f"this {type(self).__name__}")

    def predict(self, X):
        """Index of the nearest centre, shape (n_samples,)."""
        return assign_labels(self._checked(X), self.cluster_centers_)[0]

    def transform(self, X):
        """Euclidean distance to every centre, shape (n_samples, n_clusters)."""
        return np.sqrt(squared_distances(self._checked(X), self.cluster_centers_))

    def score(self, X, y=None):
        """Minus the inertia of X (higher is better, as in scikit-learn)."""
        return -float(assign_labels(self._checked(X), self.cluster_centers_)[1].sum())


# %% [markdown]
# ## Demo


# %%
def main():
    X, _ = data.make_blobs(600, centers=4, cluster_std=1.2, random_state=7)
    # Single runs from random starts can get stuck in a local minimum: restarts fix that.
    print(f"{'start':<22} {'steps':>5} {'final inertia':>13}")
    runs = {f"random, seed {seed}": dict(init="random", n_init=1, random_state=seed) for seed in [3, 6, 27]}
    runs |= {"random, best of 10": dict(init="random", n_init=10, random_state=0), "k-means++, one run": dict(random_state=0)}
    for name, params in runs.items():
        run = KMeans(n_clusters=4, **params).fit(X)
        print(f"{name:<22} {run.n_iter_:>5d} {run.inertia_:>13.1f}")
    ks = np.arange(1, 10)
    inertias = [KMeans(n_clusters=k, n_init=3, random_state=0).fit(X).inertia_ for k in ks]

    history = KMeans(n_clusters=4, init="random", n_init=1, random_state=27).fit(X).centers_history_  # a long walk
    fig, axes = plotting.new_figure(1, 4, width=3.6, height=3.5, layout="constrained")
    for ax, step in zip(axes, [0, len(history) // 3, len(history) - 1]):
        labels, sq_dist = assign_labels(X, history[step])
        plotting.plot_clusters(ax, X, labels, centers=history[step], title=f"step {step}: J = {sq_dist.sum():.0f}")
        trail = np.stack(history[: step + 1])  # (step + 1, n_clusters, n_features): each centre's path so far
        ax.plot(trail[:, :, 0], trail[:, :, 1], color="black", linewidth=1)  # one line per centre
    axes[3].plot(ks, inertias, marker="o")  # it always falls; the bend shows where extra clusters stop paying
    axes[3].set(xlabel="number of clusters k", ylabel="inertia J", title="Elbow: inertia against k")
    fig.suptitle("Lloyd's algorithm from a random start: assign, then move each centre (X) to its mean")
    plotting.show_or_save(fig, "ex13_kmeans_steps")


if __name__ == "__main__":
    main()
