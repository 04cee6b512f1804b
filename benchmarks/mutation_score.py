"""The mutation score of the last `mutmut run`, per module and overall; exit 1 below the bar.

mutmut keeps each module's results in ``mutants/<path>.meta`` (JSON, ``exit_code_by_key``: one
entry per mutant, with the exit code of the tests run against it). A mutant counts as killed
when the tests failed (exit 1, or 3 for an error inside pytest) or it timed out; "no tests" and
survivors count against the score. ``make mutation`` runs this after mutmut (docs/mutation.md).

    python benchmarks/mutation_score.py [--min 85] [--survivors]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"

#: mutmut's exit codes (mutmut/stats.py), folded into what the score needs.
KILLED = {1, 3, 24, -24, 152, 255, 36}  # tests failed, pytest error, or timeout
SURVIVED = {0}
NO_TESTS = {5, 33}
SKIPPED = {34}


def status(code: int | None) -> str:
    if code in KILLED:
        return "killed"
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


def percent(killed: int, scored: int) -> float:
    return 100.0 * killed / scored if scored else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min", type=float, default=85.0, help="fail below this score (%%)")
    parser.add_argument("--survivors", action="store_true", help="list every mutant not killed")
    args = parser.parse_args(argv)

    results = load()
    if not results:
        print(f"no mutmut results in {MUTANTS}: run `mutmut run` first", file=sys.stderr)
        return 2
    total: Counter[str] = Counter()
    width = max(len(m) for m in results)
    print(f"{'module':<{width}}  killed / scored      %  survived  no tests")
    for module, mutants in results.items():
        counts = Counter(mutants.values())
        total.update(counts)
        scored = len(mutants) - counts["skipped"]
        print(
            f"{module:<{width}}  {counts['killed']:>6} / {scored:<6}  {percent(counts['killed'], scored):5.1f}"
            f"  {counts['survived']:>8}  {counts['no tests']:>8}"
        )
    scored = sum(total.values()) - total["skipped"]
    score = percent(total["killed"], scored)
    print(f"{'all':<{width}}  {total['killed']:>6} / {scored:<6}  {score:5.1f}")
    unfinished = total["not checked"] + total["other"]
    if unfinished:
        print(
            f"{unfinished} mutants not checked or with an unexpected result (see `mutmut results`)"
        )
    if args.survivors:
        for mutants in results.values():
            for name, state in mutants.items():
                if state != "killed":
                    print(f"  {state}: {name}")
    print(f"mutation score {total['killed']}/{scored} = {score:.1f}% (bar: {args.min:.0f}%)")
    if score < args.min:
        print("below the bar: `mutmut results` lists survivors, `mutmut show NAME` shows one")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
