"""`study`: the learner's command line for ML Study Cycle.

    study list                      the curriculum in order: difficulty, minutes, your status
    study next                      where to go on: the exercise you worked on last, or the one after
    study run 02.07                 run a script: your practice copy if you have one, else the reference
    study practice 02.07            make your practice copy (a module: 02; everything: --all)
    study check 02.07               run its tests on your copy and explain each failure (a module: 02, --all)
    study watch [02.07]             check again every time you save the copy (Ctrl-C stops)
    study hint 02.07                the next layer of hints, for every part you write
    study diff 02.07                your copy against the reference, only the functions you write
    study solution 02.07 [PART]     the reference code of one part (asks first; --yes does not ask)
    study reset 02.07               start the exercise again (your old copy is backed up)
    study progress                  a bar per module
    study notebook 02.07            the exercise as a Jupyter notebook (notebooks/exercises/)
    study notebooks [--build]       the interactive explorations in notebooks/ (--build: run and save them)

IDs are ``02.07``, a name (``decision_tree``), a fragment that names exactly one exercise,
or a path. Installed by `pip install -r requirements.txt`; `python -m utils.study` works too.
Progress lives in `.progress.json` at the repository root (ignored by git), or in the file
named by ``MLSC_PROGRESS_FILE``.
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
import time
from pathlib import Path

import utils
from utils import practice

STATUSES = ("passed", "failing", "not tried")
MODES = ("practice", "reference")
DIFFICULTY = re.compile(r"^Difficulty: ([123]) of 3, about (\d+) minutes\.$", re.MULTILINE)
DETAILED_FAILURES = 3  # wrong results explained in full by `study check`; the rest are named


class StudyError(Exception):
    """A problem to explain to the learner in one message, without a traceback."""


# --------------------------------------------------------------------------- finding exercises


def exercise_id(path):
    """``"02-fundamentals-of-machine-learning/ex08_decision_tree.py"`` -> ``"02.08"``."""
    return f"{path[:2]}.{Path(path).name[2:4]}"


def _label(path):
    return f"{exercise_id(path)} {Path(path).stem[5:]}"


def _modules():
    return sorted({p.split("/")[0] for p in utils.list_exercises()})


def resolve(query, allow_module=False, command=None):
    """The exercise paths a learner's ID stands for.

    Accepts ``02.07`` (module.number), a path, a script name or a fragment of one that
    names exactly one exercise (``decision_tree``), and with ``allow_module`` a module
    (``02`` or its folder). Every command refuses an ambiguous ID the same way.
    """
    exercises = utils.list_exercises()
    text = query.strip().replace("\\", "/").rstrip("/")
    for module in _modules():
        if text in {module, module[:2], str(int(module[:2]))}:
            if allow_module:
                return [p for p in exercises if p.startswith(module + "/")]
            example = exercise_id(next(p for p in exercises if p.startswith(module + "/")))
            doing = f"`study {command}`" if command else "this command"
            raise StudyError(f"{query!r} is a whole module ({module}); {doing} takes one exercise, e.g. {example}.")
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})", text)
    if match:
        wanted = f"{int(match.group(1)):02d}.{int(match.group(2)):02d}"
        found = [p for p in exercises if exercise_id(p) == wanted]
    else:
        key = Path(text).name.removesuffix(".py").lower().replace("-", "_")
        exact = [p for p in exercises if p == text or Path(p).stem == key or Path(p).stem[5:] == key]
        found = exact or [p for p in exercises if key and key in Path(p).stem]
    if len(found) == 1:
        return found
    if len(found) > 1:
        shown = ", ".join(_label(p) for p in found[:6]) + (f" and {len(found) - 6} more" if len(found) > 6 else "")
        raise StudyError(f"{query!r} matches several exercises: {shown}. Use the number, e.g. {exercise_id(found[0])}.")
    close = _close_matches(text.lower(), exercises)
    suggestion = f" Did you mean: {', '.join(close)}?" if close else " `study list` shows them all."
    raise StudyError(f"no exercise matches {query!r}.{suggestion}")


def _close_matches(text, exercises, n=3):
    """Exercises whose name, or a word of it, is spelled like ``text``."""
    by_word = {}
    for path in exercises:
        topic = Path(path).stem[5:]
        for word in [topic] + topic.split("_"):
            by_word.setdefault(word, []).append(_label(path))
    words = difflib.get_close_matches(text.replace("-", "_"), list(by_word), n=n, cutoff=0.6)
    return list(dict.fromkeys(name for word in words for name in by_word[word]))[:n]


def resolve_one(query, command=None):
    return resolve(query, command=command)[0]


def difficulty(path):
    """``(level 1-3, minutes)`` from the ``Difficulty: 2 of 3, about 25 minutes.`` docstring line, or None."""
    docstring = ast.get_docstring(ast.parse((utils.REPO_ROOT / path).read_text(encoding="utf-8"))) or ""
    found = DIFFICULTY.search(docstring)
    return (int(found.group(1)), int(found.group(2))) if found else None


# --------------------------------------------------------------------------- progress file


def progress_file():
    return Path(os.environ.get("MLSC_PROGRESS_FILE") or utils.REPO_ROOT / ".progress.json")


def _empty_progress():
    return {"version": 1, "status": {}, "hints": {}, "last": None}


def _check_progress(progress):
    """Raise ValueError naming the first part of a progress dict with the wrong shape or type."""
    if not isinstance(progress, dict):
        raise ValueError(f"expected a JSON object, found {type(progress).__name__}")
    for key in ("status", "hints"):
        if not isinstance(progress.get(key), dict):
            raise ValueError(f"'{key}' should be an object, found {type(progress.get(key)).__name__}")
    for name, modes in progress["status"].items():
        if not isinstance(modes, dict):
            raise ValueError(f"status of {name!r} should be an object like {{'practice': 'passed'}}, found {modes!r}")
        for mode, value in modes.items():
            if mode not in MODES or value not in STATUSES:
                raise ValueError(f"status of {name!r} has {mode!r}: {value!r}")
    for name, count in progress["hints"].items():
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"hint count of {name!r} should be a whole number >= 0, found {count!r}")
    if progress.get("last") is not None and not isinstance(progress["last"], str):
        raise ValueError(f"'last' should be an exercise name, found {progress['last']!r}")


def _set_aside(path):
    """Move a bad progress file to the first free ``<name>.<n>.corrupt``; earlier copies are kept."""
    number = 1
    while path.with_name(f"{path.name}.{number}.corrupt").exists():
        number += 1
    aside = path.with_name(f"{path.name}.{number}.corrupt")
    path.replace(aside)
    return aside


def load_progress():
    """The stored progress; a file that is unreadable or has any wrong shape is set aside and restarted."""
    path = progress_file()
    if not path.exists():
        return _empty_progress()
    try:
        progress = json.loads(path.read_text(encoding="utf-8"))
        _check_progress(progress)
    except (ValueError, OSError) as err:
        aside = _set_aside(path)
        print(f"note: {path.name} could not be used ({err}); starting a new one (the old one is kept as {aside.name})", file=sys.stderr)
        return _empty_progress()
    progress.setdefault("last", None)
    return progress


def save_progress(progress):
    path = progress_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(progress, indent=1, sort_keys=True), encoding="utf-8")
    temporary.replace(path)  # atomic: an interrupted save never leaves half a file


def status_of(progress, path, mode="practice"):
    return progress["status"].get(Path(path).stem, {}).get(mode, "not tried")


def _touch(path):
    """Remember ``path`` as the exercise worked on last (for `study next` and `study watch`)."""
    progress = load_progress()
    progress["last"] = Path(path).stem
    save_progress(progress)


# --------------------------------------------------------------------------- running tests


def test_file(path):
    return utils.REPO_ROOT / "tests" / Path(path).parent / f"test_{Path(path).name}"


def _relative(path):
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def syntax_problem(copy):
    """The file / line / caret text of a practice copy that does not compile, or None."""
    try:
        compile(copy.read_text(encoding="utf-8"), str(copy), "exec")
    except SyntaxError as err:
        line = (err.text or "").rstrip("\n")
        stripped = line.lstrip()
        caret = " " * max(0, (err.offset or 1) - 1 - (len(line) - len(stripped)))
        return f'  File "{_relative(copy)}", line {err.lineno}\n    {stripped}\n    {caret}^\n{type(err).__name__}: {err.msg}'
    return None


def run_tests(paths, practice_mode, verbose=False):
    """Run the test files of ``paths`` in one pytest process.

    Returns
    -------
    (dict, str)
        ``{path: [record, ...]}`` with one record per test or broken test file (written by
        tests/conftest.py: ``outcome``, and for failures ``kind``, ``words``, ``check``,
        values, hint), and pytest's own output.
    """
    files = [test_file(p) for p in paths]
    missing = [str(f.relative_to(utils.REPO_ROOT)) for f in files if not f.exists()]
    if missing:
        raise StudyError(f"no tests found at {', '.join(missing)}")
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.jsonl"
        env = dict(os.environ, MLSC_PRACTICE="1" if practice_mode else "0", MLSC_REPORT_FILE=str(report))
        command = [sys.executable, "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider"]
        command += ["-n", str(os.cpu_count() or 1)] if len(files) > 8 else ["-n", "0"]  # a few files start faster in one process
        command += [str(f.relative_to(utils.REPO_ROOT)) for f in files]
        result = subprocess.run(command, cwd=utils.REPO_ROOT, env=env, capture_output=True, text=True)
        lines = report.read_text(encoding="utf-8").splitlines() if report.exists() else []
    if verbose:
        print(result.stdout + result.stderr, end="")
    by_file = {test_file(p).relative_to(utils.REPO_ROOT).as_posix(): p for p in paths}
    records = {p: [] for p in paths}
    seen_broken = set()
    for line in lines:
        record = json.loads(line)
        path = by_file.get(record.get("nodeid", "").split("::")[0])
        if record.get("outcome") == "collect_error":  # with several workers each one reports it
            if record["nodeid"] in seen_broken:
                continue
            seen_broken.add(record["nodeid"])
        if path:
            records[path].append(record)
    if not any(records.values()) and result.returncode not in (0, 1):
        raise StudyError(f"pytest could not run the tests:\n{(result.stdout + result.stderr)[-2000:]}")
    return records, result.stdout


def count(records):
    """``{"passed": n, "failed": n, "errors": n, "collection_errors": n}`` of one exercise's records."""
    counts = {"passed": 0, "failed": 0, "errors": 0, "collection_errors": 0}
    for record in records:
        key = {"passed": "passed", "failed": "failed", "error": "errors", "collect_error": "collection_errors"}.get(record["outcome"])
        if key:
            counts[key] += 1
    return counts


