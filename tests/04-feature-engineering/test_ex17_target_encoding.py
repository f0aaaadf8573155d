"""Tests for ex17_target_encoding: the smoothed encoding table and TargetEncoder, against scikit-learn and by hand."""

import numpy as np
import pytest
from sklearn import preprocessing as skp

import utils
from utils.validation import NotFittedError

ex = utils.load_exercise("04-feature-engineering/ex17_target_encoding.py")

ATOL = 1e-12
RTOL = 1e-10  # target encodings against scikit-learn: the same sums in a different order
HAND_RTOL = 1e-12  # small cases worked out by hand


@pytest.mark.parametrize("smooth", ["auto", 0.0, 2.5, 100.0])
def test_target_encoder_fit_matches_sklearn(rng, smooth, make_strings):
    # Check encodings_, target_mean_ and transform of new data (with unseen categories -> target mean)
    # against scikit-learn: this part of the algorithm is deterministic.
    X = make_strings(60)
    y = rng.normal(3.0, 2.0, 60) + (X[:, 0] == "red") * 2.0
    ours = ex.TargetEncoder(smooth=smooth)
    assert ours.fit(X, y) is ours
    sk = skp.TargetEncoder(smooth=smooth, target_type="continuous").fit(X, y)
    np.testing.assert_allclose(ours.target_mean_, sk.target_mean_, rtol=RTOL)
    for a, b in zip(ours.encodings_, sk.encodings_):
        np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL)
    X_new = np.array([["red", "S"], ["purple", "M"], ["blue", "XXL"]], dtype=object)
    np.testing.assert_allclose(ours.transform(X_new), sk.transform(X_new), rtol=RTOL, atol=ATOL)


def test_target_encoding_by_hand():
    # Check by hand: category a has y = 1, 3, 6 (mean 10/3), b has y = 2, global mean 3;
    # with smooth = 1: a -> (10 + 3) / (3 + 1) = 3.25, b -> (2 + 3) / (1 + 1) = 2.5.
    X = np.array([["a"], ["a"], ["b"], ["a"]], dtype=object)
    encoder = ex.TargetEncoder(smooth=1.0).fit(X, [1.0, 3.0, 2.0, 6.0])
    np.testing.assert_allclose(encoder.encodings_[0], [3.25, 2.5], rtol=HAND_RTOL)
    np.testing.assert_allclose(encoder.transform(X)[:, 0], [3.25, 3.25, 2.5, 3.25], rtol=HAND_RTOL)


def test_encoding_table_by_hand_with_an_empty_category():
    # Check by hand: codes [0, 0, 2] (category 1 has no rows; code -1 is ignored), y = 1, 3, 8
    # (100 ignored), global mean m = 5 and variance v = 1 given.
    codes, y = np.array([0, 0, 2, -1]), np.array([1.0, 3.0, 8.0, 100.0])
    # smooth = 0: the plain means 2 and 8; the empty category gets m = 5.
    np.testing.assert_allclose(ex.target_encoding_table(codes, y, 3, 0.0, 5.0, 1.0), [2.0, 5.0, 8.0], rtol=HAND_RTOL)
    # smooth = 2: (2 * 2 + 2 * 5) / (2 + 2) = 3.5, (0 + 2 * 5) / (0 + 2) = 5, (8 + 2 * 5) / (1 + 2) = 6.
    np.testing.assert_allclose(ex.target_encoding_table(codes, y, 3, 2.0, 5.0, 1.0), [3.5, 5.0, 6.0], rtol=HAND_RTOL)
    # smooth = "auto": category 0 has n = 2, ssd = 1 + 1 = 2, lambda = 2 / (2 + 2 / 2) = 2/3,
    # enc = 2/3 * 2 + 1/3 * 5 = 3; category 2 has n = 1, ssd = 0, lambda = 1, enc = 8.
    np.testing.assert_allclose(ex.target_encoding_table(codes, y, 3, "auto", 5.0, 1.0), [3.0, 5.0, 8.0], rtol=HAND_RTOL)


def test_constant_target_gives_the_constant_without_warnings():
    # Check a constant y (variance 0, so "auto" would divide 0 by 0): every encoding is the
    # constant, and no RuntimeWarning is raised (the suite makes them errors).
    X = np.array([["a"], ["b"], ["a"], ["c"], ["b"], ["a"]], dtype=object)
    y = np.full(6, 4.0)
    for smooth in ["auto", 0.0]:
        np.testing.assert_allclose(ex.TargetEncoder(smooth=smooth).fit(X, y).transform(X), 4.0)


def test_target_encoder_bad_input():
    # Check the messages: text labels, bad smooth, y of the wrong length.
    X = np.array([["a"], ["b"], ["a"]], dtype=object)
    with pytest.raises(TypeError, match="numeric"):
        ex.TargetEncoder().fit(X, ["x", "y", "x"])
    with pytest.raises(ValueError, match="smooth"):
        ex.TargetEncoder(smooth=-1.0).fit(X, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="shape"):
        ex.TargetEncoder().fit(X, [1.0, 2.0])


def test_transform_before_fit_and_wrong_columns():
    # Check the messages for transform before fit and a different number of columns than in fit.
    X = np.array([["a", "x"], ["b", "y"]], dtype=object)
    with pytest.raises(NotFittedError, match="call fit"):
        ex.TargetEncoder().transform(X)
    fitted = ex.TargetEncoder().fit(X, np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="expecting 2 features"):
        fitted.transform(np.array([["a"]], dtype=object))
