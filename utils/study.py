"""`study`: the learner's command line for ML Study Cycle.

    study list                      the curriculum in order, with your status
    study run 02.07                 run a script (IDs: 02.07, a name fragment, or a path)
    study practice 02.07            make your practice copy (also a module: 02, or --all)
    study check 02.07               run its tests on your practice copy (or --reference)
    study hint 02.07                the next hint, one level at a time
    study reset 02.07               start the exercise again (your old copy is backed up)
    study next                      the first exercise you have not passed yet
    study progress                  a bar per module
    study notebook 02.07            the exercise as a Jupyter notebook (needs jupytext)

Installed by `pip install -r requirements.txt`; `python -m utils.study` works too.
Progress lives in `.progress.json` at the repository root (ignored by git).
"""

import argparse
import ast
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import utils
from utils import practice

STATUSES = ("passed", "failing", "not tried")
HINT_SECTIONS = ("Learning goals", "The math", "Algorithm")


class StudyError(Exception):
    """A problem to explain to the learner in one message, without a traceback."""


# --------------------------------------------------------------------------- finding exercises


def exercise_id(path):
    """``"02-fundamentals-of-machine-learning/ex07_decision_tree.py"`` -> ``"02.07"``."""
    return f"{path[:2]}.{Path(path).name[2:4]}"


def _modules():
    return sorted({p.split("/")[0] for p in utils.list_exercises()})


def resolve(query, allow_module=False):
    """The exercise paths a learner's ID stands for.

    Accepts ``02.07`` (module.number), a path, a script name or a fragment of one
    (``decision_tree``), and with ``allow_module`` a module (``02`` or its folder).
    """
    exercises = utils.list_exercises()
    text = query.strip().replace("\\", "/").rstrip("/")
    if allow_module:
        for module in _modules():
            if text in {module, module[:2]}:
                return [p for p in exercises if p.startswith(module + "/")]
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})", text)
    if match:
        wanted = f"{int(match.group(1)):02d}.{int(match.group(2)):02d}"
        found = [p for p in exercises if exercise_id(p) == wanted]
    else:
        key = Path(text).name.removesuffix(".py").lower().replace("-", "_")
        exact = [p for p in exercises if p == text or Path(p).stem == key or Path(p).stem[5:] == key]
        found = exact or [p for p in exercises if key and key in Path(p).stem]
    if len(found) == 1 or (found and allow_module):
        return found
    if len(found) > 1:
        options = ", ".join(f"{exercise_id(p)} {Path(p).stem}" for p in found)
        raise StudyError(f"{query!r} matches several exercises: {options}. Use the number, e.g. {exercise_id(found[0])}.")
    close = _close_matches(text.lower(), exercises)
    suggestion = f" Did you mean: {', '.join(close)}?" if close else " `study list` shows them all."
    raise StudyError(f"no exercise matches {query!r}.{suggestion}")


def _close_matches(text, exercises, n=3):
    """Exercises whose name, or a word of it, is spelled like ``text``."""
    by_word = {}
    for path in exercises:
        topic = Path(path).stem[5:]
        for word in [topic] + topic.split("_"):
            by_word.setdefault(word, []).append(f"{exercise_id(path)} {topic}")
    words = difflib.get_close_matches(text.replace("-", "_"), list(by_word), n=n, cutoff=0.6)
    return list(dict.fromkeys(name for word in words for name in by_word[word]))[:n]


def resolve_one(query):
    return resolve(query)[0]


# --------------------------------------------------------------------------- progress file


def progress_file():
    return Path(os.environ.get("MLSC_PROGRESS_FILE") or utils.REPO_ROOT / ".progress.json")


def load_progress():
    """The stored progress; a missing or unreadable file starts afresh (the bad one is kept aside)."""
    path = progress_file()
    empty = {"version": 1, "status": {}, "hints": {}}
    if not path.exists():
        return empty
    try:
        progress = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(progress.get("status"), dict) or not isinstance(progress.get("hints"), dict):
            raise ValueError("unexpected layout")
        return progress
    except (ValueError, AttributeError, OSError) as err:
        aside = path.with_name(path.name + ".corrupt")
        path.replace(aside)
        print(f"note: {path.name} could not be read ({err}); starting a new one (old copy kept as {aside.name})", file=sys.stderr)
        return empty


