"""
Exercise 08: a decision tree classifier (CART): growing it, and predicting with it

Learning goals
--------------
- Grow a tree greedily from the split search of ex07, and stop it with
  max_depth / min_samples_split / min_samples_leaf.
- Store the tree in flat arrays and predict many samples at once.
- Read a tree: its text rendering, its decision regions and its feature importances.

The math
--------
X has shape (n_samples, n_features) and the labels y take K classes. Node t holds
n_t samples with class fractions p_t and impurity I_t (ex07). A leaf predicts its
class fractions (predict_proba) and their argmax. Greedy growth picks, at each node,
the split of ex07 with the largest gain and recurses on both children.
The importance of feature j is the sum of n_t I_t - n_L I_L - n_R I_R over the
nodes t that split on j, normalised to sum to 1 (the "mean decrease in impurity").
With sample weights (the forest of ex10 uses them) every count becomes a sum of weights.

Algorithm
---------
1. At a node, stop (make a leaf) if it is pure, too deep, has fewer than
   min_samples_split samples or cannot give both children min_samples_leaf.
2. Otherwise find the best split with ex07's best_split.
3. Send samples with x_j <= threshold left, the rest right; repeat depth first.
   Like scikit-learn we split even when the best gain is 0 (XOR needs it).
4. Store node i as feature[i], threshold[i], left[i], right[i], value[i].
   Predict by moving all samples down one level per step until each sits in a leaf.

References: L. Breiman, J. Friedman, R. Olshen, C. Stone, Classification and
Regression Trees (1984); T. Hastie, R. Tibshirani, J. Friedman, The Elements of
Statistical Learning, 2nd ed., ch. 9.2; scikit-learn user guide, "Decision Trees".
Builds on: 02-fundamentals-of-machine-learning/ex07_impurity_and_splits.py (splits).
Difficulty: 3 of 3, about 60 minutes.
Run: python 02-fundamentals-of-machine-learning/ex08_decision_tree.py
"""

# %%
from dataclasses import dataclass, fields

import numpy as np

import utils
from utils import data, plotting
from utils.base import BaseEstimator, ClassifierMixin
from utils.validation import check_fitted, check_option, check_positive_int, check_X, check_X_y

splits = utils.load_exercise("02-fundamentals-of-machine-learning/ex07_impurity_and_splits.py", practice=False)
CRITERIA = splits.CRITERIA
EPSILON = np.finfo(float).eps  # a node whose impurity is at most this counts as pure

# %% [markdown]
# ## The tree as flat arrays, and growing it


