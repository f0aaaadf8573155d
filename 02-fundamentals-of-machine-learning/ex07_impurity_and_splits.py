"""
Exercise 07: impurity, and the best split of a node found for all cuts at once

Learning goals
--------------
- Measure how mixed a set of labels is with Gini impurity and entropy, and score
  a split by how much it lowers the impurity.
- Find the best split of a node over every feature and every threshold at once:
  sort each feature, take cumulative class counts, evaluate all cuts in one go.
- See that this one search is the whole of what a decision tree learns at a node
  (ex08 grows the tree by calling it again and again).

The math
--------
X has shape (n_samples, n_features) and the labels y take n_classes = K classes. A node holds
n_t samples with class counts c (shape (K,)) and class fractions p = c / n_t. Its impurity is
    Gini     G(p) = 1 - sum_k p_k^2           (chance two random draws disagree)
    entropy  H(p) = - sum_k p_k log2 p_k      (with 0 log 0 = 0)
Both are 0 for a pure node and largest when the classes are equally mixed.
A split "x_j <= s" sends n_L samples left and n_R right. Its gain is
    gain = I(parent) - (n_L / n_t) I(left) - (n_R / n_t) I(right) >= 0.
Along feature j sorted increasingly, the samples left of cut i are the first i,
so the left class counts for every cut are one cumulative sum of one-hot labels,
and right = total - left. Thresholds sit halfway between consecutive distinct
values. With sample weights (the forest of ex10 uses them) every count becomes
a sum of weights: scale row i of the one-hot labels by w_i.

Algorithm
---------
1. Sort every feature; put the one-hot labels in each feature's order.
2. Take cumulative class counts: the left child of every cut; right = total - left.
3. Score every allowed cut (both children keep min_samples_leaf samples) by its
   weighted child impurity; forbid cuts between equal values.
4. Keep the lowest. Ties: the lowest feature index wins, then the smallest threshold.

References: L. Breiman, J. Friedman, R. Olshen, C. Stone, Classification and
Regression Trees (1984); T. Hastie, R. Tibshirani, J. Friedman, The Elements of
Statistical Learning, 2nd ed., ch. 9.2; scikit-learn user guide, "Decision Trees".
Difficulty: 3 of 3, about 45 minutes.
Run: python 02-fundamentals-of-machine-learning/ex07_impurity_and_splits.py
"""

# %%
import numpy as np

from utils import data, plotting
from utils.validation import as_float_array, check_option

CRITERIA = ("gini", "entropy")

# %% [markdown]
# ## Impurity and the best split of one node


# %%
def impurity(counts, criterion="gini"):
    """Gini impurity or entropy (in bits) from class counts, classes along the FIRST axis.

    counts : (n_classes, ...) non-negative class counts, not all 0 in any column (class axis first:
    a sum over classes then adds K whole blocks, several times faster than many short rows);
    criterion : "gini" or "entropy". Returns shape (...), a float for counts of shape (n_classes,).
    """
    check_option(criterion, "criterion", CRITERIA)
    counts = as_float_array(counts, "counts")
    # BEGIN SOLUTION
    # HINT 1: Turn counts into class fractions along axis 0 (works for any trailing
    # HINT 1: shape), then apply the criterion; 0 * log 0 must count as 0.
    # HINT 2: p = counts / counts.sum(axis=0); gini = 1 - sum(p**2, axis=0);
    # HINT 2:   entropy = -sum(p * log2 p, axis=0)
    # HINT 3: p = counts / counts.sum(axis=0)
    # HINT 3: if gini: return 1 - (p * p).sum(axis=0)
    # HINT 3: log_p = np.log2(p, out=zeros_like(p), where=p > 0); return -(p * log_p).sum(axis=0)
    p = counts / counts.sum(axis=0)  # (n_classes, ...) class fractions
    if criterion == "gini":
        return 1.0 - (p * p).sum(axis=0)
    # 0 * log(0) is 0 by continuity: take the log only where p > 0 (no warning, no NaN).
    log_p = np.log2(p, out=np.zeros_like(p), where=p > 0)  # (n_classes, ...)
    return -(p * log_p).sum(axis=0)
    # END SOLUTION