def verdict(counts):
    broken = counts["failed"] or counts["errors"] or counts["collection_errors"]
    return "passed" if counts["passed"] and not broken else "failing"


def _indent(text, prefix):
    return "\n".join(prefix + line for line in str(text).splitlines())


def unwritten(path):
    """The functions of ``path`` whose practice copy still raises the TODO's NotImplementedError."""
    copy = utils.exercise_path(path, practice=True)
    if not copy.exists():
        return []
    text = copy.read_text(encoding="utf-8")
    regions = practice.regions_of((utils.REPO_ROOT / path).read_text(encoding="utf-8"), Path(path).name)
    names = dict.fromkeys(r.function for r in regions)
    return [name for name in names if f"{Path(path).name}: {name} is not written yet" in text]


def explain(path, records, limit=DETAILED_FAILURES, todo=()):
    """The plain-words report of one exercise's test records, as a list of lines.

    ``todo`` names functions still marked TODO in the copy: they are listed even when no
    check reached them yet (a backward pass is only called after its forward pass).
    """
    counts = count(records)
    total = counts["passed"] + counts["failed"] + counts["errors"]
    out = []
    broken_files = [r for r in records if r["outcome"] == "collect_error"]
    for record in broken_files:
        if record.get("kind") == "import":
            out += ["Your practice copy does not import:", _indent(record["message"], "  ")]
        elif record.get("kind") == "not_written":
            out.append(f"The tests cannot even load: {record.get('function', '?')} is not written yet ({record['message']}).")
        else:
            out.append(record.get("message", "the test file could not be loaded"))
    failures = [r for r in records if r["outcome"] in ("failed", "error")]
    waiting = {name: [] for name in todo}
    for record in failures:
        if record.get("kind") == "not_written":
            waiting.setdefault(record["function"], []).append(record["words"])
    if waiting:
        out.append(f"Not written yet ({sum(map(len, waiting.values()))} checks wait on them):")
        width = max(map(len, waiting))
        for function, tests in waiting.items():
            if tests:
                out.append(f"  - {function:<{width}}  needed by {len(tests)} check{'s' * (len(tests) > 1)}, e.g. \"{tests[0]}\"")
            else:
                out.append(f"  - {function:<{width}}  (its checks run once the ones above pass)")
    wrong = [r for r in failures if r.get("kind") != "not_written"]
    if wrong:
        out.append(f"Wrong results ({len(wrong)}):")
    for record in wrong[:limit]:
        out.append(f"  x {record.get('words') or record.get('nodeid', '?').split('::')[-1]}")
        if record.get("check"):
            out.append(f"    {record['check']}")
        if record.get("at"):
            where = f"   (with {', '.join(record['where'])})" if record.get("where") else ""
            out.append(f"    failed at: {record['at']}{where}")
        if "actual" in record:
            mine, theirs = record.get("labels", ("yours", "expected"))
            for label, key in ((mine, "actual"), (theirs, "expected")):
                shape = f"   shape {tuple(record[key + '_shape'])}" if record.get(key + "_shape") is not None else ""
                text = _indent(record[key], " " * 24).strip()
                out.append(f"    {label + ':':<20}{text}{shape}")
            if record.get("gap"):
                out.append(f"    {record['gap']}")
        if record.get("message") and not (record["message"].startswith("assert ") and "actual" in record):
            out.append(_indent(record["message"], "    "))
        for comment in record.get("comments", []):
            out.append(f"    hint from the test: {comment}")
    if len(wrong) > limit:
        rest = [r.get("words", "?") for r in wrong[limit:]]
        out.append(f"  ... and {len(rest)} more: " + "; ".join(rest[:8]) + (" ..." if len(rest) > 8 else ""))
        out.append(f"  (fix the ones above first; `study check {exercise_id(path)} --verbose` shows pytest's full output)")
    if total:
        out.append(f"{counts['passed']} of {total} checks pass.")
    else:
        out.append("0 checks ran.")
    return out


