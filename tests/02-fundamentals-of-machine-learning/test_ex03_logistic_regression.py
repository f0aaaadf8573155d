"""Tests for ex03_logistic_regression: the stable sigmoid, the loss, and the classifier."""

import numpy as np
import pytest
from scipy.special import expit
from sklearn.linear_model import LogisticRegression as SkLogisticRegression

import utils
from utils import data
from utils.gradcheck import check_gradient
from utils.validation import NotFittedError

ex = utils.load_exercise("02-fundamentals-of-machine-learning/ex03_logistic_regression.py")

SIGMOID_RTOL = 1e-12
GRAD_TOL = 1e-6
COEF_TOL = 1e-4  # our Newton solution vs scikit-learn's lbfgs on the same objective
PROBA_ATOL = 1e-5
GD_TOL = 1e-5  # gradient descent vs Newton on a small, well-conditioned problem


def _sk(C, fit_intercept=True):
    return SkLogisticRegression(C=C, fit_intercept=fit_intercept, tol=1e-12, max_iter=100_000)


@pytest.fixture(scope="module")
def cancer():
    X, y = data.load_breast_cancer()
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X, y


def test_sigmoid_values_and_extremes():
    # Check against scipy.special.expit, including +-1000 where the naive formula overflows.
    z = np.array([-1000.0, -745.0, -30.0, -1.0, 0.0, 1e-8, 2.0, 40.0, 1000.0])
    np.testing.assert_allclose(ex.sigmoid(z), expit(z), rtol=SIGMOID_RTOL, atol=1e-300)
    assert ex.sigmoid(np.array([0.0]))[0] == 0.5
    assert ex.sigmoid(np.array([1000.0]))[0] == 1.0 and ex.sigmoid(np.array([-1000.0]))[0] == 0.0


def test_sigmoid_symmetry(rng):
    # Check sigmoid(-z) = 1 - sigmoid(z), a property of the function.
    z = 10 * rng.standard_normal(50)
    np.testing.assert_allclose(ex.sigmoid(-z), 1 - ex.sigmoid(z), atol=1e-15)


def test_loss_by_hand():
    # Check by hand: with w = 0 and b = 0 every p is 1/2, so the mean log-loss is log 2.
    X, y = np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([0.0, 1.0])
    f, dw, db = ex.logistic_loss(np.zeros(2), 0.0, X, y, C=1.0)
    assert f == pytest.approx(np.log(2))
    # gradient: (1/n) X^T (p - y) = (1/2) [1*0.5 + 3*(-0.5), 2*0.5 + (-1)(-0.5)] = [-0.5, 0.75]
    np.testing.assert_allclose(dw, [-0.5, 0.75], atol=1e-15)
    assert db == pytest.approx(0.0)


def test_loss_with_huge_logits_is_exact():
    # Check z = +-1000: a right answer costs ~0, a wrong one costs 1000 (not inf, not nan).
    X, w = np.array([[1000.0], [-1000.0]]), np.array([1.0])
    f_right = ex.logistic_loss(w, 0.0, X, np.array([1.0, 0.0]), C=np.inf)[0]
    f_wrong = ex.logistic_loss(w, 0.0, X, np.array([0.0, 1.0]), C=np.inf)[0]
    assert f_right == pytest.approx(0.0, abs=1e-300)
    assert f_wrong == pytest.approx(1000.0)


@pytest.mark.parametrize("C", [0.5, np.inf])
def test_gradient_matches_finite_differences(rng, C):
    # Check dw and db against central differences, with and without the penalty.
    X, y = rng.standard_normal((20, 3)), (rng.random(20) < 0.5).astype(float)
    w, b = rng.standard_normal(3), np.array([0.3])
    _, dw, db = ex.logistic_loss(w, b[0], X, y, C)
    check_gradient(lambda w_: ex.logistic_loss(w_, b[0], X, y, C)[0], w, dw, tol=GRAD_TOL)
    check_gradient(lambda b_: ex.logistic_loss(w, b_[0], X, y, C)[0], b, np.array([db]), tol=GRAD_TOL)


@pytest.mark.parametrize("C", [0.05, 1.0, 10.0])
def test_matches_sklearn_on_breast_cancer(cancer, C):
    # Check coefficients, probabilities and predictions against scikit-learn's lbfgs
    # on the same objective 0.5||w||^2 + C sum log-loss, on standardised breast cancer.
    X, y = cancer
    model = ex.LogisticRegression(C=C).fit(X, y)
    sk = _sk(C).fit(X, y)
    assert model.coef_.shape == (1, X.shape[1]) and model.intercept_.shape == (1,)
    np.testing.assert_allclose(model.coef_, sk.coef_, rtol=COEF_TOL, atol=COEF_TOL)
    np.testing.assert_allclose(model.intercept_, sk.intercept_, rtol=COEF_TOL, atol=COEF_TOL)
    np.testing.assert_allclose(model.predict_proba(X), sk.predict_proba(X), atol=PROBA_ATOL)
    np.testing.assert_array_equal(model.predict(X), sk.predict(X))
    assert model.score(X, y) == sk.score(X, y)


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_matches_sklearn_on_synthetic_data(rng, fit_intercept):
    # Check overlapping blobs with an off-centre mean, with and without the intercept.
    X, y = data.make_blobs(n_samples=150, centers=[[1.0, 2.0, 0.0], [2.0, 3.0, 1.0]], cluster_std=1.2, random_state=rng)
    model = ex.LogisticRegression(C=2.0, fit_intercept=fit_intercept).fit(X, y)
    sk = _sk(2.0, fit_intercept).fit(X, y)
    np.testing.assert_allclose(model.coef_, sk.coef_, rtol=COEF_TOL, atol=COEF_TOL)
    np.testing.assert_allclose(model.intercept_, sk.intercept_, atol=COEF_TOL)
    np.testing.assert_allclose(model.decision_function(X), sk.decision_function(X), atol=COEF_TOL)


