"""Practice copies: each exercise with its solution regions replaced by a TODO.

Inside a function, the lines between ``# BEGIN SOLUTION`` and ``# END SOLUTION``
are the part a learner writes. A practice copy keeps everything else (the
docstring with the math, the input checks, the demo) and puts in their place

    # TODO: <the function's one-line summary>
    raise NotImplementedError("ex08_decision_tree.py: DecisionTreeClassifier.fit is not written yet ...")

The first lines of a region may be layered hints, ``# HINT 1: ...`` (a nudge),
``# HINT 2: ...`` (the key equation in the function's own names), ``# HINT 3: ...``
(pseudo-code); several lines with the same number join into one hint. They go
with the rest of the region, so a practice copy never shows them: ``study hint``
reveals them one level at a time (``region_hints``).

Copies go to ``practice/`` (or ``MLSC_PRACTICE_DIR``) under the same relative
path as the reference; their ``Run:`` line names ``study run``, which runs the
copy itself and saves its figures under ``practice/figures/``. An existing copy is the learner's work: it is never
overwritten unless asked, and then a timestamped backup is kept beside it.
"""

import ast
import re
import textwrap
from dataclasses import dataclass
import shutil
import time
from pathlib import Path

import utils

__all__ = ["MarkerError", "Region", "solution_regions", "regions_of", "region_hints", "make_practice_source", "write_practice_copy"]

BEGIN = re.compile(r"^(\s*)# BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*# END SOLUTION\s*$")
HINT = re.compile(r"^\s*# HINT (\d+):\s?(.*)$")
RUN_LINE = re.compile(r"^Run: python (\S+\.py)[^\n]*$", re.MULTILINE)  # any remark after the path goes too


class MarkerError(ValueError):
    """Solution markers that cannot be turned into a practice copy."""


def _functions_by_line(tree):
    """(first line, last line, qualified name) of every function, innermost last."""
    spans = []

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    summary = (ast.get_docstring(child) or "").strip().splitlines()
                    spans.append((child.lineno, child.end_lineno, name, summary[0] if summary else ""))
                visit(child, name + ".")
            else:
                visit(child, prefix)

    visit(tree, "")
    return spans


def _enclosing_function(spans, line):
    inside = [span for span in spans if span[0] < line <= span[1]]
    return max(inside, key=lambda span: span[0]) if inside else None


def solution_regions(source, filename="<exercise>"):
    """The (begin, end) line numbers (1-based, markers included) of every solution region.

    Raises
    ------
    MarkerError
        For an END without a BEGIN, a BEGIN inside a region, or a region never closed,
        naming the file and line.
    """
    regions, start = [], None
    for number, line in enumerate(source.splitlines(), start=1):
        if BEGIN.match(line):
            if start is not None:
                raise MarkerError(f"{filename}:{number}: BEGIN SOLUTION inside the region opened at line {start}")
            start = number
        elif END.match(line):
            if start is None:
                raise MarkerError(f"{filename}:{number}: END SOLUTION without a BEGIN SOLUTION before it")
            regions.append((start, number))
            start = None
    if start is not None:
        raise MarkerError(f"{filename}:{start}: BEGIN SOLUTION is never closed by END SOLUTION")
    return regions


@dataclass(frozen=True)
class Region:
    """One solution region: where it is, the function around it, its hints and its code."""

    begin: int  # line of ``# BEGIN SOLUTION`` (1-based)
    end: int  # line of ``# END SOLUTION``
    function: str  # qualified name, e.g. ``DecisionTreeClassifier.fit``
    summary: str  # first line of the function's docstring
    hints: dict  # {level: text}, levels from 1
    code: str  # the region's code without markers and hint lines, dedented


