"""Tests for ex08_beam_search: greedy decoding, beam search, the score of an output."""

import numpy as np
import pytest

import utils
from utils.text import make_dates

ex = utils.load_exercise("07-advanced-deep-learning/ex08_beam_search.py")
seq2seq = utils.load_exercise("07-advanced-deep-learning/ex07_seq2seq_transformer.py", practice=False)

ATOL = 1e-10


def _jitter(params, rng, scale=0.2):
    for value in params.values():
        value += scale * rng.standard_normal(value.shape)
    return params


def test_greedy_takes_the_argmax_given_its_own_prefix(rng):
    # Check that each greedy character is the decoder's most likely next character after the greedy prefix.
    params = _jitter(seq2seq.init_model(d_model=8, d_ff=8, random_state=4), rng, scale=0.5)
    src, _ = seq2seq.encode_dates(*make_dates(5, rng))
    out = ex.greedy_decode(params, src, 2)
    assert out.shape == (5, 10)
    logits = seq2seq.decode(params, *seq2seq.encode(params, src, 2)[:2], seq2seq.teacher_forcing_input(out), 2)[0]
    np.testing.assert_array_equal(out, logits.argmax(axis=-1))  # causal: position i sees the prefix only


def test_beam_of_width_1_is_greedy_and_wider_beams_score_at_least_as_well(rng):
    # Check beam search: width 1 equals greedy decoding; a wider beam never finds a less likely output.
    params = _jitter(seq2seq.init_model(d_model=8, d_ff=8, random_state=3), rng, scale=0.5)
    src, _ = seq2seq.encode_dates(*make_dates(6, rng))

    def log_prob(seq):
        dec_in = np.concatenate([np.full((len(seq), 1), seq2seq.BOS), seq[:, :-1]], axis=1)
        logits = seq2seq.decode(params, *seq2seq.encode(params, src, 2)[:2], dec_in, 2)[0]
        logp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
        return np.take_along_axis(logp, seq[..., None], axis=-1).sum(axis=(1, 2))

    greedy = ex.greedy_decode(params, src, 2)
    np.testing.assert_array_equal(ex.beam_decode(params, src, 2, beam_width=1), greedy)
    assert np.all(log_prob(ex.beam_decode(params, src, 2, beam_width=4)) >= log_prob(greedy) - 1e-9)


def test_sequence_log_prob_is_minus_ten_times_the_loss(rng):
    # Check against ex07's teacher-forced loss: for one date, log P(y | s) = -10 x the mean cross-entropy.
    params = _jitter(seq2seq.init_model(d_model=8, d_ff=8, random_state=5), rng)
    src, tgt = seq2seq.encode_dates(["4 Jul 1976", "1.2.99"], ["1976-07-04", "1999-02-01"])
    expected = [-10 * seq2seq.model_loss(params, src[i : i + 1], tgt[i : i + 1], 2)[0] for i in range(2)]
    np.testing.assert_allclose(ex.sequence_log_prob(params, src, tgt, 2), expected, atol=ATOL)


def test_exact_accuracy_and_bad_beam_width():
    # Check by hand: one of two rows right is 50%; a beam of width 0 is refused.
    assert ex.exact_accuracy(np.array([[1, 2], [3, 4]]), np.array([[1, 2], [3, 5]])) == 0.5
    with pytest.raises(ValueError, match="beam_width"):
        ex.beam_decode(seq2seq.init_model(d_model=8, d_ff=8), np.ones((1, 4), dtype=int), 2, beam_width=0)
