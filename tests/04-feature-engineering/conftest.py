"""Small categorical data sets shared by the encoder tests (exercises 09, 10, 17 and 18).

Each builder draws from the test's seeded ``rng`` fixture, so a test sees the same data on every run.
"""

import numpy as np
import pytest


def _strings(rng, n):
    colours = np.array(["red", "green", "blue", "amber"], dtype=object)
    sizes = np.array(["S", "M", "L"], dtype=object)
    return np.column_stack([colours[rng.integers(0, 4, n)], sizes[rng.integers(0, 3, n)]])


def _numbers_with_nan(rng, n):
    X = rng.integers(0, 4, size=(n, 3)).astype(float) * [1.0, 0.5, 10.0]
    X[rng.uniform(size=X.shape) < 0.15] = np.nan
    return X


@pytest.fixture
def make_strings(rng):
    """make_strings(n=30): (n, 2) text categories, a colour (4 levels) and a size (3 levels) per row."""
    return lambda n=30: _strings(rng, n)


@pytest.fixture
def make_numbers_with_nan(rng):
    """make_numbers_with_nan(n=30): (n, 3) numeric categories, 4 levels per column, about 15% NaN."""
    return lambda n=30: _numbers_with_nan(rng, n)


@pytest.fixture(params=["strings", "numbers-with-nan"])
def categorical_X(request, rng):
    """30 rows of each kind in turn: text categories, then numeric categories with NaN."""
    return (_strings if request.param == "strings" else _numbers_with_nan)(rng, 30)
