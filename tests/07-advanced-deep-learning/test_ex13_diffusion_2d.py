"""Tests for ex13_diffusion_2d: the schedule, the closed-form forward process, the loss gradients and sampling."""

import numpy as np
import pytest

import utils
from utils import gradcheck, nn

ex = utils.load_exercise("07-advanced-deep-learning/ex13_diffusion_2d.py")

GRAD_TOL = 1e-6  # relative error against central differences
RTOL = 1e-12
CHAIN_ATOL = 0.02  # moments of 20,000 chains against the closed form
EXACT_ATOL = 1e-9  # the oracle sampler lands on the point mass up to round-off
ZERO_PREDICTOR_LOSS = 1.0  # E ||eps||^2 / 2 for eps ~ N(0, I_2): the loss of always predicting 0


def test_linear_schedule_by_hand():
    # Check T = 3 from 0.1 to 0.3: betas 0.1, 0.2, 0.3; abar = 0.9, 0.9 * 0.8, 0.9 * 0.8 * 0.7.
    betas, alphas, alpha_bars = ex.linear_schedule(3, 0.1, 0.3)
    np.testing.assert_allclose(betas, [0.1, 0.2, 0.3], rtol=RTOL)
    np.testing.assert_allclose(alphas, [0.9, 0.8, 0.7], rtol=RTOL)
    np.testing.assert_allclose(alpha_bars, [0.9, 0.72, 0.504], rtol=RTOL)


def test_closed_form_matches_running_the_chain_step_by_step(rng):
    # Check that t single steps x <- sqrt(alpha) x + sqrt(beta) z give the mean and spread of the one-line jump.
    betas, alphas, alpha_bars = ex.linear_schedule(50, 1e-3, 0.08)
    x0, t, n = np.array([1.0, -2.0]), 30, 20_000
    x = np.tile(x0, (n, 1))  # (n, 2)
    for s in range(t):
        x = np.sqrt(alphas[s]) * x + np.sqrt(betas[s]) * rng.standard_normal((n, 2))
    steps, zeros = np.full(1, t), np.zeros((1, 2))
    mean = ex.q_sample(x0[None], steps, zeros, alpha_bars)[0]  # the jump with eps = 0
    spread = ex.q_sample(x0[None], steps, np.ones((1, 2)), alpha_bars)[0] - mean  # its noise scale per coordinate
    np.testing.assert_allclose(x.mean(axis=0), mean, atol=CHAIN_ATOL)
    np.testing.assert_allclose(x.std(axis=0), spread, atol=CHAIN_ATOL)


def test_denoising_loss_gradients_match_central_differences(rng):
    # Check every parameter's gradient of the noise-regression loss, with t and eps held fixed.
    _, _, alpha_bars = ex.linear_schedule(20)
    params = nn.mlp_init([18, 6, 2], rng)
    params["b1"] = 0.5 * rng.standard_normal(6)  # off the ReLU kinks
    x0, t, eps = rng.standard_normal((5, 2)), rng.integers(1, 21, 5), rng.standard_normal((5, 2))
    _, grads = ex.denoising_loss(params, x0, t, eps, alpha_bars)
    for name, value in params.items():
        gradcheck.check_gradient(lambda v: ex.denoising_loss(params, x0, t, eps, alpha_bars)[0], value, grads[name],
                                 tol=GRAD_TOL)


def test_ancestral_sampling_with_the_true_noise_lands_on_a_point_mass(rng):
    # Check the reverse update: for data that is one point c, the true noise is eps = (x_t - sqrt(abar) c) / sqrt(1 - abar),
    # and with it the last (noise-free) step returns exactly c, whatever noise was added before.
    betas, _, alpha_bars = ex.linear_schedule(40, 1e-3, 0.2)
    c = np.array([0.7, -1.3])

    def oracle(x, t):
        abar = alpha_bars[t - 1][:, None]  # (n, 1)
        return (x - np.sqrt(abar) * c) / np.sqrt(1 - abar)

    samples, snapshots = ex.ancestral_sample(oracle, 50, betas, rng, keep=(40, 20, 0))
    np.testing.assert_allclose(samples, np.tile(c, (50, 1)), atol=EXACT_ATOL)
    assert sorted(snapshots) == [0, 20, 40] and snapshots[40].shape == (50, 2)
    np.testing.assert_array_equal(snapshots[0], samples)


def test_short_training_beats_predicting_zero():
    # Check that training learns something: after 300 steps the loss is well below 1, the loss of predicting 0.
    from utils import generative_data

    X, _ = generative_data.make_two_moons(1000, random_state=0)
    _, _, losses = ex.train_ddpm(X, np.random.default_rng(0), n_steps=300, T=50, hidden=(32, 32), batch_size=128)
    assert np.mean(losses[:20]) > 0.8 * ZERO_PREDICTOR_LOSS  # it starts near the baseline
    assert np.mean(losses[-50:]) < 0.6 * ZERO_PREDICTOR_LOSS


def test_time_embedding_and_bad_input(rng):
    # Check the embedding's shape and range, and the error messages.
    emb = ex.time_embedding(np.array([1, 50, 100]), 100)
    assert emb.shape == (3, 16) and np.all(np.abs(emb) <= 1)
    with pytest.raises(ValueError, match="beta_1"):
        ex.linear_schedule(10, 0.5, 0.1)
    with pytest.raises(ValueError, match="X must have shape"):
        ex.train_ddpm(np.zeros((10, 3)), rng, n_steps=1)
