"""Tests for ex03_positional_encodings: RoPE's angles, forward, backward, and the demo model's gradients."""

import numpy as np
import pytest

import utils
from utils import gradcheck

ex = utils.load_exercise("07-advanced-deep-learning/ex03_positional_encodings.py")

GRAD_TOL = 1e-6
ATOL = 1e-12
ZERO_GRAD_ATOL = 1e-8  # the key bias's gradient without RoPE


def test_rope_angles_by_hand():
    # Check by hand for d = 4: theta = (1, 10000^(-1/2)) = (1, 0.01); position 3 gives angles (3, 0.03).
    np.testing.assert_allclose(ex.rope_angles([0, 3], 4), [[0.0, 0.0], [3.0, 0.03]], atol=ATOL)


def test_rope_forward_is_a_block_rotation_matrix(rng):
    # Check against an explicit (d, d) block-diagonal rotation matrix built from the definition.
    u = rng.standard_normal((2, 3, 6))
    positions = np.array([0, 4, 9])
    out, _ = ex.rope_forward(u, positions)
    for t, p in enumerate(positions):
        R = np.zeros((6, 6))
        for i in range(3):
            a = p * 10000.0 ** (-2 * i / 6)
            R[2 * i : 2 * i + 2, 2 * i : 2 * i + 2] = [[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]
        np.testing.assert_allclose(out[:, t], u[:, t] @ R.T, atol=ATOL)
    np.testing.assert_allclose(np.linalg.norm(out, axis=-1), np.linalg.norm(u, axis=-1), atol=ATOL)  # rotations keep lengths


def test_rope_scores_depend_on_the_offset_only(rng):
    # Check the relative-position property: (R(t) q) . (R(s) k) is the same for (t, s) and (t + c, s + c).
    q, k = rng.standard_normal((1, 8)), rng.standard_normal((1, 8))
    scores = [ex.rope_forward(q, [t])[0] @ ex.rope_forward(k, [s])[0].T for t, s in ((7, 2), (57, 52), (1007, 1002))]
    np.testing.assert_allclose(scores[1], scores[0], atol=1e-9)
    np.testing.assert_allclose(scores[2], scores[0], atol=1e-9)
    other = ex.rope_forward(q, [7])[0] @ ex.rope_forward(k, [3])[0].T
    assert abs(other - scores[0]).item() > 1e-3


@pytest.mark.parametrize("shape", [(3, 4), (2, 2, 5, 6)], ids=["T3-d4", "batch-heads-T5-d6"])
def test_rope_backward_matches_numerical_gradient(shape, rng):
    # Check du against central differences.
    u = rng.standard_normal(shape)
    positions = np.arange(2, 2 + shape[-2])
    dout = rng.standard_normal(shape)
    du = ex.rope_backward(dout, ex.rope_forward(u, positions)[1])
    gradcheck.check_gradient(lambda v: ex.rope_forward(v, positions)[0], u, du, dout, tol=GRAD_TOL)


@pytest.mark.parametrize("encoding", ex.ENCODINGS)
def test_model_gradients_match_numerical_gradients(encoding, rng):
    # Check every parameter gradient of the demo model, for each encoding; a repeated token included.
    # With RoPE the key bias matters (R(s) bk turns with s); without it, its gradient is exactly 0.
    params = ex.init_model(encoding, vocab_size=5, dim=4, max_len=6, rng=rng)
    tokens = rng.integers(0, 5, size=(2, 6))
    tokens[0, 1] = tokens[0, 0]
    _, grads, _ = ex.model_loss(params, tokens, encoding)
    assert set(grads) == set(params)
    def f(_):
        return ex.model_loss(params, tokens, encoding)[0]

    for name, value in params.items():
        if name == "bk" and encoding != "rotary":
            # Without RoPE, bk adds q . bk to a whole row of scores, which the softmax ignores: gradient 0.
            np.testing.assert_allclose(gradcheck.numerical_gradient(f, value), 0.0, atol=ZERO_GRAD_ATOL)
            np.testing.assert_allclose(grads[name], 0.0, atol=ZERO_GRAD_ATOL)
        else:
            gradcheck.check_gradient(f, value, grads[name], tol=GRAD_TOL)


def test_lag_task_is_learned_and_rope_generalises():
    # Check the demo's claim on a short run: every encoding learns lag-3 copying at the training
    # length (> 90%), and only the rotary model stays above 90% at 4x the length.
    tests_16 = np.random.default_rng(1).integers(0, 10, size=(32, 16))
    tests_64 = np.random.default_rng(2).integers(0, 10, size=(32, 64))
    accuracy = {}
    for encoding in ex.ENCODINGS:
        params, losses = ex.train_lag_model(encoding, n_steps=150)
        assert losses[-1] < losses[0]
        assert ex.lag_accuracy(params, tests_16, encoding) > 0.9
        if encoding != "learned":
            accuracy[encoding] = ex.lag_accuracy(params, tests_64, encoding)
    assert accuracy["rotary"] > 0.9 > accuracy["sinusoidal"]


def test_bad_input(rng):
    # Check the error messages: odd dimension, mismatched positions, unknown encoding, too long for learned positions.
    with pytest.raises(ValueError, match="even dim"):
        ex.rope_angles([0, 1], 5)
    with pytest.raises(ValueError, match="len\\(positions\\)"):
        ex.rope_forward(np.zeros((3, 4)), [0, 1])
    with pytest.raises(ValueError, match="encoding"):
        ex.init_model("alibi", 5, 4, 6, rng)
    params = ex.init_model("learned", 5, 4, 6, rng)
    with pytest.raises(ValueError, match="T <= 6"):
        ex.model_loss(params, np.zeros((1, 8), dtype=int), "learned")
