"""Tests for ex05_random_reproducibility: same seed same output, independent streams, aligned shuffles."""

import numpy as np
import pytest

import utils

ex = utils.load_exercise("01-python-for-ml/ex05_random_reproducibility.py")

N_DRAWS = 1000
MAX_ABS_CORRELATION = 0.15  # about 5 standard errors (1 / sqrt(1000) = 0.032) for independent streams
PI_N_POINTS = 100_000
PI_TOLERANCE = 6 * 4 * np.sqrt(np.pi / 4 * (1 - np.pi / 4) / PI_N_POINTS)  # 6 standard errors, about 0.031


def draws(generators, n=N_DRAWS):
    return [g.random(n) for g in generators]


def test_spawn_same_seed_same_streams():
    # Check that running twice with the same seed gives identical streams, stream by stream.
    for a, b in zip(draws(ex.spawn_generators(7, 3)), draws(ex.spawn_generators(7, 3))):
        np.testing.assert_array_equal(a, b)


def test_spawn_streams_differ_and_look_independent():
    # Check that the streams of one seed differ pairwise and are uncorrelated (|r| small),
    # which a learner who hands every worker the same Generator or seed would fail.
    streams = draws(ex.spawn_generators(7, 4))
    for i in range(4):
        for j in range(i + 1, 4):
            assert not np.array_equal(streams[i], streams[j])
            assert abs(np.corrcoef(streams[i], streams[j])[0, 1]) < MAX_ABS_CORRELATION


def test_spawn_different_seeds_share_no_stream():
    # Check that seeds 0 and 1 have no stream in common. Seeding worker k with seed + k would fail:
    # seed 0's stream 1 would equal seed 1's stream 0.
    first = draws(ex.spawn_generators(0, 3), n=5)
    second = draws(ex.spawn_generators(1, 3), n=5)
    for a in first:
        for b in second:
            assert not np.array_equal(a, b)


def test_spawn_matches_seedsequence_children():
    # Check that the streams follow NumPy's own recipe: stream k is default_rng(SeedSequence(seed).spawn(n)[k]),
    # so stream k does not depend on how many streams were asked for.
    children = np.random.SeedSequence(11).spawn(5)
    for k, stream in enumerate(ex.spawn_generators(11, 2)):
        np.testing.assert_array_equal(stream.random(5), np.random.default_rng(children[k]).random(5))


def test_spawn_refuses_zero_streams():
    # Check that a count of 0 gets a clear error.
    with pytest.raises(ValueError, match="n_streams"):
        ex.spawn_generators(0, 0)


def make_pairs(n=50):
    """Rows whose every entry encodes the row's label, so alignment is visible: X[i] = (10 y_i, 10 y_i + 1)."""
    y = np.arange(n) * 3 + 1  # (n,) distinct labels
    X = np.column_stack([10 * y, 10 * y + 1])  # (n, 2)
    return X, y


def test_shuffle_keeps_pairs_aligned():
    # Check that after shuffling, every row still carries its own label.
    X, y = make_pairs()
    Xs, ys = ex.shuffle_together(X, y, np.random.default_rng(3))
    np.testing.assert_array_equal(Xs[:, 0], 10 * ys)
    np.testing.assert_array_equal(Xs[:, 1], 10 * ys + 1)


def test_shuffle_is_a_permutation_and_not_the_identity():
    # Check that the rows are the same multiset (nothing lost or repeated) in a new order.
    X, y = make_pairs()
    Xs, ys = ex.shuffle_together(X, y, np.random.default_rng(3))
    np.testing.assert_array_equal(np.sort(ys), y)
    np.testing.assert_array_equal(Xs[np.argsort(ys)], X)
    assert not np.array_equal(ys, y)


def test_shuffle_is_reproducible_and_depends_on_the_seed():
    # Check that the same seed twice gives the same order, and another seed another order.
    X, y = make_pairs()
    _, a = ex.shuffle_together(X, y, np.random.default_rng(5))
    _, b = ex.shuffle_together(X, y, np.random.default_rng(5))
    _, c = ex.shuffle_together(X, y, np.random.default_rng(6))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_shuffle_leaves_the_inputs_alone_and_handles_one_sample():
    # Check that X and y are not shuffled in place, and that a single sample is fine.
    X, y = make_pairs()
    X_before, y_before = X.copy(), y.copy()
    ex.shuffle_together(X, y, np.random.default_rng(0))
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)
    Xs, ys = ex.shuffle_together(X[:1], y[:1], np.random.default_rng(0))
    np.testing.assert_array_equal(Xs, X[:1])
    np.testing.assert_array_equal(ys, y[:1])


def test_shuffle_refuses_bad_input():
    # Check that mismatched lengths and a seed passed where a Generator belongs get clear errors.
    with pytest.raises(ValueError, match="same number of samples"):
        ex.shuffle_together(np.ones((4, 2)), np.ones(3), np.random.default_rng(0))
    with pytest.raises(TypeError, match="Generator"):
        ex.shuffle_together(np.ones((4, 2)), np.ones(4), 0)


def test_monte_carlo_pi_is_close_and_reproducible():
    # Check that the estimate is within 6 standard errors of pi, the same for the same seed,
    # different for another seed, and a multiple of 4 / N.
    estimate = ex.monte_carlo_pi(PI_N_POINTS, np.random.default_rng(1))
    assert abs(estimate - np.pi) < PI_TOLERANCE
    assert estimate == ex.monte_carlo_pi(PI_N_POINTS, np.random.default_rng(1))
    assert estimate != ex.monte_carlo_pi(PI_N_POINTS, np.random.default_rng(2))
    assert (estimate * PI_N_POINTS / 4) == pytest.approx(round(estimate * PI_N_POINTS / 4))


def test_monte_carlo_pi_refuses_bad_input():
    # Check that zero points and a seed where a Generator belongs get clear errors.
    with pytest.raises(ValueError, match="n_points"):
        ex.monte_carlo_pi(0, np.random.default_rng(0))
    with pytest.raises(TypeError, match="Generator"):
        ex.monte_carlo_pi(10, 42)


def test_parallel_pi_uses_one_spawned_stream_per_worker():
    # Check that worker k's estimate equals monte_carlo_pi on spawned stream k, that workers differ,
    # and that running twice with the same seed repeats every estimate.
    estimates = ex.parallel_pi(9, n_workers=3, n_points=2000)
    assert estimates.shape == (3,)
    expected = [ex.monte_carlo_pi(2000, g) for g in ex.spawn_generators(9, 3)]
    np.testing.assert_array_equal(estimates, expected)
    assert len(set(estimates.tolist())) == 3
    np.testing.assert_array_equal(ex.parallel_pi(9, 3, 2000), estimates)
    assert not np.array_equal(ex.parallel_pi(10, 3, 2000), estimates)


def test_parallel_pi_worker_does_not_depend_on_pool_size():
    # Check that worker 0 computes the same estimate in a pool of 2 and a pool of 5.
    assert ex.parallel_pi(9, 2, 2000)[0] == ex.parallel_pi(9, 5, 2000)[0]
