"""Tests for ex12_transforming_features: Box-Cox (against SciPy), date features and cyclic encoding."""

import datetime

import numpy as np
import pytest
from scipy import special, stats

import utils

ex = utils.load_exercise("04-feature-engineering/ex12_transforming_features.py")

LAMBDA_ATOL = 1e-5  # golden section to 1e-9 vs SciPy's Brent: both find the same maximum


@pytest.mark.parametrize("lmbda", [-2.0, -0.5, 0.0, 1e-14, 0.3, 1.0, 2.5])
def test_boxcox_matches_scipy(rng, lmbda):
    # Check the transform against scipy.special.boxcox (including lambda = 0: log), and its inverse.
    x = rng.lognormal(0.0, 1.0, 30)
    y = ex.boxcox(x, lmbda)
    np.testing.assert_allclose(y, special.boxcox(x, lmbda), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ex.inv_boxcox(y, lmbda), x, rtol=1e-10)


@pytest.mark.parametrize("lmbda", [-1.0, 0.0, 0.5, 2.0])
def test_boxcox_llf_matches_scipy(rng, lmbda):
    # Check the profile log-likelihood against scipy.stats.boxcox_llf.
    x = rng.gamma(2.0, 3.0, 50)
    np.testing.assert_allclose(ex.boxcox_llf(lmbda, x), stats.boxcox_llf(lmbda, x), rtol=1e-10)


@pytest.mark.parametrize("make", [lambda r: r.lognormal(0, 0.7, 200), lambda r: r.gamma(1.5, 2.0, 200),
                                  lambda r: r.normal(50, 5, 200), lambda r: 1.0 / r.uniform(0.2, 1.0, 200) ** 2])
def test_boxcox_mle_matches_scipy(rng, make):
    # Check the maximum-likelihood lambda against scipy.stats.boxcox, on four shapes of data.
    x = make(rng)
    np.testing.assert_allclose(ex.boxcox_mle(x), stats.boxcox(x)[1], atol=LAMBDA_ATOL)


def test_boxcox_mle_is_zero_for_lognormal_data_by_construction(rng):
    # Check a property: for exactly log-normal data the log (lambda = 0) is the right transform,
    # so the estimate is near 0; and the llf is maximal there compared with nearby lambdas.
    x = np.exp(rng.normal(size=5000))
    lam = ex.boxcox_mle(x)
    assert abs(lam) < 0.05
    assert ex.boxcox_llf(lam, x) >= max(ex.boxcox_llf(lam - 0.01, x), ex.boxcox_llf(lam + 0.01, x))


def test_boxcox_rejects_non_positive_data():
    # Check the message for zeros or negatives, and for constant data in the search.
    for bad in ([1.0, 0.0, 2.0], [1.0, -1.0]):
        with pytest.raises(ValueError, match="strictly positive"):
            ex.boxcox(np.array(bad), 0.5)
    with pytest.raises(ValueError, match="constant"):
        ex.boxcox_mle(np.array([2.0, 2.0, 2.0]))


def test_datetime_features_match_python_datetime(rng):
    # Check weekday, month and hour against Python's datetime, including dates before 1970.
    seconds = rng.integers(-3_000_000_000, 3_000_000_000, size=200)
    stamps = seconds.astype("datetime64[s]")
    feats = ex.datetime_features(stamps)
    epoch = datetime.datetime(1970, 1, 1)
    expected = [epoch + datetime.timedelta(seconds=int(s)) for s in seconds]
    np.testing.assert_array_equal(feats["day_of_week"], [d.weekday() for d in expected])
    np.testing.assert_array_equal(feats["month"], [d.month for d in expected])
    np.testing.assert_array_equal(feats["hour"], [d.hour for d in expected])


def test_datetime_features_by_hand():
    # Check by hand: 2024-02-29 13:45 is a Thursday (3) in February at hour 13; reject non-dates.
    feats = ex.datetime_features(np.array(["2024-02-29T13:45"], dtype="datetime64[m]"))
    assert (feats["day_of_week"][0], feats["month"][0], feats["hour"][0]) == (3, 2, 13)
    with pytest.raises(TypeError, match="datetime64"):
        ex.datetime_features(np.array([1, 2]))


def test_cyclic_encode_by_hand_and_closeness():
    # Check by hand: hour 6 -> (sin, cos) = (1, 0), hour 0 and 24 coincide; 23h is as close to 0h
    # as 1h is, and on the unit circle.
    np.testing.assert_allclose(ex.cyclic_encode([6, 0, 24], 24), [[1, 0], [0, 1], [0, 1]], atol=1e-12)
    points = ex.cyclic_encode(np.arange(24), 24)
    np.testing.assert_allclose(np.linalg.norm(points, axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(points[23] - points[0]), np.linalg.norm(points[1] - points[0]), rtol=1e-12)
    with pytest.raises(ValueError, match="period"):
        ex.cyclic_encode([1], 0)
