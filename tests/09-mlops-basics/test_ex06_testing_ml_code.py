"""Tests for ex06_testing_ml_code: the data validator and the three behavioural test rates."""

import warnings

import numpy as np
import pytest
from sklearn.metrics import accuracy_score

import utils
from utils import data

ex = utils.load_exercise("09-mlops-basics/ex06_testing_ml_code.py")

SCHEMA = {"n_features": 3, "min": [0.0, -1.0, 5.0], "max": [1.0, 1.0, 5.0]}


def test_infer_schema_matches_numpy(rng):
    # Check the schema against np.nanmin / np.nanmax, a NaN in the training data ignored.
    X = rng.standard_normal((30, 4))
    X[3, 1] = np.nan
    schema = ex.infer_schema(X)
    assert schema["n_features"] == 4
    np.testing.assert_array_equal(schema["min"], np.nanmin(X, axis=0))
    np.testing.assert_array_equal(schema["max"], np.nanmax(X, axis=0))


def test_a_batch_inside_the_schema_is_ok():
    # Check that values at the edges of the range (and a constant feature at its value) pass.
    X = np.array([[0.0, -1.0, 5.0], [1.0, 1.0, 5.0], [0.5, 0.0, 5.0]])
    report = ex.validate_batch(X, SCHEMA)
    assert report == {"ok": True, "problems": [], "n_missing": 0, "n_out_of_range": 0}


def test_counts_of_missing_infinite_and_out_of_range_values_by_hand():
    # Check by hand: 2 NaN (in 2 features), 1 inf, and out-of-range 1.2 (>1), -1.5 (<-1), 5.1 (constant 5).
    X = np.array([[np.nan, 0.0, 5.0], [1.2, np.nan, 5.0], [0.5, -1.5, 5.1], [np.inf, 0.0, 5.0]])
    report = ex.validate_batch(X, SCHEMA)
    assert not report["ok"]
    assert report["n_missing"] == 2 and report["n_out_of_range"] == 3
    assert len(report["problems"]) == 3
    assert any("infinite" in p for p in report["problems"])


def test_tolerance_widens_the_range_relative_to_its_span():
    # Check tol: feature 0 spans 1, so tol = 0.25 accepts 1.2 and -0.2 but not 1.3; the constant feature
    # (span 0) still accepts only 5.
    X = np.array([[1.2, 0.0, 5.0], [-0.2, 0.0, 5.0], [1.3, 0.0, 5.0], [0.0, 0.0, 5.001]])
    assert ex.validate_batch(X, SCHEMA, tol=0.25)["n_out_of_range"] == 2
    assert ex.validate_batch(X, SCHEMA, tol=0.0)["n_out_of_range"] == 4


def test_a_batch_of_the_wrong_width_is_refused():
    # Check the width check comes first and names both widths.
    report = ex.validate_batch(np.zeros((2, 5)), SCHEMA)
    assert not report["ok"] and "expected 3 features; got 5" in report["problems"][0]


def test_minimum_functionality_is_the_accuracy(rng):
    # Check MFT against scikit-learn's accuracy_score with a hand-made predict function.
    X = rng.standard_normal((40, 2))
    y = (X[:, 0] > 0).astype(int)
    y[:5] = 1 - y[:5]  # five wrong labels
    predict = lambda Z: (Z[:, 0] > 0).astype(int)
    assert ex.minimum_functionality(predict, X, y) == pytest.approx(accuracy_score(y, predict(X)))


def test_invariance_rate_by_hand():
    # Check by hand: predict = [x0 > 0]; adding 0.5 flips exactly the rows with x0 in (-0.5, 0]: 2 of 5.
    X = np.array([[-1.0], [-0.4], [-0.1], [0.3], [2.0]])
    rate = ex.invariance_rate(lambda Z: (Z[:, 0] > 0).astype(int), X, lambda Z: Z + 0.5)
    assert rate == pytest.approx(3 / 5)


def test_directional_rate_by_hand():
    # Check by hand: p1 = sigmoid(x0 - x1); the change raises x0 by 1 for rows 0-2 and lowers it for rows 3-4,
    # so p1 rises for 3 of 5 rows; for class 0 the opposite rows count (2 of 5).
    def proba(Z):
        p1 = 1 / (1 + np.exp(-(Z[:, 0] - Z[:, 1])))
        return np.column_stack([1 - p1, p1])

    X = np.zeros((5, 2))
    shift = np.array([[1.0, 0.0]] * 3 + [[-1.0, 0.0]] * 2)
    assert ex.directional_rate(proba, X, lambda Z: Z + shift, k=1) == pytest.approx(3 / 5)
    assert ex.directional_rate(proba, X, lambda Z: Z + shift, k=0) == pytest.approx(2 / 5)


@pytest.fixture(scope="module")
def digits_models():
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X / 16.0, y, test_size=0.25, random_state=0)
    model = MLPClassifier((32,), tol=1e-3, random_state=0).fit(X_train, y_train)
    shuffled = MLPClassifier((32,), max_iter=100, random_state=0)
    with warnings.catch_warnings():  # noise never converges: expected, not a problem of the test
        warnings.simplefilter("ignore", ConvergenceWarning)
        shuffled.fit(X_train, np.random.default_rng(0).permutation(y_train))  # a model that learnt noise
    return X_train, y_train, X_test[:150], model, shuffled


def test_suite_passes_a_trained_model_and_fails_one_trained_on_shuffled_labels(digits_models):
    # Check the suite as a whole: a real digits MLP passes all three, one trained on shuffled labels fails MFT.
    X_train, y_train, X_test, model, shuffled = digits_models
    good = ex.behavioural_suite(model, X_train, y_train, X_test, np.random.default_rng(0))
    bad = ex.behavioural_suite(shuffled, X_train, y_train, X_test, np.random.default_rng(0))
    assert [passed for *_, passed in good] == [True, True, True]
    assert not bad[0][3]
    assert all(0.0 <= rate <= 1.0 for _, rate, _, _ in good + bad)
