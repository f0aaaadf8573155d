"""Tests for ex10_vae: the reparameterisation, the Gaussian KL, the ELBO's gradients and a short training."""

import numpy as np
import pytest
from scipy import integrate, stats

import utils
from utils import data, gradcheck, nn

ex = utils.load_exercise("07-advanced-deep-learning/ex10_vae.py")

GRAD_TOL = 1e-6  # relative error against central differences
KL_RTOL = 1e-7  # closed-form KL against numerical integration
MOMENT_ATOL = 0.02  # sample mean and standard deviation of 40,000 reparameterised draws


def _random_biases(params, rng):
    """Non-zero biases, so that no pre-activation sits exactly on a ReLU kink during the check."""
    for name in params:
        if name.startswith("b"):
            params[name] = 0.5 * rng.standard_normal(params[name].shape)
    return params


def test_reparameterize_backward_matches_central_differences(rng):
    # Check dmu and dlog_var of z = mu + exp(log_var / 2) eps, with eps held fixed.
    mu, log_var, eps = rng.standard_normal((4, 3)), rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    dz = rng.standard_normal((4, 3))
    dmu, dlog_var = ex.reparameterize_backward(dz, ex.reparameterize_forward(mu, log_var, eps)[1])
    gradcheck.check_gradient(lambda v: ex.reparameterize_forward(v, log_var, eps)[0], mu, dmu, dz, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda v: ex.reparameterize_forward(mu, v, eps)[0], log_var, dlog_var, dz, tol=GRAD_TOL)


def test_reparameterised_draws_have_the_right_mean_and_spread(rng):
    # Check the distribution: for mu = 1.5, log_var = log 0.25, draws of z have mean 1.5 and std 0.5.
    n = 40_000
    z, _ = ex.reparameterize_forward(np.full((n, 1), 1.5), np.full((n, 1), np.log(0.25)), rng.standard_normal((n, 1)))
    assert z.mean() == pytest.approx(1.5, abs=MOMENT_ATOL)
    assert z.std() == pytest.approx(0.5, abs=MOMENT_ATOL)


def test_gaussian_kl_matches_numerical_integration():
    # Check the closed form against KL = integral q log(q / p) computed by scipy's quad, summed over 2 dimensions
    # and averaged over 2 rows, for hand-picked means and variances.
    mu = np.array([[0.5, -1.0], [2.0, 0.0]])
    log_var = np.log(np.array([[0.3, 1.0], [2.0, 0.1]]))
    expected = 0.0
    for m, v in zip(mu.ravel(), np.exp(log_var).ravel()):
        q = stats.norm(m, np.sqrt(v))
        value, _ = integrate.quad(lambda t: q.pdf(t) * (q.logpdf(t) - stats.norm.logpdf(t)), m - 15 * np.sqrt(v),
                                  m + 15 * np.sqrt(v), epsabs=1e-13, epsrel=1e-12)
        expected += value / 2
    assert ex.gaussian_kl(mu, log_var)[0] == pytest.approx(expected, rel=KL_RTOL)
    assert ex.gaussian_kl(np.zeros((3, 2)), np.zeros((3, 2)))[0] == 0.0  # q equal to the prior


def test_gaussian_kl_gradients_match_central_differences(rng):
    # Check dKL/dmu and dKL/dlog_var.
    mu, log_var = rng.standard_normal((3, 2)), rng.standard_normal((3, 2))
    _, dmu, dlog_var = ex.gaussian_kl(mu, log_var)
    gradcheck.check_gradient(lambda v: ex.gaussian_kl(v, log_var)[0], mu, dmu, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda v: ex.gaussian_kl(mu, v)[0], log_var, dlog_var, tol=GRAD_TOL)


def test_vae_loss_gradients_match_central_differences(rng):
    # Check every encoder and decoder gradient of the reparameterised -ELBO, with the noise eps held fixed.
    encoder = _random_biases(nn.mlp_init([6, 5, 4], rng), rng)  # 4 = 2k outputs for k = 2
    decoder = _random_biases(nn.mlp_init([2, 5, 6], rng), rng)
    X, eps = rng.uniform(0, 1, (4, 6)), rng.standard_normal((4, 2))
    loss, rec, kl, g_enc, g_dec = ex.vae_loss(encoder, decoder, X, eps)
    assert loss == pytest.approx(rec + kl) and kl >= 0
    for params, grads in ((encoder, g_enc), (decoder, g_dec)):
        for name, value in params.items():
            gradcheck.check_gradient(lambda v: ex.vae_loss(encoder, decoder, X, eps)[0], value, grads[name], tol=GRAD_TOL)


def test_short_training_beats_the_mean_image_baseline():
    # Check that the VAE learns: after 15 epochs its test ELBO beats the log-likelihood of the best model
    # without a latent code, independent Bernoulli pixels with the training mean (computed here), and its
    # reconstruction term alone is clearly better. (Both carry the same floor, the entropy of fractional pixels.)
    X, y = data.load_digits()
    X_train, X_test, _, _ = data.train_test_split(X / 16.0, y, test_size=0.25, random_state=0)
    p = np.clip(X_train.mean(axis=0), 1e-6, 1 - 1e-6)  # clip: a pixel that is always 0 would give log(0)
    baseline = np.mean(np.sum(X_test * np.log(p) + (1 - X_test) * np.log(1 - p), axis=1))
    model = ex.VAE(latent_dim=2, hidden_sizes=(32,), learning_rate=3e-3, max_epochs=15, random_state=0).fit(X_train)
    elbo, rec, kl = model.elbo(X_test, np.random.default_rng(0), n_draws=3)
    assert elbo > baseline
    assert rec < -baseline - 2.0  # the code carries at least 2 nats per image about the pixels
    assert kl > 0


def test_shapes_sampling_and_bad_input(rng):
    # Check shapes of codes and samples, that samples are pixel probabilities, and the error messages.
    X = rng.uniform(0, 1, (20, 6))
    model = ex.VAE(latent_dim=3, hidden_sizes=(5,), max_epochs=2, batch_size=8, random_state=0).fit(X)
    assert model.encode(X).shape == (20, 3)
    samples = model.sample(7, rng)
    assert samples.shape == (7, 6) and np.all((samples >= 0) & (samples <= 1))
    with pytest.raises(ValueError, match="latent_dim"):
        ex.VAE(latent_dim=0).fit(X)
    with pytest.raises(ValueError, match="n_draws"):
        model.elbo(X, rng, n_draws=0)
