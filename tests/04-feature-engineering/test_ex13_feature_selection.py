"""Tests for ex13_feature_selection: VarianceThreshold, correlation filter, mutual information."""

import numpy as np
import pytest
from scipy import stats
from sklearn import feature_selection as skfs
from sklearn.metrics import mutual_info_score

import utils
from utils.validation import NotFittedError

ex = utils.load_exercise("04-feature-engineering/ex13_feature_selection.py")

RTOL = 1e-10
ATOL = 1e-12


def _with_nans_and_constants(rng, n=20):
    """NaNs everywhere except in the last column, a constant 0.1 whose variance is round-off (see below)."""
    X = rng.normal(size=(n, 5)) * [1.0, 0.3, 2.0, 0.0, 0.0] + [0.0, 0.0, 0.0, 7.0, 0.1]
    X[:, :4][rng.uniform(size=(n, 4)) < 0.15] = np.nan
    X[:2, 3] = 7.0  # observed values in the constant column with NaNs
    return X


@pytest.mark.parametrize("threshold", [0.0, 0.2, 1.0])
def test_variance_threshold_matches_sklearn(rng, threshold):
    # Check variances_, the mask, transform and inverse_transform against scikit-learn, with NaNs
    # (ignored) and constant columns (removed, including 0.1 whose variance is round-off).
    X = _with_nans_and_constants(rng)
    ours = ex.VarianceThreshold(threshold)
    assert ours.fit(X) is ours
    sk = skfs.VarianceThreshold(threshold).fit(X)
    np.testing.assert_allclose(ours.variances_, sk.variances_, rtol=RTOL, atol=ATOL)
    np.testing.assert_array_equal(ours.get_support(), sk.get_support())
    np.testing.assert_array_equal(ours.get_support(indices=True), sk.get_support(indices=True))
    np.testing.assert_array_equal(ours.transform(X), sk.transform(X))
    expected = np.zeros_like(X)  # sklearn's inverse_transform refuses NaN: kept columns back, zeros elsewhere
    expected[:, sk.get_support()] = X[:, sk.get_support()]
    np.testing.assert_array_equal(ours.inverse_transform(ours.transform(X)), expected)


def test_variance_threshold_by_hand():
    # Check by hand: [1, 3] has variance 1, [5, 5] has 0; threshold 0 keeps the first only,
    # and the removed column comes back as zeros in inverse_transform.
    X = np.array([[1.0, 5.0], [3.0, 5.0]])
    selector = ex.VarianceThreshold().fit(X)
    np.testing.assert_allclose(selector.variances_, [1.0, 0.0])
    np.testing.assert_array_equal(selector.transform(X), [[1.0], [3.0]])
    np.testing.assert_array_equal(selector.inverse_transform([[1.0], [3.0]]), [[1.0, 0.0], [3.0, 0.0]])
    assert list(selector.get_feature_names_out(["a", "b"])) == ["a"]


def test_roundoff_constant_column_with_nan_is_removed():
    # Check our documented choice: a column of 0.1s with a NaN is constant and removed. (scikit-learn's
    # max - min is NaN there, so it falls back to the round-off variance ~1e-34 > 0 and keeps it.)
    X = np.column_stack([np.arange(6.0), np.full(6, 0.1)])
    X[2, 1] = np.nan
    np.testing.assert_array_equal(ex.VarianceThreshold().fit(X).get_support(), [True, False])


def test_variance_threshold_keeps_nothing_is_an_error():
    # Check that a threshold nothing passes gets a clear error (as in scikit-learn).
    with pytest.raises(ValueError, match="no feature"):
        ex.VarianceThreshold(threshold=10.0).fit([[1.0], [2.0]])
    with pytest.raises(ValueError, match="threshold"):
        ex.VarianceThreshold(threshold=-1.0).fit([[1.0], [2.0]])
    with pytest.raises(ValueError, match="no feature"):  # a single row: every feature is constant
        ex.VarianceThreshold().fit([[1.0, 2.0]])


def test_correlation_matrix_matches_numpy(rng):
    # Check the Pearson correlations against np.corrcoef, and 0 off the diagonal for a constant column.
    X = rng.normal(size=(30, 4)) @ rng.normal(size=(4, 4))
    np.testing.assert_allclose(ex.correlation_matrix(X), np.corrcoef(X, rowvar=False), rtol=1e-10, atol=1e-12)
    r = ex.correlation_matrix(np.column_stack([X, np.full(30, 2.5)]))
    np.testing.assert_array_equal(r[-1, :-1], 0.0)
    assert r[-1, -1] == 1.0


