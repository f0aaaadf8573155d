"""Tests for ex08_decision_tree: growing the tree, predicting with it, reading it."""

import numpy as np
import pytest
from sklearn.tree import DecisionTreeClassifier as SklearnTree

import utils
from utils import data
from utils.validation import NotFittedError

ex = utils.load_exercise("02-fundamentals-of-machine-learning/ex08_decision_tree.py")

ATOL = 1e-12
IMPORTANCE_ATOL = 1e-10
FLOAT32_RTOL = 1e-6  # sklearn's trees round X to float32, so its thresholds differ in the 8th digit
ACCURACY_TOL = 0.06  # full-depth trees on the same split: ties in gain are broken differently
SKLEARN_SEEDS = range(4)  # sklearn shuffles features at each node: equal trees for all seeds = no ties


def synthetic(seed, n=300):
    """5 continuous features, 3 classes from a non-linear rule, 10% label noise: no ties."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 5))
    y = (X[:, 0] + X[:, 1] ** 2 > 1).astype(int) + (X[:, 2] > 0.5)
    flip = rng.random(n) < 0.1
    y[flip] = rng.integers(0, 3, flip.sum())
    return X, y


def sklearn_tree_without_ties(X, y, **params):
    """sklearn's tree, after checking that its feature shuffling does not change it (no ties)."""
    trees = [SklearnTree(random_state=s, **params).fit(X, y) for s in SKLEARN_SEEDS]
    for other in trees[1:]:
        assert np.array_equal(trees[0].tree_.feature, other.tree_.feature), "the data has ties; pick other data"
    return trees[0]


# ------------------------------------------------------------------ growing


def test_unknown_criterion_is_refused():
    # Check that a misspelt criterion gets a ValueError naming the choices.
    with pytest.raises(ValueError, match="criterion"):
        ex.DecisionTreeClassifier(criterion="mse").fit(np.zeros((4, 1)), [0, 1, 0, 1])


def test_threshold_between_neighbouring_floats():
    # Check that the midpoint of two adjacent floats (which rounds to one of them) still separates them.
    a = 1.0
    b = np.nextafter(a, 2.0)
    model = ex.DecisionTreeClassifier().fit(np.array([[a], [b]]), [0, 1])
    np.testing.assert_array_equal(model.predict(np.array([[a], [b]])), [0, 1])


# ------------------------------------------------------------------ against scikit-learn


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("criterion", ["gini", "entropy"])
def test_shallow_tree_matches_sklearn(seed, criterion):
    # Check a depth-3 tree on tie-free data: same nodes, probabilities, predictions and importances.
    X, y = synthetic(seed)
    X_new = np.random.default_rng(seed + 10).standard_normal((200, 5))
    theirs = sklearn_tree_without_ties(X, y, criterion=criterion, max_depth=3)
    ours = ex.DecisionTreeClassifier(criterion=criterion, max_depth=3).fit(X, y)
    assert ours.tree_.node_count == theirs.tree_.node_count
    np.testing.assert_array_equal(ours.tree_.feature, np.where(theirs.tree_.feature < 0, -1, theirs.tree_.feature))
    np.testing.assert_allclose(ours.predict_proba(X_new), theirs.predict_proba(X_new), atol=ATOL)
    np.testing.assert_array_equal(ours.predict(X_new), theirs.predict(X_new))
    np.testing.assert_allclose(ours.feature_importances_, theirs.feature_importances_, atol=IMPORTANCE_ATOL)


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer", "digits"])
def test_full_depth_trees_fit_the_training_set_and_test_like_sklearn(name):
    # Check that full-depth trees separate the training set (no conflicting duplicates here)
    # and score on a held-out part within ACCURACY_TOL of scikit-learn's tree.
    X, y = data.load_dataset(name)
    if name == "digits":
        X, y = X[:600], y[:600]
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, random_state=0)
    for criterion in ["gini", "entropy"]:
        ours = ex.DecisionTreeClassifier(criterion=criterion).fit(X_train, y_train)
        theirs = SklearnTree(criterion=criterion, random_state=0).fit(X_train, y_train)
        assert ours.score(X_train, y_train) == 1.0 == theirs.score(X_train, y_train)
        assert abs(ours.score(X_test, y_test) - theirs.score(X_test, y_test)) <= ACCURACY_TOL


# ------------------------------------------------------------------ properties of a grown tree


def test_xor_needs_a_split_with_zero_gain():
    # Check that, like sklearn, a zero-gain split is taken when it is the best: XOR is solved in 2 levels.
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0, 1, 1, 0])
    model = ex.DecisionTreeClassifier().fit(X, y)
    assert model.score(X, y) == 1.0
    assert (model.tree_.node_count, model.get_depth(), model.get_n_leaves()) == (7, 2, 4)


def test_pure_nodes_are_never_split():
    # Check that every internal node mixes at least two classes, and every pure node is a leaf.
    X, y = data.load_breast_cancer()
    tree = ex.DecisionTreeClassifier().fit(X, y).tree_
    n_classes_present = np.sum(tree.value > 0, axis=1)  # (n_nodes,)
    assert np.all(n_classes_present[~tree.is_leaf] >= 2)
    assert np.all(tree.is_leaf[n_classes_present == 1])


