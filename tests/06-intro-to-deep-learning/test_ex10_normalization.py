"""Tests for ex10_normalization: batch norm (training and inference) and layer norm, forward and backward."""

import warnings

import numpy as np
import pytest

import utils
from utils import data, gradcheck
from utils.optim import SGD

ex = utils.load_exercise("06-intro-to-deep-learning/ex10_normalization.py")

GRAD_TOL = 1e-6  # relative error of an analytic gradient against central differences
STAT_ATOL = 1e-10  # normalised means are 0 up to round-off
ATOL = 1e-12
EPS = 1e-5


def _batch(rng, n, d):
    """Features with very different means and scales, as real pre-activations have."""
    return rng.standard_normal((n, d)) * rng.uniform(0.5, 5, d) + rng.uniform(-3, 3, d)


def test_batchnorm_by_hand():
    # Check by hand: the feature [1, 3] has mean 2 and variance 1, so xhat = [-1, 1] / sqrt(1 + eps);
    # with gamma = 2, beta = 0.5 the output is 0.5 -+ 2 / sqrt(1 + eps).
    x = np.array([[1.0], [3.0]])
    out, _ = ex.batchnorm_forward(x, np.array([2.0]), np.array([0.5]), {"mode": "train", "eps": EPS})
    np.testing.assert_allclose(out, [[0.5 - 2 / np.sqrt(1 + EPS)], [0.5 + 2 / np.sqrt(1 + EPS)]], atol=ATOL)


@pytest.mark.parametrize("n", [2, 16])
def test_batchnorm_training_output_has_zero_mean_unit_variance_per_feature(n, rng):
    # Check that with gamma = 1, beta = 0 each feature (column) of the output has mean 0 and variance 1
    # over the batch, and with other gamma, beta it has mean beta and standard deviation |gamma|.
    x = _batch(rng, n, 5)
    out, _ = ex.batchnorm_forward(x, np.ones(5), np.zeros(5), {"mode": "train", "eps": EPS})
    np.testing.assert_allclose(out.mean(axis=0), 0.0, atol=STAT_ATOL)
    shrink = x.var(axis=0) / (x.var(axis=0) + EPS)  # eps's exact effect: the variance is var / (var + eps), about 1
    np.testing.assert_allclose(out.var(axis=0), shrink, rtol=1e-10)
    gamma, beta = np.array([2.0, -1.0, 0.5, 3.0, 1.0]), np.array([0.0, 1.0, -2.0, 5.0, 0.3])
    out, _ = ex.batchnorm_forward(x, gamma, beta, {"mode": "train", "eps": EPS})
    np.testing.assert_allclose(out.mean(axis=0), beta, atol=STAT_ATOL)
    np.testing.assert_allclose(out.std(axis=0), np.abs(gamma) * np.sqrt(shrink), rtol=1e-10)


def test_batchnorm_running_averages_follow_the_momentum_rule(rng):
    # Check one training step from the defaults (running mean 0, variance 1) against np.mean / np.var:
    # running = momentum * old + (1 - momentum) * batch statistic.
    x = _batch(rng, 8, 3)
    bn_param = {"mode": "train", "momentum": 0.8}
    ex.batchnorm_forward(x, np.ones(3), np.zeros(3), bn_param)
    np.testing.assert_allclose(bn_param["running_mean"], 0.2 * x.mean(axis=0), atol=ATOL)
    np.testing.assert_allclose(bn_param["running_var"], 0.8 + 0.2 * x.var(axis=0), atol=ATOL)


def test_batchnorm_inference_uses_running_statistics(rng):
    # Check test mode against the formula with the stored running mean and variance (not the batch's),
    # that it leaves them unchanged, and that a sample's output does not depend on the rest of the batch.
    x = _batch(rng, 6, 4)
    gamma, beta = rng.standard_normal(4), rng.standard_normal(4)
    running_mean, running_var = rng.standard_normal(4), rng.uniform(0.5, 2.0, 4)
    bn_param = {"mode": "test", "running_mean": running_mean.copy(), "running_var": running_var.copy(), "eps": EPS}
    out, _ = ex.batchnorm_forward(x, gamma, beta, bn_param)
    np.testing.assert_allclose(out, gamma * (x - running_mean) / np.sqrt(running_var + EPS) + beta, atol=ATOL)
    np.testing.assert_array_equal(bn_param["running_mean"], running_mean)
    np.testing.assert_array_equal(bn_param["running_var"], running_var)
    single, _ = ex.batchnorm_forward(x[:1], gamma, beta, bn_param)  # batch size 1 is fine at inference
    np.testing.assert_allclose(single, out[:1], atol=ATOL)