def test_correlation_filter_by_hand(rng):
    # Check the deterministic rule by hand: columns a, 2a, b, -a, c -> 2a and -a (|r| = 1 with the
    # earlier kept a) are dropped; a, b, c are kept. Reordering columns keeps the first of each group.
    a, b, c = rng.normal(size=(3, 40))
    X = np.column_stack([a, 2 * a, b, -a, c])
    selector = ex.CorrelationFilter(threshold=0.9).fit(X)
    np.testing.assert_array_equal(selector.get_support(), [True, False, True, False, True])
    np.testing.assert_array_equal(selector.transform(X), X[:, [0, 2, 4]])
    X2 = np.column_stack([b, -a, a, c])
    np.testing.assert_array_equal(ex.CorrelationFilter(0.9).fit(X2).get_support(), [True, True, False, True])


def test_correlation_filter_chain_is_not_transitive(rng):
    # Check the rule compares with KEPT columns only: x0 ~ x1 (dropped) and x1 ~ x2, but x0 and x2
    # are only moderately correlated, so x2 stays.
    t = rng.normal(size=200)
    x0 = t
    x1 = t + 0.35 * rng.normal(size=200)
    x2 = x1 + 0.35 * rng.normal(size=200)
    r = np.corrcoef([x0, x1, x2])
    assert r[0, 1] > 0.9 and r[1, 2] > 0.9 and r[0, 2] < 0.9  # the premise of the test
    np.testing.assert_array_equal(ex.CorrelationFilter(0.9).fit(np.column_stack([x0, x1, x2])).get_support(), [True, False, True])


def test_mutual_information_matches_sklearn(rng):
    # Check against sklearn.metrics.mutual_info_score (nats) on integers and on strings.
    for _ in range(5):
        x = rng.integers(0, 5, 60)
        y = (x + rng.integers(0, 3, 60)) % 4
        np.testing.assert_allclose(ex.mutual_info_discrete(x, y), mutual_info_score(x, y), rtol=1e-10, atol=1e-12)
    words = np.array(["low", "mid", "high"])[rng.integers(0, 3, 50)]
    labels = np.array(["no", "yes"])[rng.integers(0, 2, 50)]
    np.testing.assert_allclose(ex.mutual_info_discrete(words, labels), mutual_info_score(words, labels), rtol=1e-10, atol=1e-12)


def test_mutual_information_by_hand():
    # Check by hand: an independent 2x2 table gives 0; y = x with two equally likely values gives log 2;
    # a constant variable tells nothing (0).
    assert ex.mutual_info_discrete([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(0.0, abs=1e-15)
    assert ex.mutual_info_discrete([0, 1, 0, 1], [5, 7, 5, 7]) == pytest.approx(np.log(2))
    assert ex.mutual_info_discrete([3, 3, 3], [0, 1, 2]) == pytest.approx(0.0, abs=1e-15)


def test_mutual_information_with_itself_is_the_entropy(rng):
    # Check I(x; x) = H(x), with the entropy from scipy.stats.entropy of the frequencies.
    x = rng.integers(0, 6, 100)
    np.testing.assert_allclose(ex.mutual_info_discrete(x, x), stats.entropy(np.bincount(x)), rtol=1e-12)
    np.testing.assert_allclose(ex.mutual_info_scores(np.column_stack([x, x % 2]), x),
                               [stats.entropy(np.bincount(x)), stats.entropy(np.bincount(x % 2))], rtol=1e-12)


def test_mutual_information_bad_input():
    # Check mismatched lengths and 1-D X for the per-column version.
    with pytest.raises(ValueError, match="same length"):
        ex.mutual_info_discrete([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="2-D"):
        ex.mutual_info_scores(np.array([1, 2]), [1, 2])


@pytest.mark.parametrize("make", [lambda: ex.VarianceThreshold(), lambda: ex.CorrelationFilter()])
def test_transform_before_fit_and_wrong_columns(rng, make):
    # Check the messages for transform before fit and a different number of columns than in fit.
    with pytest.raises(NotFittedError, match="call fit"):
        make().transform(np.ones((2, 3)))
    X = rng.normal(size=(10, 3))
    fitted = make().fit(X)
    with pytest.raises(ValueError, match="expecting 3 features"):
        fitted.transform(np.ones((2, 4)))
