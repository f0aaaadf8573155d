"""Tests for ex07_creating_features: PolynomialFeatures, KBinsDiscretizer, Box-Cox, date features."""

import datetime
import warnings

import numpy as np
import pytest
from scipy import special, stats
from sklearn import preprocessing as skp

import utils
from utils import data
from utils.validation import NotFittedError

ex = utils.load_exercise("04-feature-engineering/ex07_creating_features.py")

RTOL = 1e-12
ATOL = 1e-12
LAMBDA_ATOL = 1e-5  # golden section to 1e-9 vs SciPy's Brent: both find the same maximum


POLY_CASES = [(degree, interaction_only, include_bias, d) for degree in (0, 1, 2, 3) for interaction_only in (False, True)
              for include_bias in (False, True) for d in (1, 3) if degree > 0 or include_bias]  # else no output


@pytest.mark.parametrize("degree, interaction_only, include_bias, d", POLY_CASES)
def test_polynomial_features_match_sklearn(rng, degree, interaction_only, include_bias, d):
    # Check powers_, the column order, the values and the names against scikit-learn.
    X = rng.normal(size=(6, d))
    ours = ex.PolynomialFeatures(degree, interaction_only=interaction_only, include_bias=include_bias)
    assert ours.fit(X) is ours
    sk = skp.PolynomialFeatures(degree, interaction_only=interaction_only, include_bias=include_bias).fit(X)
    np.testing.assert_array_equal(ours.powers_, sk.powers_)
    assert ours.n_output_features_ == sk.n_output_features_
    np.testing.assert_allclose(ours.transform(X), sk.transform(X), rtol=RTOL, atol=ATOL)
    assert list(ours.get_feature_names_out()) == list(sk.get_feature_names_out())
    names = [f"f{j}" for j in range(d)]
    assert list(ours.get_feature_names_out(names)) == list(sk.get_feature_names_out(names))


def test_polynomial_features_by_hand():
    # Check by hand: x = (2, 3), degree 2 -> 1, 2, 3, 4, 6, 9; interaction_only -> 1, 2, 3, 6.
    np.testing.assert_allclose(ex.PolynomialFeatures(2).fit_transform([[2.0, 3.0]]), [[1, 2, 3, 4, 6, 9]])
    np.testing.assert_allclose(ex.PolynomialFeatures(2, interaction_only=True).fit_transform([[2.0, 3.0]]), [[1, 2, 3, 6]])
    assert list(ex.PolynomialFeatures(2).fit([[2.0, 3.0]]).get_feature_names_out(["a", "b"])) == ["1", "a", "b", "a^2", "a b", "b^2"]


def test_polynomial_features_errors():
    # Check the messages: bad degree, no output, NaN, wrong columns, transform before fit.
    with pytest.raises(ValueError, match="degree"):
        ex.PolynomialFeatures(degree=-1).fit([[1.0]])
    with pytest.raises(ValueError, match="degree"):
        ex.PolynomialFeatures(degree=2.5).fit([[1.0]])
    with pytest.raises(ValueError, match="no output"):
        ex.PolynomialFeatures(degree=0, include_bias=False).fit([[1.0]])
    with pytest.raises(ValueError, match="NaN"):
        ex.PolynomialFeatures().fit([[np.nan]])
    with pytest.raises(NotFittedError, match="call fit"):
        ex.PolynomialFeatures().transform([[1.0]])
    with pytest.raises(ValueError, match="expecting 2 features"):
        ex.PolynomialFeatures().fit([[1.0, 2.0]]).transform([[1.0]])


def test_degree_two_features_make_circles_linearly_separable():
    # Check the lesson: a least-squares linear classifier fails on circles with x1, x2 but
    # separates them with the degree-2 features (the boundary x1^2 + x2^2 = r^2 is linear in them).
    X, y = data.make_circles(n_samples=200, noise=0.03, factor=0.5, random_state=0)
    target = 2.0 * y - 1.0

    def accuracy(features):
        A = np.column_stack([features, np.ones(len(y))])
        w = np.linalg.lstsq(A, target, rcond=None)[0]
        return np.mean(np.sign(A @ w) == target)

    assert accuracy(X) < 0.7
    assert accuracy(ex.PolynomialFeatures(2, include_bias=False).fit_transform(X)) > 0.98


