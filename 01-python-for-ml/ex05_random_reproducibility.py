"""
Exercise 05: random numbers you can reproduce: Generators, seeds and independent streams

Learning goals
--------------
- Draw random numbers from a np.random.Generator made from a seed, and pass it
  down to every function that needs randomness.
- Give parallel workers independent streams with SeedSequence.spawn (or
  Generator.spawn) instead of hand-made seeds.
- Shuffle features and labels together with one permutation, so pairs stay pairs.
- Explain why seeding NumPy's hidden global state is a trap.

The math
--------
A pseudo-random generator is a deterministic function: a state s_0 made from the
seed, an update s_{t+1} = f(s_t), and an output u_t = g(s_t). The same seed gives
the same state, so the same numbers. Each draw advances the state, so two draws
from one Generator differ, while two Generators built from the same seed agree.

SeedSequence(seed) hashes the seed (and a "spawn key" path such as (0,), (1,), (1, 0))
into a starting state. Children spawned from one parent have distinct keys, so
with overwhelming probability their streams do not overlap, and child k is the
same whether we spawn 3 children or 30.

Monte Carlo estimate of pi: draw N points uniformly in the unit square [0, 1)^2.
The fraction inside the quarter disc x^2 + y^2 <= 1 estimates its area pi / 4, so
    pi_hat = 4 * (number inside) / N,   standard error 4 * sqrt(p (1 - p) / N), p = pi / 4.

Algorithm
---------
1. spawn_generators: SeedSequence(seed).spawn(n), one Generator per child.
2. shuffle_together: draw ONE permutation of 0..n-1 and index X and y with it.
3. monte_carlo_pi: draw (N, 2) uniform points from the given Generator, count the inside.
4. parallel_pi: one spawned stream per worker, one estimate per worker.

References: NumPy reference, "Random Generator" and "Parallel random number generation";
M. E. O'Neill, "PCG: A family of simple fast space-efficient statistically good algorithms
for random number generation", Harvey Mudd College HMC-CS-2014-0905 (2014).
Difficulty: 1 of 3, about 20 minutes.
Run: python 01-python-for-ml/ex05_random_reproducibility.py
"""

# %%
import numpy as np

from utils import plotting
from utils.validation import check_positive_int

# %% [markdown]
# ## Why not seed the global state?
#
# Older code calls `np.random.seed` once, then `np.random.rand` and friends everywhere: ONE
# hidden generator shared by the whole process. A trap:
#
# - Any other code that draws from it (a library, a test that ran first) shifts every
#   number you draw afterwards: your result depends on what else ran, and in what order.
# - Workers started by `fork` inherit a copy of the global state and draw the same numbers.
# - Reseeding by hand (`seed + worker_id`) couples experiments: seed 0's worker 1 gets
#   the very same stream as seed 1's worker 0. (`random.seed` does not seed NumPy either.)
#
# A `Generator` is an ordinary object: make it from a seed once and pass it (or streams
# spawned from it) to whatever needs randomness. This curriculum never calls the legacy functions.

# %% [markdown]
# ## Implementation


# %%
def _check_rng(rng):
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a np.random.Generator, e.g. np.random.default_rng(0); got {type(rng).__name__}")


def spawn_generators(seed, n_streams):
    """A list of n_streams independent np.random.Generator objects, all determined by one seed."""
    n_streams = check_positive_int(n_streams, "n_streams")
    # BEGIN SOLUTION
    # HINT 1: A SeedSequence can spawn independent child seeds; make one Generator per child.
    # HINT 2: [np.random.default_rng(c) for c in np.random.SeedSequence(seed).spawn(n_streams)]
    children = np.random.SeedSequence(seed).spawn(n_streams)  # distinct spawn keys (0,), (1,), ...
    return [np.random.default_rng(child) for child in children]
    # END SOLUTION


def shuffle_together(X, y, rng):
    """X and y in the same random order: row i of the result is still paired with label i.

    Returns new arrays; X and y are left as they were.
    """
    _check_rng(rng)
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0 or X.shape[0] != y.shape[0]:
        raise ValueError(f"X and y must have the same number of samples (first axis); got shapes {X.shape} and {y.shape}")
    # BEGIN SOLUTION
    # HINT 1: Draw ONE permutation and apply it to both arrays, so rows and labels stay paired.
    # HINT 2: order = rng.permutation(n); return X[order], y[order]
    # One permutation for both. Shuffling X and then y with two calls would use two
    # different permutations (the Generator's state moves on between them).
    order = rng.permutation(X.shape[0])  # (n_samples,): 0..n-1 in a random order
    return X[order], y[order]  # fancy indexing copies
    # END SOLUTION


def monte_carlo_pi(n_points, rng):
    """Estimate pi from n_points uniform points in the unit square (4 x the fraction inside the quarter disc)."""
    _check_rng(rng)
    n_points = check_positive_int(n_points, "n_points")
    # BEGIN SOLUTION
    # HINT 1: Throw uniform points into the unit square; the
    # HINT 1: fraction inside the quarter circle is pi / 4.
    # HINT 2: pi ~ 4 * count(x^2 + y^2 <= 1) / n_points
    # HINT 3: points = rng.random((n_points, 2)); inside = np.sum(points**2, axis=1) <= 1.0
    # HINT 3: return 4.0 * np.count_nonzero(inside) / n_points
    points = rng.random((n_points, 2))  # (n_points, 2), uniform on [0, 1)
    inside = np.sum(points**2, axis=1) <= 1.0  # (n_points,) booleans
    return 4.0 * np.count_nonzero(inside) / n_points
    # END SOLUTION


