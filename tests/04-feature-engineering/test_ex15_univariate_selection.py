"""Tests for ex15_univariate_selection: the ANOVA F statistic and SelectKBest, against scikit-learn."""

import numpy as np
import pytest
from sklearn import feature_selection as skfs

import utils
from utils.validation import NotFittedError

ex = utils.load_exercise("04-feature-engineering/ex15_univariate_selection.py")

RTOL = 1e-10


@pytest.mark.parametrize("n_classes", [2, 3, 5])
def test_f_classif_matches_sklearn(rng, n_classes):
    # Check the ANOVA F statistic against sklearn.feature_selection.f_classif.
    X, y = rng.normal(size=(50, 7)), rng.integers(0, n_classes, 50)
    X[:, 2] += y
    np.testing.assert_allclose(ex.f_classif(X, y), skfs.f_classif(X, y)[0], rtol=RTOL)


def test_f_classif_by_hand_and_degenerate_columns():
    # Check by hand: x = [1, 3 | 5, 7] for classes 0 | 1: between = 2 * (2 - 4)^2 + 2 * (6 - 4)^2 = 16
    # over 1 dof, within = 4 * 1 = 4 over 2 dof -> F = 16 / 2 = 8. A column constant within classes
    # but not overall gives inf; a constant column gives NaN (no warning).
    y = np.array([0, 0, 1, 1])
    X = np.column_stack([[1.0, 3.0, 5.0, 7.0], [1.0, 1.0, 2.0, 2.0], [4.0, 4.0, 4.0, 4.0]])
    F = ex.f_classif(X, y)
    np.testing.assert_allclose(F[0], 8.0, rtol=1e-12)
    assert F[1] == np.inf and np.isnan(F[2])
    with pytest.raises(ValueError, match="at least 2 classes"):
        ex.f_classif(X, np.zeros(4))


@pytest.mark.filterwarnings("ignore:Features .* are constant")
@pytest.mark.parametrize("k", [1, 4, 10])
def test_select_k_best_matches_sklearn(rng, k):
    # Check the selected columns against sklearn's SelectKBest(f_classif), with a tie and a constant column.
    X, y = rng.normal(size=(40, 10)), rng.integers(0, 2, 40)
    X[:, 5] = X[:, 1]  # a tie in scores
    X[:, 7] = 3.0  # F is NaN: chosen last
    ours = ex.SelectKBest(k=k).fit(X, y)
    with np.errstate(divide="ignore", invalid="ignore"):  # sklearn computes 0 / 0 for the constant column
        sk = skfs.SelectKBest(skfs.f_classif, k=k).fit(X, y)
    np.testing.assert_array_equal(ours.get_support(), sk.get_support())
    np.testing.assert_array_equal(ours.transform(X), X[:, sk.get_support()])


def test_select_k_best_errors():
    # Check the messages for a bad k, transform before fit, and a different number of columns.
    X, y = np.random.default_rng(1).normal(size=(10, 3)), np.array([0, 1] * 5)
    with pytest.raises(ValueError, match="k must be"):
        ex.SelectKBest(k=4).fit(X, y)
    with pytest.raises(NotFittedError, match="call fit"):
        ex.SelectKBest(k=1).transform(X)
    with pytest.raises(ValueError, match="expecting 3 features"):
        ex.SelectKBest(k=1).fit(X, y).transform(np.ones((2, 2)))
