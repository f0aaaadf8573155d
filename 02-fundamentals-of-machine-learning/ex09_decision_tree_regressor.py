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
A node holds n_t of the n_samples rows of X, targets y (shape (n_t,)); it predicts their mean
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
   samples on each side) and keep the smallest, by ex07's rule (only cuts between
   distinct values; ties: the lowest feature index, then the smallest threshold).
4. Grow the tree with ex08's grow_tree; predict the mean of the leaf a sample reaches.

References: L. Breiman et al., Classification and Regression Trees (1984), ch. 8;
T. Hastie, R. Tibshirani, J. Friedman, The Elements of Statistical Learning,
2nd ed., ch. 9.2.2.
Builds on: 02-fundamentals-of-machine-learning/ex08_decision_tree.py (tree).
Difficulty: 2 of 3, about 40 minutes.
Run: python 02-fundamentals-of-machine-learning/ex09_decision_tree_regressor.py
"""

# %%
import numpy as np

import utils
from utils import data, plotting
from utils.base import RegressorMixin
from utils.trees import check_tree_params, export_text, resolve_max_features
from utils.validation import check_X_y

tree = utils.load_exercise("02-fundamentals-of-machine-learning/ex08_decision_tree.py", practice=False)

# %% [markdown]
# ## The best split by squared error


# %%
def best_split_squared_error(X, y, min_samples_leaf=1):
    """The split "X[:, j] <= threshold" with the smallest summed squared error of the children.

    X : (n_samples, n_features), the node's samples; y : (n_samples,), their targets;
    min_samples_leaf : the fewest samples a child may get. Returns (j, threshold, gain), gain the
    decrease in variance (weighted by child size), or None when no allowed cut exists.
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
    # HINT 3: child = (max(sse_left, 0) + max(sse_right, 0)) / n; then ex07's cut choice (inf between equal values, argmin)
    # HINT 3: return j, threshold, float(np.var(y) - child_variance)
    order = np.argsort(X.T, axis=1)  # (n_features, n_samples): row j lists the samples by increasing x_j
    X_sorted = X.T[np.arange(d)[:, None], order]  # (n_features, n_samples): row j of X.T in the order of row j
    # Centre first: Q - S^2/m subtracts two large numbers when y sits far from 0
    # (y ~ 1000 +- 1 would lose about 6 of 16 digits); around the mean both stay small.
    y = y - y.mean()  # (n_samples,)
    y_sorted = y[order]  # (n_features, n_samples)
    # Cut after the first m samples, m = lo..hi, so both children keep min_samples_leaf.
    lo, hi = min_samples_leaf, n - min_samples_leaf
    if lo > hi:
        return None
    n_left = np.arange(lo, hi + 1)  # (n_cuts,): the allowed left sizes
    sum_left = np.cumsum(y_sorted, axis=1)[:, lo - 1 : hi]  # (n_features, n_cuts): S of the first m samples
    sq_left = np.cumsum(y_sorted**2, axis=1)[:, lo - 1 : hi]  # (n_features, n_cuts): Q of the first m samples
    sum_total, sq_total = y.sum(), np.sum(y**2)
    sse_left = sq_left - sum_left**2 / n_left  # (n_features, n_cuts)
    sse_right = (sq_total - sq_left) - (sum_total - sum_left) ** 2 / (n - n_left)  # (n_features, n_cuts)
    # Round-off can leave a true 0 at -1e-17; an SSE is never negative.
    child = (np.maximum(sse_left, 0) + np.maximum(sse_right, 0)) / n  # (n_features, n_cuts): weighted child variance
    # From here on it is ex07's rule: no cut between equal values, lowest j and cut on ties, midpoints.
    child = np.where(X_sorted[:, lo - 1 : hi] == X_sorted[:, lo : hi + 1], np.inf, child)  # (n_features, n_cuts)
    j, i = np.unravel_index(np.argmin(child), child.shape)  # the first minimum
    if child[j, i] == np.inf:
        return None
    low, high = X_sorted[j, lo - 1 + i], X_sorted[j, lo + i]
    threshold = low if (low + high) / 2 >= high else (low + high) / 2  # neighbouring floats: keep low
    return int(j), float(threshold), float(np.var(y) - child[j, i])
    # END SOLUTION


# %% [markdown]
# ## The regressor


