"""Tests for ex10_sklearn_compatible_estimators: get_params / set_params, and our estimators in scikit-learn's tools."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator as SkBaseEstimator
from sklearn.linear_model import Ridge as SkRidge
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler as SkStandardScaler

import utils
from utils import data

ex = utils.load_exercise("05-model-optimization/ex10_sklearn_compatible_estimators.py")
ridge = utils.load_exercise("05-model-optimization/ex04_ridge.py", practice=False)
scaling = utils.load_exercise("04-feature-engineering/ex07_scaling.py", practice=False)

SCORE_ATOL = 1e-8


class Toy:
    """A hand-made estimator: two arguments stored under their own names, one nested."""

    def __init__(self, depth=3, inner=None):
        self.depth = depth
        self.inner = inner


def test_get_params_reads_the_constructor_arguments():
    # Check by hand: the flat parameters of a two-argument class are its two attributes.
    toy = Toy(depth=5, inner=None)
    assert ex.get_params(toy) == {"depth": 5, "inner": None}


def test_deep_get_params_matches_scikit_learns_on_its_own_pipeline():
    # Check deep parameters against scikit-learn's Pipeline.get_params (an independent
    # implementation): the same keys and values, steps and "step__param" included.
    pipe = Pipeline([("scale", SkStandardScaler(with_mean=False)), ("ridge", SkRidge(alpha=3.0))])
    ours = ex.get_params(pipe, deep=True)
    theirs = pipe.get_params(deep=True)
    assert ours.keys() == theirs.keys()
    assert all(ours[k] is theirs[k] or ours[k] == theirs[k] for k in theirs)


def test_deep_get_params_matches_scikit_learns_base_on_a_nested_estimator():
    # Check a nested (non-list) estimator against scikit-learn's BaseEstimator.get_params.
    class Wrapper(SkBaseEstimator):
        def __init__(self, estimator=None, n=1):
            self.estimator = estimator
            self.n = n

    wrapper = Wrapper(estimator=SkRidge(alpha=0.5), n=4)
    assert ex.get_params(wrapper) == wrapper.get_params(deep=True)
    assert ex.get_params(wrapper, deep=False) == wrapper.get_params(deep=False)


def test_set_params_flat_nested_and_whole_steps():
    # Check set_params sets own arguments, reaches inside with "step__param", replaces a
    # step given by name, and returns the same object.
    pipe = Pipeline([("scale", scaling.StandardScaler()), ("ridge", ridge.Ridge(alpha=1.0))])
    assert ex.set_params(pipe, ridge__alpha=7.0, scale__with_std=False) is pipe
    assert pipe.named_steps["ridge"].alpha == 7.0 and pipe.named_steps["scale"].with_std is False
    new = ridge.Ridge(alpha=0.25)
    ex.set_params(pipe, ridge=new)
    assert pipe.named_steps["ridge"] is new and pipe.steps[0][0] == "scale"
    toy = Toy()
    ex.set_params(toy, depth=9)
    assert toy.depth == 9


def test_set_params_refuses_unknown_names():
    # Check a misspelt parameter is refused with the valid names listed.
    with pytest.raises(ValueError, match="invalid parameter 'alhpa'"):
        ex.set_params(ridge.Ridge(), alhpa=1.0)


def test_our_ridge_in_grid_search_scores_like_scikit_learns():
    # Check the demo's claim: GridSearchCV over alpha in a pipeline gives the same mean
    # cross-validated R^2 for every alpha with our Ridge as with scikit-learn's.
    X, y = data.load_diabetes()
    folds = KFold(5, shuffle=True, random_state=0)
    grid = {"ridge__alpha": np.logspace(-2, 2, 5)}
    results = []
    for model in (ridge.Ridge(), SkRidge()):
        search = GridSearchCV(Pipeline([("scale", SkStandardScaler()), ("ridge", model)]), grid, cv=folds).fit(X, y)
        results.append(search)
    np.testing.assert_allclose(
        results[0].cv_results_["mean_test_score"], results[1].cv_results_["mean_test_score"], atol=SCORE_ATOL
    )
    assert results[0].best_params_ == results[1].best_params_
