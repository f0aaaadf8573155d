"""Tests for ex01_perceptron: Rosenblatt's rule, convergence on separable data, failure on XOR."""

import numpy as np
import pytest

import utils

ex = utils.load_exercise("06-intro-to-deep-learning/ex01_perceptron.py")

ATOL = 1e-12


def test_first_updates_by_hand():
    # Check two steps worked by hand from w = 0, b = 0, eta = 1:
    # x1 = (1, 2), t = +1: score 0 <= 0 is a mistake -> w = (1, 2), b = 1.
    # x2 = (2, -1), t = -1: score 2 - 2 + 1 = 1, t * score = -1 <= 0 -> w = (1, 2) - (2, -1) = (-1, 3), b = 0.
    w, b, mistake = ex.perceptron_update(np.zeros(2), 0.0, np.array([1.0, 2.0]), 1)
    assert mistake
    np.testing.assert_allclose(w, [1.0, 2.0], atol=ATOL)
    assert b == pytest.approx(1.0)
    w, b, mistake = ex.perceptron_update(w, b, np.array([2.0, -1.0]), -1)
    assert mistake
    np.testing.assert_allclose(w, [-1.0, 3.0], atol=ATOL)
    assert b == pytest.approx(0.0)
    # Then x1 again: score -1 + 6 + 0 = 5 > 0 for t = +1, so no update.
    w2, b2, mistake = ex.perceptron_update(w, b, np.array([1.0, 2.0]), 1)
    assert not mistake
    np.testing.assert_allclose(w2, w, atol=ATOL)
    assert b2 == b


def test_learning_rate_scales_the_update():
    # Check by hand: with eta = 0.5 the first update is half of x (and the bias 0.5 * t).
    w, b, _ = ex.perceptron_update(np.zeros(2), 0.0, np.array([4.0, -2.0]), -1, eta=0.5)
    np.testing.assert_allclose(w, [-2.0, 1.0], atol=ATOL)
    assert b == pytest.approx(-0.5)


def test_fit_one_epoch_without_shuffle_matches_the_hand_computation():
    # Check that fit visits the samples in order: the same two hand-computed updates as above.
    X, y = np.array([[1.0, 2.0], [2.0, -1.0]]), np.array([1, 0])  # label 1 is +1, label 0 is -1
    model = ex.Perceptron(max_iter=1, shuffle=False).fit(X, y)
    np.testing.assert_allclose(model.coef_, [-1.0, 3.0], atol=ATOL)
    assert model.intercept_ == pytest.approx(0.0)
    assert model.errors_ == [2]


def test_separable_data_reaches_zero_training_errors_within_the_mistake_bound():
    # Check convergence: a mistake-free final epoch, perfect training accuracy, and at most
    # (R / gamma)^2 mistakes in all (Novikoff), with gamma the margin of the true separating line.
    for seed in range(3):
        X, y, u = ex.make_separable(n_samples=60, margin=0.1, random_state=seed)
        model = ex.Perceptron(max_iter=1000, random_state=seed).fit(X, y)
        assert model.converged_ and model.errors_[-1] == 0
        assert model.score(X, y) == 1.0
        Z = np.column_stack([X, np.ones(len(X))])
        t = np.where(y == 1, 1.0, -1.0)
        gamma = np.min(t * (Z @ u)) / np.linalg.norm(u)
        R = np.linalg.norm(Z, axis=1).max()
        assert sum(model.errors_) <= (R / gamma) ** 2
        assert model.n_iter_ == len(model.errors_)


def test_xor_never_reaches_zero_errors():
    # Check that no epoch ends with all four XOR points right (no line separates them):
    # the state after epoch k is a fit with max_iter = k and the same seed.
    for k in range(1, 21):
        model = ex.Perceptron(max_iter=k, random_state=0).fit(ex.XOR_X, ex.XOR_Y)
        assert model.score(ex.XOR_X, ex.XOR_Y) <= 0.75
    model = ex.Perceptron(max_iter=50, random_state=0).fit(ex.XOR_X, ex.XOR_Y)
    assert not model.converged_
    assert len(model.errors_) == 50 and min(model.errors_) > 0


def test_learning_rate_does_not_change_predictions():
    # Check the property from the docstring: starting at 0, eta only rescales w and b.
    X, y, _ = ex.make_separable(n_samples=40, margin=0.1, random_state=3)
    a = ex.Perceptron(eta0=1.0, random_state=0).fit(X, y)
    b = ex.Perceptron(eta0=0.01, random_state=0).fit(X, y)
    np.testing.assert_allclose(b.coef_, 0.01 * a.coef_, rtol=1e-9)
    assert b.errors_ == a.errors_


def test_agrees_with_scikit_learn_on_separable_data():
    # Check against scikit-learn's Perceptron: both separate the data, so both predict every training label.
    from sklearn.linear_model import Perceptron as SkPerceptron

    X, y, _ = ex.make_separable(n_samples=80, margin=0.05, random_state=1)
    ours = ex.Perceptron(max_iter=1000, random_state=0).fit(X, y)
    theirs = SkPerceptron(max_iter=1000, tol=None, random_state=0).fit(X, y)
    np.testing.assert_array_equal(theirs.predict(X), y)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


def test_any_two_labels_and_decision_sign():
    # Check that string labels work: the second sorted label is the positive side.
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    y = np.array(["no", "no", "yes", "yes"])
    model = ex.Perceptron(random_state=0).fit(X, y)
    np.testing.assert_array_equal(model.classes_, ["no", "yes"])
    np.testing.assert_array_equal(model.predict(X), y)
    assert np.all((model.decision_function(X) > 0) == (y == "yes"))


def test_bad_input_and_predict_before_fit():
    # Check the messages: one class, three classes, wrong feature count, predict before fit.
    with pytest.raises(RuntimeError, match="fit"):
        ex.Perceptron().predict(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="exactly two classes"):
        ex.Perceptron().fit(np.zeros((3, 2)), np.array([1, 1, 1]))
    with pytest.raises(ValueError, match="exactly two classes"):
        ex.Perceptron().fit(np.zeros((3, 2)), np.array([0, 1, 2]))
    model = ex.Perceptron().fit(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([0, 1]))
    with pytest.raises(ValueError, match="features"):
        model.predict(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="-1 or \\+1"):
        ex.perceptron_update(np.zeros(2), 0.0, np.ones(2), 0)
