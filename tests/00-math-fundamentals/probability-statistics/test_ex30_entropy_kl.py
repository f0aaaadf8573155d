"""Tests for ex30_entropy_kl: entropy, cross-entropy, KL divergence and the cross-entropy loss."""

import numpy as np
import pytest
import scipy.stats
from sklearn.metrics import log_loss

import utils

ex = utils.load_exercise("00-math-fundamentals/probability-statistics/ex30_entropy_kl.py")

RTOL = 1e-10
ATOL = 1e-12


@pytest.fixture
def pairs(rng):
    # Random distribution pairs of several sizes, one with zeros in p (where q is positive).
    out = [(rng.dirichlet(np.ones(k)), rng.dirichlet(np.ones(k))) for k in (2, 3, 10)]
    p = np.array([0.0, 0.6, 0.0, 0.4])
    out.append((p, rng.dirichlet(np.ones(4))))
    return out


def test_entropy_by_hand():
    # Check that, worked by hand, a fair coin has 1 bit; a fair die log2(6) bits; a certain outcome 0;
    # (1/2, 1/4, 1/4) has 1/2 * 1 + 2 * 1/4 * 2 = 1.5 bits; in nats a fair coin is log 2.
    assert ex.entropy([0.5, 0.5], base=2) == pytest.approx(1.0)
    assert ex.entropy(np.full(6, 1 / 6), base=2) == pytest.approx(np.log2(6))
    assert ex.entropy([1.0, 0.0, 0.0]) == 0.0
    assert ex.entropy([0.5, 0.25, 0.25], base=2) == pytest.approx(1.5)
    assert ex.entropy([0.5, 0.5]) == pytest.approx(np.log(2))


def test_entropy_matches_scipy(pairs):
    # Check that H(p) in nats and bits agrees with scipy.stats.entropy, zeros in p included.
    for p, _ in pairs:
        np.testing.assert_allclose(ex.entropy(p), scipy.stats.entropy(p), rtol=RTOL, atol=ATOL)
        np.testing.assert_allclose(ex.entropy(p, base=2), scipy.stats.entropy(p, base=2), rtol=RTOL, atol=ATOL)


def test_kl_matches_scipy(pairs):
    # Check that KL(p || q) agrees with scipy.stats.entropy(p, qk), in nats and bits.
    for p, q in pairs:
        np.testing.assert_allclose(ex.kl_divergence(p, q), scipy.stats.entropy(p, q), rtol=RTOL, atol=ATOL)
        expected_bits = scipy.stats.entropy(p, q, base=2)
        np.testing.assert_allclose(ex.kl_divergence(p, q, base=2), expected_bits, rtol=RTOL, atol=ATOL)


def test_kl_by_hand_and_asymmetry():
    # Check that, worked by hand in bits, p = (1/2, 1/2), q = (1/4, 3/4) give:
    # KL(p || q) = 1/2 log2(2) + 1/2 log2(2/3) = 1 - log2(3)/2;
    # KL(q || p) = 1/4 log2(1/2) + 3/4 log2(3/2) = 3/4 log2(3) - 1. They differ.
    p, q = [0.5, 0.5], [0.25, 0.75]
    assert ex.kl_divergence(p, q, base=2) == pytest.approx(1 - np.log2(3) / 2)
    assert ex.kl_divergence(q, p, base=2) == pytest.approx(0.75 * np.log2(3) - 1)
    assert ex.kl_divergence(p, q) != pytest.approx(ex.kl_divergence(q, p))


def test_identities_and_gibbs_inequality(pairs):
    # Check that H(p, q) = H(p) + KL(p || q), KL >= 0, KL(p || p) = 0 and H(p, p) = H(p).
    for p, q in pairs:
        for base in (np.e, 2):
            np.testing.assert_allclose(
                ex.cross_entropy(p, q, base), ex.entropy(p, base) + ex.kl_divergence(p, q, base), rtol=RTOL
            )
        assert ex.kl_divergence(p, q) >= 0
        assert ex.kl_divergence(p, p) == pytest.approx(0.0, abs=ATOL)
        np.testing.assert_allclose(ex.cross_entropy(p, p), ex.entropy(p), rtol=RTOL, atol=ATOL)


def test_cross_entropy_by_hand():
    # Check that H((1, 0), (1/2, 1/2)) = -log2(1/2) = 1 bit (zeros of p contribute nothing), worked by hand.
    assert ex.cross_entropy([1.0, 0.0], [0.5, 0.5], base=2) == pytest.approx(1.0)
    # Against scipy: H(p, q) = H(p) + KL(p || q).
    p, q = np.array([0.2, 0.3, 0.5]), np.array([0.1, 0.6, 0.3])
    np.testing.assert_allclose(ex.cross_entropy(p, q), scipy.stats.entropy(p) + scipy.stats.entropy(p, q), rtol=RTOL)


