"""
Exercise 09: a regression tree, split by variance reduction

Learning goals
--------------
- Turn the classification tree of ex08 into a regression tree by changing two
  things only: a leaf predicts the mean target, and impurity is the variance.
- Score every threshold of every feature at once with cumulative sums of y and y^2.
- See a tree regressor as a piecewise-constant function: deeper trees have more,
  narrower steps and start to follow the noise.

The math
--------
A node holds n_t samples with targets y (shape (n_t,)); it predicts their mean
ybar and its impurity is the mean squared error around that mean, the variance
    I(node) = (1/n_t) sum_i (y_i - ybar)^2 = (1/n_t) SSE.
For the first m samples along a sorted feature, with S = sum y_i and Q = sum y_i^2,
    SSE = Q - S^2 / m,
so the left SSE of every cut comes from the running sums cumsum(y) and cumsum(y^2),
and the right SSE from the totals minus them. The best split minimises
(SSE_left + SSE_right) / n_t, i.e. maximises the variance reduction
    gain = I(parent) - (n_L / n_t) I(left) - (n_R / n_t) I(right).

Algorithm
---------
1. Centre y at the node's mean (this keeps Q - S^2/m free of cancellation).
2. Sort each feature; take cumulative sums of y and y^2 in that order.
3. Compute SSE_left + SSE_right for every allowed cut (at least min_samples_leaf
   samples on each side) and keep the smallest with ex07's choose_cut (only cuts
   between distinct values; ties: the lowest feature index, then the smallest threshold).
4. Grow the tree with ex08's grow_tree; predict the mean of the leaf a sample reaches.

References: L. Breiman et al., Classification and Regression Trees (1984), ch. 8;
T. Hastie, R. Tibshirani, J. Friedman, The Elements of Statistical Learning,
2nd ed., ch. 9.2.2.
Builds on: 02-fundamentals-of-machine-learning/ex07_impurity_and_splits.py (splits),
02-fundamentals-of-machine-learning/ex08_decision_tree.py (tree).
Difficulty: 2 of 3, about 40 minutes.
Run: python 02-fundamentals-of-machine-learning/ex09_decision_tree_regressor.py
"""

# %%
import numpy as np

import utils
from utils import data, plotting
from utils.base import RegressorMixin
from utils.trees import check_tree_params, export_text, resolve_max_features
from utils.validation import check_positive_int, check_X_y

splits = utils.load_exercise("02-fundamentals-of-machine-learning/ex07_impurity_and_splits.py", practice=False)
tree = utils.load_exercise("02-fundamentals-of-machine-learning/ex08_decision_tree.py", practice=False)

# %% [markdown]
# ## The best split by squared error


