"""A random binary case shared by the threshold and calibration tests (exercises 08, 09 and 10).

The builder draws from the test's seeded ``rng`` fixture, so a test sees the same cases on every run.
"""

import numpy as np
import pytest


def _binary_case(rng, case):
    n = int(rng.integers(4, 80))
    y = rng.integers(0, 2, n)
    y[:2] = [0, 1]  # both classes, always
    y = rng.permutation(y)
    p = np.clip(rng.beta(2, 2, n) + 0.25 * (y - 0.5), 0, 1)
    if case % 3 == 0:
        p = np.round(p, 1)  # ties, values exactly on the bin edges 0.2, 0.4, ..., and 0 or 1
    return y, p


@pytest.fixture
def make_binary_case(rng):
    """make_binary_case(case) -> (y, p): 4-79 labels with both classes and scores in [0, 1] that lean
    towards the label; every third case rounds the scores to one decimal (ties, 0 and 1)."""
    return lambda case: _binary_case(rng, case)
