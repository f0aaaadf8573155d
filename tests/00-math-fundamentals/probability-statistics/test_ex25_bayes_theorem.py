"""Tests for ex25_bayes_theorem: discrete posteriors, the medical test, the Beta-Bernoulli update."""

import numpy as np
import pytest
import scipy.stats

import utils

ex = utils.load_exercise("00-math-fundamentals/probability-statistics/ex25_bayes_theorem.py")

RTOL = 1e-12


def test_medical_test_by_hand():
    # Check that the posterior matches a hand calculation: prevalence 1 %, sensitivity 90 %, specificity 91 %.
    # P(+, disease) = 0.9 * 0.01 = 0.009; P(+, healthy) = 0.09 * 0.99 = 0.0891;
    # P(disease | +) = 0.009 / 0.0981 (about 9.2 %).
    assert ex.medical_test_posterior(0.01, 0.9, 0.91) == pytest.approx(0.009 / 0.0981, rel=RTOL)
    # After a negative test: P(-, disease) = 0.1 * 0.01 = 0.001; P(-, healthy) = 0.91 * 0.99 = 0.9009.
    assert ex.medical_test_posterior(0.01, 0.9, 0.91, positive=False) == pytest.approx(0.001 / 0.9019, rel=RTOL)


def test_medical_test_vectorised_over_the_prior():
    # Check that an array of prevalences gives the entrywise closed form, with the same shape.
    prev = np.array([[0.001, 0.01], [0.3, 0.99]])
    sens, spec = 0.8, 0.95
    expected = sens * prev / (sens * prev + (1 - spec) * (1 - prev))
    result = ex.medical_test_posterior(prev, sens, spec)
    assert result.shape == prev.shape
    np.testing.assert_allclose(result, expected, rtol=RTOL)


def test_base_rate_effect_and_perfect_tests():
    # Check that the base-rate effect shows (a positive test raises the belief, more for a larger prior),
    # and that a perfectly specific test makes a positive result conclusive.
    priors = np.array([0.001, 0.01, 0.1, 0.5])
    post = ex.medical_test_posterior(priors, 0.95, 0.95)
    assert np.all(post > priors) and np.all(np.diff(post) > 0)
    assert ex.medical_test_posterior(0.001, 0.5, 1.0) == pytest.approx(1.0)
    assert ex.medical_test_posterior(0.3, 0.5, 0.5) == pytest.approx(0.3)  # an uninformative test


def test_posterior_is_normalised_prior_times_likelihood(rng):
    # Check that the posterior sums to 1 and is proportional to prior * likelihood.
    for k in (2, 3, 10):
        prior = rng.dirichlet(np.ones(k))
        likelihood = rng.random(k)
        post = ex.posterior(prior, likelihood)
        np.testing.assert_allclose(post.sum(), 1.0, rtol=RTOL)
        np.testing.assert_allclose(post / (prior * likelihood), np.full(k, 1 / np.dot(prior, likelihood)), rtol=1e-10)


def test_posterior_by_hand_and_special_priors():
    # Check that the posterior matches a hand calculation: prior (0.5, 0.25, 0.25), likelihood (0.2, 0.4, 0.8): joint (0.1, 0.1, 0.2),
    # evidence 0.4, posterior (0.25, 0.25, 0.5). A uniform prior gives the normalised
    # likelihood; a hypothesis with prior 0 stays at 0.
    np.testing.assert_allclose(ex.posterior([0.5, 0.25, 0.25], [0.2, 0.4, 0.8]), [0.25, 0.25, 0.5], rtol=RTOL)
    np.testing.assert_allclose(ex.posterior([0.25] * 4, [0.1, 0.2, 0.3, 0.4]), [0.1, 0.2, 0.3, 0.4], rtol=RTOL)
    np.testing.assert_allclose(ex.posterior([0.0, 1.0], [0.9, 0.1]), [0.0, 1.0], rtol=RTOL)


def test_sequential_updates_equal_one_batch_update(rng):
    # Check that updating on D1 then D2 (independent given H) equals one update on both.
    prior = rng.dirichlet(np.ones(4))
    lik1, lik2 = rng.random(4), rng.random(4)
    two_steps = ex.posterior(ex.posterior(prior, lik1), lik2)
    np.testing.assert_allclose(two_steps, ex.posterior(prior, lik1 * lik2), rtol=1e-10)


