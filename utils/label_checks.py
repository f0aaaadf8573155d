"""Input checks for the metrics of module 03 (labels, label pairs, binary scores).

They were first written inside 03.04 (classification metrics) and 03.07 (ROC); they
live here so that 03.05-03.08 can check their input without loading those lessons.

    y_true, y_pred = check_1d_pair(y_true, y_pred)              # 1-D, same non-zero length
    y_true, y_pred, labels = check_targets(y_true, y_pred)      # discrete labels of one type
    is_pos, scores = check_binary_scores(y_true, y_score)       # two classes, finite scores
    check_both_classes(is_pos, "the AUC")                       # positives and negatives present
"""

import numpy as np

from utils.validation import as_float_array

__all__ = ["check_1d_pair", "check_targets", "check_binary_scores", "check_both_classes"]


def check_1d_pair(a, b, names=("y_true", "y_pred"), dtype=None):
    """a and b as 1-D arrays of the same, non-zero length (converted to dtype if given), or a clear ValueError."""
    first, second = names
    if dtype is float:  # numbers expected: text gets a TypeError that names the argument
        a, b = as_float_array(a, first), as_float_array(b, second)
    a, b = np.asarray(a, dtype=dtype), np.asarray(b, dtype=dtype)
    if a.ndim != 1 or b.ndim != 1:
        raise ValueError(f"{first} and {second} must be 1-D arrays of shape (n_samples,); got shapes {a.shape} and {b.shape}")
    if len(a) != len(b):
        raise ValueError(f"{first} and {second} must have the same length; got {len(a)} and {len(b)}")
    if len(a) == 0:
        raise ValueError(f"{first} and {second} are empty; a metric needs at least one sample")
    return a, b


def check_targets(y_true, y_pred):
    """y_true, y_pred as 1-D arrays of discrete labels of one type, and the sorted labels seen in either.

    Returns
    -------
    y_true, y_pred : ndarray of shape (n,)
    present : ndarray of shape (n_labels,), sorted
    """
    y_true, y_pred = check_1d_pair(y_true, y_pred)
    is_text = [a.dtype.kind in "US" or (a.dtype.kind == "O" and any(isinstance(v, str) for v in a)) for a in (y_true, y_pred)]
    if is_text[0] != is_text[1]:  # "1" and 1 are different labels: refuse the mix
        raise ValueError(f"y_true and y_pred must hold labels of one type; got {y_true.dtype} and {y_pred.dtype}")
    for name, a in [("y_true", y_true), ("y_pred", y_pred)]:
        if a.dtype.kind == "f" and not np.all(np.isfinite(a) & (a == np.round(a))):
            raise ValueError(f"{name} holds non-integer numbers ({a[a != np.round(a)][:3]}...): classification metrics need discrete labels; threshold scores or probabilities first")
    return y_true, y_pred, np.unique(np.concatenate([y_true, y_pred]))


def check_binary_scores(y_true, y_score, pos_label=None, names=("y_true", "y_score")):
    """(is_positive, scores): a boolean array and a float array, both of shape (n,).

    With pos_label=None the labels must be {0, 1} or {-1, 1} (or one of them),
    and 1 is positive, as in scikit-learn; otherwise name the positive class.
    ``names`` are the caller's names for the two arguments, for the messages.
    """
    y_true, y_score = check_1d_pair(y_true, as_float_array(y_score, names[1]), names=names)
    if not np.all(np.isfinite(y_score)):
        raise ValueError(f"{names[1]} must be finite (no NaN or infinity)")
    classes = np.unique(y_true)
    if len(classes) > 2:
        raise ValueError(f"y_true must have two classes for a binary curve; got {len(classes)}: {classes.tolist()[:5]}")
    if pos_label is None:
        if not (set(classes.tolist()) <= {0, 1} or set(classes.tolist()) <= {-1, 1}):
            raise ValueError(f"y_true takes the values {classes.tolist()}; pass pos_label to say which is positive")
        pos_label = 1
    return y_true == pos_label, y_score


def check_both_classes(is_positive, what, name="y_true"):
    """A clear ValueError when is_positive (shape (n,)) holds only one class; ``name``: the labels' argument."""
    n_pos = int(is_positive.sum())
    if n_pos == 0 or n_pos == len(is_positive):
        raise ValueError(f"only one class is present in {name}: {what} is not defined (it needs positives and negatives)")
