"""Tests for ex01_grid_search: clone, the grid, the folds, and parity with scikit-learn's GridSearchCV."""

import numpy as np
import pytest
from sklearn.kernel_ridge import KernelRidge as SklearnKernelRidge
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV as SklearnGridSearchCV
from sklearn.model_selection import KFold, ParameterGrid
from sklearn.neighbors import KNeighborsClassifier

import utils
from utils import data
from utils.validation import NotFittedError

ex = utils.load_exercise("05-model-optimization/ex01_grid_search.py")

ATOL = 1e-12  # same arithmetic in both implementations: round-off only


@pytest.fixture(scope="module")
def regression_data():
    X, y = data.load_diabetes()
    return X[:150] * np.sqrt(len(X)), y[:150]


@pytest.fixture(scope="module")
def classification_data():
    X, y = data.load_wine()
    return (X - X.mean(axis=0)) / X.std(axis=0), y


def shuffled_folds(n_samples, n_splits, seed):
    """Explicit (train, test) pairs from scikit-learn's KFold, given to both searches."""
    return list(KFold(n_splits, shuffle=True, random_state=seed).split(np.zeros((n_samples, 1))))


def test_clone_copies_arguments_and_applies_overrides():
    # Check that clone returns a new, unfitted object of the same class with the same
    # arguments, except the ones passed, and works on a scikit-learn estimator too.
    fitted = SklearnKernelRidge(alpha=3.0, kernel="rbf", gamma=0.5).fit(np.eye(3), np.arange(3.0))
    copy = ex.clone(fitted, alpha=7.0)
    assert type(copy) is SklearnKernelRidge and copy is not fitted
    assert (copy.alpha, copy.kernel, copy.gamma) == (7.0, "rbf", 0.5)
    assert not hasattr(copy, "dual_coef_")
    assert fitted.alpha == 3.0  # the original is untouched
    ridge = ex.clone(Ridge(alpha=2.0, fit_intercept=False), alpha=5.0)
    assert isinstance(ridge, Ridge) and ridge.get_params()["alpha"] == 5.0 and ridge.get_params()["fit_intercept"] is False


def test_clone_refuses_unknown_parameters():
    # Check the message names the parameter that does not exist.
    with pytest.raises(ValueError, match="no parameters.*'lambda'"):
        ex.clone(SklearnKernelRidge(), **{"lambda": 1.0})


def test_parameter_grid_matches_scikit_learn_order():
    # Check the candidates and their order against scikit-learn's ParameterGrid,
    # for a dict (unsorted keys on purpose) and for a list of dicts.
    grids = [
        {"gamma": [0.1, 1.0, 10.0], "alpha": [1, 2], "fit_intercept": [True, False]},
        [{"alpha": [1, 2]}, {"gamma": [3], "alpha": [4, 5]}],
    ]
    for grid in grids:
        assert ex.parameter_grid(grid) == list(ParameterGrid(grid))


def test_parameter_grid_rejects_empty_or_scalar_values():
    # Check that a scalar or an empty list of values gets a clear error.
    with pytest.raises(ValueError, match="non-empty list"):
        ex.parameter_grid({"alpha": 1.0})
    with pytest.raises(ValueError, match="non-empty list"):
        ex.parameter_grid({"alpha": []})


@pytest.mark.parametrize("n_samples, n_splits", [(10, 5), (11, 3), (7, 7), (100, 6)])
def test_kfold_indices_match_scikit_learn(n_samples, n_splits):
    # Check fold by fold against KFold(n_splits) without shuffling: the first
    # n % K folds get the extra samples, and train is everything else.
    ours = ex.kfold_indices(n_samples, n_splits)
    theirs = list(KFold(n_splits).split(np.zeros((n_samples, 1))))
    assert len(ours) == len(theirs)
    for (train, test), (train_ref, test_ref) in zip(ours, theirs):
        np.testing.assert_array_equal(test, test_ref)
        np.testing.assert_array_equal(train, train_ref)


def test_kfold_rejects_too_many_or_too_few_folds():
    # Check that K > n and K < 2 are refused with the allowed range in the message.
    with pytest.raises(ValueError, match="between 2 and"):
        ex.kfold_indices(4, 5)
    with pytest.raises(ValueError, match="between 2 and"):
        ex.kfold_indices(4, 1)


def test_rank_scores_ties_share_the_best_rank():
    # Check by hand: means (0.5, 0.9, 0.5, 0.9, 0.1) rank (3, 1, 3, 1, 5), as scipy's "min" ranking.
    np.testing.assert_array_equal(ex.rank_scores([0.5, 0.9, 0.5, 0.9, 0.1]), [3, 1, 3, 1, 5])


