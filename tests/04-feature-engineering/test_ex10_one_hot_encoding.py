"""Tests for ex10_one_hot_encoding: OneHotEncoder against scikit-learn."""

import warnings

import numpy as np
import pytest
from sklearn import preprocessing as skp

import utils
from utils.validation import NotFittedError

ex = utils.load_exercise("04-feature-engineering/ex10_one_hot_encoding.py")


def _same_categories(ours, sk):
    assert len(ours) == len(sk)
    for a, b in zip(ours, sk):
        assert list(map(str, a)) == list(map(str, b))


def _same_objects(a, b):
    """Element-wise equality of two object arrays, with NaN == NaN and None == None."""
    assert a.shape == b.shape
    for u, v in zip(a.ravel(), b.ravel()):
        if isinstance(u, float) and np.isnan(u):
            assert isinstance(v, float) and np.isnan(v)
        else:
            assert u == v, (u, v)


@pytest.mark.parametrize("drop", [None, "first"])
def test_onehot_matches_sklearn(categorical_X, drop):
    # Check categories_, the matrix and the feature names against scikit-learn, on text and on
    # numeric columns with NaN (a category of its own, listed last).
    X = categorical_X
    ours = ex.OneHotEncoder(drop=drop)
    assert ours.fit(X) is ours
    sk = skp.OneHotEncoder(drop=drop, sparse_output=False).fit(X)
    _same_categories(ours.categories_, sk.categories_)
    np.testing.assert_array_equal(ours.transform(X), sk.transform(X))
    assert list(ours.get_feature_names_out()) == list(sk.get_feature_names_out())
    assert list(ours.get_feature_names_out(["a", "b", "c"][: X.shape[1]])) == list(sk.get_feature_names_out(["a", "b", "c"][: X.shape[1]]))


def test_onehot_by_hand():
    # Check by hand: categories sorted (blue < red, M < S), one 1 per feature block;
    # drop="first" removes the columns of "blue" and "M".
    X = np.array([["red", "S"], ["blue", "M"]], dtype=object)
    np.testing.assert_array_equal(ex.OneHotEncoder().fit_transform(X), [[0, 1, 0, 1], [1, 0, 1, 0]])
    np.testing.assert_array_equal(ex.OneHotEncoder(drop="first").fit_transform(X), [[1, 1], [0, 0]])


@pytest.mark.parametrize("drop", [None, "first"])
def test_onehot_unknown_categories(drop, make_strings):
    # Check handle_unknown: "error" names the unseen category; "ignore" gives an all-zero block (like sklearn),
    # and inverse_transform returns None (or the dropped category).
    X = make_strings()
    X_new = np.array([["purple", "M"], ["red", "XXL"]], dtype=object)
    with pytest.raises(ValueError, match="purple"):
        ex.OneHotEncoder(drop=drop).fit(X).transform(X_new)
    ours = ex.OneHotEncoder(drop=drop, handle_unknown="ignore").fit(X)
    sk = skp.OneHotEncoder(drop=drop, handle_unknown="ignore", sparse_output=False).fit(X)
    with warnings.catch_warnings():  # sklearn warns that unknowns look like the dropped category
        warnings.simplefilter("ignore", UserWarning)
        expected = sk.transform(X_new)
    np.testing.assert_array_equal(ours.transform(X_new), expected)
    _same_objects(ours.inverse_transform(ours.transform(X_new)), sk.inverse_transform(expected))


@pytest.mark.parametrize("drop", [None, "first"])
def test_onehot_inverse_transform_recovers_X(categorical_X, drop):
    # Check inverse_transform(transform(X)) == X, NaN included.
    X = categorical_X
    encoder = ex.OneHotEncoder(drop=drop).fit(X)
    _same_objects(encoder.inverse_transform(encoder.transform(X)), X.astype(object))


def test_onehot_uses_training_categories_only(make_strings):
    # Check that a test set's own categories do not matter: a test set with one colour still gives
    # the full width of the training categories, with columns in the training order.
    X = make_strings()
    encoder = ex.OneHotEncoder().fit(X)
    out = encoder.transform(np.array([["red", "S"]], dtype=object))
    assert out.shape == (1, 7)
    np.testing.assert_array_equal(out[0], [0, 0, 0, 1, 0, 0, 1])  # amber blue green RED | L M S


@pytest.mark.parametrize("drop", [None, "first"])
def test_single_row_and_single_category_like_sklearn(drop):
    # Check a one-row training set (every feature has one category): one-hot, ordinal and the
    # inverse against scikit-learn; with drop="first" the output has no column at all.
    X = np.array([["red", 3]], dtype=object)
    ours = ex.OneHotEncoder(drop=drop).fit(X)
    sk = skp.OneHotEncoder(drop=drop, sparse_output=False).fit(X)
    np.testing.assert_array_equal(ours.transform(X), sk.transform(X))
    _same_objects(ours.inverse_transform(ours.transform(X)), X)
    np.testing.assert_array_equal(ex.encoding.OrdinalEncoder().fit_transform(X), skp.OrdinalEncoder().fit_transform(X))


def test_integer_categories_like_sklearn():
    # Check integer columns: categories_ keep the values, inverse_transform gives them back.
    X = np.array([[3, 10], [1, 10], [3, 20]])
    ours, sk = ex.OneHotEncoder().fit(X), skp.OneHotEncoder(sparse_output=False).fit(X)
    _same_categories(ours.categories_, sk.categories_)
    np.testing.assert_array_equal(ours.transform(X), sk.transform(X))
    _same_objects(ours.inverse_transform(ours.transform(X)), X.astype(object))


@pytest.mark.parametrize("make", [ex.OneHotEncoder])
def test_transform_before_fit_and_wrong_columns(make):
    # Check the messages for transform before fit and a different number of columns than in fit.
    X = np.array([["a", "x"], ["b", "y"]], dtype=object)
    with pytest.raises(NotFittedError, match="call fit"):
        make().transform(X)
    fitted = make().fit(X)
    with pytest.raises(ValueError, match="expecting 2 features"):
        fitted.transform(np.array([["a"]], dtype=object))


def test_bad_parameters():
    # Check unknown values of drop and handle_unknown.
    X = np.array([["a"], ["b"]], dtype=object)
    with pytest.raises(ValueError, match="drop"):
        ex.OneHotEncoder(drop="last").fit(X)
    with pytest.raises(ValueError, match="handle_unknown"):
        ex.OneHotEncoder(handle_unknown="skip").fit(X)
