"""Tests for ex07_impurity_and_splits: Gini and entropy, and the vectorized search for the best split."""

import math

import numpy as np
import pytest
from sklearn.tree import DecisionTreeClassifier as SklearnTree

import utils
from utils import data

ex = utils.load_exercise("02-fundamentals-of-machine-learning/ex07_impurity_and_splits.py")

ATOL = 1e-12
GAIN_ATOL = 1e-9  # scikit-learn accumulates its impurities in another order
FLOAT32_RTOL = 1e-6  # sklearn's trees round X to float32, so its thresholds differ in the 8th digit
SKLEARN_SEEDS = range(4)  # sklearn shuffles features at each node: equal trees for all seeds = no ties


def sklearn_tree_without_ties(X, y, **params):
    """sklearn's tree, after checking that its feature shuffling does not change it (no ties)."""
    trees = [SklearnTree(random_state=s, **params).fit(X, y) for s in SKLEARN_SEEDS]
    for other in trees[1:]:
        assert np.array_equal(trees[0].tree_.feature, other.tree_.feature), "the data has ties; pick other data"
    return trees[0]


def one_hot(y):
    return np.eye(y.max() + 1)[y]


def brute_force_gains(X, y, criterion, min_samples_leaf):
    """Every allowed split (j, threshold) with its gain, by a plain double loop."""

    def node_impurity(labels):
        p = np.bincount(labels, minlength=y.max() + 1) / len(labels)
        if criterion == "gini":
            return 1 - sum(q * q for q in p)
        return -sum(q * math.log2(q) for q in p if q > 0)

    parent = node_impurity(y)
    gains = {}
    for j in range(X.shape[1]):
        values = np.unique(X[:, j])
        for low, high in zip(values[:-1], values[1:]):
            t = (low + high) / 2
            go_left = X[:, j] <= t
            n_left, n_right = go_left.sum(), (~go_left).sum()
            if min(n_left, n_right) < min_samples_leaf:
                continue
            child = (n_left * node_impurity(y[go_left]) + n_right * node_impurity(y[~go_left])) / len(y)
            gains[(j, t)] = parent - child
    return gains


# ------------------------------------------------------------------ impurity


def test_impurity_by_hand():
    # Check Gini and entropy on counts worked out by hand.
    assert ex.impurity([5, 5], "gini") == pytest.approx(0.5)  # 1 - 1/4 - 1/4
    assert ex.impurity([3, 1], "gini") == pytest.approx(0.375)  # 1 - 9/16 - 1/16
    assert ex.impurity([2, 2, 2], "gini") == pytest.approx(2 / 3)  # 1 - 3/9
    assert ex.impurity([7, 0], "gini") == pytest.approx(0.0)  # pure
    assert ex.impurity([5, 5], "entropy") == pytest.approx(1.0)  # one bit
    assert ex.impurity([1, 1, 1, 1], "entropy") == pytest.approx(2.0)  # two bits
    assert ex.impurity([1, 3], "entropy") == pytest.approx(-(0.25 * math.log2(0.25) + 0.75 * math.log2(0.75)))
    assert ex.impurity([0, 4, 0], "entropy") == pytest.approx(0.0)  # 0 log 0 = 0, and no warning


def test_impurity_is_vectorized_with_classes_first(rng):
    # Check a (K, a, b) array of counts column by column against the definitions, written as loops.
    counts = rng.integers(0, 6, size=(3, 4, 5)).astype(float)
    counts[0, 0, 0] = 0
    counts[:, 0, 0] = [0, 0, 2]  # a pure column, with zeros
    counts[1, 1, 1] = 1  # no all-zero columns
    gini, entropy = ex.impurity(counts, "gini"), ex.impurity(counts, "entropy")
    assert gini.shape == entropy.shape == (4, 5)
    for a in range(4):
        for b in range(5):
            p = counts[:, a, b] / counts[:, a, b].sum()
            np.testing.assert_allclose(gini[a, b], 1 - sum(q * q for q in p), atol=ATOL)
            np.testing.assert_allclose(entropy[a, b], -sum(q * math.log2(q) for q in p if q > 0), atol=ATOL)


def test_unknown_criterion_is_refused():
    # Check that a misspelt criterion gets a ValueError naming the choices.
    with pytest.raises(ValueError, match="criterion"):
        ex.impurity([1, 2], "gine")


# ------------------------------------------------------------------ the split search


