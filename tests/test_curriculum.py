"""The curriculum's shape: every exercise has its test file, a unique name and the template's parts."""

import ast
import collections
import re
from pathlib import Path

import pytest

import utils

EXERCISES = utils.list_exercises()
TESTS = utils.REPO_ROOT / "tests"


def test_curriculum_is_not_empty():
    # Check that the loader finds the exercise scripts at all.
    assert len(EXERCISES) > 0


def test_exercise_names_are_unique():
    # Check that no two exercises share a file name: figures, IDs and progress are keyed by it.
    counts = collections.Counter(Path(p).stem for p in EXERCISES)
    assert [name for name, n in counts.items() if n > 1] == []


def test_exercise_numbers_are_unique_within_a_module():
    # Check that the numbers give one reading order per module folder.
    numbers = collections.Counter((Path(p).parts[0], Path(p).name[:4]) for p in EXERCISES)
    assert [key for key, n in numbers.items() if n > 1] == []


@pytest.mark.parametrize("script", EXERCISES)
def test_exercise_has_matching_test_file(script):
    # Check that tests/ mirrors the module folders with one test_<script> per exercise.
    path = Path(script)
    expected = TESTS / path.parent / f"test_{path.name}"
    assert expected.is_file(), f"missing {expected.relative_to(utils.REPO_ROOT)}"


@pytest.mark.parametrize("script", EXERCISES)
def test_exercise_follows_the_template(script):
    # Check the template: a docstring with learning goals and a run command, a main()
    # behind the __main__ guard, nothing run at import time, and solution markers.
    source = (utils.REPO_ROOT / script).read_text(encoding="utf-8")
    tree = ast.parse(source)
    docstring = ast.get_docstring(tree) or ""
    assert "Learning goals" in docstring, "the docstring needs a 'Learning goals' section"
    assert f"python {script}" in docstring, f"the docstring needs the run command 'python {script}'"
    assert any(isinstance(n, ast.FunctionDef) and n.name == "main" for n in tree.body), "no main()"
    for node in tree.body:
        ok = isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef, ast.Assign, ast.AnnAssign))
        ok = ok or (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))  # docstring
        ok = ok or (isinstance(node, ast.If) and "__name__" in ast.unparse(node.test))
        assert ok, f"line {node.lineno} runs at import time: {ast.unparse(node)[:60]}"
    begins, ends = source.count("# BEGIN SOLUTION"), source.count("# END SOLUTION")
    assert begins >= 1 and begins == ends, f"{begins} BEGIN / {ends} END SOLUTION markers"
    assert "np.random.seed(" not in source, "use np.random.default_rng(seed), not the global seed"


@pytest.mark.parametrize("script", EXERCISES)
def test_exercise_states_its_difficulty_and_time(script):
    # Check that the docstring says how hard the exercise is and how long it takes, on the line
    # right before its Run: line, as "Difficulty: 2 of 3, about 25 minutes." (`study list` shows it).
    docstring = ast.get_docstring(ast.parse((utils.REPO_ROOT / script).read_text(encoding="utf-8"))) or ""
    lines = docstring.splitlines()
    run = [i for i, line in enumerate(lines) if line.startswith("Run: ")]
    assert run, "the docstring needs its Run: line"
    before = lines[run[0] - 1] if run[0] > 0 else ""
    found = re.fullmatch(r"Difficulty: ([123]) of 3, about (\d+) minutes\.", before)
    assert found, f"the line before 'Run:' should read 'Difficulty: <1-3> of 3, about <N> minutes.'; found {before!r}"
    assert 5 <= int(found.group(2)) <= 240, f"{found.group(2)} minutes is not a plausible time for one exercise"


# --------------------------------------------------------------------------- one file, one read

LOAD = re.compile(r"load_exercise\(\s*[\"']([^\"']+\.py)[\"']")
ALIAS = re.compile(r"^(\w+)\s*=\s*(?:utils\.)?load_exercise\(\s*[\"']([^\"']+\.py)[\"']", re.MULTILINE)


def _builds_on(script):
    """The text of the docstring's `Builds on:` paragraph (up to the next `Name:` line)."""
    docstring = ast.get_docstring(ast.parse((utils.REPO_ROOT / script).read_text(encoding="utf-8"))) or ""
    match = re.search(r"^Builds on:(.*?)(?=^[A-Z][A-Za-z ]*:|\Z)", docstring, re.MULTILINE | re.DOTALL)
    return match.group(1) if match else ""


@pytest.mark.parametrize("script", EXERCISES)
def test_exercise_loads_only_earlier_exercises_and_names_them(script):
    # Check that a script loads only exercises a learner has already met, each named on its
    # `Builds on:` line (by path or by its exNN_name).
    order = {path: (Path(path).parts[0], Path(path).name[:4]) for path in EXERCISES}
    source = (utils.REPO_ROOT / script).read_text(encoding="utf-8")
    section = _builds_on(script)
    for target in LOAD.findall(source):
        assert target in order, f"loads {target}, which is not an exercise"
        assert order[target] < order[script], f"loads {target}, which comes later in the curriculum"
        assert Path(target).stem in section, f"loads {target} without naming it on its 'Builds on:' line"


def test_each_exercise_is_loaded_under_one_alias():
    # Check that an exercise loaded by several scripts has the same name in all of them.
    aliases = collections.defaultdict(set)
    for script in EXERCISES:
        for alias, target in ALIAS.findall((utils.REPO_ROOT / script).read_text(encoding="utf-8")):
            aliases[target].add(alias)
    assert {target: names for target, names in aliases.items() if len(names) > 1} == {}



MAX_LINES = 300  # one file, one read: a script that needs more teaches two ideas


@pytest.mark.parametrize("script", EXERCISES)
def test_exercise_fits_in_one_read(script):
    # Check the ceiling: at most MAX_LINES lines, every line counted (hints and docstring too).
    n_lines = len((utils.REPO_ROOT / script).read_text(encoding="utf-8").splitlines())
    assert n_lines <= MAX_LINES, f"{script} has {n_lines} lines; split it into two exercises"


@pytest.mark.parametrize("script", EXERCISES)
def test_exercise_loads_only_its_own_module(script):
    # Check that a script loads exercises of its own module only; tools of earlier modules come
    # from a library (NumPy, scikit-learn, utils.nn, utils.optim).
    module = Path(script).parts[0]
    source = (utils.REPO_ROOT / script).read_text(encoding="utf-8")
    assert [t for t in LOAD.findall(source) if Path(t).parts[0] != module] == []
