"""Tests for ex07_seq2seq_transformer: the decoder block with cross-attention, the model's gradients, the data."""

import datetime
import re

import numpy as np
import pytest

import utils
from utils import gradcheck
from utils.text import make_dates

ex = utils.load_exercise("07-advanced-deep-learning/ex07_seq2seq_transformer.py")

GRAD_TOL = 1e-6
ATOL = 1e-12
ZERO_GRAD_ATOL = 1e-8  # key biases: a softmax ignores a shift of a whole row


def _jitter(params, rng, scale=0.2):
    for value in params.values():
        value += scale * rng.standard_normal(value.shape)
    return params


@pytest.mark.parametrize("n, t, s", [(1, 3, 4), (2, 2, 3)], ids=["batch-1", "batch-2"])
def test_decoder_block_gradients(n, t, s, rng):
    # Check dx, dmemory and every parameter gradient of the decoder block (cross-attention included),
    # with a padding mask on the memory (the second sequence has one padded position).
    params = _jitter(ex.init_decoder_block(4, 6, rng), rng)
    x, memory = rng.standard_normal((n, t, 4)), rng.standard_normal((n, s, 4))
    mask = np.ones((n, 1, s), dtype=bool)
    mask[-1, 0, -1] = n == 1
    dout = rng.standard_normal(x.shape)
    dx, dmemory, grads = ex.decoder_block_backward(dout, ex.decoder_block_forward(x, memory, params, 2, mask)[1])
    assert set(grads) == set(params)

    def f(_):
        return ex.decoder_block_forward(x, memory, params, 2, mask)[0]

    gradcheck.check_gradient(f, x, dx, dout, tol=GRAD_TOL)
    gradcheck.check_gradient(f, memory, dmemory, dout, tol=GRAD_TOL)
    for name, value in params.items():
        if name.endswith("bk"):
            np.testing.assert_allclose(grads[name], 0.0, atol=ZERO_GRAD_ATOL)
        else:
            gradcheck.check_gradient(f, value, grads[name], dout, tol=GRAD_TOL)


def test_model_gradients(rng):
    # Check every parameter of the whole encoder-decoder (1 + 1 blocks) on two padded dates.
    params = _jitter(ex.init_model(n_enc=1, n_dec=1, d_model=4, d_ff=6, max_src=24, random_state=1), rng)
    src, tgt = ex.encode_dates(["1.2.99", "3rd of May 2001"], ["1999-02-01", "2001-05-03"])
    _, grads = ex.model_loss(params, src, tgt, 2)
    assert set(grads) == set(params)

    def f(_):
        return ex.model_loss(params, src, tgt, 2)[0]

    for name, value in params.items():
        if name.endswith("bk"):
            np.testing.assert_allclose(grads[name], 0.0, atol=ZERO_GRAD_ATOL)
        elif name == "enc_pos":  # only the first S rows are used; check those, the rest must be 0
            np.testing.assert_allclose(grads[name][src.shape[1] :], 0.0)
            gradcheck.check_gradient(f, value, grads[name], tol=GRAD_TOL)
        else:
            gradcheck.check_gradient(f, value, grads[name], tol=GRAD_TOL)


def test_padding_is_invisible_and_the_decoder_is_causal(rng):
    # Check that extra padding does not change the logits, and that decoder position i ignores inputs after i.
    params = _jitter(ex.init_model(d_model=8, d_ff=8, random_state=2), rng)
    src, _ = ex.encode_dates(["4 Jul 1976"], ["1976-07-04"])
    padded = np.concatenate([src, np.zeros((1, 5), dtype=int)], axis=1)
    dec_in = np.array([[ex.BOS, 1, 9, 7, 6]])
    logits = [ex.decode(params, *ex.encode(params, s, 2)[:2], dec_in, 2)[0] for s in (src, padded)]
    np.testing.assert_allclose(logits[1], logits[0], atol=1e-10)
    changed = dec_in.copy()
    changed[0, 3] = 0
    after = ex.decode(params, *ex.encode(params, src, 2)[:2], changed, 2)[0]
    np.testing.assert_allclose(after[:, :3], logits[0][:, :3], atol=ATOL)


def _parse(written):
    """An independent reader of the six written formats, with Python's strptime."""
    text = re.sub(r"(\d+)(st|nd|rd|th)", r"\1", written).replace(" of ", " ")
    for fmt in ("%d %B %Y", "%B %d, %Y", "%d %b %Y", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    day, month, year = map(int, text.split("."))  # "3.3.97": two-digit years 50-99 are 19xx, 00-49 are 20xx
    return datetime.date(1900 + year if year >= 50 else 2000 + year, month, day)


def test_dates_are_correct_and_splits_are_disjoint(rng):
    # Check the generator against strptime on every format, and that train and test days never overlap.
    written, iso = make_dates(400, rng)
    for w, s in zip(written, iso):
        assert _parse(w.capitalize() if w[0].islower() else w).isoformat() == s, w
    train = make_dates(500, rng, split="train")[1]
    test = make_dates(500, rng, split="test")[1]
    assert not set(train) & set(test)
    assert all(datetime.date.fromisoformat(s).toordinal() % 10 == 0 for s in test)
    with pytest.raises(ValueError, match="split"):
        make_dates(3, rng, split="validation")


def test_training_lowers_the_loss():
    # Check that a few Adam steps lower the teacher-forced loss from about log 11.
    _, losses = ex.train(n_steps=25, batch_size=16, d_model=16, d_ff=16, n_enc=1, n_dec=1)
    assert losses[0] > 2.0 and np.mean(losses[-5:]) < 0.75 * losses[0]


def test_teacher_forcing_input_by_hand():
    # Check by hand: targets "12" and "-9" become BOS then the first character.
    np.testing.assert_array_equal(ex.teacher_forcing_input(np.array([[1, 2], [10, 9]])), [[ex.BOS, 1], [ex.BOS, 10]])
