"""Tests for ex07_learning_curves: parity with scikit-learn's learning_curve and validation_curve."""

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.model_selection import KFold
from sklearn.model_selection import learning_curve as sklearn_learning_curve
from sklearn.model_selection import validation_curve as sklearn_validation_curve
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.tree import DecisionTreeRegressor

import utils
from utils import data

ex = utils.load_exercise("05-model-optimization/ex07_learning_curves.py")

ATOL = 1e-12  # the same fits and the same arithmetic: only round-off may differ


@pytest.fixture(scope="module")
def regression():
    X, y = data.load_diabetes()
    return X[:120] * np.sqrt(len(X)), y[:120]


def folds_for(n_samples, n_splits=4, seed=0):
    """Explicit shuffled (train, test) pairs, given to both implementations."""
    return list(KFold(n_splits, shuffle=True, random_state=seed).split(np.zeros((n_samples, 1))))


def test_train_sizes_by_hand():
    # Check by hand with n_max = 45: 0.1 -> floor(4.5) = 4, 0.5 -> 22, 1.0 -> 45; tiny fractions
    # clip to 1 and repeated sizes are dropped; counts are kept as they are.
    np.testing.assert_array_equal(ex.train_sizes_absolute([0.1, 0.5, 1.0], 45), [4, 22, 45])
    np.testing.assert_array_equal(ex.train_sizes_absolute([0.01, 0.02, 0.5], 45), [1, 22])
    np.testing.assert_array_equal(ex.train_sizes_absolute([10, 5, 10], 45), [5, 10])


@pytest.mark.parametrize("fractions", [np.linspace(0.1, 1.0, 5), np.array([0.33, 0.66, 0.99]), np.array([0.05, 0.07, 1.0])])
def test_absolute_sizes_match_scikit_learn(regression, fractions):
    # Check the fractions -> sizes rule against the sizes scikit-learn's learning_curve reports.
    X, y = regression
    folds = folds_for(len(X), 3)
    ours = ex.train_sizes_absolute(fractions, len(folds[0][0]))
    theirs, _, _ = sklearn_learning_curve(Ridge(), X, y, train_sizes=fractions, cv=folds)
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize(
    "estimator, scoring",
    [(Ridge(alpha=1.0), "neg_mean_squared_error"), (DecisionTreeRegressor(max_depth=4, random_state=0), "r2")],
    ids=["ridge", "tree"],
)
def test_learning_curve_matches_scikit_learn(regression, estimator, scoring):
    # Check sizes, training scores and held-out scores against scikit-learn with the same folds.
    X, y = regression
    folds = folds_for(len(X))
    sizes, train, test = ex.learning_curve(estimator, X, y, np.linspace(0.2, 1.0, 4), cv=folds, scoring=scoring)
    ref_sizes, ref_train, ref_test = sklearn_learning_curve(estimator, X, y, train_sizes=np.linspace(0.2, 1.0, 4), cv=folds, scoring=scoring)
    np.testing.assert_array_equal(sizes, ref_sizes)
    assert train.shape == ref_train.shape == (4, 4)
    np.testing.assert_allclose(train, ref_train, atol=ATOL)
    np.testing.assert_allclose(test, ref_test, atol=ATOL)


def test_learning_curve_matches_scikit_learn_for_a_classifier(rng):
    # Check a classifier with accuracy and integer training sizes.
    X, y = data.load_iris()
    order = rng.permutation(len(X))  # no shuffling inside: mix the classes before the contiguous folds
    X, y = X[order], y[order]
    sizes, train, test = ex.learning_curve(KNeighborsClassifier(3), X, y, [20, 60, 100], cv=5, scoring="accuracy")
    ref_sizes, ref_train, ref_test = sklearn_learning_curve(KNeighborsClassifier(3), X, y, train_sizes=[20, 60, 100], cv=KFold(5), scoring="accuracy")
    np.testing.assert_array_equal(sizes, ref_sizes)
    np.testing.assert_allclose(train, ref_train, atol=ATOL)
    np.testing.assert_allclose(test, ref_test, atol=ATOL)


@pytest.mark.parametrize(
    "estimator, name, values",
    [(Ridge(), "alpha", [0.01, 1.0, 100.0, 1e4]), (KNeighborsRegressor(), "n_neighbors", [1, 3, 9, 27])],
    ids=["ridge-alpha", "knn-k"],
)
def test_validation_curve_matches_scikit_learn(regression, estimator, name, values):
    # Check both score arrays against scikit-learn's validation_curve with the same folds.
    X, y = regression
    folds = folds_for(len(X), 5, seed=3)
    train, test = ex.validation_curve(estimator, X, y, name, values, cv=folds, scoring="neg_mean_squared_error")
    ref_train, ref_test = sklearn_validation_curve(estimator, X, y, param_name=name, param_range=values, cv=folds, scoring="neg_mean_squared_error")
    assert train.shape == (4, 5)
    np.testing.assert_allclose(train, ref_train, atol=ATOL)
    np.testing.assert_allclose(test, ref_test, atol=ATOL)


def test_curves_show_bias_and_variance():
    # Check the reading of the curves on the sine data: a straight line has training and
    # validation errors within 0.05 of each other and far above the noise 0.09 (bias);
    # 1-NN has zero training error and a validation error near 2 sigma^2 = 0.18 (variance).
    X, y = ex.sine_data(200, random_state=1)
    _, train, test = ex.learning_curve(LinearRegression(), X, y, [1.0], cv=5, scoring="neg_mean_squared_error")
    assert abs(train.mean() - test.mean()) < 0.05 and -test.mean() > 0.2
    _, train, test = ex.learning_curve(KNeighborsRegressor(1), X, y, [1.0], cv=5, scoring="neg_mean_squared_error")
    assert train.mean() == 0.0 and 0.12 < -test.mean() < 0.3


def test_bad_input_gets_clear_errors(regression):
    # Check the messages: fractions outside (0, 1], counts above the training fold size, an
    # unknown parameter name.
    X, y = regression
    with pytest.raises(ValueError, match=r"\(0, 1\]"):
        ex.learning_curve(Ridge(), X, y, [0.0, 0.5], cv=3)
    with pytest.raises(ValueError, match="counts in train_sizes"):
        ex.learning_curve(Ridge(), X, y, [10, 500], cv=3)
    with pytest.raises(ValueError, match="no parameters"):
        ex.validation_curve(Ridge(), X, y, "lambda", [1.0], cv=3)
