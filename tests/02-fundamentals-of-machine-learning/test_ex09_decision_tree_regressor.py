"""Tests for ex09_decision_tree_regressor: the squared-error split and the regression tree."""

import numpy as np
import pytest
from sklearn.metrics import r2_score
from sklearn.tree import DecisionTreeRegressor as SklearnTree

import utils
from utils import data
from utils.validation import NotFittedError

ex = utils.load_exercise("02-fundamentals-of-machine-learning/ex09_decision_tree_regressor.py")

ATOL = 1e-10
IMPORTANCE_ATOL = 1e-10
FLOAT32_RTOL = 1e-6  # sklearn's trees round X to float32, so its thresholds differ in the 8th digit
OFFSET_ATOL = 1e-6  # y + 1e8 itself is only stored to about 1.5e-8
SKLEARN_SEEDS = range(4)  # sklearn shuffles features at each node: equal trees for all seeds = no ties


def sklearn_tree_without_ties(X, y, **params):
    """sklearn's regressor, after checking that its feature shuffling does not change it (no ties)."""
    trees = [SklearnTree(random_state=s, **params).fit(X, y) for s in SKLEARN_SEEDS]
    for other in trees[1:]:
        assert np.array_equal(trees[0].tree_.feature, other.tree_.feature), "the data has ties; pick other data"
    return trees[0]


