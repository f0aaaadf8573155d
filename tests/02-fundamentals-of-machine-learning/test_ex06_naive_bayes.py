"""Tests for ex06_naive_bayes: log-sum-exp, Gaussian and multinomial naive Bayes."""

import numpy as np
import pytest
from scipy.special import logsumexp as sp_logsumexp
from sklearn.naive_bayes import GaussianNB as SkGaussianNB
from sklearn.naive_bayes import MultinomialNB as SkMultinomialNB

import utils
from utils import data
from utils.validation import NotFittedError

ex = utils.load_exercise("02-fundamentals-of-machine-learning/ex06_naive_bayes.py")

RTOL = 1e-8  # fitted parameters vs scikit-learn: the same formulas, round-off only
PROBA_ATOL = 1e-8
LOG_RTOL = 1e-10  # log-sum-exp vs scipy


def _assert_gaussian_matches(ours, sk, X):
    np.testing.assert_array_equal(ours.classes_, sk.classes_)
    np.testing.assert_allclose(ours.class_count_, sk.class_count_)
    np.testing.assert_allclose(ours.class_prior_, sk.class_prior_, rtol=RTOL)
    np.testing.assert_allclose(ours.theta_, sk.theta_, rtol=RTOL, atol=1e-12)
    np.testing.assert_allclose(ours.var_, sk.var_, rtol=RTOL)
    np.testing.assert_allclose(ours.epsilon_, sk.epsilon_, rtol=RTOL)
    np.testing.assert_allclose(ours.predict_proba(X), sk.predict_proba(X), atol=PROBA_ATOL)
    np.testing.assert_allclose(ours.predict_log_proba(X), sk.predict_log_proba(X), rtol=RTOL, atol=1e-8)
    np.testing.assert_array_equal(ours.predict(X), sk.predict(X))


def test_logsumexp_matches_scipy_even_at_extremes(rng):
    # Check against scipy.special.logsumexp, including rows at +-1000 where exp overflows.
    a = np.vstack([rng.standard_normal((3, 4)) * 30, [1000.0, -1000.0, 0.0, 999.0], [-1000.0] * 4])
    np.testing.assert_allclose(ex.logsumexp(a), sp_logsumexp(a, axis=1), rtol=LOG_RTOL)
    assert ex.logsumexp(np.array([[-1000.0, -1000.0]]))[0] == pytest.approx(-1000.0 + np.log(2))


@pytest.mark.parametrize("name", ["iris", "wine", "breast_cancer"])
def test_gaussian_matches_sklearn_on_real_data(name):
    # Check theta_, var_, priors, epsilon_ and the probabilities against scikit-learn.
    X, y = data.load_dataset(name)
    X_tr, X_te, y_tr, _ = data.train_test_split(X, y, test_size=0.3, random_state=0)
    _assert_gaussian_matches(ex.GaussianNB().fit(X_tr, y_tr), SkGaussianNB().fit(X_tr, y_tr), X_te)


def test_gaussian_matches_sklearn_with_options(rng):
    # Check given priors and a larger var_smoothing on synthetic blobs.
    X, y = data.make_blobs(n_samples=90, centers=3, n_features=4, cluster_std=2.0, random_state=rng)
    for kwargs in [dict(priors=[0.2, 0.5, 0.3]), dict(var_smoothing=0.1)]:
        _assert_gaussian_matches(ex.GaussianNB(**kwargs).fit(X, y), SkGaussianNB(**kwargs).fit(X, y), X)


def test_gaussian_by_hand():
    # Check by hand in 1-D: class "a" at {0, 2} (mean 1, variance 1), class "b" at {4, 6}
    # (mean 5, variance 1), equal priors. At x = 3 the two are equally likely; at x = 1 the
    # log-odds are -0.5 * (0 - 16) = 8, so P(a) = 1 / (1 + e^-8). var_smoothing=0 keeps it exact.
    model = ex.GaussianNB(var_smoothing=0.0).fit(np.array([[0.0], [2.0], [4.0], [6.0]]), ["a", "a", "b", "b"])
    np.testing.assert_allclose(model.theta_, [[1.0], [5.0]])
    np.testing.assert_allclose(model.var_, [[1.0], [1.0]])
    np.testing.assert_allclose(model.predict_proba([[3.0], [1.0]]), [[0.5, 0.5], [1 / (1 + np.exp(-8)), 1 / (1 + np.exp(8))]], rtol=1e-12)


