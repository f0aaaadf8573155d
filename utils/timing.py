"""Timing helpers for benchmarks and for the speed comparisons inside a few exercises.

``median_time`` runs a function several times and reports the median wall-clock
time, which is far less sensitive to a busy machine than a single run or a mean.
"""

import time

import numpy as np

__all__ = ["median_time", "format_table"]


def median_time(function, repeats=5, warmup=1):
    """Median wall-clock seconds of ``function()`` over ``repeats`` runs, after ``warmup`` runs.

    Returns
    -------
    (float, object)
        The median time and the value the last run returned.
    """
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1; got {repeats}")
    result = None
    for _ in range(warmup):
        result = function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return float(np.median(times)), result


def format_table(headers, rows):
    """A Markdown table: right-aligned columns, so it pastes into the README as is."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))) + " |" for row in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 1) + (":" if i else "-") for i, w in enumerate(widths)) + "|")
    return "\n".join(lines)
