"""utils.practice: practice copies keep everything but the solutions, and never lose work."""

import textwrap

import pytest

import utils
from utils import practice

EXERCISE = "00-math-fundamentals/linear-algebra/ex01_vector_arithmetic.py"

SOURCE = textwrap.dedent(
    '''\
    """Exercise 99: demo"""


    def square(x):
        """The square of x."""
        if x is None:
            raise ValueError("x is needed")
        # BEGIN SOLUTION
        return x * x
        # END SOLUTION


    class Model:
        def fit(self, X):
            """Learn the mean."""
            # BEGIN SOLUTION
            # HINT 1: the mean is a sum over a count.
            # HINT 3: total = sum(X);
            # HINT 3: divide by len(X).
            self.mean_ = sum(X) / len(X)
            return self
            # END SOLUTION
    '''
)


def test_solution_regions_become_todo_and_raise():
    # Check that each region is replaced by a TODO naming the function and a raise,
    # at the region's indentation, with the checks outside the markers kept.
    result = practice.make_practice_source(SOURCE, "ex99_demo.py")
    assert "return x * x" not in result and "self.mean_" not in result
    assert '        # TODO: The square of x.\n        raise NotImplementedError(' not in result
    assert "    # TODO: The square of x.\n    raise NotImplementedError('ex99_demo.py: square is not written yet" in result
    assert "        # TODO: Learn the mean.\n        raise NotImplementedError('ex99_demo.py: Model.fit" in result
    assert 'raise ValueError("x is needed")' in result
    assert '"""Exercise 99: demo"""' in result


def test_practice_copy_runs_and_raises_not_implemented():
    # Check that the copy imports and that calling a function says what is missing.
    namespace = {}
    exec(practice.make_practice_source(SOURCE, "ex99_demo.py"), namespace)
    with pytest.raises(NotImplementedError, match="square is not written yet"):
        namespace["square"](3)
    with pytest.raises(ValueError, match="x is needed"):  # the input check is still there
        namespace["square"](None)


def test_hints_are_read_per_region_and_joined_by_level():
    # Check that HINT lines are collected per function, lines with the same level joined in
    # order, and that the region's code is kept without them.
    regions = practice.regions_of(SOURCE, "ex99_demo.py")
    assert [(r.function, r.hints) for r in regions] == [
        ("square", {}),
        ("Model.fit", {1: "the mean is a sum over a count.", 3: "total = sum(X);\ndivide by len(X)."}),
    ]
    assert regions[1].code == "self.mean_ = sum(X) / len(X)\nreturn self"
    assert practice.region_hints(SOURCE, "ex99_demo.py")[1][0] == "Model.fit"


def test_practice_copy_never_shows_a_hint():
    # Check that the hints leave the copy with the rest of the region.
    assert "HINT" not in practice.make_practice_source(SOURCE, "ex99_demo.py")


@pytest.mark.parametrize("line", ["# HINT: no level", "# HINT one: a word", "# HINT 0: zero"])
def test_a_malformed_hint_line_names_file_and_line(line):
    # Check that a hint without a level of 1 or more is refused with its file and line.
    source = f"def f():\n    # BEGIN SOLUTION\n    {line}\n    return 1\n    # END SOLUTION\n"
    with pytest.raises(practice.MarkerError, match=r"demo.py:3: "):
        practice.make_practice_source(source, "demo.py")


def test_the_run_line_of_a_copy_runs_the_copy():
    # Check that `Run: python <path>` becomes `Run: study run NN.MM` in the copy.
    source = '"""Exercise 07.\n\nRun: python 02-x/ex07_tree.py\n"""\n\n\ndef f():\n    # BEGIN SOLUTION\n    return 1\n    # END SOLUTION\n'
    copy = practice.make_practice_source(source, "ex07_tree.py")
    assert "Run: study run 02.07   (runs this copy; its figures go to practice/figures/)" in copy
    assert "python 02-x" not in copy


@pytest.mark.parametrize(
    "broken, message",
    [
        ("def f():\n    # BEGIN SOLUTION\n    return 1\n", r"demo.py:2: BEGIN SOLUTION is never closed"),
        ("def f():\n    return 1\n    # END SOLUTION\n", r"demo.py:3: END SOLUTION without a BEGIN"),
        (
            "def f():\n    # BEGIN SOLUTION\n    # BEGIN SOLUTION\n    return 1\n    # END SOLUTION\n",
            r"demo.py:3: BEGIN SOLUTION inside the region opened at line 2",
        ),
        ("# BEGIN SOLUTION\nx = 1\n# END SOLUTION\n", r"demo.py:1: a solution region must lie inside one function"),
        ("def f():\n    return 1\n", r"demo.py: no BEGIN SOLUTION"),
    ],
    ids=["unterminated", "end-without-begin", "nested", "outside-function", "none"],
)
def test_bad_markers_name_file_and_line(broken, message):
    # Check that every malformed marker layout is refused with the file and line.
    with pytest.raises(practice.MarkerError, match=message):
        practice.make_practice_source(broken, "demo.py")


def test_existing_copy_is_kept_unless_forced_then_backed_up(tmp_path):
    # Check the no-overwrite rule: a learner's edits survive a second `practice`,
    # and a forced reset keeps them in a backup.
    target, status = practice.write_practice_copy(EXERCISE, root=tmp_path)
    assert status == "created" and target == tmp_path / EXERCISE
    target.write_text("# my work\n")
    _, status = practice.write_practice_copy(EXERCISE, root=tmp_path)
    assert status == "kept" and target.read_text() == "# my work\n"
    _, status = practice.write_practice_copy(EXERCISE, root=tmp_path, force=True)
    _, status_again = practice.write_practice_copy(EXERCISE, root=tmp_path, force=True)
    backups = sorted(target.parent.glob(target.name + ".*.bak"))
    assert status == status_again == "replaced"
    assert len(backups) == 2 and "# my work\n" in [b.read_text() for b in backups]
    assert "NotImplementedError" in target.read_text()


@pytest.mark.parametrize("exercise", utils.list_exercises())
def test_every_exercise_makes_a_practice_copy(exercise, tmp_path):
    # Check that each real exercise has well-formed markers and its copy compiles.
    target, _ = practice.write_practice_copy(exercise, root=tmp_path)
    compile(target.read_text(), str(target), "exec")
    assert "raise NotImplementedError" in target.read_text()
    assert "# HINT" not in target.read_text() and "Run: study run" in target.read_text()