def test_gaussian_constant_feature(rng):
    # Check a feature that is constant everywhere: its variance is epsilon_ in every class
    # (as in sklearn), and it changes no probability (it adds the same term to every class).
    X, y = data.load_iris()
    X_const = np.column_stack([X, np.full(len(X), 5.0)])
    ours = ex.GaussianNB().fit(X_const, y)
    _assert_gaussian_matches(ours, SkGaussianNB().fit(X_const, y), X_const)
    np.testing.assert_allclose(ours.var_[:, -1], ours.epsilon_)
    np.testing.assert_allclose(ours.predict_proba(X_const), ex.GaussianNB().fit(X, y).predict_proba(X), atol=1e-12)


def test_gaussian_refuses_all_constant_features():
    # Check the documented choice: with no variance anywhere there is nothing to smooth with.
    with pytest.raises(ValueError, match="constant"):
        ex.GaussianNB().fit(np.ones((4, 2)), [0, 1, 0, 1])


@pytest.mark.parametrize("alpha", [0.5, 1.0, 2.0])
def test_multinomial_matches_sklearn_on_digits(alpha):
    # Check counts, log-probabilities, priors and predictions against scikit-learn on digits.
    X, y = data.load_digits()
    X_tr, X_te, y_tr, _ = data.train_test_split(X, y, test_size=0.3, random_state=0)
    ours = ex.MultinomialNB(alpha=alpha).fit(X_tr, y_tr)
    sk = SkMultinomialNB(alpha=alpha).fit(X_tr, y_tr)
    np.testing.assert_allclose(ours.feature_count_, sk.feature_count_)
    np.testing.assert_allclose(ours.class_count_, sk.class_count_)
    np.testing.assert_allclose(ours.feature_log_prob_, sk.feature_log_prob_, rtol=RTOL)
    np.testing.assert_allclose(ours.class_log_prior_, sk.class_log_prior_, rtol=RTOL)
    np.testing.assert_allclose(ours.predict_proba(X_te), sk.predict_proba(X_te), atol=PROBA_ATOL)
    np.testing.assert_array_equal(ours.predict(X_te), sk.predict(X_te))


def test_multinomial_prior_options(rng):
    # Check fit_prior=False (uniform) and a fixed class_prior against scikit-learn.
    X, y = rng.integers(0, 5, size=(40, 6)).astype(float), rng.integers(0, 3, size=40)
    for kwargs in [dict(fit_prior=False), dict(class_prior=[0.1, 0.3, 0.6])]:
        ours, sk = ex.MultinomialNB(**kwargs).fit(X, y), SkMultinomialNB(**kwargs).fit(X, y)
        np.testing.assert_allclose(ours.class_log_prior_, sk.class_log_prior_, rtol=RTOL)
        np.testing.assert_allclose(ours.predict_proba(X), sk.predict_proba(X), atol=PROBA_ATOL)


def test_multinomial_by_hand():
    # Check by hand: class A's counts total [3, 1], class B's [0, 2], alpha = 1:
    # phi_A = [4, 2] / 6, phi_B = [1, 3] / 4; the unseen (B, feature 0) gets 1/4, not 0.
    X = np.array([[2.0, 1.0], [1.0, 0.0], [0.0, 2.0]])
    model = ex.MultinomialNB(alpha=1.0).fit(X, ["A", "A", "B"])
    np.testing.assert_allclose(np.exp(model.feature_log_prob_), [[4 / 6, 2 / 6], [1 / 4, 3 / 4]], rtol=1e-12)
    np.testing.assert_allclose(np.exp(model.class_log_prior_), [2 / 3, 1 / 3], rtol=1e-12)
    # P(A | x = [1, 0]) = (2/3)(2/3) / ((2/3)(2/3) + (1/3)(1/4)) = (4/9) / (4/9 + 1/12) = 16/19
    np.testing.assert_allclose(model.predict_proba([[1.0, 0.0]]), [[16 / 19, 3 / 19]], rtol=1e-12)


