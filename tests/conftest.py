"""Test-suite settings shared by every test file.

``pytest --practice`` (or ``MLSC_PRACTICE=1``) makes ``utils.load_exercise`` load
the learner's copies under ``practice/`` instead of the reference scripts, so the
same tests judge the learner's own implementation.
"""

import os

import numpy as np
import pytest


def pytest_addoption(parser):
    parser.addoption(
        "--practice",
        action="store_true",
        default=False,
        help="test your practice copies under practice/ instead of the reference scripts",
    )


def pytest_configure(config):
    if config.getoption("--practice"):
        os.environ["MLSC_PRACTICE"] = "1"


@pytest.fixture
def rng():
    """A fresh, seeded generator for each test: the same numbers on every run."""
    return np.random.default_rng(0)
