"""utils.threads: an exercise script run as a program uses one BLAS thread, nothing else changes."""

import os
import subprocess
import sys

import pytest

import utils
from utils import threads

PROBE = """\
import numpy as np
import utils
from threadpoolctl import threadpool_info
print(max(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"))
"""


@pytest.mark.parametrize(
    "main_file, environ, expected",
    [
        ("/repo/06-x/ex12_cnn.py", {}, 1),
        ("/tmp/practice/06-x/ex12_cnn.py", {}, 1),
        ("/repo/06-x/ex12_cnn.py", {"MLSC_BLAS_THREADS": "3"}, 3),
        ("/repo/06-x/ex12_cnn.py", {"MLSC_BLAS_THREADS": "default"}, None),
        ("/repo/06-x/ex12_cnn.py", {"OPENBLAS_NUM_THREADS": "4"}, None),
        ("/repo/benchmarks/bench_06_cnn.py", {}, None),
        ("/usr/bin/pytest", {}, None),
        (None, {}, None),
    ],
    ids=["script", "practice-copy", "chosen", "default", "learners-own-variable", "benchmark", "pytest", "prompt"],
)
def test_which_runs_are_limited(main_file, environ, expected):
    # Check the rule: only an exercise script run as the program is limited, to one thread
    # unless MLSC_BLAS_THREADS or the library's own variable says otherwise.
    assert threads.script_blas_threads(main_file, environ) == expected


@pytest.mark.parametrize("bad", ["0", "two", "-1"])
def test_a_bad_thread_count_is_refused(bad):
    # Check that a count that is not a whole number >= 1 is named in the error.
    with pytest.raises(ValueError, match=f"MLSC_BLAS_THREADS must be a whole number >= 1 or 'default'; got '{bad}'"):
        threads.script_blas_threads("ex01_a.py", {"MLSC_BLAS_THREADS": bad})


def test_a_script_run_gets_one_thread_and_another_program_the_default(tmp_path):
    # Check it for real: the same code run as ex99_probe.py sees one BLAS thread, as probe.py the
    # library's default (two or more on a machine with several cores).
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "MLSC_BLAS_THREADS")}
    env["PYTHONPATH"] = str(utils.REPO_ROOT)
    counts = {}
    for name in ("ex99_probe.py", "probe.py"):
        (tmp_path / name).write_text(PROBE)
        result = subprocess.run([sys.executable, name], cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
        counts[name] = int(result.stdout.strip())
    assert counts["ex99_probe.py"] == 1
    if (os.cpu_count() or 1) > 1:
        assert counts["probe.py"] > 1


def test_a_practice_copy_run_as_a_program_saves_its_figures_under_practice(tmp_path):
    # Check that a script under the practice folder gets MLSC_FIGURE_DIR = <practice>/figures,
    # and that one elsewhere does not.
    env = {k: v for k, v in os.environ.items() if k != "MLSC_FIGURE_DIR"}
    env.update(PYTHONPATH=str(utils.REPO_ROOT), MLSC_PRACTICE_DIR=str(tmp_path / "practice"))
    probe = "import os\nimport utils\nprint(os.environ.get('MLSC_FIGURE_DIR'))\n"
    seen = {}
    for folder in (tmp_path / "practice" / "02-x", tmp_path / "elsewhere"):
        folder.mkdir(parents=True)
        (folder / "ex01_probe.py").write_text(probe)
        result = subprocess.run([sys.executable, "ex01_probe.py"], cwd=folder, env=env, capture_output=True, text=True, check=True)
        seen[folder.parent.name] = result.stdout.strip()
    assert seen == {"practice": str((tmp_path / "practice" / "figures").resolve()), tmp_path.name: "None"}
