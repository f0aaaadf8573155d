"""`study check`, `watch` and module checks end to end: real exercises, real pytest runs.

Every test works in a temporary practice folder and progress file (``private_state``),
so a learner's copies and progress are never touched. Each `study check` starts pytest
in a subprocess, so these tests take seconds each; they use small exercises except for
the two round trips the issue names (02.07 and the transformer block, now 06.18).
"""

import json
from pathlib import Path

import pytest

import utils
from utils import practice, study

TREE = "02-fundamentals-of-machine-learning/ex07_impurity_and_splits.py"
TRANSFORMER = "06-intro-to-deep-learning/ex18_transformer_block.py"
VECTORS = "00-math-fundamentals/linear-algebra/ex01_vector_arithmetic.py"
DOTS = "00-math-fundamentals/linear-algebra/ex02_dot_product_norms.py"
MAX_LINES = 40  # the untouched copy's report must fit a screen


@pytest.fixture(autouse=True)
def private_state(tmp_path, monkeypatch):
    """Each test gets its own practice folder and progress file: a learner's are never touched."""
    monkeypatch.setenv("MLSC_PRACTICE_DIR", str(tmp_path / "practice"))
    monkeypatch.setenv("MLSC_PROGRESS_FILE", str(tmp_path / "progress.json"))
    monkeypatch.delenv("MLSC_PRACTICE", raising=False)


def write_copy(exercise, change=None):
    """Put the reference into the practice folder as the learner's copy, with one line changed."""
    source = (utils.REPO_ROOT / exercise).read_text(encoding="utf-8")
    if change:  # in a line of code, not in a comment or hint that quotes it
        old, new = change
        lines = source.splitlines(keepends=True)
        where = [i for i, line in enumerate(lines) if old in line and not line.lstrip().startswith("#")]
        assert len(where) == 1, f"the code to plant a bug in is not in {exercise} once"
        lines[where[0]] = lines[where[0]].replace(old, new)
        source = "".join(lines)
    copy = utils.exercise_path(exercise, practice=True)
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text(source, encoding="utf-8")
    return copy


def functions_to_write(exercise):
    source = (utils.REPO_ROOT / exercise).read_text(encoding="utf-8")
    return list(dict.fromkeys(region.function for region in practice.regions_of(source, Path(exercise).name)))


ROUND_TRIPS = {
    TREE: (
        ("return 1.0 - (p * p).sum(axis=0)", "return 1.0 - 0.9 * (p * p).sum(axis=0)"),
        ["x impurity by hand", "Check Gini and entropy on counts worked out by hand.", "yours:              0.55", "expected:           0.5"],
        "02-fundamentals-of-machine-learning",
    ),
    TRANSFORMER: (
        ("dy = dout + dy_mlp", "dy = dout + 0.5 * dy_mlp"),
        ["x block backward matches numerical gradients", "your gradient:", "numerical gradient:", "gradient check failed: relative error"],
        "06-intro-to-deep-learning",
    ),
}


@pytest.mark.parametrize("exercise", [TREE, TRANSFORMER], ids=["02.07", "06.18"])
def test_practice_round_trip(exercise, capsys):
    # Check the learner's loop on a real exercise: the untouched copy's report names every function
    # to write in under 40 lines; a planted wrong line names the failing check with the learner's
    # and the expected values; the correct copy passes and `study progress` counts it.
    number = study.exercise_id(exercise)
    planted, expected_lines, module = ROUND_TRIPS[exercise]
    assert study.main(["practice", number]) == 0
    capsys.readouterr()
    assert study.main(["check", number]) == 1
    out = capsys.readouterr().out
    assert len(out.splitlines()) < MAX_LINES, out
    assert "Not written yet" in out and "checks pass." in out
    for function in functions_to_write(exercise):
        assert f"  - {function} " in out, f"{function} not named in:\n{out}"

    write_copy(exercise, planted)
    assert study.main(["check", number]) == 1
    out = capsys.readouterr().out
    for line in expected_lines:
        assert line in out, f"{line!r} not in:\n{out}"
    assert "Not written yet" not in out

    write_copy(exercise)
    assert study.main(["check", number]) == 0
    assert f"{number} {Path(exercise).stem[5:]} (practice): passed" in capsys.readouterr().out
    study.main(["progress"])
    bar = [line for line in capsys.readouterr().out.splitlines() if line.startswith(module)][0]
    assert bar.endswith(f" 1/{sum(p.startswith(module) for p in utils.list_exercises())}")


