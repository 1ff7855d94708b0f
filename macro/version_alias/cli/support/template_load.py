"""Read a CloudFormation template (YAML or JSON) into plain Python objects.

PyYAML's C loader with CloudFormation's short-form tags, read as cfn-lint reads them
(cfnlint/decode/cfn_yaml.py): `!Ref` and `!Condition` keep their names, every other
`!X` becomes `Fn::X`, `!GetAtt A.B.C` splits at the first dot, a duplicate key is an
error, an unquoted date stays the date's ISO text. A file that starts with `{` is read as
JSON first (a JSON template may hold tabs, which YAML refuses). cfn-lint itself is not
imported: it costs most of a second, more than `check` and `render` take in all.

Every problem is one line, `file:line:column: what. Fix: how` (TemplateLoadError), and
never quotes a template value.
"""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path
from typing import Any

import yaml

STDIN = "-"
STDIN_NAME = "<stdin>"
_UNPREFIXED_TAGS = frozenset({"Ref", "Condition"})
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class TemplateLoadError(Exception):
    """A template could not be read or parsed; the message names the file and the problem."""


class CfnLoader(_Loader):  # type: ignore[misc, valid-type]
    """The C safe loader with CloudFormation's tags and a duplicate-key check."""


def _mapping(loader: CfnLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    merged = _merged(node)  # keys a `<<` merge brings in may repeat: YAML's own rule
    loader.flatten_mapping(node)
    found: dict[Any, Any] = {}
    first: dict[Any, yaml.Node] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key is None or isinstance(key, list | dict):
            raise _NodeProblem(
                key_node, f"a key must be text, not {_kind(key)}", "quote the key or fix the indent"
            )
        if key in first and not merged:
            line = first[key].start_mark.line + 1
            raise _NodeProblem(
                key_node,
                f"duplicate key {key!r} (first at line {line})",
                "remove or rename one of them; CloudFormation would keep only one",
            )
        first[key] = key_node
        found[key] = loader.construct_object(value_node, deep=True)
    return found


def _merged(node: yaml.MappingNode) -> bool:
    return any(key.tag == "tag:yaml.org,2002:merge" for key, _ in node.value)


def _timestamp(loader: CfnLoader, node: yaml.ScalarNode) -> str:
    """An unquoted date is text in a template (`AWSTemplateFormatVersion: 2010-09-09`)."""
    value = yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def _refuse(loader: CfnLoader, node: yaml.Node) -> Any:
    raise _NodeProblem(
        node, f"YAML type {node.tag} has no CloudFormation meaning", "write it as text"
    )


def _short_form(loader: CfnLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    """`!Sub x` -> {"Fn::Sub": "x"}; `!Ref x` -> {"Ref": "x"}; `!GetAtt A.B` -> list."""
    name = suffix if suffix in _UNPREFIXED_TAGS else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if name == "Fn::GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = _mapping(loader, node)
    return {name: value}


CfnLoader.add_constructor("tag:yaml.org,2002:map", _mapping)
CfnLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
for _tag in ("binary", "set", "omap", "pairs"):
    CfnLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse)
CfnLoader.add_multi_constructor("!", _short_form)


class _NodeProblem(Exception):
    def __init__(self, node: yaml.Node, what: str, fix: str) -> None:
        super().__init__(what)
        self.mark, self.what, self.fix = node.start_mark, what, fix


def _kind(value: Any) -> str:
    return {type(None): "empty", list: "a list", dict: "a mapping"}.get(type(value), "this")


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def load_template(path_or_dash: str) -> dict[str, Any]:
    """Parse a YAML or JSON template from a file, or from standard input when given `-`."""
    if path_or_dash == STDIN:
        return parse_template(_stdin_bytes(), STDIN_NAME)
    return parse_template(read_bytes(Path(path_or_dash)), path_or_dash)


def _stdin_bytes() -> bytes:
    buffer = getattr(sys.stdin, "buffer", None)
    return buffer.read() if buffer is not None else sys.stdin.read().encode("utf-8")


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise TemplateLoadError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise TemplateLoadError(f"{path}: is a directory, not a template file") from None
    except OSError as problem:
        reason = problem.strerror or type(problem).__name__
        raise TemplateLoadError(f"{path}: cannot read it ({reason})") from None


def parse_template(data: bytes, name: str) -> dict[str, Any]:
    """The template in `data`; TemplateLoadError (one line) when it is not one."""
    text = decode_text(data, name)
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        what = "the file is empty" if not text.strip() else "the file holds only comments"
        raise TemplateLoadError(
            f"{name}:1:1: {what}, no template. Fix: pass the template file "
            "(YAML or JSON with a Resources section)"
        )
    template = _parse(text, name)
    if not isinstance(template, dict):
        raise TemplateLoadError(
            f"{name}:1:1: a template must be a mapping at top level, not {_article(template)}. "
            "Fix: start the file with its sections (Resources: ...)"
        )
    return template


def _article(value: Any) -> str:
    return "a list" if isinstance(value, list) else f"a {type(value).__name__}"


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark is dropped), or a message for binary or other text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TemplateLoadError(
            f"{name}:1:1: the file is UTF-16 text. Fix: save it as UTF-8, as CloudFormation "
            "reads templates"
        )
    if b"\0" in data[:8192]:
        kind = "a zip archive" if data.startswith(b"PK\x03\x04") else "a binary file"
        raise TemplateLoadError(
            f"{name}: {kind}, not a template. Fix: pass the YAML or JSON template itself"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = data.count(b"\n", 0, problem.start) + 1
        column = problem.start - (data.rfind(b"\n", 0, problem.start) + 1) + 1
        raise TemplateLoadError(
            f"{name}:{line}:{column}: byte 0x{data[problem.start]:02x} is not UTF-8 text. "
            "Fix: save the file as UTF-8, as CloudFormation reads templates"
        ) from None


def _parse(text: str, name: str) -> Any:
    if text.lstrip().startswith("{"):
        try:
            return json.loads(text, object_pairs_hook=_json_object)
        except _JsonDuplicate as duplicate:
            line, column = _json_position(text, duplicate.key)
            raise TemplateLoadError(
                f"{name}:{line}:{column}: duplicate key {duplicate.key!r}. Fix: remove or "
                "rename one of them; CloudFormation would keep only one"
            ) from None
        except json.JSONDecodeError as problem:
            try:
                return _yaml(text, name)
            except TemplateLoadError:
                raise TemplateLoadError(
                    f"{name}:{problem.lineno}:{problem.colno}: not valid JSON: {problem.msg}. "
                    "Fix: correct the JSON at this position"
                ) from None
    return _yaml(text, name)


class _JsonDuplicate(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _JsonDuplicate(key)
        found[key] = value
    return found


def _json_position(text: str, key: str) -> tuple[int, int]:
    """Line and column of the second `"key":` in the text (1-based)."""
    needle = json.dumps(key)
    first = text.find(needle)
    second = text.find(needle, first + 1)
    offset = second if second >= 0 else max(first, 0)
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _yaml(text: str, name: str) -> Any:
    loader = CfnLoader(text)
    try:
        return loader.get_single_data()
    except _NodeProblem as problem:
        where = f"{name}:{problem.mark.line + 1}:{problem.mark.column + 1}"
        raise TemplateLoadError(f"{where}: {problem.what}. Fix: {problem.fix}") from None
    except yaml.MarkedYAMLError as problem:
        raise TemplateLoadError(yaml_problem(problem, name, text)) from None
    except yaml.YAMLError as problem:
        raise TemplateLoadError(f"{name}: not valid YAML ({problem}). Fix: correct it") from None
    finally:
        loader.dispose()


def yaml_problem(problem: yaml.MarkedYAMLError, name: str, source: str = "") -> str:
    """One line for a YAML syntax error: where, what, and how to fix it."""
    text = problem.problem or ""
    context = problem.context or ""
    mark = problem.problem_mark or problem.context_mark
    if "'\\t'" in text or (mark and _character(source, mark.line, mark.column) == "\t"):
        what, fix = "a tab character", "indent with spaces only; YAML does not allow tabs"
    elif "quoted scalar" in context and "end of stream" in text:
        mark = problem.context_mark or mark
        what, fix = "a quoted string that is never closed", "add the closing quote"
    elif "could not determine a constructor" in text:
        what = f"unknown YAML tag {text.rsplit(' ', 1)[-1]}"
        fix = "use a CloudFormation short form such as !Ref or !Sub, or quote the value"
    else:
        what = f"{context + ': ' if context else ''}{text}".strip() or "not valid YAML"
        fix = "correct the YAML at this position (check the indent and the quotes)"
    where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
    return f"{where}: {what}. Fix: {fix}"


def _character(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    return lines[line][column : column + 1] if line < len(lines) else ""


def locate(text: str, path: tuple[Any, ...]) -> tuple[int, int] | None:
    """Line and column (1-based) of `path` (keys and list indexes) in a template's text,
    or of its nearest ancestor there; None when the text does not compose."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None
    mark = node.start_mark if node is not None else None
    for part in path:
        child = _child(node, part)
        if child is None:
            break
        node, mark = child
    return (mark.line + 1, mark.column + 1) if mark else None


def _child(node: Any, part: Any) -> tuple[Any, Any] | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part:  # a scalar's own position; else the key's line
                mark = value.start_mark if isinstance(value, yaml.ScalarNode) else key.start_mark
                return value, mark
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        item = node.value[part]
        return item, item.start_mark
    return None
