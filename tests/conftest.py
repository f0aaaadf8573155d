"""Test-suite settings shared by every test file.

``pytest --practice`` (or ``MLSC_PRACTICE=1``) makes ``utils.load_exercise`` load
the learner's copies under ``practice/`` instead of the reference scripts, so the
same tests judge the learner's own implementation. In that mode a failure is
explained in plain words: which function is not written yet, or which property
the learner's version breaks.
"""

import inspect
import os
import re
from pathlib import Path

import numpy as np
import pytest

import utils


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
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # Every core already runs a test worker; BLAS threads on top of that fight over
        # the cores and can make a small SVD a hundred times slower.
        from threadpoolctl import threadpool_limits  # installed with scikit-learn

        threadpool_limits(1)


def pytest_xdist_auto_num_workers(config):
    """Workers for `-n auto`: every core for a folder or the whole suite, none for single files."""
    if config.args and all(Path(arg.split("::")[0]).is_file() for arg in config.args):
        return 0
    return os.cpu_count() or 1


@pytest.fixture
def rng():
    """A fresh, seeded generator for each test: the same numbers on every run."""
    return np.random.default_rng(0)


def _checked_property(function):
    """The ``# Check that ...`` comment that opens a test, if any."""
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return ""
    match = re.search(r"#\s*(Check .*)", source)
    return match.group(1).strip() if match else ""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not utils.practice_mode() or call.excinfo is None or report.outcome != "failed":
        return
    error = call.excinfo.value
    if isinstance(error, NotImplementedError):
        report.longrepr = f"Not written yet: {error}"
    else:
        checked = _checked_property(getattr(item, "function", None))
        detail = str(error).strip().splitlines()
        summary = detail[0] if detail else type(error).__name__
        report.longrepr = (
            f"Your version gives a wrong result.\n  What is checked: {checked or item.name}\n"
            f"  What went wrong: {type(error).__name__}: {summary[:300]}"
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if not utils.practice_mode() or report.outcome != "failed" or not hasattr(report.longrepr, "longrepr"):
        if not (utils.practice_mode() and report.outcome == "failed"):
            return
    text = str(report.longrepr)
    if "FileNotFoundError" in text and "no exercise script" in text:
        found = re.search(r"no exercise script at (\S+)", text)
        report.longrepr = f"No practice copy yet ({found.group(1) if found else 'see practice/'}); make it with `study practice <exercise>`."
    elif "NotImplementedError" in text:
        found = re.search(r"NotImplementedError: (.*)", text)
        report.longrepr = f"Not written yet: {found.group(1) if found else text[-300:]}"
    else:
        last = [line for line in text.splitlines() if line.strip()][-1:]
        report.longrepr = f"Your practice copy does not import: {last[0] if last else text[-300:]}"
