"""Tests for ex11_gan_2d: the GAN losses and their gradients, packing, and the train_gan contract."""

import numpy as np
import pytest
from scipy.special import expit

import utils
from utils import gradcheck, nn

ex = utils.load_exercise("07-advanced-deep-learning/ex11_gan_2d.py")

GRAD_TOL = 1e-6  # relative error against central differences
RTOL = 1e-12
MEAN_TOL = 0.15  # how close a briefly trained generator's mean must come to the data's mean (spread 0.1)


def _random_biases(params, rng):
    """Non-zero biases: with zero biases a sample whose ReLUs are all off lands exactly on the next kink."""
    for name in params:
        if name.startswith("b"):
            params[name] = 0.5 * rng.standard_normal(params[name].shape)
    return params


def _small_nets(rng, pack_size=2, z_dim=3, hidden=5):
    G = _random_biases(nn.mlp_init([z_dim, hidden, hidden, 2], rng), rng)
    D = _random_biases(nn.mlp_init([2 * pack_size, hidden, 1], rng), rng)
    return G, D


def test_discriminator_loss_matches_cross_entropy_and_its_gradients(rng):
    # Check L_D against -mean log D(x_real) - mean log(1 - D(x_fake)) written with scipy's expit,
    # and both logit gradients against central differences (different batch sizes on purpose).
    real, fake = rng.standard_normal(5), rng.standard_normal(3)
    loss, d_real, d_fake = ex.discriminator_loss(real, fake)
    expected = -np.mean(np.log(expit(real))) - np.mean(np.log(1 - expit(fake)))
    assert loss == pytest.approx(expected, rel=RTOL)
    gradcheck.check_gradient(lambda v: ex.discriminator_loss(v, fake)[0], real, d_real, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda v: ex.discriminator_loss(real, v)[0], fake, d_fake, tol=GRAD_TOL)


@pytest.mark.parametrize("kind", ["non-saturating", "minimax"])
def test_generator_losses_match_their_definitions_and_gradients(kind, rng):
    # Check L_G = -mean log D(G(z)) (non-saturating) or mean log(1 - D(G(z))) (minimax), and its gradient.
    logits = rng.standard_normal(6)
    loss, dlogits = ex.generator_loss(logits, kind)
    p = expit(logits)
    expected = -np.mean(np.log(p)) if kind == "non-saturating" else np.mean(np.log(1 - p))
    assert loss == pytest.approx(expected, rel=RTOL)
    gradcheck.check_gradient(lambda v: ex.generator_loss(v, kind)[0], logits, dlogits, tol=GRAD_TOL)


def test_minimax_gradient_vanishes_where_the_non_saturating_one_does_not():
    # Check the math: for a fake the discriminator rejects (logit -10), N |dL/dd| is
    # sigmoid(-10) ~ 4.5e-5 for minimax and sigmoid(10) ~ 1 for non-saturating.
    logits = np.array([-10.0])
    assert abs(ex.generator_loss(logits, "minimax")[1][0]) == pytest.approx(expit(-10.0), rel=1e-9)
    assert abs(ex.generator_loss(logits, "non-saturating")[1][0]) == pytest.approx(expit(10.0), rel=1e-9)


def test_losses_stay_finite_for_extreme_logits():
    # Check stability: logits of +-1000 give finite losses and gradients (no log(0)).
    big = np.array([-1000.0, 1000.0])
    values = [ex.discriminator_loss(big, big), ex.generator_loss(big, "minimax"), ex.generator_loss(big)]
    for result in values:
        assert all(np.all(np.isfinite(part)) for part in result)


def test_pack_groups_consecutive_samples_and_unpack_inverts_it():
    # Check by hand: rows (0,1), (2,3), (4,5), (6,7) in packs of 2 are (0,1,2,3) and (4,5,6,7).
    x = np.arange(8.0).reshape(4, 2)
    packed = ex.pack(x, 2)
    np.testing.assert_array_equal(packed, [[0, 1, 2, 3], [4, 5, 6, 7]])
    np.testing.assert_array_equal(ex.unpack(packed, 2), x)
    np.testing.assert_array_equal(ex.pack(x, 1), x)
    with pytest.raises(ValueError, match="multiple of m"):
        ex.pack(x, 3)


