"""Plumbing shared by the tree exercises of module 02 (ex08 tree, ex09 regression tree, ex10 forest).

Not a lesson: the hyperparameter checks every tree estimator runs, and a text drawing of a
fitted tree (in the style of scikit-learn's ``sklearn.tree.export_text``).
"""

import numpy as np

from utils.validation import check_fitted, check_positive_int


def check_tree_params(max_depth, min_samples_split, min_samples_leaf):
    """Raise ValueError for tree hyperparameters outside their range."""
    check_positive_int(max_depth, "max_depth", allow_none=True)
    check_positive_int(min_samples_leaf, "min_samples_leaf")
    if check_positive_int(min_samples_split, "min_samples_split") < 2:
        raise ValueError(f"min_samples_split must be an int >= 2; got {min_samples_split!r}")


def resolve_max_features(max_features, n_features):
    """How many features to search per split: None (all), "sqrt", "log2", an int or a fraction."""
    if max_features is None or (isinstance(max_features, str) and max_features in ("sqrt", "log2")):
        rules = {None: n_features, "sqrt": int(np.sqrt(n_features)), "log2": int(np.log2(n_features))}
        return max(1, rules[max_features])
    if isinstance(max_features, (int, np.integer)) and not isinstance(max_features, bool) and 1 <= max_features <= n_features:
        return int(max_features)
    if isinstance(max_features, (float, np.floating)) and 0 < max_features <= 1:
        return max(1, int(max_features * n_features))
    raise ValueError(
        f"max_features must be None, 'sqrt', 'log2', an int in [1, {n_features}] or a float in (0, 1]; got {max_features!r}"
    )


def export_text(model, feature_names=None, decimals=2):
    """A text drawing of a fitted tree estimator (one with ``tree_`` and ``n_features_in_``).

    An internal node gives two lines, "x <= t" above its left subtree and "x >  t" above
    its right one, children indented under parents; a leaf shows its prediction (the
    class for a classifier with ``classes_``, else the value) and its training samples.
    """
    check_fitted(model, "tree_")
    tree, classes = model.tree_, getattr(model, "classes_", None)
    names = list(feature_names) if feature_names is not None else [f"feature_{j}" for j in range(model.n_features_in_)]

    def draw(node, level):  # the lines of the subtree under node, indented by level
        bar = "|   " * level + "|--- "
        if tree.feature[node] < 0:
            if classes is not None:
                shown = f"class: {classes[np.argmax(tree.value[node])]}"
            else:
                shown = f"value: {tree.value[node, 0]:.{decimals}f}"
            return [f"{bar}{shown}  ({tree.n_node_samples[node]} samples)"]
        name, t = names[tree.feature[node]], tree.threshold[node]
        left = draw(tree.children_left[node], level + 1)
        right = draw(tree.children_right[node], level + 1)
        return [f"{bar}{name} <= {t:.{decimals}f}", *left, f"{bar}{name} >  {t:.{decimals}f}", *right]

    return "\n".join(draw(0, 0))
