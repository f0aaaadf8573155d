"""Tests for ex07_scaling: StandardScaler, MinMaxScaler and RobustScaler, against scikit-learn."""

import numpy as np
import pytest
from sklearn import preprocessing as skp

import utils
from utils.validation import NotFittedError

ex = utils.load_exercise("04-feature-engineering/ex07_scaling.py")

RTOL = 1e-10  # same formulas as scikit-learn, summation order aside
ATOL = 1e-12

SCALERS = [
    (ex.StandardScaler, skp.StandardScaler, {}),
    (ex.MinMaxScaler, skp.MinMaxScaler, {}),
    (ex.MinMaxScaler, skp.MinMaxScaler, {"feature_range": (-1.0, 3.0)}),
    (ex.MinMaxScaler, skp.MinMaxScaler, {"clip": True}),
    (ex.RobustScaler, skp.RobustScaler, {}),
    (ex.RobustScaler, skp.RobustScaler, {"quantile_range": (10.0, 90.0)}),
]
IDS = [f"{ours.__name__}-{params}" for ours, _, params in SCALERS]
INVERTIBLE = [case for case in SCALERS if not case[2].get("clip")]  # clipping loses information
LEARNED = ["mean_", "var_", "scale_", "data_min_", "data_max_", "data_range_", "min_", "center_"]


def _messy(rng, n=25):
    """Columns in very different units, NaNs, a constant column and a round-off-constant one."""
    X = rng.standard_normal((n, 5)) * [1.0, 100.0, 0.01, 0.0, 0.0] + [0.0, 1000.0, -3.0, 7.0, 0.1]
    X[rng.uniform(size=X.shape) < 0.15] = np.nan
    X[0, :] = [1.0, 1000.0, -3.0, 7.0, 0.1]  # at least one observed value per column
    return X


def _assert_same_attributes(ours, sk):
    for name in LEARNED:
        if hasattr(sk, name):
            expected = getattr(sk, name)
            if expected is None:
                assert getattr(ours, name) is None, name
            else:
                np.testing.assert_allclose(getattr(ours, name), expected, rtol=RTOL, atol=ATOL, err_msg=name)


@pytest.mark.parametrize("ours_cls, sk_cls, params", SCALERS, ids=IDS)
def test_scalers_match_sklearn_with_nans_and_constant_columns(rng, ours_cls, sk_cls, params):
    # Check the learned statistics and transform of new data against scikit-learn, with NaNs
    # (ignored in fit, kept in transform) and constant columns (scale 1).
    X_train, X_test = _messy(rng), _messy(rng, n=10) * 1.5
    ours = ours_cls(**params)
    assert ours.fit(X_train) is ours
    sk = sk_cls(**params).fit(X_train)
    _assert_same_attributes(ours, sk)
    np.testing.assert_allclose(ours.transform(X_test), sk.transform(X_test), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ours.fit_transform(X_train), sk.transform(X_train), rtol=RTOL, atol=ATOL)
    np.testing.assert_array_equal(np.isnan(ours.transform(X_test)), np.isnan(X_test))


