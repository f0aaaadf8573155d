"""Tests for ex05_gpt_training_sampling: AdamW, clipping, the schedule, sampling, training."""

import numpy as np
import pytest

import utils
from utils.text import bigram_cross_entropy, random_windows

ex = utils.load_exercise("07-advanced-deep-learning/ex05_gpt_training_sampling.py")
gpt = utils.load_exercise("07-advanced-deep-learning/ex04_gpt.py", practice=False)

ATOL = 1e-12


def _tiny(rng, n_layers=2, vocab_size=7, block_size=5):
    params = gpt.init_gpt(vocab_size, block_size, n_layers, d_model=8, d_ff=12, random_state=3)
    for value in params.values():  # move every parameter off its initial value, so every gradient is tested
        value += 0.3 * rng.standard_normal(value.shape)
    return params


def test_adamw_by_hand():
    # Check by hand. Zero gradients: Adam moves nothing, so matrices shrink by (1 - lr wd) and vectors stay.
    # Gradient g on step 1: m_hat = g, v_hat = g^2, so the Adam step is lr g / (|g| + eps).
    params = {"W": np.array([[2.0, -4.0]]), "b": np.array([1.0, 1.0])}
    opt = ex.AdamW(lr=0.1, weight_decay=0.5)
    opt.step(params, {"W": np.zeros((1, 2)), "b": np.zeros(2)})
    np.testing.assert_allclose(params["W"], [[2.0 * 0.95, -4.0 * 0.95]], atol=ATOL)
    np.testing.assert_allclose(params["b"], [1.0, 1.0], atol=ATOL)
    params = {"W": np.array([[2.0, -4.0]]), "b": np.array([1.0, 1.0])}
    opt = ex.AdamW(lr=0.1, weight_decay=0.5, eps=0.0)
    opt.step(params, {"W": np.array([[3.0, -0.5]]), "b": np.array([-2.0, 0.25])})
    np.testing.assert_allclose(params["W"], [[2.0 * 0.95 - 0.1, -4.0 * 0.95 + 0.1]], atol=ATOL)
    np.testing.assert_allclose(params["b"], [1.1, 0.9], atol=ATOL)


def test_clip_grad_norm_by_hand():
    # Check by hand: gradients 3 and 4 have global norm 5; clipping at 1 gives 0.6 and 0.8; at 10, nothing changes.
    grads = {"a": np.array([3.0]), "b": np.array([[4.0]])}
    assert ex.clip_grad_norm(grads, 1.0) == pytest.approx(5.0)
    np.testing.assert_allclose(grads["a"], [0.6])
    np.testing.assert_allclose(grads["b"], [[0.8]])
    assert ex.clip_grad_norm(grads, 10.0) == pytest.approx(1.0)
    np.testing.assert_allclose(grads["a"], [0.6])


def test_learning_rate_schedule():
    # Check the schedule's landmarks: lr / W at step 1, the peak at step W, lr / 10 at the end, falling in between.
    config = dict(lr=1.0, warmup_steps=10, n_steps=110)
    rates = np.array([ex.learning_rate(t, config) for t in range(1, 111)])
    assert rates[0] == pytest.approx(0.1)
    assert rates[9] == pytest.approx(1.0)
    assert rates[-1] == pytest.approx(0.1)
    assert np.all(np.diff(rates[9:]) < 0)


def test_sampling_probs_by_hand():
    # Check by hand with probabilities (0.5, 0.3, 0.15, 0.05): top-k 2 and top-p 0.8 keep the first two
    # (0.625, 0.375); top-p 0.81 keeps three; temperature 0.5 squares and renormalises.
    p = np.array([0.5, 0.3, 0.15, 0.05])
    logits = np.log(p) + 7.0
    np.testing.assert_allclose(ex.sampling_probs(logits), p, atol=ATOL)
    np.testing.assert_allclose(ex.sampling_probs(logits, top_k=2), [0.625, 0.375, 0, 0], atol=ATOL)
    np.testing.assert_allclose(ex.sampling_probs(logits, top_p=0.8), [0.625, 0.375, 0, 0], atol=ATOL)
    np.testing.assert_allclose(ex.sampling_probs(logits, top_p=0.81), [0.5, 0.3, 0.15, 0] / np.float64(0.95), atol=ATOL)
    np.testing.assert_allclose(ex.sampling_probs(logits, temperature=0.5), p**2 / np.sum(p**2), atol=ATOL)
    np.testing.assert_allclose(ex.sampling_probs(np.array([1000.0, -1000.0, 0.0])), [1, 0, 0], atol=ATOL)  # no overflow


def test_generate_with_top_k_1_is_greedy(rng):
    # Check that top-k = 1 picks the argmax each time, whatever the random generator.
    params = _tiny(rng)
    out = ex.generate(params, [1, 2], 6, 2, np.random.default_rng(5), top_k=1)
    assert len(out) == 8 and out[:2] == [1, 2]
    for i in range(2, 8):
        context = np.array([out[max(0, i - 5) : i]])
        assert out[i] == int(gpt.gpt_forward(params, context, 2)[0][0, -1].argmax())


def test_bigram_loss_by_hand():
    # Check by hand: training ids 0 1 0 1 0 with alpha = 1 give P(1 | 0) = (2 + 1) / (2 + 2) = 0.75.
    assert bigram_cross_entropy(np.array([0, 1, 0, 1, 0]), np.array([0, 1]), 2, alpha=1.0) == pytest.approx(-np.log(0.75))


def test_get_batch_targets_are_the_next_ids(rng):
    # Check that the targets are the inputs shifted by one, inside the data.
    ids = np.arange(100)
    inputs, targets = random_windows(ids, 4, 8, rng)
    assert inputs.shape == targets.shape == (4, 8)
    np.testing.assert_array_equal(targets, inputs + 1)


def test_training_beats_the_bigram_on_a_text_that_needs_context():
    # Check that training works: in "aab" repeated, the character after "a" depends on the one before it,
    # which a bigram cannot see (its loss stays near (2/3) log 2); the GPT must get far below it.
    ids = np.array([0, 0, 1] * 200)
    config = dict(ex.QUICK_RUN, block_size=8, d_model=16, d_ff=32, n_steps=60, warmup_steps=5, lr=1e-2, batch_size=8)
    params, history = ex.train_gpt(ids, 2, config)
    bigram = bigram_cross_entropy(ids[:400], ids[400:], 2)
    assert bigram > 0.4
    assert gpt.evaluate_loss(params, ids[400:], config["n_heads"]) < 0.3 * bigram
    assert np.all(np.array(history["grad_norm"]) > 0)


def test_bad_input():
    # Check the error messages: bad temperature or top-p, empty or text logits.
    with pytest.raises(ValueError, match="temperature"):
        ex.sampling_probs(np.zeros(3), temperature=0.0)
    with pytest.raises(ValueError, match="top_p"):
        ex.sampling_probs(np.zeros(3), top_p=0.0)
    with pytest.raises(ValueError, match="logits must be non-empty"):
        ex.sampling_probs(np.zeros(0))
    with pytest.raises(TypeError, match="logits must hold numbers"):
        ex.sampling_probs(["a", "b"])
