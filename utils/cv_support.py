"""Plumbing for 03.02's splitters and cross_val_score: sample counts, split checks and scorers.

Not a lesson of its own: the splitters and the fold loop are 03.02's; what they
need to refuse bad input and to turn a scoring name into a function lives here.
"""

import numpy as np

__all__ = ["num_samples", "class_codes", "check_n_splits", "check_shuffle_seed", "SCORERS", "get_scorer", "is_classifier"]


def num_samples(X):
    """The number of samples (rows) of X, or a clear error for a scalar."""
    X = np.asarray(X)
    if X.ndim == 0:
        raise ValueError(f"expected an array of samples (shape (n_samples, ...)); got a scalar {X!r}")
    return X.shape[0]


def class_codes(y):
    """Labels y (shape (n_samples,)) as class numbers 0..n_classes-1 in order of first appearance
    (scikit-learn's order, so that folds match its StratifiedKFold), shape (n_samples,)."""
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be a 1-D array of class labels, shape (n_samples,); got shape {y.shape}")
    _, first_index, inverse = np.unique(y, return_index=True, return_inverse=True)
    rank = np.empty(len(first_index), dtype=int)  # (n_classes,)
    rank[np.argsort(first_index)] = np.arange(len(first_index))
    return rank[inverse]


def check_n_splits(n_splits, n_samples):
    """n_splits must be an int >= 2 and at most n_samples."""
    if isinstance(n_splits, bool) or not isinstance(n_splits, (int, np.integer)) or n_splits < 2:
        raise ValueError(f"n_splits must be an integer of at least 2; got {n_splits!r}")
    if n_splits > n_samples:
        raise ValueError(f"cannot have n_splits={n_splits} greater than the number of samples n_samples={n_samples}")


def check_shuffle_seed(shuffle, random_state):
    if not shuffle and random_state is not None:
        raise ValueError("setting random_state has no effect when shuffle=False; leave it None or set shuffle=True")


def _r2(y, y_pred):
    ss_res, ss_tot = np.sum((y - y_pred) ** 2), np.sum((y - y.mean()) ** 2)
    return 1.0 - ss_res / ss_tot if ss_tot > 0 else float(ss_res == 0)  # 03.05 explains the constant case


SCORERS = {
    "accuracy": lambda est, X, y: float(np.mean(est.predict(X) == y)),
    "r2": lambda est, X, y: float(_r2(y, est.predict(X))),
    "neg_mean_squared_error": lambda est, X, y: -float(np.mean((y - est.predict(X)) ** 2)),
    "neg_mean_absolute_error": lambda est, X, y: -float(np.mean(np.abs(y - est.predict(X)))),
}


def is_classifier(estimator):
    """True for a classifier: scikit-learn's own marks, else "it has predict_proba" (duck typing)."""
    kind = getattr(estimator, "_estimator_type", None)
    if kind is None and hasattr(estimator, "__sklearn_tags__"):
        kind = estimator.__sklearn_tags__().estimator_type  # scikit-learn >= 1.6
    if kind is None:
        return hasattr(estimator, "predict_proba")
    return kind == "classifier"


def get_scorer(scoring):
    """A function scorer(fitted_estimator, X, y) -> float, larger is better.

    None uses the estimator's own score method; a string names one of SCORERS;
    a callable is used as it is.
    """
    if scoring is None:
        return lambda est, X, y: float(est.score(X, y))
    if callable(scoring):
        return scoring
    if scoring not in SCORERS:
        raise ValueError(f"unknown scoring {scoring!r}; expected None, a callable or one of {sorted(SCORERS)}")
    return SCORERS[scoring]
