"""Tests for ex12_gan_digits: the tanh generator's gradients through the discriminator, and the training record."""

import numpy as np
import pytest

import utils
from utils import gradcheck, nn

ex = utils.load_exercise("07-advanced-deep-learning/ex12_gan_digits.py")

GRAD_TOL = 1e-6  # relative error against central differences
RTOL = 1e-12


def _random_biases(params, rng):
    """Non-zero biases, so that no pre-activation sits exactly on a ReLU kink during the check."""
    for name in params:
        if name.startswith("b"):
            params[name] = 0.5 * rng.standard_normal(params[name].shape)
    return params


def test_generator_gradients_through_tanh_and_the_discriminator_match_central_differences(rng):
    # Check every generator gradient of L_G = mean softplus(-d(tanh(MLP(z)))), with D held fixed.
    G = _random_biases(nn.mlp_init([3, 5, 6], rng), rng)
    D = _random_biases(nn.mlp_init([6, 4, 1], rng), rng)
    z = rng.standard_normal((4, 3))
    D_before = {name: value.copy() for name, value in D.items()}
    _, grads = ex.generator_gradients(G, D, z)
    for name, value in G.items():
        gradcheck.check_gradient(lambda v: ex.generator_gradients(G, D, z)[0], value, grads[name], tol=GRAD_TOL)
    for name in D:
        np.testing.assert_array_equal(D[name], D_before[name])


def test_generator_loss_value_by_definition(rng):
    # Check the loss against -mean log sigmoid(d(G(z))) written out with NumPy's tanh and logaddexp.
    G, D = nn.mlp_init([3, 5, 6], rng), nn.mlp_init([6, 4, 1], rng)
    z = rng.standard_normal((4, 3))
    hidden = np.maximum(0, z @ G["W1"] + G["b1"])
    images = np.tanh(hidden @ G["W2"] + G["b2"])
    logits = np.maximum(0, images @ D["W1"] + D["b1"]) @ D["W2"] + D["b2"]
    expected = np.mean(np.logaddexp(0, -logits))
    assert ex.generator_gradients(G, D, z)[0] == pytest.approx(expected, rel=RTOL)
    assert np.all(np.abs(ex.generate(G, z)[0]) < 1)


def test_discriminator_confidence_is_the_mean_probability():
    # Check by hand: a discriminator with zero weights and bias log 3 says 3/4 for every input.
    D = {"W1": np.zeros((2, 1)), "b1": np.array([np.log(3.0)])}
    assert ex.discriminator_confidence(D, np.ones((5, 2))) == pytest.approx(0.75, rel=RTOL)


def test_training_records_the_curves_and_moves_towards_the_data(rng):
    # Check the history's lengths and, on bright images (every pixel 0.8), that after 300 steps the
    # generated pixels have moved from about 0 (a fresh tanh network) most of the way to 0.8.
    X = np.clip(0.8 + 0.05 * rng.standard_normal((200, 6)), -1, 1)
    G, D, h = ex.train_digit_gan(X, np.random.default_rng(0), n_steps=300, z_dim=2, hidden=(8,), batch_size=32,
                                 lr=3e-3, monitor=lambda G: 1, monitor_every=100)
    assert len(h["loss_D"]) == 300 and h["step"] == [100, 200, 300] and h["monitor"] == [1, 1, 1]
    assert all(0 < p < 1 for p in h["D_real"] + h["D_fake"])
    images = ex.generate(G, np.random.default_rng(1).standard_normal((500, 2)))[0]
    assert abs(images.mean() - 0.8) < 0.2


def test_bad_input_raises(rng):
    # Check that images outside [-1, 1] (for example raw pixels 0..16) are refused with a clear message.
    with pytest.raises(ValueError, match=r"scaled to \[-1, 1\]"):
        ex.train_digit_gan(rng.uniform(0, 16, (10, 4)), rng, n_steps=1)
    with pytest.raises(ValueError, match="n_steps"):
        ex.train_digit_gan(np.zeros((10, 4)), rng, n_steps=0)
