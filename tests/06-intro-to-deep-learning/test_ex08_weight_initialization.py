"""Tests for ex08_weight_initialization: the variance of each scheme, symmetry, and deep signals."""

import numpy as np
import pytest

import utils

ex = utils.load_exercise("06-intro-to-deep-learning/ex08_weight_initialization.py")

VAR_RTOL = 0.03  # a sample variance of 240,000 draws is within about 1 % of the true one
MEAN_ATOL = 0.01
SYMMETRY_ATOL = 1e-12
FAN_IN, FAN_OUT = 400, 600


@pytest.mark.parametrize(
    "method, variance",
    [
        ("small", 0.01**2),
        ("large", 1.0),
        ("xavier_uniform", 2.0 / (FAN_IN + FAN_OUT)),
        ("xavier_normal", 2.0 / (FAN_IN + FAN_OUT)),
        ("he_normal", 2.0 / FAN_IN),
    ],
)
def test_sample_variance_matches_the_formula(method, variance, rng):
    # Check the variance of a large (400, 600) draw against the scheme's closed form, and a zero mean.
    W = ex.init_weights(FAN_IN, FAN_OUT, method, rng)
    assert W.shape == (FAN_IN, FAN_OUT)
    np.testing.assert_allclose(W.var(), variance, rtol=VAR_RTOL)
    np.testing.assert_allclose(W.mean() / np.sqrt(variance), 0.0, atol=MEAN_ATOL)


def test_xavier_uniform_is_bounded_and_xavier_normal_is_not(rng):
    # Check the shapes of the two Xavier distributions: uniform fills [-a, a] with a = sqrt(6 / (fan_in + fan_out))
    # and never leaves it; the normal one puts about 4.6 % of its draws beyond two standard deviations.
    limit = np.sqrt(6.0 / (FAN_IN + FAN_OUT))
    uniform = ex.init_weights(FAN_IN, FAN_OUT, "xavier_uniform", rng)
    assert np.abs(uniform).max() <= limit
    assert np.abs(uniform).max() > 0.99 * limit
    normal = ex.init_weights(FAN_IN, FAN_OUT, "xavier_normal", rng)
    std = np.sqrt(2.0 / (FAN_IN + FAN_OUT))
    np.testing.assert_allclose(np.mean(np.abs(normal) > 2 * std), 0.0455, atol=0.003)


def test_he_uses_fan_in_only(rng):
    # Check that He's variance is 2 / fan_in whatever fan_out is: a (1000, 20) draw has variance 0.002, not 2 / 20 or 2 / 1020.
    W = ex.init_weights(1000, 20, "he_normal", rng)
    np.testing.assert_allclose(W.var(), 2.0 / 1000, rtol=VAR_RTOL)
    W = ex.init_weights(20, 1000, "he_normal", rng)
    np.testing.assert_allclose(W.var(), 2.0 / 20, rtol=VAR_RTOL)


def test_zeros_and_same_seed():
    # Check that "zeros" is all zeros and that the same seed gives the same weights.
    np.testing.assert_array_equal(ex.init_weights(3, 4, "zeros", np.random.default_rng(1)), np.zeros((3, 4)))
    a = ex.init_weights(5, 6, "he_normal", np.random.default_rng(3))
    b = ex.init_weights(5, 6, "he_normal", np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)


def _constant_network(value, rng):
    params = ex.init_mlp([3, 5, 4], "zeros", rng)
    return {k: np.full_like(v, value) if k.startswith("W") else v for k, v in params.items()}


@pytest.mark.parametrize("value", [0.0, 0.3])
def test_constant_weights_give_identical_gradients_to_every_hidden_unit(value, rng):
    # Check the symmetry problem: with all weights equal (zeros, or 0.3), every hidden unit (a column of W1,
    # a row of W2) receives the same gradient, so one gradient step cannot tell them apart.
    params = _constant_network(value, rng)
    X, y = rng.standard_normal((8, 3)), rng.integers(0, 4, 8)
    _, grads = ex.mlp_loss(params, X, y)
    np.testing.assert_allclose(grads["W1"], np.repeat(grads["W1"][:, :1], 5, axis=1), atol=SYMMETRY_ATOL)
    np.testing.assert_allclose(grads["W2"], np.repeat(grads["W2"][:1], 5, axis=0), atol=SYMMETRY_ATOL)
    np.testing.assert_allclose(grads["b1"], np.full(5, grads["b1"][0]), atol=SYMMETRY_ATOL)
    if value == 0.0:  # tanh(0) = 0 and W2 = 0: no signal reaches W1 or W2 at all
        np.testing.assert_array_equal(grads["W1"], 0.0)
        np.testing.assert_array_equal(grads["W2"], 0.0)