def test_gradient_is_zero_at_the_fit(rng):
    # Check optimality: the gradient of the objective vanishes at the fitted (w, b).
    X, y = rng.standard_normal((60, 4)), (rng.random(60) < 0.4).astype(int)
    model = ex.LogisticRegression(C=0.7).fit(X, y)
    _, dw, db = ex.logistic_loss(model.coef_[0], model.intercept_[0], X, y.astype(float), C=0.7)
    np.testing.assert_allclose(dw, 0.0, atol=1e-8)
    np.testing.assert_allclose(db, 0.0, atol=1e-8)


def test_gradient_descent_reaches_the_newton_solution(rng):
    # Check that solver="gd" lands where Newton does, and that both never raise the loss.
    X, y = data.make_blobs(n_samples=80, centers=[[-1.0, 0.0], [1.0, 0.5]], cluster_std=1.5, random_state=rng)
    newton = ex.LogisticRegression(C=1.0).fit(X, y)
    gd = ex.LogisticRegression(C=1.0, solver="gd", max_iter=5000, tol=1e-9).fit(X, y)
    np.testing.assert_allclose(gd.coef_, newton.coef_, atol=GD_TOL)
    np.testing.assert_allclose(gd.intercept_, newton.intercept_, atol=GD_TOL)
    for m in (newton, gd):
        assert np.all(np.diff(m.loss_curve_) <= 1e-12)
    assert newton.n_iter_ < 20 < gd.n_iter_


def test_probabilities_are_consistent(cancer):
    # Check that rows sum to 1, column 1 is sigmoid(decision_function), and predict is
    # the class with the larger probability.
    X, y = cancer
    model = ex.LogisticRegression().fit(X, y)
    proba = model.predict_proba(X)
    assert proba.shape == (len(X), 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-15)
    np.testing.assert_allclose(proba[:, 1], expit(model.decision_function(X)), rtol=1e-12)
    np.testing.assert_array_equal(model.predict(X), model.classes_[proba.argmax(axis=1)])


@pytest.mark.parametrize(
    "labels",
    [np.array(["cat", "dog"]), np.array([-1, 3]), np.array([True, False])],
    ids=["strings", "minus-one-three", "booleans"],
)
def test_any_two_labels(rng, labels):
    # Check that labels that are not 0/1 are kept in classes_ (sorted, as in sklearn)
    # and that predictions and probability columns follow them.
    X, y01 = data.make_blobs(n_samples=60, centers=[[0.0, 0.0], [1.5, 1.5]], random_state=rng)
    y = labels[y01]
    model = ex.LogisticRegression().fit(X, y)
    sk = _sk(1.0).fit(X, y)
    np.testing.assert_array_equal(model.classes_, sk.classes_)
    np.testing.assert_array_equal(model.predict(X), sk.predict(X))
    np.testing.assert_allclose(model.predict_proba(X), sk.predict_proba(X), atol=PROBA_ATOL)


def test_separable_data_with_huge_logits_stays_finite():
    # Check separable data, nearly no penalty and far-away points: no warning (they are
    # errors in this suite), finite weights, probabilities exactly in [0, 1], accuracy 1.
    X = np.array([[-3.0], [-2.0], [-1.0], [1.0], [2.0], [3.0]]) * 100
    y = np.array([0, 0, 0, 1, 1, 1])
    for C in (1e6, np.inf):
        model = ex.LogisticRegression(C=C, max_iter=50).fit(X, y)
        assert np.all(np.isfinite(model.coef_)) and np.isfinite(model.intercept_).all()
        proba = model.predict_proba(np.array([[-1e6], [-300.0], [300.0], [1e6]]))
        assert np.all((proba >= 0) & (proba <= 1))
        np.testing.assert_array_equal(proba[[0, 3]].argmax(axis=1), [0, 1])
        assert model.score(X, y) == 1.0


def test_one_or_three_classes_are_refused(rng):
    # Check the error names the number of classes found.
    X = rng.standard_normal((6, 2))
    with pytest.raises(ValueError, match=r"y has 1 class\(es\) \[1\.\] in the 6 sample\(s\) of X; LogisticRegression needs exactly two classes"):
        ex.LogisticRegression().fit(X, np.ones(6))
    with pytest.raises(ValueError, match=r"y has 3 class\(es\)"):
        ex.LogisticRegression().fit(X, [0, 1, 2, 0, 1, 2])


def test_predict_before_fit_is_refused():
    # Check the message tells the learner to call fit first.
    for method in ("predict", "predict_proba", "decision_function"):
        with pytest.raises(NotFittedError, match="fit"):
            getattr(ex.LogisticRegression(), method)(np.ones((2, 2)))


def test_bad_input_gets_a_clear_error(rng):
    # Check mismatched lengths, a wrong feature count, bad C and an unknown solver.
    X, y = rng.standard_normal((10, 2)), np.tile([0, 1], 5)
    with pytest.raises(ValueError, match="same number of samples"):
        ex.LogisticRegression().fit(X, y[:9])
    with pytest.raises(ValueError, match="X has 5 features, but LogisticRegression is expecting 2 features"):
        ex.LogisticRegression().fit(X, y).predict(np.ones((3, 5)))
    with pytest.raises(ValueError, match="C must be a positive"):
        ex.LogisticRegression(C=0).fit(X, y)
    with pytest.raises(ValueError, match="solver"):
        ex.LogisticRegression(solver="lbfgs").fit(X, y)