# --------------------------------------------------------------------------- commands


def cmd_list(args):
    progress = load_progress()
    module = None
    for path in utils.list_exercises():
        if path.split("/")[0] != module:
            module = path.split("/")[0]
            print(f"\n{module}")
        level = difficulty(path)
        effort = f"{'*' * level[0]:<3} {level[1]:>3} min" if level else "  ?        "
        print(f"  {exercise_id(path)}  {Path(path).stem[5:]:<36} {effort}   {status_of(progress, path)}")
    print("\n(* easy, ** medium, *** hard; minutes to write and pass the practice copy)")
    return 0


def cmd_run(args):
    path = resolve_one(args.exercise, "run")
    copy = utils.exercise_path(path, practice=True)
    use_copy = args.practice or (copy.exists() and not args.reference)
    if args.practice and not copy.exists():
        raise StudyError(f"no practice copy at {_relative(copy)}; make it with `study practice {exercise_id(path)}`")
    env = dict(os.environ, MLSC_PRACTICE="0")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(utils.REPO_ROOT), os.environ.get("PYTHONPATH")]))
    if use_copy:
        target = copy
        env["MLSC_FIGURE_DIR"] = str(utils.practice_root() / "figures")
        print(f"running your practice copy {_relative(copy)} (the reference: `study run {exercise_id(path)} --reference`)")
    else:
        target = utils.REPO_ROOT / path
        print(f"running the reference {path}" + (" (no practice copy yet)" if not copy.exists() else ""))
    sys.stdout.flush()
    _touch(path)
    return subprocess.run([sys.executable, target.name], cwd=target.parent, env=env).returncode


