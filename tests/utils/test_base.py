"""utils.base: parameters from the constructor, the mixins, scikit-learn's tags; pickling exercises."""

import pickle

import numpy as np
import pytest

import utils
from utils import base
from utils.validation import NotFittedError

RTOL = 1e-12


class Toy(base.RegressorMixin, base.BaseEstimator):
    """A regressor that predicts scale * (first column), for the tests."""

    def __init__(self, scale=1.0, inner=None, name="toy"):
        self.scale = scale
        self.inner = inner
        self.name = name

    def fit(self, X, y=None):
        self.n_features_in_ = np.shape(X)[1]
        return self

    def predict(self, X):
        return self.scale * np.asarray(X, dtype=float)[:, 0]


class Labeler(base.ClassifierMixin, base.BaseEstimator):
    """A classifier that predicts 'a' where the first column is positive, 'b' elsewhere."""

    _domain = {"binary_only": True}

    def fit(self, X, y):
        return self

    def predict(self, X):
        return np.where(np.asarray(X)[:, 0] > 0, "a", "b")


class Doubler(base.TransformerMixin, base.BaseEstimator):
    _domain = {"allow_nan": True, "non_negative": True}

    def __init__(self, factor=2.0):
        self.factor = factor

    def fit(self, X, y=None):
        self.fitted_ = True
        return self

    def transform(self, X):
        return self.factor * np.asarray(X, dtype=float)


class Steps(base.BaseEstimator):
    def __init__(self, steps):
        self.steps = steps

    def fit(self, X, y=None):
        return self


def test_get_params_reads_the_constructor_and_goes_deep():
    # Check that get_params returns exactly the constructor's arguments, and with deep=True
    # also the nested estimator's as inner__param (scikit-learn's convention).
    model = Toy(scale=3.0, inner=Doubler(factor=5.0))
    assert model.get_params(deep=False) == {"scale": 3.0, "inner": model.inner, "name": "toy"}
    deep = model.get_params()
    assert deep["inner__factor"] == 5.0 and deep["scale"] == 3.0


def test_set_params_sets_own_and_nested_values_and_refuses_unknown_ones():
    # Check set_params(scale=..., inner__factor=...) changes the objects in place and returns
    # self; an unknown name is refused with the valid ones listed.
    model = Toy(inner=Doubler())
    assert model.set_params(scale=0.5, inner__factor=7.0) is model
    assert model.scale == 0.5 and model.inner.factor == 7.0
    with pytest.raises(ValueError, match="invalid parameter 'sclae'.*inner, name, scale"):
        model.set_params(sclae=1.0)


def test_steps_are_reached_by_name_and_can_be_replaced():
    # Check a list of (name, estimator) pairs: each step appears under its name, its
    # parameters as name__param, and set_params(name=new) replaces that step only.
    pipe = Steps([("double", Doubler()), ("model", Toy())])
    params = pipe.get_params()
    assert params["double"] is pipe.steps[0][1] and params["model__scale"] == 1.0
    pipe.set_params(double__factor=3.0, model=Toy(scale=9.0))
    assert pipe.steps[0][1].factor == 3.0 and pipe.steps[1][1].scale == 9.0


def test_repr_shows_only_the_changed_parameters():
    # Check the repr: the class name and the arguments that differ from their defaults.
    assert repr(Toy()) == "Toy()"
    assert repr(Toy(scale=2.0, name="x")) == "Toy(name='x', scale=2.0)"


def test_star_args_are_refused():
    # Check that a constructor hiding its parameters behind **kwargs is refused by name.
    class Hidden(base.BaseEstimator):
        def __init__(self, **kwargs):
            pass

    with pytest.raises(TypeError, match=r"Hidden.__init__ must name every parameter"):
        Hidden().get_params()


def test_mixin_scores_match_their_definitions(rng):
    # Check ClassifierMixin.score = accuracy (a hand count) and RegressorMixin.score = R^2
    # (scikit-learn's r2_score); a column-vector y is accepted.
    from sklearn.metrics import r2_score

    X = np.array([[1.0], [-1.0], [2.0], [-3.0]])
    assert Labeler().score(X, ["a", "a", "a", "b"]) == 0.75  # by hand: 3 of 4 right
    X = rng.standard_normal((20, 2))
    y = 2.0 * X[:, 0] + rng.standard_normal(20)
    model = Toy(scale=2.0)
    np.testing.assert_allclose(model.score(X, y), r2_score(y, 2.0 * X[:, 0]), rtol=RTOL)
    np.testing.assert_allclose(model.score(X, y[:, None]), model.score(X, y), rtol=RTOL)


