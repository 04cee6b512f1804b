"""The adaptation log read back from the CSV file the kern-and-shell app exports (issue 25 §2):
the file holds words in the reader's language (:func:`kit.present.kern.log_csv`), so every word
is looked up again among the content's labels, in the language whose column names the file has.

A file that is not such a log, or a row whose words the kit does not know, is refused with the
row and column it concerns; nothing is taken from a file half read. The file the app writes
starts with who made it and ends with the situations she checked (issue 25): those columns and
rows are not adaptations and are passed over.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

from pydantic import ValidationError

from kit import adaptations
from kit.answers import Proposal
from kit.content import LANGS, Content, Intervention
from kit.present.kern import SITUATION_FIELDS
from kit.present.maker import MAKER_FIELDS

#: The largest log file read back (a log of 40 adaptations is about 10 kB).
MAX_BYTES = 500_000


class LogFileError(ValueError):
    """A file that cannot be read as an adaptation log; the message says where, in words."""


def _labels(content: Content, lang: str, prefix: str, ids: tuple[str, ...]) -> dict[str, str]:
    return {content.t(f"{prefix}.{i}", lang): i for i in ids}


def _unformula(text: str) -> str:
    """Undo :func:`kit.adaptations.safe_cell`'s guard on free text."""
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r") else text


def read_log_csv(content: Content, data: bytes) -> tuple[Intervention, tuple[Proposal, ...]]:
    """The intervention and the adaptations in an exported log file (Dutch or English).

    Raises :class:`LogFileError` whose ``args`` are a ui.yaml key and its values: the message
    the app shows the learner (which row, which column)."""
    if len(data) > MAX_BYTES:
        raise LogFileError("kern.load.too_large", {})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LogFileError("kern.load.not_log", {}) from None
    for lang in LANGS:
        header = [content.t(f"kern.log.col.{k}", lang) for k in adaptations.LOG_FIELDS]
        delimiter = ";" if text.split("\n", 1)[0].count(";") >= len(header) - 1 else ","
        rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
        if not rows:
            continue
        # The app's file starts with who made it (kit.present.maker): those columns are skipped.
        maker = [content.t(f"export.col.{k}", lang) for k in MAKER_FIELDS]
        skip = len(maker) if rows[0][: len(maker)] == maker else 0
        if rows[0][skip:] == header:
            # The situations she checked follow under their own column names: not adaptations.
            situations = [content.t(f"kern.log.sit.col.{k}", lang) for k in SITUATION_FIELDS]
            ends = (i for i, r in enumerate(rows) if r[skip : skip + len(situations)] == situations)
            end = next(ends, len(rows))
            return _read_rows(content, lang, [r[skip:] for r in rows[1:end]])
    raise LogFileError("kern.load.not_log", {})


def _read_rows(
    content: Content, lang: str, rows: list[list[str]]
) -> tuple[Intervention, tuple[Proposal, ...]]:
    fields = adaptations.LOG_FIELDS
    rows = [r for r in rows if any(c.strip() for c in r)]
    if not rows:
        raise LogFileError("kern.load.empty", {})
    named = [dict(zip(fields, (c.strip() for c in r), strict=False)) for r in rows]
    # The intervention whose elements carry every element name in the file.
    names = {r.get("element", "") for r in named}
    item = next(
        (i for i in content.interventions if names <= {e.name(lang) for e in i.elements}), None
    )
    if item is None:
        raise LogFileError("kern.load.no_intervention", {})
    elements = {e.name(lang): e.id for e in item.elements}
    types = {t.name(lang): t.id for t in content.adaptation_types}
    lookups: Mapping[str, dict[str, str]] = {
        "when": _labels(content, lang, "kern.frame.when", adaptations.FRAME_WHEN),
        "who": _labels(content, lang, "kern.frame.who", adaptations.FRAME_WHO),
        "level": _labels(content, lang, "kern.frame.level", adaptations.FRAME_LEVEL),
    }
    yes, no = content.t("kern.log.yes", lang), content.t("kern.log.no", lang)
    proposals = []
    for number, row in enumerate(named, start=2):  # row 1 holds the column names

        def find(
            field: str, table: Mapping[str, str], row: dict[str, str] = row, number: int = number
        ) -> str:
            value = row.get(field, "")
            if value not in table:
                column = content.t(f"kern.log.col.{field}", lang)
                raise LogFileError("kern.load.bad_cell", {"row": number, "column": column})
            return table[value]

        planned = find("planned", {yes: "yes", no: "no"}) == "yes"
        try:
            proposals.append(
                Proposal(
                    element=find("element", elements),
                    type=find("type", types),
                    reason=_unformula(row.get("reason", "")),
                    goal=_unformula(row.get("goal", "")),
                    when=find("when", lookups["when"]),
                    planned=planned,
                    who=find("who", lookups["who"]),
                    level=find("level", lookups["level"]),
                    date=row.get("date", "")[:10],
                )
            )
        except ValidationError:
            raise LogFileError("kern.load.bad_row", {"row": number}) from None
    return item, tuple(proposals)
