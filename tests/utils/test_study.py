"""The `study` runner in process: IDs, progress file, hints, diff, solution, next, list, run.

Hints, diff and solution are tested on a small exercise written into a temporary
repository (``demo_repo``), not on the real scripts. The commands that run pytest
on real exercises are in test_study_end_to_end.py.
"""

import textwrap

import pytest

import utils
from utils import study

EXERCISE = "00-math-fundamentals/linear-algebra/ex01_vector_arithmetic.py"

DEMO = textwrap.dedent(
    '''\
    """Exercise 01: demo

    Learning goals
    --------------
    Squares and means.

    Difficulty: 1 of 3, about 10 minutes.
    Run: python 99-demo/ex01_demo.py
    """


    # %%
    def square(x):
        """The square of x."""
        # BEGIN SOLUTION
        # HINT 1: multiply x by something.
        # HINT 2: x * x
        # HINT 3: step one;
        # HINT 3: step two.
        return x * x
        # END SOLUTION


    class Model:
        def fit(self, X):
            """Learn the mean."""
            # BEGIN SOLUTION
            # HINT 1: the average of X.
            self.mean_ = sum(X) / len(X)
            return self
            # END SOLUTION


    def main():
        print(square(3))


    if __name__ == "__main__":
        main()
    '''
)
DEMO_PATHS = ["99-demo/ex01_demo.py", "99-demo/ex02_demo_two.py", "99-demo/ex03_demo_three.py"]


@pytest.fixture(autouse=True)
def private_state(tmp_path, monkeypatch):
    """Each test gets its own practice folder and progress file: a learner's are never touched."""
    monkeypatch.setenv("MLSC_PRACTICE_DIR", str(tmp_path / "practice"))
    monkeypatch.setenv("MLSC_PROGRESS_FILE", str(tmp_path / "progress.json"))
    monkeypatch.delenv("MLSC_PRACTICE", raising=False)


@pytest.fixture
def demo_repo(tmp_path, monkeypatch):
    """A repository with three copies of the demo exercise; `study` looks only there."""
    root = tmp_path / "repo"
    for path in DEMO_PATHS:
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(DEMO.replace("ex01_demo", path.split("/")[1][:-3]))
    monkeypatch.setattr(utils, "REPO_ROOT", root)
    monkeypatch.setattr(utils, "list_exercises", lambda: list(DEMO_PATHS))
    return root


def copy_of(path):
    return utils.exercise_path(path, practice=True)


# --------------------------------------------------------------------------- IDs


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
    # Check that a fragment matching two exercises names both, even where a module is allowed.
    paths = ["02-x/ex07_decision_tree.py", "02-x/ex08_decision_tree_regressor.py"]
    monkeypatch.setattr(utils, "list_exercises", lambda: paths)
    for allow_module in (False, True):
        with pytest.raises(study.StudyError, match=r"several exercises: 02.07 decision_tree, 02.08"):
            study.resolve("decision", allow_module=allow_module)
    assert study.resolve("02.08") == [paths[1]]
    assert study.resolve("02", allow_module=True) == paths
    assert study.resolve("02-x", allow_module=True) == paths


@pytest.mark.parametrize(
    "argv",
    [["run", "dem"], ["practice", "dem"], ["check", "dem"], ["watch", "dem"], ["hint", "dem"], ["diff", "dem"],
     ["solution", "dem", "--yes"], ["reset", "dem"], ["notebook", "dem"]],
    ids=lambda argv: argv[0],
)
def test_every_command_refuses_an_ambiguous_id_alike(demo_repo, argv, capsys):
    # Check that a fragment naming three exercises is refused by every command with the same
    # message, and that `practice` makes no copy at all.
    assert study.main(argv) == 2
    assert "'dem' matches several exercises: 99.01 demo, 99.02 demo_two, 99.03 demo_three" in capsys.readouterr().err
    assert not utils.practice_root().exists()


