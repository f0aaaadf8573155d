"""Tests for ex09_categorical_encoding: categories, codes and OrdinalEncoder, against scikit-learn."""

import numpy as np
import pytest
from sklearn import preprocessing as skp

import utils
from utils.validation import NotFittedError

ex = utils.load_exercise("04-feature-engineering/ex09_categorical_encoding.py")


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


def test_given_categories_keep_their_order():
    # Check a user-given order (S < M < L) for ordinal codes, and that a training value outside it is refused.
    X = np.array([["M"], ["L"], ["S"]], dtype=object)
    encoder = ex.OrdinalEncoder(categories=[["S", "M", "L"]]).fit(X)
    np.testing.assert_array_equal(encoder.transform(X)[:, 0], [1.0, 2.0, 0.0])
    with pytest.raises(ValueError, match="not in the given categories"):
        ex.OrdinalEncoder(categories=[["S", "M"]]).fit(X)


def test_ordinal_matches_sklearn(categorical_X):
    # Check codes (NaN stays NaN: encoded_missing_value) and inverse_transform against scikit-learn.
    X = categorical_X
    ours = ex.OrdinalEncoder().fit(X)
    sk = skp.OrdinalEncoder().fit(X)
    _same_categories(ours.categories_, sk.categories_)
    np.testing.assert_array_equal(ours.transform(X), sk.transform(X))
    _same_objects(ours.inverse_transform(ours.transform(X)), X.astype(object))


@pytest.mark.parametrize("unknown_value", [-1, 99, np.nan])
def test_ordinal_unknown_value_matches_sklearn(unknown_value, make_strings):
    # Check use_encoded_value with an int or NaN code for unseen categories, and its inverse (None).
    X = make_strings()
    X_new = np.array([["purple", "M"], ["red", "XXL"]], dtype=object)
    ours = ex.OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=unknown_value).fit(X)
    sk = skp.OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=unknown_value).fit(X)
    np.testing.assert_array_equal(ours.transform(X_new), sk.transform(X_new))
    _same_objects(ours.inverse_transform(ours.transform(X_new)), sk.inverse_transform(sk.transform(X_new)))


def test_ordinal_unknown_value_must_not_collide():
    # Check that an unknown_value equal to a real code (1 of 0..2) is refused, and other bad settings.
    X = np.array([["a"], ["b"], ["c"]], dtype=object)
    with pytest.raises(ValueError, match="already the code"):
        ex.OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=1).fit(X)
    with pytest.raises(ValueError, match="int or np.nan"):
        ex.OrdinalEncoder(handle_unknown="use_encoded_value").fit(X)
    with pytest.raises(ValueError, match="only used with"):
        ex.OrdinalEncoder(unknown_value=-1).fit(X)
    with pytest.raises(ValueError, match="unknown categories"):
        ex.OrdinalEncoder().fit(X).transform([["z"]])


@pytest.mark.parametrize("make", [ex.OrdinalEncoder])
def test_transform_before_fit_and_wrong_columns(make):
    # Check the messages for transform before fit and a different number of columns than in fit.
    X = np.array([["a", "x"], ["b", "y"]], dtype=object)
    with pytest.raises(NotFittedError, match="call fit"):
        make().transform(X)
    fitted = make().fit(X)
    with pytest.raises(ValueError, match="expecting 2 features"):
        fitted.transform(np.array([["a"]], dtype=object))


def test_bad_values():
    # Check None in a text column, a column mixing text and numbers, and an unknown handle_unknown.
    with pytest.raises(ValueError, match="None or NaN"):
        ex.OrdinalEncoder().fit(np.array([["a"], [None]], dtype=object))
    with pytest.raises(TypeError, match="mixes text and numbers"):
        ex.OrdinalEncoder().fit(np.array([["a"], [1]], dtype=object))
    with pytest.raises(ValueError, match="handle_unknown"):
        ex.OrdinalEncoder(handle_unknown="skip").fit(np.array([["a"]], dtype=object))
