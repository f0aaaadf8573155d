"""utils.validation: the checks and their messages."""

import numpy as np
import pytest

from utils import validation


def test_check_X_returns_a_float_matrix():
    # Check that lists of ints become a float64 array of the same values.
    X = validation.check_X([[1, 2], [3, 4]])
    assert X.dtype == np.float64
    np.testing.assert_array_equal(X, [[1.0, 2.0], [3.0, 4.0]])


@pytest.mark.parametrize(
    "X, message",
    [
        (np.zeros(3), r"2-D array of shape \(n_samples, n_features\); got shape \(3,\)"),
        (np.zeros((0, 2)), "non-empty"),
        (np.array([[1.0, np.nan]]), "NaN or infinity"),
        ([["a", "b"]], "hold numbers"),
    ],
    ids=["1-D", "empty", "nan", "text"],
)
def test_check_X_refuses_bad_input_with_a_clear_message(X, message):
    # Check each refusal names what was expected.
    with pytest.raises((ValueError, TypeError), match=message):
        validation.check_X(X)


def test_check_X_feature_count_and_nan_switch():
    # Check the fitted-column rule and that allow_nan lets NaN (not infinity) through.
    with pytest.raises(ValueError, match="X has 3 features, but this KMeans was fitted with 2"):
        validation.check_X(np.zeros((4, 3)), n_features=2, owner="this KMeans")
    assert np.isnan(validation.check_X([[np.nan, 1.0]], allow_nan=True)).sum() == 1
    with pytest.raises(ValueError, match="infinity"):
        validation.check_X([[np.inf, 1.0]], allow_nan=True)


def test_check_X_y_lengths_and_targets():
    # Check mismatched lengths, 2-D y, string labels kept, and numeric targets made finite floats.
    with pytest.raises(ValueError, match="same number of samples; got 3 and 2"):
        validation.check_X_y(np.zeros((3, 2)), [0, 1])
    with pytest.raises(ValueError, match="1-D"):
        validation.check_X_y(np.zeros((2, 2)), np.zeros((2, 1)))
    _, y = validation.check_X_y(np.zeros((2, 1)), ["cat", "dog"])
    assert y.tolist() == ["cat", "dog"]
    with pytest.raises(ValueError, match="y contains NaN"):
        validation.check_X_y(np.zeros((2, 1)), [1.0, np.nan], numeric_y=True)


def test_check_fitted():
    # Check that an unfitted estimator is reported by its class name, and a fitted one passes.
    class Model:
        pass

    model = Model()
    with pytest.raises(RuntimeError, match="this Model is not fitted yet; call fit first"):
        validation.check_fitted(model, "coef_")
    model.coef_ = 1
    validation.check_fitted(model, "coef_")