def test_zero_probabilities_without_warnings():
    # Check that zeros behave as documented (RuntimeWarnings are errors here): zeros in p are skipped,
    # zeros in q where p > 0 give inf, zeros in q where p = 0 are harmless.
    p = np.array([0.5, 0.5, 0.0])
    assert ex.kl_divergence(p, [0.5, 0.0, 0.5]) == np.inf
    assert ex.cross_entropy(p, [0.0, 1.0, 0.0]) == np.inf
    assert ex.kl_divergence([0.5, 0.5, 0.0], [0.5, 0.5, 0.0]) == 0.0
    assert np.isfinite(ex.kl_divergence(p, [0.25, 0.75, 0.0]))
    assert ex.kl_divergence(p, [0.25, 0.25, 0.5]) == pytest.approx(np.log(2))  # by hand: log(0.5/0.25)


def test_cross_entropy_loss_is_the_mean_negative_log_likelihood(rng):
    # Check that the loss agrees with sklearn's log_loss and with the mean cross-entropy with one-hot labels.
    probs = rng.dirichlet(np.ones(3), size=20)
    y = rng.integers(0, 3, 20)
    loss = ex.cross_entropy_loss(probs, y)
    np.testing.assert_allclose(loss, log_loss(y, probs, labels=[0, 1, 2]), rtol=1e-9)
    onehot = np.eye(3)[y]
    np.testing.assert_allclose(loss, np.mean([ex.cross_entropy(t, p) for t, p in zip(onehot, probs)]), rtol=RTOL)


def test_cross_entropy_loss_is_minimised_by_the_label_frequencies():
    # Check that for a constant prediction q the loss is H(p_hat, q) and is smallest at q = p_hat (the MLE link).
    y = np.array([0, 2, 2, 1, 2, 0, 2, 2])  # p_hat = (2, 1, 5) / 8
    p_hat = np.array([2, 1, 5]) / 8
    loss_at = lambda q: ex.cross_entropy_loss(np.tile(q, (y.size, 1)), y)  # noqa: E731
    np.testing.assert_allclose(loss_at(p_hat), ex.entropy(p_hat), rtol=RTOL)
    np.testing.assert_allclose(loss_at([0.3, 0.3, 0.4]), ex.cross_entropy(p_hat, [0.3, 0.3, 0.4]), rtol=RTOL)
    for q in ([1 / 3, 1 / 3, 1 / 3], [0.2, 0.1, 0.7], [0.3, 0.1, 0.6]):
        assert loss_at(q) > loss_at(p_hat)


def test_cross_entropy_loss_clips_confident_mistakes():
    # Check that a probability 0 for the true label gives the finite -log(eps), with no warning,
    # and a perfect prediction gives 0.
    probs = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert ex.cross_entropy_loss(probs, np.array([0, 1])) == 0.0
    assert ex.cross_entropy_loss(probs, np.array([1, 1]), eps=1e-12) == pytest.approx(-np.log(1e-12) / 2)


@pytest.mark.parametrize(
    "p, message",
    [([0.5, 0.6], "sum to 1"), ([1.2, -0.2], "non-negative"), ([0.5, np.nan, 0.5], "finite"), ([[1.0]], r"\(K,\)")],
    ids=["not-summing-to-one", "negative", "nan", "2-D"],
)
def test_invalid_distributions_get_a_clear_error(p, message):
    # Check that an invalid probability vector is refused by every function, with the reason.
    with pytest.raises(ValueError, match=message):
        ex.entropy(p)
    with pytest.raises(ValueError, match=message):
        ex.kl_divergence(p, [0.5, 0.5])


def test_other_bad_input_gets_a_clear_error():
    # Check that bad input gets a clear error: mismatched lengths, a bad log base, bad labels or probabilities for the loss.
    with pytest.raises(ValueError, match="same length"):
        ex.cross_entropy([0.5, 0.5], [0.2, 0.3, 0.5])
    with pytest.raises(ValueError, match="base"):
        ex.entropy([0.5, 0.5], base=1)
    with pytest.raises(ValueError, match="labels"):
        ex.cross_entropy_loss(np.full((2, 2), 0.5), np.array([0, 2]))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        ex.cross_entropy_loss(np.array([[1.5, -0.5]]), np.array([0]))
    with pytest.raises(ValueError, match=r"\(n, K\)"):
        ex.cross_entropy_loss(np.full(3, 1 / 3), np.array([0]))