def save_progress(progress):
    path = progress_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(progress, indent=1, sort_keys=True), encoding="utf-8")
    temporary.replace(path)  # atomic: an interrupted save never leaves half a file


def status_of(progress, path, mode="practice"):
    return progress["status"].get(Path(path).stem, {}).get(mode, "not tried")


# --------------------------------------------------------------------------- running tests


def test_file(path):
    return utils.REPO_ROOT / "tests" / Path(path).parent / f"test_{Path(path).name}"


_RESULT_LINE = re.compile(r"^(PASSED|FAILED|ERROR|XPASS|XFAIL|SKIPPED)\s+(?:\[\d+\]\s+)?(tests/[^\s:]+)(::)?")


def run_tests(paths, practice_mode, quiet=False):
    """Run the test files of ``paths`` in one pytest process.

    Returns
    -------
    dict
        ``{path: {"passed": n, "failed": n, "errors": n, "collection_errors": n}}`` read from
        pytest's summary; ``errors`` are tests that broke in a fixture, ``collection_errors``
        test files that could not even be imported.
    """
    files = [test_file(p) for p in paths]
    missing = [str(f.relative_to(utils.REPO_ROOT)) for f in files if not f.exists()]
    if missing:
        raise StudyError(f"no tests found at {', '.join(missing)}")
    env = dict(os.environ, MLSC_PRACTICE="1" if practice_mode else "0")
    command = [sys.executable, "-m", "pytest", "-q", "-rfEpxX", "-p", "no:cacheprovider"]
    if len(files) > 8:  # many files: use every core (a few files start faster in one process)
        command += ["-n", str(os.cpu_count() or 1)]
    command += [str(f.relative_to(utils.REPO_ROOT)) for f in files]
    result = subprocess.run(command, cwd=utils.REPO_ROOT, env=env, capture_output=True, text=True)
    if not quiet:
        print(result.stdout[-6000:], end="")
    return parse_summary(result.stdout, paths)


def parse_summary(stdout, paths):
    """Count pytest's ``-r`` summary lines (``PASSED tests/...::test``) per exercise in ``paths``."""
    counts = {p: {"passed": 0, "failed": 0, "errors": 0, "collection_errors": 0} for p in paths}
    by_file = {test_file(p).relative_to(utils.REPO_ROOT).as_posix(): p for p in paths}
    for line in stdout.splitlines():
        match = _RESULT_LINE.match(line)
        if match and match.group(2) in by_file:
            kind = {"PASSED": "passed", "XPASS": "passed", "FAILED": "failed", "ERROR": "errors"}.get(match.group(1))
            if kind == "errors" and not match.group(3):  # "ERROR tests/x.py" without "::test": import failed
                kind = "collection_errors"
            if kind:
                counts[by_file[match.group(2)]][kind] += 1
    return counts


def verdict(count):
    broken = count["failed"] or count["errors"] or count["collection_errors"]
    return "passed" if count["passed"] and not broken else "failing"


# --------------------------------------------------------------------------- commands


def cmd_list(args):
    progress = load_progress()
    module = None
    for path in utils.list_exercises():
        if path.split("/")[0] != module:
            module = path.split("/")[0]
            print(f"\n{module}")
        print(f"  {exercise_id(path)}  {Path(path).stem[5:]:<40} {status_of(progress, path)}")
    return 0


def cmd_run(args):
    path = utils.exercise_path(resolve_one(args.exercise), practice=args.practice)
    if not path.exists():
        raise StudyError(f"no practice copy at {path}; make one with `study practice {args.exercise}`")
    return subprocess.run([sys.executable, path.name], cwd=path.parent).returncode


def cmd_practice(args):
    targets = utils.list_exercises() if args.all else resolve(args.target, allow_module=True)
    for path in targets:
        copy, status = practice.write_practice_copy(path, force=args.force)
        shown = os.path.relpath(copy)
        if status == "kept":
            print(f"kept     {shown} (your work is there; `study reset {exercise_id(path)}` starts afresh)")
        else:
            print(f"{status:<8} {shown}")
    if len(targets) == 1:
        print(f"\nNext: open it, write the TODOs, then `study check {exercise_id(targets[0])}`.")
    return 0


def cmd_reset(args):
    path = resolve_one(args.exercise)
    copy, status = practice.write_practice_copy(path, force=True)
    note = " (your previous copy is saved beside it as a .bak file)" if status == "replaced" else ""
    print(f"fresh practice copy at {os.path.relpath(copy)}{note}")
    return 0


