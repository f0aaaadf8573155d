"""Tests for ex04_gpt: the tied GPT's forward and backward, causality, the loss of an untrained model."""

import numpy as np
import pytest

import utils
from utils import gradcheck

ex = utils.load_exercise("07-advanced-deep-learning/ex04_gpt.py")
transformer = utils.load_exercise("06-intro-to-deep-learning/ex19_transformer.py", practice=False)

GRAD_TOL = 1e-6
ATOL = 1e-12
ZERO_GRAD_ATOL = 1e-8  # the key bias: a softmax ignores a shift of a whole row


def _tiny(rng, n_layers=2, vocab_size=7, block_size=5):
    params = ex.init_gpt(vocab_size, block_size, n_layers, d_model=8, d_ff=12, random_state=3)
    for value in params.values():  # move every parameter off its initial value, so every gradient is tested
        value += 0.3 * rng.standard_normal(value.shape)
    return params


def test_forward_matches_ex16_with_the_output_layer_tied(rng):
    # Check against 06.19's transformer model: with W_out = E^T and b_out = 0 it computes exactly our tied logits.
    params = _tiny(rng)
    tokens = rng.integers(0, 7, size=(3, 5))
    reference = dict(params, W_out=params["tok_emb"].T.copy(), b_out=np.zeros(7))
    np.testing.assert_allclose(ex.gpt_forward(params, tokens, 2)[0], transformer.model_forward(reference, tokens, 2)[0], atol=1e-10)


@pytest.mark.parametrize("n_layers, n", [(2, 1), (1, 2)], ids=["2-blocks-batch-1", "1-block-batch-2"])
def test_gpt_gradients_match_numerical_gradients(n_layers, n, rng):
    # Check every parameter's gradient, including the tied embedding (used at both ends) and a repeated token.
    params = _tiny(rng, n_layers)
    tokens = rng.integers(0, 7, size=(n, 5))
    tokens[0, 2] = tokens[0, 0]
    targets = rng.integers(0, 7, size=(n, 5))
    _, grads = ex.gpt_loss(params, tokens, targets, 2)
    assert set(grads) == set(params)

    def f(_):
        return ex.gpt_loss(params, tokens, targets, 2)[0]

    for name, value in params.items():
        if name.endswith(".bk"):
            np.testing.assert_allclose(grads[name], 0.0, atol=ZERO_GRAD_ATOL)
        else:
            gradcheck.check_gradient(f, value, grads[name], tol=GRAD_TOL)


def test_shorter_inputs_use_the_first_positions_and_stay_causal(rng):
    # Check causality: changing token t leaves the logits before t unchanged, and a prefix gives the same logits.
    params = _tiny(rng)
    tokens = rng.integers(0, 7, size=(2, 5))
    logits, _ = ex.gpt_forward(params, tokens, 2)
    np.testing.assert_allclose(ex.gpt_forward(params, tokens[:, :3], 2)[0], logits[:, :3], atol=ATOL)
    changed = tokens.copy()
    changed[:, 3] = (changed[:, 3] + 1) % 7
    np.testing.assert_allclose(ex.gpt_forward(params, changed, 2)[0][:, :3], logits[:, :3], atol=ATOL)


def test_zero_embeddings_give_uniform_predictions():
    # Check by hand: with E = 0 every logit is 0, so the loss of any window is log V.
    params = ex.init_gpt(7, 5, 1, d_model=8, d_ff=12)
    params["tok_emb"][:] = 0.0
    ids = np.arange(40) % 7
    assert ex.evaluate_loss(params, ids, 2) == pytest.approx(np.log(7), abs=1e-12)


def test_bad_input(rng):
    # Check the error messages: too long, out of range.
    params = _tiny(rng)
    with pytest.raises(ValueError, match="T <= 5"):
        ex.gpt_forward(params, np.zeros((1, 6), dtype=int), 2)
    with pytest.raises(ValueError, match="0..6"):
        ex.gpt_forward(params, np.full((1, 3), 7), 2)