# %%
def best_split_squared_error(X, y, min_samples_leaf=1):
    """The split "X[:, j] <= threshold" with the smallest summed squared error of the children.

    Parameters
    ----------
    X : ndarray of shape (n, d), the node's samples
    y : ndarray of shape (n,), their targets
    min_samples_leaf : int, the fewest samples a child may get

    Returns
    -------
    (j, threshold, gain) with gain the decrease in variance (weighted by child size),
    or None when no allowed cut exists. Ties: lowest j, then smallest threshold.
    """
    X, y = check_X_y(X, y, numeric_y=True)
    n, d = X.shape
    # BEGIN SOLUTION
    # HINT 1: The SSE of a group follows from its count m, its sum S and
    # HINT 1: its sum of squares Q; prefix sums give S and Q for every
    # HINT 1: cut of every feature at once. Centre y first for accuracy.
    # HINT 2: SSE_left = Q_m - S_m^2 / m; SSE_right = (Q - Q_m) - (S - S_m)^2 / (n - m);
    # HINT 2: child = (SSE_left + SSE_right) / n; gain = var(y) - child
    # HINT 3: order = argsort(X.T, 1); y = y - y.mean(); X_sorted, y_sorted = sorted rows
    # HINT 3: lo, hi as in ex07; n_left = arange(lo, hi + 1); S, Q = cumsums of y_sorted, y_sorted**2
    # HINT 3: child = (max(sse_left, 0) + max(sse_right, 0)) / n; cut = splits.choose_cut(...)
    # HINT 3: return j, threshold, float(np.var(y) - child_variance)
    order = np.argsort(X.T, axis=1)  # (d, n): row j lists the samples by increasing x_j
    X_sorted = X.T[np.arange(d)[:, None], order]  # (d, n): row j of X.T in the order of row j
    # Centre first: Q - S^2/m subtracts two large numbers when y sits far from 0
    # (y ~ 1000 +- 1 would lose about 6 of 16 digits); around the mean both stay small.
    y = y - y.mean()  # (n,)
    y_sorted = y[order]  # (d, n)
    # Cut after the first m samples, m = lo..hi, so both children keep min_samples_leaf.
    lo, hi = min_samples_leaf, n - min_samples_leaf
    if lo > hi:
        return None
    n_left = np.arange(lo, hi + 1)  # (c,): the allowed left sizes
    sum_left = np.cumsum(y_sorted, axis=1)[:, lo - 1 : hi]  # (d, c): S of the first m samples
    sq_left = np.cumsum(y_sorted**2, axis=1)[:, lo - 1 : hi]  # (d, c): Q of the first m samples
    sum_total, sq_total = y.sum(), np.sum(y**2)
    sse_left = sq_left - sum_left**2 / n_left  # (d, c)
    sse_right = (sq_total - sq_left) - (sum_total - sum_left) ** 2 / (n - n_left)  # (d, c)
    # Round-off can leave a true 0 at -1e-17; an SSE is never negative.
    child = (np.maximum(sse_left, 0) + np.maximum(sse_right, 0)) / n  # (d, c): weighted child variance
    # From here on it is ex07's rule: no cut between equal values, lowest j and cut on ties, midpoints.
    cut = splits.choose_cut(child, X_sorted, lo)
    if cut is None:
        return None
    j, threshold, child_variance = cut
    return j, threshold, float(np.var(y) - child_variance)
    # END SOLUTION


# %% [markdown]
# ## The regressor


# %%
class DecisionTreeRegressor(RegressorMixin, tree.BaseDecisionTree):
    """CART regression tree (scikit-learn's names and defaults).

    apply, get_depth and get_n_leaves come from ex08's BaseDecisionTree.

    Parameters
    ----------
    criterion : {"squared_error"}
    max_depth, min_samples_split, min_samples_leaf, max_features, random_state :
        as in ex08's DecisionTreeClassifier

    Attributes
    ----------
    tree_ : tree.Tree, value has shape (n_nodes, 1): the mean target of each node
    feature_importances_ : ndarray of shape (d,), summing to 1 (0 for a one-node tree)
    n_features_in_, max_features_ : int
    """

    def __init__(self, criterion="squared_error", max_depth=None, min_samples_split=2, min_samples_leaf=1,
                 max_features=None, random_state=None):
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.random_state = random_state

    def fit(self, X, y):
        """Grow the tree on X (n_samples, n_features) and real targets y (n_samples,). Returns self."""
        X, y = check_X_y(X, y)
        if self.criterion != "squared_error":
            raise ValueError(f"criterion must be 'squared_error'; got {self.criterion!r}")
        if not np.issubdtype(y.dtype, np.number) or not np.all(np.isfinite(y)):
            raise ValueError(f"Unknown label type: y must hold finite numbers; got dtype {y.dtype}")
        check_tree_params(self.max_depth, self.min_samples_split, self.min_samples_leaf)
        self.max_features_ = resolve_max_features(self.max_features, X.shape[1])
        # BEGIN SOLUTION
        # HINT 1: Same grow_tree as the classifier: targets as a column, a leaf predicts the mean.
        # HINT 2: node_stats(T) = (T.mean(axis=0), var(T));
        # HINT 2:   find_split uses best_split_squared_error on T[:, 0]
        self.tree_ = self._grow(
            X,
            y.astype(float)[:, None],  # (n, 1): grow_tree works with a column of targets
            find_split=lambda X_node, T_node, leaf: best_split_squared_error(X_node, T_node[:, 0], leaf),
            node_stats=lambda T_node: (T_node.mean(axis=0), float(np.var(T_node))),  # mean and variance
        )
        # END SOLUTION
        self.n_features_in_ = X.shape[1]
        self.feature_importances_ = self.tree_.compute_feature_importances(X.shape[1])
        return self

    def predict(self, X):
        """The mean training target of the leaf each row lands in, shape (n_samples,)."""
        leaves = self.apply(X)  # (n,); checks that the model is fitted
        return self.tree_.value[leaves, 0]  # (n,)


