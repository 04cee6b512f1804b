"""The adaptation log read back from the CSV file the kern-and-shell app exports (issue 25 §2):
the file holds words in the reader's language (:func:`kit.present.kern.log_csv`), so every word
is looked up again among the content's labels, in the language whose column names the file has.

A file that is not such a log, or a row whose words the kit does not know, is refused with the
row and column it concerns; nothing is taken from a file half read. The file the app writes
starts with who made it (those columns are passed over) and ends with the situations she checked
(issue 25): her first and last choice per situation come back too (the verdicts and debriefs in
the file are the kit's words, worked out again). A file from before the situations were in the
log has none and loads as it did. A situation the content no longer has (its text changed) is
counted as passed over, so the page can say so.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import ValidationError

from kit import adaptations
from kit.answers import Proposal, SituationAnswer, SituationChoice
from kit.content import LANGS, Content, Element, Intervention
from kit.present.kern import SITUATION_FIELDS, shorten
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


@dataclass(frozen=True)
class LoadedLog:
    """What a log file held: the intervention, its adaptations, the situations she checked
    (as the exercise records them) and how many situation rows matched no situation of the
    intervention any more (``passed_over``)."""

    item: Intervention
    proposals: tuple[Proposal, ...]
    situations: tuple[SituationAnswer, ...] = ()
    passed_over: int = 0


def read_log_csv(content: Content, data: bytes) -> tuple[Intervention, tuple[Proposal, ...]]:
    """The intervention and the adaptations in an exported log file (:func:`read_log_file`)."""
    log = read_log_file(content, data)
    return log.item, log.proposals


def read_log_file(content: Content, data: bytes) -> LoadedLog:
    """The intervention, the adaptations and the checked situations in an exported log file
    (Dutch or English).

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
            # The situations she checked follow under their own column names.
            situations = [content.t(f"kern.log.sit.col.{k}", lang) for k in SITUATION_FIELDS]
            ends = (i for i, r in enumerate(rows) if r[skip : skip + len(situations)] == situations)
            end = next(ends, len(rows))
            return _read(content, lang, rows, skip, end)
    raise LogFileError("kern.load.not_log", {})


def _elements(item: Intervention) -> tuple[Element, ...]:
    """The elements a log of ``item`` can name: its own, and the new one outside core time."""
    new = item.new_element
    return (*item.elements, new) if new is not None else item.elements


def _read(content: Content, lang: str, rows: list[list[str]], skip: int, end: int) -> LoadedLog:
    """The adaptations in ``rows[1:end]``, the situations in the rows after ``rows[end]`` (the
    situations' column names); row numbers as a spreadsheet shows them (the first is 1)."""
    log = [(n, r[skip:]) for n, r in enumerate(rows[1:end], start=2) if any(r)]
    sits = [(n, r[skip:]) for n, r in enumerate(rows[end + 1 :], start=end + 2) if any(r)]
    if not log and not sits:
        raise LogFileError("kern.load.empty", {})
    named = [(n, dict(zip(adaptations.LOG_FIELDS, r, strict=False))) for n, r in log]
    chosen = [(n, dict(zip(SITUATION_FIELDS, r, strict=False))) for n, r in sits]
    arrow = " → "
    # The intervention whose elements carry every element name in the file.
    names = {r.get("element", "") for _, r in named} | {
        r[k].partition(arrow)[2]
        for _, r in chosen
        for k in ("first", "last")
        if arrow in r.get(k, "")
    }
    item = next(
        (i for i in content.interventions if names <= {e.name(lang) for e in _elements(i)}), None
    )
    if item is None:
        raise LogFileError("kern.load.no_intervention", {})
    elements = {e.name(lang): e.id for e in _elements(item)}
    types = {t.name(lang): t.id for t in content.adaptation_types}
    lookups: Mapping[str, dict[str, str]] = {
        "when": _labels(content, lang, "kern.frame.when", adaptations.FRAME_WHEN),
        "who": _labels(content, lang, "kern.frame.who", adaptations.FRAME_WHO),
        "level": _labels(content, lang, "kern.frame.level", adaptations.FRAME_LEVEL),
    }
    yes, no = content.t("kern.log.yes", lang), content.t("kern.log.no", lang)

    def find(row: dict[str, str], number: int, field: str, table: Mapping[str, str]) -> str:
        value = row.get(field, "")
        if value not in table:
            column = content.t(f"kern.log.col.{field}", lang)
            raise LogFileError("kern.load.bad_cell", {"row": number, "column": column})
        return table[value]

    proposals = []
    for number, row in named:
        planned = find(row, number, "planned", {yes: "yes", no: "no"}) == "yes"
        try:
            proposals.append(
                Proposal(
                    element=find(row, number, "element", elements),
                    type=find(row, number, "type", types),
                    reason=_unformula(row.get("reason", "")),
                    goal=_unformula(row.get("goal", "")),
                    when=find(row, number, "when", lookups["when"]),
                    planned=planned,
                    who=find(row, number, "who", lookups["who"]),
                    level=find(row, number, "level", lookups["level"]),
                    date=row.get("date", "")[:10],
                )
            )
        except ValidationError:
            raise LogFileError("kern.load.bad_row", {"row": number}) from None

    # A situation is known by its text as the log shows it (its number may have moved).
    texts = {f"{shorten(s.text(lang))}": s.id for s in item.situations}

    def choice(row: dict[str, str], number: int, field: str) -> SituationChoice:
        kind, _, element = row.get(field, "").partition(arrow)
        if kind not in types or element not in elements:
            column = content.t(f"kern.log.sit.col.{field}", lang)
            raise LogFileError("kern.load.bad_cell", {"row": number, "column": column})
        return SituationChoice(element=elements[element], type=types[kind])

    answers: dict[str, SituationAnswer] = {}
    passed_over = 0
    for number, row in chosen:
        first, last = choice(row, number, "first"), choice(row, number, "last")
        head, dot, said = row.get("situation", "").partition(". ")
        situation = texts.get(said.strip()) if dot and head.isdigit() else None
        if situation is None:
            passed_over += 1
            continue
        answers[situation] = SituationAnswer(
            intervention=item.id, situation=situation, first=first, last=last
        )
    return LoadedLog(item, tuple(proposals), tuple(answers.values()), passed_over)