def test_fit_transform_and_fit_predict():
    # Check the transformer and cluster mixins: fit then transform / the labels_ of fit.
    X = np.arange(6.0).reshape(3, 2)
    np.testing.assert_array_equal(Doubler(factor=3.0).fit_transform(X), 3.0 * X)

    class Halves(base.ClusterMixin, base.BaseEstimator):
        def fit(self, X, y=None):
            self.labels_ = (np.asarray(X)[:, 0] > 1).astype(int)
            return self

    np.testing.assert_array_equal(Halves().fit_predict(X), [0, 1, 1])


def test_tags_declare_the_kind_and_the_domain():
    # Check the translation into scikit-learn's tags: the kind from the mixin, the data
    # domain from _domain, and a wrapper takes the kind of the estimator it wraps.
    from sklearn.utils import get_tags

    assert get_tags(Toy()).estimator_type == "regressor" and get_tags(Toy()).target_tags.required
    labeler = get_tags(Labeler())
    assert labeler.estimator_type == "classifier" and not labeler.classifier_tags.multi_class
    doubler = get_tags(Doubler())
    assert doubler.input_tags.allow_nan and doubler.input_tags.positive_only and doubler.transformer_tags
    assert get_tags(Steps([("double", Doubler()), ("model", Labeler())])).estimator_type == "classifier"

    class Strange(base.BaseEstimator):
        _domain = {"sparkly": True}

    with pytest.raises(ValueError, match="unknown _domain keys"):
        Strange().__sklearn_tags__()


def test_no_exercise_imports_scikit_learn_through_base():
    # Check that utils.base itself does not import scikit-learn (only __sklearn_tags__ does).
    source = (utils.REPO_ROOT / "utils" / "base.py").read_text()
    top_level = [line for line in source.splitlines() if line.startswith(("import ", "from "))]
    assert not any("sklearn" in line for line in top_level)


def test_not_fitted_error_is_caught_as_value_and_attribute_error_and_as_sklearns():
    # Check that the not-fitted error is a ValueError and an AttributeError, and, with
    # scikit-learn loaded, also scikit-learn's NotFittedError.
    from sklearn.exceptions import NotFittedError as SkNotFittedError

    from utils.validation import check_fitted

    with pytest.raises(SkNotFittedError, match="this Toy is not fitted yet") as caught:
        check_fitted(Toy(), "coef_")
    assert isinstance(caught.value, (NotFittedError, ValueError, AttributeError))
    assert issubclass(NotFittedError, ValueError) and issubclass(NotFittedError, AttributeError)


def test_fitted_exercise_estimators_survive_pickling():
    # Check that a fitted tree pickles and unpickles after its exercise is loaded again
    # (the module keeps its class objects), with the same predictions.
    path = "02-fundamentals-of-machine-learning/ex08_decision_tree.py"
    first = utils.load_exercise(path)
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    tree = first.DecisionTreeClassifier(max_depth=1).fit(X, [0, 0, 1, 1])
    again = utils.load_exercise(path)
    assert again is first
    copy = pickle.loads(pickle.dumps(tree))
    np.testing.assert_array_equal(copy.predict(X), [0, 0, 1, 1])


def test_an_edited_exercise_is_loaded_afresh(tmp_path):
    # Check that changing a script's text makes load_exercise execute it again.
    script = tmp_path / "ex97_edit.py"
    script.write_text("VALUE = 1\n")
    assert utils.load_exercise(script).VALUE == 1
    script.write_text("VALUE = 22\n")  # a different size: a new version even on a coarse clock
    assert utils.load_exercise(script).VALUE == 22


def test_all_estimators_finds_the_exercises_classes():
    # Check discovery: known estimators of modules 02, 04 and 05 are found, parents are not.
    names = [name for name, _ in base.all_estimators()]
    for expected in ("LinearRegression", "DecisionTreeClassifier", "StandardScaler", "Pipeline", "Lasso"):
        assert expected in names
    assert not any(name.startswith(("_", "Base")) for name in names)
    assert len(names) == len(set(names))
