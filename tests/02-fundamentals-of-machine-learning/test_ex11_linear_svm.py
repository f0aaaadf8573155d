"""Tests for ex11_linear_svm: hinge objective, its subgradient, and LinearSVC against sklearn's SVC."""

import numpy as np
import pytest
from sklearn.svm import SVC

import utils
from utils import data, gradcheck
from utils.validation import NotFittedError

ex = utils.load_exercise("02-fundamentals-of-machine-learning/ex11_linear_svm.py")

ATOL = 1e-12
GRAD_TOL = 1e-6
OBJECTIVE_RTOL = 1e-3  # relative gap to sklearn's exact optimum after the default 1000 steps
ACCURACY_POINTS = 0.02  # test accuracy within 2 percentage points of sklearn's


@pytest.fixture(scope="module")
def blobs():
    X, y = data.make_blobs(200, centers=[[-1.0, -1.0], [1.0, 1.0]], cluster_std=1.0, random_state=1)
    return X, y, np.where(y == 1, 1.0, -1.0)


def test_objective_by_hand():
    # Check by hand: x = (+-1, 0), y = +-1, w = (0.5, 0), b = 0 gives margins 0.5, hinge 0.5 each,
    # so F = 0.5 * 0.25 + C * (0.5 + 0.5) = 0.125 + 2 with C = 2.
    X, y_pm = np.array([[1.0, 0.0], [-1.0, 0.0]]), np.array([1.0, -1.0])
    assert ex.svm_objective(np.array([0.5, 0.0]), 0.0, X, y_pm, C=2.0) == pytest.approx(2.125, abs=ATOL)
    # and w = (1, 0) puts both points exactly on the margin: no hinge loss, F = 0.5.
    assert ex.svm_objective(np.array([1.0, 0.0]), 0.0, X, y_pm, C=2.0) == pytest.approx(0.5, abs=ATOL)


def test_subgradient_matches_central_differences(blobs, rng):
    # Check the subgradient against a numerical gradient where F is differentiable (no margin at 1),
    # with C != 1 so a forgotten C, a wrong sign or a missing intercept term shows up.
    X, _, y_pm = blobs
    theta = np.concatenate([rng.standard_normal(2), [0.3]])  # (w_1, w_2, b)
    margins = y_pm * (X @ theta[:2] + theta[2])
    assert np.min(np.abs(margins - 1.0)) > 1e-3  # away from the kink, so the gradient exists
    g_w, g_b = ex.svm_subgradient(theta[:2], theta[2], X, y_pm, C=0.7)
    f = lambda t: ex.svm_objective(t[:2], t[2], X, y_pm, 0.7)  # noqa: E731
    gradcheck.check_gradient(f, theta, np.concatenate([g_w, [g_b]]), tol=GRAD_TOL)


def test_subgradient_is_zero_at_a_hand_made_optimum():
    # Check by hand: x = (+-2, 0), C small: w = (0.5, 0) puts both points on the margin (no
    # violators), so the subgradient is w itself; w = 0 makes both violators and g_w = -C * (2 + 2, 0).
    X, y_pm = np.array([[2.0, 0.0], [-2.0, 0.0]]), np.array([1.0, -1.0])
    g_w, g_b = ex.svm_subgradient(np.array([0.5, 0.0]), 0.0, X, y_pm, C=0.1)
    np.testing.assert_allclose(g_w, [0.5, 0.0], atol=ATOL)
    g_w, g_b = ex.svm_subgradient(np.zeros(2), 0.0, X, y_pm, C=0.1)
    np.testing.assert_allclose(g_w, [-0.4, 0.0], atol=ATOL)
    assert g_b == pytest.approx(0.0, abs=ATOL)


