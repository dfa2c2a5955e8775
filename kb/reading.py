"""Reading one KB file: bounded, strict YAML into plain data, validated into a model."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from kb import files, yaml_strict
from kb.exceptions import KbError
from kb.knowledge import Problem
from kb.messages import german_message
from kb.parse_cache import ParseCache
from kb.positions import Loc, field_path, locate

ModelT = TypeVar("ModelT", bound=BaseModel)


class UnreadableFile(KbError):
    """A file that could not be turned into a mapping; carries its 1-based position."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


def read_yaml(path: Path) -> dict[str, Any]:
    """Read one YAML file (bounded, strict YAML) into a mapping.

    Raises:
        UnreadableFile: with the position of the problem.
    """
    try:
        raw = files.read_bytes(path)
    except files.FileRefused as exc:
        raise UnreadableFile(str(exc)) from exc
    text = _decode(raw)
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise UnreadableFile("Datei ist leer")
    try:
        data = yaml_strict.parse(text)
    except yaml_strict.YamlError as exc:
        raise UnreadableFile(str(exc), exc.line, exc.column) from exc
    if not isinstance(data, dict):
        kind = "eine Liste" if isinstance(data, list) else "ein einzelner Wert"
        raise UnreadableFile(
            f"erwartet Felder (Schlüssel: Wert) auf oberster Ebene, gefunden: {kind}"
        )
    return data


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise UnreadableFile(
            f"kein UTF-8 (Byte 0x{raw[exc.start]:02x}); die Datei als UTF-8 speichern", line, column
        ) from exc


def _clean_loc(loc: tuple[str | int, ...]) -> Loc:
    # pydantic adds union and validator tags (e.g. 'function-after[...]', 'str'); drop them.
    return tuple(p for p in loc if isinstance(p, int) or re.fullmatch(r"[a-z_][a-z0-9_]*", p))


@dataclass(frozen=True)
class Read:
    """The plain data of one file (through the parse cache), or why it could not be read."""

    path: Path
    data: dict[str, Any] | None
    problems: list[Problem]
    stat: os.stat_result | None = None

    def validated(
        self, model: type[ModelT], cache: ParseCache | None, expected_id: str | None = None
    ) -> tuple[ModelT | None, list[Problem]]:
        """Validate the data against `model`; a valid version is kept as the file's last good."""
        if self.data is None:
            return None, self.problems
        obj, problems = validate(self.path, self.data, model, expected_id)
        if obj is not None and cache is not None and self.stat is not None:
            cache.keep_good(self.path, self.stat, self.data)
        return obj, problems


def read_file(path: Path, cache: ParseCache | None = None) -> Read:
    """Read one file into plain data, taking it from the cache when the file is unchanged."""
    try:
        stat = path.stat()
        data = cache.get(path, stat) if cache is not None else None
        if data is None:
            data = read_yaml(path)
            if cache is not None:
                cache.put(path, stat, data)
    except OSError as exc:
        reason = f"Datei nicht lesbar: {files.describe_os_error(exc)}"
        return Read(path, None, [Problem(path, 1, 1, reason)])
    except UnreadableFile as exc:
        return Read(path, None, [Problem(path, exc.line, exc.column, str(exc))])
    return Read(path, data, [], stat)


def parse_file(
    path: Path, model: type[ModelT], cache: ParseCache | None = None
) -> tuple[ModelT | None, list[Problem]]:
    """Read and validate one file; returns the object (or None) and its problems."""
    return read_file(path, cache).validated(model, cache)


def validate(
    path: Path, data: Any, model: type[ModelT], expected_id: str | None = None
) -> tuple[ModelT | None, list[Problem]]:
    """Validate parsed data of `path` against `model`; the id must equal the file stem (or
    `expected_id`: a municipality's id is its folder's name)."""
    try:
        obj = model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = _clean_loc(error["loc"])
            line, column = locate(path, loc, at_key=error["type"] == "extra_forbidden")
            message = german_message(error, model, loc)
            problems.append(Problem(path, line, column, message, field=field_path(loc)))
        return None, sorted(set(problems))
    stem = expected_id or path.name.rsplit(".", 1)[0]
    obj_id = getattr(obj, "id", stem)
    if obj_id != stem:
        line, column = locate(path, ("id",))
        named = f"Ordnernamen {path.parent.name!r}" if expected_id else f"Dateinamen {path.name!r}"
        message = f"id {obj_id!r} passt nicht zum {named}"
        return None, [Problem(path, line, column, message, field="id")]
    return obj, []
