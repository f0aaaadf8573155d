"""Tests for ex18_target_encoding_cross_fitting: CrossFitTargetEncoder's out-of-fold fit_transform."""

import numpy as np
import pytest
import sklearn
from sklearn import preprocessing as skp
from sklearn.model_selection import KFold

import utils

ex = utils.load_exercise("04-feature-engineering/ex18_target_encoding_cross_fitting.py")

ATOL = 1e-12
RTOL = 1e-10  # target encodings against scikit-learn: the same sums in a different order
HAND_RTOL = 1e-12  # small cases worked out by hand


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
    ours = ex.CrossFitTargetEncoder(smooth=smooth, cv=folds).fit_transform(X, y)
    sk = skp.TargetEncoder(smooth=smooth, cv=folds, target_type=target).fit_transform(X, y)
    np.testing.assert_allclose(ours, sk, rtol=RTOL, atol=ATOL)


def test_out_of_fold_encoding_by_hand():
    # Check by hand: X = a, a, b, a with y = 1, 3, 2, 6 and smooth = 1, folds {0, 1} | {2, 3}:
    # rows 0 and 1 see only rows 2, 3 (b: 2, a: 6, mean 4): a -> (6 + 4) / 2 = 5;
    # rows 2, 3 see rows 0, 1 (a: 1, 3, mean 2): b unseen -> 2, a -> (4 + 2) / 3 = 2.
    X = np.array([["a"], ["a"], ["b"], ["a"]], dtype=object)
    folds = [(np.array([2, 3]), np.array([0, 1])), (np.array([0, 1]), np.array([2, 3]))]
    out = ex.CrossFitTargetEncoder(smooth=1.0, cv=folds).fit_transform(X, [1.0, 3.0, 2.0, 6.0])
    np.testing.assert_allclose(out[:, 0], [5.0, 5.0, 2.0, 2.0], rtol=HAND_RTOL)


def test_constant_target_gives_the_constant_without_warnings():
    # Check a constant y (variance 0, so "auto" would divide 0 by 0): every encoding, in-sample
    # and out of fold, is the constant, and no RuntimeWarning is raised (the suite makes them errors).
    X = np.array([["a"], ["b"], ["a"], ["c"], ["b"], ["a"]], dtype=object)
    y = np.full(6, 4.0)
    for smooth in ["auto", 0.0]:
        encoder = ex.CrossFitTargetEncoder(smooth=smooth, cv=3, random_state=0)
        np.testing.assert_allclose(encoder.fit_transform(X, y), 4.0)
        np.testing.assert_allclose(encoder.transform(X), 4.0)


def test_out_of_fold_encoding_ignores_the_rows_own_target(rng, make_strings):
    # Check the no-leak property: changing y_i does not change row i's own encoding
    # (same seed, so the same folds), while the in-sample encoding does move.
    X = make_strings(50)
    y = rng.normal(size=50)
    y2 = y.copy()
    y2[7] += 100.0
    a = ex.CrossFitTargetEncoder(smooth=1.0, random_state=3).fit_transform(X, y)
    b = ex.CrossFitTargetEncoder(smooth=1.0, random_state=3).fit_transform(X, y2)
    np.testing.assert_allclose(a[7], b[7], rtol=HAND_RTOL)
    assert not np.allclose(a, b)
    in_sample = ex.CrossFitTargetEncoder(smooth=1.0).fit(X, y2).transform(X[7:8])
    assert not np.allclose(in_sample, ex.CrossFitTargetEncoder(smooth=1.0).fit(X, y).transform(X[7:8]))


def test_fit_transform_keeps_the_full_fit_for_new_data(rng, make_strings):
    # Check that fit_transform also fits: afterwards transform uses all rows, exactly as fit alone does.
    X = make_strings(40)
    y = rng.normal(size=40)
    crossed = ex.CrossFitTargetEncoder(smooth=2.0, random_state=0)
    crossed.fit_transform(X, y)
    plain = ex.CrossFitTargetEncoder(smooth=2.0).fit(X, y)
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
    pipeline = pipelines.Pipeline([("encode", ex.CrossFitTargetEncoder(smooth=1.0, random_state=5)), ("record", Recorder())]).fit(X, y)
    seen = pipeline.named_steps["record"].X_
    np.testing.assert_allclose(seen, ex.CrossFitTargetEncoder(smooth=1.0, random_state=5).fit_transform(X, y), rtol=HAND_RTOL)
    assert not np.allclose(seen, ex.CrossFitTargetEncoder(smooth=1.0).fit(X, y).transform(X))


def test_cross_fit_bad_folds():
    # Check the messages: cv below 2, overlapping folds, too many folds.
    X = np.array([["a"], ["b"], ["a"]], dtype=object)
    with pytest.raises(ValueError, match="cv must be"):
        ex.CrossFitTargetEncoder(cv=1).fit(X, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="exactly one test part"):
        ex.CrossFitTargetEncoder(cv=[(np.array([0]), np.array([1, 2])), (np.array([1]), np.array([0, 2]))]).fit_transform(X, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="n_splits"):
        ex.CrossFitTargetEncoder(cv=5).fit_transform(X, [1.0, 2.0, 3.0])
