"""Tests for ex11_creating_features: PolynomialFeatures and KBinsDiscretizer, against scikit-learn."""

import warnings

import numpy as np
import pytest
from sklearn import preprocessing as skp

import utils
from utils import data
from utils.validation import NotFittedError

ex = utils.load_exercise("04-feature-engineering/ex11_creating_features.py")

RTOL = 1e-12
ATOL = 1e-12


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
