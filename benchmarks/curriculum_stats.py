"""Figures for "one file, one read": script sizes and how exercises load each other.

    python benchmarks/curriculum_stats.py [ROOT]     (ROOT: a checkout, default this one)

Prints the number of exercise scripts, their median and largest length, how many
exceed 300 lines, how many have at most 200 (and exactly 200), the lines over 120
characters, the exercise loads (all, across modules, forward, from scripts that do
not name the target on a `Builds on:` line), the exercises loaded under more than
one alias, and the local `_check*` helpers defined in scripts.
"""
import ast
import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

LOAD = re.compile(r"load_exercise\(\s*[\"']([^\"']+\.py)[\"']")
ALIAS = re.compile(r"^(\w+)\s*=\s*(?:utils\.)?load_exercise\(\s*[\"']([^\"']+\.py)[\"']", re.MULTILINE)


def main(root):
    scripts = sorted(p for p in root.glob("0[0-9]-*/**/ex[0-9][0-9]_*.py"))
    order = {p.relative_to(root).as_posix(): (p.relative_to(root).parts[0], p.name[:4]) for p in scripts}
    lengths, loads, aliases, local_checks, long_lines = [], [], defaultdict(set), 0, 0
    for path in scripts:
        rel, text = path.relative_to(root).as_posix(), path.read_text(encoding="utf-8")
        lengths.append(len(text.splitlines()))
        long_lines += sum(len(line) > 120 for line in text.splitlines())
        docstring = ast.get_docstring(ast.parse(text)) or ""
        builds_on = " ".join(line for line in docstring.split("\n\n") if "Builds on" in line)
        loads += [(rel, target, Path(target).stem in builds_on) for target in LOAD.findall(text)]
        for alias, target in ALIAS.findall(text):
            aliases[target].add(alias)
        local_checks += len(re.findall(r"^def _check\w*\(", text, re.MULTILINE))
    print(f"exercise scripts: {len(scripts)}")
    print(f"lines: median {statistics.median(lengths):.0f}, max {max(lengths)}, over 300: {sum(n > 300 for n in lengths)}, "
          f"at most 200: {sum(n <= 200 for n in lengths)} (exactly 200: {lengths.count(200)}); "
          f"lines over 120 characters: {long_lines}")
    print(f"exercise loads: {len(loads)} in {len({s for s, _, _ in loads})} scripts; "
          f"across modules {sum(s.split('/')[0] != t.split('/')[0] for s, t, _ in loads)}; "
          f"forward {sum(t in order and order[t] >= order[s] for s, t, _ in loads)}; "
          f"not named on a Builds on line {sum(not named for _, _, named in loads)}")
    print(f"exercises loaded under more than one alias: {sum(len(a) > 1 for a in aliases.values())}")
    print(f"local _check* helpers in scripts: {local_checks}")
    for module in sorted({p.relative_to(root).parts[0] for p in scripts}):
        sizes = [n for p, n in zip(scripts, lengths) if p.relative_to(root).parts[0] == module]
        print(f"  {module:<38} {len(sizes):>3} scripts, median {statistics.median(sizes):>5.0f}, max {max(sizes)}, "
              f"loads {sum(s.startswith(module) for s, _, _ in loads)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