def cmd_practice(args):
    targets = utils.list_exercises() if args.all else resolve(args.target, allow_module=True, command="practice")
    for path in targets:
        copy, status = practice.write_practice_copy(path, force=args.force)
        shown = _relative(copy)
        if status == "kept":
            print(f"kept     {shown} (your work is there; `study reset {exercise_id(path)}` starts afresh)")
        else:
            print(f"{status:<8} {shown}")
    if len(targets) == 1:
        _touch(targets[0])
        print(f"\nNext: open it, write the TODOs, then `study check {exercise_id(targets[0])}` (or `study watch`).")
    return 0


def cmd_reset(args):
    path = resolve_one(args.exercise, "reset")
    copy, status = practice.write_practice_copy(path, force=True)
    progress = load_progress()
    progress["hints"].pop(Path(path).stem, None)
    progress["status"].get(Path(path).stem, {}).pop("practice", None)
    progress["last"] = Path(path).stem
    save_progress(progress)
    note = " (your previous copy is saved beside it as a .bak file)" if status == "replaced" else ""
    print(f"fresh practice copy at {_relative(copy)}{note}; hints start again at level 1")
    return 0


def _check_targets(args):
    if args.all:
        return utils.list_exercises()
    return resolve(args.exercise, allow_module=True, command="check")


