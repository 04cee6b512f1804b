"""The mutation score of the last `mutmut run`, per module and overall; exit 1 below the bar.

mutmut keeps each module's results in ``mutants/<path>.meta`` (JSON, ``exit_code_by_key``: one
entry per mutant, with the exit code of the tests run against it). A mutant counts as killed
when the tests failed (exit 1, or 3 for an error inside pytest) or it timed out; "no tests" and
survivors count against the score. ``make mutation`` runs this after mutmut (docs/mutation.md).

    python benchmarks/mutation_score.py [--min 85] [--survivors] [--part kit.storage]
    python benchmarks/mutation_score.py --selection

The score is over the whole scope: every module that ``only_mutate`` in ``[tool.mutmut]`` names.
A module mutmut has not generated, or whose mutants it has not all checked yet, counts against it
(its unchecked mutants as not killed) and is named, so a partial run never passes as a whole one.
``--part kit.storage`` scores only the modules whose dotted name starts with that prefix (``make
mutation MUTATE="kit.storage kit.palette"`` runs and scores such a part).

``--selection`` checks the test selection of ``[tool.mutmut]`` instead: how many tests it selects,
which it leaves out by name (``--deselect``), and that each of those names still names a test
(a renamed test would otherwise come back unnoticed, or a stale name hide nothing).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"

#: mutmut's exit codes (mutmut/stats.py), folded into what the score needs. A timeout (over the
#: CPU-time limit: SIGXCPU, then SIGKILL one second later, -9) counts as killed, as in mutmut's score.
KILLED = {1, 3, 37}  # tests failed, pytest error, or caught by the type check
TIMEOUT = {24, -24, 152, 255, 36, -9}
SURVIVED = {0}
NO_TESTS = {5, 33}
SKIPPED = {34}


def status(code: int | None) -> str:
    if code in KILLED:
        return "killed"
    if code in TIMEOUT:
        return "timeout"
    if code in SURVIVED:
        return "survived"
    if code in NO_TESTS:
        return "no tests"
    if code in SKIPPED:
        return "skipped"
    return "not checked" if code is None else "other"


def load(folder: Path = MUTANTS) -> dict[str, dict[str, str]]:
    """Module path -> mutant name -> status, for every module mutmut mutated."""
    results = {}
    for meta in sorted(folder.rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        if codes:
            module = meta.relative_to(folder).as_posix().removesuffix(".meta")
            results[module] = {name: status(code) for name, code in codes.items()}
    return results


def scope(root: Path = ROOT) -> list[str]:
    """The module paths ``only_mutate`` names (its globs expanded), in the order of the files."""
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]
    modules: list[str] = []
    for pattern in config["only_mutate"]:
        for path in sorted(root.glob(pattern)):
            name = path.relative_to(root).as_posix()
            if path.is_file() and name not in modules:
                modules.append(name)
    return sorted(modules)


def dotted(module: str) -> str:
    """``kit/storage/keys.py`` -> ``kit.storage.keys``, the prefix of its mutants' names."""
    return module.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def in_part(module: str, parts: list[str]) -> bool:
    """Whether ``module`` is in one of ``parts`` (dotted prefixes; none: the whole scope)."""
    name = dotted(module)
    prefixes = [p.rstrip(".*") for part in parts for p in part.split()]
    return not prefixes or any(name == p or name.startswith(p + ".") for p in prefixes)


def percent(killed: int, scored: int) -> float:
    return 100.0 * killed / scored if scored else 0.0


def collect(arguments: list[str]) -> set[str]:
    """The test ids pytest selects with ``arguments`` (collected only, nothing run)."""
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            *arguments,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode not in (0, 5):
        raise SystemExit(f"pytest could not collect the selection:\n{run.stdout}{run.stderr}")
    return {line for line in run.stdout.splitlines() if "::" in line}