# %%
@dataclass
class Tree:
    """A fitted binary tree; node 0 is the root and a leaf has feature -1.

    Node i sends a sample x to children_left[i] when x[feature[i]] <= threshold[i],
    else to children_right[i]. value[i] is what the node predicts: class fractions
    for a classifier, the mean target for a regressor.
    """

    feature: np.ndarray  # (n_nodes,) int, -1 at a leaf
    threshold: np.ndarray  # (n_nodes,) float, NaN at a leaf
    children_left: np.ndarray  # (n_nodes,) int, -1 at a leaf
    children_right: np.ndarray  # (n_nodes,) int, -1 at a leaf
    value: np.ndarray  # (n_nodes, n_outputs)
    impurity: np.ndarray  # (n_nodes,)
    n_node_samples: np.ndarray  # (n_nodes,) int, training rows that reach the node
    weighted_n_node_samples: np.ndarray  # (n_nodes,) their total sample weight
    depth: np.ndarray  # (n_nodes,) int, 0 at the root

    node_count = property(lambda self: len(self.feature))
    is_leaf = property(lambda self: self.feature < 0)  # (n_nodes,) bool

    def apply(self, X):
        """The leaf each row of X ends in: all rows move down one level per step.

        X : ndarray of shape (n_samples, n_features). Returns an int ndarray of shape (n_samples,).
        """
        # BEGIN SOLUTION
        # HINT 1: Move all samples down the tree together, one
        # HINT 1: level per loop, until each sits at a leaf.
        # HINT 2: at internal node t: go left when X[row, feature[t]] <= threshold[t];
        # HINT 2:   leaves have feature -1
        # HINT 3: node = zeros(n); rows = arange(n)
        # HINT 3: while rows.size: at = node[rows]; keep only rows where feature[at] >= 0
        # HINT 3:     go_left = X[rows, feature[at]] <= threshold[at]
        # HINT 3:     node[rows] = where(go_left, children_left[at], children_right[at])
        node = np.zeros(len(X), dtype=int)  # (n,): everybody starts at the root
        rows = np.arange(len(X))  # (m,): the rows still at an internal node
        while rows.size:
            at = node[rows]  # (m,)
            internal = self.feature[at] >= 0
            rows, at = rows[internal], at[internal]
            go_left = X[rows, self.feature[at]] <= self.threshold[at]  # (m,)
            node[rows] = np.where(go_left, self.children_left[at], self.children_right[at])
        return node
        # END SOLUTION

    def compute_feature_importances(self, n_features):
        """Total impurity decrease n_t I_t - n_L I_L - n_R I_R per feature, normalised to sum 1.

        Returns an ndarray of shape (n_features,); all zeros for a one-node tree.
        """
        # BEGIN SOLUTION
        # HINT 1: Each split is credited with the weighted impurity
        # HINT 1: it removed, summed per feature, normalised.
        # HINT 2: decrease_t = w_t imp_t - w_left imp_left - w_right imp_right;
        # HINT 2:   importance_j = sum over j's splits
        # HINT 3: inner = internal nodes; weighted = weighted_n_node_samples * impurity
        # HINT 3: decrease = weighted[inner] - weighted[left] - weighted[right]
        # HINT 3: importances = bincount(feature[inner], weights=decrease, minlength=n_features);
        # HINT 3:   divide by sum
        inner = np.flatnonzero(~self.is_leaf)  # (n_internal,)
        weighted = self.weighted_n_node_samples * self.impurity  # (n_nodes,)
        left, right = self.children_left[inner], self.children_right[inner]
        decrease = weighted[inner] - weighted[left] - weighted[right]  # (n_internal,)
        importances = np.bincount(self.feature[inner], weights=decrease, minlength=n_features)  # (n_features,)
        total = importances.sum()
        return importances / total if total > 0 else importances
        # END SOLUTION


def grow_tree(X, T, find_split, node_stats, max_depth=None, min_samples_split=2, min_samples_leaf=1,
              max_features=None, rng=None, sample_weight=None):
    """Grow a tree depth first (left subtree first, like scikit-learn) and return it.

    X : (n_samples, n_features); T : (n_samples, n_outputs), one-hot labels or y[:, None].
    find_split(X_node, T_node, min_samples_leaf) -> (j, threshold, gain) or None, and
    node_stats(T_node) -> (value, impurity): what a node predicts and how mixed it is.
    max_features : int or None, how many of the node's non-constant features to search
        (a fresh random subset drawn with rng at every node); None searches them all.
    sample_weight : (n_samples,) or None, only to record each node's total weight
        (find_split and node_stats see the weights through T). Returns a Tree.
    """
    n, d = X.shape
    # BEGIN SOLUTION
    # HINT 1: Grow depth-first with an explicit stack of (rows, depth,
    # HINT 1: parent, side); each popped entry becomes a node (a leaf,
    # HINT 1: unless no stopping rule applies and find_split finds a cut).
    # HINT 2: node id = number of nodes so far; link it into its parent's children_left/right
    # HINT 3: stack = [(all rows, 0, -1, "")]; while stack: pop; new id; link to parent; node_stats
    # HINT 3:     append a leaf entry; stop if too deep, too few rows, or impurity <= EPSILON
    # HINT 3:     candidates = non-constant features (max_features subset); split = find_split(...)
    # HINT 3:     if split: set feature/threshold; push right child, then left; finally Tree(...)
    nodes = {field.name: [] for field in fields(Tree)}  # one list per Tree field, one entry per node
    stack = [(np.arange(n), 0, -1, "")]  # (sample rows, depth, parent id, "children_left" or "children_right")
    while stack:
        rows, depth, parent, side = stack.pop()
        node = len(nodes["feature"])  # ids in the order nodes are made: depth first, left before right
        if parent >= 0:
            nodes[side][parent] = node
        T_node = T[rows]  # (n_t, n_outputs)
        node_value, node_imp = node_stats(T_node)
        weight = float(len(rows) if sample_weight is None else sample_weight[rows].sum())
        new = dict(feature=-1, threshold=np.nan, children_left=-1, children_right=-1,  # a leaf, unless we split it below
                   value=node_value, impurity=node_imp, n_node_samples=len(rows), weighted_n_node_samples=weight, depth=depth)
        for name, entry in new.items():
            nodes[name].append(entry)
        too_deep = max_depth is not None and depth >= max_depth
        too_small = len(rows) < max(min_samples_split, 2 * min_samples_leaf)
        if too_deep or too_small or node_imp <= EPSILON:  # a pure node is never split
            continue
        X_node = X[rows]  # (n_t, d)
        candidates = np.flatnonzero(X_node.min(axis=0) < X_node.max(axis=0))  # the non-constant features here
        if max_features is not None and max_features < len(candidates):
            candidates = np.sort(rng.permutation(candidates)[:max_features])  # a random subset
        split = find_split(X_node[:, candidates], T_node, min_samples_leaf) if len(candidates) else None
        if split is None:
            continue
        j, threshold, _ = split
        nodes["feature"][node], nodes["threshold"][node] = candidates[j], threshold
        go_left = X_node[:, candidates[j]] <= threshold  # (n_t,)
        stack.append((rows[~go_left], depth + 1, node, "children_right"))
        stack.append((rows[go_left], depth + 1, node, "children_left"))  # on top: the left subtree is built first
    return Tree(**{name: np.array(column) for name, column in nodes.items()})
    # END SOLUTION


