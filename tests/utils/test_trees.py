"""Tests for utils.trees: the tree hyperparameter checks and the text drawing of a fitted tree."""

from types import SimpleNamespace

import numpy as np
import pytest

from utils import trees


def test_resolve_max_features_by_hand():
    # Check each rule on 13 features, worked out by hand: floor(sqrt 13) = 3, floor(log2 13) = 3.
    assert trees.resolve_max_features(None, 13) == 13
    assert trees.resolve_max_features("sqrt", 13) == 3
    assert trees.resolve_max_features("log2", 13) == 3
    assert trees.resolve_max_features(5, 13) == 5
    assert trees.resolve_max_features(0.5, 13) == 6  # floor(6.5)
    assert trees.resolve_max_features(0.01, 13) == 1  # never fewer than one feature
    assert trees.resolve_max_features("log2", 1) == 1  # log2(1) = 0, raised to one


@pytest.mark.parametrize("bad", ["half", 0, 14, 0.0, 1.5, True])
def test_resolve_max_features_refuses_bad_values(bad):
    # Check that a value outside every rule gets a ValueError naming max_features.
    with pytest.raises(ValueError, match="max_features"):
        trees.resolve_max_features(bad, 13)


@pytest.mark.parametrize(
    "params, name",
    [((0, 2, 1), "max_depth"), ((None, 1, 1), "min_samples_split"), ((None, 2.0, 1), "min_samples_split"),
     ((None, 2, 0), "min_samples_leaf")],
)
def test_check_tree_params_refuses_bad_values(params, name):
    # Check that each hyperparameter outside its range gets a ValueError naming it.
    with pytest.raises(ValueError, match=name):
        trees.check_tree_params(*params)
    trees.check_tree_params(None, 2, 1)  # the defaults pass


def test_export_text_of_a_hand_built_tree():
    # Check the drawing of a depth-2 regression tree written out by hand (root on x1, then x0 on the left).
    tree_ = SimpleNamespace(
        feature=np.array([1, 0, -1, -1, -1]), threshold=np.array([0.5, 2.25, np.nan, np.nan, np.nan]),
        children_left=np.array([1, 2, -1, -1, -1]), children_right=np.array([4, 3, -1, -1, -1]),
        value=np.array([[0.0], [0.0], [1.0], [2.0], [3.0]]), n_node_samples=np.array([6, 4, 2, 2, 2]),
    )
    model = SimpleNamespace(tree_=tree_, n_features_in_=2)
    expected = "\n".join([
        "|--- feature_1 <= 0.50",
        "|   |--- feature_0 <= 2.25",
        "|   |   |--- value: 1.00  (2 samples)",
        "|   |--- feature_0 >  2.25",
        "|   |   |--- value: 2.00  (2 samples)",
        "|--- feature_1 >  0.50",
        "|   |--- value: 3.00  (2 samples)",
    ])
    assert trees.export_text(model) == expected