def regions_of(source, filename="<exercise>"):
    """Every solution region of a script as a ``Region``, in file order.

    Raises
    ------
    MarkerError
        For badly placed markers (see ``solution_regions``), a region outside a
        function, or a ``# HINT`` line whose number is not a positive integer.
    """
    spans = _functions_by_line(ast.parse(source, filename))
    lines = source.splitlines()
    found = []
    for begin, end in solution_regions(source, filename):
        function = _enclosing_function(spans, begin)
        indent = BEGIN.match(lines[begin - 1]).group(1)
        body = [line for line in lines[begin:end - 1] if line.strip() and not line.lstrip().startswith("#")]
        if function is None or any(not line.startswith(indent) for line in body + [lines[end - 1]]):
            raise MarkerError(f"{filename}:{begin}: a solution region must lie inside one function, in one block")
        hints, code = {}, []
        for number, line in enumerate(lines[begin:end - 1], start=begin + 1):
            match = HINT.match(line)
            if match:
                level = int(match.group(1))
                if level < 1:
                    raise MarkerError(f"{filename}:{number}: hint levels start at 1; got HINT {level}")
                hints[level] = (hints[level] + "\n" + match.group(2)) if level in hints else match.group(2)
            elif line.lstrip().startswith("# HINT"):
                raise MarkerError(f"{filename}:{number}: a hint line reads '# HINT <level>: <text>', e.g. '# HINT 1: ...'")
            else:
                code.append(line)
        found.append(Region(begin, end, function[2], function[3], dict(sorted(hints.items())), textwrap.dedent("\n".join(code)).strip("\n")))
    return found


def region_hints(source, filename="<exercise>"):
    """``[(function name, {level: hint text}), ...]`` for every solution region, in file order."""
    return [(region.function, region.hints) for region in regions_of(source, filename)]


def make_practice_source(source, filename="<exercise>", reference=None):
    """The practice version of an exercise's source text.

    Parameters
    ----------
    source : str
        The reference script.
    filename : str
        Its name, used in messages (``"ex08_decision_tree.py"``).
    reference : str, optional
        Its path in the repository, named in the header of the copy.
    """
    regions = regions_of(source, filename)
    if not regions:
        raise MarkerError(f"{filename}: no BEGIN SOLUTION / END SOLUTION region to practise")
    lines = source.splitlines()
    out, position = [], 0
    for region in regions:
        indent = BEGIN.match(lines[region.begin - 1]).group(1)
        message = f"{filename}: {region.function} is not written yet (fill in the TODO)"
        out += lines[position : region.begin - 1]
        out.append(f"{indent}# TODO: {region.summary or 'write this part'}")
        out.append(f"{indent}raise NotImplementedError({message!r})")
        position = region.end
    out += lines[position:]
    number = f" (`study check {reference[:2]}.{Path(reference).name[2:4]}`, `study hint` when stuck)" if reference else ""
    header = f"# Practice copy of {reference or filename}: write the parts marked TODO, then run its tests{number}."
    practice = "\n".join([header] + out) + "\n"
    practice = RUN_LINE.sub(_practice_run_line, practice, count=1)
    compile(practice, filename, "exec")  # a copy that does not even parse would be our bug
    return practice


def _practice_run_line(match):
    """The copy's ``Run:`` line: ``study run`` runs the copy itself, figures under practice/figures/."""
    path = match.group(1)
    number = f"{path[:2]}.{path.rsplit('/', 1)[-1][2:4]}"
    return f"Run: study run {number}   (runs this copy; its figures go to practice/figures/)"


def write_practice_copy(exercise, force=False, root=None):
    """Write the practice copy of one exercise.

    Parameters
    ----------
    exercise : str
        Path relative to the repository root.
    force : bool
        Replace an existing copy (after backing it up) instead of keeping it.
    root : Path, optional
        Folder of practice copies; defaults to ``utils.practice_root()``.

    Returns
    -------
    (Path, str)
        The copy's path and what happened: ``"created"``, ``"kept"`` (an existing copy
        was left alone) or ``"replaced"`` (the old copy was backed up first).
    """
    reference = utils.REPO_ROOT / exercise
    target = Path(root or utils.practice_root()) / exercise
    practice = make_practice_source(reference.read_text(encoding="utf-8"), reference.name, exercise)
    status = "created"
    if target.exists():
        if not force:
            return target, "kept"
        backup = target.with_name(f"{target.name}.{time.strftime('%Y%m%d-%H%M%S')}.bak")
        counter = 1
        while backup.exists():  # two resets in the same second keep both backups
            backup = target.with_name(f"{target.name}.{time.strftime('%Y%m%d-%H%M%S')}-{counter}.bak")
            counter += 1
        shutil.copy2(target, backup)
        status = "replaced"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(practice, encoding="utf-8")
    return target, status
