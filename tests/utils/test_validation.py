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
    with pytest.raises(ValueError, match="X has 3 features, but KMeans is expecting 2 features"):
        validation.check_X(np.zeros((4, 3)), n_features=2, owner="this KMeans")
    assert np.isnan(validation.check_X([[np.nan, 1.0]], allow_nan=True)).sum() == 1
    with pytest.raises(ValueError, match="infinity"):
        validation.check_X([[np.inf, 1.0]], allow_nan=True)


def test_check_X_y_lengths_and_targets():
    # Check mismatched lengths, 2-D y, string labels kept, and numeric targets made finite floats.
    with pytest.raises(ValueError, match="same number of samples; got 3 and 2"):
        validation.check_X_y(np.zeros((3, 2)), [0, 1])
    with pytest.raises(ValueError, match="1-D"):
        validation.check_X_y(np.zeros((2, 2)), np.zeros((2, 2)))
    with pytest.warns(validation.DataConversionWarning, match="column-vector y"):
        _, y = validation.check_X_y(np.zeros((2, 2)), np.array([[1.0], [2.0]]))
    assert y.shape == (2,)
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


@pytest.mark.parametrize("value", [1, 7, np.int64(3), np.int32(1)], ids=["1", "7", "int64", "int32"])
def test_check_positive_int_accepts_counts_as_python_ints(value):
    # Check that integers >= 1 (Python or NumPy) come back as the same value, as a plain int.
    result = validation.check_positive_int(value, "n_iter")
    assert result == value and type(result) is int


@pytest.mark.parametrize(
    "value, shown",
    [
        (0, "0"),
        (-2, "-2"),
        (2.5, "2.5"),
        (2.0, "2.0"),
        (True, "True"),
        ("3", "'3'"),
        (None, "None"),
        (np.float64(3.0), r"np.float64\(3.0\)"),
        (np.int64(0), r"np.int64\(0\)"),
    ],
    ids=["zero", "negative", "fraction", "whole float", "bool", "string", "None", "float64", "int64 zero"],
)
def test_check_positive_int_refuses_other_values_naming_argument_and_value(value, shown):
    # Check that each refusal says which argument, what was expected and what arrived (floats even when whole).
    with pytest.raises(ValueError, match=rf"^n_iter must be a positive integer; got {shown}$"):
        validation.check_positive_int(value, "n_iter")


def test_check_positive_int_allow_none():
    # Check that allow_none lets None through (and only None) and says so in the message.
    assert validation.check_positive_int(None, "batch_size", allow_none=True) is None
    assert validation.check_positive_int(4, "batch_size", allow_none=True) == 4
    with pytest.raises(ValueError, match=r"^batch_size must be a positive integer or None; got 0$"):
        validation.check_positive_int(0, "batch_size", allow_none=True)
    with pytest.raises(ValueError, match=r"^batch_size must be a positive integer; got None$"):
        validation.check_positive_int(None, "batch_size")


@pytest.mark.parametrize("value", ["gini", None, np.str_("entropy")], ids=["str", "None", "np.str_"])
def test_check_option_accepts_each_listed_value(value):
    # Check that a value from the list (None included, NumPy strings too) is returned unchanged.
    assert validation.check_option(value, "criterion", ("gini", "entropy", None)) is value


@pytest.mark.parametrize(
    "value, shown",
    [("gine", "'gine'"), ("Gini", "'Gini'"), (0, "0"), (["gini"], r"\['gini'\]"), (np.array(["gini"]), "array")],
    ids=["typo", "case", "number", "list", "array"],
)
def test_check_option_refuses_other_values_listing_the_options(value, shown):
    # Check that a wrong value (even a list or an array, which `in` mishandles) gets one clear message with the options.
    with pytest.raises(ValueError, match=rf"^criterion must be one of 'gini', 'entropy', None; got {shown}"):
        validation.check_option(value, "criterion", ("gini", "entropy", None))


def test_check_option_takes_any_iterable_of_options():
    # Check that the keys of a dict work as the options, in their order.
    units = {"mm": 0.1, "cm": 1.0}
    assert validation.check_option("cm", "unit", units) == "cm"
    with pytest.raises(ValueError, match=r"^unit must be one of 'mm', 'cm'; got \['cm'\]$"):
        validation.check_option(["cm"], "unit", units)


@pytest.mark.parametrize(
    "X, error, message",
    [
        (np.zeros((4, 0)), ValueError, r"0 feature\(s\) \(shape=\(4, 0\)\)"),
        (np.ones((2, 2)) * (1 + 1j), ValueError, "Complex data not supported"),
        (np.array([[1e200, 1.0]]), ValueError, "squared they overflow float64: rescale X first"),
        (np.ones(3), ValueError, "Reshape your data"),
    ],
    ids=["zero-columns", "complex", "huge", "1-D"],
)
def test_check_X_refuses_zero_columns_complex_and_huge_values(X, error, message):
    # Check the refusals that say what is wrong: no column, complex numbers, values whose
    # squares overflow, a 1-D array (with the reshape to use).
    with pytest.raises(error, match=message):
        validation.check_X(X)


