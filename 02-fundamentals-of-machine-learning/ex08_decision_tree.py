"""
Exercise 08: a decision tree classifier (CART): growing it, and predicting with it

Learning goals
--------------
- Grow a tree greedily from the split search of ex07; stop it with max_depth, min_samples_split, min_samples_leaf.
- Store the tree in flat arrays and predict many samples at once.
- Read a tree: its decision regions, its feature importances (feature_importances_), and as text.

The math
--------
X has shape (n_samples, n_features); the labels take n_classes = K classes. Node t holds n_t
samples with class fractions p_t and impurity I_t (ex07). A leaf predicts p_t
(predict_proba) and its argmax. The importance of feature j is the sum of
n_t I_t - n_L I_L - n_R I_R over the nodes t that split on j, normalised to sum
to 1 (the "mean decrease in impurity"). With sample weights (the forest of ex10
uses them) every count becomes a sum of weights.

Algorithm
---------
1. At a node, stop (make a leaf) if it is pure, too deep, has fewer than
   min_samples_split samples or cannot give both children min_samples_leaf.
2. Otherwise split it with ex07's best_split (like scikit-learn, even at gain 0:
   XOR needs it): x_j <= threshold goes left, the rest right; repeat depth first.
3. Store node i as feature[i], threshold[i], left[i], right[i], value[i].
   Predict by moving all samples down one level per step until each sits in a leaf.

References: L. Breiman, J. Friedman, R. Olshen, C. Stone, Classification and Regression Trees
(1984); T. Hastie, R. Tibshirani, J. Friedman, The Elements of Statistical Learning, 2nd ed., ch. 9.2.
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
from utils.trees import check_tree_params, export_text, resolve_max_features  # plumbing, not the lesson
from utils.validation import check_fitted, check_option, check_X, check_X_y

splits = utils.load_exercise("02-fundamentals-of-machine-learning/ex07_impurity_and_splits.py", practice=False)
CRITERIA = splits.CRITERIA
EPSILON = np.finfo(float).eps  # a node whose impurity is at most this counts as pure

# %% [markdown]
# ## The tree as flat arrays, growing it, and the classifier


# %%
@dataclass
class Tree:
    """A fitted binary tree; node 0 is the root. Node i sends x to children_left[i] when
    x[feature[i]] <= threshold[i], else to children_right[i]; a leaf has feature -1. value[i]
    is what node i predicts: class fractions (classifier) or the mean target (regressor)."""

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
        """The leaf (n_samples,) each row of X (n_samples, n_features) ends in; all rows move one level per step."""
        # BEGIN SOLUTION
        # HINT 1: Move all samples down the tree together, one level per loop, until each sits at a leaf.
        # HINT 2: at internal node t: go left when X[row, feature[t]] <= threshold[t]; leaves have feature -1
        # HINT 3: node = zeros(n); rows = arange(n); while rows.size: at = node[rows]; keep rows where
        # HINT 3: feature[at] >= 0; go_left = X[rows, feature[at]] <= threshold[at];
        # HINT 3: node[rows] = where(go_left, children_left[at], children_right[at])
        node = np.zeros(len(X), dtype=int)  # (n_samples,): everybody starts at the root
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
        """Impurity decrease n_t I_t - n_L I_L - n_R I_R summed per feature, normalised to sum 1
        (shape (n_features,); all zeros for a one-node tree)."""
        # BEGIN SOLUTION
        # HINT 1: Each split is credited with the weighted impurity it removed, summed per feature, normalised.
        # HINT 2: decrease_t = w_t imp_t - w_left imp_left - w_right imp_right; importance_j = sum over j's splits
        # HINT 3: inner = internal nodes; weighted = weighted_n_node_samples * impurity
        # HINT 3: decrease = weighted[inner] - weighted[left] - weighted[right]
        # HINT 3: importances = bincount(feature[inner], weights=decrease, minlength=n_features) / its sum
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
    """Grow a Tree depth first (left subtree first, like scikit-learn) and return it.

    X : (n_samples, n_features); T : (n_samples, n_outputs), one-hot labels or y[:, None].
    find_split(X_node, T_node, min_samples_leaf) -> (j, threshold, gain) or None; node_stats(T_node)
    -> (value, impurity). max_features : how many of the node's non-constant features to search (a
    fresh random subset drawn with rng per node; None: all). sample_weight : (n_samples,) or None,
    only to record each node's total weight (find_split and node_stats see it through T).
    """
    n, d = X.shape
    # BEGIN SOLUTION
    # HINT 1: Grow depth-first with an explicit stack of (rows, depth, parent, side); each popped
    # HINT 1: entry becomes a node (a leaf, unless no stopping rule applies and find_split finds a cut).
    # HINT 2: node id = number of nodes so far; link it into its parent's children_left/right
    # HINT 3: stack = [(all rows, 0, -1, "")]; while stack: pop; new id; link to parent; append a leaf entry
    # HINT 3:     from node_stats; stop if too deep, too few rows, or impurity <= EPSILON; candidates = non-constant
    # HINT 3:     features (max_features subset); if find_split(...) splits: set feature/threshold; push right, then left
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
        X_node = X[rows]  # (n_t, n_features)
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


class BaseDecisionTree(BaseEstimator):
    """What a fitted tree does whatever it predicts (the regression tree of ex09 shares it)."""

    def _grow(self, X, T, find_split, node_stats, sample_weight=None):  # max_features_ is set by fit
        return grow_tree(X, T, find_split, node_stats, self.max_depth, self.min_samples_split, self.min_samples_leaf,
                         max_features=self.max_features_ if self.max_features_ < X.shape[1] else None,
                         rng=data.as_rng(self.random_state), sample_weight=sample_weight)

    def apply(self, X):
        """The leaf id of each row of X, shape (n_samples,)."""
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

    criterion "gini" or "entropy"; max_depth None or int (root = depth 0); a node needs
    min_samples_split samples to be split, and every leaf keeps min_samples_leaf; max_features
    (None, "sqrt", "log2", int or float; a fresh random subset per node, drawn from random_state)
    is for forests. Fitted: classes_ (n_classes,) sorted labels (strings too), tree_ (a Tree), and
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
        """Grow the tree on X (n_samples, n_features) and labels y (n_samples,); returns self. An
        integer sample_weight w counts a row as w copies of it (the forest's bootstrap uses this)."""
        X, y = check_X_y(X, y, classification=True)
        sample_weight = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
        if sample_weight is not None and not (sample_weight.shape == y.shape and np.all(np.isfinite(sample_weight) & (sample_weight > 0))):
            raise ValueError(f"sample_weight must hold {len(y)} finite positive numbers (no zero weight: drop those samples instead); got shape {sample_weight.shape}")
        check_option(self.criterion, "criterion", CRITERIA)
        check_tree_params(self.max_depth, self.min_samples_split, self.min_samples_leaf)
        self.max_features_ = resolve_max_features(self.max_features, X.shape[1])
        # BEGIN SOLUTION
        # HINT 1: Reuse grow_tree: the targets are one-hot rows scaled by the sample weights; it needs
        # HINT 1: two small callbacks: what a node predicts, and how to find its split.
        # HINT 2: Y = eye(K)[codes] * sample_weight[:, None]; node value = counts / counts.sum()
        # HINT 3: classes_, codes = np.unique(y, return_inverse=True); Y = np.eye(K)[codes] (weighted); node_stats(Y_node):
        # HINT 3: counts = Y_node.sum(0); return counts / counts.sum(), splits.impurity(...); find_split(X_node, Y_node,
        # HINT 3: leaf) = splits.best_split(...); self.tree_ = self._grow(X, Y, find_split, node_stats, sample_weight)
        self.classes_, codes = np.unique(y, return_inverse=True)  # codes: (n_samples,) in 0..K-1
        Y = np.eye(len(self.classes_))[codes]  # (n_samples, n_classes) one-hot
        if sample_weight is not None:
            Y *= sample_weight[:, None]  # a row of weight w counts w times

        def node_stats(Y_node):  # a node predicts its class fractions
            counts = Y_node.sum(axis=0)  # (n_classes,): class counts (total weights)
            return counts / counts.sum(), float(splits.impurity(counts, self.criterion))

        def find_split(X_node, Y_node, leaf):  # the cut that lowers the impurity most
            return splits.best_split(X_node, Y_node, self.criterion, leaf)

        self.tree_ = self._grow(X, Y, find_split, node_stats, sample_weight)
        # END SOLUTION
        self.n_features_in_ = X.shape[1]
        self.feature_importances_ = self.tree_.compute_feature_importances(X.shape[1])
        return self

    def predict_proba(self, X):
        """Class fractions of the leaf each row lands in, shape (n_samples, n_classes), columns in classes_ order."""
        leaves = self.apply(X)  # (n_samples,); apply checks that the model is fitted
        return self.tree_.value[leaves]  # (n_samples, n_classes)

    def predict(self, X):
        """The most frequent class of each row's leaf (a tie goes to the first in classes_)."""
        proba = self.predict_proba(X)  # (n_samples, n_classes); checks that the model is fitted
        return self.classes_[np.argmax(proba, axis=1)]  # (n_samples,)


# %% [markdown]
# ## Demo


# %%
def main():
    X, y, feature_names, class_names = data.load_iris(return_names=True)
    labels = np.array(class_names)[y]  # string labels work: they end up in classes_
    iris_tree = DecisionTreeClassifier(max_depth=3).fit(X, labels)
    print(f"Iris, max_depth=3 (training accuracy {iris_tree.score(X, labels):.3f}):\n{export_text(iris_tree, feature_names)}")

    # Deeper trees fit the training set better and, past a point, the test set worse.
    X_train, X_test, y_train, y_test = data.train_test_split(*data.make_moons(n_samples=400, noise=0.3, random_state=0), random_state=0)
    print("Two moons (noise 0.3)\nmax_depth   leaves   train acc   test acc")
    moons_trees = {depth: DecisionTreeClassifier(max_depth=depth).fit(X_train, y_train) for depth in [1, 2, 3, 5, 8, None]}
    for depth, model in moons_trees.items():
        print(f"{str(depth):>9}   {model.get_n_leaves():>6}   {model.score(X_train, y_train):>9.3f}   {model.score(X_test, y_test):>8.3f}")
    from sklearn.tree import DecisionTreeClassifier as SklearnTree  # compare with the library
    Xa, Xb, ya, yb = data.train_test_split(*data.load_breast_cancer(), random_state=0)
    ours, theirs = DecisionTreeClassifier().fit(Xa, ya).score(Xb, yb), SklearnTree(random_state=0).fit(Xa, ya).score(Xb, yb)
    print(f"Breast cancer, full-depth trees, test accuracy: ours {ours:.3f}, scikit-learn {theirs:.3f} (ties may differ)")

    fig, axes = plotting.new_figure(1, 3, width=4.4, height=4.0)
    for ax, depth in zip(axes, [1, 3, None]):
        model = moons_trees[depth]
        title = f"max_depth={depth}: {model.get_n_leaves()} leaves, test acc {model.score(X_test, y_test):.2f}"
        plotting.plot_decision_boundary(ax, model.predict, X_train, y_train, title=title)
    fig.suptitle("Decision trees: axis-aligned regions that get finer with depth")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex08_decision_tree")


if __name__ == "__main__":
    main()
