"""Test-suite settings shared by every test file.

``pytest --practice`` (or ``MLSC_PRACTICE=1``) makes ``utils.load_exercise`` load
the learner's copies under ``practice/`` instead of the reference scripts, so the
same tests judge the learner's own implementation. In that mode a failure is
explained in plain words: which function is not written yet, or which property
the learner's version breaks, with the learner's value against the expected one,
the line of the test that failed and the hint the test carries.

``MLSC_REPORT_FILE=<path>`` (set by ``study check``) also writes one JSON line per
test and per broken test file to that path, which ``study check`` turns into its
short report. The explanation is built by ``explain_failure`` below.
"""

import inspect
import json
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


# --------------------------------------------------------------------------- plain-words failures


def _checked_property(function):
    """The ``# Check ...`` comment block that opens a test (its lines joined), if any."""
    try:
        lines = inspect.getsource(function).splitlines()
    except (OSError, TypeError):
        return ""
    block = []
    for line in lines:
        text = line.strip()
        if text.startswith("# Check") or (block and text.startswith("#")):
            block.append(text.lstrip("#").strip())
        elif block:
            break
    return " ".join(block)


def test_name_in_words(name):
    """``test_layernorm_backward[batch-1-2d]`` -> ``layernorm backward (batch-1-2d)``."""
    base, _, params = name.partition("[")
    words = base.removeprefix("test_").replace("_", " ")
    return f"{words} ({params.rstrip(']')})" if params else words


test_name_in_words.__test__ = False  # a helper, not a test


def _show(value):
    """A value in one line: all of it when small, else its first entries in reading order; and its shape."""
    try:
        array = np.asarray(value)
    except Exception:  # noqa: BLE001 - anything unprintable is shown by repr
        return repr(value)[:200], None
    if array.dtype == object:
        return repr(value)[:200], None
    if array.size <= 8:
        text = np.array2string(array, precision=4, max_line_width=200).replace("\n", "")
        return text, (array.shape if array.ndim else None)
    first = np.array2string(array.ravel()[:6], precision=4, max_line_width=200)
    return f"{first[:-1]} ...] (first 6 of {array.size} entries)", array.shape


def _largest_gap(actual, expected):
    """Where two numeric arrays differ most: "... at index (0, 2): yours 1.5, expected 2"."""
    try:
        a, b = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
        a, b = np.broadcast_arrays(a, b)
    except (TypeError, ValueError):
        return None
    if a.size <= 1:
        return None
    with np.errstate(invalid="ignore"):
        gap = np.abs(a - b)
    if not np.isfinite(gap).any():
        return None
    index = np.unravel_index(int(np.nanargmax(np.where(np.isfinite(gap), gap, -1))), a.shape)
    return f"largest difference at index {tuple(int(i) for i in index)}: yours {a[index]:.6g}, expected {b[index]:.6g}"


def _compared_values(excinfo):
    """(actual, expected, label) found in the frames of a failed comparison, innermost first."""
    for entry in reversed(excinfo.traceback):
        frame = entry.frame
        name = frame.code.name
        local = frame.f_locals
        if name == "assert_array_compare" and "x" in local and "y" in local:
            return local["x"], local["y"], ("yours", "expected")
        if name == "check_gradient" and "analytic" in local and "numeric" in local:
            return local["analytic"], local["numeric"], ("your gradient", "numerical gradient")
    return None


def _test_frame(excinfo, test_path):
    """The traceback entry inside the test file itself (the line of the test that failed)."""
    inside = [e for e in excinfo.traceback if Path(str(e.path)) == Path(test_path)]
    return inside[-1] if inside else None


def _line_and_comments(entry):
    """The failing line of the test, its end-of-line comment and the comment lines right above it."""
    try:
        source = entry.frame.code.fullsource
        number = entry.lineno  # 0-based
        line = str(source[number]).strip()
    except (IndexError, TypeError, AttributeError):
        return "", []
    comments = []
    above = number - 1
    while above >= 0 and str(source[above]).strip().startswith("#") and not str(source[above]).strip().startswith("# Check"):
        comments.insert(0, str(source[above]).strip().lstrip("#").strip())
        above -= 1
    code, hash_, comment = line.partition("  # ")
    if hash_:
        comments.append(comment.strip())
    return code.strip(), comments


def _loop_values(entry, function):
    """Small named values of the test frame that are not arguments: e.g. ``name = 'dW'`` in a loop."""
    arguments = set(inspect.signature(function).parameters) if function else set()
    found = []
    for key, value in entry.frame.f_locals.items():
        if key.startswith(("_", "@")) or key in arguments:
            continue
        if isinstance(value, (str, int, float, bool)) and len(repr(value)) <= 40:
            found.append(f"{key} = {value!r}")
    return found[:4]