@pytest.mark.parametrize("scoring", ["r2", "neg_mean_squared_error"])
def test_grid_search_matches_scikit_learn_on_ridge(regression_data, scoring):
    # Check best_params_, best_score_ and every cv_results_ column against scikit-learn's
    # GridSearchCV with the same explicit shuffled folds and the same Ridge estimator.
    X, y = regression_data
    grid = {"alpha": [0.01, 0.3, 3.0, 30.0, 300.0], "fit_intercept": [True, False]}
    folds = shuffled_folds(len(X), 4, seed=1)
    ours = ex.GridSearchCV(Ridge(), grid, scoring=scoring, cv=folds).fit(X, y)
    ref = SklearnGridSearchCV(Ridge(), grid, scoring=scoring, cv=folds).fit(X, y)
    assert ours.best_params_ == ref.best_params_
    assert ours.best_score_ == pytest.approx(ref.best_score_, abs=ATOL)
    assert ours.cv_results_["params"] == ref.cv_results_["params"]
    for key in ["mean_test_score", "std_test_score"] + [f"split{k}_test_score" for k in range(4)]:
        np.testing.assert_allclose(ours.cv_results_[key], ref.cv_results_[key], atol=ATOL, err_msg=key)
    np.testing.assert_array_equal(ours.cv_results_["rank_test_score"], ref.cv_results_["rank_test_score"])


def test_grid_search_matches_scikit_learn_on_knn_with_ties(classification_data):
    # Check a classifier with accuracy, where several k tie on their mean accuracy:
    # ranks (ties share the best rank) and the winner (the first of rank 1) must agree.
    X, y = classification_data
    grid = {"n_neighbors": [1, 3, 5, 7, 9, 11], "p": [1, 2]}
    folds = shuffled_folds(len(X), 4, seed=0)
    ours = ex.GridSearchCV(KNeighborsClassifier(), grid, scoring="accuracy", cv=folds).fit(X, y)
    ref = SklearnGridSearchCV(KNeighborsClassifier(), grid, scoring="accuracy", cv=folds).fit(X, y)
    assert len(np.unique(ref.cv_results_["mean_test_score"])) < len(ref.cv_results_["params"]), "want ties here"
    assert ours.best_params_ == ref.best_params_
    np.testing.assert_allclose(ours.cv_results_["mean_test_score"], ref.cv_results_["mean_test_score"], atol=ATOL)
    np.testing.assert_array_equal(ours.cv_results_["rank_test_score"], ref.cv_results_["rank_test_score"])
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))


def test_integer_cv_uses_contiguous_folds(regression_data):
    # Check that cv=K gives the same results as scikit-learn with KFold(K) (no shuffling).
    X, y = regression_data
    grid = {"alpha": [0.1, 1.0, 10.0]}
    ours = ex.GridSearchCV(Ridge(), grid, scoring="r2", cv=3).fit(X, y)
    ref = SklearnGridSearchCV(Ridge(), grid, scoring="r2", cv=KFold(3)).fit(X, y)
    np.testing.assert_allclose(ours.cv_results_["mean_test_score"], ref.cv_results_["mean_test_score"], atol=ATOL)


def test_best_estimator_is_refitted_on_all_the_data(regression_data):
    # Check that best_estimator_ predicts exactly like a fresh model with the best
    # parameters fitted on every sample (not on the last fold's training part).
    X, y = regression_data
    search = ex.GridSearchCV(SklearnKernelRidge(kernel="rbf"), {"alpha": [0.1, 1.0], "gamma": [0.01, 0.1]}, cv=3).fit(X, y)
    fresh = SklearnKernelRidge(kernel="rbf", **search.best_params_).fit(X, y)
    np.testing.assert_allclose(search.predict(X), fresh.predict(X), atol=1e-9)
    assert search.best_estimator_.X_fit_.shape == X.shape


def test_cv_results_are_the_mean_of_manual_fold_scores(rng):
    # Check the fold loop by hand: each mean_test_score is the average over folds of
    # R^2 on the held-out part, computed here with plain NumPy.
    X, y = rng.standard_normal((30, 3)), rng.standard_normal(30)
    folds = shuffled_folds(30, 3, seed=4)
    search = ex.GridSearchCV(Ridge(), {"alpha": [0.5, 50.0]}, scoring="r2", cv=folds).fit(X, y)
    for c, alpha in enumerate([0.5, 50.0]):
        fold_scores = []
        for train, test in folds:
            pred = Ridge(alpha=alpha).fit(X[train], y[train]).predict(X[test])
            fold_scores.append(1 - np.sum((y[test] - pred) ** 2) / np.sum((y[test] - y[test].mean()) ** 2))
        assert search.cv_results_["mean_test_score"][c] == pytest.approx(np.mean(fold_scores))
        assert search.cv_results_["std_test_score"][c] == pytest.approx(np.std(fold_scores))


def test_predict_before_fit_and_bad_input_get_clear_errors():
    # Check the messages: predict before fit, a bad scoring name, folds out of range.
    search = ex.GridSearchCV(Ridge(), {"alpha": [1.0]})
    with pytest.raises(NotFittedError, match="call fit"):
        search.predict(np.ones((2, 2)))
    with pytest.raises(ValueError, match="scoring must be one of"):
        ex.GridSearchCV(Ridge(), {"alpha": [1.0]}, scoring="f7").fit(np.ones((6, 2)), np.arange(6.0))
    with pytest.raises(ValueError, match="index arrays"):
        ex.GridSearchCV(Ridge(), {"alpha": [1.0]}, cv=[(np.arange(3), np.array([9]))]).fit(np.ones((6, 2)), np.arange(6.0))