@pytest.mark.parametrize("ours_cls, sk_cls, params", SCALERS, ids=IDS)
def test_scalers_match_sklearn_on_a_single_row(ours_cls, sk_cls, params):
    # Check a one-row training set: every column is constant, so the scales are 1.
    X = np.array([[3.0, -2.0, 0.5]])
    ours, sk = ours_cls(**params).fit(X), sk_cls(**params).fit(X)
    np.testing.assert_allclose(ours.transform(X + 1.0), sk.transform(X + 1.0), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("ours_cls, sk_cls, params", INVERTIBLE)
def test_inverse_transform_recovers_X(rng, ours_cls, sk_cls, params):
    # Check inverse_transform(transform(X)) == X on new data, NaNs included.
    X_train, X_test = _messy(rng), _messy(rng, n=7)
    scaler = ours_cls(**params).fit(X_train)
    np.testing.assert_allclose(scaler.inverse_transform(scaler.transform(X_test)), X_test, rtol=1e-10, atol=1e-9)


@pytest.mark.parametrize("make, params", [("StandardScaler", {"with_mean": False}), ("StandardScaler", {"with_std": False}),
                                          ("RobustScaler", {"with_centering": False}), ("RobustScaler", {"with_scaling": False})])
def test_skip_options_match_sklearn(rng, make, params):
    # Check that each with_...=False option skips that step, as scikit-learn's transform does.
    X_train, X_test = _messy(rng), _messy(rng, n=10) * 1.5
    ours, sk = getattr(ex, make)(**params).fit(X_train), getattr(skp, make)(**params).fit(X_train)
    np.testing.assert_allclose(ours.transform(X_test), sk.transform(X_test), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ours.inverse_transform(ours.transform(X_test)), X_test, rtol=1e-10, atol=1e-9)


def test_standard_scaler_by_hand():
    # Check by hand: column [1, 3] has mean 2 and population std 1, so it maps to [-1, 1];
    # a constant column [5, 5] maps to [0, 0] with scale 1.
    scaler = ex.StandardScaler().fit([[1.0, 5.0], [3.0, 5.0]])
    np.testing.assert_allclose(scaler.mean_, [2.0, 5.0])
    np.testing.assert_allclose(scaler.var_, [1.0, 0.0])
    np.testing.assert_allclose(scaler.scale_, [1.0, 1.0])
    np.testing.assert_allclose(scaler.transform([[1.0, 5.0], [3.0, 5.0]]), [[-1.0, 0.0], [1.0, 0.0]])


def test_roundoff_constant_column_gets_scale_one():
    # Check that a column of 0.1s (whose computed variance may be ~1e-34, not 0) is treated as constant.
    scaler = ex.StandardScaler().fit(np.full((7, 1), 0.1))
    np.testing.assert_array_equal(scaler.scale_, [1.0])
    np.testing.assert_allclose(scaler.transform(np.full((2, 1), 0.1)), 0.0, atol=1e-15)


def test_minmax_and_robust_by_hand():
    # Check by hand: [0, 5, 10] -> [0, 0.5, 1] on (0, 1) and [-1, 0, 1] on (-1, 1); 20 -> 2 or 3
    # (no clip) or 1 (clip); robust: median 5, IQR 7.5 - 2.5 = 5.
    X = np.array([[0.0], [5.0], [10.0]])
    np.testing.assert_allclose(ex.MinMaxScaler().fit_transform(X)[:, 0], [0.0, 0.5, 1.0])
    scaler = ex.MinMaxScaler(feature_range=(-1, 1)).fit(X)
    np.testing.assert_allclose(scaler.transform(X)[:, 0], [-1.0, 0.0, 1.0])
    np.testing.assert_allclose(scaler.transform([[20.0]]), [[3.0]])
    np.testing.assert_allclose(ex.MinMaxScaler(clip=True).fit(X).transform([[20.0]]), [[1.0]])
    robust = ex.RobustScaler().fit(X)
    np.testing.assert_allclose([robust.center_[0], robust.scale_[0]], [5.0, 5.0])
    np.testing.assert_allclose(robust.transform(X)[:, 0], [-1.0, 0.0, 1.0])


@pytest.mark.parametrize("make", [ex.StandardScaler, ex.MinMaxScaler, ex.RobustScaler])
def test_fit_on_train_transform_test_uses_training_statistics(rng, make):
    # Check that transforming test data uses only the training statistics: the test output equals
    # sklearn's scaler fitted on the training set, and a test row's output ignores the other test rows.
    X_train, X_test = rng.normal(5, 2, (30, 3)), rng.normal(-40, 9, (6, 3))
    scaler = make().fit(X_train)
    sk = getattr(skp, make.__name__)().fit(X_train)
    np.testing.assert_allclose(scaler.transform(X_test), sk.transform(X_test), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(scaler.transform(X_test[:1]), scaler.transform(X_test)[:1], rtol=RTOL)
    assert np.abs(scaler.transform(X_test).mean(axis=0)).max() > 1.0  # test set is NOT re-centred


@pytest.mark.parametrize("make", [ex.StandardScaler, ex.MinMaxScaler, ex.RobustScaler])
def test_all_nan_column_gives_nan_without_warnings(make):
    # Check that a column with no observed value gives NaN statistics and output, and no RuntimeWarning
    # (the suite turns RuntimeWarnings into errors).
    X = np.array([[1.0, np.nan], [2.0, np.nan], [4.0, np.nan]])
    out = make().fit(X).transform([[3.0, 5.0]])
    assert np.isfinite(out[0, 0]) and np.isnan(out[0, 1])


@pytest.mark.parametrize("make", [ex.StandardScaler, ex.MinMaxScaler, ex.RobustScaler])
def test_transform_before_fit_and_wrong_columns(make):
    # Check the messages for transform before fit, and a different number of columns than in fit.
    with pytest.raises(NotFittedError, match="call fit"):
        make().transform([[1.0]])
    with pytest.raises(NotFittedError, match="call fit"):
        make().inverse_transform([[1.0]])
    scaler = make().fit([[1.0, 2.0], [3.0, 5.0]])
    with pytest.raises(ValueError, match="expecting 2 features"):
        scaler.transform([[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match="expecting 2 features"):
        scaler.inverse_transform([[1.0]])


def test_bad_parameters_and_input():
    # Check bad feature_range / quantile_range, infinity, text and 1-D input.
    with pytest.raises(ValueError, match="feature_range"):
        ex.MinMaxScaler(feature_range=(1, 1)).fit([[1.0]])
    with pytest.raises(ValueError, match="quantile_range"):
        ex.RobustScaler(quantile_range=(80, 20)).fit([[1.0]])
    with pytest.raises(ValueError, match="infinity"):
        ex.StandardScaler().fit([[np.inf]])
    with pytest.raises(TypeError, match="numbers"):
        ex.StandardScaler().fit([["a"]])
    with pytest.raises(ValueError, match="2-D"):
        ex.StandardScaler().fit([1.0, 2.0])