def test_best_split_by_hand():
    # Check a split worked out by hand: x = 1..6, y = 0 0 1 0 1 1, parent Gini 0.5.
    # Cut 2.5: left [0 0] Gini 0, right [1 0 1 1] Gini 0.375 -> child 4/6 * 0.375 = 0.25, gain 0.25.
    # Cut 4.5: left [0 0 1 0] Gini 0.375, right [1 1] pure -> also gain 0.25: a tie, the smaller cut wins.
    # (Cuts 1.5 and 5.5 gain 0.1, cut 3.5 gains 0.5 - 4/9.)
    X = np.arange(1.0, 7.0)[:, None]
    y = np.array([0, 0, 1, 0, 1, 1])
    j, threshold, gain = ex.best_split(X, one_hot(y), "gini", 1)
    assert (j, threshold) == (0, 2.5)
    assert gain == pytest.approx(0.25)
    # With min_samples_leaf = 3 only the cut 3.5 (3 | 3) is allowed.
    j, threshold, gain = ex.best_split(X, one_hot(y), "gini", 3)
    assert (j, threshold) == (0, 3.5)
    assert gain == pytest.approx(0.5 - 4 / 9)


@pytest.mark.parametrize("criterion", ["gini", "entropy"])
@pytest.mark.parametrize("min_samples_leaf", [1, 4])
def test_best_split_finds_the_best_gain(rng, criterion, min_samples_leaf):
    # Check against a plain loop over every feature and threshold, on data with many equal values.
    for _ in range(5):
        X = rng.integers(0, 6, size=(40, 3)).astype(float)
        y = rng.integers(0, 3, size=40)
        gains = brute_force_gains(X, y, criterion, min_samples_leaf)
        j, threshold, gain = ex.best_split(X, one_hot(y), criterion, min_samples_leaf)
        np.testing.assert_allclose(gain, max(gains.values()), atol=ATOL)
        np.testing.assert_allclose(gains[(j, threshold)], gain, atol=ATOL)  # a real, allowed split
        best = [key for key, g in gains.items() if g >= max(gains.values()) - 1e-12]
        assert (j, threshold) == min(best)  # ties: the lowest feature, then the smallest threshold


def test_best_split_returns_none_when_nothing_can_be_cut():
    # Check the cases with no allowed cut: equal values, or too few samples for min_samples_leaf.
    Y = one_hot(np.array([0, 1, 0, 1]))
    assert ex.best_split(np.ones((4, 2)), Y, "gini", 1) is None
    assert ex.best_split(np.arange(4.0)[:, None], Y, "gini", 3) is None


def test_threshold_between_neighbouring_floats():
    # Check that the midpoint of two adjacent floats (which rounds to one of them) still separates them.
    a = 1.0
    b = np.nextafter(a, 2.0)
    j, threshold, _ = ex.best_split(np.array([[a], [b]]), one_hot(np.array([0, 1])))
    assert a <= threshold < b


def test_xor_root_split_has_zero_gain():
    # Check XOR: no single cut lowers the Gini impurity, yet a cut (the first one) is still returned.
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    j, threshold, gain = ex.best_split(X, one_hot(np.array([0, 1, 1, 0])), "gini", 1)
    assert (j, threshold) == (0, 0.5)
    assert gain == pytest.approx(0.0)


def test_ties_between_features_go_to_the_lowest_index():
    # Check the documented tie rule by hand: y = 0 0 0 0 1 1 is split perfectly by x0 <= 4.5 and by x1 = 7 - x0 <= 2.5 (gain
    # 4/9 = the parent's Gini 1 - 16/36 - 4/36 both times). Feature 0 wins although its cut comes later.
    x0 = np.arange(1.0, 7.0)
    j, threshold, gain = ex.best_split(np.column_stack([x0, 7 - x0]), one_hot(np.array([0, 0, 0, 0, 1, 1])), "gini", 1)
    assert (j, threshold) == (0, 4.5)
    assert gain == pytest.approx(4 / 9)


# ------------------------------------------------------------------ against scikit-learn


@pytest.mark.parametrize(
    "name, criterion", [("breast_cancer", "gini"), ("breast_cancer", "entropy"), ("wine", "gini"), ("digits", "entropy")]
)
def test_root_split_matches_sklearn(name, criterion):
    # Check the root's feature and threshold (a midpoint in both) against scikit-learn on real data.
    X, y = data.load_dataset(name)
    X, y = X[:600], y[:600]  # enough rows for a tie-free root, few enough to stay fast
    theirs = sklearn_tree_without_ties(X, y, criterion=criterion, max_depth=1)
    j, threshold, gain = ex.best_split(X, one_hot(y), criterion)
    assert j == theirs.tree_.feature[0]
    np.testing.assert_allclose(threshold, theirs.tree_.threshold[0], rtol=FLOAT32_RTOL)
    parent, children = theirs.tree_.impurity[0], theirs.tree_.impurity[1:] @ theirs.tree_.n_node_samples[1:] / len(y)
    np.testing.assert_allclose(gain, parent - children, atol=GAIN_ATOL)