@pytest.mark.parametrize("pack_size", [1, 2])
def test_discriminator_gradients_match_central_differences(pack_size, rng):
    # Check every gradient of L_D for D's parameters, vanilla and packed.
    _, D = _small_nets(rng, pack_size)
    X_real, fake = rng.standard_normal((4, 2)), rng.standard_normal((4, 2))
    _, grads = ex.discriminator_gradients(D, X_real, fake, pack_size)
    for name, value in D.items():
        gradcheck.check_gradient(lambda v: ex.discriminator_gradients(D, X_real, fake, pack_size)[0], value, grads[name],
                                 tol=GRAD_TOL)


@pytest.mark.parametrize("kind", ["non-saturating", "minimax"])
@pytest.mark.parametrize("pack_size", [1, 2])
def test_generator_gradients_through_the_discriminator_match_central_differences(kind, pack_size, rng):
    # Check every gradient of L_G for G's parameters: through D, the packing and G, with D held fixed.
    G, D = _small_nets(rng, pack_size)
    z = rng.standard_normal((4, 3))
    D_before = {name: value.copy() for name, value in D.items()}
    _, grads = ex.generator_gradients(G, D, z, pack_size, kind)
    for name, value in G.items():
        gradcheck.check_gradient(lambda v: ex.generator_gradients(G, D, z, pack_size, kind)[0], value, grads[name],
                                 tol=GRAD_TOL)
    for name in D:
        np.testing.assert_array_equal(D[name], D_before[name])


def test_train_gan_contract_and_reproducibility():
    # Check the contract: sample(n, rng) gives (n, 2) finite points, and the same seeds give the same samples.
    X = np.random.default_rng(0).standard_normal((100, 2))
    G1 = ex.train_gan(X, np.random.default_rng(1), n_steps=3, batch_size=8, g_hidden=(4,), d_hidden=(4,))
    G2 = ex.train_gan(X, np.random.default_rng(1), n_steps=3, batch_size=8, g_hidden=(4,), d_hidden=(4,))
    a, b = G1.sample(7, np.random.default_rng(2)), G2.sample(7, np.random.default_rng(2))
    assert a.shape == (7, 2) and np.all(np.isfinite(a))
    np.testing.assert_array_equal(a, b)
    assert len(G1.history_["loss_D"]) == 3


def test_short_training_moves_the_generator_onto_the_data(rng):
    # Check that training works at all: on one Gaussian at (1.5, -1) with spread 0.1, a few hundred steps
    # bring the generated mean near it (a wrong sign anywhere sends the generator away instead).
    X = np.array([1.5, -1.0]) + 0.1 * rng.standard_normal((500, 2))
    G = ex.train_gan(X, np.random.default_rng(0), n_steps=300, batch_size=32, g_hidden=(16,), d_hidden=(16,), lr=1e-2)
    mean = G.sample(1000, np.random.default_rng(1)).mean(axis=0)
    np.testing.assert_allclose(mean, [1.5, -1.0], atol=MEAN_TOL)


def test_bad_input_raises():
    # Check the error messages for a wrong data shape, step count, packing and loss kind.
    X = np.zeros((10, 2))
    with pytest.raises(ValueError, match="X must have shape"):
        ex.train_gan(np.zeros((10, 3)), np.random.default_rng(0), n_steps=1)
    with pytest.raises(ValueError, match="n_steps"):
        ex.train_gan(X, np.random.default_rng(0), n_steps=0)
    with pytest.raises(ValueError, match="multiple of pack_size"):
        ex.train_gan(X, np.random.default_rng(0), n_steps=1, batch_size=9, pack_size=2)
    with pytest.raises(ValueError, match="kind"):
        ex.generator_loss(np.zeros(2), "wasserstein")
