"""Tests for ex12_kernel_svm_smo: kernels, the SMO solution's KKT conditions, and SVC against sklearn."""

import numpy as np
import pytest
from sklearn.metrics import pairwise
from sklearn.svm import SVC as SklearnSVC

import utils
from utils import data
from utils.validation import NotFittedError

ex = utils.load_exercise("02-fundamentals-of-machine-learning/ex12_kernel_svm_smo.py")

KERNEL_ATOL = 1e-10
SMO_TOL = 1e-5  # the KKT tolerance we ask SMO (and sklearn) for
KKT_SLACK = 1e-9  # round-off on top of SMO_TOL when re-checking the conditions
DECISION_ATOL = 1e-3  # |f_ours - f_sklearn|: both solve to SMO_TOL, so they differ by O(SMO_TOL)
DUAL_RTOL = 1e-6  # the optimal dual value is unique even when alpha is not

PROBLEMS = {
    "rbf": dict(kernel="rbf", C=1.0, gamma="scale"),
    "rbf-large-C": dict(kernel="rbf", C=50.0, gamma=2.0),
    "poly": dict(kernel="poly", C=1.0, degree=3, gamma=0.5, coef0=1.0),
    "linear": dict(kernel="linear", C=0.5),
}


@pytest.fixture(scope="module")
def moons():
    return data.make_moons(120, noise=0.25, random_state=0)


def full_alpha(model, n):
    """alpha_i for every training point, rebuilt from the sklearn-style attributes."""
    alpha = np.zeros(n)
    alpha[model.support_] = np.abs(model.dual_coef_[0])
    return alpha


def dual_objective(alpha, y_pm, K):
    """sum(alpha) - 0.5 alpha^T Q alpha with Q = y y^T * K (to maximise)."""
    a_y = alpha * y_pm
    return alpha.sum() - 0.5 * a_y @ K @ a_y


def test_kernels_match_sklearn(rng):
    # Check each kernel against sklearn.metrics.pairwise on X and Z of different sizes,
    # so a forgotten transpose or a wrong gamma / coef0 / degree shows up.
    X, Z = rng.standard_normal((7, 3)), rng.standard_normal((5, 3))
    np.testing.assert_allclose(ex.linear_kernel(X, Z), pairwise.linear_kernel(X, Z), atol=KERNEL_ATOL)
    np.testing.assert_allclose(
        ex.polynomial_kernel(X, Z, degree=3, gamma=0.7, coef0=2.0),
        pairwise.polynomial_kernel(X, Z, degree=3, gamma=0.7, coef0=2.0),
        atol=KERNEL_ATOL,
    )
    np.testing.assert_allclose(ex.rbf_kernel(X, Z, gamma=0.3), pairwise.rbf_kernel(X, Z, gamma=0.3), atol=KERNEL_ATOL)


def test_rbf_kernel_stays_in_zero_one_for_far_and_equal_points(rng):
    # Check that the ||x||^2 + ||z||^2 - 2 x.z expansion is clipped: points far from the origin
    # (round-off of order 1e-10) never give k(x, x) > 1, and far-apart points give 0, not NaN.
    X = 1e3 + rng.standard_normal((200, 4))
    K = ex.rbf_kernel(X, X, gamma=0.5)
    assert np.all(K <= 1.0) and np.all(K >= 0.0)
    np.testing.assert_allclose(np.diag(K), 1.0, atol=1e-6)
    assert ex.rbf_kernel(np.array([[0.0]]), np.array([[1e4]]), gamma=1.0)[0, 0] == 0.0


def test_hand_worked_two_points():
    # Check by hand: x = (-1, 0) with y = -1 and x = (1, 0) with y = +1. The widest margin is
    # w = (1, 0), b = 0, and w = a (x2 - x1) with a_1 = a_2 = a gives a = 0.5. With C = 0.2 < 0.5
    # both multipliers stop at C: dual_coef_ = (-0.2, 0.2) and, by symmetry, b = 0.
    X, y = np.array([[-1.0, 0.0], [1.0, 0.0]]), np.array([0, 1])
    model = ex.SVC(kernel="linear", C=10.0).fit(X, y)
    np.testing.assert_allclose(model.dual_coef_, [[-0.5, 0.5]], atol=1e-6)
    np.testing.assert_allclose(model.intercept_, [0.0], atol=1e-6)
    np.testing.assert_allclose(model.decision_function(np.array([[0.3, 5.0]])), [0.3], atol=1e-6)
    small = ex.SVC(kernel="linear", C=0.2).fit(X, y)
    np.testing.assert_allclose(small.dual_coef_, [[-0.2, 0.2]], atol=1e-12)
    np.testing.assert_allclose(small.intercept_, [0.0], atol=1e-12)


@pytest.mark.parametrize("name", PROBLEMS)
def test_smo_solution_satisfies_kkt(moons, name):
    # Check the optimality conditions at the returned solution: 0 <= alpha <= C, sum alpha_i y_i = 0,
    # and y f(x) >= 1 where alpha = 0, y f(x) = 1 where 0 < alpha < C, y f(x) <= 1 where alpha = C.
    X, y = moons
    params = PROBLEMS[name]
    model = ex.SVC(tol=SMO_TOL, **params).fit(X, y)
    y_pm = np.where(y == 1, 1.0, -1.0)
    alpha, C = full_alpha(model, len(y)), params["C"]
    np.testing.assert_array_equal(np.sign(model.dual_coef_[0]), y_pm[model.support_])
    assert np.all(alpha >= 0) and np.all(alpha <= C)
    np.testing.assert_allclose(alpha @ y_pm, 0.0, atol=1e-10)
    margin = y_pm * model.decision_function(X)
    tol = SMO_TOL + KKT_SLACK
    zero, at_c = alpha == 0, alpha == C
    free = ~zero & ~at_c
    assert free.any() and zero.any()
    assert np.all(margin[zero] >= 1 - tol)
    np.testing.assert_allclose(margin[free], 1.0, atol=tol)
    assert np.all(margin[at_c] <= 1 + tol)