def test_constant_weights_stay_identical_during_training(rng):
    # Check that 50 gradient steps from constant weights leave all hidden units equal, while Xavier weights make them differ.
    X, y = rng.standard_normal((30, 3)), rng.integers(0, 4, 30)
    params = _constant_network(0.3, rng)
    ex.train_mlp(params, X, y, n_steps=50, lr=0.5)
    assert ex.hidden_unit_spread(params["W1"]) < 1e-10
    assert np.abs(params["W1"] - 0.3).max() > 1e-3  # the weights did move, just all together
    xavier = ex.init_mlp([3, 5, 4], "xavier_normal", rng)
    ex.train_mlp(xavier, X, y, n_steps=50, lr=0.5)
    assert ex.hidden_unit_spread(xavier["W1"]) > 0.1


def test_mlp_loss_gradients_match_numerical_gradients(rng):
    # Check the helper network's gradients against central differences, so the symmetry tests rest on true gradients.
    from utils import gradcheck

    params = ex.init_mlp([3, 4, 3], "xavier_normal", rng)
    X, y = rng.standard_normal((5, 3)), rng.integers(0, 3, 5)
    _, grads = ex.mlp_loss(params, X, y)
    for name in params:
        gradcheck.check_gradient(lambda _: ex.mlp_loss(params, X, y)[0], params[name], grads[name], tol=1e-6)


def test_deep_forward_by_hand():
    # Check two layers by hand: x = [1, -2], W1 = I, W2 = [[1], [1]]; relu gives [1, 0] then [1]; tanh gives tanh(tanh(1) + tanh(-2)).
    x = np.array([[1.0, -2.0]])
    weights = [np.eye(2), np.ones((2, 1))]
    relu_out = ex.deep_forward(x, weights, "relu")
    np.testing.assert_allclose(relu_out[0], [[1.0, 0.0]])
    np.testing.assert_allclose(relu_out[1], [[1.0]])
    tanh_out = ex.deep_forward(x, weights, "tanh")
    np.testing.assert_allclose(tanh_out[1], [[np.tanh(np.tanh(1.0) + np.tanh(-2.0))]])
    assert len(tanh_out) == 2


def _last_layer_std(method, activation, rng, width=128, depth=10):
    X = rng.standard_normal((200, width))
    weights = [ex.init_weights(width, width, method, rng) for _ in range(depth)]
    _, stds = ex.activation_statistics(ex.deep_forward(X, weights, activation))
    return stds


def test_xavier_keeps_tanh_signal_while_small_weights_collapse_it(rng):
    # Check the lesson's claim through ten tanh layers: Xavier's std stays within a factor 4 of the
    # first layer's, while std 0.01 weights shrink it by about 0.01 * sqrt(128) per layer, to below 1e-6.
    xavier = _last_layer_std("xavier_normal", "tanh", rng)
    small = _last_layer_std("small", "tanh", rng)
    assert xavier[-1] > 0.1 and xavier[-1] / xavier[0] > 0.25
    assert small[-1] < 1e-6
    assert np.all(np.diff(small) < 0)


def test_he_keeps_relu_signal_while_xavier_halves_its_variance(rng):
    # Check ReLU through ten layers: He keeps the std within a factor 2; Xavier loses about sqrt(2) per layer.
    he = _last_layer_std("he_normal", "relu", rng)
    xavier = _last_layer_std("xavier_normal", "relu", rng)
    assert 0.5 < he[-1] / he[0] < 2.0
    assert xavier[-1] / xavier[0] < 0.1


def test_large_weights_saturate_tanh(rng):
    # Check that std-1 weights drive most tanh outputs of the last layer to within 0.01 of +-1.
    X = rng.standard_normal((200, 128))
    weights = [ex.init_weights(128, 128, "large", rng) for _ in range(10)]
    last = ex.deep_forward(X, weights, "tanh")[-1]
    assert np.mean(np.abs(last) > 0.99) > 0.8


def test_bad_arguments_are_refused(rng):
    # Check clear errors for an unknown scheme, an unknown activation and a non-positive fan.
    with pytest.raises(ValueError, match="method must be one of"):
        ex.init_weights(3, 3, "glorot", rng)
    with pytest.raises(ValueError, match="must be a positive integer"):
        ex.init_weights(0, 3, "he_normal", rng)
    with pytest.raises(ValueError, match="activation must be one of"):
        ex.deep_forward(np.ones((1, 2)), [np.eye(2)], "sigmoid")