@pytest.mark.parametrize("min_samples_leaf", [1, 5, 20])
def test_min_samples_leaf_holds_in_every_leaf(min_samples_leaf):
    # Check by counting where the training rows land (not trusting the stored counts).
    X, y = synthetic(0)
    model = ex.DecisionTreeClassifier(min_samples_leaf=min_samples_leaf).fit(X, y)
    per_node = np.bincount(model.apply(X), minlength=model.tree_.node_count)
    leaves = model.tree_.is_leaf
    assert np.all(per_node[leaves] >= min_samples_leaf)
    assert np.all(per_node[~leaves] == 0)  # rows end in leaves only
    np.testing.assert_array_equal(per_node[leaves], model.tree_.n_node_samples[leaves])


def test_max_depth_and_min_samples_split_are_respected():
    # Check the depth limit, and that no node with fewer than min_samples_split rows is split.
    X, y = synthetic(1)
    model = ex.DecisionTreeClassifier(max_depth=4).fit(X, y)
    assert model.get_depth() == 4
    model = ex.DecisionTreeClassifier(min_samples_split=30).fit(X, y)
    assert np.all(model.tree_.n_node_samples[~model.tree_.is_leaf] >= 30)


def test_feature_importances_sum_to_one():
    # Check that the importances are non-negative, sum to 1, and are 0 for unused features.
    X, y = synthetic(2)
    X = np.column_stack([X, np.zeros(len(X))])  # a useless 6th feature
    model = ex.DecisionTreeClassifier(max_depth=5).fit(X, y)
    assert np.all(model.feature_importances_ >= 0)
    np.testing.assert_allclose(model.feature_importances_.sum(), 1.0, atol=ATOL)
    used = np.unique(model.tree_.feature[~model.tree_.is_leaf])
    assert np.all(model.feature_importances_[np.setdiff1d(np.arange(6), used)] == 0)


def test_apply_matches_a_walk_one_sample_at_a_time(rng):
    # Check the level-by-level vectorized walk against a plain per-sample walk from the root.
    X, y = synthetic(0)
    model = ex.DecisionTreeClassifier().fit(X, y)
    tree = model.tree_
    X_new = rng.standard_normal((100, 5))
    expected = []
    for x in X_new:
        node = 0
        while tree.children_left[node] != -1:
            node = tree.children_left[node] if x[tree.feature[node]] <= tree.threshold[node] else tree.children_right[node]
        expected.append(node)
    np.testing.assert_array_equal(model.apply(X_new), expected)
    np.testing.assert_allclose(model.predict_proba(X_new).sum(axis=1), 1.0, atol=ATOL)


def test_sample_weights_act_like_copies(rng):
    # Check that integer weights give the same tree as repeating each row that many times.
    X, y = synthetic(1, n=120)
    weights = rng.integers(1, 4, size=len(y))
    weighted = ex.DecisionTreeClassifier(max_depth=4).fit(X, y, sample_weight=weights)
    repeated = ex.DecisionTreeClassifier(max_depth=4).fit(np.repeat(X, weights, axis=0), np.repeat(y, weights))
    np.testing.assert_array_equal(weighted.tree_.feature, repeated.tree_.feature)
    np.testing.assert_allclose(weighted.tree_.threshold, repeated.tree_.threshold, atol=ATOL)
    np.testing.assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X), atol=ATOL)
    np.testing.assert_allclose(weighted.feature_importances_, repeated.feature_importances_, atol=IMPORTANCE_ATOL)


def test_scaling_the_features_scales_the_thresholds():
    # Check that x -> 1000 x (large values) gives the same tree, thresholds times 1000, no warnings.
    X, y = synthetic(0)
    small = ex.DecisionTreeClassifier(max_depth=4).fit(X, y)
    large = ex.DecisionTreeClassifier(max_depth=4).fit(1000 * X, y)
    np.testing.assert_array_equal(small.tree_.feature, large.tree_.feature)
    inner = ~small.tree_.is_leaf
    np.testing.assert_allclose(large.tree_.threshold[inner], 1000 * small.tree_.threshold[inner], rtol=1e-12)


# ------------------------------------------------------------------ edge cases


def test_a_single_class_gives_a_one_node_tree():
    # Check that data with one class is not split and always predicts that class.
    X = np.random.default_rng(0).standard_normal((10, 3))
    model = ex.DecisionTreeClassifier().fit(X, ["spam"] * 10)
    assert model.tree_.node_count == 1
    np.testing.assert_array_equal(model.predict(X[:3]), ["spam"] * 3)
    np.testing.assert_allclose(model.predict_proba(X[:3]), np.ones((3, 1)))
    np.testing.assert_array_equal(model.feature_importances_, np.zeros(3))