@pytest.mark.parametrize("name", PROBLEMS)
def test_decision_function_matches_sklearn(moons, name, rng):
    # Check f(x) on fresh points, the optimal dual value and the accuracy against sklearn's SVC
    # trained on the same data with the same kernel, C and gamma.
    X, y = moons
    params = PROBLEMS[name]
    ours = ex.SVC(tol=SMO_TOL, **params).fit(X, y)
    ref = SklearnSVC(tol=SMO_TOL, **params).fit(X, y)
    X_new = rng.uniform(-1.5, 2.5, size=(300, 2))
    np.testing.assert_allclose(ours.decision_function(X_new), ref.decision_function(X_new), atol=DECISION_ATOL)
    np.testing.assert_array_equal(ours.predict(X), ref.predict(X))
    y_pm = np.where(y == 1, 1.0, -1.0)
    K = ours._kernel(X, X)
    ref_alpha = np.zeros(len(y))
    ref_alpha[ref.support_] = np.abs(ref.dual_coef_[0])
    np.testing.assert_allclose(
        dual_objective(full_alpha(ours, len(y)), y_pm, K), dual_objective(ref_alpha, y_pm, K), rtol=DUAL_RTOL
    )


def test_smo_on_a_precomputed_kernel_matches_sklearn(rng):
    # Check smo() directly on a kernel matrix built by hand, against sklearn's kernel="precomputed".
    F = rng.standard_normal((60, 5))
    y_pm = np.where(F[:, 0] + 0.5 * rng.standard_normal(60) > 0, 1.0, -1.0)
    K = (F @ F.T + 1.0) ** 2  # a valid (positive semi-definite) polynomial kernel
    alpha, b, _ = ex.smo(K, y_pm, C=2.0, tol=1e-6)
    ref = SklearnSVC(kernel="precomputed", C=2.0, tol=1e-6).fit(K, y_pm)
    np.testing.assert_allclose(K @ (alpha * y_pm) + b, ref.decision_function(K), atol=DECISION_ATOL)


def test_gamma_scale_follows_the_definition(moons):
    # Check gamma="scale" = 1 / (n_features * X.var()) and gamma="auto" = 1 / n_features.
    X, y = moons
    X = X * np.array([1.0, 3.0])
    assert ex.SVC(gamma="scale").fit(X, y).gamma_ == pytest.approx(1.0 / (2 * X.var()))
    assert ex.SVC(gamma="auto").fit(X, y).gamma_ == pytest.approx(0.5)


def test_duplicate_points_and_a_constant_feature(moons, rng):
    # Check that duplicated rows (a zero-curvature pair for SMO), contradicting duplicates and a
    # constant column still converge to sklearn's solution.
    X, y = moons
    X = np.column_stack([X, np.full(len(X), 3.0)])
    X = np.vstack([X, X[:20], X[:5]])
    y = np.concatenate([y, y[:20], 1 - y[:5]])  # the last five contradict their twins
    ours = ex.SVC(tol=SMO_TOL).fit(X, y)
    ref = SklearnSVC(tol=SMO_TOL).fit(X, y)
    X_new = np.column_stack([rng.uniform(-1.5, 2.5, size=(100, 2)), np.full(100, 3.0)])
    np.testing.assert_allclose(ours.decision_function(X_new), ref.decision_function(X_new), atol=DECISION_ATOL)


def test_string_labels(moons):
    # Check that labels need not be 0/1: predictions come back as the same strings, and the
    # alphabetically second class gets the positive score.
    X, y = moons
    names = np.where(y == 1, "upper", "lower")
    model = ex.SVC().fit(X, names)
    np.testing.assert_array_equal(model.classes_, ["lower", "upper"])
    np.testing.assert_array_equal(model.predict(X), np.where(ex.SVC().fit(X, y).predict(X) == 1, "upper", "lower"))


def test_predict_before_fit_is_refused():
    # Check the clear message when the model has not been fitted.
    with pytest.raises(NotFittedError, match="call fit"):
        ex.SVC().decision_function(np.zeros((2, 2)))


def test_one_or_three_classes_are_refused(moons):
    # Check that this binary SVC says so instead of training on a meaningless split.
    X, _ = moons
    with pytest.raises(ValueError, match="exactly 2 classes"):
        ex.SVC().fit(X, np.zeros(len(X)))
    with pytest.raises(ValueError, match="binary"):
        ex.SVC().fit(X, np.arange(len(X)) % 3)


def test_bad_input_gets_a_clear_error(moons):
    # Check mismatched lengths, an unknown kernel, a bad gamma, C <= 0 and a wrong feature count.
    X, y = moons
    with pytest.raises(ValueError, match="same number of samples"):
        ex.SVC().fit(X, y[:-1])
    with pytest.raises(ValueError, match="kernel must be"):
        ex.SVC(kernel="sigmoid").fit(X, y)
    with pytest.raises(ValueError, match="gamma must be"):
        ex.SVC(gamma=-1.0).fit(X, y)
    with pytest.raises(ValueError, match="C must be"):
        ex.SVC(C=0.0).fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features, but SVC is expecting 2 features"):
        ex.SVC().fit(X, y).predict(np.ones((3, 3)))
