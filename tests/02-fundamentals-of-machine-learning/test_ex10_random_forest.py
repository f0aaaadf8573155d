"""Tests for ex10_random_forest: bootstrap, feature subsampling, voting, OOB score, importances."""

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier as SklearnForest

import utils
from utils import data
from utils.validation import NotFittedError

ex = utils.load_exercise("02-fundamentals-of-machine-learning/ex10_random_forest.py")

ATOL = 1e-12
OOB_TOL = 0.05  # OOB accuracy vs held-out accuracy on ~140 test rows (one row = 0.007)
SKLEARN_TOL = 0.04  # mean test accuracy over 3 seeds, ours vs sklearn's, 30 trees each


@pytest.fixture(scope="module")
def cancer():
    X, y = data.load_breast_cancer()
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, random_state=0)
    forest = ex.RandomForestClassifier(n_estimators=60, oob_score=True, random_state=0).fit(X_train, y_train)
    return forest, X_train, X_test, y_train, y_test


def test_predict_proba_is_the_mean_of_the_trees(cancer):
    # Check the vote: the forest's probabilities are the average of its trees' (recomputed here).
    forest, _, X_test, _, _ = cancer
    total = np.zeros((len(X_test), 2))
    for tree in forest.estimators_:
        total[:, tree.classes_] += tree.predict_proba(X_test)
    np.testing.assert_allclose(forest.predict_proba(X_test), total / len(forest.estimators_), atol=ATOL)
    np.testing.assert_array_equal(forest.predict(X_test), forest.classes_[np.argmax(total, axis=1)])
    assert len(forest.estimators_) == 60


def test_each_tree_sees_a_bootstrap_sample_and_sqrt_features(cancer):
    # Check that tree b saw exactly the rows drawn for it (n draws with replacement, about 63% distinct)
    # and searched floor(sqrt(30)) = 5 features per split.
    forest, X_train, _, _, _ = cancer
    n = len(X_train)
    for tree, rows in zip(forest.estimators_, forest.estimators_samples_):
        assert rows.shape == (n,)
        distinct = len(np.unique(rows))
        assert 0.55 * n < distinct < 0.72 * n  # 1 - 1/e = 0.632
        assert tree.tree_.n_node_samples[0] == distinct
        assert tree.tree_.weighted_n_node_samples[0] == n  # repeats count through the weights
        assert tree.max_features_ == 5


def test_oob_score_is_close_to_the_held_out_score(cancer):
    # Check that the OOB estimate agrees with accuracy on data no tree has seen.
    forest, _, X_test, _, y_test = cancer
    assert abs(forest.oob_score_ - forest.score(X_test, y_test)) <= OOB_TOL
    probabilities = forest.oob_decision_function_
    voted = ~np.isnan(probabilities[:, 0])
    assert voted.mean() > 0.99  # with 60 trees nearly every row is out of bag somewhere
    np.testing.assert_allclose(probabilities[voted].sum(axis=1), 1.0, atol=ATOL)


def test_oob_score_of_one_tree_by_hand():
    # Check the OOB definition with a single tree: its accuracy on the rows it did not see.
    X, y = data.load_wine()
    forest = ex.RandomForestClassifier(n_estimators=1, oob_score=True, random_state=3).fit(X, y)
    unseen = np.setdiff1d(np.arange(len(y)), forest.estimators_samples_[0])
    tree = forest.estimators_[0]
    expected = np.mean(tree.classes_[np.argmax(tree.predict_proba(X[unseen]), axis=1)] == y[unseen])
    np.testing.assert_allclose(forest.oob_score_, expected, atol=ATOL)


def test_feature_importances_are_the_mean_of_the_trees(cancer):
    # Check the importances: the trees' mean, normalised, summing to 1.
    forest = cancer[0]
    mean = np.mean([tree.feature_importances_ for tree in forest.estimators_], axis=0)
    np.testing.assert_allclose(forest.feature_importances_, mean / mean.sum(), atol=ATOL)
    np.testing.assert_allclose(forest.feature_importances_.sum(), 1.0, atol=ATOL)