@pytest.mark.parametrize("command", ["run", "hint", "diff", "solution", "reset", "notebook", "watch"])
def test_a_module_id_is_refused_where_one_exercise_is_needed(demo_repo, command, capsys):
    # Check that `study <command> 99` explains that 99 is a module and gives an exercise ID.
    assert study.main([command, "99"]) == 2
    assert f"'99' is a whole module (99-demo); `study {command}` takes one exercise, e.g. 99.01" in capsys.readouterr().err


def test_practice_accepts_a_module(demo_repo, capsys):
    # Check that `study practice 99` makes one copy per exercise of the module.
    assert study.main(["practice", "99"]) == 0
    assert all(copy_of(p).exists() for p in DEMO_PATHS)


# --------------------------------------------------------------------------- progress file


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        '{"status": {"ex08_decision_tree": "passed"}, "hints": {}}',
        '{"status": {"ex08_decision_tree": {"practice": "done"}}, "hints": {}}',
        '{"status": {}, "hints": {"ex08_decision_tree": "two"}}',
        '{"status": {}, "hints": {"ex08_decision_tree": -7}}',
        '{"status": {}, "hints": {"ex08_decision_tree": true}}',
        '{"status": {}}',
        '{"status": {}, "hints": {}, "last": 3}',
    ],
    ids=["not-json", "a-list", "status-a-string", "unknown-status", "hints-text", "hints-negative", "hints-bool", "no-hints", "last-a-number"],
)
def test_a_progress_file_of_any_wrong_shape_is_set_aside(tmp_path, content, capsys):
    # Check that every wrong shape or type is kept aside and replaced, and that the commands
    # that read progress run without a traceback.
    for command in (["list"], ["progress"], ["hint", "00.01"], ["next"]):
        (tmp_path / "progress.json").write_text(content)
        assert study.main(command) == 0
        assert "could not be used" in capsys.readouterr().err
    assert (tmp_path / "progress.json.1.corrupt").read_text() == content


def test_a_second_corruption_does_not_overwrite_the_first(tmp_path):
    # Check that set-aside copies are numbered and never overwritten.
    path = tmp_path / "progress.json"
    for content in ("{first", "{second", "[]"):
        path.write_text(content)
        assert study.load_progress()["status"] == {}
    assert [(tmp_path / f"progress.json.{n}.corrupt").read_text() for n in (1, 2, 3)] == ["{first", "{second", "[]"]


def test_a_good_progress_file_is_read_back():
    # Check that what is saved loads again unchanged.
    progress = {"version": 1, "status": {"ex01_a": {"practice": "passed"}}, "hints": {"ex01_a": 2}, "last": "ex01_a"}
    study.save_progress(progress)
    assert study.load_progress() == progress


# --------------------------------------------------------------------------- hints


def test_hints_go_one_level_at_a_time_for_every_region_then_point_at_diff(demo_repo, capsys):
    # Check the layers: level 1 of both regions (named by function), then level 2 (only
    # `square` has one, and `Model.fit` is said to have none), then 3 joined from two lines,
    # then "no more hints" pointing at `study diff`, again and again, never a silent repeat.
    outputs = []
    for _ in range(5):
        assert study.main(["hint", "99.01"]) == 0
        outputs.append(capsys.readouterr().out)
    assert "Hint level 1 of 3" in outputs[0]
    assert "square:\n    multiply x by something." in outputs[0]
    assert "Model.fit:\n    the average of X." in outputs[0]
    assert "square:\n    x * x" in outputs[1] and "no level-2 hint for Model.fit" in outputs[1]
    assert "square:\n    step one;\n    step two." in outputs[2] and "last level" in outputs[2]
    for later in outputs[3:]:
        assert "No more hints for 99.01 demo" in later and "study diff 99.01" in later
    assert "Learning goals" not in "".join(outputs)  # never the docstring


