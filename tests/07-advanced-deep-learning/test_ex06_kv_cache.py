"""Tests for ex06_kv_cache: cached logits equal the full forward pass, generation gives identical tokens."""

import numpy as np
import pytest

import utils

ex = utils.load_exercise("07-advanced-deep-learning/ex06_kv_cache.py")
gpt = utils.load_exercise("07-advanced-deep-learning/ex04_gpt.py", practice=False)

LOGIT_ATOL = 1e-10  # the bar: the same logits as the full pass


def _model(rng, n_layers=2, block_size=12):
    params = gpt.init_gpt(9, block_size, n_layers, d_model=8, d_ff=16, random_state=2)
    for value in params.values():  # non-trivial weights everywhere (layer norms and biases included)
        value += 0.3 * rng.standard_normal(value.shape)
    return params


@pytest.mark.parametrize("chunks", [[1] * 12, [5, 1, 1, 5], [12], [3, 4, 5]], ids=["one-by-one", "prefill-5", "all-at-once", "uneven"])
def test_cached_logits_equal_the_full_forward_pass(chunks, rng):
    # Check against ex04's full forward pass: feeding the tokens in chunks through the cache gives the same logits.
    params = _model(rng)
    tokens = rng.integers(0, 9, size=(2, 12))
    full, _ = gpt.gpt_forward(params, tokens, 2)
    cache = ex.new_cache(params, 2, 2)
    pieces, start = [], 0
    for size in chunks:
        pieces.append(ex.forward_cached(params, tokens[:, start : start + size], cache, 2))
        start += size
        assert cache["length"] == start
    np.testing.assert_allclose(np.concatenate(pieces, axis=1), full, atol=LOGIT_ATOL, rtol=0)


def test_cache_holds_the_keys_of_the_full_pass(rng):
    # Check that the cached keys of block 0 are LN_1(x_0) Wk + bk of the full pass, split into heads.
    params = _model(rng, n_layers=1)
    tokens = rng.integers(0, 9, size=(1, 6))
    cache = ex.new_cache(params, 1, 2)
    ex.forward_cached(params, tokens, cache, 2)
    x0 = params["tok_emb"][tokens] + params["pos_emb"][:6]
    mean, var = x0.mean(-1, keepdims=True), x0.var(-1, keepdims=True)
    h = params["block0.ln1_gamma"] * (x0 - mean) / np.sqrt(var + 1e-5) + params["block0.ln1_beta"]
    keys = (h @ params["block0.Wk"] + params["block0.bk"]).reshape(1, 6, 2, 4).transpose(0, 2, 1, 3)
    np.testing.assert_allclose(cache["k"][0][:, :, :6], keys, atol=1e-12)
    np.testing.assert_array_equal(cache["k"][0][:, :, 6:], 0.0)  # nothing written past the filled positions


@pytest.mark.parametrize("sampling", [dict(top_k=1), dict(temperature=0.8), dict(top_p=0.9)], ids=["greedy", "temperature", "top-p"])
def test_cached_generation_gives_identical_tokens(sampling, rng):
    # Check that generation with and without the cache, from the same seed, writes the same tokens.
    params = _model(rng)
    prompt = [1, 4, 2]
    with_cache = ex.generate_cached(params, prompt, 9, 2, np.random.default_rng(7), **sampling)
    without = ex.generate_recomputing(params, prompt, 9, 2, np.random.default_rng(7), **sampling)
    assert with_cache == without and len(with_cache) == 12


def test_bad_input(rng):
    # Check the error messages: past the block size, or a batch that does not match the cache.
    params = _model(rng)
    cache = ex.new_cache(params, 1, 2)
    ex.forward_cached(params, np.zeros((1, 10), dtype=int), cache, 2)
    with pytest.raises(ValueError, match="10 \\+ c <= 12"):
        ex.forward_cached(params, np.zeros((1, 3), dtype=int), cache, 2)
    with pytest.raises(ValueError, match="shape \\(1, c\\)"):
        ex.forward_cached(params, np.zeros((2, 1), dtype=int), ex.new_cache(params, 1, 2), 2)
    with pytest.raises(ValueError, match="exceed block_size"):
        ex.generate_cached(params, [1, 2, 3], 11, 2, rng)
