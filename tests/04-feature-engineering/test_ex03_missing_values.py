"""Tests for ex03_missing_values: SimpleImputer and MissingIndicator against scikit-learn."""

import numpy as np
import pytest
import sklearn
from sklearn.impute import MissingIndicator as SkMissingIndicator
from sklearn.impute import SimpleImputer as SkSimpleImputer

import utils
from utils.validation import NotFittedError

ex = utils.load_exercise("04-feature-engineering/ex03_missing_values.py")

RTOL = 1e-10  # same arithmetic as scikit-learn up to summation order
ATOL = 1e-10
SKLEARN_VERSION = tuple(int(part) for part in sklearn.__version__.split(".")[:2])


def _with_nans(rng, n=30, d=4, fraction=0.2, integers=False):
    """Random data with `fraction` of the entries missing; integers make ties in most_frequent."""
    X = rng.integers(0, 4, size=(n, d)).astype(float) if integers else rng.standard_normal((n, d)) * [1, 10, 100, 0.1][:d]
    X[rng.uniform(size=X.shape) < fraction] = np.nan
    return X


@pytest.mark.parametrize("strategy", ["mean", "median", "most_frequent", "constant"])
@pytest.mark.parametrize("add_indicator", [False, True])
def test_simple_imputer_matches_sklearn(rng, strategy, add_indicator):
    # Check statistics_ and the output against scikit-learn, fitted on one set and applied to
    # another, with indicator columns; integer data so that most_frequent has ties.
    X_train = _with_nans(rng, integers=strategy == "most_frequent")
    X_test = _with_nans(rng, n=10, integers=strategy == "most_frequent")
    X_test[0, 1] = np.nan  # make sure the test set has missing values too
    ours = ex.SimpleImputer(strategy=strategy, fill_value=-7.0, add_indicator=add_indicator)
    assert ours.fit(X_train) is ours
    sk = SkSimpleImputer(strategy=strategy, fill_value=-7.0, add_indicator=add_indicator).fit(X_train)
    np.testing.assert_allclose(ours.statistics_, sk.statistics_.astype(float), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ours.transform(X_test), sk.transform(X_test), rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ours.fit_transform(X_train), sk.transform(X_train), rtol=RTOL, atol=ATOL)


def test_simple_imputer_by_hand():
    # Check by hand on column [1, NaN, 3, 3, 10]: mean 17/4 = 4.25, median (3 + 3)/2 = 3, mode 3.
    X = np.array([[1.0], [np.nan], [3.0], [3.0], [10.0]])
    for strategy, expected in [("mean", 4.25), ("median", 3.0), ("most_frequent", 3.0), ("constant", 0.0)]:
        out = ex.SimpleImputer(strategy=strategy).fit_transform(X)
        np.testing.assert_allclose(out[:, 0], [1.0, expected, 3.0, 3.0, 10.0], atol=ATOL)


def test_most_frequent_tie_goes_to_the_smallest_value():
    # Check the tie rule by hand: 5 and 2 appear twice each, 9 once -> 2 (the smaller), as sklearn.
    X = np.array([[5.0], [2.0], [9.0], [5.0], [2.0], [np.nan]])
    assert ex.SimpleImputer(strategy="most_frequent").fit(X).statistics_[0] == 2.0
    assert ex.column_statistic(np.array([3.0, -1.0]), "most_frequent") == -1.0


def test_imputer_uses_training_statistics_only():
    # Check that transform fills test values with the TRAIN mean (2), not the test mean (100),
    # and that one test row's output does not depend on the other test rows.
    imputer = ex.SimpleImputer().fit([[1.0], [3.0]])
    np.testing.assert_allclose(imputer.transform([[np.nan], [100.0]]), [[2.0], [100.0]], atol=ATOL)
    np.testing.assert_allclose(imputer.transform([[np.nan], [-5.0]])[0], [2.0], atol=ATOL)