def cmd_check(args):
    targets = utils.list_exercises() if args.all else [resolve_one(args.exercise)]
    use_practice = not args.reference
    if use_practice:
        missing = [p for p in targets if not utils.exercise_path(p, practice=True).exists()]
        if missing and not args.all:
            raise StudyError(f"no practice copy yet; make one with `study practice {exercise_id(missing[0])}` (or add --reference)")
        targets = [p for p in targets if p not in missing]
        if not targets:
            raise StudyError("no practice copies yet; make them with `study practice --all` (or add --reference)")
    counts = run_tests(targets, use_practice, quiet=args.all)
    progress = load_progress()
    mode = "practice" if use_practice else "reference"
    for path in targets:
        result = verdict(counts[path])
        progress["status"].setdefault(Path(path).stem, {})[mode] = result
        if args.all or len(targets) > 1:
            print(f"  {exercise_id(path)}  {Path(path).stem[5:]:<40} {result}")
    save_progress(progress)
    failing = [p for p in targets if verdict(counts[p]) != "passed"]
    if len(targets) == 1:
        print(f"\n{exercise_id(targets[0])} ({mode}): {'passed' if not failing else 'not passing yet'}")
    return 1 if failing else 0


def hint_levels(path):
    """The hint texts of an exercise: its docstring sections, gentlest first."""
    docstring = ast.get_docstring(ast.parse((utils.REPO_ROOT / path).read_text(encoding="utf-8"))) or ""
    sections = re.split(r"\n(?=[A-Z][A-Za-z ]+\n-{3,}\n)", docstring)
    found = {}
    for section in sections:
        title, _, body = section.partition("\n")
        if title.strip() in HINT_SECTIONS:
            found[title.strip()] = body.split("\n", 1)[1].strip() if body.startswith("-") else body.strip()
    return [(title, found[title]) for title in HINT_SECTIONS if title in found]


def cmd_hint(args):
    path = resolve_one(args.exercise)
    levels = hint_levels(path)
    if not levels:
        raise StudyError(f"{Path(path).stem} has no hints in its docstring")
    progress = load_progress()
    shown = progress["hints"].get(Path(path).stem, 0)
    level = min(shown + 1, len(levels))
    title, text = levels[level - 1]
    print(f"Hint {level} of {len(levels)} for {exercise_id(path)} {Path(path).stem[5:]}: {title}\n\n{text}")
    if level < len(levels):
        print(f"\n(`study hint {exercise_id(path)}` again for the next hint.)")
    progress["hints"][Path(path).stem] = level
    save_progress(progress)
    return 0


def cmd_next(args):
    progress = load_progress()
    for path in utils.list_exercises():
        if status_of(progress, path) != "passed":
            print(f"Next: {exercise_id(path)} {Path(path).stem[5:]} ({path})")
            print(f"Read it, run it (`study run {exercise_id(path)}`), then `study practice {exercise_id(path)}`.")
            return 0
    print("You have passed every exercise. Congratulations!")
    return 0


def cmd_progress(args):
    progress = load_progress()
    width = 20
    for module in _modules():
        paths = [p for p in utils.list_exercises() if p.startswith(module + "/")]
        done = sum(status_of(progress, p) == "passed" for p in paths)
        filled = round(width * done / len(paths))
        print(f"{module:<38} [{'#' * filled}{'.' * (width - filled)}] {done:>2}/{len(paths)}")
    return 0


def percent_cells(source):
    """Split a script in percent format into (kind, text) cells, as jupytext reads it.

    The module docstring before the first ``# %%`` becomes the first markdown cell.
    """
    cells, kind, lines = [], "code", []
    for line in source.splitlines():
        if line.startswith("# %%"):
            if "".join(lines).strip():
                cells.append((kind, "\n".join(lines).strip()))
            kind, lines = ("markdown" if "[markdown]" in line else "code"), []
        else:
            lines.append(line[2:] if kind == "markdown" and line.startswith("# ") else line)
    if "".join(lines).strip():
        cells.append((kind, "\n".join(lines).strip()))
    if cells and cells[0][0] == "code":
        docstring = ast.get_docstring(ast.parse(cells[0][1]))
        if docstring is not None and len(ast.parse(cells[0][1]).body) == 1:
            cells[0] = ("markdown", docstring)
    return cells