# %% [markdown]
# ## Demo


# %%
def noisy_sine(n_samples, noise=0.3, random_state=None):
    """x uniform on [0, 2 pi] (sorted) and y = sin(x) + Gaussian noise, both of shape (n,)."""
    n_samples = check_positive_int(n_samples, "n_samples")
    rng = data.as_rng(random_state)
    x = np.sort(rng.uniform(0, 2 * np.pi, n_samples))  # (n,)
    return x, np.sin(x) + noise * rng.standard_normal(n_samples)


def main():
    x_train, y_train = noisy_sine(120, random_state=0)
    x_test, y_test = noisy_sine(1000, random_state=1)
    X_train, X_test = x_train[:, None], x_test[:, None]  # (n, 1): one feature

    print("Noisy sine, 120 training points (noise sd 0.3, so the best possible test MSE is about 0.09)")
    print("max_depth   leaves   train MSE   test MSE")
    depths = [1, 2, 3, 4, 5, 6, 8, 10, None]
    train_mse, test_mse, models = [], [], {}
    for depth in depths:
        model = DecisionTreeRegressor(max_depth=depth).fit(X_train, y_train)
        models[depth] = model
        train_mse.append(np.mean((model.predict(X_train) - y_train) ** 2))
        test_mse.append(np.mean((model.predict(X_test) - y_test) ** 2))
        print(f"{str(depth):>9}   {model.get_n_leaves():>6}   {train_mse[-1]:>9.3f}   {test_mse[-1]:>8.3f}")

    print("\nThe depth-2 tree as text:")
    print(export_text(models[2], feature_names=["x"]))

    # Compare with the library: scikit-learn's regressor on the diabetes data, same settings.
    from sklearn.tree import DecisionTreeRegressor as SklearnTree

    Xd, yd = data.load_diabetes()
    Xa, Xb, ya, yb = data.train_test_split(Xd, yd, stratify=False, random_state=0)
    print("\nCompare with scikit-learn on diabetes (test R^2)\nmax_depth    ours   sklearn")
    for depth in [2, 4, 6]:
        ours = DecisionTreeRegressor(max_depth=depth).fit(Xa, ya).score(Xb, yb)
        theirs = SklearnTree(max_depth=depth, random_state=0).fit(Xa, ya).score(Xb, yb)
        print(f"{depth:>9}   {ours:>5.3f}   {theirs:>7.3f}")

    grid = np.linspace(0, 2 * np.pi, 500)  # (500,)
    fig, axes = plotting.new_figure(1, 3, width=4.6, height=3.8)
    for ax, depth in zip(axes, [2, 5]):
        model = models[depth]
        ax.plot(grid, np.sin(grid), color="grey", linestyle="--", linewidth=1, label="sin(x)")
        fit = model.predict(grid[:, None])  # (500,)
        plotting.plot_regression_fit(ax, x_train, y_train, grid, fit, label=f"tree, {model.get_n_leaves()} leaves")
        ax.set_title(f"max_depth={depth}: a step function")
        ax.legend(loc="lower left")  # the corner the sine leaves empty
    labels = [str(d) for d in depths]
    axes[2].plot(labels, train_mse, marker="o", label="train")
    axes[2].plot(labels, test_mse, marker="o", label="test")
    axes[2].axhline(0.09, color="grey", linestyle=":", label="noise variance")
    axes[2].set(xlabel="max_depth", ylabel="mean squared error", title="Deeper trees chase the noise")
    axes[2].legend()
    fig.tight_layout()
    plotting.show_or_save(fig, "ex09_decision_tree_regressor")


if __name__ == "__main__":
    main()