@pytest.mark.filterwarnings("ignore:Skipping features without any observed values")
@pytest.mark.parametrize("strategy", ["mean", "median", "most_frequent", "constant"])
@pytest.mark.parametrize("keep", [False, True])
def test_all_missing_column_like_sklearn(rng, strategy, keep):
    # Check the documented choice for a column with no observed value: dropped by default,
    # zeros (fill_value for "constant") with keep_empty_features=True, exactly as sklearn.
    if strategy == "constant" and not keep and SKLEARN_VERSION < (1, 8):
        pytest.skip("scikit-learn < 1.8 still keeps empty columns for strategy='constant'; we follow 1.8 and later")
    X = _with_nans(rng, n=8, d=3)
    X[:, 1] = np.nan
    ours = ex.SimpleImputer(strategy=strategy, fill_value=4.0, keep_empty_features=keep, add_indicator=True).fit(X)
    sk = SkSimpleImputer(strategy=strategy, fill_value=4.0, keep_empty_features=keep, add_indicator=True).fit(X)
    out = ours.transform(X)
    assert out.shape == sk.transform(X).shape
    np.testing.assert_allclose(out, sk.transform(X), rtol=RTOL, atol=ATOL)


def test_missing_values_marker_other_than_nan():
    # Check missing_values=-1 against sklearn, and that a NaN is then refused with a clear message.
    X = np.array([[1.0, -1.0], [3.0, 4.0], [-1.0, 6.0]])
    ours = ex.SimpleImputer(missing_values=-1.0).fit(X)
    np.testing.assert_allclose(ours.transform(X), SkSimpleImputer(missing_values=-1.0).fit(X).transform(X), atol=ATOL)
    with pytest.raises(ValueError, match="NaN"):
        ours.transform([[np.nan, 1.0]])


def test_single_row_and_constant_column():
    # Check a single training row (its values are the statistics) and a constant column.
    imputer = ex.SimpleImputer(strategy="median").fit([[2.0, 5.0]])
    np.testing.assert_allclose(imputer.transform([[np.nan, np.nan]]), [[2.0, 5.0]], atol=ATOL)
    X = np.array([[7.0, 1.0], [7.0, np.nan], [np.nan, 3.0]])
    np.testing.assert_allclose(ex.SimpleImputer().fit_transform(X), [[7.0, 1.0], [7.0, 2.0], [7.0, 3.0]], atol=ATOL)


@pytest.mark.parametrize("features", ["missing-only", "all"])
def test_missing_indicator_matches_sklearn(rng, features):
    # Check features_ and the boolean mask columns against scikit-learn.
    X = _with_nans(rng, n=20, d=4)
    X[:, 3] = 1.0  # a column without missing values
    ours = ex.MissingIndicator(features=features).fit(X)
    sk = SkMissingIndicator(features=features).fit(X)
    np.testing.assert_array_equal(ours.features_, sk.features_)
    out = ours.transform(X)
    assert out.dtype == bool
    np.testing.assert_array_equal(out, sk.transform(X))


def test_missing_indicator_error_on_new():
    # Check that a column missing only at transform time is reported, unless error_on_new=False.
    X_fit = np.array([[1.0, np.nan], [2.0, 3.0]])
    X_new = np.array([[np.nan, 1.0]])
    with pytest.raises(ValueError, match=r"\[0\]"):
        ex.MissingIndicator().fit(X_fit).transform(X_new)
    np.testing.assert_array_equal(ex.MissingIndicator(error_on_new=False).fit(X_fit).transform(X_new), [[False]])


@pytest.mark.parametrize("make", [ex.SimpleImputer, ex.MissingIndicator])
def test_transform_before_fit_and_wrong_columns(make):
    # Check the messages: transform before fit, and a different number of columns than in fit.
    with pytest.raises(NotFittedError, match="call fit"):
        make().transform([[1.0, 2.0]])
    fitted = make().fit([[1.0, np.nan], [3.0, 4.0]])
    with pytest.raises(ValueError, match="expecting 2 features"):
        fitted.transform([[1.0, 2.0, 3.0]])


def test_bad_input_gets_clear_errors():
    # Check unknown strategy names, infinities and text.
    with pytest.raises(ValueError, match="strategy must be one of"):
        ex.SimpleImputer(strategy="average").fit([[1.0]])
    with pytest.raises(ValueError, match="infinity"):
        ex.SimpleImputer().fit([[np.inf]])
    with pytest.raises(TypeError, match="numbers"):
        ex.SimpleImputer().fit([["a"]])
    with pytest.raises(ValueError, match="2-D"):
        ex.SimpleImputer().fit([1.0, 2.0])