# %% [markdown]
# ## Hyperparameter checks shared with the regression tree (ex09) and the forest (ex10)


# %%
def check_tree_params(max_depth, min_samples_split, min_samples_leaf):
    """Raise ValueError for hyperparameters outside their range."""
    check_positive_int(max_depth, "max_depth", allow_none=True)
    check_positive_int(min_samples_leaf, "min_samples_leaf")
    if check_positive_int(min_samples_split, "min_samples_split") < 2:
        raise ValueError(f"min_samples_split must be an int >= 2; got {min_samples_split!r}")


def resolve_max_features(max_features, n_features):
    """How many features to search per split: None (all), "sqrt", "log2", an int or a fraction."""
    rules = {None: n_features, "sqrt": int(np.sqrt(n_features)), "log2": int(np.log2(n_features))}
    if isinstance(max_features, (str, type(None))) and max_features in rules:
        return max(1, rules[max_features])
    if isinstance(max_features, (int, np.integer)) and not isinstance(max_features, bool) and 1 <= max_features <= n_features:
        return int(max_features)
    if isinstance(max_features, (float, np.floating)) and 0 < max_features <= 1:
        return max(1, int(max_features * n_features))
    raise ValueError(f"max_features must be None, 'sqrt', 'log2', an int in [1, {n_features}] or a float in (0, 1]; got {max_features!r}")


# %% [markdown]
# ## The classifier, and the base it shares with the regressor of ex09


# %%
class BaseDecisionTree(BaseEstimator):
    """What a fitted tree does whatever it predicts (the regressor of ex09 shares it)."""

    def _grow(self, X, T, find_split, node_stats, sample_weight=None):
        """grow_tree with this estimator's hyperparameters (max_features_ set by fit)."""
        return grow_tree(X, T, find_split, node_stats, self.max_depth, self.min_samples_split, self.min_samples_leaf,
                         max_features=self.max_features_ if self.max_features_ < X.shape[1] else None,
                         rng=data.as_rng(self.random_state), sample_weight=sample_weight)

    def apply(self, X):
        """The leaf id of each row of X, shape (n,)."""
        check_fitted(self, "tree_")
        return self.tree_.apply(check_X(X, self.n_features_in_, owner=f"this {type(self).__name__}"))

    def get_depth(self):
        check_fitted(self, "tree_")
        return int(self.tree_.depth.max())

    def get_n_leaves(self):
        check_fitted(self, "tree_")
        return int(self.tree_.is_leaf.sum())


