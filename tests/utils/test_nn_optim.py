"""Tests for utils.nn and utils.optim, the library versions of 06.04's layers and 05.08's optimizers."""

import numpy as np
import pytest
from scipy.special import expit, log_softmax, softmax

from utils import gradcheck, nn, optim

GRAD_TOL = 1e-6  # relative error of an analytic gradient against central differences
ATOL = 1e-12


def test_sigmoid_softmax_log_softmax_match_scipy_and_stay_finite():
    # Check the stable activations against SciPy, including inputs whose naive exp overflows.
    z = np.array([[-800.0, 0.0, 3.0], [1.0, 2.0, 800.0]])
    np.testing.assert_allclose(nn.sigmoid(z), expit(z), atol=ATOL)
    np.testing.assert_allclose(nn.softmax(z), softmax(z, axis=-1), atol=ATOL)
    np.testing.assert_allclose(nn.log_softmax(z), log_softmax(z, axis=-1), atol=1e-9)


@pytest.mark.parametrize("x_shape", [(4, 3), (2, 5, 3)], ids=["2-D", "3-D"])
def test_affine_backward_matches_numerical_gradients(x_shape, rng):
    # Check dx, dw, db of x @ w + b against central differences, with and without a leading batch axis.
    x, w, b = rng.standard_normal(x_shape), rng.standard_normal((3, 2)), rng.standard_normal(2)
    dout = rng.standard_normal(x_shape[:-1] + (2,))
    dx, dw, db = nn.affine_backward(dout, nn.affine_forward(x, w, b)[1])
    gradcheck.check_gradient(lambda v: nn.affine_forward(v, w, b)[0], x, dx, dout, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda v: nn.affine_forward(x, v, b)[0], w, dw, dout, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda v: nn.affine_forward(x, w, v)[0], b, db, dout, tol=GRAD_TOL)


@pytest.mark.parametrize("name", ["relu", "tanh"])
def test_activation_backward_matches_numerical_gradient(name, rng):
    # Check ReLU and tanh backward passes; inputs are kept away from ReLU's kink at 0.
    forward, backward = getattr(nn, f"{name}_forward"), getattr(nn, f"{name}_backward")
    x = rng.standard_normal((3, 4))
    x[np.abs(x) < 1e-3] = 0.5
    dout = rng.standard_normal(x.shape)
    gradcheck.check_gradient(lambda v: forward(v)[0], x, backward(dout, forward(x)[1]), dout, tol=GRAD_TOL)


def test_softmax_cross_entropy_value_and_gradient(rng):
    # Check the loss against -mean(log_softmax) from SciPy and its gradient against central differences.
    logits, y = rng.standard_normal((5, 4)), np.array([0, 3, 1, 1, 2])
    loss, dlogits = nn.softmax_cross_entropy(logits, y)
    np.testing.assert_allclose(loss, -log_softmax(logits, axis=1)[np.arange(5), y].mean(), atol=ATOL)
    gradcheck.check_gradient(lambda v: np.array(nn.softmax_cross_entropy(v, y)[0]), logits, dlogits, tol=GRAD_TOL)


def test_mse_loss_by_hand():
    # Check L = 1/N sum ||p - y||^2 / 2 on two rows: ((1 + 4) / 2 + 0) / 2 = 1.25, dp = (p - y) / N.
    loss, dpred = nn.mse_loss(np.array([[1.0, 2.0], [0.0, 0.0]]), np.zeros((2, 2)))
    np.testing.assert_allclose(loss, 1.25, atol=ATOL)
    np.testing.assert_allclose(dpred, [[0.5, 1.0], [0.0, 0.0]], atol=ATOL)


def test_sgd_with_momentum_by_hand():
    # Check two momentum steps on a constant gradient g = 1: v = 1 then 1.9; theta = 1 - 0.1 - 0.19.
    params = {"w": np.array([1.0])}
    opt = optim.SGD(lr=0.1, momentum=0.9)
    for _ in range(2):
        opt.step(params, {"w": np.array([1.0])})
    np.testing.assert_allclose(params["w"], [1.0 - 0.1 - 0.19], atol=ATOL)


def test_adam_first_step_is_lr_times_sign_and_minimises_a_quadratic():
    # Check Adam's bias correction (first step = lr * g / (|g| + eps)) and that it drives x^2 to 0.
    params = {"w": np.array([3.0, -2.0])}
    opt = optim.Adam(lr=0.01)
    opt.step(params, {"w": 2 * params["w"]})
    np.testing.assert_allclose(params["w"], [2.99, -1.99], atol=1e-8)
    opt = optim.Adam(lr=0.05)
    for _ in range(2000):
        opt.step(params, {"w": 2 * params["w"]})
    np.testing.assert_allclose(params["w"], 0.0, atol=1e-3)


@pytest.mark.parametrize("make, match", [(lambda: optim.SGD(lr=-1), "lr"), (lambda: optim.SGD(momentum=1.0), "momentum"),
                                         (lambda: optim.Adam(beta1=1.0), "beta1")])
def test_optimizers_refuse_bad_hyperparameters(make, match):
    # Check that an out-of-range hyperparameter is refused by name.
    with pytest.raises(ValueError, match=match):
        make()


def test_step_refuses_missing_or_misshapen_gradients():
    # Check that step names a parameter without a gradient and a gradient of the wrong shape.
    params = {"w": np.zeros(3)}
    with pytest.raises(ValueError, match="no entry"):
        optim.Adam().step(params, {})
    with pytest.raises(ValueError, match="shape"):
        optim.Adam().step(params, {"w": np.zeros(2)})


def test_layers_refuse_mismatched_shapes():
    # Check the clear errors of affine_forward and softmax_cross_entropy.
    with pytest.raises(ValueError, match="expected x"):
        nn.affine_forward(np.zeros((2, 3)), np.zeros((4, 2)), np.zeros(2))
    with pytest.raises(ValueError, match="integer labels"):
        nn.softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3]))


# --- g06 ---
def test_dropout_keeps_the_mean_and_passes_gradients_through_the_kept_units():
    # Check inverted dropout: the identity in test mode; in train mode each entry is 0 or x / (1 - p),
    # about a fraction p is dropped, the mean is kept, and the gradient is dout times the same mask.
    rng = np.random.default_rng(0)
    x = np.ones((200, 100))
    out, cache = nn.dropout_forward(x, 0.3, "test")
    np.testing.assert_array_equal(out, x)
    np.testing.assert_array_equal(nn.dropout_backward(x, cache), x)
    out, cache = nn.dropout_forward(x, 0.3, "train", rng)
    assert set(np.unique(out)) <= {0.0, 1 / 0.7}
    assert abs(np.mean(out == 0) - 0.3) < 0.01 and abs(out.mean() - 1.0) < 0.02
    dout = rng.standard_normal(x.shape)
    np.testing.assert_allclose(nn.dropout_backward(dout, cache), dout * out, atol=ATOL)
    with pytest.raises(ValueError, match="random generator"):
        nn.dropout_forward(x, 0.3, "train")
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        nn.dropout_forward(x, 1.0, "train", rng)
