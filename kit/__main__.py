"""Command line: ``python -m kit check [DIR]`` validates content and lists every problem;
``python -m kit schema`` rewrites ``content/SCHEMA.md`` from the content models and rules;
``python -m kit serve [--room N]`` serves the apps (also installed as ``implementatiekit``);
``python -m kit paper OUT.pdf`` writes a workshop's paper fallback;
``python -m kit purge`` deletes group sessions whose retention period is over;
``python -m kit backups`` lists the kept copies of the group store and ``python -m kit restore
COPY`` puts one back (with the server stopped)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kit.checks import check
from kit.content import CONTENT_DIR


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kit", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check_cmd = commands.add_parser("check", help="validate the content folder")
    check_cmd.add_argument("directory", nargs="?", type=Path, default=CONTENT_DIR)
    commands.add_parser("schema", help="write content/SCHEMA.md from the content schema")
    serve_cmd = commands.add_parser(
        "serve", help="serve the apps with Voila (the kit's configuration and page template)"
    )
    serve_cmd.add_argument(
        "--room",
        type=int,
        default=0,
        metavar="N",
        help="a workshop of N participants on their phones: listen on the local network, "
        "print the address phones use, pre-heat N participant pages",
    )
    serve_cmd.add_argument("--host", default=None, help="address to listen on")
    serve_cmd.add_argument("--port", type=int, default=8866)
    notebooks_cmd = commands.add_parser(
        "notebooks", help="copy the app notebooks into a folder (for a JupyterHub's shared folder)"
    )
    notebooks_cmd.add_argument("destination", type=Path)
    commands.add_parser(
        "voila-config",
        help="print the kit's voila.json for Voila inside a Jupyter server (JupyterHub, TLJH)",
    )
    purge_cmd = commands.add_parser(
        "purge",
        help="delete group sessions whose retention period is over (KIT_DATABASE_URL or the "
        "default SQLite file) and list what went",
    )
    purge_cmd.add_argument("--dry-run", action="store_true", help="list only, delete nothing")
    commands.add_parser(
        "backups",
        help="list the kept copies of the group store's SQLite file (when, kind, size, and "
        "whether each passes SQLite's check now)",
    )
    restore_help = (
        "put a kept copy back in place of the group store's SQLite file; refused while the "
        "kit's server or any kernel uses the file: stop the server first (Ctrl+C in its "
        "terminal, or 'systemctl stop' for a service), then run this, then start it again. "
        "The file it replaces is kept as a 'replaced' copy"
    )
    restore_cmd = commands.add_parser("restore", help=restore_help, description=restore_help)
    restore_cmd.add_argument("copy", help="the copy's name as 'python -m kit backups' lists it")
    forget_cmd = commands.add_parser(
        "forget",
        help="delete the work the kit keeps about you on this computer (your answers when you "
        "work alone: quickscan, phases, adaptations, plan); a session's answers stay with its "
        "trainer",
    )
    forget_cmd.add_argument(
        "--everyone",
        action="store_true",
        help="delete the kept work of every learner in this own store (a shared service)",
    )
    paper_cmd = commands.add_parser(
        "paper",
        help="write a workshop's paper fallback as a PDF, for when phones or Wi-Fi fail: a "
        "case's quickscan statements to tick and an intervention's core and shell cards",
    )
    paper_cmd.add_argument("output", type=Path, help="the PDF file to write")
    paper_cmd.add_argument("--lang", choices=("nl", "en"), default="nl")
    paper_cmd.add_argument("--case", default=None, help="case id (default: the first case)")
    paper_cmd.add_argument(
        "--intervention", default=None, help="intervention id (default: the first)"
    )
    args = parser.parse_args(argv)

    if args.command == "paper":
        return _paper(args.output, args.lang, args.case, args.intervention)

    if args.command == "forget":
        return _forget(args.everyone)
    if args.command == "purge":
        return _purge(args.dry_run)
    if args.command == "backups":
        return _backups()
    if args.command == "restore":
        return _restore(args.copy)

    if args.command == "notebooks":
        from kit.serve import copy_notebooks

        for path in copy_notebooks(args.destination):
            print(path)
        return 0
    if args.command == "voila-config":
        import json

        from kit.serve import hub_voila_config

        print(json.dumps(hub_voila_config(), indent=2))
        return 0
    if args.command == "serve":
        from kit.serve import main as serve

        if args.room < 0 or args.room > 200:
            parser.error("--room: give the number of participants (0-200)")
        held = _hold_store()  # so that `restore` refuses while this server runs
        try:
            return serve(room=args.room, host=args.host, port=args.port)
        finally:
            if held is not None:
                from kit.storage import backups

                backups.release(held)

    if args.command == "schema":
        from kit.checks import schema_markdown

        target = CONTENT_DIR / "SCHEMA.md"
        target.write_text(schema_markdown(), encoding="utf-8")
        print(f"wrote {target}")
        return 0

    if args.command == "check":
        if not args.directory.is_dir():
            print(f"{args.directory}: not a folder", file=sys.stderr)
            return 1
        content, problems = check(args.directory)
        for problem in problems:
            print(problem)
        if content is None:
            print(f"{len(problems)} problem(s) found.", file=sys.stderr)
            return 1
        print(
            f"OK: {len(content.phases)} phases, {len(content.scenarios)} scenarios, "
            f"{len(content.instrument.statements)} statements, {len(content.cases)} cases, "
            f"{len(content.adaptation_types)} adaptation types, "
            f"{len(content.interventions)} interventions, {len(content.ui)} UI strings."
        )
    return 0


def _paper(output: Path, lang: str, case_id: str | None, intervention_id: str | None) -> int:
    """Write the paper set for a case (told from its own perspective) and an intervention."""
    from kit import reports
    from kit.content import default_content
    from kit.present.texts import Texts

    content = default_content()
    cases = {c.id: c for c in content.cases}
    items = {i.id: i for i in content.interventions}
    for kind, value, known in (("case", case_id, cases), ("intervention", intervention_id, items)):
        if value is not None and value not in known:
            print(f"unknown {kind} '{value}' (known: {', '.join(known)})", file=sys.stderr)
            return 2
    case = cases[case_id] if case_id else content.cases[0]
    item = items[intervention_id] if intervention_id else content.interventions[0]
    data = reports.paper_pdf(Texts(content, lang), case.perspective, case, item)
    try:
        output.write_bytes(data)
    except OSError as exc:
        print(f"could not write {output}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {output}")
    return 0


def _forget(everyone: bool) -> int:
    """Delete what the own store keeps (kit/storage/own.py) about this user, or about everyone."""
    import os

    from kit.storage.own import StorageError, get_own_store, learner, own_url

    who = None if everyone else learner({**os.environ, "KIT_OWN_STORE": "on"})
    url = own_url()
    try:
        count = get_own_store(url).forget(who)
    except StorageError as exc:
        print(f"could not delete from {url}: {exc}", file=sys.stderr)
        return 1
    print(f"deleted {count} kept answer(s) from {url}")
    return 0


def _purge(dry_run: bool) -> int:
    from kit.storage import StorageError, Store

    store = Store(auto_purge=False)
    try:
        gone = store.purge(dry_run=dry_run)
    except StorageError as exc:
        why = {
            "unreachable": "the group store cannot be reached",
            "full": "the group store's disk is full",
            "damaged": "the group store's file is damaged",
        }.get(exc.failure, "the group store refused it")
        print(f"could not delete expired sessions ({why}): {exc}", file=sys.stderr)
        print(
            "retention does not hold until this works: fix it and run this again", file=sys.stderr
        )
        return 1
    finally:
        store.dispose()
    verb = "would delete" if dry_run else "deleted"
    for p in gone:
        print(
            f"{verb} {p.code} {p.title!r}: ended {p.ended_at:%Y-%m-%d}, "
            f"{p.participants} participant(s), {p.submissions} answer(s)"
        )
    if not gone:
        print("nothing to delete: no session is past its retention period")
    else:
        print(f"{len(gone)} session(s) {verb}.")
    return 0


def _sqlite_file() -> Path | None:
    from kit.storage.base import default_url, sqlite_path

    return sqlite_path(default_url())


def _hold_store() -> int | None:
    """The server says it uses the SQLite file for as long as it runs (a lock the system
    releases when the process ends, however it ends)."""
    from kit.storage import backups

    path = _sqlite_file()
    return None if path is None else backups.hold(path)


def _backups() -> int:
    from kit.storage import backups

    path = _sqlite_file()
    if path is None:
        print(
            "the group store is not an SQLite file (KIT_DATABASE_URL): use the database's "
            "own backups (pg_dump)",
            file=sys.stderr,
        )
        return 1
    kept = backups.copies(path)
    print(f"copies of {path} in {backups.folder(path)}:")
    for copy in kept:
        version = f" (schema {copy.version}, before its upgrade)" if copy.version else ""
        state = "checked ok" if backups.check(copy.path) else "FAILS its check"
        print(
            f"  {copy.path.name}  {copy.kind}{version}  "
            f"{copy.at.astimezone():%Y-%m-%d %H:%M:%S}  {copy.size / 1024:.0f} kB  {state}"
        )
    if not kept:
        print("  none yet (a copy is made when the kit first opens the file)")
    since, reason = backups.failing_since(path)
    if since is not None:
        print(f"copies have been failing since {since.astimezone():%Y-%m-%d %H:%M}: {reason}")
        return 1
    return 0


def _restore(name: str) -> int:
    from kit.storage import backups

    path = _sqlite_file()
    if path is None:
        print("the group store is not an SQLite file: nothing to restore here", file=sys.stderr)
        return 1
    try:
        copy = backups.find(path, name)
        replaced = backups.restore(path, copy)
    except backups.InUse:
        print(
            f"{path} is in use by a running kit server or kernel: stop the server first "
            "(Ctrl+C in its terminal, or 'systemctl stop' for a service), then run this again",
            file=sys.stderr,
        )
        return 1
    except backups.BackupFailed as exc:
        print(f"not restored: {exc}", file=sys.stderr)
        return 1
    print(
        f"restored {path} from {copy.path.name} ({copy.kind}, {copy.at.astimezone():%Y-%m-%d %H:%M:%S})"
    )
    if replaced is not None:
        print(f"the file it replaced is kept as {replaced.path.name}")
    print("answers saved after that copy are not in it; start the server again")
    return 0


if __name__ == "__main__":
    sys.exit(main())