class DecisionTreeClassifier(ClassifierMixin, BaseDecisionTree):
    """CART classification tree (scikit-learn's names and defaults).

    criterion : {"gini", "entropy"}; max_depth : int or None (root = depth 0);
    min_samples_split : a node needs this many samples to be split; min_samples_leaf :
    every leaf keeps this many; max_features : None, "sqrt", "log2", int or float,
    features searched per split (a fresh random subset at every node; forests use it);
    random_state : int, Generator or None, used only with max_features.
    Fitted: classes_ (K,) sorted labels (strings too), tree_ (a Tree),
    feature_importances_ (n_features,) summing to 1 (0 for a one-node tree).
    """

    def __init__(self, criterion="gini", max_depth=None, min_samples_split=2, min_samples_leaf=1, max_features=None,
                 random_state=None):
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.max_features = max_features
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        """Grow the tree on X (n_samples, n_features) and labels y (n_samples,). Returns self.

        sample_weight : (n_samples,) positive numbers, or None (all 1); an integer
        weight w counts a row as w copies of it (the forest's bootstrap uses this).
        """
        X, y = check_X_y(X, y, classification=True)
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight, dtype=float)
            if sample_weight.shape != y.shape or not np.all(np.isfinite(sample_weight) & (sample_weight > 0)):
                raise ValueError(f"sample_weight must hold {len(y)} finite positive numbers (no zero weight: drop those samples instead); got shape {sample_weight.shape}")
        check_option(self.criterion, "criterion", CRITERIA)
        check_tree_params(self.max_depth, self.min_samples_split, self.min_samples_leaf)
        self.max_features_ = resolve_max_features(self.max_features, X.shape[1])
        # BEGIN SOLUTION
        # HINT 1: Reuse grow_tree: a classifier's targets are one-hot rows,
        # HINT 1: scaled by the sample weights. It only needs two small
        # HINT 1: callbacks: what a node predicts, and how to find its split.
        # HINT 2: Y = eye(K)[codes] * sample_weight[:, None]; node value = counts / counts.sum()
        # HINT 3: classes_, codes = np.unique(y, return_inverse=True); Y = np.eye(K)[codes] (weighted)
        # HINT 3: node_stats(Y_node): counts = Y_node.sum(0); return counts / counts.sum(), splits.impurity
        # HINT 3: find_split(X_node, Y_node, leaf): return splits.best_split(X_node, Y_node, criterion, leaf)
        # HINT 3: self.tree_ = self._grow(X, Y, find_split, node_stats, sample_weight)
        self.classes_, codes = np.unique(y, return_inverse=True)  # codes: (n_samples,) in 0..K-1
        Y = np.eye(len(self.classes_))[codes]  # (n_samples, K) one-hot
        if sample_weight is not None:
            Y *= sample_weight[:, None]  # a row of weight w counts w times
        criterion = self.criterion

        def node_stats(Y_node):  # a node predicts its class fractions
            counts = Y_node.sum(axis=0)  # (K,): class counts (total weights)
            return counts / counts.sum(), float(splits.impurity(counts, criterion))

        def find_split(X_node, Y_node, leaf):  # the cut that lowers the impurity most
            return splits.best_split(X_node, Y_node, criterion, leaf)

        self.tree_ = self._grow(X, Y, find_split, node_stats, sample_weight)
        # END SOLUTION
        self.n_features_in_ = X.shape[1]
        self.n_classes_ = len(self.classes_)
        self.feature_importances_ = self.tree_.compute_feature_importances(X.shape[1])
        return self

    def predict_proba(self, X):
        """Class fractions of the leaf each row lands in, shape (n, K), columns in classes_ order."""
        leaves = self.apply(X)  # (n,); checks that the model is fitted
        return self.tree_.value[leaves]  # (n, K)

    def predict(self, X):
        """The most frequent class of each row's leaf (a tie goes to the first in classes_)."""
        proba = self.predict_proba(X)  # (n, K); checks that the model is fitted
        return self.classes_[np.argmax(proba, axis=1)]  # (n,)


# %% [markdown]
# ## Reading a tree as text


