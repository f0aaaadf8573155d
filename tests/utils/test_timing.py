"""utils.timing: the median of repeated runs and the Markdown table."""

import pytest

from utils import timing


def test_median_time_runs_warmup_plus_repeats_and_returns_the_value():
    # Check the call count (warm-up + repeats) and that the last result comes back.
    calls = []
    seconds, value = timing.median_time(lambda: calls.append(1) or len(calls), repeats=3, warmup=2)
    assert len(calls) == 5 and value == 5 and seconds >= 0


def test_format_table_by_hand():
    # Check the exact Markdown for a 2x2 table: first column left, the rest right-aligned.
    table = timing.format_table(["model", "time"], [["tree", "1.5"], ["forest", "12.0"]])
    assert table.splitlines() == [
        "| model  | time |",
        "|--------|-----:|",
        "| tree   |  1.5 |",
        "| forest | 12.0 |",
    ]


def test_repeats_must_be_positive():
    # Check the message for zero repeats.
    with pytest.raises(ValueError, match="repeats"):
        timing.median_time(lambda: None, repeats=0)
