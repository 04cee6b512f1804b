"""Content files as read: YAML with the line of every key and list item, problems located as
``path:line: message``, and :class:`View`, what validated of a file, piece by piece."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Generic, TypeVar, get_args

import yaml
from pydantic import BaseModel, RootModel, TypeAdapter, ValidationError

from kit.content.models import LANGS, ONE_TEXT, PLURAL

M = TypeVar("M", bound=BaseModel)
S = TypeVar("S", bound=BaseModel)
V = TypeVar("V")
#: libyaml's loader when PyYAML was built with it (about ten times faster), else the pure one.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: The shape tags of a UI text, left out of a problem's location.
UI_SHAPES = (ONE_TEXT, PLURAL)


@dataclass(frozen=True, order=True)
class Problem:
    """One content problem, located in a file."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(Exception):
    """Raised when content does not validate; carries every problem found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def display(path: Path) -> str:
    """``path`` as a user would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class Source:
    """A parsed YAML document plus the line of every key and list item in it."""

    def __init__(self, path: Path, rel: str, problems: list[Problem]) -> None:
        self.rel = rel
        self.lines: dict[tuple[Any, ...], int] = {(): 1}
        self.data: Any = None
        self.commented = False  # whether the file opens with a '#' comment
        self._problems = problems
        if not path.is_file():
            problems.append(Problem(rel, 1, "file is missing"))
            return
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(rel, 1, f"cannot read file: {exc}"))
            return
        self.commented = text.lstrip().startswith("#")
        try:
            # One parse gives both the node tree (with lines) and the data built from it.
            loader = _Loader(text)
            try:
                node = loader.get_single_node()
                self.data = loader.construct_document(node) if node is not None else None
            finally:
                loader.dispose()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 1
            problems.append(Problem(rel, line, f"not valid YAML: {getattr(exc, 'problem', exc)}"))
            return
        if node is not None:
            self._walk(node, ())

    def _walk(self, node: yaml.Node, path: tuple[Any, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in node.value:
                key = key_node.value
                line = key_node.start_mark.line + 1
                if key in seen:
                    self._problems.append(Problem(self.rel, line, f"duplicate key '{key}'"))
                seen.add(key)
                self.lines[(*path, key)] = line
                self._walk(value_node, (*path, key))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.lines[(*path, index)] = item.start_mark.line + 1
                self._walk(item, (*path, index))

    def line(self, *path: Any) -> int:
        """The line of ``path``, or of its nearest located parent."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1

    def problem(self, message: str, *path: Any) -> Problem:
        return Problem(self.rel, self.line(*path), message)


def pydantic_message(error: Mapping[str, Any]) -> str:
    """A pydantic error in the words of a content author."""
    loc = tuple(error["loc"])
    where = ".".join(str(part) for part in loc)
    kind = error["type"]
    last = loc[-1] if loc else None
    if kind == "missing":
        if last in LANGS:
            return f"{where}: missing translation '{last}'"
        return f"{where}: missing field '{last}'" if loc else "missing field"
    if kind == "extra_forbidden":
        return f"{where}: unknown field '{last}'"
    if kind in ("string_too_short", "string_pattern_mismatch") and last in LANGS:
        return f"{where}: empty translation '{last}'"
    if kind == "string_pattern_mismatch":
        return f"{where}: ids use lowercase letters, digits and '-' (got {error['input']!r})"
    if kind == "value_error":
        return f"{where}: {error['ctx']['error']}" if where else str(error["ctx"]["error"])
    return f"{where}: {error['msg']}"


def validate(model: type[M], doc: Source, problems: list[Problem]) -> View[M]:
    """Validate a whole file, report every pydantic error, and return what did validate."""
    if doc.data is None:
        if not any(p.path == doc.rel for p in problems):
            problems.append(doc.problem("file is empty"))
        return View(model, doc, None)
    try:
        return View(model, doc, doc.data, value=model.model_validate(doc.data))
    except ValidationError as exc:
        for error in exc.errors():
            # Pydantic puts union/branch names into loc; keep only the parts that index the data.
            loc = tuple(
                p
                for p in error["loc"]
                if isinstance(p, int)
                or not (str(p).startswith(("int", "none", "function")) or p in UI_SHAPES)
            )
            problems.append(doc.problem(pydantic_message({**error, "loc": loc}), *loc))
        return View(model, doc, doc.data)


@dataclass(frozen=True)
class Part(Generic[V]):
    """One validated piece of a file and where it is written."""

    doc: Source
    at: tuple[Any, ...]
    value: V

    def problem(self, message: str, *sub: Any) -> Problem:
        return self.doc.problem(message, *self.at, *sub)


class View(Generic[M]):
    """What validated of one model instance in a file, for the cross-reference rules.

    A valid file gives its model (``value``). A file with mistakes still gives every part that
    validates on its own: a field is left out when it fails, a list keeps the items that
    validate, a mapping the entries that do. So one bad statement hides no other statement's
    unknown phase. Ids are read from the raw YAML, so a reference to an item with a mistake of
    its own is not reported as unknown as well.
    """

    def __init__(self, model: type[M], doc: Source, raw: Any, value: M | None = None) -> None:
        self.model, self.doc, self.raw, self.value = model, doc, raw, value
        self.at: tuple[Any, ...] = ()

    def _raw(self, name: str) -> Any:
        if issubclass(self.model, RootModel):
            return self.raw
        return self.raw.get(name) if isinstance(self.raw, dict) else None

    def _path(self, name: str) -> tuple[Any, ...]:
        return self.at if issubclass(self.model, RootModel) else (*self.at, name)

    def get(self, name: str) -> Any:
        """The validated value of field ``name``, or None."""
        if self.value is not None:
            return getattr(self.value, name)
        raw = self._raw(name)
        if raw is None:
            return None
        try:
            return _adapter(self.model, name).validate_python(raw)
        except ValidationError:
            return None

    def sub(self, name: str, model: type[S]) -> View[S]:
        """The model-valued field ``name`` as a view of its own."""
        view = View(model, self.doc, self._raw(name), value=self.get(name))
        view.at = self._path(name)
        return view

    def items(self, name: str, model: type[S]) -> list[Part[S]]:
        """The items of list field ``name`` that validate, each with its place."""
        at = self._path(name)
        if self.value is not None:
            return [Part(self.doc, (*at, i), v) for i, v in enumerate(getattr(self.value, name))]
        raw = self._raw(name)
        return [
            Part(self.doc, (*at, i), v)
            for i, item in enumerate(raw if isinstance(raw, list) else [])
            if (v := _valid(model, item)) is not None
        ]

    def entries(self, name: str) -> dict[str, Part[Any]]:
        """The entries of mapping field ``name`` that validate, each with its place."""
        at = self._path(name)
        if self.value is not None:
            valid = getattr(self.value, name)
            return {k: Part(self.doc, (*at, k), v) for k, v in valid.items()}
        raw = self._raw(name)
        if not isinstance(raw, dict):
            return {}
        field = self.model.model_fields[name]
        kind: Any = field.annotation
        adapter = _value_adapter(kind)
        found = {}
        for key, value in raw.items():
            with contextlib.suppress(ValidationError):  # an invalid entry is left out
                found[str(key)] = Part(self.doc, (*at, key), adapter.validate_python(value))
        return found

    def keys(self, name: str) -> list[str]:
        """The keys written in mapping field ``name``, valid or not."""
        raw = self._raw(name)
        return [str(k) for k in raw] if isinstance(raw, dict) else []

    def ids(self, *pattern: str) -> Iterator[tuple[str, tuple[Any, ...]]]:
        """Every ``id`` written in the lists along ``pattern`` (``*`` = each item), valid or not.

        ``ids("phases", "*", "activities", "*")`` gives each activity id with its place."""
        yield from _walk_ids(self.raw, pattern, self.at)

    def id_list(self, *pattern: str) -> list[str]:
        return [i for i, _ in self.ids(*pattern)]

    def problem(self, message: str, *sub: Any) -> Problem:
        return self.doc.problem(message, *self.at, *sub)


def _walk_ids(
    node: Any, pattern: tuple[Any, ...], at: tuple[Any, ...]
) -> Iterator[tuple[str, tuple[Any, ...]]]:
    if not pattern:
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            yield node["id"], (*at, "id")
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        for i, item in enumerate(node if isinstance(node, list) else []):
            yield from _walk_ids(item, rest, (*at, i))
    elif isinstance(node, dict) and head in node:
        yield from _walk_ids(node[head], rest, (*at, head))


def _valid(model: type[S], raw: Any) -> S | None:
    try:
        return model.model_validate(raw)
    except ValidationError:
        return None


@functools.cache
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    field = model.model_fields[name]
    kind: Any = field.annotation
    if not field.metadata:
        return TypeAdapter(kind)
    annotated: Any = Annotated[kind, *field.metadata]
    return TypeAdapter(annotated)


@functools.cache
def _value_adapter(annotation: Any) -> TypeAdapter[Any]:
    return TypeAdapter(get_args(annotation)[1])  # dict[str, X] -> X