def test_running_averages_converge_to_the_data_statistics(rng):
    # Check that after many training batches from one distribution, test mode normalises it like training mode.
    x = _batch(rng, 2000, 3)
    bn_param = {"mode": "train", "momentum": 0.9}
    for i in range(200):
        ex.batchnorm_forward(x[10 * i : 10 * i + 10], np.ones(3), np.zeros(3), bn_param)
    np.testing.assert_allclose((bn_param["running_mean"] - x.mean(axis=0)) / x.std(axis=0), 0.0, atol=0.3)
    np.testing.assert_allclose(bn_param["running_var"], x.var(axis=0), rtol=0.5)
    out, _ = ex.batchnorm_forward(x, np.ones(3), np.zeros(3), {**bn_param, "mode": "test"})
    np.testing.assert_allclose(out.mean(axis=0), 0.0, atol=0.3)
    np.testing.assert_allclose(out.std(axis=0), 1.0, atol=0.3)


def test_constant_feature_gives_beta_and_finite_gradients():
    # Check a feature with zero variance: xhat = 0 (eps keeps it finite, no warning), out = beta, gradients finite.
    x = np.column_stack([np.full(4, 7.0), np.arange(4.0)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out, cache = ex.batchnorm_forward(x, np.ones(2), np.array([0.25, 0.0]), {"mode": "train"})
        dx, dgamma, dbeta = ex.batchnorm_backward(np.ones_like(x), cache)
    np.testing.assert_allclose(out[:, 0], 0.25, atol=ATOL)
    assert np.all(np.isfinite(dx)) and np.all(np.isfinite(dgamma))


@pytest.mark.parametrize("shape", [(2, 3), (5, 4), (10, 1)])
def test_batchnorm_backward_matches_numerical_gradients(shape, rng):
    # Check dx, dgamma and dbeta of training-mode batch norm against central differences.
    x = _batch(rng, *shape)
    gamma, beta = rng.standard_normal(shape[1]), rng.standard_normal(shape[1])
    dout = rng.standard_normal(shape)
    bn_param = {"mode": "train"}
    _, cache = ex.batchnorm_forward(x, gamma, beta, bn_param)
    dx, dgamma, dbeta = ex.batchnorm_backward(dout, cache)
    gradcheck.check_gradient(lambda v: ex.batchnorm_forward(v, gamma, beta, bn_param)[0], x, dx, dout, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda v: ex.batchnorm_forward(x, v, beta, bn_param)[0], gamma, dgamma, dout, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda v: ex.batchnorm_forward(x, gamma, v, bn_param)[0], beta, dbeta, dout, tol=GRAD_TOL)


def test_batchnorm_training_gradient_is_centred(rng):
    # Check the closed form's property: shifting a whole feature does not change xhat, so dx sums to 0 over the batch.
    x = _batch(rng, 6, 3)
    _, cache = ex.batchnorm_forward(x, rng.standard_normal(3), np.zeros(3), {"mode": "train"})
    dx, _, _ = ex.batchnorm_backward(rng.standard_normal((6, 3)), cache)
    np.testing.assert_allclose(dx.sum(axis=0), 0.0, atol=1e-10)


def test_batchnorm_test_mode_backward_matches_numerical_gradients(rng):
    # Check the backward pass at inference, where the statistics are constants.
    x, gamma, beta = _batch(rng, 3, 4), rng.standard_normal(4), rng.standard_normal(4)
    bn_param = {"mode": "test", "running_mean": rng.standard_normal(4), "running_var": rng.uniform(0.5, 2, 4)}
    dout = rng.standard_normal(x.shape)
    dx, dgamma, _ = ex.batchnorm_backward(dout, ex.batchnorm_forward(x, gamma, beta, bn_param)[1])
    gradcheck.check_gradient(lambda v: ex.batchnorm_forward(v, gamma, beta, bn_param)[0], x, dx, dout, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda v: ex.batchnorm_forward(x, v, beta, bn_param)[0], gamma, dgamma, dout, tol=GRAD_TOL)


def test_layernorm_by_hand():
    # Check by hand: the sample [2, 4, 6] has mean 4 and variance 8/3, so xhat = [-1, 0, 1] * 2 / sqrt(8/3 + eps).
    out, _ = ex.layernorm_forward(np.array([[2.0, 4.0, 6.0]]), np.ones(3), np.zeros(3), {"eps": EPS})
    np.testing.assert_allclose(out, [[-2, 0, 2] / np.sqrt(8 / 3 + EPS)], atol=ATOL)


@pytest.mark.parametrize("n", [1, 7])
def test_layernorm_uses_per_sample_statistics(n, rng):
    # Check that every sample (row) of the output has mean 0 and variance 1, batch size 1 included,
    # and that a sample's output does not depend on the other samples.
    x = rng.standard_normal((n, 6)) * 4 + rng.uniform(-5, 5, (n, 1))
    out, _ = ex.layernorm_forward(x, np.ones(6), np.zeros(6), {"eps": EPS})
    np.testing.assert_allclose(out.mean(axis=1), 0.0, atol=STAT_ATOL)
    np.testing.assert_allclose(out.var(axis=1), x.var(axis=1) / (x.var(axis=1) + EPS), rtol=1e-10)  # about 1
    alone, _ = ex.layernorm_forward(x[-1:], np.ones(6), np.zeros(6))
    np.testing.assert_allclose(alone, out[-1:], atol=ATOL)


@pytest.mark.parametrize("shape", [(1, 5), (4, 3), (3, 1)], ids=["batch-1", "batch-4", "one-feature"])
def test_layernorm_backward_matches_numerical_gradients(shape, rng):
    # Check dx, dgamma and dbeta of layer norm against central differences, batch size 1 included.
    x = rng.standard_normal(shape) * 3 + 1
    gamma, beta = rng.standard_normal(shape[1]), rng.standard_normal(shape[1])
    dout = rng.standard_normal(shape)
    dx, dgamma, dbeta = ex.layernorm_backward(dout, ex.layernorm_forward(x, gamma, beta)[1])
    gradcheck.check_gradient(lambda v: ex.layernorm_forward(v, gamma, beta)[0], x, dx, dout, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda v: ex.layernorm_forward(x, v, beta)[0], gamma, dgamma, dout, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda v: ex.layernorm_forward(x, gamma, v)[0], beta, dbeta, dout, tol=GRAD_TOL)


@pytest.mark.parametrize("norm", ["none", "batch", "layer"])
def test_network_gradients_match_numerical_gradients(norm, rng):
    # Check the whole network (training mode) against central differences, for each normalization.
    params = ex.init_network([4, 5, 6, 3], 0.5, rng)
    for name in params:
        if name.startswith(("b", "beta")):  # random shifts keep ReLU inputs away from the kink at 0
            params[name] = rng.standard_normal(params[name].shape)
    X, y = rng.standard_normal((6, 4)), rng.integers(0, 3, 6)
    norm_params = [{}, {}]
    _, grads = ex.network_loss(params, norm_params, X, y, norm, "train")
    loss = lambda _: ex.network_loss(params, norm_params, X, y, norm, "train")[0]
    for name in params:
        if norm == "batch" and name in ("b1", "b2"):
            # Batch norm subtracts the batch mean, so a bias just before it has no effect: its gradient is 0.
            np.testing.assert_allclose(grads[name], 0.0, atol=1e-12)
            np.testing.assert_allclose(gradcheck.numerical_gradient(loss, params[name]), 0.0, atol=1e-8)
        else:
            gradcheck.check_gradient(loss, params[name], grads[name], tol=GRAD_TOL)


def test_batch_norm_rescues_a_badly_scaled_network():
    # Check the demo's claim on a short fixed-seed run: with weights N(0, 0.01^2) the plain network's loss stays
    # near log(10) = 2.30, while the batch-normalised one falls below 1.
    X, y = data.load_digits()
    X, y = X[:300] / 16.0, y[:300]
    final = {}
    for norm in ["none", "batch"]:
        rng = np.random.default_rng(0)
        params = ex.init_network([64, 50, 50, 50, 10], 0.01, rng)
        norm_params = [{} for _ in range(3)]
        optimizer = SGD(lr=0.05, momentum=0.9)
        for _ in range(60):
            batch = rng.choice(300, 50, replace=False)
            loss, grads = ex.network_loss(params, norm_params, X[batch], y[batch], norm, "train")
            optimizer.step(params, grads)
        final[norm] = ex.network_loss(params, norm_params, X, y, norm, "test")[0]
    assert final["none"] > 2.2
    assert final["batch"] < 1.0


def test_bad_inputs_are_refused():
    # Check clear errors: batch size 1 in training mode, an unknown mode, and mismatched shapes.
    with pytest.raises(ValueError, match="at least 2 samples"):
        ex.batchnorm_forward(np.ones((1, 3)), np.ones(3), np.zeros(3), {"mode": "train"})
    with pytest.raises(ValueError, match="mode"):
        ex.batchnorm_forward(np.ones((2, 3)), np.ones(3), np.zeros(3), {"mode": "eval"})
    with pytest.raises(ValueError, match=r"gamma \(D,\)"):
        ex.batchnorm_forward(np.ones((2, 3)), np.ones(4), np.zeros(3), {"mode": "train"})
    with pytest.raises(ValueError, match=r"x \(N, D\)"):
        ex.layernorm_forward(np.ones(3), np.ones(3), np.zeros(3))