@pytest.mark.parametrize("C", [0.1, 1.0])
def test_objective_matches_sklearn_svc(blobs, C):
    # Check that our averaged iterate reaches sklearn SVC's optimum of the same objective
    # (linear kernel, unpenalised intercept) within OBJECTIVE_RTOL.
    X, y, y_pm = blobs
    ours = ex.LinearSVC(C=C).fit(X, y)
    ref = SVC(kernel="linear", C=C, tol=1e-8).fit(X, y)
    f_ours = ex.svm_objective(ours.coef_[0], ours.intercept_[0], X, y_pm, C)
    f_ref = ex.svm_objective(ref.coef_[0], ref.intercept_[0], X, y_pm, C)
    assert f_ours >= f_ref * (1 - 1e-9)  # nobody beats the optimum
    np.testing.assert_allclose(f_ours, f_ref, rtol=OBJECTIVE_RTOL)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=0.05)


def test_accuracy_close_to_sklearn_on_breast_cancer():
    # Check the 30-feature real problem: test accuracy within 2 points of sklearn's on the same split.
    X, y = data.load_breast_cancer()
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, random_state=0)
    ours = ex.LinearSVC(C=0.1).fit(X_train, y_train).score(X_test, y_test)
    ref = SVC(kernel="linear", C=0.1).fit(X_train, y_train).score(X_test, y_test)
    assert abs(ours - ref) <= ACCURACY_POINTS


def test_stochastic_pegasos_also_learns(blobs):
    # Check that mini-batch steps (batch_size=10) reach nearly the same accuracy as sklearn.
    X, y, _ = blobs
    ours = ex.LinearSVC(C=1.0, batch_size=10, max_iter=2000, random_state=0).fit(X, y)
    ref = SVC(kernel="linear", C=1.0).fit(X, y)
    assert abs(ours.score(X, y) - ref.score(X, y)) <= ACCURACY_POINTS


def test_separable_data_is_separated():
    # Check that two far-apart blobs are split with every training point on its side.
    X, y = data.make_blobs(100, centers=[[-4.0, 0.0], [4.0, 0.0]], cluster_std=0.7, random_state=0)
    model = ex.LinearSVC(C=1.0).fit(X, y)
    np.testing.assert_array_equal(model.predict(X), y)
    y_pm = np.where(y == 1, 1.0, -1.0)
    assert np.all(y_pm * model.decision_function(X) > 0)


def test_decision_function_and_predict_agree(blobs):
    # Check the score is X @ w + b and that its sign picks classes_[1].
    X, y, _ = blobs
    model = ex.LinearSVC().fit(X, y)
    np.testing.assert_allclose(model.decision_function(X), X @ model.coef_[0] + model.intercept_[0], atol=1e-10)
    np.testing.assert_array_equal(model.predict(X), np.where(model.decision_function(X) > 0, 1, 0))


def test_string_labels_and_their_order(blobs):
    # Check that labels need not be 0/1: "no" < "yes", so "yes" is the positive class, and
    # the predictions come back as the same strings.
    X, y, _ = blobs
    names = np.where(y == 1, "yes", "no")
    model = ex.LinearSVC().fit(X, names)
    np.testing.assert_array_equal(model.classes_, ["no", "yes"])
    np.testing.assert_array_equal(model.predict(X), np.where(ex.LinearSVC().fit(X, y).predict(X) == 1, "yes", "no"))
    # and labels -5 / 7 (not 0/1) behave like 0 / 1.
    other = ex.LinearSVC().fit(X, np.where(y == 1, 7, -5))
    np.testing.assert_allclose(other.coef_, ex.LinearSVC().fit(X, y).coef_, atol=ATOL)


def test_support_vectors_include_every_training_mistake(blobs):
    # Check that each misclassified training point (y f(x) < 0) is a support vector.
    X, y, y_pm = blobs
    model = ex.LinearSVC().fit(X, y)
    wrong = np.flatnonzero(y_pm * model.decision_function(X) < 0)
    assert len(wrong) > 0
    assert set(wrong) <= set(model.support_)