def selection() -> int:
    """Print what the mutation tests select and leave out; 1 when a left-out name names no test."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]
    files = list(config["pytest_add_cli_args_test_selection"])
    arguments = list(config["pytest_add_cli_args"])
    named = [a.removeprefix("--deselect=") for a in arguments if a.startswith("--deselect=")]
    if any(a.startswith(("-k", "--deselect ")) or a == "--deselect" for a in arguments):
        print("use --deselect=NODE_ID, one test each; -k matches substrings of every test's name")
        return 1
    kept = [a for a in arguments if not a.startswith("--deselect=")]
    marked = collect(files + kept)
    selected = collect(files + arguments)
    print(f"{len(selected)} tests selected; left out by name ({len(marked) - len(selected)}):")
    stale = []
    for name in named:
        hits = sorted(t for t in marked - selected if t == name or t.startswith(name + "["))
        print(f"  {name}" + (f" ({len(hits)} cases)" if len(hits) > 1 else ""))
        if not hits:
            stale.append(name)
    wider = sorted(
        t for t in marked - selected if not any(t == n or t.startswith(n + "[") for n in named)
    )
    for test in wider:  # --deselect matches prefixes: test_x also drops test_x_and_more
        print(f"  also dropped (a name is a prefix of it): {test}")
    for name in stale:
        print(f"  names no test: {name}")
    return 1 if stale or wider else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min", type=float, default=85.0, help="fail below this score (%%)")
    parser.add_argument("--survivors", action="store_true", help="list every mutant not killed")
    parser.add_argument(
        "--selection", action="store_true", help="check the test selection instead (nothing run)"
    )
    parser.add_argument(
        "--part",
        action="append",
        default=[],
        help="score only the modules whose dotted name starts with this (repeatable)",
    )
    args = parser.parse_args(argv)
    if args.selection:
        return selection()

    results = load()
    if not results:
        print(f"no mutmut results in {MUTANTS}: run `mutmut run` first", file=sys.stderr)
        return 2
    wanted = [m for m in scope() if in_part(m, args.part)]
    if not wanted:
        print(f"no module of the scope matches {' '.join(args.part)!r}", file=sys.stderr)
        return 2
    missing = [m for m in wanted if m not in results and not (MUTANTS / m).exists()]
    total: Counter[str] = Counter()
    width = max(len(m) for m in wanted)
    print(f"{'module':<{width}}  killed / scored      %  survived  timeout  no tests  unchecked")
    for module in wanted:
        mutants = results.get(module, {})
        if not mutants:
            continue  # generated, but nothing in it to mutate (e.g. an __init__.py)
        counts = Counter(mutants.values())
        total.update(counts)
        scored = len(mutants) - counts["skipped"]
        unchecked = counts["not checked"] + counts["other"]
        dead = counts["killed"] + counts["timeout"]
        print(
            f"{module:<{width}}  {dead:>6} / {scored:<6}  {percent(dead, scored):5.1f}"
            f"  {counts['survived']:>8}  {counts['timeout']:>7}  {counts['no tests']:>8}  {unchecked:>9}"
        )
    for module in missing:
        print(f"{module:<{width}}  not mutated: no results in {MUTANTS.name}/ (run mutmut on it)")
    scored = sum(total.values()) - total["skipped"]
    dead = total["killed"] + total["timeout"]
    score = percent(dead, scored)
    print(f"{'all':<{width}}  {dead:>6} / {scored:<6}  {score:5.1f}")
    unfinished = total["not checked"] + total["other"]
    if unfinished:
        print(
            f"{unfinished} mutants not checked or with an unexpected result (see `mutmut results`);"
            " they count as not killed"
        )
    if args.survivors:
        for module in wanted:
            for name, state in results.get(module, {}).items():
                if state not in ("killed", "timeout"):
                    print(f"  {state}: {name}")
    what = f"the part {' '.join(args.part)}" if args.part else "the whole scope"
    print(f"mutation score of {what}: {dead}/{scored} = {score:.1f}% (bar: {args.min:.0f}%)")
    if missing:
        print(f"{len(missing)} modules of the scope have no results: the score is not complete")
        return 1
    if score < args.min:
        print("below the bar: `mutmut results` lists survivors, `mutmut show NAME` shows one")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
