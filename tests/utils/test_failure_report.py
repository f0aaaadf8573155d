"""The plain-words failure report of tests/conftest.py, piece by piece (the whole of it runs in
test_study_end_to_end.py through `study check`)."""

import importlib.util

import numpy as np

import utils

_spec = importlib.util.spec_from_file_location("mlsc_conftest_under_test", utils.REPO_ROOT / "tests" / "conftest.py")
report = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(report)


def test_test_names_become_words():
    # Check the name in words, with the parameters kept in brackets.
    assert report.test_name_in_words("test_layernorm_backward[batch-1-2d]") == "layernorm backward (batch-1-2d)"
    assert report.test_name_in_words("test_fit_by_hand") == "fit by hand"


def test_values_are_shown_whole_when_small_and_by_their_start_when_large():
    # Check the one-line view of a value: a scalar has no shape, a small array is whole, a large
    # one shows its first six entries and how many there are.
    assert report._show(0.5) == ("0.5", None)
    assert report._show(np.array([[1.0, 2.0], [3.0, 4.0]])) == ("[[1. 2.] [3. 4.]]", (2, 2))
    text, shape = report._show(np.arange(16.0).reshape(1, 4, 4))
    assert text == "[0. 1. 2. 3. 4. 5. ...] (first 6 of 16 entries)" and shape == (1, 4, 4)


def test_largest_gap_by_hand():
    # Check where two arrays differ most, worked out by hand: entry (1, 0) is off by 5.
    actual = np.array([[1.0, 2.0], [3.0, 4.0]])
    expected = np.array([[1.0, 2.5], [8.0, 4.0]])
    assert report._largest_gap(actual, expected) == "largest difference at index (1, 0): yours 3, expected 8"
    assert report._largest_gap(1.0, 2.0) is None  # one number: the values say it all


def test_an_import_failure_keeps_file_line_code_and_error():
    # Check that pytest's short traceback of a broken copy becomes Python's own "File ..., line" form.
    text = (
        "tests/x/test_ex01_a.py:5: in <module>\n    ex = utils.load_exercise('x/ex01_a.py')\n"
        "/tmp/practice/x/ex01_a.py:35: in <module>\n    undefined_name + 1\n    ^^^^^^^^^^^^^^\n"
        "E   NameError: name 'undefined_name' is not defined"
    )
    assert report._import_failure(text) == (
        '  File "/tmp/practice/x/ex01_a.py", line 35, in <module>\n    undefined_name + 1\n    ^^^^^^^^^^^^^^\n'
        "  NameError: name 'undefined_name' is not defined"
    )


def test_format_explanation_by_hand():
    # Check the text `pytest --practice` prints for a wrong result and for a function not written.
    record = {"kind": "wrong", "words": "fit by hand", "check": "Check that w = 0.8.", "at": "assert_allclose(w, 0.8)",
              "where": ["name = 'dw'"], "actual": "0.5", "actual_shape": None, "expected": "0.8", "expected_shape": None,
              "message": "Not equal to tolerance", "comments": ["So w = 0.8 and b = 0.4"]}
    assert report.format_explanation(record).splitlines() == [
        "Your version gives a wrong result.",
        "  What is checked: Check that w = 0.8.",
        "  Failed at: assert_allclose(w, 0.8)   with name = 'dw'",
        "  yours:              0.5",
        "  expected:           0.8",
        "  What went wrong: Not equal to tolerance",
        "  Hint from the test: So w = 0.8 and b = 0.4",
    ]
    written = {"kind": "not_written", "function": "fit", "message": "ex01_a.py: fit is not written yet"}
    assert report.format_explanation(written) == "Not written yet: fit (ex01_a.py: fit is not written yet)"


def test_a_missing_copy_names_the_command_that_makes_it(tmp_path, monkeypatch):
    # Check the message of a test file whose practice copy does not exist: the path and the
    # exact `study practice` command, with no stray braces or quotes (issue 14, item 5).
    import subprocess
    import sys

    env = dict(__import__("os").environ, MLSC_PRACTICE_DIR=str(tmp_path), PYTHONPATH=str(utils.REPO_ROOT))
    test = "tests/00-math-fundamentals/linear-algebra/test_ex01_vector_arithmetic.py"
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider", "--practice", test],
                            cwd=utils.REPO_ROOT, env=env, capture_output=True, text=True)
    expected = f"No practice copy yet ({tmp_path}/00-math-fundamentals/linear-algebra/ex01_vector_arithmetic.py); make it with `study practice 00.01`."
    assert expected in result.stdout
    assert "{" not in result.stdout.split("No practice copy yet")[1].splitlines()[0]