def test_constant_feature_changes_nothing(blobs):
    # Check that a constant column (which only mimics the intercept) gets ~0 weight and
    # the optimum stays sklearn's on the data without it.
    X, y, y_pm = blobs
    Xc = np.column_stack([X, np.full(len(X), 5.0)])
    ours = ex.LinearSVC(C=0.1, max_iter=3000).fit(Xc, y)
    ref = SVC(kernel="linear", C=0.1, tol=1e-8).fit(X, y)
    f_ours = ex.svm_objective(ours.coef_[0], ours.intercept_[0], Xc, y_pm, 0.1)
    f_ref = ex.svm_objective(ref.coef_[0], ref.intercept_[0], X, y_pm, 0.1)
    np.testing.assert_allclose(f_ours, f_ref, rtol=OBJECTIVE_RTOL)
    assert abs(ours.coef_[0, 2]) < 0.05


def test_predict_before_fit_is_refused():
    # Check the clear message when the model has not been fitted.
    with pytest.raises(NotFittedError, match="call fit"):
        ex.LinearSVC().predict(np.zeros((2, 2)))


def test_single_class_and_three_classes_are_refused(blobs):
    # Check that y with one class (or three) gets a clear error instead of a meaningless model.
    X, _, _ = blobs
    with pytest.raises(ValueError, match="exactly 2 classes"):
        ex.LinearSVC().fit(X, np.ones(len(X)))
    with pytest.raises(ValueError, match="exactly 2 classes"):
        ex.LinearSVC().fit(X, np.arange(len(X)) % 3)


def test_bad_input_gets_a_clear_error(blobs):
    # Check mismatched lengths, a 1-D X, NaN, and a wrong number of features at predict time.
    X, y, _ = blobs
    with pytest.raises(ValueError, match="same number of samples"):
        ex.LinearSVC().fit(X, y[:-1])
    with pytest.raises(ValueError, match="2-D"):
        ex.LinearSVC().fit(X[:, 0], y)
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        ex.LinearSVC().fit(X_nan, y)
    with pytest.raises(ValueError, match="X has 3 features, but LinearSVC is expecting 2 features"):
        ex.LinearSVC().fit(X, y).predict(np.ones((3, 3)))
    with pytest.raises(ValueError, match="C must be"):
        ex.LinearSVC(C=0).fit(X, y)


DUAL_CD_ATOL = 1e-4


def test_dual_coordinate_descent_matches_liblinear():
    # Check solver="dual_cd" against scikit-learn's LinearSVC (liblinear, hinge loss, dual,
    # intercept as a constant feature): the same problem, so the same w and b up to the tolerance.
    from sklearn.svm import LinearSVC as SklearnLinearSVC

    X, y = data.make_blobs(120, centers=[[-1.0, -0.5], [1.0, 0.5]], cluster_std=1.2, random_state=1)
    ours = ex.LinearSVC(C=0.5, solver="dual_cd", tol=1e-7, max_iter=20_000, random_state=0).fit(X, y)
    ref = SklearnLinearSVC(C=0.5, loss="hinge", dual=True, tol=1e-7, max_iter=200_000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, atol=DUAL_CD_ATOL)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, atol=DUAL_CD_ATOL)


def test_dual_coordinate_descent_keeps_its_invariants(rng):
    # Check the dual variables stay in the box [0, C] and w = sum_i a_i y_i x_i (hand-checkable
    # identities of the method), and that the solution satisfies the KKT conditions: a_i = 0
    # for points well outside the margin, a_i = C for points well inside it.
    X = rng.standard_normal((60, 3))
    y_pm = np.where(X[:, 0] + 0.3 * rng.standard_normal(60) > 0, 1.0, -1.0)
    C = 2.0
    w, alpha, _ = ex.dual_coordinate_descent(X, y_pm, C, max_epochs=5000, tol=1e-8, rng=0)
    assert np.all((alpha >= 0) & (alpha <= C))
    np.testing.assert_allclose(w, (alpha * y_pm) @ X, atol=1e-10)
    margins = y_pm * (X @ w)
    assert np.all(alpha[margins > 1 + 1e-4] < 1e-8) and np.all(alpha[margins < 1 - 1e-4] > C - 1e-8)
