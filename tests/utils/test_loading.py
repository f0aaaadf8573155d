"""utils.load_exercise and utils.list_exercises."""

import sys

import pytest

import utils


def test_list_exercises_is_in_curriculum_order():
    # Check that modules come in folder order and exercises by number inside a module.
    keys = [(p.split("/")[0], int(p.rsplit("/", 1)[1][2:4])) for p in utils.list_exercises()]
    assert keys == sorted(keys)
    assert all(p.endswith(".py") and not p.startswith("/") for p in utils.list_exercises())


def test_load_exercise_registers_module_without_running_main(tmp_path, capsys):
    # Check that loading imports the definitions, registers the module before it runs,
    # and does not call main().
    script = tmp_path / "ex99_demo.py"
    script.write_text(
        "import sys\n"
        "SEEN_IN_SYS_MODULES = __name__ in sys.modules\n"
        "def double(x):\n    return 2 * x\n"
        "def main():\n    print('main ran')\n"
        "if __name__ == '__main__':\n    main()\n"
    )
    module = utils.load_exercise(script)
    assert module.double(21) == 42
    assert module.SEEN_IN_SYS_MODULES
    assert sys.modules[module.__name__] is module
    assert module.__name__.isidentifier()
    assert "main ran" not in capsys.readouterr().out


def test_load_exercise_of_a_missing_file_names_the_path(tmp_path):
    # Check that a wrong path gets an error that says which file was expected.
    with pytest.raises(FileNotFoundError, match="ex00_missing"):
        utils.load_exercise(tmp_path / "ex00_missing.py")


def test_failed_import_leaves_no_half_module(tmp_path):
    # Check that a script that raises on import is not left half-loaded in sys.modules.
    script = tmp_path / "ex98_broken.py"
    script.write_text("raise RuntimeError('broken on purpose')\n")
    before = set(sys.modules)
    with pytest.raises(RuntimeError, match="broken on purpose"):
        utils.load_exercise(script)
    assert set(sys.modules) == before


def test_practice_path_points_under_practice_folder():
    # Check that practice mode maps an exercise to the same relative path under practice/.
    path = utils.exercise_path("01-python-for-ml/ex02_broadcasting.py", practice=True)
    assert path == utils.PRACTICE_ROOT / "01-python-for-ml" / "ex02_broadcasting.py"
    assert utils.exercise_path("01-python-for-ml/ex02_broadcasting.py", practice=False) == (
        utils.REPO_ROOT / "01-python-for-ml" / "ex02_broadcasting.py"
    )


def test_modes_read_environment(monkeypatch):
    # Check that the switches follow their environment variables.
    monkeypatch.setenv("MLSC_QUICK", "1")
    monkeypatch.setenv("MLSC_PRACTICE", "0")
    assert utils.quick_mode() and not utils.practice_mode()
    monkeypatch.delenv("MLSC_QUICK")
    assert not utils.quick_mode()
