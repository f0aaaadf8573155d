"""Every exercise script runs as a learner runs it, headless, quickly and cleanly."""

import os
import re
import subprocess
import sys

import pytest

import utils

SCRIPT_TIMEOUT_S = 120


@pytest.mark.skipif(utils.practice_mode(), reason="practice copies are judged by their own tests")
@pytest.mark.parametrize("script", utils.list_exercises())
def test_script_runs_headless(script, tmp_path):
    # Check that `python exNN_name.py`, from the script's own folder with no screen and no
    # keyboard, exits 0 with no traceback or warning, and saves the figures it draws.
    path = utils.REPO_ROOT / script
    env = dict(
        os.environ,
        MPLBACKEND="Agg",
        MLSC_QUICK="1",
        MLSC_FIGURE_DIR=str(tmp_path),
        PYTHONWARNINGS="error::RuntimeWarning",
        # Scripts run side by side on every core: one BLAS thread each avoids oversubscription.
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
    )
    result = subprocess.run(
        [sys.executable, path.name],
        cwd=path.parent,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=SCRIPT_TIMEOUT_S,
    )
    assert result.returncode == 0, f"{script} exited {result.returncode}:\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert not re.search(r"\w*Warning\b", result.stderr), f"{script} printed a warning:\n{result.stderr[-3000:]}"
    if "show_or_save(" in path.read_text(encoding="utf-8"):
        figures = sorted(p.name for p in tmp_path.glob(f"{path.stem}*.png"))
        assert figures, f"{script} calls show_or_save but saved no {path.stem}*.png in {tmp_path}"