def check(targets, use_practice, verbose=False, single=None):
    """Run the tests of ``targets``, print the report, record the result; True when all pass."""
    mode = "practice" if use_practice else "reference"
    single = len(targets) == 1 if single is None else single
    progress = load_progress()
    broken = {}
    if use_practice:
        for path in targets:
            problem = syntax_problem(utils.exercise_path(path, practice=True))
            if problem:
                broken[path] = problem
    runnable = [p for p in targets if p not in broken]
    records, _ = run_tests(runnable, use_practice, verbose=verbose) if runnable else ({}, "")
    results = {}
    for path in targets:
        if path in broken:
            results[path] = "failing"
            lines = ["Your practice copy does not import:", broken[path]]
        else:
            results[path] = verdict(count(records[path]))
            lines = explain(path, records[path], todo=unwritten(path) if use_practice else ())
        progress["status"].setdefault(Path(path).stem, {})[mode] = results[path]
        if single:
            if not verbose:
                print("\n".join(lines))
            print(f"{_label(path)} ({mode}): {'passed' if results[path] == 'passed' else 'not passing yet'}")
        else:
            summary = lines[-1] if path not in broken else "does not import"
            print(f"  {exercise_id(path)}  {Path(path).stem[5:]:<36} {results[path]:<8} {summary}")
    if single:
        progress["last"] = Path(targets[0]).stem
    save_progress(progress)
    failing = [p for p in targets if results[p] != "passed"]
    if not single:
        print(f"\n{len(targets) - len(failing)} of {len(targets)} exercises pass" + (f"; `study check {exercise_id(failing[0])}` explains why it fails" if failing else "."))
    return not failing


def cmd_check(args):
    targets = _check_targets(args)
    use_practice = not args.reference
    if use_practice:
        missing = [p for p in targets if not utils.exercise_path(p, practice=True).exists()]
        if len(targets) == 1 and missing:
            raise StudyError(f"no practice copy of {_label(missing[0])} yet; make it with `study practice {exercise_id(missing[0])}` (or add --reference)")
        if missing and len(missing) == len(targets):
            what = "--all" if args.all else args.exercise
            raise StudyError(f"no practice copies there yet; make them with `study practice {what}` (or add --reference)")
        if missing:
            print(f"({len(missing)} without a practice copy skipped, e.g. {_label(missing[0])})")
        targets = [p for p in targets if p not in missing]
    return 0 if check(targets, use_practice, verbose=args.verbose, single=len(targets) == 1 and not args.all) else 1


def _sleep(seconds):  # a seam for the tests
    time.sleep(seconds)


def _stamp(path):
    try:
        stat = path.stat()
        return stat.st_mtime_ns, stat.st_size
    except FileNotFoundError:
        return None


def cmd_watch(args):
    if args.exercise:
        path = resolve_one(args.exercise, "watch")
    else:
        path = _next_exercise(load_progress())[0]
        if path is None:
            raise StudyError("you have passed every exercise; name one to watch, e.g. `study watch 02.07`")
    copy = utils.exercise_path(path, practice=True)
    if not copy.exists():
        raise StudyError(f"no practice copy of {_label(path)} yet; make it with `study practice {exercise_id(path)}`")
    print(f"watching {_relative(copy)}: every save runs its checks (Ctrl-C stops)\n")
    passed = check([path], True, single=True)
    seen, polls = _stamp(copy), 0
    try:
        while args.polls is None or polls < args.polls:
            _sleep(args.interval)
            polls += 1
            now = _stamp(copy)
            if now != seen and now is not None:
                seen = now
                print(f"\n--- {time.strftime('%H:%M:%S')} {copy.name} changed; checking again\n")
                passed = check([path], True, single=True)
                if passed:
                    print(f"Passed! `study next` says where to go on.")
    except KeyboardInterrupt:
        print("\nstopped watching")
    return 0 if passed else 1


def _hints_of(path):
    return practice.region_hints((utils.REPO_ROOT / path).read_text(encoding="utf-8"), Path(path).name)


