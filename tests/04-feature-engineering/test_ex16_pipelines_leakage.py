"""Tests for ex16_pipelines_leakage: Pipeline, against manual chaining and scikit-learn, and the leakage demo."""

import numpy as np
import pytest
from sklearn import feature_selection as skfs
from sklearn import pipeline as skpipe
from sklearn import preprocessing as skp
from sklearn.linear_model import LogisticRegression as SkLogisticRegression

import utils
from utils import data
from utils.validation import NotFittedError

ex = utils.load_exercise("04-feature-engineering/ex16_pipelines_leakage.py")

RTOL = 1e-10
CHANCE_TOL = 0.1  # honest CV accuracy on noise: mean over 5 data sets of 50 rows (sd ~0.035), within 0.5 +- this
LEAK_GAP = 0.25  # the leaky protocol must beat the honest one by at least this much


class Spy:
    """A transformer that records which methods the pipeline calls (doubles its input)."""

    def __init__(self, log, name, with_fit_transform=True):
        self.log, self.name = log, name
        if with_fit_transform:
            self.fit_transform = self._fit_transform

    def fit(self, X, y=None):
        self.log.append((self.name, "fit"))
        return self

    def transform(self, X):
        self.log.append((self.name, "transform"))
        return 2 * np.asarray(X)

    def _fit_transform(self, X, y=None):
        self.log.append((self.name, "fit_transform"))
        return 2 * np.asarray(X)


class MeanModel:
    """A model that predicts the mean of the (transformed) training targets plus the row sum."""

    def __init__(self, log=None):
        self.log = log if log is not None else []

    def fit(self, X, y):
        self.log.append(("model", "fit"))
        self.seen_ = np.asarray(X).copy()
        self.mean_ = float(np.mean(y))
        return self

    def predict(self, X):
        return self.mean_ + np.asarray(X).sum(axis=1)

    def score(self, X, y):
        return -float(np.mean((self.predict(X) - y) ** 2))


def test_pipeline_calls_fit_transform_on_all_but_the_last():
    # Check the call sequence: fit_transform on each transformer (or fit then transform when it has
    # no fit_transform), fit on the last; predict only transforms; the model sees X * 2 * 2.
    log = []
    pipe = ex.Pipeline([("a", Spy(log, "a")), ("b", Spy(log, "b", with_fit_transform=False)), ("m", MeanModel(log))])
    X, y = np.arange(6.0).reshape(3, 2), np.array([1.0, 2.0, 3.0])
    assert pipe.fit(X, y) is pipe
    assert log == [("a", "fit_transform"), ("b", "fit"), ("b", "transform"), ("model", "fit")]
    np.testing.assert_array_equal(pipe.named_steps["m"].seen_, 4 * X)
    log.clear()
    np.testing.assert_allclose(pipe.predict(X), 2.0 + (4 * X).sum(axis=1))
    assert log == [("a", "transform"), ("b", "transform")]


def test_pipeline_equals_manual_chaining():
    # Check that the pipeline gives exactly the predictions and score of running the steps by hand:
    # scaler fitted on train, selection fitted on scaled train, model on the selected columns.
    X, y = data.load_breast_cancer()
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_size=0.3, random_state=1)
    pipe = ex.make_model(k=6).fit(X_train, y_train)
    scaler = skp.StandardScaler().fit(X_train)
    selector = skfs.SelectKBest(k=6).fit(scaler.transform(X_train), y_train)
    model = SkLogisticRegression(C=1.0).fit(selector.transform(scaler.transform(X_train)), y_train)
    manual = model.predict_proba(selector.transform(scaler.transform(X_test)))
    np.testing.assert_allclose(pipe.predict_proba(X_test), manual, rtol=RTOL, atol=1e-12)
    assert pipe.score(X_test, y_test) == model.score(selector.transform(scaler.transform(X_test)), y_test)
    assert set(pipe.named_steps) == {"scale", "select", "model"}


def test_pipeline_of_sklearn_parts_matches_sklearn_pipeline(rng):
    # Check our Pipeline around scikit-learn's own steps against sklearn.pipeline.Pipeline.
    X, y = rng.normal(size=(60, 12)), rng.integers(0, 2, 60)
    X[:, 3] += 2 * y
    steps = lambda: [("scale", skp.StandardScaler()), ("select", skfs.SelectKBest(k=4)), ("model", SkLogisticRegression())]
    ours = ex.Pipeline(steps()).fit(X, y)
    sk = skpipe.Pipeline(steps()).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), sk.predict_proba(X), rtol=1e-8, atol=1e-10)
    np.testing.assert_array_equal(ours.predict(X), sk.predict(X))


def test_pipeline_transform_when_the_last_step_transforms(rng):
    # Check transform/fit_transform through a pipeline of transformers only, against manual chaining,
    # and, when the last step cannot transform, no transform attribute (as in scikit-learn).
    X = rng.normal(5.0, 3.0, size=(20, 3))
    pipe = ex.Pipeline([("scale", skp.StandardScaler()), ("minmax", skp.MinMaxScaler())])
    manual = skp.MinMaxScaler().fit_transform(skp.StandardScaler().fit_transform(X))
    np.testing.assert_allclose(pipe.fit_transform(X), manual, rtol=RTOL)
    with pytest.raises(AttributeError, match="no transform"):
        ex.Pipeline([("m", MeanModel())]).fit(X, np.ones(20)).transform(X)
    assert not hasattr(ex.Pipeline([("m", MeanModel())]), "transform") and hasattr(pipe, "transform")


def test_pipeline_bad_steps_and_predict_before_fit():
    # Check the messages: empty steps, duplicate names, a model in the middle, predict before fit.
    X, y = np.ones((4, 2)), np.arange(4.0)
    with pytest.raises(ValueError, match="non-empty"):
        ex.Pipeline([]).fit(X, y)
    with pytest.raises(ValueError, match="unique"):
        ex.Pipeline([("a", Spy([], "a")), ("a", MeanModel())]).fit(X, y)
    with pytest.raises(TypeError, match="must have fit and transform"):
        ex.Pipeline([("m", MeanModel()), ("m2", MeanModel())]).fit(X, y)
    with pytest.raises(NotFittedError, match="call fit"):
        ex.Pipeline([("a", Spy([], "a")), ("m", MeanModel())]).predict(X)


def test_leakage_demo_honest_is_chance_and_leaky_is_not():
    # Check the measured leak on seeded noise data: the honest pipeline's CV accuracy is near 1/2,
    # selecting on all rows first gives a score clearly above it.
    results = np.array([ex.leakage_experiment(n_samples=50, n_features=1000, k=20, random_state=s) for s in range(5)])
    leaky, honest = results.mean(axis=0)
    assert abs(honest - 0.5) < CHANCE_TOL
    assert leaky > 0.8 and leaky > honest + LEAK_GAP


def test_leakage_experiment_is_reproducible():
    # Check that the same seed gives the same two numbers (folds and data come from random_state).
    assert ex.leakage_experiment(n_features=200, random_state=7) == ex.leakage_experiment(n_features=200, random_state=7)
