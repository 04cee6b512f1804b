"""Mutation testing of kit-page.js by hand-made mutants (mutmut covers Python only).

Each mutant breaks one behaviour of the page script; the tests in ``tests/test_kit_page_js.py``
that guard it must then fail. Run ``python -m tests.kit_page_mutants`` (about four minutes): it
prints every mutant as killed or survived and exits 1 when one survived or no longer applies
(the script changed: update the mutant). The script is restored after every mutant, also when
the run is interrupted.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

from tests.conftest import ROOT
from tests.test_kit_page_js import SCRIPT


@dataclass(frozen=True)
class Mutant:
    what: str  # the behaviour it breaks
    old: str
    new: str
    tests: str  # pytest -k expression of the tests that must catch it


MUTANTS = (
    Mutant(
        "slow deadline",
        "var RENDER_DEADLINE_MS = 90000;",
        "var RENDER_DEADLINE_MS = 60000;",
        "never_renders",
    ),
    Mutant(
        "blank deadline",
        "var APP_DEADLINE_MS = 30000;",
        "var APP_DEADLINE_MS = 10000;",
        "without_its_app",
    ),
    Mutant("reload focused", '    box.querySelector("button").focus();\n', "", "never_renders"),
    Mutant(
        "dead kernel dims", '      document.body.classList.add("kit-lost");\n', "", "dead_kernel"
    ),
    Mutant("remember", "      remember(session, token);\n", "", "joined_participant"),
    Mutant(
        "hand over once",
        "    handedOver = true;\n    input.value",
        "    input.value",
        "handed_to_the_kernel",
    ),
    Mutant(
        "forget",
        "      window.localStorage.removeItem(STORE_PREFIX + session);\n",
        "",
        "forget",
    ),
    Mutant("forget once", '    params.delete("forget");\n', "", "forget"),
    Mutant(
        "heartbeat when hidden",
        ' || document.visibilityState === "hidden") {\n      return;\n    }\n'
        '    var input = document.querySelector(".kit-heartbeat input");',
        ') {\n      return;\n    }\n    var input = document.querySelector(".kit-heartbeat input");',
        "heartbeat",
    ),
    Mutant(
        "toast removed",
        "      if (shown) {\n        shown.parentNode.removeChild(shown);\n      }\n      return;",
        "      return;",
        "message_for_the_learner",
    ),
    Mutant("one miss", "var PING_MISSES = 2;", "var PING_MISSES = 1;", "silent_server"),
    Mutant(
        "ping deadline",
        "var PING_TIMEOUT_MS = 2000;",
        "var PING_TIMEOUT_MS = 20000;",
        "silent_server",
    ),
    Mutant(
        "closed socket",
        "    if (urgent || misses >= PING_MISSES || socketDownSince !== null) {",
        "    if (misses >= PING_MISSES) {",
        "closed_websocket",
    ),
    Mutant(
        "an error answer",
        "      function () {\n        finish(true);",
        "      function (r) {\n        finish(r.ok);",
        "answers_with_an_error",
    ),
    Mutant(
        "typing kept",
        '  document.addEventListener("input", keep, true);\n',
        "",
        "kept_answers",
    ),
    Mutant(
        "same not counted",
        '      if (input.checked) {\n        return "same";\n      }\n',
        "",
        "kept_answers",
    ),
    Mutant(
        "kept once",
        "  kept.reapply = false;\n  storeKept();",
        "  storeKept();",
        "kept_answers",
    ),
    Mutant(
        "no saved claim",
        '"body.kit-offline .kit-saved { display: none !important; }",',
        "",
        "kept_answers",
    ),
    Mutant(
        "sections opened",
        "      if (section.classList.contains",
        "      return section;\n      if (section.classList.contains",
        "kept_answers",
    ),
    Mutant("redo named", '        lines.push(say("redo"));\n', "", "cannot_be_put_back"),
)


def run() -> int:
    original = SCRIPT.read_text()
    failures = 0
    try:
        for m in MUTANTS:
            if original.count(m.old) != 1:
                print(f"STALE     {m.what}: its text is not in kit-page.js once")
                failures += 1
                continue
            SCRIPT.write_text(original.replace(m.old, m.new))
            result = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "pytest",
                    "tests/test_kit_page_js.py",
                    "-q",
                    "-n",
                    "0",
                    "-x",
                    "-p",
                    "no:cacheprovider",
                    "-k",
                    m.tests,
                ],
                cwd=ROOT,
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                check=False,  # a failing test run is the point
            )
            killed = result.returncode == 1
            failures += not killed
            print(f"{'killed' if killed else 'SURVIVED':9} {m.what} ({m.tests})")
    finally:
        SCRIPT.write_text(original)
    print(f"{len(MUTANTS) - failures} of {len(MUTANTS)} killed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(run())
