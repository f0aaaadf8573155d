"""Every exercise carries layered hints (CONTRIBUTING.md, "Hints: layered, next to the code").

These tests read the real scripts: each exercise has hints at levels 1, 2 and 3, and
every solution region at least a level-1 hint. The mechanism that shows them
(`study hint`) is tested on a demo exercise in test_study.py.
"""

from pathlib import Path

import pytest

import utils
from utils import practice

EXERCISES = utils.list_exercises()


def _regions(exercise):
    return practice.regions_of((utils.REPO_ROOT / exercise).read_text(encoding="utf-8"), Path(exercise).name)


@pytest.mark.parametrize("exercise", EXERCISES)
def test_every_exercise_has_hints_at_levels_1_2_and_3(exercise):
    # Check that the exercise's hints go from a nudge (1) to the equation (2) to pseudo-code (3).
    levels = {level for region in _regions(exercise) for level in region.hints}
    assert {1, 2, 3} <= levels, f"hint levels present: {sorted(levels) or 'none'}; every exercise needs 1, 2 and 3"


@pytest.mark.parametrize("exercise", EXERCISES)
def test_every_solution_region_has_a_first_hint(exercise):
    # Check that no region leaves the learner without a nudge.
    bare = [f"{region.function} (line {region.begin})" for region in _regions(exercise) if 1 not in region.hints]
    assert bare == [], f"regions without a '# HINT 1:' line: {', '.join(bare)}"