def cmd_hint(args):
    path = resolve_one(args.exercise, "hint")
    regions = _hints_of(path)
    deepest = max((max(hints) for _, hints in regions if hints), default=0)
    progress = load_progress()
    if deepest == 0:
        print(f"{_label(path)} has no hints yet; `study diff {exercise_id(path)}` compares your copy with the reference.")
        return 0
    stem = Path(path).stem
    level = progress["hints"].get(stem, 0) + 1
    progress["last"] = stem
    if level > deepest:
        print(f"No more hints for {_label(path)} (you have seen all {deepest} levels).")
        print(f"`study diff {exercise_id(path)}` shows your copy against the reference; "
              f"`study solution {exercise_id(path)}` shows the reference code of one part.")
        save_progress(progress)
        return 0
    print(f"Hint level {level} of {deepest} for {_label(path)}:")
    for function, hints in regions:
        if level in hints:
            print(f"\n  {function}:")
            print(_indent(hints[level], "    "))
    missing = [function for function, hints in regions if level not in hints]
    if missing:
        print(f"\n  (no level-{level} hint for {', '.join(missing)}: the earlier ones say it all)")
    if level < deepest:
        print(f"\n(`study hint {exercise_id(path)}` again for level {level + 1}.)")
    else:
        print(f"\n(That was the last level; `study diff {exercise_id(path)}` compares your copy with the reference.)")
    progress["hints"][stem] = level
    save_progress(progress)
    return 0


