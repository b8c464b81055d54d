"""Reading a framework file's text: YAML with a line for every key path (pass 1), and schema errors
in plain words (pass 2)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from .messages import (
    MAX_EXPANDED_NODES,
    MSG_AT_LEAST,
    MSG_BAD_ID,
    MSG_BAD_KEY,
    MSG_BAD_REF,
    MSG_DATE,
    MSG_INVALID,
    MSG_LIST,
    MSG_MAPPING,
    MSG_MISSING,
    MSG_NOT_EMPTY,
    MSG_ONE_OF,
    MSG_TEXT,
    MSG_TRUE_FALSE,
    MSG_UNKNOWN_FIELD,
    MSG_WHOLE_NUMBER,
)
from .problems import Loc
from .schema import ID_PATTERN, KEY_PATTERN, REF_PATTERN

# --------------------------------------------------------------------------------------------------
# Pass 1: YAML, with a map from key paths to line numbers


def _expanded_size(root: yaml.Node) -> int:
    """How many values the document holds once every alias is expanded (memoised, so it is fast)."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, path: frozenset[int]) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        if id(node) in path:  # a recursive alias
            return MAX_EXPANDED_NODES + 1
        path = path | {id(node)}
        total = 1
        if isinstance(node, yaml.MappingNode):
            total += sum(size(k, path) + size(v, path) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(item, path) for item in node.value)
        sizes[id(node)] = total = min(total, MAX_EXPANDED_NODES + 1)
        return total

    return size(root, frozenset())


class TooLarge(Exception):
    pass


def line_map(text: str) -> tuple[dict[Loc, int], list[tuple[Loc, int, str]]]:
    """Line numbers (1-based) for every key path, and the duplicate keys found on the way."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    lines: dict[Loc, int] = {}
    duplicates: list[tuple[Loc, int, str]] = []
    if root is None:
        return lines, duplicates
    if _expanded_size(root) > MAX_EXPANDED_NODES:
        raise TooLarge
    visited: set[int] = set()

    def walk(node: yaml.Node, loc: Loc, seen: frozenset[int]) -> None:
        lines.setdefault(loc, node.start_mark.line + 1)
        if id(node) in seen or id(node) in visited:  # an alias: its lines were recorded where it was defined
            return
        seen = seen | {id(node)}
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys_here: set[str] = set()
            for key_node, value_node in node.value:
                key = str(key_node.value)
                child = (*loc, key)
                if key in keys_here:
                    duplicates.append((child, key_node.start_mark.line + 1, key))
                    continue
                keys_here.add(key)
                lines[child] = key_node.start_mark.line + 1
                walk(value_node, child, seen)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*loc, index), seen)

    walk(root, (), frozenset())
    return lines, duplicates


def line_for(lines: Mapping[Loc, int], loc: Loc) -> int | None:
    """The line of ``loc``, or of its nearest ancestor that is in the file (for missing keys)."""
    probe = tuple(loc)
    while True:
        if probe in lines:
            return lines[probe]
        if not probe:
            return None
        probe = probe[:-1]


# --------------------------------------------------------------------------------------------------
# Pass 2: schema errors in plain words

_PATTERN_MESSAGES = {KEY_PATTERN: MSG_BAD_KEY, REF_PATTERN: MSG_BAD_REF, ID_PATTERN: MSG_BAD_ID}


def schema_message(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    got = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return MSG_MISSING
    if kind == "extra_forbidden":
        return MSG_UNKNOWN_FIELD
    if kind == "literal_error":
        return MSG_ONE_OF.format(expected=ctx.get("expected", "?"), got=got)
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return MSG_WHOLE_NUMBER.format(got=got)
    if kind in {"greater_than_equal", "greater_than"}:
        return MSG_AT_LEAST.format(limit=ctx.get("ge", ctx.get("gt")), got=got)
    if kind.startswith("date_"):
        return MSG_DATE.format(got=got)
    if kind in {"string_type", "string_unicode"}:
        return MSG_TEXT.format(got=got)
    if kind in {"bool_type", "bool_parsing"}:
        return MSG_TRUE_FALSE.format(got=got)
    if kind in {"tuple_type", "list_type", "iterable_type"}:
        return MSG_LIST.format(got=got)
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return MSG_MAPPING.format(got=got)
    if kind in {"too_short", "string_too_short"}:
        return MSG_NOT_EMPTY
    if kind == "string_pattern_mismatch":
        template = _PATTERN_MESSAGES.get(str(ctx.get("pattern")))
        if template:
            return template.format(got=got)
    return MSG_INVALID.format(detail=error.get("msg", kind))


def useful_errors(errors: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Pydantic's errors, less "too short" for a list whose own items were refused (a list of one bad
    item is reported by the item's problem, not also as empty)."""
    locs = [schema_loc(e) for e in errors]
    return [
        error
        for error, loc in zip(errors, locs, strict=True)
        if not (
            error["type"] == "too_short" and any(o[: len(loc)] == loc and len(o) > len(loc) for o in locs)
        )
    ]


def schema_loc(error: Mapping[str, Any]) -> Loc:
    """Pydantic's location, less the bracketed markers it adds for dict keys and unions."""
    loc = tuple(error["loc"])
    return tuple(p for p in loc if not (isinstance(p, str) and p.startswith("[") and p.endswith("]")))
