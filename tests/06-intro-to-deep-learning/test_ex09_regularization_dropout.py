"""Tests for ex09_regularization_dropout: L2 weight decay and inverted dropout."""

import numpy as np
import pytest

import utils
from utils import data, gradcheck

ex = utils.load_exercise("06-intro-to-deep-learning/ex09_regularization_dropout.py")

GRAD_TOL = 1e-6  # relative error of an analytic gradient against central differences
MEAN_ATOL = 5e-3  # the mean of 10^6 dropout outputs is within about 7e-4 (one sd) of its expectation
FRACTION_ATOL = 5e-3
ATOL = 1e-12


@pytest.mark.parametrize("p", [0.0, 0.5, 0.9])
def test_dropout_at_inference_is_the_identity(p, rng):
    # Check that test mode returns x unchanged for any p, and that its backward pass returns dout unchanged.
    x = rng.standard_normal((4, 7))
    out, cache = ex.dropout_forward(x, p, "test")
    np.testing.assert_array_equal(out, x)
    dout = rng.standard_normal(x.shape)
    np.testing.assert_array_equal(ex.dropout_backward(dout, cache), dout)


def test_dropout_with_p_zero_keeps_everything_in_training(rng):
    # Check that p = 0 drops nothing and scales by 1 / (1 - 0) = 1.
    x = rng.standard_normal((5, 3))
    out, _ = ex.dropout_forward(x, 0.0, "train", np.random.default_rng(1))
    np.testing.assert_allclose(out, x, atol=ATOL)


@pytest.mark.parametrize("p", [0.2, 0.5, 0.75])
def test_dropout_drops_a_fraction_p_and_preserves_the_mean(p):
    # Check the convention (p is the DROP probability): about a fraction p of the entries become 0,
    # the others are x / (1 - p), and the mean over 10^6 samples stays x (here 3.0), as E[mask] = 1.
    x = np.full((1000, 1000), 3.0)
    out, _ = ex.dropout_forward(x, p, "train", np.random.default_rng(0))
    dropped = out == 0
    np.testing.assert_allclose(dropped.mean(), p, atol=FRACTION_ATOL)
    np.testing.assert_allclose(out[~dropped], 3.0 / (1 - p), rtol=1e-12)
    np.testing.assert_allclose(out.mean(), 3.0, atol=3.0 * MEAN_ATOL)


def test_dropout_masks_differ_between_calls_and_repeat_with_the_seed(rng):
    # Check that one generator gives a fresh mask each call, and the same seed reproduces a mask.
    x = np.ones((50, 50))
    generator = np.random.default_rng(5)
    first, _ = ex.dropout_forward(x, 0.5, "train", generator)
    second, _ = ex.dropout_forward(x, 0.5, "train", generator)
    assert np.any(first != second)
    again, _ = ex.dropout_forward(x, 0.5, "train", np.random.default_rng(5))
    np.testing.assert_array_equal(first, again)


@pytest.mark.parametrize("shape", [(1, 6), (4, 3, 5)], ids=["batch-1", "3-d"])
def test_dropout_backward_uses_the_forward_mask(shape, rng):
    # Check dx against central differences, with the mask fixed by re-seeding the generator for every
    # call: a backward pass that drew a new mask, or forgot the 1 / (1 - p), would fail.
    x = rng.standard_normal(shape)
    p = 0.4
    out, cache = ex.dropout_forward(x, p, "train", np.random.default_rng(7))
    dout = rng.standard_normal(out.shape)
    dx = ex.dropout_backward(dout, cache)
    gradcheck.check_gradient(lambda v: ex.dropout_forward(v, p, "train", np.random.default_rng(7))[0], x, dx, dout, tol=GRAD_TOL)
    np.testing.assert_array_equal(dx == 0, out == 0)


