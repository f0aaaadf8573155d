"""Tests for ex01_bpe_tokenizer: pair counting, merging, training, encoding and exact round trips."""

from collections import Counter

import numpy as np
import pytest

import utils

ex = utils.load_exercise("07-advanced-deep-learning/ex01_bpe_tokenizer.py")

TRAIN_TEXT = "the cat sat on the mat. the cat ate the rat; then the cat sat on the hat.\n" * 3


def test_count_pairs_by_hand():
    # Check by hand: [1, 2, 1, 2, 1] has the pairs (1, 2) twice and (2, 1) twice; a weight multiplies them.
    assert ex.count_pairs([1, 2, 1, 2, 1]) == Counter({(1, 2): 2, (2, 1): 2})
    counts = ex.count_pairs([5, 5, 5], weight=3)
    assert counts == Counter({(5, 5): 6})
    assert ex.count_pairs([7]) == Counter()


def test_merge_pair_left_to_right_without_overlap():
    # Check by hand: in "aaa" the pair (a, a) is merged once from the left; other tokens stay.
    assert ex.merge_pair([97, 97, 97], (97, 97), 256) == [256, 97]
    assert ex.merge_pair([1, 2, 3, 1, 2], (1, 2), 300) == [300, 3, 300]
    assert ex.merge_pair([2, 1], (1, 2), 300) == [2, 1]
    assert ex.merge_pair([], (1, 2), 300) == []


def test_training_on_the_classic_example():
    # Check by hand (the textbook example "aaabdaaabac"): the merges are aa -> Z, ab -> Y
    # (tied with Za at 2; (a, b) = (97, 98) is the smaller pair), then ZY -> X, giving "XdXac".
    tok = ex.BPETokenizer().train("aaabdaaabac", 259)
    assert tok.merges_ == [(97, 97), (97, 98), (256, 257)]
    assert tok.vocab_[256:] == [b"aa", b"ab", b"aaab"]
    assert tok.encode("aaabdaaabac") == [258, ord("d"), 258, ord("a"), ord("c")]


def test_merges_stay_inside_chunks():
    # Check that no token crosses a chunk boundary: a word and the next word's leading space.
    tok = ex.BPETokenizer().train("ab ab ab ab", 300)
    for token in tok.vocab_[256:]:
        assert token.strip() and token.count(b" ") <= 1 and not token.endswith(b" ")
    assert tok.vocab_[-1] in (b" ab", b"ab")


@pytest.mark.parametrize("text", [
    "", "a", "the cat sat", "  two  spaces\n\nand\ttabs  ", "Größe 大きさ résumé 🙂👍🏽", "e\u0301 (combining accent)",
    "x_y__z 3.14159 1,000,000 ²³ \x00\x07 control", "the cat sat on the mat. the cat ate the rat;",
])
def test_encode_decode_round_trips_exactly(text):
    # Check the contract: decode(encode(s)) == s for any string, trained or not, seen or unseen characters.
    for tok in (ex.BPETokenizer(), ex.BPETokenizer().train(TRAIN_TEXT, 290)):
        ids = tok.encode(text)
        assert all(isinstance(i, int) and 0 <= i < tok.vocab_size for i in ids)
        assert tok.decode(ids) == text


def test_random_unicode_round_trips(rng):
    # Check the round trip on random strings of code points from every plane (surrogates excluded).
    tok = ex.BPETokenizer().train(TRAIN_TEXT, 280)
    for _ in range(20):
        points = rng.integers(1, 0x10FFFF, size=30)
        text = "".join(chr(p) for p in points if not 0xD800 <= p <= 0xDFFF) + " the cat"
        assert tok.decode(tok.encode(text)) == text


def test_untrained_tokenizer_is_utf8_bytes():
    # Check against Python's own UTF-8 encoder: with no merges, the ids are the bytes.
    text = "héllo 🙂"
    assert ex.BPETokenizer().encode(text) == list(text.encode("utf-8"))


def test_unseen_characters_fall_back_to_bytes():
    # Check that a character absent from training encodes to its raw UTF-8 bytes (ids < 256), not an <unk>.
    tok = ex.BPETokenizer().train(TRAIN_TEXT, 300)
    assert tok.encode("€") == list("€".encode("utf-8"))


def test_encoding_uses_merges_and_compresses():
    # Check that training compresses its own text (more bytes per token), that the encoding of
    # each token's bytes is that token, and that ratios grow with the vocabulary.
    small = ex.BPETokenizer().train(TRAIN_TEXT, 270)
    large = ex.BPETokenizer().train(TRAIN_TEXT, 300)
    assert ex.compression_ratio(ex.BPETokenizer(), TRAIN_TEXT) == 1.0
    assert 1.0 < ex.compression_ratio(small, TRAIN_TEXT) < ex.compression_ratio(large, TRAIN_TEXT)
    assert large.encode(" the") == [large.vocab_.index(b" the")]
    # Every learned token is the concatenation of its merge pair, and the vocabulary has no duplicates.
    for m, (a, b) in enumerate(large.merges_):
        assert large.vocab_[256 + m] == large.vocab_[a] + large.vocab_[b]
    assert len(set(large.vocab_)) == len(large.vocab_)


def test_encode_replays_merges_in_training_order():
    # Check a case where the order matters: merges learned as (b, c) first, then (a, b), must encode "abc"
    # as [a, bc]; merging (a, b) first would give [ab, c].
    tok = ex.BPETokenizer()
    tok.merges_ = [(98, 99), (97, 98)]
    tok.vocab_ = tok.vocab_ + [b"bc", b"ab"]
    assert tok.encode("abc") == [97, 256]
    assert tok.encode("abab") == [257, 257]


def test_training_is_deterministic_and_stops_when_nothing_is_left():
    # Check that the same text gives the same merges, and a tiny text cannot give more merges than pairs.
    a = ex.BPETokenizer().train(TRAIN_TEXT, 290)
    b = ex.BPETokenizer().train(TRAIN_TEXT, 290)
    assert a.merges_ == b.merges_
    tiny = ex.BPETokenizer().train("ab", 1000)
    assert tiny.merges_ == [(97, 98)] and tiny.vocab_size == 257


def test_bad_input():
    # Check the error messages for a too-small vocabulary, non-text input and out-of-range ids.
    with pytest.raises(ValueError, match="at least 256"):
        ex.BPETokenizer().train("abc", 100)
    with pytest.raises(TypeError, match="str"):
        ex.BPETokenizer().train(b"abc", 300)
    with pytest.raises(TypeError, match="str"):
        ex.BPETokenizer().encode(None)
    with pytest.raises(ValueError, match="0..255"):
        ex.BPETokenizer().decode([65, 256])
    with pytest.raises(ValueError, match="token ids"):
        ex.BPETokenizer().decode([-1])
    np.testing.assert_equal(ex.BPETokenizer().decode(np.array([72, 105])), "Hi")
