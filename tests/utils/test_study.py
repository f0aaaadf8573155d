"""The `study` runner: IDs, progress, hints, practice and check."""

import json

import pytest

import utils
from utils import study

EXERCISE = "00-math-fundamentals/linear-algebra/ex01_vector_arithmetic.py"


@pytest.fixture(autouse=True)
def private_state(tmp_path, monkeypatch):
    """Each test gets its own practice folder and progress file: a learner's are never touched."""
    monkeypatch.setenv("MLSC_PRACTICE_DIR", str(tmp_path / "practice"))
    monkeypatch.setenv("MLSC_PROGRESS_FILE", str(tmp_path / "progress.json"))
    monkeypatch.delenv("MLSC_PRACTICE", raising=False)


@pytest.mark.parametrize("query", ["00.01", "0.1", "ex01_vector_arithmetic", "vector_arith", EXERCISE])
def test_ids_resolve_in_every_form(query):
    # Check that number, name, fragment and path all name the same exercise.
    assert study.resolve(query) == [EXERCISE]


def test_unknown_id_suggests_close_names():
    # Check that a misspelt name gets a message with the close match, not a traceback.
    with pytest.raises(study.StudyError, match=r"no exercise matches 'vectr'.*00.01 vector_arithmetic"):
        study.resolve("vectr")
    assert study.main(["run", "99.99"]) == 2


def test_ambiguous_fragment_lists_the_candidates(monkeypatch):
    # Check that a fragment matching two exercises names both.
    paths = ["02-x/ex07_decision_tree.py", "02-x/ex08_decision_tree_regressor.py"]
    monkeypatch.setattr(utils, "list_exercises", lambda: paths)
    with pytest.raises(study.StudyError, match=r"several exercises: 02.07 ex07_decision_tree, 02.08"):
        study.resolve("decision")
    assert study.resolve("02.08") == [paths[1]]
    assert study.resolve("02", allow_module=True) == paths


def test_corrupt_progress_file_is_rebuilt_and_kept_aside(tmp_path, capsys):
    # Check that an unreadable progress file does not crash and is not silently lost.
    path = tmp_path / "progress.json"
    path.write_text("{not json")
    assert study.load_progress()["status"] == {}
    assert (tmp_path / "progress.json.corrupt").read_text() == "{not json"
    assert "could not be read" in capsys.readouterr().err
    assert study.main(["progress"]) == 0


def test_hints_are_revealed_one_level_at_a_time(capsys):
    # Check that successive `hint` calls walk through goals, math and algorithm, then stay.
    titles = []
    for _ in range(4):
        study.main(["hint", "00.01"])
        titles.append(capsys.readouterr().out.splitlines()[0])
    assert [t.split(": ", 1)[1] for t in titles] == ["Learning goals", "The math", "Algorithm", "Algorithm"]
    assert "Hint 1 of 3" in titles[0]


def test_practice_then_check_records_failing_then_next(capsys):
    # Check the learner's loop: a fresh copy fails its tests, the status is recorded,
    # `next` points at it, and `list`/`progress` show it.
    assert study.main(["practice", "00.01"]) == 0
    assert utils.exercise_path(EXERCISE, practice=True).exists()
    assert study.main(["check", "00.01"]) == 1
    progress = json.loads(study.progress_file().read_text())
    assert progress["status"]["ex01_vector_arithmetic"]["practice"] == "failing"
    capsys.readouterr()
    study.main(["next"])
    assert "00.01" in capsys.readouterr().out
    study.main(["list"])
    assert "vector_arithmetic" in capsys.readouterr().out


def test_filled_in_copy_passes_and_progress_moves(capsys):
    # Check that a practice copy holding a correct solution passes and moves the bar.
    copy = utils.exercise_path(EXERCISE, practice=True)
    copy.parent.mkdir(parents=True)
    copy.write_text((utils.REPO_ROOT / EXERCISE).read_text())  # "the learner wrote the reference"
    assert study.main(["check", "00.01"]) == 0
    capsys.readouterr()
    study.main(["progress"])
    assert "1/" in capsys.readouterr().out.splitlines()[0]


def test_check_without_a_copy_explains(capsys):
    # Check that checking before making a practice copy tells the learner what to do.
    assert study.main(["check", "00.01"]) == 2
    assert "study practice 00.01" in capsys.readouterr().err


def test_reset_backs_up_the_learners_copy():
    # Check that reset replaces the copy and keeps the old one.
    study.main(["practice", "00.01"])
    copy = utils.exercise_path(EXERCISE, practice=True)
    copy.write_text("# my attempt\n")
    study.main(["reset", "00.01"])
    assert "NotImplementedError" in copy.read_text()
    assert [b.read_text() for b in copy.parent.glob("*.bak")] == ["# my attempt\n"]


def test_notebook_without_jupytext_says_how_to_install(monkeypatch, capsys):
    # Check the message when jupytext is missing.
    import builtins

    real_import = builtins.__import__

    def no_jupytext(name, *args, **kwargs):
        if name == "jupytext":
            raise ImportError("no jupytext")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_jupytext)
    assert study.main(["notebook", "00.01"]) == 2
    assert "pip install jupytext" in capsys.readouterr().err


def test_percent_cells_by_hand():
    # Check the cell split on a small script: docstring, code, markdown, code.
    source = '"""Title\\n\\nText."""\n# %%\nimport numpy\n# %% [markdown]\n# ## Part\n# %%\nx = 1\n'
    assert study.percent_cells(source) == [
        ("markdown", "Title\n\nText."),
        ("code", "import numpy"),
        ("markdown", "## Part"),
        ("code", "x = 1"),
    ]


@pytest.mark.parametrize("exercise", utils.list_exercises())
def test_every_exercise_opens_as_a_notebook(exercise):
    # Check that each exercise is percent-format: docstring first as markdown, then code cells.
    cells = study.percent_cells((utils.REPO_ROOT / exercise).read_text())
    assert cells[0][0] == "markdown" and cells[0][1].startswith("Exercise")
    assert sum(kind == "code" for kind, _ in cells) >= 2


def test_parse_summary_tells_failures_fixture_errors_and_import_errors_apart():
    # Check the counting of pytest's summary lines, by hand: a fixture error names a test
    # ("::"), an import error names only the file.
    a = "02-x/ex07_decision_tree.py"
    b = "02-x/ex09_random_forest.py"
    stdout = "\n".join(
        [
            "PASSED tests/02-x/test_ex07_decision_tree.py::test_one",
            "FAILED tests/02-x/test_ex07_decision_tree.py::test_two - AssertionError",
            "ERROR tests/02-x/test_ex07_decision_tree.py::test_three - NotImplementedError",
            "ERROR tests/02-x/test_ex09_random_forest.py - FileNotFoundError: no exercise script",
            "PASSED tests/02-x/test_other.py::test_not_ours",
        ]
    )
    counts = study.parse_summary(stdout, [a, b])
    assert counts[a] == {"passed": 1, "failed": 1, "errors": 1, "collection_errors": 0}
    assert counts[b] == {"passed": 0, "failed": 0, "errors": 0, "collection_errors": 1}
    assert study.verdict(counts[a]) == "failing" and study.verdict(counts[b]) == "failing"
    assert study.verdict({"passed": 3, "failed": 0, "errors": 0, "collection_errors": 0}) == "passed"