def test_reset_starts_the_hints_again(demo_repo, capsys):
    # Check that `reset` sets the hint count back, so the next hint is level 1 again.
    study.main(["practice", "99.01"])
    study.main(["hint", "99.01"])
    study.main(["hint", "99.01"])
    study.main(["reset", "99.01"])
    capsys.readouterr()
    study.main(["hint", "99.01"])
    assert "Hint level 1 of 3" in capsys.readouterr().out


def test_an_exercise_without_hints_says_so(demo_repo, capsys):
    # Check that an exercise whose regions carry no HINT lines gets a message, not an error.
    (demo_repo / DEMO_PATHS[1]).write_text("\n".join(l for l in DEMO.splitlines() if "# HINT" not in l) + "\n")
    assert study.main(["hint", "99.02"]) == 0
    assert "has no hints yet" in capsys.readouterr().out


def test_practice_copy_has_no_hint_lines_and_its_run_line_names_study_run(demo_repo):
    # Check that the hints leave with the solution, and that the copy's Run: line runs the copy.
    study.main(["practice", "99.01"])
    text = copy_of(DEMO_PATHS[0]).read_text()
    assert "HINT" not in text and "x * x" not in text
    assert "Run: study run 99.01" in text and "Run: python" not in text


# --------------------------------------------------------------------------- diff and solution


def test_diff_shows_only_the_functions_to_write(demo_repo, capsys):
    # Check that `diff` compares the learner's functions with the reference (markers and
    # hints left out), reports equal ones as such, and leaves main() alone.
    study.main(["practice", "99.01"])
    copy = copy_of(DEMO_PATHS[0])
    text = copy.read_text()
    start = text.index("        # TODO: Learn the mean.")
    end = text.index("\n", text.index("raise NotImplementedError", start))
    copy.write_text(text[:start] + "        self.mean_ = max(X)\n        return self" + text[end:])
    capsys.readouterr()
    assert study.main(["diff", "99.01"]) == 0
    out = capsys.readouterr().out
    assert "--- yours: square" in out and "+    return x * x" in out and "-    raise NotImplementedError" in out
    assert "-        self.mean_ = max(X)" in out and "+        self.mean_ = sum(X) / len(X)" in out
    assert "HINT" not in out and "BEGIN SOLUTION" not in out and "def main" not in out
    assert "2 of 2 functions differ" in out


def test_diff_of_a_correct_copy_says_same(demo_repo, capsys):
    # Check that a copy equal to the reference is reported as the same, function by function.
    copy_of(DEMO_PATHS[0]).parent.mkdir(parents=True)
    copy_of(DEMO_PATHS[0]).write_text(DEMO)
    study.main(["diff", "99.01"])
    assert "same as the reference: square, Model.fit" in capsys.readouterr().out


def test_diff_error_paths(demo_repo, capsys):
    # Check the messages for no copy, and for a copy that does not compile (file, line, caret).
    assert study.main(["diff", "99.01"]) == 2
    assert "study practice 99.01" in capsys.readouterr().err
    study.main(["practice", "99.01"])
    copy_of(DEMO_PATHS[0]).write_text("def square(x):\n    return (x *\n")
    assert study.main(["diff", "99.01"]) == 2
    err = capsys.readouterr().err
    assert "does not compile" in err and "line 2" in err and "^" in err