def test_beta_update_matches_the_closed_form(rng):
    # Check that the conjugate update is Beta(a + h, b + t) on random flips, and that order does not matter.
    flips = (rng.random(37) < 0.3).astype(int)
    h = int(flips.sum())
    assert ex.beta_bernoulli_update(2.0, 3.0, flips) == (2.0 + h, 3.0 + 37 - h)
    assert ex.beta_bernoulli_update(2.0, 3.0, flips[::-1]) == (2.0 + h, 3.0 + 37 - h)
    assert ex.beta_bernoulli_update(1.0, 1.0, []) == (1.0, 1.0)
    assert ex.beta_bernoulli_update(1.0, 1.0, [1, 1, 0]) == (3.0, 2.0)  # by hand: 2 heads, 1 tail


def test_beta_update_agrees_with_a_grid_posterior():
    # Check that the conjugate result agrees with brute force: posterior() on a fine grid of theta
    # with the Bernoulli likelihood, compared with the Beta density's mass on that grid.
    flips = np.array([1, 0, 1, 1, 0, 1, 1])
    theta = np.linspace(0.0005, 0.9995, 1000)
    prior = scipy.stats.beta.pdf(theta, 2, 2)
    prior /= prior.sum()
    h, t = flips.sum(), flips.size - flips.sum()
    grid_post = ex.posterior(prior, theta**h * (1 - theta) ** t)
    a_post, b_post = ex.beta_bernoulli_update(2.0, 2.0, flips)
    beta_mass = scipy.stats.beta.pdf(theta, a_post, b_post)
    np.testing.assert_allclose(grid_post, beta_mass / beta_mass.sum(), rtol=1e-9)


def test_beta_pdf_and_mean_match_scipy():
    # Check that the density (edges included, large parameters too) and the mean agree with scipy.stats.beta.
    theta = np.linspace(0, 1, 101)
    for a, b in [(1.0, 1.0), (2.0, 1.0), (35.0, 17.0), (0.5, 0.5), (400.0, 300.0)]:
        inside = theta if a >= 1 and b >= 1 else theta[1:-1]
        expected = scipy.stats.beta.pdf(inside, a, b)
        np.testing.assert_allclose(ex.beta_pdf(inside, a, b), expected, rtol=1e-9, atol=1e-300)
        np.testing.assert_allclose(ex.beta_mean(a, b), scipy.stats.beta.mean(a, b), rtol=RTOL)


def test_beta_pdf_integrates_to_one():
    # Check that the posterior density is a density: its integral over [0, 1] is 1.
    theta = np.linspace(0, 1, 20001)
    np.testing.assert_allclose(np.trapezoid(ex.beta_pdf(theta, 35.0, 17.0), theta), 1.0, rtol=1e-6)


def test_invalid_probabilities_get_a_clear_error():
    # Check that bad input gets a clear error: probabilities outside [0, 1], a prior that does not sum to 1, mismatched shapes,
    # bad flips and bad Beta parameters.
    with pytest.raises(ValueError, match="prevalence"):
        ex.medical_test_posterior(1.2, 0.9, 0.9)
    with pytest.raises(ValueError, match="sensitivity"):
        ex.medical_test_posterior(0.1, -0.1, 0.9)
    with pytest.raises(ValueError, match="specificity"):
        ex.medical_test_posterior(0.1, 0.9, np.nan)
    with pytest.raises(ValueError, match="sum to 1"):
        ex.posterior([0.5, 0.6], [0.1, 0.2])
    with pytest.raises(ValueError, match=r"shape \(K,\)"):
        ex.posterior([0.5, 0.5], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="0 \\(tails\\) and 1 \\(heads\\)"):
        ex.beta_bernoulli_update(1.0, 1.0, [0, 1, 2])
    with pytest.raises(ValueError, match="positive"):
        ex.beta_bernoulli_update(0.0, 1.0, [1])


def test_impossible_data_get_a_clear_error():
    # Check that data no hypothesis with prior mass can produce (evidence 0) are refused, not 0/0.
    with pytest.raises(ValueError, match="evidence"):
        ex.posterior([1.0, 0.0], [0.0, 0.7])
    with pytest.raises(ValueError, match="evidence"):
        ex.medical_test_posterior(0.0, 0.9, 1.0)  # a positive result, but nobody is ill and no false alarms
