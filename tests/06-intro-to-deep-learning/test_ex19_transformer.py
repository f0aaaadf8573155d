"""Tests for ex19_transformer: the tiny model, its gradients, the digit task, training and greedy decoding."""

import numpy as np
import pytest

import utils
from utils import gradcheck
from utils.optim import Adam

ex = utils.load_exercise("06-intro-to-deep-learning/ex19_transformer.py")

GRAD_TOL = 1e-6  # relative error of an analytic gradient against central differences
ATOL = 1e-12
ZERO_GRAD_ATOL = 1e-8  # the key bias has a zero gradient (softmax ignores a shift of a whole row)


def _jitter(params, rng):
    """Move every parameter off its initial value (gammas off 1, biases off 0), so each gradient is tested."""
    for value in params.values():
        value += 0.1 * rng.standard_normal(value.shape)
    return params


def _tiny_model(rng, n_layers=2):
    return _jitter(ex.init_model(n_layers=n_layers, d_model=4, d_ff=6, max_len=6, vocab_size=ex.VOCAB_SIZE, random_state=1), rng)


@pytest.mark.parametrize("n_sequences, n_layers", [(1, 2), (2, 1)], ids=["batch-1-2-blocks", "batch-2-1-block"])
def test_model_loss_gradients_match_numerical_gradients(n_sequences, n_layers, rng):
    # Check the gradient of the masked next-token loss for every parameter of a tiny model.
    params = _tiny_model(rng, n_layers)
    sequences = ex.make_digit_task(n_sequences, 3, rng, task="reverse")  # (N, 7): 6 inputs after the shift
    inputs, targets, loss_mask = ex.next_token_batch(sequences, 3)
    inputs[0, 1] = inputs[0, 0]  # a repeated token: its embedding gradient must add up, not overwrite
    _, grads = ex.model_loss(params, inputs, targets, loss_mask, n_heads=2)
    assert set(grads) == set(params)

    def f(_):
        return ex.model_loss(params, inputs, targets, loss_mask, n_heads=2)[0]

    for name, value in params.items():
        if name.endswith(".bk"):
            np.testing.assert_allclose(gradcheck.numerical_gradient(f, value), 0.0, atol=ZERO_GRAD_ATOL)
            np.testing.assert_allclose(grads[name], 0.0, atol=ZERO_GRAD_ATOL)
        else:
            gradcheck.check_gradient(f, value, grads[name], tol=GRAD_TOL)


def test_uniform_predictions_cost_log_v_and_unmasked_targets_are_ignored(rng):
    # Check by hand: with W_out = 0 and b_out = 0 every logit is 0, so the loss is log V = log 11;
    # and changing a target outside the loss mask does not change the loss.
    params = _tiny_model(rng)
    params["W_out"][:] = 0.0
    params["b_out"][:] = 0.0
    inputs, targets, loss_mask = ex.next_token_batch(ex.make_digit_task(3, 3, rng), 3)
    assert ex.model_loss(params, inputs, targets, loss_mask, 2)[0] == pytest.approx(np.log(ex.VOCAB_SIZE))
    params = _tiny_model(rng)
    loss = ex.model_loss(params, inputs, targets, loss_mask, 2)[0]
    changed = targets.copy()
    changed[~loss_mask] = (changed[~loss_mask] + 1) % 10
    assert ex.model_loss(params, inputs, changed, loss_mask, 2)[0] == pytest.approx(loss, abs=ATOL)


def test_causal_mask_output_at_t_ignores_later_inputs(rng):
    # Check by perturbation: changing the token at position t changes the logits at t and later only.
    params = _tiny_model(rng)
    tokens = rng.integers(0, ex.VOCAB_SIZE, size=(2, 6))
    before, _ = ex.model_forward(params, tokens, 2)
    for t in (0, 3, 5):
        changed = tokens.copy()
        changed[:, t] = (changed[:, t] + 1) % ex.VOCAB_SIZE
        after, _ = ex.model_forward(params, changed, 2)
        np.testing.assert_allclose(after[:, :t], before[:, :t], atol=ATOL)
        assert np.all(np.abs(after[:, t:] - before[:, t:]).max(axis=-1) > 1e-9)


def test_greedy_generation_shape_prompt_and_argmax(rng):
    # Check that generation appends exactly n_new tokens, keeps the prompt, and each new token is the
    # argmax of the model's logits at the last position of the prefix before it.
    params = _tiny_model(rng)
    prompt = rng.integers(0, ex.VOCAB_SIZE, size=(3, 2))
    out = ex.greedy_generate(params, prompt, 4, n_heads=2)
    assert out.shape == (3, 6)
    np.testing.assert_array_equal(out[:, :2], prompt)
    for t in range(2, 6):
        logits, _ = ex.model_forward(params, out[:, :t], 2)
        np.testing.assert_array_equal(out[:, t], logits[:, -1].argmax(axis=-1))
    np.testing.assert_array_equal(ex.greedy_generate(params, prompt, 0, 2), prompt)


def test_greedy_generation_follows_a_forced_token_and_stops_at_the_limit(rng):
    # Check that a huge output bias on token 7 makes every generated token 7, and that asking for more
    # positions than the model has (6 here; the last new token is never fed back) is refused.
    params = _tiny_model(rng)
    params["b_out"][7] = 1e3
    out = ex.greedy_generate(params, np.zeros((2, 1), dtype=int), 6, 2)
    np.testing.assert_array_equal(out[:, 1:], 7)
    with pytest.raises(ValueError, match="positions"):
        ex.greedy_generate(params, np.zeros((2, 1), dtype=int), 7, 2)


def test_loss_falls_in_a_short_run():
    # Check that 40 Adam steps on fresh batches bring the loss well below its start (a fixed seed).
    _, history = ex.train_digit_model(40, task="reverse", n_digits=3, batch_size=32, n_layers=1, d_model=16, n_heads=2, d_ff=32, lr=1e-2)
    assert np.mean(history["loss"][-5:]) < 0.7 * np.mean(history["loss"][:5])


def test_tiny_batch_is_overfitted():
    # Check that a fixed batch of 4 sequences is learned by heart: loss under 0.05 after 150 steps.
    rng = np.random.default_rng(0)
    params = ex.init_model(n_layers=1, d_model=16, d_ff=32, max_len=6, random_state=0)
    inputs, targets, loss_mask = ex.next_token_batch(ex.make_digit_task(4, 3, rng), 3)
    adam = Adam(lr=1e-2)
    for _ in range(150):
        loss, grads = ex.model_loss(params, inputs, targets, loss_mask, n_heads=2)
        adam.step(params, grads)
    assert loss < 0.05


def test_bad_input_gets_a_clear_error(rng):
    # Check that out-of-range tokens, too-long inputs and empty loss masks are refused with a clear message.
    params = _tiny_model(rng)
    with pytest.raises(ValueError, match="token ids"):
        ex.model_forward(params, np.array([[0, 11]]), 2)
    with pytest.raises(ValueError, match="T <= 6"):
        ex.model_forward(params, np.zeros((1, 7), dtype=int), 2)
    with pytest.raises(ValueError, match="loss_mask"):
        ex.model_loss(params, np.zeros((1, 3), dtype=int), np.zeros((1, 3), dtype=int), np.zeros((1, 3), dtype=bool), 2)