def test_solution_asks_first_and_never_blocks_without_a_terminal(demo_repo, monkeypatch, capsys):
    # Check that without a terminal `solution` refuses and names --yes; that with --yes it prints
    # one region's code (no hints, no markers); that on a terminal a "no" shows nothing.
    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    assert study.main(["solution", "99.01"]) == 2
    assert "--yes" in capsys.readouterr().err
    assert study.main(["solution", "99.01", "fit", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "self.mean_ = sum(X) / len(X)\nreturn self" in out and "x * x" not in out and "HINT" not in out
    assert study.main(["solution", "99.01", "7", "--yes"]) == 2
    assert "its parts are: 1. square; 2. Model.fit" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert study.main(["solution", "99.01"]) == 0
    assert capsys.readouterr().out.strip() == "not shown"


def test_solution_defaults_to_the_first_part_not_written(demo_repo, capsys):
    # Check that with `square` written, the default part is Model.fit.
    study.main(["practice", "99.01"])
    copy = copy_of(DEMO_PATHS[0])
    copy.write_text(copy.read_text().replace("raise NotImplementedError('ex01_demo.py: square is not written yet (fill in the TODO)')", "return x * x"))
    capsys.readouterr()
    study.main(["solution", "99.01", "--yes"])
    assert capsys.readouterr().out.startswith("# Model.fit: Learn the mean.")


# --------------------------------------------------------------------------- next, list, run


def test_next_follows_the_exercise_worked_on(demo_repo, capsys):
    # Check that `next` names the exercise worked on last while it is not passed, then the
    # first after it not passed (wrapping round to earlier ones), then congratulates.
    study.main(["next"])
    assert "Next: 99.01 demo" in capsys.readouterr().out
    study.main(["hint", "99.02"])
    study.main(["next"])
    assert "Next: 99.02 demo_two (you worked on it last" in capsys.readouterr().out
    progress = study.load_progress()
    progress["status"]["ex02_demo_two"] = {"practice": "passed"}
    progress["status"]["ex03_demo_three"] = {"practice": "passed"}
    study.save_progress(progress)
    study.main(["next"])
    assert "Next: 99.01 demo (the next one not passed" in capsys.readouterr().out
    progress["status"]["ex01_demo"] = {"practice": "passed"}
    study.save_progress(progress)
    study.main(["next"])
    assert "passed every exercise" in capsys.readouterr().out


def test_list_shows_difficulty_and_minutes(demo_repo, capsys):
    # Check that `list` shows the docstring's difficulty (as stars) and minutes, and '?' without one.
    (demo_repo / DEMO_PATHS[2]).write_text(DEMO.replace("Difficulty: 1 of 3, about 10 minutes.\n", ""))
    study.main(["list"])
    lines = capsys.readouterr().out.splitlines()
    assert any("99.01  demo" in l and "*    10 min" in l and "not tried" in l for l in lines)
    assert any("99.03  demo_three" in l and "?" in l for l in lines)


def test_run_uses_the_practice_copy_when_there_is_one(demo_repo, monkeypatch, capsys):
    # Check that `run` picks the copy by default (figures under practice/figures/), the
    # reference with --reference or without a copy, and says which one runs.
    calls = []
    monkeypatch.setattr(study.subprocess, "run", lambda command, cwd, env: calls.append((command, cwd, env)) or type("R", (), {"returncode": 0}))
    study.main(["run", "99.01"])
    assert "running the reference 99-demo/ex01_demo.py (no practice copy yet)" in capsys.readouterr().out
    assert calls[-1][1] == demo_repo / "99-demo"
    study.main(["practice", "99.01"])
    study.main(["run", "99.01"])
    assert "running your practice copy" in capsys.readouterr().out
    assert calls[-1][1] == copy_of(DEMO_PATHS[0]).parent
    assert calls[-1][2]["MLSC_FIGURE_DIR"] == str(utils.practice_root() / "figures")
    study.main(["run", "99.01", "--reference"])
    assert calls[-1][1] == demo_repo / "99-demo" and "MLSC_FIGURE_DIR" not in calls[-1][2]


def test_run_practice_without_a_copy_explains(demo_repo, capsys):
    # Check the message for `run --practice` before a copy exists.
    assert study.main(["run", "99.01", "--practice"]) == 2
    assert "study practice 99.01" in capsys.readouterr().err


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


def test_notebook_of_the_practice_copy_goes_to_the_practice_folder(demo_repo, capsys):
    # Check that `notebook` converts the learner's copy when there is one (into practice/notebooks/)
    # and the reference otherwise or with --reference, the docstring first as text.
    pytest.importorskip("jupytext")
    import json as json_module

    study.main(["practice", "99.01"])
    assert study.main(["notebook", "99.01"]) == 0
    written = utils.practice_root() / "notebooks" / "ex01_demo.ipynb"
    cells = json_module.loads(written.read_text())["cells"]
    assert cells[0]["cell_type"] == "markdown" and "Exercise 01: demo" in "".join(cells[0]["source"])
    assert "NotImplementedError" in "".join("".join(c["source"]) for c in cells)
    assert study.main(["notebook", "99.01", "--reference"]) == 0
    reference = demo_repo / "notebooks" / "exercises" / "ex01_demo.ipynb"
    assert "x * x" in reference.read_text() and "notebook of the reference" in capsys.readouterr().out.splitlines()[-1]


@pytest.mark.parametrize("exercise", utils.list_exercises())
def test_every_exercise_opens_as_a_notebook(exercise):
    # Check that jupytext reads each exercise as percent format: the docstring first, then code cells.
    jupytext = pytest.importorskip("jupytext")
    cells = jupytext.read(utils.REPO_ROOT / exercise, fmt="py:percent").cells
    assert cells[0].source.lstrip().startswith('"""\nExercise')
    assert sum(cell.cell_type == "code" for cell in cells) >= 3


# --------------------------------------------------------------------------- the check report


def test_explain_by_hand():
    # Check the report built from hand-made records: unwritten functions listed once each (also
    # one no check reached), a wrong result with its Check line, values, shapes and the test's
    # hint, only the first few wrong results in full, and the "N of M" summary.
    wrong = {"outcome": "failed", "kind": "wrong", "words": "fit by hand", "check": "Check that w = 0.8.",
             "at": "assert_allclose(w, 0.8)", "actual": "[1. 2.]", "actual_shape": [2], "expected": "[0.8 0.4]",
             "expected_shape": [2], "comments": ["So w = 0.8 and b = 0.4"], "message": "Not equal to tolerance"}
    records = [
        {"outcome": "passed"},
        {"outcome": "failed", "kind": "not_written", "function": "forward", "words": "forward shape"},
        {"outcome": "error", "kind": "not_written", "function": "forward", "words": "forward values"},
    ] + [dict(wrong, words=f"case {i}") for i in range(5)]
    lines = study.explain("02-x/ex07_a.py", records, limit=2, todo=["forward", "backward"])
    text = "\n".join(lines)
    assert "Not written yet (2 checks wait on them):" in text
    assert '- forward   needed by 2 checks, e.g. "forward shape"' in text
    assert "- backward  (its checks run once the ones above pass)" in text
    assert "  x case 0\n    Check that w = 0.8.\n    failed at: assert_allclose(w, 0.8)" in text
    assert "yours:              [1. 2.]   shape (2,)" in text and "expected:           [0.8 0.4]   shape (2,)" in text
    assert "hint from the test: So w = 0.8 and b = 0.4" in text
    assert "x case 2" not in text and "... and 3 more: case 2; case 3; case 4" in text
    assert lines[-1] == "1 of 8 checks pass."


def test_count_and_verdict():
    # Check the counting of records: fixture errors and broken test files count as failing.
    records = [{"outcome": "passed"}, {"outcome": "failed"}, {"outcome": "error"}, {"outcome": "skipped"}]
    assert study.count(records) == {"passed": 1, "failed": 1, "errors": 1, "collection_errors": 0}
    assert study.verdict(study.count([{"outcome": "passed"}, {"outcome": "collect_error"}])) == "failing"
    assert study.verdict(study.count([{"outcome": "passed"}] * 3)) == "passed"
    assert study.verdict(study.count([])) == "failing"


def test_syntax_problem_names_file_line_and_caret(tmp_path):
    # Check the text for a copy that does not compile: file, line, the code and a caret under it.
    bad = tmp_path / "ex01_bad.py"
    bad.write_text("def f(x):\n    return (x +\n")
    text = study.syntax_problem(bad)
    assert f'File "{bad}", line 2' in text and "return (x +" in text and "^" in text and "SyntaxError" in text
    bad.write_text("x = 1\n")
    assert study.syntax_problem(bad) is None