def _sk_bins(**params):
    # Our quantiles are scikit-learn's default from 1.9 on; name it so 1.7 and 1.8 use the same rule.
    if params.get("strategy", "quantile") == "quantile":
        params.setdefault("quantile_method", "averaged_inverted_cdf")
    return skp.KBinsDiscretizer(encode="ordinal", **params)


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
@pytest.mark.parametrize("quantile_method", ["averaged_inverted_cdf", "linear"])
def test_kbins_matches_sklearn(rng, strategy, quantile_method):
    # Check bin_edges_, n_bins_, transform of new data (also beyond the training range) and
    # inverse_transform against scikit-learn, with per-feature n_bins, a constant feature and heavy ties.
    X = np.column_stack([rng.exponential(2.0, 40), rng.normal(size=40), np.full(40, 3.0), rng.integers(0, 3, 40)])
    X_new = np.vstack([rng.normal(size=(5, 4)) * 5, X[:3]])
    params = dict(n_bins=[4, 5, 3, 6], strategy=strategy, quantile_method=quantile_method)
    ours = ex.KBinsDiscretizer(**params).fit(X)
    with warnings.catch_warnings():  # sklearn warns about the constant feature and the dropped bins
        warnings.simplefilter("ignore", UserWarning)
        sk = _sk_bins(**params).fit(X)
    np.testing.assert_array_equal(ours.n_bins_, sk.n_bins_)
    for a, b in zip(ours.bin_edges_, sk.bin_edges_):
        np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL)
    np.testing.assert_array_equal(ours.transform(X_new), sk.transform(X_new))
    Xt = ours.transform(X)
    with np.errstate(invalid="ignore"):  # sklearn computes the constant feature's centre as (-inf + inf) / 2
        expected = sk.inverse_transform(Xt)
    np.testing.assert_allclose(ours.inverse_transform(Xt), expected, rtol=RTOL, atol=ATOL)


@pytest.mark.filterwarnings("ignore:Feature .* is constant")
def test_kbins_single_row_like_sklearn():
    # Check a one-row training set: every feature is constant, one bin with edges [-inf, inf].
    X = np.array([[2.0, -1.0]])
    ours, sk = ex.KBinsDiscretizer(n_bins=3).fit(X), _sk_bins(n_bins=3).fit(X)
    np.testing.assert_array_equal(ours.n_bins_, sk.n_bins_)
    np.testing.assert_array_equal(ours.transform([[5.0, -9.0]]), sk.transform([[5.0, -9.0]]))


def test_kbins_by_hand():
    # Check by hand: 0..10 in 5 uniform bins -> edges 0, 2, 4, 6, 8, 10; 1 -> 0, 2 -> 1 (edges go
    # to the right bin), 10 -> 4 (the last bin is closed), -3 -> 0 and 99 -> 4 (clipped to the ends).
    binner = ex.KBinsDiscretizer(n_bins=5, strategy="uniform").fit(np.linspace(0, 10, 11)[:, None])
    np.testing.assert_allclose(binner.bin_edges_[0], [0, 2, 4, 6, 8, 10])
    np.testing.assert_array_equal(binner.transform([[1.0], [2.0], [10.0], [-3.0], [99.0]])[:, 0], [0, 1, 4, 0, 4])
    np.testing.assert_allclose(binner.inverse_transform([[0.0], [4.0]])[:, 0], [1.0, 9.0])


def test_quantile_bins_hold_equal_counts(rng):
    # Check the point of quantile bins: on continuous data, each of 4 bins gets 25 of 100 rows.
    x = rng.exponential(size=(100, 1))
    counts = np.bincount(ex.KBinsDiscretizer(n_bins=4).fit_transform(x)[:, 0].astype(int))
    np.testing.assert_array_equal(counts, [25, 25, 25, 25])


def test_kbins_errors():
    # Check the messages: bad n_bins, strategy, encode, and a bin index out of range.
    with pytest.raises(ValueError, match="n_bins"):
        ex.KBinsDiscretizer(n_bins=1).fit([[1.0], [2.0]])
    with pytest.raises(ValueError, match="strategy"):
        ex.KBinsDiscretizer(strategy="kmeans").fit([[1.0], [2.0]])
    with pytest.raises(ValueError, match="encode"):
        ex.KBinsDiscretizer(encode="onehot").fit([[1.0], [2.0]])
    binner = ex.KBinsDiscretizer(n_bins=2).fit([[1.0], [2.0], [3.0]])
    with pytest.raises(ValueError, match="bin indices"):
        binner.inverse_transform([[5.0]])
    with pytest.raises(NotFittedError, match="call fit"):
        ex.KBinsDiscretizer().transform([[1.0]])


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
