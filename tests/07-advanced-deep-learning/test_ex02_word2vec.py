"""Tests for ex02_word2vec: pairs, noise distribution, the SGNS loss and gradients, neighbours, analogies."""

import numpy as np
import pytest

import utils
from utils import gradcheck
from utils.text import make_analogy_corpus

ex = utils.load_exercise("07-advanced-deep-learning/ex02_word2vec.py")

GRAD_TOL = 1e-6
ATOL = 1e-12


def test_skipgram_pairs_by_hand():
    # Check by hand: "a b c" with window 1 gives (a,b), (b,a), (b,c), (c,b); sentences do not mix.
    index = {"a": 0, "b": 1, "c": 2}
    centres, contexts = ex.skipgram_pairs([["a", "b", "c"], ["c", "a"]], index, window=1)
    assert sorted(zip(centres.tolist(), contexts.tolist())) == sorted([(0, 1), (1, 0), (1, 2), (2, 1), (2, 0), (0, 2)])
    centres, _ = ex.skipgram_pairs([["a", "b", "c"]], index, window=5)
    assert len(centres) == 6  # every ordered pair of distinct positions


def test_noise_distribution_by_hand():
    # Check by hand: counts 16 and 1 give weights 16^0.75 = 8 and 1, so probabilities 8/9 and 1/9.
    np.testing.assert_allclose(ex.noise_distribution(np.array([16, 1])), [8 / 9, 1 / 9], atol=ATOL)


def test_loss_at_zero_vectors_is_k_plus_one_log_two():
    # Check by hand: all scores 0 give sigma = 1/2, so each pair costs (1 + K) log 2.
    W = np.zeros((4, 3))
    loss, _, _ = ex.sgns_loss(W, W.copy(), np.array([0, 1]), np.array([2, 3]), np.array([[1, 2, 3], [0, 0, 2]]))
    assert loss == pytest.approx(4 * np.log(2))


def test_gradients_match_numerical_gradients(rng):
    # Check dW_in and dW_out against central differences, with repeated words (in a batch and among negatives).
    W_in, W_out = rng.standard_normal((6, 4)), rng.standard_normal((6, 4))
    centres, contexts = np.array([0, 0, 3]), np.array([1, 2, 0])
    negatives = np.array([[4, 4], [5, 1], [0, 2]])
    _, d_in, d_out = ex.sgns_loss(W_in, W_out, centres, contexts, negatives)
    gradcheck.check_gradient(lambda _: ex.sgns_loss(W_in, W_out, centres, contexts, negatives)[0], W_in, d_in, tol=GRAD_TOL)
    gradcheck.check_gradient(lambda _: ex.sgns_loss(W_in, W_out, centres, contexts, negatives)[0], W_out, d_out, tol=GRAD_TOL)


def test_loss_is_finite_for_extreme_scores():
    # Check stability: scores of +-1000 give a finite loss (0 for perfectly right, 2000 for perfectly wrong), no warnings.
    W_in, W_out = np.array([[10.0, 0.0], [0.0, 0.0]]), np.array([[100.0, 0.0], [-100.0, 0.0]])
    loss, d_in, _ = ex.sgns_loss(W_in, W_out, np.array([0]), np.array([0]), np.array([[1]]))
    assert loss == pytest.approx(0.0, abs=1e-12) and np.all(np.isfinite(d_in))
    loss, _, _ = ex.sgns_loss(W_in, W_out, np.array([0]), np.array([1]), np.array([[0]]))
    assert loss == pytest.approx(2000.0)


def test_neighbours_and_analogy_on_hand_made_vectors():
    # Check by hand with vectors built as (gender, royalty): king - man + woman = queen exactly.
    W = np.array([[1.0, 0.0, 0.1], [-1.0, 0.0, 0.1], [1.0, 1.0, 0.1], [-1.0, 1.0, 0.1], [0.0, -1.0, 0.0]])  # man woman king queen x
    assert ex.analogy(W, 0, 2, 1) == 3
    assert ex.analogy(W, 2, 0, 3) == 1
    ids, sims = ex.nearest_neighbours(W, 2, k=2)
    assert 2 not in ids and np.all(np.diff(sims) <= 0)
    unit = W / np.linalg.norm(W, axis=1, keepdims=True)
    np.testing.assert_allclose(sims[0], np.max(np.delete(unit @ unit[2], 2)), atol=ATOL)


def test_training_learns_the_hidden_attributes():
    # Check that a short training run answers the gender and capital analogies of the generated corpus.
    sentences = make_analogy_corpus(2000, np.random.default_rng(0))
    W, words, index, losses = ex.train_word2vec(sentences, n_steps=400)
    assert np.mean(losses[-20:]) < 0.7 * losses[0]
    assert words[ex.analogy(W, index["man"], index["king"], index["woman"])] == "queen"
    assert words[ex.analogy(W, index["france"], index["paris"], index["italy"])] == "rome"


def test_bad_input():
    # Check the error messages for mismatched pair arrays and a bad window.
    W = np.zeros((3, 2))
    with pytest.raises(ValueError, match="negatives"):
        ex.sgns_loss(W, W, np.array([0, 1]), np.array([1]), np.array([[2], [2]]))
    with pytest.raises(ValueError, match="window"):
        ex.skipgram_pairs([["a"]], {"a": 0}, window=0)
