"""Tests for ex14_recursive_feature_elimination: RFE and its importance rule, against scikit-learn."""

import numpy as np
import pytest
from sklearn import feature_selection as skfs
from sklearn.linear_model import LinearRegression as SkLinearRegression
from sklearn.linear_model import LogisticRegression as SkLogisticRegression

import utils
from utils import data
from utils.validation import NotFittedError

ex = utils.load_exercise("04-feature-engineering/ex14_recursive_feature_elimination.py")


def _regression(rng, n=60, d=8):
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 2.0, size=d)
    y = X @ rng.normal(0, 2, size=d) + rng.normal(size=n)
    return X, y


@pytest.mark.parametrize("n_select, step", [(None, 1), (3, 1), (3, 2), (1, 3), (0.5, 0.3), (8, 1), (2, 0.1)])
def test_rfe_matches_sklearn_with_linear_regression(rng, n_select, step):
    # Check ranking_, support_ and predictions against sklearn's RFE with the same estimator
    # (sklearn's LinearRegression in both), for int and fractional n_features_to_select and step.
    X, y = _regression(rng)
    ours = ex.RFE(SkLinearRegression(), n_features_to_select=n_select, step=step)
    assert ours.fit(X, y) is ours
    sk = skfs.RFE(SkLinearRegression(), n_features_to_select=n_select, step=step).fit(X, y)
    np.testing.assert_array_equal(ours.ranking_, sk.ranking_)
    np.testing.assert_array_equal(ours.support_, sk.support_)
    assert ours.n_features_ == sk.n_features_
    np.testing.assert_allclose(ours.predict(X), sk.predict(X), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(ours.score(X, y), sk.score(X, y), rtol=1e-10)


def test_rfe_matches_sklearn_with_logistic_regression_binary_and_multiclass():
    # Check ranking_ with sklearn's LogisticRegression in both, for two classes (coef_ of shape (1, d))
    # and three classes (coef_ of shape (3, d): importances summed over the rows).
    X, y = data.load_iris()
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    for labels in (y, (y == 2).astype(int)):
        est = SkLogisticRegression(C=0.5, solver="newton-cholesky", max_iter=1000)
        ours = ex.RFE(est, n_features_to_select=1).fit(X, labels)
        sk = skfs.RFE(est, n_features_to_select=1).fit(X, labels)
        np.testing.assert_array_equal(ours.ranking_, sk.ranking_)


def test_rfe_with_module_02_linear_regression(rng):
    # Check that our RFE around the module-02 LinearRegression ranks like sklearn's RFE around
    # sklearn's LinearRegression: same model, same coefficients, same ranking.
    linreg = utils.load_exercise("02-fundamentals-of-machine-learning/ex01_linear_regression.py", practice=False)
    X, y = _regression(rng)
    ours = ex.RFE(linreg.LinearRegression(), n_features_to_select=2).fit(X, y)
    sk = skfs.RFE(SkLinearRegression(), n_features_to_select=2).fit(X, y)
    np.testing.assert_array_equal(ours.ranking_, sk.ranking_)


def test_rfe_by_hand():
    # Check by hand: y = 3 x0 + 1 x2 exactly with x1 irrelevant and equal scales; RFE to 1 feature
    # removes x1 first (rank 3), then x2 (rank 2), and keeps x0 (rank 1).
    rng = np.random.default_rng(5)
    X = rng.normal(size=(50, 3))
    y = 3 * X[:, 0] + 1 * X[:, 2]
    np.testing.assert_array_equal(ex.RFE(SkLinearRegression(), n_features_to_select=1).fit(X, y).ranking_, [1, 3, 2])


def test_feature_importances_rules():
    # Check the importance rule: coef_^2, summed over rows for 2-D coef_; feature_importances_ otherwise.
    class Flat:
        coef_ = np.array([1.0, -2.0])

    class Rows:
        coef_ = np.array([[1.0, -2.0], [3.0, 0.0]])

    class Tree:
        feature_importances_ = np.array([0.7, 0.3])

    np.testing.assert_allclose(ex.feature_importances(Flat()), [1.0, 4.0])
    np.testing.assert_allclose(ex.feature_importances(Rows()), [10.0, 4.0])
    np.testing.assert_allclose(ex.feature_importances(Tree()), [0.7, 0.3])
    with pytest.raises(TypeError, match="coef_"):
        ex.feature_importances(object())


def test_rfe_bad_parameters(rng):
    # Check the messages for bad n_features_to_select and step.
    X, y = _regression(rng, d=4)
    for bad in (0, 5, 1.5, "2"):
        with pytest.raises(ValueError, match="n_features_to_select"):
            ex.RFE(SkLinearRegression(), n_features_to_select=bad).fit(X, y)
    for bad in (0, -1, 2.0):
        with pytest.raises(ValueError, match="step"):
            ex.RFE(SkLinearRegression(), step=bad).fit(X, y)


def test_transform_before_fit_and_wrong_columns(rng):
    # Check the messages for transform before fit and a different number of columns than in fit.
    with pytest.raises(NotFittedError, match="call fit"):
        ex.RFE(SkLinearRegression(), 1).transform(np.ones((2, 3)))
    X, y = _regression(rng, d=3)
    fitted = ex.RFE(SkLinearRegression(), 1).fit(X, y)
    with pytest.raises(ValueError, match="expecting 3 features"):
        fitted.transform(np.ones((2, 4)))