def parallel_pi(seed, n_workers, n_points):
    """One pi estimate per worker, shape (n_workers,), worker k drawing only from spawned stream k."""
    n_workers = check_positive_int(n_workers, "n_workers")
    # BEGIN SOLUTION
    # HINT 1: Give each worker its own spawned stream, so the result does not depend on scheduling.
    # HINT 2: [monte_carlo_pi(n_points, s) for s in spawn_generators(seed, n_workers)]
    streams = spawn_generators(seed, n_workers)
    # Here the "workers" run one after another; in a process pool, each would get its stream
    # (or its SeedSequence child) as an argument, and the result would be the same.
    return np.array([monte_carlo_pi(n_points, stream) for stream in streams])  # (n_workers,)
    # END SOLUTION


# %% [markdown]
# ## Demo


# %%
def main():
    print("Same seed, same numbers; another seed, other numbers:")
    for seed in (42, 42, 7):
        print(f"  default_rng({seed}).random(3) ->", np.round(np.random.default_rng(seed).random(3), 4))
    rng = np.random.default_rng(42)
    print("  one Generator, two draws   ->", np.round(rng.random(3), 4), np.round(rng.random(3), 4), "(the state moved on)")

    print("\nSpawned streams of seed 2024 (first draw of each), and Generator.spawn:")
    for k, stream in enumerate(spawn_generators(2024, 3)):
        print(f"  stream {k}: {stream.random():.4f}")
    child_a, child_b = np.random.default_rng(2024).spawn(2)  # the same idea, straight from a Generator
    print(f"  default_rng(2024).spawn(2) -> {child_a.random():.4f}, {child_b.random():.4f} (the same children of the same seed)")

    # Shuffling: one permutation keeps pairs; two separate shuffles break them.
    data_rng = np.random.default_rng(0)
    x = np.sort(data_rng.uniform(0, 10, 200))  # (200,)
    X = x[:, None]  # (200, 1): one feature
    y = 2.0 * x + 1.0 + data_rng.normal(0, 1.0, x.size)  # (200,): y = 2x + 1 + noise
    print("\nShuffling 200 (x, y) pairs with y = 2x + 1 + noise:")
    X_good, y_good = shuffle_together(X, y, np.random.default_rng(1))
    X_bad, y_bad = X.copy(), y.copy()
    shuffler = np.random.default_rng(1)
    shuffler.shuffle(X_bad)  # two calls, two different permutations: the mistake
    shuffler.shuffle(y_bad)
    for name, (Xs, ys) in [("shuffle_together", (X_good, y_good)), ("two separate shuffles", (X_bad, y_bad))]:
        original = np.searchsorted(x, Xs[:, 0])  # (200,): where each shuffled x came from (x is sorted)
        kept = np.mean(ys == y[original])  # fraction of rows whose label is still their own
        print(f"  {name:22s}: {100 * kept:5.1f}% of (x, y) pairs intact, correlation {np.corrcoef(Xs[:, 0], ys)[0, 1]:+.2f}")

    print("\nMonte Carlo pi, one spawned stream per worker (seed 2024):")
    estimates = parallel_pi(2024, n_workers=4, n_points=20_000)
    again = parallel_pi(2024, n_workers=4, n_points=20_000)
    other = parallel_pi(2025, n_workers=4, n_points=20_000)
    se = 4 * np.sqrt(np.pi / 4 * (1 - np.pi / 4) / 20_000)
    print(f"  {'worker':>6s} {'seed 2024':>10s} {'again':>10s} {'seed 2025':>10s}")
    for k in range(4):
        print(f"  {k:6d} {estimates[k]:10.4f} {again[k]:10.4f} {other[k]:10.4f}")
    print(f"  mean of the 4 workers: {estimates.mean():.4f} (pi = {np.pi:.4f}, standard error of one worker {se:.4f})")

    fig, axes = plotting.new_figure(1, 2, width=5.2, height=4.2)
    n = np.arange(1, 20_001)  # (20000,)
    for k, stream in enumerate(spawn_generators(2024, 4)):
        inside = np.sum(stream.random((20_000, 2)) ** 2, axis=1) <= 1.0  # the same draws as monte_carlo_pi
        axes[0].plot(n, 4 * np.cumsum(inside) / n, lw=1, color=plotting.COLORS[k], label=f"stream {k}")
    rerun = spawn_generators(2024, 1)[0]
    inside = np.sum(rerun.random((20_000, 2)) ** 2, axis=1) <= 1.0
    axes[0].plot(n, 4 * np.cumsum(inside) / n, lw=1.5, ls=(0, (2, 3)), color="black", label="stream 0, rerun")
    axes[0].axhline(np.pi, color="grey", lw=1, label="pi")
    axes[0].set(xscale="log", ylim=(2.6, 3.8), xlabel="number of points N", ylabel="estimate of pi",
                title="Running estimates of pi: 4 spawned streams\n(a rerun with the same seed retraces stream 0)")
    axes[0].legend(loc="lower right", ncol=2)
    axes[1].scatter(X_bad[:, 0], y_bad, s=10, alpha=0.5, color=plotting.COLORS[3], label="two separate shuffles")
    axes[1].scatter(X_good[:, 0], y_good, s=10, alpha=0.7, color=plotting.COLORS[0], label="shuffle_together")
    axes[1].set(xlabel="x", ylabel="y", title="Shuffled data: pairs kept vs pairs broken\n(true relation y = 2x + 1 + noise)")
    axes[1].legend(loc="upper left")
    fig.tight_layout()
    plotting.show_or_save(fig, "ex05_random_reproducibility")


if __name__ == "__main__":
    main()