def _function_sources(source, filename):
    """``{qualified name: source lines}`` of every function in ``source``."""
    tree = ast.parse(source, filename)
    lines = source.splitlines()
    found = {}

    def visit(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                name = prefix + child.name
                if not isinstance(child, ast.ClassDef):
                    start = min([child.lineno] + [d.lineno for d in child.decorator_list])
                    found[name] = lines[start - 1 : child.end_lineno]
                visit(child, name + ".")

    visit(tree, "")
    return found


def _copy_or_explain(path):
    copy = utils.exercise_path(path, practice=True)
    if not copy.exists():
        raise StudyError(f"no practice copy of {_label(path)} yet; make it with `study practice {exercise_id(path)}`")
    problem = syntax_problem(copy)
    if problem:
        raise StudyError(f"your practice copy does not compile, so it cannot be compared:\n{problem}")
    return copy


def cmd_diff(args):
    path = resolve_one(args.exercise, "diff")
    copy = _copy_or_explain(path)
    reference_source = (utils.REPO_ROOT / path).read_text(encoding="utf-8")
    regions = practice.regions_of(reference_source, Path(path).name)
    drop = re.compile(r"^\s*# (BEGIN SOLUTION|END SOLUTION|HINT \d+:)")
    reference = {n: [l for l in lines if not drop.match(l)] for n, lines in _function_sources(reference_source, path).items()}
    mine = {n: [l for l in lines if not drop.match(l)] for n, lines in _function_sources(copy.read_text(encoding="utf-8"), str(copy)).items()}
    same, shown = [], 0
    for name in dict.fromkeys(region.function for region in regions):
        if name not in mine:
            print(f"--- {name}: not in your copy (the reference has it)\n")
            shown += 1
            continue
        diff = list(difflib.unified_diff(mine[name], reference[name], f"yours: {name}", f"reference: {name}", lineterm=""))
        if diff:
            print("\n".join(diff) + "\n")
            shown += 1
        else:
            same.append(name)
    if same:
        print(f"same as the reference: {', '.join(same)}")
    print(f"({shown} of {shown + len(same)} functions differ; lines with - are yours, + the reference's)")
    _touch(path)
    return 0


def cmd_solution(args):
    path = resolve_one(args.exercise, "solution")
    regions = practice.regions_of((utils.REPO_ROOT / path).read_text(encoding="utf-8"), Path(path).name)
    names = [f"{i}. {r.function}" for i, r in enumerate(regions, start=1)]
    if args.part is None:
        copy = utils.exercise_path(path, practice=True)
        text = copy.read_text(encoding="utf-8") if copy.exists() else ""
        todo = [i for i, r in enumerate(regions) if f" {r.function} is not written yet" in text]
        index = todo[0] if todo else 0
    elif args.part.isdigit() and 1 <= int(args.part) <= len(regions):
        index = int(args.part) - 1
    else:
        matches = [i for i, r in enumerate(regions) if args.part in (r.function, r.function.split(".")[-1])]
        if len(matches) != 1:
            raise StudyError(f"{args.part!r} is not one part of {_label(path)}; its parts are: {'; '.join(names)}")
        index = matches[0]
    region = regions[index]
    what = f"the reference code of {region.function} (part {index + 1} of {len(regions)} of {_label(path)})"
    if not args.yes:
        if not sys.stdin.isatty():
            raise StudyError(f"this would show {what}; not asking because input is not a terminal. "
                             f"Add --yes to show it: `study solution {exercise_id(path)} {index + 1} --yes`")
        answer = input(f"Show {what}? It spoils the exercise; `study hint` goes one step at a time. [y/N] ")
        if answer.strip().lower() not in {"y", "yes"}:
            print("not shown")
            return 0
    print(f"# {region.function}: {region.summary}")
    print(region.code)
    if len(regions) > 1:
        print(f"\n(parts: {'; '.join(names)})")
    _touch(path)
    return 0


def _next_exercise(progress):
    """(path, why): the exercise worked on last if not passed, else the first one after it not passed."""
    exercises = utils.list_exercises()
    stems = [Path(p).stem for p in exercises]
    start = stems.index(progress["last"]) if progress.get("last") in stems else 0
    for path in exercises[start:] + exercises[:start]:
        if status_of(progress, path) != "passed":
            why = "you worked on it last" if Path(path).stem == progress.get("last") else "the next one not passed"
            return path, why
    return None, None


def cmd_next(args):
    progress = load_progress()
    path, why = _next_exercise(progress)
    if path is None:
        print("You have passed every exercise. Congratulations!")
        return 0
    level = difficulty(path)
    effort = f", difficulty {level[0]} of 3, about {level[1]} minutes" if level else ""
    print(f"Next: {_label(path)} ({why}{effort})\n  {path}")
    if utils.exercise_path(path, practice=True).exists():
        print(f"Your copy is there: `study check {exercise_id(path)}` (or `study watch`), `study hint {exercise_id(path)}` when stuck.")
    else:
        print(f"Read it, run it (`study run {exercise_id(path)}`), then `study practice {exercise_id(path)}`.")
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


def cmd_notebook(args):
    path = resolve_one(args.exercise, "notebook")
    copy = utils.exercise_path(path, practice=True)
    use_copy = copy.exists() and not args.reference
    try:
        import jupytext
    except ImportError:
        raise StudyError("converting to a notebook needs jupytext: `pip install jupytext`, then run this again")
    notebook = jupytext.read(copy if use_copy else utils.REPO_ROOT / path, fmt="py:percent")
    first = notebook.cells[0] if notebook.cells else None
    if first is not None and first.cell_type == "code":  # the module docstring reads best as text
        lines = first.source.strip().splitlines()
        count = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
        header = [line.lstrip("#").strip() for line in lines[:count]]  # a practice copy's first line
        rest = "\n".join(lines[count:])
        docstring = ast.get_docstring(ast.parse(rest))
        if docstring and rest.strip().startswith(('"""', "'''")) and len(ast.parse(rest).body) == 1:
            text = "\n\n".join(["\n".join(header), docstring]) if header else docstring  # a copy's header first
            notebook.cells[0] = jupytext.reads("# %% [markdown]\n# " + text.replace("\n", "\n# "), fmt="py:percent").cells[0]
    # notebooks/ itself holds the explorations; converted exercises go beside them, ignored by git
    folder = utils.practice_root() / "notebooks" if use_copy else utils.REPO_ROOT / "notebooks" / "exercises"
    target = folder / f"{Path(path).stem}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    jupytext.write(notebook, target)
    print(f"notebook of {'your practice copy' if use_copy else 'the reference'} written to {_relative(target)}")
    return 0


def cmd_notebooks(args):
    """List the interactive explorations, or (--build) run each in a kernel and save it with its figures."""
    from utils import notebooks

    chosen = [p for p in notebooks.sources() if not args.prefixes or p.name.startswith(tuple(args.prefixes))]
    if not chosen:
        raise StudyError(f"no exploration in notebooks/ starts with {' or '.join(args.prefixes)}")
    if args.build:
        notebooks.build(chosen)
        return 0
    for source in chosen:
        title = next((line[2:].strip("# ").strip() for line in source.read_text(encoding="utf-8").splitlines()
                      if line.startswith("# # ")), source.stem)
        print(f"{_relative(source.with_suffix('.ipynb')):<48} {title}")
    print("\nOpen them with `jupyter lab notebooks/` (or in VS Code) and move the sliders.")
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
        records, _ = run_tests(exercises, practice_mode=True)
    for path in exercises:
        counts = count(records[path])
        if counts["collection_errors"]:
            problems.append(f"{path}: its test file does not even load against the practice copy")
        elif not (counts["failed"] or counts["errors"]):
            problems.append(f"{path}: the practice copy passes all {counts['passed']} tests (they cannot tell it is empty)")
    print(f"{len(exercises)} practice copies generated, imported and tested: {len(exercises) - len(problems)} fail their tests as they should.")
    for problem in problems:
        print(f"  - {problem}")
    return 1 if problems else 0


# --------------------------------------------------------------------------- entry point


def build_parser():
    parser = argparse.ArgumentParser(prog="study", description="Work through ML Study Cycle exercise by exercise.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="the curriculum in order with difficulty, minutes and your status").set_defaults(func=cmd_list)
    run = sub.add_parser("run", help="run an exercise: your practice copy if there is one, else the reference")
    run.add_argument("exercise")
    which = run.add_mutually_exclusive_group()
    which.add_argument("--practice", action="store_true", help="run your practice copy (the default when it exists)")
    which.add_argument("--reference", action="store_true", help="run the reference script")
    run.set_defaults(func=cmd_run)
    prac = sub.add_parser("practice", help="make practice copies (never overwrites your work)")
    prac.add_argument("target", nargs="?", help="an exercise (02.07) or a module (02)")
    prac.add_argument("--all", action="store_true", help="every exercise")
    prac.add_argument("--force", action="store_true", help="replace existing copies (after a backup)")
    prac.set_defaults(func=cmd_practice)
    check = sub.add_parser("check", help="run an exercise's tests, explain the failures, record the result")
    check.add_argument("exercise", nargs="?", help="an exercise (02.07) or a module (02)")
    check.add_argument("--all", action="store_true", help="every exercise that has a practice copy")
    check.add_argument("--reference", action="store_true", help="test the reference script, not your copy")
    check.add_argument("--verbose", action="store_true", help="pytest's full output instead of the short report")
    check.set_defaults(func=cmd_check)
    watch = sub.add_parser("watch", help="check your copy again every time you save it")
    watch.add_argument("exercise", nargs="?", help="default: the one `study next` names")
    watch.add_argument("--interval", type=float, default=1.0, help="seconds between looks at the file (default 1)")
    watch.add_argument("--polls", type=int, default=None, help="stop after this many looks (default: until Ctrl-C)")
    watch.set_defaults(func=cmd_watch)
    solution = sub.add_parser("solution", help="the reference code of one part of an exercise (asks first)")
    solution.add_argument("exercise")
    solution.add_argument("part", nargs="?", help="its number or function name (default: the first you have not written)")
    solution.add_argument("--yes", action="store_true", help="do not ask (needed when input is not a terminal)")
    solution.set_defaults(func=cmd_solution)
    notebook = sub.add_parser("notebook", help="convert an exercise (your copy if there is one) to a Jupyter notebook")
    notebook.add_argument("exercise")
    notebook.add_argument("--reference", action="store_true", help="convert the reference even if you have a copy")
    notebook.set_defaults(func=cmd_notebook)
    explorations = sub.add_parser("notebooks", help="the interactive explorations in notebooks/ (--build rebuilds them)")
    explorations.add_argument("prefixes", nargs="*", help="only the notebooks whose names start so (e.g. 04)")
    explorations.add_argument("--build", action="store_true", help="run each in a Jupyter kernel and save it with its figures")
    explorations.set_defaults(func=cmd_notebooks)
    for name, func, text in [
        ("reset", cmd_reset, "a fresh practice copy (the old one is backed up) and hints from level 1"),
        ("hint", cmd_hint, "the next level of hints for an exercise"),
        ("diff", cmd_diff, "your copy against the reference, only the functions you write"),
    ]:
        command = sub.add_parser(name, help=text)
        command.add_argument("exercise")
        command.set_defaults(func=func)
    sub.add_parser("next", help="the exercise to work on next").set_defaults(func=cmd_next)
    sub.add_parser("progress", help="a progress bar per module").set_defaults(func=cmd_progress)
    sub.add_parser("verify-practice", help="(CI) practice copies import and fail their tests").set_defaults(
        func=cmd_verify_practice
    )
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command in {"practice", "check"} and not args.all and not (args.target if args.command == "practice" else args.exercise):
        parser.error(f"{args.command} needs an exercise (e.g. 02.07), a module (e.g. 02) or --all")
    if getattr(args, "polls", None) is not None and args.polls < 0 or getattr(args, "interval", 1.0) < 0:
        parser.error("--polls and --interval must not be negative")
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
