"""Tests for ex09_autoencoder: the loss gradients, and a linear autoencoder against PCA."""

import numpy as np
import pytest
from scipy.special import expit

import utils
from utils import gradcheck, nn

ex = utils.load_exercise("07-advanced-deep-learning/ex09_autoencoder.py")

GRAD_TOL = 1e-6  # relative error against central differences
RTOL = 1e-12
PCA_RTOL = 0.03  # a trained linear autoencoder's squared error may exceed PCA's optimum by at most 3 %


def _random_biases(params, rng):
    """Non-zero biases, so that no pre-activation sits exactly on a ReLU kink during the check."""
    for name in params:
        if name.startswith("b"):
            params[name] = 0.5 * rng.standard_normal(params[name].shape)
    return params


@pytest.mark.parametrize("kind", ["bernoulli", "squared"])
def test_reconstruction_loss_matches_its_definition_and_gradient(kind, rng):
    # Check the Bernoulli loss against -sum [x log p + (1 - x) log(1 - p)] with p = expit(l) (fractional x),
    # the squared loss against 1/2 sum (l - x)^2, both averaged over images, and both gradients.
    logits, X = rng.standard_normal((4, 6)), rng.uniform(0, 1, (4, 6))
    loss, dlogits = ex.reconstruction_loss(logits, X, kind)
    if kind == "bernoulli":
        p = expit(logits)
        expected = -np.sum(X * np.log(p) + (1 - X) * np.log(1 - p)) / 4
    else:
        expected = 0.5 * np.sum((logits - X) ** 2) / 4
    assert loss == pytest.approx(expected, rel=RTOL)
    gradcheck.check_gradient(lambda v: ex.reconstruction_loss(v, X, kind)[0], logits, dlogits, tol=GRAD_TOL)


def test_bernoulli_loss_is_finite_for_extreme_logits():
    # Check stability: logits of +-1000 on pixels 0 and 1 give finite values (no log(0), no overflow).
    loss, grad = ex.reconstruction_loss(np.array([[-1000.0, 1000.0]]), np.array([[1.0, 0.0]]))
    assert np.isfinite(loss) and np.all(np.isfinite(grad))
    assert loss == pytest.approx(2000.0)


@pytest.mark.parametrize("kind", ["bernoulli", "squared"])
def test_autoencoder_gradients_match_central_differences(kind, rng):
    # Check every encoder and decoder gradient of the composed loss.
    encoder = _random_biases(nn.mlp_init([6, 4, 2], rng), rng)
    decoder = _random_biases(nn.mlp_init([2, 4, 6], rng), rng)
    X = rng.uniform(0, 1, (5, 6))
    _, g_enc, g_dec = ex.autoencoder_loss(encoder, decoder, X, kind)
    for params, grads in ((encoder, g_enc), (decoder, g_dec)):
        for name, value in params.items():
            gradcheck.check_gradient(lambda v: ex.autoencoder_loss(encoder, decoder, X, kind)[0], value, grads[name],
                                     tol=GRAD_TOL)


def test_linear_autoencoder_reaches_the_pca_reconstruction_error(rng):
    # Check Baldi & Hornik's result: with no hidden layer and squared error, training approaches the
    # error of the best rank-2 reconstruction, computed here independently from the SVD of the centred data.
    latent = rng.standard_normal((300, 3)) * np.array([3.0, 2.0, 0.3])  # (300, 3)
    X = latent @ rng.standard_normal((3, 6)) + 0.05 * rng.standard_normal((300, 6)) + 1.0  # (300, 6)
    centred = X - X.mean(axis=0)
    singular_values = np.linalg.svd(centred, compute_uv=False)
    pca_error = np.sum(singular_values[2:] ** 2) / len(X)  # mean squared residual per sample
    model = ex.Autoencoder(code_size=2, hidden_sizes=(), kind="squared", learning_rate=2e-2, batch_size=300,
                           max_epochs=3000, random_state=0).fit(X)
    ae_error = np.mean(np.sum((model.reconstruct(X) - X) ** 2, axis=1))
    assert pca_error <= ae_error * (1 + 1e-9)  # PCA is optimal: nothing can beat it
    assert ae_error <= pca_error * (1 + PCA_RTOL)


def test_shapes_and_bernoulli_outputs_are_probabilities(rng):
    # Check shapes of codes and reconstructions, and that Bernoulli reconstructions lie in [0, 1].
    X = rng.uniform(0, 1, (20, 6))
    model = ex.Autoencoder(code_size=3, hidden_sizes=(5,), max_epochs=2, batch_size=8, random_state=0).fit(X)
    assert model.encode(X).shape == (20, 3)
    rebuilt = model.reconstruct(X)
    assert rebuilt.shape == (20, 6) and np.all((rebuilt >= 0) & (rebuilt <= 1))
    assert len(model.loss_curve_) == 2


def test_bad_input_raises(rng):
    # Check the messages for an unknown loss kind, a zero code length and logits / X of different shapes.
    with pytest.raises(ValueError, match="kind"):
        ex.reconstruction_loss(np.zeros((1, 2)), np.zeros((1, 2)), "poisson")
    with pytest.raises(ValueError, match="logits and X must have the same shape"):  # no (N, 1) vs (N,) broadcast
        ex.reconstruction_loss(np.zeros((3, 1)), np.zeros(3))
    with pytest.raises(ValueError, match="code_size"):
        ex.Autoencoder(code_size=0).fit(rng.uniform(0, 1, (4, 3)))