def best_split(X, Y, criterion="gini", min_samples_leaf=1):
    """The best split "X[:, j] <= threshold" of one node, searched over all features at once.

    X : (n_samples, n_features), the node's samples; Y : (n_samples, n_classes), their labels one-hot
    (row i may be scaled by a sample weight w_i > 0: every count is then a total weight);
    min_samples_leaf : the fewest samples (rows) a child may get. Returns (j, threshold, gain),
    or None when no cut between distinct values leaves both children min_samples_leaf samples.
    Ties: the lowest j, then the smallest threshold.
    """
    X, Y = as_float_array(X, "X", ndim=2, finite=True), as_float_array(Y, "Y", ndim=2, finite=True)
    if X.shape[1] == 0:
        raise ValueError(f"X must have at least one feature to split on; got shape {X.shape}")
    if len(Y) != len(X) or Y.shape[1] == 0:
        raise ValueError(f"Y must have shape (n, K) with n = {len(X)} rows of X and K >= 1; got {Y.shape}")
    n, d = X.shape
    # BEGIN SOLUTION
    # HINT 1: Sort every feature once; then the class counts left of EVERY cut are prefix sums, so
    # HINT 1: all cuts of all features are scored at once, with no Python loop over thresholds.
    # HINT 2: cumulative = cumsum(one-hot counts in sorted order) (K, d, n);
    # HINT 2:   left = cumulative[..., lo-1:hi]
    # HINT 2: child = (w_left * imp(left) + (w_total - w_left) * imp(right)) / w_total  (d, c)
    # HINT 3: order = argsort(X.T, axis=1); X_sorted, counts = X.T and Y.T in that order
    # HINT 3: cumulative = cumsum(counts, 2); total = cumulative[:, 0, -1]; lo, hi = leaf, n - leaf
    # HINT 3: left = cumulative[:, :, lo-1:hi]; right = total[:, None, None] - left; child impurity
    # HINT 3: forbid cuts between equal values (child = inf where X_sorted[:, m-1] == X_sorted[:, m]);
    # HINT 3: j, i = unravel_index(argmin(child)); threshold = midpoint of X_sorted[j, lo-1+i] and X_sorted[j, lo+i]
    # We work feature by feature, so rows are features: X.T has shape (n_features, n_samples). Sorting and
    # summing along the last, contiguous axis is what NumPy does fastest.
    order = np.argsort(X.T, axis=1)  # (n_features, n_samples): row j lists the samples by increasing x_j
    X_sorted = X.T[np.arange(d)[:, None], order]  # (n_features, n_samples): row j of X.T in the order of row j
    counts = np.take(Y.T, order, axis=1)  # (n_classes, n_features, n_samples): one-hot labels in each feature's order
    cumulative = np.cumsum(counts, axis=2)  # (n_classes, n_features, n_samples): [:, j, m-1] = class counts of the first m
    total = cumulative[:, 0, -1]  # (n_classes,): the node's class counts
    # Cutting after the first m samples leaves m on the left and n - m on the right;
    # both must keep min_samples_leaf, so m runs from lo to hi.
    lo, hi = min_samples_leaf, n - min_samples_leaf
    if lo > hi:
        return None
    left = cumulative[:, :, lo - 1 : hi]  # (n_classes, n_features, n_cuts): the n_cuts = hi - lo + 1 allowed cuts
    right = total[:, None, None] - left  # (n_classes, n_features, n_cuts)
    w_total = total.sum()  # samples in the node (their total weight)
    w_left = left.sum(axis=0)  # (n_features, n_cuts): samples on the left of each cut
    child = (w_left * impurity(left, criterion) + (w_total - w_left) * impurity(right, criterion)) / w_total  # (n_features, n_cuts)
    # A cut must fall between two different values: x of the m-th sample < x of the (m+1)-th.
    child = np.where(X_sorted[:, lo - 1 : hi] == X_sorted[:, lo : hi + 1], np.inf, child)  # (n_features, n_cuts)
    # argmin returns the first minimum in row-major order: the lowest j, then the smallest cut.
    j, i = np.unravel_index(np.argmin(child), child.shape)
    if child[j, i] == np.inf:
        return None
    low, high = X_sorted[j, lo - 1 + i], X_sorted[j, lo + i]
    threshold = (low + high) / 2
    if threshold >= high:  # neighbouring floats: the midpoint rounds up to high; keep "low goes left"
        threshold = low
    return int(j), float(threshold), float(impurity(total, criterion) - child[j, i])
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    # A split worked by hand: 4 samples of class 0 and 4 of class 1, cut into [3, 1] | [1, 3].
    parent, left, right = impurity([4, 4]), impurity([3, 1]), impurity([1, 3])
    print(f"Gini: parent {parent:.3f}, children {left:.3f} and {right:.3f}, gain {parent - 0.5 * left - 0.5 * right:.3f}")

    # The first split of a tree on iris: every feature and every cut scored at once.
    X, y, feature_names, _ = data.load_iris(return_names=True)
    Y = np.eye(y.max() + 1)[y]  # (n_samples, n_classes) one-hot
    print("\nIris, best root split per criterion\ncriterion   feature              threshold    gain")
    for criterion in CRITERIA:
        j, threshold, gain = best_split(X, Y, criterion)
        print(f"{criterion:<10}  {feature_names[j]:<20} {threshold:>9.2f}   {gain:.3f}")

    # Compare with the library: the root of scikit-learn's depth-1 tree.
    from sklearn.tree import DecisionTreeClassifier
    stump = DecisionTreeClassifier(max_depth=1, random_state=0).fit(X, y)
    print(f"scikit-learn's root: {feature_names[stump.tree_.feature[0]]} <= {stump.tree_.threshold[0]:.2f}")
    print("(A tie: both cuts set the setosa apart perfectly; scikit-learn visits the features in random order.)")

    # Figure: the two impurities of a two-class node, and the gain of every cut of petal length.
    fig, (ax_i, ax_g) = plotting.new_figure(1, 2, width=5.0, height=3.8)
    p = np.linspace(0.0, 1.0, 201)
    two_classes = np.stack([p, 1.0 - p])  # (2, 201): classes first
    for criterion, color in zip(CRITERIA, plotting.COLORS):
        ax_i.plot(p, impurity(two_classes, criterion), color=color, label=criterion)
    ax_i.set(xlabel="fraction of class 1", ylabel="impurity", title="Impurity of a two-class node")
    ax_i.legend()
    j = 2  # petal length
    values = np.unique(X[:, j])
    thresholds = (values[:-1] + values[1:]) / 2  # every cut between distinct values
    left = ((X[:, j][:, None] <= thresholds).T @ Y).T  # (n_classes, n_cuts): class counts left of each cut
    right = Y.sum(axis=0)[:, None] - left  # (n_classes, n_cuts)
    n_left = left.sum(axis=0)  # (n_cuts,)
    for criterion, color in zip(CRITERIA, plotting.COLORS):
        child = (n_left * impurity(left, criterion) + (len(y) - n_left) * impurity(right, criterion)) / len(y)
        ax_g.plot(thresholds, impurity(Y.sum(axis=0), criterion) - child, ".-", color=color, label=criterion)
    ax_g.set(xlabel=f"threshold on {feature_names[j]}", ylabel="gain", title="Gain of every cut of one feature")
    ax_g.legend()
    fig.tight_layout()
    plotting.show_or_save(fig, "ex07_impurity_and_splits")


if __name__ == "__main__":
    main()