# %%
class DecisionTreeRegressor(RegressorMixin, tree.BaseDecisionTree):
    """CART regression tree (scikit-learn's names and defaults); criterion "squared_error" only.

    max_depth, min_samples_split, min_samples_leaf, max_features, random_state: as in ex08's
    DecisionTreeClassifier, whose BaseDecisionTree gives apply, get_depth and get_n_leaves.
    Fitted: tree_ (value (n_nodes, 1): each node's mean target), feature_importances_ (n_features,).
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
            X, y.astype(float)[:, None],  # (n_samples, 1): grow_tree works with a column of targets
            find_split=lambda X_node, T_node, leaf: best_split_squared_error(X_node, T_node[:, 0], leaf),
            node_stats=lambda T_node: (T_node.mean(axis=0), float(np.var(T_node))),  # mean and variance
        )
        # END SOLUTION
        self.n_features_in_ = X.shape[1]
        self.feature_importances_ = self.tree_.compute_feature_importances(X.shape[1])
        return self

    def predict(self, X):
        """The mean training target of the leaf each row lands in, shape (n_samples,)."""
        leaves = self.apply(X)  # (n_samples,); checks that the model is fitted
        return self.tree_.value[leaves, 0]  # (n_samples,)


# %% [markdown]
# ## Demo


# %%
def main():
    rng = np.random.default_rng(0)
    x_train, x_test = np.sort(rng.uniform(0, 2 * np.pi, 120)), rng.uniform(0, 2 * np.pi, 1000)  # (120,), (1000,)
    y_train = np.sin(x_train) + 0.3 * rng.standard_normal(120)  # noise sd 0.3: the best test MSE is about 0.09
    y_test = np.sin(x_test) + 0.3 * rng.standard_normal(1000)
    print("Noisy sine, 120 training points\nmax_depth   leaves   train MSE   test MSE")
    depths, train_mse, test_mse, models = [1, 2, 3, 4, 5, 6, 8, 10, None], [], [], {}
    for depth in depths:
        model = models[depth] = DecisionTreeRegressor(max_depth=depth).fit(x_train[:, None], y_train)
        train_mse.append(np.mean((model.predict(x_train[:, None]) - y_train) ** 2))
        test_mse.append(np.mean((model.predict(x_test[:, None]) - y_test) ** 2))
        print(f"{str(depth):>9}   {model.get_n_leaves():>6}   {train_mse[-1]:>9.3f}   {test_mse[-1]:>8.3f}")
    print(f"\nThe depth-2 tree as text:\n{export_text(models[2], feature_names=['x'])}")

    from sklearn.tree import DecisionTreeRegressor as SklearnTree  # compare with the library on diabetes
    Xa, Xb, ya, yb = data.train_test_split(*data.load_diabetes(), stratify=False, random_state=0)
    for depth in [2, 4, 6]:
        ours = DecisionTreeRegressor(max_depth=depth).fit(Xa, ya).score(Xb, yb)
        theirs = SklearnTree(max_depth=depth, random_state=0).fit(Xa, ya).score(Xb, yb)
        print(f"diabetes, max_depth={depth}: test R^2 ours {ours:.3f}, scikit-learn {theirs:.3f}")

    grid = np.linspace(0, 2 * np.pi, 500)  # (500,)
    fig, (ax, ax_mse) = plotting.new_figure(1, 2, width=4.8, height=3.8)
    ax.plot(grid, np.sin(grid), color="grey", linestyle="--", linewidth=1, label="sin(x)")
    for depth in [2, 5]:
        ax.step(grid, models[depth].predict(grid[:, None]), where="mid", label=f"max_depth={depth}")
    ax.scatter(x_train, y_train, s=8, color="black", alpha=0.4)
    ax.set(xlabel="x", ylabel="y", title="A tree is a step function")
    ax.legend(loc="lower left")  # the corner the sine leaves empty
    ax_mse.plot([str(d) for d in depths], train_mse, marker="o", label="train")
    ax_mse.plot([str(d) for d in depths], test_mse, marker="o", label="test")
    ax_mse.axhline(0.09, color="grey", linestyle=":", label="noise variance")
    ax_mse.set(xlabel="max_depth", ylabel="mean squared error", title="Deeper trees chase the noise")
    ax_mse.legend()
    fig.tight_layout()
    plotting.show_or_save(fig, "ex09_decision_tree_regressor")


if __name__ == "__main__":
    main()
