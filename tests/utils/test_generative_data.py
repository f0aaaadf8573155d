"""utils.generative_data: the Gaussian ring, i.i.d. moons, the ring's scores and the sliced Wasserstein distance."""

import numpy as np
import pytest
from scipy.stats import wasserstein_distance

from utils import generative_data as gd

STAT_ATOL = 0.01  # sample statistics of 20,000 points


def test_ring_centers_by_hand():
    # Check 4 modes of radius 2: (2, 0), (0, 2), (-2, 0), (0, -2).
    np.testing.assert_allclose(gd.ring_centers(4, 2.0), [[2, 0], [0, 2], [-2, 0], [0, -2]], atol=1e-12)


def test_gaussian_ring_spread_and_labels():
    # Check that each point sits at its mode's centre with standard deviation sigma per coordinate.
    X, y = gd.make_gaussian_ring(20_000, sigma=0.05, random_state=0)
    offsets = X - gd.ring_centers()[y]  # (20000, 2)
    np.testing.assert_allclose(offsets.mean(axis=0), 0.0, atol=STAT_ATOL)
    np.testing.assert_allclose(offsets.std(axis=0), 0.05, atol=STAT_ATOL)
    assert set(np.unique(y)) == set(range(8))


def test_ring_mode_stats_on_real_and_collapsed_samples():
    # Check: real data covers 8 modes with ~98.9 % within 3 sigma (1 - e^{-4.5} for a 2-D Gaussian);
    # all points on one centre give 1 mode and 100 %; points at the origin give 0 modes and 0 %.
    X, _ = gd.make_gaussian_ring(20_000, random_state=1)
    modes, quality = gd.ring_mode_stats(X)
    assert modes == 8 and quality == pytest.approx(1 - np.exp(-4.5), abs=STAT_ATOL)
    assert gd.ring_mode_stats(np.tile(gd.ring_centers()[3], (100, 1))) == (1, 1.0)
    assert gd.ring_mode_stats(np.zeros((100, 2))) == (0, 0.0)
    with pytest.raises(ValueError, match="samples must have shape"):
        gd.ring_mode_stats(np.zeros((5, 3)))


def test_two_moons_are_independent_samples_on_the_half_circles():
    # Check that noise-free points lie on the unit circles' halves and that two seeds give different points.
    X, y = gd.make_two_moons(500, noise=0.0, random_state=0)
    centre = np.where(y[:, None] == 0, [0.0, 0.0], [1.0, 0.5])  # (500, 2)
    np.testing.assert_allclose(np.linalg.norm(X - centre, axis=1), 1.0, atol=1e-12)
    assert not np.allclose(X, gd.make_two_moons(500, noise=0.0, random_state=1)[0])


def test_sliced_wasserstein_in_one_dimension_matches_scipy(rng):
    # Check that in 1-D (every direction is +-1) the distance equals scipy's Wasserstein-1.
    a, b = rng.standard_normal((300, 1)), 0.5 + 2 * rng.standard_normal((300, 1))
    assert gd.sliced_wasserstein(a, b, n_projections=5, random_state=0) == pytest.approx(
        wasserstein_distance(a[:, 0], b[:, 0]), rel=1e-12)


def test_sliced_wasserstein_of_a_shift():
    # Check by hand: shifting a cloud by s in 2-D moves each projection by s . u, so the distance is
    # |s| E|cos theta| = |s| 2 / pi for uniform directions (here s = (3, 0), many projections).
    X = np.random.default_rng(0).standard_normal((200, 2))
    value = gd.sliced_wasserstein(X, X + [3.0, 0.0], n_projections=20_000, random_state=1)
    assert value == pytest.approx(3.0 * 2 / np.pi, rel=0.01)
    assert gd.sliced_wasserstein(X, X, random_state=0) == 0.0
    with pytest.raises(ValueError, match="same shape"):
        gd.sliced_wasserstein(X, X[:10])
