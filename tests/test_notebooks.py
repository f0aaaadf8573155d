"""The explorations in notebooks/: each runs in a real Jupyter kernel, every control
redraws its figure at its extreme values, and each committed notebook holds exactly
the code of its source (rebuild with `study notebooks --build`)."""

import base64
from pathlib import Path

import nbformat
import pytest

import utils
from utils import notebooks

SOURCES = notebooks.sources()
DRIVE = "from utils import explore\nprint('explorations', len(explore.EXPLORATIONS), 'redraws', explore.drive_all())"


def images(notebook):
    """Every PNG the notebook's outputs hold, as bytes."""
    return [base64.b64decode(output["data"]["image/png"])
            for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.get("outputs", []) if "image/png" in output.get("data", {})]


def test_there_is_an_exploration_per_module():
    # Check that every module with exercises has at least one exploration that loads one of them.
    text = "\n".join(source.read_text(encoding="utf-8") for source in SOURCES)
    modules = sorted({Path(script).parts[0] for script in utils.list_exercises()})
    missing = [module for module in modules if f'explore.load("{module}/' not in text]
    assert missing == [], f"no exploration loads an exercise of {missing}"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_committed_notebook_matches_its_source(source):
    # Check that the .ipynb has the source's code cells, in order, and shows at least one figure.
    target = source.with_suffix(".ipynb")
    assert target.is_file(), f"{target.name} is missing: run `study notebooks --build`"
    committed = nbformat.read(target, as_version=4)
    assert notebooks.code_cells(committed) == notebooks.code_cells(notebooks.read_source(source)), (
        f"{target.name} is out of date with {source.name}: run `study notebooks --build`")
    shown = images(committed)
    assert shown and all(png.startswith(b"\x89PNG") for png in shown)
    assert target.stat().st_size < 400_000, "keep the saved notebook small (fewer or smaller figures)"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_notebook_runs_and_every_control_redraws(source, monkeypatch):
    # Check that the notebook runs top to bottom in a kernel, draws a figure, and that moving
    # every control to its extreme values redraws without an error.
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")
    monkeypatch.setenv("MLSC_NOTEBOOK_REFERENCE", "1")  # judge the reference, not a learner's copy
    notebook = notebooks.execute(notebooks.read_source(source), extra_code=DRIVE)
    assert images(notebook), "the notebook drew no figure"
    last = "".join(output.get("text", "") for output in notebook.cells[-1].outputs)
    words = last.split()
    assert words[0] == "explorations" and int(words[1]) >= 1, last
    assert int(words[3]) >= 2 * int(words[1]), last


def test_study_notebooks_lists_every_exploration(capsys):
    # Check that `study notebooks` names every committed exploration and refuses an unknown prefix.
    from utils import study

    assert study.main(["notebooks"]) == 0
    listed = capsys.readouterr().out
    assert all(source.with_suffix(".ipynb").name in listed for source in SOURCES)
    assert study.main(["notebooks", "99"]) == 2
    assert "no exploration" in capsys.readouterr().err


def test_explorations_use_a_practice_copy_only_once_it_passes(tmp_path, monkeypatch, capsys):
    # Check that explore.load takes the reference until the learner's copy has passed `study check`.
    from utils import explore, study

    monkeypatch.setenv("MLSC_PRACTICE_DIR", str(tmp_path / "practice"))
    monkeypatch.setenv("MLSC_PROGRESS_FILE", str(tmp_path / "progress.json"))
    monkeypatch.delenv("MLSC_NOTEBOOK_REFERENCE", raising=False)
    script = "00-math-fundamentals/linear-algebra/ex03_matrix_multiplication.py"
    copy = utils.exercise_path(script, practice=True)
    copy.parent.mkdir(parents=True)
    copy.write_text((utils.REPO_ROOT / script).read_text(encoding="utf-8"), encoding="utf-8")

    assert Path(explore.load(script).__file__).resolve() == (utils.REPO_ROOT / script).resolve()
    assert "Using the reference" in capsys.readouterr().out
    progress = study.load_progress()
    progress["status"][Path(script).stem] = {"practice": "passed"}
    study.save_progress(progress)
    assert Path(explore.load(script).__file__).resolve() == copy.resolve()
    assert "YOUR practice copy" in capsys.readouterr().out