def test_a_copy_that_does_not_import_shows_file_line_and_caret(capsys):
    # Check both kinds of broken copy: a syntax error (found before pytest runs) and an error
    # raised while the module loads (found by pytest): each with its file and line.
    copy = write_copy(VECTORS, ("import numpy as np", "import numpy as np\nx = (1,"))
    assert study.main(["check", "00.01"]) == 1
    out = capsys.readouterr().out
    assert "does not import" in out and f"{copy.name}\", line " in out and "^" in out and "SyntaxError" in out
    write_copy(VECTORS, ("import numpy as np", "import numpy as np\nundefined_name + 1"))
    assert study.main(["check", "00.01"]) == 1
    out = capsys.readouterr().out
    assert "does not import" in out and f"{copy.name}\", line " in out and "NameError" in out


def test_verbose_gives_pytests_own_output(capsys):
    # Check that --verbose prints pytest's output (its summary line) instead of the short report.
    write_copy(VECTORS)
    assert study.main(["check", "00.01", "--verbose"]) == 0
    out = capsys.readouterr().out
    assert " passed" in out and "checks pass." not in out


def test_reference_check_needs_no_copy(capsys):
    # Check that --reference tests the reference and records it under its own mode.
    assert study.main(["check", "00.01", "--reference"]) == 0
    assert "00.01 vector_arithmetic (reference): passed" in capsys.readouterr().out
    assert json.loads(study.progress_file().read_text())["status"]["ex01_vector_arithmetic"] == {"reference": "passed"}


def test_module_and_all_checks(monkeypatch, capsys):
    # Check `study check 00` and `--all` on a two-exercise curriculum: one line per exercise with
    # its count, the module total, a hint at the one failing, and both results recorded.
    monkeypatch.setattr(utils, "list_exercises", lambda: [VECTORS, DOTS])
    assert study.main(["check", "00"]) == 2
    assert "no practice copies there yet; make them with `study practice 00`" in capsys.readouterr().err
    assert study.main(["practice", "00"]) == 0
    write_copy(VECTORS)
    capsys.readouterr()
    for argv in (["check", "00"], ["check", "--all"]):
        assert study.main(argv) == 1
        out = capsys.readouterr().out
        assert "00.01  vector_arithmetic" in out and "passed" in out
        assert "00.02  dot_product_norms" in out and "failing" in out
        assert "1 of 2 exercises pass; `study check 00.02` explains why it fails" in out
    status = json.loads(study.progress_file().read_text())["status"]
    assert status["ex01_vector_arithmetic"]["practice"] == "passed" and status["ex02_dot_product_norms"]["practice"] == "failing"


def test_check_error_paths(capsys):
    # Check the messages for a missing copy, for a module id with `watch`, and for no argument.
    assert study.main(["check", "00.01"]) == 2
    assert "no practice copy of 00.01 vector_arithmetic yet; make it with `study practice 00.01`" in capsys.readouterr().err
    assert study.main(["watch", "00.01"]) == 2
    assert "study practice 00.01" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        study.main(["check"])


def test_watch_checks_again_when_the_copy_changes(monkeypatch, capsys):
    # Check that `watch` checks at the start, notices a save (here: the learner writes the
    # solution during the first pause), checks again, says it passed, and stops after --polls.
    study.main(["practice", "00.01"])
    pauses = []

    def pause(seconds):
        pauses.append(seconds)
        if len(pauses) == 1:
            write_copy(VECTORS)

    monkeypatch.setattr(study, "_sleep", pause)
    capsys.readouterr()
    assert study.main(["watch", "00.01", "--interval", "0.5", "--polls", "3"]) == 0
    out = capsys.readouterr().out
    assert pauses == [0.5, 0.5, 0.5]
    assert out.count("checks pass.") == 2 and out.count("changed; checking again") == 1
    assert out.index("not passing yet") < out.index("changed; checking again") < out.index("(practice): passed")
    assert "Passed! `study next`" in out


def test_watch_defaults_to_the_exercise_worked_on(monkeypatch, capsys):
    # Check that `study watch` without an ID watches the exercise `study next` names.
    monkeypatch.setattr(study, "_sleep", lambda seconds: None)
    study.main(["practice", "00.02"])
    capsys.readouterr()
    assert study.main(["watch", "--polls", "1"]) == 1
    assert "ex02_dot_product_norms.py: every save runs its checks" in capsys.readouterr().out