# %%
def export_text(model, feature_names=None, decimals=2):
    """A text drawing of a fitted tree: "x <= t" above the left subtree, "x >  t" above
    the right one, children indented under parents; a leaf shows its prediction and
    how many training samples reached it."""
    check_fitted(model, "tree_")
    tree, classes = model.tree_, getattr(model, "classes_", None)
    names = list(feature_names) if feature_names is not None else [f"feature_{j}" for j in range(model.n_features_in_)]

    def draw(node, level):  # the lines of the subtree under node, indented by level
        bar = "|   " * level + "|--- "
        if tree.is_leaf[node]:
            shown = f"class: {classes[np.argmax(tree.value[node])]}" if classes is not None else f"value: {tree.value[node, 0]:.{decimals}f}"
            return [f"{bar}{shown}  ({tree.n_node_samples[node]} samples)"]
        name, t = names[tree.feature[node]], tree.threshold[node]
        return ([f"{bar}{name} <= {t:.{decimals}f}"] + draw(tree.children_left[node], level + 1)
                + [f"{bar}{name} >  {t:.{decimals}f}"] + draw(tree.children_right[node], level + 1))

    return "\n".join(draw(0, 0))


# %% [markdown]
# ## Demo


# %%
def main():
    # A small tree on iris, with the species names as (string) labels.
    X, y, feature_names, class_names = data.load_iris(return_names=True)
    labels = np.array(class_names)[y]
    iris_tree = DecisionTreeClassifier(max_depth=3).fit(X, labels)
    print(f"\nIris, max_depth=3 (training accuracy {iris_tree.score(X, labels):.3f}):")
    print(export_text(iris_tree, feature_names))

    # Deeper trees fit the training set better and, past a point, the test set worse.
    X, y = data.make_moons(n_samples=400, noise=0.3, random_state=0)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, random_state=0)
    print("\nTwo moons (noise 0.3)\nmax_depth   leaves   train acc   test acc")
    moons_trees = {}
    for depth in [1, 2, 3, 5, 8, None]:
        model = DecisionTreeClassifier(max_depth=depth).fit(X_train, y_train)
        moons_trees[depth] = model
        train, test = model.score(X_train, y_train), model.score(X_test, y_test)
        print(f"{str(depth):>9}   {model.get_n_leaves():>6}   {train:>9.3f}   {test:>8.3f}")

    # Compare with the library: scikit-learn's tree on the same splits (full depth).
    from sklearn.tree import DecisionTreeClassifier as SklearnTree

    Xc, yc, cancer_names, _ = data.load_breast_cancer(return_names=True)
    Xa, Xb, ya, yb = data.train_test_split(Xc, yc, random_state=0)
    print("\nBreast cancer, full-depth trees, test accuracy (ties in gain may be kept differently)")
    for criterion in CRITERIA:
        ours = DecisionTreeClassifier(criterion=criterion).fit(Xa, ya).score(Xb, yb)
        theirs = SklearnTree(criterion=criterion, random_state=0).fit(Xa, ya).score(Xb, yb)
        print(f"{criterion:<8} ours {ours:.3f}   scikit-learn {theirs:.3f}")
    cancer_tree = DecisionTreeClassifier(max_depth=4).fit(Xc, yc)

    fig, axes = plotting.new_figure(2, 2, width=5.0, height=4.2)
    for ax, depth in zip(axes.flat, [1, 3, None]):
        model = moons_trees[depth]
        title = f"max_depth={depth}: {model.get_n_leaves()} leaves, test acc {model.score(X_test, y_test):.2f}"
        plotting.plot_decision_boundary(ax, model.predict, X_train, y_train, title=title)
    top = np.argsort(cancer_tree.feature_importances_)[::-1][:8]  # the 8 most important features
    ax = axes[1, 1]
    ax.barh(np.arange(len(top))[::-1], cancer_tree.feature_importances_[top], color=plotting.COLORS[0])
    ax.set_yticks(np.arange(len(top))[::-1], labels=[cancer_names[j] for j in top])
    ax.set(xlabel="importance (share of impurity decrease)", title="Breast cancer, max_depth=4: top features")
    fig.suptitle("Decision trees: axis-aligned regions that get finer with depth")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex08_decision_tree")


if __name__ == "__main__":
    main()