@pytest.mark.parametrize("name", ["breast_cancer", "wine"])
def test_accuracy_is_close_to_sklearn(name):
    # Check the test accuracy against scikit-learn's forest with the same settings on the same split
    # (averaged over 3 seeds: one forest's score on ~100 test rows moves by a few rows with its seed).
    X, y = data.load_dataset(name)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, random_state=1)
    ours, theirs = [], []
    for seed in range(3):
        ours.append(ex.RandomForestClassifier(n_estimators=30, random_state=seed).fit(X_train, y_train).score(X_test, y_test))
        theirs.append(SklearnForest(n_estimators=30, random_state=seed, n_jobs=1).fit(X_train, y_train).score(X_test, y_test))
    assert abs(np.mean(ours) - np.mean(theirs)) <= SKLEARN_TOL


def test_a_forest_beats_one_tree_on_noisy_data():
    # Check the point of averaging: on noisy moons (2000 fresh test points) the forest beats a full tree.
    X_train, y_train = data.make_moons(n_samples=300, noise=0.35, random_state=0)
    X_test, y_test = data.make_moons(n_samples=2000, noise=0.35, random_state=1)
    # ex.tree is the reference tree the forest loads (also in a practice copy of ex10).
    tree = ex.tree.DecisionTreeClassifier().fit(X_train, y_train).score(X_test, y_test)
    forest = ex.RandomForestClassifier(n_estimators=40, random_state=0).fit(X_train, y_train)
    assert forest.score(X_test, y_test) > tree + 0.01


def test_without_randomness_every_tree_is_the_plain_tree():
    # Check the plumbing: no bootstrap and all features make every tree the deterministic CART tree.
    X, y = data.load_wine()
    forest = ex.RandomForestClassifier(n_estimators=3, bootstrap=False, max_features=None, random_state=0).fit(X, y)
    tree = ex.tree.DecisionTreeClassifier().fit(X, y)
    for member in forest.estimators_:
        np.testing.assert_array_equal(member.tree_.feature, tree.tree_.feature)
    np.testing.assert_allclose(forest.predict_proba(X), tree.predict_proba(X), atol=ATOL)


def test_random_state_makes_it_reproducible():
    # Check that the same seed gives the same forest and another seed a different one.
    X, y = data.load_wine()

    def probabilities(seed):
        return ex.RandomForestClassifier(n_estimators=5, random_state=seed).fit(X, y).predict_proba(X)

    np.testing.assert_array_equal(probabilities(7), probabilities(7))
    assert not np.array_equal(probabilities(7), probabilities(8))


def test_string_labels_and_a_class_missing_from_a_bootstrap():
    # Check labels of any type, and a rare class some trees never see: probabilities keep K columns.
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 3))
    y = np.where(X[:, 0] > 0, "dog", "cat").astype(object)
    y[0] = "emu"  # one row only: about a third of the bootstraps miss it
    forest = ex.RandomForestClassifier(n_estimators=10, random_state=0).fit(X, y)
    assert any(len(tree.classes_) == 2 for tree in forest.estimators_)
    np.testing.assert_array_equal(forest.classes_, ["cat", "dog", "emu"])
    assert forest.predict_proba(X).shape == (40, 3)
    np.testing.assert_allclose(forest.predict_proba(X).sum(axis=1), 1.0, atol=ATOL)
    assert set(forest.predict(X)) <= {"cat", "dog", "emu"}


def test_bad_input_is_refused():
    # Check the errors: predict before fit, no trees, OOB without bootstrap, bad max_features, lengths.
    X, y = data.load_iris()
    with pytest.raises(NotFittedError, match="fit"):
        ex.RandomForestClassifier().predict(X)
    with pytest.raises(ValueError, match="n_estimators"):
        ex.RandomForestClassifier(n_estimators=0).fit(X, y)
    with pytest.raises(ValueError, match="bootstrap"):
        ex.RandomForestClassifier(bootstrap=False, oob_score=True).fit(X, y)
    with pytest.raises(ValueError, match="max_features"):
        ex.RandomForestClassifier(max_features="half").fit(X, y)
    with pytest.raises(ValueError, match="criterion"):
        ex.RandomForestClassifier(criterion="log_loss").fit(X, y)
    with pytest.raises(ValueError, match="same number of samples"):
        ex.RandomForestClassifier().fit(X, y[:-1])