def test_check_X_refuses_sparse_matrices_by_name():
    # Check a SciPy sparse matrix gets a message that says "sparse" and how to densify it.
    from scipy import sparse

    with pytest.raises(TypeError, match=r"sparse matrix.*toarray"):
        validation.check_X(sparse.csr_matrix(np.eye(3)))


def test_check_X_options_let_huge_values_and_no_columns_through():
    # Check allow_huge and min_features=0 are honoured.
    assert validation.check_X([[1e200]], allow_huge=True)[0, 0] == 1e200
    assert validation.check_X(np.zeros((2, 0)), min_features=0).shape == (2, 0)


def test_check_X_y_refuses_nan_labels_none_and_continuous_classes():
    # Check y: NaN is never a class, None is named, a classifier refuses continuous targets.
    X = np.zeros((3, 1))
    for y in ([0.0, np.nan, 1.0], np.array([0, np.nan, 1], dtype=object), [0.0, np.inf, 1.0]):
        with pytest.raises(ValueError, match="NaN or infinity"):
            validation.check_X_y(X, y)
    with pytest.raises(ValueError, match="requires y to be passed"):
        validation.check_X_y(X, None)
    with pytest.raises(ValueError, match="Unknown label type"):
        validation.check_X_y(X, [0.5, 1.5, 2.0], classification=True)
    assert validation.check_X_y(X, [0.0, 1.0, 2.0], classification=True)[1].tolist() == [0.0, 1.0, 2.0]


def test_check_fitted_raises_not_fitted_error():
    # Check that the error is a NotFittedError, also catchable as ValueError or AttributeError.
    class Model:
        pass

    for kind in (validation.NotFittedError, ValueError, AttributeError):
        with pytest.raises(kind, match="call fit first"):
            validation.check_fitted(Model(), "coef_")


@pytest.mark.parametrize("value, expected", [(0, 0), (3, 3), (np.int64(2), 2)])
def test_check_non_negative_int_accepts_zero_and_counts(value, expected):
    # Check counts that may be 0 come back as plain ints.
    result = validation.check_non_negative_int(value, "max_iter")
    assert result == expected and type(result) is int


@pytest.mark.parametrize("value", [-1, 2.5, 1.0, True, "1", None])
def test_check_non_negative_int_refuses_others(value):
    # Check negatives, floats (even whole), booleans, strings and None are refused by name.
    with pytest.raises(ValueError, match=r"max_iter must be a non-negative integer"):
        validation.check_non_negative_int(value, "max_iter")


def test_check_positive_number():
    # Check > 0 by default, >= 0 with allow_zero, None with allow_none; NaN, inf, bools and
    # text refused, naming the parameter.
    assert validation.check_positive_number(2, "tol") == 2.0
    assert validation.check_positive_number(0.0, "tol", allow_zero=True) == 0.0
    assert validation.check_positive_number(None, "tol", allow_none=True) is None
    for bad in (0.0, -1e-9, np.nan, np.inf, True, "1e-3", None):
        with pytest.raises(ValueError, match="tol must be a finite number > 0"):
            validation.check_positive_number(bad, "tol")


def test_as_matrix_and_as_linear_system_name_what_they_expected():
    # Check the shared matrix and linear-system checks: valid input comes back as float arrays; a vector,
    # an empty or a non-square matrix, NaN, and a b with the wrong number of rows get messages naming them.
    A, b = validation.as_linear_system([[2, 0], [0, 1]], [1, 2])
    assert A.dtype == b.dtype == np.float64 and A.shape == (2, 2) and b.shape == (2,)
    assert validation.as_linear_system(np.eye(2), np.ones((2, 3)), multi_rhs=True)[1].shape == (2, 3)
    with pytest.raises(ValueError, match=r"A must be a non-empty square matrix of shape \(n, n\); got shape \(3, 2\)"):
        validation.as_linear_system(np.ones((3, 2)), np.ones(3))
    with pytest.raises(ValueError, match=r"M must be a non-empty matrix of shape \(m, n\); got shape \(4,\)"):
        validation.as_matrix(np.ones(4), "M")
    with pytest.raises(ValueError, match=r"got shape \(0, 0\)"):
        validation.as_matrix(np.ones((0, 0)))
    with pytest.raises(ValueError, match="A must contain only finite numbers"):
        validation.as_matrix([[1.0, np.nan]])
    with pytest.raises(ValueError, match=r"b must have shape \(m,\) with m = 3, the rows of A; got shape \(2,\)"):
        validation.as_linear_system(np.ones((3, 2)), np.ones(2), square=False)
    with pytest.raises(ValueError, match=r"b must have shape \(n,\) with n = 2"):
        validation.as_linear_system(np.eye(2), np.ones((2, 3)))