def test_a_constant_feature_is_never_chosen():
    # Check that a column with one value never appears as a split feature.
    X, y = synthetic(0)
    X = np.column_stack([np.full(len(X), 3.0), X])
    model = ex.DecisionTreeClassifier().fit(X, y)
    assert 0 not in model.tree_.feature
    assert model.feature_importances_[0] == 0


def test_duplicate_points_with_different_labels():
    # Check by hand: x = 0 has labels 0, 1, 1, so its leaf says P = (1/3, 2/3) and predicts 1.
    X = np.array([[0.0], [0.0], [0.0], [1.0]])
    y = np.array([0, 1, 1, 0])
    model = ex.DecisionTreeClassifier().fit(X, y)
    np.testing.assert_allclose(model.predict_proba([[0.0], [1.0]]), [[1 / 3, 2 / 3], [1.0, 0.0]], atol=ATOL)
    assert model.score(X, y) == 0.75  # the duplicates cannot all be right


def test_ties_between_features_go_to_the_lowest_index():
    # Check the documented rule: two identical columns tie everywhere, and column 0 wins.
    X, y = synthetic(0)
    x = X[:, :1]
    model = ex.DecisionTreeClassifier(max_depth=3).fit(np.hstack([x, x]), y)
    assert set(model.tree_.feature[~model.tree_.is_leaf]) == {0}


def test_string_labels_work_like_integer_codes():
    # Check that labels of any type are kept in classes_ (sorted) and returned by predict.
    X, y = synthetic(1)
    names = np.array(["setosa", "versicolor", "virginica"])
    by_name = ex.DecisionTreeClassifier(max_depth=3).fit(X, names[y])
    by_code = ex.DecisionTreeClassifier(max_depth=3).fit(X, y)
    np.testing.assert_array_equal(by_name.classes_, names)
    np.testing.assert_array_equal(by_name.predict(X), names[by_code.predict(X)])
    assert by_name.score(X, names[y]) == by_code.score(X, y)


def test_random_feature_subsets_are_reproducible():
    # Check that max_features draws features from random_state: the same seed, the same tree;
    # other seeds change the tree; with all features the tree does not depend on the seed.
    X, y = data.load_wine()

    def features(**params):
        return ex.DecisionTreeClassifier(**params).fit(X, y).tree_.feature

    np.testing.assert_array_equal(features(max_features=2, random_state=3), features(max_features=2, random_state=3))
    roots = {features(max_features=1, max_depth=1, random_state=s)[0] for s in range(20)}
    assert len(roots) > 1  # one random feature per node: the root changes with the seed
    np.testing.assert_array_equal(features(random_state=1), features(random_state=2))
    assert ex.DecisionTreeClassifier(max_features="sqrt").fit(X, y).max_features_ == 3  # floor(sqrt(13))


def test_export_text_by_hand():
    # Check the text drawing of a stump written out by hand.
    model = ex.DecisionTreeClassifier().fit(np.array([[1.0], [2.0], [3.0], [4.0]]), ["a", "a", "b", "b"])
    expected = "\n".join(
        [
            "|--- x <= 2.50",
            "|   |--- class: a  (2 samples)",
            "|--- x >  2.50",
            "|   |--- class: b  (2 samples)",
        ]
    )
    assert ex.export_text(model, feature_names=["x"]) == expected


# ------------------------------------------------------------------ bad input


def test_predict_before_fit_is_refused():
    # Check the message tells the learner to call fit first.
    with pytest.raises(NotFittedError, match="fit"):
        ex.DecisionTreeClassifier().predict(np.zeros((2, 2)))


@pytest.mark.parametrize(
    "params, X, y, match",
    [
        ({}, np.zeros((4, 2)), [0, 1, 0], "same number of samples"),
        ({}, np.zeros(4), [0, 1, 0, 1], r"shape \(n_samples, n_features\)"),
        ({}, np.array([[0.0], [np.nan]]), [0, 1], "NaN"),
        ({"max_depth": 0}, np.zeros((4, 1)), [0, 1, 0, 1], "max_depth"),
        ({"min_samples_leaf": 0}, np.zeros((4, 1)), [0, 1, 0, 1], "min_samples_leaf"),
        ({"min_samples_split": 1}, np.zeros((4, 1)), [0, 1, 0, 1], "min_samples_split"),
        ({"max_features": 5}, np.zeros((4, 2)), [0, 1, 0, 1], "max_features"),
    ],
    ids=["lengths", "1-D X", "NaN", "max_depth", "min_samples_leaf", "min_samples_split", "max_features"],
)
def test_bad_input_is_refused(params, X, y, match):
    # Check that each bad input gets a ValueError saying what was expected.
    with pytest.raises(ValueError, match=match):
        ex.DecisionTreeClassifier(**params).fit(X, y)


def test_predict_with_the_wrong_number_of_features_is_refused():
    # Check that predict compares the number of features with the one seen in fit.
    model = ex.DecisionTreeClassifier().fit(np.arange(8.0).reshape(4, 2), [0, 1, 0, 1])
    with pytest.raises(ValueError, match="X has 3 features, but DecisionTreeClassifier is expecting 2 features"):
        model.predict(np.zeros((1, 3)))
