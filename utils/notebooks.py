"""Build the interactive explorations in ``notebooks/``: each ``NN_name.py`` source
(percent format, the file we edit) becomes ``NN_name.ipynb``, executed in a real
Jupyter kernel so that it shows its figures on the web.

    python -m utils.notebooks            # rebuild every notebook
    python -m utils.notebooks 04 07      # rebuild the ones whose names start so

The tests check that each committed ``.ipynb`` holds exactly the code its source
would give (``code_cells``), and run every notebook and every control in a kernel.
"""

import argparse
import sys
import time
from pathlib import Path

from utils import REPO_ROOT

NOTEBOOK_DIR = REPO_ROOT / "notebooks"
KERNEL = "python3"
TIMEOUT_S = 120


def sources():
    """The exploration sources, in reading order: notebooks/NN_name.py."""
    return sorted(p for p in NOTEBOOK_DIR.glob("[0-9][0-9]_*.py"))


def read_source(path):
    """The notebook a source describes (no outputs yet)."""
    import jupytext

    notebook = jupytext.read(path, fmt="py:percent")
    notebook.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python 3", "language": "python"}
    notebook.metadata.pop("jupytext", None)
    return notebook


def code_cells(notebook):
    """The source text of every code cell, for comparing a notebook with its source."""
    return [cell.source.strip() for cell in notebook.cells if cell.cell_type == "code"]


def execute(notebook, extra_code=None, timeout=TIMEOUT_S):
    """Run a notebook top to bottom in a fresh kernel, from the notebooks folder.

    ``extra_code`` (a string) runs as one more cell at the end, for tests.
    """
    import nbformat
    from nbclient import NotebookClient

    if extra_code:
        notebook.cells.append(nbformat.v4.new_code_cell(extra_code))
    client = NotebookClient(notebook, timeout=timeout, kernel_name=KERNEL,
                            resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
    client.execute()
    return notebook


def _clean(notebook):
    """Drop what changes on every run and says nothing (timings, widget state) to keep diffs small."""
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        cell.pop("id", None)
    notebook.nbformat_minor = 4
    return notebook


def build(paths):
    import nbformat

    for path in paths:
        start = time.perf_counter()
        notebook = _clean(execute(read_source(path)))
        target = path.with_suffix(".ipynb")
        nbformat.write(notebook, target)
        size = target.stat().st_size / 1024
        print(f"{target.relative_to(REPO_ROOT)}: {time.perf_counter() - start:.1f} s, {size:.0f} KB")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m utils.notebooks", description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="rebuild only the notebooks whose names start with these")
    args = parser.parse_args(argv)
    chosen = [p for p in sources() if not args.prefixes or p.name.startswith(tuple(args.prefixes))]
    if not chosen:
        print(f"no notebook source matches {args.prefixes} in {NOTEBOOK_DIR}", file=sys.stderr)
        return 2
    build(chosen)
    return 0


if __name__ == "__main__":
    sys.exit(main())
