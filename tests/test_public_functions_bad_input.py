"""Bad input against every public function of every exercise (issue 15), found automatically.

A public function either returns a correct, finite result or raises a ValueError /
TypeError whose message names the argument. The probing machinery is the bad-input
battery's (benchmarks/bad_input_battery.py): valid arguments are sampled from the
parameter names, then one argument at a time gets one NaN, one inf, values x 1e300,
a list, float32, Fortran order, an (n, 1) column next to an (n,) partner, 1-D / 3-D,
empty, zero-column, one-sample and text versions, a row fewer than its partner, and
negative counts / tolerances. Each function runs in a forked worker with a time limit.

A long-running entry point (a function named train / run / benchmark or train_* / run_* /
benchmark_* whose every parameter has a default, so the only call the battery could make
is the full training run) is not run with valid arguments: its valid run is the business
of its exercise's tests and quick path. Each positive numeric default is made negative
instead, one at a time, and each call gets the battery's ENTRY_BUDGET (a few seconds): a
training run must refuse a bad value before it starts training, or it counts as a hang.

A new exercise in any module is covered without editing this file. A function whose
arguments cannot be sampled from its parameter names (it takes callables, files,
figures) is skipped and named in the skip reason.

No function is exempt: every one that the battery can sample must pass both tests.
"""

import importlib.util
import sys

import pytest

import utils

TIME_LIMIT = 30.0  # seconds for all the bad-input calls of one function; longer counts as a hang
FORBIDDEN = ("hang", "silent")  # never acceptable

_spec = importlib.util.spec_from_file_location("bad_input_battery", utils.REPO_ROOT / "benchmarks" / "bad_input_battery.py")
battery = importlib.util.module_from_spec(_spec)
sys.modules["bad_input_battery"] = battery  # registered first: the worker's jobs are pickled by name
_spec.loader.exec_module(battery)

FUNCTIONS, _ = battery.discover(practice=None)
battery._FUNCTIONS[:] = FUNCTIONS
IDS = [f"{path.split('/')[-1][:-3]}.{name}" for path, name, _ in FUNCTIONS]

_results = {}


@pytest.fixture(scope="module")
def worker():
    w = battery.Worker(TIME_LIMIT)
    yield w
    w.close()


def _probe(index, worker):
    """("probed", rows) / ("unsampled", reason) / ("hang", None) for function ``index``, computed once."""
    if index not in _results:
        status, value = worker.run(battery._Job(battery.probe_function_job, index))
        _results[index] = value if status == "ok" else (status, value)
    result = _results[index]
    if result[0] == "unsampled":
        pytest.skip(f"no sample arguments from the parameter names ({result[1]})")
    if result[0] == "error":
        pytest.fail(f"the probe itself failed: {result[1]}")
    return result


def _describe(rows):
    return "\n".join(f"  [{input_class} -> {arg}] {outcome}: {detail}" for input_class, arg, outcome, detail in rows[:8])


@pytest.mark.parametrize("index", range(len(FUNCTIONS)), ids=IDS)
def test_no_hang_and_no_silent_garbage(index, worker):
    # Check that bad input never hangs and never yields NaN / inf / a wrong shape or a changed answer from finite input.
    status, rows = _probe(index, worker)
    assert status != "hang", f"the bad-input calls did not finish within {TIME_LIMIT:g} s"
    bad = [row for row in rows if row[2] in FORBIDDEN]
    assert not bad, "silent garbage or a hang:\n" + _describe(bad)


@pytest.mark.parametrize("index", range(len(FUNCTIONS)), ids=IDS)
def test_every_error_is_clear(index, worker):
    # Check that every error raised on bad input is a ValueError / TypeError naming the argument (not from inside NumPy).
    status, rows = _probe(index, worker)
    if status == "hang":
        pytest.skip("hangs (reported by test_no_hang_and_no_silent_garbage)")
    bad = [row for row in rows if row[2] == "unclear"]
    assert not bad, "unclear errors:\n" + _describe(bad)