def test_long_documents_do_not_underflow(rng):
    # Check log space: 2000 features with counts up to 50 make each likelihood about
    # exp(-2e5), which is 0.0 in float64, yet the probabilities are finite and sum to 1.
    X, y = rng.integers(0, 50, size=(30, 2000)).astype(float), np.repeat([0, 1, 2], 10)
    model = ex.MultinomialNB().fit(X, y)
    proba = model.predict_proba(X)
    assert np.all(np.isfinite(proba))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(proba, SkMultinomialNB().fit(X, y).predict_proba(X), atol=PROBA_ATOL)


@pytest.mark.parametrize("Model, SkModel", [(ex.GaussianNB, SkGaussianNB), (ex.MultinomialNB, SkMultinomialNB)])
def test_single_class_gives_probability_one(rng, Model, SkModel):
    # Check the documented single-class behaviour, the same as scikit-learn's: it fits, and
    # every prediction is that class with probability 1.
    X = rng.integers(0, 5, size=(6, 3)).astype(float)
    ours, sk = Model().fit(X, ["only"] * 6), SkModel().fit(X, ["only"] * 6)
    np.testing.assert_array_equal(ours.predict(X), ["only"] * 6)
    np.testing.assert_allclose(ours.predict_proba(X), np.ones((6, 1)))
    np.testing.assert_allclose(ours.predict_proba(X), sk.predict_proba(X))


@pytest.mark.parametrize("Model", [ex.GaussianNB, ex.MultinomialNB])
def test_string_labels(rng, Model):
    # Check that labels come back as given, with classes_ sorted and columns in that order.
    X, y = data.make_blobs(n_samples=60, centers=[[5.0, 1.0], [1.0, 5.0]], random_state=rng)
    X = np.abs(X)
    names = np.array(["spam", "ham"])[y]
    model = Model().fit(X, names)
    np.testing.assert_array_equal(model.classes_, ["ham", "spam"])
    assert model.score(X, names) > 0.9
    sk = (SkGaussianNB if Model is ex.GaussianNB else SkMultinomialNB)().fit(X, names)
    np.testing.assert_allclose(model.predict_proba(X), sk.predict_proba(X), atol=PROBA_ATOL)


def test_predict_before_fit_is_refused():
    # Check the message tells the learner to call fit first.
    for model in (ex.GaussianNB(), ex.MultinomialNB()):
        with pytest.raises(NotFittedError, match="fit"):
            model.predict(np.ones((1, 2)))


def test_bad_input_gets_a_clear_error(rng):
    # Check mismatched lengths, negative counts, alpha <= 0, bad priors, wrong feature count.
    X, y = rng.random((6, 2)), np.array([0, 1, 0, 1, 0, 1])
    with pytest.raises(ValueError, match="same number of samples; got 6 and 5"):
        ex.GaussianNB().fit(X, y[:5])
    with pytest.raises(ValueError, match="non-negative counts"):
        ex.MultinomialNB().fit(X - 1.0, y)
    with pytest.raises(ValueError, match="alpha must be > 0"):
        ex.MultinomialNB(alpha=0.0).fit(X, y)
    with pytest.raises(ValueError, match="priors must be 2"):
        ex.GaussianNB(priors=[0.5, 0.6]).fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features, but GaussianNB is expecting 2 features"):
        ex.GaussianNB().fit(X, y).predict(np.ones((1, 3)))
    with pytest.raises(ValueError, match="var_smoothing > 0"):
        ex.GaussianNB(var_smoothing=0.0).fit(np.array([[1.0, 0.0], [1.0, 1.0], [2.0, 5.0], [3.0, 5.0]]), [0, 0, 1, 1])
