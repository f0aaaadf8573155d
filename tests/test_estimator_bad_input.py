"""Bad input to any estimator: a clear error or a correct, finite result; never silent garbage.

Every estimator of the exercises is found automatically (``utils.base.example_estimators``),
so a new exercise is covered by the same rules without editing this file.
"""

import numpy as np
import pytest

from utils.base import example_estimators
from utils.validation import NotFittedError

EXAMPLES = example_estimators()  # shared by the parametrized cases: each test works on a fresh copy
IDS = [name for name, _ in EXAMPLES]
N_SAMPLES = 30
HUGE = 1e300
# Real-valued parameters that must be > 0 (or >= 0) wherever they appear: -1 is always wrong.
POSITIVE_NUMBERS = {"C", "alpha", "tol", "lr", "learning_rate", "gamma", "epsilon", "reg_covar", "l1_ratio", "smooth"}
# Integer parameters that are not counts.
NOT_COUNTS = {"random_state", "verbose", "unknown_value", "encoded_missing_value"}
PREDICTING = ("predict", "predict_proba", "decision_function", "transform", "score_samples")


def _data(estimator, rng):
    """X (30, 3) and labels 0/1 (as floats: a target for a regressor, labels for a classifier)."""
    if estimator.__sklearn_tags__().input_tags.categorical:
        X = rng.integers(0, 3, size=(N_SAMPLES, 3)).astype(float)
    else:
        X = np.abs(rng.standard_normal((N_SAMPLES, 3)))  # >= 0: counts for multinomial naive Bayes
    y = np.tile([0.0, 1.0], N_SAMPLES // 2)
    return X, y


def _fresh(estimator):
    """A new, unfitted estimator with the same parameters (nested estimators copied too)."""
    params = {k: _fresh(v) if hasattr(v, "get_params") else v for k, v in estimator.get_params(deep=False).items()}
    return type(estimator)(**params)


def _needs_y(estimator):
    return estimator.__sklearn_tags__().target_tags.required


@pytest.mark.parametrize("name, estimator", EXAMPLES, ids=IDS)
def test_zero_features_are_refused(name, estimator, rng):
    # Check that X with no columns is refused in fit with a message that says so.
    estimator = _fresh(estimator)
    _, y = _data(estimator, rng)
    with pytest.raises(ValueError, match="0 feature"):
        estimator.fit(np.empty((N_SAMPLES, 0)), y)


@pytest.mark.parametrize("bad", [np.nan, np.inf], ids=["nan", "inf"])
@pytest.mark.parametrize("name, estimator", EXAMPLES, ids=IDS)
def test_nan_or_inf_in_y_is_refused(name, estimator, bad, rng):
    # Check that a supervised estimator refuses NaN / inf in y (NaN must not become a class).
    estimator = _fresh(estimator)
    if not _needs_y(estimator):
        pytest.skip("fit ignores y")
    X, y = _data(estimator, rng)
    y[3] = bad
    with pytest.raises(ValueError, match="NaN|inf|finite"):
        estimator.fit(X, y)


@pytest.mark.parametrize("name, estimator", EXAMPLES, ids=IDS)
def test_every_method_before_fit_raises_not_fitted(name, estimator, rng):
    # Check that every prediction method of an unfitted estimator raises utils' NotFittedError
    # (a ValueError and an AttributeError, as scikit-learn's is).
    estimator = _fresh(estimator)
    X, _ = _data(estimator, rng)
    methods = [m for m in PREDICTING if hasattr(estimator, m)]
    assert methods, f"{name} has no prediction method"
    for method in methods:
        with pytest.raises(NotFittedError, match="fit"):
            getattr(estimator, method)(X)


@pytest.mark.parametrize("name, estimator", EXAMPLES, ids=IDS)
def test_huge_finite_X_gives_finite_results_or_says_why(name, estimator, rng):
    # Check X * 1e300 (finite): either fit refuses it naming the overflow, or what it
    # predicts / transforms is finite.
    estimator = _fresh(estimator)
    X, y = _data(estimator, rng)
    X = X * HUGE
    try:
        estimator.fit(X, y)
    except ValueError as error:
        assert "overflow" in str(error) or "rescale" in str(error), f"unclear refusal: {error}"
        return
    for method in PREDICTING:
        if hasattr(estimator, method):
            out = np.asarray(getattr(estimator, method)(X), dtype=float)
            assert np.all(np.isfinite(out)), f"{name}.{method} returned non-finite values on finite X"


def _invalid_values(estimator):
    """(parameter, bad value) pairs: counts at -1 and 2.5, positive numbers at -1.0."""
    out = []
    for key, value in estimator.get_params(deep=False).items():
        if key in NOT_COUNTS or isinstance(value, bool):
            continue
        if isinstance(value, (int, np.integer)):
            out += [(key, -1), (key, 2.5)]
        elif key in POSITIVE_NUMBERS and isinstance(value, float):
            out.append((key, -1.0))
    return out


CASES = [(name, est, key, bad) for name, est in EXAMPLES for key, bad in _invalid_values(est)]


@pytest.mark.parametrize(
    "name, estimator, key, bad", CASES, ids=[f"{name}-{key}={bad}" for name, _, key, bad in CASES]
)
def test_invalid_hyperparameters_are_refused_at_fit(name, estimator, key, bad, rng):
    # Check that a count below its minimum or not whole, and a negative tolerance, penalty or
    # rate are refused at fit with a message that names the parameter.
    estimator = _fresh(estimator)
    X, y = _data(estimator, rng)
    estimator.set_params(**{key: bad})
    with pytest.raises((ValueError, TypeError), match=key):
        estimator.fit(X, y)
