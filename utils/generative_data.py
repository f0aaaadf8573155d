"""Data and scores for the generative models of module 07.

- ``make_gaussian_ring``: the ring of Gaussians on which GANs are known to lose
  modes (Metz et al. 2017, "Unrolled GANs"; Srivastava et al. 2017, "VEEGAN").
- ``make_two_moons``: two interleaving half circles with angles drawn at random,
  so that two calls give two independent samples of the same distribution.
- ``ring_mode_stats``: how many of the ring's modes a sample covers and which
  fraction of it is "high quality" (within 3 standard deviations of a mode).
- ``sliced_wasserstein``: a distance between two point clouds, the average of
  one-dimensional Wasserstein-1 distances along random directions.

Every function that draws random numbers takes ``random_state`` (an int seed,
``None`` or a ``np.random.Generator``), as ``utils.data`` does.
"""

import numpy as np

from utils.data import as_rng

__all__ = ["ring_centers", "make_gaussian_ring", "make_two_moons", "ring_mode_stats", "sliced_wasserstein"]


def _positive_int(value, name):
    if isinstance(value, bool) or int(value) != value or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return int(value)


def ring_centers(n_modes=8, radius=2.0):
    """The modes' centres, evenly spaced on a circle: shape (n_modes, 2), the first at (radius, 0)."""
    n_modes = _positive_int(n_modes, "n_modes")
    if not radius > 0:
        raise ValueError(f"radius must be positive; got {radius!r}")
    angles = 2 * np.pi * np.arange(n_modes) / n_modes  # (n_modes,)
    return radius * np.column_stack([np.cos(angles), np.sin(angles)])  # (n_modes, 2)


def make_gaussian_ring(n_samples=2500, n_modes=8, radius=2.0, sigma=0.02, random_state=None):
    """Points from an equal mixture of isotropic Gaussians N(centre_k, sigma^2 I) on a ring.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples,), the mode each point was drawn from
    """
    n_samples = _positive_int(n_samples, "n_samples")
    if not sigma > 0:
        raise ValueError(f"sigma must be positive; got {sigma!r}")
    rng = as_rng(random_state)
    centers = ring_centers(n_modes, radius)  # (n_modes, 2)
    y = rng.integers(0, len(centers), size=n_samples)  # (n_samples,)
    X = centers[y] + sigma * rng.standard_normal((n_samples, 2))  # (n_samples, 2)
    return X, y


def make_two_moons(n_samples=2000, noise=0.05, random_state=None):
    """Points on two interleaving half circles plus Gaussian noise, i.i.d.

    The shape of ``utils.data.make_moons``, but there the angles are evenly
    spaced, so two of its samples are nearly the same points. Here each angle is
    drawn uniformly at random: two calls are two independent samples, which is
    what a distance between real samples (a generative model's yardstick) needs.

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples,), the moon (0 or 1) of each point
    """
    n_samples = _positive_int(n_samples, "n_samples")
    if noise < 0:
        raise ValueError(f"noise must be non-negative; got {noise!r}")
    rng = as_rng(random_state)
    y = rng.integers(0, 2, size=n_samples)  # (n_samples,)
    angle = rng.uniform(0.0, np.pi, size=n_samples)  # (n_samples,)
    outer = np.column_stack([np.cos(angle), np.sin(angle)])  # (n_samples, 2)
    inner = np.column_stack([1.0 - np.cos(angle), 0.5 - np.sin(angle)])  # (n_samples, 2)
    X = np.where(y[:, None] == 0, outer, inner) + noise * rng.standard_normal((n_samples, 2))
    return X, y


def ring_mode_stats(samples, n_modes=8, radius=2.0, sigma=0.02, n_std=3.0, min_count=20):
    """(modes covered, fraction of high-quality samples) of generated points on the ring.

    A sample is high quality when it lies within ``n_std * sigma`` of its nearest
    centre (the definition of Srivastava et al. 2017). We count a mode as covered
    when at least ``min_count`` high-quality samples sit at it, so a few stray
    points do not count as a mode found (with 2,500 samples a fair share is 312).

    Returns
    -------
    n_covered : int
    quality : float in [0, 1]
    """
    samples = np.asarray(samples, dtype=float)
    if samples.ndim != 2 or samples.shape[1] != 2 or len(samples) == 0:
        raise ValueError(f"samples must have shape (n_samples, 2) with n_samples > 0; got {samples.shape}")
    centers = ring_centers(n_modes, radius)  # (n_modes, 2)
    distances = np.linalg.norm(samples[:, None, :] - centers[None, :, :], axis=2)  # (n_samples, n_modes)
    nearest = distances.argmin(axis=1)  # (n_samples,)
    good = distances.min(axis=1) <= n_std * sigma  # (n_samples,)
    counts = np.bincount(nearest[good], minlength=len(centers))  # (n_modes,)
    return int(np.sum(counts >= min_count)), float(good.mean())


def sliced_wasserstein(A, B, n_projections=200, random_state=None):
    """Sliced Wasserstein-1 distance between two equally large point clouds A, B of shape (n, d).

    For a unit direction u, the projections A u and B u are 1-D samples, and for
    two 1-D samples of the same size the Wasserstein-1 distance is the mean
    absolute difference of their sorted values. We average it over
    ``n_projections`` directions drawn uniformly on the sphere.
    """
    A, B = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
    if A.ndim != 2 or A.shape != B.shape or len(A) == 0:
        raise ValueError(f"A and B must be 2-D arrays of the same shape (n, d); got {A.shape} and {B.shape}")
    rng = as_rng(random_state)
    directions = rng.standard_normal((A.shape[1], _positive_int(n_projections, "n_projections")))  # (d, P)
    directions /= np.linalg.norm(directions, axis=0)  # unit columns: uniform directions on the sphere
    proj_a = np.sort(A @ directions, axis=0)  # (n, P)
    proj_b = np.sort(B @ directions, axis=0)  # (n, P)
    return float(np.mean(np.abs(proj_a - proj_b)))