def test_l2_penalty_by_hand():
    # Check by hand: W = [[1, 2], [3, 4]], reg = 0.1 -> 0.05 * (1 + 4 + 9 + 16) = 1.5; grad = 0.1 W; biases free.
    params = {"W1": np.array([[1.0, 2.0], [3.0, 4.0]]), "b1": np.array([5.0, 6.0])}
    penalty, grads = ex.l2_penalty(params, 0.1)
    assert penalty == pytest.approx(1.5)
    np.testing.assert_allclose(grads["W1"], 0.1 * params["W1"], atol=ATOL)
    np.testing.assert_array_equal(grads["b1"], np.zeros(2))


def test_l2_gradient_matches_numerical_gradient(rng):
    # Check the penalty's gradient for every parameter against central differences.
    params = {"W1": rng.standard_normal((3, 4)), "b1": rng.standard_normal(4), "W2": rng.standard_normal((4, 2)), "b2": rng.standard_normal(2)}
    _, grads = ex.l2_penalty(params, 0.3)
    for name in params:
        gradcheck.check_gradient(lambda _: ex.l2_penalty(params, 0.3)[0], params[name], grads[name], tol=GRAD_TOL)


@pytest.mark.parametrize("p_drop, reg", [(0.0, 0.0), (0.5, 0.0), (0.0, 0.05), (0.3, 0.05)])
def test_network_gradients_match_numerical_gradients(p_drop, reg, rng):
    # Check the whole network (dropout masks fixed by a seed, L2 included) against central differences of data loss + penalty.
    params = ex.init_mlp([4, 6, 5, 3], rng)
    for name in ["b1", "b2", "b3"]:  # random biases: with zero biases a sample whose ReLUs are all off
        params[name] = rng.standard_normal(params[name].shape)  # would sit exactly on the kink at 0
    X, y = rng.standard_normal((7, 4)), rng.integers(0, 3, 7)

    def total_loss(_):
        data_loss, penalty, _ = ex.mlp_loss(params, X, y, p_drop, reg, "train", np.random.default_rng(11))
        return data_loss + penalty

    _, _, grads = ex.mlp_loss(params, X, y, p_drop, reg, "train", np.random.default_rng(11))
    for name in params:
        gradcheck.check_gradient(total_loss, params[name], grads[name], tol=GRAD_TOL)


def test_training_memorises_a_small_set_and_l2_shrinks_the_weights():
    # Check on 40 noisy moons: without regularization the training loss keeps falling, below 0.05, and every
    # training point is classified right (memorised); with L2 the weights end up with a much smaller norm.
    X, y = data.make_moons(n_samples=40, noise=0.3, random_state=0)
    plain = ex.init_mlp([2, 32, 32, 2], np.random.default_rng(1))
    decayed = ex.init_mlp([2, 32, 32, 2], np.random.default_rng(1))
    h_plain = ex.train(plain, X, y, X, y, 0.0, 0.0, 500, np.random.default_rng(0), lr=5e-3, eval_every=100)
    ex.train(decayed, X, y, X, y, 0.0, 0.05, 500, np.random.default_rng(0), lr=5e-3, eval_every=100)
    assert np.all(np.diff(h_plain["train loss"]) < 0)
    assert h_plain["train loss"][-1] < 0.05
    np.testing.assert_array_equal(ex.mlp_predict(plain, X), y)
    norm = lambda prm: sum(np.sum(v**2) for k, v in prm.items() if k.startswith("W"))
    assert norm(decayed) < 0.7 * norm(plain)


@pytest.mark.parametrize("p", [1.0, -0.1, 1.5])
def test_p_outside_zero_one_is_refused(p):
    # Check that p must be a drop probability in [0, 1): p = 1 would divide by 1 - p = 0.
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        ex.dropout_forward(np.ones(3), p, "train", np.random.default_rng(0))


def test_bad_mode_missing_rng_and_negative_reg_are_refused():
    # Check the other argument errors and their messages.
    with pytest.raises(ValueError, match="mode"):
        ex.dropout_forward(np.ones(3), 0.5, "eval")
    with pytest.raises(ValueError, match="random generator"):
        ex.dropout_forward(np.ones(3), 0.5, "train")
    with pytest.raises(ValueError, match="reg"):
        ex.l2_penalty({"W1": np.ones((2, 2))}, -1.0)
