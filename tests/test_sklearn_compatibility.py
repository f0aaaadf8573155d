"""Our estimators inside scikit-learn: its own check suite, clone, pipelines, cross-validation, search.

Every estimator of the exercises is found automatically (``utils.base.example_estimators``),
so a new exercise is covered without editing this file.

The checks that still fail are listed in EXPECTED_FAILURES with the reason in words: each
is a deliberate difference from scikit-learn, and reading why is a lesson of its own.
"""

import warnings

import numpy as np
import pytest
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from utils.base import example_estimators

# Smaller settings for the check suite only, as scikit-learn uses for its own slow estimators.
FAST = {"RandomForestClassifier": {"n_estimators": 10}, "SelectKBest": {"k": 1}}

_TWO_SCORES = (
    "decision_function returns one score per class, shape (n_samples, 2) for two classes: the softmax "
    "lesson keeps K scores whatever K; scikit-learn expects the single column z_1 - z_0 for two classes"
)
_NO_ZERO_WEIGHTS = (
    "sample_weight must be positive: a zero weight is refused (drop the sample instead), while "
    "scikit-learn treats it as removing the sample"
)
EXPECTED_FAILURES = {
    "SoftmaxRegression": {"check_classifiers_classes": _TWO_SCORES, "check_classifiers_train": _TWO_SCORES},
    "DecisionTreeClassifier": {
        "check_sample_weight_equivalence_on_dense_data": _NO_ZERO_WEIGHTS,
        "check_classifiers_one_label_sample_weights": _NO_ZERO_WEIGHTS,
    },
    "Ridge": {
        "check_non_transformer_estimators_n_iter": "n_iter_ exists only for solver='gd': the closed form "
        "takes no iterations, yet the class has a max_iter parameter (for 'gd')",
    },
    "Pipeline": {
        "check_estimators_overwrite_params": "fit trains the step objects given in steps, in place (the "
        "lesson's pipeline is that simple); scikit-learn's Pipeline clones its transformers first",
    },
}


def _checked_examples():
    out = []
    for name, estimator in example_estimators():
        out.append(estimator.set_params(**FAST.get(name, {})))
    return out


with warnings.catch_warnings():
    # scikit-learn warns that our classes do not inherit its BaseEstimator: on purpose, they
    # inherit utils.base.BaseEstimator, which provides the same interface.
    warnings.filterwarnings("ignore", message="Estimator .* does not inherit from", category=UserWarning)
    _parametrize = parametrize_with_checks(
        _checked_examples(), expected_failed_checks=lambda est: EXPECTED_FAILURES.get(type(est).__name__, {})
    )


@_parametrize
def test_sklearn_check(estimator, check):
    # Check that the estimator passes scikit-learn's common check (or fails it for the listed reason).
    check(estimator)


# ---------------------------------------------------------------------------------------------
# clone, make_pipeline, cross_val_score, GridSearchCV, with the estimators as they are


def _data_for(name, estimator):
    """(X, y) an estimator of this kind learns from: two classes, a regression, or categories."""
    rng = np.random.default_rng(0)
    n = 100
    X = rng.standard_normal((n, 4))
    y_class = (X[:, 0] + 0.5 * X[:, 1] + 0.3 * rng.standard_normal(n) > 0).astype(int)
    if is_regressor(estimator):
        return X, X @ [1.0, -2.0, 0.5, 0.0] + 0.1 * rng.standard_normal(n)
    if estimator.__sklearn_tags__().input_tags.categorical:
        return rng.integers(0, 3, size=(n, 2)).astype(float), y_class
    if name == "MissingIndicator":  # something to indicate
        X[rng.random(X.shape) < 0.1] = np.nan
    return X, y_class


def _pipeline(name, estimator):
    """make_pipeline(StandardScaler(), estimator), plus a final classifier for a transformer."""
    non_negative = estimator.__sklearn_tags__().input_tags.positive_only
    first = MinMaxScaler() if non_negative else StandardScaler()  # counts must stay >= 0
    steps = [first, estimator]
    if not (is_classifier(estimator) or is_regressor(estimator) or hasattr(estimator, "score")):
        steps.append(LogisticRegression())  # a transformer: judge it by what a model learns from it
    return make_pipeline(*steps)


# Estimators whose every parameter is a string or None: a grid chosen by hand.
GRIDS = {
    "PCA": {"n_components": [1, 2]},
    "OneHotEncoder": {"handle_unknown": ["error", "ignore"]},
    "OrdinalEncoder": {"encoded_missing_value": [-1.0, -2.0]},
    "TargetEncoder": {"smooth": ["auto", 1.0]},
}


def _one_parameter_grid(name, estimator, prefix):
    """{prefix + name: [default, another value]} for the first number- or bool-valued parameter."""
    if name in GRIDS:
        return {prefix + key: values for key, values in GRIDS[name].items()}
    for key, value in sorted(estimator.get_params(deep=True).items()):
        if isinstance(value, bool):
            return {prefix + key: [value, not value]}
        if isinstance(value, int) and value >= 1 and key not in ("random_state", "verbose"):
            return {prefix + key: [value, value + 1]}
        if isinstance(value, float) and np.isfinite(value):
            return {prefix + key: [value, value / 2 if value > 0 else value + 0.01]}
    return None


EXAMPLES = example_estimators()


@pytest.mark.parametrize("name, estimator", EXAMPLES, ids=[name for name, _ in EXAMPLES])
def test_clone_pipeline_cross_validation_and_grid_search(name, estimator):
    # Check that scikit-learn's tools take the estimator as it is: clone copies its parameters,
    # make_pipeline + cross_val_score (5 folds) give finite scores, and a one-parameter
    # GridSearchCV through the pipeline fits and picks one of the two values.
    estimator = estimator.set_params(**FAST.get(name, {}))
    copy = clone(estimator)
    assert type(copy) is type(estimator) and copy is not estimator
    assert copy.get_params(deep=False).keys() == estimator.get_params(deep=False).keys()

    X, y = _data_for(name, estimator)
    pipe = _pipeline(name, estimator)
    folds = KFold(5, shuffle=True, random_state=0)
    scores = cross_val_score(pipe, X, y, cv=folds)
    assert scores.shape == (5,) and np.all(np.isfinite(scores))

    step = pipe.steps[1][0]
    grid = _one_parameter_grid(name, estimator, f"{step}__")
    assert grid is not None, f"{name} has no number or bool parameter to search"
    search = GridSearchCV(pipe, grid, cv=folds).fit(X, y)
    (key, values), = grid.items()
    assert search.best_params_[key] in values
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