def cmd_notebook(args):
    path = resolve_one(args.exercise)
    try:
        import jupytext
    except ImportError:
        raise StudyError("converting to a notebook needs jupytext: `pip install jupytext`, then run this again")
    notebook = jupytext.read(utils.REPO_ROOT / path, fmt="py:percent")
    first = notebook.cells[0] if notebook.cells else None
    if first is not None and first.cell_type == "code":  # the module docstring reads best as text
        docstring = ast.get_docstring(ast.parse(first.source))
        if docstring and first.source.strip().startswith(('"""', "'''")):
            notebook.cells[0] = jupytext.reads("# %% [markdown]\n# " + docstring.replace("\n", "\n# "), fmt="py:percent").cells[0]
    target = utils.REPO_ROOT / "notebooks" / f"{Path(path).stem}.ipynb"
    target.parent.mkdir(exist_ok=True)
    jupytext.write(notebook, target)
    print(f"notebook written to {os.path.relpath(target)}")
    return 0


def cmd_verify_practice(args):
    """For CI: every exercise's practice copy imports cleanly and fails its tests."""
    exercises = utils.list_exercises()
    problems = []
    with tempfile.TemporaryDirectory() as folder:
        os.environ["MLSC_PRACTICE_DIR"] = folder
        for path in exercises:
            practice.write_practice_copy(path, root=Path(folder))
            try:
                utils.load_exercise(path, practice=True)
            except Exception as err:  # noqa: BLE001 - report any import failure
                problems.append(f"{path}: practice copy does not import: {type(err).__name__}: {err}")
        counts = run_tests(exercises, practice_mode=True, quiet=True)
    for path in exercises:
        count = counts[path]
        if count["collection_errors"]:
            problems.append(f"{path}: its test file does not even load against the practice copy")
        elif not (count["failed"] or count["errors"]):
            problems.append(f"{path}: the practice copy passes all {count['passed']} tests (they cannot tell it is empty)")
    print(f"{len(exercises)} practice copies generated, imported and tested: {len(exercises) - len(problems)} fail their tests as they should.")
    for problem in problems:
        print(f"  - {problem}")
    return 1 if problems else 0


# --------------------------------------------------------------------------- entry point


def build_parser():
    parser = argparse.ArgumentParser(prog="study", description="Work through ML Study Cycle exercise by exercise.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="the curriculum in order with your status").set_defaults(func=cmd_list)
    run = sub.add_parser("run", help="run an exercise script")
    run.add_argument("exercise")
    run.add_argument("--practice", action="store_true", help="run your practice copy")
    run.set_defaults(func=cmd_run)
    prac = sub.add_parser("practice", help="make practice copies (never overwrites your work)")
    prac.add_argument("target", nargs="?", help="an exercise (02.07) or a module (02)")
    prac.add_argument("--all", action="store_true", help="every exercise")
    prac.add_argument("--force", action="store_true", help="replace existing copies (after a backup)")
    prac.set_defaults(func=cmd_practice)
    check = sub.add_parser("check", help="run an exercise's tests and record the result")
    check.add_argument("exercise", nargs="?")
    check.add_argument("--all", action="store_true", help="every exercise")
    check.add_argument("--reference", action="store_true", help="test the reference script, not your copy")
    check.set_defaults(func=cmd_check)
    for name, func, text in [
        ("reset", cmd_reset, "a fresh practice copy (the old one is backed up)"),
        ("hint", cmd_hint, "the next hint for an exercise"),
        ("notebook", cmd_notebook, "convert an exercise to a Jupyter notebook"),
    ]:
        command = sub.add_parser(name, help=text)
        command.add_argument("exercise")
        command.set_defaults(func=func)
    sub.add_parser("next", help="the first exercise not passed yet").set_defaults(func=cmd_next)
    sub.add_parser("progress", help="a progress bar per module").set_defaults(func=cmd_progress)
    sub.add_parser("verify-practice", help="(CI) practice copies import and fail their tests").set_defaults(
        func=cmd_verify_practice
    )
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in {"practice", "check"} and not args.all and not (args.target if args.command == "practice" else args.exercise):
        parser.error(f"{args.command} needs an exercise (e.g. 02.07) or --all")
    try:
        return args.func(args)
    except (StudyError, practice.MarkerError) as err:
        print(f"study: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `study list | head` closed the pipe early: not an error
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
