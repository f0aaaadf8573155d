"""Tests for ex17_target_encoding: the smoothed encoding table, TargetEncoder and its K-fold cross-fitting."""

import numpy as np
import pytest
import sklearn
from sklearn import preprocessing as skp
from sklearn.model_selection import KFold

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


@pytest.mark.skipif(
    tuple(int(part) for part in sklearn.__version__.split(".")[:2]) < (1, 8),
    reason="scikit-learn's TargetEncoder accepts explicit folds as cv only from 1.8",
)
@pytest.mark.parametrize("smooth", ["auto", 3.0])
@pytest.mark.parametrize("target", ["continuous", "binary"])
def test_target_encoder_fit_transform_matches_sklearn_with_the_same_folds(rng, smooth, target, make_numbers_with_nan):
    # Check the cross-fitted encoding against scikit-learn given the same (train, test) folds,
    # for a continuous target and for 0/1 labels.
    X = make_numbers_with_nan(40)[:, :2]
    y = rng.normal(size=40) if target == "continuous" else rng.integers(0, 2, 40)
    folds = list(KFold(4, shuffle=True, random_state=1).split(np.zeros(40)))
    ours = ex.TargetEncoder(smooth=smooth, cv=folds).fit_transform(X, y)
    sk = skp.TargetEncoder(smooth=smooth, cv=folds, target_type=target).fit_transform(X, y)
    np.testing.assert_allclose(ours, sk, rtol=RTOL, atol=ATOL)


def test_target_encoding_by_hand():
    # Check by hand: category a has y = 1, 3, 6 (mean 10/3), b has y = 2, global mean 3;
    # with smooth = 1: a -> (10 + 3) / (3 + 1) = 3.25, b -> (2 + 3) / (1 + 1) = 2.5.
    X = np.array([["a"], ["a"], ["b"], ["a"]], dtype=object)
    encoder = ex.TargetEncoder(smooth=1.0).fit(X, [1.0, 3.0, 2.0, 6.0])
    np.testing.assert_allclose(encoder.encodings_[0], [3.25, 2.5], rtol=HAND_RTOL)
    # Out of fold with the folds {0, 1} | {2, 3}: row 0 and 1 see only rows 2, 3 (b: 2, a: 6, mean 4):
    # a -> (6 + 4) / 2 = 5; rows 2, 3 see rows 0, 1 (a: 1, 3, mean 2): b unseen -> 2, a -> (4 + 2) / 3 = 2.
    folds = [(np.array([2, 3]), np.array([0, 1])), (np.array([0, 1]), np.array([2, 3]))]
    out = ex.TargetEncoder(smooth=1.0, cv=folds).fit_transform(X, [1.0, 3.0, 2.0, 6.0])
    np.testing.assert_allclose(out[:, 0], [5.0, 5.0, 2.0, 2.0], rtol=HAND_RTOL)


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
    # Check a constant y (variance 0, so "auto" would divide 0 by 0): every encoding, in-sample
    # and out of fold, is the constant, and no RuntimeWarning is raised (the suite makes them errors).
    X = np.array([["a"], ["b"], ["a"], ["c"], ["b"], ["a"]], dtype=object)
    y = np.full(6, 4.0)
    for smooth in ["auto", 0.0]:
        encoder = ex.TargetEncoder(smooth=smooth, cv=3, random_state=0)
        np.testing.assert_allclose(encoder.fit_transform(X, y), 4.0)
        np.testing.assert_allclose(encoder.transform(X), 4.0)


def test_out_of_fold_encoding_ignores_the_rows_own_target(rng, make_strings):
    # Check the no-leak property: changing y_i does not change row i's own encoding
    # (same seed, so the same folds), while the in-sample encoding does move.
    X = make_strings(50)
    y = rng.normal(size=50)
    y2 = y.copy()
    y2[7] += 100.0
    a = ex.TargetEncoder(smooth=1.0, random_state=3).fit_transform(X, y)
    b = ex.TargetEncoder(smooth=1.0, random_state=3).fit_transform(X, y2)
    np.testing.assert_allclose(a[7], b[7], rtol=HAND_RTOL)
    assert not np.allclose(a, b)
    in_sample = ex.TargetEncoder(smooth=1.0).fit(X, y2).transform(X[7:8])
    assert not np.allclose(in_sample, ex.TargetEncoder(smooth=1.0).fit(X, y).transform(X[7:8]))


def test_fit_transform_keeps_the_full_fit_for_new_data(rng, make_strings):
    # Check that fit_transform also fits: afterwards transform uses all rows, exactly as fit alone does.
    X = make_strings(40)
    y = rng.normal(size=40)
    crossed = ex.TargetEncoder(smooth=2.0, random_state=0)
    crossed.fit_transform(X, y)
    plain = ex.TargetEncoder(smooth=2.0).fit(X, y)
    np.testing.assert_allclose(crossed.transform(X), plain.transform(X), rtol=HAND_RTOL)


def test_pipeline_of_exercise_16_cross_fits_the_encoder(rng, make_strings):
    # Check the demo's claim: exercise 16's Pipeline.fit calls fit_transform, so the next step
    # is trained on the out-of-fold encodings, not on the leaky in-sample ones.
    pipelines = utils.load_exercise("04-feature-engineering/ex16_pipelines_leakage.py", practice=False)

    class Recorder:
        def fit(self, X, y):
            self.X_ = X
            return self

    X = make_strings(40)
    y = rng.normal(size=40)
    pipeline = pipelines.Pipeline([("encode", ex.TargetEncoder(smooth=1.0, random_state=5)), ("record", Recorder())]).fit(X, y)
    seen = pipeline.named_steps["record"].X_
    np.testing.assert_allclose(seen, ex.TargetEncoder(smooth=1.0, random_state=5).fit_transform(X, y), rtol=HAND_RTOL)
    assert not np.allclose(seen, ex.TargetEncoder(smooth=1.0).fit(X, y).transform(X))


def test_target_encoder_bad_input():
    # Check the messages: text labels, bad smooth, overlapping folds, too many folds.
    X = np.array([["a"], ["b"], ["a"]], dtype=object)
    with pytest.raises(TypeError, match="numeric"):
        ex.TargetEncoder().fit(X, ["x", "y", "x"])
    with pytest.raises(ValueError, match="smooth"):
        ex.TargetEncoder(smooth=-1.0).fit(X, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="shape"):
        ex.TargetEncoder().fit(X, [1.0, 2.0])
    with pytest.raises(ValueError, match="exactly one test part"):
        ex.TargetEncoder(cv=[(np.array([0]), np.array([1, 2])), (np.array([1]), np.array([0, 2]))]).fit_transform(X, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="n_splits"):
        ex.TargetEncoder(cv=5).fit_transform(X, [1.0, 2.0, 3.0])


def test_transform_before_fit_and_wrong_columns():
    # Check the messages for transform before fit and a different number of columns than in fit.
    X = np.array([["a", "x"], ["b", "y"]], dtype=object)
    with pytest.raises(NotFittedError, match="call fit"):
        ex.TargetEncoder().transform(X)
    fitted = ex.TargetEncoder().fit(X, np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="expecting 2 features"):
        fitted.transform(np.array([["a"]], dtype=object))