def synthetic(seed, n=300):
    """4 continuous features, a smooth non-linear target plus noise."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2, 2, size=(n, 4))
    y = np.sin(2 * X[:, 0]) + X[:, 1] ** 2 - X[:, 2] + 0.3 * rng.standard_normal(n)
    return X, y


def brute_force_gains(X, y, min_samples_leaf):
    """Every allowed split (j, threshold) with its variance reduction, by a plain double loop."""
    gains = {}
    for j in range(X.shape[1]):
        values = np.unique(X[:, j])
        for low, high in zip(values[:-1], values[1:]):
            t = (low + high) / 2
            go_left = X[:, j] <= t
            if min(go_left.sum(), (~go_left).sum()) < min_samples_leaf:
                continue
            sse = np.sum((y[go_left] - y[go_left].mean()) ** 2) + np.sum((y[~go_left] - y[~go_left].mean()) ** 2)
            gains[(j, t)] = np.var(y) - sse / len(y)
    return gains


def test_best_split_by_hand():
    # Check by hand: x = 1..4, y = 0 0 0 6 has variance 36/4 - 1.5^2 = 6.75; the cut 3.5
    # leaves [0 0 0] and [6], both constant, so the gain is all of it. The cut 2.5 gives
    # [0 0] | [0 6] with SSE 18, child variance 18/4 = 4.5, gain 2.25.
    X = np.arange(1.0, 5.0)[:, None]
    y = np.array([0.0, 0.0, 0.0, 6.0])
    j, threshold, gain = ex.best_split_squared_error(X, y, 1)
    assert (j, threshold) == (0, 3.5)
    assert gain == pytest.approx(6.75)
    j, threshold, gain = ex.best_split_squared_error(X, y, 2)  # only 2 | 2 is allowed
    assert (j, threshold) == (0, 2.5)
    assert gain == pytest.approx(2.25)


@pytest.mark.parametrize("min_samples_leaf", [1, 5])
def test_best_split_finds_the_best_gain(rng, min_samples_leaf):
    # Check against a plain loop over every feature and threshold, on data with many equal values.
    for _ in range(5):
        X = rng.integers(0, 8, size=(40, 3)).astype(float)
        y = rng.standard_normal(40)
        gains = brute_force_gains(X, y, min_samples_leaf)
        j, threshold, gain = ex.best_split_squared_error(X, y, min_samples_leaf)
        np.testing.assert_allclose(gain, max(gains.values()), atol=ATOL)
        np.testing.assert_allclose(gains[(j, threshold)], gain, atol=ATOL)


def test_a_large_offset_in_y_changes_nothing():
    # Check the stability of SSE = Q - S^2/m: y + 1e8 gives the same tree (predictions + 1e8).
    # Without centring y first, Q and S^2/m are ~1e16 * n and their difference is round-off.
    X, y = synthetic(0, n=200)
    plain = ex.DecisionTreeRegressor(max_depth=3).fit(X, y)
    shifted = ex.DecisionTreeRegressor(max_depth=3).fit(X, y + 1e8)
    np.testing.assert_array_equal(plain.tree_.feature, shifted.tree_.feature)
    np.testing.assert_allclose(shifted.predict(X) - 1e8, plain.predict(X), atol=OFFSET_ATOL)


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_matches_sklearn_on_diabetes(depth):
    # Check predictions and feature importances against scikit-learn on real data (no ties at these depths).
    X, y = data.load_diabetes()
    theirs = sklearn_tree_without_ties(X, y, max_depth=depth)
    ours = ex.DecisionTreeRegressor(max_depth=depth).fit(X, y)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-12)
    np.testing.assert_allclose(ours.tree_.threshold[0], theirs.tree_.threshold[0], rtol=FLOAT32_RTOL)
    np.testing.assert_allclose(ours.feature_importances_, theirs.feature_importances_, atol=IMPORTANCE_ATOL)


@pytest.mark.parametrize("seed", [0, 1])
def test_matches_sklearn_with_leaf_limits(seed):
    # Check a deeper tree with min_samples_leaf and min_samples_split against scikit-learn.
    X, y = synthetic(seed)
    params = dict(max_depth=5, min_samples_leaf=4, min_samples_split=10)
    theirs = sklearn_tree_without_ties(X, y, **params)
    ours = ex.DecisionTreeRegressor(**params).fit(X, y)
    X_new = np.random.default_rng(seed + 10).uniform(-2, 2, size=(200, 4))
    assert ours.tree_.node_count == theirs.tree_.node_count
    np.testing.assert_allclose(ours.predict(X_new), theirs.predict(X_new), rtol=1e-12)
    np.testing.assert_allclose(ours.tree_.impurity, theirs.tree_.impurity, atol=ATOL)


def test_training_mse_matches_sklearn_at_every_depth():
    # Check the training MSE at each depth limit (robust to ties, which can change the tree but not the best MSE at depth 1).
    X, y = data.load_diabetes()
    for depth in [1, 4, 8]:
        ours = ex.DecisionTreeRegressor(max_depth=depth).fit(X, y)
        theirs = SklearnTree(max_depth=depth, random_state=0).fit(X, y)
        mse_ours = np.mean((ours.predict(X) - y) ** 2)
        mse_theirs = np.mean((theirs.predict(X) - y) ** 2)
        np.testing.assert_allclose(mse_ours, mse_theirs, rtol=0.05 if depth > 1 else 1e-12)


def test_full_depth_tree_interpolates_distinct_points():
    # Check that with distinct x the full tree puts every point in its own leaf: training error 0.
    X, y = synthetic(1, n=100)
    model = ex.DecisionTreeRegressor().fit(X, y)
    np.testing.assert_allclose(model.predict(X), y, atol=ATOL)
    assert model.get_n_leaves() == 100


def test_min_samples_leaf_and_importances():
    # Check min_samples_leaf by counting the rows in each leaf, and that importances sum to 1.
    X, y = synthetic(2)
    model = ex.DecisionTreeRegressor(min_samples_leaf=7).fit(X, y)
    per_node = np.bincount(model.apply(X), minlength=model.tree_.node_count)
    assert np.all(per_node[model.tree_.is_leaf] >= 7)
    np.testing.assert_allclose(model.feature_importances_.sum(), 1.0, atol=ATOL)
    assert model.feature_importances_[3] < 0.05  # feature 3 does not enter y


def test_leaves_predict_the_mean_of_their_rows():
    # Check that each leaf's value is the mean target of the training rows that reach it.
    X, y = synthetic(0, n=150)
    model = ex.DecisionTreeRegressor(max_depth=3).fit(X, y)
    leaves = model.apply(X)
    for leaf in np.unique(leaves):
        np.testing.assert_allclose(model.tree_.value[leaf, 0], y[leaves == leaf].mean(), atol=ATOL)


def test_score_is_r2():
    # Check score against sklearn's r2_score.
    X, y = synthetic(0)
    model = ex.DecisionTreeRegressor(max_depth=3).fit(X[:200], y[:200])
    np.testing.assert_allclose(model.score(X[200:], y[200:]), r2_score(y[200:], model.predict(X[200:])), atol=ATOL)


def test_constant_target_and_constant_feature():
    # Check that a constant y gives one node, and a constant feature is never used.
    X, y = synthetic(0, n=80)
    model = ex.DecisionTreeRegressor().fit(X, np.full(80, 2.5))
    assert model.tree_.node_count == 1
    np.testing.assert_allclose(model.predict(X[:3]), 2.5)
    model = ex.DecisionTreeRegressor().fit(np.column_stack([X, np.ones(80)]), y)
    assert 4 not in model.tree_.feature


def test_bad_input_is_refused():
    # Check the errors: predict before fit, unknown criterion, labels that are not numbers, lengths.
    X = np.arange(8.0).reshape(4, 2)
    with pytest.raises(NotFittedError, match="fit"):
        ex.DecisionTreeRegressor().predict(X)
    with pytest.raises(ValueError, match="criterion"):
        ex.DecisionTreeRegressor(criterion="absolute_error").fit(X, [1.0, 2.0, 3.0, 4.0])
    with pytest.raises(ValueError, match="finite numbers"):
        ex.DecisionTreeRegressor().fit(X, ["a", "b", "c", "d"])
    with pytest.raises(ValueError, match="same number of samples"):
        ex.DecisionTreeRegressor().fit(X, [1.0, 2.0])
    with pytest.raises(ValueError, match="max_depth"):
        ex.DecisionTreeRegressor(max_depth=-1).fit(X, [1.0, 2.0, 3.0, 4.0])