def explain_failure(item, excinfo):
    """A dict describing a failed test in plain words (see ``study check``)."""
    error = excinfo.value
    function = getattr(item, "function", None)
    record = {"words": test_name_in_words(item.name), "check": _checked_property(function)}
    if isinstance(error, NotImplementedError):
        found = re.search(r":\s*(\S+) is not written yet", str(error))
        record.update(kind="not_written", function=found.group(1) if found else str(error), message=str(error))
        return record
    record["kind"] = "wrong"
    entry = _test_frame(excinfo, item.path)
    if entry is not None:
        record["at"], record["comments"] = _line_and_comments(entry)
        record["where"] = _loop_values(entry, function)
    compared = _compared_values(excinfo)
    if compared is not None:
        actual, expected, labels = compared
        record["actual"], record["actual_shape"] = _show(actual)
        record["expected"], record["expected_shape"] = _show(expected)
        record["labels"] = labels
        gap = _largest_gap(actual, expected)
        if gap:
            record["gap"] = gap
    lines = [line for line in str(error).strip().splitlines() if line.strip()]
    obtained = [l.split(":", 1)[1].strip() for l in lines if l.strip().startswith("Obtained:")]
    wanted = [l.split(":", 1)[1].strip() for l in lines if l.strip().startswith("Expected:")]
    if compared is None and obtained and wanted:  # pytest.approx's own report
        record.update(actual=obtained[0], actual_shape=None, expected=wanted[0], expected_shape=None, labels=("yours", "expected"))
        lines = [l for l in lines if not l.strip().startswith(("Obtained:", "Expected:", "comparison failed"))]
    if isinstance(error, AssertionError):
        # numpy's messages: the tolerance line, then the test's err_msg, then statistics
        keep = [l for l in lines if not re.match(r"\s*(ACTUAL|DESIRED|x|y):|\s+\[|Mismatch|Max |First \d+ mismatches|\(shapes", l)]
        shapes = [l.strip() for l in lines if l.startswith("(shapes")]
        record["message"] = "\n".join((keep + shapes)[:4])
    else:
        record["message"] = f"{type(error).__name__}: " + "\n".join(lines[:3])
    return record


def format_explanation(record):
    """The plain-words text of one failure record, as `pytest --practice` prints it."""
    if record["kind"] == "not_written":
        return f"Not written yet: {record['function']} ({record.get('message', '')})"
    out = ["Your version gives a wrong result.", f"  What is checked: {record.get('check') or record['words']}"]
    if record.get("at"):
        out.append(f"  Failed at: {record['at']}" + (f"   with {', '.join(record['where'])}" if record.get("where") else ""))
    if "actual" in record:
        mine, theirs = record.get("labels", ("yours", "expected"))
        for label, key in ((mine, "actual"), (theirs, "expected")):
            shape = f"   shape {tuple(record[key + '_shape'])}" if record.get(key + "_shape") is not None else ""
            out.append(f"  {label + ':':<20}" + record[key].replace("\n", "\n" + " " * 22) + shape)
        if record.get("gap"):
            out.append(f"  {record['gap']}")
    if record.get("message"):
        out.append("  What went wrong: " + record["message"].replace("\n", "\n    "))
    for comment in record.get("comments", []):
        out.append(f"  Hint from the test: {comment}")
    return "\n".join(out)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    reporting = bool(os.environ.get("MLSC_REPORT_FILE"))
    if call.excinfo is None or report.outcome != "failed" or not (utils.practice_mode() or reporting):
        return
    try:
        record = explain_failure(item, call.excinfo)
    except Exception as err:  # noqa: BLE001 - the explanation must never hide the failure itself
        record = {"words": test_name_in_words(item.name), "kind": "wrong", "message": f"{type(call.excinfo.value).__name__}: {call.excinfo.value} ({err})"}
    record["when"] = call.when
    report.user_properties.append(("mlsc", json.dumps(record)))
    if utils.practice_mode():
        report.longrepr = format_explanation(record)


def _import_failure(text):
    """From a traceback's text, the part from its deepest frame on: file, line, code, caret, error."""
    lines = [line[2:] if line.startswith("E ") else line for line in text.splitlines()]
    # pytest's short tracebacks read "path.py:35: in <module>"; say it as Python does
    lines = [re.sub(r"^(\S+\.py):(\d+): in (\S+)$", r'  File "\1", line \2, in \3', line) for line in lines]
    starts = [i for i, line in enumerate(lines) if re.search(r'File "[^"]+", line \d+', line)]
    start = starts[-1] if starts else max(0, len(lines) - 4)
    return "\n".join(line.rstrip() for line in lines[start:] if line.strip())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if report.outcome != "failed" or not (utils.practice_mode() or os.environ.get("MLSC_REPORT_FILE")):
        return
    text = str(report.longrepr)
    # the error's own line, not the source line `raise FileNotFoundError(f"no exercise script at {full}...")`
    found = re.search(r"FileNotFoundError: no exercise script at (\S+)", text)
    if found:
        path = found.group(1)
        number = re.search(r"(\d\d)-[^/\\]+[/\\](?:[^/\\]+[/\\])*ex(\d\d)_\w+\.py$", path)
        exercise = f"{number.group(1)}.{number.group(2)}" if number else "<exercise>"
        record = {"kind": "missing", "message": f"No practice copy yet ({path}); make it with `study practice {exercise}`."}
    elif re.search(r"^E?\s*NotImplementedError: ", text, re.MULTILINE):  # the error raised, not a quoted source line
        detail = re.search(r"^E?\s*NotImplementedError: (.*)$", text, re.MULTILINE).group(1)
        name = re.search(r":\s*(\S+) is not written yet", detail)
        record = {"kind": "not_written", "function": name.group(1) if name else "?", "message": detail}
    else:
        record = {"kind": "import", "message": _import_failure(text)}
    report.user_properties = [("mlsc", json.dumps(record))]
    if utils.practice_mode():
        report.longrepr = record["message"] if record["kind"] != "import" else "Your practice copy does not import:\n" + record["message"]


def _write_record(report, **extra):
    path = os.environ.get("MLSC_REPORT_FILE")
    if not path:
        return
    record = dict(extra)
    for key, value in getattr(report, "user_properties", []):
        if key == "mlsc":
            record.update(json.loads(value))
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")


def pytest_runtest_logreport(report):
    if report.when == "call" or report.outcome != "passed":
        outcome = report.outcome if report.when == "call" else ("error" if report.outcome == "failed" else report.outcome)
        _write_record(report, nodeid=report.nodeid, outcome=outcome)


def pytest_collectreport(report):
    if report.outcome == "failed":
        _write_record(report, nodeid=report.nodeid, outcome="collect_error")
